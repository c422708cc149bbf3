"""Stage 3: the parser, and each pitfall of latex2sympy2_extended 1.11 that the pre-processing fixes.

Expected values are worked out by hand in the comments; where it helps, the
test also shows what ``latex2sympy2_extended.latex2sympy`` alone returns (its
defaults, as a user of the library would call it), so the pitfall is visible.
"""

import pathlib
import re

import pytest
import sympy
from latex2sympy2_extended import latex2sympy
from sympy import Rational, sqrt

import exactml
from exactml.checker.evaluate import Array, Binding, evaluate
from exactml.checker.expr import Mat, Num, Op, Ref, Rounded, TooLarge, Unparsable
from exactml.checker.parse import _latex2sympy, _run, name_key, parse


def value(latex, **names):
    env = {k: Binding(v, False, None, None, 1, "") for k, v in names.items()}
    return evaluate(parse(latex), env)


def matrix(rows):
    return Array(tuple(tuple(sympy.sympify(x) for x in r) for r in rows))


# -- the parser stays behind this one stage
def test_only_the_parsing_modules_import_the_parser():
    package = pathlib.Path(exactml.__file__).parent
    importers = sorted(
        str(f.relative_to(package))
        for f in package.rglob("*.py")
        if re.search(r"^\s*(from|import)\s+(latex2sympy2|antlr4)", f.read_text(), re.MULTILINE)
    )
    assert importers == ["checker/parse.py"]


# -- pitfall: \log is base 10 in latex2sympy2_extended, natural in ML texts
def test_log_is_the_natural_logarithm():
    assert latex2sympy(r"\log 100").args == (100, 10)  # the pitfall: base 10
    assert value(r"\log(e^{2})") == 2
    assert value(r"\log 100") == sympy.log(100)


def test_log_2_is_evaluated_with_its_base():
    assert value(r"\log_2 8") == 3  # 2^3 = 8
    assert value(r"\log_{2}(32)") == 5
    # -4/6 log2(4/6) - 2/6 log2(2/6) = log2(3) - 2/3
    assert (
        sympy.simplify(
            value(r"-\frac{4}{6} \log_2 \frac{4}{6} - \frac{2}{6} \log_2 \frac{2}{6}")
            - (sympy.log(3, 2) - Rational(2, 3))
        )
        == 0
    )


# -- pitfall: ^T is dropped on names and every symbol is lower-cased (X^T X becomes x*x)
def test_transpose_of_a_name_is_kept():
    assert str(latex2sympy("X^T X")) == "x*x"  # the pitfall
    X = matrix([[1, 2], [3, 4]])
    # XᵀX = [[1·1+3·3, 1·2+3·4], [2·1+4·3, 2·2+4·4]]
    assert value("X^T X", X=X) == matrix([[10, 14], [14, 20]])
    assert value("X X^T", X=X) == matrix([[5, 11], [11, 25]])


def test_top_is_a_transpose():
    with pytest.raises(Exception, match="expected something else"):
        latex2sympy(r"X^\top")  # the pitfall: not read at all
    X = matrix([[1, 2], [3, 4]])
    assert value(r"X^\top X", X=X) == value(r"X^{\top} X", X=X) == matrix([[10, 14], [14, 20]])


def test_upper_and_lower_case_names_differ():
    assert latex2sympy("A + a").free_symbols == {sympy.Symbol("a")}  # the pitfall: A became a
    assert value("A + a", A=1, a=2) == 3
    # inside the parser (letters stand for placeholders) case is kept too
    assert _run("A + a", sll=False) == sympy.Symbol("A") + sympy.Symbol("a")


def test_transpose_after_a_label_superscript():
    assert parse("a^{[1]T}") == Op("transpose", (Ref("a^[1]"),))
    assert parse(r"W^{[2]T}") == Op("transpose", (Ref("W^[2]"),))


def test_transpose_of_a_literal_matrix_and_of_a_parenthesis():
    assert value(r"\begin{bmatrix} 1 \\ 2 \end{bmatrix}^T") == matrix([[1, 2]])
    X = matrix([[1, 2], [3, 4]])
    assert value("(X X)^T", X=X) == matrix([[7, 15], [10, 22]])


