"""Actor mentions: normalisation, gazetteer matching, context rules, resolution, NER fallback,
fuzzy proposals, and data contracts on the curated registry and the mention gold."""

from __future__ import annotations

import csv
import re
from itertools import pairwise
from pathlib import Path

import pytest

from proxylens import actors
from proxylens.actors import Gazetteer, Registry, find_mentions, fold, norm_tokens, normalise
from proxylens.corpus import load_corpus, make_document
from proxylens.pipeline import parse_document

# A tiny registry, so these tests do not move when the curated one grows.
ACTORS = [
    ("united-states", "United States", "state"), ("iran", "Iran", "state"), ("iraq", "Iraq", "state"),
    ("bahrain", "Bahrain", "state"), ("lebanon", "Lebanon", "state"),
    ("hezbollah", "Hezbollah", "armed_group"), ("kataib-hezbollah", "Kata'ib Hezbollah", "armed_group"),
    ("harakat-al-nujaba", "Harakat al-Nujaba", "armed_group"), ("kataib-imam-ali", "Kata'ib Imam Ali", "armed_group"),
    ("kataib-jund-al-imam", "Kata'ib Jund al-Imam", "armed_group"),
    ("al-ashtar-brigades", "al-Ashtar Brigades", "armed_group"), ("islamic-state", "Islamic State", "armed_group"),
    ("qais-al-khazali", "Qais al-Khazali", "person"), ("laith-al-khazali", "Laith al-Khazali", "person"),
    ("akram-al-kaabi", "Akram al-Kaabi", "person"), ("donald-trump", "Donald Trump", "person"),
    ("ali-khamenei", "Ali Khamenei", "person"), ("qassem-soleimani", "Qassem Soleimani", "person"),
    ("qassim-al-muamen", "Qassim al-Muamen", "person"),
    ("us-led-coalition", "US-led coalition", "coalition"), ("coalition-of-iraqi-forces", "Coalition of Iraqi Forces", "party"),
    ("us-department-of-state", "US Department of State", "state_agency"),
]
ALIASES = [
    ("united-states", "US", "acronym", ""), ("united-states", "U.S.", "acronym", ""),
    ("united-states", "Washington", "epithet", ""), ("iran", "Tehran", "epithet", ""),
    ("iran", "Iranian regime", "epithet", ""), ("iraq", "Baghdad", "epithet", ""),
    ("kataib-hezbollah", "Hezbollah Brigades", "translation", ""),
    ("kataib-hezbollah", "Hezbollah", "name", "ambiguous: short form also used for Kata'ib Hezbollah"),
    ("hezbollah", "Hezbollah", "name", "ambiguous: also Kata'ib Hezbollah"),
    ("hezbollah", "Lebanese Hezbollah", "name", ""),
    ("harakat-al-nujaba", "Harakat Hezbollah al-Nujaba", "name", ""),
    ("kataib-imam-ali", "Imam Ali Battalions", "translation", ""),
    ("al-ashtar-brigades", "Saraya al-Ashtar", "transliteration", ""),
    ("islamic-state", "ISIS", "acronym", ""), ("us-led-coalition", "Coalition", "name", ""),
    ("ali-khamenei", "Supreme Leader", "epithet", ""), ("us-department-of-state", "State Department", "name", ""),
]


@pytest.fixture(scope="module")
def gaz():
    registry = Registry.from_rows(
        [{"actor_id": a, "name": n, "kind": k} for a, n, k in ACTORS],
        [{"actor_id": a, "alias": s, "alias_kind": k, "note": note} for a, s, k, note in ALIASES],
    )
    return Gazetteer(registry)


@pytest.fixture(scope="module")
def find(gaz, nlp):
    def run(text: str):
        doc = make_document("t.txt", text, "0" * 64, None)
        return find_mentions(parse_document(doc, nlp), gaz)

    return run


