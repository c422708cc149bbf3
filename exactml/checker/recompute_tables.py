"""Recomputation from tables: decision trees, k-nearest neighbours and K-means.

The recognisers here read the data from a plain table of the document (tab-
or ``|``-separated, or a LaTeX ``tabular``), run the engine on it, and
compare what the document quotes later in the same section — names such as
``IG_{\\text{age}}``, gain tables, distances written beside a point, the
weighted vote, distance tables.  See :mod:`.recompute` for the driver.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import sympy

from .extract import Table
from .recompute import (
    DECIMAL,
    Document,
    agrees_with_binding,
    agrees_with_text,
    decimal_value,
    finding,
    is_literal,
    is_number,
    point_text,
    skipped,
    tuples_in,
)
from .report import Claim, show

# ------------------------------------------------------------------ decision trees
_GINI, _ENTROPY, _GAIN = ("i", "g", "gini"), ("h", "e", "entropy"), ("ig", "gain")


def tree_tables(doc: Document) -> list[Claim]:
    from ..tree.impurity import entropy, gini, information_gain

    found = []
    for t in doc.tables:
        body = [cells for _, cells in t.rows]
        if len(t.header) < 3 or len(body) < 4 or any(len(r) != len(t.header) for r in body):
            continue
        target = [r[-1] for r in body]
        features = list(range(len(t.header) - 1))
        if any(is_number(v) for v in target) or all(all(is_number(r[j]) for r in body) for j in features):
            continue
        classes = list(dict.fromkeys(target))
        parent = [target.count(c) for c in classes]

        def children(j: int) -> list[list[int]]:
            groups: dict[str, list[int]] = {}
            for r in body:
                groups.setdefault(r[j], [0] * len(classes))[classes.index(r[-1])] += 1
            return list(groups.values())

        def quantity(kind: str, j: int | None) -> list[Any]:
            if j is None:
                return {"gini": [gini(parent)], "entropy": [entropy(parent)], "gain": []}[kind]
            ch = children(j)
            n = sum(parent)
            if kind == "gini":
                return [sum(sympy.Rational(sum(c), n) * gini(c) for c in ch)]
            if kind == "entropy":
                return [sympy.Add(*[sympy.Rational(sum(c), n) * entropy(c) for c in ch])]
            return [information_gain(parent, ch, "gini"), information_gain(parent, ch, "entropy")]

        end = doc.section_end(t.line)
        for _section, name, b in doc.bindings:
            if not (t.line < b.line < end) or b.taint is not None or not is_literal(b):
                continue
            m = re.fullmatch(r"([A-Za-z]+)_(\w+)", name)
            if not m:
                continue
            base, sub = m.group(1).lower(), m.group(2).lower()
            kind = "gain" if base in _GAIN else "gini" if base in _GINI else "entropy" if base in _ENTROPY else None
            j = None if sub in ("parent", "root") else _feature(sub, t.header)
            if kind is None or (j is None and sub not in ("parent", "root")):
                continue
            values = quantity(kind, j)
            if values and not any(agrees_with_binding(v, b) for v in values):
                what = "the root" if j is None else f"the split on {t.header[j]}"
                message = f"recomputed from the table of line {t.line}: the {kind} of {what} is {show(values[0])}"
                found.append(finding(b.line, f"{name} = {b.source}", b.source, values[0], message))
        for other in doc.tables:
            if other is t or not (t.line < other.line < end):
                continue
            gain_cols = [k for k, h in enumerate(other.header) if "gain" in h.lower()]
            for line, cells in other.rows:
                j = _feature(cells[0].lower(), t.header) if cells else None
                for k in gain_cols:
                    if j is None or k >= len(cells) or not is_number(cells[k]):
                        continue
                    values = quantity("gain", j)
                    if not any(agrees_with_text(v, cells[k]) for v in values):
                        message = (
                            f"recomputed from the table of line {t.line}: the information gain of "
                            f"{t.header[j]} is {show(values[0])}"
                        )
                        found.append(finding(line, " | ".join(cells), cells[k], values[0], message))
    return found


def _feature(word: str, header: tuple[str, ...]) -> int | None:
    word = word.strip().lower()
    if not word:
        return None
    for j, h in enumerate(header[:-1]):
        first = re.split(r"[\s(]", h.strip().lower())[0]
        if first and (first == word or first.startswith(word) or word.startswith(first)):
            return j
    return None


# ------------------------------------------------------------------ k-nearest neighbours
def knn_tables(doc: Document) -> list[Claim]:
    from ..knn import KNeighborsClassifier

    found = []
    for t in doc.tables:
        body = [cells for _, cells in t.rows]
        p = len(t.header) - 1
        if p < 1 or len(body) < 3 or any(len(r) != len(t.header) for r in body):
            continue
        if not all(is_number(r[j]) for r in body for j in range(p)) or any(is_number(r[-1]) for r in body):
            continue
        end = doc.section_end(t.line)
        after = "\n".join(doc.prose[t.line : end - 1])
        k = re.search(r"\bk\s*=\s*(\d+)", after)
        query = _query(after, t.header[:-1])
        if k is None or query is None:
            continue
        X = [[decimal_value(r[j]) for j in range(p)] for r in body]
        labels = [r[-1] for r in body]
        try:
            model = KNeighborsClassifier(n_neighbors=int(k.group(1))).fit(X, labels)
        except ValueError as err:
            found.append(skipped(t.line, "k-NN", err))
            continue
        dists, order = model.kneighbors(query, n_neighbors=len(X))
        distance = {i: d for d, i in zip(dists, order)}
        points = {tuple(row): i for i, row in enumerate(X)}
        for line in range(t.line + 1 + len(body), end):
            text = doc.prose[line - 1]
            for point in tuples_in(text):
                i = points.get(point)
                if i is None:
                    continue
                for m in DECIMAL.finditer(text):
                    if not agrees_with_text(distance[i], m.group()):
                        message = (
                            f"recomputed from the table of line {t.line}: the distance from the query to "
                            f"{point_text(point)} is {show(distance[i], 2)}"
                        )
                        found.append(finding(line, text.strip(), m.group(), distance[i], message))
            vote = re.search(r"weighted vote[^=\n]*=\s*(-?\d+\.\d+)", text, re.I)
            if vote:
                label = next((c for c in set(labels) if re.search(rf"\b{re.escape(c)}\b", text[: vote.start(1)])), None)
                nearest = order[: int(k.group(1))]
                total = sympy.Add(*[1 / distance[i] for i in nearest if label is None or labels[i] == label])
                if not agrees_with_text(total, vote.group(1)):
                    message = (
                        f"recomputed: the exact total of the weights 1/d of the {len(nearest)} nearest"
                        f"{' ' + label if label else ''} neighbours is {show(total, 4)}"
                    )
                    found.append(finding(line, text.strip(), vote.group(1), total, message))
    return found


def _query(text: str, features: tuple[str, ...]) -> list[Any] | None:
    values = []
    for h in features:
        name = re.escape(re.split(r"\s*\(", h.strip())[0])
        m = re.search(rf"{name}\s*=\s*(-?\d+(?:\.\d+)?)", text, re.I)
        if m is None:
            break
        values.append(decimal_value(m.group(1)))
    else:
        return values
    for line in text.split("\n"):
        if re.search(r"\b(new|query)\b", line, re.I):
            for t in tuples_in(line):
                if len(t) == len(features):
                    return list(t)
    return None


# ------------------------------------------------------------------ K-means
_CENTRE = re.compile(r"(?:cluster|centre|center|centroid)\s*(\d+)[^()\n]{0,20}?\(([^()]*)\)", re.I)


def kmeans_tables(doc: Document) -> list[Claim]:
    from ..arith.distance import euclidean
    from ..kmeans import KMeans

    found = []
    for t in doc.tables:
        body = [cells for _, cells in t.rows]
        width = len(t.header)
        if width < 2 or len(body) < 3 or not all(is_number(c) for r in body for c in r):
            continue
        end = doc.section_end(t.line)
        after = "\n".join(doc.prose[t.line : end - 1])
        centres: dict[int, tuple] = {}
        for m in _CENTRE.finditer(after):
            values = tuple(decimal_value(x) for x in m.group(2).split(","))
            if len(values) == width and None not in values:
                centres.setdefault(int(m.group(1)), values)
        if len(centres) < 2:
            continue
        init = [list(centres[k]) for k in sorted(centres)]
        X = [[decimal_value(c) for c in r] for r in body]
        try:
            KMeans(n_clusters=len(init), init=init).fit(X)  # the engine accepts this data
        except ValueError as err:
            found.append(skipped(t.line, "K-means", err))
            continue
        for other in doc.tables:
            if other is t or not (t.line < other.line < end):
                continue
            found.extend(_distance_table(other, init, euclidean, t.line))
    return found


def _distance_table(t: Table, centres: list, euclidean: Callable, data_line: int) -> list[Claim]:
    found = []
    columns = {}
    assign = None
    for k, h in enumerate(t.header):
        m = re.fullmatch(r"\s*d\s*_?\{?\s*(\d+)\s*\}?\s*", h.lower())
        if m and 1 <= int(m.group(1)) <= len(centres):
            columns[k] = int(m.group(1)) - 1
        elif "assign" in h.lower() or h.strip().lower() == "cluster":
            assign = k
    for line, cells in t.rows:
        points = tuples_in(cells[0]) if cells else []
        if len(points) != 1 or len(points[0]) != len(centres[0]):
            continue
        point = list(points[0])
        dist = [euclidean(point, c) for c in centres]
        for k, j in columns.items():
            cell = cells[k] if k < len(cells) else ""
            if "$" in cell or not is_number(cell):
                continue  # math is checked locally
            if not agrees_with_text(dist[j], cell):
                message = (
                    f"recomputed from the data of line {data_line}: the distance from {point_text(points[0])} "
                    f"to centre {j + 1} {point_text(tuple(centres[j]))} is {show(dist[j], 2)}"
                )
                found.append(finding(line, " | ".join(cells), cell, dist[j], message))
        if assign is not None and assign < len(cells):
            m = re.search(r"(\d+)", cells[assign])
            ranked = sorted(range(len(dist)), key=lambda j: dist[j])
            if m and dist[ranked[0]] != dist[ranked[1]] and int(m.group(1)) - 1 != ranked[0]:
                message = f"recomputed: {point_text(points[0])} is nearest to centre {ranked[0] + 1}"
                found.append(finding(line, " | ".join(cells), cells[assign], f"Cluster {ranked[0] + 1}", message))
    return found
