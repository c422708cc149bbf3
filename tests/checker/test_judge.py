"""Stage 4: verdicts — exact equality, rounding both ways, carried errors, bindings, guards.

Every expected verdict is worked out by hand in a comment.
"""

import time

import pytest

from exactml.checker import check


def statuses(text):
    return [(c.source, c.status) for c in check(text).claims]


def status(text):
    (claim,) = check(text).claims
    return claim.status


# -- exact equality
@pytest.mark.parametrize(
    "math, expected",
    [
        (r"$1 \times 1 + 1 \times 1 = 2$", "ok"),
        (r"$1500 \times 3 + 2000 \times 4 = 12,500$", "ok"),  # 4500 + 8000
        (r"$2 + 2 = 5$", "wrong"),
        (r"$\sqrt{8} = 2\sqrt{2}$", "ok"),
        (r"$\sqrt{9 + 25 + 100} = \sqrt{134}$", "ok"),
        (r"$\log_2 8 = 3$", "ok"),
        (r"$\frac{16}{36} = \frac{4}{9}$", "ok"),
        (r"$1 - \frac{20}{36} = \frac{15}{36}$", "wrong"),  # 16/36
        (r"$50\% = \frac{1}{2}$", "ok"),
        (r"$5! = 120$", "ok"),
        (r"$\det\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix} = -2$", "ok"),  # 1·4 − 2·3
        (r"$\begin{vmatrix} 1 & 2 \\ 3 & 4 \end{vmatrix} = 2$", "wrong"),
        (r"$\pi \approx 3.14$", "ok"),
        (r"$e \approx 2.718$", "ok"),  # e alone is Euler's number
    ],
)
def test_exact_equality(math, expected):
    assert status(math) == expected


# -- \approx: the exact value rounded to the digits written
@pytest.mark.parametrize(
    "math, expected",
    [
        (r"$\sqrt{2} \approx 1.414$", "ok"),  # 1.41421…
        (r"$\sqrt{2} \approx 1.415$", "wrong"),
        (r"$\sqrt{2} \approx 1.41$", "ok"),
        (r"$\frac{1}{3} \approx 0.333$", "ok"),
        (r"$\frac{1}{3} \approx 0.334$", "wrong"),
        (r"$\frac{2}{3} \approx 0.667$", "ok"),
        (r"$\frac{2}{3} \approx 0.666$", "wrong"),  # truncating is not rounding
        (r"$\frac{1}{8} \approx 0.13$", "ok"),  # 0.125: a tie, either neighbour is honest
        (r"$\frac{1}{8} \approx 0.12$", "ok"),
        (r"$\sqrt{(38 - 25)^2 + (65 - 40)^2 + (710 - 650)^2} \approx 65.19$", "wrong"),  # √4394 = 66.287…
        (r"$\sqrt{(38 - 40)^2 + (65 - 70)^2 + (710 - 720)^2} \approx 11.36$", "ok"),  # √129 = 11.357…
        (r"$\frac{10}{3} \approx 3$", "ok"),  # a whole number means "to the nearest unit"
        (r"$\frac{10}{3} \approx 4$", "wrong"),
        (r"$\sqrt{2} \approx \frac{7}{5}$", "unchecked"),  # no digits written: how close is not said
    ],
)
def test_approx_is_rounding_to_the_digits_written(math, expected):
    assert status(math) == expected


# -- rounded inputs: interval arithmetic over the digits of the decimals the document rounded
ROUNDED = r"$a \approx 0.731$, $b \approx 0.269$, $c \approx 0.299$, $d \approx 0.701$. "


@pytest.mark.parametrize(
    "math, expected",
    [
        # 2(0.731) - 4(0.269) - 1 = -0.614; with the inputs anywhere in their rounding, [-0.617, -0.611]
        (r"$2 \times 0.731 + (-4) \times 0.269 - 1 \approx -0.614$", "ok"),
        (r"$2 \times 0.731 + (-4) \times 0.269 - 1 \approx -0.616$", "ok"),
        (r"$2 \times 0.731 + (-4) \times 0.269 - 1 \approx -0.854$", "wrong"),
        # 0.299 × 0.701 = 0.209599 rounds to 0.210, but 0.299 and 0.701 are rounded: 0.209 is honest
        (r"$0.299 \times 0.701 \approx 0.209$", "ok"),
        (r"$0.299 \times 0.701 \approx 0.212$", "wrong"),
        # -ln(0.299) = 1.2073…; ln over [0.2985, 0.2995] allows 1.206
        (r"$-\log(0.299) \approx 1.206$", "ok"),
        (r"$-\log(0.299) \approx 1.200$", "wrong"),
    ],
)
def test_decimals_the_document_rounded_are_intervals(math, expected):
    assert status(ROUNDED + math) == expected


@pytest.mark.parametrize(
    "math, expected",
    [
        # Decimals nobody rounded are exact: no interval lets a slip through.
        (r"$0.2 \times 30 = 7$", "wrong"),  # 6
        (r"$\frac{1}{0.4} = 2.8$", "wrong"),  # 5/2
        (r"$0.5 + 1.2 \times 2 = 3.0$", "wrong"),  # 29/10
        (r"$0.299 \times 0.701 \approx 0.209$", "wrong"),  # 0.209599 at face value rounds to 0.210
        (r"$0.1 + 0.2 = 0.3$", "ok"),
        (r"$\frac{1}{3} = 0.333$", "ok"),  # the stated value, rounded to its digits
        (r"$\frac{2}{3} = 0.666$", "wrong"),  # truncated, not rounded
    ],
)
def test_decimals_nobody_rounded_are_exact(math, expected):
    assert status(math) == expected


