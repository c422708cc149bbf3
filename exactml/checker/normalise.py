r"""Notation the parser does not read, rewritten into plain LaTeX before anything is split or parsed.

People write math in unicode (``3 × 0.5 − 1 ≈ 0.5``, ``η = 0.1``, ``p₁ = 2``,
``√(4 + 9)``), in plain text (``sqrt(25)``, ``2*x``, ``log2(3)``, ``e^-0.1``,
``c1``) and in LaTeX the parser does not know (``\cfrac``, ``\operatorname``,
``72 \%``, ``(1, 2)^\top`` for a column).  :func:`to_latex` rewrites all of it
into the LaTeX that the later stages read; newlines are kept, so line numbers
survive.

>>> to_latex("η = 0.1 and p₁ = 2² − √(4 + 5)")
'\\eta = 0.1 and p_{1} = 2^{2} - \\sqrt{4 + 5}'
>>> to_latex("sqrt(25) = 5, 2*c1 = 4", plain=True)
'\\sqrt{25} = 5, 2 \\times c_{1} = 4'
"""

from __future__ import annotations

import re

GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ϵ": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ϑ": "vartheta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "ϕ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "Γ": "Gamma",
    "Δ": "Delta",
    "Θ": "Theta",
    "Λ": "Lambda",
    "Ξ": "Xi",
    "Π": "Pi",
    "Σ": "Sigma",
    "Υ": "Upsilon",
    "Φ": "Phi",
    "Ψ": "Psi",
    "Ω": "Omega",
    "ℓ": "ell",
}
OPERATORS = {
    "×": r" \times ",
    "·": r" \cdot ",
    "⋅": r" \cdot ",
    "∙": r" \cdot ",
    "÷": r" \div ",
    "−": "-",
    "∕": "/",
    "≈": r" \approx ",
    "≃": r" \approx ",
    "≅": r" \approx ",
    "≠": r" \neq ",
    "≤": r" \leq ",
    "≥": r" \geq ",
    "⩽": r" \leq ",
    "⩾": r" \geq ",
    "→": r" \to ",
    "←": r" \leftarrow ",
    "⇒": r" \Rightarrow ",
    "∑": r"\sum ",
    "∏": r"\prod ",
    "∂": r"\partial ",
    "∇": r"\nabla ",
    "∞": r"\infty ",
    "⊙": r" \odot ",
    "∘": r" \circ ",
    "‖": r"\|",
    "…": r"\dots ",
    "⋯": r"\cdots ",
    "′": "'",
    "″": "''",
    "ᵀ": "^{T}",
    "⊤": r"\top ",
    "∈": r" \in ",
    "±": r" \pm ",
    "≔": "=",
    "⌊": r"\lfloor ",
    "⌋": r"\rfloor ",
    "⌈": r"\lceil ",
    "⌉": r"\rceil ",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "∣": "|",
    "½": r"\frac{1}{2}",
    "⅓": r"\frac{1}{3}",
    "⅔": r"\frac{2}{3}",
    "¼": r"\frac{1}{4}",
    "¾": r"\frac{3}{4}",
    "⅕": r"\frac{1}{5}",
    "⅛": r"\frac{1}{8}",
}
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿⁱᵀ", "0123456789+-()niT"))
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ", "0123456789+-()aeoxhklmnpstij"))
_SUP_RUN = re.compile("[" + "".join(SUPERSCRIPTS) + "]+")
_SUB_RUN = re.compile("[" + "".join(SUBSCRIPTS) + "]+")
# Plain-text function names and what they become.
_PLAIN_CALLS = {
    "sqrt": r"\sqrt",
    "exp": r"\exp",
    "ln": r"\ln",
    "log": r"\log",
    "tanh": r"\tanh",
    "max": r"\max",
    "min": r"\min",
    "sigma": r"\sigma",
    "sigmoid": r"\sigma",
    "relu": r"\mathrm{ReLU}",
    "ReLU": r"\mathrm{ReLU}",
    "softmax": r"\mathrm{softmax}",
    "abs": "",
    "floor": r"\mathrm{floor}",
    "ceil": r"\mathrm{ceil}",
}
# Greek letters written out in plain text ("eta = 0.1"): read as the letter.
_GREEK_WORDS = (
    "pi",
    "eta",
    "alpha",
    "beta",
    "gamma",
    "delta",
    "lambda",
    "theta",
    "mu",
    "epsilon",
    "omega",
    "rho",
    "tau",
    "phi",
)
# Words of two or more letters that stay words (functions and LaTeX-like names) in plain text.
_KEEP_WORDS = set(_PLAIN_CALLS) | {"log2", "log10", *_GREEK_WORDS}
ACRONYMS = {  # all in capitals (the rewrite is skipped for math without any)
    "SSE",
    "MSE",
    "RMSE",
    "MAE",
    "SST",
    "SSR",
    "TSS",
    "RSS",
    "IG",
    "KL",
    "TP",
    "FP",
    "TN",
    "FN",
    "TPR",
    "FPR",
    "ESS",
    "AUC",
    "ROC",
    "NLL",
    "BCE",
    "CE",
    "SVM",
    "KNN",
    "PCA",
}


