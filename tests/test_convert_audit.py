"""The audit: Broadsheet's Traditional editions against stock OpenCC, difference by difference.

For every edition and OpenCC config, a large body of text (the corpus pages,
the sample, our sentences, OpenCC's own upstream test sentences, and
generated variants with whitespace, Latin, digits and punctuation inserted)
is converted with stock ``opencc.OpenCC(config)`` and with Broadsheet.  Every
character where the two differ must lie inside the span of an entry, rule or
name that the report names; whitespace and line breaks stay exactly where
they were.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import opencc
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.editions import EDITIONS
from pipeline.editions.convert import (
    Conversion,
    Converter,
    _pieces,
    convert_segments,
    make_converter,
    map_quotes,
    report_items,
)
from pipeline.editions.phrases import load_phrases

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CONFIGS = {"s2tw": "zh-TW", "s2twp": "zh-TW", "s2hk": "zh-HK", "s2t": "zh-Hant"}
EXPLAINING = ("entry", "rule", "name")
"""Report kinds that may make a difference from stock OpenCC."""


def _corpus_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(DATA.glob("*/source.txt"))]
    texts.append((ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8"))
    return texts


def _sentences() -> list[str]:
    out = [case["text"] for case in yaml.safe_load((DATA / "convert" / "sentences.yaml").read_text("utf-8"))]
    for rule in yaml.safe_load((DATA / "convert" / "rules.yaml").read_text("utf-8")):
        for group in ("positive", "negative", "known_failures"):
            out.extend(case["text"] for case in rule.get(group, []))
    upstream = yaml.safe_load((DATA / "convert" / "upstream.yaml").read_text("utf-8"))["cases"]
    out.extend(case["text"] for case in upstream)
    return out


def _generated(texts: list[str], count: int, seed: int) -> list[str]:
    """Corpus lines with random whitespace, Latin, digits and punctuation inserted (a fixed seed)."""
    rng = random.Random(seed)
    lines = [line for text in texts for line in text.splitlines() if len(line.strip()) > 6]
    inserts = [" ", "  ", "\n", "\t", "\u3000", "ab", "GDP", "5G", "2021", "3.5", "，", "、", "“", "”", "《",
               "》", "(", ")", "-", "·", "\r\n", "\n\n"]
    out = []
    for _ in range(count):
        line = rng.choice(lines)
        chars = list(line)
        for _ in range(rng.randint(1, 6)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(inserts))
        out.append("".join(chars))
    return out


@dataclass
class Audit:
    characters: int = 0
    converted: int = 0
    differences: int = 0
    explained: int = 0
    unexplained: list[str] | None = None


def _stock_pieces(text: str, engine: opencc.OpenCC, plain: bool) -> list[tuple[int, int, str]]:
    """Stock OpenCC's output for ``text`` split into exactly aligned pieces (at whitespace in plain text)."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(text):
        k = i
        space = text[i].isspace()
        while k < len(text) and (text[k].isspace() == space) and (plain or not space):
            k += 1
        if not plain:
            k = len(text)
        run = text[i:k]
        if space and plain:
            out.append((i, k, run))
        else:
            output = engine.convert(run)
            out.extend((i + s0, i + s1, output[o0:o1]) for s0, s1, o0, o1 in _pieces(run, output, engine.convert))
        i = k
    return out


def _regions(ours: Conversion, stock: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, str, str]]:
    """(source start, source end, our output, stock output) over the spans where both have a boundary."""
    a = [(s.start, s.end, s.output) for s in ours.segments]
    i = j = end_a = end_b = start = 0
    mine: list[str] = []
    theirs: list[str] = []
    while i < len(a) or j < len(stock):
        if j >= len(stock) or (i < len(a) and end_a <= end_b):
            mine.append(a[i][2])
            end_a = a[i][1]
            i += 1
        else:
            theirs.append(stock[j][2])
            end_b = stock[j][1]
            j += 1
        if end_a == end_b:
            yield start, end_a, "".join(mine), "".join(theirs)
            start = end_a
            mine, theirs = [], []


