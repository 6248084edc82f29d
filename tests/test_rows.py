"""Stories take the columns their lines fill (typeset/rows.py), short ones side by side; notices' sign-offs."""

from __future__ import annotations

import re

from pipeline.editions import EDITIONS
from pipeline.model import Article, Caption, Page, Paragraph
from pipeline.project.config import Paper, Publication, packaged_dir
from pipeline.typeset.html import LayoutSettings, Module, Piece, layout_page, make_environment
from pipeline.typeset.metrics import Metrics
from pipeline.typeset.rows import MIN_COLUMN_LINES, fit_rows


def _module(index: int, text: str, columns: int = 6, **kwargs: object) -> Module:
    article = Article((Paragraph(text),), headline=f"标题{index}", byline=("张三",))
    return Module(article, index, (Piece(article.paragraphs[0], 0, 0, len(text)),), columns,
                  lead_story=index == 0, **kwargs)  # type: ignore[arg-type]


def test_short_stories_share_a_row_and_the_deepest_takes_the_spare_columns() -> None:
    # 4, 5 and 4 blocks: one column each would do; the row's 3 spare columns go to the deepest.
    stories = [_module(0, "甲"), _module(1, "乙"), _module(2, "丙")]
    blocks = {0: 4, 1: 5, 2: 4}
    rows = fit_rows([(story,) for story in stories], lambda m: blocks[m.index], 6)
    assert [[(m.index, m.columns) for m in row] for row in rows] == [[(0, 2), (1, 2), (2, 2)]]
    # A long story runs the width alone; the short one after it takes the next row, all of it.
    blocks = {0: 30, 1: 5, 2: 4}
    rows = fit_rows([(story,) for story in stories], lambda m: blocks[m.index], 6)
    assert [[(m.index, m.columns) for m in row] for row in rows] == [[(0, 6)], [(1, 3), (2, 3)]]
    assert all(blocks[m.index] >= MIN_COLUMN_LINES * 1 for row in rows for m in row)


def test_rows_stay_as_planned_when_a_story_jumps_or_its_lines_are_unknown() -> None:
    stories = [(_module(0, "甲"),), (_module(1, "乙", jump_to=2),)]
    assert fit_rows(stories, lambda m: 4, 6) == tuple(stories)
    assert fit_rows(stories[:1], lambda m: None, 6) == tuple(stories[:1])
    photo = _module(0, "甲", columns=3, captions=(Caption("图", image="a.png"),))
    assert [m.columns for row in fit_rows([(photo,), (_module(1, "乙"),)], lambda m: 4, 6) for m in row] == [3, 3]


def _page(*articles: Article) -> Page:
    return Page("t.txt", articles)


def _html(page: Page, paper: Paper | None = None) -> str:
    settings = LayoutSettings(Publication(name="测试报"), paper or Paper(), ("",), metrics=Metrics())
    return layout_page(page, EDITIONS["zh-Hans"], settings, make_environment([packaged_dir("layouts")]))


def test_a_short_lead_story_is_no_banner_and_shares_its_row() -> None:
    short = "本报讯十一月三十日，县中学生足球联赛在县一中开赛，十二支球队将在四周内进行四十八场比赛。" * 3
    page = _page(Article((Paragraph(short),), headline="县中学生足球联赛开赛", byline=("方舟",)),
                 Article((Paragraph(short),), headline="冬泳爱好者畅游清水河", byline=("于航",)))
    html = _html(page)
    assert "banner" not in html.split("<main", 1)[1]
    assert html.count('<div class="module-row">') == 1
    # Each story holds at least MIN_COLUMN_LINES lines a column, or is one column: no one-line columns.
    for body in re.findall(r'<article class="module.*?</article>', html, re.S):
        columns = int(re.search(r'(?:column-count: |data-columns=")(\d+)', body).group(1))  # CSS columns or boxes
        blocks = len(re.findall(r'<p class="(?:ln|byline)', body))
        assert columns == 1 or blocks >= columns * 2, (columns, blocks)


def test_a_short_banner_is_centred_not_letter_spaced() -> None:
    long = "甲" * 600
    page = _page(Article((Paragraph(long),), headline="县电商直播基地销售额破亿元"))
    assert "banner banner-short" in _html(page, Paper(width_mm=272, margin_mm=18))
    wide = _page(Article((Paragraph(long),), headline="洪洞：奋力在全方位推进高质量发展中争先崛起"))
    html = _html(wide, Paper(width_mm=272, margin_mm=18))
    assert "banner" in html and "banner-short" not in html


def test_a_notice_sign_off_is_set_flush_to_the_line_end_in_lines_of_its_own() -> None:
    notice = Article((Paragraph("为切实做好冬季道路交通安全工作，现将有关事项通告如下。" * 4),
                      Paragraph("云溪县公安局交通警察大队 2026年12月2日", signoff=True)), headline="通告")
    html = _html(_page(notice))
    lines = re.findall(r'<p class="(ln[^"]*)"[^>]*>(.*?)</p>', html, re.S)
    signoff = [(classes, re.sub(r"<[^>]+>|\N{WORD JOINER}|\N{ZERO WIDTH SPACE}", "", text))
               for classes, text in lines if "ln-signoff" in classes]
    assert [text for _, text in signoff] == ["云溪县公安局交通警察大队", "2026年12月2日"]
    assert all("ln-first" not in classes for classes, _ in signoff)
    css = (packaged_dir("styles") / "page.css").read_text(encoding="utf-8")
    assert re.search(r"\.ln-signoff[^{]*\{[^}]*text-indent: 0;[^}]*text-align: end;[^}]*text-align-last: end", css)
    # On a wide measure issuer and date share one line, still flush to the end.
    wide = _html(_page(notice), Paper(columns=2))
    assert len([c for c in re.findall(r'<p class="(ln[^"]*)"', wide) if "ln-signoff" in c]) == 1