def to_latex(text: str, plain: bool = False) -> str:
    """``text`` with unicode (and, for ``plain`` text, ASCII) math notation written as LaTeX."""
    s = _unicode(text)
    if plain:
        s = _plain(s)
    s = _latex_notation(s)
    return s


# ------------------------------------------------------------------ unicode
def _unicode(s: str) -> str:
    if s.isascii():
        return s
    s = _SUP_RUN.sub(lambda m: "^{" + "".join(SUPERSCRIPTS[c] for c in m.group()) + "}", s)
    s = _SUB_RUN.sub(lambda m: "_{" + "".join(SUBSCRIPTS[c] for c in m.group()) + "}", s)
    s = s.replace("^{T}", "^{T}")
    out = []
    for i, c in enumerate(s):
        if c in GREEK:
            nxt = s[i + 1] if i + 1 < len(s) else ""
            out.append("\\" + GREEK[c] + (" " if nxt.isalnum() else ""))
        elif c in OPERATORS:
            out.append(OPERATORS[c])
        else:
            out.append(c)
    s = "".join(out)
    s = _roots(s)
    # Any other letter outside ASCII (é, À, ß …) is a name of its own, so that nothing downstream trips on it.
    return "".join(r"\mathrm{u" + format(ord(c), "x") + "}" if c.isalpha() and not c.isascii() else c for c in s)


