"""Check a finished PDF: every counted character of the page is in its text, every glyph is real.

Two checks, each returning a report with ``ok``, ``problems()`` (one line each,
for humans) and ``to_dict()`` (for ``--json``):

* :func:`check_text` extracts the text of every page with pypdfium2 and compares
  its multiset of Han characters, letters and digits (``model.counted_chars``)
  with the page's; anything missing is named with its context in the page.
  Extra text (masthead, folios, jump lines) is listed but is not a problem.
* :func:`check_fonts` reads the font dictionaries and content streams with
  pypdf: every font must be embedded and subset (``ABCDEF+`` name prefix), of
  one of the edition's faces, and no text may be drawn with glyph 0 (``.notdef``,
  the empty box).  WeasyPrint maps a character no font has to glyph 0 but keeps
  the character in the text layer, so the text check alone cannot see tofu.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pypdf
import pypdfium2 as pdfium
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject, StreamObject

from ..editions import EDITIONS, Edition, Typography
from ..editions.convert import convert_page, make_converter
from ..errors import CheckFailed, ConfigError, SourceError
from ..model import Page, counted_chars, page_chars
from ..text import parse_text
from ..text.decode import decode_source
from ..yamlload import suggest
from .typography import TypographyReport, analyse_pdf, typography_problems

PathLike = str | os.PathLike[str]

CONTEXT_CHARS = 8
"""Characters shown on each side of a missing character."""

MAX_CONTEXTS = 3
"""Places shown for each missing character."""

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_TEXT_OPERATORS = frozenset({b"Tj", b"TJ", b"'", b'"'})


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


def _unreadable(pdf_path: PathLike, error: Exception) -> SourceError:
    reason = "no such file" if isinstance(error, FileNotFoundError) else f"not a readable PDF ({error})"
    return SourceError(f"cannot check the PDF: {reason}", os.fspath(pdf_path),
                       hint="give the path of a PDF that Broadsheet built")


def extract_pages(pdf_path: PathLike) -> list[str]:
    """The text of each page of a PDF, in pdfium's reading order; SourceError if unreadable."""
    if not os.path.isfile(pdf_path):
        raise _unreadable(pdf_path, FileNotFoundError(pdf_path))
    try:
        document = pdfium.PdfDocument(os.fspath(pdf_path))
    except (pdfium.PdfiumError, OSError) as error:
        raise _unreadable(pdf_path, error) from None
    try:
        pages: list[str] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
        return pages
    finally:
        document.close()


def extract_text(pdf_path: PathLike) -> str:
    """The text of a whole PDF, pages separated by form feeds (as ``pdftotext`` does)."""
    return "\f".join(extract_pages(pdf_path))


def check_text(pdf_path: PathLike, expected: Counter[str], context: Sequence[str] = ()) -> TextReport:
    """Compare the counted characters of a PDF's text with ``expected``.

    ``expected`` is usually ``model.page_chars(page)`` of the edition's page;
    ``context`` is the page's texts (``page.texts()``), used only to show where
    each missing character stands.
    """
    pages = extract_pages(pdf_path)
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
        pdf=os.fspath(pdf_path),
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
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "pdf": self.pdf,
            "fonts": [f.to_dict() for f in self.fonts],
            "notdef": [{"page": n.page, "font": n.font, "text": n.text} for n in self.notdefs],
            "foreign": [f.family for f in self.foreign()],
            "unchecked": list(self.unchecked),
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
    if not os.path.isfile(pdf_path):
        raise _unreadable(pdf_path, FileNotFoundError(pdf_path))
    try:
        reader = pypdf.PdfReader(os.fspath(pdf_path))
    except (pypdf.errors.PyPdfError, OSError) as error:
        raise _unreadable(pdf_path, error) from None
    fonts: dict[int, _Font] = {}
    notdefs: list[Notdef] = []
    for number, page in enumerate(reader.pages, start=1):
        resources = page.get("/Resources")
        contents = page.get_contents()
        if contents is None:
            continue
        for font, codes in _text_runs(reader, contents, _resolve(resources), fonts, set()):
            font.pages.add(number)
            for code in codes:
                if font.is_notdef(code):
                    notdefs.append(Notdef(number, font.family, font.to_unicode.get(code, "")))
    uses = tuple(sorted((f.use() for f in fonts.values()), key=lambda u: (u.family, u.name)))
    unchecked = tuple(sorted({f.family for f in fonts.values() if f.cid_of is None}))
    return FontReport(os.fspath(pdf_path), uses, tuple(_merge(notdefs)),
                      tuple(families) if families is not None else None, unchecked)


