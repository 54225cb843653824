"""The data behind the actors chapter's tables and figures (nbval ignores the PNGs)."""

import html
import re

import pandas as pd
import pytest

from proxylens import tables
from proxylens.report import actors as ra

SEED_000 = "000_03e243f846fa81a4"
SEED_003 = "003_e68a92534e54b4f2"


@pytest.fixture(scope="module")
def actors():
    return tables.curated("actors")


@pytest.fixture(scope="module")
def aliases():
    return tables.curated("aliases")


@pytest.fixture(scope="module")
def gold():
    return tables.curated("mentions_gold")


@pytest.fixture(scope="module")
def auto():
    return tables.derived("mentions")


@pytest.fixture(scope="module")
def forms(gold, actors, aliases):
    return ra.surface_forms(gold, actors, aliases, tables.curated("loaded_terms"))


def tiny_actors():
    return pd.DataFrame([
        {"actor_id": "iran", "name": "Iran", "kind": "state", "country": "IR", "description": "d"},
        {"actor_id": "irgc", "name": "Islamic Revolutionary Guard Corps", "kind": "armed_group", "country": "IR",
         "description": "d"},
        {"actor_id": "hamas", "name": "Hamas", "kind": "armed_group", "country": "PS", "description": "d"},
        {"actor_id": "peter", "name": "Peter Kassig", "kind": "person", "country": "US", "description": "d"},
    ])


def tiny_aliases():
    return pd.DataFrame([
        {"actor_id": "iran", "alias": "Tehran", "alias_kind": "epithet", "note": "metonym"},
        {"actor_id": "iran", "alias": "the Mullah regime", "alias_kind": "epithet", "note": "loaded"},
        {"actor_id": "irgc", "alias": "IRGC", "alias_kind": "acronym", "note": ""},
        {"actor_id": "peter", "alias": "Peter Kasig", "alias_kind": "misspelling", "note": "typo"},
    ])


def tiny_mentions():
    rows = [("a_1", 0, "Iran", "iran"), ("a_1", 10, "Tehran", "iran"), ("a_1", 20, "IRGC", "irgc"),
            ("b_2", 0, "Mullah regime", "iran"), ("b_2", 20, "Iran", "iran"), ("b_2", 30, "Peter Kasig", "peter"),
            ("b_2", 50, "Somewhere", "")]
    return pd.DataFrame([{"source_id": s, "start": st, "end": st + len(t), "text": t, "actor_id": a,
                          "method": "ner:GPE" if not a else "alias:name", "boilerplate": "",
                          "candidate_id": "", "candidate_score": ""} for s, st, t, a in rows])


# ---------------------------------------------------------------- registry


def test_registry_by_kind_tiny():
    table = ra.registry_by_kind(tiny_actors(), tiny_mentions())
    assert list(table.index) == ["armed_group", "person", "state"]
    assert table.loc["armed_group"].tolist() == [2, 1, 1]
    assert table.loc["person", "in_seeds"] == 1


def test_registry_by_kind_repo(actors, gold):
    table = ra.registry_by_kind(actors, gold)
    assert table["registered"].sum() == len(actors)
    assert table["in_seeds"].sum() == gold.loc[gold["actor_id"] != "", "actor_id"].nunique()
    assert (table["registered"] == table["in_seeds"] + table["wider_field"]).all()
    assert table.index[0] == "person"  # the largest kind comes first


def test_seed_actor_table(actors, gold):
    table = ra.seed_actor_table(actors, gold)
    assert len(table) == len(ra.seed_actor_ids(gold))
    assert table.loc[0, "name"] == "Iran"  # the most mentioned actor
    assert table["mentions"].sum() == (gold["actor_id"] != "").sum()
    assert list(table.columns) == ["name", "kind", "country", "mentions", "documents", "description"]
    muamen = table[table["name"] == "Qassim al-Muamen"].iloc[0]
    assert muamen["documents"] == "Iran News Update 2018"


# ---------------------------------------------------------------- matrix


