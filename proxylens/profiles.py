"""Actor profiles: one generated Markdown page per armed group and per actor that matters to the story.

A profile gathers what the project's tables hold about one actor (the registry row, the names
each document uses for it, its relations with their quotes or references, its designations, the
dated events and the claims made by or about it, with their verdicts) into one page of the book,
``book/profiles/<actor_id>.md``, rendered from one template (``proxylens/templates/profile.md``).
``book/profiles/index.md`` lists them. :func:`write_profiles` writes them all; ``make data``
calls it (through :mod:`proxylens.derive`) and a drift test proves the committed pages current.

Who gets a profile (:func:`profiled_actor_ids`): every armed group, every actor named in two or
more curated relations, and every authority or target of a designation. Umbrella labels (kind
``label``) never get one.

Source text is data, never markup: every quote, alias and note reaches the page through
:func:`html_text` (HTML-escaped, inside raw HTML blocks, so MyST parses none of it and Sphinx's
smart quotes leave it exact) or :func:`md_text` (every ASCII punctuation mark backslash-escaped).
Book search indexes both, so a search for any alias finds the profile.
"""

from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import jinja2
import pandas as pd

from proxylens import chronology, tables
from proxylens.actors import normalise
from proxylens.corpus import quote_span
from proxylens.edtf import parse_edtf
from proxylens.network import relation_family
from proxylens.paths import repo_root

PROFILES_DIR = PurePosixPath("book/profiles")
TEMPLATE = Path(__file__).parent / "templates" / "profile.md"
INDEX_TEMPLATE = Path(__file__).parent / "templates" / "profiles_index.md"
NO_PROFILE_KINDS = frozenset({"label"})
ALWAYS_PROFILED_KINDS = frozenset({"armed_group"})
MIN_RELATIONS = 2

KIND_LABELS = {
    "armed_group": "armed group", "person": "person", "state": "state", "state_agency": "state agency",
    "government_body": "government body", "coalition": "coalition", "party": "party", "media": "media outlet",
    "igo": "intergovernmental organisation", "label": "umbrella label",
}
KIND_ORDER = ("armed_group", "person", "state_agency", "government_body", "state", "coalition", "party", "media", "igo")

# How a relation reads from one side: (relation family or type, actor is the object?) -> section.
LEADERSHIP = frozenset({"leads", "commands", "deputy_of", "controls", "founded", "reactivated"})
MEMBERSHIP = frozenset({"member_of", "part_of", "pledged_loyalty", "split_from"})
SECTIONS = (
    ("leaders", "Leaders, commanders and founders"),
    ("members", "Members, components and offshoots"),
    ("affiliations", "Its own positions and affiliations"),
    ("backers", "Backers and allies"),
    ("backed", "Whom it backs"),
    ("opponents", "Opponents and hostile acts"),
    ("legal", "Designations and legal actions reported as relations"),
    ("other", "Other relations"),
)


def relation_section(relation: str, actor_is_object: bool) -> str:
    """The profile section a relation row belongs to, seen from the actor on one of its ends.

    >>> relation_section("leads", True), relation_section("leads", False), relation_section("backs", True)
    ('leaders', 'affiliations', 'backers')
    """
    if relation in LEADERSHIP:
        return "leaders" if actor_is_object else "affiliations"
    if relation in MEMBERSHIP:
        return "members" if actor_is_object else "affiliations"
    family = relation_family(relation)
    if relation == "allied_with":
        return "backers"
    if family == "support":
        return "backers" if actor_is_object else "backed"
    if family == "hostility":
        return "opponents"
    if family == "designation & legal":
        return "legal"
    return "other"


# ---------------------------------------------------------------- escaping


_MD_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")


def md_text(text: str) -> str:
    """``text`` as literal Markdown on one line: white space folded, every ASCII punctuation mark
    backslash-escaped (CommonMark and MyST then show it as typed: no emphasis, role, link or HTML).

    >>> md_text("**KH** {glue:}`x` <b>")
    '\\\\*\\\\*KH\\\\*\\\\* \\\\{glue\\\\:\\\\}\\\\`x\\\\` \\\\<b\\\\>'
    """
    return _MD_PUNCT.sub(r"\\\1", " ".join(str(text).split()))


