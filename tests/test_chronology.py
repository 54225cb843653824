"""The chronology of curated events: marks, lanes, the TimelineJS export, and data contracts on events.csv."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from proxylens import chronology, tables
from proxylens.chronology import LANES, THEMES, mark_of, marks, timelinejs, undated_events, write_timelinejs
from proxylens.corpus import quote_span
from proxylens.edtf import parse_edtf
from proxylens.paths import derived_dir

COLUMNS = ["event_id", "date", "precision", "date_basis", "date_text", "event_type", "summary", "actor_ids",
           "source_id", "quote", "reference", "record_date", "note"]


def event(event_id="e", date="", precision="unknown", basis="", event_type="other", summary="Something happened.",
          source_id="s1", quote="q", date_text="", reference="", record_date="", note="") -> dict:
    return {"event_id": event_id, "date": date, "precision": precision, "date_basis": basis, "date_text": date_text,
            "event_type": event_type, "summary": summary, "actor_ids": "", "source_id": source_id, "quote": quote,
            "reference": reference, "record_date": record_date, "note": note}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


SOURCES = pd.DataFrame([{"source_id": "s1", "outlet": "Example <Wire>", "published": "2018-08"}])
TINY = frame(
    event("day", "2018-07-10", "day", "external", "designation"),
    event("month", "2018-07", "month", "relative", "designation", date_text="last month"),
    event("year", "2013", "year", "explicit", "founding", date_text="in 2013"),
    event("span", "2018-09-27/2018-11-07", "interval", "explicit", "attack"),
    event("open", "2020-01-03/..", "interval", "external", "statement"),
    event("undated", "", "unknown", "", "legal"),
)


# ---------------------------------------------------------------- marks


@pytest.mark.parametrize("value, kind, earliest, latest", [
    ("2018-07-10", "point", date(2018, 7, 10), date(2018, 7, 10)),
    ("2018-07", "bar", date(2018, 7, 1), date(2018, 7, 31)),
    ("2013", "bar", date(2013, 1, 1), date(2013, 12, 31)),
    ("2018-09-27/2018-11-07", "bar", date(2018, 9, 27), date(2018, 11, 7)),
    ("2018-05/2018-07", "bar", date(2018, 5, 1), date(2018, 7, 31)),
    ("2018-07-10/2018-07-10", "point", date(2018, 7, 10), date(2018, 7, 10)),
    ("2020-01-03/..", "open", date(2020, 1, 3), date(2020, 1, 3)),
    ("../2019-05", "open", date(2019, 5, 31), date(2019, 5, 31)),
])
def test_mark_kind_follows_precision(value, kind, earliest, latest):
    m = mark_of("e", value, "other")
    assert (m.kind, m.earliest, m.latest) == (kind, earliest, latest)


def test_open_marks_say_which_side_is_open():
    assert mark_of("e", "2020-01-03/..", "other").open_side == "after"
    assert mark_of("e", "../2019-05", "other").open_side == "before"
    assert mark_of("e", "2019-05", "other").open_side == ""


def test_undated_events_are_not_marked_but_listed_apart():
    assert mark_of("e", "", "legal") is None
    m = marks(TINY)
    assert "undated" not in set(m["event_id"])
    assert list(undated_events(TINY)["event_id"]) == ["undated"]


def test_lanes_come_in_fixed_order_and_unknown_types_fall_into_other():
    m = marks(TINY)
    assert list(m["event_id"]) == ["month", "day", "span", "open", "year"]
    assert list(m["lane"]) == ["designation and law", "designation and law", "armed violence",
                               "statements and threats", "politics"]
    assert m["lane_index"].is_monotonic_increasing
    assert chronology.lane_of("parade") == "other"
    assert set(THEMES.values()) <= set(LANES)


def test_marks_do_not_depend_on_row_order():
    shuffled = TINY.sample(frac=1, random_state=3).reset_index(drop=True)
    pd.testing.assert_frame_equal(marks(shuffled), marks(TINY))


def test_pack_rows_separates_close_marks_in_a_lane():
    events = frame(event("a", "2019-01-01", "day", event_type="strike"),
                   event("b", "2019-01-10", "day", event_type="strike"),
                   event("c", "2019-03-01", "day", event_type="strike"),
                   event("d", "2019-01-05", "day", event_type="statement"))
    m = marks(events)
    rows = dict(zip(m["event_id"], chronology.pack_rows(m, gap_days=30)))
    assert rows == {"a": 0, "b": 1, "c": 0, "d": 0}


# ---------------------------------------------------------------- TimelineJS


def slides_by_id(events=TINY, sources=SOURCES) -> dict:
    return {s["unique_id"]: s for s in timelinejs(events, sources)["events"]}


def test_date_objects_carry_only_the_parts_the_precision_supports():
    s = slides_by_id()
    assert s["day"]["start_date"] == {"year": 2018, "month": 7, "day": 10} and "end_date" not in s["day"]
    assert s["month"]["start_date"] == {"year": 2018, "month": 7} and "end_date" not in s["month"]
    assert s["year"]["start_date"] == {"year": 2013} and "end_date" not in s["year"]
    assert s["span"]["start_date"] == {"year": 2018, "month": 9, "day": 27}
    assert s["span"]["end_date"] == {"year": 2018, "month": 11, "day": 7}
    assert s["open"]["start_date"] == {"year": 2020, "month": 1, "day": 3} and "end_date" not in s["open"]
    assert s["open"]["display_date"] == "on or after 3 January 2020"
    assert s["month"]["display_date"] == "July 2018"


def test_slide_shape_group_and_order():
    doc = timelinejs(TINY, SOURCES)
    assert set(doc) == {"title", "events"}
    assert set(doc["title"]["text"]) == {"headline", "text"}
    assert [s["unique_id"] for s in doc["events"]] == ["year", "month", "day", "span", "open"]
    for s in doc["events"]:
        assert set(s) <= {"start_date", "end_date", "display_date", "text", "group", "unique_id"}
        assert set(s["text"]) == {"headline", "text"}
        assert s["group"] in LANES
    assert "1 undated" in doc["title"]["text"]["text"]


def test_slide_text_is_escaped_and_holds_summary_quote_and_source():
    events = frame(event("x", "2018-07-10", "day", "external", "designation", summary="A <script>alert(1)</script> & co.",
                         quote="“the <b>group</b>”", reference="Issuer, Title, 2018-07-10, https://example.org/a?b=1&c=2"))
    s = slides_by_id(events)["x"]
    body, head = s["text"]["text"], s["text"]["headline"]
    assert "<script>" not in body and "<script>" not in head
    assert "A &lt;script&gt;alert(1)&lt;/script&gt; &amp; co." in body
    assert "“the &lt;b&gt;group&lt;/b&gt;”" in body
    assert "Example &lt;Wire&gt;" in body
    assert "https://example.org/a?b=1&amp;c=2" in body


def test_headline_is_cut_at_a_word_boundary():
    long = "word " * 40
    h = chronology.headline(long)
    assert len(h) <= chronology.HEADLINE_CHARS and h.endswith("…") and not h.endswith(" …")
    assert chronology.headline("Short.") == "Short."


def test_write_is_byte_identical_and_independent_of_row_order(tmp_path):
    a = write_timelinejs(tmp_path / "a", TINY, SOURCES)[0].read_bytes()
    b = write_timelinejs(tmp_path / "b", TINY.iloc[::-1].reset_index(drop=True), SOURCES)[0].read_bytes()
    again = write_timelinejs(tmp_path / "a", TINY, SOURCES)[0].read_bytes()
    assert a == b == again
    text = a.decode("utf-8")
    assert text.endswith("}\n") and "\r" not in text
    assert json.loads(text) == timelinejs(TINY, SOURCES)
    assert text == json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def test_real_export_keeps_curly_quotes_and_has_every_dated_event(tmp_path):
    [path] = write_timelinejs(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "\\u201c" not in text and "“" in text  # ensure_ascii=False
    doc = json.loads(text)
    events = tables.curated("events")
    assert sorted(s["unique_id"] for s in doc["events"]) == sorted(events.loc[events["date"] != "", "event_id"])


def test_committed_timeline_json_is_current(tmp_path):
    committed = derived_dir() / chronology.TIMELINE_FILE
    assert committed.exists(), "run: python -m proxylens.derive"
    assert committed.read_bytes() == write_timelinejs(tmp_path)[0].read_bytes(), "stale: python -m proxylens.derive"


# ---------------------------------------------------------------- data contracts on events.csv


@pytest.fixture(scope="module")
def events():
    return tables.curated("events")


@pytest.fixture(scope="module")
def texts():
    return tables.seed_texts()


def test_events_have_the_contract_columns_and_unique_ids(events):
    assert list(events.columns[: len(COLUMNS)]) == COLUMNS
    assert events["event_id"].is_unique
    assert events["event_type"].isin(list(THEMES)).all(), set(events["event_type"]) - set(THEMES)


def test_dates_parse_and_precision_matches_value(events):
    for _, ev in events.iterrows():
        if not ev["date"]:
            assert ev["precision"] == "unknown", ev["event_id"]
            continue
        assert parse_edtf(ev["date"]).precision == ev["precision"], ev["event_id"]
        assert ev["date_basis"] in chronology.BASES, ev["event_id"]
        if ev["record_date"]:
            parse_edtf(ev["record_date"])


def test_quotes_are_exact_and_unique_in_their_seed(events, texts):
    for _, ev in events.iterrows():
        quote_span(texts[ev["source_id"]], ev["quote"])  # raises unless exact and unique


def test_date_words_occur_in_the_seed(events, texts):
    for _, ev in events[events["date_text"] != ""].iterrows():
        assert ev["date_text"] in texts[ev["source_id"]], ev["event_id"]


def test_every_external_date_has_a_reference_or_is_marked_unverified(events):
    """A reference, or (per the project's convention) an empty one with a note saying the date is unverified."""
    external = events[events["date_basis"] == "external"]
    missing = external[(external["reference"] == "") & ~external["note"].str.contains("unverified", case=False)]
    assert missing.empty, list(missing["event_id"])


def test_no_event_begins_after_its_source_was_published(events):
    cov = chronology.source_coverage(events, tables.sources())
    assert (cov["after_publication"] == 0).all(), cov


def test_no_event_begins_after_the_teaser_that_reports_it(events, texts):
    units = tables.derived("units")
    researched = chronology.researched_unit_dates(tables.curated("unit_dates"), units, texts)
    for _, ev in events[events["date"] != ""].iterrows():
        unit = chronology.units_containing(units, ev["source_id"], quote_span(texts[ev["source_id"]], ev["quote"])[0])
        if unit in researched.index:
            assert parse_edtf(ev["date"]).earliest <= parse_edtf(researched.loc[unit, "researched"]).latest, ev["event_id"]


# Relative events whose day comes from the public record rather than from their words:
# reported to the lead (date_basis should be "external", or the date the words allow with the day in record_date).
KNOWN_TOO_PRECISE = {
    "2019-explosion-at-amerli-pmf-base",  # 'last week' from the week of 22 Jul 2019 -> dated 19 Jul
    "2018-coalition-and-iraqi-raids-on-is-leaders",  # 'recently' (vague) -> dated 30-31 Oct 2018
    "2018-airstrikes-on-hezbollah-brigades-albukamal",  # 'on Sunday' from a 9-day anchor -> dated 17 Jun
}


def test_relative_dates_are_no_finer_than_their_anchor(events, texts):
    gold = tables.curated("timex_gold").astype({"start": int, "end": int})
    units = tables.derived("units")
    researched = chronology.researched_unit_dates(tables.curated("unit_dates"), units, texts)
    checked = chronology.relative_event_anchors(events, texts, gold, units, researched, tables.sources())
    assert len(checked) == ((events["date_basis"] == "relative") & (events["date"] != "")).sum()
    assert (checked["anchor"] != "").all()
    too_precise = set(checked.loc[checked["too_precise"], "event_id"])
    assert too_precise <= KNOWN_TOO_PRECISE, too_precise - KNOWN_TOO_PRECISE


def test_actor_ids_are_in_the_registry(events):
    known = set(tables.curated("actors")["actor_id"])
    used = {a for ids in events["actor_ids"] for a in ids.split(";") if a}
    assert used <= known, used - known


def test_researched_unit_dates_cover_every_teaser_once(texts):
    units = tables.derived("units")
    r = chronology.researched_unit_dates(tables.curated("unit_dates"), units, texts)
    teasers = units[units["kind"] == "teaser"]["unit_id"]
    assert r.index.is_unique and set(r.index) <= set(teasers)
    assert len(r) == len(tables.curated("unit_dates"))


def test_researched_unit_dates_reject_two_rows_in_one_unit(texts):
    ud = tables.curated("unit_dates")
    with pytest.raises(ValueError):
        chronology.researched_unit_dates(pd.concat([ud.iloc[:1], ud.iloc[:1]]), tables.derived("units"), texts)


def test_source_coverage():
    events = frame(event("a", "2013", "year", source_id="s1"), event("b", "2018-07-10", "day", source_id="s1"),
                   event("c", "2019-01-05", "day", source_id="s1"), event("d", "2020-01-04", "day", source_id="s2"))
    sources = pd.DataFrame([{"source_id": "s1", "published": "2018-08"}, {"source_id": "s2", "published": "2020-01-03/.."}])
    c = chronology.source_coverage(events, sources)
    assert c.loc["s1", "events"] == 3
    assert (c.loc["s1", "first"], c.loc["s1", "last"]) == (date(2013, 1, 1), date(2019, 1, 5))
    assert c.loc["s1", "after_publication"] == 1
    assert c.loc["s2", "published_latest"] is None and c.loc["s2", "after_publication"] == 0


def test_real_source_coverage(events):
    c = chronology.source_coverage(events, tables.sources())
    assert list(c.index) == ["000", "001", "002", "003"]
    assert c.loc["003", "published_latest"] == date(2017, 7, 5)
    assert c.loc["002", "first"] == date(1979, 1, 1)
    assert c["events"].sum() == (events["date"] != "").sum()
