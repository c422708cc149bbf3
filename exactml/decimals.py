"""Decimal display of exact values: when to show a decimal, and how to round it.

Decimals are for display only, next to the exact form.  Rationals are
rounded exactly (half away from zero, as people round by hand); irrational
values are evaluated over their shared form (:func:`exactml.evaluate`)
with as many working digits as their size needs, so ``e^{100}`` and
``(1 + √2)^{10000}`` are shown as correctly as 4/9.

Displays never fail: a value of magnitude 10^15 or more is shown in scientific notation
(``2.688e+43``, or ``2.688 \\times 10^{43}`` for LaTeX), and an integer too
long to read is shown by its first and last digits and its length
(:func:`integer_text`), without ever asking Python for all of its digits.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import sympy

from .arith.evaluate import evaluate_mpf

# Values of at least 10 to this power (in absolute value) are shown in scientific notation.
SCIENTIFIC_FROM = 15  # i.e. 10^15
# Integers with more digits than this are shown by their ends and their length.
INTEGER_DIGITS = 40


def _is_terminating(q: sympy.Rational, digits: int) -> bool:
    """True when q is exactly a decimal with at most ``digits`` places."""
    den = int(q.q)
    twos = (den & -den).bit_length() - 1
    den >>= twos
    fives = 0
    while den % 5 == 0:
        den //= 5
        fives += 1
    return den == 1 and max(twos, fives) <= digits


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


# ------------------------------------------------------------------ integers
def digit_count(n: int) -> int:
    """The number of decimal digits of ``|n|`` (1 for 0), without converting it to text."""
    n = abs(int(n))
    if n < 10:
        return 1
    guess = int(n.bit_length() * 0.30102999566398120)  # log10(2): exact or one short
    return guess + 1 if n >= 10**guess else guess


def integer_text(n: int, max_digits: int = INTEGER_DIGITS, group: str = "") -> str:
    """``n`` in decimal; beyond ``max_digits`` digits its first 12 and last 6 digits and its length.

    >>> integer_text(10**50 + 7)
    '100000000000…000007 (51 digits)'

    Python refuses to convert integers of more than 4,300 digits to text;
    the ends are computed by division, so any length works.  ``group``
    separates thousands (``","``) in numbers of five or more digits.
    """
    n = int(n)
    sign = "-" if n < 0 else ""
    count = digit_count(n)
    if count > max_digits:
        head = abs(n) // 10 ** (count - 12)
        tail = f"{abs(n) % 10**6:06d}"
        return f"{sign}{head}…{tail} ({count:,} digits)"
    s = str(abs(n))
    if group and len(s) > 4:
        s = f"{int(s):,}".replace(",", group)
    return sign + s


# ------------------------------------------------------------------ decimals
def _scaled_round(p: int, q: int, places: int) -> int:
    """round(p/q · 10^places), halves away from zero, in integers."""
    if places >= 0:
        num, den = abs(p) * 10**places, q
    else:
        num, den = abs(p), q * 10**-places
    n = (2 * num + den) // (2 * den)
    return -n if p < 0 else n


def _magnitude(value: Any) -> tuple[int, int, int | None]:
    """(p, q, exponent) for a rational; for others an integer pair close enough to round.

    ``exponent`` is ⌊log10 |value|⌋ (None for 0).
    """
    if isinstance(value, int):
        value = sympy.Integer(value)
    if isinstance(value, sympy.Rational):
        p, q = int(value.p), int(value.q)
        if p == 0:
            return 0, 1, None
        e = digit_count(p) - digit_count(q)
        if abs(p) * 10 ** max(0, -e) < q * 10 ** max(0, e):  # |p/q| < 10^e
            e -= 1
        return p, q, e
    return _approximation(value)


def _approximation(value: Any, digits: int = 30, first: Any = None) -> tuple[int, int, int | None]:
    """A rational within 10^-digits (relative) of an irrational value, from its shared form.

    ``first`` is an evaluation already at hand (an mpmath number of at least ``digits + 10`` digits).
    """
    import mpmath

    v = first if first is not None and first.context.prec >= 3.33 * (digits + 10) else evaluate_mpf(value, digits + 10)
    if not isinstance(v, mpmath.mpf):
        if isinstance(v, mpmath.mpc) and v.imag == 0:
            v = v.real
        else:
            raise ValueError(f"{value} is not a real number")
    if not mpmath.isfinite(v):
        raise ValueError(f"{value} has no finite decimal")
    if v == 0:
        return 0, 1, None
    e = int(mpmath.floor(mpmath.log10(abs(v))))
    # Enough working digits for every integer digit plus the requested places.
    needed = max(e, 0) + digits + 10
    if needed > digits + 10:
        v = evaluate_mpf(value, needed)
        e = int(mpmath.floor(mpmath.log10(abs(v))))
    man, exp = v.man_exp  # v as computed: mpf(v) would round it to the default precision
    sign = -1 if v < 0 else 1
    p, q = (sign * int(man) * 2**exp, 1) if exp >= 0 else (sign * int(man), 2**-exp)
    return p, q, e


def _decimal(n: int, places: int) -> Decimal:
    """n / 10^places as a Decimal, exactly (Decimal arithmetic would round to 28 digits)."""
    return Decimal((int(n < 0), tuple(int(c) for c in str(abs(n))), -places))


def _parts(
    value: Any, digits: int, exact: tuple | None = None, scientific: bool = False
) -> tuple[Decimal | int, int | None]:
    """(mantissa, exponent): exponent None for fixed point, else ``value ≈ mantissa × 10^exponent``.

    ``exact`` is ``(p, q, e)`` when already known (see :func:`_magnitude`).
    """
    digits = max(0, int(digits))
    if exact is not None:
        p, q, e = exact
    else:
        if isinstance(value, int) and digit_count(value) <= SCIENTIFIC_FROM:
            return Decimal(value), None  # a Python int is shown as itself, without places
        if not isinstance(value, (int, sympy.Basic)):
            value = sympy.sympify(value)
        if isinstance(value, sympy.Basic) and not value.is_Rational:
            p, q, e = _approximation(value, digits + 20)
        else:
            p, q, e = _magnitude(value)
    if e is None:
        return _decimal(0, digits), None
    if e < SCIENTIFIC_FROM and not scientific:
        return _decimal(_scaled_round(p, q, digits), digits), None
    # Scientific: digits places after the first significant digit.
    n = _scaled_round(p, q, digits - e)
    if digit_count(n) > digits + 1:  # 9.9996 rounded up to 10.000
        e += 1
        n = _scaled_round(p, q, digits - e)
    return _decimal(n, digits), e


def round_decimal(value: Any, digits: int = 3) -> Decimal:
    """``value`` rounded to ``digits`` places, half away from zero (any size: exact for rationals)."""
    mantissa, exponent = _parts(value, digits)
    if exponent is None:
        return mantissa
    sign, digit_tuple, places = mantissa.as_tuple()
    return Decimal((sign, digit_tuple, places + exponent))


def decimal_string(value: Any, digits: int = 3, latex: bool = False) -> str:
    """The decimal shown beside an exact value, e.g. ``'0.444'`` for 4/9.

    Values of 10^15 or more are shown in scientific notation, ``digits`` places after the first digit:

    >>> decimal_string(sympy.exp(100))
    '2.688e+43'
    >>> decimal_string(sympy.exp(100), latex=True)
    '2.688 \\\\times 10^{43}'
    """
    text = _fixed_rational(value, digits)  # the common cases, in integers (a hot path of the checker's reports)
    if text is not None:
        return text
    root = surd(value) if isinstance(value, sympy.Mul | sympy.Pow) else None
    if root is not None:
        places = max(0, int(digits))
        n = _surd_round(*root, places)
        if n is not None:
            return _fixed(n, places)
    return _format(*_parts(value, digits), latex)


def _fixed_rational(value: Any, digits: int) -> str | None:
    """:func:`decimal_string` of a rational below 10^15 (fixed point), from integers; None for anything else."""
    if not isinstance(value, sympy.Rational):
        return None
    p, q, places = int(value.p), int(value.q), max(0, int(digits))
    if abs(p) >= q * 10**SCIENTIFIC_FROM:
        return None
    return _fixed(_scaled_round(p, q, places), places)


def surd(x: Any) -> tuple[Fraction, int] | None:
    """``(c, k)`` when ``x`` is sympy's ``c·√k`` (c rational, k a whole number that is not a square), else None."""
    c: Any = sympy.Integer(1)
    if type(x) is sympy.Mul and len(x.args) == 2 and isinstance(x.args[0], sympy.Rational):
        c, x = x.args
    if type(x) is not sympy.Pow or x.exp is not sympy.S.Half or not isinstance(x.base, sympy.Integer):
        return None
    k = int(x.base)
    if k < 2 or math.isqrt(k) ** 2 == k:
        return None
    return Fraction(int(c.p), int(c.q)), k


