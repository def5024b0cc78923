"""Versioned model artifacts: ``<data_dir>/models/<version>/`` plus a ``promoted`` pointer.

A version directory holds ``model.pt`` (the state dict, loaded with ``weights_only``) and
``artifact.json`` (config, feature lists and standardization stats, calibrators, thresholds,
metrics, how it was trained, a hash of the training snapshots, the code version, when).
Everything but the weights is plain JSON so ``factorygraph models`` can list and compare
without torch, and a reader can see what a served model was trained on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from inference.model.hetero_gnn import GnnConfig, HeteroGNN
from inference.model.metrics import Calibrator
from inference.model.standardize import Standardizer
from inference.snapshot import GraphSnapshot

FORMAT = 1
PROMOTED = "promoted"
REPO_ROOT = Path(__file__).resolve().parents[2]


class ModelNotFound(LookupError):
    """No such model version, or nothing promoted yet."""


@dataclass
class ModelArtifact:
    config: GnnConfig
    state_dict: dict[str, Tensor]
    standardizer: Standardizer
    calibrators: dict[str, Calibrator]
    thresholds: dict[str, float]
    data_hash: str
    metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    code_version: str = ""
    created_at: str = ""
    version: str = ""

    def build_model(self) -> HeteroGNN:
        model = HeteroGNN(self.config)
        model.load_state_dict(self.state_dict)
        model.eval()
        return model

    @property
    def feature_names(self) -> dict[str, list[str]]:
        return {t: s.feature_names for t, s in self.standardizer.stats.items()}


def models_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "models"


def data_hash(snapshots: Sequence[GraphSnapshot]) -> str:
    """sha256 over every snapshot's ids, features, edges and labels, in a fixed order."""
    h = hashlib.sha256()
    for snap in snapshots:
        h.update(f"{snap.at.isoformat()}|{snap.seed}".encode())
        for t in sorted(snap.nodes):
            table = snap.nodes[t]
            h.update(json.dumps([t, table.ids, table.feature_names]).encode())
            h.update(table.features.tobytes())
        for et in sorted(snap.edges):
            h.update("|".join(et).encode())
            h.update(snap.edges[et].tobytes())
        for name in sorted(snap.labels):
            h.update(name.encode())
            h.update(snap.labels[name].index.tobytes())
            h.update(snap.labels[name].y.tobytes())
    return h.hexdigest()


def code_version() -> str:
    """The git commit (with ``-dirty`` for local changes), else the package version."""
    git = shutil.which("git")
    if git and (REPO_ROOT / ".git").exists():

        def run(*args: str) -> str:
            done = subprocess.run(
                [git, *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=10
            )
            return done.stdout.strip()

        try:
            commit = run("rev-parse", "HEAD")
            dirty = run("status", "--porcelain", "--untracked-files=no")
            return commit + ("-dirty" if dirty else "")
        except (OSError, subprocess.SubprocessError):
            pass
    try:
        return "factorygraph " + metadata.version("factorygraph")
    except metadata.PackageNotFoundError:
        return "unknown"


def save(artifact: ModelArtifact, data_dir: Path) -> str:
    """Write a new version directory atomically; returns (and sets) its version."""
    root = models_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    artifact.created_at = artifact.created_at or now.isoformat()
    artifact.code_version = artifact.code_version or code_version()
    base = f"{now:%Y%m%dT%H%M%S}-{artifact.data_hash[:8]}"
    version, n = base, 1
    while (root / version).exists():
        n += 1
        version = f"{base}-{n}"
    artifact.version = version
    tmp = Path(tempfile.mkdtemp(prefix=".saving-", dir=root))
    torch.save(artifact.state_dict, tmp / "model.pt")
    doc = {
        "format": FORMAT,
        "version": version,
        "created_at": artifact.created_at,
        "code_version": artifact.code_version,
        "data_hash": artifact.data_hash,
        "config": artifact.config.to_json(),
        "features": artifact.feature_names,
        "standardization": artifact.standardizer.to_json(),
        "calibrators": {t: c.to_json() for t, c in artifact.calibrators.items()},
        "thresholds": artifact.thresholds,
        "metrics": artifact.metrics,
        "training": artifact.training,
    }
    (tmp / "artifact.json").write_text(json.dumps(doc, indent=2, allow_nan=True))
    tmp.rename(root / version)
    return version


def _read(data_dir: Path, version: str) -> dict[str, Any]:
    path = models_dir(data_dir) / version / "artifact.json"
    if not path.is_file():
        raise ModelNotFound(f"no model version {version!r} in {models_dir(data_dir)}")
    doc: dict[str, Any] = json.loads(path.read_text())
    if doc.get("format") != FORMAT:
        raise ModelNotFound(f"model {version} has format {doc.get('format')}, expected {FORMAT}")
    return doc


def load(data_dir: Path, version: str) -> ModelArtifact:
    doc = _read(data_dir, version)
    state = torch.load(models_dir(data_dir) / version / "model.pt", weights_only=True)
    return ModelArtifact(
        config=GnnConfig.from_json(doc["config"]),
        state_dict=state,
        standardizer=Standardizer.from_json(doc["standardization"]),
        calibrators={t: Calibrator.from_json(c) for t, c in doc["calibrators"].items()},
        thresholds={t: float(v) for t, v in doc["thresholds"].items()},
        data_hash=doc["data_hash"],
        metrics=doc["metrics"],
        training=doc["training"],
        code_version=doc["code_version"],
        created_at=doc["created_at"],
        version=doc["version"],
    )


def list_models(data_dir: Path) -> list[dict[str, Any]]:
    """Every version's JSON document (no weights), oldest first, with ``promoted`` set."""
    root = models_dir(data_dir)
    if not root.is_dir():
        return []
    current = promoted_version(data_dir)
    rows = []
    for path in sorted(root.iterdir()):
        if path.is_dir() and not path.name.startswith(".") and (path / "artifact.json").is_file():
            doc = _read(data_dir, path.name)
            doc["promoted"] = path.name == current
            rows.append(doc)
    return rows


def promote(data_dir: Path, version: str) -> None:
    """Point ``promoted`` at an existing version (atomic replace)."""
    _read(data_dir, version)
    root = models_dir(data_dir)
    tmp = root / f".{PROMOTED}.tmp"
    tmp.write_text(version + "\n")
    os.replace(tmp, root / PROMOTED)


def promoted_version(data_dir: Path) -> str | None:
    path = models_dir(data_dir) / PROMOTED
    return path.read_text().strip() or None if path.is_file() else None


def load_promoted(data_dir: Path) -> ModelArtifact:
    version = promoted_version(data_dir)
    if version is None:
        raise ModelNotFound(f"no promoted model in {models_dir(data_dir)}")
    return load(data_dir, version)
