"""Stage 4 of the checker: judge every claim, binding names as the document defines them.

Chains are taken in document order.  Names live in an environment that is
emptied at every top-level section.  For each ``=`` or ``\\approx`` link
between two sides that both evaluate:

* exactly equal → ``ok``;
* otherwise, when a decimal is involved on either side (``0.731``, or a name
  whose value came from one), both sides are evaluated again as intervals
  over the rounding of every decimal: if the intervals meet, the difference
  is honest rounding → ``ok``; if not → ``wrong``;
* ``\\approx`` with a bare whole number on the right (``\\approx 3``) means
  "to the nearest unit";
* a claim that holds but uses a value that an earlier *wrong* claim defined
  is ``carried``, and names the line of the first error;
* anything that cannot be evaluated is ``unchecked``, never ``wrong``.

Decimals are exact unless the document rounded them: a decimal is taken to
stand for an interval only when it was written after ``\\approx`` earlier, or is
an earlier exact value rounded to its digits, or it is the lone number stated
on the right of the claim (``\\frac{1}{3} = 0.333``).  So ``0.2 \\times 30 = 7`` and
``\\frac{1}{0.4} = 2.8`` are wrong, while ``2 \\times 0.731 - 1 \\approx 0.462`` after
``\\sigma(1) \\approx 0.731`` is honest rounding.

Claims with names that have no value are identities: ``ok`` when they hold for
all values (random rational points first, then sympy), ``wrong`` with a
counterexample.  Derivatives (``\\frac{\\partial L}{\\partial w}``, ``\\frac{d}{dz}``,
``f'(z)``, ``\\nabla_w L``) are computed from the definitions made earlier.

A number written later that equals a number stated by a wrong (or carried)
claim, and was not written before it, carries that error.

A definition (``name = …``) binds the name to the value of the last side of
its chain that evaluates — the value the author goes on with.  A matrix of
unknown names next to a known matrix (``(X^T X)^{-1} = [a_{11} \\dots]``)
binds each name to its entry.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import partial
from itertools import islice
from typing import Any

import sympy

from .arith import Interval, equal, surd
from .budget import over_budget
from .claims import CLAIMS, Chain
from .evaluate import Array, Binding, NotCheckable, Unbound, collapse, derivative_of, evaluate
from .expr import Func, Mat, Node, Num, Op, Ref, Rounded, TooLarge, Unparsable, children, refs, rounded_places
from .read import read
from .report import Claim, Definition, show

_AMBIGUOUS = "holds with the earlier value of"
_UNREAD = "this notation could not be read as arithmetic"
_ROUNDS = "rounds to the digits written"
_WITHIN = "equal within the rounding of the decimals written"
KNOWN_FUNCTIONS = {"sigma", "tanh", "ReLU", "relu", "exp", "ln", "log", "softmax", "sigmoid", "softplus", "max", "min"}


@dataclass
class _Document:
    """What the judge remembers across chains: decimals the document rounded, values met, numbers of errors."""

    approx: set = field(default_factory=set)  # (value, places) of decimals written after \approx
    values: "_Values" = field(default_factory=lambda: _Values())  # every exact (numeric) value met so far
    tainted: dict = field(default_factory=dict)  # a number stated by a wrong or carried claim → its first error line
    tainted_values: dict = field(default_factory=dict)  # an irrational stated by a wrong claim (√12) → line
    seen: set = field(default_factory=set)  # every number written so far (signed)

    def rounded(self, r: Rounded) -> bool:
        """``r`` is a rounding the document made: written after ≈ before, or an earlier exact value to its digits."""
        if (r.value, r.places) in self.approx:
            return True
        v, half = float(r.value), float(r.half)
        tiny = half * 1e-9
        return any(tiny < abs(x - v) <= half + tiny for x in self.values.near(v, half + tiny, r.places))

    def remember(self, value: Any) -> None:
        if isinstance(value, sympy.Rational):  # the common case, without sympy's free_symbols
            try:
                f = value.p / value.q
            except OverflowError:
                return
            if abs(f) < 1e15:
                self.values.append(f)
            return
        for x in _entries(value):
            if isinstance(x, sympy.Basic) and not x.free_symbols:
                try:  # p / q: Python rounds the quotient of two integers correctly, as sympy does
                    f = float(sympy.N(x, 20)) if not isinstance(x, sympy.Rational) else x.p / x.q
                except (TypeError, ValueError, OverflowError):
                    continue
                if f == f and abs(f) < 1e15:
                    self.values.append(f)


class _Values:
    """The values met so far (as floats), indexed by size: which lie near ``v`` is found without a look at each.

    A linear scan for each rounded decimal made a document of many decimals quadratic.  The magnitudes are
    kept in buckets of width 10^-k, one grid for each k asked about (built on first use).
    """

    FINEST = 8  # the narrowest buckets: 10^-8

    def __init__(self) -> None:
        self.magnitudes: set[float] = set()
        self.grids: dict[int, dict[int, list[float]]] = {}

    def append(self, x: float) -> None:
        a = abs(x)
        if a in self.magnitudes:
            return
        self.magnitudes.add(a)
        for k, grid in self.grids.items():
            grid.setdefault(math.floor(a * 10.0**k), []).append(a)

    def near(self, v: float, within: float, places: int) -> Iterable[float]:
        """Every magnitude that may lie within ``within`` of ``v`` (and some that do not: the caller decides)."""
        margin = within + 8 * math.ulp(abs(v) + within + 1)  # wider than any rounding of |x| - v
        k = min(max(places, 0), self.FINEST)
        while k > 0 and 2 * margin * 10.0**k > 4:
            k -= 1  # buckets at least as wide as the window
        lo, hi = (v - margin) * 10.0**k, (v + margin) * 10.0**k
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo > 64:
            return self.magnitudes  # a window no grid narrows (an astronomically large decimal): look at each
        grid = self.grids.get(k)
        if grid is None:
            grid = self.grids[k] = {}
            for a in self.magnitudes:
                grid.setdefault(math.floor(a * 10.0**k), []).append(a)
        return [a for key in range(math.floor(lo), math.floor(hi) + 1) for a in grid.get(key, ())]


@dataclass
class Judgement:
    claims: list[Claim] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    # every binding made, with its section, for the recomputation stage
    bindings: list[tuple[int, str, Binding]] = field(default_factory=list)
    keep: bool = True  # False: no definitions or bindings are listed (a streamed report shows neither)


@dataclass
class _Side:
    text: str
    node: Node | None = None
    error: Exception | None = None
    value: Any = None
    evaluated: bool = False

    symbolic: bool = False
    free: set | frozenset = frozenset()  # names with no value the side uses (they are symbols in its value)
    _names: frozenset | None = None
    _literals: list | None = None

    @property
    def names(self) -> frozenset:
        """The names the side uses (computed once: a side is looked at for every claim next to it)."""
        if self._names is None:
            self._names = frozenset(refs(self.node)) if self.node is not None else frozenset()
        return self._names

    @property
    def literals(self) -> list:
        """The numbers written in the side, with their text (see :func:`_literals`), computed once."""
        if self._literals is None:
            self._literals = _literals(self.node) if self.node is not None else []
        return self._literals

    def get(self, env: dict[str, Binding]) -> Any:
        if not self.evaluated:
            self.evaluated = True
            if self.error is None:
                try:
                    try:
                        self.value = evaluate(self.node, env)
                        self.symbolic = _has_symbols(self.value)
                    except Unbound as unbound:
                        try:
                            self.value = evaluate(self.node, env, free=True)
                            self.free = set(unbound.names)
                            self.symbolic = True
                        except (NotCheckable, Unparsable):
                            raise unbound from None
                except (NotCheckable, Unparsable) as err:
                    self.error = err
                except Exception as err:  # untrusted input: a verdict of "unchecked", never a traceback
                    self.error = NotCheckable(f"the checker could not evaluate this notation ({type(err).__name__})")
        if self.error is not None:
            raise self.error
        return self.value

    def ok(self, env: dict[str, Binding]) -> bool:
        try:
            self.get(env)
            return True
        except (NotCheckable, Unparsable):
            return False


BATCH = 256  # chains handed to the budget's worker at once, at most
QUICK_BATCH = 0.05  # seconds: batches that take longer are halved, so that a streamed report comes steadily


def judge(chains: Iterable[Chain], runner: Any = None, clock: Any = None) -> Judgement:
    """Verdicts on every claim of ``chains`` (in document order).

    ``runner`` (a :class:`.budget.ChainRunner`) judges each chain within its time budget;
    ``clock`` (a :class:`.budget.DocumentClock`) stops judging when the document's time is spent.
    """
    judging = Judging()
    for _ in judging.batches(chains, runner, clock):
        pass
    return judging.out


class Judging:
    """Judging one document, a batch of chains at a time: what the judge remembers from chain to chain."""

    def __init__(self, keep: bool = True) -> None:
        self.out = Judgement(keep=keep)
        self.env: dict[str, Binding] = _Env()
        self.doc = _Document()
        self.section: int | None = None
        self.keep = keep  # False: each batch's claims are handed out and forgotten (a streamed report)
        self._mark = 0

    def batches(self, chains: Iterable[Chain], runner: Any = None, clock: Any = None) -> Iterator[list[Claim]]:
        """The claims of each batch of chains, once the batch is judged."""
        it = iter(chains)
        deadline = clock.deadline if clock is not None else None
        size = 16  # the first verdicts come quickly; batches grow while they stay quick
        while True:
            batch = list(islice(it, size))
            if not batch:
                return
            started = time.monotonic()
            if runner is not None:
                results = runner.map(self.one, batch, deadline, late=self._late)
            else:
                results = [_run_here(partial(self.one, chain)) for chain in batch]
            quick = time.monotonic() - started < QUICK_BATCH
            size = min(BATCH, size * 2) if quick else max(1, size // 2)
            yield self._handed_out()
            if len(results) < len(batch):  # the document's time is spent: the rest is not judged
                clock.stopped_at = min(clock.stopped_at or batch[len(results)].line, batch[len(results)].line)
                return

    def one(self, chain: Chain) -> None:
        """Judge one chain (in the budget's worker); whatever fails, the claims of the chain are unchecked."""
        if chain.section != self.section:
            self.env, self.section = _Env(), chain.section
            self.doc.seen = set()
        before = len(self.out.claims)
        try:
            _ChainJudge(chain, self.env, self.out, self.doc).run()
        except Exception as error:  # untrusted input: one chain's claims unchecked, never the whole report
            del self.out.claims[before:]
            self.out.claims.extend(_unchecked_chain(chain, error))

    def _late(self, chain: Chain) -> None:
        """The chain's time ran out: what it did not judge is unchecked, and the name it defines unknown."""
        over_budget(chain, self.out, self.env)

    def _handed_out(self) -> list[Claim]:
        """The claims judged since the last call; forgotten here unless ``keep``."""
        if not self.keep:
            claims, self.out.claims = self.out.claims, []
            self.out.definitions.clear()
            self.out.bindings.clear()
            return claims
        claims = self.out.claims[self._mark :]
        self._mark = len(self.out.claims)
        return claims


class _Env(dict):
    """The names bound so far, keeping the set of function names up to date as they change.

    Reading each side needs the function names (``f(z) = …``); recomputing them from the whole
    environment for every chain made a document of many definitions quadratic.
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: set[str] = set()  # keys bound to functions
        self._heads: frozenset[str] | None = frozenset()

    def __setitem__(self, key: str, value: Binding) -> None:
        super().__setitem__(key, value)
        if value.params:
            self._keys.add(key)
            self._heads = None
        elif key in self._keys:
            self._keys.discard(key)
            self._heads = None

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._forget(key)

    def pop(self, key: str, *default: Any) -> Any:
        value = super().pop(key, *default)
        self._forget(key)
        return value

    def _forget(self, key: str) -> None:
        if key in self._keys:
            self._keys.discard(key)
            self._heads = None

    def functions(self) -> frozenset[str]:
        if self._heads is None:
            self._heads = frozenset(k.split("(", 1)[0] for k in self._keys)
        return self._heads


def _functions(env: dict[str, Binding]) -> frozenset[str]:
    """The names of the functions bound in ``env`` (``f`` for ``f(z) = …``)."""
    if isinstance(env, _Env):
        return env.functions()
    return frozenset(k.split("(", 1)[0] for k, b in env.items() if b.params)


def _run_here(task: Any) -> tuple[bool, Any]:
    """Run ``task`` in this thread, as a :class:`.budget.ChainRunner` would in its worker (no time limit)."""
    try:
        task()
    except Exception as err:
        return False, err
    return True, None


def _unchecked_chain(chain: Chain, err: Exception) -> list[Claim]:
    found = []
    for i, rel in enumerate(chain.relations):
        if rel not in CLAIMS or not chain.sides[i] or not chain.sides[i + 1]:
            continue
        shown = r"\approx" if rel == "approx" else "="
        line = chain.side_lines[i] if len(chain.side_lines) > i else chain.line
        found.append(
            Claim(
                line=line,
                source=f"{chain.sides[i]} {shown} {chain.sides[i + 1]}",
                stated=chain.sides[i + 1],
                exact=None,
                status="unchecked",
                relation=rel,
                message=f"cannot be checked: the checker could not follow this notation ({_reason(err)})",
            )
        )
    return found


class _ChainJudge:
    def __init__(self, chain: Chain, env: dict[str, Binding], out: Judgement, doc: _Document | None = None):
        self.chain, self.env, self.out = chain, env, out
        self.doc = doc if doc is not None else _Document()
        functions = _functions(env)
        self.sides = [_parsed(s, functions) for s in chain.sides]
        self.taint: int | None = None
        self.carriers: dict[str, int] = {}  # tainted names used so far in the chain → their definition line
        self.numbers_used: dict[str, int] = {}  # tainted numbers used so far → the line of their error
        self.skip_taint: set[int] = set()  # sides whose names may mean their earlier values
        self.side_contrib: dict[int, tuple] = {}  # side → (first error line, names, numbers) it brought in
        self.claim_errors: list[int] = []  # lines of the wrong claims of the chain

    # -- which sides define names
    def _defined(self) -> dict[int, str]:
        c = self.chain
        defined = {}
        if c.defines is not None and not self._is_value(c.defines, c.relations[0]) and not c.listed:
            defined[0] = c.defines
        for i, side in enumerate(self.sides[1:], start=1):
            near_claim = c.relations[i - 1] in CLAIMS or (i < len(c.relations) and c.relations[i] in CLAIMS)
            if (
                isinstance(side.node, Ref)
                and side.node.name not in self.env
                and near_claim
                and not self._symbolic_neighbour(i)
                and derivative_of(side.node.name, self.env) is None
            ):
                defined[i] = side.node.name
        return defined

    def _symbolic_neighbour(self, i: int) -> bool:
        """A side next to side ``i`` is an expression in names with no value: side ``i`` is one of them."""
        for j in (i - 1, i + 1):
            node = self.sides[j].node if 0 <= j < len(self.sides) else None
            if isinstance(node, Ref) and derivative_of(node.name, self.env) is None:
                continue  # another name being defined
            if 0 <= j < len(self.sides) and self.chain.sides[j] and self.sides[j].ok(self.env):
                if self.sides[j].symbolic:
                    return True
        return False

    def _is_value(self, key: str, relation: str) -> bool:
        """A bare name on the left that stands for a value rather than defining one.

        ``a \\approx 1.75`` checks a bound ``a``; ``p(1 - p) = 0.21`` with ``p`` bound, and
        ``\\sigma(0) = 0.5``, are products and function values, not definitions of ``p`` or ``\\sigma``.
        """
        if relation == "approx" and key in self.env and len(self.chain.relations) == 1:
            return True
        b = self.env.get(key)
        if b is not None and b.params:
            return False  # K(x_i, x_j) = … again: a new definition of the function
        if b is not None and "(" not in key and not b.params and _has_symbols(b.exact):
            return True  # a name that stands for an expression: p = \sigma(z_1 - z_2) checks it
        if derivative_of(key, self.env) is not None:
            return True  # \frac{\partial L}{\partial w} = … is computed from L, not defined
        head = key.split("(", 1)[0]
        if head == key:
            return False
        if head.endswith("'") or head.endswith("^'"):
            return True  # f'(z), g'(2): the derivative of a function, a claim
        arguments = _arguments(key)
        names_only = all(re.fullmatch(r"[A-Za-z]\w*(?:_\{?\w+\}?)?", a) and a not in self.env for a in arguments)
        if not names_only and any(
            k.startswith(head + "(") and len(b.params) == len(arguments) for k, b in self.env.items() if b.params
        ):
            return True  # f(3) for a function f the document defined; K(x_i, x_j) = … again is a new definition
        return head in self.env or head in KNOWN_FUNCTIONS

    def _pattern(self, i: int) -> list[str] | None:
        """The names of a matrix of unknown names (``[w_0; w_1]``), if side ``i`` is one."""
        node = self.sides[i].node
        if not isinstance(node, Mat):
            return None
        names = [x.name if isinstance(x, Ref) else None for row in node.rows for x in row]
        if None in names or len(set(names)) != len(names) or any(n in self.env for n in names):
            return None
        return names

    def _side_taint(self, i: int) -> int | None:
        """The first error side ``i`` depends on: through a name, or through a number a wrong claim stated."""
        if i in self.skip_taint:
            return None
        node = self.sides[i].node
        lines, carriers, numbers = [], {}, {}
        for r in sorted(self.sides[i].names):
            b = self.env.get(r)
            if b is not None and b.taint is not None:
                lines.append(b.taint)
                carriers.setdefault(r, b.line)
        if node is not None:
            for value, text in self.sides[i].literals if self.doc.tainted else ():
                line = self.doc.tainted.get(value)
                if line is not None:
                    lines.append(line)
                    numbers.setdefault(text, line)
            side = self.sides[i]
            if self.doc.tainted_values and side.ok(self.env) and not isinstance(side.value, Array):
                for stated, line in self.doc.tainted_values.items():
                    try:
                        if not _has_symbols(side.value) and equal(side.value, stated):
                            lines.append(line)
                            numbers.setdefault(self.chain.sides[i], line)
                    except Exception:  # noqa: BLE001 - cannot be compared: no link
                        continue
        self.side_contrib[i] = (min(lines) if lines else None, carriers, numbers)
        for r, line in carriers.items():
            self.carriers.setdefault(r, line)
        for t, line in numbers.items():
            self.numbers_used.setdefault(t, line)
        return min(lines) if lines else None

    def _forget_taint_of(self, sides: set[int]) -> None:
        """Sides whose names may mean their earlier values carry no error: the chain's taint without them."""
        self.skip_taint |= sides
        self.taint, self.carriers, self.numbers_used = None, {}, {}
        for k, (line, carriers, numbers) in self.side_contrib.items():
            if k in self.skip_taint:
                continue
            self._add_taint(line)
            for r, n in carriers.items():
                self.carriers.setdefault(r, n)
            for t, n in numbers.items():
                self.numbers_used.setdefault(t, n)
        for line in self.claim_errors:
            self._add_taint(line)

    def _rounded(self, i: int, loose: Any = None) -> bool:
        """Whether side ``i`` holds a decimal the document rounded, or a name whose value came from one."""
        node = self.sides[i].node
        if node is None:
            return False
        loose = loose or self.doc.rounded
        names = self.sides[i].names
        return any(loose(r) for r in _decimals(node)) or any(self.env[r].rounded for r in names if r in self.env)

    def _add_taint(self, line: int | None) -> None:
        if line is not None:
            self.taint = line if self.taint is None else min(self.taint, line)

    # -- the chain
    def run(self) -> None:
        c = self.chain
        defined = self._defined()
        for i, rel in enumerate(c.relations):
            self._add_taint(self._side_taint(i))
            self._add_taint(self._side_taint(i + 1))
            if rel not in CLAIMS or i in defined or i + 1 in defined:
                continue
            if c.listed and i == len(c.relations) - 1:
                continue  # x = 1, 2, 3: x takes several values, none of them is claimed
            if not c.sides[i] or not c.sides[i + 1]:
                continue
            if self._bind_pattern(i, i + 1) or self._bind_pattern(i + 1, i):
                continue
            claim = self._claim(i, rel)
            self.out.claims.append(claim)
            if claim.message.startswith(_AMBIGUOUS):  # the names may mean their earlier values: no taint from them
                self._forget_taint_of({i, i + 1})
            if claim.status == "wrong":
                self.claim_errors.append(claim.line)
                self._add_taint(claim.line)
            if claim.status in ("wrong", "carried"):
                self._taint_stated(i + 1, claim.first_error or claim.line)
        self._bind(defined)
        self._remember()
        for side in self.sides:
            if side.node is not None:
                self.doc.seen.update(v for v, _ in side.literals)

    def _taint_stated(self, i: int, line: int) -> None:
        """The numbers a wrong or carried claim states, so that a later use of them is carried."""
        node = self.sides[i].node
        if node is None:
            return
        for value, _ in _literals(node):
            eligible = (abs(value) >= 10 or value < 0) if value.is_Integer else _significant(value) >= 2
            if eligible and value not in self.doc.seen and value not in self.doc.tainted:
                self.doc.tainted[value] = line
        side = self.sides[i]
        if (
            side.ok(self.env)
            and not isinstance(side.value, Array)
            and not _has_symbols(side.value)
            and not isinstance(side.value, sympy.Rational)
        ):
            self.doc.tainted_values.setdefault(side.value, line)

    def _remember(self) -> None:
        """Decimals after \\approx, and every value met, for judging later decimals."""
        c = self.chain
        after_approx = False
        for i, side in enumerate(self.sides):
            if i > 0 and c.relations[i - 1] == "approx":
                after_approx = True
            if side.node is not None and after_approx:
                self.doc.approx.update((r.value, r.places) for r in _decimals(side.node))
            if side.evaluated and side.error is None:
                self.doc.remember(side.value)

    def _bind_pattern(self, target: int, source: int) -> bool:
        names = self._pattern(target)
        if names is None or not self.sides[source].ok(self.env):
            return False
        value = self.sides[source].get(self.env)
        if not isinstance(value, Array) or value.shape != self.sides[target].node.shape:
            return False
        rounded = self._rounded(source, self._binding_loose(source))
        interval = self._interval_or_none(source) if rounded else None
        for k, (name, x) in enumerate(zip(names, value.entries())):
            iv = interval.entries()[k] if isinstance(interval, Array) else None
            self._set(name, Binding(x, rounded, iv, self.taint, self.chain.line, show(x)))
        return True

    def _bind(self, defined: dict[int, str]) -> None:
        if not defined:
            return
        candidates = [
            i
            for i in range(len(self.sides))
            if i not in defined and self.chain.sides[i] and self._pattern(i) is None and self.sides[i].ok(self.env)
        ]
        if not candidates:  # defined by something that cannot be evaluated: the name is unknown from here on
            for name in defined.values():
                self.env.pop(name, None)
            return
        k = candidates[-1]  # the value the author goes on with
        value = self.sides[k].get(self.env)
        loose = self._binding_loose(k)
        rounded = self._rounded(k, loose)
        interval = self._interval_or_none(k, loose) if rounded else None
        formula = self.sides[k].node
        if self.sides[k].symbolic:  # an expression: keep the first side that has one, the definition itself
            for j in candidates:
                if self.sides[j].symbolic:
                    formula, value = self.sides[j].node, self.sides[j].get(self.env)
                    break
        for name in defined.values():
            params = _arguments(name) if "(" in name else ()
            if params and (formula is None or not set(params) <= refs(formula)):
                params = ()  # d(q, A) = √…: a name with a label, not a function of q and A
            self._set(
                name,
                Binding(value, rounded, interval, self.taint, self.chain.line, self.chain.sides[k], formula, params),
            )

    def _binding_loose(self, k: int) -> Any:
        """Which decimals of side ``k`` are rounded: after ≈, or the lone stated number of a chain."""
        c = self.chain
        if k > 0 and "approx" in c.relations[:k]:
            return lambda r: True
        return self.doc.rounded

    def _interval_or_none(self, i: int, loose: Any = None) -> Any:
        try:
            return _interval(self.sides[i].node, self.env, loose or self.doc.rounded)
        except Exception:  # no bound on the rounding: comparisons with this value stay exact
            return None

    def _set(self, name: str, binding: Binding) -> None:
        if name in self.env:
            binding = replace(binding, previous=self.env[name])
        self.env[name] = binding
        if self.out.keep:
            self.out.definitions.append(Definition(binding.line, name, show(binding.exact)))
            self.out.bindings.append((self.chain.section, name, binding))

    # -- one claim
    def _claim(self, i: int, rel: str) -> Claim:
        c = self.chain
        left, right = self.sides[i], self.sides[i + 1]
        shown_rel = r"\approx" if rel == "approx" else "="
        source = f"{c.sides[i]} {shown_rel} {c.sides[i + 1]}"
        line = c.side_lines[i] if len(c.side_lines) > i else c.line
        base = dict(line=line, source=source, stated=c.sides[i + 1], relation=rel)
        try:
            lv, rv = collapse(left.get(self.env)), collapse(right.get(self.env))
        except Unbound as err:
            names = ", ".join(sorted(err.names))
            return Claim(
                exact=None,
                status="unchecked",
                message=f"uses {names}, which has no value here (not defined earlier in this section)",
                **base,
            )
        except TooLarge as err:
            return Claim(exact=None, status="unchecked", message=f"too large to check exactly: {err}", **base)
        except (NotCheckable, Unparsable) as err:
            reason = _reason(err)
            if reason == _UNREAD:
                side = left if left.error is not None else right
                reason = f"the notation of “{_short(side.text)}” could not be read as arithmetic"
            return Claim(exact=None, status="unchecked", message=f"cannot be checked: {reason}", **base)
        digits = max(rounded_places(right.node), default=3)
        shape_l = lv.shape if isinstance(lv, Array) else None
        shape_r = rv.shape if isinstance(rv, Array) else None
        if shape_l != shape_r:
            if shape_l and shape_r and 1 in shape_l and sorted(shape_l) == sorted(shape_r):
                lv, rv = _column(lv), _column(rv)  # a tuple against a vector
            else:
                what = f"{_shape(shape_l)} against {_shape(shape_r)}"
                message = f"the sides have different shapes ({what})"
                return Claim(exact=_show(lv, digits), status="unchecked", message=message, **base)
        if _has_symbols(lv) or _has_symbols(rv) or left.free or right.free:
            derivative = _calculus(left.node, self.env) or _calculus(right.node, self.env)
            return self._identity(base, lv, rv, line, derivative, left.free, right.free)
        exact = show(lv, digits)
        try:
            same = all(equal(p, q) for p, q in zip(_entries(lv), _entries(rv)))
        except Exception as err:
            return Claim(exact=exact, status="unchecked", message=f"cannot be checked: {_reason(err)}", **base)
        if same:
            return self._holds(base, exact, "exactly equal")
        right_node = right.node
        left_loose = self._rounded(i)
        lone = _lone_number(right_node)
        if rel == "approx" or left_loose:
            right_loose: Any = _always
        elif lone:
            right_loose = _always  # the stated value, rounded to its digits: 1/3 = 0.333
        else:
            right_loose = self.doc.rounded
        rounded = left_loose or (self._rounded(i + 1, right_loose))
        if rel == "approx" and _whole_number(right_node) is not None:
            right_node, rounded = Rounded(_whole_number(right_node), 0, c.sides[i + 1]), True
        if not rounded:
            if rel == "approx":
                return Claim(
                    exact=exact,
                    status="unchecked",
                    message="\\approx with no decimals written: how close is not said",
                    **base,
                )
            if self._earlier_values_hold(i, rel):
                return self._ambiguous(base, exact, i)
            return Claim(
                exact=exact,
                status="wrong",
                message=f"not equal: the left side is exactly {exact}",
                first_error=self.taint or line,
                **base,
            )
        if _rational_within(lv, rv, left.node, right_node, right_loose):
            return self._holds(base, exact, _ROUNDS if rel == "approx" else _WITHIN)
        try:
            li = _interval(left.node, self.env, self.doc.rounded)
            ri = _interval(right_node, self.env, right_loose)
            meet = all(
                _meet(p, q)
                for p, q in zip(
                    _entries(_column(li) if shape_l != shape_r else li),
                    _entries(_column(ri) if shape_l != shape_r else ri),
                )
            )
        except Exception as err:
            return Claim(exact=exact, status="unchecked", message=f"cannot bound the rounding: {_reason(err)}", **base)
        if meet:
            return self._holds(base, exact, _ROUNDS if rel == "approx" else _WITHIN)
        if self._earlier_values_hold(i, rel):
            return self._ambiguous(base, exact, i)
        message = f"the left side is {exact}, which the digits written do not allow"
        if not left_loose and rel != "approx" and not lone:
            message = f"not equal: the left side is exactly {exact}"
        if self.taint is not None:
            message += f" (it also uses values from the error on line {self.taint})"
        return Claim(exact=exact, status="wrong", message=message, first_error=self.taint or line, **base)

    def _renamed(self, i: int) -> set[str]:
        """Names the two sides of claim ``i`` use that were given a new value in this section."""
        used = set()
        for k in (i, i + 1):
            node = self.sides[k].node
            if node is not None:
                used |= {r for r in refs(node) if r in self.env and self.env[r].previous is not None}
        return used

    def _earlier_values_hold(self, i: int, rel: str) -> bool:
        """The claim holds when its names keep the value they had before their last update."""
        names = self._renamed(i)
        if not names or getattr(self, "_retrying", False):
            return False
        saved = self.env, self.sides[i], self.sides[i + 1], self.taint
        env = dict(self.env)
        for n in names:
            env[n] = self.env[n].previous
        functions = _functions(env)
        self.env, self._retrying = env, True
        self.sides[i], self.sides[i + 1] = (
            _parsed(self.chain.sides[i], functions),
            _parsed(self.chain.sides[i + 1], functions),
        )
        try:
            return self._claim(i, rel).status in ("ok", "carried")
        finally:
            self.env, self.sides[i], self.sides[i + 1], self.taint = saved
            self._retrying = False

    def _ambiguous(self, base: dict, exact: str, i: int) -> Claim:
        names = ", ".join(f"{n} (line {self.env[n].previous.line})" for n in sorted(self._renamed(i)))
        message = f"{_AMBIGUOUS} {names}, not with the value given later; which one is meant is not clear"
        return Claim(exact=exact, status="unchecked", message=message, **base)

    def _identity(
        self,
        base: dict,
        lv: Any,
        rv: Any,
        line: int,
        derivative: bool = False,
        left_names: set = frozenset(),
        right_names: set = frozenset(),
    ) -> Claim:
        """A claim with names that have no value: an identity, true for every value of them.

        Two sides in different names (``w x + b = y``, ``\\mathrm{dW}/d\\alpha = 2 - 8\\alpha``) make an
        equation, or hold notation that was not understood, and are not judged — unless one side is a
        derivative, which is a function of every name of its definition.
        """
        left_free = {s.name for s in _symbols(lv)}
        right_free = {s.name for s in _symbols(rv)}
        names = ", ".join(sorted(left_free | right_free | set(left_names) | set(right_names)))
        if not left_free or not right_free or (left_free != right_free and not derivative):
            message = (
                f"depends on {names}, which has no value here: an equation in {names}, "
                "not an identity the checker can test"
            )
            return Claim(exact=None, status="unchecked", message=message, **base)
        verdict = identity(lv, rv)
        exact = _show(lv, 3)
        if verdict is True:
            return self._holds(base, exact, f"holds for every value of {names}")
        if verdict is None:
            return Claim(
                exact=exact,
                status="unchecked",
                message=f"cannot decide whether this holds for every value of {names}",
                **base,
            )
        return Claim(
            exact=exact, status="wrong", message=f"not an identity: {verdict}", first_error=self.taint or line, **base
        )

    def _holds(self, base: dict, exact: str, why: str) -> Claim:
        if self.taint is None:
            return Claim(exact=exact, status="ok", message=why, **base)
        if self.carriers:
            used = ", ".join(f"{name} (line {line})" for name, line in self.carriers.items())
            message = f"right given the value stated for {used}, but that value carries the error on line {self.taint}"
        elif self.numbers_used:
            used = ", ".join(self.numbers_used)
            message = f"right given {used}, but that number comes from the error on line {self.taint}"
        else:
            message = f"right given the value before it, but that value is the error on line {self.taint}"
        return Claim(exact=exact, status="carried", message=message, first_error=self.taint, **base)


# ------------------------------------------------------------------ identities
_POINTS = [
    sympy.Integer(1),
    sympy.Integer(2),
    sympy.Rational(1, 2),
    sympy.Integer(-1),
    sympy.Integer(3),
    sympy.Rational(-2, 3),
    sympy.Rational(5, 4),
    sympy.Rational(1, 3),
    sympy.Integer(-3),
    sympy.Rational(7, 5),
]
AGREEING_POINTS = 6  # random rational points that must agree when sympy cannot simplify the difference


def identity(left: Any, right: Any) -> bool | str | None:
    """True when ``left = right`` for every value of their symbols; a counterexample (text) when not; None if unknown.

    Evaluation at rational points comes first: it is fast and gives the counterexample.  Agreement to
    30 digits at six or more points is the verdict for an identity (two different analytic expressions
    agree at chosen rational points only by coincidence); where fewer points are in the domain,
    sympy's simplification decides.
    """
    pairs = list(zip(_entries(left), _entries(right)))
    symbols = sorted(set().union(*(_symbols(p) | _symbols(q) for p, q in pairs)), key=lambda s: s.name)
    agreed = 0
    for t in range(len(_POINTS)):
        point = {s: _POINTS[(t + 3 * k) % len(_POINTS)] for k, s in enumerate(symbols)}
        try:
            values = [(sympy.N(p.subs(point), 30), sympy.N(q.subs(point), 30)) for p, q in pairs]
        except Exception:
            continue
        if not all(a.is_real and b.is_real and a.is_finite and b.is_finite for a, b in values):
            continue
        for a, b in values:
            if abs(a - b) > sympy.Float("1e-20") * max(1, abs(a), abs(b)):
                where = ", ".join(f"{s.name} = {v}" for s, v in point.items())
                return f"at {where}: left {_num(a)}, right {_num(b)}"
        agreed += 1
    if agreed >= AGREEING_POINTS:
        return True  # a non-identity agrees with it at six rational points only by a coincidence of measure zero
    try:
        if all(sympy.count_ops(p - q) < 400 and sympy.simplify(sympy.expand(p - q)) == 0 for p, q in pairs):
            return True
    except Exception:  # noqa: BLE001 - sympy may fail on anything; then the claim stays undecided
        pass
    return None


def _num(x: Any) -> str:
    v = float(x)
    if v == int(v) and abs(v) < 1e12:
        return str(int(v))
    return f"{v:.3g}" if abs(v) < 1e-3 or abs(v) >= 1e6 else f"{v:.3f}".rstrip("0").rstrip(".")


def _symbols(x: Any) -> set:
    found: set = set()
    for e in _entries(x):
        if isinstance(e, sympy.Basic):
            found |= {s for s in e.free_symbols if isinstance(s, sympy.Symbol) and not isinstance(s, sympy.Dummy)}
    return found


def _has_symbols(x: Any) -> bool:
    if isinstance(x, sympy.Rational):  # the common case, without sympy's free_symbols
        return False
    return any(isinstance(e, sympy.Basic) and e.free_symbols for e in _entries(x))


def _show(x: Any, digits: int) -> str:
    try:
        return (
            show(x, digits)
            if not _has_symbols(x)
            else _short(sympy.sstr(x) if not isinstance(x, Array) else str(x.rows))
        )
    except Exception:
        return "?"


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "…"


def _always(r: Rounded) -> bool:
    return True


# ------------------------------------------------------------------ helpers
def _parsed(text: str, functions: frozenset = frozenset()) -> _Side:
    side = _Side(text)
    if not text:
        side.error = Unparsable("an empty side")
        return side
    try:
        side.node = read(text, functions)
    except Unparsable as err:
        side.error = err
    except Exception as err:  # untrusted input: a parser failure of last resort
        side.error = Unparsable(f"the notation could not be read ({type(err).__name__})")
    return side


def _interval(node: Node, env: dict[str, Binding], loose: Any = _always) -> Any:
    return collapse(evaluate(node, env, Interval(loose)))


def _rational_within(lv: Any, rv: Any, left: Node | None, right: Node | None, loose: Any) -> bool:
    """The interval test of a rational left side against one stated decimal, in integers (a hot path).

    True only where :func:`_interval` surely finds the two sides meet: the left side is arithmetic on
    whole numbers written out (:func:`_plain`: its interval holds ``lv`` and its walk cannot fail), the
    right is one decimal (maybe negated) that ``loose`` lets stand for ``value ± half``, and ``lv`` lies
    in that range exactly.  Interval ends are rounded outwards, so they then meet too.  False means
    "not decided here": the caller takes the interval path.
    """
    if not isinstance(rv, sympy.Rational):
        return False
    root = None if isinstance(lv, sympy.Rational) else surd(lv)
    if root is None and not isinstance(lv, sympy.Rational):
        return False
    sign = 1
    if type(right) is Op and right.op == "mul" and len(right.args) == 2 and right.args[0] == _NEGATIVE_ONE:
        sign, right = -1, right.args[1]
    if type(right) is not Rounded or not loose(right) or not _plain(left):
        return False
    p, q, scale = sign * int(right.value.p), int(right.value.q), 2 * 10**right.places
    if root is None:  # |lv - p/q| <= 1/scale, over the common denominator
        lp, lq = int(lv.p), int(lv.q)
        return scale * abs(lp * q - p * lq) <= lq * q
    value, half = Fraction(p, q), Fraction(1, scale)
    c, k = root  # c·√k against [value - half, value + half], by squares
    return _root_at_least(c, k, value - half) and _root_at_most(c, k, value + half)


def _root_at_least(c: Fraction, k: int, bound: Fraction) -> bool:
    """c·√k ≥ bound (c ≠ 0), exactly."""
    if c > 0:
        return bound <= 0 or bound * bound <= c * c * k
    return bound < 0 and bound * bound >= c * c * k


def _root_at_most(c: Fraction, k: int, bound: Fraction) -> bool:
    """c·√k ≤ bound (c ≠ 0, k not a square: c·√k is irrational, never equal to the bound), exactly."""
    return not _root_at_least(c, k, bound)


_NEGATIVE_ONE = Num(sympy.Integer(-1))


def _plain(node: Node | None) -> bool:
    """Sums and products of whole numbers written out, and whole powers of nonzero ones (``\\frac{638}{262}``)."""
    kind = type(node)
    if kind is Num:
        return True
    if kind is not Op:
        return False
    if node.op == "add" or node.op == "mul":
        return all(_plain(x) for x in node.args)
    if node.op == "pow":
        base, power = node.args
        if type(base) is not Num or type(power) is not Num:
            return False
        if power.value.is_Integer:
            return base.value != 0 and abs(int(power.value)) <= 64
        return base.value > 0  # a root of a positive number (√945): its interval is exp(b·log a)
    return False


def _decimals(node: Node) -> list[Rounded]:
    if isinstance(node, Rounded):
        return [node]
    return [r for x in children(node) for r in _decimals(x)]


def _number_text(value: Any) -> str:
    """``str(value)`` for a sympy number, without sympy's printer for the common rationals (a hot path)."""
    if isinstance(value, sympy.Rational) and value.p.bit_length() < 4_000 and value.q.bit_length() < 4_000:
        return str(value.p) if value.q == 1 else f"{value.p}/{value.q}"
    return str(value)


def _minus_one(value: Any) -> bool:
    if isinstance(value, sympy.Rational):
        return value.p == -1 and value.q == 1
    return value == -1


def _literals(node: Node) -> list[tuple[sympy.Rational, str]]:
    """The numbers written in a side, signed when written with a minus (``-0.854``), with their text."""
    kind = type(node)  # exact types, as the dataclasses compare (a hot path: every side, once)
    if kind is Rounded:
        return [(node.value, node.text)]
    if kind is Num:
        return [] if _minus_one(node.value) else [(node.value, _number_text(node.value))]
    found: list[tuple[sympy.Rational, str]] = []
    args = children(node)
    product = kind is Op and node.op == "mul"
    for k, x in enumerate(args):
        if (
            product
            and type(x) is Num
            and _minus_one(x.value)
            and k + 1 < len(args)
            and isinstance(args[k + 1], (Num, Rounded))
        ):
            ((value, text),) = _literals(args[k + 1]) or [(sympy.Integer(1), "1")]
            found.append((-value, "-" + text))
        found.extend(_literals(x))
    return found


def _calculus(node: Node | None, env: dict[str, Binding]) -> bool:
    """Whether a side holds a derivative that was computed
    (``d…/d…``, ``\\frac{d}{dz}``, ``f'``, ``\\sigma'``, ``\\nabla``)."""
    if node is None:
        return False
    if isinstance(node, Ref):
        return derivative_of(node.name, env) is not None
    if isinstance(node, Op) and node.op in ("diff", "grad", "apply_prime"):
        return True
    if isinstance(node, Func) and node.name == "sigmoid_prime":
        return True
    return any(_calculus(x, env) for x in children(node))


def _significant(value: sympy.Rational) -> int:
    """Significant digits of a terminating decimal (0.5 → 1, 0.711 → 3, 17.67 → 4)."""
    digits = str(abs(value.p) * (10**30 // value.q)).rstrip("0").lstrip("0")
    return len(digits)


def _lone_number(node: Node | None) -> bool:
    """A side that is one number as written: ``0.333``, ``-0.614`` (or a vector of them: ``(3, 6.33)``)."""
    if isinstance(node, (Rounded, Num)):
        return True
    if isinstance(node, Mat):
        return all(_lone_number(x) for row in node.rows for x in row)
    if isinstance(node, Op) and node.op == "transpose":
        return _lone_number(node.args[0])
    return (
        isinstance(node, Op)
        and node.op == "mul"
        and len(node.args) == 2
        and node.args[0] == Num(sympy.Integer(-1))
        and isinstance(node.args[1], (Rounded, Num))
    )


def _arguments(key: str) -> tuple[str, ...]:
    """The argument names of a function key ``f(z)`` or ``K(x_i,x_j)``."""
    inner = key[key.index("(") + 1 : -1] if "(" in key and key.endswith(")") else ""
    return tuple(p for p in inner.split(",") if p) if inner else ()


def _entries(x: Any) -> list:
    return x.entries() if isinstance(x, Array) else [x]


def _column(x: Any) -> Any:
    return Array(tuple((e,) for e in x.entries())) if isinstance(x, Array) else x


def _shape(shape: tuple[int, int] | None) -> str:
    return "a number" if shape is None else f"{shape[0]}×{shape[1]}"


def _meet(p: Any, q: Any) -> bool:
    return bool(p.a <= q.b and q.a <= p.b)


def _whole_number(node: Node | None) -> sympy.Integer | None:
    if isinstance(node, Num) and node.value.is_Integer:
        return node.value
    return None


def _reason(err: Exception) -> str:
    if isinstance(err, (NotCheckable, Unparsable)):
        text = str(err)
        if "latex2sympy2 cannot read it" in text or "more than one expression" in text:
            return _UNREAD
        return text
    return f"an internal {type(err).__name__}"
