"""Data and assets for the book's two interactive explorers (``book/explore/``).

* The **network explorer** draws the typed relations graph with vis-network (shipped by pyvis
  0.3.2, copied into ``book/_static/explore/`` with its licence). :func:`network_data` turns the
  curated relations into nodes (coloured by kind, placed by a seeded layout, linked to their
  profile) and edges (coloured by relation family, dashed by status, each with its quote or
  reference, status, dates and the earliest/latest day those dates allow, so the page's as-of
  control needs no date parsing). :func:`network_svg` draws the same graph as a static SVG, the
  fallback for readers without scripts.
* The **timeline explorer** is the project's own small script: :func:`timeline_data` gives each
  dated event its mark (a point for a day, a bar from earliest to latest day for a month, a year
  or an interval, :mod:`proxylens.chronology`), its date as the evidence gives it, its source and
  quote.

:func:`write_explorer_assets` writes the data files and copies the library; ``make data`` calls it
through :mod:`proxylens.derive`, and a drift test proves the committed files current. Every
output is byte-identical on every run. Text reaches the page only through the scripts'
``textContent``, never as markup.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path, PurePosixPath

import networkx as nx
import pandas as pd

from proxylens import chronology, tables
from proxylens.edtf import parse_edtf
from proxylens.network import relation_family, relations_graph, simple_projection
from proxylens.paths import repo_root
from proxylens.profiles import (
    KIND_LABELS,
    NO_PROFILE_KINDS,
    date_range,
    document_label,
    load_tables,
    profiled_actor_ids,
)

STATIC_DIR = PurePosixPath("book/_static/explore")
PAGES_DIR = PurePosixPath("book/explore")
NETWORK_DATA = "network-data.js"
TIMELINE_DATA = "timeline-data.js"
NETWORK_SVG = "network-static.svg"
LAYOUT_SEED = 11

# vis-network 9.1.2 as pyvis 0.3.2 ships it; the sha256 pins the exact files the book serves.
VIS_DIR = PurePosixPath("templates/lib/vis-9.1.2")
VIS_FILES = {"vis-network.min.js": "1f20f0736f32cb9bedf8f6383b25cfea2f839e1abe80d6e8040b4d5bea378c69"}
VIS_LICENSE = "vis-network-LICENSE.txt"
MIT_TEXT = """\
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""

# Same colours as the book's static network figures (one per actor kind, one per relation family).
KIND_COLOURS = {
    "person": "#1f77b4", "armed_group": "#d62728", "state": "#2ca02c", "state_agency": "#9467bd",
    "government_body": "#8c564b", "coalition": "#ff7f0e", "party": "#e377c2", "media": "#17becf",
    "igo": "#bcbd22", "unknown": "#7f7f7f",
}
FAMILY_COLOURS = {
    "organisation": "#444444", "support": "#2ca02c", "designation & legal": "#1f4e9e",
    "hostility": "#c0392b", "other": "#999999",
}
# Status is drawn as the line pattern (vis-network dash arrays; false = solid).
STATUS_DASHES = {"corroborated": False, "reported": [8, 5], "contested": [2, 5]}


def _day(value: str, side: str) -> str:
    """The earliest (``side="earliest"``) or latest day an EDTF value allows, ISO; ``""`` when empty or open."""
    if not value:
        return ""
    parsed = parse_edtf(value)
    day = getattr(parsed, side)
    return "" if day.year in (1, 9999) else day.isoformat()


def _sorted_subgraph(P: nx.Graph, nodes: list[str]) -> nx.Graph:
    """A copy of ``P`` on ``nodes`` with nodes and edges in sorted order. (A subgraph view iterates
    its node set, whose order changes with Python's string hashing, and layouts depend on order.)"""
    keep = set(nodes)
    H = nx.Graph()
    H.add_nodes_from(sorted(keep))
    H.add_edges_from(sorted(tuple(sorted((u, v))) for u, v in P.edges() if u in keep and v in keep))
    return H


