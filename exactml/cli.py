"""The ``exactml`` command line: argument parsing and error reporting only.

Exit status: 0 success, 1 bad data (or, for ``check``, a wrong claim),
2 usage errors, unreadable input, output that cannot be written, and TeX
failures.  Every error is one line on stderr, never a traceback; a closed
pipe (``exactml check f.tex | head -1``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .exact import DataError, ExactMLError, exact


class UsageError(Exception):
    """A mistake in the command line itself (exit status 2)."""


# ----------------------------------------------------------------- algorithm options
@dataclass(frozen=True)
class Option:
    """One ``-o NAME=VALUE`` option of an algorithm, as ``exactml derive ALGO --help`` prints it."""

    name: str
    meaning: str
    example: str
    default: str | None = None  # as the user would write it; None: no default
    required: bool = False
    check: Callable[[str], object] | None = None  # raises ValueError saying what is wrong


def _whole(least: int) -> Callable[[str], int]:
    def check(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise ValueError("is not a whole number") from None
        if n < least:
            raise ValueError(f"must be at least {least}")
        return n

    return check


def _number(value: str) -> object:
    try:
        return exact(value)
    except ValueError:
        raise ValueError("is not a number (write 3, -1/2 or 0.25)") from None


def _positive(value: str) -> object:
    v = _number(value)
    if not (v.is_number and v.is_positive):
        raise ValueError("must be a positive number")
    return v


def _one_of(*choices: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in choices:
            raise ValueError(f"is not one of {', '.join(choices)}")
        return value

    return check


def _point(value: str) -> list:
    try:
        return [exact(v) for v in value.split(",")]
    except ValueError:
        raise ValueError("must be numbers separated by commas, e.g. 38,65,710") from None


def _points(value: str) -> list:
    return [_point(p) for p in value.split(";")]


def _centres(value: str) -> object:
    if value in ("k-means++", "first"):
        return value
    try:
        return _points(value)
    except ValueError:
        raise ValueError('must be k-means++, first, or centres such as "2,8;8,2" (quote it: ; ends a shell command)') \
            from None


def _file(value: str) -> str:
    if not Path(value).is_file():
        raise ValueError("is not a readable file")
    return value


def _depth(value: str) -> object:
    return None if value.lower() == "none" else _whole(1)(value)


def _svm_c(value: str) -> object:
    return None if value.lower() in ("hard", "none", "inf") else _positive(value)


@dataclass(frozen=True)
class Algorithm:
    name: str
    module: str  # provides derive_table(header, body, target=None, **options)
    summary: str
    data: str  # what the CSV holds, for --help
    target: str | None  # what --target names (None: not used)
    example: str
    options: tuple[Option, ...]


ALGORITHMS = {a.name: a for a in (
    Algorithm(
        "linreg", "exactml.linreg", "linear regression by the normal equations",
        "numeric feature columns and one numeric column to predict",
        "the column to predict (required)",
        "exactml derive linreg --data houses.csv --target price",
        (Option("alpha", "ridge penalty: minimise SSE + alpha·|w|² (0 = ordinary least squares; "
                "use alpha > 0 when XᵀX is singular)", "1/2", default="0", check=_number),),
    ),
    Algorithm(
        "tree", "exactml.tree", "decision-tree splits (Gini or entropy), node by node",
        "categorical or numeric feature columns and one column of classes",
        "the column of classes (required)",
        "exactml derive tree --data buyers.csv --target Buys -o criterion=entropy",
        (Option("criterion", "impurity measure: gini or entropy", "entropy", default="gini",
                check=_one_of("gini", "entropy")),
         Option("max_depth", "stop splitting at this depth (a whole number ≥ 1, or none)", "2", default="none",
                check=_depth),
         Option("min_samples_split", "a node with fewer examples is not split", "3", default="2",
                check=_whole(2))),
    ),
    Algorithm(
        "svm", "exactml.svm", "support vector machine (hard or soft margin), solved exactly",
        "numeric feature columns and one column holding two class labels",
        "the column of the two classes (required)",
        "exactml derive svm --data points.csv --target label",
        (Option("C", "soft-margin penalty (a positive number), or hard for a hard margin", "1", default="hard",
                check=_svm_c),
         Option("kernel", "linear, or poly for (xᵀz + coef0)^degree", "poly", default="linear",
                check=_one_of("linear", "poly")),
         Option("degree", "degree of the poly kernel (1 to 20)", "2", default="2",
                check=lambda v: _check_at_most(_whole(1)(v), 20)),
         Option("coef0", "constant of the poly kernel", "1", default="1", check=_number)),
    ),
    Algorithm(
        "knn", "exactml.knn", "k-nearest neighbours for one query point",
        "numeric feature columns and one column of classes",
        "the column of classes (required)",
        "exactml derive knn --data customers.csv --target Good -o query=38,65,710",
        (Option("query", "the point to classify: one number per feature column, in the CSV's order",
                "38,65,710", required=True, check=_point),
         Option("k", "how many neighbours vote", "3", default="3", check=_whole(1)),
         Option("weights", "uniform (one vote each) or distance (each vote weighs 1/d)", "distance",
                default="uniform", check=_one_of("uniform", "distance")),
         Option("metric", "euclidean, manhattan or minkowski", "manhattan", default="euclidean",
                check=_one_of("euclidean", "manhattan", "minkowski")),
         Option("p", "the power of the minkowski metric (a whole number ≥ 1)", "3", default="2",
                check=_whole(1))),
    ),
    Algorithm(
        "kmeans", "exactml.kmeans", "K-means (Lloyd's iterations until the assignment stops changing)",
        "numeric columns, one per coordinate (a --target column, if named, is left out)",
        "a column to leave out of the clustering (optional)",
        'exactml derive kmeans --data spend.csv -o k=2 -o init="1,1;9,9"',
        (Option("k", "the number of clusters", "2", required=True, check=_whole(1)),
         Option("init", 'initial centres: "x,y;x,y" (one per cluster; quote it), first (the first k rows), or '
                "k-means++ (random draws from the data, reproducible with random_state)", '"1,1;9,9"',
                default="k-means++", check=_centres),
         Option("random_state", "the seed of k-means++'s draws (stated in the derivation)", "7", default="0",
                check=_whole(0)),
         Option("max_iter", "stop after this many iterations at most", "10", default="300", check=_whole(1))),
    ),
    Algorithm(
        "nn", "exactml.nn", "one forward and backward pass of a small network per data row",
        "numeric input columns and one column to predict (by default the last column)",
        "the column the network predicts (optional; default: the last column)",
        "exactml derive nn --data xor.csv -o weights=net.json -o lr=1/10",
        (Option("weights", 'a JSON file: {"W1": [[2, 2], [2, 2]], "b1": [-1, -3], "W2": [[2, -4]], "b2": [-1]} '
                "(rows of W are neurons; numbers or strings such as \"1/2\"; optional \"activation\", \"loss\")",
                "net.json", required=True, check=_file),
         Option("lr", "learning rate: each row is followed by its update, and the next row sees the new "
                "weights (one epoch of SGD); without it, gradients only", "1/10", check=_positive),
         Option("row", "use only this data row (1 = the first line after the header)", "2", check=_whole(1)),
         Option("input", "use only the rows with these inputs", "0,1", check=_point),
         Option("activation", "sigmoid, tanh, relu or identity (overrides the JSON file)", "tanh",
                check=_one_of("sigmoid", "tanh", "relu", "identity")),
         Option("loss", "bce (cross-entropy; needs a sigmoid output) or mse (overrides the JSON file)", "mse",
                check=_one_of("bce", "mse"))),
    ),
)}


def _check_at_most(n: int, most: int) -> int:
    if n > most:
        raise ValueError(f"must be at most {most}")
    return n


def _options_help(algo: Algorithm) -> str:
    width = max(len(o.name) for o in algo.options)
    lines = [f"data: a CSV file with a header line; {algo.data}.",
             f"--target: {algo.target}." if algo.target else "--target: not used.",
             "", "options (-o NAME=VALUE, repeatable):"]
    for o in algo.options:
        state = "required" if o.required else (f"default {o.default}" if o.default is not None else "optional")
        lines.append(f"  {o.name:<{width}}  {o.meaning} [{state}; e.g. -o {o.name}={o.example}]")
    lines += ["", "example:", "  " + algo.example]
    return "\n".join(lines)


def parse_options(algo: Algorithm, pairs: Sequence[str]) -> dict[str, str]:
    """``-o NAME=VALUE`` pairs, checked against the algorithm's options (UsageError otherwise)."""
    known = {o.name: o for o in algo.options}
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise UsageError(f"option {pair!r} is not NAME=VALUE (e.g. -o {algo.options[0].name}="
                             f"{algo.options[0].example})")
        if name not in known:
            raise UsageError(f"{algo.name} has no option {name!r}; its options are {', '.join(known)} "
                             f"(exactml derive {algo.name} --help)")
        check = known[name].check
        try:
            if check is not None:
                check(value)
        except ValueError as err:
            raise UsageError(f"-o {name}={value}: {name} {err}") from None
        given[name] = value
    missing = [o for o in algo.options if o.required and o.name not in given]
    if missing:
        o = missing[0]
        raise UsageError(f"{algo.name} needs -o {o.name}=…: {o.meaning} (e.g. -o {o.name}={o.example})")
    # Defaults that the engine's own signature would not give (K-means starts from
    # k-means++ with seed 0 rather than from any data set's centres).
    for o in algo.options:
        if o.name not in given and o.default is not None and o.name in ("init", "random_state"):
            given[o.name] = o.default
    if given.get("init") == "first":
        given.pop("init")
    return given


