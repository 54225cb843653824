"""Every bad-input case: one clear line naming the file (and row), non-zero exit, no half-written output."""

import shutil

import pytest

from proxylens import cli

GOOD = "The State Department said in a statement that the group was designated. Iran denied it.\n"


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    err = capsys.readouterr().err
    return code, err


def make(tmp_path, files, manifest=None):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, data in files.items():
        (docs / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    if manifest is not None:
        (docs / "sources.csv").write_text(manifest, encoding="utf-8")
    return docs


def no_output(out):
    return not out.exists() or not any(out.iterdir())


def error_lines(err):
    return [ln for ln in err.splitlines() if "error" in ln]


@pytest.mark.parametrize("name,data,needle", [
    ("empty.txt", b"", "empty.txt: empty file"),
    ("latin1.txt", "caf\xe9".encode("latin-1"), "latin1.txt: not valid UTF-8"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(0, 32)) * 4, "image.txt: binary file"),
    ("page.txt", b"<!DOCTYPE html>\n<html><head><title>x</title></head><body><p>Text</p></body></html>",
     "page.txt: looks like an HTML page"),
])
def test_bad_file_stops_with_one_line(tmp_path, capsys, name, data, needle):
    docs = make(tmp_path, {"good.txt": GOOD, name: data})
    out = tmp_path / "out"
    code, err = run(capsys, "extract", docs, "--out", out)
    assert code == 1
    lines = error_lines(err)
    assert len(lines) == 1 and lines[0].startswith(f"proxylens: error: {needle}")
    assert no_output(out)


def test_manifest_naming_missing_file(tmp_path, capsys):
    docs = make(tmp_path, {"a.txt": GOOD}, "file,published\na.txt,2018-08\nghost.txt,2019\n")
    code, err = run(capsys, "extract", docs, "--out", tmp_path / "out")
    assert code == 1
    assert "sources.csv row 3: names ghost.txt, which is not in the folder" in err
    assert no_output(tmp_path / "out")


def test_malformed_date_names_row(tmp_path, capsys):
    docs = make(tmp_path, {"a.txt": GOOD}, "file,published\na.txt,August 2018\n")
    code, err = run(capsys, "extract", docs, "--out", tmp_path / "out")
    assert code == 1
    assert "sources.csv row 2: malformed date 'August 2018' for a.txt" in err
    assert no_output(tmp_path / "out")


def test_duplicate_content_names_both_files(tmp_path, capsys):
    docs = make(tmp_path, {"a.txt": GOOD, "b.txt": GOOD})
    code, err = run(capsys, "extract", docs, "--out", tmp_path / "out")
    assert code == 1
    assert "b.txt: same content as a.txt (duplicate)" in err
    assert no_output(tmp_path / "out")


def test_file_missing_from_manifest_is_processed_and_said(tmp_path, capsys):
    docs = make(tmp_path, {"a.txt": GOOD, "b.txt": GOOD.replace("Iran", "Iraq")}, "file,published\na.txt,2018-08\n")
    out = tmp_path / "out"
    code, err = run(capsys, "extract", docs, "--out", out)
    assert code == 0
    assert "b.txt: not in sources.csv; processed with an unknown publication date" in err
    assert "read 2 files, skipped 0, processed 2" in err
    documents = (out / "documents.csv").read_text(encoding="utf-8").splitlines()
    assert len(documents) == 3 and documents[2].startswith("b,b.txt,,,,unknown,")


def test_skip_invalid_continues_counts_and_exits_nonzero(tmp_path, capsys):
    docs = make(tmp_path, {"a.txt": GOOD, "empty.txt": b""})
    out = tmp_path / "out"
    code, err = run(capsys, "extract", docs, "--out", out, "--skip-invalid")
    assert code == 1
    assert "proxylens: skipped empty.txt: empty file" in err
    assert "read 2 files, skipped 1, processed 1" in err
    assert (out / "documents.csv").read_text(encoding="utf-8").count("\n") == 2


def test_unwritable_output(tmp_path, capsys):
    docs = make(tmp_path, {"a.txt": GOOD})
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, err = run(capsys, "extract", docs, "--out", blocker / "out")
    assert code == 1
    assert len(err.strip().splitlines()) == 2  # the notice about the manifest, then the error
    assert "cannot write output" in err and "out" in err


def test_unknown_subcommand(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["frobnicate"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown command" in err and "frobnicate" in err


def test_failure_mid_run_leaves_no_partial_files(tmp_path, capsys, monkeypatch):
    docs = make(tmp_path, {"a.txt": GOOD, "b.txt": GOOD.replace("Iran", "Iraq")})
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("unrelated")
    from proxylens import pipeline

    calls = {"n": 0}
    real = pipeline.extract_rows

    def boom(parsed):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("stage failed")
        yield from real(parsed)

    monkeypatch.setattr(pipeline, "extract_rows", boom)
    with pytest.raises(RuntimeError):
        cli.main(["extract", str(docs), "--out", str(out)])
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_extract_on_seeds_writes_the_corpus_tables(tmp_path, capsys, root):
    docs = tmp_path / "seeds"
    shutil.copytree(root / "seeds", docs)
    out = tmp_path / "out"
    code, err = run(capsys, "extract", docs, "--out", out)
    assert code == 0, err
    for name in ("documents.csv", "units.csv", "sentences.csv", "mentions.csv", "timexes.csv", "claims.csv"):
        assert (out / name).exists(), name
    assert "read 4 files, skipped 0, processed 4" in err


def test_outputs_get_ordinary_permissions(tmp_path, capsys):
    import os
    import stat

    docs = make(tmp_path, {"a.txt": GOOD})
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        code, _ = run(capsys, "extract", docs, "--out", out)
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE((out / "documents.csv").stat().st_mode) == 0o644
