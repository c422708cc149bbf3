"""The command line's k-NN deriver: a CSV table in, a derivation out."""

from __future__ import annotations

from collections.abc import Sequence

from ..cli.options import Command, Option, one_of, point, whole
from ..cli.readers import split_target
from ..derivation import Derivation
from ..exact import exact_vector
from .estimator import KNeighborsClassifier

COMMAND = Command(
    data="numeric feature columns and one column of classes",
    target="the column of classes (required)",
    example="exactml derive knn --data fruit.csv --target fruit -o query=160,7",
    options=(
        Option(
            "query",
            "the point to classify: one number per feature column, in the CSV's order",
            "160,7",
            required=True,
            check=point,
        ),
        Option("k", "how many neighbours vote", "5", default="3", check=whole(1)),
        Option(
            "weights",
            "uniform (one vote each) or distance (each vote weighs 1/d)",
            "distance",
            default="uniform",
            check=one_of("uniform", "distance"),
        ),
        Option(
            "metric",
            "euclidean, manhattan or minkowski",
            "manhattan",
            default="euclidean",
            check=one_of("euclidean", "manhattan", "minkowski"),
        ),
        Option("p", "the power of the minkowski metric (a whole number ≥ 1)", "3", default="2", check=whole(1)),
    ),
)


def derive_table(
    header: Sequence[str],
    body: Sequence[Sequence[str]],
    target: str | None = None,
    query: str | None = None,
    k: str = "3",
    weights: str = "uniform",
    metric: str = "euclidean",
    p: str = "2",
) -> Derivation:
    """The derivation for a CSV table: ``target`` is the class column, the others are features.

    There is no default query: the point to classify is the user's to give.
    """
    features, X, labels = split_target(header, body, target, "the column holding the classes")
    if query is None:
        raise ValueError(f"knn needs a query point (-o query=…): one number per feature column, {', '.join(features)}")
    try:
        n_neighbors = int(str(k).strip())
    except ValueError:
        raise ValueError(f"k must be a whole number, got {k!r}") from None
    q = exact_vector([s for s in str(query).split(",")], "query")
    if len(q) != len(features):
        raise ValueError(
            f"the query has {len(q)} numbers but the data has {len(features)} feature columns "
            f"({', '.join(features)}): give one number per column"
        )
    model = KNeighborsClassifier(n_neighbors, weights=weights, metric=metric, p=p)
    model.fit(X, labels, feature_names=features, target_name=target)
    return model.explain(q)
