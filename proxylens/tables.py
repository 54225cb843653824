"""Reading the project's tables the same way everywhere (notebooks, tests, evaluation).

Every table is read as text (``dtype=str``, empty cells as ``""``) so nothing is silently
converted; callers turn the columns they need into numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from proxylens.paths import curated_dir, derived_dir, seeds_dir

OFFSET_COLUMNS = ("start", "end", "index", "chars", "words", "units", "sentences", "boilerplate_chars")
# A cell that holds several values separates them by ";" or "|" ("likely;may", "iran|hezbollah").
_CELL_SEPARATOR = re.compile(r"[;|]")


def read_csv(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for col in OFFSET_COLUMNS:
        if col in df.columns and (df[col] != "").all():
            df[col] = df[col].astype(int)
    return df


def cell_values(cell: str) -> list[str]:
    """The values of a cell that may hold several, stripped; a blank cell holds none.

    >>> cell_values("likely; may"), cell_values("")
    (['likely', 'may'], [])
    """
    return [v.strip() for v in _CELL_SEPARATOR.split(cell or "") if v.strip()]


def curated(name: str) -> pd.DataFrame:
    """A table from ``data/curated/`` by file stem, e.g. ``curated("actors")``."""
    return read_csv(curated_dir() / f"{name}.csv")


def derived(name: str) -> pd.DataFrame:
    """A table from ``data/derived/`` by file stem, e.g. ``derived("mentions")``."""
    return read_csv(derived_dir() / f"{name}.csv")


def sources() -> pd.DataFrame:
    """The seed manifest ``seeds/sources.csv``."""
    return read_csv(seeds_dir() / "sources.csv")


def seed_texts() -> dict[str, str]:
    """``{source_id: text}`` for every seed, read exactly as stored (no newline translation)."""
    return {
        p.stem: p.open(encoding="utf-8", newline="").read()
        for p in sorted(seeds_dir().glob("*.txt"))
    }
