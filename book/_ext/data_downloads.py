"""The downloads page: the data package as one zip, and every table, graph and timeline file.

The directive ``{data-downloads}`` (no arguments) reads ``data/datapackage.json`` and renders

* a link to ``proxy-lens-data-<version>.zip``: the descriptor, every resource it names and
  ``LICENSE-DATA.md``, laid out as in the repository (the descriptor's paths are relative to the
  folder above ``data/``), so ``proxylens.datapackage.load_package`` reads the unpacked folder;
* one table per group of resources (seed manifest, curated, derived, unseen test sets): file
  (with its format and size) and what it holds (the first sentence of its description).

The files are written into ``<html>/downloads/`` when the build finishes. The zip is
deterministic: members in sorted order, a fixed timestamp and mode, fixed compression, so two
builds of the same data give the same bytes (``build_zip``).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path, PurePosixPath

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

DESCRIPTOR = "data/datapackage.json"
EXTRA_FILES = ("LICENSE-DATA.md",)
DOWNLOADS_DIR = "downloads"
# The earliest time a zip can hold; any fixed value would do.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
GROUPS = {
    "seeds": "The seed manifest (seeds/)",
    "curated": "Curated tables, coded by hand (data/curated/)",
    "derived": "Derived tables, graphs and timeline, written by the extractor (data/derived/)",
    "unseen": "Unseen test sets: the gold the extractor is scored against on new texts (data/unseen/)",
}


def load_descriptor(root: Path) -> dict:
    return json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))


def zip_name(descriptor: dict) -> str:
    return f"{descriptor['name']}-data-{descriptor['version']}.zip"


def package_files(root: Path, descriptor: dict) -> list[str]:
    """Repository-relative paths of the descriptor, its resources and the data licence, sorted."""
    paths = {DESCRIPTOR, *EXTRA_FILES}
    for resource in descriptor["resources"]:
        path = resource["path"]
        if not (root / path).is_file():
            raise FileNotFoundError(f"{DESCRIPTOR}: resource {resource['name']!r} names {path}, which is missing")
        paths.add(path)
    return sorted(paths)


def build_zip(root: Path, descriptor: dict) -> bytes:
    """The data package as zip bytes: same files in, same bytes out."""
    folder = PurePosixPath(zip_name(descriptor)).stem
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in package_files(root, descriptor):
            info = zipfile.ZipInfo(f"{folder}/{path}", date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the mode above is read on every platform
            archive.writestr(info, (root / path).read_bytes(), compresslevel=9)
    return buffer.getvalue()


def first_sentence(text: str) -> str:
    """Up to the first full stop that a capitalised word follows ("E.O. 13224" does not end one)."""
    match = re.match(r"(.+?[.!?])\s+(?=[A-Z“\"(])", text.strip(), flags=re.DOTALL)
    return (match.group(1) if match else text).strip()


def short_name(path: str, group: str) -> str:
    """The path below its group's folder: 'data/unseen/claims/sources.csv' -> 'claims/sources.csv'."""
    for prefix in (f"data/{group}/", "seeds/"):
        if path.startswith(prefix):
            return path[len(prefix):]
    return path


def human_size(n: int) -> str:
    return f"{n} B" if n < 1000 else f"{n / 1000:.0f} kB" if n < 999_500 else f"{n / 1e6:.1f} MB"


def _link(docname: str, target: str, text: str) -> nodes.reference:
    up = "../" * docname.count("/")
    return nodes.reference(text, text, refuri=f"{up}{DOWNLOADS_DIR}/{target}", classes=["download"])


def _file_cell(link: nodes.reference, kind: str, size: str) -> list[nodes.Node]:
    """The link, then its format and size on a line of their own."""
    return [link, nodes.inline("", f"{kind} · {size}", classes=["download-meta"])]


def _table(rows: list[list], widths=(35, 65)) -> nodes.table:
    table = nodes.table(classes=["downloads-table"])
    group = nodes.tgroup(cols=len(widths))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    body = nodes.tbody()
    group += head
    group += body
    for section, cells in ((head, ["File", "What it holds"]), *((body, r) for r in rows)):
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            children = cell if isinstance(cell, list) else [nodes.Text(str(cell))]
            entry += nodes.paragraph("", "", *children)
            row += entry
        section += row
    return table


class DataDownloadsDirective(SphinxDirective):
    has_content = False

    def run(self):
        root = Path(self.env.srcdir)
        descriptor = load_descriptor(root)
        files = package_files(root, descriptor)
        for path in files:
            self.env.note_dependency(str(root / path))
        archive = build_zip(root, descriptor)
        out = []
        para = nodes.paragraph()
        para += nodes.Text("The whole data package: ")
        para += _link(self.env.docname, zip_name(descriptor), zip_name(descriptor))
        para += nodes.Text(f" ({human_size(len(archive))}, {len(files)} files: the descriptor "
                           "data/datapackage.json, every table it describes and the data licence).")
        out.append(para)
        for group, title in GROUPS.items():
            rows = []
            for resource in descriptor["resources"]:
                if resource.get("x_group") != group:
                    continue
                path = resource["path"]
                kind = resource.get("format", PurePosixPath(path).suffix.lstrip(".")).upper()
                link = _link(self.env.docname, path, short_name(path, group))
                rows.append([_file_cell(link, kind, human_size((root / path).stat().st_size)),
                             first_sentence(resource.get("description", ""))])
            if rows:
                out.append(nodes.rubric(text=title))
                out.append(_table(rows))
        return out


def _write_files(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.srcdir)
    descriptor = load_descriptor(root)
    target = Path(app.outdir) / DOWNLOADS_DIR
    for path in package_files(root, descriptor):
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes((root / path).read_bytes())
    (target / zip_name(descriptor)).write_bytes(build_zip(root, descriptor))


def setup(app):
    app.add_directive("data-downloads", DataDownloadsDirective)
    app.connect("build-finished", _write_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
