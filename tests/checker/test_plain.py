"""The fast path for sides of plain arithmetic: the same trees and the same verdicts as the general path.

The general path (normalise, lift, skeleton, parse) is the oracle: hypothesis writes random sides of
rational arithmetic and random claims about them, and the fast path must agree with it exactly.
"""

from fractions import Fraction
from unittest.mock import patch

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import exactml.checker.read as read_module
from exactml.checker import check
from exactml.checker.evaluate import EXACT, Array, Binding, _eval, evaluate
from exactml.checker.expr import Num, Op, Ref, Rounded
from exactml.checker.plain import MAX_PLAIN, read_plain
from exactml.checker.read import _Reader


def general(text: str, functions: frozenset = frozenset()):
    """The tree the general path reads (no fast path inside it)."""
    return _Reader(functions).read(text)


def N(k, q=1):
    return Num(sympy.Rational(k, q))


def test_trees_written_out_by_hand():
    assert read_plain("3 + 4") == Op("add", (N(3), N(4)))
    assert read_plain("1690") == N(1690)
    assert read_plain("a_{12}") == Ref("a_12")
    assert read_plain("w_1") == Ref("w_1")
    assert read_plain("0.731") == Rounded(sympy.Rational(731, 1000), 3, "0.731")
    assert read_plain(r"\frac{262}{121} + 1") == Op("add", (Op("mul", (N(262), Op("pow", (N(121), N(-1))))), N(1)))
    assert read_plain("5 - 2") == Op("add", (N(5), Op("mul", (N(-1), N(2)))))
    assert read_plain(r"2 \times (3 + 4)") == Op("mul", (N(2), Op("add", (N(3), N(4)))))
    assert read_plain("2^{-1}") == Op("pow", (N(2), Op("mul", (N(-1), N(1)))))
    assert read_plain("3a") == Op("mul", (N(3), Ref("a")))


