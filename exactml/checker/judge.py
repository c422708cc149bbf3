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

A definition (``name = …``) binds the name to the value of the last side of
its chain that evaluates — the value the author goes on with.  A matrix of
unknown names next to a known matrix (``(X^T X)^{-1} = [a_{11} \\dots]``)
binds each name to its entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import sympy

from .arith import equal
from .budget import over_budget
from .claims import CLAIMS, Chain
from .evaluate import INTERVAL, Array, Binding, NotCheckable, Unbound, collapse, evaluate
from .expr import Mat, Node, Num, Ref, Rounded, TooLarge, Unparsable, has_rounded, refs, rounded_places
from .parse import parse
from .report import Claim, Definition, show


@dataclass
class Judgement:
    claims: list[Claim] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    # every binding made, with its section, for the recomputation stage
    bindings: list[tuple[int, str, Binding]] = field(default_factory=list)


@dataclass
class _Side:
    text: str
    node: Node | None = None
    error: Exception | None = None
    value: Any = None
    evaluated: bool = False

    def get(self, env: dict[str, Binding]) -> Any:
        if not self.evaluated:
            self.evaluated = True
            if self.error is None:
                try:
                    self.value = evaluate(self.node, env)
                except (NotCheckable, Unparsable) as err:
                    self.error = err
                except Exception as err:  # untrusted input: a verdict of "unchecked", never a traceback
                    self.error = NotCheckable(f"cannot evaluate it ({type(err).__name__})")
        if self.error is not None:
            raise self.error
        return self.value

    def ok(self, env: dict[str, Binding]) -> bool:
        try:
            self.get(env)
            return True
        except (NotCheckable, Unparsable):
            return False


def judge(chains: Iterable[Chain], runner: Any = None) -> Judgement:
    """Verdicts on every claim of ``chains`` (in document order).

    ``runner`` (a :class:`.budget.ChainRunner`) judges each chain within its time budget.
    """
    out = Judgement()
    env: dict[str, Binding] = {}
    section = None
    for chain in chains:
        if chain.section != section:
            env, section = {}, chain.section
        if runner is None:
            _ChainJudge(chain, env, out).run()
            continue
        done, error = runner(lambda: _ChainJudge(chain, env, out).run())  # noqa: B023 - called at once
        if not done:
            over_budget(chain, out, env, error)
    return out


