"""Small, tested helpers that shape tables for the book's chapters.

The rule: ``report/`` only shapes tables for chapters. A function here names things for readers
(a document by outlet and year, an actor by a link to its profile, a verdict in plain words),
renames columns, picks and orders the rows a chapter shows, cross-tabulates curated columns for
one of its tables, or renders them as HTML. A function that computes a result from data lives
with its stage instead: document ids in :mod:`proxylens.corpus`, EDTF relations in
:mod:`proxylens.edtf`, word counts, loaded terms and marker rates in :mod:`proxylens.framing`,
the Admiralty grades in :mod:`proxylens.grading`, Analysis of Competing Hypotheses in
:mod:`proxylens.ach`, graph measures in :mod:`proxylens.network`; evaluation runners in
:mod:`proxylens.evaluation`; figures are drawn by :mod:`proxylens.figures`.

This package holds the helpers every chapter shares (how a document, an actor and a verdict are
named for readers, and how a table is shown) and the corpus chapter's tables; each later chapter
has a submodule (``report.actors``, ``report.network``, ``report.timeline``, ``report.claims``,
``report.evaluation``). Notebooks call these instead of holding logic: each returns a DataFrame
whose rows and columns are what a chapter shows, so tests can check the data behind every figure.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache, total_ordering
from itertools import pairwise

import pandas as pd

from proxylens.corpus import doc_label, in_context, quote_span

# ---------------------------------------------------------------- names readers see


def outlet_short(outlet: str) -> str:
    """An outlet's name without its web address or owner: ``FDD's Long War Journal`` -> ``Long War
    Journal``, ``Iran News Update (irannewsupdate.com)`` -> ``Iran News Update``."""
    name = outlet.split(" (", 1)[0].strip()
    owner = re.match(r"^[A-Z]{2,}['’]s (.+)$", name)
    return owner.group(1) if owner else name


@lru_cache(maxsize=1)
def _seed_labels() -> dict[str, str]:
    from proxylens import tables

    labels = {}
    for _, r in tables.sources().sort_values("source_id").iterrows():
        year = r["published"][:4] if r["published"][:4].isdigit() else "undated"
        labels[doc_label(r["source_id"])] = f"{outlet_short(r['outlet'])} {year}"
    return labels


def source_label(source_id: str) -> str:
    """How readers see a seed document: its outlet and year (``001_a072…`` or ``001`` -> ``Long
    War Journal 2020``), from ``seeds/sources.csv``; any other id by :func:`doc_label`."""
    return _seed_labels().get(doc_label(source_id), doc_label(source_id))


def source_labels() -> dict[str, str]:
    """``{short id: outlet and year}`` for every seed, in id order."""
    return dict(_seed_labels())


@total_ordering
class Markup:
    """A cell that is already HTML built by this package (a profile link), with the plain text it
    shows: the table renderers keep ``html`` as it is, while every other cell is escaped. Not a
    ``str``, so that pandas keeps the marker through a DataFrame; sorts and compares by ``text``."""

    __slots__ = ("html", "text")

    def __init__(self, markup: str, text: str):
        self.html, self.text = markup, text

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Markup({self.html!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Markup) and (self.html, self.text) == (other.html, other.text)

    def __hash__(self) -> int:
        return hash((self.html, self.text))

    def __lt__(self, other) -> bool:
        return self.text < (other.text if isinstance(other, Markup) else str(other))

    def __gt__(self, other) -> bool:
        return self.text > (other.text if isinstance(other, Markup) else str(other))


def plain_text(value) -> str:
    """The text a cell shows: a :class:`Markup` cell's ``text``, anything else as ``str``."""
    return value.text if isinstance(value, Markup) else str(value)


def join_cells(parts: list, sep: str = " & "):
    """``parts`` joined by ``sep``: plain text if none is :class:`Markup`, else :class:`Markup`
    with the plain parts and the separator escaped.

    >>> join_cells(["A", "B"]), str(join_cells([Markup('<a href="x">A</a>', "A"), "B<"]))
    ('A & B', '<a href="x">A</a> &amp; B&lt;')
    """
    if not any(isinstance(p, Markup) for p in parts):
        return sep.join(parts)
    return Markup(html.escape(sep).join(str(p) if isinstance(p, Markup) else html.escape(p) for p in parts),
                  sep.join(plain_text(p) for p in parts))


def actor_cell(actor_id: str, name: str, from_dir: str = "notebooks") -> str:
    """How an actor is named in every table: a link to its profile page (as :class:`Markup`, the
    name escaped) when it has one, from a page in ``from_dir``; otherwise its plain name."""
    from proxylens.profiles import profile_href

    href = profile_href(actor_id, from_dir=from_dir)
    if href is None:
        return name
    return Markup(f'<a href="{html.escape(href)}">{html.escape(name)}</a>', name)


