"""The last stage of the checker: claims with their verdicts, as text or JSON.

Each :class:`Claim` has the line where its math starts, its LaTeX, the value
stated, the exact value exactml computed, a status and a one-line message:

``ok``         the claim holds (exactly, or within the rounding of the digits written)
``wrong``      it does not: a slip
``carried``    it holds given a value stated earlier, but that value was wrong
``unchecked``  it cannot be judged (unknown names, elided terms, prose)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

import sympy

from ..decimals import decimal_string, surd
from .evaluate import Array

STATUSES = ("ok", "wrong", "carried", "unchecked")
MARKS = {"ok": "✓", "wrong": "✗", "carried": "↳", "unchecked": "·"}


@dataclass
class Claim:
    """One claim and its verdict."""

    line: int
    source: str
    stated: str
    exact: str | None
    status: str
    message: str
    relation: str = "="
    first_error: int | None = None  # for carried (and wrong downstream) claims: the line of the first error
    recomputed: bool = False  # found by --recompute rather than by local arithmetic


@dataclass
class Definition:
    """A name the document defines (``X = …``, ``Let $b = 12$``) and the value it took."""

    line: int
    name: str
    value: str


@dataclass
class Report:
    """The verdicts on a document's claims, in document order.

    >>> from exactml.checker import check
    >>> r = check("$2 + 2 = 5$ and $\\\\sqrt{2} \\\\approx 1.414$")
    >>> [c.status for c in r.claims], len(r.wrong)
    (['wrong', 'ok'], 1)
    """

    claims: list[Claim] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    math_found: int = -1  # pieces of math the document holds (-1: not counted)

    @property
    def no_math(self) -> bool:
        """Nothing in the document looked like math (no delimiters, no math-looking line)."""
        return self.math_found == 0

    @property
    def wrong(self) -> list[Claim]:
        return [c for c in self.claims if c.status == "wrong"]

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for c in self.claims if c.status == s) for s in STATUSES}

    def summary(self, filename: str = "document") -> str:
        return summary_line(self.counts(), filename, len(self.claims))

    def to_text(self, filename: str = "document") -> str:
        """One line per claim (✓ ok, ✗ wrong, ↳ carried, · unchecked), with what was stated and what is exact."""
        lines = [self.summary(filename)]
        width = len(str(max((c.line for c in self.claims), default=1)))
        for c in sorted(self.claims, key=lambda c: (c.line, c.recomputed)):
            lines.extend(claim_lines(c, width))
        wrong = self.wrong
        lines.append(closing_line(len(wrong), min((c.line for c in wrong), default=None), self.no_math))
        return "\n".join(lines)

    def to_json(self, filename: str | None = None, indent: int | None = 2) -> str:
        data: dict[str, Any] = {
            **({"file": filename} if filename is not None else {}),
            "summary": self.counts(),
            "claims": [_record(c, _CLAIM_FIELDS) for c in self.claims],
            "definitions": [_record(d, _DEFINITION_FIELDS) for d in self.definitions],
        }
        return json.dumps(data, ensure_ascii=False, indent=indent)


_CLAIM_FIELDS = tuple(f.name for f in fields(Claim))
_DEFINITION_FIELDS = tuple(f.name for f in fields(Definition))


def _record(x: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """``dataclasses.asdict`` for a record of plain values (text, numbers, None), without its deep copies."""
    return {name: getattr(x, name) for name in names}


def summary_line(counts: dict[str, int], filename: str = "document", total: int | None = None) -> str:
    """``notes.md: 3 claims — 1 ok, 1 wrong, 1 carried, 0 unchecked``."""
    parts = ", ".join(f"{counts[s]} {s}" for s in STATUSES)
    claims = sum(counts.values()) if total is None else total
    return f"{filename}: {claims} claim{'' if claims == 1 else 's'} — {parts}"


def claim_lines(c: Claim, width: int) -> list[str]:
    """The lines of one claim in the text report, its line number right-aligned in ``width`` digits."""
    tag = " (recomputed)" if c.recomputed else ""
    lines = [f"{MARKS[c.status]} line {c.line:>{width}}{tag}: {_short(c.source)}"]
    pad = " " * (width + 8)
    if c.exact is not None:
        lines.append(f"{pad}stated {_short(c.stated, 60)}; exact {_short(c.exact, 80)}")
    if c.status != "ok" or c.recomputed:
        lines.append(f"{pad}{c.message}")
    return lines


def closing_line(wrong: int, first_wrong: int | None, no_math: bool) -> str:
    """The last line of the text report."""
    if wrong:
        return f"{wrong} wrong claim{'' if wrong == 1 else 's'}; the first is on line {first_wrong}."
    if no_math:
        return "No math found, so nothing was checked."
    return "No wrong claim."


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    keep = (limit - 3) // 2
    return text[:keep] + " … " + text[-keep:]


def show(value: Any, digits: int = 3) -> str:
    """An exact value for people: ``-307/500 ≈ -0.614``, ``sqrt(4394) ≈ 66.29``, ``(1400, 2370000, 4400)ᵀ``."""
    if isinstance(value, sympy.MatrixBase):
        value = Array(tuple(tuple(value[i, j] for j in range(value.cols)) for i in range(value.rows)))
    if isinstance(value, Array):
        if value.shape[1] == 1:
            return "(" + ", ".join(_entry(row[0], digits) for row in value.rows) + ")ᵀ"
        return "[" + "; ".join(", ".join(_entry(x, digits) for x in row) for row in value.rows) + "]"
    if isinstance(value, sympy.Integer):
        return str(value.p)
    if isinstance(value, sympy.Rational):  # as sympy prints it, without its printer (a hot path)
        text = f"{value.p}/{value.q}"
        try:
            dec = _decimal(value, digits)
        except (ValueError, TypeError, ArithmeticError):
            return text
        return "≈ " + dec if len(text) > 40 else f"{text} ≈ {dec}"
    text = sympy.sstr(value)
    if not isinstance(value, sympy.Basic) or value.free_symbols:
        return text
    try:
        dec = _decimal(value, digits)
    except (ValueError, TypeError, ArithmeticError):
        return text
    if isinstance(value, sympy.Rational) and len(text) > 40:
        return "≈ " + dec
    if len(text) > 60:
        return "≈ " + decimal_string(value, digits + 1)
    return f"{text} ≈ {dec}"


def _entry(x: Any, digits: int) -> str:
    if isinstance(x, sympy.Integer):
        return str(x)
    text = sympy.sstr(x)
    if isinstance(x, sympy.Rational) and len(text) <= 12:
        return text
    try:
        return _decimal(x, digits + 1)
    except (ValueError, TypeError, ArithmeticError):
        return text


def _decimal(value: Any, digits: int) -> str:
    """``digits`` places, or that many significant digits for a small value (e^{-6.5} ≈ 0.00150, not 0.000)."""
    if isinstance(value, sympy.Rational) and abs(value.p) * 10**digits >= 10 * value.q:
        return decimal_string(value, digits)  # clearly not small: no need to measure it
    root = surd(value)
    if root is not None and digits >= 0 and root[0] ** 2 * root[1] >= 1:
        return decimal_string(value, digits)  # c·√k of size 1 or more: not small either
    if value != 0:
        magnitude = abs(sympy.N(value, 30))
        if magnitude < sympy.Rational(1, 10**digits) * 5 and magnitude > 0:
            exponent = int(sympy.floor(sympy.log(magnitude, 10)))
            return decimal_string(value, min(60, digits - 1 - exponent))
    return decimal_string(value, digits)
