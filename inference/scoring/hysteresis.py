"""When a probability becomes an alert, and when the alert ends, without flapping.

An alert opens when p >= `raise_at` and closes only when p <= `clear_at` (< `raise_at`)
and it has been open at least `min_dwell_ms`: a score wobbling around the raise threshold
opens one alert, not one per pass. Severity follows probability bands; it rises at once
but falls only when p is a full hysteresis margin (`raise_at - clear_at`) below the band
and the severity has held for the dwell. Pure logic: the loop feeds it, the graph stores it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from domain.states import Severity

AlertKey = tuple[str, str]
"""(target name, entity id)."""


@dataclass(frozen=True)
class AlertPolicy:
    raise_at: float = 0.6
    clear_at: float = 0.4
    high_at: float = 0.8
    critical_at: float = 0.95
    min_dwell_ms: int = 10 * 60_000

    def __post_init__(self) -> None:
        if not 0.0 <= self.clear_at < self.raise_at <= self.high_at <= self.critical_at <= 1.0:
            raise ValueError(
                "need 0 <= clear_at < raise_at <= high_at <= critical_at <= 1, got "
                f"{self.clear_at}, {self.raise_at}, {self.high_at}, {self.critical_at}"
            )
        if self.min_dwell_ms < 0:
            raise ValueError("min_dwell_ms must not be negative")

    @property
    def margin(self) -> float:
        return self.raise_at - self.clear_at

    def band(self, p: float) -> Severity:
        """The severity of probability `p` for an open alert (never below medium)."""
        if p >= self.critical_at:
            return Severity.CRITICAL
        if p >= self.high_at:
            return Severity.HIGH
        return Severity.MEDIUM


_RANK = {severity: rank for rank, severity in enumerate(Severity)}


class Change(StrEnum):
    OPENED = "opened"
    SEVERITY = "severity"
    CLOSED = "closed"


@dataclass(frozen=True)
class OpenAlert:
    since_ms: int
    severity: Severity
    probability: float
    severity_since_ms: int


@dataclass(frozen=True)
class Decision:
    change: Change | None
    """What changed this step (None: nothing worth telling subscribers)."""
    alert: OpenAlert | None
    """The alert after the step: still open (possibly just opened), or the one just closed."""

    @property
    def is_open(self) -> bool:
        return self.alert is not None and self.change is not Change.CLOSED


class AlertBook:
    """Open alerts per (target, entity) and the rule that moves them."""

    def __init__(
        self, policy: AlertPolicy | None = None, policies: dict[str, AlertPolicy] | None = None
    ) -> None:
        self.policy = policy or AlertPolicy()
        self.policies = dict(policies or {})
        self._open: dict[AlertKey, OpenAlert] = {}

    def policy_for(self, target: str) -> AlertPolicy:
        return self.policies.get(target, self.policy)

    def restore(self, key: AlertKey, alert: OpenAlert) -> None:
        """Take back an alert still open in the graph (after a restart)."""
        self._open[key] = alert

    def get(self, key: AlertKey) -> OpenAlert | None:
        return self._open.get(key)

    def open_keys(self) -> list[AlertKey]:
        return list(self._open)

    def step(self, key: AlertKey, p: float, now_ms: int) -> Decision:
        policy = self.policy_for(key[0])
        current = self._open.get(key)
        if current is None:
            if p < policy.raise_at:
                return Decision(None, None)
            opened = OpenAlert(now_ms, policy.band(p), p, now_ms)
            self._open[key] = opened
            return Decision(Change.OPENED, opened)
        dwelt = now_ms - current.since_ms >= policy.min_dwell_ms
        if p <= policy.clear_at and dwelt:
            del self._open[key]
            return Decision(Change.CLOSED, replace(current, probability=p))
        severity = _next_severity(policy, current, p, now_ms)
        if severity is current.severity:
            updated = replace(current, probability=p)
            self._open[key] = updated
            return Decision(None, updated)
        updated = replace(current, probability=p, severity=severity, severity_since_ms=now_ms)
        self._open[key] = updated
        return Decision(Change.SEVERITY, updated)


def _next_severity(policy: AlertPolicy, current: OpenAlert, p: float, now_ms: int) -> Severity:
    band = policy.band(p)
    if _RANK[band] > _RANK[current.severity]:
        return band
    held = now_ms - current.severity_since_ms >= policy.min_dwell_ms
    lower = policy.band(p + policy.margin)
    if held and _RANK[lower] < _RANK[current.severity]:
        return lower
    return current.severity
