"""Every figure of the book: one function per kind of drawing.

Each function draws on matplotlib and returns the data it drew (a table, or the figure whose data
a test can check), so ``tests/`` can check what a figure shows; nbval ignores the images
themselves. Layouts use a fixed seed and are rounded, so every figure is the same on every run.
Text is at least 9 pt at the size the book shows a figure, and figures are saved at 200 dpi
(the project's IPython profile sets the inline backend), so labels stay legible on a phone.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from datetime import date
from math import cos, pi, sin, sqrt

import networkx as nx
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from proxylens import network
from proxylens.chronology import BASES, LANES, marks
from proxylens.corpus import doc_label
from proxylens.evaluation import TASK_TITLES, TASKS
from proxylens.evaluation.budgets import scaling_table
from proxylens.report import source_label

# The smallest text any figure prints, in points: the book shows figures at their natural width
# on a wide screen, so 9 pt there stays readable when a phone scales the image down by about half.
MIN_FONT = 9


def book_style() -> dict:
    """Set the book's figure defaults (200 dpi, text of :data:`MIN_FONT` points or more) for the
    figures that follow; call it once per notebook after importing pyplot. Returns the settings."""
    import matplotlib.pyplot as plt

    settings = {"figure.dpi": 200, "savefig.dpi": 200, "font.size": MIN_FONT + 1, "axes.titlesize": MIN_FONT + 2,
                "axes.labelsize": MIN_FONT + 1, "xtick.labelsize": MIN_FONT, "ytick.labelsize": MIN_FONT,
                "legend.fontsize": MIN_FONT, "figure.titlesize": MIN_FONT + 3}
    plt.rcParams.update(settings)
    return settings


# ---------------------------------------------------------------- generic charts


def stacked_bars(ax, table: pd.DataFrame, xlabel: str, ylabel: str = "", colours=None, title: str = "",
                 legend_outside: bool = True):
    """Horizontal stacked bars, one per row of ``table`` (top to bottom in table order), one
    segment per column; zero columns drop out of the legend. Returns the table drawn."""
    drawn = table.loc[:, (table != 0).any(axis=0)]
    kwargs = {"color": list(colours)[: drawn.shape[1]]} if colours is not None else {"colormap": "tab10"}
    if isinstance(colours, dict):
        kwargs = {"color": [colours[c] for c in drawn.columns]}
    drawn.plot.barh(stacked=True, ax=ax, width=0.7, **kwargs)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, loc="left", fontsize=MIN_FONT + 2, fontweight="bold")
    if legend_outside:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=MIN_FONT, frameon=False)
    else:
        ax.legend(loc="lower right", fontsize=MIN_FONT, frameon=False)
    ax.tick_params(labelsize=MIN_FONT)
    ax.spines[["top", "right"]].set_visible(False)
    return drawn


def count_grid(ax, table: pd.DataFrame, cmap: str = "Blues", title: str = "", fontsize: float = MIN_FONT):
    """Draw ``table`` (counts) as a grid of shaded cells, each labelled with its value (blank for
    zero), rows top to bottom in table order, columns labelled on top. Returns ``ax``."""
    values = table.to_numpy(dtype=float)
    ax.imshow(values, cmap=cmap, aspect="auto", vmin=0, vmax=max(values.max(), 1))
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], fontsize=fontsize)
    ax.set_yticks(range(table.shape[0]), [str(i) for i in table.index], fontsize=fontsize)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    threshold = values.max() / 2
    for (i, j), v in sorted(pd.DataFrame(values).stack().items()):
        if v:
            ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=fontsize,
                    color="white" if v > threshold else "black")
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, loc="left", fontsize=MIN_FONT + 2, fontweight="bold", pad=24)
    return ax


def ach_grid(ax, matrix: pd.DataFrame, hypotheses: list[str], values: dict, title: str = ""):
    """The competing-hypotheses matrix: one row per evidence item, one column per hypothesis,
    cells coloured from very inconsistent (red) to very consistent (blue) and labelled with their
    code. Returns the numeric grid drawn."""
    cells = matrix[hypotheses].apply(lambda col: col.map(values)).astype(float).fillna(0)
    ax.imshow(cells.to_numpy(dtype=float), cmap="RdBu", vmin=-2.5, vmax=2.5, aspect="auto")
    for i, eid in enumerate(matrix.index):
        for j, h in enumerate(hypotheses):
            ax.text(j, i, matrix.loc[eid, h], ha="center", va="center", fontsize=MIN_FONT)
    ax.set_xticks(range(len(hypotheses)), hypotheses, fontsize=MIN_FONT)
    ax.set_yticks(range(len(matrix)), matrix.index, fontsize=MIN_FONT)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    if title:
        ax.set_title(title, loc="left", fontsize=MIN_FONT + 2, fontweight="bold", pad=24)
    return cells


# ---------------------------------------------------------------- from report/network.py

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


def wrapped_names(actors: pd.DataFrame, width: int = 18) -> dict[str, str]:
    """A label per actor: its full name (abbreviations expanded, as the registry spells it),
    wrapped at ``width`` characters per line so that labels stay narrow."""
    return {r["actor_id"]: textwrap.fill(r["name"], width) for _, r in actors.iterrows()}


def top_by_degree(G: nx.Graph, n: int) -> list[str]:
    """The ``n`` actors with the most distinct neighbours (ties by id): the ones worth labelling."""
    degree = dict(network.simple_projection(G).degree())
    return sorted(sorted(degree, key=lambda v: (-degree[v], v))[:n])


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
            ax.text(mx, my, d.get("relation", "").replace("_", " "), fontsize=max(font_size - 1, MIN_FONT), color=style["color"],
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
    ax.legend(handles, entries, loc=loc, fontsize=MIN_FONT, frameon=False, **kwargs)
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
        ax.set_title(f"{when}: {snapshots[when].number_of_edges()} relations", fontsize=font_size + 2)
        frames.append(drawn["edges"].assign(date=when))
    cols = ["date", "edge_id", "subject_id", "relation", "object_id", "family", "rad"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


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
    ax.set_yticks(range(len(targets)), targets, fontsize=MIN_FONT)
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
    ax.legend(handles, [*authorities, *families], fontsize=MIN_FONT, frameon=False, loc="lower left")
    return pd.DataFrame(plotted)


def draw_centrality(ax, table: pd.DataFrame) -> pd.DataFrame:
    """Horizontal bars of betweenness (full graph) with a hollow marker for the seeds-only value,
    coloured by kind; returns the plotted rows (``name, kind, betweenness, betweenness (seeds)``)."""
    data = table.reset_index()[["actor_id", "name", "kind", "betweenness", "betweenness (seeds)"]]
    ys = range(len(data))
    ax.barh(list(ys), data["betweenness"], color=[KIND_COLOURS.get(k, KIND_COLOURS["unknown"]) for k in data["kind"]],
            height=0.6, label="all relations")
    ax.scatter(data["betweenness (seeds)"], list(ys), marker="o", facecolors="white", edgecolors="black", s=22,
               zorder=3, label="relations quoted from the seeds")
    ax.set_yticks(list(ys), data["name"], fontsize=MIN_FONT)
    ax.invert_yaxis()
    ax.set_xlabel("betweenness (normalised)")
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Line2D([], [], color="#888888", linewidth=6),
               Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="black")]
    ax.legend(handles, ["all relations (bar, coloured by kind)", "relations quoted from the seeds only"],
              fontsize=MIN_FONT, frameon=False, loc="lower right")
    return data



# ---------------------------------------------------------------- from report/timeline.py

BASIS_STYLE = {  # colour-blind-safe colours (Okabe-Ito) per date basis (the marker is kept for the legend)
    "explicit": ("#0072B2", "o"),
    "relative": ("#E69F00", "s"),
    "external": ("#555555", "^"),
}
# One marker per source document, in id order, so every mark says which document reports it.
SOURCE_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")



def split_date(earliest: Iterable[date], share: float = 0.2) -> date:
    """Where a broken time axis breaks: the start of the quarter before the day by which ``share``
    of the marks have begun. Older background (a few marks spread over decades) goes to a narrow
    left panel, and the dense recent period gets the width."""
    days = sorted(earliest)
    day = days[min(int(len(days) * share), len(days) - 1)]
    quarter = (day.month - 1) // 3 * 3 + 1
    return date(day.year - 1, 10, 1) if quarter == 1 else date(day.year, quarter - 3, 1)


PUBLICATION = "#D55E00"  # colour of publication dates


def _broken_axes(plt, figsize, split: date, left_from: date, right_to: date):
    """Two axes sharing y: the years before ``split`` squeezed on the left, the rest on the right."""
    fig, (left, right) = plt.subplots(1, 2, sharey=True, figsize=figsize, gridspec_kw={"width_ratios": [1, 3.2]})
    left.set_xlim(left_from, split)
    right.set_xlim(split, right_to)
    left.spines[["right", "top"]].set_visible(False)
    right.spines[["left", "top", "right"]].set_visible(False)
    right.tick_params(axis="y", length=0)
    kw = {"transform": fig.transFigure, "color": "0.3", "clip_on": False, "lw": 0.8}
    for ax in (left, right):
        ax.grid(axis="x", color="0.9", lw=0.6)
        ax.set_axisbelow(True)
    fig.subplots_adjust(wspace=0.04)
    # the break: two short slashes on the x axis between the panels
    x = (left.get_position().x1 + right.get_position().x0) / 2
    y = left.get_position().y0
    for dx in (-0.004, 0.004):
        fig.lines.append(plt.Line2D([x + dx - 0.004, x + dx + 0.004], [y - 0.012, y + 0.012], **kw))
    return fig, left, right


def _side(day: date, split: date, left, right):
    """The axis of a broken pair that shows ``day``: a marker drawn on the other would peek over the edge."""
    return left if day < split else right


def plot_chronology(data: pd.DataFrame, key_labels: dict[str, str] | None = None, split: date | None = None,
                    figsize=(10, 7.5), title: str = ""):
    """Draw :func:`proxylens.report.timeline.chronology_data`: a point for an event dated to a day,
    a bar over every day a coarser date allows (month, year, interval), colour by the basis of the
    date, marker by the source document. Events in ``key_labels`` (``{event_id: label}``) are
    labelled; the rest are in the chapter's event table.

    Returns the figure; ``fig.labelled`` lists the event ids labelled, ``fig.split`` the break.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    key_labels = key_labels or {}
    split = split or split_date(data["earliest"])
    sources = sorted(set(data["source_id"]))
    marker_of = {s: SOURCE_MARKERS[i % len(SOURCE_MARKERS)] for i, s in enumerate(sources)}
    first, last = min(data["earliest"]), max(data["latest"])
    right_to = date(last.year, 12, 31) if last.month > 6 else date(last.year, 7, 1)  # half a year of margin at most
    fig, left, right = _broken_axes(plt, figsize, split, date(first.year - 2, 1, 1), right_to)
    right.patch.set_alpha(0)  # a label on the left panel may run on over the break
    labelled = []
    for _, r in data.iterrows():
        colour, _ = BASIS_STYLE.get(r["date_basis"], ("#999999", "o"))
        marker = marker_of[r["source_id"]]
        mid = r["earliest"] + (r["latest"] - r["earliest"]) / 2
        if r["kind"] == "bar":
            for ax in (left, right):  # a bar may cross the break; each axis clips to its own years
                ax.plot([r["earliest"], r["latest"]], [r["y"]] * 2, color=colour, lw=5, solid_capstyle="butt",
                        alpha=0.45)
            for end in (r["earliest"], r["latest"]):
                _side(end, split, left, right).plot([end], [r["y"]], color=colour, lw=0, marker="|", ms=7)
            _side(mid, split, left, right).plot([mid], [r["y"]], color=colour, marker=marker, ms=6, lw=0,
                                               mfc="white", mew=1.2)
        elif r["kind"] == "open":
            _side(r["earliest"], split, left, right).plot(
                [r["earliest"]], [r["y"]], color=colour, ms=7, marker=">" if r["open_side"] == "after" else "<")
        else:
            _side(r["earliest"], split, left, right).plot([r["earliest"]], [r["y"]], color=colour, marker=marker,
                                                          ms=7, mec="white", mew=0.5, lw=0)
        if r["event_id"] in key_labels:
            ax = _side(mid, split, left, right)
            # labels run to the right of a mark, or to its left near the right edge of the axis
            near_end = ax is right and (right_to - mid).days < 550
            ax.annotate(key_labels[r["event_id"]], (mid, r["y"]), xytext=(-8 if near_end else 8, 0),
                        textcoords="offset points", ha="right" if near_end else "left", va="center",
                        fontsize=MIN_FONT, zorder=5, annotation_clip=False,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
            labelled.append(r["event_id"])
    ticks = data.groupby("lane")["y"].agg(["max", "min"]).reindex([lane for lane in LANES if lane in set(data["lane"])])
    left.set_yticks([(a + b) / 2 for a, b in zip(ticks["max"], ticks["min"])],
                    [textwrap.fill(lane, 12) for lane in ticks.index])
    for a in ticks["min"].iloc[:-1]:
        for ax in (left, right):
            ax.axhline(a - 1, color="0.8", lw=0.6)
    left.set_ylim(data["y"].min() - 0.8, 0.8)
    left.xaxis.set_major_locator(mdates.YearLocator(20, month=1, day=1))
    left.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    right.xaxis.set_major_locator(mdates.YearLocator(1, month=1, day=1))
    right.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    right.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
    handles = [Line2D([], [], color=BASIS_STYLE[b][0], lw=5, alpha=0.7, label=f"{b} date") for b in BASES]
    handles.append(Line2D([], [], color="0.4", lw=5, alpha=0.45, label="bar: every day the date allows"))
    handles += [Line2D([], [], color="0.3", marker=marker_of[s], lw=0, label=source_label(s)) for s in sources]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.05), fontsize=MIN_FONT, frameon=False,
               ncol=4)
    if title:
        fig.suptitle(title, x=0.02, ha="left", fontweight="bold")
    fig.labelled = labelled
    fig.split = split
    return fig


