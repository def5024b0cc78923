"""Prometheus metrics of the API: requests, latencies, GraphQL errors, live subscriptions."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class ApiMetrics:
    """One registry per app, so tests and several apps in one process never collide."""

    def __init__(self, subscribers: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "factorygraph_http_requests",
            "HTTP requests by path, method and status code.",
            ["path", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "factorygraph_http_request_seconds",
            "HTTP request latency by path.",
            ["path"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
            registry=self.registry,
        )
        self.graphql_errors = Counter(
            "factorygraph_graphql_errors",
            "GraphQL errors returned, by kind (validation, permission, user, internal).",
            ["kind"],
            registry=self.registry,
        )
        self.subscriptions = Gauge(
            "factorygraph_active_subscriptions",
            "Subscriptions currently receiving events.",
            registry=self.registry,
        )
        self.subscriptions.set_function(lambda: float(subscribers()))
