"""Cut a simulated history into labelled `GraphSnapshot`s, and build training sets from seeds.

A snapshot at `t` holds every machine, material and supplier; the sales orders open at
`t` with all their work orders and operations; the batches made in the last 10 days (and
those of the included work orders); and the lots received by `t` still in stock or
consumed by an included batch. Edges follow the graph model in snake case; two are
derived where the snapshot omits the node in between: `work_order -needs-> material`
(MAKES then HAS_COMPONENT) and `material -supplied_by-> supplier` (purchase orders).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from rich.progress import track

from inference.simulation import labels as lab
from inference.simulation import observe
from inference.simulation.engine import simulate
from inference.simulation.features import FEATURES
from inference.simulation.history import History
from inference.snapshot import TARGETS, GraphSnapshot, Labels, NodeTable

BATCH_WINDOW_H = 240.0


def _table(ids: list[str], feats: np.ndarray, kind: str) -> NodeTable:
    return NodeTable(ids, feats.reshape(len(ids), len(FEATURES[kind])), list(FEATURES[kind]))


def _edges(pairs: list[tuple[int, int]]) -> np.ndarray:
    if not pairs:
        return np.zeros((2, 0), dtype=np.int64)
    return np.asarray(pairs, dtype=np.int64).T.copy()


def snapshot_at(h: History, t: float) -> GraphSnapshot:
    """The plant as known at `t` hours, with the labels the rest of the history gives."""
    s = h.structure
    sos = [
        i
        for i, so in enumerate(h.sales_orders)
        if so.ordered_h <= t and (so.shipped_h is None or so.shipped_h > t)
    ]
    wos = [w for i in sos for w in h.sales_orders[i].work_orders]
    ops = [o for w in wos for o in h.work_orders[w].operations]
    wo_set = set(wos)
    batches = sorted(
        {
            b
            for b, batch in enumerate(h.batches)
            if batch.done_h <= t
            and (batch.done_h > t - BATCH_WINDOW_H or batch.work_order in wo_set)
        }
    )
    used_lots = {i for b in batches for i, _ in h.batches[b].lots}
    lots = [
        i
        for i, lot in enumerate(h.lots)
        if lot.received_h <= t
        and (i in used_lots or sum(q for hr, q, _ in lot.uses if hr <= t) < lot.qty - 1e-9)
    ]
    pos = {
        k: {x: r for r, x in enumerate(v)}
        for k, v in (("so", sos), ("wo", wos), ("op", ops), ("b", batches), ("lot", lots))
    }

    nodes = {
        "machine": _table(s.machine_ids, observe.machine_rows(h, t), "machine"),
        "operation": _table(
            [h.operations[o].id for o in ops], observe.operation_rows(h, t, ops), "operation"
        ),
        "work_order": _table(
            [h.work_orders[w].id for w in wos], observe.work_order_rows(h, t, wos), "work_order"
        ),
        "sales_order": _table(
            [h.sales_orders[i].id for i in sos], observe.sales_order_rows(h, t, sos), "sales_order"
        ),
        "batch": _table(
            [h.batches[b].id for b in batches], observe.batch_rows(h, t, batches), "batch"
        ),
        "material_lot": _table(
            [h.lots[i].id for i in lots], observe.lot_rows(h, t, lots), "material_lot"
        ),
        "material": _table(s.material_ids, observe.material_rows(h, t), "material"),
        "supplier": _table(s.supplier_ids, observe.supplier_rows(h, t), "supplier"),
    }

    e: dict[tuple[str, str, str], list[tuple[int, int]]] = {}

    def add(key: tuple[str, str, str], a: int, b: int) -> None:
        e.setdefault(key, []).append((a, b))

    for w in wos:
        wo = h.work_orders[w]
        add(("work_order", "fulfills", "sales_order"), pos["wo"][w], pos["so"][wo.sales_order])
        for m in wo.needs:
            add(("work_order", "needs", "material"), pos["wo"][w], m)
        prev = -1
        for o in wo.operations:
            add(("work_order", "has_operation", "operation"), pos["wo"][w], pos["op"][o])
            add(("operation", "runs_on", "machine"), pos["op"][o], h.operations[o].machine)
            if prev >= 0:
                add(("operation", "next", "operation"), pos["op"][prev], pos["op"][o])
            prev = o
    for b in batches:
        batch = h.batches[b]
        if batch.work_order in pos["wo"]:
            add(("batch", "produced_by", "work_order"), pos["b"][b], pos["wo"][batch.work_order])
        add(("batch", "produced_on", "machine"), pos["b"][b], batch.machine)
        for i, _ in batch.lots:
            add(("batch", "consumed", "material_lot"), pos["b"][b], pos["lot"][i])
        for x in batch.batches:
            if x in pos["b"]:
                add(("batch", "consumed", "batch"), pos["b"][b], pos["b"][x])
    for i in lots:
        lot = h.lots[i]
        add(("material_lot", "of_material", "material"), pos["lot"][i], lot.material)
        add(("material_lot", "supplied_by", "supplier"), pos["lot"][i], lot.supplier)
    pairs = {(p.material, p.supplier) for p in h.purchase_orders if p.ordered_h <= t}
    for m, sup in sorted(pairs):
        add(("material", "supplied_by", "supplier"), m, sup)

    ys = {
        "machine_failure": lab.machine_failure(h, t, TARGETS["machine_failure"].horizon_h),
        "work_order_late": {
            pos["wo"][k]: v
            for k, v in lab.work_order_late(h, t, TARGETS["work_order_late"].horizon_h, wos).items()
        },
        "sales_order_late": {
            pos["so"][k]: v
            for k, v in lab.sales_order_late(
                h, t, TARGETS["sales_order_late"].horizon_h, sos
            ).items()
        },
        "batch_quality_escape": {
            pos["b"][k]: v
            for k, v in lab.batch_quality_escape(
                h, t, TARGETS["batch_quality_escape"].horizon_h, batches
            ).items()
        },
        "material_shortage": lab.material_shortage(h, t, TARGETS["material_shortage"].horizon_h),
    }
    labels = {
        name: Labels(
            np.asarray(sorted(y), dtype=np.int64),
            np.asarray([y[k] for k in sorted(y)], dtype=np.float32),
        )
        for name, y in ys.items()
    }
    return GraphSnapshot(
        at=h.start + timedelta(hours=t),
        nodes=nodes,
        edges={k: _edges(v) for k, v in e.items()},
        labels=labels,
        seed=h.seed,
    )


def snapshots(history: History, every_h: float = 12.0) -> list[GraphSnapshot]:
    """Snapshots at every_h, 2 * every_h, ... before the run's end."""
    out = []
    k = 1
    while k * every_h < history.end_h:
        out.append(snapshot_at(history, k * every_h))
        k += 1
    return out


def build_dataset(seeds: list[int], days: float, every_h: float = 12.0) -> list[GraphSnapshot]:
    """Simulate each seed and cut it into snapshots (a progress bar on the terminal)."""
    out: list[GraphSnapshot] = []
    for seed in track(seeds, description="simulating", transient=True):
        out.extend(snapshots(simulate(seed, days), every_h))
    return out
