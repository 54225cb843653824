"""The network stage (proxylens.network) and the network chapter's helpers (proxylens.report.network).

Tiny hand-made tables test each definition; the project's own tables test the data behind each
figure of the chapter, that every edge rests on a quote or a reference, and the exports.
"""

import doctest
from datetime import date

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import pytest

from proxylens import figures, network, report, tables
from proxylens.corpus import quote_span
from proxylens.paths import derived_dir
from proxylens.report import network as rn

ACTORS = pd.DataFrame([
    {"actor_id": "iran", "name": "Iran", "kind": "state", "country": "IR"},
    {"actor_id": "irgc", "name": "IRGC", "kind": "armed_group", "country": "IR"},
    {"actor_id": "kh", "name": "Kata'ib Hezbollah", "kind": "armed_group", "country": "IQ"},
    {"actor_id": "state", "name": "State Department", "kind": "government_body", "country": "US"},
])


def relation(rid, subject, rel, obj, start="", end="", quote="", source_id="", reference="", status="reported"):
    return {"relation_id": rid, "subject_id": subject, "relation": rel, "object_id": obj, "start": start,
            "end": end, "source_id": source_id, "quote": quote, "status": status, "reference": reference,
            "note": ""}


@pytest.fixture
def tiny():
    rows = [
        relation("r3", "irgc", "backs", "kh", start="2013", quote="IRGC backs KH", source_id="s1"),
        relation("r1", "iran", "backs", "kh", quote="Iran backs KH", source_id="s1"),
        relation("r2", "iran", "backs", "kh", start="2019-12", end="2020-01-03", reference="Ref, T, 2020-01-03, u"),
        relation("r4", "kh", "opposes", "iran", start="2018-09-27/2018-11-07"),
        relation("r5", "state", "designated", "newcomer", start="2009-07-02", reference="Ref"),
    ]
    return network.relations_graph(pd.DataFrame(rows), ACTORS)


@pytest.fixture(scope="module")
def project():
    """The project's own graphs, built once."""
    actors = tables.curated("actors")
    relations = tables.curated("relations")
    mentions, sentences = tables.derived("mentions"), tables.derived("sentences")
    return {
        "actors": actors, "aliases": tables.curated("aliases"), "relations": relations,
        "designations": tables.curated("designations"), "mentions": mentions, "sentences": sentences,
        "texts": tables.seed_texts(),
        "R": network.relations_graph(relations, actors),
        "C": network.cooccurrence_graph(mentions, sentences, actors),
    }


# ---------------------------------------------------------------- docstrings


