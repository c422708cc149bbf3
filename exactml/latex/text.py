"""Plain-text rendering of derivations, for ``str()`` in a terminal or REPL."""

from __future__ import annotations

import re
from typing import Any

import sympy

from ..decimals import decimal_string, needs_decimal
from ..derivation import Derivation, Name, Step
from .render import LatexRenderer, fill

_MARKUP = [
    (re.compile(r"\\(?:emph|textbf|text|mathrm|mathbf)\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\$"), ""),
    (re.compile(r"\\,|~"), " "),
]


def plain(text: str) -> str:
    """Drop the lightest LaTeX markup from exactml's own prose."""
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return text


def math_text(value: Any) -> str:
    """A symbol or display record as plain text (its LaTeX with the markup dropped)."""
    return plain(value if isinstance(value, str) else LatexRenderer().math(value))


def value_text(value: Any, digits: int = 3) -> str:
    if isinstance(value, Name):
        return value.text
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(value_text(v, digits) for v in value) + ")"
    if hasattr(value, "to_Matrix") and hasattr(value, "domain"):  # DomainMatrix
        rows, cols = value.shape
        return f"<{rows}x{cols} exact matrix>" if rows > 8 else sympy.sstr(value.to_Matrix().tolist())
    if isinstance(value, sympy.MatrixBase):
        return sympy.sstr(value.tolist())
    s = sympy.sstr(value) if isinstance(value, sympy.Basic) else str(value)
    if needs_decimal(value, digits):
        s += f" ≈ {decimal_string(value, digits)}"
    return s


def render_text(obj: Step | Derivation, digits: int = 3, indent: str = "") -> str:
    if isinstance(obj, Step):
        head = f"{indent}[{obj.key}] {plain(fill(obj.title, dict(obj.names), escape=str, math=math_text))}"
        if obj.result is None:
            return head
        name = math_text(obj.symbol) if obj.symbol else "result"
        return head + f"\n{indent}    {name} = {value_text(obj.result, digits)}"
    lines = [indent + plain(fill(obj.title, obj.names, escape=str))]
    for item in obj:
        lines.append(render_text(item, digits, indent + "  "))
    return "\n".join(lines)
