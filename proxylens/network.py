"""Stage 5: actor networks, typed and sourced (curated) or found by co-occurrence (derived).

Two kinds of network are built with networkx:

* the **typed relations graph** (:func:`relations_graph`), a directed multigraph read from
  ``data/curated/relations.csv``: one edge per relation row, from subject to object, keyed by
  ``relation_id`` and carrying its type (``leads``, ``backs``, ``designated``...), its dates, and
  the evidence it rests on (an exact ``quote`` of a seed, or an external ``reference``);
* the **co-occurrence graph** (:func:`cooccurrence_graph`), an undirected graph read from the
  automatic mentions ``data/derived/mentions.csv``: two actors are linked when they are named in
  the same sentence, weighted by the number of such sentences. It knows *that* two actors are
  named together, never *how* they are related.

A third, the **designation layer** (:func:`designations_graph`), links an authority to the
actor it listed (``data/curated/designations.csv``), with programme and dates.

On top of these: :func:`graph_as_of` (the edges in force at a date, with imprecise dates handled
explicitly), :func:`ego_network`, :func:`centrality_table`, :func:`communities`, the same
ranks on the relations quoted from the seeds alone (:func:`centrality_comparison`), the pairs
each graph finds (:func:`edge_set_comparison`), and :func:`write_exports`, which writes GraphML
and edge lists into ``data/derived/``.

Every function is deterministic: nodes are added in sorted order, edges in sorted order, and
random methods take an explicit seed.

**Labels are not actors.** An umbrella label a source coins for several groups (kind ``label`` in
the registry, e.g. The Baghdad Post's "IMIS"; ``data/curated/label_members.csv`` maps it to the
groups it covers) is never a node: every graph built here drops relations, listings and mentions
that name one (:func:`label_ids`), so no label is ranked.
"""

from __future__ import annotations

import bisect
import csv
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd

from proxylens.corpus import doc_label
from proxylens.edtf import EDTF, parse_edtf

# Edge attributes of the typed relations graph, in the order they are stored and exported.
RELATION_ATTRS = ("relation", "start", "end", "source_id", "quote", "status", "reference", "relation_id", "note")
# Node attributes copied from the actor registry.
NODE_ATTRS = ("name", "kind", "country")
# Edge attributes of the designation layer.
DESIGNATION_ATTRS = (
    "relation", "programme", "listing_date", "effective_date", "revocation_date", "precision", "start", "end",
    "source_id", "quote", "status", "reference", "designation_id", "note",
)
# Registry kind of an umbrella label (a name a source gives to several groups): never a graph node.
LABEL_KIND = "label"

# Relation types grouped by what they say about two actors, for drawing and summaries.
# Grouping is by meaning, so a new relation type needs one line here (else it is "other").
RELATION_FAMILIES = {
    "organisation": ("leads", "commands", "deputy_of", "controls", "founded", "reactivated",
                     "member_of", "part_of", "pledged_loyalty", "split_from"),
    "support": ("backs", "allied_with"),
    "designation & legal": ("designated", "sanctioned", "prosecuted", "ruled_against"),
    "hostility": ("attacked", "killed", "opposes", "threatened"),
}
FAMILY_OF = {rel: fam for fam, rels in RELATION_FAMILIES.items() for rel in rels}

EXPORT_FILES = ("relations.graphml", "cooccurrence.graphml", "relation_edges.csv", "cooccurrence_edges.csv")

RELATION_EDGE_COLUMNS = [
    "relation_id", "subject_id", "subject_name", "relation", "object_id", "object_name",
    "start", "end", "status", "source_id", "quote", "reference", "note",
]
COOCCURRENCE_EDGE_COLUMNS = [
    "actor_a", "name_a", "actor_b", "name_b", "weight", "n_documents", "documents", "sentence_ids",
]

# List-valued attributes are joined with this separator where a format needs text (GraphML, CSV).
LIST_SEP = "; "


def relation_family(relation: str) -> str:
    """The family of a relation type (``organisation``, ``support``, ``designation & legal``,
    ``hostility``), or ``other`` for a type not listed in :data:`RELATION_FAMILIES`.

    >>> relation_family("backs")
    'support'
    """
    return FAMILY_OF.get(relation, "other")


