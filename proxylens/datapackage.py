"""The data package: ``data/datapackage.json`` describes every table of the repository.

The descriptor is a Frictionless Data Package (v1): one resource per file, every CSV column with
its type, description and constraints, primary and foreign keys. This module loads and validates
it the same way in the tests and in the data dictionary chapter, and renders it for the book.

Resource paths are relative to the **repository root**, not to ``data/``: the Data Package spec
forbids ``../`` in a path and the seed manifest lives in ``seeds/``. :func:`load_package` sets that
base path, so validate with ``load_package().validate()`` rather than pointing a tool at the file.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pandas as pd

from proxylens.paths import repo_root

DESCRIPTOR = Path("data") / "datapackage.json"
GROUPS = ("seeds", "curated", "derived", "unseen")
# Folders whose CSV files must all be described.
DESCRIBED_FOLDERS = ("seeds", "data")

# Patterns the descriptor uses for ids and dates. Frictionless anchors a pattern (``^(...)$``), as
# the spec's XML Schema regular expressions are, so none carries ^ or $ itself.
_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"
EDTF_DATE_PATTERN = _DATE
EDTF_PATTERN = rf"({_DATE}|({_DATE}|\.\.)/({_DATE}|\.\.))"
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
SEED_ID_PATTERN = r"\d{3}_[0-9a-f]{16}"
# How the data dictionary names the patterns above instead of printing the regular expression.
PATTERN_NAMES = {
    EDTF_PATTERN: "EDTF date (YYYY, YYYY-MM, YYYY-MM-DD) or interval A/B ('..' = open end)",
    EDTF_DATE_PATTERN: "EDTF date (YYYY, YYYY-MM or YYYY-MM-DD)",
    SLUG_PATTERN: "lowercase slug",
    rf"{SLUG_PATTERN}(;{SLUG_PATTERN})*": "lowercase slugs separated by ';'",
    SEED_ID_PATTERN: "seed id: three digits, '_', 16 hex digits",
}


def descriptor_path(root: Path | None = None) -> Path:
    """Where the descriptor lives: ``<repo>/data/datapackage.json``."""
    return (root or repo_root()) / DESCRIPTOR


def load_descriptor(root: Path | None = None) -> dict:
    """The descriptor as a plain dict, exactly as stored."""
    return json.loads(descriptor_path(root).read_text(encoding="utf-8"))


def load_package(descriptor: dict | None = None, root: Path | None = None):
    """A ``frictionless.Package`` whose resource paths resolve against the repository root.

    ``descriptor`` defaults to the stored one; pass a modified copy to check what validation
    makes of a change.
    """
    from frictionless import Package

    root = root or repo_root()
    return Package(descriptor if descriptor is not None else load_descriptor(root), basepath=str(root))


def validate(descriptor: dict | None = None, root: Path | None = None):
    """Validate the package (schemas, types, constraints, primary and foreign keys): a Frictionless report."""
    return load_package(descriptor, root).validate()


def _where(error) -> str:
    """Row, column and cell of a Frictionless error, when it has them."""
    parts = []
    if getattr(error, "row_number", None) is not None:
        parts.append(f"row {error.row_number}")
    if getattr(error, "field_name", None):
        parts.append(f"column {error.field_name}")
    if getattr(error, "cell", None) not in (None, ""):
        parts.append(f"value {str(error.cell)[:60]!r}")
    return (" " + ", ".join(parts)) if parts else ""


def report_problems(report) -> list[str]:
    """One line per error of a Frictionless validation report: ``resource row n, column c: [type] note``."""
    lines = [f"package: [{e.type}] {e.note}" for e in report.errors]
    for task in report.tasks:
        lines += [f"{task.name}{_where(e)}: [{e.type}] {e.note}" for e in task.errors]
    return lines


def table_files(root: Path | None = None) -> list[str]:
    """Every CSV under ``seeds/`` and ``data/`` (recursively), as sorted paths relative to the root."""
    root = root or repo_root()
    found = {p.relative_to(root).as_posix() for folder in DESCRIBED_FOLDERS for p in (root / folder).rglob("*.csv")}
    return sorted(found)


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV file."""
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh), [])


def csv_rows(path: Path) -> int:
    """Number of data rows of a CSV file (cells may span lines, so lines are not counted)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)


def resources(descriptor: dict, group: str | None = None) -> list[dict]:
    """The descriptor's resources, optionally only those of one group (``x_group``)."""
    return [r for r in descriptor["resources"] if group is None or r.get("x_group") == group]


def resource_for(descriptor: dict, path: str) -> dict | None:
    """The resource describing ``path`` (relative to the root), or None."""
    return next((r for r in descriptor["resources"] if r["path"] == path), None)


# ------------------------------------------------------------------ who reads what

