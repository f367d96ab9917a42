"""Scenario discovery: plain-language rules for when the shared hall is NOT the cheapest.

A shallow classification tree (Gini impurity, axis-parallel splits at quantile thresholds),
written with numpy only. Each leaf where the shared hall is mostly not cheapest becomes a
Swedish sentence with its coverage (share of all runs in the leaf) and density (share of the
leaf's runs where the hall is not cheapest).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gnsanalysis.errors import ParameterError
from gnsanalysis.scenarios.assumptions import Assumptions, load_assumptions
from gnsanalysis.scenarios.model import SCENARIO_SHORT
from gnsanalysis.scenarios.montecarlo import MonteCarloResult
from gnsanalysis.swedish.format import number, percent

RULE_LABELS = {
    "rule": "Regel", "coverage": "Andel av simuleringarna", "density": "Andel där hallen inte är billigast",
    "n": "Antal simuleringar", "conditions": "Villkor",
}


@dataclass
class Node:
    """A node of the scenario-discovery tree: its sample count, rate and splitting conditions."""
    n: int
    rate: float  # share of y == True
    conditions: tuple = ()  # ((feature, "<=" | ">", threshold), ...)
    feature: str | None = None
    threshold: float | None = None
    left: Node | None = None  # feature <= threshold
    right: Node | None = None


def _gini(pos: np.ndarray, total: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(total > 0, pos / total, 0.0)
    return 2 * p * (1 - p)


def _best_split(X: np.ndarray, y: np.ndarray, min_leaf: int, quantiles: np.ndarray):
    n = len(y)
    best: tuple[int | None, float | None, float] = (None, None, float(_gini(np.array(y.sum()), np.array(n)) * n))
    for j in range(X.shape[1]):
        thresholds = np.unique(np.quantile(X[:, j], quantiles))
        if len(thresholds) == 0:
            continue
        left = X[:, j][None, :] <= thresholds[:, None]  # (k, n)
        n_left = left.sum(axis=1)
        pos_left = (left & y[None, :]).sum(axis=1)
        n_right = n - n_left
        pos_right = y.sum() - pos_left
        impurity = _gini(pos_left, n_left) * n_left + _gini(pos_right, n_right) * n_right
        impurity = np.where((n_left >= min_leaf) & (n_right >= min_leaf), impurity, np.inf)
        i = int(np.argmin(impurity))
        if impurity[i] < best[2] - 1e-12:
            best = (j, float(thresholds[i]), float(impurity[i]))
    return best[0], best[1]


def fit_tree(X: np.ndarray, y: np.ndarray, names: list[str], *, max_depth: int = 2, min_leaf: float = 0.05) -> Node:
    """A classification tree of depth ≤ ``max_depth``; leaves hold at least ``min_leaf``
    (a share of all rows if < 1, else a count)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=bool)
    if X.ndim != 2 or len(y) != X.shape[0] or len(names) != X.shape[1]:
        raise ParameterError("fit_tree: X ska vara n × k, y längd n och ett namn per kolumn.")
    min_count = int(np.ceil(min_leaf * len(y))) if min_leaf < 1 else int(min_leaf)
    quantiles = np.linspace(0.05, 0.95, 19)

    def grow(idx: np.ndarray, depth: int, conditions: tuple) -> Node:
        yy = y[idx]
        node = Node(n=len(idx), rate=float(yy.mean()) if len(idx) else 0.0, conditions=conditions)
        if depth >= max_depth or yy.all() or not yy.any() or len(idx) < 2 * min_count:
            return node
        j, thr = _best_split(X[idx], yy, min_count, quantiles)
        if j is None:
            return node
        go_left = X[idx, j] <= thr
        node.feature, node.threshold = names[j], thr
        node.left = grow(idx[go_left], depth + 1, conditions + ((names[j], "<=", thr),))
        node.right = grow(idx[~go_left], depth + 1, conditions + ((names[j], ">", thr),))
        return node

    return grow(np.arange(len(y)), 0, ())


