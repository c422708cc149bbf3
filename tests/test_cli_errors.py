"""Every class of bad option, value and output path: exit status and a one-line message, no traceback."""

import errno
import os
import subprocess
import sys

import pytest

from exactml.cli import main
from exactml.examples import FOLDER

STUDY = str(FOLDER / "study.csv")
FRUIT = str(FOLDER / "fruit.csv")
LINREG = ["derive", "linreg", "--data", STUDY, "--target", "score"]


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "exactml.cli", *args], capture_output=True, text=True, check=False, cwd=cwd
    )


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def fails(capsys, args, status=2) -> str:
    assert main(args) == status
    return one_line(capsys.readouterr().err)


# ------------------------------------------------------------------ options
def test_unknown_option_lists_the_valid_ones(capsys):
    line = fails(capsys, LINREG + ["-o", "beta=1"])
    assert "no option 'beta'" in line and "its options are alpha" in line


def test_bad_value_names_the_option(capsys):
    assert "-o alpha=x: alpha is not a number" in fails(capsys, LINREG + ["-o", "alpha=x"])
    line = fails(capsys, ["derive", "knn", "--data", FRUIT, "--target", "fruit", "-o", "query=160,7", "-o", "k=0"])
    assert "k must be at least 1" in line
    line = fails(capsys, ["derive", "svm", "--data", STUDY, "--target", "score", "-o", "kernel=rbf"])
    assert "kernel is not one of linear, poly" in line
    line = fails(capsys, ["derive", "kmeans", "--data", STUDY, "-o", "k=2", "-o", "init=1,2;x"])
    assert "init must be" in line and "quote it" in line


def test_option_without_a_value_is_a_usage_error(capsys):
    assert "is not NAME=VALUE" in fails(capsys, LINREG + ["-o", "alpha"])


def test_knn_never_uses_the_handouts_customer(capsys):
    line = fails(capsys, ["derive", "knn", "--data", FRUIT, "--target", "fruit"])
    assert "knn needs -o query=" in line and "38" not in line


def test_kmeans_on_unrelated_data_never_starts_from_the_handouts_centres(capsys):
    assert "kmeans needs -o k=" in fails(capsys, ["derive", "kmeans", "--data", str(FOLDER / "shops.csv")])
    assert main(["derive", "kmeans", "--data", str(FOLDER / "shops.csv"), "-o", "k=2"]) == 0
    out = capsys.readouterr().out
    assert "(2, 8)" not in out and "(8, 2)" not in out
    assert "k-means++ with the random seed 0" in out


def test_a_query_of_the_wrong_length_is_bad_data_naming_the_columns(capsys):
    line = fails(capsys, ["derive", "knn", "--data", FRUIT, "--target", "fruit", "-o", "query=38,65,710"], status=1)
    assert "weight, sweetness" in line


def test_fragment_and_pdf_without_out_are_usage_errors(capsys):
    assert "--out" in fails(capsys, LINREG + ["--pdf"])
    assert "drop --pdf" in fails(capsys, LINREG + ["--out", "x.tex", "--fragment", "--pdf"])


def test_digits_outside_0_to_30(capsys):
    assert "--digits" in fails(capsys, LINREG + ["--digits", "-5"])


# ------------------------------------------------------------------ input paths
def test_missing_input_and_a_folder_as_input(capsys, tmp_path):
    assert "no such file" in fails(capsys, ["derive", "linreg", "--data", str(tmp_path / "none.csv")])
    assert "it is a folder" in fails(capsys, ["derive", "linreg", "--data", str(tmp_path)])
    assert "it is a folder" in fails(capsys, ["check", str(tmp_path)])


def test_a_bom_does_not_hide_the_first_column(capsys, tmp_path):
    data = tmp_path / "bom.csv"
    data.write_bytes("\ufeffx,y\n1,2\n2,3\n3,5\n".encode())
    assert main(["derive", "linreg", "--data", str(data), "--target", "y"]) == 0


# ------------------------------------------------------------------ output paths: derive --out
def test_missing_folder_is_created(tmp_path, capsys):
    out = tmp_path / "new" / "deeper" / "fit.tex"
    assert main(LINREG + ["--out", str(out)]) == 0
    assert out.read_text().startswith(r"\documentclass")


