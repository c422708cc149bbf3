r"""Reading one side: the notation :mod:`.parse` does not know is taken out first, then put back as nodes.

:func:`read` wraps :func:`.parse.parse`.  Before the parser sees a side, the
constructs below are replaced by a placeholder name (``\mathrm{zqN}``) and read
on their own; after parsing, each placeholder becomes its node:

* ``\tanh``, ``\max``, ``\min``, ``\mathrm{ReLU}``, ``\lfloor…\rfloor``, ``\lceil…\rceil``,
  ``\det \mathbf{A}`` — functions (:class:`~.expr.Func`);
* norms ``\|x\|``, ``\|x\|_1``, ``\|x\|_2``, ``\|x\|_\infty``;
* finite sums and products ``\sum_{i=1}^{4} i^2``, expanded term by term;
* derivatives — ``\frac{d}{dz} …``, ``\frac{\partial}{\partial z_1} …`` (``Op('diff')``),
  ``\frac{dL}{dw}`` (read as the name ``dL/dw``, like ``\frac{\partial L}{\partial w}``),
  ``\nabla_w L`` (``Op('grad')``), and ``f'(z)``/``f(3)`` for functions the document
  defined (``Op('apply')``).

>>> read(r"\tanh(0) + \max(1, 2)")
Op(op='add', args=(Func(name='tanh', args=(Num(value=0),)), Func(name='max', args=(Num(value=1), Num(value=2)))))
"""

from __future__ import annotations

import re
from functools import lru_cache

import sympy

from . import tex
from .expr import Func, Mat, Node, Num, Op, Ref, Unparsable
from .parse import parse
from .plain import read_plain

MAX_TERMS = 100  # terms of one expanded sum or product
_ATOM = re.compile(
    r"\s*(?:\d+(?:\.\d+)?|\\(?:mathbf|mathrm|boldsymbol|bm|vec|hat|bar|tilde)\s*\{[^{}]*\}(?:_\{[^{}]*\}|_\w)?"
    r"|\\[A-Za-z]+(?:_\{[^{}]*\}|_\w)?|[A-Za-z](?:_\{[^{}]*\}|_\w)?(?:\^\{\[[^{}]*\]\})?)"
)
_FUNCS = {
    r"\tanh": "tanh",
    r"\max": "max",
    r"\min": "min",
    r"\mathrm{ReLU}": "relu",
    r"\mathrm{relu}": "relu",
    r"\text{ReLU}": "relu",
    r"\mathrm{floor}": "floor",
    r"\mathrm{ceil}": "ceil",
    r"\mathrm{tanh}": "tanh",
    r"\mathrm{sigmoid}": "sigmoid",
    r"\mathrm{softplus}": "softplus",
    r"\mathrm{softmax}": "softmax",
    r"\text{softmax}": "softmax",
}
PLACE = re.compile(r"zq(\d+)")


def read(latex: str, functions: frozenset = frozenset()) -> Node:
    """The expression tree of one side.  ``functions``: names the document defined as functions (``f``)."""
    found = _read_or_error(latex, functions)
    if isinstance(found, Exception):
        raise found
    return found


@lru_cache(maxsize=8192)
def _read_or_error(latex: str, functions: frozenset) -> Node | Exception:
    try:
        plain = read_plain(latex, functions)  # plain arithmetic: the same tree, read much faster
    except Exception:  # noqa: BLE001 - whatever the fast path cannot read, the general path reads (or refuses)
        plain = None
    if plain is not None:
        return plain
    try:
        return _Reader(functions).read(latex)
    except Unparsable as err:
        return err
    except RecursionError:
        return Unparsable("nested too deeply to check")


