"""The extraction pipeline: one document in, rows for every output table out.

Each stage contributes a table. The order of ``TABLES`` is the order files are written and
listed; its columns are the contract in DESIGN.md (extra columns come after the contract's).
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from typing import Iterator

import numpy

from proxylens.corpus import Document, Span, Unit, blocks, boilerplate_spans, in_spans, split_units

_EMPTY_TENSOR = numpy.zeros((0, 0), dtype="float32")

TABLES: dict[str, list[str]] = {
    "documents.csv": [
        "source_id", "file", "title", "outlet", "published", "published_precision", "doc_kind",
        "doc_kind_basis", "in_manifest", "sha256", "chars", "words", "units", "sentences", "boilerplate_chars",
    ],
    "units.csv": ["source_id", "unit_id", "index", "start", "end", "kind", "published", "text"],
    "sentences.csv": ["source_id", "unit_id", "sentence_id", "start", "end", "boilerplate", "text"],
    "boilerplate.csv": ["source_id", "start", "end", "kind", "rule", "text"],
}


@dataclass
class Block:
    """A non-empty line of a document, parsed by spaCy; ``start`` maps doc offsets to file offsets."""

    source_id: str
    unit_id: str
    start: int
    end: int
    doc: object  # spacy.tokens.Doc
    boilerplate: str  # kind of boilerplate span covering the block, or ""


@dataclass
class Parsed:
    document: Document
    spans: list[Span]
    units: list[Unit]
    blocks: list[Block]


def unit_of(units: list[Unit], start: int) -> Unit | None:
    for u in units:
        if u.start <= start < u.end:
            return u
    return None


class _Lookup:
    """:func:`unit_of` and :func:`in_spans` for blocks met in increasing order of start, in
    logarithmic rather than linear time per block (a long document has many lines, units and
    spans). Falls back to the linear functions when the items are not sorted and disjoint."""

    def __init__(self, items: list):
        self.items = items
        self.starts = [x.start for x in items]
        self.ordered = all(a.end <= b.start for a, b in itertools.pairwise(items))

    def containing(self, start: int, end: int):
        if not self.ordered:
            return None
        i = bisect.bisect_right(self.starts, start) - 1
        return self.items[i] if i >= 0 and self.items[i].start <= start and end <= self.items[i].end else None


def parse_document(document: Document, nlp) -> Parsed:
    """Mark boilerplate, split units, and run the language model over every block."""
    spans = boilerplate_spans(document.text)
    units = split_units(document, spans)
    raw = blocks(document.text)
    texts = (document.text[s:e] for s, e in raw)
    unit_lookup, span_lookup = _Lookup(units), _Lookup(spans)
    out = []
    for (s, e), doc in zip(raw, nlp.pipe(texts, batch_size=64)):
        # A unit holds a block that starts in it (unit_of); a span must cover the whole block (in_spans).
        unit = unit_lookup.containing(s, s + 1) if unit_lookup.ordered else unit_of(units, s)
        mark = span_lookup.containing(s, e) if span_lookup.ordered else in_spans(s, e, spans)
        # No stage reads the model's internal token vectors; dropping them saves ~400 bytes a token.
        doc.tensor = _EMPTY_TENSOR
        out.append(Block(document.source_id, unit.unit_id if unit else "", s, e, doc, mark.kind if mark else ""))
    return Parsed(document, spans, units, out)


def corpus_rows(parsed: Parsed) -> Iterator[tuple[str, dict]]:
    """Rows of the corpus tables (documents, units, sentences, boilerplate) for one document."""
    d = parsed.document
    n_sent = 0
    for b in parsed.blocks:
        for sent in b.doc.sents:
            text = sent.text.strip()
            if not text:
                continue
            start = b.start + sent.start_char
            yield "sentences.csv", {
                "source_id": d.source_id,
                "unit_id": b.unit_id,
                "sentence_id": f"{d.source_id}:{n_sent}",
                "start": start,
                "end": start + len(sent.text.rstrip()),
                "boilerplate": b.boilerplate,
                "text": text,
            }
            n_sent += 1
    for u in parsed.units:
        yield "units.csv", {
            "source_id": u.source_id, "unit_id": u.unit_id, "index": u.index, "start": u.start,
            "end": u.end, "kind": u.kind, "published": u.published, "text": d.text[u.start:u.end],
        }
    for s in parsed.spans:
        yield "boilerplate.csv", {
            "source_id": d.source_id, "start": s.start, "end": s.end, "kind": s.kind, "rule": s.rule,
            "text": d.text[s.start:s.end],
        }
    yield "documents.csv", {
        "source_id": d.source_id, "file": d.file, "title": d.title, "outlet": d.outlet,
        "published": d.published, "published_precision": d.published_precision, "doc_kind": d.doc_kind,
        "doc_kind_basis": d.doc_kind_basis, "in_manifest": d.in_manifest, "sha256": d.sha256,
        "chars": len(d.text), "words": len(d.text.split()), "units": len(parsed.units),
        "sentences": n_sent, "boilerplate_chars": sum(s.end - s.start for s in parsed.spans),
    }


def _stages():
    # Imported here: later stages import this module, never the reverse at import time.
    from proxylens import actors, claims, timeline

    return [corpus_rows, actors.mention_rows, timeline.timex_rows, claims.claim_rows]


def all_tables() -> dict[str, list[str]]:
    """Every output table and its columns: the corpus tables, then each stage's."""
    from proxylens import actors, claims, timeline

    return {**TABLES, **actors.TABLES, **timeline.TABLES, **claims.TABLES}


def extract_rows(parsed: Parsed) -> Iterator[tuple[str, dict]]:
    """Every row of every table for one parsed document, stage by stage."""
    for stage in _stages():
        yield from stage(parsed)
