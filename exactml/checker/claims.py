"""Stage 2 of the checker: cut math into chains of claims.

A chain is ``a = b = c \\approx d``: its sides and the relations between
neighbours.  Every ``=`` and ``\\approx`` link is one claim; other relations
(``\\leq``, ``<``, ``\\in`` …) separate sides but claim nothing that is
checked.  One piece of math may hold several chains: rows of an ``align``
(a row that starts with ``&=`` continues the row before), and equations
separated by ``\\quad``, a comma, ``\\Rightarrow`` or ``\\text{ and }``.

A chain whose first side is a bare name (``X``, ``a``, ``z^{[2]}``,
``I_{\\text{parent}}``) *defines* that name: ``X = \\begin{bmatrix}…``,
``a = \\frac{7}{4}``, ``Let $b = 12$``.  Its first link is a definition,
not a claim; the name stands for the chain's value in later math.

>>> [c.sides for c in chains_of(r"X = 1 + 1 = 2, \\quad y \\approx 0.33")]
[('X', '1 + 1', '2'), ('y', '0.33')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from . import tex
from .extract import Math
from .lift import name_key

# Relation tokens → the relation recorded.  "=" and "approx" are claims.
RELATIONS = {
    "=": "=",
    r"\approx": "approx",
    r"\simeq": "approx",
    r"\thickapprox": "approx",
    r"\coloneqq": "=",
    r"\eqqcolon": "=",
    r"\equiv": "=",
    r"\triangleq": "=",
    r"\doteq": "=",
    r"\neq": "neq",
    r"\ne": "neq",
    "<": "<",
    ">": ">",
    r"\lt": "<",
    r"\gt": ">",
    r"\leq": "leq",
    r"\le": "leq",
    r"\leqslant": "leq",
    r"\geq": "geq",
    r"\ge": "geq",
    r"\geqslant": "geq",
    r"\ll": "<",
    r"\gg": ">",
    r"\sim": "sim",
    r"\propto": "propto",
    r"\in": "in",
    r"\notin": "in",
    r"\subset": "in",
    r"\subseteq": "in",
    r"\to": "to",
    r"\rightarrow": "to",
    r"\mapsto": "to",
    r"\leftarrow": "=",
    r"\gets": "=",
    ":=": "=",
}
CLAIMS = ("=", "approx")
_MAY_RELATE = re.compile(r"[=<>\\]")
# Every separator of equations (see _equation_separator) contains one of these.
_MAY_SEPARATE = re.compile(
    r"[,;]|\\(?:quad|qquad|Rightarrow|implies|iff|Longrightarrow|Leftrightarrow|Longleftrightarrow|therefore"
    r"|because|forall)(?![A-Za-z])"
)
_SEPARATOR_COMMANDS = {
    r"\quad",
    r"\qquad",
    r"\Rightarrow",
    r"\implies",
    r"\iff",
    r"\Longrightarrow",
    r"\Leftrightarrow",
    r"\Longleftrightarrow",
    r"\therefore",
    r"\because",
    r"\forall",
}
_CONNECTIVES = {
    "and",
    "or",
    "for",
    "where",
    "if",
    "so",
    "then",
    "with",
    "since",
    "hence",
    "thus",
    "i.e.",
    "e.g.",
    "when",
    "because",
    "by",
    "gives",
    "yields",
    "s.t.",
    "subject to",
    "otherwise",
    "for all",
    "as",
    "from",
    "using",
    "while",
    "which",
    "that is",
    "so that",
    "therefore",
    "giving",
    "we get",
    "or equivalently",
}
_TEXT_ARG = re.compile(r"\\(?:text|textrm|mbox|textnormal|mathrm)\s*\{([^{}]*)\}")
_DROP = re.compile(r"\\(?:nonumber|notag|label\{[^}]*\}|tag\*?\{[^}]*\}|displaystyle|intertext\{[^}]*\})")
# Inner alignment environments only arrange rows: their rows are split like those of align.
_INNER = re.compile(r"\\(?:begin|end)\{(?:aligned|gathered|split|alignedat)\}(?:\{\d+\})?")
_THOUSANDS_AFTER = re.compile(r",\d{3}(?!\d)")
_PLAIN_NAME = re.compile(r"([A-Za-z])(?:_\{([0-9]+)\}|_([0-9]))?")
_ROW_SPACE = re.compile(r"^\s*\[\s*-?\d*\.?\d+\s*(?:pt|em|ex|mm|cm|in|bp|mu)\s*\]")


@dataclass(frozen=True)
class Chain:
    """One chain of relations: ``sides[i] relations[i] sides[i+1]``."""

    line: int
    section: int
    sides: tuple[str, ...]
    relations: tuple[str, ...]
    defines: str | None = None  # the name side 0 defines, when the chain is a definition
    prose: str = ""
    side_lines: tuple[int, ...] = ()  # the line where each side starts
    listed: bool = False  # the last side is followed by more values (x = 1{,}000,\ 1{,}500): not one value

    @property
    def source(self) -> str:
        out = self.sides[0]
        for rel, side in zip(self.relations, self.sides[1:]):
            out += f" {_SHOWN.get(rel, rel)} {side}"
        return out


_SHOWN = {
    "approx": r"\approx",
    "neq": r"\neq",
    "leq": r"\leq",
    "geq": r"\geq",
    "sim": r"\sim",
    "propto": r"\propto",
    "in": r"\in",
    "to": r"\to",
}


def _is_prose(content: str) -> bool:
    c = content.strip().lower()
    return not c or content != content.strip() or c in _CONNECTIVES or c[0] in "(,;.:"


def _equation_separator(tok: str, whole: str, index: int) -> str | None:
    if tok in _SEPARATOR_COMMANDS:
        return "sep"
    if tok == ";":
        return "sep"
    if tok == ",":
        before = whole[index - 1] if index else ""
        if before.isdigit() and _THOUSANDS_AFTER.match(whole, index):
            return None  # 10,930,000 is one number
        return "sep"
    return None


def _relation(tok: str, whole: str, index: int) -> str | None:
    if tok == ":" and whole.startswith(":=", index):
        return None
    return RELATIONS.get(tok)


def _prose_to_space(row: str) -> str:
    """``\\text{ and }``-like prose between equations becomes a ``\\quad`` (same length kept is not needed)."""

    def repl(m: re.Match) -> str:
        after = row[m.end() :].lstrip()
        if _is_prose(m.group(1)) and not after.startswith(("_", "^")):
            return r"\quad" + " " * (len(m.group()) - len(r"\quad"))
        return m.group()

    return _TEXT_ARG.sub(repl, row)


def _blank(pattern: re.Pattern, s: str) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), s)


def _rows(body: str) -> list[tuple[int, str]]:
    """Rows of a display (split at top-level ``\\\\``) with their offsets; alignment ``&`` blanked."""
    if "\\\\" not in body and "&" not in body and not _INNER.search(body) and not _DROP.search(body):
        return [(0, body)] if body.strip() else []  # one row, nothing to blank: what the scan below finds
    rows = []
    body = _blank(_INNER, body)
    for k, (piece, _, start) in enumerate(tex.split_top_at(body, lambda t, r, i: "row" if t == "\\\\" else None)):
        if k > 0:  # \\[4pt]: the optional space after a row break is not math
            piece = _blank(_ROW_SPACE, piece)
        clean = _blank(_DROP, piece)
        clean = "".join(t.text if not (d == 0 and t.text == "&") else " " for t, d in tex.top_level(clean))
        if clean.strip():
            rows.append((start, clean))
    return rows


def _clean_side(side: str) -> str:
    s = side.strip()
    while s and s[-1] in ".,;":  # sentence punctuation after the math
        s = s[:-1].rstrip()
    return s


def chains_of(latex: str, line: int = 1, section: int = 0, prose: str = "") -> list[Chain]:
    """The chains in one piece of math (``line`` is where the math starts)."""

    def line_at(offset: int) -> int:
        return line + latex.count("\n", 0, offset)

    found: list[list] = []  # [sides, relations, side lines, listed]
    for row_start, row in _rows(latex):
        row = _prose_to_space(row)
        # One equation unless the row holds something that may separate equations (most rows do not).
        equations = tex.split_top_at(row, _equation_separator) if _MAY_SEPARATE.search(row) else [(row, None, 0)]
        for k, (equation, _, eq_start) in enumerate(equations):
            if not equation.strip():
                continue
            pieces = tex.split_top_at(equation, _relation)
            sides = [_clean_side(p) for p, _, _ in pieces]
            relations = [label for _, label, _ in pieces[:-1]]
            lines = [line_at(row_start + eq_start + off + len(p) - len(p.lstrip())) for p, _, off in pieces]
            if k == 0 and found and not sides[0] and relations:  # "&= 4" continues the row before
                found[-1][0].extend(sides[1:])
                found[-1][1].extend(relations)
                found[-1][2].extend(lines[1:])
                continue
            if not relations and found and found[-1][1] and k > 0 and _is_value_list_item(sides[0]):
                found[-1][3] = True  # x = 1, 2, 3: a list of values, not x = 1
                continue
            found.append([sides, relations, lines, False])
    out = []
    for sides, relations, lines, listed in found:
        if not relations:
            continue
        defines = _name_key(sides[0]) if relations[0] in CLAIMS and sides[0] else None
        out.append(Chain(lines[0], section, tuple(sides), tuple(relations), defines, prose, tuple(lines), listed))
    return out


def _name_key(side: str) -> str | None:
    plain = _PLAIN_NAME.fullmatch(side)
    if plain and side != "e":  # x, a_{12}, w_1: the lifter's key without the lifter (a bare e is Euler's number)
        sub = plain.group(2) or plain.group(3)
        return plain.group(1) if sub is None else f"{plain.group(1)}_{sub}"
    try:
        return name_key(side)
    except Exception:  # untrusted input: a side the lifter cannot scan is not a bare name  # noqa: BLE001
        return None


def _is_value_list_item(piece: str) -> bool:
    return bool(re.fullmatch(r"(?:\s|\\[ ,;:!]|~)*[-+]?\s*\d[\d.,{}\\]*\s*", piece))


def chains(maths: Iterable[Math]) -> list[Chain]:
    """Every chain of every piece of math, in document order."""
    out = []
    for m in maths:
        if _MAY_RELATE.search(m.latex):  # every relation token has one of these characters
            out.extend(chains_of(m.latex, m.line, m.section, m.prose))
    return out
