"""K-means (Lloyd's algorithm) with exact centres and an exact objective.

Each iteration assigns every point to its nearest centre, then moves every
centre to the exact mean of its points.  Centres are rationals, distances
are compared through exact squared distances, and the loop stops exactly when
an update moves no centre: every later assignment would repeat the last one.

Rules, stated in the derivation where they apply:

* **tie in the assignment**: a point equally close to several centres joins
  the lowest-numbered one;
* **empty cluster**: a cluster left with no points takes the point farthest
  from its own centre (ties: the earlier point) among clusters that keep at
  least one point; with several empty clusters, the lowest-numbered empty
  cluster takes the farthest such point, the next the next farthest.  The
  objective still never increases, because that point's cost drops to 0;
* **k-means++** draws the first centre uniformly and each next centre with
  probability proportional to its squared distance D(x)² to the nearest centre
  chosen so far; the draw is an exact integer in [0, ΣD²) from Python's
  ``random.Random(random_state)``, so a seed reproduces every choice.  (This
  is plain k-means++, not scikit-learn's greedy variant: the same seed gives
  different centres there.)

Step keys of ``KMeans.derivation_`` (stable; built by :mod:`exactml.kmeans_steps`):

``data``              the points
``init``              the initial centres (k-means++: every draw)
``iter<i>/distances`` distances from every point to every centre (small data)
``iter<i>/assign``    the assignment
``iter<i>/update``    each new centre as the exact mean of its points
``iter<i>/objective`` the objective after the assignment and after the update
``converged``         why the loop stopped
``result``            the final centres, the objective per iteration and the inertia
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from fractions import Fraction
from typing import Any, Sequence

import sympy

from ..arith.lazy import learned
from ..arith.nearest import (
    ScaledPoints,
    all_keys,
    centre_labels,
    cluster_sums,
    integer_points,
    nearest_centres,
    scale_points,
    square_norm_total,
)
from ..exact import (
    check_feature_count,
    check_is_fitted,
    checked_feature_names,
    column_names,
    exact_matrix,
    int_array,
)
from .run import Draw, Iteration
from .steps import EXPAND_MAX_ROWS, lloyd_derivation


class KMeans:
    """K-means clustering with exact rational centres.

    >>> from exactml import KMeans
    >>> X = [[2, 8], [4, 6], [3, 5], [8, 2], [9, 3], [7, 1]]
    >>> km = KMeans(n_clusters=2, init=[[2, 8], [8, 2]]).fit(X)
    >>> km.cluster_centers_, km.inertia_, km.labels_
    ([[3, 19/3], [8, 2]], 32/3, [0, 0, 0, 1, 1, 1])
    """

    def __init__(self, n_clusters: int = 8, init: Any = "k-means++", max_iter: int = 300, random_state: Any = None):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None, feature_names: Sequence[str] | None = None) -> "KMeans":
        """Cluster the rows of ``X`` (``y`` is ignored, as in scikit-learn)."""
        K = _whole(self.n_clusters, "n_clusters")
        max_iter = _whole(self.max_iter, "max_iter")
        names = list(feature_names) if feature_names is not None else column_names(X)
        rows, points = _points(X, names)
        n, width = len(rows), len(rows[0])
        if K > n:
            raise ValueError(f"n_clusters={K} but X has only {n} points: choose n_clusters ≤ {n}")
        names = checked_feature_names(names, width)
        draws: list[Draw] = []
        if isinstance(self.init, str):
            if self.init != "k-means++":
                raise ValueError(f"init must be 'k-means++' or an array of {K} starting centres, got {self.init!r}")
            chosen, draws = kmeans_plus_plus(points, K, _rng(self.random_state))
            init = [rows[i] for i in chosen]
        else:
            init = exact_matrix(self.init, "init", rational="K-means")
            if len(init) != K or len(init[0]) != width:
                raise ValueError(
                    f"init has {len(init)} centres of {len(init[0])} coordinates; "
                    f"{K} centres of {width} coordinates are needed"
                )
        history, converged = lloyd(points, [_scaled(c, points.scale) for c in init], max_iter)
        last = history[-1]
        if converged:
            centres, labels, inertia = last.new_centres, last.labels, last.new_objective
        else:  # assign once more, so that labels_ belong to cluster_centers_
            centres = last.new_centres
            labels = nearest_centres(points, [_scaled(c, points.scale) for c in centres])
            counts, sums = cluster_sums(points, labels, K)
            inertia = _objective(
                square_norm_total(points), points.scale, counts, sums, [_scaled(c, points.scale) for c in centres]
            )
        self.feature_names_in_ = [str(n) for n in names]
        self.n_features_in_ = width
        self.cluster_centers_ = [list(c) for c in centres]  # the history's lists stay the user's to read only
        self.labels_ = labels
        self.inertia_ = inertia
        self.n_iter_ = len(history)
        self.converged_ = converged
        self.history_ = history
        self.init_centers_ = [list(map(sympy.sympify, c)) for c in init]
        self.derivation_ = lloyd_derivation(rows, self, draws)
        # Shown safely once derived: a value too long to print (data with 10**5000 in it) becomes a
        # LargeValue, its .exact one step away; predict reads the exact centres.
        self._centres = self.cluster_centers_
        self.cluster_centers_ = [[learned(v) for v in c] for c in centres]
        self.inertia_ = learned(inertia)
        return self

    def predict(self, X: Any) -> list[int]:
        """The nearest final centre of every row of ``X`` (ties: the lower-numbered centre)."""
        check_is_fitted(self, "cluster_centers_", "fit(X)")
        rows = exact_matrix(X, "X", rational="K-means")
        check_feature_count(self, rows)
        points = scale_points(rows)
        return nearest_centres(points, [_scaled(c, points.scale) for c in self._centres])


def _points(X: Any, names: Sequence[str] | None) -> tuple[Sequence, ScaledPoints]:
    """The validated rows and the same points scaled to integers.

    Integer data (lists of Python ints, integer arrays) skip the per-entry conversion: they are exact already.
    The caller's own lists are shared, not copied, beyond the few rows a derivation may show.
    """
    arr = int_array(X)
    if arr is None:
        rows = exact_matrix(X, "X", columns=names, rational="K-means")
        return rows, scale_points(rows)
    given = X if isinstance(X, list) and len(X) > EXPAND_MAX_ROWS else None
    points = integer_points(arr, given)
    return points.rows, points


def _as_list(labels: Any) -> list[int]:
    return labels.tolist() if hasattr(labels, "tolist") else list(labels)


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number ≥ 1, got {value!r}")
    return value


def _rng(seed: Any) -> random.Random:
    if seed is None:
        return random.Random()
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"random_state must be a whole number (a seed) or None, got {seed!r}")
    return random.Random(seed)


def _scaled(centre: Sequence[Any], scale: int) -> tuple[tuple[int, ...], int]:
    """A centre in data units as (integer sums, count) with centre·scale = sums/count."""
    values = [Fraction(int(q.p), int(q.q)) * scale for q in map(sympy.Rational, centre)]
    count = math.lcm(*(v.denominator for v in values))
    return tuple(int(v * count) for v in values), count


def _unscaled(sums: Sequence[int], count: int, scale: int) -> list:
    return [sympy.Rational(s, count * scale) for s in sums]


def _objective(norms: int, scale: int, counts, sums, centres) -> sympy.Rational:
    """Σ_k Σ_{x∈C_k} ‖x − c_k‖² = Σ‖x‖² − Σ_k (2 c_k·S_k − n_k‖c_k‖²), from integer cluster sums S_k.

    ``norms`` is Σ‖x‖² and everything is in scaled units; the result is in data units.
    """
    common = math.lcm(*(c_count * c_count for _, c_count in centres))  # one denominator: integers throughout
    numerator = norms * common
    for (c_sums, c_count), n_k, s_k in zip(centres, counts, sums):
        dot = sum(a * b for a, b in zip(c_sums, s_k))
        norm = sum(a * a for a in c_sums)
        numerator += (n_k * norm - 2 * dot * c_count) * (common // (c_count * c_count))
    return sympy.Rational(numerator, common * scale * scale)


# ------------------------------------------------------------------ the algorithm
def kmeans_plus_plus(points: ScaledPoints, K: int, rng: random.Random) -> tuple[list[int], list[Draw]]:
    """The indices of K k-means++ centres, and each draw (with its weights for small data)."""
    n = len(points)
    small = n <= EXPAND_MAX_ROWS
    chosen = [rng.randrange(n)]
    draws = [Draw(chosen[0], draw=chosen[0])]
    closest = all_keys(points, points.rows[chosen[0]], 2)
    for _ in range(1, K):
        total = sum(closest)
        if total == 0:
            raise ValueError(
                f"X has fewer than {K} distinct points, so k-means++ cannot choose {K} different centres; "
                "lower n_clusters"
            )
        r = rng.randrange(total)
        i = bisect.bisect_right(list(itertools.accumulate(closest)), r)
        draws.append(Draw(i, tuple(closest) if small else None, total, r))
        chosen.append(i)
        closest = [min(a, b) for a, b in zip(closest, all_keys(points, points.rows[i], 2))]
    return chosen, draws


def _relocate(points, labels, centres, counts, sums) -> tuple:
    """Apply the empty-cluster rule to ``counts`` and ``sums`` in place; return the moves (cluster, point)."""
    empty = [k for k, c in enumerate(counts) if c == 0]
    if not empty:
        return ()
    labels = _as_list(labels)
    far = []
    for i, (row, k) in enumerate(zip(points.rows, labels)):
        c_sums, c_count = centres[k]
        far.append((-Fraction(sum((c_count * x - s) ** 2 for x, s in zip(row, c_sums)), c_count * c_count), i))
    far.sort()
    moves = []
    candidates = iter(i for _, i in far)
    for k in empty:
        i = next(i for i in candidates if counts[labels[i]] > 1)
        old, row = labels[i], points.rows[i]
        counts[old] -= 1
        sums[old] = [s - x for s, x in zip(sums[old], row)]
        counts[k], sums[k] = 1, list(row)
        labels[i] = k
        moves.append((k, i))
    return tuple(moves)


def lloyd(points: ScaledPoints, centres: list, max_iter: int) -> tuple[list[Iteration], bool]:
    """Run Lloyd's algorithm from centres given as (sums, count) in scaled units.

    It stops, converged, after the first update that moves no centre: every
    later assignment would repeat the last one.  Inside the loop the labels
    stay one numpy array (with numpy); exact rationals are formed only for
    the centres and the objectives that the history records.
    """
    K, scale = len(centres), points.scale
    norms = square_norm_total(points)
    history: list[Iteration] = []
    shown = [_unscaled(s, c, scale) for s, c in centres]
    for _ in range(max_iter):
        labels = centre_labels(points, centres)
        counts, sums = cluster_sums(points, labels, K)
        objective = _objective(norms, scale, counts, sums, centres)
        assigned = tuple(counts)
        moves = _relocate(points, labels, centres, counts, sums) if 0 in counts else ()
        new = [(tuple(s), c) for s, c in zip(sums, counts)]
        new_objective = _objective(norms, scale, counts, sums, new)
        moved = [not _same(a, b) for a, b in zip(centres, new)]
        new_shown = [_unscaled(*centre, scale) if m else old for centre, m, old in zip(new, moved, shown)]
        history.append(Iteration(shown, _as_list(labels), objective, new_shown, new_objective, assigned, moves))
        if not any(moved):
            return history, True
        centres, shown = new, new_shown
    return history, False


def _same(a: tuple, b: tuple) -> bool:
    """Whether two centres given as (sums, count) are the same point."""
    (sa, ca), (sb, cb) = a, b
    return all(x * cb == y * ca for x, y in zip(sa, sb))