def test_docstring_examples_run():
    result = doctest.testmod(network, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10 and result.failed == 0


# ---------------------------------------------------------------- the typed relations graph


def test_relations_graph_nodes_and_edges(tiny):
    assert list(tiny) == ["iran", "irgc", "kh", "newcomer", "state"]  # sorted
    assert tiny.nodes["kh"] == {"name": "Kata'ib Hezbollah", "kind": "armed_group", "country": "IQ"}
    # an id missing from the registry stays visible, marked unknown
    assert tiny.nodes["newcomer"] == {"name": "newcomer", "kind": "unknown", "country": ""}
    assert tiny.number_of_edges() == 5
    assert sorted(tiny["iran"]["kh"]) == ["r1", "r2"]  # two relations, one pair: a multigraph
    edge = tiny.edges["iran", "kh", "r2"]
    assert list(edge) == list(network.RELATION_ATTRS)
    assert edge["relation"] == "backs" and edge["start"] == "2019-12" and edge["end"] == "2020-01-03"
    assert edge["relation_id"] == "r2" and edge["quote"] == ""
    assert tiny.has_edge("kh", "iran", "r4") and not tiny.has_edge("iran", "kh", "r4")  # directed


def test_relations_graph_never_stores_none_or_nan():
    rows = pd.DataFrame([{**relation("r1", "iran", "backs", "kh"), "note": None, "reference": float("nan")}])
    G = network.relations_graph(rows, ACTORS)
    assert G.edges["iran", "kh", "r1"]["note"] == "" and G.edges["iran", "kh", "r1"]["reference"] == ""


def test_relation_family():
    assert network.relation_family("leads") == "organisation"
    assert network.relation_family("designated") == "designation & legal"
    assert network.relation_family("killed") == "hostility"
    assert network.relation_family("bribed") == "other"


def test_designations_graph_uses_listing_then_effective_date():
    des = pd.DataFrame([
        {"designation_id": "d1", "authority_id": "state", "target_id": "kh", "programme": "FTO",
         "listing_date": "2009-06-24", "effective_date": "2009-07-02", "precision": "day", "status": "verified",
         "source_id": "", "quote": "", "reference": "Ref", "note": ""},
        {"designation_id": "d2", "authority_id": "state", "target_id": "kh", "programme": "SDGT",
         "listing_date": "", "effective_date": "2010", "precision": "year", "status": "verified",
         "source_id": "", "quote": "", "reference": "Ref", "note": ""},
    ])
    D = network.designations_graph(des, ACTORS)
    assert D.edges["state", "kh", "d1"]["start"] == "2009-06-24"
    assert D.edges["state", "kh", "d2"]["start"] == "2010"
    assert {d["relation"] for *_, d in D.edges(data=True)} == {"designated"}
    assert D.edges["state", "kh", "d1"]["programme"] == "FTO" and D.edges["state", "kh", "d1"]["end"] == ""


# ---------------------------------------------------------------- co-occurrence


MENTIONS = pd.DataFrame([
    # sentence a:0 = [0, 50): iran twice, irgc once
    {"source_id": "a", "start": 0, "end": 4, "actor_id": "iran", "boilerplate": ""},
    {"source_id": "a", "start": 10, "end": 14, "actor_id": "irgc", "boilerplate": ""},
    {"source_id": "a", "start": 20, "end": 24, "actor_id": "iran", "boilerplate": ""},
    {"source_id": "a", "start": 30, "end": 34, "actor_id": "", "boilerplate": ""},  # unresolved: ignored
    # sentence a:1 = [52, 90): iran, irgc, kh
    {"source_id": "a", "start": 55, "end": 59, "actor_id": "iran", "boilerplate": ""},
    {"source_id": "a", "start": 60, "end": 64, "actor_id": "irgc", "boilerplate": ""},
    {"source_id": "a", "start": 70, "end": 72, "actor_id": "kh", "boilerplate": ""},
    # in the gap between sentences: belongs to none
    {"source_id": "a", "start": 50, "end": 51, "actor_id": "state", "boilerplate": ""},
    # sentence b:0 = [0, 40): iran, irgc; and a boilerplate mention of kh
    {"source_id": "b", "start": 1, "end": 5, "actor_id": "iran", "boilerplate": ""},
    {"source_id": "b", "start": 8, "end": 12, "actor_id": "irgc", "boilerplate": ""},
    {"source_id": "b", "start": 30, "end": 32, "actor_id": "kh", "boilerplate": "caption"},
])
SENTENCES = pd.DataFrame([
    {"source_id": "a", "sentence_id": "a:0", "start": 0, "end": 50, "boilerplate": ""},
    {"source_id": "a", "sentence_id": "a:1", "start": 52, "end": 90, "boilerplate": ""},
    {"source_id": "b", "sentence_id": "b:0", "start": 0, "end": 40, "boilerplate": ""},
])


def test_assign_sentences():
    got = network.assign_sentences(MENTIONS, SENTENCES).tolist()
    assert got == ["a:0", "a:0", "a:0", "a:0", "a:1", "a:1", "a:1", "", "b:0", "b:0", "b:0"]


def test_cooccurrence_counts_sentences_not_mentions():
    C = network.cooccurrence_graph(MENTIONS, SENTENCES, ACTORS)
    assert sorted(C) == ["iran", "irgc", "kh"]  # "state" falls in no sentence; unresolved ignored
    assert C.edges["iran", "irgc"]["weight"] == 3  # a:0 (iran named twice: once), a:1, b:0
    assert C.edges["iran", "irgc"]["documents"] == ["a", "b"] and C.edges["iran", "irgc"]["n_documents"] == 2
    assert C.edges["iran", "irgc"]["sentence_ids"] == ["a:0", "a:1", "b:0"]
    assert C.edges["iran", "kh"]["weight"] == 1 and C.edges["iran", "kh"]["documents"] == ["a"]
    assert C.nodes["iran"]["mentions"] == 4 and C.nodes["iran"]["kind"] == "state"
    assert not any(u == v for u, v in C.edges())


def test_cooccurrence_boilerplate_switch():
    without = network.cooccurrence_graph(MENTIONS, SENTENCES, ACTORS)
    with_bp = network.cooccurrence_graph(MENTIONS, SENTENCES, ACTORS, include_boilerplate=True)
    assert without.edges["iran", "kh"]["weight"] == 1
    assert with_bp.edges["iran", "kh"]["weight"] == 2 and with_bp.edges["iran", "kh"]["documents"] == ["a", "b"]


def test_cooccurrence_skips_boilerplate_sentences():
    sentences = SENTENCES.assign(boilerplate=["", "", "navigation"])
    C = network.cooccurrence_graph(MENTIONS, sentences, ACTORS)
    assert C.edges["iran", "irgc"]["weight"] == 2 and C.edges["iran", "irgc"]["documents"] == ["a"]


# ---------------------------------------------------------------- as-of snapshots


@pytest.mark.parametrize("start,end,when,mode,expected", [
    # precise dates, inclusive bounds
    ("2018-07-10", "", "2018-07-10", "possible", True),
    ("2018-07-10", "", "2018-07-09", "possible", False),
    ("1998", "2020-01-03", "2020-01-03", "certain", True),
    ("1998", "2020-01-03", "2020-01-04", "possible", False),
    # an imprecise start: may have begun any day of 2013
    ("2013", "", "2013-06-01", "possible", True),
    ("2013", "", "2013-06-01", "certain", False),
    ("2013", "", "2014-01-01", "certain", True),
    ("2013", "", "2012-12-31", "possible", False),
    # an imprecise end: may have ended any day of January 2020
    ("2019-12", "2020-01", "2020-01-31", "possible", True),
    ("2019-12", "2020-01", "2020-01-31", "certain", False),
    ("2019-12", "2020-01", "2020-02-01", "possible", False),
    # an interval start
    ("2018-09-27/2018-11-07", "", "2018-10-01", "possible", True),
    ("2018-09-27/2018-11-07", "", "2018-10-01", "certain", False),
    ("2018-09-27/2018-11-07", "", "2018-11-07", "certain", True),
    # an imprecise query: some day of 2019 (possible) / every day of 2019 (certain)
    ("2019-12", "", "2019", "possible", True),
    ("2019-12", "", "2019", "certain", False),
    ("2018", "2019-06", "2019", "possible", True),
    ("2018", "2019-06", "2019", "certain", False),
    # a date object
    ("2019-04-15", "", date(2019, 4, 15), "certain", True),
])
def test_in_force(start, end, when, mode, expected):
    assert network.in_force(start, end, when, mode=mode) is expected


def test_in_force_undated_is_left_out_unless_asked():
    assert network.in_force("", "", "2019") is False
    assert network.in_force("", "", "2019", mode="certain") is False
    assert network.in_force("", "", "2019", include_undated=True) is True
    # with include_undated the end still counts
    assert network.in_force("", "2011-05-02", "2019", include_undated=True) is False
    assert network.in_force("", "2011-05-02", "2011", include_undated=True) is True


def test_in_force_rejects_bad_mode_and_dates():
    with pytest.raises(ValueError):
        network.in_force("2013", "", "2013", mode="maybe")
    with pytest.raises(ValueError):
        network.in_force("13/05/2013", "", "2013")


def test_graph_as_of(tiny):
    H = network.graph_as_of(tiny, "2020-01-03")
    assert sorted(H.edges(keys=True)) == [
        ("iran", "kh", "r2"), ("irgc", "kh", "r3"), ("kh", "iran", "r4"), ("state", "newcomer", "r5")]
    assert list(H) == list(tiny)  # every node kept, so one layout serves all snapshots
    assert H.edges["iran", "kh", "r2"] == tiny.edges["iran", "kh", "r2"]
    assert sorted(k for *_, k in network.graph_as_of(tiny, "2020-01-04").edges(keys=True)) == ["r3", "r4", "r5"]
    assert sorted(k for *_, k in network.graph_as_of(tiny, "2018-10").edges(keys=True)) == ["r3", "r4", "r5"]
    assert sorted(k for *_, k in network.graph_as_of(tiny, "2018-10", mode="certain").edges(keys=True)) == [
        "r3", "r5"]
    assert "r1" in {k for *_, k in network.graph_as_of(tiny, "2018", include_undated=True).edges(keys=True)}
    assert network.graph_as_of(tiny, "2000").number_of_edges() == 0
    assert isinstance(H, nx.MultiDiGraph) and tiny.number_of_edges() == 5  # the input is not changed


def test_graph_as_of_simple_graph():
    G = nx.Graph()
    G.add_edge("a", "b", start="2010", end="")
    G.add_edge("b", "c", start="2015", end="")
    assert sorted(network.graph_as_of(G, "2012").edges()) == [("a", "b")]


# ---------------------------------------------------------------- structure


def test_ego_network(tiny):
    assert sorted(network.ego_network(tiny, "irgc")) == ["irgc", "kh"]
    assert sorted(network.ego_network(tiny, "irgc", radius=2)) == ["iran", "irgc", "kh"]  # kh <- iran, kh -> iran
    assert sorted(network.ego_network(tiny, "kh")) == ["iran", "irgc", "kh"]  # in- and out-neighbours
    assert sorted(network.ego_network(tiny, ["irgc", "state"])) == ["irgc", "kh", "newcomer", "state"]
    E = network.ego_network(tiny, "irgc", radius=2)
    assert sorted(k for *_, k in E.edges(keys=True)) == ["r1", "r2", "r3", "r4"]  # edges among neighbours too
    assert sorted(network.ego_network(tiny, "state")) == ["newcomer", "state"]
    with pytest.raises(nx.NodeNotFound):
        network.ego_network(tiny, "nobody")


def test_simple_projection(tiny):
    P = network.simple_projection(tiny)
    assert not P.is_directed() and not P.is_multigraph()
    assert P.edges["iran", "kh"]["weight"] == 3  # r1, r2 and r4 (opposite direction)
    assert P.edges["iran", "kh"]["relations"] == ["backs", "opposes"]


def test_centrality_table():
    G = nx.MultiDiGraph()
    for u, v in [("hub", "a"), ("hub", "b"), ("hub", "c"), ("c", "d"), ("hub", "a")]:
        G.add_edge(u, v, relation="backs")
    table = network.centrality_table(G)
    assert table["actor_id"].tolist() == ["hub", "c", "a", "b", "d"]
    hub = table.iloc[0]
    assert hub["degree"] == 3 and hub["edges"] == 4  # parallel relation counted in edges, not degree
    assert hub["betweenness"] == round(5 / 6, 3)  # 5 of the 6 pairs of other actors pass through it
    assert table.set_index("actor_id").loc["c", "betweenness"] == round(3 / 6, 3)
    assert table.set_index("actor_id").loc["d", "betweenness"] == 0


def test_communities_are_deterministic_and_sorted():
    G = nx.Graph()
    G.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    G.add_node("loner")
    found = network.communities(G, seed=1)
    assert found == [["a", "b", "c"], ["x", "y", "z"], ["loner"]]
    assert found == network.communities(G, seed=1)


# ---------------------------------------------------------------- the project's data: every edge is sourced


def test_every_relation_traces_to_a_quote_or_a_reference(project):
    R, texts = project["R"], project["texts"]
    assert R.number_of_edges() == len(project["relations"])
    for u, v, key, d in R.edges(keys=True, data=True):
        assert d["quote"] or d["reference"], f"{key}: neither quote nor reference"
        if d["quote"]:
            start, end = quote_span(texts[d["source_id"]], d["quote"])  # exact and unique, or ValueError
            assert texts[d["source_id"]][start:end] == d["quote"]
        assert d["relation_id"] == key


def test_every_drawn_designation_is_dated_and_sourced(project):
    points = rn.designation_points(project["designations"], project["actors"])
    left_out = rn.designations_left_out(project["designations"])
    assert len(points) + len(left_out) == len(project["designations"])
    by_id = project["designations"].set_index("designation_id")
    for row in points.itertuples():
        source = by_id.loc[row.designation_id]
        assert source["quote"] or source["reference"]
        if source["quote"]:
            quote_span(project["texts"][source["source_id"]], source["quote"])
        assert row.earliest <= row.latest
    # what is left out is said, with a reason
    assert set(left_out["reason"]) <= {"no date", "no quote or reference", "no date, no quote or reference"}


def test_every_node_is_in_the_registry(project):
    kinds = {d["kind"] for _, d in project["R"].nodes(data=True)}
    assert "unknown" not in kinds


# ---------------------------------------------------------------- exports


def test_write_exports_round_trip_and_determinism(tmp_path, project):
    first = network.write_exports(tmp_path / "one", derived=derived_dir())
    second = network.write_exports(tmp_path / "two", derived=derived_dir())
    assert [p.name for p in first] == list(network.EXPORT_FILES)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between runs"
        assert b"None" not in a.read_bytes()

    R = nx.read_graphml(first[0], force_multigraph=True)
    assert isinstance(R, nx.MultiDiGraph)
    assert sorted(k for *_, k in R.edges(keys=True)) == sorted(project["relations"]["relation_id"])
    for u, v, key, d in R.edges(keys=True, data=True):
        original = project["R"].edges[u, v, key]
        for attr in ("relation", "start", "end", "source_id", "quote", "reference", "status"):
            assert d[attr] == original[attr], (key, attr)
    assert R.nodes["irgc-qods-force"]["kind"] == "armed_group"

    C = nx.read_graphml(first[1])
    assert sorted(map(sorted, C.edges())) == sorted(map(sorted, project["C"].edges()))
    u, v, d = next(iter(C.edges(data=True)))
    assert isinstance(d["weight"], int) and d["weight"] == project["C"].edges[u, v]["weight"]
    assert d["documents"] == "; ".join(project["C"].edges[u, v]["documents"])

    edges = tables.read_csv(first[2])
    assert edges.columns.tolist() == network.RELATION_EDGE_COLUMNS
    assert edges["relation_id"].tolist() == sorted(project["relations"]["relation_id"])
    co = tables.read_csv(first[3])
    assert co.columns.tolist() == network.COOCCURRENCE_EDGE_COLUMNS
    assert (co["actor_a"] < co["actor_b"]).all() and len(co) == project["C"].number_of_edges()


def test_write_exports_needs_the_extracted_tables(tmp_path):
    with pytest.raises(FileNotFoundError, match="mentions.csv"):
        network.write_exports(tmp_path)


def test_committed_exports_are_current(tmp_path):
    fresh = network.write_exports(tmp_path, derived=derived_dir())
    for path in fresh:
        committed = derived_dir() / path.name
        assert committed.is_file(), f"{path.name} missing: run make data"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} is stale: run make data"


