"""Scanning LaTeX strings: tokens, groups, and splitting at the top level.

Shared by the stages of the checker that cut LaTeX apart before anything
is parsed: :mod:`.claims` splits chains at top-level ``=`` and ``\\approx``,
:mod:`.parse` lifts matrices, tuples and names out of an expression.  A
*group* is anything that nests — ``{…}``, ``(…)``, ``[…]``, ``\\left…\\right``
and ``\\begin{…}…\\end{…}`` — so a relation inside ``\\sum_{i=1}`` or inside
a matrix is never taken for one between the sides of a claim.

:func:`normalise` does the textual clean-up every side gets first: spacing
commands, ``\\left``/``\\right``, and thousands separators (``10,930,000``,
``10{,}930{,}000``, ``10\\,930\\,000`` are one number each).
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Callable, Iterator, NamedTuple, Sequence

_TOKEN = re.compile(r"\\[a-zA-Z]+\*?|\\.|\s+|.", re.S)

OPEN = {"{": "}", "(": ")", "[": "]"}
CLOSE = {"}", ")", "]"}
SIZES = {
    r"\big",
    r"\Big",
    r"\bigg",
    r"\Bigg",
    r"\bigl",
    r"\bigr",
    r"\Bigl",
    r"\Bigr",
    r"\biggl",
    r"\biggr",
    r"\Biggl",
    r"\Biggr",
}


class Token(NamedTuple):
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def tokens(s: str) -> list[Token]:
    """The tokens of ``s``: commands (``\\frac``), escapes (``\\,``), runs of space, single characters."""
    starts, texts, _ = _levels(s)
    return list(map(Token, starts, texts))


CACHED = 2_000  # characters: shorter strings keep their scan (sides are read and cut many times); longer are not kept

Scan = tuple[list[int], list[str], list[int]]  # where each token starts, its text, the depth it sits at


def _levels(s: str) -> Scan:
    """The tokens of ``s`` and the depth each sits at: scanned once per string (short strings are cached).

    Callers do not change the lists: they are shared through the cache.
    """
    if len(s) < CACHED:
        return _levels_cached(s)
    return _scan(s)


def _scan(s: str) -> Scan:
    starts = [m.start() for m in _TOKEN.finditer(s)]
    texts = [s[a:b] for a, b in zip(starts, starts[1:] + [len(s)])]
    depths = []
    depth = 0
    for d in _changes(texts):
        if d < 0:
            depth = max(0, depth + d)
            depths.append(depth)
        else:
            depths.append(depth)
            depth += d
    return starts, texts, depths


_levels_cached = functools.lru_cache(maxsize=8192)(_scan)


def _top(s: str) -> list[tuple[int, str]]:
    """``(start, text)`` of each token of ``s`` at depth 0."""
    starts, texts, depths = _levels(s)
    return [(a, x) for a, x, d in zip(starts, texts, depths) if not d]


def depth_changes(toks: Sequence[Token]) -> list[int]:
    """For each token, +1 if it opens a group, -1 if it closes one, else 0 (see :func:`_changes`)."""
    return _changes([t.text for t in toks])


def _changes(texts: Sequence[str]) -> list[int]:
    """For each token, +1 if it opens a group, -1 if it closes one, else 0.

    ``\\left(`` and ``\\right)`` count on the ``\\left``/``\\right`` token and
    their delimiter counts 0, so ``\\left[ … \\right)`` still balances.
    """
    out = [0] * len(texts)
    skip_delim = False
    env_name = False
    for i, x in enumerate(texts):
        if skip_delim and not x.isspace():
            skip_delim = False
            continue
        if x in (r"\left", r"\right") or x in SIZES:
            if x == r"\left" or x.endswith("l"):
                out[i] = 1
            elif x == r"\right" or x.endswith("r"):
                out[i] = -1
            skip_delim = True
            continue
        if x in (r"\begin", r"\end"):
            out[i] = 1 if x == r"\begin" else -1
            env_name = True
            continue
        if env_name:  # the {name} after \begin/\end is not a group of its own
            if x == "{" or x == "}" or x.isspace() or x.isalpha() or x == "*":
                if x == "}":
                    env_name = False
                continue
            env_name = False
        if x in OPEN or x == r"\{":
            out[i] = 1
        elif x in CLOSE or x == r"\}":
            out[i] = -1
    return out


def top_level(s: str) -> Iterator[tuple[Token, int]]:
    """Each token of ``s`` with the nesting depth it sits at (0 = top level)."""
    starts, texts, depths = _levels(s)
    return zip(map(Token, starts, texts), depths)


def split_top(s: str, is_separator: Callable[[str, str, int], str | None]) -> list[tuple[str, str | None]]:
    """Split ``s`` at top-level separators.

    ``is_separator(token, s, index)`` returns a label for a separator (or
    None); ``index`` is where the token starts in ``s``, so a separator may
    look ahead (``s.startswith(":=", index)``) without copying the rest.  The
    result lists ``(piece, label of the separator after it)``, the last label
    being None.
    """
    return [(piece, label) for piece, label, _ in split_top_at(s, is_separator)]


def split_top_at(s: str, is_separator: Callable[[str, str, int], str | None]) -> list[tuple[str, str | None, int]]:
    """Like :func:`split_top`, with the offset where each piece starts."""
    pieces: list[tuple[str, str | None, int]] = []
    start = 0
    for at, text in _top(s) if _DELIMITED.search(s) else _top_simple(s):
        label = is_separator(text, s, at)
        if label is not None:
            pieces.append((s[start:at], label, start))
            start = at + len(text)
    pieces.append((s[start:], None, start))
    return pieces


# What makes the depth of a token more than a count of brackets (see _changes).
_DELIMITED = re.compile(r"\\(?:left|right|big|Big|begin|end)")
# Every token of _TOKEN but runs of space, letters and digits: commands, escapes, brackets, signs and punctuation.
# A backslash always starts a token of _TOKEN, so these are exactly the tokens _TOKEN finds there.
_STRUCTURAL = re.compile(r"\\[a-zA-Z]+\*?|\\.|[^\sA-Za-z0-9]", re.S)


def _top_simple(s: str) -> Iterator[tuple[int, str]]:
    """:func:`_top` for a string with no ``\\left``, ``\\big``… or ``\\begin``: depth is a count of brackets.

    Runs of space, letters and digits are left out: no caller splits at them.
    """
    depth = 0
    for m in _STRUCTURAL.finditer(s):
        x = m.group()
        if x in OPEN or x == r"\{":
            depth += 1
        elif x in CLOSE or x == r"\}":
            depth = max(0, depth - 1)
        elif not depth:
            yield m.start(), x


def group_end(s: str, start: int) -> int:
    """Index just past the group that opens at ``s[start]`` ({, (, [, \\left or \\begin).

    Returns -1 when the group is not closed.
    """
    depth = 0
    env_name = skip_delim = False
    for m in _TOKEN.finditer(s, start):
        x = m.group()
        if skip_delim and not x.isspace():
            skip_delim = False
            continue
        if env_name:
            if x == "}":
                env_name = False
            continue
        d = 0
        if x in (r"\left", r"\right") or x in SIZES:
            d = 1 if (x == r"\left" or x.endswith("l")) else (-1 if (x == r"\right" or x.endswith("r")) else 0)
            skip_delim = True
        elif x in (r"\begin", r"\end"):
            d = 1 if x == r"\begin" else -1
            env_name = True
        elif x in OPEN or x == r"\{":
            d = 1
        elif x in CLOSE or x == r"\}":
            d = -1
        depth += d
        if depth == 0:
            if x.isspace():
                continue
            end = m.end()
            if x == r"\right":
                nxt = re.match(r"\s*(\\[a-zA-Z]+|\\.|[^\s])", s[end:])
                end += nxt.end() if nxt else 0
            elif x == r"\end":
                nxt = re.match(r"\s*\{[^}]*\}", s[end:])
                end += nxt.end() if nxt else 0
            return end
    return -1


def braced(s: str, i: int) -> tuple[str, int] | None:
    """The argument starting at ``s[i]`` (after spaces): ``{…}`` content or one token; and the index after it."""
    while i < len(s) and s[i].isspace():
        i += 1
    if i >= len(s):
        return None
    if s[i] == "{":
        end = group_end(s, i)
        if end < 0:
            return None
        return s[i + 1 : end - 1], end
    m = _TOKEN.match(s, i)
    if m is None or m.group() in CLOSE:
        return None
    return m.group(), m.end()


def max_depth(s: str) -> int:
    """The deepest nesting of groups in ``s`` (a guard against pathological input)."""
    return max(0, max(itertools.accumulate(_changes(_levels(s)[1])), default=0))


# ------------------------------------------------------------------ normalising
_SPACES = re.compile(r"(?<!\\)\\[,;:! ]|~|\\(?:displaystyle|textstyle|scriptstyle|limits|nolimits)\b")
_GROUPED_BRACES = re.compile(r"(?<=\d)\{,\}(?=\d{3})")
_GROUPED_THIN = re.compile(r"(?<=\d)\\,(?=\d{3}(?!\d))")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])(?!\.\d)|(?<![\d.,])\d{1,3}(?:,\d{3})+\.\d+")
_LEFT_RIGHT = re.compile(
    r"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)"
    r"\s*(\\[{}|]|\\[lr]?[vV]ert|[()\[\]|.])"
)
DOTS = re.compile(r"\\(?:dots|cdots|ldots|vdots|ddots|dotsc|dotsb|dotsm)\b|\.\.\.")


def normalise(latex: str) -> str:
    """Spacing, ``\\left``/``\\right`` and thousands separators (``10,930,000``, ``10{,}930{,}000``) cleaned up."""
    return _normalise_cached(latex) if len(latex) < CACHED else _normalise(latex)


@functools.lru_cache(maxsize=8192)
def _normalise_cached(latex: str) -> str:
    return _normalise(latex)


def _normalise(latex: str) -> str:
    s = _GROUPED_BRACES.sub("", latex)
    s = _GROUPED_THIN.sub("", s)
    s = _SPACES.sub(" ", s)
    s = _LEFT_RIGHT.sub(lambda m: "" if m.group(1) == "." else m.group(1), s)
    s = _THOUSANDS.sub(lambda m: m.group().replace(",", ""), s)
    s = s.replace(r"\dfrac", r"\frac").replace(r"\tfrac", r"\frac")
    return " ".join(s.split())
