"""Decimal display of exact values: when to show a decimal, and how to round it.

Decimals are for display only, next to the exact form.  Rationals are
rounded exactly (half away from zero, as people round by hand); irrational
values are evaluated with ample guard digits first.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import sympy


def _is_terminating(q: sympy.Rational, digits: int) -> bool:
    """True when q is exactly a decimal with at most ``digits`` places."""
    den = int(q.q)
    places = 0
    while den % 10 == 0:
        den //= 10
        places += 1
    while den % 2 == 0:
        den //= 2
        places += 1
    while den % 5 == 0:
        den //= 5
        places += 1
    return den == 1 and places <= digits


def needs_decimal(value: Any, digits: int = 3) -> bool:
    """Whether a decimal should be shown beside ``value``.

    Integers and short terminating decimals (1/2 = 0.5) need none; other
    rationals and real irrational numbers (√2, log₂3, e) do.
    """
    if isinstance(value, int):
        return False
    if not isinstance(value, sympy.Basic) or not value.is_number:
        return False
    if isinstance(value, sympy.Rational):
        return not _is_terminating(value, digits)
    return value.is_real is not False and not value.is_Integer


def round_decimal(value: Any, digits: int = 3) -> Decimal:
    """``value`` rounded to ``digits`` places, half away from zero."""
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, sympy.Rational):
        f = Fraction(int(value.p), int(value.q))
        return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(
            Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
        ) if _fits(f, digits) else _round_fraction(f, digits)
    v = sympy.N(value, digits + 30)
    if not v.is_real:
        raise ValueError(f"{value} is not a real number")
    return Decimal(str(v)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _fits(f: Fraction, digits: int) -> bool:
    # Decimal division is exact to 28 significant digits; beyond that round by integers.
    return abs(f.numerator) < 10**20 and f.denominator < 10**20


def _round_fraction(f: Fraction, digits: int) -> Decimal:
    scaled = f * 10**digits
    sign = -1 if scaled < 0 else 1
    n = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(sign * n).scaleb(-digits)


def decimal_string(value: Any, digits: int = 3) -> str:
    """The decimal shown beside an exact value, e.g. ``'0.444'`` for 4/9."""
    d = round_decimal(value, digits)
    s = f"{d:f}"
    if s.startswith("-") and Decimal(s) == 0:
        s = s[1:]
    return s
