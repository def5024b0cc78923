"""One machine's physics, shaped like the AI4I 2020 predictive-maintenance data.

A `MachineModel` advances in simulated seconds. It is a pure function of its parameters,
its own random stream and the steps it is given (no clock, no I/O), so one seed gives one
history of states and values, which tests and the failure model can rely on.

What follows AI4I 2020 (Matzka, "Explainable AI for Predictive Maintenance", 2020):

- A *process* is one AI4I row. The tool is engaged throughout, so it lasts the minutes of
  wear it adds: 2, 3, 5 min for quality L, M, H (consecutive rows of the data: after an L
  row the wear grows by 2, after M by 3, after H by 5).
- Air temperature: a mean-reverting walk around 300 K, sd 2 K, slow. Process temperature:
  air + 10 K, its own walk (sd ~0.6 K), plus heat from the load.
- Torque ~ N(40, 10) Nm; speed follows the work order's power need (~6.3 kW at 40 Nm)
  and falls as torque rises (speed ~ torque ** -0.5, 1,168-2,886 rpm), so high torque means
  low speed, as in the data (correlation -0.87 there, about -0.8 here).
- Failures, checked per process on that process's conditions: tool wear (TWF) at a wear
  drawn in 200-240 min per tool; heat dissipation (HDF) when process - air < 8.6 K and
  speed < 1,380 rpm; power (PWF) when torque x angular speed < 3,500 W or > 9,000 W;
  overstrain (OSF) when wear x torque > 11,000 / 12,000 / 13,000 min Nm for L / M / H;
  random (RNF) with probability 0.1 % per process.

What is added so failures can be foreseen: torque grows with tool wear (a dull tool cuts
harder, pushing speed down and wear x torque up), and the cooler fouls while the machine
runs, shrinking the process-air gap towards the heat dissipation limit until a repair
cleans it. A failure takes the machine OutOfService (mode Maintenance) for a repair of
minutes to hours, then NotExecuting (Setup) to restart, then Executing. Tools are changed
when wear passes the machine's threshold, orders change over, and now and then the
machine is NotAvailable (a planned stop). Parts are counted at the ideal cycle time,
slowed by wear; scrap becomes likelier with wear and with process heat.
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass
from enum import StrEnum

from domain.states import MachineState


class Quality(StrEnum):
    """AI4I's product quality variant: harder work (H) engages the tool longer."""

    LOW = "L"
    MEDIUM = "M"
    HIGH = "H"


class Failure(StrEnum):
    """AI4I's failure modes, by their column names."""

    TOOL_WEAR = "TWF"
    HEAT_DISSIPATION = "HDF"
    POWER = "PWF"
    OVERSTRAIN = "OSF"
    RANDOM = "RNF"


class OperationMode(StrEnum):
    """MachineryOperationMode states (OPC 40001-1 §11); values are the state names."""

    NONE = "None"
    MAINTENANCE = "Maintenance"
    SETUP = "Setup"
    PROCESSING = "Processing"


MODE_OF_STATE = {
    MachineState.EXECUTING: OperationMode.PROCESSING,
    MachineState.NOT_EXECUTING: OperationMode.SETUP,
    MachineState.OUT_OF_SERVICE: OperationMode.MAINTENANCE,
    MachineState.NOT_AVAILABLE: OperationMode.NONE,
}

PROCESS_MINUTES = {Quality.LOW: 2.0, Quality.MEDIUM: 3.0, Quality.HIGH: 5.0}
QUALITY_SHARES = ((Quality.LOW, 0.6), (Quality.MEDIUM, 0.3), (Quality.HIGH, 0.1))
"""AI4I's mix of quality variants."""

