"""Extraction scores and benchmarks live in the Evaluation chapter (and budgets in Reproducibility).

The other chapters report what the documents say; how well the automatic stages read them is a
separate question, answered in one place. This test reads every chapter other than those two —
the notebooks' markdown, code and text outputs, and the introduction and methods pages — and fails
on either of two signs that a score has crept back in:

- code that runs an evaluation or reads the benchmark (a call into ``proxylens.evaluation``,
  ``proxylens.report.evaluation``, an ``evaluate_…`` or ``run_evaluation`` helper, ``score_table``,
  ``error_table`` or ``read_benchmark``);
- a metric word in what a reader sees: recall, F1, accuracy, true/false positives or negatives,
  Wilson intervals, throughput in documents per second, or "precision" next to "recall", "F1" or
  a score. The rule is narrow on purpose: "precision" alone is how this book speaks of dates
  ("a date at its true precision"), and "score" alone is also a fuzzy-match similarity.
"""

from __future__ import annotations

import json
import re

import pytest

from proxylens.paths import repo_root

ROOT = repo_root()
# Where scores belong: the Evaluation chapter and the Reproducibility page.
ALLOWED = {"notebooks/07_evaluation.ipynb", "book/reproducibility.md"}
# The data dictionary renders data/datapackage.json, which describes the stored evaluation tables
# (data/derived/evaluation/) column by column: metric words in its outputs name those columns, they
# are not scores. Its code and prose are checked like any chapter's.
DESCRIBES_EVALUATION_TABLES = {"99_data_dictionary.ipynb"}
CHAPTERS = sorted(
    p for p in [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("book/intro.*"), ROOT / "book" / "methods.md"]
    if p.exists() and str(p.relative_to(ROOT)) not in ALLOWED
)

EVALUATION_CODE = re.compile(
    r"proxylens\.evaluation|report\.evaluation|report import evaluation|\bevaluate_\w+\(|\brun_evaluation\(|"
    r"\bscore_table\(|\berror_table\(|\bread_benchmark\("
)
METRIC_WORDS = re.compile(
    r"\brecall\b|\bF1\b|\bf1\b|\baccuracy\b|\b(?:true|false)[ _](?:positive|negative)s?\b|\bWilson\b|"
    r"\bdocs?/s\b|\bdocuments per second\b|\bprecision\b[^.\n]{0,40}\b(?:recall|F1|score)|"
    r"\b(?:detection|mention|claim) precision\b",
    re.IGNORECASE,
)


def chapter_parts(path):
    """(where, kind, text) for everything a reader of ``path`` sees, and the code it runs."""
    if path.suffix != ".ipynb":
        yield path.name, "prose", path.read_text(encoding="utf-8")
        return
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        where = f"{path.name} cell {i}"
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            yield where, "code", source
            for out in cell.get("outputs", []):
                texts = [out.get("text", "")] + [v for m, v in out.get("data", {}).items() if m.startswith("text/")]
                for text in texts:
                    yield where, "output", "".join(text)
        else:
            yield where, "prose", source


def score_traces(path):
    """Every evaluation call and metric word in ``path``, as ``where: match`` strings."""
    found = []
    for where, kind, text in chapter_parts(path):
        if kind == "code":
            found += [f"{where}: runs {m.group(0)!r}" for m in EVALUATION_CODE.finditer(text)]
        if kind == "output" and path.name in DESCRIBES_EVALUATION_TABLES:
            continue
        # metric words in the code too: a column named "f1" is printed even if the prose avoids it
        found += [f"{where}: {m.group(0)!r}" for m in METRIC_WORDS.finditer(text)]
    return found


def test_chapters_are_found():
    names = {p.name for p in CHAPTERS}
    assert {"01_corpus.ipynb", "02_actors.ipynb", "04_timeline.ipynb", "05_claims.ipynb"} <= names
    assert "07_evaluation.ipynb" not in names


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_scores_outside_evaluation(path):
    traces = score_traces(path)
    assert not traces, "scores belong in the Evaluation chapter:\n" + "\n".join(traces[:10])


def test_the_rule_catches_a_score_and_spares_date_precision(tmp_path):
    nb = {"cells": [
        {"cell_type": "markdown", "source": ["Dates are kept at their true precision (a day, a month)."]},
        {"cell_type": "code", "source": ["report.something()"], "outputs": [
            {"output_type": "stream", "name": "stdout", "text": ["mention precision 0.99\n"]}]},
    ]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert score_traces(path) == ["x.ipynb cell 1: 'mention precision'"]
    nb["cells"][1]["source"] = ["seed_scores = ra.score_table(auto, gold)"]
    nb["cells"][1]["outputs"] = []
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert score_traces(path) == ["x.ipynb cell 1: runs 'score_table('"]
    assert score_traces(repo_root() / "notebooks" / "07_evaluation.ipynb"), "the evaluation chapter has scores"
