"""The extraction engine: the same bytes whichever way it runs, streaming, and the post-table hook.

Each test compares a way of running against the session's one-process run over the seeds
(``seeds_extracted`` in conftest.py), file by file, byte for byte.
"""

import contextlib
import io
import os
import shutil
import signal
import threading
from pathlib import Path

import pytest

from proxylens import cli, engine
from proxylens.corpus import load_corpus


def folder_bytes(folder):
    """``{file name: bytes}`` of the visible files of ``folder`` (temporary files start with a dot)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def run_cli(*argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in argv])
    return code, err.getvalue()


@pytest.mark.slow
def test_two_processes_write_the_same_bytes(seeds_extracted, seeds_copy, tmp_path):
    """Documents finish in any order in two processes; the rows still come in file-name order."""
    code, err = run_cli("extract", seeds_copy, "--out", tmp_path, "--jobs", 2)
    assert code == 0, err
    assert folder_bytes(tmp_path) == folder_bytes(seeds_extracted[0])


@pytest.fixture(scope="module")
def cluster():
    """One 2-worker Dask cluster on loopback for this module's tests (it takes seconds to start)."""
    distributed = pytest.importorskip("distributed")
    import dask

    # The workers are forked from the fork server that --jobs uses (the model already loaded there)
    # instead of each starting a fresh interpreter: the same stages, seconds less to start.
    engine.worker_context()
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None) as local:
        yield local


@pytest.mark.slow
def test_dask_cluster_writes_the_same_bytes(seeds_extracted, seeds_copy, tmp_path, cluster):
    code, err = run_cli("extract", seeds_copy, "--out", tmp_path, "--dask", cluster.scheduler_address)
    assert code == 0, err
    assert folder_bytes(tmp_path) == folder_bytes(seeds_extracted[0])


