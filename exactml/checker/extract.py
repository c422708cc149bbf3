"""Stage 1 of the checker: find the mathematics in a document.

A document is LaTeX, Markdown or plain text.  Math is whatever stands in
``$…$``, ``$$…$$``, ``\\[…\\]``, ``\\(…\\)`` or a display environment
(``equation``, ``align``, ``gather``, … with or without ``*``) — also when
it sits inside a table row.  Each piece is returned with the 1-based line
where it starts and the number of the top-level section it belongs to:
names defined in one section (``X``, ``y``, ``w``) are not carried into the
next, where the same letters usually mean something else.

:func:`tables` finds the tables of the document (tab-separated lines,
Markdown pipes, LaTeX ``tabular``) for the recomputation stage, which also
reads numbers that stand outside math.

>>> [(m.line, m.latex) for m in extract("Let $b = 12$.\\n\\n$$b^2 = 144$$")]
[(1, 'b = 12'), (3, 'b^2 = 144')]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .normalise import to_latex

DISPLAY_ENVS = ("equation", "align", "gather", "multline", "flalign", "eqnarray", "displaymath", "math", "alignat")
_ENV = re.compile(r"\\begin\{(" + "|".join(DISPLAY_ENVS) + r")(\*?)\}")
_OPENERS = re.compile(r"\$\$|\$|\\\[|\\\(|\\begin\{")
_SECTION_TEX = re.compile(r"^\s*\\(part|chapter|section)\*?\{", re.M)
_SECTION_MD = re.compile(r"^#{1,2}\s+\S", re.M)
_SECTION_PLAIN = re.compile(r"^\d{1,2}[ \t]+[A-Za-z][^\n$]{0,100}(?<![.,;:])$", re.M)
_FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_PICTURE = re.compile(r"\\begin\{(tikzpicture|forest|axis)\}.*?\\end\{\1\}", re.S)


@dataclass(frozen=True)
class Math:
    """One piece of math: where it starts, its LaTeX (delimiters removed), and its context."""

    line: int
    latex: str
    display: bool
    section: int
    prose: str = ""  # the text of the line before the math starts (for recomputation)


@dataclass(frozen=True)
class Table:
    """A table of the document: header cells, and each body row with its line number."""

    line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    section: int


# How much of the line before a piece of math is kept with it: enough for "Let", "with",
# and a sentence; bounded so that a 100,000-formula line does not keep 100,000 copies of itself.
PROSE_CHARS = 500


def is_latex(text: str) -> bool:
    return bool(re.search(r"\\begin\{document\}|\\documentclass|\\(sub)*section\*?\{", text))


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the given spans by spaces (newlines kept), so offsets and line numbers survive."""
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _masked(text: str) -> str:
    """The text with everything that is not prose or math blanked out: comments, preamble, code."""
    spans = [m.span() for m in _FENCE.finditer(text)]
    if is_latex(text):
        begin = text.find(r"\begin{document}")
        if begin > 0:
            spans.append((0, begin + len(r"\begin{document}")))
        for m in re.finditer(r"(?<!\\)%[^\n]*", text):
            spans.append(m.span())
        # A picture's labels name its parts; they are not claims of the derivation.
        spans += [m.span() for m in _PICTURE.finditer(text)]
    else:
        spans += [m.span() for m in _INLINE_CODE.finditer(text)]
    return _blank(text, spans)


class _Lines:
    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def start(self, line: int) -> int:
        return self.starts[line - 1]


def section_lines(text: str) -> list[int]:
    """Lines where a top-level section starts (LaTeX ``\\section``, Markdown ``#``/``##``, plain ``2 Title``)."""
    lines = _Lines(text)
    found = set()
    for pattern in (_SECTION_TEX, _SECTION_MD, _SECTION_PLAIN):
        for m in pattern.finditer(text):
            found.add(lines.line(m.start()))
    return sorted(found)


def _section_of(line: int, starts: list[int]) -> int:
    return bisect.bisect_right(starts, line)


