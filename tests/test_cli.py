"""Every bad-input case: one clear line naming the file (and row), non-zero exit, no half-written output."""

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
    assert cli.main(["extract", str(docs), "--out", str(out)]) == cli.EXIT_INPUT
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert errors == ["proxylens: error: b.txt: extraction failed (RuntimeError: stage failed)"]
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_extract_on_seeds_writes_the_corpus_tables(seeds_extracted):
    out, err = seeds_extracted
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


# ---------------------------------------------------------------- input hardening and reporting


def test_manifest_with_byte_order_mark_and_crlf_is_read(tmp_path, capsys):
    """What a spreadsheet export writes: a UTF-8 byte-order mark and CRLF line ends."""
    manifest = "\ufefffile,published,title\r\na.txt,2018-08,A title\r\n"
    docs = make(tmp_path, {"a.txt": GOOD})
    (docs / "sources.csv").write_bytes(manifest.encode("utf-8"))
    out = tmp_path / "out"
    code, err = run(capsys, "extract", docs, "--out", out)
    assert code == 0, err
    documents = (out / "documents.csv").read_text(encoding="utf-8").splitlines()
    assert documents[1].startswith("a,a.txt,A title,,2018-08,month,")


def test_symlink_leaving_the_folder_is_refused_or_skipped(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("A private text outside the corpus folder.\n", encoding="utf-8")
    docs = make(tmp_path, {"a.txt": GOOD})
    (docs / "link.txt").symlink_to(secret)
    out = tmp_path / "out"
    code, err = run(capsys, "extract", docs, "--out", out)
    assert code == 1
    assert error_lines(err) == ["proxylens: error: link.txt: symbolic link to a file outside the folder, refused"]
    assert no_output(out)
    code, err = run(capsys, "extract", docs, "--out", out, "--skip-invalid")
    assert code == 1 and "skipped link.txt: symbolic link" in err
    assert "private" not in "".join(p.read_text(encoding="utf-8") for p in out.glob("*.csv"))


def test_symlink_inside_the_folder_is_read(tmp_path, capsys):
    docs = make(tmp_path, {"a.txt": GOOD})
    (docs / "sub").mkdir()
    (docs / "sub" / "b.txt").write_text(GOOD.replace("Iran", "Iraq"), encoding="utf-8")
    (docs / "b.txt").symlink_to(docs / "sub" / "b.txt")
    code, err = run(capsys, "extract", docs, "--out", tmp_path / "out")
    assert code == 0 and "processed 2" in err


def test_oversized_file_is_refused_with_its_size(tmp_path, capsys):
    docs = make(tmp_path, {"a.txt": GOOD, "big.txt": GOOD * 40})
    out = tmp_path / "out"
    code, err = run(capsys, "extract", docs, "--out", out, "--max-bytes", 1000)
    assert code == 1
    limit = f"proxylens: error: big.txt: {len(GOOD) * 40:,} bytes, above the limit of 1,000 (see --max-bytes)"
    assert error_lines(err) == [limit]
    assert no_output(out)


def test_quiet_prints_only_the_closing_counts(tmp_path, capsys):
    docs = make(tmp_path, {"a.txt": GOOD})  # no manifest: a notice without --quiet
    code, err = run(capsys, "extract", docs, "--out", tmp_path / "loud")
    assert code == 0 and "note: a.txt: not in sources.csv" in err and "extracted 1 documents in" in err
    code, err = run(capsys, "extract", docs, "--out", tmp_path / "quiet", "--quiet")
    assert code == 0
    assert err.splitlines() == [next(ln for ln in err.splitlines() if ln.startswith("proxylens: read 1 files"))]


def test_progress_on_a_terminal_shows_rate_and_eta():
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    report = cli.ProgressReport(stream, quiet=False)
    report(1, 4)
    report(4, 4)
    report.finish()
    text = stream.getvalue()
    assert "\rproxylens: 1/4 documents," in text and "docs/s, ETA" in text and "4/4 documents" in text
    assert text.endswith("docs/s)\n")
    quiet = Terminal()
    silent = cli.ProgressReport(quiet, quiet=True)
    silent(1, 1)
    silent.finish()
    assert quiet.getvalue() == ""


@pytest.mark.parametrize("argv,needle", [
    (["--jobs", "0"], "must be at least 1"),
    (["--format", "xlsx"], "invalid choice"),
])
def test_bad_options_are_usage_errors(tmp_path, argv, needle, capsys):
    docs = make(tmp_path, {"a.txt": GOOD})
    with pytest.raises(SystemExit) as exc:
        cli.main(["extract", str(docs), "--out", str(tmp_path / "out"), *argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


def test_unreachable_dask_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "DASK_CONNECT_TIMEOUT", "1s")
    docs = make(tmp_path, {"a.txt": GOOD})
    out = tmp_path / "out"
    code, err = run(capsys, "extract", docs, "--out", out, "--dask", "tcp://127.0.0.1:9", "--quiet")
    assert code == 1
    assert len(error_lines(err)) == 1 and "cannot reach the Dask scheduler" in err
    assert no_output(out)
