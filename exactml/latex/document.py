"""A complete LaTeX document around a body of exactml's LaTeX: the preamble it needs, and compiling it.

The handout and ``to_latex(standalone=True)`` share one preamble, so that
anything exactml typesets (matrices, tables, tree and scatter figures)
compiles the same way in both.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

PACKAGES = r"""\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage[a4paper,margin=2.4cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{booktabs}
\usepackage{array}
\usepackage{longtable}
\usepackage{microtype}
\usepackage{xcolor}
\usepackage{tikz}
\usetikzlibrary{arrows.meta,positioning}
\usepackage{pgfplots}
\pgfplotsset{compat=1.18}
\usepackage{forest}
\usepackage[colorlinks=true,linkcolor=blue!50!black,urlcolor=blue!50!black]{hyperref}
\setcounter{secnumdepth}{3}
\setcounter{tocdepth}{3}
\allowdisplaybreaks
\renewcommand{\arraystretch}{1.2}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
"""


def document(body: str, title: str | None = None, author: str | None = None) -> str:
    """``body`` (exactml's LaTeX) wrapped into a document that compiles with pdflatex.

    ``title`` and ``author`` are LaTeX (escape user text first); with a title
    the document opens with ``\\maketitle``.
    """
    head = "\\documentclass[11pt]{article}\n" + PACKAGES
    if title is not None:
        head += f"\\title{{{title}}}\n\\author{{{author or ''}}}\n\\date{{}}\n"
    start = "\\begin{document}\n" + ("\\maketitle\n" if title is not None else "")
    return head + start + body + "\n\\end{document}\n"


class LatexNotInstalled(RuntimeError):
    """latexmk (TeX Live) is not on the PATH."""


def compile_pdf(tex: str, path: str | Path) -> Path:
    """Compile the document ``tex`` with latexmk and write the PDF to ``path``; return the path."""
    if shutil.which("latexmk") is None:
        raise LatexNotInstalled(
            "latexmk is not installed; install TeX Live (Debian: apt-get install texlive-latex-base "
            "texlive-latex-recommended texlive-latex-extra texlive-pictures latexmk), or save to_latex("
            "standalone=True) to a .tex file and compile it yourself"
        )
    target = Path(path)
    with tempfile.TemporaryDirectory(prefix="exactml-") as tmp:
        source = Path(tmp) / "derivation.tex"
        source.write_text(tex, encoding="utf-8")
        proc = subprocess.run(
            ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", source.name],
            check=False,
            cwd=tmp,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            tail = "\n".join(proc.stdout.splitlines()[-20:])
            raise ValueError(f"LaTeX could not compile the document (latexmk failed):\n{tail}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(tmp) / "derivation.pdf", target)
    return target
