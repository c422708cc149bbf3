"""Stage 1: math and tables found in LaTeX, Markdown and plain text, with 1-based lines."""

import pytest

from exactml.checker.extract import extract, section_lines, tables

CASES = [
    # (document, expected [(line, latex, display)])
    ("Let $b = 12$.", [(1, "b = 12", False)]),
    ("a\n$$x = 1$$\n", [(2, "x = 1", True)]),
    ("a\n$$\nx = 1\n$$", [(3, "x = 1", True)]),
    ("one \\[ y = 2 \\] two \\( z = 3 \\)", [(1, "y = 2", True), (1, "z = 3", False)]),
    ("\\begin{equation}\n  a = 1\n\\end{equation}", [(2, "a = 1", True)]),
    ("\\begin{align*}\na &= 1 \\\\\n&= 2\n\\end{align*}", [(2, "a &= 1 \\\\\n&= 2", True)]),
    ("Price (\\$1000) and \\$5", []),
    ("(25,40,650)\t$\\sqrt{134} \\approx 11.58$\tNo", [(1, "\\sqrt{134} \\approx 11.58", False)]),
    ("a & $1 + 1 = 2$ & b \\\\", [(1, "1 + 1 = 2", False)]),
    ("costs $5\n\nand $6", []),
    ("```\n$x = 1$\n```\n$y = 2$", [(4, "y = 2", False)]),
    ("Use `$x = 1$` here, and $y = 2$.", [(1, "y = 2", False)]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_extract_finds_math_with_its_line(text, expected):
    assert [(m.line, m.latex, m.display) for m in extract(text)] == expected


def test_latex_comments_and_preamble_are_not_math():
    doc = "\\documentclass{article}\n\\newcommand{\\x}{$1 = 2$}\n\\begin{document}\n% $3 = 4$\n$5 = 5$\n\\end{document}"
    assert [(m.line, m.latex) for m in extract(doc)] == [(5, "5 = 5")]


def test_prose_before_the_math_is_kept_for_context():
    (m,) = extract("Forward pass for input (0,1): $x = 1$")
    assert m.prose == "Forward pass for input (0,1):"


@pytest.mark.parametrize(
    "text, lines",
    [
        ("intro\n2 Linear Regression: Step by Step\ntext\n2.1 Setup\n3 Trees", [2, 5]),
        ("# Title\n## Part one\ntext\n### deeper", [1, 2]),
        ("\\section{One}\nx\n\\subsection{Two}\n\\section*{Three}", [1, 4]),
        ("1. a numbered item.\n12 apples were sold.", []),
    ],
)
def test_top_level_sections_start_new_scopes(text, lines):
    assert section_lines(text) == lines


def test_math_is_numbered_by_section():
    doc = "1 One\n$a = 1$\n2 Two\n$b = 2$"
    assert [m.section for m in extract(doc)] == [1, 2]


def test_tab_separated_table_with_its_lines():
    doc = "Training Data:\n\nX1\tX2\tClass\n1\t2\t+1\n2\t3\t-1\n\nafter"
    (t,) = tables(doc)
    assert t.line == 3
    assert t.header == ("X1", "X2", "Class")
    assert t.rows == ((4, ("1", "2", "+1")), (5, ("2", "3", "-1")))


def test_markdown_table_skips_the_rule_line():
    doc = "| Feature | Gain |\n|---|---|\n| Age | 0.055 |\n| Student | 0.111 |"
    (t,) = tables(doc)
    assert t.header == ("Feature", "Gain")
    assert [cells for _, cells in t.rows] == [("Age", "0.055"), ("Student", "0.111")]


def test_latex_tabular_rows_and_lines():
    doc = (
        "\\begin{tabular}{ll}\n\\toprule\nPoint & d1 \\\\\n\\midrule\n(2,8) & 0 \\\\\n(4,6) & 2.83 \\\\\n"
        "\\bottomrule\n\\end{tabular}"
    )
    (t,) = tables(doc)
    assert t.header == ("Point", "d1")
    assert t.rows == ((5, ("(2,8)", "0")), (6, ("(4,6)", "2.83")))


def test_a_line_break_with_spacing_is_not_display_math():
    doc = "a \\\\[10pt] b $x = 1$ c \\\\[2pt]"
    assert [m.latex for m in extract(doc)] == ["x = 1"]


def test_figure_labels_are_not_claims():
    doc = (
        "\\section{A}\n$a = 2$\n\\begin{tikzpicture}\n\\node at (0,0) {$a \\approx 0.731$};\n"
        "\\end{tikzpicture}\n\\begin{forest}\n[{$z = 1$}]\n\\end{forest}\n$a + 1 = 3$\n"
    )
    assert [m.latex for m in extract(doc)] == ["a = 2", "a + 1 = 3"]
