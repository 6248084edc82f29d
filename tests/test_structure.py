"""Tests for pipeline.text.structure: articles, titles, lead-ins, bylines, captions; and parse_text as a whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Block, Paragraph, Repair, counted_chars, page_chars, removed_chars
from pipeline.text import parse_text
from pipeline.text.lines import set_column
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
    assert all(article.paragraphs for article in page.articles)  # an article with no text is never emitted


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


# --- issue 13: structure that holds on pages never seen ------------------------------------


def test_a_section_title_over_briefs_is_a_page_headline() -> None:
    text = ("乡镇简讯\n\n白沙镇开展消防检查\n\n本报讯 近日，白沙镇开展冬季消防安全检查。（通讯员 罗 敏）\n\n"
            "柳河乡新建健身广场\n\n本报讯 柳河乡新建了三处健身广场。（记者 冯晓东）\n")
    page = parse_text(text, "-")
    assert [(h.text, h.articles) for h in page.page_headlines] == [("乡镇简讯", (0, 1))]
    assert [a.headline for a in page.articles] == ["白沙镇开展消防检查", "柳河乡新建健身广场"]
    assert page.to_dict()["page_headlines"][0]["articles"] == [0, 1]
    assert not page.doubts


def test_credits_keep_each_role_with_its_names_and_where_the_byline_was() -> None:
    page = parse_text("县里开展检查\n\n本报讯（记者 张 三 通讯员 李四）近日，县里开展检查。\n", "-")
    article = page.articles[0]
    assert article.byline == ("张三", "李四") and article.byline_at == "start"
    assert [(c.role, c.names) for c in article.credits] == [("记者", ("张三",)), ("通讯员", ("李四",))]
    page = page_of(BODY_A + "（本报记者 张三）")
    assert page.articles[0].byline_at == "end"


def test_two_phrases_are_a_kicker_not_names() -> None:
    assert parse_byline("产业兴 村庄美 百姓富", standalone=True) is None
    assert parse_byline("小小快递站 连起城乡路", standalone=True) is None
    assert parse_byline("□ 周 平", standalone=True) == Byline(None, ("周平",))
    assert parse_byline("口本报记者孙洁", standalone=True) == Byline("本报记者", ("孙洁",))
    assert parse_byline("（通讯员 蒋 文）") == Byline("通讯员", ("蒋文",))


def test_bylines_whose_spaces_ocr_lost_and_shared_roles() -> None:
    byline = parse_byline("■ 本报记者孙洁通讯员王五", standalone=True)
    assert byline is not None and [(c.role, c.names) for c in byline.credits] == [
        ("本报记者", ("孙洁",)), ("通讯员", ("王五",))]
    byline = parse_byline("文/图 本报记者 孙洁", standalone=True)
    assert byline is not None and [(c.role, c.names) for c in byline.credits] == [("文/图 本报记者", ("孙洁",))]
    assert parse_byline("（记者 张三/李四）") == Byline("记者", ("张三", "李四"))
    assert parse_byline("记者从县统计局获悉", standalone=True) is None


def test_ocr_misreads_of_a_bylines_box_and_brackets() -> None:
    assert parse_byline("口周平", standalone=True) == Byline(None, ("周平",))
    assert parse_byline("口岸经济", standalone=True) is None  # 口 before a word that is no name
    assert parse_byline("DD] 通讯员孔丽", standalone=True) == Byline("通讯员", ("孔丽",))
    page = parse_text("科技之夜\n\n" + BODY_A + " 〈记者 孟 哲\n\n" + BODY_B + "\n", "-")
    assert [(a.credit, a.byline) for a in page.articles] == [("记者", ("孟哲",)), (None, ())]
    text = "县文化馆\n\nDD] 通讯员孔丽\n\n" + BODY_A + "\n"
    page = parse_text(text, "-")
    assert page.articles[0].byline == ("孔丽",)
    assert [(r.kind, r.removed) for r in page.repairs if r.kind == "ocr-decoration-dropped"] == [
        ("ocr-decoration-dropped", "DD")]
    assert page_chars(page) + removed_chars(page.repairs) == counted_chars(text)


def test_four_characters_after_a_role_are_two_names_only_when_both_open_with_a_surname() -> None:
    assert parse_byline("（记者 李明王芳）").names == ("李明", "王芳")
    assert parse_byline("（记者 蔡晓春雨）").names == ("蔡晓春雨",)  # 春 opens no name: one name, as printed


def test_a_particle_ocr_inserted_in_a_name_is_dropped_and_reported() -> None:
    text = "科技之夜\n\n" + BODY_A + "（记者 孟了哲远）\n"
    page = parse_text(text, "-")
    assert page.articles[0].byline == ("孟哲远",)
    assert [(r.kind, r.removed) for r in page.repairs if r.kind == "ocr-insertion-dropped"] == [
        ("ocr-insertion-dropped", "了")]
    assert page_chars(page) + removed_chars(page.repairs) == counted_chars(text)


def test_a_byline_that_lost_its_closing_bracket_is_not_continued_by_the_next_block() -> None:
    text = "科学之夜\n\n本报讯 " + BODY_A + " 〈记者 孟 哲\n\n军）\n\n两项成果获奖\n\n本报讯 " + BODY_B + "\n"
    page = parse_text(text, "-")
    assert page.articles[0].byline == ("孟哲",)


def test_a_closing_byline_in_brackets_ocr_misread_or_lost() -> None:
    from pipeline.text.structure import split_byline_tail

    for tail in ("〔记者 张三〕", "[记者 张三]", "【记者 张三】", "记者 张三）", "（记者 张三", "《记者 张三)"):
        assert split_byline_tail("粮食产量再创新高。" + tail) == ("粮食产量再创新高。", Byline("记者", ("张三",))), tail
    for tail in ("（二）", "村（社）", "他说（笑）", "张三）"):  # no role, no byline
        assert split_byline_tail("粮食产量再创新高。" + tail)[1] is None, tail
    for opening in ("本报讯《记者 张三) 近日，", "本报讯【记者 张三】近日，", "本报讯〔记者 张三〕近日，"):
        assert split_dateline(opening) == ("本报讯", Byline("记者", ("张三",)), "近日，"), opening
    assert split_dateline("本报讯《中国农民报》报道，")[1] is None


def test_a_stack_is_typed_kicker_headline_subheadline() -> None:
    page = page_of("前十个月", "全县规上工业增加值增长8.6%", "高于全市平均水平2.1个百分点", BODY_A)
    article = page.articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        "前十个月", "全县规上工业增加值增长8.6%", "高于全市平均水平2.1个百分点")
    page = page_of("新春走基层", "山村教师的坚守", BODY_A)
    assert (page.articles[0].kicker, page.articles[0].headline) == ("新春走基层", "山村教师的坚守")


def test_a_wrapped_headline_is_one_title() -> None:
    text = "白沙镇开展冬季消防\n安全检查\n\n本报讯 近日，白沙镇组织开展冬季消防安全检查，排查隐患二十三处。\n"
    page = parse_text(text, "-")
    assert [a.headline for a in page.articles] == ["白沙镇开展冬季消防安全检查"]


def test_a_short_headline_wrapped_in_halves_is_one_title_and_a_kicker_stays_a_kicker() -> None:
    body = "本报讯 今年以来，县内各银行机构向小微企业发放贷款二十六亿元。\n"
    assert [a.headline for a in parse_text("信贷“活水”\n浇灌小微企业\n\n" + body, "-").articles] == [
        "信贷“活水”浇灌小微企业"]
    article = parse_text("新春走基层\n山村教师的坚守\n\n" + body, "-").articles[0]
    assert (article.kicker, article.headline) == ("新春走基层", "山村教师的坚守")


def test_a_title_over_a_wrapped_subheadline_stands_apart() -> None:
    for indent in ("lost", "kept"):
        body = set_column("本报讯（记者 孟 哲）在北坪乡的麦田上空，一架植保无人机正在喷洒药剂，十几分钟就完成了"
                          "二十亩地的作业。", 16, indent) + set_column(
                              "县农业农村局的技术员介绍，一架无人机一天能作业三百亩，效率是人工的三十倍。", 16, indent)
        stack = "县第十届全民运动会落幕\n千余名运动员赛出水\n平赛出风格\n十四项赛事产生金牌一百\n二十枚\n"
        text = stack + "\n".join(body)
        article = parse_text(text + "\n", "-").articles[0]
        assert (article.kicker, article.headline, article.subheadline) == (
            "县第十届全民运动会落幕", "千余名运动员赛出水平赛出风格", "十四项赛事产生金牌一百二十枚"), indent
        text = "无人机巡田 种地有了“千里眼”\n全县植保无人机作\n业面积达十五万亩\n\n" + "\n".join(body) + "\n"
        article = parse_text(text, "-").articles[0]
        assert (article.headline, article.subheadline) == (
            "无人机巡田 种地有了“千里眼”", "全县植保无人机作业面积达十五万亩"), indent


def test_a_letterspaced_headline_wrapped_over_two_lines_is_one_title() -> None:
    page = parse_text("2 4 小 时 自 助\n阅 览 室\n\n本报讯 " + BODY_A + "\n", "-")
    assert [(a.kicker, a.headline) for a in page.articles] == [(None, "24小时自助阅览室")]


def test_a_title_read_in_two_halves_around_the_byline_beside_it() -> None:
    page = parse_text("让“微心愿”照亮大\n\n口周平\n\n民生\n\n" + BODY_A + "\n", "-")
    assert [(a.headline, a.byline) for a in page.articles] == [("让“微心愿”照亮大民生", ("周平",))]


def test_someone_doing_something_after_the_last_byline_is_a_caption() -> None:
    page = parse_text("秸秆变成宝\n\n本报讯 " + BODY_A + "\n\n（通讯员 龚 平）\n\n农机手在田间收集玉米秸秆\n", "-")
    assert [c.text for c in page.captions] == ["农机手在田间收集玉米秸秆"]
    assert [a.headline for a in page.articles] == ["秸秆变成宝"]


def test_the_next_articles_headline_read_above_this_ones_stands_alone() -> None:
    text = ("柳河乡新建健身广场\n\n本报讯 柳河乡利用闲置宅基地新建了三处健身广场，广场建成后每天都有村民来锻炼。\n\n"
            "石门村通上了天然气\n\n白沙镇开展消防检查\n\n本报讯 近日，白沙镇组织部门开展冬季消防安全检查，"
            "白沙镇共排查消防隐患二十三处。\n\n本报讯 十一月下旬，石门村一百二十户村民家中通上了管道天然气，"
            "石门村村民说天然气干净又方便。\n")
    page = parse_text(text, "-")
    assert [(a.kicker, a.headline) for a in page.articles] == [
        (None, "柳河乡新建健身广场"), (None, "白沙镇开展消防检查"), (None, "石门村通上了天然气")]


def test_a_kicker_and_headline_as_wide_as_the_column_stay_two_titles() -> None:
    body = set_column("干净整洁的环境是我们共同的家园。为巩固国家卫生县城创建成果，县爱卫办向全县居民发出倡议。", 12)
    text = "致全县广大居民的一封信\n共同守护我们的清洁家园\n\n" + "\n".join(body) + "\n"
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline) == ("致全县广大居民的一封信", "共同守护我们的清洁家园")


def test_a_title_under_a_longer_one_is_its_subheadline() -> None:
    page = page_of("把每一位老人当成自己的父母", "对话县敬老院院长赵慧芳", BODY_A)
    assert (page.articles[0].kicker, page.articles[0].headline, page.articles[0].subheadline) == (
        None, "把每一位老人当成自己的父母", "对话县敬老院院长赵慧芳")
    page = page_of("省青少年乒乓球锦标赛", "我县小将摘得两金一银", BODY_A)
    assert (page.articles[0].kicker, page.articles[0].headline) == ("省青少年乒乓球锦标赛", "我县小将摘得两金一银")


def test_a_pictures_credit_alone_after_a_blank_line_ends_the_caption_above() -> None:
    text = "村BA燃动乡村\n\n本报讯 " + BODY_A + "\n\n上河村队球员突破上篮 （通讯员 崔 浩\n\n摄）\n"
    page = parse_text(text, "-")
    assert [c.text.replace(" ", "") for c in page.captions] == ["上河村队球员突破上篮（通讯员崔浩摄）"]
    assert [a.headline for a in page.articles] == ["村BA燃动乡村"]
    # A file picture's credit in its brackets, on a line of its own.
    text = "村BA燃动乡村\n\n本报讯 " + BODY_A + "\n\n上河村队球员在比赛中突破上篮\n\n（资料图片）\n"
    page = parse_text(text, "-")
    assert [c.text.replace(" ", "") for c in page.captions] == ["上河村队球员在比赛中突破上篮（资料图片）"]


def test_ocr_debris_is_never_a_title() -> None:
    text = BODY_A + "\n\n市\n\n" + BODY_B + "\n"
    page = parse_text(text, "-")
    assert all(a.headline != "市" for a in page.articles)
    assert any("市" in p.text for a in page.articles for p in a.paragraphs)
    assert [d.line for d in page.doubts] == [3]


OCR_DEBRIS_PAGE = """文化周刊

县图书馆新馆正式开放

本报讯近日，县图书馆新馆正式开放。新馆建筑面积一万二千平方米，藏书六十万册，设有少儿阅览区、
古籍阅览区等功能区域。 〈记者 方 圆)

书

香进万家
口 通讯员 吕 方
每到周末，县城各社区书屋里总是坐满了读者。今天的活动是亲子共读，家长和孩子们围坐在一起，
翻开绘本轻声朗读。
社区书屋管理员介绍，书屋每周都邀请志愿者为孩子们讲故事，还定期征集读者对图书采购的

上
建议。

读者在社区书屋里阅读 吕 方 摄
"""


def test_ocr_debris_over_body_lines_stays_in_place_and_the_sentence_goes_on_under_it() -> None:
    """One column OCR'd with a picture beside it: ``上`` over ``建议。`` is the picture's edge inside a
    sentence, not a title's last character to fetch from further down; the sentence goes on under it."""
    page = parse_text(OCR_DEBRIS_PAGE, "-")
    assert [a.headline for a in page.articles] == ["县图书馆新馆正式开放", "香进万家"]
    assert [p.text for p in page.articles[0].paragraphs] == [
        "近日，县图书馆新馆正式开放。新馆建筑面积一万二千平方米，藏书六十万册，设有少儿阅览区、古籍阅览区等功能区域。"]
    assert page.articles[1].paragraphs[-1].text.endswith("征集读者对图书采购的上建议。")
    assert "joined-debris" in [r.kind for r in page.repairs]


