"""Read a face's character map and advance widths straight from its font file's tables, once per face.

fontTools decodes a CJK face's whole ``cmap`` (some 65,000 code points) in pure Python,
about 0.13 s per face, and a build asked for it twice per face (glyph check and metrics).
The two tables needed here have simple layouts, so this module reads the raw bytes of the
member's ``cmap`` subtable (formats 4 and 12, which every face we ship uses) and of ``hmtx``
with ``array``, in a few milliseconds; any other subtable format is left to fontTools.  A
format 12 map (a CJK face's: some 45,000 code points in 15,000 runs) is not even expanded: it
stays as its runs (:class:`RunMap`), looked up by bisection, so reading a face costs about a
millisecond.  Results are cached per (file, member, size, modification time) in the process,
so a worker reads each face once, and a long-lived one (``watch``, ``serve``) reads a font file
again when it changes.

The subtable chosen is the one fontTools' ``getBestCmap`` chooses (the same preference
order), so the mapping is the same as fontTools' (a test compares them on the installed faces).
"""

from __future__ import annotations

import operator
import os
import struct
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat

from ..errors import RenderError

__all__ = ["Face", "RunMap", "read_face"]

CMAP_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))
"""(platform, encoding) subtables in fontTools' ``getBestCmap`` order: full Unicode first."""


@dataclass(frozen=True, slots=True)
class Face:
    """One face's Unicode map (code point → glyph id) and advance widths (glyph id → font units)."""

    cmap: Mapping[int, int]
    """A dict, or a :class:`RunMap` for a format 12 subtable (the same mapping)."""
    advances: tuple[int, ...]
    units_per_em: int

    def advance(self, code_point: int) -> float | None:
        """The advance of a character in ems, or None when the face has no glyph for it."""
        glyph = self.cmap.get(code_point)
        if glyph is None:
            return None
        return self.advances[min(glyph, len(self.advances) - 1)] / self.units_per_em


def _unpack(data: bytes, code: str) -> array:
    """Big-endian unsigned integers of ``data`` as an array (``code``: 'H' 16-bit, 'I' 32-bit)."""
    values = array(code)
    if values.itemsize != {"H": 2, "I": 4}[code]:  # pragma: no cover - no such platform in use
        values = array("L" if code == "I" else "H")
    values.frombytes(data)
    if sys.byteorder == "little":
        values.byteswap()
    return values


def _tables(handle: object, index: int) -> dict[bytes, tuple[int, int]]:
    """Tag → (offset, length) of the tables of member ``index`` (0 for a single-face file)."""
    read = handle.read  # type: ignore[attr-defined]
    seek = handle.seek  # type: ignore[attr-defined]
    seek(0)
    head = read(12)
    base = 0
    if head[:4] == b"ttcf":
        count = struct.unpack(">I", head[8:12])[0]
        if not 0 <= index < count:
            raise ValueError(f"no face {index} in a collection of {count}")
        base = struct.unpack(">I", read(4 * count)[4 * index:4 * index + 4])[0]
        seek(base)
        head = read(12)
    elif index != 0:
        raise ValueError(f"no face {index} in a single-face file")
    count = struct.unpack(">H", head[4:6])[0]
    records = read(16 * count)
    tables = {}
    for number in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", records[16 * number:16 * number + 16])
        tables[tag] = (offset, length)
    return tables


def _read_table(handle: object, tables: dict[bytes, tuple[int, int]], tag: bytes) -> bytes:
    if tag not in tables:
        raise ValueError(f"no {tag.decode()} table")
    offset, length = tables[tag]
    handle.seek(offset)  # type: ignore[attr-defined]
    return handle.read(length)  # type: ignore[attr-defined]


