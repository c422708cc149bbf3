"""The ``exactml`` command line: argument parsing and error reporting only.

Exit status: 0 success, 1 bad data (or, for ``check``, a wrong claim),
2 usage errors, unreadable input, output that cannot be written, and TeX
failures.  Every error is one line on stderr, never a traceback; a closed
pipe (``exactml check f.tex | head -1``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..exact import ExactMLError
from ..registry import BY_NAME
from .deriving import UsageError, command, derive
from .options import OptionError, parse_options


def _version() -> str:
    """The installed distribution's version (the same as ``exactml.__version__``, its one source)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("exactml")
    except PackageNotFoundError:  # run from a checkout that was never installed
        from .. import __version__

        return __version__


# ----------------------------------------------------------------- the parser
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="exactml",
        description="Exact, step-by-step derivations of classic machine-learning algorithms.",
        epilog="Exit status: 0 success, 1 bad data (check: a wrong claim), 2 usage, file or TeX errors.",
    )
    p.add_argument("--version", action="version", version=f"exactml {_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="{handout,derive,check}")

    h = sub.add_parser(
        "handout",
        help="write the LaTeX handout, or a handout on your own data (--config)",
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
    h.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that holds files exactml did not write (they are kept)",
    )

    d = sub.add_parser(
        "derive",
        help="derive one algorithm on your own CSV data",
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
    common.add_argument(
        "--option",
        "-o",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an option of the algorithm (see below; repeatable)",
    )
    for algo in BY_NAME.values():
        algos.add_parser(
            algo.name,
            parents=[common],
            help=algo.summary,
            description=algo.summary + ".",
            epilog=command(algo.name).help(),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    c = sub.add_parser(
        "check",
        help="check the arithmetic of a hand-written derivation",
        description="Check every = and \\approx claim in the math of documents.",
    )
    c.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="a .tex, .md or .txt file with math in $...$, $$...$$, \\[...\\] or plain lines",
    )
    c.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="json: one object per file (one per line when there are several files)",
    )
    c.add_argument("--jobs", "-j", type=int, default=0, help="processes to check files with (default: one per core)")
    c.add_argument(
        "--recompute", action="store_true", help="also run the engine on the data the document states and compare"
    )
    c.add_argument(
        "--max-bytes",
        type=int,
        default=10_000_000,
        metavar="N",
        help="read at most N bytes of the file (default 10,000,000)",
    )
    return p


# ----------------------------------------------------------------- commands
def _digits(value: int | None) -> int:
    if value is None:
        return 3
    if not 0 <= value <= 30:
        raise UsageError("--digits must be between 0 and 30")
    return value


def _handout(args: argparse.Namespace) -> int:
    from .. import handout

    if args.config:
        if args.sections:
            raise UsageError(
                "--sections belongs to the source's handout; with --config, list the chapters in the TOML file"
            )
        from ..handout.config import build_config

        paths = build_config(
            args.config, args.out, force=args.force, digits=None if args.digits is None else _digits(args.digits)
        )
    else:
        sections = [s.strip() for s in args.sections.split(",")] if args.sections else None
        try:
            paths = handout.build(args.out, sections=sections, digits=_digits(args.digits), force=args.force)
        except ValueError as err:  # an unknown section, or an output folder that must not be written
            raise UsageError(str(err)) from None
    main_file = paths[-1]
    files = "1 file" if len(paths) == 1 else f"{len(paths)} files"
    print(f"wrote {files} to {main_file.parent}{os.sep} (main file: {main_file.name})")
    if args.pdf:
        print(f"compiled {handout.compile_pdf(main_file.parent, main_file.name)}")
    return 0


def _derive(args: argparse.Namespace) -> int:
    from .. import handout
    from ..handout.output import prepare_file, write_atomic

    digits = _digits(args.digits)
    if (args.fragment or args.pdf or args.force) and not args.out:
        raise UsageError("--fragment, --pdf and --force go with --out FILE.tex")
    if args.fragment and args.pdf:
        raise UsageError("--fragment writes a body for \\input, which does not compile on its own: drop --pdf")
    if args.pdf and not args.out.endswith(".tex"):
        raise UsageError("--pdf needs an --out file ending in .tex")
    options = parse_options(args.algorithm, command(args.algorithm), args.option)
    out = None
    if args.out is not None:
        inputs = [args.data] + ([options["weights"]] if "weights" in options else [])
        out = prepare_file(args.out, inputs=inputs, force=args.force)
        if args.pdf:
            prepare_file(out.with_suffix(".pdf"), inputs=inputs, force=args.force)
    derivation = derive(args.algorithm, args.data, args.target, options)
    if out is None:
        from ..latex.render import fill
        from ..latex.text import plain, render_text

        if derivation.intro:  # the text printer shows steps only; the intro states choices such as a seed
            print(plain(fill(derivation.intro, derivation.names, escape=str)))
        print(render_text(derivation, digits=digits))
        return 0
    body = derivation.to_latex(digits=digits)
    if args.fragment:
        write_atomic(out, body + "\n")
    else:
        from ..latex.render import fill

        title = fill(derivation.title, derivation.names)
        write_atomic(out, handout.standalone(body, title, _source_line(args)))
    print(f"wrote {out}")
    if args.pdf:
        print(f"compiled {_compile_beside(out)}")
    return 0


def _compile_beside(tex: Path) -> Path:
    """Compile a standalone file in the user's folder, leaving only the PDF (the log too if it fails)."""
    from ..handout import compile_pdf
    from ..handout.output import LATEX_BYPRODUCTS

    leftovers = [tex.with_suffix(ext) for ext in LATEX_BYPRODUCTS if ext not in (".pdf", ".log")]
    leftovers = [p for p in leftovers if not p.exists()]  # never remove a file that was there before
    log = tex.with_suffix(".log")
    log_existed = log.exists()
    try:
        pdf = compile_pdf(tex.parent, tex.name)
    except Exception:
        _remove(leftovers)  # the log stays: the message points at it
        raise
    _remove(leftovers + ([] if log_existed else [log]))
    return pdf


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_file() and not path.is_symlink():
            path.unlink()


def _source_line(args: argparse.Namespace) -> str:
    from ..latex.render import tex_escape

    return r"Derived exactly by exactml from \texttt{" + tex_escape(Path(args.data).name) + "}"


def _check(args: argparse.Namespace) -> int:
    from ..checker.batch import check_files

    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per core) or more")
    if args.max_bytes < 1:
        raise UsageError("--max-bytes must be a positive number of bytes")
    if len(args.files) == 1 and args.format == "text" and not args.recompute:
        return _stream_check(args.files[0], args.max_bytes)
    results = check_files(args.files, jobs=args.jobs or None, recompute=args.recompute, max_bytes=args.max_bytes)
    try:
        return _report_checks(args, results)
    except BrokenPipeError:  # the reader stopped reading (| head): not an error of the documents
        sys.stderr.close()
        return 1 if any(r.wrong for r in results) else 0


