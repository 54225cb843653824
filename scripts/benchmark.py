"""Measure the project's budgets and write them to data/derived/benchmark.csv.

Usage: python scripts/benchmark.py [--quick] [--setup] [--out PATH] [--only PARTS [--keep]]

What is measured (one CSV row per number: metric, value, unit, note):

* set-up: by default ``pip install -r requirements.txt`` into the existing venv, which only
  checks that every pin is satisfied; with ``--setup`` a fresh venv is created in a temporary
  folder and everything is installed into it (minutes, and it needs the package index);
* ``make book`` from a clean ``_build`` (the target removes it), the venv taken as ready;
* ``make test`` as a reviewer runs it: the book build from the stored outputs, then unit tests,
  strict nbval (which executes each notebook once) and the browser tests, shared among processes
  (``make_test_seconds``);
* throughput: ``proxylens extract`` over ``seeds/`` against spaCy's own ``nlp.pipe`` over the
  same block texts with the same model, in one process after a warm-up, best of three alternating runs;
* parallel: documents/s of ``--jobs 1``, ``--jobs 2`` (two runs each, in the order 1, 2, 2, 1) and
  ``--dask`` on a 2-worker ``LocalCluster`` over the same 1,000 documents (250 copies of each seed,
  made distinct by one appended line), each a fresh process, and whether all outputs are byte-identical;
* memory: ``--jobs 1`` over 1x, 100x and 1,000x the seeds, with wall time and the run's own peak
  memory, and over one 28 MiB document (processed in pieces, see ``proxylens.pipeline.PIECE_CHARS``);
* incremental: a run with ``--cache`` over 100x the seeds, 1 % more documents, the re-run's time,
  and whether its output equals a run without cache.

``--only PARTS`` measures some parts; with ``--keep`` the other parts' rows are carried over from the
CSV being replaced, each part with the load average its own run began with (``load_average_<part>``),
so a long part (memory over 1,000x the seeds) can run apart from the parts that need a quiet machine.
``--quick`` skips the book and the tests and uses small corpora; it writes a CSV only when
``--out`` is given, so a quick look never replaces the committed full run. Timings depend on
the machine and on whatever else runs on it: the CSV is a record of one run, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["metric", "value", "unit", "note"]
# What each run measures: the corpus for --jobs/Dask throughput (250x the four seeds = 1,000
# documents), the corpora for peak memory, the size of the one long document, the incremental corpus.
# The long document: 28 MiB, under the default --max-bytes (64 MiB), processed in pieces.
FULL = {"parallel": 250, "memory": (1, 100, 1000), "long": (28 * 2**20,), "incremental": 100}
QUICK = {"parallel": 10, "memory": (1, 5, 10), "long": (2**20,), "incremental": 10}
# The parallel runs, in order: the --jobs modes alternate (see measure_parallel), Dask comes last.
PARALLEL_ORDER = ("jobs1", "jobs2", "jobs2", "jobs1", "dask2")
MANIFEST_COLUMNS = ("file", "title", "outlet", "published", "published_precision", "doc_kind")
STEP_TIMEOUT = 1800  # seconds: a hung build or test run is stopped, not waited for
# The long document is hours of one core's work on a busy machine: stopped only after this long.
LONG_TIMEOUT = 4 * 3600


@dataclass
class Result:
    """One measured number."""

    metric: str
    value: float
    unit: str
    note: str = ""

    def row(self) -> dict:
        return {"metric": self.metric, "value": _fmt(self.value), "unit": self.unit, "note": self.note}


def _fmt(value: float) -> str:
    """Integers without a decimal point, other numbers rounded to 3 places."""
    if float(value).is_integer():
        return str(int(value))
    return f"{round(float(value), 3):g}"


def write_csv(results: list[Result], path: Path) -> None:
    """Write ``results`` as CSV (UTF-8, header row, minimal quoting, ``\\n`` line ends)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        for r in results:
            writer.writerow(r.row())


# ---------------------------------------------------------------- the scaled corpus


