"""Load a generated demo plant into a graph store: migrate, bulk write, check, checkpoint.

Seeding is idempotent: every node is MERGEd on its id and every relationship on its two
ends, so seeding the same (scale, seed) again leaves the graph as it was. Which plant is
loaded is not recorded here; callers that need to know keep (scale, seed) themselves.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from graph.bulk import BulkWriter, NodeChunk, Progress, validate_chunk, verify_no_stubs
from graph.catalog import is_empty
from graph.errors import GraphError
from graph.migrations import migrate
from graph.store import GraphStore
from ingest.demo.plant import DEFAULT_CHUNK_ROWS, DemoPlant, generate_plant
from ingest.demo.scale import ScaleSpec

log = logging.getLogger(__name__)


class SeedError(GraphError):
    """The load finished but left the graph inconsistent (e.g. stub nodes)."""


@dataclass(frozen=True)
class SeedReport:
    scale: str
    seed: int
    nodes: int
    relationships: int
    seconds: float
    """Wall time of the whole seed: generation, migrations, writes, checks, checkpoint."""
    generate_seconds: float
    method: str = "UNWIND statements"
    """How it was written: the engine's bulk endpoint or UNWIND statements."""
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per phase: generate, write, index and check, rewrite AOF."""

    @property
    def load_rate(self) -> float:
        """Items per second of loading: everything but generating the synthetic plant."""
        loading = self.seconds - self.generate_seconds
        return (self.nodes + self.relationships) / loading if loading > 0 else 0.0

    @property
    def rate(self) -> float:
        """Nodes plus relationships written per second of `seconds`."""
        return (self.nodes + self.relationships) / self.seconds if self.seconds > 0 else 0.0


async def seed_plant(
    store: GraphStore,
    spec: ScaleSpec,
    seed: int,
    *,
    validate: bool = True,
    progress: Progress | None = None,
    batch_rows: int = 5000,
    concurrency: int = 2,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    plant: DemoPlant | None = None,
    bulk_endpoint: bool = True,
) -> SeedReport:
    """Write the plant for (spec, seed) into `store` and report what was written.

    `validate` checks every row against the domain models first (about as slow as the
    write itself on a large plant); `progress(nodes, relationships)` is called after each
    statement. Pass an already generated `plant` to skip generating it again.

    Into an empty graph the engine's own bulk endpoint is used when it has one
    (FalkorDB's `GRAPH.BULK`; `bulk_endpoint=False` forces statements); the migrations
    then build indexes and unique constraints over the loaded data. Into a graph that
    already holds data, every row is MERGEd, which keeps a second seed a no-op.
    """
    started = time.perf_counter()
    if plant is None:
        plant = await asyncio.to_thread(generate_plant, spec, seed)
    elif (plant.spec, plant.seed) != (spec, seed):
        raise ValueError(f"plant was generated for {plant.spec}/{plant.seed}, not {spec}/{seed}")
    generated = time.perf_counter()
    created = None
    if bulk_endpoint and await is_empty(store):
        chunks = plant.chunks(chunk_rows)
        created = await store.bulk_create(_validated(chunks) if validate else chunks, progress)
    if created is not None:
        nodes, relationships = created
        method = "bulk endpoint"
        written = time.perf_counter()
        await migrate(store)  # after the load: a duplicate id fails the unique constraint
    else:
        await migrate(store)
        writer = BulkWriter(
            store,
            batch_rows=batch_rows,
            concurrency=concurrency,
            validate=validate,
            progress=progress,
        )
        await writer.write_all(plant.chunks(chunk_rows))
        nodes, relationships, method = writer.nodes, writer.relationships, "UNWIND statements"
        written = time.perf_counter()
    stubs = await verify_no_stubs(store)
    if stubs:
        raise SeedError(f"seeding left nodes that carry only an id (missing ends): {stubs}")
    checked = time.perf_counter()
    await store.checkpoint()
    seconds = time.perf_counter() - started
    report = SeedReport(
        scale=spec.name,
        seed=seed,
        nodes=nodes,
        relationships=relationships,
        seconds=seconds,
        generate_seconds=generated - started,
        method=method,
        phases={
            "generate": generated - started,
            "write": written - generated,
            "index and check": checked - written,
            "rewrite AOF": seconds - (checked - started),
        },
    )
    log.info(
        "demo.seeded scale=%s seed=%d nodes=%d relationships=%d seconds=%.1f rate=%.0f method=%r",
        report.scale,
        seed,
        report.nodes,
        report.relationships,
        seconds,
        report.rate,
        method,
    )
    return report


def _validated(chunks: Iterable[NodeChunk]) -> Iterator[NodeChunk]:
    """Check each chunk against the domain model before it is handed on."""
    for chunk in chunks:
        validate_chunk(chunk)
        yield chunk
