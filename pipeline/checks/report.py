"""Check a finished PDF: every counted character of the page is in its text, every glyph is real.

Two checks, each returning a report with ``ok``, ``problems()`` (one line each,
for humans) and ``to_dict()`` (for ``--json``):

* :func:`compare_text` takes the text of every page (pdfium's, from
  :func:`~pipeline.checks.reader.read_text_layer`) and compares its multiset of
  Han characters, letters and digits (``model.counted_chars``) with the page's;
  anything missing is named with its context in the page.  Extra text
  (masthead, folios, jump lines) is listed but is not a problem.
* :func:`inspect_fonts` walks the font dictionaries and content streams of the
  document pikepdf opened: every font must be embedded and subset (``ABCDEF+``
  name prefix), of one of the edition's faces, and no text may be drawn with
  glyph 0 (``.notdef``, the empty box).  WeasyPrint maps a character no font has
  to glyph 0 but keeps the character in the text layer, so the text check alone
  cannot see tofu.

:func:`check_text` and :func:`check_fonts` run one check on a PDF file; a
preflight runs both from one reading of the file (``pipeline.checks.run_checks``).
"""

from __future__ import annotations

import array
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from ..editions import Edition
from ..model import counted_chars
from .reader import load_pdf, open_objects, read_text_layer

__all__ = ["FontReport", "FontUse", "MissingChar", "Notdef", "TextReport", "check_fonts",
           "check_text", "compare_text", "edition_faces", "extract_pages", "extract_text", "inspect_fonts"]

PathLike = str | os.PathLike[str]

CONTEXT_CHARS = 8
"""Characters shown on each side of a missing character."""

MAX_CONTEXTS = 3
"""Places shown for each missing character."""

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


# ----------------------------------------------------------------------------- text


@dataclass(frozen=True, slots=True)
class MissingChar:
    """A counted character the page has more often than the PDF's text."""

    char: str
    missing: int
    contexts: tuple[str, ...] = ()

    def describe(self) -> str:
        where = "; ".join(f"“{c}”" for c in self.contexts)
        times = f"{self.missing} time" + ("s" if self.missing != 1 else "")
        text = f"{self.char!s} (U+{ord(self.char):04X}) missing {times}"
        return f"{text}, in {where}" if where else text


