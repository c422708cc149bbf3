"""Display records added for the handout's worked steps (printed by :mod:`exactml.latex.render`).

They complete the records of :mod:`exactml.derivation`: a group of related
equations shown as one aligned display, the determinant of a named matrix,
and a named quantity with indices.  Like every display record they hold
values and names, never typeset text.
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
    """A named quantity with indices, e.g. the cofactor ``C_{12}`` is ``Indexed("C", 1, 2)``."""

    name: str
    indices: tuple

    def __init__(self, name: str, *indices: Any):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "indices", tuple(indices))


@dataclass(frozen=True)
class Relation:
    """A claim between two sides, ``lhs rel rhs``, e.g. an inequality checked at a solution."""

    lhs: Any
    rel: str  # one of "=", "<", ">", "<=", ">="
    rhs: Any


@dataclass(frozen=True)
class Margin:
    """The functional margin of training point ``i`` (1-based), shown as ``y_i f(x_i)``."""

    i: int
