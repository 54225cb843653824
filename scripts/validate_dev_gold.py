"""Check the frozen development set (``data/dev/``): texts, sources and hand-written gold.

Usage: python scripts/validate_dev_gold.py [--root data/dev] [--registry data/curated]

Checks, for every row of every table (stops at the first error with a one-line message naming
the file and the row, exit status 1; prints a summary and exits 0 when all pass):

* ``sources.csv`` has the documented columns, lists every ``.txt`` of the folder exactly once and
  nothing else; ``published`` is an EDTF day, month or year; ``outlet_kind`` and
  ``redistribution`` come from the documented vocabularies;
* ``gold/mentions.csv`` and ``gold/timexes.csv``: ``source_id`` names a text, ``0 <= start < end
  <= len(text)`` and ``text == content[start:end]`` with the file read as UTF-8; mentions of one
  document never overlap; an ``entity_id`` is a registry ``actor_id`` (its ``entity_kind`` must
  then be the registry kind) or a ``new:<slug>`` id, and one id keeps one kind everywhere;
* ``gold/claims.csv``: ``claim_id`` is unique, ``quote`` is an exact substring of its text, the
  claimant is a registry id, a ``new:`` id or ``anonymous``.

It only reads files; it never runs the extractor.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from itertools import pairwise
from pathlib import Path

SOURCE_COLUMNS = [
    "file", "published", "title", "outlet", "outlet_kind", "url", "published_basis",
    "original_publisher", "note", "redistribution", "annotator",
]
MENTION_COLUMNS = ["source_id", "start", "end", "text", "entity_id", "entity_kind", "note"]
TIMEX_COLUMNS = [
    "source_id", "start", "end", "text", "value", "precision", "anchor", "anchor_basis", "expr_type", "note",
]
CLAIM_COLUMNS = [
    "claim_id", "source_id", "quote", "claimant_id", "claimant_text", "attribution", "cue", "hedges",
    "boosters", "evidence_type", "note",
]
OUTLET_KINDS = {"official", "wire", "newspaper", "regional", "think_tank"}
REDISTRIBUTION = {"public domain (US government work)", "third-party; stored for research and criticism"}
ENTITY_KINDS = {
    "person", "armed_group", "state", "state_agency", "government_body", "coalition", "party", "media",
    "igo", "company",
}
ANCHOR_BASES = {"", "document", "event", "explicit"}
ATTRIBUTIONS = {"direct_quote", "indirect", "anonymous"}
EDTF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
NEW_ID = re.compile(r"^new:[a-z0-9]+(-[a-z0-9]+)*$")


class GoldError(Exception):
    """One invalid row: the message names the file and the row."""


def read_table(path: Path, columns: list[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise GoldError(f"{path}: file missing")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != columns:
            raise GoldError(f"{path}: header {reader.fieldnames} is not {columns}")
        return list(reader)


def load_registry(registry: Path) -> dict[str, str]:
    with (registry / "actors.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {r["actor_id"]: r["kind"] for r in rows}


def check_span(path: Path, n: int, row: dict[str, str], texts: dict[str, str]) -> tuple[int, int]:
    where = f"{path} row {n}"
    sid = row["source_id"]
    if sid not in texts:
        raise GoldError(f"{where}: source_id {sid!r} has no .txt file")
    try:
        start, end = int(row["start"]), int(row["end"])
    except ValueError:
        raise GoldError(f"{where}: start/end are not integers") from None
    content = texts[sid]
    if not 0 <= start < end <= len(content):
        raise GoldError(f"{where}: span [{start}, {end}) outside the text ({len(content)} characters)")
    if content[start:end] != row["text"]:
        raise GoldError(f"{where}: text {row['text']!r} != content[{start}:{end}] {content[start:end]!r}")
    return start, end


def check_id(where: str, eid: str, registry: dict[str, str], extra: set[str] = frozenset()) -> None:
    if eid in registry or eid in extra or NEW_ID.match(eid):
        return
    raise GoldError(f"{where}: id {eid!r} is neither a registry actor_id nor a new:<slug> id")


def validate(root: Path, registry_dir: Path) -> dict[str, int]:
    registry = load_registry(registry_dir)
    files = sorted(p.name for p in root.glob("*.txt"))
    sources = read_table(root / "sources.csv", SOURCE_COLUMNS)
    listed: list[str] = []
    for n, row in enumerate(sources, 2):
        where = f"{root / 'sources.csv'} row {n}"
        if row["file"] not in files:
            raise GoldError(f"{where}: {row['file']!r} has no such .txt file")
        if not EDTF_DATE.match(row["published"]):
            raise GoldError(f"{where}: published {row['published']!r} is not an EDTF day, month or year")
        if row["outlet_kind"] not in OUTLET_KINDS:
            raise GoldError(f"{where}: outlet_kind {row['outlet_kind']!r} not in {sorted(OUTLET_KINDS)}")
        if row["redistribution"] not in REDISTRIBUTION:
            raise GoldError(f"{where}: redistribution {row['redistribution']!r} not in {sorted(REDISTRIBUTION)}")
        if not row["url"].startswith(("http://", "https://")):
            raise GoldError(f"{where}: url {row['url']!r} is not an http(s) address")
        listed.append(row["file"])
    if len(set(listed)) != len(listed):
        raise GoldError(f"{root / 'sources.csv'}: a file is listed twice")
    missing = sorted(set(files) - set(listed))
    if missing:
        raise GoldError(f"{root / 'sources.csv'}: does not list {missing[0]}")
    texts = {name[:-4]: (root / name).read_text(encoding="utf-8") for name in files}

    path = root / "gold" / "mentions.csv"
    kinds: dict[str, str] = {}
    spans: dict[str, list[tuple[int, int, int]]] = {}
    mentions = read_table(path, MENTION_COLUMNS)
    for n, row in enumerate(mentions, 2):
        where = f"{path} row {n}"
        start, end = check_span(path, n, row, texts)
        eid, kind = row["entity_id"], row["entity_kind"]
        check_id(where, eid, registry)
        if kind not in ENTITY_KINDS:
            raise GoldError(f"{where}: entity_kind {kind!r} not in {sorted(ENTITY_KINDS)}")
        if eid in registry and registry[eid] != kind:
            raise GoldError(f"{where}: entity_kind {kind!r} but the registry says {registry[eid]!r}")
        if kinds.setdefault(eid, kind) != kind:
            raise GoldError(f"{where}: {eid} has kind {kind!r} here and {kinds[eid]!r} elsewhere")
        spans.setdefault(row["source_id"], []).append((start, end, n))
    for sid, items in spans.items():
        items.sort()
        for (_, e1, n1), (s2, _, n2) in pairwise(items):
            if s2 < e1:
                raise GoldError(f"{path} row {n2}: overlaps row {n1} in {sid}")

    path = root / "gold" / "timexes.csv"
    timexes = read_table(path, TIMEX_COLUMNS)
    for n, row in enumerate(timexes, 2):
        check_span(path, n, row, texts)
        if row["anchor_basis"] not in ANCHOR_BASES:
            raise GoldError(f"{path} row {n}: anchor_basis {row['anchor_basis']!r} not in {sorted(ANCHOR_BASES)}")
        if row["anchor"] and not EDTF_DATE.match(row["anchor"]):
            raise GoldError(f"{path} row {n}: anchor {row['anchor']!r} is not an EDTF day, month or year")
        if not row["precision"] or not row["expr_type"]:
            raise GoldError(f"{path} row {n}: precision and expr_type are required")

    path = root / "gold" / "claims.csv"
    claims = read_table(path, CLAIM_COLUMNS)
    seen: set[str] = set()
    for n, row in enumerate(claims, 2):
        where = f"{path} row {n}"
        if row["claim_id"] in seen:
            raise GoldError(f"{where}: claim_id {row['claim_id']!r} repeated")
        seen.add(row["claim_id"])
        sid = row["source_id"]
        if sid not in texts:
            raise GoldError(f"{where}: source_id {sid!r} has no .txt file")
        if not row["quote"] or row["quote"] not in texts[sid]:
            raise GoldError(f"{where}: quote is not an exact substring of {sid}.txt")
        check_id(where, row["claimant_id"], registry, {"anonymous"})
        if row["attribution"] not in ATTRIBUTIONS:
            raise GoldError(f"{where}: attribution {row['attribution']!r} not in {sorted(ATTRIBUTIONS)}")
        if row["claimant_text"] and row["claimant_text"] not in texts[sid]:
            raise GoldError(f"{where}: claimant_text {row['claimant_text']!r} not in {sid}.txt")
    return {"texts": len(files), "mentions": len(mentions), "timexes": len(timexes), "claims": len(claims)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("data/dev"))
    parser.add_argument("--registry", type=Path, default=Path("data/curated"))
    args = parser.parse_args(argv)
    try:
        counts = validate(args.root, args.registry)
    except GoldError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(", ".join(f"{v} {k}" for k, v in counts.items()) + ": all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
