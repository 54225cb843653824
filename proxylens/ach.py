"""Heuer's Analysis of Competing Hypotheses (ACH) over the curated matrix.

``data/curated/ach_hypotheses.csv`` states the hypotheses; ``data/curated/ach_evidence.csv`` has
one row per item of evidence, its credibility (``1``–``6``, see :mod:`proxylens.grading`) and one
column per hypothesis holding the coded cell: consistent (``C``, ``CC`` very), inconsistent
(``I``, ``II`` very), neutral (``N``) or not applicable (``NA``). ACH ranks hypotheses by the
evidence against them, not by the evidence for them.
"""

from __future__ import annotations

import pandas as pd

from proxylens.corpus import doc_label

# ACH cell values: consistent (C, CC very), inconsistent (I, II very), neutral (N), not applicable (NA).
ACH_VALUES = {"CC": 2, "C": 1, "N": 0, "NA": None, "I": -1, "II": -2}


def hypothesis_ids(hypotheses: pd.DataFrame) -> list[str]:
    """The hypothesis ids, in table order (the ACH evidence table has one column per id)."""
    return list(hypotheses["hypothesis_id"])


def ach_matrix(evidence: pd.DataFrame, hypotheses: pd.DataFrame) -> pd.DataFrame:
    """Evidence (rows) against hypotheses (columns) with the coded cell values, plus credibility."""
    hyps = hypothesis_ids(hypotheses)
    out = evidence.set_index("evidence_id")[["description", "credibility", *hyps]].copy()
    out["in seed"] = [doc_label(s) if s else "" for s in evidence["source_id"]]
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
