"""The machine-failure model judged on real data: the AI4I 2020 predictive-maintenance file.

Our simulator's machines fail by the AI4I mechanisms, so the features the live model uses
for the `machine_failure` target (`inference.machine_features`) are scored here against the
data set those mechanisms come from. Label: `Machine_failure` (339 of 10,000 rows). The
five mode flags TWF/HDF/PWF/OSF/RNF are near-copies of the label and are never read as
features. Metric: PR-AUC first (3.4 % positives makes accuracy meaningless), then ROC-AUC,
F1 at a threshold chosen on out-of-fold training predictions, and calibration (Brier, ECE).

Protocol, for every model alike: the seed-42 stratified 80/20 split (2,000 test rows, 68
failures) and stratified 5-fold. Inside each training part, 5-fold out-of-fold predictions
fit a Platt calibration and pick the F1-maximising threshold; the test part is only scored.

What the numbers mean: the data set's generator applies the published rules, so the
heat/power/overstrain indicators computed from the readings equal the HDF/PWF/OSF flags row
for row (287 of the 339 failures, no false alarm). What remains are tool-wear failures (a
random wear in 200-240 min) and random ones, which no reading predicts; that gap, not the
model, bounds recall here. A gain on this file shows the features encode the mechanisms
our simulator uses, not that they generalise to a real plant.
"""

from __future__ import annotations

import csv
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    precision_recall_curve,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold, train_test_split
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # scikit-learn's

from inference.machine_features import (
    MACHINE_FAILURE_FEATURES,
    PHYSICS_FEATURES,
    RAW_FEATURES,
    machine_failure_features,
)
from inference.model.metrics import ece, reliability

FloatArray = npt.NDArray[np.float32]
ProbArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DATA_ENV = "FACTORYGRAPH_AI4I_CSV"
_REPO_ROOT = Path(__file__).resolve().parent.parent
LABEL = "Machine_failure"
LABEL_COPY_COLUMNS = ("TWF", "HDF", "PWF", "OSF", "RNF")
"""Failure-mode flags: set only when the machine failed, so they leak the label."""
_READINGS = {
    "air_temp_k": "Air temperature [K]",
    "process_temp_k": "Process temperature [K]",
    "speed_rpm": "Rotational speed [rpm]",
    "torque_nm": "Torque [Nm]",
    "tool_wear_min": "Tool wear [min]",
}
_REQUIRED = ("Type", *_READINGS.values(), LABEL)

SEED = 42
TEST_SIZE = 0.2
FOLDS = 5


class Ai4iDataError(ValueError):
    """The AI4I file is missing, or is not the file we expect (columns, values)."""


def default_path() -> Path:
    """`$FACTORYGRAPH_AI4I_CSV`, else `<repo>/../shared/data/ai4i2020/ai4i2020.csv`."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        return Path(configured)
    return _REPO_ROOT.parent / "shared/data/ai4i2020/ai4i2020.csv"


@dataclass(frozen=True)
class Ai4iData:
    features: FloatArray
    """float32 [n, len(feature_names)] from `machine_failure_features`; no label column."""
    feature_names: tuple[str, ...]
    y: IntArray
    """0/1 `Machine_failure` per row."""

    def columns(self, names: Sequence[str]) -> FloatArray:
        index = [self.feature_names.index(name) for name in names]
        return self.features[:, index]


def load_ai4i(path: Path | None = None) -> Ai4iData:
    """Read the AI4I 2020 CSV (UTF-8 with BOM, CRLF) into mechanism features and labels."""
    path = path or default_path()
    if not path.is_file():
        raise Ai4iDataError(
            f"AI4I 2020 file not found at {path} (set ${DATA_ENV} or put it in ../shared/data)"
        )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [name for name in _REQUIRED if name not in header]
        if missing:
            raise Ai4iDataError(f"{path}: missing columns {missing} (header: {header})")
        rows = list(reader)
    if not rows:
        raise Ai4iDataError(f"{path}: no data rows")
    readings: dict[str, list[float]] = {key: [] for key in _READINGS}
    quality: list[str] = []
    labels: list[int] = []
    for line, row in enumerate(rows, start=2):
        try:
            for key, column in _READINGS.items():
                readings[key].append(float(row[column]))
            label = int(row[LABEL])
        except (TypeError, ValueError) as exc:
            raise Ai4iDataError(f"{path} line {line}: {exc}") from exc
        if label not in (0, 1):
            raise Ai4iDataError(f"{path} line {line}: {LABEL} is {label}, expected 0 or 1")
        if row["Type"] not in ("L", "M", "H"):
            raise Ai4iDataError(f"{path} line {line}: Type is {row['Type']!r}, expected L/M/H")
        quality.append(row["Type"])
        labels.append(label)
    features = machine_failure_features(quality=quality, **readings)
    leaked = set(MACHINE_FAILURE_FEATURES) & {*LABEL_COPY_COLUMNS, LABEL}
    if leaked:  # a guard against a future feature list, not a runtime condition
        raise Ai4iDataError(f"label columns among the features: {sorted(leaked)}")
    return Ai4iData(features, MACHINE_FAILURE_FEATURES, np.asarray(labels, dtype=np.int64))


def seed42_split(y: IntArray) -> tuple[IntArray, IntArray]:
    """Row positions (train, test) of the stratified 80/20 split with random_state=42."""
    train, test = train_test_split(
        np.arange(len(y)), test_size=TEST_SIZE, stratify=y, random_state=SEED
    )
    return np.asarray(train, dtype=np.int64), np.asarray(test, dtype=np.int64)


# --- models -------------------------------------------------------------------------


class Classifier(Protocol):
    def fit(self, x: Any, y: Any) -> Any: ...
    def predict_proba(self, x: Any) -> Any: ...


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    features: tuple[str, ...]
    make: Callable[[int], Classifier]


def _hgb_default(seed: int) -> Classifier:
    model: Classifier = HistGradientBoostingClassifier(random_state=seed)
    return model


def _hgb_mechanism(seed: int) -> Classifier:
    # The mechanisms are thresholds on one or two margins: shallow trees, more of them.
    model: Classifier = HistGradientBoostingClassifier(
        max_depth=3, learning_rate=0.05, max_iter=300, random_state=seed
    )
    return model


MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "prior",
        "training base rate",
        RAW_FEATURES,
        lambda _seed: DummyClassifier(strategy="prior"),
    ),
    ModelSpec("gb_raw", "gradient boosting, raw readings", RAW_FEATURES, _hgb_default),
    ModelSpec(
        "gb_physics",
        "gradient boosting, raw + dT, power, wear x torque (reference)",
        PHYSICS_FEATURES,
        _hgb_default,
    ),
    ModelSpec(
        "ours",
        "gradient boosting (depth 3), mechanism margins, Platt-calibrated",
        MACHINE_FAILURE_FEATURES,
        _hgb_mechanism,
    ),
)
REFERENCE = "gb_physics"
OURS = "ours"


# --- metrics ------------------------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    roc_auc: float
    pr_auc: float
    """Average precision of the model's score."""
    f1: float
    precision: float
    recall: float
    threshold: float
    """Chosen on out-of-fold training predictions (calibrated scale)."""
    brier_raw: float
    brier: float
    ece_raw: float
    ece: float
    """After calibration, 15 bins."""


