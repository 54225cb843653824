"""The claims stage on tiny texts, run through the real spaCy model.

Mentions and actor kinds are passed in (as the actors stage would give them), so these tests
do not depend on the registry's current contents.
"""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest

from proxylens.claims import TABLES, claim_rows, find_claims, find_quotations
from proxylens.corpus import make_document
from proxylens.pipeline import parse_document

KINDS = {
    "akram-al-kaabi": "person", "qais-al-khazali": "person", "donald-trump": "person", "muqtada-al-sadr": "person",
    "us-department-of-state": "state_agency", "us-department-of-the-treasury": "state_agency",
    "us-military": "state_agency", "us-federal-court": "court", "bahrain": "state", "iran": "state",
    "islamic-state": "armed_group", "hezbollah": "armed_group", "kataib-hezbollah": "armed_group",
    "irgc": "state_agency", "ansar-allah": "armed_group", "kataib-sayyid-al-shuhada": "armed_group",
    "harakat-al-nujaba": "armed_group", "hussein-allahkaram": "person", "saeed-ghasemi": "person",
}


def mentions_in(text: str, names: dict[str, str]) -> list:
    """Mention-like objects for every occurrence of each name (longest names first, no overlaps)."""
    out, taken = [], []
    for name in sorted(names, key=len, reverse=True):
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(a < end and start < b for a, b in taken):
                out.append(SimpleNamespace(start=start, end=end, text=name, actor_id=names[name]))
                taken.append((start, end))
            start = text.find(name, end)
    return sorted(out, key=lambda m: m.start)


def claims_of(nlp, text: str, names: dict[str, str] | None = None, outlet: str = ""):
    doc = make_document("t.txt", text, hashlib.sha256(text.encode()).hexdigest(), {"outlet": outlet} if outlet else None)
    parsed = parse_document(doc, nlp)
    return find_claims(parsed, mentions_in(text, names or {}), KINDS)


def only(claims, **where):
    hits = [c for c in claims if all(getattr(c, k) == v for k, v in where.items())]
    assert len(hits) == 1, [(c.cue, c.text, c.attribution) for c in claims]
    return hits[0]


def test_direct_quote(nlp):
    text = "The State Department said: “Iran is arming militias across the region and it must stop.”"
    c = only(claims_of(nlp, text, {"State Department": "us-department-of-state"}), cue="said")
    assert c.text == "“Iran is arming militias across the region and it must stop.”"
    assert text[c.start:c.end] == c.text
    assert c.attribution == "direct_quote"
    assert c.claimant.ids == ("us-department-of-state",)
    assert c.claimant.text == "The State Department"
    assert c.evidence_type == "official_statement"


def test_indirect_that_clause(nlp):
    text = "The Treasury said that Kata'ib Hezbollah had received weapons from Iran."
    names = {"Treasury": "us-department-of-the-treasury", "Kata'ib Hezbollah": "kataib-hezbollah", "Iran": "iran"}
    c = only(claims_of(nlp, text, names), cue="said")
    assert c.text == "Kata'ib Hezbollah had received weapons from Iran"
    assert c.attribution == "indirect"
    assert c.claimant.ids == ("us-department-of-the-treasury",)
    assert (c.sentence_start, c.sentence_end) == (0, len(text))


def test_according_to_named_and_anonymous(nlp):
    text = ("According to the Pentagon, the militia moved its rockets to the border.\n\n"
            "According to Kuwaiti press, Tehran sent new drones to the Houthis.")
    claims = claims_of(nlp, text, {"Pentagon": "us-military", "Tehran": "iran", "Houthis": "ansar-allah"})
    named = only(claims, cue="According to", claimant=claims[0].claimant)
    assert named.text == "the militia moved its rockets to the border"
    assert named.claimant.ids == ("us-military",)
    press = next(c for c in claims if c.cue == "According to" and c is not named)
    assert press.text == "Tehran sent new drones to the Houthis"
    assert press.attribution == "anonymous" and press.claimant.ids == ()
    assert press.evidence_type == "press_report"


def test_nested_attribution_gives_outer_and_inner_claims(nlp):
    text = "Bahrain said Kaabi told supporters that the government would fall."
    claims = claims_of(nlp, text, {"Bahrain": "bahrain", "Kaabi": "akram-al-kaabi"})
    outer = only(claims, cue="said")
    inner = only(claims, cue="told")
    assert outer.claimant.ids == ("bahrain",)
    assert outer.text == "Kaabi told supporters that the government would fall"
    assert inner.claimant.ids == ("akram-al-kaabi",)
    assert inner.text == "the government would fall"


