"""Helpers for the network chapter: layouts, drawings and the tables shown beside them.

Each drawing function draws on a matplotlib ``Axes`` and returns the data it drew (nodes with
positions, edges with their relation ids), so tests can check what a figure shows. Layouts use a
fixed seed and are rounded, so every figure is the same on every run.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from math import cos, pi, sin, sqrt

import networkx as nx
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from proxylens import network
from proxylens.edtf import parse_edtf
from proxylens.report import short_id

# One colour per actor kind (tab10), fixed so every figure of the book agrees.
KIND_COLOURS = {
    "person": "#1f77b4",
    "armed_group": "#d62728",
    "state": "#2ca02c",
    "state_agency": "#9467bd",
    "government_body": "#8c564b",
    "coalition": "#ff7f0e",
    "party": "#e377c2",
    "media": "#17becf",
    "igo": "#bcbd22",
    "unknown": "#7f7f7f",
}
# One line style per relation family (see proxylens.network.RELATION_FAMILIES).
FAMILY_STYLES = {
    "organisation": {"color": "#444444", "linestyle": "solid"},
    "support": {"color": "#2ca02c", "linestyle": "dashed"},
    "designation & legal": {"color": "#1f4e9e", "linestyle": "dotted"},
    "hostility": {"color": "#c0392b", "linestyle": "dashdot"},
    "other": {"color": "#999999", "linestyle": "solid"},
}
# Colours of designating authorities in the designation plot (others fall back to grey).
AUTHORITY_COLOURS = ["#1f4e9e", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"]
PROGRAMME_MARKERS = {
    "FTO": "s",
    "SDGT (E.O. 13224)": "o",
    "other U.S. executive order": "^",
    "State Sponsor of Terrorism": "D",
    "national or joint list": "P",
}


# ---------------------------------------------------------------- labels and selections


def short_labels(actors: pd.DataFrame, aliases: pd.DataFrame, max_len: int = 24) -> dict[str, str]:
    """A label per actor: its name, or its first acronym alias when the name is longer than
    ``max_len`` characters; names are wrapped at 16 characters per line."""
    acronyms = aliases[aliases["alias_kind"] == "acronym"].groupby("actor_id", sort=False)["alias"].first()
    labels = {}
    for r in actors.to_dict("records"):
        name = r["name"]
        if len(name) > max_len and r["actor_id"] in acronyms.index:
            name = acronyms[r["actor_id"]]
        labels[r["actor_id"]] = textwrap.fill(name, 16)
    return labels


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


def _spread(pos: dict, gamma: float) -> dict:
    """Push nodes away from the centre: radius r (of 1 at most) becomes r ** gamma, angles kept.

    A spring layout packs a hub's neighbours tightly around it; with ``gamma < 1`` the crowded
    middle opens up while the outline of the layout stays the same.
    """
    if gamma == 1 or len(pos) < 3:
        return pos
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    r_max = max(sqrt((x - cx) ** 2 + (y - cy) ** 2) for x, y in pos.values()) or 1.0
    out = {}
    for n, (x, y) in pos.items():
        r = sqrt((x - cx) ** 2 + (y - cy) ** 2) / r_max
        f = (r ** gamma / r) if r > 0 else 0.0
        out[n] = ((x - cx) / r_max * f, (y - cy) / r_max * f)
    return out


def layout(G: nx.Graph, seed: int = 7, k: float | None = None, iterations: int = 300,
           spread: float = 0.6) -> dict[str, tuple[float, float]]:
    """Fixed layout of ``G``: ``{node: (x, y)}``, rounded to 3 decimals.

    The largest connected component (of the simple undirected projection) gets a spring layout
    (``nx.spring_layout`` with ``seed``; ``k``, the preferred distance, defaults to
    ``2.5 / sqrt(n)``) in the square [-1, 1]; smaller components are laid out the same way, shrunk,
    and lined up below it, largest first, so none is flung to a far corner. ``spread`` < 1 opens
    up the crowded centre of each component (see :func:`_spread`).
    """
    P = network.simple_projection(G)
    parts = sorted((sorted(c) for c in nx.connected_components(P)), key=lambda c: (-len(c), c[0]))
    pos: dict[str, tuple[float, float]] = {}
    for i, part in enumerate(parts):
        sub = network.induced_subgraph(P, part)
        kk = k if k is not None else 2.5 / sqrt(max(len(sub), 1))
        if len(sub) == 1:
            local = {part[0]: (0.0, 0.0)}
        else:
            local = _spread(nx.spring_layout(sub, seed=seed, k=kk, iterations=iterations, weight=None), spread)
        if i == 0:
            scale, (cx, cy) = 1.0, (0.0, 0.0)
        else:
            # small components: a row below the main one, each in a cell 0.5 wide
            scale, (cx, cy) = 0.12, (-0.8 + 0.5 * (i - 1), -1.2)
        for n, (x, y) in local.items():
            pos[n] = (round(float(cx + scale * x), 3), round(float(cy + scale * y), 3))
    return dict(sorted(pos.items()))


def ego_layout(G: nx.Graph, centres: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Layout for an ego network: the centres on a horizontal line in the middle, everyone else on
    a circle around them, grouped by which centres they touch (the first centre's neighbours on
    the left, shared neighbours at the bottom, the other neighbours on the right, the rest at the
    top) and sorted by kind and id within a group. Deterministic without a seed.
    """
    centres = [c for c in centres if c in G]
    P = network.simple_projection(G)  # neighbours regardless of direction
    pos = {}
    for i, c in enumerate(centres):
        # a slight diagonal, so edges from the circle through one centre to the other do not line up
        t = i / (len(centres) - 1) - 0.5 if len(centres) > 1 else 0.0
        pos[c] = (round(0.7 * t, 3), round(-0.25 * t, 3))

    def group(n: str) -> int:
        touched = [i for i, c in enumerate(centres) if P.has_edge(n, c)]
        if not touched:
            return 3
        if len(touched) > 1:
            return 1
        return 0 if touched[0] == 0 else 2

    others = sorted((n for n in G if n not in pos), key=lambda n: (group(n), G.nodes[n].get("kind", ""), n))
    # start at the top-left and go anticlockwise: left side, bottom, right side, top
    for i, n in enumerate(others):
        angle = pi * 0.62 + 2 * pi * (i + 0.5) / max(len(others), 1)
        pos[n] = (round(cos(angle), 3), round(0.8 * sin(angle), 3))
    return dict(sorted(pos.items()))


