"""Proxy Lens: turn a folder of news texts into tidy tables of actors, dates and claims.

Stages, each one module, later ones importing earlier ones and never the reverse:
``corpus`` -> ``actors`` -> ``timeline`` -> ``claims`` -> ``network``.
"""

__version__ = "0.1.0"
