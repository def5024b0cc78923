"""Explanations name the scripted cause: a supplier's bad lot in a simulated plant.

A small GNN is trained on two ordinary simulated plants; then a held-out plant gets one
scripted bad lot. A day after quality first finds a batch made from it defective, every
still-open batch that consumed the lot is explained, and the lot (or its supplier) must be
among the top neighbouring drivers. The same batches in the same plant without the
script must not blame that lot as much: the explanation follows the cause, not the
topology.
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


def _found_h(h: History, lot: int) -> float:
    """When quality first learns of a defective batch made from ``lot``."""
    hours = []
    for b in {u[2] for u in h.lots[lot].uses if u[2] >= 0}:
        batch = h.batches[b]
        if batch.rejected:
            hours.append(batch.done_h)
        elif batch.found_h is not None:
            hours.append(batch.found_h)
    return min(hours)


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


@pytest.mark.xfail(
    strict=False,
    reason="open: the small model spreads the blame over every lot a batch consumed "
    "(co-consumed good lots share its found-defective batches); the scripted lot ranks "
    "4th-6th of the neighbours at found+24 h in seed 5",
)
def test_bad_lot_is_named_in_the_explanations_of_its_batches(trained: TrainedModel) -> None:
    base = simulate(SCENARIO_SEED, DAYS)
    supplier = base.structure.supplier_ids[base.structure.material_supplier[0]]
    bad = simulate(
        SCENARIO_SEED, DAYS, scenario=Scenario(bad_lots=(BadLot(supplier, after_h=48.0),))
    )
    lot = next(i for i, x in enumerate(bad.lots) if x.bad and not base.lots[i].bad)
    lot_id = bad.lots[lot].id
    t = _found_h(bad, lot) + 24.0
    snap, snap_base = snapshot_at(bad, t), snapshot_at(base, t)

    labelled = {snap.nodes["batch"].ids[r] for r in snap.labels[TARGET].index}
    consumers = sorted({bad.batches[b].id for _, _, b in bad.lots[lot].uses if b >= 0} & labelled)
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
