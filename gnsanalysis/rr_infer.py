"""Hierarchy of an RR table inferred from its labels when no declared layout matches.

Rule: a ``subtotal`` row ("Summa …") sums the ``item`` rows directly above it back to the
previous subtotal or total; a ``total`` row sums the subtotals (and loose items) above it back
to the previous total. ``part_of`` rows ("varav …") are never summed: they are parts of the row
above and would be counted twice.
"""

from __future__ import annotations

from .rr import RRTable


def infer_layout(table: RRTable) -> dict:
    """A layout dict (same shape as config/rr_layouts.yaml entries) built from row kinds."""
    totals = []
    block_items: list[str] = []  # items since the last subtotal/total
    section: list[str] = []  # subtotals and loose items since the last total
    for label, kind in zip(table.frame["label"], table.frame["kind"]):
        if kind == "item":
            block_items.append(label)
        elif kind == "subtotal":
            if block_items:
                totals.append({"row": label, "parts": list(block_items)})
            section.append(label)
            block_items = []
        elif kind == "total":
            parts = section + block_items
            if parts:
                totals.append({"row": label, "parts": parts, "kind": "total"})
            section, block_items = [label], []
    return {"id": "inferred", "name": "härledd från radetiketterna", "totals": totals, "columns": []}