def layout(G: nx.Graph, seed: int = LAYOUT_SEED) -> dict[str, tuple[int, int]]:
    """Integer positions for every node, about 1,600 by 1,300 units.

    The largest connected part of the simple projection is laid out by Kamada-Kawai (path
    lengths become distances, which spreads a hub-and-spoke network evenly); each smaller part
    is a seeded spring layout set in a row beneath it, so no part is flung to the edge of the
    view. Same graph and seed, same positions.
    """
    P = simple_projection(G)
    parts = sorted((sorted(c) for c in nx.connected_components(P)), key=lambda c: (-len(c), c[0]))
    pos: dict[str, tuple[int, int]] = {}
    if not parts:
        return pos
    main = _sorted_subgraph(P, parts[0])
    main_pos = nx.kamada_kawai_layout(main) if len(main) > 2 else nx.spring_layout(main, seed=seed)
    for n, (x, y) in main_pos.items():
        pos[n] = (round(float(x) * 800), round(float(y) * 600))
    width = 1600 / max(len(parts) - 1, 1)
    for i, part in enumerate(parts[1:]):
        sub = nx.spring_layout(_sorted_subgraph(P, part), seed=seed, scale=min(width / 3, 120))
        cx = -800 + width * (i + 0.5) if len(parts) > 2 else 0
        for n, (x, y) in sub.items():
            pos[n] = (round(cx + float(x)), round(700 + float(y)))
    return dict(sorted(pos.items()))


def network_data(t=None) -> dict:
    """The typed relations graph as the network explorer reads it.

    Returns ``{"nodes": [...], "edges": [...], "kinds": {...}, "families": {...}, "years": [first, last]}``.
    A node has ``id, label, kind, kind_label, country, color, x, y, profile`` (the profile page's
    file name, or ``""`` when the actor has none). An edge has ``id`` (the relation id), ``from``,
    ``to``, ``relation``, ``family``, ``status``, ``start``, ``end``, ``dates`` (for a reader),
    ``earliest`` (first day the start allows, ``""`` when undated), ``latest_end`` (last day the end
    allows, ``""`` when no end), ``quote``, ``document``, ``reference``, ``note`` (the curator's),
    ``color`` and ``dashes``.
    Umbrella labels (kind ``label``) are left out with their edges.
    """
    t = load_tables() if t is None else t
    kinds = dict(zip(t.actors["actor_id"], t.actors["kind"], strict=True))
    keep = t.relations[~t.relations["subject_id"].map(kinds).isin(NO_PROFILE_KINDS)
                       & ~t.relations["object_id"].map(kinds).isin(NO_PROFILE_KINDS)]
    G = relations_graph(keep, t.actors)
    pos = layout(G)
    profiled = set(profiled_actor_ids(t))
    nodes = [{
        "id": n, "label": d.get("name", n), "kind": d.get("kind", "unknown"),
        "kind_label": KIND_LABELS.get(d.get("kind", ""), d.get("kind", "unknown")), "country": d.get("country", ""),
        "color": KIND_COLOURS.get(d.get("kind", ""), KIND_COLOURS["unknown"]), "x": pos[n][0], "y": pos[n][1],
        "profile": f"{n}.html" if n in profiled else "",
    } for n, d in sorted(G.nodes(data=True))]
    edges = []
    for u, v, key, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        family = relation_family(d["relation"])
        edges.append({
            "id": key, "from": u, "to": v, "relation": d["relation"], "family": family, "status": d["status"],
            "start": d["start"], "end": d["end"], "dates": date_range(d["start"], d["end"]),
            "earliest": _day(d["start"], "earliest"), "latest_end": _day(d["end"], "latest"),
            "quote": d["quote"], "document": document_label(d["source_id"], t.sources) if d["source_id"] else "",
            "reference": d["reference"], "note": d.get("note", ""), "color": FAMILY_COLOURS[family],
            "dashes": STATUS_DASHES.get(d["status"], [1, 3]),
        })
    years = sorted({int(e[k][:4]) for e in edges for k in ("earliest", "latest_end") if e[k]})
    used_kinds = sorted({n["kind"] for n in nodes})
    return {
        "nodes": nodes, "edges": edges,
        "kinds": {k: {"label": KIND_LABELS.get(k, k), "color": KIND_COLOURS.get(k, KIND_COLOURS["unknown"])}
                  for k in used_kinds},
        "families": {f: FAMILY_COLOURS[f] for f in FAMILY_COLOURS if any(e["family"] == f for e in edges)},
        "relations": sorted({e["relation"] for e in edges}),
        "statuses": {s: STATUS_DASHES.get(s, [1, 3]) for s in sorted({e["status"] for e in edges})},
        "years": [years[0], years[-1]] if years else [],
    }


