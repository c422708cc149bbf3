"""Everything exactml computes can be looked at: in a terminal, in Jupyter, as LaTeX and as a PDF.

Expected values come from outside the code under test: mpmath at high
precision, numpy float SGD, hand computation, sympy.diff.
"""

from __future__ import annotations

import shutil
import warnings
from decimal import ROUND_HALF_UP, Decimal, localcontext

import mpmath
import pytest
import sympy as sp
from sympy import E, Rational, exp, pi, sqrt

from exactml import (
    MLP,
    SVC,
    DecisionTreeClassifier,
    Derivation,
    ExactGrowthWarning,
    KMeans,
    KNeighborsClassifier,
    LargeValue,
    LinearRegression,
    Step,
    evaluate,
)
from exactml.decimals import decimal_string, integer_text
from exactml.derivation import Name, Table
from exactml.latex.printer import latex
from exactml.latex.text import unicode_math

XOR_X, XOR_Y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
W1, B1, W2, B2 = [[2, 2], [2, 2]], [-1, -3], [[2, -4]], [-1]


# ---------------------------------------------------------------- decimals of any size
@pytest.mark.parametrize(
    "value, shown",
    [
        (exp(100), "2.688e+43"),  # e^100 = 2.6881171418161356e43
        (sqrt(2) * 10**30, "1.414e+30"),
        (-sqrt(2) * 10**30, "-1.414e+30"),
        (Rational(10**40, 3), "3.333e+39"),
        (Rational(4, 9), "0.444"),
        (Rational(-1, 3000), "0.000"),
    ],
)
def test_decimals_of_any_size_are_shown(value, shown):
    assert decimal_string(value) == shown


def test_a_power_with_thousands_of_digits_is_shown_in_scientific_notation():
    with mpmath.workdps(60):
        expected = mpmath.power(1 + mpmath.sqrt(2), 10000)
        mantissa = expected / mpmath.power(10, 3827)
        assert 5.7125 < mantissa < 5.7135  # so the shown mantissa is 5.713
    assert decimal_string((1 + sqrt(2)) ** 10000) == "5.713e+3827"
    assert decimal_string((1 + sqrt(2)) ** 10000, latex=True) == r"5.713 \times 10^{3827}"


@pytest.mark.parametrize("digits", range(26, 31))
def test_26_to_30_digits_of_pi_and_of_a_large_multiple(digits):
    with localcontext() as ctx:
        ctx.prec = 60
        expected = Decimal("3.14159265358979323846264338327950288").quantize(Decimal(10) ** -digits, ROUND_HALF_UP)
    assert decimal_string(pi, digits) == str(expected)
    assert decimal_string(pi * 10**20, digits) == f"{expected}e+20"


def test_integers_beyond_pythons_4300_digit_limit_are_elided_with_their_length():
    n = 10**5000 + 7
    assert integer_text(n) == "100000000000…000007 (5,001 digits)"
    assert latex(sp.Integer(-n)) == r"-100000000000\ldots000007_{[5001\text{ digits}]}"
    step = Step("n", "A huge integer", result=sp.Integer(n), symbol="n")
    assert "(5,001 digits)" in str(step) and r"5001\text{ digits}" in step.to_latex()


def test_exported_evaluate_gives_the_requested_digits():
    assert str(evaluate(exp(100), 20)) == "2.6881171418161354484e+43"  # mpmath: e^100
    assert abs(evaluate(E, 30) - sp.Float(mpmath.e, 30)) < sp.Float("1e-29")


# ---------------------------------------------------------------- trained networks are safe to show
def _numpy_xor(epochs, lr=0.5, rounding=None):
    np = pytest.importorskip("numpy")
    w1, b1, w2, b2 = np.array(W1, float), np.array(B1, float), np.array(W2, float), np.array(B2, float)

    def sigma(z):
        return 1 / (1 + np.exp(-z))

    for _ in range(epochs):
        for x, t in zip(np.array(XOR_X, float), XOR_Y):
            a1 = sigma(w1 @ x + b1)
            d2 = sigma(w2 @ a1 + b2) - t
            d1 = (w2.T @ d2) * a1 * (1 - a1)
            w2, b2, w1, b1 = w2 - lr * np.outer(d2, a1), b2 - lr * d2, w1 - lr * np.outer(d1, x), b1 - lr * d1
            if rounding is not None:
                w1, b1, w2, b2 = (np.round(v, rounding) for v in (w1, b1, w2, b2))
    return w1, b1, w2, b2, lambda x: sigma(w2 @ sigma(w1 @ np.array(x, float) + b1) + b2)[0]


