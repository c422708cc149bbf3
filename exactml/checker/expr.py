"""Expression trees: what one side of a claim means, independent of the parser that read it.

:mod:`.parse` produces these trees and :mod:`.evaluate` computes them.
They are small immutable records, so parses can be cached and shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import sympy


class Unparsable(ValueError):
    """This LaTeX cannot be read as arithmetic the checker can judge."""


class TooLarge(Unparsable):
    """The expression is too large to check exactly (a guard, not a verdict)."""


@dataclass(frozen=True)
class Num:
    """An exact number as written: ``12``, ``10,930,000``."""

    value: sympy.Rational


@dataclass(frozen=True)
class Rounded:
    """A decimal as written: ``0.731`` may stand for anything in [0.7305, 0.7315]."""

    value: sympy.Rational
    places: int
    text: str

    @property
    def half(self) -> sympy.Rational:
        return sympy.Rational(1, 2 * 10**self.places)


@dataclass(frozen=True)
class Ref:
    """A name: ``X``, ``z^{[2]}``, ``I_{\\text{parent}}`` (by its canonical key)."""

    name: str


@dataclass(frozen=True)
class Const:
    name: str  # "E" or "pi"


@dataclass(frozen=True)
class Op:
    op: str  # add, mul, pow, hadamard, transpose, index
    args: tuple


@dataclass(frozen=True)
class Func:
    name: str  # exp, log (arg, base), abs, sigmoid, sigmoid_prime, factorial, sin, cos, tan, det
    args: tuple


@dataclass(frozen=True)
class Mat:
    """A matrix written out entry by entry (tuples are column vectors)."""

    rows: tuple

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0])


Node = Union[Num, Rounded, Ref, Const, Op, Func, Mat]


def children(node: Node) -> tuple:
    if isinstance(node, (Op, Func)):
        return node.args
    if isinstance(node, Mat):
        return tuple(x for row in node.rows for x in row)
    return ()


def refs(node: Node) -> set[str]:
    """The names a tree uses."""
    if isinstance(node, Ref):
        return {node.name}
    found: set[str] = set()
    for x in children(node):
        found |= refs(x)
    return found


def rounded_places(node: Node) -> list[int]:
    """The decimal places of every decimal written in the tree."""
    if isinstance(node, Rounded):
        return [node.places]
    return [p for x in children(node) for p in rounded_places(x)]


def has_rounded(node: Node) -> bool:
    return bool(rounded_places(node))
