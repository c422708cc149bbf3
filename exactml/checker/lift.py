"""Pre-processing for the parser: what latex2sympy2_extended gets wrong in ML texts is lifted out first.

The lifter scans one side (normalised by :func:`.tex.normalise`) of a claim and takes out everything the parser
would misread, leaving a placeholder in its place:

* names — ``X``, ``z^{[2]}``, ``I_{\\text{parent}}``, ``\\hat{y}``,
  ``\\frac{\\partial L}{\\partial a^{[2]}}`` — become :class:`~.expr.Ref` (the parser
  drops ``^T`` on names, reads ``I`` as the imaginary unit, ``z^{[2]}`` as a square, a derivative as an
  operator);
* transposes ``^T``, ``^{\\top}`` of names, matrices and parentheses;
* matrices (``bmatrix``, ``pmatrix``, ``[2 \\quad -4]``) and tuples ``(3, 6.33)``,
  their entries parsed one by one;
* decimals, kept as :class:`~.expr.Rounded` so that the judge knows their digits (the parser reads floats);
* percentages ``10\\%``, ``12.5\\%`` as exact fractions (the parser keeps an unevaluated ``10·(1/100)``);
* functions applied to a parenthesis (``\\ln(…)``, ``\\log_2(…)``, ``\\sigma(…)``,
  ``\\sigma'(…)``), ``e^{…}`` and ``\\sqrt{…}``, their arguments parsed on their own;
* ``\\log`` without a base becomes the natural logarithm (the parser reads base 10);
* ``\\odot`` becomes ``\\mod`` (read back as a Hadamard product).

What is left for the parser is scalar arithmetic on placeholders.
"""

from __future__ import annotations

import re
from typing import Callable

import sympy

from . import tex
from .expr import Const, Func, Mat, Node, Num, Op, Ref, Rounded, TooLarge, Unparsable
from .tex import DOTS, normalise

MAX_DIGITS = 1_000  # digits in one number

GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "rho",
    "varrho",
    "sigma",
    "varsigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
    "ell",
}
FONTS = {
    "text",
    "textrm",
    "textit",
    "textbf",
    "mathrm",
    "mathit",
    "mathbf",
    "mathsf",
    "mathtt",
    "mathcal",
    "mathbb",
    "boldsymbol",
    "bm",
    "mbox",
    "textnormal",
    "mathnormal",
}
ACCENTS = {"hat", "bar", "tilde", "vec", "dot", "ddot", "overline", "widehat", "widetilde", "check", "breve"}
PASS = {r"\frac", r"\times", r"\cdot", r"\div"}
CALLS = {r"\ln": "log", r"\exp": "exp", r"\sin": "sin", r"\cos": "cos", r"\tan": "tan", r"\det": "det"}
HADAMARD = {r"\odot", r"\circ"}
TRANSPOSE = {"T", r"\top", r"\intercal", r"\mathsf{T}", r"\mathrm{T}", r"\mathbf{T}", r"\text{T}", r"\mathit{T}"}
MATRIX_ENVS = {"bmatrix", "pmatrix", "matrix", "Bmatrix", "smallmatrix", "array", "vmatrix"}
_NUMBER = re.compile(r"\d+\.\d+|\.\d+|\d+")
_PERCENT = re.compile(r"\s*\\%")
_ROW_SEPARATORS = (r"\quad", r"\qquad", "&")  # [2 \quad -4] is a row
# A superscript that labels a name (z^{[2]}, x^{(i)}, w^*), possibly followed by a transpose (a^{[1]T}).
_LABEL = re.compile(r"(\[[^\]]*\]|\([^)]*\)|\*|\\ast|\\star|\\prime|')\s*(T|\\top|\\intercal)?")
PLACEHOLDER = re.compile(r"\{\\mathit\{(q\d+)\}\}")
HALF = Num(sympy.Rational(1, 2))


def _canon(text: str) -> str:
    """A name's key: fonts and spaces dropped, ``I_{\\text{parent}}`` → ``I_parent``."""
    s = re.sub(r"\\(?:" + "|".join(sorted(FONTS, key=len, reverse=True)) + r")\s*\{([^{}]*)\}", r"\1", text)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"\{([^{}])\}", r"\1", s)
    s = re.sub(r"[_^]\{([^{}]*)\}", lambda m: m.group()[0] + m.group(1), s)
    return s.replace("\\", "")


