"""The steps of a forward and backward pass as a derivation: why each is taken and how.

:func:`exactml.backprop.backpropagation` computes; a :class:`Recorder`
turns what it computed into :class:`~exactml.derivation.Step` records
(keys listed in :mod:`exactml.backprop`).  Every step shows its rule
symbolically, then the numbers, exact and with decimals.

A small numeric network is written the way a textbook writes it: an
activation whose exact value is irrational (σ(1) = 1/(1 + e^{-1})) is
defined once, under its name a⁽ˡ⁾ᵢ, and every later step writes its exact
result in terms of those names (δ⁽²⁾ = a⁽²⁾ − 1), followed by the decimal.
The form in plain numbers is printed too only while it stays short.  Only
the display changes: every step's result is still the exact value.
Symbolic and large networks are shown with their values directly; a vector
or matrix whose exact entries are long is shown entry by entry, so that
each entry is typeset at full size.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import sympy
from sympy import Expr, ImmutableMatrix, factor_terms

from ..arith.lazy import add, is_numeric, is_small
from ..decimals import needs_decimal
from ..derivation import Approx, Call, Derivation, Equation, Grid, Neg, Note, Product, Step, Sum
from ..records import Apply, Indexed, Juxtaposed, Notation, Partial, Relation
from .activations import Activation, Loss
from .names import Named, applied, has_fraction, irrational_or_long, is_defining, is_plain, legible, minus, same

# Layers are shown term by term while they have at most this many neurons and inputs.
EXPAND_MAX = 4
# Exact entries of more nodes than this are shown one equation each rather than inside a matrix.
ENTRY_NODES = 12
# Numeric values whose printed form would have more nodes than this are shown by their decimals only.
PRINT_NODES = 1500
# A result written in names stays written out while it has at most this many nodes; beyond, its own name.
NAMED_NODES = 30


def column(values: Sequence[Expr]) -> ImmutableMatrix:
    return ImmutableMatrix([[v] for v in values])


# The error signal δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾ of a layer, and the subscript of an updated parameter (W_new).
DELTA, NEW = Notation("delta"), Notation("new")


def _entry(symbol: Any, layer: int, i: int, n: int) -> Indexed:
    """The name of entry ``i`` of a layer's vector: a⁽¹⁾₂, or a⁽²⁾ for a one-neuron layer."""
    return Indexed(symbol, i + 1, layer=layer) if n > 1 else Indexed(symbol, layer=layer)


def _input_of(layer: int, transposed: bool = False) -> Indexed:
    """What layer ``layer`` takes in: the example x for the first, the activations a⁽ˡ⁻¹⁾ before it otherwise."""
    if layer == 1:
        return Indexed("x", transposed=transposed)
    return Indexed("a", layer=layer - 1, transposed=transposed)


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


def _short(form: Any) -> bool:
    """Whether a display form prints in reasonable size (every value inside it is small)."""
    if isinstance(form, str) or form is None:
        return True
    if isinstance(form, sympy.Basic):
        return is_small(form, PRINT_NODES)
    if isinstance(form, Neg):
        return _short(form.term)
    parts = getattr(form, "terms", None) or getattr(form, "factors", None) or getattr(form, "args", None)
    if isinstance(form, Grid):
        parts = [c for row in form.rows for c in row]
    if parts is None:
        return not isinstance(form, (list, tuple)) or all(_short(p) for p in form)
    return all(_short(p) for p in parts)


def _printable(display: Any) -> Any:
    """A display with its forms too long to print left out (None when nothing is left to show)."""
    if not isinstance(display, Equation):
        return display if _short(display) else None
    kept = [(f, r) for f, r in zip(display.forms, list(display.relations) + ["="] * len(display.forms)) if _short(f)]
    if len(kept) == len(display.forms):
        return display
    if not kept or not _short(display.lhs):
        return None
    return Equation(display.lhs, *[f for f, _ in kept], relations=[r for _, r in kept], approx=False)


def _decimals(value: Any) -> Any:
    """A result shown by decimals alone (computed from its shared form when the step is printed)."""
    if isinstance(value, sympy.MatrixBase) and value.shape == (1, 1):
        return Approx(value[0, 0])
    if isinstance(value, sympy.MatrixBase):
        return Grid([[Approx(v) for v in row] for row in value.tolist()])
    return Approx(value)


def _bias_term(b: Expr) -> Any:
    return Neg(-b) if b.is_Rational and b < 0 else b


