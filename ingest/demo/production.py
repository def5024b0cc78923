"""Work orders and batches: make-to-order filling, make-to-stock intermediates, on real lines.

Finished goods are scheduled forward from their sales orders on filling lines. Each
intermediate tier is then planned from the batches that consume it (netting stock,
grouping a few days of demand into a campaign of 1-4 batches) and scheduled *backward*
from when it is needed, so an intermediate batch is always complete before the batch
that consumes it starts: genealogy runs forward in time and can never form a cycle.
Finally everything before "now" gets a status consistent with the clock.
"""

from __future__ import annotations

import math
import random
from itertools import pairwise

from ingest.demo.catalog import TIER_OF_GROUP, Catalog
from ingest.demo.equipment import Equipment
from ingest.demo.records import BatchRec, SalesOrderRec, WorkOrderRec
from ingest.demo.timeline import DAY_MS, HOUR_MS, MINUTE_MS, NOW_MS, WINDOW_DAYS

SPAN_HOURS = (WINDOW_DAYS + 40) * 24
UTILISATION = 0.55
"""Planned load per line: leaves room for changeovers, maintenance and rush orders."""
CHANGEOVER_MS = 45 * MINUTE_MS
CAMPAIGN_DAYS = {"bulk": 6, "base": 10, "binder": 12, "paste": 14}
SAFETY = 1.04
"""Campaigns make 4 % more than the demand they cover (the rest stays in stock)."""
HEEL_PROBABILITY = {"binder": 0.7, "paste": 0.5, "base": 0.55, "bulk": 0.45, "finished": 0.0}
"""Chance a batch starts on the heel of the previous batch of the same product on the
same vessel (no clean-out in between): common in resin and dispersion plants."""
HEEL_MAX_GAP_MS = 21 * DAY_MS
"""A vessel that makes the same product again within three weeks keeps its heel."""
RELEASE_AHEAD_MS = 2 * DAY_MS
"""Work orders are released to the floor two days before their planned start."""
REJECT_RATE = 0.012
HOLD_RATE = 0.015
"""Share of batches quality control rejects or puts on hold (holds older than three
weeks have been investigated and released)."""


def _verdict(rng: random.Random) -> str:
    """QC's decision on a batch, drawn at planning time so that planning can replace it."""
    roll = rng.random()
    return "reject" if roll < REJECT_RATE else "hold" if roll < REJECT_RATE + HOLD_RATE else "pass"


