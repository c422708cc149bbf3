"""Two arithmetics for evaluating claims: exact (sympy) and interval (mpmath), with the size guard.

:data:`EXACT` computes with sympy numbers — Rationals, surds, ``e``,
logarithms — and takes each decimal at face value (``0.731`` is 731/1000).
:data:`INTERVAL` computes with mpmath intervals and lets each decimal stand
for everything that rounds to it (``0.731`` is [0.7305, 0.7315]).  Both
offer the same small set of operations, so one walk over an expression
tree (:mod:`.evaluate`) serves both.

The size guard lives here: powers, factorials and exponentials whose result
would be astronomically large raise :class:`~.expr.TooLarge` before they are
computed, so ``2^{2^{64}}`` is refused at once.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import sympy
from mpmath import iv
from mpmath.libmp import from_int, mpf_div, round_ceiling, round_floor

from ..decimals import surd
from .expr import Rounded, TooLarge

MAX_BITS = 14_000  # size of one exact rational: 4,214 digits, within Python's 4,300-digit str() limit
MAX_EXPONENT = 10_000
MAX_FACTORIAL = 1_000
MAX_EXP_ARG = 10**6
MAX_SIZE = 400  # entries of one matrix
iv.prec = 120
ROOTS_KEPT = 4096  # roots of rationals remembered (see Exact.pow)
_ROOTS: dict[tuple[int, int, int, int], Any] = {}


class NotCheckable(ValueError):
    """The value exists but cannot be judged (a complex number, a shape mismatch, …)."""


def _bits(q: sympy.Rational) -> int:
    return max(int(q.p).bit_length(), int(q.q).bit_length())


def guard(x: Any) -> Any:
    if isinstance(x, sympy.Rational) and _bits(x) > MAX_BITS:
        raise TooLarge("the numbers grow too large to check exactly")
    return x


class Exact:
    name = "exact"

    def num(self, q: sympy.Rational) -> Any:
        return q

    def rounded(self, r: Rounded) -> Any:
        return r.value

    def const(self, name: str) -> Any:
        return sympy.E if name == "E" else sympy.pi

    def add(self, a: Any, b: Any) -> Any:
        return guard(a + b)

    def mul(self, a: Any, b: Any) -> Any:
        return guard(a * b)

    def is_zero(self, a: Any) -> bool:
        if isinstance(a, sympy.Rational):
            return a == 0
        if _symbolic(a):
            return a.is_zero is True
        z = a.is_zero
        if z is None:
            z = abs(sympy.N(a, 50)) < sympy.Float(10) ** -45
        return bool(z)

    def inv(self, a: Any) -> Any:
        if self.is_zero(a):
            raise NotCheckable("division by zero")
        return guard(1 / a)

    def pow(self, a: Any, b: Any) -> Any:
        if isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational) and not b.is_Integer:
            key = (a.p, a.q, b.p, b.q)  # a root of a number (√945 = 3√105 factors 945): the same ones recur
            value = _ROOTS.get(key)
            if value is None:
                value = self._pow(a, b)
                if len(_ROOTS) >= ROOTS_KEPT:
                    _ROOTS.clear()
                _ROOTS[key] = value
            return value
        return self._pow(a, b)

    def _pow(self, a: Any, b: Any) -> Any:
        if _symbolic(a) or _symbolic(b):
            if isinstance(b, sympy.Integer) and abs(int(b)) > MAX_EXPONENT:
                raise TooLarge("a power too large to check exactly")
            return a**b
        if isinstance(b, sympy.Integer):
            if isinstance(a, sympy.Rational):
                if a not in (0, 1, -1) and abs(int(b)) * _bits(a) > MAX_BITS:
                    raise TooLarge("a power too large to check exactly")
            elif abs(int(b)) > MAX_EXPONENT:
                raise TooLarge("a power too large to check exactly")
            if b < 0 and self.is_zero(a):
                raise NotCheckable("division by zero")
        elif isinstance(b, sympy.Rational):
            if abs(b.p) > MAX_EXPONENT or b.q > 1000:
                raise TooLarge("a power too large to check exactly")
            if isinstance(a, sympy.Rational) and abs(b.p) * _bits(a) > MAX_BITS:
                raise TooLarge("a power too large to check exactly")
        else:
            size = _magnitude(b)
            if size > MAX_EXPONENT:
                raise TooLarge("a power too large to check exactly")
        value = a**b
        if value.has(sympy.I) or value.has(sympy.zoo, sympy.nan):
            raise NotCheckable("not a real number")
        return guard(value)

    def func(self, name: str, args: list) -> Any:
        x = args[0]
        if any(_symbolic(v) for v in args):
            return _symbolic_func(name, args)
        if name in ("tanh", "relu", "max", "min", "floor", "ceil", "softplus"):
            if name == "tanh":
                if _magnitude(x) > MAX_EXP_ARG:
                    raise TooLarge("a tanh too large to check exactly")
                return sympy.tanh(x)
            if name == "softplus":
                return sympy.log(1 + self.func("exp", [x]))
            if name == "relu":
                return x if _positive(x) else sympy.Integer(0)
            if name in ("max", "min"):
                best = args[0]
                for v in args[1:]:
                    bigger = _positive(v - best)
                    if (name == "max") == bigger and not self.is_zero(v - best):
                        best = v
                return best
            return sympy.floor(x) if name == "floor" else sympy.ceiling(x)
        if name == "exp":
            if _magnitude(x) > MAX_EXP_ARG:
                raise TooLarge("an exponential too large to check exactly")
            return sympy.exp(x)
        if name == "log":
            base = args[1]
            if not _positive(x) or not _positive(base) or self.is_zero(base - 1):
                raise NotCheckable("the logarithm of a number that is not positive")
            return sympy.log(x) if base == sympy.E else sympy.log(x, base)
        if name == "abs":
            return sympy.Abs(x)
        if name == "sigmoid":
            return 1 / (1 + self.func("exp", [-x]))
        if name == "sigmoid_prime":
            s = self.func("sigmoid", [x])
            return s * (1 - s)
        if name == "factorial":
            if not (isinstance(x, sympy.Integer) and 0 <= x <= MAX_FACTORIAL):
                raise (
                    TooLarge("a factorial too large to check exactly")
                    if isinstance(x, sympy.Integer) and x > 0
                    else NotCheckable("a factorial of something that is not a whole number")
                )
            return sympy.factorial(x)
        if name in ("sin", "cos", "tan"):
            return getattr(sympy, name)(x)
        raise NotCheckable(f"the function {name}")

    def from_exact(self, x: Any) -> Any:
        return x


def _symbolic(x: Any) -> bool:
    return isinstance(x, sympy.Basic) and bool(x.free_symbols)


def _symbolic_func(name: str, args: list) -> Any:
    """A function of an expression with symbols (identities, derivatives)."""
    x = args[0]
    table = {
        "exp": sympy.exp,
        "abs": sympy.Abs,
        "tanh": sympy.tanh,
        "sin": sympy.sin,
        "cos": sympy.cos,
        "tan": sympy.tan,
        "floor": sympy.floor,
        "ceil": sympy.ceiling,
    }
    if name in table:
        return table[name](x)
    if name == "log":
        return sympy.log(x) if args[1] == sympy.E else sympy.log(x) / sympy.log(args[1])
    if name == "sigmoid":
        return 1 / (1 + sympy.exp(-x))
    if name == "sigmoid_prime":
        s = 1 / (1 + sympy.exp(-x))
        return s * (1 - s)
    if name == "softplus":
        return sympy.log(1 + sympy.exp(x))
    if name == "relu":
        return sympy.Max(0, x)
    if name == "max":
        return sympy.Max(*args)
    if name == "min":
        return sympy.Min(*args)
    raise NotCheckable(f"the function {name} of an expression with unknowns")


def _magnitude(x: Any) -> float:
    try:
        v = sympy.N(x, 15)
        return float(abs(v)) if v.is_real else float("inf")
    except (TypeError, ValueError):
        return float("inf")


def _positive(x: Any) -> bool:
    if isinstance(x, sympy.Rational):
        return x > 0
    v = sympy.N(x, 30)
    return bool(v.is_real and v > 0)


class Interval:
    """Interval arithmetic; ``loose(r)`` says which decimals stand for everything that rounds to them (default: all)."""

    name = "interval"

    def __init__(self, loose: Any = None) -> None:
        self.loose = loose

    def num(self, q: sympy.Rational) -> Any:
        return _quotient(int(q.p), int(q.q))

    def rounded(self, r: Rounded) -> Any:
        if self.loose is not None and not self.loose(r):
            return self.num(r.value)
        p, q, scale = int(r.value.p), int(r.value.q), 2 * 10**r.places  # value ± 1/scale, over one denominator
        lo, hi = _reduced(scale * p - q, scale * q), _reduced(scale * p + q, scale * q)
        return iv.make_mpf((lo._mpi_[0], hi._mpi_[1]))

    def const(self, name: str) -> Any:
        return iv.e if name == "E" else iv.pi

    def add(self, a: Any, b: Any) -> Any:
        return a + b

    def mul(self, a: Any, b: Any) -> Any:
        return a * b

    def is_zero(self, a: Any) -> bool:
        if a.a <= 0 <= a.b:
            raise NotCheckable("the rounding of the stated numbers allows a division by zero")
        return False

    def inv(self, a: Any) -> Any:
        self.is_zero(a)
        return 1 / a

    def pow(self, a: Any, b: Any) -> Any:
        if b.a == b.b and b.a == int(b.a):
            n = int(b.a)
            if abs(n) > MAX_EXPONENT:
                raise TooLarge("a power too large to check exactly")
            if n < 0:
                return self.inv(a ** (-n))
            return a**n
        if not a.a > 0:
            raise NotCheckable("a non-integer power of a number that may be negative")
        return iv.exp(b * iv.log(a))

    def func(self, name: str, args: list) -> Any:
        x = args[0]
        if name == "exp":
            return iv.exp(x)
        if name == "log":
            if not (x.a > 0 and args[1].a > 0):
                raise NotCheckable("the logarithm of a number that may not be positive")
            return iv.log(x) / iv.log(args[1])
        if name == "abs":
            return abs(x)
        if name == "sigmoid":
            return 1 / (1 + iv.exp(-x))
        if name == "sigmoid_prime":
            s = self.func("sigmoid", [x])
            return s * (1 - s)
        if name in ("sin", "cos", "tan"):
            return getattr(iv, name)(x)
        if name == "tanh":
            e = iv.exp(2 * x)
            return 1 - 2 / (e + 1)
        if name == "softplus":
            return iv.log(1 + iv.exp(x))
        if name == "relu":
            return iv.mpf([max(0, x.a), max(0, x.b)])
        if name in ("max", "min"):
            pick = max if name == "max" else min
            return iv.mpf([pick(v.a for v in args), pick(v.b for v in args)])
        if name in ("floor", "ceil"):
            import math

            f = math.floor if name == "floor" else math.ceil
            lo, hi = f(float(x.a)), f(float(x.b))
            if lo != hi:
                raise NotCheckable(f"the {name} of a rounded number that may lie either side of a whole number")
            return iv.mpf(lo)
        raise NotCheckable(f"the function {name} over rounded numbers")

    def from_exact(self, x: Any) -> Any:
        """A tight interval around an exact value."""
        if isinstance(x, sympy.Rational):
            return self.num(x)
        v = sympy.N(x, 45)
        if not v.is_real:
            raise NotCheckable("not a real number")
        mid = iv.mpf(str(v))
        eps = abs(mid) * iv.mpf("1e-38") + iv.mpf("1e-300")
        return iv.mpf([(mid - eps).a, (mid + eps).b])


def _quotient(p: int, q: int) -> Any:
    """The interval ``iv.mpf(p) / iv.mpf(q)`` (q > 0): for integers that fit the working precision, its two
    ends are the quotient rounded down and up — the same ends, without mpmath's conversions (a hot path)."""
    prec = iv.prec
    if p.bit_length() > prec or q.bit_length() > prec:
        return iv.mpf(p) / iv.mpf(q)
    a, b = from_int(p), from_int(q)
    return iv.make_mpf((mpf_div(a, b, prec, round_floor), mpf_div(a, b, prec, round_ceiling)))


