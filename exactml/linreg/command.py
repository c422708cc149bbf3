"""The command line's linear-regression deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from typing import Any, Sequence

from ..cli.readers import split_target
from ..derivation import Derivation
from .estimator import LinearRegression


def derive_table(header: Sequence[str], body: Sequence[Sequence[str]], target: str | None = None,
                 alpha: Any = 0) -> Derivation:
    """The derivation for a CSV table: every column but ``target`` is a feature."""
    features, X, y = split_target(header, body, target, "the column to predict")
    return LinearRegression(alpha=alpha).fit(X, y, feature_names=features).derivation_
