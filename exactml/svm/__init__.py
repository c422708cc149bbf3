"""Support vector machines: the exact QP and its optimal set, kernels, estimator, steps, deriver."""

from .estimator import SVC, NotSeparableError

__all__ = ["SVC", "NotSeparableError"]
