"""Lets Sphinx read the book's pages, and so execute its notebooks, in parallel.

sphinx-external-toc always loads sphinx-multitoc-numbering, which does not declare whether it is
safe for parallel reading, so Sphinx warns and reads every page one after another. That extension
only replaces how section numbers of *numbered* toctrees are assigned, in the main process after
reading (this book numbers none), which is safe however the pages were read. This declares it so.
"""


def _declare(app):
    extension = app.extensions.get("sphinx_multitoc_numbering")
    if extension is not None and extension.parallel_read_safe is None:
        extension.parallel_read_safe = True


def setup(app):
    _declare(app)  # already loaded (sphinx-external-toc comes first)
    app.connect("builder-inited", _declare, priority=0)  # or loaded later: still before reading
    return {"parallel_read_safe": True, "parallel_write_safe": True}
