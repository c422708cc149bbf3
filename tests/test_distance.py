"""Exact metrics (exactml.arith.distance) and the exact search kernels shared by k-NN and K-means (exactml.arith.nearest).

Expected values are written out by hand or computed here by brute force with
Python fractions; every kernel is run with numpy and without it.
"""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Rational, sqrt

from exactml.arith import distance as dist
from exactml.arith import nearest
from exactml.derivation import Call, Sum
from exactml.latex.printer import latex


@pytest.fixture(params=["numpy", "pure"])
def path(request, monkeypatch):
    """Run a test with numpy, and again as if numpy were not installed."""
    if request.param == "pure":
        monkeypatch.setattr(nearest, "_np", None)
    return request.param


# ------------------------------------------------------------------ metrics
def test_euclidean_of_the_source_pair_is_sqrt_134():
    assert dist.euclidean((38, 65, 710), (35, 60, 700)) == sqrt(134)


def test_root_takes_square_factors_out():
    assert dist.root(4394) == 13 * sqrt(26)  # 4394 = 13² · 26
    assert dist.root(72) == 6 * sqrt(2)


def test_root_of_a_fraction_has_a_rational_denominator():
    assert dist.root(Rational(1, 8)) == sqrt(2) / 4
    assert dist.root(Rational(34, 9)) == sqrt(34) / 3


def test_cube_root_takes_cubes_out():
    assert dist.root(16, 3) == 2 * sympy.root(2, 3)


def test_root_of_zero_and_of_a_perfect_square():
    assert dist.root(0) == 0
    assert dist.root(Rational(9, 4)) == Rational(3, 2)


def test_root_of_a_negative_value_is_refused():
    with pytest.raises(ValueError, match="negative"):
        dist.root(-4)


def test_manhattan_distance_is_the_sum_of_absolute_differences():
    assert dist.manhattan((38, 65, 710), (40, 70, 720)) == 17


def test_minkowski_p3_is_an_exact_cube_root():
    # 3³ + 5³ + 10³ = 1152 = 2⁷·3², so the cube root is 4·∛18
    assert dist.minkowski((38, 65, 710), (35, 60, 700), 3) == 4 * sympy.root(18, 3)


def test_distances_of_decimal_inputs_are_exact():
    assert dist.euclidean(("0.1", 0), (0, "0.2")) == sqrt(5) / 10


def test_points_of_different_dimensions_are_refused():
    with pytest.raises(ValueError, match="same number"):
        dist.power_sum((1, 2), (1, 2, 3))


@pytest.mark.parametrize(
    "metric, p, expected",
    [("euclidean", 7, 2), ("manhattan", 2, 1), ("minkowski", 3, 3), ("minkowski", "4", 4), ("minkowski", 2.0, 2)],
)
def test_metric_power(metric, p, expected):
    assert dist.metric_power(metric, p) == expected


@pytest.mark.parametrize(
    "metric, p, message",
    [
        ("cosine", 2, "unknown metric"),
        ("minkowski", 1.5, "whole number"),
        ("minkowski", 0, "whole number"),
        ("minkowski", "two", "whole number"),
    ],
)
def test_bad_metrics_are_refused(metric, p, message):
    with pytest.raises(ValueError, match=message):
        dist.metric_power(metric, p)


# ------------------------------------------------------------------ written form
def test_distance_equation_shows_the_differences_the_sums_and_the_simplified_root():
    eq = dist.distance_equation("d", (38, 65, 710), (25, 40, 650))
    written, added, radical, value = eq.forms
    assert [latex(t) for t in written.args[0].terms] == [
        r"\left(38 - 25\right)^{2}",
        r"\left(65 - 40\right)^{2}",
        r"\left(710 - 650\right)^{2}",
    ]
    assert added == Call("sqrt", Sum([169, 625, 3600]))
    assert radical == Call("sqrt", 4394)
    assert value == 13 * sqrt(26)


def test_distance_equation_skips_the_radical_when_it_is_already_simplest():
    eq = dist.distance_equation("d", (38, 65, 710), (35, 60, 700))
    assert len(eq.forms) == 3 and eq.forms[-1] == sqrt(134)


def test_a_subtracted_negative_number_is_bracketed():
    assert latex(dist.Difference(2, -3)) == r"2 - \left(-3\right)"


def test_manhattan_terms_are_absolute_values():
    eq = dist.distance_equation("d", (1, 5), (4, 2), p=1)
    assert [latex(t) for t in eq.forms[0].terms] == [r"\left|{1 - 4}\right|", r"\left|{5 - 2}\right|"]
    assert eq.forms[-1] == 6


# ------------------------------------------------------------------ scaling
def test_rational_points_are_scaled_by_their_common_denominator():
    pts = nearest.scale_points([[Rational(1, 2), Rational(1, 3)], [1, Rational(5, 6)]])
    assert pts.scale == 6
    assert [list(r) for r in pts.rows] == [[3, 2], [6, 5]]
    assert pts.max_abs == 6


def test_a_scale_that_does_not_clear_a_denominator_is_refused():
    with pytest.raises(ValueError, match="multiple"):
        nearest.scale_points([[Rational(1, 3)]], scale=2)


# ------------------------------------------------------------------ k nearest
def brute_force(points, query, k, p):
    keys = sorted((sum(abs(Fraction(a) - Fraction(b)) ** p for a, b in zip(x, query)), i) for i, x in enumerate(points))
    return keys[:k]


