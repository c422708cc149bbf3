"""The command line's K-means deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from typing import Any, Sequence

from ..derivation import Derivation
from .estimator import KMeans


def derive_table(header: Sequence[str], body: Sequence[Sequence[str]], target: str | None = None,
                 k: str = "2", init: str = "2,8;8,2", max_iter: str = "300",
                 random_state: str | None = None) -> Derivation:
    """The derivation for a CSV table; a ``target`` column, if named, is left out of the clustering."""
    columns = [j for j, h in enumerate(header) if h != target]
    if target is not None and len(columns) == len(header):
        raise ValueError(f"no column {target!r} in the data; the columns are {', '.join(header)}")
    if not columns:
        raise ValueError("no feature column is left to cluster")
    X = [[r[j] for j in columns] for r in body]
    try:
        K, iters = int(str(k)), int(str(max_iter))
        seed = int(random_state) if random_state is not None else None
    except ValueError:
        raise ValueError("k, max_iter and random_state must be whole numbers") from None
    start: Any = init.strip()
    if start != "k-means++":
        start = [[c.strip() for c in centre.split(",")] for centre in start.split(";")]
    model = KMeans(K, init=start, max_iter=iters, random_state=seed)
    return model.fit(X, feature_names=[header[j] for j in columns]).derivation_
