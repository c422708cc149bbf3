"""Linear regression: the source's examples by hand, numpy as an outside oracle, bad input."""

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Matrix, Rational, Symbol

from exactml import LinearRegression, NotFittedError, SingularMatrixError

HOUSES_X = [[1500, 3], [2000, 4], [1200, 2], [1800, 3]]
HOUSES_Y = [300, 450, 250, 400]


@pytest.fixture(scope="module")
def houses():
    return LinearRegression().fit(HOUSES_X, HOUSES_Y, feature_names=["Size", "Bedrooms"])


def test_house_prices_intercept_is_minus_1600_over_19(houses):
    assert houses.intercept_ == Rational(-1600, 19)


def test_house_prices_coefficients_are_6_over_19_and_minus_500_over_19(houses):
    assert houses.coef_ == [Rational(6, 19), Rational(-500, 19)]


def test_house_xtx_matches_the_hand_computation(houses):
    assert houses.derivation_["xtx"].result == Matrix([[4, 6500, 12], [6500, 10_930_000, 20_300], [12, 20_300, 38]])


def test_house_xty_is_1400_2370000_4400(houses):
    # 1500·300 + 2000·450 + 1200·250 + 1800·400 = 2,370,000 (the source prints 2,430,000)
    assert houses.derivation_["xty"].result == Matrix([1400, 2_370_000, 4400])


def test_house_inverse_is_exact(houses):
    # det(XᵀX) = 380,000; adjugate computed by cofactors by hand.
    expected = Matrix([[3_250_000, -3400, 790_000], [-3400, 8, -3200], [790_000, -3200, 1_470_000]]) / 380_000
    assert houses.derivation_["xtx_inv"].result == expected


def test_house_sse_is_5000_over_19(houses):
    # residuals 300-5900/19, 450-8400/19, 250-4600/19, 400-7700/19 = (-200, 150, 150, -100)/19
    assert houses.derivation_["sse"].result == Rational(200**2 + 150**2 + 150**2 + 100**2, 19**2)


def test_xtx_expansion_is_shown_entry_by_entry(houses):
    text = houses.derivation_.to_latex()
    assert r"1500 \times 1500 + 2000 \times 2000 + 1200 \times 1200 + 1800 \times 1800 = 10{,}930{,}000" in text
    assert r"1500 \times 300 + 2000 \times 450 + 1200 \times 250 + 1800 \times 400" in text
    assert r"2{,}370{,}000" in text


def test_three_point_example_gives_w_0_1():
    m = LinearRegression().fit([[1], [2], [3]], [1, 2, 3])
    assert (m.intercept_, m.coef_) == (0, [1])
    d = m.derivation_
    assert d["xtx"].result == Matrix([[3, 6], [6, 14]])
    assert d["xty"].result == Matrix([6, 14])
    assert d["xtx_inv"].result == Matrix([[14, -6], [-6, 3]]) / 6
    assert r"3 \times 14 - 6 \times 6 = 6" in d.to_latex()


def test_symbolic_target_flows_through():
    t = Symbol("t")
    m = LinearRegression().fit([[1], [2], [3]], [1, 2, t])
    # slope = Σ(x-2)(y-ȳ)/Σ(x-2)² = (t - 1)/2 ; intercept = ȳ - 2·slope = (3 + t)/3 - (t - 1) = 2 - 2t/3
    assert sympy.simplify(m.coef_[0] - (t / 2 - Rational(1, 2))) == 0
    assert sympy.simplify(m.intercept_ - (2 - 2 * t / 3)) == 0


def test_float_inputs_are_taken_by_decimal_value():
    m = LinearRegression().fit([[0.1], [0.2], [0.3]], [0.1, 0.2, 0.3])
    assert (m.intercept_, m.coef_) == (0, [1])


def test_predict_is_exact(houses):
    assert houses.predict([[1500, 3]]) == [Rational(5900, 19)]
    assert houses.predict([[0, 0]]) == [Rational(-1600, 19)]


