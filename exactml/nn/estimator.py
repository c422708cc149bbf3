"""Multi-layer perceptrons in exact arithmetic: forward pass, backpropagation, gradient descent.

The convention is the one the handout teaches: z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾
with a⁽⁰⁾ = x, one *row* of W⁽ˡ⁾ per neuron of layer l, and a⁽ˡ⁾ = f(z⁽ˡ⁾).
Numbers stay exact (σ(1) is 1/(1 + e⁻¹), not 0.731); weights may also be
symbols, and then ``backward`` returns the symbolic gradients, built by the
chain rule over shared subexpressions.  The step keys of ``derivation_`` are
listed in :mod:`exactml.backprop`.

>>> from exactml import MLP
>>> net = MLP([[[1, -1]], [[2]]], [[0], [1]], activation="identity", loss="mse")
>>> net.forward([3, 1])
5
>>> net.backward([3, 1], [4])["W1"]
Matrix([[12, 4]])
"""

from __future__ import annotations

import numbers
import sys
import time
from typing import Any, Sequence

import sympy
from sympy import ImmutableMatrix, Rational

from ..arith.lazy import add, mul
from ..derivation import Derivation
from ..exact import DataError, NotFittedError, check_lengths, exact, exact_matrix, exact_vector
from .activations import BCE, SIGMOID, Activation, activation_named, loss_named
from .backprop import Pass, backpropagation, forward_pass, record_forward

# fit() shows a progress bar once a run has taken this long (seconds).
PROGRESS_AFTER = 1.0


def _as_rows(value: Any) -> Any:
    if isinstance(value, sympy.MatrixBase):
        return value.tolist()
    return value


def _weight_rows(value: Any, name: str) -> list[list[sympy.Expr]]:
    """One layer's weights as rows of exact values; a flat list is a layer of one neuron."""
    value = _as_rows(value)
    if hasattr(value, "tolist") and getattr(value, "ndim", 2) == 1:
        value = value.tolist()
    if isinstance(value, (list, tuple)) and value and not any(isinstance(v, (list, tuple)) for v in value):
        value = [value]  # [2, -4] is the single row of a one-neuron layer
    rows = exact_matrix(value, name)
    return [[sympy.sympify(v) for v in row] for row in rows]


def _vector(value: Any, name: str) -> list[sympy.Expr]:
    value = _as_rows(value)
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        value = [value]  # a single target or input value
    return [sympy.sympify(v) for v in exact_vector(value, name)]


def _shape(rows: Sequence[Sequence]) -> str:
    return f"{len(rows)}×{len(rows[0])}"


def _activations(activation: Any, layers: int) -> list[Activation]:
    if isinstance(activation, str):
        return [activation_named(activation, l) for l in range(1, layers + 1)]
    if not isinstance(activation, (list, tuple)):
        raise ValueError(f"activation must be a name (sigmoid, tanh, relu, identity) or a list of one name per "
                         f"layer; got {activation!r}")
    names = list(activation)
    if len(names) != layers:
        raise ValueError(f"{len(names)} activations given for {layers} layers: give one name per layer, "
                         "or a single name for all of them")
    return [activation_named(n, l) for l, n in enumerate(names, start=1)]


def _learning_rate(lr: Any) -> sympy.Expr:
    rate = exact(lr)
    if rate.is_number:
        if rate == 0:
            raise ValueError("the learning rate is 0, so the update would change nothing: give a positive "
                             "rate such as 1/10")
        if rate.is_negative:
            raise ValueError(f"the learning rate {rate} is negative: a step against the gradient needs a "
                             "positive rate such as 1/10")
    return rate


