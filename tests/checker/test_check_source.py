"""The checker on the source document: its slips found, no false alarm, within the time budget.

The slips were verified by hand:

* 5.2.2  √(13² + 25² + 60²) = √4394 = 66.29 (stated 65.19); √(7² + 15² + 40²) = √1874 = 43.29
  (stated 43.57); √(8² + 15² + 110²) = √12389 = 111.31 (stated 111.36);
* 7.3    2(0.731) − 4(0.269) − 1 = −0.614 (stated −0.854); what follows from −0.854 is carried;
* 7.4    δ⁽¹⁾ = [2; −4](−0.700) ⊙ [0.731·0.269; 0.269·0.731] = [−0.275; 0.551]
         (stated [−0.280; −0.543]).

Only recomputation sees: Xᵀy = (1400, 2,370,000, 4400) (stated 2,430,000 and 4700 in 2.2.5);
IG_age = 4/9 − 7/18 = 1/18 = 0.0556 (stated 0.055, twice); the distance 43.57 quoted again in
5.2.3; the weighted vote 1/√129 + 1/√134 + 1/√1874 = 0.1975 (stated 0.197); the plain table of
6.2.2, where d(9,3 → 2,8) = √74 = 8.60 (stated 9.22) and d(7,1 → 8,2) = √2 = 1.41 (stated 2.24).
"""

import json
import time
from pathlib import Path

import pytest

from exactml.checker import check
from exactml.cli import main

SOURCE = next(
    (
        p / "shared/source/ml-math-why-how.txt"
        for p in Path(__file__).resolve().parents
        if (p / "shared/source/ml-math-why-how.txt").exists()
    ),
    Path("/nonexistent"),
)
pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason="the source document is not in this checkout")


@pytest.fixture(scope="module")
def text():
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def local(text):
    return check(text)


@pytest.fixture(scope="module")
def recomputed(text):
    return check(text, recompute=True)


def test_local_check_finds_exactly_the_arithmetic_slips(local):
    stated = sorted(c.stated for c in local.wrong)
    assert stated == sorted(["65.19", "43.57", "111.36", "-0.854", r"\begin{bmatrix} -0.280 \\ -0.543 \end{bmatrix}"])


def test_the_correct_claims_are_ok(local):
    ok = {c.source for c in local.claims if c.status == "ok"}
    assert r"1500 \times 1500 + 2000 \times 2000 + 1200 \times 1200 + 1800 \times 1800 = 10,930,000" in ok
    assert r"1500 \times 3 + 2000 \times 4 + 1200 \times 2 + 1800 \times 3 = 20,300" in ok
    assert r"\sqrt{(38 - 40)^2 + (65 - 70)^2 + (710 - 720)^2} \approx 11.36" in ok
    assert r"-\frac{4}{6} \log_2 \frac{4}{6} - \frac{2}{6} \log_2 \frac{2}{6} \approx 0.918" in ok
    assert r"\sqrt{72} \approx 8.49" in ok
    assert r"0.444 - 0.389 = 0.055" in ok  # true for these rounded operands
    matrices = [c for c in local.claims if c.source.startswith("X^T X = ")]
    assert matrices and all(c.status == "ok" for c in matrices)
    assert sum(c.status == "ok" for c in local.claims) >= 55


def test_what_follows_the_first_neural_network_slip_is_carried(local):
    (slip,) = [c for c in local.wrong if c.stated == "-0.854"]
    carried = [c for c in local.claims if c.status == "carried" and c.line > slip.line]
    assert carried and all(c.first_error == slip.line for c in carried)
    # 1/43.57 uses the distance 43.57 stated by the slip on line 382: carried by value
    (vote,) = [c for c in local.claims if c.source == r"1/43.57 \approx 0.023"]
    (distance,) = [c for c in local.wrong if c.stated == "43.57"]
    assert vote.status == "carried" and vote.first_error == distance.line
    assert any(c.source == r"\frac{1}{1 + e^{0.854}} \approx 0.299" for c in carried)
    (delta,) = [c for c in local.wrong if "-0.280" in c.stated]
    assert delta.first_error == slip.line


def test_nothing_that_cannot_be_checked_is_called_wrong(local):
    unchecked = [c for c in local.claims if c.status == "unchecked"]
    assert any(r"\sum" in c.source for c in unchecked)
    assert all(c.status != "wrong" for c in local.claims if "y" in c.source.split("=")[0] and "\\log(a" in c.source)


def test_recompute_finds_the_slips_local_arithmetic_cannot_see(recomputed):
    found = {(c.stated, c.exact.split(" ≈")[0]) for c in recomputed.claims if c.recomputed}
    assert ("(1400, 2430000, 4700)ᵀ", "(1400, 2370000, 4400)ᵀ") in found
    assert ("0.055", "1/18") in found
    assert ("43.57", "sqrt(1874)") in found
    assert ("9.22", "sqrt(74)") in found
    assert ("2.24", "sqrt(2)") in found
    assert any(stated == "0.197" for stated, _ in found)
    assert sum(1 for c in recomputed.claims if c.recomputed and c.stated == "0.055") == 2  # the chain and the table
    assert all(c.status == "wrong" for c in recomputed.claims if c.recomputed)


def test_recompute_raises_no_false_alarm(recomputed):
    stated = {c.stated for c in recomputed.claims if c.recomputed}
    assert stated.isdisjoint({"0.111", "11.36", "11.58", "8.60", "1.41", "0.444", "0.918", "0.389"})


def test_the_whole_source_checks_within_five_seconds_of_cpu(text):
    start = time.process_time()
    check(text, recompute=True)
    assert time.process_time() - start < 5


def test_the_command_line_reports_and_exits_with_1(capsys):
    assert main(["check", str(SOURCE)]) == 1
    out = capsys.readouterr().out
    assert "✗ line" in out and "65.19" in out
    assert main(["check", str(SOURCE), "--format", "json", "--recompute"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["wrong"] == len([c for c in data["claims"] if c["status"] == "wrong"])
