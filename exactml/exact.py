"""The only door for user values: exact conversion and data validation.

Every estimator converts its input here, once.  Nothing downstream converts
again, and no user string is ever handed to ``sympify`` or ``eval``: numbers
are read by a small regular grammar (decimal, scientific, ``p/q``) and
built with ``fractions.Fraction``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import chain
from typing import Any

import numpy as np
import sympy
from sympy import Integer, Rational

__all__ = [
    "exact",
    "exact_matrix",
    "exact_vector",
    "check_lengths",
    "check_is_fitted",
    "check_feature_count",
    "checked_feature_names",
    "check_digits",
    "int_array",
    "ExactMLError",
    "DataError",
    "SingularMatrixError",
    "NotFittedError",
]

# Exponents and lengths beyond these are refused rather than expanded: a
# string like "1e999999999" would otherwise allocate a billion-digit integer.
MAX_EXPONENT = 10_000
MAX_DIGITS = 10_000
# Decimal places shown beside exact values: 0 to 30, everywhere (API, CLI, handout).
MAX_DISPLAY_DIGITS = 30


class ExactMLError(ValueError):
    """Base class of every error exactml raises for bad input."""


class DataError(ExactMLError):
    """A value or a shape in user data that cannot be used.

    ``row`` and ``column`` (0-based, ``None`` when not applicable) locate it.
    """

    def __init__(self, message: str, row: int | None = None, column: int | None = None, name: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column
        self.name = name  # which input ("X", "y", "query", …) the row belongs to


class SingularMatrixError(ExactMLError):
    """XᵀX (or another system matrix) has no inverse.

    ``dependent`` lists the names of the columns that are linear combinations
    of the others; ``relation`` is one exact linear relation between columns.
    """

    def __init__(self, message: str, dependent: Sequence[str] = (), relation: Any = None):
        super().__init__(message)
        self.dependent = tuple(dependent)
        self.relation = relation


class NotFittedError(ExactMLError, AttributeError):
    """A learned attribute was asked for before ``fit``."""


_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"([+-]?\d+)\s*/\s*(\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def _where(row: int | None, column: int | None, name: str | None) -> str:
    parts = []
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {name!r}" if name is not None else f"column {column}")
    return (" at " + ", ".join(parts)) if parts else ""


def _from_text(text: str) -> Rational:
    s = text.strip()
    if _GROUPED.fullmatch(s):  # "10,930,000" is one number, as typeset in documents
        s = s.replace(",", "")
    if len(s) > MAX_DIGITS:
        raise ValueError(f"the number {text[:20]!r}... has more than {MAX_DIGITS} characters")
    if _DECIMAL.fullmatch(s):
        try:
            d = Decimal(s)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid forms
            raise ValueError(f"cannot read {text!r} as a number") from None
        if abs(d.as_tuple().exponent) > MAX_EXPONENT:
            raise ValueError(f"the exponent of {text!r} is too large to represent exactly")
        f = Fraction(d)
        return Rational(f.numerator, f.denominator)
    m = _FRACTION.fullmatch(s)
    if m:
        num, den = int(m.group(1)), int(m.group(2))
        if den == 0:
            raise ValueError(f"{text!r} divides by zero")
        return Rational(num, den)
    raise ValueError(f"cannot read {text!r} as a number (write a decimal such as 2.5, or a fraction such as 5/2)")


def _short(value: Any) -> str:
    # repr of a huge int would itself hit Python's 4,300-digit limit
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of {value.bit_length()} bits"
    text = repr(value) if not isinstance(value, sympy.Basic) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def exact(value: Any) -> sympy.Expr:
    """Convert one user value to an exact sympy number (or pass a symbol through).

    The one rule for every entry point (API, command line, checker):

    - integers, ``Fraction``, ``Decimal`` and number strings are taken as written;
    - a float of any width (Python, numpy float16/32/64, longdouble) is taken by
      its *decimal repr*: the shortest decimal that reads back as the same float
      at that width, so ``0.1`` becomes ``1/10`` rather than the nearest binary
      fraction, for ``np.float16(0.1)`` as for ``0.1``;
    - sympy numbers and symbols pass through; real irrationals stay symbolic;
    - refused with a ``ValueError`` saying why: complex values (``1j``,
      ``sympy.I``, ``sqrt(-1)``), NaN, infinities, missing values (``None``,
      ``pd.NA``), booleans, dates, text of more than ``MAX_DIGITS`` characters
      and powers with an exponent above ``MAX_EXPONENT`` (they would not fit in memory).

    >>> exact(0.1)
    1/10
    >>> exact("2.5e-1")
    1/4
    >>> exact("3/4")
    3/4
    """
    if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):
        raise ValueError("a boolean is not a number here: use 0 and 1 if that is what you mean")
    if value is None:
        raise ValueError("missing value (None): fill it in or drop the row")
    if isinstance(value, int):
        return Integer(value)
    if isinstance(value, Fraction):
        return Rational(value.numerator, value.denominator)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a finite number")
        return _from_text(str(value))
    if isinstance(value, float):
        return _from_float(value, float.__repr__)  # the shortest decimal that round-trips
    if isinstance(value, str):
        return _from_text(value)
    if isinstance(value, sympy.Basic):
        return _from_sympy(value)
    if isinstance(value, complex):
        raise ValueError(f"{value} is complex: exactml works with real numbers")
    root = type(value).__module__.split(".")[0]
    if root == "numpy":
        return _from_numpy(value)
    if root == "pandas" and type(value).__name__ in ("NAType", "NaTType"):
        raise ValueError(f"missing value ({value}): fill it in or drop the row")
    if isinstance(value, (list, tuple)):
        raise ValueError(f"found a sequence ({_short(value)}) where one number is expected")
    raise ValueError(f"cannot use a value of type {type(value).__name__} ({_short(value)}) as a number")


def _from_float(value: Any, shortest: Any) -> Rational:
    text = shortest(value)  # both repr and numpy's formatter spell these nan, inf, -inf
    if text == "nan":
        raise ValueError("NaN is not a number that can be made exact: fill in or drop the value")
    if text.lstrip("+-") == "inf":
        raise ValueError("infinity is not a finite number: replace it with a finite value")
    return _from_text(text)


def _from_numpy(value: Any) -> sympy.Expr:
    import numpy as np

    if isinstance(value, (np.datetime64, np.timedelta64)):  # before np.integer: timedelta64 is one
        raise ValueError(f"{value} is a date or a duration, not a number: convert it to a number first")
    if isinstance(value, np.integer):
        return exact(int(value))
    if isinstance(value, np.floating):  # every width, float16 to longdouble: its own shortest repr
        return _from_float(value, lambda v: np.format_float_scientific(v, unique=True))
    if isinstance(value, np.complexfloating):
        raise ValueError(f"{value} is complex: exactml works with real numbers")
    if isinstance(value, np.ndarray):
        raise ValueError(f"found an array of shape {value.shape} where one number is expected")
    raise ValueError(f"cannot use a value of type {type(value).__name__} ({_short(value)}) as a number")


def _from_sympy(value: sympy.Basic) -> sympy.Expr:
    if not isinstance(value, sympy.Expr):  # sympy.true, sets, relations, matrices: not numbers
        raise ValueError(f"{_short(value)} is a {type(value).__name__}, not a number")
    if isinstance(value, sympy.Float):
        if not value.is_finite:
            raise ValueError(f"{value} is not a finite number")
        return _from_text(str(value))
    if isinstance(value, sympy.Rational):
        return value
    if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or (value.is_number and value.is_finite is False):
        raise ValueError(f"{_short(value)} is not a finite number")
    if value.has(sympy.I) or value.is_extended_real is False:
        raise ValueError(f"{_short(value)} is complex: exactml works with real numbers")
    for power in value.atoms(sympy.Pow):  # 2**(10**9) unevaluated would explode at the first arithmetic
        if power.exp.is_Integer and abs(power.exp) > MAX_EXPONENT:
            raise ValueError(f"{_short(value)} has an exponent above {MAX_EXPONENT}: too large to compute with exactly")
    if value.has(sympy.Float):
        return value.xreplace({f: _from_text(str(f)) for f in value.atoms(sympy.Float)})
    return value


def _keeps_width(dtype: Any) -> bool:
    """Whether values of this numpy dtype must stay numpy scalars to be read by the rule of ``exact``.

    ``tolist()`` turns float32 0.1 into the Python float 0.10000000149011612 and a
    datetime into an int; keeping the numpy scalar keeps its width and its kind.
    """
    dtype = getattr(dtype, "numpy_dtype", dtype)  # pandas nullable dtypes (Float32, Int64) wrap one
    kind = getattr(dtype, "kind", "O")
    return kind in "cmMV" or (kind == "f" and dtype.itemsize != 8)


def _column_values(series: Any) -> list[Any]:
    """One pandas column as Python values, float32/float16 columns as numpy scalars of their width."""
    values = series.to_numpy(dtype=object).tolist()
    dtype = getattr(series.dtype, "numpy_dtype", series.dtype)
    if _keeps_width(dtype) and getattr(dtype, "kind", "O") == "f":
        return [dtype.type(v) if isinstance(v, float) else v for v in values]  # exact: v came from that width
    if _keeps_width(dtype):
        return list(series.to_numpy())
    return values


def _rows_of(data: Any, name: str) -> list[list[Any]]:
    """Turn a 2-D array-like into a list of rows of Python objects."""
    if hasattr(data, "to_numpy") and hasattr(data, "columns"):  # pandas DataFrame
        if not any(_keeps_width(t) for t in data.dtypes):
            return data.to_numpy(dtype=object).tolist()
        columns = [_column_values(data.iloc[:, j]) for j in range(data.shape[1])]
        return [list(row) for row in zip(*columns)] if columns else [[] for _ in range(len(data))]
    if hasattr(data, "tolist") and hasattr(data, "ndim"):  # numpy array
        if data.ndim != 2:
            raise DataError(f"{name} must be 2-dimensional (rows of features); it has {data.ndim} dimension(s)")
        if _keeps_width(getattr(data, "dtype", None)):
            return [list(row) for row in data]
        return data.tolist()
    if isinstance(data, (str, bytes)) or not hasattr(data, "__iter__"):
        raise DataError(f"{name} must be a list of rows, got {type(data).__name__}")
    if isinstance(data, list) and set(map(type, data)) == {list}:
        return [row.copy() for row in data]  # a copy, so that the caller may change its lists afterwards
    rows = []
    for i, row in enumerate(data):
        if isinstance(row, (str, bytes)) or not hasattr(row, "__iter__"):
            raise DataError(
                f"{name} row {i} is not a row of values (got {_short(row)}); wrap a single feature as [x]",
                row=i,
                name=name,
            )
        if hasattr(row, "ndim") and _keeps_width(getattr(row, "dtype", None)):
            rows.append(list(row))
        else:
            rows.append(list(row.tolist() if hasattr(row, "tolist") else row))
    return rows


def column_names(data: Any) -> list[str] | None:
    """The column names of a pandas DataFrame, or ``None`` for plain arrays."""
    if hasattr(data, "columns") and hasattr(data, "to_numpy"):
        return [str(c) for c in data.columns]
    return None


def _is_int_array(a: Any, ndim: int) -> bool:
    return (
        isinstance(a, np.ndarray)
        and a.ndim == ndim
        and a.size > 0
        and (a.dtype.kind == "i" or (a.dtype.kind == "u" and a.dtype.itemsize < 8))
    )


def _python_ints(data: Any, flat: bool) -> np.ndarray | None:
    """Lists holding only Python ints (no bools, nothing beyond int64), as one int64 array."""
    if not isinstance(data, list) or not data:
        return None
    if not flat and set(map(type, data)) != {list}:
        return None
    if set(map(type, data if flat else chain.from_iterable(data))) != {int}:
        return None
    try:
        return np.array(data, dtype=np.int64)
    except (ValueError, OverflowError):  # ragged rows, or integers beyond int64: the exact path says which
        return None


def int_array(X: Any) -> np.ndarray | None:
    """X as int64 when it holds only integers (numpy, DataFrame or lists of Python ints): such entries are
    exact already, so the estimators that count or measure distances skip :func:`exact_matrix`.

    ``None`` for anything else (rationals, text, ragged rows, integers beyond int64): those take the exact
    path, which converts them or names the entry at fault.
    """
    if hasattr(X, "to_numpy") and hasattr(X, "columns"):
        X = X.to_numpy()
    if isinstance(X, list):
        X = _python_ints(X, flat=False)
    return X.astype(np.int64, copy=False) if _is_int_array(X, 2) else None


def int_vector(y: Any) -> np.ndarray | None:
    """y as a one-dimensional int64 array when it holds only integers, else ``None`` (see :func:`int_array`)."""
    ints = _python_ints(y, flat=True) if isinstance(y, list) else y
    return ints.astype(np.int64, copy=False) if _is_int_array(ints, 1) else None


class IntegerRows(list):
    """Rows known to hold Python ints only, so exact linear algebra can skip its own scan."""


def exact_matrix(
    data: Any,
    name: str = "X",
    columns: Sequence[str] | None = None,
    allow_text: bool = False,
    rational: str | None = None,
) -> list[list[Any]]:
    """Validate a 2-D data set and convert every entry exactly.

    Integer entries stay Python ``int`` (fast to count and multiply); other
    numbers become sympy Rationals, symbols pass through.  With
    ``allow_text=True`` a string that is not a number is kept as a category
    label (decision trees).  ``rational`` names an algorithm that needs
    rational entries (k-NN and K-means order distances as exact integers): a
    symbol or a surd is then refused.  Errors name the row and the column.
    """
    if isinstance(data, IntegerRows) and data:
        return data  # exactml's own rows, already checked: integers, one width (the CLI's bulk reader)
    rows = _rows_of(data, name)
    if not rows:
        raise DataError(f"{name} is empty: at least one row is needed")
    width = len(rows[0])
    if width == 0:
        raise DataError(f"{name} has rows with no columns", row=0, name=name)
    cols = list(columns) if columns is not None else column_names(data)
    if set(map(len, rows)) == {width} and set(map(type, chain.from_iterable(rows))) == {int}:
        return IntegerRows(rows)  # a table of integers (a million rows from a CSV): checked at C speed
    out = []
    integral = True
    for i, row in enumerate(rows):
        if len(row) != width:
            raise DataError(
                f"{name} is ragged: row {i} has {len(row)} values but row 0 has {width}; every row needs the same columns",
                row=i,
                name=name,
            )
        if set(map(type, row)) == {int}:  # the common case, checked at C speed
            out.append(row)  # _rows_of made a fresh list already
            continue
        integral = False
        converted = []
        for j, value in enumerate(row):
            if type(value) is int:
                converted.append(value)
                continue
            try:
                v = exact(value)
            except ValueError as err:
                if allow_text and isinstance(value, str) and value.strip():
                    converted.append(value.strip())
                    continue
                label = cols[j] if cols and j < len(cols) else None
                raise DataError(f"{name}{_where(i, j, label)}: {err}", row=i, column=j, name=name) from None
            if rational and not isinstance(v, sympy.Rational):
                label = cols[j] if cols and j < len(cols) else None
                raise DataError(
                    f"{name}{_where(i, j, label)}: {_short(v)} is not a rational number; {rational} compares "
                    "distances exactly between rational points only: give it as an integer, a decimal or a fraction",
                    row=i,
                    column=j,
                    name=name,
                )
            converted.append(int(v) if isinstance(v, sympy.Integer) else v)
        out.append(converted)
    return IntegerRows(out) if integral else out


def checked_feature_names(names: Sequence[Any] | None, width: int, single: str = "x") -> list[str]:
    """The given feature names as strings, or the defaults ``x_1 … x_p`` (``single`` for one column).

    Raises a ValueError when their number does not match the columns of X.
    """
    if names is None:
        return [f"x_{j + 1}" for j in range(width)] if width > 1 else [single]
    if len(names) != width:
        raise ValueError(f"{len(names)} feature names given for {width} columns of X")
    return [str(n) for n in names]


def exact_vector(data: Any, name: str = "y", allow_text: bool = False) -> list[Any]:
    """Validate a 1-D sequence (targets, a query point) and convert it exactly.

    A pandas Series, a one-column DataFrame, a numpy column or row vector and a
    list of one-element lists are all read as one sequence.
    """
    if hasattr(data, "to_numpy") and hasattr(data, "columns"):  # pandas DataFrame: one column only
        if data.shape[1] != 1:
            raise DataError(f"{name} must be one column; the DataFrame given has {data.shape[1]} columns")
        data = data.iloc[:, 0]
    if hasattr(data, "to_numpy"):  # pandas Series
        data = _column_values(data)
    if hasattr(data, "ndim") and hasattr(data, "shape"):
        if data.ndim == 2 and 1 in data.shape:
            data = data.reshape(-1)
        if data.ndim != 1:
            raise DataError(f"{name} must be 1-dimensional (one value per row); it has shape {data.shape}")
        data = list(data) if _keeps_width(getattr(data, "dtype", None)) else data.tolist()
    if isinstance(data, (str, bytes)) or not hasattr(data, "__iter__"):
        raise DataError(f"{name} must be a sequence of values, got {type(data).__name__}")
    values = list(data)
    if not values:
        raise DataError(f"{name} is empty")
    if set(map(type, values)) == {int}:
        return values
    out = []
    for i, value in enumerate(values):
        if isinstance(value, (list, tuple)):
            if len(value) != 1:
                raise DataError(
                    f"{name} entry {i} is a sequence of {len(value)} values; one value is expected", row=i, name=name
                )
            value = value[0]
        if type(value) is int:
            out.append(value)
            continue
        try:
            v = exact(value)
        except ValueError as err:
            if allow_text and isinstance(value, str) and value.strip():
                out.append(value.strip())
                continue
            raise DataError(f"{name} entry {i}: {err}", row=i, name=name) from None
        out.append(int(v) if isinstance(v, sympy.Integer) else v)
    return out


def check_digits(digits: Any) -> int:
    """The number of decimal places to show, checked: a whole number from 0 to ``MAX_DISPLAY_DIGITS``.

    >>> check_digits(3)
    3
    """
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= MAX_DISPLAY_DIGITS:
        raise ValueError(f"digits must be a whole number from 0 to {MAX_DISPLAY_DIGITS}; got {digits!r}")
    return digits


def check_is_fitted(estimator: Any, attribute: str, call: str = "fit(X, y)") -> None:
    """Refuse to answer before ``fit``: ``attribute`` is what fitting sets."""
    if not hasattr(estimator, attribute):
        raise NotFittedError(f"this {type(estimator).__name__} is not fitted yet: call {call} first")


def check_feature_count(estimator: Any, rows: Sequence[Sequence[Any]], name: str = "X") -> None:
    """Refuse rows whose width differs from the data the estimator was fitted on."""
    width, fitted = len(rows[0]), estimator.n_features_in_
    if width != fitted:
        names = getattr(estimator, "feature_names_in_", None)
        listing = f" ({', '.join(map(str, names))})" if names else ""
        raise DataError(
            f"{name} has {width} values per row but the model was fitted on {fitted} features{listing}: "
            f"give every row {fitted} values",
            name=name,
        )


def check_lengths(X: Sequence, y: Sequence, x_name: str = "X", y_name: str = "y") -> None:
    """X and y must describe the same samples."""
    if len(X) != len(y):
        raise DataError(f"{x_name} has {len(X)} rows but {y_name} has {len(y)} values: give one target per row")
