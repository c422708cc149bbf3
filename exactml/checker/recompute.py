"""Recomputation: run the engine on the data a document states, and compare what it states.

Local arithmetic checks each claim against its neighbour; it cannot see a
wrong number that is only *quoted* — in a plain table, in prose, or as the
value of a name whose chain was consistent with itself.  This stage
recognises the data of the algorithms in the document and runs exactml on
them:

``linreg``  a design matrix ``X`` and targets ``y`` (math): XᵀX, Xᵀy, (XᵀX)⁻¹, w,
            compared with every matrix written out later in the section;
``nn``      weights ``W^{[l]}`` and biases ``b^{[l]}`` (math), the input named in
            the prose and its class in a table: z, a, the loss, δ and the
            gradients, compared with the names the document gives them;
``tree``, ``knn``, ``kmeans``  data read from plain tables (:mod:`.recompute_tables`).

Each engine module is imported when needed; a missing one is skipped.  A
value that depends on an error the local check already reported is not
reported again.  Every finding is a :class:`~.report.Claim` with
``recomputed=True``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

import sympy

from .arith import equal
from .claims import Chain, chains
from .evaluate import INTERVAL, Array, Binding, NotCheckable, evaluate
from .expr import Mat, Node, Unparsable, children, refs
from .extract import Math, Table, section_lines, tables
from .judge import Judgement
from .parse import parse
from .report import Claim, show

DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?![\w.])")
_NUMERIC = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+-]?\d+(?:\.\d+)?")
_TUPLE = re.compile(r"\(\s*(-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?)+)\s*\)")
_MATH = re.compile(r"(?<!\\)\$\$.*?(?<!\\)\$\$|(?<!\\)\$.*?(?<!\\)\$")
NEAR = sympy.Rational(1, 10)  # a stated matrix within 10% of a quantity, entry by entry, is taken to state it


@dataclass
class Document:
    lines: list[str]  # the text, line by line
    prose: list[str]  # each line with its math removed
    section_starts: list[int]
    tables: list[Table]
    chains: list[Chain]
    bindings: list[tuple[int, str, Binding]]
    wrong_lines: set[int]  # lines where the local check found a wrong claim

    def section(self, line: int) -> int:
        return sum(1 for s in self.section_starts if s <= line)

    def section_end(self, line: int) -> int:
        later = [s for s in self.section_starts if s > line]
        return later[0] if later else len(self.lines) + 1


def recompute(text: str, maths: Iterable[Math], judgement: Judgement) -> list[Claim]:
    """Claims contradicting the engine on the data the document states (see the module docstring)."""
    lines = text.split("\n")
    doc = Document(
        lines=lines,
        prose=[_MATH.sub(" ", line) for line in lines],
        section_starts=section_lines(text),
        tables=tables(text),
        chains=chains(maths),
        bindings=judgement.bindings,
        wrong_lines={c.line for c in judgement.claims if c.status == "wrong"},
    )
    found: list[Claim] = []
    from ..registry import ALGORITHMS, load

    for target in (r for algorithm in ALGORITHMS for r in algorithm.recognisers):
        try:
            recogniser = load(target)
            found.extend(recogniser(doc))
        except ImportError:  # that engine module is not there
            continue
        except Exception as err:  # untrusted data: the report still prints, saying what was skipped
            line = min([t.line for t in doc.tables] + [c.line for c in doc.chains] + [1])
            found.append(skipped(line, recogniser.__name__.strip("_").replace("_tables", ""), err))
    seen, unique = set(), []
    for c in found:
        if (c.line, c.stated, c.source) not in seen:
            seen.add((c.line, c.stated, c.source))
            unique.append(c)
    return unique


# ------------------------------------------------------------------ shared helpers
def decimal_value(text: str) -> sympy.Rational | None:
    s = text.strip().replace(",", "")
    if not re.fullmatch(r"[+-]?\d+(?:\.\d+)?", s):
        return None
    whole, _, frac = s.lstrip("+").partition(".")
    sign = -1 if whole.startswith("-") else 1
    digits = whole.lstrip("-") + frac
    return sign * sympy.Rational(int(digits), 10 ** len(frac))


def agrees_with_text(value: Any, text: str) -> bool:
    """``value`` rounded to the decimals of ``text`` gives ``text`` (ties either way)."""
    stated = decimal_value(text)
    if stated is None:
        return True
    places = len(text.strip().partition(".")[2])
    if places == 0:
        return equal(sympy.sympify(value), stated)
    half = sympy.Rational(1, 2 * 10**places)
    gap = sympy.N(abs(value - stated), 40)
    return bool(gap <= half + sympy.Float("1e-35"))


def agrees_with_binding(value: Any, b: Binding) -> bool:
    """The engine's ``value`` is what the name was stated to be, within the rounding of its digits."""
    if isinstance(value, sympy.MatrixBase):
        value = _array(value)
    values = value.entries() if isinstance(value, Array) else [value]
    stated = b.exact.entries() if isinstance(b.exact, Array) else [b.exact]
    if len(values) != len(stated):
        return True  # not the same quantity after all: no verdict
    bounds = b.interval.entries() if isinstance(b.interval, Array) else [b.interval] * len(stated)
    for v, s, bound in zip(values, stated, bounds):
        try:
            if b.rounded and bound is not None:
                point = INTERVAL.from_exact(v)
                if not (point.a <= bound.b and bound.a <= point.b):
                    return False
            elif not equal(v, s):
                if decimal_value(b.source) is not None and "." in b.source:
                    if agrees_with_text(v, b.source):  # the stated decimal, rounded to its digits
                        continue
                return False
        except Exception:  # cannot be compared: no verdict
            continue
    return True


