"""Command line: ``proxylens extract DOCS_DIR --out OUT_DIR``.

Every problem is reported in one line naming the file (and row), with a non-zero exit. Output
is written to temporary files first and moved into place only when every document has been
processed, so a failed run leaves no half-written table behind.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

from proxylens.corpus import CorpusError, load_corpus

EXIT_INPUT = 1  # bad input or unwritable output
EXIT_USAGE = 2  # bad command line


class _Parser(argparse.ArgumentParser):
    """argparse, but every usage error is one line on stderr and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        if "invalid choice" in message:
            message = message.split(": ", 1)[-1].replace("invalid choice", "unknown command")
        self.exit(EXIT_USAGE, f"proxylens: {message} (see 'proxylens --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="proxylens", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ex = sub.add_parser("extract", help="extract documents, units, sentences, mentions, timexes and claims")
    ex.add_argument("docs_dir", type=Path, help="folder of *.txt files, with an optional sources.csv")
    ex.add_argument("--out", type=Path, required=True, help="folder to write the CSV tables into")
    ex.add_argument("--skip-invalid", action="store_true",
                    help="skip files that are not valid text (each is reported) instead of stopping")
    ex.add_argument("--quiet", action="store_true", help="print only errors and the closing counts")
    return parser


def _check_writable(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".probe-", delete=True):
            pass
    except OSError as err:
        raise CorpusError(f"{out}: cannot write output ({err.strerror or err})") from None


def _file_mode() -> int:
    """The mode a plain ``open(..., "w")`` would give under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def run_extract(docs_dir: Path, out: Path, skip_invalid: bool = False, quiet: bool = False) -> int:
    from proxylens.nlp import load_nlp
    from proxylens.pipeline import all_tables, extract_rows, parse_document

    corpus = load_corpus(docs_dir, skip_invalid=skip_invalid)
    for file, reason in corpus.skipped:
        print(f"proxylens: skipped {reason}", file=sys.stderr)
    for notice in corpus.notices:
        print(f"proxylens: note: {notice}", file=sys.stderr)
    _check_writable(out)
    nlp = load_nlp()
    temps: dict[str, tuple[Path, object, csv.DictWriter]] = {}
    tables = all_tables()
    counts = dict.fromkeys(tables, 0)
    try:
        for name, columns in tables.items():
            fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n", extrasaction="raise")
            writer.writeheader()
            temps[name] = (Path(tmp), fh, writer)
        for document in corpus.documents:
            parsed = parse_document(document, nlp)
            for table, row in extract_rows(parsed):
                temps[table][2].writerow(row)
                counts[table] += 1
        for _, fh, _ in temps.values():
            fh.close()
        mode = _file_mode()
        for name, (tmp, _, _) in temps.items():
            os.chmod(tmp, mode)  # mkstemp makes 0600 files; outputs get the usual permissions
            os.replace(tmp, out / name)
    finally:
        for tmp, fh, _ in temps.values():
            if not fh.closed:
                fh.close()
            if tmp.exists():
                tmp.unlink()
    written = ", ".join(f"{name} {n}" for name, n in counts.items())
    print(
        f"proxylens: read {corpus.files_seen} files, skipped {len(corpus.skipped)}, "
        f"processed {len(corpus.documents)}; wrote {len(counts)} tables ({written} rows)",
        file=sys.stderr,
    )
    return EXIT_INPUT if corpus.skipped else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "extract":
            return run_extract(args.docs_dir, args.out, args.skip_invalid, args.quiet)
    except CorpusError as err:
        print(f"proxylens: error: {err}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_USAGE
