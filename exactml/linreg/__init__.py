"""Linear regression by the normal equations: estimator, derivation steps, command-line deriver."""

from .estimator import LinearRegression

__all__ = ["LinearRegression"]
