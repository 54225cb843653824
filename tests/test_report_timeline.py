"""The data behind every table and figure of the timeline chapter (proxylens.report.timeline)."""

from __future__ import annotations

import pandas as pd
import pytest

from proxylens import chronology, tables
from proxylens.report import timeline as tl

COLUMNS = ["event_id", "date", "precision", "date_basis", "date_text", "event_type", "summary", "actor_ids",
           "source_id", "quote", "reference", "record_date", "note"]


def ev(event_id, value, basis="external", event_type="other", source_id="s1", record_date="", note=""):
    precision = "unknown" if not value else ("interval" if "/" in value else
                                            {4: "year", 7: "month", 10: "day"}[len(value)])
    return {"event_id": event_id, "date": value, "precision": precision, "date_basis": basis, "date_text": "",
            "event_type": event_type, "summary": "s", "actor_ids": "", "source_id": source_id, "quote": "q",
            "reference": "", "record_date": record_date, "note": note}


def frame(*rows):
    return pd.DataFrame(list(rows), columns=COLUMNS)


# ---------------------------------------------------------------- the chronology and the event table

TINY = frame(ev("b", "2018-07", "relative", "designation"), ev("a", "2018-07-10", "explicit", "strike"),
             ev("c", "", ""), ev("d", "2013", "explicit", "founding"), ev("e", "2018-07-20", event_type="strike"))


def test_precision_by_basis_counts_every_event_once():
    t = tl.precision_by_basis(TINY)
    assert list(t.index) == ["day", "month", "year", "unknown", "all"]
    assert list(t.columns) == ["explicit", "relative", "external", "(none)", "all"]
    assert t.loc["day", "explicit"] == 1 and t.loc["day", "external"] == 1 and t.loc["unknown", "(none)"] == 1
    assert t.loc["all", "all"] == len(TINY)


def test_undated_table_lists_only_undated_events():
    u = tl.undated_table(TINY)
    assert list(u.index) == ["c"] and list(u.columns) == ["doc", "summary", "words", "note"]


def test_event_table_is_chronological_with_undated_last():
    t = tl.event_table(TINY)
    assert list(t.index) == ["d", "b", "a", "e", "c"]
    assert list(t.columns) == ["date", "precision", "basis", "words", "type", "summary", "doc"]


def test_chronology_data_stacks_lanes_and_separates_close_marks():
    d = tl.chronology_data(TINY, gap_days=30).set_index("event_id")
    assert d.loc["b", "y"] == 0  # the first lane starts at the top
    assert d.loc["a", "row"] == 0 and d.loc["e", "row"] == 1  # ten days apart in one lane
    assert d.loc["a", "y"] == -2 and d.loc["e", "y"] == -3  # one blank row below the designation lane
    assert d.loc["d", "y"] == -5
    assert d["y"].is_unique


def test_real_chronology_data_has_every_dated_event_once_and_no_overlaps():
    events = tables.curated("events")
    d = tl.chronology_data(events, gap_days=30)
    assert sorted(d["event_id"]) == sorted(events.loc[events["date"] != "", "event_id"])
    for (lane, row), group in d.groupby(["lane", "row"]):
        g = group.sort_values("earliest")
        gaps = [(b - a).days for a, b in zip(g["latest"].iloc[:-1], g["earliest"].iloc[1:])]
        assert all(x >= 30 for x in gaps), (lane, row)
    assert d.groupby("y")["lane"].nunique().max() == 1  # no two lanes share a row
    assert set(d["kind"]) <= {"point", "bar", "open"}
    assert (d.loc[d["precision"] == "day", "kind"] == "point").all()
    assert (d.loc[d["precision"].isin(["month", "year"]), "kind"] == "bar").all()


# ---------------------------------------------------------------- how expressions were resolved


@pytest.fixture(scope="module")
def seeds():
    texts = tables.seed_texts()
    units = tables.derived("units")
    return {
        "texts": texts, "units": units, "timexes": tables.derived("timexes"),
        "bounds": tables.derived("unit_bounds"),
        "researched": chronology.researched_unit_dates(tables.curated("unit_dates"), units, texts),
    }


def test_article_resolutions_show_text_anchor_value_rule(seeds):
    a = tl.article_resolutions(seeds["timexes"], seeds["units"])
    assert list(a.columns) == ["doc", "text", "anchor", "value", "rule"]
    assert "001" not in set(a["doc"])  # teasers are in the other table
    row = a[(a["doc"] == "000") & (a["text"] == "last month")].iloc[0]
    assert (row["anchor"], row["value"], row["rule"]) == ("2018-08-13/2018-08-31", "2018-07", "last_month")
    assert (a["anchor"] != "").all()


def test_teaser_resolutions_show_reason_bounds_and_researched_dates(seeds):
    t = tl.teaser_resolutions(seeds["timexes"], seeds["bounds"], seeds["researched"], seeds["texts"])
    assert len(t) > 0
    assert (t["value"] == "").all() and t["reason"].str.startswith("anchor unknown").all()
    assert t["bound holds it"].all()  # the extractor's bounds never exclude the researched date
    today = t[(t["unit"] == "#12") & (t["text"] == "today")].iloc[0]
    assert (today["researched date"], today["value with researched date"]) == ("2019-04-08", "2019-04-08")


# ---------------------------------------------------------------- sources and the record


def test_record_discrepancies_list_only_differences():
    events = frame(ev("same", "2018-07-10", record_date="2018-07-10"), ev("fine", "2018-07", record_date="2018-07-10"),
                   ev("off", "2017-06-07", "explicit", record_date="2017-06-06", note="n"), ev("none", "2018"),
                   ev("undated", ""))
    d = tl.record_discrepancies(events)
    assert list(d["event_id"]) == ["off", "fine"]
    assert list(d["relation"]) == ["conflict", "record refines"]
    counts = tl.relation_counts(events)
    assert counts.sum() == len(events) and counts["same"] == 1 and counts["undated"] == 1


def test_real_record_discrepancies_include_the_tanf_strike():
    events = tables.curated("events")
    d = tl.record_discrepancies(events).set_index("event_id")
    assert d.loc["2017-coalition-strike-near-al-tanf", "relation"] == "conflict"
    assert tl.relation_counts(events).sum() == len(events)


def test_with_summaries_hides_event_ids_in_the_id_column_and_in_notes():
    events = pd.DataFrame({"event_id": ["2018-strike", "2019-strike"], "summary": ["A strike.", "Another strike."]})
    table = pd.DataFrame({"event_id": ["2019-strike"], "date": ["2019"], "note": ["the first was 2018-strike"],
                          "summary": ["dropped"]})
    out = tl.with_summaries(table, events)
    assert list(out.columns) == ["summary", "date", "note"]
    assert out.iloc[0].tolist() == ["Another strike.", "2019", "the first was “A strike.”"]
    indexed = tl.with_summaries(table.drop(columns="summary").set_index("event_id"), events)
    assert indexed["summary"].tolist() == ["Another strike."]
    with pytest.raises(KeyError, match="events.csv"):
        tl.with_summaries(pd.DataFrame({"event_id": ["nope"]}), events)


def test_real_tables_show_no_event_id():
    events = tables.curated("events")
    ids = set(events["event_id"])
    for table in (tl.event_table(events), tl.undated_table(events), tl.record_discrepancies(events)):
        shown = tl.with_summaries(table, events)
        text = " ".join(shown.astype(str).to_numpy().ravel())
        assert not [i for i in ids if i in text]