def test_anonymous_officials(nlp):
    text = "U.S. military officials told reporters that the convoy had been destroyed."
    c = only(claims_of(nlp, text, {"U.S. military": "us-military"}), cue="told")
    assert c.attribution == "anonymous"
    assert c.claimant.ids == ()
    assert c.claimant.affiliation == ("us-military",)
    assert c.claimant.text == "U.S. military officials"
    assert c.evidence_type == "anonymous_officials"
    assert c.row()["claimant_id"] == "" and c.row()["claimant_affiliation"] == "us-military"


def test_author_voice_needs_an_actor_and_a_trigger(nlp):
    text = "Iran clearly supports the Houthis.\n\nThe weather was mild on the coast."
    claims = claims_of(nlp, text, {"Iran": "iran", "Houthis": "ansar-allah"}, outlet="Test Daily")
    c = only(claims, attribution="author_voice")
    assert c.text == "Iran clearly supports the Houthis."
    assert c.boosters == ("clearly",)
    assert c.row()["claimant_id"] == "author"
    assert c.claimant.text == "Test Daily"


def test_hedges_listed_in_order(nlp):
    text = "Hezbollah reportedly said that the attack was most likely planned in Syria and may continue."
    c = only(claims_of(nlp, text, {"Hezbollah": "hezbollah"}), cue="said")
    assert c.hedges == ("reportedly", "most likely", "may")
    assert c.row()["hedges"] == "reportedly;most likely;may"
    assert c.evidence_type == "group_claim"


def test_pronoun_claimant_resolves_to_the_last_person(nlp):
    text = "Qais al-Khazali spoke in Baghdad on Sunday.\n\nHe said that the protests were a foreign plot."
    c = only(claims_of(nlp, text, {"Qais al-Khazali": "qais-al-khazali", "Baghdad": "iraq"}), cue="said")
    assert c.claimant.ids == ("qais-al-khazali",)
    assert c.claimant.basis.startswith("pronoun")
    assert c.claimant.text == "He"


def test_definite_document_points_back_to_its_issuer(nlp):
    text = ("The State Department said in a statement that the group trained fighters in Iraq. "
            "The statement read: “Today’s designation seeks to deny the group the resources to plan attacks.”")
    claims = claims_of(nlp, text, {"State Department": "us-department-of-state"})
    c = only(claims, cue="read")
    assert c.claimant.ids == ("us-department-of-state",)
    assert c.claimant.basis == "document_antecedent"
    assert c.attribution == "direct_quote"
    assert c.evidence_type == "designation_notice"


def test_quotation_without_cue_continues_the_previous_speaker(nlp):
    text = "The IRGC finances terrorism, said President Donald Trump. “The IRGC is the main instrument of terror.”"
    claims = claims_of(nlp, text, {"IRGC": "irgc", "Donald Trump": "donald-trump"})
    first = only(claims, claimant=claims[0].claimant, start=0)
    assert first.text == "The IRGC finances terrorism"
    assert first.claimant.ids == ("donald-trump",)
    cont = [c for c in claims if c.claimant.basis == "quote_continuation"]
    assert len(cont) == 1
    assert cont[0].text == "“The IRGC is the main instrument of terror.”"
    assert cont[0].claimant.ids == ("donald-trump",) and cont[0].attribution == "direct_quote"


@pytest.mark.parametrize("text,names,cue,expected", [
    ("A US federal court found that Iran provided support to the hijackers.",
     {"US federal court": "us-federal-court", "Iran": "iran"}, "found", "court_ruling"),
    ("The documents show that Tehran hosted al-Qaeda leaders for years.", {"Tehran": "iran"}, "show",
     "document_release"),
    ("The State Department announced that it had designated the group as a terrorist organization.",
     {"State Department": "us-department-of-state"}, "announced", "designation_notice"),
    ("Muqtada al-Sadr said in a televised speech that the Mahdi Army would return.",
     {"Muqtada al-Sadr": "muqtada-al-sadr"}, "said", "interview_or_video"),
    ("Iranian media reported that two soldiers were killed at the base.", {}, "reported", "press_report"),
    ("The Islamic State claimed that its fighters killed ten soldiers.", {"Islamic State": "islamic-state"},
     "claimed", "group_claim"),
])
def test_evidence_types(nlp, text, names, cue, expected):
    c = only(claims_of(nlp, text, names), cue=cue)
    assert c.evidence_type == expected


