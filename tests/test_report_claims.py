"""The tables behind the claims and sources chapters, and the contracts of the curated claim data.

Tiny frames check each helper's arithmetic; the curated tables are checked for the contracts
the chapters rely on (exact quotations, known ids, allowed values).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from proxylens import figures, framing, grading, report, tables
from proxylens.corpus import quote_span
from proxylens.report import claims as rc

A = "000_aaaa"
B = "001_bbbb"


def frame(rows: list[dict], **defaults) -> pd.DataFrame:
    """A claims-like frame: every column text, missing cells filled from ``defaults`` or ""."""
    columns = ["claim_id", "source_id", "quote", "claimant_id", "claimant_text", "attribution", "cue", "hedges",
               "boosters", "evidence_type", "claim_type", "narrative_id", "attribution_verdict", "attribution_note",
               "content_verdict", "content_note", "credibility",
               "credibility_note", "reference"]
    return pd.DataFrame([{c: r.get(c, defaults.get(c, "")) for c in columns} for r in rows])


ACTORS = pd.DataFrame({"actor_id": ["us-department-of-state", "long-war-journal", "iran"],
                       "name": ["US Department of State", "FDD's Long War Journal", "Iran"]})

TINY = frame([
    {"claim_id": "c000-01", "source_id": A, "claimant_id": "author", "attribution": "author_voice",
     "evidence_type": "none_given", "content_verdict": "contested", "credibility": "4", "narrative_id": "n1",
     "hedges": "likely;may", "boosters": "clearly", "quote": "q1", "content_note": "why", "reference": "ref",
     "attribution_verdict": "author's own", "attribution_note": "the outlet's voice"},
    {"claim_id": "c000-02", "source_id": A, "claimant_id": "us-department-of-state", "attribution": "indirect",
     "evidence_type": "designation_notice", "content_verdict": "corroborated", "credibility": "1", "narrative_id": "n1",
     "quote": "q2", "attribution_verdict": "distorted", "attribution_note": "changed, see claim c000-10"},
    {"claim_id": "c000-10", "source_id": A, "claimant_id": "", "attribution": "anonymous",
     "evidence_type": "none_given", "content_verdict": "unverified", "credibility": "6", "narrative_id": "n2", "quote": "q3",
     "attribution_verdict": "unverified"},
    {"claim_id": "c001-01", "source_id": B, "claimant_id": "long-war-journal", "attribution": "author_voice",
     "evidence_type": "press_report", "content_verdict": "contradicted", "credibility": "5", "narrative_id": "n2",
     "hedges": "reportedly", "quote": "q4", "content_note": "no", "reference": "ref2",
     "attribution_verdict": "author's own"},
    {"claim_id": "c001-02", "source_id": B, "claimant_id": "us-department-of-state", "attribution": "direct_quote",
     "evidence_type": "designation_notice", "content_verdict": "corroborated", "credibility": "2", "narrative_id": "n1",
     "quote": "q5", "attribution_verdict": "confirmed"},
])


# ---------------------------------------------------------------- claimants and the inventory


def test_claimant_label_author_anonymous_and_names():
    names = rc.actor_names(ACTORS)
    assert rc.claimant_label("author", "author_voice", names) == rc.AUTHOR_LABEL
    # The outlet's own voice coded with its actor id is still the author's voice.
    assert rc.claimant_label("long-war-journal", "author_voice", names) == rc.AUTHOR_LABEL
    assert rc.claimant_label("", "anonymous", names) == rc.ANONYMOUS_LABEL
    assert rc.claimant_label("iran", "indirect", names) == "Iran"
    assert rc.claimant_label("us-department-of-state;iran", "indirect", names) == "US Department of State & Iran"
    assert rc.claimant_label("unknown-id", "indirect", names) == "unknown-id"


LABEL_A, LABEL_B = report.source_label(A), report.source_label(B)


def test_claim_label_is_source_and_number():
    assert rc.claim_label("c000-01", A) == f"{LABEL_A}, claim 1"
    assert rc.claim_number("c003-12") == 12
    with pytest.raises(ValueError, match="claims.csv: claim_id 'a1'"):
        rc.claim_number("a1")


def test_claim_inventory_columns_and_order():
    inv = rc.claim_inventory(TINY.iloc[::-1], ACTORS)
    assert list(inv.columns) == ["doc", "claim", "quote", "claimant", "attribution", "evidence",
                                 "attribution verdict", "content verdict"]
    # by document, then claim number (10 after 2, not after 1)
    assert list(inv["claim"]) == [f"{LABEL_A}, claim 1", f"{LABEL_A}, claim 2", f"{LABEL_A}, claim 10",
                                  f"{LABEL_B}, claim 1", f"{LABEL_B}, claim 2"]
    assert [report.plain_text(c) for c in inv["claimant"]] == [
        rc.AUTHOR_LABEL, "US Department of State", rc.ANONYMOUS_LABEL, rc.AUTHOR_LABEL, "US Department of State"]
    assert list(inv["attribution verdict"]) == ["author's own", "distorted", "unverified", "author's own", "confirmed"]
    assert list(inv["content verdict"]) == ["contested", "corroborated", "unverified", "contradicted", "corroborated"]


def test_claim_verdicts_returns_both_verdicts():
    verdicts = report.claim_verdicts(TINY)
    assert list(verdicts.columns) == ["attribution_verdict", "attribution_note", "verdict", "verdict_note"]
    assert verdicts.loc[1].tolist() == ["distorted", "changed, see claim c000-10", "corroborated", ""]


def test_verdict_notes_show_claim_labels_not_ids():
    notes = rc.claim_verdict_notes(TINY, ACTORS)
    assert list(notes["attribution note"])[1] == f"changed, see {LABEL_A}, claim 10"
    assert rc.readable_claim_refs("as c001-02 says") == f"as {LABEL_B}, claim 2 says"


def test_verdict_crosstab_for_readers_drops_unused_rows():
    tab = rc.verdict_crosstab_for_readers(TINY)
    assert list(tab.index) == ["confirmed", "author's own", "unverified", "distorted", "total"]
    assert tab.loc["author's own", "contradicted"] == 1 and tab.loc["total", "total"] == len(TINY)


def test_divergent_claims_names_and_labels():
    table = rc.divergent_claims(TINY, ACTORS)
    assert list(table["divergence"]) == ["misattributed or distorted, but true"]
    assert list(table["claim"]) == [f"{LABEL_A}, claim 2"]
    assert report.plain_text(table["claimant"].iloc[0]) == "US Department of State"


def test_reuse_changes_spells_out_codes():
    reuse = pd.DataFrame({"source_id": ["003_x"], "seed_quote": ["IMIS"], "original_excerpt": ["PMU"],
                          "change": ["label_substituted"], "note": ["see claim c003-10"]})
    out = rc.reuse_changes(reuse)
    assert out.iloc[0].tolist() == ["label substituted", "IMIS", "PMU", f"see {report.source_label('003')}, claim 10"]


def test_attribution_by_source():
    table = rc.attribution_by_source(TINY)
    assert list(table.columns) == [*rc.ATTRIBUTIONS, "total"]
    assert table.loc["000"].tolist() == [0, 1, 1, 1, 3]
    assert table.loc["001"].tolist() == [1, 0, 0, 1, 2]


def test_claimant_by_source_rows_and_counts():
    table = rc.claimant_by_source(TINY, ACTORS)
    assert list(table.index) == [rc.AUTHOR_LABEL, rc.ANONYMOUS_LABEL, "US Department of State"]
    assert list(table.columns) == ["000", "001"]
    assert table.loc[rc.AUTHOR_LABEL].tolist() == [1, 1]
    assert table.loc["US Department of State"].tolist() == [1, 1]
    assert table.loc[rc.ANONYMOUS_LABEL].tolist() == [1, 0]


def test_evidence_by_source_most_frequent_first():
    table = rc.evidence_by_source(TINY)
    assert list(table.columns) == ["designation_notice", "none_given", "press_report"]
    assert table.loc["000"].tolist() == [1, 2, 0]
    assert table.loc["001"].tolist() == [1, 0, 1]


def test_verdict_by_source_keeps_every_verdict():
    table = rc.verdict_by_source(TINY)
    assert list(table.columns) == list(rc.VERDICTS)
    assert table.loc["000"].tolist() == [1, 1, 1, 0]
    assert table.loc["001"].tolist() == [1, 0, 0, 1]


def test_disputed_claims_only_contested_and_contradicted():
    table = rc.disputed_claims(TINY, ACTORS)
    assert list(table["claim"]) == [f"{LABEL_A}, claim 1", f"{LABEL_B}, claim 1"]
    assert list(table["verdict_note"]) == ["why", "no"]
    assert list(table["reference"]) == ["ref", "ref2"]


def test_narrative_by_source_keeps_narratives_without_claims():
    narratives = pd.DataFrame({"narrative_id": ["n2", "n1", "n3"], "statement": ["s2", "s1", "s3"]})
    table = rc.narrative_by_source(TINY, narratives)
    assert list(table.index) == ["n2", "n1", "n3"]
    assert table.loc["n1"].tolist() == [2, 1]
    assert table.loc["n2"].tolist() == [1, 1]
    assert table.loc["n3"].tolist() == [0, 0]


def test_count_grid_labels_every_nonzero_cell():
    table = pd.DataFrame({"x": [2, 0], "y": [0, 5]}, index=["r1", "r2"])
    fig, ax = plt.subplots()
    figures.count_grid(ax, table)
    assert sorted(t.get_text() for t in ax.texts) == ["2", "5"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["r1", "r2"]
    plt.close(fig)


# ---------------------------------------------------------------- loaded terms by term and in context


BOILER = "Home / Militia news"
TEXT = BOILER + "\nThe militia and its Militias met a militia’s leader. Anti-militia talk.\nIranian\nregime"
SPANS = pd.DataFrame({"source_id": [A], "start": [0], "end": [len(BOILER)], "kind": ["navigation"]})
TERMS = pd.DataFrame({"term": ["militia", "Iranian regime"], "category": ["loaded", "epithet"]})


def test_term_counts_and_kwic():
    texts = {A: TEXT}
    hits = framing.loaded_term_hits(texts, SPANS, TERMS)
    counts = rc.term_counts(hits, TERMS)
    assert list(counts.index) == ["militia", "Iranian regime"]
    assert counts.loc["militia", "total"] == 2 and counts.loc["militia", "category"] == "loaded"
    kwic = rc.keyword_in_context(hits, texts, width=4)
    assert kwic.loc[0, "before"] == "The " and kwic.loc[0, "term"] == "militia" and kwic.loc[0, "after"] == " and"
    assert kwic.loc[2, "term"] == "Iranian\nregime"


def test_kwic_and_cards_escape_source_text():
    kwic = pd.DataFrame([{"doc": "000", "before": "<script>x", "term": "a&b", "after": "{doc}`y`",
                          "category": "loaded"}])
    out = rc.kwic_html(kwic)
    assert "<script>" not in out and "&lt;script&gt;" in out and "<b>a&amp;b</b>" in out
    cards = rc.cards_html(pd.DataFrame([{"id": "<i>", "q": "<b>bold</b>", "note": "x < y", "empty": ""}]),
                          title=["id"], fields=["note", "empty"], quote="q")
    assert "&lt;i&gt;" in cards and "&lt;b&gt;bold&lt;/b&gt;" in cards and "x &lt; y" in cards
    assert "empty:" not in cards


# ---------------------------------------------------------------- contracts of the curated data


@pytest.fixture(scope="module")
def curated():
    return {
        "claims": tables.curated("claims"), "actors": tables.curated("actors"),
        "narratives": tables.curated("narratives"), "terms": tables.curated("loaded_terms"),
        "texts": tables.seed_texts(),
    }


def test_claim_quotes_are_exact_and_unique(curated):
    for _, r in curated["claims"].iterrows():
        quote_span(curated["texts"][r["source_id"]], r["quote"])  # raises unless exactly once


def test_claimant_text_is_an_exact_substring(curated):
    for _, r in curated["claims"].iterrows():
        assert r["claimant_text"] in curated["texts"][r["source_id"]], r["claim_id"]


def test_claimant_ids_are_known(curated):
    known = set(curated["actors"]["actor_id"]) | {"", "author"}
    # A joint statement names several claimants, joined by ';' as the extractor does.
    ok = curated["claims"]["claimant_id"].map(lambda v: set(v.split(";")) <= known)
    bad = curated["claims"][~ok]
    assert bad.empty, list(bad["claim_id"])


def test_attribution_agrees_with_claimant(curated):
    claims = curated["claims"]
    assert set(claims["attribution"]) <= set(rc.ATTRIBUTIONS)
    anonymous = claims["attribution"] == "anonymous"
    assert (claims.loc[anonymous, "claimant_id"] == "").all()
    assert (claims.loc[claims["claimant_id"] == "", "attribution"] == "anonymous").all()
    assert (claims.loc[claims["claimant_id"] == "author", "attribution"] == "author_voice").all()


def test_claim_ids_unique_and_narratives_exist(curated):
    claims = curated["claims"]
    assert claims["claim_id"].is_unique
    assert set(claims["narrative_id"]) <= set(curated["narratives"]["narrative_id"])
    assert set(claims["source_id"]) <= set(curated["texts"])


def test_verdicts_allowed_and_referenced(curated):
    claims = curated["claims"]
    verdicts = report.claim_verdicts(claims)
    assert set(verdicts["verdict"]) <= set(rc.VERDICTS)
    assert (claims["reference"].str.strip() != "").all()
    assert (verdicts["verdict_note"].str.strip() != "").all()


# ---------------------------------------------------------------- the chapters' figures on the real data


def test_figure_tables_cover_every_claim(curated):
    claims, actors = curated["claims"], curated["actors"]
    n = len(claims)
    speakers = rc.claimant_by_source(claims, actors)
    assert int(speakers.to_numpy().sum()) == n
    assert int(speakers.loc[rc.AUTHOR_LABEL].sum()) == int((claims["attribution"] == "author_voice").sum())
    assert int(speakers.loc[rc.ANONYMOUS_LABEL].sum()) == int((claims["claimant_id"] == "").sum())
    for table in (rc.evidence_by_source(claims), rc.verdict_by_source(claims), grading.credibility_by_source(claims),
                  rc.narrative_by_source(claims, curated["narratives"])):
        assert int(table.to_numpy().sum()) == n
    disputed = rc.disputed_claims(claims, actors)
    assert len(disputed) == int(report.claim_verdicts(claims)["verdict"].isin(rc.DISPUTED).sum())


