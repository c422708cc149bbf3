"""Impurity of a node and information gain of a split, in exact arithmetic.

Gini impurity is a fraction.  Entropy is kept as a combination of base-2
logarithms of *primes* with rational coefficients, which is its simplest
exact form: ``n·H(counts) = n log₂ n − Σ c log₂ c`` and every ``log₂ c``
splits into ``Σ e·log₂ p`` over the prime factors of ``c``.  The logarithms
of distinct primes are linearly independent over the rationals, so two
such forms are equal exactly when their coefficients are — ties are found
exactly, never by a tolerance — and the sign of a non-zero form is decided
by interval arithmetic (or, at worst, by comparing two integers).

>>> from exactml import gini, entropy, information_gain
>>> gini([4, 2])
4/9
>>> entropy([4, 2])
-2/3 + log(3)/log(2)
>>> information_gain([4, 2], [[2, 0], [2, 2]])
1/9

Step builders (:func:`gini_step`, :func:`entropy_step`, :func:`split_step`)
return derivation steps showing the same computations worked out.
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping, Sequence

import sympy
from sympy import Add, Mul
from sympy.core.add import _addsort

from ..derivation import Call, Equation, Name, Neg, Note, Product, Step, Sum, Table
from ..records import Frac, Juxtaposed, Log, Notation, Power

__all__ = ["gini", "entropy", "information_gain", "gini_step", "entropy_step", "split_step"]

CRITERIA = ("gini", "entropy")
# Term-by-term expansions are shown while they stay readable.
EXPAND_CLASSES = 6
EXPAND_BRANCHES = 8
TABLE_BRANCHES = 12
SYMBOL = {"gini": "I", "entropy": "H"}


def check_criterion(criterion: str) -> str:
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be 'gini' or 'entropy', got {criterion!r}")
    return criterion


def class_counts(counts: Any, what: str = "counts") -> list[int]:
    """Validate one node's class counts: whole numbers, none negative, not all zero."""
    if isinstance(counts, Mapping):
        counts = list(counts.values())
    if isinstance(counts, (str, bytes)) or not hasattr(counts, "__iter__"):
        raise ValueError(f"{what} must be a sequence of class counts such as [4, 2], got {counts!r}")
    out = []
    for i, c in enumerate(counts):
        try:
            if isinstance(c, bool):
                raise TypeError
            value = operator.index(c)
        except TypeError:
            raise ValueError(f"{what}[{i}] is {c!r}: a class count must be a whole number") from None
        if value < 0:
            raise ValueError(f"{what}[{i}] is {value}: a class count cannot be negative")
        out.append(value)
    if not out:
        raise ValueError(f"{what} is empty: give the number of examples of each class")
    if sum(out) == 0:
        raise ValueError(f"{what} are all zero: a node with no examples has no impurity")
    return out


# ------------------------------------------------------------------ Gini
def gini_fraction(counts: Sequence[int]) -> Fraction:
    """1 − Σ (c/n)², from integer counts."""
    n = sum(counts)
    return Fraction(n * n - sum(c * c for c in counts), n * n)


def _rational(f: Fraction) -> sympy.Rational:
    return sympy.Rational(f.numerator, f.denominator)


def gini(counts: Any) -> sympy.Rational:
    """Gini impurity ``1 − Σ pₖ²`` of a node with the given class counts, exactly.

    >>> gini([2, 2])
    1/2
    """
    return _rational(gini_fraction(class_counts(counts)))


# ------------------------------------------------------------------ entropy as a log form
@lru_cache(maxsize=65536)
def _prime_factors(n: int) -> tuple[tuple[int, int], ...]:
    return tuple(sorted(sympy.factorint(n).items()))


def entropy_form(counts: Sequence[int]) -> dict[int, int]:
    """``n·H`` as ``{prime p: integer coefficient of log₂ p}`` (zero coefficients dropped)."""
    form: dict[int, int] = {}
    n = sum(counts)
    for c, sign in [(n, 1)] + [(c, -1) for c in counts]:
        if c > 1:
            for p, e in _prime_factors(c):
                form[p] = form.get(p, 0) + sign * c * e
    return {p: k for p, k in form.items() if k}


