"""Tests for pipeline.checks.reader: the glyphs and images pdfium reads are what the plain per-call reading gives."""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from pipeline.checks.reader import Glyph, PlacedImage, read_text_layer
from pipeline.text.chars import ZERO_WIDTH, is_wide


def plain_page_glyphs(textpage: Any) -> tuple[Glyph, ...]:
    """The reading ``reader._page_glyphs`` replaced: every C call through pypdfium2's bindings, every
    character classified afresh (the reference the faster reading must match exactly)."""
    handle = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    box = raw.FS_RECTF()
    found: list[Glyph] = []
    for index in range(raw.FPDFText_CountChars(handle)):
        code = raw.FPDFText_GetUnicode(handle, index)
        char = chr(code) if code else ""
        if not char.strip() or char in ZERO_WIDTH or raw.FPDFText_IsGenerated(handle, index) == 1:
            continue
        raw.FPDFText_GetCharOrigin(handle, index, x, y)
        em = raw.FPDFText_GetFontSize(handle, index)
        upright = True
        if raw.FPDFText_GetMatrix(handle, index, matrix):
            scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            em = em * scale if scale else em
            upright = abs(matrix.b) <= 1e-6 * (scale or 1) and abs(matrix.c) <= 1e-6 * (scale or 1)
        if is_wide(char):
            advance = em
        elif raw.FPDFText_GetLooseCharBox(handle, index, box):
            advance = box.right - box.left if upright else box.top - box.bottom
        else:
            advance = 0.0
        found.append(Glyph(char, x.value, y.value, advance, float(em), upright))
    return tuple(found)


def plain_page_images(page: Any, number: int) -> list[PlacedImage]:
    """The images of a page through pypdfium2's object helpers (the reference for ``reader._page_images``)."""
    found = []
    for image in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=8):
        width_px, height_px = image.get_px_size()
        matrix = image.get_matrix()
        width_pt = (matrix.a ** 2 + matrix.b ** 2) ** 0.5
        height_pt = (matrix.c ** 2 + matrix.d ** 2) ** 0.5
        found.append(PlacedImage(number, int(width_px), int(height_px), width_pt, height_pt))
    return found


def plain_reading(data: bytes) -> tuple[list[tuple[Glyph, ...]], list[PlacedImage]]:
    document = pdfium.PdfDocument(data)
    glyphs, images = [], []
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        glyphs.append(plain_page_glyphs(textpage))
        images.extend(plain_page_images(page, index + 1))
        textpage.close()
        page.close()
    document.close()
    return glyphs, images


def render(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


MIXED = ("<html lang='zh-Hans'><body style='font-family: \"Noto Serif CJK SC\"; font-size: 10pt'>"
         "<h1 style='font-size: 24pt'>洪洞县委召开常委会</h1>"
         "<p>五年来，“国家级”示范县 2021 年 GDP 增长 7.5%，English words&nbsp;and ﬁ ligatures."
         "\N{ZERO WIDTH SPACE}零宽\N{WORD JOINER}字符——破折号……省略号。</p>"
         "<p style='transform: rotate(90deg)'>转过来的一行 Latin</p>"
         "<div style='writing-mode: vertical-rl; height: 12em'>直排正文，“引号”与 Latin 123。</div>"
         "<p style='font-size: 6pt; letter-spacing: 0.3em'>小字 small 字距</p>"
         "</body></html>")


@pytest.fixture(scope="module")
def mixed_pdf() -> bytes:
    return render(MIXED)


def test_the_glyphs_are_exactly_the_plain_readings(mixed_pdf: bytes) -> None:
    layer = read_text_layer(mixed_pdf, "mixed")
    glyphs, _ = plain_reading(mixed_pdf)
    assert list(layer.glyphs) == glyphs
    drawn = "".join(glyph.char for page in glyphs for glyph in page)
    assert "洪洞县委" in drawn and "2021" in drawn and "\N{ZERO WIDTH SPACE}" not in drawn
    assert any(not glyph.upright for page in glyphs for glyph in page)  # the turned line is read as turned
    assert {glyph.advance == glyph.em for page in glyphs for glyph in page} == {True, False}  # wide and narrow


def test_the_glyphs_of_the_built_sample_are_exactly_the_plain_readings(tmp_path_factory: pytest.TempPathFactory
                                                                        ) -> None:
    from pathlib import Path

    from pipeline.cli import main

    root = Path(__file__).resolve().parents[1]
    out = tmp_path_factory.mktemp("sample")
    assert main(["build", "--config", str(root / "broadsheet.yaml"), "--edition", "zh-TW", "--jobs", "1",
                 "--output", str(out), "-q"]) == 0
    data = (out / "zh-TW" / "hongdong.pdf").read_bytes()
    glyphs, images = plain_reading(data)
    layer = read_text_layer(data, "sample")
    assert list(layer.glyphs) == glyphs and list(layer.images) == images
    assert sum(len(page) for page in glyphs) > 5000


def nested_forms_pdf(depth: int) -> bytes:
    """A page drawing an image and a form that draws it again, scaled, and the next form, ``depth`` forms deep."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    image = pdf.make_stream(b"\xff\x00\x00" * 6, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                            Width=3, Height=2, ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)
    inner: Any = None
    for level in reversed(range(depth)):
        content = f"q {level + 10} 0 0 {level + 5} 0 0 cm /Im Do Q" + (" /Fm Do" if inner is not None else "")
        xobjects = pikepdf.Dictionary(Im=image, **({"Fm": inner} if inner is not None else {}))
        inner = pdf.make_stream(content.encode(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                BBox=[0, 0, 200, 200], Resources=pikepdf.Dictionary(XObject=xobjects))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im=image, Fm=inner))
    page.obj.Contents = pdf.make_stream(b"q 40 0 0 30 0 0 cm /Im Do Q /Fm Do")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("depth", [0, 3, 7, 12])
def test_images_in_forms_are_found_to_the_same_depth(depth: int) -> None:
    data = nested_forms_pdf(depth)
    _, images = plain_reading(data)
    assert list(read_text_layer(data, "forms").images) == images
    assert len(images) == 1 + min(depth, 7)  # the page's and one per form, seven forms deep


def test_unchecked_calls_return_what_the_declared_bindings_return(mixed_pdf: bytes) -> None:
    from pipeline.checks.reader import _unchecked

    document = pdfium.PdfDocument(mixed_pdf)
    textpage = document[0].get_textpage()
    handle = textpage.raw
    unicode = _unchecked(raw.FPDFText_GetUnicode, ctypes.c_uint)
    size = _unchecked(raw.FPDFText_GetFontSize, ctypes.c_double)
    count = raw.FPDFText_CountChars(handle)
    assert [unicode(handle, i) for i in range(count)] == [raw.FPDFText_GetUnicode(handle, i) for i in range(count)]
    assert [size(handle, i) for i in range(count)] == [raw.FPDFText_GetFontSize(handle, i) for i in range(count)]
    assert raw.FPDFText_GetFontSize.argtypes and not size.argtypes
