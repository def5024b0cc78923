"""Idempotent schema migrations: a unique `id` for every label, indexes for every lookup.

Running them twice changes nothing: existing indexes and constraints are listed first
and only the missing ones are created. On FalkorDB a unique constraint is built in the
background; we wait until it is OPERATIONAL (a FAILED one means duplicate ids exist).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from domain.nodes import NODE_MODELS
from graph.dialect import NativeCommand
from graph.errors import GraphError, QueryError
from graph.store import GraphStore

log = logging.getLogger(__name__)


@dataclass
class MigrationReport:
    created_indexes: list[tuple[str, str]] = field(default_factory=list)
    created_constraints: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created_indexes or self.created_constraints)


SERVICE_LABELS = ("ApiToken", "IdempotencyKey")
"""Labels the service keeps beside the plant's own: API tokens and replayable mutations."""


def unique_labels() -> list[str]:
    """Every label whose `id` is unique: the domain's and the service's."""
    return [model.LABEL for model in NODE_MODELS] + list(SERVICE_LABELS)


def wanted_indexes() -> list[tuple[str, str]]:
    """Every (label, property) a query looks nodes up by, besides the unique ids."""
    return [(model.LABEL, prop) for model in NODE_MODELS for prop in model.SEARCHABLE]


async def _existing(store: GraphStore, query: str) -> set[tuple[str, str]]:
    try:
        rows = await store.read(query)
    except QueryError as exc:
        if "empty key" in str(exc):  # FalkorDB: the graph does not exist yet
            return set()
        raise
    return {(row["label"], prop) for row in rows for prop in row["properties"]}


async def migrate(store: GraphStore, *, timeout_s: float = 120.0) -> MigrationReport:
    """Create whatever indexes and unique constraints are missing."""
    report = MigrationReport()
    dialect = store.dialect
    indexes = await _existing(store, dialect.list_indexes)
    constraints = await _existing(store, dialect.list_unique_constraints)
    for label in unique_labels():
        key = (label, "id")
        if key in constraints:
            continue
        for statement in dialect.create_unique(store.graph_name, label, "id"):
            if isinstance(statement, NativeCommand):
                await store.native(statement)
            elif not (dialect.engine == "falkordb" and key in indexes):
                await store.write(statement)
        report.created_constraints.append(key)
        indexes.add(key)
    for key in wanted_indexes():
        if key not in indexes:
            await store.write(dialect.create_index(*key))
            report.created_indexes.append(key)
    if report.created_constraints:
        await _wait_operational(store, timeout_s)
    if report.changed:
        log.info(
            "graph.migrated constraints=%d indexes=%d",
            len(report.created_constraints),
            len(report.created_indexes),
        )
    return report


async def _wait_operational(store: GraphStore, timeout_s: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        rows = await store.read(store.dialect.list_unique_constraints)
        failed = [row["label"] for row in rows if row["status"] == "FAILED"]
        if failed:
            raise GraphError(f"unique id constraint failed (duplicate ids?) on: {failed}")
        if all(row["status"] == "OPERATIONAL" for row in rows):
            return
        if asyncio.get_running_loop().time() > deadline:
            raise GraphError("timed out waiting for unique constraints to be built")
        await asyncio.sleep(0.05)