def _reduced(p: int, q: int) -> Any:
    """:func:`_quotient` of the fraction in lowest terms (as sympy would hold it)."""
    g = math.gcd(p, q)
    return _quotient(p // g, q // g)


EXACT = Exact()
INTERVAL = Interval()


def equal(a: Any, b: Any) -> bool:
    """Exact equality of two real numbers (sympy values).

    Rationals are compared exactly; other values are first compared to 40
    digits (different there means different), then proved equal by sympy.
    """
    if a == b:
        return True
    if _surd_and_rational(a, b) or _surd_and_rational(b, a):
        return False
    d = sympy.expand(a - b) if not (isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational)) else a - b
    if isinstance(d, sympy.Rational):
        return d == 0
    n = sympy.N(d, 50)
    if not n.is_real:
        raise NotCheckable("not a real number")
    scale = max(abs(sympy.N(a, 20)), abs(sympy.N(b, 20)), 1)
    if abs(n) > scale * sympy.Float("1e-40"):
        return False
    proved = d.equals(0)
    return proved is not False


def _surd_and_rational(a: Any, b: Any) -> bool:
    """``a = c·√k`` and ``b`` rational: never equal, and (checked here) so far apart that :func:`equal`'s
    50-digit comparison says so too.

    ``c²k − b²`` is a nonzero fraction over ``c_q² b_q²``, so ``|a − b| ≥ |a² − b²| / (|a| + |b|)
    ≥ 1 / (c_q² b_q² m)`` with ``m ≥ |a| + |b|``; :func:`equal` answers "different" once that is above
    ``10^-40`` times the larger size (at most ``m``): when ``2 c_q² b_q² m² < 10^40``.
    """
    if not isinstance(b, sympy.Rational):
        return False
    s = surd(a)
    if s is None:
        return False
    c, k = s
    m = abs(c) * (math.isqrt(k) + 1) + abs(Fraction(int(b.p), int(b.q))) + 1
    return 2 * (c.denominator * int(b.q)) ** 2 * m * m < 10**40
