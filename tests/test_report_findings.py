"""The introduction's findings: the numbers behind them and the words they quote."""

from __future__ import annotations

import json
import re

from proxylens import report, tables
from proxylens.paths import repo_root
from proxylens.report import findings


def test_headline_numbers_agree_with_the_tables():
    numbers = findings.headline_numbers()
    claims = tables.curated("claims")
    assert numbers["n_claims"] == len(claims)
    assert sum(numbers[f"n_{v}"] for v in ("corroborated", "unverified", "contested", "contradicted")) == len(claims)
    assert re.fullmatch(r"\d{1,3}%", numbers["author_share"]) and re.fullmatch(r"\d{1,3}%", numbers["author_none_share"])
    assert numbers["n_des_recent"] <= numbers["n_des_points"] <= numbers["n_designations"]
    assert numbers["n_des_us"] <= numbers["n_designations"]
    assert numbers["ach_least"] in set(tables.curated("ach_hypotheses")["hypothesis_id"])
    assert numbers["hub"] in set(tables.curated("actors")["name"])


def test_document_lines_name_every_seed_by_outlet_and_year():
    lines = findings.document_lines()
    assert list(lines.index) == ["000", "001", "002", "003"]
    assert lines.loc["001", "label"] == "Long War Journal 2020"
    assert lines.loc["001", "grade"] == "B (usually reliable)"
    assert lines["claims"].sum() == len(tables.curated("claims"))


def test_reference_link():
    assert findings.reference_link("Reuters, Title [x], 2018-11, https://a.b/c") == "[Reuters, Title (x), 2018-11](https://a.b/c)"
    assert findings.reference_link("A book, 1999") == "A book, 1999"


def test_every_phrase_the_findings_quote_is_in_a_source_or_a_verdict_note():
    """A quoted phrase in "What we found" is the exact words of a seed document or of the public
    record as a curated verdict note quotes it; nothing is paraphrased inside quotation marks."""
    nb = json.loads((repo_root() / "book" / "intro.ipynb").read_text(encoding="utf-8"))
    found = next("".join(c["source"]) for c in nb["cells"] if "## What we found" in "".join(c["source"]))
    quoted = [" ".join(q.split()) for q in re.findall(r'"([^"]+)"', found)]
    assert len(quoted) >= 6
    corpus = [" ".join(t.split()) for t in tables.seed_texts().values()]
    corpus += [" ".join(n.split()) for n in report.claim_verdicts(tables.curated("claims"))["verdict_note"]]
    missing = [q for q in quoted if not any(q in text for text in corpus)]
    assert not missing, missing
