"""The command line's SVM deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cli.options import Command, Option, number, one_of, positive, whole
from ..cli.readers import split_target
from ..derivation import Derivation
from .estimator import SVC

HARD = ("", "none", "hard", "inf")


def _c(value: str) -> object:
    return None if value.lower() in HARD else positive(value)


COMMAND = Command(
    data="numeric feature columns and one column holding two class labels",
    target="the column of the two classes (required)",
    example="exactml derive svm --data points.csv --target label",
    options=(
        Option(
            "C", "soft-margin penalty (a positive number), or hard for a hard margin", "1", default="hard", check=_c
        ),
        Option(
            "kernel",
            "linear, or poly for the kernel (xᵀz + coef0)^degree",
            "poly",
            default="linear",
            check=one_of("linear", "poly"),
        ),
        Option("degree", "the degree of the poly kernel (1 to 20)", "3", default="2", check=whole(1, 20)),
        Option("coef0", "the constant of the poly kernel", "0", default="1", check=number),
    ),
)


def derive_table(
    header: Sequence[str],
    body: Sequence[Sequence[str]],
    target: str | None = None,
    C: Any = None,
    kernel: str = "linear",
    degree: Any = 2,
    coef0: Any = 1,
) -> Derivation:
    """The derivation for a CSV table: every column but ``target`` is a feature (``-o C=1``, ``-o kernel=poly``)."""
    features, X, y = split_target(header, body, target, "the column holding the two class labels")
    if isinstance(C, str) and C.strip().lower() in HARD:
        C = None
    return SVC(kernel=kernel, C=C, degree=degree, coef0=coef0).fit(X, y, feature_names=features).derivation_
