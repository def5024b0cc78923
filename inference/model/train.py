"""Training of the heterogeneous GNN over simulated snapshots.

One optimiser step per snapshot (full batch), loss = sum over targets of a class-weighted
BCE on that target's labelled rows only (a snapshot labels only the entities whose outcome
is known). Early stopping keeps the epoch with the best mean validation PR-AUC; a time
budget bounds the demo's first-run training. Seeded: same data and seed, same weights.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from torch import Tensor

from inference.model.hetero_gnn import GnnConfig, GraphTensors, HeteroGNN, to_tensors
from inference.model.metrics import pr_auc
from inference.model.standardize import Standardizer
from inference.snapshot import TARGETS, EdgeType, GraphSnapshot

MAX_POS_WEIGHT = 20.0


@dataclass(frozen=True)
class TrainingProgress:
    """Where a training run stands, for a caller that shows it (the service's status file)."""

    fraction: float
    """0..1 of the whole run (an early stop jumps to the end)."""
    message: str


ProgressCallback = Callable[[TrainingProgress], None]


@dataclass
class TrainConfig:
    epochs: int = 60
    lr: float = 3e-3
    weight_decay: float = 1e-4
    patience: int = 10
    seed: int = 0
    time_budget_s: float = 110.0
    hidden: int = 64
    layers: int = 2
    dropout: float = 0.1
    targets: tuple[str, ...] | None = None
    """A subset of TARGETS to train heads for (None: every target the data labels)."""
    progress: bool = True
    threads: int | None = 1
    """torch intra-op threads while training (None: leave as is). Snapshots are small
    graphs, so one thread is fastest and does not collapse when the CPU is shared
    (measured: 2.7 s vs 16 s for the unit-test plant on a loaded 2-core machine)."""


@dataclass
class TrainedModel:
    model: HeteroGNN
    std: Standardizer
    config: GnnConfig
    history: list[dict[str, float]] = field(default_factory=list)
    best_epoch: int = 0
    stopped: str = "epochs"
    seconds: float = 0.0

    def probabilities(self, snapshot: GraphSnapshot) -> dict[str, npt.NDArray[np.float64]]:
        """Raw (uncalibrated) probability for every row of each target's node type."""
        g = to_tensors(snapshot, self.std, self.config)
        return {t: p.numpy().astype(np.float64) for t, p in _predict(self.model, g).items()}

    def labelled(
        self, snapshots: Sequence[GraphSnapshot], target: str
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """(y, raw p) over the labelled rows of ``target`` in every snapshot."""
        ys: list[Any] = []
        ps: list[Any] = []
        for snap in snapshots:
            labels = snap.labels.get(target)
            if labels is None or target not in self.config.targets:
                continue
            ys.append(labels.y)
            ps.append(self.probabilities(snap)[target][labels.index])
        if not ys:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(ys).astype(np.float64), np.concatenate(ps)


@contextmanager
def deterministic(seed: int, threads: int | None = None) -> Iterator[None]:
    """Seed torch, switch on deterministic kernels (and pin threads) for the duration only."""
    before = torch.are_deterministic_algorithms_enabled()
    threads_before = torch.get_num_threads()
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    if threads:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(before)
        torch.set_num_threads(threads_before)


def _predict(model: HeteroGNN, g: GraphTensors) -> dict[str, Tensor]:
    model.eval()
    with torch.no_grad():
        return {t: torch.sigmoid(v) for t, v in model(g.x, g.edges).items()}


def _edge_types(snapshots: Sequence[GraphSnapshot], node_types: set[str]) -> list[EdgeType]:
    seen = {et for s in snapshots for et in s.edges if et[0] in node_types and et[2] in node_types}
    return sorted(seen)


def _labels(snap: GraphSnapshot, targets: dict[str, str]) -> dict[str, tuple[Tensor, Tensor]]:
    out = {}
    for t in targets:
        lab = snap.labels.get(t)
        if lab is not None and len(lab.index):
            out[t] = (torch.from_numpy(lab.index), torch.from_numpy(lab.y.astype(np.float32)))
    return out


def _pos_weights(snapshots: Sequence[GraphSnapshot], targets: dict[str, str]) -> dict[str, float]:
    weights = {}
    for t in targets:
        parts = [s.labels[t].y for s in snapshots if t in s.labels]
        y = np.concatenate(parts) if parts else np.zeros(0)
        pos = float(y.sum())
        weights[t] = min(MAX_POS_WEIGHT, (len(y) - pos) / pos) if pos else 1.0
    return weights


def _val_score(model: HeteroGNN, graphs: list[tuple[GraphTensors, dict[str, Any]]]) -> float:
    ys: dict[str, list[Tensor]] = {}
    ps: dict[str, list[Tensor]] = {}
    for g, labels in graphs:
        probs = _predict(model, g)
        for t, (idx, y) in labels.items():
            ys.setdefault(t, []).append(y)
            ps.setdefault(t, []).append(probs[t][idx])
    scores = [pr_auc(torch.cat(ys[t]).numpy(), torch.cat(ps[t]).numpy()) for t in ys]
    finite = [s for s in scores if np.isfinite(s)]
    return float(np.mean(finite)) if finite else float("nan")


def fit(
    train: Sequence[GraphSnapshot],
    val: Sequence[GraphSnapshot],
    config: TrainConfig | None = None,
    on_epoch: ProgressCallback | None = None,
) -> TrainedModel:
    """Train on ``train``, early-stop on ``val``; returns the best epoch's model.

    ``on_epoch`` hears after every epoch; its fraction is the larger of the epochs done
    and the time budget used.
    """
    cfg = config or TrainConfig()
    if not train:
        raise ValueError("no training snapshots")
    started = time.monotonic()
    std = Standardizer.fit(train)
    in_dims = {t: len(s.feature_names) for t, s in sorted(std.stats.items())}
    wanted = cfg.targets or tuple(TARGETS)
    targets = {
        t: TARGETS[t].node_type
        for t in wanted
        if TARGETS[t].node_type in in_dims and any(t in s.labels for s in train)
    }
    gcfg = GnnConfig(
        in_dims=in_dims,
        edge_types=_edge_types(train, set(in_dims)),
        targets=targets,
        hidden=cfg.hidden,
        layers=cfg.layers,
        dropout=cfg.dropout,
    )
    train_graphs = [(to_tensors(s, std, gcfg), _labels(s, targets)) for s in train]
    val_graphs = [(to_tensors(s, std, gcfg), _labels(s, targets)) for s in val]
    pos_weight = {t: torch.tensor(w) for t, w in _pos_weights(train, targets).items()}

    with deterministic(cfg.seed, cfg.threads):
        model = HeteroGNN(gcfg)
        optimiser = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        rng = np.random.default_rng(cfg.seed)
        result = TrainedModel(model, std, gcfg)
        best_score, best_state, waited = -1.0, None, 0
        progress = Progress(
            TextColumn("training"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} epochs  {task.fields[info]}"),
            TimeElapsedColumn(),
            disable=not cfg.progress,
            transient=False,
        )
        with progress:
            task = progress.add_task("train", total=cfg.epochs, info="")
            for epoch in range(cfg.epochs):
                model.train()
                total = 0.0
                for i in rng.permutation(len(train_graphs)):
                    g, labels = train_graphs[int(i)]
                    if not labels:
                        continue
                    logits = model(g.x, g.edges)
                    loss = sum(
                        (
                            torch.nn.functional.binary_cross_entropy_with_logits(
                                logits[t][idx], y, pos_weight=pos_weight[t]
                            )
                            for t, (idx, y) in labels.items()
                        ),
                        torch.zeros(()),
                    )
                    optimiser.zero_grad()
                    torch.autograd.backward(loss)
                    optimiser.step()
                    total += float(loss.detach())
                score = _val_score(model, val_graphs) if val_graphs else -total
                result.history.append(
                    {"epoch": epoch, "loss": total / max(len(train_graphs), 1), "val_pr_auc": score}
                )
                if score > best_score:
                    best_score, waited, result.best_epoch = score, 0, epoch
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
                else:
                    waited += 1
                progress.update(task, advance=1, info=f"val PR-AUC {score:.3f}")
                if on_epoch is not None:
                    # The time budget usually ends the demo's run before its last epoch.
                    elapsed = (time.monotonic() - started) / cfg.time_budget_s
                    fraction = min(max((epoch + 1) / cfg.epochs, elapsed), 1.0)
                    message = f"epoch {epoch + 1}/{cfg.epochs}, val PR-AUC {score:.3f}"
                    on_epoch(TrainingProgress(fraction, message))
                if waited >= cfg.patience:
                    result.stopped = "early-stop"
                    break
                if time.monotonic() - started > cfg.time_budget_s:
                    result.stopped = "time-budget"
                    break
        if best_state is not None:
            model.load_state_dict(best_state)
        model.eval()
    result.seconds = time.monotonic() - started
    return result
