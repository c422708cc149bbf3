"""Kernels and feature maps, against hand arithmetic and direct expansion."""

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Rational, sqrt

from exactml.derivation import Sum
from exactml.records import Notation, Power
from exactml.svm.kernels import gram, kernel_identity, linear, poly2_map, polynomial, xor_map


def test_linear_kernel_of_1_2_and_2_3_is_8():
    assert linear([1, 2], [2, 3]) == 8


def test_polynomial_kernel_of_1_2_and_3_4_is_144():
    # (1*3 + 2*4 + 1)^2 = 12^2
    assert polynomial([1, 2], [3, 4]) == 144


def test_polynomial_kernel_keeps_fractions_exact():
    assert polynomial([Rational(1, 2)], [Rational(1, 3)], degree=3, coef0=0) == Rational(1, 216)


def test_xor_map_lifts_only_the_corner_1_1():
    assert [xor_map(p) for p in [(0, 0), (0, 1), (1, 0), (1, 1)]] == [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)]


def test_poly2_map_of_1_2_is_the_six_coordinates():
    # (x1^2, x2^2, sqrt2 x1 x2, sqrt2 x1, sqrt2 x2, 1)
    assert poly2_map([1, 2]) == (1, 4, 2 * sqrt(2), sqrt(2), 2 * sqrt(2), 1)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.fractions(max_denominator=9).map(lambda f: Rational(f.numerator, f.denominator)), min_size=4, max_size=4
    )
)
def test_poly2_map_inner_product_equals_the_kernel(values):
    x, z = values[:2], values[2:]
    inner = sympy.expand(sum(a * b for a, b in zip(poly2_map(x), poly2_map(z))))
    assert inner == (x[0] * z[0] + x[1] * z[1] + 1) ** 2


def test_poly2_map_in_three_dimensions_has_ten_coordinates():
    phi = poly2_map([1, 2, 3])
    assert len(phi) == 10  # 3 squares, 3 cross products, 3 linear terms, 1 constant
    assert sympy.expand(sum(v * v for v in phi)) == (1 + 4 + 9 + 1) ** 2


def test_kernel_identity_step_proves_the_difference_is_zero():
    step = kernel_identity()
    assert step.key == "kernel_identity"
    assert step.result is True
    x1, x2, z1, z2 = sympy.symbols("x_1 x_2 z_1 z_2")
    lhs = sympy.expand((x1 * z1 + x2 * z2 + 1) ** 2)
    shown = [e for e in step.how if getattr(e, "lhs", None) == Power(Sum([Notation("xTz"), 1]), 2)]
    assert shown and shown[0].forms[-1] == lhs


def test_kernel_identity_with_coef0_two():
    assert kernel_identity(coef0=2).result is True


def test_gram_matrix_of_three_points_by_hand():
    rows = [[1, 2], [2, 3], [0, 1]]
    assert gram(rows) == [[5, 8, 2], [8, 13, 3], [2, 3, 1]]
    assert gram(rows, "poly") == [[36, 81, 9], [81, 196, 16], [9, 16, 4]]


def test_vectors_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        linear([1, 2], [1, 2, 3])


def test_xor_map_needs_two_coordinates():
    with pytest.raises(ValueError, match="two coordinates"):
        xor_map([1, 2, 3])


def test_negative_coef0_has_no_real_feature_map():
    with pytest.raises(ValueError, match="coef0"):
        poly2_map([1, 2], coef0=-1)


def test_unknown_kernel_name_is_refused():
    with pytest.raises(ValueError, match="unknown kernel"):
        gram([[1]], "rbf")
