"""Describe each edition: its OpenCC config, faces, quote style, language tag and typography."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LineBreak = Literal["none", "basic", "gb", "strict"]
QuoteStyle = Literal["curly", "corner"]
NamePolicy = Literal["convert", "characters"]


@dataclass(frozen=True, slots=True)
class Typography:
    """Per-edition typographic choices (W3C clreq)."""

    line_break: LineBreak = "basic"
    """Line-start/line-end prohibition level: none, basic (default), gb or strict."""
    compress: bool = True
    """Set adjacent punctuation such as 。” in 1.5 em instead of 2 em."""
    end_half: bool = False
    """Set an isolated mark at a line end half-width (GB style)."""
    autospace: bool = False
    """Put a quarter em between Han and Latin/digits (mainland papers set none)."""


@dataclass(frozen=True, slots=True)
class Edition:
    """One edition of the paper; names and defaults follow DESIGN.md's table."""

    name: str
    label: str
    lang: str
    opencc: str | None
    serif: str
    sans: str
    kai: str
    quotes: QuoteStyle = "curly"
    names: NamePolicy = "convert"
    typography: Typography = field(default_factory=Typography)


EDITIONS: dict[str, Edition] = {
    "zh-Hans": Edition(
        name="zh-Hans", label="简体版", lang="zh-Hans", opencc=None,
        serif="Noto Serif CJK SC", sans="Noto Sans CJK SC", kai="LXGW WenKai",
        quotes="curly", typography=Typography(compress=True),
    ),
    "zh-Hant": Edition(
        name="zh-Hant", label="繁體版", lang="zh-Hant", opencc="s2t",
        serif="Noto Serif CJK TC", sans="Noto Sans CJK TC", kai="AR PL UKai TW",
        quotes="curly", typography=Typography(compress=True),
    ),
    "zh-TW": Edition(
        name="zh-TW", label="臺灣版", lang="zh-TW", opencc="s2tw",
        serif="Noto Serif CJK TC", sans="Noto Sans CJK TC", kai="AR PL UKai TW",
        quotes="corner", typography=Typography(compress=False),
    ),
    "zh-HK": Edition(
        name="zh-HK", label="香港版", lang="zh-HK", opencc="s2hk",
        serif="Noto Serif CJK HK", sans="Noto Sans CJK HK", kai="AR PL UKai HK",
        quotes="corner", typography=Typography(compress=True),
    ),
}
"""The built-in editions; ``broadsheet.yaml`` may override any field."""
