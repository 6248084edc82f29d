"""Tests for pipeline.text.words: jieba's dictionary is kept only where the build says, never in /tmp."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from pipeline.text import words


@pytest.fixture
def fresh_tokenizer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A tokenizer built anew, with the system's temporary folder moved to where the test can see it."""
    system = tmp_path / "system-tmp"
    system.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    monkeypatch.setattr(words, "_cache_dir", [])
    words._tokenizer.cache_clear()
    words.segment_words.cache_clear()
    yield system
    words._tokenizer.cache_clear()
    words.segment_words.cache_clear()


def test_without_a_cache_folder_nothing_is_written_to_the_system_temporary_folder(fresh_tokenizer: Path) -> None:
    assert words.segment_words("华夏根祖圣地") and "".join(words.segment_words("幸福老家洪洞")) == "幸福老家洪洞"
    assert list(fresh_tokenizer.iterdir()) == []


def test_the_builds_cache_folder_holds_the_dictionary_and_is_read_back(fresh_tokenizer: Path, tmp_path: Path) -> None:
    folder = tmp_path / "output" / ".cache" / "jieba"
    words.use_cache(folder)
    first = words.segment_words("华夏根祖圣地幸福老家")
    assert [path.name for path in folder.iterdir()] == ["jieba.cache"] and list(fresh_tokenizer.iterdir()) == []
    words._tokenizer.cache_clear()
    words.segment_words.cache_clear()
    assert words.segment_words("华夏根祖圣地幸福老家") == first  # from the kept dictionary
