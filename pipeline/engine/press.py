"""Make a page's PDF what a print shop asks for: bleed and marks, and PDF/X-4 in CMYK, reproducibly.

The page box is WeasyPrint's: ``press_css`` adds the CSS ``bleed`` and ``marks`` of the paper to
the page's ``@page`` and, for PDF/X-4, names the CMYK output profile (``@color-profile
device-cmyk``, which WeasyPrint embeds as the output intent) and sets the page's inks as
``device-cmyk()`` (the custom properties of ``styles/page.css``).  ``finish_pdf`` then corrects,
with pikepdf, what WeasyPrint leaves wrong for print:

- the ``BleedBox`` is the ``TrimBox`` grown by the paper's bleed (WeasyPrint caps it at 10 pt and
  counts the room it gives the marks as bleed);
- in PDF/X, the black of WeasyPrint's crop marks and crosses is CMYK black, not DeviceRGB;
- the XMP ``xmpMM:DocumentID`` that WeasyPrint's PDF/X stamps from ``uuid4()`` is derived from
  the sha256 of the file written with a zero ID, and the file ID is qpdf's hash of the content
  (``deterministic_id``): the same inputs give the same bytes in any folder, on any run.

Printer's marks sit outside the bleed: the sheet (``MediaBox``) grows by ``2 × (bleed +
MARK_GAP_MM)`` on every side, so WeasyPrint's marks, drawn over the outer half of that room, end
``MARK_GAP_MM`` clear of the bleed.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from pathlib import Path
from typing import Any

from ..model import Paper

SYSTEM_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
"""The CMYK printer profile used when the publication names none: Ghostscript's (Artifex, SWOP), in
the Debian package ``libgs-common``.  A newspaper plant's own profile (ISO newsprint, IFRA26) is
better: ``pdf.output_profile``."""

PROFILE_PACKAGE = "libgs-common"

MARK_GAP_MM = 2.0
"""Millimetres between the bleed's edge and the inner end of a crop mark."""

POINTS_PER_MM = 72 / 25.4

INKS_CMYK = {
    "--ink": "device-cmyk(0 0 0 0.93)",
    "--ink-grey": "device-cmyk(0 0 0 0.67)",
    "--masthead-red": "device-cmyk(0 1 0.93 0.3)",
    "--flag-red": "device-cmyk(0 0.79 0.83 0.3)",
    "--paper-white": "device-cmyk(0 0 0 0)",
}
"""The page's colours (``styles/page.css``'s custom properties) as process inks, for PDF/X."""

ZERO_ID = "xmp.did:00000000-0000-0000-0000-000000000000"
_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-fA-F-]{36}")
_RGB_BLACK = re.compile(rb"(?<![\d.\-])0 0 0 (rg|RG)(?![A-Za-z])")


