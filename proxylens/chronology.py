"""The chronology of curated events: marks for a figure and a TimelineJS export.

The curated table ``data/curated/events.csv`` dates each event at the precision its evidence
supports (an EDTF value and a ``precision`` word). This module turns each dated event into a
*mark* without adding precision it does not have:

* a day is a **point**;
* a month, a year or a closed interval is a **bar** from its earliest to its latest day
  (:func:`proxylens.edtf.parse_edtf`);
* an interval with one open end (``2020-01-03/..``) is an **open** mark at its closed end;
* an event with no date is not plotted: :func:`undated_events` lists it apart.

Each mark sits in a *lane*, the theme of its ``event_type`` (:data:`THEMES`); lanes come in the
fixed order of :data:`LANES`, and an event type the map does not know falls into ``other``.

:func:`write_timelinejs` writes the same events as TimelineJS3 JSON (``timeline.json``): each
date object carries only the parts its precision supports (``{"year": 2018, "month": 7}`` for
``2018-07``), every text is HTML-escaped, and the file is byte-identical on every run.

Two checks of the curated dates close the module: :func:`relative_event_anchors` finds the anchor
of each event dated from relative words (a gold expression's, a teaser's researched date, or the
publication date) and flags a date finer than that anchor allows; :func:`source_coverage` gives
the period each source's events cover and counts any that begin after it was published.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from proxylens import tables
from proxylens.corpus import doc_label
from proxylens.edtf import parse_edtf, too_precise

# The themes of the event types, in lane order (top to bottom in a figure).
LANES = ("designation and law", "armed violence", "statements and threats", "politics", "other")
THEMES = {
    "designation": "designation and law",
    "legal": "designation and law",
    "attack": "armed violence",
    "strike": "armed violence",
    "killing": "armed violence",
    "military_operation": "armed violence",
    "statement": "statements and threats",
    "threat": "statements and threats",
    "political": "politics",
    "founding": "politics",
    "other": "other",
}
BASES = ("explicit", "relative", "external")  # date_basis values, in legend order
TIMELINE_FILE = "timeline.json"
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
HEADLINE_CHARS = 90

MARK_COLUMNS = ["event_id", "lane", "lane_index", "kind", "earliest", "latest", "open_side", "date", "precision",
                "date_basis", "event_type", "source_id", "summary"]


def lane_of(event_type: str) -> str:
    """The lane (theme) of an event type; ``other`` for a type :data:`THEMES` does not know."""
    return THEMES.get(event_type, "other")


def load_events() -> pd.DataFrame:
    """The curated events (``data/curated/events.csv``), every column as text."""
    return tables.curated("events")


# ---------------------------------------------------------------- marks


@dataclass(frozen=True)
class Mark:
    """How one dated event is drawn: a point, a bar from ``earliest`` to ``latest``, or an open mark."""

    event_id: str
    lane: str
    kind: str  # point | bar | open
    earliest: date  # for an open mark: its closed end
    latest: date  # for an open mark: its closed end
    open_side: str = ""  # "after" (open end) or "before" (open start) for an open mark


def mark_of(event_id: str, value: str, event_type: str) -> Mark | None:
    """The mark of one event dated ``value`` (EDTF); None when the event has no date.

    >>> mark_of("e", "2018-07", "designation").kind, mark_of("e", "2018-07-10", "designation").kind
    ('bar', 'point')
    >>> mark_of("e", "2020-01-03/..", "other").open_side
    'after'
    """
    if not value:
        return None
    edtf = parse_edtf(value)
    lane = lane_of(event_type)
    if edtf.latest == date.max:
        return Mark(event_id, lane, "open", edtf.earliest, edtf.earliest, "after")
    if edtf.earliest == date.min:
        return Mark(event_id, lane, "open", edtf.latest, edtf.latest, "before")
    kind = "point" if edtf.earliest == edtf.latest else "bar"
    return Mark(event_id, lane, kind, edtf.earliest, edtf.latest)


def marks(events: pd.DataFrame) -> pd.DataFrame:
    """One row per dated event: its lane, mark kind and earliest/latest day (see :data:`MARK_COLUMNS`).

    Sorted by lane order, then earliest day, latest day and event id, so the order is the same
    on every run whatever the order of the table.
    """
    rows = []
    for _, ev in events.iterrows():
        m = mark_of(ev["event_id"], ev["date"], ev["event_type"])
        if m is None:
            continue
        rows.append({
            "event_id": m.event_id, "lane": m.lane, "lane_index": LANES.index(m.lane), "kind": m.kind,
            "earliest": m.earliest, "latest": m.latest, "open_side": m.open_side, "date": ev["date"], "precision": ev["precision"],
            "date_basis": ev["date_basis"], "event_type": ev["event_type"], "source_id": ev["source_id"],
            "summary": ev["summary"],
        })
    out = pd.DataFrame(rows, columns=MARK_COLUMNS)
    return out.sort_values(["lane_index", "earliest", "latest", "event_id"], kind="stable").reset_index(drop=True)


def undated_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events with no date, which no figure plots, sorted by source and event id."""
    out = events[events["date"] == ""]
    return out.sort_values(["source_id", "event_id"], kind="stable").reset_index(drop=True)


