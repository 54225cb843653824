"""The data behind the corpus chapter's tables and figure."""

import pandas as pd
import pytest

from proxylens import report, tables


def test_short_id():
    assert report.doc_label("003_e68a92534e54b4f2") == "003"


def test_document_overview_one_row_per_document_in_order():
    overview = report.document_overview(tables.sources(), tables.derived("documents"))
    assert list(overview.index) == ["000", "001", "002", "003"]
    assert overview.loc["001", "kind"] == "teaser_list"
    assert overview.loc["002", "language"] == "machine-translated"
    assert set(overview["reliability"]) <= set("ABCDEF")


def test_boilerplate_composition_adds_up_on_a_tiny_table():
    documents = pd.DataFrame({"source_id": ["001_a", "002_b"], "chars": [100, 50]})
    boilerplate = pd.DataFrame({
        "source_id": ["001_a", "001_a", "002_b"], "start": [0, 90, 0], "end": [10, 100, 5],
        "kind": ["navigation", "comment_form", "navigation"],
    })
    comp = report.boilerplate_composition(documents, boilerplate)
    assert list(comp.columns) == ["body", "comment_form", "navigation"]
    assert comp.loc["001"].tolist() == [80, 10, 10]
    assert comp.loc["002"].tolist() == [45, 0, 5]


def test_figure_data_matches_the_seeds():
    comp = report.boilerplate_composition(tables.derived("documents"), tables.derived("boilerplate"))
    chars = tables.derived("documents").set_index("source_id")["chars"]
    assert comp.sum(axis=1).tolist() == chars.tolist()
    assert comp.loc["000"].drop("body").sum() == 0  # a clean article: nothing marked
    assert comp.loc["002", "comment_form"] > 0 and comp.loc["002", "related"] > 0


def test_quotes_in_context_uses_exact_quotes():
    texts = {"007_x": "Before the quoted words and after."}
    table = pd.DataFrame({"source_id": ["007_x"], "quote": ["quoted words"], "kind": ["k"]})
    out = report.quotes_in_context(table, texts, width=7, columns=("kind",))
    assert out.iloc[0].tolist() == ["007", "…re the ", "quoted words", " and af…", "k"]
    with pytest.raises(ValueError):
        report.quotes_in_context(pd.DataFrame({"source_id": ["007_x"], "quote": ["absent"]}), texts)
