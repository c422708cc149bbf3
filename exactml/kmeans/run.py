"""What a K-means run records.

One :class:`Iteration` per pass of Lloyd's algorithm, one :class:`Draw` per
k-means++ choice.  The estimator fills them; the derivation and the figures
read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Iteration:
    """One pass of Lloyd's algorithm, in the data's own units."""

    centres: list  # the centres the points were assigned to
    labels: list  # the cluster of every point
    objective: Any  # Σ‖xᵢ − μ‖² for this assignment and these centres
    new_centres: list  # the means of the clusters (after any empty-cluster rule)
    new_objective: Any  # the objective for the new centres
    counts: tuple = ()  # the number of points assigned to each cluster
    relocated: tuple = ()  # (empty cluster, point index) moved by the empty-cluster rule


@dataclass(frozen=True)
class Draw:
    """One k-means++ choice: the squared distances it weighed (small data), their total, the draw."""

    chosen: int
    weights: tuple | None = None
    total: Any = None
    draw: Any = None
