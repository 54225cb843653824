"""Tables behind the claims and sources chapters (``05_claims``, ``06_sources``).

Each function takes the project's tables (as read by :mod:`proxylens.tables`: every column is
text) and returns the DataFrame a chapter shows, so tests can check the data behind every
figure: the claim inventory and its cross-tabulations (who speaks, evidence, verdicts,
narratives), loaded terms counted by term and shown in context, and cards for long text.
The measures these tables show are computed beside their stage: word counts, loaded terms and
marker rates in :mod:`proxylens.framing`, the Admiralty grades in :mod:`proxylens.grading`,
Heuer's Analysis of Competing Hypotheses in :mod:`proxylens.ach`. Nothing here reads files; the
claims stage's evaluation is in :mod:`proxylens.evaluation.claims`.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from proxylens import record, tables
from proxylens.corpus import in_context
from proxylens.report import (
    HEADERS,
    Markup,
    actor_cell,
    claim_verdicts,
    doc_label,
    join_cells,
    link_urls,
    plain_text,
    source_label,
)

VERDICTS = ("corroborated", "unverified", "contested", "contradicted")
DISPUTED = ("contested", "contradicted")
ATTRIBUTIONS = ("direct_quote", "indirect", "anonymous", "author_voice")
AUTHOR_LABEL = "author (outlet)"
ANONYMOUS_LABEL = "anonymous"


# ---------------------------------------------------------------- claimants and the inventory


def actor_names(actors: pd.DataFrame) -> dict[str, str]:
    """``{actor_id: name}`` from the registry."""
    return dict(zip(actors["actor_id"], actors["name"]))


def claimant_label(claimant_id: str, attribution: str, names: dict[str, str]) -> str:
    """Who makes a claim, as readers see it.

    The outlet's own voice (``author_voice``, whether coded ``author`` or with the outlet's
    actor id) is :data:`AUTHOR_LABEL`; a claim with no named claimant is :data:`ANONYMOUS_LABEL`;
    otherwise the registry name of each claimant id (several joined with " & ").

    >>> claimant_label("", "anonymous", {})
    'anonymous'
    >>> claimant_label("long-war-journal", "author_voice", {})
    'author (outlet)'
    """
    if attribution == "author_voice" or claimant_id == "author":
        return AUTHOR_LABEL
    ids = tables.cell_values(claimant_id)
    if not ids:
        return ANONYMOUS_LABEL
    return join_cells([names.get(i, i) for i in ids])


def claim_number(claim_id: str) -> int:
    """The claim's number within its document: ``c000-01`` -> 1 (the part after the last hyphen).

    >>> claim_number("c003-12")
    12
    """
    tail = claim_id.rsplit("-", 1)[-1]
    if not tail.isdigit():
        raise ValueError(f"claims.csv: claim_id {claim_id!r} does not end in a number")
    return int(tail)


def claim_label(claim_id: str, source_id: str) -> str:
    """How readers see a claim: its document's label and its number there (``c000-01`` of seed 000
    -> ``Iran News Update 2018, claim 1``)."""
    return f"{source_label(source_id)}, claim {claim_number(claim_id)}"


# A claim id, with the word "claim" before it if there is one (the label repeats it).
_CLAIM_ID = re.compile(r"\b(?:claim )?(c(\d{3})-\d+)\b")


def readable_claim_refs(text: str) -> str:
    """``text`` with every claim id (``c003-10``) replaced by the claim's readable label.

    >>> readable_claim_refs("see claim c003-10")
    'see The Baghdad Post 2017, claim 10'
    """
    return _CLAIM_ID.sub(lambda m: claim_label(m.group(1), m.group(2)), text)


def reuse_changes(reuse: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``text_reuse.csv`` for readers: ``change`` spelled out (``label_added`` -> ``label
    added``), the seed's words, the original's, and the note with claim ids made readable; in
    table order."""
    return pd.DataFrame({
        "change": reuse["change"].str.replace("_", " "),
        "in the seed": reuse["seed_quote"],
        "in the original": reuse["original_excerpt"],
        "note": reuse["note"].map(readable_claim_refs),
    }).reset_index(drop=True)


