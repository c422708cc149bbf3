"""K-means: the source's customers worked by hand, the documented rules, bad input, and scikit-learn as an oracle."""

import random
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.cluster import KMeans as SkKMeans
from sympy import Rational, sqrt

from exactml import NotFittedError
from exactml.arith import nearest
from exactml.handout import kmeans as chapter
from exactml.handout.context import Context
from exactml.kmeans import KMeans
from exactml.kmeans.command import derive_table

CUSTOMERS = [[2, 8], [4, 6], [3, 5], [8, 2], [9, 3], [7, 1]]
START = [[2, 8], [8, 2]]


@pytest.fixture(params=["numpy", "pure"])
def path(request, monkeypatch):
    if request.param == "pure":
        monkeypatch.setattr(nearest, "_np", None)
    return request.param


@pytest.fixture
def source(path):
    return KMeans(n_clusters=2, init=START).fit(CUSTOMERS)


# ------------------------------------------------------------------ the source's example
def test_converges_to_3_19_thirds_and_8_2(source):
    assert source.cluster_centers_ == [[3, Rational(19, 3)], [8, 2]]
    assert source.labels_ == [0, 0, 0, 1, 1, 1]
    assert source.converged_ and source.n_iter_ == 2


def test_the_objective_is_32_thirds(source):
    # around (3, 19/3): 1 + 25/9, 1 + 1/9, 0 + 16/9; around (8, 2): 0, 1 + 1, 1 + 1
    assert source.inertia_ == Rational(32, 3)


def test_the_first_iteration_step_by_step(source):
    first = source.history_[0]
    assert first.centres == [[2, 8], [8, 2]]
    assert first.labels == [0, 0, 0, 1, 1, 1]
    assert first.objective == 22  # 0 + 8 + 10 and 0 + 2 + 2
    assert first.new_centres == [[3, Rational(19, 3)], [8, 2]]  # (2+4+3)/3, (8+6+5)/3; (8+9+7)/3, (2+3+1)/3
    assert first.new_objective == Rational(32, 3)


def test_the_objective_never_increases(source):
    values = [v for it in source.history_ for v in (it.objective, it.new_objective)]
    assert values == [22, Rational(32, 3), Rational(32, 3), Rational(32, 3)]


def test_the_distance_table_has_the_right_values(source):
    table = source.derivation_["iter1/distances"].part("table")
    d1 = [row[1] for row in table.rows]
    d2 = [row[3] for row in table.rows]
    assert d1 == [0, 2 * sqrt(2), sqrt(10), 6 * sqrt(2), sqrt(74), sqrt(74)]  # (9,3): 7² + 5² = 74
    assert d2 == [6 * sqrt(2), 4 * sqrt(2), sqrt(34), 0, sqrt(2), sqrt(2)]  # (7,1): 1² + 1² = 2


def test_the_derivation_shows_each_centre_as_a_mean(source):
    d = source.derivation_
    assert d["iter1/update"].result == ((3, Rational(19, 3)), (8, 2))
    assert d["iter1/assign"].result == (0, 0, 0, 1, 1, 1)
    assert d["converged"].result is True
    assert d["result"].result == Rational(32, 3)
    tex = d.to_latex()
    assert r"\frac{19}{3}" in tex and r"\left(2 + 4 + 3\right)" in tex and r"\begin{tikzpicture}" in tex


def test_predict_uses_the_final_centres(source):
    assert source.predict([[0, 10], [10, 0], [Rational(11, 2), Rational(25, 6)]]) == [0, 1, 0]
    # (11/2, 25/6) is exactly halfway between (3, 19/3) and (8, 2): the lower-numbered cluster wins


# ------------------------------------------------------------------ documented rules
def test_a_point_halfway_between_centres_joins_the_lower_numbered(path):
    km = KMeans(2, init=[[0], [2]], max_iter=1).fit([[0], [2], [1]])
    assert km.history_[0].labels == [0, 1, 0]