def test_a_caption_interrupting_a_sentence_is_a_caption_and_the_sentence_goes_on() -> None:
    blocks = [Block("全县新建高标准农田三万亩，种粮大户的", (1,), (0,)),
              Block("农技人员在田间指导农户", (3,), (0,)),
              Block("积极性明显提高。", (5,), (0,))]
    page = build_page(blocks, "-", ())
    assert [c.text for c in page.captions] == ["农技人员在田间指导农户"]
    assert [p.text for p in page.articles[0].paragraphs] == ["全县新建高标准农田三万亩，种粮大户的积极性明显提高。"]


def test_a_notices_sign_off_is_a_paragraph_of_the_notice() -> None:
    text = ("停水通知\n\n因管网改造，12月5日暂停供水。请用户提前储水。\n云溪县自来水公司\n2026年12月2日\n")
    page = parse_text(text, "-")
    assert len(page.articles) == 1
    assert page.articles[0].paragraphs[-1].text == "云溪县自来水公司 2026年12月2日"


def test_a_sign_off_run_on_from_the_last_sentence_is_split_off_before_its_date() -> None:
    # Reflow ran the issuer's line on from the sentence above; the date stands on its own.
    blocks = [Block("停气通知", (1,), (0,)),
              Block("因燃气管道检修，12月8日全天停气。望广大用户相互转告！云溪县燃气公司", (3, 4), (0, 28)),
              Block("2026年12月4日", (6,), (0,))]
    page = build_page(blocks, "-", ())
    assert [p.text for p in page.articles[0].paragraphs] == [
        "因燃气管道检修，12月8日全天停气。望广大用户相互转告！", "云溪县燃气公司 2026年12月4日"]


def test_a_sign_off_date_with_a_stray_ocr_character_still_signs_off() -> None:
    text = "停气通知\n\n因燃气管道检修，12月8日全天停气。请用户提前做好准备。\n云溪县燃气公司\n2026人年12月4日\n"
    page = parse_text(text, "-")
    assert len(page.articles) == 1 and page.articles[0].headline == "停气通知"
    assert page.articles[0].paragraphs[-1].text == "云溪县燃气公司 2026人年12月4日"


def test_an_issuers_last_character_left_after_the_date_rejoins_it() -> None:
    # A column break cut the issuer's line; its last character was read after the date.
    blocks = [Block("停气通知", (1,), (0,)),
              Block("因燃气管道检修，12月8日全天停气。请用户提前做好准备。", (3,), (0,)),
              Block("云溪县城乡建设管理办公", (4,), (0,)),
              Block("2026年12月4日", (6,), (0,)),
              Block("室", (5,), (0,))]
    page = build_page(blocks, "-", ())
    assert len(page.articles) == 1 and page.articles[0].headline == "停气通知"
    assert page.articles[0].paragraphs[-1].text == "云溪县城乡建设管理办公室 2026年12月4日"
    # The same, with the issuer's line run on from the last sentence.
    blocks[1:3] = [Block("因燃气管道检修，12月8日全天停气。请用户提前做好准备。云溪县城乡建设管理办公",
                         (3, 4), (0, 28))]
    page = build_page(blocks, "-", ())
    assert [p.text for p in page.articles[0].paragraphs] == [
        "因燃气管道检修，12月8日全天停气。请用户提前做好准备。", "云溪县城乡建设管理办公室 2026年12月4日"]


def test_a_line_closing_a_bracket_it_never_opened_is_no_title() -> None:
    # OCR read the salutation's colon as ``]``: the line is the letter's salutation, not a subheadline.
    text = "致全县居民的一封信\n\n居民朋友们]\n今冬供暖即将开始，请各位居民提前检查\n家中暖气设施，发现问题及时报修。\n"
    page = parse_text(text, "-")
    assert (page.articles[0].headline, page.articles[0].subheadline) == ("致全县居民的一封信", None)
    assert page.articles[0].paragraphs[0].text == "居民朋友们]"


def test_a_stack_of_four_bare_lines_is_kicker_wrapped_headline_and_subheadline() -> None:
    # In a narrow column every title line is as wide as the body's: the four lines without a mark
    # between blank lines are the stack, not a paragraph's lines.
    text = ("立足资源优势 做强特色产业\n全县小杂粮种植面积\n今年突破二十万亩\n带动两万余户农民增收\n\n"
            "本报讯（记者 韩 雪）记\n者从县农业农村局获悉，\n今年全县小杂粮种植面积\n"
            "达到二十万亩，比去年增\n加三万亩。\n")
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        "立足资源优势 做强特色产业", "全县小杂粮种植面积今年突破二十万亩", "带动两万余户农民增收")


def test_interview_turns_start_paragraphs() -> None:
    turns = ["记者：今年全县农业生产有哪些亮点？", "高志远：最大的亮点是小杂粮产业，小米从卖原粮变成了卖品牌。",
             "记者：农民怎样从中受益？", "高志远: 农户除了卖粮收入，还能拿到二次分红，户均增收三千元。"]
    text = "\n".join(line for turn in turns for line in set_column(turn, 14)) + "\n"
    page = parse_text(text, "-")
    assert [p.text[:3] for p in page.articles[0].paragraphs] == ["记者：", "高志远", "记者：", "高志远"]


def test_a_three_character_parallel_lead_in_counts() -> None:
    paragraphs = [Paragraph("开篇。正文。"), Paragraph("抓落实，关键在干。正文。"),
                  Paragraph("促发展，重在创新。正文。")]
    assert [p.lead for p in find_leads(paragraphs)] == [None, "抓落实，关键在干。", "促发展，重在创新。"]


def test_the_sample_raises_no_doubts_and_has_no_page_headlines() -> None:
    from pathlib import Path

    text = (Path(__file__).parent / "data" / "hongdong" / "source.txt").read_text(encoding="utf-8")
    page = parse_text(text, "source.txt")
    assert page.doubts == () and page.page_headlines == ()
    assert all(a.paragraphs for a in page.articles)


def test_the_issues_hand_written_page() -> None:
    # A byline run in at a paragraph's start leaves the body.
    page = parse_text("县城新增停车位\n\n（记者 张三）11月30日上午，县城新增停车位八百个，停车更方便了。\n", "-")
    article = page.articles[0]
    assert (article.credit, article.byline, article.byline_at) == ("记者", ("张三",), "start")
    assert article.paragraphs[0].text.startswith("11月30日上午")
    # A caption printed twice, a blank line and a headline: the headline and the next byline stay put.
    text = (BODY_A + "（记者 李四）\n\n农技人员在田间指导农户农技人员在田间指导农户\n\n县城新增停车位\n\n"
            "本报讯 县城新增公共停车位八百个。（记者 张三）\n")
    page = parse_text(text, "-")
    assert [(a.headline, a.byline) for a in page.articles] == [(None, ("李四",)), ("县城新增停车位", ("张三",))]
    assert [c.text for c in page.captions] == ["农技人员在田间指导农户"]
    # A column break after 、 is joined.
    text = "全县新建高标准农田三万亩，种粮大户的\n积极性明显提高，农技人员深入田间地头、\n\n指导农户科学施肥。\n"
    assert len(parse_text(text, "-").articles[0].paragraphs) == 1
    # Letter-spacing with figures in it is removed.
    page = parse_text("24小时 自 助 阅 览 室\n\n" + BODY_A + "\n", "-")
    assert page.articles[0].headline == "24小时自助阅览室"
    # A line cut off inside a word before a blank line goes on after it, not as a headline.
    text = "沿河便民桥建成通车\n\n本报讯 日前，沿河便民桥建成通车，方便了沿河群众出\n\n行。（记者 张三）\n"
    page = parse_text(text, "-")
    assert [a.headline for a in page.articles] == ["沿河便民桥建成通车"]
    assert page.articles[0].paragraphs[0].text.endswith("方便了沿河群众出行。")


def test_a_joint_made_by_place_alone_is_doubted_until_the_sidecar_settles_it() -> None:
    from support.corpus import CORPUS

    from pipeline.project.sidecar import load_sidecar

    text = (CORPUS / "inputs" / "01-briefs" / "pdftotext.txt").read_text(encoding="utf-8")
    page = parse_text(text, "-")
    doubted = [d for d in page.doubts if d.what.startswith("columns read in bands")]
    assert [(d.line, d.fix) for d in doubted] == [(13, "split: [13] parts them again")]
    settled = parse_text(text, "-", load_sidecar("split: [13]\n", "p.yaml"))
    assert not [d for d in settled.doubts if d.what.startswith("columns read in bands")]
    assert any(p.text.startswith("村民来这里") for a in settled.articles for p in a.paragraphs)


def test_paragraphs_read_before_their_articles_titles_join_it_on_a_page_read_in_bands() -> None:
    from pipeline.model import Repair

    blocks = [Block("紧盯目标任务 狠抓工作落实", (1,)), Block("今年以来，县里实行项目建设周调度、月通报制度。", (3,)),
              Block("全县重点项目建设完成年度投资九成", (5,)), Block("四十六个项目已竣工投用", (6,)),
              Block("本报讯（记者 韩 雪）截至十一月底，全县重点项目累计完成投资五十二亿元。", (8,))]
    banded = build_page(blocks, "-", (Repair("rethreaded", 3, "县里实行项目建 | 设周调度"),))
    assert [(a.kicker, a.headline, a.subheadline, [p.lines for p in a.paragraphs]) for a in banded.articles] == [
        ("紧盯目标任务 狠抓工作落实", "全县重点项目建设完成年度投资九成", "四十六个项目已竣工投用", [(8,), (3,)])]
    assert len(build_page(blocks, "-", ()).articles) == 2  # not read in bands: two articles, as printed


def test_a_notices_issuing_body_and_date_are_one_signoff_paragraph_and_only_they() -> None:
    page = parse_text("关于停水的通知\n\n因管网改造，城东片区12月3日停水一天。\n\n特此通知。\n\n"
                      "云溪县自来水公司\n2026年12月2日\n", "-")
    paragraphs = page.articles[0].paragraphs
    assert [p.signoff for p in paragraphs] == [False, False, True]
    assert paragraphs[-1].text.replace(" ", "") == "云溪县自来水公司2026年12月2日"
    data = page.to_dict()["articles"][0]["paragraphs"]
    assert data[-1]["signoff"] is True and "signoff" not in data[0]  # the key only where it is set
    assert Paragraph.from_dict(data[-1]).signoff and not Paragraph.from_dict(data[0]).signoff


def test_a_headline_whose_letter_spacing_ocr_kept_partly_is_the_spaced_headline() -> None:
    page = parse_text("秋 收 进 行时\n\n河东镇三万亩玉米颗粒归仓\n\n" + BODY_A + "\n", "-")
    article = page.articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (None, "秋收进行时", "河东镇三万亩玉米颗粒归仓")
    assert parse_text("记者 张 三 李 四\n\n" + BODY_A + "\n", "-").repairs == ()  # a byline keeps its spaces


def test_a_short_line_ending_in_an_exclamation_mark_under_a_kicker_is_the_headline() -> None:
    page = parse_text("安全伴我行\n\n雪天出门，这三件事别忘了！\n\n本报讯 " + BODY_A + "\n", "-")
    article = page.articles[0]
    assert (article.kicker, article.headline) == ("安全伴我行", "雪天出门，这三件事别忘了！")
    # An article's closing call stays its last paragraph, and an interview's question stays a turn.
    page = parse_text("秋粮丰收\n\n" + BODY_A + "\n\n大家一起加油吧！\n\n城区新建公园五座\n\n" + BODY_B + "\n", "-")
    assert [len(a.paragraphs) for a in page.articles] == [2, 1]
    assert page.articles[1].headline == "城区新建公园五座"
    page = parse_text("秋粮丰收\n\n问：您今年种了几亩地？\n\n答：种了十亩玉米。\n", "-")
    assert page.articles[0].headline == "秋粮丰收" and len(page.articles[0].paragraphs) == 2


def test_joint_issuers_above_the_date_make_one_signoff_paragraph() -> None:
    head = "停电通知\n\n" + BODY_A + "\n\n"
    for issuers in ("河东县供电公司\n河东县应急管理局\n2026年3月2日\n",
                    "河东县供电公司\n\n河东县应急管理局\n\n2026年3月2日\n",
                    "河东县供电公司\n河东县应急管理局2026年3月2日\n"):
        page = parse_text(head + issuers, "-")
        paragraphs = page.articles[0].paragraphs
        assert len(page.articles) == 1 and len(paragraphs) == 2, issuers
        assert paragraphs[-1].signoff and "".join(paragraphs[-1].text.split()) == \
            "河东县供电公司河东县应急管理局2026年3月2日"


def test_a_bare_name_under_a_headline_is_its_byline() -> None:
    for name in ("钟 楠", "钟楠"):
        for gap in ("\n", "\n\n"):
            page = parse_text("让读书成为一种习惯" + gap + name + "\n\n" + BODY_A + "\n", "-")
            article = page.articles[0]
            assert (article.headline, article.subheadline, article.byline) == ("让读书成为一种习惯", None, ("钟楠",))
            assert article.byline_at == "start" and not page.doubts
    # A wrapped title's two-character tail stays in the title: the break cuts a word (``百分点``).
    page = parse_text("高于全市平均水平两个百\n\n分点\n\n" + BODY_A + "\n", "-")
    assert page.articles[0].byline == () and page.articles[0].headline == "高于全市平均水平两个百分点"


def test_a_line_saying_where_someone_stands_in_the_photo_is_a_caption() -> None:
    page = parse_text("秋粮丰收\n\n" + BODY_A + "\n\n农技员李华（左）查看玉米长势\n\n" + BODY_B + "\n", "-")
    assert [c.text for c in page.captions] == ["农技员李华（左）查看玉米长势"]
    assert len(page.articles) == 1 and len(page.articles[0].paragraphs) == 2


def test_a_label_and_its_number_after_a_column_break_are_one_paragraph() -> None:
    page = parse_text("停水通知\n\n" + BODY_A + "\n\n咨询电话：\n\n0358-1234567\n", "-")
    assert [p.text for p in page.articles[0].paragraphs][-1] == "咨询电话：0358-1234567"
    assert len(page.articles) == 1 and any(r.kind == "joined-label-value" for r in page.repairs)