def test_negated_cue_and_cue_word_inside_a_name_make_no_claim(nlp):
    text = ("Hezbollah did not say that it fired the rockets.\n\n"
            "Said Qasemi announced that Tehran sends agents to Bosnia.")
    claims = claims_of(nlp, text, {"Hezbollah": "hezbollah", "Said Qasemi": "saeed-ghasemi", "Tehran": "iran"})
    attributed = [c for c in claims if c.attribution != "author_voice"]
    assert [(c.cue, c.claimant.ids) for c in attributed] == [("announced", ("saeed-ghasemi",))]


def test_find_quotations_pairs_by_context():
    text = 'He said ”The IRGC is the main instrument.“ Then: "Iran lies," he said. Stray ” mark.'
    quotes = [text[q.start:q.end] for q in find_quotations(text)]
    assert quotes == ["”The IRGC is the main instrument.“", '"Iran lies,"']


def test_claim_rows_follow_the_table_contract(nlp):
    text = ("The State Department said that Iran armed the group. "
            "Bahrain said that the group attacked a pipeline.")
    doc = make_document("t.txt", text, hashlib.sha256(text.encode()).hexdigest(), None)
    parsed = parse_document(doc, nlp)
    names = {"State Department": "us-department-of-state", "Iran": "iran", "Bahrain": "bahrain"}
    rows = [row for _, row in claim_rows(parsed, mentions_in(text, names), KINDS)]
    assert [list(r) for r in rows] == [TABLES["claims.csv"]] * len(rows)
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert [(r["claimant_id"], r["text"]) for r in rows if r["attribution"] != "author_voice"] == [
        ("us-department-of-state", "Iran armed the group"), ("bahrain", "the group attacked a pipeline")]


def test_designation_verb_reports_the_designators_claim(nlp):
    text = ("The US Department of State added Harakat al-Nujaba and its leader to the list of Specially "
            "Designated Global Terrorists.\n\nThe militia added new fighters to its ranks.")
    names = {"US Department of State": "us-department-of-state", "Harakat al-Nujaba": "harakat-al-nujaba"}
    claims = [c for c in claims_of(nlp, text, names) if c.attribution != "author_voice"]
    assert len(claims) == 1  # "added new fighters" is no designation: no designation wording there
    c = claims[0]
    assert c.cue == "added" and c.claimant.ids == ("us-department-of-state",)
    assert c.text == "Harakat al-Nujaba and its leader to the list of Specially Designated Global Terrorists"
    assert c.evidence_type == "designation_notice"


def test_agentless_passive(nlp):
    text = ("While the Treasury designation focuses on Hezbollah, which is described as “a terrorist proxy "
            "of the regime,” it ignores the militia.\n\n"
            "Hussein Allahkaram, who is believed to be an IRGC officer, spoke on Monday.")
    names = {"Treasury": "us-department-of-the-treasury", "Hezbollah": "hezbollah",
             "Hussein Allahkaram": "hussein-allahkaram", "IRGC": "irgc"}
    claims = claims_of(nlp, text, names)
    described = only(claims, cue="described")
    assert described.claimant.ids == ("us-department-of-the-treasury",)
    assert described.claimant.basis == "passive_document_issuer"
    believed = only(claims, cue="believed")
    assert believed.attribution == "anonymous" and believed.claimant.ids == ()
    assert believed.text == "Hussein Allahkaram, who is believed to be an IRGC officer"


def test_role_of_an_organisation_resolves_to_its_registry_holder(nlp, monkeypatch):
    from proxylens import actors

    monkeypatch.setattr(actors, "load_roles", lambda: (
        actors.Role("abu-alaa-al-walai", "secretary general", "kataib-sayyid-al-shuhada"),
        actors.Role("someone-else", "deputy secretary general", "kataib-sayyid-al-shuhada"),
    ))
    text = "The Secretary-General of Kata’ib Sayyid al Shuhada said he is a “soldier” of the Houthi leader."
    c = only(claims_of(nlp, text, {"Kata’ib Sayyid al Shuhada": "kataib-sayyid-al-shuhada"}), cue="said")
    assert c.claimant.ids == ("abu-alaa-al-walai",)
    assert c.claimant.basis == "role_holder"
    assert c.claimant.affiliation == ("kataib-sayyid-al-shuhada",)


