"""Quality events and recent machine state changes.

Incoming inspections of lots (every rejected lot, a sample of the accepted ones),
deviations and nonconformances on batches (every rejected or held batch, a few others,
often naming the machine too), customer complaints about shipped batches, and
maintenance findings on machines. The last few state transitions of each machine end in
the state the machine shows now.
"""

from __future__ import annotations

import random

from ingest.demo.catalog import Catalog
from ingest.demo.equipment import Equipment
from ingest.demo.genealogy import Genealogy
from ingest.demo.production import Production
from ingest.demo.purchasing import Purchasing
from ingest.demo.records import QualityEventRec, ShipmentRec, StateChangeRec
from ingest.demo.timeline import DAY_MS, HOUR_MS, MINUTE_MS, NOW_MS, START_MS
from ingest.demo.vocabulary import (
    BATCH_DEVIATIONS,
    COMPLAINTS,
    LOT_DEFECTS,
    MACHINE_ISSUES,
)

DEVIATION_RATE = 0.03
COMPLAINT_RATE = 0.004
MACHINE_EVENTS_PER_YEAR = 3


def quality_events(
    catalog: Catalog,
    equipment: Equipment,
    production: Production,
    purchasing: Purchasing,
    genealogy: Genealogy,
    shipments: list[ShipmentRec],
    rng: random.Random,
) -> list[QualityEventRec]:
    events: list[QualityEventRec] = []
    for index, lot in enumerate(purchasing.lots):
        material = catalog.materials[lot.material]
        at = lot.received_at + rng.randint(2, 20) * HOUR_MS
        if lot.rejected:
            defect = rng.choice(LOT_DEFECTS[material.category])
            severity = rng.choice(("medium", "medium", "high"))
            text = f"Incoming inspection of {material.name}: {defect}; lot rejected"
            events.append(QualityEventRec("inspection_failed", severity, at, text, lots=(index,)))
        elif lot.available_from > lot.received_at:  # a rush lot is released on its certificate
            text = (
                f"Incoming inspection of {material.name}: "
                "certificate verified, sample in specification"
            )
            events.append(QualityEventRec("inspection_passed", "low", at, text, lots=(index,)))

    batches = production.batches
    for index in genealogy.order:
        b = batches[index]
        group = catalog.products[b.product].group
        machine = equipment.lines[b.line].machines[0]
        name = catalog.products[b.product].name
        if b.status == "rejected":
            text = f"{name}: {rng.choice(BATCH_DEVIATIONS[group])}; batch rejected"
            severity = rng.choice(("high", "high", "critical"))
            events.append(
                QualityEventRec(
                    "nonconformance",
                    severity,
                    b.released_at,
                    text,
                    batches=(index,),
                    machines=(machine,),
                )
            )
        elif b.status == "on_hold":
            deviation = rng.choice(BATCH_DEVIATIONS[group])
            text = f"{name}: {deviation}; batch on hold pending investigation"
            events.append(
                QualityEventRec(
                    "deviation", "medium", b.end, text, batches=(index,), machines=(machine,)
                )
            )
        else:
            if b.status == "released":
                text = _release_test(group, rng)
                events.append(
                    QualityEventRec(
                        "inspection_passed", "low", b.released_at, text, batches=(index,)
                    )
                )
            if rng.random() >= DEVIATION_RATE:
                continue
            text = f"{name}: {rng.choice(BATCH_DEVIATIONS[group])}"
            at = b.start + (b.end - b.start) // 2
            on_machine = (machine,) if rng.random() < 0.5 else ()
            severity = rng.choice(("low", "low", "medium"))
            events.append(
                QualityEventRec(
                    "deviation", severity, at, text, batches=(index,), machines=on_machine
                )
            )

    for shipment in shipments:
        if shipment.shipped_at is None:
            continue
        for index in shipment.batches:
            if rng.random() < COMPLAINT_RATE:
                at = shipment.shipped_at + rng.randint(5, 40) * DAY_MS
                if at <= NOW_MS:
                    severity = rng.choice(("medium", "high"))
                    text = rng.choice(COMPLAINTS)
                    events.append(
                        QualityEventRec("customer_complaint", severity, at, text, batches=(index,))
                    )

    for index, rec in enumerate(equipment.machines):
        group = equipment.lines[rec.line].group
        for _ in range(rng.randint(0, 2 * MACHINE_EVENTS_PER_YEAR)):
            at = START_MS + rng.randrange(NOW_MS - START_MS)
            issue = rng.choice(MACHINE_ISSUES[group])
            kind, severity = rng.choice(
                (("deviation", "low"), ("deviation", "medium"), ("nonconformance", "high"))
            )
            text = f"{rec.name}: {issue}"
            events.append(QualityEventRec(kind, severity, at, text, machines=(index,)))
    return events


def _release_test(group: str, rng: random.Random) -> str:
    """The quality control record that released a batch, with plausible measured values."""
    if group == "finished":
        return (
            f"Release test: fill weight {rng.uniform(99.6, 100.8):.1f} % of nominal, "
            f"colour ΔE {rng.uniform(0.1, 0.9):.1f}, closure check passed"
        )
    if group == "binder":
        return (
            f"Release test: solids {rng.uniform(49, 53):.1f} %, pH {rng.uniform(7.8, 8.9):.1f}, "
            f"residual monomer {rng.randint(80, 450)} ppm"
        )
    if group == "paste":
        return (
            f"Release test: fineness of grind {rng.randint(5, 10)} µm, "
            f"tinting strength {rng.uniform(97, 103):.1f} %"
        )
    return (
        f"Release test: viscosity {rng.randint(85, 115)} KU, "
        f"density {rng.uniform(1.2, 1.5):.2f} g/mL, colour ΔE {rng.uniform(0.1, 0.9):.1f}"
    )


STATES = ("executing", "not_executing", "out_of_service", "not_available")
STATE_WEIGHTS = (65, 25, 7, 3)


def state_changes(equipment: Equipment, rng: random.Random) -> list[StateChangeRec]:
    """The last 2-4 transitions of every machine; the machine's state is the last one."""
    changes: list[StateChangeRec] = []
    for index, machine in enumerate(equipment.machines):
        at = NOW_MS - rng.randint(24, 36) * HOUR_MS
        state: str | None = None
        for _ in range(rng.randint(2, 4)):
            nxt = rng.choices(STATES, weights=STATE_WEIGHTS)[0]
            while nxt == state:
                nxt = rng.choices(STATES, weights=STATE_WEIGHTS)[0]
            changes.append(StateChangeRec(index, state, nxt, at))
            state = nxt
            machine.state, machine.state_at = nxt, at
            at += rng.randint(20, 480) * MINUTE_MS
    return changes