_TABLE_CALL = re.compile(r"\b(curated|derived)\(\s*[\"']([\w-]+)[\"']\s*\)")
_DIR_PATH = re.compile(r"\b(curated|derived)_dir\(\)\s*/\s*[\"']([\w.-]+)[\"']")
_SOURCES_CALL = re.compile(r"\btables\.sources\(\s*\)")
_FROM_REPORT_MODULE = re.compile(r"^\s*(?:from|import)\s+proxylens\.report\.(\w+)", re.MULTILINE)
_FROM_REPORT_IMPORT = re.compile(r"^\s*from\s+proxylens\.report\s+import\s+\(?([\w ,]+)", re.MULTILINE)
_FROM_PROXYLENS_IMPORT = re.compile(r"^\s*from\s+proxylens\s+import\s+\(?([\w ,]+)", re.MULTILINE)


def tables_named_in(code: str) -> set[str]:
    """Tables a piece of code reads by name, as paths relative to the root.

    Only literal names are seen: ``tables.curated("actors")``, ``derived("mentions")``,
    ``tables.sources()``, ``derived_dir() / "relation_edges.csv"``.

    >>> sorted(tables_named_in('a = tables.curated("actors"); b = tables.sources()'))
    ['data/curated/actors.csv', 'seeds/sources.csv']
    """
    found = {f"data/{kind}/{name}.csv" for kind, name in _TABLE_CALL.findall(code)}
    found |= {f"data/{kind}/{name}" for kind, name in _DIR_PATH.findall(code)}
    if _SOURCES_CALL.search(code):
        found.add("seeds/sources.csv")
    return found


def _imported_names(match_text: str) -> list[str]:
    """``"a, b as c"`` -> ``["a", "b"]``."""
    return [part.split(" as ")[0].strip() for part in match_text.split(",") if part.strip()]


def _report_modules(code: str, root: Path) -> list[Path]:
    """The ``proxylens.report`` modules a notebook imports (its ``__init__`` included); not transitive."""
    names = set(_FROM_REPORT_MODULE.findall(code))
    for m in _FROM_REPORT_IMPORT.findall(code):
        names |= {"__init__", *_imported_names(m)}
    for m in _FROM_PROXYLENS_IMPORT.findall(code):
        if "report" in _imported_names(m):
            names.add("__init__")
    folder = root / "proxylens" / "report"
    return sorted(p for p in (folder / f"{n}.py" for n in names) if p.is_file())


def notebook_code(path: Path) -> str:
    """The source of every code cell of a notebook, joined."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb.get("cells", []) if c.get("cell_type") == "code")


def notebook_reads(root: Path | None = None) -> dict[str, list[str]]:
    """``{table path: [notebook stems]}``: which of the book's notebooks read each table.

    A notebook reads a table when its code cells, or a ``proxylens.report`` module it imports,
    call :mod:`proxylens.tables` for it by name (:func:`tables_named_in`). This is a lower bound:
    a table read indirectly (inside an evaluation function, say) is not seen.
    """
    root = root or repo_root()
    reads: dict[str, set[str]] = {}
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        code = notebook_code(nb)
        seen = tables_named_in(code)
        for module in _report_modules(code, root):
            seen |= tables_named_in(module.read_text(encoding="utf-8"))
        for table in seen:
            reads.setdefault(table, set()).add(nb.stem)
    return {table: sorted(nbs) for table, nbs in sorted(reads.items())}


# ------------------------------------------------------------------ rendering for the book

def constraints_text(field: dict) -> str:
    """A field's constraints in a few words: ``required; unique; one of: a, b; pattern: ...; 1 to 6``."""
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of: " + ", ".join(str(v) for v in c["enum"]))
    if "pattern" in c:
        parts.append(PATTERN_NAMES.get(c["pattern"], f"pattern: {c['pattern']}"))
    if "minimum" in c and "maximum" in c:
        parts.append(f"{c['minimum']} to {c['maximum']}")
    elif "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    elif "maximum" in c:
        parts.append(f"≤ {c['maximum']}")
    if "format" in c:
        parts.append(f"format: {c['format']}")
    if field.get("format") not in (None, "default"):
        parts.append(f"format: {field['format']}")
    return "; ".join(parts)


def fields_table(resource: dict) -> pd.DataFrame:
    """One row per column of a tabular resource: name, type, description, constraints (in file order)."""
    rows = [
        {"column": f["name"], "type": f.get("type", "any"), "description": f.get("description", ""),
         "constraints": constraints_text(f)}
        for f in resource.get("schema", {}).get("fields", [])
    ]
    return pd.DataFrame(rows, columns=["column", "type", "description", "constraints"])


def keys_text(resource: dict) -> str:
    """The primary key and foreign keys of a resource in words."""
    schema = resource.get("schema", {})
    parts = []
    if schema.get("primaryKey"):
        parts.append("primary key (" + ", ".join(schema["primaryKey"]) + ")")
    for k in schema.get("foreignKeys", []):
        ref = k["reference"]
        parts.append(f"{', '.join(k['fields'])} → {ref['resource']} ({', '.join(ref['fields'])})")
    return "; ".join(parts)


