"""Chapter 7: a 2-2-1 sigmoid network on XOR — one forward pass, backpropagation, one update.

Every number comes from :class:`exactml.MLP`.  The source's printed values
are judged with ``ctx.compare``; for each one it gets wrong, the cause is
found by recomputing the source's own formula from the source's own printed
inputs, each taken as the interval of values that round to it: when the
printed result is reachable that way, the error is only carried from an
earlier wrong value; otherwise the step itself slipped.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from decimal import Decimal
from typing import Any, Callable, Sequence

import sympy
from sympy import Rational

from ..derivation import Approx, Equation, Figure, Name, Table
from ..nn.estimator import MLP
from ..records import Aligned

TITLE = "Neural Networks: Forward and Backward Propagation"

# The source document's data (sections 7.1, 7.3 and 7.5).
XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [0, 1, 1, 0]
FEATURES = ["X1", "X2"]
W1 = [[2, 2], [2, 2]]
B1 = [-1, -3]
W2 = [[2, -4]]
B2 = [-1]
EXAMPLE = 1  # the row (0, 1) with class 1
ETA = Rational(1, 10)


# What the source prints, and the formula by which it got each number from
# its own earlier printed numbers: (section, quantity, stated, engine step
# and entry, formula, printed inputs).
def _source_claims() -> list[tuple[str, str, str, tuple[str, int], Callable | None, Sequence[str]]]:
    w, v = W2[0]
    return [
        ("7.3", r"a^{[1]}_1", "0.731", ("a1", 0), None, ()),
        ("7.3", r"a^{[1]}_2", "0.269", ("a1", 1), None, ()),
        ("7.3", r"z^{[2]}", "-0.854", ("z2", 0), lambda p, q: w * p + v * q + B2[0], ("0.731", "0.269")),
        ("7.3", r"a^{[2]}", "0.299", ("a2", 0), lambda z: 1 / (1 + sympy.exp(-z)), ("-0.854",)),
        ("7.4", r"L", "1.206", ("loss", 0), lambda a: -sympy.log(a), ("0.299",)),
        ("7.4", r"\partial L / \partial a^{[2]}", "-3.344", ("dloss", 0), lambda a: -1 / a, ("0.299",)),
        ("7.4", r"\partial a^{[2]} / \partial z^{[2]}", "0.209", ("dact2", 0), lambda a: a * (1 - a), ("0.299",)),
        ("7.4", r"\delta^{[2]}", "-0.700", ("delta2", 0), lambda g, s: g * s, ("-3.344", "0.209")),
        ("7.4", r"\partial L / \partial W^{[2]}_{11}", "-0.512", ("dW2", 0), lambda d, a: d * a, ("-0.700", "0.731")),
        ("7.4", r"\partial L / \partial W^{[2]}_{12}", "-0.188", ("dW2", 1), lambda d, a: d * a, ("-0.700", "0.269")),
        ("7.4", r"\partial L / \partial b^{[2]}", "-0.700", ("db2", 0), lambda d: d, ("-0.700",)),
        ("7.4", r"\delta^{[1]}_1", "-0.280", ("delta1", 0), lambda d, a: w * d * a * (1 - a), ("-0.700", "0.731")),
        ("7.4", r"\delta^{[1]}_2", "-0.543", ("delta1", 1), lambda d, a: v * d * a * (1 - a), ("-0.700", "0.269")),
        ("7.5", r"W^{[2]}_{\text{new},11}", "2.051", ("W2_new", 0), lambda g: w - ETA * g, ("-0.512",)),
        ("7.5", r"W^{[2]}_{\text{new},12}", "-3.981", ("W2_new", 1), lambda g: v - ETA * g, ("-0.188",)),
        ("7.5", r"b^{[2]}_{\text{new}}", "-0.930", ("b2_new", 0), lambda d: B2[0] - ETA * d, ("-0.700",)),
    ]


def _half_unit(text: str) -> Rational:
    places = max(0, -Decimal(text).as_tuple().exponent)
    return Rational(1, 2 * 10**places)


def _reachable(stated: str, formula: Callable, inputs: Sequence[str]) -> tuple[bool, Any]:
    """Whether ``stated`` follows from the printed ``inputs`` up to their rounding.

    Each input stands for the interval of numbers that round to it; the
    formulas here are monotone in each input over such a small interval, so
    the corners of the box bound the result.  Returns the verdict and the
    formula's value at the printed inputs.
    """
    centre = [Rational(s) for s in inputs]
    boxes = [(c - _half_unit(s), c + _half_unit(s)) for c, s in zip(centre, inputs)]
    corners = [sympy.N(formula(*p), 30) for p in itertools.product(*boxes)]
    low, high = min(corners), max(corners)
    target, h = Rational(stated), _half_unit(stated)
    return bool(target - h <= high and low <= target + h), formula(*centre)


def _cause(stated: str, formula: Callable | None, inputs: Sequence[str], ctx) -> str:
    if formula is None:
        return "an arithmetic slip"
    reachable, own = _reachable(stated, formula, inputs)
    places = max(0, -Decimal(stated).as_tuple().exponent)
    own_text = ctx.decimal(own, places)
    if reachable:
        if Decimal(own_text) != Decimal(stated):  # within rounding of its inputs, yet not what they give
            return rf"carried from $z^{{[2]}}$; its own inputs give ${own_text}$"
        return r"carried from $z^{[2]}$"
    if (Rational(stated) < 0) != bool(own < 0):
        return rf"a sign slip: its own inputs give ${own_text}$"
    return rf"an arithmetic slip: its own inputs give ${own_text}$"


def _judge(ctx, d) -> set[str]:
    """Compare every printed value with the engine's; return the step keys the source gets wrong."""
    wrong = set()
    for section, quantity, stated, (key, k), formula, inputs in _source_claims():
        result = d[key].result
        value = result[k] if hasattr(result, "__getitem__") else result
        if not ctx.compare(section, quantity, stated, value, _cause(stated, formula, inputs, ctx)):
            wrong.add(key)
    return wrong


