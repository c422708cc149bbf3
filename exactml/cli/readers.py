"""Reading the command line's CSV tables into header and rows; no mathematics here."""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..exact import DataError, IntegerRows, exact

# A whole column of integers, or of decimals, checked with one regular-expression match on
# the column joined by newlines (at C speed) instead of one Python call per cell.
_INTEGER_COLUMN = re.compile(r"(?:[+-]?\d{1,4000}\n)*[+-]?\d{1,4000}")
_DECIMAL_COLUMN = re.compile(
    r"(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?\n)*"
    r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?"
)


def table_from(text: str, source: str = "data") -> tuple[list[str], list[list[Any]]]:
    """Read a CSV text into a header and rows.

    Columns that hold only integers come back as Python ints and columns of
    decimals as exact Rationals, converted a column at a time (a table of
    integers is parsed by numpy in one call); every other cell stays the raw
    string, for the estimators to read or refuse with its row and column.
    """
    text = text.removeprefix("\ufeff")  # Excel's byte-order mark is not part of the first column's name
    first, _, rest = text.partition("\n")
    fast = _integer_table(first, rest) if '"' not in text else None
    if fast is not None:
        return fast
    header, body = _csv_table(text, source)
    for j in range(len(header)):
        _convert_column(body, j)
    return header, body


def _integer_table(first_line: str, rest: str) -> tuple[list[str], list[list[int]]] | None:
    """A table of int64 integers parsed by numpy in one call, or None when it is not one."""
    header = [h.strip() for h in next(csv.reader([first_line]), [])]
    if not header or not rest.strip():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = np.loadtxt(io.StringIO(rest), delimiter=",", dtype=np.int64, comments=None, ndmin=2)
    except ValueError:  # a decimal, a word, a missing cell, a ragged line, beyond int64: the careful reader
        return None
    if values.shape[1] != len(header) or values.shape[0] == 0:
        return None
    low, high = int(values.min()), int(values.max())
    if high - low <= 1 << 20:  # one Python int per distinct value, shared by every cell that holds it
        values = np.arange(low, high + 1).astype(object)[values - low]  # (11 million ints were 300 MB)
    return header, IntegerRows(values.tolist())


def _csv_table(text: str, source: str) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(text))
    rows = [r for r in reader if any(cell.strip() for cell in r)]
    if not rows:
        raise DataError(f"{source} has no header line: the first line must name the columns")
    header = [h.strip() for h in rows[0]]
    body = [[c.strip() for c in r] for r in rows[1:]]
    for i, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise DataError(f"{source} line {i} has {len(r)} fields but the header has {len(header)}", row=i - 2)
    if not body:
        raise DataError(f"{source} has a header but no data lines")
    return header, body


def _convert_column(body: list[list[Any]], j: int) -> None:
    """Column ``j`` of ``body`` as ints or exact Rationals, in place, when every cell is one."""
    column = "\n".join(r[j] for r in body)
    if _INTEGER_COLUMN.fullmatch(column):
        for r, v in zip(body, map(int, column.split("\n"))):
            r[j] = v
    elif _DECIMAL_COLUMN.fullmatch(column):
        seen: dict[str, Any] = {}  # prices, grades, measurements repeat: convert each distinct text once
        for r in body:
            v = seen.get(r[j])
            if v is None:
                v = seen[r[j]] = exact(r[j])
                v = seen[r[j]] = int(v) if v.is_Integer else v
            r[j] = v


def split_target(
    header: Sequence[str], body: Sequence[Sequence[str]], target: str | None, needs: str
) -> tuple[list[str], list[list[str]], list[str]]:
    """Split a CSV table into feature names, feature rows and the target column.

    ``needs`` completes the message for a missing ``--target``, e.g. "the column to predict".
    """
    if target is None:
        raise ValueError(f"this algorithm needs --target COLUMN: {needs}")
    if target not in header:
        raise ValueError(f"no column {target!r} in the data; the columns are {', '.join(header)}")
    t = header.index(target)
    features = [h for j, h in enumerate(header) if j != t]
    if not features:
        raise ValueError("the data has only the target column; at least one feature column is needed")
    if isinstance(body, IntegerRows):  # the reader's own fresh rows: the target is taken out in place, no copy
        return features, body, [r.pop(t) for r in body]
    X = [r[:t] + r[t + 1 :] for r in body]  # slices: C speed for a million rows
    return features, X, [r[t] for r in body]
