"""One place that knows where the repository's folders are.

Notebooks, tests and the command line all call :func:`repo_root`, so they agree on where
``data/`` is whatever the working directory.
"""

from __future__ import annotations

from pathlib import Path


def repo_root(start: Path | None = None) -> Path:
    """Return the nearest folder at or above ``start`` (default: this file) holding ``pyproject.toml``."""
    here = (start or Path(__file__)).resolve()
    for folder in [here, *here.parents]:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise FileNotFoundError(f"no pyproject.toml above {here.name}: not inside the Proxy Lens repository")


def seeds_dir() -> Path:
    return repo_root() / "seeds"


def curated_dir() -> Path:
    return repo_root() / "data" / "curated"


def derived_dir() -> Path:
    return repo_root() / "data" / "derived"