def test_matrix_tiny():
    m = tiny_mentions()
    m.loc[1, "boilerplate"] = "navigation"  # a boilerplate mention does not count
    matrix = ra.document_actor_matrix(m, tiny_actors(), top=2)
    assert list(matrix.columns) == ["a_1", "b_2"]
    assert list(matrix.index) == ["Iran", "Islamic Revolutionary Guard Corps"]  # tie 1:1 broken by name
    assert matrix.loc["Iran"].tolist() == [1, 2]


def test_matrix_repo(auto, actors):
    matrix = ra.document_actor_matrix(auto, actors, top=30)
    assert matrix.shape == (30, 4)
    assert list(matrix.columns) == ["000", "001", "002", "003"]
    totals = matrix.sum(axis=1).tolist()
    assert totals == sorted(totals, reverse=True)
    assert matrix.index[0] == "Iran"
    body = ra.body_mentions(auto)
    assert matrix.loc["Iran"].sum() == (body["actor_id"] == "iran").sum()
    assert matrix.loc["Iranian Militias in Iraq and Syria"].tolist()[:3] == [0, 0, 0]


# ---------------------------------------------------------------- forms


def test_alias_kind_matching_uses_matcher_normalisation():
    lookup = ra.alias_lookup(tiny_actors(), tiny_aliases())
    assert ra.form_kind("iran", "mullah REGIME", lookup)[0] == "epithet"  # core of "the Mullah regime"
    assert ra.form_kind("peter", "Peter Kasig", lookup) == ("misspelling", "typo")
    assert ra.form_kind("irgc", "I.R.G.C.", lookup)[0] == "acronym"
    assert ra.form_kind("iran", "Persia", lookup)[0] == ra.UNMATCHED_KIND


def test_surface_forms_tiny():
    forms = ra.surface_forms(tiny_mentions(), tiny_actors(), tiny_aliases(),
                             pd.DataFrame([{"term": "Mullah regime", "category": "epithet"}]))
    assert sorted(forms["actor_id"].unique()) == ["iran"]  # only Iran has more than one form
    iran = forms.set_index("form")
    assert iran.loc["Iran", ["a_1", "b_2", "total"]].tolist() == [1, 1, 2]
    assert iran.loc["Mullah regime", "loaded"] == "epithet"
    assert iran.loc["Tehran", "kind"] == "epithet" and iran.loc["Tehran", "loaded"] == ""


def test_surface_forms_repo(forms):
    marked = ra.marked_forms(forms).set_index("form")
    # The seeds' typos are no registry aliases (a registry of the field, not of four documents):
    # the gold still records them, as forms no alias matches.
    by_form = forms.set_index("form")
    assert by_form.loc["Donal Trump", "kind"] == ra.UNMATCHED_KIND and by_form.loc["Donal Trump", "000"] == 1
    assert by_form.loc["Qassem Soliemani", "kind"] == ra.UNMATCHED_KIND and by_form.loc["Qassem Soliemani", "001"] == 1
    assert "Donal Trump" not in marked.index
    assert marked.loc["Jerusalem Intelligence", "actor_id"] == "irgc-qods-force"
    assert marked.loc["Jerusalem Intelligence", "002"] == 1
    assert marked.loc["Mullah regime", "003"] == 1
    assert marked.loc["Iranian Regime", "000"] == 3
    assert marked.loc["IMIS", "loaded"] == "epithet" and marked.loc["IMIS", "003"] == 12
    unmatched = set(forms.loc[forms["kind"] == ra.UNMATCHED_KIND, "form"])
    assert unmatched == {"Donal Trump", "Qassem Soliemani", "Syrian Defense Forces"}  # only the seeds' typos
    assert forms.groupby("actor_id")["form"].nunique().min() >= 2


def test_form_counts_iran(forms, gold):
    table = ra.form_counts(forms, "iran")
    assert list(table.index) == ["000", "001", "002", "003"]
    assert table.loc["002", "Tehran"] == 11
    assert table.values.sum() == (gold["actor_id"] == "iran").sum()


