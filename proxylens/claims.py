"""Stage 4: attributed statements. Being written."""

from __future__ import annotations

TABLES = {"claims.csv": ["source_id", "start", "end", "text", "claimant_id", "claimant_text", "cue", "hedges",
                         "evidence_type"]}


def claim_rows(parsed):
    yield from ()
