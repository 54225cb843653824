"""The numbers behind the introduction's findings, computed from the same tables as the chapters.

Each finding in ``book/intro.ipynb`` states a number and links to the chapter section that shows
how it is computed; :func:`headline_numbers` computes them all in one place, with the same
helpers those chapters call, so the introduction and the chapters cannot disagree.
"""

from __future__ import annotations

import pandas as pd

from proxylens import ach, network, tables
from proxylens.corpus import doc_label
from proxylens.grading import reliability_text
from proxylens.report import claims as rc
from proxylens.report import network as rn
from proxylens.report import source_label, timeline


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "0%"


def headline_numbers() -> dict[str, object]:
    """Every number the introduction quotes, keyed by the name it is glued under."""
    claims = tables.curated("claims")
    actors = tables.curated("actors")
    relations = tables.curated("relations")
    designations = tables.curated("designations")
    events = tables.curated("events")
    evidence = tables.curated("ach_evidence")
    hypotheses = tables.curated("ach_hypotheses")

    out: dict[str, object] = {"n_claims": len(claims)}
    author = claims[claims["attribution"] == "author_voice"]
    out["author_share"] = _share(len(author), len(claims))
    out["author_none_share"] = _share(int((author["evidence_type"] == "none_given").sum()), len(author))

    verdicts = rc.verdict_by_source(claims)
    for v in rc.VERDICTS:
        out[f"n_{v}"] = int(verdicts[v].sum())
    out["contested_share_002"] = _share(int(verdicts.loc["002", "contested"]), int(verdicts.loc["002"].sum()))

    R = network.relations_graph(relations, actors)
    central = network.centrality_comparison(R, top=3)
    top = central.iloc[0]
    out["hub"] = central.index[0]
    out["hub_degree"] = int(top["degree"])
    out["hub_rank_seeds"] = int(top["rank (seeds)"])
    out["n_relations"] = R.number_of_edges()

    naming = group_naming_by_document()
    out["imis_mentions"] = int(naming.loc["003", "umbrella_label_mentions"])
    out["named_group_mentions_003"] = int(naming.loc["003", "group_mentions"])

    points = rn.designation_points(designations, actors)
    out["n_designations"] = len(designations)
    out["n_des_us"] = int(designations["authority_id"].str.startswith("us-").sum()
                          + (designations["authority_id"] == "united-states").sum())
    out["n_des_points"] = len(points)
    out["n_des_recent"] = int((points["earliest"] >= "2017").sum())

    out["n_events"] = len(events)
    out["n_external"] = int((events["date_basis"] == "external").sum())
    out["n_conflict"] = int(timeline.relation_counts(events)["conflict"])

    scores = ach.ach_scores(evidence, hypotheses)
    robust = ach.ach_scores(evidence[evidence["credibility"].astype(int) <= 3], hypotheses)
    out["ach_least"] = scores["inconsistency"].idxmax()
    out["ach_least_robust"] = robust["inconsistency"].idxmax()
    for h in scores.index:
        out[f"ach_{h.lower()}"] = f"{scores.loc[h, 'inconsistency']:g}"
    return out


def group_naming_by_document() -> pd.DataFrame:
    """How each document names armed groups (hand-coded mentions), as the Actors chapter counts it."""
    from proxylens.report import actors as ra

    return ra.group_naming(tables.curated("mentions_gold"), tables.curated("actors"),
                           ["iranian-militias-in-iraq-and-syria"])


def document_lines() -> pd.DataFrame:
    """One row per document: its label, reliability grade spelled out, and its claims by verdict."""
    sources = tables.sources()
    verdicts = rc.verdict_by_source(tables.curated("claims"))
    rows = []
    for _, s in sources.sort_values("source_id").iterrows():
        doc = doc_label(s["source_id"])
        v = verdicts.loc[doc] if doc in verdicts.index else pd.Series(0, index=list(rc.VERDICTS))
        rows.append({"doc": doc, "label": source_label(s["source_id"]), "grade": reliability_text(s["reliability"]),
                     "claims": int(v.sum()), **{k: int(v[k]) for k in rc.VERDICTS}})
    return pd.DataFrame(rows).set_index("doc")


def reference_link(reference: str) -> str:
    """A curated ``reference`` ("Issuer, Title, date, URL") as a Markdown link: the text before the
    address, linked to it; a reference without an address is returned as it is."""
    text, _, url = reference.rpartition(", ")
    if not url.startswith(("http://", "https://")):
        return reference
    return f"[{text.replace('[', '(').replace(']', ')')}]({url})"


def claim_reference(claim_id: str) -> str:
    """The public document a curated claim was checked against, as a Markdown link."""
    claims = tables.curated("claims").set_index("claim_id")
    return reference_link(claims.loc[claim_id, "reference"])
