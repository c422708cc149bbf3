"""A handout on the teacher's own data: ``exactml handout --config course.toml``.

The TOML file names a title, an author line and a list of chapters, each an
algorithm run on a data file with its options (the same options as
``exactml derive ALGO``); optionally a draft — the teacher's own LaTeX or
Markdown notes — whose arithmetic is checked against the engine and listed
in an errata appendix::

    title = "Machine Learning, Worked Exactly"
    author = "Year 12 Data Science"
    digits = 3                     # optional: decimals beside exact values
    draft = "notes.md"             # optional: check it, list its slips

    [[chapter]]
    algorithm = "knn"              # linreg, tree, svm, knn, kmeans or nn
    title = "Which fruit is it?"   # optional
    data = "fruit.csv"             # relative to this file
    target = "fruit"
    options = { k = 3, query = [160, 7] }

Lists are written as TOML arrays (``query = [160, 7]``,
``init = [[1, 1], [9, 9]]``); decimals such as ``0.1`` are read as text and
converted exactly.  The document is written as ``<name of the TOML file>.tex``
in the output folder, with the handout's preamble; its chapters are numbered
from 1.  A complete example ships in ``exactml/examples/course.toml``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class ConfigError(ValueError):
    """A mistake in the TOML file: the message names the key (and chapter) at fault."""


@dataclass(frozen=True)
class Chapter:
    algorithm: str
    data: Path
    title: str | None = None
    target: str | None = None
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Course:
    source: Path
    title: str
    author: str
    chapters: tuple[Chapter, ...]
    digits: int = 3
    draft: Path | None = None


_TOP = {"title", "author", "digits", "draft", "chapter"}
_CHAPTER = {"algorithm", "data", "title", "target", "options"}

# A few sentences of our own before each algorithm's derivation: what it is for.
INTRODUCTIONS = {
    "linreg": (
        "Linear regression predicts a number as a weighted sum of the features plus an intercept. "
        "The weights chosen are those that make the sum of squared errors on the data as small as "
        "possible; setting its gradient to zero gives the normal equations $X^T X w = X^T y$, solved "
        "below exactly, fraction by fraction."
    ),
    "tree": (
        "A decision tree asks one question about one feature at each node. At every node it measures how "
        "mixed the classes are (the impurity), tries each feature, and keeps the question whose branches are "
        "purest on average: the one with the largest information gain."
    ),
    "svm": (
        "A support vector machine separates two classes by the line (or plane) that leaves the widest empty "
        "strip between them. Finding it is a quadratic programme; its dual is solved exactly below, and the "
        "points that touch the strip, the support vectors, alone decide the answer."
    ),
    "knn": (
        "k-nearest neighbours has nothing to fit: a new point gets the class most common among the $k$ known "
        "points closest to it. Everything hinges on the distances, computed exactly below and compared "
        "through their squares, so that no rounding can change the order."
    ),
    "kmeans": (
        "K-means groups points around $k$ centres. It alternates two steps until nothing changes: give each "
        "point to its nearest centre, then move each centre to the mean of its points. Each step can only "
        "lower the total squared distance, so the iterations end."
    ),
    "nn": (
        "A neural network computes layer by layer: a weighted sum of the previous layer, then an activation. "
        "Learning needs the gradient of the loss with respect to every weight, which backpropagation obtains "
        "with the chain rule, from the output back to the input, one local derivative at a time."
    ),
}


def _fail(message: str, path: Path) -> ConfigError:
    return ConfigError(f"{path}: {message}")


def _option_text(value: Any, name: str, where: str, path: Path) -> str:
    """A TOML value as the command line would write it: 1/2, 38,65,710 or 1,1;9,9."""
    if isinstance(value, bool):
        raise _fail(f"{where}: option {name} is true/false; give a number or a word", path)
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return ";".join(_option_text(v, name, where, path) for v in value)
    if isinstance(value, list) and value and not any(isinstance(v, (list, dict, bool)) for v in value):
        return ",".join(str(v) for v in value)
    raise _fail(f"{where}: option {name} must be a number, a word, or a list of numbers", path)


def load(path: str | Path) -> Course:
    """Read and validate a course file (paths in it are relative to its folder)."""
    from ..cli.deriving import command
    from ..cli.options import OptionError, parse_options
    from ..registry import BY_NAME

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read {path}: {getattr(err, 'strerror', None) or err}") from None
    try:
        raw = tomllib.loads(text, parse_float=str)  # 0.1 stays the text "0.1", read exactly later
    except tomllib.TOMLDecodeError as err:
        raise _fail(f"not valid TOML: {err}", path) from None
    unknown = sorted(set(raw) - _TOP)
    if unknown:
        raise _fail(f"unknown key {unknown[0]!r}; the keys are {', '.join(sorted(_TOP))}", path)
    for key in ("title", "author"):
        if not isinstance(raw.get(key, ""), str):
            raise _fail(f"{key} must be text", path)
    chapters = raw.get("chapter")
    if not isinstance(chapters, list) or not chapters:
        raise _fail("no chapters: add at least one [[chapter]] with algorithm and data", path)
    digits = raw.get("digits", 3)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 30:
        raise _fail("digits must be a whole number from 0 to 30", path)
    folder = path.parent
    out = []
    for i, ch in enumerate(chapters, start=1):
        where = f"chapter {i}"
        if not isinstance(ch, dict):
            raise _fail(f"{where} is not a table", path)
        unknown = sorted(set(ch) - _CHAPTER)
        if unknown:
            raise _fail(f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(sorted(_CHAPTER))}", path)
        algorithm = ch.get("algorithm")
        if algorithm not in BY_NAME:
            raise _fail(f"{where}: algorithm must be one of {', '.join(BY_NAME)}, got {algorithm!r}", path)
        if not isinstance(ch.get("data"), str) or not ch["data"].strip():
            raise _fail(f"{where}: data must name a CSV file", path)
        for key in ("title", "target"):
            if key in ch and not isinstance(ch[key], str):
                raise _fail(f"{where}: {key} must be text", path)
        options = ch.get("options", {})
        if not isinstance(options, dict):
            raise _fail(f"{where}: options must be a table, e.g. options = {{ k = 3 }}", path)
        pairs = []
        for name, value in options.items():
            text = _option_text(value, name, where, path)
            if name == "weights":  # a file, relative to the course file
                text = str(folder / text)
            pairs.append(f"{name}={text}")
        try:
            parsed = parse_options(algorithm, command(algorithm), pairs)
        except OptionError as err:
            raise _fail(f"{where} ({algorithm}): {err}", path) from None
        out.append(Chapter(algorithm, folder / ch["data"], ch.get("title"), ch.get("target"), parsed))
    draft = raw.get("draft")
    if draft is not None and (not isinstance(draft, str) or not draft.strip()):
        raise _fail("draft must name a LaTeX or Markdown file", path)
    return Course(
        path,
        raw.get("title", "Machine Learning, Worked Exactly"),
        raw.get("author", ""),
        tuple(out),
        digits,
        folder / draft if draft else None,
    )


def chapter_latex(chapter: Chapter, digits: int) -> str:
    """One chapter: a section with an introduction, then the derivation's steps and figures."""
    from ..cli.deriving import derive
    from ..derivation import Figure
    from ..latex.render import LatexRenderer, fill, tex_escape

    d = derive(chapter.algorithm, str(chapter.data), chapter.target, chapter.options)
    renderer = LatexRenderer(digits=digits)
    title = tex_escape(chapter.title) if chapter.title else fill(d.title, d.names)
    parts = [
        r"\section{" + title + "}",
        INTRODUCTIONS[chapter.algorithm],
        r"The data are read from \texttt{" + tex_escape(chapter.data.name) + "}.",
    ]
    figure = _extra_figure(chapter, d)
    if figure is not None:  # placed before the steps, so that it floats near its chapter
        parts.append(renderer.block(Figure(*figure)))
    parts.append(renderer.derivation(d))
    return "\n\n".join(parts)


