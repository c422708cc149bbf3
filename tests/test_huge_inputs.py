"""SVC, K-means and k-NN on numbers of thousands of digits: exact, fast, and printable (issue 19).

sympy builds the square root of an integer by factoring it, and does so again at every product it
forms; on a 10,000-digit radicand one root takes minutes.  exactml keeps such roots as
:class:`~exactml.arith.distance.Radical` and shows learned values too long to print by their decimals.
Every expected value below is worked out by hand from the geometry of the points.
"""

from __future__ import annotations

import time

import sympy
from sympy import Integer, Rational

from exactml import SVC, KMeans, KNeighborsClassifier
from exactml.arith.distance import Radical, root

BIG = 10**5000


def _quick(seconds: float = 5.0):
    start = time.process_time()
    return lambda: time.process_time() - start < seconds


def test_root_of_a_huge_integer_is_built_without_factoring_it():
    done = _quick(2)
    n = 10**600 + 7
    r = root(n)
    assert r.has(Radical)
    assert sympy.expand(r**2) == n  # (c·√m)² = c²·m = n
    assert abs(r.evalf(40) / Integer(10) ** 300 - 1) < Rational(1, 10**35)  # √(10^600 + 7) ≈ 10^300
    assert done()


def test_a_huge_perfect_square_still_has_an_exact_integer_root():
    assert root((10**400 + 1) ** 2) == 10**400 + 1
    assert root(Rational(9, (10**400 + 1) ** 2)) == Rational(3, 10**400 + 1)


def test_small_roots_are_sympy_roots_as_before():
    assert root(4394) == 13 * sympy.sqrt(26)
    assert root(Rational(1, 8)) == sympy.sqrt(2) / 4
    assert not root(10**100 + 3).has(Radical)


def test_svc_margin_on_two_points_ten_thousand_digits_apart():
    # Two points, one per class: the widest margin is the distance between them, √(BIG² + 1).
    done = _quick()
    model = SVC(kernel="linear").fit([[BIG, 1], [0, 0]], [1, -1])
    assert sympy.expand(model.margin_.exact**2) == BIG**2 + 1
    # w = 2(x₁ − x₂)/‖x₁ − x₂‖² and b = −1 (w·x₂ + b = −1 at x₂ = 0)
    assert [w.exact if hasattr(w, "exact") else w for w in model.coef_] == [
        Rational(2 * BIG, BIG**2 + 1),
        Rational(2, BIG**2 + 1),
    ]
    assert model.intercept_ == -1
    assert repr(model.margin_).startswith("≈ 1.000e+5000 (exact:")
    assert model.predict([[BIG, 0], [1, 0]]) == [1, -1]
    assert "e+5000" in str(model.derivation_)
    assert r"\sqrt{" in model.derivation_.to_latex()
    assert done()


def test_kmeans_centres_and_inertia_on_ten_thousand_digit_points():
    done = _quick()
    X = [[BIG, 0], [BIG + 2, 0], [0, BIG], [0, BIG + 4]]
    model = KMeans(n_clusters=2, init=[[BIG, 0], [0, BIG]]).fit(X)
    # The two pairs are the clusters; each centre is its pair's midpoint; the inertia is 1 + 1 + 4 + 4.
    assert model.labels_ == [0, 0, 1, 1]
    centres = [[v.exact if hasattr(v, "exact") else v for v in c] for c in model.cluster_centers_]
    assert centres == [[BIG + 1, 0], [0, BIG + 2]]
    assert model.inertia_ == 10
    assert model.predict([[BIG, 5], [3, BIG]]) == [0, 1]
    assert repr(model.cluster_centers_).startswith("[[≈ 1.000e+5000 (exact: 5,001-digit integer), 0]")
    assert "Iteration" in str(model.derivation_)
    assert "The figure is not drawn" in model.derivation_.to_latex()
    assert done()


def test_knn_distances_on_ten_thousand_digit_points():
    done = _quick()
    model = KNeighborsClassifier(n_neighbors=3, weights="distance").fit([[BIG, 0], [0, BIG], [1, 1]], [0, 1, 1])
    distances, indices = model.kneighbors([BIG, 1])
    # to (BIG, 0): 1; to (1, 1): BIG − 1; to (0, BIG): √(BIG² + (BIG − 1)²)
    assert indices == [0, 2, 1]
    assert distances[0] == 1 and distances[1].exact == BIG - 1
    assert sympy.expand(distances[2].exact ** 2) == 2 * BIG**2 - 2 * BIG + 1
    # Weights 1, 1/(BIG − 1) and 1/√(…): class 0 has 1, class 1 less than 2/(BIG − 1)
    assert model.predict([[BIG, 1]]) == [0]
    text = str(model.derivation_)
    assert "≈" in text
    assert r"\sqrt{" in model.derivation_.to_latex()
    assert done()


def test_knn_derivation_on_hundred_digit_points_prints_its_differences():
    big = 10**100
    model = KNeighborsClassifier(n_neighbors=1).fit([[big + 12345, 3], [7, big]], [0, 1])
    assert model.predict([[big, 1]]) == [0]
    text = str(model.derivation_)  # the differences written out, (10¹⁰⁰ − (10¹⁰⁰ + 12345))², evaluated for display
    assert "≈" in text and "12345" in text.replace(",", "")


def test_a_radical_is_a_positive_irrational_real_to_sympy():
    r = Radical(10**400 + 3, 2)
    assert r.is_positive and r.is_real and r.is_irrational and not r.is_integer
    assert r**2 == Integer(10**400 + 3) and r**4 == Integer(10**400 + 3) ** 2
    assert (3 * r + 2 * r) == 5 * r  # like terms gather without rebuilding the root
