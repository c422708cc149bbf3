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
import warnings
from typing import Any, Sequence

import sympy
from sympy import ImmutableMatrix, Rational

from ..arith.lazy import LargeValue, add, is_numeric, is_showable, mul, sign
from ..decimals import digit_count, rounded
from ..derivation import Approx, Derivation, Equation, Step, Table
from ..exact import DataError, NotFittedError, check_lengths, exact, exact_matrix, exact_vector
from ..records import Indexed
from .activations import BCE, SIGMOID, Activation, activation_named, loss_named
from .backprop import Pass, backpropagation, forward_pass, record_forward

# fit() shows a progress bar once a run has taken this long (seconds).
PROGRESS_AFTER = 1.0
# fit() warns (once) when the parameters together hold more distinct subexpressions than this …
GROWTH_NODES = 1000
# … or a rational parameter has more digits than this (numerator and denominator together).
GROWTH_DIGITS = 200
# round_digits may be at most this (more would not bound anything a display could show).
MAX_ROUND_DIGITS = 100


class ExactGrowthWarning(UserWarning):
    """Exact training is making the parameters grow quickly; ``MLP(..., round_digits=N)`` bounds them."""


def shown(value: Any) -> Any:
    """A numeric value too large to print wrapped in a :class:`~exactml.arith.lazy.LargeValue`; anything else as is."""
    if is_showable(value):
        return value
    leaves = value if isinstance(value, sympy.MatrixBase) else [value]
    return LargeValue(value) if all(is_numeric(v) for v in leaves) else value


def _round_digits(digits: Any) -> int | None:
    if digits is None:
        return None
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= MAX_ROUND_DIGITS:
        raise ValueError(
            f"round_digits must be a whole number from 0 to {MAX_ROUND_DIGITS} (decimal places "
            f"kept after each update), or None to keep every parameter exact; got {digits!r}"
        )
    return digits


def _growth(rows: list, vectors: list) -> tuple[int, int]:
    """(distinct subexpressions, most digits of a rational) over all parameters."""
    seen: set = set()
    stack = [v for W in rows for row in W for v in row] + [v for b in vectors for v in b]
    most = 0
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node.is_Rational:
            most = max(most, digit_count(node.p) + digit_count(node.q))
        stack.extend(node.args)
    return len(seen), most


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
        return [activation_named(activation, layer) for layer in range(1, layers + 1)]
    if not isinstance(activation, (list, tuple)):
        raise ValueError(
            f"activation must be a name (sigmoid, tanh, relu, identity) or a list of one name per "
            f"layer; got {activation!r}"
        )
    names = list(activation)
    if len(names) != layers:
        raise ValueError(
            f"{len(names)} activations given for {layers} layers: give one name per layer, "
            "or a single name for all of them"
        )
    return [activation_named(n, layer) for layer, n in enumerate(names, start=1)]


