"""The working the handout prints can be redone by hand: cofactors, determinant, adjugate, the SVM duals.

Each test reads the displays a step prints (the records, not their LaTeX),
evaluates every printed term with plain ``fractions.Fraction`` arithmetic, and
compares with values recomputed independently from the source data by sympy.
"""

from fractions import Fraction

import sympy

from exactml.derivation import Equation, Neg, Product, Sum
from exactml.linreg import LinearRegression
from exactml.records import Adj, Aligned, Det, Indexed, Margin, Relation
from exactml.svm import SVC

HOUSES_X = [[1500, 3], [2000, 4], [1200, 2], [1800, 3]]
HOUSES_Y = [300, 450, 250, 400]


def value(shown):
    """A printed display evaluated by hand: sums, differences and products of numbers."""
    if isinstance(shown, Sum):
        return sum((value(t) for t in shown.terms), Fraction(0))
    if isinstance(shown, Neg):
        return -value(shown.term)
    if isinstance(shown, Product):
        out = Fraction(1)
        for f in shown.factors:
            out *= value(f)
        return out
    q = sympy.Rational(shown)
    return Fraction(int(q.p), int(q.q))


def displays(step, kind):
    out = []
    for d in step.how:
        out += [e for e in (d.equations if isinstance(d, Aligned) else (d,)) if isinstance(e, kind)]
    return out


def test_cofactors_determinant_and_adjugate_can_be_checked_by_hand():
    step = LinearRegression().fit(HOUSES_X, HOUSES_Y).derivation_["xtx_inv"]
    X = sympy.Matrix([[1, *r] for r in HOUSES_X])
    A = X.T * X  # recomputed here, not read from the derivation
    cofactors = {}
    for eq in displays(step, Equation):
        if isinstance(eq.lhs, Indexed) and eq.lhs.name == "C":
            i, j = eq.lhs.indices
            shown, result = eq.forms
            assert value(shown) == result == A.cofactor(i - 1, j - 1)
            cofactors[i, j] = result
    assert len(cofactors) == 9
    (det_eq,) = [e for e in displays(step, Equation) if isinstance(e.lhs, Det)]
    expansion, det = det_eq.forms
    # The expansion is entry × cofactor along the first row: each printed factor pair is checked.
    assert [(f.factors[0], f.factors[1]) for f in expansion.terms] == [(A[0, j], cofactors[1, j + 1]) for j in range(3)]
    assert value(expansion) == det == A.det() == 380000
    (adj_eq,) = [e for e in displays(step, Equation) if isinstance(e.lhs, Adj)]
    adj = adj_eq.forms[-1]
    assert adj == sympy.Matrix(3, 3, lambda i, j: cofactors[j + 1, i + 1]) == A.adjugate()
    assert step.result == adj / det == A.inv()


def _check_dual(points, classes, kernel):
    model = SVC(**kernel).fit(points, classes)
    step = model.derivation_["active_set"]
    n = len(points)
    if kernel.get("kernel") == "poly":
        K = [[(sum(Fraction(a) * b for a, b in zip(p, q)) + 1) ** 2 for q in points] for p in points]
    else:
        K = [[sum(Fraction(a) * b for a, b in zip(p, q)) for q in points] for p in points]
    alphas = sympy.symbols(f"alpha_1:{n + 1}")
    b = sympy.Symbol("b")
    printed = [r for r in displays(step, Relation)]
    free = [i - 1 for i in step.result["free"]]
    # The equations a reader would write: y_i f(x_i) = 1 on the active set, and the balance Σ α_j y_j = 0.
    expected = [
        sum(sympy.Rational(classes[i] * classes[j] * K[i][j]) * alphas[j] for j in free) + classes[i] * b - 1
        for i in free
    ]
    expected.append(sum(classes[j] * alphas[j] for j in free))
    assert len(printed) == len(expected)
    for rel, want in zip(printed, expected):
        assert rel.rel == "="
        assert sympy.expand(rel.lhs - rel.rhs - want) == 0
    (solution,) = sympy.solve([r.lhs - r.rhs for r in printed], [alphas[j] for j in free] + [b], dict=True)
    shown = {e.lhs: e.forms[0] for e in displays(step, Equation) if not isinstance(e.lhs, Margin)}
    assert solution == shown
    alpha = [solution.get(alphas[j], 0) for j in range(n)]
    assert all(alpha[j] > 0 for j in free)
    assert tuple(alpha) == tuple(model.alpha_) and solution[b] == model.intercept_
    # The inequalities of the points left out, evaluated from the printed terms.
    checks = [e for e in displays(step, Equation) if isinstance(e.lhs, Margin)]
    left_out = [i for i in range(n) if i not in free]
    assert [e.lhs.i - 1 for e in checks] == left_out
    for e in checks:
        i = e.lhs.i - 1
        terms, margin, one = e.forms
        by_hand = classes[i] * (sum(alpha[j] * classes[j] * K[j][i] for j in range(n)) + solution[b])
        assert value(terms) == margin == by_hand >= 1 and one == 1 and e.relations[2] == ">="
    return model, solution


def test_the_linear_dual_can_be_checked_by_hand():
    model, _ = _check_dual([[1, 2], [2, 3], [2, 1], [3, 2]], [1, 1, -1, -1], {})
    assert model.alpha_ == (1, 0, 1, 0)


def test_the_kernel_dual_can_be_checked_by_hand():
    model, _ = _check_dual(
        [[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1], {"kernel": "poly", "degree": 2, "coef0": 1}
    )
    assert model.alpha_ == tuple(sympy.Rational(v) for v in ("10/3", "8/3", "8/3", "2"))


def test_a_soft_margin_working_moves_the_capped_multipliers_to_the_right_side():
    X = [[0, 0], [1, 1], [2, 0], [0, 2], [1, 0], [3, 3]]
    y = [1, 1, -1, -1, -1, 1]
    C = 10
    model = SVC(C=C).fit(X, y)
    step = model.derivation_["active_set"]
    free = [i - 1 for i in step.result["free"]]
    upper = [i - 1 for i in step.result["upper"]]
    assert upper and all(model.alpha_[i] == C for i in upper)
    K = [[sum(Fraction(a) * b for a, b in zip(p, q)) for q in X] for p in X]
    alphas = sympy.symbols("alpha_1:7")
    b = sympy.Symbol("b")
    printed = displays(step, Relation)
    for rel, i in zip(printed, free):  # y_i f(x_i) = 1, the capped terms moved to the right
        want = (
            sum(sympy.Rational(y[i] * y[j] * K[i][j]) * alphas[j] for j in free)
            + y[i] * b
            - (1 - sum(sympy.Rational(y[i] * y[j] * K[i][j]) * C for j in upper))
        )
        assert sympy.expand(rel.lhs - rel.rhs - want) == 0
    (solution,) = sympy.solve([r.lhs - r.rhs for r in printed], [alphas[j] for j in free] + [b], dict=True)
    assert [solution[alphas[j]] for j in free] == [model.alpha_[j] for j in free] and solution[b] == model.intercept_
    alpha = [solution.get(alphas[j], C if j in upper else 0) for j in range(6)]
    for e in displays(step, Equation):
        if isinstance(e.lhs, Margin):
            i = e.lhs.i - 1
            by_hand = y[i] * (sum(alpha[j] * y[j] * K[j][i] for j in range(6)) + solution[b])
            terms, margin, one = e.forms
            assert value(terms) == margin == by_hand and one == 1
            assert (
                (by_hand <= 1 and e.relations[2] == "<=") if i in upper else (by_hand >= 1 and e.relations[2] == ">=")
            )
