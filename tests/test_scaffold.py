"""broadsheet init: the new publication loads, its example page parses, and it refuses to overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.editions.phrases import load_phrases
from pipeline.errors import ConfigError
from pipeline.model import counted_chars, page_chars, removed_chars
from pipeline.project.config import load_config
from pipeline.project.scaffold import LAYOUT_NAMES, STYLE_NAMES, init_publication
from pipeline.text import parse_text
from pipeline.text.lines import print_width

ROOT = Path(__file__).resolve().parent.parent


def test_init_writes_the_publication_files(tmp_path: Path) -> None:
    target = tmp_path / "paper"
    written = init_publication(target, name="清水报")
    assert sorted(p.relative_to(target).as_posix() for p in written) == [
        ".gitignore", "broadsheet.yaml", "layouts/README.txt", "source/example.txt", "source/phrases.yaml",
        "styles/README.txt",
    ]
    assert (target / ".gitignore").read_text(encoding="utf-8") == "/output/\n"
    assert sorted(p.name for p in (target / "layouts").iterdir()) == ["README.txt"]
    assert sorted(p.name for p in (target / "styles").iterdir()) == ["README.txt"]


def test_config_loads_strictly_with_its_own_folders(tmp_path: Path) -> None:
    target = tmp_path / "paper"
    init_publication(target, name="清水报")
    config = load_config(target / "broadsheet.yaml", strict=True)
    assert config.warnings == ()
    assert config.publication.name == "清水报"
    assert config.publication.date is not None
    assert [p.name for p in config.pages] == ["example"]
    assert [e.name for e in config.editions] == ["zh-Hans", "zh-TW", "zh-HK"]
    assert config.phrases == (target / "source" / "phrases.yaml").resolve()
    assert config.layouts == (target / "layouts").resolve()
    assert config.styles == (target / "styles").resolve()
    assert config.output == (target / "output").resolve()


def test_default_name_and_awkward_names_round_trip(tmp_path: Path) -> None:
    init_publication(tmp_path / "plain")
    assert load_config(tmp_path / "plain" / "broadsheet.yaml").publication.name == "县域新闻"
    awkward = '晨报: "周末版" #2'
    init_publication(tmp_path / "awkward", name=awkward)
    assert load_config(tmp_path / "awkward" / "broadsheet.yaml").publication.name == awkward


def test_example_page_parses_into_articles_with_titles_and_bylines(tmp_path: Path) -> None:
    init_publication(tmp_path / "paper")
    text = (tmp_path / "paper" / "source" / "example.txt").read_text(encoding="utf-8")
    page = parse_text(text, "source/example.txt")
    assert len(page.articles) >= 2
    assert [a.headline for a in page.articles] == ["清水县秋粮收获进度过半", "老街改造让居民住得更舒心"]
    assert [a.byline for a in page.articles] == [("张三", "李四"), ("王芳", "赵明远")]
    assert all(len(a.paragraphs) == 3 for a in page.articles)
    assert page_chars(page) + removed_chars(page.repairs) == counted_chars(text)


def test_example_page_looks_like_ocr(tmp_path: Path) -> None:
    init_publication(tmp_path / "paper")
    lines = (tmp_path / "paper" / "source" / "example.txt").read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if print_width(line) > 14]
    assert body and all(print_width(line) <= 18.5 for line in body)
    breaks = [i for i, line in enumerate(lines) if not line and lines[i - 1][-1] not in "。”）"]
    assert breaks, "expected a column break in mid-sentence"
    sample = (ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8")
    assert not any(line in sample for line in body)


def test_example_phrases_load_without_warnings(tmp_path: Path) -> None:
    init_publication(tmp_path / "paper")
    path = tmp_path / "paper" / "source" / "phrases.yaml"
    phrases = load_phrases(path.read_text(encoding="utf-8"), str(path))
    assert phrases.warnings == ()
    assert {e.source for e in phrases.entries} >= {"王建国", "刘桂芳", "清水县城北老街"}


def test_override_readmes_name_every_file(tmp_path: Path) -> None:
    init_publication(tmp_path / "paper")
    layouts = (tmp_path / "paper" / "layouts" / "README.txt").read_text(encoding="utf-8")
    styles = (tmp_path / "paper" / "styles" / "README.txt").read_text(encoding="utf-8")
    assert all(name in layouts for name in LAYOUT_NAMES)
    assert all(name in styles for name in STYLE_NAMES)
    assert "file by file" in layouts and "file by file" in styles
    for name in LAYOUT_NAMES:
        assert (ROOT / "layouts" / name).is_file(), f"README names {name}, which the package does not ship"
    for name in STYLE_NAMES:
        assert (ROOT / "styles" / name).is_file(), f"README names {name}, which the package does not ship"


def test_empty_existing_folder_is_accepted(tmp_path: Path) -> None:
    assert init_publication(tmp_path)
    assert (tmp_path / "broadsheet.yaml").is_file()


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        init_publication(tmp_path)
    assert str(info.value) == f"{tmp_path}: already exists and is not an empty folder " \
                              "(choose a new folder, or empty this one)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "paper.txt"
    target.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="already exists and is not an empty folder"):
        init_publication(target)


@pytest.mark.parametrize("name", ["", "   ", "两行\n名字"])
def test_refuses_a_blank_or_multiline_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError) as info:
        init_publication(tmp_path / "paper", name=name)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "paper").exists()


def test_every_key_of_the_scaffold_config_is_in_the_schema() -> None:
    import datetime as dt
    import re

    from pipeline.project.config import SCHEMA
    from pipeline.project.scaffold import config_text

    names = {part.removesuffix("[]") for option in SCHEMA for part in option.key.split(".")}
    written = re.findall(r"^[#\s-]*([a-z_]+):", config_text("县报", dt.date(2024, 1, 2)), re.M)
    assert {"publication", "size", "sidecar", "max_source_bytes", "styles"} <= set(written)
    assert set(written) <= names


def test_the_new_publication_builds_and_passes_a_strict_check(tmp_path: Path) -> None:
    # Issue 15: `init` then `build --check --strict` passes in every edition, evenness included
    # (the example's figures, 10月8日 and 2300万元, once left a Han line 0.091 em per gap loose).
    import io

    from pipeline.cli import main

    target = tmp_path / "paper"
    init_publication(target)
    err = io.StringIO()
    code = main(["build", "--config", str(target / "broadsheet.yaml"), "--check", "--strict", "--jobs", "1", "-q"],
                stdout=io.StringIO(), stderr=err)
    assert code == 0, err.getvalue()
    assert "looseness" not in err.getvalue()
