"""Checking hand-written derivations, claim by claim.

The checker is a pipeline, one module per stage:

``extract``    math from a .tex, Markdown or plain-text document, with line numbers
               (unicode and plain-text notation rewritten by ``normalise``)
``claims``     chains ``a = b \\approx c`` cut into neighbour claims; definitions
``read``       one side from LaTeX to an expression tree: functions, norms, sums and derivatives
               taken out, the rest parsed by ``parse`` (the LaTeX parser, behind that one module)
``evaluate``   exact and interval arithmetic on those trees, with a size guard
``judge``      a verdict per claim: ok, wrong, carried or unchecked
``recompute``  (optional) the engine rerun on the data the document states
``report``     the verdicts as text or JSON
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
from .judge import judge as _judge
from .report import Claim, Definition, Report

__all__ = ["check", "Report", "Claim", "Definition", "Budget"]

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
    clock = DocumentClock(budget.document_seconds)
    maths = _extract(text)
    unreadable, readable = [], []

    def chains() -> Iterator[Chain]:  # cut lazily, so that each piece of math is judged before the next is cut
        for math in clock.until_spent(maths):
            done, found = _cut(math, runner)
            if done:
                readable.append(math)
                yield from found
            else:  # untrusted text (nesting 1,000 deep): one line unchecked, never a traceback
                unreadable.append(unreadable_math(math, found))

    with ChainRunner(budget.claim_seconds) as runner:
        judgement = _judge(chains(), runner)
        report = Report(judgement.claims, judgement.definitions, len(maths))
        notes = unreadable + ([clock.note()] if clock.note() is not None else [])
        if notes:
            report.claims = sorted(report.claims + notes, key=lambda c: c.line)
        if recompute:
            from .recompute import recompute as run

            runner.seconds = budget.recompute_seconds
            done, found = runner(lambda: run(text, readable, judgement))
            report.claims.extend(found if done else [recompute_over_budget(budget.recompute_seconds, found)])
            report.claims.sort(key=lambda c: (c.line, c.recomputed))
    return report


def _cut(math: Math, runner: ChainRunner) -> tuple[bool, Any]:
    """The chains of one piece of math: at once if it is short, in the worker within the claim budget if long."""
    if len(math.latex) >= LONG_MATH:
        return runner(lambda: _chains([math]))
    try:
        return True, _chains([math])
    except Exception as err:
        return False, err