# ---------------------------------------------------------------- drawing


def _edge_arcs(G: nx.Graph) -> list[tuple[str, str, str, dict, float]]:
    """Edges of ``G`` with an arc curvature each, so parallel relations between a pair do not overlap."""
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, "", d) for u, v, d in G.edges(data=True))
    by_pair: dict[tuple[str, str], list] = {}
    for u, v, k, d in edges:
        by_pair.setdefault(tuple(sorted((u, v))), []).append((u, v, str(k), d))
    out = []
    for pair, group in sorted(by_pair.items()):
        group.sort(key=lambda e: e[2])
        for i, (u, v, k, d) in enumerate(group):
            offset = 0.0 if len(group) == 1 else round(0.25 * (i - (len(group) - 1) / 2), 3)
            # arc3 bends relative to the drawing direction: flip for edges drawn against the pair order
            out.append((u, v, k, d, offset if (u, v) == pair else -offset))
    return out


def _box_cost(box: tuple[float, float, float, float], points: dict, placed: list) -> float:
    """How badly a label box collides: the number of ``points`` inside it plus its overlap with
    the ``placed`` boxes, as a share of its own area."""
    x0, y0, x1, y1 = box
    covered = sum(1 for x, y in points.values() if x0 <= x <= x1 and y0 <= y <= y1)
    overlap = sum(max(0.0, min(x1, o[2]) - max(x0, o[0])) * max(0.0, min(y1, o[3]) - max(y0, o[1])) for o in placed)
    return covered + overlap / ((x1 - x0) * (y1 - y0))