def resolved(mentions):
    """(text, actor_id) of the resolved mentions, in order."""
    return [(m.text, m.actor_id) for m in mentions if m.actor_id]


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize("a,b", [
    ("al-Muamen", "al Muamen"), ("al-Muamen", "Al-Muamen"), ("AL Qaeda", "al-Qaeda"), ("el-Sisi", "al Sisi"),
    ("Kata’ib", "Kata'ib"), ("Kata'ib", "Kataib"), ("Kataʼib", "Kataib"), ("ʿAbbas", "Abbas"), ("‘Abbas", "Abbas"),
    ("Qāsim", "Qasim"), ("Ṣadr", "Sadr"), ("U.S.", "US"), ("Asa’ib  Ahl al–Haq", "Asaib Ahl al Haq"),
])
def test_normalisation_variants_are_equal(a, b):
    assert normalise(a) == normalise(b)


def test_normalisation_keeps_distinct_names_apart():
    assert normalise("Qais al-Khazali") != normalise("Laith al-Khazali")
    assert normalise("Kata'ib Imam Ali") != normalise("Kata'ib Jund al-Imam")


def test_possessive_is_cut_from_the_token_and_offsets_are_exact():
    text = "Iran’s agenda and Tehran's rulers"
    toks = norm_tokens(text, offset=10)
    assert [(t.surface, t.norm) for t in toks] == [("Iran", "iran"), ("agenda", "agenda"), ("and", "and"),
                                                  ("Tehran", "tehran"), ("rulers", "rulers")]
    assert [text[t.start - 10:t.end - 10] for t in toks] == ["Iran", "agenda", "and", "Tehran", "rulers"]


def test_fold_maps_el_particle_to_al():
    assert fold("El") == "al" and fold("al") == "al" and fold("Elvis") == "elvis"


# ---------------------------------------------------------------- matching


def test_possessive_excluded_from_mention(find):
    ms = find("It worked to enhance Iran’s agenda, and the US's allies agreed.")
    assert resolved(ms) == [("Iran", "iran"), ("US", "united-states")]


def test_hyphen_space_and_case_variants_match(find):
    ms = find("Saraya al Ashtar, the AL-ASHTAR Brigades and Al-Ashtar Brigades are one group.")
    assert resolved(ms) == [("Saraya al Ashtar", "al-ashtar-brigades"), ("AL-ASHTAR Brigades", "al-ashtar-brigades"),
                            ("Al-Ashtar Brigades", "al-ashtar-brigades")]


def test_leading_particle_optional_for_multiword_alias(find):
    assert resolved(find("Members of the Ashtar Brigades were arrested.")) == [("Ashtar Brigades", "al-ashtar-brigades")]


def test_particle_optional_inside_a_name(find):
    assert resolved(find("Officials said Qais Khazali had left.")) == [("Qais Khazali", "qais-al-khazali")]


def test_longest_match_wins_and_mentions_do_not_overlap(find):
    ms = find("The Hezbollah Brigades and Lebanese Hezbollah differ; the Islamic State and the State Department too.")
    assert resolved(ms) == [("Hezbollah Brigades", "kataib-hezbollah"), ("Lebanese Hezbollah", "hezbollah"),
                            ("Islamic State", "islamic-state"), ("State Department", "us-department-of-state")]
    spans = sorted((m.start, m.end) for m in ms)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_acronym_matches_only_upper_case(find):
    ms = find("US troops were there. They joined us in training, the fighter said.")
    assert resolved(ms) == [("US", "united-states")]


def test_country_as_premodifier_in_hyphenated_word(find):
    ms = find("The US-backed forces and the US-led coalition advanced.")
    assert resolved(ms) == [("US", "united-states"), ("US-led coalition", "us-led-coalition")]


def test_titles_stay_outside_the_span(find):
    ms = find("President Donald Trump met Supreme Leader Ali Khamenei's envoy.")
    assert resolved(ms) == [("Donald Trump", "donald-trump"), ("Ali Khamenei", "ali-khamenei")]


def test_bare_role_epithet_is_a_mention(find):
    assert resolved(find("Kaabi pledged loyalty to Iran’s Supreme Leader.")) == [
        ("Iran", "iran"), ("Supreme Leader", "ali-khamenei")]


def test_no_name_runs_across_a_full_stop_or_comma(find):
    ms = find("Officials met Qais. Khazali later spoke; Laith, Khazali's brother, did not.")
    assert ("Qais. Khazali", "qais-al-khazali") not in resolved(ms)
    assert not any(m.text in ("Qais. Khazali", "Laith, Khazali") for m in ms)


