"""Describe each edition: its OpenCC config, faces, quote style, language tag and typography.

Name policy (``Edition.names``): personal names — every byline, and the people
a ``phrases.yaml`` lists under ``people:`` — are by default converted
*characters only*, to the common Traditional forms (OpenCC ``s2tw``), in every
Traditional edition: no regional phrasing and no regional or OpenCC-standard
variant forms, so ``洛宇峰`` stays ``洛宇峰`` (not ``洛宇峯``) and ``李锐`` becomes
``李銳`` (not ``李鋭``) in zh-HK too.  ``names: convert`` converts them like the
surrounding text instead.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

from ..errors import ConfigError

LineBreak = Literal["none", "basic", "gb", "strict"]
LineStart = Literal["full", "half"]
Digits = Literal["half", "proportional"]
QuoteStyle = Literal["curly", "corner"]
NamePolicy = Literal["convert", "characters"]
WritingMode = Literal["horizontal-tb", "vertical-rl"]

NAMES_OPENCC = "s2tw"
"""The OpenCC config that converts personal names under the ``characters`` policy."""


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
    squeeze: bool = True
    """Let a line set a few lone marks (and the mark that ends it) half-width rather than widen its
    gaps (clreq's push-in): evener lines, at the cost of an occasional narrower comma."""
    line_start: LineStart = "full"
    """An opening mark that starts a line: ``full`` keeps its blank half (clreq's recommendation for
    zh-Hans and zh-HK) or ``half`` sets it flush with the measure; the same on every line."""
    hang: bool = True
    """Let a lone 。，、 ending a line that is one mark too long hang half-width past the measure
    (clreq's hanging punctuation: one mark at most) rather than push a character down and widen the
    line's gaps. clreq notes most publications do not hang marks; ``False`` keeps every mark inside."""
    digits: Digits = "half"
    """European digits: ``half`` sets each in half an em (the faces' ``hwid`` forms; clreq allows
    monospaced figures, and Chinese papers set them so), which keeps a line of figures on the
    half-em grid so it can be justified without widening its Han gaps; ``proportional`` keeps
    the faces' own figures (0.47–0.56 em)."""


@dataclass(frozen=True, slots=True)
class Edition:
    """One edition of the paper; names and defaults follow DESIGN.md's table."""

    name: str
    label: str
    lang: str
    opencc: str | None
    """OpenCC config (``s2t``, ``s2tw``, ``s2twp``, ``s2hk``) or None for no conversion.
    ``s2twp`` adds Taiwan phrasing (软件→軟體) and is an opt-in for zh-TW."""
    serif: str
    sans: str
    kai: str
    quotes: QuoteStyle = "curly"
    """``curly`` keeps “ ” ‘ ’; ``corner`` sets 「 」 for double and 『 』 for single or nested quotes."""
    names: NamePolicy = "characters"
    """Personal names: ``characters`` (default; see the module docstring) or ``convert`` like the text."""
    typography: Typography = field(default_factory=Typography)
    protect_names: bool = True
    """Protect names, slogans and titles in “…” and 《…》 from regional phrasing: they are converted
    character by character (``s2twp`` keeps “项目招商恳谈会” as 項目…, not 專案…).  Off: quoted text
    is converted like any other.  The same switch protects unquoted organisation names, recognised
    by their endings and position (``editions/names.py``: 新区智能装备产业园, 南岭高端材料公司);
    a name the recogniser misses goes in ``phrases.yaml`` under ``names:``, which always wins."""
    writing_mode: WritingMode = "horizontal-tb"
    """``vertical-rl`` (直排): body and story headlines top to bottom, lines right to left, laid out by
    ``typeset.vertical``; ``horizontal-tb`` (default): the horizontal page of ``typeset.html``."""


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

QUOTE_MARKS: dict[QuoteStyle, tuple[tuple[str, str], tuple[str, str]]] = {
    "curly": (("\N{LEFT DOUBLE QUOTATION MARK}", "\N{RIGHT DOUBLE QUOTATION MARK}"),
              ("\N{LEFT SINGLE QUOTATION MARK}", "\N{RIGHT SINGLE QUOTATION MARK}")),
    "corner": (("\N{LEFT CORNER BRACKET}", "\N{RIGHT CORNER BRACKET}"),
               ("\N{LEFT WHITE CORNER BRACKET}", "\N{RIGHT WHITE CORNER BRACKET}")),
}
"""Per quote style: the (open, close) marks of the outer and of the inner (nested) quotation."""


def opencc_stem(config: str) -> str:
    """The bare name of an OpenCC config.

    >>> opencc_stem("s2twp.json"), opencc_stem("s2hk")
    ('s2twp', 's2hk')
    """
    return config[:-5] if config.endswith(".json") else config


def characters_config(config: str) -> str:
    """The config that converts like ``config`` minus regional phrasing (for protected names).

    >>> characters_config("s2twp.json"), characters_config("s2hk")
    ('s2tw', 's2hk')
    """
    stem = opencc_stem(config)
    return {"s2twp": "s2tw", "s2hkp": "s2hk"}.get(stem, stem)


def variants_config(config: str) -> str | None:
    """The Traditional→regional variant config for dictionary targets, or None to keep them as written.

    >>> variants_config("s2twp"), variants_config("s2hk"), variants_config("s2t")
    ('t2tw', 't2hk', None)
    """
    stem = opencc_stem(config)
    if stem.startswith("s2tw"):
        return "t2tw"
    if stem.startswith("s2hk"):
        return "t2hk"
    return None


OPENCC_CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk", "s2hkp")
"""OpenCC's configs that start from Simplified text, as every page here does: the one list names are checked against."""


def unknown_edition(name: str, choices: Collection[str] | None = None, path: str | None = None,
                    place: str | int | None = None) -> ConfigError:
    """The error for an edition name not among ``choices`` (default: the built-in editions), with a did-you-mean.

    >>> print(unknown_edition("zh-XX"))
    unknown edition 'zh-XX' (did you mean 'zh-TW'?)
    >>> print(unknown_edition("web", ["zh-Hans", "zh-HK"], "broadsheet.yaml"))
    broadsheet.yaml: unknown edition 'web' (choose from zh-Hans, zh-HK)
    """
    from ..yamlload import suggest  # the YAML reader's did-you-mean; imported late, the catalogue stays light

    known = list(EDITIONS if choices is None else choices)
    return ConfigError(f"unknown edition {name!r}", path, place,
                       hint=suggest(name, known) or f"choose from {', '.join(known)}")
