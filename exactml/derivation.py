"""Derivations as data: steps that hold sympy objects, and nothing typeset.

An algorithm produces a :class:`Derivation` — an ordered, keyed collection of
:class:`Step` records (and nested derivations, e.g. one per tree node).  A
step says *why* it is taken, shows *how* with display records
(:class:`Equation`, :class:`Sum`, :class:`Product`, :class:`Grid`,
:class:`Table`) and holds the exact *result*.  Printers in
:mod:`exactml.latex` walk this data; nothing here formats text.

Conventions shared by every printer:

* a plain ``str`` inside a display record is a symbol written as it is (``X``,
  ``w``, ``f(x)``); any other notation is a record — ``Notation("sse")`` names a
  quantity whose typesetting lives in :mod:`exactml.latex.notation`, and
  :mod:`exactml.records` holds indexed names, unreduced fractions, powers, … —
  so algorithm code holds no LaTeX (``tests/test_computing_never_typesets.py``);
* anything that came from a user (a feature name, a class label) is wrapped
  in :class:`Name` and is always escaped when printed;
* ``why``, ``title`` and notes are exactml's own words (they may carry
  ``$…$`` math); user values enter them only through ``<<placeholders>>``
  filled from ``names`` (strings escaped, numbers and records printed as math).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence, Union


# ----------------------------------------------------------------- display records
@dataclass(frozen=True)
class Name:
    """A user-supplied piece of text (feature name, label): printed as escaped text."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Sum:
    """An unevaluated sum shown term by term: ``a + b + c``."""

    terms: tuple

    def __init__(self, terms: Sequence):
        object.__setattr__(self, "terms", tuple(terms))


@dataclass(frozen=True)
class Neg:
    """A term subtracted inside a :class:`Sum`: ``a - b`` is ``Sum([a, Neg(b)])``."""

    term: Any


@dataclass(frozen=True)
class Product:
    """An unevaluated product shown factor by factor: ``a × b``."""

    factors: tuple

    def __init__(self, factors: Sequence):
        object.__setattr__(self, "factors", tuple(factors))


@dataclass(frozen=True)
class Call:
    """A named function applied to shown arguments, e.g. ``\\sigma(z)`` or ``\\sqrt{…}``.

    ``name`` is exactml's LaTeX for the function; ``sqrt`` is typeset as a radical.
    """

    name: str
    args: tuple

    def __init__(self, name: str, *args: Any):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "args", tuple(args))


@dataclass(frozen=True)
class Grid:
    """A matrix of display items (e.g. a column of sums), shown as a bmatrix."""

    rows: tuple

    def __init__(self, rows: Sequence[Sequence]):
        object.__setattr__(self, "rows", tuple(tuple(r) for r in rows))


@dataclass(frozen=True)
class Approx:
    """A value shown as its decimal only (``≈ 0.444``); ``digits`` overrides the setting."""

    value: Any
    digits: int | None = None


@dataclass(frozen=True)
class Equation:
    """A displayed chain ``lhs = form₁ = form₂ = … (≈ decimal)``.

    The last form is the exact value; printers append its decimal when the
    value is irrational or a long fraction (unless ``approx=False``).
    ``relations`` may give ``"="``, ``"approx"`` (≈), ``"<-"``, ``"in"``, … per link.
    """

    lhs: Any
    forms: tuple
    relations: tuple = ()
    approx: bool = True
    digits: int | None = None

    def __init__(
        self, lhs: Any, *forms: Any, relations: Sequence[str] = (), approx: bool = True, digits: int | None = None
    ):
        object.__setattr__(self, "lhs", lhs)
        object.__setattr__(self, "forms", tuple(forms))
        object.__setattr__(self, "relations", tuple(relations))
        object.__setattr__(self, "approx", approx)
        object.__setattr__(self, "digits", digits)