@dataclass(frozen=True, slots=True)
class TextReport:
    """What the text layer of a PDF holds against what the page should hold."""

    pdf: str
    pages: int
    expected: int
    found: int
    missing: tuple[MissingChar, ...] = ()
    extra: tuple[tuple[str, int], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def lost(self) -> int:
        """How many counted characters are missing in all."""
        return sum(m.missing for m in self.missing)

    def problems(self) -> list[str]:
        return [f"{self.pdf}: {m.describe()}" for m in self.missing]

    def summary(self) -> str:
        return (f"{self.pdf}: {self.pages} page(s), {self.expected} characters expected, "
                f"{self.lost} lost, {sum(n for _, n in self.extra)} extra")

    def to_dict(self) -> dict[str, Any]:
        return {
            "pdf": self.pdf,
            "pages": self.pages,
            "expected": self.expected,
            "found": self.found,
            "lost": self.lost,
            "missing": [{"char": m.char, "missing": m.missing, "contexts": list(m.contexts)}
                        for m in self.missing],
            "extra": dict(self.extra),
        }


def extract_pages(pdf_path: PathLike) -> list[str]:
    """The text of each page of a PDF, in pdfium's reading order; SourceError if unreadable."""
    data, name = load_pdf(pdf_path)
    return list(read_text_layer(data, name, glyphs=False).texts)


def extract_text(pdf_path: PathLike) -> str:
    """The text of a whole PDF, pages separated by form feeds (as ``pdftotext`` does)."""
    return "\f".join(extract_pages(pdf_path))


def check_text(pdf_path: PathLike, expected: Counter[str], context: Sequence[str] = ()) -> TextReport:
    """Compare the counted characters of a PDF's text with ``expected``.

    ``expected`` is usually ``model.page_chars(page)`` of the edition's page;
    ``context`` is the page's texts (``page.texts()``), used only to show where
    each missing character stands.
    """
    return compare_text(extract_pages(pdf_path), expected, context, os.fspath(pdf_path))


def compare_text(pages: Sequence[str], expected: Counter[str], context: Sequence[str] = (),
                 name: str = "<bytes>") -> TextReport:
    """Compare the counted characters of the pages' texts with ``expected`` (see :func:`check_text`)."""
    found: Counter[str] = Counter()
    for text in pages:
        found.update(counted_chars(text))
    missing = expected - found
    extra = found - expected
    report_missing = tuple(
        MissingChar(char, count, _contexts(char, context))
        for char, count in sorted(missing.items(), key=lambda item: (-item[1], item[0]))
    )
    return TextReport(
        pdf=name,
        pages=len(pages),
        expected=sum(expected.values()),
        found=sum(found.values()),
        missing=report_missing,
        extra=tuple(sorted(extra.items(), key=lambda item: (-item[1], item[0]))),
    )


def _contexts(char: str, texts: Sequence[str]) -> tuple[str, ...]:
    """Up to MAX_CONTEXTS snippets of ``texts`` around ``char`` (or a form NFKC folds to it)."""
    found: list[str] = []
    for text in texts:
        for index, candidate in enumerate(text):
            if candidate != char and (candidate.isascii()
                                      or unicodedata.normalize("NFKC", candidate) != char):
                continue
            left = max(0, index - CONTEXT_CHARS)
            right = index + CONTEXT_CHARS + 1
            snippet = text[left:right].replace("\n", " ")
            found.append(("…" if left else "") + snippet + ("…" if right < len(text) else ""))
            if len(found) >= MAX_CONTEXTS:
                return tuple(found)
    return tuple(found)


# ----------------------------------------------------------------------------- fonts


@dataclass(frozen=True, slots=True)
class FontUse:
    """One font of a PDF, as the font dictionary describes it."""

    name: str
    """The PostScript name without the subset prefix, e.g. ``Noto-Serif-CJK-SC-Bold``."""
    family: str
    """The family from the font descriptor (or the name), e.g. ``Noto Serif CJK SC``."""
    kind: str
    """The font subtype: ``Type0``, ``TrueType``, ``Type1``, ``Type3`` …"""
    embedded: bool
    subset: bool
    pages: tuple[int, ...]
    """1-based pages on which the font draws text."""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "family": self.family, "kind": self.kind,
                "embedded": self.embedded, "subset": self.subset, "pages": list(self.pages)}


@dataclass(frozen=True, slots=True)
class Notdef:
    """Text drawn with the ``.notdef`` glyph: a box instead of a character."""

    page: int
    font: str
    text: str
    """What the text layer says was meant (empty if the PDF does not say)."""

    def describe(self) -> str:
        shown = " ".join(f"“{c}” (U+{ord(c):04X})" for c in self.text) or "an unknown character"
        return f"page {self.page}: .notdef glyph (an empty box) in {self.font} for {shown}"


