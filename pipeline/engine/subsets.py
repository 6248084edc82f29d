"""HarfBuzz subsets of a face as a build embeds them: WeasyPrint's, or compact ones.

WeasyPrint keeps every glyph id of the original font in its subsets (``RETAIN_GIDS``), so the
codes a page shows are the original glyph ids: for a CJK face some 63 000 empty slots with
their metrics.  The compact subsets keep only the glyphs printed, and the codes still mean the
original glyph ids:

- a CID-keyed CFF whose every CID is its glyph id becomes a bare CFF program
  (``/CIDFontType0C``), which a viewer searches by CID through its charset (``compact_program``);
- a TrueType face becomes a TrueType program of the glyphs printed (and the components they
  are built of), with a ``/CIDToGIDMap`` from each original glyph id to its place in the
  program (``compact_truetype``).

Both are made from a face of a few of the original's tables only (``CFF_SOURCE``,
``TRUETYPE_SOURCE``), so they hold exactly the glyphs asked for (no layout closure through the
face's ``GSUB``) and are the same bytes from any face sharing those tables.
``engine.compactfonts`` embeds them; ``engine.fontshare`` proves and unions them.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

_CDEF = """
    typedef ... hb_blob_t;
    typedef ... hb_face_t;
    typedef ... hb_subset_input_t;
    typedef ... hb_set_t;
    typedef uint32_t hb_codepoint_t;
    typedef uint32_t hb_tag_t;
    const char * hb_version_string (void);
    hb_blob_t * hb_blob_create_from_file_or_fail (const char *file_name);
    void hb_blob_destroy (hb_blob_t *blob);
    const char * hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
    hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
    void hb_face_destroy (hb_face_t *face);
    hb_blob_t * hb_face_reference_blob (hb_face_t *face);
    hb_blob_t * hb_face_reference_table (const hb_face_t *face, hb_tag_t tag);
    typedef void (*hb_destroy_func_t) (void *user_data);
    hb_blob_t * hb_blob_create (const char *data, unsigned int length, int mode, void *user_data,
                                hb_destroy_func_t destroy);
    hb_face_t * hb_face_builder_create (void);
    unsigned int hb_face_get_glyph_count (const hb_face_t *face);
    int hb_face_builder_add_table (hb_face_t *face, hb_tag_t tag, hb_blob_t *blob);
    hb_tag_t hb_tag_from_string (const char *str, int len);
    void hb_set_add_sorted_array (hb_set_t *set, const hb_codepoint_t *sorted_codepoints,
                                  unsigned int num_codepoints);
    hb_subset_input_t * hb_subset_input_create_or_fail (void);
    void hb_subset_input_destroy (hb_subset_input_t *input);
    hb_set_t * hb_subset_input_glyph_set (hb_subset_input_t *input);
    hb_set_t * hb_subset_input_set (hb_subset_input_t *input, int set_type);
    void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
    hb_face_t * hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""

# HarfBuzz's hb_subset_flags_t and hb_subset_sets_t values, as WeasyPrint 70 sets them.
NO_HINTING, RETAIN_GIDS, DESUBROUTINIZE, PASSTHROUGH_UNRECOGNIZED = 0x01, 0x02, 0x04, 0x20
DROP_TABLE_TAG = 3
DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")
"""The tables WeasyPrint drops from the fonts it embeds (``weasyprint.pdf.fonts``)."""
CFF_TAG = b"CFF "
READONLY = 1
"""HarfBuzz's HB_MEMORY_MODE_READONLY."""


