"""Jupyter's rich view of derivations: HTML (and Markdown) with the math in MathJax.

Each step shows its title, why, how and result, as the handout does; long
parts (a worked computation of many displays, a large table) are folded in
``<details>`` so that a derivation of thirty steps stays readable.  The math
is the LaTeX of :mod:`exactml.latex.render` between ``$…$`` / ``$$…$$``,
which Jupyter typesets; user text is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from typing import Any

import sympy

from ..arith.lazy import is_numeric, is_showable
from ..derivation import Approx, Derivation, Equation, Figure, Grid, Name, Note, Step, Table
from .render import LatexRenderer, fill, tex_escape
from .text import user_text

# A step's "how" is folded when it holds more displays than this …
FOLD_DISPLAYS = 3
# … or more LaTeX than this many characters; tables with more rows than this are folded too.
FOLD_CHARS = 1500
FOLD_ROWS = 12
# Matrix and table sizes shown in the notebook (the rest elided).
SETTINGS = {"max_rows": 8, "max_cols": 8}

_STYLE = (
    "<style>.exactml-step{margin:0.4em 0 0.8em 0;padding-left:0.6em;border-left:3px solid #9bb;}"
    ".exactml-step .why{margin:0.2em 0;} .exactml-step details{margin:0.2em 0;}"
    ".exactml-key{color:#688;font-family:monospace;font-size:85%;margin-left:0.5em;}"
    ".exactml table td,.exactml table th{padding:0.1em 0.7em;text-align:left;}</style>"
)


def _prose(text: str) -> str:
    """exactml's prose (with ``$…$`` math) as HTML: the text escaped, the math left for MathJax."""
    return html.escape(text, quote=False)


def _light(text: str) -> str:
    # \emph{Why.} and similar light markup of exactml's prose: keep the words.
    return re.sub(r"\\(?:emph|textbf|text)\{([^{}]*)\}", r"\1", text)


