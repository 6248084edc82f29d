"""Tests for pipeline.model: the counted characters of a text and of a page (the no-text-lost invariant)."""

from __future__ import annotations

import unicodedata
from collections import Counter

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.model import Article, Caption, Page, Paragraph, counted_chars, is_counted, page_chars

# Characters NFKC composes, decomposes, reorders or widens: combining marks (of several classes),
# Hangul jamo, compatibility forms, a line end, besides Han, Latin and punctuation.
_FOLDED = st.text(st.sampled_from("洪洞，。５ﬁ㈠ÅeE\u0301\u0327\u0345\u0323\u1100\u1161\u11a8가\u3099か\n 　a1"),
                  max_size=12)
TEXTS = st.lists(st.one_of(_FOLDED, st.text(max_size=8)), max_size=6)


def counted_one_by_one(text: str) -> Counter[str]:
    """The definition: every character of the folded text that counts, in order."""
    return Counter(char for char in unicodedata.normalize("NFKC", text) if is_counted(char))


@given(st.one_of(_FOLDED, st.text()))
@example("洪洞，洪５")
def test_counted_chars_are_the_folded_texts_counted_characters_in_order(text: str) -> None:
    counts = counted_chars(text)
    assert counts == counted_one_by_one(text)
    assert list(counts) == list(counted_one_by_one(text))  # the first-seen order, too


@given(TEXTS)
@example(["e", "\u0301"])  # a combining mark opening a text does not join the text before it
@example(["\u1100", "\u1161"])  # nor does a vowel jamo
def test_a_pages_counted_chars_are_the_sum_of_its_texts(texts: list[str]) -> None:
    page = Page("p.txt", (Article(tuple(Paragraph(text) for text in texts)),), (Caption("图\u0301"),))
    total: Counter[str] = Counter()
    for text in page.texts():
        total.update(counted_one_by_one(text))
    assert page_chars(page) == total and list(page_chars(page)) == list(total)
