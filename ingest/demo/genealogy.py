"""Genealogy: which lots and intermediate batches each batch consumed, and how much.

Batches are replayed in start order against the stock of the moment: material lots
first-in-first-out (released after incoming inspection, not expired; now and then two
containers are open at once), intermediate batches once released by quality control,
plus the heel of the previous batch on the same vessel. What a batch takes is
subtracted from the lot, so a lot's remaining quantity is exactly its initial quantity
minus everything consumed from it.

The result is stored column-wise in arrays (a large plant has millions of edges).
"""

from __future__ import annotations

import random
from array import array
from collections import deque
from dataclasses import dataclass, field

from ingest.demo.catalog import Catalog
from ingest.demo.production import Production
from ingest.demo.purchasing import Purchasing
from ingest.demo.timeline import NOW_MS

SPLIT_RATE = 0.06
"""Chance that a material comes from two open containers although the first would do."""


@dataclass
class Genealogy:
    order: list[int]
    """Batches that exist (started before now), in start order: also their id order."""
    lot_offsets: array[int] = field(default_factory=lambda: array("q", [0]))
    lot_targets: array[int] = field(default_factory=lambda: array("q"))
    lot_qty: array[float] = field(default_factory=lambda: array("d"))
    batch_offsets: array[int] = field(default_factory=lambda: array("q", [0]))
    batch_targets: array[int] = field(default_factory=lambda: array("q"))
    batch_qty: array[float] = field(default_factory=lambda: array("d"))
    expedited: int = 0
    """Rush lots bought because stock ran short (rejected lots, demand spikes)."""
    fallbacks: int = 0
    """Intermediate needs met from the latest batch after the FIFO stock ran dry."""
    missing: int = 0
    """Intermediate components with no released batch at all (should stay zero)."""


def _take(remaining: float, need: float) -> float:
    take = round(min(need, remaining), 3)
    return remaining if remaining - take < 0.0005 else take


def trace_consumption(
    catalog: Catalog, production: Production, purchasing: Purchasing, rng: random.Random
) -> Genealogy:
    products = catalog.products
    batches = production.batches
    lots = purchasing.lots
    order = sorted(
        (i for i, b in enumerate(batches) if b.start <= NOW_MS),
        key=lambda i: (batches[i].start, i),
    )
    g = Genealogy(order)

    lot_queue: list[deque[int]] = [deque() for _ in catalog.materials]
    for i in sorted(range(len(lots)), key=lambda i: (lots[i].available_from, i)):
        if not lots[i].rejected:
            lot_queue[lots[i].material].append(i)

    releases = sorted(
        (i for i in order if batches[i].status == "released" and products[batches[i].product].tier),
        key=lambda i: (batches[i].released_at, i),
    )
    next_release = 0
    stock: list[deque[int]] = [deque() for _ in products]
    left: dict[int, float] = {}
    latest = [-1] * len(products)

    for bi in order:
        b = batches[bi]
        t = b.start
        while next_release < len(releases) and batches[releases[next_release]].released_at <= t:
            r = releases[next_release]
            stock[batches[r].product].append(r)
            left[r] = batches[r].qty
            latest[batches[r].product] = r
            next_release += 1
        for comp in products[b.product].components:
            need = round(comp.qty * b.qty, 3)
            if comp.is_product:
                _take_batches(g, stock[comp.index], left, latest[comp.index], need)
            else:
                _take_lots(g, purchasing, lot_queue[comp.index], comp.index, need, t, rng)
        if b.heel_from >= 0:
            prev = batches[b.heel_from]
            g.batch_targets.append(b.heel_from)
            g.batch_qty.append(round(prev.qty * rng.uniform(0.005, 0.03), 3))
        g.lot_offsets.append(len(g.lot_targets))
        g.batch_offsets.append(len(g.batch_targets))
    return g


def _take_lots(
    g: Genealogy,
    purchasing: Purchasing,
    queue: deque[int],
    material: int,
    need: float,
    t: int,
    rng: random.Random,
) -> None:
    lots = purchasing.lots
    while queue and (lots[queue[0]].remaining <= 0 or (lots[queue[0]].expires_at or t + 1) <= t):
        queue.popleft()
    cap = need
    if rng.random() < SPLIT_RATE and len(queue) > 1 and lots[queue[1]].available_from <= t:
        cap = need * rng.uniform(0.3, 0.7)
    j = 0
    while need > 0.0005:
        if j >= len(queue) or lots[queue[j]].available_from > t:
            queue.insert(j, purchasing.expedite(material, need, t, rng))
            g.expedited += 1
        lot = lots[queue[j]]
        if lot.remaining <= 0 or (lot.expires_at or t + 1) <= t:
            j += 1
            continue
        take = _take(lot.remaining, min(need, cap))
        cap = need  # only the first container is capped
        lot.remaining = round(lot.remaining - take, 3)
        need = round(need - take, 3)
        g.lot_targets.append(queue[j])
        g.lot_qty.append(take)
        j += 1


def _take_batches(
    g: Genealogy, queue: deque[int], left: dict[int, float], latest: int, need: float
) -> None:
    taken: dict[int, float] = {}
    while need > 0.0005:
        while queue and left[queue[0]] <= 0.0005:
            queue.popleft()
        if not queue:
            if latest < 0:
                g.missing += 1
                break
            # Stock records and the floor disagree: book the rest on the latest batch.
            taken[latest] = round(taken.get(latest, 0.0) + need, 3)
            g.fallbacks += 1
            break
        r = queue[0]
        take = _take(left[r], need)
        left[r] = round(left[r] - take, 3)
        need = round(need - take, 3)
        taken[r] = round(taken.get(r, 0.0) + take, 3)
    for r, qty in taken.items():
        g.batch_targets.append(r)
        g.batch_qty.append(qty)
