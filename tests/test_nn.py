"""The network of the source's chapter 7, by hand; symbolic gradients against sympy.diff; bad input."""

from __future__ import annotations

import json
import time
from fractions import Fraction

import pytest
import sympy as sp
from sympy import E, Rational, exp, log

from exactml import MLP, NotFittedError
from exactml.cli import main
from exactml.decimals import decimal_string
from exactml.handout.context import Context
from exactml.nn.command import derive_table
from exactml.nn.estimator import ExactGrowthWarning

W1, B1, W2, B2 = [[2, 2], [2, 2]], [-1, -3], [[2, -4]], [-1]
X, Y = [0, 1], [1]

# The same quantities written out by hand (σ(1) = e/(e+1), σ(-1) = 1/(e+1)).
Z2 = (E - 5) / (E + 1)
A2 = 1 / (1 + exp(-Z2))
DELTA2 = A2 - 1
SLOPE1 = E / (E + 1) ** 2  # σ'(1) = σ'(-1)
DELTA1 = [2 * DELTA2 * SLOPE1, -4 * DELTA2 * SLOPE1]


def agree(a, b, digits=50):
    """Equal to 50 significant digits (the exact forms differ only in arrangement)."""
    return abs(sp.N(a - b, digits)) < sp.Float(10) ** (-(digits - 5))


@pytest.fixture
def net():
    return MLP([W1, W2], [B1, B2])


@pytest.fixture
def updated():
    return MLP([W1, W2], [B1, B2]).step(X, Y, Rational(1, 10))


# ---------------------------------------------------------------- forward pass
def test_hidden_weighted_inputs_are_one_and_minus_one(net):
    net.forward(X)
    assert net.derivation_["z1"].result == sp.Matrix([1, -1])


def test_sigmoid_of_one_stays_one_over_one_plus_e_to_the_minus_one(net):
    net.forward(X)
    assert net.derivation_["a1"].result == sp.Matrix([1 / (1 + exp(-1)), 1 / (1 + E)])


def test_output_weighted_input_is_e_minus_5_over_e_plus_1(net):
    net.forward(X)
    z2 = net.derivation_["z2"].result[0]
    assert z2 == (E - 5) / (E + 1)  # simplified to exactly this form
    assert decimal_string(z2) == "-0.614"


def test_prediction_is_about_0_351_not_0_299(net):
    out = net.forward(X)
    assert out == 1 / (1 + exp((5 - E) / (1 + E)))
    assert decimal_string(out) == "0.351"


# ---------------------------------------------------------------- loss and gradients
def test_cross_entropy_loss_is_log_of_one_plus_e_to_minus_z2(net):
    loss = net.loss(X, Y)
    assert loss == log(1 + exp((5 - E) / (1 + E)))
    assert decimal_string(loss) == "1.046"


def test_local_derivatives_of_the_output(net):
    net.backward(X, Y)
    d = net.derivation_
    assert agree(d["dloss"].result[0], -1 / A2)
    assert agree(d["dact2"].result[0], A2 * (1 - A2))
    assert decimal_string(d["dloss"].result[0]) == "-2.847"
    assert decimal_string(d["dact2"].result[0]) == "0.228"


def test_output_delta_is_prediction_minus_target(net):
    net.backward(X, Y)
    d = net.derivation_
    assert d["delta2"].result[0] == d["a2"].result[0] - 1  # exactly a - y
    assert agree(d["delta2"].result[0], A2 - 1)
    assert agree(d["delta2"].result[0], d["dloss"].result[0] * d["dact2"].result[0])


def test_delta_is_a_minus_y_for_a_fractional_target(net):
    net.backward(X, [Rational(1, 3)])
    d = net.derivation_
    assert d["delta2"].result[0] == d["a2"].result[0] - Rational(1, 3)


