"""sympy's LaTeX printer, taught the conventions of exactml's documents.

* integers of five or more digits are grouped as in the source document
  (``10{,}930{,}000``);
* logarithms keep their base: ``log(3)/log(2)`` prints as ``\\log_2 3`` and a
  natural logarithm as ``\\ln``;
* matrices are ``bmatrix``; large ones are elided (first rows, ``\\vdots``,
  the last row, and the shape), so a 10,000-row design matrix stays small;
* a matrix of fractions is written over its common denominator,
  ``\\frac{1}{19}\\begin{bmatrix}…``, so that no stacked fraction runs into the
  next row; other matrices holding fractions get extra space between rows.
"""

from __future__ import annotations

import math
import re
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter

from ..decimals import digit_count

# The symbols of MLP.symbolic: W<layer>_<row><column> and b<layer>_<row>.
_PARAMETER = re.compile(r"^([Wb])(\d+)_(\d+(?:_\d+)?)$")

DEFAULTS = {
    "group_thousands": True,
    "max_digits": 40,  # longer integers show their first and last digits only
    "max_rows": 8,
    "max_cols": 8,
    "factor_denominator": True,  # a matrix of fractions is shown as 1/L times a matrix of integers
}


def group_digits(n: int) -> str:
    """``10930000`` → ``10{,}930{,}000``; numbers under 10,000 stay plain (6500)."""
    s = str(abs(n))
    if len(s) > 4:
        groups = []
        while s:
            groups.append(s[-3:])
            s = s[:-3]
        s = "{,}".join(reversed(groups))
    return ("-" if n < 0 else "") + s