def test_a_headline_printed_after_the_first_paragraph_heads_that_article() -> None:
    lead = "本报讯 今年以来，县里新建高标准农田三万亩，农田亩产提高一成。"
    rest = "新建的农田全部配套了喷灌设施，农民种地省水省工。（记者 周 航）"
    page = parse_text(lead + "\n\n三万亩高标准农田建成\n\n" + rest + "\n\n城区新建公园五座\n\n" + BODY_B + "\n", "-")
    assert [a.headline for a in page.articles] == ["三万亩高标准农田建成", "城区新建公园五座"]
    first = page.articles[0]
    assert len(first.paragraphs) == 2 and first.byline == ("周航",) and first.dateline == "本报讯"
    # An article closed by its byline keeps to itself: the title after it heads the next one.
    page = parse_text(lead + "（记者 周 航）\n\n城区新建公园五座\n\n" + BODY_B + "\n", "-")
    assert [a.headline for a in page.articles] == [None, "城区新建公园五座"]


def test_two_title_lines_of_one_length_joined_as_one_headline_are_doubted() -> None:
    page = parse_text("山村通了公交\n老人进城方便\n\n" + BODY_A + "\n", "-")
    assert page.articles[0].headline == "山村通了公交老人进城方便"
    assert [d.line for d in page.doubts] == [1] and "kicker" in page.doubts[0].what
    # A break inside a word settles it: no doubt.
    page = parse_text("全县推进冬季消防\n安全检查工作\n\n" + BODY_A.replace("推进", "推进消防安全") + "\n", "-")
    assert page.articles[0].headline == "全县推进冬季消防安全检查工作" and not page.doubts


def test_a_title_block_of_two_lines_of_one_length_that_reflow_joined_is_doubted() -> None:
    body = "\n".join(set_column(BODY_A + BODY_B, 10, "lost"))
    text = "全省中学生篮球联赛\n县一中男篮夺得冠军\n本报记者 于 航\n\n" + body + "\n"
    page = parse_text(text, "-")
    assert any("kicker" in doubt.what and doubt.line == 1 for doubt in page.doubts)
    # Reflow sets each line of a stack apart; kept as two titles, the pair is still doubted.
    article = page.articles[0]
    assert (article.kicker, article.headline, article.byline) == ("全省中学生篮球联赛", "县一中男篮夺得冠军", ("于航",))


def test_a_line_opening_with_a_particle_is_no_title() -> None:
    from pipeline.text.structure import classify_block
    assert classify_block(Block("的新型环保材料研发项目", (4,)), frozenset()) == "body"
    assert classify_block(Block("新型环保材料研发项目", (4,)), frozenset()) == "title"


def test_latin_ocr_garbage_is_never_a_title() -> None:
    page = parse_text("秋粮丰收\n\n" + BODY_A + "\n\nKT了Ue\n\n" + BODY_B + "\n", "-")
    assert [a.headline for a in page.articles] == ["秋粮丰收"]
    assert any("KT了Ue" in doubt.what for doubt in page.doubts)


def test_a_title_opening_a_quote_goes_on_in_the_short_block_that_closes_it() -> None:
    page = parse_text("留住乡村的“烟火\n\n" + BODY_A + "\n\n气”\n\n" + BODY_B + "\n", "-")
    assert page.articles[0].headline == "留住乡村的“烟火气”"
    assert any(r.kind == "rethreaded" for r in page.repairs)
    # A caption's credit closing a bracket is not a quote's end.
    page = parse_text("留住乡村的“烟火\n\n" + BODY_A + "\n\n摄）\n\n" + BODY_B + "\n", "-")
    assert page.articles[0].headline != "留住乡村的“烟火摄）"


def test_title_lines_inside_a_quote_its_first_line_opens_keep_their_order() -> None:
    # A quoted headline wrapped over three narrow lines: the middle line joins in its place,
    # with or without blank lines between, not after the line that closes the quote.
    for sep in ("\n", "\n\n"):
        page = parse_text(sep.join(("“让每一户人家都", "过上好日", "子”")) + "\n\n" + BODY_A + "\n", "-")
        assert page.articles[0].headline == "“让每一户人家都过上好日子”"
        assert not any(r.kind == "rethreaded" for r in page.repairs)


CANTEEN = ("县城新开三家社区食堂\n\n本报讯 近日，县城三个社区的老年\n食堂同时开张，每天为社区里的老人\n"
           "提供午餐和晚餐，一荤两素一汤只收\n十元钱。\n\n志愿者在城东社区食堂为老人介绍\n营养套餐\n"
           "食堂负责人说，下一步还将开设送餐\n上门服务，方便行动不便的老人吃上\n热乎饭。\n")


def test_a_caption_filling_the_body_column_keeps_its_wrapped_tail() -> None:
    # The caption line is as wide as the body's lines, the short line under it is its tail and
    # the body goes on under that: one caption, not a caption and a headline.
    page = parse_text(CANTEEN, "-")
    assert [a.headline for a in page.articles] == ["县城新开三家社区食堂"]
    assert [c.text for c in page.captions] == ["志愿者在城东社区食堂为老人介绍营养套餐"]
    # A dateline under the short line: it heads the next article.
    page = parse_text(CANTEEN.replace("食堂负责人说，下一步还将开设送餐", "本报讯 十二月一日，县里还将开设送餐"), "-")
    assert [a.headline for a in page.articles] == ["县城新开三家社区食堂", "营养套餐"]


def test_four_titles_each_after_a_blank_line_come_down_to_one_stack() -> None:
    # pdftotext sets a blank line after every line of a stack, so adjacency cannot show which two
    # lines are one wrapped title; their lengths still do, and no title is set as a paragraph.
    text = ("入冬以来\n\n全市平均气温较常年偏低一点五摄氏度\n\n全县供暖面积扩大到\n\n三百二十万平方米\n\n"
            "本报讯（记者 王 方）记者从县住建局获悉，今年全县新增供暖面积四十万平方米。\n\n"
            "县住建局负责人表示，将加强巡查，确保群众温暖过冬。\n")
    page = parse_text(text, "-")
    [article] = page.articles
    assert article.kicker == "入冬以来"
    assert {article.headline, article.subheadline} == {
        "全市平均气温较常年偏低一点五摄氏度", "全县供暖面积扩大到三百二十万平方米"}
    assert [p.text[:4] for p in article.paragraphs] == ["记者从县", "县住建局"]
    assert not page.doubts


def test_a_letter_spaced_headline_wrapped_across_a_blank_line_is_one_headline() -> None:
    page = parse_text("乡 村 春 晚\n\n闹 新 春\n\n" + BODY_A + "\n\n" + BODY_B + "\n", "-")
    assert [(a.kicker, a.headline) for a in page.articles] == [(None, "乡村春晚闹新春")]
    assert any("'乡村春晚' / '闹新春'" in doubt.what for doubt in page.doubts)  # halves of one length: asked
    # A longer second letter-spaced line is no tail: a kicker over its headline.
    page = parse_text("乡 村 春 晚\n\n闹 新 春 迎 新 年\n\n" + BODY_A + "\n", "-")
    assert [(a.kicker, a.headline) for a in page.articles] == [("乡村春晚", "闹新春迎新年")]


def test_a_paragraphs_first_line_read_into_the_titles_goes_back_to_its_paragraph() -> None:
    # pdftotext gave the paragraph's first line (a clause mark, a word cut at its end) before the
    # headline; the paragraph under the titles finishes the word.
    text = ("县域时评\n\n一张长椅、一盏路灯、一处公\n\n让小事情温暖大民心\n\n"
            "厕……这些小事看似平常，却是群众天天用得着的。\n\n办好民生实事，既要抓大项目，也要做好小事情。\n")
    page = parse_text(text, "-")
    [article] = page.articles
    assert (article.kicker, article.headline) == (None, "让小事情温暖大民心")
    assert article.paragraphs[0].text.startswith("一张长椅、一盏路灯、一处公厕……")
    assert any(r.kind == "rethreaded" and "一处公 | 厕" in r.detail for r in page.repairs)
    # A kicker with a comma over its headline stays a title when no word is cut.
    page = parse_text("县域时评\n\n小切口，大民生\n\n让小事情温暖大民心\n\n" + BODY_A + "\n", "-")
    assert page.articles[0].kicker == "小切口，大民生"


def test_a_section_name_right_over_a_headline_is_not_its_first_line() -> None:
    # No blank line parts the section's name from the first headline: it is still a whole line.
    text = ("健康之窗\n县医院开展“健康进万家”义诊\n"
            "本报讯 十二月五日，县医院组织专家到柳河乡开展义诊，为群众免费测量血压血糖。\n\n"
            "冬季流感疫苗开始接种\n本报讯 即日起，全县各乡镇卫生院开始为居民接种流感疫苗。\n")
    page = parse_text(text, "-")
    assert [h.text for h in page.page_headlines] == ["健康之窗"]
    assert [a.headline for a in page.articles] == ["县医院开展“健康进万家”义诊", "冬季流感疫苗开始接种"]


def test_a_headline_wrapped_inside_a_word_is_one_title_across_a_blank_line() -> None:
    page = parse_text("县农业农村局发布冬季小麦田间管理技\n\n术指导意见\n\n" + BODY_A + "\n", "-")
    titles = [(a.headline, a.subheadline) for a in page.articles]
    assert titles == [("县农业农村局发布冬季小麦田间管理技术指导意见", None)]
    # No word cut at the break: a headline over its subheadline.
    page = parse_text("县农业农村局发布冬季小麦田间管理要点\n\n科学防寒保苗情\n\n" + BODY_A + "\n", "-")
    titles = [(a.headline, a.subheadline) for a in page.articles]
    assert titles == [("县农业农村局发布冬季小麦田间管理要点", "科学防寒保苗情")]


def test_of_three_titles_the_short_last_line_under_the_second_is_the_seconds_tail() -> None:
    # The second and third lines stand together, apart from the first: the third wraps the second.
    page = parse_text("致全县广大青年的一封信\n\n一起建设我们的\n美丽乡村\n\n" + BODY_A + "\n", "-")
    article = page.articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        "致全县广大青年的一封信", "一起建设我们的美丽乡村", None)
    # All three apart: the short second line is the first one's tail, as before.
    page = parse_text("让每一位游客都感到\n\n宾至如归\n\n——记县文旅局服务窗口\n\n" + BODY_A + "\n", "-")
    assert page.articles[0].headline == "让每一位游客都感到宾至如归"


LAYOUT_STACK = """                   菜都是当天从村里合作社收来的，
 山村小学有了“暖          新鲜又便宜。
  心食堂”             校长介绍，食堂开办以来，学生
                   午饭吃得饱、吃得好，家长们都
全县改造农村学校食堂        很满意，家住得远的孩子中午
    四十二所          不用再带冷饭了。
  本报讯（记者 钟 立）走进白
岩村小学的新食堂，灶台擦得锃
亮，蒸笼里冒着热气，师傅们正
在给孩子们分饭。
"""


def test_a_row_a_layout_column_left_empty_parts_a_wrapped_headline_from_its_wrapped_subheadline() -> None:
    # pdftotext -layout: the headline's two lines, a row the left column leaves empty, then the
    # subheadline's two lines.  The skipped row is the blank line: the short last line is the
    # subheadline's tail, not a subheadline under a headline swallowing the line above it.
    article = parse_text(LAYOUT_STACK, "-").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        None, "山村小学有了“暖心食堂”", "全县改造农村学校食堂四十二所")


def test_a_byline_read_above_the_section_name_goes_to_the_article_not_an_empty_one() -> None:
    page = parse_text("□李明\n\n县域时评\n\n让小事情温暖大民心\n\n" + BODY_A + "\n\n" + BODY_B + "\n", "-")
    assert all(article.paragraphs for article in page.articles)
    assert [(a.headline, a.byline, a.byline_at) for a in page.articles] == [("让小事情温暖大民心", ("李明",), "start")]
    assert [(h.text, h.articles) for h in page.page_headlines] == [("县域时评", (0,))]


def test_an_interview_turn_cut_by_a_column_break_is_no_title() -> None:
    turns = ("郝明：今年种了十亩玉米，收成不错。", "记者：明年有什么打算？", "郝明：打算再扩种五亩。")
    text = "种粮大户的丰收账\n\n" + "\n\n".join(turns) + "\n\n记者：您家今年一共卖了多少\n\n郝明：三万多斤粮食\n"
    page = parse_text(text, "-")
    assert [a.headline for a in page.articles] == ["种粮大户的丰收账"]
    # A source naming itself before the headline's words still heads an article.
    page = parse_text("县气象局：本周将有寒潮\n\n" + BODY_A + "\n", "-")
    assert page.articles[0].headline == "县气象局：本周将有寒潮"


def test_a_short_second_line_of_three_is_the_first_ones_tail_not_a_headline_under_a_longer_kicker() -> None:
    page = parse_text("让每一位游客都感到\n\n宾至如归\n\n——记县文旅局服务窗口\n\n" + BODY_A + "\n", "-")
    article = page.articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        None, "让每一位游客都感到宾至如归", "——记县文旅局服务窗口")
    page = parse_text("金秋时节\n\n全县秋粮喜获丰收\n\n总产量增长一成\n\n" + BODY_A + "\n", "-")
    assert page.articles[0].kicker == "金秋时节"  # a kicker shorter than its headline stays one


def test_a_caption_run_on_to_a_paragraphs_end_is_split_off() -> None:
    # As the band re-threading may leave it: the caption's lines after the paragraph's last sentence.
    lines = ["城区新建公园五座，老旧小区", "改造全面完成。", "游客在新建的滨河公园", "散步（资料图片）"]
    starts = tuple(sum(map(len, lines[:i])) for i in range(len(lines)))
    page = build_page([Block("老旧小区焕新颜", (1,), (0,)), Block("".join(lines), (3, 4, 5, 6), starts)], "-", ())
    assert [c.text for c in page.captions] == ["游客在新建的滨河公园散步（资料图片）"]
    assert [p.text for p in page.articles[0].paragraphs] == ["城区新建公园五座，老旧小区改造全面完成。"]