def _escaped(text: str, i: int) -> bool:
    n = 0
    while i - 1 - n >= 0 and text[i - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def extract(text: str) -> list[Math]:
    """Every piece of math in ``text``, in document order, written as the LaTeX the parser reads.

    Math in delimiters comes first; in a document that is not LaTeX, a line with no
    delimited math that looks like math (``=`` or ``≈`` between numbers or names) is
    math too (see :func:`plain_math`).  Unicode and plain-text notation are rewritten
    by :func:`.normalise.to_latex`.
    """
    src = _masked(text)
    lines = _Lines(src)
    starts = section_lines(src)
    out, covered = _delimited(src, lines, starts)
    if not is_latex(text):
        for n, line in enumerate(src.split("\n"), start=1):
            if n in covered:
                continue
            for piece in plain_math(line):
                out.append(Math(n, to_latex(piece, plain=True), False, _section_of(n, starts), line.strip()))
        out.sort(key=lambda m: m.line)
    return out


def _delimited(src: str, lines: "_Lines", starts: list[int]) -> tuple[list[Math], set[int]]:
    out: list[Math] = []
    covered: set[int] = set()
    i = 0
    while True:
        m = _OPENERS.search(src, i)
        if m is None:
            break
        start = m.start()
        if _escaped(src, start):  # \$ is a dollar sign; \\[2pt] is a line break, not \[
            i = start + 1
            continue
        found = _close(src, m)
        if found is None:
            i = m.end()
            continue
        body_start, body_end, end, display = found
        body = src[body_start:body_end]
        skipped = len(body) - len(body.lstrip())
        line = lines.line(body_start + skipped) if body.strip() else lines.line(start)
        prose = src[max(lines.start(lines.line(start)), start - PROSE_CHARS) : start]  # bounded: one long line
        out.append(Math(line, to_latex(body.strip()), display, _section_of(line, starts), prose.strip()))
        covered.update(range(lines.line(start), lines.line(max(start, end - 1)) + 1))
        i = end
    return out, covered


# ------------------------------------------------------------------ math in plain text
_RELATION_SPLIT = re.compile(r"(\s+|(?<![<>!=])=(?!=)|≈|≠|≤|≥)")
_MATH_CHARS = set("0123456789=+-*/^()[]|√∛≈≠≤≥×·÷−²³¹⁰⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉%∑∏∂∇‖ᵀ")
_MATH_WORDS = {
    "sqrt",
    "exp",
    "ln",
    "log",
    "log2",
    "log10",
    "tanh",
    "max",
    "min",
    "sigma",
    "sigmoid",
    "softmax",
    "relu",
    "ReLU",
    "Gini",
    "MSE",
    "SSE",
    "RMSE",
    "SST",
    "MAE",
    "IG",
    "abs",
    "floor",
    "ceil",
    "pi",
    "eta",
    "alpha",
    "beta",
    "gamma",
    "delta",
    "lambda",
    "theta",
    "mu",
    "var",
    "std",
    "cos",
    "sin",
    "det",
    "tr",
    "no",
    "yes",
}
_BULLET = re.compile(r"^\s*(?:[-*•>]+|\d{1,2}[.)])\s+")


def plain_math(line: str) -> list[str]:
    """The math of one line of plain text: each run of math-looking words that holds ``=`` or ``≈``.

    >>> plain_math("so the loss is L = -ln(0.7) ≈ 0.357, which is small.")
    ['L = -ln(0.7) ≈ 0.357']
    >>> plain_math("total: 4/9 + 10/9 = 14/9 (rounded?)")
    ['4/9 + 10/9 = 14/9']
    """
    if not any(c in line for c in "=≈"):
        return []
    line = _BULLET.sub("", line)
    found = []
    for segment in re.split(r":\s", line):
        tokens = [t for t in _RELATION_SPLIT.split(segment) if t]
        run: list[str] = []
        for t in tokens + [" PROSE "]:
            if t.isspace():
                if run:
                    run.append(t)
                continue
            if _mathlike(t):
                run.append(t)
                continue
            text = _balanced("".join(run).strip())
            run = []
            text = text.rstrip(".,;:?!")
            if any(r in text for r in "=≈") and re.search(r"[\w)\]|]", text.split("=")[-1].split("≈")[-1]):
                found.append(text)
    return found


def _balanced(text: str) -> str:
    """The text up to its first parenthesis that is never closed (``17.67 (I`` → ``17.67``)."""
    opened: list[int] = []
    for k, c in enumerate(text):
        if c in "([":
            opened.append(k)
        elif c in ")]" and opened:
            opened.pop()
    return text[: opened[0]].rstrip() if opened else text


def _mathlike(word: str) -> bool:
    core = word.strip(".,;:!?\"'")
    if not core:
        return False
    if core in ("=", "≈", "≠", "≤", "≥"):
        return True
    letters = re.findall(r"[A-Za-z]+", core)
    for run in letters:
        if len(run) >= 3 and run not in _MATH_WORDS and not re.fullmatch(r"log\d*|sqrt|exp|tanh", run):
            return False
        if len(run) == 2 and run.lower() in _PROSE_2 and core == run:
            return False
    if any(c in _MATH_CHARS for c in core):
        return True
    if re.fullmatch(r"[A-Za-z](?:_?\w)?|[A-Za-z]\d*|\w+_\{?\w+\}?", core):
        return True
    return not core.isascii()  # η, σ, p₁ …


_PROSE_2 = {
    "is",
    "of",
    "to",
    "by",
    "at",
    "an",
    "so",
    "if",
    "we",
    "or",
    "in",
    "on",
    "as",
    "it",
    "be",
    "me",
    "my",
    "do",
    "up",
    "am",
    "us",
    "he",
    "hi",
    "ok",
}


def _close(src: str, m: re.Match) -> tuple[int, int, int, bool] | None:
    """(body start, body end, end, display) of the math opened by ``m``; None if it is not math."""
    opener, start = m.group(), m.start()
    if opener == "$$":
        j = src.find("$$", m.end())
        while j >= 0 and _escaped(src, j):
            j = src.find("$$", j + 1)
        return None if j < 0 else (m.end(), j, j + 2, True)
    if opener == "$":
        j = m.end()
        while True:
            j = src.find("$", j)
            if j < 0:
                return None
            if not _escaped(src, j):
                break
            j += 1
        if _BLANK_LINE.search(src, m.end(), j):  # only up to j: searching to the end is quadratic on one long line
            return None
        if j == m.end():  # "$$" handled above; an empty "$$" pair is not math
            return None
        return m.end(), j, j + 1, False
    if opener in (r"\[", r"\("):
        closer = r"\]" if opener == r"\[" else r"\)"
        j = src.find(closer, m.end())
        return None if j < 0 else (m.end(), j, j + 2, opener == r"\[")
    env = _ENV.match(src, start)
    if env is None:
        return None
    name = env.group(1) + env.group(2)
    body_start = env.end()
    if env.group(1) == "alignat":  # \begin{alignat}{2}
        arg = re.match(r"\s*\{[^}]*\}", src[body_start:])
        if arg:
            body_start += arg.end()
    end_tag = r"\end{" + name + "}"
    j = src.find(end_tag, body_start)
    return None if j < 0 else (body_start, j, j + len(end_tag), True)


# ------------------------------------------------------------------ tables
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def _split_row(line: str) -> tuple[str, ...] | None:
    s = line.strip()
    if "\t" in s:
        cells = [c.strip() for c in s.split("\t")]
    elif s.startswith("|") and s.count("|") >= 2:
        cells = [c.strip() for c in s.strip("|").split("|")]
    else:
        return None
    cells = [c for c in cells]
    return tuple(cells) if len(cells) >= 2 else None


def tables(text: str) -> list[Table]:
    """The tables of ``text``: runs of tab-separated or ``|``-separated lines, and LaTeX tabulars."""
    src = _masked(text)
    starts = section_lines(src)
    found: list[Table] = []
    run: list[tuple[int, tuple[str, ...]]] = []

    def flush() -> None:
        if len(run) >= 2:
            (line, header), body = run[0], run[1:]
            found.append(Table(line, header, tuple(body), _section_of(line, starts)))
        run.clear()

    for n, line in enumerate(src.split("\n"), start=1):
        if _MD_RULE.match(line) and run:
            continue
        cells = _split_row(line)
        if cells is None or (run and len(cells) != len(run[0][1])):
            flush()
            if cells is None:
                continue
        run.append((n, cells))
    flush()
    lines = _Lines(src)
    for m in re.finditer(r"\\begin\{tabular\}(\{[^}]*\})?(.*?)\\end\{tabular\}", src, re.S):
        body_start = m.start(2)
        rows = []
        offset = body_start
        for chunk in re.split(r"\\\\", m.group(2)):
            clean = re.sub(r"\\(toprule|midrule|bottomrule|hline|cline\{[^}]*\})", "", chunk)
            if clean.strip():
                cells = tuple(c.strip() for c in clean.split("&"))
                first = offset + max(0, chunk.find(clean.split()[0]))
                rows.append((lines.line(first), cells))
            offset += len(chunk) + 2
        if len(rows) >= 2:
            found.append(Table(rows[0][0], rows[0][1], tuple(rows[1:]), _section_of(rows[0][0], starts)))
    return sorted(found, key=lambda t: t.line)
