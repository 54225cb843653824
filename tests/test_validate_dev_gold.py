"""scripts/validate_dev_gold.py accepts the committed development set and rejects broken copies."""

import csv
import importlib.util
import shutil

import pytest

from proxylens.paths import repo_root

spec = importlib.util.spec_from_file_location("validate_dev_gold", repo_root() / "scripts" / "validate_dev_gold.py")
vdg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vdg)

DEV = repo_root() / "data" / "dev"


@pytest.fixture
def dev_copy(tmp_path):
    target = tmp_path / "dev"
    shutil.copytree(DEV, target)
    return target


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_committed_dev_set_is_valid():
    counts = vdg.validate(DEV)
    assert counts["sources"] == len(list(DEV.glob("*.txt"))) > 0
    assert counts["mentions"] and counts["timexes"] and counts["claims"]


def test_shifted_offset_is_rejected(dev_copy, capsys):
    path = dev_copy / "gold" / "mentions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[1] = str(int(cells[1]) + 1)
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    assert vdg.main(["validate", str(dev_copy)]) == 1
    err = capsys.readouterr().err
    assert "mentions.csv:2" in err and err.count("\n") == 1


def test_quote_not_in_text_is_rejected(dev_copy):
    path = dev_copy / "gold" / "claims.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["quote"] += " and words the text never had"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=vdg.CLAIM_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(vdg.GoldError, match="quote is not an exact substring"):
        vdg.validate(dev_copy)


def test_unlisted_text_and_unknown_id_are_rejected(dev_copy):
    (dev_copy / "zz99_extra.txt").write_text("Title\n\nBody.\n", encoding="utf-8")
    with pytest.raises(vdg.GoldError, match="not listed"):
        vdg.validate(dev_copy)
    (dev_copy / "zz99_extra.txt").unlink()
    edit(dev_copy / "gold" / "mentions.csv", ",ansar-allah,", ",Ansar Allah!,")
    with pytest.raises(vdg.GoldError, match="neither a registry id"):
        vdg.validate(dev_copy)
