"""Tests for pipeline.checks: text conservation, glyph, structure and budget checks on small PDFs made here."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pydyf
import pytest
import weasyprint
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.checks import check_budget, check_pdf, run_checks
from pipeline.checks.report import (
    check_fonts,
    check_text,
    edition_faces,
    extract_pages,
    extract_text,
)
from pipeline.cli import main
from pipeline.editions import EDITIONS, Typography
from pipeline.engine.justify import justification
from pipeline.errors import ConfigError, SourceError
from pipeline.model import Article, Page, Paragraph, counted_chars
from pipeline.project.config import packaged_dir
from pipeline.typeset.marks import mark_text

TEXT = "洪洞县委副书记、县长李俊平调研指导煤矿安全生产等工作。全县新增就业岗位3000余个，ABC。"
SERIF = "Noto Serif CJK SC"
EDITION_FACES = edition_faces(EDITIONS["zh-Hans"])
TYPOGRAPHY_CSS = (packaged_dir("styles") / "typography.css").read_text(encoding="utf-8")
EXT_G = "\U00030000"  # CJK Extension G: in no font installed for Broadsheet


def render(path: Path, *paragraphs: str, extra: str = "") -> Path:
    """A small PDF set as the build sets text: justified on a whole-em measure, with the clreq markup.

    The measure of 15 em sets the good page's Han lines solid, so it meets the evenness goals too.
    """
    body = "".join(f"<p>{mark_text(p, Typography())}</p>" for p in paragraphs)
    document = (f'<html lang="zh-Hans"><head><style>@page {{ size: A6 }} '
                f"body {{ font-family: '{SERIF}'; text-align: justify; width: 15em }} {TYPOGRAPHY_CSS}</style></head>"
                f"<body>{body}{extra}</body></html>")
    with justification():
        weasyprint.HTML(string=document).write_pdf(path)
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    return {
        "good": render(folder / "good.pdf", TEXT),
        "damaged": render(folder / "damaged.pdf", TEXT.replace("煤", "", 1)),
        "notdef": render(folder / "notdef.pdf", TEXT + EXT_G),
        "foreign": render(folder / "foreign.pdf", TEXT,
                          extra="<p style=\"font-family: 'DejaVu Sans'\">Broadsheet 1</p>"),
        "two-pages": render(folder / "two.pdf", "第一页", extra='<p style="break-before: page">第二页</p>'),
    }


def unembedded_pdf(path: Path) -> Path:
    """A one-page PDF that uses Helvetica without embedding it (WeasyPrint never does this)."""
    pdf = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"})
    pdf.add_object(font)
    content = pydyf.Stream()
    content.begin_text()
    content.set_font_size("F1", 12)
    content.set_text_matrix(1, 0, 0, 1, 72, 720)
    content.show_text_string("Broadsheet 2021")
    content.end_text()
    pdf.add_object(content)
    page = pydyf.Dictionary({
        "Type": "/Page", "Parent": pdf.pages.reference, "MediaBox": pydyf.Array([0, 0, 595, 842]),
        "Contents": content.reference,
        "Resources": pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})}),
    })
    pdf.add_page(page)
    output = io.BytesIO()
    pdf.write(output)
    path.write_bytes(output.getvalue())
    return path


def test_extract_text_finds_the_page_text(pdfs: dict[str, Path]) -> None:
    assert counted_chars(extract_text(pdfs["good"])) == counted_chars(TEXT)


def test_extract_pages_splits_pages(pdfs: dict[str, Path]) -> None:
    pages = extract_pages(pdfs["two-pages"])
    assert [p.strip() for p in pages] == ["第一页", "第二页"]
    assert extract_text(pdfs["two-pages"]).count("\f") == 1


def test_good_pdf_loses_nothing(pdfs: dict[str, Path]) -> None:
    report = check_text(pdfs["good"], counted_chars(TEXT), [TEXT])
    assert report.ok and report.lost == 0 and report.problems() == []
    assert report.pages == 1
    assert report.expected == report.found == sum(counted_chars(TEXT).values())
    assert report.extra == ()


def test_damaged_pdf_names_the_missing_character_in_context(pdfs: dict[str, Path]) -> None:
    report = check_text(pdfs["damaged"], counted_chars(TEXT), [TEXT])
    assert not report.ok and report.lost == 1
    (missing,) = report.missing
    assert (missing.char, missing.missing) == ("煤", 1)
    assert missing.contexts == ("…长李俊平调研指导煤矿安全生产等工作…",)
    assert report.problems() == [
        f"{pdfs['damaged']}: 煤 (U+7164) missing 1 time, in “…长李俊平调研指导煤矿安全生产等工作…”"
    ]


def test_extra_text_is_listed_but_not_a_problem(pdfs: dict[str, Path]) -> None:
    report = check_text(pdfs["foreign"], counted_chars(TEXT))
    assert report.ok
    assert dict(report.extra) == dict(counted_chars("Broadsheet 1"))


def test_fullwidth_source_matches_folded_pdf_text(pdfs: dict[str, Path]) -> None:
    expected = counted_chars(TEXT.replace("ABC", "ＡＢＣ"))
    assert check_text(pdfs["good"], expected).ok


def test_context_finds_fullwidth_forms(pdfs: dict[str, Path]) -> None:
    report = check_text(pdfs["good"], counted_chars(TEXT + "Ｚ"), ["甲乙Ｚ丙"])
    (missing,) = report.missing
    assert (missing.char, missing.contexts) == ("Z", ("甲乙Ｚ丙",))


def test_edition_faces() -> None:
    assert EDITION_FACES == (SERIF, "Noto Sans CJK SC", "LXGW WenKai")
    assert edition_faces(EDITIONS["zh-HK"]) == ("Noto Serif CJK HK", "Noto Sans CJK HK", "AR PL UKai HK")


def test_good_pdf_fonts_are_embedded_subset_and_the_editions(pdfs: dict[str, Path]) -> None:
    report = check_fonts(pdfs["good"], EDITION_FACES)
    assert report.ok, report.problems()
    (font,) = report.fonts
    assert (font.family, font.kind, font.embedded, font.subset, font.pages) == (
        SERIF, "Type0", True, True, (1,))
    assert report.notdefs == ()


def test_notdef_glyph_is_reported(pdfs: dict[str, Path]) -> None:
    # The text layer still holds the character: only the glyph check sees the box.
    assert EXT_G in extract_text(pdfs["notdef"])
    report = check_fonts(pdfs["notdef"], EDITION_FACES)
    assert not report.ok
    assert [(n.page, n.font, n.text) for n in report.notdefs] == [(1, SERIF, EXT_G)]
    assert report.problems() == [
        f"{pdfs['notdef']}: page 1: .notdef glyph (an empty box) in {SERIF} for “{EXT_G}” (U+30000)"
    ]


def test_foreign_face_is_reported(pdfs: dict[str, Path]) -> None:
    report = check_fonts(pdfs["foreign"], EDITION_FACES)
    assert [f.family for f in report.foreign()] == ["DejaVu Sans"]
    assert report.problems() == [
        f"{pdfs['foreign']}: face DejaVu Sans (pages 1) is not one of the edition's: "
        "Noto Serif CJK SC, Noto Sans CJK SC, LXGW WenKai"
    ]
    assert check_fonts(pdfs["foreign"], None).ok


def test_bold_style_counts_as_its_family(tmp_path: Path) -> None:
    path = render(tmp_path / "bold.pdf", "正文", extra="<p><b>洪洞</b></p>")
    report = check_fonts(path, [SERIF])
    assert report.ok, report.problems()
    assert sorted(f.name for f in report.fonts) == ["Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"]


def test_unembedded_font_is_reported(tmp_path: Path) -> None:
    path = unembedded_pdf(tmp_path / "helvetica.pdf")
    report = check_fonts(path, ["Helvetica"])
    assert report.problems() == [f"{path}: font Helvetica is not embedded"]
    assert counted_chars(extract_text(path)) == counted_chars("Broadsheet 2021")


def test_reports_serialise_to_json(pdfs: dict[str, Path]) -> None:
    text = check_text(pdfs["damaged"], counted_chars(TEXT), [TEXT]).to_dict()
    fonts = check_fonts(pdfs["notdef"], EDITION_FACES).to_dict()
    assert json.loads(json.dumps(text, ensure_ascii=False))["missing"][0]["char"] == "煤"
    assert text["lost"] == 1
    assert fonts["notdef"] == [{"page": 1, "font": SERIF, "text": EXT_G}]
    assert fonts["fonts"][0]["subset"] is True


def test_missing_counter_ignores_punctuation(pdfs: dict[str, Path]) -> None:
    expected = counted_chars(TEXT) + Counter()
    assert "，" not in expected and "。" not in expected
    assert check_text(pdfs["good"], expected).ok


def test_unreadable_pdf_is_a_source_error(tmp_path: Path) -> None:
    fake = tmp_path / "page.pdf"
    fake.write_text("洪洞县")
    with pytest.raises(SourceError, match=r"page\.pdf: cannot check the PDF: not a readable PDF"):
        check_text(fake, Counter())
    with pytest.raises(SourceError, match=r"page\.pdf: cannot check the PDF: not a readable PDF"):
        check_fonts(fake)
    with pytest.raises(SourceError) as caught:
        extract_text(tmp_path / "absent.pdf")
    assert str(caught.value) == (f"{tmp_path / 'absent.pdf'}: cannot check the PDF: no such file "
                                 "(give the path of a PDF that Broadsheet built)")


def page_json(text: str) -> str:
    page = Page("page.txt", (Article((Paragraph(text),)),))
    return json.dumps(page.to_dict(), ensure_ascii=False)


@pytest.fixture
def built(tmp_path: Path, pdfs: dict[str, Path]) -> Path:
    """An output folder as the build leaves it: ``zh-Hans/<page>.pdf`` with its page JSON beside."""
    folder = tmp_path / "zh-Hans"
    folder.mkdir()
    for name in ("good", "damaged", "notdef"):
        shutil.copy(pdfs[name], folder / f"{name}.pdf")
        (folder / f"{name}.json").write_text(page_json(TEXT), encoding="utf-8")
    shutil.copy(pdfs["good"], folder / "issue.pdf")
    return folder


def test_check_pdf_finds_edition_and_page_json(built: Path) -> None:
    report = check_pdf(built / "good.pdf")
    assert report.ok and report.edition == "zh-Hans"
    assert report.page == str(built / "good.json")
    assert report.text is not None and report.text.lost == 0
    assert report.format().splitlines() == [
        f"{built / 'good.pdf'}: edition zh-Hans",
        f"text: 0 of {report.text.expected} characters lost (compared with {built / 'good.json'}; "
        "0 extra characters of masthead, folios and jump lines)",
        f"glyphs: 0 page(s) with .notdef glyphs; 1 fonts ({SERIF}), 1 embedded",
        f"structure: qpdf check passed (PDF 1.7, {report.structure.objects} objects)",
        "print: claims no PDF/X conformance; no output intent; every page has a TrimBox; bleed 0.0 mm",
        "typography: 0 forbidden line starts, 0 opening-mark line ends, 100.0% of 2 non-final lines flush, "
        "100.0% of 0 adjacent pairs at 1.5 em or less, 100.0% of 2 isolated marks at 1 em",
        "evenness: looseness p95 0.000 em per gap, 0 line(s) over 0.15 em (loosest 0.00), column feet up to "
        "0.0 lines apart, baselines across rules up to 0.00 line apart, 0 title(s) broken inside a word",
        "fit: 1 page(s)",
        "ok",
    ]


def test_check_pdf_reports_damage(built: Path) -> None:
    damaged = check_pdf(built / "damaged.pdf")
    assert not damaged.ok
    assert damaged.format().splitlines()[-2:] == [
        f"problem: {built / 'damaged.pdf'}: 煤 (U+7164) missing 1 time, in “…长李俊平调研指导煤矿安全生产等工作…”",
        "1 problem(s)",
    ]
    notdef = check_pdf(built / "notdef.pdf").to_dict()
    assert notdef["ok"] is False and notdef["fonts"]["notdef"][0]["text"] == EXT_G
    assert json.loads(json.dumps(notdef))["edition"] == "zh-Hans"


def test_check_pdf_without_page_checks_glyphs_only(built: Path) -> None:
    report = check_pdf(built / "issue.pdf")
    assert report.ok and report.text is None
    assert "text: not checked" in report.format()


def test_check_pdf_with_a_page_built_by_the_caller(built: Path) -> None:
    page = Page("page.txt", (Article((Paragraph(TEXT),)),))
    report = check_pdf(built / "good.pdf", page=page, edition="zh-Hans", page_name="page.txt")
    assert report.ok and report.page == "page.txt"
    damaged = check_pdf(built / "damaged.pdf", page=page, page_name="page.txt")
    assert damaged.text is not None and damaged.text.lost == 1


def test_check_pdf_unknown_edition_and_bad_json(built: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown edition 'zh-XX' \(did you mean 'zh-TW'\?\)"):
        check_pdf(built / "good.pdf", edition="zh-XX")
    (built / "good.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SourceError, match=r"good\.json: not a page JSON written by the build"):
        check_pdf(built / "good.pdf")


def test_pdf_outside_an_edition_folder_skips_faces(pdfs: dict[str, Path]) -> None:
    report = check_pdf(pdfs["foreign"])
    assert report.edition is None and report.fonts.families is None and report.fonts.problems() == []


def test_page_budget_and_typography_are_checked(pdfs: dict[str, Path]) -> None:
    over = check_pdf(pdfs["two-pages"], budget=1)
    assert over.pages == 2
    assert f"{pdfs['two-pages']}: 2 pages, over the page budget of 1" in over.problems()
    assert over.typography is not None and over.typography.forbidden_starts == 0
    assert check_pdf(pdfs["two-pages"], budget=2).pages == 2


def test_ragged_typesetting_fails_the_typography_check(tmp_path: Path) -> None:
    folder = tmp_path / "zh-Hans"
    folder.mkdir()
    text = "县里召开会议，要求各乡镇认真落实秋粮收购工作，确保农民增收。" * 6
    body = "".join(f"<p>{html.escape(text)}</p>" for _ in range(3))
    document = (f'<html lang="zh-Hans"><head><style>@page {{ size: A6 }} p {{ width: 9.3em; text-align: left }} '
                f"body {{ font-family: '{SERIF}' }}</style></head><body>{body}</body></html>")
    weasyprint.HTML(string=document).write_pdf(folder / "ragged.pdf")
    problems = check_pdf(folder / "ragged.pdf").problems()
    assert any("non-final lines are flush (target 99%)" in p for p in problems), problems


# ----------------------------------------------------------------------------- one reading, run_checks


def test_run_checks_opens_the_pdf_once_with_each_library(pdfs: dict[str, Path],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import pikepdf
    import pypdfium2

    opened: Counter[str] = Counter()
    real_pikepdf, real_pdfium = pikepdf.open, pypdfium2.PdfDocument

    def pikepdf_open(*args: object, **kwargs: object) -> object:
        opened["pikepdf"] += 1
        return real_pikepdf(*args, **kwargs)  # type: ignore[arg-type]

    def pdfium_document(*args: object, **kwargs: object) -> object:
        opened["pdfium"] += 1
        return real_pdfium(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pikepdf, "open", pikepdf_open)
    monkeypatch.setattr(pypdfium2, "PdfDocument", pdfium_document)
    page = Page("page.txt", (Article((Paragraph(TEXT),)),))
    report = run_checks(pdfs["notdef"], page, EDITIONS["zh-Hans"], 1)
    assert opened == {"pikepdf": 1, "pdfium": 1}
    # Every check ran from those two readings: text, glyphs, structure, typography, budget.
    assert report.text is not None and report.text.ok
    assert [n.text for n in report.fonts.notdefs] == [EXT_G]
    assert report.structure.ok and report.typography is not None and report.pages == 1


def test_run_checks_reads_each_pages_lines_once(pdfs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The clreq and the evenness figures come from one reading of each page's lines and columns,
    and are the figures each analysis gives reading the lines itself."""
    from pipeline.checks import grid, preflight, typography
    from pipeline.checks.reader import read_text_layer

    built: Counter[str] = Counter()
    real = typography.build_lines

    def build_lines(glyphs: list[typography.Glyph]) -> list[typography.Line]:
        built["pages"] += 1
        return real(glyphs)

    for module in (typography, grid, preflight):
        monkeypatch.setattr(module, "build_lines", build_lines, raising=False)
    edition = EDITIONS["zh-Hans"]
    report = run_checks(pdfs["two-pages"], None, edition)
    assert built["pages"] == report.pages == 2
    glyphs = read_text_layer(pdfs["two-pages"].read_bytes(), "p").glyphs
    settings = edition.typography
    assert report.typography == typography.analyse_glyphs(glyphs, settings.line_break,
                                                          settings.end_half or settings.squeeze,
                                                          str(pdfs["two-pages"]))
    assert report.grid == grid.analyse_grid(glyphs, str(pdfs["two-pages"]))