def _see_errata(keys: set[str], *steps: str) -> str:
    """A note naming each quantity of ``steps`` the source prints differently, with the value it prints."""
    printed = [
        (quantity, stated) for _, quantity, stated, (key, _), _, _ in _source_claims() if key in steps and key in keys
    ]
    if not printed:
        return ""
    # "v for q", not "q = v": the source's wrong value must not read as a claim of the handout.
    listed = ", ".join(f"${v}$ for ${q}$" for q, v in printed)
    return f"(The source prints {listed}; see Appendix~\\ref{{sec:errata}}.)"


def _nested(form: Any) -> bool:
    """Whether a form nests an exponential inside an exponential's exponent, as 1/(1 + e^{(5-e)/(1+e)})."""
    return isinstance(form, sympy.Basic) and any(
        type(a).__name__ == "InlineExp" for a in sympy.preorder_traversal(form)
    )


def _grouped(step):
    """The step with each run of consecutive equations shown as one aligned display."""
    how, run = [], []
    for item in list(step.how) + [None]:
        if isinstance(item, Equation):
            run.append(item)
            continue
        if run:
            how.append(Aligned(run) if len(run) > 1 else run[0])
            run = []
        if item is not None:
            how.append(item)
    return replace(step, how=how)


def _named(step):
    """The step with every nested-exponential form dropped: the named form before it stands, then the decimal."""
    how = []
    for item in step.how:
        if isinstance(item, Equation) and any(_nested(f) for f in item.forms):
            kept = [(f, r) for f, r in zip(item.forms, item.relations or ["="] * len(item.forms)) if not _nested(f)]
            item = Equation(
                item.lhs, *[f for f, _ in kept], relations=[r for _, r in kept], approx=item.approx, digits=item.digits
            )
        how.append(item)
    return replace(step, how=how)


def _network_figure(d) -> Figure:
    data = {
        "weights": [W1, W2],
        "biases": [B1, B2],
        "inputs": XOR_X[EXAMPLE],
        "z": [list(d["z1"].result), list(d["z2"].result)],
        "a": [list(d["a1"].result), list(d["a2"].result)],
    }
    return Figure(
        "nn",
        data,
        caption=(
            r"The network on the input $(0, 1)$: the weight on each edge, the bias below each neuron, "
            r"and each neuron's weighted input $z$ and activation $a$ after one forward pass."
        ),
    )


