"""Source grading: the Admiralty code's two separate axes, as the curated tables record them.

A *source* is graded for reliability (``A``–``F``, the ``reliability`` column of
``seeds/sources.csv``, with ``reliability_note`` saying why); an *item* it reports is graded for
credibility (``1``–``6``, the ``credibility`` column of ``data/curated/claims.csv``). The two are
kept apart: a usually reliable outlet can carry an improbable claim, and the reverse. The scale
is that of FM 2-22.3, appendix B.
"""

from __future__ import annotations

import pandas as pd

from proxylens.corpus import doc_label

RELIABILITY = {"A": "reliable", "B": "usually reliable", "C": "fairly reliable", "D": "not usually reliable",
               "E": "unreliable", "F": "cannot be judged"}
CREDIBILITY = {
    "1": "confirmed", "2": "probably true", "3": "possibly true",
    "4": "doubtfully true", "5": "improbable", "6": "cannot be judged",
}


def reliability_text(grade: str) -> str:
    """An Admiralty reliability letter with its meaning: ``B`` -> ``B (usually reliable)``."""
    return f"{grade} ({RELIABILITY[grade]})" if grade in RELIABILITY else grade


def source_grading(sources: pd.DataFrame) -> pd.DataFrame:
    """Each source's reliability grade (A–F) with its meaning and the note that justifies it."""
    out = pd.DataFrame({
        "doc": sources["source_id"].map(doc_label),
        "outlet": sources["outlet"],
        "reliability": sources["reliability"],
        "meaning": sources["reliability"].map(RELIABILITY),
        "note": sources["reliability_note"],
    })
    return out.sort_values("doc", kind="stable").reset_index(drop=True)


def credibility_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per document (rows) by credibility grade ``1``–``6`` (every grade a column)."""
    table = pd.crosstab(claims["source_id"].map(doc_label), claims["credibility"])
    table = table.reindex(columns=list(CREDIBILITY), fill_value=0)
    table.index.name, table.columns.name = "doc", "credibility"
    return table.sort_index()


def grading_summary(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Per document, the source's reliability next to its claims' credibility.

    Columns: reliability, claims, the share of claims graded 1–2 (confirmed or probably true),
    the share graded 4–6 (doubtfully true, improbable or cannot be judged), the best and worst grade.
    """
    reliability = dict(zip(sources["source_id"].map(doc_label), sources["reliability"]))
    rows = []
    for doc, part in claims.groupby(claims["source_id"].map(doc_label), sort=True):
        grades = part["credibility"].astype(int)
        rows.append({"doc": doc, "reliability": reliability.get(doc, ""), "claims": len(part),
                     "share 1–2": round(float((grades <= 2).mean()), 3),
                     "share 4–6": round(float((grades >= 4).mean()), 3),
                     "best": int(grades.min()), "worst": int(grades.max())})
    return pd.DataFrame(rows).set_index("doc")