class Lifter:
    """Rewrites one side into scalar LaTeX for the parser, with placeholders for lifted parts."""

    def __init__(self, sub: Callable[[str], Node]) -> None:
        self.sub = sub  # parses a part on its own (a matrix entry, a function argument)
        self.table: dict[str, Node] = {}
        self.count = 0

    def place(self, node: Node) -> str:
        self.table[r"\mathit{q" + str(self.count) + "}"] = node
        self.count += 1
        return r"{\mathit{q" + str(self.count - 1) + "}}"

    # -- the scan
    def lift(self, s: str) -> str:
        out: list[str] = []
        i, n = 0, len(s)
        while i < n:
            c = s[i]
            if c.isspace():
                out.append(" ")
                i += 1
            elif c.isdigit() or (c == "." and i + 1 < n and s[i + 1].isdigit()):
                i = self._number(s, i, out)
            elif c.isalpha():
                i = self._letters(s, i, out)
            elif c == "\\":
                i = self._command(s, i, out)
            elif c == "(":
                i = self._paren(s, i, out)
            elif c == "[":
                i = self._bracket(s, i, out)
            elif c == "^":
                i = self._superscript(s, i, out)
            elif c == "'":
                raise Unparsable("a prime (') outside a name")
            elif c in "=<>&":
                raise Unparsable(f"{c!r} inside one side of a claim")
            else:
                out.append(c)
                i += 1
        return "".join(out)

    def _number(self, s: str, i: int, out: list[str]) -> int:
        m = _NUMBER.match(s, i)
        text = m.group()
        if len(text) > MAX_DIGITS:
            raise TooLarge(f"a number with {len(text)} digits is too large to check exactly")
        percent = _PERCENT.match(s, m.end())
        if "." in text:
            whole, frac = text.split(".")
            value = sympy.Rational(int((whole or "0") + frac), 10 ** len(frac))
            if percent:  # 12.5\% is 0.125, rounded to three places
                out.append(self.place(Rounded(value / 100, len(frac) + 2, text + r"\%")))
                return percent.end()
            out.append(self.place(Rounded(value, len(frac), text)))
        elif percent:  # 10\% is 1/10 (the parser would keep an unevaluated 10·(1/100))
            out.append(self.place(Num(sympy.Rational(int(text), 100))))
            return percent.end()
        else:
            out.append(text)
        return m.end()

    def _letters(self, s: str, i: int, out: list[str]) -> int:
        run = re.match(r"[A-Za-z]+", s[i:]).group()
        after = i + len(run)
        if len(run) >= 2 and after < len(s) and s[after] == "_":
            base, j = run, after  # IG_{age}, MSE_{train}: one name
        else:
            base, j = run[0], i + 1
        if base == "e" and not s.startswith("_", j):
            if s.startswith("^", j):
                return self._exp(s, j, out)
            out.append("e")  # Euler's number
            return j
        return self._name(s, base, j, out)

    def _name(self, s: str, base: str, j: int, out: list[str]) -> int:
        """Decorations after a name's base: subscripts, label superscripts, primes, transpose."""
        sub, sup, transpose = "", "", False
        while j < len(s):
            if s[j] == "_" and not sub:
                arg = tex.braced(s, j + 1)
                if arg is None:
                    break
                sub, j = arg[0], arg[1]
            elif s[j] == "'":
                sup += "'"
                j += 1
            elif s[j] == "^" and not sup:
                arg = tex.braced(s, j + 1)
                if arg is None:
                    break
                content = arg[0].strip()
                if content in TRANSPOSE:
                    transpose, j = True, arg[1]
                    break
                label = _LABEL.fullmatch(content)
                if not label:
                    break  # an exponent: left to the parser
                sup, j = label.group(1), arg[1]
                if label.group(2):
                    transpose = True
                    break
            else:
                break
        key = base
        if sub:
            key += "_{" + sub + "}"
        if sup:
            key += "^{" + sup + "}"
        node: Node = Ref(_canon(key))
        out.append(self.place(Op("transpose", (node,)) if transpose else node))
        return j

    def _command(self, s: str, i: int, out: list[str]) -> int:
        m = re.match(r"\\([a-zA-Z]+|.)", s[i:], re.S)
        if m is None:
            raise Unparsable("a backslash with no command after it")
        name = m.group(1)
        cmd = "\\" + name
        j = i + m.end()
        if cmd == r"\begin":
            return self._environment(s, i, out)
        if cmd == r"\log" or cmd in CALLS:
            return self._call(s, cmd, j, out)
        if cmd == r"\frac":
            return self._frac(s, j, out)
        if cmd == r"\sqrt":
            return self._sqrt(s, j, out)
        if cmd in PASS:
            out.append(cmd + " " if name.isalpha() else cmd)
            return j
        if cmd in HADAMARD:
            out.append(r" \mod ")
            return j
        if cmd == r"\%":
            raise Unparsable("a percent sign after something that is not a number")
        if cmd == r"\ast":
            out.append("*")
            return j
        if cmd in (r"\quad", r"\qquad"):
            out.append(" ")
            return j
        if cmd == r"\sigma":
            return self._sigma(s, j, out)
        if cmd == r"\pi" and not s.startswith("_", j):
            out.append(r"\pi ")
            return j
        if name in GREEK or cmd == r"\pi":
            return self._name(s, cmd, j, out)
        if name in FONTS:
            arg = tex.braced(s, j)
            if arg is None:
                raise Unparsable(f"{cmd} without an argument")
            if arg[0].strip() == "e" and not s.startswith("_", arg[1]):
                out.append("e")  # \mathrm{e}: Euler's number
                return arg[1]
            return self._name(s, f"{cmd}{{{arg[0]}}}", arg[1], out)
        if name in ACCENTS:
            arg = tex.braced(s, j)
            if arg is None:
                raise Unparsable(f"{cmd} without an argument")
            return self._name(s, f"{name}({arg[0]})", arg[1], out)
        if name in ("lvert", "rvert", "vert", "|") and cmd != r"\|":
            out.append("|")
            return j
        if DOTS.match(cmd):
            raise Unparsable("the elided terms (\\dots) cannot be checked")
        raise Unparsable(f"{cmd} is not something the checker can evaluate")

    def _call(self, s: str, cmd: str, j: int, out: list[str]) -> int:
        """``\\ln(x)``, ``\\log_2(x)``, ``\\exp(x)``: lifted when the argument is in parentheses."""
        base: Node = Const("E")
        k = j
        if cmd == r"\log":
            m = re.match(r"\s*_", s[k:])
            if m:
                arg = tex.braced(s, k + m.end())
                if arg is None:
                    raise Unparsable(r"\log_ without a base")
                base, k = self.sub(arg[0]), arg[1]
        braced = re.match(r"\s*\{", s[k:])
        if braced:  # \ln{\left(3\right)}, as sympy prints it
            arg = tex.braced(s, k)
            if arg is None:
                raise Unparsable("unbalanced braces")
            inner = arg[0].strip()
            if inner.startswith("(") and tex.group_end(inner, 0) == len(inner):
                inner = inner[1:-1]
            node = self.sub(inner)
            name = "log" if cmd in (r"\log", r"\ln") else CALLS[cmd]
            out.append(self.place(Func(name, (node, base) if name == "log" else (node,))))
            return arg[1]
        m = re.match(r"\s*\(", s[k:])
        if m is None:  # \log_2 \frac{4}{6}: the parser finds the argument
            if cmd == r"\log":
                out.append(r"\ln " if isinstance(base, Const) else r"\log_{" + self.place(base) + "} ")
            elif cmd == r"\det" and s[k:].lstrip().startswith(r"\begin"):
                start = len(s) - len(s[k:].lstrip())
                end = tex.group_end(s, start)
                if end < 0:
                    raise Unparsable("an environment without its \\end")
                out.append(self.place(Func("det", (self.sub(s[start:end]),))))
                return end
            elif cmd == r"\det":
                raise Unparsable(r"\det of something that is not a matrix in parentheses")
            else:
                out.append(cmd + " ")
            return k
        start = k + m.end() - 1
        end = tex.group_end(s, start)
        if end < 0:
            raise Unparsable("unbalanced parentheses")
        arg_node = self.sub(s[start + 1 : end - 1])
        name = "log" if cmd in (r"\log", r"\ln") else CALLS[cmd]
        out.append(self.place(Func(name, (arg_node, base) if name == "log" else (arg_node,))))
        return end

    def _sqrt(self, s: str, j: int, out: list[str]) -> int:
        k, index = j, None
        if s[k:].lstrip().startswith("["):
            start = len(s) - len(s[k:].lstrip())
            end = tex.group_end(s, start)
            if end < 0:
                raise Unparsable("unbalanced brackets")
            index, k = self.sub(s[start + 1 : end - 1]), end
        arg = tex.braced(s, k)
        if arg is None:
            raise Unparsable(r"\sqrt without an argument")
        power = HALF if index is None else Op("pow", (index, Num(sympy.Integer(-1))))
        out.append(self.place(Op("pow", (self.sub(arg[0]), power))))
        return arg[1]

    def _exp(self, s: str, j: int, out: list[str]) -> int:
        """``e^{x}`` and ``e^x``: the exponential, its exponent parsed on its own."""
        arg = tex.braced(s, j + 1)
        if arg is None:
            raise Unparsable("e^ without an exponent")
        out.append(self.place(Func("exp", (self.sub(arg[0]),))))
        return arg[1]

    def _frac(self, s: str, j: int, out: list[str]) -> int:
        num = tex.braced(s, j)
        den = tex.braced(s, num[1]) if num else None
        if num is None or den is None:
            raise Unparsable(r"\frac needs two arguments")
        top, bottom = num[0].strip(), den[0].strip()
        if top.startswith(r"\partial"):  # a derivative is a name: dL/da^[2]
            if not bottom.startswith(r"\partial"):
                raise Unparsable("a derivative that is not of the form \\frac{\\partial A}{\\partial B}")
            key = "d" + top[len(r"\partial") :] + "/d" + bottom[len(r"\partial") :]
            out.append(self.place(Ref(_canon(key))))
            return den[1]
        out.append(r"\frac{" + self.lift(top) + "}{" + self.lift(bottom) + "}")
        return den[1]

    def _sigma(self, s: str, j: int, out: list[str]) -> int:
        """``\\sigma(z)`` is the logistic function; ``\\sigma'(z)`` its derivative; ``\\sigma`` alone a name."""
        k = j
        prime = False
        m = re.match(r"\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)", s[k:])
        if m:
            prime, k = True, k + m.end()
        rest = s[k:].lstrip()
        if rest.startswith("("):
            start = len(s) - len(rest)
            end = tex.group_end(s, start)
            if end < 0:
                raise Unparsable("unbalanced parentheses")
            arg = self.sub(s[start + 1 : end - 1])
            out.append(self.place(Func("sigmoid_prime" if prime else "sigmoid", (arg,))))
            return end
        if prime:
            raise Unparsable("\\sigma' without an argument")
        return self._name(s, r"\sigma", j, out)

    def _environment(self, s: str, i: int, out: list[str]) -> int:
        m = re.match(r"\\begin\s*\{(\w+)\*?\}", s[i:])
        if m is None or m.group(1) not in MATRIX_ENVS:
            raise Unparsable(f"the environment {m.group(1) if m else '?'} cannot be evaluated")
        end = tex.group_end(s, i)
        if end < 0:
            raise Unparsable(f"\\begin{{{m.group(1)}}} without its \\end")
        body = s[i + m.end() : end]
        body = body[: body.rfind(r"\end")]
        if m.group(1) == "array":
            spec = tex.braced(body, 0)
            if spec:
                body = body[spec[1] :]
        rows = []
        for row, _ in tex.split_top(body, lambda t, r, k: "row" if t == "\\\\" else None):
            if not row.strip():
                continue
            cells = [c for c, _ in tex.split_top(row, lambda t, r, k: "cell" if t == "&" else None)]
            rows.append(tuple(self.sub(c) for c in cells))
        if not rows or len({len(r) for r in rows}) != 1:
            raise Unparsable("a matrix with rows of different lengths")
        node: Node = Mat(tuple(rows))
        if m.group(1) == "vmatrix":
            node = Func("det", (node,))
        out.append(self.place(node))
        return end

    def _paren(self, s: str, i: int, out: list[str]) -> int:
        end = tex.group_end(s, i)
        if end < 0:
            raise Unparsable("unbalanced parentheses")
        inner = s[i + 1 : end - 1]
        parts = _top_commas(inner)
        if len(parts) > 1:  # a tuple (3, 6.33): a column vector
            out.append(self.place(Mat(tuple((self.sub(p),) for p in parts))))
            return end
        index = re.match(r"_\s*\{?\s*(\d)\s*,?\s*(\d)?\s*\}?", s[end:])
        if index:
            node = self.sub(inner)
            i1 = Num(sympy.Integer(index.group(1)))
            i2 = Num(sympy.Integer(index.group(2))) if index.group(2) else Num(sympy.Integer(0))
            out.append(self.place(Op("index", (node, i1, i2))))
            return end + index.end()
        if _transposed(s, end):
            out.append(self.place(self.sub(inner)))
            return end
        out.append("(" + self.lift(inner) + ")")
        return end

    def _bracket(self, s: str, i: int, out: list[str]) -> int:
        end = tex.group_end(s, i)
        if end < 0:
            raise Unparsable("unbalanced brackets")
        inner = s[i + 1 : end - 1]
        cells = [c for c, _ in tex.split_top(inner, lambda t, r, k: "cell" if t in _ROW_SEPARATORS else None)]
        cells = [c for c in cells if c.strip()]
        if len(cells) == 1:
            cells = _top_commas(inner)
        if len(cells) > 1:  # [2 \quad -4]: a row
            out.append(self.place(Mat((tuple(self.sub(c) for c in cells),))))
        else:
            out.append("(" + self.lift(inner) + ")")
        return end

    def _superscript(self, s: str, i: int, out: list[str]) -> int:
        arg = tex.braced(s, i + 1)
        if arg is not None and arg[0].strip() in TRANSPOSE:
            last = PLACEHOLDER.fullmatch(out[-1]) if out else None
            if last is None:
                raise Unparsable("^T after something that is not a name, a matrix or a parenthesis")
            node = self.table.pop(r"\mathit{" + last.group(1) + "}")
            out[-1] = self.place(Op("transpose", (node,)))
            return arg[1]
        out.append("^")
        return i + 1