class _Reader:
    def __init__(self, functions: frozenset) -> None:
        self.functions = functions
        self.table: dict[str, Node] = {}

    def place(self, node: Node) -> str:
        key = f"zq{len(self.table)}"
        self.table[key] = node
        return r"\mathrm{" + key + "} "

    def read(self, latex: str) -> Node:
        s = tex.normalise(latex)
        if "!!" in s:
            raise Unparsable("the double factorial n!! is not something the checker can evaluate")
        text = self.rewrite(s)
        node = parse(text) if text.strip() != "" else None
        if node is None:
            raise Unparsable("an empty expression")
        return _substitute(node, self.table)

    def sub(self, latex: str) -> Node:
        """A part read on its own (with this reader's placeholders)."""
        text = self.rewrite(tex.normalise(latex))
        if not text.strip():
            raise Unparsable("an empty expression")
        return _substitute(parse(text), self.table)

    # -- the scan
    def rewrite(self, s: str) -> str:
        out: list[str] = []
        i = 0
        while i < len(s):
            j = self._construct(s, i, out)
            if j is None:
                out.append(s[i])
                i += 1
            else:
                i = j
        return "".join(out)

    def _construct(self, s: str, i: int, out: list[str]) -> int | None:
        c = s[i]
        if c == "\\":
            if s.startswith(r"\|", i):
                return self._norm(s, i, out)
            m = re.match(r"\\(?:mathrm|text|operatorname)\s*\{\s*([A-Za-z]+)\s*\}|\\[A-Za-z]+", s[i:])
            if m is None:
                return None
            word = m.group()
            cmd = r"\mathrm{" + m.group(1) + "}" if m.group(1) else word
            if cmd in _FUNCS:
                return self._function(s, i + m.end(), _FUNCS[cmd], out)
            if word in (r"\lfloor", r"\lceil"):
                return self._floor(s, i, word, out)
            if word in (r"\sum", r"\prod"):
                return self._series(s, i + m.end(), word, out)
            if word == r"\frac":
                return self._derivative(s, i, out)
            if word == r"\nabla":
                return self._nabla(s, i + m.end(), out)
            if word == r"\det" and not re.match(r"\s*[({]|\s*\\begin", s[i + m.end() :]):
                atom = _ATOM.match(s, i + m.end())
                if atom:
                    out.append(self.place(Func("det", (self.sub(atom.group()),))))
                    return atom.end()
            if m.group(1) and m.group(1) in self.functions:
                return self._call(s, i + m.end(), m.group(1), out)
            return None
        if c.isalpha() and (i == 0 or not (s[i - 1].isalpha() or s[i - 1] == "\\")) and c in self.functions:
            if i + 1 < len(s) and s[i + 1].isalpha():
                return None
            return self._call(s, i + 1, c, out)
        return None

    # -- functions
    def _args(self, s: str, j: int) -> tuple[list[str], int] | None:
        """Arguments in parentheses after ``s[j]`` (comma separated), and the index after them."""
        m = re.match(r"\s*\(", s[j:])
        if m is None:
            return None
        start = j + m.end() - 1
        end = tex.group_end(s, start)
        if end < 0:
            raise Unparsable("unbalanced parentheses")
        parts = [p for p, _ in tex.split_top(s[start + 1 : end - 1], lambda t, r, k: "," if t == "," else None)]
        return parts, end

    def _function(self, s: str, j: int, name: str, out: list[str]) -> int:
        power = ""
        m = re.match(r"\s*\^\s*(\{[^{}]*\}|\d)", s[j:])
        if m and name == "tanh":  # \tanh^2 z
            power, j = "^" + m.group(1), j + m.end()
        args = self._args(s, j)
        if args is None:
            braced = re.match(r"\s*\{", s[j:])
            if braced:
                arg = tex.braced(s, j)
                parts, end = [arg[0]], arg[1]
            else:
                atom = _ATOM.match(s, j)
                if atom is None or not atom.group().strip():
                    raise Unparsable(f"{name} without an argument")
                parts, end = [atom.group()], atom.end()
        else:
            parts, end = args
        nodes = tuple(self.sub(p) for p in parts)
        if name == "softmax":
            vector: Node = nodes[0] if len(nodes) == 1 else Mat(tuple((x,) for x in nodes))
            node = Func("softmax", (vector,))
            index = re.match(r"\s*_\s*(?:\{\s*(\d+)\s*\}|(\d))", s[end:])
            if index:
                k = int(index.group(1) or index.group(2))
                node = Op("index", (node, Num(sympy.Integer(k)), Num(sympy.Integer(0))))
                end += index.end()
            out.append(self.place(node))
            return end
        if name in ("max", "min"):
            if len(nodes) < 1:
                raise Unparsable(f"\\{name} of nothing")
        elif len(nodes) != 1:
            raise Unparsable(f"{name} takes one argument")
        node: Node = Func(name, nodes)
        out.append(self.place(node) + (power + " " if power else ""))
        return end

    def _floor(self, s: str, i: int, word: str, out: list[str]) -> int:
        closer = r"\rfloor" if word == r"\lfloor" else r"\rceil"
        j = s.find(closer, i)
        if j < 0:
            raise Unparsable(f"{word} without {closer}")
        node = self.sub(s[i + len(word) : j])
        out.append(self.place(Func("floor" if word == r"\lfloor" else "ceil", (node,))))
        return j + len(closer)

    def _norm(self, s: str, i: int, out: list[str]) -> int:
        j = s.find(r"\|", i + 2)
        if j < 0:
            raise Unparsable(r"a norm \| without its closing \|")
        inner = s[i + 2 : j]
        end = j + 2
        p = 2
        m = re.match(r"_\s*(?:\{\s*(1|2|\\infty)\s*\}|(1|2))", s[end:])
        if m:
            which = m.group(1) or m.group(2)
            p = {"1": 1, "2": 2, r"\infty": 0}[which]
            end += m.end()
        out.append(self.place(Func("norm", (self.sub(inner), Num(sympy.Integer(p))))))
        return end

    def _call(self, s: str, j: int, name: str, out: list[str]) -> int | None:
        """``f(3)`` or ``f'(z)`` for a function ``f`` the document defined."""
        primes = 0
        m = re.match(r"'+", s[j:])
        if m:
            primes, j = len(m.group()), j + m.end()
        args = self._args(s, j)
        if args is None:
            return None
        parts, end = args
        nodes = tuple(self.sub(p) for p in parts)
        op = "apply" if primes == 0 else "apply_prime"
        if primes > 1:
            raise Unparsable("a second derivative f''")
        out.append(self.place(Op(op, (Ref(name), *nodes))))
        return end

    # -- sums and products
    def _series(self, s: str, j: int, word: str, out: list[str]) -> int:
        low = re.match(r"\s*_\s*\{\s*([A-Za-z])\s*=\s*(-?\d+)\s*\}|\s*_\s*([A-Za-z])\s*=\s*(-?\d+)", s[j:])
        if low is None:
            raise Unparsable(f"{word} without concrete bounds (like _{{i=1}}^{{4}})")
        var = low.group(1) or low.group(3)
        a = int(low.group(2) or low.group(4))
        k = j + low.end()
        high = re.match(r"\s*\^\s*(?:\{\s*(-?\d+)\s*\}|(\d))", s[k:])
        if high is None:
            raise Unparsable(f"{word} without a concrete upper bound")
        b = int(high.group(1) or high.group(2))
        k += high.end()
        if b - a + 1 > MAX_TERMS:
            raise Unparsable(f"a {word[1:]} of more than {MAX_TERMS} terms")
        body, end = _term(s, k)
        if not body.strip():
            raise Unparsable(f"{word} with nothing to add up")
        terms = [_substitute_index(body, var, v) for v in range(a, b + 1)]
        if not terms:
            out.append(" 0 " if word == r"\sum" else " 1 ")
            return end
        joiner = " + " if word == r"\sum" else r" \cdot "
        out.append("(" + joiner.join("(" + self.rewrite(t) + ")" for t in terms) + ")")
        return end

    # -- derivatives
    def _derivative(self, s: str, i: int, out: list[str]) -> int | None:
        num = tex.braced(s, i + len(r"\frac"))
        den = tex.braced(s, num[1]) if num else None
        if num is None or den is None:
            return None
        top, bottom = num[0].strip(), den[0].strip()
        d = r"(?:d|\\mathrm\{d\}|\\partial)"
        mt = re.fullmatch(d + r"\s*(.*)", top, re.S)
        mb = re.fullmatch(d + r"\s*(.+)", bottom, re.S)
        if mt is None or mb is None or top.startswith(r"\partial^") or not re.fullmatch(r"\S.*", mb.group(1)):
            return None
        if not top.startswith((r"\partial", "d", r"\mathrm{d}")) or re.match(r"d[a-zA-Z]{2,}", top):
            return None
        var = mb.group(1).strip()
        if mt.group(1).strip():  # \frac{dL}{dw}: the name dL/dw, as \frac{\partial L}{\partial w} reads
            if top.startswith(r"\partial"):
                return None  # the parser already reads it so
            out.append(r"\frac{\partial " + mt.group(1).strip() + r"}{\partial " + var + "}")
            return den[1]
        body, end = _term(s, den[1])
        if not body.strip():
            raise Unparsable("a derivative of nothing")
        var_node = self.sub(var)
        if not isinstance(var_node, Ref):
            raise Unparsable("a derivative with respect to something that is not a name")
        out.append(self.place(Op("diff", (self.sub(body), var_node))))
        return end

    def _nabla(self, s: str, j: int, out: list[str]) -> int:
        m = re.match(r"\s*_\s*(\{[^{}]*\}|\\?[A-Za-z]+|\w)", s[j:])
        if m is None:
            raise Unparsable(r"\nabla without the variable it differentiates by")
        var = m.group(1).strip("{}")
        var_node = self.sub(var)
        if not isinstance(var_node, Ref):
            raise Unparsable(r"\nabla with respect to something that is not a name")
        body, end = _term(s, j + m.end())
        out.append(self.place(Op("grad", (self.sub(body), var_node))))
        return end


