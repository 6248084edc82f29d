"""Tests for pipeline.editions: the table of DESIGN.md and the config helpers."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.editions import (
    EDITIONS,
    NAMES_OPENCC,
    QUOTE_MARKS,
    characters_config,
    opencc_stem,
    variants_config,
)


@pytest.mark.parametrize(("name", "opencc", "quotes", "face"), [
    ("zh-Hans", None, "curly", "Noto Serif CJK SC"),
    ("zh-Hant", "s2t", "curly", "Noto Serif CJK TC"),
    ("zh-TW", "s2tw", "corner", "Noto Serif CJK TC"),
    ("zh-HK", "s2hk", "corner", "Noto Serif CJK HK"),
])
def test_editions_follow_the_design_table(name: str, opencc: str | None, quotes: str, face: str) -> None:
    edition = EDITIONS[name]
    assert (edition.name, edition.lang, edition.opencc, edition.quotes, edition.serif) == (
        name, name, opencc, quotes, face)


def test_defaults_name_policy_and_protect_names() -> None:
    for edition in EDITIONS.values():
        assert edition.names == "characters"
        assert edition.protect_names is True
    assert NAMES_OPENCC == "s2tw"


def test_traditional_editions_have_traditional_kai() -> None:
    assert EDITIONS["zh-TW"].kai == "AR PL UKai TW"
    assert EDITIONS["zh-HK"].kai == "AR PL UKai HK"


def test_editions_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        EDITIONS["zh-TW"].opencc = "s2twp"  # type: ignore[misc]
    twp = dataclasses.replace(EDITIONS["zh-TW"], opencc="s2twp")
    assert twp.opencc == "s2twp" and EDITIONS["zh-TW"].opencc == "s2tw"


@pytest.mark.parametrize(("config", "stem", "characters", "variants"), [
    ("s2t", "s2t", "s2t", None),
    ("s2tw", "s2tw", "s2tw", "t2tw"),
    ("s2twp.json", "s2twp", "s2tw", "t2tw"),
    ("s2hk", "s2hk", "s2hk", "t2hk"),
])
def test_config_helpers(config: str, stem: str, characters: str, variants: str | None) -> None:
    assert opencc_stem(config) == stem
    assert characters_config(config) == characters
    assert variants_config(config) == variants


def test_quote_marks() -> None:
    assert QUOTE_MARKS["corner"] == (("「", "」"), ("『", "』"))
    assert QUOTE_MARKS["curly"] == (("“", "”"), ("‘", "’"))