def test_output_layer_gradients(net):
    g = net.backward(X, Y)
    assert agree(g["W2"][0, 0], DELTA2 * E / (E + 1))
    assert agree(g["W2"][0, 1], DELTA2 / (E + 1))
    assert agree(g["b2"][0], A2 - 1)
    assert [decimal_string(v) for v in g["W2"]] == ["-0.474", "-0.174"]


def test_hidden_deltas_have_opposite_signs(net):
    net.backward(X, Y)
    delta1 = net.derivation_["delta1"].result
    assert agree(delta1[0], DELTA1[0]) and agree(delta1[1], DELTA1[1])
    assert [decimal_string(v) for v in delta1] == ["-0.255", "0.510"]


def test_hidden_weight_gradients_vanish_for_the_zero_input(net):
    g = net.backward(X, Y)
    assert g["W1"][0, 0] == 0 and g["W1"][1, 0] == 0  # exactly zero, not a tiny number
    assert agree(g["W1"][0, 1], DELTA1[0]) and agree(g["W1"][1, 1], DELTA1[1])
    assert agree(g["b1"][0], DELTA1[0]) and agree(g["b1"][1], DELTA1[1])


def test_gradients_are_shaped_like_the_parameters(net):
    g = net.backward(X, Y)
    assert list(g) == ["W1", "b1", "W2", "b2"]
    assert {k: v.shape for k, v in g.items()} == {k: v.shape for k, v in net.parameters().items()}


# ---------------------------------------------------------------- one update with eta = 1/10
def test_update_of_the_output_layer(updated):
    W, b = updated.weights[1], updated.biases[1]
    assert agree(W[0, 0], 2 - DELTA2 * E / (E + 1) / 10)
    assert agree(W[0, 1], -4 - DELTA2 / (E + 1) / 10)
    assert agree(b[0], -1 - DELTA2 / 10)
    assert [decimal_string(v) for v in (W[0, 0], W[0, 1], b[0])] == ["2.047", "-3.983", "-0.935"]


def test_update_of_the_hidden_layer(updated):
    W, b = updated.weights[0], updated.biases[0]
    assert W[0, 0] == 2 and W[1, 0] == 2
    assert agree(W[0, 1], 2 - DELTA1[0] / 10) and agree(W[1, 1], 2 - DELTA1[1] / 10)
    assert [decimal_string(v) for v in (W[0, 1], W[1, 1], b[0], b[1])] == ["2.026", "1.949", "-0.974", "-3.051"]


def test_the_update_lowers_the_loss_on_its_example(updated):
    assert sp.N(updated.loss(X, Y)) < sp.N(log(1 + exp(-Z2)))


def test_derivation_records_every_step_in_chain_rule_order(updated):
    assert updated.derivation_.keys() == [
        "input",
        "z1",
        "a1",
        "z2",
        "a2",
        "loss",
        "dloss",
        "dact2",
        "delta2",
        "dW2",
        "db2",
        "dact1",
        "delta1",
        "dW1",
        "db1",
        "W2_new",
        "b2_new",
        "W1_new",
        "b1_new",
    ]


def test_derivation_shows_the_cross_entropy_shortcut(updated):
    latex = updated.derivation_.to_latex()
    assert r"a^{[2]} - y" in latex and r"\frac{e - 5}{e + 1}" in latex


# ---------------------------------------------------------------- other activations and losses
def test_tanh_and_relu_and_identity_by_hand():
    net = MLP([[[1, -1]], [[3]]], [[0], [Rational(1, 2)]], activation=["tanh", "identity"], loss="mse")
    assert net.forward([2, 1]) == 3 * sp.tanh(1) + Rational(1, 2)
    relu = MLP([[[1, -1], [-1, 1]], [[1, 1]]], [[0, 0], [0]], activation=["relu", "identity"], loss="mse")
    assert relu.forward([3, 1]) == 2
    g = relu.backward([3, 1], [0])  # L = (2 - 0)^2: dL/da = 4; only neuron 1 is active
    assert g["W2"] == sp.Matrix([[8, 0]])
    assert g["W1"] == sp.Matrix([[12, 4], [0, 0]])


