"""Where the official OPC UA information models (DI, Machinery) are read from.

They are reference data no one here wrote, so they stay in `../shared/data` beside the
repository and are never copied into it; `FACTORYGRAPH_NODESETS` points elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

NODESETS_ENV = "FACTORYGRAPH_NODESETS"
DI_NODESET = Path("DI/Opc.Ua.Di.NodeSet2.xml")
MACHINERY_NODESET = Path("Machinery/Opc.Ua.Machinery.NodeSet2.xml")
MACHINERY_NODESETS = (DI_NODESET, MACHINERY_NODESET)
"""What a Machinery server imports, in dependency order (Machinery 1.03 needs DI)."""

_REPO_ROOT = Path(__file__).resolve().parents[2]


class NodesetsMissingError(FileNotFoundError):
    """The nodeset directory, or a nodeset file in it, is not where it should be."""


def nodesets_dir() -> Path:
    """`$FACTORYGRAPH_NODESETS`, else `<repo>/../shared/data/opcua-nodesets`; must exist."""
    configured = os.environ.get(NODESETS_ENV)
    path = Path(configured) if configured else _REPO_ROOT.parent / "shared/data/opcua-nodesets"
    if not path.is_dir():
        source = f"${NODESETS_ENV}" if configured else "the default location"
        raise NodesetsMissingError(
            f"OPC UA nodesets not found at {path} ({source}); "
            f"set {NODESETS_ENV} to the directory holding DI/ and Machinery/"
        )
    return path


def machinery_nodesets(directory: Path | None = None) -> list[Path]:
    """The DI and Machinery NodeSet2 files to import, checked to exist."""
    base = nodesets_dir() if directory is None else directory
    files = [base / name for name in MACHINERY_NODESETS]
    for file in files:
        if not file.is_file():
            raise NodesetsMissingError(f"OPC UA nodeset missing: {file}")
    return files
