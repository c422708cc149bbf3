"""Decimals of exact numeric values, each shared subexpression evaluated once.

An exact value built by :mod:`exactml.arith.lazy` refers to the same earlier
parts many times (a weight after a few exact updates of a network); written
out as a tree it can have 10^38 nodes while its graph has a few thousand.
``sympy.N`` walks the tree; the functions here walk the graph, so the
decimals shown beside such values (:mod:`exactml.decimals`) cost
milliseconds.  Display and comparison only: no result is ever a float.

This module imports nothing of exactml, so that both the decimal display
and the lazy arithmetic can rest on it.
"""

from __future__ import annotations

import threading
from typing import Any

import sympy
from sympy import S


def as_sympy(value: Any) -> Any:
    """``value`` as a sympy object: a :class:`~exactml.arith.lazy.LargeValue` (which holds ``.exact``) gives its
    exact value, a Python number is sympified."""
    if isinstance(value, sympy.Basic):
        return value
    exact = getattr(value, "exact", None)
    return exact if exact is not None else sympy.sympify(value)


def evaluate(value: Any, digits: int = 15) -> sympy.Float:
    """The decimal of an exact numeric value to ``digits`` significant digits, however large its expression.

    >>> evaluate(sympy.exp(100), 20)
    2.6881171418161354484e+43

    Each shared subexpression is evaluated once (see :func:`evaluate_mpf`), so
    a weight after ten exact epochs of training — 1,736 distinct parts, some
    10^38 nodes written out — takes milliseconds where ``sympy.N`` would not
    finish.  A sympy ``Float``, for display and comparison only, never a result.
    """
    return sympy.Float(evaluate_mpf(value, int(digits) + 10), int(digits))


def evaluate_mpf(value: Any, digits: int = 50) -> Any:
    """A decimal approximation of a numeric expression, each shared subexpression evaluated once.

    ``sympy.N`` walks an expression as a tree, so a value that refers to the
    same earlier layer many times (every gradient of a deep network) costs
    exponentially many evaluations; this walks it as the graph it is.
    Returns an ``mpmath.mpf`` with ``digits`` significant digits of working
    precision — for display and comparison only, never a result.
    """
    return evaluate_all([value], digits)[0]


# Subexpressions evaluated recently, per thread and working precision (see evaluate_all); cleared past this many.
EVALUATED_MAX = 100_000
_EVALUATED = threading.local()


def evaluate_all(values: list, digits: int = 50) -> list:
    """:func:`evaluate_mpf` of several values at once, sharing the evaluation of their common parts."""
    import mpmath

    # Values printed one after another (the steps of a derivation) share most of their graph: the
    # evaluations at this precision are kept between calls, up to a bound.
    if not hasattr(_EVALUATED, "by_digits"):
        _EVALUATED.by_digits = {}
    memo = _EVALUATED.by_digits.setdefault(int(digits), {})
    if len(memo) > EVALUATED_MAX:
        memo.clear()
    roots = [as_sympy(v) for v in values]
    with mpmath.workdps(digits):
        stack = [(root, False) for root in roots]
        while stack:
            node, ready = stack.pop()
            if node in memo:
                continue
            if node.is_Atom:
                memo[node] = _atom_value(node, mpmath)
                continue
            if not ready:
                stack.append((node, True))
                stack.extend((arg, False) for arg in node.args if arg not in memo)
                continue
            memo[node] = _node_value(node, [memo[a] for a in node.args], mpmath)
        return [+memo[root] for root in roots]


def _atom_value(node: Any, mpmath: Any) -> Any:
    if node.is_Rational:
        return mpmath.mpf(int(node.p)) / int(node.q)
    if node is S.Exp1:
        return mpmath.e
    if node is S.Pi:
        return mpmath.pi
    if node.is_Number or node.is_NumberSymbol or node is S.ImaginaryUnit:
        value = sympy.N(node, mpmath.mp.dps)
        return mpmath.mpc(*value.as_real_imag()) if value.has(S.ImaginaryUnit) else mpmath.mpf(value)
    raise ValueError(f"cannot evaluate {node}: it is not a number")


# sympy functions and their mpmath counterparts (by sympy's class name).
_FUNCTIONS = {
    "exp": "exp",
    "log": "log",
    "tanh": "tanh",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "sinh": "sinh",
    "cosh": "cosh",
    "atan": "atan",
    "asin": "asin",
    "acos": "acos",
    "Abs": "fabs",
}


def _node_value(node: Any, args: list, mpmath: Any) -> Any:
    if node.is_Add:
        return mpmath.fsum(args)
    if node.is_Mul:
        return mpmath.fprod(args)
    if node.is_Pow:
        return mpmath.power(args[0], args[1])
    name = _FUNCTIONS.get(type(node).__name__)
    if name is not None and len(args) == 1:
        return getattr(mpmath, name)(*args)
    if node.func is sympy.Max:
        return max(args)
    if node.func is sympy.Min:
        return min(args)
    if node.func is sympy.Heaviside:
        return mpmath.mpf(1) if args[0] > 0 else mpmath.mpf(0) if args[0] < 0 else args[1]
    return mpmath.mpf(sympy.N(node, mpmath.mp.dps))  # anything else: sympy knows
