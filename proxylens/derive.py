"""Derived artefacts beyond the extraction contract, written by ``make data`` after ``proxylens extract``.

``python -m proxylens.derive [OUT_DIR]`` writes, into ``data/derived/`` by default:

* the actor networks (typed relations and sentence co-occurrence) as GraphML and edge CSVs;
* the chronology of curated events as TimelineJS-compatible JSON;
* when writing the book's own ``data/derived/``: the actor profile pages (``book/profiles/``,
  :mod:`proxylens.profiles`) and the explorers' data, static figure and vendored library
  (``book/_static/explore/``, ``book/explore/``, :mod:`proxylens.explore`).

Each writer is deterministic: running this twice gives byte-identical files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from proxylens.paths import derived_dir


def main(argv: list[str] | None = None) -> int:
    from proxylens import chronology, explore, network, profiles

    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else derived_dir()
    out.mkdir(parents=True, exist_ok=True)
    written = [*network.write_exports(out), *chronology.write_timelinejs(out)]
    if out.resolve() == derived_dir().resolve():
        # The book's pages follow the book's data only; a run into another folder leaves the book alone.
        written += [*profiles.write_profiles(), *explore.write_explorer_assets()]
    print(f"proxylens.derive: wrote {len(written)} files: {', '.join(sorted(p.name for p in written))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
