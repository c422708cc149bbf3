"""Render derivations to LaTeX: one small method per kind of record.

``LatexRenderer.math(obj)`` dispatches on the class of ``obj`` (walking its
MRO, as sympy's printers do) to ``_math_<ClassName>``; ``block(obj)`` does the
same for displays that stand on their own (equations, tables, notes).
Adding a kind of record is adding one method here.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import sympy

from ..decimals import decimal_string, needs_decimal
from ..derivation import (
    Approx,
    Call,
    Derivation,
    Equation,
    Figure,
    Grid,
    Name,
    Neg,
    Note,
    Product,
    Step,
    Sum,
    Table,
)
from ..records import (
    Adj,
    Aligned,
    Apply,
    Det,
    Entry,
    Frac,
    Indexed,
    Inverse,
    Juxtaposed,
    Log,
    Margin,
    Notation,
    Partial,
    Power,
    Relation,
)
from .notation import NOTATION
from .printer import DEFAULTS as PRINTER_DEFAULTS
from .printer import ExactLatexPrinter

DEFAULTS = {
    "digits": 3,  # decimals shown beside exact values
    "heading": "paragraph",  # LaTeX command for step titles in Derivation.to_latex()
    "wrap": 62,  # equations wider than this many glyphs on the page break over lines
}

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


# Brackets are braced everywhere: "[yes" at the start of a table cell would otherwise be read as
# the optional argument of the \\ or \toprule before it.
_TEX_SPECIAL.update({"[": "{[}", "]": "{]}"})

# Characters beyond ASCII that pdflatex typesets in text with the handout's T1 fonts and UTF-8 input
# (found by compiling each one); anything else goes through _UNICODE_TEXT or becomes its code point.
_TYPESET = (
    (0x00A1, 0x00AC),
    (0x00AE, 0x0125),
    (0x0128, 0x0137),
    (0x0139, 0x013E),
    (0x0141, 0x0148),
    (0x014A, 0x0165),
    (0x0168, 0x017E),
    (0x0192, 0x0192),
    (0x01C4, 0x01D4),
    (0x01E2, 0x01E3),
    (0x01E6, 0x01EB),
    (0x01F0, 0x01F0),
    (0x01F4, 0x01F5),
    (0x0218, 0x021B),
    (0x0232, 0x0233),
    (0x2010, 0x2016),
    (0x2018, 0x201A),
    (0x201C, 0x201E),
    (0x2020, 0x2022),
    (0x2026, 0x2026),
    (0x2030, 0x2031),
    (0x2039, 0x203B),
    (0x2190, 0x2193),
)
_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho varsigma sigma tau "
    "upsilon phi chi psi omega"
).split()
_GREEK_CAPITALS = "A B Gamma Delta E Z H Theta I K Lambda M N Xi O Pi P - Sigma T Upsilon Phi X Psi Omega".split()
_UNICODE_TEXT = {
    **{chr(0x03B1 + k): (r"\ensuremath{o}" if g == "o" else rf"\ensuremath{{\{g}}}") for k, g in enumerate(_GREEK)},
    **{
        chr(0x0391 + k): (rf"\ensuremath{{\{g}}}" if len(g) > 1 else rf"\ensuremath{{\mathrm{{{g}}}}}")
        for k, g in enumerate(_GREEK_CAPITALS)
        if g != "-"
    },
    "ϵ": r"\ensuremath{\epsilon}",
    "ϑ": r"\ensuremath{\vartheta}",
    "ϕ": r"\ensuremath{\phi}",
    "ϖ": r"\ensuremath{\varpi}",
    "ϱ": r"\ensuremath{\varrho}",
    "−": r"\ensuremath{-}",
    "≤": r"\ensuremath{\le}",
    "≥": r"\ensuremath{\ge}",
    "≠": r"\ensuremath{\neq}",
    "≈": r"\ensuremath{\approx}",
    "∞": r"\ensuremath{\infty}",
    "∈": r"\ensuremath{\in}",
    "∑": r"\ensuremath{\sum}",
    "√": r"\ensuremath{\surd}",
    "∂": r"\ensuremath{\partial}",
    "∇": r"\ensuremath{\nabla}",
    "⊙": r"\ensuremath{\odot}",
    "ᵀ": r"\textsuperscript{T}",
    **{chr(0x2070 + d): rf"\textsuperscript{{{d}}}" for d in (0, 4, 5, 6, 7, 8, 9)},
    **{chr(0x2080 + d): rf"\textsubscript{{{d}}}" for d in range(10)},
}


def _typeset(ch: str) -> str:
    code = ord(ch)
    if code < 0x80:
        return _TEX_SPECIAL.get(ch, ch) if ch.isprintable() else " "
    if ch in _UNICODE_TEXT:
        return _UNICODE_TEXT[ch]
    kind = unicodedata.category(ch)
    if kind in ("Cc", "Cf", "Mn", "Me"):  # controls, bidi overrides (U+202E), zero-width joiners, stray accents
        return ""
    if kind in ("Zs", "Zl", "Zp"):
        return " "
    if any(lo <= code <= hi for lo, hi in _TYPESET):
        return ch
    return f"{{[}}U+{code:04X}{{]}}"  # honest and compilable: the code point of what pdflatex cannot set


def tex_escape(text: str) -> str:
    """Escape a user string so that pdflatex prints it literally (``R&D_%`` → ``R\\&D\\_\\%``).

    Every string compiles: brackets are braced, Greek letters and common symbols
    are set in math, bidi and other invisible controls are dropped, and a
    character no pdflatex font here has (``价``) is shown as its code point.
    """
    return "".join(map(_typeset, unicodedata.normalize("NFC", str(text))))


_MATRIX = re.compile(r"\\begin\{[bp]matrix\}((?:(?!\\begin\{[bp]matrix\}).)*?)\\end\{[bp]matrix\}", re.DOTALL)
_FRAC = re.compile(r"\\d?frac\{([^{}]*)\}\{([^{}]*)\}")


def visible_width(tex: str) -> int:
    """Roughly how many glyphs wide ``tex`` is once typeset.

    Line breaks must follow the width on the page, not the length of the
    source: ``\\left(\\frac{2}{3}\\right)^2`` is three glyphs wide, and a
    matrix is as wide as its widest row.
    """
    tex = re.sub(r"\\(left|right|big|Big|displaystyle)\b", "", tex)
    while True:
        narrower = _FRAC.sub(lambda m: max(m.groups(), key=len), tex)
        narrower = _MATRIX.sub(
            lambda m: "M" * (2 + max(visible_width(row) + 2 * row.count("&") for row in m.group(1).split("\\\\"))),
            narrower,
        )
        if narrower == tex:
            break
        tex = narrower
    tex = re.sub(r"\\text\{([^{}]*)\}", r"\1", tex)
    tex = re.sub(r"\\[a-zA-Z]+", "x", tex)
    return len(re.sub(r"[{}^_\s]", "", tex))


_RELATIONS = {
    "=": "=",
    "<": "<",
    ">": ">",
    "<=": r"\le",
    ">=": r"\ge",
    "in": r"\in",
    "<-": r"\leftarrow",
    "approx": r"\approx",
}

_PLACEHOLDER = re.compile(r"<<(\w+)>>")


def fill(template: str, names: dict, escape=tex_escape, math=None) -> str:
    """Fill ``<<name>>`` placeholders of exactml's own text with escaped user values.

    A value that is not a string (a number, a display record) is mathematics: ``math`` prints it
    (the template puts it between ``$…$``).
    """

    def value(m: re.Match) -> str:
        v = names[m.group(1)]
        return escape(str(v)) if math is None or isinstance(v, (str, Name)) else math(v)

    return _PLACEHOLDER.sub(value, template)


class LatexRenderer:
    def __init__(self, **settings: Any):
        self.settings = dict(DEFAULTS)
        printer_settings = {}
        for k, v in settings.items():
            if k in DEFAULTS:
                self.settings[k] = v
            else:
                printer_settings[k] = v
        unknown = set(printer_settings) - set(PRINTER_DEFAULTS) - {"mul_symbol", "fold_short_frac"}
        if unknown:
            raise TypeError(f"unknown LaTeX setting(s): {sorted(unknown)}")
        self.printer = ExactLatexPrinter(printer_settings)
        self.printer.records = self.math

    @property
    def digits(self) -> int:
        return self.settings["digits"]

    def _dispatch(self, prefix: str, obj: Any) -> str:
        for cls in type(obj).__mro__:
            method = getattr(self, f"{prefix}_{cls.__name__}", None)
            if method is not None:
                return method(obj)
        raise TypeError(f"no LaTeX rendering for {type(obj).__name__}")

    # ------------------------------------------------------------ math mode
    def math(self, obj: Any) -> str:
        return self._dispatch("_math", obj)

    def _math_str(self, s: str) -> str:  # exactml's own LaTeX
        return s

    def _math_int(self, n: int) -> str:
        return self.printer._print(sympy.Integer(n))

    def _math_bool(self, b: bool) -> str:
        return r"\text{%s}" % ("true" if b else "false")

    def _math_Basic(self, expr: sympy.Basic) -> str:
        return self.printer.doprint(expr)

    def _math_MatrixBase(self, m: Any) -> str:
        return self.printer.doprint(m)

    def _math_DomainMatrix(self, dm: Any) -> str:
        rows, cols = dm.shape
        row_ids, col_ids = self.printer.shown_indices(rows, cols)
        if None not in row_ids and None not in col_ids:
            return self.printer.doprint(dm.to_Matrix())
        # Convert only the entries that will be shown: a 10,000-row matrix stays cheap.
        shown = dm.extract([i for i in row_ids if i is not None], [j for j in col_ids if j is not None])
        values = shown.to_Matrix()
        r_pos = {i: k for k, i in enumerate(i for i in row_ids if i is not None)}
        c_pos = {j: k for k, j in enumerate(j for j in col_ids if j is not None)}
        return self.printer.elided_matrix(rows, cols, lambda i, j: values[r_pos[i], c_pos[j]])

    _math_ScaledMatrix = _math_Transposed = _math_DomainMatrix

    def _math_tuple(self, t: tuple) -> str:
        limit = self.printer.own["max_rows"]
        if len(t) > limit:
            shown = [self.math(x) for x in t[: limit - 2]] + [r"\ldots", self.math(t[-1])]
            return r"\underbrace{\left(" + ", ".join(shown) + r"\right)}_{" + str(len(t)) + r"\text{ values}}"
        return r"\left(" + ", ".join(self.math(x) for x in t) + r"\right)"

    def _math_list(self, t: list) -> str:
        return self._math_tuple(tuple(t))

    def _math_Name(self, n: Name) -> str:
        return r"\text{" + tex_escape(n.text) + "}"

    def _operand(self, x: Any, in_product: bool) -> str:
        s = self.math(x)
        if getattr(x, "is_Matrix", False):
            return s
        negative = (isinstance(x, (int, sympy.Number)) and x < 0) or (
            isinstance(x, sympy.Basic) and x.could_extract_minus_sign()
        )
        compound = isinstance(x, (Sum, sympy.Add))
        if in_product and (negative or compound):
            return r"\left(" + s + r"\right)"
        return s

    def _math_Sum(self, s: Sum) -> str:
        out = ""
        for i, term in enumerate(s.terms):
            if isinstance(term, Neg):
                inner = self._operand(term.term, in_product=True)
                out += ("-" if i == 0 else " - ") + inner
                continue
            text = self._operand(term, in_product=False)
            if i == 0:
                out = text
            elif text.startswith("-"):
                out += " - " + text[1:].lstrip()
            else:
                out += " + " + text
        return out or "0"

    @staticmethod
    def _is_matrix(x: Any) -> bool:
        return isinstance(x, Grid) or getattr(x, "is_Matrix", False) or hasattr(x, "to_Matrix")

    def _math_Product(self, p: Product) -> str:
        # Matrices multiply by juxtaposition, as in print: A B, 1/6 A; numbers keep their ×.
        out = ""
        for i, f in enumerate(p.factors):
            if i:
                out += " " if self._is_matrix(f) or self._is_matrix(p.factors[i - 1]) else r" \times "
            out += self._operand(f, in_product=True)
        return out

    def _math_Call(self, c: Call) -> str:
        if c.name == "sqrt":
            return r"\sqrt{" + self.math(c.args[0]) + "}"
        return self.math(c.name) + r"\left(" + ", ".join(self.math(a) for a in c.args) + r"\right)"

    def _math_Grid(self, g: Grid) -> str:
        body = r" \\ ".join(" & ".join(self.math(c) for c in row) for row in g.rows)
        return r"\begin{bmatrix} " + body + r" \end{bmatrix}"

    def _math_Approx(self, a: Approx) -> str:
        return decimal_string(a.value, a.digits if a.digits is not None else self.digits, latex=True)

    def fill(self, template: str, names: Any) -> str:
        """exactml's own text with its placeholders filled: user strings escaped, values in math."""
        return fill(template, dict(names), math=self.math)

    # ------------------------------------------------------------ displays
    def equation_parts(self, eq: Equation) -> list[tuple[str, str]]:
        """(relation, LaTeX) links of an equation, the decimal included."""
        links = []
        for i, form in enumerate(eq.forms):
            rel = eq.relations[i] if i < len(eq.relations) else "="
            rel = _RELATIONS.get(rel, rel)
            text = self.math(form)
            if links and links[-1] == (rel, text):  # 1/6 A = 1/6 A: a form printed as its predecessor adds nothing
                continue
            links.append((rel, text))
        digits = eq.digits if eq.digits is not None else self.digits
        if eq.approx and eq.forms and needs_decimal(eq.forms[-1], digits):
            links.append((r"\approx", decimal_string(eq.forms[-1], digits, latex=True)))
        return links

    def equation(self, eq: Equation) -> str:
        lhs = self.math(eq.lhs)
        links = self.equation_parts(eq)
        total = visible_width(lhs + "".join(r + t for r, t in links))
        if total <= self.settings["wrap"] or len(links) < 2:
            return r"\[ " + lhs + "".join(f" {r} {t}" for r, t in links) + r" \]"
        return "\\begin{align*}\n" + " \\\\\n".join(self.aligned_lines(eq)) + "\n\\end{align*}"

    def aligned_lines(self, eq: Equation | Relation) -> list[str]:
        """Lines of ``align*`` for one equation: on one line when it fits, else one link per line."""
        lhs = self.math(eq.lhs)
        if isinstance(eq, Relation):
            return [lhs + " &" + _RELATIONS[eq.rel] + " " + self.math(eq.rhs)]
        links = self.equation_parts(eq)
        if not links:
            return [lhs + " &"]
        if visible_width(lhs + "".join(r + t for r, t in links)) <= self.settings["wrap"]:
            return [lhs + f" &{links[0][0]} {links[0][1]}" + "".join(f" {r} {t}" for r, t in links[1:])]
        return [lhs + f" &{links[0][0]} {links[0][1]}"] + [f"&{r} {t}" for r, t in links[1:]]

    def aligned(self, group: Aligned) -> str:
        """Related equations in one ``align*``, lined up at their first relation."""
        if group.across:
            return r"\[ " + r" \qquad ".join(self.equation(eq)[3:-3] for eq in group.equations) + r" \]"
        lines = [line for eq in group.equations for line in self.aligned_lines(eq)]
        # Stacked fractions on consecutive lines need air between them, or they touch.
        sep = " \\\\[4pt]\n" if any("frac" in line for line in lines) else " \\\\\n"
        return "\\begin{align*}\n" + sep.join(lines) + "\n\\end{align*}"

    def _math_Det(self, d: Det) -> str:
        return r"\det" + self._operand_paren(d.of)

    def _math_Adj(self, a: Adj) -> str:
        return r"\operatorname{adj}" + self._operand_paren(a.of)

    def _operand_paren(self, x: Any) -> str:
        s = self.math(x)
        return s if self._is_matrix(x) and not isinstance(x, str) else r"\left(" + s + r"\right)"

    def _math_Margin(self, m: Margin) -> str:
        return f"y_{{{m.i}}} f(x_{{{m.i}}})"

    def _math_Indexed(self, x: Indexed) -> str:
        above = ("" if x.layer is None else "[" + self.math(x.layer) + "]") + ("T" if x.transposed else "")
        upper = "^T" if above == "T" else "^{" + above + "}" if above else ""
        lower = "_{" + x.sep.join(self.math(i) for i in x.indices) + "}" if x.indices else ""
        return self.math(x.name) + upper + lower

    def _math_Partial(self, d: Partial) -> str:
        return r"\frac{\partial " + self.math(d.of) + r"}{\partial " + self.math(d.by) + "}"

    def _math_Relation(self, r: Relation) -> str:
        if r.lhs is None:
            return _RELATIONS[r.rel] + " " + self.math(r.rhs)
        return self.math(r.lhs) + " " + _RELATIONS[r.rel] + " " + self.math(r.rhs)

    def _math_Notation(self, x: Notation) -> str:
        text = NOTATION[x.key]
        for k, arg in enumerate(x.args, start=1):
            text = text.replace(f"#{k}", self.math(arg))
        return text

    def _math_Frac(self, f: Frac) -> str:
        return r"\frac{" + self.math(f.num) + "}{" + self.math(f.den) + "}"

    def _math_Power(self, p: Power) -> str:
        base = self.math(p.base)
        if isinstance(p.base, (Frac, Sum)):
            base = r"\left(" + base + r"\right)"
        elif not isinstance(p.base, (str, int, Notation)):
            base = "{" + base + "}"
        exp = self.math(p.exp)
        return base + "^" + (exp if len(exp) == 1 else "{" + exp + "}")

    def _math_Log(self, x: Log) -> str:
        base = str(x.base)
        return r"\log_" + (base if len(base) == 1 else "{" + base + "}") + " " + self.math(x.arg)

    def _math_Juxtaposed(self, j: Juxtaposed) -> str:
        out = ""
        for f in j.factors:
            text = self._operand(f, in_product=True)
            out += text if not out or text.startswith(r"\left(") else " " + text
        return out

    def _math_Apply(self, a: Apply) -> str:
        return self.math(a.name) + "(" + ", ".join(self.math(x) for x in a.args) + ")"

    def _math_Inverse(self, x: Inverse) -> str:
        return "(" + self.math(x.of) + ")^{-1}"

    def _math_Entry(self, x: Entry) -> str:
        return "(" + self.math(x.of) + ")_{" + "".join(self.math(i) for i in x.indices) + "}"

    def block(self, obj: Any) -> str:
        if isinstance(obj, Equation):
            return self.equation(obj)
        if isinstance(obj, Aligned):
            return self.aligned(obj)
        if isinstance(obj, Table):
            return self.table(obj)
        if isinstance(obj, Note):
            return self.fill(obj.text, obj.names)
        if isinstance(obj, Figure):
            from .figures import render_figure

            return render_figure(obj, self)
        return r"\[ " + self.math(obj) + r" \]"

    def cell(self, obj: Any) -> str:
        """A table cell: user text escaped, numbers and records in math mode."""
        if isinstance(obj, Name):
            return tex_escape(obj.text)
        if isinstance(obj, str):
            return obj
        if isinstance(obj, Note):  # a few words of exactml's own, e.g. a condition with its math
            return self.fill(obj.text, obj.names)
        return "$" + self.math(obj) + "$"

    def table(self, t: Table) -> str:
        align = t.align or "l" * len(t.header)
        lines = [r"\begin{center}", r"\begin{tabular}{" + align + "}", r"\toprule"]
        lines.append(" & ".join(self.cell(h) for h in t.header) + r" \\")
        lines.append(r"\midrule")
        for row in t.rows:
            lines.append(" & ".join(self.cell(c) for c in row) + r" \\")
        lines += [r"\bottomrule", r"\end{tabular}"]
        if t.caption:
            lines.append(r"\\[2pt] {\small " + t.caption + "}")
        lines.append(r"\end{center}")
        return "\n".join(lines)

    # ------------------------------------------------------------ steps
    def result_equation(self, step: Step) -> Equation | None:
        """``symbol = result`` unless the step's own displays already end with it."""
        if step.symbol is None or step.result is None:
            return None
        for d in step.how:
            shown = d.equations if isinstance(d, Aligned) else (d,)
            if any(isinstance(e, Equation) and e.lhs == step.symbol for e in shown):
                return None
        value = step.result
        if isinstance(value, (list, tuple)) and not isinstance(value, sympy.Basic):
            value = tuple(value)
        return Equation(step.symbol, value)

    def step_body(self, step: Step) -> str:
        """Why, how and result of one step, without a heading."""
        parts = []
        if step.why:
            parts.append(r"\emph{Why.} " + self.fill(step.why, step.names))
        shown = [d for d in step.how]
        result = self.result_equation(step)
        if result is not None:
            shown.append(result)
        if shown and step.why:
            parts.append(r"\emph{How.}")
        parts.extend(self.block(d) for d in shown)
        return "\n\n".join(parts)

    def step(self, step: Step) -> str:
        heading = "\\" + self.settings["heading"] + "{" + self.fill(step.title, step.names) + "}"
        return heading + "\n" + self.step_body(step)

    def derivation(self, d: Derivation, depth: int = 0) -> str:
        parts = []
        if depth > 0:
            parts.append(r"\subsection*{" + fill(d.title, d.names) + "}")
        if d.intro:
            parts.append(fill(d.intro, d.names))
        for item in d:
            if isinstance(item, Derivation):
                parts.append(self.derivation(item, depth + 1))
            else:
                parts.append(self.step(item))
        return "\n\n".join(parts)


def render_latex(obj: Step | Derivation, **settings: Any) -> str:
    r = LatexRenderer(**settings)
    return r.derivation(obj) if isinstance(obj, Derivation) else r.step(obj)


def render_results(obj: Step | Derivation, **settings: Any) -> str:
    """One math block of ``symbol = result`` lines, for Jupyter's display."""
    r = LatexRenderer(**settings)
    steps = obj.steps() if isinstance(obj, Derivation) else [obj]
    lines = []
    for s in steps:
        eq = r.result_equation(Step(s.key, s.title, symbol=s.symbol, result=s.result)) if s.symbol else None
        if eq is not None:
            lhs = r.math(eq.lhs)
            lines.append(lhs + " &= " + " ".join(f"{rel} {t}" for rel, t in r.equation_parts(eq)).lstrip("= "))
    if not lines:
        return "$" + r"\text{" + tex_escape(getattr(obj, "title", "")) + "}$"
    return "$\\begin{aligned}" + " \\\\ ".join(lines) + "\\end{aligned}$"
