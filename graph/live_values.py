"""The live layer: OPC UA values on `Tag` nodes, each bound to one property of a machine.

`(Tag {id, node_id, property, unit})-[:MEASURES]->(Machine)`. A tag keeps its source's
timestamp, quality and status code beside the value. A reading older than the stored
one is ignored (late or replayed data never rewinds a value); a `bad` or `uncertain`
reading records its quality and status but leaves the last good value in place, so a
failed sensor is never read as a good number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.errors import NotFoundError
from graph.store import GraphStore

_ENSURE = (
    "UNWIND $tags AS r "
    "MATCH (m:Machine {id: r.machine_id}) "
    "MERGE (t:Tag {id: r.tag_id}) "
    "SET t.node_id = r.node_id, t.property = r.property, t.unit = r.unit "
    "MERGE (t)-[:MEASURES]->(m) "
    "RETURN r.machine_id AS machine_id"
)

_WRITE = (  # positional rows [tag id, value, source ms, quality, status]: see write_values
    "UNWIND $rows AS r "
    "MATCH (t:Tag {id: r[0]}) "
    "WITH t, r WHERE t.source_timestamp IS NULL OR r[2] >= t.source_timestamp "
    "SET t.source_timestamp = r[2], t.quality = r[3], t.status_code = r[4], "
    "t.value = CASE WHEN r[3] = 'good' THEN r[1] ELSE t.value END "
    "RETURN count(t) AS written"
)

_CURRENT = (
    "UNWIND $ids AS id "
    "MATCH (t:Tag {id: id}) "
    "RETURN t.id AS id, t.value AS value, t.source_timestamp AS ts, t.quality AS quality"
)


def make_tag_id(machine_id: str, prop: str) -> str:
    return f"{machine_id}/{prop}"


@dataclass(frozen=True, slots=True)
class TagBinding:
    machine_id: str
    prop: str
    node_id: str
    unit: str | None = None

    @property
    def tag_id(self) -> str:
        return make_tag_id(self.machine_id, self.prop)


@dataclass(frozen=True, slots=True)
class TagValue:
    tag_id: str
    value: Any
    source_ms: int
    quality: str
    """`good`, `uncertain` or `bad`."""
    status: str
    """The OPC UA status code's name (`Good`, `BadSensorFailure`, ...)."""


async def ensure_tags(store: GraphStore, bindings: list[TagBinding]) -> None:
    """Create (or re-point) the tags of `bindings`; NotFoundError names unknown machines."""
    rows = [
        {
            "tag_id": b.tag_id,
            "machine_id": b.machine_id,
            "node_id": b.node_id,
            "property": b.prop,
            "unit": b.unit,
        }
        for b in bindings
    ]
    found = {r["machine_id"] for r in await store.write(_ENSURE, {"tags": rows})}
    missing = sorted({b.machine_id for b in bindings} - found)
    if missing:
        raise NotFoundError(f"no machine {', '.join(missing)} in the graph", missing)


async def write_values(store: GraphStore, values: list[TagValue]) -> int:
    """Write the newest reading of each tag (one statement); returns how many were newer.

    Rows travel as lists, not maps: the parameter encoder writes lists with `json.dumps`
    and maps through the client's per-value quoting, which was most of a flush's time.
    """
    if not values:
        return 0
    rows = [[v.tag_id, v.value, v.source_ms, v.quality, v.status] for v in values]
    found = await store.write(_WRITE, {"rows": rows})
    return int(found[0]["written"]) if found else 0


async def current_values(store: GraphStore, tag_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored value, timestamp and quality of each tag that exists."""
    rows = await store.read(_CURRENT, {"ids": tag_ids})
    return {r["id"]: r for r in rows}
