"""The timeline stage's evaluation as tables (proxylens.evaluation.timeline)."""

from __future__ import annotations

import pytest

from proxylens.evaluation import timeline as tl
from proxylens.evaluation.timexes import Judged, events_summary


def judged(text, gold_type, rule, ours, lenient, base, base_lenient=None):
    return Judged("s", 0, 1, text, "2018-07", "2018-08", gold_type, "", rule, "", ours, base,
                  ours_lenient=lenient, baseline_lenient=base if base_lenient is None else base_lenient)


SYNTH = [judged("last month", "anchored", "last_month", True, True, True),
         judged("last week", "anchored", "last_week", False, True, False),
         judged("today", "anchored", "relative_today", False, False, True),
         judged("2013", "absolute", "year", True, True, True)]


def test_event_scores_strict_and_lenient():
    s = tl.event_scores(SYNTH)
    assert s.loc["anchored", "n"] == 3 and s.loc["all date words", "n"] == 4
    assert s.loc["anchored", "ours strict"] == "1/3 = 33.3%" and s.loc["anchored", "ours lenient"] == "2/3 = 66.7%"
    assert s.loc["anchored", "dateparser strict"] == "2/3 = 66.7%"
    assert s.loc["all date words", "ours strict"] == "2/4 = 50.0%"


def test_event_scores_by_rule_cover_anchored_words_only():
    s = tl.event_scores_by_rule(SYNTH)
    assert list(s.index) == ["last_month", "last_week", "relative_today"]
    assert s.loc["last_week", "ours strict"] == 0 and s.loc["last_week", "ours lenient"] == 1
    assert s["n"].sum() == 3


@pytest.fixture(scope="module")
def timeline(evaluation):
    return evaluation.sources["timeline"]


def test_wrapper_agrees_with_the_evaluation_module(timeline):
    evaluation = timeline
    assert events_summary(evaluation.events) == evaluation.seeds["events"]
    checks = tl.threshold_checks(evaluation)
    strict = evaluation.seeds["events"]["anchored"]["ours_strict"]
    assert (checks.loc["events, anchored words, strict", "correct"], checks.loc["events, anchored words, strict", "n"]) \
        == (strict["correct"], strict["n"])
    assert (checks["meets"] == (checks["accuracy"] >= tl.THRESHOLD)).all()
    by_rule = tl.event_scores_by_rule(evaluation.events)
    assert by_rule["n"].sum() == strict["n"] and by_rule["ours strict"].sum() == strict["correct"]


def test_gold_scores_put_seeds_and_unseen_side_by_side(timeline):
    evaluation = timeline
    g = tl.gold_scores(evaluation.seeds, evaluation.unseen)
    assert list(g.columns) == ["seeds", "unseen"]
    d = evaluation.seeds["end_to_end"]["detection"]
    assert g.loc["detection F1", "seeds"] == f"{d['f1']:.3f}"
    assert g.loc["gold expressions", "seeds"] == str(d["gold"])
    by_type = tl.gold_by_type(evaluation.seeds)
    assert by_type["n"].sum() == d["gold"]