def timeline_data(events: pd.DataFrame | None = None, sources: pd.DataFrame | None = None) -> dict:
    """The dated events as the timeline explorer reads them, in chronological order.

    Each event has ``id, date, display_date, precision, kind`` (``point``, ``bar`` or ``open``),
    ``earliest``, ``latest`` (ISO days; for an open mark both are its closed end), ``lane``,
    ``summary``, ``quote``, ``date_text``, ``date_basis``, ``document`` and ``reference``. Undated
    events are counted in ``n_undated`` and not shown.
    """
    events = chronology.load_events() if events is None else events
    sources = tables.sources() if sources is None else sources
    rows = {r["event_id"]: r for r in events.to_dict("records")}
    marks = chronology.marks(events).sort_values(["earliest", "latest", "event_id"], kind="stable")
    out = []
    for m in marks.to_dict("records"):
        ev = rows[m["event_id"]]
        out.append({
            "id": ev["event_id"], "date": ev["date"], "display_date": chronology.display_date(ev["date"]),
            "precision": ev["precision"], "kind": m["kind"], "open_side": m["open_side"],
            "earliest": m["earliest"].isoformat(), "latest": m["latest"].isoformat(), "lane": m["lane"],
            "summary": " ".join(ev["summary"].split()), "quote": ev["quote"], "date_text": ev["date_text"],
            "date_basis": ev["date_basis"],
            "document": document_label(ev["source_id"], sources) if ev["source_id"] else "",
            "reference": ev["reference"],
        })
    return {"events": out, "lanes": list(chronology.LANES), "n_undated": len(chronology.undated_events(events))}


def as_script(variable: str, data: dict) -> str:
    """``data`` as a script that sets ``window[variable]``: JSON with sorted keys, so the file is
    byte-identical on every run and loads from ``file://`` as well as from a server."""
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=None, separators=(",", ":"))
    return f"// Generated by proxylens.explore from the project's tables; do not edit.\nwindow.{variable} = {body};\n"


# ---------------------------------------------------------------- static fallback