def test_relu_slope_at_exactly_zero_is_zero():
    net = MLP([[[1, -1]], [[1]]], [[0], [0]], activation=["relu", "identity"], loss="mse")
    assert net.backward([1, 1], [1])["W1"] == sp.Matrix([[0, 0]])


def test_rational_network_stays_rational_and_fits_like_hand_sgd():
    X_, Y_ = [[1, 2], [2, 1], [3, 3]], [1, 0, 2]
    with pytest.warns(ExactGrowthWarning, match="round_digits"):  # exact fractions grow with every update
        net = MLP([[[1, 0]], [[1]]], [[0], [0]], activation="identity", loss="mse").fit(X_, Y_, "1/20", epochs=3)
    # the same model by hand: y_hat = v (w . x + b) + c, squared error, one update per row
    w, b, v, c = [Fraction(1), Fraction(0)], Fraction(0), Fraction(1), Fraction(0)
    for _ in range(3):
        for x, t in zip(X_, Y_):
            h = w[0] * x[0] + w[1] * x[1] + b
            g = 2 * (v * h + c - t)
            w, b, v, c = (
                [w[0] - g * v * x[0] / 20, w[1] - g * v * x[1] / 20],
                b - g * v / 20,
                v - g * h / 20,
                c - g / 20,
            )

    def q(f):
        return Rational(f.numerator, f.denominator)

    assert list(net.weights[0]) == [q(w[0]), q(w[1])]
    assert net.biases[0][0] == q(b) and net.weights[1][0] == q(v) and net.biases[1][0] == q(c)
    assert len(net.loss_curve_) == 3


def test_exact_sgd_on_xor_follows_float_sgd():
    import numpy as np

    from exactml.arith.lazy import evaluate

    X_, Y_ = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
    with pytest.warns(ExactGrowthWarning, match="round_digits"):  # ten exact epochs of XOR nest deeply
        net = MLP([W1, W2], [B1, B2]).fit(X_, Y_, "1/2", epochs=10, progress=False)
    w1, b1, w2, b2 = np.array(W1, float), np.array(B1, float), np.array(W2, float), np.array(B2, float)
    sigma = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    for _ in range(10):
        for x, t in zip(np.array(X_, float), Y_):
            a1 = sigma(w1 @ x + b1)
            d2 = sigma(w2 @ a1 + b2) - t
            d1 = (w2.T @ d2) * a1 * (1 - a1)
            w2, b2, w1, b1 = w2 - np.outer(d2, a1) / 2, b2 - d2 / 2, w1 - np.outer(d1, x) / 2, b1 - d1 / 2
    for exact_values, floats in zip(net.weights + net.biases, [w1, w2, b1, b2]):
        assert np.allclose([float(evaluate(v)) for v in exact_values], floats.flatten(), rtol=1e-12, atol=1e-12)


def test_a_long_fit_records_decimals_instead_of_unprintable_values():
    net = MLP([W1, W2], [B1, B2]).fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], 1, epochs=5)
    assert net.derivation_.keys()[:3] == ["input", "z1", "a1"]
    assert {"dW1", "db2", "W1_new", "epochs"} <= set(net.derivation_.keys())
    assert r"\approx" in net.derivation_.to_latex()


def test_fit_shows_a_progress_bar_when_asked(capsys):
    MLP([[[1]]], [[0]], activation="identity", loss="mse").fit([[1], [2]], [1, 2], "1/10", epochs=2, progress=True)
    assert "4/4 updates" in capsys.readouterr().err


# ---------------------------------------------------------------- symbolic networks
def test_symbolic_parameters_are_named_by_layer_row_and_column():
    net = MLP.symbolic([2, 2, 1])
    p = net.parameters()
    assert p["W1"] == sp.Matrix(2, 2, sp.symbols("W1_11 W1_12 W1_21 W1_22"))
    assert p["b2"] == sp.Matrix([sp.Symbol("b2_1")])


