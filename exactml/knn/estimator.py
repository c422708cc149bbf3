"""k-nearest neighbours: the scikit-learn face.

``derivation_`` holds the training data (step ``data``) and, one nested
derivation per query (``query1``, ``query2``, …), the explanation of every
point given to ``kneighbors`` or ``predict`` (the first few of each call, the
latest ones kept); the step keys of each query are those of ``explain(q)``
(see :mod:`exactml.knn.steps`).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..arith import distance as dist
from ..arith.lazy import learned
from ..arith.nearest import common_scale, nearest_keys, scale_points
from ..derivation import Derivation
from ..exact import (
    check_feature_count,
    check_is_fitted,
    check_lengths,
    checked_feature_names,
    column_names,
    exact_matrix,
    exact_vector,
)
from .steps import _distance, _label_order, _weighted_winner, explain_query, uniform_vote

WEIGHTS = ("uniform", "distance")
# derivation_ explains the first queries of each kneighbors/predict call, and keeps the latest ones.
EXPLAINED_PER_CALL = 5
EXPLAINED_KEPT = 20


class KNeighborsClassifier:
    """Classify by the majority class of the k nearest training points, exactly.

    >>> from exactml import KNeighborsClassifier
    >>> X = [[25, 40, 650], [35, 60, 700], [45, 80, 750], [30, 50, 600], [40, 70, 720]]
    >>> y = ["No", "Yes", "Yes", "No", "Yes"]
    >>> model = KNeighborsClassifier(n_neighbors=3).fit(X, y)
    >>> model.predict([[38, 65, 710]])
    ['Yes']
    >>> model.kneighbors([38, 65, 710])
    ([sqrt(129), sqrt(134), sqrt(1874)], [4, 1, 2])
    """

    def __init__(self, n_neighbors: int = 5, weights: str = "uniform", metric: str = "euclidean", p: Any = 2):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.p = p

    # -------------------------------------------------------------- fitting
    def fit(
        self, X: Any, y: Any, feature_names: Sequence[str] | None = None, target_name: str | None = None
    ) -> "KNeighborsClassifier":
        """Store the training data (k-NN learns nothing else); validate it once."""
        k = _check_k(self.n_neighbors)
        if self.weights not in WEIGHTS:
            raise ValueError(f"weights must be 'uniform' or 'distance', got {self.weights!r}")
        power = dist.metric_power(self.metric, self.p)
        names = list(feature_names) if feature_names is not None else column_names(X)
        rows = exact_matrix(X, "X", columns=names, rational="k-NN")
        labels = exact_vector(y, "y", allow_text=True)
        check_lengths(rows, labels)
        if k > len(rows):
            raise ValueError(
                f"n_neighbors={k} but there are only {len(rows)} training points: choose n_neighbors ≤ {len(rows)}"
            )
        width = len(rows[0])
        self.feature_names_in_ = checked_feature_names(names, width)
        self.target_name_ = str(target_name if target_name is not None else getattr(y, "name", None) or "class")
        self.n_features_in_ = width
        self.n_samples_fit_ = len(rows)
        self.power_ = power
        self.X_ = rows
        self.y_ = labels
        self.classes_ = sorted(set(labels), key=_label_order)
        self._points = scale_points(rows)
        self._explained: list[tuple[int, list]] = []  # (query number, query point)
        self._queries_seen = 0
        return self

    @property
    def derivation_(self) -> Derivation:
        """The training data, then the explanation of each query given to ``kneighbors`` or ``predict``."""
        check_is_fitted(self, "X_")
        d = Derivation(
            f"{self.n_neighbors}-nearest neighbours",
            key="knn",
            intro="k-NN learns nothing at fit time: it keeps the training data and explains each "
            "query by looking it up among them.",
        )
        explained = [(number, explain_query(self, q)) for number, q in self._explained]
        data = explained[0][1]["data"] if explained else explain_query(self, list(self.X_[0]))["data"]
        d.add(data)
        for number, steps in explained:
            d.add(Derivation(f"Query {number}", key=f"query{number}", items=[s for s in steps if s.key != "data"]))
        return d

    def _remember(self, rows: list[list[Any]]) -> None:
        for q in rows[:EXPLAINED_PER_CALL]:
            self._queries_seen += 1
            self._explained.append((self._queries_seen, q))
        del self._explained[:-EXPLAINED_KEPT]

    def _queries(self, Q: Any, name: str) -> list[list[Any]]:
        rows = exact_matrix(Q, name, rational="k-NN")
        check_feature_count(self, rows, name)
        return rows

    def _nearest(self, rows: list[list[Any]], k: int) -> tuple[list[list[tuple[int, int]]], int]:
        """(key, index) of the k nearest per query, keys in units of 1/scale^p; and the scale."""
        scale = math.lcm(self._points.scale, common_scale(rows))
        train = self._points if scale == self._points.scale else scale_points(self.X_, scale)
        return nearest_keys(train, scale_points(rows, scale), k, self.power_), scale

    # -------------------------------------------------------------- queries
    def kneighbors(self, X: Any, n_neighbors: int | None = None) -> tuple[list, list]:
        """Exact distances and indices of the nearest training points, nearest first.

        Given one point (a flat sequence) the result is two lists; given rows
        of points, a list per row.
        """
        check_is_fitted(self, "X_")
        k = _check_k(self.n_neighbors if n_neighbors is None else n_neighbors)
        if k > self.n_samples_fit_:
            raise ValueError(f"n_neighbors={k} but there are only {self.n_samples_fit_} training points")
        single = _is_single_point(X)
        rows = self._queries([X] if single else X, "the query" if single else "X")
        found, scale = self._nearest(rows, k)
        self._remember(rows)
        distances = [[learned(_distance(key, scale, self.power_)) for key, _ in row] for row in found]
        indices = [[i for _, i in row] for row in found]
        return (distances[0], indices[0]) if single else (distances, indices)

    def predict(self, X: Any) -> list:
        """The predicted class of every row of ``X``."""
        check_is_fitted(self, "X_")
        if _is_single_point(X):
            raise ValueError("predict takes rows of query points; for one point write [[x1, x2, ...]]")
        rows = self._queries(X, "X")
        found, scale = self._nearest(rows, self.n_neighbors)
        self._remember(rows)
        out = []
        for row in found:
            classes = [self.y_[i] for _, i in row]
            if self.weights == "uniform":
                out.append(uniform_vote(classes)[0])
            else:
                out.append(_weighted_winner(classes, [key for key, _ in row], scale, self.power_))
        return out

    def explain(self, q: Any) -> Derivation:
        """The derivation of the prediction for one query point."""
        check_is_fitted(self, "X_")
        if not _is_single_point(q):
            raise ValueError("explain takes one query point, e.g. [38, 65, 710]")
        query = self._queries([q], "the query")[0]
        return explain_query(self, query)


def _check_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"n_neighbors must be a whole number ≥ 1, got {k!r}")
    return k


def _is_single_point(X: Any) -> bool:
    """A flat sequence of numbers (one point), as opposed to rows of points."""
    if hasattr(X, "ndim"):
        return X.ndim == 1
    if not isinstance(X, Sequence) or isinstance(X, (str, bytes)):
        return False
    return len(X) > 0 and not any(hasattr(v, "__iter__") and not isinstance(v, (str, bytes)) for v in X)
