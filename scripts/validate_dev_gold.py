"""Validate the hand-annotated development set in ``data/dev/``.

Checks, for every annotator's half at once:

- ``sources.csv`` lists every ``.txt`` in ``data/dev/`` and nothing else, with the expected columns,
  an EDTF day or month in ``published`` and a known ``outlet_kind``;
- every row of ``gold/mentions.csv`` and ``gold/timexes.csv`` names a listed source and its
  ``[start, end)`` offsets cut exactly ``text`` out of the stored file;
- every ``quote`` of ``gold/claims.csv`` is an exact substring of its source, and occurs there once;
- every ``entity_id`` and ``claimant_id`` is a registry id (``data/curated/actors.csv``) or a
  ``new:<slug>`` id (``claimant_id`` may also be ``anonymous``), and a registry id carries its
  registry kind;
- the closed vocabularies (kinds, precisions, anchor bases, expression types, attributions, evidence
  types) hold.

The first problem found is reported on one line naming the file (and row), with exit status 1.
Usage: ``python scripts/validate_dev_gold.py [DEV_DIR]`` (default ``data/dev``).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "data" / "curated" / "actors.csv"

SOURCE_COLUMNS = ["file", "published", "title", "outlet", "outlet_kind", "url", "published_basis",
                  "original_publisher", "note", "redistribution", "annotator"]
MENTION_COLUMNS = ["source_id", "start", "end", "text", "entity_id", "entity_kind", "note"]
TIMEX_COLUMNS = ["source_id", "start", "end", "text", "value", "precision", "anchor", "anchor_basis",
                 "expr_type", "note"]
CLAIM_COLUMNS = ["claim_id", "source_id", "quote", "claimant_id", "claimant_text", "attribution", "cue",
                 "hedges", "boosters", "evidence_type", "note"]

OUTLET_KINDS = {"official", "wire", "newspaper", "regional", "think_tank"}
ENTITY_KINDS = {"person", "armed_group", "state", "state_agency", "government_body", "coalition",
                "party", "media", "igo", "company"}
PRECISIONS = {"day", "month", "year", "interval", "duration", "unknown"}
ANCHOR_BASES = {"document", "event", "explicit", ""}
ATTRIBUTIONS = {"direct_quote", "indirect", "anonymous"}
EXPR_TYPES = {"explicit_date", "explicit_month", "explicit_year", "weekday", "relative_day", "relative_week",
              "relative_month", "relative_year", "anaphoric", "anniversary", "duration", "vague", "since"}
EVIDENCE_TYPES = {"court_ruling", "document_release", "anonymous_officials", "press_report", "designation_notice",
                  "interview_or_video", "group_claim", "official_statement", "none_given"}
REDISTRIBUTION = {"public domain (US government work)", "third-party; stored for research and criticism"}

NEW_ID = re.compile(r"^new:[a-z0-9]+(?:-[a-z0-9]+)*$")
EDTF_DAY_OR_MONTH = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
# An EDTF date at day, month or year precision, or an interval of two such dates.
EDTF_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
EDTF_VALUE = re.compile(rf"^{EDTF_DATE}(?:/{EDTF_DATE})?$")


class GoldError(Exception):
    """One validation failure, already phrased as a one-line message."""


def read_table(path: Path, columns: list[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise GoldError(f"{path}: missing")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != columns:
            raise GoldError(f"{path}: columns {reader.fieldnames} != expected {columns}")
        return list(reader)


def registry_kinds() -> dict[str, str]:
    with REGISTRY.open(encoding="utf-8", newline="") as handle:
        return {row["actor_id"]: row["kind"] for row in csv.DictReader(handle)}


def check_entity(where: str, entity_id: str, kinds: dict[str, str], extra: set[str] = frozenset()) -> None:
    if entity_id in kinds or entity_id in extra or NEW_ID.match(entity_id):
        return
    raise GoldError(f"{where}: id {entity_id!r} is neither a registry id nor a new:<slug> id")


def check_span(where: str, row: dict[str, str], texts: dict[str, str]) -> None:
    source_id = row["source_id"]
    if source_id not in texts:
        raise GoldError(f"{where}: source_id {source_id!r} has no listed .txt file")
    try:
        start, end = int(row["start"]), int(row["end"])
    except ValueError:
        raise GoldError(f"{where}: start/end are not integers") from None
    content = texts[source_id]
    if not 0 <= start < end <= len(content):
        raise GoldError(f"{where}: offsets [{start}, {end}) outside the text (length {len(content)})")
    if content[start:end] != row["text"]:
        raise GoldError(f"{where}: text {row['text']!r} != content[{start}:{end}] {content[start:end]!r}")


def validate(dev_dir: Path) -> dict[str, int]:
    kinds = registry_kinds()
    sources_path = dev_dir / "sources.csv"
    sources = read_table(sources_path, SOURCE_COLUMNS)
    listed = [row["file"] for row in sources]
    on_disk = sorted(path.name for path in dev_dir.glob("*.txt"))
    if len(set(listed)) != len(listed):
        raise GoldError(f"{sources_path}: a file is listed twice")
    if missing := sorted(set(on_disk) - set(listed)):
        raise GoldError(f"{sources_path}: {missing[0]} is not listed")
    if absent := sorted(set(listed) - set(on_disk)):
        raise GoldError(f"{sources_path}: listed file {absent[0]} does not exist")
    for number, row in enumerate(sources, start=2):
        where = f"{sources_path}:{number}"
        if not EDTF_DAY_OR_MONTH.match(row["published"]):
            raise GoldError(f"{where}: published {row['published']!r} is not an EDTF day or month")
        if row["outlet_kind"] not in OUTLET_KINDS:
            raise GoldError(f"{where}: outlet_kind {row['outlet_kind']!r} not in {sorted(OUTLET_KINDS)}")
        if row["redistribution"] not in REDISTRIBUTION:
            raise GoldError(f"{where}: redistribution {row['redistribution']!r} not recognised")
        for column in ("title", "outlet", "url", "published_basis", "annotator"):
            if not row[column].strip():
                raise GoldError(f"{where}: empty {column}")
    texts = {name[:-4]: (dev_dir / name).read_text(encoding="utf-8") for name in listed}

    mentions_path = dev_dir / "gold" / "mentions.csv"
    mentions = read_table(mentions_path, MENTION_COLUMNS)
    for number, row in enumerate(mentions, start=2):
        where = f"{mentions_path}:{number}"
        check_span(where, row, texts)
        check_entity(where, row["entity_id"], kinds)
        if row["entity_kind"] not in ENTITY_KINDS:
            raise GoldError(f"{where}: entity_kind {row['entity_kind']!r} not in {sorted(ENTITY_KINDS)}")
        if row["entity_id"] in kinds and kinds[row["entity_id"]] != row["entity_kind"]:
            raise GoldError(f"{where}: entity_kind {row['entity_kind']!r} but the registry says "
                            f"{kinds[row['entity_id']]!r}")

    timexes_path = dev_dir / "gold" / "timexes.csv"
    timexes = read_table(timexes_path, TIMEX_COLUMNS)
    for number, row in enumerate(timexes, start=2):
        where = f"{timexes_path}:{number}"
        check_span(where, row, texts)
        if row["precision"] not in PRECISIONS:
            raise GoldError(f"{where}: precision {row['precision']!r} not in {sorted(PRECISIONS)}")
        if row["anchor_basis"] not in ANCHOR_BASES:
            raise GoldError(f"{where}: anchor_basis {row['anchor_basis']!r} not in {sorted(ANCHOR_BASES)}")
        if row["expr_type"] not in EXPR_TYPES:
            raise GoldError(f"{where}: expr_type {row['expr_type']!r} not in {sorted(EXPR_TYPES)}")
        if row["value"] and not EDTF_VALUE.match(row["value"]):
            raise GoldError(f"{where}: value {row['value']!r} is not an EDTF date or interval")
        if row["precision"] in ("duration", "unknown") and row["value"]:
            raise GoldError(f"{where}: a {row['precision']} expression must have an empty value")
        if row["anchor_basis"] in ("document", "event") and not EDTF_VALUE.match(row["anchor"]):
            raise GoldError(f"{where}: anchor_basis {row['anchor_basis']} needs an EDTF anchor")

    claims_path = dev_dir / "gold" / "claims.csv"
    claims = read_table(claims_path, CLAIM_COLUMNS)
    seen_ids: set[str] = set()
    for number, row in enumerate(claims, start=2):
        where = f"{claims_path}:{number}"
        if row["claim_id"] in seen_ids:
            raise GoldError(f"{where}: duplicate claim_id {row['claim_id']!r}")
        seen_ids.add(row["claim_id"])
        if row["source_id"] not in texts:
            raise GoldError(f"{where}: source_id {row['source_id']!r} has no listed .txt file")
        if not row["quote"] or row["quote"] not in texts[row["source_id"]]:
            raise GoldError(f"{where}: quote is not an exact substring of {row['source_id']}.txt")
        if texts[row["source_id"]].count(row["quote"]) > 1:
            raise GoldError(f"{where}: quote occurs more than once in {row['source_id']}.txt; quote more words")
        if row["claimant_text"] and row["claimant_text"] not in texts[row["source_id"]]:
            raise GoldError(f"{where}: claimant_text {row['claimant_text']!r} not in {row['source_id']}.txt")
        check_entity(where, row["claimant_id"], kinds, extra={"anonymous"})
        if row["attribution"] not in ATTRIBUTIONS:
            raise GoldError(f"{where}: attribution {row['attribution']!r} not in {sorted(ATTRIBUTIONS)}")
        if row["evidence_type"] not in EVIDENCE_TYPES:
            raise GoldError(f"{where}: evidence_type {row['evidence_type']!r} not in {sorted(EVIDENCE_TYPES)}")
    return {"sources": len(sources), "mentions": len(mentions), "timexes": len(timexes), "claims": len(claims)}


def main(argv: list[str]) -> int:
    dev_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "data" / "dev"
    try:
        counts = validate(dev_dir)
    except GoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("dev gold OK: " + ", ".join(f"{count} {name}" for name, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