def test_exportable_joins_lists_and_drops_none():
    G = nx.Graph()
    G.add_node("b", note=None)
    G.add_edge("b", "a", documents=["x", "y"], weight=2)
    H = network.exportable(G)
    assert list(H) == ["a", "b"] and H.nodes["b"]["note"] == ""
    assert H.edges["a", "b"] == {"documents": "x; y", "weight": 2}


# ---------------------------------------------------------------- the chapter's helpers, on tiny graphs


def test_wrapped_names_expand_abbreviations():
    actors = pd.DataFrame([{"actor_id": "irgc", "name": "Islamic Revolutionary Guard Corps"},
                           {"actor_id": "iran", "name": "Iran"}])
    assert figures.wrapped_names(actors) == {"irgc": "Islamic\nRevolutionary\nGuard Corps", "iran": "Iran"}


def test_top_by_degree(tiny):
    top = figures.top_by_degree(tiny, 2)
    degree = dict(network.simple_projection(tiny).degree())
    assert len(top) == 2 and min(degree[n] for n in top) >= max(degree[n] for n in tiny if n not in top)


def test_seed_actors_and_focus(tiny):
    mentions = pd.DataFrame([{"actor_id": "irgc", "boilerplate": ""}, {"actor_id": "state", "boilerplate": "nav"},
                             {"actor_id": "", "boilerplate": ""}])
    assert rn.seed_actors(mentions) == ["irgc"]
    assert sorted(rn.focus(tiny, ["kh", "not-in-graph"])) == ["iran", "irgc", "kh"]
    assert len(rn.focus(tiny, ["not-in-graph"])) == 0