@dataclass(frozen=True, slots=True)
class PreflightReport:
    """Both checks of one PDF, as ``broadsheet check`` prints them."""

    pdf: str
    edition: str | None
    fonts: FontReport
    text: TextReport | None = None
    """``None`` when no page was found to compare the text with."""
    page: str | None = None
    """The page the text was compared with (a ``.json`` or ``.txt`` path)."""
    typography: TypographyReport | None = None
    """The clreq figures (forbidden line starts and ends, flush lines, punctuation widths)."""
    compress: bool = True
    pages: int = 0
    budget: int | None = None
    """The most pages the PDF may have, or None when not checked."""

    @property
    def ok(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        found = (self.text.problems() if self.text else []) + self.fonts.problems()
        if self.typography is not None:
            found += [f"{self.pdf}: typography: {p}" for p in typography_problems(self.typography, self.compress)]
        if self.budget is not None and self.pages > self.budget:
            found.append(f"{self.pdf}: {self.pages} pages, over the budget of {self.budget}")
        return found

    def format(self) -> str:
        """A human summary: one line per check, then one line per problem."""
        lines = [f"{self.pdf}: edition {self.edition or 'unknown (faces not checked)'}"]
        if self.text is None:
            lines.append("text: not checked (no page: pass --page PAGE.txt, or keep the build's .json beside "
                         "the PDF)")
        else:
            lines.append(f"text: {self.text.lost} of {self.text.expected} characters lost "
                         f"(compared with {self.page}; {sum(n for _, n in self.text.extra)} extra characters "
                         "of masthead, folios and jump lines)")
        faces = ", ".join(sorted({f.family for f in self.fonts.fonts})) or "none"
        lines.append(f"glyphs: {len(self.fonts.notdefs)} page(s) with .notdef glyphs; "
                     f"{len(self.fonts.fonts)} fonts ({faces})")
        if self.typography is not None:
            t = self.typography
            lines.append(f"typography: {t.forbidden_starts} forbidden line starts, {t.forbidden_ends} opening-mark "
                         f"line ends, {t.flush_ratio:.1%} of {t.nonfinal_lines} non-final lines flush, "
                         f"{t.compressed_ratio:.1%} of {len(t.pair_widths)} adjacent pairs at 1.5 em or less, "
                         f"{t.isolated_full_ratio:.1%} of {len(t.isolated_widths)} isolated marks at 1 em")
        lines.append(f"fit: {self.pages} page(s)" + (f" of a budget of {self.budget}" if self.budget else ""))
        lines.extend(f"problem: {problem}" for problem in self.problems())
        lines.append("ok" if self.ok else f"{len(self.problems())} problem(s)")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pdf": self.pdf,
            "edition": self.edition,
            "page": self.page,
            "ok": self.ok,
            "text": self.text.to_dict() if self.text else None,
            "fonts": self.fonts.to_dict(),
            "typography": self.typography.to_dict() if self.typography else None,
            "pages": self.pages,
            "budget": self.budget,
            "problems": self.problems(),
        }


def check_pdf(pdf_path: PathLike, page: PathLike | None = None, edition: str | None = None,
              budget: int | None = None) -> PreflightReport:
    """Run both checks on a PDF, as ``broadsheet check PDF [--page P] [--edition E]`` does.

    ``edition`` defaults to the PDF's folder name when that names an edition
    (``output/zh-TW/hongdong.pdf``); without one the faces are not checked.
    ``page`` is the page the PDF was built from: the build's converted ``.json``
    (exact), or a ``.txt`` that is decoded, parsed and converted here with the
    built-in phrase fixes only.  Without it, the ``<stem>.json`` beside the PDF
    is used if there is one.
    """
    pdf = os.fspath(pdf_path)
    if edition is None:
        folder = os.path.basename(os.path.dirname(os.path.abspath(pdf)))
        edition = folder if folder in EDITIONS else None
    elif edition not in EDITIONS:
        raise ConfigError(f"unknown edition {edition!r}",
                          hint=suggest(edition, EDITIONS) or "choose from " + ", ".join(EDITIONS))
    chosen = EDITIONS[edition] if edition else None
    if page is None:
        beside = os.path.splitext(pdf)[0] + ".json"
        page = beside if os.path.isfile(beside) else None
    text_report = None
    if page is not None:
        expected = _load_page(os.fspath(page), chosen)
        text_report = check_text(pdf, page_chars(expected), expected.texts())
    fonts = check_fonts(pdf, edition_faces(chosen) if chosen else None)
    settings = chosen.typography if chosen else Typography()
    typography = analyse_pdf(pdf, level=settings.line_break, end_half=settings.end_half)
    return PreflightReport(pdf, edition, fonts, text_report, os.fspath(page) if page else None,
                           typography=typography, compress=settings.compress, pages=len(typography.pages),
                           budget=budget)


