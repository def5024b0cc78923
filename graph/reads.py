"""Reads the API is built from: nodes by id, neighbours of many nodes, filtered pages.

Each function is one statement for any number of ids, so a DataLoader that batches a
level of a GraphQL query costs one round trip whatever the list size. Labels,
relationship types and property names come from the fixed tables below (checked as
identifiers); every value is a parameter.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph.dialect import check_identifier
from graph.errors import GraphError
from graph.store import GraphStore, Record

# Paths a list may be filtered by ("work orders on machine M7"): (label, key) -> pattern
# from `n` to the related node, whose id is `$related`.
RELATED_FILTERS: dict[tuple[str, str], str] = {
    ("SalesOrder", "customer"): "(n)-[:PLACED_BY]->(:Customer {id: $related})",
    ("SalesOrder", "product"): "(n)-[:FOR_PRODUCT]->(:Product {id: $related})",
    ("WorkOrder", "machine"): (
        "(n)-[:HAS_OPERATION]->(:Operation)-[:RUNS_ON]->(:Machine {id: $related})"
    ),
    ("WorkOrder", "product"): "(n)-[:MAKES]->(:Product {id: $related})",
    ("WorkOrder", "salesOrder"): "(n)-[:FULFILLS]->(:SalesOrder {id: $related})",
    ("Machine", "line"): "(n)-[:PART_OF]->(:Line {id: $related})",
    ("MaterialLot", "material"): "(n)-[:OF_MATERIAL]->(:Material {id: $related})",
    ("MaterialLot", "supplier"): "(n)-[:SUPPLIED_BY]->(:Supplier {id: $related})",
    ("Batch", "workOrder"): "(n)-[:PRODUCED_BY]->(:WorkOrder {id: $related})",
    ("Batch", "machine"): "(n)-[:PRODUCED_ON]->(:Machine {id: $related})",
    ("QualityEvent", "machine"): "(n)-[:CONCERNS]->(:Machine {id: $related})",
    ("QualityEvent", "batch"): "(n)-[:CONCERNS]->(:Batch {id: $related})",
    ("QualityEvent", "materialLot"): "(n)-[:CONCERNS]->(:MaterialLot {id: $related})",
    ("RiskAlert", "salesOrder"): "(n)-[:AFFECTS]->(:SalesOrder {id: $related})",
    ("RiskAlert", "about"): "(n)-[:ABOUT]->({id: $related})",
    ("Prediction", "about"): "(n)-[:ABOUT]->({id: $related})",
    ("Product", "material"): "(n)-[:HAS_COMPONENT]->(:Material {id: $related})",
    ("Product", "component"): "(n)-[:HAS_COMPONENT]->(:Product {id: $related})",
    ("Material", "supplier"): (
        "(n)<-[:FOR_MATERIAL]-(:PurchaseOrder)-[:FROM]->(:Supplier {id: $related})"
    ),
    ("Material", "usedBy"): "(n)<-[:HAS_COMPONENT]-(:Product {id: $related})",
    ("Supplier", "material"): (
        "(n)<-[:FROM]-(:PurchaseOrder)-[:FOR_MATERIAL]->(:Material {id: $related})"
    ),
    ("PurchaseOrder", "supplier"): "(n)-[:FROM]->(:Supplier {id: $related})",
    ("PurchaseOrder", "material"): "(n)-[:FOR_MATERIAL]->(:Material {id: $related})",
}


@dataclass(frozen=True)
class ListQuery:
    """One page of one label, filtered and ordered; `skip`/`limit` come from the cursors."""

    label: str
    ids: list[str] | None = None
    any_of: dict[str, list[str]] = field(default_factory=dict)
    """property -> allowed values (statuses, severities, kinds)."""
    range_property: str | None = None
    range_from: int | None = None
    range_to: int | None = None
    text: str | None = None
    text_properties: tuple[str, ...] = ("id",)
    related: dict[str, str] = field(default_factory=dict)
    order_property: str = "id"
    descending: bool = False
    skip: int = 0
    limit: int = 100

    def where(self) -> tuple[str, dict[str, Any]]:
        """The WHERE clause and its parameters."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.ids is not None:
            clauses.append("n.id IN $ids")
            params["ids"] = self.ids
        for index, (prop, values) in enumerate(sorted(self.any_of.items())):
            clauses.append(f"n.{check_identifier(prop)} IN $any{index}")
            params[f"any{index}"] = values
        if self.range_property is not None:
            prop = check_identifier(self.range_property)
            if self.range_from is not None:
                clauses.append(f"n.{prop} >= $range_from")
                params["range_from"] = self.range_from
            if self.range_to is not None:
                clauses.append(f"n.{prop} < $range_to")
                params["range_to"] = self.range_to
        if self.text:
            props = [check_identifier(p) for p in self.text_properties]
            alternatives = " OR ".join(f"toLower(n.{p}) CONTAINS $text" for p in props)
            clauses.append(f"({alternatives})")
            params["text"] = self.text.lower()
        for index, (key, related_id) in enumerate(sorted(self.related.items())):
            pattern = RELATED_FILTERS.get((self.label, key))
            if pattern is None:
                raise GraphError(f"{self.label} cannot be filtered by {key}")
            name = f"related{index}"
            clauses.append(pattern.replace("$related", f"${name}"))
            params[name] = related_id
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


