"""Finding a node's best split by counting: the search behind :mod:`exactml.tree`.

Features and classes are encoded once as integer codes (numpy ``int64``).
At a node, one ``bincount`` per feature gives the value × class table of
counts; a categorical feature's branches are its rows, and a numeric
feature's thresholds are ranked by prefix sums of those rows.  Floats only
*filter* thresholds: every threshold within a tolerance of the best float
score is compared again exactly (fractions for Gini, log forms for entropy),
and the exact impurity is formed once per candidate feature.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..exact import DataError, checked_feature_names, exact_matrix, exact_vector, int_array, int_vector
from . import impurity as imp

DENSE_LIMIT = 1 << 23  # cells of one node's value × class table


@dataclass
class Column:
    """One feature, encoded: ``values[codes[i]]`` is example i's value."""

    name: str
    kind: str  # "categorical" (multiway split) or "numeric" (binary, at a threshold)
    values: list  # numeric: sorted; categorical: in order of first appearance
    codes: np.ndarray


def _encode_ints(col: np.ndarray) -> tuple[list, np.ndarray]:
    lo, hi = int(col.min()), int(col.max())
    if hi - lo <= 4 * len(col) + 1024:  # a small range: count instead of sorting
        shifted = col - lo
        seen = np.bincount(shifted) > 0
        if seen.all():  # every value in the range occurs: the shifted values are the codes already
            return list(range(lo, hi + 1)), shifted
        return (np.flatnonzero(seen) + lo).tolist(), (np.cumsum(seen) - 1)[shifted]
    values, codes = np.unique(col, return_inverse=True)
    return values.tolist(), codes.astype(np.int64).reshape(-1)


def _encode(values: list, distinct: list) -> np.ndarray:
    index = {v: i for i, v in enumerate(distinct)}
    return np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values))


def columns(X: Any, names: list[str] | None, keep: int) -> tuple[list[Column], list[list]]:
    """Validate and encode X; also return its first ``keep`` rows for display."""
    arr = int_array(X)
    rows = None if arr is not None else exact_matrix(X, "X", columns=names, allow_text=True)
    p = arr.shape[1] if arr is not None else len(rows[0])
    names = checked_feature_names(names, p, single="x_1")
    if len(set(names)) != p or not all(names):
        raise ValueError(f"feature names must be distinct and non-empty; got {names}")
    if arr is not None:
        by_column = np.ascontiguousarray(arr.T)  # one pass to make each column contiguous for the counting
        return [Column(names[j], "numeric", *_encode_ints(by_column[j])) for j in range(p)], arr[:keep].tolist()
    out = []
    for j, name in enumerate(names):
        col = [r[j] for r in rows]
        text = [isinstance(v, str) for v in col]
        if any(text) and not all(text):
            i = text.index(not text[0])
            raise DataError(
                f"X column {name!r} mixes numbers and text (row 0 is {col[0]!r}, row {i} is {col[i]!r}): "
                "a column is either numeric or a set of category labels",
                row=i,
                column=j,
            )
        if text[0]:
            distinct = list(dict.fromkeys(col))
        else:
            for i, v in enumerate(col):
                if not isinstance(v, (int, sympy.Rational)):
                    raise DataError(
                        f"X row {i}, column {name!r}: {v} is not a number, so it cannot be compared with a threshold",
                        row=i,
                        column=j,
                    )
            distinct = sorted(set(col))
        out.append(Column(name, "categorical" if text[0] else "numeric", distinct, _encode(col, distinct)))
    return out, rows[:keep]


def labels(y: Any, keep: int) -> tuple[list, np.ndarray, list]:
    """The sorted classes, each example's class code, and the first ``keep`` labels."""
    ints = int_vector(y)
    if ints is not None:
        classes, codes = _encode_ints(ints)
        return classes, codes, ints[:keep].tolist()
    values = exact_vector(y, "y", allow_text=True)
    for i, v in enumerate(values):
        if not isinstance(v, (int, sympy.Rational, str)):
            raise DataError(f"y entry {i}: {v} is not a class label (a number or a text)", row=i)
    classes = sorted(set(values), key=lambda v: (isinstance(v, str), v))
    return classes, _encode(values, classes), values[:keep]


@dataclass
class Candidate:
    """The best split of one feature at one node."""

    column: Column
    index: int  # the column's position
    present: np.ndarray  # codes of the values present at the node
    children: list  # branch × class counts
    cut: int | None  # numeric: the left branch holds codes <= present[cut]
    score: Any  # the exact gain (Fraction), or n·gain as a log form for entropy
    searched: int  # thresholds tried

    @property
    def threshold(self) -> sympy.Rational:
        a, b = self.column.values[self.present[self.cut]], self.column.values[self.present[self.cut + 1]]
        return (sympy.Integer(a) + b) / 2 if isinstance(a, int) else (a + b) / 2


def _xlogx(a: np.ndarray) -> np.ndarray:
    a = a.astype(np.float64)
    return a * np.log(np.where(a > 0, a, 1.0))