def pack_rows(m: pd.DataFrame, gap_days: int = 30) -> pd.Series:
    """A row number within its lane for each mark, so that marks closer than ``gap_days`` do not overlap.

    Greedy interval packing in the order of ``m`` (sorted by :func:`marks`): each mark takes the
    lowest row of its lane whose last mark ended at least ``gap_days`` before it starts.
    """
    ends: dict[str, list[date]] = {}
    rows = []
    for _, r in m.iterrows():
        lane_ends = ends.setdefault(r["lane"], [])
        for i, end in enumerate(lane_ends):
            if (r["earliest"] - end).days >= gap_days:
                lane_ends[i] = r["latest"]
                rows.append(i)
                break
        else:
            lane_ends.append(r["latest"])
            rows.append(len(lane_ends) - 1)
    return pd.Series(rows, index=m.index, name="row", dtype=int)


# ---------------------------------------------------------------- TimelineJS


def date_parts(single: str) -> dict[str, int]:
    """A TimelineJS date object with only the parts ``single`` (``YYYY[-MM[-DD]]``) gives.

    >>> date_parts("2018-07")
    {'year': 2018, 'month': 7}
    """
    parse_edtf(single)  # validates
    keys = ("year", "month", "day")
    return {k: int(v) for k, v in zip(keys, single.split("-"))}


def display_date(value: str, after: str = "on or after", before: str = "on or before") -> str:
    """A reader's rendering of an EDTF value at its own precision (``2018-07`` -> ``July 2018``);
    ``""`` stays ``""``. An open interval reads ``after``/``before`` its known end (an event "on or
    after" a date; a relation, which runs on, "from" it).

    >>> display_date("2018-09-27/2018-11-07")
    '27 September 2018 – 7 November 2018'
    >>> display_date("2014/..", after="from")
    'from 2014'
    """
    if not value:
        return ""
    head, slash, tail = value.partition("/")
    if slash:
        if tail == "..":
            return f"{after} {display_date(head)}"
        if head == "..":
            return f"{before} {display_date(tail)}"
        return f"{display_date(head)} – {display_date(tail)}"
    parts = date_parts(value)
    words = [str(parts["year"])]
    if "month" in parts:
        words.insert(0, MONTH_NAMES[parts["month"] - 1])
    if "day" in parts:
        words.insert(0, str(parts["day"]))
    return " ".join(words)


