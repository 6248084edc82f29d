"""Time decode_source and parse_text on large pages, to show how their cost grows with size.

Usage: ``.venv/bin/python benchmarks/big_input.py [--max-mb 20] [--budget 120]``

Two shapes of input are grown by doubling from ``--min-mb`` (0.25) up to ``--max-mb``:

* ``many-articles``: the sample page repeated (every copy brings its articles,
  titles and captions), the worst case for matching titles to articles;
* ``one-article``: the sample's body lines repeated without blank lines, one
  endless article (the worst case for reflow).

For each size it prints the seconds for decode and for parse and the time per
MB; a shape stops growing once one step takes longer than ``--budget`` seconds.
Linear cost shows as a flat ``s/MB`` column.  This is a measurement, not a test:
timings depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.text import parse_text  # noqa: E402
from pipeline.text.decode import DEFAULT_MAX_BYTES, decode_source  # noqa: E402

SAMPLE = (ROOT / "source" / "hongdong.txt").read_bytes()


def many_articles(size: int) -> bytes:
    copies = size // (len(SAMPLE) + 2) + 1
    return ((SAMPLE.rstrip(b"\n") + b"\n\n") * copies)[:size]


def one_article(size: int) -> bytes:
    body = b"\n".join(line for line in SAMPLE.splitlines() if len(line.decode()) > 12) + b"\n"
    return (body * (size // len(body) + 1))[:size]


def cut_at_line(data: bytes) -> bytes:
    """Cut after the last newline, so no character is split."""
    return data[:data.rfind(b"\n") + 1]


def measure(shape: str, make: Callable[[int], bytes], min_mb: float, max_mb: float, budget: float) -> None:
    size_mb = min_mb
    while size_mb <= max_mb:
        data = cut_at_line(make(int(size_mb * 1024 * 1024)))
        start = time.perf_counter()
        text = decode_source(data, f"{shape}.txt", max_bytes=0)
        decoded = time.perf_counter()
        page = parse_text(text, f"{shape}.txt")
        parsed = time.perf_counter()
        mb = len(data) / (1024 * 1024)
        total = parsed - start
        print(f"{shape:14} {mb:6.2f} MB  decode {decoded - start:7.3f} s  parse {parsed - decoded:8.2f} s  "
              f"{total / mb:6.2f} s/MB  ({len(page.articles)} articles)", flush=True)
        if total > budget:
            print(f"{shape:14} stopped: one step took more than {budget:.0f} s", flush=True)
            break
        size_mb *= 2
        if size_mb > max_mb and size_mb / 2 < max_mb:
            size_mb = max_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=float, default=20.0, help="largest input, in MB (default 20)")
    parser.add_argument("--min-mb", type=float, default=0.25, help="smallest input, in MB (default 0.25)")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="stop a shape after a step slower than this many seconds (default 120)")
    parser.add_argument("--shape", choices=["many-articles", "one-article"], action="append",
                        help="which input shapes to time (default both)")
    args = parser.parse_args(argv)
    print(f"size limit of decode_source: {DEFAULT_MAX_BYTES / (1024 * 1024):.0f} MiB")
    data = many_articles(int(args.max_mb * 1024 * 1024))
    start = time.perf_counter()
    decode_source(cut_at_line(data), "big.txt", max_bytes=0)
    print(f"decode only  {len(data) / (1024 * 1024):6.2f} MB  {time.perf_counter() - start:7.3f} s")
    shapes = {"many-articles": many_articles, "one-article": one_article}
    for shape in args.shape or list(shapes):
        measure(shape, shapes[shape], args.min_mb, args.max_mb, args.budget)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