def test_an_initial_with_a_full_stop_stays_inside_a_name(nlp):
    registry = Registry.from_rows([{"actor_id": "stuart-jones", "name": "Stuart Jones", "kind": "person"}],
                                  [{"actor_id": "stuart-jones", "alias": "Stuart E. Jones", "alias_kind": "name"}])
    doc = make_document("t.txt", "Stuart E. Jones said so.", "0" * 64, None)
    ms = find_mentions(parse_document(doc, nlp), Gazetteer(registry))
    assert resolved(ms) == [("Stuart E. Jones", "stuart-jones")]


# ---------------------------------------------------------------- context rules


def test_capital_as_agent_is_the_state(find):
    assert resolved(find("Tehran has always been willing to help, and Washington objected.")) == [
        ("Tehran", "iran"), ("Washington", "united-states")]


@pytest.mark.parametrize("text", [
    "He lives in Tehran with his family.",
    "During his visit to Washington the prince spoke.",
    "The convoy came from Baghdad last night.",
    "He was flown to Baghdad airport.",
    "The Washington Post reported it first.",
    "TEHRAN — Officials denied the report.",
    "Washington-based analysts disagreed.",
])
def test_capital_as_plain_place_is_no_mention(find, text):
    assert resolved(find(text)) == []


def test_coalition_only_capitalised_mid_sentence_and_not_inside_a_name(find):
    assert resolved(find("Then the Coalition also shelled a convoy.")) == [("Coalition", "us-led-coalition")]
    assert resolved(find("Most coalition strikes hit the border.")) == []
    assert resolved(find("Coalition jets struck at dawn.")) == []
    assert resolved(find("A member of the National Coalition spoke.")) == []
    assert resolved(find("A deputy of the Coalition of Iraqi Forces said so.")) == [
        ("Coalition of Iraqi Forces", "coalition-of-iraqi-forces")]


def test_demonym_with_government_noun_is_the_state(find):
    ms = find("Meanwhile, the Bahraini government revoked his citizenship, and Bahraini authorities agreed.")
    assert resolved(ms) == [("Bahraini government", "bahrain"), ("Bahraini authorities", "bahrain")]
    assert [m.method for m in ms if m.actor_id] == ["demonym_government", "demonym_government"]


def test_demonym_alone_is_no_mention(find):
    assert all(m.actor_id == "" for m in find("The Iranian people and Bahraini activists protested."))
    assert not any(m.text in ("Iranian", "Bahraini") for m in find("The Iranian people and Bahraini activists protested."))


def test_the_regime_refers_back_to_the_last_regime_epithet(find):
    ms = find("The Iranian Regime supports militias. People are calling for the Regime to go.")
    assert resolved(ms) == [("Iranian Regime", "iran"), ("Regime", "iran")]
    assert ms[-1].method == "anaphor:regime"


def test_the_regime_anaphor_wins_over_a_bare_word_alias(nlp):
    registry = Registry.from_rows(
        [{"actor_id": "iran", "name": "Iran", "kind": "state"}, {"actor_id": "syria", "name": "Syria", "kind": "state"}],
        [{"actor_id": "iran", "alias": "Regime", "alias_kind": "epithet", "note": "ambiguous: generic word"},
         {"actor_id": "syria", "alias": "Syrian regime", "alias_kind": "epithet"}],
    )
    doc = make_document("t.txt", "The Syrian regime struck. Rebels fought the Regime for years.", "0" * 64, None)
    ms = find_mentions(parse_document(doc, nlp), Gazetteer(registry))
    assert resolved(ms) == [("Syrian regime", "syria"), ("Regime", "syria")]


def test_the_regime_without_antecedent_is_no_mention(find):
    assert resolved(find("People are calling for the regime to go.")) == []


# ---------------------------------------------------------------- resolution in context


def test_shared_alias_defaults_to_the_actor_whose_name_it_is(find):
    ms = find("The Hezbollah Brigades fired rockets. Treasury linked the men to Hezbollah.")
    assert resolved(ms) == [("Hezbollah Brigades", "kataib-hezbollah"), ("Hezbollah", "hezbollah")]


