"""SVC: the source's four points by hand, XOR, scikit-learn as the float oracle, and bad input."""

import random

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.svm import SVC as SkSVC
from sympy import Rational, sqrt, symbols

from exactml import NotFittedError
from exactml.derivation import Figure
from exactml.exact import DataError
from exactml.handout.context import Context
from exactml.latex.render import LatexRenderer
from exactml.svm import SVC, NotSeparableError
from exactml.svm.command import derive_table
from exactml.svm.kernels import xor_map

POINTS = [[1, 2], [2, 3], [2, 1], [3, 2]]
CLASSES = [1, 1, -1, -1]
XOR = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [-1, 1, 1, -1]
a1, a2, a3, a4 = symbols("alpha_1:5")


@pytest.fixture(scope="module")
def four():
    return SVC().fit(POINTS, CLASSES)


# ------------------------------------------------------------------ the source's four points, by hand
def test_four_points_weights_are_minus_one_one(four):
    assert four.coef_ == [-1, 1]


def test_four_points_intercept_is_zero(four):
    assert four.intercept_ == 0
    assert four.intercept_interval_ is None


def test_four_points_margin_is_sqrt_2(four):
    assert four.margin_ == sqrt(2)


def test_four_points_dual_optimum_is_one(four):
    assert four.dual_objective_ == 1
    assert four.derivation_["solution"].result == 1


def test_four_points_optimal_alpha_is_the_segment_t_1_minus_t_t_1_minus_t(four):
    # By hand: w = a1(1,2) + a2(2,3) - a3(2,1) - a4(3,2) = (-1, 1) and a1 + a2 = a3 + a4 give
    # a2 = a4 and a1 + a2 = 1 (the optimum 1 = sum(a) - |w|^2/2 = sum(a) - 1 makes sum(a) = 2).
    family = four.alpha_family_
    (t,) = family.parameters
    assert family.x == (t, 1 - t, t, 1 - t)
    assert family.interval == sympy.Interval(0, 1)
    assert not family.unique


def test_reported_alpha_is_a_member_of_the_family(four):
    a = four.alpha_
    assert a[0] + a[1] == 1 and a[1] == a[3] and a[0] == a[2] and 0 <= a[0] <= 1


def test_every_point_of_the_four_is_a_support_vector(four):
    assert four.support_ == [0, 1, 2, 3]


def test_stationarity_gives_w_in_terms_of_alpha(four):
    # dL/dw = 0: w1 = a1 + 2a2 - 2a3 - 3a4, w2 = 2a1 + 3a2 - a3 - 2a4 (x-coordinates times signs).
    assert four.derivation_["stationarity"].result == (a1 + 2 * a2 - 2 * a3 - 3 * a4, 2 * a1 + 3 * a2 - a3 - 2 * a4)


def test_dual_objective_has_every_inner_product(four):
    # x1.x1 = 5, x2.x2 = 13, x3.x3 = 5, x4.x4 = 13, x1.x2 = 8, x1.x3 = 4, x1.x4 = 7,
    # x2.x3 = 7, x2.x4 = 12, x3.x4 = 8; opposite classes flip the sign.
    Q = (
        5 * a1**2
        + 13 * a2**2
        + 5 * a3**2
        + 13 * a4**2
        + 2 * 8 * a1 * a2
        - 2 * 4 * a1 * a3
        - 2 * 7 * a1 * a4
        - 2 * 7 * a2 * a3
        - 2 * 12 * a2 * a4
        + 2 * 8 * a3 * a4
    )
    expected = a1 + a2 + a3 + a4 - Q / 2
    assert sympy.expand(four.derivation_["dual_objective"].result - expected) == 0


def test_kkt_certificate_holds_for_the_four_points(four):
    assert four.derivation_["kkt"].result is True


def test_decision_function_is_x2_minus_x1(four):
    assert four.decision_function([[0, 5], [5, 0], [Rational(1, 2), Rational(3, 4)]]) == [5, -5, Rational(1, 4)]
    assert four.predict([[0, 5], [5, 0]]) == [1, -1]


def test_derivation_keys_are_stable(four):
    assert four.derivation_.keys() == [
        "data",
        "primal",
        "lagrangian",
        "stationarity",
        "dual",
        "dual_objective",
        "solution",
        "active_set",
        "optimal_set",
        "kkt",
        "support",
        "w",
        "b",
        "margin",
        "decision",
    ]


def test_derivation_renders_to_latex(four):
    tex = four.derivation_.to_latex()
    assert r"\sqrt{2}" in tex and "W(\\alpha^*)" in tex


# ------------------------------------------------------------------ labels
def test_any_two_labels_are_mapped_in_sorted_order():
    m = SVC().fit(POINTS, ["yes", "yes", "no", "no"])
    assert m.classes_ == ["no", "yes"]
    assert m.coef_ == [-1, 1]  # "yes" is the positive class, as +1 was
    assert m.predict([[0, 5], [5, 0]]) == ["yes", "no"]
    assert m.derivation_["labels"].result == ("no", "yes")


