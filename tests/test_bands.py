"""Tests for pipeline.text.bands: side-by-side columns a converter read across, put back in reading order."""

from __future__ import annotations

from pipeline.text.lines import set_column
from pipeline.text.reflow import reflow_lines

WIDTH = 14
"""The columns' measure in ems."""


def read_across(left: list[str], right: list[str], together: frozenset[int] = frozenset()) -> str:
    """Two columns' lines as pdftotext reads them where they stand level: row by row, each line between
    blank lines; on the rows in ``together`` the right column's line comes right under the left's.
    A title stack across both columns opens the page."""
    out: list[str] = [*TITLES, ""]
    for row in range(max(len(left), len(right))):
        if row < len(left):
            out.append(left[row])
            if row not in together:
                out.append("")
        if row < len(right):
            out.extend((right[row], ""))
    return "\n".join(out)


TITLES = ("书香伴我二十年", "——对话县图书馆馆员孙立芳")


def column(*paragraphs: str) -> list[str]:
    return [line for paragraph in paragraphs for line in set_column(paragraph, WIDTH)]


LEFT = ("在县图书馆工作的二十年里，孙立芳把这里当成了自己的家。近日，记者走进图书馆，与她聊了聊。",
        "问：您当初为什么选择来图书馆工作？",
        "答：我从小就喜欢读书，来这里工作，每天都和书打交道，我觉得很幸福。")
RIGHT = ("答：是让孩子们爱上读书。有的孩子刚来时坐不住，我们就每天给他们讲故事，慢慢地他们就把这里当成家了。",
         "问：您对图书馆的未来有什么期待？",
         "答：希望有更多年轻人走进来。")
"""An interview set in two columns: every turn is a paragraph."""


def texts_of(text: str) -> list[str]:
    blocks, _ = reflow_lines(text)
    return [block.text for block in blocks]


def test_an_interview_read_in_bands_keeps_its_turns_in_column_order() -> None:
    # Row 4 (``问：您当初为什么选择来图`` / ``问：您对图书馆的未来有什``) came out as two lines of one run:
    # a line cut mid-sentence is never followed in its column by a line opening a turn.  Where a
    # column's sentence ends (``…与她聊了`` / ``聊。``), the line a band's stride later is its next.
    left, right = column(*LEFT), column(*RIGHT)
    assert left[4].startswith("问：") and right[4].startswith("问：")  # the row read as one run
    assert texts_of(read_across(left, right, together=frozenset({4}))) == [*TITLES, *LEFT, *RIGHT]


def test_a_sentence_ending_in_a_band_is_followed_by_the_line_under_it_in_its_column() -> None:
    left, right = column(*LEFT), column(*RIGHT)
    blocks, repairs = reflow_lines(read_across(left, right))
    assert [block.text for block in blocks] == [*TITLES, *LEFT, *RIGHT]
    # ``聊。`` ends the left column's first paragraph; its next line is ``问：您当初…``, two runs on.
    kinds = {repair.detail.split(" (")[0]: repair.kind for repair in repairs}
    assert kinds["聊。 | 问：您当初为什么"] == "rethreaded-by-column"


def test_a_captions_credit_wrapped_beside_a_column_is_closed_where_its_bracket_closes() -> None:
    # The caption of a picture in the next column came out under a line cut mid-word (``借`` / ``书。``);
    # its credit's closing bracket comes a few runs later.
    text = ("县图书馆新添自助借还机\n"
            "本报讯（记者 方 园）\n"
            "近日，县图书馆在大厅安装了两台自助\n"
            "\n"
            "借还机，读者刷身份证就能自己借书还\n"
            "读者在自助借还机前借书 （记者 方 园\n"
            "\n"
            "书。馆长说，机器让排队的时间少了一\n"
            "半。\n"
            "\n"
            "摄）\n")
    assert texts_of(text) == [
        "县图书馆新添自助借还机",
        "本报讯（记者 方 园）近日，县图书馆在大厅安装了两台自助借还机，读者刷身份证就能自己借书还书。"
        "馆长说，机器让排队的时间少了一半。",
        "读者在自助借还机前借书 （记者 方 园摄）"]


