"""Time budgets for checking untrusted text, without signals: safe in threads and notebooks.

A document can hold a claim that no computer finishes (``(1 + \\sqrt 2)^{10000}``
expanded, a 6×6 determinant of surds) and a million claims that each finish.
Two budgets bound both:

* each chain of claims is judged in a worker thread (chains are handed over in
  batches, each chain with its own deadline: :meth:`ChainRunner.map`); when it runs past
  ``Budget.claim_seconds`` the caller stops waiting, raises
  :class:`BudgetExceeded` inside the worker (an asynchronous exception, which
  interrupts pure-Python sympy at its next bytecode) and records the claim as
  ``unchecked``: "too large to check in the time allowed".  The worker is
  abandoned and a fresh one takes the next chain, so a stuck claim costs its
  budget and nothing more;
* the whole document has ``Budget.document_seconds``: past it, the math not yet
  read is reported as one ``unchecked`` line saying where checking stopped.

No ``SIGALRM`` is involved, so :func:`exactml.checker.check` may run in any
thread, several at once.  The size guards of :mod:`.arith` (exponents, digits,
matrix sizes) keep any single C-level step — one big-integer product — short,
so the interruption lands promptly.
"""

from __future__ import annotations

import ctypes
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .report import Claim

__all__ = [
    "Budget",
    "BudgetExceeded",
    "ChainRunner",
    "DocumentClock",
    "over_budget",
    "recompute_over_budget",
    "unreadable_math",
]

T = TypeVar("T")

OVER_BUDGET = "too large to check in the time allowed"


@dataclass(frozen=True)
class Budget:
    """How much a check may spend.

    ``claim_seconds``     per chain of claims (``a = b = c`` is one chain)
    ``document_seconds``  for the whole document; ``None`` for no limit
    ``recompute_seconds`` for the optional recomputation stage
    ``max_bytes``         the most a file may hold (read by :mod:`.source`)
    """

    claim_seconds: float = 2.0
    document_seconds: float | None = 60.0
    recompute_seconds: float = 20.0
    max_bytes: int = 10_000_000

    def __post_init__(self) -> None:
        for name in ("claim_seconds", "recompute_seconds"):
            if not getattr(self, name) > 0:
                raise ValueError(f"Budget.{name} must be a positive number of seconds")
        if self.document_seconds is not None and not self.document_seconds > 0:
            raise ValueError("Budget.document_seconds must be a positive number of seconds, or None")
        if not (isinstance(self.max_bytes, int) and self.max_bytes > 0):
            raise ValueError("Budget.max_bytes must be a positive whole number")


class BudgetExceeded(BaseException):
    """Raised inside a worker whose task ran out of time.

    A ``BaseException``, like ``KeyboardInterrupt``, so that the checker's own
    ``except Exception`` (which turns any failure into "cannot be checked")
    does not swallow it and carry on with the rest of an over-budget chain.
    """


def _interrupt(thread: threading.Thread) -> None:
    """Raise BudgetExceeded in ``thread`` at its next bytecode (no signal, any thread)."""
    ident = thread.ident
    if ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(BudgetExceeded))


class _Worker(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="exactml-check", daemon=True)
        self.tasks: queue.SimpleQueue = queue.SimpleQueue()
        self.results: queue.SimpleQueue = queue.SimpleQueue()

    def run(self) -> None:
        try:
            while True:
                task = self.tasks.get()
                if task is None:
                    return
                try:
                    self.results.put((True, task()))
                except Exception as err:  # handed back to the caller, raised there
                    self.results.put((False, err))
        except BudgetExceeded:  # abandoned by the caller: end quietly
            return


class _Batch:
    """Items run one after another in the worker; ``current`` tells the caller which one, and since when."""

    def __init__(self, task: Callable[[Any], Any], items: list, deadline: float | None) -> None:
        self.task, self.items, self.deadline = task, items, deadline
        self.results: list[tuple[bool, Any]] = []
        self.current = (0, time.monotonic())
        self.stop = False  # set by the caller when it gives up on the worker: start nothing more

    def __call__(self) -> _Batch:
        for k, item in enumerate(self.items):
            if self.stop or (self.deadline is not None and time.monotonic() > self.deadline):
                break
            self.current = (k, time.monotonic())
            try:
                self.results.append((True, self.task(item)))
            except Exception as err:  # handed back to the caller, item by item
                self.results.append((False, err))
        return self


