"""Tests for pipeline.text.reflow: joining lines and column breaks, finding paragraph ends."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.model import counted_chars
from pipeline.text import parse_text
from pipeline.text.reflow import _title_pair, is_letterspaced, is_table_row, reflow_lines, split_layout_columns
from pipeline.text.repair import repair_blocks

HAN = "洪洞县委发展人民常乡村振兴建设工作全面推进"
ALPHABET = HAN + "abcXYZ0123456789，。！？、；：“”（）,:;?!()- \u3000"

lines = st.lists(st.text(alphabet=ALPHABET, max_size=30), max_size=30)
texts = lines.map("\n".join)


def texts_of(text: str) -> list[str]:
    blocks, _ = reflow_lines(text)
    return [block.text for block in blocks]


def test_column_break_inside_sentence_is_joined() -> None:
    text = "狠抓农业安全生产工作，\n全县上下一致，被评为\n\n“全国示范县”。\n"
    blocks, repairs = reflow_lines(text)
    assert [b.text for b in blocks] == ["狠抓农业安全生产工作，全县上下一致，被评为“全国示范县”。"]
    assert [(r.kind, r.line, r.detail) for r in repairs] == [
        ("joined-across-blank-line", 3, "被评为 | “全国示范县”")]
    assert blocks[0].lines == (1, 2, 4)
    assert blocks[0].starts == (0, 11, 21)


def test_blank_line_after_sentence_end_is_a_paragraph_break() -> None:
    text = "第一段的文字到这里结束了。\n\n第二段从这里开始写起，\n一直写到这里为止。"
    assert texts_of(text) == ["第一段的文字到这里结束了。", "第二段从这里开始写起，一直写到这里为止。"]


def test_a_shortened_line_that_goes_on_after_a_full_sentence_starts_a_paragraph() -> None:
    # The second paragraph has two lines: its last is short, but its first, two ems short and
    # running on (no sentence ends it), cannot be a paragraph's last line.
    text = ("今年全县新建改建农村公路一百二十公里，\n"
            "通村公路全部实现硬化，群众出行更方便。\n"
            "下一步，县里将继续加大投入力度，\n"
            "推动农村公路提档升级。")
    assert texts_of(text) == ["今年全县新建改建农村公路一百二十公里，通村公路全部实现硬化，群众出行更方便。",
                              "下一步，县里将继续加大投入力度，推动农村公路提档升级。"]


def test_a_full_first_line_opening_a_dateline_is_never_a_title() -> None:
    # Without marks and as wide as the column where a first line is two ems short, it would
    # look like a title over a shortened line; but it opens a dateline, so it is body text.
    text = ("杨庄村修好三座便民桥\n\n"
            "本报讯全县今年新修的三座便民桥日前通过县\n"
            "级验收，群众出行更方便。（通讯员 龚 平）")
    assert texts_of(text)[1:] == ["本报讯全县今年新修的三座便民桥日前通过县级验收，群众出行更方便。（通讯员 龚 平）"]


def test_a_first_line_of_many_marks_cut_off_by_a_column_break_goes_on() -> None:
    # Compressed marks take half an em in print but measure wider: the first line, cut off at a
    # column's foot, still has a first line's width once its marks are allowed for.
    text = ("村里今年新建了一座老年活\n动中心，配有阅览室、棋牌室和康\n复室，每天都有不少老人来这里\n"
            "下棋、看书、聊天。\n“人少了，事多了。”村民老王\n\n告诉记者，这些年村里的年轻人\n"
            "大多外出打工，留下的多是老人\n和孩子。")
    assert texts_of(text)[1:] == ["“人少了，事多了。”村民老王告诉记者，这些年村里的年轻人"
                                  "大多外出打工，留下的多是老人和孩子。"]


def test_a_short_line_ending_in_a_colon_is_no_title_line_under_a_bare_line() -> None:
    # ``…提出如`` has no marks and ``下要求：`` is short, the shape of a title stack's next line;
    # but no title's line ends in a colon: it leads on to the list it introduces.
    text = ("关于做好供暖工作的通知\n\n各供热单位：\n为做好今冬供暖工作，确保\n群众温暖过冬，县住建局现\n"
            "向全县各供热单位提出如\n下要求：\n（一）提前检修管网。各单\n位要在十一月十日前完成\n管网和设备检修。")
    assert texts_of(text)[2:] == ["为做好今冬供暖工作，确保群众温暖过冬，县住建局现向全县各供热单位提出如下要求：",
                                  "（一）提前检修管网。各单位要在十一月十日前完成管网和设备检修。"]


def test_a_label_ending_in_a_colon_keeps_the_figure_set_below_it() -> None:
    # On an indented page a short bare line over a shorter one looks like a title's two lines;
    # but ``联系电话：`` ends in a colon, which no title line does: the number below is its value.
    indent = "\u3000\u3000"
    text = ("遗失声明\n\n" + indent + "县农机站不慎遗失公章一枚，\n特此声明作废。如有拾到者，\n"
            "请与本站联系，必有酬谢。\n"
            + indent + "联系电话：\n0351-6280011\n" + indent + "县农机站办公室的同志负责接\n待来访群众，并做好登记。\n")
    assert texts_of(text)[2:] == ["联系电话：0351-6280011", "县农机站办公室的同志负责接待来访群众，并做好登记。"]


def test_short_first_line_ending_a_sentence_goes_on() -> None:
    # The first line lost its 2-em indent: it is short, ends in 。 and still goes on.
    text = ("乘势而上再出发，勇立潮头蹚新路。\n"
            "立足新发展阶段，洪洞县委、县政府将认\n"
            "真贯彻落实临汾市第五次党代会重要精\n"
            "神，不忘初心。")
    assert len(texts_of(text)) == 1


def test_paragraphs_without_blank_lines_are_split() -> None:
    # pdftotext output: the short last line of a paragraph ends it.
    text = ("今年以来，全县上下认真贯彻落实各项部\n"
            "署，各项工作取得了明显的成效和进展。\n"
            "工作完成得很好。\n"
            "下一步，我们将继续加大工作力度，确保\n"
            "完成全年各项目标任务，推动高质量发展。")
    assert texts_of(text) == [
        "今年以来，全县上下认真贯彻落实各项部署，各项工作取得了明显的成效和进展。工作完成得很好。",
        "下一步，我们将继续加大工作力度，确保完成全年各项目标任务，推动高质量发展。",
    ]


def test_full_line_ending_a_sentence_followed_by_a_shortened_first_line_is_split() -> None:
    text = ("今年以来，全县上下认真贯彻落实各项部\n"
            "署，各项工作取得了明显的成效和进展。\n"
            "下一步，我们将继续加大工作力\n"
            "度，确保完成全年各项目标任务，推动全\n"
            "县经济社会实现高质量发展。")
    assert len(texts_of(text)) == 2


def test_indented_first_lines_start_paragraphs() -> None:
    text = ("　　第一段开头的这一行文字比较\n"
            "长一些，一直写到这里才结束。\n"
            "　　第二段开头的这一行文字也\n"
            "比较长，一直写到这里结束。")
    assert texts_of(text) == ["第一段开头的这一行文字比较长一些，一直写到这里才结束。",
                              "第二段开头的这一行文字也比较长，一直写到这里结束。"]


def test_latin_words_keep_one_space_and_lose_line_end_hyphens() -> None:
    blocks, repairs = reflow_lines("the quick brown\nfox jumps over the lazy inter-\nnational dog.")
    assert blocks[0].text == "the quick brown fox jumps over the lazy international dog."
    assert [(r.kind, r.line) for r in repairs] == [("dehyphenated", 2)]


def test_han_lines_join_without_space() -> None:
    assert texts_of("洪洞县委、县政府坚持以\n人民为中心。") == ["洪洞县委、县政府坚持以人民为中心。"]


def test_letterspaced_headline_stands_alone() -> None:
    assert texts_of("扛牢“第一责任”\n坚 定 抓 好 党 建") == ["扛牢“第一责任”", "坚 定 抓 好 党 建"]
    assert is_letterspaced("坚 定 抓 好 党 建") and not is_letterspaced("李安安 洛宇峰 徐 静")


def test_table_rows_and_list_items_stand_alone() -> None:
    assert is_table_row("项目    数量    金额")
    text = "主要措施如下：\n1. 加强组织领导；\n2. 完善工作机制。"
    assert texts_of(text) == ["主要措施如下：", "1. 加强组织领导；", "2. 完善工作机制。"]


def test_empty_text_gives_no_blocks() -> None:
    assert reflow_lines("") == ((), ())
    assert reflow_lines("\n \n\u3000\n") == ((), ())


@settings(max_examples=150, deadline=None)
@given(texts)
def test_reflow_keeps_every_counted_character(text: str) -> None:
    blocks, repairs = reflow_lines(text)
    joined = counted_chars("".join(block.text for block in blocks))
    assert joined == counted_chars(text)
    assert all(not r.removed for r in repairs)


def test_reflowed_list_item_stays_apart() -> None:
    # found by hypothesis: a one-line list item in reflowed text must not join the next block
    assert texts_of("000000\n\n0)X\n\n000000") == ["000000", "0)X", "000000"]


SIDE_BY_SIDE_NOISE = "\n\n".join(f"第{n}段文字，内容长\t的第二\n部分文字内容很长。" for n in range(8))


@settings(max_examples=150, deadline=None)
@given(texts)
@example(SIDE_BY_SIDE_NOISE)
@example("::::\n::::,\n\N{LEFT DOUBLE QUOTATION MARK}")  # more marks than the repair loop's old 8 rounds
def test_reflowing_reflowed_text_changes_nothing(text: str) -> None:
    blocks, _ = repair_blocks(reflow_lines(text)[0])
    again_text = "\n\n".join(block.text for block in blocks)
    again, reflow_repairs = reflow_lines(again_text)
    repaired, repairs = repair_blocks(again)
    assert [b.text for b in repaired] == [b.text for b in blocks]
    assert reflow_repairs == () and repairs == ()


def test_ocr_spaced_page_is_reflowed_as_body_text() -> None:
    text = ("今 年 以 来 ， 全 县 上 下 认 真 贯 彻 落 实 各 项 部\n"
            "署 ， 各 项 工 作 取 得 了 明 显 的 成 效 和 进 展 。\n"
            "下 一 步 ， 我 们 将 继 续 全 面 加 大 工 作\n"
            "力 度 ， 确 保 保 质 保 量 完 成 全 年 各 项 目 标 任\n"
            "务 。\n")
    blocks, _ = repair_blocks(reflow_lines(text)[0])
    assert [b.text for b in blocks] == ["今年以来，全县上下认真贯彻落实各项部署，各项工作取得了明显的成效和进展。",
                                        "下一步，我们将继续全面加大工作力度，确保保质保量完成全年各项目标任务。"]


def test_side_by_side_columns_are_read_one_after_the_other() -> None:
    left = ["第一栏的第一行文字", "第一栏的第二行文字", "第一栏的第三行文字。"] * 2
    right = ["第二栏的第一行文字", "第二栏的第二行文字", "第二栏的第三行文字。"] * 2
    text = "\n".join(f"{a}      {b}" for a, b in zip(left, right, strict=True))
    blocks, _ = reflow_lines(text)
    assert "".join(b.text for b in blocks) == "".join(left) + "".join(right)
    assert blocks[-1].lines[-1] == 6  # pieces keep their source line


def test_a_table_is_not_taken_for_columns() -> None:
    rows = ["乡镇    面积    总产"] + [f"青山镇    {n}    {n * 2}" for n in range(10, 20)]
    assert texts_of("\n".join(rows))[:2] == ["乡镇    面积    总产", "青山镇    10    20"]


column_cells = st.text(alphabet=HAN + "，。、0123456789", min_size=6, max_size=14)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(column_cells, column_cells), min_size=6, max_size=20))
def test_columns_lose_no_characters(rows: list[tuple[str, str]]) -> None:
    text = "\n".join(f"{a}{' ' * (18 - len(a))}{b}" for a, b in rows)
    blocks, _ = reflow_lines(text)
    assert counted_chars("".join(b.text for b in blocks)) == counted_chars(text)


def test_kicker_and_headline_above_indented_paragraphs_stand_apart() -> None:
    # On a page that keeps its indents, titles are flush: a short flush line
    # without punctuation is a kicker, not the start of its headline.
    text = ("聚焦乡村振兴\n东阳镇：特色产业鼓起农民钱袋子\n"
            "　　在柳林乡，培育省级农业龙头企业\n7家，苹果种植面积稳定在22万亩，特色\n"
            "小米通过线上平台销往全国，推广水肥\n一体化技术。\n"
            "　　粮食生产稳中有升。记者了解到，\n开展教师业务能力培训，开展安全生产\n"
            "大检查，为农民工追回工资643万元。\n")
    assert texts_of(text)[:3] == ["聚焦乡村振兴", "东阳镇：特色产业鼓起农民钱袋子",
                                  "在柳林乡，培育省级农业龙头企业7家，苹果种植面积稳定在22万亩，"
                                  "特色小米通过线上平台销往全国，推广水肥一体化技术。"]
    # An indented short line opens a paragraph: 本报讯 on a line of its own stays with its text.
    dateline = "　　本报讯\n（记者 谢明涛）上半年，校车安全管理实现全\n覆盖，家长对学校的满意度明显提高。\n"
    assert texts_of(text + dateline)[-1] == ("本报讯（记者 谢明涛）上半年，校车安全管理实现全覆盖，"
                                             "家长对学校的满意度明显提高。")


def test_datelines_bylines_and_turns_start_blocks() -> None:
    text = ("全县重点项目建设完成年度投资九成\n本报记者 季 然\n今年以来，全县七十八个重点\n"
            "项目累计完成投资五十二亿元。\n本报讯\n（记者 韩 雪）县城新增公共停车\n位八百个，市民停车更方便了。\n")
    assert texts_of(text) == ["全县重点项目建设完成年度投资九成", "本报记者 季 然",
                              "今年以来，全县七十八个重点项目累计完成投资五十二亿元。",
                              "本报讯（记者 韩 雪）县城新增公共停车位八百个，市民停车更方便了。"]


def test_letterspacing_may_keep_a_figure_together() -> None:
    assert is_letterspaced("24小时 自 助 阅 览 室") and is_letterspaced("村 BA 燃 动 乡 村")
    assert not is_letterspaced("记者 张 三 李 四")


BAND_READ = """本报讯近日，青石镇组织农技
人员深入田间地头，为种植户讲
解冬季果树管护知识，发放技术

