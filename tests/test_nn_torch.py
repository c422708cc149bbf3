"""Every exact gradient agrees with PyTorch autograd in float64 (torch is the oracle, not a dependency)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import mpmath  # noqa: E402
import sympy as sp  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from exactml import MLP  # noqa: E402

TORCH_ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "identity": lambda z: z}

# Rationals with small denominators keep the sigmoids away from saturation, where
# float64 itself would lose the digits being compared.
rationals = st.fractions(min_value=-3, max_value=3, max_denominator=6)


def _values(draw, shape):
    return [[draw(rationals) for _ in range(shape[1])] for _ in range(shape[0])]


@st.composite
def networks(draw):
    sizes = draw(st.sampled_from([[3, 4, 3, 1], [2, 3, 2], [3, 2, 2, 1]]))
    loss = draw(st.sampled_from(["bce", "mse"]))
    hidden = [draw(st.sampled_from(["sigmoid", "tanh", "relu", "identity"])) for _ in sizes[2:]]
    output = "sigmoid" if loss == "bce" else draw(st.sampled_from(["sigmoid", "tanh", "identity"]))
    weights = [_values(draw, (sizes[layer + 1], sizes[layer])) for layer in range(len(sizes) - 1)]
    biases = [[draw(rationals) for _ in range(n)] for n in sizes[1:]]
    x = [draw(rationals) for _ in range(sizes[0])]
    if loss == "bce":
        y = [draw(st.sampled_from([0, 1, sp.Rational(1, 4)])) for _ in range(sizes[-1])]
    else:
        y = [draw(rationals) for _ in range(sizes[-1])]
    return weights, biases, hidden + [output], loss, x, y


def _floats(expressions):
    """Evaluate exact expressions with sympy's own code path (common subexpressions once, 40 digits)."""
    f = sp.lambdify([], list(expressions), modules="mpmath", cse=True)
    with mpmath.workdps(40):
        return [float(v) for v in f()]


def _torch_gradients(weights, biases, activations, loss, x, y):
    Ws = [torch.tensor([[float(v) for v in r] for r in W], dtype=torch.float64, requires_grad=True) for W in weights]
    bs = [torch.tensor([float(v) for v in b], dtype=torch.float64, requires_grad=True) for b in biases]
    a = torch.tensor([float(v) for v in x], dtype=torch.float64)
    target = torch.tensor([float(v) for v in y], dtype=torch.float64)
    for layer, (W, b) in enumerate(zip(Ws, bs)):
        z = W @ a + b
        if layer == len(Ws) - 1 and loss == "bce":  # the stable form of the same loss
            L = torch.nn.functional.binary_cross_entropy_with_logits(z, target)
            break
        a = TORCH_ACTIVATIONS[activations[layer]](z)
    else:
        L = torch.nn.functional.mse_loss(a, target)
    L.backward()
    out = {}
    for layer, (W, b) in enumerate(zip(Ws, bs), start=1):
        out[f"W{layer}"], out[f"b{layer}"] = W.grad.flatten().tolist(), b.grad.tolist()
    return float(L.detach()), out


@settings(max_examples=12, deadline=None)
@given(networks())
def test_every_gradient_agrees_with_torch_autograd(case):
    weights, biases, activations, loss, x, y = case
    net = MLP(weights, biases, activation=activations, loss=loss)
    exact = net.backward(x, y)
    torch_loss, expected = _torch_gradients(weights, biases, activations, loss, x, y)
    for key, grad in exact.items():
        got = _floats(grad)
        for g, e in zip(got, expected[key]):
            assert abs(g - e) <= 1e-10 * max(1.0, abs(e)), (key, got, expected[key])
    assert abs(_floats([net.loss(x, y)])[0] - torch_loss) <= 1e-10 * max(1.0, abs(torch_loss))


@settings(max_examples=4, deadline=None)
@given(networks())
def test_one_update_agrees_with_torch_sgd(case):
    weights, biases, activations, loss, x, y = case
    net = MLP(weights, biases, activation=activations, loss=loss).step(x, y, "1/10")
    _, grads = _torch_gradients(weights, biases, activations, loss, x, y)
    for layer, (W, b) in enumerate(zip(weights, biases), start=1):
        before = [float(v) for r in W for v in r] + [float(v) for v in b]
        after = _floats(list(net.weights[layer - 1]) + list(net.biases[layer - 1]))
        for old, new, g in zip(before, after, grads[f"W{layer}"] + grads[f"b{layer}"]):
            assert abs(new - (old - 0.1 * g)) <= 1e-10 * max(1.0, abs(old))
