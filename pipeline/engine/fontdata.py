"""Let WeasyPrint's PDF fonts copy their face's whole file only when they embed it whole.

``weasyprint.pdf.fonts.Font`` copies the whole blob of its face into ``file_content`` when it
is made (a Noto CJK collection: some 20 MB, 13 ms of CPU and more under load, for each of a
page's five or so faces), and writing the PDF then replaces it by the face's subset: the copy
is read only for a face that is not subset (a font used in forms, no glyph to keep, HarfBuzz
failing) or not cleaned (the second font of one file).  Within ``font_data_on_demand()`` the
copy is made when ``file_content`` is first read, from the same HarfBuzz face, so every PDF
holds the same bytes and the subset faces copy nothing.

The patch swaps WeasyPrint's module global ``get_hb_object_data`` and ``Font.__init__`` only
while a block is open (nested and threaded blocks count their entries, as ``engine.justify``
does).  ``Font.file_content`` becomes a property the first time: it stores what is assigned
and returns it, so fonts made outside a block behave as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["font_data_on_demand"]

_LOCK = threading.Lock()
_LOCAL = threading.local()
_STATE: dict[str, Any] = {"entries": 0}
"""``entries``: open blocks in the process; the originals while > 0."""


class _Unread:
    """``file_content`` of a font made in a block, before anything read or replaced it."""


_UNREAD = _Unread()
_SLOT = "_broadsheet_file_content"


def _install_property(font_class: type) -> None:
    """Make ``Font.file_content`` a property that copies the face's blob on its first read (once per process)."""
    import weasyprint.text.fonts as text_fonts  # where WeasyPrint defines get_hb_object_data

    if isinstance(font_class.__dict__.get("file_content"), property):
        return

    def read(font: Any) -> Any:
        content = font.__dict__.get(_SLOT, _UNREAD)
        if content is _UNREAD:
            content = text_fonts.get_hb_object_data(font.hb_face)
            font.__dict__[_SLOT] = content
        return content

    def write(font: Any, content: Any) -> None:
        font.__dict__[_SLOT] = content

    font_class.file_content = property(read, write)  # type: ignore[attr-defined]


SIGNATURES = {
    "weasyprint.pdf.fonts.Font.__init__": "(self, pango_font, description, font_size)",
    "weasyprint.text.fonts.get_hb_object_data": "(hb_object, ot_color=None, glyph=None)",
}
"""The private WeasyPrint names the patch replaces or calls, with the signatures it was written against
(``weasyprint.pdf.fonts`` imports ``get_hb_object_data`` as a module global: it must still hold it)."""


def check_weasyprint() -> None:
    """Refuse a WeasyPrint whose font internals differ from those the patch knows (the version range
    is ``engine.justify``'s, checked by every render's justification block).

    Raises ``UnsupportedWeasyPrint`` naming every name to re-check, the signature expected and the
    one found, or ``Font.__init__`` no longer copying its face through ``get_hb_object_data``.
    """
    import weasyprint
    import weasyprint.pdf.fonts as pdf_fonts

    from .justify import UnsupportedWeasyPrint, changed_internals

    changed = changed_internals(SIGNATURES, (("weasyprint.pdf.fonts.Font.__init__", "get_hb_object_data"),))
    if not hasattr(pdf_fonts, "get_hb_object_data"):
        changed.append("weasyprint.pdf.fonts no longer imports get_hb_object_data")
    if changed:
        raise UnsupportedWeasyPrint(
            f"font data on demand: WeasyPrint {weasyprint.__version__} changed internals the patch "
            f"relies on: {'; '.join(changed)}",
            hint="re-check pipeline/engine/fontdata.py against weasyprint/pdf/fonts.py (Font), "
                 "then update fontdata.SIGNATURES",
        )


@contextmanager
def font_data_on_demand() -> Iterator[None]:
    """Within the block, a ``Font`` WeasyPrint makes reads its face's whole file only if it is used."""
    import weasyprint.pdf.fonts as pdf_fonts

    with _LOCK:
        if _STATE["entries"] == 0:
            check_weasyprint()
            original_data, original_init = pdf_fonts.get_hb_object_data, pdf_fonts.Font.__init__
            _STATE["originals"] = original_data, original_init
            _install_property(pdf_fonts.Font)

            def object_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
                if ot_color is None and glyph is None and getattr(_LOCAL, "making", False):
                    return _UNREAD  # Font.__init__'s copy of the whole face: made when first read
                return original_data(hb_object, ot_color, glyph)

            def make_font(font: Any, *args: Any, **kwargs: Any) -> None:
                _LOCAL.making = True
                try:
                    original_init(font, *args, **kwargs)
                finally:
                    _LOCAL.making = False

            pdf_fonts.get_hb_object_data = object_data
            pdf_fonts.Font.__init__ = make_font  # type: ignore[method-assign]
        _STATE["entries"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["entries"] -= 1
            if _STATE["entries"] == 0:
                pdf_fonts.get_hb_object_data, pdf_fonts.Font.__init__ = _STATE.pop("originals")