def licence_text(resource: dict, descriptor: dict) -> str:
    """The licence that applies (the resource's own, else the package's), plus any ``x_rights`` note."""
    licences = resource.get("licenses") or descriptor.get("licenses") or []
    text = ", ".join(lic.get("name", lic.get("title", "")) for lic in licences) or "none stated"
    return f"{text}. {resource['x_rights']}" if resource.get("x_rights") else text


def overview(descriptor: dict, report=None, root: Path | None = None) -> pd.DataFrame:
    """One row per resource: group, name, path, format, columns, rows (counted now), written by, read by.

    With a Frictionless validation ``report`` (:func:`validate`), an ``errors`` column counts the
    errors found in each resource. ``columns`` and ``rows`` are empty (NA) for a file that is not a table.
    """
    root = root or repo_root()
    errors = {t.name: len(t.errors) for t in report.tasks} if report is not None else {}
    rows = []
    for r in descriptor["resources"]:
        path = root / r["path"]
        tabular = r.get("profile") == "tabular-data-resource"
        row = {
            "group": r.get("x_group", ""),
            "resource": r["name"],
            "path": r["path"],
            "format": r.get("format", ""),
            "columns": len(r["schema"]["fields"]) if tabular else pd.NA,
            "rows": csv_rows(path) if tabular and path.is_file() else pd.NA,
            "written by": r.get("x_written_by", ""),
            "read by": ", ".join(r.get("x_read_by", [])),
        }
        if report is not None:
            row["errors"] = errors.get(r["name"], pd.NA)
        rows.append(row)
    df = pd.DataFrame(rows)
    for col in ("columns", "rows", "errors"):
        if col in df:
            df[col] = df[col].astype("Int64")
    return df


def package_html(descriptor: dict) -> str:
    """The package's own title, description, licence and sources as HTML (escaped)."""
    e = html.escape
    licences = ", ".join(
        f"{e(lic.get('title', lic.get('name', '')))} ({e(lic.get('name', ''))})" for lic in descriptor.get("licenses", [])
    )
    sources = "".join(
        f"<li>{e(s.get('title', ''))} <code>{e(s.get('path', ''))}</code></li>" for s in descriptor.get("sources", [])
    )
    parts = [
        f"<p><strong>{e(descriptor.get('title', descriptor.get('name', '')))}</strong></p>",
        f"<p>{e(descriptor.get('description', ''))}</p>",
        f"<p><strong>Licence:</strong> {licences or 'none stated'}</p>",
    ]
    if sources:
        parts.append(f"<p><strong>Sources:</strong></p><ul>{sources}</ul>")
    return "\n".join(parts)


def resource_html(resource: dict, descriptor: dict) -> str:
    """A resource's entry in the data dictionary as HTML: title, facts, and its columns' table.

    Every string from the descriptor is escaped.
    """
    e = html.escape
    facts = [
        ("Path", f"<code>{e(resource['path'])}</code>"),
        ("Resource", f"<code>{e(resource['name'])}</code>"),
        ("Written by", e(resource.get("x_written_by", ""))),
        ("Read by", e(", ".join(resource.get("x_read_by", [])) or "no chapter reads it directly")),
        ("Licence", e(licence_text(resource, descriptor))),
    ]
    if resource.get("profile") != "tabular-data-resource":
        facts.append(("Format", e(f"{resource.get('format', '')} ({resource.get('mediatype', '')})")))
    keys = keys_text(resource)
    if keys:
        facts.append(("Keys", e(keys)))
    items = "".join(f"<li><strong>{k}:</strong> {v}</li>" for k, v in facts)
    parts = [
        f"<p class=\"rubric\">{e(resource.get('title', resource['name']))}</p>",
        f"<p>{e(resource.get('description', ''))}</p>",
        f"<ul>{items}</ul>",
    ]
    if resource.get("profile") == "tabular-data-resource":
        parts.append(fields_table(resource).to_html(index=False, escape=True, border=0, classes="dataframe",
                                                  justify="left"))
    return "\n".join(parts)


def group_html(descriptor: dict, group: str) -> str:
    """Every resource of one group (``seeds``, ``curated``, ``derived``, ``unseen``) as HTML, in path order."""
    return "\n<hr/>\n".join(resource_html(r, descriptor) for r in resources(descriptor, group))


def validation_summary(report) -> pd.DataFrame:
    """One row per validated resource: rows and columns read, errors found, and whether it is valid."""
    rows = [
        {"resource": t.name, "rows": t.stats.get("rows", pd.NA), "columns": t.stats.get("fields", pd.NA),
         "errors": t.stats.get("errors", len(t.errors)), "valid": bool(t.valid)}
        for t in report.tasks
    ]
    df = pd.DataFrame(rows, columns=["resource", "rows", "columns", "errors", "valid"])
    for col in ("rows", "columns", "errors"):
        df[col] = df[col].astype("Int64")
    return df
