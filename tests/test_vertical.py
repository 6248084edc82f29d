"""Vertical editions (直排): the sample in zh-TW-vertical and zh-HK-vertical, read back from glyph positions.

The build test reads the PDFs as a reader's eye does: bands top to bottom (cut at the rules
across the page), stories in a band right to left (cut at the rules down the page), a story's
tiers top to bottom, its lines right to left, each line top to bottom; and compares the body's
Han characters with the page's text in that order.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import json
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.checks.reader import Glyph, read_text_layer
from pipeline.checks.vertical import analyse_vertical, vertical_lines, vertical_problems
from pipeline.cli import main
from pipeline.editions import EDITIONS, Typography
from pipeline.errors import RenderError
from pipeline.model import Article, Page, Paper, Paragraph, Publication
from pipeline.project.config import load_config
from pipeline.text.chars import NO_LINE_END, NO_LINE_START, is_han
from pipeline.typeset.html import LayoutSettings
from pipeline.typeset.linebreak import break_paragraph
from pipeline.typeset.metrics import Metrics
from pipeline.typeset.photos import Picture, captions_by_article
from pipeline.typeset.vertical import (
    Story,
    VerticalFonts,
    classify_runs,
    make_vertical_grid,
    plan_vertical,
    set_paragraph,
    story_blocks,
    vertical_faces,
)

ROOT = Path(__file__).resolve().parent.parent
EDITIONS_BUILT = ("zh-TW-vertical", "zh-HK-vertical")
ORDER_TARGET = 0.98
"""The share of the body's Han characters that must read back in the page's order."""


# ----------------------------------------------------------------------------- pure layout


def test_short_numbers_stand_upright_and_long_ones_and_latin_are_turned() -> None:
    text = "第9版，28日，2021年，PM2.5，5G，120米"
    kinds = {text[start:end]: kind for start, end, kind in classify_runs(text)}
    assert kinds == {"9": "tcy", "28": "tcy", "2021": "turned", "PM2.5": "turned", "5G": "turned", "120": "tcy"}
    faces = vertical_faces(text)
    assert faces[1] == "tcy1" and faces[4:6] == ["tcy2", "tcy2"] and faces[0] == "body"
    assert faces[-4:] == ["tcy3", "tcy3", "tcy3", "body"]


def test_tate_chu_yoko_takes_one_em_along_the_line() -> None:
    fonts = VerticalFonts(Metrics({"tcy1": dict.fromkeys("0123456789", 1.0),
                                   "tcy2": dict.fromkeys("0123456789", 0.5),
                                   "tcy3": dict.fromkeys("0123456789", 1 / 3)}))
    (line,) = set_paragraph("第9版28日120米", 16, fonts, Typography(), indent=0)
    lengths = {cell.text: cell.length for cell in line.cells}
    assert lengths["9"] == 1.0 and lengths["28"] == 1.0 and lengths["120"] == pytest.approx(1.0)
    assert line.length == pytest.approx(7.0)


def test_paragraph_lines_fill_the_measure_and_keep_kinsoku() -> None:
    text = ("洪洞县坚持以人民为中心，推进高质量发展。全县新增就业岗位三千余个，“放管服”改革持续深化，"
            "营商环境不断优化。与此同时，乡村振兴、生态保护、民生保障各项工作扎实推进，群众获得感显著增强。") * 3
    lines = set_paragraph(text, 16, VerticalFonts(Metrics()), Typography())
    assert len(lines) > 10
    for line in lines[:-1]:
        assert line.length == pytest.approx(16.0)
    assert lines[0].lead == 2.0 and all(line.lead == 0 for line in lines[1:])
    assert "".join(line.text for line in lines) == text
    for line in lines:
        assert line.text[0] not in NO_LINE_START["basic"]
        assert line.text[-1] not in NO_LINE_END["basic"]


@given(st.text(alphabet="汉字文章，。、「」（）《》A1 2%-", min_size=1, max_size=160),
       st.integers(min_value=4, max_value=20), st.booleans())
@example("11111、《", 5, True)  # the breaker squeezed the 、 of a pair split at the line end
@example("1、1、1字《、）", 4, False)  # figures: the slack spreads over all gaps (western_first=False)
def test_no_character_is_lost_and_justified_lines_fill_the_measure(text: str, measure: int, compress: bool) -> None:
    typography = Typography(compress=compress)
    lines = set_paragraph(text, measure, VerticalFonts(Metrics()), typography)
    assert "".join(line.text for line in lines) == text
    if break_paragraph(text, measure, Metrics(), typography, 2.0, vertical_faces(text)) is not None:
        for line in lines[:-1]:  # justified lines end flush with the tier's foot
            assert line.length == pytest.approx(measure, abs=1e-6) or line.looseness == 0
        assert all(line.length <= measure + 1e-6 for line in lines)


def test_every_line_of_every_story_is_placed_once_across_sheets() -> None:
    fonts = VerticalFonts(Metrics())
    grid = make_vertical_grid(LayoutSettings(Publication(), Paper()))
    articles = [Article((Paragraph("汉字排版。" * (100 * (n + 1))),), headline=f"第{n}题", byline=("记者",))
                for n in range(6)]
    stories = [Story(n, a, tuple(story_blocks(a, grid.measure_em, fonts, Typography())), lead_story=n == 0)
               for n, a in enumerate(articles)]
    sheets = plan_vertical(stories, grid, fonts, Typography(), 7, 8, ("下转", "上接"))
    assert len(sheets) >= 2
    body = [line.text for story in stories for line in story.blocks]
    placed = [line.text for sheet in sheets for module in sheet for line in module.blocks if line.kind != "jump"]
    assert placed == body  # in order, none lost, none twice
    with pytest.raises(RenderError, match="more than 1 vertical sheets"):  # never silently dropped
        plan_vertical(stories, grid, fonts, Typography(), 7, 8, ("下转", "上接"), max_sheets=1)
    jumps = [line.text for sheet in sheets for module in sheet for line in module.blocks if line.kind == "jump"]
    assert len(jumps) % 2 == 0 and any(text.startswith("（下转") for text in jumps)
    for sheet, tiers in zip(sheets, [7, *[8] * 64], strict=False):
        for module in sheet:
            assert 0 <= module.slot and module.slot + module.width <= grid.slots
            assert module.tier + module.tiers <= tiers
            assert len(module.blocks) <= module.per_tier * module.tiers
            assert module.title_slots + module.per_tier <= module.width
        cells = [(m.tier + t, m.slot + s) for m in sheet for t in range(m.tiers) for s in range(m.width)]
        assert len(cells) == len(set(cells)), "modules overlap"


# ----------------------------------------------------------------------------- the vertical check


def _column(text: str, x: float, top: float, em: float = 10.0, upright: bool = True) -> list[Glyph]:
    return [Glyph(char, x, top - 0.88 * em - index * em, em, em, upright) for index, char in enumerate(text)]


def test_the_vertical_check_passes_clean_columns_and_flags_each_fault() -> None:
    lines = ["汉字汉字汉字汉字", "字汉字汉字汉字汉", "汉字汉字汉"]
    clean = [g for n, text in enumerate(lines) for g in _column(text, 500 - 15 * n, 700)]
    report = analyse_vertical([clean], ["".join(lines)])
    assert vertical_problems(report) == [] and report.nonfinal_lines == 2 and report.flush_lines == 2
    assert [line.text for line in vertical_lines(clean)] == lines

    # A line ending in a mark set in half an em (squeezed): its em box reaches past the measure.
    squeezed = _column("汉字汉字汉字汉", 500, 700) + [Glyph("。", 500, 700 - 0.88 * 10 - 7.5 * 10, 10, 10)]
    squeezed += [g for n, text in enumerate(["汉字汉字汉字汉字", "汉字汉"]) for g in _column(text, 485 - 15 * n, 700)]
    assert analyse_vertical([squeezed], [""]).flush_ratio == 1.0

    # Three digits condensed into one em (their em reads smaller) belong to the line they stand in.
    digits = [Glyph(d, 500 + n * 3.3, 700 - 0.88 * 10 - 2 * 10, 3.3, 8.2) for n, d in enumerate("120")]
    mixed = _column("汉字", 500, 700) + digits + _column("米汉字", 500, 670)
    assert [line.text for line in vertical_lines(mixed)] == ["汉字120米汉字"]

    bad_head = [g for n, text in enumerate(["汉字汉字", "，字汉字"]) for g in _column(text, 500 - 15 * n, 700)]
    assert "start with a forbidden mark" in " ".join(vertical_problems(analyse_vertical([bad_head], [""])))
    turned = _column("汉字", 500, 700, upright=False)
    assert "drawn turned" in " ".join(vertical_problems(analyse_vertical([turned], [""])))
    form = "\N{PRESENTATION FORM FOR VERTICAL LEFT CORNER BRACKET}"
    assert "presentation forms" in " ".join(vertical_problems(analyse_vertical([clean], [form])))
    loose = [Glyph(c, 500, 700 - i * 16.0, 10, 10) for i, c in enumerate("汉字汉字汉")]
    loose += _column("汉字汉字汉字", 485, 709)
    assert "looser than" in " ".join(vertical_problems(analyse_vertical([loose], [""])))


def test_writing_mode_is_an_edition_key(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "p.txt").write_text("标题\n\n正文。\n", encoding="utf-8")
    config = tmp_path / "broadsheet.yaml"
    config.write_text("pages: [source/p.txt]\neditions: [zh-TW, {name: zh-TW-v, base: zh-TW, "
                      "writing_mode: vertical-rl}]\n", encoding="utf-8")
    editions = {e.name: e for e in load_config(config).editions}
    assert editions["zh-TW"].writing_mode == "horizontal-tb"
    assert editions["zh-TW-v"] == dataclasses.replace(EDITIONS["zh-TW"], name="zh-TW-v", writing_mode="vertical-rl")
    config.write_text("pages: [source/p.txt]\neditions: [{name: v, base: zh-TW, writing_mode: vertical}]\n",
                      encoding="utf-8")
    err = io.StringIO()
    assert main(["build", "--config", str(config)], stdout=io.StringIO(), stderr=err) == 2
    assert "editions.0.writing_mode" in err.getvalue() and "vertical-rl" in err.getvalue()


# ----------------------------------------------------------------------------- the sample, built


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample page in both vertical editions (tests/data/vertical/broadsheet.yaml), --check on."""
    root = tmp_path_factory.mktemp("vertical") / "paper"
    root.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "vertical" / "broadsheet.yaml", root / "broadsheet.yaml")
    shutil.copytree(ROOT / "source", root / "source")
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", "--config", str(root / "broadsheet.yaml"), "--jobs", "2", "--check"], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert "warning" not in err.getvalue(), err.getvalue()
    return root / "output"