def combine_forms(a: Mapping[int, int], b: Mapping[int, int], sign: int = 1) -> dict[int, int]:
    """``a + sign·b`` of two log forms (zero coefficients dropped)."""
    out = dict(a)
    for p, k in b.items():
        out[p] = out.get(p, 0) + sign * k
    return {p: k for p, k in out.items() if k}


def split_form(parent: Sequence[int], children: Sequence[Sequence[int]]) -> dict[int, int]:
    """``n·IG`` for entropy: n·H(parent) − Σₖ nₖ·H(childₖ), as a log form."""
    form = dict(entropy_form(parent))
    for child in children:
        form = combine_forms(form, entropy_form(child), -1)
    return form


@lru_cache(maxsize=1024)
def _log2(p: int) -> sympy.Expr:
    return sympy.log(p) / sympy.log(2)


def form_to_sympy(form: Mapping[int, int], denominator: int = 1) -> sympy.Expr:
    """The exact value ``(Σ kₚ log₂ p) / denominator`` as a sympy expression.

    The terms are assembled in sympy's canonical order directly: the result
    equals ``sympy.Add(*terms)`` (a test checks this) but costs a fifth as
    much, which matters when every node of a large tree records its gains.
    """
    terms = []
    for p in sorted(form):
        if p != 2:
            coeff, base = sympy.Rational(form[p], denominator), _log2(p)
            terms.append(base if coeff == 1 else Mul._from_args((coeff, *base.args)))
    _addsort(terms)
    const = sympy.Rational(form.get(2, 0), denominator)
    if const != 0:
        terms.insert(0, const)
    if len(terms) <= 1:
        return terms[0] if terms else sympy.S.Zero
    return Add._from_args(terms)


def log_form_sign(form: Mapping[int, int]) -> int:
    """The sign (−1, 0, 1) of ``Σ kₚ log p`` with integer coefficients, decided exactly."""
    items = [(p, k) for p, k in form.items() if k]
    if not items:
        return 0  # linear independence: only the zero form has value zero
    estimate = math.fsum(k * math.log(p) for p, k in items)
    scale = math.fsum(abs(k) * math.log(p) for p, k in items)
    if abs(estimate) > 1e-12 * scale:  # far above the rounding error of the estimate
        return 1 if estimate > 0 else -1
    from mpmath import iv

    saved = iv.prec
    try:
        for prec in (128, 512, 2048):
            iv.prec = prec
            total = iv.mpf(0)
            for p, k in items:
                total += k * iv.log(p)
            if total.a > 0:
                return 1
            if total.b < 0:
                return -1
    finally:
        iv.prec = saved
    # The product of p^k over positive k against that over negative k: exact, and final.
    above = math.prod(p**k for p, k in items if k > 0)
    below = math.prod(p ** (-k) for p, k in items if k < 0)
    return (above > below) - (above < below)


def entropy(counts: Any) -> sympy.Expr:
    """Entropy ``−Σ pₖ log₂ pₖ`` of a node, exact, in base-2 logarithms of primes.

    >>> entropy([1, 1])
    1
    >>> entropy([1, 1, 1])
    log(3)/log(2)
    """
    counts = class_counts(counts)
    return form_to_sympy(entropy_form(counts), sum(counts))


# ------------------------------------------------------------------ gain
def _children(parent: list[int], children_counts: Any) -> list[list[int]]:
    if isinstance(children_counts, (str, bytes)) or not hasattr(children_counts, "__iter__"):
        raise ValueError("children_counts must be a list of class-count lists, one per child")
    children = [class_counts(c, f"children_counts[{k}]") for k, c in enumerate(children_counts)]
    if not children:
        raise ValueError("children_counts is empty: a split has at least one child")
    for k, child in enumerate(children):
        if len(child) != len(parent):
            raise ValueError(f"children_counts[{k}] has {len(child)} classes but the parent has {len(parent)}")
    totals = [sum(col) for col in zip(*children)]
    if totals != parent:
        raise ValueError(
            f"the children's counts add up to {totals} but the parent's are {parent}: "
            "every example of the parent goes to exactly one child"
        )
    return children


