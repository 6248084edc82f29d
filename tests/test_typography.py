"""Tests for pipeline.typeset.marks: escaped clreq markup, and its effect on rendered line breaks."""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.editions import EDITIONS, Typography
from pipeline.text.chars import NO_LINE_END, NO_LINE_START, WORD_JOINER, ZERO_WIDTH_SPACE
from pipeline.typeset.marks import compressed_marks, join_points, mark_text, units

STYLES = Path(__file__).resolve().parents[1] / "styles" / "typography.css"
TAG = re.compile(r"<[^>]*>")


def plain(markup: str) -> str:
    """The text a reader sees: tags dropped, entities decoded, joiners kept."""
    return html.unescape(TAG.sub("", markup))


def visible(markup: str) -> str:
    return plain(markup).replace(WORD_JOINER, "").replace(ZERO_WIDTH_SPACE, "")


# --- escaping -----------------------------------------------------------------------------


def test_untrusted_text_is_escaped() -> None:
    markup = str(mark_text('<script>alert("x")</script>&，“好”', Typography()))
    assert "<script>" not in markup
    assert "&lt;" in markup
    assert "&amp;" in markup
    assert visible(markup) == '<script>alert("x")</script>&，“好”'
    assert set(re.findall(r"<(\w+)", markup)) <= {"span"}


@settings(derandomize=True, max_examples=200)
@given(st.text(alphabet=st.characters(blacklist_characters=WORD_JOINER + ZERO_WIDTH_SPACE,
                                      blacklist_categories=("Cs",))))
def test_markup_only_adds_invisible_characters_and_spans(text: str) -> None:
    for typography in (Typography(), Typography(line_break="strict", autospace=True),
                       Typography(compress=False, line_break="none", end_half=True)):
        assert visible(str(mark_text(text, typography))) == text


CJK_ALPHABET = "汉字洪洞县一二三、，。．：；！？”’」』）》〉】～－·“‘「『（《〈【——……12.5%ab <&>"


@settings(derandomize=True, max_examples=300)
@given(st.text(alphabet=st.sampled_from(CJK_ALPHABET), max_size=40))
def test_chinese_markup_round_trips_and_nests(text: str) -> None:
    for level in ("none", "basic", "gb", "strict"):
        markup = str(mark_text(text, Typography(line_break=level, end_half=True)))
        assert visible(markup) == text
        # Spans always close, and nest only where a run of digits (set half-width) lies in a unit.
        digits = r"<span class=\"t-digits\">[^<]*</span>"
        assert re.fullmatch(rf"(?:[^<]|<span class=\"t-[a-z]+\">(?:[^<]|{digits})*</span>)*", markup)
        assert not re.search(r"<span class=\"t-(?!unit)[a-z]+\">[^<]*<span", markup)


def test_empty_text() -> None:
    assert str(mark_text("", Typography())) == ""


# --- line-start and line-end rules --------------------------------------------------------


@pytest.mark.parametrize("mark", list("、，。．：；！？”’」』）》〉】～－·"))
def test_basic_level_joins_marks_that_may_not_start_a_line(mark: str) -> None:
    assert plain(str(mark_text(f"汉{mark}字", Typography()))).startswith(f"汉{WORD_JOINER}{mark}")


@pytest.mark.parametrize("mark", list("“‘「『（《〈【"))
def test_basic_level_joins_marks_that_may_not_end_a_line(mark: str) -> None:
    assert f"{mark}{WORD_JOINER}字" in plain(str(mark_text(f"汉{mark}字", Typography())))


def test_level_none_adds_no_joiners() -> None:
    text = "他说：“好，好。”"
    assert WORD_JOINER not in str(mark_text(text, Typography(line_break="none")))


def test_levels_nest() -> None:
    assert NO_LINE_START["none"] < NO_LINE_START["basic"] < NO_LINE_START["gb"]
    assert NO_LINE_START["gb"] < NO_LINE_START["strict"]
    assert NO_LINE_END["basic"] <= NO_LINE_END["gb"] <= NO_LINE_END["strict"]


