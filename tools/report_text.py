"""Developer tool: snapshot the visible text of the built reports, to compare two builds.

Usage:
    python tools/report_text.py REPORTS_DIR OUT_DIR      # OUT_DIR/NAME.txt for each REPORTS_DIR/NAME.html
    python tools/report_text.py --compare DIR_A DIR_B    # a unified diff per snapshot; exit 0 if all identical

A snapshot is the page title, then the text of <body> in document order, one block per line: headings
as "# ", "## ", ..., list items as "- ", table rows with their cells joined by " | ", images as
"[bild: ALT]". ASCII whitespace is collapsed (the non-breaking spaces of Swedish numbers are kept);
<head>, <script> and <style> are skipped. The footer items that change with every commit are masked as
<MASKED>: the git commit (also with "(med lokala ändringar)", or "okänd ..." outside a git work tree),
the content hash and the gnsanalysis version. Standard library only; expects well-formed tables.
"""

import difflib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

BLOCKS = set("address article aside blockquote br caption dd div dl dt figcaption figure footer h1 h2 h3 "
             "h4 h5 h6 header hr li main nav ol p pre section table tbody tfoot thead tr ul".split())
SKIPPED = {"head", "script", "style", "template"}
SPACE = re.compile(r"[ \t\n\r\f\v]+")  # ASCII only: the U+00A0 in numbers is content
MASKS = [  # applied to the finished text; the footer is written by footer() in gnsanalysis' html module
    (re.compile(r"\b[0-9a-f]{40}\b(?: \(med lokala ändringar\))?|okänd \(inte en git-arbetskopia\)"), "<MASKED>"),
    (re.compile(r"\bSHA-256 [0-9a-f]{64}(?= \(kontrollera med gns verify\))"), "SHA-256 <MASKED>"),
    (re.compile(r"\bgnsanalysis \d[\w.+!-]*"), "gnsanalysis <MASKED>"),
]


def squash(pieces) -> str:
    return SPACE.sub(" ", "".join(pieces)).strip()


class VisibleText(HTMLParser):
    """Collects the title and the lines of visible text of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.buf, self.title = [], [], []  # finished lines, current line, title text
        self.skip, self.in_title = 0, False            # depth inside skipped elements; inside <title>
        self.cells = self.cell = None                  # current row's cells and current cell, if any

    def flush(self, prefix=""):
        if text := squash(self.buf):
            self.lines.append(prefix + text)
        self.buf = []

    def handle_starttag(self, tag, attrs):
        self.in_title |= tag == "title"
        self.skip += tag in SKIPPED
        if self.skip:
            return
        image = f"[bild: {squash(dict(attrs).get('alt') or '')}]" if tag == "img" else None
        if tag in ("td", "th"):
            self.cell = []
        elif self.cell is not None:  # inside a cell, blocks and images only separate words
            self.cell.append(f" {image} " if image else " ")
        elif tag == "tr":
            self.flush()
            self.cells = []
        elif image or tag in BLOCKS:
            self.flush()
            if image:
                self.lines.append(image)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)  # <br/>, <img/>: no end tag follows

    def handle_endtag(self, tag):
        self.in_title &= tag != "title"
        if tag in SKIPPED or self.skip:
            self.skip = max(0, self.skip - (tag in SKIPPED))
        elif tag in ("td", "th") and self.cell is not None:
            if self.cells is not None:
                self.cells.append(squash(self.cell))
            self.cell = None
        elif tag == "tr" and self.cells is not None:
            self.lines.append(" | ".join(self.cells))
            self.cells = None
        elif self.cell is None and tag in BLOCKS:
            heading = re.fullmatch(r"h[1-6]", tag)
            self.flush("#" * int(tag[1]) + " " if heading else "- " if tag == "li" else "")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            (self.cell if self.cell is not None else self.buf).append(data)


def snapshot(html: str) -> str:
    """The visible text of a page, one line per block, with the volatile footer items masked."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    parser.flush()
    text = "\n".join([f"[titel: {squash(parser.title)}]"] + parser.lines) + "\n"
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def write_snapshots(reports: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for page in sorted(reports.glob("*.html")):
        text = snapshot(page.read_text(encoding="utf-8"))
        (out / f"{page.stem}.txt").write_text(text, encoding="utf-8")
        print(f"{page.name} -> {out / page.stem}.txt ({text.count(chr(10))} lines)")


def compare(a: Path, b: Path) -> int:
    names = sorted({p.name for p in a.glob("*.txt")} | {p.name for p in b.glob("*.txt")})
    differing = 0
    for name in names:
        old, new = ((d / name).read_text(encoding="utf-8").splitlines(True) if (d / name).exists() else None
                    for d in (a, b))
        if old == new:
            print(f"identical: {name}")
            continue
        differing += 1
        if old is None or new is None:
            print(f"only in {a if new is None else b}: {name}")
        sys.stdout.writelines(difflib.unified_diff(old or [], new or [], str(a / name), str(b / name)))
    print(f"{len(names) - differing} of {len(names)} snapshots identical, {differing} differ")
    return 0 if differing == 0 else 1


def usage_error(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(2)  # not 1, which --compare uses for "the snapshots differ"


if __name__ == "__main__":
    args = sys.argv[1:]
    compare_mode = args[:1] == ["--compare"]
    folders = [Path(p) for p in args[compare_mode:]]
    if len(folders) != 2 or str(folders[0]).startswith("-"):
        usage_error(__doc__)
    for folder in folders if compare_mode else folders[:1]:
        if not folder.is_dir():
            usage_error(f"not a directory: {folder}")
    sys.exit(compare(*folders) if compare_mode else write_snapshots(*folders))
