"""The checker on the hand-written worksheet corpus: the thresholds of issue 15, and no crash on any file.

The keys were written by hand (values computed without exactml); ``score.py`` matches the
checker's verdicts to them line by line.
"""

import json

import pytest

from exactml.cli import main

from .score import score_corpus, worksheets


@pytest.fixture(scope="module")
def score():
    return score_corpus()


def test_the_corpus_is_big_and_varied():
    sheets = worksheets()
    styles = {key["style"].split(" (")[0].split(" with")[0] for _, key in sheets}
    assert len(sheets) >= 12 and len(styles) >= 5
    claims = sum(len(v) for _, key in sheets for v in key["lines"].values())
    assert claims >= 300


def test_planted_errors_are_found_and_nothing_else(score):
    r = score.rates()
    assert score.false_alarms == []
    assert r["recall_wrong"] >= 0.95, score.missed
    assert r["recall_carried"] >= 0.85, score.missed
    assert r["ok_share"] >= 0.90, score.missed


@pytest.mark.parametrize("doc", [doc for doc, _ in worksheets()], ids=lambda p: p.name)
def test_every_worksheet_exits_0_or_1_with_json(doc, capsys):
    status = main(["check", str(doc), "--format", "json", "--jobs", "1"])
    assert status in (0, 1)
    data = json.loads(capsys.readouterr().out)
    assert data["file"] == str(doc)
    assert (status == 1) == (data["summary"]["wrong"] > 0)