def chapter(ctx) -> str:
    def show(step):
        return ctx.step(_grouped(step))

    net = MLP([W1, W2], [B1, B2], activation="sigmoid", loss="bce")
    x, y = XOR_X[EXAMPLE], XOR_Y[EXAMPLE]
    net.step(x, [y], ETA)
    d = net.derivation_
    wrong = _judge(ctx, d)
    after = net.loss(x, [y])  # with the updated weights
    z_new = net.derivation_["z2"].result[0]  # the forward pass that loss just recorded
    grad_norm = sympy.Add(*[g**2 for key in ("dW1", "db1", "dW2", "db2") for g in d[key].result])
    loss = d["loss"].result
    a1, a2 = list(d["a1"].result), d["a2"].result[0]
    params = sum(len(r) * len(r[0]) + len(r) for r in (W1, W2))

    table = Table([Name(f) for f in FEATURES] + ["Class"], [[*r, t] for r, t in zip(XOR_X, XOR_Y)], align="ccc")
    parts = [
        r"\section{" + TITLE + "}",
        r"\label{sec:nn}",
        r"\subsection{Problem Setup}",
        "A binary classification of points in the plane, with four training examples:",
        ctx.block(table),
        (
            "This is XOR: the class is 1 exactly when one coordinate is 1. The two class-1 points sit on one "
            "diagonal of the unit square and the two class-0 points on the other, so no single straight line "
            "separates them, and no single neuron (which draws one line) can classify all four."
        ),
        r"\subsection{Network Architecture}",
        (
            "Two inputs feed a hidden layer of two sigmoid neurons, which feeds one sigmoid output neuron. Each "
            "hidden neuron can draw its own line; the output neuron combines the two half-planes, which is "
            "enough for XOR."
        ),
        (
            r"Layer $l$ computes $z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]}$ and $a^{[l]} = \sigma(z^{[l]})$, "
            r"starting from $a^{[0]} = x$. Row $i$ of $W^{[l]}$ holds the weights of neuron $i$, so $W^{[1]}$ is "
            rf"$2 \times 2$ and $W^{{[2]}}$ is $1 \times 2$; with the biases the network has {params} parameters. "
            r"The sigmoid $\sigma(z) = \frac{1}{1 + e^{-z}}$ squashes any number into $(0, 1)$, so the output "
            r"reads as the probability of class 1, and its slope is $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$."
        ),
        r"\subsection{Forward Propagation Example}",
        "The weights and biases of this example are",
        ctx.block(
            r", \qquad ".join(
                f"{name} = {ctx.math(value)}"
                for name, value in (
                    (r"W^{[1]}", sympy.Matrix(W1)),
                    (r"b^{[1]}", sympy.Matrix(B1)),
                    (r"W^{[2]}", sympy.Matrix(W2)),
                    (r"b^{[2]}", B2[0]),
                )
            )
        ),
        rf"and the input is $x = (0, 1)$, whose class is $y = {y}$.",
        r"\paragraph{Layer 1.}",
        show(d["z1"]),
        show(d["a1"]),
        r"\paragraph{Layer 2.}",
        show(d["z2"]),
        (
            r"The sigmoids of $1$ and $-1$ are $\frac{e}{e+1}$ and $\frac{1}{e+1}$, so over the common "
            r"denominator $e + 1$ the sum collapses to a single fraction. " + _see_errata(wrong, "z2")
        ),
        show(_named(d["a2"])),
        (
            rf"The prediction is about ${ctx.decimal(a2)}$: "
            + (
                "below one half, so the network would put $(0, 1)$ in class 0 although its class is 1. "
                if a2 < Rational(1, 2)
                else "above one half, so the network already leans towards class 1. "
            )
            + "Training should push it towards 1. "
            + _see_errata(wrong, "a2")
        ),
        ctx.block(_network_figure(d)),
        r"\subsection{Backward Propagation Example}",
        (
            r"Every irrational number of the backward pass comes from three activations of the forward pass, "
            rf"$a^{{[1]}}_1 \approx {ctx.decimal(a1[0])}$, $a^{{[1]}}_2 \approx {ctx.decimal(a1[1])}$ and "
            rf"$a^{{[2]}} \approx {ctx.decimal(a2)}$. Each result below is written exactly in terms of these "
            r"names, so that no formula has to carry a sigmoid nested inside another; its decimal follows."
        ),
        r"\paragraph{Loss.}",
        show(_named(d["loss"])),
        (
            r"The target is $y = 1$, so the second term drops out and the loss is $-\ln a^{[2]}$. Because "
            r"$1/a^{[2]}$ is $1 + e^{-z^{[2]}}$, the same number is $\ln\bigl(1 + e^{-z^{[2]}}\bigr)$, with "
            rf"$z^{{[2]}} = {ctx.math(d['z2'].result[0])}$ from the forward pass. " + _see_errata(wrong, "loss")
        ),
        r"\paragraph{Output layer.}",
        show(d["dloss"]),
        show(d["dact2"]),
        show(d["delta2"]),
        show(d["dW2"]),
        show(d["db2"]),
        _see_errata(wrong, "dloss", "dact2", "delta2", "dW2", "db2"),
        r"\paragraph{Hidden layer.}",
        show(d["dact1"]),
        show(d["delta1"]),
        (
            "The second hidden neuron reaches the output through the weight $-4$, so its error signal has the "
            "opposite sign to the first one's: making it more active would lower the output further. "
            + _see_errata(wrong, "delta1")
        ),
        show(
            replace(
                d["dW1"],
                why=(
                    r"The hidden weights follow the pattern of the output layer one level down: the gradient of "
                    r"$W^{[1]}_{ij}$ is the hidden neuron's signal $\delta^{[1]}_i$ times the input $x_j$ it multiplied."
                ),
            )
        ),
        (
            r"The first column is zero because the first input is $0$: a weight that multiplied a zero input "
            r"had no effect on this example, so this example gives it no reason to change."
        ),
        show(
            replace(
                d["db1"],
                why=(
                    r"Each hidden bias enters its neuron's weighted input with coefficient $1$: its gradient is the "
                    r"signal $\delta^{[1]}_i$ unchanged."
                ),
            )
        ),
        r"\subsection{Weight Update}",
        rf"With the learning rate $\eta = {ctx.math(ETA)}$ every parameter takes one step against its gradient.",
        show(_named(d["W2_new"])),
        show(
            _named(
                replace(
                    d["b2_new"],
                    why=(
                        r"The output bias moves by $\eta$ times $\delta^{[2]}$; the prediction was too low, so the bias "
                        r"rises."
                    ),
                )
            )
        ),
        _see_errata(wrong, "W2_new", "b2_new"),
        show(
            _named(
                replace(
                    d["W1_new"],
                    why=(
                        r"In the hidden layer only the weights on the second input change: the first input was $0$, "
                        r"so its weights received a zero gradient."
                    ),
                )
            )
        ),
        show(
            _named(
                replace(
                    d["b1_new"],
                    why=(
                        r"The hidden biases move with their neurons' signals; the two signals have opposite signs, so one "
                        r"bias rises and the other falls."
                    ),
                )
            )
        ),
        r"\subsection{Why This Works}",
        r"\begin{itemize}",
        r"\item \textbf{Forward propagation} turns the input into a prediction with the current weights.",
        r"\item \textbf{The loss} scores that prediction: zero for a perfect one, large for a confident mistake.",
        (
            r"\item \textbf{Backward propagation} applies the chain rule layer by layer, from the output back to "
            r"the input, reusing each layer's error signal $\delta$ for the layer below; every gradient costs a "
            r"few multiplications instead of a separate differentiation of the whole network."
        ),
        (
            r"\item \textbf{The update} moves every parameter against its gradient, which for a small enough "
            r"step lowers the loss."
        ),
        r"\end{itemize}",
        (
            "On this example one update already helps. Before it the loss is the value computed in the "
            "backward pass; after it, the same formula holds with the weighted input of the updated network, "
            r"$z^{[2]}_{\text{new}}$, whose exact form nests the updated sigmoids and is too long to be useful:"
        ),
        ctx.block(
            Aligned(
                [
                    Equation(r"z^{[2]}_{\text{new}}", Approx(z_new), relations=[r"\approx"]),
                    Equation(
                        r"L_{\text{before}}",
                        r"\ln\bigl(1 + e^{-z^{[2]}}\bigr)",
                        Approx(loss),
                        relations=["=", r"\approx"],
                    ),
                    Equation(
                        r"L_{\text{after}}",
                        r"\ln\bigl(1 + e^{-z^{[2]}_{\text{new}}}\bigr)",
                        Approx(after),
                        relations=["=", r"\approx"],
                    ),
                    Equation(r"L_{\text{before}} - L_{\text{after}}", Approx(loss - after), relations=[r"\approx"]),
                ]
            )
        ),
        (
            r"To first order a step of size $\eta$ against the gradient $g$ lowers the loss by "
            r"$\eta \lVert g \rVert^2$, the sum of the squares of all nine gradients times $\eta$:"
        ),
        ctx.block(
            Equation(
                r"\eta \lVert g \rVert^2",
                r"\frac{1}{10} \sum_{k=1}^{9} g_k^2",
                Approx(ETA * grad_norm),
                relations=["=", r"\approx"],
            )
        ),
        ("close to the actual decrease; the rest is the curvature that a first-order picture leaves out."),
        (
            rf"Repeating such steps over all four examples is how the network comes to represent XOR. The "
            rf"starting weights already have the right shape: hidden neuron 1 is positive when "
            rf"$x_1 + x_2 > {ctx.math(Rational(-B1[0], W1[0][0]))}$ (an OR of the inputs), hidden neuron 2 when "
            rf"$x_1 + x_2 > {ctx.math(Rational(-B1[1], W1[1][0]))}$ (an AND), and the output adds the first and "
            rf"subtracts the second, twice as strongly: OR and not AND, which is XOR. What training adds is "
            rf"scale, until the sigmoids answer close to $0$ and $1$ instead of hedging."
        ),
    ]
    return "\n\n".join(p for p in parts if p)
