"""The command line's decision-tree deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cli.options import Command, Option, one_of, whole
from ..cli.readers import split_target
from ..derivation import Derivation
from .estimator import DecisionTreeClassifier, _whole


def _depth(value: str) -> object:
    return None if value.lower() == "none" else whole(1)(value)


COMMAND = Command(
    data="feature columns (words or numbers) and one column of classes",
    target="the column of classes (required)",
    example="exactml derive tree --data weather.csv --target Play -o criterion=entropy",
    options=(
        Option(
            "criterion", "impurity measure: gini or entropy", "entropy", default="gini", check=one_of("gini", "entropy")
        ),
        Option(
            "max_depth", "stop splitting at this depth (a whole number ≥ 1, or none)", "2", default="none", check=_depth
        ),
        Option(
            "min_samples_split", "a node with fewer examples than this is not split", "3", default="2", check=whole(2)
        ),
    ),
)


def derive_table(
    header: Sequence[str],
    body: Sequence[Sequence[str]],
    target: str | None = None,
    criterion: str = "gini",
    max_depth: Any = None,
    min_samples_split: Any = 2,
) -> Derivation:
    """The derivation for a CSV table: every column but ``target`` is a feature."""
    features, X, y = split_target(header, body, target, "the column of classes to predict")
    depth = None if max_depth in (None, "", "none", "None") else _whole(max_depth, "max_depth")
    model = DecisionTreeClassifier(criterion, depth, _whole(min_samples_split, "min_samples_split"))
    return model.fit(X, y, feature_names=features).derivation_