def test_after_ten_exact_epochs_the_output_shows_its_decimal_and_its_size():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExactGrowthWarning)
        net = MLP([W1, W2], [B1, B2]).fit(XOR_X, XOR_Y, "1/2", epochs=10, progress=False)
    *_, predict = _numpy_xor(10)
    out = net.forward([0, 1])
    assert isinstance(out, LargeValue)
    text = str(out)
    assert text.startswith("≈ ") and "node expression)" in text
    assert float(text.split()[1]) == pytest.approx(predict([0, 1]), abs=1e-4)
    assert isinstance(out.exact, sp.Expr) and float(out) == pytest.approx(predict([0, 1]), rel=1e-12)
    shown = repr(net.weights)
    assert "≈ Matrix([[" in shown and len(shown) < 400


def test_weights_rounded_after_every_update_follow_rounded_float_sgd():
    net = MLP([W1, W2], [B1, B2], round_digits=12).fit(XOR_X, XOR_Y, "1/2", epochs=5, progress=False)
    w1, b1, w2, b2, _ = _numpy_xor(5, rounding=12)
    for exact_matrix, floats in zip(net.weights + net.biases, [w1, w2, b1, b2]):
        for v, f in zip(exact_matrix, floats.flatten()):
            assert v.is_Rational and (v * 10**12).is_Integer
            assert float(v) == pytest.approx(f, abs=1e-9)
    assert "rounded" in net.derivation_ and "12 decimal places" in net.derivation_.intro


def test_a_rounded_training_run_shows_its_rounded_parameters_in_text_latex_and_html():
    from fractions import Fraction

    net = MLP([W1, W2], [B1, B2], round_digits=6).fit(XOR_X, XOR_Y, "1/2", epochs=3, progress=False)
    w1, b1, w2, b2, _ = _numpy_xor(3, rounding=6)

    def fraction(f):  # numpy's float, rounded to 6 places, as the fraction it stands for (2.229 → 2229/1000)
        return str(Fraction(round(f * 10**6), 10**6))

    def rows(m):
        return "[" + ", ".join("[" + ", ".join(fraction(f) for f in row) + "]" for row in m.reshape(len(m), -1)) + "]"

    text = str(net.derivation_)
    for name, m in [("W⁽¹⁾", w1), ("b⁽¹⁾", b1), ("W⁽²⁾", w2), ("b⁽²⁾", b2)]:
        assert f"{name} ← {rows(m)}" in text
    assert "6 decimal places" in text
    latex_text, html = net.derivation_.to_latex(), net.derivation_._repr_html_()
    b2_first = Fraction(round(b2[0] * 10**6), 10**6)  # LaTeX writes b⁽²⁾ as 1/q times its grouped numerator
    assert f"\\frac{{1}}{{{b2_first.denominator:,}}}".replace(",", "{,}") in latex_text
    assert f"{b2_first.numerator:,}".replace(",", "{,}") in latex_text
    assert "Rounding to 6 decimal places" in html


