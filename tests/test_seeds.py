"""The seeds are immutable: byte-identical to the shared copies and to the sha256 in sources.csv."""

import csv
import hashlib
from pathlib import Path

import pytest

from proxylens.edtf import parse_edtf
from proxylens.paths import repo_root

ROOT = repo_root()
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SHARED = ROOT.parent / "shared" / "seeds"
SOURCE_COLUMNS = [
    "source_id", "file", "title", "outlet", "url", "published", "published_precision", "published_basis",
    "doc_kind", "language_quality", "reliability", "reliability_note", "derived_from", "derived_from_note",
    "sha256", "redistribution",
]


def manifest():
    with (ROOT / "seeds" / "sources.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_four_seeds():
    assert len(SEEDS) == 4


def test_manifest_columns_and_rows():
    rows = manifest()
    assert list(rows[0].keys()) == SOURCE_COLUMNS
    assert sorted(r["file"] for r in rows) == [p.name for p in SEEDS]
    for r in rows:
        assert r["source_id"] == Path(r["file"]).stem
        assert r["reliability"] in list("ABCDEF")
        assert r["published_basis"] and r["reliability_note"]
        if r["published"]:
            assert parse_edtf(r["published"]).precision == r["published_precision"]
        else:
            assert r["published_precision"] == "unknown"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_matches_sha256_in_manifest(path):
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert {r["file"]: r["sha256"] for r in manifest()}[path.name] == digest


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared seeds not beside this clone")
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_identical_to_shared_copy(path):
    assert path.read_bytes() == (SHARED / path.name).read_bytes()


def test_teaser_list_is_marked_and_split():
    rows = {r["source_id"]: r for r in manifest()}
    assert sum(r["doc_kind"] == "teaser_list" for r in rows.values()) == 1