@dataclass(frozen=True, slots=True)
class FontReport:
    """The fonts of a PDF and what is wrong with them."""

    pdf: str
    fonts: tuple[FontUse, ...]
    notdefs: tuple[Notdef, ...] = ()
    families: tuple[str, ...] | None = None
    unchecked: tuple[str, ...] = field(default=())
    """Fonts whose glyphs could not be checked (an encoding this module cannot read)."""
    errors: tuple[str, ...] = field(default=())
    """Pages whose content could not be read (``page N: …``): their glyphs are not checked."""

    def foreign(self) -> tuple[FontUse, ...]:
        """Fonts that are not one of the expected faces."""
        if self.families is None:
            return ()
        return tuple(f for f in self.fonts if not _is_family(f, self.families))

    @property
    def ok(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        out: list[str] = []
        for font in self.fonts:
            if not font.embedded:
                out.append(f"{self.pdf}: font {font.name} is not embedded")
            elif not font.subset and font.kind != "Type3":
                out.append(f"{self.pdf}: font {font.name} is embedded whole, not as a subset")
        for font in self.foreign():
            wanted = ", ".join(self.families or ())
            out.append(f"{self.pdf}: face {font.family} (pages {_pages(font.pages)}) is not one of "
                       f"the edition's: {wanted}")
        out.extend(f"{self.pdf}: {n.describe()}" for n in self.notdefs)
        out.extend(f"{self.pdf}: {error}" for error in self.errors)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "pdf": self.pdf,
            "fonts": [f.to_dict() for f in self.fonts],
            "notdef": [{"page": n.page, "font": n.font, "text": n.text} for n in self.notdefs],
            "foreign": [f.family for f in self.foreign()],
            "unchecked": list(self.unchecked),
            "errors": list(self.errors),
            "problems": self.problems(),
        }


def edition_faces(edition: Edition) -> tuple[str, ...]:
    """The faces an edition may use: its serif, sans and kai (pass to :func:`check_fonts`)."""
    return (edition.serif, edition.sans, edition.kai)


def check_fonts(pdf_path: PathLike, families: Sequence[str] | None = None) -> FontReport:
    """Check that every font is embedded, subset, of ``families`` and draws no ``.notdef``.

    ``families`` are the edition's faces (e.g. its serif, sans and kai); ``None``
    skips the face check.  Styles of a family (``… Bold``) count as the family.
    """
    data, name = load_pdf(pdf_path)
    with open_objects(data, name) as document:
        return inspect_fonts(document, families, name)


def inspect_fonts(document: pikepdf.Pdf, families: Sequence[str] | None = None,
                  name: str = "<bytes>") -> FontReport:
    """The font check of :func:`check_fonts` on a document pikepdf has opened.

    A content stream qpdf cannot parse is a problem of the report (its page's
    glyphs are not checked), never an exception.
    """
    fonts: dict[Any, _Font] = {}
    notdefs: list[Notdef] = []
    errors: list[str] = []
    for number, page in enumerate(document.pages, start=1):
        try:
            for font, operand in _text_runs(page, number, fonts, errors):
                font.pages.add(number)
                notdefs.extend(Notdef(number, font.family, font.to_unicode.get(code, ""))
                               for code in font.notdef_codes(operand))
        except (pikepdf.PdfError, ValueError, TypeError, IndexError, KeyError) as error:
            reason = " ".join(str(error).split())[:200] or type(error).__name__
            errors.append(f"page {number}: content not readable, its glyphs not checked ({reason})")
    uses = tuple(sorted((f.use() for f in fonts.values()), key=lambda u: (u.family, u.name)))
    unchecked = tuple(sorted({f.family for f in fonts.values() if f.cid_of is None}))
    return FontReport(name, uses, tuple(_merge(notdefs)),
                      tuple(families) if families is not None else None, unchecked, tuple(errors))


MAX_FORM_DEPTH = 16
"""Form XObjects nested deeper than this are not followed (and the report says so)."""

_TEXT_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})
_PARSED = "Tf Tj TJ ' \" Do"
"""The only operators the glyph check asks qpdf for: fonts, text and forms."""


def _name(value: Any, default: str) -> str:
    return str(value).lstrip("/") if isinstance(value, pikepdf.Name) else default


def _stream_bytes(value: Any) -> bytes | None:
    return value.read_bytes() if isinstance(value, pikepdf.Stream) else None