def test_layouts_are_fixed_and_rounded(tiny):
    pos = figures.layout(tiny, seed=3)
    assert pos == figures.layout(tiny, seed=3)
    assert set(pos) == set(tiny)
    assert all(round(c, 3) == c for xy in pos.values() for c in xy)
    # the small component (state -> newcomer) sits below the main one
    assert max(pos["state"][1], pos["newcomer"][1]) < min(pos[n][1] for n in ("iran", "irgc", "kh"))
    ego = figures.ego_layout(tiny, ["irgc", "iran"])
    assert ego["irgc"][0] < ego["iran"][0] and ego == figures.ego_layout(tiny, ["irgc", "iran"])


def test_draw_graph_returns_what_it_drew(tiny):
    fig, ax = plt.subplots()
    pos = figures.layout(tiny)
    drawn = figures.draw_graph(ax, tiny, pos, label_nodes=["iran"], edge_labels=["state"], muted=["newcomer"])
    plt.close(fig)
    assert drawn["nodes"]["actor_id"].tolist() == sorted(tiny)
    assert drawn["nodes"].set_index("actor_id")["labelled"].to_dict() == {
        "iran": True, "irgc": False, "kh": False, "newcomer": False, "state": False}
    assert drawn["nodes"].set_index("actor_id").loc["newcomer", "muted"]
    edges = drawn["edges"].set_index("edge_id")
    assert sorted(edges.index) == ["r1", "r2", "r3", "r4", "r5"]
    assert edges.loc["r5", "labelled"] and not edges.loc["r1", "labelled"]
    assert edges.loc["r4", "family"] == "hostility"
    # three relations between iran and kh: bent apart; one relation alone: straight
    assert sorted(abs(r) for r in edges.loc[["r1", "r2", "r4"], "rad"]) == [0.0, 0.25, 0.25]
    assert edges.loc["r3", "rad"] == 0