@pytest.mark.parametrize(
    "text",
    [
        r"\sqrt{2}",  # a surd
        "1,000",  # a thousands separator, or a tuple
        "a_12",  # a_1 times 2: left to the general path
        "x^23",
        "e",  # Euler's number
        "d",  # a differential, perhaps
        r"\frac{d_1}{d_2}",  # read as the name of a derivative
        "x^T",
        "(1 + 2",  # unbalanced
        "1 + 2)",
        r"\frac{1}{2",
        "1 + 2 = 3",  # a relation is not part of one side
        "x'",
        r"\sigma(1)",
        "1" * 300,  # a number past the fast path's size
        "1 + " * (MAX_PLAIN // 4) + "1",  # a side past its length
        "٣ + 1",  # digits that are not ASCII
        "",
    ],
)
def test_what_is_not_plain_is_left_to_the_general_path(text):
    assert read_plain(text) is None


def test_a_function_the_document_defined_is_left_to_the_general_path():
    assert read_plain("f(3)", frozenset({"f"})) is None
    assert read_plain("f(3)") == general("f(3)") == Op("mul", (Ref("f"), N(3)))


def test_one_shape_is_learnt_once_and_filled_in_with_other_numbers():
    assert read_plain("3 + 4") == Op("add", (N(3), N(4)))
    assert read_plain("868 + 822") == Op("add", (N(868), N(822)))
    # a number written twice is one letter of the skeleton: a shape of its own, still the general path's tree
    assert read_plain("5 + 5") == general("5 + 5") == Op("add", (N(5), N(5)))
    assert read_plain("1.5 + 1.5") == general("1.5 + 1.5")


# ------------------------------------------------------------------ random sides
NAMES = ["x", "a_{1}", "b_2", "w_{12}", "T", "e_{3}", "e_1"]


def leaf(names=NAMES):
    return st.one_of(
        st.integers(0, 10**6).map(str),
        st.tuples(st.integers(0, 999), st.integers(0, 10**4)).map(lambda p: f"{p[0]}.{p[1]}"),
        st.sampled_from(names),
    )


def combine(parts):
    op = st.sampled_from([" + ", " - ", "+", "-", r" \times ", r"\cdot ", " / ", r" \div ", " "])
    return st.one_of(
        st.tuples(parts, op, parts).map(lambda t: t[0] + t[1] + t[2]),
        parts.map(lambda p: f"({p})"),
        parts.map(lambda p: rf"\left( {p} \right)"),
        st.tuples(parts, parts).map(lambda t: rf"\frac{{{t[0]}}}{{ {t[1]} }}"),
        st.tuples(parts, st.sampled_from(["^2", "^{3}", "^{-1}", "^{-2}", "^{10}"])).map(lambda t: f"({t[0]}){t[1]}"),
        parts.map(lambda p: "-" + p),
    )


sides = st.recursive(leaf(), combine, max_leaves=8)
# d with a subscript is a name, but in a fraction \frac{d_1}{d_2} the general path reads a derivative's name
sides_with_d = st.recursive(leaf(NAMES + ["d_{2}", "d_4"]), combine, max_leaves=8)


@settings(max_examples=400, deadline=None)
@given(sides)
def test_the_fast_path_reads_every_plain_side_as_the_general_path_does(text):
    fast = read_plain(text)
    assert fast is not None  # every side written here is plain: the fast path must take it
    assert fast == general(text)


@settings(max_examples=200, deadline=None)
@given(sides_with_d)
def test_names_of_d_are_read_as_the_general_path_does_or_left_to_it(text):
    fast = read_plain(text)
    assert fast is None or fast == general(text)
    if r"\frac" not in text:
        assert fast is not None


@settings(max_examples=200, deadline=None)
@given(sides, st.sampled_from(["add", "del", "dup"]), st.randoms(use_true_random=False))
def test_near_misses_are_read_alike_or_left_alone(text, how, rng):
    # A character added, removed or repeated: the fast path reads the general path's tree, or nothing.
    k = rng.randrange(len(text) + 1)
    if how == "add":
        text = text[:k] + rng.choice("0123456789+-^_{}()., xe\\") + text[k:]
    elif how == "del":
        text = text[:k] + text[k + 1 :]
    else:
        text = text[:k] + text[k : k + 2] + text[k:]
    fast = read_plain(text)
    if fast is None:
        return
    try:
        slow = general(text)
    except Exception as err:  # the general path refuses it: the fast path must not have read it
        pytest.fail(f"the fast path read {text!r}, which the general path refuses ({err})")
    assert fast == slow


# ------------------------------------------------------------------ verdicts
def verdicts(text):
    return [(c.line, c.source, c.status, c.exact, c.message) for c in check(text).claims]


def general_only(text):
    """The verdicts with the fast path switched off (and no reading remembered from a run with it)."""
    read_module._read_or_error.cache_clear()
    try:
        with patch.object(read_module, "read_plain", lambda *a: None):
            return verdicts(text)
    finally:
        read_module._read_or_error.cache_clear()


def value(text: str) -> Fraction:
    """The exact value of a side, computed by sympy from the general path's tree (an independent walk)."""
    return Fraction(str(sympy.nsimplify(general_value(general(text)))))


def general_value(node):
    if isinstance(node, (Num, Rounded)):
        return node.value
    if isinstance(node, Ref):
        raise KeyError(node.name)
    args = [general_value(x) for x in node.args]
    if node.op == "add":
        return sympy.Add(*args)
    if node.op == "mul":
        return sympy.Mul(*args)
    return sympy.Pow(*args)


numeric_sides = st.recursive(
    st.one_of(
        st.integers(0, 999).map(str),
        st.tuples(st.integers(0, 9), st.integers(0, 99)).map(lambda p: f"{p[0]}.{p[1]}"),
    ),
    combine,
    max_leaves=5,
)


@settings(max_examples=150, deadline=None)
@given(numeric_sides, st.integers(0, 4), st.sampled_from(["=", r"\approx"]), st.booleans())
def test_claims_get_the_same_verdicts_with_and_without_the_fast_path(side, places, rel, slip):
    try:
        exact = value(side)
    except (KeyError, ZeroDivisionError, ValueError, TypeError):
        exact = Fraction(7)  # no value (a division by zero): the claim is unchecked either way
    scaled = int(round((exact + (Fraction(1, 10**places) if slip else 0)) * 10**places))  # the digits stated
    digits = str(abs(scaled)).rjust(places + 1, "0")
    written = ("-" if scaled < 0 else "") + (digits[:-places] + "." + digits[-places:] if places else digits)
    text = f"Let $y = {side}$ and so ${side} {rel} {written}$, then $y + 1 {rel} {written} + 1$.\n\n$t = 2.5$, $t^2 = 6.25$"
    assert verdicts(text) == general_only(text)


def test_verdicts_computed_by_hand():
    claims = check(
        "$\\frac{1}{3} \\approx 0.33$ $\\frac{2}{3} \\approx 0.66$ $1/3 = 0.333$ $0.2 \\times 30 = 7$ "
        "$3 - -2 = 5$ $2^{15000} = 3$ $\\frac{1}{0} = 1$ $\\frac{262}{121} + 1 = \\frac{383}{121}$"
    ).claims
    assert [c.status for c in claims] == ["ok", "wrong", "ok", "wrong", "ok", "unchecked", "unchecked", "ok"]
    assert claims[1].exact == "2/3 ≈ 0.67"  # 0.666… rounds to 0.67, not 0.66
    assert claims[3].message == "not equal: the left side is exactly 6"
    assert "too large" in claims[5].message and "division by zero" in claims[6].message


# ------------------------------------------------------------------ evaluation
def outcome(f):
    try:
        return f()
    except Exception as err:  # the refusal is part of the answer: its kind and its words
        return type(err).__name__, str(err)


ENV = {
    "x": Binding(sympy.Rational(3, 4), False, None, None, 1, "x"),
    "a_1": Binding(sympy.sqrt(2), False, None, None, 1, "a_1"),
    "b_2": Binding(sympy.Integer(-5), False, None, None, 1, "b_2"),
    "w_12": Binding(sympy.Integer(0), False, None, None, 1, "w_12"),
    "e_3": Binding(sympy.E, False, None, None, 1, "e_3"),
    "e_1": Binding(sympy.Rational(-1, 3), False, None, None, 1, "e_1"),
    "T": Binding(Array(((sympy.Integer(1),), (sympy.Integer(2),))), False, None, None, 1, "T"),
}


@settings(max_examples=400, deadline=None)
@given(sides)
def test_exact_evaluation_gives_the_general_walks_value_or_refusal(text):
    # the general walk (_eval) is the oracle; evaluate() takes the scalar fast path where it can
    node = general(text)
    assert outcome(lambda: evaluate(node, ENV)) == outcome(lambda: _eval(node, ENV, EXACT))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3 + 4", sympy.Integer(7)),
        (r"\frac{262}{121} + 1", sympy.Rational(383, 121)),
        ("2^{-3} - x", sympy.Rational(-5, 8)),
        ("a_1^2 + b_2", sympy.Integer(-3)),
        ("0.5 \\times 0.5", sympy.Rational(1, 4)),
        ("w_{12}^{-1}", ("NotCheckable", "division by zero")),
        ("2^{15000}", ("TooLarge", "a power too large to check exactly")),
    ],
)
def test_exact_values_computed_by_hand(text, expected):
    assert outcome(lambda: evaluate(read_plain(text), ENV)) == expected