class Recorder:
    """Builds the derivation of one pass, step by step, as the pass computes."""

    def __init__(
        self,
        title: str,
        weights: Sequence,
        biases: Sequence,
        x: Sequence,
        y: Sequence | None = None,
        lr: Expr | None = None,
    ):
        self.derivation = Derivation(title, key="nn")
        self.weights, self.biases, self.x, self.y, self.lr = weights, biases, x, y, lr
        # Decided once, from the leaves: every derived value is a number exactly when they all are.
        leaves = [weights, biases, x, y or [], [lr] if lr is not None else []]
        self.numeric = all(is_numeric(v) for v in _flat(leaves))
        # Names stand in for irrational values where layers are shown term by term and the parameters are
        # short; after many exact updates they are not, and the pass is summarised by decimals instead.
        small = all(len(W) <= EXPAND_MAX and len(W[0]) <= EXPAND_MAX for W in weights)
        # A symbolic network is written the same way: each intermediate (z, a, δ) is defined once under its
        # name and later steps are written through the names, as a textbook does, instead of repeating
        # the expansion of every earlier layer.
        self.naming = small and all(is_small(v) for v in _flat([weights, biases]))
        # Each quantity as later displays write it: its name when it is irrational, else its value …
        self.shown_a: list[list] = [list(x)]
        self.shown_z: list[list] = []
        # … and each result written in those names (or its value, without names).
        self.named_delta: list = []
        self.named_grads: dict[str, list] = {}
        self.grad_names: dict[str, list] = {}

    def finish(self) -> Derivation:
        """The derivation; when its exact values are too large to print, every step shows decimals instead.

        Repeated exact updates nest every weight inside the previous ones;
        the values stay exact (each step's ``result`` is the exact value), but
        written out as text they would grow exponentially, so each step keeps
        its key, title and reason and shows its result by decimals.
        """
        steps = list(self.derivation.steps())
        if all(is_small(s.result, PRINT_NODES) for s in steps):
            return self.derivation
        if not self.numeric:
            return self.symbolic_summary(steps)
        summary = Derivation(
            self.derivation.title,
            key="nn",
            intro=(
                "The exact values of this pass are expressions too large to print (they nest every earlier "
                "update); each step shows its result by decimals. The exact values are the steps' results, the "
                "network's weights and biases, and the gradients returned by backward."
            ),
        )
        for s in steps:
            how = (
                s.how
                if s.key == "input"
                else []
                if s.symbol is None
                else [Equation(s.symbol, _decimals(s.result), relations=["approx"])]
            )
            summary.add(Step(s.key, s.title, why=s.why, how=how, result=s.result, symbol=s.symbol, names=s.names))
        return summary

    def symbolic_summary(self, steps: list) -> Derivation:
        """The derivation of a large symbolic pass: every rule and short form, no expression too long to print.

        The gradients of a wide network share their subexpressions (that is
        what makes them cheap), but written out each would repeat the whole
        network; a step keeps its rule (``δ⁽ˡ⁾ xᵀ``) and what is short, and
        says how large its exact result is.
        """
        summary = Derivation(
            self.derivation.title,
            key="nn",
            intro=(
                "The exact results of this symbolic pass are expressions too long to print; each step shows its "
                "rule and what is short, and its result holds the exact expression."
            ),
        )
        for s in steps:
            how = [d for d in (_printable(d) for d in s.how) if d is not None]
            if (
                s.symbol is not None
                and not is_small(s.result, PRINT_NODES)
                and not any(isinstance(d, Equation) and d.lhs == s.symbol for d in how)
            ):
                how.append(Equation(s.symbol, Notation("too_long_to_print"), approx=False))
            summary.add(Step(s.key, s.title, why=s.why, how=how, result=s.result, symbol=s.symbol, names=s.names))
        return summary

    # ------------------------------------------------------------ names
    def name(self, value: Expr, name: Any) -> Any:
        """How a later display writes ``value``: by its ``name`` (a record) when it is irrational, else as itself."""
        return Named(name, real=True) if self.naming and not value.is_Rational else value

    def in_names(self, value: Expr, form: Callable[[], Any], name: Any) -> Any:
        """The result ``value`` written in names by ``form()``; its own name when that grows too long to read.

        Rational values (and every value of a network without names) are written as themselves.
        """
        if not self.naming or value.is_Rational:
            return value
        written = factor_terms(form())
        return written if is_small(written, NAMED_NODES) else Named(name, real=True)

    def printed(self, legible: Callable[[Expr], bool]) -> Callable[[Expr], bool] | None:
        """Which exact values a step prints: all of them, unless names stand in for the long ones."""
        return legible if self.naming else None

    # ------------------------------------------------------------ displays
    def readable_in_brackets(self, values: Sequence[Expr]) -> bool:
        """Whether exact entries are short enough to typeset inside a matrix.

        Inside brackets LaTeX sets a fraction in text style, too small to read once it holds e.
        """
        if not self.numeric:
            return all(is_small(v, ENTRY_NODES) for v in values)
        return all(v.is_Rational or (is_small(v, ENTRY_NODES) and not has_fraction(v)) for v in values)

    def chain(
        self, lhs: Any, head: Sequence, forms: Sequence, value: Expr, exact: Callable[[Expr], bool] | None = None
    ) -> Equation:
        """``lhs = head… = forms… = value ≈ decimal``; a form that repeats the one before (or the lhs) is dropped.

        When ``exact`` says the value is too long to print, the forms are followed by its decimal alone.
        """
        kept: list = []
        for f in forms:
            if f is None or (kept and same(f, kept[-1])) or same(f, value):
                continue
            if isinstance(f, Named) and (f.shown == lhs or f.shown in head):
                continue
            if kept and isinstance(kept[-1], (Sum, Product)) and isinstance(f, sympy.Basic) and not f.has(sympy.Add):
                continue  # δ a₁ after δ × a₁ says nothing new
            kept.append(f)
        shown = exact is None or exact(value) or not (head or kept)
        tail = [(legible(value) if self.naming else value)] if shown else []
        links = [*head, *kept, *tail]
        if not self.naming:  # the value is shown last; the printer adds its decimal if it needs one
            return Equation(lhs, *links)
        if not self.numeric:  # symbols have no decimal
            return Equation(lhs, *links, approx=False)
        if value.is_Rational and not needs_decimal(value):
            return Equation(lhs, *links, approx=False)
        return Equation(lhs, *links, Approx(value), relations=["="] * len(links) + ["approx"])

    def show(
        self,
        lhs: Any,
        general: Any,
        values: Sequence[Sequence[Expr]],
        forms: Sequence[Sequence[Sequence[Any]]] = (),
        entry: Callable[[int, int], Any] | None = None,
        exact: Callable[[Expr], bool] | None = None,
        per_entry: bool = False,
    ) -> list[Equation]:
        """``lhs = general = forms… = values ≈ decimals`` for a scalar, vector (one column) or matrix.

        ``general`` is the rule (a display record), or a list of forms shown before the entries.
        ``forms`` are grids of per-entry display forms shown in turn (a worked sum, the result written
        in names).  ``exact`` (see :meth:`chain`) picks the exact values that are printed.
        ``entry(i, j)`` names one entry: a small matrix is shown one equation per entry when its
        entries are too long for brackets, or (``per_entry``) when each entry is a name used later.
        """
        head = list(general) if isinstance(general, (list, tuple)) else [general] if general is not None else []
        rows, cols = len(values), len(values[0])
        if rows * cols == 1:
            return [self.chain(lhs, head, [f[0][0] for f in forms], values[0][0], exact)]
        flat = list(_flat(values))
        small = rows <= EXPAND_MAX and cols <= EXPAND_MAX
        hidden = exact is not None and not all(exact(v) for v in flat)
        if small and entry is not None and (per_entry or hidden or not self.readable_in_brackets(flat)):
            shown = [Equation(lhs, *head, approx=False)] if head else []
            for i in range(rows):
                for j in range(cols):
                    shown.append(self.chain(entry(i, j), [], [f[i][j] for f in forms], values[i][j], exact))
            return shown
        grids = [
            Grid(f)
            for f in forms
            if small and None not in _flat(f) and not all(same(a, b) for a, b in zip(_flat(f), flat))
        ]
        shown_forms: list = head + grids + [ImmutableMatrix(values)]
        decimals = []
        if self.numeric and any(irrational_or_long(v) for v in flat):
            decimals = [Grid([[Approx(v) for v in r] for r in values])]
        return [Equation(lhs, *shown_forms, *decimals, relations=["="] * len(shown_forms) + ["approx"] * len(decimals))]

    def show_vector(
        self,
        lhs: Any,
        general: Any,
        values: Sequence[Expr],
        forms: Sequence[Sequence[Any]] = (),
        entry: Callable[[int], Any] | None = None,
        exact: Callable[[Expr], bool] | None = None,
        per_entry: bool = False,
    ) -> list[Equation]:
        """A column vector; entry ``i`` is named ``entry(i)`` (default: ``lhs``, an :class:`Indexed`, indexed by i)."""
        name = entry or (lambda i: lhs.entry(i + 1))
        return self.show(
            lhs,
            general,
            [[v] for v in values],
            [[[t] for t in f] for f in forms],
            entry=lambda i, j: name(i),
            exact=exact,
            per_entry=per_entry,
        )

    # ------------------------------------------------------------ forward
    def layers(self, activations: Sequence[Activation], zs: list, acts: list) -> None:
        x = self.x
        how = [Equation("x", column(x), approx=False)]
        if self.y is not None:
            how.append(Equation("y", self.y[0] if len(self.y) == 1 else column(self.y), approx=False))
        self.derivation.add(
            Step(
                "input",
                "The example",
                "One example goes in: the input vector $x$"
                + (" and the target $y$ the output should match." if self.y is not None else "."),
                how=how,
                result=column(x),
            )
        )
        for layer, (W, b, f) in enumerate(zip(self.weights, self.biases, activations), start=1):
            first = layer == 1 or f is not activations[layer - 2]
            self.weighted_inputs(layer, W, b, acts[layer - 1], zs[layer - 1])
            self.activation(layer, f, zs[layer - 1], acts[layer], first)

    def weighted_inputs(self, layer: int, W: Sequence, b: Sequence, prev: Sequence, z: Sequence) -> None:
        weights, biases, z_name = Indexed("W", layer=layer), Indexed("b", layer=layer), Indexed("z", layer=layer)
        prev_shown = self.shown_a[layer - 1]
        by_name = any(isinstance(p, Named) for p in prev_shown)
        general: list = [Sum([Juxtaposed(weights, _input_of(layer)), biases])]
        small = len(W) <= EXPAND_MAX and len(prev) <= EXPAND_MAX
        forms: list = []
        if small and not by_name:
            general.append(Sum([Product([ImmutableMatrix(W), column(prev)]), column(b) if len(b) > 1 else b[0]]))
        if by_name:  # z⁽²⁾ = 2 a⁽¹⁾₁ − 4 a⁽¹⁾₂ − 1, then the same sum in numbers while they are short
            forms.append([add(*[w * p for w, p in zip(row, prev_shown)], bias) for row, bias in zip(W, b)])
        if small and (not by_name or all(is_plain(v) for v in prev)):
            forms.append(
                [Sum([*(_signed(w, v) for w, v in zip(row, prev)), _bias_term(bias)]) for row, bias in zip(W, b)]
            )
        self.derivation.add(
            Step(
                f"z{layer}",
                f"Layer {layer}: weighted inputs",
                f"Each neuron of layer {layer} adds up its inputs, each multiplied by its own weight, and adds its "
                "bias. Row $i$ of $<<W>>$ holds the weights of neuron $i$, so one matrix product "
                "does this for the whole layer."
                if layer == 1
                else f"Layer {layer} repeats the same computation, with the activations of layer {layer - 1} as its "
                "inputs.",
                how=self.show_vector(z_name, general, z, forms, exact=self.printed(is_defining)),
                result=column(z),
                symbol=z_name,
                names={"W": weights},
            )
        )
        self.shown_z.append([self.name(v, _entry("z", layer, i, len(z))) for i, v in enumerate(z)])

    def activation(self, layer: int, f: Activation, z: Sequence, a: Sequence, first: bool) -> None:
        shown = [self.name(v, _entry("a", layer, i, len(a))) for i, v in enumerate(a)]
        named = [s for s in shown if isinstance(s, Named)]
        lhs = Indexed("a", layer=layer)
        how: list
        if named:  # each entry defined once, by its name: a⁽¹⁾₁ = σ(1) = 1/(1 + e^{-1})
            zs = self.shown_z[layer - 1]
            forms = [[applied(f, zi) for zi in zs]]
            how = self.show_vector(
                lhs, Apply(f.symbol, Indexed("z", layer=layer)), a, forms, exact=is_defining, per_entry=True
            )
            if not any(isinstance(s, Named) for s in _flat(self.shown_a)):
                defined = {f"name{k}": s.shown for k, s in enumerate(named)}
                names = [f"$<<{key}>>$" for key in defined]
                names = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
                these = "these exact numbers" if len(named) > 1 else "this exact number"
                if not self.numeric:
                    these = "these expressions" if len(named) > 1 else "this expression"
                how.append(
                    Note(
                        f"From here on {names} {'stand' if len(named) > 1 else 'stands'} for {these}: later results "
                        "are written in terms of names" + (", each followed by its decimal." if self.numeric else "."),
                        defined,
                    )
                )
        else:
            how = self.show_vector(lhs, Apply(f.symbol, Indexed("z", layer=layer)), a)
        self.shown_a.append(shown)
        self.derivation.add(
            Step(
                f"a{layer}",
                f"Layer {layer}: activation",
                "The activation $<<f>>$ is applied to every entry. It bends the straight-line response "
                "of the weighted sum; without it a stack of layers would collapse into a single linear map "
                "and could not separate data such as XOR."
                if first
                else f"The same activation, applied to the weighted inputs of layer {layer}.",
                how=how,
                result=column(a),
                symbol=lhs,
                names={"f": f.formula},
            )
        )

    def loss(self, loss: Loss, value: Expr) -> None:
        L, m = len(self.weights), len(self.y)
        out = Indexed("a", layer=L)
        forms = [self.in_names(value, lambda: loss.value(self.shown_a[L], self.y), "L")]
        self.derivation.add(
            Step(
                "loss",
                "The loss",
                f"The {loss.title} measures how far the prediction $<<out>>$ is from the target $y$"
                + (", averaged over the outputs" if m > 1 else "")
                + ". Training means making this number "
                "smaller, so the backward pass asks how it changes with every weight.",
                how=[self.chain("L", [loss.shown(out, m)], forms, value, self.printed(is_defining))],
                result=value,
                symbol="L",
                names={"out": out},
            )
        )

    # ------------------------------------------------------------ backward
    def output_delta(self, L: int, loss: Loss, output: Activation, a, dloss, dact, delta, shortcut: bool) -> None:
        out, z, m = Indexed("a", layer=L), Indexed("z", layer=L), len(a)
        a_shown, z_shown, plain = self.shown_a[L], self.shown_z[L - 1], self.printed(is_plain)
        lhs = Partial("L", out)
        gradient = loss.gradient(a_shown, self.y) if self.naming else dloss
        named_dloss = [self.in_names(v, lambda g=g: g, lhs) for v, g in zip(dloss, gradient)]
        self.derivation.add(
            Step(
                "dloss",
                "How the loss responds to the output",
                "The first local derivative of the chain: the slope of the loss with respect to the network's "
                "output, with the target held fixed.",
                how=self.show_vector(
                    lhs,
                    loss.shown_gradient(out, m),
                    dloss,
                    [named_dloss],
                    exact=plain,
                    entry=lambda i: Partial("L", out.entry(i + 1)),
                ),
                result=column(dloss),
                symbol=lhs,
            )
        )
        lhs = Partial(out, z)
        prime = Notation("prime", output.symbol)
        named_dact = [
            self.in_names(v, lambda zi=zi, ai=ai: output.derivative(zi, ai), lhs)
            for v, zi, ai in zip(dact, z_shown, a_shown)
        ]
        self.derivation.add(
            Step(
                f"dact{L}",
                "How the output responds to its weighted input",
                "The second local derivative: the slope of the activation at $<<z>>$. For this "
                "activation $<<f>>$, so the value already computed in the forward pass "
                "gives it.",
                how=self.show_vector(
                    lhs,
                    Apply(prime, z),
                    dact,
                    [named_dact],
                    exact=plain,
                    entry=lambda i: Apply(prime, z.entry(i + 1)),
                ),
                result=column(dact),
                symbol=lhs,
                names={"f": output.derivative_formula, "z": z},
            )
        )
        lhs = Indexed(DELTA, layer=L)
        general: Any = Notation("cdot", Partial("L", out), Partial(out, z))
        if shortcut:
            general = Relation(general, "=", Sum([out, Neg("y")]) if m == 1 else Notation("mean_error", m, out))
            terms = [Sum([ak, Neg(yk)]) for ak, yk in zip(a_shown, self.y)] if m == 1 else None
            named = [
                self.in_names(v, lambda ak=ak, yk=yk: (ak - yk) / m, lhs) for v, ak, yk in zip(delta, a_shown, self.y)
            ]
            forms = [terms or named]  # a⁽²⁾ − 1 is already the result in names
        else:
            terms = [Product([g, s]) for g, s in zip(dloss, dact)] if not self.naming else None
            named = [self.in_names(v, lambda g=g, s=s: g * s, lhs) for v, g, s in zip(delta, named_dloss, named_dact)]
            forms = [t for t in (terms, named) if t]
        how: list = self.show_vector(lhs, general, delta, forms, exact=plain)
        if shortcut:
            how.append(
                Note(
                    r"For a sigmoid output with cross-entropy the product simplifies: "
                    r"$\bigl(-\frac{y}{a} + \frac{1-y}{1-a}\bigr)\, a(1-a) = -y(1-a) + (1-y)\,a = a - y$. "
                    r"The error signal is simply the prediction minus the target."
                )
            )
        self.derivation.add(
            Step(
                f"delta{L}",
                "The error signal of the output layer",
                r"The chain rule multiplies the two local derivatives: $\delta$ is how the loss changes with the "
                "weighted input of the output neuron.",
                how=how,
                result=column(delta),
                symbol=lhs,
            )
        )
        self.named_delta = named

    def gradients(self, layer: int, delta, prev, gradients: dict) -> None:
        weights, biases, error = Indexed("W", layer=layer), Indexed("b", layer=layer), Indexed(DELTA, layer=layer)
        rule = Juxtaposed(error, _input_of(layer, transposed=True))  # δ⁽ˡ⁾ a⁽ˡ⁻¹⁾ᵀ
        gW = gradients[f"W{layer}"]
        lhs = Partial("L", weights)
        d_shown = [self.name(v, _entry(DELTA, layer, k, len(delta))) for k, v in enumerate(delta)]
        p_shown, plain = self.shown_a[layer - 1], self.printed(is_plain)
        entry = lambda i, j: Partial("L", Indexed("W", i + 1, j + 1, layer=layer))  # noqa: E731
        one = len(delta) * len(prev) == 1
        names = [[lhs if one else entry(i, j) for j in range(len(prev))] for i in range(len(delta))]
        how = []
        if len(delta) <= EXPAND_MAX and len(prev) <= EXPAND_MAX and self.readable_in_brackets(delta):
            outer = Product([delta[0] if len(delta) == 1 else column(delta), ImmutableMatrix([list(prev)])])
            how.append(Equation(lhs, rule, outer, approx=False))
        terms = [[Product([dk, v]) for v in p_shown] for dk in d_shown]
        named = [
            [self.in_names(gW[k, j], lambda dk=dk, pj=pj: dk * pj, names[k][j]) for j, pj in enumerate(p_shown)]
            for k, dk in enumerate(self.named_delta)
        ]
        how += self.show(lhs, None if how else rule, gW.tolist(), [terms, named], entry=entry, exact=plain)
        self.derivation.add(
            Step(
                f"dW{layer}",
                f"Gradient of the weights of layer {layer}",
                "Weight $<<W>>_{ij}$ multiplies input $<<input>>_j$ inside $<<z>>_i$, so its gradient is "
                "$<<delta>>_i$ times that input: an outer product.",
                how=how,
                result=gW,
                symbol=lhs,
                names={"W": weights, "input": _input_of(layer), "z": Indexed("z", layer=layer), "delta": error},
            )
        )
        self.named_grads[f"W{layer}"], self.grad_names[f"W{layer}"] = named, names
        lhs = Partial("L", biases)
        entry_b = lambda i: Partial("L", biases.entry(i + 1))
        self.derivation.add(
            Step(
                f"db{layer}",
                f"Gradient of the biases of layer {layer}",
                r"A bias is added to its weighted sum with slope $1$, so its gradient is $\delta$ itself.",
                how=self.show_vector(lhs, error, delta, [self.named_delta], entry=entry_b, exact=plain),
                result=column(delta),
                symbol=lhs,
            )
        )
        self.named_grads[f"b{layer}"] = [[d] for d in self.named_delta]
        self.grad_names[f"b{layer}"] = [[lhs if len(delta) == 1 else entry_b(i)] for i in range(len(delta))]

    def hidden_delta(self, layer: int, f: Activation, W_above, delta_above, z, dact, delta) -> None:
        zl = Indexed("z", layer=layer)
        z_shown, a_shown, plain = self.shown_z[layer - 1], self.shown_a[layer], self.printed(is_plain)
        prime = Notation("prime", f.symbol)
        slope = lambda j: Apply(prime, zl.entry(j + 1))
        named_dact = [
            self.in_names(v, lambda zj=zj, aj=aj: f.derivative(zj, aj), slope(j))
            for j, (v, zj, aj) in enumerate(zip(dact, z_shown, a_shown))
        ]
        general, entry = None, slope
        if self.naming and len(dact) > 1:  # σ'(z⁽¹⁾) = [σ'(1), σ'(-1)], then each entry by its argument
            calls = [Call(prime, zj) for zj in z_shown]
            general, entry = Grid([[c] for c in calls]), calls.__getitem__
        self.derivation.add(
            Step(
                f"dact{layer}",
                f"Slope of the activation in layer {layer}",
                f"The local derivative of layer {layer}'s activation, $<<f>>$, at each neuron's $z$.",
                how=self.show_vector(Apply(prime, zl), general, dact, [named_dact], entry=entry, exact=plain),
                result=column(dact),
                symbol=Apply(prime, zl),
                names={"f": f.derivative_formula},
            )
        )
        lhs, above = Indexed(DELTA, layer=layer), Indexed(DELTA, layer=layer + 1)
        d_shown = [self.name(v, _entry(DELTA, layer + 1, k, len(delta_above))) for k, v in enumerate(delta_above)]
        s_shown = [v if v.is_Rational or not self.naming else Call(prime, zj) for v, zj in zip(dact, z_shown)]
        terms = None
        if len(delta) <= EXPAND_MAX and len(delta_above) <= EXPAND_MAX:
            if len(delta_above) == 1:  # 2 × δ⁽²⁾ × σ'(1), without brackets around a one-term sum
                terms = [Sum([_signed(W_above[0][j], Product([d_shown[0], s_shown[j]]))]) for j in range(len(delta))]
            else:
                terms = [
                    Product([Sum([_signed(W_above[k][j], d_shown[k]) for k in range(len(delta_above))]), s_shown[j]])
                    for j in range(len(delta))
                ]
        back = lambda j: add(*[W_above[k][j] * dk for k, dk in enumerate(self.named_delta)]) * named_dact[j]
        named = [
            self.in_names(v, lambda j=j: back(j), _entry(DELTA, layer, j, len(delta))) for j, v in enumerate(delta)
        ]
        # (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ f'(z⁽ˡ⁾): the error signals of the layer above, sent back along the weights
        sent_back = Notation("big_parens", Juxtaposed(Indexed("W", layer=layer + 1, transposed=True), above))
        self.derivation.add(
            Step(
                f"delta{layer}",
                f"The error signal of layer {layer}",
                f"Neuron $j$ of layer {layer} feeds every neuron $k$ of layer {layer + 1} through the weight "
                "$<<W>>_{kj}$. The chain rule adds up the error signals coming back along those "
                "weights and multiplies by the neuron's own slope.",
                how=self.show_vector(
                    lhs,
                    Notation("hadamard", sent_back, Apply(prime, zl)),
                    delta,
                    [t for t in (terms, named) if t],
                    exact=plain,
                ),
                result=column(delta),
                symbol=lhs,
                names={"W": Indexed("W", layer=layer + 1)},
            )
        )
        self.named_delta = named

    def update(self, layer: int, gradients: dict, W_new, b_new) -> None:
        lr = self.lr
        for letter, old, new in (
            ("W", self.weights[layer - 1], W_new),
            ("b", [[v] for v in self.biases[layer - 1]], [[v] for v in b_new]),
        ):
            grad = gradients[f"{letter}{layer}"].tolist()
            names, named_grad = self.grad_names[f"{letter}{layer}"], self.named_grads[f"{letter}{layer}"]
            g_shown = [[self.name(g, n) for g, n in zip(rg, rn)] for rg, rn in zip(grad, names)]
            parameter, lhs = Indexed(letter, layer=layer), Indexed(letter, NEW, layer=layer)
            general = Sum([parameter, Neg(Juxtaposed(Notation("eta"), Partial("L", parameter)))])
            terms = [[Sum([o, Neg(Product([lr, g]))]) for o, g in zip(ro, rg)] for ro, rg in zip(old, g_shown)]
            named = [
                [
                    None if g.is_Rational or not self.naming else minus(o, factor_terms(lr * n))
                    for o, g, n in zip(ro, rg, rn)
                ]
                for ro, rg, rn in zip(old, grad, named_grad)
            ]
            if letter == "W":  # W⁽ˡ⁾_new,ij: the row and column written together, as in W⁽ˡ⁾ᵢⱼ
                entry = lambda i, j, layer=layer: Indexed("W", NEW, f"{i + 1}{j + 1}", sep=",", layer=layer)  # noqa: E731
            else:
                entry = lambda i, j, layer=layer: Indexed("b", NEW, i + 1, sep=",", layer=layer)  # noqa: E731
            first = layer == len(self.weights) and letter == "W"
            self.derivation.add(
                Step(
                    f"{letter}{layer}_new",
                    f"Update ${letter}^{{[{layer}]}}$",
                    r"Gradient descent moves every parameter a small step against its gradient: downhill on the "
                    r"loss. The learning rate $\eta$ sets the size of the step."
                    if first
                    else "The same step for $<<parameter>>$.",
                    how=self.show(lhs, general, new, [terms, named], entry=entry, exact=self.printed(is_plain)),
                    result=ImmutableMatrix(new),
                    symbol=lhs,
                    names={"parameter": parameter},
                )
            )