def test_surname_backoff_after_full_name(find):
    ms = find("Its leader, Akram al-Kaabi, was listed. Kaabi has pledged loyalty to Iran.")
    assert resolved(ms)[:2] == [("Akram al-Kaabi", "akram-al-kaabi"), ("Kaabi", "akram-al-kaabi")]
    assert ms[1].method == "surname_backoff"


def test_surname_with_particle_keeps_the_particle_in_the_span(find):
    ms = find("Qassim al-Muamen recruited fighters. The statement said al-Muamen had trained them.")
    assert resolved(ms) == [("Qassim al-Muamen", "qassim-al-muamen"), ("al-Muamen", "qassim-al-muamen")]


def test_surname_after_title_resolves_when_unique(find):
    assert resolved(find("President Trump claimed victory.")) == [("Trump", "donald-trump")]


@pytest.mark.parametrize("full,actor", [("Qais al-Khazali", "qais-al-khazali"), ("Laith al-Khazali", "laith-al-khazali")])
def test_ambiguous_surname_goes_to_the_brother_named_before(find, full, actor):
    ms = find(f"The report named {full} as a commander. Later, Khazali denied it.")
    assert resolved(ms) == [(full, actor), ("Khazali", actor)]


def test_ambiguous_surname_without_antecedent_stays_unresolved(find):
    ms = find("Later, Khazali denied it.")
    hits = [m for m in ms if m.text == "Khazali"]
    assert hits and all(m.actor_id == "" for m in hits)
    assert hits[0].candidate_id == "laith-al-khazali|qais-al-khazali"


# ---------------------------------------------------------------- unknown names and fuzzy proposals


def test_unknown_person_is_kept_with_empty_actor(find):
    ms = find("Militia commander Karim Dhulfiqar Hattabi met officials on Monday.")
    hit = [m for m in ms if m.text == "Karim Dhulfiqar Hattabi"]
    assert len(hit) == 1 and hit[0].actor_id == "" and hit[0].method == "ner:PERSON"


def test_fuzzy_proposes_but_never_merges(find):
    ms = find("Qassem Soleymani visited the front.")
    hit = [m for m in ms if m.text == "Qassem Soleymani"]
    assert len(hit) == 1
    assert hit[0].actor_id == ""
    assert hit[0].candidate_id == "qassem-soleimani" and hit[0].candidate_score >= 85


@pytest.mark.parametrize("text,actor", [
    ("Laith al-Khazali spoke.", "laith-al-khazali"),
    ("Qais al-Khazali spoke.", "qais-al-khazali"),
    ("Kata'ib Hezbollah fired.", "kataib-hezbollah"),
    ("Harakat Hezbollah al-Nujaba fired.", "harakat-al-nujaba"),
    ("Harakat al-Nujaba fired.", "harakat-al-nujaba"),
    ("Kata'ib Imam Ali fired.", "kataib-imam-ali"),
    ("Kata'ib Jund al-Imam fired.", "kataib-jund-al-imam"),
])
def test_near_miss_names_resolve_to_their_own_actor(find, text, actor):
    assert [a for _, a in resolved(find(text))] == [actor]


@pytest.mark.parametrize("name", ["Laith al-Khazaly", "Qays al-Khazzali", "Kataib Hizbolah", "Kataib Jund al Imaam",
                                  "Kataib Imam Aly"])
def test_near_miss_names_are_never_merged(find, name):
    ms = find(f"The spokesman of {name} said so.")
    assert [m for m in ms if m.actor_id and (name in m.text or m.text in name)] == []


def test_fuzzy_proposal_keeps_near_miss_pairs_apart(gaz):
    assert gaz.propose("Laith al-Khazaly")[0] == "laith-al-khazali"
    assert gaz.propose("Qais al-Khazaly")[0] == "qais-al-khazali"
    assert gaz.propose("Kataib Jund al Imaam")[0] == "kataib-jund-al-imam"
    assert gaz.propose("Kataib Imam Aly")[0] == "kataib-imam-ali"
    assert gaz.propose("Zorvan Kelbarini") == ("", None)


# ---------------------------------------------------------------- output contract


