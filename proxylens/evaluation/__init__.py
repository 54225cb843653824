"""Scoring automatic output against curated gold. Never imported by the extractor.

``python -m proxylens.evaluation write FOLDER`` computes the whole evaluation once and stores it
(:mod:`proxylens.evaluation.store`); the Evaluation chapter reads the stored files.
"""

CORPORA = ("seeds", "unseen")
TASKS = ("actors", "timexes", "claims")
TASK_TITLES = {"actors": "actor mentions", "timexes": "temporal expressions", "claims": "claims"}