def derive(algorithm: str, data_path: str, target: str | None, pairs: Sequence[str] | dict) -> object:
    """Run one algorithm on a CSV file: the derivation (errors name the file, line or option)."""
    from .exact import table_from

    algo = ALGORITHMS[algorithm]
    options = parse_options(algo, pairs) if not isinstance(pairs, dict) else pairs
    header, body = table_from(read_text(data_path), source=data_path)
    first_rows = None
    if algorithm == "kmeans" and "init" not in options:  # init=first: the first k rows, as written
        k = int(options["k"])
        if k > len(body):
            raise UsageError(f"-o k={k}: k is more than the {len(body)} data rows")
        columns = [j for j, h in enumerate(header) if h != target]
        first_rows = ";".join(",".join(body[i][j] for j in columns) for i in range(k))
        options = {**options, "init": first_rows}
    module = importlib.import_module(algo.module)
    try:
        return module.derive_table(header, body, target=target, **options)
    except DataError as err:
        # Rows of the data table are lines of the file (after the header); rows of an
        # option such as -o init=… are not.
        in_table = err.row is not None and err.name in (None, "X", "y")
        where = f"{data_path} line {err.row + 2}: " if in_table else f"{data_path}: "
        raise DataError(where + str(err), err.row, err.column, err.name) from None


