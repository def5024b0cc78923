"""Subscription logic: topics on the event bus, filters, role checks; see `schema.subscription`."""

from __future__ import annotations


class SubscriptionApi:
    """What `schema.subscription.Subscription` fields call (as `info.context.api.subscriptions`)."""
