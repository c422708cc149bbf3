"""The command line's k-NN deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from typing import Sequence

from ..cli.readers import split_target
from ..derivation import Derivation
from ..exact import exact_vector
from .estimator import KNeighborsClassifier


def derive_table(header: Sequence[str], body: Sequence[Sequence[str]], target: str | None = None,
                 k: str = "3", query: str = "38,65,710", weights: str = "uniform",
                 metric: str = "euclidean", p: str = "2") -> Derivation:
    """The derivation for a CSV table: ``target`` is the class column, the others are features."""
    features, X, labels = split_target(header, body, target, "the column holding the classes")
    try:
        n_neighbors = int(str(k).strip())
    except ValueError:
        raise ValueError(f"k must be a whole number, got {k!r}") from None
    q = exact_vector([s for s in str(query).split(",")], "query")
    model = KNeighborsClassifier(n_neighbors, weights=weights, metric=metric, p=p)
    model.fit(X, labels, feature_names=features, target_name=target)
    return model.explain(q)