def test_role_holder_on_the_documents_date(nlp, monkeypatch):
    from proxylens import actors

    monkeypatch.setattr(actors, "load_roles", lambda: (
        actors.Role("hassan-nasrallah", "secretary general", "hezbollah", "1992", "2024-09-27"),
        actors.Role("naim-qassem", "secretary general", "hezbollah", "2024-10-29", ""),
    ))
    text = "Hezbollah Secretary-General said the resistance would respond."
    for published, holder in (("2020-09-29", "hassan-nasrallah"), ("2025-02-23", "naim-qassem")):
        doc = make_document("t.txt", text, "", {"published": published})
        cs = find_claims(parse_document(doc, nlp), mentions_in(text, {"Hezbollah": "hezbollah"}), KINDS)
        assert only(cs, cue="said").claimant.ids == (holder,)


def test_scoring_overlap_and_claimant_rules():
    from proxylens.evaluation.claims import GoldClaim, best_match, ids_of, overlaps, right_claimant, score

    assert overlaps((0, 100), (40, 60)) and overlaps((0, 10), (5, 30)) and not overlaps((0, 10), (6, 30))
    assert ids_of("a;b|c") == frozenset({"a", "b", "c"}) and ids_of("author") == frozenset()
    gold = GoldClaim("g1", "d", 0, 100, "q", frozenset({"x"}), "indirect", "none_given", {})
    author = {"source_id": "d", "start": 0, "end": 100, "attribution": "author_voice", "claimant_id": "author",
              "evidence_type": "none_given"}
    inner = {"source_id": "d", "start": 50, "end": 90, "attribution": "indirect", "claimant_id": "x",
             "evidence_type": "none_given"}
    # An attributed gold claim prefers an overlapping attributed automatic claim to a closer author-voice one.
    assert best_match(gold, [author, inner]) is inner
    assert right_claimant(gold, inner)
    anonymous = GoldClaim("g2", "d", 200, 250, "q2", frozenset(), "anonymous", "none_given", {})
    unnamed = {"source_id": "d", "start": 200, "end": 240, "attribution": "anonymous", "claimant_id": "",
               "evidence_type": "none_given"}
    stray = {"source_id": "d", "start": 400, "end": 450, "attribution": "indirect", "claimant_id": "y",
             "evidence_type": "none_given"}
    m = score([gold, anonymous], [author, inner, unnamed, stray])
    assert (m["attributed_found"], m["claimant_right"], m["auto_unmatched"]) == (2, 2, 1)
    assert m["claimant_recall"] == 1.0 and m["precision_estimate"] == 0.75


def test_the_department_points_back_to_the_body_named_with_that_noun(nlp):
    text = ("The US Treasury Department said the network financed the militia. "
            "The department said it would continue to act against it.")
    cs = claims_of(nlp, text, {"US Treasury Department": "us-department-of-the-treasury"})
    second = only(cs, cue="said", start=text.index("it would"))
    assert second.claimant.ids == ("us-department-of-the-treasury",)
    assert second.claimant.basis == "institution_antecedent"


def test_the_ministry_points_back_to_the_last_claimant_with_that_head(nlp):
    text = "Iran's foreign ministry said the strikes were illegal. The ministry added that Tehran would respond."
    c = only(claims_of(nlp, text, {"Iran": "iran", "Tehran": "iran"}), cue="added")
    assert c.claimant.ids == ("iran",) and c.claimant.basis == "institution_antecedent"


def test_unregistered_speaker_keeps_the_cluster_id_of_the_name(nlp):
    text = "Defense Secretary Lloyd Austin said the attacks must stop. “We will respond,” Austin said."
    names = [SimpleNamespace(start=text.index("Lloyd"), end=text.index("Lloyd") + 12, text="Lloyd Austin",
                             actor_id="", cluster_id="new:lloyd-austin", method="ner:PERSON"),
             SimpleNamespace(start=text.rindex("Austin"), end=text.rindex("Austin") + 6, text="Austin",
                             actor_id="", cluster_id="new:lloyd-austin", method="ner:PERSON")]
    doc = make_document("t.txt", text, "", None)
    cs = find_claims(parse_document(doc, nlp), names, KINDS)
    assert {c.claimant.ids for c in cs if c.attribution != "author_voice"} == {("new:lloyd-austin",)}


def test_places_found_by_ner_do_not_speak(nlp):
    text = "Gaza said nothing. The Red Sea route, officials said, is closed."
    names = [SimpleNamespace(start=0, end=4, text="Gaza", actor_id="", cluster_id="new:gaza", method="ner:GPE")]
    cs = find_claims(parse_document(make_document("t.txt", text, "", None), nlp), names, KINDS)
    assert all("new:gaza" not in c.claimant.ids for c in cs)


