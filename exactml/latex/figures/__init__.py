"""TikZ figures, drawn from data.

A :class:`~exactml.derivation.Figure` names its ``kind``; the module
``exactml.latex.figures.<kind>`` draws it with ``draw(data, renderer) -> str``
(TikZ/pgfplots/forest code, no raster images).  Computing builds the data;
only these modules write picture code.
"""

from __future__ import annotations

import importlib
import re

_KIND = re.compile(r"[a-z_]+")


def render_figure(figure, renderer) -> str:
    if not _KIND.fullmatch(figure.kind):
        raise ValueError(f"bad figure kind {figure.kind!r}")
    module = importlib.import_module(f"{__name__}.{figure.kind}")
    body = module.draw(figure.data, renderer)
    caption = ""
    if figure.caption:
        caption = "\n\\caption{" + figure.caption + "}"
    return "\\begin{figure}[htbp]\n\\centering\n" + body + caption + "\n\\end{figure}"