# -- pitfall: \odot is unknown
def test_odot_is_the_hadamard_product():
    with pytest.raises(Exception, match="understand"):
        latex2sympy(r"a \odot b")  # the pitfall
    got = value(r"\begin{bmatrix} 1 \\ 2 \end{bmatrix} \odot \begin{bmatrix} 3 \\ 4 \end{bmatrix}")
    assert got == matrix([[3], [8]])


def test_odot_has_the_precedence_of_a_product():
    # ([2; -4] × -1/2) ⊙ [1; 3] = [-1; 2] ⊙ [1; 3] = [-1; 6]
    got = value(r"\begin{bmatrix} 2 \\ -4 \end{bmatrix} \times -\frac{1}{2} \odot \begin{bmatrix} 1 \\ 3 \end{bmatrix}")
    assert got == matrix([[-1], [6]])


# -- pitfall: x \approx 2 is read as its right side (claims are split before parsing)
def test_approx_never_reaches_the_parser():
    assert latex2sympy(r"x \approx 2") == 2  # the pitfall
    with pytest.raises(Unparsable):
        parse(r"1 \approx 2")
    with pytest.raises(Unparsable):
        _latex2sympy(r"a \approx b")  # the parser's entry rule reads one expression, not a relation


# -- "=" is a relation, never part of one side
def test_an_equation_is_not_one_side():
    assert latex2sympy("x = 3") == sympy.Eq(sympy.Symbol("x"), 3)
    with pytest.raises(Unparsable):
        parse("x = 3")
    assert parse("x + 1") == Op("add", (Ref("x"), Num(1)))


# -- pitfall: \tfrac12 (an argument without braces) is not read
def test_fractions_without_braces_and_in_text_style():
    with pytest.raises(Exception, match="expected something else"):
        latex2sympy(r"\tfrac12")  # the pitfall
    assert value(r"\tfrac12") == value(r"\dfrac{1}{2}") == value(r"\frac12") == Rational(1, 2)
    assert value(r"\tfrac{3}{4} + \frac 1 4") == 1


# -- pitfall: 10\% is an unevaluated product 10·(1/100)
def test_percentages_are_exact_fractions():
    assert sympy.srepr(latex2sympy(r"10\%")) == "Mul(Integer(10), UnevaluatedExpr(Rational(1, 100)))"  # the pitfall
    assert parse(r"10\%") == Num(Rational(1, 10))
    assert value(r"2 \times 50\% + 1") == 2
    assert parse(r"12.5\%") == Rounded(Rational(1, 8), 3, r"12.5\%")  # 0.125, written to three places
    with pytest.raises(Unparsable):
        parse(r"(1 + 2)\%")


# -- pitfall: an integer next to a fraction is a mixed number
def test_an_integer_next_to_a_fraction_is_a_product():
    assert latex2sympy(r"2 \frac{1}{2}") == Rational(5, 2)  # the pitfall: 2½
    assert value(r"2 \frac{1}{2}") == 1  # 2 × 1/2, as in 2 \frac{1}{2} w^T w
    assert value(r"-3 \frac{1}{3} + 1") == 0


# -- pitfall: decimals are binary floats
def test_decimals_are_exact():
    assert isinstance(latex2sympy("0.1"), sympy.Float)  # the pitfall
    assert parse("0.1") == Rounded(Rational(1, 10), 1, "0.1")


# -- pitfall: (3, 6.33) is an open interval
def test_a_pair_is_a_vector_not_an_interval():
    assert isinstance(latex2sympy("(3, 6.33)"), sympy.Interval)  # the pitfall
    assert value("(3, 5)") == matrix([[3], [5]])


# -- long sides: more placeholders than there are letters
def test_a_side_with_more_numbers_than_letters():
    # 1 + 2 + … + 59 = 59·60/2 = 1770
    assert value(" + ".join(str(k) for k in range(1, 60))) == 1770
    # 2·½ + 3 + … + 59 = 1 + (1770 - 1 - 2) = 1768: still a product, never the mixed number 2½
    assert value(r"2 \frac{1}{2} + " + " + ".join(str(k) for k in range(3, 60))) == 1768
    # the names x_1 … x_50, each bound to its index: 50·51/2 = 1275
    names = {f"x_{k}": k for k in range(1, 51)}
    assert value(" + ".join(f"x_{{{k}}}" for k in range(1, 51)), **names) == 1275