def test_draw_snapshots_draws_the_as_of_edges(tiny):
    fig, axes = plt.subplots(1, 2)
    drawn = figures.draw_snapshots(axes, tiny, figures.layout(tiny), ["2013", "2020-01-03"])
    plt.close(fig)
    assert drawn[drawn["date"] == "2013"]["edge_id"].tolist() == ["r3", "r5"]
    assert sorted(drawn[drawn["date"] == "2020-01-03"]["edge_id"]) == ["r2", "r3", "r4", "r5"]


def test_edge_table_and_evidence(tiny):
    table = rn.edge_table(tiny)
    assert table.index.tolist() == ["r1", "r2", "r3", "r4", "r5"]
    assert table.loc["r1", "evidence"] == "s1: “Iran backs KH”"
    assert table.loc["r2", "evidence"] == "reference: Ref, T, 2020-01-03, u"
    assert table.loc["r5", "object"] == "newcomer" and table.loc["r4", "start"] == "2018-09-27/2018-11-07"
    assert rn.evidence_of("a\n  quote", "R", "001_x") == "Long War Journal 2020: “a quote” | reference: R"
    counts = rn.evidence_counts(tiny)
    assert counts.loc["support", "seed quote only"] == 2 and counts.loc["support", "reference only"] == 1
    assert counts.loc["hostility", "none"] == 1 and counts["total"].sum() == 5
    irgc = rn.evidence_counts(tiny, "irgc")
    assert irgc.index.tolist() == ["support"] and irgc["total"].tolist() == [1]


def test_snapshot_counts(tiny):
    counts = rn.snapshot_counts(tiny, ["2013", "2018-10"])
    assert counts.loc["2013"].tolist() == [2, 1, 1]  # possible r3, r5; certain r5; r1 undated
    assert counts.loc["2018-10"].tolist() == [3, 2, 1]


def test_programme_family():
    assert rn.programme_family("FTO") == "FTO"
    assert rn.programme_family("EO 13224 (SDGT), TFTC joint") == "SDGT (E.O. 13224)"
    assert rn.programme_family("EO 13438 (Iraq stability)") == "other U.S. executive order"
    assert rn.programme_family("State Sponsor of Terrorism") == "State Sponsor of Terrorism"
    assert rn.programme_family("TFTC joint") == "national or joint list"


def test_designation_points_and_plot():
    des = pd.DataFrame([
        {"designation_id": "d1", "authority_id": "state", "target_id": "kh", "programme": "FTO",
         "listing_date": "2009-06-24", "effective_date": "2009-07-02", "precision": "day", "status": "verified",
         "source_id": "", "quote": "", "reference": "Ref", "note": ""},
        {"designation_id": "d2", "authority_id": "state", "target_id": "kh", "programme": "EO 13224 (SDGT)",
         "listing_date": "2009-06-24", "effective_date": "", "precision": "day", "status": "verified",
         "source_id": "", "quote": "", "reference": "Ref", "note": ""},
        {"designation_id": "d3", "authority_id": "state", "target_id": "iran", "programme": "unspecified",
         "listing_date": "2008", "effective_date": "", "precision": "year", "status": "verified",
         "source_id": "", "quote": "", "reference": "Ref", "note": ""},
        {"designation_id": "d4", "authority_id": "state", "target_id": "irgc", "programme": "FTO",
         "listing_date": "", "effective_date": "", "precision": "unknown", "status": "verified",
         "source_id": "", "quote": "", "reference": "Ref", "note": ""},
        {"designation_id": "d5", "authority_id": "state", "target_id": "irgc", "programme": "FTO",
         "listing_date": "2019", "effective_date": "", "precision": "year", "status": "unverified",
         "source_id": "", "quote": "", "reference": "", "note": ""},
    ])
    points = rn.designation_points(des, ACTORS)
    assert points["designation_id"].tolist() == ["d3", "d1", "d2"]  # by earliest date
    assert points.loc[0, ["earliest", "latest"]].tolist() == ["2008-01-01", "2008-12-31"]
    left = rn.designations_left_out(des).set_index("designation_id")["reason"].to_dict()
    assert left == {"d4": "no date", "d5": "no quote or reference"}
    fig, ax = plt.subplots()
    plotted = figures.draw_designations(ax, points).set_index("designation_id")
    plt.close(fig)
    assert plotted.loc["d3", "x"] == "2008-07-01"  # an imprecise date is drawn at its middle
    assert plotted.loc["d3", "y"] == 0  # Iran's first listing is the earliest: first row
    assert sorted(plotted.loc[["d1", "d2"], "y"]) == [0.85, 1.15]  # same day, same target: spread apart