def _extra_figure(chapter: Chapter, d: Any) -> tuple | None:
    """Figures the handout's chapters draw themselves (an SVM in the plane, the network), on this data."""
    from ..cli.readers import table_from
    from ..exact import exact

    if chapter.algorithm == "svm" and chapter.options.get("kernel", "linear") == "linear":
        header, body = table_from(chapter.data.read_text(encoding="utf-8-sig"))
        w = d["w"].result
        if len(header) != 3 or all(v == 0 for v in w):  # the figure is a plane with a line in it
            return None
        t = header.index(chapter.target)
        try:
            negative, positive = d["labels"].result  # the classes, coded -1 and +1
            signs = [1 if r[t] == str(positive) else -1 for r in body]
        except KeyError:  # the classes are -1 and +1 already
            negative, positive = -1, 1
            signs = [1 if exact(r[t]) > 0 else -1 for r in body]
        return (
            "svm",
            {
                "points": [[exact(v) for j, v in enumerate(r) if j != t] for r in body],
                "y": signs,
                "w": w,
                "b": d["b"].result,
                "support": [i - 1 for i in d["support"].result],
                "labels": (f"{chapter.target} = {negative}", f"{chapter.target} = {positive}"),
                "features": tuple(h for j, h in enumerate(header) if j != t),
            },
            (
                "The data, the separating line $w^T x + b = 0$ and the margin lines $w^T x + b = \\pm 1$; "
                "the support vectors are ringed."
            ),
        )
    if chapter.algorithm == "nn":
        from ..nn.command import _read_weights

        spec = _read_weights(chapter.options["weights"])
        first = next(iter(d))  # the first row's pass, made with the weights of the file
        layers = len(spec["W"])
        return (
            "nn",
            {
                "weights": [[[exact(v) for v in row] for row in W] for W in spec["W"]],
                "biases": [[exact(v) for v in b] for b in spec["b"]],
                "inputs": list(first["input"].result),
                "z": [list(first[f"z{i}"].result) for i in range(1, layers + 1)],
                "a": [list(first[f"a{i}"].result) for i in range(1, layers + 1)],
            },
            (
                "The network on the first example shown: the weight on each edge, the bias below each neuron, "
                "and each neuron's weighted input $z$ and activation $a$."
            ),
        )
    return None


