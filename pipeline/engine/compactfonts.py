"""Embed each face as a compact program of the glyphs a page prints, not a font of 65 535 slots.

WeasyPrint subsets each face with HarfBuzz keeping every glyph id (``RETAIN_GIDS``), so the
codes its text shows stay the glyph ids of the original font.  For a CJK face that keeps
some 63 000 empty slots with their metrics: a Noto Serif CJK subset of four glyphs is 460 KB
before compression, the sample page embedded 4.5 MB of font programs an edition, and
subsetting and compressing them were half of writing the PDF.

Within ``compact_cid_fonts()`` (``engine.subsets`` makes the programs):

- a face whose ``CFF `` table is CID-keyed with every glyph's CID equal to its glyph id (Noto
  CJK and most CJK OpenType faces) is embedded as the bare CFF program of its glyphs
  (``/FontFile3`` ``/Subtype /CIDFontType0C``): a viewer finds a CIDFontType0C glyph by its CID
  through the program's charset;
- a TrueType face (the kai faces) is embedded as a TrueType program of its glyphs and their
  components, and its CID fonts get a ``/CIDToGIDMap`` from each original glyph id to the
  program's glyph.

Either way the codes the page shows, its ``/W`` widths and its ``ToUnicode`` map are
WeasyPrint's.  A name-keyed CFF, a variable, colour or bitmap font and a face with glyphs
missing are left to WeasyPrint.

The patch replaces ``Font.subset`` and ``Font.type`` of ``weasyprint.pdf.fonts`` and the
``build_fonts_dictionary`` that ``weasyprint.pdf`` calls, while at least one block is open in
the process (``engine.scoped``, as ``engine.justify`` is); it
acts only for the threads inside a block, so a document another thread writes meanwhile comes
out as stock WeasyPrint writes it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from .scoped import ScopedPatch

__all__ = ["check_weasyprint", "compact_cid_fonts"]

_STATE: dict[str, Any] = {"entries": 0}
"""``entries``: open blocks in the process (``_PATCH``); ``originals`` while > 0."""

_COMPACT = "_broadsheet_compact"
"""In a ``Font``'s ``__dict__``: ``"cff"`` or ``"truetype"`` when its ``file_content`` is a compact program."""
_KEPT = "_broadsheet_kept"
"""In a ``Font``'s ``__dict__``: the original glyph ids of a compact TrueType program's glyphs, in order."""

SIGNATURES = {
    "weasyprint.pdf.fonts.Font.subset": "(self, to_unicode, hinting)",
    "weasyprint.pdf.fonts.build_fonts_dictionary": "(pdf, fonts, compress, subset, options)",
    "weasyprint.pdf.generate_pdf": "(document, target, zoom, **options)",
}
"""The private WeasyPrint names the patch replaces or relies on, with the signatures it was written
against; ``weasyprint.pdf`` must still call ``build_fonts_dictionary`` by that module global name,
and ``Font.type`` be a property choosing ``/FontFile3`` (``'otf'``) or ``/FontFile2``."""


def check_weasyprint() -> None:
    """Refuse a WeasyPrint whose font-embedding internals differ from those the patch knows.

    Raises ``UnsupportedWeasyPrint`` naming every name to re-check (the version range is
    ``engine.justify``'s, checked by every render's justification block).
    """
    import weasyprint
    import weasyprint.pdf as pdf
    import weasyprint.pdf.fonts as pdf_fonts

    from .justify import UnsupportedWeasyPrint, changed_internals

    changed = changed_internals(SIGNATURES, (("weasyprint.pdf.generate_pdf", "build_fonts_dictionary"),
                                             ("weasyprint.pdf.fonts.Font.clean", "subset")))
    if not isinstance(pdf_fonts.Font.__dict__.get("type"), property):
        changed.append("weasyprint.pdf.fonts.Font.type is no longer a property")
    if getattr(pdf, "build_fonts_dictionary", None) is not getattr(pdf_fonts, "build_fonts_dictionary", None):
        changed.append("weasyprint.pdf no longer imports build_fonts_dictionary from weasyprint.pdf.fonts")
    if changed:
        raise UnsupportedWeasyPrint(
            f"compact CJK fonts: WeasyPrint {weasyprint.__version__} changed internals the patch "
            f"relies on: {'; '.join(changed)}",
            hint="re-check pipeline/engine/compactfonts.py against weasyprint/pdf/fonts.py, "
                 "then update compactfonts.SIGNATURES",
        )


