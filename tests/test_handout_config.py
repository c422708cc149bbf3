"""exactml handout --config: a handout on the teacher's own data, with the errata of their draft."""

import shutil
import subprocess

import pytest

from exactml.cli import main
from exactml.examples import FOLDER
from exactml.handout.config import ConfigError, load, render

COURSE = FOLDER / "course.toml"


@pytest.fixture(scope="module")
def document():
    return render(load(COURSE))["course.tex"]


def test_one_document_with_its_own_chapters_in_order(document):
    titles = [
        "Hours of Study and Exam Scores",
        "Will the Match Be Played?",
        "Two Groups of Points, the Widest Margin",
        "Apple or Mango?",
        "Two Kinds of Shoppers",
        "A Network Learning AND",
    ]
    positions = [document.index(r"\section{" + t + "}") for t in titles]
    assert positions == sorted(positions)
    assert document.startswith(r"\documentclass") and document.rstrip().endswith(r"\end{document}")
    assert r"\setcounter{section}" not in document  # numbered from 1, not with the source's numbers


def test_the_chapters_use_the_teachers_data_not_the_handouts(document):
    # linreg on study.csv: w = (1063/44, 201/44, 45/11), checked against numpy in the test below
    assert r"\frac{1063}{44} + \frac{201}{44} \times \text{hours} + \frac{45}{11} \times \text{sleep}" in document
    assert r"q = \left(160, 7\right)" in document
    for handout_number in ("2{,}370{,}000", "38, 65, 710", "19/3"):
        assert handout_number not in document


def test_linreg_weights_on_the_example_are_those_solved_by_hand():
    # hours h, sleep s, score y over 5 rows; normal equations solved with fractions (numpy.linalg.lstsq agrees).
    np = pytest.importorskip("numpy")
    X = np.array([[1, 2, 7], [1, 4, 6], [1, 6, 8], [1, 8, 5], [1, 5, 7]], dtype=float)
    y = np.array([60, 70, 85, 80, 75], dtype=float)
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.allclose(w, [1063 / 44, 201 / 44, 45 / 11])
    assert main(["derive", "linreg", "--data", str(FOLDER / "study.csv"), "--target", "score"]) == 0


def test_the_drafts_slips_become_the_errata(document):
    appendix = document[document.index(r"\appendix") :]
    assert "draft.md" in appendix and "2 wrong" in appendix
    assert "3.5" in appendix and "10.02" in appendix  # the two slips of the example draft (lines 5 and 11)
    assert "10/3" in appendix and "2*sqrt(26)" in appendix  # the exact values beside them


def test_without_a_draft_there_is_no_errata_appendix(tmp_path):
    text = COURSE.read_text().replace('draft = "draft.md"', "")
    (tmp_path / "c.toml").write_text(text)
    for name in ("study.csv", "weather.csv", "points.csv", "fruit.csv", "shops.csv", "and.csv", "net.json"):
        shutil.copy(FOLDER / name, tmp_path / name)
    assert r"\appendix" not in render(load(tmp_path / "c.toml"))["c.tex"]


@pytest.mark.parametrize(
    "text, words",
    [
        ('title = "x"\n', "no chapters"),
        ('colour = "red"\n[[chapter]]\nalgorithm = "linreg"\ndata = "study.csv"\n', "unknown key 'colour'"),
        ('[[chapter]]\nalgorithm = "svr"\ndata = "study.csv"\n', "algorithm must be one of"),
        ('[[chapter]]\nalgorithm = "knn"\ndata = "fruit.csv"\ntarget = "fruit"\n', "knn needs -o query="),
        ('[[chapter]]\nalgorithm = "knn"\ndata = "fruit.csv"\noptions = { kk = 3 }\n', "no option 'kk'"),
        (
            '[[chapter]]\nalgorithm = "tree"\ndata = "weather.csv"\noptions = { criterion = "gain" }\n',
            "criterion is not one of gini, entropy",
        ),
        ("title = [\n", "not valid TOML"),
    ],
)
def test_config_mistakes_name_the_key_and_exit_2(tmp_path, capsys, text, words):
    (tmp_path / "c.toml").write_text(text)
    with pytest.raises(ConfigError, match=words.replace("(", r"\(").replace("?", r"\?")):
        load(tmp_path / "c.toml")
    assert main(["handout", "--config", str(tmp_path / "c.toml"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1


def test_a_missing_config_file(tmp_path, capsys):
    assert main(["handout", "--config", str(tmp_path / "none.toml"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("latexmk") is None, reason="TeX Live is not installed")
def test_the_example_course_builds_to_a_pdf(tmp_path, capsys):
    assert main(["handout", "--config", str(COURSE), "--out", str(tmp_path), "--pdf"]) == 0
    pdf = tmp_path / "course.pdf"
    assert pdf.stat().st_size > 50_000
    log = (tmp_path / "course.log").read_text(errors="replace")
    assert "undefined references" not in log
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=False).stdout
        assert "Apple or Mango?" in text and "Errata" in text


def test_the_build_never_overwrites_its_own_inputs(tmp_path, capsys):
    # A draft named like the document, in the output folder, with --force: still refused.
    for name in ("study.csv", "draft.md"):
        shutil.copy(FOLDER / name, tmp_path / name)
    (tmp_path / "course.tex").write_text((FOLDER / "draft.md").read_text())
    (tmp_path / "course.toml").write_text(
        'draft = "course.tex"\n[[chapter]]\nalgorithm = "linreg"\ndata = "study.csv"\ntarget = "score"\n'
    )
    before = (tmp_path / "course.tex").read_text()
    assert main(["handout", "--config", str(tmp_path / "course.toml"), "--out", str(tmp_path), "--force"]) == 2
    assert "is an input of this build" in capsys.readouterr().err
    assert (tmp_path / "course.tex").read_text() == before


def test_svm_chapter_draws_the_plane_with_its_own_class_names(tmp_path):
    (tmp_path / "lab.csv").write_text("a,b,cls\n1,1,no\n2,1,no\n1,2,no\n4,4,yes\n5,3,yes\n4,5,yes\n")
    (tmp_path / "c.toml").write_text(
        '[[chapter]]\nalgorithm = "svm"\ndata = "lab.csv"\ntarget = "cls"\noptions = { C = "hard" }\n'
    )
    text = render(load(tmp_path / "c.toml"))["c.tex"]
    # w = (2/5, 2/5), b = -11/5 by hand: w·x + b = ±1 exactly at (2,1), (1,2) and (4,4), (5,3).
    assert r"coordinates {(2,1) (1,2) (4,4) (5,3)}" in text
    assert r"\addlegendentry{cls = yes}" in text and r"\addlegendentry{cls = no}" in text
