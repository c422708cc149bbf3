"""exactml.exact: every user value enters through here, exactly or not at all."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy
from sympy import Rational, Symbol

from exactml import DataError, exact
from exactml.cli.readers import table_from
from exactml.exact import check_lengths, exact_matrix, exact_vector


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, Rational(3)),
        (0.1, Rational(1, 10)),  # the decimal value, not 3602879701896397/36028797018963968
        (-2.5, Rational(-5, 2)),
        (1e-3, Rational(1, 1000)),
        ("0.1", Rational(1, 10)),
        ("  7/4 ", Rational(7, 4)),
        ("-3/6", Rational(-1, 2)),
        ("2.5e2", Rational(250)),
        ("10,930,000", Rational(10930000)),
        (Fraction(2, 3), Rational(2, 3)),
        (Decimal("0.333"), Rational(333, 1000)),
        (np.int64(-4), Rational(-4)),
        (np.float64(0.2), Rational(1, 5)),
        (sympy.Float("0.25"), Rational(1, 4)),
        (Rational(5, 7), Rational(5, 7)),
    ],
)
def test_exact_converts_by_decimal_value(value, expected):
    result = exact(value)
    assert result == expected
    assert isinstance(result, sympy.Rational)


def test_symbols_and_irrationals_pass_through():
    t = Symbol("t")
    assert exact(t) is t
    assert exact(sympy.sqrt(2)) == sympy.sqrt(2)
    assert exact(sympy.E + t) == sympy.E + t


@pytest.mark.parametrize(
    "value, fragment",
    [
        (float("nan"), "NaN"),
        (float("inf"), "infinity"),
        (True, "boolean"),
        (np.bool_(False), "boolean"),
        (None, "missing"),
        ("abc", "cannot read 'abc'"),
        ("1/0", "divides by zero"),
        ("__import__('os').system('true')", "cannot read"),
        ("1e999999999", "exponent"),
        (Decimal("NaN"), "not a finite"),
        (sympy.oo, "not a finite"),
        (1 + 2j, "complex"),
        (object(), "cannot use a value of type object"),
    ],
)
def test_bad_values_raise_clear_value_errors(value, fragment):
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        exact(value)


def test_user_strings_never_reach_sympify(monkeypatch):
    import sys

    module = sys.modules["sympy.core.sympify"]
    original = module.sympify

    def guarded(a, *args, **kwargs):
        if isinstance(a, str):  # pragma: no cover - reaching it is the failure
            raise AssertionError(f"sympify was called on the string {a!r}")
        return original(a, *args, **kwargs)

    monkeypatch.setattr(sympy, "sympify", guarded)
    monkeypatch.setattr(module, "sympify", guarded)
    assert exact("1/3") == Rational(1, 3)
    with pytest.raises(ValueError):
        exact("x + 1")


def test_matrix_keeps_integers_as_int_and_converts_the_rest():
    rows = exact_matrix([[1, "0.5"], [2.25, Fraction(1, 3)]])
    assert rows == [[1, Rational(1, 2)], [Rational(9, 4), Rational(1, 3)]]
    assert type(rows[0][0]) is int


def test_numpy_array_is_accepted():
    rows = exact_matrix(np.array([[1, 2], [3, 4]], dtype=np.int64))
    assert rows == [[1, 2], [3, 4]]


def test_pandas_frame_is_accepted_with_its_column_names():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"size": [1500, 2000], "beds": [3, 4]})
    assert exact_matrix(frame) == [[1500, 3], [2000, 4]]


def test_error_names_row_and_column():
    with pytest.raises(DataError) as info:
        exact_matrix([[1, 2], [3, float("nan")]], columns=["a", "b"])
    assert "row 1" in str(info.value) and "'b'" in str(info.value)
    assert (info.value.row, info.value.column) == (1, 1)


def test_ragged_rows_are_named():
    with pytest.raises(DataError, match="row 2 has 1 values but row 0 has 2"):
        exact_matrix([[1, 2], [3, 4], [5]])


def test_empty_and_mismatched_inputs():
    with pytest.raises(DataError, match="empty"):
        exact_matrix([])
    with pytest.raises(DataError, match="3 rows but y has 2"):
        check_lengths([[1], [2], [3]], [1, 2])
    with pytest.raises(DataError, match="y entry 1"):
        exact_vector([1, "two"])


def test_text_allowed_only_when_asked():
    assert exact_matrix([["Youth", 1]], allow_text=True) == [["Youth", 1]]
    with pytest.raises(DataError):
        exact_matrix([["Youth", 1]])


def test_csv_table_reports_the_line():
    header, body = table_from("a,b\n1,2\n3,4\n")
    assert header == ["a", "b"] and body == [[1, 2], [3, 4]]  # integer columns are read as ints
    with pytest.raises(DataError, match="line 3 has 1 fields"):
        table_from("a,b\n1,2\n3\n")
