"""Tests for pipeline.text.words: jieba builds its dictionary from the package and writes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from pipeline.text import words


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
