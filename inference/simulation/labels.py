"""Ground truth at instant `t`: what the rest of the simulated history says happened.

A label exists only where the outcome is known by the horizon's end (and the run did not
stop before it was known). Definitions, with `H` the target's horizon and `E` the run's end:

- machine_failure (every machine; needs t + H <= E): 1 if the machine fails (a physics
  failure or a scripted one) at a time in (t, t + H].
- work_order_late (work orders created by t and not done at t): known when the order is
  done by min(t + H, E) -> 1 if it was done after its planned end, else 0; or when its
  planned end falls before min(t + H, E) without it being done by then -> 1.
- sales_order_late (sales orders placed by t and not shipped at t): as work_order_late with
  the ship time and the due date.
- batch_quality_escape (batches done by t, released (not rejected by quality control) and
  not yet found defective at t): 1 if found defective in (t, t + H]; 0 if not and
  t + H <= E; unknown otherwise.
- material_shortage (every material; needs t + H <= E): 1 if at some tick in (t, t + H]
  a work order ready to start waited because the material's stock could not cover it.
"""

from __future__ import annotations

from inference.simulation.history import History


def _late(done: float | None, planned: float, t: float, h_end: float) -> float | None:
    if done is not None and done <= h_end:
        return float(done > planned)
    if planned < h_end:
        return 1.0
    return None


def machine_failure(h: History, t: float, horizon: float) -> dict[int, float]:
    if t + horizon > h.end_h:
        return {}
    y = dict.fromkeys(range(len(h.structure.machine_ids)), 0.0)
    for f in h.failures:
        if t < f.at_h <= t + horizon:
            y[f.machine] = 1.0
    return y


def work_order_late(h: History, t: float, horizon: float, rows: list[int]) -> dict[int, float]:
    h_end = min(t + horizon, h.end_h)
    out = {}
    for w in rows:
        wo = h.work_orders[w]
        if wo.done_h is not None and wo.done_h <= t:
            continue
        y = _late(wo.done_h, wo.planned_end_h, t, h_end)
        if y is not None:
            out[w] = y
    return out


def sales_order_late(h: History, t: float, horizon: float, rows: list[int]) -> dict[int, float]:
    h_end = min(t + horizon, h.end_h)
    out = {}
    for s in rows:
        so = h.sales_orders[s]
        y = _late(so.shipped_h, so.due_h, t, h_end)
        if y is not None:
            out[s] = y
    return out


def batch_quality_escape(h: History, t: float, horizon: float, rows: list[int]) -> dict[int, float]:
    out = {}
    for b in rows:
        batch = h.batches[b]
        if batch.rejected or (batch.found_h is not None and batch.found_h <= t):
            continue
        if batch.found_h is not None and batch.found_h <= min(t + horizon, h.end_h):
            out[b] = 1.0
        elif t + horizon <= h.end_h:
            out[b] = 0.0
    return out


def material_shortage(h: History, t: float, horizon: float) -> dict[int, float]:
    if t + horizon > h.end_h:
        return {}
    y = dict.fromkeys(range(len(h.structure.material_ids)), 0.0)
    for m, hour in h.shortages:
        if t < hour <= t + horizon:
            y[m] = 1.0
    return y
