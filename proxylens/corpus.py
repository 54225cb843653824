"""Stage 1: load and validate a folder of news texts.

A corpus is a folder of ``*.txt`` files and an optional ``sources.csv`` manifest (at least the
columns ``file`` and ``published``). This module

* validates every file (UTF-8, not empty, not binary, not an HTML page saved as text) and the
  manifest (every named file exists, every date is EDTF, no two files share their content);
* marks boilerplate spans (navigation, captions, "Check Also" blocks, comment forms, page
  stamps, repeated lines) without deleting them, so offsets stay on the text as stored;
* splits a document into *units*: one per article, or one per teaser when the document is a
  list of teasers of separate articles, each of which has its own date;
* cuts units into *blocks* (non-empty lines), the pieces the language model reads.

Offsets everywhere are Python string indices ``[start, end)`` into the file's text decoded as
UTF-8 with no newline translation.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from proxylens.edtf import parse_edtf

MANIFEST = "sources.csv"
REQUIRED_MANIFEST_COLUMNS = ("file", "published")
# Files above this size are refused (``--max-bytes`` changes it) with one line. A document longer
# than ``pipeline.PIECE_CHARS`` characters is processed in pieces, so memory is bounded by the piece
# and time grows with the length; what the limit still bounds is the document's own text, held whole
# while its pieces are made (up to four bytes a character in memory), and a run's length: 64 MiB is
# some 10,000 long news articles in one file, hours of work on one core.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class CorpusError(Exception):
    """A problem with the input, stated in one line that names the file (and row)."""


@dataclass
class Document:
    source_id: str
    file: str
    text: str
    sha256: str
    published: str = ""  # EDTF, empty when unknown
    published_precision: str = "unknown"
    doc_kind: str = ""  # from the manifest, else detected
    doc_kind_basis: str = ""  # manifest | detected
    title: str = ""
    outlet: str = ""
    in_manifest: bool = False


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    rule: str


@dataclass(frozen=True)
class Unit:
    source_id: str
    unit_id: str
    index: int
    start: int
    end: int
    kind: str  # article | teaser
    published: str  # EDTF or empty when the unit's own date is not given


@dataclass(frozen=True)
class DocumentRef:
    """A validated file of a corpus, not yet read: enough to read it again and check it is unchanged."""

    path: Path
    sha256: str
    size: int
    row: dict | None  # its manifest row, or None when the manifest does not list it

    def load(self) -> Document:
        """Read the file again; :class:`CorpusError` if it changed since the corpus was scanned."""
        try:
            with self.path.open("rb") as fh:
                data = fh.read(self.size + 1)  # one byte more than at the scan: a grown file shows
        except OSError as err:
            raise CorpusError(f"{self.path.name}: cannot read ({err.strerror or err})") from None
        digest = sha256_bytes(data)
        if digest != self.sha256:
            raise CorpusError(f"{self.path.name}: changed while the corpus was being read")
        return make_document(self.path.name, data.decode("utf-8"), digest, self.row)


class LazyDocuments(Sequence):
    """The documents of a corpus in file-name order, each read from disk only when asked for.

    Memory stays bounded by one document whatever the corpus size; ``len`` needs no reading.
    """

    def __init__(self, refs: list[DocumentRef]):
        self.refs = refs

    def __len__(self) -> int:
        return len(self.refs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [ref.load() for ref in self.refs[index]]
        return self.refs[index].load()

    def __iter__(self):
        for ref in self.refs:
            yield ref.load()


@dataclass
class Corpus:
    refs: list[DocumentRef] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    notices: list[str] = field(default_factory=list)  # processed, but worth saying
    files_seen: int = 0
    folder: Path | None = None

    @property
    def documents(self) -> LazyDocuments:
        """The valid documents, read lazily (see :class:`LazyDocuments`)."""
        return LazyDocuments(self.refs)


# ---------------------------------------------------------------- document ids


def doc_label(source_id: str) -> str:
    """A document's id up to its number (``000_03e2…`` -> ``000``, ``uc02_mukhtar_designation`` ->
    ``uc02``, ``unseen_01_aah`` -> ``unseen_01``); else the whole id. Used for test texts, whose
    ids are their only name; readers see seeds by :func:`proxylens.report.source_label`."""
    m = re.match(r"^[a-z_]*?\d+", source_id)
    return m.group(0) if m else source_id


# ---------------------------------------------------------------- validation

_HTML_PAGE = re.compile(r"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<\?xml)", re.I)
_TAG = re.compile(r"</?(?:html|head|body|div|span|p|a|script|style|meta|link|table|tr|td|ul|li|br|img|h[1-6])\b[^>]*>", re.I)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, name: str) -> str:
    """Decode ``data`` as UTF-8 text or raise :class:`CorpusError` saying why it is not text."""
    if not data.strip():
        raise CorpusError(f"{name}: empty file")
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise CorpusError(f"{name}: binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CorpusError(f"{name}: not valid UTF-8 (byte {err.start})") from None
    if _HTML_PAGE.search(text) or len(_TAG.findall(text)) >= 5 and _markup_share(text) > 0.05:
        raise CorpusError(f"{name}: looks like an HTML page, not plain text (save the article's text instead)")
    return text


def _markup_share(text: str) -> float:
    return sum(len(m.group(0)) for m in _TAG.finditer(text)) / max(len(text), 1)


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, with every symbolic link followed, stays inside ``folder``."""
    return path.resolve().is_relative_to(folder.resolve())