class ExactLatexPrinter(LatexPrinter):
    """LaTeX for exact results, in the handout's notation."""

    printmethod = "_exactml_latex"

    def __init__(self, settings: dict | None = None):
        own = dict(DEFAULTS)
        base = {"mat_str": "bmatrix", "mat_delim": "", "ln_notation": True}
        for k, v in (settings or {}).items():
            (own if k in DEFAULTS else base)[k] = v
        super().__init__(base)
        self.own = own

    # -- numbers
    def _int(self, n: int) -> str:
        n = int(n)
        digits = digit_count(n)
        if digits > self.own["max_digits"]:  # by division: Python will not write out 4,300+ digits
            head, tail = abs(n) // 10 ** (digits - 12), abs(n) % 10**6
            return f"{'-' if n < 0 else ''}{head}\\ldots{tail:06d}_{{[{digits}\\text{{ digits}}]}}"
        return group_digits(n) if self.own["group_thousands"] else str(n)

    def _print_Integer(self, expr: sympy.Integer) -> str:
        return self._int(expr.p)

    def _print_int(self, expr: int) -> str:
        return self._int(expr)

    def _print_Rational(self, expr: sympy.Rational) -> str:
        if expr.q == 1:
            return self._int(expr.p)
        sign = "-" if expr.p < 0 else ""
        # Inside a matrix LaTeX sets fractions in text style, too small to read: force display style.
        frac = "\\dfrac" if self._in_matrix else "\\frac"
        return f"{sign}{frac}{{{self._int(abs(expr.p))}}}{{{self._int(expr.q)}}}"

    # -- a difference kept as written (exactml.arith.distance.Difference)
    def _print_Difference(self, expr: sympy.Expr) -> str:
        a, b = expr.args
        right = self._print(b)
        return f"{self._print(a)} - " + (f"\\left({right}\\right)" if b < 0 else right)

    # -- the root of an integer too large for sympy's roots (exactml.arith.distance.Radical)
    def _print_Radical(self, expr: sympy.Expr) -> str:
        index = "" if expr.index == 2 else f"[{expr.index}]"
        return f"\\sqrt{index}{{{self._print(expr.radicand)}}}"

    # -- e^{(5 - e)/(1 + e)}: a fractional exponent on one line (exactml.nn.names.InlineExp)
    def _print_InlineExp(self, expr: sympy.Expr) -> str:
        def part(x: sympy.Expr) -> str:
            text = self._print(x)
            return text if x.is_Atom or x.is_Pow or x.is_Function else f"({text})"

        num, den = sympy.fraction(expr.args[0])
        return f"e^{{{part(num)}/{part(den)}}}"

    # -- a value written by its name (exactml.nn.names.Named): the name is a display record
    records: Any = None  # the renderer's math(), set by the LatexRenderer that owns this printer

    def _print_Named(self, expr: sympy.Symbol) -> str:
        if isinstance(expr.shown, str):
            return expr.shown
        if self.records is None:
            raise TypeError("a name held as a display record is printed through exactml.latex.render")
        return self.records(expr.shown)

    # -- network parameters as a textbook writes them
    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        m = _PARAMETER.match(expr.name)
        if m:  # W1_12 → W^{[1]}_{12}, b2_1 → b^{[2]}_{1}, W1_10_3 → W^{[1]}_{10,3}
            letter, layer, index = m.groups()
            return f"{letter}^{{[{layer}]}}_{{{index.replace('_', ',')}}}"
        return super()._print_Symbol(expr, style)

    # -- logarithms with their base
    def _print_Mul(self, expr: sympy.Mul) -> str:
        inv_ln2 = sympy.Pow(sympy.log(2), -1)
        if inv_ln2 in expr.args:
            rest = expr / inv_ln2
            coeff, logs = rest.as_coeff_Mul()
            if isinstance(logs, sympy.log):
                arg = logs.args[0]
                body = f"\\log_2 {self._log_arg(arg)}"
                if coeff == 1:
                    return body
                if coeff == -1:
                    return "-" + body
                return f"{self._print(coeff)} {body}"
            return f"\\frac{{{self._print(rest)}}}{{\\ln 2}}"
        return super()._print_Mul(expr)

    def _print_Add(self, expr: sympy.Add, order: Any = None) -> str:
        # Write log₂3 − 4/3 and e − 5 as people do, with the rational constant last.
        const, rest = expr.as_coeff_Add()
        leads_with_e = rest.has(sympy.E) and not rest.could_extract_minus_sign()
        if const != 0 and (rest.has(sympy.log) or leads_with_e):
            return self._print(rest) + (" - " if const < 0 else " + ") + self._print(abs(const))
        return super()._print_Add(expr, order)

    def _log_arg(self, arg: Any) -> str:
        if isinstance(arg, (sympy.Integer, sympy.Symbol)):
            return self._print(arg)
        return f"\\left({self._print(arg)}\\right)"

    # -- matrices, elided when large
    _in_matrix = False

    def _print_MatrixBase(self, expr: Any) -> str:
        rows, cols = expr.shape
        outer, self._in_matrix = self._in_matrix, True
        try:
            if not (rows and cols):
                return "\\begin{bmatrix}\\end{bmatrix}"
            if rows <= self.own["max_rows"] and cols <= self.own["max_cols"]:
                denominator = self.common_denominator(expr)
                if denominator is not None:
                    whole = expr.applyfunc(lambda x: x * denominator)
                    return f"\\frac{{1}}{{{self._int(denominator)}}}" + self._bmatrix(whole)
                return self._bmatrix(expr)
            return self.elided_matrix(rows, cols, lambda i, j: expr[i, j])
        finally:
            self._in_matrix = outer

    def common_denominator(self, expr: Any) -> int | None:
        """The least common denominator of a matrix of rationals that are not all integers, else ``None``."""
        if not self.own["factor_denominator"]:
            return None
        entries = list(expr)
        if not all(isinstance(x, sympy.Rational) for x in entries):
            return None
        denominator = math.lcm(*[int(x.q) for x in entries])  # sympy.ilcm needs two arguments or more
        return int(denominator) if denominator > 1 else None

    def _bmatrix(self, expr: Any) -> str:
        """A bmatrix; rows holding stacked fractions are set further apart so they never touch."""
        lines = [" & ".join(self._print(expr[i, j]) for j in range(expr.shape[1])) for i in range(expr.shape[0])]
        tall = any("frac" in line for line in lines)
        return "\\begin{bmatrix}" + ("\\\\[4pt]" if tall else "\\\\").join(lines) + "\\end{bmatrix}"

    def shown_indices(self, rows: int, cols: int) -> tuple[list, list]:
        """Row and column indices shown for a matrix of this shape (``None`` marks the gap)."""
        max_r, max_c = self.own["max_rows"], self.own["max_cols"]
        row_ids = list(range(rows)) if rows <= max_r else list(range(max_r - 2)) + [None, rows - 1]
        col_ids = list(range(cols)) if cols <= max_c else list(range(max_c - 2)) + [None, cols - 1]
        return row_ids, col_ids

    def elided_matrix(self, rows: int, cols: int, entry: Any) -> str:
        """A bmatrix showing the first rows/columns, the last one, dots between, and the shape."""
        row_ids, col_ids = self.shown_indices(rows, cols)
        lines = []
        for i in row_ids:
            cells = []
            for j in col_ids:
                if i is None:
                    cells.append("\\vdots" if j is not None else "\\ddots")
                elif j is None:
                    cells.append("\\cdots")
                else:
                    cells.append(self._print(entry(i, j)))
            lines.append(" & ".join(cells))
        body = " \\\\ ".join(lines)
        return f"\\underbrace{{\\begin{{bmatrix}}{body}\\end{{bmatrix}}}}_{{{rows} \\times {cols}}}"

    _print_ImmutableMatrix = _print_MatrixBase
    _print_Matrix = _print_MatrixBase
    _print_ImmutableDenseMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase


def latex(expr: Any, **settings: Any) -> str:
    """LaTeX of a sympy object (or int) in exactml's notation."""
    if isinstance(expr, bool):
        raise TypeError("booleans have no LaTeX form here")
    if isinstance(expr, int):
        expr = sympy.Integer(expr)
    return ExactLatexPrinter(settings).doprint(expr)
