"""A node of a fitted decision tree: the record the grower fills and the derivation and figures read."""

from __future__ import annotations

from typing import Any


class Node:
    """One node of a fitted tree.

    ``feature``    the feature it splits on (``None`` for a leaf)
    ``threshold``  for a numeric split, ``t``: ``children["<="]`` holds ``x <= t``, ``children[">"]`` the rest
    ``children``   branch → ``Node``; for a categorical split the branches are the values
    ``counts``     class → number of training examples reaching the node
    ``impurity``   the node's exact impurity under the tree's criterion
    ``gains``      feature → exact information gain of its best split here
                   (every feature that takes two or more values at the node)
    ``gain``       the gain of the chosen split (``None`` for a leaf)
    ``prediction`` the most frequent class
    ``key``        the node's derivation in ``derivation_``
    """

    def __init__(self, key: str, depth: int, counts: dict, impurity: Any, prediction: Any):
        self.key, self.depth, self.counts, self.impurity = key, depth, counts, impurity
        self.prediction = prediction
        self.feature: str | None = None
        self.feature_index: int | None = None
        self.threshold: Any = None
        self.gains: dict[str, Any] = {}
        self.gain: Any = None
        self.children: dict[Any, Node] = {}

    @property
    def is_leaf(self) -> bool:
        return self.feature is None

    @property
    def n_samples(self) -> int:
        return sum(self.counts.values())

    def __repr__(self) -> str:
        what = f"split on {self.feature!r}" if self.feature is not None else f"leaf → {self.prediction!r}"
        return f"<Node {self.key}: {self.n_samples} examples, {what}>"