def test_run_checks_takes_bytes_and_names_the_pdf_as_told(pdfs: dict[str, Path]) -> None:
    page = Page("page.txt", (Article((Paragraph(TEXT),)),))
    data = pdfs["damaged"].read_bytes()
    report = run_checks(data, page, EDITIONS["zh-Hans"], 1, name="zh-Hans/p", budget_source="paper.pages")
    assert report.problems() == ["zh-Hans/p: 煤 (U+7164) missing 1 time, in “…长李俊平调研指导煤矿安全生产等工作…”"]
    assert run_checks(pdfs["damaged"], page, EDITIONS["zh-Hans"]).problems() == [
        f"{pdfs['damaged']}: 煤 (U+7164) missing 1 time, in “…长李俊平调研指导煤矿安全生产等工作…”"]
    over = run_checks(pdfs["two-pages"].read_bytes(), None, None, 1, name="p", budget_source="paper.pages")
    assert "p: 2 pages, over the page budget of 1 (paper.pages)" in over.problems()


def test_the_build_preflight_is_run_checks_and_never_raises(pdfs: dict[str, Path]) -> None:
    from pipeline.project.build import _preflight

    page = Page("page.txt", (Article((Paragraph(TEXT),)),))
    edition = EDITIONS["zh-Hans"]
    assert _preflight(pdfs["good"], page, edition, "zh-Hans/p", budget=1)[0] == []
    assert _preflight(pdfs["damaged"].read_bytes(), page, edition, "zh-Hans/p")[0] == [
        "zh-Hans/p: 煤 (U+7164) missing 1 time, in “…长李俊平调研指导煤矿安全生产等工作…”"]
    (line,), _ = _preflight(b"%PDF-1.7\n1 0 obj <<", page, edition, "zh-Hans/p")
    assert line.startswith("zh-Hans/p: cannot check the PDF: not a readable PDF (") and "\n" not in line