def _hand_loss(x, y, act, loss):
    """The [2, 2, 1] network's loss written directly in the parameter symbols."""
    W1_, b1_ = sp.Matrix(2, 2, sp.symbols("W1_11 W1_12 W1_21 W1_22")), sp.Matrix(sp.symbols("b1_1 b1_2"))
    W2_, b2_ = sp.Matrix([sp.symbols("W2_11 W2_12")]), sp.Symbol("b2_1")
    f = {"sigmoid": lambda z: 1 / (1 + exp(-z)), "tanh": sp.tanh}[act]
    hidden = (W1_ * sp.Matrix(x) + b1_).applyfunc(f)
    out = (W2_ * hidden)[0] + b2_
    if loss == "bce":
        a = 1 / (1 + exp(-out))
        return -(y * log(a) + (1 - y) * log(1 - a))
    return (out - y) ** 2


@pytest.mark.parametrize("act, loss", [("sigmoid", "bce"), ("tanh", "mse")])
def test_symbolic_gradients_equal_sympy_diff_of_the_loss(act, loss):
    x, y = [Rational(1, 2), -1], Rational(1, 3)
    acts = [act, "sigmoid" if loss == "bce" else "identity"]
    net = MLP.symbolic([2, 2, 1], activation=acts, loss=loss)
    grads = net.backward(x, [y])
    L = _hand_loss(x, y, act, loss)
    params = net.parameters()
    points = [
        {s: Rational((7 * k + 3 * i) % 11 - 5, 4) for i, s in enumerate(sorted(L.free_symbols, key=str))}
        for k in range(3)
    ]
    for key, symbols in params.items():
        for s, g in zip(symbols, grads[key]):
            expected = sp.diff(L, s)
            for point in points:
                assert agree(g.xreplace(point), expected.xreplace(point)), (key, s)


def test_symbolic_gradients_are_exactly_sympy_diff_on_a_one_one_one_net():
    net = MLP.symbolic([1, 1, 1])
    grads = net.backward([Rational(1, 2)], [1])
    w1, b1, w2, b2 = sp.symbols("W1_11 b1_1 W2_11 b2_1")
    L = -log(1 / (1 + exp(-(w2 / (1 + exp(-(w1 / 2 + b1))) + b2))))
    for key, s in (("W1", w1), ("b1", b1), ("W2", w2), ("b2", b2)):
        assert sp.simplify(grads[key][0] - sp.diff(L, s)) == 0


def test_a_4_8_8_1_symbolic_net_gives_all_121_gradients_in_seconds():
    start = time.perf_counter()
    grads = MLP.symbolic([4, 8, 8, 1]).backward([1, 2, 3, 4], [1])
    assert time.perf_counter() - start < 5
    assert sum(len(g) for g in grads.values()) == 121


# ---------------------------------------------------------------- bad input
def test_layers_that_do_not_chain_are_named_with_both_shapes():
    with pytest.raises(ValueError, match=r"layer 2: W2 is 1×3 but layer 1 has 2 neurons \(W1 is 2×2\)"):
        MLP([[[1, 2], [3, 4]], [[1, 2, 3]]], [[0, 0], [0]])


def test_a_bias_vector_of_the_wrong_length_names_its_layer():
    with pytest.raises(ValueError, match=r"layer 1: b1 has 3 entries but W1 is 2×2"):
        MLP([W1, W2], [[0, 0, 0], B2])


def test_unknown_activation_and_loss_are_refused():
    with pytest.raises(ValueError, match=r"unknown activation 'softsign' for layer 1"):
        MLP([W1, W2], [B1, B2], activation="softsign")
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'"):
        MLP([W1, W2], [B1, B2], loss="hinge")


def test_cross_entropy_needs_a_sigmoid_output():
    with pytest.raises(ValueError, match="sigmoid output"):
        MLP([W1, W2], [B1, B2], activation="relu", loss="bce")