def test_zero_one_labels_map_zero_to_minus_one():
    m = SVC().fit(POINTS, [1, 1, 0, 0])
    assert m.coef_ == [-1, 1] and m.predict([[0, 5]]) == [1]


# ------------------------------------------------------------------ XOR and kernels
def test_xor_hard_margin_says_not_linearly_separable_and_suggests_C():
    with pytest.raises(NotSeparableError) as err:
        SVC().fit(XOR, XOR_Y)
    message = str(err.value)
    assert "not linearly separable" in message and "C=" in message
    assert isinstance(err.value, ValueError)
    assert err.value.weights == (1, 1, 1, 1)
    proof = err.value.derivation
    assert proof["certificate"].result == (Rational(1, 2), Rational(1, 2))
    assert proof["contradiction"].result is False


def test_poly2_kernel_classifies_xor_exactly():
    m = SVC(kernel="poly", degree=2, coef0=1).fit(XOR, XOR_Y)
    assert m.predict(XOR) == XOR_Y
    assert m.decision_function(XOR) == [-1, 1, 1, -1]


def test_poly2_kernel_on_xor_agrees_with_sklearn():
    m = SVC(kernel="poly").fit(XOR, XOR_Y)
    sk = SkSVC(kernel="poly", degree=2, gamma=1, coef0=1, C=1e8, tol=1e-12).fit(np.array(XOR, float), XOR_Y)
    ours = [float(m.alpha_[i] * XOR_Y[i]) for i in sk.support_]
    assert np.allclose(ours, sk.dual_coef_[0], atol=1e-6)
    assert abs(float(m.intercept_) - sk.intercept_[0]) < 1e-6


def test_xor_under_phi_is_separated_by_an_exact_plane():
    m = SVC().fit([xor_map(p) for p in XOR], XOR_Y)
    sk = SkSVC(kernel="linear", C=1e8, tol=1e-12).fit(np.array([xor_map(p) for p in XOR], float), XOR_Y)
    assert np.allclose([float(w) for w in m.coef_], sk.coef_[0], atol=1e-6)
    assert m.coef_ == [2, 2, -4] and m.intercept_ == -1
    # Hand check: every mapped point lies exactly on its margin plane.
    assert [y * f for y, f in zip(XOR_Y, m.decision_function([xor_map(p) for p in XOR]))] == [1, 1, 1, 1]


def test_poly_kernel_has_no_coef():
    m = SVC(kernel="poly").fit(XOR, XOR_Y)
    with pytest.raises(AttributeError, match="linear"):
        _ = m.coef_


# ------------------------------------------------------------------ soft margin
def test_soft_margin_on_xor_gives_w_zero_and_the_midpoint_intercept():
    # All alpha = C = 1 (w = 0); every b in [-1, 1] is optimal and the midpoint is 0.
    m = SVC(C=1).fit(XOR, XOR_Y)
    assert m.coef_ == [0, 0]
    assert m.intercept_interval_ == (-1, 1)
    assert m.intercept_ == 0
    assert m.alpha_ == (1, 1, 1, 1)


def test_soft_margin_accepts_fraction_strings():
    m = SVC(C="1/2").fit(POINTS, CLASSES)
    assert all(0 <= a <= Rational(1, 2) for a in m.alpha_)


small_sets = st.integers(3, 9).flatmap(
    lambda n: st.tuples(
        st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=n, max_size=n),
        st.lists(st.sampled_from([-1, 1]), min_size=n, max_size=n),
    )
)


@settings(max_examples=30, deadline=None)
@given(small_sets)
def test_soft_margin_c1_agrees_with_sklearn(data):
    X, y = data
    assume(len(set(y)) == 2)
    m = SVC(C=1).fit(X, y)
    sk = SkSVC(kernel="linear", C=1, tol=1e-10).fit(np.array(X, float), y)
    assert np.allclose([float(w) for w in m.coef_], sk.coef_[0], atol=1e-6)
    ours = m.decision_function(X)
    theirs = sk.decision_function(np.array(X, float))
    for f, g, p, q in zip(ours, theirs, m.predict(X), sk.predict(np.array(X, float))):
        if abs(f) > 1e-6:  # an exact tie (f = 0) has no float counterpart to agree with
            assert p == q
            assert abs(float(f) - g) < 1e-5