# -- thousands separators, also inside matrices
@pytest.mark.parametrize(
    "latex, expected",
    [
        ("10,930,000", 10930000),
        ("10{,}930{,}000", 10930000),
        (r"2{,}430{,}000 + 1", 2430001),
        ("1,500.5", Rational(3001, 2)),
    ],
)
def test_thousands_separators_make_one_number(latex, expected):
    assert value(latex) == expected


def test_thousands_separators_inside_a_matrix():
    got = value(r"\begin{bmatrix} 4 & 6500 \\ 6500 & 10,930,000 \end{bmatrix}")
    assert got == matrix([[4, 6500], [6500, 10930000]])


def test_a_tuple_of_small_numbers_is_not_a_thousands_number():
    assert value("(38,65,710)") == matrix([[38], [65], [710]])


# -- \text{} subscripts make names (the parser reads I as the imaginary unit)
def test_text_subscripts_make_names():
    assert latex2sympy(r"I_{\text{parent}}") == sympy.I  # the pitfall
    assert parse(r"I_{\text{parent}}") == Ref("I_parent")
    assert parse(r"IG_{\text{age}}") == Ref("IG_age")
    assert parse(r"W_{\text{new}}^{[2]}") == parse(r"W^{[2]}_{\text{new}}")
    assert value(r"I_{\text{parent}} - \frac{1}{9}", I_parent=Rational(4, 9)) == Rational(1, 3)


def test_bracketed_superscripts_are_labels_not_powers():
    assert latex2sympy("z^{[2]}") == sympy.Symbol("z") ** 2  # the pitfall
    assert parse("z^{[2]}") == Ref("z^[2]")
    assert value("z^{[2]} + z^2", **{"z^[2]": 5, "z": 3}) == 14


def test_derivatives_are_names():
    assert isinstance(latex2sympy(r"\frac{\partial L}{\partial w}"), sympy.Derivative)  # the pitfall
    assert parse(r"\frac{\partial L}{\partial a^{[2]}}") == Ref("dL/da^[2]")


# -- \left( \right), |x|, tuples, brackets
def test_left_right_are_plain_parentheses():
    assert value(r"\left(\frac{4}{6}\right)^2") == Rational(4, 9)
    assert value(r"1 - \left[ \frac{1}{2} \right]") == Rational(1, 2)


def test_absolute_value():
    assert value(r"|-3| + |2 - 5|") == 6
    assert value(r"\left| -\frac{1}{2} \right|") == Rational(1, 2)


def test_tuples_are_vectors_with_their_decimals_kept():
    node = parse("(3, 6.33)")
    assert isinstance(node, Mat) and node.rows[1][0] == Rounded(Rational(633, 100), 2, "6.33")


def test_a_bracket_row_with_quad_is_a_row_vector():
    assert value(r"[2 \quad -4]") == matrix([[2, -4]])
    assert value(r"-[1 + 2]") == -3  # brackets as parentheses


# -- matrices: bmatrix, pmatrix, products, sums, scalar multiples
def test_matrix_products_sums_and_scalar_multiples():
    # [[2,2],[2,2]] [0;1] + [-1;-3] = [2-1; 2-3] = [1; -1]
    got = value(
        r"\begin{pmatrix} 2 & 2 \\ 2 & 2 \end{pmatrix} \begin{bmatrix} 0 \\ 1 \end{bmatrix}"
        r" + \begin{bmatrix} -1 \\ -3 \end{bmatrix}"
    )
    assert got == matrix([[1], [-1]])
    assert value(r"\frac{1}{6} \begin{bmatrix} 0 \\ 6 \end{bmatrix}") == matrix([[0], [1]])


def test_a_row_times_a_column_is_a_number():
    assert value(r"[2 \quad -4] \begin{bmatrix} 1 \\ 1 \end{bmatrix} + 1") == -1


