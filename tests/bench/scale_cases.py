"""Scale from the command line: ``exactml derive`` on 1,000,000-row CSV files.

    python tests/bench/scale_cases.py [--quick] [--rows N]

Each case writes a CSV of integers, runs ``exactml derive`` in a fresh
interpreter (reading, fitting and printing are what a user waits for) and
reports its wall time, its CPU time, its peak memory and the size of what it
printed.  The targets of issue 19: under 10 s and 1 GB per algorithm, and a
printed derivation whose size does not grow with the rows (``agrees`` checks
that the output of the full run is about as long as a 10,000-row run's; its
exact numbers have a few more digits).

On a shared machine wall time includes waiting for a core; CPU time
(user + system) is what the run itself costs.  Both are shown.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# A fresh interpreter runs the command line and reports its own resource use.
_RUNNER = r"""
import contextlib, io, json, resource, sys, time
start = time.perf_counter()
out = io.StringIO()
with contextlib.redirect_stdout(out):
    from exactml.cli import main
    code = main(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_SELF)
# VmHWM is this program's own peak: ru_maxrss would start from the benchmark's size when it was spawned.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"code": code, "wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": peak_kb / 1024, "printed": len(out.getvalue())}))
"""


# The columns of tests/bench/run.py's table.
HEADER = ("case", "data sets", "exactml s", "baseline s", "worst ratio", "median ratio", "target", "meets", "agrees")


@dataclass(frozen=True)
class ScaleCase:
    name: str
    data: str  # what the CSV holds, for the table
    columns: int  # feature columns
    high: int  # values are drawn from [0, high)
    args: tuple[str, ...]  # after "derive", before "--data"
    seconds: float = 10.0
    megabytes: float = 1000.0


SCALE_CASES = [
    ScaleCase("derive linreg", "x 10 ints + target", 10, 2000, ("linreg", "--target", "y")),
    ScaleCase("derive tree", "x 2 ints + class, depth 2", 2, 100, ("tree", "--target", "y", "-o", "max_depth=2")),
    ScaleCase(
        "derive kmeans", "x 2 ints, k=2", 2, 100, ("kmeans", "--target", "y", "-o", "k=2", "-o", "init=10,10;90,90")
    ),
    ScaleCase(
        "derive knn", "x 2 ints + class, k=3", 2, 100, ("knn", "--target", "y", "-o", "k=3", "-o", "query=50,50")
    ),
]


def write_csv(path: Path, case: ScaleCase, rows: int, seed: int = 19) -> None:
    """``rows`` lines of integer features and a target: a linear one for linreg, two classes otherwise."""
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.integers(0, case.high, size=(rows, case.columns))
    if case.args[0] == "linreg":
        y = X @ rng.integers(-5, 5, size=case.columns) + rng.integers(-50, 50, size=rows)
    else:
        y = (X.sum(axis=1) > case.high * case.columns // 2).astype(int)
    header = ",".join([f"x{j + 1}" for j in range(case.columns)] + ["y"])
    np.savetxt(path, np.column_stack([X, y]), fmt="%d", delimiter=",", header=header, comments="")


def run_case(case: ScaleCase, rows: int, workdir: Path) -> dict:
    """Run one case on ``rows`` rows in a fresh interpreter; its measurements as a dict."""
    csv = workdir / f"{case.name.replace(' ', '_')}_{rows}.csv"
    if not csv.exists():
        write_csv(csv, case, rows)
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, "derive", *case.args, "--data", str(csv)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"{case.name} on {rows} rows failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def scale_rows(quick: bool = False, rows: int | None = None) -> list[tuple[str, ...]]:
    """Rows for tests/bench/run.py's table, in its columns (see ``HEADER``)."""
    n = rows or (20_000 if quick else 1_000_000)
    out = []
    with tempfile.TemporaryDirectory(prefix="exactml-scale-") as tmp:
        for case in SCALE_CASES:
            small = run_case(case, 10_000, Path(tmp))
            big = run_case(case, n, Path(tmp))
            meets = big["wall"] < case.seconds and big["peak_mb"] < case.megabytes
            # the same lines: only the numbers are longer (sums over 100 times the rows have more digits)
            bounded = big["code"] == 0 and big["printed"] <= 1.5 * small["printed"] + 5_000
            name = f"{case.name} ({n:,} rows)"
            timing = f"{big['wall']:.3f} (cpu {big['cpu']:.1f}, {big['peak_mb']:.0f} MB)"
            target = f"< {case.seconds:g} s, < {case.megabytes:g} MB"
            out.append((name, "1", timing, "-", "-", "-", target, "yes" if meets else "NO", "yes" if bounded else "NO"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows instead of 1,000,000")
    parser.add_argument("--rows", type=int, help="rows per CSV (default 1,000,000)")
    args = parser.parse_args(argv)
    rows = scale_rows(args.quick, args.rows)
    widths = [max(len(str(r[i])) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    for r in [HEADER, *rows]:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
    return 0 if all(r[-1] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
