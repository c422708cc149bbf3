"""exactml: the mathematics of classic machine learning, derived exactly.

Estimators follow scikit-learn's conventions (``fit`` returns ``self``,
learned values end in ``_``) but compute on sympy Rationals and symbols, and
record every step in ``derivation_``: shown as readable text by ``print``, as
HTML in Jupyter, and as LaTeX (``to_latex``, ``to_latex(standalone=True)``,
``save_pdf``).  ``evaluate(value, digits)`` gives the decimal of any exact
value, however large, from its shared form.

>>> from exactml import LinearRegression
>>> LinearRegression().fit([[1], [2], [3]], [1, 2, 3]).coef_
[1]
"""

from __future__ import annotations

import importlib
from typing import Any

from .derivation import Derivation, Step
from .exact import DataError, ExactMLError, NotFittedError, SingularMatrixError, exact

__version__ = "0.1.0"

# Public names and the module that defines each; modules load on first use so
# that `import exactml` stays cheap for the command line.
_LAZY = {
    "LinearRegression": "exactml.linreg",
    "DecisionTreeClassifier": "exactml.tree",
    "gini": "exactml.impurity",
    "entropy": "exactml.impurity",
    "information_gain": "exactml.impurity",
    "SVC": "exactml.svm",
    "kernels": "exactml.kernels",
    "KNeighborsClassifier": "exactml.knn",
    "KMeans": "exactml.kmeans",
    "MLP": "exactml.nn",
    "ExactGrowthWarning": "exactml.nn",
    "evaluate": "exactml.lazy",
    "LargeValue": "exactml.lazy",
    "check": "exactml.checker",
    "Report": "exactml.checker",
    "latex": "exactml.latex.printer",
}
# Names in _LAZY that are modules themselves rather than attributes of one.
_MODULE_NAMES = {"kernels"}

__all__ = [
    "Derivation",
    "Step",
    "exact",
    "ExactMLError",
    "DataError",
    "NotFittedError",
    "SingularMatrixError",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'exactml' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if name in _MODULE_NAMES else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