NARROW_BRIEFS = """乡镇简讯

青岭乡开展冬季

道路安全整治

本报讯近日，青岭乡组织交通、农机等部门，
对辖区乡村道路开展安全整治。（通讯员 何 平）

东坪村修通入户

水泥路面

本报讯十一月下旬，东坪村修通入户水泥路
四公里，村民出行更方便了。（记者 钟 岩）

岁末看落实

停车难题有解

本报讯记者从县住建局获悉，今年县城新增
公共停车位八百个，缓解了停车难。（记者 钟 岩）
"""


@pytest.mark.parametrize(("third", "titles"), [
    ("岁末看落实\n\n停车难题有解", ("岁末看落实", "停车难题有解", None)),
    ("停车难题有解\n\n全县新增公共停车位八百个", (None, "停车难题有解", "全县新增公共停车位八百个")),
])
def test_a_headline_a_narrow_column_wrapped_is_one_headline(third: str, titles: tuple) -> None:
    # pdftotext of a four-column print: every headline wraps at the column (7 ems), with
    # blank lines between its lines as between a kicker and its headline.  A kicker over a
    # longer headline stays a kicker; a subheadline, set smaller, may be wider than the
    # headlines' measure and does not set it.
    page = parse_text(NARROW_BRIEFS.replace("岁末看落实\n\n停车难题有解", third), "-")
    assert [(a.kicker, a.headline, a.subheadline) for a in page.articles] == [
        (None, "青岭乡开展冬季道路安全整治", None), (None, "东坪村修通入户水泥路面", None), titles]
    assert not [d for d in page.doubts if "wrapped" in d.what]


def test_a_wrap_the_page_does_not_confirm_is_a_doubt() -> None:
    # One first line fills the measure and no other stack wraps: the evidence stays close.
    text = NARROW_BRIEFS.replace("东坪村修通入户\n\n水泥路面", "东坪村通自来水")
    page = parse_text(text, "-")
    assert page.articles[0].headline != "青岭乡开展冬季道路安全整治"
    assert [d.line for d in page.doubts if "one headline the column wrapped" in d.what] == [5]


def test_a_headline_wrapped_over_three_lines_is_one_headline() -> None:
    # Five columns: the headline takes three lines; reflow joins the last two, the first stands apart.
    text = """三农快讯

冬闲变冬忙

大棚里面摘
草莓

本报讯南湾村建成草莓大棚一百二十座，
农民冬闲变冬忙。（通讯员 白 露）

青岭乡开展

道路整治

本报讯近日，青岭乡对辖区乡村道路
开展安全整治。（通讯员 何 平）
"""
    page = parse_text(text, "-")
    assert [(a.kicker, a.headline) for a in page.articles] == [(None, "冬闲变冬忙大棚里面摘草莓"),
                                                            (None, "青岭乡开展道路整治")]
    assert not page.doubts


def test_a_subheadlines_dash_ocr_read_as_two_ones_is_a_dash_again_and_said() -> None:
    # tesseract reads the ``——`` opening a subheadline as two Han ``一``: they are not the text's.
    text = "冬日暖阳\n\n一一白石村志愿者为独居老人送温暖\n\n本报讯 十二月五日，白石村志愿者走访独居老人。\n"
    page = parse_text(text, "-")
    article = page.articles[0]
    assert (article.headline, article.subheadline) == ("冬日暖阳", "——白石村志愿者为独居老人送温暖")
    assert [(r.kind, r.line, r.removed) for r in page.repairs if r.kind == "ocr-dash-restored"] == [
        ("ocr-dash-restored", 3, "一一")]
    assert page_chars(page) + removed_chars(page.repairs) == counted_chars(text)
    # A third ``一`` (a figure), or a title under no title, is left alone.
    for kept in ("冬日暖阳\n\n一一一班学生慰问老人\n\n",
                 "一一落实惠民政策\n\n"):
        page = parse_text(kept + "本报讯 十二月五日，白石村志愿者走访独居老人。\n", "-")
        assert not [r for r in page.repairs if r.kind == "ocr-dash-restored"], kept
        assert page_chars(page) == counted_chars(kept + "本报讯 十二月五日，白石村志愿者走访独居老人。")


def test_a_dash_ocr_read_as_two_ones_comes_back_on_a_subheadline_with_a_comma() -> None:
    # A line with a clause comma is first taken for body text; once it is a title, its dash comes back.
    text = ("枫林代表团金牌数创历史新高！\n\n一一共获金牌三十一枚，\n列全市第二\n\n"
            "本报讯 十二月八日，澜江市第五届运动会落下帷幕，枫林县代表团获金牌三十一枚。\n")
    page = parse_text(text, "-")
    assert page.articles[0].subheadline == "——共获金牌三十一枚，列全市第二"
    assert [(r.kind, r.line) for r in page.repairs if r.kind == "ocr-dash-restored"] == [("ocr-dash-restored", 3)]


def test_a_quote_mark_ocr_read_in_a_bylines_gap_is_dropped() -> None:
    # The print's wide space between role and name comes back from OCR as a closing quote.
    text = """本报讯 〈通讯员 ” 孔令群) 县文化馆
近日开展“非遗进校园”活动，走进六所
中小学。
"""
    article = parse_text(text, "-").articles[0]
    assert [(c.role, c.names) for c in article.credits] == [("通讯员", ("孔令群",))]
    assert article.paragraphs[0].text.startswith("县文化馆近日开展“非遗进校园”活动")
    assert parse_byline("（通讯员 “ 孔令群）").names == ("孔令群",)
    assert parse_byline("“群众满意”", standalone=True) is None


def test_a_byline_on_its_own_line_closes_the_paragraph_whose_full_stop_ocr_lost() -> None:
    text = """本报讯 十二月三日，县文化馆举办剪纸
作品展，共展出作品八十余由
(通讯员 聂 青)
"""
    article = parse_text(text, "-").articles[0]
    assert [(c.role, c.names) for c in article.credits] == [("通讯员", ("聂青",))]
    assert article.byline_at == "end"
    assert article.paragraphs[0].text == "十二月三日，县文化馆举办剪纸作品展，共展出作品八十余由"
    # A bracket naming no role stays in the text.
    kept = parse_text(text.replace("(通讯员 聂 青)", "(含剪纸)"), "-").articles[0]
    assert kept.paragraphs[0].text.endswith("作品八十余由（含剪纸）") and not kept.credits


def test_ocr_noise_of_a_picture_is_dropped_reported_and_doubted() -> None:
    text = """县城新增三处停车场

本报讯 近日，县城新建的三处公共停车场投入使用，
新增车位四百个。

ET了Uo

停车场实行智能管理，市民可通过手机查询空余车位。
"""
    page = parse_text(text, "-")
    assert [p.text for p in page.articles[0].paragraphs] == [
        "近日，县城新建的三处公共停车场投入使用，新增车位四百个。",
        "停车场实行智能管理，市民可通过手机查询空余车位。"]
    assert [(r.kind, r.line, r.removed) for r in page.repairs if r.kind == "ocr-noise-dropped"] == [
        ("ocr-noise-dropped", 6, "ET了Uo")]
    assert [d.line for d in page.doubts] == [6]
    assert counted_chars(text) - removed_chars(page.repairs) == page_chars(page)


def test_ocr_noise_under_a_title_does_not_part_it_from_its_wrapped_tail() -> None:
    text = """紧盯目标任务狠抓工作落

人>

实
全县重点项目建设完成年度投资九成

本报讯 记者从县发展改革局获悉，截至十一月底，全县重点
项目累计完成投资五十二亿元。
"""
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline) == ("紧盯目标任务狠抓工作落实", "全县重点项目建设完成年度投资九成")


def test_a_captions_credit_opening_ocr_read_after_its_end_goes_back_before_it() -> None:
    # A justified caption pushed its credit right and wrapped its end under the words; OCR read the
    # words and the end, then the credit's opening.
    text = """县图书馆新添自助借还机

本报讯 近日，县图书馆在大厅安装了两台自助借还机，读者刷身份证就能自己借书还书。

读者在自助借还机前借书

摄)

(记者 方 园
"""
    page = parse_text(text, "-")
    assert [c.text for c in page.captions] == ["读者在自助借还机前借书 （记者 方 园摄）"]
    assert [p.text for p in page.articles[0].paragraphs] == [
        "近日，县图书馆在大厅安装了两台自助借还机，读者刷身份证就能自己借书还书。"]
    assert not page.doubts


def test_the_next_columns_top_read_inside_a_one_column_title_stack_goes_to_that_article() -> None:
    # The stack takes the first column's top; pdftotext reads the second column's first lines, which
    # stand level with the headline, before the subheadline.  They are the article's last paragraph.
    text = """金秋时节话丰收

县第五届农民丰收节开幕

“今年的苹果个头大、口感好，一天就卖了
两百多斤。”果农老周笑着说。

两万余名群众参加活动
本报讯（记者 聂 青）九月二十三日，县第五届
农民丰收节在东坪村开幕，展销农特产品三百余种。
"""
    page = parse_text(text, "-")
    assert [(a.kicker, a.headline, a.subheadline) for a in page.articles] == [
        ("金秋时节话丰收", "县第五届农民丰收节开幕", "两万余名群众参加活动")]
    assert [p.text[:6] for p in page.articles[0].paragraphs] == ["九月二十三日", "“今年的苹果"]
    # A paragraph opening as a story does is an article of its own.
    own = parse_text(text.replace("“今年的苹果", "近日，“今年的苹果"), "-")
    assert len(own.articles) == 2


def test_a_stacks_last_title_that_is_the_next_articles_headline_stands_alone() -> None:
    # Read in bands, the parking story's text came before its headline, which now sits on top of the
    # heating story's: each title's words are one article's alone.
    blocks = [Block("本报讯为缓解县城停车难问题，县住建局新建停车场五处，新增公共停车位八百个。（记者 韩 雪）", (1,)),
              Block("县城新增公共停车位八百个", (3,)), Block("冬季供暖正式启动", (5,)),
              Block("本报讯十一月十五日零时，县城集中供暖正式启动，供暖面积三百万平方米。（通讯员 郑小川）", (6,))]
    page = build_page(blocks, "-", ())
    assert [(a.kicker, a.headline, a.subheadline) for a in page.articles] == [
        (None, "县城新增公共停车位八百个", None), (None, "冬季供暖正式启动", None)]
    # Titles that share their topic stay one stack.
    blocks[2] = Block("全部接入智慧停车平台", (5,))
    assert [a.headline for a in build_page(blocks, "-", ()).articles].count(None) == 1


def test_a_bylines_opening_ocr_read_apart_goes_back_before_its_end() -> None:
    # The byline wrapped at a column's foot: OCR ran its end on to the paragraph it closes and read
    # its opening, a line alone, at the end of the page.
    text = """我县两项成果获省科技进步奖

本报讯日前，省科技进步奖评选结果揭晓，我县企
业完成的两项成果获得三等奖。军)

院士工作站落户开发区

本报讯十二月一日，我县首个院士工作站在县经济
技术开发区揭牌。（记者 孟 哲）

《通讯员 伍
"""
    page = parse_text(text, "-")
    assert [[(c.role, c.names) for c in a.credits] for a in page.articles] == [
        [("通讯员", ("伍军",))], [("记者", ("孟哲",))]]
    assert page.articles[0].paragraphs[0].text.endswith("获得三等奖。")
    assert not page.doubts


def test_a_subheadlines_dash_ocr_read_as_two_ones_still_marks_it() -> None:
    text = """把每一位老人当成自己的父母
一一对话县敬老院院长赵慧芳
□ 本报记者 李 默

在县敬老院工作的十五年里，赵慧芳把这里当成了自己的家。
"""
    page = parse_text(text, "-")
    article = page.articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        None, "把每一位老人当成自己的父母", "——对话县敬老院院长赵慧芳")  # and the dash is given back
    assert [r.removed for r in page.repairs if r.kind == "ocr-dash-restored"] == ["一一"]


def test_two_columns_headlines_read_one_after_the_other_head_their_own_articles() -> None:
    # pdftotext read the headlines of two columns' articles, standing level, before either text.
    blocks = [Block("县科技馆开展“科学之夜”活动", (1,)), Block("院士工作站落户开发区", (3,)),
              Block("本报讯十一月二十八日晚，县科技馆举办“科学之夜”活动，八百多名市民参加。（记者 孟 哲）", (5,)),
              Block("本报讯十二月一日，我县首个院士工作站在县经济技术开发区揭牌。（记者 孟 哲）", (7,))]
    page = build_page(blocks, "-", ())
    assert [(a.kicker, a.headline, a.subheadline) for a in page.articles] == [
        (None, "县科技馆开展“科学之夜”活动", None), (None, "院士工作站落户开发区", None)]


def test_a_bylines_box_ocr_read_as_a_character_and_a_bracket_is_dropped() -> None:
    text = """信贷活水浇灌小微企业
口] 通讯员孔 丽

今年以来，县内各银行机构累计向小微企业发放贷款二十六亿元。
"""
    page = parse_text(text, "-")
    assert [(c.role, c.names) for c in page.articles[0].credits] == [("通讯员", ("孔丽",))]
    assert [(r.kind, r.removed) for r in page.repairs if r.kind == "ocr-decoration-dropped"] == [
        ("ocr-decoration-dropped", "口")]


def test_a_sentences_opening_stranded_by_a_column_break_is_no_title() -> None:
    # The breaker set a caption inside the last paragraph; each piece stands between blank lines.
    text = """县电商直播基地销售额破亿元

本报讯 今年“双十一”期间，县电商直播基地累计实现销售额一亿二千万元。

下一步，县里将建设农产品

主播在县电商直播基地推介农特产品

分拣中心和冷链物流仓，进一步

降低电商企业的运营成本。
"""
    page = parse_text(text, "-")
    assert page.articles[0].headline == "县电商直播基地销售额破亿元"
    assert "下一步，县里将建设农产品" in [p.text for a in page.articles for p in a.paragraphs]
    assert all("下一步" not in (a.kicker or "") + (a.headline or "") for a in page.articles)