def test_singular_design_names_the_dependent_columns():
    with pytest.raises(SingularMatrixError) as info:
        LinearRegression().fit([[1, 2], [2, 4], [3, 6]], [1, 2, 4], feature_names=["a", "b"])
    err = info.value
    assert isinstance(err, ValueError)
    assert set(err.dependent) == {"a", "b"}
    assert "alpha > 0" in str(err) and "b = 2*a" in str(err)


def test_constant_column_is_dependent_on_the_intercept():
    with pytest.raises(SingularMatrixError, match="'intercept', 'c'"):
        LinearRegression().fit([[5, 1], [5, 2], [5, 3]], [1, 2, 3], feature_names=["c", "x"])


def test_ridge_resolves_the_singular_case_exactly():
    # X = [1, a, 2a] with a = 1, 2, 3; y = (1, 2, 4); penalty α = 1 on the two slopes.
    m = LinearRegression(alpha=1).fit([[1, 2], [2, 4], [3, 6]], [1, 2, 4])
    # Normal equations solved by hand: (XᵀX + D)w = Xᵀy with
    # XᵀX = [[3,6,12],[6,14,28],[12,28,56]], Xᵀy = (7, 17, 34).
    A = Matrix([[3, 6, 12], [6, 15, 28], [12, 28, 57]])
    expected = A.LUsolve(Matrix([7, 17, 34]))  # sympy's own solver as an independent check
    assert [m.intercept_, *m.coef_] == list(expected)
    assert m.coef_[1] == 2 * m.coef_[0]  # the penalty splits the effect 1 : 2


def test_not_fitted_error():
    with pytest.raises(NotFittedError, match="call fit"):
        LinearRegression().predict([[1]])


def test_bad_shapes_and_values():
    with pytest.raises(ValueError, match="3 rows but y has 2"):
        LinearRegression().fit([[1], [2], [3]], [1, 2])
    with pytest.raises(ValueError, match="row 1"):
        LinearRegression().fit([[1], [float("nan")]], [1, 2])
    with pytest.raises(ValueError, match="alpha"):
        LinearRegression(alpha=-1).fit([[1], [2]], [1, 2])
    m = LinearRegression().fit([[1], [2], [3]], [1, 2, 3])
    with pytest.raises(ValueError, match="2 values per row but the model was fitted on 1 features"):
        m.predict([[1, 2]])


def test_large_data_prints_small_latex():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 100, size=(2000, 3))
    y = rng.integers(0, 100, size=2000)
    d = LinearRegression().fit(X, y).derivation_
    text = d.to_latex()
    assert len(text) < 20_000
    assert r"\vdots" in text and r"2000 \times 4" in text


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=4, max_value=12).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(-50, 50), min_size=2, max_size=2), min_size=n, max_size=n),
            st.lists(st.integers(-100, 100), min_size=n, max_size=n),
        )
    )
)
def test_agrees_with_numpy_lstsq(data):
    X, y = data
    A = np.column_stack([np.ones(len(X)), np.array(X, dtype=float)])
    if np.linalg.matrix_rank(A) < 3:
        with pytest.raises(SingularMatrixError):
            LinearRegression().fit(X, y)
        return
    expected, *_ = np.linalg.lstsq(A, np.array(y, dtype=float), rcond=None)
    m = LinearRegression().fit(X, y)
    got = [float(v) for v in [m.intercept_, *m.coef_]]
    assert np.allclose(got, expected, rtol=1e-9, atol=1e-9)
    # and the exact solution satisfies the normal equations exactly (Fraction arithmetic, not sympy)
    w = [Fraction(int(v.p), int(v.q)) for v in [m.intercept_, *m.coef_]]
    rows = [[1, *r] for r in X]
    for j in range(3):
        lhs = sum(r[j] * sum(ri * wi for ri, wi in zip(r, w)) for r in rows)
        rhs = sum(r[j] * t for r, t in zip(rows, y))
        assert lhs == rhs
