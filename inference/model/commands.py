"""What the CLI calls: train, evaluate, models, promote, and the online ``Scorer``.

Data come from the operations simulator (``inference.simulation.build_dataset``) unless a
caller passes its own ``build`` (tests do). Splits are by simulation seed, so evaluation
is on plants the model never saw; calibration and thresholds are fitted on the
validation seeds, never on test.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from inference.model import artifact as store
from inference.model import metrics, plots
from inference.model.baselines import OwnFeatureGBM, Prior, own_features
from inference.model.explain import Explanation
from inference.model.explain import explain as explain_row
from inference.model.hetero_gnn import to_tensors
from inference.model.train import (
    ProgressCallback,
    TrainConfig,
    TrainedModel,
    TrainingProgress,
    fit,
)
from inference.snapshot import TARGETS, GraphSnapshot

DatasetBuilder = Callable[[Sequence[int], float, float], list[GraphSnapshot]]
Scores = dict[str, tuple[list[str], npt.NDArray[np.float64]]]


def simulator_dataset(seeds: Sequence[int], days: float, every_h: float) -> list[GraphSnapshot]:
    """The operations simulator's labelled snapshots (imported late: a separate package)."""
    module = importlib.import_module("inference.simulation")
    build = cast(DatasetBuilder, module.build_dataset)
    return build(list(seeds), days, every_h)


SIMULATION_SHARE = 0.1
"""The share of a run spent simulating plants, for progress reports (measured: the demo's
3+1 plants of 30 days took 8 s of its 79 s on a loaded 2-core machine)."""

EPOCHS_DONE = 0.97
"""Progress when the last epoch ends; calibration and saving take the rest."""


def _split(seeds: Sequence[int], val_seeds: Sequence[int] | None) -> tuple[list[int], list[int]]:
    if val_seeds:
        return [s for s in seeds if s not in val_seeds], list(val_seeds)
    if len(seeds) < 2:
        raise ValueError("need at least two seeds (the last one validates) or val_seeds")
    return list(seeds[:-1]), [seeds[-1]]


def train(
    data_dir: Path,
    seeds: Sequence[int],
    days: float,
    every_h: float,
    epochs: int = 60,
    seed: int = 0,
    time_budget_s: float = 110.0,
    *,
    val_seeds: Sequence[int] | None = None,
    hidden: int = 64,
    progress: bool = True,
    build: DatasetBuilder = simulator_dataset,
    on_progress: ProgressCallback | None = None,
) -> str:
    """Train on ``seeds`` (the last one validates unless ``val_seeds``); save; return version.

    ``on_progress`` hears each stage and epoch, the fraction spanning the whole run: the
    simulation up to ``SIMULATION_SHARE``, the epochs up to ``EPOCHS_DONE``, then
    calibration and saving.
    """

    def report(fraction: float, message: str) -> None:
        if on_progress is not None:
            on_progress(TrainingProgress(round(fraction, 4), message))

    def epoch_done(done: TrainingProgress) -> None:
        span = EPOCHS_DONE - SIMULATION_SHARE
        report(SIMULATION_SHARE + span * done.fraction, done.message)

    train_seeds, valid_seeds = _split(seeds, val_seeds)
    report(0.0, f"simulating {len(train_seeds)} training plants")
    train_set = build(train_seeds, days, every_h)
    report(SIMULATION_SHARE * 0.75, f"simulating {len(valid_seeds)} validation plants")
    val_set = build(valid_seeds, days, every_h)
    report(SIMULATION_SHARE, f"epoch 0/{epochs}")
    cfg = TrainConfig(
        epochs=epochs, seed=seed, time_budget_s=time_budget_s, hidden=hidden, progress=progress
    )
    trained = fit(train_set, val_set, cfg, on_epoch=epoch_done)
    report(EPOCHS_DONE, "calibrating and saving")
    calibrators, thresholds, validation = {}, {}, {}
    for target in trained.config.targets:
        y, p = trained.labelled(val_set, target)
        cal = metrics.Calibrator.fit(y, p)
        calibrators[target] = cal
        thresholds[target] = metrics.best_f1_threshold(y, cal(p)) if len(y) else 0.5
        validation[target] = {
            "n": len(y),
            "positives": int(y.sum()),
            "roc_auc": metrics.roc_auc(y, p),
            "pr_auc": metrics.pr_auc(y, p),
        }
    art = store.ModelArtifact(
        config=trained.config,
        state_dict=trained.model.state_dict(),
        standardizer=trained.std,
        calibrators=calibrators,
        thresholds=thresholds,
        data_hash=store.data_hash(train_set),
        metrics={"validation": validation},
        training={
            "train_seeds": train_seeds,
            "val_seeds": valid_seeds,
            "days": days,
            "every_h": every_h,
            "snapshots": len(train_set),
            "config": asdict(cfg),
            "best_epoch": trained.best_epoch,
            "stopped": trained.stopped,
            "seconds": round(trained.seconds, 2),
            "history": trained.history,
        },
    )
    return store.save(art, data_dir)


