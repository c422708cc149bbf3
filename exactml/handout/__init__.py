"""The handout: the source document's chapters, regenerated from the engine.

``build(out_dir)`` writes ``handout.tex`` (the document, with its preamble)
and one file per chapter.  Chapters are modules of this package, listed in
``CHAPTERS`` in the source document's order; each defines ``TITLE`` and
``chapter(ctx)``.  The output is deterministic: the same engine gives the
same bytes.
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Sequence

from ..decimals import needs_decimal
from ..latex.document import document
from ..registry import HANDOUT_SECTIONS
from .context import Context, Erratum
from .output import OutputError, write_folder  # noqa: F401  (OutputError: part of the API)

# Section keys in the order of the source document; each names a module here.
CHAPTERS = HANDOUT_SECTIONS

TITLE = r"Understanding Machine Learning Mathematics:\\ The Why and How Behind Every Operation"

ABSTRACT = r"""\begin{abstract}
Six classic learning algorithms, worked through on small data sets with every
number computed exactly: fractions stay fractions, square roots and
logarithms stay symbolic, and a decimal is printed only beside the exact
value, for orientation. Each operation comes with the reason it is done and
the way it is done. Where the text this handout follows printed a number that
exact arithmetic contradicts, the right value is used and the discrepancy is
listed in the errata at the end.
\end{abstract}
"""


def available(keys: Sequence[str] | None = None) -> list[tuple[str, object]]:
    """The chapter modules to build, in order (all by default)."""
    known = list(CHAPTERS)
    if keys:
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise ValueError(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    out = []
    for key in CHAPTERS:
        if keys and key not in keys:
            continue
        name = f"{__name__}.{key}"
        try:
            out.append((key, importlib.import_module(name)))
        except ModuleNotFoundError as err:
            if err.name != name:  # a chapter that exists but fails to import is a bug: say so
                raise
    return out


# Exact forms longer than this (LaTeX characters), or with nested fractions, are too
# small to read in a table row: the errata give their decimal instead.
ERRATA_EXACT_LENGTH = 40


_DETAIL = re.compile(r"^(?:an arithmetic slip|a slip)(?::\s*|$)|^carried\s+")


def _nested_exp(value) -> bool:
    """Whether an exponent itself holds e, as e^{(5-e)/(e+1)}: too deep to read in a table row."""
    import sympy

    return isinstance(value, sympy.Basic) and any(
        isinstance(a, sympy.Pow)
        and a.base == sympy.E
        and a.exp.has(sympy.E)
        or type(a).__name__ == "InlineExp"
        or (isinstance(a, sympy.exp) and a.args[0].has(sympy.E))
        for a in sympy.preorder_traversal(value)
    )


def errata_digits(e: Erratum, ctx: Context) -> int:
    """Decimal places for an erratum's exact value: the handout's own, or more if needed to differ from the source."""
    digits = ctx.digits
    try:
        stated = Decimal(e.stated.replace(",", ""))
    except ArithmeticError:
        return digits
    while digits < ctx.digits + 4 and Decimal(ctx.decimal(e.exact, digits)) == stated:
        digits += 1
    return digits


def errata_appendix(errata: Sequence[Erratum], ctx: Context) -> str:
    if not errata:
        return ""
    lines = [
        r"\appendix",
        r"\section{Errata: where the source's arithmetic goes wrong}",
        r"\label{sec:errata}",
        (
            "Each row is a number printed in the document this handout follows that exact arithmetic "
            "contradicts; the handout uses the exact value. The kind says what went wrong: an \\emph{arithmetic "
            "slip} is a miscalculation at that point; a \\emph{carried} error is a correct calculation from an "
            "earlier wrong value; \\emph{rounding} means a result computed from numbers already rounded; a "
            "\\emph{conceptual} error is a wrong statement rather than a wrong number. Where the exact form is too "
            "long for the table, its decimal is given and the form stands in the section named. "
            "($d_{\\min}$ is the distance from the boundary to the nearest training point.)"
        ),
        r"{\small\renewcommand{\arraystretch}{1.4}",  # room for the stacked indices of W^{[2]}_{11}
        r"\begin{longtable}{@{}l >{$}l<{$} >{$}r<{$} >{$}l<{$} l >{\raggedright\arraybackslash}p{3.0cm}@{}}",
        r"\toprule",
        r"Section & \text{Quantity} & \text{Source} & \text{Exact} & Kind & Detail \\",
        r"\midrule",
        r"\endhead",
    ]
    for e in errata:
        digits = errata_digits(e, ctx)
        exact_tex = ctx.math(e.exact)
        dec = ""
        if needs_decimal(e.exact, digits):
            dec = r" \approx " + ctx.decimal(e.exact, digits)
            if exact_tex.count("frac") > 1 or len(exact_tex) > ERRATA_EXACT_LENGTH or _nested_exp(e.exact):
                exact_tex, dec = r"\approx " + ctx.decimal(e.exact, digits), ""
        detail = _DETAIL.sub("", e.cause)  # the kind column already says "slip" or "carried"
        lines.append(
            f"{e.section} & {e.quantity} & {e.stated.replace(',', '{,}')} & {exact_tex}{dec} & {e.kind} & {detail} \\\\"
        )
    lines += [r"\bottomrule", r"\end{longtable}", "}"]
    return "\n".join(lines)


def render(sections: Sequence[str] | None = None, digits: int = 3) -> dict[str, str]:
    """File name → LaTeX text of the whole handout."""
    ctx = Context(digits=digits)
    files: dict[str, str] = {}
    inputs = []
    numbers = {key: i + 1 for i, key in enumerate(CHAPTERS)}
    for key, module in available(sections):
        name = f"{numbers[key]:02d}-{key}"
        files[f"{name}.tex"] = module.chapter(ctx).rstrip() + "\n"
        # Chapters keep the source's numbers even when only some are built.
        inputs.append(f"\\setcounter{{section}}{{{numbers[key] - 1}}}\n\\input{{{name}}}")
    appendix = errata_appendix(ctx.errata, ctx)
    if appendix:
        files["99-errata.tex"] = appendix + "\n"
        inputs.append("\\input{99-errata}")
    body = "\n".join(inputs)
    files["handout.tex"] = document(
        ABSTRACT + "\\tableofcontents\n\\clearpage\n" + body, title=TITLE, author="Derived exactly by exactml"
    )
    return files


def standalone(body: str, title: str, author: str = "Derived exactly by exactml", contents: bool = False) -> str:
    """A document that compiles on its own: the handout's packages, a title page, ``body``.

    ``title`` and ``author`` are LaTeX (escape user text first); ``contents``
    adds a table of contents on a page of its own.
    """
    front = "\\tableofcontents\n\\clearpage\n" if contents else ""
    return document(front + body.rstrip(), title=title, author=author)


def build(
    out_dir: str | Path, sections: Sequence[str] | None = None, digits: int = 3, force: bool = False
) -> list[Path]:
    """Write the handout's .tex files into ``out_dir``; return their paths.

    Only files a previous build wrote there are replaced or deleted (see
    :mod:`exactml.handout.output`); a folder holding other files is refused
    unless ``force``.
    """
    return write_folder(out_dir, render(sections, digits), force=force)


class LatexError(RuntimeError):
    """TeX is missing or failed; the message is one line naming the log and the cause."""


class LatexNotInstalled(LatexError):
    pass


# The Debian packages that provide every file the handout's compile reads (the README's apt line;
# a test checks it against a compile's .fls, and .ci/run installs the same list).
TEX_PACKAGES = (
    "texlive-base texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-pictures lmodern latexmk"
)
_INSTALL = f"on Debian or Ubuntu: apt-get install {TEX_PACKAGES}; or compile the .tex yourself"
_MISSING = re.compile(
    r"File `([^']+)' not found|Font \S+=(\S+) .*not loadable|"
    r"(\S+\.(?:pfb|enc|map|tfm))\)?: cannot open|pdflatex: (?:command )?not found"
)


def _cause(log: str) -> str:
    """The first error of a LaTeX log, in a few words (a file TeX Live lacks is named, with its packages)."""
    missing = _MISSING.search(log)
    if missing:
        name = next((g for g in missing.groups() if g), "pdflatex")
        package = name.rsplit(".", 1)[0] if name.endswith((".sty", ".cls")) else name
        return f"the LaTeX package {package!r} is missing: TeX Live lacks {name} ({_INSTALL})"
    for line in log.splitlines():
        if line.startswith("! "):
            return line[2:].strip()
    return "see the log"


def compile_pdf(out_dir: str | Path, main: str = "handout.tex", timeout: float = 600) -> Path:
    """Run ``latexmk -pdf`` on ``main`` in ``out_dir``; return the PDF's path.

    Raises :class:`LatexNotInstalled` without latexmk, and :class:`LatexError` with a one-line
    message naming the log file and, when TeX Live lacks a file, that file and the packages to install.
    """
    if shutil.which("latexmk") is None:
        raise LatexNotInstalled(f"cannot build the PDF: latexmk is not installed ({_INSTALL})")
    out = Path(out_dir)
    stem = main.removesuffix(".tex")
    log = out / f"{stem}.log"
    try:
        proc = subprocess.run(
            ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", main],
            cwd=out,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LatexError(f"latexmk ran past {timeout:.0f} s on {out / main}; see {log}") from None
    except OSError as err:
        raise LatexError(f"latexmk could not be run on {out / main}: {err.strerror or err}") from None
    if proc.returncode != 0:
        text = proc.stdout + proc.stderr + (log.read_text(encoding="utf-8", errors="replace") if log.is_file() else "")
        raise LatexError(f"latexmk failed on {out / main}: {_cause(text)}; see {log}")
    return out / f"{stem}.pdf"
