"""Benchmark cases for issue 16: trained networks are safe to show, exact training stays bounded,
and derivations render quickly.

Each case has an absolute limit in seconds (no baseline); ``run.py`` adds them with

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from display_cases import display_cases  # noqa: E402

    CASES += display_cases(Case)

What is timed is the display (or the fit, for the rounded training), never the
preparation: the network is trained in ``prepare``.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

XOR_X, XOR_Y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
W1, B1, W2, B2 = [[2, 2], [2, 2]], [-1, -3], [[2, -4]], [-1]


def _trained(epochs: int):
    from exactml import MLP, ExactGrowthWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExactGrowthWarning)
        return MLP([W1, W2], [B1, B2]).fit(XOR_X, XOR_Y, "1/2", epochs=epochs, progress=False)


def _float_xor(epochs: int, rounding: int | None = None):
    """Float64 SGD on the same net (numpy), optionally rounding the parameters as the exact run does."""
    import numpy as np

    w1, b1, w2, b2 = (np.array(v, float) for v in (W1, B1, W2, B2))

    def sigma(z):
        return 1 / (1 + np.exp(-z))

    for _ in range(epochs):
        for x, t in zip(np.array(XOR_X, float), XOR_Y):
            a1 = sigma(w1 @ x + b1)
            d2 = sigma(w2 @ a1 + b2) - t
            d1 = (w2.T @ d2) * a1 * (1 - a1)
            w2, b2, w1, b1 = w2 - np.outer(d2, a1) / 2, b2 - d2 / 2, w1 - np.outer(d1, x) / 2, b1 - d1 / 2
            if rounding is not None:
                w1, b1, w2, b2 = (np.round(v, rounding) for v in (w1, b1, w2, b2))
    return w1, b1, w2, b2, lambda x: float(sigma(w2 @ sigma(w1 @ np.array(x, float) + b1) + b2)[0])


# ------------------------------------------------------------ showing a trained net
def _show_case(Case: type, epochs: int, quick_epochs: int, what: str, show: Callable[[Any], str]) -> Any:
    def prepare(quick: bool):
        n = quick_epochs if quick else epochs
        return _trained(n), n

    def run(data):
        from exactml.arith import evaluate

        evaluate._EVALUATED.__dict__.clear()  # time a first display: no decimals kept from an earlier run
        net, _ = data
        return show(net), data

    def agree(mine, _):
        text, (net, n) = mine
        if len(text) > 2000:
            return False
        if what == "str(net.forward(x))":  # the decimal shown agrees with float SGD to its 4 digits
            *_, predict = _float_xor(n)
            value = float(text.split()[1]) if text.startswith("≈") else float(net.forward([0, 1]))
            return abs(value - predict([0, 1])) < 1e-3
        return True

    return Case(
        f"show {what}, XOR after {epochs} exact epoch{'s' * (epochs > 1)}",
        "2-2-1 sigmoid net, exact SGD, eta = 1/2",
        "-",
        None,
        1.0,
        prepare,
        run,
        None,
        agree,
        "decimal vs float SGD within 1e-3",
    )


# ------------------------------------------------------------ bounded exact training
def rounded_prepare(quick: bool):
    return 10 if quick else 50


def rounded_fit(epochs: int):
    from exactml import MLP

    return MLP([W1, W2], [B1, B2], round_digits=12).fit(XOR_X, XOR_Y, "1/2", epochs=epochs, progress=False), epochs


def rounded_agree(mine, _):
    net, epochs = mine
    w1, b1, w2, b2, _ = _float_xor(epochs, rounding=12)
    exact = [v for m in net.weights + net.biases for v in m]
    floats = [*w1.flatten(), *w2.flatten(), *b1.flatten(), *b2.flatten()]
    return all(v.is_Rational and abs(float(v) - f) < 1e-8 for v, f in zip(exact, floats))


# ------------------------------------------------------------ rendering a tanh net's derivation
def tanh_prepare(quick: bool):
    from sympy import Rational as R

    from exactml import MLP

    net = MLP(
        [[[1, -1], [R(1, 2), 2], [-1, R(1, 3)]], [[1, -2, R(1, 2)]], [[2], [-1]]],
        [[0, 1, -1], [R(1, 4)], [0, R(1, 2)]],
        activation="tanh",
        loss="mse",
    )
    net.step([1, 2], [1, 0], R(1, 10))
    return net


def tanh_render(net):
    return net.derivation_.to_latex()


def tanh_agree(latex, _):
    return r"\tanh" in latex and r"\approx" in latex and "W^{[3]}" in latex


def display_cases(Case: type) -> list:
    """The cases, built with run.py's ``Case`` record."""
    shows = [
        ("repr(net)", repr),
        ("repr(net.weights)", lambda net: repr(net.weights)),
        ("str(net.forward(x))", lambda net: str(net.forward([0, 1]))),
    ]
    cases = [_show_case(Case, epochs, quick, what, show) for epochs, quick in ((1, 1), (10, 3)) for what, show in shows]
    cases.append(
        Case(
            "rounded exact training",
            "XOR, 50 epochs, MLP(..., round_digits=12)",
            "-",
            None,
            10.0,
            rounded_prepare,
            rounded_fit,
            None,
            rounded_agree,
            "float SGD rounded alike, 1e-8",
        )
    )
    cases.append(
        Case(
            "tanh derivation to LaTeX",
            "2-3-1-2 tanh net, one exact update",
            "-",
            None,
            5.0,
            tanh_prepare,
            tanh_render,
            None,
            tanh_agree,
            "-",
        )
    )
    return cases
