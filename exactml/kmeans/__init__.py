"""K-means: Lloyd's iterations on exact centres, derivation steps, command-line deriver."""

from .estimator import KMeans

__all__ = ["KMeans"]
