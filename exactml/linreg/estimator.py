"""Linear regression by the normal equations: the scikit-learn face."""

from __future__ import annotations

from typing import Any, Sequence

import sympy

from ..arith.lazy import learned
from ..exact import (
    check_feature_count,
    check_is_fitted,
    check_lengths,
    checked_feature_names,
    column_names,
    exact,
    exact_matrix,
    exact_vector,
)
from .steps import normal_equations


class LinearRegression:
    """Least squares by the normal equations XᵀXw = Xᵀy, in exact arithmetic.

    >>> from exactml import LinearRegression
    >>> model = LinearRegression().fit([[1], [2], [3]], [1, 2, 3])
    >>> model.intercept_, model.coef_
    (0, [1])

    ``alpha > 0`` adds an exact ridge penalty α‖w‖² on the coefficients (not
    on the intercept), which makes every system solvable.
    """

    def __init__(self, fit_intercept: bool = True, alpha: Any = 0):
        self.fit_intercept = fit_intercept
        self.alpha = alpha

    # -------------------------------------------------------------- fitting
    def fit(self, X: Any, y: Any, feature_names: Sequence[str] | None = None) -> "LinearRegression":
        names = list(feature_names) if feature_names is not None else column_names(X)
        rows = exact_matrix(X, "X", columns=names)
        target = exact_vector(y, "y")
        check_lengths(rows, target)
        alpha = exact(self.alpha)
        if alpha.is_number and alpha < 0:
            raise ValueError(f"alpha must be 0 or positive, got {alpha}")
        p = len(rows[0])
        self.feature_names_in_ = checked_feature_names(names, p)
        self.n_features_in_ = p
        self.derivation_ = normal_equations(rows, target, self.feature_names_in_, self.fit_intercept, alpha)
        w = self.derivation_["w"].result
        self._intercept, self._coef = (w[0], list(w[1:])) if self.fit_intercept else (sympy.Integer(0), list(w))
        # Shown safely: a value too long to print (data with 10**5000 in it) is a LargeValue, its .exact one step away.
        self.intercept_, self.coef_ = learned(self._intercept), [learned(c) for c in self._coef]
        return self

    def predict(self, X: Any) -> list:
        """Exact predictions ŷ = w₀ + Σ wⱼxⱼ for each row of X."""
        check_is_fitted(self, "coef_")
        rows = exact_matrix(X, "X")
        check_feature_count(self, rows)
        return [learned(sympy.expand(self._intercept + sum(c * x for c, x in zip(self._coef, r)))) for r in rows]