def _surd_round(c: Fraction, k: int, places: int) -> int | None:
    """round(c·√k · 10^places), halves away from zero, in integers — or None where that might not be
    the digits :func:`_approximation` gives.

    ``x = |c|√k·10^places`` is irrational, so ``round(x) = ⌊(⌊2x⌋ + 1)/2⌋`` with ``⌊2x⌋`` an integer square
    root.  The approximation (within ``x·10^-(places+20)``) rounds the same way unless ``x`` lies that close
    to a half-integer ``h``; but ``|x − h| = |x² − h²| / (x + h) ≥ 1 / (4 c_q² (2x + 1))``, so it rounds the
    same whenever ``8 c_q² X (2X + 1) < 10^(places+20)`` for a bound ``X ≥ x``.  Values of 10^14 or more
    are left to the general path (scientific notation from 10^15).
    """
    if c * c * k >= 10**28:
        return None
    bound = (abs(c.numerator) * (math.isqrt(k) + 1) * 10**places) // c.denominator + 1
    if 8 * c.denominator**2 * bound * (2 * bound + 1) >= 10 ** (places + 20):
        return None
    n = (math.isqrt(4 * c.numerator**2 * k * 10 ** (2 * places) // c.denominator**2) + 1) // 2
    return -n if c < 0 else n


def _fixed(n: int, places: int) -> str:
    """n / 10^places written out with its places, as :func:`_format` writes the Decimal of :func:`_decimal`."""
    text = str(abs(n))
    if places:
        text = text.rjust(places + 1, "0")
        text = f"{text[:-places]}.{text[-places:]}"
    return "-" + text if n < 0 else text


def _format(mantissa: Decimal, exponent: int | None, latex: bool = False) -> str:
    s = f"{mantissa:f}"
    if s.startswith("-") and mantissa == 0:
        s = s[1:]
    if exponent is None:
        return s
    if latex:
        return f"{s} \\times 10^{{{exponent}}}"
    return f"{s}e{exponent:+d}"


def sig_string(value: Any, significant: int = 4, approximation: Any = None) -> str:
    """A decimal with ``significant`` significant digits (``0.4417``, ``2.688e+43``), for short forms.

    ``approximation`` is an evaluation of ``value`` already at hand (40 digits or more).
    """
    if isinstance(value, (int, sympy.Rational)):
        exact = _magnitude(value)
    else:
        exact = _approximation(value, 30, approximation)
    e = exact[2]
    if e is None:
        return "0"
    if -5 <= e < SCIENTIFIC_FROM:
        return _format(*_parts(value, max(0, significant - 1 - e), exact))
    return _format(*_parts(value, significant - 1, exact, scientific=True))


def rounded(value: Any, digits: int) -> sympy.Rational:
    """The rational nearest to ``value`` with ``digits`` decimal places (halves away from zero).

    Exact for rationals; an irrational value is first evaluated from its shared
    form with enough working digits for every integer digit and the places.
    """
    if isinstance(value, sympy.Basic) and not value.is_Rational:
        p, q, _ = _approximation(value, digits + 20)
    else:
        p, q, _ = _magnitude(value)
    return sympy.Rational(_scaled_round(p, q, digits), 10**digits)
