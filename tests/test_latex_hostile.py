"""User strings in generated LaTeX always compile: brackets, unicode letters, bidi controls, TeX specials."""

import shutil
import subprocess
from pathlib import Path

import pytest

import exactml
from exactml.latex.render import tex_escape

HOSTILE = ["[size", "α β", "价格", "a\u202eb", "R&D_%$#{}~^\\", "é-x", '<>|"', "Ω😀", "x\u200dy\u0301", "Σ₁ᵀ", "a]b"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[yes", "{[}yes"),
        ("a]b", "a{]}b"),
        ("α", r"\ensuremath{\alpha}"),
        ("Ω", r"\ensuremath{\Omega}"),
        ("Α", r"\ensuremath{\mathrm{A}}"),  # a capital alpha looks like A
        ("ς", r"\ensuremath{\varsigma}"),
        ("price\u202e", "price"),  # a right-to-left override is dropped
        ("zero\u200bwidth", "zerowidth"),
        ("café", "café"),  # Latin-1 letters are typeset by pdflatex as they are
        ("cafe\u0301", "café"),  # a combining accent is composed first
        ("Łódź", "Łódź"),
        ("价", "{[}U+4EF7{]}"),  # no font here has it: its code point, readable and compilable
        ("x₁", r"x\textsubscript{1}"),
        ("a\nb", "a b"),  # a newline in a CSV field must not end the paragraph
        ("R&D_%", r"R\&D\_\%"),
    ],
)
def test_tex_escape(text, expected):
    assert tex_escape(text) == expected


def _hostile_documents():
    """Derivations whose feature names, targets and classes are all hostile strings."""
    names = HOSTILE
    yield (
        exactml.LinearRegression()
        .fit([[1, 2, 3], [2, 3, 1], [3, 1, 2], [4, 4, 4], [5, 2, 1]], [4, 5, 7, 9, 11], feature_names=names[:3])
        .derivation_
    )
    yield (
        exactml.DecisionTreeClassifier(max_depth=2)
        .fit(
            [["[a", "α"], ["価", "b\u202e"], ["[a", "b\u202e"], ["価", "α"], ["[a", "α"]],
            ["[yes", "价格", "[yes", "价格", "价格"],
            feature_names=[names[0], names[4]],
        )
        .derivation_
    )
    yield (
        exactml.KNeighborsClassifier(n_neighbors=3)
        .fit([[1, 2], [2, 3], [3, 1], [5, 5]], ["[yes", "α", "价格", "α"], feature_names=[names[1], names[5]])
        .explain([2, 2])
    )
    yield (
        exactml.KMeans(n_clusters=2, init=[[1, 2], [8, 9]])
        .fit([[1, 2], [2, 1], [8, 9], [9, 8]], feature_names=[names[0], names[2]])
        .derivation_
    )
    yield (
        exactml.SVC()
        .fit([[1, 2], [2, 3], [-1, -1], [-2, 0]], ["[pos", "[pos", "négatif α", "négatif α"], feature_names=names[6:8])
        .derivation_
    )


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex (TeX Live) is not installed")
def test_derivations_with_hostile_names_compile_with_pdflatex(tmp_path):
    preamble = Path(__file__).parents[1] / "latex_out" / "handout.tex"
    head = preamble.read_text(encoding="utf-8").split(r"\begin{document}")[0]
    body = "\n\n".join(d.to_latex() for d in _hostile_documents())
    (tmp_path / "hostile.tex").write_text(head + "\\begin{document}\n" + body + "\n\\end{document}\n", encoding="utf-8")
    proc = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "hostile.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    errors = [line for line in proc.stdout.splitlines() if line.startswith("!")]
    assert proc.returncode == 0, errors or proc.stdout[-2000:]
    assert (tmp_path / "hostile.pdf").stat().st_size > 0
