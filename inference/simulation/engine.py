"""The operations simulator: orders flow through machines that wear, fail and wait for material.

Every tick (15 min) the run, in order: books arriving sales orders (each explodes into a
make-to-order chain of work orders, one per product level of its bill of materials),
reviews purchasing once a day, receives deliveries as lots, starts work orders whose
components are done and whose materials are on hand (else records a shortage), dispatches
waiting operations to idle machines (earliest planned end first), and runs the busy
machines. A busy machine advances its AI4I physics (`ingest.plant_sim.physics`, the same
model the simulated OPC UA plant runs) by `PHYSICS_S_PER_H` physics seconds per hour: a
machine wears only while it works, so load drives failures. A physics failure takes the
machine down for a repair drawn here (hours, not the physics' minutes), and nothing runs
on it meanwhile. When a work order's last operation ends it yields a batch, which consumed
the lots taken at start and its component work orders' batches; a batch is defective when
any input is (a bad lot, a defective intermediate batch) or, rarely, from the machine's
wear; quality control catches some defective batches, the rest are released and found
defective days later (the quality escapes). A sales order ships when its work orders are
done.

Purchasing is driven by booked demand only (inventory position = stock + on order -
committed demand), never by production timing, so a scripted machine outage changes
nothing upstream. Every random draw about one entity comes from a stream keyed by that
entity, so a scripted cause changes only what it causes.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

import numpy as np

from domain.states import MachineState
from inference.simulation.history import (
    TELEMETRY,
    Batch,
    Failure,
    History,
    Lot,
    Operation,
    PurchaseOrder,
    SalesOrder,
    Structure,
    WorkOrder,
)
from inference.simulation.scenario import Scenario
from inference.simulation.structure import Plant, Product, load_plant
from ingest.plant_sim.physics import (
    MachineModel,
    MachineParams,
    draw_quality,
    machine_rng,
    scrap_probability,
)

START = datetime(2026, 1, 5, tzinfo=UTC)
TICK_H = 0.25
PHYSICS_S_PER_H = 180.0
"""Physics seconds a busy machine lives per hour: about 0.3 failures a machine-day."""
REPAIR_MEDIAN_H = 5.0
REPAIR_RANGE_H = (1.0, 30.0)
OP_FACTOR = 0.25
"""An operation takes this share of the product's batch hours on each machine of its line."""
UTILISATION = 0.72
"""Mean load of the busiest machine, from which the order rate is set."""
SHIP_BUFFER_H = 4.0
QUEUE_ALLOWANCE_H = 6.0
REVIEW_H = 24.0
COVER_DAYS = 3.0
ORDER_DAYS = 6.0
INITIAL_DAYS = 7.0
QC_CATCH_P = 0.35
MACHINE_DEFECT_SCALE = 0.3


def _rng(seed: int, *key: object) -> random.Random:
    return random.Random(":".join(("fg-opsim", str(seed), *map(str, key))))


def simulate(
    seed: int, days: float, *, scale: str = "small", scenario: Scenario | None = None
) -> History:
    """Run `days` of operations for `seed`; the same arguments give the same history."""
    return _Run(load_plant(scale, seed), seed, days, scenario or Scenario()).run()


