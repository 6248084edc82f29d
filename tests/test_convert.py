"""Tests for pipeline.editions.convert: dictionary entries that win, guards, controls, quotes, names, report."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import opencc
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.editions import EDITIONS, Edition
from pipeline.editions.convert import (
    Converter,
    convert_page,
    convert_plain,
    convert_report,
    convert_segments,
    convert_text,
    format_report,
    make_converter,
    map_quotes,
    report_items,
)
from pipeline.editions.phrases import load_phrases
from pipeline.errors import ConfigError
from pipeline.model import Article, Caption, Page, Paragraph, Repair

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "convert"
CONFIGS = {"s2tw": "zh-TW", "s2twp": "zh-TW", "s2hk": "zh-HK", "s2t": "zh-Hant"}
SENTENCES = yaml.safe_load((DATA / "sentences.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def converters() -> dict[str, Converter]:
    return {cfg: make_converter(EDITIONS[ed], opencc_config=cfg) for cfg, ed in CONFIGS.items()}


@pytest.fixture(scope="module")
def stock() -> dict[str, opencc.OpenCC]:
    return {cfg: opencc.OpenCC(cfg) for cfg in CONFIGS}


def _ids(case: dict[str, str]) -> str:
    return f"{case['kind']}-{case['text'][:8]}"


# --- our own sentences --------------------------------------------------------------------

def test_enough_sentences_of_each_kind() -> None:
    kinds = [case["kind"] for case in SENTENCES]
    assert len(SENTENCES) >= 40
    assert {kinds.count(k) >= 8 for k in ("fix", "guard", "control")} == {True}
    sample = (ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8")
    assert not [case["text"] for case in SENTENCES if case["text"].rstrip("。") in sample]


@pytest.mark.parametrize("case", SENTENCES, ids=_ids)
@pytest.mark.parametrize("config", list(CONFIGS))
def test_sentence(case: dict[str, str], config: str, converters: dict[str, Converter]) -> None:
    assert convert_text(case["text"], converters[config]) == case[config]


@pytest.mark.parametrize("case", [c for c in SENTENCES if c["kind"] == "fix"], ids=_ids)
def test_fix_cases_are_real_opencc_errors(case: dict[str, str], stock: dict[str, opencc.OpenCC]) -> None:
    """Each fix sentence is one stock OpenCC gets wrong in some config (quotes aside)."""
    wrong = [cfg for cfg in CONFIGS
             if map_quotes(stock[cfg].convert(case["text"]), EDITIONS[CONFIGS[cfg]]) != case[cfg]]
    assert wrong


@pytest.mark.parametrize("case", [c for c in SENTENCES if c["kind"] == "control"], ids=_ids)
def test_control_cases_are_right_in_stock_opencc(case: dict[str, str], stock: dict[str, opencc.OpenCC]) -> None:
    assert {cfg: stock[cfg].convert(case["text"]) for cfg in CONFIGS} == {cfg: case[cfg] for cfg in CONFIGS}


# --- the entries win and do not over-apply ------------------------------------------------

def test_entry_beats_segmentation_but_not_a_different_word(converters: dict[str, Converter]) -> None:
    tw = converters["s2tw"]
    assert convert_text("坚持好干部标准", tw) == "堅持好幹部標準"
    assert convert_text("天气好干燥", tw) == "天氣好乾燥"


def test_guard_does_not_stop_longer_phrase(converters: dict[str, Converter]) -> None:
    assert convert_text("计算机程序", converters["s2twp"]) == "計算機程式"
    assert convert_text("决策程序", converters["s2twp"]) == "決策程序"


def test_followed_by_window_stops_at_punctuation(converters: dict[str, Converter]) -> None:
    tw = converters["s2tw"]
    assert convert_text("负责编制，规划由他审", tw).startswith("負責編製")  # preceded_by 负责
    assert convert_text("县里编制，规划另定", tw) == "縣裡編制，規劃另定"
    assert convert_text("县里编制规划", tw) == "縣裡編製規劃"
    assert convert_text("人员编制和工作规划", tw) == "人員編制和工作規劃"  # staffing


def test_characters_fix_only_for_its_config(converters: dict[str, Converter]) -> None:
    assert convert_text("考核", converters["s2t"]) == "考核"
    assert "覈" not in convert_text("核对核实核算", converters["s2t"])


def test_publication_entry_overrides_builtin() -> None:
    phrases = load_phrases("phrases:\n  - {from: 程序, keep: phrasing}\n", "p.yaml")
    converter = make_converter(EDITIONS["zh-TW"], phrases, opencc_config="s2twp")
    assert convert_text("法定程序", converter) == "法定程式"


def test_publication_names_are_protected_from_phrasing() -> None:
    phrases = load_phrases("names: [蓝天智能科技园]\n", "p.yaml")
    converter = make_converter(EDITIONS["zh-TW"], phrases, opencc_config="s2twp")
    assert convert_text("入驻蓝天智能科技园的智能企业", converter) == "入駐藍天智能科技園的智慧企業"


def test_fixed_target_gets_regional_variants() -> None:
    phrases = load_phrases("phrases:\n  - {from: 说明会, to: 說明會}\n", "p.yaml")
    hk = make_converter(EDITIONS["zh-HK"], phrases)
    assert convert_text("说明会", hk) == "説明會"


def test_per_edition_target() -> None:
    phrases = load_phrases("phrases:\n  - from: 台湾\n    to: {default: 臺灣, zh-HK: 台灣}\n", "p.yaml")
    assert convert_text("台湾", make_converter(EDITIONS["zh-HK"], phrases)) == "台灣"
    assert convert_text("台湾", make_converter(EDITIONS["zh-TW"], phrases)) == "臺灣"


def test_placeholders_never_collide_with_private_use_text(converters: dict[str, Converter]) -> None:
    text = "\ue000好干部\ue001\ue002优化"
    assert convert_text(text, converters["s2twp"]) == "\ue000好幹部\ue001\ue002優化"


def test_quoted_speech_is_not_protected(converters: dict[str, Converter]) -> None:
    assert convert_text("他说：“软件很好。”", converters["s2twp"]) == "他說：「軟體很好。」"


def test_protect_names_switch_off() -> None:
    edition = dataclasses.replace(EDITIONS["zh-TW"], protect_names=False)
    converter = make_converter(edition, opencc_config="s2twp")
    assert convert_text("“项目招商会”", converter) == "「專案招商會」"


def test_simplified_edition_is_untouched() -> None:
    converter = make_converter(EDITIONS["zh-Hans"])
    assert convert_text("坚持好干部标准，“优化”", converter) == "坚持好干部标准，“优化”"


def test_opencc_override_and_unknown_config() -> None:
    converter = make_converter(EDITIONS["zh-TW"], opencc_config="s2twp.json")
    assert converter.config == "s2twp"
    with pytest.raises(ConfigError) as info:
        make_converter(EDITIONS["zh-TW"], opencc_config="t2s")
    assert str(info.value).startswith("unknown OpenCC config 't2s' for a Traditional edition (choose from ")


# --- quotes ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("“甲”", "「甲」"),
    ("‘乙’", "『乙』"),
    ("“甲‘乙’丙”", "「甲『乙』丙」"),
    ("“甲“乙”丙”", "「甲『乙』丙」"),
    ("“一“二‘三’二”一”", "「一『二「三」二』一」"),
    ("甲”", "甲」"),
    ("don’t “go”", "don’t 「go」"),
    ("“don’t”", "「don’t」"),
])
def test_corner_quotes_nest(text: str, expected: str) -> None:
    assert map_quotes(text, EDITIONS["zh-HK"]) == expected


def test_curly_editions_keep_quotes(converters: dict[str, Converter]) -> None:
    assert convert_text("“甲‘乙’”", converters["s2t"]) == "“甲‘乙’”"


# --- plain conversion -----------------------------------------------------------------------

def test_plain_ends_a_run_at_whitespace_like_stock_opencc(converters: dict[str, Converter],
                                                          stock: dict[str, opencc.OpenCC]) -> None:
    tw = converters["s2tw"]
    for text in ("我们要头\n发整齐\n", "坚 定 抓 好 头 发\n", "头发 松了\n"):
        assert convert_plain(text, tw) == stock["s2tw"].convert(text)
    assert convert_plain("我们要放\n松心情\n", tw) == "我們要放\n鬆心情\n"  # the 松 rule: 放松 over the break
    assert convert_plain("选好\n干部", tw) == "選好\n幹部"
    assert convert_plain("选好干\n部", tw) == "選好幹\n部"  # the rule's word spans the break: 幹 stays on its line


def test_plain_blank_line_is_a_boundary(converters: dict[str, Converter]) -> None:
    assert convert_plain("放\n\n松", converters["s2tw"]) == "放\n\n松"


def test_plain_phrase_change_of_length_keeps_breaks(converters: dict[str, Converter]) -> None:
    assert convert_plain("加强网络\n用户数量", converters["s2twp"]) == "加強網路\n使用者數量"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="干部好燥头发放松后里台余制网络用户优化“”‘’ \n\u3000\ue000abc，。", max_size=40))
def test_plain_keeps_whitespace_layout(text: str) -> None:
    converter = _TWP
    out = convert_plain(text, converter)
    assert [c for c in out if c.isspace()] == [c for c in text if c.isspace()]
    assert out.count("\n") == text.count("\n")


_TWP = make_converter(EDITIONS["zh-TW"], opencc_config="s2twp")


# --- pages, names, report -------------------------------------------------------------------

def _page() -> Page:
    return Page(
        source="test.txt",
        articles=(Article(
            paragraphs=(Paragraph("头发问题：选好干部，“优化”服务。", lead="头发问题：", lines=(3, 4)),),
            kicker="推进“项目招商会”", headline="县里编制旅游规划", byline=("陈晓峰", "张锐"),
            credit="本报记者",
        ),),
        captions=(Caption("县长调研台风防御", lines=(9,)),),
        repairs=(Repair("joined-across-blank-line", 2, "x | y"),),
    )


def test_convert_page_converts_every_text_and_keeps_lead_a_prefix() -> None:
    converter = make_converter(EDITIONS["zh-HK"])
    page = convert_page(_page(), converter)
    article = page.articles[0]
    assert article.paragraphs[0].text == "頭髮問題：選好幹部，「優化」服務。"
    assert article.paragraphs[0].lead == "頭髮問題："
    assert article.paragraphs[0].lines == (3, 4)
    assert article.kicker == "推進「項目招商會」"
    assert article.headline == "縣裏編製旅遊規劃"
    assert article.credit == "本報記者"
    assert page.captions[0].text == "縣長調研颱風防禦"
    assert page.repairs == _page().repairs
    assert page.source == "test.txt"


def test_name_policy_characters_is_the_default() -> None:
    article = convert_page(_page(), make_converter(EDITIONS["zh-HK"])).articles[0]
    assert article.byline == ("陳曉峰", "張銳")


def test_name_policy_convert_follows_the_text() -> None:
    edition = dataclasses.replace(EDITIONS["zh-HK"], names="convert")
    article = convert_page(_page(), make_converter(edition)).articles[0]
    assert article.byline == ("陳曉峯", "張鋭")


def test_people_in_text_follow_the_name_policy() -> None:
    phrases = load_phrases("people: [陈晓峰]\n", "p.yaml")
    hk = make_converter(EDITIONS["zh-HK"], phrases)
    assert convert_text("记者陈晓峰报道", hk) == "記者陳曉峰報道"


def test_report_lists_entries_phrases_and_choices() -> None:
    converter = make_converter(EDITIONS["zh-TW"], opencc_config="s2twp")
    items = convert_report(_page(), converter)
    entries = {(i.source, i.target) for i in items if i.kind == "entry"}
    assert ("优化", "優化") in entries and ("编制", "編製") in entries
    rules = {(i.source, i.target) for i in items if i.kind == "rule"}
    assert ("干部", "幹部") in rules
    choices = {(i.where, i.source, i.target, i.candidates) for i in items if i.kind == "choice"}
    assert ("article 1 paragraph 1 (line 3)", "发", "髮", "發髮") in choices
    assert ("caption 1", "台", "颱", "台臺檯颱") in choices
    entry = next(i for i in items if i.source == "干部")
    assert entry.origin.startswith("pipeline/editions/data/opencc_fixes.yaml:")
    assert entry.context == "头发問題：選好[幹部]，「優化」服務。".replace("头发", "頭髮")
    text = format_report(items)
    assert "article 1 paragraph 1 (line 3):7  rule    干部 → 幹部  …頭髮問題：選好[幹部]，「優化」服務。…" in text
    assert "## phrase rules (1)\n" in text and "## one-to-many choices (" in text
    assert text.endswith("one-to-many choices\n")


def test_report_names_protected_quotes() -> None:
    converter = make_converter(EDITIONS["zh-TW"], opencc_config="s2twp")
    items = convert_report(_page(), converter)
    quoted = [(i.where, i.source, i.target, i.origin) for i in items if i.origin.startswith("quoted")]
    assert quoted == [("article 1 kicker", "项目招商会", "項目招商會",
                       "quoted name: characters only (edition protect_names)")]


def test_report_names_regional_phrasing() -> None:
    converter = make_converter(EDITIONS["zh-TW"], opencc_config="s2twp")
    page = Page("t", (Article((Paragraph("互联网用户"),)),))
    phrases = [(i.source, i.target) for i in convert_report(page, converter) if i.kind == "phrase"]
    assert phrases == [("互联网用户", "網際網路使用者")]


def test_report_of_byline_policy() -> None:
    items = convert_report(_page(), make_converter(EDITIONS["zh-HK"]))
    bylines = [(i.source, i.target, i.origin) for i in items if i.where.endswith("byline")]
    assert bylines == [("陈晓峰", "陳曉峰", "names: characters (as text: 陳曉峯)"),
                       ("张锐", "張銳", "names: characters (as text: 張鋭)")]


# --- the sample page: every error the issue lists ------------------------------------------

@pytest.fixture(scope="module")
def sample_texts() -> dict[str, str]:
    from pipeline.text import parse_text

    page = parse_text((ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8"), "source/hongdong.txt")
    phrases = load_phrases((ROOT / "source" / "phrases.yaml").read_text(encoding="utf-8"), "source/phrases.yaml")
    out = {}
    for config, edition in CONFIGS.items():
        converted = convert_page(page, make_converter(EDITIONS[edition], phrases, opencc_config=config))
        out[config] = "\n".join(converted.texts())
    return out


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("wrong", ["好乾部", "刻制", "編制鄉村", "考覈", "最佳化", "建立週期", "建立成果",
                                   "決策程式", "支援人大", "新聞釋出", "華翔智慧", "雅運高階",
                                   "網際網路+網格", "專案招商"])
def test_sample_errors_are_fixed(sample_texts: dict[str, str], config: str, wrong: str) -> None:
    assert wrong not in sample_texts[config]


@pytest.mark.parametrize("config", list(CONFIGS))
def test_sample_fixed_forms(sample_texts: dict[str, str], config: str) -> None:
    text = sample_texts[config]
    assert text.count("好幹部") == 1 and "刻製印章" in text and "編製鄉村旅遊規劃" in text
    assert text.count("考核") == 2


@pytest.mark.parametrize("right", ["網路", "工業網際網路", "資訊化", "專案", "智慧化", "高階製造", "使用者",
                                   "優化「第一要素」", "創建週期", "華翔智能製造產業園", "上海雅運高端化工",
                                   "「互聯網+網格管", "「項目招商懇談會」"])
def test_sample_right_phrasings_kept_under_s2twp(sample_texts: dict[str, str], right: str) -> None:
    assert right in sample_texts["s2twp"].replace("\n", "")


def test_sample_bylines_characters_only(sample_texts: dict[str, str]) -> None:
    assert "洛宇峰" in sample_texts["s2hk"] and "李銳" in sample_texts["s2hk"]
    assert "洛宇峯" not in sample_texts["s2t"]


def test_converter_is_built_once_and_reusable(converters: dict[str, Converter]) -> None:
    converter = converters["s2tw"]
    assert isinstance(converter.edition, Edition)
    assert convert_text("头发", converter) == convert_text("头发", converter) == "頭髮"


def test_plain_sample_keeps_every_line(converters: dict[str, Converter]) -> None:
    text = (ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8")
    joined = text.replace("\n\n", "\n")
    out = convert_plain(joined, converters["s2twp"])
    assert out.count("\n") == joined.count("\n")
    assert [len(line.strip()) > 0 for line in out.split("\n")] == [len(line.strip()) > 0 for line in joined.split("\n")]
    assert "「互聯網+網格管\n理」" in out and "優化「第一要素」" in out
    assert out.replace("\n", "") == convert_plain(text, converters["s2twp"]).replace("\n", "")


@pytest.mark.parametrize(("name", "expected"), [("余华", "余華"), ("范伟", "范偉"), ("于明", "于明"), ("党俊", "党俊"),
                                                ("钟南山", "鍾南山"), ("万里", "萬里"), ("陈晓峰", "陳曉峰")])
def test_surnames_keep_their_character_in_names(name: str, expected: str) -> None:
    from pipeline.editions.convert import convert_name

    for edition in ("zh-TW", "zh-HK", "zh-Hant"):
        assert convert_name(name, make_converter(EDITIONS[edition])) == expected


def test_surname_rule_is_for_names_only(converters: dict[str, Converter]) -> None:
    assert convert_text("业余范围", converters["s2tw"]) == "業餘範圍"


def test_report_tallies_choices() -> None:
    page = Page("t", (Article((Paragraph("头发的发展，理发后再发言"),)),))
    text = format_report(convert_report(page, make_converter(EDITIONS["zh-TW"])))
    assert "choices 发: 髮×2 發×2\n" in text
    assert text.endswith("0 phrase rules, 0 dictionary entries, 0 names kept, 0 phrase substitutions, "
                         "5 one-to-many choices\n")


_TW = make_converter(EDITIONS["zh-TW"])


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="好干部燥晒头发后里台余制编规划优化刻印考核“”‘’《》+，。\ue000\ue001\U000f0000ab", max_size=30))
def test_character_level_editions_keep_length_and_marks(text: str) -> None:
    """s2tw converts character for character: length, Latin letters and private-use text all stay put."""
    out = convert_text(text, _TW)
    assert len(out) == len(text)
    keep = set("+，。《》ab\ue000\ue001\U000f0000")
    assert [c for c in out if c in keep] == [c for c in text if c in keep]
    assert [i for i, c in enumerate(out) if c in keep] == [i for i, c in enumerate(text) if c in keep]


def test_plain_windows_line_ends(converters: dict[str, Converter]) -> None:
    assert convert_plain("头\r\n发\r\n\r\n头发\r\n\r\n松", converters["s2tw"]) == "頭\r\n發\r\n\r\n頭髮\r\n\r\n松"


# --- rules: data-file cases (positive, negative, known failures) --------------------------------

RULE_CASES = yaml.safe_load((DATA / "rules.yaml").read_text(encoding="utf-8"))


def _rule_cases(group: str) -> list[tuple[str, dict[str, str]]]:
    return [(rule["rule"], case) for rule in RULE_CASES for case in rule.get(group, [])]


def _rule_id(value: object) -> str:
    return value["text"][:10] if isinstance(value, dict) else str(value)


def test_every_builtin_rule_has_its_cases() -> None:
    from pipeline.editions.phrases import builtin_phrases

    by_rule = {rule["rule"]: rule for rule in RULE_CASES}
    for rule in builtin_phrases().rules:
        cases = by_rule[rule.char]
        assert len(cases["positive"]) >= 3 and len(cases["negative"]) >= 3, rule.char
    for rule, case in _rule_cases("positive") + _rule_cases("negative"):
        assert rule in case["text"]
    assert {r.char for r in builtin_phrases().rules} >= set(by_rule)


@pytest.mark.parametrize(("rule", "case"), _rule_cases("positive"), ids=_rule_id)
def test_rule_positive(rule: str, case: dict[str, str], converters: dict[str, Converter],
                       stock: dict[str, opencc.OpenCC]) -> None:
    """The rule sets its character where stock OpenCC gets it wrong, in every config and in plain text."""
    text, expected = case["text"], case["s2tw"]
    convert = convert_plain if case.get("plain") else convert_text
    assert stock["s2tw"].convert(text) != expected  # a real OpenCC error
    assert convert(text, converters["s2tw"]) == expected
    positions = [i for i, c in enumerate(text) if c == rule]
    for config, converter in converters.items():
        for plain in (True,) if case.get("plain") else (False, True):
            result = convert_segments(text, converter, plain=plain)
            forms = [result.output[result.map_offset(p)] for p in positions]
            assert forms == [expected[p] for p in positions], config
    items = report_items("t", convert_segments(text, converters["s2tw"], plain=bool(case.get("plain"))),
                         converters["s2tw"])
    assert [i for i in items if i.kind == "rule" and rule in i.source]


@pytest.mark.parametrize(("rule", "case"), _rule_cases("negative"), ids=_rule_id)
def test_rule_negative(rule: str, case: dict[str, str], converters: dict[str, Converter],
                       stock: dict[str, opencc.OpenCC]) -> None:
    """The rule leaves stock OpenCC's output alone, in every config."""
    for config, converter in converters.items():
        expected = map_quotes(stock[config].convert(case["text"]), converter.edition)
        assert convert_text(case["text"], converter) == expected, config
        assert convert_plain(case["text"], converter) == expected, config


