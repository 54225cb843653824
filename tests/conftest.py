import pytest

from proxylens.paths import repo_root


@pytest.fixture(scope="session")
def root():
    return repo_root()


@pytest.fixture(scope="session")
def nlp():
    from proxylens.nlp import load_nlp

    return load_nlp()
