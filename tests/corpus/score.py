"""Score the checker on the hand-written worksheet corpus (and time it on many files).

Each worksheet in ``worksheets/`` has a key ``NAME.key.json`` written by hand, its
values computed without exactml (by hand, Python fractions or sympy directly).  The
key lists, line by line, the verdict a careful reader gives each claim that starts
on that line (a claim starts where its left side starts): ``ok``, ``wrong`` (a
planted slip) or ``carried`` (right given an earlier wrong value).

Scores, claim by claim within each line (a line's verdicts are matched as a multiset):

* recall of wrong    planted slips the checker calls ``wrong``
* recall of carried  carried claims the checker calls ``carried``
* false alarms       ``wrong``/``carried`` verdicts beyond what the key has on that line
* ok share           correct claims the checker calls ``ok``

Run as a script: ``python tests/corpus/score.py [--files 300] [--jobs 2]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKSHEETS = HERE / "worksheets"


@dataclass
class Score:
    wrong: int = 0
    wrong_found: int = 0
    carried: int = 0
    carried_found: int = 0
    ok: int = 0
    ok_found: int = 0
    false_alarms: list = field(default_factory=list)
    missed: list = field(default_factory=list)  # (file, line, expected, found)
    files: int = 0

    @property
    def claims(self) -> int:
        return self.wrong + self.carried + self.ok

    def rates(self) -> dict:
        return {
            "worksheets": self.files,
            "claims": self.claims,
            "recall_wrong": self.wrong_found / self.wrong if self.wrong else 1.0,
            "recall_carried": self.carried_found / self.carried if self.carried else 1.0,
            "false_alarms": len(self.false_alarms),
            "ok_share": self.ok_found / self.ok if self.ok else 1.0,
        }


def worksheets() -> list[tuple[Path, dict]]:
    out = []
    for key in sorted(WORKSHEETS.glob("*.key.json")):
        name = key.name[: -len(".key.json")]
        (doc,) = [p for p in WORKSHEETS.glob(name + ".*") if not p.name.endswith(".key.json")]
        out.append((doc, json.loads(key.read_text(encoding="utf-8"))))
    return out


def score_report(score: Score, name: str, key: dict, claims: list[tuple[int, str]]) -> None:
    """Add one worksheet's verdicts ``(line, status)`` to ``score``."""
    found: dict[int, Counter] = {}
    for line, status in claims:
        found.setdefault(line, Counter())[status] += 1
    expected = {int(k): Counter(v) for k, v in key["lines"].items()}
    for line in sorted(set(found) | set(expected)):
        e, f = expected.get(line, Counter()), found.get(line, Counter())
        score.wrong += e["wrong"]
        score.carried += e["carried"]
        score.ok += e["ok"]
        score.wrong_found += min(e["wrong"], f["wrong"])
        score.carried_found += min(e["carried"], f["carried"])
        score.ok_found += min(e["ok"], f["ok"])
        for status in ("wrong", "carried"):
            for _ in range(max(0, f[status] - e[status])):
                score.false_alarms.append((name, line, status))
        if e and any(min(e[s], f[s]) < e[s] for s in e):
            score.missed.append((name, line, dict(e), dict(f)))
    score.files += 1


def score_corpus(recompute: bool = False) -> Score:
    from exactml.checker import check

    score = Score()
    for doc, key in worksheets():
        report = check(doc.read_text(encoding="utf-8"), recompute=recompute)
        score_report(score, doc.name, key, [(c.line, c.status) for c in report.claims])
    return score


def time_many(files: int = 300, jobs: int = 2) -> float:
    """Seconds of wall time for ``exactml check`` on ``files`` one-page worksheets with ``jobs`` processes."""
    from exactml.checker.batch import check_files

    docs = [doc for doc, _ in worksheets()]
    tmp = Path(tempfile.mkdtemp(prefix="exactml-corpus-"))
    try:
        paths = []
        for i in range(files):
            src = docs[i % len(docs)]
            # Vary each copy a little so that no two files are identical (no help from caches across files).
            text = src.read_text(encoding="utf-8") + f"\n\nCopy {i}: $2 \\times {i} = {2 * i}$\n"
            path = tmp / f"{i:03d}-{src.name}"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        start = time.perf_counter()
        results = check_files(paths, jobs=jobs)
        elapsed = time.perf_counter() - start
        assert len(results) == files
        return elapsed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


THRESHOLDS = {"recall_wrong": 0.95, "recall_carried": 0.85, "ok_share": 0.90}


def meets_thresholds(score: Score) -> bool:
    """Issue 15's bar: 95 % of planted slips, 85 % of carried claims, no false alarm, 90 % of correct claims ok."""
    r = score.rates()
    return r["false_alarms"] == 0 and all(r[k] >= v for k, v in THRESHOLDS.items())


def bench_case(case_type):
    """This corpus as a case of ``tests/bench/run.py``: the wall time of 300 worksheets (30 with --quick) checked
    on 2 processes, within 60 s; it "agrees" when the corpus scores meet :data:`THRESHOLDS` with no false alarm."""
    return case_type(
        "check 300 worksheets",
        "the corpus copied to 300 files, 2 processes, wall s",
        "-",
        None,
        60.0,
        lambda quick, seed=0: 30 if quick else 300,
        lambda files: time_many(files, 2),
        None,
        lambda mine, theirs: meets_thresholds(score_corpus()),
        "recall and false alarms",
        fresh=True,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=300, help="how many one-page worksheets to time (0: no timing)")
    p.add_argument("--jobs", type=int, default=2, help="processes for the timing run")
    p.add_argument("--verbose", "-v", action="store_true", help="list every line that scored below its key")
    args = p.parse_args(argv)
    score = score_corpus()
    r = score.rates()
    print(
        f"corpus: {r['worksheets']} worksheets, {r['claims']} claims "
        f"({score.wrong} wrong, {score.carried} carried, {score.ok} correct)"
    )
    print(f"recall of wrong:   {score.wrong_found}/{score.wrong} = {r['recall_wrong']:.1%}")
    print(f"recall of carried: {score.carried_found}/{score.carried} = {r['recall_carried']:.1%}")
    print(f"false alarms:      {r['false_alarms']}")
    print(f"correct judged ok: {score.ok_found}/{score.ok} = {r['ok_share']:.1%}")
    if args.verbose:
        for item in score.false_alarms:
            print("  false alarm:", item)
        for item in score.missed:
            print("  below key:", item)
    if args.files:
        seconds = time_many(args.files, args.jobs)
        print(f"time for {args.files} one-page worksheets on {args.jobs} processes: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    sys.exit(main())