def test_a_notices_issuer_read_among_its_titles_signs_it_off() -> None:
    # pdftotext read the issuer at the next column's top, before the notice's title; the date stayed.
    text = """中共青岚县委精神文明建设委员会办公室

关于2026年度县级文明村镇拟命名名单的公示
经各单位申报、考核组实地考察，拟命名东坪村等十二个村镇为县级文明村镇，现予以公示。

2026年12月3日
"""
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        None, "关于2026年度县级文明村镇拟命名名单的公示", None)
    assert [(p.text, p.signoff) for p in article.paragraphs][-1] == (
        "中共青岚县委精神文明建设委员会办公室 2026年12月3日", True)


def test_a_draft_with_no_text_whose_neighbours_have_titles_and_datelines_is_set_as_text() -> None:
    from pipeline.model import Doubt
    from pipeline.text.structure import _Draft, _fold_empty_drafts

    def draft(first_line: int, text: str | None, dateline: str | None = "本报讯",
              headline: str | None = None, byline: Byline | None = None) -> _Draft:
        paragraphs = [Paragraph(text, None, (first_line + 1,))] if text else []
        return _Draft(paragraphs=paragraphs, dateline=dateline, byline=byline, first_line=first_line,
                      titles=(None, headline, None) if headline else None)

    # A brief's dateline and byline read apart from its text (pdftotext of side-by-side briefs):
    # both neighbours have a dateline and a headline of their own, so neither can take them as theirs.
    drafts = [draft(1, "县里召开冬季征兵工作会议。", headline="征兵体检开始"),
              draft(8, None, byline=Byline("通讯员", ("包文静",))),
              draft(12, "县图书馆新开一座城市书房。", headline="城市书房开放")]
    doubts: list[Doubt] = []
    assert _fold_empty_drafts(drafts, [], doubts) == []
    assert len(drafts) == 2 and all(d.paragraphs for d in drafts)
    assert [p.text for p in drafts[1].paragraphs] == ["本报讯", "县图书馆新开一座城市书房。"]
    assert drafts[1].byline == Byline("通讯员", ("包文静",)) and drafts[1].dateline == "本报讯"
    assert [d.line for d in doubts] == [8] and "'本报讯' has no text under it" in doubts[0].what
    # The last draft of a page goes to the one before it; a page of titles alone keeps them as its text.
    drafts = [draft(1, "县里召开冬季征兵工作会议。", headline="征兵体检开始"), draft(8, None, headline="城市书房开放")]
    assert _fold_empty_drafts(drafts, [], doubts) == [] and len(drafts) == 1
    assert [p.text for p in drafts[0].paragraphs] == ["县里召开冬季征兵工作会议。", "城市书房开放", "本报讯"]
    alone = [draft(3, None, dateline=None, headline="城市书房开放", byline=Byline(None, ("周平",)))]
    _fold_empty_drafts(alone, [], doubts)
    assert [p.text for p in alone[0].paragraphs] == ["城市书房开放"] and alone[0].titles is None
    assert alone[0].byline == Byline(None, ("周平",))


def test_a_comma_line_cut_mid_word_is_body_text_not_a_title() -> None:
    """pdftotext sets a line of the next column between a stranded line and the one it goes on in;
    a title-like line with a comma, a two-character phrase and a word cut at its end is body text."""
    page = build_page([Block("河湾村修通致富路", (1,)), Block("本报讯 今年以来，河湾村修通了一条致富路。", (3,)),
                       Block("昨夜，河边的柳", (5,)), Block("石桥村迎来春耕", (7,)),
                       Block("树发芽了，村民纷纷下地。", (9,))], "-", ())
    assert [article.kicker for article in page.articles] == [None]
    assert page.articles[0].paragraphs[-1].text == "昨夜，河边的柳树发芽了，村民纷纷下地。"


def test_a_name_wrapped_off_a_byline_goes_back_to_the_byline() -> None:
    """The last name's end stands under the byline its column wrapped; the title above it ends
    where no word goes on into it, so it is not the title's tail."""
    page = build_page([Block("“田埂上的老把式”", (1,)), Block("——访农技员孙德旺", (2,)),
                       Block("■ 本报记者 周 川 实习生 刘晓", (3,)), Block("婷", (4,)),
                       Block("孙德旺在田里转了三十年，哪块地缺什么肥，他一看就知道。", (5,))], "-", ())
    article = page.articles[0]
    assert article.subheadline == "——访农技员孙德旺"
    assert article.byline == ("周川", "刘晓婷")


def test_a_subheadline_wrapped_in_halves_under_its_headline_stays_one_subheadline() -> None:
    """The headline over a subheadline the column wrapped in halves, its figures in the tail: the
    middle line opens the subheadline; it is not the headline's tail."""
    text = ("修缮百年石桥留住乡愁\n\n青石古桥焕发新颜\n今年游客已达\n一万二千人次\n本报记者 林 川\n\n"
            "走进河湾村，一座青石古桥横跨小河。\n去年，村里请来工匠修缮古桥，还原了旧貌。\n")
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        "修缮百年石桥留住乡愁", "青石古桥焕发新颜", "今年游客已达一万二千人次")


def test_title_lines_over_the_byline_are_titles_not_a_paragraph() -> None:
    """A headline shorter than the column over a full-width subheadline, the byline right under
    them: reflow does not take the headline for a paragraph's first line without its indent."""
    text = ("修缮百年石桥留住乡愁\n\n河湾村古桥焕发新颜\n今年游客已达一万二千人次\n本报记者 林 川\n\n"
            "　　走进河湾村，一座青石古\n桥横跨小河。去年，村里请来\n工匠修缮古桥，还原了旧貌，\n"
            "游客越来越多了。\n　　村民说，古桥是全村的根，\n修好了古桥，乡愁也就留住\n了。\n")
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        "修缮百年石桥留住乡愁", "河湾村古桥焕发新颜", "今年游客已达一万二千人次")
    assert article.byline == ("林川",)


def test_a_headline_wrapped_at_its_sources_colon_is_one_headline() -> None:
    """``县气象局：`` over ``本周将有一次寒潮过程``: one headline, its source first; a label's colon
    (``咨询电话：``) and a salutation's (``各位乡亲：``) are not."""
    text = ("县水利局：\n今冬明春完成清淤八条\n\n本报讯 县水利局日前制定冬春水利建设计划。\n\n"
            "咨询电话：\n0358-6612345\n\n各位乡亲：\n冬季防火要牢记在心，进山不带火种。\n")
    page = parse_text(text, "-")
    article = page.articles[0]
    assert (article.kicker, article.headline) == (None, "县水利局：今冬明春完成清淤八条")
    texts = [p.text for p in article.paragraphs]
    assert "咨询电话：0358-6612345" in texts and any(text.startswith("各位乡亲：") for text in texts)
    assert len(page.articles) == 1


def test_an_interviewers_question_wrapped_by_ocr_stays_one_turn() -> None:
    """OCR's half-width marks make a turn's two lines look like a title stack; the turn goes on.
    A notice's label with its figures (``联系电话: 0358-…``) and the next turn do not join it."""
    text = ("记者: 这几年急诊科有哪些\n变化?\n\n郝建军: 最大的变化是建成了胸痛中心。\n\n"
            "记者: 今年的新设备有哪些\n郝建军: 添了两台救护车。\n")
    paragraphs = [p.text for p in parse_text(text, "-").articles[0].paragraphs]
    assert paragraphs == ["记者：这几年急诊科有哪些变化？", "郝建军：最大的变化是建成了胸痛中心。",
                          "记者：今年的新设备有哪些", "郝建军：添了两台救护车。"]


def test_one_character_between_a_sentences_end_and_a_new_turn_is_dropped_as_noise() -> None:
    """Nothing goes on into it or out of it: OCR's reading of a picture, dropped with a repair and a doubt."""
    text = "记者：这几年急诊科有哪些变化？\n\n朱\n\n郝建军：最大的变化是建成了胸痛中心。\n"
    page = parse_text(text, "-")
    assert [p.text for p in page.articles[0].paragraphs] == [
        "记者：这几年急诊科有哪些变化？", "郝建军：最大的变化是建成了胸痛中心。"]
    assert [r.removed for r in page.repairs if r.kind == "ocr-noise-dropped"] == ["朱"]
    assert any(d.line == 3 and "merge: [3]" in d.fix for d in page.doubts)


def test_a_title_wrapped_in_halves_of_an_odd_length_is_one_headline_and_doubted() -> None:
    """A centred title of fifteen characters wraps seven over eight: halves of one length too."""
    text = "山村通上了公交\n老人进城更方便了\n\n本报讯 今年，石门村开通了到县城的公交，老人进城看病不再难。\n"
    page = parse_text(text, "-")
    assert (page.articles[0].kicker, page.articles[0].headline) == (None, "山村通上了公交老人进城更方便了")
    assert [d.line for d in page.doubts] == [1] and "kicker" in page.doubts[0].what


def test_a_subheadline_under_a_wrapped_headline_is_not_the_headlines_tail() -> None:
    """``县首家院士工`` / ``作站落户樟湾`` is one headline (the break cuts a word); the longer line under
    it is its subheadline, not a tail shorter than the whole headline."""
    text = "县首家院士工\n作站落户樟湾\n聚焦新材料联合攻关\n\n本报讯 日前，县首家院士工作站在樟湾工业园揭牌。\n"
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        None, "县首家院士工作站落户樟湾", "聚焦新材料联合攻关")


def test_a_subheadline_wrapped_after_its_comma_is_one_subheadline() -> None:
    """``——共获金牌二十枚，`` / ``列全省第三``: the column wrapped the subheadline at its comma;
    a sentence's opening clause (``下一步，``) over a line is not a title."""
    text = ("全省青少年游泳锦标赛落幕\n\n我县代表队创历史最好成绩\n——共获金牌二十枚，\n列全省第三\n\n"
            "本报讯 日前，全省青少年游泳锦标赛落幕，我县代表队获金牌二十枚。\n")
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        "全省青少年游泳锦标赛落幕", "我县代表队创历史最好成绩", "——共获金牌二十枚，列全省第三")


def test_a_long_notice_title_wrapped_inside_a_word_is_one_headline() -> None:
    """Twenty-five characters over two lines, the break inside ``居民``: one headline, not a kicker
    over its headline."""
    text = ("关于做好2027年度城乡居\n民医疗保险集中缴费工作的通知\n\n"
            "各乡镇人民政府，县直有关单位：\n2027年度城乡居民基本医疗保险集中缴费工作已经开始。\n")
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline) == (None, "关于做好2027年度城乡居民医疗保险集中缴费工作的通知")


def test_a_commentators_signature_over_the_headline_stays_the_kicker() -> None:
    text = "本报评论员\n让“老手艺”\n焕发“新活力”\n\n非遗是乡村的文化名片。我们要让老手艺走进新生活。\n"
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline) == ("本报评论员", "让“老手艺”焕发“新活力”")


def test_a_scene_after_a_caption_under_a_paragraph_is_a_caption_too() -> None:
    """Two captions after a paragraph, the second without a credit (``货车在橘园旁装运柑橘``), then
    the next item's headline: the scene is no kicker."""
    text = ("柑橘丰收\n\n眼下，龙潭镇三千亩柑橘进入采摘期，果农们忙着采果、装箱。\n\n"
            "果农在橘园里采摘柑橘 通讯员 汤 原 摄\n\n货车在橘园旁装运柑橘\n\n腊味飘香\n\n"
            "入冬以来，家家户户晾晒腊肉腊肠，村里飘着腊味香。\n")
    page = parse_text(text, "-")
    assert [c.text for c in page.captions] == ["果农在橘园里采摘柑橘 通讯员 汤 原 摄", "货车在橘园旁装运柑橘"]
    assert [(a.kicker, a.headline) for a in page.articles] == [(None, "柑橘丰收"), (None, "腊味飘香")]


def test_a_headlines_second_line_read_after_the_next_columns_lines_goes_back() -> None:
    """pdftotext read ``河湾乡：冬季清淤全`` at the top and ``面展开`` a few blocks on; the word
    ``全面`` runs across the two, and the short line stands alone among body text."""
    text = ("河湾乡：冬季清淤全\n\n石门村便民超市\n开业\n本报讯 十一月三十日，石门村便民超市开业。\n\n"
            "面展开\n本报讯 入冬以来，河湾乡组织劳力清淤塘坝四十二口。\n")
    page = parse_text(text, "-")
    headlines = [a.headline for a in page.articles]
    assert "河湾乡：冬季清淤全面展开" in headlines and "面展开" not in headlines
    assert any(r.kind == "rethreaded" and r.line == 7 for r in page.repairs)


def test_a_dash_subheadline_closes_its_stack() -> None:
    """pdftotext set the next article's headline right under a stack that a ``——`` subheadline
    ends: that headline starts the next stack."""
    text = ("乡村学校\n——河湾小学见闻\n全县开展冬季消防演练\n\n"
            "本报讯 今年，河湾小学新建了食堂和图书室。\n\n本报讯 十二月五日，县消防救援大队组织演练。\n")
    page = parse_text(text, "-")
    titles = [(a.kicker, a.headline, a.subheadline) for a in page.articles]
    assert titles[0] == (None, "乡村学校", "——河湾小学见闻")
    assert (None, "全县开展冬季消防演练", None) in titles


def test_one_character_between_blank_lines_under_a_title_is_noise_not_its_tail() -> None:
    """``作`` alone under ``…这份防护指南请收好``, over the byline: OCR read a picture; a character
    right under its title (``…有序推`` / ``进``) is still the title's tail."""
    text = "流感高发季，这份防护指南请收好\n\n作\n\n本报记者 严 晴\n\n进入十二月，我县流感病例明显增多。\n"
    page = parse_text(text, "-")
    assert page.articles[0].headline == "流感高发季，这份防护指南请收好"
    assert [r.removed for r in page.repairs if r.kind == "ocr-noise-dropped"] == ["作"]
    tail = parse_text("全县冬季征兵工作有序推\n进\n\n本报讯 十二月一日，全县冬季征兵体检工作开始。\n", "-")
    assert tail.articles[0].headline == "全县冬季征兵工作有序推进"


def test_a_text_and_pictures_credit_under_the_headline_is_its_byline() -> None:
    text = ("她让留守儿童有了“第二个家”\n文/图 通讯员 巫 山\n\n　　每到周末，柏岗镇“童心驿站”里就格外热闹。驿\n"
            "站负责人聂小芳带着志愿者，陪孩子们读书、画画、\n做游戏。\n"
            "　　聂小芳说：“孩子们的父母大多在外打工，我们\n就是想让他们多一点陪伴。”\n")
    article = parse_text(text, "-").articles[0]
    assert (article.headline, article.byline) == ("她让留守儿童有了“第二个家”", ("巫山",))


