"""Safe file output: outputs are replaced only when complete, and never inside data/raw/."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import config
from .errors import UnsafeContentError


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over the target."""
    path = Path(path)
    raw = config.RAW_DIR.resolve()
    target = path.resolve()
    if target == raw or raw in target.parents:
        raise UnsafeContentError(f"Vägrar skriva {path}: data/raw/ innehåller indata och skrivs aldrig av kod.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
