"""Benchmarks: exactml against the tool a user would otherwise reach for.

    python tests/bench/run.py [--quick] [--repeat N] [--only NAME,...]

One row per case.  Each case runs on several data sets of its shape (one per
seed), because one data set can flatter: K-means converging in few
iterations, say.  On each data set both sides run in this process on the
same data, alternately, ``--repeat`` times; the medians give that data set's
ratio.  The row shows the worst data set's times, the worst and the median
ratio, the target (met by the worst ratio) and whether every data set's
results agree (exactly, or within a stated tolerance for float baselines).
``--quick`` uses small sizes and runs in seconds; the test suite runs it as
a smoke test and asserts agreement, never timings.

A new row is one ``Case`` in ``CASES``: a ``prepare(quick, seed)`` that makes
the data, the two sides, and an ``agree`` that compares their results."""

from __future__ import annotations

import argparse
import atexit
import functools
import gc
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

# One thread per side: the baselines' OpenMP/BLAS threads would otherwise fight other processes for a
# shared machine's cores (exactml's own arithmetic is single-threaded).  Set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

REPO = Path(__file__).resolve().parents[2]
# The source document sits beside the checkout (/work/main) or two levels up (a worktree in /work/wt/<name>).
SOURCE = next(
    (
        p / "shared" / "source" / "ml-math-why-how.txt"
        for p in (REPO.parent, REPO.parent.parent)
        if (p / "shared" / "source" / "ml-math-why-how.txt").exists()
    ),
    REPO.parent / "shared" / "source" / "ml-math-why-how.txt",
)


@dataclass
class Case:
    """One benchmark row: how to make its data (from a seed), run both sides, and compare them."""

    name: str
    data: str
    baseline_name: str
    target: float | None  # exactml/baseline ratio to meet; None: an absolute limit in seconds
    limit: float | None  # seconds, for cases without a baseline
    prepare: Callable[[bool, int], Any]  # (quick, seed) -> data
    run_exact: Callable[[Any], Any]
    run_baseline: Callable[[Any], Any] | None
    agree: Callable[[Any, Any], bool]
    tolerance: str = "exact"
    seeds: tuple = (0,)  # one data set per seed, all of the case's shape; the worst ratio is the row's verdict
    fresh: bool = False  # each run is a fresh interpreter timed as a whole: nothing to warm up
    baseline_repeat: int | None = None  # a cap on the baseline's repetitions (when it takes seconds)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median CPU time of ``repeat`` calls (this process's time on a core, not the wall clock: on a shared
    machine the wall clock also counts time spent waiting for a core), and the last result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()  # as timeit does: the garbage of earlier runs is not collected on this run's time
        gc.disable()
        try:
            t = time.process_time()
            result = fn()
            times.append(time.process_time() - t)
        finally:
            gc.enable()
    return statistics.median(times), result


def as_fraction(x: Any) -> Fraction:
    return Fraction(int(x.p), int(x.q)) if hasattr(x, "p") else Fraction(x)


def close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


# ------------------------------------------------------------ linear regression
def linreg_prepare(quick: bool, seed: int = 1):
    rng = random.Random(seed)
    n, p = (500, 5) if quick else (10_000, 10)
    X = [[rng.randint(0, 10**4) for _ in range(p)] for _ in range(n)]
    y = [rng.randint(0, 10**4) for _ in range(n)]
    return X, y


def linreg_exact(data):
    from exactml import LinearRegression

    m = LinearRegression().fit(*data)
    return [m.intercept_, *m.coef_]


def linreg_baseline(data):
    import flint

    X, y = data
    A = flint.fmpq_mat([[1, *r] for r in X])
    b = flint.fmpq_mat([[v] for v in y])
    At = A.transpose()
    w = (At * A).solve(At * b)
    return [w[i, 0] for i in range(w.nrows())]


def linreg_agree(mine, theirs):
    return [as_fraction(a) for a in mine] == [Fraction(int(b.p), int(b.q)) for b in theirs]


# ------------------------------------------------------------ decision tree
def tree_prepare(quick: bool, seed: int = 2):
    rng = random.Random(seed)
    n = 2_000 if quick else 100_000
    X = [[rng.randint(0, 9) for _ in range(8)] for _ in range(n)]
    y = [int(r[0] + r[3] + rng.randint(0, 6) > 10) for r in X]
    return X, y


