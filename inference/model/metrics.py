"""Metrics each target is judged by, and the calibration fitted on validation.

PR-AUC (average precision) is the headline: disruptions are rare, and ROC-AUC flatters a
model on rare positives. F1 is taken at the threshold that maximises it on validation, and
calibration (ECE over 15 equal-width bins, Brier) is reported before and after an isotonic
map fitted on validation, because alerts compare probabilities with fixed thresholds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

Array = npt.NDArray[np.float64]
ECE_BINS = 15


def _both_classes(y: npt.ArrayLike) -> bool:
    return len(np.unique(np.asarray(y))) == 2


def roc_auc(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    return float(roc_auc_score(y, p)) if _both_classes(y) else float("nan")


def pr_auc(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    return float(average_precision_score(y, p)) if _both_classes(y) else float("nan")


def f1_at(y: npt.ArrayLike, p: npt.ArrayLike, threshold: float) -> float:
    yy = np.asarray(y) > 0.5
    pred = np.asarray(p) >= threshold
    tp = float(np.sum(pred & yy))
    denom = float(np.sum(pred) + np.sum(yy))
    return 2 * tp / denom if denom else 0.0


def best_f1_threshold(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """The threshold maximising F1 (chosen on validation, then applied to test)."""
    pp = np.asarray(p, dtype=np.float64)
    candidates = np.unique(pp)
    if len(candidates) > 512:
        candidates = np.unique(np.quantile(pp, np.linspace(0, 1, 513)))
    if not len(candidates):
        return 0.5
    scores = [f1_at(y, pp, float(t)) for t in candidates]
    return float(candidates[int(np.argmax(scores))])


def brier(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    return float(brier_score_loss(y, np.clip(np.asarray(p, dtype=np.float64), 0, 1)))


def reliability(
    y: npt.ArrayLike, p: npt.ArrayLike, bins: int = ECE_BINS
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Per non-empty equal-width bin: mean probability, observed rate, count (ECE, plots)."""
    yy = np.asarray(y, dtype=np.float64)
    pp = np.clip(np.asarray(p, dtype=np.float64), 0, 1)
    which = np.minimum((pp * bins).astype(int), bins - 1)
    kept = [b for b in range(bins) if (which == b).any()]
    mean_p = np.array([pp[which == b].mean() for b in kept], dtype=np.float64)
    rate = np.array([yy[which == b].mean() for b in kept], dtype=np.float64)
    counts = np.array([(which == b).sum() for b in kept], dtype=np.int64)
    return mean_p, rate, counts


def ece(y: npt.ArrayLike, p: npt.ArrayLike, bins: int = ECE_BINS) -> float:
    """Expected calibration error: |mean(y) - mean(p)| per equal-width bin, weighted."""
    mean_p, rate, counts = reliability(y, p, bins)
    if not counts.sum():
        return float("nan")
    return float((counts * np.abs(rate - mean_p)).sum() / counts.sum())


@dataclass
class Calibrator:
    """A monotone piecewise-linear map from raw to calibrated probability (isotonic fit).

    Stored as its knots so the artifact stays plain JSON; identity when unfitted.
    """

    x: list[float]
    y: list[float]

    @classmethod
    def identity(cls) -> Calibrator:
        return cls([0.0, 1.0], [0.0, 1.0])

    @classmethod
    def fit(cls, y: npt.ArrayLike, p: npt.ArrayLike) -> Calibrator:
        if not _both_classes(y):
            return cls.identity()
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        iso.fit(np.asarray(p, dtype=np.float64), np.asarray(y, dtype=np.float64))
        return cls([float(v) for v in iso.X_thresholds_], [float(v) for v in iso.y_thresholds_])

    def __call__(self, p: npt.ArrayLike) -> Array:
        return np.interp(np.asarray(p, dtype=np.float64), self.x, self.y)

    def to_json(self) -> dict[str, list[float]]:
        return {"x": self.x, "y": self.y}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibrator:
        return cls(list(data["x"]), list(data["y"]))


@dataclass
class TargetMetrics:
    n: int
    positives: int
    roc_auc: float
    pr_auc: float
    f1: float
    threshold: float
    brier: float
    ece_raw: float
    ece_calibrated: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def evaluate(
    y_test: npt.ArrayLike,
    p_test: npt.ArrayLike,
    y_val: npt.ArrayLike,
    p_val: npt.ArrayLike,
) -> tuple[TargetMetrics, Calibrator]:
    """Test metrics with calibration and F1 threshold chosen on validation only."""
    cal = Calibrator.fit(y_val, p_val)
    threshold = best_f1_threshold(y_val, cal(p_val))
    pc = cal(p_test)
    yt = np.asarray(y_test)
    return (
        TargetMetrics(
            n=len(yt),
            positives=int(np.sum(yt > 0.5)),
            roc_auc=roc_auc(yt, p_test),
            pr_auc=pr_auc(yt, p_test),
            f1=f1_at(yt, pc, threshold),
            threshold=threshold,
            brier=brier(yt, pc),
            ece_raw=ece(yt, p_test),
            ece_calibrated=ece(yt, pc),
        ),
        cal,
    )


def comparison_table(results: dict[str, dict[str, TargetMetrics]]) -> str:
    """Plain-text table: one block per target, one row per model, then GNN/GBM PR-AUC."""
    cols = ("model", "n", "pos", "ROC-AUC", "PR-AUC", "F1", "thr", "Brier", "ECE", "ECE cal")
    lines = ["  ".join(f"{c:>8}" for c in ("target", *cols))]
    for target, by_model in results.items():
        for model, m in by_model.items():
            row = (
                target[:24],
                model,
                str(m.n),
                str(m.positives),
                *(
                    f"{v:.3f}"
                    for v in (
                        m.roc_auc,
                        m.pr_auc,
                        m.f1,
                        m.threshold,
                        m.brier,
                        m.ece_raw,
                        m.ece_calibrated,
                    )
                ),
            )
            lines.append("  ".join(f"{c:>8}" for c in row))
        gnn, gbm = by_model.get("gnn"), by_model.get("gbm")
        if gnn and gbm and gbm.pr_auc > 0:
            lines.append(f"{target}: GNN PR-AUC / GBM PR-AUC = {gnn.pr_auc / gbm.pr_auc:.2f}")
    return "\n".join(lines)
