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

import contextlib
import contextvars
from typing import Any, Iterator

import sympy
from sympy import Add, Expr, Integer, Mul, Pow, S

from ..decimals import digit_count, sig_string
from .evaluate import as_sympy, evaluate, evaluate_all, evaluate_mpf

# Operands up to this many nodes are combined by sympy's ordinary evaluation.
SMALL_NODES = 40


# Inside ``as_built()`` only rational arithmetic is evaluated (see there).
_AS_BUILT = contextvars.ContextVar("exactml_lazy_as_built", default=False)


@contextlib.contextmanager
def as_built() -> Iterator[None]:
    """Build every non-rational node unevaluated, however small, inside this block.

    sympy's automatic rewriting of a small number such as ``1 + e^{-3/7}``
    asks the assumption system questions answered by numerical evaluation;
    it makes short forms for a derivation to show, and costs most of the time
    of an update nobody reads (the inner updates of ``fit``).  The values are
    the same exact numbers either way.  Thread-safe (a context variable).
    """
    token = _AS_BUILT.set(True)
    try:
        yield
    finally:
        _AS_BUILT.reset(token)


def _evaluates(values: list) -> bool:
    """Whether sympy's ordinary evaluation combines ``values``."""
    if _AS_BUILT.get():
        return all(v.is_Rational for v in values)
    return all(is_small(v) for v in values)


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
    return not any(node.is_Symbol for node in distinct_nodes(value))


def distinct_nodes(value: Any) -> Iterator[sympy.Basic]:
    """Each distinct subexpression of ``value`` once (the shared form as a graph, not as a tree)."""
    seen: set = set()
    stack = [as_sympy(value)]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        stack.extend(node.args)


def sign(value: Any) -> int | None:
    """The sign (-1, 0 or 1) of a real number, or ``None`` when it cannot be decided.

    Decided from a 50-digit evaluation of the graph when that is clear of
    zero, else left to sympy's exact reasoning.
    """
    value = as_sympy(value)
    if value.is_Rational:
        return 1 if value > 0 else -1 if value < 0 else 0
    approximation = evaluate_mpf(value, 50)
    if abs(approximation) > sympy.Float("1e-40"):
        return 1 if approximation > 0 else -1
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    return None


def add(*terms: Any) -> Expr:
    """The exact sum of ``terms``."""
    terms = [as_sympy(t) for t in terms]
    if _evaluates(terms):
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
    factors = [as_sympy(f) for f in factors]
    if any(f.is_Rational and f == 0 for f in factors):
        return S.Zero
    if _evaluates(factors):
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
    base = as_sympy(base)
    if _evaluates([base]):
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
    argument = as_sympy(argument)
    if _evaluates([argument]) and not (_AS_BUILT.get() and argument != 0):
        return function(argument)
    return function(argument, evaluate=False)


# ------------------------------------------------------------------ showing large values
# A value written out as a tree of more nodes than this is shown by its decimal and its size.
SHOW_NODES = 200
# A rational with more digits than this (numerator and denominator together) likewise.
SHOW_DIGITS = 60


def graph_size(value: Any) -> int:
    """The number of distinct subexpressions of ``value``: its size as the shared form held in memory."""
    return sum(1 for _ in distinct_nodes(value))


def tree_size(value: Any, limit: int | None = None) -> int:
    """The number of nodes of ``value`` written out as a tree (each shared part counted at every use).

    Counted over the shared form, so an expression of 10^38 tree nodes costs as little as its graph;
    with ``limit`` the count stops early once it is exceeded (the result is then ``limit + 1``).
    """
    memo: dict = {}
    stack = [(as_sympy(value), False)]
    while stack:
        node, ready = stack.pop()
        if node in memo:
            continue
        if not node.args:
            memo[node] = 1
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in memo)
            continue
        memo[node] = 1 + sum(memo[a] for a in node.args)
        if limit is not None and memo[node] > limit:
            return limit + 1
    return memo[as_sympy(value)]


def _rational_digits(value: Any) -> int:
    return digit_count(value.p) + digit_count(value.q)


def is_showable(value: Any) -> bool:
    """Whether ``value`` (a number, expression or matrix) prints in well under a second as it is."""
    if isinstance(value, sympy.MatrixBase):
        return all(is_showable(v) for v in value)
    if not isinstance(value, sympy.Basic):
        return True
    if value.is_Integer:
        return True  # printed with its middle digits elided (exactml.decimals.integer_text)
    if value.is_Rational:
        return _rational_digits(value) <= SHOW_DIGITS
    if tree_size(value, SHOW_NODES) > SHOW_NODES:
        return False
    return all(_rational_digits(a) <= SHOW_DIGITS for a in sympy.preorder_traversal(value) if a.is_Rational)