def test_rows_sorted_exact_and_with_contract_columns(find):
    text = "“Today’s designation,” the U.S. State Department said, “targets al-Muamen’s network in Bahrain.”"
    ms = find(text)
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    assert all(text[m.start:m.end] == m.text for m in ms)
    row = ms[0].row()
    assert list(row)[:7] == ["source_id", "start", "end", "text", "actor_id", "cluster_id", "method"]
    assert list(row) == actors.TABLES["mentions.csv"]


def test_extractor_never_reads_gold():
    source = Path(actors.__file__).read_text(encoding="utf-8")
    for gold in ("mentions_gold", "events.csv", "claims.csv", "timex_gold", "relations.csv", "evaluation"):
        assert gold not in source


# ---------------------------------------------------------------- data contracts: registry and gold

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = {"person", "armed_group", "state", "state_agency", "government_body", "coalition", "party", "media", "igo", "label"}
ALIAS_KINDS = {"name", "acronym", "translation", "transliteration", "misspelling", "epithet", "kunya"}


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def registry_rows(root):
    folder = root / "data" / "curated"
    return _rows(folder / "actors.csv"), _rows(folder / "aliases.csv")


def test_registry_actor_ids_are_unique_slugs_with_known_kinds(registry_rows):
    actor_rows, _ = registry_rows
    ids = [r["actor_id"] for r in actor_rows]
    assert len(ids) == len(set(ids))
    assert all(SLUG.match(i) for i in ids)
    assert {r["kind"] for r in actor_rows} <= KINDS


def test_every_reference_url_is_https(registry_rows):
    # An actor the public record could not confirm keeps an empty reference (never an invented one).
    actor_rows, _ = registry_rows
    bad = [r["actor_id"] for r in actor_rows
           if r["reference_url"] and not re.match(r"^https://[^\s/]+\.[^\s/]+/\S*$", r["reference_url"])]
    assert bad == []


def test_every_alias_belongs_to_a_registered_actor(registry_rows):
    actor_rows, alias_rows = registry_rows
    ids = {r["actor_id"] for r in actor_rows}
    assert sorted({r["actor_id"] for r in alias_rows} - ids) == []
    assert {r["alias_kind"] for r in alias_rows} <= ALIAS_KINDS


def test_no_alias_names_two_actors_unless_marked_ambiguous(registry_rows):
    actor_rows, alias_rows = registry_rows
    owners: dict[str, set[str]] = {}
    for r in actor_rows:
        owners.setdefault(normalise(r["name"]), set()).add(r["actor_id"])
    for r in alias_rows:
        owners.setdefault(normalise(r["alias"]), set()).add(r["actor_id"])
    # Where several actors share a string, every alias row for it says so ("ambiguous: ...").
    unmarked = sorted({(normalise(r["alias"]), r["actor_id"]) for r in alias_rows
                       if len(owners[normalise(r["alias"])]) > 1
                       and not (r.get("note") or "").strip().lower().startswith("ambiguous:")})
    assert unmarked == []


def test_gold_spans_equal_the_seed_text_and_name_registered_actors(root, registry_rows):
    actor_rows, _ = registry_rows
    ids = {r["actor_id"] for r in actor_rows}
    gold = _rows(root / "data" / "curated" / "mentions_gold.csv")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (root / "seeds").glob("*.txt")}
    assert [r for r in gold if texts[r["source_id"]][int(r["start"]):int(r["end"])] != r["text"]] == []
    assert sorted({r["actor_id"] for r in gold} - ids) == []


def test_unseen_gold_spans_equal_the_text(root, registry_rows):
    actor_rows, _ = registry_rows
    folder = root / "data" / "unseen" / "mentions"
    gold = _rows(folder / "mentions_gold.csv")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.txt")}
    assert [r for r in gold if texts[r["source_id"]][int(r["start"]):int(r["end"])] != r["text"]] == []
    assert sorted({r["actor_id"] for r in gold if r["actor_id"]} - {r["actor_id"] for r in actor_rows}) == []


# ---------------------------------------------------------------- the seeds, end to end


