"""Hostile and odd input at the boundary: one rule for every entry point, a ValueError naming the place."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy
from sympy import Rational

import exactml
from exactml import DataError, exact
from exactml.cli.readers import table_from
from exactml.exact import check_digits, exact_matrix, exact_vector

pd = pytest.importorskip("pandas")


# ---------------------------------------------------------------- floats of every width
@pytest.mark.parametrize("width", [np.float16, np.float32, np.float64, np.longdouble])
def test_a_numpy_float_of_any_width_is_its_shortest_decimal(width):
    # 0.1 at every width prints as "0.1", so it is 1/10 — not 819/8192 (float16's binary value)
    assert exact(width("0.1")) == Rational(1, 10)
    assert exact(width("-2.5")) == Rational(-5, 2)


def test_a_longdouble_made_from_a_float64_is_that_float64s_binary_value():
    # np.longdouble(0.1) holds float64's 0.1000000000000000055511151231257827…, and at 80 bits
    # the shortest decimal that reads back as the same longdouble is 0.10000000000000000555
    if np.finfo(np.longdouble).nmant <= 52:
        pytest.skip("longdouble is float64 on this platform")
    assert exact(np.longdouble(0.1)) == Rational(10000000000000000555, 10**20)


def test_float16_takes_its_own_shortest_repr_not_float64s():
    # float16(1/3) is 0.33325195…; its shortest round-trip decimal at 16 bits is 0.3333
    assert exact(np.float16(1 / 3)) == Rational(3333, 10000)
    assert exact(np.float32(1 / 3)) == Rational(33333334, 100000000)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.longdouble])
def test_float_arrays_of_any_width_keep_their_width(dtype):
    rows = exact_matrix(np.array([["0.1", "2"], ["0.5", "0.25"]], dtype=dtype))
    assert rows == [[Rational(1, 10), 2], [Rational(1, 2), Rational(1, 4)]]
    assert exact_vector(np.array(["0.1", "0.2"], dtype=dtype)) == [Rational(1, 10), Rational(1, 5)]


def test_float32_columns_of_a_data_frame_keep_their_width():
    frame = pd.DataFrame({"a": np.array([0.1, 0.7], dtype=np.float32), "b": [1, 2]})
    assert exact_matrix(frame) == [[Rational(1, 10), 1], [Rational(7, 10), 2]]
    assert exact_vector(pd.Series(np.array([0.3], dtype=np.float16))) == [Rational(3, 10)]


def test_longdouble_no_longer_recurses():
    model = exactml.LinearRegression().fit(np.array([[1], [2], [3]], dtype=np.longdouble), [1, 2, 3])
    assert model.coef_ == [1]


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64])
def test_numpy_integers_of_every_width(dtype):
    rows = exact_matrix(np.array([[1, 2], [3, 4]], dtype=dtype))
    assert rows == [[1, 2], [3, 4]]
    assert exact(dtype(7)) == 7


def test_float_nan_and_inf_of_every_width_are_refused():
    for width in (np.float16, np.float32, np.longdouble):
        with pytest.raises(ValueError, match="NaN"):
            exact(width("nan"))
        with pytest.raises(ValueError, match="infinity"):
            exact(width("inf"))


# ---------------------------------------------------------------- complex, everywhere
@pytest.mark.parametrize(
    "value",
    [
        1j,
        np.complex64(1),
        np.complex128(1 + 2j),
        sympy.I,
        sympy.sqrt(-1) + 2,
        3 * sympy.I * sympy.Symbol("t"),
        sympy.Integer(-8) ** Rational(1, 3),
    ],
    ids=["python", "complex64", "complex128", "I", "sqrt(-1)+2", "symbolic", "cube-root-of-minus-8"],
)
def test_complex_values_are_refused(value):
    with pytest.raises(ValueError, match="complex"):
        exact(value)


def test_sympy_I_in_X_names_the_place():
    with pytest.raises(DataError, match=r"X at row 1, column 0: I is complex"):
        exactml.LinearRegression().fit([[1], [sympy.I], [3]], [1, 2, 3])


def test_sqrt_minus_one_in_y_is_refused():
    with pytest.raises(DataError, match=r"y entry 1: 2 \+ I is complex"):
        exactml.LinearRegression().fit([[1], [2], [3]], [1, sympy.sqrt(-1) + 2, 3])


def test_complex_numpy_array_is_refused():
    with pytest.raises(DataError, match="row 0, column 0.*complex"):
        exactml.LinearRegression().fit(np.array([[1], [2], [3]], dtype=complex), [1, 2, 3])


# ---------------------------------------------------------------- other odd values
@pytest.mark.parametrize(
    "value, fragment",
    [
        (np.datetime64("2020-01-01"), "date"),
        (np.timedelta64(5, "s"), "duration"),
        (pd.NA, "missing"),
        (pd.NaT, "missing"),
        (pd.Timestamp("2020-01-01"), "Timestamp"),
        (sympy.true, "not a number"),
        (sympy.Interval(0, 1), "not a number"),
        (sympy.zoo, "not a finite"),
        (sympy.Pow(2, 10**9, evaluate=False), "exponent above"),
        ([1, 2], "sequence"),
        (np.array([1, 2]), "array"),
        (b"12", "bytes"),
        ("9" * 20_000, "more than"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_odd_values_are_refused_with_why(value, fragment):
    with pytest.raises(ValueError, match=fragment):
        exact(value)


def test_datetime_columns_are_not_read_as_nanoseconds():
    with pytest.raises(DataError, match="row 0, column 0.*date"):
        exact_matrix(np.array([[1], [2]], dtype="datetime64[ns]"))


def test_nullable_integer_column_with_a_gap_names_the_row():
    frame = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64")})
    with pytest.raises(DataError, match="row 1, column 'a': missing value"):
        exact_matrix(frame)


def test_nested_rows_are_refused_with_the_place():
    with pytest.raises(DataError, match="row 0, column 0: found a sequence"):
        exact_matrix([[[1]], [[2]]])
    with pytest.raises(DataError, match="1-dimensional"):
        exact_vector(np.zeros((2, 2)))


def test_big_integers_and_fractions_are_kept_exactly():
    big = 10**5000
    assert exact(big) == big
    assert exact(Fraction(1, big)) == Rational(1, big)
    assert exact(Decimal("1e-30")) == Rational(1, 10**30)


# ---------------------------------------------------------------- pandas targets
def test_a_one_column_data_frame_is_a_target():
    model = exactml.LinearRegression().fit([[1], [2], [3]], pd.DataFrame({"y": [1, 2, 4]}))
    assert model.coef_ == [Rational(3, 2)]


def test_a_two_column_data_frame_is_not_a_target():
    with pytest.raises(DataError, match="one column"):
        exact_vector(pd.DataFrame({"a": [1], "b": [2]}))


# ---------------------------------------------------------------- k-NN and K-means need rational points
@pytest.mark.parametrize("value", [sympy.Symbol("a"), sympy.sqrt(2)], ids=["symbol", "surd"])
def test_knn_refuses_symbols_and_surds_at_fit(value):
    with pytest.raises(DataError, match=r"X at row 0, column 0: .* is not a rational number; k-NN"):
        exactml.KNeighborsClassifier(n_neighbors=1).fit([[value], [2]], [0, 1])


def test_knn_refuses_a_surd_query():
    model = exactml.KNeighborsClassifier(n_neighbors=1).fit([[1], [2]], [0, 1])
    with pytest.raises(DataError, match="not a rational number"):
        model.predict([[sympy.sqrt(2)]])


@pytest.mark.parametrize("value", [sympy.Symbol("a"), sympy.sqrt(2)], ids=["symbol", "surd"])
def test_kmeans_refuses_symbols_and_surds_at_fit(value):
    with pytest.raises(DataError, match=r"X at row 1, column 0: .* is not a rational number; K-means"):
        exactml.KMeans(n_clusters=1).fit([[1], [value]])
    with pytest.raises(DataError, match="init at row 0"):
        exactml.KMeans(n_clusters=1, init=[[value]]).fit([[1], [2]])


# ---------------------------------------------------------------- hyper-parameters, checked up front
def test_svc_polynomial_degree_has_a_bound():
    import time

    start = time.monotonic()
    with pytest.raises(ValueError, match="degree must be at most 20"):
        exactml.SVC(kernel="poly", degree=10**6).fit([[1], [2], [-1]], [1, 1, -1])
    assert time.monotonic() - start < 1


def test_svc_degree_20_still_fits():
    model = exactml.SVC(kernel="poly", degree=20).fit([[1, 2], [2, 1], [-1, 0], [0, -3]], [1, 1, -1, -1])
    assert model.predict([[3, 3], [-2, -2]]) == [1, -1]


@pytest.mark.parametrize("activation", [None, 3, object()])
def test_mlp_activation_must_be_a_name_or_a_list(activation):
    with pytest.raises(ValueError, match="activation must be a name"):
        exactml.MLP([[[1]]], [[0]], activation=activation)


@pytest.mark.parametrize("digits", [-5, -1, 31, 2.5, True, "3"])
def test_digits_outside_0_to_30_are_refused(digits):
    with pytest.raises(ValueError, match="from 0 to 30"):
        check_digits(digits)
    with pytest.raises(ValueError, match="from 0 to 30"):
        exactml.LinearRegression().fit([[1], [2], [3]], [1, 2, 4]).derivation_.to_latex(digits=digits)


@pytest.mark.parametrize("digits", [0, 1, 3, 30])
def test_digits_0_to_30_are_accepted(digits):
    assert check_digits(digits) == digits


def test_cli_refuses_negative_digits(tmp_path, capsys):
    from exactml.cli import main

    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,2\n2,3\n3,5\n")
    assert main(["derive", "linreg", "--data", str(data), "--target", "y", "--digits", "-5"]) == 2
    assert "between 0 and 30" in capsys.readouterr().err


# ---------------------------------------------------------------- CSV
def test_a_byte_order_mark_is_not_part_of_the_first_header():
    header, _ = table_from("\ufeffsize,price\n1,2\n")
    assert header == ["size", "price"]


@pytest.mark.parametrize("epochs", [None, True, 2.0, "3", 0, -1])
def test_mlp_epochs_must_be_a_positive_whole_number(epochs):
    net = exactml.MLP([[[1]]], [[0]], activation="identity", loss="mse")
    with pytest.raises(ValueError, match="epochs must be a positive whole number"):
        net.fit([[1]], [1], lr="1/10", epochs=epochs)


@pytest.mark.parametrize("max_iter", [None, True, 0, 2.5])
def test_kmeans_iterations_must_be_a_whole_number(max_iter):
    with pytest.raises(ValueError, match="max_iter must be a whole number"):
        exactml.KMeans(n_clusters=1, max_iter=max_iter).fit([[1], [2]])


def test_linear_regression_on_a_surd_fits_instead_of_a_type_error():
    # found by the fuzz suite: sympy's DomainMatrix.adjugate fails over EX
    model = exactml.LinearRegression().fit([[0], [sympy.sqrt(2)], [1]], [-1, -1, 2])
    w = np.linalg.lstsq(np.array([[1, 0], [1, 2**0.5], [1, 1]]), [-1, -1, 2], rcond=None)[0]  # the oracle
    assert [float(model.intercept_), float(model.coef_[0])] == pytest.approx(list(w), abs=1e-12)
