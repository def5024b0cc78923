"""The model's input built from the live graph store: the simulator's snapshot shape, no labels.

The model trains on simulated `GraphSnapshot`s (`inference.simulation.snapshots`) and
scores this one, so node types, edge types, selection and the columns of
`inference.simulation.features.FEATURES` are the same. Selection: every machine, material
and supplier; sales orders open at `now` (status open or in production, ordered by now)
with all their work orders and operations; batches completed in the last 10 days or
produced by an included work order; lots received by `now` still in stock or consumed by
an included batch. Derived edges: `work_order -needs-> material` (MAKES then
HAS_COMPONENT) and `material -supplied_by-> supplier` (purchase orders placed by `now`).

Reads are bounded by the selection, not the history: open sales orders, then their work
orders and operations (plus work orders with an unfinished operation, for machine
queues), recent or included batches, lots in stock or consumed by those batches. History
enters only through aggregates computed in the graph (median work order quantity per
product, lot and supplier outcomes found from the few defective batches forward), so a
`medium` plant builds in about 0.25 s instead of 7.5 s. Edges come out sorted by
(source id, target id).

The graph keeps only each tag's latest value, so every 8 h window below is the latest
good value (fresher than 8 h) where the simulator has a window of samples.

Column (live computation; difference from the simulator, `=` where none):

- machine torque/speed/air/process temp `_mean_8h`, `_max_8h`, `_min_8h`, `_last`: latest
  tag value (its last good reading) updated in the last 8 h (Nm, rpm, K); window statistics
  collapse to the last value.
- machine temp_gap_mean_8h / min_8h: process - air temperature tags (K); last value.
- machine power_mean/max/min_8h: torque x speed x 2 pi / 60 (W), as `physics.power_w`; last
  value.
- machine tool_wear_last / max_8h, wear_x_torque_last: tool_wear tag (min), x torque; same;
  max is last.
- machine busy_share_8h: share of the last 8 h in `executing`, from StateChange history;
  simulator: share of ticks running an operation.
- machine telemetry_missing: 1 when not busy in 8 h or a torque/speed/temperature tag is
  missing or stale; same rule (no busy sample).
- machine down_now: Machine.state is out_of_service; simulator: inside a failure's repair.
- machine hours_since_repair (+ _missing): hours since the last change out of
  out_of_service; =.
- machine failures_7d: changes into out_of_service in the last 168 h; =.
- machine queue_ops / queue_hours: ready, unfinished operations on it / their remaining
  ideal hours; progress estimated, see operation.
- operation seq: sequence - 1 (0-based like the simulator); =.
- operation ideal_h: ideal_cycle_time_s x work order quantity / 3600; simulator: from batch
  hours.
- operation progress: running: elapsed since actual_start / ideal_h (capped 0.99); done: 1;
  simulator: ideal hours actually done.
- operation waiting/running/done/predecessor_done: from status, actual_start/end and the
  previous operation; =.
- operation hours_to_wo_planned_end: work order planned_end - now (h); =.
- work_order slack_h, hours_to_planned_end, progress, remaining_ops, remaining_ideal_h:
  from its operations as above; same (progress estimated).
- work_order started: actual_start set by now; =.
- work_order blocked_24h: not started, planned_start passed and a needed material's
  available stock is short; simulator: waited for material in the last 24 h (not recorded
  live).
- work_order components_open: same sales order's work orders making a BOM component of its
  product, not completed; =.
- work_order tier: depth of its product in the bill of materials (finished 0); =.
- work_order qty_rel: quantity / median quantity of work orders for that product;
  simulator: relative to the standard batch.
- work_order age_h: now - its sales order's ordered_at; same (created with the order).
- sales_order slack_h, age_h, lead_h, work_orders: due/ordered instants, FULFILLS count; =.
- sales_order qty_rel: mean qty_rel of its tier-0 work orders (1 if none); simulator: the
  order's own.
- batch hours_since_done, lots_consumed, batches_consumed, tier: completed_at, CONSUMED
  counts, work order tier; =.
- batch qc_score: count of adverse quality events on it; simulator: a noisy QC measurement
  (scale differs).
- batch qc_rejected: status rejected; =.
- batch wear_at_make: producing machine's tool_wear tag if completed in the last 8 h, else
  0; no wear history live.
- material_lot age_h, remaining_share: received_at, quantity / initial_quantity; =.
- material_lot batches_made / _found_defective / found_defective_share: consuming batches
  by now / rejected or with adverse events / the ratio; simulator: rejected or escape
  found.
- material on_hand_days: available + quarantine lot quantity / daily demand; simulator's
  daily is the plan rate.
- material demand_72h_days, coverage_72h: planned/released work orders starting within 72
  h, BOM quantities; =.
- material on_order_days, open_pos, overdue_pos: open purchase orders (less partial
  receipts); =.
- material shortages_7d: 0: waiting for material is not recorded live; simulator: hours
  waited.
- supplier on_time_rate (+ _missing), mean_delay_h: received purchase orders: last receipt
  vs due; =.
- supplier defect_rate, lots_received: its lots with a defective batch / lots received; =.
- supplier open_pos, overdue_pos: open purchase orders, those past due; =.

Daily demand (the unit of material quantities) is the consumption of the last 28 days,
else receipts of the last 28 days, per day; else 1 unit.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

import numpy as np

from graph import live_features as lf
from graph.snapshot_reads import read_edges, read_nodes
from graph.store import GraphStore
from inference.simulation.features import FEATURES
from inference.snapshot import EdgeType, GraphSnapshot, IndexArray, NodeTable

H_MS = 3_600_000.0
WINDOW_H = 8.0
BATCH_WINDOW_H = 240.0
DEMAND_DAYS = 28.0
OPEN_SO = ("open", "in_production")
OPEN_PO = ("open", "partially_received")
IN_STOCK = ("available", "quarantine", "on_hold")
USABLE = ("available", "quarantine")
TELEMETRY_PROPS = ("torque", "rotational_speed", "air_temperature", "process_temperature")


def _ms(now: datetime) -> int:
    return int(now.timestamp() * 1000)


def _h(ms: float | None, now_ms: int) -> float:
    """Hours from `ms` to now (positive in the past)."""
    return 0.0 if ms is None else (now_ms - ms) / H_MS


def _before(ms: Any, now_ms: int) -> bool:
    return ms is not None and ms <= now_ms


@dataclass
class _Reads:
    """Everything read from the store for one snapshot (the selection and what it needs).

    Beyond the selection itself: every operation of a work order with an unfinished
    operation (machine queues need readiness), and three history aggregates the features
    summarise: median work order quantity per product, lot outcomes per lot and per
    supplier. Edge lists come sorted, so sums over them do not depend on read order.
    """

    machines: list[dict[str, Any]]
    sales: list[dict[str, Any]]
    work_orders: dict[str, dict[str, Any]]
    operations: dict[str, dict[str, Any]]
    batches: list[dict[str, Any]]
    lots: list[dict[str, Any]]
    materials: list[str]
    suppliers: list[str]
    product_kind: dict[str, str]
    edges: dict[str, list[tuple[str, str]]]
    median_qty: dict[str, float]
    """Product -> median quantity of all its work orders."""
    lot_outcomes: dict[str, tuple[int, int]]
    """Lot -> (batches made from it by now, those rejected or with an adverse event)."""
    supplier_lots: dict[str, tuple[int, int]]
    """Supplier -> (lots received by now, those with a defective batch)."""


WO_PROPS = ["status", "quantity", "planned_start", "planned_end", "actual_start", "actual_end"]
BATCH_PROPS = ["status", "completed_at"]
LOT_PROPS = ["status", "quantity", "initial_quantity", "received_at"]


async def _read(store: GraphStore, now_ms: int) -> _Reads:
    """Read only what the snapshot at `now_ms` holds, each set from the one before."""
    edges: dict[str, list[tuple[str, str]]] = {}
    sales = await lf.open_sales_orders(store, list(OPEN_SO), now_ms)
    so_ids = [s["id"] for s in sales]
    edges["fulfills"] = await lf.edges_into(store, "WorkOrder", "FULFILLS", "SalesOrder", so_ids)
    selected_wos = sorted({w for w, _ in edges["fulfills"]})
    queued_wos = await lf.work_orders_with_open_operations(store, now_ms)
    wo_ids = sorted(set(selected_wos) | set(queued_wos))
    work_orders = {r["id"]: r for r in await lf.nodes_by_id(store, "WorkOrder", wo_ids, WO_PROPS)}
    operations: dict[str, dict[str, Any]] = {}
    has_op, runs_on = [], []
    for row in await lf.operations_of(store, wo_ids):
        operations[row["id"]] = row
        has_op.append((row["work_order"], row["id"]))
        runs_on += [(row["id"], m) for m in row["machines"]]
    edges["has_operation"], edges["runs_on"] = has_op, runs_on

    window_start = now_ms - int(BATCH_WINDOW_H * H_MS)
    batch_ids = sorted(
        set(await lf.batches_completed_between(store, window_start, now_ms))
        | set(await lf.batches_of(store, selected_wos))
    )
    for key, rel, target in (
        ("produced_by", "PRODUCED_BY", "WorkOrder"),
        ("produced_on", "PRODUCED_ON", "Machine"),
        ("consumed_lot", "CONSUMED", "MaterialLot"),
        ("consumed_batch", "CONSUMED", "Batch"),
    ):
        edges[key] = await lf.edges_from(store, "Batch", batch_ids, rel, target)
    made_by = sorted(set(selected_wos) | {w for _, w in edges["produced_by"]})
    edges["makes"] = await lf.edges_from(store, "WorkOrder", made_by, "MAKES", "Product")
    lot_ids = sorted(
        set(await lf.lots_in_stock(store, list(IN_STOCK), now_ms))
        | {lot for _, lot in edges["consumed_lot"]}
    )
    edges["of_material"] = await lf.edges_from(
        store, "MaterialLot", lot_ids, "OF_MATERIAL", "Material"
    )
    edges["lot_supplier"] = await lf.edges_from(
        store, "MaterialLot", lot_ids, "SUPPLIED_BY", "Supplier"
    )
    products = await read_nodes(store, "Product", ["kind"])
    edges["bom_product"] = await read_edges(store, "Product", "HAS_COMPONENT", "Product")
    lot_outcomes, supplier_lots = await lf.selected_lot_outcomes(store, lot_ids, now_ms)
    return _Reads(
        machines=await read_nodes(store, "Machine", ["state", "state_at"]),
        sales=sales,
        work_orders=work_orders,
        operations=operations,
        batches=await lf.nodes_by_id(store, "Batch", batch_ids, BATCH_PROPS),
        lots=await lf.nodes_by_id(store, "MaterialLot", lot_ids, LOT_PROPS),
        materials=[r["id"] for r in await read_nodes(store, "Material", [])],
        suppliers=[r["id"] for r in await read_nodes(store, "Supplier", [])],
        product_kind={r["id"]: r["kind"] for r in products},
        edges={k: sorted(v) for k, v in edges.items()},
        median_qty=await lf.median_quantity(store, sorted({p for _, p in edges["makes"]})),
        lot_outcomes=lot_outcomes,
        supplier_lots=supplier_lots,
    )


def _group(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        out[a].append(b)
    return out


def _tiers(kind: dict[str, str], bom: list[tuple[str, str]]) -> dict[str, int]:
    """Depth of each product in the bill of materials: finished products are tier 0."""
    children = _group(bom)
    tier = {p: 0 for p, k in kind.items() if k == "finished"}
    frontier = list(tier)
    while frontier:
        nxt = []
        for p in frontier:
            for c in children.get(p, []):
                if c not in tier:
                    tier[c] = tier[p] + 1
                    nxt.append(c)
        frontier = nxt
    return tier


def _table(kind: str, ids: list[str], rows: list[list[float]]) -> NodeTable:
    names = FEATURES[kind]
    feats = np.asarray(rows, dtype=np.float32).reshape(len(ids), len(names))
    return NodeTable(ids, np.nan_to_num(feats, nan=0.0, posinf=0.0, neginf=0.0), list(names))


def _edge_array(pairs: list[tuple[int, int]]) -> IndexArray:
    if not pairs:
        return np.zeros((2, 0), dtype=np.int64)
    return np.asarray(pairs, dtype=np.int64).T.copy()


class _Ops:
    """Operation timing at `now`: ideal hours, progress, readiness."""

    def __init__(self, r: _Reads, now_ms: int) -> None:
        self.r, self.now = r, now_ms
        self.by_wo: dict[str, list[str]] = {}
        for w, ops in _group(r.edges["has_operation"]).items():
            self.by_wo[w] = sorted(ops, key=lambda o: (r.operations[o]["sequence"] or 0, o))
        self.wo_of = {o: w for w, ops in self.by_wo.items() for o in ops}

    def ideal_h(self, o: str) -> float:
        op = self.r.operations[o]
        wo = self.r.work_orders.get(self.wo_of.get(o, ""), {})
        return float(op["ideal_cycle_time_s"] or 0.0) * float(wo.get("quantity") or 0.0) / 3600

    def done(self, o: str) -> bool:
        op = self.r.operations[o]
        return bool(op["status"] == "done" or _before(op["actual_end"], self.now))

    def started(self, o: str) -> bool:
        op = self.r.operations[o]
        return self.done(o) or op["status"] == "running" or _before(op["actual_start"], self.now)

    def done_h(self, o: str) -> float:
        """Ideal hours done so far (elapsed time while running, capped below the total)."""
        ideal = self.ideal_h(o)
        if self.done(o):
            return ideal
        if not self.started(o):
            return 0.0
        elapsed = _h(self.r.operations[o]["actual_start"], self.now)
        return min(max(elapsed, 0.0), 0.99 * ideal)

    def ready(self, o: str) -> bool:
        w = self.wo_of.get(o)
        if w is None:
            return False
        ops = self.by_wo[w]
        i = ops.index(o)
        if i == 0:
            return _before(self.r.work_orders[w]["actual_start"], self.now) or self.started(o)
        return self.done(ops[i - 1])


def _state_timeline(
    changes: list[dict[str, Any]], machines: list[dict[str, Any]]
) -> dict[str, list[tuple[int, str]]]:
    """Per machine, (instant, state) points oldest first, ending with the machine's own state."""
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for c in changes:
        out[c["machine"]].append((int(c["at"]), str(c["to_state"])))
    for m in machines:
        if m.get("state_at") is not None and m.get("state"):
            pts = out[m["id"]]
            if not pts or pts[-1][0] <= m["state_at"]:
                pts.append((int(m["state_at"]), str(m["state"])))
    return out


