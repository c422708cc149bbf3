"""Stage 3 of the checker: one side of a claim, from LaTeX to an expression tree.

This is the only module of exactml that imports the LaTeX parser,
latex2sympy2_extended (the maintained continuation of latex2sympy2, the parser
of math-verify), so that no other module knows which parser is used.  It reads
the arithmetic — precedence, ``\\frac``, powers, implicit products, ``|x|``,
``\\log_2 \\frac{4}{6}``; what it misreads in the notation of machine-learning
texts is lifted out first by :mod:`.lift` (names, transposes, matrices, tuples,
decimals, percentages, ``\\log``, ``\\odot``), and what it would still misread
never reaches it:

* its library entry (``latex2sympy``) lower-cases every symbol (``X`` and ``x``
  become one), reads ``x \\approx 2`` as ``2``, ``x = 3`` as an equation,
  ``(3, 6.33)`` as an open interval and ``0.1`` as a binary float, and rewrites
  the text first (its ``normalize_latex``).  It is not used: the parser is
  entered at its ``expr`` rule, on text :func:`.tex.normalise` has prepared,
  with a converter configured to keep the case of symbols and never to read an
  assignment.  ``=`` and ``\\approx`` never reach it: claims are split before.
* it reads an integer next to a positive fraction as a mixed number
  (``2 \\frac{1}{2}`` is 5/2) whatever it is configured to do; no number reaches
  it (see below), so in exactml that is the product 1.

Speed: the parser is ANTLR-generated and slow to warm up.  It is entered at
its ``expr`` rule (the ``math`` rule would look ahead over the whole input
to choose between a relation and a list), with ANTLR's SLL prediction first
and full LL only when SLL fails, and on a *skeleton*: every placeholder and
every whole number becomes a letter (``v_{44}``, ``v_{45}``, … once the letters
run out), so that ``1 \\times 1500 + 1 \\times 2000`` and ``3 \\times 3 + 4 \\times 4``
share one parse.  Parses are cached.

The result is a tree of :mod:`.expr` nodes.  Nothing here evaluates user
text (no ``eval``, no ``sympify``), and sizes are guarded before parsing.

>>> parse(r"X^T X")
Op(op='mul', args=(Op(op='transpose', args=(Ref(name='X'),)), Ref(name='X')))
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import sympy
from sympy.core.function import AppliedUndef

from . import tex
from .expr import Const, Func, Mat, Node, Num, Op, Ref, Rounded, TooLarge, Unparsable, has_rounded, refs
from .lift import PLACEHOLDER, Lifter, name_key
from .tex import DOTS, normalise

__all__ = [
    "parse",
    "name_key",
    "Unparsable",
    "TooLarge",
    "Num",
    "Rounded",
    "Ref",
    "Const",
    "Op",
    "Func",
    "Mat",
    "Node",
    "refs",
    "has_rounded",
]

MAX_LENGTH = 20_000  # characters in one side
MAX_DEPTH = 60  # nested groups
MAX_SKELETON = 2_000  # characters handed to the parser at once
# Letters that stand for placeholders in a skeleton: not e/E (Euler), i/j/I (imaginary),
# d (differentials) or T (transpose) — each has a meaning of its own to the parser.
_LETTERS = "abcfghkmnpqrstuvwxyzABCDFGHJKLMNOPQRSUVWXYZ"


def parse(latex: str) -> Node:
    """The expression tree of one side of a claim (cached).

    Raises :class:`~.expr.Unparsable` for what cannot be read and
    :class:`~.expr.TooLarge` when the size guard refuses it.
    """
    if len(latex) > MAX_LENGTH:
        raise TooLarge(f"an expression of {len(latex)} characters is too large to check exactly")
    return _parse(normalise(latex))


def _parse(s: str) -> Node:
    found = _parse_or_error(s)
    if isinstance(found, Unparsable):
        raise found
    return found


@lru_cache(maxsize=8192)
def _parse_or_error(s: str) -> Node | Unparsable:
    try:
        return _parse_normalised(s)
    except Unparsable as err:
        return err


def _part(s: str) -> Node:
    """A part lifted out of a side (a matrix entry, a function argument), parsed on its own."""
    return _parse(" ".join(s.split()))


def _parse_normalised(s: str) -> Node:
    if not s.strip():
        raise Unparsable("an empty expression")
    if tex.max_depth(s) > MAX_DEPTH:
        raise TooLarge("nested too deeply to check")
    if DOTS.search(s):
        raise Unparsable("the elided terms (\\dots) cannot be checked")
    lifter = Lifter(_part)
    text = lifter.lift(s).strip()
    single = PLACEHOLDER.fullmatch(text)
    if single:
        return lifter.table["\\mathit{" + single.group(1) + "}"]
    if re.fullmatch(r"\d+", text):
        return Num(sympy.Integer(text))
    skeleton, letters = _skeleton(text, lifter.table)
    if len(skeleton) > MAX_SKELETON:
        raise TooLarge("an expression too long to check exactly")
    return _convert(_read(skeleton), letters)


def _skeleton(text: str, table: dict[str, Node]) -> tuple[str, dict[str, Node]]:
    """Placeholders and whole numbers replaced by letters, ``\\times``/``\\cdot`` by ``*``.

    No number reaches the parser, so none of its readings of adjacent numbers (``2 \\frac{1}{2}``
    as the mixed fraction 5/2) can apply.  Past the single letters, ``v_{44}``, ``v_{45}``, … follow.
    """
    letters: dict[str, Node] = {}
    by_source: dict[str, str] = {}

    def letter(m: re.Match) -> str:
        token = m.group()
        if token not in by_source:
            k = len(by_source)
            if k < len(_LETTERS):
                by_source[token], name = _LETTERS[k], _LETTERS[k]
            else:
                by_source[token], name = f"v_{{{k}}}", f"v_{{{k}}}"  # a name the parser keeps as written
            letters[name] = table["\\mathit{" + m.group(1) + "}"] if m.group(1) else Num(sympy.Integer(token))
        return " " + by_source[token] + " "

    skeleton = re.sub(r"\{\\mathit\{(q\d+)\}\}|(?<!\d)\d+(?!\d)", letter, text)
    skeleton = skeleton.replace(r"\times", "*").replace(r"\cdot", "*")
    return " ".join(skeleton.split()), letters


# ------------------------------------------------------------------ the parser
@lru_cache(maxsize=4096)
def _read_cached(text: str) -> Any:
    try:
        return _latex2sympy(text)
    except Unparsable as err:
        return err


def _read(text: str) -> Any:
    found = _read_cached(text)
    if isinstance(found, Unparsable):
        raise found
    return found


def _latex2sympy(text: str) -> Any:
    """The parser's grammar and converter on one expression, SLL prediction first."""
    _parser()  # a parser that cannot be imported is an installation error, not an unreadable claim
    try:
        return _run(text, sll=True)
    except RecursionError:
        raise TooLarge("nested too deeply to check") from None
    except Exception:
        pass
    try:
        return _run(text, sll=False)
    except RecursionError:
        raise TooLarge("nested too deeply to check") from None
    except Exception as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise Unparsable(f"the LaTeX parser cannot read it ({first})") from None