def tree_exact(data):
    from exactml import DecisionTreeClassifier

    return DecisionTreeClassifier(criterion="gini", max_depth=3).fit(*data)


def tree_baseline(data):
    import numpy as np
    from sklearn.tree import DecisionTreeClassifier

    X, y = data
    return DecisionTreeClassifier(criterion="gini", max_depth=3, random_state=0).fit(np.array(X), np.array(y))


def tree_agree(mine, theirs):
    t = theirs.tree_
    n = t.weighted_n_node_samples
    left, right = t.children_left[0], t.children_right[0]
    decrease = t.impurity[0] - (n[left] * t.impurity[left] + n[right] * t.impurity[right]) / n[0]
    best = max(mine.root_.gains.values())
    return close(float(best), float(decrease), 1e-9)


# ------------------------------------------------------------ k-NN
def knn_prepare(quick: bool, seed: int = 3):
    rng = random.Random(seed)
    n, q = (2_000, 50) if quick else (50_000, 500)
    X = [[rng.randint(0, 1000) for _ in range(3)] for _ in range(n)]
    y = [int(r[0] + r[1] > r[2]) for r in X]
    Q = [[rng.randint(0, 1000) for _ in range(3)] for _ in range(q)]
    return X, y, Q


def knn_exact(data):
    from exactml import KNeighborsClassifier

    X, y, Q = data
    return list(KNeighborsClassifier(n_neighbors=5).fit(X, y).predict(Q))


def knn_baseline(data):
    import numpy as np
    from sklearn.neighbors import KNeighborsClassifier

    X, y, Q = data
    model = KNeighborsClassifier(n_neighbors=5, algorithm="brute").fit(np.array(X), np.array(y))
    return list(model.predict(np.array(Q)))


def knn_agree(mine, theirs):
    # Exact distance ties may be ordered differently; they are rare on this data.
    same = sum(int(a) == int(b) for a, b in zip(mine, theirs))
    return same >= len(theirs) - max(1, len(theirs) // 100)


# ------------------------------------------------------------ K-means
def kmeans_prepare(quick: bool, seed: int = 4):
    rng = random.Random(seed)
    n = 1_000 if quick else 20_000
    centres = [(100, 100), (600, 150), (300, 700), (800, 800)]
    X = [
        [cx + rng.randint(-150, 150), cy + rng.randint(-150, 150)] for cx, cy in (rng.choice(centres) for _ in range(n))
    ]
    init = [X[0], X[1], X[2], X[3]]
    return X, init


def kmeans_exact(data):
    from exactml import KMeans

    X, init = data
    m = KMeans(n_clusters=4, init=init, max_iter=300).fit(X)
    return m.cluster_centers_, m.inertia_


def kmeans_baseline(data):
    import numpy as np
    from sklearn.cluster import KMeans

    X, init = data
    m = KMeans(n_clusters=4, init=np.array(init, dtype=float), n_init=1, algorithm="lloyd", max_iter=300, tol=0).fit(
        np.array(X, dtype=float)
    )
    return m.cluster_centers_, m.inertia_


def kmeans_agree(mine, theirs):
    centres, inertia = mine
    c2, i2 = theirs
    ok = all(close(float(centres[k][j]), float(c2[k][j]), 1e-9) for k in range(len(c2)) for j in range(2))
    return ok and close(float(inertia), float(i2), 1e-9)


# ------------------------------------------------------------ symbolic gradients
GRAD_SHAPES = {0: [4, 8, 8, 1], 1: [8, 8, 4, 1], 2: [4, 10, 6, 1]}  # 121, 113 and 123 parameters


def grad_prepare(quick: bool, seed: int = 0):
    return [2, 3, 3, 1] if quick else GRAD_SHAPES[seed]


def grad_exact(sizes):
    from exactml import MLP

    net = MLP.symbolic(sizes)
    x = [__import__("sympy").Symbol(f"x{i + 1}") for i in range(sizes[0])]
    grads = net.backward(x, 1)
    return net, x, grads


def grad_baseline(sizes):
    import sympy

    from exactml import MLP

    net = MLP.symbolic(sizes)
    x = [sympy.Symbol(f"x{i + 1}") for i in range(sizes[0])]
    loss = net.loss(x, 1)
    params = net.parameters()
    return {k: params[k].applyfunc(lambda s: sympy.diff(loss, s)) for k in params}


def grad_agree(mine, theirs):
    import sympy

    net, x, grads = mine
    rng = random.Random(len(grads) + 5)
    subs = {
        s: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5))
        for k in theirs
        for s in net.parameters()[k].free_symbols
    }
    subs.update({s: sympy.Rational(rng.randint(-9, 9), 4) for s in x})
    for key, expected in theirs.items():
        got = grads[key]
        for i in range(min(2, expected.rows)):
            a = sympy.N(got[i, 0].xreplace(subs), 30)
            b = sympy.N(expected[i, 0].xreplace(subs), 30)
            if abs(a - b) > 1e-20:
                return False
    return True


