"""Total-fit line breaking (typeset/linebreak.py): widths, break rules, even slack, and the laid-out lines."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.editions import EDITIONS, Typography
from pipeline.model import Article, Page, Paragraph
from pipeline.project.config import Paper, Publication, packaged_dir
from pipeline.text.chars import NO_LINE_END, NO_LINE_START, ZERO_WIDTH, is_western_gap
from pipeline.typeset import linebreak
from pipeline.typeset.html import LayoutSettings, Piece, layout_page, make_environment, set_piece
from pipeline.typeset.linebreak import Setting, break_paragraph, break_positions, line_width
from pipeline.typeset.marks import compressed_marks
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


def test_a_line_with_figures_takes_its_slack_between_han_and_figures() -> None:
    # clreq widens the space between Han and Latin letters or digits first (here up to half an
    # em), so the fraction a half-em digit group leaves goes there, not into the Han gaps.
    text = "一二三四五六七在2021年" + "汉" * 25
    setting = break_paragraph(text, 10.3, METRICS, BASIC, indent=0)
    assert setting is not None and setting.lines(text)[0] == "一二三四五六七在2021"
    assert setting.looseness[0] == 0.0
    assert setting.looseness[1] == pytest.approx(0.3 / 9)  # a line of Han only: its nine gaps
    # Past half an em, the rest widens the Han gaps (seven, 在|2 full).
    wider = break_paragraph(text, 10.9, METRICS, BASIC, indent=0)
    assert wider is not None and wider.lines(text)[0] == "一二三四五六七在2021"
    assert wider.looseness[0] == pytest.approx(0.4 / 7)
    # With the autospace set, the gap holds a quarter em already and widens by a quarter more.
    spaced = break_paragraph(text, 10.9, METRICS, Typography(autospace=True), indent=0)
    assert spaced is not None and spaced.lines(text)[0] == "一二三四五六七在2021"
    assert spaced.looseness[0] == pytest.approx((0.9 - 0.25 - 0.25) / 7)

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
        squeezed = [index for index in setting.squeezed if start <= index < end]
        # Only lone marks go half-width, or the two marks ending a line, and never the one
        # starting a line (line_start: full).
        marks = "，。、”）》“（《"
        assert all(text[index] in marks and index > start for index in squeezed)
        pair = {end - 2, end - 1} <= set(squeezed) and text[end - 2] in marks
        lone = [index for index in squeezed if not (pair and index >= end - 2)]
        assert all(text[index - 1] not in marks for index in lone)
        assert all(index + 1 == end or text[index + 1] not in marks for index in lone)
        halted = compressed_marks(line)  # a squeezed mark already half-width as one of a pair
        saving = 0.5 * sum(not halted[index - start] for index in squeezed)
        assert line_width(line, METRICS, BASIC) - saving <= room + 1e-6
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
    # A piece cut by a page break off the paragraph's line ends, and a layout without metrics,
    # are WeasyPrint's to break.
    ends = [len(_plain(line).replace("本报讯", "", 1)) for line in setting.all]
    offsets = [sum(ends[:k + 1]) for k in range(len(ends))]
    off_line = next(n for n in range(30, 60) if n not in offsets)
    assert set_piece(Piece(piece.paragraph, 0, 0, off_line), page.articles[0], BASIC, Metrics(), 16) is None
    assert set_piece(piece, page.articles[0], BASIC, None, 16) is None


def _plain(line: object) -> str:
    return "".join(char for char in re.sub(r"<[^>]+>", "", str(line)) if char not in ZERO_WIDTH)


def test_a_piece_cut_after_a_line_keeps_the_paragraphs_lines_all_justified() -> None:
    # Pagination cuts a paragraph where an earlier pass's page ended, after one of its lines: the
    # piece keeps exactly those lines (WeasyPrint's own greedy breaks of the shorter text would
    # differ, and its last line, justified, could hold two characters spread over the measure).
    text = SAMPLE * 2
    page = _page(text)
    whole = set_piece(Piece(page.articles[0].paragraphs[0], 0, 0, len(text)), page.articles[0], BASIC, Metrics(), 16)
    assert whole is not None and whole.ends_paragraph and len(whole.all) >= 4
    cut = sum(len(_plain(line)) for line in whole.all[:3])
    piece = set_piece(Piece(page.articles[0].paragraphs[0], 0, 0, cut), page.articles[0], BASIC, Metrics(), 16)
    assert piece is not None and not piece.ends_paragraph
    assert piece.all == whole.all[:3]


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


def test_a_line_gives_up_the_blank_half_of_the_mark_ending_it_before_it_stretches() -> None:
    # 汉汉汉，汉汉汉汉汉汉， is 11 em: with both commas half-width it fills a 10-em line exactly;
    # holding the last comma full, the line would have to end an em short (，may not start one).
    text = "汉汉汉，汉汉汉汉汉汉，" + "汉" * 12
    setting = break_paragraph(text, 10, METRICS, BASIC, indent=0)
    assert setting is not None
    assert setting.lines(text)[0] == "汉汉汉，汉汉汉汉汉汉，"
    assert setting.looseness[0] == 0.0 and {3, 10} <= setting.squeezed


def test_editions_with_full_width_pairs_squeeze_lone_marks_unless_told_not_to() -> None:
    text = "汉汉汉，汉汉汉汉汉汉，" + "汉" * 12
    taiwan = Typography(compress=False)  # zh-TW: adjacent marks keep their full width
    assert break_paragraph(text, 10, METRICS, taiwan, indent=0).looseness[0] == 0.0
    rigid = break_paragraph(text, 10, METRICS, Typography(compress=False, squeeze=False), indent=0)
    assert rigid is not None and not rigid.squeezed and rigid.looseness[0] > 0.1


def test_an_opening_mark_inside_a_line_may_give_up_its_blank_half() -> None:
    text = "汉汉汉汉汉“汉汉汉汉汉”" + "汉" * 14  # 12 em, then a line of 11 and one of 3
    setting = break_paragraph(text, 11, METRICS, BASIC, indent=0)
    assert setting is not None and 5 in setting.squeezed and setting.looseness[0] == 0.0


def test_line_start_marks_follow_the_editions_policy_on_every_line() -> None:
    text = ("汉" * 9 + "“汉汉”") * 6
    for policy, starts_half in (("full", False), ("half", True)):
        typography = Typography(line_start=policy)
        setting = break_paragraph(text, 10, METRICS, typography, indent=0)
        assert setting is not None
        starts = [start for start in (0, *setting.ends[:-1]) if text[start] == "“"]
        assert starts  # the measure makes lines open with the quote
        assert all((start in setting.squeezed) == starts_half for start in starts)
        # A half-width opening mark gives its line half an em more room.
        for number, start in enumerate((0, *setting.ends[:-1])):
            end = setting.ends[number]
            saving = 0.5 if starts_half and start in starts else 0.0
            line = text[start:end]
            assert line_width(line, METRICS, typography) == line_width(line, METRICS, BASIC) - saving


QUOTED = ("全县坚持“两手抓”，推进“三重一大”事项集体决策，落实“放管服”改革，开展“百日攻坚”行动，"
          "建成“一站式”服务中心，创建“全国文明城市”和“国家卫生县城”，打响“洪洞大槐树”品牌，"
          "实施“乡村振兴”战略，推动“特”“优”农业发展，擦亮“山西省文旅建设先进县”名片。")


def test_the_pdf_sets_every_line_start_mark_by_the_editions_policy(tmp_path: Path) -> None:
    """Built through the CLI: one edition full width at line starts (the default), one half width."""
    from pipeline.checks.grid import analyse_grid_pdf
    from pipeline.checks.typography import analyse_pdf
    from pipeline.cli import main

    (tmp_path / "source").mkdir()
    clauses = QUOTED.rstrip("。").split("，")
    body = "\n\n".join("，".join(clauses[shift:] + clauses[:shift]) + "。" for shift in range(len(clauses)))
    (tmp_path / "source" / "quotes.txt").write_text(f"全县推进重点工作\n\n{body}\n", encoding="utf-8")
    (tmp_path / "broadsheet.yaml").write_text(
        "publication: {name: 测试报, date: 2022-03-04}\npaper: {size: tabloid, columns: 5}\n"
        "editions: [zh-Hans, {name: half, base: zh-Hans, line_start: half}]\n"
        "pages: [source/quotes.txt]\n", encoding="utf-8")
    err = io.StringIO()
    code = main(["build", "--config", str(tmp_path / "broadsheet.yaml"), "--jobs", "1", "-q", "--check"],
                stdout=io.StringIO(), stderr=err)
    assert code == 0, err.getvalue()
    full = analyse_grid_pdf(tmp_path / "output" / "zh-Hans" / "quotes.pdf")
    half = analyse_grid_pdf(tmp_path / "output" / "half" / "quotes.pdf")
    assert full.full_start_marks >= 5 and full.half_start_marks == 0
    assert half.half_start_marks >= 5 and half.full_start_marks == 0
    for edition in ("zh-Hans", "half"):  # squeezed line ends included, every line is flush
        report = analyse_pdf(tmp_path / "output" / edition / "quotes.pdf", end_half=True)
        assert report.flush_ratio == 1.0 and not report.forbidden_starts and not report.forbidden_ends


@given(st.text(alphabet="汉字，。、“”（）《》A1 2%-", min_size=3, max_size=60), st.data(),
       st.sampled_from([BASIC, Typography(line_start="half"), Typography(end_half=True, autospace=True),
                        Typography(compress=False)]))
def test_a_lines_width_is_its_end_part_less_its_start_part(text: str, data: st.DataObject,
                                                           typography: Typography) -> None:
    # The breaker measures each candidate line as right_part(end) - left_part(start).
    from pipeline.typeset.linebreak import _Paragraph

    paragraph = _Paragraph(text, ["body"] * len(text), METRICS, typography)
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 1, len(text)))
    right, right_gaps, trimmed, right_western = paragraph.right_part(end)
    if trimmed - start < 2:
        return
    left, left_gaps, left_western = paragraph.left_part(start)
    width, gaps = paragraph.measure(start, end)
    assert right - left == pytest.approx(width) and right_gaps - left_gaps == gaps
    # ... and its Han–Latin gaps (which widen first) are those inside the line.
    line = text[start:trimmed]
    assert right_western - left_western == sum(is_western_gap(a, b) for a, b in zip(line, line[1:], strict=False))


def test_a_last_line_squeezes_only_to_fit_and_a_line_final_pair_closes_to_one_em() -> None:
    # 11 em on a 10-em line: with ： and the final ？ half-width the paragraph is one line, not
    # a line of 8 (打算 stays with its ？) stretched by 2 em over a line of three.
    text = "汉汉：汉汉汉汉汉打算？"
    setting = break_paragraph(text, 10, METRICS, BASIC, indent=0)
    assert setting is not None and setting.ends == (11,) and setting.squeezed == {2, 10}
    assert break_paragraph("汉汉汉汉汉汉汉汉汉汉", 10, METRICS, BASIC, indent=0).squeezed == frozenset()
    # 。” ending a line: the ” gives up its half too, and both are marked half-width.
    text = "汉" * 8 + "。”" + "汉" * 10
    setting = break_paragraph(text, 9, METRICS, BASIC, indent=0)
    assert setting is not None and setting.lines(text)[0] == "汉" * 8 + "。”" and setting.looseness[0] == 0.0
    assert {8, 9} <= setting.squeezed
    page = _page(text)
    lines = set_piece(Piece(page.articles[0].paragraphs[0], 0, 0, len(text)), page.articles[0], BASIC, METRICS, 11)
    assert lines is not None
    first = str(lines.lines[0]).replace("\N{WORD JOINER}", "")
    assert first.endswith('<span class="t-halt">。</span><span class="t-halt">”</span>')


def test_a_line_final_comma_or_stop_hangs_rather_than_push_its_character_down() -> None:
    # 13 Han and a comma on a 13-em line: without hanging 题 goes down with its comma (，may not
    # start a line) and the line carries an em over 11 gaps; hung, the comma sits past the measure.
    text = "汉" * 13 + "，" + "汉" * 16 + "。"
    pushed = break_paragraph(text, 13, METRICS, BASIC, indent=0)
    hung = break_paragraph(text, 13, METRICS, BASIC, indent=0, hang=True)
    assert pushed is not None and hung is not None
    assert pushed.lines(text)[0] == "汉" * 12 and pushed.looseness[0] == pytest.approx(1 / 11)
    assert hung.lines(text)[0] == "汉" * 13 + "，" and hung.looseness[0] == 0.0 and hung.hung == {13}
    # A paragraph one character longer than its line is one line with its 。 hung, not a line
    # 2 em short over a two-character last line (本通告自发布之日起 / 施行。).
    notice = "本通告自发布之日起施行。"
    assert break_paragraph(notice, 13, Metrics(), BASIC, indent=2).looseness[0] > 0.2
    one = break_paragraph(notice, 13, Metrics(), BASIC, indent=2, hang=True)
    assert one is not None and one.ends == (12,) and one.hung == {11}
    # Nothing hangs where the line fits, nor a mark of a pair (。” ends with ”, which does not hang).
    assert break_paragraph("汉" * 30, 13, METRICS, BASIC, indent=0, hang=True).hung == frozenset()
    paired = "汉" * 13 + "。”" + "汉" * 14
    assert break_paragraph(paired, 13, METRICS, BASIC, indent=0, hang=True).hung == frozenset()
    # The layout marks the hung mark half-width with no advance (styles/typography.css: .t-hang).
    text = "汉" * 11 + "，" + "汉" * 16 + "。"  # the first line is indented 2 em
    page = _page(text)
    lines = set_piece(Piece(page.articles[0].paragraphs[0], 0, 0, len(text)), page.articles[0], BASIC, METRICS, 13)
    assert lines is not None
    assert str(lines.lines[0]).replace("\N{WORD JOINER}", "").endswith('<span class="t-halt t-hang">，</span>')


def test_an_edition_with_hang_false_keeps_every_mark_inside_the_measure() -> None:
    text = "汉" * 11 + "，" + "汉" * 16 + "。"  # the first line is indented 2 em
    page = _page(text)
    piece = Piece(page.articles[0].paragraphs[0], 0, 0, len(text))
    kept = set_piece(piece, page.articles[0], dataclasses.replace(BASIC, hang=False), METRICS, 13)
    assert kept is not None and "t-hang" not in "".join(map(str, kept.lines))
    assert str(kept.lines[0]).replace("\N{WORD JOINER}", "").endswith("汉")  # the comma went down with 汉


def test_a_hanging_mark_may_come_with_a_squeezed_mark_inside_its_line() -> None:
    # An unbreakable 13-figure serial (6.5 em) with a comma before and after: the only solid
    # second line holds the squeezed inner ，and hangs the final ，; without both together the
    # first two lines carried 0.30 and 0.25 em per gap (07-notices on a 16-em column).
    metrics = Metrics({"body": {digit: 0.5 for digit in "0123456789"}})
    text = "云溪县丰禾种植专业合作社不慎遗失公章一枚，编号为1408221003542，特此声明作废。"
    alone = break_paragraph(text, 16, metrics, BASIC, indent=2)
    both = break_paragraph(text, 16, metrics, BASIC, indent=2, hang=True)
    assert alone is not None and max(alone.looseness) > 0.2
    assert both is not None and both.lines(text)[1] == "遗失公章一枚，编号为1408221003542，"
    assert max(both.looseness) == 0.0 and both.hung == {text.index("，特")}
    assert text.index("，编") in both.squeezed
    # Squeezing stays off where the edition turns it off: then nothing fits but the loose lines.
    off = break_paragraph(text, 16, metrics, dataclasses.replace(BASIC, squeeze=False), indent=2, hang=True)
    assert off is not None and max(off.looseness) > 0.2


def test_a_phone_number_breaks_after_its_hyphen_only_where_keeping_it_whole_leaves_a_loose_line() -> None:
    # 0351-6283100 is a 5.85-em unit: kept whole on a 13-em column it left 0.20 em per gap on a
    # line above it (the tabloid's 06-notices); broken after its hyphen, every line is under 0.1.
    text = "请以上区域的用户提前做好储水准备，施工期间如有疑问，请拨打服务热线0351-6283100。给您带来的不便，敬请谅解。"
    whole = break_paragraph(text, 13, METRICS, BASIC, indent=2, hang=True)
    broken = break_paragraph(text, 13, METRICS, BASIC, indent=2, hang=True, numbers=True)
    assert whole is not None and max(whole.looseness) > 0.15
    assert broken is not None and max(broken.looseness) < 0.1
    assert any(line.endswith("0351-") for line in broken.lines(text))
    # Where the number fits, it stays whole: the break costs as much as a line 0.12 em loose.
    roomy = break_paragraph(text, 16, METRICS, BASIC, indent=2, hang=True, numbers=True)
    assert roomy is not None and not any(line.endswith("-") for line in roomy.lines(text))
    # The layout asks for it, and the hyphen ends its line.
    page = _page(text)
    lines = set_piece(Piece(page.articles[0].paragraphs[0], 0, 0, len(text)), page.articles[0], BASIC, METRICS, 13)
    assert lines is not None
    plain = [re.sub("<[^>]+>", "", str(line)).replace("\N{WORD JOINER}", "") for line in lines.lines]
    assert any(line.endswith("0351-") for line in plain)


def test_a_paragraph_no_setting_keeps_within_the_limit_gives_up_a_line_final_marks_blank_half() -> None:
    # zh-TW keeps 。」 full width, so 「以前愁賣，現在愁貨。」 is 12 em against the first line's 11:
    # without the emergency the only breaks left 「以前愁賣，現在愁 / 貨。」… at 0.25 em per gap (the
    # tabloid's 22-economy). Given up where nothing else fits, the 」 closes half an em and the
    # comma the other half: every line is solid.
    taiwan = EDITIONS["zh-TW"].typography
    text = "「以前愁賣，現在愁貨。」返鄉青年主播小趙說，她一晚上就賣出了三千多單紅棗。"
    setting = break_paragraph(text, 13, Metrics(), taiwan, indent=2)
    assert setting is not None and setting.lines(text)[0] == "「以前愁賣，現在愁貨。」"
    assert max(setting.looseness) == 0.0 and {text.index("，"), text.index("」")} <= setting.squeezed
    assert text.index("。") not in setting.squeezed  # the stop keeps its full width
    # A paragraph whose lines keep within 0.15 em is set as before, a little loose, with its 」 whole:
    # 18 of 19 characters on a 20-em line leave 2 em over 17 gaps (0.118).
    plain = "汉" * 19 + "。」" + "汉" * 30
    kept = break_paragraph(plain, 20, Metrics(), taiwan, indent=0)
    assert kept is not None and kept.lines(plain)[0] == "汉" * 18
    assert kept.looseness[0] == pytest.approx(2 / 17) and not kept.squeezed
    # Squeezing off means never, even then.
    rigid = break_paragraph(text, 13, Metrics(), dataclasses.replace(taiwan, squeeze=False), indent=2)
    assert rigid is not None and max(rigid.looseness) > 0.2
    # The layout marks the 」 half-width after the full-width 。.
    page = _page(text)
    lines = set_piece(Piece(page.articles[0].paragraphs[0], 0, 0, len(text)), page.articles[0], taiwan,
                      Metrics(), 13)
    assert lines is not None
    assert str(lines.lines[0]).replace("\N{WORD JOINER}", "").endswith('。<span class="t-halt">」</span>')


def test_a_line_holding_a_word_keeps_its_gaps_under_pdftotexts_word_break(monkeypatch: pytest.MonkeyPatch) -> None:
    # pdftotext starts a word past 0.1 em, and spaces every such gap of a line that also holds a
    # word (。”, 2021): the breaker pays TEXT_LAYER_COST for that line, and here sets a plain Han
    # line at 0.143 instead of 汉。”汉。”汉2021 at 0.125 (both within 0.15).
    from pipeline.typeset import linebreak

    text = "汉" * 10 + "。”汉。”汉2021汉汉。"
    chosen = break_paragraph(text, 9, Metrics(), BASIC, indent=0)
    assert chosen is not None and chosen.lines(text) == ["汉" * 8, "汉汉。”汉。”汉2021", "汉汉。"]
    assert chosen.looseness[1] == 0.0 and chosen.looseness[0] == pytest.approx(1 / 7)
    monkeypatch.setattr(linebreak, "TEXT_LAYER_COST", 0.0)
    linebreak._break_cached.cache_clear()
    free = break_paragraph(text, 9, Metrics(), BASIC, indent=0)
    linebreak._break_cached.cache_clear()
    assert free is not None and free.lines(text)[1] == "汉。”汉。”汉2021" and free.looseness[1] > 0.1


PRUNE_METRICS = Metrics({"body": {"A": 0.7, "1": 0.5, "-": 0.35, " ": 0.25, "，": 1.0, "。": 0.9, "、": 0.8,
                                  "“": 1.1, "”": 1.1}})
PRUNE_TYPOGRAPHIES = (BASIC, dataclasses.replace(BASIC, compress=False),
                      dataclasses.replace(BASIC, end_half=True, autospace=True, line_start="half"),
                      dataclasses.replace(BASIC, squeeze=False))


def _both_ways(text: str, measure: float, indent: float, typography: Typography, hang: bool,
               emergency: bool) -> tuple[Setting | None, Setting | None]:
    faces = tuple("bold" if index < 3 else "body" for index in range(len(text)))
    args = (text, measure, PRUNE_METRICS, typography, indent, faces, 3, True, hang, True)
    return (linebreak._break_once(*args, emergency=emergency),
            linebreak._break_once(*args, emergency=emergency, prune=False))


@given(st.text(alphabet="汉字文，，。、“”（）《》A1 -", min_size=1, max_size=90),
       st.integers(min_value=3, max_value=16), st.sampled_from(PRUNE_TYPOGRAPHIES), st.booleans(), st.booleans())
def test_a_window_cut_short_where_no_marks_could_fit_its_line_sets_the_same_lines(
        text: str, measure: int, typography: Typography, hang: bool, emergency: bool) -> None:
    # The breaker stops looking back from a line end where the line is wider than its marks
    # could ever make room for; choosing the marks of every such line instead changes nothing.
    pruned, full = _both_ways(text, measure, 2.0, typography, hang, emergency)
    assert pruned == full


def test_the_sample_paragraph_sets_the_same_lines_with_the_window_cut_short() -> None:
    text = SAMPLE.replace("，", "，”").replace("。", "。、")  # pairs, lone marks and a hangable end
    for typography in PRUNE_TYPOGRAPHIES:
        for measure, indent in ((16, 2.0), (13, 5.5), (7, 0.0)):
            for hang in (True, False):
                pruned, full = _both_ways(SAMPLE, measure, indent, typography, hang, False)
                assert pruned == full and pruned is not None
                pruned, full = _both_ways(text, measure, indent, typography, hang, True)
                assert pruned == full
