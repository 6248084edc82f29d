"""Tests for pipeline.engine.fontfile: the raw cmap and hmtx reader agrees with fontTools."""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.editions import EDITIONS
from pipeline.engine import fontfile
from pipeline.engine.fontfile import half_width_digits, hwid_forms, read_face
from pipeline.engine.fonts import font_face
from pipeline.engine.metrics import BODY_WEIGHT, BOLD_WEIGHT, load_metrics
from pipeline.errors import RenderError


def _fonttools_face(path: str, index: int) -> tuple[dict[int, int], TTFont]:
    font = TTFont(path, fontNumber=index, lazy=True)
    return {code: font.getGlyphID(name) for code, name in font.getBestCmap().items()}, font


FACES = sorted({font_face(getattr(EDITIONS[name], role), weight)
                for name in ("zh-Hans", "zh-TW", "zh-HK")
                for role, weight in (("serif", BODY_WEIGHT), ("sans", BOLD_WEIGHT), ("kai", BODY_WEIGHT))})


@pytest.mark.parametrize(("path", "index"), FACES, ids=[f"{Path(p).name}:{i}" for p, i in FACES])
def test_cmap_and_advances_match_fonttools(path: str, index: int) -> None:
    face = read_face(path, index)
    cmap, font = _fonttools_face(path, index)
    assert face.cmap == cmap
    assert len(cmap) > 20000  # a CJK face: the comparison covers its whole map
    hmtx, order = font["hmtx"], font.getGlyphOrder()
    for code in sorted(cmap)[::97]:
        assert face.advance(code) == hmtx[order[cmap[code]]][0] / font["head"].unitsPerEm
    assert face.advance(0x10FFFF) is None


