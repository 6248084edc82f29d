"""Find an edition's font files with fontconfig and check that they hold every character to print.

A family that is not installed is an error, never a silent fallback to
another face; a character missing from a face is an error naming the
character and where it occurs, never tofu.  Used before rendering and by
preflight.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..editions import Edition
from ..errors import RenderError
from ..model import Page

CSS_TO_FONTCONFIG_WEIGHT = {100: 0, 200: 40, 300: 50, 400: 80, 500: 100, 600: 180, 700: 200, 800: 205, 900: 210}
"""CSS font-weight → fontconfig weight (fontconfig's own scale, see fc-pattern)."""

MAX_PLACES = 3
"""How many places per missing character the error message names."""


def font_file(family: str, weight: int = 400) -> str:
    """The file of the installed face of ``family`` nearest to ``weight``.

    Raises RenderError if fontconfig would substitute another family.
    """
    return _font_face(family, weight)[0]


def font_face(family: str, weight: int = 400) -> tuple[str, int]:
    """The file of the installed face of ``family`` nearest to ``weight``, and its index in a collection."""
    return _font_face(family, weight)


FC_FORMAT = "%{file}\\n%{index}\\n%{family}\\n"
"""What is read of the face fontconfig matches: its file, its index in a collection, its families."""


@functools.cache
def _font_face(family: str, weight: int) -> tuple[str, int]:
    """(file, index in a collection) of a family, checked to be that family."""
    if weight not in CSS_TO_FONTCONFIG_WEIGHT:
        raise RenderError(f"font weight {weight} is not one of 100, 200, … 900", place=family)
    escaped = "".join("\\" + c if c in "\\-:," else c for c in family)  # fontconfig pattern syntax
    pattern = f"{escaped}:weight={CSS_TO_FONTCONFIG_WEIGHT[weight]}"
    matched = _match_in_process(pattern)
    if matched is None:
        matched = _match_with_fc_match(family, pattern)
    lines = matched.split("\n")
    path, index, families = (lines + ["", "", ""])[:3]
    names = {_fold(name) for name in families.split(",")}
    if not path or _fold(family) not in names:
        found = families.split(",")[0] or "nothing"
        raise RenderError(f"font family {family!r} is not installed (fontconfig offers {found!r})",
                          hint="install it (fonts-noto-cjk, fonts-noto-cjk-extra, fonts-arphic-ukai) "
                               "or name an installed family in broadsheet.yaml")
    return path, int(index or 0)


_FONTCONFIG_CDEF = """
typedef struct _FcPattern FcPattern;
typedef struct _FcConfig FcConfig;
typedef unsigned char FcChar8;
typedef int FcBool;
typedef enum { FcMatchPattern, FcMatchFont, FcMatchScan } FcMatchKind;
typedef enum { FcResultMatch, FcResultNoMatch, FcResultTypeMismatch, FcResultNoId,
               FcResultOutOfMemory } FcResult;
FcPattern *FcNameParse(const FcChar8 *name);
FcBool FcConfigSubstitute(FcConfig *config, FcPattern *p, FcMatchKind kind);
void FcDefaultSubstitute(FcPattern *pattern);
FcPattern *FcFontMatch(FcConfig *config, FcPattern *p, FcResult *result);
FcChar8 *FcPatternFormat(FcPattern *pat, const FcChar8 *format);
void FcStrFree(FcChar8 *s);
void FcPatternDestroy(FcPattern *p);
"""
"""The few calls of fontconfig's public C API that ``fc-match PATTERN`` makes."""

_FONTCONFIG_LOCK = threading.Lock()


@functools.cache
def _fontconfig() -> tuple[Any, Any] | None:
    """(cffi FFI, fontconfig library), or None where the library cannot be loaded."""
    try:
        import cffi  # WeasyPrint's own binding library, so always installed with it
    except ImportError:
        return None
    ffi = cffi.FFI()
    ffi.cdef(_FONTCONFIG_CDEF)
    for name in ("libfontconfig.so.1", "fontconfig", "libfontconfig.1.dylib", "libfontconfig-1.dll"):
        try:
            return ffi, ffi.dlopen(name)
        except OSError:
            continue
    return None


def fc_match(pattern: str, fields: str) -> str | None:
    """What ``fc-match --format FIELDS PATTERN`` prints: from fontconfig in this process (``_match_in_process``),
    else from the command; None when neither can answer."""
    matched = _match_in_process(pattern, fields)
    if matched is not None:
        return matched
    command = shutil.which("fc-match")
    if command is None:
        return None
    try:
        return subprocess.run([command, "--format", fields, pattern], capture_output=True, text=True,
                              timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _match_in_process(pattern: str, fields: str = FC_FORMAT) -> str | None:
    """What ``fc-match --format FIELDS PATTERN`` prints, from fontconfig in this process.

    ``fc-match`` parses the pattern, applies the configuration's and the default substitutions
    and prints the best match; this makes the same calls on the same default configuration, so
    the same face is found, without starting a process (some 12 ms of CPU each, and a build
    asks for up to nine faces an edition).  None where fontconfig cannot be loaded or the
    pattern does not parse: the caller runs ``fc-match`` itself.
    """
    loaded = _fontconfig()
    if loaded is None:
        return None
    ffi, fc = loaded
    with _FONTCONFIG_LOCK:
        parsed = fc.FcNameParse(pattern.encode("utf-8"))
        if parsed == ffi.NULL:
            return None
        try:
            fc.FcConfigSubstitute(ffi.NULL, parsed, fc.FcMatchPattern)
            fc.FcDefaultSubstitute(parsed)
            result = ffi.new("FcResult *")
            match = fc.FcFontMatch(ffi.NULL, parsed, result)
        finally:
            fc.FcPatternDestroy(parsed)
        if match == ffi.NULL:
            return ""
        try:
            text = fc.FcPatternFormat(match, fields.encode("utf-8"))
            if text == ffi.NULL:
                return None
            try:
                return ffi.string(text).decode("utf-8", errors="replace")
            finally:
                fc.FcStrFree(text)
        finally:
            fc.FcPatternDestroy(match)


def _match_with_fc_match(family: str, pattern: str) -> str:
    """What ``fc-match --format FC_FORMAT PATTERN`` prints (fontconfig's command)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise RenderError("fc-match (fontconfig) is not installed", hint="install fontconfig")
    try:
        result = subprocess.run([fc_match, "--format", FC_FORMAT, pattern],
                                capture_output=True, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RenderError(f"fc-match failed for {family!r}: {exc}") from None
    return result.stdout


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _coverage(path: str, index: int) -> Container[int]:
    """The code points a face maps to glyphs (its best cmap), read once per file and face (``read_face``)."""
    from .fontfile import read_face

    return read_face(path, index).cmap


def _needs_glyph(char: str) -> bool:
    """Whether a character is drawn (spaces, line breaks and format controls are not)."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def missing_glyphs(texts: Iterable[tuple[str, str]], families: Sequence[str]) -> dict[str, list[str]]:
    """Characters absent from any of ``families``, each with the places (``where`` labels) it occurs.

    ``texts`` holds ``(text, where)`` pairs; the places keep their first-seen order.
    """
    faces = [_font_face(family, 400) for family in dict.fromkeys(families)]
    coverages = [_coverage(path, index) for path, index in faces]
    missing: dict[str, list[str]] = {}
    covered: dict[str, bool] = {}  # each character is looked up once, however many texts hold it
    for text, where in texts:
        for char in dict.fromkeys(text):
            found = covered.get(char)
            if found is None:
                found = covered[char] = not _needs_glyph(char) or all(ord(char) in c for c in coverages)
            if found:
                continue
            places = missing.setdefault(char, [])
            if where not in places:
                places.append(where)
    return missing


def check_glyphs(texts: Iterable[tuple[str, str]], families: Sequence[str]) -> None:
    """Raise RenderError naming every character some face of ``families`` lacks, and where it occurs."""
    texts = list(texts)
    _raise_if(_missing_parts(missing_glyphs(texts, families), families))


def page_glyph_places(page: Page, edition: Edition) -> list[tuple[list[tuple[str, str]], tuple[str, ...]]]:
    """The page's texts grouped by the faces that set them (as ``styles/page.css`` assigns them).

    Bylines and captions are set in the edition's Kai; everything else in its
    serif (body) and sans (titles, lead-ins, datelines).
    """
    body: list[tuple[str, str]] = []
    kai: list[tuple[str, str]] = []
    for a_index, article in enumerate(page.articles, 1):
        for name in ("kicker", "headline", "subheadline", "dateline", "credit"):
            value = getattr(article, name)
            if value:
                body.append((value, f"article {a_index} {name}"))
        for p_index, paragraph in enumerate(article.paragraphs, 1):
            line = f" (line {paragraph.lines[0]})" if paragraph.lines else ""
            body.append((paragraph.text, f"article {a_index} paragraph {p_index}{line}"))
        kai.extend((name, f"article {a_index} byline") for name in article.byline)
    kai.extend((c.text, f"caption {c_index}") for c_index, c in enumerate(page.captions, 1))
    return [(body, (edition.serif, edition.sans)), (kai, (edition.kai,))]


def check_page_glyphs(page: Page, edition: Edition) -> list[str]:
    """Raise RenderError if a face the page is set in lacks a character of it (see ``page_glyph_places``).

    A character the Kai lacks is set in the serif, as the stylesheets' ``--kai`` list says (a Kai
    face covers fewer characters: AR PL UKai HK has no 閲, which s2hk writes for 阅); that is
    returned as a warning naming the character and its places. Only a character neither face
    has is an error.
    """
    (body, body_faces), (kai, kai_faces) = page_glyph_places(page, edition)
    kai_missing = missing_glyphs(kai, kai_faces)
    serif = _coverage(*_font_face(edition.serif, 400))
    fallen = {char: places for char, places in kai_missing.items() if ord(char) in serif}
    _raise_if(_missing_parts(missing_glyphs(body, body_faces), body_faces)
              + _missing_parts({c: p for c, p in kai_missing.items() if c not in fallen}, kai_faces))
    return [f"{char} (U+{ord(char):04X}) is not in {edition.kai}: set in {edition.serif} in {_places(places)}"
            for char, places in fallen.items()]


def _places(places: Sequence[str]) -> str:
    shown = ", ".join(places[:MAX_PLACES])
    return shown + (f" and {len(places) - MAX_PLACES} more" if len(places) > MAX_PLACES else "")


def _missing_parts(missing: dict[str, list[str]], families: Sequence[str]) -> list[str]:
    """One message part per missing character: the faces of ``families`` that lack it, and where."""
    return [f"{char} (U+{ord(char):04X}, not in "
            f"{', '.join(f for f in dict.fromkeys(families) if ord(char) not in _coverage(*_font_face(f, 400)))})"
            f" in {_places(places)}" for char, places in missing.items()]


def _raise_if(parts: list[str]) -> None:
    if parts:
        raise RenderError(f"{len(parts)} character(s) have no glyph in the edition's fonts: " + "; ".join(parts),
                          hint="name a face that has them, or correct the text")


# ----------------------------------------------------------------------------- broadsheet fonts

FONT_PACKAGES: tuple[tuple[str, str], ...] = (
    ("Noto Serif CJK", "fonts-noto-cjk"),
    ("Noto Sans CJK", "fonts-noto-cjk"),
    ("LXGW WenKai", "fonts-lxgw-wenkai"),
    ("AR PL UKai", "fonts-arphic-ukai"),
    ("AR PL UMing", "fonts-arphic-uming"),
)
"""Family name prefix → the Debian package that installs it (Noto's regular and bold weights)."""

EXTRA_WEIGHT_PACKAGE = "fonts-noto-cjk-extra"
"""Debian ships the Noto CJK weights other than regular and bold (light, medium, black) apart."""

FACE_ROLES = ("serif", "sans", "kai")
"""The three faces an edition names: body text, titles and lead-ins, bylines and captions."""


@dataclass(frozen=True, slots=True)
class FaceReport:
    """Which face serves one role of an edition, the file it resolves to, and what it lacks of a page."""

    role: str
    family: str
    file: str | None
    """The resolved font file, or None when the family is not installed."""
    missing: tuple[str, ...] = ()
    """The page's characters this face is asked to set and has no glyph for, in first-seen order."""
    checked: int = 0
    """How many distinct characters were checked against the face."""
    package: str | None = None
    """The Debian package that provides the family (None: not known)."""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.file is not None and not self.missing


def font_package(family: str, weight: int = 400) -> str | None:
    """The Debian package that installs ``family`` at ``weight``, or None when it is not a known family.

    >>> font_package("Noto Serif CJK TC"), font_package("Noto Sans CJK SC", 900), font_package("AR PL UKai HK")
    ('fonts-noto-cjk', 'fonts-noto-cjk-extra', 'fonts-arphic-ukai')
    >>> font_package("Comic Sans") is None
    True
    """
    folded = _fold(family)
    for prefix, package in FONT_PACKAGES:
        if folded.startswith(_fold(prefix)):
            if package == "fonts-noto-cjk" and weight not in (400, 700):
                return EXTRA_WEIGHT_PACKAGE
            return package
    return None


def role_texts(page: Page, edition: Edition) -> dict[str, list[tuple[str, str]]]:
    """The page's texts each role's face sets (``page_glyph_places``: serif and sans share the body)."""
    (body, _), (kai, _) = page_glyph_places(page, edition)
    return {"serif": body, "sans": body, "kai": kai}


def report_faces(edition: Edition, texts: dict[str, list[tuple[str, str]]]) -> list[FaceReport]:
    """For each role, the edition's face, its file and the characters of ``texts[role]`` it lacks."""
    reports = []
    for role in FACE_ROLES:
        family = getattr(edition, role)
        package = font_package(family)
        try:
            path, index = _font_face(family, 400)
        except RenderError as exc:
            reports.append(FaceReport(role, family, None, package=package, error=str(exc).split(" (")[0]))
            continue
        coverage = _coverage(path, index)
        seen = dict.fromkeys(char for text, _ in texts.get(role, []) for char in text if _needs_glyph(char))
        missing = tuple(char for char in seen if ord(char) not in coverage)
        reports.append(FaceReport(role, family, path, missing, len(seen), package))
    return reports