def _resolve(data_dir: Path, version: str | None) -> store.ModelArtifact:
    if version:
        return store.load(data_dir, version)
    if store.promoted_version(data_dir):
        return store.load_promoted(data_dir)
    rows = store.list_models(data_dir)
    if not rows:
        raise store.ModelNotFound(f"no models in {store.models_dir(data_dir)}")
    return store.load(data_dir, rows[-1]["version"])


def evaluate(
    data_dir: Path,
    version: str | None,
    test_seeds: Sequence[int],
    out_dir: Path,
    *,
    build: DatasetBuilder = simulator_dataset,
    examples: int = 3,
) -> str:
    """Prior / GBM / GNN on held-out seeds; writes evaluation.json and PNGs; returns the table.

    The baselines are refitted on the artifact's own training seeds (the simulator is
    deterministic; the data hash is checked), calibrated on its validation seeds.
    """
    art = _resolve(data_dir, version)
    tr = art.training
    train_set = build(tr["train_seeds"], tr["days"], tr["every_h"])
    val_set = build(tr["val_seeds"], tr["days"], tr["every_h"])
    test_set = build(list(test_seeds), tr["days"], tr["every_h"])
    same_data = store.data_hash(train_set) == art.data_hash
    scorer = Scorer(art)
    prior, gbm = Prior().fit(train_set), OwnFeatureGBM(seed=0).fit(train_set)

    results: dict[str, dict[str, metrics.TargetMetrics]] = {}
    per_plant: dict[str, dict[int, float]] = {}
    pr: plots.Curves = {}
    cal_curves: plots.Curves = {}
    for target in art.config.targets:
        yv, pv = scorer.trained.labelled(val_set, target)
        yt, pt = scorer.trained.labelled(test_set, target)
        if not len(yt):
            continue
        xv, _ = own_features(val_set, target)
        xt, _ = own_features(test_set, target)
        gv, gt = gbm.predict(target, xv), gbm.predict(target, xt)
        prior_p = prior.predict(target, len(yt))
        m_gnn, cal_gnn = metrics.evaluate(yt, pt, yv, pv)
        m_gbm, cal_gbm = metrics.evaluate(yt, gt, yv, gv)
        m_prior, _ = metrics.evaluate(yt, prior_p, yv, prior.predict(target, len(yv)))
        results[target] = {"prior": m_prior, "gbm": m_gbm, "gnn": m_gnn}
        per_plant[target] = _per_plant_ece(scorer, test_set, target, cal_gnn)
        pr[target] = {"prior": (yt, prior_p), "gbm": (yt, gt), "gnn": (yt, pt)}
        cal_curves[target] = {
            "gnn raw": (yt, pt),
            "gnn calibrated": (yt, cal_gnn(pt)),
            "gbm calibrated": (yt, cal_gbm(gt)),
        }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plots.pr_curves(pr, out_dir / "pr_curves.png")
    plots.calibration_curves(cal_curves, out_dir / "calibration.png")
    plots.attributions(_examples(scorer, test_set, examples), out_dir / "attributions.png")
    table = metrics.comparison_table(results) + "\n" + _per_plant_lines(per_plant)
    header = f"model {art.version}  test seeds {list(test_seeds)}" + (
        "" if same_data else "  (WARNING: training data hash differs from the artifact's)"
    )
    (out_dir / "evaluation.json").write_text(
        json.dumps(
            {
                "version": art.version,
                "test_seeds": list(test_seeds),
                "training_data_matches": same_data,
                "results": {
                    t: {m: r.to_json() for m, r in by.items()} for t, by in results.items()
                },
                "gnn_ece_calibrated_per_plant": per_plant,
            },
            indent=2,
        )
    )
    return header + "\n" + table


