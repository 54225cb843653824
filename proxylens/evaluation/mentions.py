"""Scoring automatic actor mentions against hand-coded gold.

A mention is right when its span ``[start, end)`` and its ``actor_id`` both equal a gold
mention's (*strict*); *span-only* scores ask only for the span. Only automatic mentions with an
actor are scored: the gold codes registry actors, while unresolved mentions (unknown names found
by NER) are candidates for the registry, reported apart (``unresolved_on_gold``: gold spans the
extractor found but could not resolve).

Gold rows with an empty ``actor_id`` mark names the registry lacks (unseen texts only): they are
left out of precision and recall, and scored apart as ``unknown_found`` (found with the exact span,
as an unresolved mention) out of ``unknown_gold``.

Precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = their harmonic mean; a wrong actor on a
gold span counts once as FP and once as FN, and is listed once in the error table as
``wrong_actor``.

Usage: ``python -m proxylens.evaluation.mentions AUTO_MENTIONS_CSV [--gold GOLD_CSV]``.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

Key = tuple[str, int, int]  # source_id, start, end


@dataclass(frozen=True)
class Scores:
    """Counts and rates of one comparison (a document or the whole set)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, prefix: str = "") -> dict:
        return {f"{prefix}tp": self.tp, f"{prefix}fp": self.fp, f"{prefix}fn": self.fn,
                f"{prefix}precision": round(self.precision, 4), f"{prefix}recall": round(self.recall, 4),
                f"{prefix}f1": round(self.f1, 4)}


def read_rows(path: str | Path) -> list[dict]:
    """Read a mentions CSV (automatic or gold) as dicts with integer offsets."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["start"], r["end"] = int(r["start"]), int(r["end"])
        r["actor_id"] = r.get("actor_id") or ""
    return rows


def _key(row: dict) -> Key:
    return row["source_id"], row["start"], row["end"]


def compare(auto: list[dict], gold: list[dict], source_id: str | None = None) -> tuple[Scores, Scores]:
    """Strict (span and actor) and span-only scores of resolved ``auto`` rows against ``gold``.

    With ``source_id`` only that document's rows count.
    """
    a = [r for r in auto if r["actor_id"] and (source_id is None or r["source_id"] == source_id)]
    g = [r for r in gold if r["actor_id"] and (source_id is None or r["source_id"] == source_id)]
    strict_a = {(*_key(r), r["actor_id"]) for r in a}
    strict_g = {(*_key(r), r["actor_id"]) for r in g}
    span_a, span_g = {_key(r) for r in a}, {_key(r) for r in g}
    tp = len(strict_a & strict_g)
    span_tp = len(span_a & span_g)
    return (Scores(tp, len(strict_a) - tp, len(strict_g) - tp),
            Scores(span_tp, len(span_a) - span_tp, len(span_g) - span_tp))


def per_document(auto: list[dict], gold: list[dict]) -> list[dict]:
    """One row per document (sorted by source_id) and a final 'ALL' row: strict and span-only scores."""
    sources = sorted({r["source_id"] for r in gold} | {r["source_id"] for r in auto if r["actor_id"]})
    out = []
    for sid in [*sources, None]:
        strict, span = compare(auto, gold, sid)
        found, unknown = unknown_found(auto, gold, sid)
        out.append({"source_id": sid or "ALL", **strict.as_dict(), **span.as_dict("span_"),
                    "unknown_gold": unknown, "unknown_found": found})
    return out


def unknown_found(auto: list[dict], gold: list[dict], source_id: str | None = None) -> tuple[int, int]:
    """(found, total) gold names the registry lacks that the extractor kept as unresolved mentions."""
    unknown = {_key(r) for r in gold if not r["actor_id"] and (source_id is None or r["source_id"] == source_id)}
    found = {_key(r) for r in auto if not r["actor_id"]} & unknown
    return len(found), len(unknown)


def _overlapping(auto: list[dict], key: Key) -> dict | None:
    return next((r for r in auto if r["source_id"] == key[0] and r["start"] < key[2] and key[1] < r["end"]), None)


def errors(auto: list[dict], gold: list[dict]) -> list[dict]:
    """The error table: false positives, false negatives and wrong actors, in document order.

    A false negative names any automatic mention overlapping it (resolved or not) in ``auto_text``
    and ``method``, which says whether the span was missed, cut differently, or left unresolved.
    ``unknown_missed`` is a gold name the registry lacks that no unresolved mention found exactly.
    """
    resolved = {_key(r): r for r in auto if r["actor_id"]}
    gold_by = {_key(r): r for r in gold if r["actor_id"]}
    unresolved = {_key(r) for r in auto if not r["actor_id"]}
    unknown = {_key(r): r for r in gold if not r["actor_id"] and _key(r) not in unresolved and _key(r) not in resolved}
    out = []
    for key in sorted(set(resolved) | set(gold_by) | set(unknown)):
        a, g = resolved.get(key), gold_by.get(key) or unknown.get(key)
        if a and g and a["actor_id"] == g["actor_id"]:
            continue
        if a and g and g["actor_id"]:
            kind, row = "wrong_actor", a
        elif a:
            kind, row = "false_positive", a
        else:
            kind = "false_negative" if g["actor_id"] else "unknown_missed"
            row = _overlapping(auto, key)
        out.append({
            "source_id": key[0], "start": key[1], "end": key[2], "kind": kind,
            "text": (g or a)["text"], "gold_actor": g["actor_id"] if g else "",
            "auto_actor": a["actor_id"] if a else (row["actor_id"] if row else ""),
            "auto_text": row["text"] if row else "", "method": row.get("method", "") if row else "",
        })
    return out


def unresolved_on_gold(auto: list[dict], gold: list[dict]) -> int:
    """How many gold spans the extractor found exactly but left without an actor."""
    gold_spans = {_key(r) for r in gold}
    return sum(1 for r in auto if not r["actor_id"] and _key(r) in gold_spans)


def evaluate(auto_csv: str | Path, gold_csv: str | Path) -> dict:
    """Scores per document and overall, the error table, and the count of unresolved gold spans."""
    auto, gold = read_rows(auto_csv), read_rows(gold_csv)
    return {"documents": per_document(auto, gold), "errors": errors(auto, gold),
            "unresolved_on_gold": unresolved_on_gold(auto, gold)}


def _print_table(rows: list[dict]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols}
    print("  ".join(c.ljust(widths[c]) for c in cols))
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in cols))


def main(argv: list[str] | None = None) -> int:
    from proxylens.paths import curated_dir

    parser = argparse.ArgumentParser(prog="python -m proxylens.evaluation.mentions", description=__doc__.splitlines()[0])
    parser.add_argument("auto", type=Path, help="mentions.csv written by proxylens extract")
    parser.add_argument("--gold", type=Path, default=None, help="gold mentions (default: the curated seed gold)")
    args = parser.parse_args(argv)
    result = evaluate(args.auto, args.gold or curated_dir() / "mentions_gold.csv")
    _print_table(result["documents"])
    print(f"\nunresolved mentions on gold spans: {result['unresolved_on_gold']}")
    print(f"errors: {len(result['errors'])}")
    _print_table(result["errors"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
