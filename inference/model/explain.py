"""Why one entity got its score: its own features and the neighbours that drove it.

Own features: gradient x input of the entity's logit on its standardized features (zero
is the training mean, so the product is the contribution relative to an average entity).
Neighbours: occlusion -- each entity in the receptive field (``layers`` hops) has its
features set to the training mean, and the drop in the entity's logit is that
neighbour's share. Occluding features rather than deleting the node keeps a path intact,
so the work order that merely links a sales order to a worn machine is not blamed for the
machine's wear. Only the exact receptive field is evaluated, so this stays cheap on a big
snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import Tensor

from inference.model.hetero_gnn import GraphTensors, HeteroGNN
from inference.snapshot import TARGETS, EdgeType, GraphSnapshot

Calibrate = Callable[[npt.ArrayLike], npt.NDArray[np.float64]]


@dataclass
class FeatureAttribution:
    name: str
    value: float
    attribution: float


@dataclass
class NeighbourAttribution:
    node_type: str
    id: str
    hops: int
    score_drop: float
    """The explained entity's logit minus its logit with this one occluded (the logit, not
    the probability: a saturated or isotonic-calibrated probability hides the drop)."""
    top_features: list[str]


@dataclass
class Explanation:
    target: str
    node_type: str
    entity_id: str
    probability: float
    features: list[FeatureAttribution]
    neighbours: list[NeighbourAttribution]

    def summary(self) -> str:
        """One line for an alert: 'machine M-0007 (tool_wear_max, failures_7d)'."""
        own = ", ".join(f.name for f in self.features[:3])
        parts = [f"{n.node_type} {n.id} ({', '.join(n.top_features)})" for n in self.neighbours]
        return f"{self.node_type} {self.entity_id} ({own})" + (
            "; driven by " + "; ".join(parts) if parts else ""
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def receptive_field(
    g: GraphTensors, node_type: str, row: int, hops: int
) -> dict[str, dict[int, int]]:
    """Rows within ``hops`` message-passing steps of one entity, with their distance."""
    seen: dict[str, dict[int, int]] = {node_type: {row: 0}}
    frontier: dict[str, set[int]] = {node_type: {row}}
    for hop in range(1, hops + 1):
        nxt: dict[str, set[int]] = {}
        for (src, _, dst), e in g.edges.items():
            if dst not in frontier or not e.shape[1]:
                continue
            mask = np.isin(e[1].numpy(), list(frontier[dst]))
            for r in e[0].numpy()[mask].tolist():
                if r not in seen.setdefault(src, {}):
                    seen[src][r] = hop
                    nxt.setdefault(src, set()).add(r)
        frontier = nxt
    return seen


def _subgraph(
    g: GraphTensors, field: dict[str, dict[int, int]]
) -> tuple[dict[str, Tensor], dict[EdgeType, Tensor], dict[str, list[int]]]:
    rows = {t: sorted(field.get(t, {})) for t in g.x}
    x = {t: g.x[t][rows[t]].clone() for t in g.x}
    edges: dict[EdgeType, Tensor] = {}
    for (src, rel, dst), e in g.edges.items():
        smap = np.full(len(g.ids[src]) or 1, -1)
        dmap = np.full(len(g.ids[dst]) or 1, -1)
        smap[rows[src]] = np.arange(len(rows[src]))
        dmap[rows[dst]] = np.arange(len(rows[dst]))
        s, d = smap[e[0].numpy()], dmap[e[1].numpy()]
        keep = (s >= 0) & (d >= 0)
        edges[(src, rel, dst)] = torch.from_numpy(np.stack([s[keep], d[keep]]).astype(np.int64))
    return x, edges, rows


def explain(
    model: HeteroGNN,
    g: GraphTensors,
    snapshot: GraphSnapshot,
    target: str,
    row: int,
    feature_names: dict[str, list[str]],
    *,
    calibrate: Calibrate | None = None,
    top_features: int = 5,
    top_neighbours: int = 5,
    max_neighbours: int = 64,
) -> Explanation:
    """Explain ``target`` for row ``row`` of the target's node type in ``snapshot``.

    ``feature_names`` are the model's columns per node type (the standardizer's).
    """
    node_type = TARGETS[target].node_type
    cal: Calibrate = calibrate or (lambda p: np.asarray(p, dtype=np.float64))
    field = receptive_field(g, node_type, row, model.config.layers)
    x, edges, rows = _subgraph(g, field)
    centre = rows[node_type].index(row)
    model.eval()
    for t in x:
        x[t].requires_grad_(True)
    logit = model(x, edges)[target][centre]
    grads = torch.autograd.grad(logit, [x[t] for t in x], allow_unused=True)
    contrib = {
        t: (g_t * x[t]).detach().numpy() if g_t is not None else np.zeros(tuple(x[t].shape))
        for t, g_t in zip(x, grads, strict=True)
    }
    prob = float(cal([float(torch.sigmoid(logit.detach()))])[0])

    names = feature_names[node_type]
    own = contrib[node_type][centre]
    order = np.argsort(-np.abs(own))[:top_features]
    features = [
        FeatureAttribution(names[j], _raw(snapshot, node_type, row, names[j]), float(own[j]))
        for j in order
    ]

    candidates = sorted(
        ((hop, t, r) for t, rs in field.items() for r, hop in rs.items() if hop > 0),
        key=lambda c: (c[0], -float(np.abs(contrib[c[1]][rows[c[1]].index(c[2])]).sum())),
    )[:max_neighbours]
    neighbours = []
    with torch.no_grad():
        xs = {t: v.detach() for t, v in x.items()}
        for hop, t, r in candidates:
            local = rows[t].index(r)
            occluded = dict(xs)
            occluded[t] = xs[t].clone()
            occluded[t][local] = 0.0
            occluded_logit = float(model(occluded, edges)[target][centre])
            c = contrib[t][local]
            tnames = feature_names[t]
            best = [tnames[j] for j in np.argsort(-c)[:2] if c[j] > 0] or [
                tnames[int(np.argmax(np.abs(c)))]
            ]
            drop = float(logit.detach()) - occluded_logit
            neighbours.append(NeighbourAttribution(t, g.ids[t][r], hop, drop, best))
    neighbours.sort(key=lambda n: -n.score_drop)
    neighbours = [n for n in neighbours if n.score_drop > 0][:top_neighbours]
    return Explanation(target, node_type, g.ids[node_type][row], prob, features, neighbours)


def _raw(snapshot: GraphSnapshot, node_type: str, row: int, name: str) -> float:
    table = snapshot.nodes[node_type]
    if name not in table.feature_names:
        return float("nan")
    return float(table.features[row, table.feature_names.index(name)])
