"""A fitted decision tree, drawn with the ``forest`` package.

``data`` is a mapping: ``root`` (a :class:`exactml.tree.Node`),
``criterion`` (``"gini"`` or ``"entropy"``), ``classes`` (the class
labels in the order their counts are listed) and, optionally, ``target``
(the name of what is predicted, shown in the leaves).  Each node shows its question
(or, for a leaf, its prediction), its class counts and its exact impurity;
each edge is labelled with its branch.
"""

from __future__ import annotations

from typing import Any

from ...decimals import decimal_string, needs_decimal
from ..render import tex_escape

STYLE = (
    r"for tree={draw, rounded corners=2pt, align=center, font=\footnotesize, inner sep=3pt, "
    r"l sep=9mm, s sep=3mm, edge={-{Stealth[length=1.6mm]}}}"
)


def _edge(text: str) -> str:
    return r", edge label={node[midway, fill=white, inner sep=1pt, font=\scriptsize]{" + text + "}}"


def _content(node: Any, data: dict, renderer: Any) -> str:
    symbol = "I" if data["criterion"] == "gini" else "H"
    if node.is_leaf:
        target = tex_escape(data["target"]) + ": " if data.get("target") else r"$\Rightarrow$ "
        head = target + r"\textbf{" + tex_escape(str(node.prediction)) + "}"
    elif node.threshold is not None:
        head = r"\textbf{" + tex_escape(node.feature) + r"} $\le " + renderer.math(node.threshold) + "$?"
    else:
        head = r"\textbf{" + tex_escape(node.feature) + "}?"
    counts = ", ".join(f"{tex_escape(str(c))}: {node.counts[c]}" for c in data["classes"])
    value = f"${symbol} = {renderer.math(node.impurity)}"
    if needs_decimal(node.impurity, renderer.digits):
        value += r" \approx " + decimal_string(node.impurity, renderer.digits)
    value += "$"
    return "{" + head + r"\\ " + counts + r"\\ " + value + "}"


def draw(data: dict, renderer: Any) -> str:
    """forest code for the tree in ``data``."""
    lines = [r"\begin{forest}", STYLE]

    def walk(node: Any, edge: str, indent: str) -> None:
        fill = ", fill=black!6" if node.is_leaf else ""
        lines.append(f"{indent}[{_content(node, data, renderer)}{fill}{edge}")
        for branch, child in node.children.items():
            if node.threshold is not None:
                label = "yes" if branch == "<=" else "no"
            else:
                label = tex_escape(str(branch))
            walk(child, _edge(label), indent + "  ")
        lines.append(f"{indent}]")

    walk(data["root"], "", "")
    lines.append(r"\end{forest}")
    return "\n".join(lines)
