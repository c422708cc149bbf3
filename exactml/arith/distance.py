"""Exact distances: the Minkowski metrics, exact roots, and distances written out.

The Minkowski distances are d_p(a, b) = (Σ|aᵢ − bᵢ|^p)^(1/p): p = 1 is the
Manhattan distance, p = 2 the Euclidean one.  The inner sum, called the
*key* here, is rational (an integer for integer points) and orders points
exactly as the distance does, because t ↦ t^(1/p) is increasing.  So every
decision compares keys; a root is taken only to show a distance.

>>> euclidean((38, 65, 710), (35, 60, 700))
sqrt(134)
>>> euclidean((38, 65, 710), (25, 40, 650))
13*sqrt(26)

Finding the nearest of many points fast, on these same keys, is the other
idea k-NN and K-means share; it lives in :mod:`exactml.nearest`.
"""

from __future__ import annotations

from typing import Any, Sequence

import sympy
from sympy.printing.precedence import PRECEDENCE

from ..derivation import Approx, Call, Equation, Sum
from ..exact import exact, exact_vector
from ..records import Power

__all__ = [
    "metric_power",
    "power_sum",
    "squared_euclidean",
    "euclidean",
    "manhattan",
    "minkowski",
    "root",
    "inverse_of_root",
    "Radical",
    "scaled_radical",
    "Difference",
    "written_terms",
    "distance_equation",
    "decimal_cell",
]

METRICS = {"euclidean": 2, "manhattan": 1, "minkowski": None}


