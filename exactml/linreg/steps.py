"""Linear regression by the normal equations, exactly.

Step keys of ``LinearRegression.derivation_`` (stable; tests, the handout
and the checker rely on them):

``data``        the training data as given
``design``      the design matrix X, with its column of ones
``xt``          Xᵀ
``xtx``         XᵀX, entry by entry for small data
``xty``         Xᵀy, entry by entry for small data
``ridge``       XᵀX + αD (only when ``alpha > 0``)
``xtx_inv``     (XᵀX)⁻¹ as adjugate over determinant
``w``           w = (XᵀX)⁻¹Xᵀy
``model``       the fitted equation ŷ = w₀ + w₁x₁ + …
``predictions`` ŷ = Xw
``residuals``   y − ŷ
``sse``         the sum of squared errors
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import sympy
from sympy import QQ, ZZ

from .. import linalg
from ..derivation import Derivation, Equation, Grid, Name, Neg, Note, Product, Step, Sum, Table
from ..records import Adj, Aligned, Apply, Det, Entry, Indexed, Inverse, Notation

# Entry-by-entry expansions are shown only while they stay readable.
EXPAND_MAX_ROWS = 10
EXPAND_MAX_COLS = 4


# ------------------------------------------------------------------ derivation
def normal_equations(
    rows: list[list[Any]],
    y: list[Any],
    feature_names: Sequence[str],
    fit_intercept: bool = True,
    alpha: Any = 0,
) -> Derivation:
    """Derive w = (XᵀX)⁻¹Xᵀy step by step from validated exact data."""
    n = len(rows)
    columns = (["intercept"] if fit_intercept else []) + list(feature_names)
    p = len(columns)
    small = n <= EXPAND_MAX_ROWS and p <= EXPAND_MAX_COLS
    design_rows = ([[1, *r] for r in rows] if fit_intercept else rows) if small else None  # written out only when shown
    names = {f"c{j}": c for j, c in enumerate(feature_names)}

    d = Derivation("Linear regression by the normal equations", key="linreg")
    header = [Name(c) for c in feature_names] + ["$y$"]
    d.add(
        Step(
            "data",
            "Training data",
            why="Each row is one example: its feature values and the target we want to predict.",
            how=[
                Table(
                    header,
                    [[*r, t] for r, t in zip(rows[: EXPAND_MAX_ROWS * 2], y)],
                    align="r" * (len(feature_names) + 1),
                )
            ]
            if n <= 2 * EXPAND_MAX_ROWS
            else [],
            result=(n, len(feature_names)),
        )
    )

    X = linalg.design_matrix(rows, fit_intercept)
    Y = linalg.column_vector(y)
    X_shown = X.to_Matrix() if small else X
    d.add(
        Step(
            "design",
            "The design matrix",
            why=(
                "One row per example and one column per parameter. The leading column of ones multiplies the "
                "intercept $w_0$: without it every fitted line or plane would be forced through the origin."
            )
            if fit_intercept
            else "One row per example and one column per feature; no intercept is fitted.",
            how=[
                Aligned(
                    [Equation("X", X_shown, approx=False), Equation("y", Y.to_Matrix() if small else Y, approx=False)],
                    across=True,
                )
            ],
            result=X_shown,
            symbol="X",
        )
    )
    # The transpose is made once for the two products and let go: a step shows a large one as a view.
    Xt = X.transpose()
    XtX, XtY = Xt * X, Xt * Y
    del Xt
    d.add(
        Step(
            "xt",
            "The transpose",
            why="Transposing turns the columns of $X$ (one per parameter) into rows, ready to be multiplied by $X$ and by $y$.",
            result=X.transpose().to_Matrix() if small else linalg.Transposed(X),
            symbol=Notation("Xt"),
        )
    )

    XtX_sym = XtX.to_Matrix() if p <= EXPAND_MAX_COLS * 3 else XtX
    how = {}
    if small:
        how["product"] = Equation(Notation("XtX"), Product([X.to_Matrix().T, X.to_Matrix()]), XtX_sym, approx=False)
        entries = []
        for i in range(p):
            for j in range(i, p):
                terms = [Product([r[i], r[j]]) for r in design_rows]
                entries.append(Equation(Entry(Notation("XtX"), i + 1, j + 1), Sum(terms), XtX_sym[i, j], approx=False))
        how["entries"] = Aligned(entries)
        how["symmetry"] = Note(
            r"The matrix is symmetric, $(X^T X)_{ij} = (X^T X)_{ji}$, so the entries below the "
            r"diagonal repeat those above it."
        )
    d.add(
        Step(
            "xtx",
            r"Compute $X^T X$",
            why=(
                r"Entry $(i, j)$ of $X^T X$ is the dot product of columns $i$ and $j$ of $X$. On the diagonal "
                r"are sums of squares, off it sums of cross products: this is the matrix of the linear system "
                r"whose solution is the least-squares fit."
            ),
            how=how,
            result=XtX_sym,
            symbol=Notation("XtX"),
        )
    )

    xty_values = linalg.entries(XtY)
    how = {}
    if small:
        sums = [[Sum([Product([r[i], t]) for r, t in zip(design_rows, y)])] for i in range(p)]
        how["product"] = Equation(
            Notation("Xty"),
            Product([X.to_Matrix().T, Y.to_Matrix()]),
            Grid(sums),
            sympy.Matrix(xty_values),
            approx=False,
        )
    d.add(
        Step(
            "xty",
            r"Compute $X^T y$",
            why=(
                r"Entry $i$ of $X^T y$ is the dot product of column $i$ of $X$ with the targets: the right-hand "
                r"side of the normal equations."
            ),
            how=how,
            result=sympy.Matrix(xty_values),
            symbol=Notation("Xty"),
        )
    )

    A = XtX
    if alpha != 0:
        penalty = [[(alpha if (i == j and not (fit_intercept and i == 0)) else 0) for j in range(p)] for i in range(p)]
        A = linalg.unify(XtX, linalg.domain_matrix(penalty))
        A = A[0] + A[1]
        d.add(
            Step(
                "ridge",
                r"Add the ridge penalty",
                why=(
                    r"Adding $\alpha$ to the diagonal (the intercept excepted) penalises large coefficients and "
                    r"makes the system matrix invertible even when columns are dependent."
                ),
                how=[Equation(Notation("ridge_system"), A.to_Matrix() if p <= 12 else A, approx=False)],
                result=A.to_Matrix() if p <= 12 else A,
                symbol=Notation("ridge_system"),
            )
        )
    system = Notation("ridge_system" if alpha != 0 else "XtX")

    # Solve first: a singular system raises with the dependent columns named.
    w_dm = linalg.solve(A, XtY, columns, what="X^T X + alpha D" if alpha != 0 else "X^T X")
    w = linalg.entries(w_dm)

    Af = linalg.to_field(A)
    det = Af.det()
    det_sym = Af.domain.to_sympy(det)
    how = []
    inv_sym = None
    if p <= EXPAND_MAX_COLS * 3:
        # sympy's DomainMatrix.adjugate fails over EX (a surd in X): the dense Matrix computes it there
        adj = Af.adjugate().to_Matrix() if Af.domain.is_Exact and not Af.domain.is_EX else Af.to_Matrix().adjugate()
        inv_sym = Af.inv().to_Matrix()  # reduced by the domain's own arithmetic
        if p == 2:
            a = A.to_Matrix()
            how.append(
                Equation(
                    Apply(Notation("det"), system),
                    Sum([Product([a[0, 0], a[1, 1]]), Neg(Product([a[0, 1], a[1, 0]]))]),
                    det_sym,
                    approx=False,
                )
            )
        elif p == 3:
            how += cofactor_working(A.to_Matrix(), adj, det_sym, system)
        elif p <= EXPAND_MAX_COLS:
            how.append(Equation(Apply(Notation("det"), system), det_sym, approx=False))
        if p <= EXPAND_MAX_COLS:
            how.append(Equation(Inverse(system), Product([1 / det_sym, adj]), inv_sym, approx=False))
    d.add(
        Step(
            "xtx_inv",
            "Compute $<<inverse>>$",
            why=(
                r"The inverse undoes the system matrix. It is the adjugate (the transposed matrix of "
                r"cofactors) divided by the determinant, and exists exactly when the determinant is not zero, "
                r"that is, when no column of $X$ is a combination of the others."
            ),
            how=how,
            result=inv_sym if inv_sym is not None else det_sym,
            symbol=Inverse(system) if inv_sym is not None else Apply(Notation("det"), system),
            names={"inverse": Inverse(system)},
        )
    )

    how = []
    if inv_sym is not None and p <= EXPAND_MAX_COLS:
        rows_shown = [[Sum([Product([adj[i, k], xty_values[k]]) for k in range(p)])] for i in range(p)]
        how.append(
            Equation(
                "w",
                Product([1 / det_sym, adj, sympy.Matrix(xty_values)]),
                Product([1 / det_sym, Grid(rows_shown)]),
                sympy.Matrix(w),
                approx=False,
            )
        )
    d.add(
        Step(
            "w",
            r"Solve for the weights",
            why=(
                r"Multiplying $X^T y$ by the inverse gives the weights that make the sum of squared errors as "
                r"small as it can be: the solution of $X^T X w = X^T y$."
            ),
            how=how,
            result=tuple(w),
            symbol=r"w",
        )
    )

    terms = []
    if fit_intercept:
        terms.append(w[0])
    for j, name in enumerate(feature_names):
        coef = w[j + (1 if fit_intercept else 0)]
        if coef.is_number and coef < 0:
            terms.append(Neg(Product([-coef, Name(name)])))
        else:
            terms.append(Product([coef, Name(name)]))
    d.add(
        Step(
            "model",
            "The fitted model",
            why="The weights define the prediction for any new example.",
            how={"model": Equation(Notation("y_hat"), Sum(terms), approx=False)},
            result=tuple(w),
            names=names,
        )
    )

    # Predictions, residuals and their sum of squares stay matrix operations over QQ:
    # per-row sympy arithmetic would dominate the fit for large n.
    shown = n <= 2 * EXPAND_MAX_ROWS
    predictions, residuals, sse = fitted_values(X, Y, w_dm, small=shown)
    d.add(
        Step(
            "predictions",
            "Predictions on the training data",
            why=r"Applying the model to each training row, $\hat{y} = Xw$, shows how closely it fits.",
            result=predictions,
            symbol=Notation("y_hat"),
        )
    )
    d.add(
        Step(
            "residuals",
            "Residuals",
            why=r"A residual is what the model misses on one example, $y_i - \hat{y}_i$.",
            result=residuals,
            symbol=Sum(["y", Neg(Notation("y_hat"))]),
        )
    )
    d.add(
        Step(
            "sse",
            "Sum of squared errors",
            why=(
                "Least squares makes this sum as small as possible; no other choice of weights gives a "
                "smaller value on this data."
            ),
            how=[Equation(Notation("sse"), Sum([sympy.Pow(r, 2, evaluate=False) for r in residuals]), sse)]
            if shown
            else [],
            result=sse,
            symbol=Notation("sse"),
        )
    )
    return d


def _minor(a: sympy.Matrix, i: int, j: int) -> Sum:
    """The 2 × 2 determinant left when row ``i`` and column ``j`` of a 3 × 3 matrix are struck out."""
    m = a.copy()
    m.row_del(i)
    m.col_del(j)
    return Sum([Product([m[0, 0], m[1, 1]]), Neg(Product([m[0, 1], m[1, 0]]))])


def cofactor_working(a: sympy.Matrix, adj: sympy.Matrix, det: Any, system: Notation) -> list:
    """Displays of a 3 × 3 inverse by cofactors: the nine cofactors, det by the first row, the adjugate.

    ``C_ij = (-1)^(i+j) M_ij``, where the minor ``M_ij`` is the 2 × 2 determinant left after striking out
    row ``i`` and column ``j``; det = a_11 C_11 + a_12 C_12 + a_13 C_13; the adjugate is the transposed
    matrix of cofactors.  Each cofactor is read off ``adj`` (``C_ij = adj_ji``), computed by the domain.
    """
    cofactors = []
    for i in range(3):
        for j in range(3):
            minor = _minor(a, i, j)
            shown = minor if (i + j) % 2 == 0 else Sum([Neg(minor)])
            cofactors.append(Equation(Indexed("C", i + 1, j + 1), shown, adj[j, i], approx=False))
    expansion = Sum([Product([a[0, j], adj[j, 0]]) for j in range(3)])
    return [
        Note(
            "Each cofactor $C_{ij}$ is the two-by-two determinant left after striking out row $i$ and "
            "column $j$, given the sign $(-1)^{i+j}$:"
        ),
        Aligned(cofactors),
        Note("Expanding along the first row multiplies each entry of that row by its cofactor:"),
        Equation(Det(system), expansion, det, approx=False),
        Note(
            "The adjugate is the transpose of the matrix of cofactors, $C_{ij}$ placed at row $j$, column $i$; "
            "divided by the determinant it gives the inverse."
        ),
        Equation(Adj(system), adj, approx=False),
    ]


def fitted_values(X, Y, w, small: bool):
    """Predictions Xw, residuals y - Xw and their sum of squares, exactly.

    With integer data the work stays in integers: scaling w by the common
    denominator D of its entries gives integer products, the residuals are
    (D·y - X·Dw)/D, and for large data they stay in that form
    (:class:`~exactml.linalg.ScaledMatrix`) instead of being reduced entry by entry.
    """
    if X.domain == ZZ and Y.domain == ZZ and w.domain == QQ:
        den = 1
        for q in w.to_list_flat():
            den = den * int(q.denominator) // math.gcd(den, int(q.denominator))
        w_int = (w * QQ(den)).convert_to(ZZ)
        p_int = X * w_int
        r_int = Y * ZZ(den) - p_int
        sse = sympy.Rational(int((r_int.transpose() * r_int).to_list()[0][0]), den * den)
        P, R = linalg.ScaledMatrix(p_int, den), linalg.ScaledMatrix(r_int, den)
        return (P.to_Matrix(), R.to_Matrix(), sse) if small else (P, R, sse)
    Xq, Wq = linalg.unify(X, w)
    Yq, Pq = linalg.unify(Y, Xq * Wq)
    Rq = Yq - Pq
    sse = Rq.domain.to_sympy((Rq.transpose() * Rq).to_list()[0][0])
    if small:
        return sympy.Matrix(linalg.entries(Pq)), sympy.Matrix(linalg.entries(Rq)).applyfunc(sympy.expand), sse
    return Pq, Rq, sse