def test_strict_level_keeps_dash_and_ellipsis_off_the_line_start() -> None:
    for doubled in ("——", "……"):
        text = f"汉字{doubled}字"
        assert plain(str(mark_text(text, Typography(line_break="strict")))) == \
            f"汉字{WORD_JOINER}{doubled}字"
        assert WORD_JOINER not in plain(str(mark_text(text, Typography(line_break="basic"))))


def test_no_joiner_inside_doubled_marks() -> None:
    # Unicode line breaking never splits them; a joiner would split ——'s ligature from its text.
    assert join_points("汉——字", Typography(line_break="strict")) == [True, False, False]


def test_digit_groups_are_joined_and_spanned() -> None:
    markup = str(mark_text("增长12.5%，投资3,560万元", Typography()))
    assert f"12{WORD_JOINER}.{WORD_JOINER}5{WORD_JOINER}%" in plain(markup)
    assert f"3{WORD_JOINER},{WORD_JOINER}560" in plain(markup)
    assert units("增长12.5%，在WeasyPrint上") == [(2, 7), (9, 19)]
    assert markup.count('class="t-unit"') == 2
    assert units("因为——这……") == []


def test_paragraph_tail_is_glued_so_no_last_line_holds_one_character() -> None:
    assert plain(str(mark_text("我们一定要抓好落实。", Typography()))).endswith(
        f"落{WORD_JOINER}实{WORD_JOINER}。")
    assert WORD_JOINER not in plain(str(mark_text("洪洞", Typography())))


def test_quotes_get_break_opportunities_next_to_chinese() -> None:
    text = "申报“国家级示范县”成功"
    assert plain(str(mark_text(text, Typography()))).replace(WORD_JOINER, "") == \
        f"申报{ZERO_WIDTH_SPACE}“国家级示范县”{ZERO_WIDTH_SPACE}成功"


# --- punctuation width --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "halted", "half_start"), [
    ("好。”好", "。", "。"), ("说，“好", "，", "“"), ("好）。好", "）", "）"), ("说：“好", "：", "“"),
    ("县”；狠", "”", "”"), ("“《书》”", "《》", "《》"), ("好。”“好", "。“", "。“"),
])
def test_one_mark_of_each_adjacent_pair_is_halved(text: str, halted: str, half_start: str) -> None:
    # A line may break inside ，“: the mark halved is the one such a break leaves at a line's
    # edge, so the edition's line-start policy holds wherever WeasyPrint breaks the text.
    markup = str(mark_text(text, Typography(compress=True)))
    assert "".join(re.findall(r'<span class="t-halt">(.)</span>', markup)) == halted
    markup = str(mark_text(text, Typography(compress=True, line_start="half")))
    assert "".join(re.findall(r'<span class="t-halt">(.)</span>', markup)) == half_start


def test_isolated_marks_and_open_close_pairs_keep_full_width() -> None:
    assert compressed_marks("好，好。好") == [False] * 5
    assert compressed_marks("（）") == [False, False]


def test_uncompressed_editions_have_no_halt_spans() -> None:
    assert "t-halt" not in str(mark_text("好。”说，“好", Typography(compress=False)))


def test_edition_defaults() -> None:
    assert EDITIONS["zh-Hans"].typography.compress
    assert EDITIONS["zh-HK"].typography.compress
    assert not EDITIONS["zh-TW"].typography.compress
    assert all(edition.typography.line_break == "basic" for edition in EDITIONS.values())
    assert not any(edition.typography.autospace for edition in EDITIONS.values())


def test_autospace_is_opt_in() -> None:
    assert "t-autospace" not in str(mark_text("在2021年", Typography()))
    assert str(mark_text("在2021年", Typography(autospace=True))).count("t-autospace") == 2


def test_stylesheet_uses_prefixed_classes_and_halt() -> None:
    css = STYLES.read_text(encoding="utf-8")
    assert '"halt" 1' in css
    assert set(re.findall(r"\.([\w-]+)\s*\{", css)) <= {"t-halt", "t-hang", "t-unit", "t-autospace", "t-digits"}
    assert '"hwid" 1' in css


