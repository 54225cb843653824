"""Framing measures: body text, word counts, loaded terms and marker rates (:mod:`proxylens.framing`).

Tiny texts check the arithmetic and the whole-word matching; the seeds check that no hit falls in
boilerplate and that the curated term list is usable.
"""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

from proxylens import framing, tables

A = "000_aaaa"
B = "001_bbbb"
BOILER = "Home / Militia news"
TEXT = BOILER + "\nThe militia and its Militias met a militia’s leader. Anti-militia talk.\nIranian\nregime"
SPANS = pd.DataFrame({"source_id": [A], "start": [0], "end": [len(BOILER)], "kind": ["navigation"]})
TERMS = pd.DataFrame({"term": ["militia", "Iranian regime"], "category": ["loaded", "epithet"]})
# The coded hedges and boosters of five claims in two documents.
TINY = pd.DataFrame({"source_id": [A, A, A, B, B], "hedges": ["likely;may", "", "", "reportedly", ""],
                     "boosters": ["clearly", "", "", "", ""]})


def test_docstring_examples_run():
    assert doctest.testmod(framing).failed == 0
    assert doctest.testmod(tables).failed == 0  # tables.cell_values, which splits the coded markers


def test_marker_cells_may_use_either_separator():
    assert tables.cell_values("likely; may|could ") == ["likely", "may", "could"]
    assert tables.cell_values("") == [] and tables.cell_values(None) == []


@pytest.fixture(scope="module")
def curated():
    return {"terms": tables.curated("loaded_terms"), "texts": tables.seed_texts()}


def test_marker_rates_counts_each_marker_per_thousand_words():
    words = pd.Series({"000": 400, "001": 250})
    table = framing.marker_rates(TINY, words)
    assert table.loc["000", "hedges"] == 2  # "likely;may" is two hedges
    assert table.loc["000", "boosters"] == 1
    assert table.loc["000", "hedges per 1,000 words"] == 5.0
    assert table.loc["000", "boosters per 1,000 words"] == 2.5
    assert table.loc["001", "hedges per 1,000 words"] == 4.0
    assert table.loc["001", "boosters"] == 0


def test_body_text_blanks_boilerplate_and_keeps_offsets():
    body = framing.body_text(TEXT, SPANS)
    assert len(body) == len(TEXT)
    assert body[:len(BOILER)].strip() == ""
    assert body[len(BOILER):] == TEXT[len(BOILER):]


def test_count_words_joins_hyphens_and_apostrophes():
    assert framing.count_words("Iran-backed militias’ leaders, 2019.") == 4
    assert framing.count_words(framing.body_text(TEXT, SPANS)) == 13
    assert framing.count_words("   ") == 0


def test_find_terms_whole_word_case_insensitive():
    hits = framing.find_terms(framing.body_text(TEXT, SPANS), TERMS)
    assert [h["match"] for h in hits] == ["militia", "militia", "Iranian\nregime"]
    # "Militias" (longer word), "Anti-militia" (hyphenated compound) and the boilerplate are not counted.
    first = TEXT.index("The militia") + len("The ")
    assert (hits[0]["start"], hits[0]["end"]) == (first, first + len("militia"))
    assert framing.find_terms("MILITIA", TERMS)[0]["match"] == "MILITIA"


def test_find_terms_longest_match_wins():
    terms = pd.DataFrame({"term": ["caliphate", "so-called caliphate"], "category": ["loaded", "loaded"]})
    hits = framing.find_terms("its so-called caliphate and a caliphate", terms)
    assert [h["term"] for h in hits] == ["so-called caliphate", "caliphate"]


def test_loaded_term_rate_arithmetic_excludes_boilerplate():
    texts = {A: TEXT}
    words = framing.body_words(texts, SPANS)
    assert words.to_dict() == {"000": 13}
    hits = framing.loaded_term_hits(texts, SPANS, TERMS)
    assert len(hits) == 3 and set(hits["doc"]) == {"000"}
    rates = framing.loaded_term_rates(hits, words, ["loaded", "epithet"])
    assert rates.loc["000", "loaded"] == round(1000 * 2 / 13, 3)
    assert rates.loc["000", "epithet"] == round(1000 * 1 / 13, 3)
    assert rates.loc["000", "all"] == round(1000 * 3 / 13, 3)
    assert rates.loc["000", "occurrences"] == 3


def test_loaded_term_hits_without_boilerplate_table_rows():
    empty = pd.DataFrame(columns=["source_id", "start", "end"])
    hits = framing.loaded_term_hits({A: TEXT}, empty, TERMS)
    assert len(hits) == 4  # the boilerplate "Militia" now counts too


def test_loaded_terms_table(curated):
    terms = curated["terms"]
    assert terms["term"].str.lower().is_unique
    assert set(terms["category"]) <= {"securitizing", "loaded", "pejorative", "epithet", "descriptive"}


def test_loaded_term_rates_on_the_seeds(curated):
    boilerplate = tables.derived("boilerplate")
    words = framing.body_words(curated["texts"], boilerplate)
    hits = framing.loaded_term_hits(curated["texts"], boilerplate, curated["terms"])
    rates = framing.loaded_term_rates(hits, words)
    for doc, row in rates.iterrows():
        assert row["occurrences"] == int((hits["doc"] == doc).sum())
        assert row["all"] == framing.per_thousand(row["occurrences"], row["words"])
    # No hit falls inside a boilerplate span.
    for _, h in hits.iterrows():
        spans = boilerplate[boilerplate["source_id"] == h["source_id"]]
        assert not ((spans["start"] < h["end"]) & (h["start"] < spans["end"])).any()
    # The body has fewer words than the whole file wherever boilerplate was marked.
    for sid, text in curated["texts"].items():
        if (boilerplate["source_id"] == sid).any():
            assert words[sid[:3]] < framing.count_words(text)
