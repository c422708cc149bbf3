"""Fuzzing the boundaries: hostile estimator inputs and hostile checker text.

The properties are the issue's promise: every input gets a ValueError (or a
result), every document gets a report, and each answer comes within its
budget.  A few thousand examples run here; ``tests/bench`` may run more with
``FUZZ_EXAMPLES``.
"""

import math
import os
import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exactml
from exactml import exact
from exactml.checker import Budget, check
from exactml.checker.report import STATUSES
from exactml.exact import exact_matrix, exact_vector

pd = pytest.importorskip("pandas")

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1"))  # a multiplier for longer runs
SECONDS = 5  # each answer within this much CPU time, as the issue asks
WAIT_SECONDS = 60  # and within this much wall time, however loaded the machine: nothing may hang
FUZZ = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ------------------------------------------------------------------ values
NUMPY_TYPES = [
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
    np.float16,
    np.float32,
    np.float64,
    np.longdouble,
    np.complex64,
    np.complex128,
]
SYMPY_ATOMS = [
    sympy.Integer(3),
    sympy.Rational(-7, 3),
    sympy.Float("0.25"),
    sympy.sqrt(2),
    sympy.pi,
    sympy.E,
    sympy.I,
    sympy.oo,
    -sympy.oo,
    sympy.zoo,
    sympy.nan,
    sympy.Symbol("t"),
    sympy.sqrt(-1) + 2,
    sympy.true,
    sympy.log(3),
    sympy.Pow(2, 10**6, evaluate=False),
    sympy.Float("1e400"),
]


def numpy_scalar(dtype, raw):
    try:
        with np.errstate(all="ignore"):
            return dtype(raw)
    except (OverflowError, ValueError):
        return dtype(0)


numbers_as_text = st.one_of(
    st.from_regex(r"[+-]?\d{1,30}(\.\d{0,20})?([eE][+-]?\d{1,6})?", fullmatch=True),
    st.from_regex(r"[+-]?\d{1,20}\s*/\s*\d{1,20}", fullmatch=True),
    st.text(max_size=20),
)
scalars = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.builds(numpy_scalar, st.sampled_from(NUMPY_TYPES), st.floats(allow_nan=True, allow_infinity=True, width=32)),
    st.builds(numpy_scalar, st.sampled_from(NUMPY_TYPES[:8]), st.integers(min_value=0, max_value=127)),
    st.fractions(max_denominator=10**6),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            Decimal("1e999999999"),
            Decimal("sNaN"),
            np.datetime64("2020-01-01"),
            np.timedelta64(3, "s"),
            pd.NA,
            pd.NaT,
            None,
            True,
            np.bool_(True),
            1 + 2j,
            b"12",
            object(),
        ]
    ),
    st.sampled_from(SYMPY_ATOMS),
    numbers_as_text,
)
nested = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.tuples(inner), max_leaves=4)


def timed(f, *args):
    """``f(*args)``, or None for a ValueError; the answer must take under ``SECONDS`` of this process's CPU.

    CPU time rather than wall time: under a loaded machine (a full suite beside other jobs) the slowest
    honest input here, a least-squares fit on a surd column (about 1 s of CPU), took over 5 s of wall
    time.  A generous wall bound still catches an answer that waits instead of computing.
    """
    start, cpu = time.monotonic(), time.process_time()
    try:
        return f(*args)
    except ValueError:
        return None
    finally:
        assert time.process_time() - cpu < SECONDS
        assert time.monotonic() - start < WAIT_SECONDS


@settings(FUZZ, max_examples=1_200 * EXAMPLES)
@given(nested)
def test_exact_answers_a_number_or_a_value_error(value):
    result = timed(exact, value)
    if result is not None:
        assert isinstance(result, sympy.Expr)
        assert not result.has(sympy.I, sympy.nan, sympy.zoo, sympy.oo, sympy.Float)


