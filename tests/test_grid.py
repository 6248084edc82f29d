"""The evenness analyser (checks/grid.py) on glyphs laid out by hand: looseness, feet, baselines, titles."""

from __future__ import annotations

import pytest

from pipeline.checks.grid import analyse_grid, analyse_page, grid_problems, percentile
from pipeline.checks.reader import Glyph

EM = 10.0
PITCH = 15.0
TEXT = "汉字排版要求每行两端对齐不能松散也不能挤压多余的空间应当均匀地分配在整段之中才好看" * 20


def _line(text: str, x: float, y: float, extra: float = 0.0, em: float = EM) -> list[Glyph]:
    """Glyphs of ``text`` from ``x`` on baseline ``y``, ``extra`` points added to every gap."""
    glyphs = []
    for char in text:
        glyphs.append(Glyph(char, x, y, em, em))
        x += em + extra
    return glyphs


def _column(x: float, top: float, lines: int, chars: int = 16, offset: int = 0,
            extras: dict[int, float] | None = None) -> list[Glyph]:
    """A column of flush lines of ``chars`` characters; line ``i`` may carry extra space per gap."""
    glyphs: list[Glyph] = []
    for number in range(lines):
        extra = (extras or {}).get(number, 0.0)
        count = chars if not extra else round((chars * EM - 0.0) / (EM + extra) + 0.5)
        start = offset + number * chars
        text = TEXT[start:start + count]
        glyphs += _line(text, x, top - number * PITCH, extra)
    return glyphs


def test_a_loose_line_is_measured_in_ems_per_gap() -> None:
    # 15 characters over a 16-em measure: 1 em of slack over 14 gaps.
    glyphs = _line(TEXT[:16], 0, 500) + _line(TEXT[16:31], 0, 485, extra=EM / 14) + _line(TEXT[31:47], 0, 470) \
        + _line(TEXT[47:50], 0, 455)
    page = analyse_page(glyphs, 1)
    assert page.line_pitch == pytest.approx(PITCH)
    assert sorted(round(value, 3) for value in page.looseness) == [0.0, 0.0, round(1 / 14, 3)]
    assert page.loose_texts == ()


def test_lines_past_the_limit_are_listed_loosest_first() -> None:
    glyphs = _line(TEXT[:16], 0, 500) + _line(TEXT[16:28], 0, 485, extra=4 * EM / 11) \
        + _line(TEXT[28:42], 0, 470, extra=2 * EM / 13) + _line(TEXT[42:58], 0, 455) + _line(TEXT[58:60], 0, 440)
    report = analyse_grid([glyphs])
    assert report.loose_lines == 2
    assert report.pages[0].loose_texts == (TEXT[16:28], TEXT[28:42])
    assert report.loosest == pytest.approx(4 / 11)
    assert any("looser than 0.15 em" in problem for problem in grid_problems(report))


def test_the_last_line_of_a_paragraph_is_not_measured() -> None:
    # The second paragraph is indented 2 em: the line before it ends its paragraph, ragged.
    glyphs = _line(TEXT[:16], 0, 500) + _line(TEXT[16:20], 0, 485) + _line(TEXT[20:34], 2 * EM, 470) \
        + _line(TEXT[34:50], 0, 455) + _line(TEXT[50:53], 0, 440)
    assert analyse_page(glyphs, 1).looseness == (0.0, 0.0, 0.0)


def test_column_feet_of_a_module_are_counted_in_lines() -> None:
    step = 17 * EM
    glyphs = _column(0, 500, 10) + _column(step, 500, 10, offset=160) + _column(2 * step, 500, 4, offset=320)
    page = analyse_page(glyphs, 1)
    assert page.feet == (pytest.approx(6.0),)
    report = analyse_grid([glyphs])
    assert "column feet up to 6.0 lines apart" in " ".join(grid_problems(report))


