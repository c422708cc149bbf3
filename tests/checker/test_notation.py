"""Issue 15: unicode and plain-text math, the notation of ML texts, identities, derivatives, carried values.

Every expected verdict is worked out by hand in a comment (or is plain arithmetic).
"""

import json

import pytest

from exactml.checker import check
from exactml.checker.extract import plain_math
from exactml.checker.normalise import to_latex
from exactml.cli import main


def statuses(text):
    return [c.status for c in check(text).claims]


def status(text):
    (claim,) = check(text).claims
    return claim.status


# -- unicode, in and out of $…$
@pytest.mark.parametrize(
    "text, expected",
    [
        ("$η = 0.1$ and $η × 10 = 1$", ["ok"]),
        ("$p₁ = 2$, so $p₁² = 4$", ["ok"]),
        ("3 × 0.5 − 1 = 0.5", ["ok"]),
        ("√(9 + 16) = 5 and ∛27 = 3", ["ok", "ok"]),
        ("2√2 ≈ 2.83", ["ok"]),  # 2.828…
        ("σ(0) = 0.5", ["ok"]),
        ("π ≈ 3.14", ["ok"]),
        ("e² ≈ 7.39 but e² ≈ 7.29", ["ok", "wrong"]),  # 7.389…
        ("10 ÷ 4 = 2.5", ["ok"]),
        ("7 · 6 = 42", ["ok"]),
    ],
)
def test_unicode_math(text, expected):
    assert statuses(text) == expected


# -- plain text, as typed in an e-mail
def test_math_looking_lines_of_plain_text_are_extracted():
    assert plain_math("so the loss is L = -ln(0.7) ≈ 0.357, which is small.") == ["L = -ln(0.7) ≈ 0.357"]
    assert plain_math("Dear all, see you at 10 tomorrow.") == []
    text = "Hi,\nsqrt(2^2 + 3^2 + 6^2) = sqrt(49) = 7\nand (14 + 18 + 20) / 3 = 17.67 (I think)\nBest"
    assert statuses(text) == ["ok", "ok", "wrong"]  # 52/3 = 17.33


def test_plain_text_names_and_functions():
    assert to_latex("2*c1 + log2(8) = exp(0)", plain=True) == r"2 \times c_{1} + \log_{2}(8) = \exp(0)"
    assert statuses("H = -2 * 0.5 * log2(0.5) = 1") == ["ok"]
    assert statuses("max(3, 4, 0) = 4, min(3, -1) = -1") == ["ok", "ok"]


def test_a_file_with_no_math_says_so(tmp_path, capsys):
    path = tmp_path / "letter.txt"
    path.write_text("Dear Sam,\nthanks for the notes.\n", encoding="utf-8")
    assert main(["check", str(path)]) == 0
    captured = capsys.readouterr()
    assert "no math found" in captured.err
    assert "No math found" in captured.out


# -- notation
@pytest.mark.parametrize(
    "math, expected",
    [
        (r"$\|(3, 4)\| = 5$", "ok"),
        (r"$\lVert (1, -2, 2) \rVert_2 = 3$", "ok"),
        (r"$\|(1, -2, 2)\|_1 = 5$", "ok"),
        (r"$\tanh(0) = 0$", "ok"),
        (r"$\tanh(1) \approx 0.762$", "ok"),  # 0.76159…
        (r"$\tanh(1) \approx 0.746$", "wrong"),
        (r"$\max(2, 7, 3) = 7$", "ok"),
        (r"$\min(2, 7, 3) = 3$", "wrong"),
        (r"$\mathrm{ReLU}(-2) + \operatorname{ReLU}(3) = 3$", "ok"),
        (r"$\sum_{i=1}^{4} i^2 = 30$", "ok"),
        (r"$\prod_{k=1}^{4} k = 24$", "ok"),
        (r"$\sum_{k=1}^{5} k = 14$", "wrong"),
        (r"$\lfloor 7/2 \rfloor + \lceil 7/2 \rceil = 7$", "ok"),
        (r"$\left\lfloor \frac{9}{2} \right\rfloor = 4$", "ok"),
        (r"$\cfrac{1}{1 + \cfrac{1}{2}} = \frac{2}{3}$", "ok"),
        (r"$1.4\% \times 500 = 7$", "ok"),
        (r"$72 \% = 0.72$", "ok"),
        (r"$\frac{7}{9} \approx 77.8\%$", "ok"),
        (r"$\frac{5}{6} \approx 85.3\%$", "wrong"),  # 83.3 %
        (r"$80 - 15\% \cdot 80 = 68$", "ok"),
        (r"$50{,}000 + 1{,}200 \times 80 = 146{,}000$", "ok"),
    ],
)
def test_notation(math, expected):
    assert status(math) == expected


