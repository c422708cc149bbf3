"""K-means' fast path (int64 data, one label array per iteration, float proposals decided exactly on near-ties)
against two independent oracles: plain Lloyd in Python fractions written here, and scikit-learn.

The adversarial cases are the ones a float shortcut gets wrong: points exactly halfway between centres,
centres whose float distances differ by less than their rounding error, and coordinates past the ranges where
float64 and int64 are exact (the code must fall back to Python integers there, not round).
"""

import random
from fractions import Fraction

import numpy as np
import pytest
from sklearn.cluster import KMeans as SkKMeans
from sympy import Integer, Rational

from exactml.arith import nearest
from exactml.kmeans.estimator import KMeans


def lloyd_by_hand(X, init, max_iter=300):
    """Lloyd's algorithm in fractions: nearest centre (ties to the lower index), means, stop when no centre moves.
    The data used here never empties a cluster."""
    centres = [[Fraction(v) for v in c] for c in init]
    for _ in range(max_iter):
        labels = []
        for x in X:
            d = [sum((Fraction(a) - c) ** 2 for a, c in zip(x, centre)) for centre in centres]
            labels.append(d.index(min(d)))
        new = []
        for k in range(len(centres)):
            members = [x for x, lab in zip(X, labels) if lab == k]
            assert members, "the oracle's data must not empty a cluster"
            new.append([Fraction(sum(col), len(members)) for col in zip(*members)])
        if new == centres:
            break
        centres = new
    inertia = sum(sum((Fraction(a) - c) ** 2 for a, c in zip(x, centres[k])) for x, k in zip(X, labels))
    return centres, labels, inertia


def as_fractions(centres):
    return [[Fraction(int(v.p), int(v.q)) for v in c] for c in centres]


def blobs(seed, n, spread=150, scale=1):
    rng = random.Random(seed)
    centres = [(100, 100), (600, 150), (300, 700), (800, 800)]
    return [
        [scale * (cx + rng.randint(-spread, spread)), scale * (cy + rng.randint(-spread, spread))]
        for cx, cy in (rng.choice(centres) for _ in range(n))
    ]


# ------------------------------------------------------------------ the assignment kernel
def test_lattice_points_on_a_bisector_join_the_lower_numbered_centre():
    # Centres (0, 0) and (4, 0): every point with x = 2 is exactly halfway; the float distances tie too.
    X = [[2, y] for y in range(-50, 51)] + [[1, 3], [3, -3]]
    points = nearest.integer_points(np.array(X, dtype=np.int64))
    labels = nearest.centre_labels(points, [((0, 0), 1), ((4, 0), 1)])
    assert labels.tolist() == [0] * 101 + [0, 1]


def test_near_ties_below_float_resolution_are_decided_exactly():
    # Two centres a hair apart, s/n with n = 10^9 + 7, and points around 10^6: the distances differ in the
    # ~16th significant digit, where float64 cannot tell them apart.
    n = 10**9 + 7
    big = 10**6
    a = ((big * n, big * n), n)  # the point (10^6, 10^6)
    b = ((big * n + 1, big * n), n)  # (10^6 + 1/n, 10^6)
    X = [[big + dx, big + dy] for dx in (-3, 0, 1, 2) for dy in (-1, 0, 5)]
    points = nearest.integer_points(np.array(X, dtype=np.int64))
    got = nearest.centre_labels(points, [a, b]).tolist()
    expected = []
    for x in X:
        d = [sum((Fraction(v) - Fraction(s, c)) ** 2 for v, s in zip(x, sums)) for sums, c in (a, b)]
        expected.append(d.index(min(d)))
    assert got == expected
    assert 0 in expected and 1 in expected  # the case really splits


@pytest.mark.parametrize("k", [3, 127, 130])
def test_many_centres_with_ties_match_brute_force(k):
    # Past 127 centres the label sums leave int8; ties (integer centres on a lattice) are decided exactly.
    rng = random.Random(k)
    X = [[rng.randint(0, 40), rng.randint(0, 40)] for _ in range(500)]
    centres = [((rng.randint(0, 40), rng.randint(0, 40)), 1) for _ in range(k)]
    points = nearest.integer_points(np.array(X, dtype=np.int64))
    expected = []
    for x in X:
        d = [sum((v - s) ** 2 for v, s in zip(x, sums)) for sums, _ in centres]
        expected.append(d.index(min(d)))
    assert nearest.centre_labels(points, centres).tolist() == expected


