"""The command line's linear-regression deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cli.options import Command, Option, number
from ..cli.readers import split_target
from ..derivation import Derivation
from .estimator import LinearRegression

COMMAND = Command(
    data="numeric feature columns and one numeric column to predict",
    target="the column to predict (required)",
    example="exactml derive linreg --data houses.csv --target price",
    options=(
        Option(
            "alpha",
            "ridge penalty: minimise SSE + alpha·|w|² (0: ordinary least squares; alpha > 0 also "
            "fits when XᵀX is singular)",
            "1/2",
            default="0",
            check=number,
        ),
    ),
)


def derive_table(
    header: Sequence[str], body: Sequence[Sequence[str]], target: str | None = None, alpha: Any = 0
) -> Derivation:
    """The derivation for a CSV table: every column but ``target`` is a feature."""
    features, X, y = split_target(header, body, target, "the column to predict")
    return LinearRegression(alpha=alpha).fit(X, y, feature_names=features).derivation_