def test_existing_file_needs_force(tmp_path, capsys):
    out = tmp_path / "fit.tex"
    out.write_text("my own notes")
    assert "use --force" in fails(capsys, LINREG + ["--out", str(out)])
    assert out.read_text() == "my own notes"
    assert main(LINREG + ["--out", str(out), "--force"]) == 0
    assert r"\begin{document}" in out.read_text()


def test_never_overwrites_its_own_input_even_with_force(tmp_path, capsys):
    data = tmp_path / "study.csv"
    data.write_text((FOLDER / "study.csv").read_text())
    before = data.read_text()
    line = fails(capsys, ["derive", "linreg", "--data", str(data), "--target", "score", "--out", str(data), "--force"])
    assert "is an input" in line and data.read_text() == before


def test_a_folder_where_a_file_is_expected(tmp_path, capsys):
    assert "it is a folder, not a file" in fails(capsys, LINREG + ["--out", str(tmp_path)])


def test_a_file_where_a_folder_is_expected(tmp_path, capsys):
    (tmp_path / "plain").write_text("x")
    assert "a file of that name exists" in fails(capsys, LINREG + ["--out", str(tmp_path / "plain" / "fit.tex")])
    assert "a file of that name exists" in fails(capsys, ["handout", "--out", str(tmp_path / "plain")])


def test_symbolic_links_are_not_followed(tmp_path, capsys):
    target = tmp_path / "elsewhere.tex"
    target.write_text("keep me")
    (tmp_path / "link.tex").symlink_to(target)
    assert "symbolic link" in fails(capsys, LINREG + ["--out", str(tmp_path / "link.tex"), "--force"])
    assert target.read_text() == "keep me"


def test_empty_out_is_refused(capsys):
    assert "empty" in fails(capsys, LINREG + ["--out", ""])
    assert "empty" in fails(capsys, ["handout", "--out", ""])


@pytest.mark.parametrize(
    "code, words", [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "permission denied"), (errno.EROFS, "read-only")]
)
def test_write_failures_are_one_line_and_leave_the_old_file(tmp_path, capsys, monkeypatch, code, words):
    # Root ignores read-only folders and no test may fill a disk: the failure is injected at the rename.
    out = tmp_path / "fit.tex"
    out.write_text("old")

    def failing_replace(src, dst):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", failing_replace)
    line = fails(capsys, LINREG + ["--out", str(out), "--force"])
    assert words in line and str(out) in line
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["fit.tex"]  # no temporary file left behind


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert "permission denied" in fails(capsys, LINREG + ["--out", str(folder / "fit.tex")])
    finally:
        folder.chmod(0o755)


