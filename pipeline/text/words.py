"""Find the word boundaries of a Chinese text with jieba, so titles break between words.

jieba ships its dictionary, so segmenting needs no network; its tokenizer is built once per
process (from the packaged dictionary) and kept.  jieba would keep its prefix dictionary in
the system's temporary folder (``/tmp/jieba.cache``, read back with ``marshal`` from a folder
anyone may write, and outside the project); it is built from the packaged dictionary instead,
which costs what reading that cache did (0.62 against 0.64 s CPU, measured).  Runs of characters the dictionary does not
join (根祖) are joined by jieba's hidden Markov model, whose probabilities ship with it too:
the same text always gives the same boundaries.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

__all__ = ["dictionary_words", "segment_words", "word_boundaries"]


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # Not ``initialize()``: it reads and writes the cache in the system's temporary folder.
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
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