class _ChainJudge:
    def __init__(self, chain: Chain, env: dict[str, Binding], out: Judgement):
        self.chain, self.env, self.out = chain, env, out
        self.sides = [_parsed(s) for s in chain.sides]
        self.taint: int | None = None
        self.carriers: dict[str, int] = {}  # tainted names used so far in the chain → their definition line

    # -- which sides define names
    def _defined(self) -> dict[int, str]:
        c = self.chain
        defined = {}
        if c.defines is not None and not self._is_value(c.defines, c.relations[0]):
            defined[0] = c.defines
        for i, side in enumerate(self.sides[1:], start=1):
            near_claim = c.relations[i - 1] in CLAIMS or (i < len(c.relations) and c.relations[i] in CLAIMS)
            if isinstance(side.node, Ref) and side.node.name not in self.env and near_claim:
                defined[i] = side.node.name
        return defined

    def _is_value(self, key: str, relation: str) -> bool:
        """A bare name on the left that stands for a value rather than defining one.

        ``a \\approx 1.75`` checks a bound ``a``; ``p(1 - p) = 0.21`` with ``p`` bound, and
        ``\\sigma(0) = 0.5``, are products and function values, not definitions of ``p`` or ``\\sigma``.
        """
        if relation == "approx" and key in self.env:
            return True
        head = key.split("(", 1)[0]
        return head != key and (head in self.env or head == "sigma")

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
        node = self.sides[i].node
        lines = []
        for r in sorted(refs(node)) if node is not None else ():
            b = self.env.get(r)
            if b is not None and b.taint is not None:
                lines.append(b.taint)
                self.carriers.setdefault(r, b.line)
        return min(lines) if lines else None

    def _rounded(self, i: int) -> bool:
        node = self.sides[i].node
        return has_rounded(node) or any(self.env[r].rounded for r in refs(node) if r in self.env)

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
            if not c.sides[i] or not c.sides[i + 1]:
                continue
            if self._bind_pattern(i, i + 1) or self._bind_pattern(i + 1, i):
                continue
            claim = self._claim(i, rel)
            self.out.claims.append(claim)
            if claim.status == "wrong":
                self._add_taint(claim.line)
        self._bind(defined)

    def _bind_pattern(self, target: int, source: int) -> bool:
        names = self._pattern(target)
        if names is None or not self.sides[source].ok(self.env):
            return False
        value = self.sides[source].get(self.env)
        if not isinstance(value, Array) or value.shape != self.sides[target].node.shape:
            return False
        rounded = self._rounded(source)
        interval = self._interval_or_none(source) if rounded else None
        for k, (name, x) in enumerate(zip(names, value.entries())):
            iv = interval.entries()[k] if isinstance(interval, Array) else None
            self._set(name, Binding(x, rounded, iv, self.taint, self.chain.line, show(x)))
        return True

    def _bind(self, defined: dict[int, str]) -> None:
        if not defined:
            return
        candidates = [i for i in range(len(self.sides)) if i not in defined and self.chain.sides[i]
                      and self._pattern(i) is None and self.sides[i].ok(self.env)]
        if not candidates:  # defined by something that cannot be evaluated: the name is unknown from here on
            for name in defined.values():
                self.env.pop(name, None)
            return
        k = candidates[-1]  # the value the author goes on with
        value = self.sides[k].get(self.env)
        rounded = self._rounded(k)
        interval = self._interval_or_none(k) if rounded else None
        for name in defined.values():
            self._set(name, Binding(value, rounded, interval, self.taint, self.chain.line, self.chain.sides[k]))

    def _interval_or_none(self, i: int) -> Any:
        try:
            return _interval(self.sides[i].node, self.env)
        except Exception:  # no bound on the rounding: comparisons with this value stay exact
            return None

    def _set(self, name: str, binding: Binding) -> None:
        self.env[name] = binding
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
            return Claim(exact=None, status="unchecked", message=f"{err} (not defined earlier in this section)", **base)
        except TooLarge as err:
            return Claim(exact=None, status="unchecked", message=f"too large to check exactly: {err}", **base)
        except (NotCheckable, Unparsable) as err:
            return Claim(exact=None, status="unchecked", message=f"cannot be checked: {err}", **base)
        digits = max(rounded_places(right.node), default=3)
        exact = show(lv, digits)
        shape_l = lv.shape if isinstance(lv, Array) else None
        shape_r = rv.shape if isinstance(rv, Array) else None
        if shape_l != shape_r:
            if shape_l and shape_r and 1 in shape_l and sorted(shape_l) == sorted(shape_r):
                lv, rv = _column(lv), _column(rv)  # a tuple against a vector
            else:
                what = f"{_shape(shape_l)} against {_shape(shape_r)}"
                message = f"the sides have different shapes ({what})"
                return Claim(exact=exact, status="unchecked", message=message, **base)
        try:
            same = all(equal(p, q) for p, q in zip(_entries(lv), _entries(rv)))
        except Exception as err:
            return Claim(exact=exact, status="unchecked", message=f"cannot be checked: {_reason(err)}", **base)
        if same:
            return self._holds(base, exact, "exactly equal")
        right_node = right.node
        rounded = self._rounded(i) or self._rounded(i + 1)
        if rel == "approx" and _whole_number(right_node) is not None:
            right_node, rounded = Rounded(_whole_number(right_node), 0, c.sides[i + 1]), True
        if not rounded:
            if rel == "approx":
                return Claim(exact=exact, status="unchecked",
                             message="\\approx with no decimals written: how close is not said", **base)
            return Claim(exact=exact, status="wrong", message=f"not equal: the left side is exactly {exact}",
                         first_error=self.taint or line, **base)
        try:
            li = _interval(left.node, self.env)
            ri = _interval(right_node, self.env)
            meet = all(_meet(p, q) for p, q in zip(_entries(_column(li) if shape_l != shape_r else li),
                                                   _entries(_column(ri) if shape_l != shape_r else ri)))
        except Exception as err:
            return Claim(exact=exact, status="unchecked", message=f"cannot bound the rounding: {_reason(err)}", **base)
        if meet:
            why = ("rounds to the digits written" if rel == "approx"
                   else "equal within the rounding of the decimals written")
            return self._holds(base, exact, why)
        message = f"the left side is {exact}, which the digits written do not allow"
        if self.taint is not None:
            message += f" (it also uses values from the error on line {self.taint})"
        return Claim(exact=exact, status="wrong", message=message, first_error=self.taint or line, **base)

    def _holds(self, base: dict, exact: str, why: str) -> Claim:
        if self.taint is None:
            return Claim(exact=exact, status="ok", message=why, **base)
        if self.carriers:
            used = ", ".join(f"{name} (line {line})" for name, line in self.carriers.items())
            message = f"right given the value stated for {used}, but that value carries the error on line {self.taint}"
        else:
            message = f"right given the value before it, but that value is the error on line {self.taint}"
        return Claim(exact=exact, status="carried", message=message, first_error=self.taint, **base)


# ------------------------------------------------------------------ helpers
def _parsed(text: str) -> _Side:
    side = _Side(text)
    if not text:
        side.error = Unparsable("an empty side")
        return side
    try:
        side.node = parse(text)
    except Unparsable as err:
        side.error = err
    except Exception as err:  # untrusted input: a parser failure of last resort
        side.error = Unparsable(f"cannot read it ({type(err).__name__})")
    return side


def _interval(node: Node, env: dict[str, Binding]) -> Any:
    return collapse(evaluate(node, env, INTERVAL))


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
    return str(err) if isinstance(err, (NotCheckable, Unparsable)) else f"cannot evaluate it ({type(err).__name__})"
