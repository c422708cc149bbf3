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
    # support vector machines: the problems, the Lagrangian and its derivatives
    "x_i": "x_i",
    "phi_xi": r"\phi(x_i)",
    "alpha": r"\alpha",
    "alpha_i": r"\alpha_i",
    "alpha_star": r"\alpha^*",
    "lambda_i": r"\lambda_i",
    "checkmark": r"\checkmark",
    "cross": r"\times",
    "svm_primal_hard": r"\min_{w,\,b}\ \frac{1}{2}\lVert w\rVert^2 \quad\text{subject to}\quad "
    r"y_i\left(w^T #1 + b\right) \ge 1",
    "svm_primal_soft": r"\min_{w,\,b,\,\xi}\ \frac{1}{2}\lVert w\rVert^2 + C \sum_{i=1}^{n} \xi_i "
    r"\quad\text{subject to}\quad y_i\left(w^T #1 + b\right) \ge 1 - \xi_i,\ \ \xi_i \ge 0",
    "L": r"L(w, b, \alpha)",
    "svm_lagrangian_hard": r"\frac{1}{2}\lVert w\rVert^2 - \sum_{i=1}^{n} \alpha_i\left[y_i\left(w^T #1 + b\right) - 1\right]",
    "svm_lagrangian_soft": r"\frac{1}{2}\lVert w\rVert^2 + C\sum_i \xi_i - \sum_{i=1}^{n} "
    r"\alpha_i\left[y_i\left(w^T #1 + b\right) - 1 + \xi_i\right] - \sum_i \mu_i \xi_i",
    "svm_lagrange_term": r"\alpha_i\left[y_i\left(w^T x_i + b\right) - 1\right]",
    "svm_lagrange_sum": r"\sum_{i=1}^{#1} \alpha_i\left[\dots\right]_i",
    "max_W": r"\max_{\alpha}\ W(\alpha)",
    "svm_dual_objective": r"\sum_{i=1}^{n} \alpha_i - \frac{1}{2}\sum_{i=1}^{n}\sum_{j=1}^{n} \alpha_i \alpha_j y_i y_j\, #1",
    "xTx_ij": r"x_i^T x_j",
    "K_ij": r"K(x_i, x_j)",
    "svm_dual_constraints_hard": r"\text{subject to}\quad \alpha_i \ge 0,\quad \sum_{i=1}^{n} \alpha_i y_i = 0",
    "svm_dual_constraints_soft": r"\text{subject to}\quad 0 \le \alpha_i \le C,\quad \sum_{i=1}^{n} \alpha_i y_i = 0",
    "dL_dw": r"\frac{\partial L}{\partial w}",
    "dL_dw_k": r"\frac{\partial L}{\partial w_{#1}}",
    "dL_db": r"\frac{\partial L}{\partial b}",
    "dL_dxi_1": r"\frac{\partial L}{\partial \xi_1}",
    "svm_dL_dw": r"w - \sum_i \alpha_i y_i #1",
    "minus_sum_alpha_y": r"-\sum_i \alpha_i y_i",
    "L_of_w_alpha": r"L\bigl(w(\alpha), b, \alpha\bigr)",
    "sum_alpha": r"\sum_i \alpha_i",
    "half_Q": r"\frac{1}{2} Q(\alpha)",
    "Q": r"Q(\alpha)",
    "W": r"W(\alpha)",
    "W_star": r"W(\alpha^*)",
    "svm_w_family": r"\sum_i \alpha_i#1\, y_i x_i",
    "svm_W_family": r"W\bigl(\alpha#1\bigr)",
    "sum_alpha_star_y": r"\sum_i \alpha_i^* y_i",
    "sum_alpha_star_y_x": r"\sum_i \alpha_i^* y_i x_i",
    "svm_primal_value_hard": r"\frac{1}{2}\lVert w\rVert^2",
    "svm_primal_value_soft": r"\frac{1}{2}\lVert w\rVert^2 + C\sum_i \xi_i",
    "norm_w": r"\lVert w\rVert",
    "norm_w_sq": r"\lVert w\rVert^2",
    "margin": r"\text{margin}",
    "wT": "w^T #1",
    "svm_kernel_score": r"\sum_j \alpha_j y_j K(x_j, x_{#1})",
    "svm_decision_linear": "w^T x + b",
    "svm_decision_kernel": r"\sum_i \alpha_i^* y_i K(x_i, x) + b",
    "sum_lambda_y_x": r"\sum_i \lambda_i y_i x_i",
    "sum_lambda_y": r"\sum_i \lambda_i y_i",
    "svm_weighted_mean_pos": r"\frac{\sum_{y_i = +1} \lambda_i x_i}{\sum_{y_i = +1} \lambda_i}",
    # kernels
    "xTz": "x^T z",
    "phi_x": r"\phi(x)",
    "phi_k_x": r"\phi_k(x)",
    "phi_k_z": r"\phi_k(z)",
    "phi_k_x_phi_k_z": r"\phi_k(x)\,\phi_k(z)",
    "phiT_phi": r"\phi(x)^T \phi(z)",
}
