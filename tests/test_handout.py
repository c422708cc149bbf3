"""The handout: committed output equals a fresh build, it is deterministic, and it compiles."""

import shutil
import subprocess
from pathlib import Path

import pytest

from exactml import handout

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "latex_out"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout")
    handout.build(out)
    return out


def tex_files(folder):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.tex"))}


def committed_tex_files():
    """latex_out/*.tex as committed in git (the README's first command rewrites the working copy)."""
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        return tex_files(COMMITTED)
    names = subprocess.run(
        [git, "ls-tree", "--name-only", "HEAD", "latex_out/"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    return {
        Path(n).name: subprocess.run(
            [git, "show", f"HEAD:{n}"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
        for n in names
        if n.endswith(".tex")
    }


def test_committed_latex_out_equals_a_fresh_build(fresh):
    committed = committed_tex_files()
    assert committed, "latex_out/ holds no committed .tex files: run `exactml handout --out latex_out`"
    assert committed == tex_files(fresh), "latex_out/ is stale: run `exactml handout --out latex_out` and commit"


def test_build_is_byte_for_byte_deterministic(fresh, tmp_path):
    handout.build(tmp_path)
    assert tex_files(tmp_path) == tex_files(fresh)


def test_sections_subset(tmp_path):
    handout.build(tmp_path, sections=["linreg"])
    assert sorted(p.name for p in tmp_path.glob("*.tex")) == ["02-linreg.tex", "99-errata.tex", "handout.tex"]


def test_linreg_chapter_fills_the_sources_gaps(fresh):
    text = (fresh / "02-linreg.tex").read_text()
    assert r"\subsubsection{Operation 1: Compute \texorpdfstring{$X^T X$}{XᵀX}}" in text
    model = (
        r"\hat{y} = -\frac{1600}{19} + \frac{6}{19} \times \text{Size (sq ft)} - \frac{500}{19} \times \text{Bedrooms}"
    )
    assert model in text
    # (XᵀX)⁻¹ over its common denominator: entry (1,1) is 406,250/47,500 = 325/38 = 3,250,000/380,000.
    assert r"\frac{1}{47{,}500}\begin{bmatrix}406{,}250 & -425 & 98{,}750" in text


def test_errata_lists_the_wrong_xty_entries(fresh):
    text = (fresh / "99-errata.tex").read_text()
    assert "2{,}430{,}000" in text and "2{,}370{,}000" in text
    assert "4700" in text and "4400" in text


@pytest.mark.skipif(shutil.which("latexmk") is None, reason="TeX Live (latexmk) is not installed")
def test_handout_compiles_without_errors_or_undefined_references(fresh):
    proc = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "handout.tex"],
        cwd=fresh,
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = (fresh / "handout.log").read_text(errors="replace")
    assert proc.returncode == 0, log[-3000:]
    assert "undefined references" not in log and "Reference `" not in log
    # Nothing sticks into the margin, and every title has a plain-text bookmark.
    assert "Overfull \\hbox" not in log and "Overfull \\vbox" not in log
    assert "Package hyperref Warning" not in log
    assert (fresh / "handout.pdf").stat().st_size > 10_000


SOURCE = REPO.parent / "shared" / "source" / "ml-math-why-how.txt"


@pytest.mark.skipif(not SOURCE.exists(), reason="the source document is not beside this checkout")
def test_errata_list_every_slip_the_checker_finds_in_the_source(fresh):
    """Two independent routes to the same errata: the chapters' engine comparisons, and the checker."""
    import re

    from exactml import check

    errata = (fresh / "99-errata.tex").read_text().replace("{,}", "")
    listed = set(re.findall(r"-?\d+(?:\.\d+)?", errata))
    report = check(SOURCE.read_text(encoding="utf-8"), recompute=True)
    assert len(report.wrong) >= 10
    for claim in report.wrong:
        stated = set(re.findall(r"-?\d+(?:\.\d+)?", claim.stated.replace(",", "")))
        assert stated & listed, f"line {claim.line}: {claim.source} is not in the errata"


def test_compare_records_only_values_the_source_gets_wrong():
    from sympy import Rational

    from exactml.handout.context import Context

    ctx = Context()
    assert ctx.compare("3.2.2", "I", "0.444", Rational(4, 9))  # honest rounding of 4/9
    assert ctx.compare("3.2.2", "I", "16/36", Rational(4, 9))  # an unreduced but exact fraction
    assert not ctx.compare("2.2.5", "(X^T y)_2", "2,430,000", 2_370_000)
    assert not ctx.compare("3.2.3", "IG", "0.055", Rational(1, 18))  # 1/18 = 0.0555… rounds to 0.056
    assert [(e.section, e.stated) for e in ctx.errata] == [("2.2.5", "2,430,000"), ("3.2.3", "0.055")]