def audit_text(text: str, converter: Converter, engine: opencc.OpenCC, plain: bool, audit: Audit) -> None:
    """Add one text to the audit: count characters, differences and whether each is explained."""
    ours = convert_segments(text, converter, plain=plain)
    stock = _stock_pieces(text, engine, plain)
    # quote nesting is per whole text; map it on the whole stock output as Broadsheet does
    whole = map_quotes("".join(out for _, _, out in stock), converter.edition)
    at = 0
    stock = [(s0, s1, whole[at:(at := at + len(out))]) for s0, s1, out in stock]
    assert "".join(out for _, _, out in stock) == map_quotes(engine.convert(text), converter.edition), \
        "stock OpenCC matched a phrase across whitespace"
    spans = [(i.offset, i.end) for i in report_items("text", ours, converter) if i.kind in EXPLAINING]
    audit.characters += len(text)
    audit.converted += sum(1 for s in ours.segments for c in s.output if not c.isspace())
    for s0, s1, mine, theirs in _regions(ours, stock):
        if mine == theirs:
            continue
        if len(mine) == len(theirs) == s1 - s0:
            positions = [s0 + k for k in range(s1 - s0) if mine[k] != theirs[k]]
        else:
            positions = list(range(s0, s1))
        for position in positions:
            audit.differences += 1
            if any(a <= position < b for a, b in spans):
                audit.explained += 1
            else:
                assert audit.unexplained is not None
                audit.unexplained.append(f"{text[max(0, s0 - 6):s1 + 6]!r}: {text[s0:s1]} → ours {mine}, "
                                         f"stock {theirs}")


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[str]]:
    from pipeline.text import parse_text

    texts = _corpus_texts()
    paragraphs = [t for text in texts for t in parse_text(text, "page.txt").texts()]
    return {"pages": texts, "paragraphs": paragraphs, "sentences": _sentences(),
            "generated": _generated(texts, 2000, seed=14)}


@pytest.fixture(scope="module")
def sample_phrases():  # type: ignore[no-untyped-def]
    return load_phrases((ROOT / "source" / "phrases.yaml").read_text(encoding="utf-8"), "source/phrases.yaml")


AUDIT_FIGURES: dict[str, Audit] = {}


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("with_phrases", [False, True], ids=["builtin", "sample-phrases"])
def test_every_difference_from_stock_opencc_is_explained(config: str, with_phrases: bool,
                                                        corpus: dict[str, list[str]],
                                                        sample_phrases) -> None:  # type: ignore[no-untyped-def]
    converter = make_converter(EDITIONS[CONFIGS[config]], sample_phrases if with_phrases else None,
                               opencc_config=config)
    engine = opencc.OpenCC(config)
    audit = Audit(unexplained=[])
    for text in corpus["pages"] + corpus["generated"]:
        audit_text(text, converter, engine, True, audit)
    for text in corpus["paragraphs"] + corpus["sentences"]:  # the reflowed path: each text converts whole
        audit_text(text, converter, engine, False, audit)
    AUDIT_FIGURES[f"{config}-{'sample' if with_phrases else 'builtin'}"] = audit
    assert audit.unexplained == []
    assert audit.differences == audit.explained
    assert audit.converted > 80_000


def test_the_sample_page_paragraphs_match_stock_outside_spans(sample_phrases) -> None:  # type: ignore[no-untyped-def]
    """The reflowed sample, paragraph by paragraph, against stock OpenCC."""
    from pipeline.text import parse_text

    page = parse_text((ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8"), "source/hongdong.txt")
    for config, edition in CONFIGS.items():
        converter = make_converter(EDITIONS[edition], sample_phrases, opencc_config=config)
        engine = opencc.OpenCC(config)
        audit = Audit(unexplained=[])
        for text in page.texts():
            audit_text(text, converter, engine, False, audit)
        assert audit.unexplained == [], config
        assert audit.differences > 0  # the sample's known OpenCC errors are fixed


# --- whitespace properties --------------------------------------------------------------------

_TWP = make_converter(EDITIONS["zh-TW"], opencc_config="s2twp")
_HK = make_converter(EDITIONS["zh-HK"])
_WORDS = ["乔治·克鲁尼", "与", "弗朗西丝·麦克多曼德", "同台", "互联网", "用户", "好干部", "头发", "时刻制定",
          "新车又安静又干净", "软件", "优化", "营商环境", "“项目招商会”", "刻制", "GDP", "2021年", "，", "。"]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _unquoted(text: str) -> str:
    return "".join("Q" if c in "“”‘’「」『』" else c for c in text)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=2, max_size=8), st.data())
