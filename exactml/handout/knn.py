"""Chapter 5: k-nearest neighbours on the source's five customers."""

from __future__ import annotations

from dataclasses import replace

from ..derivation import Equation
from ..knn import KNeighborsClassifier
from ..latex.render import LatexRenderer, tex_escape
from ..records import Aligned, Indexed

TITLE = "k-Nearest Neighbors: Distance and Voting"

# The source document's data (section 5.1).
FEATURES = ["Age", "Income", "Credit Score"]
TARGET = "Good Customer"
CUSTOMERS = [[25, 40, 650], [35, 60, 700], [45, 80, 750], [30, 50, 600], [40, 70, 720]]
GOOD = ["No", "Yes", "Yes", "No", "Yes"]
NEW_CUSTOMER = [38, 65, 710]
K = 3

# What the source prints; the engine judges every value.
SOURCE_DISTANCES = ["65.19", "11.58", "43.57", "111.36", "11.36"]  # 5.2.2, in the order of the data
SOURCE_RANKED = ["11.36", "11.58", "43.57"]  # 5.2.3
SOURCE_WEIGHTS = ["0.088", "0.086", "0.023"]  # 5.2.4
SOURCE_TOTAL = "0.197"
WIDE = 200  # the worked distance fits on one line


def _errata(ctx, d) -> None:
    distances = d["distances"].result

    def quantity(i: int) -> str:
        return r"d\bigl(q, " + ctx.math(tuple(CUSTOMERS[i])) + r"\bigr)"

    for i, (stated, value) in enumerate(zip(SOURCE_DISTANCES, distances)):
        ctx.compare("5.2.2", quantity(i), stated, value, cause=f"the squares sum to ${ctx.math(value**2)}$")
    for stated, i in zip(SOURCE_RANKED, d["nearest"].result):
        ctx.compare("5.2.3", quantity(i), stated, distances[i], cause="carried from the distance table of 5.2.2")
    weights = [1 / distances[i] for i in d["nearest"].result]
    for rank, (stated, w) in enumerate(zip(SOURCE_WEIGHTS, weights), start=1):
        ctx.compare("5.2.4", rf"\omega_{{{rank}}}", stated, w, cause="carried from the distances of 5.2.2")
    ctx.compare(
        "5.2.4",
        r"\omega_1 + \omega_2 + \omega_3",
        SOURCE_TOTAL,
        sum(weights),
        cause=f"the sum of the rounded ${' + '.join(SOURCE_WEIGHTS)}$",
        kind="rounding",
    )


def _omega(step):
    """The weighted vote with its weights named ω: in this handout w is the regression's weight vector.

    The weights of the neighbours are shown together in one display, then the totals per class.
    """
    weights, rest = [], []
    for item in step.how:
        if isinstance(item, Equation) and isinstance(item.lhs, Indexed) and item.lhs.name == "w":
            weights.append(
                Equation(
                    Indexed(r"\omega", *item.lhs.indices),
                    *item.forms,
                    relations=item.relations,
                    approx=item.approx,
                    digits=item.digits,
                )
            )
        else:
            rest.append(item)
    why = step.why.replace(
        "$w = 1/d$",
        r"$\omega = 1/d$ (the Greek letter keeps it apart from the "
        r"weights $w$ of linear regression)",
    )
    return replace(step, why=why, how=[Aligned(weights), *rest] if weights else rest)


def chapter(ctx) -> str:
    model = KNeighborsClassifier(n_neighbors=K).fit(CUSTOMERS, GOOD, feature_names=FEATURES, target_name=TARGET)
    d = model.explain(NEW_CUSTOMER)
    _errata(ctx, d)
    distances = d["distances"]
    worked = distances.part("distances")[1]  # the source works through the second customer, (35, 60, 700)
    nearest = d["nearest"]
    weighted = d["weighted_vote"]
    near = [distances.result[i] for i in nearest.result]
    parts = [
        r"\section{" + TITLE + "}",
        r"\label{sec:knn}",
        r"\subsection{Problem Setup}",
        (
            "A bank knows five customers and whether each turned out to be a good customer. A new applicant "
            "arrives, and we want to predict the same answer for them by looking at the known customers who "
            "resemble them most."
        ),
        ctx.block(d["data"].part("table")),
        (f"The new customer is the query point $q$, and we let the $k = {K}$ most similar known customers decide:"),
        ctx.block(d["query"].part("query")),
        r"\subsection{Distance Calculations}",
        r"\subsubsection{Why Distance Matters}",
        (
            "k-NN has no model to fit: it rests on the assumption that points close together in feature space "
            "tend to share their class. A distance makes ``close'' precise, and the smaller the distance, the "
            "more weight a known example deserves in the prediction. Note that the features are used in their "
            "own units here, so the credit score, which spans hundreds of points, dominates the age and the "
            "income; in practice one often rescales the features first."
        ),
        r"\subsubsection{Euclidean Distance Calculation}",
        (
            "The Euclidean distance is the length of the straight line between two points: square the "
            "difference in every feature, add the squares, take the square root. For the second known customer:"
        ),
        LatexRenderer(digits=ctx.digits, wrap=WIDE).block(worked),
        (
            "The same computation for every known customer gives the table below. The column $d^2$ is the sum "
            "of squares before the root; because the root is an increasing function, comparing $d^2$ exactly "
            "orders the customers exactly as $d$ does, without rounding anything."
        ),
        ctx.block(distances.part("table")),
        r"\subsubsection{Nearest Neighbors and Voting}",
        (f"Sorted by distance, the {K} customers nearest to the applicant are:"),
        *[ctx.block(nearest.part(name)) for name in ("table", "tie", "figure") if name in nearest.parts],
        ctx.step(d["vote"]),
        (
            f"The majority class is the prediction: "
            f"\\emph{{{tex_escape(TARGET)} = {tex_escape(d['vote'].result)}}}. But the neighbours are not equally close: "
            f" ${ctx.math(near[0])}$ and ${ctx.math(near[1])}$ against ${ctx.math(near[2])}$ "
            "for the third. A plain vote ignores that; the weighted vote below lets it count."
        ),
        r"\subsubsection{Weighted k-NN}",
        ctx.step(_omega(weighted)),
        (
            f"The weighted vote gives \\emph{{{tex_escape(weighted.result)}}} as well. Weighting matters when a "
            "vote is close: one very near neighbour of one class can then outweigh two distant ones of another."
        ),
        ctx.block(Equation(r"\hat{y}", d["prediction"].part("prediction").forms[0], approx=False)),
    ]
    return "\n\n".join(parts)
