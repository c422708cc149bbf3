"""The handout's fixed notation: how each named quantity is written.

Algorithm code names a quantity (``Notation("sse")``, see :mod:`exactml.records`);
this table says how it is typeset.  Changing the notation of a quantity is
one line here, for every algorithm at once.
"""

from __future__ import annotations

NOTATION: dict[str, str] = {
    # relations and operators used as table headings or in conditions
    "approx": r"\approx",
    "det": r"\det",
    # linear regression
    "Xt": "X^T",
    "XtX": "X^T X",
    "Xty": "X^T y",
    "ridge_system": r"X^T X + \alpha D",
    "y_hat": r"\hat{y}",
    "sse": r"\mathrm{SSE}",
    # decision trees
    "I_parent": r"I_{\text{parent}}",
    "H_parent": r"H_{\text{parent}}",
    "IG": r"\mathit{IG}",
    # distances, k-NN and K-means
    "mu": r"\mu",
    "sum_abs_diff": r"\sum_j |q_j - x_j|",
    "sum_D2_inline": r"\textstyle\sum D(x)^2",
    "J_assigned": r"J_{\text{assigned}}",
    "J_updated": r"J_{\text{updated}}",
}