# ---------------------------------------------------------------- building graphs


def label_ids(actors: pd.DataFrame) -> set[str]:
    """Registry ids of kind ``label`` (umbrella labels, not organisations); they never become nodes.

    >>> sorted(label_ids(pd.DataFrame({"actor_id": ["imis", "kh"], "kind": ["label", "armed_group"]})))
    ['imis']
    """
    if "kind" not in actors.columns:
        return set()
    return set(actors.loc[actors["kind"] == LABEL_KIND, "actor_id"])


def _node_attributes(actors: pd.DataFrame) -> dict[str, dict[str, str]]:
    """``{actor_id: {name, kind, country}}`` from the registry table."""
    return {
        r["actor_id"]: {a: ("" if pd.isna(r.get(a, "")) else str(r.get(a, ""))) for a in NODE_ATTRS}
        for r in actors.to_dict("records")
    }


def _add_nodes(G: nx.Graph, ids: Iterable[str], registry: dict[str, dict[str, str]]) -> None:
    """Add ``ids`` in sorted order with registry attributes; an id missing from the registry gets
    its id as name and kind ``unknown`` (so it stays visible instead of failing the build)."""
    for actor_id in sorted(set(ids)):
        G.add_node(actor_id, **registry.get(actor_id, {"name": actor_id, "kind": "unknown", "country": ""}))