def _read_regular(path: Path, max_bytes: int | None) -> bytes:
    """The bytes of ``path``, refusing anything that is not a regular file or is above ``max_bytes``."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise CorpusError(f"{path.name}: not a regular file")
        if max_bytes is not None and size > max_bytes:
            raise CorpusError(f"{path.name}: {size:,} bytes, above the limit of {max_bytes:,} (see --max-bytes)")
        with path.open("rb") as fh:
            # Read at most one byte past the limit: a file that grows after stat() is still bounded.
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except OSError as err:
        raise CorpusError(f"{path.name}: cannot read ({err.strerror or err})") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise CorpusError(f"{path.name}: above the limit of {max_bytes:,} bytes (see --max-bytes)")
    return data


def read_manifest(docs_dir: Path) -> dict[str, dict[str, str]]:
    """Read ``docs_dir/sources.csv`` into ``{file: row}``; empty dict if there is none.

    A byte-order mark (what spreadsheet programs write) and CRLF line ends are accepted.
    Raises :class:`CorpusError` naming the file and row for a missing column, a missing or
    duplicated file name, a name outside the folder, or a malformed ``published`` date.
    """
    path = docs_dir / MANIFEST
    if not path.exists():
        return {}
    if not _inside(path, docs_dir):
        raise CorpusError(f"{MANIFEST}: symbolic link to a file outside the folder, refused")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = [(f or "").strip() for f in reader.fieldnames or []]
            reader.fieldnames = fields
            missing = [c for c in REQUIRED_MANIFEST_COLUMNS if c not in fields]
            if missing:
                raise CorpusError(f"{MANIFEST}: missing column(s) {', '.join(missing)}")
            rows: dict[str, dict[str, str]] = {}
            for lineno, row in enumerate(reader, start=2):
                name = (row.get("file") or "").strip()
                where = f"{MANIFEST} row {lineno}"
                if not name:
                    raise CorpusError(f"{where}: empty 'file'")
                if name in rows:
                    raise CorpusError(f"{where}: {name} is listed twice")
                if "/" in name or os.sep in name or name in (".", ".."):
                    raise CorpusError(f"{where}: {name} is not a plain file name in the folder")
                if not (docs_dir / name).is_file():
                    raise CorpusError(f"{where}: names {name}, which is not in the folder")
                published = (row.get("published") or "").strip()
                if published:
                    try:
                        parse_edtf(published)
                    except ValueError:
                        raise CorpusError(
                            f"{where}: malformed date {published!r} for {name} (use YYYY, YYYY-MM, YYYY-MM-DD or A/B)"
                        ) from None
                rows[name] = {k: (v or "").strip() for k, v in row.items() if k}
            return rows
    except UnicodeDecodeError:
        raise CorpusError(f"{MANIFEST}: not valid UTF-8") from None


def load_corpus(docs_dir: str | Path, skip_invalid: bool = False,
                max_bytes: int | None = DEFAULT_MAX_BYTES) -> Corpus:
    """Scan and validate every ``*.txt`` in ``docs_dir`` (sorted by name) with its manifest row.

    Each file is read once to validate it (UTF-8 text, not empty, binary or HTML; no duplicate
    content; at most ``max_bytes``, None for no limit; a symbolic link must stay inside the
    folder) and only its name, digest and size are kept: ``Corpus.documents`` reads the texts
    again lazily, one at a time, so memory does not grow with the corpus.

    With ``skip_invalid`` false (the default) the first invalid file raises :class:`CorpusError`;
    with it true, invalid files are listed in ``Corpus.skipped`` with their reason and the rest
    are loaded. Files missing from the manifest are loaded with an unknown date and a notice.
    """
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        raise CorpusError(f"{docs_dir.name or docs_dir}: not a folder")
    manifest = read_manifest(docs_dir)
    corpus = Corpus(folder=docs_dir)
    seen_hash: dict[str, str] = {}
    for path in sorted(docs_dir.glob("*.txt")):
        corpus.files_seen += 1
        try:
            if not _inside(path, docs_dir):
                raise CorpusError(f"{path.name}: symbolic link to a file outside the folder, refused")
            data = _read_regular(path, max_bytes)
            decode_text(data, path.name)
            digest = sha256_bytes(data)
            del data
            if digest in seen_hash:
                raise CorpusError(f"{path.name}: same content as {seen_hash[digest]} (duplicate)")
            row = manifest.get(path.name)
            if row and row.get("sha256") and row["sha256"] != digest:
                raise CorpusError(f"{MANIFEST}: sha256 for {path.name} does not match the file's content")
        except CorpusError as err:
            if not skip_invalid:
                raise
            corpus.skipped.append((path.name, str(err)))
            continue
        seen_hash[digest] = path.name
        corpus.refs.append(DocumentRef(path, digest, path.stat().st_size, row))
        if row is None:
            corpus.notices.append(f"{path.name}: not in {MANIFEST}; processed with an unknown publication date")
    if corpus.files_seen == 0:
        raise CorpusError(f"{docs_dir.name or docs_dir}: no .txt files")
    return corpus


def make_document(file: str, text: str, digest: str, row: dict[str, str] | None) -> Document:
    row = row or {}
    published = row.get("published", "")
    precision = row.get("published_precision") or (parse_edtf(published).precision if published else "unknown")
    kind = row.get("doc_kind", "")
    basis = "manifest" if kind else "detected"
    if not kind:
        kind = detect_doc_kind(text)
    return Document(
        source_id=Path(file).stem,
        file=file,
        text=text,
        sha256=digest,
        published=published,
        published_precision=precision,
        doc_kind=kind,
        doc_kind_basis=basis,
        title=row.get("title", ""),
        outlet=row.get("outlet", ""),
        in_manifest=bool(row),
    )


# ---------------------------------------------------------------- blocks and boilerplate


def blocks(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines of ``text``, trimmed of surrounding white space."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        out.append((m.start() + lead, m.start() + lead + len(stripped)))
    return out


# Line-level rules: (kind, rule id, pattern matched against one stripped line).
_LINE_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    ("navigation", "breadcrumb", re.compile(r"^(?:home|start)\s*[/>»›|]\s*\S.*$", re.I)),
    ("navigation", "section_path", re.compile(r"^[^.!?“\"]{2,40}(?:\s+[-–|»]\s+[^.!?“\"]{2,40}){2,}$")),
    ("caption", "image_credit", re.compile(r"(?:image|photo|picture)\s*(?:credit|source|:)", re.I)),
    ("comment_form", "comment_form", re.compile(
        r"^(?:leave a (?:reply|comment)|your email address will not be published|required fields are marked"
        r"|post comment|comments?\s*\(\d+\))", re.I)),
    ("page_stamp", "page_stamp", re.compile(
        r"^(?:last (?:modified|updated)|published|posted|updated)(?: on)?\s*:\s*.{4,60}$", re.I)),
    ("related", "related_heading", re.compile(
        r"^(?:check also|related(?: articles| posts| stories)?|read (?:more|also)|see also|you may also like"
        r"|more from|recommended)\s*:?$", re.I)),
    ("sharing", "share_line", re.compile(r"^(?:share(?: this)?|tweet|follow us|subscribe)\b.{0,40}$", re.I)),
    ("copyright", "copyright", re.compile(r"^(?:©|copyright\b|all rights reserved)", re.I)),
]


def boilerplate_spans(text: str) -> list[Span]:
    """Mark spans of site furniture in ``text``; nothing is deleted.

    Rules work line by line; a "related" heading (e.g. "Check Also") also marks the teaser
    lines after it, up to the next comment form or the end. An exact repeat of an earlier line
    is marked ``repeated_line``. Returns spans sorted by start.
    """
    spans: list[Span] = []
    lines = blocks(text)
    seen: set[str] = set()
    in_related = False
    for start, end in lines:
        line = text[start:end]
        hit = next(((k, r) for k, r, p in _LINE_RULES if p.search(line)), None)
        if hit and hit[0] == "related":
            in_related = True
        elif hit and hit[0] == "comment_form":
            in_related = False
        if hit:
            spans.append(Span(start, end, hit[0], hit[1]))
        elif in_related:
            spans.append(Span(start, end, "related", "related_teaser"))
        elif line in seen and len(line) > 40:
            spans.append(Span(start, end, "repeated_line", "repeated_line"))
        seen.add(line)
    return spans


def in_spans(start: int, end: int, spans: list[Span]) -> Span | None:
    """The first span that contains ``[start, end)``, or None."""
    for s in spans:
        if s.start <= start and end <= s.end:
            return s
    return None


# ---------------------------------------------------------------- document kinds and units

_TERMINAL = re.compile(r"[.!?…”\"’)]$")


# A teaser cut short by the page: "… Read more", "[…]", a trailing ellipsis.
_TRUNCATED = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading)\s*$", re.I)


def _is_headline(lines: list[str], i: int) -> bool:
    """A line with no closing punctuation between two sentences: it follows a finished line (or
    opens the list) and the next starts with a capital. A hard-wrapped paragraph's lines fail the
    first test: the line before them is unfinished too."""
    line, nxt = lines[i], lines[i + 1]
    if _TERMINAL.search(line) or line.endswith((",", "-", ";", ":")):
        return False
    finished_before = i == 0 or bool(_TERMINAL.search(lines[i - 1]))
    return finished_before and nxt[:1].isupper()


def detect_doc_kind(text: str) -> str:
    """Guess ``teaser_list`` only on evidence that the lines are teasers of separate articles, else ``article``.

    How paragraphs are separated says nothing by itself: many real articles put one newline
    between paragraphs. A page of teasers (an archive or tag page) shows itself by what teasers
    do: a lead repeated word for word (the page prints a summary under its headline and again
    as the lead), several headlines (lines without closing punctuation) *between* paragraphs,
    or many lines cut short ("…", "Read more"). At least eight lines with no blank line between
    them and one of these signs make a teaser list. The manifest's ``doc_kind`` always wins.
    """
    lines = [ln.strip() for ln in text.strip().split("\n")]
    if len(lines) < 8 or any(not ln for ln in lines):
        return "article"
    body = lines[1:]  # the first line is the title of an article and the first headline of a list
    repeated = sum(1 for i, ln in enumerate(body) if len(ln) > 40 and ln in body[:i])
    headlines = sum(1 for i, ln in enumerate(body[:-1]) if _is_headline(body, i))
    truncated = sum(1 for ln in body if _TRUNCATED.search(ln))
    if repeated >= 1 or truncated * 4 >= len(body) or (headlines >= 3 and headlines * 4 >= len(body)):
        return "teaser_list"
    return "article"


def split_units(doc: Document, spans: list[Span] | None = None, first_index: int = 0) -> list[Unit]:
    """Split a document into units.

    An article is one unit spanning the whole text. A teaser list gives one unit per teaser
    line; a headline (a line with no closing punctuation) and exact repeats of a line join the
    unit they introduce or repeat. Only an article's unit inherits the document's date; a
    teaser's own date is not given by the page, so it stays empty here. Units are numbered from
    ``first_index`` (a piece of a long document continues the numbering of the pieces before it).
    """
    if doc.doc_kind != "teaser_list":
        lines = blocks(doc.text)
        if not lines:
            return []
        return [Unit(doc.source_id, f"{doc.source_id}#{first_index}", first_index, lines[0][0], lines[-1][1],
                     "article", doc.published)]
    spans = boilerplate_spans(doc.text) if spans is None else spans
    groups: list[list[tuple[int, int]]] = []
    pending: list[tuple[int, int]] = []
    for start, end in blocks(doc.text):
        line = doc.text[start:end]
        mark = in_spans(start, end, spans)
        if mark and mark.kind == "repeated_line" and groups and not pending:
            groups[-1].append((start, end))
            continue
        if mark and mark.kind != "repeated_line":
            continue
        pending.append((start, end))
        if _TERMINAL.search(line):
            groups.append(pending)
            pending = []
    if pending:
        groups.append(pending)
    return [
        Unit(doc.source_id, f"{doc.source_id}#{i}", i, g[0][0], g[-1][1], "teaser", "")
        for i, g in enumerate(groups, start=first_index)
    ]


# ---------------------------------------------------------------- quotes and context


def quote_span(text: str, quote: str) -> tuple[int, int]:
    """The ``[start, end)`` span of ``quote`` in ``text``; ``ValueError`` unless it occurs exactly once."""
    if not quote:
        raise ValueError("empty quote")
    first = text.find(quote)
    if first < 0:
        raise ValueError(f"quote not found: {quote[:60]!r}")
    if text.find(quote, first + 1) >= 0:
        raise ValueError(f"quote occurs more than once: {quote[:60]!r}")
    return first, first + len(quote)


def in_context(text: str, start: int, end: int, width: int = 60) -> tuple[str, str, str]:
    """Keyword in context: up to ``width`` characters left and right of ``[start, end)``, on one line.

    >>> in_context("one two three", 4, 7, width=4)
    ('one ', 'two', ' thr')
    """
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return left, text[start:end], right