def _claim_table(claims: pd.DataFrame, actors: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """doc, claim (a readable label, see :func:`claim_label`), quote and claimant of each claim,
    then ``columns`` (new name -> claims column; the verdict columns come from
    :func:`proxylens.report.claim_verdicts`). Rows in document order, then claim number."""
    names = {a: actor_cell(a, n) for a, n in actor_names(actors).items()}
    verdicts = claim_verdicts(claims)
    # notes may cite another claim by its id; readers see its label
    verdicts[["attribution_note", "verdict_note"]] = verdicts[["attribution_note", "verdict_note"]].map(readable_claim_refs)
    claims = claims.drop(columns=[c for c in verdicts.columns if c in claims.columns]).join(verdicts)
    claims = claims.assign(_doc=claims["source_id"].map(doc_label), _n=[claim_number(c) for c in claims["claim_id"]])
    claims = claims.sort_values(["_doc", "_n"], kind="stable")
    out = pd.DataFrame({
        "doc": claims["_doc"],
        "claim": [claim_label(c, s) for c, s in zip(claims["claim_id"], claims["source_id"])],
        "quote": claims["quote"],
        "claimant": [claimant_label(c, a, names) for c, a in zip(claims["claimant_id"], claims["attribution"])],
        **{name: claims[col] for name, col in columns.items()},
    })
    return out.reset_index(drop=True)


def claim_inventory(claims: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per curated claim: doc, claim, quote, claimant, attribution, evidence, and both
    verdicts (attribution verdict, then content verdict)."""
    return _claim_table(claims, actors, {"attribution": "attribution", "evidence": "evidence_type",
                                         "attribution verdict": "attribution_verdict",
                                         "content verdict": "verdict"})


def claim_verdict_notes(claims: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Every claim with both verdicts and the note behind each: doc, claim, quote, claimant,
    ``attribution verdict``, ``attribution note``, ``content verdict``, ``content note``."""
    return _claim_table(claims, actors, {"attribution verdict": "attribution_verdict",
                                         "attribution note": "attribution_note",
                                         "content verdict": "verdict", "content note": "verdict_note"})


def verdict_crosstab_for_readers(claims: pd.DataFrame) -> pd.DataFrame:
    """:func:`proxylens.record.verdict_crosstab` with readable labels: rows "said as reported?"
    (the attribution verdict), columns "borne out by the record?" (the content verdict); the
    attribution verdicts no claim has are dropped, the totals kept."""
    tab = record.verdict_crosstab(claims)
    used = [v for v in tab.index if v == "total" or tab.loc[v, "total"] > 0]
    tab = tab.loc[used]
    tab.index.name = "attribution verdict ↓, content verdict →"
    tab.columns.name = None
    return tab


def divergent_claims(claims: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """:func:`proxylens.record.verdict_divergences` as readers see it: divergence, claim (label),
    claimant, both verdicts and the quote, in the order of :data:`proxylens.record.DIVERGENCES`."""
    found = record.verdict_divergences(claims)
    names = {a: actor_cell(a, n) for a, n in actor_names(actors).items()}
    attribution = dict(zip(claims["claim_id"], claims["attribution"]))
    return pd.DataFrame({
        "divergence": found["divergence"],
        "claim": [claim_label(c, s) for c, s in zip(found["claim_id"], found["source_id"])],
        "claimant": [claimant_label(c, attribution.get(i, ""), names)
                     for c, i in zip(found["claimant_id"], found["claim_id"])],
        "attribution verdict": found["attribution_verdict"],
        "content verdict": found["content_verdict"],
        "quote": found["quote"],
    }).reset_index(drop=True)


def attribution_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per document (rows) by attribution type (columns, fixed order), with a total."""
    table = pd.crosstab(claims["source_id"].map(doc_label), claims["attribution"])
    table = table.reindex(columns=list(ATTRIBUTIONS), fill_value=0)
    table["total"] = table.sum(axis=1)
    table.index.name, table.columns.name = "doc", None
    return table.sort_index()


def claimant_by_source(claims: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Who speaks where: claims per claimant (rows) and document (columns).

    The outlet's own voice and the anonymous claimants are rows of their own, first; the named
    claimants follow from the most frequent down (ties by name).
    """
    names = actor_names(actors)
    labels = [claimant_label(c, a, names) for c, a in zip(claims["claimant_id"], claims["attribution"])]
    table = pd.crosstab(pd.Series(labels, name="claimant"), claims["source_id"].map(doc_label).rename("doc").values)
    table.columns.name = "doc"
    own = [n for n in (AUTHOR_LABEL, ANONYMOUS_LABEL) if n in table.index]
    named = sorted((n for n in table.index if n not in own), key=lambda n: (-int(table.loc[n].sum()), n.lower()))
    return table.loc[own + named]


def evidence_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per document (rows) by evidence type (columns, most frequent first)."""
    table = pd.crosstab(claims["source_id"].map(doc_label), claims["evidence_type"])
    order = sorted(table.columns, key=lambda c: (-int(table[c].sum()), c))
    table = table[order]
    table.index.name, table.columns.name = "doc", "evidence type"
    return table.sort_index()


def verdict_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per document (rows) by verdict (columns in :data:`VERDICTS` order)."""
    table = pd.crosstab(claims["source_id"].map(doc_label), claim_verdicts(claims)["verdict"])
    table = table.reindex(columns=list(VERDICTS), fill_value=0)
    table.index.name, table.columns.name = "doc", "verdict"
    return table.sort_index()


def disputed_claims(claims: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """The contested and contradicted claims with the note that says why and the reference checked."""
    return _claim_table(claims[claim_verdicts(claims)["verdict"].isin(DISPUTED)], actors,
                        {"verdict": "verdict", "verdict_note": "verdict_note", "reference": "reference"})


def narrative_by_source(claims: pd.DataFrame, narratives: pd.DataFrame) -> pd.DataFrame:
    """Claims per narrative (rows, in the order of ``narratives``) and document (columns).

    Every narrative gets a row, including any no claim carries.
    """
    table = pd.crosstab(claims["narrative_id"], claims["source_id"].map(doc_label))
    table = table.reindex(index=list(narratives["narrative_id"]), fill_value=0)
    table.index.name, table.columns.name = "narrative", "doc"
    return table[sorted(table.columns)]


# ---------------------------------------------------------------- loaded terms


def term_counts(hits: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """Occurrences of each term (rows, most frequent first) by document (columns); unused terms dropped."""
    table = pd.crosstab(hits["term"], hits["doc"])
    table.columns.name = "doc"
    category = dict(zip(terms["term"], terms["category"]))
    table.insert(0, "category", [category[t] for t in table.index])
    table["total"] = table.drop(columns="category").sum(axis=1)
    order = sorted(table.index, key=lambda t: (-int(table.loc[t, "total"]), t.lower()))
    return table.loc[order]


def keyword_in_context(hits: pd.DataFrame, texts: dict[str, str], width: int = 50) -> pd.DataFrame:
    """Each loaded-term occurrence with ``width`` characters either side (via :func:`in_context`)."""
    rows = []
    for _, h in hits.iterrows():
        left, mid, right = in_context(texts[h["source_id"]], int(h["start"]), int(h["end"]), width)
        rows.append({"doc": h["doc"], "before": left, "term": mid, "after": right, "category": h["category"]})
    return pd.DataFrame(rows, columns=["doc", "before", "term", "after", "category"])


def cards_html(table: pd.DataFrame, title: list[str], fields: list[str], quote: str | None = None) -> str:
    """Rows of ``table`` as HTML cards, for text too long for table cells.

    Each card has a bold heading (the ``title`` columns joined by " · "), the ``quote`` column
    (if given) as a block quotation, then one labelled paragraph per ``fields`` column (empty
    values left out). Every value is escaped, so markup or MyST syntax in the data shows as text.
    """
    esc = html.escape
    out = []
    for _, r in table.iterrows():
        parts = ["<div style='margin:0 0 1em 0;padding:0.2em 0.8em;border-left:3px solid #bbb'>",
                 "<p style='margin:0.2em 0'><b>"
                 + " · ".join(str(r[c]) if isinstance(r[c], Markup) else esc(str(r[c])) for c in title if plain_text(r[c]))
                 + "</b></p>"]
        if quote is not None:
            parts.append("<blockquote style='margin:0.3em 0 0.3em 1em'>" + esc(str(r[quote])) + "</blockquote>")
        # escaped text, with any web address made a link
        parts += [f"<p style='margin:0.2em 0'><i>{esc(HEADERS.get(c, c.replace('_', ' ')))}:</i> "
                  f"{str(r[c]) if isinstance(r[c], Markup) else link_urls(str(r[c]))}</p>"
                  for c in fields if str(r[c])]
        parts.append("</div>")
        out.append("\n".join(parts))
    return "\n".join(out)


def kwic_html(kwic: pd.DataFrame) -> str:
    """A keyword-in-context table as HTML: left context right-aligned, the term in bold.

    Every piece of source text is escaped, so markup or MyST syntax in a document shows as text.
    """
    cell = "<td style='{}'>{}</td>"
    head = ("<thead><tr><th>doc</th><th>category</th><th style='text-align:right'>before</th>"
            "<th>term</th><th style='text-align:left'>after</th></tr></thead>")
    lines = ["<table class='kwic'>", head, "<tbody>"]
    for _, r in kwic.iterrows():
        lines.append("<tr>" + "".join([
            cell.format("", html.escape(r["doc"])),
            cell.format("", html.escape(r["category"])),
            cell.format("text-align:right;white-space:nowrap", html.escape(r["before"])),
            cell.format("white-space:nowrap", "<b>" + html.escape(r["term"]) + "</b>"),
            cell.format("text-align:left;white-space:nowrap", html.escape(r["after"])),
        ]) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)