def _busy_share(points: list[tuple[int, str]], now_ms: int) -> float:
    start = now_ms - int(WINDOW_H * H_MS)
    busy = 0
    for i, (at, state) in enumerate(points):
        if at > now_ms:
            break
        end = points[i + 1][0] if i + 1 < len(points) else now_ms
        lo, hi = max(at, start), min(end, now_ms)
        if state == "executing" and hi > lo:
            busy += hi - lo
    return busy / (WINDOW_H * H_MS)


def _last_repair(points: list[tuple[int, str]], now_ms: int) -> int | None:
    last = None
    for (_, before), (at, state) in pairwise(points):
        if at <= now_ms and before == "out_of_service" and state != "out_of_service":
            last = at
    return last


def _tag_values(rows: list[dict[str, Any]], now_ms: int) -> dict[str, dict[str, float]]:
    """Per machine, numeric tag values updated within the window.

    A tag's stored value is always its last good reading (a bad reading updates only the
    timestamp and quality), so a value is used whatever the latest quality says.
    """
    out: dict[str, dict[str, float]] = defaultdict(dict)
    start = now_ms - WINDOW_H * H_MS
    for r in rows:
        v, ts = r["value"], r["ts"]
        if ts is None or not start < ts <= now_ms:
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            continue
        out[r["machine"]][r["property"]] = float(v)
    return out


