"""Turn a page file's bytes into clean text: detect the encoding, refuse binaries, normalise line ends.

The outcome for every kind of odd input is fixed here (and tested in
``tests/test_bad_input.py``):

* UTF-8 (with or without BOM), UTF-16 and UTF-32 with a BOM, GB18030 (and so GBK
  and GB2312) and Big5 (Windows code page 950, then Big5-HKSCS) are detected; any
  Python codec may be named instead (and is trusted: no plausibility check).  When both GB18030 and Big5 decode the
  bytes, the result with the larger share of common Chinese characters wins.
* CRLF, CR, NEL, LINE SEPARATOR, vertical tab and form feed become LF;
  PARAGRAPH SEPARATOR becomes a blank line.
* Other control characters (NUL included), bidirectional overrides and stray
  byte-order marks are dropped: they are never text, so nothing counted is lost.
* Files that look binary (a known file signature, many NUL bytes or control
  characters), files over the size limit, and files with no Han character,
  letter or digit raise SourceError.
* Undecodable bytes raise SourceError naming the byte offset and the flags
  ``--encoding`` and ``--replace``; U+FFFD appears only with ``replace=True``.
"""

from __future__ import annotations

import codecs
import re

from ..errors import SourceError
from ..model import is_counted
from .chars import is_han

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
"""The size limit used when none is given: 32 MiB, well above any real page (a full
broadsheet page is under 100 KB) yet small enough to parse in seconds."""

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Only signatures no page text starts with: "MZ", "BZh" or "RIFF" could be words,
# and those files are refused anyway for their NUL and control bytes.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/ODF document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_GB = "gb18030"
_BIG5_CODECS = ("cp950", "big5hkscs")
_SUPERSETS = {"gb2312": _GB, "gbk": _GB, "euc_cn": _GB, "hz": "hz"}
_BIG5_NAMES = frozenset({"big5", "cp950", "big5hkscs"})

_LINE_BREAKS = {
    "\x0b": "\n",  # vertical tab
    "\x0c": "\n",  # form feed: a page break in OCR output
    "\x85": "\n",  # NEXT LINE
    "\N{LINE SEPARATOR}": "\n",
    "\N{PARAGRAPH SEPARATOR}": "\n\n",
}
# Everything else this pattern matches is dropped: C0/C1 controls but tab and
# LF, DEL, bidirectional embeddings/overrides/isolates and ZERO WIDTH NO-BREAK
# SPACE (a BOM left in the middle by concatenating files).
_STRAY = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\N{LINE SEPARATOR}\N{PARAGRAPH SEPARATOR}"
    "\u202a-\u202e\u2066-\u2069\N{ZERO WIDTH NO-BREAK SPACE}]"
)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0e-\x1f\x7f]")

_SAMPLE_CHARS = 100_000
_NUL_SHARE = 0.01
_CONTROL_SHARE = 0.02
_PLAUSIBLE = 0.6
_MIN_SCORED = 8


