"""Tests for pipeline.text.repair: the named OCR fixes and their repair log."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.errors import BroadsheetError
from pipeline.model import Block, counted_chars, removed_chars
from pipeline.text.repair import RULES, Edit, RepairLoopError, _apply, _progress, repair_blocks


def repaired(text: str) -> tuple[str, list[tuple[str, int]]]:
    blocks, repairs = repair_blocks([Block(text, (7,), (0,))])
    return blocks[0].text, [(r.kind, r.line) for r in repairs]


def test_spaces_next_to_digits_in_chinese_are_removed() -> None:
    assert repaired("完成海拔 600米以下")[0] == "完成海拔600米以下"
    assert repaired("全省第 5、全市第 1。")[0] == "全省第5、全市第1。"
    assert repaired("全市唯一 2021-2023年创建周期")[0] == "全市唯一2021-2023年创建周期"


def test_spaces_between_latin_words_and_in_bylines_stay() -> None:
    assert repaired("他说 hello world 了")[0] == "他说hello world了"
    assert repaired("贡献！（李安安 洛宇峰 徐 静）")[0] == "贡献！（李安安 洛宇峰 徐 静）"


def test_spaced_out_digits_are_rejoined() -> None:
    assert repaired("成立于 2 0 2 1 年")[0] == "成立于2021年"
    assert repaired("共有 1 2 人")[0] == "共有12人"


def test_half_width_punctuation_in_chinese_becomes_full_width() -> None:
    text, kinds = repaired("以永远在路上的坚韧和执着,夺取胜利")
    assert text == "以永远在路上的坚韧和执着，夺取胜利"
    assert kinds == [("punctuation-widened", 7)]
    assert repaired("他问:真的吗?是(我)")[0] == "他问：真的吗？是（我）"


def test_an_opening_quote_ending_a_block_after_its_sentence_is_the_closing_one() -> None:
    assert repaired("这个冠军来得不容易! “") == (
        "这个冠军来得不容易！”", [("punctuation-widened", 7), ("quote-closed", 7)])
    assert repaired("他说：“")[0] == "他说：“"


def test_half_width_punctuation_between_digits_stays() -> None:
    assert repaired("上午10:30开会，共1,000人")[0] == "上午10:30开会，共1,000人"


def test_doubled_caption_is_undoubled_and_removal_recorded() -> None:
    doubled = "洪洞县委副书记洪洞县委副书记、、县长李俊平调研指导煤矿安全生产等工作县长李俊平调研指导煤矿安全生产等工作"
    blocks, repairs = repair_blocks([Block(doubled, (395,), (0,))])
    assert blocks[0].text == "洪洞县委副书记、县长李俊平调研指导煤矿安全生产等工作"
    assert [r.kind for r in repairs] == ["undoubled-caption"]
    assert repairs[0].removed == "洪洞县委副书记县长李俊平调研指导煤矿安全生产等工作"
    assert counted_chars(blocks[0].text) + removed_chars(repairs) == counted_chars(doubled)


def test_real_repeats_are_not_undoubled() -> None:
    for text in ("人人持证、技能社会", "常常", "天天向上天天向上好", "谢谢谢谢"):
        assert repaired(text)[0] == text


def test_letterspaced_headline_loses_its_spaces() -> None:
    assert repaired("坚 定 抓 好 党 建") == ("坚定抓好党建", [("letterspacing-removed", 7)])


def test_repair_names_the_source_line_of_the_change() -> None:
    block = Block("第一行文字第二行有 5个", (10, 11), (0, 5))
    _, repairs = repair_blocks([block])
    assert [(r.kind, r.line) for r in repairs] == [("space-removed", 11)]


def test_clean_text_is_untouched() -> None:
    text = "五年来，在临汾市委、市政府的坚强领导下，2020年空气质量改善率全省第5。"
    assert repaired(text) == (text, [])


def test_every_rule_has_a_docstring_example() -> None:
    for kind, rule in RULES.items():
        assert rule.__doc__ and ">>>" in rule.__doc__, kind


SPACY = st.text(alphabet="洪洞县委发展常人 0123456789abc,:;?!()、，。 ", max_size=60)


@settings(max_examples=200, deadline=None)
@given(SPACY)
def test_repairs_account_for_every_removed_character(text: str) -> None:
    blocks, repairs = repair_blocks([Block(text, (1,), (0,))])
    assert counted_chars(blocks[0].text) + removed_chars(repairs) == counted_chars(text)


@settings(max_examples=200, deadline=None)
@given(SPACY)
def test_repair_is_a_fixed_point(text: str) -> None:
    blocks, _ = repair_blocks([Block(text, (1,), (0,))])
    again, repairs = repair_blocks(blocks)
    assert again == blocks and repairs == ()


def test_block_read_four_times_is_undoubled_in_one_repair() -> None:
    text = "县长调研指导工作" * 4
    blocks, repairs = repair_blocks([Block(text, (3,), (0,))])
    assert blocks[0].text == "县长调研指导工作"
    assert [(r.kind, len(r.removed)) for r in repairs] == [("undoubled-caption", 24)]
    assert repair_blocks(blocks) == (blocks, ())


MARKS = ",:;?!()"
MARK_RUN = st.text(alphabet=MARKS + "  ", min_size=9, max_size=80).filter(
    lambda run: sum(char in MARKS for char in run) > 8)
"""A run of more than eight half-width marks (the old loop's round cap), spaces between some."""
AROUND = st.text(alphabet="洪洞县委发展人“”，。0123456789ab《〈）", max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(AROUND, MARK_RUN), min_size=1, max_size=4), AROUND)
@example([("", "::::,")], "“")
@example([("中", "," * 9)], "")
@example([("", ":" * 60)], "国")
def test_long_runs_of_marks_reach_a_fixed_point(pieces: list[tuple[str, str]], tail: str) -> None:
    text = "".join(before + run for before, run in pieces) + tail
    blocks, repairs = repair_blocks([Block(text, (1,), (0,))])
    again, more = repair_blocks(blocks)
    assert again == blocks and more == ()
    assert counted_chars(blocks[0].text) + removed_chars(repairs) == counted_chars(text)


