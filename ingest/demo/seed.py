"""Load a generated demo plant into a graph store: migrate, bulk write, check, checkpoint.

Seeding is idempotent: every node is MERGEd on its id and every relationship on its two
ends, so seeding the same (scale, seed) again leaves the graph as it was. Which plant is
loaded is not recorded here; callers that need to know keep (scale, seed) themselves.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from graph.bulk import BulkWriter, Progress, verify_no_stubs
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
) -> SeedReport:
    """Write the plant for (spec, seed) into `store` and report what was written.

    `validate` checks every row against the domain models first (about as slow as the
    write itself on a large plant); `progress(nodes, relationships)` is called after each
    statement. Pass an already generated `plant` to skip generating it again.
    """
    started = time.perf_counter()
    if plant is None:
        plant = await asyncio.to_thread(generate_plant, spec, seed)
    elif (plant.spec, plant.seed) != (spec, seed):
        raise ValueError(f"plant was generated for {plant.spec}/{plant.seed}, not {spec}/{seed}")
    generated = time.perf_counter()
    await migrate(store)
    writer = BulkWriter(
        store,
        batch_rows=batch_rows,
        concurrency=concurrency,
        validate=validate,
        progress=progress,
    )
    await writer.write_all(plant.chunks(chunk_rows))
    stubs = await verify_no_stubs(store)
    if stubs:
        raise SeedError(f"seeding left nodes that carry only an id (missing ends): {stubs}")
    await store.checkpoint()
    seconds = time.perf_counter() - started
    report = SeedReport(
        scale=spec.name,
        seed=seed,
        nodes=writer.nodes,
        relationships=writer.relationships,
        seconds=seconds,
        generate_seconds=generated - started,
    )
    log.info(
        "demo.seeded scale=%s seed=%d nodes=%d relationships=%d seconds=%.1f rate=%.0f",
        report.scale,
        seed,
        report.nodes,
        report.relationships,
        seconds,
        report.rate,
    )
    return report