def is_literal(b: Binding) -> bool:
    """The name was given a number as written, not an expression in other names."""
    try:
        return not refs(parse(b.source))
    except Unparsable:
        return False


def is_number(cell: str) -> bool:
    return bool(_NUMERIC.fullmatch(cell.strip()))


def tuples_in(text: str) -> list[tuple[Any, ...]]:
    return [tuple(decimal_value(x) for x in m.group(1).split(",")) for m in _TUPLE.finditer(text)]


def finding(
    line: int, source: str, stated: str, exact: Any, message: str, status: str = "wrong", first_error: int | None = None
) -> Claim:
    places = len(stated.strip().partition(".")[2]) if decimal_value(stated) is not None and "." in stated else 3
    shown = exact if isinstance(exact, str) else show(exact, places)
    return Claim(
        line=line,
        source=source,
        stated=stated,
        exact=shown,
        status=status,
        message=message,
        relation="=",
        first_error=first_error,
        recomputed=True,
    )


def skipped(line: int, what: str, err: Exception) -> Claim:
    """The report's line for a recomputation the engine refused on the data stated here."""
    reason = str(err) if isinstance(err, ValueError) else f"{type(err).__name__}: {err}"
    return Claim(
        line=line,
        source=f"(recomputing {what})",
        stated="",
        exact=None,
        status="unchecked",
        message=f"recomputation skipped: the engine rejects the data stated here: {reason}",
        recomputed=True,
    )


# ------------------------------------------------------------------ linear regression
def linreg_claims(doc: Document) -> list[Claim]:
    from ..linreg import LinearRegression

    found = []
    designs = [(s, b) for s, name, b in doc.bindings if name == "X" and _rational_array(b.exact)]
    for k, (section, X) in enumerate(designs):
        targets = [
            b
            for s, name, b in doc.bindings
            if s == section
            and name == "y"
            and _rational_array(b.exact)
            and b.exact.shape == (X.exact.shape[0], 1)
            and abs(b.line - X.line) <= 20
        ]
        if not targets or X.exact.shape[0] < 2:
            continue
        y = targets[0]
        later = [b.line for s, b in designs[k + 1 :] if s == section and b.line > X.line]
        end = min(later + [doc.section_end(X.line)])
        rows = [list(r) for r in X.exact.rows]
        try:
            model = LinearRegression(fit_intercept=False).fit(rows, [r[0] for r in y.exact.rows])
        except ValueError as err:
            found.append(skipped(X.line, "linear regression", err))
            continue
        d = model.derivation_
        quantities = {
            "X^T X": _array(d["xtx"].result),
            "X^T y": _array(d["xty"].result),
            "(X^T X)^{-1}": _array(d["xtx_inv"].result),
            "w": Array(tuple((v,) for v in d["w"].result)),
        }
        quantities = {name: value for name, value in quantities.items() if value is not None}
        data = [X.exact, X.exact.transpose(), y.exact]
        for chain in doc.chains:
            if not (X.line <= chain.line < end) or chain.line in doc.wrong_lines:
                continue
            for side in chain.sides:
                for stated in _literal_matrices(side):
                    found.extend(_near_miss(chain, side, stated, quantities, data, X.line))
    return found


def _rational_array(x: Any) -> bool:
    return isinstance(x, Array) and all(isinstance(v, sympy.Rational) for v in x.entries())


def _array(m: Any) -> Array | None:
    if not hasattr(m, "rows") and hasattr(m, "to_Matrix"):  # a DomainMatrix (linreg keeps one from 13 columns)
        m = m.to_Matrix()
    if not isinstance(m, sympy.MatrixBase):  # from 13 columns linreg records det(XᵀX), not the inverse
        return None
    return Array(tuple(tuple(m[i, j] for j in range(m.cols)) for i in range(m.rows)))


def _literal_matrices(side: str) -> list[Array]:
    try:
        node = parse(side)
    except Unparsable:
        return []
    out = []

    def walk(n: Node) -> None:
        if isinstance(n, Mat) and not refs(n):
            try:
                value = evaluate(n, {})
            except (NotCheckable, Unparsable):
                return
            if isinstance(value, Array):
                out.append(value)
            return
        for c in children(n):
            walk(c)

    walk(node)
    return out


