"""Kernels and the feature maps behind them, exactly.

A kernel K(x, z) is an inner product φ(x)ᵀφ(z) in some feature space,
computed without forming φ.  Here:

* :func:`linear` — xᵀz (φ is the identity);
* :func:`polynomial` — (xᵀz + c)^d;
* :func:`xor_map` — the map φ(x) = (x₁, x₂, x₁x₂) that makes XOR separable;
* :func:`poly2_map` — the explicit map of (xᵀz + c)², with √2 and √(2c)
  entries (irrational, so kept symbolic);
* :func:`gram` — the matrix K(xᵢ, xⱼ), in integers when the data are integers;
* :func:`kernel_identity` — a derivation step proving (xᵀz + c)² = φ(x)ᵀφ(z)
  by symbolic expansion, key ``kernel_identity``.

>>> polynomial([1, 2], [3, 4])
144
>>> poly2_map([1, 2])
(1, 4, 2*sqrt(2), sqrt(2), 2*sqrt(2), 1)
"""

from __future__ import annotations

from itertools import combinations
from typing import Any, Sequence

import sympy

from ..derivation import Equation, Neg, Note, Product, Step, Sum, Table
from ..exact import exact
from ..records import Notation, Power

__all__ = ["linear", "polynomial", "xor_map", "poly2_map", "gram", "kernel_identity"]


def _dot(x: Sequence[Any], z: Sequence[Any]) -> Any:
    if len(x) != len(z):
        raise ValueError(f"a kernel needs two vectors of the same length; got {len(x)} and {len(z)}")
    return sum((a * b for a, b in zip(x, z)), 0)


def linear(x: Sequence[Any], z: Sequence[Any]) -> Any:
    """The linear kernel xᵀz.

    >>> linear([1, 2], [2, 3])
    8
    """
    return _dot(x, z)


def polynomial(x: Sequence[Any], z: Sequence[Any], degree: int = 2, coef0: Any = 1) -> Any:
    """The polynomial kernel (xᵀz + coef0)^degree."""
    return (_dot(x, z) + coef0) ** degree


def xor_map(x: Sequence[Any]) -> tuple:
    """φ(x) = (x₁, x₂, x₁x₂): the product coordinate lifts XOR into a separable 3-D set.

    >>> [xor_map(p) for p in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
    """
    if len(x) != 2:
        raise ValueError(f"the XOR map takes points with two coordinates; got {len(x)}")
    return (x[0], x[1], x[0] * x[1])


def poly2_coordinates(p: int, coef0: Any = 1) -> list[tuple[Any, tuple[int, ...]]]:
    """The terms of φ for (xᵀz + c)² in p dimensions: (coefficient, indices multiplied)."""
    c = exact(coef0)
    terms = [(sympy.Integer(1), (i, i)) for i in range(p)]
    terms += [(sympy.sqrt(2), (i, j)) for i, j in combinations(range(p), 2)]
    terms += [(sympy.sqrt(2 * c), (i,)) for i in range(p)]
    terms.append((c, ()))
    return terms


def poly2_map(x: Sequence[Any], coef0: Any = 1) -> tuple:
    """The explicit feature map φ with (xᵀz + coef0)² = φ(x)ᵀφ(z).

    In two dimensions with coef0 = 1 it is the six-dimensional
    (x₁², x₂², √2x₁x₂, √2x₁, √2x₂, 1).
    """
    c = exact(coef0)
    if c.is_number and c < 0:
        raise ValueError(f"coef0 must be 0 or positive for a real feature map; got {coef0}")
    out = []
    for coef, idx in poly2_coordinates(len(x), c):
        value = coef
        for i in idx:
            value = value * x[i]
        out.append(sympy.expand(value))
    return tuple(out)


def gram(rows: Sequence[Sequence[Any]], kernel: str = "linear", degree: int = 2, coef0: Any = 1) -> list[list[Any]]:
    """The kernel matrix K[i][j] = K(xᵢ, xⱼ), symmetric, computed once per pair.

    Integer data stay Python ints (exact and fast); rationals become sympy Rationals.
    """
    n = len(rows)
    dots = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            dots[i][j] = dots[j][i] = _dot(rows[i], rows[j])
    if kernel == "linear":
        return dots
    if kernel == "poly":
        c = coef0
        return [[(v + c) ** degree for v in r] for r in dots]
    raise ValueError(f"unknown kernel {kernel!r}; choose 'linear' or 'poly'")


def kernel_identity(p: int = 2, coef0: Any = 1) -> Step:
    """Prove (xᵀz + c)² = φ(x)ᵀφ(z) for the explicit map, by expanding both sides with sympy."""
    c = exact(coef0)
    xs = sympy.symbols(f"x_1:{p + 1}")
    zs = sympy.symbols(f"z_1:{p + 1}")
    lhs = (sum(a * b for a, b in zip(xs, zs)) + c) ** 2
    phi_x, phi_z = poly2_map(xs, c), poly2_map(zs, c)
    products = [sympy.expand(a * b) for a, b in zip(phi_x, phi_z)]
    expanded = sympy.expand(lhs)
    difference = sympy.expand(expanded - sum(products))
    square = Power(Sum([Notation("xTz"), c]), 2)
    if difference != 0:  # pragma: no cover - an algebra error would be a bug, never shown as proof
        raise AssertionError(f"kernel identity failed: difference {difference}")
    return Step(
        "kernel_identity",
        r"The kernel as an inner product",
        why=(
            r"A kernel is useful because it equals an inner product of mapped points while costing only "
            r"one inner product of the original points. Expanding both sides term by term shows the two "
            r"agree as polynomials, for every $x$ and $z$."
        ),
        how=[
            Equation(Notation("phi_x"), tuple(phi_x), approx=False),
            Equation(square, lhs, expanded, approx=False),
            Table(
                ["$k$", Notation("phi_k_x"), Notation("phi_k_z"), Notation("phi_k_x_phi_k_z")],
                [[k + 1, a, b, ab] for k, (a, b, ab) in enumerate(zip(phi_x, phi_z, products))],
                align="rccc",
            ),
            Equation(Notation("phiT_phi"), Sum(products), approx=False),
            Note(
                r"Every term of the one expansion appears in the other with the same coefficient, so the "
                r"difference expands to zero:"
            ),
            Equation(Sum([square, Neg(Notation("phiT_phi"))]), difference, approx=False),
        ],
        result=difference == 0,
    )


def feature_products(x: Sequence[Any], z: Sequence[Any]) -> Sum:
    """xᵀz shown as its products, for derivations: x₁z₁ + x₂z₂ + …"""
    return Sum([Product([a, b]) for a, b in zip(x, z)])
