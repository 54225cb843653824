"""The development set's gold is frozen: it was written and committed before the extractor first ran
on the articles, and may change only to fix a demonstrable annotation error. ``data/dev/FROZEN.sha256``
records each gold file's digest, so any change to the gold fails here until the digest is updated in
the same commit as the fix (whose message must say which row and why)."""

from __future__ import annotations

import hashlib

from proxylens.paths import repo_root


def frozen_digests() -> dict[str, str]:
    folder = repo_root() / "data" / "dev"
    lines = (folder / "FROZEN.sha256").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split(None, 1) for line in lines if line.strip())}


def test_every_gold_file_is_frozen():
    folder = repo_root() / "data" / "dev" / "gold"
    assert sorted(frozen_digests()) == sorted(f"gold/{p.name}" for p in folder.glob("*.csv"))


def test_gold_files_match_their_frozen_digests():
    folder = repo_root() / "data" / "dev"
    changed = [name for name, digest in frozen_digests().items()
               if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest]
    assert changed == [], f"dev gold changed since it was frozen: {changed}"
