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


ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(p for p in ROOT.rglob("*.yaml") if not {".venv", "output"} & set(p.relative_to(ROOT).parts))
SNIPPETS = [
    "a: 1\nb: [x, 'y z', \"\\u4e2d\"]\nc:\n  - {d: 2023-04-30, e: null}\n  - ~\n",
    "text: |\n  一行\n  两行\nfolded: >\n  甲\n  乙\n",
    "# only a comment\n",
    "",
    "a: &x 1\nb: 2\n",
    "date: 2023-04-31\nflag: yes\nnum: 0x1F\n",
    "a: \ufeffb\nc: \U0001F600\n",
]


def _both_readers(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    import pipeline.yamlload as yamlload

    fast = YamlDoc.parse(text, "f.yaml")
    monkeypatch.setattr(yamlload, "_LIBYAML", None)
    slow = YamlDoc.parse(text, "f.yaml")
    monkeypatch.undo()
    return (fast.data, fast.lines), (slow.data, slow.lines)


DOCUMENTS = [str(p.relative_to(ROOT)) for p in YAML_FILES] + [f"snippet {i}" for i in range(len(SNIPPETS))]
BAD_DOCUMENTS = ["a: [1, 2\n", "a: 1\n  b: 2\n", "a: 1\n---\nb: 2\n", "a: \"\\q\"\n", "a:\tb\n\tc: 1\n",
                 "a: x\x1by\n", "a: x\u2028y\n", "a: x\x00\n"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_libyaml_reads_every_document_as_pyyaml_does(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = SNIPPETS[int(name.split()[1])] if name.startswith("snippet ") else (ROOT / name).read_text(encoding="utf-8")
    fast, slow = _both_readers(text, monkeypatch)
    assert fast == slow


def test_the_repository_holds_yaml_files_to_compare() -> None:
    assert any(p.name == "opencc_fixes.yaml" for p in YAML_FILES) and len(YAML_FILES) >= 3


@pytest.mark.parametrize("text", BAD_DOCUMENTS)
def test_an_error_reads_as_pyyaml_words_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.yamlload as yamlload

    messages = []
    for libyaml in (yamlload._LIBYAML, None):
        monkeypatch.setattr(yamlload, "_LIBYAML", libyaml)
        with pytest.raises(ConfigError) as info:
            YamlDoc.parse(text, "f.yaml")
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_a_valid_document_is_composed_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.yamlload as yamlload

    assert yamlload._LIBYAML is not None  # PyYAML's wheels are built with libyaml

    def refuse(self: object) -> None:
        raise AssertionError("PyYAML's pure-Python composer ran")

    monkeypatch.setattr(yamlload._Composer, "get_single_node", refuse)
    assert YamlDoc.parse("a:\n  b: [1, 2]\n", "f.yaml").data == {"a": {"b": [1, 2]}}