def _text(value) -> str:
    """A table cell as text: missing values (None, NaN) become ``""``, because GraphML cannot store None."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def relations_graph(relations: pd.DataFrame, actors: pd.DataFrame) -> nx.MultiDiGraph:
    """The typed relations graph: one directed edge per curated relation, subject -> object.

    Parameters
    ----------
    relations : DataFrame
        Rows of ``relations.csv``: ``relation_id, subject_id, relation, object_id, start, end,
        source_id, quote, status, reference`` and optionally ``note``.
    actors : DataFrame
        The actor registry (``actor_id, name, kind, country``).

    Returns
    -------
    MultiDiGraph
        Nodes are the actors that appear in at least one relation (sorted by id), with attributes
        ``name``, ``kind``, ``country``. A relation whose subject or object is a label
        (:func:`label_ids`) is left out, so no label is a node. Edges are keyed by ``relation_id`` and carry
        :data:`RELATION_ATTRS` as text (an empty cell is ``""``, never None). Two actors can be
        linked by several relations, in both directions.

    Examples
    --------
    >>> rel = pd.DataFrame([{"relation_id": "r1", "subject_id": "a", "relation": "backs",
    ...     "object_id": "b", "start": "2013", "end": "", "source_id": "s", "quote": "A backs B",
    ...     "status": "reported", "reference": ""}])
    >>> act = pd.DataFrame([{"actor_id": "a", "name": "A", "kind": "state", "country": "IR"},
    ...     {"actor_id": "b", "name": "B", "kind": "armed_group", "country": "IQ"}])
    >>> G = relations_graph(rel, act)
    >>> G.edges["a", "b", "r1"]["relation"], G.nodes["b"]["kind"]
    ('backs', 'armed_group')
    """
    registry = _node_attributes(actors)
    labels = label_ids(actors)
    relations = relations[~relations["subject_id"].isin(labels) & ~relations["object_id"].isin(labels)]
    G = nx.MultiDiGraph()
    _add_nodes(G, [*relations["subject_id"], *relations["object_id"]], registry)
    rows = sorted(relations.to_dict("records"), key=lambda r: (r["subject_id"], r["object_id"], r["relation_id"]))
    for r in rows:
        G.add_edge(r["subject_id"], r["object_id"], key=r["relation_id"],
                   **{a: _text(r.get(a, "")) for a in RELATION_ATTRS})
    return G


def designations_graph(designations: pd.DataFrame, actors: pd.DataFrame) -> nx.MultiDiGraph:
    """The designation layer: one directed edge per listing, authority -> target.

    Parameters
    ----------
    designations : DataFrame
        Rows of ``designations.csv``: ``designation_id, authority_id, target_id, programme,
        listing_date, effective_date, precision, status, source_id, quote, reference, note``.
    actors : DataFrame
        The actor registry.

    Returns
    -------
    MultiDiGraph
        Edges keyed by ``designation_id`` with :data:`DESIGNATION_ATTRS`; ``relation`` is
        ``designated``, ``start`` is the listing date (or the effective date when only that is
        known) and ``end`` is the ``revocation_date`` (empty while the listing stands), so
        :func:`graph_as_of` applies to this layer too. Listings of a label are left out.

    Examples
    --------
    >>> des = pd.DataFrame([{"designation_id": "d1", "authority_id": "us", "target_id": "g",
    ...     "programme": "FTO", "listing_date": "2019-04-08", "effective_date": "2019-04-15"}])
    >>> D = designations_graph(des, pd.DataFrame(columns=["actor_id", "name", "kind", "country"]))
    >>> D.edges["us", "g", "d1"]["start"], D.edges["us", "g", "d1"]["programme"]
    ('2019-04-08', 'FTO')
    """
    registry = _node_attributes(actors)
    labels = label_ids(actors)
    designations = designations[~designations["authority_id"].isin(labels) & ~designations["target_id"].isin(labels)]
    G = nx.MultiDiGraph()
    _add_nodes(G, [*designations["authority_id"], *designations["target_id"]], registry)
    rows = sorted(designations.to_dict("records"),
                  key=lambda r: (r["authority_id"], r["target_id"], r["designation_id"]))
    for r in rows:
        attrs = {a: _text(r.get(a, "")) for a in DESIGNATION_ATTRS}
        attrs["relation"] = "designated"
        attrs["start"] = attrs["listing_date"] or attrs["effective_date"]
        attrs["end"] = attrs["revocation_date"]
        G.add_edge(r["authority_id"], r["target_id"], key=r["designation_id"], **attrs)
    return G


def assign_sentences(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.Series:
    """The ``sentence_id`` of the sentence each mention starts in (``""`` if it starts in none).

    A mention belongs to the sentence whose ``[start, end)`` span holds the mention's first
    character, in the same ``source_id``. Returns a Series aligned with ``mentions``.
    """
    by_source: dict[str, tuple[list[int], list[tuple[int, str]]]] = {}
    for s in sentences.sort_values(["source_id", "start"], kind="stable").to_dict("records"):
        starts, spans = by_source.setdefault(s["source_id"], ([], []))
        starts.append(int(s["start"]))
        spans.append((int(s["end"]), s["sentence_id"]))
    out = []
    for m in mentions[["source_id", "start"]].to_dict("records"):
        starts, spans = by_source.get(m["source_id"], ([], []))
        i = bisect.bisect_right(starts, int(m["start"])) - 1
        out.append(spans[i][1] if i >= 0 and int(m["start"]) < spans[i][0] else "")
    return pd.Series(out, index=mentions.index, dtype=str)


def cooccurrence_graph(mentions: pd.DataFrame, sentences: pd.DataFrame, actors: pd.DataFrame,
                       include_boilerplate: bool = False) -> nx.Graph:
    """The sentence co-occurrence graph of resolved actor mentions.

    Two actors are linked when both are named (with a resolved ``actor_id``) in the same
    sentence; the edge ``weight`` is the number of distinct sentences that name both. An actor
    named twice in one sentence counts once; an actor is never linked to itself.

    Parameters
    ----------
    mentions : DataFrame
        Automatic mentions (``source_id, start, end, actor_id`` and, optionally, ``boilerplate``).
        Mentions with an empty ``actor_id``, or resolved to a label (:func:`label_ids`), are ignored.
    sentences : DataFrame
        Sentence spans (``source_id, sentence_id, start, end`` and, optionally, ``boilerplate``);
        see :func:`assign_sentences` for how a mention finds its sentence.
    actors : DataFrame
        The actor registry, for node attributes.
    include_boilerplate : bool
        If False (the default), mentions and sentences marked as boilerplate (navigation,
        captions, related-article links) are left out: page furniture says nothing about how two
        actors relate.

    Returns
    -------
    Graph
        Nodes: every actor named in a kept sentence (sorted), with ``name``, ``kind``, ``country``
        and ``mentions`` (its number of kept mentions). Edges (sorted, ``actor_a < actor_b``):
        ``weight`` (int, sentences), ``n_documents`` (int), ``documents`` (sorted list of
        ``source_id``) and ``sentence_ids`` (list, in reading order).

    Examples
    --------
    >>> m = pd.DataFrame({"source_id": ["s"] * 3, "start": [0, 10, 30], "end": [4, 14, 34],
    ...                   "actor_id": ["iran", "irgc", "iran"]})
    >>> s = pd.DataFrame({"source_id": ["s", "s"], "sentence_id": ["s:0", "s:1"],
    ...                   "start": [0, 25], "end": [20, 40]})
    >>> C = cooccurrence_graph(m, s, pd.DataFrame(columns=["actor_id", "name", "kind", "country"]))
    >>> C.edges["iran", "irgc"]["weight"], C.nodes["iran"]["mentions"]
    (1, 2)
    """
    m = mentions[(mentions["actor_id"] != "") & ~mentions["actor_id"].isin(label_ids(actors))].copy()
    s = sentences
    if not include_boilerplate:
        if "boilerplate" in m.columns:
            m = m[m["boilerplate"] == ""]
        if "boilerplate" in s.columns:
            s = s[s["boilerplate"] == ""]
    m["sentence_id"] = assign_sentences(m, s)
    m = m[m["sentence_id"] != ""]
    order = {sid: i for i, sid in enumerate(s.sort_values(["source_id", "start"], kind="stable")["sentence_id"])}
    source_of = dict(zip(s["sentence_id"], s["source_id"], strict=True))

    pairs: dict[tuple[str, str], list[str]] = {}
    for sid, group in sorted(m.groupby("sentence_id"), key=lambda g: order[g[0]]):
        named = sorted(set(group["actor_id"]))
        for i, a in enumerate(named):
            for b in named[i + 1:]:
                pairs.setdefault((a, b), []).append(sid)

    registry = _node_attributes(actors)
    G = nx.Graph()
    _add_nodes(G, m["actor_id"], registry)
    counts = m["actor_id"].value_counts()
    for node in G:
        G.nodes[node]["mentions"] = int(counts[node])
    for (a, b), sids in sorted(pairs.items()):
        docs = sorted({source_of[sid] for sid in sids})
        G.add_edge(a, b, weight=len(sids), n_documents=len(docs), documents=docs, sentence_ids=sids)
    return G


# ---------------------------------------------------------------- dates


def _as_period(when: str | date | EDTF) -> tuple[date, date]:
    """``(earliest, latest)`` day of a query date: an EDTF string, a ``date`` or a parsed EDTF."""
    if isinstance(when, EDTF):
        return when.earliest, when.latest
    if isinstance(when, date):
        return when, when
    parsed = parse_edtf(when)
    return parsed.earliest, parsed.latest


def in_force(start: str, end: str, when: str | date | EDTF, mode: str = "possible",
             include_undated: bool = False) -> bool:
    """Whether a relation dated ``start``..``end`` (EDTF text, ``""`` = unknown) holds at ``when``.

    Imprecise values are read as the range of days they allow (:func:`proxylens.edtf.parse_edtf`):
    ``2013`` is 1 January to 31 December 2013, ``2019-12`` is the month, an interval its two ends.
    ``when`` may be imprecise too (``"2017"`` means the year 2017).

    ``mode="possible"`` (the default): the relation *may* have held at some day of ``when``:
    ``start.earliest <= when.latest`` and (no end, or ``end.latest >= when.earliest``).
    ``mode="certain"``: the relation *certainly* held on every day of ``when``:
    ``start.latest <= when.earliest`` and (no end, or ``end.earliest >= when.latest``).
    Both bounds are inclusive: a relation that ends on a day still holds on that day.

    An empty ``start`` means the evidence does not date the relation. Such a relation is left
    out (``include_undated=False``, the default): a snapshot shows only what the evidence places
    in time. With ``include_undated=True`` it counts as having started before any date, and
    only its ``end`` is checked. An empty ``end`` means "not known to have ended".

    >>> in_force("2013", "", "2013-06-01"), in_force("2013", "", "2013-06-01", mode="certain")
    (True, False)
    >>> in_force("", "", "2019"), in_force("", "", "2019", include_undated=True)
    (False, True)
    """
    if mode not in ("possible", "certain"):
        raise ValueError(f"mode must be 'possible' or 'certain', not {mode!r}")
    q_first, q_last = _as_period(when)
    if start:
        s = parse_edtf(start)
        started = (s.earliest <= q_last) if mode == "possible" else (s.latest <= q_first)
        if not started:
            return False
    elif not include_undated:
        return False
    if end:
        e = parse_edtf(end)
        return (e.latest >= q_first) if mode == "possible" else (e.earliest >= q_last)
    return True


def graph_as_of(G: nx.Graph, when: str | date, mode: str = "possible", include_undated: bool = False) -> nx.Graph:
    """A copy of ``G`` keeping only the edges in force at ``when``.

    Parameters
    ----------
    G : graph
        Any networkx graph whose edges carry ``start`` and ``end`` (EDTF text, ``""`` unknown),
        e.g. :func:`relations_graph` or :func:`designations_graph`.
    when : str or date
        The date of the snapshot, an EDTF value at any precision (``"2017"``, ``"2019-04"``,
        ``"2020-01-03"``) or a :class:`datetime.date`.
    mode, include_undated
        How imprecise and missing dates are treated; see :func:`in_force`. By default an edge is
        kept if it may have held at some day of ``when``, and undated edges are left out.

    Returns
    -------
    graph
        Same class as ``G``, with *all* its nodes (so one layout serves every snapshot) and the
        kept edges with their keys and attributes.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="r1", start="2013", end="2020-01-03")
    'r1'
    >>> G.add_edge("a", "c", key="r2", start="", end="")
    'r2'
    >>> sorted(graph_as_of(G, "2017").edges(keys=True)), sorted(graph_as_of(G, "2021").edges())
    ([('a', 'b', 'r1')], [])
    """
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from(G.nodes(data=True))
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
    for edge in edges:
        data = edge[-1]
        if in_force(data.get("start", ""), data.get("end", ""), when, mode, include_undated):
            H.add_edge(*edge[:-1], **data)
    return H


# ---------------------------------------------------------------- structure


def ego_network(G: nx.Graph, actor_id: str | Iterable[str], radius: int = 1) -> nx.Graph:
    """The actors within ``radius`` steps of ``actor_id`` (in either direction) and all edges among them.

    Parameters
    ----------
    G : graph
    actor_id : str or iterable of str
        One centre, or several (the union of their ego networks, e.g. a group and its branch).
    radius : int
        Steps from a centre, following edges regardless of direction.

    Returns
    -------
    graph
        A copy of the subgraph of ``G`` induced by those nodes (so it also holds the edges
        between two neighbours, not just the spokes). Raises ``nx.NodeNotFound`` for an unknown id.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("c", "a"), ("c", "d")])
    >>> sorted(ego_network(G, "a")), sorted(ego_network(G, "a", radius=2))
    (['a', 'b', 'c'], ['a', 'b', 'c', 'd'])
    """
    centres = [actor_id] if isinstance(actor_id, str) else sorted(actor_id)
    nodes: set[str] = set()
    for centre in centres:
        if centre not in G:
            raise nx.NodeNotFound(f"actor {centre!r} is not in the graph")
        nodes |= set(nx.ego_graph(G, centre, radius=radius, undirected=True))
    return induced_subgraph(G, nodes)


def induced_subgraph(G: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A new graph of ``G``'s class on ``nodes`` (sorted) and every edge of ``G`` among them, in
    ``G``'s order.

    Unlike ``G.subgraph(nodes).copy()``, whose order can follow a Python set (and so change
    with the interpreter's hash seed), the order here is fixed, so layouts stay repeatable.
    """
    keep = set(nodes)
    H = G.__class__()
    H.graph.update(G.graph)
    for n in sorted(keep):
        H.add_node(n, **G.nodes[n])
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
    H.add_edges_from(e for e in edges if e[0] in keep and e[1] in keep)
    return H