# ------------------------------------------------------------ SVM
def svm_prepare(quick: bool, seed: int = 6):
    rng = random.Random(seed)
    n = 40 if quick else 200
    X, y = [], []
    while len(X) < n:
        a, b = rng.randint(-100, 100), rng.randint(-100, 100)
        margin = 2 * a - b + 7
        if abs(margin) < 6:
            continue
        X.append([a, b])
        y.append(1 if margin > 0 else -1)
    return X, y


def svm_exact(data):
    from exactml import SVC

    m = SVC(kernel="linear").fit(*data)
    return m.coef_, m.intercept_


def svm_baseline(data):
    import numpy as np
    from sklearn.svm import SVC

    X, y = data
    m = SVC(kernel="linear", C=1e6, tol=1e-10).fit(np.array(X, dtype=float), np.array(y))
    return m.coef_[0], m.intercept_[0]


def svm_agree(mine, theirs):
    (w, b), (w2, b2) = mine, theirs
    return all(close(float(a), float(c), 1e-6) for a, c in zip(list(w) + [b], list(w2) + [b2]))


# ------------------------------------------------------------ handout and check
def run_python(*args: str) -> float:
    """The CPU time of a fresh interpreter running ``python -c *args`` (imports included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", *args], check=True, cwd=REPO)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def handout_exact(_):
    return run_python("from exactml import handout; handout.render()")


def handout_baseline(_):
    return run_python("import sympy")


def check_prepare(quick: bool, seed: int = 0):
    return SOURCE.read_text(encoding="utf-8") if SOURCE.exists() else None


def check_exact(text):
    """A fresh interpreter checks the source: imports and the parser's warm-up count."""
    if text is None:
        return None
    code = (
        "import sys; from exactml import check; "
        "sys.exit(0 if check(open(sys.argv[1], encoding='utf-8').read()).claims else 3)"
    )
    return run_python(code, str(SOURCE))


CHECK_MEGABYTES = 5
CHECK_PEAK_MB = 1_000


def big_check_prepare(quick: bool, seed: int = 0) -> tuple[str, int]:
    """A file of distinct claims (issue 19): 5 MB, or 0.5 MB with --quick; its path and how many claims it holds."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from claims_file import claims_text

    text = claims_text(CHECK_MEGABYTES / 10 if quick else CHECK_MEGABYTES, seed=seed + 1)
    path = Path(tempfile.gettempdir()) / f"exactml-bench-claims-{os.getpid()}-{seed}.md"
    path.write_text(text, encoding="utf-8")
    atexit.register(path.unlink, missing_ok=True)
    return str(path), sum(1 for line in text.splitlines() if not line.startswith("$c_"))


# `exactml check FILE`, reporting its own peak memory on stderr at exit: VmHWM belongs to the program,
# while ru_maxrss would start from the size of the benchmark process that spawned it.
_CHECK_WITH_PEAK = """
import atexit, runpy, sys
def peak():
    kb = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM"))
    sys.stderr.write(f"peak_kb {kb}\\n")