# ------------------------------------------------------------------ metrics
def metric_power(metric: str = "euclidean", p: Any = 2) -> int:
    """The exponent p of a metric: euclidean 2, manhattan 1, minkowski its ``p`` (a whole number ≥ 1)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose euclidean, manhattan or minkowski")
    if METRICS[metric] is not None:
        return METRICS[metric]
    try:
        value = exact(p)
    except ValueError:
        raise ValueError(f"p must be a whole number such as 1, 2 or 3, got {p!r}") from None
    if not (value.is_Integer and value >= 1):
        raise ValueError(
            f"p must be a whole number ≥ 1 (got {p!r}): for other p the distances are not exact roots of rationals"
        )
    return int(value)


def power_sum(a: Sequence, b: Sequence, p: int = 2) -> Any:
    """The key Σ|aᵢ − bᵢ|^p: exact, an int for integer points.

    >>> power_sum((4, 6), (2, 8))
    8
    """
    a, b = exact_vector(a, "a"), exact_vector(b, "b")
    if len(a) != len(b):
        raise ValueError(f"the points have {len(a)} and {len(b)} coordinates; they must have the same number")
    return sum(abs(x - y) ** p for x, y in zip(a, b))


def squared_euclidean(a: Sequence, b: Sequence) -> Any:
    """‖a − b‖², exact."""
    return power_sum(a, b, 2)


def root(key: Any, p: int = 2) -> sympy.Expr:
    """The exact p-th root of a non-negative rational, as c·r^(1/p) with c rational.

    Every p-th power is taken out of r when the radicand can be factored
    quickly (below 10^20); past that, only small primes and perfect powers.

    >>> root(4394)
    13*sqrt(26)
    >>> root(sympy.Rational(1, 8))
    sqrt(2)/4
    """
    value = sympy.Rational(key) if not isinstance(key, sympy.Rational) else key
    if value < 0:
        raise ValueError(f"cannot take a real root of the negative value {value}")
    if p == 1 or value == 0:
        return value
    num, den = int(value.p), int(value.q)
    outside, inside = _split_power(num * den ** (p - 1), p)  # (num/den)^(1/p) = (num·den^(p-1))^(1/p) / den
    return scaled_radical(sympy.Rational(outside, den), inside, p)


# sympy factors an integer (trial division, then Pollard) each time it builds that integer's root, to take
# out p-th powers; past this size that takes seconds to minutes (a 1,600-digit radicand: 12 s).  Larger
# radicands, already cleared of what cheap factoring finds, become a Radical instead.
EVALUATE_LIMIT = 10**300


class Radical(sympy.Expr):
    """radicand^(1/p) of an integer too large for sympy's own roots, which refactor it at every product.

    :func:`root` makes one only past :data:`EVALUATE_LIMIT`, after taking out the p-th powers cheap
    factoring finds and checking the rest is no perfect power: so it is a positive irrational real,
    and sympy's sums and products carry it as a factor without rebuilding it.
    """

    is_real = True
    is_positive = True
    is_finite = True
    is_algebraic = True
    is_irrational = True
    is_integer = False
    is_rational = False

    def __new__(cls, radicand: int, p: int) -> "Radical":
        return sympy.Expr.__new__(cls, sympy.Integer(radicand), sympy.Integer(p))

    @property
    def radicand(self) -> sympy.Integer:
        return self.args[0]

    @property
    def index(self) -> int:
        return int(self.args[1])

    def _eval_power(self, exponent: Any) -> Any:
        if exponent.is_Integer and exponent % self.index == 0:  # (r^(1/p))^(kp) = r^k
            return self.radicand ** (exponent // self.index)
        return None

    def _eval_evalf(self, prec: int) -> sympy.Float:
        import mpmath

        with mpmath.workprec(prec + 20):
            value = mpmath.root(mpmath.mpf(int(self.radicand)), self.index)
        return sympy.Float(value, precision=prec)

    def _sympystr(self, printer: Any) -> str:
        return f"root({printer._print(self.radicand)}, {self.index})"


def scaled_radical(coefficient: sympy.Rational, radicand: int, p: int = 2) -> sympy.Expr:
    """coefficient·radicand^(1/p): by sympy below :data:`EVALUATE_LIMIT`, as a :class:`Radical` beyond."""
    if radicand == 1 or coefficient == 0:
        return coefficient
    if radicand < EVALUATE_LIMIT:
        return coefficient * sympy.Integer(radicand) ** sympy.Rational(1, p)
    return coefficient * Radical(radicand, p)


def inverse_of_root(key: Any, p: int = 2) -> sympy.Expr:
    """1/key^(1/p), exact, as a rational times a root (the same care as :func:`root`)."""
    value = sympy.Rational(key) if not isinstance(key, sympy.Rational) else key
    if value <= 0:
        raise ValueError(f"cannot invert the root of {value}: it must be positive")
    return root(1 / value, p)


FACTOR_LIMIT = 10**20  # factor completely below this; factoring is slow far beyond


def _split_power(n: int, p: int) -> tuple[int, int]:
    """(c, r) with n = c^p·r, taking out as many p-th powers as cheap factoring finds."""
    if n < FACTOR_LIMIT:
        factors = sympy.factorint(n)
    else:
        factors, rest = {}, n
        for prime in sympy.primerange(2, 1000):
            while rest % prime == 0:
                factors[prime] = factors.get(prime, 0) + 1
                rest //= prime
        whole, exact = sympy.integer_nthroot(rest, p)
        if exact:
            factors[whole] = factors.get(whole, 0) + p
        elif rest > 1:
            factors[rest] = factors.get(rest, 0) + 1
    outside = inside = 1
    for prime, e in factors.items():
        outside *= prime ** (e // p)
        inside *= prime ** (e % p)
    return outside, inside


def minkowski(a: Sequence, b: Sequence, p: int = 2) -> sympy.Expr:
    """(Σ|aᵢ − bᵢ|^p)^(1/p), exact."""
    return root(power_sum(a, b, p), p)


def euclidean(a: Sequence, b: Sequence) -> sympy.Expr:
    """√(Σ(aᵢ − bᵢ)²), exact."""
    return minkowski(a, b, 2)


def manhattan(a: Sequence, b: Sequence) -> Any:
    """Σ|aᵢ − bᵢ|, exact."""
    return minkowski(a, b, 1)


class Difference(sympy.Expr):
    """``a − b`` kept as written, for display: sympy would evaluate or reorder it."""

    precedence = PRECEDENCE["Add"]

    def __new__(cls, a: Any, b: Any) -> "Difference":
        return sympy.Expr.__new__(cls, sympy.sympify(a), sympy.sympify(b))

    def doit(self, **hints: Any) -> sympy.Expr:
        a, b = self.args
        return a - b

    def _eval_evalf(self, prec: int) -> sympy.Expr:
        return self.doit()._eval_evalf(prec)

    def _sympystr(self, printer: Any) -> str:
        a, b = self.args
        return f"{printer._print(a)} - " + (f"({printer._print(b)})" if b < 0 else printer._print(b))


def written_terms(a: Sequence, b: Sequence, p: int = 2) -> list:
    """The terms of the key as one writes them by hand: (aᵢ − bᵢ)², |aᵢ − bᵢ|, |aᵢ − bᵢ|³ …"""
    terms = []
    for x, y in zip(a, b):
        diff = Difference(x, y)
        if p % 2 == 0:
            terms.append(sympy.Pow(diff, p, evaluate=False))
        else:
            magnitude = sympy.Abs(diff, evaluate=False)
            terms.append(magnitude if p == 1 else sympy.Pow(magnitude, p, evaluate=False))
    return terms


def distance_equation(lhs: Any, a: Sequence, b: Sequence, p: int = 2) -> Equation:
    """The distance from ``a`` to ``b`` written out, added up, and evaluated exactly.

    ``lhs`` names it, e.g. ``Apply("d", "q", Indexed("x", 1))`` for ``d(q, x_1)``.  For p other
    than 1 and 2 the equation is for the p-th power of the distance.
    """
    values = [abs(x - y) ** p for x, y in zip(a, b)]
    key = sum(values)
    written, added = Sum(written_terms(a, b, p)), Sum(values)
    if p == 1:
        return Equation(lhs, written, added, key)
    if p != 2:
        return Equation(Power(lhs, p), written, added, key)
    value = root(key, 2)
    forms = [Call("sqrt", written), Call("sqrt", added)]
    if value != sympy.sqrt(key, evaluate=False):  # √4394 = 13√26, √4 = 2: show the simplification
        forms.append(Call("sqrt", key))
    return Equation(lhs, *forms, value)


def decimal_cell(value: Any) -> Any:
    """A table cell with the decimal of ``value``, left empty for whole numbers (no "22.000")."""
    if isinstance(value, int) or getattr(value, "is_Integer", False):
        return ""
    return Approx(value)