def _near_miss(
    chain: Chain, side: str, stated: Array, quantities: dict[str, Array], data: list[Array], data_line: int
) -> list[Claim]:
    """A stated matrix that is one of the engine's quantities with some entries wrong."""
    if any(_same(stated, q) for q in [*quantities.values(), *data]):
        return []
    for name, q in quantities.items():
        a, b = stated.entries(), q.entries()
        if sorted(stated.shape) != sorted(q.shape) or (stated.shape != q.shape and 1 not in q.shape):
            continue
        equal = [x == y for x, y in zip(a, b)]
        near = all(abs(x - y) <= NEAR * abs(y) for x, y in zip(a, b))
        if any(equal) and not all(equal) and near:
            wrong = ", ".join(str(i + 1) for i, e in enumerate(equal) if not e)
            message = (
                f"recomputed from X and y (line {data_line}): {name} = {show(q)}; "
                f"entries {wrong} of the matrix written here differ"
            )
            return [finding(chain.line, f"{name} as written in: {side}", show(stated), q, message)]
    return []


def _same(a: Array, b: Array) -> bool:
    return (
        sorted(a.shape) == sorted(b.shape)
        and (a.shape == b.shape or 1 in a.shape)
        and all(x == y for x, y in zip(a.entries(), b.entries()))
    )


# ------------------------------------------------------------------ neural networks
_NETWORK_NAMES = [  # names of the document → step keys of exactml.backprop (l: the layer)
    (r"z\^\[(\d)\]", "z{}"),
    (r"a\^\[(\d)\]", "a{}"),
    (r"delta\^\[(\d)\]", "delta{}"),
    (r"dL/dz\^\[(\d)\]", "delta{}"),
    (r"dL/dW\^\[(\d)\]", "dW{}"),
    (r"dL/db\^\[(\d)\]", "db{}"),
    (r"da\^\[(\d)\]/dz\^\[\d\]", "dact{}"),
    (r"W_new\^\[(\d)\]", "W{}_new"),
    (r"b_new\^\[(\d)\]", "b{}_new"),
    (r"L()", "loss"),
]


def network_claims(doc: Document) -> list[Claim]:
    """Weights W^{[l]} and biases b^{[l]} stated in math, and the input named in the prose."""
    from ..nn import MLP

    found = []
    for section in sorted({s for s, _, _ in doc.bindings}):
        named = {name: b for s, name, b in doc.bindings if s == section}
        layers = 0
        while f"W^[{layers + 1}]" in named and f"b^[{layers + 1}]" in named:
            layers += 1
        if layers == 0:
            continue
        weights = [_rows(named[f"W^[{k}]"].exact) for k in range(1, layers + 1)]
        biases = [_flat(named[f"b^[{k}]"].exact) for k in range(1, layers + 1)]
        start = max(named[f"W^[{layers}]"].line, named[f"b^[{layers}]"].line)
        end = doc.section_end(start)
        text = "\n".join(doc.prose[start - 1 : end - 1])
        m = re.search(r"input\s*(\([^()]*\))", text, re.I)
        if m is None or not tuples_in(m.group(1)):
            continue
        x = list(tuples_in(m.group(1))[0])
        target = _target(doc, section, x)
        if target is None:
            continue
        try:
            net = MLP(weights, biases)
            eta = named.get("eta")
            if eta is not None and not isinstance(eta.exact, Array):
                net.step(x, [target], eta.exact)
            else:
                net.backward(x, [target])
        except ValueError as err:
            found.append(skipped(start, "the network", err))
            continue
        steps = {st.key: st.result for st in net.derivation_.steps()}
        for s, name, b in doc.bindings:
            if s != section or not (start <= b.line < end) or b.taint is not None or not is_literal(b):
                continue
            key = _network_key(name)
            if key is None or key not in steps:
                continue
            value = steps[key]
            if isinstance(value, sympy.MatrixBase) and value.shape == (1, 1):
                value = value[0, 0]
            if not agrees_with_binding(value, b):
                message = (
                    f"recomputed with the weights of line {start} on the input {point_text(tuple(x))}: "
                    f"{name} is {show(value)}"
                )
                found.append(finding(b.line, f"{name} = {b.source}", b.source, value, message))
    return found


def _network_key(name: str) -> str | None:
    for pattern, key in _NETWORK_NAMES:
        m = re.fullmatch(pattern, name)
        if m:
            return key.format(m.group(1)) if m.groups() and m.group(1) else key
    return None


def _rows(x: Any) -> list[list[Any]]:
    return [list(r) for r in x.rows] if isinstance(x, Array) else [[x]]


def _flat(x: Any) -> list[Any]:
    return x.entries() if isinstance(x, Array) else [x]


def _target(doc: Document, section: int, x: list) -> Any:
    """The class of the input in a table of the same section (the last column of the row whose features are x)."""
    for t in doc.tables:
        if doc.section(t.line) != section:
            continue
        for _, cells in t.rows:
            values = [decimal_value(c) for c in cells]
            if len(values) == len(x) + 1 and values[:-1] == x and values[-1] is not None:
                return values[-1]
    return None


def point_text(p: tuple) -> str:
    return "(" + ", ".join(str(v) for v in p) + ")"
