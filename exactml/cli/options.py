"""The options of ``exactml derive ALGO -o NAME=VALUE``, declared by each algorithm.

Each algorithm's ``command.py`` declares a :class:`Command`: what its CSV
holds, what ``--target`` names, an example, and its :class:`Option` list.
``exactml derive ALGO --help`` prints them, :func:`parse_options` checks the
values given (naming the option at fault) and refuses unknown names with the
list of valid ones.  Values stay text: each ``derive_table`` reads its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..exact import exact


class OptionError(ValueError):
    """An unknown option, a bad value, or a required option missing (exit status 2)."""


@dataclass(frozen=True)
class Option:
    """One ``-o NAME=VALUE`` option: its meaning, an example, its default (as text) or that it is required."""

    name: str
    meaning: str
    example: str
    default: str | None = None  # None: no default (the option is optional, or required)
    required: bool = False
    check: Callable[[str], object] | None = None  # raises ValueError completing "NAME ..."


@dataclass(frozen=True)
class Command:
    """What ``exactml derive ALGO`` needs: the data, the target column, the options."""

    data: str  # what the CSV's columns hold
    target: str  # what --target names
    example: str  # one command line that works on a file of that shape
    options: tuple[Option, ...]

    def help(self) -> str:
        """The text ``exactml derive ALGO --help`` prints after the common arguments."""
        width = max(len(o.name) for o in self.options)
        lines = [
            f"data: a CSV file with a header line; {self.data}.",
            f"--target: {self.target}.",
            "",
            "options (-o NAME=VALUE, repeatable):",
        ]
        for o in self.options:
            state = "required" if o.required else (f"default {o.default}" if o.default is not None else "optional")
            lines.append(f"  {o.name:<{width}}  {o.meaning} [{state}; e.g. -o {o.name}={o.example}]")
        lines += ["", "example:", "  " + self.example]
        return "\n".join(lines)


def parse_options(algorithm: str, command: Command, pairs: Sequence[str]) -> dict[str, str]:
    """``NAME=VALUE`` texts → {name: value}, each checked; defaults are left to ``derive_table``."""
    known = {o.name: o for o in command.options}
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            first = command.options[0]
            raise OptionError(f"option {pair!r} is not NAME=VALUE (e.g. -o {first.name}={first.example})")
        if name not in known:
            raise OptionError(
                f"{algorithm} has no option {name!r}; its options are {', '.join(known)} "
                f"(see exactml derive {algorithm} --help)"
            )
        check = known[name].check
        if check is not None:
            try:
                check(value)
            except ValueError as err:
                raise OptionError(f"-o {name}={value}: {name} {err}") from None
        given[name] = value
    for o in command.options:
        if o.required and o.name not in given:
            raise OptionError(f"{algorithm} needs -o {o.name}=…: {o.meaning} (e.g. -o {o.name}={o.example})")
    return given


# ----------------------------------------------------------------- value checks
def whole(least: int, most: int | None = None) -> Callable[[str], int]:
    """A whole number in [least, most]."""

    def check(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise ValueError("is not a whole number") from None
        if n < least:
            raise ValueError(f"must be at least {least}")
        if most is not None and n > most:
            raise ValueError(f"must be at most {most}")
        return n

    return check


def number(value: str) -> object:
    try:
        return exact(value)
    except ValueError:
        raise ValueError("is not a number (write 3, -1/2 or 0.25)") from None


def positive(value: str) -> object:
    v = number(value)
    if not (v.is_number and v.is_positive):
        raise ValueError("must be a positive number")
    return v


def one_of(*choices: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in choices:
            raise ValueError(f"is not one of {', '.join(choices)}")
        return value

    return check


def point(value: str) -> list:
    """Numbers separated by commas: ``38,65,710``."""
    try:
        return [exact(v) for v in value.split(",")]
    except ValueError:
        raise ValueError("must be numbers separated by commas, e.g. 38,65,710") from None


def readable_file(value: str) -> str:
    if not Path(value).is_file():
        raise ValueError("is not a readable file")
    return value
