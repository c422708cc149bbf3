"""The LaTeX layer: notation, escaping, elision, decimals and the derivation model."""

import pytest
import sympy
from sympy import Rational, sqrt

from exactml import Derivation, Step
from exactml.decimals import decimal_string, needs_decimal
from exactml.derivation import Equation, Name, Neg, Note, Product, Sum, Table
from exactml.latex.printer import group_digits, latex
from exactml.latex.render import LatexRenderer, tex_escape


@pytest.mark.parametrize(
    "n, text",
    [(6500, "6500"), (20300, "20{,}300"), (10930000, "10{,}930{,}000"), (-2370000, "-2{,}370{,}000"), (0, "0")],
)
def test_thousands_grouped_as_in_the_source(n, text):
    assert group_digits(n) == text
    assert latex(sympy.Integer(n)) == text


def test_rational_prints_as_frac_with_grouping():
    assert latex(Rational(-1600, 19)) == r"-\frac{1600}{19}"
    assert latex(Rational(1, 47500)) == r"\frac{1}{47{,}500}"


def test_log_base_two_keeps_its_base():
    assert latex(sympy.log(3, 2)) == r"\log_2 3"
    assert latex(sympy.log(3, 2) - Rational(2, 3)) == r"\log_2 3 - \frac{2}{3}"
    assert latex(sympy.log(5)) == r"\ln{\left(5 \right)}"


def test_large_matrix_is_elided_with_its_shape():
    m = sympy.Matrix(100, 3, lambda i, j: i + j)
    text = latex(m)
    assert r"\vdots" in text and r"100 \times 3" in text
    assert text.count(r"\\") < 10  # not 100 rows


@pytest.mark.parametrize(
    "value, digits, shown, needed",
    [
        (Rational(4, 9), 3, "0.444", True),
        (Rational(1, 2), 3, "0.5", False),
        (Rational(1, 18), 3, "0.056", True),
        (Rational(-1600, 19), 3, "-84.211", True),
        (sqrt(134), 2, "11.58", True),
        (sqrt(4394), 2, "66.29", True),
        (Rational(5), 3, "5", False),
        (Rational(-1, 3000), 3, "-0.000", True),
    ],
)
def test_decimals_round_half_away_from_zero(value, digits, shown, needed):
    assert needs_decimal(value, digits) is needed
    if needed:
        assert decimal_string(value, digits) == shown.replace("-0.000", "0.000")


def test_decimal_of_exact_half_rounds_up():
    assert decimal_string(Rational(1, 8), 2) == "0.13"  # 0.125 → 0.13, not banker's 0.12


def test_user_names_are_escaped():
    assert tex_escape(r"R&D_% \input{x}") == r"R\&D\_\% \textbackslash{}input\{x\}"
    r = LatexRenderer()
    table = r.table(Table([Name(r"\input{x}")], [[Name("a&b")]]))
    assert r"\input{x}" not in table and r"\textbackslash{}input\{x\}" in table and r"a\&b" in table
    assert r.math(Name("50%")) == r"\text{50\%}"


def test_note_placeholders_are_filled_escaped():
    r = LatexRenderer()
    assert r.block(Note("Split on <<f>>.", {"f": "$x#"})) == r"Split on \$x\#."


def test_sum_and_product_render_like_hand_working():
    r = LatexRenderer()
    assert r.math(Sum([Product([14, 6]), Product([-6, 14])])) == r"14 \times 6 + \left(-6\right) \times 14"
    assert r.math(Sum([Product([3, 14]), Neg(Product([6, 6]))])) == r"3 \times 14 - 6 \times 6"


def test_equation_appends_decimal_only_when_useful():
    r = LatexRenderer(digits=3)
    assert r.equation(Equation("I", Rational(4, 9))) == r"\[ I = \frac{4}{9} \approx 0.444 \]"
    assert r.equation(Equation("I", Rational(1, 2))) == r"\[ I = \frac{1}{2} \]"


def test_derivation_is_keyed_ordered_and_nested():
    inner = Derivation("node", [Step("gain", "Gain", result=Rational(1, 9))], key="root")
    d = Derivation("demo", [Step("a", "A", result=1), inner])
    assert d.keys() == ["a", "root"]
    assert d["root/gain"].result == Rational(1, 9)
    assert [s.key for s in d.steps()] == ["a", "gain"]
    with pytest.raises(KeyError, match="no step 'b'"):
        d["b"]
    with pytest.raises(ValueError, match="duplicate"):
        d.add(Step("a", "again"))


def test_step_is_immutable():
    s = Step("k", "T", result=1)
    with pytest.raises(AttributeError):
        s.result = 2


def test_repl_faces():
    d = Derivation("demo", [Step("v", "Value", symbol="v", result=Rational(1, 3))])
    assert "v = 1/3 ≈ 0.333" in str(d)
    assert d._repr_latex_().startswith("$") and r"\frac{1}{3}" in d._repr_latex_()
    assert r"\paragraph{Value}" in d.to_latex()
