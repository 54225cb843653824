"""Heuer's Analysis of Competing Hypotheses (:mod:`proxylens.ach`) on a tiny matrix and on the curated one."""

from __future__ import annotations

import pandas as pd
import pytest

from proxylens import ach, tables
from proxylens.corpus import quote_span

A = "000_aaaa"
HYPS = pd.DataFrame({"hypothesis_id": ["H1", "H2"], "statement": ["one", "two"]})
MATRIX = pd.DataFrame({
    "evidence_id": ["e1", "e2", "e3", "e4"], "description": ["d1", "d2", "d3", "d4"],
    "source_id": [A, "", "", ""], "credibility": ["2", "3", "1", "5"],
    "H1": ["C", "CC", "N", "NA"], "H2": ["I", "II", "N", "I"],
})


@pytest.fixture(scope="module")
def curated():
    return {"hypotheses": tables.curated("ach_hypotheses"), "evidence": tables.curated("ach_evidence"),
            "texts": tables.seed_texts()}


def test_ach_scores_heuer_inconsistency_and_consistency():
    scores = ach.ach_scores(MATRIX, HYPS)
    assert scores.loc["H1", "inconsistency"] == 0 and scores.loc["H1", "consistency"] == 3
    assert scores.loc["H2", "inconsistency"] == -4 and scores.loc["H2", "consistency"] == 0
    assert scores.loc["H2", ["I", "II", "N"]].tolist() == [2, 1, 1]
    assert scores.loc["H1", ["CC", "C", "NA"]].tolist() == [1, 1, 1]
    assert scores["inconsistency"].idxmax() == "H1"


def test_ach_scores_with_weights():
    weights = pd.Series({"e1": 1, "e2": 0.5, "e3": 1, "e4": 1})
    scores = ach.ach_scores(MATRIX, HYPS, weights=weights)
    assert scores.loc["H2", "inconsistency"] == -3.0
    assert scores.loc["H1", "consistency"] == 2.0


def test_ach_diagnosticity_flags_evidence_that_scores_alike():
    diag = ach.ach_diagnosticity(MATRIX, HYPS)
    assert diag["spread"].to_dict() == {"e1": 2, "e2": 4, "e3": 0, "e4": 0}
    assert diag["diagnostic"].to_dict() == {"e1": True, "e2": True, "e3": False, "e4": False}
    assert diag.loc["e1", "against"] == "H2" and diag.loc["e3", "against"] == ""


def test_separating_and_disconfirming_evidence():
    sep = ach.separating_evidence(MATRIX, "H1", "H2")
    assert list(sep["evidence_id"]) == ["e1", "e2"] and set(sep["favours"]) == {"H1"}
    against = ach.disconfirming_evidence(MATRIX, HYPS)
    assert list(zip(against["hypothesis"], against["evidence_id"], against["value"])) == [
        ("H2", "e1", "I"), ("H2", "e2", "II"), ("H2", "e4", "I")]


def test_ach_matrix_columns():
    matrix = ach.ach_matrix(MATRIX, HYPS)
    assert list(matrix.columns) == ["description", "in seed", "credibility", "H1", "H2"]
    assert matrix.loc["e1", "in seed"] == "000" and matrix.loc["e2", "in seed"] == ""


def test_ach_quotes_exact_and_scores_valid(curated):
    evidence, hyps = curated["evidence"], ach.hypothesis_ids(curated["hypotheses"])
    assert evidence["evidence_id"].is_unique
    assert set(hyps) <= set(evidence.columns)
    for _, r in evidence.iterrows():
        for h in hyps:
            assert r[h] in ach.ACH_VALUES, (r["evidence_id"], h, r[h])
        if r["quote"]:
            quote_span(curated["texts"][r["source_id"]], r["quote"])
        else:
            assert r["source_id"] == "", r["evidence_id"]
        assert r["reference"].strip(), r["evidence_id"]


def test_ach_on_the_curated_matrix(curated):
    scores = ach.ach_scores(curated["evidence"], curated["hypotheses"])
    assert (scores["inconsistency"] <= 0).all() and (scores["consistency"] >= 0).all()
    counts = scores[list(ach.ACH_VALUES)].sum(axis=1)
    assert (counts == len(curated["evidence"])).all()
