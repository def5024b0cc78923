"""The machine-failure model on the real AI4I 2020 file, against the prior and gradient boosting.

    python -m bench.ai4i [--csv PATH] [--folds 5] [--plots DIR]

Runs every model of `inference.ai4i.MODELS` on the seed-42 stratified 80/20 split and on
stratified k-fold, prints both tables (ROC-AUC, PR-AUC, F1 with precision and recall at the
threshold chosen on out-of-fold training predictions, Brier and ECE before/after Platt
calibration), writes PR-curve and calibration PNGs and bench/results/ai4i.json.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from bench.report import record, table
from inference.ai4i import (
    MODELS,
    Ai4iEvaluation,
    evaluate_ai4i,
    load_ai4i,
    to_json,
    write_plots,
)
from inference.machine_features import MACHINE_FAILURE_FEATURES

log = logging.getLogger("bench.ai4i")


def _f(value: float) -> str:
    return f"{value:.3f}"


def print_report(evaluation: Ai4iEvaluation) -> None:
    split = evaluation.split
    print(
        f"seed-42 stratified split: {len(split.y_test):,} test rows, "
        f"{int(split.y_test.sum())} failures; threshold from out-of-fold training scores"
    )
    headers = [
        "model",
        "ROC-AUC",
        "PR-AUC",
        "F1",
        "precision",
        "recall",
        "threshold",
        "Brier raw",
        "Brier cal",
        "ECE raw",
        "ECE cal",
    ]
    rows = []
    for name, run in split.runs.items():
        m = run.metrics
        rows.append(
            [name]
            + [
                _f(v)
                for v in (
                    m.roc_auc,
                    m.pr_auc,
                    m.f1,
                    m.precision,
                    m.recall,
                    m.threshold,
                    m.brier_raw,
                    m.brier,
                    m.ece_raw,
                    m.ece,
                )
            ]
        )
    print(table(headers, rows))
    if evaluation.folds:
        print(f"\nstratified {len(evaluation.folds)}-fold (mean ± sd)")
        metrics = ("roc_auc", "pr_auc", "f1", "precision", "recall", "brier", "ece")
        cv_rows = []
        for name in split.runs:
            cells = []
            for metric in metrics:
                mean, sd = evaluation.cv_mean_sd(name, metric)
                cells.append(f"{mean:.3f} ± {sd:.3f}")
            cv_rows.append([name, *cells])
        print(
            table(
                ["model", "ROC-AUC", "PR-AUC", "F1", "precision", "recall", "Brier cal", "ECE cal"],
                cv_rows,
            )
        )
    print("\nmodels:")
    for spec in MODELS:
        print(f"- {spec.name}: {spec.description}")
    print(f"features of ours: {', '.join(MACHINE_FAILURE_FEATURES)}")
    print(f"took {evaluation.seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=None, help="default: the shared data file")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--plots", type=Path, default=Path("/tmp/factorygraph-ai4i-plots"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    data = load_ai4i(args.csv)
    evaluation = evaluate_ai4i(data, folds=args.folds)
    print_report(evaluation)
    for path in write_plots(evaluation, args.plots):
        log.info("ai4i.plot path=%s", path)
    print(f"\nrecorded {record('ai4i', to_json(evaluation))}")


if __name__ == "__main__":
    main()