def test_hard_margin_on_sixty_separable_points_matches_sklearn():
    rng = random.Random(7)
    X, y = [], []
    while len(X) < 60:
        a, b = rng.randint(-50, 50), rng.randint(-50, 50)
        s = 3 * a - 2 * b + 7
        if abs(s) >= 15:
            X.append([a, b])
            y.append(1 if s > 0 else -1)
    m = SVC().fit(X, y)
    sk = SkSVC(kernel="linear", C=1e6, tol=1e-10).fit(np.array(X, float), y)
    assert np.allclose([float(w) for w in m.coef_], sk.coef_[0], rtol=1e-4, atol=1e-6)
    assert m.predict(X) == y
    assert m.derivation_["kkt"].result is True
    assert "dual_objective" in m.derivation_  # large data: a summary, no expansion


# ------------------------------------------------------------------ bad input
def test_single_class_is_refused():
    with pytest.raises(DataError, match="only one class"):
        SVC().fit(POINTS, [1, 1, 1, 1])


def test_three_labels_are_refused():
    with pytest.raises(DataError, match="3 distinct labels"):
        SVC().fit(POINTS, ["a", "b", "c", "a"])


@pytest.mark.parametrize("C", [0, -1, "-1/2"])
def test_non_positive_C_is_refused(C):
    with pytest.raises(ValueError, match="C must be positive"):
        SVC(C=C).fit(POINTS, CLASSES)


def test_C_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError, match="C"):
        SVC(C="lots").fit(POINTS, CLASSES)


def test_unknown_kernel_is_refused():
    with pytest.raises(ValueError, match="unknown kernel"):
        SVC(kernel="rbf").fit(POINTS, CLASSES)


def test_degree_zero_is_refused():
    with pytest.raises(ValueError, match="degree"):
        SVC(kernel="poly", degree=0).fit(POINTS, CLASSES)


def test_negative_coef0_is_refused():
    with pytest.raises(ValueError, match="coef0"):
        SVC(kernel="poly", coef0=-1).fit(POINTS, CLASSES)


def test_symbolic_feature_is_refused_with_its_row_and_column():
    with pytest.raises(DataError, match="row 1, column 0"):
        SVC().fit([[1, 2], [sympy.Symbol("a"), 3], [2, 1], [3, 2]], CLASSES)


def test_predict_before_fit_is_refused():
    with pytest.raises(NotFittedError):
        SVC().predict([[1, 2]])


def test_predict_with_the_wrong_number_of_columns_is_refused(four):
    with pytest.raises(ValueError, match="3 values per row but the model was fitted on 2 features"):
        four.predict([[1, 2, 3]])


def test_mismatched_lengths_are_refused():
    with pytest.raises(DataError, match="4 rows but y has 3"):
        SVC().fit(POINTS, [1, -1, 1])


# ------------------------------------------------------------------ CLI, figure, handout
def test_derive_table_soft_margin_from_strings():
    header = ["X1", "X2", "Class"]
    body = [["1", "2", "+1"], ["2", "3", "+1"], ["2", "1", "-1"], ["3", "2", "-1"]]
    d = derive_table(header, body, target="Class", C="1")
    assert d["w"].result == (-1, 1)
    assert derive_table(header, body, target="Class", C="none")["margin"].result == sqrt(2)


def test_cli_derive_svm_on_xor_hard_margin_fails_with_the_reason(tmp_path, capsys):
    from exactml.cli import main

    path = tmp_path / "xor.csv"
    path.write_text("a,b,y\n0,0,-1\n0,1,1\n1,0,1\n1,1,-1\n")
    assert main(["derive", "svm", "--data", str(path), "--target", "y"]) == 1
    assert "not linearly separable" in capsys.readouterr().err
    assert main(["derive", "svm", "--data", str(path), "--target", "y", "-o", "kernel=poly"]) == 0
    assert "margin" in capsys.readouterr().out


def test_figure_draws_both_margin_lines_and_rings_support_vectors():
    data = {"points": POINTS, "y": CLASSES, "w": [-1, 1], "b": 0, "support": [0, 1, 2, 3], "margin": sqrt(2)}
    tex = LatexRenderer().block(Figure("svm", data))
    assert "(0,1) (4,5)" in tex  # w.x + b = 1 is x2 = x1 + 1 across x1 in [0, 4]
    assert "(0,-1) (4,3)" in tex  # and -1 is x2 = x1 - 1
    assert tex.count("mark=o") == 1 and r"\sqrt{2}" in tex


def test_figure_draws_a_vertical_line_when_w2_is_zero():
    data = {"points": [[0, 0], [2, 0]], "y": [-1, 1], "w": [1, 0], "b": -1, "support": [0, 1]}
    tex = LatexRenderer().block(Figure("svm", data))
    assert "(1,-1) (1,1)" in tex


def test_handout_chapter_reports_the_distance_erratum_only():
    from exactml.handout import svm as chapter

    ctx = Context()
    tex = chapter.chapter(ctx)
    assert r"\subsubsection{Numerical Example}" in tex and "tikzpicture" in tex
    assert [(e.section, e.exact) for e in ctx.errata] == [("4.2.2", sqrt(2) / 2)]
