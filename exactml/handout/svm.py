"""Chapter 4: the support vector machine on the source's four points, and the kernel trick on XOR."""

from __future__ import annotations

from dataclasses import replace

import sympy

from ..derivation import Equation, Figure, Table
from ..svm.estimator import SVC, NotSeparableError
from ..svm.kernels import kernel_identity, xor_map
from .context import Erratum

TITLE = "Support Vector Machines: Maximum Margin Geometry"

# The source document's data (sections 4.1 and 4.3).
POINTS = [[1, 2], [2, 3], [2, 1], [3, 2]]
CLASSES = [1, 1, -1, -1]
XOR_POINTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_CLASSES = [-1, 1, 1, -1]

# What the source prints in 4.2.4: x_1^T x_1, x_2^T x_2 and x_1^T x_2 inside the dual objective.
SOURCE_INNER = [((0, 0), "5"), ((1, 1), "13"), ((0, 1), "8")]
# 4.2.2 says the constraints keep every point at least distance 1 from the boundary.
SOURCE_DISTANCE = 1


def _titled(ctx, step) -> str:
    """A step under its own small heading, for runs of steps within one subsection."""
    return ctx.renderer.step(step)


def _errata(ctx, model) -> None:
    for (i, j), stated in SOURCE_INNER:
        value = sum(a * b for a, b in zip(POINTS[i], POINTS[j]))
        ctx.compare("4.2.4", f"x_{i + 1}^T x_{j + 1}", stated, value)
    # The source claims a bound ("at least 1"), not a rounded value, so it is judged exactly, not by compare().
    closest = min(abs(f) for f in model.decision_function(POINTS)) / sympy.sqrt(sum(w**2 for w in model.coef_))
    if not closest >= SOURCE_DISTANCE:
        ctx.add_erratum(
            Erratum(
                "4.2.2",
                r"d_{\min}",
                r"\ge 1",
                closest,
                r"$y_i f(x_i) \ge 1$ is not a distance: divide by $\lVert w\rVert$",
                "conceptual",
            )
        )