def test_a_contact_line_ending_in_a_label_takes_its_number() -> None:
    """``联系人：邹老师，联系电话：`` and, after a column break, ``0791-5523166``: one paragraph."""
    text = ("报名地点在县政务服务中心三楼。\n联系人：邹老师，联系电话：\n\n0791-5523166\n"
            "枫林县城市管理综合服务中心\n2026年12月10日\n")
    page = parse_text(text, "-")
    texts = [p.text for a in page.articles for p in a.paragraphs]
    assert "联系人：邹老师，联系电话：0791-5523166" in texts
    assert [a.headline for a in page.articles] == [None]


def test_a_caption_set_inside_a_paragraphs_opening_line_is_taken_out() -> None:
    """``…观众为双方的精`` / ``石门村队球员在比赛中突破上篮`` / ``彩表现鼓掌喝彩。``: the first and the
    last are one sentence (``精彩``), the line between them its caption."""
    text = ("石门村队夺得篮球联赛冠军\n\n本报讯 十二月九日晚，县乡村篮球联赛总决赛开赛，石门村队夺得冠军。\n\n"
            "现场三千多名观众为双方的精\n\n石门村队球员在比赛中突破上篮\n\n彩表现鼓掌喝彩。\n")
    page = parse_text(text, "-")
    assert [a.headline for a in page.articles] == ["石门村队夺得篮球联赛冠军"]
    assert page.articles[0].paragraphs[-1].text == "现场三千多名观众为双方的精彩表现鼓掌喝彩。"
    assert [c.text for c in page.captions] == ["石门村队球员在比赛中突破上篮"]


def test_a_kicker_over_an_exclaimed_headline_wrapped_inside_a_word() -> None:
    text = ("全省第八届农民运动会\n石门县代表团奖牌\n数创历史新高！\n\n"
            "本报讯 十二月八日，全省第八届农民运动会落幕，石门县代表团获奖牌四十枚。\n")
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline) == ("全省第八届农民运动会", "石门县代表团奖牌数创历史新高！")


def test_a_short_kicker_over_a_headline_wrapped_in_halves_stays_the_kicker() -> None:
    """``留住一方青山`` (6) over ``白石镇全面推行`` / ``林长制见到成效`` (7 and 7): the first line is
    shorter than the second, the last two are halves of one length; the kicker stays apart."""
    text = ("留住一方青山\n白石镇全面推行\n林长制见到成效\n\n"
            "本报讯 今年以来，白石镇建立镇村两级林长体系，全镇森林覆盖率提高到百分之六十八。\n")
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline) == ("留住一方青山", "白石镇全面推行林长制见到成效")
    # A title wrapped in halves under a kicker as long as its first half still joins.
    text = "冬季走基层\n山村教师的\n二十年坚守\n\n本报讯 在北坪乡的山村小学，周老师已经教了二十年书。\n"
    article = parse_text(text, "-").articles[0]
    assert article.kicker == "冬季走基层"


def test_a_long_stack_joins_a_clause_cut_line_and_an_exclaimed_tail_before_lines_of_like_length() -> None:
    """Five title lines as OCR gives them: a kicker, a headline ending in ``!`` wrapped with no word
    across the break, a dash subheadline wrapped after its comma.  The kicker (as long as the
    headline's first line) stays the kicker."""
    text = ("湘江市第五届运动会\n青石代表团金牌数创\n历史新高!\n\n一一共获金牌二十八枚，\n列全市第三\n\n"
            "口本报记者 秦 川\n\n十二月八日，湘江市第五届运动\n会落下帷幕。青石县代表团派出\n"
            "一百六十名运动员参加比赛。\n")
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        "湘江市第五届运动会", "青石代表团金牌数创历史新高！", "——共获金牌二十八枚，列全市第三")


def test_a_byline_cut_inside_a_role_takes_the_line_that_ends_it() -> None:
    """``… 通讯员 江 河 实习`` / ``生林芳``: the column cut ``实习生``; the last name is the byline's."""
    text = ("乡村春晚\n\n本报记者 秦 川 通讯员 江 河 实习\n生林芳\n舞台搭在祠堂前的空地上，灯光一亮，\n"
            "台下坐满了人。二十多个节目全部由村民自编自演。\n")
    page = parse_text(text, "-")
    article = page.articles[0]
    assert article.byline == ("秦川", "江河", "林芳")
    assert [c.role for c in article.credits] == ["本报记者", "通讯员", "实习生"]
    assert [p.text for p in article.paragraphs] == [
        "舞台搭在祠堂前的空地上，灯光一亮，台下坐满了人。二十多个节目全部由村民自编自演。"]
    # A last name that merely looks like a role's start is left alone when the next line is body text.
    text = "乡村春晚\n\n本报记者 秦 川 通讯员 江 河\n生活在这里的村民自编自演了二十多个节目。\n"
    assert parse_text(text, "-").articles[0].byline == ("秦川", "江河")


def test_an_issuing_body_over_a_title_opening_with_guanyu_is_one_notice_title() -> None:
    """``青川县人民政府`` / ``关于冬季森林防火的通告``: a notice's title wrapped after its issuer, with or
    without a blank line between; an issuer set apart from ``关于…`` lines set together is not joined."""
    body = "为做好冬季森林防火工作，现将有关事项通告如下：\n\n一、全县禁止野外用火。\n"
    for stack in ("青川县人民政府\n\n关于冬季森林防火的通告\n\n", "青川县人民政府\n关于冬季森林防火的通告\n\n"):
        article = parse_text(stack + body, "-").articles[0]
        assert (article.kicker, article.headline) == (None, "青川县人民政府关于冬季森林防火的通告")
    article = parse_text("青川县林业局\n\n关于冬季森林\n防火的通告\n\n" + body, "-").articles[0]
    assert article.headline == "关于冬季森林防火的通告"


def test_a_long_stack_joins_a_short_last_line_to_the_long_line_over_it() -> None:
    """``全镇森林覆盖率连续五年稳定在六成`` / ``以上保持68%``: the subheadline's short tail ends the stack;
    the headline above, shorter than the subheadline's first line, is not joined to it (pdftotext
    sets the four title lines apart from the body, the kicker apart from the rest)."""
    text = ("绿色发展专版\n\n近年来，我镇建立镇、村两级林长体系，一百二十名林长分\n"
            "片包干，累计补植树木两万余株，清理违规林地四百多处。\n\n留住一方青山\n\n"
            "白石镇全面推行林长制见到成效\n全镇森林覆盖率连续五年稳定在六成\n以上保持68%\n"
            "■ 本报记者 方 圆 通讯员 江 河\n清晨，白石镇林长周建华沿着山路巡查，手机里的巡林软\n"
            "件记录下他走过的每一段路线。“发现问题随手一拍，上\n传平台，相关部门很快就会来处理。”周建华说。\n")
    article = parse_text(text, "-").articles[-1]
    assert (article.kicker, article.headline, article.subheadline) == (
        "留住一方青山", "白石镇全面推行林长制见到成效", "全镇森林覆盖率连续五年稳定在六成以上保持68%")


def test_a_paragraphs_cut_first_line_under_the_headline_is_body_not_a_subheadline() -> None:
    """``春节将至，县非遗工坊的剪纸`` under the headline, a caption, then ``艺人忙着…``: the line
    with an opening phrase and a longer rest is the paragraph's first line (a subheadline
    with a comma over body text would be a headline's two halves)."""
    text = ("剪纸迎春\n\n春节将至，县非遗工坊的剪纸\n\n剪纸艺人在工坊里剪窗花 本报记者 林 木 摄\n\n"
            "艺人忙着赶制各式窗花，供应年货市场。\n")
    page = parse_text(text, "-")
    assert [(a.headline, a.subheadline) for a in page.articles] == [("剪纸迎春", None)]
    assert page.articles[0].paragraphs[0].text == "春节将至，县非遗工坊的剪纸艺人忙着赶制各式窗花，供应年货市场。"
    assert [c.text for c in page.captions] == ["剪纸艺人在工坊里剪窗花 本报记者 林 木 摄"]
    # Two halves of one measure under a kicker stay a headline.
    text = "乡村振兴\n\n强基础，促发展\n\n全县今年新建高标准农田三万亩，种粮大户的积极性明显提高。\n"
    assert [(a.kicker, a.headline) for a in parse_text(text, "-").articles] == [("乡村振兴", "强基础，促发展")]


def test_a_line_ending_in_a_lone_function_word_is_body_not_a_title() -> None:
    """``现场两千多名球迷为`` alone between blank lines ends in ``为`` standing alone: a column
    break cut the sentence, the next block finishes it.  A wrapped title whose first line ends
    in ``的`` stays one title."""
    text = ("石门村队夺得篮球联赛冠军\n\n本报讯 十二月九日晚，县乡村篮球联赛总决赛开赛，石门村队夺得冠军。\n\n"
            "现场两千多名球迷为\n\n双方的精彩表现鼓掌喝彩。\n")
    page = parse_text(text, "-")
    assert [a.headline for a in page.articles] == ["石门村队夺得篮球联赛冠军"]
    assert page.articles[0].paragraphs[-1].text == "现场两千多名球迷为双方的精彩表现鼓掌喝彩。"
    text = "关于2027年度县级文明村镇拟命名名单的\n公示\n\n经各单位申报，考核组实地考察，现予公示。\n"
    assert [a.headline for a in parse_text(text, "-").articles] == ["关于2027年度县级文明村镇拟命名名单的公示"]


def test_a_figure_alone_among_titles_finishes_the_title_ending_in_a_verb_of_amount() -> None:
    """pdftotext of briefs side by side: ``…产值增长`` and its ``8.3%`` apart, another column's headline
    between them."""
    text = ("乡镇快讯\n\n石桥镇工业产值增长\n\n县图书馆开\n展读书月活\n动\n\n8.3%\n"
            "本报讯 今年前十个月，石桥镇工业产值同比增长8.3%。（记者 尚 文）\n\n"
            "本报讯 十一月，县图书馆开展读书月活动二十场。（通讯员 秦 岭）\n")
    headlines = [a.headline for a in parse_text(text, "-").articles]
    assert "石桥镇工业产值增长8.3%" in headlines and "8.3%" not in headlines


def test_a_verb_of_amount_and_its_figure_alone_finish_the_title_wrapped_before_them() -> None:
    """pdftotext read ``…覆盖率`` and ``达98%`` apart, body text of the column beside between them."""
    text = ("全县农村自来水普及率\n\n本报讯 今年以来，县水利局新建改建农村供水工程四十处，\n\n达98%\n\n"
            "惠及群众十二万人。（记者 尚 文）\n")
    headlines = [a.headline for a in parse_text(text, "-").articles]
    assert headlines == ["全县农村自来水普及率达98%"]
    # Under a kicker, the figure finishes the nearest title above it, not the kicker.
    article = parse_text("冬日喜讯\n\n" + text, "-").articles[0]
    titles = (article.kicker, article.headline, article.subheadline)
    assert "冬日喜讯" in titles and "全县农村自来水普及率达98%" in titles
    # Right under a title it is that title's wrapped tail, and no title further up takes it.
    blocks = [Block("前十个月", (1,)), Block("全县农村自来水普及率", (3,)), Block("达98%", (4,)),
              Block("本报讯 今年以来，县水利局新建改建农村供水工程四十处。", (6,))]
    article = build_page(blocks, "-", ()).articles[0]
    titles = (article.kicker, article.headline, article.subheadline)
    assert "前十个月" in titles and "全县农村自来水普及率达98%" in titles


def test_a_title_line_ending_in_guanyu_is_the_first_line_of_one_headline() -> None:
    """``青山县人民政府关于`` over ``冬季森林防火的通告``: the notice's headline wrapped after 关于, not a
    kicker over its headline."""
    text = "青山县人民政府关于\n冬季森林防火的通告\n\n为做好今冬森林防火工作，现将有关事项通告如下：\n"
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline) == (None, "青山县人民政府关于冬季森林防火的通告")


CAPTION_CUT_PAGE = """县第三届乡村篮球联赛落幕

　　十二月九日晚县第三届乡村篮球
联赛总决赛在鹤鸣乡体育广场开赛鹤
鸣乡队以七十八比七十一战胜石桥乡
队夺得冠军本届联赛共有十二支乡镇
代表队参赛，历时一个月。

　　场边的两千多名球迷挥舞小红旗

白沙村队员在比赛中投篮

为家乡队加油。
"""


def test_a_paragraphs_indented_first_line_a_caption_cut_off_joins_its_short_end() -> None:
    # The line is as wide as the column less the indent and no word runs across the caption:
    # it is the paragraph's first line, the caption stood inside it, the sentence ends below.
    page = parse_text(CAPTION_CUT_PAGE, "-")
    assert [a.headline for a in page.articles] == ["县第三届乡村篮球联赛落幕"]
    assert page.articles[0].paragraphs[-1].text == "场边的两千多名球迷挥舞小红旗为家乡队加油。"
    assert [c.text for c in page.captions] == ["白沙村队员在比赛中投篮"]
    assert [r.kind for r in page.repairs] == ["joined-around-caption"]
    # A headline as wide over an article of its own (more than a sentence's end) stays a headline.
    article = "本报讯 十二月十日，县老年人门球赛在城关镇\n举行，二十支队伍参赛。"
    text = CAPTION_CUT_PAGE.replace("为家乡队加油。", article)
    assert [a.headline for a in parse_text(text, "-").articles][-1] == "场边的两千多名球迷挥舞小红旗"


def test_a_quotation_a_caption_cut_after_a_full_stop_goes_on_where_it_closes() -> None:
    # The speaker's quotation is open at ``接送。``; the block after the caption closes it.
    text = """课后服务受欢迎

本报讯今年秋季学期，我县全面推
行“5+2”课后服务模式，学校每周
五天开展课后服务，每天至少两小
时，目前全县八十七所小学开设课
后服务社团一千二百多个。

家长柳青说：“以前孩子放学
早，我们下班晚，只能托人接送。

城关小学学生在课后服务时间练习书法 贝 佳 摄

现在孩子在学校写完作业、上完
兴趣课，我们下班正好去接。”
"""
    page = parse_text(text, "-")
    assert [p.text for p in page.articles[0].paragraphs][-1] == (
        "家长柳青说：“以前孩子放学早，我们下班晚，只能托人接送。现在孩子在学校写完作业、上完兴趣课，我们下班正好去接。”")
    assert [c.text for c in page.captions] == ["城关小学学生在课后服务时间练习书法 贝 佳 摄"]
    # A quotation closed in its own block ends there: the next paragraph stays one of its own.
    closed = text.replace("只能托人接送。", "只能托人接送。”").replace("正好去接。”", "正好去接。")
    assert len(parse_text(closed, "-").articles[0].paragraphs) == 3


