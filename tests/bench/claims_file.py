r"""Write a large document of distinct claims, for timing ``exactml check`` (issue 19).

    python tests/bench/claims_file.py OUT [--megabytes 5] [--decimals]

Lines like ``$a_{12} = 3 + 4 = 7$`` with distinct numbers and names, a quarter
inside prose and a quarter with a fraction, until the file holds the size asked.
With ``--decimals``: rounding claims instead (``\frac{638}{262} \approx 2.435``,
``7.95 \times 9.42 = 74.8890``, ``758.5 + 668.25 = 1426.75``, ``\sqrt{945} \approx 30.741``).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable


def claims_text(megabytes: float = 5.0, seed: int = 1) -> str:
    def line(i: int, rng: random.Random) -> str:
        a, b = rng.randint(1, 999), rng.randint(1, 999)
        if i % 4 == 0:
            return f"Some prose about line {i}: $a_{{{i}}} = {a} + {b} = {a + b}$ holds."
        if i % 4 == 3:
            return f"$c_{{{i}}} = \\frac{{{a}}}{{{b}}} + 1$ and more text."
        return f"$a_{{{i}}} = {a} + {b} = {a + b}$"

    return _document(megabytes, seed, line)


def decimal_claims_text(megabytes: float = 1.0, seed: int = 5) -> str:
    """Rounding claims, all correct: fractions and roots against 3 places, decimal products and sums."""

    def line(i: int, rng: random.Random) -> str:
        a, b = rng.randint(1, 999), rng.randint(1, 999)
        if i % 4 == 0:
            return f"$r_{{{i}}} = \\frac{{{a}}}{{{b}}} \\approx {a / b:.3f}$"
        if i % 4 == 1:
            x, y = rng.randint(0, 1000), rng.randint(0, 1000)  # hundredths: the product has 4 places exactly
            return f"Then $p_{{{i}}} = {x / 100:.2f} \\times {y / 100:.2f} = {x * y // 10000}.{x * y % 10000:04d}$."
        if i % 4 == 2:
            return f"$s_{{{i}}} = {a}.5 + {b}.25 = {a + b}.75$"
        return f"$q_{{{i}}} = \\sqrt{{{a}}} \\approx {a**0.5:.3f}$"

    return _document(megabytes, seed, line)


def _document(megabytes: float, seed: int, line: Callable[[int, random.Random], str]) -> str:
    """Lines ``line(0, rng)``, ``line(1, rng)``, … until the text holds ``megabytes``."""
    rng = random.Random(seed)
    lines, size = [], 0
    while size < megabytes * 1_000_000:
        lines.append(line(len(lines), rng))
        size += len(lines[-1]) + 1
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--decimals", action="store_true", help="rounding claims instead of integer sums")
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(decimal_claims_text(args.megabytes) if args.decimals else claims_text(args.megabytes))


if __name__ == "__main__":
    main()
