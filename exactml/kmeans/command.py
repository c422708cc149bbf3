"""The command line's K-means deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cli.options import Command, Option, point, whole
from ..derivation import Derivation
from .estimator import KMeans

SEED = "0"  # k-means++'s seed when none is given; the derivation records the draws it makes


def _init(value: str) -> object:
    if value in ("k-means++", "first"):
        return value
    try:
        return [point(c) for c in value.split(";")]
    except ValueError:
        raise ValueError(
            'must be k-means++, first, or centres such as "1,1;9,9" (quote it: the shell ends a command at ;)'
        ) from None


COMMAND = Command(
    data="numeric columns, one per coordinate (a --target column, if named, is left out)",
    target="a column to leave out of the clustering, such as a label (optional)",
    example='exactml derive kmeans --data shops.csv -o k=2 -o init="1,2;2,1"',
    options=(
        Option("k", "the number of clusters", "2", required=True, check=whole(1)),
        Option(
            "init",
            'the initial centres: "x,y;x,y" (one per cluster; quote it), first (the first k rows '
            "of the data), or k-means++ (random draws from the data, reproducible: see random_state)",
            '"1,2;2,1"',
            default="k-means++",
            check=_init,
        ),
        Option("random_state", "the seed of k-means++'s draws", "7", default=SEED, check=whole(0)),
        Option("max_iter", "stop after at most this many iterations", "10", default="300", check=whole(1)),
    ),
)


def derive_table(
    header: Sequence[str],
    body: Sequence[Sequence[str]],
    target: str | None = None,
    k: str | None = None,
    init: str = "k-means++",
    max_iter: str = "300",
    random_state: str = SEED,
) -> Derivation:
    """The derivation for a CSV table; a ``target`` column, if named, is left out of the clustering.

    Without ``init`` the centres are drawn by k-means++ with seed 0 (stated in
    the derivation); ``init=first`` takes the first k rows of the data.
    """
    if k is None:
        raise ValueError("kmeans needs the number of clusters (-o k=…)")
    columns = [j for j, h in enumerate(header) if h != target]
    if target is not None and len(columns) == len(header):
        raise ValueError(f"no column {target!r} in the data; the columns are {', '.join(header)}")
    if not columns:
        raise ValueError("no feature column is left to cluster")
    X = [[r[j] for j in columns] for r in body]
    try:
        K, iters, seed = int(str(k)), int(str(max_iter)), int(str(random_state))
    except ValueError:
        raise ValueError("k, max_iter and random_state must be whole numbers") from None
    start: Any = init.strip()
    if start == "first":
        if K > len(X):
            raise ValueError(f"init=first needs k = {K} rows, but the data has {len(X)}")
        start = X[:K]
    elif start != "k-means++":
        start = [[c.strip() for c in centre.split(",")] for centre in start.split(";")]
    model = KMeans(K, init=start, max_iter=iters, random_state=seed)
    d = model.fit(X, feature_names=[header[j] for j in columns]).derivation_
    if start == "k-means++":
        d.intro = (
            f"The starting centres are drawn from the data by k-means++ with the random seed {seed}; "
            "the same seed always gives the same draws (another seed: -o random_state=N)."
        )
    return d
