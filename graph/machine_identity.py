"""Machines by the identity their controllers report: manufacturer and serial number."""

from __future__ import annotations

from graph.store import GraphStore

_IDENTITIES = (
    "MATCH (m:Machine) "
    "OPTIONAL MATCH (m)-[:PART_OF]->(:Line)-[:PART_OF]->(:Area)-[:PART_OF]->(s:Site) "
    "RETURN m.id AS id, m.manufacturer AS manufacturer, m.serial_number AS serial, "
    "s.timezone AS timezone"
)


async def machine_identities(store: GraphStore) -> dict[tuple[str, str], str]:
    """(manufacturer, serial number) -> machine id, for every machine of the plant."""
    rows = await store.read(_IDENTITIES)
    return {(r["manufacturer"], r["serial"]): r["id"] for r in rows}


async def machine_timezones(store: GraphStore) -> dict[str, str]:
    """Machine id -> the time zone of its site (shifts are local time); siteless left out."""
    rows = await store.read(_IDENTITIES)
    return {r["id"]: r["timezone"] for r in rows if r["timezone"]}