def _rules(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """The bounds (left, bottom, right, top) of the page's drawn paths: the rules."""
    return [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=4)]


def _reading_order(glyphs: list[Glyph], rules: list[tuple[float, float, float, float]], body: float,
                   width: float) -> str:
    """The page's Han characters of body size, in the order a reader takes them (see the module docstring)."""
    han = [g for g in glyphs if abs(g.em - body) < 0.05 * body]
    across = sorted({round(top) for left, bottom, right, top in rules if right - left > 0.9 * width
                     and top - bottom < 3}, reverse=True)
    downs = [(left, bottom, top) for left, bottom, right, top in rules if top - bottom > 50 and right - left < 3]
    cuts = [float("inf"), *across, float("-inf")]
    order: list[str] = []
    for high, low in zip(cuts, cuts[1:], strict=False):
        band = [g for g in han if low < g.y < high]
        if not band:
            continue
        middle = (max(g.y for g in band) + min(g.y for g in band)) / 2
        xs = sorted({x for x, bottom, top in downs if bottom < middle < top}, reverse=True)
        edges = [float("inf"), *xs, float("-inf")]
        for right, left in zip(edges, edges[1:], strict=False):
            module = [g for g in band if left < g.x + g.em / 2 < right]
            lines = vertical_lines(module)
            spans = sorted(((line.head, line.foot) for line in lines), reverse=True)
            tiers: list[list[float]] = []
            for head, foot in spans:
                if tiers and head >= tiers[-1][1]:
                    tiers[-1][1] = min(tiers[-1][1], foot)
                else:
                    tiers.append([head, foot])

            placed = [(next(n for n, (head, foot) in enumerate(tiers) if foot <= line.head <= head), -line.x,
                       -line.head, line.text) for line in lines]
            order.extend(text for *_, text in sorted(placed))
    return "".join(char for char in "".join(order) if is_han(char))


