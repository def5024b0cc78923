"""The plant's clock: advance every machine by a fixed simulated step, write what changed.

`Plant` is the deterministic part: tick k always advances each machine by the same
simulated step and yields the same transitions and values, whatever the wall clock did.
`run_simulator` maps ticks onto real time (`rate_hz` ticks a second, `time_scale`
simulated seconds per real second) and writes to a `PlantServer`. When writing falls
behind, the due ticks are still computed one by one, and their results are written
together (every transition, the latest values), so the plant keeps to real time without
changing its history. Source timestamps are the scheduled instants, not the moment of
writing: tick k is stamped start + k / rate, a transition at its own simulated instant.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ingest.opcua import address_space as space
from ingest.plant_sim.machines import SimMachine
from ingest.plant_sim.physics import (
    MachineModel,
    MachineParams,
    OperationMode,
    Transition,
    machine_rng,
)
from ingest.plant_sim.server import PlantServer

log = logging.getLogger(__name__)

DEFAULT_TIME_SCALE = 60.0
"""A simulated minute per real second: a demo shows failures and repairs within minutes."""
STATS_EVERY_S = 10.0

Value = float | int | str


@dataclass(slots=True)
class MachineUpdate:
    """What one machine did in one or more ticks: its transitions and the values that changed."""

    machine_id: str
    transitions: list[Transition] = field(default_factory=list)
    values: dict[str, Value] = field(default_factory=dict)
    """Monitoring browse name -> new value."""


class Plant:
    """Every machine's model, advanced in lockstep by a fixed simulated step."""

    def __init__(self, machines: list[SimMachine], seed: int, step_s: float) -> None:
        if step_s <= 0:
            raise ValueError("the simulated step must be positive")
        self.step_s = step_s
        self.ticks = 0
        self.machines = machines
        self.models = [
            MachineModel(
                MachineParams(m.ideal_cycle_time_s, m.quality, m.work_order_ids),
                machine_rng(seed, m.id),
            )
            for m in machines
        ]
        self._shown: list[dict[str, Value]] = [{} for _ in machines]

    @property
    def clock_s(self) -> float:
        return self.ticks * self.step_s

    def initial(self) -> list[MachineUpdate]:
        """Every machine's state and every value, as at simulated time 0."""
        updates = []
        for i, (m, model) in enumerate(zip(self.machines, self.models, strict=True)):
            first = Transition(0.0, model.state, model.mode)
            self._shown[i] = _values(model)
            updates.append(MachineUpdate(m.id, [first], dict(self._shown[i])))
        return updates

    def tick(self) -> list[MachineUpdate]:
        """Advance one step; only machines with a transition or a changed value appear."""
        self.ticks += 1
        updates = []
        for i, (m, model) in enumerate(zip(self.machines, self.models, strict=True)):
            transitions = model.step(self.step_s)  # at simulated instants since the start
            now = _values(model)
            shown = self._shown[i]
            changed = {k: v for k, v in now.items() if shown.get(k) != v}
            if transitions or changed:
                shown.update(changed)
                updates.append(MachineUpdate(m.id, transitions, changed))
        return updates


def _values(model: MachineModel) -> dict[str, Value]:
    reading = model.reading()
    return {v.browse_name: getattr(reading, v.property) for v in space.PROCESS_VARIABLES}


def merge(batches: list[list[MachineUpdate]]) -> list[MachineUpdate]:
    """Several ticks' updates as one: every transition in order, each variable's last value."""
    merged: dict[str, MachineUpdate] = {}
    for batch in batches:
        for u in batch:
            into = merged.setdefault(u.machine_id, MachineUpdate(u.machine_id))
            into.transitions += u.transitions
            into.values.update(u.values)
    return list(merged.values())


async def write_updates(
    server: PlantServer,
    updates: list[MachineUpdate],
    *,
    start: datetime,
    time_scale: float,
    at: datetime,
) -> int:
    """Write transitions, each stamped start + its simulated instant / time_scale, then the
    values, stamped `at`; returns the number of writes."""
    before = server.writes
    for u in updates:
        for t in u.transitions:
            when = start + timedelta(seconds=t.at_s / time_scale)
            await server.set_state(u.machine_id, t.state, when)
            await server.set_operation_mode(u.machine_id, OperationMode(t.mode).value, when)
        if u.values:
            await server.set_values(u.machine_id, u.values, at)
    return server.writes - before


async def run_simulator(
    server: PlantServer,
    plant: Plant,
    *,
    rate_hz: float,
    stop: asyncio.Event,
) -> None:
    """Tick `rate_hz` times a real second until `stop` is set (time scale: step x rate)."""
    if rate_hz <= 0:
        raise ValueError("the rate must be positive")
    period = 1.0 / rate_hz
    time_scale = plant.step_s * rate_hz
    start_wall = datetime.now(UTC)
    start_mono = time.monotonic()
    await write_updates(
        server, plant.initial(), start=start_wall, time_scale=time_scale, at=start_wall
    )
    log.info(
        "plant_sim.running machines=%d rate_hz=%g time_scale=%g step_s=%g",
        len(plant.machines),
        rate_hz,
        time_scale,
        plant.step_s,
    )
    stats_at, stats_writes, stats_ticks, behind = start_mono, server.writes, 0, 0
    while not stop.is_set():
        next_tick = start_mono + (plant.ticks + 1) * period
        delay = next_tick - time.monotonic()
        if delay > 0:
            try:
                await asyncio.wait_for(stop.wait(), timeout=delay)
                break
            except TimeoutError:
                pass
        due = int((time.monotonic() - start_mono) / period) - plant.ticks
        batches = [plant.tick() for _ in range(max(1, due))]
        if len(batches) > 1:
            behind += len(batches) - 1
        at = start_wall + timedelta(seconds=plant.ticks * period)
        await write_updates(server, merge(batches), start=start_wall, time_scale=time_scale, at=at)
        stats_ticks += len(batches)
        now = time.monotonic()
        if now - stats_at >= STATS_EVERY_S:
            writes = server.writes - stats_writes
            log.info(
                "plant_sim.stats ticks=%d writes=%d writes_per_s=%.0f ticks_merged=%d sim_h=%.2f",
                stats_ticks,
                writes,
                writes / (now - stats_at),
                behind,
                plant.clock_s / 3600,
            )
            stats_at, stats_writes, stats_ticks, behind = now, server.writes, 0, 0
