"""One server, kept subscribed: connect, bind, subscribe in batches, and start over when lost.

Every (re)connection builds a fresh `Client` and re-creates the subscription, then checks
that every monitored item exists: FIELD-NOTES records asyncua's own session-reusing
reconnect ending in endless Republish loops or a "connected" subscription with no items.
A loss is noticed three ways: the transport closes (a killed server), the client's
health probe fails, or no publish response (data or keep-alive) arrives in time. The
time without data becomes a data-gap event on the machines this server feeds.

Notifications are taken a whole publish response at a time: one list of samples per
response goes to the writer, no task per value (FIELD-NOTES: ≈ 20 µs a notification on
this path, twice that through asyncua's per-value handler).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asyncua import ua
from asyncua.client.client import Client
from asyncua.common.subscription import Subscription
from asyncua.ua.attribute_ids import AttributeIds
from asyncua.ua.uaerrors import UaError

from ingest.opcua.bindings import Binding
from ingest.opcua.connection import ConnectionSettings, build_client
from ingest.opcua.samples import Sample, sample_of

log = logging.getLogger(__name__)

Bound = list[tuple[Binding, ua.NodeId]]
Binder = Callable[[Client], Awaitable[Bound]]
"""Finds what to subscribe on a connected client: discovery or a mapping file."""
Sink = Callable[[list[Sample]], None]
OnGap = Callable[[datetime, datetime, list[str]], Awaitable[None]]

KEEPALIVE_S = 2.0
"""The server answers at least this often, with data or a keep-alive."""


@dataclass
class SessionStatus:
    endpoint: str
    connected: bool = False
    monitored_items: int = 0
    reconnects: int = 0
    gaps: int = 0
    notifications: int = 0
    subscribed_per_s: float | None = None
    """Monitored items created per second at the last (re)subscription."""
    last_error: str | None = None
    failed_items: list[str] = field(default_factory=list)


class BindingError(RuntimeError):
    """Monitored items the server refused (unknown nodes, no access)."""


class _BatchSubscription(Subscription):
    """A subscription that hands each publish response's data changes over in one list."""

    def __init__(
        self,
        client: Client,
        params: ua.CreateSubscriptionParameters,
        on_items: Callable[[list[ua.MonitoredItemNotification]], None],
    ) -> None:
        super().__init__(client.uaclient.session, params, handler=None, queue_maxsize=1)
        self._on_items = on_items

    async def publish_callback(self, publish_result: ua.PublishResult) -> None:
        self.last_publish_at = time.monotonic()
        message = publish_result.NotificationMessage
        if message.NotificationData is None:
            return  # a keep-alive
        self.last_sequence_number = int(message.SequenceNumber)
        for notification in message.NotificationData:
            if isinstance(notification, ua.DataChangeNotification):
                self._on_items(notification.MonitoredItems)
            elif isinstance(notification, ua.StatusChangeNotification):
                log.warning("opcua.subscription.status status=%s", notification.Status)


