"""Fuzzing: random LaTeX never raises, and random arithmetic is judged against an exact oracle.

The oracle is Python's ``fractions.Fraction``, independent of sympy and of the parser.
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactml.checker import check
from exactml.checker.report import STATUSES

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
    "&",
    r"\\",
    "=",
    r"\approx",
    "^",
    "_",
    "x",
    "X",
    "1",
    "2",
    "10,930,000",
    "0.5",
    "0.731",
    ",",
    r"\sqrt",
    r"\log",
    r"\log_2",
    r"\odot",
    "^T",
    r"\text{a b}",
    "|",
    r"\left(",
    r"\right)",
    "$",
    "$$",
    r"\sigma(",
    "'",
    r"\dots",
    "e",
    "-",
    "+",
    r"\times",
    r"\cdot",
    "!",
    r"\%",
    "\\",
    "%",
    "\n",
    " ",
    r"\quad",
    r"\sum_{i=1}^n",
    "I",
    r"z^{[2]}",
    r"\partial",
    "^{-1}",
    r"\[",
    r"\]",
    r"\begin{align}",
    r"\end{align}",
    "9999999999",
    r"\mod",
    ".",
    r"\infty",
    r"\|",
    # issue 15: unicode, plain text, new notation
    "η",
    "σ",
    "p₁",
    "²",
    "³",
    "×",
    "·",
    "−",
    "√",
    "∛",
    "≈",
    "≠",
    "≤",
    "÷",
    "ᵀ",
    "‖",
    "∂",
    "∇",
    "À",
    "é",
    "∑",
    "sqrt(",
    "log2(",
    "*",
    "/",
    "%",
    "1.4%",
    r"\tanh",
    r"\max(",
    r"\min(",
    r"\lfloor",
    r"\rfloor",
    r"\cfrac{",
    r"\operatorname{ReLU}(",
    r"\sum_{i=1}^{3}",
    r"\prod_{k=1}^{2}",
    r"\frac{d}{dz}",
    r"\frac{\partial L}{\partial w}",
    r"\nabla_w",
    "f'(",
    r"\lVert",
    r"\rVert",
    "1{,}000",
    r"\text{new}",
    r"\mathbf{x}",
    "(1, 2)^\top",
    "z",
    "w_1",
]
UNICODE_TEXT = st.lists(
    st.sampled_from(
        list("0123456789 =≈+−-×·÷/()²³₁₂√∛σηπ.,:%xyzwabL\n") + ["sqrt", "log2", " and ", "e^", "The ", "tanh", "‖", "ᵀ"]
    ),
    max_size=60,
).map("".join)


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


@settings(max_examples=80, deadline=None)
@given(UNICODE_TEXT)
def test_random_plain_text_with_unicode_math_never_raises(text):
    report = check(text, recompute=True)
    assert all(c.status in STATUSES for c in report.claims)
    report.to_text("fuzz")
    report.to_json()


@settings(max_examples=25, deadline=None)
@given(UNICODE_TEXT)
def test_the_command_line_exits_0_1_or_2_on_anything(tmp_path_factory, text):
    from exactml.cli import main

    path = tmp_path_factory.mktemp("fuzz") / "sheet.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path), "--jobs", "1"]) in (0, 1, 2)


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