def _format_4_font(path: Path, codes: dict[int, str], glyphs: Sequence[str] = (), features: str = "") -> None:
    """A small TrueType font whose only Unicode cmap is format 4 (code points below U+FFFF).

    ``glyphs`` adds glyphs no character maps to; ``features`` is OpenType feature code for its GSUB.
    """
    names = [".notdef", *sorted(set(codes.values()) | set(glyphs))]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap(codes)
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 0))
    pen.closePath()
    builder.setupGlyf({name: pen.glyph() for name in names})
    builder.setupHorizontalMetrics({name: (100 + 10 * number, 0) for number, name in enumerate(names)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    if features:
        builder.addOpenTypeFeatures(features)
    builder.save(str(path))


def test_format_4_with_glyph_arrays(tmp_path: Path) -> None:
    # Scattered glyph numbers force segments that go through idRangeOffset and the glyph array.
    codes = {0x41: "g3", 0x42: "g1", 0x43: "g7", 0x44: "g2", 0x4E00: "g5", 0x4E01: "g4", 0x4E03: "g6", 0xFF01: "g1"}
    path = tmp_path / "small.ttf"
    _format_4_font(path, codes)
    font = TTFont(str(path))
    assert {table.format for table in font["cmap"].tables} == {4}
    face = read_face(str(path))
    assert face.cmap == {code: font.getGlyphID(name) for code, name in codes.items()}
    assert face.advance(0x43) == font["hmtx"]["g7"][0] / 1000


def test_a_broken_font_is_a_render_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttf"
    path.write_bytes(b"\x00\x01\x00\x00\x00\x09")
    with pytest.raises(RenderError) as info:
        read_face(str(path))
    assert str(info.value).startswith(f"{path}: cannot read font: ")
    with pytest.raises(RenderError):
        read_face(FACES[0][0], 99)


def test_metrics_are_the_fonts_advances() -> None:
    edition = EDITIONS["zh-HK"]
    metrics = load_metrics(edition, "一中，A")
    cmap, font = _fonttools_face(*font_face(edition.serif, BODY_WEIGHT))
    order, units = font.getGlyphOrder(), font["head"].unitsPerEm
    expected = {char: font["hmtx"][order[cmap[ord(char)]]][0] / units for char in "一中，A "}
    assert dict(metrics.faces["body"]) == expected


def test_half_width_digits_measure_the_faces_hwid_forms() -> None:
    # ``digits: half`` switches on the faces' half-width digits (.t-digits); the line breaker must
    # measure those, half an em in Noto CJK, and the faces' own figures under ``proportional``.
    edition = EDITIONS["zh-Hans"]
    assert edition.typography.digits == "half"
    half = load_metrics(edition, "一12")
    assert [half.advance(char, face) for char in "12" for face in ("body", "bold")] == [0.5] * 4
    assert half.advance("一") == 1.0
    proportional = replace(edition, typography=replace(edition.typography, digits="proportional"))
    own = load_metrics(proportional, "一12")
    cmap, font = _fonttools_face(*font_face(edition.serif, BODY_WEIGHT))
    order, units = font.getGlyphOrder(), font["head"].unitsPerEm
    assert [own.advance(char) for char in "12"] == [font["hmtx"][order[cmap[ord(char)]]][0] / units
                                                    for char in "12"]
    assert own.advance("1") != 0.5



def _fonttools_hwid_forms(path: str, index: int) -> dict[str, int]:
    """Each digit's hwid form read with fontTools alone (its own glyph names and cmap), as a glyph id."""
    cmap, font = _fonttools_face(path, index)
    if "GSUB" not in font:
        return {}
    order, table = font.getGlyphOrder(), font["GSUB"].table
    found: dict[str, int] = {}
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag == "hwid":
            for lookup in (table.LookupList.Lookup[i] for i in record.Feature.LookupListIndex):
                for subtable in lookup.SubTable:
                    mapping = getattr(getattr(subtable, "ExtSubTable", subtable), "mapping", {})
                    for digit in "0123456789":
                        name = order[cmap[ord(digit)]] if ord(digit) in cmap else None
                        if name in mapping and digit not in found:
                            found[digit] = font.getGlyphID(mapping[name])
    return found


@pytest.mark.parametrize(("path", "index"), FACES, ids=[f"{Path(p).name}:{i}" for p, i in FACES])
def test_hwid_forms_equal_fonttools_on_every_face(path: str, index: int) -> None:
    # hwid_forms names glyphs by id instead of reading the face's glyph names, as fontTools does.
    forms = hwid_forms(path, index)
    assert forms == _fonttools_hwid_forms(path, index)
    face = read_face(path, index)
    assert half_width_digits(path, index) == {digit: face.advances[min(form, len(face.advances) - 1)]
                                              / face.units_per_em for digit, form in forms.items()}


def _old_format_12(groups: list[tuple[int, int, int]]) -> dict[int, int]:
    """Format 12 groups read one by one into a dict, as fontTools does: glyph 0 is no glyph, later groups win."""
    cmap: dict[int, int] = {}
    for first, last, glyph in groups:
        for code in range(first, last + 1):
            if glyph + code - first:
                cmap[code] = glyph + code - first
    return cmap


def _format_12(groups: list[tuple[int, int, int]]) -> bytes:
    body = b"".join(struct.pack(">III", *group) for group in groups)
    return struct.pack(">HHIII", 12, 0, 16 + len(body), 0, len(groups)) + body


_GROUP = st.tuples(st.integers(0, 300), st.integers(0, 12), st.integers(0, 50)).map(
    lambda g: (0x4E00 + g[0], 0x4E00 + g[0] + g[1], g[2]))


@given(st.lists(_GROUP, max_size=12))
@example([(0x41, 0x43, 0), (0x50, 0x52, 5)])  # a run starting at glyph 0: its first code point has no glyph
@example([(0x60, 0x61, 7), (0x41, 0x42, 3)])  # runs out of order
@example([(0x41, 0x45, 3), (0x43, 0x44, 9)])  # overlapping runs: the later one wins
@example([(0x50, 0x4D, 3), (0x60, 0x61, 1)])  # a run ending before it starts maps nothing
def test_format_12_maps_as_fonttools_reads_it(groups: list[tuple[int, int, int]]) -> None:
    runs = sorted(groups)
    for chosen in (groups, runs, [g for n, g in enumerate(runs) if n == 0 or g[0] > runs[n - 1][1]]):
        expected = _old_format_12(chosen)
        cmap = fontfile._cmap_format_12(_format_12(chosen), 0)
        assert cmap == expected and dict(cmap) == expected and len(cmap) == len(expected)
        assert [cmap.get(code) for code in range(0x40, 0x4E00 + 320)] == [expected.get(code)
                                                                           for code in range(0x40, 0x4E00 + 320)]
        assert all((code in cmap) == (code in expected) for code in range(0x4DF0, 0x4E00 + 320))


def test_cjk_faces_keep_their_map_as_runs() -> None:
    # The comparison with fontTools above is then a comparison of the runs' answers.
    faces = [read_face(path, index) for path, index in FACES]
    assert any(isinstance(face.cmap, fontfile.RunMap) for face in faces)
    assert all(isinstance(face.cmap, fontfile.RunMap) for face in faces if len(face.cmap) > 40000)


def test_a_font_file_that_changes_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "small.ttf"
    _format_4_font(path, {0x41: "g1"})
    assert 0x42 not in read_face(str(path)).cmap
    _format_4_font(path, {0x41: "g1", 0x42: "g2"})
    os.utime(path, ns=(0, 10**18))  # a new modification time, whatever the clock's resolution
    assert read_face(str(path)).cmap == {0x41: 1, 0x42: 2}


DIGIT_GLYPHS = {ord(digit): f"d{digit}" for digit in "0123456789"}
HALF_GLYPHS = [f"h{digit}" for digit in "0123456789"]
HWID_FEATURES = {
    # One shift for every digit: SingleSubst format 1 (a delta), its coverage a range (format 2).
    "delta": "feature hwid { " + " ".join(f"sub d{d} by h{d};" for d in "0123456789") + " } hwid;",
    # Scattered forms: format 2 (a substitute per glyph), a coverage list of three glyphs (format 1).
    "list": "feature hwid { sub d0 by h9; sub d5 by h1; sub d9 by h4; } hwid;",
    # Through an extension lookup (type 7), as large fonts hold their lookups.
    "extension": "lookup HW useExtension { sub d1 by h1; sub d2 by h7; } HW; feature hwid { lookup HW; } hwid;",
    # Two lookups giving 1 a form: the first lookup's wins; a feature other than hwid is not read.
    "first wins": ("lookup A { sub d1 by h1; } A; lookup B { sub d1 by h2; sub d3 by h3; } B; "
                   "feature hwid { lookup A; lookup B; } hwid; feature pwid { sub d4 by h4; } pwid;"),
}


@pytest.mark.parametrize("case", HWID_FEATURES)
def test_hwid_forms_read_every_single_substitution_layout_as_fonttools(tmp_path: Path, case: str) -> None:
    path = tmp_path / "digits.ttf"
    _format_4_font(path, DIGIT_GLYPHS, HALF_GLYPHS, HWID_FEATURES[case])
    forms = hwid_forms(str(path))
    assert forms and forms == _fonttools_hwid_forms(str(path), 0)


def test_the_hwid_cases_cover_both_formats_and_extensions(tmp_path: Path) -> None:
    seen = set()
    for case, features in HWID_FEATURES.items():
        path = tmp_path / f"{case}.ttf"
        _format_4_font(path, DIGIT_GLYPHS, HALF_GLYPHS, features)
        font = TTFont(str(path))
        gsub = font.getTableData("GSUB")
        for lookup in font["GSUB"].table.LookupList.Lookup:
            seen.add(("type", lookup.LookupType))
        for start in fontfile._hwid_subtables(gsub):
            form, coverage = struct.unpack(">HH", gsub[start:start + 4])
            (coverage_form,) = struct.unpack(">H", gsub[start + coverage:start + coverage + 2])
            seen |= {("substitution", form), ("coverage", coverage_form)}
    assert seen >= {("type", 1), ("type", 7), ("substitution", 1), ("substitution", 2), ("coverage", 1),
                    ("coverage", 2)}


def test_a_face_without_gsub_has_no_hwid_forms(tmp_path: Path) -> None:
    path = tmp_path / "plain.ttf"
    _format_4_font(path, DIGIT_GLYPHS)
    assert hwid_forms(str(path)) == {} == _fonttools_hwid_forms(str(path), 0)