def plot_source_coverage(coverage: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame,
                         split: date | None = None, figsize=(9, 3.2), title: str = ""):
    """Draw :func:`proxylens.chronology.source_coverage`: per source, its events' days (ticks), their span and its publication."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    m = marks(events)
    split = split or split_date(m["earliest"])
    docs = list(coverage.index)
    first = min(coverage["first"].dropna())
    last = max(d for d in [*coverage["last"].dropna(), *coverage["published_latest"].dropna()])
    fig, left, right = _broken_axes(plt, figsize, split, date(first.year - 2, 1, 1), date(last.year, 7, 1))
    for y, doc in enumerate(docs):
        c = coverage.loc[doc]
        mine = m[m["source_id"].map(doc_label) == doc]
        for ax in (left, right):  # a span may cross the break; each axis clips to its own years
            ax.plot([c["first"], c["last"]], [y, y], color="0.75", lw=1.2, zorder=1)
        for day in mine["earliest"]:
            _side(day, split, left, right).plot([day], [y], color="0.25", lw=0, marker="|", ms=9, zorder=2)
        if c["published_earliest"] is None:
            continue
        if c["published_latest"] is None:  # open end: an arrow from the earliest possible day
            _side(c["published_earliest"], split, left, right).plot(
                [c["published_earliest"]], [y], color=PUBLICATION, lw=0, marker=">", ms=8, zorder=3)
            continue
        for ax in (left, right):  # the window of possible publication days; the edge keeps a day visible
            ax.add_patch(Rectangle((mdates.date2num(c["published_earliest"]), y - 0.28),
                                   mdates.date2num(c["published_latest"]) - mdates.date2num(c["published_earliest"]) + 1,
                                   0.56, facecolor=PUBLICATION, edgecolor=PUBLICATION, lw=1.2, zorder=3))
    left.set_yticks(range(len(docs)), [source_label(d) for d in docs])
    left.set_ylim(len(docs) - 0.5, -0.5)
    left.xaxis.set_major_locator(mdates.YearLocator(20, month=1, day=1))
    left.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    right.xaxis.set_major_locator(mdates.YearLocator(1, month=1, day=1))
    right.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles = [Line2D([], [], color="0.25", marker="|", lw=0, ms=9, label="event (earliest day)"),
               Patch(facecolor=PUBLICATION, label="publication window"),
               Line2D([], [], color=PUBLICATION, marker=">", lw=0, ms=8, label="publication, open end")]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.02), fontsize=MIN_FONT, frameon=False,
               ncol=len(handles))
    if title:
        fig.suptitle(title, x=0.02, ha="left", fontweight="bold")
    return fig



# ---------------------------------------------------------------- from report/claims.py




# ---------------------------------------------------------------- from proxylens.evaluation

def plot_summary(data: pd.DataFrame, figsize=(8, 6.5)):
    """Three panels (one per task) of horizontal bars, seeds against unseen, with interval whiskers.

    ``data`` is :func:`proxylens.evaluation.corpus.figure_data`'s table (stored as the evaluation's
    ``score_intervals``).
    """
    import matplotlib.pyplot as plt

    metrics = {t: list(dict.fromkeys(data.loc[data["task"] == t, "metric"])) for t in TASKS}
    fig, axes = plt.subplots(len(TASKS), 1, figsize=figsize, sharex=True,
                             gridspec_kw={"height_ratios": [len(metrics[t]) for t in TASKS]})
    colours = {"seeds": "#4c72b0", "unseen": "#dd8452"}
    for ax, task in zip(axes, TASKS):
        ys = {m: i for i, m in enumerate(metrics[task])}
        for offset, corpus in ((-0.2, "seeds"), (0.2, "unseen")):
            part = data[(data["task"] == task) & (data["corpus"] == corpus)]
            y = [ys[m] + offset for m in part["metric"]]
            err = [(part["value"] - part["low"]).fillna(0).clip(lower=0),
                   (part["high"] - part["value"]).fillna(0).clip(lower=0)]
            ax.barh(y, part["value"], height=0.38, color=colours[corpus], label=corpus,
                    xerr=err, error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#333333"})
        ax.set_yticks(range(len(ys)), list(ys))
        ax.invert_yaxis()
        ax.set_title(TASK_TITLES[task], loc="left", fontsize=MIN_FONT + 1)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlim(0, 1)
    axes[0].legend(loc="lower right", fontsize=MIN_FONT, frameon=False, ncols=2, bbox_to_anchor=(1, 1.0))
    axes[-1].set_xlabel("share of items right (whiskers: 95 % Wilson interval)")
    fig.tight_layout()
    return fig


def plot_scaling(bench: pd.DataFrame | None, figsize=(8, 3)):
    """Wall time and peak memory of the scaling run against corpus size (log scale); a note when not run."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=figsize)
    table = scaling_table(bench) if bench is not None else None
    if table is None or table.empty:
        for ax in (left, right):
            ax.text(0.5, 0.5, "benchmark not run in this build", ha="center", va="center", fontsize=MIN_FONT)
            ax.set_axis_off()
        return fig
    for ax, column, label in ((left, "seconds", "wall time (s, log scale)"), (right, "peak_rss_mib", "peak memory (MiB)")):
        ax.plot(table["documents"], table[column], marker="o", color="#4c72b0")
        ax.set_xscale("log", base=2)
        ax.set_xticks(table["documents"], [str(d) for d in table["documents"]])
        ax.minorticks_off()
        ax.set_xlabel("documents (copies of the seeds)")
        ax.set_ylabel(label)
        ax.spines[["top", "right"]].set_visible(False)
    # time on log-log axes: a straight line of slope one is time growing in proportion to the corpus
    left.set_yscale("log", base=2)
    low, high = float(table["seconds"].min()), float(table["seconds"].max())
    ticks = [2.0 ** k for k in range(math.floor(math.log2(low)), math.ceil(math.log2(high)) + 1)]
    left.set_yticks(ticks, [f"{t:g}" for t in ticks])
    left.minorticks_off()
    right.set_ylim(0, float(table["peak_rss_mib"].max()) * 1.15)
    fig.tight_layout()
    return fig


