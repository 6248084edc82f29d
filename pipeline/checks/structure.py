"""Check a PDF's structure as ``qpdf --check`` does: cross-reference table, objects, streams, page contents.

qpdf (through pikepdf) opens the file, repairing what it can; the check then
walks the document structures, decodes every stream and parses every page's
content.  Anything qpdf had to repair or could not read is a finding: an
artifact Broadsheet wrote has none.  The check never raises for a bad file —
what goes wrong becomes a finding of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pikepdf

_STREAM_NAME = re.compile(r"stream <[^>]*>:? ?")
"""How qpdf names a PDF given to it as bytes: dropped, the report names the file."""

_OFFSET = re.compile(r"offset \d+")

MAX_FINDINGS = 20
"""Findings kept per PDF (a badly broken file has one per object)."""


@dataclass(frozen=True, slots=True)
class StructureReport:
    """What qpdf found wrong with a PDF's structure (nothing, for a sound file)."""

    pdf: str
    version: str
    objects: int
    pages: int
    findings: tuple[str, ...] = ()
    """qpdf's warnings and errors, one line each (``WARNING: …``, ``ERROR: …``)."""

    @property
    def ok(self) -> bool:
        return not self.findings

    def problems(self) -> list[str]:
        return [f"{self.pdf}: structure: {finding}" for finding in self.findings]

    def summary(self) -> str:
        if self.ok:
            return f"structure: qpdf check passed (PDF {self.version}, {self.objects} objects)"
        return f"structure: {len(self.findings)} qpdf finding(s) (PDF {self.version}, {self.objects} objects)"

    def to_dict(self) -> dict[str, Any]:
        return {"pdf": self.pdf, "version": self.version, "objects": self.objects, "pages": self.pages,
                "ok": self.ok, "findings": list(self.findings)}


def inspect_structure(document: pikepdf.Pdf, name: str = "<bytes>", pages: int | None = None) -> StructureReport:
    """Run qpdf's check on a document pikepdf opened; ``pages`` is the page count another reader saw.

    A page count that differs from qpdf's (pdfium and qpdf disagree on the page tree) is a
    finding too.
    """
    findings: list[str] = []
    try:
        findings.extend(document.check_pdf_syntax())
    except (pikepdf.PdfError, RuntimeError, ValueError) as error:
        findings.extend("WARNING: " + warning for warning in document.get_warnings())
        findings.append(f"ERROR: {error}")
    try:
        count = len(document.pages)
    except (pikepdf.PdfError, RuntimeError) as error:
        count = 0
        findings.append(f"ERROR: the page tree is not readable ({error})")
    if pages is not None and pages != count:
        findings.append(f"ERROR: qpdf finds {count} page(s), pdfium {pages}")
    return StructureReport(name, str(document.pdf_version), len(document.objects), count, _summarise(findings))


def _summarise(findings: list[str]) -> tuple[str, ...]:
    """qpdf's findings, one line each: the same finding at other offsets counted, not repeated.

    >>> _summarise(["WARNING: stream 4 0 (offset 12): too deep", "WARNING: stream 4 0 (offset 99): too deep"])
    ('WARNING: stream 4 0 (offset 12): too deep (and 1 more like it)',)
    """
    kept: dict[str, tuple[str, int]] = {}
    for finding in findings:
        line = " ".join(_STREAM_NAME.sub("", finding).split())
        key = _OFFSET.sub("offset", line)
        first, times = kept.get(key, (line, 0))
        kept[key] = (first, times + 1)
    lines = [first + (f" (and {times - 1} more like it)" if times > 1 else "") for first, times in kept.values()]
    if len(lines) > MAX_FINDINGS:
        lines = [*lines[:MAX_FINDINGS], f"… and {len(lines) - MAX_FINDINGS} more"]
    return tuple(lines)
