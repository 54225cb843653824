"""Stage 2: actor mentions (registry gazetteer + statistical NER). Being written."""

from __future__ import annotations

TABLES = {"mentions.csv": ["source_id", "start", "end", "text", "actor_id", "method"]}


def find_mentions(parsed):
    return []


def mention_rows(parsed):
    yield from ()