def test_labels_vectors_and_lists():
    assert statuses(r"$w_\text{new} = 3$ and $w_\text{new} + 1 = 4$") == ["ok"]
    # (1, 2)^T is a column: x^T z is a number, not a 2×2 matrix
    doc = r"$\mathbf{x} = (1, 2)^\top$, $\mathbf{z} = (3, 1)^\top$, $\mathbf{x}^\top\mathbf{z} = 5$"
    assert statuses(doc) == ["ok"]
    assert statuses(r"$\vec{u} = (3, 4)^\top$ and $\vec{u}^\top \vec{u} = 25$") == ["ok"]
    # x = 1,000, 1,500 lists two values: x is not 1000
    assert statuses(r"$x = 1{,}000,\ 1{,}500$ and then $x + 1 = 1001$") == ["unchecked"]


# -- decimals: exact unless the document rounded them
def test_decimals_are_exact_unless_rounded_by_the_document():
    assert statuses(r"$0.2 \times 30 = 7$") == ["wrong"]  # 6
    assert statuses(r"$\frac{1}{0.4} = 2.8$") == ["wrong"]  # 5/2
    assert statuses(r"$0.5 + 1.2 \times 2 = 3.0$") == ["wrong"]  # 29/10
    # 0.731 and 0.269 were written after ≈: honest rounding stays unflagged
    doc = (
        r"$\sigma(1) \approx 0.731$, $\sigma(-1) \approx 0.269$. "
        r"$2 \times 0.731 + (-4) \times 0.269 - 1 \approx -0.614$"
    )
    assert statuses(doc) == ["ok", "ok", "ok"]
    # 0.333 is 1/3, an earlier exact value, rounded to its digits: 3 × 0.333 = 1 is honest
    assert statuses(r"$a = \frac{1}{3}$ and $3 \times 0.333 = 1$") == ["ok"]


# -- identities and derivatives
@pytest.mark.parametrize(
    "math, expected",
    [
        (r"$(a + b)^2 = a^2 + 2ab + b^2$", "ok"),
        (r"$(a + b)^2 = a^2 + b^2$", "wrong"),
        (r"$\sigma'(z) = \sigma(z)(1 - \sigma(z))$", "ok"),
        (r"$\sigma(-z) = 1 - \sigma(z)$", "ok"),
        (r"$\frac{d}{dz}\tanh z = 1 - \tanh^2 z$", "ok"),
        (r"$\frac{d}{dz}\tanh z = 1 + \tanh^2 z$", "wrong"),
        (r"$\frac{d}{dz} \ln(1 + e^{z}) = \sigma(z)$", "ok"),
        (r"$\tanh(z) = 2\sigma(2z) - 1$", "ok"),
        (r"$\log_2 x = \frac{\ln x}{\ln 2}$", "ok"),
        (r"$\mathrm{ReLU}(z) = \max(0, z)$", "ok"),
        (r"$w x + b = y$", "unchecked"),  # an equation in different names, not an identity
        (r"$x^2 - 5x + 6 = 0$", "unchecked"),  # an equation to solve
    ],
)
def test_identities(math, expected):
    assert status(math) == expected


def test_a_counterexample_is_named():
    (claim,) = check(r"$\sigma'(z) = \sigma(z)$").claims
    # at z = 1: σ'(1) = σ(1)(1 − σ(1)) = 0.1966…, σ(1) = 0.7311…
    assert claim.status == "wrong"
    assert "at z = 1: left 0.197, right 0.731" in claim.message


def test_derivatives_come_from_the_definitions_of_the_document():
    doc = (
        r"Let $z = w_1 x_1 + b$, $a = \sigma(z)$ and $L = \frac{1}{2}(a - y)^2$. "
        r"Then $\frac{\partial L}{\partial a} = a - y$, $\frac{\partial a}{\partial z} = a(1 - a)$, "
        r"$\frac{\partial L}{\partial w_1} = (a - y)\, a (1 - a)\, x_1$ and "
        r"$\frac{\partial L}{\partial b} = (a - y)\, x_1$."
    )
    assert statuses(doc) == ["ok", "ok", "ok", "wrong"]  # ∂L/∂b has no factor x_1


def test_functions_defined_in_the_document():
    doc = r"For $g(z) = z^3 - 2z$: $g'(z) = 3z^2 - 2$, $g'(2) = 10$, $g(2) = 4$ and $g'(1) = 2$."
    assert statuses(doc) == ["ok", "ok", "ok", "wrong"]  # g'(1) = 3 - 2 = 1


def test_gradient_vector():
    doc = r"Let $L = w_1^2 + 3 w_1 w_2$. Then $\nabla_{w} L = (2 w_1 + 3 w_2, 3 w_1)$."
    assert statuses(doc) == ["ok"]


