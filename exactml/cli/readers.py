"""Reading the command line's CSV tables into header and rows; no mathematics here."""

from __future__ import annotations

from collections.abc import Sequence

from ..exact import DataError


def table_from(text: str, source: str = "data") -> tuple[list[str], list[list[str]]]:
    """Read a CSV text into a header and rows of raw strings (values are not converted here)."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text))
    rows = [r for r in reader if any(cell.strip() for cell in r)]
    if not rows:
        raise DataError(f"{source} has no header line: the first line must name the columns")
    header = [h.strip() for h in rows[0]]
    body = [[c.strip() for c in r] for r in rows[1:]]
    for i, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise DataError(
                f"{source} line {i} has {len(r)} fields but the header has {len(header)}", row=i - 2
            )
    if not body:
        raise DataError(f"{source} has a header but no data lines")
    return header, body


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
    X = [[v for j, v in enumerate(r) if j != t] for r in body]
    return features, X, [r[t] for r in body]