资料五百余份。农技人员还现

检查，为今后的生产打下了良

场示范了修剪和涂白的方法，受

好基础。（通讯员 高 远）

到群众欢迎。（记者 林 青）

柳岸村修好三座灌溉泵站
本报讯入冬以来，柳岸村对村
里三座泵站进行了检修，并全面
"""
"""Two columns that a converter read across where their lines stand level (pdftotext does)."""


def test_columns_read_in_bands_are_rethreaded() -> None:
    blocks, repairs = reflow_lines(BAND_READ)
    assert [b.text for b in blocks] == [
        "本报讯近日，青石镇组织农技人员深入田间地头，为种植户讲解冬季果树管护知识，发放技术资料五百余份。"
        "农技人员还现场示范了修剪和涂白的方法，受到群众欢迎。（记者 林 青）",
        "柳岸村修好三座灌溉泵站",
        "本报讯入冬以来，柳岸村对村里三座泵站进行了检修，并全面检查，为今后的生产打下了良好基础。（通讯员 高 远）",
    ]
    # Line 7 goes on after line 17 only because it is a free line of the right width: a doubt.
    assert [(r.kind, r.line) for r in repairs if r.kind.startswith("rethreaded")] == [
        ("rethreaded", 9), ("rethreaded", 13), ("rethreaded-by-place", 7), ("rethreaded", 11)]


def test_text_not_read_in_bands_keeps_its_order() -> None:
    from support.corpus import CORPUS

    paths = [*CORPUS.glob("inputs/*/breaker-*.txt"), *CORPUS.glob("inputs/*/ocr-single.txt"), *CORPUS.glob("clean/*")]
    for path in sorted(paths):
        _, repairs = reflow_lines(path.read_text(encoding="utf-8"))
        assert not [r for r in repairs if r.kind.startswith("rethreaded")], path


def test_a_short_laid_out_page_is_read_column_after_column() -> None:
    # Only three rows hold both columns (pdftotext -layout of a short brief): still columns.
    text = ("杨庄村分红八十万元        秸秆变饲料废物变成宝\n"
            "  本报讯十一月二十六日，杨   本报讯今年秋收以来，柳河\n"
            "庄村召开集体经济分红大会，向   乡回收玉米秸秆一万二千吨，加\n"
            "全村发放分红八十万元。         工成青贮饲料，节约了成本。\n")
    assert texts_of(text) == [
        "杨庄村分红八十万元", "本报讯十一月二十六日，杨庄村召开集体经济分红大会，向全村发放分红八十万元。",
        "秸秆变饲料废物变成宝", "本报讯今年秋收以来，柳河乡回收玉米秸秆一万二千吨，加工成青贮饲料，节约了成本。"]


def test_columns_whose_lines_seldom_share_a_row_are_still_columns() -> None:
    # pdftotext -layout of two columns whose lines fall between each other's rows: only one row
    # holds both; the others start where the second column's piece starts on that row.
    text = (" 本报讯十二月一日，全县冬季征   县市场监管局近日开展冬季食品安\n"
            "                 全专项检查，重点检查学校食堂、\n"
            "兵体检工作开始，共有三百一十名\n"
            "                 农村集市和冷链食品经营户。\n"
            "青年报名参检。\n")
    assert texts_of(text) == ["本报讯十二月一日，全县冬季征兵体检工作开始，共有三百一十名青年报名参检。",
                              "县市场监管局近日开展冬季食品安全专项检查，重点检查学校食堂、农村集市和冷链食品经营户。"]


NOTICE_COLUMNS = ["冬季取暖安全提示",
                  "入冬以来，全县气温持续下降，煤炉取暖进入高峰期。为防止一氧化碳中毒，县应急局提醒广大群众注意以下事项：",
                  "一、全县各乡镇要在十二月十日前完成取暖设施排查。", "二、各单位要落实值班制度，确保问题及时处理。"]


def test_a_laid_out_columns_first_lines_start_an_indent_right_of_its_edge() -> None:
    # pdftotext -layout: one row holds both columns; the second column's other lines stand alone,
    # at its edge or, a list item's first line, two places further right.
    text = ("                    一、全县各乡镇要在十二月十日\n"
            " 冬季取暖安全提示         前完成取暖设施排查。\n"
            "  入冬以来，全县气温持续下\n"
            "                    二、各单位要落实值班制度，\n"
            "降，煤炉取暖进入高峰期。为\n"
            "                  确保问题及时处理。\n"
            "防止一氧化碳中毒，县应急局\n"
            "提醒广大群众注意以下事项：\n")
    assert texts_of(text) == NOTICE_COLUMNS


def test_a_laid_out_column_is_found_by_its_edge_when_its_shared_row_holds_a_centred_title() -> None:
    # The only row holding both columns has the second column's headline, centred well right of
    # the column's edge; the column's lines start at the edge (18) or an indent right of it.
    text = ("  入冬以来，全县气温持续下          冬季取暖安全提示\n"
            "降，煤炉取暖进入高峰期。为\n"
            "                    一、全县各乡镇要在十二月十日\n"
            "防止一氧化碳中毒，县应急局\n"
            "                  前完成取暖设施排查。\n"
            "提醒广大群众注意以下事项：\n"
            "                    二、各单位要落实值班制度，\n"
            "                  确保问题及时处理。\n")
    assert texts_of(text) == [NOTICE_COLUMNS[1], NOTICE_COLUMNS[0], *NOTICE_COLUMNS[2:]]


def test_a_byline_wrapped_inside_its_brackets_across_a_blank_line_is_joined() -> None:
    # A converter split ``本报讯（通讯员 包文静）…`` after the role and left a blank line.
    text = "本报讯（通讯员\n\n包文静）县图书馆近日在火车站广场开\n放了城市书房，全天开放。\n"
    assert texts_of(text) == ["本报讯（通讯员包文静）县图书馆近日在火车站广场开放了城市书房，全天开放。"]


def test_a_caption_ending_in_its_credit_ends_before_the_paragraph_under_it() -> None:
    # pdftotext put the caption's line right above the next paragraph's first line, no blank between.
    text = ("全县秋粮收获进度过半，各地抢抓晴\n好天气组织机收。\n\n"
            "农机手在田间收割玉米 记者 吴 川 摄\n"
            "县农机中心负责人介绍，今年\n全县投入各类农机具三千多台。\n")
    assert texts_of(text) == ["全县秋粮收获进度过半，各地抢抓晴好天气组织机收。", "农机手在田间收割玉米 记者 吴 川 摄",
                              "县农机中心负责人介绍，今年全县投入各类农机具三千多台。"]


def test_a_closing_byline_split_inside_its_brackets_stays_with_its_paragraph() -> None:
    text = "本报讯柳岸村新建了两处健身广场，每天傍晚\n都有不少村民来这里跳广场舞。（记者\n孟\n哲）\n"
    assert texts_of(text) == ["本报讯柳岸村新建了两处健身广场，每天傍晚都有不少村民来这里跳广场舞。（记者孟哲）"]


def test_a_spaced_title_whose_figures_and_letters_the_converter_spaced_too_is_one_headline() -> None:
    # pdftotext of a letter-spaced 村BA燃动乡村 wrapped over two lines: ``村 B A 燃`` / ``动 乡 村``.
    from pipeline.text import parse_text

    assert is_letterspaced("村 B A 燃") and is_letterspaced("2 4 小 时") and not is_letterspaced("1 2 3 吨")
    page = parse_text("村 B A 燃\n动 乡 村\n本报讯（通讯员 崔 浩）十二月一日晚，柳河乡篮球赛决\n"
                      "赛在乡文化广场打响，上河村队夺得冠军。\n", "sports.txt")
    assert [(a.kicker, a.headline) for a in page.articles] == [(None, "村BA燃动乡村")]


def test_a_salutation_ending_short_in_a_colon_is_its_own_paragraph() -> None:
    text = ("广大居民朋友们：\n干净整洁的环境是我们\n共同的家园。为巩固国家卫\n生县城创建成果，县爱卫办\n"
            "向全县居民发出倡议。\n杨建明：\n这条路我走了二十六年，闭\n着眼睛都能走回来。\n")
    assert texts_of(text) == [
        "广大居民朋友们：", "干净整洁的环境是我们共同的家园。为巩固国家卫生县城创建成果，县爱卫办向全县居民发出倡议。",
        "杨建明：这条路我走了二十六年，闭着眼睛都能走回来。"]


def test_a_caption_wrapped_over_two_lines_after_a_paragraph_stands_apart() -> None:
    # The paragraph's last line is full and ends a sentence; the caption's first line is full too.
    text = ("本报讯县图书馆城市书房近日在火车\n站广场开放，藏书一万册，全天开放\n市民刷身份证即可借阅，十分方便。\n\n"
            "市民在火车站广场城市书房内阅读\n读书（资料图片）\n")
    assert texts_of(text)[-1] == "市民在火车站广场城市书房内阅读读书（资料图片）"


def test_a_title_line_ending_in_a_percentage_stands_alone() -> None:
    text = ("全县规上工业增加值\n增长8.6%\n高于全市平均水平2.1个百\n分点\n"
            "本报讯 记者从县统计局获悉，今年1至10月，全县规模以上工业增加值同比增长。\n")
    assert texts_of(text)[:2] == ["全县规上工业增加值", "增长8.6%"]


def test_a_last_column_whose_lines_share_no_row_is_a_column() -> None:
    # The third column's lines fall between the second's rows: each stands alone on its row.
    text = ("本报讯今年以来，县电商直播基地   基地负责人介绍，目前入驻基地的\n"
            "累计实现销售额一点二亿元，同比   电商企业有五十八家，培育本土主\n"
            "                                    下一步，县里将建设农产品\n"
            "增长三成，农特产品成为爆款。     播一百二十名，还提供直播培训。\n"
            "                                  分拣中心和冷链物流仓，进一步降\n"
            "                                  低电商企业的运营成本。\n")
    assert texts_of(text)[-1] == "下一步，县里将建设农产品分拣中心和冷链物流仓，进一步降低电商企业的运营成本。"


def test_a_first_line_cut_off_by_a_column_break_still_starts_a_paragraph() -> None:
    text = ("办好民生实事，既要抓\n大项目，也要解决“小问题”。\n群众的所思所盼，往往就藏\n在这些细微之处。只有俯下\n"
            "身子倾听群众的声音，才能\n把实事办到群众的心坎上。\n点亮“微心愿”，贵在常\n\n态长效。希望更多的单位和\n"
            "个人参与进来，让温暖传递\n得更远。\n")
    assert texts_of(text) == [
        "办好民生实事，既要抓大项目，也要解决“小问题”。群众的所思所盼，往往就藏在这些细微之处。"
        "只有俯下身子倾听群众的声音，才能把实事办到群众的心坎上。",
        "点亮“微心愿”，贵在常态长效。希望更多的单位和个人参与进来，让温暖传递得更远。"]


def test_a_caption_read_twice_inside_a_sentence_is_not_joined_to_it() -> None:
    caption = "主播在县电商直播基地推介农特产品"
    text = f"下一步，县里将建设农\n产品分拣中心和冷链物流仓，\n\n{caption * 2}\n\n进一步降低电商企业的运营\n成本。\n"
    blocks, _ = repair_blocks(reflow_lines(text)[0])
    assert caption in [b.text for b in blocks]


def test_a_speakers_label_alone_on_its_line_takes_the_words_after_it() -> None:
    text = ("记者：\n\n学校现在有多少学生？\n杨建明：\n\n一共十四个孩子，最大的上五年级，最小的才上学\n前班。\n"
            "记者：\n\n有没有想过离开？\n杨建明：\n\n想过，可看到孩子们的眼睛，就舍不得走了。\n")
    assert texts_of(text) == [
        "记者：学校现在有多少学生？", "杨建明：一共十四个孩子，最大的上五年级，最小的才上学前班。",
        "记者：有没有想过离开？", "杨建明：想过，可看到孩子们的眼睛，就舍不得走了。"]


def test_a_wrapped_title_under_a_kicker_stands_apart_when_the_body_is_wider() -> None:
    # pdftotext -layout of a notice: the titles' own neighbours are titles, the body is wider.
    text = ("致全县广大居民的一封信\n共同守护我们的清洁\n     家园\n 广大居民朋友们：\n"
            " 干净整洁的环境是我们共同\n的家园。为巩固国家卫生县城创\n建成果，县爱卫办向全县居民发\n出如下倡议：\n"
            "  （一）垃圾分类投放。自觉\n将生活垃圾分为可回收物、有害\n垃圾、厨余垃圾和其他垃圾，按\n时定点投放。\n")
    assert texts_of(text)[:2] == ["致全县广大居民的一封信", "共同守护我们的清洁"]


def test_a_closing_quote_ocr_read_as_an_opening_one_still_ends_the_paragraph() -> None:
    # No line ends in an opening quote: after a sentence's end it is OCR's misreading of the closing one.
    text = ("比赛现场座无虚席，两千多\n名观众呐喊助威。队长张小伟\n"
            "说: “我们白天干农活，晚上\n练球，这个冠军来得不容易! “\n"
            "\n"
            "据了解，本届比赛共有十六\n支村队参加，共进行比赛三十\n二场。\n")
    assert len(texts_of(text)) == 2
    assert texts_of(text)[1].startswith("据了解")


def test_a_line_opening_with_the_particle_de_goes_on_across_a_blank_line() -> None:
    # pdftotext -layout left a blank row inside a column after a line a few ems short (its marks set
    # wide): no sentence opens with ``的``.
    text = ("本报讯日前，省科技进步奖评选结\n果揭晓，我县企业完成\n"
            "\n"
            "的“高性能陶瓷材料制备技术”和\n“谷子抗旱品种选育”两项成果获\n得三等奖。\n")
    assert texts_of(text) == [
        "本报讯日前，省科技进步奖评选结果揭晓，我县企业完成的“高性能陶瓷材料制备技术”和“谷子抗旱品种选育”两项成果获得三等奖。"]


def test_a_section_title_beside_the_next_columns_prose_does_not_hide_the_columns() -> None:
    # pdftotext -layout of a short two-column page: the only row both columns share holds the
    # section's name (four characters) and the second column's prose; the second column's other
    # lines stand alone on their rows, all at one edge.
    text = ("                            本报讯（通讯员 孔 丽）县图书馆“城\n"
            "一周要闻                        市书房”近日在火车站广场开放，藏\n"
            "                            书一万册，全天开放。\n"
            "  本报讯（记者 钟 鸣）十二月一日，全县冬季\n"
            "征兵体检工作开始，共有三百一十名青年报名参\n"
            "检。县征兵办安排专人全程陪同，确保体检工作\n"
            "公平公正。\n"
            "                            市民刷身份证即可借阅。\n")
    assert texts_of(text) == [
        "一周要闻",
        "本报讯（记者 钟 鸣）十二月一日，全县冬季征兵体检工作开始，共有三百一十名青年报名参检。"
        "县征兵办安排专人全程陪同，确保体检工作公平公正。",
        "本报讯（通讯员 孔 丽）县图书馆“城市书房”近日在火车站广场开放，藏书一万册，全天开放。",
        "市民刷身份证即可借阅。"]


def test_a_caption_ocr_read_on_the_line_of_the_column_beside_it_stands_alone() -> None:
    """``…配备了自助   市民在城市书房里阅读 (记者叶青摄)``: the caption is split off, and the
    paragraph it interrupted reads on."""
    from pipeline.text import parse_text

    text = ("这是我县建成的第五个自助阅览室，\n面积三百平方米，配备了自助   市民在城市书房里阅读 (记者叶青摄)\n"
            "借还机和电子阅读屏。市民刷身份证\n就能进门借书。\n")
    page = parse_text(text, "-")
    assert [c.text for c in page.captions] == ["市民在城市书房里阅读（记者叶青摄）"]
    assert [p.text for p in page.articles[0].paragraphs] == [
        "这是我县建成的第五个自助阅览室，面积三百平方米，配备了自助借还机和电子阅读屏。市民刷身份证就能进门借书。"]


def test_a_salutation_ends_its_paragraph_even_over_a_year() -> None:
    """``各乡镇人民政府，县直有关单位：`` over ``2027年度…``: two paragraphs; a label over its bare
    figures (``联系电话：`` / ``0791-5523166``) stays one."""
    from pipeline.text import parse_text

    text = ("各乡镇人民政府，县直有关单位：\n2027年度城乡居民医疗保险缴费工作已经开始，\n"
            "请各单位认真组织，广泛宣传动员，确保应保尽\n保，现将有关事项通知如下。\n联系电话：\n0791-5523166\n")
    paragraphs = [p.text for p in parse_text(text, "-").articles[0].paragraphs]
    assert paragraphs[:2] == ["各乡镇人民政府，县直有关单位：",
                              "2027年度城乡居民医疗保险缴费工作已经开始，请各单位认真组织，广泛宣传动员，确保应保尽保，"
                              "现将有关事项通知如下。"]
    assert paragraphs[-1] == "联系电话：0791-5523166"


def test_a_contact_line_ends_its_paragraph_before_the_sign_off() -> None:
    """``联系人：邹老师，联系电话：0791-5523166`` fills its line; the issuer under it is not its text."""
    from pipeline.text import parse_text

    text = ("报名时间为12月12日至12月18日，报名地\n点在县政务服务中心三楼，请携带身份证。\n"
            "联系人：邹老师，联系电话：0791-5523166\n枫林县城市管理综合服务中心\n2026年12月10日\n")
    paragraphs = [p.text for p in parse_text(text, "-").articles[0].paragraphs]
    assert "联系人：邹老师，联系电话：0791-5523166" in paragraphs
    assert not any(text.startswith("联系人") and "服务中心" in text for text in paragraphs)


def test_a_salutations_wrapped_tail_ends_it_even_when_it_looks_like_a_speakers_label() -> None:
    """``各乡镇人民政府，县直有关`` / ``单位：``: the short second line is the salutation's end, not a
    speaker's label alone over their turn."""
    from pipeline.text import parse_text

    text = ("各乡镇人民政府，县直有关\n单位：\n2027年度城乡居民基本医疗\n保险集中缴费工作已经开始，现\n"
            "将有关事项通知如下：\n一、缴费时间：即日起至2027\n年2月28日。\n")
    paragraphs = [p.text for p in parse_text(text, "-").articles[0].paragraphs]
    assert paragraphs[0] == "各乡镇人民政府，县直有关单位："
    assert paragraphs[1].startswith("2027年度城乡居民基本医疗保险")


