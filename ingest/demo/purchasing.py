"""Purchase orders and received material lots, planned from what production will consume.

Each material is ordered on its own cycle (weekly to monthly): the demand of one cycle,
net of the stock left over, rounded up to whole delivery packs, delivered as 1-3 lots
a few days before it is needed. A few lots fail incoming inspection; when that leaves
production short, `expedite` records the rush delivery a planner would have arranged.
"""

from __future__ import annotations

import math
import random

from ingest.demo.catalog import Catalog
from ingest.demo.records import BatchRec, LotRec, PurchaseOrderRec
from ingest.demo.timeline import DAY_MS, HOUR_MS, MINUTE_MS, NOW_MS

REJECT_RATE = 0.025
CANCEL_RATE = 0.06
"""Share of not-yet-delivered purchase orders that were cancelled."""
SUPPLIER_SHARE = (0.7, 0.2, 0.1)
FORECAST_DAYS = 42
HISTORY_DAYS = 56


def _forecast(firm: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Daily demand after the firm orders run out: the average of the last eight weeks.

    Buyers order ahead of confirmed production, so the purchase orders open at "now"
    are the ones placed against this forecast.
    """
    since = NOW_MS - HISTORY_DAYS * DAY_MS
    daily = sum(q for t, q in firm if since <= t < NOW_MS) / HISTORY_DAYS
    if not daily:
        return []
    day = max(NOW_MS, firm[-1][0]) + DAY_MS
    out = []
    while day < NOW_MS + FORECAST_DAYS * DAY_MS:
        out.append((day, daily))
        day += DAY_MS
    return out


class Purchasing:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.orders: list[PurchaseOrderRec] = []
        self.lots: list[LotRec] = []

    def plan(self, batches: list[BatchRec], rng: random.Random) -> None:
        materials = self.catalog.materials
        uses = [
            [(c.index, c.qty) for c in p.components if not c.is_product]
            for p in self.catalog.products
        ]
        demand: list[list[tuple[int, float]]] = [[] for _ in materials]
        for b in batches:
            for material, qty in uses[b.product]:
                demand[material].append((b.start, qty * b.qty))
        for material, events in enumerate(demand):
            events.sort()
            events += _forecast(events)
            m = materials[material]
            stock = 0.0
            i = 0
            while i < len(events):
                first = events[i][0]
                total = 0.0
                while i < len(events) and events[i][0] < first + m.cycle_days * DAY_MS:
                    total += events[i][1]
                    i += 1
                need = total - stock
                if need <= 0:
                    stock -= total
                    continue
                packs = math.ceil(need * rng.uniform(1.05, 1.2) / m.pack)
                stock += packs * m.pack - total
                self._order(material, packs, first, rng)

    def _order(self, material: int, packs: int, needed_at: int, rng: random.Random) -> None:
        m = self.catalog.materials[material]
        n = min(packs, rng.choices((1, 2, 3), weights=(55, 30, 15))[0])
        arrive = needed_at - rng.randint(24, 96) * HOUR_MS
        receipts = sorted(arrive - j * rng.randint(12, 48) * HOUR_MS for j in range(n))
        ordered_at = receipts[0] - int(m.lead_days * rng.uniform(0.8, 1.3) * DAY_MS)
        if ordered_at > NOW_MS:
            return  # not ordered yet
        supplier = rng.choices(m.suppliers, weights=SUPPLIER_SHARE[: len(m.suppliers)])[0]
        po = PurchaseOrderRec(supplier, material, packs * m.pack, ordered_at, arrive)
        po_index = len(self.orders)
        self.orders.append(po)
        split = [packs // n + (1 if j < packs % n else 0) for j in range(n)]
        delivered = 0
        for received, lot_packs in zip(receipts, split, strict=True):
            rejected = rng.random() < REJECT_RATE
            qc = rng.randint(4, 24) * HOUR_MS
            if received > NOW_MS:
                continue
            po.lots.append(
                self._lot(material, supplier, po_index, lot_packs * m.pack, received, qc, rejected)
            )
            if rejected:  # the supplier replaces a rejected delivery under the same order
                received += rng.randint(2, 6) * DAY_MS
                if received > NOW_MS:
                    continue
                qc = rng.randint(4, 24) * HOUR_MS
                po.lots.append(
                    self._lot(material, supplier, po_index, lot_packs * m.pack, received, qc, False)
                )
            delivered += 1
        if delivered == n:
            po.status = "received"
        elif po.lots:
            po.status = "partially_received"
        else:
            po.status = "cancelled" if rng.random() < CANCEL_RATE else "open"

    def _lot(
        self,
        material: int,
        supplier: int,
        po: int,
        qty: float,
        received: int,
        qc_ms: int,
        rejected: bool,
    ) -> int:
        shelf = self.catalog.materials[material].shelf_life_days
        self.lots.append(
            LotRec(
                material=material,
                supplier=supplier,
                purchase_order=po,
                initial=float(qty),
                received_at=received,
                available_from=received + qc_ms,
                expires_at=received + shelf * DAY_MS if shelf else None,
                rejected=rejected,
                remaining=float(qty),
            )
        )
        return len(self.lots) - 1

    def expedite(self, material: int, shortfall: float, at: int, rng: random.Random) -> int:
        """A rush delivery, released on the supplier's certificate, just before `at`."""
        m = self.catalog.materials[material]
        packs = max(1, math.ceil(shortfall * rng.uniform(1.5, 3) / m.pack))
        received = at - rng.randint(4, 12) * HOUR_MS - rng.randrange(60) * MINUTE_MS
        po = PurchaseOrderRec(
            m.suppliers[0], material, packs * m.pack, received - 3 * DAY_MS, received
        )
        po.status = "received"
        self.orders.append(po)
        lot = self._lot(
            material, m.suppliers[0], len(self.orders) - 1, packs * m.pack, received, 0, False
        )
        po.lots.append(lot)
        return lot