@pytest.mark.parametrize(("rule", "case"), [
    pytest.param(rule, case, marks=pytest.mark.xfail(strict=True, reason=case["why"]))
    for rule, case in _rule_cases("known_failures")], ids=_rule_id)
def test_rule_known_failures(rule: str, case: dict[str, str], converters: dict[str, Converter]) -> None:
    assert convert_text(case["text"], converters["s2tw"]) == case["s2tw"]


def test_rule_words_are_words() -> None:
    from pipeline.editions.phrases import MAX_WORD, builtin_phrases

    for rule in builtin_phrases().rules:
        for word in rule.words():
            assert 2 <= len(word) <= MAX_WORD
    for entry in builtin_phrases().entries:
        assert len(entry.source) <= MAX_WORD, entry.source


def test_rule_errors_name_the_line() -> None:
    from pipeline.errors import ConfigErrors

    text = ("rules:\n  - char: 干\n    forms: {幹: [干部, 部门]}\n    keep: [若干若干若干若干]\n"
            "  - char: 干\n    forms: {幹: [干事]}\n")
    with pytest.raises(ConfigErrors) as info:
        load_phrases(text, "p.yaml")
    assert str(info.value).splitlines() == [
        "p.yaml:3: rules.0.forms.幹.1: '部门' must contain '干'",
        "p.yaml:4: rules.0.keep.0: '若干若干若干若干': a rule word has 2 to 6 characters "
        "(rules are about words; put a sentence in a test case)",
        "p.yaml:5: rules.1.char: a rule for '干' is already listed (merge the two rules)",
    ]


