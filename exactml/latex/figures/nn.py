"""The network as a TikZ diagram, annotated with the values of one forward pass.

``data`` is a mapping with

``weights``   one list of rows per layer (row i = the weights into neuron i)
``biases``    one list per layer
``inputs``    the input values x
``z``, ``a``  one list per layer: weighted inputs and activations
``labels``    optional names of the inputs (user text, escaped)

Neurons are circles in columns, one column per layer; each edge carries its
weight, each neuron its bias, z and a (the exact value when it is short,
else its decimal).
"""

from __future__ import annotations

from typing import Any

from ...decimals import decimal_string, needs_decimal
from ..render import tex_escape

COLUMN_GAP = 4.6  # cm between layers
ROW_GAP = 2.9  # cm between neurons of a layer
SHORT = 12  # exact values up to this many LaTeX characters are shown as they are


def _value(v: Any, renderer) -> str:
    """A value for a label: ``= exact`` when short and rational, else ``≈ decimal``."""
    exact = renderer.math(v)
    if len(exact) <= SHORT and not needs_decimal(v, renderer.digits):
        return "= " + exact
    return r"\approx " + decimal_string(v, renderer.digits)


def _level(i: int, n: int) -> float:
    return (n - 1) / 2 - i


def _ys(n: int) -> list[float]:
    return [ROW_GAP * ((n - 1) / 2 - i) for i in range(n)]


def draw(data: dict, renderer) -> str:
    weights, biases = data["weights"], data["biases"]
    xs, zs, acts = data["inputs"], data["z"], data["a"]
    labels = data.get("labels")
    lines = [
        r"\begin{tikzpicture}[",
        r"  neuron/.style={circle, draw, thick, minimum size=1.9cm, align=center, font=\footnotesize},",
        r"  input/.style={neuron, fill=gray!12},",
        r"  hidden/.style={neuron, fill=blue!8},",
        r"  output/.style={neuron, fill=orange!15},",
        r"  weight/.style={font=\footnotesize, fill=white, inner sep=1.5pt},",
        r"  note/.style={font=\footnotesize, text=black!70},",
        r"  >={Stealth[length=2.5mm]}]",
    ]
    for j, x in enumerate(xs):
        name = tex_escape(labels[j]) + r"\\" if labels else ""
        lines.append(
            f"\\node[input] (n0-{j}) at (0,{_ys(len(xs))[j]:.2f}) {{{name}$x_{{{j + 1}}} {_value(x, renderer)}$}};"
        )
    last = len(weights)
    for layer, (W, b, z, a) in enumerate(zip(weights, biases, zs, acts), start=1):
        style = "output" if layer == last else "hidden"
        ys = _ys(len(W))
        for i in range(len(W)):
            lines.append(
                f"\\node[{style}] (n{layer}-{i}) at ({COLUMN_GAP * layer:.2f},{ys[i]:.2f}) "
                f"{{$z {_value(z[i], renderer)}$\\\\$a {_value(a[i], renderer)}$}};"
            )
            lines.append(
                f"\\node[note, below=1pt of n{layer}-{i}] {{$b^{{[{layer}]}}_{{{i + 1}}} = {renderer.math(b[i])}$}};"
            )
        for i, row in enumerate(W):
            for j, w in enumerate(row):
                # Edges that cross carry their labels near their start, where they are still apart.
                pos = 0.5 if _level(i, len(W)) == _level(j, len(row)) else 0.22
                # Above the edge, not on it: a minus sign set on the line would merge with it.
                lines.append(
                    f"\\draw[->] (n{layer - 1}-{j}) -- node[weight, pos={pos}, sloped, above=1pt] "
                    f"{{${renderer.math(w)}$}} (n{layer}-{i});"
                )
    top = max(len(x) for x in [xs, *weights])
    y_head = ROW_GAP * (top - 1) / 2 + 1.5
    heads = ["input"] + [f"layer {layer}" if layer < last else "output" for layer in range(1, last + 1)]
    for layer, head in enumerate(heads):
        lines.append(f"\\node[note] at ({COLUMN_GAP * layer:.2f},{y_head:.2f}) {{{head}}};")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)
