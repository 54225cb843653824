"""The timeline stage: one test per normalisation rule, year boundaries, coarse and unknown anchors,
ranges, false positives, unit dating, and the scoring rule of the evaluation."""

from __future__ import annotations

import pytest

from proxylens.corpus import make_document
from proxylens.evaluation.timexes import (
    dateparser_value,
    match_spans,
    normalise_in_context,
    value_contains,
    value_matches,
)
from proxylens.nlp import load_nlp
from proxylens.pipeline import parse_document
from proxylens.timeline import TABLES, find_timexes, range_to_edtf, timex_rows, unit_bounds


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def found(text: str, anchor: str = "", nlp=None):
    return find_timexes(text, anchor, nlp(text) if nlp is not None else None)


def only(text: str, anchor: str = "", nlp=None):
    hits = found(text, anchor, nlp)
    assert len(hits) == 1, [(t.text, t.rule) for t in hits]
    return hits[0]


# ---------------------------------------------------------------- one case per rule

RULE_CASES = [
    # text, anchor, expected span text, value, precision, rule
    ("It was signed on 5 July 2017.", "", "5 July 2017", "2017-07-05", "day", "explicit_day"),
    ("Posted Wednesday, July 5, 2017 in Baghdad.", "", "Wednesday, July 5, 2017", "2017-07-05", "day", "explicit_day"),
    ("Wednesday\u060c 05 July 2017", "", "Wednesday\u060c 05 July 2017", "2017-07-05", "day", "explicit_day"),
    ("Last Modified: Wednesday\u060c 05 July 2017 02:49 AM", "", "Wednesday\u060c 05 July 2017 02:49 AM",
     "2017-07-05", "day", "page_stamp"),
    ("The order dated 2017-07-05 was read out.", "", "2017-07-05", "2017-07-05", "day", "iso_date"),
    ("Iran was involved in the 9/11 attacks.", "", "9/11", "2001-09-11", "day", "numeric_911"),
    ("It dates back to the March 2003 invasion.", "", "March 2003", "2003-03", "month", "explicit_month"),
    ("The group was established in 2013.", "", "2013", "2013", "year", "year"),
    ("They left the 2015 nuclear deal.", "", "2015", "2015", "year", "year"),
    ("It ruled the region between 2014 and 2017.", "", "2014 and 2017", "2014/2017", "interval", "range_years"),
    ("Militias grew in the 1980s.", "", "the 1980s", "1980/1989", "interval", "decade"),
    ("In late 2017, the CIA published the files.", "", "late 2017", "2017", "year", "part_of_year"),
    ("Elections are due by mid-2019.", "", "mid-2019", "2019", "year", "part_of_year"),
    ("It fought in the summer of 2014.", "", "the summer of 2014", "2014", "year", "season"),
    ("On May 19, Washington announced it.", "2017-07-05", "May 19", "2017-05-19", "day", "month_day_anchor_year"),
    ("On Dec. 27, a rocket hit the base.", "2020-01-06", "Dec. 27", "2019-12-27", "day", "month_day_previous_year"),
    ("It happened on Sept. 27.", "2018-12-01", "Sept. 27", "2018-09-27", "day", "month_day_anchor_year"),
    ("Jets carried out on 7th June shelling operations.", "2017-07-05", "7th June", "2017-06-07", "day",
     "ordinal_day_month_anchor_year"),
    ("The talks on 5 July failed.", "2017-07-20", "5 July", "2017-07-05", "day", "day_month_anchor_year"),
    ("during the prince's May 15-17 visit", "2017-07-05", "May 15-17", "2017-05-15/2017-05-17", "interval",
     "range_month_days_anchor_year"),
    ("during the May 15-17, 2017 visit", "", "May 15-17, 2017", "2017-05-15/2017-05-17", "interval", "range_explicit"),
    ("Over a period from Sept. 27 to Nov. 7, it claimed attacks.", "2018-12-01", "Sept. 27 to Nov. 7",
     "2018-09-27/2018-11-07", "interval", "range_dates_anchor_year"),
    ("In March, Trump talked with Abadi.", "2017-07-05", "March", "2017-03", "month", "month_anchor_year"),
    ("In November, an earthquake struck.", "2018-01-03", "November", "2017-11", "month", "month_previous_year"),
    ("Prices rose in early September.", "2018-10-15", "early September", "2018-09", "month", "part_of_month"),
    ("Last November, the authorities said so.", "2018-08", "Last November", "2017-11", "month", "last_named_month"),
    ("The designation came today.", "2019-04-08", "today", "2019-04-08", "day", "relative_today"),
    ("He tweeted the statement earlier today.", "2020-01-04", "earlier today", "2020-01-04", "day", "relative_today"),
    ("He spoke yesterday.", "2018-01-03", "yesterday", "2018-01-02", "day", "relative_yesterday"),
    ("It was hit in eastern Syria on Sunday.", "2018-06-20", "Sunday", "2018-06-17", "day", "relative_weekday"),
    ("Protests began last Thursday.", "2018-01-03", "last Thursday", "2017-12-28", "day", "last_weekday"),
    ("An explosion at a base last week.", "2019-07-24", "last week", "2019-07-15/2019-07-21", "interval", "last_week"),
    ("They met last weekend.", "2019-06-18", "last weekend", "2019-06-15/2019-06-16", "interval", "last_weekend"),
    ("It was blacklisted last month.", "2018-08-13", "last month", "2018-07", "month", "last_month"),
    ("Sanctions came this month.", "2019-04", "this month", "2019-04", "month", "this_month"),
    ("Last year, the Treasury acted.", "2019-04", "Last year", "2018", "year", "last_year"),
    ("Later this year, the Treasury acted.", "2019-04", "Later this year", "2019", "year", "this_year"),
    ("He spoke nearly a year ago.", "2018-08-22", "nearly a year ago", "2017", "year", "ago"),
    ("He spoke two months ago.", "2018-01-15", "two months ago", "2017-11", "month", "ago"),
    ("Strikes over the past three months hit Abu Kamal.", "2018-08-06", "the past three months",
     "2018-05-06/2018-08-06", "interval", "past_period"),
    ("It was the first time in five years.", "2019-10", "five years", "", "duration", "duration"),
    ("Over a six-week period it claimed attacks.", "2018-12-01", "a six-week period", "", "duration", "duration"),
    ("Recently, the spokesman announced it.", "2019-05", "Recently", "", "unknown", "vague"),
    ("He has been wanted for a while now.", "2018-08", "for a while now", "", "unknown", "vague"),
]