# ----------------------------------------------------------------- the parser
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="exactml",
        description="Exact, step-by-step derivations of classic machine-learning algorithms.",
        epilog="Exit status: 0 success, 1 bad data (check: a wrong claim), 2 usage, file or TeX errors.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="{handout,derive,check}")

    h = sub.add_parser(
        "handout", help="write the LaTeX handout, or a handout on your own data (--config)",
        description="Write the handout's LaTeX (and optionally its PDF) into a folder. Only files a previous "
                    "build wrote there (listed in its .exactml-manifest) are replaced or deleted.",
        epilog="With --config course.toml the handout is built on your data: see exactml/examples/course.toml "
               "(python -c 'import exactml.examples as e; print(e.FOLDER)' prints where it is installed).",
    )
    h.add_argument("--out", default="latex_out", help="output folder (default: latex_out)")
    h.add_argument("--config", metavar="TOML", help="build a handout on your own data sets, described in a TOML file")
    h.add_argument("--sections", help="comma-separated subset: intro,linreg,tree,svm,knn,kmeans,nn,conclusion")
    h.add_argument("--digits", type=int, help="decimal places shown beside exact values (default 3)")
    h.add_argument("--pdf", action="store_true", help="also run latexmk -pdf (needs TeX Live)")
    h.add_argument("--force", action="store_true",
                   help="write into a folder that holds files exactml did not write (they are kept)")

    d = sub.add_parser(
        "derive", help="derive one algorithm on your own CSV data",
        description="Derive one algorithm on a CSV file. Without --out, plain text is printed; with --out "
                    "FILE.tex a LaTeX document that compiles on its own is written. "
                    "`exactml derive ALGO --help` lists the algorithm's options.",
    )
    algos = d.add_subparsers(dest="algorithm", required=True, metavar="ALGO")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", required=True, help="CSV file with a header line")
    common.add_argument("--target", help="the column to predict (see below)")
    common.add_argument("--out", help="write LaTeX here (a standalone document) instead of printing text")
    common.add_argument("--fragment", action="store_true", help="with --out: only the body, for \\input")
    common.add_argument("--pdf", action="store_true", help="with --out: also compile it with latexmk")
    common.add_argument("--force", action="store_true", help="replace an existing --out file")
    common.add_argument("--digits", type=int, default=3, help="decimal places shown beside exact values")
    common.add_argument("--option", "-o", action="append", default=[], metavar="NAME=VALUE",
                        help="an option of the algorithm (see below; repeatable)")
    for algo in ALGORITHMS.values():
        algos.add_parser(algo.name, parents=[common], help=algo.summary, description=algo.summary + ".",
                         epilog=_options_help(algo), formatter_class=argparse.RawDescriptionHelpFormatter)

    c = sub.add_parser("check", help="check the arithmetic of a hand-written derivation",
                       description="Check every = and \\approx claim in the math of a document.")
    c.add_argument("file", help="a .tex, .md or .txt file with math in $...$, $$...$$ or \\[...\\]")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.add_argument("--recompute", action="store_true",
                   help="also run the engine on the data the document states and compare")
    return p


