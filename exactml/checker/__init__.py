"""Checking hand-written derivations, claim by claim.

The checker is a pipeline, one module per stage:

``extract``    math from a .tex, Markdown or plain-text document, with line numbers
               (unicode and plain-text notation rewritten by ``normalise``)
``claims``     chains ``a = b \\approx c`` cut into neighbour claims; definitions
``read``       one side from LaTeX to an expression tree: functions, norms, sums and derivatives
               taken out, the rest parsed by ``parse`` (the LaTeX parser, behind that one module);
               sides of plain arithmetic take a short cut, ``plain``, to the same trees
``evaluate``   exact and interval arithmetic on those trees, with a size guard
``judge``      a verdict per claim: ok, wrong, carried or unchecked
``recompute``  (optional) the engine rerun on the data the document states
``report``     the verdicts as text or JSON; :func:`iter_check` hands them out as they are known
``batch``      many files over a process pool

>>> from exactml.checker import check
>>> report = check(r"Let $a = \\frac{7}{4}$. Then $4a - 3 = 4$ and $a \\approx 1.76$.")
>>> [(c.source, c.status) for c in report.claims]
[('4a - 3 = 4', 'ok'), ('a \\\\approx 1.76', 'wrong')]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .budget import Budget, ChainRunner, DocumentClock, recompute_over_budget, unreadable_math
from .claims import Chain
from .claims import chains as _chains
from .extract import Math
from .extract import extract as _extract
from .judge import Judging
from .report import STATUSES, Claim, Definition, Report

__all__ = ["check", "iter_check", "Checking", "Report", "Claim", "Definition", "Budget"]

LONG_MATH = 2_000  # characters; longer math is cut into claims in the worker, within the claim budget


def check(text: str, recompute: bool = False, budget: Budget | None = None) -> Report:
    """Check every ``=`` and ``\\approx`` claim in the math of ``text``.

    With ``recompute=True`` the engine is also run on the data the document
    states (a design matrix and targets, a data table, centres, weights),
    and stated numbers that contradict its quantities are reported too —
    in tables and prose, where local arithmetic cannot see them.

    ``budget`` bounds the time spent (see :class:`~.budget.Budget`): a claim
    that needs more than its share is ``unchecked``, "too large to check in
    the time allowed".  Safe to call from several threads at once.
    """
    budget = budget or Budget()
    run = _Run(text, budget)
    with ChainRunner(budget.claim_seconds) as runner:
        judging = Judging()
        for _ in judging.batches(run.chains(runner), runner, run.clock):
            pass
        judgement = judging.out
        report = Report(judgement.claims, judgement.definitions, len(run.maths))
        notes = run.notes()
        if notes:
            report.claims = sorted(report.claims + notes, key=lambda c: c.line)
        if recompute:
            from .recompute import recompute as recomputed

            runner.seconds = budget.recompute_seconds
            done, found = runner(lambda: recomputed(text, run.readable, judgement))
            report.claims.extend(found if done else [recompute_over_budget(budget.recompute_seconds, found)])
            report.claims.sort(key=lambda c: (c.line, c.recomputed))
    return report


class Checking:
    """The verdicts of :func:`iter_check`, claim by claim, as they become known (iterate over it once).

    ``math_found`` is known at once; ``counts`` and ``wrong_lines`` grow as the claims are handed out.
    """

    def __init__(self, text: str, budget: Budget | None = None) -> None:
        self._run = _Run(text, budget or Budget())
        self.math_found = len(self._run.maths)
        self.counts = dict.fromkeys(STATUSES, 0)
        self.first_wrong: int | None = None

    @property
    def no_math(self) -> bool:
        return self.math_found == 0

    def __iter__(self) -> Iterator[Claim]:
        for claims in self.batches():
            yield from claims

    def batches(self) -> Iterator[list[Claim]]:
        """The claims in groups, each as soon as it is known (a printer may flush after each)."""
        run = self._run
        held: list[tuple[Claim, bool]] = []  # (claim, is a note) not handed out yet: more may come for their line
        with ChainRunner(run.budget.claim_seconds) as runner:
            for claims in Judging(keep=False).batches(run.chains(runner), runner, run.clock):
                held += [(c, False) for c in claims] + [(c, True) for c in run.take_notes()]
                # What comes later starts at the math being cut or after it: what lies before is final.
                ready = [h for h in held if h[0].line < run.reading]
                held = [h for h in held if h[0].line >= run.reading]
                if ready:
                    yield self._out(ready)
        note = run.clock.note()
        held += [(c, True) for c in run.take_notes() + ([note] if note is not None else [])]
        if held:
            yield self._out(held)

    def _out(self, held: list[tuple[Claim, bool]]) -> list[Claim]:
        # check()'s order: by line, and on one line the judged claims before the notes, each in the order found
        claims = [c for c, _ in sorted(held, key=lambda h: (h[0].line, h[1]))]
        for c in claims:
            self.counts[c.status] += 1
            if c.status == "wrong" and self.first_wrong is None:
                self.first_wrong = c.line
        return claims


def iter_check(text: str, budget: Budget | None = None) -> Checking:
    """The claims of ``text`` with their verdicts, one at a time as each is known (no ``--recompute``).

    The same claims, in the same order, as ``check(text).claims`` sorted by line, but nothing waits for
    the whole document, and claims already handed out are not kept: memory does not grow with the report.

    >>> checking = iter_check("$1 + 1 = 2$ and $2 + 2 = 5$")
    >>> [c.status for c in checking], checking.counts["wrong"]
    (['ok', 'wrong'], 1)
    """
    return Checking(text, budget)


class _Run:
    """What one check reads: the math, the chains cut from it as they are needed, the notes on what was not read."""

    def __init__(self, text: str, budget: Budget) -> None:
        self.budget = budget
        self.clock = DocumentClock(budget.document_seconds)
        self.maths = _extract(text)
        self.readable: list[Math] = []
        self.unreadable: list[Claim] = []
        self.reading = 0  # the line of the math being cut
        self._taken = 0

    def chains(self, runner: ChainRunner) -> Iterator[Chain]:
        """Cut lazily, so that each piece of math is judged before the next is cut."""
        for math in self.clock.until_spent(self.maths):
            self.reading = math.line
            done, found = _cut(math, runner)
            if done:
                self.readable.append(math)
                yield from found
            else:  # untrusted text (nesting 1,000 deep): one line unchecked, never a traceback
                self.unreadable.append(unreadable_math(math, found))
        self.reading = float("inf")

    def notes(self) -> list[Claim]:
        """The lines on math that was not checked: unreadable pieces, and where the document's time ran out."""
        note = self.clock.note()
        return self.unreadable + ([note] if note is not None else [])

    def take_notes(self) -> list[Claim]:
        """The notes not handed out yet (the time note only once judging is over)."""
        found = self.unreadable[self._taken :]
        self._taken = len(self.unreadable)
        return found


def _cut(math: Math, runner: ChainRunner) -> tuple[bool, Any]:
    """The chains of one piece of math: at once if it is short, in the worker within the claim budget if long."""
    if len(math.latex) >= LONG_MATH:
        return runner(lambda: _chains([math]))
    try:
        return True, _chains([math])
    except Exception as err:
        return False, err