@pytest.mark.parametrize("text,anchor,span,value,precision,rule", RULE_CASES, ids=[c[5] + ":" + c[0][:24] for c in RULE_CASES])
def test_rule(text, anchor, span, value, precision, rule):
    t = only(text, anchor)
    assert (text[t.start:t.end], t.value, t.precision, t.rule) == (span, value, precision, rule)
    assert t.text == span


def test_rule_ids_say_whether_the_year_moved():
    assert only("On May 19 it began.", "2018-08-01").rule == "month_day_anchor_year"
    assert only("On Sept. 19 it began.", "2018-08-01").rule == "month_day_previous_year"
    assert only("On Sept. 19 it began.", "2018-08-01").value == "2017-09-19"


def test_anchor_recorded_only_when_used():
    t = only("The group was established in 2013.", "2018-08")
    assert t.anchor == ""
    assert only("It was blacklisted last month.", "2018-08").anchor == "2018-08"


# ---------------------------------------------------------------- "since": a period from the point to the anchor


@pytest.mark.parametrize("text,anchor,value,rule", [
    ("It has been familiar with it since 1979: more pressure.", "2019-05", "1979/2019-05", "since_year"),
    ("Since early September, the US has issued designations.", "2018-10", "2018-09/2018-10", "since_part_of_month"),
    ("Troops were targeted three times since last weekend.", "2019-06-18", "2019-06-15/2019-06-18", "since_last_weekend"),
    ("What occurred on the ground since September 8.", "2018-10-15", "2018-09-08/2018-10-15", "since_month_day_anchor_year"),
])
def test_since_is_a_period_to_the_anchor(text, anchor, value, rule):
    t = only(text, anchor)
    assert (t.value, t.precision, t.rule, t.expr_type) == (value, "interval", rule, "since")
    assert t.text.lower().startswith("since")


def test_since_keeps_the_modifier():
    assert only("Since early September, it grew.", "2018-10").mod == "START"


# ---------------------------------------------------------------- year boundaries


def test_last_november_in_a_january_text_is_the_previous_year():
    assert only("Last November, officials said so.", "2018-01-15").value == "2017-11"


def test_last_november_in_december_is_the_same_year_and_in_november_the_previous():
    assert only("Last November, officials said so.", "2018-12-05").value == "2018-11"
    assert only("Last November, officials said so.", "2018-11-20").value == "2017-11"


def test_last_month_in_january_is_december_of_the_previous_year():
    assert only("It was blacklisted last month.", "2018-01-10").value == "2017-12"


