"""Running one algorithm on a data file: the part of the command line the handout's ``--config`` reuses.

:func:`derive` reads a CSV through the bounded reader and hands it to the
algorithm's deriver (named in :mod:`exactml.registry`); :func:`command` is an
algorithm's option declaration.  Both :mod:`exactml.cli` and
:mod:`exactml.handout.config` call them, so they sit below both.
"""

from __future__ import annotations

import gc
import importlib
from typing import TYPE_CHECKING

from ..exact import DataError
from ..registry import BY_NAME
from .options import Command
from .readers import table_from

if TYPE_CHECKING:
    from ..derivation import Derivation


class UsageError(Exception):
    """A mistake in the command line itself (exit status 2)."""


def command(algorithm: str) -> Command:
    """The option declaration of an algorithm (its ``command.py``'s ``COMMAND``)."""
    return importlib.import_module(BY_NAME[algorithm].command).COMMAND


def derive(algorithm: str, data_path: str, target: str | None, options: dict[str, str]) -> Derivation:
    """Run one algorithm on a CSV file with checked options; errors name the file and line."""
    from .progress import progress_note

    # A million rows are millions of Python objects and no reference cycles: the cyclic garbage
    # collector would only rescan them again and again (it tripled the time of a 1,000,000-row fit).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with progress_note(f"reading and deriving {data_path}"):
            header, body = table_from(read_text(data_path), source=data_path)
            return BY_NAME[algorithm].deriver()(header, body, target=target, **options)
    except DataError as err:
        # Rows of the data table are lines of the file (after the header); rows of an
        # option such as -o init=… are not.
        in_table = err.row is not None and err.name in (None, "X", "y")
        where = f"{data_path} line {err.row + 2}: " if in_table else f"{data_path}: "
        raise DataError(where + str(err), err.row, err.column, err.name) from None
    finally:
        if collecting:  # a caller that switched it off itself keeps it off
            gc.enable()


def read_text(path: str, max_bytes: int | None = None) -> str:
    """A regular file's UTF-8 text; a FIFO, a device (/dev/zero) or a folder is refused, not read forever."""
    from ..checker.source import SourceError, read_source

    if str(path).strip() == "":
        raise UsageError("the input path is empty")
    try:
        return read_source(path, max_bytes)
    except SourceError as err:
        raise UsageError(str(err)) from None
