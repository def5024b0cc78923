"""Feature rows at an instant `t`, read only from what the history knew by `t`.

Each function takes the history, `t` and the rows (record indices) to describe, and
returns a float matrix in the column order of `features.FEATURES`. Nothing here looks
at a time after `t`: a record's later fields count only once their hour has passed.
"""

from __future__ import annotations

import numpy as np

from inference.simulation.history import TELEMETRY, History, Operation

WINDOW_H = 8.0
F32 = np.float32


def _progress(op: Operation, t: float) -> float:
    done = 0.0
    for hour, value in op.progress:
        if hour > t:
            break
        done = value
    return done


def _before(value: float | None, t: float) -> bool:
    return value is not None and value <= t


def op_ready_h(h: History, o: int) -> float | None:
    """When the operation could first run: its work order started, or its predecessor ended."""
    op = h.operations[o]
    wo = h.work_orders[op.work_order]
    if op.seq == 0:
        return wo.started_h
    return h.operations[wo.operations[op.seq - 1]].end_h


def machine_rows(h: History, t: float) -> np.ndarray:
    n_m = len(h.structure.machine_ids)
    tel = h.telemetry
    end = min(round(t / h.tick_h), tel.shape[0])
    begin = max(0, end - round(WINDOW_H / h.tick_h))
    win = tel[begin:end]
    out = np.zeros((n_m, 25), dtype=F32)
    col = {c: i for i, c in enumerate(TELEMETRY)}
    queue_ops = np.zeros(n_m)
    queue_h = np.zeros(n_m)
    for o, op in enumerate(h.operations):
        ready = op_ready_h(h, o)
        if _before(ready, t) and not _before(op.end_h, t):
            queue_ops[op.machine] += 1
            queue_h[op.machine] += op.ideal_h - _progress(op, t)
    for m in range(n_m):
        w = win[:, m, :] if end > 0 else np.zeros((0, len(TELEMETRY)), dtype=F32)
        busy = w[:, col["busy"]] == 1.0 if len(w) else np.zeros(0, dtype=bool)
        row = out[m]
        if busy.any():
            b = w[busy]
            torque, speed = b[:, col["torque"]], b[:, col["speed"]]
            air, proc, power = b[:, col["air_temp"]], b[:, col["process_temp"]], b[:, col["power"]]
            gap = proc - air
            wear = b[:, col["tool_wear"]]
            row[0:18] = (
                torque.mean(),
                torque.max(),
                torque[-1],
                speed.mean(),
                speed.min(),
                speed[-1],
                air.mean(),
                proc.mean(),
                proc[-1],
                gap.mean(),
                gap.min(),
                power.mean(),
                power.max(),
                power.min(),
                wear[-1],
                wear.max(),
                wear[-1] * torque[-1],
                busy.mean(),
            )
        else:
            row[18] = 1.0
            if len(w):
                row[14] = row[15] = w[-1, col["tool_wear"]]
        past = [f for f in h.failures if f.machine == m and f.at_h <= t]
        row[19] = float(any(f.up_h > t for f in past))
        repaired = [f.up_h for f in past if f.up_h <= t]
        if repaired:
            row[20] = t - max(repaired)
        else:
            row[21] = 1.0
        row[22] = sum(1 for f in past if f.at_h > t - 168.0)
        row[23] = queue_ops[m]
        row[24] = queue_h[m]
    return out


def operation_rows(h: History, t: float, rows: list[int]) -> np.ndarray:
    out = np.zeros((len(rows), 8), dtype=F32)
    for r, o in enumerate(rows):
        op = h.operations[o]
        wo = h.work_orders[op.work_order]
        ready = _before(op_ready_h(h, o), t)
        started, ended = _before(op.start_h, t), _before(op.end_h, t)
        out[r] = (
            op.seq,
            op.ideal_h,
            _progress(op, t) / op.ideal_h,
            float(ready and not started),
            float(started and not ended),
            float(ended),
            float(ready),
            wo.planned_end_h - t,
        )
    return out


def work_order_rows(h: History, t: float, rows: list[int]) -> np.ndarray:
    out = np.zeros((len(rows), 11), dtype=F32)
    for r, w in enumerate(rows):
        wo = h.work_orders[w]
        ops = [h.operations[o] for o in wo.operations]
        total = sum(op.ideal_h for op in ops)
        done = sum(_progress(op, t) for op in ops)
        remaining = total - done
        out[r] = (
            wo.planned_end_h - t - remaining,
            wo.planned_end_h - t,
            done / total,
            sum(1 for op in ops if not _before(op.end_h, t)),
            remaining,
            float(_before(wo.started_h, t)),
            float(any(t - 24.0 < b <= t for b in wo.blocked_h)),
            sum(1 for c in wo.components if not _before(h.work_orders[c].done_h, t)),
            wo.tier,
            wo.qty_rel,
            t - wo.created_h,
        )
    return out