def read_manifest(docs_dir: Path) -> dict[str, dict]:
    """``{file: row}`` of ``docs_dir/sources.csv``; empty when there is none."""
    path = docs_dir / "sources.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def copy_line(stem: str, copy: int) -> str:
    """The line appended to copy ``copy`` of a document, which makes its content unique."""
    return f"Benchmark copy {copy} of document {stem}."


def build_scaled_corpus(docs_dir: Path, out_dir: Path, factor: int) -> list[Path]:
    """Write ``factor`` copies of every ``*.txt`` of ``docs_dir`` into ``out_dir``, with a manifest.

    Copy 0 is the document unchanged; copy k > 0 has :func:`copy_line` appended, so no two files
    share content (the loader rejects duplicates). The manifest keeps each original's date and
    kind (without its sha256, which the appended line changes). Returns the files written, sorted.
    """
    if factor < 1:
        raise ValueError("factor must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(docs_dir)
    written, rows = [], []
    for path in sorted(docs_dir.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        for k in range(factor):
            name = f"{path.stem}__{k:03d}.txt"
            body = text if k == 0 else text.rstrip("\n") + "\n\n" + copy_line(path.stem, k) + "\n"
            (out_dir / name).write_bytes(body.encode("utf-8"))
            written.append(out_dir / name)
            meta = manifest.get(path.name, {})
            rows.append({c: meta.get(c, "") for c in MANIFEST_COLUMNS} | {"file": name})
    with (out_dir / "sources.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(MANIFEST_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return sorted(written)


# ---------------------------------------------------------------- running commands


@dataclass
class Run:
    seconds: float
    returncode: int
    peak_rss_kib: int  # 0 unless measured
    tail: str


# A small process that starts the command and reports that command's own peak memory. It is
# needed because Linux counts in a child's ru_maxrss the memory of the process it was forked
# from: launched straight from this script (which holds the model after the throughput step)
# every child would report at least this script's size.
LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(cmd: list[str], cwd: Path = ROOT, timeout: float = STEP_TIMEOUT, memory: bool = False) -> Run:
    """Run ``cmd``: its wall time, exit code, last output line and, with ``memory``, its peak resident memory.

    Peak memory is the command's own ``ru_maxrss`` from ``os.wait4`` in a small launcher
    process (see :data:`LAUNCHER`), not the running maximum over every child that
    ``RUSAGE_CHILDREN`` gives. On Linux ``ru_maxrss`` is in KiB.
    """
    with tempfile.TemporaryDirectory(prefix="proxylens-run-") as tmp:
        rss_file = Path(tmp) / "rss"
        full = [sys.executable, "-c", LAUNCHER, str(rss_file), *cmd] if memory else cmd
        with (Path(tmp) / "log").open("w+b") as log:
            start = time.perf_counter()
            proc = subprocess.Popen(full, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
            timer.start()
            try:
                proc.wait()
            finally:
                timer.cancel()
            seconds = time.perf_counter() - start
            log.seek(0)
            lines = [ln for ln in log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        rss = int(rss_file.read_text()) if memory and rss_file.exists() else 0
    return Run(seconds, proc.returncode, rss, lines[-1].strip() if lines else "")


def _status(run: Run) -> str:
    return "exit 0" if run.returncode == 0 else f"exit {run.returncode}: {run.tail[:160]}"


def measure_setup(fresh: bool) -> list[Result]:
    """Time installing requirements.txt: into the existing venv (a check) or into a fresh one."""
    pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(ROOT / "requirements.txt")]
    if not fresh:
        run = run_measured([sys.executable, *pip])
        note = ("pip install -r requirements.txt into the existing venv: a no-op check that every pin is "
                f"satisfied, not a fresh install (run with --setup for that); {_status(run)}")
        return [Result("setup_seconds", round(run.seconds, 2), "s", note)]
    with tempfile.TemporaryDirectory(prefix="proxylens-venv-") as tmp:
        venv = run_measured([sys.executable, "-m", "venv", tmp])
        install = run_measured([str(Path(tmp) / "bin" / "python"), *pip])
        note = f"fresh venv in a temporary folder plus pip install -r requirements.txt (network); {_status(install)}"
        return [Result("setup_seconds", round(venv.seconds + install.seconds, 2), "s", note)]


def measure_book() -> tuple[Result, Run]:
    """Time ``make book`` (it removes ``_build`` first); the venv is taken as ready (``make -o``)."""
    run = run_measured(["make", "-o", ".venv/.installed", "book"])
    note = f"make book from a clean _build (warning-free build -W -n), venv ready; {_status(run)}"
    return Result("book_seconds", round(run.seconds, 2), "s", note), run


def measure_tests() -> tuple[Result, Run]:
    """Time ``make test`` as a reviewer runs it (the book from stored outputs, then the unit, nbval and
    browser tests shared among processes); the venv is taken as ready (``make -o``)."""
    run = run_measured(["make", "-o", ".venv/.installed", "test"])
    note = ("make test: a warning-free book build from stored outputs, then unit tests, data contracts and "
            f"strict nbval and the browser tests, shared among processes; venv ready; {_status(run)}")
    return Result("make_test_seconds", round(run.seconds, 2), "s", note), run


def _best_interleaved(first, second, repeats: int) -> tuple[float, float]:
    """Best wall time of each of two functions over ``repeats`` alternating runs.

    Alternating them exposes both to the same drift in machine load.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for fn, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def measure_throughput(docs_dir: Path, repeats: int = 3) -> list[Result]:
    """``proxylens extract`` over ``docs_dir`` against ``nlp.pipe`` over the same block texts.

    Both run in this process with the same loaded model, after one warm-up run each; the best of
    ``repeats`` alternating runs counts. The extract side is the command's own function: load, parse,
    every stage, CSV writing.
    """
    from proxylens.cli import run_extract
    from proxylens.corpus import blocks, load_corpus
    from proxylens.nlp import load_nlp

    nlp = load_nlp()
    documents = load_corpus(docs_dir).documents
    texts = [d.text[s:e] for d in documents for s, e in blocks(d.text)]
    with tempfile.TemporaryDirectory(prefix="proxylens-bench-") as out:
        def extract():
            with contextlib.redirect_stderr(io.StringIO()):
                run_extract(docs_dir, Path(out), quiet=True)

        def pipe():
            for _ in nlp.pipe(texts, batch_size=64):
                pass

        extract()
        pipe()
        t_extract, t_pipe = _best_interleaved(extract, pipe, repeats)
    n = len(documents)
    where = f"{n} documents, {len(texts)} blocks of {docs_dir.name}/; best of {repeats} alternating runs after a warm-up"
    return [
        Result("extract_seconds", round(t_extract, 3), "s", f"proxylens extract in process; {where}"),
        Result("spacy_pipe_seconds", round(t_pipe, 3), "s", f"nlp.pipe(batch_size=64) over the same blocks; {where}"),
        Result("extract_docs_per_second", round(n / t_extract, 2), "docs/s", "proxylens extract"),
        Result("spacy_pipe_docs_per_second", round(n / t_pipe, 2), "docs/s", "spaCy nlp.pipe, same model"),
        Result("extract_to_spacy_ratio", round(t_extract / t_pipe, 3), "ratio",
               "extract time over nlp.pipe time: the cost of the rule stages and CSV writing on top of the model"),
    ]


def extract_cmd(corpus: Path, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "proxylens", "extract", str(corpus), "--out", str(out), "--quiet", *options]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def measure_parallel(docs_dir: Path, factor: int) -> list[Result]:
    """Documents/s of ``--jobs 1``, ``--jobs 2`` and a 2-worker Dask LocalCluster over the same corpus
    (``factor`` distinct copies of every seed), each a fresh ``proxylens extract`` process, and
    whether every run wrote the same bytes."""
    from distributed import LocalCluster

    results, outputs, rates = [], {}, {}
    with tempfile.TemporaryDirectory(prefix="proxylens-parallel-") as tmp:
        corpus = Path(tmp) / "docs"
        n = len(build_scaled_corpus(docs_dir, corpus, factor))
        # --jobs 1 and --jobs 2 run twice each, in the order 1, 2, 2, 1: a core's speed drifts on a
        # shared machine (the same run took from 23 to 31 s within minutes), and a steady drift then
        # slows both modes alike. The cluster runs only for its own measurement: idle, its scheduler
        # and two workers still took about 5 % of this 2-core machine, which --jobs 2 would lose.
        labels = {"jobs1": "--jobs 1", "jobs2": "--jobs 2",
                  "dask2": "--dask on a 2-worker LocalCluster (1 thread each), started before the run"}
        seconds: dict[str, list[float]] = {mode: [] for mode in labels}
        for mode in PARALLEL_ORDER:
            out = Path(tmp) / f"{mode}-{len(seconds[mode]) + 1}"
            with contextlib.ExitStack() as stack:
                if mode == "dask2":
                    cluster = stack.enter_context(LocalCluster(
                        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None))
                    options = ["--dask", cluster.scheduler_address]
                else:
                    options = ["--jobs", mode.removeprefix("jobs")]
                run = run_measured(extract_cmd(corpus, out, *options))
            if run.returncode != 0:
                raise SystemExit(f"benchmark: extract {' '.join(options)} failed: {run.tail}")
            outputs[out.name] = _files(out)
            shutil.rmtree(out)
            seconds[mode].append(run.seconds)
        for mode, runs in seconds.items():
            rates[mode] = n * len(runs) / sum(runs)
            each = " and ".join(f"{s:.2f}" for s in runs)
            results += [
                Result(f"parallel_{mode}_seconds", round(sum(runs) / len(runs), 2), "s",
                       f"proxylens extract {labels[mode]}; {n} documents ({factor}x the seeds, distinct texts); "
                       f"a fresh process, start-up and model loading included"
                       + (f"; mean of {len(runs)} runs ({each} s)" if len(runs) > 1 else "")),
                Result(f"parallel_{mode}_docs_per_second", round(rates[mode], 2), "docs/s",
                       f"proxylens extract {labels[mode]}"),
            ]
    same = len({tuple(files.items()) for files in outputs.values()}) == 1
    jobs_order = ", ".join(m.removeprefix("jobs") for m in PARALLEL_ORDER if m.startswith("jobs"))
    results += [
        Result("parallel_documents", n, "docs", f"{factor}x the seeds"),
        Result("parallel_jobs2_speedup", round(rates["jobs2"] / rates["jobs1"], 3), "ratio",
               f"docs/s with --jobs 2 over docs/s with --jobs 1, each from two runs in the order {jobs_order} "
               "(goal: at least 1.8 on 2 cores)"),
        Result("parallel_dask2_speedup", round(rates["dask2"] / rates["jobs1"], 3), "ratio",
               "docs/s on a 2-worker Dask LocalCluster over docs/s with --jobs 1"),
        Result("parallel_outputs_identical", int(same), "bool", "1 when every run (--jobs 1 twice, --jobs 2 twice, Dask once) wrote the same bytes"),
    ]
    return results


def measure_scaling(docs_dir: Path, factors: tuple[int, ...]) -> list[Result]:
    """Wall time and peak memory of ``proxylens extract --jobs 1`` over growing copies of the corpus."""
    results, rss = [], {}
    for factor in factors:
        with tempfile.TemporaryDirectory(prefix=f"proxylens-scale-{factor}x-") as tmp:
            corpus, out = Path(tmp) / "docs", Path(tmp) / "out"
            n = len(build_scaled_corpus(docs_dir, corpus, factor))
            run = run_measured(extract_cmd(corpus, out, "--jobs", "1"), memory=True)
        if run.returncode != 0:
            raise SystemExit(f"benchmark: extract over {factor}x failed: {run.tail}")
        rss[factor] = run.peak_rss_kib / 1024
        label = f"{factor}x the seeds, --jobs 1, a fresh process (includes start-up and model loading)"
        results += [
            Result(f"scale_{factor}x_documents", n, "docs", label),
            Result(f"scale_{factor}x_seconds", round(run.seconds, 2), "s", label),
            Result(f"scale_{factor}x_docs_per_second", round(n / run.seconds, 2), "docs/s", label),
            Result(f"scale_{factor}x_peak_rss_mib", round(rss[factor], 1), "MiB", f"{label}; ru_maxrss of the run"),
        ]
    top = max(factors)
    results.append(Result("scale_memory_growth", round(rss[top] / rss[min(factors)], 3), "ratio",
                          f"peak memory at {top}x over peak memory at {min(factors)}x (goal: within 1.1)"))
    return results


def write_long_document(docs_dir: Path, path: Path, size: int) -> int:
    """Write one document of about ``size`` bytes: the seeds' texts over and over, each round with a
    numbered line (so no two rounds are the same text). Returns the bytes written."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(docs_dir.glob("*.txt"))]
    written, k = 0, 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        while written < size:
            piece = f"Archive section {k}.\n\n" + texts[k % len(texts)].rstrip("\n") + "\n\n"
            fh.write(piece)
            written += len(piece.encode("utf-8"))
            k += 1
    return written


def measure_long_document(docs_dir: Path, size: int) -> list[Result]:
    """Wall time, peak memory and outcome of ``proxylens extract`` over one document of ``size``
    bytes, with the default ``--max-bytes`` (a larger file is refused with one line; a document
    longer than a piece is processed in pieces)."""
    with tempfile.TemporaryDirectory(prefix="proxylens-long-") as tmp:
        corpus = Path(tmp) / "docs"
        corpus.mkdir()
        n = write_long_document(docs_dir, corpus / "long.txt", size)
        run = run_measured(extract_cmd(corpus, Path(tmp) / "out"), memory=True, timeout=LONG_TIMEOUT)
    label = f"long_{_fmt(round(size / 2**20, 2)).replace('.', '_')}mib"
    outcome = "processed" if run.returncode == 0 else f"exit {run.returncode}: {run.tail[:160]}"
    what = f"one {n:,}-byte document made of the seeds' texts repeated"
    results = [Result(f"{label}_seconds", round(run.seconds, 2), "s", f"proxylens extract over {what}: {outcome}")]
    if run.peak_rss_kib:  # a run stopped by the timeout has no peak of its own: left out, not written as 0
        results.append(Result(f"{label}_peak_rss_mib", round(run.peak_rss_kib / 1024, 1), "MiB",
                              f"ru_maxrss of that run (goal: under 1024); {outcome}"))
    results.append(Result(f"{label}_processed", int(run.returncode == 0), "bool",
                          "1 when the document was processed, 0 when it was refused (above --max-bytes) or failed"))
    return results


def measure_incremental(docs_dir: Path, factor: int) -> list[Result]:
    """A cold run with a parse cache over ``factor`` copies of the seeds, then 1 % more documents
    and a re-run with the same cache (``--jobs 2``); the re-run's output is compared with a cold
    run without cache over the grown corpus."""
    with tempfile.TemporaryDirectory(prefix="proxylens-incremental-") as tmp:
        corpus, cache = Path(tmp) / "docs", Path(tmp) / "cache"
        n = len(build_scaled_corpus(docs_dir, corpus, factor))
        cold = run_measured(extract_cmd(corpus, Path(tmp) / "cold", "--jobs", "2", "--cache", str(cache)))
        added = max(1, n // 100)
        grown = Path(tmp) / "grown"
        build_scaled_corpus(docs_dir, grown, factor + -(-added // len(list(docs_dir.glob("*.txt")))))
        names = sorted(p.name for p in grown.glob("*.txt"))
        new_names = [name for name in names if not (corpus / name).exists()][:added]
        for name in new_names:
            shutil.copy2(grown / name, corpus / name)
        with (grown / "sources.csv").open(encoding="utf-8", newline="") as fh:
            keep = [row for row in csv.DictReader(fh) if (corpus / row["file"]).exists()]
        with (corpus / "sources.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(MANIFEST_COLUMNS), lineterminator="\n")
            writer.writeheader()
            writer.writerows(keep)
        rerun = run_measured(extract_cmd(corpus, Path(tmp) / "rerun", "--jobs", "2", "--cache", str(cache)))
        fresh = run_measured(extract_cmd(corpus, Path(tmp) / "fresh", "--jobs", "2"))
        for run in (cold, rerun, fresh):
            if run.returncode != 0:
                raise SystemExit(f"benchmark: incremental run failed: {run.tail}")
        same = _files(Path(tmp) / "rerun") == _files(Path(tmp) / "fresh")
    where = f"{n} documents ({factor}x the seeds), --jobs 2"
    return [
        Result("incremental_cold_seconds", round(cold.seconds, 2), "s", f"first run with --cache; {where}"),
        Result("incremental_added_documents", len(new_names), "docs", "documents added after the first run (1 %)"),
        Result("incremental_rerun_seconds", round(rerun.seconds, 2), "s",
               "re-run with the same --cache after adding them: only the new documents are parsed"),
        Result("incremental_fresh_seconds", round(fresh.seconds, 2), "s", "the grown corpus again without a cache"),
        Result("incremental_outputs_identical", int(same), "bool", "1 when the re-run wrote the same bytes as the fresh run"),
    ]


# ---------------------------------------------------------------- putting it together


def context() -> list[Result]:
    """What the numbers were measured on."""
    return [Result("cpu_count", os.cpu_count() or 0, "cores",
                   f"Python {platform.python_version()} on {platform.system()} {platform.machine()}"),
            load_average("start"), cpu_reference("start")]


# A fixed amount of pure-Python work (this many additions in a loop), timed at the start and the end:
# on a shared or throttled machine one core's speed drifts, and the load average does not show it.
REFERENCE_ADDITIONS = 10_000_000


def cpu_reference(when: str) -> Result:
    """Seconds one core takes for :data:`REFERENCE_ADDITIONS` additions, best of three."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(REFERENCE_ADDITIONS):
            total += i
        best = min(best, time.perf_counter() - start)
    return Result(f"cpu_reference_{when}", round(best, 3), "s",
                  f"one core's time for {REFERENCE_ADDITIONS:,} additions in a Python loop at the {when} of the "
                  "benchmark (best of 3): the same work, so a larger value means a slower processor at that moment")


def load_average(when: str) -> Result:
    """The 1-minute load average now: above the core count, other work competed for the CPU."""
    return Result(f"load_average_{when}", round(os.getloadavg()[0], 2), "processes",
                  f"1-minute load average at the {when} of the benchmark; above cpu_count, timings are inflated")


def summary(results: list[Result]) -> str:
    """A readable table of every number, then each budget of DESIGN.md with its verdict."""
    from proxylens.evaluation.budgets import BUDGETS, within

    width = max(len(r.metric) for r in results)
    lines = [f"{r.metric:<{width}}  {_fmt(r.value):>10} {r.unit:<7} {r.note[:90]}" for r in results]
    values = {r.metric: r.value for r in results}
    lines += ["", "budgets:"]
    for metric, comparison, limit, meaning in BUDGETS:
        value = values.get(metric)
        verdict = "not measured" if value is None else ("kept" if within(value, comparison, limit) else "MISSED")
        shown = "-" if value is None else _fmt(value)
        lines.append(f"  {meaning:<62} {shown:>8} {comparison} {limit:g}: {verdict}")
    return "\n".join(lines)


# The parts a run can measure (``--only``); a part left out is reported as not measured, or, with
# ``--keep``, keeps the rows an earlier run wrote for it. Each part's metrics start with its prefixes.
PARTS = ("book", "tests", "throughput", "parallel", "memory", "long", "incremental")
PART_PREFIXES = {"book": ("book_",), "tests": ("make_test_",), "throughput": ("extract_", "spacy_"),
                 "parallel": ("parallel_",), "memory": ("scale_",), "long": ("long_",),
                 "incremental": ("incremental_",)}


def part_of(metric: str) -> str | None:
    """The part a metric belongs to (its own ``load_average_<part>`` row included); None for the
    rows every run writes (cores, set-up, load at start and end)."""
    for part, prefixes in PART_PREFIXES.items():
        if metric == f"load_average_{part}" or metric.startswith(prefixes):
            return part
    return None


def part_load(part: str) -> Result:
    """The 1-minute load average as ``part`` begins: its rows can be kept into a later run (``--keep``)."""
    return Result(f"load_average_{part}", round(os.getloadavg()[0], 2), "processes",
                  f"1-minute load average when the {part} measurements began")


def kept_rows(path: Path, measured: set[str]) -> list[Result]:
    """The rows of ``path`` that belong to a part not measured in this run."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    kept = []
    for row in rows:
        part = part_of(row["metric"])
        if part is not None and part not in measured:
            value = float(row["value"])
            kept.append(Result(row["metric"], int(value) if value.is_integer() and "." not in row["value"] else value,
                               row["unit"], row["note"]))
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip the book and the tests; small corpora (see QUICK); writes only with --out")
    parser.add_argument("--setup", action="store_true", help="time a fresh venv install (slow, needs the network)")
    parser.add_argument("--out", type=Path, default=None,
                        help="CSV to write (default: data/derived/benchmark.csv; a quick run writes only with --out)")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to measure (default: all of {','.join(PARTS)}); "
                             "the others are written as not measured")
    parser.add_argument("--keep", action="store_true",
                        help="keep, from the CSV being replaced, the rows of the parts not measured now "
                             "(each with the load average its own run began with)")
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if parts - set(PARTS):
        parser.error(f"--only: unknown part(s) {', '.join(sorted(parts - set(PARTS)))}")
    if args.quick:
        parts -= {"book", "tests"}
    if shutil.which("make") is None and parts & {"book", "tests"}:
        raise SystemExit("benchmark: make is needed to time make book")
    seeds = ROOT / "seeds"
    results = context()
    print("benchmark: set-up ...", flush=True)
    results += measure_setup(args.setup)
    if "book" in parts:
        print("benchmark: make book ...", flush=True)
        results.append(part_load("book"))
        results.append(measure_book()[0])
    if "tests" in parts:
        print("benchmark: test suite ...", flush=True)
        results.append(part_load("tests"))
        results.append(measure_tests()[0])
    plan = QUICK if args.quick else FULL
    if "throughput" in parts:
        print("benchmark: throughput against spaCy ...", flush=True)
        results.append(part_load("throughput"))
        results += measure_throughput(seeds)
    if "parallel" in parts:
        print(f"benchmark: --jobs 1, --jobs 2 and Dask over {plan['parallel']}x the seeds ...", flush=True)
        results.append(part_load("parallel"))
        results += measure_parallel(seeds, plan["parallel"])
    if "memory" in parts:
        print(f"benchmark: peak memory at {', '.join(f'{f}x' for f in plan['memory'])} ...", flush=True)
        results.append(part_load("memory"))
        results += measure_scaling(seeds, plan["memory"])
    if "long" in parts:
        results.append(part_load("long"))
        for size in plan["long"]:
            print(f"benchmark: one document of {size:,} bytes ...", flush=True)
            results += measure_long_document(seeds, size)
    if "incremental" in parts:
        print(f"benchmark: incremental re-run over {plan['incremental']}x the seeds ...", flush=True)
        results.append(part_load("incremental"))
        results += measure_incremental(seeds, plan["incremental"])
    out = args.out or (None if args.quick else ROOT / "data" / "derived" / "benchmark.csv")
    if out is not None and args.keep:
        kept = kept_rows(out, parts)
        results += kept
        print(f"benchmark: kept {len(kept)} rows of earlier runs for: "
              f"{', '.join(sorted({part_of(r.metric) for r in kept})) or 'nothing'}")
    results += [load_average("end"), cpu_reference("end")]
    print(summary(results))
    if out is not None:
        write_csv(results, out)
        print(f"benchmark: wrote {out.resolve().relative_to(ROOT) if out.resolve().is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