def _place_labels(ax, G: nx.Graph, pos: dict, nodes: list[str], labels: dict[str, str], font_size: float,
                  radius: float) -> dict[str, tuple[str, float]]:
    """Choose, for each labelled node, whether its label goes above or below it.

    Label boxes are estimated in data units from the axes' size in points (a character is about
    0.55 em wide). Nodes are placed by number of neighbours, most first; a label goes below its
    node only when the box above covers more other nodes and already placed labels than the box
    below. Returns ``{node: ("above" | "below", y of the label's anchor)}``.
    """
    if not nodes:
        return {}
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    fig_w, fig_h = ax.figure.get_size_inches()
    box = ax.get_position()
    width_pt, height_pt = box.width * fig_w * 72, box.height * fig_h * 72
    # data units per point; the axes keep an equal aspect, so the larger ratio wins
    scale = max((max(xs) - min(xs) or 1) / width_pt, (max(ys) - min(ys) or 1) / height_pt) * 1.1
    gap = (radius + 2) * scale
    placed: list[tuple[float, float, float, float]] = []
    degree = dict(network.simple_projection(G).degree())
    out = {}
    for n in sorted(nodes, key=lambda v: (-degree.get(v, 0), v)):
        text = labels.get(n, G.nodes[n].get("name", n)).split("\n")
        w = max(len(line) for line in text) * 0.55 * font_size * scale
        h = len(text) * 1.05 * font_size * scale
        x, y = pos[n]
        options = {"above": (x - w / 2, y + gap, x + w / 2, y + gap + h),
                   "below": (x - w / 2, y - gap - h, x + w / 2, y - gap)}

        others = {m: xy for m, xy in pos.items() if m != n}
        costs = {side: _box_cost(b, others, placed) for side, b in options.items()}
        side = "below" if costs["below"] < costs["above"] else "above"
        placed.append(options[side])
        out[n] = (side, round(y + gap if side == "above" else y - gap, 4))
    return out


def draw_graph(ax, G: nx.Graph, pos: dict, labels: dict[str, str] | None = None,
               label_nodes: Iterable[str] | None = None, node_size: float = 70, font_size: float = 6.5,
               edge_labels: bool | Iterable[str] = False, muted: Iterable[str] = ()) -> dict[str, pd.DataFrame]:
    """Draw ``G`` at ``pos``: nodes coloured by ``kind``, edges styled by relation family, arrows
    for direction, curved when two actors have several relations.

    ``label_nodes`` (default: all) get their label from ``labels`` (default: the node's name);
    ``edge_labels`` writes the relation type at the middle of every edge (True) or of the edges
    touching the given nodes (a collection of ids); ``muted`` nodes are drawn small and grey
    (context, not part of the selection).

    A label goes above its node, or below it when that covers fewer other nodes and labels
    (:func:`_place_labels`).

    Returns ``{"nodes": DataFrame(actor_id, name, kind, x, y, labelled, label_at, muted),
    "edges": DataFrame(edge_id, subject_id, relation, object_id, family, rad, labelled)}``.
    """
    labels = labels or {}
    muted = set(muted)
    nodes = sorted(n for n in G if n in pos)
    to_label = set(nodes if label_nodes is None else label_nodes) - muted
    radius = sqrt(node_size) / 2
    if isinstance(edge_labels, bool):
        label_edge = (lambda u, v: edge_labels)
    else:
        touching = set(edge_labels)
        label_edge = (lambda u, v: u in touching or v in touching)

    edge_rows = []
    for u, v, k, d, rad in _edge_arcs(G):
        family = network.relation_family(d.get("relation", ""))
        style = FAMILY_STYLES[family]
        arrow = FancyArrowPatch(
            pos[u], pos[v], arrowstyle="-|>", mutation_scale=7, connectionstyle=f"arc3,rad={rad}",
            shrinkA=radius + 1, shrinkB=radius + 1, linewidth=0.9, alpha=0.8, zorder=1,
            color=style["color"], linestyle=style["linestyle"],
        )
        ax.add_patch(arrow)
        labelled = label_edge(u, v)
        if labelled:
            (x1, y1), (x2, y2) = pos[u], pos[v]
            # the midpoint of an arc3 curve lies rad/2 of the chord's length off the chord, to its left
            mx, my = (x1 + x2) / 2 + rad / 2 * (y2 - y1), (y1 + y2) / 2 - rad / 2 * (x2 - x1)
            ax.text(mx, my, d.get("relation", ""), fontsize=font_size - 1, color=style["color"],
                    ha="center", va="center", zorder=2,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
        edge_rows.append({"edge_id": k, "subject_id": u, "relation": d.get("relation", ""), "object_id": v,
                          "family": family, "rad": rad, "labelled": labelled})

    placement = _place_labels(ax, G, pos, [n for n in nodes if n in to_label], labels, font_size, radius)
    # one scatter call for the context dots and one for the rest: far fewer artists than one per node
    grey = [n for n in nodes if n in muted]
    coloured = [n for n in nodes if n not in muted]
    if grey:
        ax.scatter([pos[n][0] for n in grey], [pos[n][1] for n in grey], s=node_size * 0.4, zorder=3,
                   linewidths=0.5, c="#dddddd", edgecolors="#bbbbbb")
    if coloured:
        ax.scatter([pos[n][0] for n in coloured], [pos[n][1] for n in coloured], s=node_size, zorder=3,
                   linewidths=0.5, edgecolors="white",
                   c=[KIND_COLOURS.get(G.nodes[n].get("kind", "unknown"), KIND_COLOURS["unknown"]) for n in coloured])
    node_rows = []
    for n in nodes:
        kind = G.nodes[n].get("kind", "unknown")
        is_muted = n in muted
        x, y = pos[n]
        if n in placement:
            side, ty = placement[n]
            ax.text(x, ty, labels.get(n, G.nodes[n].get("name", n)), fontsize=font_size,
                    ha="center", va="bottom" if side == "above" else "top", zorder=4, linespacing=0.9,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.6})
        node_rows.append({"actor_id": n, "name": G.nodes[n].get("name", n), "kind": kind, "x": x, "y": y,
                          "labelled": n in to_label, "label_at": placement.get(n, ("", 0))[0],
                          "muted": is_muted})
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.autoscale_view()
    return {"nodes": pd.DataFrame(node_rows, columns=["actor_id", "name", "kind", "x", "y", "labelled", "label_at",
                                                      "muted"]),
            "edges": pd.DataFrame(edge_rows, columns=["edge_id", "subject_id", "relation", "object_id", "family", "rad",
                                                      "labelled"])}


