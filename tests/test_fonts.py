"""Tests for pipeline.engine.fonts: fc-match lookup without fallback, glyph coverage with places."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.editions import EDITIONS
from pipeline.engine import fontfile
from pipeline.engine.fonts import check_glyphs, check_page_glyphs, font_file, missing_glyphs, page_glyph_places
from pipeline.errors import RenderError
from pipeline.model import Article, Caption, Page, Paragraph

NO_GLYPH = "\U000f0001"  # supplementary private use: in no CJK face


def test_font_file_finds_installed_faces() -> None:
    regular = font_file("Noto Serif CJK TC")
    bold = font_file("Noto Sans CJK HK", 700)
    assert Path(regular).is_file() and Path(bold).is_file()
    assert "Bold" in Path(bold).name


def test_font_file_refuses_a_substitute() -> None:
    with pytest.raises(RenderError) as info:
        font_file("No Such Face Anywhere")
    assert str(info.value).startswith("font family 'No Such Face Anywhere' is not installed (fontconfig offers ")


FACES = [(family, weight) for family in ("Noto Serif CJK SC", "Noto Sans CJK TC", "AR PL UKai HK", "LXGW WenKai",
                                         "No Such Face Anywhere", "Noto-Serif:CJK,SC")
         for weight in (100, 400, 700, 900)]


def test_faces_are_found_in_this_process_as_fc_match_finds_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from pipeline.engine import fonts

    expected = {}
    for family, weight in FACES:
        fonts._font_face.cache_clear()
        monkeypatch.setattr(fonts, "_match_in_process", lambda pattern: None)  # fc-match itself
        expected[family, weight] = _outcome(family, weight)
    monkeypatch.undo()

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started: {args}")

    monkeypatch.setattr(subprocess, "run", no_process)
    for family, weight in FACES:
        fonts._font_face.cache_clear()
        assert _outcome(family, weight) == expected[family, weight], (family, weight)
    fonts._font_face.cache_clear()
    assert any(isinstance(found, tuple) for found in expected.values())
    assert any(isinstance(found, str) for found in expected.values())


def _outcome(family: str, weight: int) -> tuple[str, int] | str:
    from pipeline.engine.fonts import font_face

    try:
        return font_face(family, weight)
    except RenderError as error:
        return str(error)


def test_fc_match_answers_where_fontconfig_cannot_be_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.engine import fonts

    in_process = fonts.font_face("Noto Serif CJK TC", 700)
    monkeypatch.setattr(fonts, "_fontconfig", lambda: None)
    fonts._font_face.cache_clear()
    try:
        assert fonts.font_face("Noto Serif CJK TC", 700) == in_process
    finally:
        fonts._font_face.cache_clear()


def test_font_file_rejects_a_bad_weight() -> None:
    with pytest.raises(RenderError, match="font weight 450"):
        font_file("Noto Serif CJK TC", 450)


def test_missing_glyphs_lists_places_once_in_order() -> None:
    texts = [(f"甲{NO_GLYPH}", "article 1 headline"), (f"{NO_GLYPH}乙{NO_GLYPH}", "caption 1"),
             (NO_GLYPH, "article 1 headline"), ("丙 \n", "article 2 paragraph 1")]
    assert missing_glyphs(texts, ["Noto Serif CJK TC"]) == {NO_GLYPH: ["article 1 headline", "caption 1"]}


def test_a_character_must_be_in_every_face() -> None:
    # AR PL UKai TW has no 爲 (OpenCC's standard form); the Noto faces do.
    assert missing_glyphs([("爲", "caption 1")], ["Noto Serif CJK TC"]) == {}
    assert missing_glyphs([("爲", "caption 1")], ["Noto Serif CJK TC", "AR PL UKai TW"]) == {"爲": ["caption 1"]}


def test_check_glyphs_names_character_face_and_place() -> None:
    check_glyphs([("洪洞縣", "article 1 headline")], ["Noto Serif CJK TC", "Noto Sans CJK TC"])
    with pytest.raises(RenderError) as info:
        check_glyphs([("爲人", "article 1 paragraph 2")], ["Noto Serif CJK TC", "AR PL UKai TW"])
    assert str(info.value) == (
        "1 character(s) have no glyph in the edition's fonts: 爲 (U+7232, not in AR PL UKai TW) "
        "in article 1 paragraph 2 (name a face that has them, or correct the text)")


def test_check_glyphs_shortens_long_place_lists() -> None:
    texts = [(NO_GLYPH, f"caption {n}") for n in range(1, 6)]
    with pytest.raises(RenderError, match=r"in caption 1, caption 2, caption 3 and 2 more"):
        check_glyphs(texts, ["Noto Serif CJK SC"])


def test_cmap_is_read_once_per_face() -> None:
    missing_glyphs([("甲", "x")], ["Noto Serif CJK HK"])
    before = fontfile._read_face.cache_info()
    missing_glyphs([("乙", "y")], ["Noto Serif CJK HK"])
    after = fontfile._read_face.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def _page() -> Page:
    article = Article((Paragraph("爲人民服務"),), headline="洪洞", byline=("李銳",))
    return Page("t", (article,), (Caption("縣長"),))


def test_page_places_group_texts_by_face() -> None:
    (body, body_faces), (kai, kai_faces) = page_glyph_places(_page(), EDITIONS["zh-TW"])
    assert body == [("洪洞", "article 1 headline"), ("爲人民服務", "article 1 paragraph 1")]
    assert body_faces == ("Noto Serif CJK TC", "Noto Sans CJK TC")
    assert kai == [("李銳", "article 1 byline"), ("縣長", "caption 1")]
    assert kai_faces == ("AR PL UKai TW",)


def test_body_text_is_not_checked_against_the_kai_face() -> None:
    assert check_page_glyphs(_page(), EDITIONS["zh-Hant"]) == []  # 爲 is set in Noto, not in UKai


def test_a_character_the_kai_lacks_is_set_in_the_serif_with_a_warning_and_one_neither_has_fails() -> None:
    # s2hk writes 閲 for 阅; AR PL UKai HK has no 閲, so a caption 阅览室 failed the whole zh-HK edition.
    page = Page("t", (), (Caption("市民在閲覽室看書"), Caption("爲")))
    assert check_page_glyphs(page, EDITIONS["zh-HK"]) == [
        "閲 (U+95B2) is not in AR PL UKai HK: set in Noto Serif CJK HK in caption 1",
        "爲 (U+7232) is not in AR PL UKai HK: set in Noto Serif CJK HK in caption 2"]
    assert check_page_glyphs(page, EDITIONS["zh-Hant"])[-1] == \
        "爲 (U+7232) is not in AR PL UKai TW: set in Noto Serif CJK TC in caption 2"
    with pytest.raises(RenderError, match="U\\+F0001, not in AR PL UKai HK\\) in caption 1"):
        check_page_glyphs(Page("t", (), (Caption(NO_GLYPH),)), EDITIONS["zh-HK"])


def test_family_name_is_not_read_as_a_fontconfig_pattern() -> None:
    with pytest.raises(RenderError, match="is not installed"):
        font_file("Noto Serif CJK TC:slant=100")
