"""The handout reads as written by a teacher: no sentence of more than eight words twice in a chapter.

The chapters' LaTeX is stripped to its prose (displays and tables dropped,
inline math reduced to a placeholder, so that two sentences differing only in
their numbers count as the same template) and split into sentences.
"""

import collections
import re

import pytest

from exactml import handout

DISPLAYS = re.compile(
    r"(?s)\\begin\{(tikzpicture|forest|axis|align\*|gather\*|tabular|longtable|figure)\}.*?\\end\{\1\}"
    r"|\\\[.*?\\\]"
)


def prose(tex: str) -> str:
    tex = DISPLAYS.sub(" ", tex)
    tex = re.sub(r"\$[^$]*\$", "M", tex)
    tex = re.sub(r"~?\\ref\{[^{}]*\}", "", tex)  # "Appendix~\ref{…}" reads as one word, "Appendix A"
    tex = re.sub(
        r"\\(?:emph|textbf|text|paragraph|subsection\*?|subsubsection\*?|section|label|ref)\{([^{}]*)\}", r"\1", tex
    )
    tex = re.sub(r"\\[a-zA-Z]+\*?|[{}~]", " ", tex)
    return tex


def sentences(tex: str) -> list[str]:
    out = []
    for s in re.split(r"(?<=[.!?])\s+|\n\s*\n", prose(tex)):
        s = " ".join(s.split())
        if len(s.split()) > 8:
            out.append(s)
    return out


def test_the_sentence_splitter_sees_repeats():
    tex = (
        "\\emph{Why.} The split that leaves the least impurity is the best one here. $x = 1$.\n\n"
        "\\[ a = b \\]\nThe split that leaves the least impurity is the best one here."
    )
    assert collections.Counter(sentences(tex)).most_common(1)[0][1] == 2


@pytest.fixture(scope="module")
def chapters():
    return handout.render()


@pytest.mark.parametrize(
    "name",
    [
        "01-intro.tex",
        "02-linreg.tex",
        "03-tree.tex",
        "04-svm.tex",
        "05-knn.tex",
        "06-kmeans.tex",
        "07-nn.tex",
        "08-conclusion.tex",
        "99-errata.tex",
    ],
)
def test_no_long_sentence_twice_in_a_chapter(chapters, name):
    counts = collections.Counter(sentences(chapters[name]))
    repeated = {s: n for s, n in counts.items() if n > 1}
    assert not repeated, repeated


def test_no_tool_internals_in_the_text(chapters):
    # How the solver or the sampler ran is no part of the mathematics: no round counts, no seeds.
    assert "rounds)" not in chapters["04-svm.tex"] and "active-set method" not in chapters["04-svm.tex"]
    assert "seed" not in chapters["06-kmeans.tex"] and "reproducible draw" not in chapters["06-kmeans.tex"]
    # Nor rules that cannot apply: no feature of the tree's data is numeric.
    assert "midpoint" not in chapters["03-tree.tex"] and "1 of 1" not in chapters["03-tree.tex"]