def headline(summary: str, limit: int = HEADLINE_CHARS) -> str:
    """The summary cut at a word boundary to at most ``limit`` characters (``…`` marks a cut)."""
    summary = " ".join(summary.split())
    if len(summary) <= limit:
        return summary
    cut = summary[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def slide_text(ev: dict, source: dict) -> str:
    """The HTML body of an event's slide: summary, exact quote, source and date evidence, all escaped."""
    e = html.escape
    date_line = f"Date: {display_date(ev['date'])} ({ev['precision']}, {ev['date_basis'] or 'no basis'}"
    date_line += f"; the text says “{ev['date_text']}”)" if ev["date_text"] else ")"
    outlet = source.get("outlet", "")
    doc = ev["source_id"].split("_", 1)[0]
    parts = [
        f"<p>{e(ev['summary'])}</p>",
        f"<blockquote>“{e(ev['quote'])}”</blockquote>",
        f"<p>Source: document {e(doc)}" + (f", {e(outlet)}" if outlet else "") + f". {e(date_line)}.</p>",
    ]
    if ev.get("reference"):
        parts.append(f"<p>Reference: {e(ev['reference'])}</p>")
    return "".join(parts)


def timelinejs_slide(ev: dict, source: dict) -> dict:
    """One TimelineJS event (slide) for a dated event row (a dict of the events table's columns)."""
    head, slash, tail = ev["date"].partition("/")
    start = tail if head == ".." else head
    slide = {
        "start_date": date_parts(start),
        "display_date": display_date(ev["date"]),
        "text": {"headline": html.escape(headline(ev["summary"])), "text": slide_text(ev, source)},
        "group": lane_of(ev["event_type"]),
        "unique_id": ev["event_id"],
    }
    if slash and ".." not in (head, tail):
        slide["end_date"] = date_parts(tail)
    return slide


def timelinejs(events: pd.DataFrame, sources: pd.DataFrame) -> dict:
    """The dated events as a TimelineJS3 document ``{"title": ..., "events": [...]}``.

    Events are in chronological order (earliest day, latest day, event id); undated events are
    left out and counted in the title slide.
    """
    by_source = {r["source_id"]: dict(r) for _, r in sources.iterrows()}
    m = marks(events)
    order = m.sort_values(["earliest", "latest", "event_id"], kind="stable")["event_id"].tolist()
    rows = {r["event_id"]: dict(r) for _, r in events.iterrows()}
    slides = [timelinejs_slide(rows[i], by_source.get(rows[i]["source_id"], {})) for i in order]
    n_undated = len(undated_events(events))
    intro = (f"{len(slides)} dated events reported by {events['source_id'].nunique()} documents, each dated "
             f"at the precision its evidence supports. {n_undated} undated events are not shown.")
    return {
        "title": {"text": {"headline": "Proxy Lens: events reported in the corpus", "text": html.escape(intro)}},
        "events": slides,
    }


def dumps(doc: dict) -> str:
    """The project's JSON form: sorted keys, UTF-8 characters kept, indent 1, trailing newline."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def write_timelinejs(out_dir: str | Path, events: pd.DataFrame | None = None,
                     sources: pd.DataFrame | None = None) -> list[Path]:
    """Write ``timeline.json`` (TimelineJS3) into ``out_dir``; return the paths written.

    ``events`` and ``sources`` default to the curated events and the seed manifest.
    """
    events = load_events() if events is None else events
    sources = tables.sources() if sources is None else sources
    path = Path(out_dir) / TIMELINE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(dumps(timelinejs(events, sources)))
    return [path]


# ---------------------------------------------------------------- anchors and coverage


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


def relative_event_anchors(events: pd.DataFrame, texts: dict[str, str], timex_gold: pd.DataFrame,
                           units: pd.DataFrame, researched: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """For each event dated from relative words, its anchor and whether its date is finer than the anchor.

    The anchor is that of the gold expression overlapping the event's date words
    (``timex_gold.csv``), else the researched date of the teaser holding them, else the
    document's publication date. ``too_precise`` flags a date finer than the anchor allows
    (:func:`proxylens.edtf.too_precise`): such a date rests on the public record, not on the words.
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
            "doc": doc_label(s["source_id"]), "events": len(mine),
            "first": min(mine["earliest"]) if len(mine) else None,
            "last": max(mine["latest"]) if len(mine) else None,
            "published": s["published"],
            "published_earliest": pub.earliest if pub and pub.earliest != date.min else None,
            "published_latest": pub_latest,
            "after_publication": int((mine["earliest"] > pub_latest).sum()) if pub_latest else 0,
        })
    return pd.DataFrame(rows).set_index("doc")