def _per_plant_ece(
    scorer: Scorer, snapshots: Sequence[GraphSnapshot], target: str, cal: metrics.Calibrator
) -> dict[int, float]:
    """Calibrated ECE on each test plant alone: pooled plants can hide per-plant error."""
    out = {}
    for seed in sorted({s.seed for s in snapshots if s.seed is not None}):
        y, p = scorer.trained.labelled([s for s in snapshots if s.seed == seed], target)
        if len(y):
            out[seed] = metrics.ece(y, cal(p))
    return out


def _per_plant_lines(per_plant: dict[str, dict[int, float]]) -> str:
    lines = ["GNN calibrated ECE on each test plant alone (seed: ECE):"]
    for target, by_seed in per_plant.items():
        cells = "  ".join(f"{seed}: {e:.3f}" for seed, e in by_seed.items())
        lines.append(f"  {target:<22} {cells}")
    return "\n".join(lines)


def _examples(scorer: Scorer, snapshots: Sequence[GraphSnapshot], n: int) -> list[Explanation]:
    """The highest-scored entities of the last test snapshot, a spread of targets."""
    if not snapshots or n <= 0:
        return []
    snap = snapshots[-1]
    scores = scorer.score(snap)
    out = []
    for target in [t for t in ("sales_order_late", *TARGETS) if t in scores][:n]:
        ids, p = scores[target]
        if len(ids):
            out.append(scorer.explain(snap, target, int(np.argmax(p))))
    return out[:n]


def models(data_dir: Path) -> list[dict[str, Any]]:
    """One row per version: version, created, promoted, code, data hash, val PR-AUC per target."""
    rows = []
    for doc in store.list_models(data_dir):
        val = doc.get("metrics", {}).get("validation", {})
        rows.append(
            {
                "version": doc["version"],
                "created_at": doc["created_at"],
                "promoted": doc["promoted"],
                "code_version": doc["code_version"],
                "data_hash": doc["data_hash"][:12],
                "train_seeds": doc["training"].get("train_seeds"),
                "val_pr_auc": {t: v.get("pr_auc") for t, v in val.items()},
            }
        )
    return rows


def promote(data_dir: Path, version: str) -> None:
    store.promote(data_dir, version)


class Scorer:
    """Online scoring with a saved model: calibrated probabilities and explanations."""

    def __init__(self, art: store.ModelArtifact) -> None:
        self.artifact = art
        self.version = art.version
        self.thresholds = dict(art.thresholds)
        self.trained = TrainedModel(art.build_model(), art.standardizer, art.config)

    @classmethod
    def load(cls, data_dir: Path, version: str | None = None) -> Scorer:
        """The given version, else the promoted one (``ModelNotFound`` when none)."""
        art = store.load(data_dir, version) if version else store.load_promoted(data_dir)
        return cls(art)

    def score(self, snapshot: GraphSnapshot) -> Scores:
        """Calibrated probability per entity of each target's node type in the snapshot."""
        raw = self.trained.probabilities(snapshot)
        out: Scores = {}
        for target, p in raw.items():
            node_type = TARGETS[target].node_type
            table = snapshot.nodes.get(node_type)
            if table is None:
                continue
            cal = self.artifact.calibrators.get(target, metrics.Calibrator.identity())
            out[target] = (list(table.ids), cal(p))
        return out

    def explain(self, snapshot: GraphSnapshot, target: str, row: int) -> Explanation:
        g = to_tensors(snapshot, self.trained.std, self.trained.config)
        cal = self.artifact.calibrators.get(target, metrics.Calibrator.identity())
        return explain_row(
            self.trained.model,
            g,
            snapshot,
            target,
            row,
            self.artifact.feature_names,
            calibrate=cal,
        )