# ------------------------------------------------------------------ one gradient
def chain_rule(passed: Derivation, letter: str, layer: int, i: int, j: int | None, layers: int) -> Derivation:
    """The derivation of one partial derivative ∂L/∂W⁽ˡ⁾ᵢⱼ (or ∂L/∂b⁽ˡ⁾ᵢ) from a recorded backward pass.

    The loss reaches the parameter through one weighted input, z⁽ˡ⁾ᵢ: the
    chain rule multiplies the error signal δ⁽ˡ⁾ᵢ = ∂L/∂z⁽ˡ⁾ᵢ by the slope of
    z⁽ˡ⁾ᵢ in the parameter.  The steps that define δ, from the output down
    to layer l, are taken from the pass (indices are 1-based, as in the
    parameter names).
    """
    weight = letter == "W"
    grad = passed[f"d{letter}{layer}"]
    rows, cols = grad.result.shape
    index = (i, j) if weight else (i,)
    target = Indexed(letter, *index, layer=layer)
    lhs = Partial("L", target)
    z = Indexed("z", *index[:1] if rows > 1 else (), layer=layer)
    delta = Indexed(DELTA, *index[:1] if rows > 1 else (), layer=layer)
    source = _input_of(layer).entry(j) if weight else None
    names = {"target": target, "z": z, "delta": delta, "source": source}
    d = Derivation(
        f"The gradient of ${letter}^{{[{layer}]}}_{{{''.join(map(str, index))}}}$ by the chain rule", key="gradient"
    )
    d.add(
        Step(
            "chain",
            "The path from the parameter to the loss",
            "The parameter $<<target>>$ enters the loss only through the weighted input $<<z>>$ of its "
            "neuron, so the chain rule splits its gradient in two: how the loss changes with $<<z>>$ "
            "(the error signal $<<delta>>$, computed backwards from the output) times how $<<z>>$ changes "
            "with the parameter"
            + (" (the input $<<source>>$ it multiplies)." if weight else " (1: a bias is added as it is)."),
            how=[
                Equation(
                    lhs,
                    Notation("cdot", Partial("L", z), Partial(z, target)),
                    Notation("cdot", delta, source) if weight else delta,
                    approx=False,
                )
            ],
            names={k: v for k, v in names.items() if v is not None},
        )
    )
    backward = ["dloss", f"dact{layers}", f"delta{layers}"]
    for k in range(layers - 1, layer - 1, -1):
        backward += [f"dact{k}", f"delta{k}"]
    for step in passed:
        if isinstance(step, Step) and (not step.key.startswith(("d", "W", "b")) or step.key in backward):
            d.add(step)
    value = grad.result[i - 1, (j or 1) - 1]
    whole = grad.symbol
    shown = [
        e for e in grad.how if isinstance(e, Equation) and e.lhs in (lhs, whole) and (e.lhs == lhs or rows * cols == 1)
    ]
    how = shown[-1:] if shown else [Equation(lhs, value)]
    d.add(
        Step(
            "result",
            f"The gradient of ${letter}^{{[{layer}]}}_{{{''.join(map(str, index))}}}$",
            "The error signal of the neuron times the slope of its weighted input in $<<target>>$.",
            how=how,
            result=value,
            symbol=lhs if not shown else None,
            names={"target": target},
        )
    )
    return d
