"""data/datapackage.json describes every table of the repository, and the tables obey it.

Frictionless validates each CSV against its schema (types, required cells, enums, patterns,
primary and foreign keys); the tests here add what a validator cannot know: that no table is
left undescribed and that every schema lists the file's columns in the file's order.
"""

import copy
import json
from pathlib import Path

import pytest

from proxylens import datapackage as dp
from proxylens.paths import repo_root

ROOT = repo_root()
DESCRIPTOR = dp.load_descriptor(ROOT)
TABULAR = [r for r in DESCRIPTOR["resources"] if r.get("profile") == "tabular-data-resource"]


def subset(names: list[str]) -> dict:
    """A copy of the descriptor with only the named resources (fast to validate)."""
    d = copy.deepcopy(DESCRIPTOR)
    d["resources"] = [r for r in d["resources"] if r["name"] in names]
    return d


def field(descriptor: dict, resource: str, column: str) -> dict:
    res = next(r for r in descriptor["resources"] if r["name"] == resource)
    return next(f for f in res["schema"]["fields"] if f["name"] == column)


def test_package_is_valid():
    report = dp.validate(root=ROOT)
    problems = dp.report_problems(report)
    assert report.valid and not problems, "\n".join(problems[:40])


def test_every_csv_is_described():
    described = {r["path"] for r in DESCRIPTOR["resources"]}
    undescribed = [p for p in dp.table_files(ROOT) if p not in described]
    assert not undescribed, f"tables without a resource in data/datapackage.json: {undescribed}"


def test_every_resource_points_at_a_file():
    missing = [r["path"] for r in DESCRIPTOR["resources"] if not (ROOT / r["path"]).is_file()]
    assert not missing, f"resources whose file is missing: {missing}"


@pytest.mark.parametrize("resource", TABULAR, ids=lambda r: r["name"])
def test_schema_fields_equal_csv_header(resource):
    fields = [f["name"] for f in resource["schema"]["fields"]]
    assert fields == dp.csv_header(ROOT / resource["path"])


def test_every_resource_and_column_is_documented():
    names = [r["name"] for r in DESCRIPTOR["resources"]]
    assert len(names) == len(set(names)), "resource names must be unique"
    assert DESCRIPTOR["licenses"] and DESCRIPTOR["description"]
    for r in DESCRIPTOR["resources"]:
        assert r.get("title") and r.get("description") and r.get("x_written_by"), r["name"]
        assert r.get("x_group") in dp.GROUPS, r["name"]
        assert not Path(r["path"]).is_absolute() and ".." not in Path(r["path"]).parts, r["path"]
        if r["path"].endswith(".csv"):
            assert r["profile"] == "tabular-data-resource", r["name"]
            for f in r["schema"]["fields"]:
                assert f.get("type") and f.get("description"), f"{r['name']}.{f['name']}"


def test_read_by_names_every_notebook_that_reads_the_table():
    notebooks = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    by_path = {r["path"]: r for r in DESCRIPTOR["resources"]}
    for r in DESCRIPTOR["resources"]:
        assert set(r.get("x_read_by", [])) <= notebooks, f"{r['name']}: x_read_by names a missing notebook"
    missing = [
        f"{table}: add {nb!r} to x_read_by"
        for table, nbs in dp.notebook_reads(ROOT).items() if table in by_path
        for nb in nbs if nb not in by_path[table].get("x_read_by", [])
    ]
    assert not missing, "\n".join(missing)


def test_descriptor_is_stored_in_a_stable_form():
    text = dp.descriptor_path(ROOT).read_text(encoding="utf-8")
    expected = json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert text == expected, "store data/datapackage.json as json.dumps(d, indent=2, ensure_ascii=False) + newline"


# ------------------------------------------------------------- the gate can fail

def test_a_renamed_column_fails():
    d = subset(["curated-actors", "curated-narratives"])
    field(d, "curated-narratives", "statement")["name"] = "claim"
    report = dp.validate(d, ROOT)
    assert not report.valid
    assert any("incorrect-label" in p for p in dp.report_problems(report))


def test_a_value_outside_the_vocabulary_fails():
    d = subset(["seeds-sources", "curated-actors", "curated-relations"])
    field(d, "curated-relations", "relation")["constraints"]["enum"].remove("backs")
    problems = dp.report_problems(dp.validate(d, ROOT))
    assert problems and all("constraint-error" in p and "column relation" in p for p in problems)


def test_a_dangling_foreign_key_fails():
    d = subset(["curated-narratives", "curated-aliases"])
    aliases = next(r for r in d["resources"] if r["name"] == "curated-aliases")
    aliases["schema"]["foreignKeys"] = [
        {"fields": ["actor_id"], "reference": {"resource": "curated-narratives", "fields": ["narrative_id"]}}
    ]
    problems = dp.report_problems(dp.validate(d, ROOT))
    assert problems and all("[foreign-key]" in p for p in problems)


def test_a_new_table_is_found(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "data" / "derived" / "sub").mkdir(parents=True)
    (tmp_path / "seeds" / "sources.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "data" / "derived" / "sub" / "new.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "data" / "notes.txt").write_text("not a table", encoding="utf-8")
    assert dp.table_files(tmp_path) == ["data/derived/sub/new.csv", "seeds/sources.csv"]


def test_tables_named_in_code():
    code = 'tables.curated("actors"); tables.derived("mentions"); tables.sources(); other("x")'
    assert dp.tables_named_in(code) == {"data/curated/actors.csv", "data/derived/mentions.csv",
                                        "seeds/sources.csv"}


def test_constraints_text():
    f = {"name": "x", "type": "integer", "constraints": {"required": True, "minimum": 1, "maximum": 6}}
    assert dp.constraints_text(f) == "required; 1 to 6"
    g = {"name": "k", "type": "string", "constraints": {"enum": ["a", "b"], "pattern": "[a-z]+"}}
    assert dp.constraints_text(g) == "one of: a, b; pattern: [a-z]+"


def test_resource_html_escapes_the_descriptor():
    res = {"name": "x", "path": "data/x.csv", "profile": "tabular-data-resource", "title": "<b>T</b>",
           "description": "<script>alert(1)</script>", "x_written_by": "hand",
           "schema": {"fields": [{"name": "a<", "type": "string", "description": "<i>"}]}}
    out = dp.resource_html(res, {"licenses": [{"name": "CC-BY-4.0"}]})
    assert "<script>" not in out and "<i>" not in out and "<b>T" not in out
    assert "&lt;script&gt;" in out and "CC-BY-4.0" in out


def test_notebook_reads_follows_the_chapter_report_module(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "proxylens" / "report").mkdir(parents=True)
    (tmp_path / "proxylens" / "report" / "demo.py").write_text('def f():\n    return tables.curated("events")\n')
    cells = [{"cell_type": "code", "source": ["from proxylens.report import demo as d\n", "tables.derived('units')"]}]
    (tmp_path / "notebooks" / "09_demo.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert dp.notebook_reads(tmp_path) == {"data/curated/events.csv": ["09_demo"],
                                           "data/derived/units.csv": ["09_demo"]}
