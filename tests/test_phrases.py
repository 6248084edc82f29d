"""Tests for pipeline.editions.phrases: loading, validation with file:line: key, merging, the built-in dictionary."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.editions.phrases import Entry, Phrases, builtin_phrases, load_phrases
from pipeline.errors import ConfigErrors

ROOT = Path(__file__).resolve().parent.parent


def _errors(text: str) -> list[str]:
    with pytest.raises(ConfigErrors) as info:
        load_phrases(text, "p.yaml")
    return str(info.value).splitlines()


def test_full_entry() -> None:
    text = (
        "phrases:\n"
        "  - from: 编制\n"
        "    to: 編製\n"
        "    followed_by: [规划, 预算]\n"
        "    not_preceded_by: 人员\n"
        "    window: 6\n"
        "    note: draw up\n"
        "  - {from: 优化, keep: characters}\n"
        "names: [蓝天科技园]\n"
        "people: [陈晓峰]\n"
        "characters: {s2t.json: {覈: 核}}\n"
        "ambiguous: {干: 干乾幹}\n"
    )
    phrases = load_phrases(text, "p.yaml")
    first, second, name, person = phrases.entries
    assert first == Entry("编制", "fixed", "編製", (), (), ("人员",), ("规划", "预算"), (), 6, "p.yaml:2",
                          "draw up")
    assert (second.mode, second.origin) == ("characters", "p.yaml:8")
    assert (name.source, name.mode, name.origin) == ("蓝天科技园", "characters", "p.yaml:9")
    assert (person.source, person.mode) == ("陈晓峰", "person")
    assert phrases.characters == (("s2t", "覈", "核"),)
    assert phrases.ambiguous == (("干", "干乾幹"),)
    assert phrases.warnings == ()


def test_per_edition_targets() -> None:
    entry = load_phrases("phrases:\n  - from: 台\n    to: {default: 臺, zh-HK: 台}\n", "p.yaml").entries[0]
    assert entry.target_for("zh-HK", "s2hk") == "台"
    assert entry.target_for("zh-TW", "s2tw") == "臺"


def test_context_conditions() -> None:
    entry = Entry("编制", "fixed", "編製", followed_by=("规划",), window=3)
    assert entry.applies_at("编制旅游规划", 0)
    assert entry.applies_at("编制旅游总规划", 0)  # three characters in between
    assert not entry.applies_at("编制旅游总体规划", 0)  # four
    assert not entry.applies_at("编制，规划", 0)  # never across punctuation
    assert not Entry("干部", "fixed", "幹部", preceded_by=("好",)).applies_at("老干部", 1)


def test_empty_file_is_empty_phrases() -> None:
    assert load_phrases("", "p.yaml") == Phrases()
    assert load_phrases("# nothing yet\n", "p.yaml") == Phrases()


def test_every_problem_is_reported_at_once_with_line_and_key() -> None:
    text = (
        "phrases:\n"
        "  - {from: 优化, keep: charcters}\n"
        "  - {to: 幹部}\n"
        "  - {from: 干部, to: 幹部, keep: characters}\n"
        "  - {from: 干 部, to: 幹部}\n"
        "  - {from: 编制, to: 編製, window: 3}\n"
        "  - 刻制\n"
        "names: 蓝天\n"
        "characters: {s2t: {覈: 核心}}\n"
        "ambiguous: {干: 乾}\n"
    )
    assert _errors(text) == [
        "p.yaml:2: phrases.0.keep: expected one of characters, phrasing, got 'charcters' "
        "(did you mean 'characters'?)",
        "p.yaml:3: phrases.1: an entry needs 'from'",
        "p.yaml:4: phrases.2: an entry needs exactly one of 'to' and 'keep' "
        "('to' writes a fixed form; 'keep: characters' or 'keep: phrasing' leaves it to OpenCC)",
        "p.yaml:5: phrases.3.from: '干 部' contains whitespace (phrases match text without spaces or line breaks)",
        "p.yaml:6: phrases.4.window: 'window' needs 'followed_by' or 'not_followed_by'",
        "p.yaml:7: phrases.5: expected a mapping with 'from' and 'to' or 'keep', got '刻制'",
        "p.yaml:8: names: expected a list of names, got '蓝天'",
        "p.yaml:9: characters.s2t.覈: expected one character to one character, got '核心'",
        "p.yaml:10: ambiguous.干: expected one character and at least two candidates, got '乾'",
    ]


def test_duplicate_entry_names_the_first() -> None:
    text = "phrases:\n  - {from: 刻制, to: 刻製}\n  - {from: 刻制, to: 刻製}\n"
    assert _errors(text) == ["p.yaml:3: phrases.1: '刻制' is already listed (line 2) (remove one of the two entries)"]


def test_same_source_with_other_context_is_allowed() -> None:
    text = "phrases:\n  - {from: 编制, to: 編製, preceded_by: 负责}\n  - {from: 编制, to: 編製, preceded_by: 完成}\n"
    assert len(load_phrases(text, "p.yaml").entries) == 2


def test_unknown_keys_warn_with_a_suggestion() -> None:
    phrases = load_phrases("phrase:\n  - {from: 刻制, to: 刻製}\nphrases:\n  - {from: 刻制, too: 刻製, to: 刻製}\n",
                           "p.yaml")
    assert phrases.warnings == (
        "p.yaml:1: phrase: unknown key (did you mean 'phrases'?)",
        "p.yaml:4: phrases.0.too: unknown key (did you mean 'to'?)",
    )


def test_top_level_must_be_a_mapping() -> None:
    assert _errors("- 刻制\n") == [
        "p.yaml:1: expected a mapping with phrases, names, people, characters, ambiguous, surnames, rules, "
        "got a list"]


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(Exception) as info:
        load_phrases("phrases:\n  - {from: 刻制\n", "p.yaml")
    assert str(info.value).startswith("p.yaml:3: invalid YAML")


def test_merge_lets_the_publication_win() -> None:
    builtin = builtin_phrases()
    mine = load_phrases("phrases:\n  - {from: 程序, keep: phrasing}\ncharacters: {s2t: {覈: 覈}}\n", "p.yaml")
    merged = builtin.merged(mine)
    modes = [e.mode for e in merged.entries if e.source == "程序"]
    assert modes == ["phrasing"]
    assert ("s2t", "覈", "覈") in merged.characters and ("s2t", "覈", "核") not in merged.characters
    assert len(merged.entries) == len(builtin.entries)


def test_builtin_dictionary_is_clean() -> None:
    builtin = builtin_phrases()
    assert builtin.warnings == ()
    assert builtin is builtin_phrases()
    sources = {e.source for e in builtin.entries}
    assert {"编制", "优化", "创建", "程序", "计算机程序", "支持", "发布"} <= sources
    rules = {rule.char: rule for rule in builtin.rules}
    assert set(rules) >= {"干", "制"}
    assert "干部" in dict(rules["干"].forms)["幹"] and "刻制" in dict(rules["制"].forms)["製"]
    assert all(r.origin.startswith("pipeline/editions/data/opencc_fixes.yaml:") for r in builtin.rules)
    assert all(e.origin.startswith("pipeline/editions/data/opencc_fixes.yaml:") for e in builtin.entries)
    table = dict(builtin.ambiguous)
    for char, forms in {"干": "乾幹", "后": "後", "里": "裡", "发": "發髮", "制": "製", "台": "臺", "余": "餘"}.items():
        assert set(forms) <= set(table[char])


def test_sample_publication_phrases_load() -> None:
    phrases = load_phrases((ROOT / "source" / "phrases.yaml").read_text(encoding="utf-8"), "source/phrases.yaml")
    assert phrases.warnings == ()
    assert "华翔智能制造产业园" in {e.source for e in phrases.entries if e.mode == "characters"}


def test_surnames_section() -> None:
    phrases = load_phrases("surnames: {余: 余}\n", "p.yaml")
    assert phrases.surnames == (("余", "余"),)
    assert _errors("surnames: {余: 余华}\n") == ["p.yaml:1: surnames.余: expected one character to one character, "
                                                "got '余华'"]
    assert dict(builtin_phrases().surnames)["范"] == "范"
