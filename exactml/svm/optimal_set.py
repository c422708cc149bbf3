"""All optimal points of a convex QP, in parametric form.

A convex QP can have a whole face of optimal points — an SVM's dual does
when several points lie exactly on the margin.  :func:`optimal_set` takes
one certified optimum from :func:`exactml.qp.solve` and returns the face as
x = x(t₁, …, t_k) with the exact range of the parameters.

>>> from exactml.qp import QP, solve
>>> problem = QP(H=[[1, -1], [-1, 1]], c=[0, 0])   # ½(x₁ − x₂)², zero on the diagonal
>>> optimal_set(problem, solve(problem)).x
(t, t)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy
from sympy import QQ

from .qp import ONE, QP, ZERO, Solution, dot, nullspace, qq, rref, solve


@dataclass(frozen=True)
class OptimalSet:
    """Every optimal point of a QP: x = x(t₁, …, t_k) for parameters satisfying ``constraints``.

    ``parameters`` is empty when the optimum is unique.  Each parameter is one
    of the coordinates (t_j is x[``parameter_of[j]``]), so the family reads
    directly.  For one parameter, ``interval`` gives its exact range.
    ``nonzero`` lists the coordinates that are nonzero at some optimal point.
    """

    parameters: tuple
    x: tuple
    constraints: tuple
    interval: Any
    nonzero: tuple
    parameter_of: tuple

    @property
    def unique(self) -> bool:
        return not self.parameters


def optimal_set(qp: QP, solution: Solution) -> OptimalSet:
    """All optimal points, given one optimal point with its multipliers.

    For a convex QP, x is optimal exactly when it is feasible, H(x − x*) = 0
    and it obeys complementary slackness with x*'s multipliers: a coordinate
    whose reduced gradient is nonzero stays at its bound.  The rest may move
    within the null space of [H_PP; A_P] as long as the bounds hold; a bound
    that holds with equality over the whole set is found by a small exact LP
    (this same solver, with H = 0) and pinned.
    """
    if solution.status != "optimal":
        raise ValueError("only an optimal solution has an optimal set")
    xs = [qq(v) for v in solution.x]
    reduced = [qq(v) for v in solution.certificate.reduced]
    P = [i for i in range(qp.n) if reduced[i] == 0 and not (qp.upper[i] is not None and qp.lower[i] == qp.upper[i])]

    def null_basis(index: list[int]) -> list[list[Any]]:
        H = qp.H.block(index)
        return nullspace(H + [[row[i] for i in index] for row in qp.A], len(index))

    basis = null_basis(P)
    moving = [P[j] for j in range(len(P)) if any(v[j] for v in basis)]
    pinned = []
    for i in moving:  # does a bound hold with equality at every optimal point?
        for target, sense in ((qp.lower[i], -1), (qp.upper[i], 1)):
            if target is None or xs[i] != target:
                continue
            if _extreme(qp, xs, P, i, sense) == target:
                pinned.append(i)
    if pinned:
        P = [i for i in P if i not in pinned]
        basis = null_basis(P)

    k = len(basis)
    R, pivots = rref(basis, len(P)) if k else ([], [])
    params = (sympy.Symbol("t"),) if k == 1 else tuple(sympy.symbols(f"t_1:{k + 1}"))
    values = [QQ.to_sympy(v) for v in xs]
    for r, p, t in zip(R, pivots, params):
        shift = t - values[P[p]]
        for j, coef in enumerate(r):
            if coef:
                values[P[j]] += QQ.to_sympy(coef) * shift
    for i in P:  # only the coordinates on the face carry parameters
        values[i] = sympy.expand(values[i])
    constraints, interval = [], None
    for i in P:
        v = values[i]
        if not v.free_symbols:
            continue
        lo, hi = QQ.to_sympy(qp.lower[i]), None if qp.upper[i] is None else QQ.to_sympy(qp.upper[i])
        constraints.append(sympy.Le(lo, v, evaluate=False))
        if hi is not None:
            constraints.append(sympy.Le(v, hi, evaluate=False))
    constraints = list(dict.fromkeys(constraints))
    if k == 1:  # each constraint bounds t on one side: v = v0 + s·t between lo and hi
        t = params[0]
        low, high = -sympy.oo, sympy.oo
        for c in constraints:
            expr = c.lhs - c.rhs  # ≤ 0
            slope = expr.coeff(t)
            bound = -expr.subs(t, 0) / slope
            low, high = (low, min(high, bound)) if slope > 0 else (max(low, bound), high)
        interval = sympy.Interval(low, high)
    nonzero = tuple(i for i in range(qp.n) if values[i] != 0)
    return OptimalSet(
        params if k else (), tuple(values), tuple(constraints), interval, nonzero, tuple(P[p] for p in pivots)
    )


def _extreme(qp: QP, xs: list[Any], P: list[int], i: int, sense: int) -> Any:
    """The largest (sense −1) or smallest (sense +1) value of x_i over the optimal set, by exact LP.

    Variables x_P; equalities A_P x_P = A_P x*_P and H_PP x_P = H_PP x*_P;
    objective sense·x_i, minimised.  ``None`` when x_i is unbounded that way.
    """
    H = qp.H.block(P)
    rows = H + [[row[j] for j in P] for row in qp.A]
    rhs = [dot(r, [xs[j] for j in P]) for r in rows]
    c = [(ONE if sense > 0 else -ONE) if j == i else ZERO for j in P]
    lp = QP(
        H=[[ZERO] * len(P) for _ in P],
        c=c,
        A=rows,
        b=rhs,
        lower=[qp.lower[j] for j in P],
        upper=[qp.upper[j] for j in P],
    )
    sol = solve(lp, x0=[xs[j] for j in P])
    return qq(sol.x[P.index(i)]) if sol.status == "optimal" else None
