"""Provenance: every curated row rests on the exact words of its source, every id resolves, and
``make data`` reproduces the committed data/derived/ byte for byte.
"""

import importlib
from pathlib import Path

import pytest

from proxylens import cli, tables
from proxylens.corpus import quote_span
from proxylens.paths import curated_dir, derived_dir, repo_root
from proxylens.pipeline import all_tables

ROOT = repo_root()
UNSEEN = ROOT / "data" / "unseen"
# Files in data/derived/ that `make data` does not write (the benchmark writes its own on request).
NOT_FROM_MAKE_DATA = {"benchmark.csv"}
# Columns that hold one actor id, a ';'-separated list of them, or a claimant (actor id or "author").
ACTOR_COLUMNS = ("actor_id", "subject_id", "object_id", "authority_id", "target_id", "candidate_id")
ACTOR_LIST_COLUMNS = ("actor_ids",)
CLAIMANT_COLUMNS = ("claimant_id",)
AUTHOR = "author"


def quote_columns(df) -> list[str]:
    return [c for c in df.columns if c == "quote" or c.endswith("_quote")]


def text_problems(name: str, df, texts: dict[str, str]) -> list[str]:
    """Quotes that are not an exact, unique substring of their source; spans whose text is not text[start:end]."""
    problems = []
    for i, row in df.iterrows():
        where = f"{name} row {i + 2}"
        source = row.get("source_id", "")
        for col in quote_columns(df):
            if not row[col]:
                continue
            if source not in texts:
                problems.append(f"{where}: {col} without a known source_id ({source!r})")
                continue
            try:
                quote_span(texts[source], row[col])
            except ValueError as err:
                problems.append(f"{where} ({source}): {col}: {err}")
        spanned = {"start", "end", "text"} <= set(df.columns) and source in texts
        if spanned and texts[source][int(row["start"]):int(row["end"])] != row["text"]:
            problems.append(f"{where} ({source}): text is not document[start:end]")
    return problems


def id_problems(name: str, df, actors: set[str], narratives: set[str], sources: set[str]) -> list[str]:
    """Actor, claimant, narrative and source ids that do not resolve."""
    problems = []

    def check(col, values, known, allowed=()):
        for i, value in values:
            if value and value not in known and value not in allowed:
                problems.append(f"{name} row {i + 2}: {col} {value!r} does not resolve")

    for col in df.columns:
        cells = list(enumerate(df[col]))
        if col in ACTOR_COLUMNS:
            check(col, cells, actors)
        elif col in ACTOR_LIST_COLUMNS:
            check(col, [(i, a) for i, v in cells for a in v.split(";")], actors)
        elif col in CLAIMANT_COLUMNS:
            check(col, [(i, a) for i, v in cells for a in v.split(";")], actors, allowed=(AUTHOR,))
        elif col == "narrative_id":
            check(col, cells, narratives)
        elif col == "source_id":
            check(col, cells, sources)
    return problems


def test_quotes_are_exact_and_unique_and_ids_resolve():
    actors = set(tables.curated("actors")["actor_id"])
    narratives = set(tables.curated("narratives")["narrative_id"])
    texts = tables.seed_texts()
    problems = []
    for path in sorted(curated_dir().glob("*.csv")):
        df = tables.read_csv(path)
        name = f"curated/{path.name}"
        problems += text_problems(name, df, texts)
        if path.stem != "actors":
            problems += id_problems(name, df, actors, narratives, set(texts))
    # Every hypothesis of the ACH matrix is a column of the evidence table, and no other H column.
    hypotheses = list(tables.curated("ach_hypotheses")["hypothesis_id"])
    h_columns = [c for c in tables.curated("ach_evidence").columns if c[:1] == "H" and c[1:].isdigit()]
    if h_columns != hypotheses:
        problems.append(f"ach_evidence columns {h_columns} != ach_hypotheses ids {hypotheses}")
    # Unseen test sets: gold against the texts of its own folder.
    for folder in sorted(p for p in UNSEEN.iterdir() if p.is_dir()):
        own = {p.stem: p.open(encoding="utf-8", newline="").read() for p in sorted(folder.glob("*.txt"))}
        manifest = folder / "sources.csv"
        if manifest.is_file():
            for i, file in enumerate(tables.read_csv(manifest)["file"]):
                if not (folder / file).is_file():
                    problems.append(f"unseen/{folder.name}/sources.csv row {i + 2}: no file {file!r}")
        for path in sorted(folder.glob("*_gold.csv")):
            df = tables.read_csv(path)
            name = f"unseen/{folder.name}/{path.name}"
            problems += text_problems(name, df, own)
            problems += id_problems(name, df, actors, narratives, set(own))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


# ------------------------------------------------------------- make data is reproducible

def derive_available() -> bool:
    """Whether ``python -m proxylens.derive`` can run (its stage modules may still be missing)."""
    try:
        importlib.import_module("proxylens.network")
        importlib.import_module("proxylens.chronology")
    except ImportError:
        return False
    return True


def make_data(out: Path) -> None:
    """What ``make data`` does, into ``out``: the extractor over seeds/, then proxylens.derive."""
    assert cli.main(["extract", str(ROOT / "seeds"), "--out", str(out), "--quiet"]) == 0
    if derive_available():
        from proxylens import derive

        assert derive.main([str(out)]) == 0


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, seeds_extracted):
    """Two runs of ``make data`` into fresh folders: the session's extraction of the seeds (with
    ``proxylens.derive`` run after it here), then a second run from scratch."""
    import shutil

    first = tmp_path_factory.mktemp("make_data_0")
    for path in seeds_extracted[0].iterdir():
        shutil.copy2(path, first / path.name)
    if derive_available():
        from proxylens import derive

        assert derive.main([str(first)]) == 0
    second = tmp_path_factory.mktemp("make_data_1")
    make_data(second)
    return [files(first), files(second)]


def test_make_data_reproduces_committed_derived(two_runs):
    written = two_runs[0]
    committed = {n: b for n, b in files(derived_dir()).items() if n not in NOT_FROM_MAKE_DATA}
    if not derive_available():  # only the extractor ran: compare what it writes
        committed = {n: b for n, b in committed.items() if n in all_tables()}
    assert sorted(written) == sorted(committed), "run `make data` and commit data/derived/"
    stale = [n for n in sorted(written) if written[n] != committed[n]]
    assert not stale, f"data/derived/ is not what `make data` writes now: {stale}"


def test_make_data_twice_gives_identical_files(two_runs):
    first, second = two_runs
    assert sorted(first) == sorted(second)
    assert [n for n in first if first[n] != second[n]] == []
