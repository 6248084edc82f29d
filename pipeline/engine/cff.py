"""Read the few facts of a CFF font program that decide how it may be embedded in a PDF.

A CID-keyed CFF (the ``CFF `` table of Noto CJK and most CJK OpenType fonts) names each glyph
by a CID through its ``charset``; when every glyph's CID equals its glyph id, a subset that
keeps only the glyphs used still finds each of them by the code the PDF's text shows
(``engine.compactfonts``).  Only the header, the Name and Top DICT indexes, the CharStrings
count and the charset are read, from any buffer (a ``memoryview`` of HarfBuzz's table is not
copied), so a 16 MB table costs microseconds.  Format: Adobe TN #5176, sections 4–13.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["CffError", "CffFacts", "cff_cids", "cff_facts", "sfnt_table"]

_ROS = (12, 30)
_CHARSET = (15,)
_CHARSTRINGS = (17,)


class CffError(ValueError):
    """A CFF program this reader cannot follow (truncated, or not CFF)."""


@dataclass(frozen=True, slots=True)
class CffFacts:
    """What a CFF program says about its glyphs: keyed by CID, the CID of glyph ``g`` is ``g``, its name."""

    cid_keyed: bool
    identity: bool
    """Every glyph's CID is its glyph id (only meaningful when ``cid_keyed``)."""
    glyphs: int
    name: str


def _index(data: memoryview, at: int) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) of each object of the INDEX at ``at``, and the offset just after it."""
    if at + 2 > len(data):
        raise CffError("INDEX past the end")
    count = int.from_bytes(data[at:at + 2], "big")
    if count == 0:
        return [], at + 2
    size = data[at + 2]
    if not 1 <= size <= 4:
        raise CffError("bad INDEX offset size")
    base = at + 3 + (count + 1) * size - 1
    offsets = [int.from_bytes(data[at + 3 + i * size:at + 3 + (i + 1) * size], "big") for i in range(count + 1)]
    end = base + offsets[-1]
    if end > len(data) or any(b < a for a, b in itertools.pairwise(offsets)):
        raise CffError("INDEX past the end")
    return [(base + a, base + b) for a, b in itertools.pairwise(offsets)], end


def _dict(data: memoryview) -> dict[tuple[int, ...], list[float]]:
    """A DICT's operators with their operands."""
    entries: dict[tuple[int, ...], list[float]] = {}
    operands: list[float] = []
    at = 0
    while at < len(data):
        byte = data[at]
        if byte <= 21:
            if byte == 12:
                if at + 1 >= len(data):
                    raise CffError("DICT ends inside an operator")
                key: tuple[int, ...] = (12, data[at + 1])
                at += 2
            else:
                key = (byte,)
                at += 1
            entries[key] = operands
            operands = []
        elif byte == 28:
            operands.append(struct.unpack(">h", data[at + 1:at + 3])[0])
            at += 3
        elif byte == 29:
            operands.append(struct.unpack(">i", data[at + 1:at + 5])[0])
            at += 5
        elif byte == 30:  # a real: nibbles up to 0xf; its value is never needed here
            at += 1
            while at < len(data) and (data[at] & 0x0F) != 0x0F and (data[at] >> 4) != 0x0F:
                at += 1
            at += 1
            operands.append(0.0)
        elif 32 <= byte <= 246:
            operands.append(byte - 139)
            at += 1
        elif 247 <= byte <= 250:
            operands.append((byte - 247) * 256 + data[at + 1] + 108)
            at += 2
        elif 251 <= byte <= 254:
            operands.append(-(byte - 251) * 256 - data[at + 1] - 108)
            at += 2
        else:
            raise CffError(f"reserved DICT byte {byte}")
    return entries


def _charset_runs(data: memoryview, at: int, glyphs: int) -> Iterator[tuple[int, int]]:
    """The charset at ``at`` as runs ``(first CID, glyphs)`` for the glyphs after .notdef, in glyph order
    (format 0: a run a glyph); raises CffError where it runs past the program or has no known format."""
    if at >= len(data):
        raise CffError("charset past the end")
    form, position, counted = data[at], at + 1, 1
    if form not in (0, 1, 2):
        raise CffError(f"charset format {form}")
    width = (0, 1, 2)[form]
    while counted < glyphs:
        if position + 2 + width > len(data):
            raise CffError("charset past the end")
        first = int.from_bytes(data[position:position + 2], "big")
        run = int.from_bytes(data[position + 2:position + 2 + width], "big") + 1 if width else 1
        yield first, min(run, glyphs - counted)
        counted, position = counted + run, position + 2 + width


def _identity_charset(data: memoryview, at: int, glyphs: int) -> bool:
    """Whether the charset at ``at`` gives glyph ``g`` the CID ``g`` for every glyph after .notdef."""
    expected = 1
    for first, run in _charset_runs(data, at, glyphs):
        if first != expected:
            return False
        expected += run
    return True


def _top(program: bytes | memoryview) -> tuple[memoryview, str, dict[tuple[int, ...], list[float]], int]:
    """The program as a memoryview, its first font's name, Top DICT and glyph count."""
    data = memoryview(program)
    if len(data) < 4 or data[0] != 1:
        raise CffError("not a CFF program (major version 1)")
    names, after = _index(data, data[2])
    tops, _ = _index(data, after)
    if not names or not tops:
        raise CffError("no font in the CFF program")
    name = bytes(data[names[0][0]:names[0][1]]).decode("latin-1")
    top = _dict(data[tops[0][0]:tops[0][1]])
    if not top.get(_CHARSTRINGS):
        raise CffError("no CharStrings")
    at = int(top[_CHARSTRINGS][-1])
    if at + 2 > len(data):
        raise CffError("CharStrings past the end")
    glyphs = int.from_bytes(data[at:at + 2], "big")  # the INDEX's count: its 65 536 offsets are not read
    return data, name, top, glyphs


def cff_facts(program: bytes | memoryview) -> CffFacts:
    """The facts of the CFF ``program``'s first font; raises CffError where it does not read as CFF."""
    data, name, top, glyphs = _top(program)
    cid_keyed = _ROS in top
    charset = int(top[_CHARSET][-1]) if top.get(_CHARSET) else 0
    # Charsets 0–2 are the predefined ISOAdobe/Expert ones: never an identity of CIDs.
    identity = cid_keyed and charset > 2 and _identity_charset(data, charset, glyphs)
    return CffFacts(cid_keyed, identity, glyphs, name)


def cff_cids(program: bytes | memoryview) -> frozenset[int]:
    """The CIDs a CID-keyed CFF program has glyphs for (0, ``.notdef``, included); raises CffError
    for a program that is not CID-keyed or does not read."""
    data, _, top, glyphs = _top(program)
    if _ROS not in top or not top.get(_CHARSET):
        raise CffError("not a CID-keyed CFF program")
    cids = {0}
    for first, run in _charset_runs(data, int(top[_CHARSET][-1]), glyphs):
        cids.update(range(first, first + run))
    return frozenset(cids)


def sfnt_table(font: bytes, tag: bytes) -> bytes | None:
    """Table ``tag`` of the OpenType (sfnt) ``font``, or None."""
    if len(font) < 12:
        return None
    count = int.from_bytes(font[4:6], "big")
    for number in range(count):
        record = font[12 + 16 * number:28 + 16 * number]
        if len(record) < 16:
            return None
        found, _, offset, length = struct.unpack(">4sIII", record)
        if found == tag:
            return font[offset:offset + length] if offset + length <= len(font) else None
    return None
