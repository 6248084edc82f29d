"""Find the word boundaries of a Chinese text with jieba, so titles break between words.

jieba ships its dictionary, so segmenting needs no network, and nothing is written for it: jieba
would keep its prefix dictionary in the system's temporary folder (``/tmp/jieba.cache``, read
back with ``marshal`` from a folder anyone may write, and outside the project).  Its own prefix
dictionary is a dict of every word and every prefix of a word (some 580,000 keys), and building
it costs about half a second of CPU in every process that segments.  Here the tokenizer asks
:class:`_Prefixes` instead: the packaged ``dict.txt``'s lines, sorted once (the file is nearly
sorted already), answer "is this a prefix of a word" and "how frequent is this word" by
bisection, and remember each answer.  It gives jieba's answers for every string its cutting asks
about, so the words are the same (a test compares the two on the corpus and random text).
Runs of characters the dictionary does not join (根祖) are joined by jieba's hidden Markov
model, whose probabilities ship with it too: the same text always gives the same boundaries.
"""

from __future__ import annotations

import logging
import re
import sys
import zlib
from bisect import bisect_left
from functools import lru_cache
from typing import Any

from .chars import is_han

__all__ = ["crosses_word", "dictionary_words", "segment_words", "word_boundaries"]

_FREQUENCY = re.compile(rb"^[^ \n]* ([^ \n]*)", re.MULTILINE)
"""A dictionary line's second field, its frequency (jieba reads ``line.split(' ')[:2]``)."""


KNOWN_TOTALS = {(5071852, 328468845): 60101967}
"""jieba's ``total`` for the dictionary files we know, by their (length, CRC-32): the ``dict.txt``
of jieba 0.42.1.  Summing its frequencies costs some 60 ms of CPU in every process that
segments; the CRC, 1 ms.  Any other file is summed (``test_words`` checks the entry)."""


def dictionary_total(data: bytes) -> int:
    """jieba's ``total`` for a dictionary file's bytes: known by its checksum, or summed."""
    known = KNOWN_TOTALS.get((len(data), zlib.crc32(data)))
    return known if known is not None else _total(data)


def _total(data: bytes) -> int:
    """The sum of the dictionary's frequencies, every line counted (jieba's ``total``).

    Each line of jieba's dictionary is ``word frequency tag``: two spaces, so splitting the
    whole file at spaces puts the frequencies at the odd places (twice as fast as a regular
    expression over the lines).  A file whose lines do not all hold two spaces is read by
    the regular expression.

    >>> _total(b"a 3 n\\nb 4 v\\n"), _total(b"a 3\\nb 4 v\\n")
    (7, 7)
    """
    pieces = data.split(b" ")
    if len(pieces) == 2 * data.count(b"\n") + 1:
        try:
            return sum(map(int, pieces[1::2]))
        except ValueError:
            pass
    return sum(map(int, _FREQUENCY.findall(data)))

_KNOWN_LIMIT = 1 << 18
"""Answers :class:`_Prefixes` remembers before it starts afresh (a long ``serve`` session)."""


