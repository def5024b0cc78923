"""The event bus behind subscriptions: in-process by default, one interface for others.

Publishing never waits for subscribers: each subscriber has a bounded queue, and one
that falls `max_queue` events behind is dropped: it leaves the topic at once (publishers
stop queueing for it, `subscriber_count` no longer counts it) and its iterator raises
`SubscriberTooSlow` on the next pull instead of delivering the stale backlog. The
WebSocket layer turns that into a close with code 4429 (`app.graphql_view`), so a slow
client cannot delay the others or grow memory. A Redis-protocol pub/sub backend (the
embedded FalkorDB is a Redis server) can implement the same two methods for replicas.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import AsyncGenerator
from typing import Any

Event = dict[str, Any]

DEFAULT_MAX_QUEUE = 1_000


class SubscriberTooSlow(Exception):
    """The subscriber fell too far behind and was disconnected."""


class EventBus(ABC):
    @abstractmethod
    async def publish(self, topic: str, event: Event) -> None:
        """Hand `event` to every current subscriber of `topic`; never blocks on them."""

    @abstractmethod
    def subscribe(self, topic: str, max_queue: int | None = None) -> AsyncGenerator[Event, None]:
        """Events of `topic` from now on, until the consumer stops iterating.

        `max_queue` (default: the bus's own) bounds how far behind the consumer may fall.
        """

    def subscriber_count(self) -> int:
        """Subscribers currently receiving events, over all topics."""
        return 0

    async def start(self) -> None:
        """Get ready to deliver (a networked bus connects and listens); nothing in process."""
        return None

    async def aclose(self) -> None:
        """Release connections; the app calls this when it stops. Nothing in process."""
        return None


class _Subscriber:
    __slots__ = ("overflowed", "queue")

    def __init__(self, max_queue: int) -> None:
        self.queue: asyncio.Queue[Event] = asyncio.Queue(max_queue)
        self.overflowed = False


class InProcessBus(EventBus):
    """Fan-out inside one process: one bounded queue per subscriber."""

    def __init__(self, max_queue: int = DEFAULT_MAX_QUEUE) -> None:
        if max_queue < 1:
            raise ValueError("max_queue must be at least 1")
        self.max_queue = max_queue
        self._topics: dict[str, set[_Subscriber]] = defaultdict(set)

    async def publish(self, topic: str, event: Event) -> None:
        subscribers = self._topics.get(topic)
        if not subscribers:
            return
        for subscriber in list(subscribers):
            try:
                subscriber.queue.put_nowait(event)
            except asyncio.QueueFull:
                subscriber.overflowed = True
                subscribers.discard(subscriber)

    async def subscribe(
        self, topic: str, max_queue: int | None = None
    ) -> AsyncGenerator[Event, None]:
        bound = self.max_queue if max_queue is None else max_queue
        subscriber = _Subscriber(bound)
        self._topics[topic].add(subscriber)
        try:
            while True:
                if subscriber.overflowed:
                    raise SubscriberTooSlow(
                        f"subscriber fell more than {bound} events behind on {topic!r}"
                    )
                yield await subscriber.queue.get()
        finally:
            subscribers = self._topics.get(topic)
            if subscribers is not None:
                subscribers.discard(subscriber)
                if not subscribers:
                    del self._topics[topic]

    def subscriber_count(self) -> int:
        return sum(len(subscribers) for subscribers in self._topics.values())
