"""What the print shop asks for: bleed and crop marks, PDF/X-4 in CMYK with an output intent, reproducibly."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from pipeline.checks import check_pdf, run_checks
from pipeline.cli import main
from pipeline.engine import press
from pipeline.errors import ConfigErrors
from pipeline.model import Paper
from pipeline.project.config import load_config

PAGE = "县里召开会议\n\n会议指出，要抓好秋粮收购工作，确保\n农民增收。会议要求各乡镇认真落实。\n（张三 李四）\n"
MM = 72 / 25.4
SRGB = Path(pikepdf.__file__).parent / "pdfa" / "data" / "sRGB.icc"
needs_profile = pytest.mark.skipif(not press.SYSTEM_PROFILE.is_file(),
                                   reason=f"no CMYK profile: apt-get install {press.PROFILE_PACKAGE}")


def _publication(root: Path, paper: str = "", pdf: str = "", date: str = "date: 2022-03-04",
                 pages: int = 1) -> Path:
    (root / "source").mkdir(parents=True)
    names = ["a", "b"][:pages]
    for name in names:
        (root / "source" / f"{name}.txt").write_text(PAGE, encoding="utf-8")
    config = root / "broadsheet.yaml"
    listing = ", ".join(f"source/{name}.txt" for name in names)
    config.write_text(f"publication: {{name: 测试县报, {date}}}\n"
                      f"paper: {{size: A4, columns: 3, body_size: 10pt, pages: 1{paper}}}\n"
                      f"editions: [zh-Hans]\npages: [{listing}]\n{pdf}", encoding="utf-8")
    return config


def _build(config: Path) -> tuple[int, str]:
    err = io.StringIO()
    code = main(["build", "--config", str(config), "--jobs", "1", "-q"], stdout=io.StringIO(), stderr=err)
    return code, err.getvalue()


def _boxes_mm(pdf: Path) -> dict[str, list[float]]:
    with pikepdf.open(pdf) as document:
        page = document.pages[0].obj
        return {box: [round(float(v) / MM, 2) for v in page[f"/{box}"]] for box in ("MediaBox", "TrimBox", "BleedBox")}


# ----------------------------------------------------------------------------- config


def test_bleed_marks_and_pdfx4_are_read_from_the_config(tmp_path: Path) -> None:
    config = load_config(_publication(tmp_path, ", bleed: 3, marks: crop", "pdf: {variant: pdf/x-4}\n"))
    assert (config.paper.bleed_mm, config.paper.marks, config.pdf_variant) == (3.0, "crop", "pdf/x-4")


def test_bad_print_settings_are_errors_at_their_lines(tmp_path: Path) -> None:
    (tmp_path / "rgb.icc").write_bytes(SRGB.read_bytes())
    (tmp_path / "junk.icc").write_bytes(b"not a profile")
    path = _publication(tmp_path, ", bleed: 30, marks: trim",
                        "pdf:\n  variant: pdf/x-3\n  output_profile: rgb.icc\n")
    with pytest.raises(ConfigErrors) as caught:
        load_config(path)
    assert str(caught.value).splitlines() == [
        f"{path}:2: paper.bleed: expected a number 0–10, got 30",
        f"{path}:2: paper.marks: expected one of none, crop, cross, crop cross, got 'trim'",
        f"{path}:6: pdf.variant: pdf/x-3 is not supported: of the PDF/X variants only pdf/x-4 is written (use one "
        "of pdf/a-1b, pdf/a-2b, pdf/a-2u, pdf/a-3b, pdf/a-3u, pdf/a-4u, pdf/ua-1, pdf/x-4)",
        f"{path}:7: pdf.output_profile: not a CMYK printer profile (colour space RGB, class mntr) "
        "(PDF/X's output intent is the press's CMYK profile)",
    ]
    path.write_text(path.read_text(encoding="utf-8").replace("rgb.icc", "junk.icc"), encoding="utf-8")
    with pytest.raises(ConfigErrors) as caught:
        load_config(path)
    assert f"{path}:7: pdf.output_profile: not an ICC profile (give a CMYK printer profile (.icc))" \
        in str(caught.value).splitlines()


@needs_profile
def test_pdfx_without_a_date_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = _publication(tmp_path, pdf="pdf: {variant: pdf/x-4}\n", date="issue: 第1期")
    code, err = _build(config)
    assert code == 2
    assert err == (f"broadsheet: error: {config}: pdf.variant: pdf/x-4 needs a date: its metadata must carry one, "
                   "and the clock would make every build differ (set publication.date, or SOURCE_DATE_EPOCH)\n")
    assert not (tmp_path / "output" / "zh-Hans").exists()


# ----------------------------------------------------------------------------- the page box


def test_press_css_grows_the_sheet_for_marks_outside_the_bleed() -> None:
    assert press.press_css(Paper(), None) == ""
    assert press.press_css(Paper(bleed_mm=3.0), None) == "@page { bleed: 3mm; marks: none; }\n"
    css = press.press_css(Paper(bleed_mm=3.0, marks="crop cross"), "pdf/x-4", press.SYSTEM_PROFILE)
    assert css.startswith("@page { bleed: 10mm; marks: crop cross; }\n@color-profile device-cmyk { src: url(")
    assert "--ink: device-cmyk(0 0 0 0.93);" in css


def _weasy(paper: Paper, variant: str | None = None, profile: Path | None = None) -> bytes:
    # Dated as the build dates pages: without a date WeasyPrint's PDF/X stamps the clock.
    html = ("<html lang='zh-Hans'><meta name=dcterms.created content=2022-03-04T00:00:00+00:00>"
            "<meta name=dcterms.modified content=2022-03-04T00:00:00+00:00>"
            f"<style>@page {{ size: 100mm 80mm; margin: 10mm }} "
            f"{(Path(__file__).parents[1] / 'styles' / 'page.css').read_text(encoding='utf-8')}"
            f"{press.press_css(paper, variant, profile)}</style><body>正文</body></html>")
    document = weasyprint.HTML(string=html).render()
    return bytes(document.write_pdf(pdf_variant=variant) if variant else document.write_pdf())


def test_the_bleed_box_is_the_trim_grown_by_the_bleed(tmp_path: Path) -> None:
    paper = Paper(bleed_mm=3.0, marks="crop")
    raw = _weasy(paper)
    assert press.finish_pdf(raw, Paper(), None) is raw  # nothing asked for: the bytes stay WeasyPrint's
    (tmp_path / "p.pdf").write_bytes(press.finish_pdf(raw, paper, None))
    assert _boxes_mm(tmp_path / "p.pdf") == {"MediaBox": [-10.0, -10.0, 110.0, 90.0],
                                             "TrimBox": [0.0, 0.0, 100.0, 80.0],
                                             "BleedBox": [-3.0, -3.0, 103.0, 83.0]}


@needs_profile
def test_pdfx_marks_are_cmyk_black_and_the_document_id_follows_the_content() -> None:
    paper = Paper(bleed_mm=3.0, marks="crop")
    raw = [_weasy(paper, "pdf/x-4", press.SYSTEM_PROFILE) for _ in range(2)]
    ids = [re.findall(rb"xmp\.did:[0-9a-f-]{36}", pdf) for pdf in raw]
    assert ids[0] != ids[1]  # WeasyPrint stamps a random uuid4 ...
    finished = [press.finish_pdf(pdf, paper, "pdf/x-4") for pdf in raw]
    assert finished[0] == finished[1]  # ... which finish_pdf derives from the content
    other = press.finish_pdf(_weasy(Paper(bleed_mm=2.0, marks="crop"), "pdf/x-4", press.SYSTEM_PROFILE),
                             Paper(bleed_mm=2.0, marks="crop"), "pdf/x-4")
    with pikepdf.open(io.BytesIO(finished[0])) as one, pikepdf.open(io.BytesIO(other)) as two:
        did = [re.findall(rb"xmp\.did:[0-9a-f-]{36}", pdf.Root.Metadata.read_bytes()) for pdf in (one, two)]
        assert did[0] != did[1] and did[0] != [press.ZERO_ID.encode()]
        marks = next(iter(one.pages[0].Resources.XObject.values())).read_bytes()
        assert b" rg" not in marks and b" RG" not in marks and b"0 0 0 1 K" in marks
    report = run_checks(finished[0], None, None, name="x.pdf")
    assert report.press is not None and report.press.pdfx == "PDF/X-4" and report.press.problems() == []
    assert report.press.summary() == ("print: claims PDF/X-4; output intent Artifex CMYK SWOP Profile (4-component "
                                      "profile embedded); every page has a TrimBox; bleed 3.0 mm, 0 DeviceRGB use(s)")


def test_a_pdfx_claim_without_intent_or_cmyk_fails_preflight() -> None:
    # WeasyPrint's own PDF/X-4 of a page in sRGB: it claims X-4, embeds no output intent, sets RGB.
    pdf = weasyprint.HTML(string="<html><body style='color: #123456'>正文</body></html>").write_pdf(
        pdf_variant="pdf/x-4")
    report = run_checks(pdf, None, None, name="x.pdf")
    assert report.press is not None and report.press.pdfx == "PDF/X-4"
    assert report.press.problems() == [
        "x.pdf: print: claims PDF/X-4 but has no /GTS_PDFX output intent with an embedded printer profile",
        "x.pdf: print: DeviceRGB colour in a PDF/X-4 file with a CMYK output intent (page 1)",
    ]
    assert set(report.press.problems()) <= set(report.problems())
    plain = run_checks(weasyprint.HTML(string="<p>正文</p>").write_pdf(), None, None, name="p.pdf")
    assert plain.press is not None and plain.press.pdfx is None and plain.press.problems() == []


# ----------------------------------------------------------------------------- builds


@needs_profile
def test_pdfx4_builds_are_byte_identical_across_folders(tmp_path: Path) -> None:
    settings = {"paper": ", bleed: 3, marks: crop", "pdf": "pdf: {variant: pdf/x-4}\n", "pages": 2}
    first = _publication(tmp_path / "one", **settings)
    second = _publication(tmp_path / "elsewhere" / "two", **settings)
    assert _build(first)[0] == 0 and _build(second)[0] == 0
    pdfs = [root / "output" / "zh-Hans" / "a.pdf" for root in (first.parent, second.parent)]
    assert pdfs[0].read_bytes() == pdfs[1].read_bytes()
    shutil.rmtree(first.parent / "output")
    assert _build(first)[0] == 0 and pdfs[0].read_bytes() == pdfs[1].read_bytes()  # and across runs
    assert _boxes_mm(pdfs[0])["BleedBox"] == [-3.0, -3.0, 213.0, 300.0]
    report = check_pdf(pdfs[0])
    assert report.press is not None and report.press.pdfx == "PDF/X-4"
    assert report.press.bleed_mm == pytest.approx(3.0, abs=0.001)
    assert report.press.problems() == [] and all(font.embedded for font in report.fonts.fonts)
    assert report.ok, report.problems()
    # The combined issue is PDF/X-4 too, with its own document ID, and as reproducible.
    issues = [root / "output" / "zh-Hans" / "issue.pdf" for root in (first.parent, second.parent)]
    assert issues[0].read_bytes() == issues[1].read_bytes()
    issue = check_pdf(issues[0])
    assert issue.press is not None and issue.press.pdfx == "PDF/X-4" and issue.press.problems() == []
    with pikepdf.open(issues[0]) as merged, pikepdf.open(pdfs[0]) as page:
        ids = [re.findall(rb"xmp\.did:[0-9a-f-]{36}", pdf.Root.Metadata.read_bytes()) for pdf in (merged, page)]
        assert ids[0] and ids[0] != ids[1]


@needs_profile
def test_a_one_page_pdfx_issue_is_its_pages_file(tmp_path: Path) -> None:
    config = _publication(tmp_path, paper=", bleed: 3, marks: crop", pdf="pdf: {variant: pdf/x-4}\n")
    assert _build(config)[0] == 0
    folder = tmp_path / "output" / "zh-Hans"
    assert (folder / "issue.pdf").read_bytes() == (folder / "a.pdf").read_bytes()
    issue = check_pdf(folder / "issue.pdf")
    assert issue.press is not None and issue.press.pdfx == "PDF/X-4" and issue.press.problems() == []


@needs_profile
def test_the_output_profile_is_an_input_of_the_page(tmp_path: Path) -> None:
    config = _publication(tmp_path, pdf="pdf: {variant: pdf/x-4, output_profile: source/press.icc}\n")
    profile = tmp_path / "source" / "press.icc"
    profile.write_bytes(press.SYSTEM_PROFILE.read_bytes())

    def build() -> str:
        out = io.StringIO()
        assert main(["build", "--config", str(config), "--jobs", "1"], stdout=out, stderr=io.StringIO()) == 0
        return out.getvalue()

    assert build().startswith("built 1 of 1")
    assert build().startswith("nothing to do")
    profile.write_bytes(profile.read_bytes() + b"\0" * 4)  # the plant sent a new profile
    assert build().startswith("built 1 of 1")


@needs_profile
def test_the_publications_output_profile_travels_to_cluster_workers(tmp_path: Path) -> None:
    from pipeline.engine.paginate import Numbering
    from pipeline.project.build import PageJob
    from pipeline.project.cluster import _rebased, shared_files

    config_path = _publication(tmp_path / "paper", pdf="pdf: {variant: pdf/x-4, output_profile: source/press.icc}\n")
    (tmp_path / "paper" / "source" / "press.icc").write_bytes(press.SYSTEM_PROFILE.read_bytes())
    config = load_config(config_path)
    shared = dict(shared_files(config).items)
    assert shared["source/press.icc"] == press.SYSTEM_PROFILE.read_bytes()
    job = PageJob(index=0, edition=config.editions[0], config=config, numbering=Numbering(), key="k")
    moved = _rebased(job, tmp_path / "worker", tmp_path / "out")
    assert moved.config.output_profile == tmp_path / "worker" / "source" / "press.icc"


def test_pdfx_without_a_profile_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(press, "SYSTEM_PROFILE", tmp_path / "missing.icc")
    config = _publication(tmp_path, pdf="pdf: {variant: pdf/x-4}\n")
    code, err = _build(config)
    assert code == 2
    assert err == (f"broadsheet: error: {config}: pdf.output_profile: pdf/x-4 needs a CMYK output profile and none "
                   "is installed (apt-get install libgs-common, or set pdf.output_profile to the press's .icc)\n")
    assert not (tmp_path / "output" / "zh-Hans").exists()
