"""Scoring automatic claims against hand-coded gold claims.

Gold claims (``data/curated/claims.csv`` for the seeds, ``data/unseen/claims/claims_gold.csv``
for the unseen texts) carry a ``quote``: an exact substring of their document, unique in it, so
its span ``[start, end)`` is ``text.find(quote)``.

**Match.** An automatic claim *overlaps* a gold claim when the characters the two spans share
are at least ``MATCH_SHARE`` (half) of the shorter span. A gold claim is *found* when some
automatic claim of the same document overlaps it; its *match* is the overlapping automatic claim
with the greatest Jaccard overlap (shared / union characters; ties go to the earlier start), so
in "X said Y told Z that ..." the outer gold claim matches the outer automatic claim and the
inner one the inner. Overlapping candidates of the gold claim's own kind (attributed, or author
voice) are preferred: a sentence may carry both an author-voice claim ("Baghdadi downplays the
loss") and an attributed one inside it ("while claiming the US has entered ..."), and the
attributed gold claim asks whether the attributed one was found. The shorter-span rule lets a gold quote that includes the attribution
("The State Department said that ...") match an automatic span that holds only the content.

**Metrics.**

* ``attributed_recall``: found / gold claims whose attribution is not ``author_voice``;
* ``claimant_recall``: attributed gold claims found *with the right claimant*: the set of
  claimant ids of the match equals the gold's (ids split on ``;`` or ``|``); two empty sets are
  equal, so an anonymous gold claim is right when the automatic one names no one either;
  ``claimant_recall_lenient`` asks only that the sets share an id (or both be empty);
* ``attribution_accuracy``: share of found gold claims (any attribution) whose match has the
  same attribution type;
* ``evidence_accuracy``: the same for ``evidence_type`` (attributed claims only);
* ``author_recall``: gold ``author_voice`` claims overlapped by any automatic claim, and
  ``author_recall_as_author`` by an automatic ``author_voice`` claim;
* ``auto_unmatched``: automatic claims that overlap no gold claim (a precision estimate, since
  the gold is not exhaustive), with ``precision_estimate`` = matched / all automatic claims,
  also split by attributed and author-voice automatic claims.

Usage: ``python -m proxylens.evaluation.claims [--docs DIR --gold CSV] [--mentions auto|oracle]``;
``--unseen`` scores ``data/unseen/claims/``. With ``--mentions oracle`` the claims stage gets the
hand-coded mentions (``mentions_gold.csv``) instead of the actors stage's, which isolates its
own errors from those of mention finding.
"""

from __future__ import annotations

import argparse
import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MATCH_SHARE = 0.5
ID_SPLIT = re.compile(r"[;|]")


@dataclass(frozen=True)
class GoldClaim:
    """A gold claim located in its document (``start`` is -1 when its quote is not found)."""

    claim_id: str
    source_id: str
    start: int
    end: int
    quote: str
    claimant_ids: frozenset[str]
    attribution: str
    evidence_type: str
    row: dict


def ids_of(value: str) -> frozenset[str]:
    """The set of actor ids in a claimant cell ("a;b", "a|b"); "author" and blanks are dropped."""
    return frozenset(i.strip() for i in ID_SPLIT.split(value or "") if i.strip() and i.strip() != "author")


def read_csv_rows(path: str | Path) -> list[dict]:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "") for k, v in row.items() if k} for row in csv.DictReader(fh)]


def locate(rows: list[dict], texts: dict[str, str]) -> list[GoldClaim]:
    """Gold rows with the span of their quote in their document's text."""
    out = []
    for r in rows:
        text = texts.get(r["source_id"], "")
        quote = r.get("quote", "")
        start = text.find(quote) if quote else -1
        out.append(GoldClaim(
            r.get("claim_id", ""), r["source_id"], start, start + len(quote) if start >= 0 else -1, quote,
            ids_of(r.get("claimant_id", "")), r.get("attribution", ""), r.get("evidence_type", ""), r,
        ))
    return out


