"""Impurity and information gain: hand-computed values, exactness, sympy as an outside oracle, bad input."""

import math

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Rational, log

from exactml import entropy, gini, information_gain
from exactml.latex.printer import latex
from exactml.tree.impurity import entropy_step, form_to_sympy, gini_step, log_form_sign, split_step

LOG2_3 = log(3) / log(2)


def same(a, b):
    """Exactly equal as real numbers: every logarithm is expanded into logarithms of primes."""

    def primes(expr):
        return expr.replace(
            lambda e: isinstance(e, sympy.log) and e.args[0].is_Integer and e.args[0] > 1,
            lambda e: sympy.Add(*[k * log(p) for p, k in sympy.factorint(int(e.args[0])).items()]),
        )

    return sympy.expand(primes(sympy.expand_log(a - b, force=True))) == 0


# ------------------------------------------------------------------ Gini
def test_gini_of_four_yes_two_no_is_four_ninths():
    # 1 - (4/6)² - (2/6)² = 1 - 16/36 - 4/36 = 16/36
    assert gini([4, 2]) == Rational(4, 9)


def test_gini_of_an_even_split_is_one_half():
    assert gini([1, 1]) == Rational(1, 2)


def test_gini_of_a_pure_node_is_zero():
    assert gini([3, 0]) == 0
    assert gini([5]) == 0


def test_gini_of_three_even_classes_is_two_thirds():
    assert gini([2, 2, 2]) == Rational(2, 3)


def test_gini_accepts_a_mapping_of_counts():
    assert gini({"Yes": 2, "No": 1}) == Rational(4, 9)


# ------------------------------------------------------------------ entropy
def test_entropy_of_four_yes_two_no_is_log2_3_minus_two_thirds():
    # -(4/6)log2(4/6) - (2/6)log2(2/6) = log2 6 - (4·2 + 2·1)/6 = 1 + log2 3 - 5/3
    assert entropy([4, 2]) == LOG2_3 - Rational(2, 3)


def test_entropy_is_symbolic_not_a_float():
    h = entropy([4, 2])
    assert not h.has(sympy.Float)
    assert abs(float(h) - 0.9182958340544896) < 1e-15


def test_entropy_of_even_splits_is_a_whole_number_of_bits():
    assert entropy([1, 1]) == 1
    assert entropy([3, 3]) == 1
    assert entropy([1, 1, 1, 1]) == 2


def test_entropy_of_three_even_classes_is_log2_3():
    assert entropy([2, 2, 2]) == LOG2_3


def test_entropy_of_a_pure_node_is_zero():
    assert entropy([2, 0]) == 0


def test_entropy_of_five_and_one_splits_log2_6_into_primes():
    # H = log2 6 - (5/6) log2 5
    assert same(entropy([5, 1]), log(6, 2) - Rational(5, 6) * log(5, 2))
    assert entropy([5, 1]).has(log(3)) and not entropy([5, 1]).has(log(6))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=5).filter(lambda c: sum(c) > 0))
def test_entropy_equals_the_textbook_formula(counts):
    n = sum(counts)
    textbook = -sum(Rational(c, n) * log(Rational(c, n), 2) for c in counts if c)
    assert same(entropy(counts), textbook)


def test_entropy_prints_with_base_two_logarithms():
    text = latex(entropy([4, 2]))
    assert r"\log_2 3" in text and r"\frac{2}{3}" in text
    assert r"\log{" not in text and r"\ln" not in text


# ------------------------------------------------------------------ information gain
def test_gain_of_splitting_on_student_is_one_ninth():
    # parent [4 Yes, 2 No]; Student = Yes [2, 0], Student = No [2, 2]: 4/9 - (4/6)(1/2) = 1/9
    assert information_gain([4, 2], [[2, 0], [2, 2]]) == Rational(1, 9)


def test_gain_of_splitting_on_age_is_one_eighteenth():
    # Youth [1,1], Middle [1,0], Senior [2,1]: 4/9 - (2/6·1/2 + 0 + 3/6·4/9) = 4/9 - 7/18
    assert information_gain([4, 2], [[1, 1], [1, 0], [2, 1]]) == Rational(1, 18)


def test_entropy_gain_of_student_is_log2_3_minus_four_thirds():
    # (log2 3 - 2/3) - (4/6)·1
    assert information_gain([4, 2], [[2, 0], [2, 2]], criterion="entropy") == LOG2_3 - Rational(4, 3)


