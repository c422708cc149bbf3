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

from .claims import chains as _chains
from .extract import extract as _extract
from .judge import judge as _judge
from .report import Claim, Definition, Report

__all__ = ["check", "Report", "Claim", "Definition"]


def check(text: str, recompute: bool = False) -> Report:
    """Check every ``=`` and ``\\approx`` claim in the math of ``text``.

    With ``recompute=True`` the engine is also run on the data the document
    states (a design matrix and targets, a data table, centres, weights),
    and stated numbers that contradict its quantities are reported too —
    in tables and prose, where local arithmetic cannot see them.
    """
    maths = _extract(text)
    judgement = _judge(_chains(maths))
    report = Report(judgement.claims, judgement.definitions, len(maths))
    if recompute:
        from .recompute import recompute as run

        report.claims.extend(run(text, maths, judgement))
        report.claims.sort(key=lambda c: (c.line, c.recomputed))
    return report