def test_an_empty_cluster_takes_the_farthest_point(path):
    # every point is nearest to 0; clusters 2 and 3 are empty, so they take 11 and 10, the farthest
    km = KMeans(3, init=[[0], [100], [1000]]).fit([[0], [1], [10], [11]])
    assert km.history_[0].relocated == ((1, 3), (2, 2))
    assert km.cluster_centers_ == [[Rational(1, 2)], [11], [10]]
    assert km.inertia_ == Rational(1, 2)
    assert km.history_[0].new_objective <= km.history_[0].objective
    update = km.derivation_["iter1/update"]
    assert "farthest" in update.part("relocated")[-1].text
    assert update.part("centres")[0].forms[-1] == (Rational(1, 2),)  # the mean of what is left: (0 + 1)/2


def test_the_empty_cluster_rule_matches_scikit_learn():
    sk = SkKMeans(3, init=np.array([[0.0], [100.0], [1000.0]]), n_init=1, algorithm="lloyd", tol=0)
    sk.fit(np.array([[0], [1], [10], [11]]))
    km = KMeans(3, init=[[0], [100], [1000]]).fit([[0], [1], [10], [11]])
    assert np.allclose(sk.cluster_centers_, [[float(c) for c in r] for r in km.cluster_centers_])


def test_kmeans_plus_plus_is_reproducible_with_a_seed():
    a = KMeans(3, random_state=7).fit(CUSTOMERS)
    b = KMeans(3, random_state=7).fit(CUSTOMERS)
    assert a.init_centers_ == b.init_centers_ and a.cluster_centers_ == b.cluster_centers_
    assert all(c in CUSTOMERS for c in a.init_centers_)
    assert len({tuple(c) for c in a.init_centers_}) == 3


def test_kmeans_plus_plus_draws_in_proportion_to_squared_distance():
    # Replay the draws with the same generator: first uniformly, then below ΣD².
    rng = random.Random(0)
    first = rng.randrange(6)
    weights = [sum((a - b) ** 2 for a, b in zip(x, CUSTOMERS[first])) for x in CUSTOMERS]
    r = rng.randrange(sum(weights))
    second = next(i for i in range(6) if sum(weights[: i + 1]) > r)
    km = KMeans(2, random_state=0).fit(CUSTOMERS)
    assert km.init_centers_ == [CUSTOMERS[first], CUSTOMERS[second]]
    table = next(n for n in km.derivation_["init"].part("draws") if hasattr(n, "rows"))
    assert [row[2] for row in table.rows] == weights


def test_stopping_at_max_iter_assigns_to_the_last_centres(path):
    km = KMeans(2, init=START, max_iter=1).fit(CUSTOMERS)
    assert not km.converged_ and km.n_iter_ == 1
    assert km.cluster_centers_ == [[3, Rational(19, 3)], [8, 2]]
    assert km.labels_ == [0, 0, 0, 1, 1, 1] and km.inertia_ == Rational(32, 3)
    assert "max" in km.derivation_["converged"].why


def test_fractional_data_stay_exact(path):
    km = KMeans(2, init=[["0.5"], [10]]).fit([["0.5"], ["1/3"], [10], ["10.25"]])
    assert km.cluster_centers_ == [[Rational(5, 12)], [Rational(81, 8)]]
    assert km.inertia_ == Rational(1, 72) + Rational(1, 32)  # 2·(1/12)² + 2·(1/8)²


def test_a_single_cluster_is_the_mean(path):
    km = KMeans(1, init=[[0, 0]]).fit(CUSTOMERS)
    assert km.cluster_centers_ == [[Rational(11, 2), Rational(25, 6)]]


# ------------------------------------------------------------------ bad input
def test_more_clusters_than_points_is_refused():
    with pytest.raises(ValueError, match="only 6 points"):
        KMeans(7).fit(CUSTOMERS)


def test_kmeans_plus_plus_needs_enough_distinct_points():
    with pytest.raises(ValueError, match="fewer than 3 distinct points"):
        KMeans(3, random_state=0).fit([[1, 1], [1, 1], [2, 2]])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_clusters": 0}, "n_clusters"),
        ({"max_iter": 0}, "max_iter"),
        ({"random_state": "seed"}, "random_state"),
        ({"init": "random"}, "init must be"),
        ({"init": [[1, 2]]}, "2 centres of 2"),
        ({"init": [[1], [2]]}, "2 centres"),
    ],
)
def test_bad_hyper_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        KMeans(**{"n_clusters": 2, **kwargs}).fit(CUSTOMERS)