def _expected(page: Page) -> str:
    """The body's Han characters in the page's order: each article's paragraphs, then its captions."""
    owned, loose = captions_by_article(page)
    parts = []
    for index, article in enumerate(page.articles):
        parts.extend(paragraph.text for paragraph in article.paragraphs)
        parts.extend(caption.text for caption in owned.get(index, ()))
    parts.extend(caption.text for caption in loose)
    return "".join(char for char in "".join(parts) if is_han(char))


@pytest.mark.parametrize("edition", EDITIONS_BUILT)
def test_the_body_reads_back_in_order_from_glyph_positions(built: Path, edition: str) -> None:
    page = Page.from_dict(json.loads((built / edition / "hongdong.json").read_text(encoding="utf-8")))
    data = (built / edition / "hongdong.pdf").read_bytes()
    layer = read_text_layer(data, edition)
    document = pdfium.PdfDocument(data)
    width = (Paper().width_mm - 2 * Paper().margin_mm) * 72 / 25.4
    read = "".join(_reading_order(list(glyphs), _rules(document[number]), 9.5, width)
                   for number, glyphs in enumerate(layer.glyphs))
    expected = _expected(page)
    matcher = difflib.SequenceMatcher(None, expected, read, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())  # a common subsequence: LCS ≥ this
    assert len(expected) > 5000
    assert common / len(expected) >= ORDER_TARGET, f"{common} of {len(expected)} in order"


