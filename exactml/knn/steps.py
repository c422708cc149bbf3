"""k-nearest neighbours with exact distances and exact votes.

Distances are compared through their exact keys (squared distances for the
Euclidean metric, see :mod:`exactml.distance`; the search itself is in
:mod:`exactml.nearest`), so the neighbours found are the true ones, never an
artefact of rounding.  Two rules settle ties:

* **equal distances**: the training point that comes first in the data ranks
  first (so of two points at the same distance on the k-th place, the earlier
  is taken);
* **a tied vote**: the tied class whose nearest member is closest to the
  query wins, i.e. the tied class that appears first in the ranked list.

With ``weights="distance"`` each neighbour votes with 1/d; a neighbour at
distance 0 would get an infinite weight, so when the query coincides with
training points those exact matches alone decide, one vote each.  Close
weighted votes are settled exactly by :mod:`exactml.radicals`.

Step keys of ``KNeighborsClassifier.explain(q)`` (stable):

``data``          the training points and their classes
``query``         the query point, k and the metric
``distances``     the distance to every training point (only the k nearest for large data)
``sorted``        the training points ranked by distance
``nearest``       the k nearest neighbours (result: their indices)
``vote``          the unweighted vote: one vote per neighbour
``weighted_vote`` the inverse-distance vote with exact weights 1/d
``prediction``    the predicted class under the chosen ``weights``
"""

from __future__ import annotations

import math
from typing import Any, Protocol, Sequence

import sympy

from ..arith import distance as dist
from ..arith.nearest import all_keys, common_scale, scale_points
from ..arith.radicals import compare_sums, inverse_root
from ..derivation import Call, Derivation, Equation, Figure, Name, Note, Step, Sum, Table
from ..records import Apply, Indexed, Notation, Power

# Tables list every training point up to this many rows; beyond, only the nearest.
EXPAND_MAX_ROWS = 20


def _label_order(label: Any) -> tuple:
    return (1, str(label)) if isinstance(label, str) else (0, label)


def _distance(key: int, scale: int, p: int) -> sympy.Expr:
    return dist.root(sympy.Rational(key, scale**p), p)


# ------------------------------------------------------------------ votes
def uniform_vote(classes: Sequence[Any]) -> tuple[Any, dict, list]:
    """(winner, votes per class, tied classes) from neighbour classes listed nearest first."""
    votes: dict = {}
    for c in classes:
        votes[c] = votes.get(c, 0) + 1
    top = max(votes.values())
    tied = [c for c, v in votes.items() if v == top]  # dict order is nearest-member order
    return tied[0], votes, tied


def _weighted_winner(classes: Sequence[Any], keys: Sequence[int], scale: int, p: int) -> Any:
    """The winner of :func:`distance_vote` for integer keys in units of 1/scale^p.

    When the float totals leave no doubt it is settled in floats: each float
    weight is within a few units of 2^-53 of the exact one, so a lead of more
    than 10^-9 of the largest total is decisive.  Anything closer (an exact
    tie included) is settled exactly.  The common factor scale drops out.
    """
    if all(keys):
        totals: dict = {}
        try:
            for c, key in zip(classes, keys):
                totals[c] = totals.get(c, 0.0) + float(key) ** (-1.0 / p)
        except OverflowError:
            totals = {}
        ranked = sorted(totals.values(), reverse=True)
        if (
            ranked
            and all(t > 0 and math.isfinite(t) for t in ranked)
            and (len(ranked) == 1 or ranked[0] - ranked[1] > 1e-9 * ranked[0])
        ):
            return max(totals, key=totals.get)
    return distance_vote(classes, [sympy.Rational(key, scale**p) for key in keys], p)[0]


def distance_vote(classes: Sequence[Any], keys: Sequence[Any], p: int) -> tuple[Any, dict, list]:
    """(winner, total weight per class, tied classes) for inverse-distance weights.

    ``keys`` are the exact keys Σ|qᵢ − xᵢ|^p (rationals), nearest first.  If
    any is zero the exact matches vote alone, one vote each.
    """
    if any(key == 0 for key in keys):
        return uniform_vote([c for c, key in zip(classes, keys) if key == 0])
    radicands: list[int] = []
    exact: dict = {}
    inverses: dict = {}
    for c, key in zip(classes, keys):
        i, coefficient = inverse_root(sympy.Rational(key), p, radicands)
        exact.setdefault(c, {})
        exact[c][i] = exact[c].get(i, 0) + coefficient
        inverses.setdefault(c, []).append(dist.inverse_of_root(key, p))
    totals = {c: sum(terms, sympy.Integer(0)) for c, terms in inverses.items()}
    best: list = []
    for c in exact:
        if best:
            s = compare_sums(exact[c], exact[best[0]], radicands, p)
        if not best or s > 0:
            best = [c]
        elif s == 0:
            best.append(c)
    return best[0], totals, best