class Production:
    """All work orders and batches of the plant, planned tier by tier on the equipment."""

    def __init__(self, catalog: Catalog, equipment: Equipment) -> None:
        self.catalog = catalog
        self.equipment = equipment
        self.work_orders: list[WorkOrderRec] = []
        self.batches: list[BatchRec] = []
        self._verdicts: dict[int, list[str]] = {}

    # --- finished goods: forward from the order ------------------------------------------
    def plan_finished(self, orders: list[SalesOrderRec], rng: random.Random) -> None:
        products = self.catalog.products
        pending: list[tuple[int, list[float], list[int]]] = []
        for so_index, so in enumerate(orders):
            for product, qty in so.lines:
                p = products[product]
                start = so.ordered_at + rng.randint(18, 96) * HOUR_MS
                n = math.ceil(qty / p.batch_size)
                sizes = [float(qty // n + (1 if i < qty % n else 0)) for i in range(n)]
                verdicts = [_verdict(rng) for _ in sizes]
                for i in range(n):  # a rejected batch is filled again right after it
                    if verdicts[i] == "reject":
                        sizes.append(sizes[i])
                        verdicts.append("pass")
                durations = [
                    int((0.5 + s / p.fill_rate * rng.uniform(0.95, 1.15)) * HOUR_MS) for s in sizes
                ]
                wo = WorkOrderRec(
                    product=product,
                    qty=qty,
                    planned_start=start,
                    planned_end=start + sum(durations) + (len(sizes) - 1) * 15 * MINUTE_MS,
                    sales_order=so_index,
                    cancelled=so.cancelled,
                )
                so.work_orders.append(len(self.work_orders))
                self._verdicts[len(self.work_orders)] = verdicts
                if not so.cancelled:
                    pending.append((len(self.work_orders), sizes, durations))
                self.work_orders.append(wo)
        self._assign_lines("finished", pending, rng)
        for wo in self.work_orders:
            if wo.cancelled:  # cancelled before release: planned on its usual line
                wo.line = products[wo.product].lines[0]
        self._schedule_forward(pending, rng)

    def _schedule_forward(
        self, pending: list[tuple[int, list[float], list[int]]], rng: random.Random
    ) -> None:
        pointer: dict[int, int] = {}
        last: dict[int, int] = {}
        pending = sorted(pending, key=lambda x: (self.work_orders[x[0]].planned_start, x[0]))
        for wo_index, sizes, durations in pending:
            wo = self.work_orders[wo_index]
            lines = self.catalog.products[wo.product].lines
            line = min(lines, key=lambda ln: (max(pointer.get(ln, 0), wo.planned_start), ln))
            t = max(pointer.get(line, 0), wo.planned_start)
            if last.get(line, wo.product) != wo.product:
                t = max(t, pointer[line] + CHANGEOVER_MS)
            wo.line = line
            for size, duration in zip(sizes, durations, strict=True):
                self._batch(wo_index, line, t, t + duration, size)
                t += duration + rng.randint(5, 30) * MINUTE_MS
            pointer[line] = self.batches[wo.batches[-1]].end
            last[line] = wo.product

    # --- intermediates: backward from the consumers --------------------------------------
    def plan_intermediates(self, rng: random.Random) -> None:
        products = self.catalog.products
        uses = [[(c.index, c.qty) for c in p.components if c.is_product] for p in products]
        for tier in (1, 2, 3):
            demand: dict[int, list[tuple[int, float]]] = {}
            for b in self.batches:
                for component, qty in uses[b.product]:
                    if products[component].tier == tier:
                        demand.setdefault(component, []).append((b.start, qty * b.qty))
            groups = sorted({g for g, t in TIER_OF_GROUP.items() if t == tier})
            for group in groups:
                pending = []
                for product in sorted(demand):
                    if products[product].group == group:
                        pending += self._campaigns(product, sorted(demand[product]), rng)
                self._assign_lines(group, pending, rng)
                self._schedule_backward(pending, rng)

    def _campaigns(
        self, product: int, events: list[tuple[int, float]], rng: random.Random
    ) -> list[tuple[int, list[float], list[int]]]:
        """Group a few days of demand into one work order, netting what is left in stock."""
        p = self.catalog.products[product]
        horizon_ms = CAMPAIGN_DAYS[p.group] * DAY_MS
        out = []
        stock = 0.0
        i = 0
        while i < len(events):
            first = events[i][0]
            total = 0.0
            while i < len(events) and events[i][0] < first + horizon_ms:
                if total and total + events[i][1] > 3.6 * p.batch_size:
                    break
                total += events[i][1]
                i += 1
            need = total * SAFETY - stock
            if need <= 0:
                stock -= total
                continue
            # Batches until the good ones cover the need: a batch that QC will reject or
            # hold is replaced within the same work order, as a planner would.
            sizes: list[float] = []
            verdicts: list[str] = []
            good = 0.0
            while good < need:
                sizes.append(round(p.batch_size * rng.uniform(0.97, 1.02), 1))
                verdicts.append(_verdict(rng))
                good += sizes[-1] if verdicts[-1] == "pass" else 0.0
            stock += good - total
            n = len(sizes)
            durations = [int(p.batch_hours * rng.uniform(0.95, 1.12) * HOUR_MS) for _ in range(n)]
            end = first - rng.randint(10, 36) * HOUR_MS
            wo = WorkOrderRec(
                product=product,
                qty=float(n * p.batch_size),
                planned_start=end - sum(durations) - (n - 1) * 20 * MINUTE_MS,
                planned_end=end,
                sales_order=-1,
            )
            out.append((len(self.work_orders), sizes, durations))
            self.work_orders.append(wo)
            self._verdicts[len(self.work_orders) - 1] = verdicts
        return out

    def _schedule_backward(
        self, pending: list[tuple[int, list[float], list[int]]], rng: random.Random
    ) -> None:
        pointer: dict[int, int] = {}
        first: dict[int, int] = {}
        far = NOW_MS + 10 * 365 * DAY_MS
        pending = sorted(pending, key=lambda x: (-self.work_orders[x[0]].planned_end, x[0]))
        for wo_index, sizes, durations in pending:
            wo = self.work_orders[wo_index]
            lines = self.catalog.products[wo.product].lines
            line = max(lines, key=lambda ln: (min(pointer.get(ln, far), wo.planned_end), -ln))
            end = min(pointer.get(line, far), wo.planned_end)
            if first.get(line, wo.product) != wo.product:
                end = min(end, pointer[line] - CHANGEOVER_MS)
            slots = []
            for duration in reversed(durations):
                slots.append((end - duration, end))
                end -= duration + rng.randint(10, 40) * MINUTE_MS
            wo.line = line
            for (start, stop), size in zip(reversed(slots), sizes, strict=True):
                self._batch(wo_index, line, start, stop, size)
            pointer[line] = self.batches[wo.batches[0]].start
            first[line] = wo.product

    # --- shared --------------------------------------------------------------------------
    def _assign_lines(
        self, group: str, pending: list[tuple[int, list[float], list[int]]], rng: random.Random
    ) -> None:
        """Create enough lines for the group's load; give each product its least-loaded lines."""
        load: dict[int, float] = {p: 0.0 for p in self.catalog.products_in(group)}
        for wo_index, _, durations in pending:
            load[self.work_orders[wo_index].product] += sum(durations) / HOUR_MS
        capacity = SPAN_HOURS * UTILISATION
        count = max(1, math.ceil(sum(load.values()) / capacity))
        lines = self.equipment.add_lines(group, count, rng)
        line_load = [0.0] * count
        for product in sorted(load, key=lambda p: (-load[p], p)):
            need = min(count, max(1, math.ceil(load[product] / (capacity * 0.9))))
            picks = sorted(range(count), key=lambda j: (line_load[j], j))[:need]
            for j in picks:
                line_load[j] += load[product] / need
            self.catalog.products[product].lines = [lines[j] for j in picks]

    def _batch(self, wo_index: int, line: int, start: int, end: int, qty: float) -> None:
        wo = self.work_orders[wo_index]
        verdicts = self._verdicts.get(wo_index)
        verdict = verdicts[len(wo.batches)] if verdicts else "pass"
        wo.batches.append(len(self.batches))
        self.batches.append(BatchRec(wo.product, wo_index, line, start, end, qty, verdict))

    # --- the state of everything at "now" ------------------------------------------------
    def settle(self, rng: random.Random) -> None:
        """Statuses at NOW, heel carry-over between consecutive batches, operations."""
        for b in self.batches:
            if b.start > NOW_MS:
                continue
            if b.end > NOW_MS:
                b.status = "in_progress"
                continue
            b.released_at = b.end + rng.randint(1, 8) * HOUR_MS + rng.randrange(60) * MINUTE_MS
            if b.released_at > NOW_MS:
                b.status = "completed"
            elif b.verdict == "reject":
                b.status = "rejected"
            elif b.verdict == "hold" and b.end > NOW_MS - 21 * DAY_MS:
                b.status = "on_hold"  # older holds have been investigated and released
            else:
                b.status = "released"
        self._heels(rng)
        for wo in self.work_orders:
            self._settle_work_order(wo, rng)

    def _heels(self, rng: random.Random) -> None:
        by_line: dict[int, list[int]] = {}
        for i, b in enumerate(self.batches):
            if b.start <= NOW_MS:
                by_line.setdefault(b.line, []).append(i)
        for line in sorted(by_line):
            chance = HEEL_PROBABILITY[self.equipment.lines[line].group]
            if not chance:
                continue
            ordered = sorted(by_line[line], key=lambda i: (self.batches[i].start, i))
            for prev, cur in pairwise(ordered):
                a, b = self.batches[prev], self.batches[cur]
                if (
                    a.product == b.product
                    and a.status != "rejected"
                    and b.start - a.end <= HEEL_MAX_GAP_MS
                    and rng.random() < chance
                ):
                    b.heel_from = prev

    def _settle_work_order(self, wo: WorkOrderRec, rng: random.Random) -> None:
        machines = self.equipment.lines[wo.line].machines
        k = min(len(machines), rng.choices((2, 3, 4), weights=(55, 35, 10))[0])
        chosen = [machines[0], *sorted(rng.sample(machines[1:], k - 1))]
        if wo.cancelled:
            wo.status = "cancelled"
        elif self.batches[wo.batches[0]].start > NOW_MS:
            wo.status = "released" if wo.planned_start - NOW_MS <= RELEASE_AHEAD_MS else "planned"
        else:
            wo.actual_start = self.batches[wo.batches[0]].start
            end = self.batches[wo.batches[-1]].end
            wo.status = "completed" if end <= NOW_MS else "in_progress"
            wo.actual_end = end if end <= NOW_MS else None
        for i, machine in enumerate(chosen):
            _, started, _ = self.operation_times(wo, i, k)
            operator = -1
            if started is not None:
                operator = self.equipment.crew_member(wo.line, started, rng)
            wo.ops.append((machine, operator))

    def operation_times(
        self, wo: WorkOrderRec, i: int, k: int
    ) -> tuple[int, int | None, int | None]:
        """(planned start, actual start, actual end) of operation `i` of `k`.

        The operations of a work order run as a pipeline over its batches: operation i
        starts i/k of a batch after the first batch starts and ends (k-1-i)/k of a batch
        before the last batch ends. Times after NOW are not yet known (None).
        """
        if not wo.batches:
            return wo.planned_start + i * HOUR_MS, None, None
        head = self.batches[wo.batches[0]]
        tail = self.batches[wo.batches[-1]]
        lead = (head.end - head.start) // k
        planned = wo.planned_start + i * lead
        start = head.start + i * lead
        end = tail.end - (k - 1 - i) * ((tail.end - tail.start) // k)
        if start > NOW_MS:
            return planned, None, None
        return planned, start, end if end <= NOW_MS else None
