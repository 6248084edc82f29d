"""Tests for pipeline.project.sidecar: loading an editor's fixes, and applying them to the sample page."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import ConfigError, ConfigErrors
from pipeline.project.sidecar import LeadFix, LineFix, TitleFix, load_sidecar
from pipeline.text import parse_text

SAMPLE = (Path(__file__).parent / "data" / "hongdong" / "source.txt").read_text(encoding="utf-8")

FULL = """\
articles:
  - line: 246
    headline: 守住底线
split: [42]
merge: [55]
leads:
  120: 乘势而上再出发，勇立潮头蹚新路。
  136: false
captions:
  395: images/li.jpg
"""


def parse_with(sidecar_text: str):
    return parse_text(SAMPLE, "hongdong.txt", load_sidecar(sidecar_text, "hongdong.yaml"))


def error_of(sidecar_text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_with(sidecar_text)
    return str(caught.value)


def test_load_full_sidecar_remembers_lines() -> None:
    car = load_sidecar(FULL, "hongdong.yaml")
    assert car.titles == (TitleFix(246, 2, None, "守住底线", None),)
    assert car.splits == (LineFix(42, 4),) and car.merges == (LineFix(55, 5),)
    assert car.leads == (LeadFix(120, 7, "乘势而上再出发，勇立潮头蹚新路。"), LeadFix(136, 8, False))
    assert [(i.line, i.where, i.image) for i in car.images] == [(395, 10, "images/li.jpg")]


def test_empty_sidecar_changes_nothing() -> None:
    assert parse_with("") == parse_text(SAMPLE, "hongdong.txt")


def test_sidecar_fixes_are_applied() -> None:
    page = parse_with(FULL)
    first = page.articles[0]
    starts = [p.lines[0] for p in first.paragraphs]
    assert starts == [1, 10, 42, 83, 106, 120]  # split at 42, 55 merged into the paragraph before
    assert first.paragraphs[-1].lead == "乘势而上再出发，勇立潮头蹚新路。"
    assert page.articles[1].paragraphs[1].lead is None
    assert page.articles[4].headline == "守住底线" and page.articles[4].kicker is None
    assert page.captions[0].image == "images/li.jpg"


def test_editor_title_taken_from_the_page_is_not_attached_twice() -> None:
    page = parse_with("articles:\n  - line: 203\n    headline: 乘势而上全面建设华夏根祖圣地幸福老家洪洞\n")
    headlines = [a.headline for a in page.articles]
    assert headlines.count("乘势而上全面建设华夏根祖圣地幸福老家洪洞") == 1
    assert page.articles[3].headline == "乘势而上全面建设华夏根祖圣地幸福老家洪洞"


def test_lead_true_takes_the_first_sentence() -> None:
    page = parse_with("leads:\n  120: true\n")
    assert page.articles[0].paragraphs[-1].lead == "乘势而上再出发，勇立潮头蹚新路。"


def test_unknown_keys_are_errors_with_a_suggestion() -> None:
    with pytest.raises(ConfigError) as caught:
        load_sidecar("splt: [42]\n", "p.yaml")
    assert str(caught.value) == "p.yaml:1: splt: unknown key (did you mean 'split'?)"


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ConfigErrors) as caught:
        load_sidecar("split: [x]\nleads:\n  12: 7\ncaptions: nope\n", "p.yaml")
    assert str(caught.value).splitlines() == [
        "p.yaml:1: split.0: expected a source line (a positive integer), got 'x'",
        "p.yaml:3: leads.12: expected the lead-in text, true or false, got 7",
        "p.yaml:4: captions: expected a mapping of source line to image file",
    ]


def test_title_entry_needs_a_line_and_a_title() -> None:
    with pytest.raises(ConfigErrors) as caught:
        load_sidecar("articles:\n  - headline: 标题\n  - line: 5\n", "p.yaml")
    assert str(caught.value).splitlines() == [
        "p.yaml:2: articles.0.line: expected the source line (a positive integer) of the article's body",
        "p.yaml:3: articles.1: give at least one of kicker, headline, subheadline",
    ]


def test_stale_references_name_the_sidecar_line() -> None:
    assert error_of("split: [10]\n") == (
        "hongdong.yaml:1: split: line 10 is not inside a paragraph "
        "(name a line inside a paragraph, as `broadsheet parse --json` shows)")
    assert error_of("merge: [11]\n").startswith(
        "hongdong.yaml:1: merge: no paragraph after the first starts at line 11")
    assert error_of("leads:\n  121: true\n").startswith("hongdong.yaml:2: leads: no paragraph starts at line 121")
    assert error_of("leads:\n  120: 勇立潮头\n").startswith(
        "hongdong.yaml:2: leads: '勇立潮头' does not begin the paragraph at line 120")
    assert error_of("captions:\n  394: a.jpg\n").startswith("hongdong.yaml:2: captions: no caption starts at line 394")
    assert error_of("articles:\n  - line: 9999\n    headline: 标题\n").startswith(
        "hongdong.yaml:2: articles: line 9999 is not in the body of an article")


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(ConfigError) as caught:
        load_sidecar("leads:\n  120: [\n", "p.yaml")
    assert str(caught.value).startswith("p.yaml:3: invalid YAML")


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 500), st.floats(), st.text(max_size=6),
                     st.sampled_from(["/etc/passwd", "../x.jpg", "images/a.jpg", "a\nb", "标题"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.one_of(st.sampled_from(["line", "headline", "kicker", "x"]), st.integers(-1, 400)), inner, max_size=3),
    max_leaves=6)


@given(st.dictionaries(st.sampled_from(["articles", "split", "merge", "leads", "captions", "splt"]), _VALUES,
                       max_size=4))
def test_any_sidecar_is_read_or_refused_in_lines_never_crashes(data: dict[str, object]) -> None:
    try:
        load_sidecar(yaml.safe_dump(data, allow_unicode=True), "p.yaml")
    except ConfigError as exc:
        assert all(line.startswith("p.yaml:") for line in str(exc).splitlines())