# -- carried errors by value
def test_a_wrong_number_retyped_later_carries_the_error():
    doc = "$\\sqrt{5} \\approx 2.36$\n\nso the weight is $\\frac{1}{2.36} \\approx 0.424$\n\nand $1 + 0.424 = 1.424$"
    claims = check(doc).claims
    assert [c.status for c in claims] == ["wrong", "carried", "carried"]  # √5 = 2.236…
    assert all(c.first_error == 1 for c in claims[1:])
    assert "2.36" in claims[1].message


def test_a_common_number_does_not_carry():
    # 0.5 has one significant digit: a later 0.5 is not taken for the slip
    doc = "$\\sigma'(0) = 0.5$\n\n$0.5 \\times 4 = 2$"
    assert statuses(doc) == ["wrong", "ok"]  # σ'(0) = 1/4


# -- messages
def test_small_values_are_shown_with_significant_digits():
    (claim,) = check(r"$e^{-6.5} \approx 0.0016$").claims  # 0.0015034…
    assert claim.status == "wrong"
    assert "0.0015" in claim.exact and "≈ 0.0 " not in claim.exact + " "


def test_messages_speak_the_readers_language():
    for claim in check(r"$\frac{a}{b} = \gamma \star \dagger$ and $\int_0^1 x\,dx = \frac{1}{2}$").claims:
        assert claim.status == "unchecked"
        assert "I don't understand" not in claim.message and "Error" not in claim.message


# -- many files
def test_many_files_one_summary_line_each(tmp_path, capsys):
    a, b = tmp_path / "a.md", tmp_path / "b.txt"
    a.write_text("$2 + 2 = 4$\n", encoding="utf-8")
    b.write_text("2 + 2 = 5\n", encoding="utf-8")
    assert main(["check", str(a), str(b), "--jobs", "1"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{a}: 1 claim —") and out[1].startswith(f"{b}: 1 claim —")
    assert main(["check", str(a), str(b), "--format", "json", "--jobs", "1"]) == 1
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["file"] for o in objects] == [str(a), str(b)]
    assert [o["summary"]["wrong"] for o in objects] == [0, 1]


def test_an_unreadable_file_among_many_exits_2(tmp_path, capsys):
    a = tmp_path / "a.md"
    a.write_text("$2 + 2 = 4$\n", encoding="utf-8")
    assert main(["check", str(a), str(tmp_path / "missing.md"), "--jobs", "1"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_files_are_spread_over_processes(tmp_path):
    from exactml.checker.batch import check_files

    paths = []
    for i in range(6):
        p = tmp_path / f"{i}.md"
        p.write_text(f"${i} + 1 = {i + 1 + (i == 3)}$\n", encoding="utf-8")
        paths.append(str(p))
    results = check_files(paths, jobs=2)
    assert [r.path for r in results] == paths
    assert [r.wrong for r in results] == [False, False, False, True, False, False]


def test_a_name_updated_later_may_mean_its_earlier_value():
    # w was 0.5, then updated; -b/w = 1/0.5 holds with the earlier values: not called wrong
    doc = (
        "$w = 0.5$, $b = -1$.\n\n$w \\leftarrow 0.5 - 0.1 \\times (-0.7) = 0.57$\n\n"
        "At the old weights $x = -\\frac{b}{w} = \\frac{1}{0.5} = 2$."
    )
    claims = check(doc).claims
    assert [c.status for c in claims] == ["ok", "unchecked", "ok"]
    assert "earlier value of w" in claims[1].message


def test_plain_text_fractions_and_inline_derivatives():
    # W(α) = 2α − ½α²·8 = 2α − 4α², and dW/dα = 2 − 8α
    doc = "W(α) = 2α − ½α²·8 = 2α − 4α²\nand dW/dα = 2 − 8α, not dW/dα = 2 − 4α."
    assert statuses(doc) == ["ok", "ok", "wrong"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (r"$\mathrm{softmax}(2, 1, 0.1)_1 \approx 0.659$", "ok"),  # e²/(e² + e + e^0.1) = 0.6590…
        (r"$\mathrm{softmax}(2, 1, 0.1)_2 \approx 0.252$", "wrong"),  # 0.2424…
        (r"$\operatorname{softmax}(0, \ln 3)_2 = \frac{3}{4}$", "ok"),  # 3/(1 + 3)
        (r"$\mathrm{softmax}(2, 1)_1 = \sigma(1)$", "ok"),  # e²/(e² + e) = 1/(1 + e^{-1})
        ("softmax(0, ln 3) = (0.25, 0.75)", "ok"),
    ],
)
def test_softmax(text, expected):
    assert status(text) == expected
