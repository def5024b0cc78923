"""A deterministic, believable demo plant: generated from (scale, seed), seeded into the graph.

`generate_plant` builds the whole plant history in memory as compact records (no database
needed, so tests and benchmarks can look at exactly what would be loaded);
`DemoPlant.chunks()` streams it as `graph.bulk.NodeChunk`s in dependency order and
`seed_plant` writes them.
"""

from ingest.demo.plant import DemoPlant, generate_plant
from ingest.demo.scale import ScaleError, ScaleSpec, parse_scale

__all__ = ["DemoPlant", "ScaleError", "ScaleSpec", "generate_plant", "parse_scale"]