def test_an_exclaimed_headline_wider_than_the_column_stands_apart_from_the_kicker_over_it() -> None:
    # A kicker a first line wide, a blank line, then a headline ending in ``！`` that runs wider
    # than the 12-em column: no body line is wider than its column, so it is not the kicker's rest.
    body = ["十二月八日，澜江市第", "五届运动会落下帷幕。枫林", "县代表团派出二百一十名运",
            "动员参加十八个大项的比赛，", "共获得金牌三十一枚、银牌", "二十六枚、铜牌二十二枚，金",
            "牌数和奖牌总数均创历史新", "高。"]
    text = "\n".join(["澜江市第五届运动会", "", "枫林代表团金牌数创历史新高！", "",
                      "——共获金牌三十一枚，", "列全市第二", "□ 本报记者 覃 风", "", *body])
    blocks, _ = reflow_lines(text)
    assert [b.text for b in blocks][:2] == ["澜江市第五届运动会", "枫林代表团金牌数创历史新高！"]


def test_a_line_stopping_inside_a_long_word_goes_on_across_a_blank_line() -> None:
    # ``联系电`` / ``话：…``: 联系电话 runs across the column break, so the short piece after
    # the blank line is the sentence's rest, not a title or a caption.
    text = "\n".join(["3.报名时间为12月12日", "至12月18日，报名地点在县", "政务服务中心三楼。", "",
                      "联系人：邹老师，联系电", "", "话：0791-5523166", "", "枫林县城市管理综合服务中心"])
    assert "联系人：邹老师，联系电话：0791-5523166" in texts_of(text)
    # A two-character word across the break is often chance (``冷链物`` / ``主播`` reads 物主).
    text = "\n".join(["　　下一步，县里将建设农产品分拣中心和冷链物", "", "主播在县电商直播基地推介农特产品", "",
                      "流仓，进一步降低电商企业的运营成本。"])
    assert "主播在县电商直播基地推介农特产品" in texts_of(text)


