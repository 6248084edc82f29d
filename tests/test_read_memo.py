"""``read_page`` parses a page once per process for all its editions, and again whenever what it reads changes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from pipeline.project import build as build_module
from pipeline.project.build import read_page
from pipeline.project.config import load_config

PAGE = "县里召开会议\n\n会议指出，要抓好秋粮收购工作，确保\n农民增收。会议要求各乡镇认真落实。\n（张三 李四）\n"


def _publication(root: Path, sidecar: str | None = None) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "source" / "a.txt").write_text(PAGE, encoding="utf-8")
    if sidecar is not None:
        (root / "source" / "a.yaml").write_text(sidecar, encoding="utf-8")
    config = root / "broadsheet.yaml"
    config.write_text("publication: {name: 测试县报, date: 2022-03-04}\n"
                      "paper: {size: A4, columns: 3, body_size: 10pt, pages: 1}\n"
                      "editions: [zh-Hans, zh-TW]\npages:\n  - source: source/a.txt\n", encoding="utf-8")
    return config


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each text the text stages are run on, in order (the memo starts empty)."""
    import pipeline.text

    seen: list[str] = []
    real = pipeline.text.parse_text

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(pipeline.text, "parse_text", counting)
    monkeypatch.setattr(build_module, "_READ_PAGES", {}, raising=False)
    return seen


def test_editions_of_one_page_share_one_parse(tmp_path: Path, parses: list[str]) -> None:
    config = load_config(_publication(tmp_path))
    first = read_page(config, 0)
    assert read_page(config, 0) is first
    assert read_load_again(tmp_path, 0) == first  # a fresh Config of the same files: the same key
    assert len(parses) == 1


def read_load_again(root: Path, index: int) -> Any:
    return read_page(load_config(root / "broadsheet.yaml"), index)


def test_a_changed_source_or_sidecar_is_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    config = load_config(_publication(tmp_path, sidecar="leads:\n  3: false\n"))
    first = read_page(config, 0)
    source = tmp_path / "source" / "a.txt"
    source.write_text(PAGE.replace("秋粮", "夏粮"), encoding="utf-8")
    second = read_page(config, 0)
    assert "夏粮" in str(second.to_dict()) and "夏粮" not in str(first.to_dict())
    (tmp_path / "source" / "a.yaml").write_text("leads:\n  3: true\n", encoding="utf-8")
    read_page(config, 0)
    assert len(parses) == 3
    source.write_text(PAGE, encoding="utf-8")
    (tmp_path / "source" / "a.yaml").write_text("leads:\n  3: false\n", encoding="utf-8")
    assert read_page(config, 0) is first  # back to the first bytes: remembered
    assert len(parses) == 3


def test_the_size_limit_and_encoding_are_part_of_the_key(tmp_path: Path, parses: list[str]) -> None:
    from pipeline.errors import SourceError

    config = load_config(_publication(tmp_path))
    read_page(config, 0)
    with pytest.raises(SourceError):
        read_page(dataclasses.replace(config, max_source_bytes=10), 0)
    pages = [dataclasses.replace(config.pages[0], encoding="gb18030")]
    with pytest.raises(SourceError):  # the UTF-8 bytes are not GB18030 text: not the remembered page
        read_page(dataclasses.replace(config, pages=pages), 0)


def _containers(value: Any) -> list[Any]:
    """Every value inside a model object, recursively."""
    found = [value]
    if dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            found += _containers(getattr(value, item.name))
    elif isinstance(value, (tuple, frozenset)):
        for item in value:
            found += _containers(item)
    return found


def test_the_shared_page_cannot_be_changed_by_one_edition(tmp_path: Path, parses: list[str]) -> None:
    config = load_config(_publication(tmp_path, sidecar="leads:\n  3: false\n"))
    page = read_page(config, 0)
    for value in _containers(page):
        assert not isinstance(value, (list, dict, set, bytearray)), type(value)
        if dataclasses.is_dataclass(value):
            assert type(value).__dataclass_params__.frozen, type(value)  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.articles[0].paragraphs[0].text = "别的"  # type: ignore[misc]
