"""Print issue 15's table for the 33 clean corpus pages on a broadsheet and a tabloid, per edition.

Usage: ``.venv/bin/python benchmarks/print_corpus.py [--output DIR] [--measure] [--papers P ...]
[--editions E ...] [--details]``

Builds ``tests/data/corpus/clean/*.txt`` (briefs, notices, interviews, commentary, sports,
economy, culture, rural and science pages) as one publication per paper -- a broadsheet of 6
columns and a tabloid of 5, both at 9.5 pt -- in every requested edition, then reads each page's
PDF with :mod:`pipeline.checks.grid` and :mod:`pipeline.checks.typography` and prints one row
per paper and edition:

* ``lines``, ``p95``, ``>0.15``, ``worst``: non-final body lines, the 95th percentile of their
  looseness (ems of extra space per inter-character gap; goal 0.06), how many are looser than
  0.15 em (goal 0) and the loosest;
* ``spaced``: lines whose ``pdftotext`` text has a space between two Han characters (goal 0),
  besides spaces the page's own text holds there (``记者 程 亮 摄``: names spaced in the source);
  ``(model N)`` follows where :func:`pipeline.checks.grid.extracted_lines`, which models
  pdftotext's spacing from the glyphs, counts otherwise (it is the count without pdftotext);
* ``title``: two-line titles broken inside a word (goal 0);
* ``feet``: the widest column-foot spread within one module, in lines (goal 1);
* ``rule``: the largest baseline offset across a vertical rule, in lines (goal 0.05);
* ``marks f/h``: line-start opening marks drawn full / half width (one policy: full by default);
* ``bad``: forbidden line starts + ends (goal 0); ``flush``: share of non-final body lines
  flush with their measure over all pages, and the worst page's share (goal 100%);
* ``pairs``: adjacent punctuation pairs compressed to 1.5 em or less (zh-Hans, zh-HK);
* ``captions``: captions alone (set as a caption line) / with a photo / empty frames (goal 0),
  from the HTML.

``--details`` lists each loose line, non-flush line, uncompressed pair and finding by page.
``--measure`` re-reads the PDFs of an earlier ``--output`` without building.  The build's CPU
time (this process and its children) is printed per paper.  A measurement, not a test.
"""

from __future__ import annotations

import argparse
import io
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.checks.grid import (  # noqa: E402
    LOOSE_LIMIT,
    analyse_grid,
    extracted_lines,
    grid_findings,
    percentile,
    spaced_han_lines,
)
from pipeline.checks.typography import analyse_glyphs, read_glyphs  # noqa: E402
from pipeline.cli import main  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus" / "clean"
PAPERS = {
    "broadsheet": "{size: broadsheet, columns: 6, body_size: 9.5pt, pages: 3}",
    "tabloid": "{size: tabloid, columns: 5, body_size: 9.5pt, pages: 4}",
}
EDITIONS = ("zh-Hans", "zh-TW", "zh-HK")
HEADER = ("paper", "edition", "lines", "p95", ">0.15", "worst", "spaced", "title", "feet", "rule",
          "marks f/h", "bad", "flush (worst page)", "pairs", "captions a/p/e")