def test_last_year_and_yesterday_across_new_year():
    assert only("He spoke yesterday.", "2018-01-01").value == "2017-12-31"
    assert only("Last year, it grew.", "2018-01-01").value == "2017"


def test_range_across_new_year():
    t = only("Strikes from Dec. 28 to Jan. 3 hit the group.", "2020-01-10")
    assert t.value == "2019-12-28/2020-01-03"


def test_last_week_across_new_year():
    assert only("It exploded last week.", "2020-01-06").value == "2019-12-30/2020-01-05"


# ---------------------------------------------------------------- coarse anchors: never a guessed day


def test_today_with_month_anchor_is_the_month():
    t = only("Today's designation seeks to deny him resources.", "2018-08")
    assert (t.value, t.precision) == ("2018-08", "month")
    assert "coarser" in t.reason


def test_today_with_interval_anchor_is_the_interval():
    assert only("The designation came today.", "2018-08-13/2018-08-31").value == "2018-08-13/2018-08-31"


def test_yesterday_with_month_anchor_is_an_interval_of_days():
    assert only("He spoke yesterday.", "2018-08").value == "2018-07-31/2018-08-30"


def test_sunday_with_month_anchor_covers_every_sunday():
    assert only("It was hit on Sunday.", "2018-06").value == "2018-05-27/2018-06-24"


def test_month_day_of_the_anchor_month_takes_its_year():
    # news of its own month: "April 8" in a text of April 2019 is 8 April 2019
    t = only("The decision was announced on April 8.", "2019-04")
    assert (t.value, t.rule) == ("2019-04-08", "month_day_anchor_month")
    assert t.reason
    # a later month in the calendar is the year before
    assert only("The decision was announced on May 8.", "2019-04").value == "2018-05-08"


def test_open_ended_anchor_gives_no_value():
    t = only("The designation came today.", "2020-01-03/..")
    assert t.value == "" and "open-ended" in t.reason


# ---------------------------------------------------------------- unknown anchors: never a guess


def test_unknown_anchor_leaves_relative_values_empty():
    t = only("It was blacklisted last month.", "", None)
    assert (t.value, t.rule) == ("", "last_month")
    assert t.reason.startswith("anchor unknown")


def test_unknown_anchor_still_values_absolute_dates():
    hits = found("Since 1979 and in March 2003 and on May 19.", "")
    assert [(t.text, t.value) for t in hits] == [("Since 1979", ""), ("March 2003", "2003-03"), ("May 19", "")]
    assert "1979" in hits[0].reason


# ---------------------------------------------------------------- false positives


@pytest.mark.parametrize("text", [
    "As pressure grows, the latter may seek assistance from al-Qaeda members.",
    "Iran May Answer U.S. Terror Listing in Kind, Officials Warn",
    "Al-Muamen, 29, has been on the wanted list.",
    "The CIA published a cave of 470,000 documents.",
    "The Islamic State claimed a total of 313 operations in Iraq.",
    "The Pentagon sent 2000 troops to the region.",
    "Thousands March on the embassy.",
    "Kata'ib Hizballah fired 30 rockets.",
])
def test_not_a_date(text, nlp):
    assert found(text, "2019-05", nlp) == []


def test_a_count_after_a_month_is_not_its_year(nlp):
    assert [(t.text, t.value) for t in found("In May, 2000 troops arrived.", "2019-08", nlp)] == [("May", "2019-05")]


def test_911_is_a_date_and_an_age_is_not(nlp):
    assert [t.value for t in found("He was 29 on 9/11.", "2019-05", nlp)] == ["2001-09-11"]


def test_prepositions_stay_outside_the_span():
    assert only("Trump left the deal in May and more.", "2018-08").text == "May"
    assert only("It was established in 2013.").text == "2013"


# ---------------------------------------------------------------- helpers


def test_range_to_edtf_picks_the_tightest_value():
    from datetime import date

    assert range_to_edtf(date(2018, 1, 1), date(2018, 12, 31)) == ("2018", "year")
    assert range_to_edtf(date(2018, 5, 1), date(2018, 7, 31)) == ("2018-05/2018-07", "interval")
    assert range_to_edtf(date(2018, 5, 2), date(2018, 5, 2)) == ("2018-05-02", "day")


# ---------------------------------------------------------------- documents, units and bounds

TEASERS = (
    "The official tweeted the statement earlier today.\n"
    "Umarayn was involved in the 2014 murder of Peter Kassig.\n"
    "It is a failure dating back to the March 2003 invasion.\n"
    "The coalition strikes have been concentrated in Abu Kamal.\n"
)


def _parsed(text, row, nlp):
    return parse_document(make_document("t.txt", text, "0" * 64, row), nlp)