def test_publication_rule_replaces_the_builtin_one() -> None:
    phrases = load_phrases("rules:\n  - char: 干\n    forms: {幹: [干部]}\n", "p.yaml")
    converter = make_converter(EDITIONS["zh-TW"], phrases)
    assert convert_text("坚持好干部标准，好干事", converter) == "堅持好幹部標準，好乾事"


# --- organisation names under Taiwan phrasing ----------------------------------------------------

def test_organisation_names_keep_their_characters_under_s2twp(converters: dict[str, Converter]) -> None:
    twp = converters["s2twp"]
    text = "入驻新区智能装备产业园和南岭高端材料公司的智能企业"
    assert convert_text(text, twp) == "入駐新區智能裝備產業園和南嶺高端材料公司的智慧企業"
    names = [(i.source, i.origin) for i in report_items("t", convert_segments(text, twp), twp) if i.kind == "name"]
    assert names == [("新区智能装备产业园", "organisation name (…产业园): characters only"),
                     ("南岭高端材料公司", "organisation name (…公司): characters only")]
    assert convert_text("发展高端制造和智能装备", twp) == "發展高階製造和智慧裝備"  # generic words: Taiwan phrasing
    assert convert_text("大众汽车集团", twp) == "福斯汽車集團"  # a brand OpenCC knows keeps OpenCC's name


