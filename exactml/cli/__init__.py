"""The ``exactml`` command line: argument parsing and error reporting only.

Exit status: 0 success, 1 bad data (or, for ``check``, a wrong claim),
2 usage errors and unreadable input.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Sequence

from ..exact import DataError, ExactMLError, check_digits
from ..registry import BY_NAME


class UsageError(Exception):
    """A mistake in the command line itself (exit status 2)."""


def _digits(text: str) -> int:
    try:
        return check_digits(int(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to 30; got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="exactml",
        description="Exact, step-by-step derivations of classic machine-learning algorithms.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    h = sub.add_parser("handout", help="write the LaTeX handout (and optionally its PDF)")
    h.add_argument("--out", default="latex_out", help="output folder (default: latex_out)")
    h.add_argument("--sections", help="comma-separated subset: intro,linreg,tree,svm,knn,kmeans,nn,conclusion")
    h.add_argument("--digits", type=_digits, default=3, help="decimal places shown beside exact values (default 3)")
    h.add_argument("--pdf", action="store_true", help="also run latexmk -pdf (needs TeX Live)")

    d = sub.add_parser("derive", help="derive one algorithm on your own CSV data")
    d.add_argument("algorithm", choices=sorted(BY_NAME), help="which algorithm")
    d.add_argument("--data", required=True, help="CSV file with a header line")
    d.add_argument("--target", help="the column to predict (linreg, tree, svm, knn)")
    d.add_argument("--out", help="write LaTeX here instead of printing text")
    d.add_argument("--digits", type=_digits, default=3, help="decimal places shown beside exact values")
    d.add_argument("--option", "-o", action="append", default=[], metavar="NAME=VALUE",
                   help="an algorithm option, e.g. -o alpha=1/2, -o criterion=entropy, -o k=3, "
                        "-o query=38,65,710, -o init=2,8;8,2, -o weights=FILE.json (repeatable)")

    c = sub.add_parser("check", help="check the arithmetic of a hand-written derivation")
    c.add_argument("file", help="a .tex, .md or .txt file with math in $...$, $$...$$ or \\[...\\]")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.add_argument("--recompute", action="store_true",
                   help="also run the engine on the data the document states and compare")
    c.add_argument("--max-bytes", type=int, default=10_000_000, metavar="N",
                   help="read at most N bytes of the file (default 10,000,000)")
    return p


def _options(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"option {pair!r} is not NAME=VALUE")
        out[name.strip()] = value.strip()
    return out


def _read(path: str, max_bytes: int | None = None) -> str:
    from ..checker.source import SourceError, read_source

    try:  # regular files only: /dev/zero, a FIFO or a directory is refused, not read forever
        return read_source(path, max_bytes)
    except SourceError as err:
        raise UsageError(str(err)) from None


def _handout(args: argparse.Namespace) -> int:
    from .. import handout

    sections = [s.strip() for s in args.sections.split(",")] if args.sections else None
    try:
        paths = handout.build(args.out, sections=sections, digits=args.digits)
    except ValueError as err:
        raise UsageError(str(err)) from None
    print(f"wrote {len(paths)} files to {args.out}/ (main file: handout.tex)")
    if args.pdf:
        try:
            pdf = handout.compile_pdf(args.out)
        except handout.LatexNotInstalled as err:
            print(f"exactml: {err}", file=sys.stderr)
            return 2
        print(f"compiled {pdf}")
    return 0


def _derive(args: argparse.Namespace) -> int:
    from .progress import progress_note
    from .readers import table_from

    derive_table = BY_NAME[args.algorithm].deriver()
    options = _options(args.option)
    # A million rows are millions of Python objects and no reference cycles: the cyclic garbage
    # collector would only rescan them again and again (it tripled the time of a 1,000,000-row fit).
    gc.disable()
    try:
        with progress_note(f"reading and deriving {args.data}"):
            header, body = table_from(_read(args.data), source=args.data)
            derivation = derive_table(header, body, target=args.target, **options)
    except TypeError as err:
        raise UsageError(f"{args.algorithm}: {err}") from None
    except DataError as err:
        # Rows of the data table are lines of the file (after the header); rows of an
        # option such as -o init=… are not.
        in_table = err.row is not None and err.name in (None, "X", "y")
        where = f"{args.data} line {err.row + 2}: " if in_table else f"{args.data}: "
        raise DataError(where + str(err), err.row, err.column, err.name) from None
    finally:
        gc.enable()
    if args.out:
        Path(args.out).write_text(derivation.to_latex(digits=args.digits) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        from ..latex.text import render_text

        print(render_text(derivation, digits=args.digits))
    return 0


def _check(args: argparse.Namespace) -> int:
    from ..checker import check

    text = _read(args.file, args.max_bytes)
    report = check(text, recompute=args.recompute)
    print(report.to_json() if args.format == "json" else report.to_text(args.file))
    return 1 if report.wrong else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    commands = {"handout": _handout, "derive": _derive, "check": _check}
    try:
        return commands[args.command](args)
    except UsageError as err:
        print(f"exactml: {err}", file=sys.stderr)
        return 2
    except ExactMLError as err:
        print(f"exactml: {err}", file=sys.stderr)
        return 1
    except ValueError as err:  # every user mistake in the engine is a ValueError
        print(f"exactml: {err}", file=sys.stderr)
        return 1