class OpcUaSession:
    def __init__(
        self, settings: ConnectionSettings, binder: Binder, sink: Sink, on_gap: OnGap | None = None
    ) -> None:
        self.settings = settings
        self.binder = binder
        self.sink = sink
        self.on_gap = on_gap
        self.status = SessionStatus(settings.endpoint)
        self.machine_ids: list[str] = []
        self._bindings: list[Binding] = []
        self._stop = asyncio.Event()
        self._ready = asyncio.Event()
        self.connected = asyncio.Event()
        """Set while subscribed (`status.connected` for polling)."""

    async def ready(self) -> None:
        """Wait until the first subscription is complete."""
        await self._ready.wait()

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        """Stay subscribed until `stop()`; reconnects with exponential backoff."""
        delay = self.settings.backoff_min_s
        lost_at: datetime | None = None
        while not self._stop.is_set():
            client = await build_client(self.settings)
            lost = asyncio.Event()

            async def on_lost(exc: Exception, lost: asyncio.Event = lost) -> None:
                self.status.last_error = f"connection lost: {exc!r}"
                lost.set()

            client.connection_lost_callback = on_lost
            subscription: _BatchSubscription | None = None
            try:
                await client.connect()
                subscription = await self._subscribe(client)
                self.status.connected = True
                self.connected.set()
                self._ready.set()
                if lost_at is not None:
                    await self._record_gap(lost_at)
                    lost_at = None
                delay = self.settings.backoff_min_s
                last_data = await self._watch(subscription, lost)
                if not self._stop.is_set():
                    lost_at = last_data
            except (OSError, TimeoutError, UaError, BindingError, ConnectionError) as exc:
                self.status.last_error = repr(exc)
                log.warning(
                    "opcua.session.failed endpoint=%s error=%r", self.settings.endpoint, exc
                )
                if lost_at is None and self._bindings:
                    lost_at = datetime.now(UTC)
            finally:
                self.status.connected = False
                self.connected.clear()
                await self._close(client)
            if self._stop.is_set():
                break
            self.status.reconnects += 1
            wait = delay * (0.5 + random.random())  # jitter, not a secret
            log.info("opcua.session.retry endpoint=%s in_s=%.1f", self.settings.endpoint, wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), wait)
            delay = min(delay * 2, self.settings.backoff_max_s)

    async def _subscribe(self, client: Client) -> _BatchSubscription:
        bound = await self.binder(client)
        if not bound:
            raise BindingError(f"nothing to subscribe on {self.settings.endpoint}")
        self._bindings = [b for b, _ in bound]
        self.machine_ids = sorted({b.machine_id for b in self._bindings})
        params = ua.CreateSubscriptionParameters()
        params.RequestedPublishingInterval = self.settings.publishing_ms
        params.RequestedMaxKeepAliveCount = max(
            1, math.ceil(KEEPALIVE_S * 1000 / self.settings.publishing_ms)
        )
        params.RequestedLifetimeCount = params.RequestedMaxKeepAliveCount * 10
        params.MaxNotificationsPerPublish = 0  # no limit
        params.PublishingEnabled = True
        params.Priority = 0
        subscription = _BatchSubscription(client, params, self._take)
        await subscription.init()
        started = time.perf_counter()
        failed: list[str] = []
        for start in range(0, len(bound), self.settings.batch_size):
            chunk = bound[start : start + self.settings.batch_size]
            requests = [self._request(start + i, node) for i, (_, node) in enumerate(chunk)]
            results = await subscription.create_monitored_items(requests)
            failed += [
                f"{binding.node_id} ({result.name})"
                for (binding, _), result in zip(chunk, results, strict=True)
                if isinstance(result, ua.StatusCode)
            ]
        elapsed = time.perf_counter() - started
        created = len(bound) - len(failed)
        self.status.monitored_items = created
        self.status.subscribed_per_s = created / elapsed if elapsed > 0 else None
        self.status.failed_items = failed
        if failed:
            log.error(
                "opcua.items.refused endpoint=%s count=%d first=%s",
                self.settings.endpoint,
                len(failed),
                failed[:5],
            )
        if created != len(subscription._monitored_items):
            raise BindingError(
                f"{created} monitored items created but the subscription holds "
                f"{len(subscription._monitored_items)}"
            )
        log.info(
            "opcua.subscribed endpoint=%s items=%d per_s=%.0f",
            self.settings.endpoint,
            created,
            self.status.subscribed_per_s or 0,
        )
        return subscription

    def _request(self, handle: int, node: ua.NodeId) -> ua.MonitoredItemCreateRequest:
        item = ua.MonitoredItemCreateRequest()
        item.ItemToMonitor = ua.ReadValueId()
        item.ItemToMonitor.NodeId = node
        item.ItemToMonitor.AttributeId = AttributeIds.Value
        item.MonitoringMode = ua.MonitoringMode.Reporting
        parameters = ua.MonitoringParameters()
        parameters.ClientHandle = handle
        parameters.SamplingInterval = self.settings.sampling_ms
        parameters.QueueSize = self.settings.queue_size
        parameters.DiscardOldest = True
        item.RequestedParameters = parameters
        return item

    def _take(self, items: list[ua.MonitoredItemNotification]) -> None:
        now = time.time()
        bindings = self._bindings
        samples = [
            sample_of(bindings[item.ClientHandle], item.Value, now)
            for item in items
            if 0 <= item.ClientHandle < len(bindings)
        ]
        self.status.notifications += len(samples)
        self.sink(samples)

    async def _watch(self, subscription: _BatchSubscription, lost: asyncio.Event) -> datetime:
        """Wait for a loss or `stop()`; returns when data last arrived."""
        limit = max(10.0, 5 * KEEPALIVE_S)
        while not self._stop.is_set() and not lost.is_set():
            stopper = asyncio.ensure_future(self._stop.wait())
            loser = asyncio.ensure_future(lost.wait())
            await asyncio.wait({stopper, loser}, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            loser.cancel()
            last = subscription.last_publish_at
            if last is not None and time.monotonic() - last > limit:
                self.status.last_error = f"no publish response for {limit:.0f} s"
                log.warning("opcua.session.stale endpoint=%s", self.settings.endpoint)
                break
        last = subscription.last_publish_at
        ago = 0.0 if last is None else max(0.0, time.monotonic() - last)
        return datetime.fromtimestamp(time.time() - ago, UTC)

    async def _record_gap(self, start: datetime) -> None:
        end = datetime.now(UTC)
        self.status.gaps += 1
        log.warning(
            "opcua.gap endpoint=%s from=%s to=%s machines=%d",
            self.settings.endpoint,
            start.isoformat(),
            end.isoformat(),
            len(self.machine_ids),
        )
        if self.on_gap is not None and self.machine_ids:
            await self.on_gap(start, end, self.machine_ids)

    async def _close(self, client: Client) -> None:
        try:
            await asyncio.wait_for(client.disconnect(), 3.0)
        except Exception:  # the server may already be gone
            log.debug("opcua.disconnect.failed", exc_info=True)