def test_organisation_names_only_matter_where_the_edition_rephrases(converters: dict[str, Converter]) -> None:
    text = "入驻新区智能装备产业园"
    for config in ("s2tw", "s2hk", "s2t"):
        result = convert_segments(text, converters[config])
        assert not [s for s in result.segments if s.kind == "name"]


def test_publication_names_win_over_recognised_names() -> None:
    phrases = load_phrases("phrases:\n  - {from: 南岭高端材料公司, keep: phrasing}\n", "p.yaml")
    twp = make_converter(EDITIONS["zh-TW"], phrases, opencc_config="s2twp")
    assert convert_text("南岭高端材料公司", twp) == "南嶺高階材料公司"


def test_builtin_dictionary_holds_no_proper_name_of_the_sample() -> None:
    """The sample's names live in its own source/phrases.yaml, never in the built-in dictionary."""
    from pipeline.editions.phrases import builtin_phrases
    from pipeline.text import parse_text

    sample = load_phrases((ROOT / "source" / "phrases.yaml").read_text(encoding="utf-8"), "source/phrases.yaml")
    page = parse_text((ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8"), "source/hongdong.txt")
    names = {e.source for e in sample.entries if e.section in ("names", "people")}
    names |= {name for article in page.articles for name in article.byline}
    assert len(names) >= 10
    builtin = builtin_phrases()
    words = {e.source for e in builtin.entries} | {w for r in builtin.rules for w in (*r.words(), *r.claims)}
    for word in words:
        assert not any(word in name or name in word for name in names if len(word) >= 3 or word == name), word


# --- the sample's reviewed text per OpenCC config (goldens) -------------------------------------

GOLDENS = Path(__file__).resolve().parent / "data" / "convert-goldens"


@pytest.mark.parametrize("config", list(CONFIGS))
def test_sample_goldens(config: str, update_golden: bool) -> None:
    """The sample page converted with source/phrases.yaml, as reviewed; any change shows up here."""
    from pipeline.text import parse_text
    from pipeline.text.format import format_page

    page = parse_text((ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8"), "source/hongdong.txt")
    phrases = load_phrases((ROOT / "source" / "phrases.yaml").read_text(encoding="utf-8"), "source/phrases.yaml")
    converter = make_converter(EDITIONS[CONFIGS[config]], phrases, opencc_config=config)
    text = format_page(convert_page(page, converter))
    path = GOLDENS / f"hongdong.{config}.txt"
    if update_golden:
        GOLDENS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_report_json_groups_with_counts() -> None:
    import json

    from pipeline.editions.convert import format_report_json

    converter = make_converter(EDITIONS["zh-TW"], opencc_config="s2twp")
    items = convert_report(_page(), converter)
    data = json.loads(format_report_json(items, converter))
    assert data["edition"] == "zh-TW" and data["opencc"] == "s2twp"
    assert set(data["groups"]) == {"rule", "entry", "name", "phrase", "choice"}
    assert data["counts"] == {kind: len(group) for kind, group in data["groups"].items()}
    assert data["counts"]["rule"] == 1 and data["groups"]["rule"][0]["source"] == "干部"
    assert data["choices"]["发"] == {"髮": 1}


def test_cli_report_json_and_plain_report() -> None:
    import io
    import json

    from pipeline.cli import main

    out, err = io.StringIO(), io.StringIO()
    sample = str(ROOT / "source" / "hongdong.txt")
    assert main(["convert", sample, "--edition", "zh-TW", "--report", "--json"], out, err) == 0
    data = json.loads(out.getvalue())
    assert data["counts"]["rule"] >= 2 and data["counts"]["choice"] > 100
    assert {item["source"] for item in data["groups"]["rule"]} >= {"刻制", "干部"}
    assert any(item["origin"].startswith("source/phrases.yaml:") or "phrases.yaml" in item["origin"]
               for item in data["groups"]["name"])
    out = io.StringIO()
    assert main(["convert", sample, "--edition", "zh-TW", "--report"], out, err) == 0
    text = out.getvalue()
    assert "## phrase rules (" in text and "## one-to-many choices (" in text
    assert text.splitlines()[-1].endswith("one-to-many choices")


def test_cli_plain_uses_the_builtin_dictionary_only(tmp_path: Path) -> None:
    import io

    from pipeline.cli import main

    page = tmp_path / "page.txt"
    page.write_text("入驻蓝天智能小镇的企业\n好干\n部\n", encoding="utf-8")
    (tmp_path / "phrases.yaml").write_text("names: [蓝天智能小镇]\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["convert", str(page), "--edition", "zh-TW", "--opencc", "s2twp", "--plain"], out, err) == 0
    assert out.getvalue() == "入駐藍天智慧小鎮的企業\n好幹\n部\n"  # phrases.yaml beside the page is not read
    out = io.StringIO()
    phrases = str(tmp_path / "phrases.yaml")
    assert main(["convert", str(page), "--edition", "zh-TW", "--opencc", "s2twp", "--plain", "--phrases", phrases],
                out, err) == 0
    assert out.getvalue() == "入駐藍天智能小鎮的企業\n好幹\n部\n"
    out = io.StringIO()
    assert main(["convert", str(page), "--edition", "zh-TW", "--plain", "--report"], out, err) == 0
    assert "line 2:1  rule    干部 → 幹⏎部  …能小鎮的企業⏎好[幹⏎部]⏎…" in out.getvalue()
    assert "rule 干→幹 (干部)" in out.getvalue()


def test_review_text_of_the_sample() -> None:
    from pipeline.editions.convert import review_text
    from pipeline.text import parse_text

    page = parse_text((ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8"), "source/hongdong.txt")
    text = review_text(page, make_converter(EDITIONS["zh-HK"]))
    assert text is not None and text.startswith("# source/hongdong.txt: zh-HK (OpenCC s2hk); check each choice")
    assert "## one-to-many choices (" in text
    assert review_text(page, make_converter(EDITIONS["zh-Hans"])) is None


def test_the_review_after_the_page_converts_no_text_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build converts the page, then writes the desk's review of it: the texts convert once."""
    from pipeline.editions.convert import review_text
    from pipeline.text import parse_text

    page = parse_text((ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8"), "source/hongdong.txt")
    converter = make_converter(EDITIONS["zh-TW"])
    converted: list[str] = []
    raw = Converter.raw

    def counted(self: Converter, role: str, text: str) -> str:
        converted.append(text)
        return raw(self, role, text)

    monkeypatch.setattr(Converter, "raw", counted)
    fresh = review_text(page, make_converter(EDITIONS["zh-TW"]))
    first = len(converted)
    convert_page(page, converter)
    converted.clear()
    assert review_text(page, converter) == fresh
    # What is left is the review's own work: each character's stock form (the one-to-many
    # choices) and the bylines' names; no title, paragraph or caption converts again.
    names = {name for article in page.articles for name in article.byline}
    again = [text for text in converted if len(text) > 1 and text not in names]
    assert first > 50 and not again, again[:3]


@pytest.mark.parametrize("config", list(CONFIGS))
def test_report_offsets_point_at_their_characters(config: str) -> None:
    """Every report item's source span is exactly its source text, and its target is what the output holds there."""
    from pipeline.editions.report import _fields
    from pipeline.text import parse_text

    page = parse_text((ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8"), "source/hongdong.txt")
    phrases = load_phrases((ROOT / "source" / "phrases.yaml").read_text(encoding="utf-8"), "source/phrases.yaml")
    converter = make_converter(EDITIONS[CONFIGS[config]], phrases, opencc_config=config)
    texts = dict(_fields(page))
    checked = 0
    for item in convert_report(page, converter):
        if item.where.endswith("byline"):
            continue
        text = texts[item.where]
        assert text[item.offset:item.end] == item.source, item
        result = convert_segments(text, converter)
        o0, o1 = result.output_span(item.offset, item.end)
        assert result.output[o0:o1] == item.target, item
        checked += 1
    assert checked > 100


def test_report_items_name_their_source_line() -> None:
    """With the source text, an item of the reflowed page points at the line its first character came from."""
    from pipeline.text import parse_text

    source = (ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8")
    page = parse_text(source, "source/hongdong.txt")
    lines = source.splitlines()
    items = [i for i in convert_report(page, make_converter(EDITIONS["zh-TW"]), source) if i.line]
    assert len(items) > 200
    for item in items:
        assert item.source[0] in lines[item.line - 1], item
    rule = next(i for i in items if i.kind == "rule" and i.source == "刻制")
    assert "刻制印章" in lines[rule.line - 1]
    assert f"(source line {rule.line})  rule    刻制 → 刻製" in format_report(items)