async def _machine_rows(
    store: GraphStore, r: _Reads, ops: _Ops, now_ms: int, tags: dict[str, dict[str, float]]
) -> list[list[float]]:
    changes = await lf.state_changes(store, now_ms)
    timeline = _state_timeline(changes, r.machines)
    failures = await lf.failures_between(store, now_ms - int(168 * H_MS), now_ms)
    queue_ops: dict[str, float] = defaultdict(float)
    queue_h: dict[str, float] = defaultdict(float)
    for o, m in r.edges["runs_on"]:
        if o in r.operations and ops.ready(o) and not ops.done(o):
            queue_ops[m] += 1
            queue_h[m] += ops.ideal_h(o) - ops.done_h(o)
    rows = []
    for mach in r.machines:
        m = mach["id"]
        row = [0.0] * len(FEATURES["machine"])
        t = tags.get(m, {})
        busy = _busy_share(timeline.get(m, []), now_ms)
        if busy > 0 and all(p in t for p in TELEMETRY_PROPS):
            torque, speed = t["torque"], t["rotational_speed"]
            air, proc = t["air_temperature"], t["process_temperature"]
            power = torque * speed * 2 * math.pi / 60
            wear = t.get("tool_wear", 0.0)
            row[0:18] = (
                torque, torque, torque, speed, speed, speed, air, proc, proc,
                proc - air, proc - air, power, power, power, wear, wear, wear * torque, busy,
            )  # fmt: skip
        else:
            row[18] = 1.0
            row[14] = row[15] = t.get("tool_wear", 0.0)
        row[19] = float(mach.get("state") == "out_of_service")
        repaired = _last_repair(timeline.get(m, []), now_ms)
        if repaired is None:
            row[21] = 1.0
        else:
            row[20] = _h(repaired, now_ms)
        row[22] = failures.get(m, 0)
        row[23], row[24] = queue_ops[m], queue_h[m]
        rows.append(row)
    return rows


