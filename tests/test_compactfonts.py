"""A build's PDFs embed each face as a compact program of the glyphs printed (``engine.compactfonts``): a
CID-keyed CJK CFF as a bare CFF, a TrueType face with a ``/CIDToGIDMap``.  Every code the page
shows draws the same outline and extracts the same text as in stock WeasyPrint's PDF, the
programs are a fraction of the size, other documents are stock, an issue still shares one
program per face (``engine.fontshare``), and the glyph check sees a code the program lacks."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import weasyprint
import weasyprint.pdf as weasy_pdf
import weasyprint.pdf.fonts as pdf_fonts
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from pipeline.engine import compactfonts
from pipeline.engine.cff import CffError, _identity_charset, cff_facts, sfnt_table
from pipeline.engine.compactfonts import compact_cid_fonts
from pipeline.engine.pdf import merge_pdfs
from pipeline.engine.render import write_pdf

PAGE = ("<html lang='zh-Hans'><head><style>@page {{ size: A6 }} h1 {{ font-family: 'Noto Sans CJK SC' }} "
        "body {{ font-family: 'Noto Serif CJK SC' }} p.kai {{ font-family: 'LXGW WenKai' }}</style></head>"
        "<body><h1>{0}</h1><p>{1}，“增长4.7%”。</p><p class='kai'>楷体：{0}</p></body></html>")
TEXTS = [("洪洞县新建高标准农田", "全县小麦机收率达到九成"), ("城乡公交实现村村通", "群众出行方便了许多"),
         ("县首家院士工作站落户", "聚焦新材料联合攻关")]


def _stock(html: str) -> bytes:
    return bytes(weasyprint.HTML(string=html).render().write_pdf())


def _ours(html: str) -> bytes:
    return write_pdf(weasyprint.HTML(string=html).render())


def _faces(data: bytes) -> dict[str, tuple[str, str, bytes, Any, bytes | None]]:
    """Each CID font's family: (its program key, the program's /Subtype, the program, its /W, its
    /CIDToGIDMap stream or None for /Identity)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = {}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/FontDescriptor" in obj:
                descriptor = obj.FontDescriptor
                key = "/FontFile3" if "/FontFile3" in descriptor else "/FontFile2"
                family = str(descriptor.FontName).split("+")[-1]
                cid_font = obj.DescendantFonts[0] if "/DescendantFonts" in obj else obj
                mapped = cid_font.get("/CIDToGIDMap")
                found[family] = (key, str(descriptor[key].get("/Subtype", "")), descriptor[key].read_bytes(),
                                 [int(x) if not isinstance(x, pikepdf.Array) else [float(w) for w in x]
                                  for x in obj.W],
                                 mapped.read_bytes() if isinstance(mapped, pikepdf.Stream) else None)
        return found


def _codes(widths: list[Any]) -> list[int]:
    codes, position = [], 0
    while position < len(widths):
        first, run = widths[position], widths[position + 1]
        codes.extend(range(first, first + len(run)))
        position += 2
    return codes


def _outlines_by_code(program: bytes, subtype: str, codes: list[int],
                      mapped: bytes | None = None) -> dict[int, list[Any]]:
    """What each code draws: a bare CFF looks it up by CID (its charset), another program by glyph id,
    through ``/CIDToGIDMap`` when there is one."""
    if subtype == "/CIDFontType0C":
        fonts = CFFFontSet()
        fonts.decompile(io.BytesIO(program), None)
        top = fonts[fonts.fontNames[0]]
        by_name, names = top.CharStrings, {f"cid{code:05d}" for code in codes}
        assert names <= set(top.charset), "a code the page shows has no glyph with that CID"
        glyph = {code: by_name[f"cid{code:05d}"] for code in codes}
    else:
        font = TTFont(io.BytesIO(program))
        order = font.getGlyphOrder()
        gid = {code: int.from_bytes(mapped[2 * code:2 * code + 2], "big") if mapped else code for code in codes}
        assert all(gid[code] for code in codes if code), "a code the page shows maps to .notdef"
        glyph = {code: font.getGlyphSet()[order[gid[code]]] for code in codes}
    drawn = {}
    for code, charstring in glyph.items():
        pen = RecordingPen()
        charstring.draw(pen)
        drawn[code] = pen.value
    return drawn


