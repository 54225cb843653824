"""Stage 3: temporal expressions normalised to EDTF. Being written."""

from __future__ import annotations

TABLES = {"timexes.csv": ["source_id", "start", "end", "text", "value", "precision", "anchor", "rule"]}


def timex_rows(parsed):
    yield from ()