def test_every_mark_of_a_long_run_next_to_chinese_is_widened() -> None:
    assert repaired("中" + "," * 20)[0] == "中" + "，" * 20
    assert repaired(":" * 30 + "国")[0] == "：" * 30 + "国"
    assert repaired("他说 , ; ! 好")[0] == "他说，；！好"
    assert repaired("共1,000,000人")[0] == "共1,000,000人"  # between digits: not next to Chinese


def test_a_run_of_marks_costs_the_same_rounds_at_any_length(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"rounds": 0}
    widen = RULES["punctuation-widened"]

    def counted(text: str) -> list[Edit]:
        calls["rounds"] += 1
        return widen(text)

    monkeypatch.setitem(RULES, "punctuation-widened", counted)
    rounds = []
    for length in (10, 80, 640):
        calls["rounds"] = 0
        repair_blocks([Block("中" + "," * length + "文" + ";" * length, (1,), (0,))])
        rounds.append(calls["rounds"])
    assert rounds == [2, 2, 2]  # one round widens every run, one finds nothing left


TERMINATION_TEXT = st.text(alphabet="洪洞县委发展常人 \t0123456789abc,:;?!()《》〈〉（）、，。“” ", max_size=60)


@settings(max_examples=300, deadline=None)
@given(TERMINATION_TEXT)
@example("《本报记者 张三）(〈李锐) 执着 ,夺取 2 0 2 1 年")
@example("不容易! “")
@example("说。“")
def test_every_rule_lowers_the_termination_measure(text: str) -> None:
    # The proof that the fixed-point loop ends: any change a rule makes lowers _progress.
    block = Block(text, (1,), (0,))
    assert _progress(text) <= 2 * len(text)
    for kind, rule in RULES.items():
        edits = [e for e in rule(text) if text[e.start:e.end] != e.new]
        if edits:
            changed, _ = _apply(block, kind, edits)
            assert _progress(changed.text) < _progress(text), kind


def test_a_rule_that_never_settles_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def flip(text: str) -> list[Edit]:  # a broken rule: undoes itself every other round
        return [Edit(0, 1, "b" if text[0] == "a" else "a")] if text else []

    monkeypatch.setitem(RULES, "flip", flip)
    with pytest.raises(RepairLoopError) as caught:
        repair_blocks([Block("a汉字", (4,), (0,))])
    assert str(caught.value) == ("repairs did not settle in 7 rounds on the block at line 4: "
                                 "a rule breaks the termination measure")
    assert not isinstance(caught.value, BroadsheetError)  # exit 70 with a traceback, not bad input
