"""The k-NN figure: the query among the training points, and the ranked distances.

``data`` (built by :func:`exactml.knn.explain_query`): ``points`` (exact
rows), ``classes``, ``query``, ``distances`` (exact, one per point),
``nearest`` (indices, nearest first), ``features`` and ``k``.  Panel (a)
places the points in space for two or three features; panel (b) draws one
bar per training point, longest distance last, the k nearest in full colour.
"""

from __future__ import annotations

import math
from typing import Any

from ...decimals import decimal_string
from ..render import tex_escape

COLOURS = ["blue!70!black", "red!75!black", "green!50!black", "orange!90!black", "violet", "teal", "brown", "gray"]
MARKS = ["*", "square*", "triangle*", "diamond*", "pentagon*", "otimes*", "oplus*", "star"]
BAR_LENGTH = 8.0  # cm for the longest distance


def _num(value: Any) -> str:
    return decimal_string(value, 4)


def _ticks(values: list[float]) -> list[str]:
    """Round tick values spanning ``values``: a step of 1, 2 or 5 times a power of ten, about four ticks."""
    lo, hi = min(values), max(values)
    span = hi - lo or 1.0
    power = 10.0 ** math.floor(math.log10(span / 4))
    step = next(m * power for m in (1, 2, 5, 10) if span / (m * power) <= 5)
    first = math.ceil(lo / step) * step
    count = math.floor((hi - first) / step + 1e-9) + 1
    return [format(first + i * step, "g") for i in range(count)]


def _palette(classes: list) -> dict:
    order = list(dict.fromkeys(classes))
    return {c: (COLOURS[i % len(COLOURS)], MARKS[i % len(MARKS)]) for i, c in enumerate(order)}


def _space(data: dict, palette: dict, renderer: Any) -> str:
    points, classes, query = data["points"], data["classes"], data["query"]
    dims = len(query)
    features = [tex_escape(f) for f in data["features"]]
    plot = r"\addplot3" if dims == 3 else r"\addplot"
    options = [
        "width=8.5cm",
        "height=7cm",
        "grid=major",
        "tick label style={font=\\scriptsize}",
        "label style={font=\\small}",
        "legend style={font=\\small}",
        "legend pos=outer north east",
        f"xlabel={{{features[0]}}}",
        f"ylabel={{{features[1]}}}",
    ]
    if dims == 3:
        floor = _num(min(min(float(p[2]) for p in points), float(query[2])))
        # The legend sits above the box, clear of every point; the x and y tick labels meet at the front
        # corner, so they are pushed apart, x to the left and y to the right.
        options = [o for o in options if not o.startswith("legend pos")]
        rows = list(points) + [query]
        xt, yt, zt = (_ticks([float(p[j]) for p in rows]) for j in range(3))
        # At the front corner the last x tick meets the first y tick, and the first z tick both: drop those.
        options += [
            "view={35}{20}",
            f"zlabel={{{features[2]}}}",
            f"zmin={floor}",
            "legend style={at={(0.5,1.04)}, anchor=south, legend columns=-1, font=\\small}",
            "xtick={" + ",".join(xt[:-1]) + "}",
            "ytick={" + ",".join(yt[1:]) + "}",
            "ztick={" + ",".join(zt[1:]) + "}",
        ]
    else:
        options.append("axis equal image")
    lines = [r"\begin{tikzpicture}", r"\begin{axis}[" + ", ".join(options) + "]"]
    if dims == 3:  # a stem from every point to the floor shows where it stands
        for p in list(points) + [query]:
            top = "(" + ",".join(_num(x) for x in p) + ")"
            base = f"({_num(p[0])},{_num(p[1])},{floor})"
            lines.append(f"\\addplot3[gray!60, forget plot] coordinates {{{top} {base}}};")
    for c, (colour, mark) in palette.items():
        coords = " ".join("(" + ",".join(_num(x) for x in p) + ")" for p, cl in zip(points, classes) if cl == c)
        lines.append(f"{plot}[only marks, mark={mark}, mark size=2.8pt, color={colour}] coordinates {{{coords}}};")
        lines.append(r"\addlegendentry{" + tex_escape(str(c)) + "}")
    q = "(" + ",".join(_num(x) for x in query) + ")"
    for i in data["nearest"]:
        p = "(" + ",".join(_num(x) for x in points[i]) + ")"
        lines.append(f"{plot}[black, thick, dashed, forget plot] coordinates {{{q} {p}}};")
    lines.append(f"{plot}[only marks, mark=star, mark size=5pt, black, very thick, forget plot] coordinates {{{q}}};")
    # The legend's star is drawn at the size of the other marks, so that it leaves its label readable.
    lines.append(r"\addlegendimage{only marks, mark=star, mark size=2.8pt, black, thick}")
    lines.append(r"\addlegendentry{query}")
    if dims == 2:
        radius = _num(data["distances"][data["nearest"][-1]])
        lines.append(f"\\draw[gray, dotted] (axis cs:{_num(query[0])},{_num(query[1])}) circle [radius={radius}];")
    lines += [r"\end{axis}", r"\end{tikzpicture}"]
    return "\n".join(lines)


def _bars(data: dict, palette: dict, renderer: Any) -> str:
    distances, classes, points = data["distances"], data["classes"], data["points"]
    order = sorted(range(len(points)), key=lambda i: (distances[i], i))
    near = set(data["nearest"])
    longest = max(float(distances[i]) for i in order) or 1.0
    lines = [r"\begin{tikzpicture}[x=1cm, y=0.55cm, font=\small]"]
    for row, i in enumerate(order):
        colour, _ = palette[classes[i]]
        length = BAR_LENGTH * float(distances[i]) / longest
        fill = colour if i in near else colour + "!25"
        label = "$" + renderer.math(tuple(points[i])) + "$"
        lines.append(f"\\fill[{fill}] (0,{-row - 0.35:.2f}) rectangle ({length:.3f},{-row + 0.35:.2f});")
        lines.append(f"\\node[anchor=east, font=\\scriptsize] at (-0.1,{-row}) {{{label}}};")
        lines.append(
            f"\\node[anchor=west, font=\\scriptsize] at ({length + 0.08:.3f},{-row}) "
            f"{{${renderer.math(distances[i])} \\approx {decimal_string(distances[i], renderer.digits)}$ "
            f"({tex_escape(str(classes[i]))})}};"
        )
    k = len(data["nearest"])
    if k < len(order):  # a rule under the k-th bar: everything above it votes
        lines.append(
            f"\\draw[thick, dashed] (-2.6,{-k + 0.5}) -- ({BAR_LENGTH + 3.2:.2f},{-k + 0.5}) "
            f"node[right, font=\\scriptsize] {{$k = {k}$}};"
        )
    bottom = -len(order) + 0.3
    lines.append(f"\\draw[->] (0,{bottom:.2f}) -- ({BAR_LENGTH + 0.4:.2f},{bottom:.2f}) node[right] {{$d$}};")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def draw(data: dict, renderer: Any) -> str:
    palette = _palette(list(data["classes"]))
    parts = []
    if len(data["query"]) in (2, 3):
        parts.append(
            _space(data, palette, renderer)
            + "\n\\\\[2pt] {\\small (a) the query and its nearest neighbours}"
            + "\\\\[10pt]"
        )
    parts.append(
        _bars(data, palette, renderer)
        + "\n\\\\[2pt] {\\small "
        + ("(b) " if parts else "")
        + "the distance to every training point; the $k$ nearest are above the dashed line}"
    )
    return "\n".join(parts)
