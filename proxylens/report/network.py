"""Tables beside the network chapter's figures (``notebooks/03_network.ipynb``).

Each function picks, names or counts what a table of the chapter shows: edges with the evidence
they rest on, umbrella labels and the groups they cover, designations that can be placed in
time, the pairs the typed and co-occurrence graphs find, communities by name. The graphs and
the measures on them (centrality, communities, the comparison of edge sets) are built in
:mod:`proxylens.network`; the figures are drawn by :mod:`proxylens.figures`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import networkx as nx
import pandas as pd

from proxylens import network
from proxylens.edtf import parse_edtf
from proxylens.report import actor_cell, doc_label, source_label

# ---------------------------------------------------------------- selections


def seed_actors(mentions: pd.DataFrame) -> list[str]:
    """Sorted ids of the actors the extractor found named in the seeds' text (boilerplate left out)."""
    keep = mentions["actor_id"] != ""
    if "boilerplate" in mentions.columns:
        keep &= mentions["boilerplate"] == ""
    return sorted(set(mentions.loc[keep, "actor_id"]))


def focus(G: nx.Graph, actor_ids: Iterable[str]) -> nx.Graph:
    """The subgraph of ``G`` on the given actors that are in it plus their direct neighbours."""
    keep = {a for a in actor_ids if a in G}
    return network.ego_network(G, sorted(keep), radius=1) if keep else network.induced_subgraph(G, [])


# ---------------------------------------------------------------- tables beside the figures


def evidence_of(quote: str, reference: str, source_id: str) -> str:
    """What an edge rests on, for a reader: the seed quote (with its document) and/or the reference."""
    parts = []
    if quote:
        parts.append(f"{source_label(source_id)}: “{' '.join(quote.split())}”")
    if reference:
        parts.append(f"reference: {reference}")
    return " | ".join(parts)


def edge_table(G: nx.Graph) -> pd.DataFrame:
    """The edges of a typed graph as a reader's table, indexed and sorted by edge id (the
    ``relation_id``): who, what, whom, when, status and the evidence (the exact seed quote and/or
    the external reference)."""
    rows = [{
        "id": k,
        "subject": actor_cell(u, G.nodes[u].get("name", u)),
        "relation": d.get("relation", ""),
        "object": actor_cell(v, G.nodes[v].get("name", v)),
        "start": d.get("start", ""),
        "end": d.get("end", ""),
        "status": d.get("status", ""),
        "evidence": evidence_of(d.get("quote", ""), d.get("reference", ""), d.get("source_id", "")),
    } for u, v, k, d in G.edges(keys=True, data=True)]
    cols = ["id", "subject", "relation", "object", "start", "end", "status", "evidence"]
    return pd.DataFrame(rows, columns=cols).sort_values("id", kind="stable").set_index("id")