def simple_projection(G: nx.Graph) -> nx.Graph:
    """``G`` as a simple undirected graph: one edge per linked pair, self-loops dropped.

    Each edge carries ``weight`` (the number of edges of ``G`` between the pair, in either
    direction, or the sum of their ``weight`` if ``G`` is weighted and simple) and ``relations``
    (the sorted distinct ``relation`` values, if any). Nodes keep their attributes.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", relation="backs"); _ = G.add_edge("b", "a", relation="opposes")
    >>> P = simple_projection(G); P.edges["a", "b"]["weight"], P.edges["a", "b"]["relations"]
    (2, ['backs', 'opposes'])
    """
    P = nx.Graph()
    P.add_nodes_from(sorted(G.nodes(data=True), key=lambda nd: nd[0]))
    agg: dict[tuple[str, str], tuple[int, set[str]]] = {}
    multi = G.is_multigraph()
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        pair = tuple(sorted((u, v)))
        weight, rels = agg.get(pair, (0, set()))
        add = 1 if multi or "weight" not in data else data["weight"]
        agg[pair] = (weight + add, rels | ({data["relation"]} if data.get("relation") else set()))
    for (a, b), (weight, rels) in sorted(agg.items()):
        P.add_edge(a, b, weight=weight, relations=sorted(rels))
    return P


