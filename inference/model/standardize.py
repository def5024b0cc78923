"""Per-node-type feature standardization, fitted on training snapshots only.

The statistics travel in the model artifact so online scoring standardizes the live graph
exactly as training did; a column the live table lacks is filled with its training mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from inference.snapshot import FloatArray, GraphSnapshot


@dataclass
class TypeStats:
    feature_names: list[str]
    mean: FloatArray
    std: FloatArray


@dataclass
class Standardizer:
    stats: dict[str, TypeStats]

    @classmethod
    def fit(cls, snapshots: Sequence[GraphSnapshot]) -> Standardizer:
        names: dict[str, list[str]] = {}
        rows: dict[str, list[FloatArray]] = {}
        for snap in snapshots:
            for node_type, table in snap.nodes.items():
                known = names.setdefault(node_type, list(table.feature_names))
                if known != table.feature_names:
                    raise ValueError(f"{node_type}: feature names differ between snapshots")
                rows.setdefault(node_type, []).append(table.features)
        stats = {}
        for node_type, parts in rows.items():
            x = np.concatenate(parts).astype(np.float64)
            width = len(names[node_type])
            mean = x.mean(axis=0) if len(x) else np.zeros(width)
            std = x.std(axis=0) if len(x) else np.ones(width)
            std = np.where(std < 1e-6, 1.0, std)
            stats[node_type] = TypeStats(
                names[node_type], mean.astype(np.float32), std.astype(np.float32)
            )
        return cls(stats)

    def transform(self, node_type: str, names: list[str], features: FloatArray) -> FloatArray:
        """Standardize one table, aligned to the training columns by name."""
        st = self.stats[node_type]
        if names == st.feature_names:
            x = features
        else:
            x = np.tile(st.mean, (features.shape[0], 1))
            position = {n: i for i, n in enumerate(names)}
            for j, n in enumerate(st.feature_names):
                if n in position:
                    x[:, j] = features[:, position[n]]
        return ((x - st.mean) / st.std).astype(np.float32)

    def to_json(self) -> dict[str, Any]:
        return {
            t: {"features": s.feature_names, "mean": s.mean.tolist(), "std": s.std.tolist()}
            for t, s in self.stats.items()
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Standardizer:
        return cls(
            {
                t: TypeStats(
                    list(d["features"]),
                    np.asarray(d["mean"], dtype=np.float32),
                    np.asarray(d["std"], dtype=np.float32),
                )
                for t, d in data.items()
            }
        )
