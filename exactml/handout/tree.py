"""Chapter 3: decision trees on the source's six customers, every gain exact, the tree drawn."""

from __future__ import annotations

from dataclasses import replace

from ..derivation import Call, Equation, Figure, Name, Note, Step, Table
from ..tree.estimator import DecisionTreeClassifier

TITLE = "Decision Trees: The Mathematics of Splitting"

# The source document's data (section 3.1).
FEATURES = ["Age", "Income", "Student"]
TARGET = "Buys"
CUSTOMERS = [
    ["Youth", "High", "No"],
    ["Youth", "High", "Yes"],
    ["Middle", "High", "No"],
    ["Senior", "Medium", "No"],
    ["Senior", "Low", "Yes"],
    ["Senior", "Low", "No"],
]
BUYS = ["No", "Yes", "Yes", "Yes", "Yes", "No"]

ROUNDED = "the difference of the rounded $0.444 - 0.389$"


def _step(ctx, step: Step, why: str | None = None) -> str:
    """A step's working; ``why`` replaces its reason where the chapter has already given it ("" drops it)."""
    return ctx.step(step if why is None else replace(step, why=why))


def _shown(step: Step, label: str) -> object:
    """The value a step displays for ``I(label)``: the last form of that equation."""
    for item in step.how:
        if isinstance(item, Equation) and item.lhs == Call("I", Name(label)):
            return item.forms[-1]
    raise KeyError(f"step {step.key!r} shows no I({label})")


def _check_source(ctx, d) -> None:
    """Compare every number the source prints in section 3.2 with the engine's."""
    root = d["root"]
    counts = root["counts"].result
    ctx.compare("3.2.2", r"n", "6", sum(counts.values()))
    ctx.compare("3.2.2", r"n_{\text{Yes}}", "4", counts["Yes"])
    ctx.compare("3.2.2", r"n_{\text{No}}", "2", counts["No"])
    ctx.compare("3.2.2", r"I_{\text{parent}}", "0.444", root["gini"].result)
    ctx.compare("3.2.2", r"H_{\text{parent}}", "0.918", root["entropy"].result)
    age, student = root["gain/Age"], root["gain/Student"]
    for value, stated in [("Youth", "0.5"), ("Middle", "0"), ("Senior", "0.444")]:
        ctx.compare("3.2.3", rf"I(\text{{Age = {value}}})", stated, _shown(age, f"Age = {value}"))
    ctx.compare("3.2.3", r"I_{\text{age}}", "0.389", _shown(age, "Age"))
    ctx.compare("3.2.3", r"\mathit{IG}_{\text{age}}", "0.055", age.result, ROUNDED, kind="rounding")
    for value, stated in [("Yes", "0"), ("No", "0.5")]:
        ctx.compare("3.2.4", rf"I(\text{{Student = {value}}})", stated, _shown(student, f"Student = {value}"))
    ctx.compare("3.2.4", r"I_{\text{student}}", "0.333", _shown(student, "Student"))
    ctx.compare("3.2.4", r"\mathit{IG}_{\text{student}}", "0.111", student.result)
    ctx.compare("3.2.5", r"\mathit{IG}_{\text{age}}", "0.055", age.result, "carried from 3.2.3")
    ctx.compare("3.2.5", r"\mathit{IG}_{\text{student}}", "0.111", student.result)


