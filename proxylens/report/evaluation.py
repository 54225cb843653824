"""The Evaluation chapter's tables, shaped for readers.

The scores are computed once, by :mod:`proxylens.evaluation` (``python -m proxylens.evaluation
write data/derived/evaluation``), and read back with :func:`proxylens.evaluation.store.read_table`
and :func:`proxylens.evaluation.store.read_values`; this module only shapes them for the chapter:
readers' names for ids, narrow gold/automatic columns, examples per category, the development-set
score table and its targets.
"""

from __future__ import annotations

import re

import pandas as pd

from proxylens.report import source_label


def gold_versus_auto(errors: pd.DataFrame) -> pd.DataFrame:
    """An error table with its ``gold`` and ``auto`` columns shown as one narrow ``gold / auto`` column."""
    both = errors["gold"].replace("", "–") + " / " + errors["auto"].replace("", "–")
    return errors.drop(columns=["gold", "auto"]).assign(**{"gold / auto": both})


def examples(errors: pd.DataFrame, per_category: int = 2) -> pd.DataFrame:
    """The first ``per_category`` errors of each category in each corpus, in table order."""
    return errors.groupby(["category", "corpus"], sort=True).head(per_category).sort_values(
        ["category", "corpus"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- readers' names in evaluation tables


def _id_names() -> dict[str, str]:
    """Registry actor ids and curated claim ids -> the names readers see (an actor's name; a claim as
    its document's label and number)."""
    from proxylens import tables

    names = dict(zip(tables.curated("actors")["actor_id"], tables.curated("actors")["name"]))
    claims = tables.curated("claims")
    for claim_id, source_id in zip(claims["claim_id"], claims["source_id"]):
        number = int(claim_id.rsplit("-", 1)[1])
        names[claim_id] = f"{source_label(source_id)}, claim {number}"
    return names


_ID_TOKEN = re.compile(r"(?:new:)?[a-z0-9]+(?:-[a-z0-9]+)+")


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every registry actor id and curated claim id in its cells replaced by the name a
    reader knows ("qassem-soleimani" -> "Qassem Soleimani", "c002-17" -> "Iran News Update 2019,
    claim 17"), also inside lists such as "ansar-allah x18; new:yemeni-armed-forces x1". An id of a
    new, unregistered actor (``new:…``) stays as it is, the extractor's own name for it, unless the
    registry has since taken the actor in under the same id: then it is named like any other."""
    names = _id_names()

    def name(match: re.Match) -> str:
        token = match.group(0)
        return names.get(token.removeprefix("new:"), token)

    def swap(value):
        return _ID_TOKEN.sub(name, value) if isinstance(value, str) else value

    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(swap)
    if out.index.dtype == object:
        out.index = out.index.map(swap)
    return out


# ---------------------------------------------------------------- the development set of real news


DEV_PEERS = {"spacy_ner": "spaCy NER alone", "dateparser": "dateparser", "textacy": "textacy quotations"}


def dev_score_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The development-set scores for readers: one row per measure, ours beside the plain peer run
    on the same articles, each with its count, and whether ours is the better."""
    rows = []
    for r in scores.itertuples(index=False):
        # An F1 score is a harmonic mean, not a share of items: its counts would read as nonsense.
        f1 = "F1" in r.metric
        rows.append({
            "measure": r.metric,
            "Proxy Lens": f"{r.ours:.3f}",
            "Proxy Lens (right/all)": "" if f1 else f"{r.ours_k}/{r.ours_n}",
            "peer": DEV_PEERS.get(r.peer, r.peer),
            "peer score": f"{r.peer_value:.3f}",
            "peer (right/all)": "" if f1 else f"{r.peer_k}/{r.peer_n}",
            "better": "Proxy Lens" if r.ours > r.peer_value else ("tie" if r.ours == r.peer_value else "peer"),
        })
    return pd.DataFrame(rows).set_index("measure")


DEV_ERROR_KINDS = {
    "missed": "gold mention not found",
    "no_identity": "found without an identity",
    "spurious": "found, not an actor in the gold",
    "split_or_merged": "one actor under several ids",
    "wrong_value": "dated expression with a wrong value",
    "wrong_claimant": "statement with a wrong or no claimant",
}


def dev_error_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """How many errors of each kind the development set shows (``counts``: columns ``kind`` and
    ``errors``, the stored ``dev_error_counts`` table), with each kind in words."""
    rows = [{"kind of error": DEV_ERROR_KINDS.get(k, k), "count": int(n)} for k, n in zip(counts["kind"], counts["errors"])]
    return pd.DataFrame(rows).set_index("kind of error")


# The project's targets for real news (issue acceptance): measure -> least acceptable share.
DEV_TARGETS = {"mentions with an identity": 0.90, "pairwise cluster F1": 0.90, "dated expressions right": 0.85,
               "claimant right": 0.80}


def dev_targets_markdown(scores: pd.DataFrame, targets: dict[str, float] = DEV_TARGETS) -> str:
    """One Markdown bullet per target measure: our score (with its count, except for an F1), whether it
    meets the target, and the peer's score."""
    lines = []
    for metric, target in targets.items():
        row = scores[scores["metric"] == metric].iloc[0]
        verdict = "meets" if row["ours"] >= target else "falls short of"
        counts = "" if "F1" in metric else f" ({row['ours_k']} of {row['ours_n']})"
        lines.append(f"- **{metric}**: {row['ours']:.1%}{counts}, which {verdict} the project's target of "
                     f"{target:.0%}; the peer gets {row['peer_value']:.1%}.")
    return "Against the targets the project set for real news:\n\n" + "\n".join(lines)
