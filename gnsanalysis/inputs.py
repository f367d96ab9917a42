"""Finding raw inputs in ``data/raw/``: metadata read from the file, a sidecar only adds to it.

The file says its period (``Period YYYY-MM``), body line, kind and unit (by the layouts in
``resources/rr_layouts.yaml``); an optional ``<name>.meta.yaml`` adds what it cannot say and may
never contradict it. A file with a problem stays in the inventory with its problems, so only the
reports that would read it stop. A table with ``object:`` covers one ansvar/objekt, else the
whole committee.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gnsanalysis import paths
from gnsanalysis.errors import ConfigError, DataNotFoundError, GnsError, UnsafeContentError
from gnsanalysis.io import decode_text, file_sha256, load_resource, load_yaml
from gnsanalysis.schemas import SidecarFile, validate

KIND_NAMES = {"rr": "RR-tabell (resultaträkning)", "stakeholder_matrix": "intressentmatris"}
# Bytes read from a file to find its own metadata (period line, body line, header).
SNIFF_BYTES = 64 * 1024
# Files in data/raw/ that are documentation, not inputs.
IGNORED_NAMES = {"readme.md", "readme.txt", "readme"}

_PERIOD_RE = re.compile(r"^\s*Period\s+(\d{4})-(\d{2})\b", re.IGNORECASE)
_BODY_RE = re.compile(r"(Förv\.?\s*nämnd|RR-kod)", re.IGNORECASE)
_UNIT_RE = re.compile(r"\b(tkr|mnkr|mkr|kr)\b", re.IGNORECASE)
_MATRIX_HEADER = "part i nämnden"


def _norm(text: str) -> str:
    """Lower case, letters and digits only (tolerant comparison of labels and body lines)."""
    return re.sub(r"[\W_]+", "", str(text).lower())


@dataclass(frozen=True)
class Dataset:
    """A raw input file and its metadata (read from the file, added to by a sidecar)."""

    path: Path
    meta: dict = field(hash=False, compare=False)
    read: dict = field(default_factory=dict, hash=False, compare=False)      # what the file says
    declared: dict = field(default_factory=dict, hash=False, compare=False)  # what the sidecar says
    sidecar: Path | None = field(default=None, hash=False, compare=False)
    problems: tuple = field(default=(), hash=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong with the file or its sidecar."""
        return not self.problems

    @property
    def kind(self) -> str | None:
        """``rr`` or ``stakeholder_matrix`` (read from the file or declared); ``None`` when unknown."""
        return self.meta.get("kind")

    @property
    def is_example(self) -> bool:
        """True for constructed example data (``data_status: example``)."""
        return self.meta.get("data_status") == "example"

    @property
    def status_text(self) -> str:
        """The data status in the reports' words: ``exempeldata`` or ``verkliga data``."""
        return STATUS_TEXT["example" if self.is_example else "real"]

    @property
    def period(self) -> str | None:
        """The last month the table covers, ``YYYY-MM``."""
        return self.meta.get("period")

    @property
    def periods_claimed(self) -> set[str]:
        """Every period this file is said to cover (by itself or its sidecar)."""
        return {str(p) for p in (self.read.get("period"), self.declared.get("period"), self.period) if p}

    @property
    def kinds_claimed(self) -> set[str]:
        """Every kind this file is said to be (by itself or its sidecar)."""
        return {str(k) for k in (self.read.get("kind"), self.declared.get("kind")) if k}

    @property
    def object_id(self) -> str | None:
        """The object (ansvar/objekt) this table covers; None for the whole committee."""
        obj = self.meta.get("object")  # always {id, name?}: the sidecar schema normalises it
        return str(obj["id"]) if obj else None

    @property
    def object_name(self) -> str | None:
        """The object's name (its id when it has none); ``None`` for the whole committee."""
        obj = self.meta.get("object")
        return str(obj.get("name") or obj["id"]) if obj else None

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes, as the footer's provenance lists it."""
        return file_sha256(self.path)

    def problem_text(self) -> str:
        """Every problem found, as one text."""
        return " ".join(self.problems)


# --------------------------------------------------------------------------- sidecars

def load_meta(meta_path: Path) -> dict:
    """A sidecar's keys as plain data (validated); a cp1252 one gets an ``_encoding_note``."""
    data, decoded = load_yaml(meta_path, what="Metadatafilen")
    meta = validate(SidecarFile, data, meta_path).as_meta()
    if decoded.guessed:
        meta["_encoding_note"] = f"{meta_path.name} lästes som Windows-1252 (inte UTF-8)."
    return meta


