"""A small neural network: activations, backpropagation, estimator, steps, deriver."""

from .estimator import MLP

__all__ = ["MLP"]
