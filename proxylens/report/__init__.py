"""Small, tested helpers that shape tables for the book's chapters.

This package holds the corpus chapter's helpers; each later chapter has a submodule
(``report.actors``, ``report.timeline``, ``report.claims``, ``report.evaluation``).

Notebooks call these instead of holding logic: each returns a DataFrame whose rows and columns
are what a chapter shows or plots, so tests can check the data behind every figure.
"""

from __future__ import annotations

import pandas as pd

from proxylens.corpus import in_context, quote_span


def short_id(source_id: str) -> str:
    """The three-digit prefix readers see (``000_03e2…`` -> ``000``)."""
    return source_id.split("_", 1)[0]


def document_overview(sources: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per document: what it is, when it appeared, how reliable its source is, how long it is."""
    merged = sources.merge(documents[["source_id", "words", "units", "sentences"]], on="source_id", how="left")
    out = pd.DataFrame({
        "doc": merged["source_id"].map(short_id),
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
        row = {"doc": short_id(doc["source_id"])}
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
        rows.append({"doc": short_id(r["source_id"]), "before": "…" + left, "quote": mid,
                     "after": right + "…", **{c: r[c] for c in columns}})
    return pd.DataFrame(rows)
