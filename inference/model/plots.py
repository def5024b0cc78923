"""PNG plots for ``factorygraph evaluate``: PR curves, calibration, attributions.

Matplotlib's Agg backend only: evaluation runs headless (CI, servers).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from sklearn.metrics import precision_recall_curve

from inference.model.explain import Explanation
from inference.model.metrics import reliability

Curves = dict[str, dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]]
"""target -> model or series name -> (y, p)."""


def _grid(n: int) -> tuple[Any, list[Any]]:
    cols = min(3, max(n, 1))
    rows = (max(n, 1) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 4 * rows), squeeze=False)
    return fig, list(axes.ravel())


def _save(fig: Any, path: Path, unused: Sequence[Any] = ()) -> Path:
    """Blank the grid's spare axes, write the PNG, free the figure."""
    for ax in unused:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def pr_curves(curves: Curves, path: Path) -> Path:
    fig, axes = _grid(len(curves))
    for ax, (target, series) in zip(axes, curves.items(), strict=False):
        for name, (y, p) in series.items():
            if len(np.unique(y)) < 2:
                continue
            precision, recall, _ = precision_recall_curve(y, p)
            ax.step(recall, precision, where="post", label=name)
        ax.set(title=target, xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02))
        ax.legend(loc="lower left", fontsize=8)
    return _save(fig, path, unused=axes[len(curves) :])


def calibration_curves(curves: Curves, path: Path, bins: int = 15) -> Path:
    fig, axes = _grid(len(curves))
    for ax, (target, series) in zip(axes, curves.items(), strict=False):
        ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
        for name, (y, p) in series.items():
            xs, ys, _ = reliability(y, p, bins)
            ax.plot(xs, ys, marker="o", markersize=3, label=name)
        ax.set(title=target, xlabel="predicted", ylabel="observed", xlim=(0, 1), ylim=(0, 1))
        ax.legend(loc="upper left", fontsize=8)
    return _save(fig, path, unused=axes[len(curves) :])


def attributions(explanations: Sequence[Explanation], path: Path) -> Path:
    """One row per explained entity: own-feature attributions, neighbour score drops."""
    n = max(len(explanations), 1)
    fig, axes = plt.subplots(n, 2, figsize=(11, 2.6 * n), squeeze=False)
    for (ax_f, ax_n), ex in zip(axes, explanations, strict=False):
        names = [f.name for f in ex.features][::-1]
        ax_f.barh(names, [f.attribution for f in ex.features][::-1])
        ax_f.set_title(f"{ex.target}: {ex.entity_id} p={ex.probability:.2f}", fontsize=9)
        ax_f.set_xlabel("gradient x input")
        labels = [f"{nb.node_type} {nb.id}" for nb in ex.neighbours][::-1]
        ax_n.barh(labels, [nb.score_drop for nb in ex.neighbours][::-1], color="tab:orange")
        ax_n.set_title("neighbours (logit drop when occluded)", fontsize=9)
    return _save(fig, path)