def html_text(text: str) -> str:
    """``text`` HTML-escaped on one line (a raw HTML block ends at a blank line, so none may appear).

    >>> html_text("<b>a</b>\\n\\nb")
    '&lt;b&gt;a&lt;/b&gt; b'
    """
    # Quote marks stay as typed: text content needs only &, < and > escaped, and Sphinx's search
    # indexes raw HTML without decoding entities, so "Kata&#x27;ib" would not be found as "Kata'ib".
    return html.escape(" ".join(str(text).split()), quote=False)


_URL = re.compile(r"(https?://[^\s|]+)")


def html_reference(reference: str) -> str:
    """A reference (``issuer, title, date, URL``; several joined by ``|``) escaped, its URLs made links."""
    parts = _URL.split(" ".join(str(reference).split()))
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            url = part.rstrip(".,;")
            out.append(f'<a href="{html.escape(url)}" rel="noopener">{html.escape(url)}</a>{html.escape(part[len(url):])}')
        else:
            out.append(html.escape(part))
    return "".join(out)


# ---------------------------------------------------------------- dates




def display_date(value: str) -> str:
    """An EDTF value as a reader reads it, at its own precision; ``""`` stays ``""``.

    >>> display_date("2018-07"), display_date("2019-12-27/2020-01-03"), display_date("2014/..")
    ('July 2018', '27 December 2019 – 3 January 2020', 'from 2014')
    """
    return chronology.display_date(value, after="from", before="until")


def date_range(start: str, end: str) -> str:
    """A relation's dates for a reader: ``2014 – 2020``, ``from 2014``, ``until 2020``, or ``undated``."""
    if start and end:
        return f"{display_date(start)} – {display_date(end)}"
    if start:
        return f"from {display_date(start)}"
    if end:
        return f"until {display_date(end)}"
    return "undated"


# ---------------------------------------------------------------- tables


@dataclass
class Tables:
    """Every table a profile reads, each as text (see :mod:`proxylens.tables`)."""

    actors: pd.DataFrame
    aliases: pd.DataFrame
    relations: pd.DataFrame
    designations: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    mentions: pd.DataFrame  # the curated gold mentions (the book may read gold; the extractor never does)
    sources: pd.DataFrame
    texts: dict[str, str]
    claim_actors: dict | None = None  # filled on first use by :func:`claim_subjects`
    _records: dict | None = None

    def rows(self, name: str) -> list[dict]:
        """A table as a list of row dicts, built once (pandas row access is slow inside loops)."""
        if self._records is None:
            self._records = {}
        if name not in self._records:
            self._records[name] = getattr(self, name).to_dict("records")
        return self._records[name]


def load_tables() -> Tables:
    """The project's tables from ``data/curated/`` and ``seeds/``."""
    return Tables(
        actors=tables.curated("actors"), aliases=tables.curated("aliases"), relations=tables.curated("relations"),
        designations=tables.curated("designations"), events=tables.curated("events"),
        claims=tables.curated("claims"), mentions=tables.curated("mentions_gold"), sources=tables.sources(),
        texts=tables.seed_texts(),
    )


VERDICT_COLUMNS = ("attribution_verdict", "attribution_note", "content_verdict", "content_note")


def claim_verdicts(claims: pd.DataFrame) -> pd.DataFrame:
    """The verdicts of each claim as ``attribution_verdict, attribution_note, content_verdict,
    content_note`` (indexed like ``claims``).

    Reads the split columns when ``claims.csv`` has them; an older table with one ``verdict`` and
    ``verdict_note`` gives its verdict as the content verdict and an empty attribution verdict
    (that table did not judge the two apart).
    """
    if "content_verdict" in claims.columns:
        return pd.DataFrame({c: claims.get(c, pd.Series("", index=claims.index)) for c in VERDICT_COLUMNS},
                            index=claims.index).fillna("")
    # Old layout: one verdict on the claim as a whole. Drop this branch once the split columns land.
    return pd.DataFrame({"attribution_verdict": "", "attribution_note": "",
                         "content_verdict": claims["verdict"], "content_note": claims["verdict_note"]},
                        index=claims.index)


