"""HTML fragments for the board reports.

Escaping is by type: a :class:`Fragment` is MarkupSafe ``Markup`` (trusted HTML built here), and
everything else is text. Concatenating (``fragment + text``), joining (:func:`join`) and
formatting (``Fragment("<p>{}</p>").format(text)``) escape the text, so markup in a label from an
input file can never run. Fragments display as HTML in Jupyter, so a notebook cell only has to
name them. Tables get header cells with ``scope``, a caption, right-aligned tabular numbers in
Swedish format.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from markupsafe import Markup, escape

from gnsanalysis import __version__, paths
from gnsanalysis.io import file_sha256
from gnsanalysis.swedish import format as fmt

CONTENT_HASH_SLOT = '<span class="gns-content-hash">@@GNS-CONTENT-HASH@@</span>'


class Fragment(Markup):
    """A piece of trusted HTML (built here, with inputs escaped); displays as HTML in Jupyter.

    As ``Markup``, a plain string added, joined or formatted into it is escaped.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


def esc(text) -> Fragment:
    """Escape text from inputs (labels, comments) so that markup in it cannot run."""
    return Fragment(escape("" if text is None else str(text)))


def join(*parts) -> Fragment:
    """Fragments joined as they are; any plain string among ``parts`` is escaped."""
    return Fragment("").join(parts)


def heading(text: str, level: int = 2) -> Fragment:
    """An ``<h{level}>`` heading with ``text`` escaped."""
    return Fragment("<h{0}>{1}</h{0}>").format(int(level), text)


_UNIT_SPACE_RE = re.compile(r"(\d) (%|(?:tkr|mnkr|mkr|kr|km|timmar|h)\b)")


def prose(text) -> Fragment:
    """Escape a sentence and keep each number with its unit on one line (no-break space)."""
    return Fragment(_UNIT_SPACE_RE.sub("\\1\u00a0\\2", esc(text)))


def _each(template: str, items: Iterable) -> Fragment:
    return join(*(Fragment(template).format(prose(i)) for i in items))


def paragraphs(sentences: Iterable[str]) -> Fragment:
    """One ``<p>`` per non-empty sentence, each escaped."""
    return _each("<p>{}</p>", (s for s in sentences if s))


def bullet_list(items: Iterable[str]) -> Fragment:
    """An unordered list with one escaped ``<li>`` per item."""
    return Fragment("<ul>{}</ul>").format(_each("<li>{}</li>", items))


def flag_list(title: str, items: Iterable[str]) -> Fragment:
    """A flagged box: a lead sentence and its items inside the same red-ruled block."""
    return Fragment('<div class="gns-flag"><p>{}</p>{}</div>').format(prose(title), bullet_list(items))


def note(text: str, *, flag: bool = False) -> Fragment:
    """A note paragraph; with ``flag`` it is drawn as a flagged (red-ruled) remark."""
    return Fragment('<p class="{}">{}</p>').format("gns-flag" if flag else "gns-note", prose(text))


def example_banner(is_example: bool, what: str = "Rapporten") -> Fragment:
    """The visible "Exempeldata" banner; empty when the data is real."""
    if not is_example:
        return Fragment("")
    return Fragment(
        '<div class="gns-banner" role="note" aria-label="Exempeldata">'
        "<strong>Exempeldata</strong> – "
        "{} bygger helt eller delvis på konstruerade exempeldata, inte på nämndens "
        "bokförda utfall. Siffrorna visar hur rapporten fungerar och ska inte användas som beslutsunderlag."
        "</div>").format(what)


def _definitions(items: Iterable[tuple[str, Any]]) -> Fragment:
    """``<dt>``/``<dd>`` pairs, each escaped."""
    return join(*(Fragment("<dt>{}</dt><dd>{}</dd>").format(k, v) for k, v in items))


DEFAULT_NAMND = ("Gemensam nämnd för samverkan inom drift och service, utveckling samt "
                 "specialistfunktioner (GNS)")