def test_a_wrapped_salutations_short_last_line_is_no_speakers_label() -> None:
    # ``有关单位：`` ends a salutation wrapped over two lines: the blank line after it ends the
    # paragraph, as it would after ``各乡镇人民政府，县直有关单位：`` on one line.
    text = "\n".join(["关于做好2027年度城乡居民医疗保险集中缴费工作的通知", "", "各乡镇人民政府，县直",
                      "有关单位：", "", "2027年度城乡居民基本", "医疗保险集中缴费工作已经", "开始，现将有关事项通知如",
                      "下："])
    assert texts_of(text)[1] == "各乡镇人民政府，县直有关单位："


def test_the_column_is_as_wide_as_the_lines_a_sentence_runs_on_from() -> None:
    # A short article: its title lines and short last lines outnumber its full lines, so a
    # percentile of the widths reads the column two ems narrow.  The lines a sentence runs on
    # from are full: by them the sentence-final line under them is short, and ends its paragraph.
    text = "\n".join([
        "澜江市第五届运动会", "", "枫林代表团金牌", "数创历史新高！", "——共获金牌三十一枚，", "列全市第二",
        "□ 本报记者 覃 风", "", "十二月八日，澜江市第五届运动会落下帷幕。枫",
        "林县代表团派出二百一十名运动员参加十八个大项",
        "的比赛，共获得金牌三十一枚、银牌二十六枚、铜牌", "二十二枚，金牌数和奖牌总数均创历史新高。",
        "在女子游泳项目中，十五岁的小将包晓雨一人", "独得四金，并打破一项市青少年纪录。", "", "冬季长跑"])
    paragraphs = [t for t in texts_of(text) if t.endswith("。")]
    assert [p[:6] for p in paragraphs] == ["十二月八日，", "在女子游泳项"]



