"""The handout checks itself: every displayed equation round-trips through the checker's parser.

The generated chapters are read by ``exactml.check`` (latex2sympy2 behind
it), and every claim it can evaluate must hold exactly. A floor on the
number of verified claims per chapter keeps this from passing vacuously.
"""

import pytest

from exactml import check, handout

# Claims the checker verifies in each chapter today; the floors sit a little below.
MIN_VERIFIED = {
    "02-linreg.tex": 35,
    "03-tree.tex": 45,
    "04-svm.tex": 12,
    "05-knn.tex": 10,
    "06-kmeans.tex": 9,
    "07-nn.tex": 50,
}


@pytest.fixture(scope="module")
def chapters():
    return handout.render()


@pytest.mark.parametrize("name", sorted(MIN_VERIFIED))
def test_chapter_has_no_wrong_claim(chapters, name):
    report = check(chapters[name])
    wrong = [(c.line, c.source, c.message) for c in report.claims if c.status == "wrong"]
    assert not wrong, wrong
    verified = sum(c.status == "ok" for c in report.claims)
    assert verified >= MIN_VERIFIED[name], f"only {verified} claims verified in {name}"


def test_a_slip_in_a_chapter_would_be_caught(chapters):
    # The same check on a copy with one number changed must fail: the test above can fail.
    text = chapters["02-linreg.tex"].replace("= 10{,}930{,}000", "= 10{,}940{,}000", 1)
    assert text != chapters["02-linreg.tex"]
    assert check(text).wrong
