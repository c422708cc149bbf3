"""The fast paths for documents full of decimals, each against the general path it stands in for.

* a rounding test ``exact ≈ stated`` for a rational or ``c·√k`` exact value, decided in integers
  (``judge._rational_within``) — oracle: the interval path (the whole report, fast path switched off);
* "a surd is never a small rational" (``arith._surd_and_rational``) — oracle: ``equal``'s 50-digit test;
* mpmath interval ends of ``p/q`` made directly (``arith._quotient``) — oracle: ``iv.mpf(p) / iv.mpf(q)``;
* the decimal shown for a rational or a surd, from integers — oracle: ``decimals._parts`` (sympy / mpmath);
* roots of rationals remembered — oracle: the power computed afresh.

Plus verdicts worked out by hand at the rounding boundaries.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import iv

from exactml import decimals
from exactml.checker import arith, check, judge
from exactml.checker.expr import Rounded

integers = st.integers(min_value=-(2**200), max_value=2**200)
positive = st.integers(min_value=1, max_value=2**200)


def _sized(bits: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=-(2**bits), max_value=2**bits)


def _general(text: str) -> str:
    """The report with every fast path of this module switched off."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(judge, "_rational_within", lambda *args: False)
        m.setattr(arith, "_surd_and_rational", lambda a, b: False)
        m.setattr(decimals, "_surd_round", lambda c, k, places: None)
        m.setattr(decimals, "_fixed_rational", lambda value, digits: None)
        m.setattr(arith, "ROOTS_KEPT", 0)
        return check(text).to_json()


# ------------------------------------------------------------------ whole reports, fast against general
def _decimal_text(n: int, places: int) -> str:
    text = str(abs(n)).rjust(places + 1, "0")
    if places:
        text = text[:-places] + "." + text[-places:]
    return ("-" if n < 0 else "") + text


claims = st.builds(
    lambda kind, a, b, k, n, places, rel, zero: (
        f"$\\frac{{{a}}}{{{b}}} {rel} {_decimal_text(n, places)}{zero}$"
        if kind == 0
        else f"${'-' if a < 0 else ''}\\sqrt{{{k}}} {rel} {_decimal_text(n, places)}{zero}$"
        if kind == 1
        else f"$x = \\frac{{{a}}}{{{b}}} \\approx {_decimal_text(n, places)}$ and $y = 2 x = {_decimal_text(2 * n, places)}$"
    ),
    st.sampled_from([0, 1, 2]),
    st.integers(min_value=-(10**7), max_value=10**7),
    st.integers(min_value=1, max_value=10**7),
    st.integers(min_value=2, max_value=10**9),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.integers(min_value=0, max_value=7),
    st.sampled_from(["\\approx", "="]),
    st.sampled_from(["", "0"]),
)


@st.composite
def near_claims(draw) -> str:
    """A fraction or a root with a decimal at, inside or just outside half a unit of the last place."""
    places = draw(st.integers(min_value=0, max_value=6))
    rel = draw(st.sampled_from(["\\approx", "="]))
    if draw(st.booleans()):
        a = draw(st.integers(min_value=-(10**6), max_value=10**6))
        b = draw(st.integers(min_value=1, max_value=10**4))
        scaled = sympy.Rational(a * 10**places, b)
        left = f"\\frac{{{a}}}{{{b}}}"
    else:
        k = draw(st.integers(min_value=2, max_value=10**6))
        sign = draw(st.sampled_from([1, -1]))
        scaled = sign * sympy.sqrt(k) * 10**places
        left = ("-" if sign < 0 else "") + f"\\sqrt{{{k}}}"
    n = int(sympy.floor(scaled)) + draw(st.integers(min_value=-1, max_value=2))
    return f"${left} {rel} {_decimal_text(n, places)}$"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(claims, near_claims()), min_size=1, max_size=6))
def test_reports_with_and_without_the_fast_paths_agree(lines):
    text = "\n".join(lines)
    assert check(text).to_json() == _general(text)


