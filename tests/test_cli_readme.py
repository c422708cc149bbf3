"""The README's command-line section works as written, every --help prints, and README numbers match the build."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
HAS_TEX = shutil.which("latexmk") is not None


def cli_section() -> str:
    start = README.index("### On the command line")
    return README[start : README.index("\n### ", start + 1)]


def readme_commands() -> list[list[str]]:
    block = re.search(r"```bash\n(.*?)```", cli_section(), re.DOTALL).group(1)
    return [shlex.split(line) for line in block.splitlines() if line.strip()]


def run(argv, cwd):
    assert argv[0] == "exactml"
    return subprocess.run(
        [sys.executable, "-m", "exactml.cli", *argv[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def workdir(tmp_path):
    """A folder laid out like the repository's root, with the example data."""
    shutil.copytree(
        REPO / "exactml" / "examples", tmp_path / "exactml" / "examples", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def test_the_readme_shows_every_algorithm():
    algos = {argv[2] for argv in readme_commands() if argv[1] == "derive"}
    assert algos == {"linreg", "tree", "svm", "knn", "kmeans", "nn"}


@pytest.mark.slow
@pytest.mark.parametrize("argv", readme_commands(), ids=lambda a: " ".join(a[1:3]))
def test_every_readme_command_runs(argv, workdir):
    if "--pdf" in argv and not HAS_TEX:
        argv = [a for a in argv if a != "--pdf"]
    proc = run(argv, workdir)
    expected = 1 if argv[1] == "check" else 0  # the example draft has two slips: check reports them
    assert proc.returncode == expected, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout
    if argv[1] == "handout" and "--pdf" in argv:
        out = workdir / argv[argv.index("--out") + 1]
        pdf = next(out.glob("*.pdf"))
        stated = PAGES_STATED["config" if "--config" in argv else "handout"]
        assert pages(pdf) == stated, f"README says {stated} pages, {pdf.name} has {pages(pdf)}"


PAGES_STATED = {
    "handout": int(re.search(r"\((\d+) pages once compiled\)", README).group(1)),
    "config": int(re.search(r"The example builds to (\d+) pages", README).group(1)),
}


def pages(pdf: Path) -> int:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) counts the pages")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


@pytest.mark.slow
@pytest.mark.skipif(not HAS_TEX, reason="TeX Live is not installed")
@pytest.mark.parametrize(
    "argv", [a for a in readme_commands() if a[1] == "derive" and "--out" not in a], ids=lambda a: a[2]
)
def test_every_readme_derive_compiles_standalone(argv, workdir):
    proc = run(argv + ["--out", "x.tex", "--pdf"], workdir)
    assert proc.returncode == 0, proc.stderr
    assert (workdir / "x.pdf").stat().st_size > 5_000


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["handout", "--help"], ["derive", "--help"], ["check", "--help"]]
    + [["derive", a, "--help"] for a in ("linreg", "tree", "svm", "knn", "kmeans", "nn")],
)
def test_every_help_prints(argv, tmp_path):
    proc = run(["exactml", *argv], tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: exactml") and proc.stderr == ""
    if argv[0] == "derive" and len(argv) == 3:
        assert "options (-o NAME=VALUE" in proc.stdout and "example:" in proc.stdout
        for line in proc.stdout.split("options (-o NAME=VALUE, repeatable):")[1].split("\nexample:")[0].splitlines():
            if line.strip():
                assert "e.g. -o " in line and ("required" in line or "default" in line or "optional" in line)


def test_shell_sensitive_examples_are_quoted():
    kmeans = subprocess.run(
        [sys.executable, "-m", "exactml.cli", "derive", "kmeans", "--help"], capture_output=True, text=True, check=False
    ).stdout
    assert '-o init="1,2;2,1"' in kmeans


# What the README's examples must show in plain text, worked out by hand: k-NN's farthest fruit is
# √((160-120)² + (7-6)²) = √1601 ≈ 40.012; the SVM's ‖w‖ for w = (2/5, 2/5) is 2√2/5 ≈ 0.566; K-means'
# first distance that is not whole is √2 ≈ 1.414; the network's first hidden activation is σ(2) ≈ 0.881;
# the tree's gains from 3 No / 3 Yes are 1 - 1/3 = 2/3 for Outlook and 5/3 - log₂3 ≈ 0.082 for Windy.
SHOWN = {
    "linreg": ["ŷ"],
    "tree": ["Outlook: 2/3 ≈ 0.667", "≈ 0.082"],
    "svm": ["2·√2/5 ≈ 0.566", "α₂"],
    "knn": ["√1601 ≈ 40.012"],
    "kmeans": ["√2 ≈ 1.414"],
    "nn": ["≈ 0.881", "a⁽¹⁾₁", "∂L/∂W⁽²⁾"],
}


@pytest.mark.slow
@pytest.mark.parametrize("argv", [a for a in readme_commands() if a[1] == "derive"], ids=lambda a: a[2])
def test_every_readme_derive_prints_plain_text_without_latex(argv, workdir):
    out = argv.index("--out") if "--out" in argv else len(argv)
    argv = [a for a in argv[:out] if a != "--pdf"]
    proc = run(argv, workdir)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert not re.findall(r"\\[A-Za-z]+", text), "raw LaTeX commands in the text output"
    assert "$" not in text and "sqrt(" not in text and "**" not in text and "[summary]" not in text
    for shown in SHOWN[argv[2]]:
        assert shown in text
