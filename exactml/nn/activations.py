"""Activation functions and losses of a neural network, with their local derivatives.

Backpropagation needs, per layer, the derivative of the activation, and at
the output the derivative of the loss.  Each activation here is a small
record holding the function and its derivative, the derivative written in
terms of ``z`` *and* of the value ``a = f(z)`` already computed in the
forward pass (sigmoid's ``a(1 - a)``, tanh's ``1 - a^2``): reusing ``a``
keeps symbolic gradients as shared subexpressions instead of re-derived
copies.  Everything is sympy: numbers stay exact, symbols stay symbols.

>>> from sympy import Integer
>>> SIGMOID.value(Integer(1))
1/(exp(-1) + 1)
>>> LOSSES["mse"].value([Integer(1)], [Integer(0)])
1
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import sympy
from sympy import Expr, Integer, Rational, exp, log

from ..arith.lazy import add, apply, div, is_numeric, is_small, mul, neg, power, sign, sub
from ..records import Notation


@dataclass(frozen=True)
class Activation:
    """One activation function f, applied entry by entry.

    ``derivative(z, a)`` is f'(z), given ``a = f(z)`` from the forward pass.
    ``symbol`` is its name (a :class:`~exactml.records.Notation`), ``formula`` its definition and
    ``derivative_formula`` the local derivative as the derivation shows it (notation by name, typeset
    by :mod:`exactml.latex`).
    """

    name: str
    symbol: Notation
    formula: Notation
    derivative_formula: Notation
    value: Callable[[Expr], Expr]
    derivative: Callable[[Expr, Expr], Expr]


def _negated(z: Expr) -> Expr:
    """-z, written without a leading minus on a fraction when z is a small number.

    ``-(e - 5)/(e + 1)`` reads better as ``(5 - e)/(e + 1)``.
    """
    if z.is_Mul and is_small(z) and z.is_number:
        num, den = z.as_numer_denom()
        return (-num) / den
    return neg(z)


def _sigmoid(z: Expr) -> Expr:
    return power(add(1, apply(exp, _negated(z))), -1)


def _sigmoid_derivative(z: Expr, a: Expr) -> Expr:
    # σ'(z) = σ(z)(1 - σ(z)) = e^{-z} / (1 + e^{-z})^2; written with the
    # forward pass's own e^{-z} and denominator, it shares them.
    if isinstance(a, sympy.Pow) and a.exp == -1 and a.base.is_Add and len(a.base.args) == 2:
        one, e = a.base.args if a.base.args[0] == 1 else reversed(a.base.args)
        if one == 1:
            return mul(e, power(a.base, -2))
    return mul(a, sub(1, a))


def _relu(z: Expr) -> Expr:
    if is_numeric(z):
        s = sign(z)
        if s is not None:
            return z if s > 0 else Integer(0)
    return sympy.Max(Integer(0), z) if is_small(z) else sympy.Max(Integer(0), z, evaluate=False)


def _relu_derivative(z: Expr, a: Expr) -> Expr:
    # The slope at exactly 0 is taken as 0, as PyTorch does.
    if is_numeric(z):
        s = sign(z)
        if s is not None:
            return Integer(1) if s > 0 else Integer(0)
    return sympy.Heaviside(z, Integer(0))


SIGMOID = Activation(
    "sigmoid",
    Notation("sigmoid"),
    Notation("sigmoid_formula"),
    Notation("sigmoid_derivative"),
    _sigmoid,
    _sigmoid_derivative,
)
TANH = Activation(
    "tanh",
    Notation("tanh"),
    Notation("tanh_formula"),
    Notation("tanh_derivative"),
    lambda z: apply(sympy.tanh, z),
    lambda z, a: sub(1, power(a, 2)),
)
RELU = Activation(
    "relu",
    Notation("relu"),
    Notation("relu_formula"),
    Notation("relu_derivative"),
    _relu,
    _relu_derivative,
)
IDENTITY = Activation(
    "identity",
    Notation("identity"),
    Notation("identity_formula"),
    Notation("identity_derivative"),
    lambda z: z,
    lambda z, a: Integer(1),
)

ACTIVATIONS = {f.name: f for f in (SIGMOID, TANH, RELU, IDENTITY)}


def activation_named(name: str, layer: int | None = None) -> Activation:
    """The activation called ``name``; a clear error names the layer otherwise."""
    try:
        return ACTIVATIONS[str(name).strip().lower()]
    except KeyError:
        where = f" for layer {layer}" if layer is not None else ""
        raise ValueError(f"unknown activation {name!r}{where}; choose from {', '.join(ACTIVATIONS)}") from None


@dataclass(frozen=True)
class Loss:
    """A loss over the m outputs of the network, averaged over the outputs (as PyTorch does).

    ``value(a, y, z=None, output=None)`` is L; when the output activation is
    the sigmoid, ``z`` lets cross-entropy use the exact identities
    -log σ(z) = log(1 + e^{-z}) and -log(1 - σ(z)) = log(1 + e^{z}).
    ``gradient(a, y)`` is ∂L/∂a, one entry per output.  ``formula`` and
    ``gradient_formula`` are notation keys for one output, the output's name
    in their slot; ``formula_mean`` is the average over several outputs.
    """

    name: str
    title: str
    formula: str
    formula_mean: str
    gradient_formula: str
    value: Callable[..., Expr]
    gradient: Callable[[Sequence[Expr], Sequence[Expr]], list]

    def shown(self, output: Any, outputs: int = 1) -> Notation:
        """The loss's definition, for an output named ``output``."""
        return Notation(self.formula if outputs == 1 else self.formula_mean, output)

    def shown_gradient(self, output: Any, outputs: int = 1) -> Notation:
        """∂L/∂a (per output; averaged losses divide it by the number of outputs)."""
        one = Notation(self.gradient_formula, output)
        return one if outputs == 1 else Notation("mean_of", outputs, one)