# ----------------------------------------------------------------- commands
def read_text(path: str) -> str:
    p = Path(path)
    if str(path).strip() == "":
        raise UsageError("the input path is empty")
    if p.is_dir():
        raise UsageError(f"cannot read {path}: it is a folder, not a file")
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path}: it is not UTF-8 text") from None
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from None


def _digits(value: int | None) -> int:
    if value is None:
        return 3
    if not 0 <= value <= 30:
        raise UsageError("--digits must be between 0 and 30")
    return value


def _handout(args: argparse.Namespace) -> int:
    from . import handout

    if args.config:
        if args.sections:
            raise UsageError("--sections belongs to the source's handout; with --config, list the chapters in the TOML file")
        from .handout.config import build_config

        paths = build_config(args.config, args.out, force=args.force,
                             digits=None if args.digits is None else _digits(args.digits))
    else:
        sections = [s.strip() for s in args.sections.split(",")] if args.sections else None
        try:
            paths = handout.build(args.out, sections=sections, digits=_digits(args.digits), force=args.force)
        except handout.OutputError:
            raise
        except ValueError as err:
            raise UsageError(str(err)) from None
    main_file = paths[-1]
    print(f"wrote {len(paths)} files to {main_file.parent}{os.sep} (main file: {main_file.name})")
    if args.pdf:
        print(f"compiled {handout.compile_pdf(main_file.parent, main_file.name)}")
    return 0


def _derive(args: argparse.Namespace) -> int:
    from . import handout
    from .handout.output import prepare_file, write_atomic

    digits = _digits(args.digits)
    if (args.fragment or args.pdf or args.force) and not args.out:
        raise UsageError("--fragment, --pdf and --force go with --out FILE.tex")
    if args.fragment and args.pdf:
        raise UsageError("--fragment writes a body for \\input, which does not compile on its own: drop --pdf")
    if args.pdf and not args.out.endswith(".tex"):
        raise UsageError("--pdf needs an --out file ending in .tex")
    algo = ALGORITHMS[args.algorithm]
    options = parse_options(algo, args.option)
    out = None
    if args.out is not None:
        inputs = [args.data] + ([options["weights"]] if "weights" in options else [])
        out = prepare_file(args.out, inputs=inputs, force=args.force)
        if args.pdf:
            prepare_file(out.with_suffix(".pdf"), inputs=inputs, force=args.force)
    derivation = derive(args.algorithm, args.data, args.target, options)
    if out is None:
        from .latex.text import render_text

        print(render_text(derivation, digits=digits))
        return 0
    body = derivation.to_latex(digits=digits)
    if args.fragment:
        write_atomic(out, body + "\n")
    else:
        from .latex.render import fill

        title = fill(derivation.title, derivation.names)
        write_atomic(out, handout.standalone(body, title, _source_line(args)))
    print(f"wrote {out}")
    if args.pdf:
        print(f"compiled {handout.compile_pdf(out.parent, out.name)}")
    return 0


def _source_line(args: argparse.Namespace) -> str:
    from .latex.render import tex_escape

    return r"Derived exactly by exactml from \texttt{" + tex_escape(Path(args.data).name) + "}"


def _check(args: argparse.Namespace) -> int:
    from .checker import check

    text = read_text(args.file)
    report = check(text, recompute=args.recompute)
    print(report.to_json() if args.format == "json" else report.to_text(args.file))
    return 1 if report.wrong else 0


def _quiet_stdout() -> None:
    # After a closed pipe, Python would report the failed flush at exit: point stdout at nothing.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    from .handout import LatexError
    from .handout.config import ConfigError
    from .handout.output import OutputError, describe_os_error

    parser = _parser()
    args = parser.parse_args(argv)
    commands = {"handout": _handout, "derive": _derive, "check": _check}
    try:
        status = commands[args.command](args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _quiet_stdout()
        return 2
    except (UsageError, OutputError, ConfigError, LatexError) as err:
        print(f"exactml: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a write that no earlier check foresaw: still one line
        print(f"exactml: {describe_os_error(err, err.filename or 'the output')}", file=sys.stderr)
        return 2
    except ExactMLError as err:
        print(f"exactml: {err}", file=sys.stderr)
        return 1
    except ValueError as err:  # every user mistake in the engine is a ValueError
        print(f"exactml: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