# ------------------------------------------------------------------ the handout's folder
def test_handout_keeps_the_users_files(tmp_path, capsys):
    own = tmp_path / "01-introduction.tex"
    own.write_text("my chapter")
    line = fails(capsys, ["handout", "--out", str(tmp_path), "--sections", "linreg"])
    assert "did not write (01-introduction.tex)" in line and "--force" in line
    assert main(["handout", "--out", str(tmp_path), "--sections", "linreg", "--force"]) == 0
    assert own.read_text() == "my chapter"
    # A second build with other sections deletes its own stale chapter, never the user's file.
    assert main(["handout", "--out", str(tmp_path), "--sections", "tree", "--force"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "02-linreg.tex" not in names and "03-tree.tex" in names and own.read_text() == "my chapter"


def test_handout_rebuilds_its_own_folder_without_force(tmp_path):
    assert main(["handout", "--out", str(tmp_path), "--sections", "linreg"]) == 0
    (tmp_path / "handout.log").write_text("latex's by-product of our own main file")
    assert main(["handout", "--out", str(tmp_path), "--sections", "linreg"]) == 0


def test_a_manifest_cannot_reach_outside_its_folder(tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    folder = tmp_path / "h"
    folder.mkdir()
    (folder / ".exactml-manifest").write_text("../precious.txt\n/etc/passwd\n")
    assert main(["handout", "--out", str(folder), "--sections", "linreg"]) == 0
    assert outside.read_text() == "keep"


# ------------------------------------------------------------------ TeX and pipes
def test_missing_latexmk_is_one_line(tmp_path, capsys, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    line = fails(capsys, LINREG + ["--out", str(tmp_path / "fit.tex"), "--pdf"])
    assert "latexmk is not installed" in line


def test_failing_latex_names_the_log_and_the_missing_package(tmp_path):
    from exactml.handout import LatexError, _cause

    log = "This is pdfTeX\n! LaTeX Error: File `forest.sty' not found.\n\nType X to quit\n"
    assert "'forest' is missing" in _cause(log)
    assert _cause("x\n! Undefined control sequence.\nl.3") == "Undefined control sequence."
    assert issubclass(LatexError, RuntimeError)


@pytest.mark.skipif(__import__("shutil").which("latexmk") is None, reason="TeX Live is not installed")
def test_latex_failure_from_the_command_line(tmp_path):
    (tmp_path / "bad.tex").write_text(
        r"\documentclass{article}\usepackage{nosuchpackage}\begin{document}x\end{document}"
    )
    from exactml.handout import LatexError, compile_pdf

    with pytest.raises(LatexError) as err:
        compile_pdf(tmp_path, "bad.tex")
    message = str(err.value)
    assert "\n" not in message and "'nosuchpackage' is missing" in message and "bad.log" in message


def test_a_closed_pipe_is_quiet():
    proc = subprocess.run(
        f"{sys.executable} -m exactml.cli check {FOLDER / 'draft.md'} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    # the report is streamed: its first line is the first verdict (the summary comes last)
    assert proc.stdout[:1] in "✓✗↳·" and proc.stdout.count("\n") == 1 and proc.stderr == ""
    proc = subprocess.run(
        f"{sys.executable} -m exactml.cli derive linreg --data {STUDY} --target score | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stderr == "" and proc.stdout.count("\n") == 1


def test_the_committed_handout_folder_is_exactmls_own():
    # `exactml handout --out latex_out` in a fresh clone must rebuild without --force.
    from pathlib import Path

    from exactml.handout.output import read_manifest

    folder = Path(__file__).resolve().parents[1] / "latex_out"
    assert read_manifest(folder) == {p.name for p in folder.glob("*.tex")}


def test_out_is_standalone_and_fragment_is_a_body(tmp_path):
    assert main(LINREG + ["--out", str(tmp_path / "doc.tex")]) == 0
    assert main(LINREG + ["--out", str(tmp_path / "body.tex"), "--fragment"]) == 0
    doc, body = (tmp_path / "doc.tex").read_text(), (tmp_path / "body.tex").read_text()
    assert doc.startswith(r"\documentclass") and doc.rstrip().endswith(r"\end{document}")
    assert r"\usepackage{amsmath,amssymb}" in doc and r"\maketitle" in doc
    assert r"\documentclass" not in body and r"\begin{document}" not in body
    assert body.strip() in doc


def test_a_failed_pdf_is_one_line_naming_the_log_and_the_package(tmp_path, capsys, monkeypatch):
    # A latexmk that fails as TeX Live does without the forest package: no real TeX needed.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "latexmk"
    fake.write_text(
        "#!/bin/sh\nfor a; do f=$a; done\n"
        'printf \'%s\\n\' "! LaTeX Error: File \\`forest.sty\' not found." > "${f%.tex}.log"\nexit 12\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    work = tmp_path / "work"
    work.mkdir()
    out = work / "fit.tex"
    line = fails(capsys, LINREG + ["--out", str(out), "--pdf"])
    assert "latexmk failed" in line and str(work / "fit.log") in line and "'forest' is missing" in line
    assert sorted(p.name for p in work.iterdir()) == ["fit.log", "fit.tex"]


def test_devices_and_pipes_are_never_replaced(tmp_path, capsys):
    # With --force, os.replace would swap a device or FIFO for a regular file (as root, even /dev/null).
    fifo = tmp_path / "pipe.tex"
    os.mkfifo(fifo)
    line = fails(capsys, LINREG + ["--out", str(fifo), "--force"])
    assert "not a regular file" in line and fifo.is_fifo()
    folder = tmp_path / "h"
    folder.mkdir()
    os.mkfifo(folder / "handout.tex")
    assert "not a regular file" in fails(capsys, ["handout", "--out", str(folder), "--sections", "linreg", "--force"])
    assert (folder / "handout.tex").is_fifo()