class _Font:
    """What the glyph check needs to know about one font dictionary."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.kind = _name(font.get("/Subtype"), "Unknown")
        base = _name(font.get("/BaseFont"), "(unnamed)")
        self.subset = bool(_SUBSET_PREFIX.match(base))
        self.name = _SUBSET_PREFIX.sub("", base)
        described = font
        if self.kind == "Type0":
            descendants = font.get("/DescendantFonts")
            first = descendants[0] if isinstance(descendants, pikepdf.Array) and len(descendants) else None
            described = first if isinstance(first, pikepdf.Dictionary) else pikepdf.Dictionary()
        descriptor = described.get("/FontDescriptor")
        if not isinstance(descriptor, pikepdf.Dictionary):
            descriptor = pikepdf.Dictionary()
        self.embedded = self.kind == "Type3" or any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        family = descriptor.get("/FontFamily")
        self.family = (str(family) if isinstance(family, pikepdf.String) else "") or self.name
        self.pages: set[int] = set()
        self.two_byte = self.kind == "Type0"
        self.cid_of: dict[int, int] | None = None
        self.identity = False
        self.gid_of: bytes | None = None
        self.cids: frozenset[int] | None = None
        """The CIDs a bare CFF program (``/CIDFontType0C``) has glyphs for: any other CID draws .notdef."""
        self._drawn: frozenset[int] | None = None
        program = descriptor.get("/FontFile3")
        if isinstance(program, pikepdf.Stream) and program.get("/Subtype") == "/CIDFontType0C":
            from ..engine.cff import CffError, cff_cids

            try:
                self.cids = cff_cids(program.read_bytes())
            except (CffError, pikepdf.PdfError):
                self.cids = frozenset()  # a program that does not read draws nothing but .notdef
        to_unicode = _stream_bytes(font.get("/ToUnicode"))
        self.to_unicode = _parse_to_unicode(to_unicode) if to_unicode is not None else {}
        if self.kind == "Type0":
            encoding = font.get("/Encoding")
            if isinstance(encoding, pikepdf.Name) and str(encoding) in ("/Identity-H", "/Identity-V"):
                self.identity = True
                self.cid_of = {}
            elif (cmap := _stream_bytes(encoding)) is not None:
                self.cid_of = _parse_cid_map(cmap)
            self.gid_of = _stream_bytes(described.get("/CIDToGIDMap"))

    def is_notdef(self, code: int) -> bool:
        """Whether ``code`` draws CID/glyph 0, which is ``.notdef`` in every CID font."""
        if self.cid_of is None or not self.two_byte:
            return False
        cid = code if self.identity else self.cid_of.get(code, 0)
        if cid == 0:
            return True
        if self.cids is not None:
            return cid not in self.cids
        if self.gid_of is not None:
            pair = self.gid_of[2 * cid:2 * cid + 2]
            return len(pair) < 2 or pair == b"\x00\x00"
        return False

    def notdef_codes(self, operand: Any) -> list[int]:
        """The codes that draw ``.notdef`` in a text operator's operand (a string, or a TJ array)."""
        if self.cid_of is None or not self.two_byte:
            return []
        if self.identity and self.gid_of is None and self.cids is None:
            # CID = code = glyph (WeasyPrint's fonts): only a code of two zero bytes is .notdef.
            if not _may_hold_zero_pair(operand):
                return []
            return [0 for data in _strings(operand) if b"\0\0" in data for at in range(0, len(data) - 1, 2)
                    if data[at] == 0 and data[at + 1] == 0]
        if self.identity:
            # CID = code: a set of the CIDs that draw (from the program's charset or the map) is asked
            # once per string, in C; only a string that holds another code is read code by code.
            # A TJ array holds one string a glyph: its strings are read as one when none is odd.
            drawn = self._drawn_cids()
            strings = _strings(operand)
            codes: Sequence[int]
            if len(strings) > 1 and any(len(data) % 2 for data in strings):
                codes = [code for data in strings for code in _two_byte_codes(data)]
            else:
                codes = _two_byte_codes(b"".join(strings))
            if drawn.issuperset(codes):
                return []
            return [code for code in codes if code not in drawn]
        return [code for data in _strings(operand) for code in self.codes(data) if self.is_notdef(code)]

    def _drawn_cids(self) -> frozenset[int]:
        """The CIDs that draw a glyph (never 0): the bare CFF's charset, or the map's non-zero entries."""
        if self._drawn is None:
            if self.cids is not None:
                self._drawn = self.cids - {0}
            else:
                assert self.gid_of is not None
                glyphs = _two_byte_codes(self.gid_of)
                self._drawn = frozenset(cid for cid, glyph in enumerate(glyphs) if glyph and cid)
        return self._drawn

    def codes(self, data: bytes) -> list[int]:
        if self.two_byte:
            return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)

    def use(self) -> FontUse:
        return FontUse(self.name, self.family, self.kind, self.embedded, self.subset,
                       tuple(sorted(self.pages)))


