"""Stage 2: chains cut into sides and relations; definitions recognised."""

import pytest

from exactml.checker.claims import chains, chains_of
from exactml.checker.extract import extract

CASES = [
    # (math, [(sides, relations)])
    (r"a = b = c \approx d", [(("a", "b", "c", "d"), ("=", "=", "approx"))]),
    (
        r"X = \begin{bmatrix} 1 & 2 \end{bmatrix}, \quad y = 3",
        [(("X", r"\begin{bmatrix} 1 & 2 \end{bmatrix}"), ("=",)), (("y", "3"), ("=",))],
    ),
    (r"x = 10,930,000, y = 2", [(("x", "10,930,000"), ("=",)), (("y", "2"), ("=",))]),
    (
        r"\frac{\partial L}{\partial w} = 0 \Rightarrow w = 3",
        [((r"\frac{\partial L}{\partial w}", "0"), ("=",)), (("w", "3"), ("=",))],
    ),
    (r"a = 1 \text{ and } b = 2", [(("a", "1"), ("=",)), (("b", "2"), ("=",))]),
    (r"\text{New center}_1 = (3, 6.33)", [((r"\text{New center}_1", "(3, 6.33)"), ("=",))]),
    (r"a \leq b = c", [(("a", "b", "c"), ("leq", "="))]),
    (r"\sum_{i=1}^n x_i = 1", [((r"\sum_{i=1}^n x_i", "1"), ("=",))]),
    (r"y_i(w^T x_i + b) \geq 1 \quad \forall i", [((r"y_i(w^T x_i + b)", "1"), ("geq",))]),
    (r"X^T y = A =", [(("X^T y", "A", ""), ("=", "="))]),
    (r"x = 5.", [(("x", "5"), ("=",))]),
    (r"\min_{w,b} \frac{1}{2} \|w\|^2", []),
]


@pytest.mark.parametrize("math, expected", CASES)
def test_chains_are_split_at_top_level_relations(math, expected):
    assert [(c.sides, c.relations) for c in chains_of(math)] == expected


@pytest.mark.parametrize(
    "math, name",
    [
        (r"X = \begin{bmatrix} 1 & 2 \end{bmatrix}", "X"),
        (r"a = \frac{7}{4}", "a"),
        (r"b = 12", "b"),
        (r"z^{[2]} = W^{[2]}a^{[1]} + b^{[2]}", "z^[2]"),
        (r"I_{\text{parent}} = 1 - \frac{20}{36}", "I_parent"),
        (r"x \approx 3.14", "x"),
        (r"X^T X = \begin{bmatrix} 1 \end{bmatrix}", None),
        (r"4a - 3 = 5", None),
        (r"a \leq 3", None),
    ],
)
def test_a_bare_name_on_the_left_defines_it(math, name):
    (chain,) = chains_of(math)
    assert chain.defines == name


def test_align_rows_and_their_lines():
    body = "X^T y &= 1 + 2 \\\\\n&= 3 \\\\\nb &= 4"
    found = chains_of(body, line=10)
    assert [(c.sides, c.side_lines) for c in found] == [
        (("X^T y", "1 + 2", "3"), (10, 10, 11)),
        (("b", "4"), (12, 12)),
    ]


def test_rows_of_an_inner_aligned_environment_are_rows():
    body = "\\begin{aligned} a &= 1 + 1 \\\\ &= 2 \\end{aligned}"
    assert [c.sides for c in chains_of(body)] == [("a", "1 + 1", "2")]


def test_chains_of_a_document_keep_lines_and_sections():
    doc = "1 One\nLet $b = 12$ and\n\n$$b^2 = 144$$\n2 Two\n$c = 1$"
    found = chains(extract(doc))
    assert [(c.line, c.section, c.defines) for c in found] == [(2, 1, "b"), (4, 1, None), (6, 2, "c")]
