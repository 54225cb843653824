"""Helpers for the timeline chapter (``notebooks/04_timeline.ipynb``).

Each function returns the DataFrame a table or figure of the chapter shows, so tests can check
the data behind it; :mod:`proxylens.figures` draws them, and the relations between EDTF values
these tables report (precision, containment, agreement) are computed by :mod:`proxylens.edtf`,
and each event's anchor and each source's coverage by :mod:`proxylens.chronology`. Three themes:

* the chronology of curated events (:func:`event_table`, :func:`chronology_data`);
* how the extractor resolved each expression that needs an anchor (:func:`article_resolutions`,
  :func:`teaser_resolutions`);
* sources against the public record (:func:`record_discrepancies`, :func:`relation_counts`).

The timeline stage's evaluation is in :mod:`proxylens.evaluation.timeline`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import pandas as pd

from proxylens.chronology import BASES, LANES, marks, pack_rows, undated_events
from proxylens.edtf import bound_contains, date_relation
from proxylens.report import doc_label
from proxylens.timeline import bound_interval

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
        "doc": events["source_id"].map(doc_label),
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
    return pd.DataFrame({"doc": u["source_id"].map(doc_label), "summary": u["summary"], "words": u["date_text"],
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
        "doc": t["source_id"].map(doc_label), "text": t["text"], "anchor": t["anchor"], "value": t["value"],
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
        "event_id": out["event_id"], "doc": out["source_id"].map(doc_label), "date": out["date"],
        "record_date": out["record_date"], "relation": out["relation"], "note": out["note"],
    }).sort_values(["relation", "event_id"], kind="stable").reset_index(drop=True)


def relation_counts(events: pd.DataFrame) -> pd.Series:
    """How many events fall in each :func:`date_relation` category (``undated`` for events with no date)."""
    rel = [date_relation(d, r) if d else "undated" for d, r in zip(events["date"], events["record_date"])]
    order = ["same", "record refines", "record coarser", "overlap", "conflict", "no record", "undated"]
    return pd.Series(rel).value_counts().reindex(order, fill_value=0).rename("events")