def test_inverse_and_entries_of_a_matrix():
    X = matrix([[1, 1], [1, 2], [1, 3]])
    # XᵀX = [[3, 6], [6, 14]], det 6, inverse (1/6)[[14, -6], [-6, 3]]
    assert value("(X^T X)^{-1}", X=X) == matrix([[Rational(7, 3), -1], [-1, Rational(1, 2)]])
    assert value("(X^T X)_{12}", X=X) == 6


# -- \times and \cdot
def test_times_and_cdot_are_products():
    assert value(r"2 \times 3 \cdot 4") == 24
    assert value(r"1500 \times 1500 + 2000 \times 2000 + 1200 \times 1200 + 1800 \times 1800") == 10930000


# -- functions of ML texts
def test_sigmoid_and_its_derivative():
    assert value(r"\sigma(0)") == Rational(1, 2)
    assert value(r"\sigma'(0)") == Rational(1, 4)  # σ(0)(1 - σ(0))
    assert value(r"\sigma(z)", z=matrix([[1], [-1]])) == matrix([[1 / (1 + sympy.exp(-1))], [1 / (1 + sympy.E)]])


def test_exponentials_roots_and_fractions():
    assert value(r"\frac{1}{1+e^{-1}}") == 1 / (1 + sympy.exp(-1))
    assert value(r"\sqrt{9 + 25 + 100}") == sqrt(134)
    assert value(r"\sqrt[3]{8}") == 2


def test_decimals_are_rounded_values_with_their_places():
    assert parse("0.731") == Rounded(Rational(731, 1000), 3, "0.731")
    assert parse("-0.700") == Op("mul", (parse("-1"), Rounded(Rational(7, 10), 3, "0.700"))) or value(
        "-0.700"
    ) == Rational(-7, 10)


# -- what cannot be read
@pytest.mark.parametrize(
    "latex",
    [r"\sum_{i=1}^n x_i", r"1 + \dots + n", r"\int_0^1 x dx", r"x \in S", "", r"\frac{1}{", r"\mod 3", r"\|w\|"],
)
def test_unreadable_math_raises_unparsable(latex):
    with pytest.raises(Unparsable):
        parse(latex)


# -- size guard
def test_a_ten_thousand_digit_number_is_too_large():
    with pytest.raises(TooLarge):
        parse("7" * 10_000)


def test_a_power_tower_is_refused_before_it_is_computed():
    with pytest.raises(TooLarge):
        value("2^{2^{64}}")


def test_deep_nesting_is_refused():
    with pytest.raises(TooLarge):
        parse("(" * 200 + "1" + ")" * 200)


# -- names
@pytest.mark.parametrize(
    "latex, key",
    [
        ("X", "X"),
        ("z^{[2]}", "z^[2]"),
        (r"I_{\text{parent}}", "I_parent"),
        (r"\delta^{[1]}", "delta^[1]"),
        (r"\text{New center}_1", "Newcenter_1"),
        (r"\hat{y}", "hat(y)"),
        ("X^T X", None),
        ("4a - 3", None),
        ("12", None),
        (r"\frac{\partial L}{\partial w}", "dL/dw"),
    ],
)
def test_name_key_recognises_bare_names(latex, key):
    assert name_key(latex) == key


# -- the fast SLL prediction gives the same parse as full LL
@pytest.mark.parametrize(
    "skeleton",
    [
        "a * b + c * f",
        r"-\frac{ a }{ b } \log_{ c } \frac{ a }{ b } - \frac{ c }{ b } \log_{ c } \frac{ c }{ b }",
        "( a b )^{- c } f g",
        "a ( b c + f )",
        "a * - b \\mod c",
        "- a - b * (- c )",
        r"\frac{ a }{ b + c }",
        "| a - b | + c !",
        "a ^{ b ^{ c }}",
    ],
)
def test_sll_and_ll_prediction_agree(skeleton):
    try:
        fast = _run(skeleton, sll=True)
    except Exception:  # SLL may give up; then LL decides (see _latex2sympy)
        fast = _latex2sympy(skeleton)
    assert fast == _run(skeleton, sll=False)