def add_legend(ax, kinds: Iterable[str] = (), families: Iterable[str] = (), loc: str = "lower left",
               **kwargs) -> list[str]:
    """A legend of actor kinds (dots) and relation families (line styles); returns its entries."""
    handles, entries = [], []
    for kind in sorted(set(kinds)):
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=6, markeredgecolor="white",
                              markerfacecolor=KIND_COLOURS.get(kind, KIND_COLOURS["unknown"])))
        entries.append(kind.replace("_", " "))
    for family in [f for f in FAMILY_STYLES if f in set(families)]:
        handles.append(Line2D([], [], **FAMILY_STYLES[family], linewidth=1.2))
        entries.append(family)
    ax.legend(handles, entries, loc=loc, fontsize=7, frameon=False, **kwargs)
    return entries


def draw_snapshots(axes, G: nx.Graph, pos: dict, dates: Iterable[str], labels: dict[str, str] | None = None,
                   label_min_degree: int = 3, font_size: float = 5.5) -> pd.DataFrame:
    """One panel per date: the edges of :func:`proxylens.network.graph_as_of` at that date, on the
    same positions and in the same window (the box around every actor active at one of the dates);
    actors in that window with no relation at a date are drawn as small grey context dots, and
    actors with at least ``label_min_degree`` neighbours in the snapshot are labelled.

    Returns the drawn edges of every panel with a ``date`` column.
    """
    dates = list(dates)
    snapshots = {when: network.graph_as_of(G, when) for when in dates}
    active = {when: {n for n, d in network.simple_projection(H).degree() if d > 0} for when, H in snapshots.items()}
    # every panel shows the same window: the box around the actors active at any of the dates
    shown = set().union(*active.values()) or set(G)
    xs, ys = [pos[n][0] for n in shown], [pos[n][1] for n in shown]
    margin = 0.08
    window = (min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin)
    in_window = {n for n in G if window[0] <= pos[n][0] <= window[1] and window[2] <= pos[n][1] <= window[3]}
    frames = []
    for ax, when in zip(axes, dates, strict=True):
        H = network.induced_subgraph(snapshots[when], in_window)
        P = network.simple_projection(H)
        drawn = draw_graph(ax, H, pos, labels=labels, muted=set(H) - active[when], node_size=30,
                           font_size=font_size,
                           label_nodes=[n for n in active[when] if P.degree(n) >= label_min_degree])
        ax.set_xlim(window[0], window[1])
        ax.set_ylim(window[2], window[3])
        ax.set_title(f"{when}: {snapshots[when].number_of_edges()} relations", fontsize=font_size + 4)
        frames.append(drawn["edges"].assign(date=when))
    cols = ["date", "edge_id", "subject_id", "relation", "object_id", "family", "rad"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


# ---------------------------------------------------------------- tables beside the figures


def evidence_of(quote: str, reference: str, source_id: str) -> str:
    """What an edge rests on, for a reader: the seed quote (with its document) and/or the reference."""
    parts = []
    if quote:
        parts.append(f"[{short_id(source_id)}] “{' '.join(quote.split())}”")
    if reference:
        parts.append(f"ref: {reference}")
    return " | ".join(parts)


def edge_table(G: nx.Graph) -> pd.DataFrame:
    """The edges of a typed graph as a reader's table, indexed and sorted by edge id (the
    ``relation_id``): who, what, whom, when, status and the evidence (the exact seed quote and/or
    the external reference)."""
    rows = [{
        "id": k,
        "subject": G.nodes[u].get("name", u),
        "relation": d.get("relation", ""),
        "object": G.nodes[v].get("name", v),
        "start": d.get("start", ""),
        "end": d.get("end", ""),
        "status": d.get("status", ""),
        "evidence": evidence_of(d.get("quote", ""), d.get("reference", ""), d.get("source_id", "")),
    } for u, v, k, d in G.edges(keys=True, data=True)]
    cols = ["id", "subject", "relation", "object", "start", "end", "status", "evidence"]
    return pd.DataFrame(rows, columns=cols).sort_values("id", kind="stable").set_index("id")


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


def snapshot_edges(G: nx.Graph, dates: Iterable[str]) -> pd.DataFrame:
    """:func:`edge_table` of each snapshot of ``G``, stacked, indexed by ``date`` and edge ``id``."""
    frames = [edge_table(network.graph_as_of(G, when)).reset_index().assign(date=when) for when in dates]
    df = pd.concat(frames, ignore_index=True)
    return df.set_index(["date", "id"])


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


def _cluster_offsets(points: pd.DataFrame, days: int = 366, step: float = 0.3) -> pd.Series:
    """Vertical offsets that keep a target's listings apart when they fall within ``days`` of each
    other (they would overlap at the plot's scale): each such cluster is spread around its row."""
    offsets = pd.Series(0.0, index=points.index)
    for _, group in points.sort_values(["earliest", "designation_id"], kind="stable").groupby("target", sort=False):
        clusters: list[list] = []
        for i, r in group.iterrows():
            day = pd.Timestamp(r["earliest"])
            if clusters and (day - clusters[-1][0]).days <= days:
                clusters[-1][1].append(i)
            else:
                clusters.append([day, [i]])
        for _, members in clusters:
            for j, i in enumerate(members):
                offsets[i] = round(step * (j - (len(members) - 1) / 2), 3)
    return offsets


def draw_designations(ax, points: pd.DataFrame) -> pd.DataFrame:
    """Dated dot plot: one row per target (ordered by its first listing), x = date, colour =
    authority, marker = programme family; imprecise dates are drawn as a bar over their range with
    a hollow marker. Listings of one target close in time are spread a little vertically.

    Returns the plotted points with ``y`` (row) and ``x`` (the date drawn, mid-range for an
    imprecise one) columns added.
    """
    import matplotlib.dates as mdates

    targets = list(dict.fromkeys(points.sort_values(["earliest", "target"], kind="stable")["target"]))
    row_of = {t: i for i, t in enumerate(targets)}
    authorities = sorted(set(points["authority"]))
    colour_of = {a: AUTHORITY_COLOURS[i % len(AUTHORITY_COLOURS)] for i, a in enumerate(authorities)}
    plotted = []
    offsets = _cluster_offsets(points)
    for i, r in points.iterrows():
        first, last = pd.Timestamp(r["earliest"]), pd.Timestamp(r["latest"])
        mid = first + (last - first) / 2
        y = row_of[r["target"]] + offsets[i]
        colour = colour_of[r["authority"]]
        precise = r["earliest"] == r["latest"]
        if not precise:
            ax.plot([first, last], [y, y], color=colour, linewidth=5, alpha=0.3, solid_capstyle="butt")
        ax.scatter([mid], [y], marker=PROGRAMME_MARKERS[r["family"]], s=22, zorder=3, linewidths=1,
                   facecolors=colour if precise else "white", edgecolors=colour)
        plotted.append({**r.to_dict(), "y": y, "x": mid.date().isoformat()})
    ax.set_yticks(range(len(targets)), targets, fontsize=8)
    ax.set_ylim(len(targets) - 0.5, -0.5)
    ax.xaxis.set_major_locator(mdates.YearLocator(5))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="x", color="#eeeeee")
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Line2D([], [], marker="o", linestyle="", color=colour_of[a], markersize=5) for a in authorities]
    families = [f for f in PROGRAMME_MARKERS if f in set(points["family"])]
    handles += [Line2D([], [], marker=PROGRAMME_MARKERS[f], linestyle="", color="#555555", markersize=5)
                for f in families]
    # the lower left is empty: few targets were listed early and late ones sit at the bottom right
    ax.legend(handles, [*authorities, *families], fontsize=7.5, frameon=False, loc="lower left")
    return pd.DataFrame(plotted)