# The two questions asked of each claim (data/curated/claims.csv): was it said as reported
# (attribution) and does the public record bear it out (content).
VERDICT_COLUMNS = {"attribution_verdict": "attribution_verdict", "attribution_note": "attribution_note",
                   "verdict": "content_verdict", "verdict_note": "content_note"}


def claim_verdicts(claims: pd.DataFrame) -> pd.DataFrame:
    """Both verdicts a reader is shown for each claim, read from ``claims.csv`` in this one place,
    indexed like ``claims``: ``attribution_verdict`` (confirmed, author's own, unverified,
    misattributed, distorted) and ``attribution_note`` (was the statement made as reported?), then
    ``verdict`` (the content verdict: corroborated, unverified, contested, contradicted) and
    ``verdict_note`` (does the public record bear it out?)."""
    return pd.DataFrame({name: claims[col] for name, col in VERDICT_COLUMNS.items()}, index=claims.index)


# Column names readers see in place of the tables' own (snake_case) names.
HEADERS = {
    "source_id": "document", "doc": "document", "actor_id": "actor", "claimant_id": "claimant",
    "published_basis": "how the date was established", "reliability_note": "why this grade",
    "date_basis": "date from", "date_text": "date words", "event_type": "type of event",
    "record_date": "date in the public record", "verdict_note": "why this verdict",
    "evidence_type": "evidence offered", "narrative_id": "storyline", "error_type": "kind of error",
    "gold_actor": "actor (hand-coded)", "auto_actor": "actor (automatic)", "n": "number",
    "designation_id": "listing", "authority_id": "authority", "target_id": "target",
}
_URL = re.compile(r"(https?://[^\s,;)]+)")


def link_urls(text: str) -> str:
    """``text`` HTML-escaped, with every web address made a link that opens the page."""
    parts = _URL.split(str(text))
    return "".join(f'<a href="{html.escape(p)}">{html.escape(p)}</a>' if i % 2 else html.escape(p)
                   for i, p in enumerate(parts))


