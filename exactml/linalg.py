"""Exact linear algebra on sympy's DomainMatrix.

Integer data live over ZZ and rational data over QQ — with python-flint
installed both are FLINT matrices (``fmpz_mat``/``fmpq_mat``) underneath;
symbolic data live over a polynomial ring or sympy's EX domain.  Results
convert back to sympy objects only at the end, and only as much as needed.
"""

from __future__ import annotations

from typing import Any, Sequence

import sympy
from sympy import QQ, ZZ
from sympy.polys.matrices import DomainMatrix

from .exact import IntegerRows, SingularMatrixError

try:  # sympy stores ZZ/QQ matrices in FLINT when python-flint is its ground type
    from sympy.external.gmpy import GROUND_TYPES
    from sympy.polys.matrices._dfm import DFM

    _FLINT = GROUND_TYPES == "flint"
except ImportError:  # pragma: no cover - older sympy
    _FLINT = False


def domain_matrix(rows: Sequence[Sequence[Any]]) -> DomainMatrix:
    """An exact DomainMatrix from rows of ints, Rationals or symbolic values."""
    # The dense constructor stores ZZ/QQ matrices as FLINT matrices when
    # python-flint is installed (sympy's DFM), else as lists of ints/fractions.
    n, m = len(rows), len(rows[0]) if rows else 0
    if isinstance(rows, IntegerRows) or all(set(map(type, r)) == {int} for r in rows):
        if _FLINT:  # hand the Python ints straight to fmpz_mat: no per-entry conversion
            return DomainMatrix.from_rep(DFM(rows if isinstance(rows, list) else list(rows), (n, m), ZZ))
        return DomainMatrix([[ZZ(x) for x in r] for r in rows], (n, m), ZZ)
    if all(isinstance(x, (int, sympy.Rational)) for r in rows for x in r):
        return DomainMatrix(
            [[QQ(int(x.p), int(x.q)) if isinstance(x, sympy.Rational) else QQ(x) for x in r] for r in rows],
            (n, m),
            QQ,
        )
    return DomainMatrix.from_list_sympy(n, m, [[sympy.sympify(x) for x in r] for r in rows])


def design_matrix(rows: Sequence[Sequence[Any]], intercept: bool) -> DomainMatrix:
    """The design matrix: ``rows`` with a leading column of ones when ``intercept``.

    The widened rows live only while the matrix is built (a million of them hold 160 MB); joining
    a column of ones to a FLINT matrix instead would go through Python lists anyway, and slowly.
    """
    if not intercept:
        return domain_matrix(rows)
    widened = [[1, *r] for r in rows]
    return domain_matrix(IntegerRows(widened) if isinstance(rows, IntegerRows) else widened)


class Transposed:
    """Aᵀ without a copy: the transpose of a large matrix as a step shows it, corner entries only.

    It offers the part of DomainMatrix's interface that printers use: ``shape``, ``domain``,
    ``extract``, ``to_Matrix``.
    """

    def __init__(self, matrix: DomainMatrix):
        self.matrix = matrix
        self.domain = matrix.domain
        self.shape = matrix.shape[::-1]

    def extract(self, rows: Sequence[int], cols: Sequence[int]) -> DomainMatrix:
        return self.matrix.extract(list(cols), list(rows)).transpose()

    def to_Matrix(self) -> sympy.Matrix:
        return self.matrix.to_Matrix().T

    def __repr__(self) -> str:
        return f"<Transposed {self.shape[0]}x{self.shape[1]}>"


