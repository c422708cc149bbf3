"""Exact nearest-point search: the kernels that k-NN and K-means share.

Every decision here compares *keys* Σ|xᵢ − qᵢ|^p (see :mod:`exactml.distance`),
never roots.  This module is separate from :mod:`exactml.distance` because
it is about speed, not about the metrics: the metrics say what a distance
is and how it is written; these kernels find the smallest keys among many
points, fast, without giving up exactness.

Rational points are first multiplied by the common denominator of their
coordinates (:class:`ScaledPoints`), which multiplies every key by the same
L^p and changes no decision.  With numpy installed (it is optional), keys of
integer points are computed in float64 when every intermediate value is an
integer below 2^53 (then no rounding can happen, in whatever order the sums
are taken) or in int64 below 2^63; past those bounds, Python integers.
Nothing else is ever approximated, except in :func:`nearest_centres`, where
a float distance only *proposes* a centre and every proposal too close to
call is decided again exactly.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Sequence

try:  # numpy accelerates; every result is the same without it
    import numpy as _np
except ImportError:  # pragma: no cover - exercised by monkeypatching _np in the tests
    _np = None

__all__ = [
    "ScaledPoints",
    "scale_points",
    "integer_points",
    "common_scale",
    "all_keys",
    "nearest_keys",
    "nearest_centres",
    "centre_labels",
    "cluster_sums",
    "square_norm_total",
]

FLOAT_EXACT = 2**53  # integers below this are exact in float64
FLOAT32_EXACT = 2**24  # and in float32
INT64_SAFE = 2**63
ERROR_FACTOR = 8.0 * 2.0**-53  # twice a distance's rounding bound, twice over (see centre_labels)
CHUNK_ENTRIES = 2**22  # keys held at once in the batch kernels (32 MB of float64)


# ------------------------------------------------------------------ integer point sets
@dataclass(frozen=True)
class ScaledPoints:
    """Points multiplied by ``scale`` so that every coordinate is an integer.

    ``rows`` hold Python ints; ``array`` is the same data as a numpy int64
    array when numpy is installed and the entries fit, else ``None``.
    """

    rows: Sequence
    scale: int
    max_abs: int
    array: Any = None

    @property
    def dims(self) -> int:
        return len(self.rows[0]) if len(self.rows) else 0

    def __len__(self) -> int:
        return len(self.rows)

    @cached_property
    def columns(self) -> tuple:
        """The points in float64, one row per coordinate (exact while max_abs ≤ 2^53), and their squared
        norms (exact while callers check that they stay below 2^53)."""
        XT = _np.ascontiguousarray(self.array.T, dtype=_np.float64)
        return XT, (XT * XT).sum(axis=0)

    @cached_property
    def assignment_terms(self) -> tuple:
        """What :func:`centre_labels` needs of the points alone: the coordinates as rows with a row of ones
        below, and each point's share ``ERROR_FACTOR·(d + 6)·‖x‖²`` of the rounding bound."""
        XT, norms = self.columns
        return _np.vstack([XT, _np.ones(len(self))]), ERROR_FACTOR * (self.dims + 6) * norms

    @cached_property
    def floats(self) -> tuple:
        """The points in float64 (exact: callers check max_abs < 2^52) and their squared norms."""
        X = self.array.astype(_np.float64)
        return X, (X * X).sum(axis=1)


def common_scale(*row_sets: Sequence[Sequence]) -> int:
    """The least common denominator of every coordinate in the given rows."""
    scale = 1
    for rows in row_sets:
        for row in rows:
            for x in row:
                if type(x) is not int:
                    scale = math.lcm(scale, int(x.q))
    return scale