def test_a_byline_under_a_column_is_its_foot() -> None:
    step = 17 * EM
    byline = _line("（李安安）", step + 11 * EM, 500 - 7 * PITCH)
    glyphs = _column(0, 500, 8) + _column(step, 500, 7, offset=128) + byline
    assert analyse_page(glyphs, 1).feet == (pytest.approx(0.0),)


def test_a_byline_under_a_column_of_one_short_line_is_its_foot() -> None:
    # Three lines, then one short last line and the byline flush right under it: balanced (3 | 1 + 1).
    step = 17 * EM
    byline = _line("（通讯员吕静）", step + 9 * EM, 500 - PITCH)
    glyphs = _column(0, 500, 3) + _line(TEXT[48:52], step, 500) + byline
    assert analyse_page(glyphs, 1).feet == (pytest.approx(1.0),)
    # Two lines and one: too few full lines for a page measure, the module's widest column gives it.
    glyphs = _column(0, 500, 2) + _line(TEXT[48:52], step, 500) + byline
    assert analyse_page(glyphs, 1).feet == (pytest.approx(0.0),)


def test_balanced_feet_are_within_a_line() -> None:
    step = 17 * EM
    glyphs = _column(0, 500, 8) + _column(step, 500, 8, offset=128) + _column(2 * step, 500, 7, offset=256)
    assert analyse_page(glyphs, 1).feet == (pytest.approx(1.0),)


def test_feet_one_line_apart_meet_the_target_at_any_pitch() -> None:
    # 9.5 pt at 1.5: a pitch of 14.25 pt, which a drop rounded to 0.1 pt would make 14.2.
    glyphs = []
    for column, lines in enumerate((8, 8, 7)):
        for number in range(lines):
            glyphs += _line(TEXT[(column * 8 + number) * 16:][:16], column * 17 * EM, 500 - number * 14.25)
    report = analyse_grid([glyphs])
    assert report.foot_spread == pytest.approx(1.0, abs=1e-9)
    assert not any("column feet" in problem for problem in grid_problems(report))


def test_baselines_across_a_vertical_rule_are_compared_on_one_grid() -> None:
    # Two modules side by side (widths 16 and 12 em), the right one starting 0.4 line lower.
    # Content order, as WeasyPrint draws: the left module's columns, the right one's title, its columns.
    left = _column(0, 500, 6) + _column(17 * EM, 500, 6, offset=96)
    title = _line("另一篇", 38 * EM, 540, em=2.4 * EM)
    right = _column(36 * EM, 500 - 0.4 * PITCH, 6, chars=12, offset=200)
    page = analyse_page(left + title + right, 1)
    assert page.baseline_offsets == (pytest.approx(0.4),)
    aligned = analyse_page(left + title + _column(36 * EM, 500 - 2 * PITCH, 6, chars=12, offset=200), 1)
    assert aligned.baseline_offsets == (pytest.approx(0.0),)
    # Without a title between them, columns drawn one after another are one module.
    assert analyse_page(left + right, 1).baseline_offsets == ()


def test_a_two_line_title_broken_inside_a_word_is_found() -> None:
    big = 2.4 * EM
    title = _line("乘势而上全面建设华夏根祖圣", 0, 700, em=big) + _line("地幸福老家洪洞", 0, 700 - 1.25 * big, em=big)
    body = _column(0, 600, 6) + _column(17 * EM, 600, 6, offset=96)
    page = analyse_page(title + body, 1)
    assert page.title_breaks == ("乘势而上全面建设华夏根祖圣 / 地幸福老家洪洞",)
    fine = _line("乘势而上全面建设", 0, 700, em=big) + _line("华夏根祖圣地幸福老家洪洞", 0, 700 - 1.25 * big, em=big)
    page = analyse_page(fine + body, 1)
    assert page.titles and page.title_breaks == ()


