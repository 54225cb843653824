"""The timeline stage's evaluation as the tables the Evaluation chapter shows.

A layer over :mod:`proxylens.evaluation.timexes`: :func:`run_evaluation` scores the seeds' and the
unseen texts' extractions against the hand-made gold and the curated events; the other functions
shape its result (event scores, scores by rule, the threshold checks, gold scores by type).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from proxylens.corpus import doc_label
from proxylens.evaluation import timexes as ev

THRESHOLD = 0.9  # acceptance: at least 90% of anchored expressions resolved correctly


@dataclass
class TimelineEvaluation:
    """Every score of the timeline stage: seeds (gold and events), the judged event words, the unseen texts."""

    seeds: dict
    events: list  # list[proxylens.evaluation.timexes.Judged] for the events' date words
    unseen: dict | None


def run_evaluation(seeds, unseen, nlp=None, judged: dict | None = None) -> TimelineEvaluation:
    """Score the timeline stage on the seeds' and the unseen texts' extractions
    (:class:`proxylens.evaluation.corpus.Extraction`): the seed gold and the curated events, and
    the unseen texts' gold. ``unseen`` is None when there are no unseen texts. ``judged`` may give
    :func:`proxylens.evaluation.timexes.judge_gold` of each (``{"seeds": …, "unseen": …}``) when the
    caller has judged them already."""
    judged = judged or {}
    from proxylens import tables
    from proxylens.paths import curated_dir

    curated = curated_dir()
    sources = tables.sources()
    seed_result = ev.score_extracted(
        ev.extracted_from(seeds.tables, seeds.texts), ev.read_rows(curated / "timex_gold.csv"),
        judged=judged.get("seeds"), events=ev.read_rows(curated / "events.csv"), published=dict(zip(sources["source_id"], sources["published"])),
        unit_dates=ev.read_rows(curated / "unit_dates.csv"), nlp=nlp)
    unseen_result = None
    if unseen is not None:
        unseen_result = ev.score_extracted(ev.extracted_from(unseen.tables, unseen.texts),
                                           ev.read_rows(ev.unseen_dir() / "timex_gold.csv"),
                                           judged=judged.get("unseen"), nlp=nlp)
    return TimelineEvaluation(seed_result, seed_result["event_judged"], unseen_result)


def _fmt(correct: int, n: int) -> str:
    return f"{correct}/{n} = {correct / n:.1%}" if n else "0/0"


def _acc(items: list, key: str) -> tuple[int, int]:
    return sum(bool(getattr(i, key)) for i in items), len(items)


def event_scores(judged: list) -> pd.DataFrame:
    """Strict and lenient accuracy (``k/n = p%``) of the normaliser and of dateparser on the events' date words.

    Rows: the anchored date words (relative, or a month or weekday with no year) and all date words.
    """
    rows = []
    for name, group in (("anchored", [j for j in judged if j.gold_type == "anchored"]), ("all date words", judged)):
        row = {"expressions": name, "n": len(group)}
        for key, label in (("ours_correct", "ours strict"), ("ours_lenient", "ours lenient"),
                           ("baseline_correct", "dateparser strict"), ("baseline_lenient", "dateparser lenient")):
            row[label] = _fmt(*_acc(group, key))
        rows.append(row)
    return pd.DataFrame(rows).set_index("expressions")


def event_scores_by_rule(judged: list) -> pd.DataFrame:
    """Per normaliser rule, over the anchored event words: counts correct, strict and lenient, for both systems."""
    anchored = [j for j in judged if j.gold_type == "anchored"]
    rows = []
    for rule in sorted({j.our_rule for j in anchored}):
        group = [j for j in anchored if j.our_rule == rule]
        rows.append({"rule": rule, "n": len(group),
                     "ours strict": _acc(group, "ours_correct")[0], "ours lenient": _acc(group, "ours_lenient")[0],
                     "dateparser strict": _acc(group, "baseline_correct")[0],
                     "dateparser lenient": _acc(group, "baseline_lenient")[0]})
    return pd.DataFrame(rows).set_index("rule")


def event_judgements(judged: list, anchored_only: bool = True) -> pd.DataFrame:
    """Each event's date words: its date, the anchor, each system's value and verdicts."""
    rows = [{"doc": doc_label(j.source_id), "words": j.text, "event date": j.gold, "anchor": j.anchor,
             "ours": j.ours, "rule": j.our_rule, "strict": j.ours_correct, "lenient": j.ours_lenient,
             "dateparser": j.baseline, "dateparser strict": j.baseline_correct}
            for j in judged if not anchored_only or j.gold_type == "anchored"]
    return pd.DataFrame(rows)


def gold_scores(seeds: dict, unseen: dict | None) -> pd.DataFrame:
    """Detection and normalisation scores against the hand-made timex gold, seeds and unseen texts side by side."""
    def column(result: dict) -> dict:
        d = result["end_to_end"]["detection"]
        v = result["end_to_end"]["values_of_matched"]
        norm = result["normaliser_with_gold_anchors"]
        col = {
            "gold expressions": str(d["gold"]),
            "detection precision": f"{d['precision']:.3f}",
            "detection recall": f"{d['recall']:.3f}",
            "detection F1": f"{d['f1']:.3f}",
            "values end to end (own anchors)": _fmt(v["correct"], v["n"]),
        }
        for name, label in (("all", "all"), ("anchored", "anchored"), ("anchored_with_value", "anchored, with a value")):
            col[f"normaliser, gold anchors: {label}"] = _fmt(norm[name]["ours"]["correct"], norm[name]["ours"]["n"])
            col[f"dateparser, gold anchors: {label}"] = _fmt(norm[name]["baseline"]["correct"],
                                                           norm[name]["baseline"]["n"])
        return col

    cols = {"seeds": column(seeds)}
    if unseen is not None:
        cols["unseen"] = column(unseen)
    return pd.DataFrame(cols)


def threshold_checks(result: TimelineEvaluation) -> pd.DataFrame:
    """Each anchored-expression accuracy against :data:`THRESHOLD`: which numbers meet it and which do not."""
    rows = []

    def add(what: str, correct: int, n: int) -> None:
        acc = correct / n if n else 0.0
        rows.append({"measure": what, "correct": correct, "n": n, "accuracy": round(acc, 3), "meets": acc >= THRESHOLD})

    anchored = [j for j in result.events if j.gold_type == "anchored"]
    add("events, anchored words, strict", *_acc(anchored, "ours_correct"))
    add("events, anchored words, lenient", *_acc(anchored, "ours_lenient"))
    norm = result.seeds["normaliser_with_gold_anchors"]["anchored"]["ours"]
    add("seed gold, anchored, gold anchors", norm["correct"], norm["n"])
    if result.unseen is not None:
        u = result.unseen["normaliser_with_gold_anchors"]["anchored"]["ours"]
        add("unseen gold, anchored, gold anchors", u["correct"], u["n"])
    return pd.DataFrame(rows).set_index("measure")


def gold_by_type(result: dict) -> pd.DataFrame:
    """Per gold expression type: how many, and how many each system normalised correctly with gold anchors."""
    by = result["normaliser_with_gold_anchors"]["by_gold_type"]
    return pd.DataFrame([{"type": k, **v} for k, v in by.items()], columns=["type", "n", "ours", "baseline"]) \
        .rename(columns={"baseline": "dateparser"}).set_index("type")
