"""A real notebook, executed by a Jupyter kernel: every estimator's derivation displays with its reasons.

The notebook fits each of the six estimators on the handout's data and shows
``derivation_``; the test reads the display data the kernel sent back (what
Jupyter would render) and checks that every step's *why* is in the HTML.
Skips cleanly without nbclient, nbformat and ipykernel
(``pip install nbclient nbformat ipykernel``).
"""

from __future__ import annotations

import html
import re

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

# The handout's data sets, written out (the handout's chapters fit the same).
CELLS = {
    "linreg": """from exactml import LinearRegression
model = LinearRegression().fit([[1500, 3], [2000, 4], [1200, 2], [1800, 3]], [300, 450, 250, 400],
                               feature_names=["Size (sq ft)", "Bedrooms"])
model.derivation_""",
    "tree": """from exactml import DecisionTreeClassifier
X = [["Youth", "High", "No"], ["Youth", "High", "Yes"], ["Middle", "High", "No"], ["Senior", "Medium", "No"],
     ["Senior", "Low", "Yes"], ["Senior", "Low", "No"]]
model = DecisionTreeClassifier().fit(X, ["No", "Yes", "Yes", "Yes", "Yes", "No"],
                                     feature_names=["Age", "Income", "Student"])
model.derivation_""",
    "svm": """from exactml import SVC
model = SVC().fit([[1, 2], [2, 3], [2, 1], [3, 2]], [1, 1, -1, -1])
model.derivation_""",
    "knn": """from exactml import KNeighborsClassifier
model = KNeighborsClassifier(n_neighbors=3).fit(
    [[25, 40, 650], [35, 60, 700], [45, 80, 750], [30, 50, 600], [40, 70, 720]], ["No", "Yes", "Yes", "No", "Yes"],
    feature_names=["Age", "Income", "Credit Score"])
model.predict([[38, 65, 710]])
model.derivation_""",
    "kmeans": """from exactml import KMeans
model = KMeans(n_clusters=2, init=[[2, 8], [8, 2]]).fit([[2, 8], [4, 6], [3, 5], [8, 2], [9, 3], [7, 1]],
                                                     feature_names=["Spending ($100)", "Visits/Month"])
model.derivation_""",
    "nn": """from exactml import MLP
net = MLP([[[2, 2], [2, 2]], [[2, -4]]], [[-1, -3], [-1]])
net.step([0, 1], [1], "1/10")
net.derivation_""",
}


def _fitted(name: str):
    """The same fit in this process, for the list of steps whose reasons must be shown."""
    namespace: dict = {}
    *body, last = CELLS[name].splitlines()
    exec("\n".join(body), namespace)  # noqa: S102 - our own fixed source above
    return eval(last, namespace)


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS.values()]
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3")
    try:
        client.execute()
    except Exception as err:  # no kernel spec on this machine: a setup problem, not a failure of exactml
        if "No such kernel" in str(err) or "NoSuchKernel" in type(err).__name__:
            pytest.skip(f"no Jupyter kernel: {err}")
        raise
    return dict(zip(CELLS, nb.cells))


def _display(cell, mime: str) -> str:
    for out in cell.outputs:
        if out.output_type in ("execute_result", "display_data") and mime in out.data:
            return out.data[mime]
    errors = [o for o in cell.outputs if o.output_type == "error"]
    raise AssertionError(f"no {mime} display; errors: {[e.ename + ': ' + e.evalue for e in errors]}")


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


@pytest.mark.parametrize("name", list(CELLS))
def test_every_estimator_shows_each_steps_reason_in_jupyter(executed, name):
    shown = _text(_display(executed[name], "text/html"))
    derivation = _fitted(name)
    reasons = [s.why for s in derivation.steps() if s.why]
    assert len(reasons) >= 3
    for why in reasons:
        # The longest stretch of plain words (math and markup are typeset, so not compared as text).
        words = max(re.split(r"[\\${}<>]", re.sub(r"\s+", " ", why)), key=len).strip()[:60]
        assert words in shown, (name, words)


@pytest.mark.parametrize("name", list(CELLS))
def test_every_estimator_also_offers_markdown_latex_and_plain_text(executed, name):
    cell = executed[name]
    assert "*Why.*" in _display(cell, "text/markdown")
    assert _display(cell, "text/latex").startswith("$")
    plain = _display(cell, "text/plain")
    assert plain.startswith("<Derivation") and len(plain) < 400


def test_long_parts_are_folded(executed):
    assert "<details>" in _display(executed["linreg"], "text/html")
