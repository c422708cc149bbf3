"""Chapter 1: why look inside the operations at all."""

TITLE = "Introduction to Mathematical Reasoning in ML"


def chapter(ctx) -> str:
    return r"""\section{Introduction to Mathematical Reasoning in ML}
\label{sec:intro}

\subsection{The Importance of Understanding Operations}

A learning algorithm is a short sequence of mathematical operations, and
each of them is there for a reason. Knowing those reasons pays off in
practice:
\begin{itemize}
  \item it tells you which algorithm suits the shape of a problem;
  \item it tells you where to look when a model performs badly;
  \item it lets you change an algorithm safely when the textbook version does not fit;
  \item it gives hyper-parameters a meaning, so that tuning them is not guesswork;
  \item it shows which features an algorithm can use and which it cannot.
\end{itemize}

Every chapter below follows one algorithm on a data set small enough to
check by hand. For each operation it says \emph{why} it is done, shows
\emph{how} it is done, and gives the result. All arithmetic is exact: a
fraction such as $\frac{4}{9}$ is kept as a fraction, $\sqrt{134}$ and
$\log_2 3$ stay symbolic, and a decimal such as $\approx 0.444$ appears only
beside the exact value, rounded to a few places for orientation."""