def test_untitled_text_after_a_titled_article_read_in_bands_is_its_rest_not_a_headless_article() -> None:
    blocks = [Block("老旧小区焕新颜", (1,)), Block("本报讯 今年，城区完成老旧小区改造十二个。（记者 钟 岩）", (3,)),
              Block("居民王大爷说，楼道亮了，路也平了，出门方便多了。", (5,))]
    banded = (Repair("rethreaded", 9, "…的 | 路…"),)  # the page's columns were read in bands
    page = build_page(blocks, "-", banded)
    assert [(a.headline, len(a.paragraphs)) for a in page.articles] == [("老旧小区焕新颜", 2)]
    assert [d.line for d in page.doubts if "has no title" in d.what] == [5]
    # Read column by column, the byline closed the article: the text after it is another one.
    assert len(build_page(blocks, "-", ()).articles) == 2
    # A brief with its own byline or dateline stays a brief.
    brief = Block("本报讯 县图书馆近日开放城市书房。（通讯员 秦 岭）", (5,))
    assert len(build_page([*blocks[:2], brief], "-", banded).articles) == 2


def test_the_pages_first_text_before_any_title_opens_the_titled_article_after_it() -> None:
    # pdftotext read the article's first column before the headline set over its other columns.
    blocks = [Block("随着老龄化程度加深，越来越多的家庭面临照护难题。", (1,)), Block("县域论坛", (3,)),
              Block("办好家门口的养老服务", (5,)), Block("近年来，我县在城乡建起家门口的养老服务中心六十多处。", (7,))]
    page = build_page(blocks, "-", ())
    assert [(a.headline, [p.text[:4] for p in a.paragraphs]) for a in page.articles] == [
        ("办好家门口的养老服务", ["随着老龄", "近年来，"])]
    assert [(h.text, h.articles) for h in page.page_headlines] == [("县域论坛", (0,))]
    assert [d.line for d in page.doubts if "before any title" in d.what] == [1]


def test_a_sentence_goes_on_under_the_captions_set_inside_its_paragraph() -> None:
    text = """非遗灯彩迎新年

新年将至，县文化馆的灯彩艺人加紧赶制各式花灯，准备

游客在城关镇老街观赏花灯
花灯艺人在工作室扎制龙灯 通讯员 汤 原 摄

在元宵灯会上展出。
"""
    page = parse_text(text, "-")
    assert [p.text for p in page.articles[0].paragraphs] == [
        "新年将至，县文化馆的灯彩艺人加紧赶制各式花灯，准备在元宵灯会上展出。"]
    assert len(page.captions) == 2
    # Text under the captions that opens a brief of its own (a dateline) does not go on the sentence.
    brief = text.replace("在元宵灯会上展出。", "本报讯 县图书馆近日开放城市书房。")
    assert not any(p.text.endswith("准备本报讯") or "准备县图书馆" in p.text
                   for a in parse_text(brief, "-").articles for p in a.paragraphs)


def test_a_caption_telling_where_someone_stands_in_the_photo_is_not_run_into_the_sentence_it_cuts() -> None:
    text = """剪纸艺术进校园

　　每周三下午，白石镇中心小学的
美术教室里都格外热闹。县级非遗传
承人周秀英手把手地教孩子们剪窗花，
一把剪刀、一张红纸，不一会儿就剪
出了喜鹊登梅。
　　据了解，学校已把剪纸纳入
校本课程，每学期开课十六节，还

周秀英（左）指导学生剪纸

将在明年春节前举办学生剪纸作
品展。
"""
    page = parse_text(text, "-")
    assert [c.text for c in page.captions] == ["周秀英（左）指导学生剪纸"]
    assert page.articles[0].paragraphs[-1].text == (
        "据了解，学校已把剪纸纳入校本课程，每学期开课十六节，还将在明年春节前举办学生剪纸作品展。")


PICTURE_IN_PARAGRAPH_PAGE = """图片新闻

候鸟飞临石湖湾

近几年来，石湖镇实施退耕还湿，湿
地生态持续向好，来此越冬的候鸟逐
年增多，今冬已监测到天鹅、白鹤等
鸟类三十余种。

梨园飘香

眼下，县里万亩梨园迎来丰收时

果农在梨园里采摘酥梨 通讯员 石 明 摄果农在梨园里采摘酥梨 通讯员 石 明 摄
游客在梨园里拍照留念 （资料图片）

节，果农们忙着采摘、分拣、装箱，
客商纷纷上门收购。
"""


def test_a_line_with_a_clause_mark_cut_off_by_a_pictures_captions_is_the_paragraphs_first_line() -> None:
    # ``…丰收时`` / the captions (one printed twice) / ``节，…``: the word 时节 runs across the
    # pictures, so the line under the headline is the paragraph's first line, not a title.
    page = parse_text(PICTURE_IN_PARAGRAPH_PAGE, "-")
    assert [(a.kicker, a.headline, a.subheadline) for a in page.articles][-1] == (None, "梨园飘香", None)
    assert [p.text for p in page.articles[-1].paragraphs] == [
        "眼下，县里万亩梨园迎来丰收时节，果农们忙着采摘、分拣、装箱，客商纷纷上门收购。"]
    assert [c.text for c in page.captions] == ["果农在梨园里采摘酥梨 通讯员 石 明 摄",
                                               "游客在梨园里拍照留念（资料图片）"]
    # A subheadline with a comma over the same captions, that no word joins to the text after them, stays.
    text = PICTURE_IN_PARAGRAPH_PAGE.replace("眼下，县里万亩梨园迎来丰收时", "产量增长三成，梨农喜获丰收")
    text = text.replace("节，果农们", "本报讯 近日，果农们")
    last = parse_text(text, "-").articles[-1]
    assert "产量增长三成，梨农喜获丰收" in (last.kicker, last.headline, last.subheadline)
    assert [p.text for p in last.paragraphs] == ["近日，果农们忙着采摘、分拣、装箱，客商纷纷上门收购。"]


SHORT_PHOTO_STORY_PAGE = """图片新闻

候鸟飞临石湖湾

近几年来，石湖镇
实施退耕还湿，湿地生
态持续向好，来此越冬
的候鸟逐年增多。

石湖镇湿地上空飞翔的天鹅 本报记者 石 明 摄

梨园飘香

近日，县里的梨园
迎来丰收季，果农们忙

果农在梨园里采摘酥梨 通讯员 石 明 摄
游客在梨园里拍照留念 本报记者 石 明 摄

着采摘、分拣，客商纷
纷上门收购。
"""


def test_a_short_storys_column_is_not_measured_on_its_captions_credit_lines() -> None:
    # The story has four body lines of ten ems and two captions nearly twice as wide: its first
    # line (``近日，县里的梨园``, indented) is a paragraph's, not a title short of a wide column.
    page = parse_text(SHORT_PHOTO_STORY_PAGE, "-")
    assert [(a.headline, [p.text for p in a.paragraphs]) for a in page.articles][-1] == (
        "梨园飘香", ["近日，县里的梨园迎来丰收季，果农们忙着采摘、分拣，客商纷纷上门收购。"])
    assert len(page.captions) == 3


def test_a_spaced_headlines_wrapped_tail_of_two_spaced_letters_stays_with_it() -> None:
    # ``社 区`` is two letters set apart like the line above: the headline's last two characters,
    # not a kicker's or a subheadline's; the unspaced line under it is the subheadline.
    text = ("非 遗 文 化 进\n   社 区\n县文化馆开设剪纸公益课堂\n\n"
            "本报讯（通讯员 方 舟）每周六上午，县文化馆的剪纸老师走进城东社区，手把手地教居民剪窗花。\n")
    article = parse_text(text, "-").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        None, "非遗文化进社区", "县文化馆开设剪纸公益课堂")
    # Two letters set apart under a text line are no title's tail: the line under them is not joined to them.
    names = "县文化馆开设剪纸公益课堂\n\n本报讯 每周六上午，老师走进城东社区。\n\n方 舟\n城东社区居民在学剪纸\n"
    assert "方舟城东社区居民在学剪纸" not in [p.text for a in parse_text(names, "-").articles for p in a.paragraphs]


def test_a_layout_rows_spaced_piece_does_not_make_the_other_columns_piece_spaced() -> None:
    # ``pdftotext -layout`` row 2 holds a spaced headline in one column and, in the next, the first line
    # of a headline wrapped inside a word (``县图书馆举办古籍修`` / ``复体验活动``): only the spaced piece is spaced.
    from pipeline.text.structure import STRONG, _wraps, spaced_lines

    spaced = spaced_lines([Repair("letterspacing-removed", 2, "剪 纸 艺 术 进校 园 → 剪纸艺术进校园")])
    assert spaced == {2}
    first, second = Block("县图书馆举办古籍修", (2,)), Block("复体验活动", (3,))
    assert _wraps(first, second, spaced, set()) == STRONG
    assert _wraps(first, second, frozenset({2}), set()) != STRONG  # the line number alone said spaced
    # The spaced piece itself still counts as spaced: it wraps only by the spaced rule (weakly).
    assert _wraps(Block("剪纸艺术进校园", (2, 3)), Block("松溪镇中心小学开设非遗课堂", (4,)), spaced, set()) != STRONG


def test_a_bare_name_under_a_wrapped_titles_short_tail_is_the_byline() -> None:
    # ``让“口袋公园”多起来也`` / ``美起来`` / ``林帆`` (a commentary's signature, its padding lost): the
    # name follows the whole title, not its three-character tail, and no word runs across to it.
    blocks = [Block("青岚论坛", (1,), (), False), Block("让“口袋公园”多起来也", (3,), (), True),
              Block("美起来", (4,), (), False), Block("林帆", (5,), (), False),
              Block("今年以来，城区见缝插绿建起“口袋公园”二十多处，市民出门就能见绿。", (7,), (), False)]
    article = build_page(blocks, "-", ()).articles[-1]
    assert (article.headline, article.byline) == ("让“口袋公园”多起来也美起来", ("林帆",))
    # A wrapped title's short tail that goes on with the title's last word stays the title's.
    blocks[3] = Block("开展", (5,), (), False)
    blocks[1], blocks[2] = Block("县城乡环境整治行动全面", (3,), (), True), Block("铺", (4,), (), False)
    assert build_page(blocks, "-", ()).articles[-1].byline == ()


def test_a_centred_titles_short_last_line_does_not_run_into_the_text_under_it() -> None:
    # ``名单的公示`` is set centred (far more indented than a paragraph's first line) right over the
    # first paragraph, whose indent the converter lost: the title ends there.
    text = ("关于公布县级乡村旅游重点村\n　　　名单的公示\n经各乡镇推荐、专家评审，拟将东坡村\n"
            "等八个村列为县级乡村旅游重点村，现予\n以公示。\n　　公示期间如有异议，请以书面形式向\n"
            "县文化和旅游局反映，反映情况应当客观\n真实。\n　　公示时间为十二月五日至十一日，共\n七天。\n")
    article = parse_text(text, "-").articles[0]
    assert article.headline == "关于公布县级乡村旅游重点村名单的公示"
    assert article.paragraphs[0].text == (
        "经各乡镇推荐、专家评审，拟将东坡村等八个村列为县级乡村旅游重点村，现予以公示。")
    # An interview's turns keep their speakers with them (a guard: the exception for speakers was
    # measured on the fresh prints' interviews, where pdftotext -layout sets a label apart).
    turns = ("　　杨建明：这条路我走了二十六年。\n　　记者：有没有想过离开？\n　　　杨建明\n"
             "想过，可看到孩子们的眼睛，就舍不得\n走了。\n　　记者：学校现在有多少学生？\n")
    paragraphs = [p.text for a in parse_text(turns, "-").articles for p in a.paragraphs]
    assert "杨建明" not in paragraphs


@pytest.mark.parametrize(("end", "closing"), [("违者将依法严肃处", "本通告自公布之日起执行。"),
                                              ("逾期未改的将依法查", "本办法由县林业局负责解释。")])
def test_a_notices_closing_sentence_never_finishes_a_cut_item(end: str, closing: str) -> None:
    # The last item's end was lost (OCR read a stamp instead): the stock closing sentence after it
    # is a paragraph of its own, not the rest of the item's sentence.
    text = ("关于开展冬季森林防火检查的通知\n\n各乡镇人民政府：\n\n一、各乡镇要组织专人对林区\n"
            f"入口开展巡查，严禁携带火种\n进山。\n\n二、对检查中发现的隐患，要\n限期整改，{end}\n\n"
            f"Ex   WA\n\n{closing}\n\n青川县林业局\n2026年11月28日\n")
    page = parse_text(text, "t.txt")
    assert [p.text for a in page.articles for p in a.paragraphs][-3:] == [
        f"二、对检查中发现的隐患，要限期整改，{end}", closing, "青川县林业局 2026年11月28日"]
    assert not any(r.kind == "rethreaded" for r in page.repairs)


def test_a_cut_item_does_not_run_on_into_the_notices_sign_off() -> None:
    # ``严肃处`` / ``云溪县…`` runs on to the dictionary (no word ends at the break): but an issuer
    # and a date finish no sentence.
    text = ("关于开展冬季森林防火检查的通知\n\n各乡镇人民政府：\n\n一、各乡镇要组织专人对林区\n"
            "入口开展巡查，严禁携带火种\n进山。\n\n二、对检查中发现的隐患，要\n限期整改，违者将依法严肃处\n\n"
            "Ex   WA\n\n云溪县林业局\n2026年11月28日\n")
    page = parse_text(text, "t.txt")
    assert [p.text for a in page.articles for p in a.paragraphs][-2:] == [
        "二、对检查中发现的隐患，要限期整改，违者将依法严肃处", "云溪县林业局 2026年11月28日"]


