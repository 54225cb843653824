"""The claims stage's evaluation as tables (proxylens.evaluation.claims: counts, summary, misses)."""

import pandas as pd

from proxylens.evaluation import claims as claims_eval


def test_evaluation_counts_from_details():
    details = pd.DataFrame([
        {"gold_attribution": "indirect", "found": True, "claimant_ok": True, "attribution_ok": True,
         "gold_evidence": "official_statement", "auto_evidence": "official_statement"},
        {"gold_attribution": "anonymous", "found": True, "claimant_ok": False, "attribution_ok": False,
         "gold_evidence": "none_given", "auto_evidence": "press_report"},
        {"gold_attribution": "direct_quote", "found": False, "claimant_ok": False, "attribution_ok": False,
         "gold_evidence": "interview_or_video", "auto_evidence": ""},
        {"gold_attribution": "author_voice", "found": True, "claimant_ok": True, "attribution_ok": True,
         "gold_evidence": "none_given", "auto_evidence": "none_given"},
    ])
    metrics = pd.DataFrame({"value": pd.Series({"auto_claims": 5, "auto_unmatched": 1})})
    counts = claims_eval.evaluation_counts({"metrics": metrics, "details": details})
    assert counts.loc["attributed claims found", ["right", "of"]].tolist() == [2, 3]
    assert counts.loc["found with the right claimant", ["right", "of"]].tolist() == [1, 3]
    assert counts.loc["found with the right claimant", "share"] == 0.333
    assert counts.loc["right claimant among those found", ["right", "of"]].tolist() == [1, 2]
    assert counts.loc["attribution type right", ["right", "of"]].tolist() == [2, 3]
    assert counts.loc["evidence type right", ["right", "of"]].tolist() == [1, 2]
    assert counts.loc["author-voice claims found", ["right", "of"]].tolist() == [1, 1]
    assert counts.loc["automatic claims overlapping a gold claim", ["right", "of"]].tolist() == [4, 5]
    summary = claims_eval.evaluation_summary({"set": {"metrics": metrics, "details": details}})
    assert summary.loc["found with the right claimant", "set"] == "1 of 3 (33.3%)"


def test_claim_tables_agree_with_the_scorer(evaluation):
    seeds = evaluation.sources["seeds"]
    result = claims_eval.result_frames(seeds.claim_metrics, seeds.claim_details, seeds.claim_unmatched)
    m = result["metrics"]["value"]
    counts = claims_eval.evaluation_counts(result)
    assert counts.loc["attributed claims found", "of"] == m["attributed_gold"]
    assert counts.loc["found with the right claimant", "right"] == m["claimant_right"]
    assert counts.loc["found with the right claimant", "share"] == round(m["claimant_recall"], 3)
    assert counts.loc["attribution type right", "share"] == round(m["attribution_accuracy"], 3)
    assert len(result["details"]) == m["gold_claims"]
    misses = claims_eval.claimant_misses(result["details"])
    attributed = result["details"][result["details"]["gold_attribution"] != "author_voice"]
    assert len(misses) == len(attributed) - m["claimant_right"]
