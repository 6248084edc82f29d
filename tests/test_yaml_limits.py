"""YAML aliases are refused in config, phrases and sidecars: no alias bomb, no recursion (issue 12, item 5)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.editions.phrases import load_phrases
from pipeline.errors import ConfigError
from pipeline.project.sidecar import load_sidecar
from pipeline.yamlload import YamlDoc


def _laughs(levels: int = 12) -> str:
    """The billion-laughs document: each level lists the previous one ten times (10**levels leaves)."""
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


BOMBS = {"billion-laughs": (_laughs(), 2), "recursive": ("a: &a [*a]\n", 1)}


@pytest.mark.parametrize("bomb", BOMBS)
def test_aliases_are_refused_at_their_line(bomb: str) -> None:
    text, line = BOMBS[bomb]
    with pytest.raises(ConfigError) as info:
        YamlDoc.parse(text, "f.yaml")
    assert str(info.value) == (f"f.yaml:{line}: YAML aliases (*name) are not allowed "
                               "(write the value out in full)")


@pytest.mark.parametrize("bomb", BOMBS)
def test_alias_bombs_in_phrases_and_sidecars_are_one_line(bomb: str) -> None:
    text, line = BOMBS[bomb]
    for load in (load_phrases, load_sidecar):
        with pytest.raises(ConfigError) as info:
            load(text, "x.yaml")
        assert str(info.value).startswith(f"x.yaml:{line}: YAML aliases")
        assert len(str(info.value).splitlines()) == 1


@pytest.mark.parametrize("bomb", BOMBS)
def test_alias_bomb_in_the_config_exits_2_with_one_line(tmp_path: Path, bomb: str) -> None:
    text, line = BOMBS[bomb]
    config = tmp_path / "broadsheet.yaml"
    config.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", "--config", str(config)], stdout=out, stderr=err)
    assert code == 2
    assert err.getvalue().splitlines() == [
        f"broadsheet: error: {config}:{line}: YAML aliases (*name) are not allowed (write the value out in full)"]


def test_deep_nesting_is_one_line_not_a_recursion_error() -> None:
    with pytest.raises(ConfigError) as info:
        YamlDoc.parse("a: " + "[" * 5000 + "]" * 5000 + "\n", "f.yaml")
    assert str(info.value).startswith("f.yaml:1: YAML nested deeper than ")


def test_anchors_without_aliases_are_fine() -> None:
    assert YamlDoc.parse("a: &x 1\nb: 2\n", "f.yaml").data == {"a": 1, "b": 2}


def test_impossible_date_scalar_stays_text() -> None:
    assert YamlDoc.parse("date: 2023-04-31\n", "f.yaml").data == {"date": "2023-04-31"}


@pytest.mark.parametrize("text", ["a: 1\n{b: 1}: 2\n", "a: 1\n[1]: 2\n", "a: 1\n? [1, 2]\n: x\n"])
def test_a_key_that_is_a_list_or_mapping_is_one_line(text: str) -> None:
    with pytest.raises(ConfigError) as info:
        YamlDoc.parse(text, "f.yaml")
    assert str(info.value) == "f.yaml:2: a YAML key must be a plain value, not a list or mapping"