class HtmlRenderer:
    def __init__(self, digits: int = 3):
        self.latex = LatexRenderer(digits=digits, **SETTINGS)

    def math_block(self, tex: str) -> str:
        # MathJax in Jupyter typesets \[…\] and environments; align* is kept as aligned inside $$.
        tex = tex.strip()
        if tex.startswith(r"\begin{align*}"):
            tex = "$$\\begin{aligned}" + tex[len(r"\begin{align*}") : -len(r"\end{align*}")] + "\\end{aligned}$$"
        elif tex.startswith(r"\[") and tex.endswith(r"\]"):
            tex = "$$" + tex[2:-2] + "$$"
        return "<div>" + html.escape(tex, quote=False) + "</div>"

    def display(self, d: Any) -> str:
        if isinstance(d, Table):
            return self.table(d)
        if isinstance(d, Note):
            return "<p>" + _prose(_light(fill(d.text, dict(d.names), escape=user_text, math=self.latex.math))) + "</p>"
        if isinstance(d, Figure):
            return f"<p><i>[figure: {html.escape(_light(d.caption) or d.kind)} — in the LaTeX export]</i></p>"
        return self.math_block(self.latex.block(d))  # equations, aligned groups, any other record

    def table(self, t: Table) -> str:
        def cell(c: Any, tag: str) -> str:
            if isinstance(c, Name):
                body = html.escape(user_text(c.text))
            elif isinstance(c, str):
                body = _prose(_light(c))
            elif isinstance(c, Note):  # a few words with their math, e.g. a condition
                body = _prose(_light(fill(c.text, dict(c.names), escape=user_text, math=self.latex.math)))
            else:
                body = html.escape("$" + self.latex.math(c) + "$", quote=False)
            return f"<{tag}>{body}</{tag}>"

        rows = list(t.rows)
        hidden = len(rows) - FOLD_ROWS
        if hidden > 1:
            rows = rows[: FOLD_ROWS - 1] + [None] + rows[-1:]
        head = "<tr>" + "".join(cell(h, "th") for h in t.header) + "</tr>"
        body = "".join(
            "<tr>" + "".join(cell(c, "td") for c in r) + "</tr>"
            if r is not None
            else f"<tr><td colspan='{len(t.header)}'>… {hidden:,} more rows …</td></tr>"
            for r in rows
        )
        caption = f"<caption>{_prose(_light(t.caption))}</caption>" if t.caption else ""
        return f"<table>{caption}<thead>{head}</thead><tbody>{body}</tbody></table>"

    def step(self, step: Step) -> str:
        names = dict(step.names)
        title = _prose(_light(fill(step.title, names, escape=user_text, math=self.latex.math)))
        key = html.escape(user_text(step.key))
        parts = [f"<div class='exactml-step'><b>{title}</b><span class='exactml-key'>[{key}]</span>"]
        if step.why:
            why = fill(step.why, names, escape=user_text, math=self.latex.math)
            parts.append("<div class='why'><i>Why.</i> " + _prose(_light(why)) + "</div>")
        result = safe_result(self.latex, step)
        how = [self.display(d) for d in step.how]
        if how:
            long = (
                len(how) > FOLD_DISPLAYS
                or sum(map(len, how)) > FOLD_CHARS
                or any(isinstance(d, Table) and len(d.rows) > FOLD_ROWS for d in step.how)
            )
            body = "".join(how)
            if long:
                parts.append(
                    f"<details><summary><i>How</i> ({len(how)} display{'s' if len(how) > 1 else ''})"
                    f"</summary>{body}</details>"
                )
            else:
                parts.append("<div><i>How.</i></div>" + body)
        if result is not None:
            parts.append("<div><i>Result.</i></div>" + self.display(result))
        parts.append("</div>")
        return "".join(parts)

    def derivation(self, d: Derivation, depth: int = 0) -> str:
        level = min(3 + depth, 6)
        # A nested derivation is titled by the summary of the <details> that folds it.
        title = fill(d.title, d.names, escape=user_text, math=self.latex.math)
        parts = [f"<h{level}>{html.escape(title)}</h{level}>"] if depth == 0 else []
        if d.intro:
            parts.append(
                "<p>" + _prose(_light(fill(d.intro, d.names, escape=user_text, math=self.latex.math))) + "</p>"
            )
        for item in d:
            if isinstance(item, Derivation):
                inner = self.derivation(item, depth + 1)
                steps = sum(1 for _ in item.steps())
                parts.append(
                    f"<details{' open' if depth == 0 and len(d) <= 3 else ''}><summary>"
                    f"{html.escape(fill(item.title, item.names, escape=user_text, math=self.latex.math))} ({steps} steps)</summary>"
                    f"{inner}</details>"
                )
            else:
                parts.append(self.step(item))
        return "".join(parts)


def render_html(obj: Step | Derivation, digits: int = 3) -> str:
    r = HtmlRenderer(digits)
    body = r.derivation(obj) if isinstance(obj, Derivation) else r.step(obj)
    return f"<div class='exactml'>{_STYLE}{body}</div>"


def _decimals(value: Any) -> Any:
    """Decimals of a numeric value or matrix too large to typeset; None for a symbolic one."""
    entries = list(value) if isinstance(value, sympy.MatrixBase) else [value]
    if not all(is_numeric(v) for v in entries):
        return None
    if isinstance(value, sympy.MatrixBase):
        return Grid([[Approx(v) for v in row] for row in value.tolist()])
    return Approx(value)


def safe_result(latex: LatexRenderer, step: Step) -> Equation | None:
    """The ``symbol = result`` line of a step, with ``≈`` decimals when the result is too large to typeset."""
    result = latex.result_equation(step)
    if result is None or not isinstance(result.forms[-1], sympy.Basic) or is_showable(result.forms[-1]):
        return result
    shown = _decimals(result.forms[-1])
    return None if shown is None else Equation(step.symbol, shown, relations=[r"\approx"])


