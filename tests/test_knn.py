"""k-NN: the source's customers worked by hand, the tie rules, bad input, and scikit-learn as an oracle."""

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.neighbors import KNeighborsClassifier as SkKNN
from sympy import Rational, sqrt

from exactml import NotFittedError
from exactml.arith import nearest
from exactml.handout import knn as chapter
from exactml.handout.context import Context
from exactml.knn import KNeighborsClassifier
from exactml.knn.command import derive_table

CUSTOMERS = [[25, 40, 650], [35, 60, 700], [45, 80, 750], [30, 50, 600], [40, 70, 720]]
GOOD = ["No", "Yes", "Yes", "No", "Yes"]
QUERY = [38, 65, 710]


@pytest.fixture(params=["numpy", "pure"])
def path(request, monkeypatch):
    if request.param == "pure":
        monkeypatch.setattr(nearest, "_np", None)
    return request.param


@pytest.fixture
def source():
    return KNeighborsClassifier(n_neighbors=3).fit(CUSTOMERS, GOOD, feature_names=["Age", "Income", "Credit Score"])


# ------------------------------------------------------------------ the source's example
def test_the_three_neighbours_of_the_new_customer(source, path):
    distances, indices = source.kneighbors(QUERY)
    assert [CUSTOMERS[i] for i in indices] == [[40, 70, 720], [35, 60, 700], [45, 80, 750]]
    assert distances == [sqrt(129), sqrt(134), sqrt(1874)]


def test_the_new_customer_is_predicted_good(source, path):
    assert source.predict([QUERY]) == ["Yes"]


def test_every_distance_in_the_table_is_exact(source):
    d = source.explain(QUERY)
    # (13, 25, 60), (3, 5, 10), (−7, −15, −40), (8, 15, 110), (−2, −5, −10) squared and added
    assert d["distances"].result == (13 * sqrt(26), sqrt(134), sqrt(1874), sqrt(12389), sqrt(129))


def test_the_ranking_and_the_vote(source):
    d = source.explain(QUERY)
    assert d["sorted"].result == (4, 1, 2, 0, 3)
    assert d["nearest"].result == (4, 1, 2)
    assert d["vote"].result == "Yes"
    assert d["prediction"].result == "Yes"


def test_the_weights_are_one_over_each_distance(source):
    d = source.explain(QUERY)
    weights = [eq.forms[-1] for eq in d["weighted_vote"].part("weights")]
    assert weights == [1 / sqrt(129), 1 / sqrt(134), 1 / sqrt(1874)]
    total = d["weighted_vote"].part("totals")[-1].forms[-1]
    assert sympy.simplify(total - (1 / sqrt(129) + 1 / sqrt(134) + 1 / sqrt(1874))) == 0
    assert abs(float(total) - 0.1975319) < 1e-6


def test_the_derivation_renders_with_its_figure(source):
    tex = source.explain(QUERY).to_latex()
    assert r"\sqrt{129}" in tex and r"13 \sqrt{26}" in tex and r"\begin{tikzpicture}" in tex
    assert r"Credit Score" in tex


def test_kneighbors_of_several_points_gives_a_list_per_point(source):
    distances, indices = source.kneighbors([QUERY, [40, 70, 720]], n_neighbors=1)
    assert indices == [[4], [4]]
    assert distances == [[sqrt(129)], [0]]


# ------------------------------------------------------------------ metrics and exact data
def test_manhattan_distances(path):
    model = KNeighborsClassifier(3, metric="manhattan").fit(CUSTOMERS, GOOD)
    assert model.kneighbors(QUERY) == ([17, 18, 62], [4, 1, 2])  # 2+5+10, 3+5+10, 7+15+40


def test_minkowski_p3_distances_are_cube_roots():
    model = KNeighborsClassifier(1, metric="minkowski", p=3).fit(CUSTOMERS, GOOD)
    # to (40, 70, 720): 2³ + 5³ + 10³ = 1133, which has no cube factor
    assert model.kneighbors(QUERY) == ([sympy.root(1133, 3)], [4])


def test_fractional_data_and_query(path):
    model = KNeighborsClassifier(1).fit([["1/2", 0], [3, 3]], ["a", "b"])
    assert model.kneighbors([0, Rational(1, 3)]) == ([sqrt(13) / 6], [0])  # √(1/4 + 1/9)
    assert model.predict([["0.25", "0.5"]]) == ["a"]


# ------------------------------------------------------------------ tie rules
def test_equal_distances_keep_training_order(path):
    model = KNeighborsClassifier(2).fit([[3], [1], [-1], [1]], ["a", "b", "c", "d"])
    assert model.kneighbors([0]) == ([1, 1], [1, 2])
    d = model.explain([0])
    assert "tie rule" in d["nearest"].part("tie").text