def test_entropy_gain_of_age_is_half_log2_3_minus_two_thirds():
    # (log2 3 - 2/3) - (2/6·1 + 0 + 3/6·(log2 3 - 2/3)) = (1/2) log2 3 - 2/3
    gain = information_gain([4, 2], [[1, 1], [1, 0], [2, 1]], criterion="entropy")
    assert gain == LOG2_3 / 2 - Rational(2, 3)


def test_a_split_that_changes_nothing_gains_zero():
    assert information_gain([2, 2], [[1, 1], [1, 1]]) == 0
    assert information_gain([2, 2], [[1, 1], [1, 1]], criterion="entropy") == 0


# ------------------------------------------------------------------ exact comparison of log forms
@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from([2, 3, 5, 7, 11]), st.integers(-40, 40), max_size=4))
def test_log_form_sign_agrees_with_comparing_integer_powers(form):
    above = math.prod(p**k for p, k in form.items() if k > 0)
    below = math.prod(p ** (-k) for p, k in form.items() if k < 0)
    assert log_form_sign(form) == (above > below) - (above < below)


def test_log_form_sign_separates_a_close_pair_of_powers():
    # 3^665 exceeds 2^1054 by a relative 4e-5: 1054 ln 2 - 665 ln 3 < 0
    assert 3**665 > 2**1054
    assert log_form_sign({2: 1054, 3: -665}) == -1


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(st.sampled_from([2, 3, 5, 7, 13, 97]), st.integers(-(10**6), 10**6), max_size=5),
    st.integers(1, 10**6),
)
def test_fast_form_construction_equals_sympys_own_sum(form, den):
    expected = sympy.Add(*[Rational(k, den) * (log(p) / log(2) if p != 2 else 1) for p, k in form.items()])
    assert form_to_sympy({p: k for p, k in form.items() if k}, den) == expected


# ------------------------------------------------------------------ steps
def test_gini_step_shows_the_sources_chain():
    step = gini_step([4, 2])
    assert step.result == Rational(4, 9)
    text = step.to_latex()
    assert r"1 - \left(\frac{4}{6}\right)^2 - \left(\frac{2}{6}\right)^2" in text
    assert r"1 - \frac{16}{36} - \frac{4}{36}" in text and r"1 - \frac{20}{36}" in text
    assert "0.444" in text


def test_entropy_step_keeps_logarithms_exact():
    step = entropy_step([4, 2])
    assert step.result == LOG2_3 - Rational(2, 3)
    text = step.to_latex()
    assert r"-\frac{4}{6} \log_2 \frac{4}{6} - \frac{2}{6} \log_2 \frac{2}{6}" in text
    assert r"\log_2 3" in text and "0.918" in text


def test_split_step_weights_each_branch_by_its_share():
    step = split_step("Age", [("Age = Youth", [1, 1]), ("Age = Middle", [1, 0]), ("Age = Senior", [2, 1])])
    assert step.result == Rational(1, 18)
    text = step.to_latex()
    assert r"\frac{2}{6} \times \frac{1}{2} + \frac{1}{6} \times 0 + \frac{3}{6} \times \frac{4}{9}" in text
    assert r"\frac{7}{18}" in text and "0.056" in text


def test_split_step_escapes_user_labels():
    step = split_step("R&D_%", [("R&D_% = a", [1, 0]), ("R&D_% = b", [0, 1])])
    text = step.to_latex()
    assert r"R\&D\_\%" in text and "R&D" not in text.replace(r"R\&D", "")


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "counts, message",
    [
        ([], "empty"),
        ([0, 0], "all zero"),
        ([3, -1], "negative"),
        ([1.5, 2], "whole number"),
        ("42", "sequence"),
        ([True, 1], "whole number"),
    ],
)
def test_bad_counts_are_refused_with_a_reason(counts, message):
    with pytest.raises(ValueError, match=message):
        gini(counts)


def test_children_that_do_not_add_up_to_the_parent_are_refused():
    with pytest.raises(ValueError, match=r"add up to \[3, 2\] but the parent's are \[4, 2\]"):
        information_gain([4, 2], [[2, 0], [1, 2]])


def test_children_with_a_different_number_of_classes_are_refused():
    with pytest.raises(ValueError, match=r"children_counts\[1\] has 3 classes but the parent has 2"):
        information_gain([4, 2], [[2, 0], [2, 2, 0]])


def test_an_unknown_criterion_is_refused():
    with pytest.raises(ValueError, match="'gini' or 'entropy'"):
        information_gain([4, 2], [[2, 0], [2, 2]], criterion="log_loss")
