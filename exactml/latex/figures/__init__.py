"""TikZ figures, drawn from data.

A :class:`~exactml.derivation.Figure` names its ``kind``; the module
``exactml.latex.figures.<kind>`` draws it with ``draw(data, renderer) -> str``
(TikZ/pgfplots/forest code, no raster images).  Computing builds the data;
only these modules write picture code.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from typing import Any

import sympy

from ...arith.lazy import distinct_nodes

_KIND = re.compile(r"[a-z_]+")


# A figure is drawn from floats; numbers of more bits than this (about 10^270) are not plotted.
PLOT_BITS = 900


def render_figure(figure, renderer) -> str:
    if not _KIND.fullmatch(figure.kind):
        raise ValueError(f"bad figure kind {figure.kind!r}")
    if not _plottable(figure.data):
        return (
            "\\begin{center}\\small (The figure is not drawn: its data hold numbers too large or too finely "
            "divided to place on a plot.)\\end{center}"
        )
    module = importlib.import_module(f"{__name__}.{figure.kind}")
    body = module.draw(figure.data, renderer)
    caption = ""
    if figure.caption:
        caption = "\n\\caption{" + figure.caption + "}"
    return "\\begin{figure}[htbp]\n\\centering\n" + body + caption + "\n\\end{figure}"


def _plottable(data: Any) -> bool:
    """Whether every number in a figure's data has numerator and denominator within :data:`PLOT_BITS`."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            if item.bit_length() > PLOT_BITS:
                return False
        elif isinstance(item, sympy.Basic):
            if any(n.is_Rational and max(abs(n.p), n.q).bit_length() > PLOT_BITS for n in distinct_nodes(item)):
                return False
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
    return True
