"""Score structure recovery on printed inputs of the corpus's dev pages in layouts the corpus does not use.

The committed printed inputs (``pdftotext``, ``pdftotext-layout``, ``ocr-columns``) come from one
three-column print (Noto Serif CJK SC 10.5 pt, 2 em gaps) per page, and the heuristics for printed
input were developed on the dev pages' copies of them.  This benchmark prints the same dev pages again
with WeasyPrint in other layouts -- 2, 4 and 5 columns, other column widths, body sizes and faces --
reads each print with ``pdftotext`` plain and ``-layout`` (and, with ``--ocr``, tesseract ``chi_sim``
on a 300 dpi raster), and scores what it reads with ``score_corpus.py``'s scorer.  The held-aside
pages are never read.

Prints and what was read from them are cached in ``--cache DIR`` (default: a folder under the system
temporary directory), keyed by the HTML printed, so that only the scoring runs again after a change
to the parser.  Tests never run this; OCR is slow (about ten seconds a raster).

    .venv/bin/python benchmarks/score_fresh_print.py [--corpus2 | --corpus3] [--ocr] [--pages] [--cache DIR] [LAYOUT …]

``--corpus2`` prints the pages of tests/data/corpus2/ instead (all of them: it has no held-aside part);
``--corpus3`` the dev pages of tests/data/corpus3/ (never its held-aside third).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchmarks.score_corpus as corpus  # noqa: E402
from tests.support.corpus import load, render_html  # noqa: E402

BODY_FACE = "'Noto Serif CJK SC'"
BODY_SIZE = "font-size:10.5pt;line-height:1.6"
GAP = "column-gap:2em"
"""What ``render_html`` prints the corpus with; each layout replaces them."""


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    columns: int
    face: str
    size: float  # body size, pt
    gap: float  # column gap, em
    leading: float = 1.6


LAYOUTS = (
    Layout("c2-kai-11", 2, "'LXGW WenKai'", 11.0, 1.5),
    Layout("c2-serif-9", 2, BODY_FACE, 9.0, 3.0, 1.5),
    Layout("c3-sans-9", 3, "'Noto Sans CJK SC'", 9.0, 1.2, 1.7),
    Layout("c4-serif-9", 4, BODY_FACE, 9.0, 1.5),
    Layout("c4-kai-8", 4, "'LXGW WenKai'", 8.0, 2.0, 1.5),
    Layout("c5-sans-8", 5, "'Noto Sans CJK SC'", 8.0, 1.2),
)
"""Column counts, faces, sizes and gaps the committed prints do not use (they are 3 columns of
Noto Serif 10.5 pt, 2 em gaps, and one column): column measures from about 11 to 39 ems."""

METHODS = ("pdftotext", "pdftotext-layout", "ocr")


def layout_html(pieces: list[corpus.Piece], layout: Layout) -> str:
    """The corpus's print of a page (``render_html``) in another layout."""
    source = render_html(pieces, layout.columns)
    for old, new in ((f"body{{font-family:{BODY_FACE}", f"body{{font-family:{layout.face}"),
                     (BODY_SIZE, f"font-size:{layout.size}pt;line-height:{layout.leading}"),
                     (GAP, f"column-gap:{layout.gap}em")):
        assert old in source, f"render_html no longer prints {old!r}: update this benchmark"
        source = source.replace(old, new, 1)
    return source


def read_print(html: str, cache: Path, ocr: bool) -> dict[str, str]:
    """What pdftotext (and tesseract) read from the print of ``html``, cached by the HTML's hash."""
    folder = cache / hashlib.sha256(html.encode("utf-8")).hexdigest()[:20]
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "page.pdf"
    if not pdf.exists():
        import weasyprint

        weasyprint.HTML(string=html).write_pdf(folder / "page.tmp.pdf")
        (folder / "page.tmp.pdf").rename(pdf)
    read: dict[str, str] = {}
    for flag, method in (([], "pdftotext"), (["-layout"], "pdftotext-layout")):
        out = folder / f"{method}.txt"
        if not out.exists():
            done = subprocess.run(["pdftotext", *flag, "-enc", "UTF-8", str(pdf), "-"], check=True,
                                  capture_output=True, text=True)
            out.write_text(done.stdout.replace("\f", "\n"), encoding="utf-8")
        read[method] = out.read_text(encoding="utf-8")
    out = folder / "ocr.txt"
    if ocr and not out.exists():
        with tempfile.TemporaryDirectory() as temp:
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), f"{temp}/r"], check=True)
            texts = [subprocess.run(["tesseract", str(image), "-", "-l", "chi_sim"], check=True,
                                    capture_output=True, text=True).stdout
                     for image in sorted(Path(temp).glob("r-*.png"))]
        out.write_text("\n".join(texts), encoding="utf-8")
    if ocr:
        read["ocr"] = out.read_text(encoding="utf-8")
    return read


def _line(label: str, tally: corpus.Tally) -> str:
    return (f"{label:<28} boundary {tally.f1('boundary')[2]:.3f} heading {tally.f1('heading')[2]:.3f} "
            f"byline {tally.f1('byline')[2]:.3f} caption {tally.f1('caption')[2]:.3f} "
            f"right {tally.right:>3}/{tally.pages:<3} lost {tally.lost}")


def main(argv: list[str]) -> None:
    show_pages = "--pages" in argv
    ocr = "--ocr" in argv
    cache = Path(tempfile.gettempdir()) / "broadsheet-fresh-print"
    if "--cache" in argv:
        cache = Path(argv[argv.index("--cache") + 1])
    chosen = [a for a in argv if not a.startswith("-") and a != str(cache)]
    layouts = [layout for layout in LAYOUTS if not chosen or layout.name in chosen]
    committed = corpus.CORPUS3 if "--corpus3" in argv else corpus.CORPUS2 if "--corpus2" in argv else corpus.CORPUS
    names = corpus.page_names(committed)
    if committed != corpus.CORPUS2:
        names = [name for name in names if name not in corpus.held_out(committed)]
    per_method = {method: corpus.Tally() for method in METHODS}
    total = corpus.Tally()
    with tempfile.TemporaryDirectory() as temp:
        for layout in layouts:
            tallies = {method: corpus.Tally() for method in METHODS}
            for name in names:
                _kind, pieces = load(name, committed)
                folder = Path(temp) / "inputs" / name
                folder.mkdir(parents=True, exist_ok=True)
                pages = Path(temp) / "pages"
                pages.mkdir(exist_ok=True)
                (pages / f"{name}.txt").write_text((committed / "pages" / f"{name}.txt").read_text(
                    encoding="utf-8"), encoding="utf-8")
                for method, text in read_print(layout_html(pieces, layout), cache, ocr).items():
                    (folder / f"{layout.name}-{method}.txt").write_text(text, encoding="utf-8")
                    scored = corpus.score_page(name, f"{layout.name}-{method}", Path(temp))
                    assert scored is not None
                    page_tally, problems = scored
                    tallies[method].add(page_tally)
                    if show_pages and problems:
                        print(f"  {layout.name}-{method} {name}: " + "; ".join(problems[:6]))
            for method, tally in tallies.items():
                if tally.pages:
                    print(_line(f"{layout.name} {method}", tally))
                    per_method[method].add(tally)
                    total.add(tally)
    for method, tally in per_method.items():
        if tally.pages:
            print(_line(f"all {method}", tally))
    print(_line("all", total))


if __name__ == "__main__":
    main(sys.argv[1:])
