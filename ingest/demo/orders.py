"""Customer demand: a year of sales orders for finished goods, placed on working days.

Best sellers and big customers are drawn more often (skewed weights), quantities are
whole pallets, and a few orders are cancelled before anything is made for them.
"""

from __future__ import annotations

import random
from itertools import accumulate

from ingest.demo.catalog import Catalog
from ingest.demo.records import SalesOrderRec
from ingest.demo.timeline import DAY_MS, HOUR_MS, MINUTE_MS, START_MS, WINDOW_DAYS, weekday

CANCEL_RATE = 0.025


def build_sales_orders(count: int, catalog: Catalog, rng: random.Random) -> list[SalesOrderRec]:
    times = sorted(_order_time(rng) for _ in range(count))
    customers = range(len(catalog.customers))
    customer_cum = list(accumulate(catalog.customer_weights))
    product_cum = list(accumulate(catalog.finished_weights))
    orders = []
    for ordered_at in times:
        customer = rng.choices(customers, cum_weights=customer_cum)[0]
        wanted = rng.choices((1, 2, 3), cum_weights=(60, 88, 100))[0]
        products: list[int] = []
        for product in rng.choices(catalog.finished, cum_weights=product_cum, k=wanted):
            if product not in products:
                products.append(product)
        lines = []
        for product in products:
            pallets = min(24, 1 + int(rng.expovariate(1 / 3)))
            lines.append((product, float(pallets * catalog.products[product].per_pallet)))
        priority = rng.choices((1, 2, 3, 4, 5), cum_weights=(4, 18, 80, 95, 100))[0]
        lead_days = rng.randint(5, 10) if priority <= 2 else rng.randint(8, 25)
        orders.append(
            SalesOrderRec(
                customer=customer,
                ordered_at=ordered_at,
                due_at=ordered_at + lead_days * DAY_MS,
                priority=priority,
                lines=lines,
                cancelled=rng.random() < CANCEL_RATE,
            )
        )
    return orders


def _order_time(rng: random.Random) -> int:
    """An instant in office hours on a working day (now and then a weekend web order)."""
    while True:
        day = START_MS + rng.randrange(WINDOW_DAYS - 1) * DAY_MS
        if weekday(day) < 5 or rng.random() < 0.05:
            return day + rng.randint(7, 17) * HOUR_MS + rng.randrange(60) * MINUTE_MS
