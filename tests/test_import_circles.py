"""No import circle in exactml but the documented one: a derivation prints itself through exactml.latex.

The import graph is read with :mod:`ast` from every module of the package: an arrow A -> B for each
``import``/``from … import`` of A that names module B (a submodule taken from a package,
``from .latex import render``, points at that submodule, not at the package).  Imports at module level run when A is
imported; imports inside a function run when it is called.  ``derivation.py`` imports ``latex/`` only
inside ``Step.to_latex()``, ``__str__`` and the Jupyter methods (README, "The layers"), so that a
derivation can print itself while the printers import the derivation's records: that is the one circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import exactml

PACKAGE = Path(exactml.__file__).parent
# The one deliberate circle: derivation.py imports the printers inside its methods.
LAZY_PRINTING = "exactml.derivation"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The exactml modules one import statement names."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:  # relative: from the module's package, one level up per extra dot
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            stem = ".".join(base + ([node.module] if node.module else []))
        else:
            stem = node.module or ""
        # A submodule taken from a package (from . import tex) is that module; any other name is the stem's.
        names = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in MODULES else stem for a in node.names]
    found = []
    for name in names:
        while name and name not in MODULES:  # exactml.arith.lazy.add → exactml.arith.lazy
            name = name.rpartition(".")[0]
        if name.startswith("exactml") and name != "exactml" and name != module:
            found.append(name)
    return found


def import_graph(module_level_only: bool) -> dict[str, set[str]]:
    """Module → the exactml modules it imports (at module level, or anywhere)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(), str(path))
        nested = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not (module_level_only and id(node) in nested):
                graph[module].update(_targets(node, module, path.name == "__init__.py"))
    return graph


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_level_import_circle():
    assert circles(import_graph(module_level_only=True)) == []


def test_the_only_circle_is_a_derivation_printing_itself_through_the_printers():
    graph = import_graph(module_level_only=False)
    (circle,) = circles(graph)
    assert LAZY_PRINTING in circle and all(m == LAZY_PRINTING or m.startswith("exactml.latex.") for m in circle)
    # Without the derivation's lazy imports of the printers, nothing is circular.
    graph[LAZY_PRINTING] = {m for m in graph[LAZY_PRINTING] if not m.startswith("exactml.latex.")}
    assert circles(graph) == []


def test_the_graph_sees_relative_and_nested_imports_and_finds_a_circle():
    assert "exactml.arith.evaluate" in import_graph(module_level_only=True)["exactml.decimals"]
    assert "exactml.latex.render" not in import_graph(module_level_only=True)[LAZY_PRINTING]
    assert "exactml.latex.render" in import_graph(module_level_only=False)[LAZY_PRINTING]
    assert import_graph(module_level_only=True)["exactml.checker.claims"] >= {"exactml.checker.tex"}
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