def weighted_gini(children: Sequence[Sequence[int]]) -> Fraction:
    n = sum(sum(c) for c in children)
    return sum((Fraction(sum(c), n) * gini_fraction(c) for c in children), Fraction(0))


def information_gain(parent_counts: Any, children_counts: Any, criterion: str = "gini") -> sympy.Expr:
    """Impurity of the parent minus the size-weighted impurity of its children, exactly.

    >>> information_gain([4, 2], [[2, 0], [2, 2]], criterion="entropy")
    -4/3 + log(3)/log(2)
    """
    check_criterion(criterion)
    parent = class_counts(parent_counts, "parent_counts")
    children = _children(parent, children_counts)
    if criterion == "gini":
        return _rational(gini_fraction(parent) - weighted_gini(children))
    return form_to_sympy(split_form(parent, children), sum(parent))


# ------------------------------------------------------------------ steps
def _gini_forms(counts: Sequence[int], value: Any = None) -> list:
    """1 − (c/n)² − … = 1 − c²/n² − … = 1 − Σc²/n² = (n² − Σc²)/n², then the value."""
    value = gini(counts) if value is None else value
    n = sum(counts)
    if len(counts) > EXPAND_CLASSES:
        return [value]
    squares = sum(c * c for c in counts)
    forms = [
        Sum([1, *[Neg(Power(Frac(c, n), 2)) for c in counts]]),
        Sum([1, *[Neg(Frac(c * c, n * n)) for c in counts]]),
        Sum([1, Neg(Frac(squares, n * n))]),
        Frac(n * n - squares, n * n),
    ]
    if squares == n * n:  # a pure node: the first line already shows it
        forms = forms[:1]
    elif math.gcd(n * n - squares, n * n) == 1:
        forms = forms[:3]  # (n² − Σc²)/n² is already the value
    if len(counts) == 1:
        forms = forms[:1]
    return [*forms, value]


def _entropy_forms(counts: Sequence[int], value: Any = None) -> list:
    """−Σ (c/n) log₂(c/n) = log₂ n − (1/n) Σ c log₂ c, then the value in logs of primes."""
    value = entropy(counts) if value is None else value
    n = sum(counts)
    if len(counts) > EXPAND_CLASSES:
        return [value]
    terms = [Neg(Juxtaposed(Frac(c, n), Log(Frac(c, n)))) for c in counts if c > 0]
    inner = [Juxtaposed(c, Log(c)) for c in counts if c > 1]
    middle = Sum([Log(n), Neg(Juxtaposed(Frac(1, n), Sum(inner)))]) if inner else Log(n)
    return [Sum(terms), middle, value]


def _forms(counts: Sequence[int], criterion: str, value: Any = None) -> list:
    return _gini_forms(counts, value) if criterion == "gini" else _entropy_forms(counts, value)


def gini_step(counts: Any, key: str = "gini", symbol: Any = None) -> Step:
    """A step computing the Gini impurity of a node from its class counts (``symbol`` defaults to I_parent)."""
    symbol = Notation("I_parent") if symbol is None else symbol
    counts = class_counts(counts)
    forms = _gini_forms(counts)
    return Step(
        key,
        "Gini impurity",
        why=(
            r"Gini impurity is the chance that two examples drawn at random (with replacement) from the "
            r"node belong to different classes: $1 - \sum_k p_k^2$, where $p_k$ is the share of class $k$. "
            r"It is $0$ for a pure node and largest when the classes are equally mixed."
        ),
        how=[Equation(symbol, *forms)],
        result=forms[-1],
        symbol=symbol,
    )


