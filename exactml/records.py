"""Display records beyond those of :mod:`exactml.derivation` (printed by :mod:`exactml.latex.render`).

A group of related equations shown as one aligned display; the determinant,
adjugate, inverse or an entry of a matrix; a quantity with indices (a network's
layer among them); a partial derivative; a claim between two sides; and the
pieces of a worked formula as it is written by hand — a fraction left
unreduced, a power, a logarithm, factors side by side, a function applied.  :class:`Notation` names a quantity whose typesetting is
fixed (``Notation("sse")``); how it is written lives in
:mod:`exactml.latex.notation`.  Like every display record they hold values
and names, never typeset text: one record, one printer method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Aligned:
    """Related equations shown together in one display, aligned at their first relation.

    ``across`` sets short ones side by side on one line instead (``X = …  y = …``).
    """

    equations: tuple
    across: bool = False

    def __init__(self, equations: Sequence, across: bool = False):
        object.__setattr__(self, "equations", tuple(equations))
        object.__setattr__(self, "across", across)


@dataclass(frozen=True)
class Det:
    """The determinant of a matrix, shown as ``det(A)``; ``of`` is a matrix or the matrix's name."""

    of: Any


@dataclass(frozen=True)
class Adj:
    """The adjugate (transposed matrix of cofactors) of a matrix, shown as ``adj(A)``."""

    of: Any


@dataclass(frozen=True)
class Indexed:
    """A named quantity with indices, e.g. the cofactor ``C_{12}`` is ``Indexed("C", 1, 2)``.

    ``name`` is a plain letter or a :class:`Notation` symbol (``Indexed(Notation("mu"), 1)`` is μ₁);
    ``sep`` goes between the indices (``μ_{1,2}`` has ``sep=","``); ``layer`` is a network layer, written
    above (``Indexed("W", 1, 2, layer=1)`` is W^{[1]}_{12}); ``transposed`` adds a transpose, above too
    (``Indexed("a", layer=1, transposed=True)`` is a^{[1]T}, ``Indexed("x", transposed=True)`` is xᵀ).
    """

    name: Any
    indices: tuple
    sep: str = ""
    layer: int | None = None
    transposed: bool = False

    def __init__(self, name: Any, *indices: Any, sep: str = "", layer: int | None = None, transposed: bool = False):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "indices", tuple(indices))
        object.__setattr__(self, "sep", sep)
        object.__setattr__(self, "layer", layer)
        object.__setattr__(self, "transposed", transposed)

    def entry(self, index: Any) -> Indexed:
        """The same name with one more index: entry ``index`` of the vector ``a^{[1]}`` is ``a^{[1]}_{index}``."""
        return Indexed(self.name, *self.indices, index, sep=self.sep, layer=self.layer, transposed=self.transposed)


@dataclass(frozen=True)
class Partial:
    """The partial derivative of ``of`` with respect to ``by``, shown as the fraction ∂of/∂by."""

    of: Any
    by: Any


@dataclass(frozen=True)
class Relation:
    """A claim between two sides, ``lhs rel rhs``, e.g. an inequality checked at a solution."""

    lhs: Any  # None for a one-sided condition, ``<= 5/2``
    rel: str  # one of "=", "<", ">", "<=", ">=", "approx" (≈)
    rhs: Any


@dataclass(frozen=True)
class Margin:
    """The functional margin of training point ``i`` (1-based), shown as ``y_i f(x_i)``."""

    i: int


# ----------------------------------------------------------------- notation by name
@dataclass(frozen=True)
class Notation:
    """A quantity with fixed notation, named by a key of :data:`exactml.latex.notation.NOTATION`.

    Algorithm code says *which* quantity (``Notation("sse")``); the printer knows how it is written
    (``\\mathrm{SSE}``).  A notation with slots takes ``args``, printed in place of ``#1``, ``#2``, …
    as in a TeX macro: ``Notation("dL_dw_k", 2)`` is ∂L/∂w₂.
    """

    key: str
    args: tuple = ()

    def __init__(self, key: str, *args: Any):
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "args", tuple(args))


@dataclass(frozen=True)
class Frac:
    """A fraction shown as written, unreduced: ``Frac(2, 4)`` is two quarters, not one half."""

    num: Any
    den: Any


@dataclass(frozen=True)
class Power:
    """``base`` raised to ``exp``, shown as written (a fraction or a sum as base is bracketed)."""

    base: Any
    exp: Any


@dataclass(frozen=True)
class Log:
    """The base-``base`` logarithm of ``arg`` applied without brackets: ``log₂ 3``."""

    arg: Any
    base: int = 2


@dataclass(frozen=True)
class Juxtaposed:
    """Factors written side by side with no multiplication sign: ``(1/4) log₂ (1/4)``, ``(1/n)(…)``."""

    factors: tuple

    def __init__(self, *factors: Any):
        object.__setattr__(self, "factors", tuple(factors))


@dataclass(frozen=True)
class Apply:
    """A function applied to short arguments, in plain brackets: ``d(q, x_1)``, ``det(XᵀX)``.

    ``name`` is a plain letter or a :class:`Notation` function.
    """

    name: Any
    args: tuple

    def __init__(self, name: Any, *args: Any):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "args", tuple(args))


@dataclass(frozen=True)
class Inverse:
    """The inverse of a matrix named by ``of``, shown as ``(of)^{-1}``."""

    of: Any


@dataclass(frozen=True)
class Entry:
    """Entry ``indices`` of a named matrix, shown as ``(XᵀX)_{12}``."""

    of: Any
    indices: tuple

    def __init__(self, of: Any, *indices: Any):
        object.__setattr__(self, "of", of)
        object.__setattr__(self, "indices", tuple(indices))