def profiled_actor_ids(t: Tables) -> list[str]:
    """The actors that get a profile, sorted: every armed group, every actor in at least
    :data:`MIN_RELATIONS` relation rows (either end), every authority or target of a designation;
    never an actor of kind ``label``."""
    kinds = dict(zip(t.actors["actor_id"], t.actors["kind"], strict=True))
    counts = pd.concat([t.relations["subject_id"], t.relations["object_id"]]).value_counts()
    chosen = {a for a, k in kinds.items() if k in ALWAYS_PROFILED_KINDS}
    chosen |= {a for a, n in counts.items() if n >= MIN_RELATIONS}
    chosen |= set(t.designations["authority_id"]) | set(t.designations["target_id"])
    return sorted(a for a in chosen if a in kinds and kinds[a] not in NO_PROFILE_KINDS)


def profile_href(actor_id: str, from_dir: str = "notebooks") -> str | None:
    """The relative link from a page in ``from_dir`` (a folder of the book, relative to the repository
    root) to the actor's profile page (``.html``), or None when the actor has no profile.

    >>> profile_href("kataib-hezbollah")
    '../book/profiles/kataib-hezbollah.html'
    >>> profile_href("kataib-hezbollah", from_dir="book/profiles"), profile_href("no-such-actor")
    ('kataib-hezbollah.html', None)
    """
    if actor_id not in _profile_ids():
        return None
    return _relative(f"{PROFILES_DIR}/{actor_id}.html", from_dir)


def _relative(target: str, from_dir: str) -> str:
    here = [p for p in PurePosixPath(from_dir).parts if p not in ("", ".")]
    there = list(PurePosixPath(target).parts)
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


_PROFILE_IDS: frozenset[str] | None = None


def _profile_ids() -> frozenset[str]:
    """The actors with a generated profile page in the book (read from the pages written)."""
    global _PROFILE_IDS
    if _PROFILE_IDS is None:
        folder = repo_root() / PROFILES_DIR
        _PROFILE_IDS = frozenset(p.stem for p in folder.glob("*.md") if p.stem != "index")
    return _PROFILE_IDS


# ---------------------------------------------------------------- one profile


def document_label(source_id: str, sources: pd.DataFrame) -> str:
    """``document 001 (FDD's Long War Journal, 2020)``: short id, outlet and year of publication."""
    return _document_labels(sources).get(source_id, f"document {source_id.split('_', 1)[0]}")


def _document_labels(sources: pd.DataFrame) -> dict[str, str]:
    key = id(sources)
    if key not in _LABELS:
        _LABELS.clear()
        _LABELS[key] = {
            r["source_id"]: f"document {r['source_id'].split('_', 1)[0]} "
                            f"({r['outlet']}, {r.get('published', '')[:4] or 'undated'})"
            for r in sources.to_dict("records")}
    return _LABELS[key]


_LABELS: dict[int, dict[str, str]] = {}


def evidence_html(row: dict, sources: pd.DataFrame, with_note: bool = True) -> str:
    """The evidence of a row: its exact quote with the document it comes from, then its reference,
    then (``with_note``) the curator's note, which says how the date or status was established."""
    parts = []
    if row.get("quote"):
        parts.append(f'<q class="pl-quote">{html_text(row["quote"])}</q> '
                     f'<span class="pl-doc">{html_text(document_label(row["source_id"], sources))}</span>')
    if row.get("reference"):
        parts.append(f'<span class="pl-ref">Reference: {html_reference(row["reference"])}</span>')
    if with_note and row.get("note"):
        parts.append(f'<span class="pl-note">Curator\'s note: {html_text(row["note"])}</span>')
    return "<br>".join(parts) if parts else "<em>no evidence recorded</em>"


def actor_link(actor_id: str, names: dict[str, str], profiled: set[str], this: str = "") -> str:
    """An actor's name as HTML, linked to its profile (from another profile) when it has one;
    the page's own actor (``this``) in bold."""
    name = html_text(names.get(actor_id, actor_id))
    if actor_id == this:
        return f"<strong>{name}</strong>"
    return f'<a href="{actor_id}.html">{name}</a>' if actor_id in profiled else name