def test_list_items_after_ocrs_half_width_colon_and_semicolon_start_paragraphs() -> None:
    # OCR of a one-column print: each paragraph one line, the marks half-width.
    text = "\n".join(["进入十二月，我县流感病例明显增多。县疾控中心专家提醒市民注意以下几点:",
                      "一、及时接种流感疫苗，老人、儿童和慢性病患者是重点人群;",
                      "二、勤洗手、常通风，到人员密集场所要佩戴口罩;",
                      "三、出现发热、咳嗽等症状要及时就医，不要带病上班上学。"])
    assert [t[:2] for t in texts_of(text)] == ["进入", "一、", "二、", "三、"]


def test_a_full_line_with_a_comma_alone_between_blank_lines_goes_on_after_them() -> None:
    # ``艺人加紧赶制各式花灯，准备在`` fills the 14-em column and stops mid-sentence: a column
    # break, though the sentence's rest is one short line.  A centred title with a comma is narrower.
    body = ["近年来，芦湾乡实施退田还", "湿，湿地生态持续向好，来此越冬", "的候鸟逐年增多，今冬已监测到",
            "白鹭、灰鹤等鸟类二十余种。"]
    text = "\n".join([*body, "", "艺人加紧赶制各式花灯，准备在", "", "元宵灯会上展出。"])
    assert texts_of(text)[-1] == "艺人加紧赶制各式花灯，准备在元宵灯会上展出。"
    text = "\n".join([*body, "", "强基础，促发展", "", "元宵灯会上展出。"])
    assert "强基础，促发展" in texts_of(text)


