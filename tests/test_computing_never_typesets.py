r"""Computing never typesets: no LaTeX in the algorithm folders outside prose.

Every ``.py`` under an algorithm folder is parsed with :mod:`ast`; a string
constant that holds a LaTeX command (``\\frac``, ``^{``, ``_{``) fails the test
unless it is a docstring or prose — a step's ``why`` or title, a note, an
intro or a caption (or a variable named ``why``/``title`` passed on as one) —
and, in prose, the command sits inside ``$…$`` math (``\emph`` aside).
Everything else that is mathematics is data (sympy objects and the display
records of :mod:`exactml.records`), typeset by :mod:`exactml.latex` alone.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import exactml
from exactml.registry import ALGORITHMS

PACKAGE = Path(exactml.__file__).parent
# Every algorithm of the registry, and the arithmetic they share.
FOLDERS = [PACKAGE / "arith"] + [PACKAGE / a.package.split(".")[-1] for a in ALGORITHMS]

LATEX = re.compile(r"\\[A-Za-z]+|\^\{|_\{")
MATH = re.compile(r"\$[^$]*\$")
TEXT_MARKUP = re.compile(r"\\emph\{")
PROSE_KEYWORDS = {"why", "title", "intro", "caption"}
# Positional prose: Step(key, title, why, …), Note(text, …), Derivation(title, …).
PROSE_POSITIONS = {"Step": (1, 2), "Note": (0,), "Derivation": (0,)}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _prose_roots(tree: ast.AST) -> list[ast.AST]:
    roots = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") in PROSE_KEYWORDS for t in node.targets):
            roots.append(node.value)  # why = (…), passed on as why=why
        if not isinstance(node, ast.Call):
            continue
        roots += [kw.value for kw in node.keywords if kw.arg in PROSE_KEYWORDS]
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        roots += [node.args[i] for i in PROSE_POSITIONS.get(name, ()) if i < len(node.args)]
    return roots


def _text(node: ast.AST) -> str:
    """A string literal's text; an f-string's interpolations stand as a letter."""
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "v" for v in node.values)
    return node.value


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    where = path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path.name
    skip = _docstrings(tree)
    found = []
    for root in _prose_roots(tree):
        for node in ast.walk(root):
            if isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in skip:
                skip.add(id(node))
                skip.update(id(v) for v in ast.walk(node))
                if isinstance(node, ast.JoinedStr) or isinstance(node.value, str):
                    outside = TEXT_MARKUP.sub("", MATH.sub("", _text(node)))
                    if LATEX.search(outside):
                        found.append(f"{where}:{node.lineno}: LaTeX outside $…$ in prose")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and LATEX.search(node.value)
        ):
            found.append(f"{where}:{node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_algorithm_folder_holds_no_latex_outside_prose(folder: Path) -> None:
    found = [o for path in sorted(folder.rglob("*.py")) for o in offences(path)]
    assert not found, "LaTeX in algorithm code (make it a display record or a notation name):\n" + "\n".join(found)


def test_the_scan_finds_latex_in_code_and_spares_prose(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        '"""Docstring with \\\\frac{1}{2}."""\n'
        'Step("k", "Compute $X^{-1}$", why="the sum $\\\\sum_k p_k$", symbol=r"\\hat{y}")\n'
        'Note(r"loose \\alpha outside math")\n'
        'lhs = f"x_{{{i}}}"\n'
    )
    found = sorted(offences(source))
    assert [f.split(":")[1] for f in found] == ["2", "3", "4"], found
    assert "hat{y}" in found[0] and "outside $" in found[1] and "x_{" in found[2]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_algorithm_code_never_imports_the_printers(folder: Path) -> None:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, (ast.Import, ast.ImportFrom)) else []
            if any(n == "latex" or n.startswith("latex.") or ".latex" in n for n in names):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not found, "algorithm code imports exactml.latex (printing belongs to the printers):\n" + "\n".join(found)