@lru_cache(maxsize=1)
def _parser() -> tuple[Any, Any, Any, Any]:
    """latex2sympy2_extended's lexer, parser and converter class, and the converter's configuration.

    Imported on first use: the ANTLR tables take a while to load and ``import exactml`` needs none of it.
    Symbols keep their case (``A`` and ``a`` are two placeholders); nothing is read as an assignment.
    """
    from latex2sympy2_extended.antlr_parser import PSLexer, PSParser
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig, _Latex2Sympy

    config = ConversionConfig(
        interpret_as_mixed_fractions=False,
        interpret_simple_eq_as_assignment=False,
        interpret_contains_as_eq=False,
        lowercase_symbols=False,
    )
    return PSLexer, PSParser, _Latex2Sympy, config


def _run(text: str, sll: bool) -> Any:
    from antlr4 import CommonTokenStream, InputStream, Token
    from antlr4.atn.PredictionMode import PredictionMode

    lexer_class, parser_class, converter_class, config = _parser()
    converter = converter_class(config=config)  # a fresh converter: no state survives one side
    listener = converter.MathErrorListener(text)
    lexer = lexer_class(InputStream(text))
    lexer.removeErrorListeners()
    lexer.addErrorListener(listener)
    tokens = CommonTokenStream(lexer)
    parser = parser_class(tokens)
    parser.removeErrorListeners()
    parser.addErrorListener(listener)
    if sll:
        parser._interp.predictionMode = PredictionMode.SLL
    tree = parser.expr()
    if tokens.LA(1) != Token.EOF:
        raise Unparsable("more than one expression")
    return converter.convert_expr(tree)


_FUNCS = {
    sympy.exp: "exp",
    sympy.Abs: "abs",
    sympy.factorial: "factorial",
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
}


def _convert(e: Any, letters: dict[str, Node]) -> Node:
    """The parser's (unevaluated) sympy tree → an expression tree, letters replaced by their nodes."""
    if isinstance(e, (list, tuple)) or not isinstance(e, sympy.Basic):
        raise Unparsable("not a single expression")
    if isinstance(e, sympy.Symbol):
        if e.name in letters:
            return letters[e.name]
        raise Unparsable(f"an unexpected symbol {e.name}")
    if e is sympy.E:
        return Const("E")
    if e is sympy.pi:
        return Const("pi")
    if isinstance(e, sympy.Rational):
        return Num(e)
    if isinstance(e, sympy.Add):
        return Op("add", tuple(_convert(a, letters) for a in e.args))
    if isinstance(e, sympy.Mul):
        return Op("mul", tuple(_convert(a, letters) for a in e.args))
    if isinstance(e, sympy.Pow):
        return Op("pow", tuple(_convert(a, letters) for a in e.args))
    if isinstance(e, sympy.log):
        arg = _convert(e.args[0], letters)
        base = _convert(e.args[1], letters) if len(e.args) > 1 else Const("E")
        return Func("log", (arg, base))
    if isinstance(e, sympy.Mod):
        return Op("hadamard", (_convert(e.args[0], letters), _convert(e.args[1], letters)))
    if isinstance(e, AppliedUndef) and e.func.__name__ in letters:  # a(b): the parser's reading of a product
        return Op("mul", (letters[e.func.__name__], *(_convert(a, letters) for a in e.args)))
    for cls, name in _FUNCS.items():
        if isinstance(e, cls):
            return Func(name, tuple(_convert(a, letters) for a in e.args))
    raise Unparsable(f"{type(e).__name__} is not something the checker can evaluate")
