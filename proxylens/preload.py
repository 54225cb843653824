"""Imported once by the fork server of ``--jobs N`` (see :class:`proxylens.engine`'s process pool):
the extraction stages and the English model are loaded there, and every worker process is forked
from it with them already in memory, instead of each worker loading its own copy."""

from proxylens import pipeline  # noqa: F401  (the stages, and the libraries they import)
from proxylens.nlp import load_nlp

try:
    load_nlp()
except Exception:  # noqa: BLE001
    # No model here means none in a worker either: the worker's own load_nlp() then raises the same
    # error inside a task, where the run reports it in one line naming the document.
    pass