def _kernel_part(ctx) -> list[str]:
    parts = [
        r"\subsection{Kernel Trick Demonstration}",
        (
            "A straight boundary is often not enough. The classic example is XOR: the class is $+1$ when exactly "
            "one coordinate is $1$."
        ),
        ctx.block(Table(["$x_1$", "$x_2$", "$y$"], [[*p, c] for p, c in zip(XOR_POINTS, XOR_CLASSES)], align="rrr")),
        r"\subsubsection*{No line separates XOR}",
    ]
    try:
        SVC().fit(XOR_POINTS, XOR_CLASSES)
    except NotSeparableError as err:
        proof = err.derivation
    else:  # pragma: no cover - XOR is the textbook non-separable set
        raise AssertionError("XOR was separated by a line")
    parts += [
        (
            "Asking the hard-margin SVM for a separating line fails, and the failure comes with a proof. The "
            "solver finds weights on the points that make the dual objective grow without limit; the same "
            "weights show that the constraints contradict each other."
        ),
        _titled(ctx, proof["data"]),
        _titled(ctx, proof["certificate"]),
        _titled(ctx, proof["contradiction"]),
        (
            "Geometrically: the two diagonals of the unit square cross at their common midpoint, so each class's "
            "segment passes through the other's and no line can keep them apart."
        ),
        r"\subsubsection*{Separable after the map $\phi(x) = (x_1, x_2, x_1 x_2)$}",
    ]
    mapped = [xor_map(p) for p in XOR_POINTS]
    lifted = SVC().fit(mapped, XOR_CLASSES)
    x1, x2 = sympy.symbols("x_1 x_2")
    surface = sympy.expand(sum((w * v for w, v in zip(lifted.coef_, xor_map((x1, x2)))), lifted.intercept_))
    scores = lifted.decision_function(mapped)
    corner = next(tuple(p) for p, m in zip(XOR_POINTS, mapped) if m[2] != 0)
    if any(c * f <= 0 for c, f in zip(XOR_CLASSES, scores)):  # pragma: no cover
        raise AssertionError("the lifted XOR points were not separated")
    on_margin = all(c * f == 1 for c, f in zip(XOR_CLASSES, scores))
    parts += [
        (
            f"A third coordinate, the product $x_1 x_2$, is nonzero only at ${ctx.math(corner)}$. It lifts that "
            "corner away from the others, and a plane can now cut the classes apart. The hard-margin SVM on the "
            "mapped points finds the widest such plane exactly:"
        ),
        ctx.block(
            Table(
                ["$x$", r"$\phi(x)$", "$y$", r"$f(\phi(x))$"],
                [[tuple(p), m, c, s] for p, m, c, s in zip(XOR_POINTS, mapped, XOR_CLASSES, scores)],
                align="cccc",
            )
        ),
        ctx.block(Equation("w", sympy.Matrix(lifted.coef_).T, approx=False)),
        ctx.block(Equation("b", lifted.intercept_)),
        ctx.block(Equation(r"\text{margin}", lifted.margin_)),
        "Back in the plane the boundary $f = 0$ is a curve:",
        ctx.block(Equation(r"f\bigl(\phi(x)\bigr)", surface, approx=False)),
        (
            "Every point has $y_i f(x_i) = 1$: all of them sit on the margin, and each is classified correctly."
            if on_margin
            else "Every point has $y f \\ge 1$, so each is classified correctly."
        ),
        r"\subsubsection*{The kernel computes the inner product of a mapped space}",
        (
            "A kernel replaces $x_i^T x_j$ in the dual by the inner product of mapped points, computed without "
            "forming them. The map above gives the kernel $x^T z + x_1 x_2 z_1 z_2$. The polynomial kernel of "
            "degree two, $(x^T z + 1)^2$, belongs to a different, six-dimensional map:"
        ),
        ctx.step(kernel_identity()),
    ]
    poly = SVC(kernel="poly", degree=2, coef0=1).fit(XOR_POINTS, XOR_CLASSES)
    pd = poly.derivation_
    if poly.predict(XOR_POINTS) != XOR_CLASSES:  # pragma: no cover
        raise AssertionError("the polynomial kernel misclassified XOR")
    parts += [
        r"\subsubsection*{The polynomial kernel classifies XOR}",
        (
            r"Solving the dual with $K(x_i, x_j) = (x_i^T x_j + 1)^2$ in place of $x_i^T x_j$ needs only the "
            f"${len(XOR_POINTS) ** 2}$ kernel values:"
        ),
        _titled(
            ctx,
            replace(
                pd["dual_objective"],
                why=(
                    r"The table has the same shape as before, with $K(x_i, x_j)$ in the place of $x_i^T x_j$: every "
                    r"kernel value is a square, so each is at least $1$ and the points no longer interact only through "
                    r"their coordinates."
                ),
            ),
        ),
        _titled(
            ctx,
            replace(
                pd["solution"],
                why=(
                    r"This time all four points receive a positive multiplier: in the lifted space every point of XOR "
                    r"lies on a margin surface."
                ),
            ),
        ),
        _titled(
            ctx,
            replace(
                pd["active_set"],
                why=(
                    r"With every multiplier positive there is no inequality left to check: the five equations below "
                    r"decide everything, and the check is that their solution is positive."
                ),
            ),
        ),
        _titled(
            ctx,
            replace(
                pd["b"],
                why=(
                    r"The intercept follows from any point with a positive multiplier: in the kernel form "
                    r"$f(x_i) = \sum_j \alpha_j y_j K(x_j, x_i) + b$ must equal $y_i$ there."
                ),
            ),
        ),
        _titled(
            ctx,
            replace(
                pd["decision"],
                why=(
                    r"The kernel expansion, multiplied out, is a quadratic polynomial in $x_1, x_2$; its sign is the "
                    r"prediction."
                ),
            ),
        ),
        ctx.block(
            Table(
                ["$x$", "$y$", "$f(x)$", "predicted"],
                [
                    [tuple(p), c, f, pr]
                    for p, c, f, pr in zip(
                        XOR_POINTS, XOR_CLASSES, poly.decision_function(XOR_POINTS), poly.predict(XOR_POINTS)
                    )
                ],
                align="cccc",
            )
        ),
        (
            "Every prediction is right: the kernel machine separates XOR although it never computes a "
            "six-dimensional vector."
        ),
    ]
    return parts


