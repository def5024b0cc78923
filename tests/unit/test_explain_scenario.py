"""Explanations name the scripted cause: a supplier's bad lot in a simulated plant.

A small GNN is trained on two ordinary simulated plants; then a held-out plant gets one
scripted bad lot. A day after quality has found the third batch made from it defective,
every still-open batch that consumed the lot is explained, and the lot (or its supplier)
must be among the top neighbouring drivers. The same batches in the same plant without
the script must not blame that lot as much: the explanation follows the cause, not the
topology.

What the data can tell decides the scenario. Lots of different materials bought and used
in lockstep go into exactly the same batches, so every found defect implicates them
equally and no model can single one out (the plant's first material is such a case: its
lot shares all its batches with three others), nor can one found batch, which
implicates every lot it consumed. So the script takes the first supplier (in material
order) whose bad lot shares its set of batches with no other lot, and the check waits for
three found batches.
"""

from __future__ import annotations

import numpy as np
import pytest

from inference.model.explain import Explanation, explain
from inference.model.hetero_gnn import to_tensors
from inference.model.train import TrainConfig, TrainedModel, fit
from inference.simulation import BadLot, History, Scenario, simulate, snapshot_at, snapshots
from inference.snapshot import GraphSnapshot

DAYS = 20.0
TARGET = "batch_quality_escape"
TOP = 3
QUICK = TrainConfig(epochs=8, hidden=32, seed=0, targets=(TARGET,), progress=False)
SCENARIO_SEED = 5
"""A plant the model never saw."""


@pytest.fixture(scope="module")
def trained() -> TrainedModel:
    train = [s for seed in (1, 2) for s in snapshots(simulate(seed, DAYS), 12.0)]
    val = snapshots(simulate(3, DAYS), 12.0)
    return fit(train, val, QUICK)


def _found_h(h: History, lot: int, nth: int) -> float:
    """When quality learns of the ``nth`` (1-based) defective batch made from ``lot``."""
    hours = []
    for b in _made_from(h, lot):
        batch = h.batches[b]
        if batch.rejected:
            hours.append(batch.done_h)
        elif batch.found_h is not None:
            hours.append(batch.found_h)
    return sorted(hours)[nth - 1]


def _made_from(h: History, lot: int) -> set[int]:
    return {b for _, _, b in h.lots[lot].uses if b >= 0}


def _distinguishable_bad_lot(base: History) -> tuple[str, History, int]:
    """The first supplier, in material order, whose scripted bad lot feeds a set of batches
    no other lot feeds exactly: (supplier, the scripted history, the bad lot)."""
    for sup in base.structure.material_supplier:
        supplier = base.structure.supplier_ids[sup]
        bad = simulate(
            SCENARIO_SEED, DAYS, scenario=Scenario(bad_lots=(BadLot(supplier, after_h=48.0),))
        )
        lot = next(i for i, x in enumerate(bad.lots) if x.bad and not base.lots[i].bad)
        made = _made_from(bad, lot)
        co_consumed = {i for b in made for i, _ in bad.batches[b].lots} - {lot}
        if all(_made_from(bad, i) != made for i in co_consumed):
            return supplier, bad, lot
    raise AssertionError("no material's bad lot is distinguishable in this plant")


def _explain_consumers(
    m: TrainedModel, snap: GraphSnapshot, batch_ids: list[str]
) -> dict[str, Explanation]:
    g = to_tensors(snap, m.std, m.config)
    names = {t: s.feature_names for t, s in m.std.stats.items()}
    rows = snap.nodes["batch"].ids
    return {
        b: explain(m.model, g, snap, TARGET, rows.index(b), names, top_neighbours=64)
        for b in batch_ids
    }


def test_bad_lot_is_named_in_the_explanations_of_its_batches(trained: TrainedModel) -> None:
    base = simulate(SCENARIO_SEED, DAYS)
    supplier, bad, lot = _distinguishable_bad_lot(base)
    lot_id = bad.lots[lot].id
    t = _found_h(bad, lot, nth=3) + 24.0
    snap, snap_base = snapshot_at(bad, t), snapshot_at(base, t)

    labelled = {snap.nodes["batch"].ids[r] for r in snap.labels[TARGET].index}
    consumers = sorted({bad.batches[b].id for b in _made_from(bad, lot)} & labelled)
    assert len(consumers) >= 3, "the scenario should leave several open batches to explain"

    causes = {("material_lot", lot_id), ("supplier", supplier)}
    scripted = _explain_consumers(trained, snap, consumers)
    ranks = {
        b: next((k for k, n in enumerate(e.neighbours) if (n.node_type, n.id) in causes), 99)
        for b, e in scripted.items()
    }
    assert all(r < TOP for r in ranks.values()), ranks

    # Without the script the same lot exists and feeds the same batches, but is no driver.
    unscripted = _explain_consumers(trained, snap_base, consumers)

    def drop(e: Explanation) -> float:
        return max(
            (n.score_drop for n in e.neighbours if (n.node_type, n.id) in causes), default=0.0
        )

    with_cause = np.array([drop(scripted[b]) for b in consumers])
    without = np.array([drop(unscripted[b]) for b in consumers])
    assert np.all(with_cause > without), (with_cause, without)
    assert float(np.mean([scripted[b].probability for b in consumers])) > float(
        np.mean([unscripted[b].probability for b in consumers])
    )
