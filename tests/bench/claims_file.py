"""Write a large document of distinct claims, for timing ``exactml check`` (issue 19).

    python tests/bench/claims_file.py OUT [--megabytes 5]

Lines like ``$a_{12} = 3 + 4 = 7$`` with distinct numbers and names, a quarter
inside prose and a quarter with a fraction, until the file holds the size asked.
"""

from __future__ import annotations

import argparse
import random


def claims_text(megabytes: float = 5.0, seed: int = 1) -> str:
    rng = random.Random(seed)
    lines, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        a, b = rng.randint(1, 999), rng.randint(1, 999)
        if i % 4 == 0:
            line = f"Some prose about line {i}: $a_{{{i}}} = {a} + {b} = {a + b}$ holds."
        elif i % 4 == 3:
            line = f"$c_{{{i}}} = \\frac{{{a}}}{{{b}}} + 1$ and more text."
        else:
            line = f"$a_{{{i}}} = {a} + {b} = {a + b}$"
        lines.append(line)
        size += len(line) + 1
        i += 1
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(claims_text(args.megabytes))


if __name__ == "__main__":
    main()
