"""Finding raw inputs through their metadata sidecars (``<name>.meta.yaml``).

A report asks for ``kind`` and ``period``; the file name does not matter, so a real export
dropped into ``data/raw/`` with its metadata replaces an example file without code changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import config
from .errors import ConfigError, DataNotFoundError, UnsafeContentError

REQUIRED_KEYS = ("file", "kind", "data_status")


@dataclass(frozen=True)
class Dataset:
    """A raw input file and its metadata."""

    path: Path
    meta: dict = field(hash=False, compare=False)

    @property
    def is_example(self) -> bool:
        return self.meta.get("data_status") == "example"

    @property
    def period(self) -> str | None:
        return self.meta.get("period")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def load_meta(meta_path: Path) -> dict:
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"Metadatafilen {meta_path.name} är inte giltig YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise ConfigError(f"Metadatafilen {meta_path.name} ska vara en YAML-mappning (nyckel: värde).")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise ConfigError(f"Metadatafilen {meta_path.name} saknar nycklarna {', '.join(missing)}.")
    if meta["data_status"] not in ("real", "example"):
        raise ConfigError(f"Metadatafilen {meta_path.name}: data_status är {meta['data_status']!r}; "
                          "tillåtna värden är 'real' och 'example'.")
    if "period" in meta:
        meta["period"] = str(meta["period"])
    return meta


def safe_raw_path(name: str | Path, base: Path | None = None) -> Path:
    """Resolve a file name inside the raw folder; refuse anything that leaves it."""
    base = (base or config.RAW_DIR).resolve()
    path = (base / name).resolve()
    if base != path and base not in path.parents:
        raise UnsafeContentError(f"Sökvägen {str(name)!r} pekar utanför {base}; "
                                 "bara filer i projektets datamapp får användas.")
    return path


def datasets(kind: str | None = None, raw_dir: Path | None = None) -> list[Dataset]:
    """All raw inputs with a metadata sidecar, optionally of one kind, sorted by file name."""
    raw_dir = raw_dir or config.RAW_DIR
    found = []
    for meta_path in sorted(raw_dir.glob("*.meta.yaml")):
        meta = load_meta(meta_path)
        if kind and meta["kind"] != kind:
            continue
        path = safe_raw_path(meta["file"], raw_dir)
        if not path.is_file():
            raise ConfigError(f"Metadatafilen {meta_path.name} pekar på {meta['file']!r}, "
                              "som inte finns i data/raw/.")
        found.append(Dataset(path=path, meta=meta))
    return found


def find_dataset(kind: str, period: str, raw_dir: Path | None = None) -> Dataset:
    """The input of this kind for this period; a real file wins over an example file."""
    candidates = [d for d in datasets(kind, raw_dir) if d.period == period]
    real = [d for d in candidates if not d.is_example]
    pool = real or candidates
    if not pool:
        have = sorted({d.period for d in datasets(kind, raw_dir) if d.period})
        raise DataNotFoundError(
            f"Ingen fil av typen {kind!r} för perioden {period} i data/raw/. "
            f"Perioder som finns: {', '.join(have) or 'inga'}. "
            "Lägg exporten i data/raw/ tillsammans med en .meta.yaml som anger kind och period.")
    if len(pool) > 1:
        names = ", ".join(d.path.name for d in pool)
        raise DataNotFoundError(
            f"Flera filer av typen {kind!r} för perioden {period}: {names}. "
            "Ta bort eller märk om den som inte ska användas (data_status: example).")
    return pool[0]