# ------------------------------------------------------------------ derivation
def _label(c: Any) -> Any:
    return Name(c) if isinstance(c, str) else c


def _point(row: Sequence[Any]) -> tuple:
    return tuple(sympy.sympify(x) for x in row)


def _ranked_row(rank: int, i: int, X: Sequence, y: Sequence, dists: dict) -> list:
    return [rank + 1, _point(X[i]), dists[i], dist.decimal_cell(dists[i]), _label(y[i])]


class FittedNeighbours(Protocol):
    """What :func:`explain_query` reads of a fitted ``KNeighborsClassifier``.

    Declared here so that the derivation depends on these fields only, not on the estimator module.
    """

    X_: list  # the training points, exact
    y_: list  # their classes
    n_neighbors: int
    power_: int  # p of the Minkowski distance
    weights: str  # "uniform" or "distance"
    feature_names_in_: list
    n_features_in_: int
    target_name_: str


def explain_query(model: FittedNeighbours, q: list[Any]) -> Derivation:
    """Build the derivation of one prediction (``model`` fitted, ``q`` validated)."""
    X, y, k, p = model.X_, model.y_, model.n_neighbors, model.power_
    n = len(X)
    small = n <= EXPAND_MAX_ROWS
    features = [Name(f) for f in model.feature_names_in_]
    d = Derivation(f"{k}-nearest neighbours of one query", key="knn")

    d.add(
        Step(
            "data",
            "Training data",
            why="k-NN keeps the training data as it is: every prediction is made by looking the query up among them.",
            how={
                "table": Table(
                    [*features, Name(model.target_name_)],
                    [[*r, _label(c)] for r, c in zip(X, y)],
                    align="r" * len(features) + "l",
                )
            }
            if small
            else {"count": Note(f"{n} training points.")},
            result=(n, model.n_features_in_),
        )
    )
    metric_words = {
        1: "Manhattan distance (the sum of the absolute differences)",
        2: "Euclidean distance (the straight-line distance)",
    }
    d.add(
        Step(
            "query",
            "The query",
            why=(
                f"We classify the point $q$ below from its ${k}$ nearest training points, measured by the "
                + metric_words.get(p, f"Minkowski distance with $p = {p}$")
                + "."
            ),
            how={"query": Equation("q", _point(q), approx=False)},
            result=_point(q),
            symbol="q",
        )
    )

    scale = common_scale(X, [q])
    scaled_keys = all_keys(scale_points(X, scale), scale_points([q], scale).rows[0], p)
    ranked = sorted(range(n), key=lambda i: (scaled_keys[i], i))
    nearest = ranked[:k]
    shown = list(range(n)) if small else nearest
    keys = {i: sympy.Rational(scaled_keys[i], scale**p) for i in (shown if small else ranked[: k + 1])}
    dists = {i: dist.root(keys[i], p) for i in shown}
    key_head = Notation("sum_abs_diff") if p == 1 else Power("d", p)
    rows = [[_point(X[i]), keys[i], dists[i], dist.decimal_cell(dists[i]), _label(y[i])] for i in shown]
    how = {"distances": [dist.distance_equation(Apply("d", "q", Indexed("x", i + 1)), q, X[i], p) for i in shown]}
    if not small:
        how = {"count": Note(f"Of the {n} distances, the table shows the {k} smallest.")}
    how["table"] = Table(["Point", key_head, "$d$", Notation("approx"), Name(model.target_name_)], rows, align="lrrrl")
    d.add(
        Step(
            "distances",
            "Distance to every training point",
            why=(
                "Nearby points are similar points: the distance turns \\emph{how alike} into a number. The "
                "comparison uses exact values (for Euclidean distance, the sum under the root), so no rounding "
                "can reorder two points."
            ),
            how=how,
            result=tuple(dists[i] for i in shown),
        )
    )

    ties = [(a, b) for a, b in zip(ranked, ranked[1:]) if scaled_keys[a] == scaled_keys[b]]
    how = {}
    if small:
        how["table"] = Table(
            ["Rank", "Point", "$d$", Notation("approx"), Name(model.target_name_)],
            [_ranked_row(r, i, X, y, dists) for r, i in enumerate(ranked)],
            align="rlrrl",
        )
    if ties:
        how["tie"] = Note(
            "Some points are at exactly the same distance; as always, the one that comes first in "
            "the training data is ranked first."
        )
    d.add(
        Step(
            "sorted",
            "Rank by distance",
            why=(
                "Sorting by distance puts the most similar training points first. Equal distances keep the "
                "order of the training data."
            ),
            how=how,
            result=tuple(ranked if small else nearest),
        )
    )

    how = {
        "table": Table(
            ["", "Point", "$d$", Notation("approx"), Name(model.target_name_)],
            [_ranked_row(r, i, X, y, dists) for r, i in enumerate(nearest)],
            align="rlrrl",
        )
    }
    if k < n and keys[ranked[k - 1]] == keys[ranked[k]]:
        how["tie"] = Note(
            f"The point ranked {k + 1} is as close as the one ranked {k}: the earlier training "
            "point is kept, by the tie rule above."
        )
    if small:
        how["figure"] = Figure(
            "knn",
            {
                "points": X,
                "classes": y,
                "query": q,
                "distances": [dists[i] for i in range(n)],
                "nearest": nearest,
                "features": model.feature_names_in_,
                "k": k,
            },
            caption=f"The query among the training points; the {k} nearest are joined to it.",
        )
    d.add(
        Step(
            "nearest",
            f"The {k} nearest neighbours",
            why=f"Only the ${k}$ closest points take part in the decision; the others are ignored.",
            how=how,
            result=tuple(nearest),
        )
    )

    classes = [y[i] for i in nearest]
    winner, votes, tied = uniform_vote(classes)
    how = {"votes": Table(["Class", "Votes"], [[_label(c), v] for c, v in votes.items()], align="lr")}
    if len(tied) > 1:
        how["tie"] = Note(
            "The vote is tied; the tied class with the nearest neighbour wins: <<c>>.", names={"c": str(winner)}
        )
    d.add(
        Step(
            "vote",
            "Majority vote",
            why=(
                "Each neighbour votes for its own class and the class with the most votes is predicted. If "
                "classes tie, the one whose member is nearest the query wins."
            ),
            how=how,
            result=winner,
        )
    )

    wkeys = [keys[i] for i in nearest]
    w_winner, totals, w_tied = distance_vote(classes, wkeys, p)
    how = {}
    if any(key == 0 for key in wkeys):
        how["coincide"] = Note(
            "The query coincides with a training point, whose weight $1/0$ would be infinite: "
            "the exact matches decide alone, one vote each."
        )
        how["totals"] = Table(["Class", "Votes"], [[_label(c), v] for c, v in totals.items()], align="lr")
    else:
        how["weights"] = [
            Equation(Indexed("w", r + 1), sympy.Pow(dists[i], -1, evaluate=False), dist.inverse_of_root(keys[i], p))
            for r, i in enumerate(nearest)
        ]
        how["totals"] = []
        for c, total in totals.items():
            members = [i for i in nearest if y[i] == c]
            inverse = [sympy.Pow(dists[i], -1, evaluate=False) for i in members]
            forms = [Sum(inverse), total] if len(members) > 1 else [total]
            how["totals"].append(Equation(Call("W", _label(c)), *forms))
    if len(w_tied) > 1:
        how["tie"] = Note(
            "The weighted vote is tied; the tied class with the nearest neighbour wins: <<c>>.",
            names={"c": str(w_winner)},
        )
    d.add(
        Step(
            "weighted_vote",
            "Inverse-distance weighted vote",
            why=(
                "A closer neighbour is more alike, so it should count for more: each neighbour votes with "
                "weight $w = 1/d$ and the class with the largest total weight wins."
            ),
            how=how,
            result=w_winner,
        )
    )

    chosen = winner if model.weights == "uniform" else w_winner
    d.add(
        Step(
            "prediction",
            "Prediction",
            why=(
                "The model uses the "
                + ("unweighted" if model.weights == "uniform" else "inverse-distance weighted")
                + " vote."
            ),
            how={"prediction": Equation(Notation("y_hat"), _label(chosen), approx=False)},
            result=chosen,
        )
    )
    return d