def _term(s: str, k: int) -> tuple[str, int]:
    """The term that starts at ``s[k]``: up to the next top-level ``+``/``-`` (or the end)."""
    rest = s[k:]
    lead = len(rest) - len(rest.lstrip())
    for piece, _label, start in tex.split_top_at(rest, lambda t, r, i: "op" if t in "+-" and i > lead else None):
        return piece, k + start + len(piece)
    return rest, len(s)  # pragma: no cover


def _substitute_index(body: str, var: str, value: int) -> str:
    v = str(value)
    body = re.sub(r"_\s*\{\s*" + var + r"\s*\}", "_{" + v + "}", body)
    body = re.sub(r"_\s*" + var + r"(?![A-Za-z])", "_{" + v + "}", body)
    return re.sub(r"(?<![A-Za-z\\_{])" + var + r"(?![A-Za-z])", "(" + v + ")", body)


def _substitute(node: Node, table: dict[str, Node]) -> Node:
    """Placeholders ``zqN`` back to their nodes."""
    if not table:
        return node
    if isinstance(node, Ref):
        m = PLACE.fullmatch(node.name)
        return table[node.name] if m and node.name in table else node
    if isinstance(node, Op):
        return Op(node.op, tuple(_substitute(x, table) for x in node.args))
    if isinstance(node, Func):
        return Func(node.name, tuple(_substitute(x, table) for x in node.args))
    if isinstance(node, Mat):
        return Mat(tuple(tuple(_substitute(x, table) for x in row) for row in node.rows))
    return node
