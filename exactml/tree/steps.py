"""The decision tree's derivation as data: the steps of :mod:`exactml.tree`, one builder each.

The grower in :mod:`exactml.tree` calls these builders as it visits each
node, with what it has just counted; they turn counts, candidate splits and
the fitted tree into the keyed steps documented in :mod:`exactml.tree`, and
compute nothing the grower needs.  Kept apart so that the growing reads on
its own, and so that every sentence the tree says about itself is in one
place.  ``branch_label`` also names the branches of the path to each node.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, Protocol

import sympy

from ..derivation import Approx, Derivation, Figure, Name, Note, Step, Table
from ..records import Notation, Relation
from . import impurity as imp
from .node import Node

EXPAND_ROWS = 20  # the data table is shown up to this many rows
FIGURE_MAX_LEAVES = 24


class GrowingTree(Protocol):
    """What the builders read of the tree being grown (``estimator.Grower`` provides it).

    Declared here so that the derivation depends on these fields only, not on the estimator module.
    """

    columns: list  # splitting.Column records: name, kind, values
    y: Any  # the class code of every example
    classes: list
    K: int  # the number of classes
    order: list  # class codes, most frequent first (for display)
    criterion: str
    max_depth: int | None
    min_samples_split: int


def number_text(value: Any) -> str:
    """A threshold as plain text: ``2.5`` when it is a short decimal, else ``p/q``."""
    q = sympy.Rational(value)
    if q.q == 1:
        return str(q.p)
    rest = int(q.q)
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1 or q.q > 10**12:  # not a short terminating decimal
        return f"{q.p}/{q.q}"
    return format(Decimal(int(q.p)) / Decimal(int(q.q)), "f")


def branch_label(node: Node, branch: Any) -> str:
    """The branch as plain text: ``Age = Youth``, ``x <= 2.5``."""
    if node.threshold is not None:
        return f"{node.feature} {branch} {number_text(node.threshold)}"
    return f"{node.feature} = {branch}"


# ------------------------------------------------------------------ the steps
def _cell(value: Any) -> Any:
    return Name(value) if isinstance(value, str) else value


def data_step(g: GrowingTree, shown: list, labels: list, target: str) -> Step:
    """Step ``data``: the training data (a table when small) and the kind of every feature."""
    n, p = len(g.y), len(g.columns)
    names = {f"c{j}": c.name for j, c in enumerate(g.columns)}
    cat = [f"<<c{j}>>" for j, c in enumerate(g.columns) if c.kind == "categorical"]
    num = [f"<<c{j}>>" for j, c in enumerate(g.columns) if c.kind == "numeric"]
    kinds = []
    if cat:
        kinds.append("Categorical, split one branch per value: " + ", ".join(cat) + ".")
    if num:
        kinds.append("Numeric, split in two at a threshold: " + ", ".join(num) + ".")
    how: dict = {}
    if n <= EXPAND_ROWS and p <= 8:
        header = [Name(c.name) for c in g.columns] + [Name(target)]
        how["table"] = Table(header, [[*map(_cell, r), _cell(t)] for r, t in zip(shown, labels)])
    how["kinds"] = Note(" ".join(kinds), names)
    return Step(
        "data",
        "Training data",
        why=f"{n} examples, each with {p} feature value(s) and a class; {g.K} classes in all.",
        how=how,
        result=(n, p),
    )


def rule_step(g: GrowingTree) -> Step:
    """Step ``rule``: how splits are formed, scored and chosen, and the tie rules."""
    crit = "Gini impurity" if g.criterion == "gini" else "entropy"
    depth = "" if g.max_depth is None else f"when it is at the maximum depth, {g.max_depth}, "
    kinds = {c.kind for c in g.columns}
    # Only the kinds of split this data can have are described: no midpoints without a numeric feature.
    splits = []
    if "categorical" in kinds:
        splits.append("a split on a categorical feature has one branch per value present at the node")
    if "numeric" in kinds:
        splits.append(
            "a numeric feature is split in two at the midpoint between two consecutive values, every "
            "such midpoint being tried"
        )
    thresholds = "; between equal thresholds of one feature, the smallest" if "numeric" in kinds else ""
    return Step(
        "rule",
        "How the tree is grown",
        why=(
            f"Starting from all examples, each node is split on the feature whose split lowers the {crit} the "
            f"most: the largest information gain. " + "; ".join(splits).capitalize() + "."
        ),
        how={
            "ties": Note(
                f"Ties are broken by a fixed rule: between features with equal gains, the one that comes first among "
                f"the columns is chosen{thresholds}. A node becomes a leaf "
                f"when it is pure, {depth}when fewer than {g.min_samples_split} examples reach it, or "
                f"when no feature varies in it. A leaf predicts its most frequent class (on equal counts, the class "
                f"that sorts first)."
            )
        },
        result=g.criterion,
    )


def node_steps(g: GrowingTree, node: Node, counts: list, path: tuple) -> Derivation:
    """A node's derivation, opened with its ``counts``, ``gini`` and ``entropy`` steps."""
    n = sum(counts)
    ordered = [counts[k] for k in g.order]
    labels = [g.classes[k] for k in g.order]
    size = f"{n} example" + ("s" if n != 1 else "")
    if path:
        nd = Derivation(f"Node <<path>> ({size})", key=node.key, names={"path": ", ".join(path)})
    else:
        nd = Derivation(f"Root node ({size})", key=node.key)
    nd.add(
        _brief(
            Step(
                "counts",
                "Examples at the node",
                why="The impurity of a node depends only on how many of its examples fall in each class.",
                how=[Table(["Class", "Examples"], [[Name(str(c)), k] for c, k in zip(labels, ordered)], align="lr")],
                result=dict(zip(labels, ordered)),
            ),
            node,
        )
    )
    nd.add(_brief(imp.gini_step(ordered), node))
    nd.add(_brief(imp.entropy_step(ordered), node))
    return nd