def test_a_sentence_another_columns_article_interrupts_goes_on_after_that_article() -> None:
    # The first column's line under the section head stood level with the second column's first
    # lines; a dateline cannot go on with ``…全县冬季``, so the band was read across.
    text = ("一周要闻\n"
            "本报讯（记者 钟 鸣）十二月五日，全县冬季\n"
            "\n"
            "本报讯（通讯员\n"
            "\n"
            "于 洋）县文化馆“周末剧场”近日开演。\n"
            "\n"
            "长跑比赛在人民广场开跑，共有五百多名\n"
            "群众参加。\n")
    assert texts_of(text) == [
        "一周要闻", "本报讯（记者 钟 鸣）十二月五日，全县冬季长跑比赛在人民广场开跑，共有五百多名群众参加。",
        "本报讯（通讯员于 洋）县文化馆“周末剧场”近日开演。"]


def test_a_name_the_column_cut_before_reported_speech_is_not_a_turn() -> None:
    # ``…队长张小`` / ``伟说：“…``: one column's lines, under a band read across; no turn starts there.
    tail = "\n".join(["县第二届农民运动会闭幕", "", "比赛现场座无虚席，两千多", "名观众呐喊助威。村队队长张小",
                      "伟说：“我们白天干农活，晚上", "练球，这个冠军来得不容易！”"])
    blocks = texts_of(read_across(column(*LEFT), column(*RIGHT)) + "\n" + tail + "\n")
    assert blocks[-2:] == ["县第二届农民运动会闭幕",
                           "比赛现场座无虚席，两千多名观众呐喊助威。村队队长张小伟说：“我们白天干农活，晚上练球，"
                           "这个冠军来得不容易！”"]


def test_a_line_one_em_short_in_a_bands_first_row_goes_on_with_the_line_above_it() -> None:
    # ``主路，也要打“最后一公`` is one em short (``里”`` may not be parted) and its marks were counted
    # compressed, so it looked like a paragraph's indented first line and ``…既要修好`` went on nowhere.
    left = ["　　修好乡村路，既要修好", "主路，也要打“最后一公", "里”。群众的难处，往往就", "在家门口的那段路上。只有"]
    right = ["　　致富的路子，贵在持之", "以恒。希望更多的单位和个", "人参与进来，让好路通得更", "远。"]
    rows = [line for pair in zip(left, right, strict=True) for line in (pair[0], "", pair[1], "")]
    text = "\n".join(["乡村路", "", *rows, "走进村里多听听群众的声", "音，路才能修到群众心上。"]) + "\n"
    assert texts_of(text) == [
        "乡村路",
        "修好乡村路，既要修好主路，也要打“最后一公里”。群众的难处，往往就在家门口的那段路上。"
        "只有走进村里多听听群众的声音，路才能修到群众心上。",
        "致富的路子，贵在持之以恒。希望更多的单位和个人参与进来，让好路通得更远。"]


def test_a_band_whose_columns_start_on_different_rows_keeps_each_columns_lines_in_order() -> None:
    # Three columns read row by row: the third column's first line (its dateline) came out last, the
    # first row holds two columns and the next two rows three, so no one stride fits the band.  The
    # dateline goes on with the line opening with a date, and links that nest (``…品尝的食`` past
    # ``…手工艺品``'s continuation) are uncrossed: a row's columns go on in the next row in order.
    rows = ["夜市里，一排排明亮的小彩", "近年来，东关街道改造老", "灯挂满摊头，前来品尝的食",
            "街区，建成小吃、手工艺品", "十一月二十日晚，县文旅中", "客络绎不绝。",
            "等各类特色摊位六十个，让", "心的工作人员来到夜市，在", "居民在家门口实现了就业。",
            "现场为商户讲解防火知识。", "本报讯（通讯员 江 月）"]
    text = "东关夜市亮起来\n入冬以来，东关老街越来越热\n闹了。\n\n" + "\n\n".join(rows) + "\n"
    assert texts_of(text) == [
        "东关夜市亮起来", "入冬以来，东关老街越来越热闹了。",
        "夜市里，一排排明亮的小彩灯挂满摊头，前来品尝的食客络绎不绝。",
        "近年来，东关街道改造老街区，建成小吃、手工艺品等各类特色摊位六十个，让居民在家门口实现了就业。",
        "本报讯（通讯员 江 月）十一月二十日晚，县文旅中心的工作人员来到夜市，在现场为商户讲解防火知识。"]