def test_check_budget() -> None:
    assert check_budget(3, 2, "--pages") == ["3 pages, over the page budget of 2 (--pages)"]
    assert check_budget(2, 2) == check_budget(5, None) == []


# ----------------------------------------------------------------------------- structure


def _startxref_moved(data: bytes) -> bytes:
    """The PDF with its ``startxref`` offset pointing 7 bytes past the cross-reference table."""
    match = re.search(rb"startxref\s+(\d+)", data)
    assert match is not None
    return data[:match.start(1)] + str(int(match.group(1)) + 7).encode() + data[match.end(1):]


def test_a_sound_pdf_passes_the_structure_check(pdfs: dict[str, Path]) -> None:
    report = check_pdf(pdfs["good"]).structure
    assert report.ok and report.problems() == [] and report.pages == 1 and report.version == "1.7"
    assert report.summary() == f"structure: qpdf check passed (PDF 1.7, {report.objects} objects)"


def test_a_damaged_cross_reference_table_is_a_structure_problem(pdfs: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "damaged-xref.pdf"
    path.write_bytes(_startxref_moved(pdfs["good"].read_bytes()))
    report = check_pdf(path)
    assert not report.ok
    assert f"{path}: structure: WARNING: file is damaged" in report.problems()
    assert any("xref not found" in p for p in report.problems())
    assert report.text is None  # the rest still ran: qpdf and pdfium repaired the table
    assert report.fonts.ok


def test_a_pdf_with_deep_long_and_nested_content_is_reported_not_raised() -> None:
    # Issue 12 item 7: 50,000 nested brackets made pypdf raise LimitReachedError in preflight.
    # Here: a TJ array of 120,000 strings (pypdf stopped at 100,000 items: LimitReachedError), arrays
    # nested 50,000 deep (pypdf: RecursionError), and forms nested 40 deep.
    wide = b"BT /F1 12 Tf 72 700 Td [" + b" ".join(b"(a) -10" for _ in range(120_000)) + b"] TJ ET"
    deep = b"BT /F1 12 Tf 72 700 Td " + b"[" * 50_000 + b"(a)" + b"]" * 50_000 + b" TJ ET"
    report = run_checks(_hand_made_pdf(wide + b"\n" + deep, forms=40), None, None, name="deep")
    problems = report.problems()
    assert "deep: font Helvetica is not embedded" in problems
    (nested,) = [p for p in problems if "excessively deeply nested" in p]  # once, counted
    assert nested.endswith("more like it)")
    assert "deep: page 1: forms nested deeper than 16 levels, their glyphs not checked" in problems
    assert report.pages == 1 and report.typography is not None
    assert all("\n" not in p for p in problems)


def test_damaged_pdfs_give_problems_or_one_line_errors_never_tracebacks(pdfs: dict[str, Path]) -> None:
    import random

    data = pdfs["good"].read_bytes()
    rng = random.Random(12)  # seeded: the same 40 damaged files every run
    outcomes: Counter[str] = Counter()
    for _ in range(40):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.3:
            damaged = damaged[:rng.randrange(len(damaged))]
        try:
            report = run_checks(bytes(damaged), None, EDITIONS["zh-Hans"], 1, name="damaged")
        except SourceError as error:
            assert str(error).startswith("damaged: cannot check the PDF: ") and "\n" not in str(error)
            outcomes["error"] += 1
        else:
            assert all(p.startswith("damaged: ") and "\n" not in p for p in report.problems())
            outcomes["report"] += 1
    assert outcomes["error"] and outcomes["report"]


def _hand_made_pdf(content: bytes, forms: int = 0) -> bytes:
    """A one-page PDF drawing a chain of ``forms`` nested form XObjects, then ``content``, with Helvetica."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Resources = resources
    inner = None
    for _ in range(forms):
        form_resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        body = b"BT /F1 12 Tf 72 600 Td (x) Tj ET"
        if inner is not None:
            form_resources.XObject = pikepdf.Dictionary(X1=inner)
            body += b" /X1 Do"
        inner = pdf.make_stream(body, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                BBox=[0, 0, 595, 842], Resources=form_resources)
    if inner is not None:
        resources.XObject = pikepdf.Dictionary(X1=inner)
        content = b"/X1 Do\n" + content
    page.obj.Contents = pdf.make_stream(content)
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def test_a_form_that_draws_itself_is_followed_once() -> None:
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(_hand_made_pdf(b"", forms=1)))
    form = pdf.pages[0].obj.Resources.XObject.X1
    form.Resources.XObject = pikepdf.Dictionary(X1=form)
    form.write(form.read_bytes() + b" /X1 Do")
    buffer = io.BytesIO()
    pdf.save(buffer)
    report = run_checks(buffer.getvalue(), None, None, name="loop")
    assert report.fonts.problems() == ["loop: font Helvetica is not embedded"]
    assert report.fonts.fonts[0].pages == (1,)


# ----------------------------------------------------------------------------- broadsheet check


def _check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_check_passes_a_sound_pdf_and_fails_a_damaged_one(built: Path) -> None:
    code, out, err = _check(str(built / "good.pdf"))
    assert (code, err) == (0, "") and out.endswith("\nok\n")
    code, out, _ = _check(str(built / "damaged.pdf"))
    assert code == 1 and "煤 (U+7164) missing 1 time" in out


def test_cli_check_pages_is_the_page_budget(pdfs: dict[str, Path]) -> None:
    code, out, _ = _check(str(pdfs["two-pages"]), "--pages", "1")
    assert code == 1
    assert f"problem: {pdfs['two-pages']}: 2 pages, over the page budget of 1 (--pages)" in out.splitlines()
    assert _check(str(pdfs["two-pages"]), "--pages", "2")[0] == 0
    code, _, err = _check(str(pdfs["two-pages"]), "--pages", "0")
    assert code == 2 and err == "broadsheet: error: --pages: expected a whole number of at least 1 (got 0)\n"


def test_cli_check_strict_fails_on_warnings(pdfs: dict[str, Path]) -> None:
    # No page beside it and no edition folder: text and faces are not checked (warnings).
    code, out, _ = _check(str(pdfs["good"]))
    assert code == 0 and "warning: " in out
    code, _, err = _check(str(pdfs["good"]), "--strict")
    assert code == 1 and err == "broadsheet: error: 2 warning(s), a failure under --strict\n"


def test_cli_check_page_text_is_parsed_and_converted_at_the_edge(built: Path, tmp_path: Path) -> None:
    source = tmp_path / "page.txt"
    source.write_bytes(TEXT.encode("gb18030"))
    code, out, _ = _check(str(built / "good.pdf"), "--page", str(source), "--edition", "zh-Hans")
    assert code == 0 and f"(compared with {source};" in out
    code, out, _ = _check(str(built / "good.pdf"), "--page", str(built / "damaged.json"))
    assert code == 0 and f"(compared with {built / 'damaged.json'};" in out


def test_cli_check_quiet_json_and_verbose(built: Path) -> None:
    code, out, _ = _check(str(built / "damaged.pdf"), "-q")
    assert code == 1 and out == (f"problem: {built / 'damaged.pdf'}: 煤 (U+7164) missing 1 time, "
                                 "in “…长李俊平调研指导煤矿安全生产等工作…”\n")
    code, out, _ = _check(str(built / "good.pdf"), "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True and data["structure"]["ok"] is True and data["warnings"] == []
    code, out, _ = _check(str(built / "good.pdf"), "-v")
    assert code == 0 and "(line-break level basic)" in out and "page 1: " in out


@pytest.mark.parametrize("content", [b"", "洪洞县".encode(), b"%PDF-1.7\n", "truncated"])
def test_cli_check_unreadable_file_is_exit_2_in_one_line(tmp_path: Path, pdfs: dict[str, Path],
                                                        content: bytes | str) -> None:
    path = tmp_path / "page.pdf"
    good = pdfs["good"].read_bytes()
    path.write_bytes(good[: len(good) // 2] if content == "truncated" else content)  # type: ignore[arg-type]
    code, out, err = _check(str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"broadsheet: error: {path}: cannot check the PDF: not a readable PDF (")
    assert err.count("\n") == 1


def test_cli_check_missing_file_and_folder_are_exit_2(tmp_path: Path) -> None:
    code, _, err = _check(str(tmp_path / "absent.pdf"))
    assert code == 2 and err == (f"broadsheet: error: {tmp_path / 'absent.pdf'}: cannot check the PDF: no such file "
                                 "(give the path of a PDF that Broadsheet built)\n")
    code, _, err = _check(str(tmp_path))
    assert code == 2 and "a folder, not a PDF" in err and err.count("\n") == 1


@settings(max_examples=300)
@given(st.lists(st.one_of(st.binary(max_size=12), st.integers(-1000, 1000)), max_size=12))
def test_tj_strings_read_from_qpdfs_unparsed_text_are_the_strings(items: list[bytes | int]) -> None:
    import pikepdf

    from pipeline.checks.report import _strings

    array = pikepdf.Array([pikepdf.String(item) if isinstance(item, bytes) else item for item in items])
    assert _strings(array) == [item for item in items if isinstance(item, bytes)]


_ZERO_PRONE = st.lists(st.sampled_from(b"\x00\x00\x00\x300()\\\x01\xff\n\r"), max_size=12).map(bytes)
"""Strings of the bytes that make zero pairs and the escapes qpdf writes: a random string seldom holds two zeros."""


@settings(max_examples=400)
@given(st.lists(st.one_of(st.binary(max_size=12), _ZERO_PRONE, st.integers(-1000, 1000),
                          st.floats(-1000, 1000, allow_nan=False).map(lambda kern: round(kern, 3))), max_size=12))
def test_an_identity_fonts_notdefs_are_its_strings_zero_pairs(items: list[bytes | int | float]) -> None:
    """The .notdef codes of a WeasyPrint font (Identity-H, no CIDToGIDMap) are the codes of two zero
    bytes in each string, whether or not the TJ array's unparsed text is read first."""
    import pikepdf

    from pipeline.checks.report import _Font

    font = _Font(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
                                    BaseFont=pikepdf.Name("/ABCDEF+NotoSerifCJKsc-Regular"),
                                    Encoding=pikepdf.Name("/Identity-H"),
                                    DescendantFonts=pikepdf.Array([pikepdf.Dictionary()])))
    assert font.identity and font.gid_of is None
    strings = [item for item in items if isinstance(item, bytes)]
    expected = [0 for data in strings for at in range(0, len(data) - 1, 2) if data[at] == 0 and data[at + 1] == 0]
    array = pikepdf.Array([pikepdf.String(item) if isinstance(item, bytes) else item for item in items])
    assert font.notdef_codes(array) == expected
    for data in strings:
        assert font.notdef_codes(pikepdf.String(data)) == [0] * sum(
            data[at] == 0 and data[at + 1] == 0 for at in range(0, len(data) - 1, 2))


