"""Validated, idempotent, atomic batched upserts of nodes and relationships.

A call is one batch and one Cypher statement: every row is validated before anything is
sent (the first bad row is named in an `InvalidRowError`), relationship endpoints are
checked inside the same statement that writes (a missing endpoint writes nothing and is
reported as `NotFoundError`), and `MERGE` on the business key makes a repeated batch
leave the graph as it was.

Labels and relationship types are spliced into the text only from the domain model's
fixed vocabulary (checked as identifiers); every value travels as a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from domain.nodes import NodeModel
from domain.relationships import Pair, RelationshipModel
from graph.dialect import check_identifier
from graph.errors import InvalidRowError, NotFoundError
from graph.store import GraphStore

M = TypeVar("M", bound=BaseModel)
N = TypeVar("N", bound=NodeModel)
R = TypeVar("R", bound=RelationshipModel)


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "row"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def validate_rows(model: type[M], rows: Iterable[M | Mapping[str, Any]]) -> list[M]:
    """Turn rows into models, raising on the first invalid one (nothing is written)."""
    kind = getattr(model, "LABEL", "") or getattr(model, "TYPE", "") or model.__name__
    out: list[M] = []
    for index, row in enumerate(rows):
        if isinstance(row, model):
            out.append(row)
            continue
        if isinstance(row, NodeModel | RelationshipModel):
            raise InvalidRowError(kind, index, getattr(row, "id", None), "wrong kind of row")
        try:
            out.append(model.model_validate(row))
        except ValidationError as exc:
            row_id = row.get("id", row.get("source_id")) if isinstance(row, Mapping) else None
            raise InvalidRowError(kind, index, row_id, _describe(exc)) from None
    return out


def node_upsert_cypher(label: str) -> str:
    label = check_identifier(label)
    return (
        "UNWIND $rows AS row "
        f"MERGE (n:{label} {{id: row.id}}) "
        "SET n += row.props "
        "RETURN count(n) AS written"
    )


async def upsert_nodes(
    store: GraphStore, model: type[N], rows: Sequence[N | Mapping[str, Any]]
) -> int:
    """Create or update nodes of one label; same input twice gives the same graph."""
    nodes = validate_rows(model, rows)
    if not nodes:
        return 0
    _reject_duplicates(model.LABEL, [node.id for node in nodes])
    params = {"rows": [{"id": node.id, "props": node.to_row()} for node in nodes]}
    result = await store.write(node_upsert_cypher(model.LABEL), params)
    return int(result[0]["written"])


def _reject_duplicates(kind: str, ids: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for index, key in enumerate(ids):
        if key in seen:
            raise InvalidRowError(kind, index, key, f"same id as row {seen[key]}")
        seen[key] = index


def relationship_upsert_cypher(rel_type: str, pairs: Sequence[Pair]) -> str:
    """One guarded statement for all (source, target) label pairs of one type.

    The first CALLs count the endpoints that exist; only when every row found both ends
    does the `WHERE` let the writing CALLs run, so a batch is written whole or not at all.
    """
    rel_type = check_identifier(rel_type)
    checks, writes, oks, counts = [], [], [], []
    for i, (source, target) in enumerate(pairs):
        source, target = check_identifier(source), check_identifier(target)
        match = f"(a:{source} {{id: row.source}}), (b:{target} {{id: row.target}})"
        checks.append(
            f"CALL {{ UNWIND $g{i} AS row "
            f"OPTIONAL MATCH (a:{source} {{id: row.source}}) "
            f"OPTIONAL MATCH (b:{target} {{id: row.target}}) "
            f"RETURN count(a) + count(b) = 2 * size($g{i}) AS ok{i} }}"
        )
        writes.append(
            f"CALL {{ UNWIND $g{i} AS row MATCH {match} "
            f"MERGE (a)-[r:{rel_type}]->(b) SET r += row.props RETURN count(r) AS w{i} }}"
        )
        oks.append(f"ok{i}")
        counts.append(f"w{i}")
    return " ".join(
        [
            *checks,
            f"WITH {', '.join(oks)} WHERE {' AND '.join(oks)}",
            *writes,
            f"RETURN {' + '.join(counts)} AS written",
        ]
    )


async def upsert_relationships(
    store: GraphStore, model: type[R], rows: Sequence[R | Mapping[str, Any]]
) -> int:
    """Create or update relationships of one type; all rows or none are written."""
    rels = validate_rows(model, rows)
    if not rels:
        return 0
    groups: dict[Pair, list[dict[str, Any]]] = {}
    for rel in rels:
        groups.setdefault(rel.pair, []).append(
            {"source": rel.source_id, "target": rel.target_id, "props": rel.properties()}
        )
    pairs = sorted(groups)
    params = {f"g{i}": groups[pair] for i, pair in enumerate(pairs)}
    result = await store.write(relationship_upsert_cypher(model.TYPE, pairs), params)
    if result:
        return int(result[0]["written"])
    missing = await missing_endpoints(store, rels)
    raise NotFoundError(
        f"{model.TYPE}: {len(missing)} endpoint(s) do not exist, nothing written: "
        + ", ".join(missing[:10]),
        missing,
    )


async def missing_endpoints(store: GraphStore, rels: Sequence[RelationshipModel]) -> list[str]:
    """Which `Label:id` endpoints of these relationships are not in the graph."""
    wanted: dict[str, set[str]] = {}
    for rel in rels:
        wanted.setdefault(rel.source_label, set()).add(rel.source_id)
        wanted.setdefault(rel.target_label, set()).add(rel.target_id)
    missing: list[str] = []
    for label in sorted(wanted):
        ids = sorted(wanted[label])
        found = await store.read(
            f"UNWIND $ids AS id MATCH (n:{check_identifier(label)} {{id: id}}) RETURN n.id AS id",
            {"ids": ids},
        )
        present = {row["id"] for row in found}
        missing.extend(f"{label}:{i}" for i in ids if i not in present)
    return missing
