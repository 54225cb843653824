"""Helpers for the timeline chapter (``notebooks/04_timeline.ipynb``).

Each function returns the DataFrame a table or figure of the chapter shows, so tests can check
the data behind it; the two ``plot_*`` functions only draw what those frames hold. Four themes:

* the chronology of curated events (:func:`event_table`, :func:`plot_chronology`);
* how the extractor resolved each expression that needs an anchor (:func:`article_resolutions`,
  :func:`teaser_resolutions`) and whether an event is dated more finely than its anchor allows
  (:func:`relative_event_anchors`);
* sources against the public record (:func:`record_discrepancies`) and the period each source
  covers (:func:`source_coverage`, :func:`plot_source_coverage`).

The timeline stage's evaluation is in :mod:`proxylens.evaluation.timeline`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

import pandas as pd

from proxylens.chronology import BASES, LANES, marks, pack_rows, undated_events
from proxylens.edtf import parse_edtf
from proxylens.report import short_id
from proxylens.timeline import bound_interval

# ---------------------------------------------------------------- dates


def resolution_days(value: str) -> float:
    """How many days an EDTF value leaves open: 1 for a day, 28 for a month, 365 for a year.

    A month and a year count their shortest length, so that "last month" (a month) is never
    finer than a month anchor; an interval counts its days; an open interval is infinite.

    >>> resolution_days("2018-07"), resolution_days("2018-09-27/2018-10-03")
    (28, 7)
    """
    edtf = parse_edtf(value)
    if edtf.precision == "interval":
        if edtf.earliest == date.min or edtf.latest == date.max:
            return math.inf
        return (edtf.latest - edtf.earliest).days + 1
    return {"day": 1, "month": 28, "year": 365}[edtf.precision]


def too_precise(value: str, anchor: str) -> bool:
    """True when a value resolved from ``anchor`` is finer than the anchor allows (see :func:`resolution_days`)."""
    return bool(value and anchor) and resolution_days(value) < resolution_days(anchor)


def date_relation(value: str, record: str) -> str:
    """How a source's date relates to the public record's date of the same event.

    ``same``; ``record refines`` (the record lies within the source's date); ``record coarser``
    (the source's date lies within the record's); ``overlap``; ``conflict`` (no day in common);
    ``no record`` when the record date is empty.

    >>> date_relation("2018-07", "2018-07-10"), date_relation("2017-06-07", "2017-06-06")
    ('record refines', 'conflict')
    """
    if not record:
        return "no record"
    a, b = parse_edtf(value), parse_edtf(record)
    if (a.earliest, a.latest) == (b.earliest, b.latest):
        return "same"
    if a.earliest <= b.earliest and b.latest <= a.latest:
        return "record refines"
    if b.earliest <= a.earliest and a.latest <= b.latest:
        return "record coarser"
    if a.latest < b.earliest or b.latest < a.earliest:
        return "conflict"
    return "overlap"


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


def units_containing(units: pd.DataFrame, source_id: str, offset: int) -> str:
    """The id of the unit of ``source_id`` whose span holds ``offset``; "" when none does."""
    hit = units[(units["source_id"] == source_id) & (units["start"] <= offset) & (offset < units["end"])]
    return hit["unit_id"].iloc[0] if len(hit) else ""


def researched_unit_dates(unit_dates: pd.DataFrame, units: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """The curated date of each teaser (``unit_dates.csv``), keyed by the unit its ``unit_quote`` falls in.

    Raises ``ValueError`` when a quote is not in its text or two rows fall in one unit.
    """
    rows = []
    for _, r in unit_dates.iterrows():
        at = texts[r["source_id"]].find(r["unit_quote"])
        if at < 0:
            raise ValueError(f"unit_quote not found: {r['unit_quote'][:60]!r}")
        rows.append({"unit_id": units_containing(units, r["source_id"], at), "researched": r["published"],
                     "researched_basis": r["basis"]})
    out = pd.DataFrame(rows, columns=["unit_id", "researched", "researched_basis"])
    if out["unit_id"].duplicated().any() or (out["unit_id"] == "").any():
        raise ValueError("every unit_dates row must fall in its own unit")
    return out.set_index("unit_id")


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


def bound_contains(earliest: str, latest: str, value: str) -> bool:
    """True when every day of ``value`` lies within the bound ``[earliest, latest]`` (an empty end is open)."""
    v = parse_edtf(value)
    low = parse_edtf(earliest).earliest if earliest else date.min
    high = parse_edtf(latest).latest if latest else date.max
    return low <= v.earliest and v.latest <= high



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


def relative_event_anchors(events: pd.DataFrame, texts: dict[str, str], timex_gold: pd.DataFrame,
                           units: pd.DataFrame, researched: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """For each event dated from relative words, its anchor and whether its date is finer than the anchor.

    The anchor is that of the gold expression overlapping the event's date words
    (``timex_gold.csv``), else the researched date of the teaser holding them, else the
    document's publication date. ``too_precise`` flags a date finer than the anchor allows
    (:func:`too_precise`): such a date rests on the public record, not on the words.
    """
    from proxylens.evaluation.timexes import locate

    published = dict(zip(sources["source_id"], sources["published"]))
    rows = []
    for _, ev in events[(events["date_basis"] == "relative") & (events["date"] != "")].iterrows():
        span = locate(texts[ev["source_id"]], ev["quote"], ev["date_text"])
        if span is None:
            raise ValueError(f"{ev['event_id']}: date words {ev['date_text']!r} not in the text")
        gold = timex_gold[(timex_gold["source_id"] == ev["source_id"]) & (timex_gold["start"] < span[1])
                          & (span[0] < timex_gold["end"])]
        unit = units_containing(units, ev["source_id"], span[0])
        if len(gold) and gold["anchor"].iloc[0]:
            anchor, basis = gold["anchor"].iloc[0], "gold expression"
        elif unit in researched.index:
            anchor, basis = researched.loc[unit, "researched"], "researched teaser date"
        else:
            anchor, basis = published.get(ev["source_id"], ""), "publication date"
        rows.append({"event_id": ev["event_id"], "words": ev["date_text"], "anchor": anchor, "anchor_basis": basis,
                     "date": ev["date"], "record_date": ev["record_date"],
                     "too_precise": too_precise(ev["date"], anchor)})
    return pd.DataFrame(rows, columns=["event_id", "words", "anchor", "anchor_basis", "date", "record_date",
                                       "too_precise"])


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


def source_coverage(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Per source: how many dated events it reports, the first and last day they cover, and its publication.

    ``after_publication`` counts events that begin after the source's latest possible
    publication day (a source cannot report them, so it should be 0).
    """
    m = marks(events)
    rows = []
    for _, s in sources.sort_values("source_id").iterrows():
        mine = m[m["source_id"] == s["source_id"]]
        pub = parse_edtf(s["published"]) if s["published"] else None
        pub_latest = pub.latest if pub and pub.latest != date.max else None
        rows.append({
            "doc": short_id(s["source_id"]), "events": len(mine),
            "first": min(mine["earliest"]) if len(mine) else None,
            "last": max(mine["latest"]) if len(mine) else None,
            "published": s["published"],
            "published_earliest": pub.earliest if pub and pub.earliest != date.min else None,
            "published_latest": pub_latest,
            "after_publication": int((mine["earliest"] > pub_latest).sum()) if pub_latest else 0,
        })
    return pd.DataFrame(rows).set_index("doc")