class ProfileError(Exception):
    """An output profile that cannot serve as PDF/X's output intent."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def is_pdfx(variant: str | None) -> bool:
    """Whether a PDF variant is a PDF/X one.

    >>> is_pdfx("pdf/x-4"), is_pdfx("pdf/a-3b"), is_pdfx(None)
    (True, False, False)
    """
    return bool(variant) and str(variant).startswith("pdf/x")


def read_output_profile(path: Path) -> str:
    """The description of a CMYK printer profile; ProfileError if the file is not one."""
    from PIL import ImageCms

    try:
        profile = ImageCms.getOpenProfile(str(path)).profile
    except (OSError, ImageCms.PyCMSError):
        raise ProfileError("not an ICC profile", "give a CMYK printer profile (.icc)") from None
    if profile.xcolor_space.strip() != "CMYK" or profile.device_class != "prtr":
        raise ProfileError(f"not a CMYK printer profile (colour space {profile.xcolor_space.strip()}, "
                           f"class {profile.device_class})", "PDF/X's output intent is the press's CMYK profile")
    return str(profile.model or profile.profile_description or path.name)


def output_profile(configured: Path | None) -> Path:
    """The output profile to embed: the publication's, else the system's; ProfileError when there is none."""
    if configured is not None:
        return configured
    if not SYSTEM_PROFILE.is_file():
        raise ProfileError("pdf/x-4 needs a CMYK output profile and none is installed",
                           f"apt-get install {PROFILE_PACKAGE}, or set pdf.output_profile to the press's .icc")
    return SYSTEM_PROFILE


def needs_finishing(paper: Paper, variant: str | None) -> bool:
    """Whether ``finish_pdf`` changes anything: a bleed, marks or PDF/X."""
    return paper.bleed_mm > 0 or paper.marks != "none" or is_pdfx(variant)


def media_bleed_mm(paper: Paper) -> float:
    """The CSS ``bleed`` of the page: the paper's bleed, plus the marks' room when there are marks.

    >>> media_bleed_mm(Paper(bleed_mm=3.0)), media_bleed_mm(Paper(bleed_mm=3.0, marks="crop"))
    (3.0, 10.0)
    """
    if paper.marks == "none":
        return paper.bleed_mm
    return 2 * (paper.bleed_mm + MARK_GAP_MM)


def press_css(paper: Paper, variant: str | None, profile: Path | None = None) -> str:
    """The CSS a print shop's settings add to the page (empty when there are none).

    >>> press_css(Paper(bleed_mm=3.0, marks="crop"), None)
    '@page { bleed: 10mm; marks: crop; }\\n'
    """
    css = ""
    if paper.bleed_mm > 0 or paper.marks != "none":
        css += f"@page {{ bleed: {media_bleed_mm(paper):g}mm; marks: {paper.marks}; }}\n"
    if is_pdfx(variant) and profile is not None:
        css += (f"@color-profile device-cmyk {{ src: url({_css_url(profile)}); "
                "components: cyan, magenta, yellow, black; }\n")
        css += ":root { " + " ".join(f"{name}: {value};" for name, value in INKS_CMYK.items()) + " }\n"
    return css


def _css_url(path: Path) -> str:
    return '"' + path.resolve().as_uri().replace('"', "%22") + '"'


def finish_pdf(pdf: bytes, paper: Paper, variant: str | None) -> bytes:
    """The PDF with its bleed box, CMYK marks and content-derived document ID (unchanged if none applies)."""
    if not needs_finishing(paper, variant):
        return pdf
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        _set_bleed_boxes(document, paper.bleed_mm * POINTS_PER_MM)
        if is_pdfx(variant):
            _cmyk_black_marks(document)
        _derive_document_id(document)
        return _save(document)


def finish_issue(issue: bytes, first_page: Path, variant: str | None) -> bytes:
    """The combined issue of a PDF/X build as PDF/X too: the first page's output intent, XMP and trapping key.

    Merging keeps the pages (with their boxes) but not the catalog's output intent or the XMP
    that claims the conformance; the issue's document ID is derived from its own content.
    Other variants' issues are returned unchanged.
    """
    if not is_pdfx(variant):
        return issue
    import pikepdf

    with pikepdf.open(io.BytesIO(issue)) as document, pikepdf.open(first_page) as first:
        intents = first.Root.get("/OutputIntents")
        metadata = first.Root.get("/Metadata")
        if intents is None or not isinstance(metadata, pikepdf.Stream):
            return issue
        document.Root.OutputIntents = document.copy_foreign(first.make_indirect(intents))  # a direct array
        document.Root.Metadata = pikepdf.Stream(document, metadata.read_bytes(), Type=pikepdf.Name.Metadata,
                                                Subtype=pikepdf.Name.XML)
        if "/Trapped" in first.docinfo:
            document.docinfo.Trapped = first.docinfo.Trapped
        _derive_document_id(document)
        return _save(document)


def _derive_document_id(document: Any) -> None:
    """Replace the XMP document ID by one derived from the file's content (written with a zero ID first)."""
    import pikepdf

    # qpdf keeps the first half of an existing file ID (WeasyPrint's hash of its random one): drop it.
    if "/ID" in document.trailer:
        del document.trailer.ID
    metadata: Any = document.Root.get("/Metadata")
    xmp = metadata.read_bytes() if isinstance(metadata, pikepdf.Stream) else b""
    if not _DOCUMENT_ID.search(xmp):
        return
    metadata.write(_DOCUMENT_ID.sub(ZERO_ID.encode(), xmp))
    digest = hashlib.sha256(_save(document)).digest()
    derived = f"xmp.did:{uuid.UUID(bytes=digest[:16], version=4)}"
    metadata.write(_DOCUMENT_ID.sub(derived.encode(), xmp))


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer, deterministic_id=True, fix_metadata_version=False)  # the XMP as written
    return buffer.getvalue()


def _set_bleed_boxes(document: Any, bleed_pt: float) -> None:
    """Each page's BleedBox: its TrimBox grown by the bleed, inside its MediaBox."""
    import pikepdf

    for page in document.pages:
        trim = [float(v) for v in page.obj.get("/TrimBox", page.MediaBox)]
        media = [float(v) for v in page.MediaBox]
        box = [max(media[0], trim[0] - bleed_pt), max(media[1], trim[1] - bleed_pt),
               min(media[2], trim[2] + bleed_pt), min(media[3], trim[3] + bleed_pt)]
        page.obj.BleedBox = pikepdf.Array([round(value, 4) for value in box])


def _cmyk_black_marks(document: Any) -> None:
    """WeasyPrint draws its marks as an SVG form in DeviceRGB black: make that CMYK black (PDF/X)."""
    import pikepdf

    for page in document.pages:
        forms = page.obj.get("/Resources", {}).get("/XObject", {})
        for name in list(forms.keys()):
            form = forms[name]
            if not isinstance(form, pikepdf.Stream) or form.get("/Subtype") != "/Form":
                continue
            data = form.read_bytes()
            changed = _RGB_BLACK.sub(lambda match: b"0 0 0 1 k" if match[1] == b"rg" else b"0 0 0 1 K", data)
            if changed != data:
                form.write(changed)