# ------------------------------------------------------------------ containers
@st.composite
def tables(draw, rows=4, cols=2):
    n, p = draw(st.integers(1, rows)), draw(st.integers(1, cols))
    kind = draw(st.sampled_from(["list", "numpy", "pandas", "ragged", "nested"]))
    if kind == "numpy":
        dtype = draw(st.sampled_from(NUMPY_TYPES + [object]))
        raw = draw(st.lists(st.lists(st.integers(-50, 50), min_size=p, max_size=p), min_size=n, max_size=n))
        return np.array(raw).astype(dtype)
    cells = draw(st.lists(st.lists(scalars, min_size=p, max_size=p), min_size=n, max_size=n))
    if kind == "pandas":
        return pd.DataFrame(cells, columns=[f"c{j}" for j in range(p)])
    if kind == "ragged" and n > 1:
        cells[-1] = cells[-1][:-1] or cells[-1] + [1]
    if kind == "nested":
        cells[0][0] = [cells[0][0]]
    return cells


@settings(FUZZ, max_examples=400 * EXAMPLES)
@given(tables())
def test_exact_matrix_answers_rows_or_a_value_error(data):
    rows = timed(exact_matrix, data)
    if rows is not None:
        assert len({len(r) for r in rows}) == 1


targets = st.one_of(
    st.lists(scalars, min_size=1, max_size=4),
    st.lists(st.integers(-5, 5), min_size=1, max_size=4).map(pd.Series),
    st.lists(st.integers(-5, 5), min_size=1, max_size=4).map(lambda v: pd.DataFrame({"y": v})),
    st.lists(st.integers(-5, 5), min_size=1, max_size=4).map(lambda v: np.array(v, dtype=np.float16).reshape(-1, 1)),
)


@settings(FUZZ, max_examples=300 * EXAMPLES)
@given(targets)
def test_exact_vector_answers_values_or_a_value_error(y):
    timed(exact_vector, y)


ESTIMATORS = {
    "linreg": lambda X, y: exactml.LinearRegression().fit(X, y),
    "tree": lambda X, y: exactml.DecisionTreeClassifier(max_depth=2).fit(X, y),
    "knn": lambda X, y: exactml.KNeighborsClassifier(n_neighbors=1).fit(X, y).predict(X),
    "kmeans": lambda X, y: exactml.KMeans(n_clusters=1).fit(X),
    "svm": lambda X, y: exactml.SVC(C=1).fit(X, y),
}

small_values = st.one_of(
    st.integers(-20, 20),
    st.floats(min_value=-100, max_value=100, allow_nan=False).map(lambda v: round(v, 2)),
    st.sampled_from(
        [
            np.float16(0.1),
            np.float32(2.5),
            np.longdouble("0.3"),
            np.int8(3),
            np.uint64(7),
            Fraction(1, 3),
            Decimal("0.25"),
            "1/2",
            "2.5e1",
            sympy.sqrt(2),
            sympy.Symbol("a"),
            sympy.I,
            float("nan"),
            None,
            np.complex64(1),
            pd.NA,
            "x",
        ]
    ),
)


@st.composite
def fits(draw):
    n, p = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    X = draw(st.lists(st.lists(small_values, min_size=p, max_size=p), min_size=n, max_size=n))
    y = draw(st.lists(st.sampled_from([-1, 1, "a", "b"]), min_size=n, max_size=n))
    shape = draw(st.sampled_from(["list", "pandas"]))
    if shape == "pandas":
        X = pd.DataFrame(X, columns=[f"c{j}" for j in range(p)])
        y = pd.Series(y)
    return draw(st.sampled_from(sorted(ESTIMATORS))), X, y


@settings(FUZZ, max_examples=300 * EXAMPLES)
@given(fits())
def test_every_estimator_fits_or_refuses_with_a_value_error(case):
    name, X, y = case
    if name == "linreg":
        y = [1 if v in (1, "a") else 2 for v in y]
    timed(ESTIMATORS[name], X, y)