# ------------------------------------------------------------------ the pieces, against their oracles
@settings(max_examples=300, deadline=None)
@given(st.one_of(integers, _sized(119), _sized(121)), st.one_of(positive, st.integers(1, 2**121)))
def test_interval_of_a_fraction_has_mpmaths_ends(p, q):
    assert arith._quotient(p, q)._mpi_ == (iv.mpf(p) / iv.mpf(q))._mpi_


@settings(max_examples=300, deadline=None)
@given(_sized(150), st.integers(min_value=1, max_value=2**150), st.integers(min_value=0, max_value=12))
def test_interval_of_a_rounded_decimal_has_the_ends_of_the_general_construction(p, q, places):
    r = Rounded(sympy.Rational(p, q), places, "x")

    def ends(x):
        return iv.mpf(int(x.p)) / iv.mpf(int(x.q))

    lo, hi = ends(r.value - r.half), ends(r.value + r.half)
    assert arith.Interval().rounded(r)._mpi_ == iv.mpf([lo.a, hi.b])._mpi_


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=-(10**25), max_value=10**25),
    st.integers(min_value=1, max_value=10**20),
    st.integers(min_value=0, max_value=14),
    st.booleans(),
)
def test_decimal_of_a_rational_is_the_general_paths(p, q, digits, latex):
    value = sympy.Rational(p, q)
    assert decimals.decimal_string(value, digits, latex) == decimals._format(*decimals._parts(value, digits), latex)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=-(10**7), max_value=10**7).filter(bool),
    st.integers(min_value=1, max_value=10**7),
    st.integers(min_value=2, max_value=10**16),
    st.integers(min_value=0, max_value=14),
)
def test_decimal_of_a_surd_is_the_general_paths(a, b, k, digits):
    value = sympy.Rational(a, b) * sympy.sqrt(k)
    assert decimals.decimal_string(value, digits) == decimals._format(*decimals._parts(value, digits))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-(10**6), max_value=10**6).filter(bool),
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=2, max_value=10**8),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=1, max_value=10**12),
)
def test_a_surd_is_not_a_rational_as_equal_decides(a, b, k, p, q):
    surd, rational = sympy.Rational(a, b) * sympy.sqrt(k), sympy.Rational(p, q)
    with_fast = arith.equal(surd, rational), arith.equal(rational, surd)
    saved = arith._surd_and_rational
    arith._surd_and_rational = lambda x, y: False
    try:
        assert with_fast == (arith.equal(surd, rational), arith.equal(rational, surd))
    finally:
        arith._surd_and_rational = saved


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=-50, max_value=5000), st.integers(1, 50), st.sampled_from([(1, 2), (1, 3), (-1, 2), (3, 2)])
)
def test_a_remembered_root_is_the_one_computed_afresh(p, q, exponent):
    a, b = sympy.Rational(p, q), sympy.Rational(*exponent)
    try:
        fresh = arith.EXACT._pow(a, b)
    except ValueError as err:  # NotCheckable, TooLarge: raised, never remembered
        try:
            arith.EXACT.pow(a, b)
        except ValueError as again:
            assert type(again) is type(err)
            return
        raise AssertionError("the remembered power did not raise") from None
    assert arith.EXACT.pow(a, b) == fresh
    assert arith.EXACT.pow(a, b) == fresh  # a second time, from the memory


# ------------------------------------------------------------------ by hand, at the boundaries
def _verdicts(text: str) -> list[str]:
    return [c.status for c in check(text).claims]


def test_half_a_unit_exactly_is_still_honest_rounding():
    # 1/2000 = 0.0005: exactly half a unit of the third place away from 0.000 and from 0.001
    assert _verdicts(r"$\frac{1}{2000} \approx 0.001$") == ["ok"]
    assert _verdicts(r"$\frac{1}{2000} \approx 0.000$") == ["ok"]
    assert _verdicts(r"$\frac{3}{2000} \approx 0.002$") == ["ok"]
    # 1/2001 = 0.00049975…: 0.00050025 from 0.001, past the half unit
    assert _verdicts(r"$\frac{1}{2001} \approx 0.001$") == ["wrong"]