def leaves(node: Node) -> list[Node]:
    """The leaves under ``node``, left to right."""
    left, right = node.left, node.right
    if left is None or right is None:  # a leaf: fit_tree sets both children or neither
        return [node]
    return leaves(left) + leaves(right)


def _simplify(conditions: tuple) -> list[tuple[str, str, float]]:
    """Merge repeated conditions on the same feature (keep the tightest bound)."""
    out: dict[tuple[str, str], float] = {}
    for feature, op, thr in conditions:
        old = out.get((feature, op), thr)
        out[(feature, op)] = min(old, thr) if op == "<=" else max(old, thr)
    return [(f, op, t) for (f, op), t in out.items()]


def _value(x: float) -> str:
    """A threshold rounded to two significant figures: a rule is no place for false precision."""
    if x == 0 or not math.isfinite(x):
        return number(x)
    digits = 1 - int(math.floor(math.log10(abs(x))))
    rounded = round(x, digits)
    return number(rounded, max(0, digits))


def describe(conditions, assumptions: Assumptions) -> str:
    """The splitting ``conditions`` in Swedish, with parameter labels and units."""
    parts = []
    for feature, op, thr in _simplify(conditions):
        p = assumptions.parameters.get(feature)
        label = p.label[0].lower() + p.label[1:] if p else feature
        unit = f" {p.unit}" if p else ""
        word = "högst" if op == "<=" else "över"
        parts.append(f"{label} är {word} {_value(thr)}{unit}")
    if not parts:
        return "i alla simuleringar"
    return "när " + " och ".join(parts)


def discovery_rules(mc: MonteCarloResult, target: str = "S1", *, max_depth: int = 2,
                    min_leaf: float = 0.05, assumptions: Assumptions | None = None
                    ) -> pd.DataFrame:
    """Rules for the runs where ``target`` (default S1, the shared hall) is not the cheapest
    of the scenarios in ``mc``. One row per leaf where that happens in most runs (if none, the
    leaf where it is most frequent), sorted by density. Columns: rule (Swedish sentence),
    coverage, density, n, conditions. ``attrs``: ``base_rate`` (share of all runs where the
    target is not cheapest), ``text`` (a summary sentence)."""
    assumptions = assumptions or load_assumptions()
    if target not in mc.values:
        raise ParameterError(f"Scenario {target} saknas i simuleringen (ej genomförbart: "
                             f"{mc.infeasible.get(target, 'ej med')}).")
    y = mc.cheapest() != target
    features = [c for c in mc.draws.columns if mc.draws[c].nunique() > 1]
    X = mc.draws[features].to_numpy()
    tree = fit_tree(X, y, features, max_depth=max_depth, min_leaf=min_leaf)
    all_leaves = leaves(tree)
    chosen = [lf for lf in all_leaves if lf.rate >= 0.5] or [max(all_leaves, key=lambda lf: lf.rate)]
    name = SCENARIO_SHORT[target].lower()
    rows = []
    for lf in sorted(chosen, key=lambda lf: -lf.rate):
        cov = lf.n / len(y)
        rows.append({
            "rule": (f"{SCENARIO_SHORT[target]} är inte billigast i {percent(100 * lf.rate)} av "
                     f"simuleringarna {describe(lf.conditions, assumptions)} (gäller "
                     f"{percent(100 * cov)} av alla simuleringar)."),
            "coverage": cov, "density": lf.rate, "n": lf.n,
            "conditions": _simplify(lf.conditions),
        })
    df = pd.DataFrame(rows)
    base_rate = float(y.mean())
    df.attrs.update(
        labels=RULE_LABELS, base_rate=base_rate, target=target,
        text=(f"Totalt är {name} inte billigast i {percent(100 * base_rate)} av "
              f"{number(len(y))} simuleringar."),
    )
    return df