def test_quoted_as_saying_and_denials(nlp):
    text = ("Hezbollah was quoted as saying that the strike killed two fighters. "
            "The Houthis denied involvement in the attack. Israel denied that it had struck the port.")
    cs = claims_of(nlp, text, {"Hezbollah": "hezbollah", "Houthis": "ansar-allah", "Israel": "israel"})
    quoted = only(cs, cue="quoted as saying")
    assert quoted.text == "the strike killed two fighters" and quoted.claimant.ids == ("hezbollah",)
    assert only(cs, cue="denied", claimant=cs[1].claimant).text in ("involvement in the attack",)
    assert [c.text for c in cs if c.cue == "denied"] == ["involvement in the attack", "it had struck the port"]


def test_hearsay_adverb_makes_an_anonymous_claim(nlp):
    text = "Paramilitary groups allied with Iran reportedly retrieved the bodies."
    c = only(claims_of(nlp, text, {"Iran": "iran"}), cue="reportedly")
    assert c.attribution == "anonymous" and c.claimant.ids == () and c.claimant.basis == "hearsay_adverb"


def test_signature_line_gives_the_paragraph_to_its_signer(nlp):
    text = ("We will not hesitate to target those who support the IRGC.\n"
            "— Secretary Antony Blinken (@SecBlinken) May 25, 2022")
    names = {"Antony Blinken": "new:antony-blinken", "IRGC": "irgc"}
    c = only(claims_of(nlp, text, names), claimant=Claimant_ids("new:antony-blinken"))
    assert c.attribution == "direct_quote" and c.claimant.basis == "signature_line"


def Claimant_ids(actor_id):
    """A matcher for ``only``: any claimant whose ids are exactly (actor_id,)."""
    class _Ids:
        def __eq__(self, other):
            return getattr(other, "ids", None) == (actor_id,)
    return _Ids()


def test_title_before_a_name_resolves_to_the_person(nlp):
    text = "US special envoy for Iran Robert Malley told lawmakers that the odds of a deal were low."
    c = only(claims_of(nlp, text, {"Robert Malley": "robert-malley", "Iran": "iran"}), cue="told")
    assert c.claimant.ids == ("robert-malley",) and c.claimant.basis == "title_name"


def test_headline_passive_is_anonymous_but_they_claimed_to_is_not(nlp):
    c = only(claims_of(nlp, "Al-Qaida terror leaders said to be working in Iran", {"Iran": "iran"}), cue="said")
    assert c.attribution == "anonymous" and c.text == "Al-Qaida terror leaders said to be working in Iran"
    text = "The Brigades were established in 2013 and they claimed to oppose the monarchy."
    c = only(claims_of(nlp, text, {"Brigades": "al-ashtar-brigades"}), cue="claimed")
    assert c.claimant.ids == ("al-ashtar-brigades",)


def test_call_with_an_object_predicate(nlp):
    c = only(claims_of(nlp, 'Trump called the sanctions "long overdue."', {"Trump": "donald-trump"}), cue="called")
    assert c.text == 'the sanctions "long overdue."' and c.claimant.ids == ("donald-trump",)


def test_the_agency_points_back_to_the_outlet_named_with_that_noun(nlp):
    text = "The Bahrain News Agency said 51 were sentenced. The agency said two were tried in absentia."
    c = only(claims_of(nlp, text, {"Bahrain News Agency": "bahrain-news-agency"}), cue="said",
             start=text.index("two were"))
    assert c.claimant.ids == ("bahrain-news-agency",) and c.claimant.basis == "press_antecedent"


def test_pronoun_after_a_relative_clause_speaker_is_the_first_clause_subject(nlp):
    text = ("Nasrallah hits back at Netanyahu who claimed that Hezbollah has a missile factory, "
            "“Media outlets are called upon to tour the area,” he maintained.")
    names = {"Nasrallah": "hassan-nasrallah", "Netanyahu": "benjamin-netanyahu", "Hezbollah": "hezbollah"}
    kinds = {**KINDS, "hassan-nasrallah": "person", "benjamin-netanyahu": "person"}
    doc = make_document("t.txt", text, "", None)
    cs = find_claims(parse_document(doc, nlp), mentions_in(text, names), kinds)
    assert only(cs, cue="maintained").claimant.ids == ("hassan-nasrallah",)