def test_unit_bounds_of_a_teaser_list(nlp):
    parsed = _parsed(TEASERS, {"published": "2020-01", "doc_kind": "teaser_list"}, nlp)
    bounds = unit_bounds(parsed)
    assert [(b["earliest"], b["latest"]) for b in bounds] == [
        ("2014", "2020-01"), ("2014", "2020-01"), ("2003-03", "2020-01"), ("", "2020-01"),
    ]
    assert "#1" in bounds[0]["basis"] and "2014" in bounds[0]["basis"]


def test_teaser_relative_expression_gets_a_bound_not_a_value(nlp):
    parsed = _parsed(TEASERS, {"published": "2020-01", "doc_kind": "teaser_list"}, nlp)
    rows = [r for table, r in timex_rows(parsed) if table == "timexes.csv"]
    today = next(r for r in rows if r["text"] == "earlier today")
    assert (today["value"], today["bound"]) == ("", "2014/2020-01")
    assert today["reason"] == "anchor unknown: the teaser's own date is not given"
    assert next(r for r in rows if r["text"] == "2014")["value"] == "2014"


def test_timex_rows_follow_the_contract(nlp):
    text = "Last month, the IRGC was sanctioned. In late 2017, the CIA published files.\n"
    parsed = _parsed(text, {"published": "2019-05"}, nlp)
    rows = [r for table, r in timex_rows(parsed) if table == "timexes.csv"]
    assert all(list(r) == TABLES["timexes.csv"] for r in rows)
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert [(text[r["start"]:r["end"]], r["value"]) for r in rows] == [("Last month", "2019-04"), ("late 2017", "2017")]
    units = [r for table, r in timex_rows(parsed) if table == "unit_bounds.csv"]
    assert [list(r) for r in units] == [TABLES["unit_bounds.csv"]]


def test_document_missing_from_the_manifest_has_unknown_anchor(nlp):
    parsed = _parsed("The designation came today, in 2018.\n", None, nlp)
    rows = [r for table, r in timex_rows(parsed) if table == "timexes.csv"]
    assert rows[0]["value"] == "" and "not in sources.csv" in rows[0]["reason"]
    assert rows[1]["value"] == "2018"


def test_undated_article_bounded_by_its_page_stamp(nlp):
    text = "It happened in March 2017, officials said.\nLast Modified: Wednesday, 05 July 2017 02:49 AM\n"
    parsed = _parsed(text, None, nlp)
    assert [(b["earliest"], b["latest"]) for b in unit_bounds(parsed)] == [("2017-03", "2017-07-05")]


# ---------------------------------------------------------------- the scoring rule


def test_value_matches_projects_to_the_gold_precision():
    assert value_matches("2018-07-15", "2018-07")
    assert not value_matches("2018", "2018-07")
    assert not value_matches("2018-07-31/2018-08-30", "2018-08")
    assert value_matches("2018-09-27/2018-11-07", "2018-09-27/2018-11-07")
    assert value_matches("", "") and not value_matches("2019-01-01", "")


def test_value_contains():
    assert value_contains("2019-07-15/2019-07-21", "2019-07-19")
    assert not value_contains("2019-07-15/2019-07-21", "2019-07")


def test_dateparser_baseline_uses_the_anchor_latest_day():
    assert dateparser_value("last month", "2018-08") == "2018-07-31"
    assert dateparser_value("Last November", "2018-08") == ""


def test_match_spans_is_one_to_one():
    pred = [{"source_id": "a", "start": 0, "end": 10}, {"source_id": "a", "start": 2, "end": 4}]
    gold = [{"source_id": "a", "start": 1, "end": 9}]
    assert match_spans(pred, gold) == [(0, 0)]


def test_normalise_in_context_reads_the_line_with_the_anchor():
    text = "Header\nTrump left the deal in May, it said.\n"
    start = text.index("May")
    t = normalise_in_context(text, start, start + 3, "2018-08")
    assert (t.start, t.value) == (start, "2018-05")


# ---------------------------------------------------------------- robustness

ODD_TEXTS = [
    "the past 24 hours and three hours ago", "Feb. 29 and 29 February", "the next five years, the coming months",
    "two centuries ago", "between May 3 and May 1", "May 31-30", "Sept. 31", "on 31st of April", "since 2030",
    "1/2/2020 and 13/2/2020", "the end of 2017 and the beginning of May", "winter 2013", "next weekend",
]


