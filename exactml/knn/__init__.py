"""k-nearest neighbours: estimator, votes and derivation steps, command-line deriver."""

from .estimator import KNeighborsClassifier

__all__ = ["KNeighborsClassifier"]
