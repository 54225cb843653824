"""The record behind the curated tables (proxylens.record): every reference URL has a publisher and a
kind, no claim is corroborated only by its own outlet, both claim verdicts come from their
vocabularies, labels map to real groups, and the text-reuse table quotes the seed it describes.

Tiny hand-made tables test each definition; the project's own tables test the data.
"""

import doctest

import pandas as pd
import pytest

from proxylens import record, tables
from proxylens.corpus import quote_span

PUBS = pd.DataFrame([
    {"host": "longwarjournal.org", "publisher": "FDD", "kind": "secondary", "note": ""},
    {"host": "fdd.org", "publisher": "FDD", "kind": "secondary", "note": ""},
    {"host": "reuters.com", "publisher": "Reuters", "kind": "secondary", "note": ""},
    {"host": "state.gov", "publisher": "U.S. Department of State", "kind": "primary", "note": ""},
    {"host": "blog.example", "publisher": "blog.example", "kind": "tertiary", "note": ""},
]).set_index("host")
OVER = pd.DataFrame([
    {"url": "https://blog.example/lwj-repost", "publisher": "FDD", "kind": "tertiary", "note": "repost"},
]).set_index("url")
SOURCES = pd.DataFrame([{"source_id": "s1", "url": "https://www.longwarjournal.org/tags/iraq"}])


def claim(cid, reference, content="corroborated", attribution="author's own", source="s1"):
    return {"claim_id": cid, "source_id": source, "claimant_id": "author", "quote": "q",
            "attribution_verdict": attribution, "content_verdict": content, "reference": reference}


# ---------------------------------------------------------------- definitions


