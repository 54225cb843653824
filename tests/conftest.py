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
def evaluation():
    """The whole evaluation (:func:`proxylens.evaluation.store.compute`), computed once per session:
    every corpus extracted once, every task scored from that extraction. Never modify it."""
    from proxylens.evaluation import store

    return store.compute()
