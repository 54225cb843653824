"""Tables behind the claims and sources chapters (``05_claims``, ``06_sources``).

Each function takes the project's tables (as read by :mod:`proxylens.tables`: every column is
text) and returns the DataFrame a chapter shows or plots, so tests can check the data behind
every figure. Nothing here reads files; the claims stage's evaluation is in
:mod:`proxylens.evaluation.claims`.

Three groups of helpers:

* the claim inventory and its cross-tabulations (who speaks, evidence, hedging, verdicts,
  narratives);
* framing: loaded terms per 1,000 words of each document's body (boilerplate excluded) and each
  occurrence in context;
* grading: the Admiralty code's two separate axes (a source's reliability A–F, an item's
  credibility 1–6) and Heuer's Analysis of Competing Hypotheses (ACH).
"""

from __future__ import annotations

import html
import re

import pandas as pd

from proxylens import record
from proxylens.corpus import in_context
from proxylens.report import (
    HEADERS,
    RELIABILITY,
    Markup,
    actor_cell,
    claim_verdicts,
    join_cells,
    link_urls,
    plain_text,
    short_id,
    source_label,
)

VERDICTS = ("corroborated", "unverified", "contested", "contradicted")
DISPUTED = ("contested", "contradicted")
ATTRIBUTIONS = ("direct_quote", "indirect", "anonymous", "author_voice")
AUTHOR_LABEL = "author (outlet)"
ANONYMOUS_LABEL = "anonymous"

# The Admiralty grading (FM 2-22.3, appendix B): reliability grades a source (RELIABILITY, in
# proxylens.report), credibility an item.
CREDIBILITY = {
    "1": "confirmed", "2": "probably true", "3": "possibly true",
    "4": "doubtfully true", "5": "improbable", "6": "cannot be judged",
}

# ACH cell values: consistent (C, CC very), inconsistent (I, II very), neutral (N), not applicable (NA).
ACH_VALUES = {"CC": 2, "C": 1, "N": 0, "NA": None, "I": -1, "II": -2}

# A word: letters or digits, joined by hyphens or apostrophes ("Iran-backed", "Iran’s" are one word).
WORD = re.compile(r"\w+(?:[-’']\w+)*")
_ID_SPLIT = re.compile(r"[;|]")


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
    ids = [i.strip() for i in _ID_SPLIT.split(claimant_id or "") if i.strip()]
    if not ids:
        return ANONYMOUS_LABEL
    return join_cells([names.get(i, i) for i in ids])


def _split_markers(value: str) -> list[str]:
    """The hedges or boosters in a cell ("likely;may" -> two); blanks give none."""
    return [m.strip() for m in _ID_SPLIT.split(value or "") if m.strip()]


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
    claims = claims.assign(_doc=claims["source_id"].map(short_id), _n=[claim_number(c) for c in claims["claim_id"]])
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
    table = pd.crosstab(claims["source_id"].map(short_id), claims["attribution"])
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
    table = pd.crosstab(pd.Series(labels, name="claimant"), claims["source_id"].map(short_id).rename("doc").values)
    table.columns.name = "doc"
    own = [n for n in (AUTHOR_LABEL, ANONYMOUS_LABEL) if n in table.index]
    named = sorted((n for n in table.index if n not in own), key=lambda n: (-int(table.loc[n].sum()), n.lower()))
    return table.loc[own + named]


def evidence_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per document (rows) by evidence type (columns, most frequent first)."""
    table = pd.crosstab(claims["source_id"].map(short_id), claims["evidence_type"])
    order = sorted(table.columns, key=lambda c: (-int(table[c].sum()), c))
    table = table[order]
    table.index.name, table.columns.name = "doc", "evidence type"
    return table.sort_index()


def verdict_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per document (rows) by verdict (columns in :data:`VERDICTS` order)."""
    table = pd.crosstab(claims["source_id"].map(short_id), claim_verdicts(claims)["verdict"])
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
    table = pd.crosstab(claims["narrative_id"], claims["source_id"].map(short_id))
    table = table.reindex(index=list(narratives["narrative_id"]), fill_value=0)
    table.index.name, table.columns.name = "narrative", "doc"
    return table[sorted(table.columns)]