@dataclass
class ModelRun:
    spec: ModelSpec
    metrics: Metrics
    p_raw: ProbArray
    p: ProbArray
    """Calibrated test probabilities."""


@dataclass
class SplitResult:
    y_test: IntArray
    runs: dict[str, ModelRun]
    n_train: int


@dataclass
class Ai4iEvaluation:
    split: SplitResult
    folds: list[dict[str, Metrics]] = field(default_factory=list)
    seconds: float = 0.0

    def cv_mean_sd(self, model: str, metric: str) -> tuple[float, float]:
        """Mean and sample sd of one metric over the folds."""
        values = np.array([getattr(fold[model], metric) for fold in self.folds])
        sd = float(values.std(ddof=1)) if len(values) > 1 else 0.0
        return float(values.mean()), sd


class _Platt:
    """Logistic regression on the logit of a score: monotone, so rankings are kept."""

    def __init__(self) -> None:
        self._model = LogisticRegression(C=1e4, max_iter=1000)
        self._constant: float | None = None

    def fit(self, p: ProbArray, y: IntArray) -> _Platt:
        if np.ptp(p) == 0:  # a constant score (the prior) carries nothing to calibrate
            self._constant = float(y.mean())
        else:
            self._model.fit(_logit(p), y)
        return self

    def __call__(self, p: ProbArray) -> ProbArray:
        if self._constant is not None:
            return np.full(len(p), self._constant)
        return np.asarray(self._model.predict_proba(_logit(p))[:, 1], dtype=np.float64)


def _logit(p: ProbArray) -> ProbArray:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q)).reshape(-1, 1)


def _positive(model: Classifier, x: FloatArray) -> ProbArray:
    return np.asarray(model.predict_proba(x)[:, 1], dtype=np.float64)


def _best_f1_threshold(y: IntArray, p: ProbArray) -> float:
    precision, recall, thresholds = precision_recall_curve(y, p)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return float(thresholds[int(np.argmax(f1[:-1]))])


def fit_and_score(
    spec: ModelSpec, data: Ai4iData, train: IntArray, test: IntArray, seed: int = SEED
) -> ModelRun:
    """Fit on `train` (calibration and threshold from its out-of-fold scores), score `test`.

    One OpenMP thread: on 8,000 rows the boosting's threads mostly wait on each other, and
    on a loaded 2-core machine that made a fit 30x slower (measured: 39 s against 1.3 s).
    """
    with threadpool_limits(limits=1):
        return _fit_and_score(spec, data, train, test, seed)


