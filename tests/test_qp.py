"""The exact QP solver: answers, certificates, optimal sets, and bad input.

Oracles: small problems solved by hand, and scipy's bounded least squares
(``lsq_linear``) for random convex problems.
"""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import lsq_linear
from sympy import Rational, Symbol

from exactml.svm.optimal_set import optimal_set
from exactml.svm.qp import QP, LowRankHessian, kkt_certificate, ray_certificate, solve

FOUR_X = [(1, 2), (2, 3), (2, 1), (3, 2)]
FOUR_Y = [1, 1, -1, -1]
XOR_X = [(0, 0), (0, 1), (1, 0), (1, 1)]
XOR_Y = [-1, 1, 1, -1]


def svm_dual(points, labels, C=None):
    Z = [[y * v for v in x] for x, y in zip(points, labels)]
    n = len(points)
    return QP(LowRankHessian(Z), c=[-1] * n, A=[labels], b=[0], upper=None if C is None else [C] * n)


def test_nearest_point_of_the_quadrant_to_1_minus_2_is_1_0():
    # (x1 - 1)^2 + (x2 + 2)^2 = x1^2 + x2^2 - 2 x1 + 4 x2 + 5; x >= 0 pushes x2 to 0.
    s = solve(QP(H=[[2, 0], [0, 2]], c=[-2, 4]))
    assert s.status == "optimal"
    assert s.x == (1, 0)
    assert s.value == -1
    assert s.certificate.holds


def test_equality_constraint_splits_evenly_with_multiplier_two():
    # min x1^2 + x2^2 subject to x1 + x2 = 2: x = (1, 1), gradient (2, 2) = 2 * (1, 1).
    s = solve(QP(H=[[2, 0], [0, 2]], c=[0, 0], A=[[1, 1]], b=[2]), x0=[2, 0])
    assert s.x == (1, 1)
    assert s.multipliers == (2,)
    assert s.value == 2


def test_upper_bound_caps_the_solution_at_one_half():
    # min (x - 3)^2 over 0 <= x <= 1/2.
    s = solve(QP(H=[[2]], c=[-6], upper=[Rational(1, 2)]))
    assert s.x == (Rational(1, 2),)
    assert s.certificate.status == ("upper",)


def test_four_point_svm_dual_has_value_minus_one():
    s = solve(svm_dual(FOUR_X, FOUR_Y))
    assert s.status == "optimal"
    assert s.value == -1  # the QP minimises -W, and max W = 1
    assert s.certificate.holds


def test_xor_hard_margin_dual_is_unbounded_along_equal_weights():
    s = solve(svm_dual(XOR_X, XOR_Y))
    assert s.status == "unbounded"
    ray = s.ray
    assert all(r == ray[0] for r in ray) and ray[0] > 0
    assert s.certificate.holds
    assert s.certificate.slope < 0


def test_ray_certificate_rejects_a_direction_that_is_not_a_ray():
    problem = svm_dual(XOR_X, XOR_Y)
    assert not ray_certificate(problem, [0, 0, 0, 0], [1, 1, 0, 0]).holds


def test_kkt_certificate_rejects_a_feasible_but_suboptimal_point():
    problem = svm_dual(FOUR_X, FOUR_Y)
    cert = kkt_certificate(problem, [2, 0, 2, 0], [0])
    assert cert.feasible
    assert not cert.holds


def test_optimal_set_of_four_point_dual_is_segment_t_1_minus_t():
    problem = svm_dual(FOUR_X, FOUR_Y)
    family = optimal_set(problem, solve(problem))
    (t,) = family.parameters
    # By hand: w = (-1, 1) and sum(alpha) = 2 force alpha1 + alpha2 = alpha3 + alpha4 = 1, alpha2 = alpha4.
    assert family.x == (t, 1 - t, t, 1 - t)
    assert family.interval == sympy.Interval(0, 1)
    assert family.nonzero == (0, 1, 2, 3)


def test_optimal_set_of_a_strictly_convex_problem_is_one_point():
    problem = QP(H=[[2, 0], [0, 2]], c=[-2, 4])
    family = optimal_set(problem, solve(problem))
    assert family.unique
    assert family.x == (1, 0)


def test_half_line_of_optima_has_interval_from_zero_to_infinity():
    # (x1 - x2)^2 / 2 is zero on the whole diagonal x1 = x2 >= 0.
    problem = QP(H=[[1, -1], [-1, 1]], c=[0, 0])
    family = optimal_set(problem, solve(problem))
    t = family.parameters[0]
    assert family.x == (t, t)
    assert family.interval == sympy.Interval(0, sympy.oo)


def test_a_bound_that_holds_at_every_optimum_is_pinned():
    # Same objective, but x2 <= 0: the diagonal shrinks to the single point (0, 0).
    problem = QP(H=[[1, -1], [-1, 1]], c=[0, 0], upper=[1, 0])
    family = optimal_set(problem, solve(problem))
    assert family.unique
    assert family.x == (0, 0)


def test_contradictory_equalities_are_refused():
    with pytest.raises(ValueError, match="contradict"):
        solve(QP(H=[[1, 0], [0, 1]], c=[0, 0], A=[[1, 1], [2, 2]], b=[0, 1]))


def test_infeasible_start_is_refused():
    with pytest.raises(ValueError, match="starting point is not feasible"):
        solve(QP(H=[[1]], c=[0], A=[[1]], b=[1]))


def test_float_coefficients_are_refused():
    with pytest.raises(ValueError, match="rational"):
        QP(H=[[0.5]], c=[0])


def test_upper_bound_below_lower_bound_is_refused():
    with pytest.raises(ValueError, match="upper bound"):
        QP(H=[[1]], c=[0], lower=[1], upper=[0])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.lists(st.integers(-4, 4), min_size=3, max_size=3), min_size=2, max_size=5),
    st.lists(st.integers(-6, 6), min_size=5, max_size=5),
    st.lists(st.one_of(st.none(), st.integers(1, 3)), min_size=3, max_size=3),
)
def test_bounded_least_squares_matches_scipy(M, v, upper):
    # min ½‖Mx − v‖² over 0 ≤ x ≤ u is the QP with H = MᵀM, c = −Mᵀv.
    v = v[: len(M)]
    H = [[sum(M[k][i] * M[k][j] for k in range(len(M))) for j in range(3)] for i in range(3)]
    c = [-sum(M[k][i] * v[k] for k in range(len(M))) for i in range(3)]
    s = solve(QP(H=H, c=c, upper=upper))
    assert s.status == "optimal" and s.certificate.holds
    hi = [np.inf if u is None else u for u in upper]
    ref = lsq_linear(np.array(M, float), np.array(v, float), bounds=([0, 0, 0], hi), method="bvls", tol=1e-12)
    ours = float(s.value) + 0.5 * sum(x * x for x in v)  # the QP drops the constant ½‖v‖²
    assert abs(ours - ref.cost) < 1e-7


def test_solution_values_are_exact_rationals():
    s = solve(QP(H=[[3, 1], [1, 2]], c=[-1, -1]))
    assert all(isinstance(v, sympy.Rational) for v in s.x)
    # Unconstrained minimiser H^-1 (1, 1) = (1/5, 2/5), inside the bounds.
    assert s.x == (Rational(1, 5), Rational(2, 5))


def test_parameter_symbols_are_named_t():
    problem = svm_dual(FOUR_X, FOUR_Y)
    assert optimal_set(problem, solve(problem)).parameters == (Symbol("t"),)