# ---------------------------------------------------------------- body text, words and markers


def body_text(text: str, spans: pd.DataFrame) -> str:
    """``text`` with every boilerplate span blanked out (replaced by spaces).

    Offsets stay those of the stored file, and a word cut by a span is not glued to its
    neighbour. ``spans`` needs integer ``start`` and ``end`` columns.

    >>> body_text("Home / News\\nIt said so.", pd.DataFrame({"start": [0], "end": [11]}))
    '           \\nIt said so.'
    """
    chars = list(text)
    for start, end in zip(spans["start"], spans["end"]):
        chars[int(start):int(end)] = " " * (int(end) - int(start))
    return "".join(chars)


def count_words(text: str) -> int:
    """Words in ``text`` (see :data:`WORD`: hyphenated and possessive forms count once).

    >>> count_words("Iran-backed militias’ leaders, 2019.")
    4
    """
    return len(WORD.findall(text))


def _spans_of(boilerplate: pd.DataFrame, source_id: str) -> pd.DataFrame:
    return boilerplate[boilerplate["source_id"] == source_id] if len(boilerplate) else boilerplate


def body_words(texts: dict[str, str], boilerplate: pd.DataFrame) -> pd.Series:
    """Words of each document's body (boilerplate excluded), indexed by short doc id."""
    return pd.Series(
        {short_id(sid): count_words(body_text(texts[sid], _spans_of(boilerplate, sid))) for sid in sorted(texts)},
        name="words",
    ).rename_axis("doc")


def per_thousand(count: float, words: int) -> float:
    """``count`` per 1,000 words, rounded to three decimals (0 for an empty text)."""
    return round(1000 * count / words, 3) if words else 0.0


def marker_rates(claims: pd.DataFrame, words: pd.Series) -> pd.DataFrame:
    """Hedges and boosters coded in each document's claims: counts and per 1,000 body words.

    ``words`` is :func:`body_words`. A cell may hold several markers ("likely;may").
    """
    rows = []
    for doc in sorted(words.index):
        part = claims[claims["source_id"].map(short_id) == doc]
        hedges = sum(len(_split_markers(v)) for v in part["hedges"])
        boosters = sum(len(_split_markers(v)) for v in part["boosters"])
        n = int(words[doc])
        rows.append({"doc": doc, "words": n, "hedges": hedges, "boosters": boosters,
                     "hedges per 1,000 words": per_thousand(hedges, n),
                     "boosters per 1,000 words": per_thousand(boosters, n)})
    return pd.DataFrame(rows).set_index("doc")


# ---------------------------------------------------------------- loaded terms


def term_pattern(term: str) -> re.Pattern:
    """A case-insensitive pattern for ``term`` as a whole word.

    Whole word: not preceded or followed by a letter or digit, nor joined to one by a hyphen
    ("militia" does not match "militias" or "anti-militia"); a possessive ending does not stop a
    match ("militia’s"). The words of a multi-word term may be separated by any white space.
    """
    body = r"\s+".join(re.escape(w) for w in term.split())
    return re.compile(rf"(?<![\w-])(?<!\w-){body}(?!\w)(?!-\w)", re.IGNORECASE)


def find_terms(text: str, terms: pd.DataFrame) -> list[dict]:
    """Every whole-word occurrence in ``text`` of each ``term`` of ``terms`` (columns term, category).

    Where two matches overlap the longer (then the earlier) wins, so no character is counted
    twice. Rows: term, category, start, end, match (the text as written), in text order.
    """
    found = []
    for term, category in zip(terms["term"], terms["category"]):
        for m in term_pattern(term).finditer(text):
            found.append({"term": term, "category": category, "start": m.start(), "end": m.end(),
                          "match": m.group(0)})
    kept: list[dict] = []
    for hit in sorted(found, key=lambda h: (-(h["end"] - h["start"]), h["start"], h["term"])):
        if not any(k["start"] < hit["end"] and hit["start"] < k["end"] for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: (h["start"], h["term"]))