def html_table(columns: list[str], rows: list[list[str]], css: str) -> str:
    """A raw HTML table on consecutive lines; cells must already be escaped HTML."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="pl-profile-table {css}">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'


def alias_rows(actor_id: str, t: Tables) -> list[dict]:
    """What each document calls the actor: one row per (document, surface form) of the gold mentions,
    with the alias kind from the registry (``unlisted`` when the form is not a registered alias)."""
    kinds = {normalise(r["alias"]): r["alias_kind"] for r in t.rows("aliases") if r["actor_id"] == actor_id}
    for r in t.rows("actors"):
        if r["actor_id"] == actor_id:
            kinds.setdefault(normalise(r["name"]), "name")
    counts: dict[tuple[str, str], int] = {}
    for m in t.rows("mentions"):
        if m["actor_id"] == actor_id:
            counts[(m["source_id"], m["text"])] = counts.get((m["source_id"], m["text"]), 0) + 1
    return [{"source_id": s, "form": form, "alias_kind": kinds.get(normalise(form), "unlisted"), "n": n}
            for (s, form), n in sorted(counts.items())]


def relation_rows(actor_id: str, t: Tables) -> list[dict]:
    """Every relation row with the actor at one end, with its section (:func:`relation_section`)."""
    r = [row for row in t.rows("relations") if actor_id in (row["subject_id"], row["object_id"])]
    rows = []
    for row in sorted(r, key=lambda row: (row["start"], row["relation_id"])):
        is_object = row["object_id"] == actor_id and row["subject_id"] != actor_id
        rows.append({**row, "section": relation_section(row["relation"], is_object),
                     "other_id": row["subject_id"] if is_object else row["object_id"]})
    return rows


def designation_rows(actor_id: str, t: Tables) -> list[dict]:
    """Designations that list the actor or that it issued, by listing date."""
    d = [row for row in t.rows("designations") if actor_id in (row["target_id"], row["authority_id"])]
    return sorted(d, key=lambda row: (row["listing_date"], row["designation_id"]))


def event_rows(actor_id: str, t: Tables) -> list[dict]:
    """Curated events whose ``actor_ids`` name the actor, dated ones first in date order."""
    e = [row for row in t.rows("events") if actor_id in row["actor_ids"].split(";")]
    return sorted(e, key=lambda row: (parse_edtf(row["date"]).earliest.isoformat() if row["date"] else "9999",
                                      row["event_id"]))


def claim_rows(actor_id: str, t: Tables) -> list[dict]:
    """Claims the actor makes (it is the claimant) or that are about it (a gold mention of the actor
    lies inside the claim's quote), each with ``role`` (``by``, ``about`` or ``by and about``)."""
    verdicts = claim_verdicts(t.claims.reset_index(drop=True))
    if t.claim_actors is None:
        t.claim_actors = claim_subjects(t)
    named = t.claim_actors
    verdict_rows = verdicts.to_dict("records")
    rows = []
    for i, claim in enumerate(t.rows("claims")):
        by = claim["claimant_id"] == actor_id
        about = actor_id in named[i]
        if by or about:
            role = "by and about" if by and about else ("by" if by else "about")
            rows.append({**claim, **verdict_rows[i], "role": role})
    return rows


def claim_subjects(t: Tables) -> dict:
    """``{row number: set of actor ids}``: the actors with a gold mention inside each claim's quote.

    Raises ``ValueError`` naming the claim when its quote is not an exact, unique substring of its source.
    """
    by_source = {s: m for s, m in t.mentions.groupby("source_id")}
    out = {}
    for i, claim in enumerate(t.rows("claims")):
        out[i] = set()
        text = t.texts.get(claim["source_id"])
        if text is None or not claim["quote"]:
            continue
        try:
            start, end = quote_span(text, claim["quote"])
        except ValueError as err:
            raise ValueError(f"claims.csv: claim {claim['claim_id']}: {err}") from None
        m = by_source.get(claim["source_id"])
        if m is not None:
            out[i] = set(m.loc[(m["start"] >= start) & (m["end"] <= end), "actor_id"])
    return out


def related_ids(actor_id: str, t: Tables, profiled: set[str]) -> list[str]:
    """Other profiled actors linked to this one by a relation, a designation or a shared event."""
    linked = {r["other_id"] for r in relation_rows(actor_id, t)}
    for d in designation_rows(actor_id, t):
        linked |= {d["authority_id"], d["target_id"]}
    for e in event_rows(actor_id, t):
        linked |= set(e["actor_ids"].split(";"))
    return sorted((linked & profiled) - {actor_id})


def verdict_html(row: dict) -> str:
    """The two verdicts of a claim with their notes (the attribution verdict only when assessed)."""
    parts = []
    if row.get("attribution_verdict"):
        parts.append(f"<strong>Said so:</strong> {html_text(row['attribution_verdict'])}"
                     + (f" ({html_text(row['attribution_note'])})" if row.get("attribution_note") else ""))
    if row.get("content_verdict"):
        parts.append(f"<strong>Holds up:</strong> {html_text(row['content_verdict'])}"
                     + (f" ({html_text(row['content_note'])})" if row.get("content_note") else ""))
    return "<br>".join(parts) or "<em>no verdict recorded</em>"


def profile_context(actor_id: str, t: Tables, profiled: set[str]) -> dict:
    """Everything the template needs for one actor's page, as escaped Markdown and HTML blocks."""
    actor = next(r for r in t.rows("actors") if r["actor_id"] == actor_id)
    names = {r["actor_id"]: r["name"] for r in t.rows("actors")}
    kinds = {r["actor_id"]: r["kind"] for r in t.rows("actors")}
    link = lambda a: actor_link(a, names, profiled, this=actor_id)

    overview = [["Kind", html_text(KIND_LABELS.get(actor["kind"], actor["kind"]))],
                ["Country", html_text(actor["country"] or "not recorded")],
                ["Description", html_text(actor["description"])],
                ["Reference", html_reference(actor["reference_url"]) if actor["reference_url"] else "none recorded"]]
    overview_html = ('<table class="pl-profile-table pl-overview">\n<tbody>\n'
                     + "\n".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in overview)
                     + "\n</tbody>\n</table>")

    aliases = alias_rows(actor_id, t)
    alias_html = html_table(
        ["document", "name used", "alias kind", "mentions"],
        [[html_text(document_label(a["source_id"], t.sources)), html_text(a["form"]), html_text(a["alias_kind"]),
          str(a["n"])] for a in aliases], "pl-aliases") if aliases else ""
    seen = {normalise(a["form"]) for a in aliases}
    other_names = [r for r in t.rows("aliases") if r["actor_id"] == actor_id and normalise(r["alias"]) not in seen]
    other_names_html = html_table(
        ["name", "alias kind", "note"],
        [[html_text(r["alias"]), html_text(r["alias_kind"]), html_text(r["note"])] for r in other_names],
        "pl-registry-aliases") if other_names else ""

    relations = relation_rows(actor_id, t)
    sections = []
    for key, title in SECTIONS:
        rows = [r for r in relations if r["section"] == key]
        if not rows:
            continue
        body = html_table(
            ["relation", "status", "dates", "evidence"],
            [[f"{link(r['subject_id'])} <em>{html_text(r['relation'].replace('_', ' '))}</em> {link(r['object_id'])}",
              html_text(r["status"]), html_text(date_range(r["start"], r["end"])), evidence_html(r, t.sources)]
             for r in rows], f"pl-relations pl-{key}")
        sections.append({"title": title, "table": body, "n": len(rows)})

    designations = designation_rows(actor_id, t)
    designation_html = html_table(
        ["authority", "target", "programme", "listed", "effective", "status", "note (revocations)", "evidence"],
        [[link(d["authority_id"]), link(d["target_id"]), html_text(d["programme"]),
          html_text(display_date(d["listing_date"]) or "not recorded"),
          html_text(display_date(d["effective_date"]) or "not recorded"), html_text(d["status"]),
          html_text(d.get("note", "")), evidence_html(d, t.sources, with_note=False)] for d in designations],
        "pl-designations") if designations else ""

    events = event_rows(actor_id, t)
    events_html = html_table(
        ["date", "precision", "event", "evidence"],
        [[html_text(display_date(e["date"]) or "undated"), html_text(e["precision"]),
          html_text(e["summary"]), evidence_html(e, t.sources)] for e in events], "pl-events") if events else ""

    claims = claim_rows(actor_id, t)
    claims_html = html_table(
        ["claim", "made", "claimant", "verdicts"],
        [[(f'<q class="pl-quote">{html_text(c["quote"])}</q> '
           f'<span class="pl-doc">{html_text(document_label(c["source_id"], t.sources))}</span>'),
          html_text(c["role"]),
          link(c["claimant_id"]) if c["claimant_id"] in names else html_text(c["claimant_text"] or c["claimant_id"]
                                                                             or "not named"),
          verdict_html(c)] for c in claims], "pl-claims") if claims else ""

    related = [{"id": a, "name": md_text(names[a]), "kind": KIND_LABELS.get(kinds[a], kinds[a])} for a in related_ids(actor_id, t, profiled)]
    return {
        "actor_id": actor_id, "title": md_text(actor["name"]),
        "lede": html_text(f"{KIND_LABELS.get(actor['kind'], actor['kind'])}"
                          + (f" · {actor['country']}" if actor["country"] else "")),
        "overview": overview_html, "aliases": alias_html, "n_alias_docs": len({a["source_id"] for a in aliases}),
        "other_names": other_names_html, "relation_sections": sections, "n_relations": len(relations),
        "designations": designation_html, "n_designations": len(designations),
        "events": events_html, "n_events": len(events), "claims": claims_html, "n_claims": len(claims),
        "related": related,
    }


