"""Titles broken by sense (typeset/titles.py): at phrase or word boundaries, lines even, one line when it fits."""

from __future__ import annotations

import pytest

from pipeline.editions import EDITIONS, Typography
from pipeline.model import Article, Page, Paragraph
from pipeline.project.config import Paper, Publication, packaged_dir
from pipeline.text.words import word_boundaries
from pipeline.typeset.html import LayoutSettings, layout_page, make_environment
from pipeline.typeset.metrics import Metrics
from pipeline.typeset.titles import break_title

METRICS = Metrics()
BASIC = Typography()

HEADLINES = [
    "乘势而上全面建设华夏根祖圣地幸福老家洪洞",
    "坚持以人民为中心的发展思想持续增进民生福祉",
    "全县新增就业岗位三千余个城镇登记失业率控制在目标以内",
    "推进乡村振兴战略实施农业农村现代化取得新进展",
]


@pytest.mark.parametrize("headline", HEADLINES)
@pytest.mark.parametrize("width", [11, 13, 16])
def test_a_long_title_breaks_between_words_with_even_lines(headline: str, width: int) -> None:
    lines = break_title(headline, width, METRICS, BASIC)
    assert lines is not None and "".join(lines) == headline
    assert all(len(line) <= width for line in lines)
    # The fewest lines the width needs, or one more where no word boundary falls near the middle.
    assert -(-len(headline) // width) <= len(lines) <= -(-len(headline) // width) + 1
    boundaries = word_boundaries(headline)
    offset = 0
    for line in lines[:-1]:
        offset += len(line)
        assert offset in boundaries, (headline, lines)
    if len(lines) == 2:
        assert abs(len(lines[0]) - len(lines[1])) <= 4


def test_the_break_at_a_comma_or_colon_is_preferred() -> None:
    assert break_title("坚持树好形象：洪洞奋力推进高质量发展", 12, METRICS, BASIC) == (
        "坚持树好形象：", "洪洞奋力推进高质量发展")
    assert break_title("稳住经济大盘，保障改善民生福祉", 10, METRICS, BASIC) == ("稳住经济大盘，", "保障改善民生福祉")


def test_a_title_that_fits_stays_on_one_line() -> None:
    assert break_title("乘势而上全面建设华夏根祖圣地", 14, METRICS, BASIC) == ("乘势而上全面建设华夏根祖圣地",)


def test_a_traditional_title_breaks_where_its_simplified_shadow_does() -> None:
    assert break_title("乘勢而上全面建設華夏根祖聖地幸福老家洪洞", 13, METRICS, BASIC) == (
        "乘勢而上全面建設華夏", "根祖聖地幸福老家洪洞")


def test_no_boundary_that_fits_leaves_the_title_to_weasyprint() -> None:
    assert break_title("中华人民共和国", 3, METRICS, BASIC) is None


def test_layout_breaks_a_module_headline_by_sense() -> None:
    headline = HEADLINES[0]
    # The third story shares a row with the second, in 2 of 6 columns (typeset.rows: the second's
    # lines fill 2 columns, the third's 1, and the spare columns go to the deeper): about 13 ems of 24 pt.
    page = Page("t.txt", (Article((Paragraph("头条正文。" * 200),), headline="头条"),
                          Article((Paragraph("正文。" * 40),), headline="另一篇"),
                          Article((Paragraph("另文。" * 20),), headline=headline)))
    settings = LayoutSettings(Publication(name="测试报"), Paper(), ("",), metrics=METRICS)
    html = layout_page(page, EDITIONS["zh-Hans"], settings, make_environment([packaged_dir("layouts")]))
    assert "华夏<br>根祖" in html.replace("\N{WORD JOINER}", "")


def test_a_short_headline_is_letter_spaced_only_when_the_spacing_fits() -> None:
    # A tabloid of five columns: the second story takes 2 of them, 10.8 ems of 24 pt. Spaced half
    # an em, 冬季供暖正式启动 needs 11.5 ems and wrapped inside a word (冬季供暖正式启 / 动).
    paper = Paper(size="tabloid", width_mm=272.0, height_mm=390.0, columns=5)
    page = Page("t.txt", (Article((Paragraph("头条正文。" * 200),), headline="头条"),
                          Article((Paragraph("正文。" * 20),), headline="冬季供暖正式启动"),
                          Article((Paragraph("另文。" * 40),), headline="老年门球赛举行")))
    settings = LayoutSettings(Publication(name="测试报"), paper, ("",), metrics=METRICS)
    html = layout_page(page, EDITIONS["zh-Hans"], settings, make_environment([packaged_dir("layouts")]))
    assert '<div class="module-cell" style="width: 259.869pt">' in html
    assert '<h2 class="headline">冬季供暖正式启' in html
    assert '<h2 class="headline spaced">老年门球赛举行' in html