def scale_points(rows: Sequence[Sequence], scale: int | None = None) -> ScaledPoints:
    """Scale exact rows (ints and Rationals) to integers; ``scale`` must be a multiple of their denominators."""
    all_ints = set(map(type, itertools.chain.from_iterable(rows))) <= {int}
    if scale is None:
        scale = 1 if all_ints else common_scale(rows)
    if scale == 1 and all_ints:
        ints = rows  # already integers: shared, not copied
    else:
        ints = []
        for row in rows:
            scaled = []
            for x in row:
                if type(x) is int:
                    scaled.append(x * scale)
                elif scale % int(x.q):
                    raise ValueError(f"scale {scale} is not a multiple of the denominator of {x}")
                else:
                    scaled.append(int(x.p) * (scale // int(x.q)))
            ints.append(scaled)
    array = None
    if _np is not None and len(ints):
        try:
            array = _np.array(ints, dtype=_np.int64)
        except OverflowError:
            array = None
    if array is not None:
        max_abs = int(_np.abs(array).max())
        if max_abs >= 2**62:
            array = None
    else:
        max_abs = max((abs(x) for row in ints for x in row), default=0)
    return ScaledPoints(ints, scale, max_abs, array)


def integer_points(array: Any, rows: Sequence[Sequence[int]] | None = None) -> ScaledPoints:
    """Points that are integers already (scale 1), given as an int64 array.

    ``rows``, if given, must hold the same values as Python ints (the caller's own lists: they are shared, not
    copied); otherwise they are made from the array.  Entries at or beyond 2^62 in absolute value take the
    Python-integer path, like :func:`scale_points`.
    """
    max_abs = max(-int(array.min()), int(array.max())) if array.size else 0
    if rows is None:
        rows = array.tolist()
    if _np is None or max_abs >= 2**62:
        return ScaledPoints(rows, 1, max_abs, None)
    return ScaledPoints(rows, 1, max_abs, array)


def _array(points: ScaledPoints) -> Any:
    """The int64 array of ``points`` if numpy is in use, else ``None``."""
    return points.array if _np is not None else None


# ------------------------------------------------------------------ k-NN kernels
def all_keys(points: ScaledPoints, query: Sequence[int], p: int) -> list[int]:
    """The exact key Σ|xᵢ − qᵢ|^p from an integer ``query`` to every point (scaled units)."""
    arr = _array(points)
    reach = points.max_abs + max((abs(x) for x in query), default=0)
    if arr is not None and points.dims * reach**p < INT64_SAFE:
        diff = _np.abs(arr - _np.array(query, dtype=_np.int64))
        return (diff**p).sum(axis=1).tolist()
    if p == 2:
        return [sum((x - q) * (x - q) for x, q in zip(row, query)) for row in points.rows]
    return [sum(abs(x - q) ** p for x, q in zip(row, query)) for row in points.rows]


def _select(keys: Any, k: int) -> Any:
    """Row-wise indices of the k smallest keys, ordered by key and then by index (numpy)."""
    m, n = keys.shape
    if k >= n:
        idx = _np.tile(_np.arange(n), (m, 1))
    else:
        kth = _np.partition(keys, k - 1, axis=1)[:, k - 1]
        flat = _np.flatnonzero(keys <= kth[:, None])  # row by row, each row's indices ascending
        rows = flat // n
        cols = flat - rows * n
        counts = _np.bincount(rows, minlength=m)
        if (counts == k).all():
            idx = cols.reshape(m, k)
        else:  # a tie straddles the k-th place: the lower indices win
            idx = _np.empty((m, k), dtype=_np.int64)
            for r, found in enumerate(_np.split(cols, _np.cumsum(counts)[:-1])):
                order = _np.argsort(keys[r, found], kind="stable")
                idx[r] = found[order[:k]]
    order = _np.argsort(_np.take_along_axis(keys, idx, axis=1), axis=1, kind="stable")
    return _np.take_along_axis(idx, order, axis=1)


def nearest_keys(points: ScaledPoints, queries: ScaledPoints, k: int, p: int) -> list[list[tuple[int, int]]]:
    """For each query, its ``k`` nearest points as ``(key, index)``, nearest first.

    Keys are exact integers in scaled units (true key × scale^p); equal keys
    are ordered by index, so the earlier training point wins a tie.
    """
    if queries.scale != points.scale:
        raise ValueError("the queries and the points must be scaled by the same factor")
    n, d = len(points), points.dims
    X, Q = _array(points), _array(queries)
    reach = points.max_abs + queries.max_abs
    if X is not None and Q is not None and len(queries):
        chunk = max(1, CHUNK_ENTRIES // max(n, 1))
        out: list[list[tuple[int, int]]] = []
        if p == 2 and d * reach * reach < FLOAT_EXACT:
            # Every partial sum of ‖x‖² − 2x·q is an integer below 2^53 (2^24 for float32), so BLAS computes
            # it exactly in any order; ‖q‖² is the same for every x and is added back to the chosen keys only.
            dtype = _np.float32 if d * reach * reach < FLOAT32_EXACT else _np.float64
            Xf, norms = points.floats
            augmented = _np.hstack([Xf, norms[:, None]]).astype(dtype).T.copy()
            for start in range(0, len(queries), chunk):
                Qc = Q[start : start + chunk]
                Qa = _np.hstack([-2 * Qc, _np.ones((len(Qc), 1), dtype=_np.int64)]).astype(dtype)
                keys = Qa @ augmented
                idx = _select(keys, k)
                partial = _np.take_along_axis(keys, idx, axis=1).astype(_np.int64)
                offset = (Qc * Qc).sum(axis=1)
                for row_idx, row_key, q2 in zip(idx.tolist(), partial.tolist(), offset.tolist()):
                    out.append([(key + q2, i) for key, i in zip(row_key, row_idx)])
            return out
        if d * reach**p < INT64_SAFE:
            for start in range(0, len(queries), chunk):
                Qc = Q[start : start + chunk]
                keys = _np.zeros((len(Qc), n), dtype=_np.int64)
                for j in range(d):
                    keys += _np.abs(X[:, j][None, :] - Qc[:, j][:, None]) ** p
                idx = _select(keys, k)
                chosen = _np.take_along_axis(keys, idx, axis=1)
                out.extend([list(zip(ks, ix)) for ks, ix in zip(chosen.tolist(), idx.tolist())])
            return out
    result = []
    for q in queries.rows:
        keys = all_keys(points, q, p)
        result.append(heapq.nsmallest(k, zip(keys, range(n))))
    return result


# ------------------------------------------------------------------ K-means kernels
def _exact_scores(centres: Sequence[tuple[Sequence[int], int]]) -> list[tuple[int, list[int]]]:
    """Integer scores g_k(x) = A_k − Σ x_j W_kj that order centres s_k/n_k as ‖x − s_k/n_k‖² does.

    ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖²; dropping ‖x‖² (the same for every centre)
    and multiplying by N = lcm(n_k²) leaves integers.
    """
    N = 1
    for _, n in centres:
        N = math.lcm(N, n * n)
    return [(sum(s * s for s in sums) * (N // (n * n)), [2 * s * (N // n) for s in sums]) for sums, n in centres]


def _exact_nearest(x: Sequence[int], scores: list[tuple[int, list[int]]]) -> int:
    best, best_score = 0, None
    for k, (a, w) in enumerate(scores):
        g = a - sum(xj * wj for xj, wj in zip(x, w))
        if best_score is None or g < best_score:  # strict: the lower-numbered centre wins a tie
            best, best_score = k, g
    return best


def nearest_centres(points: ScaledPoints, centres: Sequence[tuple[Sequence[int], int]]) -> list[int]:
    """The index of the nearest centre for every point; ties go to the lower index.

    A centre is ``(sums, count)``, the point sums/count in scaled units (see :func:`centre_labels`).
    """
    labels = centre_labels(points, centres)
    return labels.tolist() if hasattr(labels, "tolist") else labels


def centre_labels(points: ScaledPoints, centres: Sequence[tuple[Sequence[int], int]]) -> Any:
    """:func:`nearest_centres` as an int64 array with numpy (a list otherwise), for loops that keep it so.

    With numpy, float64 distances propose the nearest centre, and every point
    with a second centre closer to it than a proven bound on the rounding
    error is decided again with exact integers.
    """
    X = _array(points)
    if len(centres) == 1:
        return _np.zeros(len(points), dtype=_np.int64) if X is not None else [0] * len(points)
    scores = _exact_scores(centres)
    if X is None or points.max_abs >= FLOAT_EXACT // 2:
        return [_exact_nearest(x, scores) for x in points.rows]
    C = _np.array([[s / n for s in sums] for sums, n in centres])  # int / int is correctly rounded
    if not _np.isfinite(C).all() or _np.abs(C).max() >= FLOAT_EXACT // 2:
        return [_exact_nearest(x, scores) for x in points.rows]
    ones, slack = points.assignment_terms
    centre_norms = (C * C).sum(axis=1)
    # ‖x − c‖² − ‖x‖² = ‖c‖² − 2x·c, one row per centre (a row of ones carries ‖c‖²): every pass below is a
    # contiguous vector operation.
    dist = _np.hstack([-2.0 * C, centre_norms[:, None]]) @ ones
    reach = _np.minimum.reduce(dist, axis=0)
    # The terms of ‖x‖² − 2x·c + ‖c‖² add up in absolute value to at most 2(‖x‖² + ‖c‖²); each float
    # distance is within (d + 6)·u of that (u = 2^-53), and the bound is doubled for safety.  A centre
    # within twice the bound of the best could be the nearest: the point is decided again exactly.
    reach += slack
    reach += ERROR_FACTOR * (points.dims + 6) * centre_norms.max()
    # Which centres are within reach of each point: one exactly (its nearest, beyond doubt) or several (unsure).
    # For a sure point Σ k·[k within reach] is that centre's index; small integer types keep the sums fast.
    small = _np.int8 if len(centres) < 128 else _np.int32
    near = (dist <= reach).view(_np.int8).astype(small, copy=False)
    candidates = _np.add.reduce(near, axis=0, dtype=small)
    index = _np.arange(len(centres), dtype=small)[:, None]
    labels = _np.add.reduce(near * index, axis=0, dtype=small).astype(_np.int64)
    unsure = _np.flatnonzero(candidates > 1)
    if len(unsure):
        labels[unsure] = _exact_nearest_many(points, unsure, scores)
    return labels


def _exact_nearest_many(points: ScaledPoints, index: Any, scores: list[tuple[int, list[int]]]) -> list[int]:
    """:func:`_exact_nearest` for the points ``index``, on numpy arrays of Python ints (no int64 overflow)."""
    X = points.array[index].astype(object)
    best, best_score = _np.zeros(len(index), dtype=_np.int64), None
    for k, (a, w) in enumerate(scores):
        g = a - sum(X[:, j] * wj for j, wj in enumerate(w))
        if best_score is None:
            best_score = g
            continue
        closer = (g < best_score).astype(bool)  # strict: the lower-numbered centre wins a tie
        best[closer] = k
        best_score = _np.where(closer, g, best_score)
    return best.tolist()


def cluster_sums(points: ScaledPoints, labels: Sequence[int], n_clusters: int) -> tuple[list, list]:
    """Members and coordinate sums of every cluster, as exact integers."""
    X = _array(points)
    if X is not None and len(points) * points.max_abs < FLOAT_EXACT:
        lab = _np.asarray(labels, dtype=_np.int64)
        counts = _np.bincount(lab, minlength=n_clusters).tolist()
        # float weights hold the integer partial sums exactly below 2^53
        XT = points.columns[0]
        sums = [_np.bincount(lab, weights=XT[j], minlength=n_clusters) for j in range(points.dims)]
        return counts, [[int(sums[j][k]) for j in range(points.dims)] for k in range(n_clusters)]
    counts = [0] * n_clusters
    totals = [[0] * points.dims for _ in range(n_clusters)]
    for row, k in zip(points.rows, labels):
        counts[k] += 1
        acc = totals[k]
        for j, x in enumerate(row):
            acc[j] += x
    return counts, totals


def square_norm_total(points: ScaledPoints) -> int:
    """Σ‖x‖² over all points, exactly."""
    X = _array(points)
    if X is not None and len(points) * points.dims * points.max_abs**2 < INT64_SAFE:
        return int((X * X).sum())
    return sum(x * x for row in points.rows for x in row)
