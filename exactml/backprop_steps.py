"""The steps of a forward and backward pass as a derivation: why each is taken and how.

:func:`exactml.backprop.backpropagation` computes; a :class:`Recorder`
turns what it computed into :class:`~exactml.derivation.Step` records
(keys listed in :mod:`exactml.backprop`).  Every step shows its rule
symbolically, then the numbers, exact and with decimals.  Small layers are
shown term by term; a vector or matrix whose exact entries are long is
shown entry by entry, so that each entry is typeset at full size.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import sympy
from sympy import Expr, ImmutableMatrix

from .activations import Activation, Loss
from .derivation import Approx, Derivation, Equation, Grid, Neg, Note, Product, Step, Sum
from .lazy import approximately, is_numeric, is_small
from .numbers import needs_decimal

# Layers are shown term by term while they have at most this many neurons and inputs.
EXPAND_MAX = 4
# Exact entries of more nodes than this are shown one equation each rather than inside a matrix.
ENTRY_NODES = 12
# Numeric values whose printed form would have more nodes than this are shown by their decimals only.
PRINT_NODES = 1500


def column(values: Sequence[Expr]) -> ImmutableMatrix:
    return ImmutableMatrix([[v] for v in values])


def _layer(l: int) -> str:
    return f"^{{[{l}]}}"


def _flat(groups: Any):
    for v in groups:
        if isinstance(v, (list, tuple)):
            yield from _flat(v)
        else:
            yield v


def _signed(coefficient: Expr, factor: Any) -> Any:
    """``c × v`` as a term of a shown sum; a negative number becomes ``- |c| × v``."""
    if coefficient.is_Rational and coefficient < 0:
        return Neg(Product([-coefficient, factor]))
    return Product([coefficient, factor])


def _bias_term(b: Expr) -> Any:
    return Neg(-b) if b.is_Rational and b < 0 else b


def _irrational_or_long(value: Expr) -> bool:
    # A derived value that is not a Rational is irrational here (e, logarithms);
    # only Rationals need the finer test of numbers.needs_decimal.
    return needs_decimal(value) if value.is_Rational else True


class Recorder:
    """Builds the derivation of one pass, step by step, as the pass computes."""

    def __init__(self, title: str, weights: Sequence, biases: Sequence, x: Sequence, y: Sequence | None = None,
                 lr: Expr | None = None):
        self.derivation = Derivation(title, key="nn")
        self.weights, self.biases, self.x, self.y, self.lr = weights, biases, x, y, lr
        # Decided once, from the leaves: every derived value is a number exactly when they all are.
        leaves = [weights, biases, x, y or [], [lr] if lr is not None else []]
        self.numeric = all(is_numeric(v) for v in _flat(leaves))

    def add(self, key: str, title: str, why: str, how: Sequence, result: Any, symbol: str | None = None) -> None:
        self.derivation.add(Step(key, title, why=why, how=how, result=result, symbol=symbol))

    def finish(self) -> Derivation:
        """The derivation, or a summary of decimals when its exact values are too large to print.

        Repeated exact updates nest every weight inside the previous ones;
        the values stay exact (and are returned as such), but written out as
        text they would grow exponentially, so only their decimals are shown.
        """
        steps = list(self.derivation.steps())
        if not self.numeric or all(is_small(s.result, PRINT_NODES) for s in steps):
            return self.derivation
        summary = Derivation(self.derivation.title, key="nn")
        how: list = [Note(
            "The exact values of this pass are expressions too large to print (they nest every earlier "
            "update); each is shown by its decimal. The exact values are the network's weights and biases "
            "and the gradients returned by backward.")]
        for s in steps:
            if s.symbol is None or s.key == "input":
                continue
            value = s.result
            if isinstance(value, sympy.MatrixBase) and value.shape == (1, 1):
                shown = Approx(approximately(value[0, 0]))
            elif isinstance(value, sympy.MatrixBase):
                shown = Grid([[Approx(approximately(v)) for v in row] for row in value.tolist()])
            else:
                shown = Approx(approximately(value))
            how.append(Equation(s.symbol, shown, relations=[r"\approx"]))
        summary.add(Step("summary", "Decimals of the pass", how=how))
        return summary

    # ------------------------------------------------------------ displays
    def readable_in_brackets(self, values: Sequence[Expr]) -> bool:
        """Whether exact entries are short enough to typeset inside a matrix."""
        return not self.numeric or all(is_small(v, ENTRY_NODES) for v in values)

    def show(self, lhs: str, general: str | Sequence | None, values: Sequence[Sequence[Expr]],
             terms: Sequence[Sequence[Any]] | None = None,
             entry: Callable[[int, int], str] | None = None) -> list[Equation]:
        """``lhs = general = terms = values ≈ decimals`` for a scalar, vector (one column) or matrix.

        ``general`` is the rule (exactml's LaTeX), or a list of forms shown before the terms.

        ``terms`` are per-entry display forms (a worked sum or product);
        ``entry(i, j)`` names one entry, for matrices whose entries are too
        long to read inside brackets.
        """
        head = list(general) if isinstance(general, (list, tuple)) else [general] if general is not None else []
        rows, cols = len(values), len(values[0])
        if rows * cols == 1:
            return [Equation(lhs, *head, *([terms[0][0]] if terms else []), values[0][0])]
        flat = list(_flat(values))
        small = rows <= EXPAND_MAX and cols <= EXPAND_MAX
        if small and entry is not None and not self.readable_in_brackets(flat):
            shown = [Equation(lhs, *head, approx=False)] if head else []
            for i in range(rows):
                for j in range(cols):
                    forms = ([terms[i][j]] if terms else []) + [values[i][j]]
                    shown.append(Equation(entry(i, j), *forms))
            return shown
        forms: list = head + ([Grid(terms)] if terms and small else []) + [ImmutableMatrix(values)]
        decimals = []
        if self.numeric and any(_irrational_or_long(v) for v in flat):
            decimals = [Grid([[Approx(v) for v in r] for r in values])]
        return [Equation(lhs, *forms, *decimals, relations=["="] * len(forms) + [r"\approx"] * len(decimals))]

    def show_vector(self, lhs: str, general: str | Sequence | None, values: Sequence[Expr],
                    terms: Sequence[Any] | None = None,
                    entry: Callable[[int], str] | None = None) -> list[Equation]:
        """A column vector; entry ``i`` is named ``entry(i)`` (default ``lhs_i``)."""
        name = entry or (lambda i: f"{lhs}_{{{i + 1}}}")
        return self.show(lhs, general, [[v] for v in values], [[t] for t in terms] if terms else None,
                         entry=lambda i, j: name(i))

    # ------------------------------------------------------------ forward
    def layers(self, activations: Sequence[Activation], zs: list, acts: list) -> None:
        x = self.x
        how = [Equation("x", column(x), approx=False)]
        if self.y is not None:
            how.append(Equation("y", self.y[0] if len(self.y) == 1 else column(self.y), approx=False))
        self.add("input", "The example",
                 "One example goes in: the input vector $x$"
                 + (" and the target $y$ the output should match." if self.y is not None else "."),
                 how, column(x))
        for l, (W, b, f) in enumerate(zip(self.weights, self.biases, activations), start=1):
            prev_name = "x" if l == 1 else f"a{_layer(l - 1)}"
            prev, z, a = acts[l - 1], zs[l - 1], acts[l]
            general: list = [f"W{_layer(l)} {prev_name} + b{_layer(l)}"]
            small = len(W) <= EXPAND_MAX and len(prev) <= EXPAND_MAX
            if small:
                general.append(Sum([Product([ImmutableMatrix(W), column(prev)]), column(b) if len(b) > 1 else b[0]]))
            sums = [Sum([*(_signed(w, v) for w, v in zip(row, prev)), _bias_term(bias)]) for row, bias in zip(W, b)]
            how = self.show_vector(f"z{_layer(l)}", general, z, sums if small else None)
            self.add(f"z{l}", f"Layer {l}: weighted inputs",
                     f"Each neuron of layer {l} adds up its inputs, each multiplied by its own weight, and adds its "
                     f"bias. Row $i$ of $W{_layer(l)}$ holds the weights of neuron $i$, so one matrix product "
                     "does this for the whole layer." if l == 1 else
                     f"Layer {l} repeats the same computation, with the activations of layer {l - 1} as its inputs.",
                     how, column(z), f"z{_layer(l)}")
            self.add(f"a{l}", f"Layer {l}: activation",
                     f"The activation ${f.formula}$ is applied to every entry. It bends the straight-line response "
                     "of the weighted sum; without it a stack of layers would collapse into a single linear map "
                     "and could not separate data such as XOR." if l == 1 or f is not activations[l - 2] else
                     f"The same activation, applied to the weighted inputs of layer {l}.",
                     self.show_vector(f"a{_layer(l)}", f"{f.symbol}(z{_layer(l)})", a),
                     column(a), f"a{_layer(l)}")

    def loss(self, loss: Loss, value: Expr) -> None:
        L, m = len(self.weights), len(self.y)
        out = f"a{_layer(L)}"
        self.add("loss", "The loss",
                 f"The {loss.title} measures how far the prediction ${out}$ is from the target $y$"
                 + (", averaged over the outputs" if m > 1 else "") + ". Training means making this number "
                 "smaller, so the backward pass asks how it changes with every weight.",
                 [Equation("L", loss.shown(out, m), value)], value, "L")

    # ------------------------------------------------------------ backward
    def output_delta(self, L: int, loss: Loss, output: Activation, a, dloss, dact, delta, shortcut: bool) -> None:
        out, z, m = f"a{_layer(L)}", f"z{_layer(L)}", len(a)
        lhs = rf"\frac{{\partial L}}{{\partial {out}}}"
        self.add("dloss", "How the loss responds to the output",
                 "The first local derivative of the chain: the slope of the loss with respect to the network's "
                 "output, with the target held fixed.",
                 self.show_vector(lhs, loss.shown_gradient(out, m), dloss,
                                  entry=lambda i: rf"\frac{{\partial L}}{{\partial {out}_{{{i + 1}}}}}"),
                 column(dloss), lhs)
        lhs = rf"\frac{{\partial {out}}}{{\partial {z}}}"
        self.add(f"dact{L}", "How the output responds to its weighted input",
                 f"The second local derivative: the slope of the activation at $z{_layer(L)}$. For this "
                 f"activation ${output.derivative_formula}$, so the value already computed in the forward pass "
                 "gives it.",
                 self.show_vector(lhs, f"{output.symbol}'({z})", dact,
                                  entry=lambda i: f"{output.symbol}'({z}_{{{i + 1}}})"),
                 column(dact), lhs)
        lhs = rf"\delta{_layer(L)}"
        general = rf"\frac{{\partial L}}{{\partial {out}}} \cdot \frac{{\partial {out}}}{{\partial {z}}}"
        how: list = []
        if shortcut:
            general += f" = {out} - y" if m == 1 else rf" = \frac{{1}}{{{m}}}({out} - y)"
            terms = [Sum([ak, Neg(yk)]) for ak, yk in zip(a, self.y)] if m == 1 else None
        else:
            terms = [Product([g, s]) for g, s in zip(dloss, dact)]
        how += self.show_vector(lhs, general, delta, terms)
        if shortcut:
            how.append(Note(
                r"For a sigmoid output with cross-entropy the product simplifies: "
                r"$\bigl(-\frac{y}{a} + \frac{1-y}{1-a}\bigr)\, a(1-a) = -y(1-a) + (1-y)\,a = a - y$. "
                r"The error signal is simply the prediction minus the target."))
        self.add(f"delta{L}", "The error signal of the output layer",
                 r"The chain rule multiplies the two local derivatives: $\delta$ is how the loss changes with the "
                 "weighted input of the output neuron.",
                 how, column(delta), lhs)

    def gradients(self, l: int, delta, prev, gradients: dict) -> None:
        prev_name = "x" if l == 1 else f"a{_layer(l - 1)}"
        transposed = "x^T" if l == 1 else f"a^{{[{l - 1}]T}}"
        gW = gradients[f"W{l}"]
        lhs = rf"\frac{{\partial L}}{{\partial W{_layer(l)}}}"
        how = []
        if len(delta) <= EXPAND_MAX and len(prev) <= EXPAND_MAX and self.readable_in_brackets(delta):
            outer = Product([delta[0] if len(delta) == 1 else column(delta), ImmutableMatrix([list(prev)])])
            how.append(Equation(lhs, rf"\delta{_layer(l)} {transposed}", outer, approx=False))
        terms = [[Product([dk, v]) for v in prev] for dk in delta]
        how += self.show(lhs, None if how else rf"\delta{_layer(l)} {transposed}", gW.tolist(), terms,
                         entry=lambda i, j: rf"\frac{{\partial L}}{{\partial W{_layer(l)}_{{{i + 1}{j + 1}}}}}")
        self.add(f"dW{l}", f"Gradient of the weights of layer {l}",
                 f"Weight $W{_layer(l)}_{{ij}}$ multiplies input ${prev_name}_j$ inside $z{_layer(l)}_i$, so its "
                 f"gradient is $\\delta{_layer(l)}_i$ times that input: an outer product.",
                 how, gW, lhs)
        lhs = rf"\frac{{\partial L}}{{\partial b{_layer(l)}}}"
        self.add(f"db{l}", f"Gradient of the biases of layer {l}",
                 r"A bias is added to its weighted sum with slope $1$, so its gradient is $\delta$ itself.",
                 self.show_vector(lhs, rf"\delta{_layer(l)}", delta,
                                  entry=lambda i: rf"\frac{{\partial L}}{{\partial b{_layer(l)}_{{{i + 1}}}}}"),
                 column(delta), lhs)

    def hidden_delta(self, l: int, f: Activation, W_above, delta_above, z, dact, delta) -> None:
        zl = f"z{_layer(l)}"
        self.add(f"dact{l}", f"Slope of the activation in layer {l}",
                 f"The local derivative of layer {l}'s activation, ${f.derivative_formula}$, at each neuron's $z$.",
                 self.show_vector(f"{f.symbol}'({zl})", None, dact, entry=lambda i: f"{f.symbol}'({zl}_{{{i + 1}}})"),
                 column(dact), f"{f.symbol}'({zl})")
        lhs = rf"\delta{_layer(l)}"
        terms = None
        if len(delta) <= EXPAND_MAX and len(delta_above) <= EXPAND_MAX:
            terms = [Product([Sum([_signed(W_above[k][j], delta_above[k]) for k in range(len(delta_above))]),
                              dact[j]]) for j in range(len(delta))]
        self.add(f"delta{l}", f"The error signal of layer {l}",
                 f"Neuron $j$ of layer {l} feeds every neuron $k$ of layer {l + 1} through the weight "
                 f"$W{_layer(l + 1)}_{{kj}}$. The chain rule adds up the error signals coming back along those "
                 "weights and multiplies by the neuron's own slope.",
                 self.show_vector(lhs, rf"\bigl(W^{{[{l + 1}]T}} \delta{_layer(l + 1)}\bigr) \odot {f.symbol}'({zl})",
                                  delta, terms),
                 column(delta), lhs)

    def update(self, l: int, gradients: dict, W_new, b_new) -> None:
        lr = self.lr
        for letter, old, grad, new in (("W", self.weights[l - 1], gradients[f"W{l}"].tolist(), W_new),
                                       ("b", [[v] for v in self.biases[l - 1]], gradients[f"b{l}"].tolist(),
                                        [[v] for v in b_new])):
            lhs = rf"{letter}{_layer(l)}_{{\text{{new}}}}"
            general = rf"{letter}{_layer(l)} - \eta \frac{{\partial L}}{{\partial {letter}{_layer(l)}}}"
            terms = [[Sum([o, Neg(Product([lr, g]))]) for o, g in zip(ro, rg)] for ro, rg in zip(old, grad)]
            if letter == "W":
                entry = lambda i, j, l=l: rf"W{_layer(l)}_{{\text{{new}},{i + 1}{j + 1}}}"  # noqa: E731
            else:
                entry = lambda i, j, l=l: rf"b{_layer(l)}_{{\text{{new}},{i + 1}}}"  # noqa: E731
            first = l == len(self.weights) and letter == "W"
            self.add(f"{letter}{l}_new", f"Update {letter}{_layer(l)}",
                     r"Gradient descent moves every parameter a small step against its gradient: downhill on the "
                     r"loss. The learning rate $\eta$ sets the size of the step." if first else
                     f"The same step for ${letter}{_layer(l)}$.",
                     self.show(lhs, general, new, terms, entry=entry),
                     ImmutableMatrix(new), lhs)