def safe_raw_path(name: str | Path, base: Path | None = None) -> Path:
    """Resolve a file name inside the raw folder; refuse anything that leaves it."""
    base = (base or paths.RAW_DIR).resolve()
    path = (base / name).resolve()
    if base != path and base not in path.parents:
        raise UnsafeContentError(f"Sökvägen {str(name)!r} pekar utanför {base}; "
                                 "bara filer i projektets datamapp får användas.")
    return path


# --------------------------------------------------------------------------- reading the file

def _cells(line: str) -> list[str]:
    parts = line.split("\t") if "\t" in line else re.split(r"\s{2,}|;", line)
    return [p.strip() for p in parts if p.strip()]


def read_file_metadata(path: Path) -> dict:
    """What a text input says about itself: kind, period, body line, unit, layout (GnsError if not text)."""
    with open(path, "rb") as fh:
        data = fh.read(SNIFF_BYTES)
    if data[:4] == b"PK\x03\x04":
        return {"format": "xlsx"}  # an Excel workbook: the sidecar must say what it is
    text = decode_text(data, path, what="en tabell i textform").text
    lines = text.split("\n")
    if len(data) == SNIFF_BYTES:
        lines = lines[:-1]  # the last line may be cut
    found: dict = {}
    for number, line in enumerate(lines[:40], start=1):
        if not line.strip():
            continue
        if "period" not in found:
            m = _PERIOD_RE.match(line)
            if m:
                found["period"] = f"{m.group(1)}-{m.group(2)}"
                found["period_line"] = number
                continue
        if "forvaltning" not in found and _BODY_RE.search(line) and len(_cells(line)) <= 2:
            found["forvaltning"] = " ".join(line.split())
            continue
        if _norm(line).startswith(_norm(_MATRIX_HEADER)):
            return {**found, "kind": "stakeholder_matrix", "header_line": number}
        cells = {_norm(c) for c in _cells(line)}
        m = _UNIT_RE.search(line)
        for layout in load_resource("rr_layouts.yaml").get("layouts", []):
            want = {_norm(c) for c in layout.get("match", {}).get("columns", [])}
            if want and want <= cells:
                found.update(kind="rr", layout=layout.get("id"), header_line=number)
                unit = m.group(1).lower() if m else found.get("unit") or layout.get("unit")
                return {**found, "unit": unit} if unit else found
        if m and "unit" not in found and len(line) < 80:
            found["unit"] = m.group(1).lower()
    return found


MISSING_HINT = {
    "kind": ("vilken sorts underlag filen är (kind: rr eller kind: stakeholder_matrix)",
             "kind: rr"),
    "period": ("vilken period tabellen avser (ingen rad 'Period ÅÅÅÅ-MM' i filens början)",
               'period: "2019-12"'),
}


def _examine(path: Path, meta_path: Path | None, raw_dir: Path) -> Dataset:
    problems: list[str] = []
    declared: dict = {}
    read: dict = {}
    name = path.name
    if meta_path is not None:
        try:
            declared = load_meta(meta_path)
        except GnsError as exc:
            problems.append(str(exc))
    try:
        safe_raw_path(path.name, raw_dir)
        if not path.is_file():
            raise ConfigError(f"{name} är ingen vanlig fil.")
        read = read_file_metadata(path)
    except UnsafeContentError as exc:
        problems.append(f"{name}: {exc} Åtgärd: kopiera filen in i data/raw/ i stället för en länk.")
    except GnsError as exc:
        problems.append(f"{name} kan inte läsas: {exc}")
    except OSError as exc:
        problems.append(f"{name} kan inte läsas ({exc.strerror or exc}).")
    meta = {k: v for k, v in read.items() if k in ("kind", "period", "unit", "forvaltning", "layout")}
    meta.setdefault("data_status", "real")
    side = meta_path.name if meta_path else f"{path.stem}.meta.yaml"
    for key in ("period", "kind"):
        if read.get(key) and declared.get(key) and str(declared[key]) != read[key]:
            where = f"rad {read['period_line']} " if key == "period" and read.get("period_line") else ""
            problems.append(
                f"{name} anger {'Period ' if key == 'period' else 'typen '}{read[key]} på {where}i filen, "
                f"men {side} säger {key}: {declared[key]}. Åtgärd: rätta eller ta bort '{key}' i {side} "
                "(det som står i filen gäller).")
    if read.get("forvaltning") and declared.get("forvaltning") \
            and _norm(read["forvaltning"]) != _norm(declared["forvaltning"]):
        problems.append(f"{name} anger {read['forvaltning']!r} i filen, men {side} säger forvaltning: "
                        f"{declared['forvaltning']!r}. Åtgärd: rätta {side}.")
    meta.update({k: v for k, v in declared.items() if not k.startswith("_")})
    meta["file"] = name
    if not problems:
        needed = ["kind"] + (["period"] if meta.get("kind") == "rr" else [])
        for key in needed:
            if not meta.get(key):
                what, example = MISSING_HINT[key]
                problems.append(f"{name}: saknar {what}. Åtgärd: lägg en metadatafil {side} bredvid med "
                                f"t.ex. '{example}'.")
        if meta.get("kind") and meta["kind"] not in KIND_NAMES:
            problems.append(f"{name}: okänd typ kind: {meta['kind']!r}; tillåtna är "
                            f"{', '.join(KIND_NAMES)}.")
    return Dataset(path=path, meta=meta, read=read, declared=declared, sidecar=meta_path,
                   problems=tuple(problems))


