"""The streamed report: iter_check hands out check()'s verdicts as they are known, and the CLI prints them so."""

import gc
import os
import resource
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from exactml.checker import Budget, check, iter_check
from exactml.checker.report import claim_lines

WORKSHEETS = sorted(p for p in (Path(__file__).parents[1] / "corpus" / "worksheets").iterdir() if p.suffix != ".json")
SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "source" / "ml-math-why-how.txt"
if not SOURCE.exists():
    SOURCE = Path("/work/shared/source/ml-math-why-how.txt")


def in_order(report):
    """The claims as the text report lists them."""
    return sorted(report.claims, key=lambda c: (c.line, c.recomputed))


@pytest.mark.parametrize("path", WORKSHEETS + ([SOURCE] if SOURCE.exists() else []), ids=lambda p: p.name)
def test_the_stream_is_the_report_claim_by_claim(path):
    text = path.read_text(encoding="utf-8")
    checking = iter_check(text)
    streamed = list(checking)
    report = check(text)
    assert streamed == in_order(report)
    assert checking.counts == report.counts() and checking.no_math == report.no_math
    assert checking.first_wrong == min((c.line for c in report.wrong), default=None)


def test_notes_on_unread_math_come_where_check_puts_them():
    deep = "{" * 1_000 + "1" + "}" * 1_000
    text = f"$1 + 1 = 2$ ${deep} = 1$ $2 + 2 = 5$\n\n${deep} = 2$\n\n$3 + 3 = 6$ $\\sqrt{{-1}} = 1$"
    report = check(text)
    assert any(c.source.startswith("{{{{") for c in report.claims)  # the nested ones are notes
    assert list(iter_check(text)) == in_order(report)


def test_where_the_documents_time_ran_out_comes_last():
    text = "\n\n".join(f"${k} + 1 = {k + 1}$" for k in range(20_000))
    streamed = list(iter_check(text, Budget(document_seconds=0.1)))
    assert "time budget" in streamed[-1].message and len(streamed) < 20_001
    assert all(c.line < streamed[-1].line for c in streamed[:-1])


def test_the_first_verdicts_come_before_the_document_is_read():
    text = "\n\n".join(f"$a_{{{k}}} = {k} + 1 = {k + 1}$" for k in range(5_000))
    checking = iter_check(text)
    claims = iter(checking)
    first = next(claims)
    assert (first.line, first.status) == (1, "ok")
    assert checking._run.reading < 1_000  # the math being read is near the top: the rest waits
    claims.close()


def test_claims_handed_out_are_not_kept():
    text = "\n\n".join(f"$a_{{{k}}} = {k} + 1 = {k + 1}$" for k in range(3_000))
    refs = [weakref.ref(c) for c in iter_check(text)]
    gc.collect()
    assert len(refs) == 3_000 and sum(r() is not None for r in refs) == 0


# ------------------------------------------------------------------ the command line
def run_cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "exactml.cli", *args], capture_output=True, text=True, **kwargs)


def test_the_cli_prints_the_text_report_with_the_summary_last(tmp_path):
    path = WORKSHEETS[0]
    proc = run_cli("check", str(path))
    report = check(path.read_text(encoding="utf-8"))
    width = len(str(path.read_text(encoding="utf-8").count("\n") + 1))
    lines = proc.stdout.splitlines()
    assert lines[:-2] == [line for c in in_order(report) for line in claim_lines(c, width)]
    assert lines[-2] == report.summary(str(path))
    assert lines[-1] == report.to_text().splitlines()[-1]
    assert proc.returncode == (1 if report.wrong else 0) and proc.stderr == ""


def child_cpu(command: str) -> tuple[float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc


def test_head_gets_its_lines_at_once_and_the_check_stops_quietly(tmp_path):
    big = tmp_path / "big.md"
    big.write_text("\n".join(f"$a_{{{k}}} = {k} + 1 = {k + 1}$" for k in range(15_000)) + "\n", encoding="utf-8")
    cli = f"{sys.executable} -m exactml.cli check {big}"
    whole, proc = child_cpu(f"{cli} > {os.devnull}")
    assert proc.returncode == 0
    head, proc = child_cpu(f"{cli} | head -5; exit ${{PIPESTATUS[0]}}")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.splitlines()[:2] == ["✓ line     1: 0 + 1 = 1", " " * 13 + "stated 1; exact 1"]
    assert proc.stdout.count("\n") == 5
    # CPU time of the processes: the check stopped when head did, long before the whole file
    assert head < 0.6 * whole
