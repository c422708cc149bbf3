"""Fuzzing: random LaTeX never raises, and random arithmetic is judged against an exact oracle.

The oracle is Python's ``fractions.Fraction``, independent of sympy and of the parser.
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactml.checker import check
from exactml.checker.report import STATUSES

TOKENS = [
    r"\frac{", "}", "{", "(", ")", "[", "]", r"\begin{bmatrix}", r"\end{bmatrix}", "&", r"\\", "=", r"\approx",
    "^", "_", "x", "X", "1", "2", "10,930,000", "0.5", "0.731", ",", r"\sqrt", r"\log", r"\log_2", r"\odot", "^T",
    r"\text{a b}", "|", r"\left(", r"\right)", "$", "$$", r"\sigma(", "'", r"\dots", "e", "-", "+", r"\times",
    r"\cdot", "!", r"\%", "\\", "%", "\n", " ", r"\quad", r"\sum_{i=1}^n", "I", r"z^{[2]}", r"\partial", "^{-1}",
    r"\[", r"\]", r"\begin{align}", r"\end{align}", "9999999999", r"\mod", ".", r"\infty", r"\|",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_random_latex_never_raises(tokens):
    text = "$" + " ".join(tokens) + "$"
    report = check(text, recompute=True)
    assert all(c.status in STATUSES for c in report.claims)
    report.to_text("fuzz")
    report.to_json()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_raises(text):
    check(text, recompute=True).to_text()


def _expression(draw, depth):
    if depth == 0 or draw(st.booleans()):
        n = draw(st.integers(min_value=0, max_value=30))
        return str(n), Fraction(n)
    op = draw(st.sampled_from(["+", "-", r"\times", "frac", "paren"]))
    left, a = _expression(draw, depth - 1)
    right, b = _expression(draw, depth - 1)
    if op == "+":
        return f"{left} + {right}", a + b
    if op == "-":
        return f"{left} - ({right})", a - b
    if op == r"\times":
        return rf"({left}) \times ({right})", a * b
    if op == "frac" and b != 0:
        return rf"\frac{{{left}}}{{{right}}}", a / b
    return f"({left})", a


@st.composite
def arithmetic(draw):
    return _expression(draw, 3)


def _latex(q: Fraction) -> str:
    if q.denominator == 1:
        return str(q.numerator)
    sign = "-" if q < 0 else ""
    return rf"{sign}\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"


@settings(max_examples=80, deadline=None)
@given(arithmetic())
def test_random_arithmetic_is_judged_exactly(case):
    latex, value = case
    right = check(f"${latex} = {_latex(value)}$").claims
    wrong = check(f"${latex} = {_latex(value + 1)}$").claims
    assert [c.status for c in right] == ["ok"]
    assert [c.status for c in wrong] == ["wrong"]