def _bce(
    a: Sequence[Expr], y: Sequence[Expr], z: Sequence[Expr] | None = None, output: Activation | None = None
) -> Expr:
    terms = []
    for k, (ak, yk) in enumerate(zip(a, y)):
        if z is not None and output is SIGMOID:
            terms.append(mul(yk, apply(log, add(1, apply(exp, _negated(z[k]))))))
            terms.append(mul(sub(1, yk), apply(log, add(1, apply(exp, z[k])))))
        else:
            terms.append(neg(add(mul(yk, apply(log, ak)), mul(sub(1, yk), apply(log, sub(1, ak))))))
    return mul(Rational(1, len(a)), add(*terms))


def _bce_gradient(a: Sequence[Expr], y: Sequence[Expr]) -> list:
    m = Rational(1, len(a))
    return [mul(m, add(neg(div(yk, ak)), div(sub(1, yk), sub(1, ak)))) for ak, yk in zip(a, y)]


def _mse(
    a: Sequence[Expr], y: Sequence[Expr], z: Sequence[Expr] | None = None, output: Activation | None = None
) -> Expr:
    return mul(Rational(1, len(a)), add(*[power(sub(ak, yk), 2) for ak, yk in zip(a, y)]))


def _mse_gradient(a: Sequence[Expr], y: Sequence[Expr]) -> list:
    m = Rational(2, len(a))
    return [mul(m, sub(ak, yk)) for ak, yk in zip(a, y)]


BCE = Loss(
    "bce",
    "binary cross-entropy",
    "bce_loss",
    "bce_loss_mean",
    "bce_gradient",
    _bce,
    _bce_gradient,
)
MSE = Loss(
    "mse",
    "squared error",
    "mse_loss",
    "mse_loss_mean",
    "mse_gradient",
    _mse,
    _mse_gradient,
)

LOSSES = {f.name: f for f in (BCE, MSE)}


def loss_named(name: str) -> Loss:
    """The loss called ``name`` (``"bce"`` or ``"mse"``)."""
    try:
        return LOSSES[str(name).strip().lower()]
    except KeyError:
        raise ValueError(
            f"unknown loss {name!r}; choose 'bce' (binary cross-entropy) or 'mse' (squared error)"
        ) from None
