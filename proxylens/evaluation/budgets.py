"""The project's budgets and the benchmark run that checks them (``data/derived/benchmark.csv``).

``scripts/benchmark.py`` (``make bench``) measures and writes the benchmark; this module holds the
budgets of DESIGN.md it is checked against and reads a run back for the Evaluation chapter.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from proxylens.paths import derived_dir

# The project's budgets for a two-core machine, as (metric, comparison, limit, what it means).
# "Memory flat as the corpus grows" is read as: peak memory at the largest corpus of the scaling run
# (1,000 times the seeds in a full run) within 1.1 times peak memory at 1 time.
BUDGETS = (
    ("book_seconds", "<", 60.0, "make book from a clean _build, venv ready"),
    ("make_test_seconds", "<", 60.0, "make test: the book from stored outputs, then unit, nbval and browser tests"),
    ("extract_to_spacy_ratio", "<=", 1.5, "proxylens extract time over spaCy nlp.pipe time, same texts"),
    ("parallel_jobs2_speedup", ">=", 1.8, "documents per second with --jobs 2 over --jobs 1"),
    ("scale_memory_growth", "<=", 1.1, "peak memory at the largest corpus over peak memory at 1x"),
    ("long_28mib_peak_rss_mib", "<", 1024.0, "peak memory for one 28 MiB document (MiB)"),
)


def benchmark_path() -> Path:
    return derived_dir() / "benchmark.csv"


def read_benchmark(path: Path | None = None) -> pd.DataFrame | None:
    """The benchmark table (metric, value, unit, note) with numeric values; None when it was never run."""
    path = path or benchmark_path()
    if not path.exists():
        return None
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df["value"] = pd.to_numeric(df["value"])
    return df


def within(value: float, comparison: str, limit: float) -> bool:
    """Whether ``value`` keeps a budget ``comparison`` (``<``, ``<=`` or ``>=``) ``limit``."""
    if comparison == ">=":
        return value >= limit
    return value < limit if comparison == "<" else value <= limit


def budget_table(bench: pd.DataFrame) -> pd.DataFrame:
    """Each budget with its measured value and whether it was kept (``missing`` when not measured)."""
    values = dict(zip(bench["metric"], bench["value"]))
    rows = []
    for metric, comparison, limit, meaning in BUDGETS:
        value = values.get(metric)
        kept = "missing" if value is None else ("yes" if within(value, comparison, limit) else "no")
        rows.append({"budget": meaning, "metric": metric, "measured": value, "limit": f"{comparison} {limit:g}",
                     "kept": kept})
    return pd.DataFrame(rows, columns=["budget", "metric", "measured", "limit", "kept"])


def budget_verdicts(bench: pd.DataFrame | None) -> dict[str, str]:
    """``{metric: "within budget" | "over budget" | "not measured"}`` for every budget."""
    words = {"yes": "within budget", "no": "over budget", "missing": "not measured"}
    if bench is None:
        return {metric: words["missing"] for metric, *_ in BUDGETS}
    table = budget_table(bench)
    return {m: words[k] for m, k in zip(table["metric"], table["kept"])}


def scaling_table(bench: pd.DataFrame) -> pd.DataFrame:
    """One row per corpus size of the scaling run: factor, documents, seconds, peak memory (MiB)."""
    values = dict(zip(bench["metric"], bench["value"]))
    factors = sorted({int(m.group(1)) for m in (re.match(r"^scale_(\d+)x_", k) for k in values) if m})
    rows = [{"factor": f, "documents": int(values.get(f"scale_{f}x_documents", 0)),
             "seconds": values.get(f"scale_{f}x_seconds"), "peak_rss_mib": values.get(f"scale_{f}x_peak_rss_mib")}
            for f in factors]
    return pd.DataFrame(rows, columns=["factor", "documents", "seconds", "peak_rss_mib"])




def benchmark_paragraph(bench: pd.DataFrame | None) -> str:
    """What the committed benchmark run says, as Markdown: one clause per budget that was measured
    (a metric missing from the run is left out rather than printed as a blank), then the scaling run
    and the machine's load, which says how far the timings can be trusted."""
    if bench is None:
        return "The benchmark has not been run in this build (`make bench` writes it)."
    value = dict(zip(bench["metric"], bench["value"]))
    described = dict(zip(bench["metric"], bench["note"])) if "note" in bench else {}
    verdict = budget_verdicts(bench)
    words = {"<": "under", "<=": "at most", ">=": "at least"}
    limit = {metric: (words.get(comparison, comparison), bound) for metric, comparison, bound, _ in BUDGETS}
    clauses = {
        "book_seconds": lambda v: f"`make book` took {v:.0f} s",
        "make_test_seconds": lambda v: (f"`make test`, which builds the book from the stored outputs and then "
                                        f"runs the unit, nbval and browser tests in parallel, took {v:.0f} s"),
        "extract_to_spacy_ratio": lambda v: f"the extractor took {v:.2f} times as long as spaCy's own `nlp.pipe`",
        "parallel_jobs2_speedup": lambda v: (f"two processes extracted {v:.2f} times as many documents a second as one"
                                             + (" over two runs of each, taken in the order one, two, two, one"
                                                if "1, 2, 2, 1" in described.get("parallel_jobs2_speedup", "") else "")),
    }
    unit = {"book_seconds": " s", "make_test_seconds": " s", "extract_to_spacy_ratio": " times",
            "parallel_jobs2_speedup": " times"}
    parts = [f"{text(value[m])} ({verdict[m]}: the limit is {limit[m][0]} {limit[m][1]:g}{unit[m]})"
             for m, text in clauses.items() if m in value]
    paragraphs = ["In the committed run, " + "; ".join(parts) + "."] if parts else []
    largest = max((int(m.group(1)) for m in (re.match(r"^scale_(\d+)x_documents$", k) for k in value) if m),
                  default=None)
    if "scale_memory_growth" in value and largest is not None:
        paragraphs.append(
            f"Across the scaling run, up to {value[f'scale_{largest}x_documents']:.0f} documents, peak memory at the "
            f"largest corpus was {value['scale_memory_growth']:.2f} times that at the smallest "
            f"({verdict['scale_memory_growth']}): documents are read lazily and each one's rows are written before "
            f"the next is parsed, so beyond the language model only the documents in flight take memory.")
    if "parallel_outputs_identical" in value:
        same = "the same bytes" if value["parallel_outputs_identical"] == 1 else "different bytes"
        paragraphs.append(f"With one process, two processes and a two-worker Dask cluster the extractor wrote {same}.")
    measured = [m for m, *_ in BUDGETS if m not in value]
    if measured:
        paragraphs.append("Not measured in the committed run: " + "; ".join(
            meaning for m, _, _, meaning in BUDGETS if m in measured) + ".")
    parts = {m.removeprefix("load_average_"): v for m, v in value.items()
             if m.startswith("load_average_") and m not in ("load_average_start", "load_average_end")}
    if parts and "cpu_count" in value:
        paragraphs.append(
            f"The parts were measured on {value['cpu_count']:.0f} cores, each with its own 1-minute load average "
            f"as it began: " + ", ".join(f"{v:.1f} ({part})" for part, v in parts.items()) + ". A load above the "
            f"number of cores means other work competed for the processor, and the timings are then upper bounds "
            f"rather than what the machine can do alone.")
    elif {"load_average_start", "load_average_end", "cpu_count"} <= set(value):
        paragraphs.append(
            f"The run began with a 1-minute load average of {value['load_average_start']:.1f} on "
            f"{value['cpu_count']:.0f} cores and ended at {value['load_average_end']:.1f}. A load above the number "
            f"of cores means other work competed for the processor, and the timings are then upper bounds rather "
            f"than what the machine can do alone.")
    if {"cpu_reference_start", "cpu_reference_end"} <= set(value):
        paragraphs.append(
            f"The same fixed piece of work (ten million additions in a Python loop) took one core "
            f"{value['cpu_reference_start']:.2f} s as the run began and {value['cpu_reference_end']:.2f} s as it "
            f"ended: on a shared machine a core's speed drifts, and every timing above moves with it.")
    return "\n\n".join(paragraphs)
