"""Display records and their printer methods: one record, one expected LaTeX, written out by hand."""

from __future__ import annotations

import pytest
import sympy

from exactml.derivation import Call, Equation, Neg, Note, Step, Sum, Table
from exactml.latex.render import LatexRenderer
from exactml.latex.text import render_text
from exactml.records import (
    Apply,
    Det,
    Entry,
    Frac,
    Indexed,
    Inverse,
    Juxtaposed,
    Log,
    Notation,
    Partial,
    Power,
    Relation,
)


@pytest.mark.parametrize(
    "record, latex",
    [
        (Notation("sse"), r"\mathrm{SSE}"),
        (Notation("dL_dw_k", 2), r"\frac{\partial L}{\partial w_{2}}"),
        (
            Notation("svm_primal_hard", Notation("x_i")),
            r"\min_{w,\,b}\ \frac{1}{2}\lVert w\rVert^2 \quad\text{subject to}\quad y_i\left(w^T x_i + b\right) \ge 1",
        ),
        (Indexed("C", 1, 2), "C_{12}"),
        (Indexed(Notation("mu"), 1, 2, sep=","), r"\mu_{1,2}"),
        (Frac(2, 4), r"\frac{2}{4}"),
        (Frac(12345, 100000), r"\frac{12{,}345}{100{,}000}"),
        (Power(Frac(1, 3), 2), r"\left(\frac{1}{3}\right)^2"),
        (Power(Apply("d", "q", Indexed("x", 1)), 3), "{d(q, x_{1})}^3"),
        (Power("d", 12), "d^{12}"),
        (Log(Frac(1, 4)), r"\log_2 \frac{1}{4}"),
        (Log(100, base=10), r"\log_{10} 100"),
        (Juxtaposed(3, Log(3)), r"3 \log_2 3"),
        (Juxtaposed(Frac(1, 6), Sum([1, 2])), r"\frac{1}{6}\left(1 + 2\right)"),
        (Apply(Notation("det"), Notation("XtX")), r"\det(X^T X)"),
        (Det(Notation("XtX")), r"\det\left(X^T X\right)"),
        (Inverse(Notation("ridge_system")), r"(X^T X + \alpha D)^{-1}"),
        (Entry(Notation("XtX"), 1, 2), "(X^T X)_{12}"),
        (Relation(None, "<=", sympy.Rational(5, 2)), r"\le \frac{5}{2}"),
        (Call(Notation("IG"), "x"), r"\mathit{IG}\left(x\right)"),
        (Sum([1, Neg(Power(Frac(1, 2), 2))]), r"1 - \left(\frac{1}{2}\right)^2"),
        # the network's names: a layer above, its entries below, a transpose, derivatives, an update
        (Indexed("a", 2, layer=1), "a^{[1]}_{2}"),
        (Indexed(Notation("delta"), layer=2), r"\delta^{[2]}"),
        (Indexed("a", layer=1, transposed=True), "a^{[1]T}"),
        (Indexed("x", transposed=True), "x^T"),
        (Indexed("b", Notation("new"), 1, sep=",", layer=2), r"b^{[2]}_{\text{new},1}"),
        (Indexed("z", layer=2).entry(3), "z^{[2]}_{3}"),
        (Partial("L", Indexed("W", 1, 2, layer=1)), r"\frac{\partial L}{\partial W^{[1]}_{12}}"),
        (Partial(Indexed("a", layer=2), Indexed("z", layer=2)), r"\frac{\partial a^{[2]}}{\partial z^{[2]}}"),
        (Relation("L", "approx", 1), r"L \approx 1"),
    ],
)
def test_each_record_prints_as_written_by_hand(record, latex):
    assert LatexRenderer().math(record) == latex


def test_an_unknown_notation_name_is_an_error():
    with pytest.raises(KeyError):
        LatexRenderer().math(Notation("no such quantity"))


def test_a_note_in_a_table_cell_is_prose_and_a_record_is_math():
    table = Table(["", Notation("approx")], [[Note(r"$\alpha_i = 0$, so"), Indexed("x", 1)]])
    tex = LatexRenderer().table(table)
    assert r" & $\approx$ \\" in tex
    assert r"$\alpha_i = 0$, so & $x_{1}$ \\" in tex


def test_placeholders_print_user_text_escaped_and_values_as_math():
    step = Step(
        "k",
        "Compute $<<inverse>>$ at <<who>>",
        why="The midpoint $<<t>>$.",
        names={"inverse": Inverse(Notation("XtX")), "who": "R&D", "t": sympy.Rational(5, 2)},
    )
    tex = step.to_latex()
    assert r"\paragraph{Compute $(X^T X)^{-1}$ at R\&D}" in tex
    assert r"The midpoint $\frac{5}{2}$." in tex
    text = render_text(step.__class__(step.key, step.title, why=step.why, names={**step.names, "who": "Ann"}))
    assert text == "[k] Compute (Xᵀ X)⁻¹ at Ann\n    Why: The midpoint 5/2."


def test_a_symbol_record_names_the_result_in_latex_and_in_text():
    step = Step("sse", "Sum of squared errors", result=sympy.Rational(1, 2), symbol=Notation("sse"))
    assert r"\[ \mathrm{SSE} = \frac{1}{2} \]" in step.to_latex()
    assert str(step) == "[sse] Sum of squared errors\n    SSE = 1/2"


def test_displays_are_reached_by_name_and_shown_in_order():
    first, second, third = Equation("a", 1), Equation("b", 2), Note("Done.")
    step = Step("k", "T", how={"pair": [first, second], "end": third})
    assert step.how == (first, second, third)
    assert step.part("pair") == (first, second) and step.part("end") is third
    with pytest.raises(KeyError, match="no display named 'middle'; it has \\['pair', 'end'\\]"):
        step.part("middle")


def test_a_one_entry_matrix_of_a_fraction_prints_over_its_denominator():
    # sympy.ilcm refuses a single argument; a network's one-output bias is such a matrix.
    assert LatexRenderer().math(sympy.Matrix([[sympy.Rational(1, 3)]])) == r"\frac{1}{3}\begin{bmatrix}1\end{bmatrix}"


@pytest.mark.parametrize(
    "record, text",
    [
        (Indexed("a", 2, layer=1), "a⁽¹⁾₂"),
        (Indexed("a", layer=1, transposed=True), "a⁽¹⁾ᵀ"),
        (Indexed("x", transposed=True), "xᵀ"),
        (Partial("L", Indexed("W", 1, 2, layer=1)), "∂L/∂W⁽¹⁾₁₂"),
        (Relation("L", "approx", 1), "L ≈ 1"),
    ],
)
def test_the_network_records_read_as_unicode_in_text(record, text):
    step = Step("k", "T", how=[record])
    assert str(step) == "[k] T\n    How:\n      " + text


def test_an_approx_relation_links_an_equation_to_its_decimal():
    step = Step("k", "T", how=[Equation("L", sympy.Rational(1, 3), relations=["approx"], approx=False)])
    assert r"\[ L \approx \frac{1}{3} \]" in step.to_latex()
    assert str(step).endswith("L ≈ 1/3")