def test_edge_set_comparison():
    typed = nx.MultiDiGraph()
    typed.add_edge("a", "b", relation="backs", quote="q")
    typed.add_edge("b", "a", relation="opposes", quote="")
    typed.add_edge("c", "a", relation="leads", quote="")
    co = nx.Graph()
    co.add_edge("b", "a", weight=2, documents=["001_x"], sentence_ids=["001_x:1", "001_x:4"])
    co.add_edge("b", "d", weight=5, documents=["002_y", "003_z"], sentence_ids=["002_y:0"])
    table = network.edge_set_comparison(typed, co, label=report.source_label)
    assert table[["actor_a", "actor_b", "found_by"]].values.tolist() == [
        ["a", "b", "both"], ["a", "c", "typed only"], ["b", "d", "co-occurrence only"]]
    first = table.iloc[0]
    assert first["relations"] == "backs, opposes" and first["seed_quoted"] and first["sentences"] == 2
    assert table.iloc[2]["documents"] == "The Crystal Eyes 2019, The Baghdad Post 2017" and not table.iloc[1]["seed_quoted"]
    assert network.edge_set_comparison(typed, co).iloc[2]["documents"] == "002, 003"  # short ids by default
    summary = rn.comparison_summary(table)
    assert summary.loc["both", "typed, quoted from a seed"] == 1
    assert summary.loc["typed only", "typed, reference only"] == 1
    assert summary.loc["co-occurrence only", "not typed"] == 1
    sentences = pd.DataFrame({"sentence_id": ["002_y:0"], "text": ["B met\nD."]})
    ex = rn.example_sentences(co, sentences, table.iloc[[2]])
    assert ex.index.tolist() == ["b — d"] and ex.iloc[0].tolist() == [5, "002", "B met D."]


def test_centrality_comparison_ranks_ties_together():
    G = nx.MultiDiGraph()
    G.add_edge("a", "hub", relation="backs", quote="q")
    G.add_edge("hub", "b", relation="backs", quote="q")
    G.add_edge("b", "c", relation="backs", quote="")  # reference-only: gone in the seeds-only graph
    table = network.centrality_comparison(G, top=4).set_index("actor_id")  # nodes without a name: name = id
    assert table.index.tolist() == ["b", "hub", "a", "c"]
    assert table.loc["b", "rank"] == 1 and table.loc["b", "betweenness (seeds)"] == 0
    assert table.loc["hub", "rank (seeds)"] == 1
    assert table.loc["b", "rank (seeds)"] == 2 == table.loc["a", "rank (seeds)"]  # tied at zero
    fig, ax = plt.subplots()
    plotted = figures.draw_centrality(ax, network.centrality_comparison(G, top=4))
    plt.close(fig)
    assert plotted["actor_id"].tolist() == ["b", "hub", "a", "c"]
    assert plotted["betweenness"].tolist() == table["betweenness"].tolist()


def test_community_table(tiny):
    table = rn.community_table(tiny)
    assert table["size"].sum() == len(tiny) and table.index[0] == 1
    assert table["size"].is_monotonic_decreasing


# ---------------------------------------------------------------- the data behind the chapter's figures


def test_figure_typed_network(project):
    R = project["R"]
    fig, ax = plt.subplots()
    drawn = figures.draw_graph(ax, R, figures.layout(R), labels=figures.wrapped_names(project["actors"]))
    plt.close(fig)
    assert sorted(drawn["edges"]["edge_id"]) == sorted(project["relations"]["relation_id"])
    assert len(drawn["nodes"]) == R.number_of_nodes()
    # every actor named in the seeds or linked to one: the focus selection keeps the whole graph
    assert len(rn.focus(R, rn.seed_actors(project["mentions"]))) == R.number_of_nodes()
    assert set(drawn["edges"]["family"]) == {"organisation", "support", "designation & legal", "hostility"}


def test_figure_ego_network(project):
    E = network.ego_network(project["R"], ["irgc", "irgc-qods-force"])
    assert {"qassem-soleimani", "esmail-qaani", "kataib-hezbollah", "al-qaeda", "iran"} <= set(E)
    qf_edges = {(u, v, d["relation"]) for u, v, d in E.edges(data=True) if "irgc-qods-force" in (u, v)}
    assert ("qassem-soleimani", "irgc-qods-force", "commands") in qf_edges
    assert ("irgc-qods-force", "irgc", "part_of") in qf_edges
    # the contested claims of document 002 are drawn as such in the edge table
    table = rn.edge_table(E)
    al_qaeda = table["object"].map(_text) == "al-Qaeda"  # the name, whether or not it links to a profile
    assert set(table.loc[al_qaeda, "status"]) == {"contested"}
    assert set(table.loc[al_qaeda, "evidence"].str.slice(0, 21)) == {"The Crystal Eyes 2019"}


def test_figure_snapshots_grow(project):
    counts = rn.snapshot_counts(project["R"], ["2013", "2017", "2019", "2020"])
    assert counts["possible"].is_monotonic_increasing
    assert (counts["certain"] <= counts["possible"]).all()
    undated = sum(1 for *_, d in project["R"].edges(data=True) if not d["start"])
    assert (counts["undated (left out)"] == undated).all()
    fig, axes = plt.subplots(2, 2)
    R = project["R"]
    drawn = figures.draw_snapshots(axes.flat, R, figures.layout(R), ["2013", "2017", "2019", "2020"], label_min_degree=1)
    plt.close(fig)
    in_force = [(when, key) for when in ["2013", "2017", "2019", "2020"]
                for *_, key in network.graph_as_of(R, when).edges(keys=True)]
    assert sorted(zip(drawn["date"], drawn["edge_id"], strict=True)) == sorted(in_force)  # every edge drawn
    assert drawn.groupby("date").size().to_dict() == counts["possible"].to_dict()


