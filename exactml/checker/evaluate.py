r"""Evaluating parsed sides, exactly or as intervals over the rounding of stated decimals.

One walk over a tree of :mod:`.expr` nodes serves both arithmetics of
:mod:`.arith`.  Names are looked up in an environment of :class:`Binding`\ s.
Matrices are tuples of rows (:class:`Array`); products, sums, transposes,
inverses, Hadamard products and functions applied entry by entry work the
same in both arithmetics.  A 1×1 product is a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import sympy

from .arith import EXACT, INTERVAL, MAX_SIZE, NotCheckable, guard
from .expr import Const, Func, Mat, Node, Num, Op, Ref, Rounded, TooLarge, children, refs

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
    formula: Any = None  # the expression tree that defined it (for derivatives and functions)
    params: tuple = ()  # for a function f(z) = …: the names of its arguments
    previous: Any = None  # the binding of the same name it replaced (w ← w - η g)


# ------------------------------------------------------------------ arithmetics


# ------------------------------------------------------------------ the walk
def evaluate(node: Node, env: Mapping[str, Binding], arith: Any = EXACT, free: bool = False) -> Any:
    """The value of ``node`` with the names of ``env``: a number or an :class:`Array`.

    With ``free``, a name that has no value is a symbol (exact arithmetic only), so
    that ``\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))`` has a value on each side.
    Raises :class:`Unbound` naming the unknown names, :class:`NotCheckable`
    or :class:`~.parse.TooLarge`.
    """
    missing = {r for r in value_refs(node) if r not in env and derivative_of(r, env) is None}
    if missing and not (free and arith is EXACT):
        raise Unbound(missing)
    if arith is EXACT and not free:
        try:
            return _exact_scalar(node, env)
        except _NotScalar:
            pass
    return _eval(node, _Free(env) if free else env, arith)


class _NotScalar(Exception):
    """The tree holds more than scalar arithmetic: the general walk evaluates it, from the start."""


def _exact_scalar(node: Node, env: Mapping[str, Binding]) -> Any:
    """:func:`_eval` in exact arithmetic for the trees most sides are: numbers, names, sums, products, powers.

    The same operations of :data:`EXACT` in the same order (so the same value, the same size guards and the
    same errors), without the general walk's dispatch; anything else — a matrix, a function, a derivative,
    a name bound to a matrix — raises :class:`_NotScalar` before any of it is computed twice.
    """
    kind = type(node)
    if kind is Num or kind is Rounded:
        return node.value
    if kind is Op:
        op = node.op
        if op == "add" or op == "mul":
            args = [_exact_scalar(x, env) for x in node.args]
            combine = EXACT.add if op == "add" else EXACT.mul
            total = args[0]
            for x in args[1:]:
                total = combine(total, x)
            return total
        if op == "pow":
            base, power = [_exact_scalar(x, env) for x in node.args]
            return _pow(EXACT, base, power)
        raise _NotScalar
    if kind is Ref and "/" not in node.name:  # d…/d… may be a derivative
        value = env[node.name].exact
        if isinstance(value, Array):
            raise _NotScalar
        return value
    raise _NotScalar


def value_refs(node: Node) -> set[str]:
    """The names whose values a tree needs (a function's name in ``f(3)`` is looked up as a function)."""
    if isinstance(node, Op) and node.op in ("apply", "apply_prime"):
        found: set[str] = set()
        for x in node.args[1:]:
            found |= value_refs(x)
        return found
    if isinstance(node, Ref):
        return {node.name}
    found = set()
    for x in children(node):
        found |= value_refs(x)
    return found


class _Free(dict):
    """An environment where a name with no value is a real symbol."""

    def __init__(self, env: Mapping[str, Binding]) -> None:
        super().__init__()
        self.env = env

    def __contains__(self, name: object) -> bool:
        return True

    def __getitem__(self, name: str) -> Binding:
        if name in self.env:
            return self.env[name]
        return Binding(symbol(name), False, None, None, 0, name)

    def get(self, name: str, default: Any = None) -> Any:
        return self.env.get(name, default)

    def functions(self) -> Mapping[str, Binding]:
        return self.env


def symbol(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


_DERIVATIVE = re.compile(r"d(.+)/d(.+)")
MAX_EXPANSION = 30


def derivative_of(name: str, env: Mapping[str, Binding]) -> tuple[str, str] | None:
    """``(A, B)`` when the name ``dA/dB`` is a derivative the document lets us compute: A defined in terms of B."""
    m = _DERIVATIVE.fullmatch(name)
    if m is None:
        return None
    top, var = m.group(1), m.group(2)
    base = env.env if isinstance(env, _Free) else env
    if top not in base:  # dW/dα for a function W(α) the document defined
        top = f"{top}({var})"
        if top not in base or base[top].params != (var,):
            return None
    if base[top].formula is None:
        return None
    return (top, var) if depends(top, var, base) else None


def depends(name: str, var: str, env: Mapping[str, Binding], seen: frozenset = frozenset()) -> bool:
    """Whether the definition of ``name`` uses ``var``, directly or through other definitions."""
    b = env.get(name)
    if b is None or b.formula is None or name in seen or len(seen) > MAX_EXPANSION:
        return False
    used = refs(b.formula)
    if var in used:
        return True
    if isinstance(b.exact, sympy.Basic) and symbol(var) in b.exact.free_symbols:
        return True
    return any(depends(r, var, env, seen | {name}) for r in used if r != name)


class _Expanding(dict):
    """An environment where ``var`` is a symbol and every name that depends on it is its definition again."""

    def __init__(self, env: Mapping[str, Binding], var: str, x: sympy.Symbol) -> None:
        super().__init__()
        self.base = env.env if isinstance(env, _Free) else env
        self.var, self.x = var, x
        self.busy: set[str] = set()

    def __contains__(self, name: object) -> bool:
        return True

    def get(self, name: str, default: Any = None) -> Any:
        return self.base.get(name, default)

    def functions(self) -> Mapping[str, Binding]:
        return self.base

    def __getitem__(self, name: str) -> Binding:
        if name == self.var:
            return Binding(self.x, False, None, None, 0, name)
        b = self.base.get(name)
        if b is None:
            return Binding(symbol(name), False, None, None, 0, name)
        if b.formula is not None and name not in self.busy and depends(name, self.var, self.base):
            self.busy.add(name)
            try:
                value = _eval(b.formula, self, EXACT)
            finally:
                self.busy.discard(name)
            return Binding(value, False, None, b.taint, b.line, b.source)
        if isinstance(b.exact, sympy.Basic) and symbol(self.var) in b.exact.free_symbols:
            return Binding(b.exact.subs(symbol(self.var), self.x), False, None, b.taint, b.line, b.source)
        return b


def differentiate(node: Node, var: str, env: Mapping[str, Binding]) -> Any:
    """d(node)/d(var), from the definitions in ``env``, evaluated at the value ``var`` has (or as a symbol)."""
    x = sympy.Dummy("d_" + var, real=True)
    value = _eval(node, _Expanding(env, var, x), EXACT)
    base = env.env if isinstance(env, _Free) else env
    at = base[var].exact if var in base else symbol(var)
    if isinstance(at, Array):
        raise NotCheckable(f"a derivative with respect to the matrix {var}")

    def d(v: Any) -> Any:
        return guard_expr(sympy.diff(v, x).subs(x, at))

    return value.map(d) if isinstance(value, Array) else d(value)


def guard_expr(x: Any) -> Any:
    if isinstance(x, sympy.Basic) and sympy.count_ops(x) > 5_000:
        raise TooLarge("an expression too large to check")
    return x


def _eval(node: Node, env: Mapping[str, Binding], a: Any) -> Any:
    if isinstance(node, Num):
        return a.num(node.value)
    if isinstance(node, Rounded):
        return a.rounded(node)
    if isinstance(node, Const):
        return a.const(node.name)
    if isinstance(node, Ref):
        der = derivative_of(node.name, env if not isinstance(env, _Expanding) else env.base)
        if der is not None and not (isinstance(env, _Expanding) and node.name == env.var):
            value = differentiate(Ref(der[0]), der[1], env if not isinstance(env, _Expanding) else env.base)
            return value if a is EXACT else _lift(value, a.from_exact)
        b = env[node.name]
        if a is EXACT:
            return b.exact
        if b.interval is not None:
            return b.interval
        return _lift(b.exact, a.from_exact)
    if isinstance(node, Op) and node.op in ("diff", "grad", "apply", "apply_prime"):
        value = _calculus(node, env)
        return value if a is EXACT else _lift(value, a.from_exact)
    if isinstance(node, Mat):
        rows = tuple(tuple(_scalar(_eval(x, env, a)) for x in row) for row in node.rows)
        if len(rows) * len(rows[0]) > MAX_SIZE:
            raise TooLarge("a matrix too large to check here")
        return Array(rows)
    if isinstance(node, Func):
        args = [_eval(x, env, a) for x in node.args]
        if node.name == "det":
            return _det(args[0], a)
        if node.name == "norm":
            return _norm(args[0], args[1], a)
        if node.name == "softmax":
            return _softmax(args[0], a)
        if node.name in ("max", "min"):
            if any(isinstance(x, Array) for x in args):
                if len(args) != 1:
                    raise NotCheckable(f"{node.name} of matrices")
                args = list(args[0].entries())
            return a.func(node.name, args)
        if any(isinstance(x, Array) for x in args[1:]):
            raise NotCheckable(f"a matrix as the base of {node.name}")
        if isinstance(args[0], Array):
            return args[0].map(lambda x: a.func(node.name, [x, *args[1:]]))
        return a.func(node.name, args)
    if isinstance(node, Op):
        args = [_eval(x, env, a) for x in node.args]
        return _OPS[node.op](a, *args)
    raise NotCheckable(f"cannot evaluate {type(node).__name__}")  # pragma: no cover


def _calculus(node: Op, env: Mapping[str, Binding]) -> Any:
    """Derivatives (``diff``, ``grad``) and calls of functions the document defined (``apply``)."""
    if node.op == "diff":
        body, var = node.args
        return differentiate(body, var.name, env)
    if node.op == "grad":
        body, var = node.args
        value = _eval(body, _Free(env) if not isinstance(env, (_Free, _Expanding)) else env, EXACT)
        if isinstance(value, Array):
            raise NotCheckable("the gradient of a matrix")
        names = sorted(
            (
                s.name
                for s in getattr(value, "free_symbols", ())
                if re.fullmatch(re.escape(var.name) + r"_\{?\w+\}?", s.name)
            ),
            key=_natural,
        )
        if not names:
            raise NotCheckable(f"no component of {var.name} to differentiate by")
        return Array(tuple((differentiate(body, n, env),) for n in names))
    fname = node.args[0].name
    args = [_eval(x, env, EXACT) for x in node.args[1:]]
    functions = env.functions() if isinstance(env, (_Free, _Expanding)) else env
    found = [(k, b) for k, b in functions.items() if k.startswith(fname + "(") and len(b.params) == len(args)]
    if not found:
        raise Unbound({fname})
    _, b = found[-1]
    if any(isinstance(v, Array) for v in args):
        raise NotCheckable(f"the function {fname} applied to a matrix")
    # The function's value was computed where it was defined, in its own argument names: substitute.
    if node.op == "apply":
        point = {symbol(p): v for p, v in zip(b.params, args)}
        return _lift(b.exact, lambda e: guard_expr(sympy.sympify(e).subs(point, simultaneous=True)))
    (p,) = b.params
    return _lift(b.exact, lambda e: guard_expr(sympy.diff(sympy.sympify(e), symbol(p)).subs(symbol(p), args[0])))


def _natural(name: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def _softmax(x: Any, a: Any) -> Any:
    """softmax of a vector: each e^{x_k} over the sum of all of them (a vector of the same shape)."""
    if not isinstance(x, Array):
        raise NotCheckable("softmax of a single number")
    exps = x.map(lambda v: a.func("exp", [v]))
    total = None
    for e in exps.entries():
        total = e if total is None else a.add(total, e)
    inverse = a.inv(total)
    return exps.map(lambda e: a.mul(e, inverse))


def _norm(x: Any, p: Any, a: Any) -> Any:
    entries = x.entries() if isinstance(x, Array) else [x]
    which = int(p) if a is EXACT else int(p.a)
    if which == 1:
        total = a.func("abs", [entries[0]])
        for e in entries[1:]:
            total = a.add(total, a.func("abs", [e]))
        return total
    if which == 0:
        return a.func("max", [a.func("abs", [e]) for e in entries])
    total = a.mul(entries[0], entries[0])
    for e in entries[1:]:
        total = a.add(total, a.mul(e, e))
    return a.pow(total, a.num(sympy.Rational(1, 2)))


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
    return (
        r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
        - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
        + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0])
    )


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
