"""Every algorithm of exactml, declared once.

The package root (public names), the command line (``exactml derive``), the
handout (its chapters) and the checker (``--recompute``) all read this table,
so adding an algorithm is one new folder under ``exactml/`` plus one entry
here.  Entries name modules by their dotted path and nothing is imported
until it is used, which keeps ``import exactml`` and ``exactml --help`` cheap.

An entry says:

``name``        the command-line name and the handout's section key
``summary``     one line for ``exactml derive --help``
``package``     the algorithm's folder; its ``estimator`` module defines ``public``
``public``      names exported from ``exactml`` (estimators, helper functions)
``modules``     public names that are modules of the package (``exactml.kernels``)
``command``     the module whose ``derive_table`` serves ``exactml derive NAME``
``chapter``     the handout chapter module (``TITLE`` and ``chapter(ctx)``)
``recognisers`` checker functions ``"module:function"`` that find this
                algorithm's data in a document and recompute it
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable


@dataclass(frozen=True)
class Algorithm:
    name: str
    summary: str
    package: str
    public: dict[str, str] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)
    recognisers: tuple[str, ...] = ()

    @property
    def command(self) -> str:
        return f"{self.package}.command"

    @property
    def chapter(self) -> str:
        return f"exactml.handout.{self.name}"

    def deriver(self) -> Callable[..., Any]:
        return importlib.import_module(self.command).derive_table


ALGORITHMS: tuple[Algorithm, ...] = (
    Algorithm(
        "linreg",
        "linear regression by the normal equations",
        "exactml.linreg",
        public={"LinearRegression": "estimator"},
        recognisers=("exactml.checker.recompute:linreg_claims",),
    ),
    Algorithm(
        "tree",
        "decision-tree splits (Gini or entropy)",
        "exactml.tree",
        public={
            "DecisionTreeClassifier": "estimator",
            "gini": "impurity",
            "entropy": "impurity",
            "information_gain": "impurity",
        },
        recognisers=("exactml.checker.recompute_tables:tree_tables",),
    ),
    Algorithm(
        "svm",
        "support vector machine (hard or soft margin)",
        "exactml.svm",
        public={"SVC": "estimator"},
        modules={"kernels": "kernels"},
    ),
    Algorithm(
        "knn",
        "k-nearest neighbours for one query",
        "exactml.knn",
        public={"KNeighborsClassifier": "estimator"},
        recognisers=("exactml.checker.recompute_tables:knn_tables",),
    ),
    Algorithm(
        "kmeans",
        "K-means iterations",
        "exactml.kmeans",
        public={"KMeans": "estimator"},
        recognisers=("exactml.checker.recompute_tables:kmeans_tables",),
    ),
    Algorithm(
        "nn",
        "one forward and backward pass of a small network",
        "exactml.nn",
        public={"MLP": "estimator"},
        recognisers=("exactml.checker.recompute:network_claims",),
    ),
)

BY_NAME: dict[str, Algorithm] = {a.name: a for a in ALGORITHMS}

# The handout's sections in the source document's order: the algorithms framed
# by an introduction and a conclusion that belong to no algorithm.
HANDOUT_SECTIONS: tuple[str, ...] = ("intro", *(a.name for a in ALGORITHMS), "conclusion")


def public_names() -> dict[str, tuple[str, bool]]:
    """Public name → (defining module, whether the name is that module itself)."""
    out: dict[str, tuple[str, bool]] = {}
    for a in ALGORITHMS:
        for name, module in a.public.items():
            out[name] = (f"{a.package}.{module}", False)
        for name, module in a.modules.items():
            out[name] = (f"{a.package}.{module}", True)
    return out


def load(target: str) -> Any:
    """The object a ``"module:attribute"`` string names (or the module itself)."""
    module_name, _, attribute = target.partition(":")
    module: ModuleType = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module