@dataclass(frozen=True)
class Table:
    """A table of cells (sympy values, display records, :class:`Name`, or exactml's LaTeX)."""

    header: tuple
    rows: tuple
    align: str | None = None
    caption: str | None = None

    def __init__(
        self, header: Sequence, rows: Sequence[Sequence], align: str | None = None, caption: str | None = None
    ):
        object.__setattr__(self, "header", tuple(header))
        object.__setattr__(self, "rows", tuple(tuple(r) for r in rows))
        object.__setattr__(self, "align", align)
        object.__setattr__(self, "caption", caption)


@dataclass(frozen=True)
class Note:
    """A sentence of exactml's own between displays; ``<<name>>`` placeholders are filled escaped."""

    text: str
    names: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """A picture, held as data; :mod:`exactml.latex.figures` draws it by ``kind``."""

    kind: str
    data: Any
    caption: str = ""


Display = Union[Equation, Table, Note, Figure, Grid, Sum, Product, Approx, Name, Any]


# ----------------------------------------------------------------- steps
class Printable:
    """The faces every step and derivation shows: LaTeX, PDF, Jupyter and the terminal.

    The printers live in :mod:`exactml.latex`; they are imported on use so
    that computing never loads them.
    """

    def to_latex(self, standalone: bool = False, **settings: Any) -> str:
        """LaTeX of this step or derivation.

        By default a section body (no ``\\documentclass``), for ``\\input`` into a
        document of your own that loads amsmath, booktabs and (for figures)
        pgfplots; with ``standalone=True`` a complete document, with the
        handout's preamble, that compiles on its own.
        """
        from .exact import check_digits
        from .latex.render import render_latex

        if "digits" in settings:
            check_digits(settings["digits"])
        body = render_latex(self, **settings)
        if not standalone:
            return body
        from .latex.document import document
        from .latex.render import fill, tex_escape

        return document(body, title=fill(self.title, dict(self.names), escape=tex_escape))

    def save_pdf(self, path: str | Path, **settings: Any) -> Path:
        """Typeset this step or derivation into a PDF at ``path`` (needs TeX Live's ``latexmk``)."""
        from .latex.document import compile_pdf

        return compile_pdf(self.to_latex(standalone=True, **settings), path)

    def _repr_latex_(self) -> str:
        # One math block: the results, not the prose (front ends without HTML fall back to it).
        from .latex.html import render_results

        return render_results(self)

    def _repr_html_(self) -> str:
        # Jupyter's richest view: every step's title, why, how (folded when long) and result.
        from .latex.html import render_html

        return render_html(self)

    def _repr_markdown_(self) -> str:
        from .latex.html import render_markdown

        return render_markdown(self)

    def __str__(self) -> str:
        from .latex.text import render_text

        return render_text(self)


