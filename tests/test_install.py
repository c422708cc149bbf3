"""Installing exactml anywhere: package metadata, warnings, and the TeX Live the handout's PDF needs.

The TeX tests compile the handout with ``latexmk -recorder`` and hold every file the compile read
against the Debian packages the README names (``dpkg -S``) and against ``.ci/tex-files.txt``, the
list by which CI decides whether TeX Live is complete. They skip where latexmk or dpkg is missing.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import exactml

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO.parent / "shared" / "source" / "ml-math-why-how.txt"
README = REPO / "README.md"
CI_RUN = REPO / ".ci" / "run"
TEX_FILES = REPO / ".ci" / "tex-files.txt"
# TeX Live's own configuration and the formats and font maps its install scripts generate: read by
# every compile, owned by no package (dpkg -S knows none of them).
GENERATED = ("/var/lib/texmf/", "/etc/texmf/")


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    code = "import sys; from exactml.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def readme_packages() -> list[str]:
    lines = re.findall(r"^apt-get install (texlive-[^\n]*)$", README.read_text(), re.MULTILINE)
    assert len(lines) == 1, "the README has one apt-get line for TeX Live"
    return lines[0].split()


# ------------------------------------------------------------------ metadata
def test_version_flag_prints_the_installed_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout == f"exactml {importlib.metadata.version('exactml')}\n"
    assert importlib.metadata.version("exactml") == exactml.__version__
    assert re.fullmatch(r"exactml \d+\.\d+\.\d+\n", proc.stdout)


def test_metadata_allows_python_3_10_to_3_13_and_is_spdx_mit():
    meta = importlib.metadata.metadata("exactml")
    assert meta["Requires-Python"] == ">=3.10"  # no upper bound
    assert meta["License-Expression"] == "MIT"
    classifiers = meta.get_all("Classifier")
    for minor in (10, 11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Homepage", "Repository", "Issues"} <= set(urls)


def test_the_parser_is_latex2sympy2_extended_and_no_dependency_pins_an_old_antlr():
    requires = importlib.metadata.requires("exactml")
    names = {re.match(r"[A-Za-z0-9_.-]+", r).group().lower().replace("_", "-") for r in requires}
    assert "latex2sympy2-extended" in names and "latex2sympy2" not in names
    import antlr4  # the runtime that latex2sympy2 1.9.1 pinned (4.7.2) imports typing.io, gone in 3.13

    version = importlib.metadata.version("antlr4-python3-runtime")
    assert version == "4.9.3" or version.startswith("4.11") or version == "4.13.2", version
    assert antlr4.__name__ == "antlr4"


def test_importing_exactml_warns_of_nothing():
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import exactml, exactml.checker"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


@pytest.mark.skipif(not SOURCE.exists(), reason="the source document is not beside this checkout")
def test_checking_the_source_document_warns_of_nothing():
    proc = run_cli("check", "--recompute", str(SOURCE))
    assert proc.stderr == "", proc.stderr  # -W error: a warning would be an error on stderr
    assert proc.returncode == 1 and " claims — " in proc.stdout  # checked, and the source has wrong claims


# ------------------------------------------------------------------ TeX Live: one list of packages
def test_readme_ci_and_the_missing_tex_message_name_the_same_packages(tmp_path):
    ci = re.search(r"TEX_PACKAGES=\(([^)]*)\)", CI_RUN.read_text())
    assert ci, ".ci/run defines TEX_PACKAGES"
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = run_cli(
        "handout",
        "--out",
        str(tmp_path / "out"),
        "--sections",
        "intro",
        "--pdf",
        env={**os.environ, "PATH": str(empty)},
    )
    message = proc.stderr.strip()
    named = re.search(r"apt-get install ([a-z0-9 -]+);", message)
    assert named, message
    assert readme_packages() == ci.group(1).split() == named.group(1).split()


def test_without_latexmk_the_pdf_build_says_what_to_install_in_one_line(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()  # a PATH on which there is no latexmk
    proc = run_cli(
        "handout",
        "--out",
        str(tmp_path / "out"),
        "--sections",
        "intro",
        "--pdf",
        env={**os.environ, "PATH": str(empty)},
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "latexmk is not installed" in lines[0]
    assert all(p in lines[0] for p in readme_packages())
    assert (tmp_path / "out" / "handout.tex").exists()  # the LaTeX is written all the same


def test_with_a_file_missing_from_tex_live_the_pdf_build_names_it_and_the_packages(tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    latexmk = fake / "latexmk"  # stops as latexmk does when forest cannot load elocalloc.sty
    latexmk.write_text('#!/bin/sh\necho "! LaTeX Error: File \\`elocalloc.sty\' not found."\nexit 12\n')
    latexmk.chmod(latexmk.stat().st_mode | stat.S_IXUSR)
    proc = run_cli(
        "handout",
        "--out",
        str(tmp_path / "out"),
        "--sections",
        "intro",
        "--pdf",
        env={**os.environ, "PATH": f"{fake}{os.pathsep}/bin{os.pathsep}/usr/bin"},
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "lacks elocalloc.sty" in lines[0] and "texlive-latex-extra" in lines[0]


def test_the_ci_script_is_valid_bash():
    assert subprocess.run(["bash", "-n", str(CI_RUN)], capture_output=True, check=False).returncode == 0


# ------------------------------------------------------------------ TeX Live: what a compile reads
@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> tuple[Path, list[str]]:
    """A fresh handout, compiled with -recorder; the TeX-tree files its .fls lists as INPUT."""
    if shutil.which("latexmk") is None:
        pytest.skip("TeX Live (latexmk) is not installed")
    out = tmp_path_factory.mktemp("handout-fls")
    assert run_cli("handout", "--out", str(out)).returncode == 0
    proc = subprocess.run(
        ["latexmk", "-pdf", "-recorder", "-interaction=nonstopmode", "-halt-on-error", "handout.tex"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    inputs = set()
    for line in (out / "handout.fls").read_text(errors="replace").splitlines():
        if line.startswith("INPUT "):
            path = line[len("INPUT ") :]
            if os.path.isabs(path) and not Path(path).resolve().is_relative_to(out.resolve()):
                inputs.add(path)
    return out, sorted(inputs)


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="not a Debian system (no dpkg)")
def test_every_file_a_compile_reads_comes_from_a_package_the_readme_names(compiled):
    _, inputs = compiled
    packaged = [p for p in inputs if not p.startswith(GENERATED)]
    assert len(packaged) > 100  # latex, amsmath, TikZ, forest, fonts …
    real = {os.path.realpath(p): p for p in packaged}
    proc = subprocess.run(["dpkg", "-S", *real], capture_output=True, text=True, check=False)
    owners: dict[str, set[str]] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("diversion "):
            continue
        pkgs, _, path = line.partition(": ")
        owners.setdefault(path, set()).update(p.strip().split(":")[0] for p in pkgs.split(","))
    allowed = set(readme_packages())
    unowned = sorted(real[p] for p in real if p not in owners)
    outside = sorted(
        f"{real[p]} ({', '.join(sorted(owners[p]))})" for p in real if p in owners and not owners[p] & allowed
    )
    assert not unowned, f"files no Debian package provides: {unowned}"
    assert not outside, f"files from packages the README does not name: {outside}"


def test_ci_checks_every_file_a_compile_reads(compiled):
    _, inputs = compiled
    listed = {line.strip() for line in TEX_FILES.read_text().splitlines() if line.strip() and not line.startswith("#")}
    read = {Path(p).name for p in inputs if not p.startswith(GENERATED)}
    assert not read - listed, f"add to .ci/tex-files.txt: {sorted(read - listed)}"
