"""Finding raw inputs through their metadata sidecars (``<name>.meta.yaml``).

A report asks for ``kind`` and ``period``; the file name does not matter, so a real export
dropped into ``data/raw/`` with its metadata replaces an example file without code changes.

Tables for one object (ansvar/objekt, e.g. Serverdrift Åre obj. 6663) carry ``object:`` in
their metadata (``{id: "6663", name: "Serverdrift Åre"}`` or just the id); a table without it
is the whole committee. :func:`find_dataset` returns the whole committee unless an object id
is asked for; :func:`object_datasets` returns every object table of a period.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gnsanalysis import paths
from gnsanalysis.errors import ConfigError, DataNotFoundError, UnsafeContentError

REQUIRED_KEYS = ("file", "kind", "data_status")
KIND_NAMES = {"rr": "RR-tabell (resultaträkning)", "stakeholder_matrix": "intressentmatris"}


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
    def object_id(self) -> str | None:
        """The object (ansvar/objekt) this table covers; None for the whole committee."""
        obj = self.meta.get("object")
        if obj is None or obj == "":
            return None
        if isinstance(obj, dict):
            return str(obj.get("id"))
        return str(obj)

    @property
    def object_name(self) -> str | None:
        obj = self.meta.get("object")
        if isinstance(obj, dict):
            return str(obj.get("name") or obj.get("id"))
        return None if obj in (None, "") else str(obj)

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
    obj = meta.get("object")
    if isinstance(obj, dict) and obj.get("id") in (None, ""):
        raise ConfigError(f"Metadatafilen {meta_path.name}: object saknar id. Ange t.ex. "
                          "object: {id: \"6663\", name: \"Serverdrift Åre\"}.")
    if obj is not None and not isinstance(obj, (dict, str, int)):
        raise ConfigError(f"Metadatafilen {meta_path.name}: object ska vara ett id eller en mappning "
                          f"med id och name, men är {obj!r}.")
    return meta


def safe_raw_path(name: str | Path, base: Path | None = None) -> Path:
    """Resolve a file name inside the raw folder; refuse anything that leaves it."""
    base = (base or paths.RAW_DIR).resolve()
    path = (base / name).resolve()
    if base != path and base not in path.parents:
        raise UnsafeContentError(f"Sökvägen {str(name)!r} pekar utanför {base}; "
                                 "bara filer i projektets datamapp får användas.")
    return path


def datasets(kind: str | None = None, raw_dir: Path | None = None) -> list[Dataset]:
    """All raw inputs with a metadata sidecar, optionally of one kind, sorted by file name."""
    raw_dir = raw_dir or paths.RAW_DIR
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


def find_dataset(kind: str, period: str, raw_dir: Path | None = None, *, object: str | None = None
                 ) -> Dataset:
    """The input of this kind for this period; a real file wins over an example file.

    Without ``object`` this is the table for the whole committee (metadata without ``object:``);
    with an object id it is that object's table.
    """
    want = None if object is None else str(object)
    every = datasets(kind, raw_dir)
    candidates = [d for d in every if d.period == period and d.object_id == want]
    real = [d for d in candidates if not d.is_example]
    pool = real or candidates
    what = KIND_NAMES.get(kind, f"typen {kind!r}") + (f" för objekt {want}" if want else "")
    if not pool:
        have = sorted({d.period for d in every if d.period and d.object_id == want})
        raise DataNotFoundError(
            f"Ingen {what} för perioden {period} finns i data/raw/. "
            f"Perioder som finns: {', '.join(have) or 'inga'}. "
            "Lägg exporten i data/raw/ tillsammans med en .meta.yaml som anger kind och period"
            + (f" och object: {want}." if want else "."))
    if len(pool) > 1:
        names = ", ".join(d.path.name for d in pool)
        raise DataNotFoundError(
            f"Flera filer med {what} för perioden {period}: {names}. "
            "Ta bort eller märk om den som inte ska användas (data_status: example).")
    return pool[0]


def object_datasets(kind: str, period: str, raw_dir: Path | None = None) -> list[Dataset]:
    """Every object table of this kind and period (one per object id, real before example),
    sorted by object id as the metadata spells it."""
    ids = sorted({d.object_id for d in datasets(kind, raw_dir)
                  if d.period == period and d.object_id is not None})
    return [find_dataset(kind, period, raw_dir, object=i) for i in ids]


def periods(kind: str, raw_dir: Path | None = None) -> list[str]:
    """Periods for which a whole-committee table of this kind exists, sorted."""
    return sorted({d.period for d in datasets(kind, raw_dir) if d.period and d.object_id is None})


def load_rr(dataset: Dataset, period: str | None = None):
    """Parse an RR input; the unit falls back to the metadata, and the table's own
    ``Period YYYY-MM`` line must agree with the metadata's period."""
    from gnsanalysis.rr.table import read_rr

    period = period or dataset.period
    table = read_rr(dataset.path)
    if table.unit is None:
        table.unit = dataset.meta.get("unit")
    if table.period and period and table.period != period:
        raise ConfigError(f"{dataset.path.name} anger 'Period {table.period}' i tabellhuvudet men "
                          f"metadata säger period {period}. Rätta metadatafilen.")
    return table
