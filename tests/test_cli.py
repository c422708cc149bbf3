"""The command line: exit codes, messages without tracebacks, files written."""

import subprocess
import sys

import pytest

from exactml.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "exactml.cli", *args], capture_output=True, text=True)


@pytest.fixture
def houses_csv(tmp_path):
    path = tmp_path / "houses.csv"
    path.write_text("size,bedrooms,price\n1500,3,300\n2000,4,450\n1200,2,250\n1800,3,400\n")
    return path


def test_derive_linreg_prints_the_exact_weights(houses_csv, capsys):
    assert main(["derive", "linreg", "--data", str(houses_csv), "--target", "price"]) == 0
    out = capsys.readouterr().out
    assert "w = (-1600/19 ≈ -84.211, 6/19 ≈ 0.316, -500/19 ≈ -26.316)" in out


def test_derive_linreg_writes_latex(houses_csv, tmp_path):
    out = tmp_path / "d.tex"
    assert main(["derive", "linreg", "--data", str(houses_csv), "--target", "price", "--out", str(out)]) == 0
    assert r"2{,}370{,}000" in out.read_text()


def test_bad_cell_is_reported_with_its_line_and_exit_1(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("x,y\n1,2\n2,oops\n3,4\n")
    proc = run("derive", "linreg", "--data", str(path), "--target", "y")
    assert proc.returncode == 1
    assert "line 3" in proc.stderr and "oops" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_singular_data_exit_1_names_columns(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("a,b,y\n1,2,1\n2,4,2\n3,6,4\n")
    proc = run("derive", "linreg", "--data", str(path), "--target", "y")
    assert proc.returncode == 1 and "'a', 'b'" in proc.stderr and "alpha" in proc.stderr


def test_usage_errors_exit_2(houses_csv, tmp_path):
    assert run("derive", "linreg", "--data", str(tmp_path / "missing.csv"), "--target", "y").returncode == 2
    assert run("derive", "linreg", "--data", str(houses_csv), "-o", "alpha").returncode == 2
    assert run("handout", "--sections", "nonsense", "--out", str(tmp_path / "h")).returncode == 2
    assert run("frobnicate").returncode == 2


def test_missing_target_is_a_clear_error(houses_csv):
    proc = run("derive", "linreg", "--data", str(houses_csv))
    assert proc.returncode == 1 and "--target" in proc.stderr


def test_unknown_target_lists_columns(houses_csv):
    proc = run("derive", "linreg", "--data", str(houses_csv), "--target", "cost")
    assert proc.returncode == 1 and "size, bedrooms, price" in proc.stderr


def test_ridge_option_is_exact(tmp_path, capsys):
    path = tmp_path / "dup.csv"
    path.write_text("a,b,y\n1,2,1\n2,4,2\n3,6,4\n")
    assert main(["derive", "linreg", "--data", str(path), "--target", "y", "-o", "alpha=1"]) == 0
    assert "w = (" in capsys.readouterr().out


def test_an_option_error_is_not_blamed_on_a_line_of_the_data(tmp_path):
    path = tmp_path / "spend.csv"
    path.write_text("spend,visits\n2,8\n4,6\n3,5\n8,2\n9,3\n7,1\n")
    proc = run("derive", "kmeans", "--data", str(path), "-o", "k=2", "-o", "init=2,8;8")
    assert proc.returncode == 1
    assert "init is ragged" in proc.stderr and "line" not in proc.stderr
