"""K-means' derivation as data: the steps of :mod:`exactml.kmeans`, built from a finished run.

:func:`lloyd_derivation` turns a fitted :class:`~exactml.kmeans.KMeans`
(its ``history_`` of :class:`~exactml.kmeans.Iteration` records and its
k-means++ draws) into the keyed steps documented in :mod:`exactml.kmeans`,
one small builder per stage.  It is kept apart from the algorithm so that
Lloyd's loop reads on its own, and because recording must not cost the fit
anything: the run is finished before a step is built, and expansions
(every distance, every term of a mean) are written only for small data.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Protocol, Sequence

import sympy

from ..arith import distance as dist
from ..arith.nearest import common_scale
from ..derivation import Derivation, Equation, Figure, Name, Note, Product, Step, Sum, Table
from ..records import Apply, Indexed, Notation
from .run import Draw, Iteration

# Expansions (every distance, every term) only while they stay readable.
EXPAND_MAX_ROWS = 20


class FittedKMeans(Protocol):
    """What the derivation reads of a fitted ``KMeans``.

    Declared here so that the derivation depends on these fields only, not on the estimator module.
    """

    n_clusters: int
    max_iter: int
    feature_names_in_: list
    n_features_in_: int
    init_centers_: list
    history_: list[Iteration]
    n_iter_: int
    converged_: bool
    cluster_centers_: list
    inertia_: Any


def _mu(k: int) -> Indexed:
    return Indexed(Notation("mu"), k + 1)


def _point(row: Sequence[Any]) -> tuple:
    return tuple(sympy.sympify(x) for x in row)


def lloyd_derivation(rows: list[list[Any]], model: FittedKMeans, draws: list[Draw]) -> Derivation:
    """The derivation of a fitted model's run (``rows`` validated)."""
    n, K = len(rows), model.n_clusters
    small = n <= EXPAND_MAX_ROWS
    features = [Name(f) for f in model.feature_names_in_]
    d = Derivation(f"K-means with {K} clusters", key="kmeans")
    d.add(
        Step(
            "data",
            "The points",
            why="K-means groups points that lie close together; it is given the points and the number of groups only.",
            how={"table": Table(features, rows, align="r" * len(features))}
            if small
            else {"count": Note(f"{n} points.")},
            result=(n, model.n_features_in_),
        )
    )
    d.add(_init_step(rows, model, draws))
    for t, it in enumerate(model.history_, start=1):
        d.add(_iteration(t, it, rows, small))
    d.add(
        Step(
            "converged",
            "Convergence",
            why=(
                f"In iteration {model.n_iter_} no centre moved: each was already the mean of its points. Every "
                "further assignment would repeat this one, so the algorithm has converged."
                if model.converged_
                else f"The assignment was still changing after max\\_iter $= {model.max_iter}$ iterations; the run stops "
                "there, and the points are assigned once more to the last centres."
            ),
            result=model.converged_,
        )
    )
    objectives = [
        (t, it.objective, dist.decimal_cell(it.objective), it.new_objective, dist.decimal_cell(it.new_objective))
        for t, it in enumerate(model.history_, start=1)
    ]
    how = {
        "objectives": Table(
            ["Iteration", "$J$ after assignment", Notation("approx"), "$J$ after update", Notation("approx")],
            objectives,
            align="rrrrr",
        ),
        "centres": [_centre_equation(k, c) for k, c in enumerate(model.cluster_centers_)],
    }
    if small and model.n_features_in_ == 2:
        how["figure"] = Figure(
            "kmeans",
            {"points": rows, "history": model.history_, "features": model.feature_names_in_},
            caption="The points, their clusters and the centres at every iteration.",
        )
    d.add(
        Step(
            "result",
            "Result",
            why=(
                "The objective $J = \\sum_k \\sum_{x_i \\in C_k} \\lVert x_i - \\mu_k \\rVert^2$ never increases: "
                "the assignment gives every point its nearest centre, and the mean is the point that minimises "
                "the sum of squared distances to a cluster. Its final value is the inertia."
            ),
            how=how,
            result=model.inertia_,
            symbol="J",
        )
    )
    return d


def _centre_equation(k: int, centre: Sequence[Any]) -> Equation:
    return Equation(_mu(k), _point(centre), approx=False)