@dataclass
class Tally:
    """One paper and edition's figures, summed over its pages."""

    looseness: list[float] = field(default_factory=list)
    spaced: int = 0
    modelled: int = 0
    titles: int = 0
    feet: float = 0.0
    rule: float = 0.0
    marks: list[int] = field(default_factory=lambda: [0, 0])
    bad: int = 0
    nonfinal: int = 0
    off: int = 0
    worst_flush: tuple[float, str] = (1.0, "")
    pairs: list[int] = field(default_factory=lambda: [0, 0])
    captions: list[int] = field(default_factory=lambda: [0, 0, 0])
    details: list[str] = field(default_factory=list)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def build_paper(project: Path, paper: str, editions: tuple[str, ...]) -> tuple[float, dict[str, str]]:
    """Write one paper's publication of every corpus page and build it one edition at a time.

    Returns the CPU seconds and, per edition that failed, the build's last error line.
    """
    shutil.rmtree(project, ignore_errors=True)
    (project / "source").mkdir(parents=True)
    pages = sorted(CORPUS.glob("*.txt"))
    for page in pages:
        shutil.copy(page, project / "source" / page.name)
    listing = "".join(f"  - source: source/{page.name}\n" for page in pages)
    started = _cpu()
    failed = {}
    for edition in editions:
        (project / "broadsheet.yaml").write_text(
            f"publication: {{name: 测试县报, date: 2022-03-04}}\npaper: {PAPERS[paper]}\n"
            f"editions: [{edition}]\npages:\n{listing}", encoding="utf-8")
        err = io.StringIO()
        code = main(["build", "--config", str(project / "broadsheet.yaml"), "--jobs", "1", "-q"],
                    stdout=io.StringIO(), stderr=err)
        if code != 0:
            failed[edition] = err.getvalue().strip().splitlines()[-1] if err.getvalue().strip() else f"exit {code}"
    return _cpu() - started, failed