def _load_page(path: str, edition: Edition | None) -> Page:
    """The page a PDF should hold: a build's JSON as is, or a text file run through the text stages."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise SourceError(f"cannot read the page: {error.strerror}", path) from None
    if path.endswith(".json"):
        try:
            return Page.from_dict(json.loads(data.decode("utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise SourceError(f"not a page JSON written by the build ({error})", path) from None
    page = parse_text(decode_source(data, path), path)
    if edition is None:
        return page
    return convert_page(page, make_converter(edition))


def require(reports: Sequence[TextReport | FontReport]) -> None:
    """Raise CheckFailed listing every problem of the reports, if there is any."""
    problems = [line for report in reports for line in report.problems()]
    if problems:
        raise CheckFailed("preflight failed:\n" + "\n".join(problems))


class _Font:
    """What the glyph check needs to know about one font dictionary."""

    def __init__(self, key: int, font: DictionaryObject) -> None:
        self.key = key
        self.kind = str(font.get("/Subtype", "/Unknown")).lstrip("/")
        base = str(font.get("/BaseFont", "/(unnamed)")).lstrip("/")
        self.subset = bool(_SUBSET_PREFIX.match(base))
        self.name = _SUBSET_PREFIX.sub("", base)
        described: DictionaryObject = font
        if self.kind == "Type0":
            descendants = _resolve(font.get("/DescendantFonts")) or []
            described = _resolve(descendants[0]) if descendants else DictionaryObject()
        descriptor = _resolve(described.get("/FontDescriptor")) or DictionaryObject()
        self.embedded = self.kind == "Type3" or any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        self.family = str(descriptor.get("/FontFamily", "") or self.name)
        self.pages: set[int] = set()
        self.two_byte = self.kind == "Type0"
        self.cid_of: dict[int, int] | None = None
        self.identity = False
        self.gid_of: bytes | None = None
        self.to_unicode = _parse_to_unicode(_resolve(font.get("/ToUnicode")))
        if self.kind == "Type0":
            encoding = _resolve(font.get("/Encoding"))
            if encoding == "/Identity-H" or encoding == "/Identity-V":
                self.identity = True
                self.cid_of = {}
            elif isinstance(encoding, StreamObject):
                self.cid_of = _parse_cid_map(encoding.get_data())
            map_ = _resolve(described.get("/CIDToGIDMap"))
            if isinstance(map_, StreamObject):
                self.gid_of = map_.get_data()

    def is_notdef(self, code: int) -> bool:
        """Whether ``code`` draws CID/glyph 0, which is ``.notdef`` in every CID font."""
        if self.cid_of is None or not self.two_byte:
            return False
        cid = code if self.identity else self.cid_of.get(code, 0)
        if cid == 0:
            return True
        if self.gid_of is not None:
            pair = self.gid_of[2 * cid:2 * cid + 2]
            return len(pair) < 2 or pair == b"\x00\x00"
        return False

    def codes(self, data: bytes) -> list[int]:
        if self.two_byte:
            return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)

    def use(self) -> FontUse:
        return FontUse(self.name, self.family, self.kind, self.embedded, self.subset,
                       tuple(sorted(self.pages)))


def _text_runs(reader: pypdf.PdfReader, contents: Any, resources: Any, cache: dict[int, _Font],
               seen: set[int]) -> Iterator[tuple[_Font, list[int]]]:
    """Yield (font, codes) for each text-showing operator, following form XObjects."""
    fonts = _resolve(resources.get("/Font")) if resources else None
    xobjects = _resolve(resources.get("/XObject")) if resources else None
    current: _Font | None = None
    stream = ContentStream(contents, reader)
    for operands, operator in stream.operations:
        if operator == b"Tf" and fonts is not None:
            ref = fonts.get(operands[0])
            font = _resolve(ref)
            current = None
            if isinstance(font, DictionaryObject):
                current = cache.get(_key(ref))
                if current is None:
                    current = cache[_key(ref)] = _Font(_key(ref), font)
        elif operator in _TEXT_OPERATORS and current is not None:
            for data in _strings(operands[-1] if operator != b"TJ" else operands[0]):
                yield current, current.codes(data)
        elif operator == b"Do" and xobjects is not None:
            ref = xobjects.get(operands[0])
            xobject = _resolve(ref)
            if (isinstance(xobject, StreamObject) and xobject.get("/Subtype") == "/Form"
                    and _key(ref) not in seen):
                seen.add(_key(ref))
                inner = _resolve(xobject.get("/Resources")) or resources
                yield from _text_runs(reader, xobject, inner, cache, seen)


def _strings(operand: Any) -> Iterator[bytes]:
    items = operand if isinstance(operand, list) else [operand]
    for item in items:
        if isinstance(item, bytes):
            yield bytes(item)
        elif isinstance(item, str):
            raw = getattr(item, "original_bytes", None)
            yield raw if isinstance(raw, bytes) else item.encode("latin-1", "replace")


def _resolve(value: Any) -> Any:
    while isinstance(value, IndirectObject):
        value = value.get_object()
    return value


def _key(ref: Any) -> int:
    return ref.idnum if isinstance(ref, IndirectObject) else id(ref)


_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


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


def _parse_to_unicode(stream: Any) -> dict[int, str]:
    """Codes to text from a ToUnicode CMap's ``bfchar`` and ``bfrange`` sections."""
    if not isinstance(stream, StreamObject):
        return {}
    data = stream.get_data()
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