#: ``data_status`` in the words the reports and ``gns inputs`` use.
STATUS_TEXT = {"real": "verkliga data", "example": "exempeldata"}

_CACHE: dict = {}
_HELD: dict[str, list[Dataset]] = {}  # inside ``one_reading()``: each folder's inventory, read once
_DEPTH = [0]  # how many ``one_reading()`` blocks are open


@contextmanager
def one_reading() -> Iterator[None]:
    """Inside this block each raw folder is looked at once: one computation sees one set of inputs.

    Outside it every lookup compares the folder's signature (a stat per file and a hash per
    metadata file), so that an edited input is seen at once. A computation that looks up its
    inputs many times (the explorer's redraw) pays for that once, and cannot see a file change
    halfway through.
    """
    _DEPTH[0] += 1
    try:
        yield
    finally:
        _DEPTH[0] -= 1
        if not _DEPTH[0]:
            _HELD.clear()


def _signature(raw_dir: Path) -> tuple:
    """Names, sizes and modification times of the folder's entries (and their link targets)."""
    out: list[tuple] = []
    for p in sorted(raw_dir.iterdir()):
        try:
            st = p.stat()
            small = p.name.endswith(".meta.yaml") and st.st_size < 64 * 1024
            out.append((p.name, st.st_size, st.st_mtime_ns, st.st_ino,
                        hashlib.sha256(p.read_bytes()).digest() if small else None))
        except OSError:
            out.append((p.name, None))
    return tuple(out)


def inventory(raw_dir: Path | None = None) -> list[Dataset]:
    """Every input file in the raw folder with its metadata and problems, by name (cached while unchanged)."""
    raw_dir = Path(raw_dir or paths.RAW_DIR)
    if not raw_dir.is_dir():
        raise ConfigError(f"Datamappen {raw_dir} finns inte eller är ingen mapp. Åtgärd: skapa mappen "
                          "data/raw/ och lägg underlaget där.")
    folder = str(raw_dir.resolve())
    if folder in _HELD:
        return list(_HELD[folder])
    key = (folder, _signature(raw_dir))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _scan(raw_dir)
    if _DEPTH[0]:
        _HELD[folder] = _CACHE[key]
    return list(_CACHE[key])


def _scan(raw_dir: Path) -> list[Dataset]:
    entries = sorted(p for p in raw_dir.iterdir() if not p.name.startswith("."))
    sidecars = {p for p in entries if p.name.endswith(".meta.yaml")}
    files = [p for p in entries if p not in sidecars and p.name.lower() not in IGNORED_NAMES
             and not p.is_dir()]
    pairing: dict[str, Path] = {}
    orphans = []
    by_name = {p.name: p for p in files}
    for side in sorted(sidecars):
        try:
            data, _ = load_yaml(side, what="Metadatafilen")
            target = str(data.get("file")) if isinstance(data, dict) and data.get("file") else None
        except GnsError:
            target = None
        stem = side.name[: -len(".meta.yaml")]
        if target is None:
            target = next((p.name for p in files if p.name.rsplit(".", 1)[0] == stem), None)
        if target in by_name and target not in pairing:
            pairing[target] = side
        else:
            orphans.append((side, target))
    out = [_examine(p, pairing.get(p.name), raw_dir) for p in files]
    for side, target in orphans:
        what = (f"pekar på {target!r}, som inte finns i data/raw/" if target and target not in by_name
                else "hör inte till någon fil" if not target
                else f"är en andra metadatafil för {target}")
        out.append(Dataset(path=side, meta={"file": side.name}, sidecar=side,
                           problems=(f"Metadatafilen {side.name} {what}. Åtgärd: rätta 'file:' "
                                     "eller ta bort metadatafilen.",)))
    return sorted(out, key=lambda d: d.path.name)


