"""Decision trees: impurity, split search, estimator, derivation steps, command-line deriver."""

from .estimator import DecisionTreeClassifier
from .impurity import entropy, gini, information_gain

__all__ = ["DecisionTreeClassifier", "entropy", "gini", "information_gain"]