def _init_step(rows, model: FittedKMeans, draws: list[Draw]) -> Step:
    centres = model.init_centers_
    how: list = []  # the draws of k-means++
    if not draws:
        why = "Lloyd's algorithm needs starting centres; these were given."
    else:
        why = (
            "k-means++ spreads the starting centres out: the first is a point drawn at random, and each next "
            "one is drawn with probability proportional to $D(x)^2$, its squared distance to the nearest "
            "centre chosen so far, so far-away points are likely picks."
        )
        unit = common_scale(rows) ** 2  # the draws are whole numbers in units of 1/unit
        how.append(Note(f"First centre: point {draws[0].chosen + 1}, drawn uniformly from the {len(rows)} points."))
        for r, draw in enumerate(draws[1:], start=2):
            if draw.weights is not None:
                total = Fraction(0)
                table = []
                for i, w in enumerate(draw.weights):
                    total += Fraction(w, unit)
                    table.append(
                        [
                            i + 1,
                            _point(rows[i]),
                            sympy.Rational(w, unit),
                            sympy.Rational(total.numerator, total.denominator),
                        ]
                    )
                how.append(Table(["", "Point", "$D(x)^2$", "Cumulative"], table, align="rlrr"))
            how.append(Equation(Notation("sum_D2_inline"), sympy.Rational(draw.total, unit), approx=False))
            how.append(Equation("r", sympy.Rational(draw.draw, unit), approx=False))
            how.append(
                Note(
                    f"Centre {r}: $r$ is drawn uniformly from $[0, \\sum D(x)^2)$; the first cumulative "
                    f"sum above $r$ is that of point {draw.chosen + 1}, the new centre."
                )
            )
    return Step(
        "init",
        "Initial centres",
        why=why,
        how={"draws": how, "centres": [_centre_equation(k, c) for k, c in enumerate(centres)]},
        result=tuple(_point(c) for c in centres),
    )


def _iteration(t: int, it: Iteration, rows, small: bool) -> Derivation:
    K = len(it.centres)
    sub = Derivation(f"Iteration {t}", key=f"iter{t}")
    how: dict = {}
    dists = None
    if small:
        if len(rows) * K <= 12:
            how["distances"] = [
                dist.distance_equation(Apply("d", _mu(k), Indexed("x", i + 1)), row, c)
                for i, row in enumerate(rows)
                for k, c in enumerate(it.centres)
            ]
        dists = [[dist.root(dist.power_sum(row, c, 2)) for c in it.centres] for row in rows]
        decimals = K <= 3  # a decimal column beside each distance while the table stays narrow
        header = ["Point"]
        for k in range(K):
            header += [Apply("d", "x", _mu(k))] + ([Notation("approx")] if decimals else [])
        table = []
        for r, ds, lab in zip(rows, dists, it.labels):
            cells = [_point(r)]
            for value in ds:
                cells += [value] + ([dist.decimal_cell(value)] if decimals else [])
            table.append(cells + [lab + 1])
        how["table"] = Table(header + ["Cluster"], table, align="l" + "r" * (len(header) - 1) + "c")
    sub.add(
        Step(
            "distances",
            "Distances to the centres",
            why="Each point is compared with every centre: the squared distances decide, exactly.",
            how=how,
            result=tuple(map(tuple, dists)) if dists else None,
        )
    )
    counts = it.counts
    how = [Table(["Cluster", "Points"], [[k + 1, c] for k, c in enumerate(counts)], align="rr")]
    sub.add(
        Step(
            "assign",
            "Assignment",
            why=(
                "Every point joins the cluster of its nearest centre; a point exactly as close to two centres "
                "joins the lower-numbered one."
            ),
            how=how,
            result=tuple(it.labels) if small else tuple(counts),
        )
    )
    how = []  # the new centres, one equation per centre or per coordinate
    labels = list(it.labels)
    for k, i in it.relocated:  # the clusters as the update saw them
        labels[i] = k
    for k in range(K):
        members = [i for i, lab in enumerate(labels) if lab == k] if small else []
        means = (
            [
                Product([sympy.Rational(1, len(members)), Sum([rows[i][j] for i in members])])
                for j in range(len(rows[0]))
            ]
            if len(members) > 1
            else []
        )
        if means and len(members) * len(means) <= 8:
            how.append(Equation(_mu(k), tuple(means), _point(it.new_centres[k]), approx=False))
        elif means:  # one line per coordinate keeps long sums on the page
            how += [
                Equation(Indexed(Notation("mu"), k + 1, j + 1, sep=","), mean, it.new_centres[k][j], approx=False)
                for j, mean in enumerate(means)
            ]
        else:
            how.append(_centre_equation(k, it.new_centres[k]))
    relocated = [
        Note(
            f"Cluster {k + 1} received no point, so it takes point {i + 1}, the point farthest from "
            "its centre, and restarts there."
        )
        for k, i in it.relocated
    ]
    sub.add(
        Step(
            "update",
            "Move each centre to the mean of its points",
            why=(
                "For a fixed cluster, the mean is the point with the smallest sum of squared distances to its "
                "members, so moving the centre there can only lower the objective."
            ),
            how={"centres": how, "relocated": relocated},
            result=tuple(_point(c) for c in it.new_centres),
        )
    )
    sub.add(
        Step(
            "objective",
            "The objective",
            why="The objective after the update is never above the one after the assignment.",
            how=[Equation(Notation("J_assigned"), it.objective), Equation(Notation("J_updated"), it.new_objective)],
            result=it.new_objective,
        )
    )
    return sub
