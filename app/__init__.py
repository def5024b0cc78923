"""Composition root: settings, CLI entry point (and, later, the ASGI app factory)."""
