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
from .registry import public_names

__version__ = "0.1.0"

# Public names and the module that defines each, read from the registry;
# modules load on first use so that `import exactml` stays cheap for the
# command line.
_LAZY: dict[str, tuple[str, bool]] = {
    **public_names(),
    "check": ("exactml.checker", False),
    "Report": ("exactml.checker", False),
    "latex": ("exactml.latex.printer", False),
    "evaluate": ("exactml.arith.evaluate", False),
    "LargeValue": ("exactml.arith.lazy", False),
    "ExactGrowthWarning": ("exactml.nn.estimator", False),
}

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
    if name not in _LAZY:
        raise AttributeError(f"module 'exactml' has no attribute {name!r}")
    module, is_module = _LAZY[name]
    mod = importlib.import_module(module)
    value = mod if is_module else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
