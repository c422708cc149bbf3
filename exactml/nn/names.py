"""Display forms of a backward pass: values written by their names, and legible exponentials.

A small numeric network's derivation names each irrational activation once
(a⁽ˡ⁾ᵢ) and writes later results in those names; these helpers decide what
is short enough to print, and how.  Display only: nothing here changes a
value that :mod:`exactml.backprop` computed.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Expr

from ..arith.lazy import is_small
from ..decimals import needs_decimal
from ..derivation import Call, Neg, Sum
from ..records import Apply, Indexed, Notation, Partial
from .activations import Activation

# An exact value of at most this many nodes is printed beside its form in names (when legible).
READABLE_NODES = 24


def irrational_or_long(value: Expr) -> bool:
    # A derived value that is not a Rational is irrational here (e, logarithms);
    # only Rationals need the finer test of numbers.needs_decimal.
    return needs_decimal(value) if value.is_Rational else True


def sort_name(shown: Any) -> str:
    """The sympy name of a :class:`Named` record: equal records get one name, and names sort by kind and parts.

    sympy orders the terms and factors of an expression by its symbols' names, so this name decides
    how a result written in names reads.  Kinds come in the order the derivation has always printed
    them — a slope f'(zᵢ) (``A``), the loss L, the error signal δ (a :class:`Notation`, ``N``), a
    derivative ∂/∂ (``P``), then the activations a and the weighted inputs z — and within a kind by
    layer, then index: ``a⁽¹⁾₂ (1 - a⁽¹⁾₂)(1 - a⁽²⁾)``.
    """
    if isinstance(shown, Indexed):
        layer = "" if shown.layer is None else f"^[{shown.layer}]"
        indices = f"_[{shown.sep.join(map(sort_name, shown.indices))}]" if shown.indices else ""
        return sort_name(shown.name) + layer + indices
    if isinstance(shown, Notation):
        return "N" + shown.key + (f"({','.join(map(sort_name, shown.args))})" if shown.args else "")
    if isinstance(shown, Partial):
        return f"P{sort_name(shown.of)}/{sort_name(shown.by)}"
    if isinstance(shown, Apply):
        return f"A{sort_name(shown.name)}({','.join(map(sort_name, shown.args))})"
    return str(shown)


class Named(sympy.Symbol):
    """A value already shown, written by its name in later displays (a⁽²⁾); display only.

    ``shown`` is the name as a display record (``Indexed("a", layer=2)``, ``Apply(Notation("prime", …), …)``)
    or a plain letter (``"L"``); the printers write it (``_print_Named``).
    """

    shown: Any

    def __new__(cls, shown: Any, **assumptions: Any) -> Named:
        named = super().__new__(cls, sort_name(shown), **assumptions)
        named.shown = shown  # the symbol's name is a key for the record: equal records, one symbol
        return named

    def __getnewargs_ex__(self) -> tuple:
        return ((self.shown,), self.assumptions0)


class InlineExp(sympy.Function):
    """``e^{(5 - e)/(1 + e)}``: a fractional exponent kept on one line (display only).

    Stacked in a superscript, the fraction would be set at a third of the text size.
    """

    def _eval_is_real(self) -> bool:
        return True

    def _eval_is_positive(self) -> bool:
        return True

    def _eval_evalf(self, prec: int) -> Any:
        return sympy.exp(self.args[0])._eval_evalf(prec)


def legible(value: Any) -> Any:
    if not isinstance(value, sympy.Basic):
        return value
    return value.replace(
        lambda n: isinstance(n, sympy.exp) and sympy.fraction(n.args[0])[1] != 1, lambda n: InlineExp(n.args[0])
    )


def exp_depth(value: Any) -> int:
    """How deeply exponentials (and other functions but ln) of non-integers nest: e^{-1} is 0, σ(z⁽²⁾) 1."""
    if not isinstance(value, sympy.Basic) or value.is_Atom:
        return 0
    inner = max((exp_depth(a) for a in value.args), default=0)
    nests = isinstance(value, sympy.Function) and not isinstance(value, sympy.log)
    return inner + 1 if nests and not all(a.is_Integer for a in value.args) else inner


def has_fraction(value: Expr) -> bool:
    return any(n.is_Pow and n.exp.is_negative for n in sympy.preorder_traversal(value))


def is_plain(value: Expr) -> bool:
    """Short enough to print after the names: rational, or a short rational function of e."""
    return value.is_Rational or (is_small(value, READABLE_NODES) and exp_depth(value) == 0)


def is_defining(value: Expr) -> bool:
    """Short enough to print where a name is defined: one level of exponentials at most."""
    return value.is_Rational or (is_small(value, READABLE_NODES) and exp_depth(value) <= 1)


def applied(f: Activation, z: Any) -> Any:
    """f(z) for a display: σ(1) for a number, 1/(1 + e^{-z⁽²⁾}) for a name; nothing for a bare tanh(z⁽²⁾)."""
    if not isinstance(z, Named):
        return Call(f.symbol, z)
    value = f.value(z)
    return None if isinstance(value, Named) or (value.is_Function and value.args == (z,)) else value


def minus(a: Any, b: Expr) -> Sum:
    """``a - b`` shown as a sum; ``2 - (-x)`` is written ``2 + x``."""
    return Sum([a, -b]) if b.could_extract_minus_sign() else Sum([a, Neg(b)])


def same(a: Any, b: Any) -> bool:
    # Identity first: the values of a large pass share subexpressions, and comparing them as trees
    # would walk every copy.
    if a is b:
        return True
    if isinstance(a, sympy.Basic) != isinstance(b, sympy.Basic) or not (is_small(a) and is_small(b)):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False
