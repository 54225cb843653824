"""The figure functions (proxylens.figures) and the reader layer of proxylens.report: the data
behind each figure and what a reader sees in a table."""

from __future__ import annotations

from datetime import date

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from proxylens import figures, report, tables
from proxylens.report import timeline as tl


def test_book_style_keeps_text_legible():
    settings = figures.book_style()
    assert settings["figure.dpi"] >= 200
    assert min(v for k, v in settings.items() if "size" in k) >= figures.MIN_FONT >= 9


def test_split_date_breaks_before_the_dense_period():
    days = [date(1979, 1, 1), date(2001, 9, 11), *[date(2018, m, 1) for m in range(1, 9)]]
    assert figures.split_date(days) == date(2017, 10, 1)
    assert figures.split_date([date(2018, 5, 1)] * 5) == date(2018, 1, 1)


def test_chronology_labels_key_events_and_gives_them_rows_of_their_own():
    events = tables.curated("events")
    key = {"2020-soleimani-muhandis-killed": "killed", "1979-islamic-republic-established": "1979"}
    data = tl.chronology_data(events, own_rows=key)
    for event_id in key:
        row = data.loc[data["event_id"] == event_id].iloc[0]
        shares = data[(data["lane"] == row["lane"]) & (data["row"] == row["row"])]
        assert list(shares["event_id"]) == [event_id]
    fig = figures.plot_chronology(data, key)
    assert sorted(fig.labelled) == sorted(key)
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert set(key.values()) <= texts
    plt.close(fig)


def test_stacked_bars_drop_empty_columns():
    fig, ax = plt.subplots()
    drawn = figures.stacked_bars(ax, pd.DataFrame({"a": [1, 2], "b": [0, 0]}, index=["x", "y"]), "n", title="t")
    assert list(drawn.columns) == ["a"] and ax.get_title(loc="left") == "t"
    plt.close(fig)


def test_count_grid_labels_every_nonzero_cell():
    fig, ax = plt.subplots()
    figures.count_grid(ax, pd.DataFrame({"x": [2, 0], "y": [0, 5]}, index=["r1", "r2"]))
    assert sorted(t.get_text() for t in ax.texts) == ["2", "5"]
    assert all(t.get_fontsize() >= figures.MIN_FONT for t in ax.texts)
    plt.close(fig)


def test_ach_grid_colours_by_consistency():
    matrix = pd.DataFrame({"H1": ["C", "II"], "H2": ["N", "CC"]}, index=["e1", "e2"])
    fig, ax = plt.subplots()
    cells = figures.ach_grid(ax, matrix, ["H1", "H2"], {"CC": 2, "C": 1, "N": 0, "I": -1, "II": -2})
    assert cells.to_numpy().tolist() == [[1, 0], [-2, 2]]
    plt.close(fig)


def test_source_labels_are_outlet_and_year():
    assert report.source_label("001_a072b550ad523d40") == "Long War Journal 2020"
    assert report.source_label("003") == "The Baghdad Post 2017"
    assert report.source_label("uc02_mukhtar") == "uc02"
    assert report.outlet_short("Iran News Update (irannewsupdate.com)") == "Iran News Update"


def test_for_readers_uses_names_words_and_blanks():
    table = pd.DataFrame({"doc": ["001"], "ok": [True], "kind": ["armed_group"], "x": [float("nan")],
                          "evidence_type": ["none_given"]}).set_index("doc")
    out = report.for_readers(table)
    assert list(out.columns) == ["document", "ok", "kind", "x", "evidence offered"]
    assert out.iloc[0].tolist() == ["Long War Journal 2020", "yes", "armed group", "", "none given"]


def test_show_is_static_when_short_and_interactive_when_long():
    short = report.show(pd.DataFrame({"a": range(3)}), "tbl-a").data
    assert "<table" in short and "DataTable" not in short and "ITable" not in short
    long = report.show(pd.DataFrame({"a": range(40)}), "tbl-b").data
    assert 'id="tbl-b"' in long and '"pageLength": 10' in long
    assert long == report.show(pd.DataFrame({"a": range(40)}), "tbl-b").data  # same output every run


def test_links_in_tables_are_escaped_and_clickable():
    assert report.link_urls("A <b>, https://x.org/a") == 'A &lt;b&gt;, <a href="https://x.org/a">https://x.org/a</a>'


def test_interactive_setup_is_offline_and_free_of_placeholder_words():
    page = report.interactive_tables_setup().data
    assert "unpkg.com" not in page and "<script src" not in page  # the library is embedded, not fetched
    assert "injectModule(" in page
    for word in ("TO" + "DO", "XX" + "X", "TK" + "TK", "FIX" + "ME"):
        assert word not in page


def test_actor_cell_and_claim_verdicts():
    assert report.plain_text(report.actor_cell("iran", "Iran")) == "Iran"
    assert report.actor_cell("no-such-actor", "Nobody") == "Nobody"
    claims = tables.curated("claims")
    verdicts = report.claim_verdicts(claims)
    assert list(verdicts.columns) == ["attribution_verdict", "attribution_note", "verdict", "verdict_note"]
    assert len(verdicts) == len(claims)
    assert verdicts["attribution_verdict"].tolist() == claims["attribution_verdict"].tolist()