def report_front(title: str, *, status: str, namnd: str = "", diarienummer: str = "", datum: str = "",
                 handlaggare: str = "", period: str = "", extra: dict[str, str] | None = None,
                 is_example: bool = False, example_what: str = "Rapporten", meta: Mapping | None = None) -> Fragment:
    """The report's first screen: title, the front-matter parameters, and the example banner.

    ``datum`` is ISO (ÅÅÅÅ-MM-DD) or empty; an empty nämnd, diarienummer or datum falls back to the
    input's metadata ``meta`` (``namnd``, ``diarienummer``, ``received``); every value is escaped.
    """
    meta = meta or {}
    datum = datum or str(meta.get("received") or "")
    items = {"Nämnd": namnd or meta.get("namnd") or DEFAULT_NAMND, "Period": period,
             "Diarienummer": diarienummer or meta.get("diarienummer", ""),
             "Datum": fmt.date(datum) if datum else "", "Handläggare": handlaggare,
             "Status": status.capitalize() if status else ""}
    items.update(extra or {})
    front = Fragment('<header class="gns-front"><h1>{}</h1><dl>{}</dl></header>').format(
        title, _definitions((k, v) for k, v in items.items() if v))
    return join(front, example_banner(is_example, example_what))


def table(frame: pd.DataFrame, *, caption: str, formats: Mapping[str, Callable[[Any], str]] | None = None,
          row_classes: Sequence[str] | None = None) -> Fragment:
    """An accessible table whose first column is the row header; ``formats`` maps column → callable(value)
    → str, other columns are text."""
    formats = formats or {}
    label_column = frame.columns[0]
    value_cols = [c for c in frame.columns if c != label_column]
    col = Fragment('<th scope="col" class="{}">{}</th>')
    head = join(col.format("text", esc(label_column)),
                *(col.format("num" if c in formats else "text", esc(c)) for c in value_cols))
    body = []
    for i, (_, row) in enumerate(frame.iterrows()):
        cls = Fragment(' class="{}"').format(row_classes[i]) if row_classes and row_classes[i] else ""
        cells = (("num", formats[c](row[c])) if c in formats else ("text", row[c]) for c in value_cols)
        body.append(Fragment('<tr{}><th scope="row">{}</th>{}</tr>').format(
            cls, esc(row[label_column]), join(*(Fragment('<td class="{}">{}</td>').format(k, esc(v)) for k, v in cells))))
    return Fragment('<table class="gns-table"><caption>{}</caption>'
                    "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(caption, head, join(*body))


def number_table(frame: pd.DataFrame, caption: str, numbers: Iterable[str] | None = None, *,
                 signed: Iterable[str] = (), row_classes: Sequence[str] | None = None, total: bool = False) -> Fragment:
    """:func:`table` with Swedish numbers in ``numbers`` (default: every column but the first) and
    a sign on the ``signed`` ones; ``total`` marks the last row as the sum row."""
    numbers = list(frame.columns[1:]) if numbers is None else numbers
    if total:
        row_classes = [""] * (len(frame) - 1) + ["total"]
    return table(frame, caption=caption, formats=number_formats(numbers, signed=signed), row_classes=row_classes)


def figure(image: bytes, mime: str = "image/png", *, alt: str, caption: str | None = None) -> Fragment:
    """An embedded image (PNG, or SVG in the live explorer) with a Swedish alt text that says what it shows."""
    if not alt or not alt.strip():
        raise ValueError("every figure needs an alt text")
    data = base64.b64encode(image).decode("ascii")
    cap = Fragment("<figcaption>{}</figcaption>").format(caption) if caption else ""
    return Fragment('<figure class="gns-figure"><img src="data:{};base64,{}" '
                    'alt="{}">{}</figure>').format(mime, data, alt, cap)


def git_commit() -> str:
    """The commit the code was built from (with a marker when tracked files are modified).

    Asked of the package's own folder: the data project (``GNS_PROJECT_ROOT``) may live elsewhere.
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(paths.PACKAGE_DIR), *args], capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()

    try:
        head, dirty = git("rev-parse", "HEAD"), git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "okänd (inte en git-arbetskopia)"
    return head + (" (med lokala ändringar)" if dirty else "")


# Swedish labels for report parameters in the footer (unknown names are shown as they are)
PARAMETER_LABELS = {
    "period": "Period", "status": "Status", "coalition": "Parter", "allocation_key": "Fördelningsnyckel",
    "hosts": "Platser för S1 och S2", "n_draws": "Antal simuleringar", "seed": "Startvärde för slumptal",
    "assumptions": "Ändrade antaganden", "include_outage_risk": "Med förväntad avbrottskostnad",
    "per_party": "Scenario per part",
    "participants": "Deltagare", "namnd": "Nämnd", "diarienummer": "Diarienummer",
    "datum": "Datum", "handlaggare": "Handläggare",
}


def _param_label(name, labels: Mapping[str, str] | None = None) -> str:
    return labels[str(name)] if labels and str(name) in labels else PARAMETER_LABELS.get(name, str(name))


def _param_text(value, labels: Mapping[str, str] | None = None) -> str:
    """A parameter value as a reader understands it (Swedish yes/no, decimal comma, dash for empty)."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if value in ("", None, [], {}):
        return "–"
    if isinstance(value, float):
        decimals = len(repr(value).split(".")[1]) if "." in repr(value) and "e" not in repr(value) else 2
        return fmt.number(value, 0 if value.is_integer() else min(decimals, 6))
    if isinstance(value, (list, tuple)):
        return ", ".join(_param_text(v, labels) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_param_label(k, labels)} = {_param_text(v, labels)}" for k, v in value.items())
    return str(value)


def _parameter_file(parameters: dict) -> tuple[str, str] | None:
    """The name and SHA-256 of the parameter file the report was built from, if the runner named one."""
    found = _scenario_file(parameters)
    return (found[0].name, file_sha256(found[0])) if found else None


def saved_scenario(parameters: dict) -> str:
    """``Dyr el – el 1,50 kr/kWh``: the name and description of the explorer scenario the report
    was built from ('' when it was not built from one)."""
    found = _scenario_file(parameters)
    block = found[1] if found else None
    if not isinstance(block, Mapping) or not block.get("name"):
        return ""
    description = str(block.get("description") or "").strip()
    return f"{block['name']} – {description}" if description else str(block["name"])


def _scenario_file(parameters: dict) -> tuple[Path, Any] | None:
    """The parameter file the runner named and its ``scenario`` block, when its values are the report's.

    ``gns report -f FILE`` (and ``gns verify`` rebuilding such a report) gives the kernel the
    file in ``GNS_PARAMETERS_FILE``. Only scenarios saved by the explorer (with a ``scenario``
    block) whose values are the report's count; a file that no longer matches does not.
    """
    named = os.environ.get("GNS_PARAMETERS_FILE")
    if not named:
        return None
    path = Path(named)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):  # an unreadable file cannot be named as the source
        return None
    if not isinstance(data, dict) or "scenario" not in data:  # only the explorer's named scenarios
        return None
    values = {k: v for k, v in data.items() if k != "scenario"}
    if values and all(k in parameters and parameters[k] == v for k, v in values.items()):
        return path, data["scenario"]
    return None