def datasets(kind: str | None = None, raw_dir: Path | None = None) -> list[Dataset]:
    """The usable raw inputs (no problems), optionally of one kind, sorted by file name."""
    return [d for d in inventory(raw_dir) if d.ok and (kind is None or d.kind == kind)]


def _role_problems(kind: str, period: str | None, object_id: str | None, raw_dir) -> list[Dataset]:
    """Files with problems that could be the input for this role (so it cannot be chosen)."""
    out = []
    for d in inventory(raw_dir):
        if d.ok:
            continue
        kinds = d.kinds_claimed
        if kinds and kind not in kinds:
            continue
        if not kinds and d.path.name.endswith(".meta.yaml"):
            continue
        if period is not None and d.periods_claimed and period not in d.periods_claimed:
            continue
        if d.object_id is not None and object_id is not None and d.object_id != object_id:
            continue
        if not kinds and not d.periods_claimed:
            continue  # unreadable and says nothing: listed by gns inputs, blocks no report
        out.append(d)
    return out


def find_dataset(kind: str, period: str | None, raw_dir: Path | None = None, *, object: str | None = None
                 ) -> Dataset:
    """The input of this kind, period (None: none) and object (None: whole committee); real beats example."""
    want = None if object is None else str(object)
    every = datasets(kind, raw_dir)
    candidates = [d for d in every if (period is None or d.period == period) and d.object_id == want]
    what = KIND_NAMES.get(kind, f"typen {kind!r}") + (f" för objekt {want}" if want else "")
    when = f" för perioden {period}" if period else ""
    blocked = _role_problems(kind, period, want, raw_dir)
    if blocked:
        raise ConfigError(f"Underlaget för {what}{when} kan inte användas: "
                          + " ".join(d.problem_text() for d in blocked))
    real = [d for d in candidates if not d.is_example]
    pool = real or candidates
    if not pool:
        have = sorted({d.period for d in every if d.period and d.object_id == want})
        raise DataNotFoundError(
            f"Ingen {what}{when} finns i data/raw/. "
            + (f"Perioder som finns: {', '.join(have) or 'inga'}. " if period else "")
            + "Lägg exporten i data/raw/; filens rad 'Period ÅÅÅÅ-MM' räcker, en .meta.yaml behövs bara "
            + (f"för object: {want}." if want else "för det filen inte själv säger."))
    if len(pool) > 1:
        names = ", ".join(d.path.name for d in pool)
        raise ConfigError(
            f"Flera filer med {what}{when}: {names}. Bara en får användas. "
            "Åtgärd: ta bort den som inte ska användas eller märk den data_status: example i dess .meta.yaml.")
    return pool[0]


def stakeholder_matrix(raw_dir: Path | None = None) -> Dataset:
    """The one stakeholder matrix (two real ones are refused, as two RR tables for a period)."""
    return find_dataset("stakeholder_matrix", None, raw_dir)


def object_datasets(kind: str, period: str, raw_dir: Path | None = None) -> list[Dataset]:
    """Every object table of this kind and period (one per object id, real before example), by id."""
    ids = sorted({d.object_id for d in datasets(kind, raw_dir)
                  if d.period == period and d.object_id is not None})
    return [find_dataset(kind, period, raw_dir, object=i) for i in ids]


def periods(kind: str, raw_dir: Path | None = None) -> list[str]:
    """Periods for which a whole-committee table of this kind exists, sorted."""
    return sorted({d.period for d in datasets(kind, raw_dir) if d.period and d.object_id is None})


def load_rr(dataset: Dataset, period: str | None = None):
    """Parse an RR input; the unit falls back to the metadata, whose period the table must agree with."""
    from gnsanalysis.rr.read import read_rr  # lazy: numpy only when a table is parsed (`gns inputs` stays fast)

    period = period or dataset.period
    table = read_rr(dataset.path)
    if table.unit is None:
        table.unit = dataset.meta.get("unit")
    if table.period and period and table.period != period:
        raise ConfigError(f"{dataset.path.name} anger 'Period {table.period}' i tabellhuvudet men "
                          f"metadata säger period {period}. Rätta metadatafilen.")
    return table
