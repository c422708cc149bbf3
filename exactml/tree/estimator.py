"""Decision trees grown by exact information gain.

Categorical features (text) split multiway, one branch per value present at
the node, as ID3 does; numeric features split in two, ``x <= t`` and
``x > t``, with ``t`` the midpoint between consecutive distinct values and
every such ``t`` tried, as CART does.  Inner loops count classes with
integers; thresholds are ranked by prefix counts (a floating-point filter,
whose near-ties are settled exactly); the exact impurity is formed once per
candidate feature.

The rules, also stated in every derivation (step ``rule``):

* the feature with the largest gain splits the node; equal gains go to the
  feature that comes first among the columns;
* equal gains between thresholds of one feature go to the smallest threshold;
* a node is a leaf when it is pure, at ``max_depth``, has fewer than
  ``min_samples_split`` examples, or no feature varies in it; otherwise it is
  split even when the best gain is zero (as CART does);
* a node predicts its most frequent class; equal counts go to the class that
  sorts first.

Step keys of ``DecisionTreeClassifier.derivation_`` (built by :mod:`exactml.tree_steps`):

``data``      the training data (a table when small)
``rule``      how splits are formed, scored and chosen
``root``, ``node1``, ``node2``, …  one derivation per node, depth first
              (``Node.key``), holding:
   ``counts``    the examples that reach the node, by class
   ``gini``      the node's Gini impurity
   ``entropy``   the node's entropy
   ``gain``      one step per candidate feature, keyed by its name (a ``/``
                 in a name becomes ``|``): branch counts and impurities, the
                 weighted average, the gain (inner nodes only)
   ``compare``   the table of gains (inner nodes)
   ``choice``    the chosen split and the tie rule when it decided (inner nodes)
   ``leaf``      why the node is not split, and its prediction (leaves)
``tree``      the fitted tree: its figure and one rule per leaf
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import sympy

from ..derivation import Derivation
from ..exact import check_feature_count, check_is_fitted, check_lengths, column_names, exact_matrix
from . import impurity as imp
from . import splitting
from .node import Node
from .splitting import Splitter
from .steps import EXPAND_ROWS, branch_label, choice_steps, data_step, leaf_step, node_steps, rule_step, tree_step


class DecisionTreeClassifier:
    """A classification tree whose every gain is exact.

    >>> from exactml import DecisionTreeClassifier
    >>> X = [["Youth", "No"], ["Youth", "Yes"], ["Middle", "No"], ["Senior", "No"], ["Senior", "Yes"], ["Senior", "No"]]
    >>> y = ["No", "Yes", "Yes", "Yes", "Yes", "No"]
    >>> tree = DecisionTreeClassifier().fit(X, y, feature_names=["Age", "Student"])
    >>> tree.root_.feature, tree.root_.gains["Student"]
    ('Student', 1/9)
    """

    def __init__(self, criterion: str = "gini", max_depth: int | None = None, min_samples_split: int = 2):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split

    def _check_params(self) -> None:
        imp.check_criterion(self.criterion)
        d = self.max_depth
        if d is not None and (isinstance(d, bool) or not isinstance(d, int) or d < 1):
            raise ValueError(f"max_depth must be a whole number of at least 1, or None for no limit; got {d!r}")
        m = self.min_samples_split
        if isinstance(m, bool) or not isinstance(m, int) or m < 2:
            raise ValueError(f"min_samples_split must be a whole number of at least 2; got {m!r}")

    def fit(self, X: Any, y: Any, feature_names: Sequence[str] | None = None) -> "DecisionTreeClassifier":
        """Grow the tree on X (rows of numbers or category labels) and the classes y."""
        self._check_params()
        names = list(feature_names) if feature_names is not None else column_names(X)
        columns, shown = splitting.columns(X, names, keep=EXPAND_ROWS + 1)
        classes, codes, labels = splitting.labels(y, keep=EXPAND_ROWS + 1)
        check_lengths(range(len(columns[0].codes)), codes)
        self.feature_names_in_ = [c.name for c in columns]
        self.n_features_in_ = len(columns)
        self.classes_ = classes
        target = str(getattr(y, "name", None) or "class")
        grower = Grower(columns, codes, classes, self.criterion, self.max_depth, self.min_samples_split)
        self.root_, self.derivation_ = grower.grow(shown, labels, target)
        return self

    def predict(self, X: Any) -> list:
        """The predicted class of each row of X."""
        check_is_fitted(self, "root_")
        arr = splitting.int_array(X)
        rows = arr.tolist() if arr is not None else exact_matrix(X, "X", allow_text=True)
        check_feature_count(self, rows)
        return [self._leaf(i, row).prediction for i, row in enumerate(rows)]

    def _leaf(self, i: int, row: list) -> Node:
        node = self.root_
        while node.feature is not None:
            value = row[node.feature_index]
            if node.threshold is not None:
                if not isinstance(value, (int, sympy.Rational)):
                    raise ValueError(f"X row {i}: feature {node.feature!r} is numeric, but the value is {value!r}")
                node = node.children["<=" if value <= node.threshold else ">"]
            elif value in node.children:
                node = node.children[value]
            else:
                known = ", ".join(repr(v) for v in node.children)
                raise ValueError(
                    f"X row {i}: unknown category {value!r} for feature {node.feature!r}; the tree has a branch "
                    f"only for {known} there. Map the value to a known category or refit with it in the data."
                )
        return node


class Grower:
    """Grows the tree depth first and records one derivation per node."""

    def __init__(self, columns, y, classes, criterion, max_depth, min_samples_split):
        self.columns, self.y, self.classes = columns, y, classes
        self.criterion, self.max_depth, self.min_samples_split = criterion, max_depth, min_samples_split
        self.K = len(classes)
        self.splitter = Splitter(columns, y, self.K, criterion)
        totals = np.bincount(y, minlength=self.K)
        self.order = sorted(range(self.K), key=lambda k: (-int(totals[k]), k))  # for display: most frequent first

    def grow(self, shown: list, labels: list, target: str) -> tuple[Node, Derivation]:
        d = Derivation(f"Decision tree grown by information gain ({self.criterion})", key="tree")
        d.add(data_step(self, shown, labels, target))
        d.add(rule_step(self))
        root, count = None, 0
        stack = [(np.arange(len(self.y)), 0, (), None, None)]
        while stack:  # depth first, without recursion (deep trees on large data)
            idx, depth, path, parent, branch = stack.pop()
            node, nd, branches = self.node(idx, depth, path, "root" if parent is None else f"node{count}")
            count += 1
            d.add(nd)
            if parent is None:
                root = node
            else:
                parent.children[branch] = node
            for key, sub in reversed(branches):
                stack.append((sub, depth + 1, path + (branch_label(node, key),), node, key))
        d.add(tree_step(self, root))
        return root, d

    def node(self, idx: np.ndarray, depth: int, path: tuple, key: str) -> tuple[Node, Derivation, list]:
        y_node = self.y[idx]
        counts = np.bincount(y_node, minlength=self.K).tolist()
        n = len(idx)
        top = max(range(self.K), key=lambda k: (counts[k], -k))
        value = imp.gini(counts) if self.criterion == "gini" else imp.entropy(counts)
        node = Node(key, depth, dict(zip(self.classes, counts)), value, self.classes[top])
        nd = node_steps(self, node, counts, path)
        reason = None
        if counts[top] == n:
            reason = "pure"
        elif self.max_depth is not None and depth >= self.max_depth:
            reason = "depth"
        elif n < self.min_samples_split:
            reason = "small"
        candidates = self.splitter.candidates(idx, y_node, counts) if reason is None else []
        if reason is None and not candidates:
            reason = "constant"
        if reason is not None:
            nd.add(leaf_step(self, node, reason, counts))
            return node, nd, []
        best, ties = self.splitter.best(candidates)
        node.gains = {c.column.name: self.splitter.gain_value(c, n) for c in candidates}
        node.feature, node.feature_index = best.column.name, best.index
        node.gain = node.gains[node.feature]
        if best.cut is not None:
            node.threshold = best.threshold
        choice_steps(self, nd, node, candidates, ties)
        return node, nd, self.splitter.branches(best, idx)


def _whole(value: Any, name: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None
