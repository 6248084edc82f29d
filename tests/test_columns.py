"""Planned columns as boxes side by side (html.ColumnPlan.explicit), read in reading order at a page
foot (render.find_page_ends), one layout per render, and stylesheets parsed once per process."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import jinja2
import pytest

from pipeline.editions import EDITIONS
from pipeline.engine import render
from pipeline.engine.paginate import Numbering, paginate
from pipeline.engine.render import find_page_ends, parsed_stylesheets, render_document
from pipeline.model import Article, Page, Paragraph
from pipeline.project.config import Paper, Publication, packaged_dir
from pipeline.typeset.html import LayoutSettings, layout_page, make_environment, make_grid
from pipeline.typeset.metrics import Metrics

TEXT = ("五年来，全县上下坚持以高质量发展为主题，统筹推进稳增长、促改革、调结构、惠民生、防风险各项工作，"
        "经济社会发展取得了新的显著成就。")
STYLES = tuple((packaged_dir("styles") / name).read_text(encoding="utf-8")
               for name in ("page.css", "typography.css", "zh-Hans.css"))


def _settings(paper: Paper, boxes: bool = True) -> LayoutSettings:
    return LayoutSettings(Publication(name="测试报"), paper, STYLES, metrics=Metrics(), column_boxes=boxes)


def _page(paragraphs: int) -> Page:
    return Page("p", (Article(tuple(Paragraph(TEXT * 3) for _ in range(paragraphs)), headline="县里召开工作会议",
                              byline=("张三", "李四")),))


def _render(html: str, tmp_path: Path) -> Any:
    return render_document(html, tmp_path, [packaged_dir("styles"), packaged_dir("layouts")])[0]


def _lines(document: Any) -> list[tuple[int, str, float, float]]:
    """Every body line: page, text, x and y of its line box."""
    found = []

    def walk(box: Any, number: int) -> None:
        element = getattr(box, "element", None)
        if element is not None and "ln" in (element.get("class") or "").split() and type(box).__name__ == "LineBox":
            text = "".join(getattr(leaf, "text", "") for leaf in _leaves(box))
            found.append((number, text, round(box.position_x, 2), round(box.position_y, 2)))
            return
        for child in getattr(box, "children", ()):
            walk(child, number)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number)
    return found


def _leaves(box: Any) -> list[Any]:
    children = getattr(box, "children", None)
    return [box] if children is None else [leaf for child in children for leaf in _leaves(child)]


def test_planned_columns_are_boxes_where_css_columns_put_their_lines(tmp_path: Path) -> None:
    paper = Paper()
    env = make_environment([packaged_dir("layouts")])
    page = _page(4)
    boxed = layout_page(page, EDITIONS["zh-Hans"], _settings(paper), env)
    flowing = layout_page(page, EDITIONS["zh-Hans"], _settings(paper, boxes=False), env)
    assert 'class="columns set"' in boxed and boxed.count('<div class="col">') == paper.columns
    assert 'class="columns set"' not in flowing and "column-fill: auto" in flowing
    import weasyprint.layout.block as block

    calls = []
    original = block.columns_layout

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    block.columns_layout = counted
    try:
        boxes = _render(boxed, tmp_path)
        assert not calls  # no CSS columns to fill: each line is laid out once
        columns = _render(flowing, tmp_path)
        assert calls
    finally:
        block.columns_layout = original
    lines = _lines(boxes)
    assert len(lines) > 2 * paper.columns and lines == _lines(columns)
    # The rule between two columns is the left border of the second, where column-rule stands.
    grid = make_grid(paper)
    cells = [box for box in _walk(boxes.pages[0]._page_box) if type(box).__name__ == "TableCellBox"]
    assert len(cells) == paper.columns
    for left, right in zip(cells, cells[1:], strict=False):
        assert right.border_left_width == pytest.approx(0.4 * 4 / 3)  # px
        rule_x = right.content_box_x() - (right.border_left_width + grid.gutter_pt * 4 / 3) / 2
        assert right.border_box_x() == pytest.approx(rule_x, abs=1e-3)
        assert right.border_height() == pytest.approx(max(cell.border_height() for cell in cells))
        assert right.content_box_x() - left.content_box_x() == pytest.approx((grid.measure_pt + grid.gutter_pt) * 4 / 3)


def _walk(box: Any) -> list[Any]:
    return [box, *(found for child in getattr(box, "children", ()) for found in _walk(child))]


@pytest.mark.parametrize("height_mm", [120, 150, 175])
def test_a_page_foot_ends_column_boxes_where_it_ends_css_columns(tmp_path: Path, height_mm: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # The boxes print the top of every column on the first page; pagination must cut the story
    # where CSS columns, filled column by column, would have ended that page.
    paper = dataclasses.replace(Paper(), height_mm=height_mm)
    env = make_environment([packaged_dir("layouts")])
    page = _page(12)
    boxes = _render(layout_page(page, EDITIONS["zh-Hans"], _settings(paper), env), tmp_path)
    columns = _render(layout_page(page, EDITIONS["zh-Hans"], _settings(paper, boxes=False), env), tmp_path)
    assert len(boxes.pages) > 1 and len(columns.pages) > 1
    assert find_page_ends(boxes)[0] == find_page_ends(columns)[0]
    # Read box by box, the first page would end in its last column, far past that.
    monkeypatch.setattr(render, "_column_sets_in_reading_order", lambda pages: {})
    assert find_page_ends(boxes)[0] != find_page_ends(columns)[0]


def _paginate(page: Page, paper: Paper, tmp_path: Path, boxes: bool) -> tuple[str, Any, list[str], list[Any], set[int]]:
    def render(html: str) -> tuple[Any, list[str], list[str]]:
        return render_document(html, tmp_path, [packaged_dir("styles"), packaged_dir("layouts")])

    return paginate(page, EDITIONS["zh-Hans"], _settings(paper, boxes), make_environment([packaged_dir("layouts")]),
                    Numbering(), render)


def test_pagination_with_column_boxes_cuts_and_prints_as_with_css_columns(tmp_path: Path) -> None:
    paper = dataclasses.replace(Paper(), height_mm=200, pages=3)
    page = _page(12)
    html, document, _, breaks, _ = _paginate(page, paper, tmp_path, boxes=True)
    flowing_html, flowing, _, flowing_breaks, _ = _paginate(page, paper, tmp_path, boxes=False)
    assert breaks and breaks == flowing_breaks and len(document.pages) == len(flowing.pages) == len(breaks) + 1
    assert 'class="columns set"' in html and 'class="columns set"' not in flowing_html
    assert _lines(document) == _lines(flowing)


def test_a_page_past_its_budget_runs_on_in_css_columns(tmp_path: Path) -> None:
    # Past the budget the page is not cut: what runs on must run on in reading order.
    paper = dataclasses.replace(Paper(), height_mm=150, pages=1)
    html, document, warnings, _, _ = _paginate(_page(12), paper, tmp_path, boxes=True)
    assert any("over the page budget" in warning for warning in warnings)
    assert len(document.pages) > 1 and 'class="columns set"' not in html and "column-fill: auto" in html


def test_a_render_lays_each_page_out_once(tmp_path: Path) -> None:
    # cProfile counts layout_document twice per render: it is a generator, resumed once more to
    # finish. The page itself is made once; page-based counters would make WeasyPrint make it again.
    import weasyprint.layout.page as page_layout

    html = layout_page(_page(4), EDITIONS["zh-Hans"], _settings(Paper()), make_environment([packaged_dir("layouts")]))
    made = []
    original = page_layout.remake_page

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(1)
        return original(*args, **kwargs)

    page_layout.remake_page = counted
    try:
        document = _render(html, tmp_path)
        assert len(made) == len(document.pages) == 1
        made.clear()
        _render(html.replace("</style>", ".sheet::before { content: counter(pages) }</style>", 1), tmp_path)
        assert len(made) > 1  # what this test guards against: the page laid out again
    finally:
        page_layout.remake_page = original


def test_a_stylesheet_is_parsed_once_per_process_keeping_its_own_page_rules(tmp_path: Path) -> None:
    import weasyprint

    parses = []
    original = weasyprint.CSS.__init__

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        parses.append(kwargs.get("string", ""))
        original(self, *args, **kwargs)

    small = ("<html><head><style>@page { size: 100mm 100mm } p { margin: 0 }</style>{}</head>"
             "<body><p>甲</p></body></html>")
    wide = "<style>@page { size: 200mm 150mm }</style>"
    fonts = "<style>@font-face { font-family: X; src: local(Noto Serif CJK SC) }</style>"
    page = layout_page(_page(1), EDITIONS["zh-Hans"], _settings(Paper()), make_environment([packaged_dir("layouts")]))
    weasyprint.CSS.__init__ = counted  # type: ignore[method-assign]
    try:
        with parsed_stylesheets():
            first = weasyprint.HTML(string=small.replace("{}", wide)).render()
            again = weasyprint.HTML(string=small.replace("{}", "")).render()
            weasyprint.HTML(string=small.replace("{}", fonts)).render()
            weasyprint.HTML(string=small.replace("{}", fonts)).render()
        stock = weasyprint.HTML(string=small.replace("{}", "")).render()
        for _ in range(2):  # two pagination passes of a page, or two pages of an edition, in a worker
            _render(page, tmp_path)
    finally:
        weasyprint.CSS.__init__ = original  # type: ignore[method-assign]
    assert len([text for text in parses if "p { margin: 0 }" in text]) == 2  # once in the block, once outside
    assert len([text for text in parses if "@font-face" in text]) == 2  # its fonts belong to each render
    assert len([text for text in parses if ".columns.set" in text]) <= 1  # render_document's own
    # A sheet parsed beside another keeps its own @page rules: the next page is 100 mm square.
    assert round(first.pages[0].width) == round(200 / 25.4 * 96)
    assert round(again.pages[0].width) == round(again.pages[0].height) == round(100 / 25.4 * 96)
    assert (stock.pages[0].width, stock.pages[0].height) == (again.pages[0].width, again.pages[0].height)


def test_templates_are_compiled_once_per_process_for_every_edition_and_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.typeset import html as html_module

    page = Page("p", (Article((Paragraph("他说：“好。”" + TEXT),), headline="县里召开工作会议"),))
    paper = Paper()
    if hasattr(html_module, "_environment"):
        html_module._environment.cache_clear()  # the fresh environment below compiles its own
    fresh = {name: layout_page(page, EDITIONS[name], _settings(paper), make_environment([packaged_dir("layouts")]))
             for name in ("zh-Hans", "zh-TW")}
    assert fresh["zh-Hans"] != fresh["zh-TW"]  # the marks follow each edition's typography
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counted(self: Any, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name or "")
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    env = make_environment([packaged_dir("layouts")])
    assert env is make_environment([packaged_dir("layouts")])
    for name in ("zh-TW", "zh-Hans", "zh-TW"):  # editions and pagination passes in one worker
        assert layout_page(page, EDITIONS[name], _settings(paper), env) == fresh[name]
    assert compiled == []
    # The web edition's own `mark` (the build's parent renders it with the same environment) stays its own.
    from pipeline.typeset.web import render_web_page

    assert "好" in render_web_page(page, EDITIONS["zh-TW"], [], env, Publication(name="测试报"))
    assert layout_page(page, EDITIONS["zh-Hans"], _settings(paper), env) == fresh["zh-Hans"]


def test_the_html_parser_builds_each_pattern_once(tmp_path: Path) -> None:
    import tinyhtml5
    import tinyhtml5.inputstream as stream

    html = layout_page(_page(2), EDITIONS["zh-Hans"], _settings(Paper()), make_environment([packaged_dir("layouts")]))
    _render(html, tmp_path)  # installs the cache
    tinyhtml5.parse(html)
    # tinyhtml5 looks its text-run pattern up under this key, and stores it under another.
    text_run = stream.characters_until_regex.get((("&", "<", "\u0000"), False))
    assert text_run is not None and text_run.pattern == "[^\\x26\\x3c\\x00]+"


def test_a_one_column_story_is_one_box_not_css_columns(tmp_path: Path) -> None:
    # CSS columns of one column still balance: WeasyPrint laid the story out three times.
    paper = dataclasses.replace(Paper(), width_mm=120, columns=1)
    env = make_environment([packaged_dir("layouts")])
    page = _page(2)
    html = layout_page(page, EDITIONS["zh-Hans"], _settings(paper), env)
    assert 'data-columns="1"' in html and "column-count" not in html
    flowing = layout_page(page, EDITIONS["zh-Hans"], _settings(paper, boxes=False), env)
    assert _lines(_render(html, tmp_path)) == _lines(_render(flowing, tmp_path))