def test_docstring_examples_run():
    result = doctest.testmod(record, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 and result.failed == 0


def test_urls_in_splits_references_and_strips_punctuation():
    text = "A, T, 2019, https://www.reuters.com/x | B, U, n.d., https://state.gov/y; see (https://en.wikipedia.org/wiki/K_(m))."
    assert record.urls_in(text) == ["https://www.reuters.com/x", "https://state.gov/y", "https://en.wikipedia.org/wiki/K_(m)"]
    assert record.urls_in("") == [] and record.urls_in("no link here") == []


def test_classify_prefers_the_override_then_the_host_then_a_parent_domain():
    assert record.classify_url("https://blog.example/lwj-repost", PUBS, OVER) == ("FDD", "tertiary")
    assert record.classify_url("https://blog.example/other", PUBS, OVER) == ("blog.example", "tertiary")
    assert record.classify_url("https://2009-2017.state.gov/r", PUBS, OVER) == ("U.S. Department of State", "primary")
    with pytest.raises(record.UnclassifiedURL):
        record.classify_url("https://unknown.example/x", PUBS, OVER)


def test_self_corroboration_catches_own_outlet_and_its_reposts():
    claims = pd.DataFrame([
        claim("own", "FDD, T, 2019, https://www.longwarjournal.org/a"),
        claim("repost", "Blog, T, 2019, https://blog.example/lwj-repost | FDD, U, 2018, https://fdd.org/b"),
        claim("independent", "FDD, T, 2019, https://www.longwarjournal.org/a | Reuters, U, 2019, https://reuters.com/c"),
        claim("no-url", "Someone, a book, 2019"),
        claim("not-corroborated", "FDD, T, 2019, https://www.longwarjournal.org/a", content="unverified"),
    ])
    bad = record.self_corroborated(claims, SOURCES, PUBS, OVER)
    assert list(bad["claim_id"]) == ["own", "repost", "no-url"]
    assert list(bad["reference_publishers"]) == ["FDD", "FDD", ""]


def test_crosstab_shows_every_value_and_totals():
    claims = pd.DataFrame([claim("a", "", "contradicted", "confirmed"), claim("b", "", "corroborated", "distorted"),
                           claim("c", "", "corroborated")])
    tab = record.verdict_crosstab(claims)
    assert list(tab.index) == [*record.ATTRIBUTION_VERDICTS, "total"]
    assert list(tab.columns) == [*record.CONTENT_VERDICTS, "total"]
    assert tab.loc["confirmed", "contradicted"] == 1 and tab.loc["misattributed", "total"] == 0
    assert tab.loc["total", "corroborated"] == 2 and tab.loc["total", "total"] == 3


def test_divergences_name_said_but_false_and_misattributed_but_true():
    claims = pd.DataFrame([claim("a", "", "contradicted", "confirmed"), claim("b", "", "corroborated", "distorted"),
                           claim("c", "", "corroborated", "confirmed"), claim("d", "", "contradicted")])
    div = record.verdict_divergences(claims)
    assert list(zip(div["divergence"], div["claim_id"], strict=True)) == [
        ("said, but false", "a"), ("misattributed or distorted, but true", "b")]
    counts = record.divergence_counts(claims)
    assert list(counts["divergence"]) == list(record.DIVERGENCES) and counts["claims"].sum() == 2


def test_references_by_kind_counts_distinct_urls():
    refs = pd.DataFrame([
        {"table": "claims", "url": "https://reuters.com/a", "kind": "secondary", "publisher": "Reuters"},
        {"table": "claims", "url": "https://reuters.com/a", "kind": "secondary", "publisher": "Reuters"},
        {"table": "events", "url": "https://reuters.com/a", "kind": "secondary", "publisher": "Reuters"},
        {"table": "events", "url": "https://state.gov/b", "kind": "primary", "publisher": "U.S. Department of State"},
    ])
    tab = record.references_by_kind(refs)
    assert tab.loc["claims", "secondary"] == 1 and tab.loc["events", "total"] == 2
    assert tab.loc["all tables", "total"] == 2 and tab.loc["all tables", "tertiary"] == 0


# ---------------------------------------------------------------- the project's tables


@pytest.fixture(scope="module")
def classified():
    return record.classify_references(record.reference_urls())


def test_every_reference_url_has_a_publisher_and_a_kind(classified):
    missing = record.unclassified(classified)
    assert not len(missing), "add to publishers.csv:\n" + missing[["table", "row_id", "url"]].to_string()
    assert set(classified["kind"]) <= set(record.KINDS)
    # the scan really covers the tables the issue names
    assert {"claims", "relations", "designations", "events", "actors", "sources"} <= set(classified["table"])


def test_lookup_tables_are_well_formed_and_every_override_is_used(classified):
    pubs, over = record.load_publishers(), record.load_overrides()
    assert set(pubs["kind"]) <= set(record.KINDS) and set(over["kind"]) <= set(record.KINDS)
    assert all(h == h.lower() and not h.startswith("www.") for h in pubs.index)
    unused = sorted(set(over.index) - set(classified["url"]))
    assert not unused, f"overrides for URLs no table cites: {unused}"


def test_every_claim_has_both_verdicts_from_the_vocabularies():
    claims = tables.curated("claims")
    assert "verdict" not in claims.columns
    assert set(claims["attribution_verdict"]) <= set(record.ATTRIBUTION_VERDICTS)
    assert set(claims["content_verdict"]) <= set(record.CONTENT_VERDICTS)
    assert (claims["content_note"] != "").all()
    # the author speaking in its own voice has nobody else to check
    own_voice = claims["attribution"] == "author_voice"
    assert (claims.loc[own_voice, "attribution_verdict"] == "author's own").all()
    assert (claims.loc[~own_voice, "attribution_verdict"] != "author's own").all()
    assert (claims.loc[own_voice, "attribution_reference"] == "").all()


def test_no_claim_is_corroborated_only_by_its_own_outlet():
    bad = record.self_corroborated(tables.curated("claims"), tables.sources())
    assert bad.empty, bad[["claim_id", "reference_publishers"]].to_string()


def test_no_relation_is_corroborated_only_by_its_own_outlet():
    bad = record.self_corroborated(tables.curated("relations"), tables.sources(), column="status")
    assert bad.empty, bad[["relation_id", "reference_publishers"]].to_string()


def test_self_corroboration_of_relations_skips_rows_without_a_seed():
    rel = pd.DataFrame([
        {"relation_id": "r1", "source_id": "s1", "status": "corroborated", "reference": "FDD, T, 2019, https://fdd.org/x"},
        {"relation_id": "r2", "source_id": "", "status": "corroborated", "reference": "FDD, T, 2019, https://fdd.org/x"},
        {"relation_id": "r3", "source_id": "s1", "status": "reported", "reference": ""},
    ])
    bad = record.self_corroborated(rel, SOURCES, PUBS, OVER, column="status")
    assert list(bad["relation_id"]) == ["r1"]


def test_the_seed_001_outlet_is_the_fdd():
    own = record.seed_publishers(tables.sources())
    assert own["001_a072b550ad523d40"] == record.classify_url("https://www.fdd.org/analysis/x")[0]


def test_checked_attributions_name_what_they_were_checked_against():
    claims = tables.curated("claims")
    checked = claims[claims["attribution_verdict"].isin(["confirmed", "misattributed", "distorted"])]
    assert (checked["attribution_note"] != "").all()
    for ref in claims["attribution_reference"]:
        assert ref == "" or record.urls_in(ref), ref


def test_labels_map_to_groups_and_are_not_related_directly():
    actors = tables.curated("actors")
    kind = dict(zip(actors["actor_id"], actors["kind"], strict=True))
    members = tables.curated("label_members")
    labels = {a for a, k in kind.items() if k == "label"}
    assert labels and set(members["label_id"]) == labels
    assert not (members["actor_id"].map(kind) == "label").any()
    relations = tables.curated("relations")
    assert not (relations["subject_id"].isin(labels) | relations["object_id"].isin(labels)).any()


def test_text_reuse_quotes_its_seed_and_the_seed_names_its_original():
    reuse = tables.curated("text_reuse")
    texts = tables.seed_texts()
    sources = tables.sources().set_index("source_id")
    for rec in reuse.to_dict("records"):
        quote_span(texts[rec["source_id"]], rec["seed_quote"])  # raises unless exact and unique
        assert sources.loc[rec["source_id"], "derived_from"], rec["source_id"]
        # fair comment: a few words of the original, never a paragraph
        assert len(rec["original_excerpt"].split()) <= 12, rec["original_excerpt"]
    assert record.urls_in(sources.loc["003_e68a92534e54b4f2", "derived_from"])
    summary = record.text_reuse_summary(reuse)
    assert summary["rows"].sum() == len(reuse)


def test_loaded_terms_have_a_register_and_a_basis():
    terms = tables.curated("loaded_terms")
    assert set(terms["register"]) == {"pejorative", "contested_standard"}
    assert (terms["basis"] != "").all()
    standard = terms.set_index("term")
    for term in ("militia", "Iran-backed"):
        assert standard.loc[term, "register"] == "contested_standard" and standard.loc[term, "category"] == "descriptive"


def test_label_membership_names_the_groups():
    actors = pd.DataFrame([{"actor_id": "imis", "name": "IMIS", "kind": "label"},
                           {"actor_id": "pmf", "name": "PMF", "kind": "armed_group"}])
    members = pd.DataFrame([{"label_id": "imis", "actor_id": "pmf", "basis": "b", "quote": "q"}])
    out = record.label_membership(members, actors)
    assert out.to_dict("records") == [{"label": "IMIS", "group": "PMF", "group_kind": "armed_group", "basis": "b", "quote": "q"}]
    project = record.label_membership(tables.curated("label_members"), tables.curated("actors"))
    assert (project["group_kind"] != "label").all() and len(project) >= 1