class _Run:
    def __init__(self, plant: Plant, seed: int, days: float, scenario: Scenario) -> None:
        self.plant, self.seed, self.days, self.sc = plant, seed, days, scenario
        demo = plant.demo
        eq, cat = demo.equipment, demo.catalog
        self.n_m = len(eq.machines)
        self.structure = Structure(
            machine_ids=[m.id for m in eq.machines],
            machine_line=[m.line for m in eq.machines],
            line_machines=[list(line.machines) for line in eq.lines],
            product_ids=[p.id for p in plant.products],
            product_tier=[p.tier for p in plant.products],
            material_ids=[m.id for m in cat.materials],
            material_daily=[0.0] * len(cat.materials),
            material_supplier=[m.suppliers[0] for m in cat.materials],
            supplier_ids=[s.id for s in cat.suppliers],
            customer_ids=[c.id for c in cat.customers],
        )
        self.rate_per_h = self._order_rate()
        self.sales: list[SalesOrder] = []
        self.wos: list[WorkOrder] = []
        self.ops: list[Operation] = []
        self.batches: list[Batch] = []
        self.pos: list[PurchaseOrder] = []
        self.lots: list[Lot] = []
        self.failures: list[Failure] = []
        self.shortages: list[tuple[int, float]] = []
        self.position = [0.0] * len(cat.materials)
        self.stock: list[list[int]] = [[] for _ in cat.materials]  # lot indices, FIFO
        self.bad_pending = list(scenario.bad_lots)
        self.supplier_late_p = [_rng(seed, "sup", s.id).uniform(0.05, 0.35) for s in cat.suppliers]
        self.supplier_bad_p = [_rng(seed, "sup-q", s.id).uniform(0.0, 0.05) for s in cat.suppliers]
        self.models = []
        for m in eq.machines:
            quality = draw_quality(_rng(seed, "quality", m.id))
            params = MachineParams(ideal_cycle_time_s=30.0 * m.speed, quality=quality)
            self.models.append(MachineModel(params, machine_rng(seed, m.id)))
        self.down_until = [0.0] * self.n_m
        self.current: list[int] = [-1] * self.n_m
        self.waiting: list[list[int]] = [[] for _ in range(self.n_m)]
        self.failure_count = [0] * self.n_m

    # --- set-up -----------------------------------------------------------------------
    def _explode(self, product: int, rel: float, acc_h: list[float], acc_m: list[float]) -> None:
        p = self.plant.products[product]
        for m in self.structure.line_machines[p.line]:
            acc_h[m] += p.batch_hours * rel * self.plant.machine_speed[m] * OP_FACTOR
        for mat, q in p.materials:
            acc_m[mat] += q * rel
        for c in p.components:
            self._explode(c, rel, acc_h, acc_m)

    def _order_rate(self) -> float:
        hours = [0.0] * self.n_m
        mats = [0.0] * len(self.structure.material_ids)
        for f in self.plant.finished:
            self._explode(f, 1.0, hours, mats)
        k = len(self.plant.finished)
        per_order = [h / k for h in hours]
        rate = UTILISATION / max(per_order)
        self.structure.material_daily = [max(1e-6, q / k * rate * 24) for q in mats]
        return rate

    def _initial_stock(self) -> None:
        for mat, daily in enumerate(self.structure.material_daily):
            sup = self.structure.material_supplier[mat]
            for part in (0.5, 0.5):
                qty = daily * INITIAL_DAYS * part
                self._receive(PurchaseOrder(mat, sup, qty, -240.0, -48.0, -48.0), -48.0)
                self.position[mat] += qty

    def _book_orders(self) -> list[tuple[float, int, int, float, float]]:
        rng = _rng(self.seed, "orders")
        out: list[tuple[float, int, int, float, float]] = []
        t = 0.0
        while True:
            t += rng.expovariate(self.rate_per_h)
            if t >= self.days * 24:
                return out
            product = rng.choice(self.plant.finished)
            customer = rng.randrange(len(self.structure.customer_ids))
            out.append((t, product, customer, rng.uniform(0.5, 1.5), rng.uniform(1.3, 2.6)))

    # --- orders -----------------------------------------------------------------------
    def _own_hours(self, p: Product, rel: float) -> float:
        return sum(
            p.batch_hours * rel * self.plant.machine_speed[m] * OP_FACTOR
            for m in self.structure.line_machines[p.line]
        )

    def _chain_hours(self, product: int, rel: float) -> float:
        p = self.plant.products[product]
        own = self._own_hours(p, rel) + QUEUE_ALLOWANCE_H
        return own + max((self._chain_hours(c, rel) for c in p.components), default=0.0)

    def _place(self, t: float, product: int, customer: int, rel: float, tight: float) -> None:
        so = SalesOrder(f"SO-{len(self.sales) + 1:05d}", customer, product, rel, t, 0.0)
        so.due_h = t + self._chain_hours(product, rel) * tight + SHIP_BUFFER_H + 12.0
        self.sales.append(so)
        self._add_wo(len(self.sales) - 1, product, rel, t, so.due_h - SHIP_BUFFER_H, -1)
        for mat, qty in self._demand(product, rel):
            self.position[mat] -= qty

    def _demand(self, product: int, rel: float) -> list[tuple[int, float]]:
        p = self.plant.products[product]
        out = [(m, q * rel) for m, q in p.materials]
        for c in p.components:
            out += self._demand(c, rel)
        return out

    def _add_wo(self, so: int, product: int, rel: float, t: float, end: float, parent: int) -> int:
        p = self.plant.products[product]
        own = self._own_hours(p, rel)
        start = end - own - QUEUE_ALLOWANCE_H
        w = len(self.wos)
        wo = WorkOrder(
            f"WO-{w + 1:05d}",
            so,
            product,
            p.tier,
            rel,
            t,
            start,
            end,
            {m: q * rel for m, q in p.materials},
            parent,
        )
        self.wos.append(wo)
        self.sales[so].work_orders.append(w)
        for seq, m in enumerate(self.structure.line_machines[p.line]):
            ideal = p.batch_hours * rel * self.plant.machine_speed[m] * OP_FACTOR
            wo.operations.append(len(self.ops))
            self.ops.append(Operation(f"OP-{len(self.ops) + 1:06d}", w, seq, m, ideal))
        for c in p.components:
            wo.components.append(self._add_wo(so, c, rel, t, start, w))
        return w

    # --- purchasing -------------------------------------------------------------------
    def _review(self, t: float) -> None:
        cat = self.plant.demo.catalog
        for mat, daily in enumerate(self.structure.material_daily):
            lead_days = min(6, max(2, cat.materials[mat].lead_days // 4))
            if self.position[mat] >= daily * (lead_days + COVER_DAYS):
                continue
            sup = self.structure.material_supplier[mat]
            qty = daily * ORDER_DAYS
            n = len(self.pos)
            rng = _rng(self.seed, "po", n)
            due = t + lead_days * 24
            delay = (
                rng.uniform(12, 96)
                if rng.random() < self.supplier_late_p[sup]
                else -rng.uniform(0, 12)
            )
            for d in self.sc.delays:
                if self.structure.supplier_ids[sup] == d.supplier_id and d.from_h <= t < d.to_h:
                    delay += d.extra_h
            self.pos.append(PurchaseOrder(mat, sup, qty, t, due, max(t + 24, due + delay)))
            self.position[mat] += qty

    def _receive(self, po: PurchaseOrder, t: float) -> None:
        n = len(self.lots)
        bad = _rng(self.seed, "lot", n).random() < self.supplier_bad_p[po.supplier]
        sid = self.structure.supplier_ids[po.supplier]
        for b in list(self.bad_pending):
            if b.supplier_id == sid and t >= b.after_h:
                bad = True
                self.bad_pending.remove(b)
        po.lot = n
        self.lots.append(Lot(f"ML-{n + 1:05d}", po.material, po.supplier, po.qty, t, bad))
        self.stock[po.material].append(n)

    # --- production -------------------------------------------------------------------
    def _on_hand(self, mat: int) -> float:
        return sum(self.lots[i].qty - sum(u[1] for u in self.lots[i].uses) for i in self.stock[mat])

    def _try_start(self, w: int, t: float) -> None:
        wo = self.wos[w]
        short = [m for m, q in wo.needs.items() if self._on_hand(m) < q - 1e-9]
        if short:
            wo.blocked_h.append(t)
            self.shortages.extend((m, t) for m in short)
            return
        wo.started_h = t
        self.taken[w] = []
        for mat, q in wo.needs.items():
            need = q
            while need > 1e-9:
                i = self.stock[mat][0]
                lot = self.lots[i]
                left = lot.qty - sum(u[1] for u in lot.uses)
                take = min(left, need)
                lot.uses.append((t, take, -1 - w))  # batch filled in at completion
                self.taken[w].append((i, take))
                need -= take
                if left - take <= 1e-9:
                    self.stock[mat].pop(0)
        first = self.ops[wo.operations[0]]
        self.waiting[first.machine].append(wo.operations[0])

    def _dispatch(self, m: int, t: float) -> None:
        if self.current[m] >= 0 or not self.waiting[m] or t < self.down_until[m]:
            return
        best = min(
            self.waiting[m], key=lambda o: (self.wos[self.ops[o].work_order].planned_end_h, o)
        )
        self.waiting[m].remove(best)
        self.current[m] = best
        self.ops[best].start_h = t

    def _run_machine(self, m: int, t: float, tick: int, tel: np.ndarray) -> None:
        o = self.current[m]
        model = self.models[m]
        if o < 0 or t < self.down_until[m]:
            tel[tick, m, :] = np.nan
            tel[tick, m, TELEMETRY.index("tool_wear")] = model.tool_wear_min
            tel[tick, m, TELEMETRY.index("busy")] = 0.0
            return
        failed = None
        for tr in model.step(PHYSICS_S_PER_H * TICK_H):
            if tr.state is MachineState.OUT_OF_SERVICE:
                failed = tuple(str(f) for f in tr.failures)
                break
        guard = 0
        while model.state is not MachineState.EXECUTING and guard < 200:
            model.step(300.0)  # repairs, setups and stops pass while the plant repairs
            guard += 1
        c = model.process
        if c is not None:
            tel[tick, m, :] = (
                c.torque,
                c.rotational_speed,
                c.air_temperature,
                c.process_temperature,
                c.power,
                model.tool_wear_min,
                1.0,
            )
        op = self.ops[o]
        done = op.progress[-1][1] if op.progress else 0.0
        if failed is not None:
            self._fail(m, t, failed)
            frac = 0.5
        else:
            frac = 1.0
        done = min(op.ideal_h, done + TICK_H * frac)
        op.progress.append((t + TICK_H, done))
        if done >= op.ideal_h - 1e-9:
            self._finish_op(o, t + TICK_H)

    def _fail(self, m: int, t: float, modes: tuple[str, ...]) -> None:
        rng = _rng(self.seed, "repair", m, self.failure_count[m])
        self.failure_count[m] += 1
        hours = REPAIR_MEDIAN_H * math.exp(rng.gauss(0.0, 0.7))
        up = t + min(max(hours, REPAIR_RANGE_H[0]), REPAIR_RANGE_H[1])
        self.down_until[m] = max(self.down_until[m], up)
        self.failures.append(Failure(m, t, up, modes))

    def _finish_op(self, o: int, t: float) -> None:
        op = self.ops[o]
        op.end_h = t
        self.current[op.machine] = -1
        wo = self.wos[op.work_order]
        if op.seq + 1 < len(wo.operations):
            nxt = wo.operations[op.seq + 1]
            self.waiting[self.ops[nxt].machine].append(nxt)
        else:
            self._finish_wo(op.work_order, t, op.machine)

    def _finish_wo(self, w: int, t: float, machine: int) -> None:
        wo = self.wos[w]
        wo.done_h = t
        b = len(self.batches)
        lots = self.taken.pop(w, [])
        for i, _ in lots:
            lot = self.lots[i]
            lot.uses = [(h, q, b if x == -1 - w else x) for h, q, x in lot.uses]
        inputs = [self.wos[c].batch for c in wo.components]
        rng = _rng(self.seed, "batch", wo.id)
        wear = self.models[machine].tool_wear_min
        temp = self.models[machine].air_k + 10.0
        own_defect = rng.random() < MACHINE_DEFECT_SCALE * scrap_probability(wear, temp)
        defective = (
            own_defect
            or any(self.lots[i].bad for i, _ in lots)
            or any(self.batches[x].defective for x in inputs)
        )
        caught = defective and rng.random() < QC_CATCH_P
        score = rng.gauss(0.0, 1.0) + (0.7 if defective else 0.0)
        found = t + rng.uniform(24.0, 240.0) if defective and not caught else None
        self.batches.append(
            Batch(
                f"B-{b + 1:06d}",
                w,
                wo.product,
                machine,
                t,
                lots,
                inputs,
                score,
                wear,
                defective,
                caught,
                found,
            )
        )
        wo.batch = b
        so = self.sales[wo.sales_order]
        if wo.parent >= 0:
            parent = self.wos[wo.parent]
            if all(self.wos[c].done_h is not None for c in parent.components):
                self.ready.append(wo.parent)
        elif all(self.wos[x].done_h is not None for x in so.work_orders):
            so.shipped_h = t

    # --- the loop ---------------------------------------------------------------------
    def run(self) -> History:
        self.taken: dict[int, list[tuple[int, float]]] = {}
        self.ready: list[int] = []
        self._initial_stock()
        orders = self._book_orders()
        forced = sorted(self.sc.failures, key=lambda f: f.at_h)
        ticks = round(self.days * 24 / TICK_H)
        tel = np.zeros((ticks, self.n_m, len(TELEMETRY)), dtype=np.float32)
        blocked: list[int] = []
        k = 0
        for tick in range(ticks):
            t = tick * TICK_H
            while k < len(orders) and orders[k][0] <= t:
                n0 = len(self.wos)
                self._place(*orders[k])
                k += 1
                self.ready.extend(w for w in range(n0, len(self.wos)) if not self.wos[w].components)
            if t % REVIEW_H == 0:
                self._review(t)
            for po in self.pos:
                if po.lot < 0 and po.arrived_h <= t:
                    self._receive(po, t)
            for f in forced:
                if t <= f.at_h < t + TICK_H:
                    m = self.structure.machine_ids.index(f.machine_id)
                    self.down_until[m] = max(self.down_until[m], f.at_h + f.hours)
                    self.failures.append(Failure(m, f.at_h, f.at_h + f.hours, ("forced",)))
            candidates = sorted(
                set(blocked + self.ready), key=lambda w: (self.wos[w].planned_end_h, w)
            )
            self.ready = []
            blocked = []
            for w in candidates:
                self._try_start(w, t)
                if self.wos[w].started_h is None:
                    blocked.append(w)
            for m in range(self.n_m):
                self._dispatch(m, t)
                self._run_machine(m, t, tick, tel)
        return History(
            seed=self.seed,
            days=self.days,
            tick_h=TICK_H,
            start=START,
            structure=self.structure,
            sales_orders=self.sales,
            work_orders=self.wos,
            operations=self.ops,
            batches=self.batches,
            purchase_orders=self.pos,
            lots=self.lots,
            failures=self.failures,
            shortages=self.shortages,
            telemetry=tel,
        )