def _transposed(s: str, i: int) -> bool:
    m = re.match(r"\s*\^", s[i:])
    if not m:
        return False
    arg = tex.braced(s, i + m.end())
    return arg is not None and arg[0].strip() in TRANSPOSE


def _top_commas(s: str) -> list[str]:
    parts = [p for p, _ in tex.split_top(s, lambda t, r, k: "comma" if t == "," else None)]
    return parts if len(parts) > 1 and all(p.strip() for p in parts) else [s]


def name_key(latex: str) -> str | None:
    """The key of the name ``latex`` is, if it is one bare name (``z^{[2]}`` → ``z^[2]``), else None.

    A name applied to arguments (``K(x_i, x_j)``, ``I(\\text{Age = Youth})``) is a name too: on the
    left of ``=`` it defines what the function gives for those arguments.
    """
    s = normalise(latex)
    if not s or not (s[0].isalpha() or s[0] == "\\"):
        return None
    if s.endswith(")") and "(" in s:
        start = s.index("(")
        head = name_key(s[:start]) if start and tex.group_end(s, start) == len(s) else None
        return f"{head}({_canon(s[start + 1 : -1])})" if head else None
    lifter = Lifter(_no_parts)
    try:
        text = lifter.lift(s).strip()
    except Unparsable:
        return None
    found = PLACEHOLDER.fullmatch(text)
    node = lifter.table.get(r"\mathit{" + found.group(1) + "}") if found else None
    return node.name if isinstance(node, Ref) else None


def _no_parts(text: str) -> Node:
    raise Unparsable("not a bare name")
