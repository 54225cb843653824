"""The refresh script stores image data losslessly, in pieces that never spell a placeholder word."""

import importlib.util

import nbformat

from proxylens.paths import repo_root

spec = importlib.util.spec_from_file_location("refresh", repo_root() / "scripts" / "refresh_notebooks.py")
refresh = importlib.util.module_from_spec(spec)
spec.loader.exec_module(refresh)


def test_split_base64_cuts_inside_every_run_and_joins_back():
    data = "aaXXXXbTODOcFIXMEd" * 3
    pieces = refresh.split_base64(data)
    assert "".join(pieces) == data
    assert not any(run in piece for piece in pieces for run in refresh.PLACEHOLDER_RUNS)
    assert refresh.split_base64(pieces) == pieces  # idempotent: a second refresh changes nothing


def test_clean_data_stays_one_string():
    assert refresh.split_base64("iVBORw0KGgo") == "iVBORw0KGgo"


def test_stored_notebooks_hold_no_placeholder_runs_and_read_back_as_strings():
    for path in sorted((repo_root() / "notebooks").glob("*.ipynb")):
        raw = path.read_text(encoding="utf-8")
        for run in refresh.PLACEHOLDER_RUNS:
            assert run not in raw, f"{path.name} contains {run}"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                assert all(isinstance(v, str) for v in out.get("data", {}).values()), path.name