def learned(value: Any) -> Any:
    """A learned value as users see it: the sympy value when it prints, else a :class:`LargeValue`.

    A fraction whose numerator or denominator is longer than 1,000 digits is wrapped (``repr`` would
    hit Python's 4,300-digit int-to-str limit); shorter ones stay sympy Rationals, as scikit-learn users expect.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = sympy.Integer(value)
    if isinstance(value, sympy.Rational):
        return LargeValue(value) if max(digit_count(value.p), digit_count(value.q)) > 1000 else value
    return shown(value)


def shown(value: Any) -> Any:
    """``value`` itself when it prints quickly, else a :class:`LargeValue` showing its decimal and size."""
    return value if is_showable(value) else LargeValue(value)


class LargeValue:
    """An exact value too large to print, shown by its decimal and its size; ``.exact`` is the value.

    Exact training nests every update in the ones before: after ten epochs of
    XOR a weight is an expression of about 1,700 distinct parts that, written
    out, would have some 10^38 nodes.  Echoing it shows

        ≈ 0.4417 (exact: 1,736-node expression)

    and ``.exact`` is the sympy expression itself (``evaluate``, ``float``
    and ``evalf`` work on it through its shared form).  A matrix of such
    values is wrapped as a whole: indexing and iterating give its entries,
    each shown the same way.
    """

    __slots__ = ("exact",)

    def __init__(self, exact: Any):
        self.exact = exact.exact if isinstance(exact, LargeValue) else exact

    # ----------------------------------------------------- as a number
    def evalf(self, n: int = 15) -> sympy.Float:
        """The value to ``n`` significant digits (from the shared form)."""
        if self.is_matrix:
            return self.exact.applyfunc(lambda v: LargeValue(v).evalf(n))
        return evaluate(self.exact, n)

    n = evalf

    def __float__(self) -> float:
        return float(evaluate_mpf(self.exact, 30))

    # ----------------------------------------------------- as a matrix
    @property
    def is_matrix(self) -> bool:
        return isinstance(self.exact, sympy.MatrixBase)

    @property
    def shape(self) -> tuple:
        return self.exact.shape if self.is_matrix else ()

    def __getitem__(self, index: Any) -> Any:
        if not self.is_matrix:
            raise TypeError("a single value cannot be indexed; use .exact for the expression")
        return shown(self.exact[index]) if not isinstance(index, slice) else [shown(v) for v in self.exact[index]]

    def __iter__(self):
        if not self.is_matrix:
            raise TypeError("a single value cannot be iterated; use .exact for the expression")
        return (shown(v) for v in self.exact)

    def __len__(self) -> int:
        if not self.is_matrix:
            raise TypeError("a single value has no length")
        return len(self.exact)

    def tolist(self) -> list:
        return [[shown(v) for v in row] for row in self.exact.tolist()]

    def __eq__(self, other: object) -> bool:
        return self.exact == (other.exact if isinstance(other, LargeValue) else other)

    def __hash__(self) -> int:
        return hash(self.exact)

    # ----------------------------------------------------- shown
    def size(self) -> str:
        """How large the exact form is, in words: ``1,736-node expression``."""
        value = self.exact
        if self.is_matrix:
            return f"{value.shape[0]}×{value.shape[1]} matrix"
        if isinstance(value, sympy.Rational):
            if value.q == 1:
                return f"{digit_count(value.p):,}-digit integer"
            return f"fraction of {digit_count(value.p):,} over {digit_count(value.q):,} digits"
        return f"{graph_size(value):,}-node expression"

    def short(self, significant: int = 4) -> str:
        """``≈ 0.4417 (exact: 1,736-node expression)``."""
        if self.is_matrix:
            entries = list(self.exact)
            decimals = iter(evaluate_all([v for v in entries if not v.is_Integer], 40))
            texts = [str(v) if v.is_Integer else sig_string(v, significant, next(decimals)) for v in entries]
            cols = self.exact.shape[1]
            rows = ["[" + ", ".join(texts[r : r + cols]) + "]" for r in range(0, len(texts), cols)]
            return f"≈ Matrix([{', '.join(rows)}]) (exact: {self.size()} of large expressions)"
        return f"≈ {sig_string(self.exact, significant)} (exact: {self.size()})"

    def __repr__(self) -> str:
        return self.short()

    __str__ = __repr__
