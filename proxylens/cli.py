"""Command line: ``proxylens extract DOCS_DIR --out OUT_DIR [--jobs N | --dask ADDRESS] ...``.

Every problem is reported in one line naming the file (and row), with a non-zero exit. Output
is written to temporary files first and moved into place only when every document has been
processed, so a failed run leaves no half-written table behind. The work itself is
:func:`proxylens.engine.extract`; this module only reads the arguments and reports.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from proxylens.corpus import DEFAULT_MAX_BYTES, CorpusError, load_corpus
from proxylens.engine import ExtractionError

EXIT_INPUT = 1  # bad input or unwritable output
EXIT_USAGE = 2  # bad command line
DASK_CONNECT_TIMEOUT = "15s"  # how long to keep trying a scheduler address before giving up


class _Parser(argparse.ArgumentParser):
    """argparse, but every usage error is one line on stderr and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        if message.startswith("argument command") and "invalid choice" in message:
            message = message.split(": ", 1)[-1].replace("invalid choice", "unknown command")
        self.exit(EXIT_USAGE, f"proxylens: {message} (see 'proxylens --help')\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from proxylens.corpus import DEFAULT_MAX_BYTES

    parser = _Parser(prog="proxylens", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ex = sub.add_parser("extract", help="extract documents, units, sentences, mentions, timexes and claims")
    ex.add_argument("docs_dir", type=Path, help="folder of *.txt files, with an optional sources.csv")
    ex.add_argument("--out", type=Path, required=True, help="folder to write the tables into")
    ex.add_argument("--format", choices=("csv", "parquet"), default="csv",
                    help="csv (default) or parquet (pyarrow; same columns, typed as the data package says)")
    ex.add_argument("--jobs", type=_positive, default=1, metavar="N",
                    help="worker processes on this machine (default 1); the output is the same for any N")
    ex.add_argument("--dask", metavar="ADDRESS", default=None,
                    help="run on the Dask distributed scheduler at ADDRESS (e.g. tcp://10.0.0.5:8786) instead")
    ex.add_argument("--cache", type=Path, default=None, metavar="DIR",
                    help="parse cache: a re-run re-parses only new or changed documents")
    ex.add_argument("--registry", type=Path, default=None, metavar="DIR",
                    help="folder with actors.csv and aliases.csv (default: the repository's data/curated)")
    ex.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, metavar="N",
                    help=f"refuse files larger than N bytes (default {DEFAULT_MAX_BYTES:,}, 64 MiB); "
                         "longer documents than a piece are processed in pieces")
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


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m" if seconds >= 3600 else f"{seconds // 60}m{seconds % 60:02d}s"


class ProgressReport:
    """Documents done, documents/s and an ETA on one line of a terminal, redrawn at most 5 times a
    second; nothing while running when stderr is not a terminal (then one summary line at the end)."""

    def __init__(self, stream, quiet: bool):
        self.stream = stream
        self.live = not quiet and stream.isatty()
        self.quiet = quiet
        self.start = time.monotonic()
        self.shown = 0.0
        self.done = 0

    def rate(self) -> float:
        elapsed = time.monotonic() - self.start
        return self.done / elapsed if elapsed > 0 else 0.0

    def __call__(self, done: int, total: int) -> None:
        self.done = done
        now = time.monotonic()
        if not self.live or (now - self.shown < 0.2 and done != total):
            return
        self.shown = now
        rate = self.rate()
        eta = _duration((total - done) / rate) if rate > 0 and total else "?"
        self.stream.write(f"\rproxylens: {done}/{total} documents, {rate:.3g} docs/s, ETA {eta}\x1b[K")
        self.stream.flush()

    def finish(self) -> None:
        if self.live:
            self.stream.write("\n")
        if not self.quiet:
            elapsed = time.monotonic() - self.start
            print(f"proxylens: extracted {self.done} documents in {elapsed:.1f} s ({self.rate():.3g} docs/s)",
                  file=self.stream)


def run_extract(docs_dir: Path, out: Path, skip_invalid: bool = False, quiet: bool = False, *,
                jobs: int = 1, dask: str | None = None, fmt: str = "csv", cache: Path | None = None,
                registry: Path | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES) -> int:
    from proxylens.engine import all_tables, extract, write_tables

    corpus = load_corpus(docs_dir, skip_invalid=skip_invalid, max_bytes=max_bytes)
    for file, reason in corpus.skipped:
        print(f"proxylens: skipped {reason}", file=sys.stderr)
    if not quiet:
        for notice in corpus.notices:
            print(f"proxylens: note: {notice}", file=sys.stderr)
    _check_writable(out)
    if registry is not None and not registry.is_dir():
        raise CorpusError(f"{registry}: registry folder not found")
    progress = ProgressReport(sys.stderr, quiet)
    client = _connect(dask) if dask else None
    try:
        rows = extract(corpus, registry=registry, jobs=jobs, dask=client, cache=cache, progress=progress)
        counts = write_tables(rows, out, fmt, all_tables())
    finally:
        if client is not None:
            client.close()
    progress.finish()
    written = ", ".join(f"{name} {n}" for name, n in counts.items())
    print(
        f"proxylens: read {corpus.files_seen} files, skipped {len(corpus.skipped)}, "
        f"processed {len(corpus.documents)}; wrote {len(counts)} tables ({written} rows)",
        file=sys.stderr,
    )
    return EXIT_INPUT if corpus.skipped else 0


def _connect(address: str):
    """A Dask client for the scheduler at ``address``, or a one-line error."""
    try:
        from distributed import Client

        return Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise CorpusError(f"{address}: cannot reach the Dask scheduler ({err})") from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "extract":
            return run_extract(args.docs_dir, args.out, args.skip_invalid, args.quiet, jobs=args.jobs,
                               dask=args.dask, fmt=args.format, cache=args.cache, registry=args.registry,
                               max_bytes=args.max_bytes)
    except (CorpusError, ExtractionError) as err:
        print(f"proxylens: error: {err}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_USAGE
