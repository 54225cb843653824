"""``python -m proxylens.evaluation write FOLDER``: compute the whole evaluation once and store it.

See :mod:`proxylens.evaluation.store`. ``make data`` runs it into ``data/derived/evaluation`` with
``--describe``, which also rewrites the stored tables' descriptions in ``data/datapackage.json``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m proxylens.evaluation", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write", help="compute every evaluation table and value and write them to FOLDER")
    write.add_argument("folder", type=Path)
    write.add_argument("--describe", action="store_true",
                       help="also describe the tables written in data/datapackage.json (after adding or changing one)")
    args = parser.parse_args(argv)
    from proxylens.corpus import CorpusError
    from proxylens.evaluation import store

    if args.folder.exists() and not args.folder.is_dir():
        print(f"proxylens.evaluation: {args.folder}: not a folder", file=sys.stderr)
        return 1
    try:
        evaluation = store.compute()
        files = store.write(args.folder, evaluation)
        if args.describe:
            import json

            from proxylens.datapackage import descriptor_path, load_descriptor

            descriptor = store.describe(evaluation, load_descriptor())
            descriptor_path().write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except (CorpusError, OSError, ValueError, KeyError) as error:
        print(f"proxylens.evaluation: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(files)} files to {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