def chapter(ctx) -> str:
    gini_tree = DecisionTreeClassifier().fit(CUSTOMERS, BUYS, feature_names=FEATURES)
    entropy_tree = DecisionTreeClassifier(criterion="entropy").fit(CUSTOMERS, BUYS, feature_names=FEATURES)
    d, e = gini_tree.derivation_, entropy_tree.derivation_
    _check_source(ctx, d)
    root = gini_tree.root_
    gains = root.gains
    tied = [f for f in FEATURES if gains[f] == gains["Age"]]
    chosen = root.feature
    e_root = entropy_tree.root_
    same_tree = d["tree"].result == e["tree"].result
    m = ctx.math

    table = Table(
        [Name(f) for f in FEATURES] + [Name(TARGET)],
        [[*map(Name, r), Name(t)] for r, t in zip(CUSTOMERS, BUYS)],
        align="llll",
    )
    parts = [
        r"\section{" + TITLE + "}",
        r"\label{sec:tree}",
        r"\subsection{Problem Setup}",
        (
            "A shop wants to know in advance whether a customer will buy a product. It knows three things about "
            "each customer: an age group, an income band and whether the customer is a student. The training "
            f"data are {len(CUSTOMERS)} past customers and whether each of them bought:"
        ),
        ctx.block(table),
        (
            "A decision tree predicts by asking one question at a time, each answer leading to the next "
            "question or to a verdict. Learning the tree means choosing the questions, starting with the first: "
            "which feature should the root ask about?"
        ),
        r"\subsection{Information Gain Calculation}",
        r"\subsubsection{Why We Use Information Theory}",
        (
            "A good question sorts the customers into groups in which nearly everyone made the same choice. "
            "To compare questions we need a number for how mixed a group is, its \\emph{impurity}, and we use "
            "two. With $p_k$ the share of class $k$ in a group,"
        ),
        r"\[ I = 1 - \sum_k p_k^2 \qquad\text{and}\qquad H = -\sum_k p_k \log_2 p_k . \]",
        (
            "The Gini impurity $I$ is the chance that two customers drawn at random from the group made "
            "different choices; the entropy $H$ is the number of bits needed, on average, to record one "
            "customer's choice. Both are $0$ for a group that agrees and largest for an even mix. A question "
            "splits a group of $n$ customers into branches of sizes $n_1, n_2, \\dots$; what impurity remains is "
            "the branches' impurities averaged with weights $n_j / n$, and the \\emph{information gain} is how "
            "much the question removed:"
        ),
        r"\[ \mathit{IG} = I_{\text{parent}} - \sum_j \frac{n_j}{n}\, I_j . \]",
        (
            "The root asks the question with the largest gain. Gini values are fractions and are kept as "
            "fractions; entropies are kept exact as sums of base-2 logarithms of primes. Two gains are therefore "
            "compared exactly, and a tie is a tie, not a coincidence of rounding."
        ),
        r"\subsubsection{Step 1: Calculate Parent Impurity}",
        f"Before any question is asked, all {len(CUSTOMERS)} customers form one group.",
        _step(ctx, d["root/counts"]),
        r"\paragraph{With the Gini impurity.}",
        _step(ctx, d["root/gini"]),
        r"\paragraph{With entropy.}",
        _step(ctx, d["root/entropy"]),
        r"\subsubsection{Step 2: Evaluate Split on ``Age''}",
        (
            "Each feature sorts the customers in its own way; every one is tried and scored, beginning with "
            "the age group, with one branch for each of its values."
        ),
        _step(ctx, d["root/gain/Age"]),
        r"\subsubsection{Step 3: Evaluate Split on ``Student''}",
        (
            "Student has only two values. Both students bought, so one branch is already pure and contributes "
            "nothing to the remaining impurity:"
        ),
        _step(ctx, d["root/gain/Student"], why=""),
        r"\subsubsection{Step 4: Compare and Choose Best Split}",
        r"\paragraph{The remaining feature: Income.}",
        ("Income has three bands; only the single medium-income customer forms a pure branch:"),
        _step(ctx, d["root/gain/Income"], why=""),
        r"\paragraph{The comparison.}",
        _step(ctx, d["root/compare"]),
        _step(ctx, d["root/choice"]),
    ]
    if len(tied) > 1:
        parts.append(
            f"{' and '.join(tied)} remove exactly the same impurity, ${m(gains['Age'])}$ each; only exact arithmetic "
            "can tell such a tie from two values that merely round alike. Neither is chosen here, since "
            f"{chosen} has the larger gain, ${m(gains[chosen])}$."
        )
    parts += [
        r"\paragraph{The same comparison with entropy.}",
        ("Measured by entropy, the gains are sums of logarithms. The split on Student, worked in full:"),
        _step(ctx, e["root/gain/Student"], why=""),
        "Ranked the same way, by the entropy each question removes:",
        _step(ctx, e["root/compare"], why=""),
        (
            f"Entropy also puts {e_root.feature} first: with either measure the root asks whether the customer "
            "is a student."
            if e_root.feature == chosen
            else f"Entropy puts {e_root.feature} first instead, so the two measures disagree on this data."
        ),
        r"\subsection{Visualizing the Decision Process}",
        (
            "The root's question is only the beginning: each branch that still mixes both choices is split again "
            "by the same rule, until every branch agrees or no question is left. The rule in full:"
        ),
        _step(ctx, d["rule"]),
        _growth(ctx, gini_tree),
        ctx.block(_with_target(d["tree"].part("figure"))),
        "Read from the root down, each leaf is one rule:",
        ctx.block(d["tree"].part("rules")),
        (
            "Grown with entropy instead of the Gini impurity, the tree is the same: the same questions in the "
            "same places."
            if same_tree
            else "Grown with entropy instead, the tree differs; its derivation is available from the same engine."
        ),
    ]
    return "\n\n".join(parts)


def _with_target(figure: Figure) -> Figure:
    return Figure(figure.kind, {**figure.data, "target": TARGET}, figure.caption)


def _growth(ctx, tree: DecisionTreeClassifier) -> str:
    """Every node below the root as one row of a table, and the one node with a real decision worked in full."""
    d = tree.derivation_
    classes = list(d["root/counts"].result)
    rows, worked = [], None
    for nd in d:
        if not getattr(nd, "key", "").startswith("node"):
            continue
        counts = nd["counts"].result
        if "leaf" in nd:
            outcome, gain = Name(f"leaf: {nd['leaf'].result}"), ""
        else:
            outcome, gain = Name(f"split on {nd['choice'].result}"), max(nd["compare"].result.values())
            ties = [f for f, g in nd["compare"].result.items() if g == gain]
            if worked is None and len(ties) > 1:
                worked = nd
        rows.append([Name(nd.names["path"]), *[counts[c] for c in classes], nd["gini"].result, outcome, gain])
    table = Table(
        ["Node"] + [Name(c) for c in classes] + ["$I$", "Decision", "Gain"],
        rows,
        align="l" + "r" * len(classes) + "rlr",
    )
    out = [
        (
            "Below the root every node is handled the same way. The table lists them in the order they are "
            "grown, with their class counts, their Gini impurity and what the rule decides:"
        ),
        ctx.block(table),
        (
            "A node with impurity $0$ holds customers who all made the same choice, so it becomes a leaf "
            "that predicts that choice."
        ),
    ]
    if worked is not None:
        out += [
            r"\paragraph{" + ctx.block(Note("One node in detail: <<path>>.", worked.names)) + "}",
            (
                f"{sum(worked['counts'].result.values())} customers reach this node ("
                + ", ".join(f"{k} {c}" for c, k in worked["counts"].result.items())
                + f"), so its impurity is ${ctx.math(worked['gini'].result)}$. The feature already asked on this "
                "path is not asked again; the others are scored as at the root:"
            ),
            *[_step(ctx, g, why="") for g in worked["gain"]],
            ("Here the candidates tie, and the tie rule, not the data, picks the question:"),
            _step(ctx, worked["compare"], why=""),
            _step(ctx, worked["choice"], why=""),
        ]
    return "\n\n".join(out)