@lru_cache(maxsize=1)
def _harfbuzz() -> tuple[Any, Any, Any] | None:
    """(ffi, libharfbuzz, libharfbuzz-subset), or None when HarfBuzz's subsetter is not installed."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_CDEF)
    try:
        return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except OSError:
        return None


def _subset_face(ffi: Any, hb: Any, hb_subset: Any, face: Any, glyphs: Sequence[int], flags: int,
                 dropped: Sequence[bytes] = DROPPED_TABLES) -> Any:
    """HarfBuzz's subset of ``face`` (any cffi binding of HarfBuzz: this module's, or WeasyPrint's)."""
    subset = ffi.gc(hb_subset.hb_subset_input_create_or_fail(), hb_subset.hb_subset_input_destroy)
    wanted = ffi.new(f"hb_codepoint_t[{len(glyphs)}]", list(glyphs))
    hb.hb_set_add_sorted_array(hb_subset.hb_subset_input_glyph_set(subset), wanted, len(glyphs))
    hb_subset.hb_subset_input_set_flags(subset, flags)
    tags = sorted(hb.hb_tag_from_string(tag, -1) for tag in dropped)
    dropped = ffi.new(f"hb_codepoint_t[{len(tags)}]", tags)
    hb.hb_set_add_sorted_array(hb_subset.hb_subset_input_set(subset, DROP_TABLE_TAG), dropped, len(tags))
    return ffi.gc(hb_subset.hb_subset_or_fail(face, subset), hb.hb_face_destroy)


CFF_SOURCE = (CFF_TAG, b"head", b"maxp")
"""The tables of a face a bare CFF subset is made from: what it prints depends on nothing else."""


@contextmanager
def face_tables(ffi: Any, hb: Any, face: Any, tags: Sequence[bytes]) -> Iterator[dict[bytes, memoryview]]:
    """Tables ``tags`` of ``face`` (those it has), read in place while the block is open.

    ``ffi``/``hb`` are a cffi binding of HarfBuzz (``_harfbuzz()``'s or WeasyPrint's) and ``face``
    a face of that binding.
    """
    blobs, tables = [], {}
    try:
        for tag in tags:
            blob = hb.hb_face_reference_table(face, hb.hb_tag_from_string(tag, -1))
            blobs.append(blob)
            length = ffi.new("unsigned int *")
            data = hb.hb_blob_get_data(blob, length)
            if data != ffi.NULL and length[0]:
                tables[tag] = memoryview(ffi.buffer(data, int(length[0])))
        yield tables
    finally:
        for blob in blobs:
            hb.hb_blob_destroy(blob)


def compact_program(tables: dict[bytes, memoryview], glyphs: Iterable[int], hinting: bool = False) -> bytes | None:
    """A bare CFF program (``/CIDFontType0C``) holding ``glyphs`` of a face, or None where it cannot be one.

    ``tables`` are the face's ``CFF_SOURCE`` tables (``face_tables``).  Only a CID-keyed CFF
    whose every glyph has its glyph id as CID qualifies: the subset then drops the unused glyphs
    instead of keeping empty slots for them (WeasyPrint's ``RETAIN_GIDS``), and a PDF viewer
    still finds each glyph by the code the page's text shows, since a CIDFontType0C program is
    searched by CID through its charset.  The subset is made from a face of those tables
    alone, so it holds exactly the glyphs asked for (no layout closure through the face's
    ``GSUB``) and is the same bytes from any face of a collection sharing the ``CFF `` table.
    """
    from .cff import CffError, cff_facts

    loaded = _harfbuzz()
    cff = tables.get(CFF_TAG)
    if loaded is None or cff is None or b"maxp" not in tables:
        return None
    try:
        facts = cff_facts(cff)
    except CffError:
        return None
    wanted = sorted(set(glyphs) | {0})
    if not (facts.cid_keyed and facts.identity) or wanted[-1] >= facts.glyphs:
        return None
    ffi, hb, hb_subset = loaded
    subset = _subset_of_tables(loaded, tables, wanted, PASSTHROUGH_UNRECOGNIZED | DESUBROUTINIZE
                               | (0 if hinting else NO_HINTING))
    if subset == ffi.NULL:
        return None
    with face_tables(ffi, hb, subset, (CFF_TAG,)) as made:
        program = bytes(made[CFF_TAG]) if CFF_TAG in made else None
    return program


def _subset_of_tables(loaded: tuple[Any, Any, Any], tables: dict[bytes, memoryview], glyphs: Sequence[int],
                      flags: int) -> Any:
    """HarfBuzz's subset of a face made of ``tables`` alone (read in place: nothing is copied)."""
    ffi, hb, hb_subset = loaded
    face = ffi.gc(hb.hb_face_builder_create(), hb.hb_face_destroy)
    for tag, data in sorted(tables.items()):
        # Read-only blobs over the caller's memory; the face dies before the tables do.
        blob = hb.hb_blob_create(ffi.from_buffer(data), len(data), READONLY, ffi.NULL, ffi.NULL)
        hb.hb_face_builder_add_table(face, hb.hb_tag_from_string(tag, -1), blob)
        hb.hb_blob_destroy(blob)
    return _subset_face(ffi, hb, hb_subset, face, glyphs, flags, ())