async def live_snapshot(store: GraphStore, now: datetime) -> GraphSnapshot:
    """The live plant at `now` in the shape the foresight model was trained on (no labels)."""
    return await _build(store, await _read(store, _ms(now)), now)


async def _build(store: GraphStore, r: _Reads, now: datetime) -> GraphSnapshot:
    """The snapshot from what was read (time-windowed reads and tags still come from `store`)."""
    now_ms = _ms(now)
    ops = _Ops(r, now_ms)
    tiers = _tiers(r.product_kind, r.edges["bom_product"])
    product_of = dict(r.edges["makes"])
    wos_of_so = _group((w, s) for w, s in r.edges["fulfills"])
    so_wos = _group((s, w) for w, s in r.edges["fulfills"])
    tags = _tag_values(await lf.machine_tags(store), now_ms)

    # --- selection (as inference.simulation.snapshots.snapshot_at) -----------------------
    sales = [s for s in r.sales if s["status"] in OPEN_SO and _before(s["ordered_at"], now_ms)]
    so_ids = [s["id"] for s in sales]
    wo_ids = [w for s in so_ids for w in sorted(so_wos.get(s, [])) if w in r.work_orders]
    op_ids = [o for w in wo_ids for o in ops.by_wo.get(w, [])]
    wo_set = set(wo_ids)
    batch_wo = dict(r.edges["produced_by"])
    window_start = now_ms - BATCH_WINDOW_H * H_MS
    batches = [
        b
        for b in r.batches
        if _before(b["completed_at"], now_ms)
        and (b["completed_at"] > window_start or batch_wo.get(b["id"]) in wo_set)
    ]
    batch_ids = [b["id"] for b in batches]
    batch_set = set(batch_ids)
    used_lots = {lot for b, lot in r.edges["consumed_lot"] if b in batch_set}
    lots = [
        lot
        for lot in r.lots
        if _before(lot["received_at"], now_ms)
        and (
            lot["id"] in used_lots
            or (lot["status"] in IN_STOCK and float(lot["quantity"] or 0.0) > 1e-9)
        )
    ]
    lot_ids = [lot["id"] for lot in lots]

    # --- materials: daily demand, stock, purchase orders -------------------------------
    lot_material = dict(r.edges["of_material"])
    since = now_ms - int(DEMAND_DAYS * 24 * H_MS)
    used = await lf.consumption_between(store, since, now_ms)
    received = await lf.received_between(store, since, now_ms)
    daily = {
        m: (used.get(m, 0.0) or received.get(m, 0.0) or DEMAND_DAYS) / DEMAND_DAYS
        for m in r.materials
    }
    on_hand: dict[str, float] = defaultdict(float)
    for lot in r.lots:
        if lot["status"] in USABLE and _before(lot["received_at"], now_ms):
            on_hand[lot_material.get(lot["id"], "")] += float(lot["quantity"] or 0.0)
    demand = await lf.pending_demand(store, now_ms + int(72 * H_MS))
    pos = await lf.purchase_orders(store, now_ms)
    needs = await lf.work_order_needs(store, wo_ids)

    # --- feature rows -------------------------------------------------------------------
    median_qty = r.median_qty

    def qty_rel(w: str) -> float:
        ref = median_qty.get(product_of.get(w, ""), 0.0)
        return float(r.work_orders[w]["quantity"] or 0.0) / ref if ref > 0 else 1.0

    def tier(w: str) -> int:
        return tiers.get(product_of.get(w, ""), 0)

    so_by_id = {s["id"]: s for s in sales}
    wo_so = {w: s for w, ss in wos_of_so.items() for s in ss if s in so_by_id}
    bom_children = _group(r.edges["bom_product"])
    needs_of = _group((w, m) for w, m, _ in needs)
    need_qty = {(w, m): q for w, m, q in needs}

    op_rows = []
    for o in op_ids:
        op = r.operations[o]
        ideal = ops.ideal_h(o)
        ready, started, done = ops.ready(o), ops.started(o), ops.done(o)
        planned_end = r.work_orders[ops.wo_of[o]]["planned_end"]
        op_rows.append(
            [
                float(op["sequence"] or 1) - 1,
                ideal,
                ops.done_h(o) / ideal if ideal > 0 else float(done),
                float(ready and not started),
                float(started and not done),
                float(done),
                float(ready),
                -_h(planned_end, now_ms),
            ]
        )

    wo_rows = []
    for w in wo_ids:
        wo = r.work_orders[w]
        wops = ops.by_wo.get(w, [])
        total = sum(ops.ideal_h(o) for o in wops)
        done_h = sum(ops.done_h(o) for o in wops)
        remaining = total - done_h
        started = _before(wo["actual_start"], now_ms)
        blocked = (
            not started
            and _before(wo["planned_start"], now_ms)
            and any(on_hand[m] < need_qty[(w, m)] for m in needs_of.get(w, []))
        )
        so = wo_so.get(w)
        siblings = so_wos.get(so, []) if so else []
        comps = set(bom_children.get(product_of.get(w, ""), []))
        comp_open = sum(
            1
            for x in siblings
            if product_of.get(x) in comps and not _before(r.work_orders[x]["actual_end"], now_ms)
        )
        hours_to_end = -_h(wo["planned_end"], now_ms)
        wo_rows.append(
            [
                hours_to_end - remaining,
                hours_to_end,
                done_h / total if total > 0 else 0.0,
                sum(1 for o in wops if not ops.done(o)),
                remaining,
                float(started),
                float(blocked),
                comp_open,
                tier(w),
                qty_rel(w),
                _h(so_by_id[so]["ordered_at"], now_ms) if so else 0.0,
            ]
        )

    so_rows = []
    for s in sales:
        ws = [w for w in so_wos.get(s["id"], []) if w in r.work_orders]
        top = [qty_rel(w) for w in ws if tier(w) == 0]
        so_rows.append(
            [
                -_h(s["due_at"], now_ms),
                sum(top) / len(top) if top else 1.0,
                len(ws),
                _h(s["ordered_at"], now_ms),
                (s["due_at"] - s["ordered_at"]) / H_MS,
            ]
        )

    lots_per_batch = _group(r.edges["consumed_lot"])
    inputs_per_batch = _group(r.edges["consumed_batch"])
    machine_of_batch = dict(r.edges["produced_on"])
    adverse = await lf.batch_adverse_events(store, batch_ids, now_ms)
    batch_rows = []
    for b in batches:
        bid = b["id"]
        m = machine_of_batch.get(bid, "")
        recent = b["completed_at"] > now_ms - WINDOW_H * H_MS
        wo_b = batch_wo.get(bid)
        batch_rows.append(
            [
                _h(b["completed_at"], now_ms),
                adverse.get(bid, 0),
                float(b["status"] == "rejected"),
                len(lots_per_batch.get(bid, [])),
                len(inputs_per_batch.get(bid, [])),
                tags.get(m, {}).get("tool_wear", 0.0) if recent else 0.0,
                tier(wo_b) if wo_b else 0,
            ]
        )

    outcomes = r.lot_outcomes
    lot_rows = []
    for lot in lots:
        made, bad = outcomes.get(lot["id"], (0, 0))
        initial = float(lot["initial_quantity"] or 0.0)
        share = float(lot["quantity"] or 0.0) / initial if initial > 0 else 0.0
        lot_rows.append(
            [_h(lot["received_at"], now_ms), share, made, bad, bad / made if made else 0.0]
        )

    mat_rows = _material_rows(r.materials, daily, on_hand, demand, pos, now_ms)
    sup_rows = _supplier_rows(r, pos, now_ms)

    nodes = {
        "machine": _table(
            "machine",
            [m["id"] for m in r.machines],
            await _machine_rows(store, r, ops, now_ms, tags),
        ),
        "work_order": _table("work_order", wo_ids, wo_rows),
        "operation": _table("operation", op_ids, op_rows),
        "sales_order": _table("sales_order", so_ids, so_rows),
        "batch": _table("batch", batch_ids, batch_rows),
        "material_lot": _table("material_lot", lot_ids, lot_rows),
        "material": _table("material", r.materials, mat_rows),
        "supplier": _table("supplier", r.suppliers, sup_rows),
    }
    edges = _edges(r, nodes, ops, wo_ids, needs, pos)
    return GraphSnapshot(at=now, nodes=nodes, edges=edges)


