"""The command line's SVM deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from typing import Any, Sequence

from ..cli.readers import split_target
from ..derivation import Derivation
from .estimator import SVC


def derive_table(header: Sequence[str], body: Sequence[Sequence[str]], target: str | None = None,
                 C: Any = None, kernel: str = "linear", degree: Any = 2, coef0: Any = 1) -> Derivation:
    """The derivation for a CSV table: every column but ``target`` is a feature (``-o C=1``, ``-o kernel=poly``)."""
    features, X, y = split_target(header, body, target, "the column holding the two class labels")
    if isinstance(C, str) and C.strip().lower() in ("", "none", "hard", "inf"):
        C = None
    return SVC(kernel=kernel, C=C, degree=degree, coef0=coef0).fit(X, y, feature_names=features).derivation_