TRUETYPE_SOURCE = (b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name")
"""The tables of a face a compact TrueType subset is made from: outlines, what reads them, and the
names (``fontshare`` finds the original face by its PostScript name)."""

_COMPOSITE_WORDS, _COMPOSITE_SCALE, _COMPOSITE_MORE, _COMPOSITE_XY, _COMPOSITE_2X2 = 0x1, 0x8, 0x20, 0x40, 0x80


def _glyph_closure(tables: dict[bytes, memoryview], glyphs: Iterable[int]) -> list[int] | None:
    """``glyphs`` with the glyphs their composites are built of, sorted, 0 first; None where ``glyf``
    does not read (a truncated table, a glyph id past ``maxp``'s count)."""
    head, loca, glyf, maxp = (tables.get(tag) for tag in (b"head", b"loca", b"glyf", b"maxp"))
    if head is None or loca is None or glyf is None or maxp is None or len(head) < 54 or len(maxp) < 6:
        return None
    count = int.from_bytes(maxp[4:6], "big")
    long_offsets = int.from_bytes(head[50:52], "big", signed=True) == 1
    size = 4 if long_offsets else 2
    if len(loca) < (count + 1) * size:
        return None

    def span(glyph: int) -> tuple[int, int]:
        at = glyph * size
        start, end = (int.from_bytes(loca[at + k * size:at + (k + 1) * size], "big") for k in (0, 1))
        return (start, end) if long_offsets else (2 * start, 2 * end)

    kept: set[int] = set()
    work = [0, *glyphs]
    while work:
        glyph = work.pop()
        if glyph in kept:
            continue
        if not 0 <= glyph < count:
            return None
        kept.add(glyph)
        start, end = span(glyph)
        if end > len(glyf) or end < start:
            return None
        if end - start < 10 or int.from_bytes(glyf[start:start + 2], "big", signed=True) >= 0:
            continue  # empty or simple
        at = start + 10
        while True:
            if at + 4 > end:
                return None
            flags, component = struct.unpack(">HH", glyf[at:at + 4])
            work.append(component)
            at += 4 + (4 if flags & _COMPOSITE_WORDS else 2)
            at += 8 if flags & _COMPOSITE_2X2 else 4 if flags & _COMPOSITE_XY else 2 if flags & _COMPOSITE_SCALE else 0
            if not flags & _COMPOSITE_MORE:
                break
    return sorted(kept)


def compact_truetype(tables: dict[bytes, memoryview], glyphs: Iterable[int],
                     hinting: bool = False) -> tuple[bytes, list[int]] | None:
    """A TrueType program of ``glyphs`` of a face (and their components), and the original glyph id of
    each of its glyphs in order, or None where it cannot be made.

    ``tables`` are the face's ``TRUETYPE_SOURCE`` tables (``face_tables``).  The PDF maps each
    original glyph id (its CID) to the program's glyph by a ``/CIDToGIDMap`` (``cid_to_gid_map``).
    """
    loaded = _harfbuzz()
    if loaded is None or any(tag not in tables for tag in TRUETYPE_SOURCE):
        return None
    kept = _glyph_closure(tables, glyphs)
    if kept is None:
        return None
    ffi, hb, _ = loaded
    subset = _subset_of_tables(loaded, tables, kept, PASSTHROUGH_UNRECOGNIZED | (0 if hinting else NO_HINTING))
    if subset == ffi.NULL or hb.hb_face_get_glyph_count(subset) != len(kept):
        return None  # HarfBuzz kept other glyphs than the closure: the map would be wrong
    blob = hb.hb_face_reference_blob(subset)
    try:
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(blob, length)
        program = None if data == ffi.NULL or not length[0] else bytes(ffi.buffer(data, int(length[0])))
    finally:
        hb.hb_blob_destroy(blob)
    return (program, kept) if program is not None else None


def cid_to_gid_map(kept: Sequence[int]) -> bytes:
    """The ``/CIDToGIDMap`` stream's bytes: for each CID (original glyph id) up to the last kept, its
    glyph in a program holding ``kept`` in order (0, ``.notdef``, for a glyph not kept)."""
    table = bytearray(2 * (kept[-1] + 1) if kept else 2)
    for new, old in enumerate(kept):
        table[2 * old:2 * old + 2] = new.to_bytes(2, "big")
    return bytes(table)


def compact_subset(kind: str, ffi: Any, hb: Any, face: Any, glyphs: Iterable[int],
                   hinting: bool = False) -> tuple[bytes, list[int] | None] | None:
    """The compact program of ``kind`` (``"cff"``: ``compact_program``, ``"truetype"``: ``compact_truetype``)
    for ``glyphs`` of ``face``, a face of the cffi binding ``ffi``/``hb`` (this module's or WeasyPrint's),
    with the original glyph ids a TrueType one holds (None for a CFF one); None where it cannot be made."""
    if kind == "cff":
        with face_tables(ffi, hb, face, CFF_SOURCE) as tables:
            program = compact_program(tables, glyphs, hinting)
        return (program, None) if program is not None else None
    with face_tables(ffi, hb, face, TRUETYPE_SOURCE) as tables:
        made = compact_truetype(tables, glyphs, hinting)
    return (made[0], made[1]) if made is not None else None


def truetype_kept(path: str, index: int, glyphs: Iterable[int]) -> list[int] | None:
    """The original glyph ids a compact TrueType program of ``glyphs`` holds, in order (``compact_truetype``)."""
    opened = _open_face(path, index)
    if opened is None:
        return None
    ffi, hb, _, face = opened
    with face_tables(ffi, hb, face, TRUETYPE_SOURCE) as tables:
        return _glyph_closure(tables, glyphs)


def _open_face(path: str, index: int) -> tuple[Any, Any, Any, Any] | None:
    loaded = _harfbuzz()
    if loaded is None:
        return None
    ffi, hb, hb_subset = loaded
    blob = hb.hb_blob_create_from_file_or_fail(path.encode())
    if blob == ffi.NULL:
        return None
    face = ffi.gc(hb.hb_face_create(blob, index), hb.hb_face_destroy)
    hb.hb_blob_destroy(blob)
    return ffi, hb, hb_subset, face


def subset_font(path: str, index: int, glyphs: Iterable[int], compact: str = "") -> bytes | None:
    """The program a build embeds for ``glyphs`` of face ``index`` of ``path`` (None if HarfBuzz cannot):
    WeasyPrint's, or with ``compact`` (``"cff"``, ``"truetype"``) the compact one of that kind."""
    wanted = sorted(set(glyphs))
    opened = _open_face(path, index) if wanted else None
    if opened is None:
        return None
    ffi, hb, hb_subset, face = opened
    if compact:
        made = compact_subset(compact, ffi, hb, face, wanted)
        return made[0] if made is not None else None
    first = _subset_face(ffi, hb, hb_subset, face, wanted,
                         RETAIN_GIDS | PASSTHROUGH_UNRECOGNIZED | DESUBROUTINIZE)
    if first == ffi.NULL:
        return None
    # As WeasyPrint does: then drop the empty glyph slots after the last glyph used.
    second = _subset_face(ffi, hb, hb_subset, first, range(wanted[-1] + 1),
                          PASSTHROUGH_UNRECOGNIZED | DESUBROUTINIZE | NO_HINTING)
    if second == ffi.NULL:
        return None
    data_blob = hb.hb_face_reference_blob(second)
    length = ffi.new("unsigned int *")
    data = hb.hb_blob_get_data(data_blob, length)
    program = None if data == ffi.NULL else bytes(ffi.unpack(data, int(length[0])))
    hb.hb_blob_destroy(data_blob)
    return program


def harfbuzz_version() -> str:
    loaded = _harfbuzz()
    if loaded is None:
        return "none"
    ffi, hb, _ = loaded
    return str(ffi.string(hb.hb_version_string()).decode())
