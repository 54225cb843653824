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


@pytest.fixture(scope="session")
def seeds_extracted(tmp_path_factory, seeds_copy):
    """The tables ``proxylens extract seeds --out OUT`` writes (one process, CSV), made once per session.

    Returns ``(out_folder, stderr)``; tests compare other ways of running against these files.
    """
    import contextlib
    import io

    from proxylens import cli

    out = tmp_path_factory.mktemp("seeds_extracted")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(["extract", str(seeds_copy), "--out", str(out)])
    assert code == 0, err.getvalue()
    return out, err.getvalue()



@pytest.fixture(scope="session")
def evaluation(tmp_path_factory):
    """The whole evaluation (:func:`proxylens.evaluation.store.compute`), computed once per test run:
    every corpus extracted once, every task scored from that extraction. Never modify it.

    Under pytest-xdist (``make test``) each worker is a session of its own, so the first worker to
    ask computes it and leaves a copy in the run's shared temporary folder for the others, under a
    lock (the pattern pytest-xdist documents for session fixtures)."""
    import fcntl
    import os
    import pickle

    from proxylens.evaluation import store

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return store.compute()
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
    copy = shared / "evaluation.pickle"
    with (shared / "evaluation.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if copy.exists():
                return pickle.loads(copy.read_bytes())
            computed = store.compute()
            copy.write_bytes(pickle.dumps(computed))
            return computed
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