def test_a_tied_vote_goes_to_the_class_with_the_nearest_member(path):
    model = KNeighborsClassifier(2).fit([[5], [-1], [3]], ["far", "near", "far"])
    assert model.predict([[0]]) == ["near"]
    vote = model.explain([0])["vote"]
    assert vote.result == "near" and "tied" in vote.part("tie").text


def test_an_exact_match_decides_the_distance_weighted_vote(path):
    model = KNeighborsClassifier(3, weights="distance").fit([[0], [1], [1]], ["A", "B", "B"])
    assert model.predict([[0]]) == ["A"]
    step = model.explain([0])["weighted_vote"]
    assert step.result == "A" and "coincides" in step.part("coincide").text


def test_distance_weights_can_overrule_the_majority(path):
    X, y = [[1], [3], [3]], ["A", "B", "B"]  # W(A) = 1, W(B) = 1/3 + 1/3
    assert KNeighborsClassifier(3).fit(X, y).predict([[0]]) == ["B"]
    assert KNeighborsClassifier(3, weights="distance").fit(X, y).predict([[0]]) == ["A"]


def test_an_exact_tie_of_irrational_weights_is_detected():
    # A at √8 weighs √2/4; B twice at √32 weighs √2/8 + √2/8 = √2/4: a tie, which the nearest class wins
    model = KNeighborsClassifier(3, weights="distance").fit([[4, 4], [2, 2], [-4, -4]], ["B", "A", "B"])
    assert model.predict([[0, 0]]) == ["A"]
    assert "tied" in model.explain([0, 0])["weighted_vote"].part("tie").text


def test_nearly_equal_irrational_weights_are_ordered_exactly():
    # 1/√2 + 1/√8 = 3√2/4 ≈ 1.06066 against 1/√(8/9) ≈ 1.06066 as well: equal, so the nearer A wins;
    # then nudge B just closer and B must win.
    model = KNeighborsClassifier(3, weights="distance")
    X = [[1, 1], [2, 2], [Rational(2, 3), Rational(2, 3)]]
    assert model.fit(X, ["B", "B", "A"]).predict([[0, 0]]) == ["A"]
    X[1] = [Rational(199, 100), 2]
    assert model.fit(X, ["B", "B", "A"]).predict([[0, 0]]) == ["B"]


# ------------------------------------------------------------------ bad input
def test_more_neighbours_than_training_points_is_refused():
    with pytest.raises(ValueError, match="only 5 training points"):
        KNeighborsClassifier(6).fit(CUSTOMERS, GOOD)


def test_an_empty_training_set_is_refused():
    with pytest.raises(ValueError, match="empty"):
        KNeighborsClassifier(1).fit([], [])


@pytest.mark.parametrize("call", ["predict", "kneighbors", "explain"])
def test_a_query_of_the_wrong_dimension_is_refused(source, call):
    query = [[38, 65]] if call == "predict" else [38, 65]
    with pytest.raises(ValueError, match="2 values per row but the model was fitted on 3 features"):
        getattr(source, call)(query)


def test_predict_needs_rows_of_queries(source):
    with pytest.raises(ValueError, match=r"\[\[x1, x2"):
        source.predict(QUERY)


def test_asking_before_fitting_is_refused():
    with pytest.raises(NotFittedError):
        KNeighborsClassifier().predict([[1]])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_neighbors": 0}, "n_neighbors"),
        ({"n_neighbors": 2.5}, "n_neighbors"),
        ({"weights": "inverse"}, "weights"),
        ({"metric": "cosine"}, "metric"),
        ({"metric": "minkowski", "p": 0.5}, "whole number"),
    ],
)
def test_bad_hyper_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        KNeighborsClassifier(**kwargs).fit([[1], [2]], [0, 1])


def test_a_non_numeric_feature_names_its_row_and_column():
    with pytest.raises(ValueError, match="row 1, column 'Income'"):
        KNeighborsClassifier(1).fit([[1, 2], [3, "lots"]], [0, 1], feature_names=["Age", "Income"])


def test_labels_and_features_must_match_in_number():
    with pytest.raises(ValueError, match="2 rows but y has 3"):
        KNeighborsClassifier(1).fit([[1], [2]], [0, 1, 1])