class _Prefixes:
    """jieba's prefix dictionary (``Tokenizer.FREQ``), answered from the sorted dictionary lines.

    jieba's ``gen_pfdict`` maps each word to its frequency (the last line of a word given
    twice wins) and each prefix of a word that is not itself a word to 0.  ``in``, ``[]`` and
    ``get`` answer the same for any string: ``frag`` is a prefix of a word exactly when the
    first line not below it starts with it (words hold no space, so a line starting with
    ``frag`` starts with a word starting with it), and a word when a line starts with it and a
    space.

    >>> prefixes = _Prefixes("一 5 m\\n一二 3 m\\n")
    >>> "一" in prefixes, prefixes["一二"], prefixes.get("二"), "一 5" in prefixes
    (True, 3, None, False)
    """

    __slots__ = ("_known", "_lines", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        lines = text.split("\n")
        lines.sort()
        self._lines = lines
        self._known: dict[str, int | None] = {}

    def _find(self, frag: str) -> int | None:
        """The word's frequency, 0 for a prefix that is not a word, None for neither."""
        try:
            return self._known[frag]
        except KeyError:
            pass
        found = None
        lines = self._lines
        if frag and " " not in frag and "\n" not in frag:
            at = bisect_left(lines, frag)
            if at < len(lines) and lines[at].startswith(frag):
                found = 0
                word = frag + " "
                at = bisect_left(lines, word, at)
                if at < len(lines) and lines[at].startswith(word):
                    line = lines[at]
                    if at + 1 < len(lines) and lines[at + 1].startswith(word):
                        line = self._last_line(word)
                    found = int(line.split(" ")[1])
        if len(self._known) >= _KNOWN_LIMIT:
            self._known.clear()
        self._known[frag] = found
        return found

    def _last_line(self, word: str) -> str:
        """The last line of the file giving ``word`` (followed by its space), as jieba keeps it."""
        text = self._text
        start = text.rfind("\n" + word) + 1  # given twice, so the last is not the file's first line
        end = text.find("\n", start)
        return text[start:end if end >= 0 else len(text)]

    def __contains__(self, frag: object) -> bool:
        return isinstance(frag, str) and self._find(frag) is not None

    def __getitem__(self, frag: str) -> int:
        found = self._find(frag)
        if found is None:
            raise KeyError(frag)
        return found

    def get(self, frag: str, default: int | None = None) -> int | None:
        found = self._find(frag)
        return default if found is None else found


def _import_jieba() -> Any:
    """``import jieba``, without the ``pkg_resources`` its ``_compat`` reaches for.

    jieba uses ``pkg_resources`` only to open its packaged files, and falls back on a plain
    ``open`` beside its module when the import fails; ``pkg_resources`` itself costs some
    50 ms of CPU to import, in every process that segments.  So while jieba is imported the
    name is blocked (``None`` in ``sys.modules`` makes the import fail), unless something
    imported it already, and it is released again afterwards.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba
        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # Not ``initialize()``: it reads and writes the cache in the system's temporary folder.
    with tokenizer.get_dict_file() as handle:
        data = handle.read()
    tokenizer.FREQ = _Prefixes(data.decode("utf-8"))
    tokenizer.total = dictionary_total(data)
    tokenizer.initialized = True
    return tokenizer


@lru_cache(maxsize=4096)
def segment_words(text: str) -> tuple[str, ...]:
    """Cut ``text`` into words (jieba's dictionary and HMM); the words join back to ``text``.

    >>> segment_words("华夏根祖圣地幸福")
    ('华夏', '根祖', '圣地', '幸福')
    """
    if not text:
        return ()
    return tuple(_tokenizer().cut(text, HMM=True))


def word_boundaries(text: str) -> frozenset[int]:
    """Offsets in ``text`` (0 < offset < len) where one word ends and the next begins.

    >>> sorted(word_boundaries("华夏根祖圣地"))
    [2, 4]
    """
    offsets = set()
    position = 0
    for word in segment_words(text)[:-1]:
        position += len(word)
        offsets.add(position)
    return frozenset(offsets)


@lru_cache(maxsize=4096)
def dictionary_words(text: str) -> tuple[str, ...]:
    """Cut ``text`` into the words of jieba's dictionary only (no guessing of unknown runs).

    >>> dictionary_words("整改通知书")
    ('整改', '通知书')
    """
    if not text:
        return ()
    return tuple(_tokenizer().cut(text, HMM=False))


def crosses_word(left: str, right: str, shortest: int = 2) -> bool:
    """Whether a word of jieba's dictionary runs across the break between ``left`` and ``right`` (a
    few characters each, without spaces; ``整改通`` / ``知书``).  Only the dictionary's words count:
    jieba's guesses at unknown runs do not (``收好`` / ``作`` is no word).  ``shortest`` is the
    shortest word that counts (a two-character word across a break is often chance: ``冷链物`` /
    ``主播`` reads ``物主``).

    >>> crosses_word("整改通", "知书"), crosses_word("请收好", "作"), crosses_word("消防", "，")
    (True, False, False)
    """
    if not left or not right or not is_han(left[-1]) or not is_han(right[0]):
        return False
    position = 0
    for word in dictionary_words(left + right):
        if position < len(left) < position + len(word) and len(word) >= shortest:
            return True
        position += len(word)
    return False
