"""Print issue 15's evenness table for the sample's editions and a few corpus pages on two papers.

Usage: ``.venv/bin/python benchmarks/typography.py [--output DIR] [--pdf FILE ...]``

Builds, into ``--output`` (default: a temporary folder):

* the sample publication (``broadsheet.yaml``: every edition, its own ``paper:``);
* two corpus-like pages (``tests/data/indented-titles`` and ``tests/data/mixed-column-widths``)
  in zh-Hans on a broadsheet (6 columns) and on a tabloid (5 columns), 9.5 pt body;

and prints, per PDF, what :mod:`pipeline.checks.grid` and :mod:`pipeline.checks.typography`
measure: the 95th percentile of body-line looseness (ems per inter-character gap), lines looser
than 0.15 em and the loosest, lines whose ``pdftotext`` text has a space between two Han
characters, two-line titles broken inside a word, the widest column-foot spread in a module
(lines), the largest baseline offset across a vertical rule (lines), line-start opening marks
(full / half width), forbidden line starts and ends, and the share of flush non-final lines.
``--pdf`` measures existing PDFs instead of building.  A measurement, not a test.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.checks.grid import analyse_grid, spaced_han_lines  # noqa: E402
from pipeline.checks.typography import analyse_glyphs, read_glyphs  # noqa: E402
from pipeline.cli import main  # noqa: E402

CORPUS = ("indented-titles", "mixed-column-widths")
PAPERS = {
    "broadsheet": "{size: broadsheet, columns: 6, body_size: 9.5pt, pages: 3}",
    "tabloid": "{size: tabloid, columns: 5, body_size: 9.5pt, pages: 4}",
}
HEADER = ("pdf", "p95", ">0.15", "worst", "spaced", "title", "feet", "rule", "marks f/h", "bad", "flush")


def _build(config: Path, output: Path) -> float:
    started = time.perf_counter()
    err = io.StringIO()
    code = main(["build", "--config", str(config), "--output", str(output), "--jobs", "1", "-q"],
                stdout=io.StringIO(), stderr=err)
    if code != 0:
        raise SystemExit(f"build of {config} failed ({code}): {err.getvalue()[-2000:]}")
    return time.perf_counter() - started


def build_all(output: Path) -> tuple[list[tuple[str, Path]], dict[str, float]]:
    """Build the sample and the corpus pages; return their labelled PDFs and the seconds per build."""
    seconds = {"sample": _build(ROOT / "broadsheet.yaml", output / "sample")}
    pdfs = [(f"sample {pdf.parent.name}", pdf) for pdf in sorted((output / "sample").glob("*/hongdong.pdf"))]
    for paper, spec in PAPERS.items():
        project = output / f"corpus-{paper}"
        (project / "source").mkdir(parents=True, exist_ok=True)
        for case in CORPUS:
            shutil.copy(ROOT / "tests" / "data" / case / "source.txt", project / "source" / f"{case}.txt")
        listing = "".join(f"  - source: source/{case}.txt\n" for case in CORPUS)
        config = project / "broadsheet.yaml"
        config.write_text("publication: {name: 测试县报, date: 2022-03-04}\n"
                          f"paper: {spec}\neditions: [zh-Hans]\npages:\n{listing}", encoding="utf-8")
        seconds[paper] = _build(config, project / "output")
        pdfs.extend((f"{paper} {pdf.stem}", pdf) for pdf in sorted((project / "output" / "zh-Hans").glob("*.pdf"))
                    if pdf.name != "issue.pdf")
    return pdfs, seconds


def _pdftotext(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        return ""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace")


def measure(pdf: Path, label: str) -> tuple[str, ...]:
    glyphs = read_glyphs(pdf)
    grid = analyse_grid(glyphs, str(pdf))
    clreq = analyse_glyphs(glyphs, "basic", end_half=True)  # every built-in edition may squeeze a line-final mark
    return (
        label, f"{grid.loose_p95:.3f}", str(grid.loose_lines), f"{grid.loosest:.2f}",
        str(spaced_han_lines(_pdftotext(pdf))), str(len(grid.title_breaks)),
        f"{grid.foot_spread:.1f}", f"{grid.baseline_offset:.2f}",
        f"{grid.full_start_marks}/{grid.half_start_marks}",
        f"{clreq.forbidden_starts}+{clreq.forbidden_ends}", f"{clreq.flush_ratio:.1%}",
    )


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, help="build here (default: a temporary folder)")
    parser.add_argument("--pdf", type=Path, nargs="*", help="measure these PDFs instead of building")
    parser.add_argument("--details", action="store_true", help="list loose lines and broken titles")
    args = parser.parse_args(argv)
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        if args.pdf:
            pdfs = [(str(pdf), pdf) for pdf in args.pdf]
        else:
            output = args.output or Path(scratch)
            pdfs, seconds = build_all(output)
        rows = [measure(pdf, label) for label, pdf in pdfs]
        if args.details:
            for _, pdf in pdfs:
                grid = analyse_grid(read_glyphs(pdf), str(pdf))
                for page in grid.pages:
                    for text in page.loose_texts[:5]:
                        print(f"{pdf.name} p{page.number} loose: {text}")
                    for text in page.title_breaks:
                        print(f"{pdf.name} p{page.number} title: {text}")
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]
    for row in [HEADER, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    for name, value in seconds.items():
        print(f"build {name}: {value:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
