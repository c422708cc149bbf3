"""Writing output without losing anything the user owns.

Two rules, for the handout's folder and for ``exactml derive --out``:

* **Only our own files are replaced or deleted.**  A handout folder holds a
  manifest (:data:`MANIFEST`) listing the files exactml wrote there; the next
  build may overwrite or delete those (and LaTeX's by-products of the main
  file), nothing else.  A folder that holds other files is refused unless
  ``force=True``, and even then only files of the new build's names are
  replaced — a user's own file is never deleted.
* **A file is written whole or not at all**: into a temporary file in the same
  folder, then renamed over the target (``os.replace``), so an interrupted or
  failed write (a full disk) leaves the old file as it was.

Symbolic links are refused, never followed: writing through one would change
a file somewhere else.  Every failure is an :class:`OutputError` (a
``ValueError``) whose message is one line naming the path and what to do.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

MANIFEST = ".exactml-manifest"
_MANIFEST_HEAD = "# Files written by exactml; the next build may replace or delete exactly these.\n"

# What latexmk/pdflatex leave beside a main file NAME.tex: ours as much as NAME.tex is.
LATEX_BYPRODUCTS = (".aux", ".log", ".pdf", ".toc", ".out", ".fls", ".fdb_latexmk", ".synctex.gz", ".lof", ".lot")


class OutputError(ValueError):
    """An output path that cannot or must not be written (exit status 2 on the command line)."""


def describe_os_error(err: OSError, path: Path | str) -> str:
    """One line saying why ``path`` could not be written, and what would fix it."""
    reasons = {
        errno.ENOENT: "the folder does not exist",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EISDIR: "it is a folder, not a file",
        errno.EACCES: "permission denied (is the folder read-only?)",
        errno.EPERM: "permission denied (is the folder read-only?)",
        errno.EROFS: "the file system is read-only",
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.ENAMETOOLONG: "the name is too long",
    }
    reason = reasons.get(err.errno, err.strerror or str(err))
    return f"cannot write {path}: {reason}"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(describe_os_error(err, path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o644 & ~_umask())
        os.replace(temp, path)
    except OSError as err:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise OutputError(describe_os_error(err, path)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare_file(path: str | Path, inputs: Iterable[str | Path] = (), force: bool = False) -> Path:
    """Check that ``path`` may be written as a new file (its folder is created if missing).

    Refused: an empty path, a symbolic link, a folder, one of ``inputs``, and
    (unless ``force``) an existing file.
    """
    if str(path).strip() == "":
        raise OutputError("the output path is empty: name a file, e.g. --out derivation.tex")
    path = Path(path)
    if path.is_symlink():
        raise OutputError(f"{path} is a symbolic link; exactml does not write through links: name the file itself")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder, not a file")
    if path.exists() and not path.is_file():
        raise OutputError(f"cannot write {path}: it is a device or a pipe, not a regular file")
    for source in inputs:
        if path.exists() and Path(source).exists() and path.resolve() == Path(source).resolve():
            raise OutputError(f"{path} is an input of this command; choose another output file")
    if path.exists() and not force:
        raise OutputError(f"{path} exists; use --force to replace it")
    make_folder(path.parent)
    return path


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) or say in one line why it cannot be."""
    if folder.is_dir():
        return
    if folder.exists() or folder.is_symlink():
        raise OutputError(f"cannot create the folder {folder}: a file of that name exists")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(describe_os_error(err, folder).replace("cannot write", "cannot create the folder")) from None


def read_manifest(folder: Path) -> set[str]:
    """The files a previous build wrote into ``folder`` (empty if there is no manifest)."""
    path = folder / MANIFEST
    if path.is_symlink() or not path.is_file():
        return set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    # Only plain names: a manifest never reaches outside its folder.
    return {
        n
        for n in (line.strip() for line in lines)
        if n and not n.startswith("#") and "/" not in n and "\\" not in n and n not in (".", "..")
    }


def _ours(name: str, written: set[str]) -> bool:
    if name in written or name == MANIFEST:
        return True
    stems = {n[:-4] for n in written if n.endswith(".tex")}
    return any(name == stem + ext for stem in stems for ext in LATEX_BYPRODUCTS)


def write_folder(
    folder: str | Path, files: Mapping[str, str], force: bool = False, inputs: Iterable[str | Path] = ()
) -> list[Path]:
    """Write ``files`` (name → text) into ``folder`` with a manifest; return the paths written.

    Files listed by the previous manifest and absent from ``files`` are
    deleted (a build with fewer chapters leaves no stale chapter behind).
    ``inputs`` (the files the build reads) are never written, even with ``force``.
    """
    if str(folder).strip() == "":
        raise OutputError("the output folder is empty: name a folder, e.g. --out latex_out")
    out = Path(folder)
    if out.is_symlink():
        raise OutputError(f"{out} is a symbolic link; exactml does not write through links: name the folder itself")
    make_folder(out)
    previous = read_manifest(out)
    try:
        present = {p.name for p in out.iterdir()}
    except OSError as err:
        raise OutputError(describe_os_error(err, out)) from None
    foreign = sorted(n for n in present if not _ours(n, previous))
    if foreign and not force:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputError(
            f"{out} holds files exactml did not write ({shown}); "
            "choose an empty folder, or use --force to write beside them (they are kept)"
        )
    for name in files:
        path = out / name
        if path.exists() and not path.is_symlink() and not path.is_file():
            raise OutputError(f"cannot write {path}: it is a folder, a device or a pipe, not a regular file")
    read = {Path(p).resolve() for p in inputs if Path(p).exists()}
    for name in files:
        if (out / name).is_symlink():
            raise OutputError(f"{out / name} is a symbolic link; exactml does not write through links")
        if (out / name).exists() and (out / name).resolve() in read:
            raise OutputError(f"{out / name} is an input of this build; choose another output folder")
    # The manifest first names old and new files together, so that a build that fails
    # half-way still knows every file it may have left.
    write_atomic(out / MANIFEST, _MANIFEST_HEAD + "".join(f"{n}\n" for n in sorted(previous | set(files))))
    written = []
    for name, text in files.items():
        path = out / name
        write_atomic(path, text)
        written.append(path)
    for stale in sorted(previous - set(files)):
        path = out / stale
        if path.is_file() and not path.is_symlink():
            try:
                path.unlink()
            except OSError as err:
                raise OutputError(describe_os_error(err, path).replace("cannot write", "cannot delete")) from None
    write_atomic(out / MANIFEST, _MANIFEST_HEAD + "".join(f"{n}\n" for n in sorted(files)))
    return written