@pytest.mark.slow
def test_seed_mentions_score_at_least_095_f1(root, nlp):
    from proxylens.evaluation.mentions import compare, read_rows

    rows = []
    for document in load_corpus(root / "seeds").documents:
        rows += [m.row() for m in find_mentions(parse_document(document, nlp))]
    for r in rows:
        r["start"], r["end"] = int(r["start"]), int(r["end"])
    strict, _ = compare(rows, read_rows(root / "data" / "curated" / "mentions_gold.csv"))
    assert strict.f1 >= 0.95, strict


# ---------------------------------------------------------------- the scorer


def test_scorer_counts_strict_span_only_and_unknown_names():
    from proxylens.evaluation.mentions import compare, errors, unknown_found

    def row(s, e, actor, text="x", method="alias:name"):
        return {"source_id": "d", "start": s, "end": e, "text": text, "actor_id": actor, "method": method}

    gold = [row(0, 4, "iran"), row(10, 14, "iraq"), row(20, 25, "us"), row(30, 35, "")]
    auto = [row(0, 4, "iran"), row(10, 14, "iran"), row(40, 44, "syria"), row(30, 35, "", method="ner:PERSON")]
    strict, span = compare(auto, gold)
    assert (strict.tp, strict.fp, strict.fn) == (1, 2, 2)
    assert (span.tp, span.fp, span.fn) == (2, 1, 1)
    assert round(strict.f1, 4) == 0.3333 and round(span.f1, 4) == 0.6667
    assert unknown_found(auto, gold) == (1, 1)
    assert [(e["kind"], e["start"]) for e in errors(auto, gold)] == [
        ("wrong_actor", 10), ("false_negative", 20), ("false_positive", 40)]


# ---------------------------------------------------------------- identity for every name

def clusters(mentions):
    return [(m.text, m.cluster_id) for m in mentions]


def test_cluster_id_is_the_actor_id_when_resolved(find):
    ms = find("Qais al-Khazali spoke in Baghdad on Monday.")
    assert ("Qais al-Khazali", "qais-al-khazali") in clusters(ms)


def test_unregistered_full_name_and_its_surname_share_one_new_id(find):
    text = ("Treasury Under Secretary Stuart Levey met bankers in London. "
            "Levey said the sanctions would hold, and Mr. Levey left on Friday.")
    got = {t: c for t, c in clusters(find(text)) if "Levey" in t}
    assert got == {"Stuart Levey": "new:stuart-levey", "Levey": "new:stuart-levey"}


def test_same_full_name_gets_the_same_id_in_every_document(find):
    a = {t: c for t, c in clusters(find("Officials said Stuart Levey would travel.")) if "Levey" in t}
    b = {t: c for t, c in clusters(find("Stuart Levey, the official, declined to comment.")) if "Levey" in t}
    assert a == b == {"Stuart Levey": "new:stuart-levey"}


def test_part_of_a_longer_form():
    assert actors._part_of(["levey"], ["stuart", "levey"], person=True)
    assert actors._part_of(["irgc"], ["islamic", "revolutionary", "guard", "corps"], person=False)
    assert actors._part_of(["maersk"], ["moller", "maersk"], person=False)
    assert not actors._part_of(["al"], ["ali", "al"], person=True)
    assert not actors._part_of(["stuart"], ["stuart", "levey"], person=True)  # a given name alone is not enough


def test_assign_clusters_ties_a_short_form_to_the_latest_longer_one():
    def m(start, text, method="ner:PERSON", actor=""):
        return actors.Mention("d", start, start + len(text), text, actor, method)

    got = actors.assign_clusters([m(0, "John Smith"), m(20, "Smith"), m(40, "Jane Smith"), m(60, "Smith"),
                                  m(80, "Iran", "alias:name", "iran")])
    assert [x.cluster_id for x in got] == ["new:john-smith", "new:john-smith", "new:jane-smith", "new:jane-smith",
                                           "iran"]


