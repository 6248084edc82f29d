"""Tests for pipeline.text.words: jieba cuts from the packaged dictionary as stock jieba does, and writes nothing."""

from __future__ import annotations

import io
import tempfile
import zlib
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.text import words

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "data" / "corpus" / "clean").glob("*.txt")) + [ROOT / "source" / "hongdong.txt"]


@pytest.fixture(scope="module")
def stock() -> object:
    """Stock jieba's tokenizer, its prefix dictionary built by its own ``gen_pfdict`` (once for the module)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    tokenizer.initialized = True
    return tokenizer


def test_segmenting_writes_nothing_to_the_system_temporary_folder(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # jieba's own initialize() keeps /tmp/jieba.cache (outside the project, read back with marshal).
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    words._tokenizer.cache_clear()
    words.segment_words.cache_clear()
    try:
        assert "".join(words.segment_words("华夏根祖圣地幸福老家洪洞")) == "华夏根祖圣地幸福老家洪洞"
        assert len(words.segment_words("华夏根祖圣地幸福老家洪洞")) > 1
        assert list(tmp_path.iterdir()) == []
    finally:
        words._tokenizer.cache_clear()
        words.segment_words.cache_clear()


def test_the_prefix_dictionary_answers_every_key_as_jieba_builds_it(stock: object) -> None:
    ours = words._tokenizer()
    freq = stock.FREQ  # type: ignore[attr-defined]
    assert ours.total == stock.total  # type: ignore[attr-defined]
    wrong = [key for key, value in freq.items() if ours.FREQ.get(key) != value or key not in ours.FREQ]
    assert wrong == []
    # One character past a key: jieba's cutting asks this where a word cannot go on.
    past = [key + tail for key in list(freq)[::50] for tail in ("的", "x", "。")]
    assert [key for key in past if (key in ours.FREQ) != (key in freq) or ours.FREQ.get(key) != freq.get(key)] == []


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_words_are_stock_jiebas_on_the_corpus(path: Path, stock: object) -> None:
    texts = _lines(path)
    texts.append("".join(texts))  # the whole page as one text too: long runs, every block
    for text in texts:
        assert words.segment_words(text) == tuple(stock.cut(text, HMM=True)), text  # type: ignore[attr-defined]
        assert words.dictionary_words(text) == tuple(stock.cut(text, HMM=False)), text  # type: ignore[attr-defined]


COMMON = "".join(char for char, _ in Counter(
    char for path in CORPUS for char in path.read_text(encoding="utf-8") if "\u4e00" <= char <= "\u9fff"
).most_common(400))
"""The commonest Han characters of the corpus: random strings of them hold words and unknown runs."""


@given(st.text(alphabet=st.sampled_from(COMMON + "0123456789abcXY，。、“”（）·- "), min_size=1, max_size=40))
@example("B超检查")  # a word jieba's dictionary gives twice
@example("AT&T公司的c++与C#")
@example("华夏根祖圣地幸福老家洪洞")
def test_words_are_stock_jiebas_on_random_text(stock: object, text: str) -> None:
    assert words.segment_words(text) == tuple(stock.cut(text, HMM=True))  # type: ignore[attr-defined]
    assert words.dictionary_words(text) == tuple(stock.cut(text, HMM=False))  # type: ignore[attr-defined]


@given(st.lists(st.tuples(st.text(alphabet="一二三ab", min_size=1, max_size=4), st.integers(0, 9999),
                          st.sampled_from(["n", "v", "nz"])), min_size=1, max_size=30),
       st.lists(st.text(alphabet="一二三abc 5", min_size=1, max_size=5), max_size=20))
# A word given twice: the last line wins.
@example([("一二", 5, "n"), ("一", 3, "m"), ("一二", 7, "n")], ["一二", "一", "一二三"])
# A tab sorts below the space after 一: that line comes first of those starting with 一.
@example([("一\t二", 3, "n"), ("一", 5, "m")], ["一"])
def test_prefixes_answer_as_gen_pfdict_on_any_dictionary(entries: list[tuple[str, int, str]],
                                                         probes: list[str]) -> None:
    import jieba

    data = "".join(f"{word} {freq} {tag}\n" for word, freq, tag in entries).encode("utf-8")
    freq, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(data))
    ours = words._Prefixes(data.decode("utf-8"))
    assert words._total(data) == total
    for key in [*freq, *probes]:
        assert (key in ours, ours.get(key)) == (key in freq, freq.get(key)), key
        if key in freq:
            assert ours[key] == freq[key]
        else:
            with pytest.raises(KeyError):
                ours[key]


def test_a_known_dictionarys_total_is_its_sum_and_any_other_is_summed() -> None:
    """The checksum-keyed total is jieba's own for the installed ``dict.txt``; a file it does not
    know (one byte changed) is summed."""
    import jieba

    with jieba.Tokenizer().get_dict_file() as handle:
        data = handle.read()
    _, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(data))
    assert words.dictionary_total(data) == total
    assert (len(data), zlib.crc32(data)) in words.KNOWN_TOTALS  # the pinned jieba's file: no summing
    changed = data.replace(b" 3 ", b" 4 ", 1)
    _, changed_total = jieba.Tokenizer.gen_pfdict(io.BytesIO(changed))
    assert words.dictionary_total(changed) == changed_total == total + 1
