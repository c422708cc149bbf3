"""Exact signs of sums of p-th roots: how k-NN's inverse-distance vote is settled exactly.

A class's weight in that vote is Σ 1/d = Σ key^(-1/p), a sum of p-th roots
of rationals, and deciding a close vote means comparing two such sums.
sympy cannot always decide whether such a difference is zero, and floats
cannot tell a tie from a near-tie; this module does both, exactly.  It is
kept apart from :mod:`exactml.knn` because it is number theory, not
neighbours: nothing here knows about points or classes.

Each root is written as coefficient·r^(1/p) with r taken from a shared list
of *radicands*, two radicands sharing an entry only when their ratio is a
p-th power.  The roots of different entries are then linearly independent
over the rationals (Mordell), so a sum is zero only if every coefficient
is; otherwise enough working precision always finds its sign.

>>> radicands = []  # 1/√8 = (1/8)·√8 and 1/√2 = (1/4)·√8: one radicand, 8
>>> inverse_root(sympy.Rational(8), 2, radicands), inverse_root(sympy.Rational(2), 2, radicands), radicands
((0, Fraction(1, 8)), (0, Fraction(1, 4)), [8])
>>> compare_sums({0: Fraction(1, 8) + Fraction(1, 8)}, {0: Fraction(1, 4)}, radicands, 2)  # 2/√8 = 1/√2
0
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath
import sympy

__all__ = ["inverse_root", "sign_of_sum", "compare_sums"]


def inverse_root(key: Any, p: int, radicands: list[int]) -> tuple[int, Fraction]:
    """key^(-1/p) as coefficient·r^(1/p), r taken from (or added to) ``radicands``.

    Two radicands share an entry only when their ratio is a p-th power, so
    the roots of different entries are linearly independent over the
    rationals (Mordell): a sum of such terms is zero only if every
    coefficient is.  No factoring is needed, only exact integer roots.
    """
    a, b = int(key.p), int(key.q)
    m = b * a ** (p - 1)  # (b/a)^(1/p) = (b·a^(p-1))^(1/p) / a
    for i, r in enumerate(radicands):
        t, exact = sympy.integer_nthroot(m * r ** (p - 1), p)
        if exact:  # m^(1/p) = t·r^(1/p) / r
            return i, Fraction(t, a * r)
    radicands.append(m)
    return len(radicands) - 1, Fraction(1, a)


def sign_of_sum(terms: dict, radicands: list[int], p: int) -> int:
    """The exact sign of Σ coefficient·r^(1/p) over ``terms`` (index of r → coefficient)."""
    terms = {i: c for i, c in terms.items() if c != 0}
    if len(terms) <= 1:
        return 0 if not terms else (1 if next(iter(terms.values())) > 0 else -1)
    bits = 64
    while True:  # not zero (independent roots), so enough precision decides
        with mpmath.workprec(bits):
            values = [mpmath.mpf(c.numerator) / c.denominator * mpmath.root(radicands[i], p) for i, c in terms.items()]
            total = mpmath.fsum(values)
            error = mpmath.fsum(abs(v) for v in values) * mpmath.ldexp(1, 8 - bits)
            if abs(total) > error:
                return 1 if total > 0 else -1
        bits *= 2


def compare_sums(a: dict, b: dict, radicands: list[int], p: int) -> int:
    """The sign of (sum a) − (sum b), both given as index of r → coefficient over the same ``radicands``."""
    difference = dict(a)
    for i, coefficient in b.items():
        difference[i] = difference.get(i, 0) - coefficient
    return sign_of_sum(difference, radicands, p)