def _fit_and_score(
    spec: ModelSpec, data: Ai4iData, train: IntArray, test: IntArray, seed: int
) -> ModelRun:
    x = data.columns(spec.features)
    y = data.y
    x_train, y_train = x[train], y[train]
    oof = np.zeros(len(train))
    inner = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    for fit_rows, held in inner.split(x_train, y_train):
        model = spec.make(seed).fit(x_train[fit_rows], y_train[fit_rows])
        oof[held] = _positive(model, x_train[held])
    calibrate = _Platt().fit(oof, y_train)
    threshold = _best_f1_threshold(y_train, calibrate(oof))
    p_raw = _positive(spec.make(seed).fit(x_train, y_train), x[test])
    p = calibrate(p_raw)
    y_test = y[test]
    predicted = p >= threshold
    tp = int((predicted & (y_test == 1)).sum())
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / max(int(y_test.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    metrics = Metrics(
        # Ranking metrics on the model's own score: Platt is monotone, but it saturates
        # near 0 and 1 into float ties that would blur the ranking it keeps in principle.
        roc_auc=float(roc_auc_score(y_test, p_raw)),
        pr_auc=float(average_precision_score(y_test, p_raw)),
        f1=f1,
        precision=precision,
        recall=recall,
        threshold=threshold,
        brier_raw=float(brier_score_loss(y_test, p_raw)),
        brier=float(brier_score_loss(y_test, p)),
        ece_raw=ece(y_test, p_raw),
        ece=ece(y_test, p),
    )
    return ModelRun(spec, metrics, p_raw, p)


def evaluate_split(
    data: Ai4iData, train: IntArray, test: IntArray, models: Sequence[ModelSpec] = MODELS
) -> SplitResult:
    runs = {spec.name: fit_and_score(spec, data, train, test) for spec in models}
    return SplitResult(data.y[test], runs, len(train))


def evaluate_ai4i(
    data: Ai4iData, *, folds: int = FOLDS, models: Sequence[ModelSpec] = MODELS
) -> Ai4iEvaluation:
    """The seed-42 split, then stratified `folds`-fold (0 skips the folds)."""
    started = time.perf_counter()
    split = evaluate_split(data, *seed42_split(data.y), models)
    evaluation = Ai4iEvaluation(split)
    if folds:
        outer = StratifiedKFold(folds, shuffle=True, random_state=SEED)
        for train, test in outer.split(data.features, data.y):
            result = evaluate_split(data, train.astype(np.int64), test.astype(np.int64), models)
            evaluation.folds.append({name: run.metrics for name, run in result.runs.items()})
    evaluation.seconds = time.perf_counter() - started
    return evaluation


def to_json(evaluation: Ai4iEvaluation) -> dict[str, Any]:
    """A plain-data record of the evaluation (for bench.report.record and model artifacts)."""
    split = evaluation.split
    out: dict[str, Any] = {
        "features": list(MACHINE_FAILURE_FEATURES),
        "split": {
            "seed": SEED,
            "test_rows": len(split.y_test),
            "test_failures": int(split.y_test.sum()),
            "models": {},
        },
        "folds": len(evaluation.folds),
        "cv": {},
        "seconds": round(evaluation.seconds, 2),
    }
    for name, run in split.runs.items():
        out["split"]["models"][name] = {
            "description": run.spec.description,
            "features": list(run.spec.features),
            **{key: _round(value) for key, value in vars(run.metrics).items()},
        }
        if evaluation.folds:
            out["cv"][name] = {
                metric: dict(
                    zip(
                        ("mean", "sd"),
                        map(_round, evaluation.cv_mean_sd(name, metric)),
                        strict=True,
                    )
                )
                for metric in vars(run.metrics)
            }
    return out


def _round(value: float) -> float:
    return round(value, 4) if math.isfinite(value) else value


# --- plots --------------------------------------------------------------------------


def write_plots(evaluation: Ai4iEvaluation, out_dir: Path) -> list[Path]:
    """PR curves of every model and the calibration curve of ours (before/after), as PNGs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    split = evaluation.split
    y = split.y_test
    figure, axes = plt.subplots(figsize=(6, 5))
    for name, run in split.runs.items():
        precision, recall, _ = precision_recall_curve(y, run.p_raw)
        axes.step(recall, precision, where="post", label=f"{name} (AP {run.metrics.pr_auc:.3f})")
    axes.set(xlabel="recall", ylabel="precision", title="AI4I 2020, seed-42 test split")
    axes.legend(loc="lower left")
    pr_path = out_dir / "ai4i_pr_curves.png"
    figure.savefig(pr_path, dpi=120, bbox_inches="tight")
    plt.close(figure)

    run = split.runs[OURS]
    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect")
    for label, p in (("before", run.p_raw), ("after Platt", run.p)):
        mean_p, rate, _ = reliability(y, p)
        axes.plot(mean_p, rate, marker="o", label=label)
    axes.set(
        xlabel="mean predicted probability",
        ylabel="observed failure rate",
        title=f"calibration of {OURS} (ECE {run.metrics.ece:.3f})",
    )
    axes.legend(loc="upper left")
    calibration_path = out_dir / "ai4i_calibration.png"
    figure.savefig(calibration_path, dpi=120, bbox_inches="tight")
    plt.close(figure)
    return [pr_path, calibration_path]