def _text_runs(page: pikepdf.Page, number: int, cache: dict[Any, _Font],
               errors: list[str]) -> Iterator[tuple[_Font, Any]]:
    """Yield (font, operand) for each text-showing operator of a page and the forms it draws.

    Forms are followed from a work list (no recursion, so no depth a PDF can overflow),
    each once, up to MAX_FORM_DEPTH levels.
    """
    resources = page.obj.get("/Resources")
    work: list[tuple[Any, Any, Any, int]] = [(page, resources, ("page", number), 0)]
    seen: set[tuple[int, int]] = set()
    too_deep = False
    while work:
        content, resources, scope, depth = work.pop()
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        current: _Font | None = None
        for instruction in pikepdf.parse_content_stream(content, _PARSED):
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue  # an inline image: no text
            operands, op = instruction.operands, str(instruction.operator)
            if op == "Tf" and isinstance(fonts, pikepdf.Dictionary) and operands:
                font = fonts.get(str(operands[0]))
                current = None
                if isinstance(font, pikepdf.Dictionary):
                    key = font.objgen if font.is_indirect else (scope, str(operands[0]))
                    current = cache.get(key)
                    if current is None:
                        current = cache[key] = _Font(font)
            elif op in _TEXT_OPERATORS and current is not None and operands:
                yield current, operands[0] if op == "TJ" else operands[-1]
            elif op == "Do" and isinstance(xobjects, pikepdf.Dictionary) and operands:
                xobject = xobjects.get(str(operands[0]))
                if not (isinstance(xobject, pikepdf.Stream) and str(xobject.get("/Subtype")) == "/Form"):
                    continue
                if xobject.objgen in seen:
                    continue
                if depth >= MAX_FORM_DEPTH:
                    too_deep = True
                    continue
                seen.add(xobject.objgen)
                inner = xobject.get("/Resources")
                work.append((xobject, inner if isinstance(inner, pikepdf.Dictionary) else resources,
                             xobject.objgen, depth + 1))
    if too_deep:
        errors.append(f"page {number}: forms nested deeper than {MAX_FORM_DEPTH} levels, their glyphs not checked")


_UNPARSED_STRING = re.compile(rb"<([0-9A-Fa-f]*)>|\(((?:[^\\()]|\\.)*)\)", re.S)
"""A string as qpdf unparses it: hex, or literal with every parenthesis and backslash escaped."""

_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.S)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\r\n": b"", b"\n": b"", b"\r": b""}


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    return _ESCAPED.get(code, code)


def _two_byte_codes(data: bytes) -> array.array:
    """The big-endian two-byte codes of ``data`` (an odd last byte is no code).

    >>> list(_two_byte_codes(b"\\x12\\x34\\x00\\x01\\xff"))
    [4660, 1]
    """
    codes = array.array("H", data[:len(data) & ~1])
    if sys.byteorder == "little":
        codes.byteswap()
    return codes


