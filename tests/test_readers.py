"""The command line's CSV reader: whole columns converted at once, exactly; anything odd left for the estimators."""

from sympy import Rational

from exactml.cli.readers import split_target, table_from
from exactml.exact import IntegerRows


def test_a_table_of_integers_is_read_in_bulk_as_ints():
    header, body = table_from("a,b,y\n1,-2,3\n+4,5,6\n\n7,8,9\n")
    assert header == ["a", "b", "y"]
    assert body == [[1, -2, 3], [4, 5, 6], [7, 8, 9]]
    assert isinstance(body, IntegerRows) and all(type(v) is int for r in body for v in r)


def test_equal_values_share_one_int_object():
    _, body = table_from("a,b\n1000,1000\n1000,-7\n")
    assert body[0][0] is body[0][1] is body[1][0]  # one object per distinct value: 11 million cells were 300 MB


def test_decimal_columns_are_exact_rationals_and_text_stays_text():
    header, body = table_from("\ufeffprice,grade,city\n1.5,2,Paris\n0.1,3.25e1,Rome\n")
    assert header == ["price", "grade", "city"]
    assert body == [[Rational(3, 2), 2, "Paris"], [Rational(1, 10), Rational(65, 2), "Rome"]]


def test_what_python_int_would_accept_but_a_number_is_not_stays_text():
    # int("1_000") is 1000 and int(" 7 ") is 7; as CSV cells they are not numbers exactml reads
    _, body = table_from("a,b\n1_000,2\n3,4\n")
    assert body == [["1_000", 2], ["3", 4]]


def test_quoted_cells_and_beyond_int64_take_the_careful_path():
    _, body = table_from('a,b\n"1",2\n99999999999999999999,4\n')
    assert body == [[1, 2], [99999999999999999999, 4]]


def test_split_target_takes_the_target_out():
    header, body = table_from("a,y,b\n1,2,3\n4,5,6\n")
    features, X, y = split_target(header, body, "y", "the column to predict")
    assert features == ["a", "b"] and X == [[1, 3], [4, 6]] and y == [2, 5]
    header, body = table_from("a,y\nx,2\nz,5\n")
    features, X, y = split_target(header, body, "y", "the column to predict")
    assert X == [["x"], ["z"]] and y == [2, 5] and body == [["x", 2], ["z", 5]]  # text tables are not changed