class RunMap(Mapping[int, int]):
    """A cmap held as its runs of consecutive code points and glyphs, answered by bisection.

    ``firsts``, ``lasts`` and ``glyphs`` give each run's first and last code point and the
    glyph of its first; the runs are sorted and do not overlap (:func:`_cmap_format_12` keeps a
    dict for a subtable whose runs are not).  Equal to the dict of every code point it maps.

    >>> runs = RunMap(array("I", [0x41, 0x61]), array("I", [0x43, 0x62]), array("I", [3, 10]))
    >>> runs[0x42], runs.get(0x44), 0x62 in runs, len(runs), runs == {65: 3, 66: 4, 67: 5, 97: 10, 98: 11}
    (4, None, True, 5, True)
    """

    __slots__ = ("_firsts", "_glyphs", "_lasts", "_length")

    def __init__(self, firsts: array, lasts: array, glyphs: array) -> None:
        self._firsts, self._lasts, self._glyphs = firsts, lasts, glyphs
        self._length = sum(lasts) - sum(firsts) + len(firsts)

    def get(self, code: int, default: int | None = None) -> int | None:  # type: ignore[override]
        run = bisect_right(self._firsts, code) - 1
        if run >= 0 and code <= self._lasts[run]:
            return self._glyphs[run] + code - self._firsts[run]
        return default

    def __getitem__(self, code: int) -> int:
        glyph = self.get(code)
        if glyph is None:
            raise KeyError(code)
        return glyph

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        run = bisect_right(self._firsts, code) - 1
        return run >= 0 and code <= self._lasts[run]

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[int]:
        return chain.from_iterable(map(range, self._firsts, map(operator.add, self._lasts, repeat(1))))


def _cmap_format_12(data: bytes, start: int) -> Mapping[int, int]:
    groups = struct.unpack(">I", data[start + 12:start + 16])[0]
    values = _unpack(data[start + 16:start + 16 + 12 * groups], "I")
    firsts, lasts, glyphs = values[0::3], values[1::3], values[2::3]
    # Runs in order, apart, none starting at glyph 0 (every face we ship): kept as they are.
    if 0 not in glyphs and all(map(operator.le, firsts, lasts)) \
            and all(map(operator.lt, lasts[:-1], firsts[1:])):
        return RunMap(firsts, lasts, glyphs)
    cmap: dict[int, int] = {}
    for number in range(0, 3 * groups, 3):
        first, last, glyph = values[number], values[number + 1], values[number + 2]
        if glyph == 0:  # a code point mapped to .notdef has no glyph
            first, glyph = first + 1, 1
        cmap.update(zip(range(first, last + 1), range(glyph, glyph + last - first + 1), strict=True))
    return cmap


def _cmap_format_4(data: bytes, start: int) -> dict[int, int]:
    length = struct.unpack(">H", data[start + 2:start + 4])[0]
    segments = struct.unpack(">H", data[start + 6:start + 8])[0] // 2
    words = _unpack(data[start + 14:start + length], "H")  # endCode, pad, startCode, idDelta, idRangeOffset, glyphs
    ends = words[0:segments]
    starts = words[segments + 1:2 * segments + 1]
    deltas = words[2 * segments + 1:3 * segments + 1]
    range_offsets = words[3 * segments + 1:4 * segments + 1]
    cmap: dict[int, int] = {}
    for segment in range(segments):
        first, last, delta, range_offset = starts[segment], ends[segment], deltas[segment], range_offsets[segment]
        if first == 0xFFFF:
            continue
        if range_offset == 0:
            for code in range(first, last + 1):
                glyph = (code + delta) & 0xFFFF
                if glyph:
                    cmap[code] = glyph
            continue
        # idRangeOffset counts bytes from its own place in the array to the glyph ids.
        at = 3 * segments + 1 + segment + range_offset // 2
        for code in range(first, last + 1):
            slot = at + code - first
            glyph = words[slot] if slot < len(words) else 0
            if glyph:
                glyph = (glyph + delta) & 0xFFFF
            if glyph:
                cmap[code] = glyph
    return cmap