# ------------------------------------------------------------------ checker text
TOKENS = [
    r"\frac{",
    "}",
    "{",
    "(",
    ")",
    "[",
    "]",
    r"\begin{bmatrix}",
    r"\end{bmatrix}",
    r"\begin{pmatrix}",
    r"\end{pmatrix}",
    "&",
    r"\\",
    "=",
    r"\approx",
    "^",
    "_",
    "x",
    "a",
    "1",
    "2",
    "0.5",
    "9" * 60,
    r"\sqrt",
    r"\sqrt{2}",
    r"\det",
    r"\log",
    "e^{",
    "^{-1}",
    "!",
    r"\times",
    r"\cdot",
    "-",
    "+",
    "α",
    "é",
    "а",
    "₁",
    "−",
    "\u202e",
    "\u200b",
    "$",
    "$$",
    r"\[",
    r"\]",
    r"\(",
    r"\)",
    "\n",
    "\n\n",
    " ",
    r"\quad",
    r"\text{and}",
    "%",
    r"\sum_{i=1}^{n}",
    r"\infty",
    "10^{",
    "2^{15000}",
    r"\left(",
    r"\right)",
    "{,}",
    r"\,",
    "'",
]
latex_soup = st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join)
NESTERS = [("{", "}"), ("(", ")"), (r"\frac{1}{", "}"), (r"\sqrt{", "}"), ("2^{", "}"), (r"\left(", r"\right)")]
nesting = st.builds(
    lambda pair, n, core: pair[0] * n + core + pair[1] * n + " = 1",
    st.sampled_from(NESTERS),
    st.integers(0, 1_200),
    st.sampled_from(["1", "x", r"\sqrt 2", "0.5"]),
)
documents = st.one_of(
    latex_soup.map(lambda s: "$" + s + "$"),
    st.lists(latex_soup, max_size=5).map(lambda parts: "\n\n".join(f"$${p}$$" for p in parts)),
    nesting.map(lambda s: "$" + s + "$"),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200).map(lambda s: f"${s} = 1$"),
    st.integers(1, 5000).map(lambda n: "$" + "1+" * n + f"1 = {n + 1}$"),
)
QUICK = Budget(claim_seconds=0.5, recompute_seconds=2)


@settings(FUZZ, max_examples=400 * EXAMPLES)
@given(documents, st.booleans())
def test_every_document_gets_a_report_within_its_budget(text, recompute):
    start, cpu = time.monotonic(), time.process_time()
    report = check(text, recompute=recompute, budget=QUICK)
    elapsed, cpu = time.monotonic() - start, time.process_time() - cpu
    assert all(c.status in STATUSES for c in report.claims)
    report.to_text("fuzz")
    report.to_json()
    # each chain may use its budget once; the rest is reading, which is linear
    over = sum(c.message == "too large to check in the time allowed" for c in report.claims)
    allowance = over * (QUICK.claim_seconds + 1.5) + (QUICK.recompute_seconds if recompute else 0)
    # The promise is in CPU time: this process's, which covers the budget's worker thread (it runs in this
    # process), but not the time other processes take from it on a loaded machine (12.8 s of wall time for
    # a 5 s answer was seen on 2 cores at load 7).  Wall time only has to show that nothing hangs.
    assert cpu < SECONDS + allowance
    assert elapsed < WAIT_SECONDS + allowance


def test_the_fuzz_alphabets_include_the_cases_of_the_issue():
    # a guard against the strategies drifting away from what the issue listed
    assert {np.float16, np.float32, np.longdouble, np.complex64} <= set(NUMPY_TYPES)
    assert sympy.I in SYMPY_ATOMS and math.isfinite(SECONDS)
    assert {"α", "é", "а", "₁", "−", "\u202e", "2^{15000}"} <= set(TOKENS)