def _material_rows(
    materials: list[str],
    daily: dict[str, float],
    on_hand: dict[str, float],
    demand: dict[str, float],
    pos: list[dict[str, Any]],
    now_ms: int,
) -> list[list[float]]:
    on_order: dict[str, float] = defaultdict(float)
    open_pos: dict[str, int] = defaultdict(int)
    overdue: dict[str, int] = defaultdict(int)
    for p in pos:
        if p["status"] in OPEN_PO:
            m = p["material"]
            on_order[m] += max(0.0, float(p["qty"] or 0.0) - float(p["received_qty"] or 0.0))
            open_pos[m] += 1
            overdue[m] += int(p["due_at"] < now_ms)
    rows = []
    for m in materials:
        d = daily[m]
        need = demand.get(m, 0.0)
        cover = min(10.0, on_hand[m] / max(need, 1e-9 * d))
        rows.append(
            [on_hand[m] / d, need / d, cover, on_order[m] / d, open_pos[m], overdue[m], 0.0]
        )
    return rows


def _supplier_rows(r: _Reads, pos: list[dict[str, Any]], now_ms: int) -> list[list[float]]:
    by_sup = _group((p["supplier"], p["id"]) for p in pos)
    po_by_id = {p["id"]: p for p in pos}
    rows = []
    for s in r.suppliers:
        row = [0.0] * len(FEATURES["supplier"])
        mine = [po_by_id[i] for i in by_sup.get(s, [])]
        arrived = [p for p in mine if p["status"] == "received" and p["received_at"] is not None]
        if arrived:
            row[0] = sum(p["received_at"] <= p["due_at"] for p in arrived) / len(arrived)
            row[6] = sum((p["received_at"] - p["due_at"]) / H_MS for p in arrived) / len(arrived)
        else:
            row[1] = 1.0
        lots, defective = r.supplier_lots.get(s, (0, 0))
        if lots:
            row[2] = defective / lots
        row[3] = lots
        open_ = [p for p in mine if p["status"] in OPEN_PO]
        row[4] = len(open_)
        row[5] = sum(p["due_at"] < now_ms for p in open_)
        rows.append(row)
    return rows


