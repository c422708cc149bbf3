"""The report: statuses, text with marks and lines, JSON for tools."""

import json

from exactml.checker import Report, check
from exactml.checker.report import Claim

TEXT = "$2 + 2 = 4$\n\n$z = 2 \\times 3 = 7$\n\n$z + 1 = 8$\n\n$x = y$"


def test_report_lists_claims_in_order_with_their_statuses():
    report = check(TEXT)
    assert isinstance(report, Report)
    assert [(c.line, c.status) for c in report.claims] == [(1, "ok"), (3, "wrong"), (5, "carried")]
    assert [c.line for c in report.wrong] == [3]
    assert report.counts() == {"ok": 1, "wrong": 1, "carried": 1, "unchecked": 0}


def test_text_report_marks_each_claim_with_stated_and_exact_values():
    text = check(TEXT).to_text("notes.md")
    lines = text.splitlines()
    assert lines[0] == "notes.md: 3 claims — 1 ok, 1 wrong, 1 carried, 0 unchecked"
    assert "✓ line 1: 2 + 2 = 4" in lines
    assert "✗ line 3: 2 \\times 3 = 7" in lines
    assert "↳ line 5: z + 1 = 8" in lines
    assert any("stated 7; exact 6" in line for line in lines)
    assert lines[-1] == "1 wrong claim; the first is on line 3."


def test_json_report_round_trips():
    data = json.loads(check(TEXT).to_json())
    assert data["summary"] == {"ok": 1, "wrong": 1, "carried": 1, "unchecked": 0}
    assert data["claims"][1] == {
        "line": 3,
        "source": "2 \\times 3 = 7",
        "stated": "7",
        "exact": "6",
        "status": "wrong",
        "message": "not equal: the left side is exactly 6",
        "relation": "=",
        "first_error": 3,
        "recomputed": False,
    }
    assert {"line": 3, "name": "z", "value": "7"} in data["definitions"]


def test_an_empty_report_says_so():
    report = Report()
    assert report.wrong == [] and report.to_text().endswith("No wrong claim.")
    assert Claim(1, "a = b", "b", None, "unchecked", "unknown: a").status == "unchecked"


def test_exactml_check_is_callable_from_the_top_level_package():
    import exactml

    report = exactml.check("$1 + 1 = 3$")
    assert isinstance(report, exactml.Report) and len(report.wrong) == 1


def test_counts_are_written_in_words_that_agree_with_them():
    one = check("$1 + 1 = 3$").to_text("a.md").splitlines()
    assert one[0] == "a.md: 1 claim — 0 ok, 1 wrong, 0 carried, 0 unchecked"
    assert one[-1] == "1 wrong claim; the first is on line 1."
    two = check("$1 + 1 = 3$\n\n$2 + 2 = 5$").to_text("b.md").splitlines()
    assert two[0].startswith("b.md: 2 claims — ") and two[-1] == "2 wrong claims; the first is on line 1."