def _roots(s: str) -> str:
    """``√(4 + 9)``, ``√13``, ``√x``, ``∛27``, ``2√2`` → ``\\sqrt{…}``."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c not in "√∛∜":
            out.append(c)
            i += 1
            continue
        index = {"√": "", "∛": "[3]", "∜": "[4]"}[c]
        j = i + 1
        while j < len(s) and s[j] == " ":
            j += 1
        if j < len(s) and s[j] in "({[":
            end = _matching(s, j)
            if end < 0:
                out.append(r"\sqrt" + index)
                i += 1
                continue
            out.append(r"\sqrt" + index + "{" + s[j + 1 : end] + "}")
            i = end + 1
            continue
        m = re.match(r"\d+(?:\.\d+)?|[A-Za-z](?:_\{[^{}]*\}|_\w)?|\\[A-Za-z]+(?:\{[^{}]*\})*", s[j:])
        if m is None:
            out.append(r"\sqrt" + index)
            i += 1
            continue
        out.append(r"\sqrt" + index + "{" + m.group() + "}")
        i = j + m.end()
    return "".join(out)


def _matching(s: str, start: int) -> int:
    pairs = {"(": ")", "[": "]", "{": "}"}
    opener, closer = s[start], pairs[s[start]]
    depth = 0
    for k in range(start, len(s)):
        if s[k] == opener:
            depth += 1
        elif s[k] == closer:
            depth -= 1
            if depth == 0:
                return k
    return -1


# ------------------------------------------------------------------ plain text
_PLAIN_WORD = re.compile(r"(?<![\\A-Za-z{])([A-Za-z]{2,}\d*)(?![A-Za-z])")


def _plain(s: str) -> str:
    """ASCII math as typed in an e-mail or a plain editor."""
    s = re.sub(r"(?<![\\A-Za-z])(log|ln|exp|tanh)(?=\s*[_({]|\s+[\d.A-Za-z])", r"\\\1", s)
    # dW/dα, dL/dw_1: a derivative written inline
    s = re.sub(
        r"(?<![\\A-Za-z])d\s*((?:[A-Za-z]|\\[A-Za-z]+)(?:_\{[^{}]*\}|_\w)?)\s*/\s*d\s*"
        r"((?:[A-Za-z]|\\[A-Za-z]+)(?:_\{[^{}]*\}|_\w)?)(?![A-Za-z])",
        r"\\frac{d\1}{d\2}",
        s,
    )
    s = re.sub(r"\blog_?2\s*(?=\()", r"\\log_{2}", s)
    s = re.sub(r"\blog_?2\s+(?=[\d.(])", r"\\log_{2} ", s)
    s = re.sub(r"\blog_?10\s*(?=\()", r"\\log_{10}", s)

    def word(m: re.Match) -> str:
        w = m.group(1)
        if w in _PLAIN_CALLS and s[m.end() :].lstrip().startswith("("):
            if w == "sqrt":
                return "\x00sqrt"
            return _PLAIN_CALLS[w]
        if w in _GREEK_WORDS or w == "sigma":
            return "\\" + w + " "
        if re.fullmatch(r"[A-Za-z]\d+", w):
            return w
        if w.startswith("log") or w in _KEEP_WORDS:
            return w
        return r"\mathrm{" + w + "}"

    s = _PLAIN_WORD.sub(word, s)
    s = _plain_sqrt(s)
    s = re.sub(r"(?<![A-Za-z\\_^{])([A-Za-z])(\d{1,2})(?![\d.])", r"\1_{\2}", s)  # c1, x2, P3: subscripts
    s = re.sub(r"(?<!\^)\*\*", "^", s)
    s = _EXP_DIGITS.sub(lambda m: "^{" + m.group(1) + "}", s)
    s = re.sub(r"(?<![\^_])\*(?!\*)", r" \\times ", s)
    return s


def _plain_sqrt(s: str) -> str:
    out, i = [], 0
    while True:
        k = s.find("\x00sqrt", i)
        if k < 0:
            out.append(s[i:])
            return "".join(out)
        out.append(s[i:k])
        j = s.find("(", k)
        end = _matching(s, j)
        if end < 0:
            out.append(r"\sqrt")
            i = k + 5
            continue
        out.append(r"\sqrt{" + s[j + 1 : end] + "}")
        i = end + 1


# ------------------------------------------------------------------ LaTeX the parser does not know
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*\\?%")
_EXP_SIGNED = re.compile(r"\^\s*([-+]\d+(?:\.\d+)?|\d+\.\d+)(?![\d.])")  # e^-0.1, e^0.5
_EXP_DIGITS = re.compile(r"\^\s*(\d{2,})(?![\d.])")  # plain text: 2^10
_TEXT_SUB = re.compile(r"([_^])\s*(\\(?:text|mathrm|textrm|mathit|mathbf|operatorname)\s*\{[^{}]*\})")
_ACRONYM = re.compile(r"(?<![\\A-Za-z{])(" + "|".join(sorted(ACRONYMS, key=len, reverse=True)) + r")(?![A-Za-z}])")
_TRANSPOSE = (
    r"\s*\^\s*(?:\{\s*(?:T|\\top|\\intercal|\\mathsf\{T\}|\\mathrm\{T\}|\\mathsf\s*T)\s*\}"
    r"|T\b|\\top\b|\\intercal\b)"
)


def _percent(m: re.Match) -> str:
    """``72\\%`` → ``0.72``, ``1.4\\%`` → ``0.014``: a percentage is a decimal with two more places."""
    whole, _, frac = m.group(1).partition(".")
    digits = whole + frac
    places = len(frac) + 2
    digits = digits.rjust(places + 1, "0")
    value = digits[:-places].lstrip("0") or "0"
    return value + "." + digits[-places:]


def _latex_notation(s: str) -> str:
    s = s.replace(r"\cfrac", r"\frac").replace(r"\tfrac", r"\frac").replace(r"\dfrac", r"\frac")
    if "\\" in s:  # the rewrites of commands (most math of a long document has few)
        s = _commands(s)
    if "%" in s:
        s = _PERCENT.sub(_percent, s)
    if "^" in s:
        s = _EXP_SIGNED.sub(lambda m: "^{" + m.group(1) + "}", s)
    if "\\" in s:
        s = _TEXT_SUB.sub(lambda m: m.group(1) + "{" + m.group(2) + "}", s)
    if s != s.lower():  # every acronym has capitals
        s = _ACRONYM.sub(r"\\mathrm{\1}", s)
    s = _column_tuples(s)
    return s


def _commands(s: str) -> str:
    s = re.sub(r"\\operatorname\*?\s*\{\s*([A-Za-z]+)\s*\}", r"\\mathrm{\1}", s)
    s = re.sub(r"\\overrightarrow\s*\{", r"\\vec{", s)
    s = re.sub(
        r"\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big)\s*"
        r"(?=\\(?:lfloor|rfloor|lceil|rceil|lVert|rVert|Vert|\|))",
        "",
        s,
    )
    s = re.sub(r"\\(?:lVert|rVert|Vert)(?![A-Za-z])", r"\\|", s)
    return re.sub(r"\\(?:lvert|rvert)(?![A-Za-z])", "|", s)


def _column_tuples(s: str) -> str:
    """``(1, 2)^\\top`` is a column vector written on its side: ``\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}``."""
    if "^" not in s:
        return s
    out, i = [], 0
    pattern = re.compile(_TRANSPOSE)
    while i < len(s):
        if s[i] == "(":
            end = _matching(s, i)
            if end > 0:
                m = pattern.match(s, end + 1)
                inner = s[i + 1 : end]
                parts = _top_commas(inner)
                if m and len(parts) > 1 and all(p.strip() for p in parts):
                    out.append(r"\begin{bmatrix} " + r" \\ ".join(p.strip() for p in parts) + r" \end{bmatrix}")
                    i = m.end()
                    continue
        out.append(s[i])
        i += 1
    return "".join(out)


def _top_commas(s: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, c in enumerate(s):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(s[start:k])
            start = k + 1
    parts.append(s[start:])
    return parts
