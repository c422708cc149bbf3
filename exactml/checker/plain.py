r"""A fast path for sides of plain arithmetic: the same tree as :mod:`.read`, without its general machinery.

Most sides of a long document are plain arithmetic — ``3 + 4``, ``\frac{262}{121} + 1``,
``2 \times 0.731 - 1``, ``a_{12}``.  Reading one the general way normalises it, scans it
for functions, sums and derivatives, lifts names and decimals out and builds the skeleton
the LaTeX parser sees (see :mod:`.parse`); the parse of the skeleton itself is cached and
shared by every side of the same shape.  :func:`read_plain` recognises such sides with one
tokenizer pass, builds the same skeleton and the same placeholders directly, and hands the
skeleton to the same cached parse and conversion.  So the tree it returns is the one the
general path returns, by construction (and the tests compare the two on random sides).

Only what it fully understands is taken: integers (no thousands separators), decimals
``12.25``, ``+ - / ( )``, ``\times``, ``\cdot``, ``\div``, ``\frac{…}{…}`` (and ``\dfrac``, ``\tfrac``),
``\left(``/``\right)``, powers ``^2``, ``^{10}``, ``^{-1}``, and names of one letter with an
optional numeric subscript (``x``, ``a_{12}``, ``w_1``) — not ``e`` (Euler's number), not
``d`` (differentials) and not a function the document defined.  Anything else (commands,
commas, brackets, primes, long text) returns ``None`` and the general path reads it, unchanged.
Nothing is evaluated here: no ``eval``, no ``sympify``.
"""

from __future__ import annotations

import re

import sympy

from .expr import Node, Num, Ref, Rounded
from .parse import _LETTERS, _convert, _read

__all__ = ["read_plain"]

MAX_PLAIN = 400  # characters: longer sides take the general path (its size guards apply there)
MAX_NUMBER = 200  # digits of one number, far below the general path's guard

# One token at a time; the names' subscripts and the powers' exponents are part of their token.
_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<dec>[0-9]+\.[0-9]+)"
    r"|(?P<int>[0-9]+)"
    r"|(?P<name>[A-Za-z])(?:_\{(?P<sub>[0-9]+)\}|_(?P<sub1>[0-9]))?(?![A-Za-z_'])"
    r"|(?P<pow>\^(?:[0-9]|\{-?[0-9]+\}))"
    r"|(?P<op>[-+/()])"
    r"|(?P<cmd>\\(?:times|cdot|div)(?![A-Za-z]))"
    r"|(?P<frac>\\[dt]?frac[ \t\r\n]*\{)"
    r"|(?P<left>\\left[ \t\r\n]*\(|\\right[ \t\r\n]*\))"
    r"|(?P<brace>\}[ \t\r\n]*\{|\})"
)
_REFUSED_NAMES = frozenset("de")
MAX_NESTING = 20  # parentheses and fractions inside each other (the general path refuses past 60)


def read_plain(text: str, functions: frozenset = frozenset()) -> Node | None:
    """The tree of a plain-arithmetic side, or ``None`` when the side is anything more."""
    if len(text) > MAX_PLAIN:
        return None
    out: list[str] = []  # the skeleton, as the general path writes it before its spaces are collapsed
    letters: dict[str, Node] = {}
    keys: dict[str, str] = {}  # integer → its letter: the same integer written twice is one letter
    placed = 0  # names and decimals: each is a letter of its own, as each is a placeholder of its own
    depth = 0
    fracs: list[int] = []  # for each \frac open: which of its arguments is being read (0, then 1)
    tokens = 0
    last: Node | None = None

    def letter(node: Node, key: str | None = None) -> str:
        nonlocal placed
        if key is not None and key in keys:
            return " " + keys[key] + " "
        k = len(keys) + placed
        name = _LETTERS[k] if k < len(_LETTERS) else f"v_{{{k}}}"
        if key is None:
            placed += 1
        else:
            keys[key] = name
        letters[name] = node
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
        if kind == "int":
            if len(token) > MAX_NUMBER:
                return None
            last = Num(sympy.Integer(token))
            out.append(letter(last, token))
        elif kind == "dec":
            if len(token) > MAX_NUMBER:
                return None
            whole, frac = token.split(".")
            last = Rounded(sympy.Rational(int(whole + frac), 10 ** len(frac)), len(frac), token)
            out.append(letter(last))
        elif kind in ("name", "sub", "sub1"):
            base, sub = m.group("name"), m.group("sub") or m.group("sub1")
            if base in _REFUSED_NAMES or base in functions:
                return None
            last = Ref(base if sub is None else f"{base}_{sub}")
            out.append(letter(last))
        elif kind == "pow":
            exponent = token[1:]
            if exponent.startswith("{"):
                inner = exponent[1:-1]
                sign = "-" if inner.startswith("-") else ""
                digits = inner.lstrip("-")
                out.append("^{" + sign + letter(Num(sympy.Integer(digits)), digits) + "}")
            else:
                out.append("^" + letter(Num(sympy.Integer(exponent)), exponent))
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
    if tokens == 1 and last is not None:
        return last  # one number, name or decimal: nothing to parse
    return _convert(_read(" ".join("".join(out).split())), letters)