def test_negative_values_round_the_same_way():
    assert _verdicts(r"$-\frac{5}{2} \approx -2.5$") == ["ok"]
    assert _verdicts(r"$\frac{-1}{2000} \approx -0.001$") == ["ok"]
    assert _verdicts(r"$\frac{-1}{2001} \approx -0.001$") == ["wrong"]
    assert _verdicts(r"$-\sqrt{2} \approx -1.414$") == ["ok"]
    assert _verdicts(r"$-\sqrt{2} \approx -1.415$") == ["wrong"]  # √2 = 1.41421…: 0.00079 away


def test_trailing_zeros_are_places_written():
    # 2.50 claims two places: 251/100 is 0.01 from it, past 0.005; 2.5 claims one place: 0.01 ≤ 0.05
    assert _verdicts(r"$\frac{251}{100} \approx 2.50$") == ["wrong"]
    assert _verdicts(r"$\frac{251}{100} \approx 2.5$") == ["ok"]
    assert _verdicts(r"$\frac{5}{2} \approx 2.50$") == ["ok"]


def test_large_and_small_magnitudes():
    # to the nearest unit: 10^15 + 1/2 is half a unit from both neighbours
    assert _verdicts(r"$\frac{2000000000000001}{2} \approx 1000000000000000$") == ["ok"]
    assert _verdicts(r"$\frac{2000000000000001}{2} \approx 1000000000000001$") == ["ok"]
    assert _verdicts(r"$\frac{2000000000000001}{2} \approx 1000000000000002$") == ["wrong"]
    # 1/3000000 = 3.33…e-7: 3.3e-8 from 0.0000003 (within 5e-8), 6.7e-8 from 0.0000004 (not)
    assert _verdicts(r"$\frac{1}{3000000} \approx 0.0000003$") == ["ok"]
    assert _verdicts(r"$\frac{1}{3000000} \approx 0.0000004$") == ["wrong"]
    assert _verdicts(r"$\sqrt{10000000000001} \approx 3162277.66017$") == ["ok"]  # 3162277.660168…


def test_approx_and_equals_with_a_lone_decimal():
    # the lone decimal on the right of = stands for its rounding; an exact value computed from decimals does not
    assert _verdicts(r"$\frac{1}{3} = 0.333$") == ["ok"]
    assert _verdicts(r"$\frac{1}{3} = 0.334$") == ["wrong"]
    assert _verdicts(r"$\sqrt{2} = 1.41421$") == ["ok"]
    assert _verdicts(r"$0.2 \times 30 = 7$") == ["wrong"]


def test_the_exact_value_shown_beside_a_surd_and_a_fraction():
    (root,) = check(r"$\sqrt{945} \approx 30.741$").claims
    assert root.exact == "3*sqrt(105) ≈ 30.741"  # √945 = 30.74085…
    (frac,) = check(r"$\frac{638}{262} \approx 2.435$").claims
    assert frac.exact == "319/131 ≈ 2.435"  # 2.43511…
    (small,) = check(r"$\frac{-1}{2000} \approx -0.001$").claims
    assert small.exact == "-1/2000 ≈ -0.000500"


def test_json_records_are_dataclasses_asdict():
    import json
    from dataclasses import asdict

    report = check("$x = \\frac{1}{3} \\approx 0.334$ and $y = x + 1 = 1.333$\n$\\sqrt{2} \\approx 1.414$")
    expected = {
        "summary": report.counts(),
        "claims": [asdict(c) for c in report.claims],
        "definitions": [asdict(d) for d in report.definitions],
    }
    assert report.definitions and any(c.first_error for c in report.claims)
    assert report.to_json() == json.dumps(expected, ensure_ascii=False, indent=2)
