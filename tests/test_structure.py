"""Tests for pipeline.text.structure: articles, titles, lead-ins, bylines, captions; and parse_text as a whole."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Block, Paragraph, counted_chars, page_chars, removed_chars
from pipeline.text import parse_text
from pipeline.text.structure import Byline, build_page, find_leads, parse_byline, split_dateline

BODY_A = "县里今年大力推进乡村振兴，新建高标准农田三万亩，粮食产量再创新高。"
BODY_B = "城区新建公园五座，老旧小区改造全面完成，居民出行更加便利。"


def page_of(*texts: str):
    blocks = [Block(text, (i * 2 + 1,), (0,)) for i, text in enumerate(texts)]
    return build_page(blocks, "-", ())


def test_byline_names_are_bare_and_roles_go_to_credit() -> None:
    assert parse_byline("（李安安 李 锐 席 悦）") == Byline(None, ("李安安", "李锐", "席悦"))
    assert parse_byline("（本报记者 张三）") == Byline("本报记者", ("张三",))
    assert parse_byline("□ 记者 李四", standalone=True) == Byline("记者", ("李四",))
    assert parse_byline("通讯员 王五", standalone=True) == Byline("通讯员", ("王五",))
    assert parse_byline("（记者 张三、李四 报道）") == Byline("记者 报道", ("张三", "李四"))


def test_not_bylines() -> None:
    assert parse_byline("（社）") is None
    assert parse_byline("（2021年）") is None
    assert parse_byline("张三李四", standalone=True) is None
    assert parse_byline("（下转第二版）") is None


def test_datelines() -> None:
    assert split_dateline("本报讯 近日，全县召开大会。") == ("本报讯", None, "近日，全县召开大会。")
    assert split_dateline("新华社北京9月1日电（记者 张三）近日。") == (
        "新华社北京9月1日电", Byline("记者", ("张三",)), "近日。")
    assert split_dateline("本报太原9月1日讯 全省……")[0] == "本报太原9月1日讯"
    assert split_dateline("本报记者说，今天。")[0] is None


def test_closing_byline_is_split_off_and_ends_the_article() -> None:
    page = page_of(BODY_A + "（本报记者 张三）", BODY_B)
    assert len(page.articles) == 2
    first = page.articles[0]
    assert first.paragraphs[0].text == BODY_A
    assert (first.credit, first.byline) == ("本报记者", ("张三",))
    assert page.articles[1].byline == ()


def test_standalone_byline_after_headline_belongs_to_the_next_article() -> None:
    page = page_of("全县粮食产量再创新高", "□ 记者 李四", BODY_A)
    assert len(page.articles) == 1
    article = page.articles[0]
    assert (article.headline, article.credit, article.byline) == ("全县粮食产量再创新高", "记者", ("李四",))


def test_headline_goes_to_the_article_it_talks_about() -> None:
    # After its article (as in the sample) ...
    page = page_of(BODY_A, "乡村振兴推动粮食产量创新高", BODY_B)
    assert [a.headline for a in page.articles] == ["乡村振兴推动粮食产量创新高", None]
    # ... or before it, the usual order.
    page = page_of("老旧小区改造全面完成", BODY_B, BODY_A)
    assert page.articles[0].headline == "老旧小区改造全面完成"


def test_kicker_and_letterspaced_headline_pair() -> None:
    text = BODY_A + "\n\n" + BODY_B + "\n\n优化“第一要素”\n建 设 城 区 公 园\n"
    page = parse_text(text, "-")
    titled = [(a.kicker, a.headline) for a in page.articles]
    assert ("优化“第一要素”", "建设城区公园") in titled


def test_leads_need_parallel_short_first_sentences() -> None:
    paragraphs = [Paragraph("五年来，成绩显著。"), Paragraph("发展质量持续提升。全面实施。"),
                  Paragraph("宜居宜业持续推进。完成改造。")]
    assert [p.lead for p in find_leads(paragraphs)] == [None, "发展质量持续提升。", "宜居宜业持续推进。"]
    single = [Paragraph("开篇。"), Paragraph("发展质量持续提升。全面实施。"), Paragraph("他说，好的。然后。")]
    assert [p.lead for p in find_leads(single)] == [None, None, None]


def test_caption_by_its_wording() -> None:
    page = page_of(BODY_A, "图为村民在田间收割小麦（张三 摄）")
    assert [c.text for c in page.captions] == ["图为村民在田间收割小麦（张三 摄）"]


PAGE_ALPHABET = "洪洞县委发展人民常乡村振兴建设工作abcXY0123456789，。！？、；：“”（）,:;?!()□ \u3000"
page_texts = st.lists(st.text(alphabet=PAGE_ALPHABET, max_size=40), max_size=40).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(page_texts)
def test_parse_never_loses_or_invents_text(text: str) -> None:
    page = parse_text(text, "-")
    assert page_chars(page) + removed_chars(page.repairs) == counted_chars(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_parse_never_crashes(text: str) -> None:
    page = parse_text(text, "-")
    assert page.source == "-"


def test_lead_in_may_join_two_parallel_phrases_with_a_comma() -> None:
    paragraphs = [Paragraph("开篇。正文。"), Paragraph("坚持党建引领，筑牢战斗堡垒。正文。"),
                  Paragraph("坚持绿色发展，守护碧水蓝天。正文。"), Paragraph("据了解，今年完成。正文。")]
    assert [p.lead for p in find_leads(paragraphs)] == [
        None, "坚持党建引领，筑牢战斗堡垒。", "坚持绿色发展，守护碧水蓝天。", None]