# AI4I failure rules
HDF_MAX_GAP_K = 8.6
HDF_MAX_SPEED_RPM = 1_380.0
PWF_MIN_W = 3_500.0
PWF_MAX_W = 9_000.0
OSF_LIMIT_MIN_NM = {Quality.LOW: 11_000.0, Quality.MEDIUM: 12_000.0, Quality.HIGH: 13_000.0}
TOOL_LIFE_MIN = (200.0, 240.0)
RANDOM_FAILURE_P = 0.001

# Environment and load
AIR_MEAN_K = 300.0
AIR_SD_K = 2.0
AIR_TAU_S = 6 * 3600.0
GAP_MEAN_K = 10.0
GAP_SD_K = 0.6
GAP_TAU_S = 20 * 60.0
LOAD_HEAT_K_PER_KW = 0.3
"""Process heat from power above the usual 6.3 kW."""
NOMINAL_POWER_W = 6_300.0
TORQUE_MEAN_NM = 40.0
TORQUE_SD_NM = 10.0
TORQUE_RANGE_NM = (3.8, 76.6)
SPEED_RANGE_RPM = (1_168.0, 2_886.0)
SPEED_TORQUE_EXPONENT = 0.5
WEAR_TORQUE_NM_PER_MIN = 0.02
"""A dull tool needs more torque: +4 Nm at 200 min."""

# Operations
PLANNED_STOP_P = 0.004
"""Chance per process that the machine is stopped (NotAvailable) afterwards."""
REPAIR_MEDIAN_S = 30 * 60.0
REPAIR_RANGE_S = (10 * 60.0, 8 * 3600.0)
ORDER_HOURS = (1.0, 3.0)
"""How long a work order keeps the machine busy (its good parts at the ideal cycle time)."""


def power_w(torque_nm: float, speed_rpm: float) -> float:
    return torque_nm * speed_rpm * 2 * math.pi / 60


@dataclass(frozen=True, slots=True)
class ProcessConditions:
    """One process's nominal conditions: what AI4I's failure rules look at."""

    air_temperature: float
    process_temperature: float
    rotational_speed: float
    torque: float
    tool_wear: float
    """Minutes of wear at the end of the process."""

    @property
    def power(self) -> float:
        return power_w(self.torque, self.rotational_speed)


def failure_modes(
    c: ProcessConditions, quality: Quality, tool_life_min: float
) -> tuple[Failure, ...]:
    """The deterministic AI4I failure modes these conditions trigger (random ones aside)."""
    modes: list[Failure] = []
    if c.tool_wear >= tool_life_min:
        modes.append(Failure.TOOL_WEAR)
    gap = c.process_temperature - c.air_temperature
    if gap < HDF_MAX_GAP_K and c.rotational_speed < HDF_MAX_SPEED_RPM:
        modes.append(Failure.HEAT_DISSIPATION)
    if not PWF_MIN_W <= c.power <= PWF_MAX_W:
        modes.append(Failure.POWER)
    if c.tool_wear * c.torque > OSF_LIMIT_MIN_NM[quality]:
        modes.append(Failure.OVERSTRAIN)
    return tuple(modes)


def scrap_probability(tool_wear_min: float, process_temperature_k: float) -> float:
    """Chance a part is scrap: rises with the square of wear and with process heat."""
    wear = 0.05 * (tool_wear_min / TOOL_LIFE_MIN[1]) ** 2
    heat = 0.03 * max(0.0, process_temperature_k - 311.0)
    return min(0.5, 0.005 + wear + heat)


@dataclass(frozen=True, slots=True)
class MachineParams:
    ideal_cycle_time_s: float
    quality: Quality
    work_order_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reading:
    """What the machine's sensors and counters show; names follow `PROCESS_VARIABLES`."""

    air_temperature: float
    process_temperature: float
    rotational_speed: float
    torque: float
    tool_wear: float
    good_parts: int
    scrap_parts: int
    current_work_order_id: str


@dataclass(frozen=True, slots=True)
class Transition:
    at_s: float
    """Simulated seconds since the model started."""
    state: MachineState
    mode: OperationMode
    failures: tuple[Failure, ...] = ()
    """Why the machine went OutOfService (empty for every other transition)."""
    conditions: ProcessConditions | None = None
    """The failed process's nominal conditions (OutOfService only): the failure's label."""