def entropy_step(counts: Any, key: str = "entropy", symbol: Any = None) -> Step:
    """A step computing the entropy of a node, kept exact in base-2 logarithms (``symbol``: H_parent)."""
    symbol = Notation("H_parent") if symbol is None else symbol
    counts = class_counts(counts)
    forms = _entropy_forms(counts)
    return Step(
        key,
        "Entropy",
        why=(
            r"Entropy $-\sum_k p_k \log_2 p_k$ is the average number of bits needed to name the class of an "
            r"example from the node. A class with no examples adds nothing (as $p \to 0$, "
            r"$p \log_2 p \to 0$). Writing $\log_2 c$ through the prime factors of $c$ gives the exact value "
            r"in its simplest form."
        ),
        how=[Equation(symbol, *forms)],
        result=forms[-1],
        symbol=symbol,
    )


def split_step(
    feature: str,
    branches: Sequence[tuple[str, Sequence[int]]],
    criterion: str = "gini",
    key: str | None = None,
    classes: Sequence[Any] | None = None,
    note: Note | None = None,
) -> Step:
    """A step scoring one candidate split: each branch's impurity, their weighted average, the gain.

    ``branches`` pairs a label (user text, e.g. ``"Age = Youth"``) with the
    branch's class counts; the parent's counts are their sum.
    """
    check_criterion(criterion)
    labels = [label for label, _ in branches]
    children = [class_counts(c, f"branch {label!r}") for label, c in branches]
    parent = [sum(col) for col in zip(*children)]
    n = sum(parent)
    sym = SYMBOL[criterion]
    if criterion == "gini":
        values = [_rational(gini_fraction(c)) for c in children]
        before, after = gini_fraction(parent), weighted_gini(children)
        parent_value, weighted, gain = _rational(before), _rational(after), _rational(before - after)
    else:
        forms = [entropy_form(c) for c in children]
        values = [form_to_sympy(f, sum(c)) for f, c in zip(forms, children)]
        parent_form, total = entropy_form(parent), {}
        for f in forms:
            total = combine_forms(total, f)
        parent_value, weighted = form_to_sympy(parent_form, n), form_to_sympy(total, n)
        gain = form_to_sympy(combine_forms(parent_form, total, -1), n)

    header = ["Branch", "$n$"] + [Name(str(c)) for c in (classes or [])] + [f"${sym}$"]
    rows = [
        [Name(label), sum(c), *(c if classes else []), v]
        for label, c, v in list(zip(labels, children, values))[:TABLE_BRANCHES]
    ]
    how: list = [Table(header, rows, align="l" + "r" * (len(header) - 1))]
    if len(children) > TABLE_BRANCHES:
        how.append(Note(f"The table shows the first {TABLE_BRANCHES} of {len(children)} branches."))
    if note is not None:
        how.append(note)
    small = len(children) <= EXPAND_BRANCHES
    if small:
        for label, c, v in zip(labels, children, values):
            how.append(Equation(Call(sym, Name(label)), *_forms(c, criterion, v)))
        average = Sum([Product([Frac(sum(c), n), v]) for c, v in zip(children, values)])
        how.append(Equation(Call(sym, Name(feature)), average, weighted))
    else:
        how.append(Equation(Call(sym, Name(feature)), weighted))
    # A compound parent impurity is bracketed: (log₂3 − 2/3) − 2/3, not log₂3 − 2/3 − 2/3.
    first = Call("", parent_value) if isinstance(parent_value, sympy.Add) else parent_value
    how.append(Equation(Call(Notation("IG"), Name(feature)), Sum([first, Neg(weighted)]), gain))
    return Step(
        key or feature,
        "Split on <<feature>>",
        why=(
            r"Each branch receives the examples with its value; the impurity left after the split is the "
            r"branches' impurities weighted by their shares of the examples, and the information gain is "
            r"how much lower that is than the parent's."
        ),
        how=how,
        result=gain,
        names={"feature": feature},
    )