@example(["乔治·克鲁尼", "与", "弗朗西丝·麦克多曼德", "同台"], None)
def test_a_space_between_segments_changes_the_output_only_by_that_space(words: list[str], data) -> None:  # type: ignore[no-untyped-def]
    joined = "".join(words)
    at = 1 if data is None else data.draw(st.integers(1, len(words) - 1))
    spaced = "".join(words[:at]) + " " + "".join(words[at:])
    for converter in (_TWP, _HK):
        before = convert_segments("".join(words[:at]), converter, plain=True).output
        after = convert_segments("".join(words[at:]), converter, plain=True).output
        out = convert_segments(spaced, converter, plain=True).output
        assert out == before + " " + after
        assert out.replace(" ", "", 1) == before + after
        stock = map_quotes(opencc.OpenCC(converter.config or "s2t").convert(spaced), converter.edition)
        assert out.index(" ") == len(before) and stock.index(" ") == len(map_quotes(
            opencc.OpenCC(converter.config or "s2t").convert("".join(words[:at])), converter.edition))
    assert joined  # the words are never empty


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="干部好燥头发放松后里台余制刻时定网络用户优化互联项目智能“”‘’ \n\u3000\r\tabc1，。、",
               max_size=60))
@example("加强网络\n用户数量")
@example("乔治·克鲁尼\n与弗朗西丝")
def test_no_character_crosses_a_line(text: str) -> None:
    for converter in (_TWP, _HK):
        out = convert_segments(text, converter, plain=True).output
        assert out.count("\n") == text.count("\n")
        for line, converted in zip(_lines(text), _lines(out), strict=True):
            alone = convert_segments(line, converter, plain=True).output
            assert _unquoted(converted) == _unquoted(alone)  # quote nesting may span lines
        assert [c for c in out if c.isspace()] == [c for c in text if c.isspace()]


def test_issue_examples_in_plain_text() -> None:
    from pipeline.editions.convert import convert_plain

    assert convert_plain("乔治·克鲁尼 与 弗朗西丝·麦克多曼德 同台", _TWP) == "喬治·克隆尼 與 法蘭西絲·麥朵曼 同臺"
    assert convert_plain("时刻制定应急计划", _TWP) == "時刻制定應急計劃"
    assert convert_plain("乡里来了个好干事", _TWP) == "鄉里來了個好幹事"
    assert convert_plain("新车又安静又干净，路面很干净", _HK) == "新車又安靜又乾淨，路面很乾淨"


UPSTREAM = yaml.safe_load((DATA / "convert" / "upstream.yaml").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("config", list(CONFIGS))
def test_opencc_upstream_right_answers_are_kept(config: str) -> None:
    """OpenCC's own test cases: wherever stock OpenCC gives the upstream answer, so does Broadsheet."""
    converter = make_converter(EDITIONS[CONFIGS[config]], opencc_config=config)
    engine = opencc.OpenCC(config)
    checked = 0
    for case in UPSTREAM:
        if config not in case or engine.convert(case["text"]) != case[config]:
            continue
        checked += 1
        expected = map_quotes(case[config], converter.edition)
        assert convert_segments(case["text"], converter).output == expected
        assert convert_segments(case["text"], converter, plain=True).output == expected
    assert checked >= 5


def test_the_simplified_edition_changes_nothing(corpus: dict[str, list[str]]) -> None:
    """zh-Hans has no conversion: every text, plain or reflowed, comes out exactly as it went in."""
    from pipeline.editions.convert import convert_page, convert_plain
    from pipeline.text import parse_text

    converter = make_converter(EDITIONS["zh-Hans"])
    for text in corpus["pages"] + corpus["generated"]:
        assert convert_plain(text, converter) == text
        page = parse_text(text, "page.txt")
        assert convert_page(page, converter) == page
