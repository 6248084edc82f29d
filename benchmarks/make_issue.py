"""Write a generated test publication (config and OCR-like page texts) for benchmarks and trials.

Usage: ``.venv/bin/python benchmarks/make_issue.py DIR [--pages 20] [--seed 0] [--edition E ...]``

The same ``--seed`` gives byte-identical files on any machine.  ``DIR`` must be
missing, empty, or a folder this script wrote before; its ``output/`` is kept,
and files whose bytes would not change are not rewritten, so an incremental
build after re-running it with the same arguments has nothing to do.  Then::

    .venv/bin/broadsheet build --config DIR/broadsheet.yaml --jobs 2
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the test-data generators in tests/support/

from support.sampler import make_publication  # noqa: E402

from pipeline.errors import BroadsheetError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="Example: python benchmarks/make_issue.py /tmp/issue --pages 20 --seed 0")
    parser.add_argument("folder", metavar="DIR", type=Path, help="where to write the publication")
    parser.add_argument("--pages", type=int, default=20, help="number of pages (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--edition", action="append", dest="editions", metavar="E",
                        help="edition to configure; repeatable (default zh-Hans, zh-TW, zh-HK)")
    args = parser.parse_args(argv)
    editions = tuple(args.editions) if args.editions else ("zh-Hans", "zh-TW", "zh-HK")
    try:
        config = make_publication(args.folder, pages=args.pages, seed=args.seed, editions=editions)
    except BroadsheetError as error:
        print(f"make_issue: {error}", file=sys.stderr)
        return 2
    print(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