def centrality_table(G: nx.Graph) -> pd.DataFrame:
    """Degree and betweenness of each actor, on the simple undirected projection of ``G``.

    ``degree`` is the number of distinct actors linked to an actor (any relation, any direction);
    ``edges`` the number of edges of ``G`` that touch it (parallel relations counted);
    ``betweenness`` the share of shortest paths between other pairs of actors that pass through
    it (``nx.betweenness_centrality``, exact, unweighted, ``normalized=True``), rounded to 3
    decimals. Both measure position in *this* graph, which holds what the curators coded, not
    influence in the world.

    Returns a DataFrame with columns ``actor_id, name, kind, degree, edges, betweenness``,
    sorted by betweenness, then degree (both descending), then ``actor_id``.

    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> top = centrality_table(G).iloc[0]
    >>> top["actor_id"], int(top["degree"]), float(top["betweenness"])
    ('b', 2, 1.0)
    """
    P = simple_projection(G)
    # A label never ranks, even in a graph built elsewhere.
    P.remove_nodes_from([n for n, kind in P.nodes(data="kind") if kind == LABEL_KIND])
    betweenness = nx.betweenness_centrality(P, normalized=True)
    touching = Counter()
    for u, v in G.edges():
        if u != v:
            touching.update((u, v))
    rows = [{
        "actor_id": n,
        "name": G.nodes[n].get("name", n),
        "kind": G.nodes[n].get("kind", ""),
        "degree": P.degree(n),
        "edges": touching[n],
        "betweenness": round(betweenness[n], 3),
    } for n in P]
    cols = ["actor_id", "name", "kind", "degree", "edges", "betweenness"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["betweenness", "degree", "actor_id"], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)