def test_a_first_line_of_many_compressed_marks_still_measures_short() -> None:
    # ``…、…、……`` : four marks the paper set half an em wide.  Measured at the reader's mark
    # width the line looks full; with its marks compressed it is two ems short, a first line.
    text = "\n".join([
        "本报记者 池 墨 通讯员 雷 鸣 实习生 孙 悦", "",
        "舞台搭在祠堂前的空地上，灯光一亮，台下坐满了人。十", "二月十二日晚，龙潭镇金塘村的“村晚”热热闹闹地开场了。",
        "采茶戏、三句半、广场舞……二十多个节目全部由村民自编",
        "自演。七十二岁的老艺人钟福生一段《十劝郎》，唱得台下掌声",
        "不断。", "", "县文化馆馆长介绍，今年全县共有四十六个村举办“村晚”，"])
    assert [t[:3] for t in texts_of(text)] == ["本报记", "舞台搭", "采茶戏", "县文化"]


def test_a_caption_ocr_read_twice_on_one_line_does_not_widen_the_column() -> None:
    # The doubled caption is three times the column's width: measured so, it made the full line
    # under it look short, and the paragraph ended inside a word (``为老人理`` / ``发、测血压。``).
    caption = "志愿者在敬老院为老人理发 通讯员 田 禾 摄"
    text = "　　入冬以来，县志愿者协会的队\n\n" + caption * 2 + "\n\n员们每周走进敬老院，为老人理\n发、测血压。\n"
    assert texts_of(text)[-1] == "员们每周走进敬老院，为老人理发、测血压。"
    # Printed once, the caption is a line of its own as before.
    assert caption in texts_of(text.replace(caption * 2, caption))


