"""Alert hysteresis: alerts open once, close only below the clear threshold after the dwell."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import numpy as np
import pytest

from domain.states import Severity
from inference.scoring.hysteresis import AlertBook, AlertPolicy, Change
from inference.scoring.neighbourhood import restrict
from inference.snapshot import GraphSnapshot, NodeTable

MINUTE = 60_000
KEY = ("machine_failure", "M-1")


def test_oscillating_around_the_raise_threshold_opens_once() -> None:
    policy = AlertPolicy(raise_at=0.6, clear_at=0.4, min_dwell_ms=0)
    book = AlertBook(policy)
    rng = np.random.default_rng(7)
    wobble = 0.6 + rng.uniform(-0.15, 0.15, size=200)  # crosses 0.6 many times, never <= 0.4
    crossings = int(np.sum(np.diff(wobble >= 0.6) != 0))
    changes = [book.step(KEY, float(p), i * MINUTE).change for i, p in enumerate(wobble)]
    assert crossings > 20
    assert changes.count(Change.OPENED) == 1
    assert Change.CLOSED not in changes
    assert book.get(KEY) is not None


def test_a_naive_threshold_would_have_flapped_where_hysteresis_does_not() -> None:
    policy = AlertPolicy(raise_at=0.6, clear_at=0.4, min_dwell_ms=0)
    book = AlertBook(policy)
    series = [0.59, 0.61, 0.58, 0.62, 0.45, 0.63, 0.41, 0.39, 0.5, 0.59, 0.61]
    changes = [book.step(KEY, p, i * MINUTE).change for i, p in enumerate(series)]
    naive_opens = sum(1 for a, b in itertools.pairwise(series) if a < 0.6 <= b)
    assert naive_opens == 4
    assert changes.count(Change.OPENED) == 2  # at 0.61, and again at 0.61 after 0.39
    assert changes.count(Change.CLOSED) == 1
    assert changes[7] is Change.CLOSED


def test_an_alert_stays_open_for_the_dwell_even_below_the_clear_threshold() -> None:
    book = AlertBook(AlertPolicy(min_dwell_ms=10 * MINUTE))
    assert book.step(KEY, 0.7, 0).change is Change.OPENED
    assert book.step(KEY, 0.1, 5 * MINUTE).change is None
    assert book.get(KEY) is not None
    decision = book.step(KEY, 0.1, 10 * MINUTE)
    assert decision.change is Change.CLOSED
    assert decision.alert is not None and decision.alert.probability == pytest.approx(0.1)
    assert book.get(KEY) is None


def test_severity_follows_bands_rises_at_once_and_falls_with_margin() -> None:
    policy = AlertPolicy(raise_at=0.6, clear_at=0.4, high_at=0.8, critical_at=0.95, min_dwell_ms=0)
    book = AlertBook(policy)
    opened = book.step(KEY, 0.65, 0)
    assert opened.alert is not None and opened.alert.severity is Severity.MEDIUM
    up = book.step(KEY, 0.96, 1)
    assert up.change is Change.SEVERITY and up.alert is not None
    assert up.alert.severity is Severity.CRITICAL
    # 0.9 is below critical but within the 0.2 margin: stays critical
    assert book.step(KEY, 0.9, 2).change is None
    down = book.step(KEY, 0.7, 3)  # 0.7 + 0.2 = 0.9 -> high
    assert down.change is Change.SEVERITY and down.alert is not None
    assert down.alert.severity is Severity.HIGH
    assert down.alert.since_ms == 0  # the same alert, not a new one


def test_per_target_policies_and_validation() -> None:
    strict = AlertPolicy(raise_at=0.3, clear_at=0.1, high_at=0.5, critical_at=0.7, min_dwell_ms=0)
    book = AlertBook(AlertPolicy(), {"batch_quality_escape": strict})
    assert book.step(("batch_quality_escape", "B-1"), 0.35, 0).change is Change.OPENED
    assert book.step(KEY, 0.35, 0).change is None
    with pytest.raises(ValueError, match="clear_at < raise_at"):
        AlertPolicy(raise_at=0.5, clear_at=0.5)
    with pytest.raises(ValueError, match="min_dwell_ms"):
        AlertPolicy(min_dwell_ms=-1)


def test_restrict_keeps_the_seeds_neighbourhood_and_remaps_edges() -> None:
    machines = NodeTable(["M1", "M2", "M3"], np.eye(3, 1, dtype=np.float32), ["wear"])
    orders = NodeTable(["W1", "W2", "W3"], np.zeros((3, 1), np.float32), ["x"])
    # W1 - M1, W2 - M2, W3 - M2, W3 - M3
    edges = {("work_order", "runs_on", "machine"): np.array([[0, 1, 2, 2], [0, 1, 1, 2]])}
    snapshot = GraphSnapshot(
        datetime(2026, 1, 1, tzinfo=UTC), {"machine": machines, "work_order": orders}, edges
    )
    one = restrict(snapshot, {"machine": ["M2"]}, hops=1)
    assert one.nodes["machine"].ids == ["M2"]
    assert one.nodes["work_order"].ids == ["W2", "W3"]
    two = restrict(snapshot, {"machine": ["M2"]}, hops=2)
    assert two.nodes["machine"].ids == ["M2", "M3"]
    index = two.edges[("work_order", "runs_on", "machine")]
    pairs = {(two.nodes["work_order"].ids[a], two.nodes["machine"].ids[b]) for a, b in index.T}
    assert pairs == {("W2", "M2"), ("W3", "M2"), ("W3", "M3")}
