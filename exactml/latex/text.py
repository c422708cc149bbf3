"""Plain-text rendering of derivations, for ``str()`` in a terminal or REPL.

No raw LaTeX reaches the reader: exactml's own math (``z^{[1]}``,
``\\frac{\\partial L}{\\partial W^{[1]}}``, ``\\delta``) is turned into unicode
(``z⁽¹⁾``, ``∂L/∂W⁽¹⁾``, ``δ``) by :func:`unicode_math`, and sympy values
are printed by :class:`TextPrinter` (sympy's ``str`` printer, with integers of
any length elided and ``·``/``^`` for products and powers).  Values too large
to print are shown by their decimals and sizes (see
:class:`exactml.arith.lazy.LargeValue`).  Tables show their first rows only.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import sympy
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from ..arith.lazy import LargeValue, graph_size, is_numeric, is_showable
from ..decimals import decimal_string, integer_text, needs_decimal
from ..derivation import Approx, Call, Derivation, Equation, Figure, Grid, Name, Neg, Note, Product, Step, Sum, Table
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
from .render import LatexRenderer, fill

# Tables show at most this many rows (the first ones and the last).
TABLE_ROWS = 12
# Matrices show at most this many rows and columns.
MATRIX_SIZE = 8

_GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Omega": "Ω",
    "Pi": "Π",
}
_SYMBOLS = {
    "cdot": "·",
    "times": "×",
    "approx": "≈",
    "odot": "⊙",
    "partial": "∂",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "in": "∈",
    "notin": "∉",
    "infty": "∞",
    "sum": "Σ",
    "prod": "Π",
    "to": "→",
    "rightarrow": "→",
    "Rightarrow": "⇒",
    "leftarrow": "←",
    "mid": "|",
    "ldots": "…",
    "cdots": "⋯",
    "dots": "…",
    "vdots": "⋮",
    "pm": "±",
    "mp": "∓",
    "neg": "¬",
    "land": "∧",
    "lor": "∨",
    "forall": "∀",
    "exists": "∃",
    "cup": "∪",
    "cap": "∩",
    "subset": "⊂",
    "nabla": "∇",
    "top": "ᵀ",
    "prime": "′",
    "ln": "ln",
    "log": "log",
    "exp": "exp",
    "max": "max",
    "min": "min",
    "arg": "arg",
    "sign": "sign",
    "tanh": "tanh",
    "argmax": "argmax",
    "argmin": "argmin",
    "quad": "  ",
    "qquad": "    ",
    "lvert": "|",
    "rvert": "|",
    "lVert": "‖",
    "rVert": "‖",
    "|": "‖",
    "{": "{",
    "}": "}",
    "%": "%",
    "&": "&",
    "_": "_",
    "#": "#",
    "$": "$",
    "colon": ":",
    "circ": "∘",
    "star": "⋆",
    "ell": "ℓ",
}
_SUPER = str.maketrans("0123456789+-=()[]nijklTtabcdeimpxyzwhorsuvgf", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾⁽⁾ⁿⁱʲᵏˡᵀᵗᵃᵇᶜᵈᵉⁱᵐᵖˣʸᶻʷʰᵒʳˢᵘᵛᵍᶠ")
_SUB = str.maketrans("0123456789+-=()ijklmnoprstuvxaeh,", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓₐₑₕ,")
_ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}


def _group(text: str, start: int) -> tuple[str, int]:
    """The braced group (or single character / command) starting at ``start``; (content, end)."""
    while start < len(text) and text[start] == " ":
        start += 1
    if start >= len(text):
        return "", start
    if text[start] == "{":
        depth, i = 0, start
        while i < len(text):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    return text[start + 1 : i], i + 1
            i += 1
        return text[start + 1 :], len(text)
    if text[start] == "\\":
        m = re.match(r"\\([a-zA-Z]+|.)", text[start:])
        return m.group(0), start + m.end()
    return text[start], start + 1


_SCRIPT_CHARS = {chr(v) for v in (*_SUPER.values(), *_SUB.values())} | set("ᵀ′")


def _script(content: str, table: dict, mark: str) -> str:
    plain = unicode_math(content)
    if mark == "^" and plain.strip() in ("*", "⋆"):  # α^* → α*
        return "*"
    mapped = plain.translate(table)
    if all(c in _SCRIPT_CHARS or (c.isspace() and mark == "_") for c in mapped.strip()):  # e^{x y} stays ^(x y)
        return mapped
    return f"{mark}({plain})" if len(plain) > 1 else f"{mark}{plain}"


def _atom(text: str) -> str:
    """Parenthesised when it is more than one symbol (for a/b)."""
    return text if re.fullmatch(r"[\w.′⁽⁾ᵀ⁰-⁹₀-₉ᵢⱼₖₗ∂δσ]+", text) else f"({text})"


# A user's text inside exactml's own text is marked by these two private-use characters (see
# :func:`user`): :func:`unicode_math` copies it literally, never reading ``&``, ``_`` or ``$`` in it as LaTeX.
_OPEN, _CLOSE = "\ue000", "\ue001"


def user_text(text: str) -> str:
    """A user's string as plain text: as written, with bidi overrides and other invisible controls dropped."""
    out = []
    for ch in unicodedata.normalize("NFC", str(text)):
        kind = unicodedata.category(ch)
        if kind == "Cc" or kind.startswith("Z"):
            out.append(" ")  # tabs, newlines and other spaces: one space, as in the LaTeX
        elif kind in ("Cf", "Mn", "Me", "Co", "Cs"):
            continue  # bidi overrides (U+202E), zero-width joiners, stray accents, private use: dropped, as in the LaTeX
        else:
            out.append(ch)
    return "".join(out)


