"""Framing: the words a document chooses, measured over its body text.

A document's *body* is its text with every boilerplate span (navigation, captions, related
links, see :func:`proxylens.corpus.boilerplate_spans`) blanked out, so offsets stay those of the
stored file. Over the body this module counts words, finds the loaded terms of
``data/curated/loaded_terms.csv`` as whole words, and turns counts into rates per 1,000 words so
that documents of different length compare: loaded terms by category, and the hedges and
boosters coded in each document's curated claims.
"""

from __future__ import annotations

import re

import pandas as pd

from proxylens import tables
from proxylens.corpus import doc_label

# A word: letters or digits, joined by hyphens or apostrophes ("Iran-backed", "Iran’s" are one word).
WORD = re.compile(r"\w+(?:[-’']\w+)*")


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
        {doc_label(sid): count_words(body_text(texts[sid], _spans_of(boilerplate, sid))) for sid in sorted(texts)},
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
        part = claims[claims["source_id"].map(doc_label) == doc]
        hedges = sum(len(tables.cell_values(v)) for v in part["hedges"])
        boosters = sum(len(tables.cell_values(v)) for v in part["boosters"])
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
        rows.extend({"source_id": sid, "doc": doc_label(sid), **hit} for hit in find_terms(body, terms))
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