def network_svg(data: dict, width: int = 1700, height: int = 1300) -> str:
    """The network as a standalone SVG: the explorer's positions, kind colours and family colours,
    status as the line pattern, every node labelled. Text is XML-escaped."""
    xs = [n["x"] for n in data["nodes"]] or [0]
    ys = [n["y"] for n in data["nodes"]] or [0]
    pad, label_room = 60, 220  # labels run to the right of their dot
    sx = (width - 2 * pad - label_room) / max(max(xs) - min(xs), 1)
    sy = (height - 2 * pad - 60) / max(max(ys) - min(ys), 1)
    at = {n["id"]: (pad + (n["x"] - min(xs)) * sx, pad + 60 + (n["y"] - min(ys)) * sy) for n in data["nodes"]}
    e = html.escape
    lines = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
              f'height="{height}" font-family="sans-serif" role="img">'),
             "<title>Typed relations between the actors (static view)</title>",
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    legend_x = 20
    for spec in data["kinds"].values():
        lines.append(f'<circle cx="{legend_x + 8}" cy="24" r="7" fill="{spec["color"]}"/>'
                     f'<text x="{legend_x + 20}" y="29" font-size="15">{e(spec["label"])}</text>')
        legend_x += 30 + 9 * len(spec["label"])
    legend_x = 20
    for family, colour in data["families"].items():
        lines.append(f'<line x1="{legend_x}" y1="52" x2="{legend_x + 30}" y2="52" stroke="{colour}" stroke-width="3"/>'
                     f'<text x="{legend_x + 36}" y="57" font-size="15">{e(family)}</text>')
        legend_x += 50 + 9 * len(family)
    for status, dashes in data["statuses"].items():
        pattern = f' stroke-dasharray="{",".join(str(d) for d in dashes)}"' if dashes else ""
        lines.append(f'<line x1="{legend_x}" y1="52" x2="{legend_x + 30}" y2="52" stroke="#555555" '
                     f'stroke-width="2"{pattern}/><text x="{legend_x + 36}" y="57" font-size="15">{e(status)}</text>')
        legend_x += 50 + 9 * len(status)
    for edge in data["edges"]:
        (x1, y1), (x2, y2) = at[edge["from"]], at[edge["to"]]
        pattern = f' stroke-dasharray="{",".join(str(d) for d in edge["dashes"])}"' if edge["dashes"] else ""
        lines.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{edge["color"]}" '
                     f'stroke-width="1.6" stroke-opacity="0.75"{pattern}><title>{e(edge["relation"])}: '
                     f'{e(edge["from"])} to {e(edge["to"])}</title></line>')
    for node in data["nodes"]:
        x, y = at[node["id"]]
        lines.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{node["color"]}" stroke="#ffffff" stroke-width="1.5"/>')
        lines.append(f'<text x="{x + 11:.1f}" y="{y + 5:.1f}" font-size="14" fill="#222222" stroke="#ffffff" '
                     f'stroke-width="3" paint-order="stroke">{e(node["label"])}</text>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- writing


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vis_source_dir() -> Path:
    """Where pyvis keeps vis-network 9.1.2 in the installed package."""
    import pyvis

    return Path(pyvis.__file__).parent / VIS_DIR


def vis_licence(script: str) -> str:
    """The licence file served next to vis-network: the library's own licence banner, verbatim,
    then the MIT terms it grants (vis.js is dual licensed, Apache 2.0 or MIT; the book uses MIT)."""
    banner = script[: script.index("*/") + 2]
    return ("vis-network 9.1.2, copied unchanged from the pyvis 0.3.2 package (pyvis/templates/lib/vis-9.1.2/).\n"
            "Its licence banner, verbatim:\n\n" + banner + "\n\nThe MIT License, under which it is used here:\n\n"
            + MIT_TEXT)


def render_assets(t=None) -> dict[str, str]:
    """``{path relative to the repository: text}`` of every generated explorer file."""
    t = load_tables() if t is None else t
    net = network_data(t)
    return {
        f"{STATIC_DIR}/{NETWORK_DATA}": as_script("PROXYLENS_NETWORK", net),
        f"{STATIC_DIR}/{TIMELINE_DATA}": as_script("PROXYLENS_TIMELINE", timeline_data(t.events, t.sources)),
        f"{PAGES_DIR}/{NETWORK_SVG}": network_svg(net),
        f"{STATIC_DIR}/{VIS_LICENSE}": vis_licence(
            (vis_source_dir() / "vis-network.min.js").read_text(encoding="utf-8")),
    }


def write_explorer_assets(root: Path | None = None, t=None) -> list[Path]:
    """Write the explorers' data files and static figure, and copy vis-network (unchanged) into
    ``book/_static/explore/``. Returns the paths written."""
    root = repo_root() if root is None else Path(root)
    rendered = render_assets(t)
    paths = []
    for rel, text in rendered.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        paths.append(path)
    for name, digest in VIS_FILES.items():
        source = vis_source_dir() / name
        if sha256(source) != digest:
            raise ValueError(f"{source.name}: sha256 differs from the pinned vis-network 9.1.2; is pyvis 0.3.2 installed?")
        target = root / STATIC_DIR / name
        shutil.copyfile(source, target)
        paths.append(target)
    return paths
