"""Arithmetic on exact expressions that stays cheap when the expressions grow.

Every sympy constructor normally evaluates: ``x * y`` flattens, collects
powers and asks the assumption system questions (is this zero? positive?
an integer?).  For a *number* such as ``exp(-(2/(1 + e^{-1/3}) - …))`` those
questions are answered by numerical evaluation of the whole expression, so
the forward and backward passes of a network would re-evaluate every
earlier layer at every operation.

The operations here evaluate normally while their operands are small (a
few dozen nodes: the handout's network, any rational network) and otherwise
build the node unevaluated, folding only what is free: rational constants,
zeros and ones.  The value is the same exact expression either way; only
the amount of automatic rewriting differs.

>>> from sympy import Rational, exp
>>> add(Rational(1, 2), Rational(1, 3))
5/6
>>> mul(2, 0, exp(5))
0
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Add, Expr, Integer, Mul, Pow, S

# Operands up to this many nodes are combined by sympy's ordinary evaluation.
SMALL_NODES = 40


def is_small(value: Any, limit: int = SMALL_NODES) -> bool:
    """Whether ``value`` has at most ``limit`` nodes (stops counting early)."""
    if not isinstance(value, sympy.Basic) or value.is_Atom:
        return True
    count = 0
    for _ in sympy.preorder_traversal(value):
        count += 1
        if count > limit:
            return False
    return True


def is_numeric(value: Any) -> bool:
    """Whether ``value`` contains no symbol, visiting each shared subexpression once.

    ``Expr.is_number`` and ``free_symbols`` walk an expression as a tree; a
    weight after a few updates refers to earlier layers so often that the
    tree is exponentially larger than the graph walked here.
    """
    seen: set = set()
    stack = [_sym(value)]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node.is_Symbol:
            return False
        stack.extend(node.args)
    return True


def sign(value: Any) -> int | None:
    """The sign (-1, 0 or 1) of a real number, or ``None`` when it cannot be decided.

    Decided from a 50-digit evaluation of the graph when that is clear of
    zero, else left to sympy's exact reasoning.
    """
    value = _sym(value)
    if value.is_Rational:
        return 1 if value > 0 else -1 if value < 0 else 0
    approximation = evaluate(value, 50)
    if abs(approximation) > sympy.Float("1e-40"):
        return 1 if approximation > 0 else -1
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    return None


def _sym(value: Any) -> Expr:
    return value if isinstance(value, sympy.Basic) else sympy.sympify(value)


def add(*terms: Any) -> Expr:
    """The exact sum of ``terms``."""
    terms = [_sym(t) for t in terms]
    if all(is_small(t) for t in terms):
        return Add(*terms)
    constant = S.Zero
    rest = []
    for t in terms:
        if t.is_Rational:
            constant += t
        else:
            rest.append(t)
    if constant != 0:
        rest.append(constant)
    if not rest:
        return S.Zero
    return rest[0] if len(rest) == 1 else Add(*rest, evaluate=False)


def mul(*factors: Any) -> Expr:
    """The exact product of ``factors`` (exactly 0 when one factor is 0)."""
    factors = [_sym(f) for f in factors]
    if any(f.is_Rational and f == 0 for f in factors):
        return S.Zero
    if all(is_small(f) for f in factors):
        return Mul(*factors)
    coefficient = S.One
    rest = []
    for f in factors:
        if f.is_Rational:
            coefficient *= f
        else:
            rest.append(f)
    if coefficient != 1:
        rest.insert(0, coefficient)
    if not rest:
        return coefficient
    return rest[0] if len(rest) == 1 else Mul(*rest, evaluate=False)


def neg(value: Any) -> Expr:
    return mul(Integer(-1), value)


def sub(a: Any, b: Any) -> Expr:
    return add(a, neg(b))


def power(base: Any, exponent: int) -> Expr:
    """``base ** exponent`` for an integer exponent."""
    base = _sym(base)
    if is_small(base):
        return Pow(base, exponent)
    if isinstance(base, Pow) and base.exp.is_Integer:  # (b^m)^n = b^(mn) for integers m, n
        base, exponent = base.base, int(base.exp) * exponent
    if exponent == 1:
        return base
    return Pow(base, exponent, evaluate=False)


def div(a: Any, b: Any) -> Expr:
    return mul(a, power(b, -1))


def apply(function: type, argument: Any) -> Expr:
    """``function(argument)`` (exp, tanh, log), unevaluated for large arguments."""
    argument = _sym(argument)
    if is_small(argument):
        return function(argument)
    return function(argument, evaluate=False)


def evaluate(value: Any, digits: int = 50) -> Any:
    """A decimal approximation of a numeric expression, each shared subexpression evaluated once.

    ``sympy.N`` walks an expression as a tree, so a value that refers to the
    same earlier layer many times (every gradient of a deep network) costs
    exponentially many evaluations; this walks it as the graph it is.
    Returns an ``mpmath.mpf`` with ``digits`` significant digits of working
    precision — for display and comparison only, never a result.
    """
    import mpmath

    memo: dict = {}
    with mpmath.workdps(digits):
        stack = [(_sym(value), False)]
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
        return +memo[_sym(value)]


def _atom_value(node: Any, mpmath: Any) -> Any:
    if node.is_Rational:
        return mpmath.mpf(int(node.p)) / int(node.q)
    if node is S.Exp1:
        return mpmath.e
    if node is S.Pi:
        return mpmath.pi
    raise ValueError(f"cannot evaluate {node}: it is not a number")


def _node_value(node: Any, args: list, mpmath: Any) -> Any:
    if node.is_Add:
        return mpmath.fsum(args)
    if node.is_Mul:
        return mpmath.fprod(args)
    if node.is_Pow:
        return args[0] ** args[1]
    simple = {sympy.exp: mpmath.exp, sympy.log: mpmath.log, sympy.tanh: mpmath.tanh}
    if node.func in simple:
        return simple[node.func](*args)
    if node.func is sympy.Max:
        return max(args)
    if node.func is sympy.Heaviside:
        return mpmath.mpf(1) if args[0] > 0 else mpmath.mpf(0) if args[0] < 0 else args[1]
    return mpmath.mpf(sympy.N(node, mpmath.mp.dps))  # anything else: sympy knows


def approximately(value: Any, digits: int = 40) -> sympy.Rational:
    """A rational number within 10^-digits (relative) of ``value``, for display only.

    Lets the ordinary decimal display round a value whose exact form is too
    large for ``sympy.N`` to walk.
    """
    value = _sym(value)
    if value.is_Rational:
        return value
    import mpmath

    return sympy.Rational(mpmath.nstr(evaluate(value, digits + 10), digits, strip_zeros=False, min_fixed=-1e9,
                                      max_fixed=1e9))
