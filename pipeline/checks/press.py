"""Check what a print shop checks in a PDF: the PDF/X conformance it claims, its output intent, boxes and colours.

:func:`inspect_press` walks the document pikepdf opened once for preflight
(:func:`pipeline.checks.reader.open_objects`) and reports:

- the PDF/X version the file claims (XMP ``pdfxid:GTS_PDFXVersion``, else the Info dictionary's
  ``/GTS_PDFXVersion``), and whether it says if it is trapped (``/Trapped``);
- its output intents: subtype, condition and whether the printer profile is embedded;
- every page's trim box and its bleed (the ``BleedBox`` beyond the ``TrimBox``, in mm);
- for a PDF/X file, colour set in DeviceRGB (``rg``/``RG``, ``/DeviceRGB`` colour spaces and
  images), which a CMYK output intent does not allow.

A file that claims PDF/X and has no embedded ``/GTS_PDFX`` output profile, a page without a trim
box, no trapping key or DeviceRGB colour fails the check.  Fonts are the font check's
(:func:`pipeline.checks.report.inspect_fonts`: every font embedded and subset).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

POINTS_PER_MM = 72 / 25.4
_PDFX_VERSION = re.compile(rb"<pdfxid:GTS_PDFXVersion>([^<]*)</pdfxid:GTS_PDFXVersion>"
                           rb"|pdfxid:GTS_PDFXVersion=\"([^\"]*)\"")
_TRAPPED = re.compile(rb"<pdf:Trapped>([^<]*)</pdf:Trapped>|pdf:Trapped=\"([^\"]*)\"")
_RGB_OPERATOR = re.compile(rb"(?<![A-Za-z])(rg|RG)(?![A-Za-z])")
_RGB_SPACE = re.compile(rb"/DeviceRGB\b")


@dataclass(frozen=True, slots=True)
class OutputIntent:
    """One entry of the catalog's ``/OutputIntents``."""

    subtype: str
    condition: str
    profile_components: int | None
    """The embedded profile's colour components (4 for CMYK), or None when none is embedded."""

    def to_dict(self) -> dict[str, Any]:
        return {"subtype": self.subtype, "condition": self.condition, "profile_components": self.profile_components}


@dataclass(frozen=True, slots=True)
class PressReport:
    """What a print shop checks in one PDF."""

    pdf: str
    pdfx: str | None = None
    """The PDF/X version the file claims (``PDF/X-4``), or None."""
    trapped: str | None = None
    intents: tuple[OutputIntent, ...] = ()
    pages_without_trim: tuple[int, ...] = ()
    bleed_mm: float = 0.0
    """The smallest bleed of any page, in mm (0 when there is none)."""
    rgb_uses: tuple[str, ...] = field(default_factory=tuple)
    """Where a PDF/X file sets colour in DeviceRGB (``page 1``, ``page 1 /x0``, ``image /Im0``)."""

    def problems(self) -> list[str]:
        """What fails the check for a file that claims PDF/X (nothing for other files)."""
        if self.pdfx is None:
            return []
        found = []
        if not any(intent.subtype == "/GTS_PDFX" and intent.profile_components for intent in self.intents):
            found.append(f"{self.pdf}: print: claims {self.pdfx} but has no /GTS_PDFX output intent with an "
                         "embedded printer profile")
        if self.pages_without_trim:
            found.append(f"{self.pdf}: print: page(s) {', '.join(map(str, self.pages_without_trim))} have no "
                         "TrimBox (PDF/X needs the trimmed size)")
        if self.trapped not in ("True", "False"):
            found.append(f"{self.pdf}: print: claims {self.pdfx} but does not say whether it is trapped (/Trapped)")
        if self.rgb_uses:
            shown = ", ".join(self.rgb_uses[:5]) + (" …" if len(self.rgb_uses) > 5 else "")
            found.append(f"{self.pdf}: print: DeviceRGB colour in a {self.pdfx} file with a CMYK output intent "
                         f"({shown})")
        return found

    def summary(self) -> str:
        """One line for ``broadsheet check``."""
        claims = f"claims {self.pdfx}" if self.pdfx else "claims no PDF/X conformance"
        intents = "; ".join(f"output intent {intent.condition or '(unnamed)'}"
                            + (f" ({intent.profile_components}-component profile embedded)"
                               if intent.profile_components else " (no profile embedded)")
                            for intent in self.intents) or "no output intent"
        trim = "every page has a TrimBox" if not self.pages_without_trim else \
            f"{len(self.pages_without_trim)} page(s) without a TrimBox"
        rgb = f", {len(self.rgb_uses)} DeviceRGB use(s)" if self.pdfx else ""
        return f"print: {claims}; {intents}; {trim}; bleed {self.bleed_mm:.1f} mm{rgb}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pdfx": self.pdfx, "trapped": self.trapped, "output_intents": [i.to_dict() for i in self.intents],
            "pages_without_trim": list(self.pages_without_trim), "bleed_mm": round(self.bleed_mm, 2),
            "rgb_uses": list(self.rgb_uses), "problems": self.problems(),
        }


