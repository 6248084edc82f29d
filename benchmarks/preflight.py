"""Time preflight per PDF on built artifacts: the whole ``run_checks`` and each of its parts.

Usage: ``.venv/bin/python benchmarks/preflight.py [--runs 7] [--output output] [PDF ...]``

Without PDFs, every ``<edition>/<page>.pdf`` with its page ``.json`` beside it under the
output folder is timed (build the sample first: ``.venv/bin/broadsheet build --jobs 1``).
Each PDF is checked once to warm up, then ``--runs`` times; the table gives medians with
min–max, CPU and wall, for the whole check and for its parts run separately (reading the
bytes, pdfium's text and glyph pass, pikepdf's open, qpdf's structure check, the font walk,
the text comparison, the pages' lines and columns, the typography and the evenness figures
(each of these two with a fresh reading of the lines: ``run_checks`` reads them once for both)
and the print shop's check).  The numbers go into the issue notes; nothing here is a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.checks import find_edition, load_page_json, run_checks  # noqa: E402
from pipeline.checks.grid import analyse_grid  # noqa: E402
from pipeline.checks.press import inspect_press  # noqa: E402
from pipeline.checks.reader import load_pdf, open_objects, read_text_layer  # noqa: E402
from pipeline.checks.report import compare_text, edition_faces, inspect_fonts  # noqa: E402
from pipeline.checks.structure import inspect_structure  # noqa: E402
from pipeline.checks.typography import PageLines, analyse_glyphs, build_lines, read_page_lines  # noqa: E402
from pipeline.model import page_chars  # noqa: E402


def timed(function: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of ``runs`` calls, after one call to warm up."""
    function()
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        function()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return cpu, wall


def spread(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms ({min(values) * 1000:.1f}–{max(values) * 1000:.1f})"


def bench(pdf: Path, runs: int) -> list[tuple[str, list[float], list[float]]]:
    edition = find_edition(pdf)
    beside = pdf.with_suffix(".json")
    page = load_page_json(str(beside)) if beside.is_file() else None
    data, name = load_pdf(pdf)
    layer = read_text_layer(data, name)
    settings = edition.typography if edition else None
    faces = edition_faces(edition) if edition else None

    def structure() -> None:
        with open_objects(data, name) as document:
            inspect_structure(document, name, layer.pages)

    def fonts() -> None:
        with open_objects(data, name) as document:
            inspect_fonts(document, faces, name)

    def opened() -> None:
        open_objects(data, name).close()

    def read_lines() -> list[PageLines | None]:
        return [read_page_lines(build_lines(list(glyphs))) if glyphs else None for glyphs in layer.glyphs]

    def press() -> None:
        with open_objects(data, name) as document:
            inspect_press(document, name)

    parts: list[tuple[str, Callable[[], object]]] = [
        ("run_checks (all)", lambda: run_checks(pdf, page, edition, 2)),
        ("  read the bytes", lambda: load_pdf(pdf)),
        ("  pdfium: text + glyphs", lambda: read_text_layer(data, name)),
        ("  pikepdf: open", opened),
        ("  qpdf structure (+open)", structure),
        ("  fonts, .notdef (+open)", fonts),
        ("  text conservation", lambda: compare_text(layer.texts, page_chars(page), page.texts(), name)
         if page else None),
        ("  lines and columns", read_lines),
        ("  typography (+lines)", lambda: analyse_glyphs(layer.glyphs, settings.line_break if settings else "basic",
                                                             settings.end_half if settings else False, name,
                                                             lines=read_lines())),
        ("  evenness (+lines)", lambda: analyse_grid(layer.glyphs, name, lines=read_lines())),
        ("  print shop (+open)", press),
    ]
    return [(label, *timed(function, runs)) for label, function in parts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    args = parser.parse_args()
    pdfs = args.pdfs or sorted(p for p in args.output.glob("*/*.pdf") if p.with_suffix(".json").is_file())
    if not pdfs:
        raise SystemExit(f"no page PDFs under {args.output}: run `broadsheet build --jobs 1` first")
    for pdf in pdfs:
        print(f"{pdf} ({pdf.stat().st_size / 1024:.0f} KB), {args.runs} runs: median (min–max)")
        print(f"  {'':26} {'CPU':28} wall")
        for label, cpu, wall in bench(pdf, args.runs):
            print(f"  {label:26} {spread(cpu):28} {spread(wall)}")


if __name__ == "__main__":
    main()