def _two_columns(title: str, left: list[str], right: list[str]) -> str:
    """Two columns read row by row, each line between blank lines, under a two-line title."""
    rows = [line for pair in zip(left, [*right, ""], strict=False) for line in pair if line]
    return title + "\n\n" + "\n\n".join(rows) + "\n"


def test_a_line_whose_marks_the_print_set_a_full_em_is_a_full_line_that_goes_on() -> None:
    # ``的“节水灌溉”新设备研制技`` fills its column less one em (``技术”`` may not be parted); counted with
    # its marks compressed it looks like a paragraph's first line, and ``…企业完成`` went on with the
    # other column's ``工作站设在…`` instead.
    left = ["　　日前，全市科技进步奖评选", "结果揭晓，我县的两家企业完成", "的“节水灌溉”新设备研制技",
            "术”和“小麦抗旱品种选育”两", "个项目获二等奖。"]
    right = ["　　近日，省院士工作站揭牌。", "工作站设在县经济技术开发区，", "将围绕新材料研发开展合作，首",
             "批引进科研人员十二名。"]
    assert texts_of(_two_columns("科技简讯\n两项成果获奖", left, right))[-2:] == [
        "日前，全市科技进步奖评选结果揭晓，我县的两家企业完成的“节水灌溉”新设备研制技术”和“小麦抗旱品种选育”"
        "两个项目获二等奖。",
        "近日，省院士工作站揭牌。工作站设在县经济技术开发区，将围绕新材料研发开展合作，首批引进科研人员十二名。"]


def test_a_line_full_of_quotes_and_an_ellipsis_goes_on_in_its_column() -> None:
    left = ["　　一把新椅子、一盏新路灯、", "一段新修步道……这些“小变", "化”看起来不大，却是居民生活",
            "中实实在在的需要。社区干部说", "办好这些小事，要先多听听居民", "的想法。"]
    right = ["　　社区开设了老年食堂，每天", "中午为六十多位独居老人送上热", "饭热菜。志愿者每周还上门为老",
             "人理发、量血压，陪他们聊天解", "闷。"]
    assert texts_of(_two_columns("小变化里的大民生\n□ 李 文", left, right))[-2:] == [
        "一把新椅子、一盏新路灯、一段新修步道……这些“小变化”看起来不大，却是居民生活中实实在在的需要。"
        "社区干部说办好这些小事，要先多听听居民的想法。",
        "社区开设了老年食堂，每天中午为六十多位独居老人送上热饭热菜。志愿者每周还上门为老人理发、量血压，陪他们聊天解闷。"]


def test_a_captions_credit_cut_before_its_shot_goes_on_where_a_line_ends_it() -> None:
    # The picture's caption stood beside the second column's lines, its credit cut before ``摄`` with no
    # bracket (``…借书 记者 方``); only ``园摄``, a few runs later, can end it, and no line goes on
    # with the caption itself.
    text = ("县图书馆新添自助借还机\n"
            "本报讯（通讯员 包 宁）\n"
            "近日，县图书馆在大厅安装了两台自助\n"
            "\n"
            "读者在自助借还机前借书 记者 方\n"
            "\n"
            "借还机，读者刷身份证就能自己借书还\n"
            "\n"
            "园摄\n"
            "\n"
            "书。馆长说，机器让排队的时间少了一\n"
            "半。\n")
    assert texts_of(text) == [
        "县图书馆新添自助借还机",
        "本报讯（通讯员 包 宁）近日，县图书馆在大厅安装了两台自助借还机，读者刷身份证就能自己借书还书。"
        "馆长说，机器让排队的时间少了一半。",
        "读者在自助借还机前借书 记者 方园摄"]


