"""Total-fit line breaking (typeset/linebreak.py): widths, break rules, even slack, and the laid-out lines."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.editions import EDITIONS, Typography
from pipeline.model import Article, Page, Paragraph
from pipeline.project.config import Paper, Publication, packaged_dir
from pipeline.text.chars import NO_LINE_END, NO_LINE_START, ZERO_WIDTH
from pipeline.typeset.html import LayoutSettings, Piece, layout_page, make_environment, set_piece
from pipeline.typeset.linebreak import break_paragraph, break_positions, line_width
from pipeline.typeset.metrics import Metrics

METRICS = Metrics({"body": {"A": 0.7, "B": 0.6, "1": 0.5, "2": 0.5, "0": 0.5, "-": 0.35, "%": 0.9, " ": 0.25}})
BASIC = Typography()

SAMPLE = ("五年来，在临汾市委、市政府的坚强领导下，洪洞县委团结带领全县人民，坚持以习近平新时代中国特色"
          "社会主义思想为指导，全面贯彻党的十九大和十九届二中、三中、四中、五中全会精神，被评为“全国平安"
          "农机示范县”，成功承办2021年全国农机安全生产宣传咨询日活动和全省“虫口夺粮”保丰收暨重大病虫"
          "统防统治现场观摩会，全市唯一2021-2023年创建周期提名城市。")


def test_widths_follow_the_metrics_and_compress_adjacent_marks() -> None:
    assert line_width("汉字", METRICS, BASIC) == 2.0
    assert line_width("A1汉", METRICS, BASIC) == pytest.approx(2.2)
    assert line_width("好。”", METRICS, BASIC) == 2.5
    assert line_width("好。”", METRICS, Typography(compress=False)) == 3.0
    assert line_width("——", METRICS, BASIC) == 2.0  # one two-em ligature in CJK fonts
    assert line_width("汉A", METRICS, Typography(autospace=True)) == pytest.approx(1.95)


def test_no_break_where_clreq_or_a_unit_forbids() -> None:
    text = "他说：“2021年，PM2.5——很好。”好的"
    positions = break_positions(text, BASIC)
    for k in positions:
        assert text[k] not in NO_LINE_START["basic"] and text[k - 1] not in NO_LINE_END["basic"]
    start = text.index("2021")
    assert not set(range(start + 1, start + 4)) & set(positions)  # inside 2021
    unit = text.index("PM2.5")
    assert not set(range(unit + 1, unit + 5)) & set(positions)  # inside PM2.5
    assert start + 4 in positions  # before 年
    assert text.index("—") + 1 not in positions  # inside ——
    assert len(text) - 1 not in positions  # the last two characters stay together


def test_slack_spreads_over_the_paragraph_instead_of_one_line() -> None:
    # Greedy breaking fills lines of 10 and leaves the slack on one line before an unbreakable run.
    text = "汉" * 17 + "“特”“优”" + "汉" * 20
    setting = break_paragraph(text, 10, METRICS, BASIC, indent=0)
    assert setting is not None
    lines = setting.lines(text)
    assert "".join(lines) == text
    assert all(line_width(line, METRICS, BASIC) <= 10 + 1e-9 for line in lines)
    assert max(setting.looseness) <= 0.15


def test_the_first_line_is_indented_and_the_last_keeps_two_characters() -> None:
    text = "汉" * 17
    setting = break_paragraph(text, 8, METRICS, BASIC, indent=2)
    assert setting is not None
    lengths = [len(line) for line in setting.lines(text)]
    assert lengths[0] == 6 and lengths[-1] >= 2 and sum(lengths) == 17


def test_an_unbreakable_unit_wider_than_the_measure_is_left_to_weasyprint() -> None:
    assert break_paragraph("汉" + "A" * 20 + "汉", 5, METRICS, BASIC, indent=0) is None


@given(st.text(alphabet="汉字文章，。、“”（）《》A1 2%-", min_size=1, max_size=120),
       st.integers(min_value=4, max_value=20))
def test_every_line_fits_and_no_character_is_lost(text: str, measure: int) -> None:
    setting = break_paragraph(text, measure, METRICS, BASIC, indent=2)
    if setting is None:
        return
    lines = setting.lines(text)
    assert "".join(lines) == text
    allowed = set(break_positions(text, BASIC))
    assert set(setting.ends[:-1]) <= allowed
    start = 0
    for number, (line, end) in enumerate(zip(lines, setting.ends, strict=True)):
        room = measure - (2 if number == 0 else 0)
        squeezed = [index for index in setting.squeezed if start < index < end]
        assert all(text[index] in "，。、”）》" for index in squeezed)
        assert line_width(line, METRICS, BASIC) - 0.5 * len(squeezed) <= room + 1e-6
        start = end
    assert all(value >= 0 for value in setting.looseness)


def _page(text: str, lead: str | None = None, dateline: str | None = None) -> Page:
    return Page("t.txt", (Article((Paragraph(text, lead=lead),), headline="标题", dateline=dateline),))


def test_a_piece_is_set_as_marked_lines_with_its_lead_in_and_dateline() -> None:
    text = "发展质量持续提升。" + SAMPLE
    page = _page(text, lead="发展质量持续提升。", dateline="本报讯")
    piece = Piece(page.articles[0].paragraphs[0], 0, 0, len(text))
    setting = set_piece(piece, page.articles[0], BASIC, Metrics(), 16)
    assert setting is not None and len(setting.lines) >= 3
    first = str(setting.lines[0])
    assert first.startswith('<span class="dateline" data-skip="1">本报讯</span><b class="lead-in">发展')
    plain = "".join(re.sub(r"<[^>]+>", "", str(line)) for line in (*setting.lines, setting.last))
    assert "".join(char for char in plain if char not in ZERO_WIDTH) == "本报讯" + text
    # A piece that goes on on a later page, and a layout without metrics, are WeasyPrint's to break.
    assert set_piece(Piece(piece.paragraph, 0, 0, 40), page.articles[0], BASIC, Metrics(), 16) is None
    assert set_piece(piece, page.articles[0], BASIC, None, 16) is None


def test_layout_with_metrics_sets_one_block_per_line() -> None:
    page = _page(SAMPLE)
    settings = LayoutSettings(Publication(name="测试报"), Paper(), ("",), metrics=Metrics())
    html = layout_page(page, EDITIONS["zh-Hans"], settings, make_environment([packaged_dir("layouts")]))
    lines = re.findall(r'<p class="ln[^"]*"\s+data-article="0" data-para="0" data-start="0">', html)
    assert len(lines) >= 3 and re.search(r'class="ln ln-first[" ]', html) and re.search(r'class="ln ln-last[" ]', html)
    # Its 11 lines are shared among the 6 columns: 2, 2, 2, 2, 2, 1 (a column break before each share).
    assert html.count(" col-break") == 5
    plain = layout_page(page, EDITIONS["zh-Hans"], LayoutSettings(Publication(name="测试报"), Paper(), ("",)),
                        make_environment([packaged_dir("layouts")]))
    assert 'class="ln' not in plain and '<p class="para"' in plain