def loaded_term_hits(texts: dict[str, str], boilerplate: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """Every occurrence of a loaded term in each document's body (boilerplate excluded).

    Columns: source_id, doc, term, category, start, end, match; offsets are into the stored file.
    """
    rows = []
    for sid in sorted(texts):
        body = body_text(texts[sid], _spans_of(boilerplate, sid))
        rows.extend({"source_id": sid, "doc": short_id(sid), **hit} for hit in find_terms(body, terms))
    return pd.DataFrame(rows, columns=["source_id", "doc", "term", "category", "start", "end", "match"])


def loaded_term_rates(hits: pd.DataFrame, words: pd.Series, categories: list[str] | None = None) -> pd.DataFrame:
    """Loaded-term occurrences per 1,000 body words, by document (rows) and category (columns).

    ``hits`` is :func:`loaded_term_hits`, ``words`` :func:`body_words`; ``categories`` fixes the
    column order (default: sorted). Adds ``all`` (the rate of every category together),
    ``occurrences`` and ``words``.
    """
    cats = categories if categories is not None else sorted(hits["category"].unique())
    rows = []
    for doc in sorted(words.index):
        part = hits[hits["doc"] == doc]
        n = int(words[doc])
        row = {"doc": doc}
        row.update({c: per_thousand(int((part["category"] == c).sum()), n) for c in cats})
        row.update({"all": per_thousand(len(part), n), "occurrences": len(part), "words": n})
        rows.append(row)
    return pd.DataFrame(rows).set_index("doc")


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


# ---------------------------------------------------------------- Admiralty grading


def source_grading(sources: pd.DataFrame) -> pd.DataFrame:
    """Each source's reliability grade (A–F) with its meaning and the note that justifies it."""
    out = pd.DataFrame({
        "doc": sources["source_id"].map(short_id),
        "outlet": sources["outlet"],
        "reliability": sources["reliability"],
        "meaning": sources["reliability"].map(RELIABILITY),
        "note": sources["reliability_note"],
    })
    return out.sort_values("doc", kind="stable").reset_index(drop=True)


def credibility_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per document (rows) by credibility grade ``1``–``6`` (every grade a column)."""
    table = pd.crosstab(claims["source_id"].map(short_id), claims["credibility"])
    table = table.reindex(columns=list(CREDIBILITY), fill_value=0)
    table.index.name, table.columns.name = "doc", "credibility"
    return table.sort_index()


def grading_summary(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Per document, the source's reliability next to its claims' credibility.

    Columns: reliability, claims, the share of claims graded 1–2 (confirmed or probably true),
    the share graded 4–6 (doubtfully true, improbable or cannot be judged), the best and worst grade.
    """
    reliability = dict(zip(sources["source_id"].map(short_id), sources["reliability"]))
    rows = []
    for doc, part in claims.groupby(claims["source_id"].map(short_id), sort=True):
        grades = part["credibility"].astype(int)
        rows.append({"doc": doc, "reliability": reliability.get(doc, ""), "claims": len(part),
                     "share 1–2": round(float((grades <= 2).mean()), 3),
                     "share 4–6": round(float((grades >= 4).mean()), 3),
                     "best": int(grades.min()), "worst": int(grades.max())})
    return pd.DataFrame(rows).set_index("doc")


# ---------------------------------------------------------------- Analysis of Competing Hypotheses


def hypothesis_ids(hypotheses: pd.DataFrame) -> list[str]:
    """The hypothesis ids, in table order (the ACH evidence table has one column per id)."""
    return list(hypotheses["hypothesis_id"])


def ach_matrix(evidence: pd.DataFrame, hypotheses: pd.DataFrame) -> pd.DataFrame:
    """Evidence (rows) against hypotheses (columns) with the coded cell values, plus credibility."""
    hyps = hypothesis_ids(hypotheses)
    out = evidence.set_index("evidence_id")[["description", "credibility", *hyps]].copy()
    out["in seed"] = [short_id(s) if s else "" for s in evidence["source_id"]]
    return out[["description", "in seed", "credibility", *hyps]]


def ach_scores(evidence: pd.DataFrame, hypotheses: pd.DataFrame,
               weights: pd.Series | None = None) -> pd.DataFrame:
    """Heuer's scores per hypothesis.

    The *inconsistency* score counts the evidence against a hypothesis (I = -1, II = -2): the
    hypothesis with the score nearest zero is the one the evidence least contradicts, which is
    what ACH ranks by. The *consistency* score (C = +1, CC = +2) is reported beside it, not
    added to it, since evidence consistent with several hypotheses proves little. N and NA
    count 0. ``weights`` (by evidence_id, default 1) multiplies each row's cell values in the two
    scores (the counts stay unweighted). Columns: inconsistency, consistency and the count of
    each cell value; rows: hypotheses.
    """
    w = weights if weights is not None else pd.Series(1, index=evidence["evidence_id"])
    weight = list(evidence["evidence_id"].map(w))
    # Whole-number weights (the default) give whole-number scores.
    number = int if all(float(x).is_integer() for x in weight) else (lambda x: round(float(x), 3))
    rows = []
    for h in hypothesis_ids(hypotheses):
        values = list(evidence[h].map(ACH_VALUES))
        row = {"hypothesis": h,
               "inconsistency": number(sum(v * x for v, x in zip(values, weight) if v is not None and v < 0)),
               "consistency": number(sum(v * x for v, x in zip(values, weight) if v is not None and v > 0))}
        row.update({code: int((evidence[h] == code).sum()) for code in ACH_VALUES})
        rows.append(row)
    return pd.DataFrame(rows).set_index("hypothesis")


def ach_diagnosticity(evidence: pd.DataFrame, hypotheses: pd.DataFrame) -> pd.DataFrame:
    """How far each evidence row tells the hypotheses apart.

    ``spread`` is the largest minus the smallest cell value over the hypotheses (NA left out):
    0 means the evidence scores the same for every hypothesis and is *non-diagnostic*; the
    larger the spread, the more it discriminates. ``against`` lists the hypotheses it is
    inconsistent with.
    """
    hyps = hypothesis_ids(hypotheses)
    rows = []
    for _, r in evidence.iterrows():
        values = [ACH_VALUES[r[h]] for h in hyps if ACH_VALUES[r[h]] is not None]
        spread = (max(values) - min(values)) if values else 0
        rows.append({"evidence_id": r["evidence_id"], **{h: r[h] for h in hyps}, "spread": spread,
                     "diagnostic": spread > 0,
                     "against": ", ".join(h for h in hyps if (ACH_VALUES[r[h]] or 0) < 0)})
    return pd.DataFrame(rows).set_index("evidence_id")


def separating_evidence(evidence: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """The evidence that tells hypothesis ``first`` from ``second``: rows where one is consistent
    (C, CC) or neutral and the other inconsistent (I, II), or the reverse.

    A difference of degree only (C against CC) does not separate them. Columns: the two cell
    values, credibility, description; ``favours`` names the hypothesis it fits better.
    """
    rows = []
    for _, r in evidence.iterrows():
        a, b = ACH_VALUES[r[first]], ACH_VALUES[r[second]]
        if a is None or b is None or (a < 0) == (b < 0):
            continue
        rows.append({"evidence_id": r["evidence_id"], first: r[first], second: r[second],
                     "favours": first if a > b else second, "credibility": r["credibility"],
                     "description": r["description"]})
    return pd.DataFrame(rows, columns=["evidence_id", first, second, "favours", "credibility", "description"])


def disconfirming_evidence(evidence: pd.DataFrame, hypotheses: pd.DataFrame) -> pd.DataFrame:
    """One row per (hypothesis, evidence) cell coded I or II: the evidence that speaks against each."""
    rows = []
    for h in hypothesis_ids(hypotheses):
        for _, r in evidence.iterrows():
            if (ACH_VALUES[r[h]] or 0) < 0:
                rows.append({"hypothesis": h, "evidence_id": r["evidence_id"], "value": r[h],
                             "credibility": r["credibility"], "description": r["description"]})
    return pd.DataFrame(rows, columns=["hypothesis", "evidence_id", "value", "credibility", "description"])


# ---------------------------------------------------------------- plotting


