"""Per-request DataLoaders: every level of a nested query is one statement, not one per row.

`Loaders.node(label)` loads nodes of a label by id; `Loaders.related(...)` loads the
neighbours of many nodes along one relationship. Each distinct (label, relationship,
direction) gets its own loader, created on first use and cached for the request.
"""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from graph import reads
from graph.store import GraphStore, Record

RelKey = tuple[str, str, str, bool, str]


class Loaders:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._nodes: dict[str, DataLoader[str, Record | None]] = {}
        self._related: dict[RelKey, DataLoader[str, list[Record]]] = {}

    def node(self, label: str) -> DataLoader[str, Record | None]:
        loader = self._nodes.get(label)
        if loader is None:

            async def load(ids: list[str]) -> list[Record | None]:
                found = await reads.nodes_by_ids(self.store, label, ids)
                return [found.get(i) for i in ids]

            loader = self._nodes[label] = DataLoader(load_fn=load)
        return loader

    def related(
        self, label: str, rel: str, other: str, *, outgoing: bool = True, order: str = "id"
    ) -> DataLoader[str, list[Record]]:
        key = (label, rel, other, outgoing, order)
        loader = self._related.get(key)
        if loader is None:

            async def load(ids: list[str]) -> list[list[Record]]:
                found = await reads.neighbours(
                    self.store, label, ids, rel, other, outgoing=outgoing, order_property=order
                )
                return [found.get(i, []) for i in ids]

            loader = self._related[key] = DataLoader(load_fn=load)
        return loader

    async def one(self, label: str, rel: str, other: str, node_id: str, **kw: Any) -> Record | None:
        """The first neighbour, for to-one relationships (a lot's material)."""
        found = await self.related(label, rel, other, **kw).load(node_id)
        return found[0] if found else None
