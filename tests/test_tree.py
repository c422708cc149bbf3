"""Decision trees: the source's customers by hand, scikit-learn as an outside oracle, bad input, the chapter."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.tree import DecisionTreeClassifier as SklearnTree
from sympy import Rational, log

from exactml import DataError, DecisionTreeClassifier, NotFittedError
from exactml.cli import main
from exactml.latex.figures.tree import draw
from exactml.latex.render import LatexRenderer

LOG2_3 = log(3) / log(2)
FEATURES = ["Age", "Income", "Student"]
CUSTOMERS = [
    ["Youth", "High", "No"],
    ["Youth", "High", "Yes"],
    ["Middle", "High", "No"],
    ["Senior", "Medium", "No"],
    ["Senior", "Low", "Yes"],
    ["Senior", "Low", "No"],
]
BUYS = ["No", "Yes", "Yes", "Yes", "Yes", "No"]


@pytest.fixture(scope="module")
def gini_tree():
    return DecisionTreeClassifier().fit(CUSTOMERS, BUYS, feature_names=FEATURES)


@pytest.fixture(scope="module")
def entropy_tree():
    return DecisionTreeClassifier(criterion="entropy").fit(CUSTOMERS, BUYS, feature_names=FEATURES)


# ------------------------------------------------------------------ the source's six customers
def test_parent_gini_is_four_ninths(gini_tree):
    assert gini_tree.root_.impurity == Rational(4, 9)
    assert gini_tree.derivation_["root/gini"].result == Rational(4, 9)


def test_parent_entropy_is_log2_3_minus_two_thirds(gini_tree):
    assert gini_tree.derivation_["root/entropy"].result == LOG2_3 - Rational(2, 3)


def test_root_gains_are_age_1_18_income_1_18_student_1_9(gini_tree):
    assert gini_tree.root_.gains == {"Age": Rational(1, 18), "Income": Rational(1, 18), "Student": Rational(1, 9)}


def test_root_splits_on_student(gini_tree):
    assert gini_tree.root_.feature == "Student"
    assert gini_tree.root_.gain == Rational(1, 9)


def test_the_income_gap_is_computed(gini_tree):
    # High [2 Yes, 1 No] 4/9, Medium [1, 0] 0, Low [1, 1] 1/2: 4/9 - (3/6·4/9 + 2/6·1/2) = 1/18
    assert gini_tree.derivation_["root/gain/Income"].result == Rational(1, 18)


def test_entropy_gain_of_student_is_log2_3_minus_four_thirds(entropy_tree):
    assert entropy_tree.root_.gains["Student"] == LOG2_3 - Rational(4, 3)
    assert entropy_tree.root_.feature == "Student"


def test_entropy_gains_of_age_and_income_are_half_log2_3_minus_two_thirds(entropy_tree):
    assert entropy_tree.root_.gains["Age"] == LOG2_3 / 2 - Rational(2, 3)
    assert entropy_tree.root_.gains["Income"] == LOG2_3 / 2 - Rational(2, 3)


def test_every_gain_is_recorded_at_every_inner_node(gini_tree):
    no = gini_tree.root_.children["No"]  # [2 Yes, 2 No]: Age and Income both reach 1/2 - 1/4
    assert no.counts == {"No": 2, "Yes": 2}
    assert no.gains == {"Age": Rational(1, 4), "Income": Rational(1, 4)}
    assert gini_tree.derivation_[f"{no.key}/gain/Age"].result == Rational(1, 4)


def test_equal_gains_go_to_the_first_column_and_the_derivation_says_so(gini_tree):
    no = gini_tree.root_.children["No"]
    assert no.feature == "Age"
    note = " ".join(n.text for n in gini_tree.derivation_[f"{no.key}/choice"].how)
    assert "exactly equal" in note and "first among the columns" in note
    assert "first among the columns" in gini_tree.derivation_["rule"].part("ties").text


def test_the_tie_rule_follows_column_order():
    order = [2, 1, 0]  # Student, Income, Age
    tree = DecisionTreeClassifier().fit(
        [[r[j] for j in order] for r in CUSTOMERS], BUYS, feature_names=[FEATURES[j] for j in order]
    )
    assert tree.root_.children["No"].feature == "Income"


def test_the_whole_tree(gini_tree):
    root = gini_tree.root_
    assert root.children["Yes"].is_leaf and root.children["Yes"].prediction == "Yes"
    age = root.children["No"]
    assert [b for b in age.children] == ["Youth", "Middle", "Senior"]
    assert age.children["Youth"].prediction == "No" and age.children["Middle"].prediction == "Yes"
    income = age.children["Senior"]
    assert income.feature == "Income" and income.gain == Rational(1, 2)
    assert income.children["Medium"].prediction == "Yes" and income.children["Low"].prediction == "No"
    assert gini_tree.predict(CUSTOMERS) == BUYS


def test_a_leaf_has_no_gains_and_says_why(gini_tree):
    leaf = gini_tree.root_.children["Yes"]
    assert leaf.gains == {} and leaf.feature is None
    assert "same class" in gini_tree.derivation_[f"{leaf.key}/leaf"].why


def test_max_depth_one_stops_below_the_root():
    tree = DecisionTreeClassifier(max_depth=1).fit(CUSTOMERS, BUYS, feature_names=FEATURES)
    no = tree.root_.children["No"]
    assert no.is_leaf and no.prediction == "No"  # 2 against 2: the class that sorts first
    assert "max" in tree.derivation_[f"{no.key}/leaf"].why


def test_min_samples_split_turns_small_nodes_into_leaves():
    tree = DecisionTreeClassifier(min_samples_split=5).fit(CUSTOMERS, BUYS, feature_names=FEATURES)
    assert tree.root_.feature == "Student" and tree.root_.children["No"].is_leaf


# ------------------------------------------------------------------ numeric features
def test_numeric_split_is_binary_at_the_midpoint():
    tree = DecisionTreeClassifier().fit([[1], [2], [3], [4]], [0, 0, 1, 1], feature_names=["x"])
    assert tree.root_.threshold == Rational(5, 2)
    assert tree.root_.gains == {"x": Rational(1, 2)}
    assert tree.predict([[Rational(5, 2)], ["2.6"], [0], [10]]) == [0, 1, 0, 1]


def test_equal_thresholds_go_to_the_smallest():
    # cutting at 3/2 or at 7/2 both gain 1/2 - 3/4·4/9 = 1/6; 5/2 gains 0
    tree = DecisionTreeClassifier().fit([[1], [2], [3], [4]], [0, 1, 1, 0], feature_names=["x"])
    assert tree.root_.threshold == Rational(3, 2) and tree.root_.gain == Rational(1, 6)


def test_decimal_features_are_taken_exactly():
    tree = DecisionTreeClassifier().fit([[0.1], [0.2], [0.3]], ["a", "a", "b"])
    assert tree.root_.threshold == Rational(1, 4)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.int64, st.tuples(st.integers(2, 40), st.integers(1, 3)), elements=st.integers(0, 6)), st.data())
def test_best_root_gini_gain_equals_sklearns_impurity_decrease(X, data):
    y = np.array(data.draw(st.lists(st.integers(0, 2), min_size=len(X), max_size=len(X))))
    ours = DecisionTreeClassifier().fit(X, y)
    theirs = SklearnTree(criterion="gini").fit(X, y).tree_
    if theirs.node_count == 1:
        assert ours.root_.is_leaf
        return
    left, right = theirs.children_left[0], theirs.children_right[0]
    w = theirs.weighted_n_node_samples
    decrease = theirs.impurity[0] - (w[left] * theirs.impurity[left] + w[right] * theirs.impurity[right]) / w[0]
    assert abs(float(max(ours.root_.gains.values())) - decrease) < 1e-12
    assert isinstance(max(ours.root_.gains.values()), sympy.Rational)


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.int64, st.tuples(st.integers(2, 30), st.integers(1, 3)), elements=st.integers(0, 6)), st.data())
def test_best_root_entropy_gain_equals_sklearns_impurity_decrease(X, data):
    y = np.array(data.draw(st.lists(st.integers(0, 2), min_size=len(X), max_size=len(X))))
    ours = DecisionTreeClassifier(criterion="entropy").fit(X, y)
    theirs = SklearnTree(criterion="entropy").fit(X, y).tree_
    if theirs.node_count == 1:
        assert ours.root_.is_leaf
        return
    left, right = theirs.children_left[0], theirs.children_right[0]
    w = theirs.weighted_n_node_samples
    decrease = theirs.impurity[0] - (w[left] * theirs.impurity[left] + w[right] * theirs.impurity[right]) / w[0]
    assert abs(float(max(ours.root_.gains.values(), key=float)) - decrease) < 1e-9


def test_large_integer_data_agrees_with_sklearn_and_records_only_summaries():
    rng = np.random.default_rng(4)
    X = rng.integers(0, 10, size=(20_000, 4))
    y = (X[:, 0] + 2 * X[:, 1] + rng.integers(0, 4, 20_000)) % 3
    ours = DecisionTreeClassifier(max_depth=3).fit(X, y)
    theirs = SklearnTree(max_depth=3).fit(X, y)
    assert ours.predict(X[:500]) == theirs.predict(X[:500]).tolist()
    assert "table" not in ours.derivation_["data"].parts  # no 20,000-row table


def test_integers_beyond_64_bits_stay_exact():
    tree = DecisionTreeClassifier().fit([[2**70], [2**70 + 2]], [0, 1])
    assert tree.root_.threshold == 2**70 + 1


# ------------------------------------------------------------------ bad input
def test_booleans_as_features_are_refused():
    with pytest.raises(DataError, match="boolean"):
        DecisionTreeClassifier().fit([[True], [False]], [0, 1])


def test_ragged_rows_are_refused():
    with pytest.raises(DataError, match="ragged: row 1 has 1 values"):
        DecisionTreeClassifier().fit([[1, 2], [3]], [0, 1])


def test_unknown_category_at_predict_names_the_feature_and_value(gini_tree):
    with pytest.raises(ValueError, match=r"unknown category 'Teen' for feature 'Age'"):
        gini_tree.predict([["Teen", "High", "No"]])


def test_text_for_a_numeric_feature_at_predict_is_refused():
    tree = DecisionTreeClassifier().fit([[1], [2]], [0, 1], feature_names=["x"])
    with pytest.raises(ValueError, match="'x' is numeric"):
        tree.predict([["big"]])


def test_predict_with_the_wrong_number_of_columns_is_refused(gini_tree):
    with pytest.raises(ValueError, match="2 values per row but the model was fitted on 3 features"):
        gini_tree.predict([["Youth", "High"]])


def test_predict_before_fit_is_refused():
    with pytest.raises(NotFittedError, match="not fitted"):
        DecisionTreeClassifier().predict([[1]])


def test_a_single_class_is_a_leaf_not_an_error():
    tree = DecisionTreeClassifier().fit([[1], [2], [3]], ["a", "a", "a"])
    assert tree.root_.is_leaf and tree.root_.prediction == "a" and tree.root_.impurity == 0


def test_empty_data_is_refused():
    with pytest.raises(DataError, match="empty"):
        DecisionTreeClassifier().fit([], [])


def test_mismatched_lengths_are_refused():
    with pytest.raises(DataError, match="3 rows but y has 2 values"):
        DecisionTreeClassifier().fit([[1], [2], [3]], [0, 1])


@pytest.mark.parametrize("depth", [0, -1, 1.5, True, "3"])
def test_max_depth_below_one_or_not_whole_is_refused(depth):
    with pytest.raises(ValueError, match="max_depth must be a whole number of at least 1"):
        DecisionTreeClassifier(max_depth=depth).fit([[1], [2]], [0, 1])


def test_min_samples_split_below_two_is_refused():
    with pytest.raises(ValueError, match="min_samples_split"):
        DecisionTreeClassifier(min_samples_split=1).fit([[1], [2]], [0, 1])


def test_a_column_mixing_numbers_and_text_is_refused():
    with pytest.raises(DataError, match=r"column 'x' mixes numbers and text .*row 1 is 'b'"):
        DecisionTreeClassifier().fit([[1], ["b"]], [0, 1], feature_names=["x"])


def test_duplicate_feature_names_are_refused():
    with pytest.raises(ValueError, match="distinct"):
        DecisionTreeClassifier().fit([[1, 2]], [0], feature_names=["a", "a"])


# ------------------------------------------------------------------ figure, CLI, chapter
def test_figure_draws_every_node_with_counts_and_impurity(gini_tree):
    figure = gini_tree.derivation_["tree"].part("figure")
    code = draw(figure.data, LatexRenderer())
    assert code.startswith(r"\begin{forest}") and code.endswith(r"\end{forest}")
    assert code.count("[{") == 8  # 3 questions, 5 leaves
    assert r"\textbf{Student}?" in code and r"Yes: 4, No: 2" in code and r"I = \frac{4}{9} \approx 0.444" in code


def test_figure_escapes_user_text():
    tree = DecisionTreeClassifier().fit([["a&b"], ["c_d"]], ["x%", "y#"], feature_names=["R&D"])
    figure = tree.derivation_["tree"].part("figure")
    code = draw(figure.data, LatexRenderer())
    assert r"R\&D" in code and r"a\&b" in code and r"c\_d" in code and r"x\%" in code


def test_cli_derives_a_tree_from_csv(tmp_path, capsys):
    data = tmp_path / "customers.csv"
    data.write_text("Age,Income,Student,Buys\n" + "\n".join(",".join(r + [b]) for r, b in zip(CUSTOMERS, BUYS)))
    assert main(["derive", "tree", "--data", str(data), "--target", "Buys", "-o", "criterion=entropy"]) == 0
    out = capsys.readouterr().out
    assert "[compare]" in out and "Student" in out and "log(3)/log(2)" in out
    assert main(["derive", "tree", "--data", str(data), "--target", "Buys", "-o", "max_depth=0"]) == 2
    assert "max_depth" in capsys.readouterr().err


def test_chapter_reports_the_sources_age_gain_and_nothing_else():
    from exactml.handout.context import Context
    from exactml.handout.tree import chapter

    ctx = Context()
    text = chapter(ctx)
    assert [(e.section, e.stated, e.exact) for e in ctx.errata] == [("3.2.3, 3.2.5", "0.055", Rational(1, 18))]
    assert ctx.errata[0].kind == "rounding"
    assert r"\subsubsection{Step 2: Evaluate Split on ``Age''}" in text
    assert r"\mathit{IG}\left(\text{Income}\right) = \frac{4}{9} - \frac{7}{18} = \frac{1}{18}" in text
    assert r"\begin{forest}" in text