def with_actor_cells(table: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """A copy of ``table`` with each name column rendered by :func:`actor_cell` from its id
    column: ``columns`` maps name column to id column (``{"target": "target_id"}``). Called last,
    just before display, so sorting and filtering work on the plain names."""
    out = table.copy()
    for name_col, id_col in columns.items():
        out[name_col] = [actor_cell(i, n) for i, n in zip(out[id_col], out[name_col], strict=True)]
    return out


# ---------------------------------------------------------------- umbrella labels


def label_groups(label_members: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """The groups each umbrella label (registry kind ``label``) covers, as a reader's table:
    ``label, group, group kind, basis, quote`` in the order of
    :func:`proxylens.record.label_membership`, the group named through :func:`actor_cell`."""
    from proxylens import record

    table = record.label_membership(label_members, actors)
    ids = {(n, k): a for a, n, k in zip(actors["actor_id"], actors["name"], actors["kind"], strict=True)}
    table["group"] = [actor_cell(ids.get((g, k), g), g) for g, k in zip(table["group"], table["group_kind"], strict=True)]
    return table.rename(columns={"group_kind": "group kind"})


def label_aliases(actors: pd.DataFrame, aliases: pd.DataFrame) -> dict[str, list[str]]:
    """``{label id: [its names and aliases]}`` for every registry entry of kind ``label``."""
    labels = network.label_ids(actors)
    names = dict(zip(actors["actor_id"], actors["name"], strict=True))
    out = {}
    for label in sorted(labels):
        spelled = [names[label], *aliases.loc[aliases["actor_id"] == label, "alias"].tolist()]
        out[label] = list(dict.fromkeys(spelled))
    return out


def relations_quoting_labels(relations: pd.DataFrame, actors: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """Relations whose seed quote or curator's note uses an umbrella label's name but which link
    actors, not the label: the rows re-expressed against a group the label covers. Columns
    ``subject, relation, object, label, quote, note``, in relation-id order; ``label`` is the
    spelling found.

    A relation with a label at either end would not be drawn at all (labels are never nodes), so
    it is counted by :func:`relations_on_labels` instead."""
    spelled = label_aliases(actors, aliases)
    labels = set(spelled)
    names = dict(zip(actors["actor_id"], actors["name"], strict=True))
    rows = []
    for r in relations.sort_values("relation_id", kind="stable").to_dict("records"):
        if r["subject_id"] in labels or r["object_id"] in labels:
            continue
        hits = [a for label in sorted(labels) for a in spelled[label]
                if re.search(rf"(?<!\w){re.escape(a)}(?!\w)", f"{r['quote']} {r['note']}")]
        if hits:
            rows.append({"subject": actor_cell(r["subject_id"], names.get(r["subject_id"], r["subject_id"])),
                         "relation": r["relation"],
                         "object": actor_cell(r["object_id"], names.get(r["object_id"], r["object_id"])),
                         "label": hits[0], "quote": " ".join(r["quote"].split()), "note": r["note"]})
    return pd.DataFrame(rows, columns=["subject", "relation", "object", "label", "quote", "note"])


def relations_on_labels(relations: pd.DataFrame, actors: pd.DataFrame) -> int:
    """How many relations have an umbrella label as subject or object (the graph leaves them out)."""
    labels = network.label_ids(actors)
    return int((relations["subject_id"].isin(labels) | relations["object_id"].isin(labels)).sum())


def evidence_counts(G: nx.Graph, actor_id: str | None = None) -> pd.DataFrame:
    """Edges by relation family and by what they rest on: a seed quote only, a reference only, or
    both; only the edges touching ``actor_id`` if it is given. A ``total`` column sums each row."""
    rows = []
    for u, v, d in G.edges(data=True):
        if actor_id is not None and actor_id not in (u, v):
            continue
        quoted, referenced = bool(d.get("quote")), bool(d.get("reference"))
        basis = ("quote and reference" if quoted and referenced else "seed quote only" if quoted
                 else "reference only" if referenced else "none")
        rows.append({"family": network.relation_family(d.get("relation", "")), "basis": basis})
    df = pd.DataFrame(rows, columns=["family", "basis"])
    table = df.groupby(["family", "basis"]).size().unstack(fill_value=0)
    order = [c for c in ("seed quote only", "quote and reference", "reference only", "none") if c in table.columns]
    return table[order].assign(total=lambda t: t.sum(axis=1))


def snapshot_counts(G: nx.Graph, dates: Iterable[str]) -> pd.DataFrame:
    """For each date, how many relations hold under each reading of imprecise dates.

    ``possible`` and ``certain`` are the two modes of :func:`proxylens.network.in_force`;
    ``undated`` counts the relations with no start date, left out of both.
    """
    undated = sum(1 for *_, d in G.edges(data=True) if not d.get("start"))
    rows = [{
        "date": when,
        "possible": network.graph_as_of(G, when).number_of_edges(),
        "certain": network.graph_as_of(G, when, mode="certain").number_of_edges(),
        "undated (left out)": undated,
    } for when in dates]
    return pd.DataFrame(rows).set_index("date")


# ---------------------------------------------------------------- designations


def programme_family(programme: str) -> str:
    """A designation programme grouped for plotting: ``FTO``, ``SDGT (E.O. 13224)``,
    ``State Sponsor of Terrorism``, ``other U.S. executive order`` or ``national or joint list``."""
    if "FTO" in programme:
        return "FTO"
    if "13224" in programme:
        return "SDGT (E.O. 13224)"
    if "State Sponsor" in programme:
        return "State Sponsor of Terrorism"
    if programme.startswith("EO "):
        return "other U.S. executive order"
    return "national or joint list"


def designation_points(designations: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per designation that can be placed in time and rests on a quote or a reference.

    The date is the listing date (else the effective date), drawn from its earliest to its
    latest day: a year-precision date spans its year. Columns: ``designation_id, authority,
    target, target_id, programme, family, date, earliest, latest, precision, status, evidence, note``,
    sorted by earliest date, target, then id. Rows left out are listed by
    :func:`designations_left_out`.
    """
    names = dict(zip(actors["actor_id"], actors["name"], strict=True))
    rows = []
    for r in designations.to_dict("records"):
        when = r["listing_date"] or r["effective_date"]
        if not when or not (r["quote"] or r["reference"]):
            continue
        parsed = parse_edtf(when)
        rows.append({
            "designation_id": r["designation_id"],
            "authority": names.get(r["authority_id"], r["authority_id"]),
            "target": names.get(r["target_id"], r["target_id"]),
            "target_id": r["target_id"],
            "programme": r["programme"],
            "family": programme_family(r["programme"]),
            "date": when,
            "earliest": parsed.earliest.isoformat(),
            "latest": parsed.latest.isoformat(),
            "precision": r["precision"],
            "status": r["status"],
            "evidence": evidence_of(r["quote"], r["reference"], r["source_id"]),
            "note": r.get("note", ""),
        })
    cols = ["designation_id", "authority", "target", "target_id", "programme", "family", "date", "earliest",
            "latest", "precision", "status", "evidence", "note"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["earliest", "target", "designation_id"], kind="stable").reset_index(drop=True)


def designations_left_out(designations: pd.DataFrame) -> pd.DataFrame:
    """Designations :func:`designation_points` cannot draw, with the reason (no date, no evidence)."""
    rows = []
    for r in designations.to_dict("records"):
        reasons = []
        if not (r["listing_date"] or r["effective_date"]):
            reasons.append("no date")
        if not (r["quote"] or r["reference"]):
            reasons.append("no quote or reference")
        if reasons:
            rows.append({"designation_id": r["designation_id"], "authority_id": r["authority_id"],
                         "target_id": r["target_id"], "programme": r["programme"], "status": r["status"],
                         "reason": ", ".join(reasons), "note": r["note"]})
    return pd.DataFrame(rows, columns=["designation_id", "authority_id", "target_id", "programme", "status",
                                       "reason", "note"])


# ---------------------------------------------------------------- typed relations vs co-occurrence


def comparison_summary(comparison: pd.DataFrame) -> pd.DataFrame:
    """Pairs by who found them, split by whether a typed relation between them quotes a seed."""
    basis = comparison["seed_quoted"].map({True: "typed, quoted from a seed", False: "typed, reference only"})
    basis = basis.where(comparison["found_by"] != "co-occurrence only", "not typed")
    table = pd.crosstab(comparison["found_by"], basis)
    rows = [r for r in ("both", "typed only", "co-occurrence only") if r in table.index]
    cols = [c for c in ("typed, quoted from a seed", "typed, reference only", "not typed") if c in table.columns]
    return table.loc[rows, cols].assign(total=lambda t: t.sum(axis=1))


def example_sentences(cooccurrence: nx.Graph, sentences: pd.DataFrame, pairs: pd.DataFrame,
                      width: int = 160) -> pd.DataFrame:
    """For each pair (``actor_a``, ``actor_b`` columns), the first sentence naming both, shortened
    to ``width`` characters, with its document; indexed by the pair's names."""
    text_of = dict(zip(sentences["sentence_id"], sentences["text"], strict=True))
    rows = []
    for r in pairs.to_dict("records"):
        sid = cooccurrence.edges[r["actor_a"], r["actor_b"]]["sentence_ids"][0]
        text = " ".join(text_of[sid].split())
        rows.append({"pair": f"{r['name_a']} — {r['name_b']}", "sentences": r["sentences"],
                     "doc": doc_label(sid.split(":")[0]),
                     "first sentence": text if len(text) <= width else text[:width - 1] + "…"})
    return pd.DataFrame(rows, columns=["pair", "sentences", "doc", "first sentence"]).set_index("pair")


# ---------------------------------------------------------------- communities


def community_table(G: nx.Graph, seed: int = 42) -> pd.DataFrame:
    """:func:`proxylens.network.communities` as a table: community number (1 = largest), size, members' names."""
    rows = [{"community": i, "size": len(members),
             "members": ", ".join(G.nodes[m].get("name", m) for m in members)}
            for i, members in enumerate(network.communities(G, seed=seed), start=1)]
    return pd.DataFrame(rows, columns=["community", "size", "members"]).set_index("community")
