"""Support vector machines solved exactly: primal, Lagrangian, dual and a KKT certificate.

The dual is a convex quadratic programme; :mod:`exactml.qp` solves it in
rational arithmetic and certifies the answer.  When the optimal multipliers
are not unique (points lying on the margin can share the weight in many
ways) the whole optimal set is given in parametric form; w and b are unique.

Step keys of ``SVC.derivation_`` (stable; tests and the handout rely on them):

``data``            the training points and their labels
``labels``          how the two labels map to y = −1 and y = +1 (only when they are not ±1 already)
``primal``          the primal problem, one constraint per point
``lagrangian``      the Lagrangian L(w, b, α), with the data's numbers for small data
``stationarity``    ∂L/∂w and ∂L/∂b, derived by sympy and set to zero
``dual``            the dual problem, from substituting w back into L
``dual_objective``  every xᵢᵀxⱼ (or K(xᵢ, xⱼ)) and the dual objective with its numbers
``solution``        an optimal α and the dual optimum
``optimal_set``     every optimal α: unique, or a parametric family
``kkt``             the KKT conditions checked exactly, point by point, and the zero duality gap
``support``         the support vectors
``w``               w = Σ αᵢyᵢxᵢ (linear kernel) or ‖w‖² in feature space (polynomial kernel)
``b``               the intercept
``margin``          the margin width 2/‖w‖
``decision``        the decision function f(x)

A hard margin on data that no hyperplane separates raises
:class:`NotSeparableError`, whose ``derivation`` proves it (keys ``data``,
``certificate``, ``contradiction``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import sympy
from sympy import QQ

from ..arith.distance import root
from ..arith.lazy import learned
from ..derivation import Derivation
from ..exact import (
    DataError,
    ExactMLError,
    check_feature_count,
    check_is_fitted,
    check_lengths,
    checked_feature_names,
    column_names,
    exact,
    exact_matrix,
    exact_vector,
)
from . import kernels, qp
from .optimal_set import OptimalSet, optimal_set
from .steps import derivation, separation_proof

KERNELS = ("linear", "poly")


class NotSeparableError(ExactMLError):
    """A hard-margin SVM on data no hyperplane separates.

    ``weights`` are nonnegative numbers, one per point, with Σ wᵢyᵢxᵢ = 0 and
    Σ wᵢyᵢ = 0 (in feature space for a kernel): a weighted mean of the
    positive points equals one of the negative points, which no separating
    hyperplane allows.  ``derivation`` spells the proof out.
    """

    def __init__(self, message: str, weights: Sequence[Any] = (), derivation: Derivation | None = None):
        super().__init__(message)
        self.weights = tuple(weights)
        self.derivation = derivation


# The largest polynomial degree accepted: exact kernel entries have about
# degree × (digits of xᵀz) digits, and degree 200 already took 34 s.
MAX_DEGREE = 20


class SVC:
    """Support vector classifier, exact: ``C=None`` for a hard margin, a positive ``C`` for a soft one.

    >>> from exactml import SVC
    >>> m = SVC().fit([[1, 2], [2, 3], [2, 1], [3, 2]], [1, 1, -1, -1])
    >>> m.coef_, m.intercept_, m.margin_
    ([-1, 1], 0, sqrt(2))
    >>> m.predict([[0, 5], [5, 0]])
    [1, -1]

    ``kernel="poly"`` uses (xᵀz + coef0)^degree, 1 ≤ degree ≤ ``MAX_DEGREE`` (20);
    ``coef_`` exists only for the linear kernel, as in scikit-learn.
    """

    def __init__(self, kernel: str = "linear", C: Any = None, degree: int = 2, coef0: Any = 1):
        self.kernel = kernel
        self.C = C
        self.degree = degree
        self.coef0 = coef0

    def fit(self, X: Any, y: Any, feature_names: Sequence[str] | None = None) -> "SVC":
        C, degree, coef0 = self._hyper_parameters()  # up front: a bad degree must not wait for the data
        names = list(feature_names) if feature_names is not None else column_names(X)
        rows = exact_matrix(X, "X", columns=names)
        labels = exact_vector(y, "y", allow_text=True)
        check_lengths(rows, labels)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if not isinstance(v, (int, sympy.Rational)):
                    raise DataError(
                        f"X row {i}, column {j}: {v} is not a rational number; the exact SVM "
                        "needs rational features (round or scale irrational ones first)",
                        row=i,
                        column=j,
                    )
        p = len(rows[0])
        given = names is not None
        self.feature_names_in_ = checked_feature_names(names, p, single="x_1")
        self.n_features_in_ = p
        self.classes_, signs = two_classes(labels)
        self._rows, self._signs = rows, signs
        fit = solve_dual(rows, signs, C, self.kernel, degree, coef0)
        if fit.solution.status == "unbounded":
            raise not_separable(rows, signs, fit.solution.ray, self.kernel, degree)
        self._kernel_args = (degree, coef0)
        self._alpha, self._intercept = fit.alpha, fit.b
        # Shown safely: a value too long to print (data with 10**5000 in it) is a LargeValue, its .exact one step away.
        self.alpha_ = tuple(learned(a) for a in fit.alpha)
        self.alpha_family_ = fit.family
        self.support_ = list(fit.family.nonzero)
        self.support_vectors_ = [[learned(v) for v in rows[i]] for i in self.support_]
        self.intercept_ = learned(fit.b)
        self.intercept_interval_ = fit.b_interval and tuple(learned(v) for v in fit.b_interval)
        self.dual_objective_ = learned(fit.dual_value)
        self.margin_ = learned(fit.margin)
        if self.kernel == "linear":
            self._coef = list(fit.w)
        self.derivation_ = derivation(
            fit, rows, signs, labels, self.classes_, self.feature_names_in_ if given else None
        )
        return self

    def _hyper_parameters(self) -> tuple[Any, int, Any]:
        if self.kernel not in KERNELS:
            raise ValueError(f"unknown kernel {self.kernel!r}; choose 'linear' or 'poly'")
        C = None
        if self.C is not None:
            C = _rational("C", self.C, "a positive number, or None for a hard margin")
            if C <= 0:
                raise ValueError(
                    f"C must be positive; got {C}. Use C=None for a hard margin, "
                    "or a positive C such as 1 for a soft margin"
                )
        degree = _rational("degree", self.degree, "a whole number ≥ 1")
        if not (degree.is_Integer and degree >= 1):
            raise ValueError(f"degree must be a whole number ≥ 1; got {self.degree!r}")
        if self.kernel == "poly" and degree > MAX_DEGREE:
            raise ValueError(
                f"degree must be at most {MAX_DEGREE}; got {self.degree!r}. The exact kernel "
                "(xᵀz + coef0)^degree has numbers with degree times as many digits as the data, "
                "and the dual problem grows with them"
            )
        coef0 = _rational("coef0", self.coef0, "a number ≥ 0")
        if coef0 < 0:
            raise ValueError(f"coef0 must be a number ≥ 0 (so that the kernel is an inner product); got {self.coef0!r}")
        return C, int(degree), coef0

    # -------------------------------------------------------------- results
    @property
    def coef_(self) -> list:
        """w, for the linear kernel only (a polynomial kernel's w lives in feature space)."""
        check_is_fitted(self, "alpha_")
        if self.kernel != "linear":
            raise AttributeError(
                "coef_ is only available with kernel='linear'; a polynomial kernel's w lives in feature space"
            )
        return [learned(w) for w in self._coef]

    def decision_function(self, X: Any) -> list:
        """Exact f(x) for each row of X: positive means ``classes_[1]``."""
        check_is_fitted(self, "alpha_")
        rows = exact_matrix(X, "X")
        check_feature_count(self, rows)
        return [learned(f) for f in self._decision_values(rows)]

    def _decision_values(self, rows: list[list[Any]]) -> list:
        if self.kernel == "linear":
            return [sum((w * v for w, v in zip(self._coef, r)), self._intercept) for r in rows]
        degree, coef0 = self._kernel_args
        return [
            sum(
                (
                    self._alpha[i] * self._signs[i] * kernels.polynomial(self._rows[i], r, degree, coef0)
                    for i in self.support_
                ),
                self._intercept,
            )
            for r in rows
        ]

    def predict(self, X: Any) -> list:
        """The predicted label of each row: ``classes_[1]`` where f(x) > 0, else ``classes_[0]``."""
        check_is_fitted(self, "alpha_")
        rows = exact_matrix(X, "X")
        check_feature_count(self, rows)
        return [self.classes_[1] if f > 0 else self.classes_[0] for f in self._decision_values(rows)]


def _rational(name: str, value: Any, wanted: str) -> sympy.Rational:
    try:
        v = exact(value)
    except ValueError as err:
        raise ValueError(f"{name} must be {wanted}: {err}") from None
    if not v.is_Rational:
        raise ValueError(f"{name} must be {wanted}; got {value!r}")
    return v


def not_separable(
    rows: list[list[Any]], y: list[int], ray: Sequence[Any], kernel: str, degree: int
) -> NotSeparableError:
    """The error for an infeasible hard margin, with the dual's unbounded ray as its proof."""
    scale = sympy.ilcm(*[sympy.Rational(v).q for v in ray]) if ray else 1
    weights = [v * scale for v in ray]
    common = sympy.igcd(*[int(v) for v in weights if v])
    weights = [sympy.Integer(int(v) // common) for v in weights]
    proof = separation_proof(rows, y, weights, kernel)
    used = [i + 1 for i, v in enumerate(weights) if v]
    if kernel == "linear":
        meet = proof["certificate"].result
        what = (
            "the data are not linearly separable: the positive points "
            f"{_listing(i for i in used if y[i - 1] == 1)} and the negative points "
            f"{_listing(i for i in used if y[i - 1] == -1)} have a common weighted mean "
            f"{tuple(meet)}, so no line or plane can put the two groups on opposite sides"
        )
    else:
        what = (
            f"the data are not separable even by the degree-{degree} polynomial kernel: points "
            f"{_listing(used)} are tied together in its feature space"
        )
    return NotSeparableError(
        what
        + ". A hard margin (C=None) has no solution; pass C for a soft margin, e.g. SVC(C=1)"
        + (", or try kernel='poly'" if kernel == "linear" else "")
        + ".",
        weights=weights,
        derivation=proof,
    )


def _listing(indices: Any) -> str:
    return ", ".join(str(i) for i in indices)


def two_classes(labels: Sequence[Any]) -> tuple[list[Any], list[int]]:
    """The two labels, sorted (the second is the positive class, as in scikit-learn), and y = ±1 per row."""
    distinct = list(dict.fromkeys(labels))
    if len(distinct) == 1:
        raise DataError(
            f"y has only one class ({distinct[0]!r}): an SVM separates two classes, so add examples of the other class"
        )
    if len(distinct) > 2:
        shown = ", ".join(repr(v) for v in distinct[:5])
        raise DataError(
            f"y has {len(distinct)} distinct labels ({shown}{', …' if len(distinct) > 5 else ''}); "
            "SVC separates exactly two classes: keep two, or train one model per pair"
        )
    classes = sorted(distinct, key=lambda v: (1, str(v)) if isinstance(v, str) else (0, v))
    return classes, [1 if v == classes[1] else -1 for v in labels]


@dataclass
class DualFit:
    """Everything solving the dual gives: the QP, its certified solution, and the SVM's quantities.

    ``scores`` are wᵀxᵢ (feature space for a kernel), ``anchor`` the free support
    vector that fixes b (None when b is the midpoint of ``b_interval``).
    """

    problem: qp.QP
    solution: qp.Solution
    C: Any
    kernel: str
    degree: int
    coef0: Any
    K: list | None = None
    alpha: tuple = ()
    w: tuple | None = None
    scores: list = field(default_factory=list)
    w_norm2: Any = 0
    b: Any = 0
    b_interval: tuple | None = None
    anchor: int | None = None
    family: OptimalSet | None = None
    dual_value: Any = None

    @property
    def w_norm(self) -> Any:
        """‖w‖ = √(wᵀw), exact: a rational times a root (never a radicand refactored at length)."""
        w_norm2 = sympy.Integer(self.w_norm2) if isinstance(self.w_norm2, int) else self.w_norm2
        return root(w_norm2) if w_norm2.is_Rational else sympy.sqrt(w_norm2)

    @property
    def margin(self) -> Any:
        """2/‖w‖, the width of the margin; infinite when w = 0."""
        if self.w_norm2 == 0:
            return sympy.oo
        return root(4 / self.w_norm2) if self.w_norm2.is_Rational else 2 / self.w_norm


def solve_dual(rows: list[list[Any]], y: list[int], C: Any, kernel: str, degree: int, coef0: Any) -> DualFit:
    """Minimise ½αᵀQα − Σαᵢ subject to Σαᵢyᵢ = 0 and 0 ≤ αᵢ (≤ C), exactly; Qᵢⱼ = yᵢyⱼK(xᵢ, xⱼ).

    The solver starts from the points :func:`likely_support` guesses and certifies its answer over all points.
    """
    n = len(rows)
    K = None
    if kernel == "linear":  # Q = ZZᵀ with Zᵢ = yᵢxᵢ: never form the n×n matrix
        H = qp.LowRankHessian([[yi * v for v in r] for r, yi in zip(rows, y)])
    else:
        K = kernels.gram(rows, "poly", degree, coef0)
        H = qp.DenseHessian([[y[i] * y[j] * K[i][j] for j in range(n)] for i in range(n)])
    problem = qp.QP(H, c=[-1] * n, A=[y], b=[0], upper=None if C is None else [C] * n)
    solution = qp.solve_on_working_set(problem, likely_support(rows, y))
    fit = DualFit(problem=problem, solution=solution, C=C, kernel=kernel, degree=degree, coef0=coef0, K=K)
    if solution.status != "optimal":
        return fit
    alpha = solution.x
    # Qα in the QP's own exact numbers: (Qα)ᵢ = yᵢ·Σⱼ αⱼyⱼK(xⱼ, xᵢ), so yᵢ(Qα)ᵢ is wᵀxᵢ.
    q_alpha = problem.H.times({i: QQ(int(a.p), int(a.q)) for i, a in enumerate(alpha) if a})
    scores = [QQ.to_sympy(v) * yi for v, yi in zip(q_alpha, y)]
    w_norm2 = sum((a * yi * s for a, yi, s in zip(alpha, y, scores) if a), sympy.Integer(0))
    w = None
    if kernel == "linear":
        w = tuple(
            sum((alpha[i] * y[i] * rows[i][k] for i in range(n) if alpha[i]), sympy.Integer(0))
            for k in range(len(rows[0]))
        )
    b, interval, anchor = intercept(alpha, y, scores, C, -solution.multipliers[0])
    fit.alpha, fit.w, fit.scores, fit.w_norm2 = alpha, w, scores, w_norm2
    fit.b, fit.b_interval, fit.anchor = b, interval, anchor
    fit.family, fit.dual_value = optimal_set(problem, solution), -solution.value
    return fit


def likely_support(rows: list[list[Any]], y: list[int], per_class: int | None = None) -> list[int]:
    """A guess at the support vectors, to start the exact solver near the answer: the points of each class
    that reach furthest towards the other class along the line joining the two class means.

    Floats only rank points here; the solver decides exactly which points the answer needs.
    """
    sign = np.array(y)
    try:
        X = np.array([[float(v) for v in r] for r in rows])
    except OverflowError:  # beyond float64: any guess will do, the solver grows it
        return [int(np.flatnonzero(sign == 1)[0]), int(np.flatnonzero(sign == -1)[0])]
    direction = X[sign == 1].mean(axis=0) - X[sign == -1].mean(axis=0)
    along = X @ direction
    k = per_class or len(rows[0]) + 1
    positives, negatives = np.flatnonzero(sign == 1), np.flatnonzero(sign == -1)
    return sorted(
        positives[np.argsort(along[positives], kind="stable")[:k]].tolist()
        + negatives[np.argsort(-along[negatives], kind="stable")[:k]].tolist()
    )


def intercept(alpha: Sequence[Any], y: Sequence[int], scores: Sequence[Any], C: Any, b_kkt: Any):
    """b from the KKT conditions: (b, None, i) when a free support vector i fixes it, else
    (midpoint, (lo, hi), None) — scikit-learn's libsvm takes the same midpoint."""
    for i, a in enumerate(alpha):
        if a > 0 and (C is None or a < C):
            return y[i] - scores[i], None, i
    lo, hi = -sympy.oo, sympy.oo
    for a, yi, s in zip(alpha, y, scores):
        # yᵢ(sᵢ + b) ≥ 1 means b ≥ 1 − sᵢ for yᵢ = 1 and b ≤ −1 − sᵢ for yᵢ = −1; "≤ 1" (αᵢ = C) reverses both.
        bound = yi - s
        raises_floor = (a == 0) == (yi == 1)
        lo, hi = (max(lo, bound), hi) if raises_floor else (lo, min(hi, bound))
    if lo == hi:
        return lo, None, None
    assert lo <= b_kkt <= hi, "the solver's multiplier must lie in the KKT interval"
    return (lo + hi) / 2, (lo, hi), None
