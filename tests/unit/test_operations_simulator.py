"""The operations simulator: determinism, causal chains on scripted scenarios, no leakage."""

from __future__ import annotations

import numpy as np
import pytest

from inference.simulation import (
    BadLot,
    ForcedFailure,
    History,
    Scenario,
    simulate,
    snapshot_at,
    snapshots,
)
from inference.simulation.features import FEATURES
from inference.snapshot import TARGETS

DAYS = 20.0


@pytest.fixture(scope="module")
def base() -> History:
    return simulate(1, DAYS)


def _late_wos(h: History) -> set[str]:
    return {w.id for w in h.work_orders if w.done_h is None or w.done_h > w.planned_end_h}


def _late_sos(h: History) -> set[str]:
    return {s.id for s in h.sales_orders if s.shipped_h is None or s.shipped_h > s.due_h}


def test_same_seed_same_snapshots_other_seed_differs(base: History) -> None:
    a = snapshots(base, every_h=24.0)
    b = snapshots(simulate(1, DAYS), every_h=24.0)
    c = snapshots(simulate(4, DAYS), every_h=24.0)
    assert len(a) == len(b) > 5
    for x, y in zip(a, b, strict=True):
        assert x.at == y.at
        for kind, table in x.nodes.items():
            assert table.ids == y.nodes[kind].ids
            np.testing.assert_array_equal(table.features, y.nodes[kind].features)
            assert table.feature_names == FEATURES[kind]
        assert x.edges.keys() == y.edges.keys()
        for key in x.edges:
            np.testing.assert_array_equal(x.edges[key], y.edges[key])
        for name in TARGETS:
            np.testing.assert_array_equal(x.labels[name].index, y.labels[name].index)
            np.testing.assert_array_equal(x.labels[name].y, y.labels[name].y)
    differs = any(
        not np.array_equal(x.nodes["machine"].features, z.nodes["machine"].features)
        for x, z in zip(a, c, strict=False)
    )
    assert differs


def test_every_target_has_both_classes(base: History) -> None:
    snaps = snapshots(base, every_h=12.0)
    for name in TARGETS:
        ys = np.concatenate([s.labels[name].y for s in snaps])
        assert 0 < ys.mean() < 1, name


def test_forced_failure_makes_exactly_the_downstream_orders_late(base: History) -> None:
    at, hours = 120.0, 36.0
    machine = base.structure.machine_ids[5]
    m = 5
    forced = simulate(1, DAYS, scenario=Scenario(failures=(ForcedFailure(machine, at, hours),)))
    # downstream: work orders with an operation on the machine not finished before the outage,
    # and the work orders their batches feed (the parents in the make-to-order chain)
    routed = {
        op.work_order
        for op in base.operations
        if op.machine == m and (op.end_h is None or op.end_h > at)
    }
    downstream = set(routed)
    for w in routed:
        parent = base.work_orders[w].parent
        while parent >= 0:
            downstream.add(parent)
            parent = base.work_orders[parent].parent
    downstream_ids = {base.work_orders[w].id for w in downstream}
    downstream_sos = {base.sales_orders[base.work_orders[w].sales_order].id for w in downstream}

    new_late_wos = _late_wos(forced) - _late_wos(base)
    new_late_sos = _late_sos(forced) - _late_sos(base)
    assert new_late_wos, "a 36 h outage must make some work order late"
    assert new_late_sos
    assert new_late_wos <= downstream_ids
    assert new_late_sos <= downstream_sos
    # nothing that had finished before the outage, or avoids the machine, moved
    for w0, w1 in zip(base.work_orders, forced.work_orders, strict=True):
        if w0.done_h is not None and w0.done_h <= at:
            assert w1.done_h == w0.done_h
    # orders outside the outage's reach keep their status, late or on time
    others = {w.id for w in base.work_orders} - downstream_ids
    assert _late_wos(forced) & others == _late_wos(base) & others
    other_sos = {s.id for s in base.sales_orders} - downstream_sos
    assert _late_sos(forced) & other_sos == _late_sos(base) & other_sos
    # the outage is labelled as a failure of that machine for the snapshot before it
    before = snapshot_at(forced, at - 12.0)
    lab = before.labels["machine_failure"]
    assert lab.y[list(lab.index).index(m)] == 1.0


def _descendants(h: History, lot: int) -> set[int]:
    found = {b for b, batch in enumerate(h.batches) if any(i == lot for i, _ in batch.lots)}
    grew = True
    while grew:
        more = {b for b, batch in enumerate(h.batches) if set(batch.batches) & found} - found
        found |= more
        grew = bool(more)
    return found


def test_bad_lot_marks_exactly_the_batches_that_consumed_it(base: History) -> None:
    supplier = base.structure.supplier_ids[base.structure.material_supplier[0]]
    bad = simulate(1, DAYS, scenario=Scenario(bad_lots=(BadLot(supplier, after_h=48.0),)))
    scripted = next(i for i, lot in enumerate(bad.lots) if lot.bad and not base.lots[i].bad)
    assert [lot.bad for i, lot in enumerate(bad.lots) if i != scripted] == [
        lot.bad for i, lot in enumerate(base.lots) if i != scripted
    ]
    reach = _descendants(bad, scripted)
    assert any(bad.batches[b].batches for b in reach) or len(reach) > 1
    newly_defective = {
        b
        for b, (x, y) in enumerate(zip(base.batches, bad.batches, strict=True))
        if y.defective and not x.defective
    }
    assert newly_defective and newly_defective <= reach
    assert all(bad.batches[b].defective for b in reach)
    escapes = {b for b in reach if not bad.batches[b].rejected}
    assert escapes and all(bad.batches[b].found_h is not None for b in escapes)
    for b, (x, y) in enumerate(zip(base.batches, bad.batches, strict=True)):
        if b not in reach:
            assert (x.defective, x.rejected, x.found_h) == (y.defective, y.rejected, y.found_h)


def test_features_use_only_the_past_and_labels_the_future(base: History) -> None:
    t, at = 96.0, 110.0
    machine = base.structure.machine_ids[2]
    forced = simulate(1, DAYS, scenario=Scenario(failures=(ForcedFailure(machine, at, 40.0),)))
    a, b = snapshot_at(base, t), snapshot_at(forced, t)
    for kind, table in a.nodes.items():
        assert table.ids == b.nodes[kind].ids
        np.testing.assert_array_equal(table.features, b.nodes[kind].features)
    ya = a.labels["machine_failure"].y[2]
    yb = b.labels["machine_failure"].y[2]
    assert yb == 1.0 and (
        ya == 0.0 or any(t < f.at_h <= t + 24 for f in base.failures if f.machine == 2)
    )
    changed = any(
        not np.array_equal(a.labels[n].y, b.labels[n].y)
        or not np.array_equal(a.labels[n].index, b.labels[n].index)
        for n in TARGETS
    )
    assert changed
