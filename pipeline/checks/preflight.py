"""Preflight a PDF: read it once per library, run every check, and report problems and warnings.

:func:`run_checks` is the one composition of the checks, used by the build
(before an artifact is accepted) and by ``broadsheet check``:

1. the bytes are read once (:func:`~pipeline.checks.reader.load_pdf`);
2. pikepdf opens them once: the structure check (qpdf's), the font check
   (embedded, subset, the edition's faces, no ``.notdef``) and the print shop's check
   (:mod:`.press`: the PDF/X conformance claimed, output intent, trim and bleed, CMYK) walk
   that document;
3. pdfium opens them once: each page's text (text conservation) and glyph
   positions (clreq typography) come from the same pass;
4. the page budget is checked against the page count;
5. the same glyphs give the evenness figures of :mod:`.grid` (looseness, column feet,
   baselines across rules, title breaks), whose misses are warnings naming the page and place.

A file neither library can open is a one-line SourceError; everything found in
a file that opens is a problem of the report, never an exception.  Problems
fail ``broadsheet check`` (exit 1); warnings (what could not be checked) fail
it under ``--strict``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..editions import EDITIONS, Edition, Typography, unknown_edition
from ..errors import SourceError
from ..model import Page, page_chars
from .grid import LOOSE_LIMIT, GridReport, analyse_grid, grid_findings
from .press import PressReport, inspect_press
from .reader import PlacedImage, load_pdf, open_objects, read_text_layer
from .report import FontReport, TextReport, compare_text, edition_faces, inspect_fonts
from .structure import StructureReport, inspect_structure
from .typography import TypographyReport, analyse_glyphs, build_lines, read_page_lines, typography_problems

if TYPE_CHECKING:
    from .vertical import VerticalReport

PathLike = str | os.PathLike[str]

MIN_IMAGE_PPI = 200
"""An image printed at fewer pixels per inch than this looks soft on newsprint: a warning (failure under --strict)."""
MM_PER_POINT = 25.4 / 72


def check_budget(pages: int, budget: int | None, source: str | None = None) -> list[str]:
    """The page-budget check: one finding when ``pages`` is over ``budget`` (None: no budget).

    ``source`` names where the budget was set (``paper.pages``, ``--pages``).

    >>> check_budget(3, 2, "paper.pages")
    ['3 pages, over the page budget of 2 (paper.pages)']
    >>> check_budget(2, 2), check_budget(9, None)
    ([], [])
    """
    if budget is None or pages <= budget:
        return []
    return [f"{pages} pages, over the page budget of {budget}" + (f" ({source})" if source else "")]


@dataclass(frozen=True, slots=True)
class PreflightReport:
    """Every check of one PDF, as the build and ``broadsheet check`` report them."""

    pdf: str
    """The name problems are reported by (the PDF's path, or the build's ``edition/page``)."""
    edition: str | None
    fonts: FontReport
    structure: StructureReport
    text: TextReport | None = None
    """``None`` when no page was given to compare the text with."""
    page: str | None = None
    """Where the page the text was compared with came from (a ``.json`` or ``.txt`` path)."""
    typography: TypographyReport | None = None
    """The clreq figures (forbidden line starts and ends, flush lines, punctuation widths)."""
    compress: bool = True
    pages: int = 0
    budget: int | None = None
    """The most pages the PDF may have, or None when not checked."""
    budget_source: str | None = None
    """Where the budget was set, named in its problem (``paper.pages``, ``--pages``)."""
    grid: GridReport | None = None
    """The evenness figures (issue 15's goals); misses are warnings, failures under ``--strict``."""
    press: PressReport | None = None
    """The print shop's figures (PDF/X claimed, output intent, boxes, colour)."""
    images: tuple[PlacedImage, ...] = ()
    """Every image drawn, with its effective resolution at its printed size."""
    vertical: VerticalReport | None = None
    """The vertical figures of a vertical edition (``checks.vertical``), in place of ``typography``."""

    @property
    def ok(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        """What fails the check, one line each, each naming the PDF."""
        found = (self.text.problems() if self.text else []) + self.fonts.problems() + self.structure.problems()
        found += self.press.problems() if self.press else []
        if self.typography is not None:
            found += [f"{self.pdf}: typography: {p}" for p in typography_problems(self.typography, self.compress)]
        if self.vertical is not None:
            from .vertical import vertical_problems

            found += [f"{self.pdf}: typography: {p}" for p in vertical_problems(self.vertical)]
        found += [f"{self.pdf}: {p}" for p in check_budget(self.pages, self.budget, self.budget_source)]
        return found

    def evenness(self) -> list[str]:
        """Where the page misses an evenness goal of :mod:`.grid`, one line each, each naming the PDF."""
        return [f"{self.pdf}: evenness: {finding}" for finding in grid_findings(self.grid)] if self.grid else []

    def warnings(self) -> list[str]:
        """What could not be checked, and the evenness misses, one line each (failures under ``--strict``)."""
        found = self.evenness()
        if self.text is None:
            found.append(f"{self.pdf}: text not checked: no page to compare it with "
                         "(pass --page PAGE.txt, or keep the build's .json beside the PDF)")
        if self.edition is None:
            found.append(f"{self.pdf}: faces not checked: no edition (pass --edition E, or keep the PDF in its "
                         "edition's folder)")
        found += [f"{self.pdf}: glyphs of {family} not checked: an encoding this check cannot read"
                  for family in self.fonts.unchecked]
        return found + self.image_warnings()

    def image_warnings(self) -> list[str]:
        """Each image printed under ``MIN_IMAGE_PPI``, one line each (the build's warnings too)."""
        return [f"{self.pdf}: page {image.page}: an image of {image.width_px}×{image.height_px} px printed "
                f"{image.width_pt * MM_PER_POINT:.0f}×{image.height_pt * MM_PER_POINT:.0f} mm is "
                f"{image.ppi:.0f} ppi, under {MIN_IMAGE_PPI} (give a larger file, or fewer columns)"
                for image in self.images if image.ppi < MIN_IMAGE_PPI]

    def format(self) -> str:
        """A human summary: one line per check, then one line per problem and warning."""
        lines = [f"{self.pdf}: edition {self.edition or 'unknown (faces not checked)'}"]
        if self.text is None:
            lines.append("text: not checked (no page: pass --page PAGE.txt, or keep the build's .json beside "
                         "the PDF)")
        else:
            lines.append(f"text: {self.text.lost} of {self.text.expected} characters lost "
                         f"(compared with {self.page}; {sum(n for _, n in self.text.extra)} extra characters "
                         "of masthead, folios and jump lines)")
        faces = ", ".join(sorted({f.family for f in self.fonts.fonts})) or "none"
        embedded = sum(1 for font in self.fonts.fonts if font.embedded)
        lines.append(f"glyphs: {len(self.fonts.notdefs)} page(s) with .notdef glyphs; "
                     f"{len(self.fonts.fonts)} fonts ({faces}), {embedded} embedded")
        lines.append(self.structure.summary())
        if self.press is not None:
            lines.append(self.press.summary())
        if self.typography is not None:
            t = self.typography
            lines.append(f"typography: {t.forbidden_starts} forbidden line starts, {t.forbidden_ends} opening-mark "
                         f"line ends, {t.flush_ratio:.1%} of {t.nonfinal_lines} non-final lines flush, "
                         f"{t.compressed_ratio:.1%} of {len(t.pair_widths)} adjacent pairs at 1.5 em or less, "
                         f"{t.isolated_full_ratio:.1%} of {len(t.isolated_widths)} isolated marks at 1 em")
        if self.grid is not None:
            g = self.grid
            lines.append(f"evenness: looseness p95 {g.loose_p95:.3f} em per gap, {g.loose_lines} line(s) over "
                         f"{LOOSE_LIMIT:g} em (loosest {g.loosest:.2f}), column feet up to {g.foot_spread:.1f} "
                         f"lines apart, baselines across rules up to {g.baseline_offset:.2f} line apart, "
                         f"{len(g.title_breaks)} title(s) broken inside a word")
        if self.images:
            lines.append(f"images: {len(self.images)}, " + ", ".join(
                f"page {image.page} {image.width_px}×{image.height_px} px at {image.ppi:.0f} ppi"
                for image in self.images))
        if self.vertical is not None:
            lines.append(self.vertical.summary())
        lines.append(f"fit: {self.pages} page(s)" + (f" of a budget of {self.budget}" if self.budget else ""))
        problems = self.problems()
        lines.extend(f"problem: {problem}" for problem in problems)
        lines.extend(f"warning: {warning}" for warning in self.warnings())
        lines.append("ok" if not problems else f"{len(problems)} problem(s)")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pdf": self.pdf,
            "edition": self.edition,
            "page": self.page,
            "ok": self.ok,
            "text": self.text.to_dict() if self.text else None,
            "fonts": self.fonts.to_dict(),
            "structure": self.structure.to_dict(),
            "typography": self.typography.to_dict() if self.typography else None,
            "grid": self.grid.to_dict() if self.grid else None,
            "print": self.press.to_dict() if self.press else None,
            "vertical": self.vertical.to_dict() if self.vertical else None,
            "pages": self.pages,
            "budget": self.budget,
            "images": [{"page": image.page, "width_px": image.width_px, "height_px": image.height_px,
                        "width_pt": round(image.width_pt, 2), "height_pt": round(image.height_pt, 2),
                        "ppi": round(image.ppi, 1)} for image in self.images],
            "problems": self.problems(),
            "warnings": self.warnings(),
        }


def run_checks(pdf: bytes | PathLike, page: Page | None, edition: Edition | None, budget: int | None = None, *,
               name: str | None = None, page_name: str | None = None,
               budget_source: str | None = None) -> PreflightReport:
    """Every check of one PDF (a path, or its bytes), reading it once with each library.

    ``page`` is the page the PDF was made from (the edition's converted page);
    ``None`` skips text conservation.  ``edition`` gives the faces and the clreq
    settings; ``None`` skips the face check and measures default typography.
    ``budget`` is the most pages the PDF may have.  ``name`` is what problems
    call the PDF (default: its path); ``page_name`` where the page came from.
    A PDF that cannot be opened raises SourceError.
    """
    data, label = load_pdf(pdf, name)
    layer = read_text_layer(data, label)
    with open_objects(data, label) as document:
        structure = inspect_structure(document, label, pages=layer.pages)
        fonts = inspect_fonts(document, edition_faces(edition) if edition else None, label)
        press = inspect_press(document, label)
    text = None
    if page is not None:
        text = compare_text(layer.texts, page_chars(page), page.texts(), label)
    settings = edition.typography if edition else Typography()
    # 直排: lines run down the page (a PDF of unknown edition is read by the way its characters run).
    # The vertical checks are loaded only for a page that may be vertical: a build of horizontal
    # editions never imports them.
    if edition is None or edition.writing_mode == "vertical-rl":
        from .vertical import analyse_vertical, is_vertical

        if edition is not None or is_vertical(layer.glyphs):
            return PreflightReport(label, edition.name if edition else None, fonts, structure, text, page_name,
                                   compress=settings.compress, pages=layer.pages, budget=budget,
                                   budget_source=budget_source, press=press, images=layer.images,
                                   vertical=analyse_vertical(layer.glyphs, layer.texts, settings.line_break))
    # A line-final mark may be half-width where the edition halves it (end_half) or squeezes it.
    # Both figures read the same lines and columns of each page: they are worked out once.
    lines = [read_page_lines(build_lines(list(glyphs))) if glyphs else None for glyphs in layer.glyphs]
    typography = analyse_glyphs(layer.glyphs, level=settings.line_break,
                                end_half=settings.end_half or settings.squeeze, name=label, lines=lines)
    grid = analyse_grid(layer.glyphs, label, lines=lines)
    return PreflightReport(label, edition.name if edition else None, fonts, structure, text, page_name,
                           typography=typography, compress=settings.compress, pages=layer.pages,
                           budget=budget, budget_source=budget_source, grid=grid, press=press,
                           images=layer.images)


def find_edition(pdf_path: PathLike, edition: str | None = None) -> Edition | None:
    """The edition a PDF was built for: ``edition`` if given, else its folder's name if that names one.

    ``output/zh-TW/hongdong.pdf`` is zh-TW; an unknown ``edition`` is a ConfigError.
    """
    if edition is None:
        folder = os.path.basename(os.path.dirname(os.path.abspath(os.fspath(pdf_path))))
        return EDITIONS.get(folder)
    if edition not in EDITIONS:
        raise unknown_edition(edition)
    return EDITIONS[edition]


def page_beside(pdf_path: PathLike) -> str | None:
    """The build's ``<stem>.json`` beside a PDF, if there is one."""
    beside = os.path.splitext(os.fspath(pdf_path))[0] + ".json"
    return beside if os.path.isfile(beside) else None


def load_page_json(path: str) -> Page:
    """A page as the build wrote it (``output/<edition>/<page>.json``); SourceError if it is not one."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise SourceError(f"cannot read the page: {error.strerror}", path) from None
    try:
        return Page.from_dict(json.loads(data.decode("utf-8")))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SourceError(f"not a page JSON written by the build ({error})", path) from None


def check_pdf(pdf_path: PathLike, page: Page | None = None, edition: str | Edition | None = None,
              budget: int | None = None, *, page_name: str | None = None,
              budget_source: str | None = None) -> PreflightReport:
    """Preflight a PDF on disk, as ``broadsheet check PDF [--page P] [--edition E] [--pages N]`` does.

    ``edition`` (a name or an Edition) defaults to the PDF's folder name when that
    names an edition; without one the faces are not checked.  ``page`` is the
    page the PDF was built from, built by the caller (the CLI parses and
    converts ``--page``); without it the build's ``<stem>.json`` beside the PDF
    is used if there is one.
    """
    chosen = edition if isinstance(edition, Edition) else find_edition(pdf_path, edition)
    if page is None and (beside := page_beside(pdf_path)) is not None:
        page, page_name = load_page_json(beside), beside
    return run_checks(pdf_path, page, chosen, budget, page_name=page_name, budget_source=budget_source)