def test_kinds_by_document(gold, actors, aliases):
    table = ra.kinds_by_document(gold, actors, aliases)
    assert table.values.sum() == (gold["actor_id"] != "").sum()
    assert "misspelling" not in table.columns  # the seeds' typos are no registry aliases ...
    assert list(table.columns)[-2:] == ["name", ra.UNMATCHED_KIND]  # ... but forms no alias matches
    assert table.loc["000", ra.UNMATCHED_KIND] == 1


def test_group_naming(gold, actors):
    table = ra.group_naming(gold, actors, ["iranian-militias-in-iraq-and-syria"])
    assert table.loc["003", "umbrella_label_mentions"] == 13
    assert table.loc["001", "distinct_groups"] > table.loc["003", "distinct_groups"]
    assert table.loc["000", "umbrella_label_mentions"] == 0


def test_mentions_in_context(gold):
    texts = tables.seed_texts()
    table = ra.mentions_in_context(gold, texts, "iranian-militias-in-iraq-and-syria", width=10)
    assert (table["mention"].isin(["IMIS", "Iranian Militias in Iraq and Syria"])).all()
    assert len(table) == 13 and (table["doc"] == "003").all()


# ---------------------------------------------------------------- highlighting


def test_highlight_escapes_everything():
    text = '<script>alert(1)</script> Iran & "Tehran" {eval-rst} `x`'
    start = text.index("Iran")
    mentions = [{"start": start, "end": start + 4, "actor_id": 'ir"an<'},
                {"start": text.index("Tehran"), "end": text.index("Tehran") + 6, "actor_id": ""}]
    out = ra.highlight_mentions(text, mentions)
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert 'title="ir&quot;an&lt;"' in out
    assert '<mark class="unresolved" title="unresolved"' in out
    assert "&amp;" in out and "&quot;" in out
    assert out.count("<mark") == 2


def test_highlight_round_trips_text():
    text = "A <b> Iran\nB & Tehran"
    mentions = pd.DataFrame([{"start": 6, "end": 10, "actor_id": "iran"}, {"start": 15, "end": 21, "actor_id": "iran"},
                             {"start": 7, "end": 9, "actor_id": "x"},  # overlaps: skipped
                             {"start": 18, "end": 99, "actor_id": "x"}])  # outside the text: skipped  # outside the text: skipped
    out = ra.highlight_mentions(text, mentions)
    assert out.count("<mark") == 2
    assert '<mark title="iran" style="' + ra.RESOLVED_STYLE + '">Iran</mark>' in out
    inner = re.sub(r"<[^>]+>", "", out)
    assert html.unescape(inner) == text


def test_highlight_full_document(auto):
    text = tables.seed_texts()[SEED_003]
    mentions = auto[auto["source_id"] == SEED_003]
    out = ra.highlight_mentions(text, mentions)
    assert out.count("<mark") == len(mentions)
    assert out.count('class="unresolved"') == (mentions["actor_id"] == "").sum()
    assert 'title="iranian-militias-in-iraq-and-syria"' in out


def test_collapsed_escapes_summary():
    out = ra.collapsed("<i>002</i>", "<p>x</p>")
    assert out.startswith("<details><summary>&lt;i&gt;002&lt;/i&gt;</summary>") and out.endswith("</details>")


# ---------------------------------------------------------------- unresolved


def test_unresolved_names_tiny():
    m = pd.concat([tiny_mentions(), tiny_mentions().iloc[[6]].assign(source_id="a_1")])
    table = ra.unresolved_names(m)
    assert table.loc[0].tolist() == ["Somewhere", 2, "ner:GPE", "a_1, b_2", ""]


def test_unresolved_names_repo(auto):
    table = ra.unresolved_names(auto)
    assert table["mentions"].sum() == (auto["actor_id"] == "").sum()
    assert table.loc[0, "text"] == "Middle East"


def test_fuzzy_proposals():
    table = ra.fuzzy_proposals(["Qasem Suleimany", "Brian Nelson"])
    assert table.loc[0, "proposal"] == "qassem-soleimani" and table.loc[0, "score"] >= 85
    assert table.loc[1, "proposal"] == ""