async def page(store: GraphStore, query: ListQuery) -> tuple[list[Record], int]:
    """The page's nodes (properties) and the total count, two statements side by side."""
    label = check_identifier(query.label)
    where, params = query.where()
    order = f"n.{check_identifier(query.order_property)}"
    direction = " DESC" if query.descending else ""
    # `n.id` breaks ties so that offsets are stable between pages.
    select = (
        f"MATCH (n:{label}){where} RETURN n AS node "
        f"ORDER BY {order}{direction}, n.id{direction} SKIP $skip LIMIT $limit"
    )
    rows, total = await asyncio.gather(
        store.read(select, {**params, "skip": query.skip, "limit": query.limit}),
        count(store, query),
    )
    return [row["node"] for row in rows], total


async def count(store: GraphStore, query: ListQuery) -> int:
    """How many nodes the query's filter selects (paging aside)."""
    where, params = query.where()
    cypher = f"MATCH (n:{check_identifier(query.label)}){where} RETURN count(n) AS total"
    return int((await store.read(cypher, params))[0]["total"])


async def nodes_by_ids(store: GraphStore, label: str, ids: list[str]) -> dict[str, Record]:
    """Properties of the nodes of `label` with these ids (missing ids are left out)."""
    cypher = (
        f"UNWIND $ids AS id MATCH (n:{check_identifier(label)} {{id: id}}) RETURN id, n AS node"
    )
    return {row["id"]: row["node"] for row in await store.read(cypher, {"ids": ids})}


async def labels_of(store: GraphStore, ids: list[str], labels: list[str]) -> dict[str, str]:
    """Which of `labels` each id belongs to, by the unique id index of each label."""
    parts = [
        f"UNWIND $ids AS id MATCH (n:{check_identifier(label)} {{id: id}}) "
        f"RETURN id, '{label}' AS label"
        for label in labels
    ]
    rows = await store.read(" UNION ALL ".join(parts), {"ids": ids})
    return {row["id"]: row["label"] for row in rows}


async def neighbours(
    store: GraphStore,
    label: str,
    ids: list[str],
    rel: str,
    other: str,
    *,
    outgoing: bool = True,
    order_property: str = "id",
) -> dict[str, list[Record]]:
    """For each id, the `other` nodes one `rel` away (out of or into it), ordered."""
    arrow = f"-[r:{check_identifier(rel)}]->" if outgoing else f"<-[r:{check_identifier(rel)}]-"
    cypher = (
        f"UNWIND $ids AS id MATCH (n:{check_identifier(label)} {{id: id}}) WITH id, n "
        f"MATCH (n){arrow}(m:{check_identifier(other)}) "
        f"RETURN id, m AS node, properties(r) AS rel "
        f"ORDER BY id, m.{check_identifier(order_property)}, m.id"
    )
    found: dict[str, list[Record]] = defaultdict(list)
    for row in await store.read(cypher, {"ids": ids}):
        found[row["id"]].append({**row["node"], "_rel": row["rel"]})
    return found