def test_a_traditional_title_is_segmented_through_its_simplified_shadow() -> None:
    big = 2.4 * EM
    title = _line("乘勢而上全面建設華夏根祖聖", 0, 700, em=big) + _line("地幸福老家洪洞", 0, 700 - 1.25 * big, em=big)
    page = analyse_page(title + _column(0, 600, 6), 1)
    assert len(page.title_breaks) == 1


def test_line_start_opening_marks_are_told_full_from_half() -> None:
    full = _line("“汉字”排版要求每行两端对齐不", 0, 500)
    # As the halt feature draws it: the glyph half an em left of the edge, its ink flush with it,
    # the next character half an em in.
    half = [Glyph("“", -0.5 * EM, 485, EM, EM)] + _line("汉字”排版要求每行两端对齐不能", 0.5 * EM, 485)
    indented = _line(TEXT[:14], 2 * EM, 470) + _line(TEXT[14:30], 0, 455)
    indented_half = [Glyph("“", 1.5 * EM, 440, EM, EM)] + _line("汉字”排版要求每行两端对", 2.5 * EM, 440)
    end = _line(TEXT[30:46], 0, 425) + _line(TEXT[46:48], 0, 410)
    page = analyse_page(full + half + indented + indented_half + end, 1)
    assert (page.full_start_marks, page.half_start_marks) == (1, 2)


def test_a_byline_set_flush_right_is_not_read_as_a_half_width_start_mark() -> None:
    # A right-aligned byline under the column, a space between the names: its bracket starts
    # 2.7 ems in, so the next character sits 0.7 em past a whole em from the column's edge. It
    # is neither full- nor half-width from the edge (the tabloid's four "half-width" start
    # marks were such bylines).
    column = _column(0, 500, 4)
    baseline = 500 - 4 * PITCH
    words = _line("（本报记者李默", 2.7 * EM, baseline) + _line("实习生王晓萌）", 9 * EM, baseline)
    assert words[-1].x + EM == pytest.approx(16 * EM)  # flush with the column's right edge
    page = analyse_page(column + words, 1)
    assert (page.full_start_marks, page.half_start_marks) == (0, 0)
    # The same words set from the column's edge (ragged right) are told as before.
    left = _line("（本报记者李默", 0, baseline) + _line("实习生王晓萌）", 6.3 * EM, baseline)
    assert (analyse_page(column + left, 1).full_start_marks, analyse_page(column + left, 1).half_start_marks) == (1, 0)
    halt = [Glyph("（", -0.5 * EM, baseline, EM, EM)] + _line("本报记者李默", 0.5 * EM, baseline)
    assert analyse_page(column + halt, 1).half_start_marks == 1
    # Half-em word spaces put a flush-right byline's start on the half-em grid (1.5 ems in, the
    # next character 2.5): still a byline, not a half-width mark (zh-TW's four on the corpus).
    half_spaced = _line("（本报记者", 1.5 * EM, baseline) + _line("李默实习生", 7 * EM, baseline) \
        + _line("王晓萌）", 12 * EM, baseline)
    assert half_spaced[-1].x + EM == pytest.approx(16 * EM)
    assert (analyse_page(column + half_spaced, 1).full_start_marks,
            analyse_page(column + half_spaced, 1).half_start_marks) == (0, 0)


def test_percentile_uses_the_nearest_rank() -> None:
    values = [value / 100 for value in range(100)]
    assert percentile(values, 0.95) == pytest.approx(0.94)
    assert percentile([0.5], 0.95) == 0.5


def test_a_column_whose_line_ends_in_a_squeezed_mark_keeps_its_measure() -> None:
    from pipeline.checks.typography import analyse_lines, build_lines

    step = 17 * EM
    full = _column(0, 500, 6)
    # A line of 15 characters and a comma set half-width, justified to 16 em: the comma's
    # advance still reads as a full em, so its line seems to reach half an em past the edge.
    squeezed = _line(TEXT[200:215], step, 500, extra=0.5 * EM / 15) + [Glyph("，", step + 15.5 * EM, 500, EM, EM)]
    column = squeezed + _line(TEXT[215:231], step, 500 - PITCH) + _line(TEXT[231:236], step, 500 - 2 * PITCH)
    report = analyse_lines(build_lines(full + column), 1, end_half=True)
    assert report.nonfinal_lines == 8 and report.off_measure == ()