# ---------------------------------------------------------------- typed relations vs co-occurrence


def edge_set_comparison(typed: nx.Graph, cooccurrence: nx.Graph) -> pd.DataFrame:
    """Every pair of actors linked in the typed graph, the co-occurrence graph or both.

    Columns: ``actor_a, actor_b`` (sorted ids), ``name_a, name_b``, ``relations`` (the typed
    relation types between them, ``", "``-joined), ``seed_quoted`` (True if at least one typed
    relation between them quotes a seed), ``sentences`` (co-occurrence weight, 0 if none),
    ``documents`` (co-occurrence documents, short ids) and ``found_by`` (``both``,
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
            "documents": ", ".join(short_id(s) for s in c["documents"]) if c else "",
            "found_by": "both" if t and c else "typed only" if t else "co-occurrence only",
        })
    cols = ["actor_a", "actor_b", "name_a", "name_b", "relations", "seed_quoted", "sentences", "documents",
            "found_by"]
    df = pd.DataFrame(rows, columns=cols)
    order = {"both": 0, "typed only": 1, "co-occurrence only": 2}
    df = df.assign(_o=df["found_by"].map(order))
    df = df.sort_values(["_o", "sentences", "actor_a", "actor_b"], ascending=[True, False, True, True], kind="stable")
    return df.drop(columns="_o").reset_index(drop=True)


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
                     "doc": short_id(sid.split(":")[0]),
                     "first sentence": text if len(text) <= width else text[:width - 1] + "…"})
    return pd.DataFrame(rows, columns=["pair", "sentences", "doc", "first sentence"]).set_index("pair")


# ---------------------------------------------------------------- centrality


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
    full = network.centrality_table(G)
    seeds = network.centrality_table(quoted_subgraph(G))
    for table in (full, seeds):
        # competition ranking: tied actors share the best rank, so ties are not ordered by id
        table["rank"] = table["betweenness"].rank(method="min", ascending=False).astype(int)
    merged = full.head(top).merge(seeds[["actor_id", "degree", "betweenness", "rank"]], on="actor_id",
                                  suffixes=("", " (seeds)"))
    return merged.set_index("name")[["kind", "degree", "betweenness", "rank", "degree (seeds)",
                                     "betweenness (seeds)", "rank (seeds)", "actor_id"]]


def draw_centrality(ax, table: pd.DataFrame) -> pd.DataFrame:
    """Horizontal bars of betweenness (full graph) with a hollow marker for the seeds-only value,
    coloured by kind; returns the plotted rows (``name, kind, betweenness, betweenness (seeds)``)."""
    data = table.reset_index()[["actor_id", "name", "kind", "betweenness", "betweenness (seeds)"]]
    ys = range(len(data))
    ax.barh(list(ys), data["betweenness"], color=[KIND_COLOURS.get(k, KIND_COLOURS["unknown"]) for k in data["kind"]],
            height=0.6, label="all relations")
    ax.scatter(data["betweenness (seeds)"], list(ys), marker="o", facecolors="white", edgecolors="black", s=22,
               zorder=3, label="relations quoted from the seeds")
    ax.set_yticks(list(ys), data["name"], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("betweenness (normalised)")
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Line2D([], [], color="#888888", linewidth=6),
               Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="black")]
    ax.legend(handles, ["all relations (bar, coloured by kind)", "relations quoted from the seeds only"],
              fontsize=7, frameon=False, loc="lower right")
    return data


def community_table(G: nx.Graph, seed: int = 42) -> pd.DataFrame:
    """:func:`proxylens.network.communities` as a table: community number (1 = largest), size, members' names."""
    rows = [{"community": i, "size": len(members),
             "members": ", ".join(G.nodes[m].get("name", m) for m in members)}
            for i, members in enumerate(network.communities(G, seed=seed), start=1)]
    return pd.DataFrame(rows, columns=["community", "size", "members"]).set_index("community")