def test_each_code_draws_the_same_outline_and_text_as_stock_weasyprint() -> None:
    import pypdfium2 as pdfium

    html = PAGE.format(*TEXTS[0])
    stock, ours = _stock(html), _ours(html)
    stock_faces, our_faces = _faces(stock), _faces(ours)
    assert stock_faces.keys() == our_faces.keys() and len(our_faces) == 3
    for family, (key, subtype, program, widths, mapped) in our_faces.items():
        stock_key, stock_subtype, stock_program, stock_widths, stock_mapped = stock_faces[family]
        assert widths == stock_widths and stock_mapped is None  # the codes and their widths are WeasyPrint's
        codes = _codes(widths)
        assert (_outlines_by_code(program, subtype, codes, mapped)
                == _outlines_by_code(stock_program, stock_subtype, codes))
        if "WenKai" in family:  # TrueType outlines: a program of the glyphs printed, mapped from their ids
            assert (key, subtype, stock_key) == ("/FontFile2", "", "/FontFile2") and mapped is not None
        else:
            assert (key, subtype, mapped) == ("/FontFile3", "/CIDFontType0C", None)
        assert len(program) * 10 < len(stock_program)
    assert len(ours) * 2 < len(stock)
    texts = [pdfium.PdfDocument(data)[0].get_textpage().get_text_range() for data in (stock, ours)]
    assert texts[0] == texts[1] and "洪洞县新建高标准农田" in texts[0]


def test_the_pdf_is_the_same_bytes_every_time() -> None:
    html = PAGE.format(*TEXTS[1])
    assert _ours(html) == _ours(html)


def test_outside_the_block_and_in_other_threads_weasyprint_is_stock() -> None:
    html = PAGE.format(*TEXTS[2])
    originals = (pdf_fonts.Font.subset, pdf_fonts.Font.__dict__["type"], weasy_pdf.build_fonts_dictionary)
    other: list[bytes] = []
    with compact_cid_fonts():
        with compact_cid_fonts():
            patched = pdf_fonts.Font.subset
        assert pdf_fonts.Font.subset is patched is not originals[0]
        thread = threading.Thread(target=lambda: other.append(_stock(html)))
        thread.start()
        thread.join()
    assert (pdf_fonts.Font.subset, pdf_fonts.Font.__dict__["type"], weasy_pdf.build_fonts_dictionary) == originals
    assert other[0] == _stock(html)
    assert all(subtype != "/CIDFontType0C" and mapped is None for _, subtype, _, _, mapped in _faces(other[0]).values())