class ScaledMatrix:
    """An exact rational matrix stored as integer numerators over one common denominator.

    This is how FLINT's ``fmpq_mat`` arithmetic is best avoided for long
    vectors: bringing 10,000 fractions with 100-digit denominators to lowest
    terms costs more than the whole fit.  Entries are reduced only when they
    are read (``to_Matrix``, indexing), which for large data means only the
    few a printer shows.  It offers the part of DomainMatrix's interface that
    printers use: ``shape``, ``domain``, ``extract``, ``to_Matrix``.
    """

    domain = QQ

    def __init__(self, numerators: DomainMatrix, denominator: int):
        self.numerators = numerators
        self.denominator = int(denominator)
        self.shape = numerators.shape

    def extract(self, rows: Sequence[int], cols: Sequence[int]) -> "ScaledMatrix":
        return ScaledMatrix(self.numerators.extract(list(rows), list(cols)), self.denominator)

    def to_Matrix(self) -> sympy.Matrix:
        return self.numerators.to_Matrix() / self.denominator

    def to_domain_matrix(self) -> DomainMatrix:
        return self.numerators.convert_to(QQ) * QQ(1, self.denominator)

    def __getitem__(self, index: tuple[int, int]) -> sympy.Rational:
        i, j = index
        return self.numerators.getitem_sympy(i, j) / self.denominator

    def __repr__(self) -> str:
        return f"<ScaledMatrix {self.shape[0]}x{self.shape[1]} over {self.denominator}>"


def column_vector(values: Sequence[Any]) -> DomainMatrix:
    """An n×1 DomainMatrix (integer targets go to FLINT in one call)."""
    column = [[v] for v in values]
    if _FLINT and set(map(type, values)) == {int}:
        return DomainMatrix.from_rep(DFM(column, (len(column), 1), ZZ))
    return domain_matrix(column)


def unify(*mats: DomainMatrix) -> list[DomainMatrix]:
    """Bring matrices to one common domain (ZZ ⊂ QQ ⊂ QQ[t] …)."""
    first, *rest = mats
    out = [first]
    for m in rest:
        a, b = out[0].unify(m)
        out = [x.convert_to(a.domain) for x in out] + [b]
    return out


def to_field(m: DomainMatrix) -> DomainMatrix:
    return m.to_field() if not m.domain.is_Field else m


def entries(m: DomainMatrix) -> list[Any]:
    """The entries of a vector (n×1 or 1×n) as sympy values."""
    return [m.domain.to_sympy(x) for x in m.to_list_flat()]


def linear_relation(m: DomainMatrix, names: Sequence[str]) -> tuple[list[str], dict[str, Any]] | None:
    """A linear dependence among the columns of ``m``, if there is one.

    Returns the names of the columns involved and the coefficients of one
    relation Σ cⱼ·columnⱼ = 0, scaled so that the last involved column has
    coefficient 1 (so it equals minus the others).
    """
    null = to_field(m).nullspace()
    if null.shape[0] == 0:
        return None
    vec = [null.domain.to_sympy(x) for x in null.to_list()[0]]
    involved = [j for j, c in enumerate(vec) if c != 0]
    last = involved[-1]
    coeffs = {names[j]: sympy.simplify(vec[j] / vec[last]) for j in involved}
    return [names[j] for j in involved], coeffs


def solve(a: DomainMatrix, b: DomainMatrix, names: Sequence[str], what: str = "X^T X") -> DomainMatrix:
    """Solve ``a·x = b`` exactly; a singular ``a`` raises SingularMatrixError naming its columns."""
    a, b = unify(a, b)
    a, b = to_field(a), to_field(b)
    if a.rank() < a.shape[0]:
        raise singular_error(a, names, what)
    return a.lu_solve(b)


def singular_error(a: DomainMatrix, names: Sequence[str], what: str) -> SingularMatrixError:
    found = linear_relation(a, names)
    if found is None:  # pragma: no cover - singular implies a null vector
        return SingularMatrixError(f"{what} is singular")
    involved, coeffs = found
    last = involved[-1]
    rhs = sum((-coeffs[n] * sympy.Symbol(n) for n in involved[:-1]), sympy.Integer(0))
    relation = f"{last} = {sympy.sstr(rhs)}" if involved[:-1] else f"{last} = 0"
    listed = ", ".join(repr(n) for n in involved)
    return SingularMatrixError(
        f"{what} is singular, so the normal equations have no unique solution: "
        f"the columns {listed} are linearly dependent ({relation}). "
        "Drop one of them, or pass alpha > 0 for exact ridge regression.",
        dependent=involved,
        relation=coeffs,
    )