def _edges(
    r: _Reads,
    nodes: dict[str, NodeTable],
    ops: _Ops,
    wo_ids: list[str],
    needs: list[tuple[str, str, float]],
    pos: list[dict[str, Any]],
) -> dict[EdgeType, IndexArray]:
    row = {k: {x: i for i, x in enumerate(t.ids)} for k, t in nodes.items()}
    out: dict[EdgeType, list[tuple[int, int]]] = defaultdict(list)

    def add(key: EdgeType, pairs: Iterable[tuple[str, str]]) -> None:
        src, dst = row[key[0]], row[key[2]]
        for a, b in pairs:
            if a in src and b in dst:
                out[key].append((src[a], dst[b]))

    add(("work_order", "fulfills", "sales_order"), r.edges["fulfills"])
    add(("work_order", "needs", "material"), sorted({(w, m) for w, m, _ in needs}))
    add(("work_order", "has_operation", "operation"), r.edges["has_operation"])
    add(("operation", "runs_on", "machine"), r.edges["runs_on"])
    add(
        ("operation", "next", "operation"),
        [(a, b) for w in wo_ids for a, b in pairwise(ops.by_wo.get(w, []))],
    )
    add(("batch", "produced_by", "work_order"), r.edges["produced_by"])
    add(("batch", "produced_on", "machine"), r.edges["produced_on"])
    add(("batch", "consumed", "material_lot"), r.edges["consumed_lot"])
    add(("batch", "consumed", "batch"), r.edges["consumed_batch"])
    add(("material_lot", "of_material", "material"), r.edges["of_material"])
    add(("material_lot", "supplied_by", "supplier"), r.edges["lot_supplier"])
    add(
        ("material", "supplied_by", "supplier"),
        sorted({(p["material"], p["supplier"]) for p in pos}),
    )
    return {k: _edge_array(v) for k, v in out.items()}


async def timed_live_snapshot(store: GraphStore, now: datetime) -> tuple[GraphSnapshot, float]:
    """`live_snapshot` and the seconds it took (for benchmarks and logs)."""
    t0 = time.perf_counter()
    snap = await live_snapshot(store, now)
    return snap, time.perf_counter() - t0