def chapter(ctx) -> str:
    model = SVC().fit(POINTS, CLASSES)
    d = model.derivation_
    _errata(ctx, model)
    family = model.alpha_family_
    f = ctx.math(d["decision"].result)
    everyone = len(model.support_) == len(POINTS)
    figure = Figure(
        "svm",
        {
            "points": POINTS,
            "y": CLASSES,
            "w": model.coef_,
            "b": model.intercept_,
            "support": model.support_,
            "margin": model.margin_,
        },
        caption=(
            f"The training points, the separating line ${f} = 0$ and the margin lines "
            f"${f} = \\pm 1$, with the margin between them. "
            + (
                "Every point lies on a margin line and is a support vector (ringed)."
                if everyone
                else "The support vectors are ringed."
            )
        ),
    )
    positives = ", ".join(f"${ctx.math(tuple(p))}$" for p, c in zip(POINTS, CLASSES) if c == 1)
    negatives = ", ".join(f"${ctx.math(tuple(p))}$" for p, c in zip(POINTS, CLASSES) if c == -1)
    parts = [
        r"\section{" + TITLE + "}",
        r"\label{sec:svm}",
        r"\subsection{Problem Setup}",
        (
            f"${len(POINTS)}$ points in the plane, in two classes. We look for the straight line that separates "
            "the classes and leaves the widest possible empty strip on both sides of it."
        ),
        ctx.block(d["data"].part("table")),
        r"\subsection{Mathematical Formulation}",
        r"\subsubsection{Why Maximum Margin?}",
        (
            "Many lines separate these points; they differ in how closely they pass the nearest ones. A line "
            "that stays as far as possible from both classes tolerates the most noise: a new point that lies "
            "near a training point, give or take a little, still falls on the right side. The widest strip is "
            "also pinned down by the few points on its edges alone, which is what makes the method sparse."
        ),
        r"\subsubsection{Primal Problem}",
        ctx.step(d["primal"]),
        (
            r"Two choices deserve a word. Scaling $w$ and $b$ by the same positive number does not move the line, "
            r"so the scale is fixed by asking $y_i(w^T x_i + b) \ge 1$, with equality for the closest points. "
            r"Their distance to the line is then $1/\lVert w\rVert$ (not $1$), and the strip between the classes "
            r"is $2/\lVert w\rVert$ wide: minimising $\lVert w\rVert$ maximises it. Squaring and halving do not "
            r"change the minimiser, but turn the objective into a smooth quadratic whose gradient is simply $w$."
        ),
        r"\subsubsection{Lagrangian Dual Formulation}",
        (
            "The dual trades the weights for one multiplier per point. It has simpler constraints, it shows which "
            "points matter (those with a positive multiplier), and it uses the data only through inner products, "
            "which a kernel can replace."
        ),
        _titled(ctx, d["lagrangian"]),
        _titled(ctx, d["stationarity"]),
        _titled(ctx, d["dual"]),
        r"\subsubsection{Numerical Example}",
        (
            f"With the positive points {positives} and the negative points {negatives} every inner product is a "
            "small integer:"
        ),
        _titled(ctx, d["dual_objective"]),
        _titled(ctx, d["solution"]),
        _titled(ctx, d["active_set"]),
        _titled(ctx, d["optimal_set"]),
    ]
    if family.interval is not None:
        t = family.parameters[0]
        ends = []
        for end in (family.interval.start, family.interval.end):
            carried = [i + 1 for i, a in enumerate(family.x) if a.subs(t, end) != 0]
            ends.append(
                f"at ${ctx.math(t)} = {ctx.math(end)}$ only points "
                + " and ".join(str(i) for i in carried)
                + " carry weight"
            )
        parts.append(
            (
                "Here the optimal multipliers form a segment: " + ", ".join(ends) + ", and in between all of "
                "them do. So whether a point on the margin receives a nonzero multiplier depends on which optimal "
                r"$\alpha$ a solver returns; $w$, $b$ and the margin do not. (The remark that only the points "
                "closest to the boundary get nonzero multipliers holds for every member of the family, but not "
                "its converse.)"
            )
        )
    parts += [
        _titled(ctx, d["kkt"]),
        _titled(ctx, d["support"]),
        _titled(ctx, d["w"]),
        _titled(ctx, d["b"]),
        _titled(ctx, d["margin"]),
        ctx.block(figure),
        _titled(ctx, d["decision"]),
        (
            r"The sign of $f$ gives the class; $\lvert f(x)\rvert / \lVert w\rVert$ is the distance from $x$ "
            r"to the boundary."
        ),
    ]
    parts += _kernel_part(ctx)
    return "\n\n".join(p for p in parts if p)
