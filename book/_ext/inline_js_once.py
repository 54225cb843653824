"""Emit each inline <script> body once per page.

Sphinx 7 lists an inline script that an extension adds after the builder started twice (once
with filename None, once with ''), so sphinx-thebe's ``const THEBE_JS_URL`` throws "already
declared" in the browser. Sphinx fixed this after 7.x (sphinx-doc/sphinx#13402); Jupyter Book 1
requires Sphinx 7.
"""


def _drop_repeated_inline_scripts(app, pagename, templatename, context, doctree):
    seen = set()
    kept = []
    for script in context.get("script_files", []):
        inline = not getattr(script, "filename", "x")
        body = getattr(script, "attributes", {}).get("body") if inline else None
        if body is not None:
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", _drop_repeated_inline_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
