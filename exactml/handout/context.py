"""What every chapter of the handout is given: a renderer, settings, and the errata list.

A chapter module (``exactml/handout/<name>.py``) defines ``TITLE`` and
``chapter(ctx) -> str`` returning the LaTeX of its ``\\section``.  It runs the
engine on the source document's data, renders the derivation steps, and
reports every place where the source prints a value the engine contradicts
with :meth:`Context.compare` — the errata appendix is built from those
reports, so no discrepancy is typed in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..decimals import decimal_string
from ..derivation import Step
from ..exact import exact
from ..latex.render import LatexRenderer


@dataclass(frozen=True)
class Erratum:
    """One value printed by the source document that the engine contradicts."""

    section: str  # the source's section number, e.g. "2.2.3"
    quantity: str  # exactml's LaTeX naming the quantity, e.g. "(X^T y)_2"
    stated: str  # the source's value as it prints it, e.g. "2,430,000"
    exact: Any  # the engine's exact value
    cause: str  # exactml's words: a slip, or carried from an earlier wrong value
    kind: str = "arithmetic slip"  # one of KINDS


# What went wrong, in the errata's kind column: a miscalculation at that point; a correct calculation
# from an earlier wrong value; a value computed from numbers already rounded; a wrong statement, not a number.
KINDS = ("arithmetic slip", "carried", "rounding", "conceptual")


@dataclass
class Context:
    digits: int = 3
    errata: list[Erratum] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.renderer = LatexRenderer(digits=self.digits)

    def math(self, obj: Any) -> str:
        return self.renderer.math(obj)

    def block(self, obj: Any) -> str:
        return self.renderer.block(obj)

    def step(self, step: Step) -> str:
        """A step's why, how and result, under the chapter's own heading."""
        return self.renderer.step_body(step)

    def decimal(self, value: Any, digits: int | None = None) -> str:
        return decimal_string(value, self.digits if digits is None else digits)

    def add_erratum(self, erratum: Erratum) -> None:
        """List ``erratum``, or add its section to the row that already lists the same number."""
        if erratum.kind not in KINDS:
            raise ValueError(f"erratum kind {erratum.kind!r} is not one of {', '.join(KINDS)}")
        for k, e in enumerate(self.errata):
            if (e.quantity, e.stated) == (erratum.quantity, erratum.stated) and e.exact == erratum.exact:
                self.errata[k] = Erratum(
                    f"{e.section}, {erratum.section}", e.quantity, e.stated, e.exact, e.cause, e.kind
                )
                return
        self.errata.append(erratum)

    def compare(
        self,
        section: str,
        quantity: str,
        stated: str,
        value: Any,
        cause: str = "an arithmetic slip",
        kind: str | None = None,
    ) -> bool:
        """Record an erratum when the source's ``stated`` value disagrees with ``value``.

        ``stated`` is the number as the source prints it ("2,430,000", "65.19",
        "-0.854"): it agrees when ``value`` rounded to as many decimals as the
        source wrote equals it (so honest rounding is never reported).
        A fraction ("4/9") must equal ``value`` exactly.  Returns True when the source is right.
        ``kind`` (one of :data:`KINDS`) defaults to "carried" for a cause that says so, else a slip.
        """
        text = stated.replace(",", "")
        if "/" in text:
            right = exact(text) == value
        else:
            written = Decimal(text)
            places = max(0, -written.as_tuple().exponent)
            right = Decimal(decimal_string(value, places)) == written
        if right:
            return True
        if kind is None:
            kind = "carried" if cause.startswith("carried") else "arithmetic slip"
        self.add_erratum(Erratum(section, quantity, stated, value, cause, kind))
        return False