def test_new_actor_rows_are_order_independent_and_counted():
    rows = [
        {"source_id": "b", "text": "Levey", "cluster_id": "new:stuart-levey", "method": "ner:PERSON"},
        {"source_id": "a", "text": "Stuart Levey", "cluster_id": "new:stuart-levey", "method": "ner:PERSON"},
        {"source_id": "a", "text": "Maersk", "cluster_id": "new:maersk", "method": "ner:ORG"},
        {"source_id": "a", "text": "Iran", "cluster_id": "iran", "method": "alias:name"},
    ]
    want = [
        {"cluster_id": "new:maersk", "name": "Maersk", "kind_guess": "organisation", "forms": "Maersk",
         "mentions": 1, "documents": 1, "first_source_id": "a"},
        {"cluster_id": "new:stuart-levey", "name": "Stuart Levey", "kind_guess": "person",
         "forms": "Levey|Stuart Levey", "mentions": 2, "documents": 2, "first_source_id": "a"},
    ]
    assert list(actors.new_actor_rows(rows)) == want
    assert list(actors.new_actor_rows(reversed(rows))) == want
    columns, source, fn = actors.POST_TABLES["new_actors.csv"]
    assert source == "mentions.csv" and fn is actors.new_actor_rows and list(want[0]) == columns


# ---------------------------------------------------------------- which registry

def test_packaged_registry_is_byte_identical_to_the_curated_one():
    from proxylens.paths import curated_dir

    for name in actors.REGISTRY_FILES:
        curated, packaged = curated_dir() / name, actors.PACKAGED_REGISTRY / name
        assert curated.is_file() == packaged.is_file(), name
        if curated.is_file():
            assert packaged.read_bytes() == curated.read_bytes(), f"{name}: run make data (python -m proxylens.actors sync)"


def test_configure_switches_registry_and_clears_caches(tmp_path):
    (tmp_path / "actors.csv").write_text("actor_id,name,kind\nacme-militia,Acme Militia,armed_group\n", encoding="utf-8")
    try:
        actors.configure(tmp_path)
        assert set(actors.load_registry().actors) == {"acme-militia"}
        assert "acme militia" in actors.default_gazetteer().entries
    finally:
        actors.configure(None)
    assert "acme-militia" not in actors.load_registry().actors
    assert actors.registry_dir() == actors.PACKAGED_REGISTRY


def test_configure_rejects_a_missing_folder_and_reads_an_empty_one_as_empty(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder"):
        actors.configure(tmp_path / "absent")
    assert actors.registry_dir() == actors.PACKAGED_REGISTRY
    try:
        actors.configure(tmp_path)
        assert actors.load_registry().actors == {}
    finally:
        actors.configure(None)


def test_sync_copies_only_what_changed(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    (src / "actors.csv").write_text("actor_id,name,kind\n", encoding="utf-8")
    assert actors.sync_packaged_registry(src, dst) == ["actors.csv"]
    assert actors.sync_packaged_registry(src, dst) == []


def test_bare_surname_after_a_registry_person_named_in_full(find):
    ms = find("Akram al-Kaabi spoke first. Later, Kaabi's aides said al Kaabi would travel.")
    assert {m.actor_id for m in ms if "Kaabi" in m.text} == {"akram-al-kaabi"}


def test_demonym_of_an_unregistered_country_is_kept_under_a_new_id(find):
    ms = [m for m in find("The Turkish government said it would respond.") if "Turkish" in m.text]
    assert [(m.text, m.actor_id, m.cluster_id, m.method) for m in ms] == [
        ("Turkish government", "", "new:turkey", "demonym_unregistered")]


def test_misspelt_name_defined_by_a_registry_acronym(gaz, nlp):
    registry = Registry.from_rows(
        [{"actor_id": "syrian-democratic-forces", "name": "Syrian Democratic Forces", "kind": "armed_group"}],
        [{"actor_id": "syrian-democratic-forces", "alias": "SDF", "alias_kind": "acronym", "note": ""}])
    text = "The US-backed Syrian Defense Forces (SDF) announced the capture of the village."
    doc = make_document("t.txt", text, "0" * 64, None)
    ms = find_mentions(parse_document(doc, nlp), Gazetteer(registry))
    assert [(m.text, m.actor_id, m.method) for m in ms if "Syrian" in m.text] == [
        ("Syrian Defense Forces", "syrian-democratic-forces", "acronym_definition")]


def test_capitalised_head_used_as_a_name_points_back_but_the_common_noun_does_not(find):
    ms = find("The Iranian regime funds the group. Critics say the Regime will not stop, and the regime agrees.")
    assert [(m.text, m.actor_id) for m in ms if m.text.lower() == "regime"] == [("Regime", "iran")]