def test_figure_designations(project):
    points = rn.designation_points(project["designations"], project["actors"])
    assert set(points["family"]) <= set(figures.PROGRAMME_MARKERS)
    assert points["earliest"].is_monotonic_increasing
    assert not points["evidence"].eq("").any()


def test_comparison_on_project_data(project):
    table = network.edge_set_comparison(project["R"], project["C"])
    co_pairs = {tuple(sorted(e)) for e in project["C"].edges()}
    assert set(zip(table.loc[table["found_by"] != "typed only", "actor_a"],
                   table.loc[table["found_by"] != "typed only", "actor_b"], strict=True)) == co_pairs
    assert not table.duplicated(["actor_a", "actor_b"]).any()


def test_centrality_on_project_data(project):
    table = network.centrality_comparison(project["R"])
    assert table["betweenness"].is_monotonic_decreasing
    assert table["betweenness"].between(0, 1).all() and table["betweenness (seeds)"].between(0, 1).all()
    assert network.communities(project["R"]) == network.communities(project["R"])


@pytest.mark.slow
def test_layout_and_exports_do_not_depend_on_the_hash_seed(tmp_path):
    """Set iteration order changes with PYTHONHASHSEED; nothing drawn or exported may depend on it."""
    import os
    import subprocess
    import sys

    script = (
        "import hashlib, sys; from pathlib import Path\n"
        "from proxylens import network, tables; from proxylens.paths import derived_dir\n"
        "from proxylens import figures\n"
        "R = network.relations_graph(tables.curated('relations'), tables.curated('actors'))\n"
        "ego = network.ego_network(R, ['irgc', 'irgc-qods-force'])\n"
        "out = Path(sys.argv[1]); paths = network.write_exports(out, derived=derived_dir())\n"
        "print(figures.layout(R), list(ego), list(ego.edges(keys=True)), figures.ego_layout(ego, ['irgc', 'irgc-qods-force']),\n"
        "      network.communities(R), [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths])\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", script, str(tmp_path / seed)], capture_output=True, text=True,
                             env=env, check=True)
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]


def test_statements_in_the_chapter_text(project):
    """The chapter's prose names actors and documents; these are the facts it relies on."""
    R, relations = project["R"], project["relations"]
    central = network.centrality_comparison(R).set_index("actor_id")
    assert central.index[0] == "iran" and central.loc["iran", "rank (seeds)"] == 1
    degree = network.centrality_table(R).sort_values("degree", ascending=False, kind="stable")
    assert degree["actor_id"].tolist()[:2] == ["iran", "us-department-of-state"]
    aah = central.loc["asaib-ahl-al-haq"]
    assert aah["betweenness (seeds)"] == 0 and aah["rank (seeds)"] > aah["rank"]
    contested = relations[relations["status"] == "contested"]
    assert (contested["source_id"].str.startswith("002_")).sum() == len(contested) - 1
    hostility = relations[relations["relation"].map(network.relation_family) == "hostility"]
    assert hostility["source_id"].str.startswith("001_").sum() > len(hostility) / 2
    iran = rn.evidence_counts(R, "iran")
    assert iran["total"].idxmax() == "support"
    comparison = network.edge_set_comparison(R, project["C"])
    cooc_only = comparison[comparison["found_by"] == "co-occurrence only"]
    assert cooc_only.iloc[0][["actor_a", "actor_b"]].tolist() == ["iraq", "united-states"]
    typed_only = comparison[(comparison["found_by"] == "typed only") & comparison["seed_quoted"]]
    assert ("iran", "kataib-hezbollah") in set(zip(typed_only["actor_a"], typed_only["actor_b"], strict=True))
    def in_force(when):
        return {key for *_, key in network.graph_as_of(R, when).edges(keys=True)}
    assert {"rel-041", "rel-042"} <= in_force("2013")
    assert {"rel-014", "rel-017", "rel-018"} <= in_force("2020")
    points = rn.designation_points(project["designations"], project["actors"])
    houthi = points[points["target_id"] == "ansar-allah"]["date"].str.slice(0, 4)
    assert set(houthi) == {"2021", "2024", "2025"}
    # communities are not alliances: a group and the state it opposes can share one
    assert any({"al-ashtar-brigades", "bahrain"} <= set(c) for c in network.communities(R))


def test_labels_move_below_a_node_that_would_hide_them():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="r1", relation="backs")
    G.add_edge("c", "a", key="r2", relation="backs")
    pos = {"a": (0.0, 0.0), "b": (0.0, 0.05), "c": (1.0, 1.0)}  # b sits right where a's label would go
    fig, ax = plt.subplots(figsize=(4, 4))
    drawn = figures.draw_graph(ax, G, pos)
    plt.close(fig)
    placed = drawn["nodes"].set_index("actor_id")["label_at"].to_dict()
    assert placed == {"a": "below", "b": "above", "c": "above"}


# ---------------------------------------------------------------- labels are not actors


LABELLED = pd.concat([ACTORS, pd.DataFrame([{"actor_id": "imis", "name": "IMIS", "kind": "label", "country": ""}])],
                     ignore_index=True)


