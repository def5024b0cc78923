"""The foresight model on a tiny synthetic plant where the sales-order label is visible only
through the graph: a sales order is late when one of its work orders is delayed or runs on
a worn machine (two hops away); its own features are noise. So the GNN must beat the prior
and the own-feature GBM, and explanations must name the worn machine.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import torch

from app.foresight import ForesightOptions, load_scorer
from inference.model import artifact, commands, metrics
from inference.model.baselines import OwnFeatureGBM, Prior, own_features
from inference.model.train import TrainConfig, TrainedModel, fit
from inference.snapshot import GraphSnapshot, Labels, NodeTable

RUNS_ON = ("work_order", "runs_on", "machine")
FOR_ORDER = ("work_order", "for_order", "sales_order")
WORN = 0.8


def plant(
    wear: np.ndarray,
    delay: np.ndarray,
    wo_machine: np.ndarray,
    wo_order: np.ndarray,
    orders: int,
    rng: np.random.Generator,
    seed: int,
    step: int,
) -> GraphSnapshot:
    machines, wos = len(wear), len(delay)
    wo_late = (delay > 1.2) | (wear[wo_machine] > WORN)
    so_late = np.zeros(orders, bool)
    np.logical_or.at(so_late, wo_order, wo_late)
    fail = wear + rng.normal(0, 0.05, machines) > 0.85

    def table(prefix: str, cols: list[np.ndarray], names: list[str]) -> NodeTable:
        x = np.stack(cols, 1).astype(np.float32)
        return NodeTable([f"{prefix}-{i:04d}" for i in range(len(x))], x, names)

    def labels(y: np.ndarray) -> Labels:
        return Labels(np.arange(len(y), dtype=np.int64), y.astype(np.float32))

    return GraphSnapshot(
        at=datetime(2025, 1, 1) + timedelta(hours=12 * step),
        nodes={
            "machine": table("M", [wear, rng.normal(size=machines)], ["wear", "noise"]),
            "work_order": table("WO", [delay, rng.normal(size=wos)], ["delay", "noise"]),
            "sales_order": table(
                "SO", [rng.normal(size=orders), rng.normal(size=orders)], ["slack", "noise"]
            ),
        },
        edges={
            RUNS_ON: np.stack([np.arange(wos), wo_machine]).astype(np.int64),
            FOR_ORDER: np.stack([np.arange(wos), wo_order]).astype(np.int64),
        },
        labels={
            "machine_failure": labels(fail),
            "work_order_late": labels(wo_late),
            "sales_order_late": labels(so_late),
        },
        seed=seed,
    )


def random_plant(seed: int, step: int, machines: int = 12, orders: int = 40) -> GraphSnapshot:
    rng = np.random.default_rng(seed * 1000 + step)
    wos = orders * 2
    return plant(
        wear=rng.uniform(0, 1, machines),
        delay=rng.normal(size=wos),
        wo_machine=rng.integers(0, machines, wos),
        wo_order=np.repeat(np.arange(orders), 2),
        orders=orders,
        rng=rng,
        seed=seed,
        step=step,
    )


def build(seeds: Sequence[int], days: float, every_h: float) -> list[GraphSnapshot]:
    steps = int(days * 24 / every_h)
    return [random_plant(s, k) for s in seeds for k in range(steps)]


TRAIN, VAL, TEST = build([1, 2, 3], 3, 12), build([4], 3, 12), build([5, 6], 3, 12)
QUICK = TrainConfig(epochs=40, hidden=32, progress=False, seed=0)


@pytest.fixture(scope="module")
def trained() -> TrainedModel:
    return fit(TRAIN, VAL, QUICK)


def test_gnn_beats_prior_and_no_graph_gbm(trained: TrainedModel) -> None:
    prior, gbm = Prior().fit(TRAIN), OwnFeatureGBM().fit(TRAIN)
    for target in ("machine_failure", "sales_order_late"):
        y, p = trained.labelled(TEST, target)
        x, y_own = own_features(TEST, target)
        assert np.array_equal(y, y_own)
        gnn = metrics.pr_auc(y, p)
        assert gnn > metrics.pr_auc(y, prior.predict(target, len(y))) + 0.2, target
        if target == "sales_order_late":
            assert gnn >= 1.2 * metrics.pr_auc(y, gbm.predict(target, x))


def test_training_is_seeded() -> None:
    short = TrainConfig(epochs=2, hidden=16, progress=False, seed=7)
    a, b = fit(TRAIN[:4], VAL[:2], short), fit(TRAIN[:4], VAL[:2], short)
    for key, value in a.model.state_dict().items():
        assert torch.equal(value, b.model.state_dict()[key]), key


def test_calibration_lowers_ece(trained: TrainedModel) -> None:
    # class weighting in training makes raw probabilities too high on rare positives
    y_val, p_val = trained.labelled(VAL, "sales_order_late")
    y, p = trained.labelled(TEST, "sales_order_late")
    result, cal = metrics.evaluate(y, p, y_val, p_val)
    assert result.ece_calibrated < result.ece_raw
    assert result.ece_calibrated <= 0.05
    assert np.all(np.diff(cal(np.linspace(0, 1, 50))) >= 0)


def test_ece_of_a_known_miscalibration() -> None:
    rng = np.random.default_rng(0)
    truth = rng.uniform(0, 1, 20_000)
    y = (rng.uniform(0, 1, truth.size) < truth).astype(float)
    assert metrics.ece(y, truth) < 0.02
    squashed = truth**3
    assert metrics.ece(y, squashed) > 0.15
    half = truth.size // 2
    cal = metrics.Calibrator.fit(y[:half], squashed[:half])
    assert metrics.ece(y[half:], cal(squashed[half:])) < 0.03


def test_artifact_round_trip_gives_identical_scores(trained: TrainedModel, tmp_path: Path) -> None:
    saved = artifact.ModelArtifact(
        config=trained.config,
        state_dict=trained.model.state_dict(),
        standardizer=trained.std,
        calibrators={
            t: metrics.Calibrator.fit(*trained.labelled(VAL, t)) for t in ["machine_failure"]
        },
        thresholds={"machine_failure": 0.4},
        data_hash=artifact.data_hash(TRAIN),
    )
    version = artifact.save(saved, tmp_path)
    loaded = artifact.load(tmp_path, version)
    assert loaded.version == version and loaded.data_hash == saved.data_hash
    assert loaded.code_version and loaded.feature_names["machine"] == ["wear", "noise"]
    again = TrainedModel(loaded.build_model(), loaded.standardizer, loaded.config)
    for snap in TEST[:3]:
        before, after = trained.probabilities(snap), again.probabilities(snap)
        assert before.keys() == after.keys()
        for target in before:
            assert np.array_equal(before[target], after[target])
    cal_before = saved.calibrators["machine_failure"](np.linspace(0, 1, 9))
    assert np.array_equal(cal_before, loaded.calibrators["machine_failure"](np.linspace(0, 1, 9)))
    with pytest.raises(artifact.ModelNotFound):
        artifact.load_promoted(tmp_path)


def test_explanation_names_the_worn_machine(trained: TrainedModel) -> None:
    # SO-0000 <- WO-0000 -> M-0000 (fresh), SO-0000 <- WO-0001 -> M-0001 (worn);
    # SO-0001 <- WO-0002, WO-0003 on fresh machines. No delays anywhere.
    rng = np.random.default_rng(99)
    snap = plant(
        wear=np.array([0.1, 0.97, 0.2]),
        delay=np.zeros(4),
        wo_machine=np.array([0, 1, 2, 0]),
        wo_order=np.array([0, 0, 1, 1]),
        orders=2,
        rng=rng,
        seed=99,
        step=0,
    )
    scorer = commands.Scorer(
        artifact.ModelArtifact(
            config=trained.config,
            state_dict=trained.model.state_dict(),
            standardizer=trained.std,
            calibrators={},
            thresholds={},
            data_hash="x",
        )
    )
    ids, p = scorer.score(snap)["sales_order_late"]
    assert ids == ["SO-0000", "SO-0001"] and p[0] > 0.5 > p[1]
    ex = scorer.explain(snap, "sales_order_late", 0)
    assert ex.entity_id == "SO-0000" and ex.neighbours
    top = ex.neighbours[0]
    assert (top.node_type, top.id, top.hops) == ("machine", "M-0001", 2)
    assert top.top_features[0] == "wear"
    assert "machine M-0001 (wear" in ex.summary()


def test_commands_train_evaluate_promote_score(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir, out = tmp_path / "data", tmp_path / "eval"
    version = commands.train(
        data_dir,
        [1, 2, 4],
        2,
        12,
        epochs=15,
        seed=0,
        time_budget_s=60,
        hidden=16,
        progress=False,
        build=build,
    )
    rows = commands.models(data_dir)
    assert [r["version"] for r in rows] == [version] and not rows[0]["promoted"]
    with pytest.raises(artifact.ModelNotFound):
        commands.Scorer.load(data_dir)
    commands.promote(data_dir, version)
    assert commands.models(data_dir)[0]["promoted"]
    scorer = commands.Scorer.load(data_dir)
    assert scorer.version == version and set(scorer.thresholds) == set(scorer.artifact.calibrators)
    scores = scorer.score(TEST[0])
    ids, p = scores["work_order_late"]
    assert ids == TEST[0].nodes["work_order"].ids and np.all((p >= 0) & (p <= 1))

    table = commands.evaluate(data_dir, None, [5], out, build=build, examples=2)
    assert version in table and "WARNING" not in table
    for target in ("machine_failure", "work_order_late", "sales_order_late"):
        assert all(f"{target[:24]:>8}  {m:>8}" in table for m in ("prior", "gbm", "gnn"))
    for png in ("pr_curves.png", "calibration.png", "attributions.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "GNN calibrated ECE on each test plant alone" in table and "  5: " in table
    doc = json.loads((out / "evaluation.json").read_text())
    assert set(doc["gnn_ece_calibrated_per_plant"]["work_order_late"]) == {"5"}

    # serve loads it, and says which of today's columns this (synthetic) model never saw
    with caplog.at_level(logging.WARNING, logger="app.foresight"):
        assert load_scorer(ForesightOptions(data_dir)) is not None
    assert "foresight.stale_model node_type=machine untrained_columns=torque_mean_8h" in caplog.text
