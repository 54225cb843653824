"""Numbers the Markdown pages state, computed from the repository's data at build time.

The role ``{fact}`name``` renders one of the facts below, so a page such as the limitations
never carries a hand-typed count that can drift from the data. An unknown name stops the build
with an error naming it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
UNSEEN_STAGES = ("mentions", "timexes", "claims")


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def book_facts(root: Path) -> dict[str, int]:
    """Counts about the corpus, the test sets and the designations, by name."""
    seeds = sorted((root / "seeds").glob("*.txt"))
    facts = {
        "seed_documents": len(seeds),
        "seed_words": sum(len(p.read_text(encoding="utf-8").split()) for p in seeds),
    }
    for stage in UNSEEN_STAGES:
        folder = root / "data" / "unseen" / stage
        facts[f"unseen_{stage}_texts"] = len(list(folder.glob("*.txt")))
        gold = next(folder.glob("*_gold.csv"))
        facts[f"unseen_{stage}_gold_rows"] = len(_rows(gold))
    facts["unseen_texts"] = sum(facts[f"unseen_{s}_texts"] for s in UNSEEN_STAGES)
    countries = {row["actor_id"]: row["country"] for row in _rows(root / "data" / "curated" / "actors.csv")}
    designations = _rows(root / "data" / "curated" / "designations.csv")
    facts["designations"] = len(designations)
    facts["us_designations"] = sum(countries.get(row["authority_id"]) == "US" for row in designations)
    facts["designation_authorities"] = len({row["authority_id"] for row in designations})
    return facts


def fact_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    facts = env.app.book_facts
    if text not in facts:
        message = inliner.reporter.error(f"unknown fact {text!r}; known: {', '.join(sorted(facts))}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    return [nodes.Text(f"{facts[text]:,}")], []


def _load(app):
    app.book_facts = book_facts(Path(app.srcdir))


def setup(app):
    app.connect("builder-inited", _load)
    app.add_role("fact", fact_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
