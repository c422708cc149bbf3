"""Forward and backward propagation through a network, exactly, one recorded step at a time.

The chain rule is a local derivative per operation and one reverse walk over
the layers.  Every quantity is built once and then *referred to*: δ of a
layer is a sympy expression that holds the δ of the layer above as a shared
subexpression, so the gradients of a symbolic network cost a few operations
per parameter instead of a fresh differentiation of the whole loss.

Step keys of the derivation (layers ``l = 1 … L``; stable, used by the
tests and the handout):

``input``        the example x and its target y
``z<l>``         weighted inputs z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ (a⁽⁰⁾ = x)
``a<l>``         activations a⁽ˡ⁾ = f(z⁽ˡ⁾)
``loss``         the loss L
``dloss``        ∂L/∂a⁽ᴸ⁾
``dact<l>``      ∂a⁽ˡ⁾/∂z⁽ˡ⁾ = f′(z⁽ˡ⁾), entry by entry
``delta<l>``     δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾ (a − y for a sigmoid output with cross-entropy)
``dW<l>``        ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾a⁽ˡ⁻¹⁾ᵀ
``db<l>``        ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾
``W<l>_new``     W⁽ˡ⁾ − η ∂L/∂W⁽ˡ⁾ (only when a learning rate is given)
``b<l>_new``     b⁽ˡ⁾ − η ∂L/∂b⁽ˡ⁾ (likewise)

Backward steps run from layer L down to 1, as the chain rule does.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import sympy
from sympy import Expr, ImmutableMatrix, Rational

from ..arith.lazy import add, as_built, mul, sub
from ..derivation import Derivation
from .activations import BCE, SIGMOID, Activation, Loss

# Numeric values are brought over a common denominator only while they are this small.
TIDY_MAX_NODES = 60

Vector = list  # a list of sympy expressions, one per neuron
Rows = list  # a list of rows of sympy expressions, one row per neuron


def tidy(value: Expr) -> Expr:
    """A shorter exact form of a numeric value, when there is one.

    Sums of sigmoids of integers are rational functions of e:
    ``2/(1 + e^{-1}) - 4/(1 + e) - 1`` is ``(e - 5)/(e + 1)``, and
    The shortest of the value, its form over one denominator and (when every
    exponent is an integer, so that it is a rational function of e) its
    cancelled form is kept.
    Values with symbols, or of more than a few dozen nodes, are returned
    unchanged: tidying never costs more than a small constant.
    """
    if not isinstance(value, Expr) or value.is_Rational:
        return value
    nodes, integer_exponents = 0, True
    for node in sympy.preorder_traversal(value):
        nodes += 1
        if nodes > TIDY_MAX_NODES or node.is_Symbol:
            return value
        if isinstance(node, sympy.Function) and not all(arg.is_Integer for arg in node.args):
            integer_exponents = False
    candidates = [value, sympy.together(value)]  # on a tie the value stays as it was built
    if integer_exponents:
        candidates.append(sympy.cancel(value))
    return min(candidates, key=sympy.count_ops)


def _as_built(value: Expr) -> Expr:
    return value


def forward_pass(
    weights: Sequence[Rows],
    biases: Sequence[Vector],
    activations: Sequence[Activation],
    x: Vector,
    shorten: Callable[[Expr], Expr] = tidy,
) -> tuple[list[Vector], list[Vector]]:
    """The weighted inputs z⁽ˡ⁾ and activations a⁽ˡ⁾ of every layer; ``a[0]`` is x.

    ``shorten`` rewrites each weighted input into a shorter equal form (:func:`tidy`, for display).
    """
    zs: list[Vector] = []
    acts: list[Vector] = [list(x)]
    for W, b, f in zip(weights, biases, activations):
        prev = acts[-1]
        z = [shorten(add(*[mul(w, v) for w, v in zip(row, prev)], bias)) for row, bias in zip(W, b)]
        zs.append(z)
        acts.append([f.value(zi) for zi in z])
    return zs, acts


@dataclass
class Pass:
    """What one forward and backward pass computed (gradients keyed W1, b1, …)."""

    zs: list
    activations: list
    loss: Expr
    gradients: dict
    weights: list | None = None  # updated rows, when a learning rate was given
    biases: list | None = None
    # The derivation is assembled when first read: for a wide symbolic network, deciding what of each
    # step is short enough to show costs three times the pass itself, and backward() rarely needs it.
    recorder: Any = None
    appended: list = field(default_factory=list)  # steps after the pass (the rounding of an update)

    @functools.cached_property
    def derivation(self) -> Derivation | None:
        if self.recorder is None:
            return None
        derivation = self.recorder.finish()
        for step in self.appended:
            derivation.add(step)
        return derivation


def column(values: Sequence[Expr]) -> ImmutableMatrix:
    return ImmutableMatrix([[v] for v in values])


# ------------------------------------------------------------------ the pass
def backpropagation(
    weights: Sequence[Rows],
    biases: Sequence[Vector],
    activations: Sequence[Activation],
    loss: Loss,
    x: Vector,
    y: Vector,
    lr: Expr | None = None,
    record: bool = True,
) -> Pass:
    """Forward pass, loss, chain-rule backward pass and (with ``lr``) one update.

    Inputs are already validated exact values (see :class:`exactml.nn.MLP`).
    With ``record=False`` no derivation is built (the inner steps of ``fit``),
    and values are kept as built instead of being tidied into shorter forms
    for display: the same exact values, at a fraction of the cost.
    """
    if not record:
        with as_built():
            return _backpropagation(weights, biases, activations, loss, x, y, lr, None, _as_built)
    from .steps import Recorder

    rec = Recorder("Forward and backward propagation", weights, biases, x, y, lr)
    return _backpropagation(weights, biases, activations, loss, x, y, lr, rec, tidy)


def _backpropagation(
    weights: Sequence[Rows],
    biases: Sequence[Vector],
    activations: Sequence[Activation],
    loss: Loss,
    x: Vector,
    y: Vector,
    lr: Expr | None,
    rec: Any,
    tidy: Callable[[Expr], Expr],
) -> Pass:
    L = len(weights)
    zs, acts = forward_pass(weights, biases, activations, x, tidy)
    output = activations[-1]
    loss_value = loss.value(acts[L], y, zs[L - 1], output)
    if rec is not None:
        rec.layers(activations, zs, acts)
        rec.loss(loss, loss_value)

    gradients: dict[str, ImmutableMatrix] = {}
    # Output layer: ∂L/∂a, then ∂a/∂z, then their product δ⁽ᴸ⁾.
    dloss = loss.gradient(acts[L], y)
    dact = [tidy(output.derivative(z, a)) for z, a in zip(zs[L - 1], acts[L])]
    shortcut = loss is BCE and output is SIGMOID
    m = len(y)
    if shortcut:  # (-y/a + (1-y)/(1-a)) · a(1-a) = a - y, exactly
        delta = [tidy(mul(Rational(1, m), sub(a, t))) for a, t in zip(acts[L], y)]
    else:
        delta = [tidy(mul(g, s)) for g, s in zip(dloss, dact)]
    if rec is not None:
        rec.output_delta(L, loss, output, acts[L], dloss, dact, delta, shortcut)

    for layer in range(L, 0, -1):
        prev = acts[layer - 1]
        gradients[f"W{layer}"] = ImmutableMatrix([[tidy(mul(dk, v)) for v in prev] for dk in delta])
        gradients[f"b{layer}"] = column(delta)
        if rec is not None:
            rec.gradients(layer, delta, prev, gradients)
        if layer == 1:
            break
        W = weights[layer - 1]
        f = activations[layer - 2]
        dact = [tidy(f.derivative(z, a)) for z, a in zip(zs[layer - 2], acts[layer - 1])]
        back = [add(*[mul(W[k][j], delta[k]) for k in range(len(delta))]) for j in range(len(prev))]
        new_delta = [tidy(mul(s, g)) for s, g in zip(back, dact)]
        if rec is not None:
            rec.hidden_delta(layer - 1, f, W, delta, zs[layer - 2], dact, new_delta)
        delta = new_delta

    result = Pass(zs, acts, loss_value, _ordered(gradients, L), recorder=rec)
    if lr is not None:
        result.weights, result.biases = [], []
        for layer in range(1, L + 1):
            gW, gb = gradients[f"W{layer}"], gradients[f"b{layer}"]
            result.weights.append(
                [
                    [tidy(sub(w, mul(lr, gW[i, j]))) for j, w in enumerate(row)]
                    for i, row in enumerate(weights[layer - 1])
                ]
            )
            result.biases.append([tidy(sub(b, mul(lr, gb[i, 0]))) for i, b in enumerate(biases[layer - 1])])
        if rec is not None:
            for layer in range(L, 0, -1):
                rec.update(layer, gradients, result.weights[layer - 1], result.biases[layer - 1])
    return result


def _ordered(gradients: dict, L: int) -> dict:
    return {k: gradients[k] for layer in range(1, L + 1) for k in (f"W{layer}", f"b{layer}")}


def record_forward(
    weights: Sequence[Rows],
    biases: Sequence[Vector],
    activations: Sequence[Activation],
    zs: list,
    acts: list,
    x: Vector,
    loss: Loss | None = None,
    y: Vector | None = None,
    loss_value: Expr | None = None,
) -> Derivation:
    """The derivation of a forward pass alone, with its loss when ``loss`` and ``y`` are given."""
    from .steps import Recorder

    rec = Recorder("Forward propagation", weights, biases, x, y)
    rec.layers(activations, zs, acts)
    if loss is not None:
        rec.loss(loss, loss_value)
    return rec.finish()