def test_a_cut_sentence_does_not_go_on_in_ocrs_reading_of_a_picture() -> None:
    # OCR read a photo between the columns as ``[七2`` and ``Lo 了``: the full line cut before it (its
    # last word lost) does not take it in; the structure stage drops it and says so.
    from pipeline.text import parse_text

    text = ("（一）河道保洁。沿河村庄要做\n到垃圾不入河、污水不直排，不\n在河堤乱堆乱放柴草，不占道经\n\n"
            "[七2\nLo 了\n\n（二）绿化养护。各村要按时浇\n水修剪，防止苗木冻伤。\n")
    first = "（一）河道保洁。沿河村庄要做到垃圾不入河、污水不直排，不在河堤乱堆乱放柴草，不占道经"
    second = "（二）绿化养护。各村要按时浇水修剪，防止苗木冻伤。"
    blocks, _ = reflow_lines(text)
    assert [b.text for b in blocks] == [first, "[七2", "Lo 了", second]
    page = parse_text(text, "t.txt")
    assert [p.text for a in page.articles for p in a.paragraphs] == [first, second]
    assert [(r.line, r.removed) for r in page.repairs if r.kind == "ocr-noise-dropped"] == [(5, "七2"), (6, "Lo了")]


def test_two_columns_titles_a_space_apart_in_a_layout_print_are_two_titles() -> None:
    """Headlines set larger than the body: ``pdftotext -layout`` puts two columns' titles one space
    apart on a row (``桃源乡新建两处 红岩村通上了自``); each goes to its own column and joins its tail."""
    source = Path(__file__).parent / "data" / "pdftotext-layout-titles" / "source.txt"
    page = parse_text(source.read_text(encoding="utf-8"), source.name)
    assert [(a.kicker, a.headline) for a in page.articles] == [
        (None, "青山镇开展冬季用电安全检查"), (None, "桃源乡新建两处休闲广场"), (None, "红岩村通上了自来水")]