def test_an_issue_still_shares_one_program_per_face(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    paths = []
    for number, texts in enumerate(TEXTS):
        paths.append(tmp_path / f"{number}.pdf")
        paths[-1].write_bytes(_ours(PAGE.format(*texts)))
    merged = merge_pdfs(paths)
    with pikepdf.open(io.BytesIO(merged)) as pdf:
        programs, maps = {}, set()
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                stream = obj.get("/FontFile3") or obj.get("/FontFile2")
                programs[stream.objgen] = str(stream.get("/Subtype"))
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType2":
                maps.add(obj.CIDToGIDMap.objgen)
    assert sorted(programs.values()) == ["/CIDFontType0C", "/CIDFontType0C", "None"]  # serif, sans; the kai face
    assert len(maps) == 1  # the kai face's pages share its program's map
    merged_pages = pdfium.PdfDocument(merged)
    for number, path in enumerate(paths):
        alone = pdfium.PdfDocument(str(path))[0]
        assert merged_pages[number].get_textpage().get_text_range() == alone.get_textpage().get_text_range()
        # Every glyph draws as on its own page (CIDs and their maps kept their meaning).
        from PIL import ImageChops

        picture = merged_pages[number].render(scale=1).to_pil().convert("L")
        assert ImageChops.difference(picture, alone.render(scale=1).to_pil().convert("L")).getbbox() is None


def test_refuses_a_weasyprint_whose_font_embedding_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.engine.justify import UnsupportedWeasyPrint

    compactfonts.check_weasyprint()

    def changed_subset(self: Any, to_unicode: Any, hinting: Any, extra: Any = None) -> None:
        pass

    monkeypatch.setattr(pdf_fonts.Font, "subset", changed_subset)
    with pytest.raises(UnsupportedWeasyPrint) as caught, compact_cid_fonts():
        pass
    assert "weasyprint.pdf.fonts.Font.subset (self, to_unicode, hinting, extra=None)" in str(caught.value)
    assert pdf_fonts.Font.subset is changed_subset and compactfonts._STATE["entries"] == 0


# ----------------------------------------------------------------------------- the CFF reader


def _noto_cff() -> bytes:
    from pipeline.engine.fonts import font_face

    path, index = font_face("Noto Serif CJK SC")
    font = TTFont(path, fontNumber=index, lazy=True)
    return bytes(font.reader["CFF "])


def test_reads_noto_cjk_as_cid_keyed_with_glyph_ids_for_cids() -> None:
    facts = cff_facts(_noto_cff())
    assert facts.cid_keyed and facts.identity and facts.glyphs == 65535
    assert facts.name.startswith("NotoSerifCJK")


def _finished(builder: Any, glyphs: list[str], family: str) -> bytes:
    """The font a fontTools ``FontBuilder`` holds, with the tables every face has (each glyph 500 units wide)."""
    builder.setupHorizontalMetrics({name: (500, 0) for name in glyphs})
    builder.setupHorizontalHeader()
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    data = io.BytesIO()
    builder.save(data)
    return data.getvalue()


def test_a_name_keyed_cff_is_not_cid_keyed() -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({65: "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 0))
    pen.lineTo((250, 700))
    pen.closePath()
    builder.setupCFF("TestSans", {}, {".notdef": pen.getCharString(), "A": pen.getCharString()}, {})
    program = sfnt_table(_finished(builder, [".notdef", "A"], "TestSans"), b"CFF ")
    assert program is not None
    facts = cff_facts(program)
    assert (facts.cid_keyed, facts.identity, facts.glyphs, facts.name) == (False, False, 2, "TestSans")


@pytest.mark.parametrize(("charset", "glyphs", "identity"), [
    (bytes([0, 0, 1, 0, 2, 0, 3]), 4, True),           # format 0: CIDs 1, 2, 3
    (bytes([0, 0, 1, 0, 3, 0, 2]), 4, False),
    (bytes([1, 0, 1, 2]), 4, True),                    # format 1: one range 1..3
    (bytes([1, 0, 1, 0, 0, 2, 1]), 4, True),           # 1, then 2..3
    (bytes([1, 0, 1, 0, 0, 3, 0]), 3, False),          # 1, then 3: glyph 2 is CID 3
    (bytes([2, 0, 1, 0xFF, 0xFD]), 65535, True),       # format 2: Noto's single range
    (bytes([2, 0, 2, 0, 5]), 7, False),                # glyph 1 is CID 2
])
def test_charset_identity(charset: bytes, glyphs: int, identity: bool) -> None:
    assert _identity_charset(memoryview(charset), 0, glyphs) is identity


def test_a_truncated_program_is_an_error_not_a_guess() -> None:
    program = _noto_cff()
    for cut in (3, 40, 2000):
        with pytest.raises(CffError):
            cff_facts(program[:cut])
    with pytest.raises(CffError):
        cff_facts(b"OTTO" + program[4:100])


def test_preflight_sees_a_code_whose_cid_the_program_lacks(tmp_path: Path) -> None:
    from pipeline.checks.report import check_fonts
    from pipeline.engine.fonts import font_face
    from pipeline.engine.subsets import subset_font

    html = PAGE.format(*TEXTS[0])
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(_ours(html))
    assert check_fonts(whole).notdefs == ()
    path = font_face("Noto Serif CJK SC")
    with pikepdf.open(whole) as pdf:
        for obj in pdf.objects:
            if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/FontDescriptor" in obj
                    and "Serif" in str(obj.FontDescriptor.FontName)):
                descriptor, widths = obj.FontDescriptor, _codes([int(x) if not isinstance(x, pikepdf.Array)
                                                                  else list(x) for x in obj.W])
                dropped = next(code for code in widths if code)  # the first glyph the serif face printed
                program = subset_font(path[0], path[1], [c for c in widths if c != dropped], compact="cff")
                assert program is not None
                stream = pikepdf.Stream(pdf, program)
                stream.Subtype = pikepdf.Name.CIDFontType0C
                descriptor.FontFile3 = pdf.make_indirect(stream)
        pdf.save(tmp_path / "short.pdf")
    notdefs = check_fonts(tmp_path / "short.pdf").notdefs
    assert notdefs and {n.font for n in notdefs} == {"Noto Serif CJK SC"}


def test_a_composite_truetype_glyph_keeps_its_components_and_the_map_finds_it() -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    from pipeline.engine.subsets import cid_to_gid_map, compact_truetype

    def box(width: int) -> Any:
        pen = TTGlyphPen(None)
        pen.moveTo((0, 0))
        pen.lineTo((width, 0))
        pen.lineTo((width, 700))
        pen.closePath()
        return pen.glyph()

    order = [".notdef", "a", "b", "acute", "aacute"]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({0x61: "a", 0x62: "b", 0xE1: "aacute"})
    composite = TTGlyphPen({"a": None, "acute": None})
    composite.addComponent("a", (1, 0, 0, 1, 0, 0))
    composite.addComponent("acute", (1, 0, 0, 1, 100, 600))
    builder.setupGlyf({".notdef": box(500), "a": box(400), "b": box(450), "acute": box(200),
                       "aacute": composite.glyph()})
    font = _finished(builder, order, "TestComposite")
    tables = {tag: memoryview(table) for tag in (b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name")
              if (table := sfnt_table(font, tag)) is not None}
    made = compact_truetype(tables, [4])  # aacute alone
    assert made is not None
    program, kept = made
    assert kept == [0, 1, 3, 4]  # .notdef, a, acute, aacute: b (2) is dropped
    mapped = cid_to_gid_map(kept)
    assert [int.from_bytes(mapped[2 * c:2 * c + 2], "big") for c in range(5)] == [0, 1, 0, 2, 3]
    original, compact = TTFont(io.BytesIO(font)), TTFont(io.BytesIO(program))

    def drawn(ttfont: TTFont, gid: int) -> Any:
        from fontTools.pens.recordingPen import DecomposingRecordingPen

        glyphs = ttfont.getGlyphSet()
        pen = DecomposingRecordingPen(glyphs)
        glyphs[ttfont.getGlyphOrder()[gid]].draw(pen)
        return pen.value

    assert drawn(compact, 3) == drawn(original, 4)


def test_a_document_written_again_outside_the_block_is_stock_and_inside_is_compact_again() -> None:
    document = weasyprint.HTML(string=PAGE.format(*TEXTS[1])).render()
    first = write_pdf(document)
    again_stock = bytes(document.write_pdf())
    again = write_pdf(document)
    assert again == first
    assert all(subtype != "/CIDFontType0C" and mapped is None
               for _, subtype, _, _, mapped in _faces(again_stock).values())
    assert {subtype for _, subtype, _, _, _ in _faces(first).values()} == {"/CIDFontType0C", ""}