# ------------------------------------------------------------------ Markdown
def _md_math(tex: str) -> str:
    tex = tex.strip()
    if tex.startswith(r"\begin{align*}"):
        return "$$\\begin{aligned}" + tex[len(r"\begin{align*}") : -len(r"\end{align*}")] + "\\end{aligned}$$"
    if tex.startswith(r"\[") and tex.endswith(r"\]"):
        return "$$" + tex[2:-2].strip() + "$$"
    return tex


def render_markdown(obj: Step | Derivation, digits: int = 3) -> str:
    """Markdown with ``$…$`` math: each step's title, why, how and result."""
    latex = LatexRenderer(digits=digits, **SETTINGS)

    def display(d: Any) -> str:
        if isinstance(d, Table):
            head = "| " + " | ".join(_md_cell(latex, h) for h in d.header) + " |"
            rule = "|" + "---|" * len(d.header)
            rows = ["| " + " | ".join(_md_cell(latex, c) for c in r) + " |" for r in d.rows[:FOLD_ROWS]]
            more = [f"\n… {len(d.rows) - FOLD_ROWS:,} more rows"] if len(d.rows) > FOLD_ROWS else []
            return "\n".join([head, rule, *rows, *more])
        if isinstance(d, Note):
            return _light(fill(d.text, dict(d.names), escape=user_text, math=latex.math))
        if isinstance(d, Figure):
            return f"*[figure: {_light(d.caption) or d.kind}]*"
        return _md_math(latex.block(d))

    def step(s: Step) -> list[str]:
        names = dict(s.names)
        out = [f"**{_light(fill(s.title, names, escape=user_text, math=latex.math))}** `[{user_text(s.key)}]`"]
        if s.why:
            out.append("*Why.* " + _light(fill(s.why, names, escape=user_text, math=latex.math)))
        out += [display(d) for d in s.how]
        result = safe_result(latex, s)
        if result is not None:
            out.append(display(result))
        return out

    def walk(d: Derivation, depth: int) -> list[str]:
        out = ["#" * min(3 + depth, 6) + " " + _light(fill(d.title, d.names, escape=user_text, math=latex.math))]
        if d.intro:
            out.append(_light(fill(d.intro, d.names, escape=user_text, math=latex.math)))
        for item in d:
            out += walk(item, depth + 1) if isinstance(item, Derivation) else step(item)
        return out

    return "\n\n".join(walk(obj, 0) if isinstance(obj, Derivation) else step(obj))


def _md_cell(latex: LatexRenderer, c: Any) -> str:
    if isinstance(c, Name):
        return user_text(c.text).replace("|", "\\|")
    if isinstance(c, str):
        return _light(c)
    if isinstance(c, Note):
        return _light(fill(c.text, dict(c.names), escape=user_text, math=latex.math))
    return "$" + latex.math(c) + "$"


# ------------------------------------------------------------------ results only (text/latex)
def render_results(obj: Step | Derivation, digits: int = 3) -> str:
    """One math block of ``symbol = result`` lines; a result too large to typeset is shown ``≈`` its decimals."""
    latex = LatexRenderer(digits=digits, **SETTINGS)
    steps = obj.steps() if isinstance(obj, Derivation) else [obj]
    lines = []
    for s in steps:
        if s.symbol is None or s.result is None:
            continue
        value = tuple(s.result) if isinstance(s.result, list) else s.result
        lhs = latex.math(s.symbol)
        if not isinstance(value, sympy.Basic) or is_showable(value):
            links = latex.equation_parts(Equation(s.symbol, value))
            lines.append(lhs + " &= " + " ".join(f"{rel} {t}" for rel, t in links).lstrip("= "))
        elif _decimals(value) is not None:
            lines.append(lhs + r" &\approx " + latex.math(_decimals(value)))
    if not lines:
        return "$" + r"\text{" + tex_escape(getattr(obj, "title", "")) + "}$"
    return "$\\begin{aligned}" + " \\\\ ".join(lines) + "\\end{aligned}$"