atexit.register(peak)
sys.argv = ["exactml", "check", sys.argv[1]]
runpy.run_module("exactml.cli", run_name="__main__")
"""


def big_check_exact(data: tuple[str, int]) -> float:
    """``exactml check FILE`` in a fresh interpreter: its CPU time, if it judged every claim within the peak memory.

    The whole file must be judged (no note that the document's time ran out) and every claim found ok;
    otherwise, or past CHECK_PEAK_MB of resident memory, the time is reported as infinite (the row fails).
    """
    path, claims = data
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, "-c", _CHECK_WITH_PEAK, path], stdout=out, stderr=err, cwd=REPO)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        tail = out.read()[-400:].splitlines()
        err.seek(0)
        peaks = [line.split()[1] for line in err.read().splitlines() if line.startswith("peak_kb ")]
    cpu = usage.ru_utime + usage.ru_stime
    peak = int(peaks[-1]) / 1024 if peaks else float("inf")
    print(f"    check {path}: {cpu:.2f} s CPU, peak {peak:.0f} MB, exit {child.returncode}", file=sys.stderr)
    whole = f"{claims} claims — {claims} ok, 0 wrong, 0 carried, 0 unchecked" in tail[-2]
    if child.returncode != 0 or not whole or peak > CHECK_PEAK_MB:
        print(f"    check: not every claim was judged ok within the limits: {tail[-2:]}", file=sys.stderr)
        return float("inf")
    return cpu


CASES = [
    Case(
        "linear regression fit",
        "10,000 x 10 ints in [0, 10^4]",
        "flint fmpq_mat normal equations",
        2,
        None,
        linreg_prepare,
        linreg_exact,
        linreg_baseline,
        linreg_agree,
        seeds=(1, 101, 201),
    ),
    Case(
        "decision tree fit",
        "100,000 x 8 small ints, depth 3, Gini",
        "sklearn DecisionTreeClassifier",
        2,
        None,
        tree_prepare,
        tree_exact,
        tree_baseline,
        tree_agree,
        "root gain within 1e-9",
        seeds=(2, 102, 202),
    ),
    Case(
        "k-NN predict",
        "50,000 x 3 ints, 500 queries, k=5",
        "sklearn brute force",
        2,
        None,
        knn_prepare,
        knn_exact,
        knn_baseline,
        knn_agree,
        "labels (distance ties aside)",
        seeds=(3, 103, 203),
    ),
    Case(
        "K-means fit",
        "20,000 2-D ints, k=4, same init",
        "sklearn KMeans lloyd n_init=1",
        5,
        None,
        kmeans_prepare,
        kmeans_exact,
        kmeans_baseline,
        kmeans_agree,
        "centres, inertia within 1e-9",
        seeds=(4, 42, 38, 11, 12),
    ),  # 4 to 34 iterations
    Case(
        "symbolic gradients",
        "MLP.symbolic, 4-layer, 113-123 gradients",
        "sympy.diff per parameter",
        1 / 20,
        None,
        grad_prepare,
        grad_exact,
        grad_baseline,
        grad_agree,
        "equal at a random rational point",
        seeds=(0, 1, 2),
        baseline_repeat=1,
    ),
    Case(
        "exact SVM",
        "200 separable 2-D ints, hard margin",
        "sklearn SVC linear C=1e6",
        20,
        None,
        svm_prepare,
        svm_exact,
        svm_baseline,
        svm_agree,
        "w, b within 1e-6",
        seeds=(6, 106, 206, 306, 406),
    ),
    Case(
        "handout",
        "all chapters, no TeX run",
        "import sympy alone",
        10,
        None,
        lambda quick, seed: None,
        handout_exact,
        handout_baseline,
        lambda a, b: True,
        "-",
        fresh=True,
    ),
    Case(
        "check",
        "the source document, 593 lines",
        "-",
        None,
        5.0,
        check_prepare,
        check_exact,
        None,
        lambda a, b: a is not None,
        "-",
        fresh=True,
    ),
    Case(
        "check 5 MB",
        "5 MB of distinct claims, all judged; peak RSS < 1 GB",
        "-",
        None,
        10.0,
        big_check_prepare,
        big_check_exact,
        None,
        lambda a, b: a is not None,
        "-",
        fresh=True,
    ),
]


# Issue 16's display cases (absolute limits, no baseline) are written for one data set each.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from display_cases import display_cases  # noqa: E402


def _one_data_set(case: Case) -> Case:
    prepare = case.prepare
    case.prepare = lambda quick, seed: prepare(quick)
    return case


CASES += [_one_data_set(c) for c in display_cases(Case)]

# Issue 15's checker corpus: every worksheet of tests/corpus, scored, and 300 worksheets timed on the cores.
sys.path.insert(0, str(REPO / "tests" / "corpus"))
from score import bench_case  # noqa: E402

CASES.append(bench_case(Case))


@dataclass
class Measurement:
    """One data set of a case: median seconds per side (interleaved runs), their ratio, agreement."""

    seed: int
    exact: float
    baseline: float | None
    agrees: bool

    @property
    def ratio(self) -> float | None:
        if self.baseline is None:
            return None
        return self.exact / self.baseline if self.baseline else float("inf")


def measure(case: Case, data: Any, seed: int, repeat: int) -> Measurement:
    """Time both sides on the same data, alternating exactml and baseline runs so that load on a shared
    machine falls on both alike; the median of each side is kept."""
    mine = theirs = None
    t_exact, t_base = [], []
    base_runs = min(repeat, case.baseline_repeat or repeat)
    for r in range(repeat):
        if case.fresh:  # the case times a fresh interpreter itself
            t = case.run_exact(data)
            t_exact.append(t)
            mine = t
        else:
            t, mine = timed(functools.partial(case.run_exact, data), 1)
            t_exact.append(t)
        if case.run_baseline is not None and r < base_runs:
            if case.fresh:
                t_base.append(case.run_baseline(data))
            else:
                t, theirs = timed(functools.partial(case.run_baseline, data), 1)
                t_base.append(t)
    base = statistics.median(t_base) if t_base else None
    return Measurement(seed, statistics.median(t_exact), base, bool(case.agree(mine, theirs)))


def row(case: Case, runs: list[Measurement]) -> tuple:
    """The table row: the worst data set's times, worst and median ratio, target, verdicts."""
    agrees = "yes" if all(m.agrees for m in runs) else "NO"
    if case.run_baseline is None:
        worst = max(runs, key=lambda m: m.exact)
        return (
            case.name,
            str(len(runs)),
            f"{worst.exact:.4f}",
            "-",
            "-",
            "-",
            f"< {case.limit:g} s",
            "yes" if worst.exact <= case.limit else "NO",
            agrees,
        )
    worst = max(runs, key=lambda m: m.ratio)
    median = statistics.median(m.ratio for m in runs)
    target = f"<= {case.target:g}" if case.target >= 1 else f"<= 1/{1 / case.target:g}"
    return (
        case.name,
        str(len(runs)),
        f"{worst.exact:.4f}",
        f"{worst.baseline:.4f}",
        f"{worst.ratio:.3g}",
        f"{median:.3g}",
        target,
        "yes" if worst.ratio <= case.target else "NO",
        agrees,
    )


HEADER = ("case", "data sets", "exactml s", "baseline s", "worst ratio", "median ratio", "target", "meets", "agrees")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repetition")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions per side and data set (median kept)")
    parser.add_argument("--only", help="comma-separated case names (prefixes)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    only = [s.strip() for s in args.only.split(",")] if args.only else None

    rows = []
    failures = 0
    for case in CASES:
        if only and not any(case.name.startswith(o) for o in only):
            continue
        if not case.fresh:  # warm up both sides on small data: imports and caches are not what is measured
            small = case.prepare(True, case.seeds[0])
            case.run_exact(small)
            if case.run_baseline is not None and case.baseline_repeat is None:
                case.run_baseline(small)
        runs = []
        for seed in case.seeds:
            data = case.prepare(args.quick, seed)
            if data is None and case.name == "check":
                break
            runs.append(measure(case, data, seed, repeat))
            m = runs[-1]
            ratio = "" if m.ratio is None else f"  ratio {m.ratio:.3g}"
            base = "" if m.baseline is None else f"  baseline {m.baseline:.3f} s"
            print(
                f"  {case.name} seed {seed}: exactml {m.exact:.3f} s{base}{ratio}{'' if m.agrees else '  DISAGREES'}",
                file=sys.stderr,
                flush=True,
            )
        if not runs:
            print(f"{case.name}: skipped, {SOURCE} is not there", file=sys.stderr)
            continue
        rows.append(row(case, runs))
        failures += rows[-1][-1] != "yes"
        print("  ".join(rows[-1]), file=sys.stderr, flush=True)

    if not only or any(o.startswith("derive") for o in only):  # issue 19: 1,000,000-row CSVs
        from scale_cases import scale_rows

        for r in scale_rows(args.quick):
            rows.append(r)
            failures += r[-1] != "yes"
            print("  ".join(r), file=sys.stderr, flush=True)

    widths = [max(len(str(r[i])) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(HEADER, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
