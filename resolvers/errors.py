"""Errors a caller caused and may read in full; every other exception is masked."""

from __future__ import annotations


class BadRequest(ValueError):
    """Arguments the API refuses (a depth over the limit, a filter it cannot run)."""