def _compact(font: Any, to_unicode: dict[int, str], hinting: bool) -> bool:
    """Subset ``font`` to a compact program in place; False (and nothing changed) where it cannot be one."""
    if (not to_unicode or font.bitmap or font.missing or font.png or font.svg or font.colr
            or "fvar" in font.tables):
        return False
    kind = "cff" if "CFF " in font.tables else "truetype" if "glyf" in font.tables else None
    if kind is None:
        return False
    from weasyprint.text.ffi import ffi, harfbuzz

    from .subsets import compact_subset

    made = compact_subset(kind, ffi, harfbuzz, font.hb_face, to_unicode, hinting)
    if made is None:
        return False
    font.file_content, kept = made
    if kept is not None:
        font.__dict__[_KEPT] = kept
    font.__dict__[_COMPACT] = kind
    return True


def _install() -> None:
    """Replace WeasyPrint's functions (``_PATCH``: its lock held, no block open)."""
    import weasyprint.pdf as pdf
    import weasyprint.pdf.fonts as pdf_fonts

    check_weasyprint()
    font_class = pdf_fonts.Font
    original_subset = font_class.subset
    original_type: property = font_class.__dict__["type"]
    original_dictionary = pdf.build_fonts_dictionary

    def subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        # A document's fonts outlive its PDF: what an earlier write made of this one does not hold now.
        font.__dict__.pop(_COMPACT, None)
        font.__dict__.pop(_KEPT, None)
        if not (_PATCH.active() and _compact(font, to_unicode, hinting)):
            original_subset(font, to_unicode, hinting)

    def font_type(font: Any) -> str:
        return "otf" if font.__dict__.get(_COMPACT) == "cff" else str(original_type.fget(font))  # type: ignore[misc]

    def fonts_dictionary(document_pdf: Any, fonts: Any, compress: bool, do_subset: bool, options: Any) -> Any:
        first = len(document_pdf.objects)
        result = original_dictionary(document_pdf, fonts, compress, do_subset, options)
        compacted = {id(font.file_content): font for font in fonts.values() if font.__dict__.get(_COMPACT)}
        if compacted:
            _label_programs(document_pdf, first, compacted, compress)
        return result

    _STATE["originals"] = (original_subset, original_type, original_dictionary)
    font_class.subset = subset  # type: ignore[method-assign]
    font_class.type = property(font_type)  # type: ignore[assignment,method-assign]
    pdf.build_fonts_dictionary = fonts_dictionary


def _label_programs(document_pdf: Any, first: int, compacted: dict[int, Any], compress: bool) -> None:
    """Label the compact programs among the objects WeasyPrint added from ``first`` on: a bare CFF as
    ``/CIDFontType0C`` (WeasyPrint labels every CFF program ``/OpenType``), and give the CID fonts
    of a compact TrueType program the ``/CIDToGIDMap`` from original glyph ids to its glyphs."""
    import pydyf

    from .subsets import cid_to_gid_map

    added = document_pdf.objects[first:]
    truetype: dict[str, Any] = {}
    for made in added:
        if isinstance(made, pydyf.Stream) and made.stream and (font := compacted.get(id(made.stream[0]))):
            if font.__dict__[_COMPACT] == "cff":
                made.extra["Subtype"] = "/CIDFontType0C"
            else:
                truetype[made.reference] = font
    if not truetype:
        return
    descriptors: dict[str, Any] = {}
    for made in added:
        if isinstance(made, pydyf.Dictionary) and made.get("Type") == "/FontDescriptor":
            if (font := truetype.get(made.get("FontFile2"))) is not None:
                descriptors[made.reference] = font
    maps: dict[int, Any] = {}
    for made in added:
        if (isinstance(made, pydyf.Dictionary) and made.get("Subtype") == "/CIDFontType2"
                and (font := descriptors.get(made.get("FontDescriptor"))) is not None):
            if id(font) not in maps:
                maps[id(font)] = pydyf.Stream([cid_to_gid_map(font.__dict__[_KEPT])], compress=compress)
                document_pdf.add_object(maps[id(font)])
            made["CIDToGIDMap"] = maps[id(font)].reference


def _uninstall() -> None:
    import weasyprint.pdf as pdf
    import weasyprint.pdf.fonts as pdf_fonts

    original_subset, original_type, original_dictionary = _STATE.pop("originals")
    pdf_fonts.Font.subset = original_subset  # type: ignore[method-assign]
    pdf_fonts.Font.type = original_type  # type: ignore[assignment,method-assign]
    pdf.build_fonts_dictionary = original_dictionary


_PATCH = ScopedPatch(_install, _uninstall, _STATE)


def compact_cid_fonts() -> AbstractContextManager[None]:
    """Within the block, the PDFs this thread writes embed each face as a compact program of its glyphs."""
    return _PATCH.block()
