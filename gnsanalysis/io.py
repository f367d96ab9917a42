"""Reading and writing files: one text decoder, one YAML loader, atomic writes (never in ``data/raw/``)."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from gnsanalysis import paths
from gnsanalysis.errors import ConfigError, GnsError, Location, ParseError, UnsafeContentError

# A YAML file written by a person is small; anything larger is refused before it is parsed.
MAX_YAML_BYTES = 1_000_000
# Share of control characters above which bytes are taken to be binary, not text.
_MAX_CONTROL_SHARE = 1 / 200
# Every byte but the control characters other than tab, line feed, form feed and carriage
# return: they are counted on the bytes in one pass (in UTF-8 and cp1252 such a character is one
# byte that no other character contains); U+FFFD, a byte that could not be decoded, counts too.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13))


class Decoded(NamedTuple):  # a NamedTuple is made in a sixth of a frozen dataclass's time at import
    """Text decoded from bytes, with the encoding that was used."""

    text: str
    encoding: str  # "utf-8", "utf-16" or "cp1252"

    @property
    def guessed(self) -> bool:
        """True when the bytes were not UTF-8 and Windows-1252 was assumed."""
        return self.encoding == "cp1252"


def decode_text(data: bytes, source: str | Path | None = None, *, what: str = "en textfil") -> Decoded:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252; binary refused; line breaks ``\\n``."""
    loc = Location(file=source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ParseError("Filen börjar som UTF-16 men går inte att avkoda.", location=loc,
                             expected=what, hint="Spara filen som UTF-8.") from exc
    elif b"\x00" in data:
        raise ParseError("Filen är inte text (innehåller binära nollbytes).", location=loc,
                         expected=what, hint="Spara eller exportera filen som text (UTF-8).")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"  # a BOM is stripped below
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    text = text.lstrip("\ufeff")
    counted = text.encode("utf-8") if encoding == "utf-16" else data  # UTF-16 on its UTF-8 form
    bad = len(counted.translate(None, _NOT_CONTROL_BYTES)) + text.count("\ufffd")
    if bad > max(2, int(len(text) * _MAX_CONTROL_SHARE)):
        raise ParseError("Filen ser ut att vara binär eller i en okänd teckenkodning.", location=loc,
                         found=f"{bad} styrtecken", expected=f"{what} i UTF-8 eller Windows-1252",
                         hint="Spara filen som text (UTF-8).")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, encoding)


def read_limited(path: Path, limit: int, *, what: str, option: str | None = None) -> bytes:
    """The bytes of ``path``, refusing (without reading it all) a file larger than ``limit``."""
    path = Path(path)
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        how = f"Ange {option} för att höja gränsen." if option else "Dela upp filen eller korta den."
        raise ParseError(f"Filen är större än gränsen för {what} ({limit:_} byte)".replace("_", " ") + ".",
                         location=Location(file=path), expected=f"högst {limit:_} byte".replace("_", " "),
                         hint=how)
    return data


_ALIAS_REFUSED = "alias (*namn) är inte tillåtna i den här filen"


def _load_without_aliases(text: str) -> Any:
    """The YAML data, aliases refused before anything is built: the parser's events are scanned
    first (in C when PyYAML has libyaml), then the safe loader builds the data."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    # an alias is written *name: without a "*" the text has none, and the scan is skipped
    for event in yaml.parse(text, Loader=loader) if "*" in text else ():
        if isinstance(event, yaml.AliasEvent):
            at = event.start_mark  # libyaml's mark has the line and column of PyYAML's own
            mark = yaml.error.Mark("<yaml>", 0, at.line, at.column, None, 0) if at else None
            raise yaml.composer.ComposerError(None, None, _ALIAS_REFUSED, mark)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def parse_yaml(text: str, source: str | Path, *, what: str = "YAML-filen") -> Any:
    """Parse YAML text from a person; errors name the file and line, in Swedish."""
    try:
        return _load_without_aliases(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", rad {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{what} {Path(source).name}{line} är inte giltig YAML: {problem}. "
                          "Åtgärd: rätta raden (jämför med ett fungerande exempel).") from exc


def load_yaml(path: str | Path, *, what: str = "YAML-filen") -> tuple[Any, Decoded]:
    """Read a YAML file a person wrote (size-limited, no aliases); ``(data, decoded)``."""
    path = Path(path)
    try:
        data = read_limited(path, MAX_YAML_BYTES, what=what)
        decoded = decode_text(data, path, what=what)
    except ParseError as exc:
        raise ConfigError(f"{what} {path.name}: {exc.message} Åtgärd: {exc.hint or 'spara filen som UTF-8.'}") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{what} {path} är en mapp, inte en fil.") from exc
    except FileNotFoundError as exc:
        raise ConfigError(f"{what} {path} finns inte.") from exc
    except OSError as exc:
        raise ConfigError(f"{what} {path} kan inte läsas ({os.strerror(exc.errno or 0)}).") from exc
    return parse_yaml(decoded.text, path, what=what), decoded


# The packaged YAML (our own files, no aliases to refuse) is read by libyaml's safe loader when
# PyYAML was built with it: the same data as yaml.SafeLoader, about ten times faster, which
# `gns rr check` of a small table notices (rr_layouts.yaml is read on every run).
_RESOURCE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_resource(name: str) -> Any:
    """Read a YAML file shipped in ``gnsanalysis/resources`` (cached; treat as read-only)."""
    path = paths.RESOURCES_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} saknas.") from exc
    try:
        return yaml.load(text, Loader=_RESOURCE_LOADER) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} är inte giltig YAML: {exc}") from exc


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes (hex), as footers and the build manifest record it."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over the target (old file kept on failure)."""
    path = Path(path)
    raw = paths.RAW_DIR.resolve()
    target = path.resolve()
    if target == raw or raw in target.parents:
        raise UnsafeContentError(f"Vägrar skriva {path}: data/raw/ innehåller indata och skrivs aldrig av kod.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except (FileExistsError, NotADirectoryError) as exc:
        raise WriteError(path, "en del av sökvägen är en fil, inte en mapp") from exc
    except OSError as exc:
        raise WriteError(path, os_error_reason(exc)) from exc
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(path, os_error_reason(exc)) from exc
        raise


class WriteError(GnsError):
    """An output could not be written; the previous file is left in place."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"Kunde inte skriva {path}: {reason}. Den tidigare filen (om någon) är orörd. "
                         "Åtgärd: frigör diskutrymme eller välj en skrivbar mapp och kör igen.")


def os_error_reason(exc: OSError) -> str:
    """A Swedish reason for a failed read or write (disk full, no permission, ...)."""
    return {
        errno.ENOSPC: "disken är full",
        errno.EACCES: "saknar skrivbehörighet",
        errno.EROFS: "filsystemet är skrivskyddat",
        errno.EISDIR: "målet är en mapp",
        errno.ENOTDIR: "en del av sökvägen är en fil, inte en mapp",
    }.get(exc.errno or 0, os.strerror(exc.errno or 0) if exc.errno else str(exc))


def slug(name: str) -> str:
    """A file name from a name people gave: ``Dyr el, 3 parter`` → ``dyr-el-3-parter`` (å ä ö → a a o)."""
    text = unicodedata.normalize("NFKD", name.strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]