def inspect_press(document: Any, name: str) -> PressReport:
    """The print shop's figures of a document pikepdf opened."""
    import pikepdf

    root = document.Root
    xmp = b""
    metadata = root.get("/Metadata")
    if isinstance(metadata, pikepdf.Stream):
        try:
            xmp = metadata.read_bytes()
        except pikepdf.PdfError:
            xmp = b""
    info = document.trailer.get("/Info")
    info = info if isinstance(info, pikepdf.Dictionary) else {}
    pdfx = _first(_PDFX_VERSION, xmp) or _text(info.get("/GTS_PDFXVersion"))
    trapped = _text(info.get("/Trapped")) or _first(_TRAPPED, xmp)
    intents = tuple(_intent(item) for item in root.get("/OutputIntents", pikepdf.Array())
                    if isinstance(item, pikepdf.Dictionary))
    without_trim = []
    bleeds = []
    for number, page in enumerate(document.pages, start=1):
        trim = page.obj.get("/TrimBox")
        if not isinstance(trim, pikepdf.Array):
            without_trim.append(number)
            continue
        bleed = page.obj.get("/BleedBox", trim)
        t, b = [float(v) for v in trim], [float(v) for v in bleed]
        bleeds.append(max(0.0, min(t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3])) / POINTS_PER_MM)
    rgb = tuple(_rgb_uses(document)) if pdfx else ()
    return PressReport(name, pdfx, trapped, intents, tuple(without_trim), min(bleeds, default=0.0), rgb)


def _first(pattern: re.Pattern[bytes], data: bytes) -> str | None:
    match = pattern.search(data)
    if match is None:
        return None
    return (match[1] or match[2] or b"").decode("utf-8", "replace").strip() or None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).removeprefix("/").strip()
    return text or None


def _intent(item: Any) -> OutputIntent:
    import pikepdf

    profile = item.get("/DestOutputProfile")
    components = int(profile.get("/N", 0)) or None if isinstance(profile, pikepdf.Stream) else None
    return OutputIntent(str(item.get("/S", "")), _text(item.get("/OutputConditionIdentifier")) or "", components)


def _rgb_uses(document: Any) -> Iterator[str]:
    """Where colour is set in DeviceRGB: page content, form XObjects, images, colour-space resources."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(document.pages, start=1):
        try:
            content = page.obj.get("/Contents")
            streams = list(content) if isinstance(content, pikepdf.Array) else [content] if content else []
            data = b"".join(stream.read_bytes() for stream in streams)
        except pikepdf.PdfError:
            continue
        if _RGB_OPERATOR.search(data) or _RGB_SPACE.search(data):
            yield f"page {number}"
        yield from _resource_rgb(page.obj.get("/Resources"), f"page {number}", seen)


def _resource_rgb(resources: Any, where: str, seen: set[tuple[int, int]]) -> Iterator[str]:
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary):
        return
    for space_name, space in resources.get("/ColorSpace", pikepdf.Dictionary()).items():
        if str(space) == "/DeviceRGB" or (isinstance(space, pikepdf.Array) and len(space) and
                                          str(space[-1]) == "/DeviceRGB"):
            yield f"{where} colour space {space_name}"
    for name, xobject in resources.get("/XObject", pikepdf.Dictionary()).items():
        if not isinstance(xobject, pikepdf.Stream):
            continue
        key = xobject.objgen
        if key in seen:
            continue
        seen.add(key)
        if xobject.get("/Subtype") == "/Image":
            if str(xobject.get("/ColorSpace", "")) == "/DeviceRGB":
                yield f"{where} image {name}"
        elif xobject.get("/Subtype") == "/Form":
            try:
                data = xobject.read_bytes()
            except pikepdf.PdfError:
                continue
            if _RGB_OPERATOR.search(data) or _RGB_SPACE.search(data):
                yield f"{where} {name}"
            yield from _resource_rgb(xobject.get("/Resources"), f"{where} {name}", seen)
