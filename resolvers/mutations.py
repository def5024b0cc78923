"""Mutation logic (validation, one atomic statement each, events); see `schema.mutation`."""

from __future__ import annotations


class MutationApi:
    """What `schema.mutation.Mutation` fields call (as `info.context.api.mutations`)."""