# A file reference inside a source text: a path or file name with an extension
# (``shared/seeds/000_1ec4.txt``, ``gns-rr-2018-12.txt``); case numbers like GNS/6/2019 have none.
_FILE_REF = r"[\w./-]*\w\.(?:txt|csv|tsv|xlsx|xls|yaml|yml|pdf|md|html|ipynb)\b"
_FILE_REF_RES = (
    (re.compile(r"\s*\(\s*" + _FILE_REF + r"\s*\)"), ""),       # "Årsbokslut 2018 (gns-rr-2018-12.txt)"
    (re.compile(r"\s*[,;]\s*" + _FILE_REF + r"(?=\s*\))"), ""),  # "(GNS/6/2019, §16, shared/seeds/x.txt)"
    (re.compile(r"\(\s*" + _FILE_REF + r"\s*[,;]\s*"), "("),      # "(shared/seeds/x.txt, GNS/6/2019)"
)


def document_source(text: str) -> str:
    """A source as a board reader needs it: the document's title, body and date, no file names.

    Metadata often cites the repository copy of a document (``shared/seeds/000_….txt``) or the
    input file itself; the footer lists the input files with their SHA-256 beside the source,
    so references to files are dropped from the text (with their brackets and separators, or
    the clause that names one).
    """
    text = " ".join(str(text).split())
    for pattern, repl in _FILE_REF_RES:
        text = pattern.sub(repl, text)
    sentences = []
    for sentence in re.split(r"(?<=\.)\s+", text):
        # a clause that names a file in running prose ("se x.meta.yaml för …") is left out
        kept = [c for c in sentence.rstrip(".").split("; ") if not re.search(_FILE_REF, c)]
        if kept:
            sentences.append("; ".join(kept) + ("." if sentence.endswith(".") else ""))
    return re.sub(r"\s+([.,;])", r"\1", " ".join(sentences)).strip()


