"""The recomputation stage on small documents, one recogniser at a time.

Expected values by hand: for X = [[1,1],[1,2],[1,3]], y = (1,2,3): XᵀX = [[3,6],[6,14]],
Xᵀy = (6, 14), w = (0, 1).
"""

import builtins
import sys

from exactml.checker import check

LINREG = r"""$X = \begin{bmatrix} 1 & 1 \\ 1 & 2 \\ 1 & 3 \end{bmatrix}, y = \begin{bmatrix} 1 \\ 2 \\ 3 \end{bmatrix}$

Then $w = \begin{bmatrix} a & b \\ c & d \end{bmatrix} \begin{bmatrix} 6 \\ 15 \end{bmatrix}$.
"""


def recomputed(text):
    return [c for c in check(text, recompute=True).claims if c.recomputed]


def test_a_quoted_matrix_that_is_almost_a_quantity_is_flagged():
    (c,) = recomputed(LINREG)
    assert c.line == 3 and c.status == "wrong"
    assert c.stated == "(6, 15)ᵀ" and c.exact == "(6, 14)ᵀ"
    assert "X^T y" in c.message


def test_a_correct_quoted_matrix_is_not_flagged():
    assert recomputed(LINREG.replace("15", "14")) == []


def test_without_recompute_nothing_is_recomputed():
    assert not any(c.recomputed for c in check(LINREG).claims)


TREE = """Age\tStudent\tBuys
Youth\tNo\tNo
Youth\tYes\tYes
Middle\tNo\tYes
Senior\tNo\tYes
Senior\tYes\tYes
Senior\tNo\tNo

$I_{\\text{parent}} = \\frac{4}{9} \\approx 0.444$ and $IG_{\\text{age}} = 0.444 - 0.389 = 0.055$.

Feature\tInformation Gain
Age\t0.055
Student\t0.111
"""


def test_gains_stated_by_name_and_in_a_table_are_recomputed():
    # parent (4 yes, 2 no): Gini 4/9; Age children (1,1), (1,0), (2,1): weighted 7/18; gain 1/18 = 0.0556
    # Student children (1,0)+(1,0) = (2,0) and (2,2): weighted 1/3; gain 1/9 = 0.111 (right)
    found = recomputed(TREE)
    assert [(c.line, c.stated, c.exact) for c in found] == [
        (9, "0.055", "1/18 ≈ 0.056"),
        (12, "0.055", "1/18 ≈ 0.056"),
    ]


KNN = """Age\tIncome\tGood
25\t40\tNo
35\t60\tYes
45\t80\tYes

New customer: Age=38, Income=65, k=2

1. (35,60): distance=5.83
2. (45,80): distance=16.00
"""


def test_distances_quoted_in_prose_are_recomputed():
    # (38,65)-(35,60): √(9+25) = √34 = 5.83 (right); (38,65)-(45,80): √(49+225) = √274 = 16.55
    (c,) = recomputed(KNN)
    assert (c.line, c.stated, c.exact) == (9, "16.00", "sqrt(274) ≈ 16.55")


KMEANS = """Spending\tVisits
2\t8
4\t6
8\t2
9\t3

Start from Cluster 1 center: (2,8) and Cluster 2 center: (8,2).

Point\td1\td2\tAssignment
(4,6)\t2.83\t5.66\tCluster 1
(9,3)\t9.22\t1.41\tCluster 1
"""


def test_a_plain_distance_table_is_recomputed():
    # (9,3): d1 = √(49+25) = √74 = 8.60 (stated 9.22), d2 = √2 = 1.41, so it belongs to cluster 2
    found = recomputed(KMEANS)
    assert [(c.line, c.stated) for c in found] == [(11, "9.22"), (11, "Cluster 1")]
    assert found[0].exact == "sqrt(74) ≈ 8.60"


def test_a_missing_engine_module_is_skipped(monkeypatch):
    real_import = builtins.__import__

    def no_knn(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "knn" or name.endswith(".knn"):
            raise ImportError("no exactml.knn.steps in this checkout")
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.delitem(sys.modules, "exactml.knn", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_knn)
    assert recomputed(KNN) == []


NETWORK = r"""X1	X2	Class
0	0	0
0	1	1

Weights: $W^{[1]} = \begin{bmatrix} 2 & 2 \\ 2 & 2 \end{bmatrix}$, $b^{[1]} = \begin{bmatrix} -1 \\ -3 \end{bmatrix}$,
$W^{[2]} = [2 \quad -4]$, $b^{[2]} = [-1]$

Forward pass for input (0,1): $a^{[1]} \approx \begin{bmatrix} 0.731 \\ 0.300 \end{bmatrix}$
and $z^{[2]} \approx -0.614$.
"""


def test_stated_activations_are_recomputed_from_the_weights():
    # z1 = [2·0 + 2·1 - 1; 2·0 + 2·1 - 3] = [1; -1], a1 = [σ(1); σ(-1)] = [0.731; 0.269] (stated 0.300);
    # z2 = 2σ(1) - 4σ(-1) - 1 = -0.6137 → -0.614 (right)
    (c,) = recomputed(NETWORK)
    assert c.line == 8 and c.source.startswith("a^[1] = ")
    assert c.exact == "(0.7311, 0.2689)ᵀ"
