"""Checking many files at once, spread over the machine's cores.

:func:`check_files` reads and checks each file in a pool of worker processes
(each keeps its parse caches across the files it is given) and returns one
:class:`FileResult` per file, in the order given.  A file that cannot be read
is a result with an ``error``; it never stops the others.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Sequence

from .report import Report
from .source import DEFAULT_MAX_BYTES, SourceError, read_source


@dataclass
class FileResult:
    path: str
    report: Report | None = None
    error: str | None = None  # the file could not be read

    @property
    def wrong(self) -> bool:
        return self.report is not None and bool(self.report.wrong)


def check_file(path: str, recompute: bool = False, max_bytes: int | None = DEFAULT_MAX_BYTES) -> FileResult:
    """One file: read (a regular UTF-8 file, at most ``max_bytes``) and checked; a file that cannot be read gives
    its error, not an exception."""
    from . import check

    try:
        text = read_source(path, max_bytes)
    except SourceError as err:
        return FileResult(path, error=str(err))
    try:
        return FileResult(path, report=check(text, recompute=recompute))
    except Exception as err:  # noqa: BLE001 - a checker bug must not look like a wrong claim (exit 1)
        return FileResult(path, error=f"could not check {path}: an internal {type(err).__name__}; please report it")


def _warm_up() -> None:
    from . import check

    check("$1 + 1 = 2$ and $x = \\frac{1}{2}$, $\\sqrt{x^2} \\approx 0.5$")


def _check_many(paths: Sequence[str], recompute: bool, max_bytes: int | None = DEFAULT_MAX_BYTES) -> list[FileResult]:
    return [check_file(p, recompute, max_bytes) for p in paths]


def check_files(
    paths: Sequence[str], jobs: int | None = None, recompute: bool = False, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> list[FileResult]:
    """Every file of ``paths`` checked, with ``jobs`` processes (default: one per core; 1: in this process)."""
    paths = list(paths)
    jobs = min(jobs or os.cpu_count() or 1, len(paths))
    if jobs <= 1 or len(paths) < 4:
        return _check_many(paths, recompute, max_bytes)
    # Workers are forked from a fresh server process, never from this one: a checker that ran out of
    # time may leave its worker thread running here, and a fork would copy any lock it holds. The
    # server imports the checker once, so each worker starts with it loaded, and warms its parser.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["exactml.checker", "exactml.checker.parse"])
    # Contiguous chunks, a few per process, so that each worker warms its caches once and the load evens out.
    size = max(1, -(-len(paths) // (jobs * 4)))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm_up) as pool:
        done = pool.map(_check_many, chunks, [recompute] * len(chunks), [max_bytes] * len(chunks))
        return [result for chunk in done for result in chunk]
