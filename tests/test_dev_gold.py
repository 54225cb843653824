"""The frozen development set passes its validator, and the validator catches broken rows."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data" / "dev"
REGISTRY = ROOT / "data" / "curated"

_spec = importlib.util.spec_from_file_location("validate_dev_gold", ROOT / "scripts" / "validate_dev_gold.py")
vdg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vdg)


def test_dev_set_is_valid():
    counts = vdg.validate(DEV, REGISTRY)
    assert counts["texts"] >= 10 and counts["mentions"] and counts["timexes"] and counts["claims"]


@pytest.fixture
def dev_copy(tmp_path):
    shutil.copytree(DEV, tmp_path / "dev")
    return tmp_path / "dev"


def _edit_first_row(path: Path, column: str, change) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    rows[0][column] = change(rows[0][column])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_shifted_offset_is_reported_with_its_row(dev_copy):
    path = dev_copy / "gold" / "mentions.csv"
    _edit_first_row(path, "start", lambda v: str(int(v) + 1))
    with pytest.raises(vdg.GoldError, match=r"mentions\.csv row 2"):
        vdg.validate(dev_copy, REGISTRY)


def test_unlisted_text_is_reported(dev_copy):
    (dev_copy / "db99_extra.txt").write_text("Extra\n\nBody.\n", encoding="utf-8")
    with pytest.raises(vdg.GoldError, match="does not list db99_extra.txt"):
        vdg.validate(dev_copy, REGISTRY)


def test_quote_not_in_text_is_reported(dev_copy):
    _edit_first_row(dev_copy / "gold" / "claims.csv", "quote", lambda v: v + " (not in the text)")
    with pytest.raises(vdg.GoldError, match=r"claims\.csv row 2: quote"):
        vdg.validate(dev_copy, REGISTRY)


def test_unknown_id_is_reported(dev_copy):
    _edit_first_row(dev_copy / "gold" / "mentions.csv", "entity_id", lambda v: "Not An Id")
    with pytest.raises(vdg.GoldError, match="neither a registry actor_id"):
        vdg.validate(dev_copy, REGISTRY)


def test_main_exits_non_zero_with_one_line(dev_copy, capsys):
    (dev_copy / "sources.csv").unlink()
    assert vdg.main(["--root", str(dev_copy), "--registry", str(REGISTRY)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "sources.csv" in err and "\n" not in err