def _pdftotext(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        return ""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace")


_HAN_SPACE_HAN = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


def _text_spaces(page_json: Path) -> set[tuple[str, str]]:
    """Han pairs the page's own text writes with a space between them (names: 记者 程 亮 摄)."""
    if not page_json.exists():
        return set()
    text = page_json.read_text(encoding="utf-8")
    return {(m.group(1), m.group(2)) for m in re.finditer(r"([\u4e00-\u9fff]) +([\u4e00-\u9fff])", text)}


def _damaged(text: str, written: set[tuple[str, str]]) -> str:
    """The extracted text without the spaces the page's text holds itself (they are not damage)."""
    return _HAN_SPACE_HAN.sub(lambda m: m.group(0) if (text[m.start() - 1], text[m.end()])
                              not in written else "", text)


def _captions(html: Path) -> tuple[int, int, int]:
    """Captions set alone, captions holding a photo, and frames with neither text nor photo."""
    if not html.exists():
        return 0, 0, 0
    text = html.read_text(encoding="utf-8")
    alone = len(re.findall(r'class="caption-module[^"]*caption-alone', text))
    photo = len(re.findall(r'class="caption-module[^"]*\bphoto\b', text))
    empty = len(re.findall(r'class="caption-module[^"]*"[^>]*>\s*<p class="caption-text">\s*</p>', text))
    return alone, photo, empty


def measure_page(pdf: Path, tally: Tally, edition: str) -> None:
    glyphs = read_glyphs(pdf)
    grid = analyse_grid(glyphs, str(pdf))
    clreq = analyse_glyphs(glyphs, "basic", end_half=True)
    name = pdf.stem
    tally.looseness += grid.looseness
    written = _text_spaces(pdf.with_suffix(".json"))
    model = _damaged("\n".join(line for page in glyphs for line in extracted_lines(page)), written)
    text = _damaged(_pdftotext(pdf), written) if shutil.which("pdftotext") else model
    tally.spaced += spaced_han_lines(text)
    tally.modelled += spaced_han_lines(model)
    for line in text.splitlines():
        if spaced_han_lines(line):
            tally.details.append(f"{name}: pdftotext spaces a line: {line.strip()}")
    tally.titles += len(grid.title_breaks)
    tally.feet = max(tally.feet, grid.foot_spread)
    tally.rule = max(tally.rule, grid.baseline_offset)
    tally.marks[0] += grid.full_start_marks
    tally.marks[1] += grid.half_start_marks
    tally.bad += clreq.forbidden_starts + clreq.forbidden_ends
    tally.nonfinal += clreq.nonfinal_lines
    tally.off += sum(len(page.off_measure) for page in clreq.pages)
    if clreq.flush_ratio < tally.worst_flush[0]:
        tally.worst_flush = (clreq.flush_ratio, name)
    if edition != "zh-TW":  # zh-TW sets its marks centred, full width, and does not compress pairs
        tally.pairs[0] += sum(width <= 1.5 + 0.02 for width in clreq.pair_widths)
        tally.pairs[1] += len(clreq.pair_widths)
    for count, value in enumerate(_captions(pdf.with_suffix(".html"))):
        tally.captions[count] += value
    for finding in grid_findings(grid):
        tally.details.append(f"{name}: {finding}")
    for page in clreq.pages:
        for off, text in zip(page.off_measure, page.off_lines, strict=False):
            tally.details.append(f"{name}: page {page.number}: not flush by {off:.1f} pt: {text}")
        for text in page.forbidden_starts + page.forbidden_ends:
            tally.details.append(f"{name}: page {page.number}: forbidden start/end: {text}")
        if edition != "zh-TW":
            for width, text in zip(page.pair_widths, page.pair_texts, strict=False):
                if width > 1.5 + 0.02:
                    tally.details.append(f"{name}: page {page.number}: pair {text} set {width:.2f} em")


def row(paper: str, edition: str, tally: Tally) -> tuple[str, ...]:
    loose = tally.looseness
    flush = 1.0 - tally.off / tally.nonfinal if tally.nonfinal else 1.0
    worst, page = tally.worst_flush
    pairs = f"{tally.pairs[0]}/{tally.pairs[1]}" if tally.pairs[1] else "-"
    return (
        paper, edition, str(len(loose)), f"{percentile(loose, 0.95):.3f}",
        str(sum(value > LOOSE_LIMIT for value in loose)), f"{max(loose, default=0.0):.2f}",
        str(tally.spaced) + (f" (model {tally.modelled})" if tally.modelled != tally.spaced else ""),
        str(tally.titles), f"{tally.feet:.1f}", f"{tally.rule:.2f}",
        f"{tally.marks[0]}/{tally.marks[1]}", str(tally.bad),
        f"{flush:.1%} ({worst:.1%} {page})" if page else f"{flush:.1%}", pairs,
        "/".join(map(str, tally.captions)),
    )


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, help="build here and keep it (default: a temporary folder)")
    parser.add_argument("--measure", action="store_true", help="measure an earlier --output without building")
    parser.add_argument("--papers", nargs="*", choices=sorted(PAPERS), default=list(PAPERS))
    parser.add_argument("--editions", nargs="*", choices=EDITIONS, default=list(EDITIONS))
    parser.add_argument("--details", action="store_true", help="list every finding by page")
    args = parser.parse_args(argv)
    if args.measure and not args.output:
        parser.error("--measure needs --output")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        output = args.output or Path(scratch)
        for paper in args.papers:
            project = output / f"clean-{paper}"
            failed: dict[str, str] = {}
            if not args.measure:
                seconds, failed = build_paper(project, paper, tuple(args.editions))
                pages = len(list(CORPUS.glob("*.txt")))
                print(f"build {paper}: {seconds:.1f} s CPU for {pages} pages x {len(args.editions)} editions")
                for edition, error in failed.items():
                    print(f"build {paper} {edition} FAILED: {error}")
            for edition in args.editions:
                if edition in failed:  # what an earlier build left there is not this build's
                    rows.append((paper, edition, "build failed", *("-" for _ in HEADER[3:])))
                    continue
                tally = Tally()
                for pdf in sorted((project / "output" / edition).glob("*.pdf")):
                    if pdf.name != "issue.pdf":
                        measure_page(pdf, tally, edition)
                rows.append(row(paper, edition, tally))
                if args.details:
                    for line in tally.details:
                        print(f"{paper} {edition} {line}")
    widths = [max(len(cells[i]) for cells in [HEADER, *rows]) for i in range(len(HEADER))]
    for cells in [HEADER, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