FREEZE_EVERY = 5_000  # claims
GC_THRESHOLD = 20_000  # allocations between collections of the youngest generation, while checking


def _stream_check(path: str, max_bytes: int) -> int:
    """One file, its verdicts printed as they are known; the summary comes last (``| head`` stops the check)."""
    from ..checker import iter_check
    from ..checker.report import claim_lines, closing_line, summary_line
    from ..checker.source import SourceError, read_source

    try:
        text = read_source(path, max_bytes)
    except SourceError as err:
        raise UsageError(str(err)) from None
    checking = iter_check(text)
    gc.freeze()  # the math read (see below)
    # A check allocates a few objects per claim that mostly live on (the names defined): collecting the
    # youngest generation every 20,000 allocations instead of 700 halves the collector's share of the time.
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    if checking.no_math:
        print(
            f"exactml: {path}: no math found (nothing in $...$, \\[...\\], an equation environment "
            "or a line like 'x = 2 + 3')",
            file=sys.stderr,
        )
    width = len(str(text.count("\n") + 1))  # the document's last line: the widest line number there can be
    groups = checking.batches()
    printed = 0
    try:
        for claims in groups:
            print("\n".join(line for c in claims for line in claim_lines(c, width)))
            sys.stdout.flush()  # each group as soon as it is known
            if printed // FREEZE_EVERY != (printed + len(claims)) // FREEZE_EVERY:
                # This process ends with the check: what survived so far (the names defined, the values met)
                # is left out of later garbage collections instead of being scanned again by each of them.
                gc.freeze()
            printed += len(claims)
        wrong = checking.counts["wrong"]
        print(summary_line(checking.counts, path))
        print(closing_line(wrong, checking.first_wrong, checking.no_math))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped reading (| head): stop checking, end quietly
        groups.close()
        _quiet_stdout()
        return 1 if checking.counts["wrong"] else 0
    except Exception as err:  # noqa: BLE001 - a checker bug must not look like a wrong claim (exit 1)
        groups.close()
        print(f"exactml: could not check {path}: an internal {type(err).__name__}; please report it", file=sys.stderr)
        return 2
    return 1 if wrong else 0


def _report_checks(args: argparse.Namespace, results: list) -> int:
    single = len(results) == 1
    unreadable = False
    for r in results:
        if r.report is None:
            unreadable = True
            if not single:
                print(f"exactml: {r.error}", file=sys.stderr)
            continue
        if r.report.no_math:
            print(
                f"exactml: {r.path}: no math found (nothing in $...$, \\[...\\], an equation environment "
                "or a line like 'x = 2 + 3')",
                file=sys.stderr,
            )
        if args.format == "json":
            print(r.report.to_json(r.path, indent=2 if single else None))
        elif single:
            print(r.report.to_text(r.path))
        else:
            print(r.report.summary(r.path))
            for c in r.report.wrong:
                print(f"  ✗ line {c.line}: {c.source[:100]}")
    if single and unreadable:
        raise UsageError(results[0].error)
    if unreadable:
        return 2
    return 1 if any(r.wrong for r in results) else 0


def _quiet_stdout() -> None:
    # After a closed pipe, Python would report the failed flush at exit: point stdout at nothing.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    from ..handout import LatexError
    from ..handout.config import ConfigError
    from ..handout.output import OutputError, describe_os_error

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
    except KeyboardInterrupt:
        print("exactml: interrupted", file=sys.stderr)
        return 130
    except (UsageError, OptionError, OutputError, ConfigError, LatexError) as err:
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
