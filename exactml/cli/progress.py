"""A note on stderr when a command runs past a second, so that a long run is not mistaken for a hang."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# How long a command may run before it says what it is doing.
QUIET_SECONDS = 1.0


@contextmanager
def progress_note(what: str, after: float = QUIET_SECONDS, stream=None) -> Iterator[None]:
    """Print ``exactml: <what> …`` on stderr if the block is still running after ``after`` seconds,
    and how long it took once it ends.

    >>> with progress_note("a quick job"):
    ...     pass
    """
    out = stream if stream is not None else sys.stderr
    start = time.monotonic()
    said = threading.Event()

    def say() -> None:
        said.set()
        print(f"exactml: {what} …", file=out, flush=True)

    timer = threading.Timer(after, say)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        if said.is_set():
            print(f"exactml: done in {time.monotonic() - start:.1f} s", file=out, flush=True)
