"""Find objects by what a person types: an id, a supplier lot number, or the start of an id.

Labels cannot be parameters, so the statement is a UNION ALL of fixed per-label parts
built once from the table below; the typed text and the limit are parameters. Exact
matches use each label's unique `id` index (and `MaterialLot.supplier_lot`'s index).
FalkorDB runs `STARTS WITH` as a label scan, so for ASCII text the prefix part is the
index range `[text, text with its last character incremented)` (an index scan in its
plan), still filtered by `STARTS WITH`. Range bounds with non-ASCII characters went
wrong in a test here (a bound ending in U+10FFFF matched nothing), so other text takes
the scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.store import GraphStore

PROJECTIONS: dict[str, str] = {
    "Machine": "n.name AS name, n.state AS status, null AS extra",
    "SalesOrder": "null AS name, n.status AS status, null AS extra",
    "WorkOrder": "null AS name, n.status AS status, null AS extra",
    "MaterialLot": "null AS name, n.status AS status, n.supplier_lot AS extra",
    "Batch": "null AS name, n.status AS status, null AS extra",
    "Customer": "n.name AS name, null AS status, null AS extra",
    "Supplier": "n.name AS name, null AS status, null AS extra",
    "Product": "n.name AS name, null AS status, null AS extra",
    "Material": "n.name AS name, null AS status, null AS extra",
    "Line": "n.name AS name, null AS status, null AS extra",
    "QualityEvent": "null AS name, n.kind AS status, n.severity AS extra",
    "RiskAlert": "n.message AS name, n.severity AS status, null AS extra",
}
"""The labels a search covers, in the order hits of equal rank are listed, and what each
returns for its title: `name`, `status` (a state, status, kind or severity) and `extra`."""

EXACT, SUPPLIER_LOT, PREFIX = 0, 1, 2
"""Ranks: the id itself, a lot's supplier lot number, ids starting with the text."""


def _statement(prefix_match: str) -> str:
    exact = [
        f"MATCH (n:{label} {{id: $text}}) RETURN n.id AS id, '{label}' AS label, "
        f"{EXACT} AS rank, {projection}"
        for label, projection in PROJECTIONS.items()
    ]
    supplier_lot = [
        "MATCH (n:MaterialLot {supplier_lot: $text}) RETURN n.id AS id, 'MaterialLot' AS label, "
        f"{SUPPLIER_LOT} AS rank, {PROJECTIONS['MaterialLot']} ORDER BY id LIMIT $first"
    ]
    prefix = [
        f"MATCH (n:{label}) WHERE {prefix_match} AND n.id <> $text "
        f"RETURN n.id AS id, '{label}' AS label, {PREFIX} AS rank, {projection} "
        "ORDER BY id LIMIT $first"
        for label, projection in PROJECTIONS.items()
    ]
    return " UNION ALL ".join(exact + supplier_lot + prefix)


SEARCH = _statement("n.id >= $text AND n.id < $upper AND n.id STARTS WITH $text")
SEARCH_SCAN = _statement("n.id STARTS WITH $text")


def upper_bound(text: str) -> str | None:
    """The first ASCII string after every string starting with `text`, or None."""
    if not text.isascii() or ord(text[-1]) >= 0x7F:
        return None
    return text[:-1] + chr(ord(text[-1]) + 1)


@dataclass(frozen=True)
class Found:
    """One matching node and the fields its title is made of."""

    id: str
    label: str
    rank: int
    name: str | None
    status: str | None
    extra: str | None


async def search(store: GraphStore, text: str, first: int) -> list[Found]:
    """Exact id matches, then supplier lot matches, then id prefixes; at most `first`.

    Each part is limited to `first` in the statement, so a short prefix over a big plant
    returns at most `first` rows per label.
    """
    upper = upper_bound(text)
    if upper is None:
        rows = await store.read(SEARCH_SCAN, {"text": text, "first": first})
    else:
        rows = await store.read(SEARCH, {"text": text, "first": first, "upper": upper})
    order = {label: index for index, label in enumerate(PROJECTIONS)}
    found = sorted(
        (
            Found(
                id=str(row["id"]),
                label=str(row["label"]),
                rank=int(row["rank"]),
                name=_text(row["name"]),
                status=_text(row["status"]),
                extra=_text(row["extra"]),
            )
            for row in rows
        ),
        key=lambda hit: (hit.rank, order[hit.label], hit.id),
    )
    seen: set[tuple[str, str]] = set()
    unique = []
    for hit in found:
        if (hit.label, hit.id) not in seen:
            seen.add((hit.label, hit.id))
            unique.append(hit)
    return unique[:first]


def _text(value: object) -> str | None:
    return None if value is None else str(value)