@settings(max_examples=300)
@given(st.lists(st.one_of(st.binary(max_size=9), st.integers(-500, 500)), max_size=10),
       st.frozensets(st.integers(0, 300), max_size=40), st.booleans())
def test_a_compact_fonts_notdefs_are_the_codes_it_does_not_draw(items: list[bytes | int], drawn: frozenset[int],
                                                               mapped: bool) -> None:
    """Under Identity-H, a bare CFF program (its charset's CIDs) or a /CIDToGIDMap (its non-zero
    entries) says which codes draw: every other code, and code 0, is .notdef, in operand order."""
    import pikepdf

    from pipeline.checks.report import _Font

    font = _Font(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
                                    BaseFont=pikepdf.Name("/ABCDEF+NotoSerifCJKsc-Regular"),
                                    Encoding=pikepdf.Name("/Identity-H"),
                                    DescendantFonts=pikepdf.Array([pikepdf.Dictionary()])))
    if mapped:
        font.gid_of = b"".join((7 if cid in drawn else 0).to_bytes(2, "big") for cid in range(301))
    else:
        font.cids = drawn
    strings = [item for item in items if isinstance(item, bytes)]
    codes = [int.from_bytes(data[at:at + 2], "big") for data in strings for at in range(0, len(data) - 1, 2)]
    expected = [code for code in codes if code == 0 or code not in drawn]
    assert [code for code in codes if font.is_notdef(code)] == expected
    array = pikepdf.Array([pikepdf.String(item) if isinstance(item, bytes) else item for item in items])
    assert font.notdef_codes(array) == expected


def test_a_horizontal_editions_preflight_loads_no_vertical_checks(pdfs: dict[str, Path]) -> None:
    """What a build of horizontal editions never uses is not loaded (each process would pay for it)."""
    import subprocess
    import sys

    script = ("import sys\nfrom pipeline.checks import run_checks\nfrom pipeline.checks.grid import _spaced_han\n"
              "from pipeline.editions import EDITIONS\n"
              f"report = run_checks({str(pdfs['good'])!r}, None, EDITIONS['zh-Hans'])\n"
              "print(report.problems(), 'pipeline.checks.vertical' in sys.modules,\n"
              "      _spaced_han.cache_info().currsize)\n")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out == "[] False 0\n"
    assert run_checks(pdfs["good"], None, None).vertical is None  # an unknown edition is read for its direction