def _strings(operand: Any) -> list[bytes]:
    """The strings of a text operator's operand: one string, or a TJ array of strings and kerns.

    A TJ array (thousands of items on a long line) is unparsed by qpdf in one call and its
    strings read from that text, rather than wrapped item by item in Python objects.

    >>> import pikepdf
    >>> _strings(pikepdf.Array([pikepdf.String(b"\\x00A"), -20, pikepdf.String(b"(\\\\)\\n\\xff")]))
    [b'\\x00A', b'(\\\\)\\n\\xff']
    """
    if isinstance(operand, pikepdf.String):
        return [bytes(operand)]
    if not isinstance(operand, pikepdf.Array):
        return []
    found = []
    for hexdigits, literal in _UNPARSED_STRING.findall(operand.unparse()):
        if hexdigits or not literal:
            found.append(bytes.fromhex((hexdigits + b"0" * (len(hexdigits) % 2)).decode()))
        else:
            found.append(_ESCAPE.sub(_unescape, literal) if b"\\" in literal else literal)
    return found


def _may_hold_zero_pair(operand: Any) -> bool:
    r"""Whether a text operator's operand may hold two zero bytes in one of its strings (False: surely not).

    A TJ array is answered from qpdf's unparsed text, without reading out its strings (a line's
    array holds one string per glyph): :func:`_strings` reads a zero byte only from two hex zeros
    (so two zero bytes in a row from ``000``: four zeros, or three before a hex string's end,
    which reads as padded with a zero), from a zero byte as it is, or from an escape that starts
    ``\0`` or ``\4`` (``\000``, ``\0``, ``\400``, which is 256: its low byte is zero).

    >>> import pikepdf
    >>> _may_hold_zero_pair(pikepdf.Array([pikepdf.String(b"\x12\x00\x00\x12"), -100]))
    True
    >>> _may_hold_zero_pair(pikepdf.Array([pikepdf.String(b"\x12\x00\x34\x00"), -100, pikepdf.String(b"(\\")]))
    False
    """
    if isinstance(operand, pikepdf.String):
        return b"\0\0" in bytes(operand)
    if not isinstance(operand, pikepdf.Array):
        return False
    text = operand.unparse()
    return b"000" in text or b"\0" in text or b"\\0" in text or b"\\4" in text


def _sections(data: bytes, name: bytes) -> Iterator[bytes]:
    pattern = re.compile(rb"begin" + name + rb"(.*?)end" + name, re.S)
    for match in pattern.finditer(data):
        yield match.group(1)


def _parse_cid_map(data: bytes) -> dict[int, int]:
    """Codes to CIDs from a CMap's ``cidchar`` and ``cidrange`` sections."""
    out: dict[int, int] = {}
    for body in _sections(data, b"cidchar"):
        for code, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s+(\d+)", body):
            out[int(code, 16)] = int(cid)
    for body in _sections(data, b"cidrange"):
        for low, high, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s+(\d+)", body):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                out[code] = int(cid) + offset
    return out


def _utf16(hexdigits: bytes) -> str:
    return bytes.fromhex(hexdigits.decode()).decode("utf-16-be", "replace")


def _parse_to_unicode(data: bytes) -> dict[int, str]:
    """Codes to text from a ToUnicode CMap's ``bfchar`` and ``bfrange`` sections."""
    out: dict[int, str] = {}
    for body in _sections(data, b"bfchar"):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", body):
            out[int(code, 16)] = _utf16(text)
    for body in _sections(data, b"bfrange"):
        for low, high, start in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", body):
            first = _utf16(start)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                if first:
                    out[code] = first[:-1] + chr(ord(first[-1]) + offset)
    return out


def _merge(notdefs: list[Notdef]) -> Iterator[Notdef]:
    """One entry per page and font, listing each meant character once."""
    grouped: dict[tuple[int, str], list[str]] = {}
    for notdef in notdefs:
        chars = grouped.setdefault((notdef.page, notdef.font), [])
        chars.extend(char for char in notdef.text if char not in chars)
    for (page, font), chars in sorted(grouped.items()):
        yield Notdef(page, font, "".join(chars))


def _normal(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _is_family(font: FontUse, families: Sequence[str]) -> bool:
    wanted = {_normal(f) for f in families}
    return _normal(font.family) in wanted or any(_normal(font.name).startswith(w) for w in wanted)


def _pages(pages: Sequence[int]) -> str:
    return ", ".join(str(p) for p in pages)