class Splitter:
    """Scores every feature's split at a node and picks the best, exactly."""

    def __init__(self, columns: list[Column], y: np.ndarray, n_classes: int, criterion: str):
        self.columns, self.y, self.K, self.criterion = columns, y, n_classes, criterion

    def candidates(self, idx: np.ndarray, y_node: np.ndarray, counts: list) -> list[Candidate]:
        """One candidate per feature that takes two or more values among the examples ``idx``."""
        out = []
        for j, col in enumerate(self.columns):
            c = self.candidate(j, col, idx, y_node, counts)
            if c is not None:
                out.append(c)
        return out

    def candidate(self, j: int, col: Column, idx: np.ndarray, y_node: np.ndarray, counts: list) -> Candidate | None:
        codes, K = col.codes[idx], self.K
        if len(col.values) * K <= DENSE_LIMIT:
            joint = np.bincount(codes * K + y_node, minlength=len(col.values) * K).reshape(-1, K)
            present = np.flatnonzero(joint.sum(axis=1))
            table = joint[present]
        else:  # many distinct values: count only those at this node
            present, local = np.unique(codes, return_inverse=True)
            if len(present) * K > DENSE_LIMIT:
                raise ValueError(
                    f"feature {col.name!r} has {len(present):,} distinct values at a node with {K:,} classes: "
                    "too many to count exactly in memory; bin the feature or merge classes"
                )
            table = np.bincount(local.reshape(-1) * K + y_node, minlength=len(present) * K).reshape(-1, K)
        if len(present) < 2:
            return None
        if col.kind == "categorical":
            children = table.tolist()
            return Candidate(col, j, present, children, None, self.score(counts, children), 0)
        cut = self.best_cut(table, counts)
        left = table[: cut + 1].sum(axis=0).tolist()
        children = [left, [t - v for t, v in zip(counts, left)]]
        return Candidate(col, j, present, children, cut, self.score(counts, children), len(present) - 1)

    def best_cut(self, table: np.ndarray, counts: list) -> int:
        """The cut (index of the last value sent left) with the largest gain; on ties the smallest."""
        left = np.cumsum(table, axis=0)[:-1]
        right = np.asarray(counts, dtype=np.int64) - left
        n = sum(counts)
        n_left = left.sum(axis=1)
        n_right = n - n_left
        if self.criterion == "gini":  # maximise Σ over branches of (Σ c²) / n_branch
            sq_left, sq_right = (left * left).sum(axis=1), (right * right).sum(axis=1)
            approx = sq_left / n_left + sq_right / n_right
            near = np.flatnonzero(approx >= approx.max() * (1 - 1e-9))

            def exact(i: int) -> Any:
                return Fraction(int(sq_left[i]), int(n_left[i])) + Fraction(int(sq_right[i]), int(n_right[i]))

            def better(a: Any, b: Any) -> bool:
                return a > b
        else:  # minimise Σ over branches of n_branch · H_branch
            approx = _xlogx(n_left) - _xlogx(left).sum(axis=1) + _xlogx(n_right) - _xlogx(right).sum(axis=1)
            near = np.flatnonzero(approx <= approx.min() + 1e-9 * (n * math.log(n) + 1))

            def exact(i: int) -> Any:
                return imp.combine_forms(imp.entropy_form(left[i].tolist()), imp.entropy_form(right[i].tolist()))

            def better(a: Any, b: Any) -> bool:
                return imp.log_form_sign(imp.combine_forms(a, b, -1)) < 0

        best_i, best = int(near[0]), exact(int(near[0]))
        for i in near[1:]:
            s = exact(int(i))
            if better(s, best):
                best_i, best = int(i), s
        return best_i

    def score(self, parent: list, children: list) -> Any:
        if self.criterion == "gini":
            return imp.gini_fraction(parent) - imp.weighted_gini(children)
        return imp.split_form(parent, children)

    def compare(self, a: Any, b: Any) -> int:
        """The sign of gain a − gain b, exactly."""
        if self.criterion == "gini":
            return (a > b) - (a < b)
        return imp.log_form_sign(imp.combine_forms(a, b, -1))

    def best(self, candidates: list[Candidate]) -> tuple[Candidate, list[Candidate]]:
        """The winner (the first in column order among equal gains) and every candidate tied with it."""
        best, ties = candidates[0], [candidates[0]]
        for c in candidates[1:]:
            sign = self.compare(c.score, best.score)
            if sign > 0:
                best, ties = c, [c]
            elif sign == 0:
                ties.append(c)
        return best, ties

    def gain_value(self, c: Candidate, n: int) -> sympy.Expr:
        """The candidate's gain as an exact sympy number."""
        if self.criterion == "gini":
            return sympy.Rational(c.score.numerator, c.score.denominator)
        return imp.form_to_sympy(c.score, n)

    def branches(self, c: Candidate, idx: np.ndarray) -> list[tuple[Any, np.ndarray]]:
        """(branch key, examples) for each branch of the candidate's split."""
        codes = c.column.codes[idx]
        if c.cut is not None:
            left = codes <= c.present[c.cut]
            return [("<=", idx[left]), (">", idx[~left])]
        return [(c.column.values[v], idx[codes == v]) for v in c.present]