# --- rendered line breaks -----------------------------------------------------------------


def render_lines(text: str, typography: Typography, width_em: float = 10) -> list[str]:
    """Render one justified paragraph at 10 pt and return its lines' text."""
    import weasyprint

    from pipeline.checks.typography import build_lines, read_glyphs
    from pipeline.engine.justify import justification

    css = STYLES.read_text(encoding="utf-8")
    document = (
        f"<style>{css} p {{ font-family: 'Noto Serif CJK SC'; font-size: 10pt; "
        f"width: {width_em}em; text-align: justify; margin: 0 }}</style>"
        f'<p lang="zh-Hans">{mark_text(text, typography)}</p>'
    )
    with justification():
        pdf = weasyprint.HTML(string=document).write_pdf()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return [line.text for line in build_lines(read_glyphs(handle.name)[0])]


@pytest.mark.parametrize("mark", ["·", "～", "－"])
def test_rendered_marks_that_weasyprint_would_put_at_a_line_start(mark: str) -> None:
    # Ten characters fill the 10 em line, so the mark falls at the start of the next one.
    text = f"一二三四五六七八九十{mark}一二三四五六七八九十一二三"
    assert render_lines(text, Typography(line_break="none"))[1].startswith(mark)
    lines = render_lines(text, Typography(line_break="basic"))
    assert not any(line.startswith(mark) for line in lines)
    assert lines[1].startswith(f"十{mark}")


def test_rendered_dash_starts_a_line_only_below_strict() -> None:
    text = "一二三四五六七八九十——一二三四五六七八九十一二三"
    assert render_lines(text, Typography(line_break="basic"))[1].startswith("——")
    lines = render_lines(text, Typography(line_break="strict"))
    assert lines[1].startswith("十——")
    assert all("—" not in line or "——" in line for line in lines)


def test_end_half_marks_isolated_closing_and_stop_marks() -> None:
    markup = str(mark_text("他说，好。”再见（好）", Typography(end_half=True)))
    assert re.findall(r'<span class="t-end">(.)</span>', markup) == ["，", "”", "）"]
    assert "t-end" not in str(mark_text("他说，好。”再见", Typography()))


def test_digits_set_half_width_are_marked_in_runs() -> None:
    markup = str(mark_text("在2021年用PM2.5和8支", Typography()))
    assert re.findall(r'<span class="t-digits">([^<]*)</span>', markup) == ["2021", "2", "5", "8"]
    assert '<span class="t-unit"><span class="t-digits">2021</span></span>' in markup
    assert "t-digits" not in str(mark_text("在2021年", Typography(digits="proportional")))


def test_a_pair_is_measured_within_its_own_column_when_one_line_columns_share_a_baseline() -> None:
    # 25-culture on a broadsheet: a module of one-line columns, 读者刘女士说：“下班以后带孩 (0.042 em
    # per gap) beside the solid 子来看看书…, drawn one after the other on one baseline. Measured
    # with the two columns' median gap (0), the compressed ：“ took in the justification on both
    # sides and read 1.59 em; within its column it is 1.5.
    from pipeline.checks.reader import Glyph
    from pipeline.checks.typography import analyse_lines, build_lines

    em, gap = 9.5, 0.4
    glyphs, x = [], 745.13
    for char in "读者刘女士说：“下班以后带孩":
        glyphs.append(Glyph(char, x, 100.0, em, em))
        x += em / 2 if char == "：" else em + gap  # ： set half-width, no gap inside the pair
    x = glyphs[-1].x + em + 1.5 * em  # the gutter, then the next column's line, solid
    for char in "子来看看书，比在家看手机强多了。”":
        glyphs.append(Glyph(char, x, 100.0, em, em))
        x += em
    lines = build_lines(glyphs)
    assert len(lines) == 1  # build_lines joins them: one baseline, a gap under 6 em
    report = analyse_lines(lines, 1)
    assert dict(zip(report.pair_texts, report.pair_widths, strict=True))["：“"] == pytest.approx(1.5, abs=0.02)