def test_stories_without_titles_side_by_side_are_separate_modules_after_each_byline() -> None:
    # Two briefs with no title between them: the first's byline ends it, and the second's taller
    # columns are not compared with the first's feet.
    step = 17 * EM
    first = _column(0, 500, 3) + _line("（李安安）", 11 * EM, 500 - 3 * PITCH)
    second = _column(step, 500, 6, offset=48) + _column(2 * step, 500, 6, offset=144)
    page = analyse_page(first + second, 1)
    assert page.feet == (pytest.approx(0.0),)  # the second story's two columns; the first has one


def test_a_column_of_indented_and_flush_right_lines_takes_its_edge_from_the_page_grid() -> None:
    from pipeline.checks.typography import analyse_lines, build_lines

    # Columns at 0, 170, 340: the third holds only a paragraph's indented first line and a sign-off
    # set flush right, so its own lines never reach its edge. The last line of the second column
    # ends its paragraph: it is not counted as a justified line missing the measure.
    step = 17 * EM
    glyphs = _column(0, 500, 4) + _column(step, 500, 3, offset=64) + _line("汉字排版", step, 500 - 3 * PITCH)
    glyphs += _line(TEXT[:14], 2 * step + 2 * EM, 500) + _line("云溪县自来水公司", 2 * step + 8 * EM, 500 - PITCH)
    report = analyse_lines(build_lines(glyphs), 1)
    assert report.off_lines == ()


def test_a_mark_hung_past_the_measure_counts_as_flush() -> None:
    from pipeline.checks.typography import analyse_lines, build_lines

    hung = _line(TEXT[:16], 0, 500 - 2 * PITCH) + [Glyph("，", 16 * EM, 500 - 2 * PITCH, EM, EM)]
    glyphs = _column(0, 500, 2) + hung + _line(TEXT[16:32], 0, 500 - 3 * PITCH) + _line("汉字", 0, 500 - 4 * PITCH)
    assert analyse_lines(build_lines(glyphs), 1).off_lines == ()
    pushed = _line(TEXT[:16], 0, 500 - 2 * PITCH) + [Glyph("汉", 16 * EM, 500 - 2 * PITCH, EM, EM)]
    glyphs = _column(0, 500, 2) + pushed + _line(TEXT[16:32], 0, 500 - 3 * PITCH) + _line("汉字", 0, 500 - 4 * PITCH)
    assert len(analyse_lines(build_lines(glyphs), 1).off_lines) == 1


def test_a_long_byline_under_a_short_last_line_is_the_columns_foot_and_ends_its_module() -> None:
    # Two untitled briefs side by side: the first in two columns, its last column two lines
    # (the second ragged) and a long byline starting 1 em in, flush right; the second brief in
    # a third column four lines deep over its own byline. The long byline joins its column's
    # lines (within the 3 ems a first-line indent may take), yet it is the first brief's foot:
    # the brief after it is another module, so its foot is not 2 lines off the first's.
    x2, x3 = 17 * EM, 34 * EM
    first = _column(0, 500, 3) + _column(x2, 500, 1, offset=48) + _line(TEXT[64:68], x2, 500 - PITCH)
    byline = _line("（记者钟鸣通讯员于洋）" + "汉" * 4, x2 + EM, 500 - 2 * PITCH)
    assert byline[-1].x + EM == pytest.approx(x2 + 16 * EM)
    second = _column(x3, 500, 4, offset=96) + _line("（通讯员包文静）", x3 + 8 * EM, 500 - 4 * PITCH)
    page = analyse_page(first + byline + second, 1)
    assert page.feet and max(page.feet) <= 1.0