def test_a_bad_value_names_its_row_and_column():
    with pytest.raises(ValueError, match="row 2, column 1"):
        KMeans(1).fit([[1, 2], [3, 4], [5, "x"]])


def test_predicting_before_fitting_or_in_the_wrong_dimension_is_refused(source):
    with pytest.raises(NotFittedError):
        KMeans().predict([[1, 2]])
    with pytest.raises(ValueError, match="3 values per row but the model was fitted on 2 features"):
        source.predict([[1, 2, 3]])


# ------------------------------------------------------------------ large data: summaries
def test_large_data_keeps_summaries_only(path):
    rng = random.Random(1)
    X = [[rng.randrange(100), rng.randrange(100)] for _ in range(300)]
    km = KMeans(3, init=X[:3]).fit(X)
    d = km.derivation_
    assert d["iter1/distances"].how == ()
    assert sum(d["iter1/assign"].result) == 300  # the cluster sizes
    assert "300 points" in d["data"].part("count").text


# ------------------------------------------------------------------ the CLI and the handout
def test_derive_table_on_the_source_csv():
    header = ["Spending", "Visits"]
    body = [[str(a), str(b)] for a, b in CUSTOMERS]
    d = derive_table(header, body, k="2", init="2,8;8,2")
    assert d["result"].result == Rational(32, 3)
    d = derive_table(header, body, k="2", init="first")  # the first two rows: (2, 8) and (4, 6)
    assert d["init"].result == ((2, 8), (4, 6))
    with pytest.raises(ValueError, match="number of clusters"):  # no k taken from the handout
        derive_table(header, body)
    d = derive_table(
        header + ["id"],
        [r + [str(i)] for i, r in enumerate(body)],
        target="id",
        k="2",
        init="k-means++",
        random_state="3",
    )
    assert d["init"].result[0] in {tuple(c) for c in CUSTOMERS}
    with pytest.raises(ValueError, match="no column 'Label'"):
        derive_table(header, body, k="2", target="Label")
    with pytest.raises(ValueError, match="whole numbers"):
        derive_table(header, body, k="two")


def test_the_chapter_reports_exactly_the_sources_wrong_numbers():
    ctx = Context()
    tex = chapter.chapter(ctx)
    assert [(e.section, e.stated, e.exact) for e in ctx.errata] == [
        ("6.2.2", "9.22", sqrt(74)),
        ("6.2.2", "2.24", sqrt(2)),
    ]
    assert r"\subsection{Mathematical Objective}" in tex and r"\frac{32}{3}" in tex


# ------------------------------------------------------------------ scikit-learn as an oracle
def has_ties_or_empty_clusters(X, history):
    """True when some assignment had a point exactly as close to two centres, or a cluster went empty."""
    for it in history:
        if any(c == 0 for c in it.counts):
            return True
        for x in X:
            keys = sorted(
                sum((Fraction(a) - Fraction(int(c.p), int(c.q))) ** 2 for a, c in zip(x, centre))
                for centre in it.centres
            )
            if len(keys) > 1 and keys[0] == keys[1]:
                return True
    return False


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda d: st.lists(
            st.lists(st.integers(-500, 500), min_size=d, max_size=d), min_size=4, max_size=40, unique_by=tuple
        )
    ),
    st.integers(1, 4),
    st.booleans(),
)
def test_agrees_with_scikit_learn_on_centres_and_inertia(X, K, use_numpy):
    K = min(K, len(X))
    init = X[-K:]
    saved = nearest._np
    try:
        if not use_numpy:
            nearest._np = None
        km = KMeans(K, init=init).fit(X)
    finally:
        nearest._np = saved
    assume(not has_ties_or_empty_clusters(X, km.history_))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = SkKMeans(K, init=np.array(init, dtype=float), n_init=1, algorithm="lloyd", tol=0, max_iter=300)
        sk.fit(np.array(X, dtype=float))
    ours = np.array([[float(c) for c in centre] for centre in km.cluster_centers_])
    assert np.allclose(ours, sk.cluster_centers_, rtol=1e-9, atol=1e-9)
    assert abs(float(km.inertia_) - sk.inertia_) <= 1e-9 * max(1.0, sk.inertia_)
    assert km.labels_ == sk.labels_.tolist()
    assert km.n_iter_ == sk.n_iter_
