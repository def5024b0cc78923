"""The event bus behind subscriptions: in-process by default, one interface for others.

Publishing never waits for subscribers: each subscriber has a bounded queue, and one
that falls `max_queue` events behind is dropped with `SubscriberTooSlow`, so a slow
client cannot delay the others or grow memory. A Redis-protocol pub/sub backend (the
embedded FalkorDB is a Redis server) can implement the same two methods for replicas.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import AsyncIterator
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
    def subscribe(self, topic: str, max_queue: int = DEFAULT_MAX_QUEUE) -> AsyncIterator[Event]:
        """Events of `topic` from now on, until the consumer stops iterating."""

    def subscriber_count(self) -> int:
        return 0


class _Subscriber:
    __slots__ = ("overflowed", "queue")

    def __init__(self, max_queue: int) -> None:
        self.queue: asyncio.Queue[Event] = asyncio.Queue(max_queue)
        self.overflowed = False


class InProcessBus(EventBus):
    """Fan-out inside one process: one bounded queue per subscriber."""

    def __init__(self) -> None:
        self._topics: dict[str, set[_Subscriber]] = defaultdict(set)

    async def publish(self, topic: str, event: Event) -> None:
        for subscriber in list(self._topics.get(topic, ())):
            try:
                subscriber.queue.put_nowait(event)
            except asyncio.QueueFull:
                subscriber.overflowed = True
                self._topics[topic].discard(subscriber)

    async def subscribe(
        self, topic: str, max_queue: int = DEFAULT_MAX_QUEUE
    ) -> AsyncIterator[Event]:
        subscriber = _Subscriber(max_queue)
        self._topics[topic].add(subscriber)
        try:
            while True:
                if subscriber.overflowed and subscriber.queue.empty():
                    raise SubscriberTooSlow(
                        f"subscriber fell more than {max_queue} events behind on {topic!r}"
                    )
                yield await subscriber.queue.get()
        finally:
            self._topics[topic].discard(subscriber)

    def subscriber_count(self) -> int:
        return sum(len(subscribers) for subscribers in self._topics.values())