def shared(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two spans share at least ``MATCH_SHARE`` of the shorter one."""
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and shared(a, b) >= MATCH_SHARE * shorter


def jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    union = max(a[1], b[1]) - min(a[0], b[0])
    return shared(a, b) / union if union else 0.0


def _span(row: dict) -> tuple[int, int]:
    return int(row["start"]), int(row["end"])


def _is_author(attribution: str) -> bool:
    return attribution == "author_voice"


def best_match(gold: GoldClaim, auto: list[dict], attribution: str | None = None) -> dict | None:
    """The overlapping automatic claim of the same kind as the gold one (attributed or author
    voice) if there is one, else of any kind; among those the greatest Jaccard overlap wins
    (earliest start on ties). With ``attribution``, only automatic claims of that attribution count."""
    if gold.start < 0:
        return None
    g = (gold.start, gold.end)
    cands = [a for a in auto if a["source_id"] == gold.source_id and overlaps(g, _span(a))
             and (attribution is None or a["attribution"] == attribution)]
    same = [a for a in cands if _is_author(a["attribution"]) == _is_author(gold.attribution)]
    if not cands:
        return None
    return max(same or cands, key=lambda a: (jaccard(g, _span(a)), -int(a["start"])))


def right_claimant(gold: GoldClaim, auto: dict, lenient: bool = False) -> bool:
    """Whether the automatic claim names the gold claimant (see the module docstring)."""
    a = ids_of(auto.get("claimant_id", ""))
    if lenient:
        return bool(a & gold.claimant_ids) or (not a and not gold.claimant_ids)
    return a == gold.claimant_ids


def _rate(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def score(gold: list[GoldClaim], auto: list[dict]) -> dict:
    """The metrics of the module docstring for located ``gold`` claims against ``auto`` rows."""
    located = [g for g in gold if g.start >= 0]
    attributed = [g for g in located if g.attribution != "author_voice"]
    author = [g for g in located if g.attribution == "author_voice"]
    matches = {g.claim_id or f"{g.source_id}:{g.start}": best_match(g, auto) for g in located}

    def m(g):
        return matches[g.claim_id or f"{g.source_id}:{g.start}"]

    found_attr = [g for g in attributed if m(g) is not None]
    found_all = [g for g in located if m(g) is not None]
    matched_auto = [a for a in auto if any(overlaps((g.start, g.end), _span(a)) and g.source_id == a["source_id"]
                                           for g in located)]
    auto_attr = [a for a in auto if a["attribution"] != "author_voice"]
    auto_author = [a for a in auto if a["attribution"] == "author_voice"]
    matched_ids = {id(a) for a in matched_auto}
    return {
        "gold_claims": len(gold),
        "gold_unlocated": len(gold) - len(located),
        "attributed_gold": len(attributed),
        "attributed_found": len(found_attr),
        "attributed_recall": _rate(len(found_attr), len(attributed)),
        "claimant_right": sum(right_claimant(g, m(g)) for g in found_attr),
        "claimant_recall": _rate(sum(right_claimant(g, m(g)) for g in found_attr), len(attributed)),
        "claimant_recall_lenient": _rate(sum(right_claimant(g, m(g), True) for g in found_attr), len(attributed)),
        "attribution_accuracy": _rate(sum(m(g)["attribution"] == g.attribution for g in found_all), len(found_all)),
        "evidence_accuracy": _rate(sum(m(g)["evidence_type"] == g.evidence_type for g in found_attr),
                                   len(found_attr)),
        "author_gold": len(author),
        "author_found": sum(m(g) is not None for g in author),
        "author_recall": _rate(sum(m(g) is not None for g in author), len(author)),
        "author_recall_as_author": _rate(sum(best_match(g, auto, "author_voice") is not None for g in author),
                                         len(author)),
        "auto_claims": len(auto),
        "auto_unmatched": len(auto) - len(matched_auto),
        "precision_estimate": _rate(len(matched_auto), len(auto)),
        "auto_attributed": len(auto_attr),
        "auto_attributed_unmatched": sum(id(a) not in matched_ids for a in auto_attr),
        "auto_author": len(auto_author),
        "auto_author_unmatched": sum(id(a) not in matched_ids for a in auto_author),
    }


def details(gold: list[GoldClaim], auto: list[dict]) -> list[dict]:
    """One row per gold claim: its match (if any) and whether claimant, attribution and evidence agree."""
    out = []
    for g in gold:
        a = best_match(g, auto)
        out.append({
            "claim_id": g.claim_id, "source_id": g.source_id, "start": g.start, "end": g.end,
            "gold_attribution": g.attribution, "gold_claimant": ";".join(sorted(g.claimant_ids)),
            "found": a is not None,
            "auto_start": a["start"] if a else "", "auto_end": a["end"] if a else "",
            "auto_attribution": a["attribution"] if a else "", "auto_claimant": a["claimant_id"] if a else "",
            "auto_basis": a.get("claimant_basis", "") if a else "",
            "claimant_ok": bool(a) and right_claimant(g, a),
            "attribution_ok": bool(a) and a["attribution"] == g.attribution,
            "gold_evidence": g.evidence_type, "auto_evidence": a["evidence_type"] if a else "",
            "quote": g.quote,
        })
    return out


def unmatched(gold: list[GoldClaim], auto: list[dict]) -> list[dict]:
    """Automatic claims that overlap no located gold claim, in document order."""
    located = [g for g in gold if g.start >= 0]
    return [a for a in auto
            if not any(g.source_id == a["source_id"] and overlaps((g.start, g.end), _span(a)) for g in located)]


def oracle_mentions(path: str | Path) -> dict[str, list]:
    """Hand-coded mentions by source_id, as mention-like objects for :func:`proxylens.claims.find_claims`."""
    from types import SimpleNamespace

    out: dict[str, list] = {}
    for r in read_csv_rows(path):
        out.setdefault(r["source_id"], []).append(
            SimpleNamespace(start=int(r["start"]), end=int(r["end"]), text=r["text"], actor_id=r["actor_id"]))
    return out


def extract(docs_dir: str | Path, mentions: dict[str, list] | None = None) -> tuple[list[dict], dict[str, str]]:
    """Run the pipeline's claims stage over a folder: (claim rows, texts by source_id).

    ``mentions`` maps source_id to mentions to use instead of the actors stage's.
    """
    from proxylens.claims import TABLES, claim_rows
    from proxylens.corpus import load_corpus
    from proxylens.engine import extract as run_extractor
    from proxylens.engine import parsed_documents

    corpus = load_corpus(docs_dir)
    texts = {doc.source_id: doc.text for doc in corpus.documents}
    if mentions is None:
        return [row for table, row in run_extractor(corpus) if table in TABLES], texts
    rows: list[dict] = []
    for parsed in parsed_documents(corpus):  # oracle mentions go into the claims stage itself
        rows.extend(row for _, row in claim_rows(parsed, mentions.get(parsed.document.source_id, [])))
    return rows, texts


def evaluate(docs_dir: str | Path, gold_csv: str | Path, mentions: dict[str, list] | None = None) -> dict:
    """Extract claims from ``docs_dir`` and score them against ``gold_csv``: metrics, per-gold
    details, and the unmatched automatic claims."""
    auto, texts = extract(docs_dir, mentions)
    gold = locate(read_csv_rows(gold_csv), texts)
    return {"metrics": score(gold, auto), "details": details(gold, auto), "unmatched": unmatched(gold, auto)}


# ---------------------------------------------------------------- tables for the Evaluation chapter


def result_frames(metrics: dict, details_rows: list[dict], unmatched_rows: list[dict]) -> dict[str, pd.DataFrame]:
    """An evaluated set (:func:`score`, :func:`details`, :func:`unmatched`) as DataFrames: ``metrics``
    (one column ``value``), ``details`` (one row per gold claim) and ``unmatched``."""
    return {"metrics": pd.DataFrame({"value": pd.Series(metrics)}), "details": pd.DataFrame(details_rows),
            "unmatched": pd.DataFrame(unmatched_rows)}


def evaluation_counts(result: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The headline measures of one evaluated set as ``right`` of ``of`` and their ``share``.

    ``result`` is :func:`result_frames`. Rows: attributed claims found; found with the right
    claimant (of all attributed gold claims, the acceptance measure); right claimant among those
    found (claimant accuracy); attribution type right (found claims of any kind); evidence type
    right (found attributed claims); author-voice claims found; automatic claims that overlap a
    gold claim (a precision estimate: the gold is not exhaustive).
    """
    d = result["details"]
    m = result["metrics"]["value"]
    attributed = d[d["gold_attribution"] != "author_voice"]
    found_attr = attributed[attributed["found"]]
    found = d[d["found"]]
    author = d[d["gold_attribution"] == "author_voice"]
    auto = int(m["auto_claims"])
    rows = [
        ("attributed claims found", len(found_attr), len(attributed)),
        ("found with the right claimant", int(found_attr["claimant_ok"].sum()), len(attributed)),
        ("right claimant among those found", int(found_attr["claimant_ok"].sum()), len(found_attr)),
        ("attribution type right", int(found["attribution_ok"].sum()), len(found)),
        ("evidence type right", int((found_attr["auto_evidence"] == found_attr["gold_evidence"]).sum()),
         len(found_attr)),
        ("author-voice claims found", int(author["found"].sum()), len(author)),
        ("automatic claims overlapping a gold claim", auto - int(m["auto_unmatched"]), auto),
    ]
    return pd.DataFrame([{"measure": name, "right": r, "of": n, "share": round(r / n, 3) if n else 0.0}
                         for name, r, n in rows]).set_index("measure")


def evaluation_summary(results: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """The headline measures (rows) of each evaluated set (columns) as "right of n (share %)"."""
    columns = {}
    for name, result in results.items():
        counts = evaluation_counts(result)
        columns[name] = [f"{r} of {n} ({100 * s:.1f}%)" for r, n, s in
                         zip(counts["right"], counts["of"], counts["share"])]
        index = counts.index
    return pd.DataFrame(columns, index=index)


def claimant_misses(details: pd.DataFrame) -> pd.DataFrame:
    """Attributed gold claims not found, or found with the wrong claimant: what the gold and the
    extractor say."""
    attributed = details[details["gold_attribution"] != "author_voice"]
    miss = attributed[~attributed["claimant_ok"].astype(bool)]
    return pd.DataFrame({
        "claim": miss["claim_id"],
        "gold claimant": miss["gold_claimant"].replace("", "(anonymous)"),
        "found": miss["found"].astype(bool),
        "automatic claimant": [(a or "(anonymous)") if f else "" for a, f in zip(miss["auto_claimant"], miss["found"])],
        "quote": miss["quote"],
    }).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    from proxylens.paths import curated_dir, repo_root, seeds_dir

    parser = argparse.ArgumentParser(prog="python -m proxylens.evaluation.claims",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=None, help="folder of .txt documents (default: seeds/)")
    parser.add_argument("--gold", type=Path, default=None, help="gold claims CSV (default: data/curated/claims.csv)")
    parser.add_argument("--unseen", action="store_true", help="score data/unseen/claims/ against its claims_gold.csv")
    parser.add_argument("--mentions", choices=("auto", "oracle"), default="auto",
                        help="mentions from the actors stage (auto) or the hand-coded seed mentions (oracle)")
    parser.add_argument("--verbose", action="store_true", help="also print every gold claim and unmatched claim")
    args = parser.parse_args(argv)
    if args.unseen:
        docs = repo_root() / "data" / "unseen" / "claims"
        gold = docs / "claims_gold.csv"
    else:
        docs = args.docs or seeds_dir()
        gold = args.gold or curated_dir() / "claims.csv"
    mentions = oracle_mentions(curated_dir() / "mentions_gold.csv") if args.mentions == "oracle" else None
    result = evaluate(docs, gold, mentions)
    for key, value in result["metrics"].items():
        print(f"{key:28} {value}")
    if args.verbose:
        print()
        for d in result["details"]:
            good = d["attribution_ok"] if d["gold_attribution"] == "author_voice" else d["claimant_ok"]
            flag = "ok " if good else ("-- " if d["found"] else "XX ")
            print(f"{flag}{d['claim_id']:28} gold={d['gold_attribution']}/{d['gold_claimant'] or '-'} "
                  f"auto={d['auto_attribution']}/{d['auto_claimant'] or '-'} ({d['auto_basis']}) "
                  f"ev={d['gold_evidence']}/{d['auto_evidence']} | {d['quote'][:90]}")
        print("\nunmatched automatic claims:")
        for a in result["unmatched"]:
            print(f"   {a['source_id'][:3]} {a['attribution']:12} {a['claimant_id'] or '-':24} {a['text'][:100]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