def test_labels_outside_zero_one_are_refused_for_cross_entropy(net):
    with pytest.raises(ValueError, match=r"label y = 2 is outside \[0, 1\]"):
        net.backward(X, [2])
    with pytest.raises(ValueError, match=r"outside \[0, 1\]"):
        net.loss(X, [Rational(-1, 2)])


@pytest.mark.parametrize("rate, words", [(0, "learning rate is 0"), ("-1/10", "negative")])
def test_a_zero_or_negative_learning_rate_is_refused(net, rate, words):
    with pytest.raises(ValueError, match=words):
        net.step(X, Y, rate)


def test_an_input_of_the_wrong_length_is_refused(net):
    with pytest.raises(ValueError, match="x has 3 values but W1 is 2×2"):
        net.forward([0, 1, 2])


def test_nothing_computed_yet_is_not_fitted(net):
    with pytest.raises(NotFittedError):
        _ = net.derivation_


# ---------------------------------------------------------------- the command line and the handout
@pytest.fixture
def xor_files(tmp_path):
    data = tmp_path / "xor.csv"
    data.write_text("X1,X2,Class\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    weights = tmp_path / "net.json"
    weights.write_text(json.dumps({"W1": [[2, 2], [2, 2]], "b1": [-1, -3], "W2": [[2, "-4"]], "b2": ["-1.0"]}))
    return data, weights


def test_derive_nn_runs_the_chosen_row_and_update(xor_files):
    data, weights = xor_files
    header, *rows = [line.split(",") for line in data.read_text().split()]
    d = derive_table(header, rows, weights=str(weights), input="0,1", lr="1/10")
    assert d.keys() == ["row2"]
    assert d["row2/z2"].result[0] == (E - 5) / (E + 1)
    assert "b1_new" in d["row2"]


def test_derive_nn_from_the_command_line(xor_files, capsys):
    data, weights = xor_files
    assert main(["derive", "nn", "--data", str(data), "-o", f"weights={weights}", "-o", "row=2"]) == 0
    assert "[delta1]" in capsys.readouterr().out


def test_derive_nn_without_weights_says_how_to_give_them(xor_files, capsys):
    data, _ = xor_files
    assert main(["derive", "nn", "--data", str(data)]) == 2  # a missing option is a usage error
    err = capsys.readouterr().err
    assert "nn needs -o weights=" in err and '"W1"' in err


def test_handout_errata_separate_slips_from_carried_errors():
    from exactml.handout import nn as chapter

    ctx = Context()
    chapter.chapter(ctx)
    causes = {e.quantity: e.cause for e in ctx.errata}
    assert causes[r"z^{[2]}"].startswith("an arithmetic slip")
    assert causes[r"a^{[2]}"] == r"carried from $z^{[2]}$"
    # -3.344 x 0.209 is -0.699 and -ln 0.299 is 1.207: carried, and the source's last digit slipped too.
    assert causes[r"\delta^{[2]}"] == r"carried from $z^{[2]}$; its own inputs give $-0.699$"
    assert causes["L"] == r"carried from $z^{[2]}$; its own inputs give $1.207$"
    assert {e.kind for e in ctx.errata if e.cause.startswith("carried")} == {"carried"}
    assert causes[r"\partial L / \partial W^{[2]}_{11}"] == r"carried from $z^{[2]}$"
    assert causes[r"\delta^{[1]}_1"].startswith("an arithmetic slip")  # -0.700 x 2 x 0.197 is -0.275
    assert causes[r"\delta^{[1]}_2"].startswith("a sign slip")  # -0.700 x (-4) x 0.197 is positive
    assert r"a^{[1]}_1" not in causes  # 0.731 is right


def test_reachable_recomputes_from_the_sources_printed_inputs():
    from exactml.handout.nn import _reachable

    assert _reachable("0.299", lambda z: 1 / (1 + exp(-z)), ["-0.854"])[0]
    assert not _reachable("-0.854", lambda p, q: 2 * p - 4 * q - 1, ["0.731", "0.269"])[0]
