r"""Evaluating parsed sides, exactly or as intervals over the rounding of stated decimals.

One walk over a tree of :mod:`.expr` nodes serves both arithmetics of
:mod:`.arith`.  Names are looked up in an environment of :class:`Binding`\ s.
Matrices are tuples of rows (:class:`Array`); products, sums, transposes,
inverses, Hadamard products and functions applied entry by entry work the
same in both arithmetics.  A 1×1 product is a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import sympy

from .arith import EXACT, INTERVAL, MAX_SIZE, NotCheckable, guard
from .expr import Const, Func, Mat, Node, Num, Op, Ref, Rounded, TooLarge, refs

__all__ = ["evaluate", "collapse", "Array", "Binding", "NotCheckable", "Unbound", "EXACT", "INTERVAL"]



class Unbound(NotCheckable):
    def __init__(self, names: set[str]):
        super().__init__("unknown: " + ", ".join(sorted(names)))
        self.names = names


@dataclass(frozen=True)
class Array:
    """A matrix of values, row by row."""

    rows: tuple

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0])

    def entries(self) -> list:
        return [x for row in self.rows for x in row]

    def map(self, f: Callable[[Any], Any]) -> "Array":
        return Array(tuple(tuple(f(x) for x in row) for row in self.rows))

    def transpose(self) -> "Array":
        return Array(tuple(zip(*self.rows)))


@dataclass(frozen=True)
class Binding:
    """What a name stands for: its exact value, its interval when rounding is involved, and its history."""

    exact: Any
    rounded: bool
    interval: Any
    taint: int | None  # line of the first wrong claim the value depends on
    line: int
    source: str


# ------------------------------------------------------------------ arithmetics


# ------------------------------------------------------------------ the walk
def evaluate(node: Node, env: Mapping[str, Binding], arith: Any = EXACT) -> Any:
    """The value of ``node`` with the names of ``env``: a number or an :class:`Array`.

    Raises :class:`Unbound` naming the unknown names, :class:`NotCheckable`
    or :class:`~.parse.TooLarge`.
    """
    missing = {r for r in refs(node) if r not in env}
    if missing:
        raise Unbound(missing)
    return _eval(node, env, arith)


def _eval(node: Node, env: Mapping[str, Binding], a: Any) -> Any:
    if isinstance(node, Num):
        return a.num(node.value)
    if isinstance(node, Rounded):
        return a.rounded(node)
    if isinstance(node, Const):
        return a.const(node.name)
    if isinstance(node, Ref):
        b = env[node.name]
        if a is EXACT:
            return b.exact
        if b.interval is not None:
            return b.interval
        return _lift(b.exact, a.from_exact)
    if isinstance(node, Mat):
        rows = tuple(tuple(_scalar(_eval(x, env, a)) for x in row) for row in node.rows)
        if len(rows) * len(rows[0]) > MAX_SIZE:
            raise TooLarge("a matrix too large to check here")
        return Array(rows)
    if isinstance(node, Func):
        args = [_eval(x, env, a) for x in node.args]
        if node.name == "det":
            return _det(args[0], a)
        if any(isinstance(x, Array) for x in args[1:]):
            raise NotCheckable(f"a matrix as the base of {node.name}")
        if isinstance(args[0], Array):
            return args[0].map(lambda x: a.func(node.name, [x, *args[1:]]))
        return a.func(node.name, args)
    if isinstance(node, Op):
        args = [_eval(x, env, a) for x in node.args]
        return _OPS[node.op](a, *args)
    raise NotCheckable(f"cannot evaluate {type(node).__name__}")  # pragma: no cover


def _lift(value: Any, f: Callable[[Any], Any]) -> Any:
    return value.map(f) if isinstance(value, Array) else f(value)


def _scalar(x: Any) -> Any:
    if isinstance(x, Array):
        if x.shape == (1, 1):
            return x.rows[0][0]
        raise NotCheckable("a matrix inside a matrix")
    return x


def collapse(x: Any) -> Any:
    """A 1×1 matrix is a number."""
    return x.rows[0][0] if isinstance(x, Array) and x.shape == (1, 1) else x


def _add(a: Any, *xs: Any) -> Any:
    total = xs[0]
    for x in xs[1:]:
        total, x = collapse(total), collapse(x)
        if isinstance(total, Array) and isinstance(x, Array):
            if total.shape != x.shape:
                raise NotCheckable(f"adding a {_shape(total)} matrix and a {_shape(x)} matrix")
            total = Array(tuple(tuple(a.add(p, q) for p, q in zip(r, s)) for r, s in zip(total.rows, x.rows)))
        elif isinstance(total, Array) or isinstance(x, Array):
            raise NotCheckable("adding a number and a matrix")
        else:
            total = a.add(total, x)
    return total


def _mul(a: Any, *xs: Any) -> Any:
    total = xs[0]
    for x in xs[1:]:
        total = _times(a, total, x)
    return collapse(total)


def _times(a: Any, p: Any, q: Any) -> Any:
    if isinstance(p, Array) and isinstance(q, Array):
        (n, k), (k2, m) = p.shape, q.shape
        if k != k2:
            if p.shape == (1, 1) or q.shape == (1, 1):
                return _times(a, collapse(p), collapse(q))
            raise NotCheckable(f"multiplying a {_shape(p)} matrix by a {_shape(q)} matrix")
        if n * m > MAX_SIZE or n * m * k > 50 * MAX_SIZE:
            raise TooLarge("a matrix product too large to check here")
        cols = q.transpose().rows
        rows = []
        for r in p.rows:
            row = []
            for c in cols:
                acc = a.mul(r[0], c[0])
                for x, y in zip(r[1:], c[1:]):
                    acc = a.add(acc, a.mul(x, y))
                row.append(acc)
            rows.append(tuple(row))
        return Array(tuple(rows))
    if isinstance(p, Array):
        return p.map(lambda x: a.mul(x, q))
    if isinstance(q, Array):
        return q.map(lambda x: a.mul(p, x))
    return a.mul(p, q)


def _pow(a: Any, base: Any, power: Any) -> Any:
    if isinstance(power, Array):
        raise NotCheckable("a matrix as an exponent")
    base = collapse(base)
    if not isinstance(base, Array):
        if a is EXACT and isinstance(power, sympy.Integer) and power == -1:
            return a.inv(base)
        return a.pow(base, power)
    n, m = base.shape
    whole = power if a is EXACT else (int(power.a) if power.a == power.b and power.a == int(power.a) else None)
    if n != m or whole is None or not (isinstance(whole, int) or whole.is_Integer):
        raise NotCheckable("a power of a matrix that is not square, or not a whole power")
    k = int(whole)
    if abs(k) > 64:
        raise TooLarge("a matrix power too large to check here")
    identity = Array(tuple(tuple(a.num(sympy.Integer(int(i == j))) for j in range(n)) for i in range(n)))
    result = base if k != 0 else identity
    for _ in range(abs(k) - 1):
        result = _times(a, result, base)
    return _inverse(result, a) if k < 0 else result


def _inverse(m: Array, a: Any) -> Array:
    """Gauss–Jordan elimination, in either arithmetic."""
    n = m.shape[0]
    if n > 12:
        raise TooLarge("inverting a matrix this large is not checked here")
    one, zero = a.num(sympy.Integer(1)), a.num(sympy.Integer(0))
    rows = [list(r) + [one if i == j else zero for j in range(n)] for i, r in enumerate(m.rows)]
    for col in range(n):
        pivot = None
        for r in range(col, n):
            if a is EXACT:
                if not a.is_zero(rows[r][col]):
                    pivot = r
                    break
            elif not (rows[r][col].a <= 0 <= rows[r][col].b):
                pivot = r
                break
        if pivot is None:
            raise NotCheckable("the matrix is singular (or too close to singular for the rounding)")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        inv = a.inv(rows[col][col])
        rows[col] = [a.mul(x, inv) for x in rows[col]]
        for r in range(n):
            if r != col:
                f = rows[r][col]
                rows[r] = [a.add(x, a.mul(-f, y)) for x, y in zip(rows[r], rows[col])]
    return Array(tuple(tuple(r[n:]) for r in rows))


def _det(m: Any, a: Any) -> Any:
    if not isinstance(m, Array) or m.shape[0] != m.shape[1]:
        raise NotCheckable("a determinant of something that is not a square matrix")
    if a is EXACT:
        return guard(sympy.Matrix(m.rows).det())
    if m.shape[0] > 3:
        raise NotCheckable("a determinant over rounded numbers larger than 3×3")
    r = m.rows
    if m.shape[0] == 1:
        return r[0][0]
    if m.shape[0] == 2:
        return r[0][0] * r[1][1] - r[0][1] * r[1][0]
    return (r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
            + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]))


def _hadamard(a: Any, p: Any, q: Any) -> Any:
    p, q = collapse(p), collapse(q)
    if isinstance(p, Array) and isinstance(q, Array):
        if p.shape != q.shape:
            raise NotCheckable(f"a Hadamard product of a {_shape(p)} and a {_shape(q)} matrix")
        return Array(tuple(tuple(a.mul(x, y) for x, y in zip(r, s)) for r, s in zip(p.rows, q.rows)))
    return _times(a, p, q)


def _transpose(a: Any, x: Any) -> Any:
    return x.transpose() if isinstance(x, Array) else x


def _index(a: Any, x: Any, i: Any, j: Any) -> Any:
    if not isinstance(x, Array):
        raise NotCheckable("an index on something that is not a matrix")
    i, j = int(i) if a is EXACT else int(i.a), int(j) if a is EXACT else int(j.a)
    n, m = x.shape
    if j == 0:  # one index: an entry of a vector
        flat = x.entries()
        if (n == 1 or m == 1) and 1 <= i <= len(flat):
            return flat[i - 1]
    elif 1 <= i <= n and 1 <= j <= m:
        return x.rows[i - 1][j - 1]
    raise NotCheckable("an index outside the matrix")


def _shape(x: Array) -> str:
    return f"{x.shape[0]}×{x.shape[1]}"


_OPS = {"add": _add, "mul": _mul, "pow": _pow, "hadamard": _hadamard, "transpose": _transpose, "index": _index}