def errata_latex(course: Course) -> str:
    """An appendix listing every claim of the draft that the engine contradicts."""
    from ..checker import check
    from ..latex.render import tex_escape
    from .output import OutputError

    draft = course.draft
    try:
        text = draft.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OutputError(f"{course.source}: the draft {draft} does not exist") from None
    except (OSError, UnicodeDecodeError) as err:
        raise OutputError(
            f"{course.source}: cannot read the draft {draft}: {getattr(err, 'strerror', None) or err}"
        ) from None
    report = check(text, recompute=True)
    counts = report.counts()
    name = tex_escape(draft.name)
    lines = [
        r"\clearpage",
        r"\appendix",
        r"\section{Errata: the draft checked against the engine}",
        (
            f"Every equation of \\texttt{{{name}}} was checked: {len(report.claims)} claims, {counts['ok']} right, "
            f"{counts['wrong']} wrong, {counts['carried']} carried (right given an earlier wrong value), "
            f"{counts['unchecked']} that could not be judged."
        ),
    ]
    wrong = [c for c in report.claims if c.status in ("wrong", "carried")]
    if not wrong:
        lines.append("No claim of the draft is wrong.")
        return "\n\n".join(lines)
    rows = [
        r"{\small",
        (
            r"\begin{longtable}{@{}r >{\raggedright\arraybackslash}p{6.2cm} >{\raggedright\arraybackslash}p{2.4cm}"
            r" >{\raggedright\arraybackslash}p{3.6cm}@{}}"
        ),
        r"\toprule",
        r"Line & Claim & Stated & Exact \\",
        r"\midrule",
        r"\endhead",
    ]
    for c in wrong:
        kind = "" if c.status == "wrong" else r" \emph{(carried)}"
        rows.append(
            f"{c.line} & \\texttt{{{_short(c.source)}}}{kind} & \\texttt{{{_short(c.stated, 30)}}} & "
            f"\\texttt{{{_short(c.exact or '', 40)}}} \\\\"
        )
    rows += [r"\bottomrule", r"\end{longtable}", "}"]
    return "\n\n".join(lines) + "\n\n" + "\n".join(rows)


def _short(text: str, limit: int = 90) -> str:
    from ..latex.render import tex_escape

    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # Break long monospaced runs at spaces and operators so the column can wrap.
    text = tex_escape(text).replace(" ", r" \allowbreak ")
    return "".join(_UNICODE_TEX.get(ch, ch if ord(ch) < 128 else "?") for ch in text)


# The checker writes its exact values with a few unicode signs; pdflatex needs them spelt out.
_UNICODE_TEX = {
    "…": r"\ldots{}",
    "≈": r"\ensuremath{\approx}",
    "×": r"\ensuremath{\times}",
    "−": "-",
    "ᵀ": r"\ensuremath{^T}",
    "√": r"\ensuremath{\surd}",
    "≤": r"\ensuremath{\le}",
    "≥": r"\ensuremath{\ge}",
    "·": r"\ensuremath{\cdot}",
}


def render(course: Course) -> dict[str, str]:
    """File name → LaTeX: one document, ``<stem>.tex``."""
    from ..latex.render import tex_escape
    from . import standalone

    chapters = [chapter_latex(ch, course.digits) for ch in course.chapters]
    if course.draft is not None:
        chapters.append(errata_latex(course))
    body = "\n\n".join(chapters)
    text = standalone(body, tex_escape(course.title), tex_escape(course.author), contents=True)
    return {f"{course.source.stem}.tex": text}


def build_config(path: str | Path, out_dir: str | Path, force: bool = False, digits: int | None = None) -> list[Path]:
    """Write the document a course file describes into ``out_dir``; return the paths written."""
    from .output import write_folder

    course = load(path)
    if digits is not None:
        course = Course(course.source, course.title, course.author, course.chapters, digits, course.draft)
    inputs = [
        course.source,
        *(ch.data for ch in course.chapters),
        *(ch.options["weights"] for ch in course.chapters if "weights" in ch.options),
    ]
    if course.draft is not None:
        inputs.append(course.draft)
    return write_folder(out_dir, render(course), force=force, inputs=inputs)
