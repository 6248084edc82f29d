"""Layout: sheets and jump lines, escaping, the editions' faces and languages in the HTML."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from pipeline.checks.grid import FOOT_TARGET, analyse_grid_pdf
from pipeline.cli import main
from pipeline.editions import EDITIONS
from pipeline.engine.render import check_stylesheet
from pipeline.model import Article, Caption, Page, Paragraph
from pipeline.project.config import Paper, Publication, packaged_dir
from pipeline.typeset.html import (
    GUTTER_MAX_EM,
    GUTTER_MIN_EM,
    Break,
    LayoutSettings,
    banner_size,
    describe_grid,
    layout_page,
    make_environment,
    make_grid,
    plan_sheets,
)

PAGE = Page(
    source="t.txt",
    articles=(
        Article((Paragraph("第一段正文。", lead=None), Paragraph("第二段开头。然后继续。", lead="第二段开头。")),
                headline="头条标题", byline=("张三",)),
        Article((Paragraph("另一篇文章的正文。"),), kicker="引题", headline="主题", byline=("李四", "王五"),
                credit="本报记者"),
    ),
    captions=(Caption("图片说明"),),
)


def _html(page: Page, edition: str = "zh-Hans", **kwargs: object) -> str:
    settings = LayoutSettings(Publication(name="测试报"), Paper(), ("",))
    return layout_page(page, EDITIONS[edition], settings, make_environment([packaged_dir("layouts")]), **kwargs)


def test_one_sheet_without_breaks() -> None:
    (sheet,) = plan_sheets(PAGE, 6)
    assert [m.index for m in sheet.modules] == [0, 1]
    assert all(m.show_titles and m.show_byline and m.jump_to is None for m in sheet.modules)
    # The caption stands in the article it belongs to (one with no source lines: the first).
    assert sheet.modules[0].captions == PAGE.captions and sheet.captions == ()


def test_break_inside_a_paragraph_splits_it_with_jump_lines() -> None:
    first, second = plan_sheets(PAGE, 6, [Break(0, 1, 3)])
    module = first.modules[-1]
    assert [p.text for p in module.pieces] == ["第一段正文。", "第二段"]
    assert module.jump_to == 2 and not module.show_byline
    assert module.pieces[-1].continues and module.pieces[-1].lead is None
    cont = second.modules[0]
    assert not cont.show_titles and cont.jump_from == 1 and cont.show_byline
    assert [p.text for p in cont.pieces] == ["开头。然后继续。"] and cont.pieces[0].continued
    assert [m.index for m in second.modules] == [0, 1]
    assert (first.folio.number, first.folio.total, second.folio.number) == (1, 2, 2)


def test_break_between_articles_needs_no_jump() -> None:
    first, second = plan_sheets(PAGE, 6, [Break(0, 1, len(PAGE.articles[0].paragraphs[1].text))])
    assert [m.index for m in first.modules] == [0] and first.modules[0].jump_to is None
    assert [m.index for m in second.modules] == [1] and second.modules[0].show_titles


def test_every_character_is_on_exactly_one_sheet() -> None:
    whole = "".join(p.text for a in PAGE.articles for p in a.paragraphs)
    for offset in range(len(PAGE.articles[0].paragraphs[1].text) + 1):
        sheets = plan_sheets(PAGE, 6, [Break(0, 1, offset)])
        laid = "".join(p.text for s in sheets for m in s.modules for p in m.pieces)
        assert laid == whole


def test_numbering_continues_from_earlier_pages() -> None:
    sheets = plan_sheets(PAGE, 6, [Break(0, 1, 3)], first_number=4, total=9)
    assert [(s.folio.number, s.folio.total) for s in sheets] == [(4, 9), (5, 9)]
    assert sheets[0].modules[-1].jump_to == 5 and sheets[1].modules[0].jump_from == 4


@pytest.mark.parametrize(("edition", "face", "verb"), [
    ("zh-Hans", "Noto Serif CJK SC", "下转"),
    ("zh-TW", "Noto Serif CJK TC", "下轉"),
    ("zh-HK", "Noto Serif CJK HK", "下轉"),
])
def test_html_names_the_editions_face_language_and_jump_words(edition: str, face: str, verb: str) -> None:
    html = _html(PAGE, edition, sheets=plan_sheets(PAGE, 6, [Break(0, 1, 3)]))
    assert f'<html lang="{EDITIONS[edition].lang}">' in html
    assert f'--serif: "{face}"' in html
    assert f"（{verb}第2版）" in html and "（上接第1版）" in html


def test_untrusted_text_is_escaped() -> None:
    hostile = Page("t.txt", (Article((Paragraph("<script>alert(1)</script>{{ 7*7 }}</p><img src=file:///etc/passwd>"),),
                                     headline="<b>标题</b>"),))
    html = _html(hostile)
    assert "<script>" not in html and "<img src=file" not in html and "<b>标题" not in html
    assert "<script" not in html and html.count("&lt;") >= 4
    text = re.sub(r"<[^>]+>", "", html).replace("\N{WORD JOINER}", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in text


def test_caption_without_image_is_a_caption_line_in_its_article() -> None:
    html = _html(PAGE)
    article = html[html.index('data-article="0"'):html.index('data-article="1"')]
    assert 'class="caption-module caption-alone"' in article and "图片说明" in article
    assert "boxed" not in html and "<img" not in html


def test_banner_size_fits_one_line() -> None:
    assert banner_size("短标题", Paper()) == 42.0
    assert banner_size("一" * 40, Paper(width_mm=272.0)) < 20


def test_stylesheet_problems_name_the_file_and_line(tmp_path: Path) -> None:
    warnings = check_stylesheet("styles/page.css", "p { colr: red }\n\nq { font-size: banana }\n", [tmp_path])
    assert warnings == ["styles/page.css: Ignored `colr: red ` at 1:5, unknown property.",
                        "styles/page.css: Ignored `font-size: banana ` at 3:5, invalid value."]


def test_packaged_styles_are_clean() -> None:
    for path in sorted(packaged_dir("styles").glob("*.css")):
        assert check_stylesheet(path.name, path.read_text(encoding="utf-8"), [packaged_dir("styles")]) == []


@pytest.mark.parametrize("paper", [
    Paper(),
    Paper(size="tabloid", width_mm=272.0, height_mm=390.0, columns=5),
    Paper(size="A4", width_mm=210.0, height_mm=297.0, columns=3, body_size=10.0),
    Paper(columns=8, body_size=9.0),
    Paper(columns=1),
])
def test_column_measures_are_whole_body_ems_and_fill_the_page(paper: Paper) -> None:
    grid = make_grid(paper)
    room = (paper.width_mm - 2 * paper.margin_mm) * 72 / 25.4
    assert grid.measure_pt == grid.measure_em * paper.body_size
    # The grid and the two side margins fill the paper's width; the margins never shrink.
    assert grid.width_pt + 2 * grid.side_pt == pytest.approx(paper.width_mm * 72 / 25.4)
    assert grid.side_pt >= paper.margin_mm * 72 / 25.4 - 1e-9
    assert grid.width_pt <= room + 1e-9
    if paper.columns > 1:
        assert GUTTER_MIN_EM * paper.body_size - 1e-9 <= grid.gutter_pt <= GUTTER_MAX_EM * paper.body_size + 1e-9
        # One more em per column would not fit with the narrowest gutters.
        assert paper.columns * (grid.measure_em + 1) * paper.body_size \
            + (paper.columns - 1) * GUTTER_MIN_EM * paper.body_size > room
    assert f"{paper.columns} columns × {grid.measure_em} em" in describe_grid(paper)


def test_side_by_side_cells_span_whole_columns_of_the_grid() -> None:
    long = Article((Paragraph("甲" * 300),), headline="甲文")
    short = Article((Paragraph("乙" * 150),), headline="乙文")
    page = Page("t.txt", (Article((Paragraph("头" * 50),), headline="头条"), long, short))
    html = _html(page)
    grid = make_grid(Paper())
    widths = [float(value) for value in re.findall(r'class="module-cell" style="width: ([0-9.]+)pt"', html)]
    assert widths == [pytest.approx(grid.span_pt(4), abs=0.001), pytest.approx(grid.span_pt(2), abs=0.001)]
    assert sum(widths) + grid.gutter_pt == pytest.approx(grid.width_pt, abs=0.01)
    assert f"--gutter: {grid.gutter_pt:.3f}pt" in html and f"margin: 18mm {grid.side_pt:.3f}pt" in html


def test_a_byline_sits_on_the_body_grid_so_column_feet_stay_within_a_line(tmp_path: Path) -> None:
    # 26-culture on a six-column broadsheet: 2, 2, 1, 1, 1 lines and 1 + the byline. A byline
    # dropped half an em (and set on the Kai face's own baseline) ended 1.27 lines under the
    # one-line columns.
    corpus = Path(__file__).parent / "data" / "corpus" / "clean" / "26-culture.txt"
    (tmp_path / "source").mkdir()
    shutil.copy(corpus, tmp_path / "source" / corpus.name)
    (tmp_path / "broadsheet.yaml").write_text(
        "publication: {name: 测试县报, date: 2022-03-04}\n"
        "paper: {size: broadsheet, columns: 6, body_size: 9.5pt, pages: 3}\n"
        f"editions: [zh-Hans]\npages:\n  - source: source/{corpus.name}\n", encoding="utf-8")
    code = main(["build", "--config", str(tmp_path / "broadsheet.yaml"), "--jobs", "1", "-q"],
                stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    report = analyse_grid_pdf(tmp_path / "output" / "zh-Hans" / "26-culture.pdf")
    feet = [value for page in report.pages for value in page.feet]
    assert feet and max(feet) <= FOOT_TARGET + 0.01