@dataclass(frozen=True, repr=False)
class Step(Printable):
    """One step of a derivation.

    ``key``      stable identifier (documented per algorithm; used by tests,
                 the handout and the checker's recomputation)
    ``title``    a short heading
    ``why``      why the step is taken (exactml's own words, light LaTeX)
    ``how``      display records showing the worked computation; given as a mapping
                 ``{name: display}`` (a list of displays under one name is a group), the
                 displays are reached by name with :meth:`part`
    ``result``   the exact result (a sympy object, or a tuple/dict of them)
    ``symbol``   what names the result (``symbol = result``): a letter, or a display
                 record such as ``Notation("XtX")``
    ``names``    values for ``<<placeholders>>`` in title/why/notes: user strings
                 (printed escaped) or mathematics (numbers, display records)
    """

    key: str
    title: str
    why: str = ""
    how: tuple = ()
    result: Any = None
    symbol: Any = None
    names: Mapping[str, Any] = field(default_factory=dict)
    parts: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.how, Mapping):
            parts, shown = {}, []
            for name, d in self.how.items():
                parts[name] = tuple(d) if isinstance(d, list) else d
                shown += d if isinstance(d, list) else [d]
            object.__setattr__(self, "parts", parts)
            object.__setattr__(self, "how", tuple(shown))
        else:
            object.__setattr__(self, "how", tuple(self.how))

    def part(self, name: str) -> Any:
        """The display (or group of displays) named ``name`` in ``how``.

        >>> s = Step("k", "T", how={"note": Note("A sentence."), "table": Table(["a"], [[1]])})
        >>> s.part("table").rows
        ((1,),)
        """
        try:
            return self.parts[name]
        except KeyError:
            raise KeyError(f"step {self.key!r} has no display named {name!r}; it has {list(self.parts)}") from None

    def __repr__(self) -> str:
        """``<Step 'w': Solve the normal equations = (…)>``: the key, the title and the result, short."""
        from .latex.render import fill
        from .latex.text import plain

        title = plain(fill(self.title, dict(self.names), escape=str))
        if self.result is None:
            return f"<Step {self.key!r}: {title}>"
        from .latex.text import value_text

        value = value_text(self.result)
        if len(value) > 80:
            value = value[:77] + "…"
        return f"<Step {self.key!r}: {title} = {value}>"

    def approx(self, digits: int = 3) -> str | None:
        """The decimal of an irrational or long-fraction result, else ``None``."""
        from .decimals import decimal_string, needs_decimal

        if self.result is not None and needs_decimal(self.result, digits):
            return decimal_string(self.result, digits)
        return None


class Derivation(Printable):
    """An ordered, keyed collection of steps and nested derivations.

    >>> d = Derivation("demo")
    >>> _ = d.add(Step("one", "First", result=1))
    >>> d["one"].result
    1
    >>> [s.key for s in d]
    ['one']

    Nested derivations are reached by paths: ``tree["root/gain/Age"]``.
    """

    def __init__(
        self,
        title: str,
        items: Sequence[Union[Step, "Derivation"]] = (),
        key: str = "",
        intro: str = "",
        names: Mapping[str, str] | None = None,
    ):
        self.title = title
        self.key = key
        self.intro = intro
        self.names = dict(names or {})
        self._items: list[Step | Derivation] = []
        self._index: dict[str, Step | Derivation] = {}
        for item in items:
            self.add(item)

    def add(self, item: Step | "Derivation") -> Any:
        """Append a step (or a nested derivation) and return it."""
        if not item.key:
            raise ValueError("every step and sub-derivation needs a key")
        if item.key in self._index:
            raise ValueError(f"duplicate step key {item.key!r} in derivation {self.title!r}")
        self._items.append(item)
        self._index[item.key] = item
        return item

    def __getitem__(self, path: str) -> Any:
        head, _, rest = path.partition("/")
        try:
            item = self._index[head]
        except KeyError:
            raise KeyError(f"no step {head!r} in {self.title!r}; steps are {list(self._index)}") from None
        if rest:
            if not isinstance(item, Derivation):
                raise KeyError(f"{head!r} is a step, not a derivation; it has no {rest!r}")
            return item[rest]
        return item

    def __contains__(self, path: str) -> bool:
        try:
            self[path]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[Step | "Derivation"]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._index)

    def steps(self) -> Iterator[Step]:
        """Every step, depth first, nested derivations included."""
        for item in self._items:
            if isinstance(item, Derivation):
                yield from item.steps()
            else:
                yield item

    def paths(self) -> list[str]:
        """Every key, nested ones as paths (``"root/gain/Age"``), depth first."""
        out = []
        for item in self._items:
            out.append(item.key)
            if isinstance(item, Derivation):
                out += [f"{item.key}/{p}" for p in item.paths()]
        return out

    def _ipython_key_completions_(self) -> list[str]:
        return self.paths()

    def __repr__(self) -> str:
        from .latex.render import fill
        from .latex.text import plain

        keys = self.keys()
        shown = ", ".join(keys if len(keys) <= 12 else keys[:10] + ["…", keys[-1]])
        return f"<Derivation {plain(fill(self.title, self.names, escape=str))!r}: {len(keys)} item(s): {shown}>"
