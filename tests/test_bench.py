"""The benchmark suite's quick run: every case agrees with its baseline (timings are not asserted)."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "bench" / "run.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("exactml_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_quick_benchmark_results_agree_with_baselines(capsys):
    bench = load_bench()
    only = "linear,decision,k-NN,K-means,symbolic,exact SVM" + (",check" if bench.SOURCE.exists() else "")
    assert bench.main(["--quick", "--only", only]) == 0
    table = capsys.readouterr().out
    assert table.count("\n") >= 8  # header, rule and one row per case