def run_kernel(points, queries, k, p):
    scale = nearest.common_scale(points, queries)
    found = nearest.nearest_keys(nearest.scale_points(points, scale), nearest.scale_points(queries, scale), k, p)
    return [[(Fraction(key, scale**p), i) for key, i in row] for row in found]


def test_equal_distances_are_ranked_by_training_order(path):
    points = [[3], [1], [-1], [1]]  # distances 3, 1, 1, 1 from 0
    assert run_kernel(points, [[0]], 2, 2) == [[(1, 1), (1, 2)]]
    assert run_kernel(points, [[0]], 4, 2) == [[(1, 1), (1, 2), (1, 3), (9, 0)]]


def test_the_source_query_finds_its_three_neighbours(path):
    customers = [[25, 40, 650], [35, 60, 700], [45, 80, 750], [30, 50, 600], [40, 70, 720]]
    assert run_kernel(customers, [[38, 65, 710]], 3, 2) == [[(129, 4), (134, 1), (1874, 2)]]


@pytest.mark.parametrize(
    "scale_of_values, p", [(10, 2), (10**4, 2), (10**7, 2), (10**8, 2), (10**5, 3), (10**20, 2), (10, 1)]
)
def test_every_numeric_range_gives_the_brute_force_answer(path, scale_of_values, p):
    # float32 (small), float64 (medium), int64 (large, or p = 3) and Python ints (huge) kernels
    import random

    rng = random.Random(scale_of_values + p)
    points = [[rng.randrange(-scale_of_values, scale_of_values) for _ in range(3)] for _ in range(60)]
    points += [points[3], points[7]]  # exact duplicates make ties
    queries = [[rng.randrange(-scale_of_values, scale_of_values) for _ in range(3)] for _ in range(5)] + [points[3]]
    assert run_kernel(points, queries, 4, p) == [brute_force(points, q, 4, p) for q in queries]


coordinate = st.one_of(st.integers(-30, 30), st.fractions(min_value=-5, max_value=5, max_denominator=7))


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda d: st.tuples(
            st.lists(st.lists(coordinate, min_size=d, max_size=d), min_size=1, max_size=25),
            st.lists(st.lists(coordinate, min_size=d, max_size=d), min_size=1, max_size=4),
        )
    ),
    st.integers(1, 6),
    st.sampled_from([1, 2, 3]),
    st.booleans(),
)
def test_nearest_keys_match_brute_force(data, k, p, use_numpy):
    points, queries = data
    points = [[Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else x for x in r] for r in points]
    queries = [[Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else x for x in r] for r in queries]
    k = min(k, len(points))
    saved = nearest._np
    try:
        if not use_numpy:
            nearest._np = None
        assert run_kernel(points, queries, k, p) == [brute_force(points, q, k, p) for q in queries]
    finally:
        nearest._np = saved


# ------------------------------------------------------------------ nearest centre
def centre(*values):
    """(sums, count) for a centre with these rational coordinates."""
    fr = [Fraction(v) for v in values]
    count = 1
    for f in fr:
        count = count * f.denominator // __import__("math").gcd(count, f.denominator)
    return tuple(int(f * count) for f in fr), count


def test_a_point_halfway_between_two_centres_joins_the_lower_numbered(path):
    pts = nearest.scale_points([[0], [2], [1]])
    assert nearest.nearest_centres(pts, [centre(0), centre(2)]) == [0, 1, 0]
    assert nearest.nearest_centres(pts, [centre(2), centre(0)]) == [1, 0, 0]


def test_a_float_tie_is_decided_exactly():
    # In float64 both centres round to ±(10^15 + 0.375), so floats see a tie and would pick centre 0;
    # exactly, centre 1 is nearer the origin by 10^-6.
    far = -(Fraction(10**15) + Fraction(1, 3) + Fraction(1, 10**6))
    near = Fraction(10**15) + Fraction(1, 3)
    assert float(-far) == float(near)
    pts = nearest.scale_points([[0]])
    assert nearest.nearest_centres(pts, [centre(far), centre(near)]) == [1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(-20, 20), min_size=2, max_size=2), min_size=1, max_size=30),
    st.lists(
        st.tuples(st.fractions(-20, 20, max_denominator=9), st.fractions(-20, 20, max_denominator=9)),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_nearest_centres_match_brute_force(points, centres, use_numpy):
    expected = []
    for x in points:
        keys = [sum((Fraction(a) - b) ** 2 for a, b in zip(x, c)) for c in centres]
        expected.append(keys.index(min(keys)))  # index() finds the first, i.e. the lowest-numbered
    saved = nearest._np
    try:
        if not use_numpy:
            nearest._np = None
        assert nearest.nearest_centres(nearest.scale_points(points), [centre(*c) for c in centres]) == expected
    finally:
        nearest._np = saved


def test_cluster_sums_count_and_add_exactly(path):
    pts = nearest.scale_points([[1, 2], [3, 4], [10, 20], [2**40, 1]])
    counts, sums = nearest.cluster_sums(pts, [0, 0, 1, 1], 3)
    assert counts == [2, 2, 0]
    assert sums == [[4, 6], [2**40 + 10, 21], [0, 0]]


def test_square_norm_total(path):
    assert nearest.square_norm_total(nearest.scale_points([[1, 2], [3, 4]])) == 30


def test_roots_of_huge_numbers_stay_exact_without_full_factoring():
    big = 10**200 + 1
    assert dist.root(big**2) == big
    assert dist.root(2 * big**2) == big * sqrt(2)
