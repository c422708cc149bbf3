"""Chapter 8: what the worked examples have in common."""

TITLE = "Conclusion"


def chapter(ctx) -> str:
    return r"""\section{Conclusion}
\label{sec:conclusion}

\subsection{Key Mathematical Insights}

\begin{itemize}
  \item \textbf{Linear regression:} the least-squares weights solve one linear
    system, $X^T X w = X^T y$; its matrix collects the products of features,
    its right-hand side their products with the target.
  \item \textbf{Decision trees:} impurity measures (Gini, entropy) score how mixed
    a node is, and the split chosen is the one that lowers the weighted
    impurity of the children the most.
  \item \textbf{Support vector machines:} maximising the margin is a convex
    quadratic programme; its dual depends on the data only through inner
    products, which is what lets kernels replace them.
  \item \textbf{$k$-nearest neighbours:} a distance turns ``similar'' into a
    number, and the prediction is a vote among the closest examples.
  \item \textbf{$K$-means:} alternating between assigning points to their
    nearest centre and moving each centre to its cluster's mean never
    increases the within-cluster sum of squares.
  \item \textbf{Neural networks:} the chain rule, applied layer by layer from
    the output back to the input, gives every weight's share of the loss,
    and gradient descent uses it to improve the weights.
\end{itemize}

\subsection{The Importance of Understanding Operations}

Doing the arithmetic exactly has a benefit beyond tidiness. Rounded
intermediate values hide mistakes: a slip in the third decimal place looks
like rounding, and a wrong value copied into the next step goes unnoticed.
With exact values, two computations either agree or they do not. Working
through an algorithm this way builds the understanding that the reasons for
each operation promise: how to choose a method, how to debug it, how to adapt
it, and how to tune it."""
