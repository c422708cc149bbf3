"""The K-means figure: one panel per iteration of a two-feature run.

``data`` (built by :func:`exactml.kmeans.steps.lloyd_derivation`): ``points``
(exact rows), ``history`` (:class:`exactml.kmeans.Iteration` records) and
``features``.  Each panel colours the points by the cluster they were
assigned to, marks the centres used for that assignment with a cross, and
draws an arrow to where the update moved them (a filled diamond).
"""

from __future__ import annotations

from typing import Any

from ...decimals import decimal_string
from ..render import tex_escape
from .knn import COLOURS, MARKS

PER_ROW = 2  # panels side by side on a page
MAX_PANELS = 6


def _num(value: Any) -> str:
    return decimal_string(value, 4)


def _panel(t: int, it: Any, points: list, features: list[str], limits: tuple) -> str:
    (x0, x1), (y0, y1) = limits
    options = [
        "width=6.6cm",
        "height=6.6cm",
        f"title={{Iteration {t}}}",
        "title style={font=\\small}",
        "tick label style={font=\\scriptsize}",
        "label style={font=\\scriptsize}",
        f"xmin={x0}, xmax={x1}, ymin={y0}, ymax={y1}",
        "axis equal image",
        f"xlabel={{{tex_escape(features[0])}}}",
        f"ylabel={{{tex_escape(features[1])}}}",
    ]
    lines = [r"\begin{tikzpicture}", r"\begin{axis}[" + ", ".join(options) + "]"]
    # Centres first, points last: a centre that sits on a data point, like a starting centre chosen among
    # the points, must not hide it. The crosses are light and the diamonds open, so both stay readable.
    for k in range(len(it.centres)):
        colour = COLOURS[k % len(COLOURS)]
        old, new = it.centres[k], it.new_centres[k]
        lines.append(
            f"\\addplot[only marks, mark=x, mark size=7pt, line width=1.2pt, color={colour}!45] "
            f"coordinates {{({_num(old[0])},{_num(old[1])})}};"
        )
        if old != new:
            lines.append(
                f"\\draw[->, thick, {colour}] (axis cs:{_num(old[0])},{_num(old[1])}) -- "
                f"(axis cs:{_num(new[0])},{_num(new[1])});"
            )
        lines.append(
            f"\\addplot[only marks, mark=diamond, mark size=6pt, draw={colour}, thick] "
            f"coordinates {{({_num(new[0])},{_num(new[1])})}};"
        )
    for k in range(len(it.centres)):
        colour, mark = COLOURS[k % len(COLOURS)], MARKS[k % len(MARKS)]
        coords = " ".join(f"({_num(p[0])},{_num(p[1])})" for p, lab in zip(points, it.labels) if lab == k)
        if coords:
            lines.append(
                f"\\addplot[only marks, mark={mark}, mark size=2.4pt, color={colour}!80] coordinates {{{coords}}};"
            )
    lines += [r"\end{axis}", r"\end{tikzpicture}"]
    return "\n".join(lines)


def _limits(points: list, history: list) -> tuple:
    """Axis limits with a margin, wide enough for every point and every centre."""
    out = []
    for j in range(2):
        values = [float(p[j]) for p in points] + [float(c[j]) for it in history for c in it.centres + it.new_centres]
        lo, hi = min(values), max(values)
        pad = max((hi - lo) * 0.12, 0.5)
        out.append((decimal_string(lo - pad, 2), decimal_string(hi + pad, 2)))
    return tuple(out)


def draw(data: dict, renderer: Any) -> str:
    history = list(data["history"])
    numbered = list(enumerate(history, start=1))
    if len(numbered) > MAX_PANELS:  # the first iterations and the last one
        numbered = numbered[: MAX_PANELS - 1] + numbered[-1:]
    limits = _limits(data["points"], history)
    cells = []
    for count, (t, it) in enumerate(numbered):
        if count:
            cells.append(r"\qquad" if count % PER_ROW else r"\\[6pt]")
        cells.append(_panel(t, it, data["points"], data["features"], limits))
    legend = (
        r"\\[4pt]{\small Pale crosses: the centres used for the assignment; open diamonds: the centres "
        r"after the update, where the arrows lead. The points are drawn on top.}"
    )
    return "\n".join(cells) + "\n" + legend
