"""scripts/benchmark.py: which part a metric belongs to, and keeping an earlier run's parts."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from proxylens.paths import repo_root


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("proxylens_benchmark_parts", repo_root() / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.mark.parametrize("metric, part", [
    ("book_seconds", "book"), ("make_test_seconds", "tests"), ("extract_to_spacy_ratio", "throughput"),
    ("spacy_pipe_seconds", "throughput"), ("parallel_jobs2_speedup", "parallel"), ("scale_memory_growth", "memory"),
    ("long_28mib_peak_rss_mib", "long"), ("incremental_rerun_seconds", "incremental"),
    ("load_average_memory", "memory"), ("load_average_start", None), ("cpu_count", None), ("setup_seconds", None),
    ("cpu_reference_start", None), ("cpu_reference_end", None),
])
def test_every_metric_has_its_part(bench, metric, part):
    assert bench.part_of(metric) == part


def test_keep_carries_only_the_parts_not_measured_now(bench, tmp_path):
    old = tmp_path / "benchmark.csv"
    bench.write_csv([
        bench.Result("cpu_count", 2, "cores", "old machine line"),
        bench.Result("load_average_memory", 3.5, "processes", "when memory began"),
        bench.Result("scale_memory_growth", 1.02, "ratio", "old memory run"),
        bench.Result("book_seconds", 99.0, "s", "old book run"),
    ], old)
    kept = bench.kept_rows(old, {"book", "tests"})
    assert [(r.metric, r.value, r.note) for r in kept] == [
        ("load_average_memory", 3.5, "when memory began"), ("scale_memory_growth", 1.02, "old memory run")]
    assert bench.kept_rows(tmp_path / "absent.csv", {"book"}) == []


def test_the_paragraph_gives_each_part_its_own_load(bench, tmp_path):
    from proxylens.evaluation import budgets

    path = tmp_path / "benchmark.csv"
    bench.write_csv([
        bench.Result("cpu_count", 2, "cores"), bench.Result("load_average_start", 0.5, "processes"),
        bench.Result("load_average_book", 0.7, "processes"), bench.Result("book_seconds", 50.0, "s"),
        bench.Result("load_average_memory", 7.6, "processes"), bench.Result("scale_memory_growth", 1.04, "ratio"),
        bench.Result("load_average_end", 1.0, "processes"),
    ], path)
    text = budgets.benchmark_paragraph(budgets.read_benchmark(path))
    assert "0.7 (book), 7.6 (memory)" in text and "The run began" not in text


def test_the_reference_work_is_timed_and_reported(bench, tmp_path, monkeypatch):
    from proxylens.evaluation import budgets

    monkeypatch.setattr(bench, "REFERENCE_ADDITIONS", 100_000)
    start = bench.cpu_reference("start")
    assert start.metric == "cpu_reference_start" and 0 < start.value < 1 and "100,000 additions" in start.note
    path = tmp_path / "benchmark.csv"
    bench.write_csv([bench.Result("cpu_reference_start", 0.91, "s"), bench.Result("cpu_reference_end", 1.24, "s")],
                    path)
    text = budgets.benchmark_paragraph(budgets.read_benchmark(path))
    assert "0.91 s as the run began and 1.24 s as it ended" in text