class ChainRunner:
    """Runs tasks one at a time in a worker thread, each with a deadline.

    >>> with ChainRunner(1.0) as run:
    ...     run(lambda: 6 * 7), run(lambda: 1 / 0)[0]
    ((True, 42), False)
    """

    def __init__(self, seconds: float, grace: float = 3.0):
        self.seconds = seconds
        self.grace = grace  # how long to keep interrupting a worker until it lets go
        self._worker: _Worker | None = None

    def __call__(self, task: Callable[[], T]) -> tuple[bool, Any]:
        """``(True, result)`` if ``task`` finished in time; ``(False, error)`` if it raised; ``(False, None)`` if not."""
        worker = self._ready()
        worker.tasks.put(task)
        try:
            done, value = worker.results.get(timeout=self.seconds)
        except queue.Empty:
            self._abandon(worker)
            return False, None
        return done, value

    def map(
        self,
        task: Callable[[Any], Any],
        items: Sequence[Any],
        deadline: float | None = None,
        late: Callable[[Any], None] | None = None,
    ) -> list:
        """``[self(lambda: task(x)) for x in items]``, with one hand-off to the worker instead of one per item.

        Each item still has ``seconds`` of its own, counted from when it starts: the caller sleeps until
        the deadline of the item running, and abandons the worker only if that item is still running then;
        ``late(item)`` is called (in the caller's thread, before any later item starts) and the items after
        it go on in a fresh worker.  Past ``deadline`` (a :func:`time.monotonic` time) no further item is
        started, and the list returned is shorter than ``items``: the rest were not run.
        """
        items = list(items)
        out: list[tuple[bool, Any]] = []
        while len(out) < len(items):
            batch = _Batch(task, items[len(out) :], deadline)
            worker = self._ready()
            worker.tasks.put(batch)
            finished = self._wait(worker, batch)
            done = list(batch.results)  # the worker has finished or is gone: nothing is added from here on
            out.extend(done)
            if finished:
                if len(done) < len(batch.items):  # stopped at the deadline
                    return out
            elif len(done) < len(batch.items):
                out.append((False, None))  # the item that ran out of time
                if late is not None:
                    late(batch.items[len(done)])
        return out

    def _wait(self, worker: _Worker, batch: _Batch) -> bool:
        """Until the batch is done (True), or an item of it runs out of time and the worker is abandoned (False)."""
        while True:
            k, started = batch.current
            try:
                worker.results.get(timeout=max(0.0, started + self.seconds - time.monotonic()))
                return True
            except queue.Empty:
                if batch.current[0] != k or len(batch.results) > k:
                    continue  # that item finished in time: wait for the deadline of the next
                batch.stop = True
                self._abandon(worker)
                return False

    def _ready(self) -> _Worker:
        worker = self._worker
        if worker is None or not worker.is_alive():
            worker = self._worker = _Worker()
            worker.start()
        return worker

    def _abandon(self, worker: _Worker) -> None:
        self._worker = None
        worker.tasks.put(None)  # if it finished just now, it wakes and ends instead of waiting forever
        # An asynchronous exception that lands in a garbage-collector callback or a __del__ is
        # printed and ignored, so it is raised again until the worker has stopped: it must not
        # touch the judgement once the caller goes on.
        deadline = time.monotonic() + self.grace
        while worker.is_alive() and time.monotonic() < deadline:
            _interrupt(worker)
            worker.join(0.05)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.tasks.put(None)
            self._worker = None

    def __enter__(self) -> ChainRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DocumentClock:
    """The document's time budget, and where checking stopped when it ran out."""

    def __init__(self, seconds: float | None):
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.seconds = seconds
        self.stopped_at: int | None = None  # line of the first math not checked

    def spent(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def until_spent(self, items: Iterable[T]) -> Iterator[T]:
        """The items (each with a ``line``) until the budget is spent."""
        for item in items:
            if self.spent():
                self.stopped_at = min(self.stopped_at or item.line, item.line)
                return
            yield item

    def note(self) -> Claim | None:
        """The report's line for the math that was not checked, if any."""
        if self.stopped_at is None:
            return None
        message = (
            f"checking stopped here: the document's time budget ({self.seconds:g} s) is spent, "
            "and the math from here on was not checked"
        )
        return Claim(
            line=self.stopped_at,
            source="(the rest of the document)",
            stated="",
            exact=None,
            status="unchecked",
            message=message,
        )


def over_budget(chain: Any, out: Any, env: dict, error: Exception | None = None) -> None:
    """Record the claims of ``chain`` not judged (in time, or at all) as unchecked, and forget what it defines.

    ``error`` is what stopped the chain, if it was not the clock: untrusted text must cost one
    claim its verdict, never the whole report.
    """
    message = OVER_BUDGET if error is None else f"cannot be checked ({type(error).__name__})"
    from .claims import CLAIMS

    judged = {c.source for c in out.claims}
    c = chain
    pending = []
    for i, rel in enumerate(c.relations):
        if rel not in CLAIMS or not c.sides[i] or not c.sides[i + 1]:
            continue
        shown = r"\approx" if rel == "approx" else "="
        source = f"{c.sides[i]} {shown} {c.sides[i + 1]}"
        if source in judged:
            continue
        line = c.side_lines[i] if len(c.side_lines) > i else c.line
        pending.append(
            Claim(
                line=line,
                source=source,
                stated=c.sides[i + 1],
                exact=None,
                status="unchecked",
                message=message,
                relation=rel,
            )
        )
    # The first link of a definition (X = …) claims nothing, unless it is all the chain has left.
    out.claims.extend(pending[1:] if c.defines is not None and len(pending) > 1 else pending)
    if c.defines is not None:
        env.pop(c.defines, None)


def recompute_over_budget(seconds: float, error: Exception | None = None) -> Claim:
    """The report's line when the recomputation stage ran out of time (or failed: ``error``)."""
    why = (
        f"too large to recompute in the time allowed ({seconds:g} s)"
        if error is None
        else f"it failed ({type(error).__name__})"
    )
    return Claim(
        line=1,
        source="(recomputation)",
        stated="",
        exact=None,
        status="unchecked",
        message=f"recomputation skipped: {why}",
        recomputed=True,
    )


def unreadable_math(math: Any, error: Exception | None) -> Claim:
    """The report's line for a piece of math that could not be cut into claims (in time: ``error`` is None)."""
    source = math.latex if len(math.latex) <= 60 else math.latex[:28] + " … " + math.latex[-28:]
    message = OVER_BUDGET if error is None else f"cannot be read ({type(error).__name__})"
    return Claim(line=math.line, source=source, stated="", exact=None, status="unchecked", message=message)