def communities(G: nx.Graph, seed: int = 42, resolution: float = 1.0) -> list[list[str]]:
    """Communities of actors by Louvain modularity maximisation, on the simple projection of ``G``.

    Uses ``nx.community.louvain_communities`` with the given ``seed`` (the method visits nodes in
    a random order; a fixed seed and a sorted graph make the result repeatable) and the
    projection's ``weight`` (number of relations between a pair). Isolated actors form their own
    one-member communities.

    Returns a list of communities, each a sorted list of actor ids, ordered by size (largest
    first), then by first member.

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> communities(G)
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    P = simple_projection(G)
    found = nx.community.louvain_communities(P, weight="weight", resolution=resolution, seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


# ---------------------------------------------------------------- what the seeds themselves say


def quoted_subgraph(G: nx.Graph) -> nx.Graph:
    """The edges of ``G`` that quote a seed (with all of ``G``'s nodes): what the four documents
    themselves say, without relations taken only from external references."""
    H = G.__class__()
    H.add_nodes_from(G.nodes(data=True))
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
    H.add_edges_from(e for e in edges if e[-1].get("quote"))
    return H


def centrality_comparison(G: nx.Graph, top: int = 12) -> pd.DataFrame:
    """The ``top`` actors by betweenness in ``G``, beside their degree and betweenness when only
    the relations quoted from the seeds are kept (a sensitivity check on the curators' additions).

    Indexed by name; columns ``kind, degree, betweenness, rank, degree (seeds), betweenness (seeds),
    rank (seeds), actor_id``; a rank is 1 + the number of actors with a higher betweenness in that
    graph.
    """
    full = centrality_table(G)
    seeds = centrality_table(quoted_subgraph(G))
    for table in (full, seeds):
        # competition ranking: tied actors share the best rank, so ties are not ordered by id
        table["rank"] = table["betweenness"].rank(method="min", ascending=False).astype(int)
    merged = full.head(top).merge(seeds[["actor_id", "degree", "betweenness", "rank"]], on="actor_id",
                                  suffixes=("", " (seeds)"))
    return merged.set_index("name")[["kind", "degree", "betweenness", "rank", "degree (seeds)",
                                     "betweenness (seeds)", "rank (seeds)", "actor_id"]]


def edge_set_comparison(typed: nx.Graph, cooccurrence: nx.Graph,
                        label: Callable[[str], str] = doc_label) -> pd.DataFrame:
    """Every pair of actors linked in the typed graph, the co-occurrence graph or both.

    Columns: ``actor_a, actor_b`` (sorted ids), ``name_a, name_b``, ``relations`` (the typed
    relation types between them, ``", "``-joined), ``seed_quoted`` (True if at least one typed
    relation between them quotes a seed), ``sentences`` (co-occurrence weight, 0 if none),
    ``documents`` (the co-occurrence documents, each named by ``label``, by default its short id) and ``found_by`` (``both``,
    ``typed only``, ``co-occurrence only``). Sorted by ``found_by``, then sentences (descending),
    then pair.
    """
    typed_pairs: dict[tuple[str, str], dict] = {}
    for u, v, d in typed.edges(data=True):
        if u == v:
            continue
        entry = typed_pairs.setdefault(tuple(sorted((u, v))), {"relations": set(), "seed_quoted": False})
        entry["relations"].add(d.get("relation", ""))
        entry["seed_quoted"] |= bool(d.get("quote"))
    co_pairs = {tuple(sorted((u, v))): d for u, v, d in cooccurrence.edges(data=True)}

    def name(n: str) -> str:
        for G in (typed, cooccurrence):
            if n in G:
                return G.nodes[n].get("name", n)
        return n

    rows = []
    for pair in sorted(set(typed_pairs) | set(co_pairs)):
        t, c = typed_pairs.get(pair), co_pairs.get(pair)
        rows.append({
            "actor_a": pair[0], "actor_b": pair[1], "name_a": name(pair[0]), "name_b": name(pair[1]),
            "relations": ", ".join(sorted(t["relations"])) if t else "",
            "seed_quoted": bool(t and t["seed_quoted"]),
            "sentences": int(c["weight"]) if c else 0,
            "documents": ", ".join(label(s) for s in c["documents"]) if c else "",
            "found_by": "both" if t and c else "typed only" if t else "co-occurrence only",
        })
    cols = ["actor_a", "actor_b", "name_a", "name_b", "relations", "seed_quoted", "sentences", "documents",
            "found_by"]
    df = pd.DataFrame(rows, columns=cols)
    order = {"both": 0, "typed only": 1, "co-occurrence only": 2}
    df = df.assign(_o=df["found_by"].map(order))
    df = df.sort_values(["_o", "sentences", "actor_a", "actor_b"], ascending=[True, False, True, True], kind="stable")
    return df.drop(columns="_o").reset_index(drop=True)


# ---------------------------------------------------------------- tables and exports


def relation_edges(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The typed relations graph as an edge list (:data:`RELATION_EDGE_COLUMNS`), sorted by ``relation_id``."""
    rows = [{
        "relation_id": key,
        "subject_id": u, "subject_name": G.nodes[u].get("name", u),
        "relation": d["relation"],
        "object_id": v, "object_name": G.nodes[v].get("name", v),
        **{c: d.get(c, "") for c in ("start", "end", "status", "source_id", "quote", "reference", "note")},
    } for u, v, key, d in G.edges(keys=True, data=True)]
    df = pd.DataFrame(rows, columns=RELATION_EDGE_COLUMNS)
    return df.sort_values("relation_id", kind="stable").reset_index(drop=True)


def cooccurrence_edges(C: nx.Graph) -> pd.DataFrame:
    """The co-occurrence graph as an edge list (:data:`COOCCURRENCE_EDGE_COLUMNS`), sorted by pair.

    ``documents`` and ``sentence_ids`` are joined with ``"; "``.
    """
    rows = []
    for u, v, d in C.edges(data=True):
        a, b = sorted((u, v))
        rows.append({
            "actor_a": a, "name_a": C.nodes[a].get("name", a),
            "actor_b": b, "name_b": C.nodes[b].get("name", b),
            "weight": d["weight"], "n_documents": d["n_documents"],
            "documents": LIST_SEP.join(d["documents"]), "sentence_ids": LIST_SEP.join(d["sentence_ids"]),
        })
    df = pd.DataFrame(rows, columns=COOCCURRENCE_EDGE_COLUMNS)
    return df.sort_values(["actor_a", "actor_b"], kind="stable").reset_index(drop=True)


def _graphml_value(value):
    """A value GraphML can store: lists joined with ``"; "``, None as ``""``; str, int, float kept."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_SEP.join(str(v) for v in value)
    return value


def exportable(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` fit for GraphML: sorted nodes and edges, no None, no lists (joined with ``"; "``)."""
    H = G.__class__()
    for n in sorted(G):
        H.add_node(n, **{k: _graphml_value(v) for k, v in G.nodes[n].items()})
    if G.is_multigraph():
        edges = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
    elif G.is_directed():
        edges = list(G.edges(data=True))
    else:
        # an undirected edge is written with its ends in sorted order
        edges = [(*sorted((u, v)), d) for u, v, d in G.edges(data=True)]
    for edge in sorted(edges, key=lambda e: tuple(str(x) for x in e[:-1])):
        H.add_edge(*edge[:-1], **{k: _graphml_value(v) for k, v in edge[-1].items()})
    return H


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(df.columns)
        writer.writerows(df.itertuples(index=False, name=None))


def write_exports(out_dir: Path, derived: Path | None = None) -> list[Path]:
    """Write the networks into ``out_dir``: GraphML and edge lists, byte-identical on every run.

    Reads the curated ``relations.csv`` and ``actors.csv`` (``data/curated/``) and the automatic
    ``mentions.csv`` and ``sentences.csv`` from ``derived`` (default: ``out_dir``, the folder
    ``proxylens extract`` wrote to). Writes:

    * ``relations.graphml``: the typed relations graph (:func:`relations_graph`); each edge, with
      id ``relation_id``, carries relation type, dates, status, seed ``source_id`` and ``quote``,
      ``reference`` and ``note``; each node ``name``, ``kind``, ``country``;
    * ``cooccurrence.graphml``: the co-occurrence graph (:func:`cooccurrence_graph`), lists joined
      with ``"; "``;
    * ``relation_edges.csv`` and ``cooccurrence_edges.csv``: the same edges as tables.

    Returns the paths written, in the order above. ``nx.read_graphml(path, force_multigraph=True)``
    reads the typed graph back with its relation ids as edge keys.
    """
    from proxylens import tables

    out_dir = Path(out_dir)
    derived = Path(derived) if derived is not None else out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("mentions.csv", "sentences.csv"):
        if not (derived / name).is_file():
            raise FileNotFoundError(f"{name} not found in {derived.name}/: run `proxylens extract DOCS --out DIR` first")
    actors = tables.curated("actors")
    R = relations_graph(tables.curated("relations"), actors)
    C = cooccurrence_graph(tables.read_csv(derived / "mentions.csv"), tables.read_csv(derived / "sentences.csv"),
                           actors)
    paths = [out_dir / name for name in EXPORT_FILES]
    nx.write_graphml(exportable(R), paths[0], named_key_ids=True)
    nx.write_graphml(exportable(C), paths[1], named_key_ids=True)
    _write_csv(relation_edges(R), paths[2])
    _write_csv(cooccurrence_edges(C), paths[3])
    return paths
