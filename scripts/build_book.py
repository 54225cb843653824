"""``jupyter-book build`` with Sphinx reading pages in parallel (Jupyter Book 1.x has no option).

Usage is that of ``jupyter-book build``: ``python scripts/build_book.py build . -W -n ...``.
``BOOK_JOBS`` sets the number of processes (default: the machine's CPU count, at most 4); pages,
and the notebooks they execute, are shared among them; ``BOOK_JOBS=1`` builds serially, as
``jupyter-book build`` does. Either way the built HTML is the same.
"""

from __future__ import annotations

import functools
import os
import sys


def jobs() -> int:
    value = os.environ.get("BOOK_JOBS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            sys.exit(f"build_book.py: BOOK_JOBS must be a whole number of processes, not {value!r}")
        return int(value)
    return max(1, min(4, os.cpu_count() or 1))


def main() -> int:
    import jupyter_book.sphinx as jb_sphinx
    from jupyter_book.cli.main import main as jupyter_book

    jb_sphinx.build_sphinx = functools.partial(jb_sphinx.build_sphinx, jobs=jobs())
    return jupyter_book()


if __name__ == "__main__":
    sys.exit(main())