def _cell(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return str(value)


def for_readers(table: pd.DataFrame, headers: dict[str, str] | None = None, seeds: bool = True) -> pd.DataFrame:
    """``table`` as readers see it: the index made a column, seed ids (``001`` or the full id)
    replaced by outlet and year, ``True``/``False`` by yes/no, missing values by blanks, floats
    rounded to three places, codes such as ``armed_group`` spelled with spaces, and headers in plain words (``headers`` first, then :data:`HEADERS`,
    then underscores to spaces). Every cell becomes a string."""
    names = {**HEADERS, **(headers or {})}
    out = table.reset_index() if (table.index.name or any(table.index.names)) else table.reset_index(drop=True)
    labels = source_labels() if seeds else {}

    def label(v):
        if isinstance(v, Markup):
            return v
        text = _cell(v)
        if seeds and isinstance(v, str) and re.fullmatch(r"\d{3}(_[0-9a-f]{16})?", v):
            return labels.get(doc_label(v), text)
        if isinstance(v, str) and re.fullmatch(r"[a-z]+(?:_[a-z0-9]+)+", v):  # a code: armed_group -> armed group
            return v.replace("_", " ")
        return text

    out = out.apply(lambda col: col.map(label)) if len(out) else out.astype(str)
    out.columns = [label(names.get(str(c), str(c).replace("_", " "))) for c in out.columns]
    return out


# A table longer than this is interactive (sorted, searched, paged ten rows at a time).
STATIC_ROWS = 12


def table_html(table: pd.DataFrame, html_columns: tuple[str, ...] = ()) -> str:
    """A reader table (from :func:`for_readers`) as static HTML: cells escaped, web addresses
    linked, ``html_columns`` kept as given (they hold HTML built by this package)."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{v if c in html_columns or isinstance(v, Markup) else link_urls(v)}</td>" for c, v in zip(table.columns, row))
        + "</tr>"
        for row in table.itertuples(index=False)
    )
    # the table scrolls inside its own box on a narrow screen instead of widening the page
    return (f'<div class="pl-table" style="overflow-x:auto;max-width:100%"><table class="dataframe">'
            f'<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>')


def interactive_html(table: pd.DataFrame, table_id: str, html_columns: tuple[str, ...] = ()) -> str:
    """A reader table as an offline itables DataTable with a fixed id (so stored outputs are the
    same on every run): search, sort, ten rows a page. Needs :func:`interactive_tables_setup`
    earlier in the notebook."""
    from itables import to_html_datatable

    cells = table.copy()
    for c in cells.columns:
        if c not in html_columns:
            cells[c] = cells[c].map(lambda v: str(v) if isinstance(v, Markup) else link_urls(v))
    return to_html_datatable(cells, table_id=table_id, connected=False, allow_html=True, maxBytes=0,
                             pageLength=10, lengthMenu=[10, 25, 50, 100], showIndex=False,
                             classes="display compact", autoWidth=False, scrollX=True)


def show(table: pd.DataFrame, table_id: str, headers: dict[str, str] | None = None,
         html_columns: tuple[str, ...] = (), seeds: bool = True):
    """Display ``table`` for readers: short tables as static HTML, longer ones (more than
    :data:`STATIC_ROWS` rows) as an interactive table. ``table_id`` names it (letters, digits, -)."""
    from IPython.display import HTML

    readable = for_readers(table, headers, seeds)
    if len(readable) > STATIC_ROWS:
        return HTML(interactive_html(readable, table_id, html_columns))
    return HTML(table_html(readable, html_columns))


# Letter runs that the placeholder check of the book greps for; base64 data contains them by chance.
_PLACEHOLDER_RUNS = ("XXX", "TODO", "TKTK", "FIXME")


def _js_string(data: str) -> str:
    """``data`` as a JavaScript string expression, cut (``"ab" + "cd"``) inside any run of
    letters that spells a placeholder word, so a text check over the page is not tripped."""
    # a lookahead finds overlapping runs too ("XXXX" holds two "XXX")
    cuts = sorted({m.start() + 1 for run in _PLACEHOLDER_RUNS for m in re.finditer(f"(?={re.escape(run)})", data)})
    bounds = [0, *cuts, len(data)]
    return " + ".join(f'"{data[a:b]}"' for a, b in pairwise(bounds))


def itables_bundle():
    """The installed itables' offline DataTables library (``dt_bundle.js``; its style sheet is the
    ``.css`` file beside it)."""
    from pathlib import Path

    import itables

    return Path(itables.__file__).parent / "html" / "dt_bundle.js"


def itables_ready(version: str) -> tuple[str, str]:
    """The window global that holds itables ``version``'s library once it is loaded (a promise), and
    the event announcing it: what every interactive table of that version waits for."""
    return "_itables_" + version.replace(".", "_"), f"itables-{version}-ready"


def interactive_tables_setup():
    """The offline DataTables library for :func:`interactive_html`, embedded in the notebook's output
    (no request leaves it). Run once per notebook, in a ``remove-input`` cell whose output is kept.
    The book build replaces this output with one copy shared by every page
    (``book/_ext/itables_shared.py``)."""
    import base64

    import itables
    from IPython.display import HTML
    from itables.javascript import read_package_file

    bundle = itables_bundle()
    js = base64.b64encode(bundle.read_bytes()).decode("ascii")
    css = base64.b64encode(bundle.with_suffix(".css").read_bytes()).decode("ascii")
    template = read_package_file("html/init_notebook_offline.html")
    name, event = itables_ready(itables.__version__)
    page = (template.replace('"dt_css_b64"', _js_string(css)).replace('"dt_src_b64"', _js_string(js))
            .replace("_itables_underscore_version", name)
            .replace("itables-version-ready", event))
    return HTML(page)


def document_overview(sources: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per document: what it is, when it appeared, how reliable its source is, how long it is."""
    merged = sources.merge(documents[["source_id", "words", "units", "sentences"]], on="source_id", how="left")
    out = pd.DataFrame({
        "doc": merged["source_id"].map(doc_label),
        "outlet": merged["outlet"],
        "title": merged["title"],
        "published": merged["published"],
        "precision": merged["published_precision"],
        "kind": merged["doc_kind"],
        "language": merged["language_quality"],
        "reliability": merged["reliability"],
        "words": merged["words"],
        "units": merged["units"],
    })
    return out.sort_values("doc", kind="stable").set_index("doc")


def boilerplate_composition(documents: pd.DataFrame, boilerplate: pd.DataFrame) -> pd.DataFrame:
    """Characters of each document by part: ``body`` and one column per boilerplate kind.

    The columns add up to the document's stored length minus white space between lines, which
    belongs to no part. Index: the short document id.
    """
    kinds = sorted(boilerplate["kind"].unique()) if len(boilerplate) else []
    rows = []
    for _, doc in documents.sort_values("source_id").iterrows():
        bp = boilerplate[boilerplate["source_id"] == doc["source_id"]]
        row = {"doc": doc_label(doc["source_id"])}
        for kind in kinds:
            part = bp[bp["kind"] == kind]
            row[kind] = int((part["end"] - part["start"]).sum())
        row["body"] = int(doc["chars"]) - sum(row[k] for k in kinds)
        rows.append(row)
    return pd.DataFrame(rows, columns=["doc", "body", *kinds]).set_index("doc")


def quotes_in_context(table: pd.DataFrame, texts: dict[str, str], width: int = 45,
                      columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Each row's ``quote`` shown with ``width`` characters of context either side.

    ``table`` needs ``source_id`` and ``quote``; ``columns`` are carried over. Raises
    ``ValueError`` if a quote is not an exact, unique substring of its source.
    """
    rows = []
    for _, r in table.iterrows():
        start, end = quote_span(texts[r["source_id"]], r["quote"])
        left, mid, right = in_context(texts[r["source_id"]], start, end, width)
        rows.append({"doc": doc_label(r["source_id"]), "before": "…" + left, "quote": mid,
                     "after": right + "…", **{c: r[c] for c in columns}})
    return pd.DataFrame(rows)