def user(text: str) -> str:
    """A user's string marked to be shown literally by :func:`plain` (the text counterpart of ``tex_escape``)."""
    return _OPEN + user_text(text) + _CLOSE


def unicode_math(tex: str) -> str:
    """exactml's LaTeX (math or light prose markup) as readable unicode text.

    >>> unicode_math(r"\\frac{\\partial L}{\\partial W^{[1]}_{12}}")
    '∂L/∂W⁽¹⁾₁₂'
    >>> unicode_math(r"\\delta^{[2]} = a^{[2]} - y")
    'δ⁽²⁾ = a⁽²⁾ - y'
    """
    out: list[str] = []
    i = 0
    while i < len(tex):
        c = tex[i]
        if c == _OPEN:  # a user's text: as written
            end = tex.find(_CLOSE, i)
            end = len(tex) if end < 0 else end
            out.append(tex[i + 1 : end])
            i = end + 1
        elif c == "\\":
            m = re.match(r"\\([a-zA-Z]+|.)", tex[i:])
            name, i = m.group(1), i + m.end()
            if name in ("frac", "dfrac", "tfrac"):
                num, i = _group(tex, i)
                den, i = _group(tex, i)
                out.append(f"{_atom(unicode_math(num))}/{_atom(unicode_math(den))}")
            elif name == "sqrt":
                arg, i = _group(tex, i)
                out.append("√" + _atom(unicode_math(arg)))
            elif name in (
                "text",
                "textbf",
                "emph",
                "mathrm",
                "mathbf",
                "mathit",
                "operatorname",
                "textit",
                "boldsymbol",
                "mathcal",
                "texttt",
                "underbrace",
                "overbrace",
            ):
                arg, i = _group(tex, i)
                out.append(unicode_math(arg) if name not in ("text", "texttt") else arg.replace("\\_", "_"))
            elif name in _ACCENTS:
                arg, i = _group(tex, i)
                out.append(unicode_math(arg) + _ACCENTS[name])
            elif name in (
                "left",
                "right",
                "bigl",
                "bigr",
                "Bigl",
                "Bigr",
                "big",
                "Big",
                "biggl",
                "biggr",
                "displaystyle",
                "limits",
                "nolimits",
                "label",
                "begin",
                "end",
                "hline",
                "toprule",
                "midrule",
                "bottomrule",
            ):
                if name in ("label", "begin", "end"):
                    _, i = _group(tex, i)
                elif i < len(tex) and tex[i] == ".":
                    i += 1  # \right.
            elif name in (",", ";", ":", "!", " "):
                out.append(" " if name != "!" else "")
            elif name == "\\":
                out.append("; ")
            elif name in _GREEK or name == "partial":
                out.append(_GREEK.get(name, "∂"))
                while i < len(tex) and tex[i] == " ":  # a space after a control word is not typeset
                    i += 1
            elif name in _SYMBOLS:
                if name in ("rvert", "rVert") and out:  # ‖x - μ‖, not ‖x - μ ‖
                    out[-1] = out[-1].rstrip(" ")
                out.append(_SYMBOLS[name])
                while name in ("lvert", "lVert") and i < len(tex) and tex[i] == " ":  # ‖w‖, not ‖ w‖
                    i += 1
            else:
                out.append(name)
        elif c in "^_":
            arg, i = _group(tex, i + 1)
            out.append(_script(arg, _SUPER if c == "^" else _SUB, c))
        elif c in "{}$":
            i += 1
        elif c == "~":
            out.append(" ")
            i += 1
        elif c == "&":
            i += 1
        else:
            out.append(c)
            i += 1
    return unicodedata.normalize("NFC", re.sub(r"  +", " ", "".join(out)))  # y + U+0302 → ŷ


