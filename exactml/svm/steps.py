"""The SVM's derivation as data: the steps of :mod:`exactml.svm`, built from a solved dual.

:func:`derivation` turns a :class:`~exactml.svm.DualFit` into the keyed
steps documented in :mod:`exactml.svm`, one small builder per stage;
:func:`separation_proof` turns the dual's unbounded ray into a proof that
no hyperplane separates the data.  Expansions (the Lagrangian with numbers,
every xᵢᵀxⱼ) are recorded only for small data, so recording never changes
the cost of a fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy

from ..derivation import Call, Derivation, Equation, Name, Neg, Note, Product, Step, Sum, Table
from ..records import Aligned, Frac, Indexed, Margin, Notation, Relation
from .kernels import feature_products

EXPAND_MAX_ROWS = 6  # the Lagrangian and every xᵢᵀxⱼ shown with numbers
TABLE_MAX_ROWS = 20  # per-point tables
B = sympy.Symbol("b")


def _vec(values: Sequence[Any]) -> sympy.Matrix:
    return sympy.Matrix(list(values))


def _signed(coef: Any, body: Any) -> Any:
    """``coef·body`` as a term of a :class:`Sum`, its sign pulled out front."""
    size = abs(coef)
    term = body if size == 1 else Product([size, body])
    return Neg(term) if coef < 0 else term


@dataclass
class _Problem:
    """What every builder needs: the solved dual and the data, with a few derived facts."""

    fit: Any
    rows: list
    y: list
    labels: list
    classes: list
    names: Sequence[str] | None

    def __post_init__(self) -> None:
        self.n, self.p = len(self.rows), len(self.rows[0])
        self.linear, self.hard = self.fit.kernel == "linear", self.fit.C is None
        self.small = self.n <= EXPAND_MAX_ROWS
        self.mapped = set(self.classes) != {-1, 1}
        self.xi = Notation("x_i" if self.linear else "phi_xi")
        self.alphas = [sympy.Symbol(f"alpha_{i + 1}") for i in range(self.n)]
        self.w_syms = [sympy.Symbol(f"w_{k + 1}") for k in range(self.p)]
        self.columns = (
            [Name(c) for c in self.names] if self.names is not None else [Indexed("x", k + 1) for k in range(self.p)]
        )
        self.Q = None  # the quadratic form Σᵢⱼ αᵢαⱼyᵢyⱼK(xᵢ, xⱼ), for small data
        if self.small:
            K = self.fit.K or [[sum((a * b for a, b in zip(r, s)), 0) for s in self.rows] for r in self.rows]
            self.K = K
            self.Q = sympy.expand(
                sum(
                    self.alphas[i] * self.alphas[j] * self.y[i] * self.y[j] * K[i][j]
                    for i in range(self.n)
                    for j in range(self.n)
                )
            )
        self.margins = [yi * (s + self.fit.b) for yi, s in zip(self.y, self.fit.scores)]


def derivation(
    fit: Any, rows: list[list[Any]], y: list[int], labels: list[Any], classes: list[Any], names: Sequence[str] | None
) -> Derivation:
    """The SVM's derivation from data to decision function (step keys in :mod:`exactml.svm`).

    ``names`` are the user's feature names, or None for the default x₁, x₂, ….
    """
    s = _Problem(fit, rows, y, labels, classes, names)
    d = Derivation("Support vector machine: maximum margin, solved exactly", key="svm")
    for build in (_data, _primal, _lagrangian, _numbers, _solution, _certificate, _geometry):
        for step in build(s):
            d.add(step)
    return d


def _data(s: _Problem) -> list[Step]:
    header = ["$i$"] + s.columns + (["label"] if s.mapped else []) + ["$y_i$"]
    shown = [
        [i + 1, *r, *([Name(str(lab))] if s.mapped else []), yi]
        for i, (r, lab, yi) in enumerate(zip(s.rows, s.labels, s.y))
    ]
    steps = [
        Step(
            "data",
            "Training data",
            why="Each row is one point with its class; the classes are coded $y_i = +1$ and $y_i = -1$.",
            how={"table": Table(header, shown, align="r" * len(header))} if s.n <= TABLE_MAX_ROWS else {},
            result=(s.n, s.p),
        )
    ]
    if s.mapped:
        steps.append(
            Step(
                "labels",
                "Coding the two labels",
                why=(
                    r"The optimisation needs the classes as numbers: <<neg>> becomes $y = -1$ and <<pos>> "
                    r"becomes $y = +1$ (the labels in sorted order, the second one positive)."
                ),
                names={"neg": str(s.classes[0]), "pos": str(s.classes[1])},
                result=tuple(s.classes),
            )
        )
    return steps


def _primal(s: _Problem) -> list[Step]:
    soft = not s.hard
    how: list = [Notation("svm_primal_soft" if soft else "svm_primal_hard", s.xi)]
    if s.linear and s.n <= TABLE_MAX_ROWS:
        rows = []
        for i, (r, yi) in enumerate(zip(s.rows, s.y)):
            lhs = sympy.expand(yi * (sum((w * v for w, v in zip(s.w_syms, r)), 0) + B))
            rows.append([i + 1, sympy.Ge(lhs, 1 - sympy.Symbol(f"xi_{i + 1}") if soft else 1)])
        how.append(Table(["$i$", "constraint"], rows, align="rl"))
    return [
        Step(
            "primal",
            "The primal problem",
            why=(
                r"The margin, the gap between the lines $w^T x + b = \pm 1$, is $2/\lVert w\rVert$ wide. "
                r"Making $\lVert w\rVert$ small makes it wide, while each constraint keeps a point on its "
                r"own side, on or beyond its margin line."
                + (r" The slack $\xi_i$ lets a point cross its margin line at a price $C\xi_i$." if soft else "")
            ),
            how=how,
            result=s.fit.C,
            symbol="C" if soft else None,
        )
    ]


def _lagrangian(s: _Problem) -> list[Step]:
    """The Lagrangian, its stationarity conditions and the dual; derived by sympy for small linear data."""
    soft = not s.hard
    general = Notation("svm_lagrangian_soft" if soft else "svm_lagrangian_hard", s.xi)
    lagrangian, stationarity = [Equation(Notation("L"), general)], []
    dual = [
        Equation(Notation("max_W"), Notation("svm_dual_objective", Notation("xTx_ij" if s.linear else "K_ij"))),
        Notation("svm_dual_constraints_soft" if soft else "svm_dual_constraints_hard"),
    ]
    w_of_alpha: dict = {}
    if s.linear and s.small:
        xis = [sympy.Symbol(f"xi_{i + 1}") for i in range(s.n)]
        mus = [sympy.Symbol(f"mu_{i + 1}") for i in range(s.n)]
        inner = [
            sympy.expand(yi * (sum((w * v for w, v in zip(s.w_syms, r)), 0) + B) - 1) for r, yi in zip(s.rows, s.y)
        ]
        L = sum(w**2 for w in s.w_syms) / 2 - sum(a * (e + (x if soft else 0)) for a, e, x in zip(s.alphas, inner, xis))
        if soft:
            L += s.fit.C * sum(xis) - sum(m * x for m, x in zip(mus, xis))
        L = sympy.expand(L)
        if s.hard:  # one row per point: written on one line, L would run off the page
            lagrangian += [
                Note("With the numbers, the terms of the sum are"),
                Table(
                    ["$i$", Notation("svm_lagrange_term")],
                    [[i + 1, Call(Indexed(Notation("alpha"), i + 1), e)] for i, e in enumerate(inner)],
                    align="rl",
                ),
                Equation(
                    Notation("L"),
                    Sum([Call(Frac(1, 2), Sum([w**2 for w in s.w_syms])), Neg(Notation("svm_lagrange_sum", s.n))]),
                ),
            ]
        for k, w in enumerate(s.w_syms):
            dk = sympy.diff(L, w)
            w_of_alpha[w] = sympy.expand(w - dk)  # L is ½w_k² plus terms linear in w_k
            stationarity += [
                Equation(Notation("dL_dw_k", k + 1), dk, 0, approx=False),
                Equation(w, w_of_alpha[w], approx=False),
            ]
        stationarity.append(Equation(Notation("dL_db"), sympy.diff(L, B), 0, approx=False))
        if soft:
            stationarity += [
                Equation(Notation("dL_dxi_1"), sympy.diff(L, xis[0]), 0, approx=False),
                Note(r"and likewise for every $i$: $\mu_i = C - \alpha_i$, and $\mu_i \ge 0$ caps $\alpha_i$ at $C$."),
            ]
        substituted = L.xreplace(w_of_alpha)
        if soft:
            substituted = substituted.xreplace({m: s.fit.C - a for m, a in zip(mus, s.alphas)})
        balance = sum(a * yi for a, yi in zip(s.alphas, s.y))
        if sympy.expand(substituted - (sum(s.alphas) - s.Q / 2 - B * balance)) != 0:  # pragma: no cover
            raise AssertionError("substituting w into L did not give the dual objective")
        dual[:0] = [
            Equation(
                Notation("L_of_w_alpha"), Sum([Notation("sum_alpha"), Neg(Notation("half_Q")), Neg(Call("b", balance))])
            ),
            Note(
                r"The term in $b$ is $b$ times $-\sum_i \alpha_i y_i$, which is zero by $\partial L/\partial b = 0$"
                + (r", and the slacks cancel because $C - \alpha_i - \mu_i = 0$" if soft else "")
                + r". What remains depends on $\alpha$ alone:"
            ),
        ]
    else:
        stationarity = [
            Equation(Notation("dL_dw"), Notation("svm_dL_dw", s.xi), 0),
            Equation(Notation("dL_db"), Notation("minus_sum_alpha_y"), 0),
        ]
    # The derivatives and the solutions for w are one system: shown as one aligned display.
    stationarity = [Aligned([e for e in stationarity if isinstance(e, Equation)])] + [
        e for e in stationarity if not isinstance(e, Equation)
    ]
    return [
        Step(
            "lagrangian",
            "The Lagrangian",
            how=lagrangian,
            why=(
                r"Each constraint enters with a multiplier $\alpha_i \ge 0$. At the optimum the Lagrangian is "
                r"stationary in $w$ and $b$, and a multiplier can be positive only where its constraint holds "
                r"with equality."
            ),
        ),
        Step(
            "stationarity",
            r"Setting $\partial L/\partial w$ and $\partial L/\partial b$ to zero",
            how=stationarity,
            why=(
                r"Where $L$ is smallest in $w$ and $b$ its derivatives vanish. This expresses $w$ through the "
                r"multipliers, $w = \sum_i \alpha_i y_i <<xi>>$, and forces $\sum_i \alpha_i y_i = 0$."
            ),
            result=tuple(w_of_alpha.values()) if w_of_alpha else None,
            names={"xi": s.xi},
        ),
        Step(
            "dual",
            "The dual problem",
            how=dual,
            why=(
                r"Substituting $w$ back into $L$ leaves a problem in the multipliers alone. The data enter only "
                r"through inner products "
                + (r"$x_i^T x_j$" if s.linear else r"$K(x_i, x_j)$")
                + r", which is what lets a kernel replace them. Below, $Q(\alpha)$ names the double sum "
                + (
                    r"$\sum_{i}\sum_{j} \alpha_i \alpha_j y_i y_j\, x_i^T x_j$"
                    if s.linear
                    else r"$\sum_{i}\sum_{j} \alpha_i \alpha_j y_i y_j\, K(x_i, x_j)$"
                )
                + r" that $\tfrac{1}{2}\lVert w\rVert^2$ and the $w$ terms of $L$ leave behind."
            ),
        ),
    ]


def _numbers(s: _Problem) -> list[Step]:
    how: list = []
    if s.small:
        rows = []
        for i in range(s.n):
            for j in range(i, s.n):
                coef = (1 if i == j else 2) * s.y[i] * s.y[j] * s.K[i][j]
                cells = [f"${i + 1}, {j + 1}$", s.y[i] * s.y[j], feature_products(s.rows[i], s.rows[j])]
                if not s.linear:
                    dot = sum((a * b for a, b in zip(s.rows[i], s.rows[j])), 0)
                    cells.append(sympy.Pow(sympy.Add(dot, s.fit.coef0, evaluate=False), s.fit.degree, evaluate=False))
                rows.append(cells + [s.K[i][j], coef * s.alphas[i] * s.alphas[j]])
        head = (
            ["$i, j$", "$y_i y_j$", "$x_i^T x_j$"]
            + ([] if s.linear else [r"$K(x_i, x_j)$"])
            + ["value", Note(r"term of $Q(\alpha)$")]
        )
        how += [
            Table(
                head,
                rows,
                align="c" * len(head),
                caption=r"Each pair $i < j$ appears twice in the double sum, hence the factor $2$.",
            ),
            Equation(Notation("Q"), s.Q, approx=False),
            Equation(Notation("W"), Sum(s.alphas + [Neg(Notation("half_Q"))]), approx=False),
        ]
    else:
        how.append(Note(f"With {s.n} points the double sum has {s.n * s.n} terms; they are not written out."))
    return [
        Step(
            "dual_objective",
            "The dual objective with the numbers",
            how=how,
            why=(
                r"Each pair of points contributes $\alpha_i\alpha_j y_i y_j$ times their "
                + (r"inner product" if s.linear else r"kernel value")
                + r": pairs of the same class raise the penalty, pairs of opposite classes lower it."
            ),
            result=sympy.expand(sum(s.alphas) - s.Q / 2) if s.small else None,
        )
    ]


def _solution(s: _Problem) -> list[Step]:
    fit, a_star, fam = s.fit, s.fit.alpha, s.fit.family
    how: list = [Equation(Notation("alpha_star"), tuple(a_star), approx=False)]
    if s.small:
        q_star = s.Q.xreplace(dict(zip(s.alphas, a_star)))
        how.append(
            Equation(
                Notation("W_star"), Sum([sum(a_star), Neg(Product([sympy.Rational(1, 2), q_star]))]), fit.dual_value
            )
        )
    else:
        how.append(Equation(Notation("W_star"), fit.dual_value))
    solution = Step(
        "solution",
        "Solving the dual exactly",
        how=how,
        result=fit.dual_value,
        symbol=Notation("W_star"),
        why=(
            r"The dual is a convex quadratic programme, solved here in exact fractions. Its optimum "
            r"is stated first; the working that follows lets a reader confirm it with pencil and paper."
        ),
    )
    if fam.unique:
        how = [Note(r"No other $\alpha$ attains the optimum: the solution is unique.")]
    else:
        of = r"(t)" if len(fam.parameters) == 1 else ""
        how = [Equation(Notation("alpha"), tuple(fam.x), approx=False)]
        if fam.interval is not None:
            how.append(Equation(fam.parameters[0], fam.interval, relations=["in"], approx=False))
        else:
            how.append(Table(["for every choice of the parameters with"], [[c] for c in fam.constraints], align="c"))
        if s.linear:
            w_family = [sympy.expand(sum(fam.x[i] * s.y[i] * s.rows[i][k] for i in range(s.n))) for k in range(s.p)]
            how.append(Equation(Notation("svm_w_family", of), _vec(w_family), approx=False))
        if s.small:
            value = sympy.expand(sum(fam.x) - s.Q.xreplace(dict(zip(s.alphas, fam.x))) / 2)
            how.append(Equation(Notation("svm_W_family", of), value, approx=False))
        same = "the same $w$, hence the same $b$, and the same optimum."
        how.append(
            Note(
                "Neither depends on the parameters: every member of the family gives " + same
                if s.linear and s.small
                else "Every member of the family gives " + same
            )
        )
    why = (
        r"When several points lie exactly on the margin, the multipliers can often trade weight between them "
        r"without changing $w$; then the optimal $\alpha$ is a whole set, not a point."
        if not fam.unique
        else r"A solution of a convex problem need not be the only one; this checks."
    )
    steps = [solution]
    if s.small:
        steps.append(_active_set(s))
    return steps + [Step("optimal_set", "All optimal multipliers", why=why, how=how, result=fam.x)]


def _active_set(s: _Problem) -> Step:
    """Step ``active_set``: the optimality equations of the solver's active set, their solution, the checks.

    With S the points whose multiplier lies strictly between its bounds and U those at the upper bound C,
    optimality asks yᵢf(xᵢ) = 1 for i in S (f(xᵢ) = Σⱼ αⱼyⱼK(xⱼ, xᵢ) + b) and Σⱼ αⱼyⱼ = 0: as many linear
    equations as unknowns α_S and b.  Their solution must be α* (positive on S), and every other point must
    satisfy its inequality, yᵢf(xᵢ) ≥ 1 where αᵢ = 0 and ≤ 1 where αᵢ = C.
    """
    fit, C, n = s.fit, s.fit.C, s.n
    alpha = fit.alpha
    free = [i for i in range(n) if alpha[i] > 0 and (C is None or alpha[i] < C)]
    upper = [i for i in range(n) if C is not None and alpha[i] == C]
    Q = [[s.y[i] * s.y[j] * s.K[i][j] for j in range(n)] for i in range(n)]
    unknowns = [s.alphas[j] for j in free] + [B]
    equations = []
    for i in free:
        lhs = sum((Q[i][j] * s.alphas[j] for j in free), sympy.Integer(0)) + s.y[i] * B
        rhs = 1 - sum((Q[i][j] * C for j in upper), sympy.Integer(0))
        equations.append(sympy.Eq(lhs, rhs, evaluate=False))
    balance = sum((s.y[j] * s.alphas[j] for j in free), sympy.Integer(0))
    equations.append(sympy.Eq(balance, -sum((s.y[j] * C for j in upper), sympy.Integer(0)), evaluate=False))
    solved = sympy.solve(equations, unknowns, dict=True)
    point = {a: alpha[j] for a, j in zip(unknowns, free)} | {B: fit.b}
    unique = len(solved) == 1 and set(solved[0]) == set(unknowns)
    if unique and any(solved[0][u] != point[u] for u in unknowns):  # pragma: no cover - the QP certifies α*
        raise AssertionError("the active set's equations do not give the solver's multipliers")

    def margin_terms(i: int) -> Sum:
        terms = [Product([Q[i][j], alpha[j]]) for j in free + upper]
        return Sum(terms + [Product([s.y[i], fit.b])])

    at_zero = [i for i in range(n) if alpha[i] == 0]
    listing = ", ".join(str(i + 1) for i in free)
    how: list = [
        Note(
            ("Positive multipliers" if C is None else "Multipliers strictly between $0$ and $C$")
            + f": points {listing}"
            + (f"; at the cap $C$: points {', '.join(str(i + 1) for i in upper)}" if upper else "")
            + ("; the others are $0$." if at_zero else ".")
            + " One equation per unknown:"
        ),
        Aligned([Relation(e.lhs, "=", e.rhs) for e in equations]),
        Note(
            "Solving them:"
            if unique
            else "These equations have more than one solution; the solver's multipliers are one of them:"
        ),
        Aligned([Equation(u, point[u], approx=False) for u in unknowns], across=True),
    ]
    checks = []
    if at_zero or upper:
        lines = []
        for i in at_zero + upper:
            value = s.margins[i]
            rel = ">=" if alpha[i] == 0 else "<="
            lines.append(Equation(Margin(i + 1), margin_terms(i), value, 1, relations=["=", "=", rel], approx=False))
            checks.append((i + 1, rel, value))
        how += [
            Note(
                "The points whose multiplier is $0$ need only stay on their own side of their margin line"
                + (", those at the cap only on the other side" if upper else "")
                + ". With the values just found:"
            ),
            Aligned(lines),
        ]
    how.append(
        Note(
            (
                "Every multiplier found is positive and every inequality holds, "
                if checks
                else "Every multiplier found is positive, "
            )
            + "so these multipliers satisfy all the optimality conditions."
        )
    )
    return Step(
        "active_set",
        "The working: equations of the active set",
        how=how,
        why=(
            r"Knowing which multipliers are zero turns the dual into a small linear system. A point whose "
            r"multiplier is strictly inside its bounds lies on its margin line, $y_i f(x_i) = 1$, with "
            r"$f(x_i) = \sum_j \alpha_j y_j K(x_j, x_i) + b$ (for the linear kernel $K(x_j, x_i) = "
            r"x_j^T x_i$); add $\sum_j \alpha_j y_j = 0$. The solution is optimal when it is positive "
            r"and no other point crosses its margin line."
        ),
        result={
            "free": tuple(i + 1 for i in free),
            "upper": tuple(i + 1 for i in upper),
            "equations": tuple(equations),
            "solution": point,
            "checks": tuple(checks),
        },
    )


def _certificate(s: _Problem) -> list[Step]:
    fit, C = s.fit, s.fit.C
    rows, ok = [], True
    for i, (a, m) in enumerate(zip(fit.alpha, s.margins)):
        if a == 0:
            cond, holds = Note(r"$\alpha_i = 0$, so $y_i f(x_i) \ge 1$"), m >= 1
        elif C is None or a < C:
            cond = Note((r"$\alpha_i > 0$" if s.hard else r"$0 < \alpha_i < C$") + r", so $y_i f(x_i) = 1$")
            holds = m == 1
        else:
            cond, holds = Note(r"$\alpha_i = C$, so $y_i f(x_i) \le 1$"), m <= 1
        ok = ok and bool(holds)
        rows.append([i + 1, a, m, cond, Notation("checkmark" if holds else "cross")])
    slack = [max(sympy.Integer(0), 1 - m) for m in s.margins]
    primal = fit.w_norm2 / 2 + (0 if s.hard else C * sum(slack))
    if primal != fit.dual_value or not ok:  # pragma: no cover - the QP's own certificate already guarantees this
        raise AssertionError("the SVM solution failed its KKT check")
    balance = (
        Sum([_signed(yi, a) for a, yi in zip(fit.alpha, s.y)])
        if s.small
        else sum(a * yi for a, yi in zip(fit.alpha, s.y))
    )
    how: list = [Equation(Notation("sum_alpha_star_y"), balance, 0, approx=False)]
    if s.n <= TABLE_MAX_ROWS:
        how.append(Table(["$i$", Notation("alpha_i"), "$y_i f(x_i)$", "condition", ""], rows, align="rrrll"))
    else:
        how.append(Note(f"All {s.n} complementary-slackness conditions hold."))
    how += [
        Equation(Notation("svm_primal_value_hard" if s.hard else "svm_primal_value_soft"), primal, approx=False),
        Note(r"This equals $W(\alpha^*)$: the duality gap is zero, so both problems are solved to optimality."),
    ]
    support = list(fit.family.nonzero)
    table = Table(
        ["$i$"] + s.columns + ["$y_i$", r"$y_i f(x_i)$"],
        [[i + 1, *s.rows[i], s.y[i], s.margins[i]] for i in support],
        align="r" * (s.p + 3),
    )
    return [
        Step(
            "kkt",
            "The certificate: KKT conditions, checked exactly",
            how=how,
            result=ok,
            why=(
                r"For a convex problem these conditions are not only necessary but sufficient: if they hold "
                r"with exact numbers, the solution is optimal, whatever method found it."
            ),
        ),
        Step(
            "support",
            "Support vectors",
            how=[table] if s.n <= TABLE_MAX_ROWS else [],
            result=tuple(i + 1 for i in support),
            why=(
                r"Only points with $\alpha_i > 0$ for some optimal $\alpha$ shape the solution: they lie on their "
                r"margin line (or inside the margin, for a soft margin). Removing any other point changes "
                r"nothing."
            ),
        ),
    ]


def _geometry(s: _Problem) -> list[Step]:
    fit, b = s.fit, s.fit.b
    steps = []
    if s.linear:
        terms = [_signed(a * yi, _vec(r)) for a, yi, r in zip(fit.alpha, s.y, s.rows) if a]
        shown = [Sum(terms)] if s.n <= TABLE_MAX_ROWS else []
        steps.append(
            Step(
                "w",
                "The weight vector",
                result=tuple(fit.w),
                why=r"Stationarity in $w$ gives the normal of the separating line.",
                how=[Equation("w", Notation("sum_alpha_star_y_x"), *shown, _vec(fit.w), approx=False)],
            )
        )
    else:
        steps.append(
            Step(
                "w",
                "The weight vector in feature space",
                result=fit.w_norm2,
                why=(
                    r"Here $w = \sum_i \alpha_i y_i \phi(x_i)$ is never formed; only its length is needed, "
                    r"$\lVert w\rVert^2 = \sum_i\sum_j \alpha_i\alpha_j y_i y_j K(x_i, x_j)$."
                ),
                how=[Equation(Notation("norm_w_sq"), fit.w_norm2, approx=False)],
            )
        )
    a = fit.anchor
    if a is not None:
        score = feature_products(fit.w, s.rows[a]) if s.linear and s.p <= 6 else fit.scores[a]
        rule = Notation("wT", Indexed("x", a + 1)) if s.linear else Notation("svm_kernel_score", a + 1)
        how = [Equation("b", Sum([Indexed("y", a + 1), Neg(rule)]), Sum([s.y[a], Neg(score)]), b)]
        why = (
            r"On a support vector with $0 < \alpha_i$" + ("" if s.hard else r" < C") + r" the constraint is "
            r"tight, $y_i(w^T x_i + b) = 1$, and since $y_i = \pm 1$ this gives $b = y_i - w^T x_i$."
        )
    else:
        lo, hi = fit.b_interval or (b, b)
        how = [Equation("b", sympy.Interval(lo, hi), relations=["in"], approx=False), Equation("b", b)]
        why = (
            r"No multiplier lies strictly between $0$ and $C$, so no constraint pins $b$: every $b$ in an "
            r"interval is optimal. The midpoint is taken, as scikit-learn's solver does."
        )
    steps.append(Step("b", "The intercept", why=why, how=how, result=b, symbol="b"))

    squares = Sum([sympy.Pow(v, 2, evaluate=False) for v in fit.w]) if s.linear and s.p <= 6 else fit.w_norm2
    margin = fit.margin
    shown = sympy.Mul(2, sympy.Pow(fit.w_norm, -1, evaluate=False), evaluate=False)
    steps.append(
        Step(
            "margin",
            "The margin",
            result=margin,
            symbol=Notation("margin"),
            why=r"The distance between the two margin lines $w^T x + b = \pm 1$ is $2/\lVert w\rVert$.",
            how=[
                Equation(Notation("norm_w"), Call("sqrt", squares), fit.w_norm),
                Equation(Notation("margin"), Frac(2, Notation("norm_w")), shown, margin),
            ],
        )
    )

    xs = sympy.symbols(f"x_1:{s.p + 1}")
    if s.linear:
        f, general = sum((w * v for w, v in zip(fit.w, xs)), b), Notation("svm_decision_linear")
    else:
        general = Notation("svm_decision_kernel")
        f = (
            sympy.expand(
                sum(
                    (
                        fit.alpha[i] * s.y[i] * (sum(a * v for a, v in zip(s.rows[i], xs)) + fit.coef0) ** fit.degree
                        for i in fit.family.nonzero
                    ),
                    b,
                )
            )
            if s.n <= 50
            else None
        )
    how = [Equation("f(x)", general, *([f] if f is not None else []), approx=False)]
    if s.names is not None:
        how.append(
            Note(
                "where " + ", ".join(f"$x_{{{k + 1}}}$ is <<c{k}>>" for k in range(s.p)) + ".",
                names={f"c{k}": c for k, c in enumerate(s.names)},
            )
        )
    sides = (
        r"positive for <<pos>>, negative for <<neg>>." if s.mapped else r"positive for $y = +1$, negative for $y = -1$."
    )
    steps.append(
        Step(
            "decision",
            "The decision function",
            how=how,
            result=f,
            why=r"A new point is classified by the sign of $f(x)$: "
            + sides
            + r" On the two margin lines $f(x) = \pm 1$.",
            names={"pos": str(s.classes[1]), "neg": str(s.classes[0])} if s.mapped else {},
        )
    )
    return steps


def separation_proof(rows: list[list[Any]], y: list[int], weights: Sequence[Any], kernel: str) -> Derivation:
    """Why no hyperplane separates the data: nonnegative weights tie the classes together (Farkas)."""
    n, p = len(rows), len(rows[0])
    used = [i for i in range(n) if weights[i]]
    d = Derivation("No separating hyperplane exists", key="not_separable")
    table = Table(
        ["$i$", "$x_i$", "$y_i$", Notation("lambda_i")],
        [[i + 1, tuple(rows[i]), y[i], weights[i]] for i in range(n)],
        align="rrrr",
    )
    d.add(
        Step(
            "data",
            "Points and weights",
            why=r"Give every point a weight $\lambda_i \ge 0$, not all zero:",
            how=[table] if n <= TABLE_MAX_ROWS else [],
            result=tuple(weights),
        )
    )
    if kernel == "linear":
        pos = [i for i in used if y[i] == 1]
        mean = tuple(sum(weights[i] * rows[i][k] for i in pos) / sum(weights[i] for i in pos) for k in range(p))
        how = [
            Equation(
                Notation("sum_lambda_y_x"),
                Sum([_signed(weights[i] * y[i], _vec(rows[i])) for i in used]),
                _vec([0] * p),
                approx=False,
            ),
            Equation(Notation("sum_lambda_y"), Sum([_signed(weights[i] * y[i], 1) for i in used]), 0, approx=False),
            Note(r"So the weighted mean of the positive points equals that of the negative points:"),
            Equation(Notation("svm_weighted_mean_pos"), _vec(mean), approx=False),
        ]
        result = mean
    else:
        how = [
            Note(
                r"With $Q_{ij} = y_i y_j K(x_i, x_j)$ the weights give $\lambda^T Q \lambda = "
                r"\lVert \sum_i \lambda_i y_i \phi(x_i) \rVert^2 = 0$, so $\sum_i \lambda_i y_i \phi(x_i) = 0$, "
                r"and $\sum_i \lambda_i y_i = 0$."
            )
        ]
        result = None
    d.add(
        Step(
            "certificate",
            "The two classes meet",
            how=how,
            result=result,
            why=(
                r"The weights balance: the weighted positive points and the weighted negative points have the "
                r"same total and the same centre."
            ),
        )
    )
    d.add(
        Step(
            "contradiction",
            "No $w$ and $b$ can satisfy the constraints",
            why=(
                r"Suppose $y_i(w^T x_i + b) \ge 1$ for every $i$. Multiply constraint $i$ by $\lambda_i \ge 0$ "
                r"and add them all. The left side is $w^T \sum_i \lambda_i y_i x_i + b \sum_i \lambda_i y_i = 0$, "
                r"the right side is $\sum_i \lambda_i > 0$:"
            ),
            how=[
                Equation("0", Sum([weights[i] for i in used]), sum(weights), relations=[">=", "="], approx=False),
                Note(
                    r"which is false. So the hard-margin problem has no feasible point; its dual grows without "
                    r"bound along $\alpha = t\lambda$."
                ),
            ],
            result=False,
        )
    )
    return d