@pytest.mark.slow
def test_dask_worker_killed_mid_run_retries_or_fails_cleanly(seeds_extracted, seeds_copy, tmp_path, cluster):
    """A worker process dies after the first document: Dask reruns its task elsewhere (the same
    bytes come out), or the run stops with one line and the output folder holds only what was there."""
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("unrelated")
    with distributed.Client(cluster, set_as_default=False) as client:
        victim = client.run(os.getpid)[sorted(client.scheduler_info()["workers"])[0]]
        killed = threading.Event()

        def kill_once(done, total):
            if not killed.is_set():
                killed.set()
                os.kill(victim, signal.SIGKILL)

        rows = engine.extract(load_corpus(seeds_copy), dask=client, progress=kill_once, window=4)
        try:
            engine.write_tables(rows, out)
            failure = None
        except engine.ExtractionError as err:
            failure = str(err)
    assert killed.is_set()
    if failure is None:
        written = folder_bytes(out)
        assert written.pop("keep.txt") == b"unrelated"
        assert written == folder_bytes(seeds_extracted[0])
    else:
        assert "\n" not in failure and ".txt" in failure
        assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_parquet_holds_the_csv_content(seeds_extracted, seeds_copy, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pandas as pd

    code, err = run_cli("extract", seeds_copy, "--out", tmp_path, "--format", "parquet", "--quiet")
    assert code == 0, err
    csv_dir = seeds_extracted[0]
    for path in sorted(csv_dir.glob("*.csv")):
        table = pq.read_table(tmp_path / f"{path.stem}.parquet")
        from_csv = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert table.column_names == list(from_csv.columns), path.name
        # every value as the CSV writer writes it: None empty, bools and numbers by str()
        as_text = {c: ["" if v is None else str(v) for v in table.column(c).to_pylist()] for c in table.column_names}
        assert pd.DataFrame(as_text, columns=table.column_names).equals(from_csv), path.name
    types = dict(zip(pq.read_schema(tmp_path / "documents.parquet").names,
                     map(str, pq.read_schema(tmp_path / "documents.parquet").types)))
    assert types["chars"] == "int64" and types["in_manifest"] == "bool" and types["file"] == "string"


def test_incremental_run_reparses_only_new_documents_and_matches_a_cold_run(seeds_extracted, seeds_copy, tmp_path,
                                                                            monkeypatch):
    docs = tmp_path / "docs"
    shutil.copytree(seeds_copy, docs)
    held_back = sorted(docs.glob("*.txt"))[-1]
    aside = tmp_path / held_back.name
    held_back.rename(aside)
    cache = tmp_path / "cache"
    # the first run sees three documents (the manifest's fourth row names a missing file: drop it)
    manifest = (docs / "sources.csv").read_text(encoding="utf-8")
    (docs / "sources.csv").write_text(
        "".join(ln for ln in manifest.splitlines(keepends=True) if held_back.name not in ln), encoding="utf-8")
    code, err = run_cli("extract", docs, "--out", tmp_path / "first", "--cache", cache, "--quiet")
    assert code == 0, err
    aside.rename(held_back)
    (docs / "sources.csv").write_text(manifest, encoding="utf-8")

    parsed = []
    real = engine.process_document
    monkeypatch.setattr(engine, "process_document", lambda doc, reg=None: parsed.append(doc.file) or real(doc, reg))
    code, err = run_cli("extract", docs, "--out", tmp_path / "second", "--cache", cache, "--quiet")
    assert code == 0, err
    assert parsed == [held_back.name]
    assert folder_bytes(tmp_path / "second") == folder_bytes(seeds_extracted[0])


def test_cache_key_changes_with_the_registry_and_the_text(seeds_copy, tmp_path, root):
    document = load_corpus(seeds_copy).documents[0]
    env = engine.environment_key(None)
    registry = tmp_path / "registry"
    shutil.copytree(root / "data" / "curated", registry, ignore=shutil.ignore_patterns("*gold*"))
    assert engine.environment_key(registry) == env  # the same files, the same key
    with (registry / "aliases.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    assert engine.environment_key(registry) != env
    changed = type(document)(**{**vars(document), "sha256": "0" * 64})
    assert engine.document_key(changed, env) != engine.document_key(document, env)


def test_registry_option_changes_what_is_found(seeds_copy, tmp_path, root):
    """An empty registry: the gazetteer finds nothing, so every mention comes from NER (method ner:*)."""
    registry = tmp_path / "registry"
    registry.mkdir()
    rows = [row for table, row in engine.extract(seeds_copy, registry=registry) if table == "mentions.csv"]
    engine.prepare(None)  # back to the repository's registry for the other tests of this process
    # (government phrases of a country the registry lacks are kept too, under new:<country>)
    assert rows and {r["method"].split(":")[0] for r in rows} == {"ner", "demonym_unregistered"}
    assert all(r["actor_id"] == "" for r in rows)


def test_post_tables_run_once_on_the_finished_input_table(seeds_extracted, seeds_copy, tmp_path, monkeypatch):
    from proxylens import actors

    seen = []

    def per_actor(rows):
        rows = list(rows)
        seen.append(len(rows))
        counts = {}
        for r in rows:
            counts[r["actor_id"]] = counts.get(r["actor_id"], 0) + 1
        for actor_id in sorted(counts):
            yield {"actor_id": actor_id, "mentions": counts[actor_id]}

    monkeypatch.setattr(actors, "POST_TABLES", {"actor_counts.csv": (["actor_id", "mentions"], "mentions.csv",
                                                                     per_actor)}, raising=False)
    code, err = run_cli("extract", seeds_copy, "--out", tmp_path)
    assert code == 0, err
    written = folder_bytes(tmp_path)
    expected = folder_bytes(seeds_extracted[0])
    n_mentions = expected["mentions.csv"].decode().count("\n") - 1
    assert seen == [n_mentions]  # once, with every mention row
    counts = written.pop("actor_counts.csv").decode().splitlines()
    assert counts[0] == "actor_id,mentions" and sum(int(ln.rsplit(",", 1)[1]) for ln in counts[1:]) == n_mentions
    expected.pop("new_actors.csv", None)  # the actors stage's own post table, replaced by the one above
    assert written == expected
    assert "actor_counts.csv " in err


def test_one_document_in_memory_at_a_time(seeds_copy):
    """The corpus keeps names and digests only; a document's text is read when it is reached."""
    corpus = load_corpus(seeds_copy)
    assert not any(hasattr(ref, "text") for ref in corpus.refs)
    first = next(iter(corpus.documents))
    assert first.text == (seeds_copy / first.file).read_bytes().decode("utf-8")


def test_a_file_changed_after_the_scan_stops_the_run(seeds_copy, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(seeds_copy, docs)
    corpus = load_corpus(docs)
    target = corpus.refs[1].path
    target.write_bytes(target.read_bytes() + b"\nAppended.\n")
    from proxylens.corpus import CorpusError

    with pytest.raises(CorpusError, match=f"{target.name}: changed while the corpus was being read"):
        list(corpus.documents)


def _wait_until_dead(pid: int, limit: float = 10.0) -> None:
    import time

    stop = time.monotonic() + limit
    while time.monotonic() < stop:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.01)


@pytest.mark.slow
def test_worker_process_killed_mid_run_fails_with_one_line(seeds_copy, tmp_path):
    """``--jobs 2``: a worker process dies after the first document; the run stops with one line
    naming a document and the output folder holds only what was there before."""
    import multiprocessing.forkserver as forkserver

    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("unrelated")
    killed = []

    def forked_children() -> set[int]:
        """The processes the fork server has started (pool workers, and Dask workers of this module)."""
        server = forkserver._forkserver._forkserver_pid
        found = set()
        for entry in os.listdir("/proc"):
            if server and entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == server:
                    found.add(int(entry))
        return found

    others = forked_children()  # started before this run: not its workers

    def kill_a_worker(done, total):
        if killed:
            return
        for pid in sorted(forked_children() - others):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            _wait_until_dead(pid)
            return

    # window=1: when the first document is reported, the last two are not yet submitted, so the run
    # cannot finish before the pool sees its dead worker.
    rows = engine.extract(load_corpus(seeds_copy), jobs=2, window=1, progress=kill_a_worker)
    with pytest.raises(engine.ExtractionError) as failure:
        engine.write_tables(rows, out)
    assert killed
    message = str(failure.value)
    assert "\n" not in message and ".txt: extraction failed (BrokenProcessPool" in message
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


# ---------------------------------------------------------------- long documents, in pieces

LONG_SEED = "002_31fe207d7c0f4eec.txt"
OFFSETS = ("start", "end", "sentence_start", "sentence_end")


def _document(text, name="long.txt"):
    from proxylens.corpus import make_document, sha256_bytes

    return make_document(name, text, sha256_bytes(text.encode("utf-8")), {"published": "2024-09-23"})


def _by_table(rows):
    out = {}
    for table, row in rows:
        out.setdefault(table, []).append(row)
    return out


def _shifted(row, by):
    return {k: v - by if k in OFFSETS else v for k, v in row.items()}


def test_split_pieces_prefers_paragraphs_then_lines_then_sentences_then_spaces():
    from proxylens.pipeline import split_pieces

    def cut(text, size):
        pieces = split_pieces(text, size)
        assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))  # contiguous, nothing lost
        assert all(0 < end - start <= size for start, end in pieces)
        return [text[start:end] for start, end in pieces]

    assert cut("short", 10) == ["short"]
    assert cut("One para.\nstill one.\n\nTwo para.\n", 30) == ["One para.\nstill one.\n\n", "Two para.\n"]
    assert cut("Line one\nline two.\nline three\n", 25) == ["Line one\nline two.\n", "line three\n"]
    assert cut("Line one\nline two\nline three", 25) == ["Line one\nline two\n", "line three"]
    assert cut("First sentence here. Second one follows", 30) == ["First sentence here. ", "Second one follows"]
    assert cut("words without any stop at all", 20) == ["words without any ", "stop at all"]
    assert cut("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_long_document_gives_each_copy_the_rows_of_the_seed_alone(root):
    """A seed repeated so that it makes three pieces: each copy, a piece of its own, gives the seed's
    mentions, timexes and claims with offsets shifted by the copy's place, and every offset is exact."""
    seed = (root / "seeds" / LONG_SEED).read_text(encoding="utf-8")
    copy = seed.rstrip("\n") + "\n\n"
    text = copy * 3
    alone = _by_table(engine.extract([_document(copy)]))
    long = _by_table(engine.extract([_document(text)], piece_chars=len(copy)))
    for table in ("mentions.csv", "timexes.csv", "claims.csv", "boilerplate.csv"):
        n = len(alone[table])
        assert n and len(long[table]) == 3 * n, table
        for k in range(3):
            got = [_shifted(r, k * len(copy)) for r in long[table][k * n:(k + 1) * n]]
            want = [{**r, "unit_id": r["unit_id"].replace("#0", f"#{k}")} if "unit_id" in r else r
                    for r in alone[table]]
            assert got == want, (table, k)
    for table in ("mentions.csv", "timexes.csv", "boilerplate.csv"):
        assert all(text[r["start"]:r["end"]] == r["text"] for r in long[table]), table
    assert all(text[r["start"]:r["end"]] == r["text"] for r in long["claims.csv"])
    sentences = long["sentences.csv"]
    assert [r["sentence_id"] for r in sentences] == [f"long:{i}" for i in range(len(sentences))]
    assert len(sentences) == 3 * len(alone["sentences.csv"])
    assert [(u["unit_id"], u["index"]) for u in long["units.csv"]] == [(f"long#{k}", k) for k in range(3)]
    (row,) = long["documents.csv"]
    assert (row["chars"], row["words"], row["units"], row["sentences"]) == (
        len(text), len(text.split()), 3, len(sentences))
    assert row["boilerplate_chars"] == 3 * alone["documents.csv"][0]["boilerplate_chars"]


def test_pieces_cut_anywhere_keep_offsets_exact_and_ids_in_order(root, tmp_path):
    """Pieces that do not line up with anything: rows are in document order, every offset is exact,
    and a re-run from the parse cache gives the same rows."""
    texts = [(root / "seeds" / name).read_text(encoding="utf-8") for name in sorted(os.listdir(root / "seeds"))
             if name.endswith(".txt")]
    text = "\n\n".join(t.strip() for t in texts[:3]) + "\n"
    size = len(text) // 3 + 101
    rows = list(engine.extract([_document(text)], piece_chars=size, cache=tmp_path / "cache"))
    tables = _by_table(rows)
    for table in ("sentences.csv", "mentions.csv", "timexes.csv", "claims.csv", "boilerplate.csv"):
        starts = [r["start"] for r in tables[table]]
        assert starts == sorted(starts), table
        assert all(r["text"] == text[r["start"]:r["end"]].strip() for r in tables[table]), table
    assert all(r["sentence_start"] <= r["start"] and r["end"] <= r["sentence_end"] for r in tables["claims.csv"])
    ids = [int(r["unit_id"].rsplit("#", 1)[1]) for r in tables["units.csv"]]
    assert ids == list(range(len(ids))) and len(ids) >= 3
    (row,) = tables["documents.csv"]
    assert (row["chars"], row["words"], row["sentences"]) == (len(text), len(text.split()),
                                                              len(tables["sentences.csv"]))
    again = list(engine.extract([_document(text)], piece_chars=size, cache=tmp_path / "cache"))
    assert again == rows


def test_piece_joiner_counts_a_word_cut_in_two_once():
    from proxylens.pipeline import PieceJoiner

    document = _document("alpha beta gamma")
    joiner = PieceJoiner(document)
    counts = {"units": 1, "sentences": 1, "boilerplate_chars": 0}
    joiner.join([("documents.csv", {**counts, "words": 2})], 0)  # "alpha be"
    joiner.join([("documents.csv", {**counts, "words": 2})], 8)  # "ta gamma": "beta" is one word
    table, row = joiner.document_row()
    assert table == "documents.csv" and row["words"] == 3 and row["units"] == 2
