"""Helpers for the timeline chapter (``notebooks/04_timeline.ipynb``).

Each function returns the DataFrame a table or figure of the chapter shows, so tests can check
the data behind it; :mod:`proxylens.figures` draws them, and the relations between EDTF values
these tables report (precision, containment, agreement) are computed by :mod:`proxylens.edtf`,
and each event's anchor and each source's coverage by :mod:`proxylens.chronology`. Four themes:

* the chronology of curated events (:func:`event_table`, :func:`chronology_data`);
* how the extractor resolved each expression that needs an anchor (:func:`article_resolutions`,
  :func:`teaser_resolutions`);
* sources against the public record (:func:`record_discrepancies`, :func:`relation_counts`);
* the evaluation of the timeline stage, as tables (:func:`run_evaluation` and the ``*_scores``
  functions), a thin layer over :mod:`proxylens.evaluation.timexes`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from proxylens.chronology import BASES, LANES, marks, pack_rows, undated_events
from proxylens.edtf import bound_contains, date_relation
from proxylens.report import short_id
from proxylens.timeline import bound_interval

THRESHOLD = 0.9  # acceptance: at least 90% of anchored expressions resolved correctly


# ---------------------------------------------------------------- the chronology


def event_table(events: pd.DataFrame) -> pd.DataFrame:
    """Every event, dated ones in chronological order and undated ones last: what the chapter lists."""
    m = marks(events).set_index("event_id")
    out = pd.DataFrame({
        "date": events["date"],
        "precision": events["precision"],
        "basis": events["date_basis"],
        "words": events["date_text"],
        "type": events["event_type"],
        "summary": events["summary"],
        "doc": events["source_id"].map(short_id),
        "event_id": events["event_id"],
    })
    out["_first"] = out["event_id"].map(m["earliest"]).fillna(date.max)
    out["_last"] = out["event_id"].map(m["latest"]).fillna(date.max)
    out = out.sort_values(["_first", "_last", "event_id"], kind="stable")
    return out.drop(columns=["_first", "_last"]).set_index("event_id")


def ids_as_summaries(text: str, summaries: dict[str, str]) -> str:
    """``text`` (a curator's note) with every event id it cites replaced by that event's summary
    in quotation marks, so a note that points to another event stays readable.

    >>> ids_as_summaries("see 2018-strike", {"2018-strike": "A strike."})
    'see “A strike.”'
    """
    if not text or not summaries:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in sorted(summaries, key=len, reverse=True))
                         + r")(?![\w-])")
    return pattern.sub(lambda m: f"“{summaries[m.group(1)]}”", text)


def with_summaries(table: pd.DataFrame, events: pd.DataFrame, column: str = "event_id") -> pd.DataFrame:
    """``table`` for readers: its ``column`` of event ids (a column or the index) replaced, in
    place, by each event's ``summary``, and event ids cited in a ``note`` column by their summaries
    (:func:`ids_as_summaries`), so no internal id is shown. Ids not in ``events`` raise.

    >>> ev = pd.DataFrame({"event_id": ["e1"], "summary": ["A strike."]})
    >>> with_summaries(pd.DataFrame({"event_id": ["e1"], "date": ["2017"]}), ev).columns.tolist()
    ['summary', 'date']
    """
    out = table.reset_index() if table.index.name == column else table.copy()
    summaries = dict(zip(events["event_id"], events["summary"], strict=True))
    unknown = sorted(set(out[column]) - set(summaries))
    if unknown:
        raise KeyError(f"events.csv: no event {unknown[0]!r}")
    out[column] = out[column].map(summaries)
    if "note" in out.columns:
        out["note"] = out["note"].map(lambda text: ids_as_summaries(text, summaries))
    if "summary" in out.columns and column != "summary":
        out = out.drop(columns="summary")
    return out.rename(columns={column: "summary"}).reset_index(drop=True)


def precision_by_basis(events: pd.DataFrame) -> pd.DataFrame:
    """How many events have each precision (rows) on each date basis (columns), with totals."""
    basis = events["date_basis"].replace("", "(none)")
    table = pd.crosstab(events["precision"], basis, margins=True, margins_name="all")
    rows = [p for p in ("day", "month", "year", "interval", "unknown") if p in table.index]
    cols = [b for b in (*BASES, "(none)") if b in table.columns]
    return table.reindex(rows + ["all"])[cols + ["all"]]


def undated_table(events: pd.DataFrame) -> pd.DataFrame:
    """The undated events (which no figure places): document, summary, date words if any, curator's note."""
    u = undated_events(events)
    return pd.DataFrame({"doc": u["source_id"].map(short_id), "summary": u["summary"], "words": u["date_text"],
                         "note": u["note"]}).set_index(u["event_id"])


def chronology_data(events: pd.DataFrame, gap_days: int = 30, own_rows: Iterable[str] = ()) -> pd.DataFrame:
    """The marks of :func:`proxylens.chronology.marks` with the row each takes within its lane and its ``y``.

    Lanes stack top to bottom in :data:`proxylens.chronology.LANES` order; ``y`` counts down from 0.
    Events in ``own_rows`` (those a figure labels) get a row of their own, so that their label has
    the width of the figure to itself.
    """
    m = marks(events)
    own = set(own_rows)
    packed = m.copy()
    alone = packed["event_id"].isin(own)
    packed.loc[alone, "earliest"] = date.min
    packed.loc[alone, "latest"] = date.max
    m["row"] = pack_rows(packed, gap_days)
    heights = m.groupby("lane")["row"].max().add(1).reindex(list(LANES)).fillna(0).astype(int)
    top, base = 0, {}
    for lane in LANES:
        base[lane] = top
        top -= heights[lane] + 1 if heights[lane] else 0  # one blank row between lanes
    m["y"] = [base[lane] - row for lane, row in zip(m["lane"], m["row"])]
    return m


# ---------------------------------------------------------------- how expressions were resolved


def needs_anchor(timexes: pd.DataFrame) -> pd.DataFrame:
    """The extracted expressions whose value depends on an anchor (it was used, or it was missing)."""
    mask = (timexes["anchor"] != "") | timexes["reason"].str.startswith("anchor unknown")
    return timexes[mask]


def article_resolutions(timexes: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Anchored expressions outside teasers: text -> anchor -> value, and the rule that resolved each."""
    kinds = units.set_index("unit_id")["kind"]
    t = needs_anchor(timexes)
    t = t[t["unit_id"].map(kinds) != "teaser"]
    return pd.DataFrame({
        "doc": t["source_id"].map(short_id), "text": t["text"], "anchor": t["anchor"], "value": t["value"],
        "rule": t["rule"],
    }).reset_index(drop=True)


def teaser_resolutions(timexes: pd.DataFrame, unit_bounds: pd.DataFrame, researched: pd.DataFrame,
                       texts: dict[str, str], nlp=None) -> pd.DataFrame:
    """Anchored expressions inside teasers, whose own date the page does not give.

    Per expression: the extractor's reason for leaving it empty, the unit's bounds
    (``unit_bounds.csv``), the researched date of the unit (``unit_dates.csv``), whether the
    bounds hold it, and the value the normaliser gives when read with the researched date.
    """
    from proxylens.evaluation.timexes import normalise_in_context

    bounds = unit_bounds.set_index("unit_id")
    t = needs_anchor(timexes)
    t = t[t["unit_id"].isin(researched.index)]
    rows = []
    for _, r in t.iterrows():
        b = bounds.loc[r["unit_id"]]
        anchor = researched.loc[r["unit_id"], "researched"]
        found = normalise_in_context(texts[r["source_id"]], int(r["start"]), int(r["end"]), anchor, nlp)
        rows.append({
            "unit": "#" + r["unit_id"].rsplit("#", 1)[1], "text": r["text"], "value": r["value"],
            "reason": r["reason"], "bound": bound_interval(b),
            "researched date": anchor, "bound holds it": bound_contains(b["earliest"], b["latest"], anchor),
            "value with researched date": found.value if found else "",
            "rule": found.rule if found else "(missed)",
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- sources and the record


def record_discrepancies(events: pd.DataFrame) -> pd.DataFrame:
    """Events whose public-record date differs from the date the chronology uses, with the curator's note."""
    rel = [date_relation(d, r) if d else "undated" for d, r in zip(events["date"], events["record_date"])]
    out = events.assign(relation=rel)
    out = out[~out["relation"].isin(["same", "no record", "undated"])]
    return pd.DataFrame({
        "event_id": out["event_id"], "doc": out["source_id"].map(short_id), "date": out["date"],
        "record_date": out["record_date"], "relation": out["relation"], "note": out["note"],
    }).sort_values(["relation", "event_id"], kind="stable").reset_index(drop=True)


def relation_counts(events: pd.DataFrame) -> pd.Series:
    """How many events fall in each :func:`date_relation` category (``undated`` for events with no date)."""
    rel = [date_relation(d, r) if d else "undated" for d, r in zip(events["date"], events["record_date"])]
    order = ["same", "record refines", "record coarser", "overlap", "conflict", "no record", "undated"]
    return pd.Series(rel).value_counts().reindex(order, fill_value=0).rename("events")


# ---------------------------------------------------------------- the evaluation


@dataclass
class Evaluation:
    """Every score of the timeline stage: seeds (gold and events), the judged event words, the unseen texts."""

    seeds: dict
    events: list  # list[proxylens.evaluation.timexes.Judged] for the events' date words
    unseen: dict | None


def run_evaluation() -> Evaluation:
    """Run :mod:`proxylens.evaluation.timexes` on the seeds and the unseen texts, keeping the judged events.

    ``evaluate_seeds`` scores the events but returns only their summary; the judged items (for
    scores by rule) come from ``judge_events`` called with the same inputs.
    """
    from proxylens import tables
    from proxylens.evaluation import timexes as ev
    from proxylens.nlp import load_nlp
    from proxylens.paths import curated_dir

    seeds = ev.evaluate_seeds()
    sources = tables.sources()
    judged = ev.judge_events(ev.read_rows(curated_dir() / "events.csv"), tables.seed_texts(),
                             ev.read_rows(curated_dir() / "timex_gold.csv"),
                             dict(zip(sources["source_id"], sources["published"])), load_nlp())
    unseen = ev.evaluate_unseen() if (ev.unseen_dir() / "timex_gold.csv").exists() else None
    return Evaluation(seeds, judged, unseen)


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
    rows = [{"doc": short_id(j.source_id), "words": j.text, "event date": j.gold, "anchor": j.anchor,
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


def threshold_checks(result: Evaluation) -> pd.DataFrame:
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
