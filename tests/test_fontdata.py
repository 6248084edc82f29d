"""WeasyPrint's PDF fonts copy their face's whole file only when they embed it whole (``engine.fontdata``):
the PDFs are the same bytes, and a page whose faces are all subset copies no face's file."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint
import weasyprint.pdf.fonts as pdf_fonts

from pipeline.engine.fontdata import font_data_on_demand

PAGE = ("<html lang='zh-Hans'><head><style>@page { size: A6 } h1 { font-family: 'Noto Sans CJK SC' } "
        "body { font-family: 'Noto Serif CJK SC' } p.latin { font-family: 'DejaVu Sans' }</style></head>"
        "<body><h1>洪洞县新建高标准农田</h1><p>全县小麦机收率达到九成</p><p class='latin'>Hongtong</p></body></html>")

WHOLE_FACE = 1_000_000
"""Bytes beyond which a blob is a whole face's file: the subsets of a few glyphs are far smaller."""


def _write(html: str) -> bytes:
    """A fresh document's PDF (a document keeps the fonts its first PDF made)."""
    return bytes(weasyprint.HTML(string=html).render().write_pdf())


def _copied(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the blobs WeasyPrint's PDF fonts copy out of HarfBuzz from now on."""
    sizes: list[int] = []
    original = pdf_fonts.get_hb_object_data

    def copying(*args: Any, **kwargs: Any) -> Any:
        data = original(*args, **kwargs)
        sizes.append(len(data) if isinstance(data, bytes) else 0)
        return data

    monkeypatch.setattr(pdf_fonts, "get_hb_object_data", copying)
    return sizes


def test_subset_faces_copy_no_whole_file_and_the_pdf_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = _copied(monkeypatch)
    as_before = _write(PAGE)
    assert sum(size > WHOLE_FACE for size in sizes) >= 2  # without the block: each CJK face's whole file
    sizes.clear()
    with font_data_on_demand():
        assert _write(PAGE) == as_before
    assert sizes and not any(size > WHOLE_FACE for size in sizes)
    assert _write(PAGE) == as_before  # after the block, as before it


def test_a_face_embedded_whole_reads_its_file_when_written(monkeypatch: pytest.MonkeyPatch) -> None:
    latin = ("<html><head><style>@page { size: A7 } body { font-family: 'DejaVu Sans' }</style></head>"
             "<body><p>Hongtong</p></body></html>")
    monkeypatch.setattr(pdf_fonts.Font, "subset", lambda font, to_unicode, hinting: None)  # embedded whole
    as_before = _write(latin)
    assert len(as_before) > 200_000  # the whole DejaVu Sans is in it
    with font_data_on_demand():
        assert _write(latin) == as_before


def test_blocks_nest_and_restore_weasyprint() -> None:
    original_data, original_init = pdf_fonts.get_hb_object_data, pdf_fonts.Font.__init__
    with font_data_on_demand():
        patched = pdf_fonts.get_hb_object_data
        assert patched is not original_data
        with font_data_on_demand():
            assert pdf_fonts.get_hb_object_data is patched
        assert pdf_fonts.get_hb_object_data is patched
    assert (pdf_fonts.get_hb_object_data, pdf_fonts.Font.__init__) == (original_data, original_init)


def test_the_builds_pdf_writer_copies_no_whole_face(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    import io

    import pikepdf

    from pipeline.engine.render import render_document, write_pdf

    document, _, _ = render_document(PAGE, tmp_path, [])
    sizes = _copied(monkeypatch)
    data = write_pdf(document)
    # Its compact subsets read the faces' tables in place (engine.compactfonts): no blob is copied at all.
    assert not any(size > WHOLE_FACE for size in sizes)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        programs = [len((obj.get("/FontFile3") or obj.get("/FontFile2")).read_bytes()) for obj in pdf.objects
                    if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"]
    assert len(programs) == 3 and max(programs) < WHOLE_FACE  # serif, sans and DejaVu, each embedded


def test_every_guarded_font_internal_exists_with_its_signature() -> None:
    from pipeline.engine import fontdata

    fontdata.check_weasyprint()
    assert len(fontdata.SIGNATURES) == 2


def test_refuses_a_weasyprint_whose_font_internals_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.engine import fontdata
    from pipeline.engine.justify import UnsupportedWeasyPrint

    def changed_init(self: Any, pango_font: Any, description: Any, font_size: Any, variations: Any = None) -> None:
        pass

    original = pdf_fonts.Font.__init__
    monkeypatch.setattr(pdf_fonts.Font, "__init__", changed_init)
    with pytest.raises(UnsupportedWeasyPrint) as caught, font_data_on_demand():
        pass
    message = str(caught.value)
    assert "weasyprint.pdf.fonts.Font.__init__ (self, pango_font, description, font_size, variations=None)" in message
    assert "Font.__init__ no longer calls get_hb_object_data" in message
    assert pdf_fonts.Font.__init__ is changed_init and fontdata._STATE["entries"] == 0  # nothing was patched
    monkeypatch.setattr(pdf_fonts.Font, "__init__", original)