def _input_text(item) -> Fragment:
    """An input in the footer: file name, status and SHA-256, then its source document (no file names)."""
    if hasattr(item, "path"):
        name, digest, source = item.path.name, item.sha256, item.meta.get("source_document", "")
        status = item.status_text
    else:
        name, digest, status, source = (list(item) + [""])[:4]
    text = Fragment("{} ({})<br><code>SHA-256 {}</code>").format(name, status, digest)
    return text + Fragment("<br>{}").format(document_source(source)) if source else text


def footer(parameters: dict, inputs: Iterable = (), notes: Iterable[str] = (),
           labels: Mapping[str, str] | None = None, shown: Mapping[str, str] | None = None) -> Fragment:
    """Provenance: parameters, input files with SHA-256 and status, version, commit, content hash.

    ``inputs`` are :class:`gnsanalysis.inputs.Dataset` objects or ``(name, sha256, status)``.
    ``labels`` name parameters (and the names inside a mapping value) in Swedish; ``shown`` is
    the text shown for a parameter's value instead of the value itself (a code's Swedish name,
    e.g. ``{"allocation_key": "lika delar"}``; the parameter file is still matched on the value).
    """
    inputs, shown = list(inputs), shown or {}
    params = "; ".join(f"{_param_label(k, labels)}: {shown[k] if k in shown else _param_text(v, labels)}"
                       for k, v in parameters.items())
    rows: list[tuple[str, Any]] = [("Parametrar", params or "inga")]
    pfile = _parameter_file(parameters)
    if pfile is not None:
        rows.append(("Parameterfil", Fragment("{} (valda parametrar)<br><code>SHA-256 {}</code>").format(*pfile)))
    rows += [("Indata", _input_text(item)) for item in inputs]
    if inputs and hasattr(inputs[0], "meta"):  # the data's date is that of the main input (the first one listed)
        data_date = str(inputs[0].meta.get("received") or "")
        rows.append(("Underlagets datum", Fragment('<data class="gns-data-date" value="{}">{}</data>').format(
            data_date, fmt.date(data_date) if data_date else "ej angivet")))
    rows += [("Programversion", f"gnsanalysis {__version__}"),
             ("Git-commit", Fragment("<code>{}</code>").format(git_commit())), *(("Anmärkning", n) for n in notes)]
    if os.environ.get("GNS_PROJECT_ROOT"):  # set by the report runner: it stamps the hash into the slot
        rows.append(("Innehållshash", Fragment(f"<code>SHA-256 {CONTENT_HASH_SLOT}</code> "
                                               "(kontrollera med <code>gns verify</code>)")))
    else:
        rows.append(("Innehållshash", Fragment("beräknas när rapporten byggs med <code>gns report</code> "
                                               "(den här körningen är interaktiv)")))
    return Fragment('<footer class="gns-footer"><h2>Om underlaget</h2><dl>{}</dl></footer>').format(_definitions(rows))


def number_formats(columns: Iterable[str], decimals: int = 0, signed: Iterable[str] = ()) -> dict:
    """Formatters for :func:`table`: Swedish numbers, ``+``/``±`` on the signed columns."""
    signed = set(signed)
    return {c: (lambda v, s=(c in signed): fmt.number(v, decimals, signed=s)) for c in columns}
