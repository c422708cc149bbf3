"""The command line's decision-tree deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from typing import Any, Sequence

from ..cli.readers import split_target
from ..derivation import Derivation
from .estimator import DecisionTreeClassifier, _whole


def derive_table(header: Sequence[str], body: Sequence[Sequence[str]], target: str | None = None,
                 criterion: str = "gini", max_depth: Any = None, min_samples_split: Any = 2) -> Derivation:
    """The derivation for a CSV table: every column but ``target`` is a feature."""
    features, X, y = split_target(header, body, target, "the column of classes to predict")
    depth = None if max_depth in (None, "", "none", "None") else _whole(max_depth, "max_depth")
    model = DecisionTreeClassifier(criterion, depth, _whole(min_samples_split, "min_samples_split"))
    return model.fit(X, y, feature_names=features).derivation_
