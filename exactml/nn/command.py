"""The command line's network deriver: a CSV table and a JSON file of weights in, a derivation out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..cli.options import Command, Option, one_of, point, positive, readable_file, whole
from ..derivation import Derivation
from ..exact import DataError, exact
from .estimator import MLP, _learning_rate, _vector

COMMAND = Command(
    data="numeric input columns and one column to predict",
    target="the column the network predicts (optional; default: the last column)",
    example="exactml derive nn --data and.csv -o weights=net.json -o row=4 -o lr=1/2",
    options=(
        Option(
            "weights",
            'a JSON file of the weights: {"W1": [[1, 1], [-1, 2]], "b1": [0, -1], "W2": [[3, -2]], '
            '"b2": [-1]} (one W<l>, b<l> pair per layer, rows of W are neurons; numbers, or strings such as '
            '"1/2"; optionally "activation" and "loss")',
            "net.json",
            required=True,
            check=readable_file,
        ),
        Option(
            "lr",
            "learning rate: each row is followed by its update and the next row sees the new weights "
            "(one epoch of SGD); without it, gradients only",
            "1/2",
            check=positive,
        ),
        Option("row", "use only this data row (1 = the first line after the header)", "4", check=whole(1)),
        Option("input", "use only the rows with these inputs", "1,1", check=point),
        Option(
            "activation",
            "sigmoid, tanh, relu or identity (overrides the JSON file; default sigmoid)",
            "tanh",
            check=one_of("sigmoid", "tanh", "relu", "identity"),
        ),
        Option(
            "loss",
            "bce (cross-entropy, needs a sigmoid output) or mse (overrides the JSON file; default bce)",
            "mse",
            check=one_of("bce", "mse"),
        ),
    ),
)


def derive_table(
    header: Sequence[str],
    body: Sequence[Sequence[str]],
    target: str | None = None,
    weights: str | None = None,
    input: str | None = None,
    row: str | None = None,
    lr: str | None = None,
    activation: str | None = None,
    loss: str | None = None,
) -> Derivation:
    """One forward and backward pass per row of a CSV table (``exactml derive nn``).

    ``target`` is the column to predict (default: the last column); the
    other columns are the inputs.  ``weights`` is the path of a JSON file::

        {"W1": [[2, 2], [2, 2]], "b1": [-1, -3],
         "W2": [[2, -4]],         "b2": [-1],
         "activation": "sigmoid", "loss": "bce"}

    with one ``W<l>``/``b<l>`` pair per layer (rows of W are neurons); numbers
    may be written as JSON numbers or as strings such as ``"1/2"`` or
    ``"0.1"`` (read exactly).  ``activation`` and ``loss`` are optional there
    and may be overridden by the options of the same name.

    ``input=0,1`` keeps only the rows with those inputs, ``row=N`` only the
    N-th data row (1-based).  With ``lr=1/10`` each row is followed by its
    update and the next row sees the updated weights (one epoch of
    stochastic gradient descent).
    """
    if weights is None:
        raise ValueError(
            "nn needs -o weights=FILE.json: a JSON object with W1, b1, W2, b2, … "
            '(e.g. {"W1": [[2, 2], [2, 2]], "b1": [-1, -3], "W2": [[2, -4]], "b2": [-1]})'
        )
    spec = _read_weights(weights)
    t = header.index(target) if target is not None and target in header else len(header) - 1
    if target is not None and target not in header:
        raise ValueError(f"no column {target!r} in the data; the columns are {', '.join(header)}")
    features = [h for j, h in enumerate(header) if j != t]
    net = MLP(
        spec["W"],
        spec["b"],
        activation=activation or spec.get("activation", "sigmoid"),
        loss=loss or spec.get("loss", "bce"),
    )
    selected = list(enumerate(body, start=1))
    if row is not None:
        n = int(exact(row))
        if not 1 <= n <= len(body):
            raise ValueError(f"row={row} is not a data row: the data has rows 1 to {len(body)}")
        selected = [selected[n - 1]]
    if input is not None:
        wanted = _vector([v for v in input.split(",")], "input")
        selected = [(i, r) for i, r in selected if [exact(v) for j, v in enumerate(r) if j != t] == wanted]
        if not selected:
            raise ValueError(f"no data row has the inputs {input} (the inputs are {', '.join(features)})")
    rate = _learning_rate(lr) if lr is not None else None
    d = Derivation("Neural network: forward and backward propagation", key="nn")
    for i, r in selected:
        try:
            x = [v for j, v in enumerate(r) if j != t]
            if rate is None:
                net.backward(x, [r[t]])
            else:
                net.step(x, [r[t]], rate)
        except DataError as err:
            raise DataError(str(err), row=i - 1, column=err.column) from None
        except ValueError as err:
            raise DataError(f"data row {i}: {err}", row=i - 1) from None
        sub = net.derivation_
        sub.key, sub.title = f"row{i}", f"Data row {i}"
        d.add(sub)
    return d


def _read_weights(path: str) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ValueError(f"cannot read the weights file {path}: {err}") from None
    try:
        raw = json.loads(text, parse_float=str)  # decimals stay text, read exactly by exact()
    except json.JSONDecodeError as err:
        raise ValueError(f"{path} is not valid JSON: {err}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"{path} must hold a JSON object with keys W1, b1, W2, b2, …")
    layers = 0
    while f"W{layers + 1}" in raw:
        layers += 1
    known = {f"{p}{layer}" for layer in range(1, layers + 1) for p in "Wb"} | {"activation", "loss"}
    unknown = sorted(set(raw) - known)
    if layers == 0 or unknown:
        raise ValueError(
            f"{path}: expected keys W1, b1, W2, b2, … (and optionally activation, loss); "
            + (f"unexpected {', '.join(unknown)}" if unknown else "no W1 found")
        )
    missing = [f"b{layer}" for layer in range(1, layers + 1) if f"b{layer}" not in raw]
    if missing:
        raise ValueError(f"{path}: missing {', '.join(missing)}: every W<l> needs its bias vector b<l>")
    spec = {
        "W": [raw[f"W{layer}"] for layer in range(1, layers + 1)],
        "b": [raw[f"b{layer}"] for layer in range(1, layers + 1)],
    }
    for key in ("activation", "loss"):
        if key in raw:
            spec[key] = raw[key]
    return spec
