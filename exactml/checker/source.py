"""Reading a document to check: regular files only, and at most so many bytes.

``exactml check /dev/zero`` would otherwise read until memory runs out, a FIFO
with no writer would wait forever, and a directory gives a raw ``OSError``.
:func:`read_source` opens without blocking, looks at what it opened, and
refuses anything that is not a regular file, or is larger than the budget,
with a :class:`SourceError` whose message is one line.
"""

from __future__ import annotations

import os
import stat

__all__ = ["DEFAULT_MAX_BYTES", "SourceError", "read_source"]

DEFAULT_MAX_BYTES = 10_000_000

_KINDS = [
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
]


class SourceError(ValueError):
    """The file cannot be read as a document: missing, not a regular file, too large, not UTF-8."""


def read_source(path: str | os.PathLike, max_bytes: int | None = DEFAULT_MAX_BYTES) -> str:
    """The text of the regular file at ``path``, at most ``max_bytes`` bytes (``None``: no limit).

    A UTF-8 byte-order mark at the start is dropped.
    """
    name = os.fspath(path)
    if max_bytes is not None and not (isinstance(max_bytes, int) and max_bytes > 0):
        raise SourceError(f"the most bytes to read must be a positive whole number; got {max_bytes!r}")
    try:
        # O_NONBLOCK: opening a FIFO that has no writer returns at once instead of waiting for one
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise SourceError(f"no such file: {name}") from None
    except IsADirectoryError:
        raise SourceError(f"cannot read {name}: it is a folder, not a file") from None
    except OSError as err:
        raise SourceError(f"cannot open {name}: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((what for test, what in _KINDS if test(info.st_mode)), "a special file")
            raise SourceError(f"cannot read {name}: it is {kind}, not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise SourceError(
                f"{name} has {info.st_size:,} bytes; at most {max_bytes:,} are read "
                "(split the document, or raise the limit)"
            )
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
    except OSError as err:
        raise SourceError(f"cannot read {name}: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if max_bytes is not None and len(data) > max_bytes:  # it grew while we looked
        raise SourceError(f"{name} has more than {max_bytes:,} bytes; at most {max_bytes:,} are read")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise SourceError(f"{name} line {line} is not UTF-8 text (byte {err.start}); save the file as UTF-8") from None