# ``$…$`` math of exactml's own text (a user's ``$`` inside it, marked by :func:`user`, does not end it).
_MATH = re.compile(f"(\\$(?:[^${_OPEN}{_CLOSE}]|{_OPEN}[^{_CLOSE}]*{_CLOSE})*\\$)")


def plain(text: str) -> str:
    """exactml's prose with its ``$…$`` math and light markup turned into unicode."""
    parts = _MATH.split(text)
    return "".join(unicode_math(p[1:-1]) if p.startswith("$") and p.endswith("$") else unicode_math(p) for p in parts)


# ------------------------------------------------------------------ values
_GREEK_INDEXED = re.compile(r"^(?:%s)(?:_\w+)?$" % "|".join(_GREEK))
_PARAMETER = re.compile(r"^([A-Za-z]+)(\d+)_(\d+(?:_\d+)?)$")


class TextPrinter(StrPrinter):
    """sympy's ``str`` printer with integers of any length and network parameters written as in a textbook."""

    def _print_Integer(self, expr: sympy.Integer) -> str:
        return integer_text(expr.p)

    def _print_int(self, expr: int) -> str:
        return integer_text(expr)

    def _print_Rational(self, expr: sympy.Rational) -> str:
        return f"{integer_text(expr.p)}/{integer_text(expr.q)}" if expr.q != 1 else integer_text(expr.p)

    def _print_Symbol(self, expr: sympy.Symbol) -> str:
        if "\\" in expr.name or "^" in expr.name or "{" in expr.name:
            return unicode_math(expr.name)
        m = _GREEK_INDEXED.match(expr.name)
        if m:  # alpha_1 → α₁
            return unicode_math("\\" + expr.name)
        m = _PARAMETER.match(expr.name)
        if m:  # W1_12 → W⁽¹⁾₁₂
            letter, layer, index = m.groups()
            return letter + f"[{layer}]".translate(_SUPER) + index.replace("_", ",").translate(_SUB)
        return super()._print_Symbol(expr)

    _print_Dummy = _print_Symbol

    def _print_Named(self, expr: sympy.Symbol) -> str:  # exactml.nn.names.Named: a value by its name
        return unicode_math(expr.shown if isinstance(expr.shown, str) else _latex(expr.shown))

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if exponent in (sympy.S.Half, -sympy.S.Half):  # √2, 1/√(x + 1)
            root = "√" + self.parenthesize(base, PRECEDENCE["Atom"], strict=True)
            return root if exponent > 0 else "1/" + root
        if exponent.is_Integer and 1 < exponent < 100:  # x², (1/2)¹⁰
            return self.parenthesize(base, PRECEDENCE["Pow"], strict=True) + str(exponent).translate(_SUPER)
        return super()._print_Pow(expr, rational)

    def _print_Radical(self, expr: sympy.Expr) -> str:  # exactml.arith.distance.Radical
        sign = {2: "√", 3: "∛", 4: "∜"}.get(expr.index)
        inside = "(" + self._print(expr.radicand) + ")"
        return sign + inside if sign else f"{inside}^(1/{expr.index})"

    def _print_Equality(self, expr: sympy.Eq) -> str:
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_Exp1(self, expr: Any) -> str:
        return "e"

    def _print_Function(self, expr: Any) -> str:
        if type(expr).__name__ == "InlineExp":  # a display form of exp (see exactml.nn.names)
            return "exp(" + self._print(expr.args[0]) + ")"
        return super()._print_Function(expr)