def _best_cmap(data: bytes) -> Mapping[int, int] | None:
    """The preferred Unicode subtable's map, or None when it is in a format read by fontTools only."""
    count = struct.unpack(">H", data[2:4])[0]
    subtables: dict[tuple[int, int], int] = {}
    for number in range(count):
        platform, encoding, offset = struct.unpack(">HHI", data[4 + 8 * number:12 + 8 * number])
        subtables.setdefault((platform, encoding), offset)
    for key in CMAP_PREFERENCE:
        if key in subtables:
            start = subtables[key]
            form = struct.unpack(">H", data[start:start + 2])[0]
            if form == 12:
                return _cmap_format_12(data, start)
            if form == 4:
                return _cmap_format_4(data, start)
            return None
    return {}


def _advances(hmtx: bytes, hhea: bytes) -> tuple[int, ...]:
    metrics = struct.unpack(">H", hhea[34:36])[0]
    return tuple(_unpack(hmtx[:4 * metrics], "H")[0::2])


def _fonttools_cmap(path: str, index: int) -> dict[int, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return {code: font.getGlyphID(name) for code, name in (font.getBestCmap() or {}).items()}
    finally:
        font.close()


def _stamp(path: str) -> tuple[int, int]:
    """The file's size and modification time, which the caches below are keyed on with its path."""
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise RenderError(f"cannot read font: {exc.strerror}", path) from None
    return stat.st_size, stat.st_mtime_ns


def read_face(path: str, index: int = 0) -> Face:
    """The cmap and advances of face ``index`` of the font file ``path`` (RenderError if unreadable)."""
    return _read_face(path, index, _stamp(path))


@lru_cache(maxsize=32)
def _read_face(path: str, index: int, stamp: tuple[int, int]) -> Face:
    try:
        with open(path, "rb") as handle:
            tables = _tables(handle, index)
            cmap = _best_cmap(_read_table(handle, tables, b"cmap"))
            advances = _advances(_read_table(handle, tables, b"hmtx"), _read_table(handle, tables, b"hhea"))
            units = struct.unpack(">H", _read_table(handle, tables, b"head")[18:20])[0]
        if cmap is None:
            cmap = _fonttools_cmap(path, index)
    except OSError as exc:
        raise RenderError(f"cannot read font: {exc.strerror}", path) from None
    except (ValueError, struct.error, IndexError) as exc:
        raise RenderError(f"cannot read font: truncated or not a font file ({exc})", path) from None
    if not units:
        raise RenderError("cannot read font: unitsPerEm is 0", path)
    return Face(cmap, advances, units)


DIGITS = "0123456789"


def half_width_digits(path: str, index: int = 0) -> dict[str, float]:
    """The advances in ems of face ``index``'s half-width digits (its ``hwid`` feature), by digit.

    Empty when the face has no such forms: CSS's ``font-feature-settings: "hwid"`` then leaves
    its digits as they are, and so must the metrics.
    """
    return _half_width_digits(path, index, _stamp(path))


@lru_cache(maxsize=32)
def _half_width_digits(path: str, index: int, stamp: tuple[int, int]) -> dict[str, float]:
    face = read_face(path, index)
    last = len(face.advances) - 1  # glyphs past hhea's numberOfHMetrics share the last advance
    return {digit: face.advances[min(form, last)] / face.units_per_em
            for digit, form in hwid_forms(path, index).items()}


def hwid_forms(path: str, index: int = 0) -> dict[str, int]:
    """The glyph id of each digit's ``hwid`` form (single substitutions) in face ``index``.

    Read from the raw ``GSUB`` table, as fontTools would read it (a test compares the two on
    every face the editions use): every feature record tagged ``hwid``, its lookups in order,
    their single-substitution subtables (through extension subtables too); the first form found
    for a digit wins.  The digits' glyphs come from :func:`read_face`'s cmap; neither the face's
    glyph names (a CFF charset, some 65,000 names in a CJK face) nor fontTools are needed, whose
    reading of the table cost some 20 ms per CJK face, nearly all of it naming 65,000 glyphs.
    """
    cmap = read_face(path, index).cmap
    try:
        with open(path, "rb") as handle:
            tables = _tables(handle, index)
            if b"GSUB" not in tables:
                return {}
            gsub = _read_table(handle, tables, b"GSUB")
        wanted = {cmap[ord(digit)]: digit for digit in DIGITS if ord(digit) in cmap}
        found: dict[str, int] = {}
        for subtable in _hwid_subtables(gsub):
            mapping = _single_substitutions(gsub, subtable)
            for glyph, digit in wanted.items():
                if glyph in mapping and digit not in found:
                    found[digit] = mapping[glyph]
        return found
    except OSError as exc:
        raise RenderError(f"cannot read font: {exc.strerror}", path) from None
    except (ValueError, struct.error, IndexError) as exc:
        raise RenderError(f"cannot read font: a damaged GSUB table ({exc})", path) from None


_EXTENSION = 7
_SINGLE = 1


def _hwid_subtables(gsub: bytes) -> Iterator[int]:
    """Offsets in ``gsub`` of the single-substitution subtables of the ``hwid`` feature's lookups, in order."""
    _, _, _, features, lookups = struct.unpack(">HHHHH", gsub[:10])  # version, ScriptList, FeatureList, LookupList
    if not features or not lookups:
        return
    (count,) = struct.unpack(">H", gsub[features:features + 2])
    (lookup_count,) = struct.unpack(">H", gsub[lookups:lookups + 2])
    for record in range(count):
        tag, offset = struct.unpack(">4sH", gsub[features + 2 + 6 * record:features + 8 + 6 * record])
        if tag != b"hwid":
            continue
        feature = features + offset
        (indices,) = struct.unpack(">H", gsub[feature + 2:feature + 4])
        for lookup_index in struct.unpack(f">{indices}H", gsub[feature + 4:feature + 4 + 2 * indices]):
            if lookup_index >= lookup_count:
                raise ValueError(f"lookup {lookup_index} of {lookup_count}")
            (at,) = struct.unpack(">H", gsub[lookups + 2 + 2 * lookup_index:lookups + 4 + 2 * lookup_index])
            lookup = lookups + at
            kind, _, subtables = struct.unpack(">HHH", gsub[lookup:lookup + 6])
            for (sub,) in struct.iter_unpack(">H", gsub[lookup + 6:lookup + 6 + 2 * subtables]):
                start = lookup + sub
                if kind == _EXTENSION:
                    _, real, extension = struct.unpack(">HHI", gsub[start:start + 8])
                    if real == _SINGLE:
                        yield start + extension
                elif kind == _SINGLE:
                    yield start


def _single_substitutions(gsub: bytes, start: int) -> dict[int, int]:
    """Glyph → substitute of one single-substitution subtable (formats 1 and 2)."""
    form, coverage = struct.unpack(">HH", gsub[start:start + 4])
    glyphs = _coverage_glyphs(gsub, start + coverage)
    if form == 1:
        (delta,) = struct.unpack(">h", gsub[start + 4:start + 6])
        return {glyph: (glyph + delta) % 65536 for glyph in glyphs}
    if form == 2:
        (count,) = struct.unpack(">H", gsub[start + 4:start + 6])
        substitutes = struct.unpack(f">{count}H", gsub[start + 6:start + 6 + 2 * count])
        return dict(zip(glyphs, substitutes, strict=False))
    raise ValueError(f"single substitution format {form}")


def _coverage_glyphs(gsub: bytes, start: int) -> list[int]:
    """The glyphs of a coverage table, in coverage-index order (formats 1 and 2)."""
    form, count = struct.unpack(">HH", gsub[start:start + 4])
    if form == 1:
        return list(struct.unpack(f">{count}H", gsub[start + 4:start + 4 + 2 * count]))
    if form == 2:
        glyphs: list[int] = []
        for first, last, _ in struct.iter_unpack(">HHH", gsub[start + 4:start + 4 + 6 * count]):
            glyphs.extend(range(first, last + 1))
        return glyphs
    raise ValueError(f"coverage format {form}")