def test_short_lines_ocr_read_from_a_picture_are_dropped_and_reported() -> None:
    # Under the last paragraph OCR read a photo as ``叶`` / ``口米`` and ``下`` / ``3B``: no paragraph
    # of the page, each line's characters named in a repair.  A section's name wrapped in two
    # short lines (``乡镇`` / ``简讯``) reads as words and stays.
    text = ("乡镇\n简讯\n\n石门村通上天然气\n\n本报讯 近日，石门村一百二十户村\n民用上了管道天然气。\n\n"
            "叶\n口米\n\n下\n3B\n")
    page = parse_text(text, "t.txt")
    assert [p.text for a in page.articles for p in a.paragraphs] == ["近日，石门村一百二十户村民用上了管道天然气。"]
    assert [h.text for h in page.page_headlines] == ["乡镇简讯"]
    assert [(r.line, r.removed) for r in page.repairs if r.kind == "ocr-noise-dropped"] == [
        (9, "叶"), (10, "口米"), (12, "下"), (13, "3B")]


def test_a_contact_number_ends_its_entry_and_no_sentence_goes_on_from_it() -> None:
    # ``咨询电话：0771-5512345`` has no full stop, yet it is complete: the figures that open the next
    # paragraph (``2027年…``) are not more of the number.
    text = ("关于办理困难家庭临时救助的公告\n\n一、申请对象。本县户籍、家庭人均收入低于最低生活保障标准的困难家庭。\n\n"
            "咨询电话：0771-5512345\n\n2027年3月31日前提出申请的，优先办理。\n\n青川县民政局\n2026年12月1日\n")
    page = parse_text(text, "t.txt")
    assert [p.text for a in page.articles for p in a.paragraphs] == [
        "一、申请对象。本县户籍、家庭人均收入低于最低生活保障标准的困难家庭。", "咨询电话：0771-5512345",
        "2027年3月31日前提出申请的，优先办理。", "青川县民政局 2026年12月1日"]


def test_a_sign_off_read_as_one_block_keeps_its_date_apart_from_the_issuer() -> None:
    # Reflow ran the issuer and the date on from the closing sentence without a space: the sign-off
    # still has one, so the layout sets the date on its own line when the two do not fit on one.
    text = ("关于开展冬季森林防火检查的通知\n\n各乡镇人民政府：\n\n一、各乡镇要组织专人对林区\n"
            "入口开展巡查，严禁携带火种\n进山。\n\n本通知自印发之日起执行。\n青川县林业局森林防火办公室\n2026年11月28日\n")
    paragraphs = [p for a in parse_text(text, "t.txt").articles for p in a.paragraphs]
    assert (paragraphs[-1].text, paragraphs[-1].signoff) == ("青川县林业局森林防火办公室 2026年11月28日", True)


def test_names_listed_one_a_line_are_not_read_as_a_picture() -> None:
    # Short lines one after another without a word of the dictionary: but each a surname and a
    # given name, so a list of people (here under a notice's line), kept as text.  (Where they are
    # set is another matter: the stack rules may read them as titles.)
    text = ("关于表彰优秀志愿者的决定\n\n经评选，以下同志被评为年度优秀志愿者：\n\n刘洋\n陈 静\n王敏\n\n"
            "希望受表彰的同志再接再厉。\n")
    page = parse_text(text, "t.txt")
    assert not [r for r in page.repairs if r.kind == "ocr-noise-dropped"]
    kept = "".join("".join(part.split()) for part in page.texts())
    assert all(name in kept for name in ("刘洋", "陈静", "王敏"))


def test_a_speaker_cut_from_the_words_they_said_goes_back_in_front_of_them() -> None:
    # A column's edge left the speaker's role and name alone on a line (``镇文化站站长孙明远``); the
    # next block opens with what they said and no one to say it (``笑着说：“…``): one paragraph.
    text = ("乡村书屋开到家门口\n\n本报讯 近日，石门镇的农家书屋迎来了一批新书，前来借阅的群众络绎不绝。\n\n"
            "镇文化站站长孙明远\n\n笑着说：“今年我们新添了两千册图书，群众借阅很方便。”\n\n"
            "冬季运动会开幕\n\n本报讯 十二月一日，县冬季运动会开幕。\n\n他说：“大家要注意安全。”\n")
    page = parse_text(text, "t.txt")
    assert [(a.headline, [p.text for p in a.paragraphs]) for a in page.articles] == [
        ("乡村书屋开到家门口", ["近日，石门镇的农家书屋迎来了一批新书，前来借阅的群众络绎不绝。",
                         "镇文化站站长孙明远笑着说：“今年我们新添了两千册图书，群众借阅很方便。”"]),
        ("冬季运动会开幕", ["十二月一日，县冬季运动会开幕。", "他说：“大家要注意安全。”"]),
    ]
    assert any(r.kind == "joined-stranded-line" for r in page.repairs)


def test_a_kicker_as_wide_as_the_wrapped_headline_under_it_stays_a_kicker() -> None:
    # The page's headlines wrap at eight characters; the kicker happens to be eight too.  The
    # headline's two lines are set together, the kicker a blank line apart: two titles, not one.
    text = ("冬日菜篮子看变化\n\n城郊蔬菜基地冬季\n保供稳价见成效\n\n"
            "本报讯 入冬以来，城郊蔬菜基地的二十多个大棚里一片忙碌，每天有三十多吨新鲜蔬菜运往县城各个市场。\n\n"
            "基地负责人说，今年新建的保温大棚让冬季蔬菜产量提高了三成。\n\n"
            "县城新建两座公共\n停车场投入使用\n\n"
            "本报讯 近日，县城新建的两座公共停车场投入使用，共新增停车位六百多个，缓解了老城区停车难的问题。\n")
    page = parse_text(text, "t.txt")
    assert [(a.kicker, a.headline, a.subheadline) for a in page.articles] == [
        ("冬日菜篮子看变化", "城郊蔬菜基地冬季保供稳价见成效", None), (None, "县城新建两座公共停车场投入使用", None)]


def test_a_title_line_brought_from_far_off_may_join_the_one_it_follows() -> None:
    # pdftotext read the page in bands; reflow brought the subheadline's second line (source line 18)
    # under its first.  Their line numbers say nothing of a blank between them, so the stack of four
    # comes down to three by length, not by the one pair that happens to be adjacent in the source.
    blocks = [Block("守护一江碧水", (1,), after_blank=True),
              Block("枫林县全面推行河湖长制见成效", (3, 4), (0, 9), after_blank=True),
              Block("全县地表水考核断面水质", (5,), after_blank=False),
              Block("优良率连续三年保持100%", (18,), after_blank=True),
              Block("本报讯 近年来，我县建立县、乡、村三级河湖长体系，一千多名河湖长守护着全县的大小河流。",
                    (7, 8, 9), after_blank=True)]
    page = build_page(blocks, "t.txt", ())
    assert [(a.kicker, a.headline, a.subheadline) for a in page.articles] == [
        ("守护一江碧水", "枫林县全面推行河湖长制见成效", "全县地表水考核断面水质优良率连续三年保持100%")]


def test_a_subheadlines_clause_keeps_the_tail_right_under_it() -> None:
    # pdftotext interleaves two columns' titles; ``列全县第一`` finishes the dashed clause right over it
    # (``——共获奖牌四十二枚，``), not the headline a band earlier that it would also make a word with.
    text = ("县第三届冬季运动会\n\n石桥乡队夺得县第二\n\n白沙代表团奖牌数创\n\n届乡村排球联赛总决\n\n"
            "历史新高！\n——共获奖牌四十二枚，\n列全县第一\n□ 本报记者 严 风\n十二月八日，县第三届冬季\n"
            "运动会落下帷幕。白沙镇代表团\n派出一百二十名运动员参加十二\n个大项的比赛，共获得奖牌四十\n二枚，创历史新高。\n\n"
            "赛冠军\n\n十二月九日晚，县第二届乡\n村排球联赛总决赛在石桥乡体育\n广场举行，石桥乡队战胜白沙镇\n队，夺得冠军。\n")
    page = parse_text(text, "t.txt")
    titles = [t for a in page.articles for t in (a.kicker, a.headline, a.subheadline) if t]
    assert "——共获奖牌四十二枚，列全县第一" in titles
    assert not any("列全县第一" in t for t in titles if not t.startswith("——"))
    assert all(p.text != "——共获奖牌四十二枚，" for a in page.articles for p in a.paragraphs)


def test_a_count_cut_from_its_measure_word_goes_on_across_the_blank() -> None:
    # ``一百二三十`` / (blank) / ``件，…``: no dictionary word spans the break, but a count always goes
    # on into its measure word, so the turn is one paragraph.
    text = ("快递小哥的一天\n\n本报记者 钱 朵\n\n问：您一天要送多少件快递？\n\n答：平时一百二三十\n\n"
            "件，节日前后最多的时候一天三百多件，从早上七点一直忙到晚上九点。\n\n问：遇到过什么难忘的事？\n\n"
            "答：有一次下大雨，一位老人的药品包裹必须当天送到，我骑车送了过去。\n")
    page = parse_text(text, "t.txt")
    assert [p.text[:10] for a in page.articles for p in a.paragraphs] == [
        "问：您一天要送多少件", "答：平时一百二三十件", "问：遇到过什么难忘的", "答：有一次下大雨，一"]


def test_on_a_page_read_in_bands_the_text_before_any_title_opens_the_bylined_article_after_it() -> None:
    # pdftotext read the commentary's first column ahead of its titles and byline (a sentence was
    # re-threaded across the bands).  The untitled text before them is the article's opening, even
    # though the article's byline stands under its titles.
    blocks = [Block("一条小路、一盏路灯、一处凉亭……这些“小工程”看似不起眼，却是群众天天用得着的东西。",
                    (1, 7, 13), after_blank=True),
              Block("县域时评", (5,), after_blank=True),
              Block("让“小工程”温暖大", (11,), after_blank=True),
              Block("民心", (19,), after_blank=False),
              Block("□吴明", (20,), after_blank=False),
              Block("办好民生实事，既要抓大项目，也要解决“小问题”。群众的冷暖，往往就藏在这些细节之处。",
                    (22, 23, 3, 9), after_blank=True),
              Block("办好“小工程”，贵在常态长效。希望更多的单位参与进来，让温暖传递得更远。",
                    (26, 27, 28), after_blank=True)]
    page = build_page(blocks, "t.txt", (Repair("rethreaded", 7, "一处 | 凉亭"),))
    assert [(a.headline, a.byline, [p.text[:6] for p in a.paragraphs]) for a in page.articles] == [
        ("让“小工程”温暖大民心", ("吴明",), ["一条小路、一", "办好民生实事", "办好“小工程"])]
    assert [h.text for h in page.page_headlines] == ["县域时评"]
    assert any("stands before any title" in d.what for d in page.doubts)


def test_an_exclaimed_headlines_last_character_a_blank_row_below_ends_it() -> None:
    # ``…这几点要记`` / (blank) / ``牢！``: the break cuts 记牢; the tail is a character and its mark.
    text = ("科普进万家\n\n冬季取暖防火，这几点要记\n\n牢！\n\n本报讯（记者 曹 阳）入冬以来，家庭取暖用电明显增多，"
            "火灾隐患也随之增加。县消防救援大队提醒市民注意以下几点。\n")
    page = parse_text(text, "t.txt")
    assert [(a.kicker, a.headline, len(a.paragraphs)) for a in page.articles] == [
        ("科普进万家", "冬季取暖防火，这几点要记牢！", 1)]


def test_a_notice_title_ending_in_a_particle_takes_its_tail_a_few_rows_below() -> None:
    # pdftotext -layout sets a large title's rows apart: ``…名单的`` on row 3, its tail ``公示`` on row 7.
    blocks = [Block("关于公布第三批县级文明村镇名单的", (3,), after_blank=True),
              Block("公示", (7,), after_blank=True),
              Block("经县文明委审议，拟将石门村等十二个村镇命名为第三批县级文明村镇，现予以公示。", (9, 10),
                    after_blank=True),
              Block("县精神文明建设委员会办公室 2026年12月4日", (12,), after_blank=True)]
    page = build_page(blocks, "t.txt", ())
    assert [(a.headline, len(a.paragraphs)) for a in page.articles] == [("关于公布第三批县级文明村镇名单的公示", 2)]


def test_an_interview_turn_read_between_kicker_and_headline_goes_under_the_stack() -> None:
    # pdftotext read the columns in bands and set the interviewer's question between the kicker
    # and the headline; no turn stands there in print.
    blocks = [Block("新春走基层", (1,), after_blank=True),
              Block("记者：村里现在有多少孩子上学？", (3,), after_blank=True),
              Block("深山里的乡村医生", (5,), after_blank=True),
              Block("本报记者 钱 程", (7,), after_blank=True),
              Block("大雪过后，通往石门村的山路格外难走。记者赶到卫生室时，村医王志刚正在给老人量血压。", (8, 9),
                    after_blank=False),
              Block("王志刚：这条路我走了二十年，闭着眼睛都能走回来。", (11,), after_blank=True),
              Block("王志刚：一共三十多个孩子，都在镇上读书。", (13,), after_blank=True)]
    page = build_page(blocks, "t.txt", ())
    assert [(a.kicker, a.headline, a.byline, len(a.paragraphs)) for a in page.articles] == [
        ("新春走基层", "深山里的乡村医生", ("钱程",), 4)]


def test_a_commentators_signature_read_over_the_opening_heads_the_titles_after_it() -> None:
    # pdftotext read the commentary's first lines between its signature and its headline.
    blocks = [Block("本报评论员", (1,), after_blank=True),
              Block("岁末年初，正是总结成绩、谋划未来的关键时期。越是任务繁重，越要保持定力。", (3, 4),
                    after_blank=True),
              Block("以实干实绩书写高质量发展新篇章", (6,), after_blank=True),
              Block("抓落实，关键在干。蓝图已经绘就，关键在于落实。", (8, 9), after_blank=True),
              Block("新征程已经开启，让我们撸起袖子加油干。", (11,), after_blank=True)]
    page = build_page(blocks, "t.txt", ())
    assert [(a.kicker, a.headline, [p.text[:4] for p in a.paragraphs]) for a in page.articles] == [
        ("本报评论员", "以实干实绩书写高质量发展新篇章", ["岁末年初", "抓落实，", "新征程已"])]
