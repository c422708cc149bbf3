"""Many files over a pool of processes: the same reports as one process, and a safe start."""

from __future__ import annotations

import os
import threading

from exactml.checker.batch import check_files

DOCUMENTS = [
    "$1 + 1 = 2$",
    "$2 \\times 3 = 7$",  # wrong: 6
    "Let $a = \\frac{1}{3}$. Then $3a = 1$ and $a \\approx 0.33$.",
    "$\\sqrt{2} \\approx 1.42$",  # wrong: 1.414…
    "no math here",
    "$x = 4$ so $x^2 = 16$",
]


def _reports(results):
    return [(r.path, r.error, r.report.to_json() if r.report else None) for r in results]


def test_a_pool_gives_the_reports_of_one_process(tmp_path):
    paths = []
    for i, text in enumerate(DOCUMENTS):
        path = tmp_path / f"doc{i}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    paths.append(str(tmp_path / "missing.md"))  # an error for that file only
    alone = check_files(paths, jobs=1)
    assert [r.wrong for r in alone] == [False, True, False, True, False, False, False]
    assert alone[-1].error is not None and "missing.md" in alone[-1].error
    # A thread still running in this process (as one abandoned past its budget may be) must not be
    # copied into the workers: they come from a fresh server process, so this process never forks.
    forks = []
    real_fork = os.fork

    def recording_fork():
        forks.append(1)
        return real_fork()

    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, daemon=True)
    busy.start()
    try:
        os.fork = recording_fork
        pooled = check_files(paths, jobs=2)
    finally:
        os.fork = real_fork
        stop.set()
    assert forks == []
    assert _reports(pooled) == _reports(alone)