@pytest.mark.parametrize("magnitude", [2**51, 2**61, 2**62 + 5])
def test_coordinates_past_the_exact_float_range_fall_back_to_python_integers(magnitude):
    # At 2^51 the floats still propose; from 2^52 on, every point is decided with Python integers; at 2^62 and
    # beyond the array is not used at all.  Either way the answer is the exact one.
    X = [[magnitude + 1, 0], [magnitude + 2, 1], [magnitude + 9, -1], [magnitude + 10, 0]]
    points = nearest.scale_points(X)
    centres = [((magnitude + 1, 0), 1), ((2 * magnitude + 19, 0), 2)]  # (m + 1, 0) and (m + 9.5, 0)
    labels = nearest.nearest_centres(points, centres)
    expected = []
    for x in X:
        d = [sum((Fraction(v) - Fraction(s, c)) ** 2 for v, s in zip(x, sums)) for sums, c in centres]
        expected.append(d.index(min(d)))
    assert labels == expected == [0, 0, 1, 1]


# ------------------------------------------------------------------ whole fits against the oracles
@pytest.mark.parametrize("seed", [4, 11, 12])
def test_fit_on_benchmark_shaped_data_matches_lloyd_in_fractions(seed):
    X = blobs(seed, 600)
    init = X[:4]
    model = KMeans(n_clusters=4, init=init).fit(X)
    centres, labels, inertia = lloyd_by_hand(X, init)
    assert as_fractions(model.cluster_centers_) == centres
    assert model.labels_ == labels
    assert model.inertia_ == Rational(inertia.numerator, inertia.denominator)


@pytest.mark.parametrize("seed", [4, 42, 38, 11, 12])
def test_fit_agrees_with_scikit_learn_on_every_benchmark_seed(seed):
    X = blobs(seed, 20_000)
    init = X[:4]
    model = KMeans(n_clusters=4, init=init).fit(X)
    sk = SkKMeans(n_clusters=4, init=np.array(init, dtype=float), n_init=1, algorithm="lloyd", max_iter=300, tol=0).fit(
        np.array(X, dtype=float)
    )
    assert model.n_iter_ == sk.n_iter_
    assert model.labels_ == sk.labels_.tolist()
    assert np.allclose(np.array(model.cluster_centers_, dtype=float), sk.cluster_centers_, rtol=1e-12)
    assert float(model.inertia_) == pytest.approx(sk.inertia_, rel=1e-9)


def test_integer_lists_numpy_arrays_and_sympy_integers_give_the_same_fit():
    X = blobs(7, 300)
    init = X[:4]
    from_lists = KMeans(n_clusters=4, init=init).fit(X)
    from_array = KMeans(n_clusters=4, init=init).fit(np.array(X, dtype=np.int32))
    from_sympy = KMeans(n_clusters=4, init=init).fit([[Integer(v) for v in row] for row in X])  # the exact path
    for other in (from_array, from_sympy):
        assert other.cluster_centers_ == from_lists.cluster_centers_
        assert other.labels_ == from_lists.labels_
        assert other.inertia_ == from_lists.inertia_
        assert [it.labels for it in other.history_] == [it.labels for it in from_lists.history_]


@pytest.mark.parametrize("scale", [1, 2**40, 2**55, 2**70])
def test_large_coordinates_give_the_same_fit_as_the_pure_python_path(scale, monkeypatch):
    # 2^40: float64 proposals; 2^55: int64 arrays, exact decisions; 2^70: past int64, Python ints throughout.
    X = blobs(3, 200, scale=scale)
    init = X[:4]
    fast = KMeans(n_clusters=4, init=init).fit(X)
    monkeypatch.setattr(nearest, "_np", None)
    pure = KMeans(n_clusters=4, init=init).fit(X)
    assert fast.cluster_centers_ == pure.cluster_centers_
    assert fast.labels_ == pure.labels_
    assert fast.inertia_ == pure.inertia_
    assert fast.n_iter_ == pure.n_iter_


def test_symmetric_data_full_of_exact_ties_matches_the_oracle():
    # A square lattice with centres placed symmetrically: many points are equidistant from two or four centres.
    X = [[x, y] for x in range(-6, 7) for y in range(-6, 7)]
    init = [[-1, -1], [1, -1], [-1, 1], [1, 1]]
    model = KMeans(n_clusters=4, init=init).fit(X)
    centres, labels, inertia = lloyd_by_hand(X, init)
    assert as_fractions(model.cluster_centers_) == centres
    assert model.labels_ == labels
    assert model.inertia_ == Rational(inertia.numerator, inertia.denominator)


def test_an_emptied_cluster_takes_the_same_point_on_both_paths(monkeypatch):
    # The third starting centre is far from every point, so its cluster empties in the first iteration.
    X = blobs(5, 120)
    init = [X[0], X[1], [10**6, 10**6], X[3]]
    fast = KMeans(n_clusters=4, init=init).fit(X)
    monkeypatch.setattr(nearest, "_np", None)
    pure = KMeans(n_clusters=4, init=init).fit(X)
    assert fast.history_[0].relocated == pure.history_[0].relocated != ()
    assert fast.cluster_centers_ == pure.cluster_centers_
    assert fast.labels_ == pure.labels_