# ---------------------------------------------------------------- rendering and writing


def _environment() -> jinja2.Environment:
    # Markdown, not HTML: autoescape stays off; every value is escaped by the context builders above.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE.parent), autoescape=False,
                              keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def render_profile(context: dict) -> str:
    """One profile page (Markdown) from :func:`profile_context`."""
    return _environment().get_template(TEMPLATE.name).render(**context)


def index_context(t: Tables, ids: list[str]) -> dict:
    kinds = dict(zip(t.actors["actor_id"], t.actors["kind"], strict=True))
    names = dict(zip(t.actors["actor_id"], t.actors["name"], strict=True))
    counts = pd.concat([t.relations["subject_id"], t.relations["object_id"]]).value_counts()
    groups = []
    order = [k for k in KIND_ORDER if any(kinds[a] == k for a in ids)]
    order += sorted({kinds[a] for a in ids} - set(order))
    for kind in order:
        members = sorted((a for a in ids if kinds[a] == kind), key=lambda a: (names[a].casefold(), a))
        groups.append({"kind": md_text(KIND_LABELS.get(kind, kind)), "n": len(members),
                       "actors": [{"id": a, "name": md_text(names[a]), "relations": int(counts.get(a, 0))}
                                  for a in members]})
    designated = set(t.designations["authority_id"]) | set(t.designations["target_id"])
    return {
        "n": len(ids), "n_registry": len(t.actors), "groups": groups,
        "n_armed": sum(kinds[a] in ALWAYS_PROFILED_KINDS for a in ids),
        "n_related": sum(counts.get(a, 0) >= MIN_RELATIONS for a in ids),
        "n_designation": len(set(ids) & designated), "min_relations": MIN_RELATIONS,
    }


def render_pages(t: Tables | None = None) -> dict[str, str]:
    """``{file name: Markdown}`` for every profile page and the index, in file-name order."""
    t = load_tables() if t is None else t
    ids = profiled_actor_ids(t)
    profiled = set(ids)
    pages = {f"{a}.md": render_profile(profile_context(a, t, profiled)) for a in ids}
    pages["index.md"] = _environment().get_template(INDEX_TEMPLATE.name).render(**index_context(t, ids))
    return dict(sorted(pages.items()))


def write_profiles(out_dir: Path | None = None, t: Tables | None = None) -> list[Path]:
    """Write every profile and the index into ``out_dir`` (default ``book/profiles/``), removing the
    pages of actors that no longer get a profile. Byte-identical on every run; returns the paths."""
    global _PROFILE_IDS
    out = Path(out_dir) if out_dir is not None else repo_root() / PROFILES_DIR
    pages = render_pages(t)
    out.mkdir(parents=True, exist_ok=True)
    for stale in sorted(out.glob("*.md")):
        if stale.name not in pages:
            stale.unlink()
    paths = []
    for name, text in pages.items():
        path = out / name
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        paths.append(path)
    _PROFILE_IDS = None
    return paths
