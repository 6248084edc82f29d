"""Turn finished PDFs into other PDFs and pictures: an edition's pages merged into one issue, PNG previews.

Both are deterministic: the same PDFs give the same bytes, with no clock and no
random document ID (qpdf derives the ID from the content).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

PREVIEW_DPI = 60
"""Resolution of the PNG previews: enough to judge a page's layout, small enough to browse."""


def preview_pngs(pdf: bytes, dpi: int = PREVIEW_DPI) -> list[bytes]:
    """Each page of a PDF as PNG bytes (PDFium renders, Pillow encodes; same PDF, same bytes)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    pngs = []
    try:
        for page in document:
            # 32 shades keep the red masthead and cut a page to a quarter of its RGB size.
            image = page.render(scale=dpi / 72).to_pil().quantize(colors=32, dither=0)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            pngs.append(buffer.getvalue())
            page.close()
    finally:
        document.close()
    return pngs


def merge_pdfs(paths: Sequence[Path], cache: Path | None = None) -> bytes:
    """Concatenate PDFs page by page, with their bookmarks; the first PDF's metadata and language.

    Each face is embedded once, for all pages (``fontshare.share_fonts``), not once per page.
    The same inputs give the same bytes: qpdf writes no clock, and the document ID
    is a hash of the content (``deterministic_id``), not a random number.  ``cache`` is a folder
    where the font subsets made for sharing are remembered (``fontshare.FontMemo``); the bytes
    are the same with it or without.
    """
    import pikepdf

    from .fontshare import FontMemo, share_fonts

    merged = pikepdf.new()
    with ExitStack() as stack:
        sources = [stack.enter_context(pikepdf.open(path)) for path in paths]
        bookmarks: list[Any] = []
        for source in sources:
            offset = len(merged.pages)
            merged.pages.extend(source.pages)
            with source.open_outline() as outline:
                bookmarks.extend(_copy_bookmark(item, offset, merged) for item in outline.root)
        if sources:
            first = sources[0]
            for key, value in first.docinfo.items():
                if isinstance(value, pikepdf.String):
                    merged.docinfo[key] = value
            lang = first.Root.get("/Lang")
            if isinstance(lang, pikepdf.String):
                merged.Root.Lang = lang
        if bookmarks:
            with merged.open_outline() as outline:
                outline.root.extend(bookmarks)
        share_fonts(merged, FontMemo(cache))
        buffer = io.BytesIO()
        # Object streams, as WeasyPrint writes the pages: the dictionaries of every page's fonts compress.
        merged.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _copy_bookmark(item: Any, offset: int, merged: Any) -> Any:
    """A bookmark of a source PDF pointing at the same place among the merged pages."""
    import pikepdf

    destination = item.destination
    copied = pikepdf.OutlineItem(item.title)
    if isinstance(destination, pikepdf.Array) and len(destination) >= 2 and isinstance(destination[0],
                                                                                          pikepdf.Dictionary):
        index = offset + pikepdf.Page(destination[0]).index
        copied.destination = pikepdf.Array([merged.pages[index].obj, *list(destination)[1:]])
    copied.children.extend(_copy_bookmark(child, offset, merged) for child in item.children)
    return copied