def test_exact_training_that_grows_warns_once_and_names_the_remedy():
    relu = {"activation": ["relu", "identity"], "loss": "mse"}
    weights, biases = [[[1, 2], [Rational(1, 3), -1]], [[Rational(2, 7), Rational(3, 5)]]], [[Rational(1, 9), 0], [0]]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        MLP(weights, biases, **relu).fit(XOR_X, XOR_Y, Rational(1, 3), epochs=3, progress=False)
    grown = [w for w in caught if issubclass(w.category, ExactGrowthWarning)]
    assert len(grown) == 1 and "round_digits=12" in str(grown[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExactGrowthWarning)
        MLP(weights, biases, round_digits=12, **relu).fit(XOR_X, XOR_Y, Rational(1, 3), epochs=3, progress=False)


@pytest.mark.parametrize("bad", [-1, 101, 2.5, "12", True])
def test_round_digits_must_be_a_whole_number_in_range(bad):
    with pytest.raises(ValueError, match="round_digits"):
        MLP([W1, W2], [B1, B2], round_digits=bad)


def test_fit_keeps_the_last_update_and_the_loss_of_every_epoch():
    net = MLP([W1, W2], [B1, B2]).fit(XOR_X, XOR_Y, "1/2", epochs=2, progress=False)
    d = net.derivation_
    assert {"dW1", "db1", "delta2", "W2_new", "epochs"} <= set(d.keys())
    assert len(d["epochs"].result) == 2
    assert d["dW1"].result.shape == (2, 2)


def test_predict_thresholds_the_sigmoid_output_at_one_half():
    # σ(2 - 1) = σ(1) > 1/2 and σ(0 - 3) = σ(-3) < 1/2, by hand.
    assert MLP([[[1, -1]]], [[0]]).predict([[2, 1], [0, 3]]) == [1, 0]
    # Squared error: the output itself, 3·2 + 1/2.
    net = MLP([[[3]]], [[Rational(1, 2)]], activation="identity", loss="mse")
    assert net.predict([[2]]) == [Rational(13, 2)]


# ---------------------------------------------------------------- faces of a derivation
def _six():
    tree = DecisionTreeClassifier().fit(
        [["Youth", "High"], ["Youth", "Low"], ["Senior", "High"], ["Senior", "Low"]],
        ["No", "Yes", "Yes", "Yes"],
        feature_names=["Age", "Income"],
    )
    knn = KNeighborsClassifier(n_neighbors=1).fit([[0, 0], [3, 4]], ["a", "b"])
    knn.predict([[1, 1]])
    net = MLP([W1, W2], [B1, B2])
    net.step([0, 1], [1], "1/10")
    return {
        "linreg": LinearRegression().fit([[1], [2], [3]], [1, 2, 4]).derivation_,
        "tree": tree.derivation_,
        "svm": SVC().fit([[1, 2], [2, 3], [2, 1], [3, 2]], [1, 1, -1, -1]).derivation_,
        "knn": knn.derivation_,
        "kmeans": KMeans(n_clusters=2, init=[[0, 0], [5, 5]]).fit([[0, 0], [1, 0], [5, 5], [6, 5]]).derivation_,
        "nn": net.derivation_,
    }


@pytest.fixture(scope="module")
def six():
    return _six()


@pytest.mark.parametrize("name", ["linreg", "tree", "svm", "knn", "kmeans", "nn"])
def test_str_is_plain_unicode_text_with_the_reasons(six, name):
    text = str(six[name])
    assert "\\" not in text and "$" not in text and "^{" not in text and "_{" not in text
    assert "Why: " in text


@pytest.mark.parametrize("name", ["linreg", "tree", "svm", "knn", "kmeans", "nn"])
def test_jupyter_html_shows_every_steps_title_and_reason(six, name):
    page = six[name]._repr_html_()
    for step in six[name].steps():
        assert f"[{step.key}]" in page
    assert page.count("<i>Why.</i>") == sum(1 for s in six[name].steps() if s.why)


def test_reprs_are_short_and_name_the_steps(six):
    d = six["nn"]
    assert repr(d).startswith("<Derivation 'Forward and backward propagation': ") and len(repr(d)) < 300
    assert repr(d["dW1"]).startswith("<Step 'dW1': Gradient of the weights of layer 1 = ")
    assert len(repr(d["dW1"])) < 200


def test_nested_steps_tab_complete_by_path(six):
    keys = six["tree"]._ipython_key_completions_()
    assert "root" in keys and any(k.startswith("root/") for k in keys)
    assert all(k in six["tree"] for k in keys)


def test_user_text_is_escaped_in_html():
    d = Derivation("demo", [Step("t", "Data", how=[Table([Name("<b>x</b>")], [[1]])])])
    assert "<b>x</b>" not in d._repr_html_() and "&lt;b&gt;x&lt;/b&gt;" in d._repr_html_()


def test_long_computations_fold_in_html():
    houses = LinearRegression().fit([[1500, 3], [2000, 4], [1200, 2], [1800, 3]], [300, 450, 250, 400])
    assert "<details>" in houses.derivation_._repr_html_()


def test_unicode_math_writes_exactmls_latex_as_text():
    assert unicode_math(r"\frac{\partial L}{\partial W^{[1]}_{12}}") == "∂L/∂W⁽¹⁾₁₂"
    assert unicode_math(r"\bigl(W^{[2]T} \delta^{[2]}\bigr) \odot \sigma'(z^{[1]})") == "(W⁽²⁾ᵀ δ⁽²⁾) ⊙ σ'(z⁽¹⁾)"


def test_standalone_latex_is_a_whole_document(six):
    doc = six["linreg"].to_latex(standalone=True)
    assert doc.startswith(r"\documentclass") and r"\usepackage{amsmath" in doc
    assert doc.rstrip().endswith(r"\end{document}") and r"\begin{document}" in doc


@pytest.mark.skipif(shutil.which("latexmk") is None, reason="TeX Live (latexmk) is not installed")
def test_save_pdf_typesets_a_derivation(six, tmp_path):
    path = six["kmeans"].save_pdf(tmp_path / "kmeans.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"


# ---------------------------------------------------------------- symbolic networks like a textbook
def test_parameters_typeset_with_the_layer_in_brackets():
    net = MLP.symbolic([2, 2, 1])
    assert latex(net.parameters()["W1"][0, 1]) == "W^{[1]}_{12}"
    assert latex(net.parameters()["b2"][0]) == "b^{[2]}_{1}"
    assert "W⁽¹⁾₁₂" in str(Step("w", "W", result=net.parameters()["W1"][0, 1], symbol="w"))


def test_backward_steps_are_written_through_named_intermediates():
    net = MLP.symbolic([2, 2, 1])
    net.backward([1, 0], [1])
    delta1 = net.derivation_["delta1"].to_latex()
    assert "a^{[1]}_{1}" in delta1 and "a^{[2]}" in delta1
    assert r"e^{- W^{[1]}_{11}" not in delta1 and "exp" not in delta1  # no expansion of earlier layers


def test_a_result_written_in_names_lists_the_earlier_layer_first():
    # δ⁽¹⁾₂ = -4 δ⁽²⁾ σ'(-1) with δ⁽²⁾ = a⁽²⁾ - 1 and σ'(-1) = a⁽¹⁾₂ (1 - a⁽¹⁾₂): names sort by layer, then index.
    net = MLP([[[2, 2], [2, 2]], [[2, -4]]], [[-1, -3], [-1]])
    net.backward([0, 1], [1])
    tex = net.derivation_["delta1"].to_latex()
    assert r"= 4 a^{[1]}_{2} \left(1 - a^{[1]}_{2}\right) \left(1 - a^{[2]}\right) \approx 0.510" in tex
    assert "δ⁽¹⁾₂ = -4 × δ⁽²⁾ × σ'(-1) = 4·(1 - a⁽¹⁾₂)·(1 - a⁽²⁾)·a⁽¹⁾₂ ≈ 0.510" in str(net.derivation_["delta1"])


def test_one_gradient_with_its_chain_rule_equals_sympy_diff():
    w = sp.Matrix(2, 2, sp.symbols("W1_11 W1_12 W1_21 W1_22"))
    b = sp.Matrix(sp.symbols("b1_1 b1_2"))
    v, c = sp.Matrix([sp.symbols("W2_11 W2_12")]), sp.Symbol("b2_1")
    x, y = sp.Matrix([Rational(1, 2), -1]), 1
    hidden = (w * x + b).applyfunc(lambda z: 1 / (1 + exp(-z)))
    a = 1 / (1 + exp(-((v * hidden)[0] + c)))
    loss = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    net = MLP.symbolic([2, 2, 1])
    d = net.gradient("W1", 2, 1, x=[Rational(1, 2), -1], y=[1])
    assert d.keys()[0] == "chain" and "delta1" in d and d.keys()[-1] == "result"
    expected = sp.diff(loss, sp.Symbol("W1_21"))
    point = {s: Rational(k + 1, 3) for k, s in enumerate(sorted(loss.free_symbols, key=str))}
    assert abs(sp.N(d["result"].result.xreplace(point) - expected.xreplace(point), 30)) < 1e-25
    with pytest.raises(ValueError, match="W1, b1, W2, b2"):
        net.gradient("W3", 1, 1)
    with pytest.raises(ValueError, match="from 1 to 2"):
        net.gradient("W1", 3, 1)


def test_a_fit_on_a_5001_digit_feature_prints_in_every_face():
    d = LinearRegression().fit([[1], [2], [10**5000]], [1, 2, 3]).derivation_
    for face in (str(d), d.to_latex(), d._repr_html_(), d._repr_markdown_(), d._repr_latex_()):
        assert "5,001 digits" in face or "5001" in face


def test_tiny_values_keep_their_significant_digits_in_short_forms():
    from exactml.decimals import sig_string

    assert sig_string(Rational(1, 10**10000)) == "1.000e-10000"
    assert sig_string(Rational(-3, 10**7)) == "-3.000e-7"
    assert sig_string(Rational(4, 9)) == "0.4444"


def test_a_wide_symbolic_pass_prints_its_rules_without_writing_out_the_gradients():
    net = MLP.symbolic([4, 8, 8, 1])
    net.backward([1, 2, 3, 4], [1])
    d = net.derivation_
    latex_text, text = d.to_latex(), str(d)
    assert r"\delta^{[1]}" in latex_text and "δ⁽¹⁾ = (W⁽²⁾ᵀ δ⁽²⁾) ⊙ σ'(z⁽¹⁾)" in text
    assert len(latex_text) < 100_000 and len(text) < 100_000
    assert d["dW1"].result.shape == (8, 4)  # the exact gradients are still the results


def test_plain_text_keeps_a_users_ampersand_dollar_and_underscore_and_drops_bidi_controls():
    names = ["R&D_$1", "x\u202ey"]  # written out: what the reader must see is "R&D_$1" and "xy"
    X, y = [[1, 0], [2, 1], [3, 0], [4, 1]], ["yes", "no", "yes", "no"]
    for model in (
        LinearRegression().fit(X, [1, 2, 3, 5], feature_names=names),
        DecisionTreeClassifier().fit(X, y, names),
    ):
        text = str(model.derivation_)
        assert "R&D_$1" in text and "xy" in text
        assert "RD" not in text.replace("R&D", "") and "\u202e" not in text
    assert unicode_math(r"R\&D") == "R&D"


def test_the_notebook_view_drops_bidi_controls_from_users_names_too():
    model = DecisionTreeClassifier().fit([[1], [2], [3]], ["a\u202eb", "c", "c"], ["x\u202ey"])
    for view in (model.derivation_._repr_html_(), model.derivation_._repr_markdown_()):
        assert "\u202e" not in view


def test_learned_values_too_long_to_print_are_shown_by_their_decimals_and_stay_exact():
    big = 10**5000  # y = 2·10⁵⁰⁰⁰·x exactly: slope 2·10⁵⁰⁰⁰, intercept 0 (by hand)
    model = LinearRegression().fit([[1], [2], [3]], [2 * big, 4 * big, 6 * big])
    shown = repr(model.coef_)
    assert shown == "[≈ 2.000e+5000 (exact: 5,001-digit integer)]"
    assert model.coef_[0].exact == 2 * big and model.intercept_ == 0
    assert model.predict([[4]]) == [8 * big]
    houses = LinearRegression().fit([[1], [2], [3]], [1, 3, 2])  # small results stay plain sympy values
    assert houses.coef_ == [Rational(1, 2)] and isinstance(houses.coef_[0], sp.Rational)
