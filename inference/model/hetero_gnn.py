"""Heterogeneous GNN over a graph snapshot, one shared body with a head per target.

Predicts every target in ``inference.snapshot.TARGETS`` (machine failure in 24 h, work
order late, sales order late, batch quality escape, material shortage) for each entity of
the target's node type, from the standardized features of the entity and its 2-hop typed
neighbourhood. Each layer is a ``HeteroConv`` of one GraphSAGE convolution per edge type
and per reverse edge type (Hamilton et al., 2017: mean of neighbours, linear in self and
neighbours), summed over relation types, with a residual connection, so information flows
both ways along every relationship. Per-type linear encoders bring each table to ``hidden``
width first. Judged per target by PR-AUC on held-out simulation seeds (see metrics.py).

Full-batch: the whole snapshot goes through at once (no neighbour samplers here).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn
from torch_geometric.nn import HeteroConv, SAGEConv

from inference.model.standardize import Standardizer
from inference.snapshot import EdgeType, GraphSnapshot

REVERSE_PREFIX = "rev_"


def with_reverses(edge_types: list[EdgeType]) -> list[EdgeType]:
    """Every edge type plus its reverse, so messages flow against each relationship too."""
    out = list(edge_types)
    for src, rel, dst in edge_types:
        out.append((dst, REVERSE_PREFIX + rel, src))
    return out


@dataclass
class GnnConfig:
    """Everything needed to rebuild the network (stored in the artifact)."""

    in_dims: dict[str, int]
    edge_types: list[EdgeType]
    """Forward edge types seen in training; reverses are added by the model."""
    targets: dict[str, str]
    """Target name -> node type it is predicted for."""
    hidden: int = 64
    layers: int = 2
    dropout: float = 0.1
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["edge_types"] = [list(e) for e in self.edge_types]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GnnConfig:
        data = dict(data)
        data["edge_types"] = [tuple(e) for e in data["edge_types"]]
        return cls(**data)


@dataclass
class GraphTensors:
    """One snapshot as tensors: standardized features and edge indices (with reverses)."""

    x: dict[str, Tensor]
    edges: dict[EdgeType, Tensor]
    ids: dict[str, list[str]]


def to_tensors(snapshot: GraphSnapshot, std: Standardizer, config: GnnConfig) -> GraphTensors:
    """Build model input; unknown node or edge types in the snapshot are ignored."""
    x: dict[str, Tensor] = {}
    ids: dict[str, list[str]] = {}
    for node_type, dim in config.in_dims.items():
        table = snapshot.nodes.get(node_type)
        if table is None:
            x[node_type] = torch.zeros((0, dim))
            ids[node_type] = []
        else:
            values = std.transform(node_type, table.feature_names, table.features)
            x[node_type] = torch.from_numpy(np.ascontiguousarray(values))
            ids[node_type] = table.ids
    edges: dict[EdgeType, Tensor] = {}
    for et in config.edge_types:
        index = snapshot.edges.get(et)
        if index is None:
            continue
        t = torch.from_numpy(np.ascontiguousarray(index, dtype=np.int64))
        edges[et] = t
        edges[(et[2], REVERSE_PREFIX + et[1], et[0])] = t.flip(0)
    return GraphTensors(x, edges, ids)


class HeteroGNN(nn.Module):
    """Encoders per node type -> ``layers`` x HeteroConv(SAGE) with residuals -> heads.

    ``forward(x, edges)`` takes ``x[node_type]: [n_t, in_dims[t]]`` and
    ``edges[(src, rel, dst)]: [2, e]`` and returns ``logits[target]: [n_{type(target)}]``.
    """

    def __init__(self, config: GnnConfig) -> None:
        super().__init__()
        self.config = config
        h = config.hidden
        self.encoders = nn.ModuleDict(
            {t: nn.Linear(max(d, 1), h) for t, d in config.in_dims.items()}
        )
        relations = [
            et
            for et in with_reverses(config.edge_types)
            if et[0] in config.in_dims and et[2] in config.in_dims
        ]
        self.convs = nn.ModuleList(
            HeteroConv({et: SAGEConv((h, h), h) for et in relations}, aggr="sum")
            for _ in range(config.layers)
        )
        self.norms = nn.ModuleList(
            nn.ModuleDict({t: nn.LayerNorm(h) for t in config.in_dims})
            for _ in range(config.layers)
        )
        self.heads = nn.ModuleDict(
            {
                name: nn.Sequential(nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 1))
                for name in config.targets
            }
        )
        self.dropout = nn.Dropout(config.dropout)

    def embed(self, x: dict[str, Tensor], edges: dict[EdgeType, Tensor]) -> dict[str, Tensor]:
        h: dict[str, Tensor] = {}
        for t, enc in self.encoders.items():
            xt = x[t] if x[t].shape[1] else torch.zeros((x[t].shape[0], 1))
            h[t] = torch.relu(enc(xt))
        for conv, norms in zip(self.convs, self.norms, strict=True):
            known: Any = conv.convs
            present = {et: e for et, e in edges.items() if et in known}
            out: dict[str, Tensor] = conv(h, present) if present else {}
            h = {
                t: self.dropout(
                    torch.relu(self._norm(norms, t, h[t] + out[t])) if t in out else h[t]
                )
                for t in h
            }
        return h

    @staticmethod
    def _norm(norms: nn.Module, node_type: str, value: Tensor) -> Tensor:
        layer: nn.Module = getattr(norms, node_type)
        result: Tensor = layer(value)
        return result

    def forward(self, x: dict[str, Tensor], edges: dict[EdgeType, Tensor]) -> dict[str, Tensor]:
        h = self.embed(x, edges)
        return {
            name: head(h[self.config.targets[name]]).squeeze(-1)
            for name, head in self.heads.items()
        }
