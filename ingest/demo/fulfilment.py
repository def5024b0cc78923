"""Shipments of released finished batches, and the sales order statuses they imply.

An order ships once all its batches are released (rejected ones are left behind), a few
hours to two days later; it is delivered after the transit time to the customer's
country and closed two weeks after delivery. Multi-line orders sometimes ship line by
line. Everything is judged against the plant's fixed "now".
"""

from __future__ import annotations

import random

from ingest.demo.catalog import Catalog
from ingest.demo.production import Production
from ingest.demo.records import SalesOrderRec, ShipmentRec
from ingest.demo.timeline import DAY_MS, HOUR_MS, NOW_MS
from ingest.demo.vocabulary import TRANSIT_DAYS

SPLIT_RATE = 0.25
CLOSE_AFTER_MS = 14 * DAY_MS
PLAN_AHEAD_MS = 3 * DAY_MS


def plan_shipments(
    orders: list[SalesOrderRec], production: Production, catalog: Catalog, rng: random.Random
) -> list[ShipmentRec]:
    batches = production.batches
    shipments: list[ShipmentRec] = []
    for so_index, so in enumerate(orders):
        if so.cancelled:
            so.status = "cancelled"
            continue
        country = catalog.customers[so.customer].country
        wos = so.work_orders
        groups = [wos] if len(wos) == 1 or rng.random() >= SPLIT_RATE else [[w] for w in wos]
        shipped_all = True
        delivered_last = 0
        started = False
        for group in groups:
            members = [b for w in group for b in production.work_orders[w].batches]
            started = started or any(batches[b].start <= NOW_MS for b in members)
            if any(batches[b].status not in ("released", "rejected") for b in members):
                shipped_all = False  # still in production or quality control
                continue
            good = [b for b in members if batches[b].status == "released"]
            if not good:
                shipped_all = False
                continue
            ready = max(batches[b].released_at for b in good)
            ship = ready + rng.randint(4, 48) * HOUR_MS
            if ship > NOW_MS:
                shipped_all = False
                if ship - NOW_MS <= PLAN_AHEAD_MS:
                    shipments.append(
                        ShipmentRec(so_index, so.customer, good, "planned", None, ready)
                    )
                continue
            arrival = ship + TRANSIT_DAYS[country] * DAY_MS
            status = "delivered" if arrival <= NOW_MS else "shipped"
            delivered_last = max(delivered_last, arrival)
            shipments.append(ShipmentRec(so_index, so.customer, good, status, ship, ready))
        if shipped_all:
            so.status = "closed" if delivered_last + CLOSE_AFTER_MS <= NOW_MS else "shipped"
        else:
            so.status = "in_production" if started else "open"
    return shipments