@pytest.mark.parametrize(
    "math, expected",
    [
        # "=" with a rounded right side: 19/3 = 6.333…
        (r"$\frac{8 + 6 + 5}{3} = 6.33$", "ok"),
        (r"$\frac{8 + 6 + 5}{3} = 6.34$", "wrong"),
        (r"$0.444 - 0.389 = 0.055$", "ok"),  # exactly, at face value
    ],
)
def test_honest_rounding_is_never_flagged(math, expected):
    assert status(math) == expected


# -- bindings
def test_a_definition_binds_a_name_for_later_claims():
    text = r"Let $a = \frac{7}{4}$. Then $4a - 3 = 4$ and $a \approx 1.75$ but $2a = 3$."
    assert statuses(text) == [("4a - 3 = 4", "ok"), (r"a \approx 1.75", "ok"), ("2a = 3", "wrong")]


def test_matrix_bindings_and_transposes():
    text = (
        r"$X = \begin{bmatrix} 1 & 1 \\ 1 & 2 \\ 1 & 3 \end{bmatrix}, "
        r"y = \begin{bmatrix} 1 \\ 2 \\ 3 \end{bmatrix}$"
        "\n\n"
        r"$X^T X = \begin{bmatrix} 3 & 6 \\ 6 & 14 \end{bmatrix}$ and "
        r"$X^T y = \begin{bmatrix} 6 \\ 15 \end{bmatrix}$"
    )
    assert [s for _, s in statuses(text)] == ["ok", "wrong"]  # Xᵀy = (6, 14)


def test_a_name_is_bound_to_the_last_value_its_chain_states():
    # the author goes on with 0.444, so 9 × 0.444 = 3.996 is honest
    text = r"$I = \frac{16}{36} \approx 0.444$ and $9 I = 3.996$"
    assert statuses(text)[-1] == ("9 I = 3.996", "ok")


def test_a_matrix_of_unknown_names_takes_its_entries():
    text = (
        r"$\begin{bmatrix} w_0 \\ w_1 \end{bmatrix} = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} "
        r"\begin{bmatrix} 1 \\ 1 \end{bmatrix}$ so $w_0 + w_1 = 10$"
    )
    assert statuses(text) == [("w_0 + w_1 = 10", "ok")]  # w = (3, 7)


def test_names_do_not_leak_into_the_next_section():
    text = "1 First\n$a = 2$\n2 Second\n$a + 1 = 3$"
    assert status(text) == "unchecked"


# -- carried errors
def test_a_claim_right_given_a_wrong_value_is_carried():
    text = "$z = 2 \\times 3 = 7$\n\n$a = z + 1 = 8$\n\n$z - 1 = 5$"
    report = check(text)
    assert [(c.status, c.first_error) for c in report.claims] == [
        ("wrong", 1),  # 2 × 3 = 6, not 7
        ("carried", 1),  # 7 + 1 = 8: right given z = 7, whose error is on line 1
        ("wrong", 1),  # 7 - 1 = 6, not 5: a new slip, downstream of the first error on line 1
    ]
    assert "line 1" in report.claims[1].message


def test_carried_errors_flow_through_chains_of_literals():
    # σ(z) with the stated z = -0.854: 1/(1 + e^{0.854}) = 0.2986 → 0.299
    text = (
        r"$z = 2 \times 0.731 + (-4) \times 0.269 - 1 \approx -0.854$"
        "\n\n"
        r"$a = \sigma(z) = \frac{1}{1 + e^{0.854}} \approx 0.299$"
    )
    assert [c.status for c in check(text).claims] == ["wrong", "carried", "carried"]


# -- what cannot be checked is never wrong
@pytest.mark.parametrize(
    "text",
    [
        r"$\sum_{i=1}^n \alpha_i y_i = 0$",
        r"$x + 1 = 2$",
        r"$1 + 2 + \dots + n = 7$",
        r"$K(x_i, x_j) = (x_i^T x_j + 1)^2$",
        r"$\begin{bmatrix} 1 & 2 \end{bmatrix} = \begin{bmatrix} 1 & 2 & 3 \end{bmatrix}$",
        r"$\frac{1}{0} = 3$",
        r"$\sqrt{-1} = 2$",
        r"$\frac{1}{ = 2$",
    ],
)
def test_unparsable_or_unknown_math_is_unchecked(text):
    assert {c.status for c in check(text).claims} <= {"unchecked"}


def test_prose_and_math_without_relations_make_no_claims():
    assert check("The weight is $w$ and the margin is $\\frac{2}{\\|w\\|}$.").claims == []


# -- size guard
@pytest.mark.parametrize(
    "math",
    [
        r"$2^{2^{64}} = 4$",
        "$" + "7" * 10_000 + " = 7$",
        r"$(10^{1000})^{1000} = 1$",
        r"$(9!)! = 1$",
        r"$e^{e^{e^{10}}} = 1$",
    ],
)
def test_huge_values_are_refused_within_a_second(math):
    check(r"$2 \times 3 = 6$")  # the parser's first use costs its warm-up; not what is timed
    start = time.perf_counter()
    (claim,) = check(math).claims
    assert time.perf_counter() - start < 1
    assert claim.status == "unchecked" and "too large" in claim.message


def test_a_function_written_on_the_left_is_defined_not_checked():
    # K(x_i, x_j) = ... defines K; p(1 - p) with p known, and σ(0), are values to check
    assert check(r"$K(x_i, x_j) = (x_i^T x_j + 1)^2$").claims == []
    assert statuses(r"$p = 0.3$ so $p(1 - p) = 0.21$ and $\sigma(0) = 0.5$") == [
        ("p(1 - p) = 0.21", "ok"),
        (r"\sigma(0) = 0.5", "ok"),
    ]