@dataclass(slots=True)
class _Process:
    start_s: float
    end_s: float
    conditions: ProcessConditions
    heat_k: float
    slowdown: float
    fail_at_s: float | None
    failures: tuple[Failure, ...]


def _uniform_minutes(rng: random.Random, low: float, high: float) -> float:
    return rng.uniform(low, high) * 60


class MachineModel:
    """A machine that runs processes, wears its tool, fails, is repaired, counts parts."""

    def __init__(self, params: MachineParams, rng: random.Random) -> None:
        self.params = params
        self._rng = rng
        self.clock_s = 0.0
        # per machine, drawn once
        self.tool_change_at_min = rng.uniform(185.0, 225.0)
        self.fouling_k_per_h = rng.uniform(0.03, 0.12)
        # slow variables
        self.air_k = rng.gauss(AIR_MEAN_K, AIR_SD_K)
        self.gap_noise_k = rng.gauss(0.0, GAP_SD_K)
        self.fouling_k = rng.uniform(0.0, 0.8)
        self.tool_wear_min = rng.uniform(0.0, 0.9 * self.tool_change_at_min)
        self.tool_life_min = rng.uniform(*TOOL_LIFE_MIN)
        # counters and orders
        self.good_parts = 0
        self.scrap_parts = 0
        self._part_progress = 0.0
        self._order = -1
        self._order_good = 0
        self._order_target = 0
        self.order_power_w = NOMINAL_POWER_W
        self._next_order()
        # state: a short setup first, so machines start staggered
        self.state = MachineState.NOT_EXECUTING
        self.mode = OperationMode.SETUP
        self._until_s = _uniform_minutes(rng, 0.5, 5.0)
        self._queue: deque[tuple[MachineState, float]] = deque()
        self._process: _Process | None = None
        self.failures_by_mode: dict[Failure, int] = dict.fromkeys(Failure, 0)
        self.processes = 0

    # --- public -------------------------------------------------------------------------
    @property
    def work_order_id(self) -> str:
        ids = self.params.work_order_ids
        return ids[self._order] if ids else ""

    @property
    def process(self) -> ProcessConditions | None:
        """The running process's nominal conditions (None unless Executing)."""
        return self._process.conditions if self._process else None

    def step(self, dt_s: float) -> list[Transition]:
        """Advance `dt_s` simulated seconds; the state transitions on the way, in order."""
        if dt_s <= 0:
            raise ValueError("a step must move time forward")
        self._drift(dt_s)
        transitions: list[Transition] = []
        end = self.clock_s + dt_s
        while self.clock_s < end:
            if self.state is MachineState.EXECUTING:
                self._advance_executing(end, transitions)
            else:
                t = min(end, self._until_s)
                self.clock_s = t
                if t >= self._until_s:
                    self._leave_phase(transitions)
        return transitions

    def reading(self) -> Reading:
        """The sensors now: nominal process values plus a little measurement noise."""
        rng = self._rng
        p = self._process
        heat = p.heat_k if p else 0.0
        if p:
            speed = round(p.conditions.rotational_speed * (1 + rng.gauss(0.0, 0.004)))
            torque = round(max(0.0, p.conditions.torque + rng.gauss(0.0, 0.3)), 1)
        else:
            speed, torque = 0, 0.0
        return Reading(
            air_temperature=round(self.air_k, 1),
            process_temperature=round(self.air_k + self._gap(heat), 1),
            rotational_speed=float(speed),
            torque=torque,
            tool_wear=round(self.tool_wear_min, 1),
            good_parts=self.good_parts,
            scrap_parts=self.scrap_parts,
            current_work_order_id=self.work_order_id,
        )

    # --- time -----------------------------------------------------------------------------
    def _drift(self, dt_s: float) -> None:
        """Mean-reverting walks of air temperature and the process-air gap (exact OU steps)."""
        rng = self._rng
        a = math.exp(-dt_s / AIR_TAU_S)
        self.air_k = (
            AIR_MEAN_K
            + (self.air_k - AIR_MEAN_K) * a
            + AIR_SD_K * math.sqrt(1 - a * a) * rng.gauss(0.0, 1.0)
        )
        g = math.exp(-dt_s / GAP_TAU_S)
        self.gap_noise_k = self.gap_noise_k * g + GAP_SD_K * math.sqrt(1 - g * g) * rng.gauss(
            0.0, 1.0
        )

    def _gap(self, heat_k: float) -> float:
        return GAP_MEAN_K + self.gap_noise_k + heat_k - self.fouling_k

    def _advance_executing(self, end: float, transitions: list[Transition]) -> None:
        p = self._process
        assert p is not None
        event = p.end_s if p.fail_at_s is None else p.fail_at_s
        t = min(end, event)
        self._run(t - self.clock_s, p)
        self.clock_s = t
        if t < event:
            return
        if p.fail_at_s is not None:
            self._fail(p, transitions)
        else:
            self._finish_process(transitions)

    def _run(self, dt_s: float, p: _Process) -> None:
        """Executing for `dt_s`: the tool wears, the cooler fouls, parts come off."""
        if dt_s <= 0:
            return
        self.tool_wear_min += dt_s / 60
        self.fouling_k += self.fouling_k_per_h * dt_s / 3600
        cycle = (
            self.params.ideal_cycle_time_s
            * p.slowdown
            * (1 + 0.2 * self.tool_wear_min / TOOL_LIFE_MIN[1])
        )
        self._part_progress += dt_s / cycle
        parts = int(self._part_progress)
        if parts <= 0:
            return
        self._part_progress -= parts
        scrap_p = scrap_probability(self.tool_wear_min, self.air_k + self._gap(p.heat_k))
        scrap = sum(1 for _ in range(parts) if self._rng.random() < scrap_p)
        self.scrap_parts += scrap
        self.good_parts += parts - scrap
        self._order_good += parts - scrap

    # --- processes ------------------------------------------------------------------------
    def _start_process(self) -> None:
        rng = self._rng
        quality = self.params.quality
        power = self.order_power_w + rng.gauss(0.0, 300.0)
        torque = _clip(
            rng.gauss(TORQUE_MEAN_NM, TORQUE_SD_NM) + WEAR_TORQUE_NM_PER_MIN * self.tool_wear_min,
            TORQUE_RANGE_NM,
        )
        # The power need is met at the nominal torque; a harder cut (more torque) runs
        # slower, but less than in proportion (AI4I: speed ~ torque ** -0.5).
        omega = power / TORQUE_MEAN_NM * (TORQUE_MEAN_NM / torque) ** SPEED_TORQUE_EXPONENT
        speed = _clip(omega * 60 / (2 * math.pi) * (1 + rng.gauss(0.0, 0.04)), SPEED_RANGE_RPM)
        heat = LOAD_HEAT_K_PER_KW * (power_w(torque, speed) - NOMINAL_POWER_W) / 1000
        minutes = PROCESS_MINUTES[quality]
        conditions = ProcessConditions(
            air_temperature=self.air_k,
            process_temperature=self.air_k + self._gap(heat),
            rotational_speed=speed,
            torque=torque,
            tool_wear=self.tool_wear_min + minutes,
        )
        failures = failure_modes(conditions, quality, self.tool_life_min)
        if rng.random() < RANDOM_FAILURE_P:
            failures = (*failures, Failure.RANDOM)
        start, end = self.clock_s, self.clock_s + minutes * 60
        fail_at = None
        if failures:
            if failures == (Failure.TOOL_WEAR,):  # the tool breaks when its life is used up
                fail_at = start + max(1.0, (self.tool_life_min - self.tool_wear_min) * 60)
            else:
                fail_at = start + rng.uniform(0.2, 1.0) * (end - start)
            fail_at = min(fail_at, end)
        slowdown = 1 + rng.uniform(0.0, 0.08)
        self._process = _Process(start, end, conditions, heat, slowdown, fail_at, failures)
        self.processes += 1

    def _finish_process(self, transitions: list[Transition]) -> None:
        rng = self._rng
        setup_s = 0.0
        if self.tool_wear_min >= self.tool_change_at_min:
            self._new_tool()
            setup_s += _uniform_minutes(rng, 8, 20)
        if self.params.work_order_ids and self._order_good >= self._order_target:
            self._next_order()
            setup_s += _uniform_minutes(rng, 5, 15)
        if setup_s:
            self._enter(MachineState.NOT_EXECUTING, setup_s, transitions)
        elif rng.random() < PLANNED_STOP_P:
            self._enter(MachineState.NOT_AVAILABLE, _uniform_minutes(rng, 20, 90), transitions)
            self._queue.append((MachineState.NOT_EXECUTING, _uniform_minutes(rng, 2, 6)))
        else:
            self._start_process()

    def _fail(self, p: _Process, transitions: list[Transition]) -> None:
        rng = self._rng
        failures = p.failures
        for mode in failures:
            self.failures_by_mode[mode] += 1
        repair = _clip(REPAIR_MEDIAN_S * math.exp(rng.gauss(0.0, 0.7)), REPAIR_RANGE_S)
        if Failure.TOOL_WEAR in failures or Failure.OVERSTRAIN in failures:
            self._new_tool()
        if Failure.HEAT_DISSIPATION in failures:
            self.fouling_k = 0.0  # the repair cleans the cooler
        self._enter(MachineState.OUT_OF_SERVICE, repair, transitions, failures, p.conditions)
        self._queue.append((MachineState.NOT_EXECUTING, _uniform_minutes(rng, 3, 10)))

    def _new_tool(self) -> None:
        self.tool_wear_min = 0.0
        self.tool_life_min = self._rng.uniform(*TOOL_LIFE_MIN)

    def _next_order(self) -> None:
        rng = self._rng
        ids = self.params.work_order_ids
        self._order = (self._order + 1) % len(ids) if ids else -1
        self._order_good = 0
        hours = rng.uniform(*ORDER_HOURS)
        self._order_target = max(1, round(hours * 3600 / self.params.ideal_cycle_time_s))
        self.order_power_w = _clip(rng.gauss(NOMINAL_POWER_W, 450.0), (4_500.0, 8_500.0))

    # --- states ---------------------------------------------------------------------------
    def _enter(
        self,
        state: MachineState,
        duration_s: float,
        transitions: list[Transition],
        failures: tuple[Failure, ...] = (),
        conditions: ProcessConditions | None = None,
    ) -> None:
        self._process = None
        self.state = state
        self.mode = MODE_OF_STATE[state]
        self._until_s = self.clock_s + duration_s
        transitions.append(Transition(self.clock_s, state, self.mode, failures, conditions))

    def _leave_phase(self, transitions: list[Transition]) -> None:
        if self._queue:
            state, duration = self._queue.popleft()
            self._enter(state, duration, transitions)
            return
        self.state = MachineState.EXECUTING
        self.mode = OperationMode.PROCESSING
        transitions.append(Transition(self.clock_s, self.state, self.mode))
        self._start_process()


def _clip(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def machine_rng(seed: int, machine_id: str) -> random.Random:
    """Each machine's own stream: adding or removing machines changes no other machine."""
    return random.Random(f"factorygraph-plant-sim:{seed}:{machine_id}")


def draw_quality(rng: random.Random) -> Quality:
    roll = rng.random()
    for quality, share in QUALITY_SHARES:
        if roll < share:
            return quality
        roll -= share
    return Quality.LOW