@pytest.mark.parametrize("edition", EDITIONS_BUILT)
def test_han_stand_upright_and_the_text_layer_keeps_the_source_marks(built: Path, edition: str) -> None:
    data = (built / edition / "hongdong.pdf").read_bytes()
    layer = read_text_layer(data, edition)
    han = [g for glyphs in layer.glyphs for g in glyphs if is_han(g.char)]
    assert len(han) > 5000 and all(g.upright for g in han)
    turned = [g for glyphs in layer.glyphs for g in glyphs if not g.upright]
    assert turned and all(g.char.isascii() for g in turned)  # 2021 and the like are turned, nothing else
    text = "".join(layer.texts)
    assert not [c for c in text if 0xFE10 <= ord(c) <= 0xFE19 or 0xFE30 <= ord(c) <= 0xFE4F]
    assert "「" in text and "」" in text  # extracted as themselves ...
    textpage = pdfium.PdfDocument(data)[0].get_textpage()
    boxes = [textpage.get_charbox(index) for index in range(textpage.count_chars())
             if textpage.get_text_range(index, 1) == "「"]
    assert len(boxes) > 20  # ... and drawn with the fonts' vertical glyph ﹁: wide and flat, not tall
    assert all(right - left > 1.8 * (top - bottom) for left, bottom, right, top in boxes)


@pytest.mark.parametrize("edition", EDITIONS_BUILT)
def test_copying_a_column_gives_its_characters_top_to_bottom(built: Path, edition: str) -> None:
    data = (built / edition / "hongdong.pdf").read_bytes()
    layer = read_text_layer(data, edition)
    lines = [line for line in vertical_lines(list(layer.glyphs[0])) if len(line.glyphs) >= 14
             and all(g.upright for g in line.glyphs) and abs(line.em - 9.5) < 0.5]
    assert len(lines) > 100
    textpage = pdfium.PdfDocument(data)[0].get_textpage()
    for line in lines[::25]:
        left = line.x + 1
        copied = textpage.get_text_bounded(left=left, bottom=line.foot + 1, right=left + line.em - 2, top=line.head - 1)
        assert "".join(copied.split()) == line.text


@pytest.mark.parametrize("edition", EDITIONS_BUILT)
def test_vertical_preflight_is_what_the_build_ran(built: Path, edition: str) -> None:
    from pipeline.checks import run_checks

    config = load_config(built.parent / "broadsheet.yaml")
    chosen = next(e for e in config.editions if e.name == edition)
    page = Page.from_dict(json.loads((built / edition / "hongdong.json").read_text(encoding="utf-8")))
    report = run_checks(built / edition / "hongdong.pdf", page, chosen)
    assert report.ok, report.problems()
    assert report.typography is None and report.vertical is not None
    assert report.vertical.nonfinal_lines > 200 and report.vertical.flush_ratio >= 0.95
    assert report.text is not None and report.text.lost == 0
    # The same PDF read as a horizontal page fails: the vertical check is what makes it pass.
    horizontal = run_checks(built / edition / "hongdong.pdf", page, EDITIONS[chosen.name.rsplit("-", 1)[0]])
    assert not horizontal.ok


def test_broadsheet_check_reads_a_vertical_pdf_of_unknown_edition_as_vertical(built: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", str(built / "zh-TW-vertical" / "hongdong.pdf")], stdout=out, stderr=err)
    assert code == 0, out.getvalue() + err.getvalue()
    assert "vertical: 0 forbidden line heads" in out.getvalue()
    assert "faces not checked" in out.getvalue()  # the folder names no built-in edition


def test_a_captions_picture_stands_at_the_right_of_its_lines() -> None:
    from pipeline.model import Caption
    from pipeline.project.config import packaged_dir
    from pipeline.typeset.html import make_environment
    from pipeline.typeset.vertical import layout_vertical

    article = Article((Paragraph("汉字排版。" * 80),), headline="题")
    page = Page("p", (article,), captions=(Caption("县长调研指导工作", "images/a.jpg", credit="本报记者 张三 摄"),
                                           Caption("无图的说明")))
    settings = LayoutSettings(Publication(), Paper(), pictures={"images/a.jpg": Picture("photos/a.jpg", 600, 400)})
    html, sheets = layout_vertical(page, EDITIONS["zh-TW"], settings, make_environment([packaged_dir("layouts")]),
                                   VerticalFonts(Metrics()))
    assert sheets == 1
    image = re.search(r'<img class="vimage" src="photos/a.jpg" alt="" '
                      r'style="right:([\d.]+)pt;[^"]*width:([\d.]+)pt', html)
    assert image is not None
    right, width = float(image.group(1)), float(image.group(2))
    line = re.search(r'<div class="vl vl-caption" style="right:([\d.]+)pt[^>]*><span class="c">县', html)
    assert line is not None and float(line.group(1)) >= right + width  # the caption's lines stand to its left
    assert html.count('class="vr vr-box"') == 1  # only the caption without a picture is framed
    assert "摄" in html  # the photographer's credit is printed
