r"""A fast path for sides of plain arithmetic: the same tree as :mod:`.read`, without its general machinery.

Most sides of a long document are plain arithmetic — ``3 + 4``, ``\frac{262}{121} + 1``,
``2 \times 0.731 - 1``, ``a_{12}``.  Reading one the general way normalises it, scans it
for functions, sums and derivatives, lifts names and decimals out and builds the skeleton
the LaTeX parser sees (see :mod:`.parse`); the parse of the skeleton itself is cached and
shared by every side of the same shape.  :func:`read_plain` recognises such sides with one
tokenizer pass, builds the same skeleton and the same placeholders directly, and hands the
skeleton to the same cached parse and conversion.  So the tree it returns is the one the
general path returns, by construction (and the tests compare the two on random sides).
Sides of one shape (``3 + 4``, ``868 + 822``) share the work: the tree is learnt once and
filled in with the numbers of each.

Only what it fully understands is taken: integers (no thousands separators), decimals
``12.25``, ``+ - / ( )``, ``\times``, ``\cdot``, ``\div``, ``\frac{…}{…}`` (and ``\dfrac``, ``\tfrac``),
``\left(``/``\right)``, powers ``^2``, ``^{10}``, ``^{-1}``, and names of one letter with an
optional numeric subscript (``x``, ``a_{12}``, ``w_1``, ``e_3``) — not a bare ``e`` (Euler's
number), not ``d`` but with a subscript outside fractions (differentials) and not a function
the document defined.  Anything else (commands, commas, brackets, primes, long text) returns
``None`` and the general path reads it, unchanged.
Nothing is evaluated here: no ``eval``, no ``sympify``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import sympy

from .expr import Func, Node, Num, Op, Ref, Rounded
from .parse import _LETTERS, _convert, _read

__all__ = ["read_plain"]

MAX_PLAIN = 400  # characters: longer sides take the general path (its size guards apply there)
MAX_NUMBER = 200  # digits of one number, far below the general path's guard

# One token at a time; the names' subscripts and the powers' exponents are part of their token.  Every run of
# digits is one token or one part of one (a_12, x^23 — a_1 times 2, x^2 times 3 — are left to the general path).
_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<dec>[0-9]+\.[0-9]+)"
    r"|(?P<int>[0-9]+)"
    r"|(?P<name>[A-Za-z])(?:_\{(?P<sub>[0-9]+)\}|_(?P<sub1>[0-9])(?![0-9]))?(?![A-Za-z_'])"
    r"|(?P<pow>\^(?:[0-9](?![0-9])|\{-?[0-9]+\}))"
    r"|(?P<op>[-+/()])"
    r"|(?P<cmd>\\(?:times|cdot|div)(?![A-Za-z]))"
    r"|(?P<frac>\\[dt]?frac[ \t\r\n]*\{)"
    r"|(?P<left>\\left[ \t\r\n]*\(|\\right[ \t\r\n]*\))"
    r"|(?P<brace>\}[ \t\r\n]*\{|\})"
)
MAX_NESTING = 20  # parentheses and fractions inside each other (the general path refuses past 60)
MAX_SHAPES = 20_000  # shapes remembered; past it, forgotten and learnt again
_DIGITS = re.compile(r"[0-9]+")

# A leaf of the tree, made from the side's runs of digits: ("int", run), ("dec", run), ("name", base, run or -1).
Recipe = tuple


def read_plain(text: str, functions: frozenset = frozenset()) -> Node | None:
    """The tree of a plain-arithmetic side, or ``None`` when the side is anything more.

    Sides of one *shape* — the text with each run of digits blanked, and which runs are equal — are
    read alike: the first is tokenized and parsed, and the tree learnt is filled in with the numbers of
    the next ones (``3 + 4`` and ``868 + 822`` share one; ``2 + 2`` has a shape of its own, since the
    general path reads a number written twice as one letter).
    """
    if len(text) > MAX_PLAIN:
        return None
    runs = _DIGITS.findall(text)
    if any(len(r) > MAX_NUMBER for r in runs):
        return None
    seen: dict[str, int] = {}
    # Each run of digits blanked to "0" or "00": a one-digit subscript or power (a_1, x^2) reads differently.
    key = (_RUNS.sub("00", text.translate(_ZERO)), tuple([seen.setdefault(r, len(seen)) for r in runs]))
    shape = _SHAPES.get(key, _UNKNOWN)
    if shape is _UNKNOWN:
        shape = _learn(text)
        if len(_SHAPES) >= MAX_SHAPES:
            _SHAPES.clear()
        _SHAPES[key] = shape
    if shape is None:
        return None
    recipes, names, build = shape
    if names & functions:
        return None  # f(3) for a function f the document defined: the general path reads the call
    return build([_leaf(r, runs) for r in recipes])


_ZERO = str.maketrans("123456789", "000000000")
_RUNS = re.compile("00+")
_UNKNOWN = object()
_SHAPES: dict[tuple, Any] = {}
_NUMBERS: dict[str, Num] = {}  # the integers met, as leaves (immutable, so shared)


def _leaf(recipe: Recipe, runs: list[str]) -> Node:
    kind = recipe[0]
    if kind == "int":
        text = runs[recipe[1]]
        node = _NUMBERS.get(text)
        if node is None:
            if len(_NUMBERS) >= MAX_SHAPES:
                _NUMBERS.clear()
            node = _NUMBERS[text] = Num(sympy.Integer(int(text)))
        return node
    if kind == "dec":
        whole, frac = runs[recipe[1]], runs[recipe[1] + 1]
        return Rounded(sympy.Rational(int(whole + frac), 10 ** len(frac)), len(frac), whole + "." + frac)
    base, run = recipe[1], recipe[2]
    return Ref(base if run < 0 else f"{base}_{runs[run]}")


def _learn(text: str) -> tuple[list[Recipe], frozenset, Callable[[list[Node]], Node]] | None:
    """The recipes of the leaves of ``text``, the names it uses, and its tree as a function of its leaves."""
    found = _tokenize(text)
    if found is None:
        return None
    skeleton, letters, recipes = found
    names = frozenset(r[1] for r in recipes if r[0] == "name")
    if skeleton is None:  # one leaf
        return recipes, names, _first
    slots = {letter: _Slot(k) for k, letter in enumerate(letters)}
    try:
        tree = _convert(_read(skeleton), slots)
    except Exception:  # noqa: BLE001 - what the parser cannot read, the general path reports
        return None
    return recipes, names, _compile(tree)


def _first(leaves: list[Node]) -> Node:
    return leaves[0]


@dataclass(frozen=True)
class _Slot:
    """Where a leaf goes in a learnt tree."""

    index: int


def _compile(node: Any) -> Callable[[list[Node]], Node]:
    """A function of the leaves that builds ``node`` with its slots filled in."""
    if isinstance(node, _Slot):
        k = node.index
        return lambda leaves: leaves[k]
    if isinstance(node, (Op, Func)):
        kind, name, parts = type(node), node.op if isinstance(node, Op) else node.name, tuple(map(_compile, node.args))
        return lambda leaves: kind(name, tuple([f(leaves) for f in parts]))
    return lambda leaves: node  # Num, Const: immutable, shared


def _tokenize(text: str) -> tuple[str | None, list[str], list[Recipe]] | None:
    """The skeleton the general path would parse, its letters in order and the recipe of each; None if not plain."""
    out: list[str] = []  # the skeleton, as the general path writes it before its spaces are collapsed
    letters: list[str] = []
    recipes: list[Recipe] = []
    keys: dict[str, str] = {}  # integer → its letter: the same integer written twice is one letter
    run = 0  # runs of digits read so far
    depth = 0
    fracs: list[int] = []  # for each \frac open: which of its arguments is being read (0, then 1)
    tokens = 0
    leaf = False

    def letter(recipe: Recipe, key: str | None = None) -> str:
        if key is not None and key in keys:
            return " " + keys[key] + " "
        k = len(letters)
        name = _LETTERS[k] if k < len(_LETTERS) else f"v_{{{k}}}"
        if key is not None:
            keys[key] = name
        letters.append(name)
        recipes.append(recipe)
        return " " + name + " "

    pos, n = 0, len(text)
    match = _TOKEN.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            return None
        pos = m.end()
        kind = m.lastgroup
        token = m.group()
        if kind == "space":
            if not (out and out[-1] in (r"\frac{", "}{")):  # a \frac's arguments are read stripped
                out.append(" ")
            continue
        tokens += 1
        leaf = kind in ("int", "dec", "name", "sub", "sub1")
        if kind == "int":
            out.append(letter(("int", run), token))
            run += 1
        elif kind == "dec":
            out.append(letter(("dec", run)))
            run += 2
        elif kind in ("name", "sub", "sub1"):
            base, sub = m.group("name"), m.group("sub") or m.group("sub1")
            if base == "e" and sub is None:
                return None  # Euler's number (e_1 is a name)
            if base == "d" and (sub is None or fracs):
                return None  # a differential, perhaps: \frac{d_1}{d_2} is read as a derivative's name

            out.append(letter(("name", base, -1 if sub is None else run)))
            run += sub is not None
        elif kind == "pow":
            exponent = token[1:]
            if exponent.startswith("{"):
                inner = exponent[1:-1]
                sign = "-" if inner.startswith("-") else ""
                out.append("^{" + sign + letter(("int", run), inner.lstrip("-")) + "}")
            else:
                out.append("^" + letter(("int", run), exponent))
            run += 1
        elif kind in ("op", "left"):
            c = token[-1]
            if c == "(":
                depth += 1
                if depth > MAX_NESTING:
                    return None
            elif c == ")":
                depth -= 1
                if depth < 0:
                    return None
            out.append(c)
        elif kind == "cmd":
            out.append(r"\div " if token == r"\div" else "* ")  # as the general path's skeleton writes them
        elif kind == "frac":
            fracs.append(0)
            if len(fracs) > MAX_NESTING:
                return None
            out.append(r"\frac{")
        else:  # a closing brace: of a \frac's numerator ("}{") or of its denominator ("}")
            if not fracs:
                return None
            while out and out[-1] == " ":
                out.pop()
            if token == "}":
                if fracs.pop() != 1:
                    return None
                out.append("}")
            else:
                if fracs[-1] != 0:
                    return None
                fracs[-1] = 1
                out.append("}{")
    if depth or fracs or not tokens:
        return None
    if tokens == 1 and leaf:
        return None, letters, recipes  # one number, name or decimal: nothing to parse
    return " ".join("".join(out).split()), letters, recipes
