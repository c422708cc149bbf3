"""The SVM figure: points, the separating line, both margin lines, support vectors ringed.

``data``: ``points`` (exact 2-D rows), ``y`` (±1 per point), ``w`` (two
exact weights), ``b``, ``support`` (indices) and optionally ``labels`` (the
names of the classes y = −1 and y = +1), ``features`` (axis names) and
``margin`` (the exact width, written on an arrow across the band).
The lines are wᵀx + b = 0 and wᵀx + b = ±1, drawn across the plot.
Coordinates are decimals for drawing only; the exact values are in the text.
"""

from __future__ import annotations

from typing import Any

from ...decimals import decimal_string
from ..render import tex_escape

POSITIVE = ("blue!70!black", "*")
NEGATIVE = ("red!75!black", "square*")


def _num(value: Any) -> str:
    """A coordinate for drawing: four decimals at most, no trailing zeros."""
    s = decimal_string(value, 4)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def _line(w: Any, b: Any, level: int, box: tuple, style: str) -> str:
    """The line w₁x₁ + w₂x₂ + b = level across the plotting box."""
    (x0, x1), (y0, y1) = box
    if w[1] != 0:
        ends = [(x, (level - b - w[0] * x) / w[1]) for x in (x0, x1)]
    else:  # a vertical line
        x = (level - b) / w[0]
        ends = [(x, y0), (x, y1)]
    coords = " ".join(f"({_num(a)},{_num(c)})" for a, c in ends)
    return f"\\addplot[{style}] coordinates {{{coords}}};"


def draw(data: dict, renderer: Any) -> str:
    points, y, w, b = data["points"], data["y"], data["w"], data["b"]
    if len(points[0]) != 2:
        raise ValueError("the SVM figure draws two features; this data has " + str(len(points[0])))
    if w[0] == 0 and w[1] == 0:
        raise ValueError("w = 0: there is no separating line to draw")
    labels = data.get("labels", ("$y = -1$", "$y = +1$"))
    features = data.get("features", ("$x_1$", "$x_2$"))
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    box = ((min(xs) - 1, max(xs) + 1), (min(ys) - 1, max(ys) + 1))
    (x0, x1), (y0, y1) = box
    options = [
        "width=8cm",
        "axis equal image",
        "grid=major",
        "grid style={gray!20}",
        f"xmin={_num(x0)}",
        f"xmax={_num(x1)}",
        f"ymin={_num(y0)}",
        f"ymax={_num(y1)}",
        f"xlabel={{{features[0]}}}",
        f"ylabel={{{features[1]}}}",
        "tick label style={font=\\scriptsize}",
        "label style={font=\\small}",
        "legend style={font=\\small}",
        "legend cell align=left",
        "legend pos=outer north east",
        "clip=true",
    ]
    lines = [r"\begin{tikzpicture}", r"\begin{axis}[" + ", ".join(options) + "]"]
    # The margin band first, so that points are drawn over it.
    lines.append(_line(w, b, 0, box, "black, thick"))
    lines.append(r"\addlegendentry{$w^T x + b = 0$}")
    lines.append(_line(w, b, 1, box, "black, dashed"))
    lines.append(r"\addlegendentry{$w^T x + b = \pm 1$}")
    lines.append(_line(w, b, -1, box, "black, dashed, forget plot"))
    for sign, (colour, mark), label in ((1, POSITIVE, labels[1]), (-1, NEGATIVE, labels[0])):
        coords = " ".join(f"({_num(p[0])},{_num(p[1])})" for p, s in zip(points, y) if s == sign)
        lines.append(f"\\addplot[only marks, mark={mark}, mark size=2.8pt, color={colour}] coordinates {{{coords}}};")
        lines.append(r"\addlegendentry{" + (label if label.startswith("$") else tex_escape(label)) + "}")
    support = [points[i] for i in data["support"]]
    if support:
        coords = " ".join(f"({_num(p[0])},{_num(p[1])})" for p in support)
        lines.append(f"\\addplot[only marks, mark=o, mark size=5.5pt, thick, color=black] coordinates {{{coords}}};")
        lines.append(r"\addlegendentry{support vector}")
    # An arrow across the band, through the box's centre projected onto the boundary: its ends are
    # c ± w/‖w‖², where f = ±1.
    norm2 = w[0] ** 2 + w[1] ** 2
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    shift = (w[0] * centre[0] + w[1] * centre[1] + b) / norm2
    c = (centre[0] - shift * w[0], centre[1] - shift * w[1])
    lo = (c[0] - w[0] / norm2, c[1] - w[1] / norm2)
    hi = (c[0] + w[0] / norm2, c[1] + w[1] / norm2)
    label = data.get("margin")
    node = ""
    if label is not None:
        node = f" node[midway, fill=white, inner sep=1pt, font=\\small] {{${renderer.math(label)}$}}"
    lines.append(
        f"\\draw[<->, >=stealth, gray!70!black] (axis cs:{_num(lo[0])},{_num(lo[1])}) -- "
        f"(axis cs:{_num(hi[0])},{_num(hi[1])}){node};"
    )
    lines += [r"\end{axis}", r"\end{tikzpicture}"]
    return "\n".join(lines)