def _brief(step: Step, node: Node) -> Step:
    """Below the root, the reasons were given once already: keep the computation only."""
    return step if node.key == "root" else replace(step, why="")


_LEAF_WHY = {
    "pure": "Every example here has the same class: there is nothing left to separate.",
    "depth": "The node is at the maximum depth allowed, {depth}.",
    "small": "Only {n} examples reach this node, fewer than the {m} a split needs.",
    "constant": "No feature takes two different values among these examples, so no split can separate them.",
}


def leaf_step(g: GrowingTree, node: Node, reason: str, counts: list) -> Step:
    """Step ``leaf``: why the node is not split (``reason``, a key of ``_LEAF_WHY``) and its prediction."""
    n = sum(counts)
    top = max(counts)
    if top == n:  # a pure leaf: "most frequent" and "1 of 1" would say nothing
        text = (
            "Its one example is <<label>>, so the leaf predicts <<label>>."
            if n == 1
            else f"All {n} of its examples are <<label>>, so the leaf predicts <<label>>."
        )
    else:
        text = f"The leaf predicts <<label>>, the most frequent class here ({top} of {n} examples)."
    if counts.count(top) > 1:
        text += " Other classes are as frequent; the class that sorts first is taken."
    why = _LEAF_WHY[reason].format(depth=g.max_depth, n=n, m=g.min_samples_split)
    return Step(
        "leaf",
        "Leaf: predict <<label>>",
        why=why,
        how=[Note(text, {"label": str(node.prediction)})],
        result=node.prediction,
        names={"label": str(node.prediction)},
    )


def choice_steps(g: GrowingTree, nd: Derivation, node: Node, candidates: list, ties: list) -> None:
    """Add to ``nd`` an inner node's ``gain`` steps (one per candidate), ``compare`` and ``choice``."""
    labels = [g.classes[k] for k in g.order]
    gd = nd.add(Derivation("Candidate splits", key="gain"))
    rows = []
    for c in candidates:
        name = c.column.name
        note = None
        if c.cut is not None:
            t = c.threshold
            branches = list(zip([f"{name} <= {number_text(t)}", f"{name} > {number_text(t)}"], c.children))
            note = Note(
                f"All {c.searched} midpoints between consecutive values were tried; $<<t>>$ gives the largest gain."
                if c.searched > 1
                else "The two values present give one threshold, their midpoint $<<t>>$.",
                {"t": t},
            )
            split = Relation(None, "<=", t)
        else:
            branches = [(f"{name} = {c.column.values[v]}", child) for v, child in zip(c.present, c.children)]
            split = f"{len(c.children)} branches"
        branches = [(label, [child[k] for k in g.order]) for label, child in branches]
        gd.add(
            _brief(
                imp.split_step(name, branches, g.criterion, key=name.replace("/", "|"), classes=labels, note=note), node
            )
        )
        rows.append([Name(name), split, node.gains[name], Approx(node.gains[name])])
    nd.add(
        Step(
            "compare",
            "Compare the candidate splits",
            why="The split that leaves the least impurity is the one with the largest information gain.",
            how=[Table(["Feature", "Split", "Information gain", Notation("approx")], rows, align="llll")],
            result=dict(node.gains),
        )
    )
    names = {"feature": node.feature}
    how = []
    if len(ties) > 1:
        tied = [f"<<t{i}>>" for i in range(len(ties))]
        names.update({f"t{i}": c.column.name for i, c in enumerate(ties)})
        how.append(
            Note(
                f"The gains of {', '.join(tied[:-1])} and {tied[-1]} are exactly equal. The tie rule "
                "takes the feature that comes first among the columns: <<feature>>.",
                names,
            )
        )
    if node.threshold is not None:
        how.append(
            Note(
                "Examples with <<feature>> $\\le <<threshold>>$ go to one branch, the others to the other.",
                {**names, "threshold": node.threshold},
            )
        )
    nd.add(
        Step(
            "choice",
            "Split on <<feature>>",
            why="No other candidate lowers the impurity more, so this split is taken.",
            how=how,
            result=node.feature,
            names=names,
        )
    )


def tree_step(g: GrowingTree, root: Node) -> Step:
    """Step ``tree``: the fitted tree as a figure (when small enough) and one rule per leaf."""
    leaves: list[tuple[list[str], Node]] = []
    stack = [([], root)]
    while stack:
        path, node = stack.pop()
        if node.is_leaf:
            leaves.append((path, node))
        for branch, child in reversed(list(node.children.items())):
            stack.append((path + [branch_label(node, branch)], child))
    how: dict = {}
    if len(leaves) <= FIGURE_MAX_LEAVES:
        what = "Gini impurity" if g.criterion == "gini" else "entropy"
        how["figure"] = Figure(
            "tree",
            {"root": root, "criterion": g.criterion, "classes": [g.classes[k] for k in g.order]},
            caption=f"The fitted tree. Each node shows its split, its class counts and its {what}.",
        )
    rows = [
        [Name(" and ".join(path) or "every example"), Name(str(leaf.prediction)), leaf.n_samples]
        for path, leaf in leaves[: 2 * EXPAND_ROWS]
    ]
    how["rules"] = Table(["Rule", "Prediction", "Examples"], rows, align="llr")
    if len(leaves) > len(rows):
        how["more"] = Note(f"The table shows the first {len(rows)} of the {len(leaves)} leaves.")
    return Step(
        "tree",
        "The fitted tree",
        why="Each leaf is one rule: the conditions met on the way to it, and the class it predicts.",
        how=how,
        result=tuple((" and ".join(p), leaf.prediction) for p, leaf in leaves),
    )