class MLP:
    """A fully connected network with exact weights.

    ``weights[l]`` is W⁽ˡ⁺¹⁾ with one row per neuron of its layer and one
    column per neuron (or input) of the layer before; ``biases[l]`` is
    b⁽ˡ⁺¹⁾, one value per neuron.  ``activation`` is a name applied to every
    layer (``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``) or a list
    with one name per layer.  ``loss`` is ``"bce"`` (binary cross-entropy,
    which needs a sigmoid output) or ``"mse"`` (squared error); over several
    outputs both are averaged, as in PyTorch.

    The network of the handout, on the input (0, 1):

    >>> net = MLP([[[2, 2], [2, 2]], [[2, -4]]], [[-1, -3], [-1]])
    >>> net.forward([0, 1])
    1/(1 + exp((5 - E)/(1 + E)))
    >>> net.derivation_["z2"].result
    Matrix([[(-5 + E)/(1 + E)]])

    The weights and biases are validated and converted when the network is
    built (not on first use): a shape that does not chain is reported where
    it was made.
    """

    def __init__(self, weights: Sequence[Any], biases: Sequence[Any], activation: Any = "sigmoid",
                 loss: str = "bce"):
        self.activation = activation
        self.loss_name = loss  # ``loss`` itself is the method computing the loss
        weights, biases = list(weights), list(biases)
        if not weights:
            raise ValueError("a network needs at least one layer of weights")
        if len(biases) != len(weights):
            raise ValueError(f"{len(weights)} weight matrices but {len(biases)} bias vectors: "
                             "give one bias vector per layer")
        rows = [_weight_rows(W, f"W{l}") for l, W in enumerate(weights, start=1)]
        vectors = [_vector(b, f"b{l}") for l, b in enumerate(biases, start=1)]
        for l, (W, b) in enumerate(zip(rows, vectors), start=1):
            if len(b) != len(W):
                raise ValueError(f"layer {l}: b{l} has {len(b)} entries but W{l} is {_shape(W)} "
                                 f"({len(W)} neurons): give one bias per neuron")
            if l > 1 and len(W[0]) != len(rows[l - 2]):
                raise ValueError(
                    f"layer {l}: W{l} is {_shape(W)} but layer {l - 1} has {len(rows[l - 2])} neurons "
                    f"(W{l - 1} is {_shape(rows[l - 2])}): W{l} needs one column per neuron of layer {l - 1}, "
                    f"so it must be {len(W)}×{len(rows[l - 2])}")
        self._activations = _activations(activation, len(rows))
        self._loss = loss_named(loss)
        if self._loss is BCE and self._activations[-1] is not SIGMOID:
            raise ValueError(
                f"cross-entropy needs outputs between 0 and 1, but the last layer's activation is "
                f"{self._activations[-1].name!r}: use a sigmoid output (e.g. activation=[..., 'sigmoid']) "
                "or loss='mse'")
        self._set(rows, vectors)

    def _set(self, rows: list, vectors: list) -> None:
        self._W, self._b = rows, vectors
        self.weights = [ImmutableMatrix(W) for W in rows]
        self.biases = [ImmutableMatrix([[v] for v in b]) for b in vectors]

    @classmethod
    def symbolic(cls, sizes: Sequence[int], activation: Any = "sigmoid", loss: str = "bce") -> "MLP":
        """A network whose weights and biases are sympy symbols.

        ``sizes`` lists the width of every layer, inputs first: ``[2, 2, 1]``
        has two inputs, two hidden neurons and one output.  W1_12 is the
        weight from input 2 to neuron 1 of layer 1; b2_1 the bias of neuron 1
        of layer 2 (indices above 9 are separated: W1_10_3).

        >>> net = MLP.symbolic([2, 1], activation="identity", loss="mse")
        >>> net.parameters()["W1"]
        Matrix([[W1_11, W1_12]])
        >>> net.backward([1, 0], [0])["b1"]
        Matrix([[2*W1_11 + 2*b1_1]])
        """
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or any(s < 1 for s in sizes):
            raise ValueError(f"sizes must list at least two positive layer widths (inputs first), got {sizes}")

        def index(*ij: int) -> str:
            return "".join(map(str, ij)) if all(k < 10 for k in ij) else "_".join(map(str, ij))

        weights, biases = [], []
        for l in range(1, len(sizes)):
            n, m = sizes[l], sizes[l - 1]
            weights.append([[sympy.Symbol(f"W{l}_{index(i, j)}") for j in range(1, m + 1)]
                            for i in range(1, n + 1)])
            biases.append([sympy.Symbol(f"b{l}_{i}") for i in range(1, n + 1)])
        return cls(weights, biases, activation=activation, loss=loss)

    # ------------------------------------------------------------ introspection
    @property
    def sizes(self) -> list[int]:
        """Widths of the layers, inputs first."""
        return [len(self._W[0][0])] + [len(W) for W in self._W]

    def parameters(self) -> dict[str, ImmutableMatrix]:
        """The parameters keyed like the gradients of :meth:`backward`: W1, b1, W2, …"""
        out = {}
        for l, (W, b) in enumerate(zip(self.weights, self.biases), start=1):
            out[f"W{l}"], out[f"b{l}"] = W, b
        return out

    @property
    def derivation_(self) -> Derivation:
        """The derivation of the last forward, backward or update computed."""
        try:
            return self._derivation
        except AttributeError:
            raise NotFittedError("nothing computed yet: call forward, loss, backward, step or fit first") from None

    def __repr__(self) -> str:
        names = ", ".join(f.name for f in self._activations)
        return f"MLP(sizes={self.sizes}, activations=[{names}], loss={self._loss.name!r})"

    # ------------------------------------------------------------ validation
    def _input(self, x: Any) -> list:
        values = _vector(x, "x")
        if len(values) != self.sizes[0]:
            raise ValueError(f"x has {len(values)} values but W1 is {_shape(self._W[0])}: layer 1 expects "
                             f"{self.sizes[0]} inputs")
        return values

    def _target(self, y: Any, row: int | None = None) -> list:
        values = _vector(y, "y")
        where = f" (row {row})" if row is not None else ""
        if len(values) != self.sizes[-1]:
            raise ValueError(f"y{where} has {len(values)} values but the network has {self.sizes[-1]} outputs")
        if self._loss is BCE:
            for v in values:
                if v.is_number and (v.is_negative or (v - 1).is_positive):
                    raise ValueError(f"label y = {v}{where} is outside [0, 1]: binary cross-entropy compares "
                                     "probabilities (0 and 1 for classes); use loss='mse' for other targets")
        return values

    # ------------------------------------------------------------ computing
    def forward(self, x: Any) -> Any:
        """The exact output for input ``x``: a value for one output neuron, else a column matrix."""
        values = self._input(x)
        zs, acts = forward_pass(self._W, self._b, self._activations, values)
        self._derivation = record_forward(self._W, self._b, self._activations, zs, acts, values)
        out = acts[-1]
        return out[0] if len(out) == 1 else ImmutableMatrix([[v] for v in out])

    def loss(self, x: Any, y: Any) -> sympy.Expr:
        """The exact loss of the network on one example (a forward pass, no gradients)."""
        values, target = self._input(x), self._target(y)
        zs, acts = forward_pass(self._W, self._b, self._activations, values)
        value = self._loss.value(acts[-1], target, zs[-1], self._activations[-1])
        self._derivation = record_forward(self._W, self._b, self._activations, zs, acts, values,
                                          self._loss, target, value)
        return value

    def backward(self, x: Any, y: Any) -> dict[str, ImmutableMatrix]:
        """Exact gradients of the loss on one example, keyed "W1", "b1", "W2", …, shaped like the parameters."""
        return self._pass(x, y).gradients

    def step(self, x: Any, y: Any, lr: Any) -> "MLP":
        """One gradient-descent update on one example, in place: W ← W − η ∂L/∂W, b ← b − η ∂L/∂b."""
        rate = _learning_rate(lr)
        result = self._pass(x, y, rate)
        self._set(result.weights, result.biases)
        return self

    def _pass(self, x: Any, y: Any, lr: sympy.Expr | None = None, record: bool = True) -> Pass:
        result = backpropagation(self._W, self._b, self._activations, self._loss, self._input(x),
                                 self._target(y), lr, record=record)
        if record:
            self._derivation = result.derivation
        return result

    def fit(self, X: Any, Y: Any, lr: Any, epochs: int = 1, progress: bool | None = None) -> "MLP":
        """Stochastic gradient descent: ``epochs`` passes over the rows of X, one update per row, in order.

        ``loss_curve_`` holds the exact mean loss of each epoch (each row's
        loss taken just before its update); ``derivation_`` records the last
        update.  A progress bar goes to stderr when the run is long
        (``progress=True`` forces it, ``False`` silences it).

        With sigmoid or tanh units every update nests the exponentials one
        level deeper.  The values stay exact and cheap to compute, because
        each refers to the earlier ones instead of copying them, but written
        out they grow quickly, so ``derivation_`` then shows decimals (see
        :func:`exactml.lazy.evaluate` for your own).  Relu and identity
        networks on rational data stay rational.
        """
        rate = _learning_rate(lr)
        if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1:
            raise ValueError(f"epochs must be a positive whole number, got {epochs!r}")
        rows = exact_matrix(X, "X")
        targets = exact_matrix(Y, "Y") if self.sizes[-1] > 1 else [[t] for t in exact_vector(Y, "Y")]
        check_lengths(rows, targets, "X", "Y")
        xs = [self._input(r) if len(r) == self.sizes[0] else self._bad_row(i, r) for i, r in enumerate(rows)]
        ys = [self._target(t, row=i) for i, t in enumerate(targets)]
        total, done, start = int(epochs) * len(xs), 0, time.monotonic()
        self.loss_curve_ = []
        for _ in range(int(epochs)):
            losses = []
            for i, (x, y) in enumerate(zip(xs, ys)):
                done += 1
                last = done == total
                result = backpropagation(self._W, self._b, self._activations, self._loss, x, y, rate,
                                         record=last)
                losses.append(result.loss)
                self._set(result.weights, result.biases)
                if last:
                    self._derivation = result.derivation
                if progress or (progress is None and time.monotonic() - start > PROGRESS_AFTER):
                    _progress_bar(done, total)
            self.loss_curve_.append(mul(Rational(1, len(losses)), add(*losses)))
        if progress or (progress is None and time.monotonic() - start > PROGRESS_AFTER):
            sys.stderr.write("\n")
        return self

    def _bad_row(self, i: int, row: list) -> list:
        raise DataError(f"X row {i} has {len(row)} values but layer 1 expects {self.sizes[0]} inputs "
                        f"(W1 is {_shape(self._W[0])})", row=i)


def _progress_bar(done: int, total: int, width: int = 30) -> None:
    if done != total and done * 100 // total == (done - 1) * 100 // total:
        return  # redraw once per percent
    filled = width * done // total
    sys.stderr.write(f"\rfit [{'#' * filled}{'.' * (width - filled)}] {done}/{total} updates")
    sys.stderr.flush()




