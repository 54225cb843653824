"""Notebook hygiene: stored outputs are complete, in order and clean, so strict nbval compares them all."""

import json

import pytest

from proxylens.paths import repo_root

NOTEBOOKS = sorted((repo_root() / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_hygiene(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c.get("execution_count") for c in code]
    assert None not in counts, f"{path.name}: unexecuted code cells"
    assert counts == list(range(1, len(code) + 1)), f"{path.name}: execution counts out of order"
    for cell in code:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{path.name}: stored error"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), f"{path.name}: stderr"
            text = json.dumps(out)
            assert " at 0x" not in text, f"{path.name}: memory address in output"
            assert str(repo_root()) not in text, f"{path.name}: absolute path in output"
    first = "".join(nb["cells"][0]["source"])
    assert first.startswith("# ") and "## Overview" in first and "## Prerequisites" in first
    assert any("## Summary" in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_caption_name_and_alt_text(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        has_png = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if has_png:
            meta = cell["metadata"].get("mystnb", {})
            assert meta.get("figure", {}).get("caption") and meta["figure"].get("name"), path.name
            assert meta.get("image", {}).get("alt"), f"{path.name}: figure without alt text"


def readable_text(path):
    """The words a reader sees: markdown and code sources and text outputs, not image data."""
    if path.suffix != ".ipynb":
        return path.read_text(encoding="utf-8")
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        parts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for mime, data in out.get("data", {}).items():
                if mime.startswith("text/"):
                    parts.append("".join(data))
    return "\n".join(parts)


def test_no_placeholders_in_book(root):
    words = ("TO" + "DO", "TK" + "TK", "FIX" + "ME", "XX" + "X", "lorem " + "ipsum")
    for path in [*root.glob("book/*.md"), *root.glob("book/*.ipynb"), *root.glob("notebooks/*.ipynb"), root / "README.md"]:
        text = readable_text(path)
        for w in words:
            assert w not in text, f"{path.name} contains {w}"