def test_a_padded_name_read_a_character_a_line_goes_back_into_its_byline() -> None:
    # Two briefs side by side: the first one's byline wraps after its role, and pdftotext reads the
    # padded name ``于 洋`` a character a line, the ``于`` before the line it belongs to; the second's
    # credit names ``包文静`` (three characters, never padded), so ``于`` is not that name's.
    text = ("一周要闻\n"
            "\n"
            "于\n"
            "\n"
            "本报讯（记者 钟 鸣 通讯员\n"
            "\n"
            "本报讯（通讯员\n"
            "\n"
            "洋）县市场监管局近日开展\n"
            "\n"
            "包文静）县图书馆“城市书房”近\n"
            "\n"
            "冬季食品安全专项检查，重点检\n"
            "\n"
            "日在火车站广场开放，藏书一万\n"
            "\n"
            "查学校食堂和冷链食品经营户。\n"
            "\n"
            "册，市民刷身份证即可借阅。馆内\n"
            "设有少儿阅读区。\n")
    assert texts_of(text) == [
        "一周要闻",
        "本报讯（记者 钟 鸣 通讯员于洋）县市场监管局近日开展冬季食品安全专项检查，重点检查学校食堂和冷链食品经营户。",
        "本报讯（通讯员包文静）县图书馆“城市书房”近日在火车站广场开放，藏书一万册，市民刷身份证即可借阅。"
        "馆内设有少儿阅读区。"]


def test_a_paragraphs_first_line_standing_alone_goes_on_with_the_rest_of_its_word() -> None:
    # The letter's paragraph starts in the first column, level with the second column's list item; its
    # first line, indented and without marks, breaks ``家园``.
    text = ("致全县广大居民的一封信\n"
            "广大居民朋友们：\n"
            "\n"
            "干净整洁的生活环境是我们共同的家\n"
            "\n"
            "（三）文明出行。不随地吐痰，不乱扔\n"
            "\n"
            "园。为巩固国家卫生县城的创建成果，县\n"
            "\n"
            "烟头，遛狗要牵绳并及时清理粪便，共\n"
            "\n"
            "爱卫办向全县的居民发出如下几点倡议。\n"
            "\n"
            "同守护我们的家园。\n"
            "\n"
            "（一）垃圾分类投放。自觉将生活垃圾分\n"
            "为可回收物、有害垃圾和其他垃圾，按时\n"
            "定点投放。\n")
    texts = texts_of(text)
    assert "干净整洁的生活环境是我们共同的家园。为巩固国家卫生县城的创建成果，县爱卫办向全县的居民发出如下几点倡议。" \
        in texts


def test_a_headline_naming_a_book_with_brackets_is_not_a_column_line_going_on() -> None:
    """``《河湾县志（1991—2020）》正式出版`` stands alone at the top, wider than the column; the
    brackets are the book's title, not a byline's: no band joins it to the text further on."""
    from pipeline.text import parse_text

    text = ("《河湾县志（1991—2020）》正式出版\n\n本报讯近日，历时五年编纂的《河湾县\n"
            "志（1991—2020）》正式出版发行。全书共三\n"
            "十二篇、一百八十万字，收录图片六百余幅，\n全面记录了三十年来全县发展的历程。\n\n欢乐村晚\n\n"
            "舞台搭在祠堂前的空地上，灯光一亮，台下\n坐满了人。十二月十二日晚，龙潭镇金塘村\n的村晚热热闹闹地开场了。\n")
    page = parse_text(text, "-")
    assert page.articles[0].headline == "《河湾县志（1991—2020）》正式出版"
    assert not any(p.text.startswith("《河湾县志") for a in page.articles for p in a.paragraphs)


def test_a_headline_wrapped_inside_a_books_title_is_no_body_line() -> None:
    # ``《石湖镇志（1990`` / ``—2020）》出版发行``: the bracket its second line closes opened on the first,
    # inside the book's title, so the line has no body text's marks and goes on with nothing further on.
    from pipeline.text.bands import _is_cut, _read, _tail_of

    rows = ["《石湖镇志（1990", "—2020）》出版发行", "", "县史志办编纂的（1990—2020）卷出版，共",
            "三十二篇。"]
    title, body = _read(list(enumerate(rows, start=1)), frozenset())
    assert not _tail_of(title).marked and not _is_cut(title)
    assert _tail_of(body).marked  # a body line's own brackets and stop still count
    alone = _read([(1, "—2020）出版发行")], frozenset())[0]
    assert _tail_of(alone).marked  # a bracket closed with no book's title open: a body text's
