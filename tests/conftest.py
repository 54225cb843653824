import shutil

import pytest

from proxylens.paths import repo_root


@pytest.fixture(scope="session")
def root():
    return repo_root()


@pytest.fixture(scope="session")
def nlp():
    from proxylens.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seeds_copy(tmp_path_factory, root):
    """A copy of seeds/ that tests may run the extractor over (never modify it: it is shared)."""
    docs = tmp_path_factory.mktemp("seeds") / "seeds"
    shutil.copytree(root / "seeds", docs)
    return docs


def once_per_run(tmp_path_factory, name: str, compute):
    """``compute()``, run once for the whole test run even when pytest-xdist splits it among worker
    processes (each of which is a session of its own): the first worker to ask computes it under a
    lock and leaves a pickled copy in the run's shared temporary folder; the others read that copy
    (the pattern pytest-xdist documents for session fixtures). Without xdist it just computes."""
    import fcntl
    import os
    import pickle

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return compute()
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
    copy = shared / f"{name}.pickle"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if copy.exists():
                return pickle.loads(copy.read_bytes())
            computed = compute()
            copy.write_bytes(pickle.dumps(computed))
            return computed
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def seeds_extracted(tmp_path_factory, seeds_copy):
    """The tables ``proxylens extract seeds --out OUT`` writes (one process, CSV), made once per run.

    Returns ``(out_folder, stderr)``; tests compare other ways of running against these files (and
    never write into the folder: it is shared by every worker of the run)."""

    def extract():
        import contextlib
        import io

        from proxylens import cli

        out = tmp_path_factory.mktemp("seeds_extracted")
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = cli.main(["extract", str(seeds_copy), "--out", str(out)])
        assert code == 0, err.getvalue()
        return out, err.getvalue()

    return once_per_run(tmp_path_factory, "seeds_extracted", extract)


@pytest.fixture(scope="session")
def evaluation(tmp_path_factory):
    """The whole evaluation (:func:`proxylens.evaluation.store.compute`), computed once per test run
    (:func:`once_per_run`): every corpus extracted once, every task scored from that extraction.
    Never modify it."""
    from proxylens.evaluation import store

    return once_per_run(tmp_path_factory, "evaluation", store.compute)


# The order in which pytest-xdist hands test files to its worker processes (``make test`` runs
# ``--dist loadfile --no-loadscope-reorder``): files that take longest first, so that the last file
# to run is a short one and no worker waits idle at the end for another to finish a long file.
# Without this, xdist sends files with the most tests first, and the single-test wheel build
# (several seconds) used to run alone at the very end.
def _cost_rank(item) -> int:
    if item.get_closest_marker("browser"):
        return 0  # a real browser over many pages
    if item.get_closest_marker("slow"):
        return 1  # builds, subprocesses, clusters
    if item.path.suffix == ".ipynb":
        return 2  # a kernel per notebook
    return 3


def pytest_collection_modifyitems(session, config, items):
    """Longest work first (see :func:`_cost_rank`): files ranked by their costliest test; the order of
    files within a rank, and of tests within a file, is left as collected (the sort is stable)."""
    def file(item) -> str:
        return item.nodeid.split("::")[0]

    rank: dict[str, int] = {}
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        rank[file(item)] = min(rank.get(file(item), _cost_rank(item)), _cost_rank(item))
        first.setdefault(file(item), index)
    items.sort(key=lambda item: (rank[file(item)], first[file(item)]))