@pytest.mark.parametrize("anchor", ["", "2016-02-29", "2018-08", "2018", "2018-08-13/2018-08-31", "2020-01-03/..", "../2020-01-03"])
def test_odd_inputs_never_raise_and_values_parse(anchor):
    from proxylens.edtf import parse_edtf

    for text in ODD_TEXTS:
        for t in find_timexes(text, anchor):
            assert text[t.start:t.end] == t.text
            if t.value:
                parse_edtf(t.value)


def test_29_february_looks_back_to_a_leap_year():
    assert only("It began on Feb. 29.", "2019-03-01").value == "2016-02-29"


def test_past_hours_reach_back_whole_days():
    assert only("Strikes in the past 24 hours.", "2019-03-01").value == "2019-02-28/2019-03-01"


def test_weekday_that_does_not_match_the_date_is_flagged():
    t = only("Published Thursday, 5 July 2017.", "")
    assert t.value == "2017-07-05" and "does not match" in t.reason


# ---------------------------------------------------------------- weekdays anywhere, anaphoric forms

WEEKDAY_POSITIONS = [
    "The ministry said Tuesday that four were killed.",
    "Tuesday's attack killed four.",
    "Four were killed on Tuesday.",
    "Officials, speaking Tuesday, said four were killed.",
]


@pytest.mark.parametrize("text", WEEKDAY_POSITIONS)
def test_weekday_in_every_sentence_position(text, nlp):
    t = only(text, "2023-11-17", nlp)  # a Friday
    assert (t.text, t.value, t.rule) == ("Tuesday", "2023-11-14", "relative_weekday")


def test_weekday_in_a_future_clause_looks_forward(nlp):
    t = only("The council will meet on Monday to vote.", "2023-11-17", nlp)
    assert (t.value, t.rule) == ("2023-11-20", "future_weekday")


@pytest.mark.parametrize("text", ["Good Friday prayers were held.", "The Sunday Times reported it."])
def test_weekday_inside_a_name_is_not_a_date(text, nlp):
    assert found(text, "2023-11-17", nlp) == []


ANAPHORA = (
    "Militants attacked the base on March 3, 2023. The previous day, a drone was downed. Two days later, "
    "the US struck back. A week earlier, talks had failed. Later that year, he resigned."
)


def test_anaphoric_forms_count_from_the_last_dated_expression(nlp):
    got = [(t.text, t.value, t.precision, t.anchor, t.rule) for t in found(ANAPHORA, "2023-11-17", nlp)]
    assert got == [
        ("March 3, 2023", "2023-03-03", "day", "", "explicit_day"),
        ("The previous day", "2023-03-02", "day", "2023-03-03", "anaphoric_day_event"),
        # a look back is a digression: the story goes on from March 3
        ("Two days later", "2023-03-05", "day", "2023-03-03", "anaphoric_day_event"),
        ("A week earlier", "2023-02-26", "day", "2023-03-05", "anaphoric_week_event"),
        ("Later that year", "2023", "year", "2023-03-05", "anaphoric_year_event"),
    ]


def test_anaphoric_form_without_a_dated_expression_counts_from_the_document(nlp):
    t = only("The following day, the group denied it.", "2023-11-17", nlp)
    assert (t.value, t.anchor, t.rule) == ("2023-11-18", "2023-11-17", "anaphoric_day_document")


def test_anaphoric_month_and_year_never_get_a_finer_precision(nlp):
    hits = found("The talks began in 2019. The following month, they stalled.", "2023-11-17", nlp)
    assert [(t.text, t.value, t.precision) for t in hits] == [
        ("2019", "2019", "year"), ("The following month", "2019-02/2020-01", "interval")]


def test_anaphora_run_across_paragraphs_of_one_article(nlp):
    text = "Title\n\nThe strike came on 4 January 2024.\n\nThe next day, the group vowed revenge."
    doc = make_document("x.txt", text, "", {"published": "2024-01-10"})
    rows = [r for t, r in timex_rows(parse_document(doc, nlp)) if t == "timexes.csv"]
    assert [(r["text"], r["value"], r["anchor"]) for r in rows] == [
        ("4 January 2024", "2024-01-04", ""), ("The next day", "2024-01-05", "2024-01-04")]


def test_relative_periods(nlp):
    hits = found("Last week the group struck a ship, and earlier this month it threatened more.", "2023-11-17", nlp)
    assert [(t.text, t.value) for t in hits] == [("Last week", "2023-11-06/2023-11-12"),
                                                 ("earlier this month", "2023-11")]


def test_anniversary_has_no_invented_value(nlp):
    t = only("Crowds marked the first anniversary of the strike.", "2023-11-17", nlp)
    assert (t.expr_type, t.value, t.precision) == ("anniversary", "", "unknown")