def test_a_wide_byline_or_caption_in_a_layout_print_is_not_split_as_two_titles() -> None:
    assert _title_pair("桃源乡新建两处", "红岩村通上了自")
    assert not _title_pair("成群的白鹭在湿地上空飞翔", "本报记者 鲁 言 摄")  # a caption's credit
    assert not _title_pair("观鸟爱好者拍摄候鸟", "（资料图片）")  # marks: not a title
    assert not _title_pair("乡 镇", "简 讯")  # a letter-spaced title's runs are one character


def _side_by_side(left: list[str], right: list[str], width: int) -> list[tuple[int, str]]:
    """Numbered rows of a two-column ``pdftotext -layout`` print: each left line padded to ``width``."""
    return [(number, f"{a:<{width}}{b}") for number, (a, b) in enumerate(zip(left, right, strict=True), 1)]


def test_a_speakers_label_before_a_justified_gap_is_not_a_column_edge() -> None:
    # ``pdftotext -layout`` of a justified interview line: a half-width colon and the space the
    # line was spread by leave three blanks after the speaker's label.  It is one line of the first column.
    left = ["大雪过后，通往南坡小学的山路", "格外难走。记者赶到学校时，教", "师正带着孩子们在操场上扫雪。",
            "  杨建明:   这条路我走了二十六", "年，闭着眼睛都能走回来。", "  记者: 学校现在有多少学生？"]
    right = ["村里的孩子们每天早上七点就到", "了学校，冬天天还没亮，老师就", "在校门口等着他们。山里的冬天",
             "来得早，教室里生起了炉子，孩", "子们围着炉子读书写字，一点也", "不觉得冷。"]
    columns = split_layout_columns(_side_by_side(left, right, 26))
    assert [text for _, text in columns] == [*left[:3], "  杨建明: 这条路我走了二十六", *left[4:], *right]


def test_a_line_centred_in_a_column_is_not_a_column_of_its_own() -> None:
    # The right column's subheadline is centred under its wider headline: it starts far right of
    # the column's edge, on a row it shares with the left column's byline, but inside the right
    # column's lines.  It stays in that column, between the headline and the story.
    left = ["     把实验室搬到田间地头", "本报记者 尤 佳", "  在石桥乡的一块试验田里，省农科院专家",
            "正蹲在地头，查看再生稻的生长情况。今年", "我县组建科技特派员服务团，选派专家和技",
            "术人员，分赴各乡镇开展技术服务。"]
    right = ["县首家院士工作站落户樟湾", "        聚焦新材料联合攻关", "  本报讯十二月十一日，县首家院士工作",
             "站在樟湾工业园一家新材料企业揭牌。工作", "站将围绕高性能复合材料开展技术攻关，培",
             "养本地科研人才。（记者 尤 佳）"]
    rows = _side_by_side(left, right, 24)
    assert [number for number, _ in split_layout_columns(rows)] == [1, 2, 3, 4, 5, 6] * 2
    assert [text for _, text in split_layout_columns(rows)][6:8] == ["县首家院士工作站落户樟湾",
                                                                  "        聚焦新材料联合攻关"]


def test_a_bylines_padded_name_is_not_a_column_of_its_own() -> None:
    # A byline's name padded to the column's end (``（通讯员     党`` / ``平）``) leaves a wide gap
    # after the role in ``pdftotext -layout``: the name is the left column's, not a column edge.
    left = ["县司法局负责人表示，法律明白人", "学成后回到村里，将带头学法用法，", "帮助群众化解身边的矛盾纠纷。",
            "（通讯员     党", "平）", "近日，县法院开展普法宣传活动。"]
    right = ["村里的法律明白人每月开展一次", "普法宣传，把法律知识送到村民", "家门口。今年以来，全县共调解",
             "矛盾纠纷一千二百多件，调解成", "功率达到百分之九十六以上。", "（记者 甄 理）"]
    rows = _side_by_side(left, right, 24)
    assert [text for _, text in split_layout_columns(rows)] == [*left[:3], "（通讯员 党", *left[4:], *right]
