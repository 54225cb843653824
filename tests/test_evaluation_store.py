"""The stored evaluation (data/derived/evaluation/) is what the code computes now, byte for byte.

This is the one place ``make test`` runs the whole evaluation (the session's ``evaluation``
fixture): every corpus extracted once, every task scored from it. The Evaluation chapter reads
the stored files, so a change to the extractor, the gold or a scorer that is not followed by
``make data`` fails here.
"""

import json

import pandas as pd
import pytest

from proxylens import datapackage as dp
from proxylens.evaluation import store


@pytest.mark.slow
def test_stored_evaluation_is_current(evaluation, tmp_path):
    store.write(tmp_path, evaluation)
    committed = store.evaluation_dir()
    fresh = sorted(p.name for p in tmp_path.iterdir())
    assert fresh == sorted(p.name for p in committed.iterdir()), "run make data"
    stale = [name for name in fresh if (tmp_path / name).read_bytes() != (committed / name).read_bytes()]
    assert not stale, f"stored evaluation out of date (run make data): {stale}"


def test_two_writes_give_the_same_bytes(evaluation, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    store.write(first, evaluation)
    store.write(second, evaluation)
    for path in sorted(first.iterdir()):
        data = path.read_bytes()
        assert data == (second / path.name).read_bytes(), path.name
        assert b"\r" not in data and data.decode("utf-8").endswith("\n"), path.name


def test_the_data_package_describes_every_stored_table(evaluation):
    described = {r["name"]: r for r in dp.load_descriptor()["resources"]}
    for resource in store.resources(evaluation):
        assert described.get(resource["name"]) == resource, (
            f"{resource['name']}: run python -m proxylens.evaluation write data/derived/evaluation --describe")


def test_read_table_gives_back_the_computed_table(evaluation):
    for name in store.TABLES:
        computed = store.table_flat(name, evaluation.tables[name])
        read = store.table_flat(name, store.read_table(name))
        pd.testing.assert_frame_equal(read, computed, check_dtype=False, obj=name)
        assert [store.field_type(read[c].dtype) for c in read] == [store.field_type(computed[c].dtype) for c in computed]


def test_values_are_plain_json(evaluation):
    assert store.read_values() == json.loads(json.dumps(evaluation.values))
    assert all(type(v) in (int, float, str) for v in evaluation.values.values())


def test_a_table_with_the_wrong_index_is_refused():
    table = pd.DataFrame({"measure": ["a"], "correct": [1]})
    try:
        store.table_csv("timeline_thresholds", table)
    except ValueError as error:
        assert "timeline_thresholds" in str(error)
    else:
        raise AssertionError("a table without its index was stored")


def test_cells_are_written_in_one_fixed_form():
    table = pd.DataFrame({"task": ["a", "b"], "value": [0.1 + 0.2, float("nan")], "k": [1, 2], "ok": [True, False]})
    assert store.table_csv("gold_sizes", table) == "task,value,k,ok\na,0.30000000000000004,1,true\nb,,2,false\n"


def test_the_evaluation_chapter_reads_the_stored_evaluation_and_never_runs_the_extractor():
    import subprocess
    import sys

    from proxylens.paths import repo_root

    code = dp.notebook_code(repo_root() / "notebooks" / "07_evaluation.ipynb")
    for word in ("extract", "load_nlp", "parsed_documents", "proxylens.engine", "evaluation.corpus",
                 "evaluation.dev", "evaluate_", "run_evaluation"):
        assert word not in code, word
    imports = [line for line in code.splitlines() if line.startswith(("from proxylens", "import proxylens"))]
    assert imports, "the chapter imports nothing from proxylens"
    probe = "\n".join(imports) + (
        "\nimport sys\nprint(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'textacy', 'dateparser')"
        " or m in ('proxylens.pipeline', 'proxylens.nlp', 'proxylens.actors', 'proxylens.timeline',"
        " 'proxylens.claims', 'proxylens.evaluation.corpus')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=repo_root() / "notebooks")
    assert out.stdout.strip() == "[]", out.stdout


def test_write_into_a_file_fails_with_one_line_before_any_work(tmp_path, capsys):
    from proxylens.evaluation.__main__ import main

    target = tmp_path / "not-a-folder"
    target.write_text("x", encoding="utf-8")
    assert main(["write", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not-a-folder" in err and "not a folder" in err
    assert target.read_text(encoding="utf-8") == "x"