def sympy_text(value: Any) -> str:
    """A sympy value as text: ``2·x + 1``, ``x^2``, ``e``, long integers elided."""
    return TextPrinter({"order": "none"}).doprint(value).replace("**", "^").replace("*", "·")


def value_text(value: Any, digits: int = 3) -> str:
    """One value as text: exact when it prints, with its decimal when it needs one."""
    if isinstance(value, Name):
        return user_text(value.text)
    if isinstance(value, LargeValue):
        return value.short()
    if isinstance(value, str):  # a result that is a string is the user's: a label, a feature's name
        return user_text(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{value_text(k, digits)}: {value_text(v, digits)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        shown = list(value)
        if len(shown) > TABLE_ROWS:
            inner = [value_text(v, digits) for v in shown[: TABLE_ROWS - 2]] + ["…", value_text(shown[-1], digits)]
            return "(" + ", ".join(inner) + f") ({len(shown):,} values)"
        return "(" + ", ".join(value_text(v, digits) for v in shown) + ")"
    if hasattr(value, "to_Matrix") and hasattr(value, "domain"):  # DomainMatrix
        rows, cols = value.shape
        if rows > MATRIX_SIZE or cols > MATRIX_SIZE:
            return f"<{rows}×{cols} exact matrix>"
        return value_text(value.to_Matrix(), digits)
    if isinstance(value, sympy.MatrixBase):
        rows, cols = value.shape
        if rows > MATRIX_SIZE or cols > MATRIX_SIZE:
            return f"<{rows}×{cols} exact matrix>"
        if not is_showable(value):
            return _large(value)
        return "[" + ", ".join("[" + ", ".join(_entry(v, digits) for v in row) + "]" for row in value.tolist()) + "]"
    if isinstance(value, (sympy.Basic, int)):
        if not is_showable(value):
            return _large(value)
        s = sympy_text(value)
        if needs_decimal(value, digits):
            s += f" ≈ {decimal_string(value, digits)}"
        return s
    return record_text(value, digits)


def _large(value: Any) -> str:
    """A value too large to print: its decimal and size when it is a number, else its size."""
    leaves = list(value) if isinstance(value, sympy.MatrixBase) else [value]
    if all(is_numeric(v) for v in leaves):
        return LargeValue(value).short()
    if isinstance(value, sympy.MatrixBase):
        return f"<{value.shape[0]}×{value.shape[1]} matrix of long symbolic expressions>"
    return f"<symbolic expression of {graph_size(value):,} distinct parts>"


def _entry(value: Any, digits: int) -> str:
    return value_text(value, digits)


def record_text(obj: Any, digits: int = 3) -> str:
    """A display record (sum, product, call, grid, decimal) as text."""
    if isinstance(obj, Sum):
        out = ""
        for k, term in enumerate(obj.terms):
            if isinstance(term, Neg):
                out += ("-" if k == 0 else " - ") + _operand(term.term, digits)
            else:
                text = _operand(term, digits, in_product=False)
                out += text if k == 0 else (" - " + text[1:].lstrip() if text.startswith("-") else " + " + text)
        return out or "0"
    if isinstance(obj, Product):
        return " × ".join(_operand(f, digits) for f in obj.factors)
    if isinstance(obj, Call):
        if obj.name == "sqrt":
            return "√" + _atom(_bare(obj.args[0], digits))
        return _bare(obj.name, digits) + "(" + ", ".join(_bare(a, digits) for a in obj.args) + ")"
    if isinstance(obj, Grid):
        return "[" + ", ".join("[" + ", ".join(_bare(c, digits) for c in row) + "]" for row in obj.rows) + "]"
    if isinstance(obj, Approx):
        return decimal_string(obj.value, obj.digits if obj.digits is not None else digits)
    if isinstance(obj, (Det, Adj)):
        return ("det" if isinstance(obj, Det) else "adj") + "(" + _bare(obj.of, digits) + ")"
    if isinstance(obj, Indexed) and (obj.layer is not None or obj.transposed):
        return unicode_math(_latex(obj))
    if isinstance(obj, Indexed):
        return _bare(obj.name, digits) + obj.sep.join(_bare(i, digits) for i in obj.indices).translate(_SUB)
    if isinstance(obj, Margin):
        return f"y{str(obj.i).translate(_SUB)} f(x{str(obj.i).translate(_SUB)})"
    if isinstance(obj, Relation):
        lhs = "" if obj.lhs is None else _bare(obj.lhs, digits) + " "
        return f"{lhs}{_RELATION_TEXT.get(obj.rel, obj.rel)} {_bare(obj.rhs, digits)}"
    if isinstance(obj, Name):
        return user_text(obj.text)
    if isinstance(obj, str):
        return unicode_math(obj)
    if isinstance(obj, Note):
        return plain(fill(obj.text, dict(obj.names), escape=user, math=_latex))
    # Notation, fractions, powers, logarithms …: the handout's notation, in unicode.
    return unicode_math(_latex(obj))


# Records of notation as written by hand: shown as their LaTeX turned into unicode.
_WRITTEN = (Notation, Frac, Power, Log, Juxtaposed, Apply, Inverse, Entry, Partial)


def _latex(value: Any) -> str:
    """A value or display record in exactml's LaTeX (to be turned into unicode by :func:`plain`)."""
    return LatexRenderer().math(value)


_RELATION_TEXT = {"=": "=", "<": "<", ">": ">", "<=": "≤", ">=": "≥", "in": "∈", "approx": "≈"}


def _bare(value: Any, digits: int) -> str:
    """A value inside a shown form: exact only (the decimal comes once, at the end of the equation)."""
    if isinstance(value, (sympy.Basic, int)) and not isinstance(value, sympy.MatrixBase):
        return sympy_text(value) if is_showable(value) else _large(value)
    if isinstance(value, sympy.MatrixBase):  # exact entries only (a decimal per entry would be cut off here)
        rows, cols = value.shape
        if rows > MATRIX_SIZE or cols > MATRIX_SIZE or not is_showable(value):
            return value_text(value, digits)
        return "[" + ", ".join("[" + ", ".join(_bare(v, digits) for v in row) + "]" for row in value.tolist()) + "]"
    if isinstance(value, (Sum, Product, Call, Grid, Approx, Name, str, Det, Adj, Indexed, Margin, Relation, *_WRITTEN)):
        return record_text(value, digits)
    return value_text(value, digits)


def _operand(x: Any, digits: int, in_product: bool = True) -> str:
    s = _bare(x, digits)
    compound = isinstance(x, (Sum, sympy.Add))
    negative = isinstance(x, (int, sympy.Number)) and x < 0
    return f"({s})" if in_product and (compound or negative) else s


# ------------------------------------------------------------------ displays
def equation_text(eq: Equation, digits: int) -> str:
    rel = {
        "=": "=",
        "<-": "←",
        "in": "∈",
        r"\approx": "≈",
        "approx": "≈",
        r"\Rightarrow": "⇒",
        r"\leftarrow": "←",
        r"\le": "≤",
        r"\ge": "≥",
    }
    parts = [_bare(eq.lhs, digits)]
    for k, form in enumerate(eq.forms):
        r = eq.relations[k] if k < len(eq.relations) else "="
        parts.append(f"{rel.get(r, unicode_math(r))} {_bare(form, digits)}")
    d = eq.digits if eq.digits is not None else digits
    last = eq.forms[-1] if eq.forms else None
    if eq.approx and last is not None and is_showable(last) and needs_decimal(last, d):
        parts.append(f"≈ {decimal_string(last, d)}")
    return " ".join(parts)


def table_text(t: Table, digits: int) -> list[str]:
    rows = list(t.rows)
    elided = len(rows) > TABLE_ROWS
    if elided:
        rows = rows[: TABLE_ROWS - 2] + [None] + rows[-1:]
    cells = [[_cell(c, digits) for c in t.header]] + [[_cell(c, digits) for c in r] if r else None for r in rows]
    widths = [max(len(r[j]) for r in cells if r and j < len(r)) for j in range(len(t.header))]
    lines = []
    for k, r in enumerate(cells):
        if r is None:
            lines.append(f"… ({len(t.rows) - TABLE_ROWS + 1:,} more rows)")
            continue
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    if t.caption:
        lines.append(plain(t.caption))
    return lines


def _cell(c: Any, digits: int) -> str:
    if isinstance(c, Name):
        return user_text(c.text)
    if isinstance(c, str):
        return plain(c)
    if isinstance(c, Note):
        return record_text(c, digits)
    return value_text(c, digits) if isinstance(c, (sympy.Basic, int)) else record_text(c, digits)


def display_lines(obj: Any, digits: int) -> list[str]:
    """One display record of a step's *how* as lines of text."""
    if isinstance(obj, Equation):
        return [equation_text(obj, digits)]
    if isinstance(obj, Aligned):
        return [
            equation_text(eq, digits) if isinstance(eq, Equation) else record_text(eq, digits) for eq in obj.equations
        ]
    if isinstance(obj, Table):
        return table_text(obj, digits)
    if isinstance(obj, Note):
        return [record_text(obj, digits)]
    if isinstance(obj, Figure):
        return [f"[figure: {plain(obj.caption) or obj.kind}]"]
    return [_bare(obj, digits)]


def step_lines(step: Step, digits: int = 3, detail: bool = True) -> list[str]:
    """A step as lines: ``[key] title``, then why, how and result (indented)."""
    names = dict(step.names)
    lines = [f"[{user_text(step.key)}] {plain(fill(step.title, names, escape=user, math=_latex))}"]
    if detail and step.why:
        lines.append("    Why: " + plain(fill(step.why, names, escape=user, math=_latex)))
    if detail and step.how:
        lines.append("    How:")
        for d in step.how:
            lines += ["      " + line for line in display_lines(d, digits)]
    shown_in_how = step.symbol is not None and any(isinstance(d, Equation) and d.lhs == step.symbol for d in step.how)
    value = _value(step.result)
    # A result the worked lines already end with is not repeated when it is long or symbolic (as in LaTeX).
    repeated = (
        detail and shown_in_how and isinstance(value, sympy.Basic) and (not is_showable(value) or not is_numeric(value))
    )
    if step.result is not None and not repeated:
        name = _bare(step.symbol, digits) if step.symbol is not None else "result"
        lines.append(f"    {name} = {value_text(step.result, digits)}")
    return lines


def _value(result: Any) -> Any:
    """A list of scalars as one column (matrices, as the rounded weights of a network, stay a list)."""
    if isinstance(result, (list, tuple)) and result:
        if all(isinstance(v, sympy.Basic) and not isinstance(v, sympy.MatrixBase) for v in result):
            return sympy.ImmutableMatrix(result)
    return result


def render_text(obj: Step | Derivation, digits: int = 3, indent: str = "", detail: bool = True) -> str:
    """A step or derivation as readable plain text (unicode math, no LaTeX)."""
    if isinstance(obj, Step):
        return "\n".join(indent + line for line in step_lines(obj, digits, detail))
    lines = [indent + plain(fill(obj.title, obj.names, escape=user))]
    if obj.intro and detail:
        lines.append(indent + "  " + plain(fill(obj.intro, obj.names, escape=user)))
    for item in obj:
        lines.append(render_text(item, digits, indent + "  ", detail))
    return "\n".join(lines)