def _learning_rate(lr: Any) -> sympy.Expr:
    rate = exact(lr)
    if rate.is_number:
        if rate == 0:
            raise ValueError(
                "the learning rate is 0, so the update would change nothing: give a positive rate such as 1/10"
            )
        if rate.is_negative:
            raise ValueError(
                f"the learning rate {rate} is negative: a step against the gradient needs a positive rate such as 1/10"
            )
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
    it was made.  ``round_digits=N`` keeps the parameters as fractions
    rounded to N decimal places after every update (see :meth:`fit`).

    Every value shown is safe to print: a weight, output or loss too large
    to write out (after exact training) shows its decimal and size, e.g.
    ``≈ 0.4417 (exact: 1,736-node expression)``, and its ``.exact`` is the
    exact value.  ``predict`` gives classes (cross-entropy) or outputs;
    ``gradient("W1", i, j)`` one gradient with its chain-rule derivation.
    """

    def __init__(
        self,
        weights: Sequence[Any],
        biases: Sequence[Any],
        activation: Any = "sigmoid",
        loss: str = "bce",
        round_digits: int | None = None,
    ):
        self.activation = activation
        self.round_digits = _round_digits(round_digits)
        self.loss_name = loss  # ``loss`` itself is the method computing the loss
        weights, biases = list(weights), list(biases)
        if not weights:
            raise ValueError("a network needs at least one layer of weights")
        if len(biases) != len(weights):
            raise ValueError(
                f"{len(weights)} weight matrices but {len(biases)} bias vectors: give one bias vector per layer"
            )
        rows = [_weight_rows(W, f"W{layer}") for layer, W in enumerate(weights, start=1)]
        vectors = [_vector(b, f"b{layer}") for layer, b in enumerate(biases, start=1)]
        for layer, (W, b) in enumerate(zip(rows, vectors), start=1):
            if len(b) != len(W):
                raise ValueError(
                    f"layer {layer}: b{layer} has {len(b)} entries but W{layer} is {_shape(W)} "
                    f"({len(W)} neurons): give one bias per neuron"
                )
            if layer > 1 and len(W[0]) != len(rows[layer - 2]):
                raise ValueError(
                    f"layer {layer}: W{layer} is {_shape(W)} but layer {layer - 1} has {len(rows[layer - 2])} neurons "
                    f"(W{layer - 1} is {_shape(rows[layer - 2])}): W{layer} needs one column per neuron of layer {layer - 1}, "
                    f"so it must be {len(W)}×{len(rows[layer - 2])}"
                )
        self._activations = _activations(activation, len(rows))
        self._loss = loss_named(loss)
        if self._loss is BCE and self._activations[-1] is not SIGMOID:
            raise ValueError(
                f"cross-entropy needs outputs between 0 and 1, but the last layer's activation is "
                f"{self._activations[-1].name!r}: use a sigmoid output (e.g. activation=[..., 'sigmoid']) "
                "or loss='mse'"
            )
        self._set(rows, vectors)

    def _set(self, rows: list, vectors: list) -> None:
        self._W, self._b = rows, vectors

    @property
    def weights(self) -> list:
        """W⁽¹⁾, W⁽²⁾, …: exact matrices, each safe to print.

        A matrix whose exact entries are too large to print (after exact
        training) is a :class:`~exactml.arith.lazy.LargeValue` shown by decimals;
        its ``.exact`` is the matrix.  :meth:`parameters` gives the exact
        matrices always.
        """
        return [shown(ImmutableMatrix(W)) for W in self._W]

    @property
    def biases(self) -> list:
        """b⁽¹⁾, b⁽²⁾, … as columns, shown like :attr:`weights`."""
        return [shown(ImmutableMatrix([[v] for v in b])) for b in self._b]

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
        for layer in range(1, len(sizes)):
            n, m = sizes[layer], sizes[layer - 1]
            weights.append(
                [[sympy.Symbol(f"W{layer}_{index(i, j)}") for j in range(1, m + 1)] for i in range(1, n + 1)]
            )
            biases.append([sympy.Symbol(f"b{layer}_{i}") for i in range(1, n + 1)])
        return cls(weights, biases, activation=activation, loss=loss)

    # ------------------------------------------------------------ introspection
    @property
    def sizes(self) -> list[int]:
        """Widths of the layers, inputs first."""
        return [len(self._W[0][0])] + [len(W) for W in self._W]

    def parameters(self) -> dict[str, ImmutableMatrix]:
        """The parameters keyed like the gradients of :meth:`backward`: W1, b1, W2, …"""
        out = {}
        for layer, (W, b) in enumerate(zip(self._W, self._b), start=1):
            out[f"W{layer}"], out[f"b{layer}"] = ImmutableMatrix(W), ImmutableMatrix([[v] for v in b])
        return out

    def gradient(self, parameter: str, i: int, j: int | None = None, x: Any = None, y: Any = None) -> Derivation:
        """One gradient, ∂L/∂W⁽ˡ⁾ᵢⱼ or ∂L/∂b⁽ˡ⁾ᵢ, with its own chain-rule derivation.

        ``parameter`` is ``"W1"``, ``"b2"``, …; ``i`` and ``j`` count from 1,
        as in the parameter names (W1_12 is ``gradient("W1", 1, 2)``).  The
        example is the one of the last ``backward``/``step`` (or ``fit``), or
        ``x`` and ``y`` when given.  The value is ``["result"].result``.

        >>> net = MLP.symbolic([1, 1, 1], activation="identity", loss="mse")
        >>> net.gradient("W2", 1, 1, x=[2], y=[0])["result"].result
        (2*W1_11 + b1_1)*(2*W2_11*(2*W1_11 + b1_1) + 2*b2_1)
        """
        if x is not None or y is not None:
            if x is None or y is None:
                raise ValueError("give both x and y (the example), or neither to use the last backward pass")
            self._pass(x, y)
        passed = self.derivation_
        layers = len(self._W)
        letter, number = str(parameter)[:1], str(parameter)[1:]
        if letter not in ("W", "b") or not number.isdigit() or not 1 <= int(number) <= layers:
            names = ", ".join(f"W{k}, b{k}" for k in range(1, layers + 1))
            raise ValueError(f"no parameter {parameter!r}: this network has {names}")
        layer = int(number)
        if f"d{letter}{layer}" not in passed:
            raise ValueError(
                "the last computation had no backward pass: call backward(x, y) or step first, or give x and y"
            )
        rows, cols = len(self._W[layer - 1]), len(self._W[layer - 1][0])
        bounds = [(i, rows, "i (the neuron)")] + ([(j, cols, "j (the input)")] if letter == "W" else [])
        if letter == "W" and j is None:
            raise ValueError(
                f"{parameter} is a matrix: give its row i and column j, e.g. gradient({parameter!r}, 1, 1)"
            )
        for value, size, what in bounds:
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= size:
                raise ValueError(f"{what} of {parameter} must be a whole number from 1 to {size}, got {value!r}")
        from .steps import chain_rule

        return chain_rule(passed, letter, layer, i, j if letter == "W" else None, layers)

    @property
    def derivation_(self) -> Derivation:
        """The derivation of the last forward, backward or update computed."""
        try:
            last = self._derivation
        except AttributeError:
            raise NotFittedError("nothing computed yet: call forward, loss, backward, step or fit first") from None
        return last.derivation if isinstance(last, Pass) else last

    def __repr__(self) -> str:
        names = ", ".join(f.name for f in self._activations)
        rounding = f", round_digits={self.round_digits}" if self.round_digits is not None else ""
        return f"MLP(sizes={self.sizes}, activations=[{names}], loss={self._loss.name!r}{rounding})"

    # ------------------------------------------------------------ validation
    def _input(self, x: Any) -> list:
        values = _vector(x, "x")
        if len(values) != self.sizes[0]:
            raise ValueError(
                f"x has {len(values)} values but W1 is {_shape(self._W[0])}: layer 1 expects {self.sizes[0]} inputs"
            )
        return values

    def _target(self, y: Any, row: int | None = None) -> list:
        values = _vector(y, "y")
        where = f" (row {row})" if row is not None else ""
        if len(values) != self.sizes[-1]:
            raise ValueError(f"y{where} has {len(values)} values but the network has {self.sizes[-1]} outputs")
        if self._loss is BCE:
            for v in values:
                if v.is_number and (v.is_negative or (v - 1).is_positive):
                    raise ValueError(
                        f"label y = {v}{where} is outside [0, 1]: binary cross-entropy compares "
                        "probabilities (0 and 1 for classes); use loss='mse' for other targets"
                    )
        return values

    # ------------------------------------------------------------ computing
    def forward(self, x: Any) -> Any:
        """The exact output for input ``x``: a value for one output neuron, else a column matrix."""
        values = self._input(x)
        zs, acts = forward_pass(self._W, self._b, self._activations, values)
        self._derivation = record_forward(self._W, self._b, self._activations, zs, acts, values)
        out = acts[-1]
        return shown(out[0] if len(out) == 1 else ImmutableMatrix([[v] for v in out]))

    def predict(self, X: Any) -> list:
        """The prediction for every row of ``X``.

        With cross-entropy (a sigmoid output read as a probability) the class:
        1 where the output is at least 1/2, else 0 (one per output neuron when
        there are several); with squared error the output itself.  The
        comparison with 1/2 is exact (decided from the shared form, with
        sympy's exact reasoning for a value too close to call).

        >>> MLP([[[1, -1]]], [[0]]).predict([[2, 1], [0, 3]])
        [1, 0]
        """
        rows = exact_matrix(X, "X")
        out = []
        for i, row in enumerate(rows):
            x = self._input(row) if len(row) == self.sizes[0] else self._bad_row(i, row)
            values = forward_pass(self._W, self._b, self._activations, x)[1][-1]
            if self._loss is BCE:
                classes = [0 if sign(v - Rational(1, 2)) == -1 else 1 for v in values]
                out.append(classes[0] if len(classes) == 1 else classes)
            else:
                out.append(shown(values[0] if len(values) == 1 else ImmutableMatrix([[v] for v in values])))
        return out

    def loss(self, x: Any, y: Any) -> sympy.Expr:
        """The exact loss of the network on one example (a forward pass, no gradients)."""
        values, target = self._input(x), self._target(y)
        zs, acts = forward_pass(self._W, self._b, self._activations, values)
        value = self._loss.value(acts[-1], target, zs[-1], self._activations[-1])
        self._derivation = record_forward(
            self._W, self._b, self._activations, zs, acts, values, self._loss, target, value
        )
        return shown(value)

    def backward(self, x: Any, y: Any) -> dict[str, ImmutableMatrix]:
        """Exact gradients of the loss on one example, keyed "W1", "b1", "W2", …, shaped like the parameters.

        A numeric gradient too large to print is a :class:`~exactml.arith.lazy.LargeValue` (``.exact`` is the matrix).
        """
        return {k: shown(v) for k, v in self._pass(x, y).gradients.items()}

    def step(self, x: Any, y: Any, lr: Any) -> "MLP":
        """One gradient-descent update on one example, in place: W ← W − η ∂L/∂W, b ← b − η ∂L/∂b.

        ``derivation_`` then records the whole pass: forward, loss, backward and update (and the rounding,
        with ``round_digits``).
        """
        rate = _learning_rate(lr)
        result = self._pass(x, y, rate)
        self._update(result, record=True)
        return self

    def _update(self, result: Pass, record: bool) -> None:
        """Take the updated parameters of a pass, rounded when ``round_digits`` asks for it."""
        rows, vectors = result.weights, result.biases
        if self.round_digits is not None:
            n = self.round_digits
            rows = [[[rounded(w, n) for w in row] for row in W] for W in rows]
            vectors = [[rounded(v, n) for v in b] for b in vectors]
            if record and result.recorder is not None:
                result.appended.append(_rounding_step(n, rows, vectors))
        self._set(rows, vectors)

    def _pass(self, x: Any, y: Any, lr: sympy.Expr | None = None, record: bool = True) -> Pass:
        result = backpropagation(
            self._W, self._b, self._activations, self._loss, self._input(x), self._target(y), lr, record=record
        )
        if record:
            self._derivation = result  # its derivation is assembled when derivation_ is first read
        return result

    def fit(self, X: Any, Y: Any, lr: Any, epochs: int = 1, progress: bool | None = None) -> "MLP":
        """Stochastic gradient descent: ``epochs`` passes over the rows of X, one update per row, in order.

        ``loss_curve_`` holds the mean loss of each epoch (each row's loss
        taken just before its update); ``derivation_`` records the last
        update in full (the keys of :mod:`exactml.nn.backprop`, e.g.
        ``derivation_["dW1"]``) and the per-epoch losses (``"epochs"``).  A
        progress bar goes to stderr when the run is long (``progress=True``
        forces it, ``False`` silences it).

        With sigmoid or tanh units every update nests the exponentials one
        level deeper.  The values stay exact and cheap to compute, because
        each refers to the earlier ones instead of copying them, but written
        out they grow quickly: weights, outputs and ``derivation_`` are then
        shown by their decimals (:class:`~exactml.arith.lazy.LargeValue`;
        ``.exact`` is the value, :func:`exactml.evaluate` gives more digits).
        Relu and identity networks on rational data stay rational, but their
        fractions grow to thousands of digits.  Either way ``fit`` warns once
        (:class:`ExactGrowthWarning`) when the parameters grow large;
        ``MLP(..., round_digits=12)`` keeps them as fractions rounded to 12
        decimal places after every update (each update itself is exact).
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
        curve, warned, last_pass = [], False, None
        for _ in range(int(epochs)):
            losses = []
            for x, y in zip(xs, ys):
                done += 1
                last = done == total
                result = backpropagation(self._W, self._b, self._activations, self._loss, x, y, rate, record=last)
                losses.append(result.loss)
                self._update(result, record=last)
                if last:
                    last_pass = result.derivation
                if progress or (progress is None and time.monotonic() - start > PROGRESS_AFTER):
                    _progress_bar(done, total)
            curve.append(mul(Rational(1, len(losses)), add(*losses)))
            if not warned and self.round_digits is None:
                warned = self._warn_if_growing()
        if progress or (progress is None and time.monotonic() - start > PROGRESS_AFTER):
            sys.stderr.write("\n")
        self.loss_curve_ = [shown(v) for v in curve]
        self._derivation = _training(last_pass, curve, rate, int(epochs), len(xs), self.round_digits)
        return self

    def _warn_if_growing(self) -> bool:
        nodes, digits = _growth(self._W, self._b)
        if nodes <= GROWTH_NODES and digits <= GROWTH_DIGITS:
            return False
        size = (
            f"fractions of {digits:,} digits" if digits > GROWTH_DIGITS else f"expressions of {nodes:,} distinct parts"
        )
        warnings.warn(
            f"exact training is growing: the parameters now hold {size}, and every epoch costs more than the "
            "last. To keep them bounded, round after each update with MLP(..., round_digits=12) (each update is "
            "still computed exactly), or train fewer epochs.",
            ExactGrowthWarning,
            stacklevel=3,
        )
        return True

    def _bad_row(self, i: int, row: list) -> list:
        raise DataError(
            f"X row {i} has {len(row)} values but layer 1 expects {self.sizes[0]} inputs (W1 is {_shape(self._W[0])})",
            row=i,
        )


def _rounding_step(digits: int, rows: list, vectors: list) -> Step:
    how = []
    for layer, (W, b) in enumerate(zip(rows, vectors), start=1):
        how.append(Equation(Indexed("W", layer=layer), ImmutableMatrix(W), relations=["<-"], approx=False))
        how.append(
            Equation(Indexed("b", layer=layer), ImmutableMatrix([[v] for v in b]), relations=["<-"], approx=False)
        )
    return Step(
        "rounded",
        f"Rounding to {digits} decimal places",
        why=(
            f"This network keeps its parameters as fractions with {digits} decimal places "
            f"(round\\_digits $= {digits}$), so that exact training stays bounded: the update above is "
            "computed exactly, then each new parameter is rounded to the nearest such fraction."
        ),
        how=how,
        result=tuple(ImmutableMatrix(W) for W in rows) + tuple(ImmutableMatrix([[v] for v in b]) for b in vectors),
    )


def _training(last: Derivation, curve: list, rate: Any, epochs: int, rows: int, digits: int | None) -> Derivation:
    """The derivation of ``fit``: the last update in full, then the mean loss of every epoch."""
    rounding = f" Parameters are rounded to {digits} decimal places after every update." if digits is not None else ""
    d = Derivation(
        "Training by stochastic gradient descent",
        key="fit",
        intro=(
            f"{epochs} epoch{'s' if epochs > 1 else ''} over {rows} example{'s' if rows > 1 else ''}, one update per "
            f"example with learning rate $\\eta = {rate}$.{rounding} The steps below are the last update."
        ),
    )
    for item in last:
        d.add(item)
    table = Table(
        ["epoch", "mean loss"],
        [[k, v if is_showable(v) and v.is_Rational else Approx(v)] for k, v in enumerate(curve, start=1)],
        align="rr",
    )
    d.add(
        Step(
            "epochs",
            "The loss, epoch by epoch",
            why=(
                "Each epoch's mean loss, each example's loss taken just before its update. Gradient descent "
                "is working when it falls."
            ),
            how=[table],
            result=tuple(shown(v) for v in curve),
        )
    )
    return d


def _progress_bar(done: int, total: int, width: int = 30) -> None:
    if done != total and done * 100 // total == (done - 1) * 100 // total:
        return  # redraw once per percent
    filled = width * done // total
    sys.stderr.write(f"\rfit [{'#' * filled}{'.' * (width - filled)}] {done}/{total} updates")
    sys.stderr.flush()