def sales_order_rows(h: History, t: float, rows: list[int]) -> np.ndarray:
    out = np.zeros((len(rows), 5), dtype=F32)
    for r, s in enumerate(rows):
        so = h.sales_orders[s]
        out[r] = (
            so.due_h - t,
            so.qty_rel,
            len(so.work_orders),
            t - so.ordered_h,
            so.due_h - so.ordered_h,
        )
    return out


def _lot_found_defective(h: History, lot: int, t: float) -> int:
    found = 0
    for b in {u[2] for u in h.lots[lot].uses if u[2] >= 0}:
        batch = h.batches[b]
        if (batch.rejected and batch.done_h <= t) or _before(batch.found_h, t):
            found += 1
    return found


def batch_rows(h: History, t: float, rows: list[int]) -> np.ndarray:
    out = np.zeros((len(rows), 7), dtype=F32)
    for r, b in enumerate(rows):
        batch = h.batches[b]
        out[r] = (
            t - batch.done_h,
            batch.qc_score,
            float(batch.rejected),
            len(batch.lots),
            len(batch.batches),
            batch.wear_at_make,
            h.work_orders[batch.work_order].tier,
        )
    return out


def lot_rows(h: History, t: float, rows: list[int]) -> np.ndarray:
    out = np.zeros((len(rows), 5), dtype=F32)
    for r, i in enumerate(rows):
        lot = h.lots[i]
        used = sum(q for hour, q, _ in lot.uses if hour <= t)
        made = {b for hour, _, b in lot.uses if b >= 0 and h.batches[b].done_h <= t}
        found = _lot_found_defective(h, i, t)
        share = found / len(made) if made else 0.0
        out[r] = (t - lot.received_h, 1 - used / lot.qty, len(made), found, share)
    return out


def material_rows(h: History, t: float) -> np.ndarray:
    s = h.structure
    n = len(s.material_ids)
    on_hand = np.zeros(n)
    for lot in h.lots:
        if lot.received_h <= t:
            on_hand[lot.material] += lot.qty - sum(q for hour, q, _ in lot.uses if hour <= t)
    demand = np.zeros(n)
    for wo in h.work_orders:
        if wo.created_h <= t and not _before(wo.started_h, t) and wo.planned_start_h <= t + 72:
            for m, q in wo.needs.items():
                demand[m] += q
    on_order, open_pos, overdue = np.zeros(n), np.zeros(n), np.zeros(n)
    for po in h.purchase_orders:
        if po.ordered_h <= t < po.arrived_h:
            on_order[po.material] += po.qty
            open_pos[po.material] += 1
            overdue[po.material] += float(po.due_h < t)
    short = np.zeros(n)
    for m, hour in set(h.shortages):
        if t - 168.0 < hour <= t:
            short[m] += 1
    daily = np.asarray(s.material_daily)
    cover = np.minimum(10.0, on_hand / np.maximum(demand, 1e-9 * daily))
    cols = (
        on_hand / daily,
        demand / daily,
        cover,
        on_order / daily,
        open_pos,
        overdue,
        short * h.tick_h,
    )
    return np.stack(cols, axis=1).astype(F32)


def supplier_rows(h: History, t: float) -> np.ndarray:
    n = len(h.structure.supplier_ids)
    out = np.zeros((n, 7), dtype=F32)
    for s in range(n):
        arrived = [
            p
            for p in h.purchase_orders
            if p.supplier == s and p.ordered_h >= 0 and p.arrived_h <= t
        ]
        lots = [i for i, lot in enumerate(h.lots) if lot.supplier == s and lot.received_h <= t]
        open_ = [p for p in h.purchase_orders if p.supplier == s and p.ordered_h <= t < p.arrived_h]
        row = out[s]
        if arrived:
            row[0] = sum(p.arrived_h <= p.due_h for p in arrived) / len(arrived)
            row[6] = sum(p.arrived_h - p.due_h for p in arrived) / len(arrived)
        else:
            row[1] = 1.0
        if lots:
            row[2] = sum(_lot_found_defective(h, i, t) > 0 for i in lots) / len(lots)
        row[3] = len(lots)
        row[4] = len(open_)
        row[5] = sum(p.due_h < t for p in open_)
    return out
