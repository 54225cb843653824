"""The development-set scorer: every measure on tiny hand-made rows, so each can fail."""

from __future__ import annotations

from proxylens.evaluation import dev


def m(sid, start, end, cluster="", text="x", entity=""):
    return {"source_id": sid, "start": str(start), "end": str(end), "text": text, "cluster_id": cluster,
            "entity_id": entity}


def by_metric(scores):
    return {s.metric: (s.numerator, s.denominator) for s in scores}


def test_pairwise_counts():
    # gold a,a,b ; predicted x,x,x: one right pair of three predicted, one gold pair
    assert dev.pairwise_counts([("a", "x"), ("a", "x"), ("b", "x")]) == (1, 3, 1)


def test_mention_scores_identity_detection_and_clusters():
    gold = [m("d", 0, 5, entity="e1"), m("d", 10, 15, entity="e1"), m("d", 20, 25, entity="e2"),
            m("d", 30, 35, entity="e3")]
    pred = [m("d", 0, 5, "c1"), m("d", 11, 15, "c1"), m("d", 20, 25, ""), m("d", 40, 45, "c9")]
    scores, errors = dev.score_mentions("ours", pred, gold)
    got = by_metric(scores)
    assert got["mention precision"] == (3, 4)
    assert got["mention recall"] == (3, 4)
    assert got["mentions with an identity"] == (2, 4)
    # matched gold: e1,e1 -> c1,c1 ; e2 -> none: one pair, right
    assert got["pairwise cluster F1"] == (2, 2)
    assert [g["start"] for g in errors["missed"]] == ["30"]
    assert [g["start"] for g in errors["no_identity"]] == ["20"]


def test_cluster_split_lowers_recall_not_precision():
    gold = [m("d", 0, 5, entity="e1"), m("d", 10, 15, entity="e1"), m("e", 0, 5, entity="e1")]
    pred = [m("d", 0, 5, "new:a"), m("d", 10, 15, "new:a"), m("e", 0, 5, "new:b")]
    got = by_metric(dev.score_mentions("ours", pred, gold)[0])
    assert got["cluster pair precision"] == (1, 1) and got["cluster pair recall"] == (1, 3)


def test_timex_exact_value_and_lenient_projection():
    gold = [{"source_id": "d", "start": "0", "end": "5", "text": "March", "value": "2024-03"},
            {"source_id": "d", "start": "10", "end": "15", "text": "today", "value": "2024-03-05"},
            {"source_id": "d", "start": "20", "end": "28", "text": "recently", "value": ""}]
    pred = [{"source_id": "d", "start": "0", "end": "5", "text": "March", "value": "2024-03-01", "rule": "r"},
            {"source_id": "d", "start": "10", "end": "15", "text": "today", "value": "2024-03-05", "rule": "r"}]
    got = by_metric(dev.score_timexes("ours", pred, gold)[0])
    assert got["dated expressions right"] == (1, 2)  # finer than the gold is not the right precision
    assert got["dated expressions right, lenient"] == (2, 2)


def test_claims_anonymous_gold_and_new_ids_mapped_through_mentions():
    text = "Officials said the port was hit. Robert Malley said talks had failed."
    ds = dev.DevSet(folder=None, texts={"d": text}, published={"d": "2024"}, mentions=[], timexes=[], claims=[
        {"claim_id": "1", "source_id": "d", "quote": "the port was hit", "claimant_id": "anonymous",
         "attribution": "anonymous"},
        {"claim_id": "2", "source_id": "d", "quote": "talks had failed", "claimant_id": "new:robert-malley",
         "attribution": "indirect"},
    ])
    start1, start2 = text.index("the port"), text.index("talks")
    pred = [{"source_id": "d", "start": str(start1), "end": str(start1 + 16), "attribution": "anonymous",
             "claimant_id": ""},
            {"source_id": "d", "start": str(start2), "end": str(start2 + 16), "attribution": "indirect",
             "claimant_id": "new:malley"}]
    got = by_metric(dev.score_claims("ours", pred, ds)[0])
    assert got["claimant right"] == (1, 2)  # the unmapped new id is not the gold one
    got = by_metric(dev.score_claims("ours", pred, ds, {"new:malley": "new:robert-malley"})[0])
    assert got["claimant right"] == (2, 2)


def test_cluster_to_gold_takes_the_majority_entity():
    pred = [m("d", 0, 5, "new:x"), m("d", 10, 15, "new:x"), m("d", 20, 25, "new:x"), m("d", 30, 35, "iran")]
    gold = [m("d", 0, 5, entity="e1"), m("d", 10, 15, entity="e1"), m("d", 20, 25, entity="e2"),
            m("d", 30, 35, entity="iran")]
    assert dev.cluster_to_gold(pred, gold) == {"new:x": "e1"}
    # a registry id for an actor the gold could only call new: maps to it; one the gold uses does not move
    pred = [m("d", 0, 5, "yahya-sarea"), m("d", 30, 35, "iran")]
    gold = [m("d", 0, 5, entity="new:yahya-saree"), m("d", 30, 35, entity="iran")]
    assert dev.cluster_to_gold(pred, gold) == {"yahya-sarea": "new:yahya-saree"}


def test_peer_cluster_key():
    assert dev.peer_cluster("The Houthis") == dev.peer_cluster("Houthis") == "houthis"
    assert dev.peer_cluster("Iran’s") == "iran"


def test_table_puts_ours_and_the_peer_side_by_side():
    ev = dev.DevEvaluation([dev.Score("claimant right", "ours", 3, 4), dev.Score("claimant right", "textacy", 1, 4)])
    assert ev.table() == [{"metric": "claimant right", "ours": 0.75, "ours_k": 3, "ours_n": 4, "peer": "textacy",
                           "peer_value": 0.25, "peer_k": 1, "peer_n": 4}]


def test_spacy_ner_rows_cut_a_leading_the_and_a_possessive(nlp):
    text = "Intro line.\nThe Houthis' leader met Hezbollah's officials in Beirut."
    line = text.index("\n") + 1
    rows = dev.spacy_ner_rows("d", text, [(line, nlp(text[line:]))])
    assert rows, "the model found no entity"
    for r in rows:
        assert text[int(r["start"]):int(r["end"])] == r["text"]
        assert not r["text"].startswith("The ") and not r["text"].endswith("'s")
        assert r["cluster_id"] == "ner:" + dev.peer_cluster(r["text"]) and r["method"].startswith("ner:")
    assert "Hezbollah" in [r["text"] for r in rows]  # "Hezbollah's" without its possessive