def _common_han() -> frozenset[str]:
    """Build the table of common Han characters from two national standards.

    GB 2312's level 1 (3755 characters "in common use" on the mainland) and
    Big5's level 1 (5401 "frequently used" characters in Taiwan) are both
    ordered sets of common characters; their union covers everyday text in
    either script.  A page decoded with the wrong codec turns into rare
    characters, kana and symbols, which fall outside it.
    """
    chars: set[str] = set()
    big5_trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.add(bytes((lead, trail)).decode("gb2312", "ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in big5_trails:
            chars.add(bytes((lead, trail)).decode("big5", "ignore"))
    # Big5's lead byte 0xC6 also holds kana after level 1 ends: keep only Han.
    return frozenset(c for c in chars if c and is_han(c))


COMMON_HAN = _common_han()
"""About 6800 Han characters common in Simplified or Traditional text."""


def _is_plain(char: str) -> bool:
    """Whether a non-Han character is ordinary in Chinese text (ASCII, CJK and full-width marks)."""
    code = ord(char)
    return (
        code < 0x80
        or 0x3000 <= code <= 0x303F
        or 0xFF01 <= code <= 0xFF5E
        or 0x2010 <= code <= 0x2026
    )


def score_chinese(text: str) -> float:
    """The share of visible characters that are common Han characters or plain marks.

    >>> score_chinese("洪洞县，2021年。")
    1.0
    >>> score_chinese("きㄓ羬╓カ") < 0.5
    True
    """
    visible = 0
    good = 0
    for char in text[:_SAMPLE_CHARS]:
        if char.isspace():
            continue
        visible += 1
        if char in COMMON_HAN or _is_plain(char):
            good += 1
    return good / visible if visible else 1.0


def decode_source(data: bytes, path: str, encoding: str | None = None, replace: bool = False,
                  max_bytes: int | None = None) -> str:
    """Decode a page file's bytes into text with LF line ends, or raise SourceError.

    ``path`` only names the file in messages; ``encoding`` names a codec instead
    of detecting one; ``replace`` substitutes U+FFFD for undecodable bytes;
    ``max_bytes`` is the size limit (``None``: DEFAULT_MAX_BYTES, ``0``: none).

    >>> decode_source("第一行\\r\\n第二行".encode("gb18030"), "p.txt")
    '第一行\\n第二行'
    """
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if limit and len(data) > limit:
        raise SourceError(
            f"the file is {len(data):,} bytes, over the limit of {limit:,} bytes",
            path, hint="split the page, or raise limits.max_source_bytes in broadsheet.yaml")
    if not data:
        raise SourceError("the file is empty: there is no text to set", path)
    _refuse_signature(data, path)
    if encoding is not None:
        text = _decode_named(data, path, encoding, replace)
    else:
        text = _decode_detected(data, path, replace)
    return _clean_text(text, path)


def _refuse_signature(data: bytes, path: str) -> None:
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            raise SourceError(f"this is {kind}, not a text file", path,
                              hint="give Broadsheet the OCR text (.txt) of the page")


def _decode_named(data: bytes, path: str, encoding: str, replace: bool) -> str:
    name = _lookup(encoding)
    if name is None:
        raise SourceError(f"unknown encoding {encoding!r}", path,
                          hint="try --encoding utf-8, gb18030, big5 or utf-16")
    name = _SUPERSETS.get(name, name)
    if name in _BIG5_NAMES:
        return _decode_chain(data, path, (*_BIG5_CODECS,), "Big5", replace, 0)
    if name == "utf-8":
        name = "utf-8-sig"
    label = encoding
    return _decode_chain(data, path, (name,), label, replace, 0)


def _lookup(encoding: str) -> str | None:
    """The codec's canonical name, forgiving spellings such as ``BIG-5`` or ``GB-18030``."""
    for spelling in (encoding, encoding.replace("-", "").replace("_", "")):
        try:
            return codecs.lookup(spelling).name
        except LookupError:
            continue
    return None


def _decode_chain(data: bytes, path: str, names: tuple[str, ...], label: str, replace: bool,
                  skip: int) -> str:
    """Decode with the first codec of ``names`` that accepts the bytes after ``skip``."""
    body = data[skip:]
    first_error: UnicodeDecodeError | None = None
    for name in names:
        try:
            return body.decode(name)
        except UnicodeDecodeError as error:
            first_error = first_error or error
    if replace:
        return body.decode(names[0], "replace")
    assert first_error is not None
    raise _undecodable(data, path, first_error.start + skip, f"not valid {label}",
                       "check --encoding, or pass --replace to substitute U+FFFD for bad bytes")


def _undecodable(data: bytes, path: str, offset: int, what: str, hint: str) -> SourceError:
    line = data.count(b"\n", 0, offset) + 1
    shown = " ".join(f"0x{b:02X}" for b in data[offset:offset + 2])
    return SourceError(f"cannot decode the text: {shown} (line {line}) is {what}", path,
                       place=f"byte {offset}", hint=hint)


def _decode_detected(data: bytes, path: str, replace: bool) -> str:
    for bom, name, label in _BOMS:
        if data.startswith(bom):
            return _decode_chain(data, path, (name,), label, replace, len(bom))
    _refuse_binary_bytes(data, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    results: list[str] = []
    for names in ((_GB,), _BIG5_CODECS):
        for name in names:
            try:
                results.append(data.decode(name))
                break
            except UnicodeDecodeError:
                continue
    # On a tie GB18030 wins: the papers Broadsheet sets come from the mainland.
    scored = sorted(((score_chinese(text), -i, text) for i, text in enumerate(results)),
                    reverse=True)
    if scored:
        best_score, _, best = scored[0]
        if best_score >= _PLAUSIBLE or _visible_count(best) < _MIN_SCORED:
            return best
    if replace:
        return _decode_least_damaged(data)
    what = "not valid UTF-8, and the text does not read as GB18030 or Big5 Chinese"
    if not scored:
        what = "not valid UTF-8, GB18030 or Big5"
    raise _undecodable(data, path, utf8_error.start, what,
                       "name the encoding with --encoding (e.g. --encoding big5), "
                       "or pass --replace to substitute U+FFFD for bad bytes")


def _visible_count(text: str) -> int:
    count = 0
    for char in text[:_SAMPLE_CHARS]:
        if not char.isspace():
            count += 1
            if count >= _MIN_SCORED:
                break
    return count


def _decode_least_damaged(data: bytes) -> str:
    """With ``--replace`` and no named encoding: the decoding that needs the fewest U+FFFD."""
    best: tuple[int, float, str] | None = None
    for name in ("utf-8", _GB, _BIG5_CODECS[0]):
        text = data.decode(name, "replace")
        literal = REPLACEMENT.encode(name, "ignore")
        damage = text.count(REPLACEMENT) - (data.count(literal) if literal else 0)
        candidate = (damage, -score_chinese(text), text)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    assert best is not None
    return best[2]


def _refuse_binary_bytes(data: bytes, path: str) -> None:
    """Refuse bytes with many NULs or other controls (none of the detected encodings use them)."""
    sample = data[:65536]
    nuls = sample.count(0)
    controls = len(_CONTROL_BYTES.findall(sample))
    if nuls <= max(2, len(sample) * _NUL_SHARE) and controls <= max(8, len(sample) * _CONTROL_SHARE):
        return
    hint = "give Broadsheet the OCR text (.txt) of the page"
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * len(sample) / 2 and even < odd / 4:
        hint = "it looks like UTF-16 without a byte-order mark: try --encoding utf-16-le"
    elif even > 0.3 * len(sample) / 2 and odd < even / 4:
        hint = "it looks like UTF-16 without a byte-order mark: try --encoding utf-16-be"
    raise SourceError(f"this looks like a binary file ({controls} NUL or control bytes in the "
                      f"first {len(sample):,})", path, hint=hint)


def _replace_stray(match: re.Match[str]) -> str:
    return _LINE_BREAKS.get(match.group(), "")


def _clean_text(text: str, path: str) -> str:
    sample = text[:_SAMPLE_CHARS]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) * _CONTROL_SHARE):
        raise SourceError(f"this looks like a binary file ({controls} control characters in "
                          f"the first {len(sample):,} characters)", path,
                          hint="give Broadsheet the OCR text (.txt) of the page")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _STRAY.sub(_replace_stray, text)
    if not any(is_counted(char) for char in text):
        what = "only whitespace" if not text.strip() else "no Han character, letter or digit"
        raise SourceError(f"the file holds {what}: there is no text to set", path)
    return text
