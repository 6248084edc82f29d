"""Compare preflight's CPU per PDF between two source trees, in alternated runs (a paired A/B).

Usage: ``.venv/bin/python benchmarks/preflight_ab.py --before TREE --after TREE [--rounds 7]
--warmup PDF PDF ...``

Each round runs one fresh process per tree (their order alternates: before first in odd rounds,
after first in even ones), with the tree first on ``PYTHONPATH``.  A process loads what a build's
process has loaded before its first preflight (``load_render_libraries``: the libraries and
jieba's dictionary; OpenCC's t2s, which the title stage loads) and checks ``--warmup``; then it
checks each PDF once, as the build does (``run_checks`` with the ``.json`` page beside the PDF,
the edition its folder names and a budget of 2 pages), and reports the CPU seconds of each check.
The table gives, per PDF and for the mean PDF, each tree's median with min–max and the median of
the paired differences.  Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = """
import json, sys, time
from pipeline.checks import find_edition, load_page_json, run_checks

def check(pdf):
    beside = pdf[:-4] + ".json"
    try:
        page = load_page_json(beside)
    except Exception:
        page = None
    edition = find_edition(pdf)
    start = time.process_time()
    run_checks(pdf, page, edition, 2, name=pdf, budget_source="paper.pages")
    return time.process_time() - start

from pipeline.editions.simplified import simplified_shadow
from pipeline.engine.preload import load_render_libraries

load_render_libraries()
simplified_shadow("華夏")
warmup, *pdfs = sys.argv[1:]
check(warmup)
print(json.dumps([check(pdf) for pdf in pdfs]))
"""


def run(tree: Path, warmup: Path, pdfs: list[Path]) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run([sys.executable, "-c", CHILD, str(warmup), *map(str, pdfs)], cwd=tree, env=env,
                         check=True, capture_output=True, text=True).stdout
    return [float(value) for value in json.loads(out.splitlines()[-1])]


def spread(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:6.1f} ({min(values) * 1000:.1f}–{max(values) * 1000:.1f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--warmup", type=Path, required=True)
    parser.add_argument("pdfs", nargs="+", type=Path)
    args = parser.parse_args(argv)
    pdfs = [pdf.resolve() for pdf in args.pdfs]
    times: dict[str, list[list[float]]] = {"before": [], "after": []}
    for round_ in range(args.rounds):
        order = ("before", "after") if round_ % 2 == 0 else ("after", "before")
        for side in order:
            times[side].append(run(getattr(args, side).resolve(), args.warmup.resolve(), pdfs))
    print(f"{len(pdfs)} PDFs, {args.rounds} rounds; CPU ms per check: median (min–max)")
    print(f"{'PDF':40} {'before':22} {'after':22} paired Δ")
    rows = [(str(pdf)[-40:], [t[i] for t in times["before"]], [t[i] for t in times["after"]])
            for i, pdf in enumerate(pdfs)]
    rows.append(("mean per PDF", [statistics.fmean(t) for t in times["before"]],
                 [statistics.fmean(t) for t in times["after"]]))
    for label, before, after in rows:
        delta = statistics.median(a - b for a, b in zip(after, before, strict=True)) * 1000
        print(f"{label:40} {spread(before):22} {spread(after):22} {delta:+.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
