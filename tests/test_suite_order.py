"""The order in which ``make test`` hands test files to its worker processes: longest first."""

from pathlib import Path
from types import SimpleNamespace

from conftest import pytest_collection_modifyitems


def fake(nodeid: str, *markers: str):
    path = Path(nodeid.split("::")[0])
    return SimpleNamespace(nodeid=nodeid, path=path,
                           get_closest_marker=lambda name: name if name in markers else None)


def test_files_go_out_browser_then_slow_then_notebooks_then_the_rest_and_stay_whole():
    items = [
        fake("tests/test_a.py::test_one"),
        fake("tests/test_wheel.py::test_build", "slow"),
        fake("tests/test_a.py::test_two", "slow"),  # one slow test moves its whole file
        fake("notebooks/01.ipynb::Cell 0"),
        fake("tests/test_b.py::test_one"),
        fake("tests/test_browser.py::test_page", "browser"),
        fake("notebooks/01.ipynb::Cell 1"),
        fake("tests/test_browser.py::test_search", "browser"),
    ]
    pytest_collection_modifyitems(None, None, items)
    assert [i.nodeid for i in items] == [
        "tests/test_browser.py::test_page", "tests/test_browser.py::test_search",
        "tests/test_a.py::test_one", "tests/test_a.py::test_two",
        "tests/test_wheel.py::test_build",
        "notebooks/01.ipynb::Cell 0", "notebooks/01.ipynb::Cell 1",
        "tests/test_b.py::test_one",
    ]