# ------------------------------------------------------------------ large data: summaries
def test_large_data_shows_only_the_nearest(path):
    X = [[i, (7 * i) % 13] for i in range(200)]  # point 50 is (50, 12)
    y = [i % 3 for i in range(200)]
    d = KNeighborsClassifier(4).fit(X, y).explain([50, 12])
    # (48, 11), (46, 10) and (53, 7) are the next nearest: 2² + 1², 4² + 2², 3² + 5²
    assert d["nearest"].result == (50, 48, 46, 53)
    assert d["distances"].result == (0, sqrt(5), 2 * sqrt(5), sqrt(34))
    assert "200 distances" in d["distances"].part("count").text


# ------------------------------------------------------------------ the CLI and the handout
def test_derive_table_on_the_source_csv():
    header = ["Age", "Income", "Credit Score", "Good Customer"]
    body = [[str(v) for v in r] + [c] for r, c in zip(CUSTOMERS, GOOD)]
    d = derive_table(header, body, target="Good Customer", query="38,65,710")
    assert d["prediction"].result == "Yes" and d["nearest"].result == (4, 1, 2)
    with pytest.raises(ValueError, match="query"):  # never the handout's customer by default
        derive_table(header, body, target="Good Customer")
    with pytest.raises(ValueError, match="3 feature columns"):
        derive_table(header, body, target="Good Customer", query="38,65")
    d = derive_table(header, body, target="Good Customer", k="5", query="25,40,650", weights="distance")
    assert d["prediction"].result == "No"  # an exact match
    with pytest.raises(ValueError, match="--target"):
        derive_table(header, body)
    with pytest.raises(ValueError, match="no column 'Good'"):
        derive_table(header, body, target="Good")
    with pytest.raises(ValueError, match="whole number"):
        derive_table(header, body, target="Good Customer", k="three", query="38,65,710")


def test_the_chapter_reports_exactly_the_sources_wrong_numbers():
    ctx = Context()
    tex = chapter.chapter(ctx)
    assert [(e.section, e.stated) for e in ctx.errata] == [
        ("5.2.2", "65.19"),
        ("5.2.2, 5.2.3", "43.57"),
        ("5.2.2", "111.36"),
        ("5.2.4", "0.197"),
    ]
    assert [e.exact for e in ctx.errata[:3]] == [13 * sqrt(26), sqrt(1874), sqrt(12389)]
    assert [e.kind for e in ctx.errata] == ["arithmetic slip"] * 3 + ["rounding"]
    assert r"\subsubsection{Weighted k-NN}" in tex and "66.287" in tex and "65.19" not in tex


# ------------------------------------------------------------------ scikit-learn as an oracle
small_points = st.integers(1, 3).flatmap(
    lambda d: st.lists(st.lists(st.integers(-40, 40), min_size=d, max_size=d), min_size=6, max_size=30)
)


@settings(max_examples=25, deadline=None)
@given(small_points, st.data(), st.sampled_from(["uniform", "distance"]), st.sampled_from([1, 2]), st.booleans())
def test_agrees_with_scikit_learn_where_the_answer_is_unambiguous(X, data, weights, p, use_numpy):
    n, d = len(X), len(X[0])
    y = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    k = data.draw(st.integers(1, min(5, n - 1)))
    Q = data.draw(st.lists(st.lists(st.integers(-45, 45), min_size=d, max_size=d), min_size=1, max_size=5))
    sk = SkKNN(n_neighbors=k, weights=weights, algorithm="brute", p=p).fit(np.array(X), np.array(y))
    sk_dist, sk_idx = sk.kneighbors(np.array(Q), n_neighbors=k + 1)
    proba = sk.predict_proba(np.array(Q))
    saved = nearest._np
    try:
        if not use_numpy:
            nearest._np = None
        model = KNeighborsClassifier(k, weights=weights, metric="minkowski", p=p).fit(X, y)
        ours_dist, ours_idx = model.kneighbors(Q)
        ours_pred = model.predict(Q)
    finally:
        nearest._np = saved
    clear = 0
    for r in range(len(Q)):
        assert np.allclose([float(v) for v in ours_dist[r]], sk_dist[r][:k])
        if sk_dist[r][k - 1] + 1e-9 < sk_dist[r][k]:  # no tie across the k-th place
            assert set(ours_idx[r]) == set(sk_idx[r][:k].tolist())
            top = np.sort(proba[r])
            if len(top) == 1 or top[-1] > top[-2] + 1e-9:  # no tie in the vote
                assert ours_pred[r] == sk.classes_[np.argmax(proba[r])]
                clear += 1
    assume(clear > 0)


def test_distance_weights_beyond_float_range_are_settled_exactly(path):
    # keys near 10^400 overflow a float; the vote is then settled with exact roots
    model = KNeighborsClassifier(2, weights="distance").fit([[10**200], [-(10**200) - 1]], ["A", "B"])
    assert model.predict([[0]]) == ["A"]
