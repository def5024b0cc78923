"""The simulated machine's physics: deterministic, AI4I's failure rules, wear, repairs, scrap."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from domain.states import MachineState
from ingest.demo.plant import generate_plant
from ingest.demo.scale import parse_scale
from ingest.opcua.address_space import OPERATION_MODES, PROCESS_VARIABLES
from ingest.plant_sim import physics
from ingest.plant_sim.machines import sim_machines
from ingest.plant_sim.physics import (
    MODE_OF_STATE,
    Failure,
    MachineModel,
    MachineParams,
    OperationMode,
    ProcessConditions,
    Quality,
    Reading,
    Transition,
    failure_modes,
    machine_rng,
    scrap_probability,
)
from ingest.plant_sim.simulator import Plant, merge

STEP_S = 30.0


def model(seed: int = 7, quality: Quality = Quality.LOW, cycle_s: float = 2.0) -> MachineModel:
    params = MachineParams(cycle_s, quality, ("WO-1", "WO-2", "WO-3"))
    return MachineModel(params, machine_rng(seed, "M-TEST"))


def run(m: MachineModel, hours: float, step_s: float = STEP_S) -> Iterator[list[Transition]]:
    for _ in range(int(hours * 3600 / step_s)):
        yield m.step(step_s)


def history(m: MachineModel, hours: float) -> list[tuple[list[Transition], Reading]]:
    return [(t, m.reading()) for t in run(m, hours)]


def conditions(**kw: float) -> ProcessConditions:
    base = {
        "air_temperature": 300.0,
        "process_temperature": 310.0,
        "rotational_speed": 1_500.0,
        "torque": 40.0,
        "tool_wear": 100.0,
    }
    base.update(kw)
    return ProcessConditions(**base)


# --- determinism -----------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_history_and_another_seed_another() -> None:
    first, second, other = history(model(7), 30), history(model(7), 30), history(model(8), 30)
    assert first == second
    assert first != other
    transitions = [t for step, _ in first for t in step]
    assert {t.state for t in transitions} >= {MachineState.EXECUTING, MachineState.NOT_EXECUTING}


def test_a_plant_ticks_the_same_for_a_seed_and_machines_do_not_disturb_each_other() -> None:
    machines = sim_machines("small", 42, 6)
    a, b = Plant(machines, 42, STEP_S), Plant(machines, 42, STEP_S)
    fewer = Plant(machines[:3], 42, STEP_S)
    first = a.initial()
    assert first == b.initial()
    assert first[:3] == fewer.initial()
    for _ in range(400):
        ticks_a, ticks_b, ticks_fewer = a.tick(), b.tick(), fewer.tick()
        assert ticks_a == ticks_b
        # the first three machines do exactly what they do in the larger plant
        assert [u for u in ticks_a if u.machine_id in {"M-0001", "M-0002", "M-0003"}] == ticks_fewer


def test_ticks_report_only_changes_and_merging_keeps_every_transition() -> None:
    plant = Plant(sim_machines("small", 42, 4), 42, STEP_S)
    shown = {u.machine_id: dict(u.values) for u in plant.initial()}
    assert all(set(v) == {p.browse_name for p in PROCESS_VARIABLES} for v in shown.values())
    batches = [plant.tick() for _ in range(200)]
    for batch in batches:
        for u in batch:
            assert u.transitions or u.values
            for name, value in u.values.items():
                assert shown[u.machine_id][name] != value  # only what changed is written
                shown[u.machine_id][name] = value
    merged = {u.machine_id: u for u in merge(batches)}
    for machine_id, last in shown.items():
        assert {**merged[machine_id].values} == {
            k: v for k, v in last.items() if k in merged[machine_id].values
        }
        every = [
            t
            for batch in batches
            for u in batch
            if u.machine_id == machine_id
            for t in u.transitions
        ]
        assert merged[machine_id].transitions == every


def test_modes_are_the_machinery_operation_modes() -> None:
    assert {m.value for m in OperationMode} == set(OPERATION_MODES)
    assert set(MODE_OF_STATE) == set(MachineState)
    fields = set(Reading.__dataclass_fields__)
    assert fields == {v.property for v in PROCESS_VARIABLES}


# --- wear ------------------------------------------------------------------------------------


def test_tool_wear_grows_with_executing_time_and_resets_on_tool_change() -> None:
    m = model(3)
    grew = resets = 0
    previous_wear, previous_state = m.tool_wear_min, m.state
    for transitions in run(m, 60):
        if not transitions and previous_state is MachineState.EXECUTING:
            # a whole step executing: exactly its minutes of wear
            assert m.tool_wear_min == pytest.approx(previous_wear + STEP_S / 60)
            grew += 1
        elif not transitions:
            assert m.tool_wear_min == previous_wear  # no wear while stopped
        if m.tool_wear_min < previous_wear:
            resets += 1
            assert any(t.state is not MachineState.EXECUTING for t in transitions)
            assert m.tool_wear_min < STEP_S / 60 + 1e-9  # a new tool, at most one step old
        previous_wear, previous_state = m.tool_wear_min, m.state
    assert grew > 1000
    assert resets >= 10


def test_a_worn_tool_is_changed_in_setup_before_it_breaks() -> None:
    m = model(5)
    m.tool_life_min = 1_000.0  # it would last: the planned change happens first
    m.tool_change_at_min = 60.0
    m.tool_wear_min = 55.0
    setups = []
    for transitions in run(m, 3):
        for t in transitions:
            if t.state is MachineState.NOT_EXECUTING and m.tool_wear_min == 0.0:
                setups.append(t)
    assert setups
    assert all(t.mode is OperationMode.SETUP for t in setups)


# --- failures --------------------------------------------------------------------------------


def test_failure_rules_are_ai4i_rules() -> None:
    ok = conditions()
    assert failure_modes(ok, Quality.LOW, tool_life_min=220) == ()
    # heat dissipation: both a small gap and a slow spindle
    hdf = conditions(process_temperature=308.5, rotational_speed=1_370.0, torque=30.0)
    assert failure_modes(hdf, Quality.LOW, 220) == (Failure.HEAT_DISSIPATION,)
    assert failure_modes(conditions(process_temperature=308.5), Quality.LOW, 220) == ()
    assert failure_modes(conditions(rotational_speed=1_370.0, torque=30.0), Quality.LOW, 220) == ()
    # power: torque x angular speed outside 3,500-9,000 W
    assert failure_modes(conditions(torque=20.0), Quality.LOW, 220) == (Failure.POWER,)
    low = conditions(torque=20.0, rotational_speed=1_700.0)
    assert low.power == pytest.approx(20 * 1_700 * 2 * math.pi / 60)
    high = conditions(torque=60.0, rotational_speed=1_500.0)
    assert failure_modes(high, Quality.HIGH, 220) == (Failure.POWER,)
    # overstrain: wear x torque over 11,000 / 12,000 / 13,000 min Nm
    strained = conditions(tool_wear=190.0, torque=60.0, rotational_speed=1_400.0)  # 11,400
    assert Failure.OVERSTRAIN in failure_modes(strained, Quality.LOW, 220)
    assert Failure.OVERSTRAIN not in failure_modes(strained, Quality.MEDIUM, 220)
    assert Failure.OVERSTRAIN not in failure_modes(strained, Quality.HIGH, 220)
    # tool wear: at the tool's drawn life
    assert failure_modes(conditions(tool_wear=205.0), Quality.HIGH, 205.0) == (Failure.TOOL_WEAR,)
    assert failure_modes(conditions(tool_wear=204.0), Quality.HIGH, 205.0) == ()


def outages(m: MachineModel, hours: float) -> list[list[Transition]]:
    """Each failure with the transitions that follow it until the machine executes again."""
    found: list[list[Transition]] = []
    for transitions in run(m, hours):
        for t in transitions:
            if t.state is MachineState.OUT_OF_SERVICE:
                found.append([t])
            elif found and found[-1][-1].state is not MachineState.EXECUTING:
                found[-1].append(t)
    return found


def assert_repaired(failure: list[Transition]) -> None:
    """OutOfService (Maintenance) for a repair time, then NotExecuting, then Executing."""
    down, *rest = failure
    assert down.mode is OperationMode.MAINTENANCE
    assert [t.state for t in rest] == [MachineState.NOT_EXECUTING, MachineState.EXECUTING]
    repair = rest[0].at_s - down.at_s
    low, high = physics.REPAIR_RANGE_S
    assert low - STEP_S <= repair <= high + STEP_S


def first_failure(m: MachineModel) -> tuple[list[Transition], float, float]:
    """The first failure with its repair, and the tool wear and fouling just after it."""
    failure: list[Transition] = []
    wear = fouling = math.nan
    for transitions in run(m, 12):
        for t in transitions:
            if not failure and t.state is MachineState.OUT_OF_SERVICE:
                failure = [t]
                wear, fouling = m.tool_wear_min, m.fouling_k
            elif failure:
                failure.append(t)
        if len(failure) >= 3:
            return failure[:3], wear, fouling
    raise AssertionError("no failure and repair within 12 simulated hours")


def test_heat_dissipation_failure_when_the_cooler_is_fouled() -> None:
    m = model(11)
    m.fouling_k = 4.0  # gap ~6 K: any slow process fails
    m.fouling_k_per_h = 0.0
    m.tool_life_min = m.tool_change_at_min = 10_000.0
    failure, _, fouling = first_failure(m)
    assert failure[0].failures == (Failure.HEAT_DISSIPATION,)
    c = failure[0].conditions
    assert c is not None
    assert c.process_temperature - c.air_temperature < physics.HDF_MAX_GAP_K
    assert c.rotational_speed < physics.HDF_MAX_SPEED_RPM
    assert fouling == 0.0  # the repair cleaned it
    assert_repaired(failure)


def test_power_failure_when_the_product_needs_too_much_power() -> None:
    m = model(12)
    m.order_power_w = 9_800.0
    failure, _, _ = first_failure(m)
    assert Failure.POWER in failure[0].failures
    c = failure[0].conditions
    assert c is not None and not physics.PWF_MIN_W <= c.power <= physics.PWF_MAX_W
    assert_repaired(failure)


def test_overstrain_failure_with_a_worn_tool_under_high_torque() -> None:
    m = model(13, Quality.LOW)
    m.tool_life_min = m.tool_change_at_min = 10_000.0
    m.tool_wear_min = 240.0
    failure, wear, _ = first_failure(m)
    assert Failure.OVERSTRAIN in failure[0].failures
    c = failure[0].conditions
    assert c is not None and c.tool_wear * c.torque > 11_000
    assert wear == 0.0  # the strained tool was replaced
    assert_repaired(failure)


def test_tool_wear_failure_at_the_tools_life() -> None:
    m = model(14, Quality.HIGH)
    m.tool_change_at_min = 10_000.0  # nobody changes it in time
    m.tool_life_min = 205.0
    m.tool_wear_min = 201.0
    failure, wear, _ = first_failure(m)
    assert Failure.TOOL_WEAR in failure[0].failures
    c = failure[0].conditions
    assert c is not None and c.tool_wear >= 205.0
    assert wear == 0.0
    assert_repaired(failure)


def test_random_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(physics, "RANDOM_FAILURE_P", 1.0)
    failure, _, _ = first_failure(model(15))
    assert Failure.RANDOM in failure[0].failures
    assert_repaired(failure)


def test_every_failure_in_a_long_run_is_explained_by_its_conditions() -> None:
    seen: dict[Failure, int] = dict.fromkeys(Failure, 0)
    processes = 0
    for seed in range(6):
        m = model(seed, (Quality.LOW, Quality.MEDIUM, Quality.HIGH)[seed % 3])
        for failure in outages(m, 150):
            down = failure[0]
            c = down.conditions
            assert c is not None and down.failures
            for mode in down.failures:
                seen[mode] += 1
            explained = set(failure_modes(c, m.params.quality, tool_life_min=1e9))
            for mode in down.failures:
                if mode is Failure.TOOL_WEAR:
                    assert c.tool_wear >= physics.TOOL_LIFE_MIN[0]
                elif mode is not Failure.RANDOM:
                    assert mode in explained
            if len(failure) == 3:
                assert_repaired(failure)
        processes += m.processes
    assert all(count > 0 for count in seen.values()), seen
    rate = sum(seen.values()) / processes
    assert 0.005 < rate < 0.08  # AI4I: 3.4 % of processes end in a failure


def test_degradation_shows_before_failures() -> None:
    """Torque climbs with tool wear; the process-air gap shrinks as the cooler fouls."""
    m = model(21)
    processes: dict[int, tuple[ProcessConditions, float]] = {}
    for _ in run(m, 300):
        c = m.process
        if c is not None:
            processes.setdefault(id(c), (c, m.fouling_k))
    runs = list(processes.values())

    def mean(xs: list[float]) -> float:
        assert len(xs) > 100
        return sum(xs) / len(xs)

    fresh = mean([c.torque for c, _ in runs if c.tool_wear < 50])
    worn = mean([c.torque for c, _ in runs if c.tool_wear > 150])
    assert worn > fresh + 1.5
    clean = mean([c.process_temperature - c.air_temperature for c, f in runs if f < 0.3])
    fouled = mean([c.process_temperature - c.air_temperature for c, f in runs if f > 0.6])
    assert fouled < clean - 0.3


# --- parts and scrap -------------------------------------------------------------------------


def test_scrap_probability_rises_with_wear_and_heat() -> None:
    assert scrap_probability(0, 309) < scrap_probability(120, 309) < scrap_probability(230, 309)
    assert scrap_probability(100, 309) < scrap_probability(100, 312) < scrap_probability(100, 314)
    assert 0 < scrap_probability(0, 300) < 0.01
    assert scrap_probability(10_000, 400) == 0.5


def test_parts_come_at_the_ideal_cycle_time_and_scrap_follows_wear() -> None:
    cycle_s = 1.5
    m = model(32, cycle_s=cycle_s)
    fresh = [0, 0]  # [parts, scrap] while the tool is fresh
    worn = [0, 0]  # ... and while it is worn
    previous = (m.good_parts, m.scrap_parts)
    for transitions in run(m, 300):
        good, scrap = m.good_parts - previous[0], m.scrap_parts - previous[1]
        previous = (m.good_parts, m.scrap_parts)
        assert good >= 0 and scrap >= 0
        if transitions:
            continue
        if m.state is not MachineState.EXECUTING:
            assert good == scrap == 0  # nothing comes off a stopped machine
            continue
        # never faster than the ideal cycle time, slowed by at most 8 % and 20 % for wear
        assert STEP_S / (cycle_s * 1.08 * 1.2) - 1 <= good + scrap <= STEP_S / cycle_s + 1
        bucket = fresh if m.tool_wear_min < 80 else worn if m.tool_wear_min > 160 else None
        if bucket is not None:
            bucket[0] += good + scrap
            bucket[1] += scrap
    assert fresh[0] > 1000 and worn[0] > 1000
    assert worn[1] / worn[0] > 1.5 * fresh[1] / fresh[0]


def test_work_orders_cycle_through_the_machines_orders() -> None:
    m = model(41, cycle_s=0.5)  # short orders
    seen = [m.work_order_id]
    for _ in run(m, 48):
        if m.work_order_id != seen[-1]:
            seen.append(m.work_order_id)
    assert seen[:4] == ["WO-1", "WO-2", "WO-3", "WO-1"]


# --- which machines ----------------------------------------------------------------------------


def test_the_plants_machines_carry_their_routing_and_extra_ones_are_synthetic() -> None:
    plant = generate_plant(parse_scale("small"), 42)
    records = plant.equipment.machines
    machines = sim_machines("small", 42, len(records) + 7)
    real, extra = machines[: len(records)], machines[len(records) :]
    assert [(m.id, m.manufacturer, m.serial_number) for m in real] == [
        (r.id, r.manufacturer, r.serial_number) for r in records
    ]
    assert not any(m.synthetic for m in real)
    index = {r.id: i for i, r in enumerate(records)}
    by_id = {wo.id: wo for wo in plant.production.work_orders}
    for m in real:
        assert m.product_instance_uri == f"urn:factorygraph:machine:{m.id}"
        assert m.work_order_ids, m.id
        orders = [by_id[w] for w in m.work_order_ids]
        assert all(any(op == index[m.id] for op, _ in wo.ops) for wo in orders)
        done = [wo.status == "completed" for wo in orders]
        assert done == sorted(done)  # open orders first
        assert m.ideal_cycle_time_s > 0
    assert [m.id for m in extra] == [f"M-{n:04d}" for n in range(21, 28)]
    assert all(m.synthetic for m in extra)
    assert len({m.serial_number for m in machines}) == len(machines)
    kinds = {(m.kind, m.ideal_cycle_time_s) for m in real}
    assert all((m.kind, m.ideal_cycle_time_s) in kinds for m in extra)
    assert sim_machines("small", 42, 5) == machines[:5]
