"""The extraction pipeline: one document in, rows for every output table out.

Each stage contributes a table. The order of ``TABLES`` is the order files are written and
listed; its columns are the contract in DESIGN.md (extra columns come after the contract's).

A document longer than :data:`PIECE_CHARS` is processed in pieces (:func:`split_pieces`), each
parsed and extracted on its own as if it were a document (:func:`piece_rows`), its offsets
shifted to the whole document's and its ids continuing those of the pieces before it
(:func:`PieceJoiner`), so memory and time are bounded by the piece, not by the document.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, replace
from typing import Iterator

import numpy

from proxylens.corpus import Document, Span, Unit, blocks, boilerplate_spans, in_spans, split_units

_EMPTY_TENSOR = numpy.zeros((0, 0), dtype="float32")

# A document longer than this (in characters) is processed in pieces of at most this length. The
# stages relate every part of what they read to the rest, so their time grows faster than the text;
# in pieces it grows with the number of pieces. 200,000 characters is some 30 long news articles,
# and a fifth of the language model's limit for one text (spaCy's max_length, 1,000,000).
PIECE_CHARS = 200_000
# Columns of the per-document tables that hold character offsets into the document's text.
OFFSET_COLUMNS = ("start", "end", "sentence_start", "sentence_end")

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


def parse_document(document: Document, nlp, first_unit: int = 0) -> Parsed:
    """Mark boilerplate, split units (numbered from ``first_unit``), and run the language model over every block."""
    spans = boilerplate_spans(document.text)
    units = split_units(document, spans, first_unit)
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
    yield "documents.csv", document_row(d, words=len(d.text.split()), units=len(parsed.units), sentences=n_sent,
                                        boilerplate_chars=sum(s.end - s.start for s in parsed.spans))


def document_row(d: Document, words: int, units: int, sentences: int, boilerplate_chars: int) -> dict:
    """The row of ``documents.csv`` for document ``d`` with the counts its rows add up to."""
    return {
        "source_id": d.source_id, "file": d.file, "title": d.title, "outlet": d.outlet,
        "published": d.published, "published_precision": d.published_precision, "doc_kind": d.doc_kind,
        "doc_kind_basis": d.doc_kind_basis, "in_manifest": d.in_manifest, "sha256": d.sha256,
        "chars": len(d.text), "words": words, "units": units,
        "sentences": sentences, "boilerplate_chars": boilerplate_chars,
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


# ---------------------------------------------------------------- long documents, in pieces

# Where a piece may end, best first: after a blank line (a paragraph's end), after a line that ends
# a sentence, after any line, after a sentence inside a line, after white space; else a hard cut.
_PIECE_BREAKS = (
    re.compile(r"\n[^\S\n]*\n"),
    re.compile(r"[.!?…”\"’)][^\S\n]*\n"),
    re.compile(r"\n"),
    re.compile(r"[.!?…][\"”’)]?\s+"),
    re.compile(r"\s+"),
)


def split_pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``size`` characters: ``[(start, end)]``, in order, covering it.

    A text of at most ``size`` characters is one piece. A longer one is cut at the last paragraph
    break (a blank line) in the second half of each ``size``-long window; failing that at the last
    line that ends a sentence, the last line break, the last sentence end, the last white space,
    and only failing all these in the middle of a word.

    >>> split_pieces("one.\n\ntwo.\n\nthree.", 8)
    [(0, 6), (6, 12), (12, 18)]
    """
    if size < 2:
        raise ValueError("a piece must hold at least two characters")
    pieces = []
    start = 0
    while len(text) - start > size:
        low, high = start + size // 2, start + size
        end = high
        for pattern in _PIECE_BREAKS:
            last = None
            for last in pattern.finditer(text, low, high):
                pass
            if last is not None:
                end = last.end()
                break
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def piece_document(document: Document, start: int, end: int) -> Document:
    """The piece ``[start, end)`` of ``document`` as a document of its own (same id and metadata)."""
    return replace(document, text=document.text[start:end])


def piece_rows(piece: Document, start: int, first_unit: int, nlp) -> list[tuple[str, dict]]:
    """Every row of a piece that starts at character ``start`` of its document, its offsets
    shifted to the document's and its units numbered from ``first_unit``; its sentences are
    numbered from 0 (:class:`PieceJoiner` renumbers them) and its ``documents.csv`` row counts the
    piece alone."""
    rows = list(extract_rows(parse_document(piece, nlp, first_unit)))
    for _, row in rows:
        for column in OFFSET_COLUMNS:
            if column in row:
                row[column] += start
    return rows


def count_units(piece: Document) -> int:
    """How many units :func:`parse_document` will make of a piece (so the next can be numbered on)."""
    return len(split_units(piece))


class PieceJoiner:
    """Joins the rows of a long document's pieces, given in order, into the document's rows.

    Sentence ids continue across pieces; the pieces' ``documents.csv`` rows are held back and
    added up into the document's one row (:meth:`document_row`), given after the last piece.
    """

    def __init__(self, document: Document):
        self.document = document
        self.words = self.units = self.sentences = self.boilerplate_chars = 0

    def join(self, rows: list[tuple[str, dict]], start: int) -> list[tuple[str, dict]]:
        """The rows of the piece that starts at character ``start``, as rows of the whole document."""
        out = []
        counts = None
        for table, row in rows:
            if table == "documents.csv":
                counts = row
                continue
            if table == "sentences.csv":
                stem, _, number = row["sentence_id"].rpartition(":")
                row["sentence_id"] = f"{stem}:{int(number) + self.sentences}"
            out.append((table, row))
        text = self.document.text
        # A piece cut in the middle of a word (a hard cut) shares that word with the piece before it.
        shared_word = 0 < start < len(text) and not text[start - 1].isspace() and not text[start].isspace()
        self.words += counts["words"] - shared_word
        self.units += counts["units"]
        self.sentences += counts["sentences"]
        self.boilerplate_chars += counts["boilerplate_chars"]
        return out

    def document_row(self) -> tuple[str, dict]:
        return "documents.csv", document_row(self.document, self.words, self.units, self.sentences,
                                             self.boilerplate_chars)
