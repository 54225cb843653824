"""One shared copy of the interactive tables' library for the whole book, instead of one per page.

A notebook shows its long tables with itables, offline: :func:`proxylens.report.interactive_tables_setup`
writes the DataTables library (about 1 MB as base64) into the notebook's output, so the notebook works
in Jupyter with no network. Rendered as is, every chapter page of the book would carry its own copy
(pages of 1.0 to 1.3 MB, mostly that library). In the built book this extension replaces that output
with a reference to one copy under ``_static/itables-<version>/``, which a reader's browser fetches
once and keeps for every other page. The notebooks and their stored outputs do not change.

The shared copy is loaded the way itables loads its own embedded copy (a module made from a text,
see ``itables/html/init_notebook_offline.html``), from a classic script, so the book also works opened
from disk (``file://``), where browsers refuse to load module files. A setup output written by an
itables version other than the installed one is left inline, with a warning (``-W`` makes it an
error): re-run the notebooks (``make refresh``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from proxylens.report import itables_bundle, itables_ready

logger = logging.getLogger(__name__)

# The whole output of itables' offline setup (init_notebook_offline.html with its placeholders filled).
_SETUP = re.compile(
    r"<script>\s*function injectCSS\(base64CSS\).*"
    r"if \(!window\.(?P<name>_itables_[0-9_]+)\) \{.*"
    r'new Event\("itables-(?P<version>[0-9][0-9A-Za-z.]*)-ready"\).*</script>',
    re.DOTALL)

# The global the shared script sets: the library's JavaScript text.
SOURCE_GLOBAL = "proxylensDataTables"


def itables_version() -> str:
    import itables

    return itables.__version__


def shared_folder(version: str) -> str:
    """Where the shared copy is served, relative to the site root (the version in the name, so a
    reader's cached copy is never taken for another version's)."""
    return f"_static/itables-{version}"


def loader_html(version: str, folder_uri: str) -> str:
    """What replaces the inline setup: the style sheet and the library's text from ``folder_uri``
    (relative to the page), then the module made from that text, once per page, announced with
    the event the tables wait for."""
    name, event = itables_ready(version)
    return (
        f'<link rel="stylesheet" href="{folder_uri}/dt_bundle.css">\n'
        f'<script src="{folder_uri}/dt_bundle_source.js"></script>\n'
        "<script>\n"
        "(() => {\n"
        f"  if (window.{name} || !window.{SOURCE_GLOBAL}) return;\n"
        f'  const url = URL.createObjectURL(new Blob([window.{SOURCE_GLOBAL}], {{type: "application/javascript"}}));\n'
        f"  window.{name} = import(url);\n"
        f"  window.{name}.then(() => {{\n"
        "    URL.revokeObjectURL(url);\n"
        f'    window.dispatchEvent(new Event("{event}"));\n'
        "  });\n"
        "})();\n"
        "</script>\n"
    )


def shared_setup(html: str, folder_uri: str, version: str) -> str | None:
    """``html`` with the inline library replaced by :func:`loader_html`, when ``html`` is exactly an
    itables offline setup of ``version``; None when it is not a setup at all.

    Raises ValueError when it is a setup written by another itables version."""
    match = _SETUP.fullmatch(html.strip())
    if not match:
        return None
    if (match["name"], f"itables-{match['version']}-ready") != itables_ready(version):
        raise ValueError(f"the interactive tables were set up with itables {match['version']}, "
                         f"but itables {version} is installed: re-run the notebooks (make refresh)")
    return loader_html(version, folder_uri)


def _share(app, doctree, docname):
    if app.builder.format != "html":
        return
    version = itables_version()
    folder_uri = relative_uri(app.builder.get_target_uri(docname), shared_folder(version))
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split() or "injectModule(" not in node.astext():
            continue
        try:
            html = shared_setup(node.astext(), folder_uri, version)
        except ValueError as error:
            logger.warning(str(error), location=node)
            continue
        if html is not None:
            node.replace_self(nodes.raw("", html, format="html", classes=node.get("classes", [])))


def write_shared_copy(outdir: Path, version: str | None = None) -> Path:
    """Write the library's style sheet and its text (as :data:`SOURCE_GLOBAL`) into the build."""
    version = version or itables_version()
    bundle = itables_bundle()
    folder = Path(outdir) / shared_folder(version)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dt_bundle.css").write_bytes(bundle.with_suffix(".css").read_bytes())
    text = bundle.read_text(encoding="utf-8")
    (folder / "dt_bundle_source.js").write_text(f"window.{SOURCE_GLOBAL} = {json.dumps(text)};\n", encoding="utf-8")
    return folder


def _write(app, exception):
    if exception is None and app.builder.format == "html":
        write_shared_copy(app.outdir)


def setup(app):
    app.connect("doctree-resolved", _share)
    app.connect("build-finished", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
