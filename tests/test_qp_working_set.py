"""The QP solved on a working set first (the SVM's warm start) against the same QP solved from scratch,
and the SVM built on it against scikit-learn, on several data sets of the benchmark's shape.

Whatever the guess, the answer must be the certified optimum: the same optimal value and the same w and b
(α itself may differ where the optimum is not unique).
"""

import random

import numpy as np
import pytest
from sklearn.svm import SVC as SkSVC
from sympy import Rational

from exactml.svm.estimator import SVC, NotSeparableError, likely_support
from exactml.svm.qp import QP, LowRankHessian, solve, solve_on_working_set


def separable(seed, n=200):
    """The benchmark's data: integer points on both sides of 2a - b + 7 = 0, none closer than |margin| 6."""
    rng = random.Random(seed)
    X, y = [], []
    while len(X) < n:
        a, b = rng.randint(-100, 100), rng.randint(-100, 100)
        margin = 2 * a - b + 7
        if abs(margin) < 6:
            continue
        X.append([a, b])
        y.append(1 if margin > 0 else -1)
    return X, y


def dual(X, y, C=None):
    n = len(X)
    return QP(
        LowRankHessian([[yi * v for v in x] for x, yi in zip(X, y)]),
        c=[-1] * n,
        A=[y],
        b=[0],
        upper=None if C is None else [C] * n,
    )


def w_of(X, y, alpha):
    return [sum(a * yi * x[k] for a, yi, x in zip(alpha, y, X)) for k in range(len(X[0]))]


@pytest.mark.parametrize("seed", [6, 106, 206, 306, 406])
def test_warm_start_reaches_the_optimum_of_the_full_solve(seed):
    X, y = separable(seed)
    problem = dual(X, y)
    cold = solve(problem)
    warm = solve_on_working_set(problem, likely_support(X, y))
    assert warm.status == cold.status == "optimal"
    assert warm.certificate.holds
    assert warm.value == cold.value
    assert w_of(X, y, warm.x) == w_of(X, y, cold.x)


def test_a_bad_guess_costs_rounds_not_correctness():
    X, y = separable(206)
    problem = dual(X, y)
    along = [2 * a - b + 7 for a, b in X]
    far = sorted(range(len(X)), key=lambda i: -abs(along[i]))[:4]  # the points farthest from the boundary
    warm = solve_on_working_set(problem, far, grow=1)
    assert warm.certificate.holds
    assert warm.value == solve(problem).value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_soft_margin_on_overlapping_classes_matches_the_full_solve(seed):
    rng = random.Random(seed)
    X = [[rng.randint(-20, 20), rng.randint(-20, 20)] for _ in range(60)]
    y = [1 if a + b + rng.randint(-8, 8) > 0 else -1 for a, b in X]
    problem = dual(X, y, C=Rational(1, 2))
    warm = solve_on_working_set(problem, likely_support(X, y))
    cold = solve(problem)
    assert warm.certificate.holds
    assert warm.value == cold.value
    assert w_of(X, y, warm.x) == w_of(X, y, cold.x)


def test_nonzero_lower_bounds_shift_the_restricted_problem_correctly():
    # min ½xᵀHx + cᵀx with x ≥ (1, 1, 0).  By hand: x₂ and then x₁ hit their bounds, and with both held at 1
    # the last coordinate solves 1·x₂ + 2x₃ = 6, x₃ = 5/2; the gradient Hx + c = (2, 9/2, 0) ≥ 0 confirms it.
    # A restricted problem that forgot the held variables' pull through H would put x₃ at 3.
    problem = QP(H=[[2, 1, 0], [1, 2, 1], [0, 1, 2]], c=[-1, -1, -6], lower=[1, 1, 0])
    for guess in ([], [0], [2], [0, 1, 2]):
        s = solve_on_working_set(problem, guess)
        assert s.x == (1, 1, Rational(5, 2))
        assert s.value == Rational(-21, 4)  # ½·(3 + 11/2 + 15) − (1 + 1 + 15)
        assert s.certificate.holds


def test_the_right_guess_is_certified_without_solving_the_whole_problem(monkeypatch):
    # Same problem as above, guessing exactly the coordinate that leaves its bound: one restricted solve of one
    # variable, then the certificate; the whole problem is never handed to the active-set method.
    from exactml.svm import qp as qp_module

    sizes = []
    real_solve = qp_module.solve
    monkeypatch.setattr(qp_module, "solve", lambda q, *a, **k: sizes.append(q.n) or real_solve(q, *a, **k))
    problem = QP(H=[[2, 1, 0], [1, 2, 1], [0, 1, 2]], c=[-1, -1, -6], lower=[1, 1, 0])
    assert solve_on_working_set(problem, [2]).x == (1, 1, Rational(5, 2))
    assert sizes == [1]


def test_duplicated_margin_points_keep_w_and_b():
    # Every support vector twice: the multipliers are not unique, w and b are.
    X, y = separable(6, 80)
    X2, y2 = X + X, y + y
    once = SVC().fit(X, y)
    twice = SVC().fit(X2, y2)
    assert twice.coef_ == once.coef_
    assert twice.intercept_ == once.intercept_
    assert not twice.alpha_family_.unique


def test_hard_margin_on_overlapping_data_still_proves_non_separability():
    X, y = separable(6, 40)
    X.append(list(X[0]))
    y.append(-y[0])  # the same point with the other label
    with pytest.raises(NotSeparableError) as err:
        SVC().fit(X, y)
    assert err.value.weights[0] != 0 and err.value.weights[-1] != 0


@pytest.mark.parametrize("seed", [6, 106, 206, 306, 406])
def test_exact_svm_agrees_with_scikit_learn_on_the_benchmark_seeds(seed):
    X, y = separable(seed)
    model = SVC().fit(X, y)
    sk = SkSVC(kernel="linear", C=1e6, tol=1e-10).fit(np.array(X, dtype=float), np.array(y))
    assert [float(v) for v in model.coef_] == pytest.approx(sk.coef_[0].tolist(), rel=1e-6, abs=1e-9)
    assert float(model.intercept_) == pytest.approx(sk.intercept_[0], rel=1e-6, abs=1e-9)
    assert model.dual_objective_ == sum(w * w for w in model.coef_) / 2  # zero duality gap: W(α*) = ½‖w‖²


def test_coordinates_beyond_float64_get_the_scaled_answer():
    # Multiplying every coordinate by s divides w by s and leaves b: the warm start's float guess overflows
    # here and must not matter.
    X, y = separable(106, 30)
    s = 10**400
    small = SVC().fit(X, y)
    big = SVC().fit([[s * v for v in x] for x in X], y)
    assert big.coef_ == [w / s for w in small.coef_]
    assert big.intercept_ == small.intercept_