def test_no_label_is_a_node_of_any_graph_built_here():
    rows = [relation("r1", "iran", "backs", "kh", quote="q", source_id="s"),
            relation("r2", "state", "opposes", "imis", quote="q", source_id="s"),
            relation("r3", "imis", "opposes", "state", quote="q", source_id="s")]
    R = network.relations_graph(pd.DataFrame(rows), LABELLED)
    assert "imis" not in R and sorted(R) == ["iran", "kh"]
    m = pd.DataFrame({"source_id": ["a"] * 3, "start": [0, 10, 20], "end": [4, 14, 24], "actor_id": ["iran", "imis", "kh"]})
    s = pd.DataFrame({"source_id": ["a"], "sentence_id": ["a:0"], "start": [0], "end": [50]})
    C = network.cooccurrence_graph(m, s, LABELLED)
    assert "imis" not in C and C.has_edge("iran", "kh")
    des = pd.DataFrame([{"designation_id": "d1", "authority_id": "state", "target_id": "imis", "programme": "x",
                         "listing_date": "2019", "effective_date": ""}])
    assert "imis" not in network.designations_graph(des, LABELLED)
    # even a graph built elsewhere never ranks a label
    G = nx.MultiDiGraph([("a", "imis"), ("imis", "b")])
    G.nodes["imis"]["kind"] = "label"
    assert "imis" not in set(network.centrality_table(G)["actor_id"])


def test_no_label_is_a_node_of_the_project_graphs(project):
    labels = network.label_ids(project["actors"])
    assert labels, "the registry marks at least one umbrella label"
    for name in ("R", "C"):
        assert not labels & set(project[name]), name
    D = network.designations_graph(project["designations"], project["actors"])
    assert not labels & set(D)
    ranked = network.centrality_table(project["R"])
    assert not labels & set(ranked["actor_id"])


def test_revoked_listing_ends_on_its_revocation_date():
    des = pd.DataFrame([{"designation_id": "d1", "authority_id": "state", "target_id": "kh", "programme": "SDGT",
                         "listing_date": "2021-01-10", "effective_date": "2021-01-19", "revocation_date": "2021-02-16"}])
    D = network.designations_graph(des, ACTORS)
    assert D.edges["state", "kh", "d1"]["end"] == "2021-02-16"
    assert not network.graph_as_of(D, "2021-03").number_of_edges()


# ---------------------------------------------------------------- umbrella labels


def _text(cell: str) -> str:
    """A table cell as a reader reads it (a profile link reduced to its name)."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", str(cell)))


LABEL_ACTORS = pd.DataFrame({"actor_id": ["imis", "pmf", "iran", "is"],
                             "name": ["Iranian Militias", "Popular Mobilization Forces", "Iran", "Islamic State"],
                             "kind": ["label", "armed_group", "state", "armed_group"]})
LABEL_ALIASES = pd.DataFrame({"actor_id": ["imis"], "alias": ["IMIS"], "alias_kind": ["acronym"], "note": [""]})


def test_relations_quoting_labels_finds_quote_and_note_but_not_substrings():
    relations = pd.DataFrame({
        "relation_id": ["r3", "r1", "r2", "r4"],
        "subject_id": ["pmf", "iran", "iran", "imis"],
        "relation": ["opposes", "backs", "backs", "opposes"],
        "object_id": ["is", "pmf", "is", "is"],
        "quote": ["their war against ISIS", "many IMIS leaders", "the IMISSION", "IMIS fights"],
        "note": ["stands for the label 'IMIS'", "", "", ""],
    })
    found = rn.relations_quoting_labels(relations, LABEL_ACTORS, LABEL_ALIASES)
    assert [_text(s) for s in found["subject"]] == ["Iran", "Popular Mobilization Forces"]  # relation-id order
    assert list(found["label"]) == ["IMIS", "IMIS"]
    assert rn.relations_on_labels(relations, LABEL_ACTORS) == 1  # r4, which the graph leaves out


def test_label_groups_names_each_group_through_actor_cell():
    members = pd.DataFrame({"label_id": ["imis"], "actor_id": ["pmf"], "basis": ["text reuse"],
                            "source_id": ["003"], "quote": ["IMIS leaders"], "reference": [""]})
    table = rn.label_groups(members, LABEL_ACTORS)
    assert list(table.columns) == ["label", "group", "group kind", "basis", "quote"]
    assert (table["label"].iloc[0], _text(table["group"].iloc[0])) == ("Iranian Militias", "Popular Mobilization Forces")


def test_project_labels_are_out_of_the_graph_and_repointed_rows_found(project):
    actors, relations = project["actors"], project["relations"]
    labels = network.label_ids(actors)
    assert "iranian-militias-in-iraq-and-syria" in labels
    assert rn.relations_on_labels(relations, actors) == 0
    assert not labels & set(project["R"]) and not labels & set(project["C"])
    found = rn.relations_quoting_labels(relations, actors, project["aliases"])
    pairs = {(_text(s), r, _text(o)) for s, r, o in zip(found["subject"], found["relation"], found["object"], strict=True)}
    assert {("Iran", "backs", "Popular Mobilization Forces"),
            ("Popular Mobilization Forces", "opposes", "Islamic State")} <= pairs


def test_with_actor_cells_renders_names_from_ids_and_keeps_the_input():
    table = pd.DataFrame({"target": ["Iran"], "target_id": ["iran"], "n": [1]})
    out = rn.with_actor_cells(table, {"target": "target_id"})
    assert _text(out["target"].iloc[0]) == "Iran" and table["target"].iloc[0] == "Iran"
    assert list(out.columns) == ["target", "target_id", "n"]
