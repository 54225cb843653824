"""The Admiralty grading of sources and items (:mod:`proxylens.grading`) and the grades in the curated data."""

from __future__ import annotations

import pandas as pd
import pytest

from proxylens import grading, tables

A = "000_aaaa"
B = "001_bbbb"
# Five claims in two documents, each with its credibility grade.
TINY = pd.DataFrame({"source_id": [A, A, A, B, B], "credibility": ["4", "1", "6", "5", "2"]})


@pytest.fixture(scope="module")
def curated():
    return {"claims": tables.curated("claims"), "evidence": tables.curated("ach_evidence"), "sources": tables.sources()}


def test_reliability_text_spells_out_the_letter():
    assert grading.reliability_text("B") == "B (usually reliable)"
    assert grading.reliability_text("F") == "F (cannot be judged)"
    assert grading.reliability_text("") == ""


def test_credibility_by_source_has_every_grade():
    table = grading.credibility_by_source(TINY)
    assert list(table.columns) == ["1", "2", "3", "4", "5", "6"]
    assert table.loc["000"].tolist() == [1, 0, 0, 1, 0, 1]
    assert table.loc["001"].tolist() == [0, 1, 0, 0, 1, 0]


def test_grading_summary_keeps_reliability_apart_from_credibility():
    sources = pd.DataFrame({"source_id": [A, B], "reliability": ["E", "B"], "outlet": ["x", "y"],
                            "reliability_note": ["n1", "n2"]})
    table = grading.grading_summary(TINY, sources)
    assert table.loc["000", "reliability"] == "E" and table.loc["001", "reliability"] == "B"
    assert table.loc["000", "share 1–2"] == round(1 / 3, 3)
    assert table.loc["000", "share 4–6"] == round(2 / 3, 3)
    assert (table.loc["001", "best"], table.loc["001", "worst"]) == (2, 5)
    grades = grading.source_grading(sources)
    assert list(grades["meaning"]) == ["unreliable", "usually reliable"]


def test_credibility_and_reliability_grades(curated):
    assert set(curated["claims"]["credibility"]) <= set(grading.CREDIBILITY)
    assert set(curated["evidence"]["credibility"]) <= set(grading.CREDIBILITY)
    assert set(curated["sources"]["reliability"]) <= set(grading.RELIABILITY)
