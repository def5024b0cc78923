"""The event bus over Redis pub/sub, so several API replicas share one feed.

Every replica publishes to `<prefix><topic>` and listens to `<prefix>*` on one
connection; what arrives is handed to the replica's own subscribers through an
`InProcessBus`, so each subscriber keeps its bounded queue (a slow one is dropped
without holding up the others) and all of a replica's subscribers get the same event
object. The embedded FalkorDB is a Redis server, so `redis://` URLs can point at it.
Events are JSON: what publishers put on the bus is plain JSON-able data already.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator

import redis.asyncio as redis

from resolvers.events import DEFAULT_MAX_QUEUE, Event, EventBus, InProcessBus

log = logging.getLogger(__name__)

PREFIX = "factorygraph:events:"


class RedisBus(EventBus):
    def __init__(
        self, client: redis.Redis, *, prefix: str = PREFIX, max_queue: int = DEFAULT_MAX_QUEUE
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.local = InProcessBus(max_queue)
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    @classmethod
    def from_url(cls, url: str, *, max_queue: int = DEFAULT_MAX_QUEUE) -> RedisBus:
        return cls(redis.Redis.from_url(url), max_queue=max_queue)

    async def start(self) -> None:
        """Listen from now on (idempotent); returns once the subscription is active."""
        if self._listener is None or self._listener.done():
            self._listening.clear()
            self._listener = asyncio.get_running_loop().create_task(self._listen())
        await self._listening.wait()

    async def _listen(self) -> None:
        while True:
            try:
                async with self.client.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{self.prefix}*")
                    self._listening.set()
                    async for message in pubsub.listen():
                        if message.get("type") != "pmessage":
                            continue
                        await self._deliver(message["channel"], message["data"])
            except asyncio.CancelledError:
                raise
            except (redis.RedisError, OSError) as exc:
                log.warning("bus.redis_disconnected error=%s; reconnecting in 1 s", exc)
                await asyncio.sleep(1)

    async def _deliver(self, channel: bytes | str, data: bytes | str) -> None:
        name = channel.decode() if isinstance(channel, bytes) else channel
        try:
            event = json.loads(data)
        except ValueError:
            log.warning("bus.bad_event channel=%s", name)
            return
        await self.local.publish(name[len(self.prefix) :], event)

    async def publish(self, topic: str, event: Event) -> None:
        await self.client.publish(f"{self.prefix}{topic}", json.dumps(event))

    def subscribe(self, topic: str, max_queue: int | None = None) -> AsyncGenerator[Event, None]:
        return self.local.subscribe(topic, max_queue)

    def subscriber_count(self) -> int:
        return self.local.subscriber_count()

    async def aclose(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self.client.aclose()
