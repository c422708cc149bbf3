"""Exact convex quadratic programming, with a certificate for every answer.

The problem solved is ::

    minimise    ½ xᵀHx + cᵀx
    subject to  A x = b,   l ≤ x ≤ u        (l finite; u may be None, meaning +∞)

with H positive semidefinite — every SVM dual is of this form, H being a
Gram matrix.  :func:`solve` runs a primal active-set method in exact
rational arithmetic: the variables held at a bound form the working set, the
others move on the face they span, and each step solves a small KKT system
exactly.  Where H is singular on that face the step follows a direction of
zero curvature; if no bound stops it the problem is unbounded, and the
direction (a *ray*) is the proof.

:func:`solve_on_working_set` starts from a guess of which variables leave
their bounds (an SVM's likely support vectors): it solves the small QP on
those variables, adds any other variable whose exact reduced gradient says
it should move, and repeats; the guess only saves work, it decides nothing.

Nothing is trusted to the iteration: :func:`kkt_certificate` and
:func:`ray_certificate` recompute everything from the problem data.
:mod:`exactml.svm.optimal_set` describes *all* optimal points when there is
more than one, in parametric form.

The nearest point to (1, −2) with both coordinates ≥ 0, as
min (x₁ − 1)² + (x₂ + 2)² − 5 = x₁² + x₂² − 2x₁ + 4x₂:

>>> s = solve(QP(H=[[2, 0], [0, 2]], c=[-2, 4]))
>>> s.status, s.x, s.value
('optimal', (1, 0), -1)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy
from sympy import QQ

try:  # QQ's elements are FLINT numbers when python-flint is installed
    import flint

    _FLINT = type(QQ(1)) is flint.fmpq
except ImportError:  # pragma: no cover - python-flint is a dependency in practice
    _FLINT = False

ZERO, ONE = QQ(0), QQ(1)


def qq(v: Any) -> Any:
    """One exact number as an element of QQ."""
    if isinstance(v, int):
        return QQ(v)
    if isinstance(v, sympy.Rational):
        return QQ(int(v.p), int(v.q))
    if type(v) is type(ONE):
        return v
    raise ValueError(f"the QP needs rational numbers; got {v!r}")


def dot(a: Sequence, b: Sequence) -> Any:
    """Σ aᵢbᵢ in QQ, skipping zeros (the vectors here are mostly zeros)."""
    total = ZERO
    for s, t in zip(a, b):
        if s and t:
            total += s * t
    return total


# ------------------------------------------------------------------ the Hessian
class DenseHessian:
    """H given entry by entry (a kernel's Gram matrix)."""

    def __init__(self, rows: Sequence[Sequence[Any]]):
        self.rows = [[qq(v) for v in r] for r in rows]
        self.n = len(self.rows)
        if any(len(r) != self.n for r in self.rows):
            raise ValueError("H must be a square matrix")

    def block(self, index: Sequence[int]) -> list[list[Any]]:
        return [[self.rows[i][j] for j in index] for i in index]

    def times(self, direction: dict[int, Any]) -> list[Any]:
        """H·d for a direction given by its nonzero entries."""
        out = [ZERO] * self.n
        for j, dj in direction.items():
            if dj:
                col = self.rows[j]  # H is symmetric: row j is column j
                for i in range(self.n):
                    if col[i]:
                        out[i] += col[i] * dj
        return out


class LowRankHessian:
    """H = Z Zᵀ given by its factor Z (n × r): a linear kernel's Gram matrix, r = features."""

    def __init__(self, factor: Sequence[Sequence[Any]]):
        self.factor = [[qq(v) for v in r] for r in factor]
        self.n = len(self.factor)

    def block(self, index: Sequence[int]) -> list[list[Any]]:
        return [[dot(self.factor[i], self.factor[j]) for j in index] for i in index]

    def times(self, direction: dict[int, Any]) -> list[Any]:
        width = len(self.factor[0]) if self.factor else 0
        v = [ZERO] * width
        for j, dj in direction.items():
            if dj:
                for k, z in enumerate(self.factor[j]):
                    v[k] += z * dj
        return [dot(z, v) for z in self.factor]


# ------------------------------------------------------------------ problem and answers
class QP:
    """A convex QP: ``H`` (rows, or a :class:`DenseHessian`/:class:`LowRankHessian`), ``c``,
    equality rows ``A``/``b``, bounds ``lower`` (default 0) and ``upper`` (default None = +∞)."""

    def __init__(
        self,
        H: Any,
        c: Sequence[Any],
        A: Sequence[Sequence[Any]] = (),
        b: Sequence[Any] = (),
        lower: Sequence[Any] | None = None,
        upper: Sequence[Any] | None = None,
    ):
        self.H = H if isinstance(H, (DenseHessian, LowRankHessian)) else DenseHessian(H)
        self.n = n = self.H.n
        self.c = [qq(v) for v in c]
        self.A = [[qq(v) for v in row] for row in A]
        self.b = [qq(v) for v in b]
        self.lower = [qq(v) for v in lower] if lower is not None else [ZERO] * n
        self.upper = [None if v is None else qq(v) for v in upper] if upper is not None else [None] * n
        if len(self.c) != n or len(self.lower) != n or len(self.upper) != n:
            raise ValueError(f"c, lower and upper need {n} entries, one per variable")
        if len(self.A) != len(self.b) or any(len(row) != n for row in self.A):
            raise ValueError(f"A needs one row of {n} entries per entry of b")
        for i, (lo, hi) in enumerate(zip(self.lower, self.upper)):
            if hi is not None and hi < lo:
                raise ValueError(f"variable {i} has upper bound {hi} below its lower bound {lo}")


@dataclass(frozen=True)
class KKTCertificate:
    """The optimality conditions of a QP, checked exactly at a point.

    ``reduced`` is r = Hx + c − Aᵀλ; ``status`` says per variable whether it
    is at its lower or upper bound or strictly between.  Optimality holds when
    x is feasible and r_i ≥ 0 at a lower bound, r_i ≤ 0 at an upper bound,
    r_i = 0 in between (sufficient, H being positive semidefinite).
    """

    feasible: bool
    reduced: tuple
    status: tuple
    conditions: tuple  # one bool per variable

    @property
    def holds(self) -> bool:
        return self.feasible and all(self.conditions)


@dataclass(frozen=True)
class RayCertificate:
    """Proof that a QP is unbounded below: from feasible x, along d ≥ 0 (each d_i > 0 only
    where x_i has no upper bound) with Ad = 0 and Hd = 0, the objective falls by cᵀd < 0 per unit."""

    feasible: bool
    direction_ok: bool
    slope: Any  # cᵀd

    @property
    def holds(self) -> bool:
        return self.feasible and self.direction_ok and self.slope < 0


@dataclass(frozen=True)
class Solution:
    """What :func:`solve` found: status ``"optimal"`` (x, multipliers λ, certificate)
    or ``"unbounded"`` (x feasible, ``ray`` and its certificate)."""

    status: str
    x: tuple
    value: Any
    multipliers: tuple
    certificate: KKTCertificate | RayCertificate
    ray: tuple | None
    iterations: int


# ------------------------------------------------------------------ exact linear algebra on small systems
def rref(rows: list[list[Any]], ncols: int) -> tuple[list[list[Any]], list[int]]:
    """Reduced row echelon form over QQ: the nonzero rows and their pivot columns."""
    if not rows:
        return [], []
    if _FLINT:  # the KKT systems are tiny: call FLINT directly rather than through DomainMatrix
        R, rank = flint.fmpq_mat(rows).rref()
        out = [[R[i, j] for j in range(ncols)] for i in range(rank)]
    else:  # pragma: no cover
        from sympy.polys.matrices import DomainMatrix

        R, _ = DomainMatrix(rows, (len(rows), ncols), QQ).rref()
        out = [r for r in R.to_list() if any(r)]
    pivots = [next(j for j, v in enumerate(r) if v) for r in out]
    return out, pivots


def _solve_linear(rows: list[list[Any]], rhs: list[Any], nvars: int) -> list[Any] | None:
    """One solution of rows·z = rhs (free unknowns set to 0), or None when inconsistent."""
    if nvars == 0:
        return [] if all(v == 0 for v in rhs) else None
    R, pivots = rref([r + [v] for r, v in zip(rows, rhs)], nvars + 1)
    if pivots and pivots[-1] == nvars:
        return None
    z = [ZERO] * nvars
    for r, p in zip(R, pivots):
        z[p] = r[nvars]
    return z


def nullspace(rows: list[list[Any]], ncols: int) -> list[list[Any]]:
    """A basis of {z : rows·z = 0}, one vector per non-pivot column."""
    R, pivots = rref(rows, ncols)
    basis = []
    for f in (j for j in range(ncols) if j not in set(pivots)):
        z = [ZERO] * ncols
        z[f] = ONE
        for r, p in zip(R, pivots):
            z[p] = -r[f]
        basis.append(z)
    return basis


def _independent_rows(qp: QP) -> list[int]:
    """Rows of A that are linearly independent (the others are implied or contradictory)."""
    kept: list[int] = []
    for k in range(len(qp.A)):
        rows = [qp.A[i] for i in kept + [k]]
        if len(rref(rows, qp.n)[0]) == len(rows):
            kept.append(k)
    aug = [qp.A[k] + [qp.b[k]] for k in range(len(qp.A))]
    if aug and len(rref(aug, qp.n + 1)[0]) != len(kept):
        raise ValueError("the equality constraints A x = b contradict each other: no point satisfies them")
    return kept


# ------------------------------------------------------------------ certificates
def kkt_certificate(qp: QP, x: Sequence[Any], multipliers: Sequence[Any]) -> KKTCertificate:
    """Check the KKT conditions of ``qp`` at ``x`` with equality multipliers λ, from scratch."""
    x = [qq(v) for v in x]
    lam = [qq(v) for v in multipliers]
    feasible = _feasible(qp, x)
    hx = qp.H.times(dict(enumerate(x)))
    reduced, status, conditions = [], [], []
    for i in range(qp.n):
        r = hx[i] + qp.c[i] - sum((lam[k] * qp.A[k][i] for k in range(len(lam))), ZERO)
        at_lower, at_upper = x[i] == qp.lower[i], qp.upper[i] is not None and x[i] == qp.upper[i]
        if at_lower and at_upper:
            status.append("fixed"), conditions.append(True)
        elif at_lower:
            status.append("lower"), conditions.append(r >= 0)
        elif at_upper:
            status.append("upper"), conditions.append(r <= 0)
        else:
            status.append("free"), conditions.append(r == 0)
        reduced.append(QQ.to_sympy(r))
    return KKTCertificate(feasible, tuple(reduced), tuple(status), tuple(conditions))


def ray_certificate(qp: QP, x: Sequence[Any], ray: Sequence[Any]) -> RayCertificate:
    """Check that ``ray`` proves ``qp`` unbounded below from the feasible point ``x``."""
    x, d = [qq(v) for v in x], [qq(v) for v in ray]
    feasible = _feasible(qp, x)
    ok = all(di >= 0 and (di == 0 or hi is None) for di, hi in zip(d, qp.upper))
    ok = ok and all(dot(row, d) == 0 for row in qp.A)
    ok = ok and all(v == 0 for v in qp.H.times(dict(enumerate(d))))
    return RayCertificate(feasible, ok, QQ.to_sympy(dot(qp.c, d)))


# ------------------------------------------------------------------ the active-set method
def solve(qp: QP, x0: Sequence[Any] | None = None, max_iterations: int | None = None) -> Solution:
    """Minimise the QP exactly from the feasible start ``x0`` (default: all zeros).

    Each round either finds that x minimises the objective on the current
    face and releases the variable whose bound multiplier has the wrong sign
    (none left: optimal), or moves towards the face's minimiser until a
    variable hits a bound, which then joins the working set.
    """
    n = qp.n
    x = [qq(v) for v in x0] if x0 is not None else [ZERO] * n
    rows = _independent_rows(qp)
    A = [qp.A[k] for k in rows]
    if not _feasible(qp, x):
        raise ValueError("the starting point is not feasible: give x0 within the bounds and with A x0 = b")
    F = _initial_free(qp, x, A)
    g = [gi + ci for gi, ci in zip(qp.H.times(dict(enumerate(x))), qp.c)]
    limit = max_iterations or 20 * n + 200
    degenerate = False
    for iteration in range(1, limit + 1):
        AF = [[row[j] for j in F] for row in A]
        gF = [g[j] for j in F]
        # Is x already the minimiser on the face? Then g_F = A_Fᵀλ for some λ.
        lam = _solve_linear([[row[i] for row in AF] for i in range(len(F))], gF, len(A))
        if lam is not None:
            entering = _entering(qp, x, g, A, lam, set(F), bland=degenerate)
            if entering is None:
                full = [ZERO] * len(qp.A)
                for k, v in zip(rows, lam):
                    full[k] = v
                return _finish(qp, x, full, iteration)
            F.append(entering)
            continue
        d, ray = _face_direction(qp.H.block(F), AF, gF)
        step, blocking = _ratio_test(qp, x, F, d)
        if ray and step is None:
            direction = [ZERO] * n
            for j, dj in zip(F, d):
                direction[j] = dj
            cert = ray_certificate(qp, x, direction)
            return Solution("unbounded", _sympy(x), None, (), cert, _sympy(direction), iteration)
        if not ray and (step is None or step > 1):
            step, blocking = ONE, None
        degenerate = step == 0
        if step:
            moved = {j: step * dj for j, dj in zip(F, d) if dj}
            for j, dj in moved.items():
                x[j] += dj
            for i, hv in enumerate(qp.H.times(moved)):
                if hv:
                    g[i] += hv
        if blocking is not None:
            F.pop(blocking)
    raise RuntimeError(f"the active-set method did not finish in {limit} iterations")


def solve_on_working_set(qp: QP, working: Sequence[int], grow: int = 4) -> Solution:
    """:func:`solve`, started from a guess of which variables leave their lower bounds.

    The QP restricted to the ``working`` variables (every other one held at its
    lower bound) is solved exactly; then every held variable's reduced
    gradient is computed exactly over the whole problem.  Where one is
    negative, that variable could lower the objective: the ``grow`` most
    negative join the working set and the restricted QP is solved again.
    When none is negative the restricted optimum satisfies the KKT conditions
    of the whole problem, and :func:`solve` started there certifies it in one
    round (the iterations of every restricted solve are counted too).

    A good guess makes each solve small: an SVM's dual restricted to a few
    points near the boundary.  A bad guess costs rounds, never correctness.
    Where holding variables at their lower bounds is not feasible, or the
    restricted QP is unbounded, the whole problem is solved from scratch.
    """
    n = qp.n
    if not _feasible(qp, qp.lower):
        return solve(qp)
    S = sorted(set(working))
    iterations = 0
    x = list(qp.lower)
    while True:
        inside = set(S)
        held = [j for j in range(n) if j not in inside]
        # The held variables sit at their lower bounds: they shift the equalities' right-hand side and,
        # through H, the linear term of the variables that move.
        at_lower = {j: qp.lower[j] for j in held if qp.lower[j]}
        rhs = [bk - dot([row[j] for j in held], [qp.lower[j] for j in held]) for row, bk in zip(qp.A, qp.b)]
        shift = qp.H.times(at_lower) if at_lower else [ZERO] * n
        sub = QP(
            DenseHessian(qp.H.block(S)),
            c=[qp.c[j] + shift[j] for j in S],
            A=[[row[j] for j in S] for row in qp.A],
            b=rhs,
            lower=[qp.lower[j] for j in S],
            upper=[qp.upper[j] for j in S],
        )
        part = solve(sub, x0=[x[j] for j in S])  # from the last round's optimum: the new variables at their bounds
        iterations += part.iterations
        if part.status != "optimal":
            return solve(qp)
        for j, v in zip(S, part.x):
            x[j] = qq(v)
        lam = [qq(v) for v in part.multipliers]
        g = _gradient(qp, x)
        reduced = []
        for i in held:
            if qp.upper[i] is not None and qp.upper[i] == qp.lower[i]:
                continue
            r = g[i] - sum((lk * row[i] for lk, row in zip(lam, qp.A) if row[i]), ZERO)
            if r < 0:
                reduced.append((r, i))
        if not reduced:
            cert = kkt_certificate(qp, x, lam)  # from scratch, over the whole problem
            if not cert.holds:  # pragma: no cover - would be a bug above; the full method decides then
                return solve(qp, x0=x)
            value = dot(x, [gi - ci for gi, ci in zip(g, qp.c)]) / 2 + dot(qp.c, x)  # ½xᵀHx + cᵀx
            return Solution("optimal", _sympy(x), QQ.to_sympy(value), _sympy(lam), cert, None, iterations)
        S = sorted(inside | {i for _, i in sorted(reduced)[:grow]})


def _gradient(qp: QP, x: Sequence[Any]) -> list[Any]:
    """Hx + c."""
    return [hv + ci for hv, ci in zip(qp.H.times({j: v for j, v in enumerate(x) if v}), qp.c)]


def _feasible(qp: QP, x: Sequence[Any]) -> bool:
    in_bounds = all(lo <= v and (hi is None or v <= hi) for v, lo, hi in zip(x, qp.lower, qp.upper))
    return in_bounds and all(dot(row, x) == bk for row, bk in zip(qp.A, qp.b))


def _rank(A: list[list[Any]], index: list[int]) -> int:
    return len(rref([[row[j] for j in index] for row in A], len(index))[0])


def _initial_free(qp: QP, x: list[Any], A: list[list[Any]]) -> list[int]:
    """The variables not at a bound, plus enough others that A restricted to them has full row
    rank — so that the bounds in the working set and the equalities are independent."""
    F = [i for i in range(qp.n) if x[i] != qp.lower[i] and (qp.upper[i] is None or x[i] != qp.upper[i])]
    for i in range(qp.n):
        if _rank(A, F) == len(A):
            break
        if i not in F and _rank(A, F + [i]) > _rank(A, F):
            F.append(i)
    return F


def _entering(
    qp: QP, x: list[Any], g: list[Any], A: list[list[Any]], lam: list[Any], free: set[int], bland: bool
) -> int | None:
    """The held variable whose multiplier has the wrong sign, most wrong first; None when optimal.

    While steps stall (degenerate), the first such variable is taken instead (Bland's rule),
    which prevents cycling.
    """
    entering, worst = None, ZERO
    for i in range(qp.n):
        if i in free:
            continue
        r = g[i] - sum((lam[k] * A[k][i] for k in range(len(A))), ZERO)
        at_upper = qp.upper[i] is not None and x[i] == qp.upper[i]
        violation = r if at_upper else -r
        if violation > worst:
            entering, worst = i, violation
            if bland:
                break
    return entering


def _face_direction(HFF: list[list[Any]], AF: list[list[Any]], gF: list[Any]) -> tuple[list[Any], bool]:
    """The step to the face's minimiser, or (when the face's objective is unbounded below along a
    direction of zero curvature) that direction, flagged ``True``."""
    k, m = len(gF), len(AF)
    kkt = [HFF[i] + [AF[j][i] for j in range(m)] for i in range(k)] + [AF[j] + [ZERO] * m for j in range(m)]
    rhs = [-v for v in gF] + [ZERO] * m
    z = _solve_linear(kkt, rhs, k + m)
    if z is not None:
        return z[:k], False
    # Inconsistent: some null vector (d, η) of the symmetric KKT matrix has a nonzero right-hand side,
    # so H_FF d = 0, A_F d = 0 and g_Fᵀd ≠ 0.
    v = next(v for v in nullspace(kkt, k + m) if dot(v, rhs) != 0)
    d = v[:k]
    return ([-t for t in d] if dot(d, gF) > 0 else d), True


def _ratio_test(qp: QP, x: list[Any], F: list[int], d: list[Any]) -> tuple[Any, int | None]:
    """How far x can move along d before a free variable hits a bound, and which (its position in F)."""
    step, blocking = None, None
    for pos, (j, dj) in enumerate(zip(F, d)):
        if dj < 0:
            ratio = (qp.lower[j] - x[j]) / dj
        elif dj > 0 and qp.upper[j] is not None:
            ratio = (qp.upper[j] - x[j]) / dj
        else:
            continue
        if step is None or ratio < step:
            step, blocking = ratio, pos
    return step, blocking


def _sympy(values: Sequence[Any]) -> tuple:
    return tuple(QQ.to_sympy(v) for v in values)


def _finish(qp: QP, x: list[Any], lam: list[Any], iterations: int) -> Solution:
    cert = kkt_certificate(qp, x, lam)
    if not cert.holds:  # pragma: no cover - would be a bug in the method, never a wrong answer
        raise RuntimeError("internal error: the QP solution failed its own KKT check")
    hx = qp.H.times(dict(enumerate(x)))
    value = dot(x, hx) / 2 + dot(qp.c, x)
    return Solution("optimal", _sympy(x), QQ.to_sympy(value), _sympy(lam), cert, None, iterations)
