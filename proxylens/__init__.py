"""Proxy Lens: turn a folder of news texts into tidy tables of actors, dates and claims.

Stages, each one module, later ones importing earlier ones and never the reverse:
``corpus`` -> ``actors`` -> ``timeline`` -> ``claims`` -> ``network``.

``proxylens.extract(documents, registry=..., jobs=..., dask=..., cache=...)`` runs them over a
corpus and yields ``(table, row)`` pairs; ``proxylens.write_tables`` writes those to files.
"""

__version__ = "0.1.0"

from proxylens.engine import extract, write_tables  # noqa: E402 - the public API, after the version

__all__ = ["extract", "write_tables", "__version__"]
