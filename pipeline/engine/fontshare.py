"""Share font programs among the pages of a merged PDF: one subset per face, holding every page's glyphs.

WeasyPrint embeds in each page's PDF a HarfBuzz subset of every face it used, keeping the
glyph ids of the original font (``RETAIN_GIDS``, CIDs = glyph ids, ``/Identity`` maps), so
an issue made by concatenating pages holds one copy of a face per page.  ``share_fonts``
replaces, for each face, all of those copies by one program subset from the original font
file with the union of the glyphs the pages use; the pages' font dictionaries (their widths,
``ToUnicode`` maps, names) stay as they are, since every glyph id keeps its meaning.

A build embeds a CID-keyed CJK face as a bare CFF program of its glyphs instead
(``engine.compactfonts``, ``compact_program``): its codes are CIDs found through the program's
charset, so a union of those programs serves every page just the same.

The original is found by the PostScript name the subset carries (fontconfig; a bare CFF's
Name INDEX, which in a collection names the face that the collection's faces share), and trusted
only if subsetting it as the page was (WeasyPrint's way or the compact one), with the glyphs
of one page, gives back exactly that page's embedded program; a face that fails the proof,
uses ``CIDSet`` (PDF 1.4 and PDF/A-1), or appears on a single page is left alone.

HarfBuzz's subsets are the costly part, and a rebuild after one page's edit asks for the same ones
again: ``FontMemo`` remembers the proofs' verdicts and the union programs, keyed on what decides
them (the font file's path, size and modification time, the face index, the glyphs, the probe's
digest, HarfBuzz's and zlib's versions), in memory and, given a folder (the build's
``output/.cache/fonts``), on disk.  A record that does not read back whole is made again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["FontMemo", "share_fonts"]

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


COMPACT_SOURCE = (CFF_TAG, b"head", b"maxp")
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

    ``tables`` are the face's ``COMPACT_SOURCE`` tables (``face_tables``).  Only a CID-keyed CFF
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
    face = ffi.gc(hb.hb_face_builder_create(), hb.hb_face_destroy)
    for tag, data in sorted(tables.items()):
        # Read-only blobs over the caller's memory: nothing is copied; the face dies before the tables do.
        blob = hb.hb_blob_create(ffi.from_buffer(data), len(data), READONLY, ffi.NULL, ffi.NULL)
        hb.hb_face_builder_add_table(face, hb.hb_tag_from_string(tag, -1), blob)
        hb.hb_blob_destroy(blob)
    flags = PASSTHROUGH_UNRECOGNIZED | DESUBROUTINIZE | (0 if hinting else NO_HINTING)
    subset = _subset_face(ffi, hb, hb_subset, face, wanted, flags, ())
    if subset == ffi.NULL:
        return None
    with face_tables(ffi, hb, subset, (CFF_TAG,)) as made:
        program = bytes(made[CFF_TAG]) if CFF_TAG in made else None
    return program


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


def subset_font(path: str, index: int, glyphs: Iterable[int], compact: bool = False) -> bytes | None:
    """The program a build embeds for ``glyphs`` of face ``index`` of ``path`` (None if HarfBuzz cannot):
    WeasyPrint's, or with ``compact`` the bare CFF of ``compact_program`` (``engine.compactfonts``)."""
    wanted = sorted(set(glyphs))
    opened = _open_face(path, index) if wanted else None
    if opened is None:
        return None
    ffi, hb, hb_subset, face = opened
    if compact:
        with face_tables(ffi, hb, face, COMPACT_SOURCE) as tables:
            return compact_program(tables, wanted)
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


@lru_cache(maxsize=64)
def _font_by_postscript_name(name: str) -> tuple[str, int] | None:
    """The installed (file, index) whose PostScript name is ``name`` (fontconfig, as ``fc-match`` finds it), or None.

    Asked of fontconfig in this process (``fonts.fc_match``): an issue's five faces an edition
    cost some 8 ms each as ``fc-match`` processes.
    """
    from .fonts import fc_match

    if not name:
        return None
    escaped = "".join("\\" + c if c in "\\-:,=" else c for c in name)
    printed = fc_match(f":postscriptname={escaped}", "%{file}\\n%{index}\\n%{postscriptname}\\n")
    if printed is None:
        return None
    path, index, found = (printed.split("\n") + ["", "", ""])[:3]
    if found != name or not path:
        return None
    return path, int(index or 0)


def _postscript_name(program: bytes) -> str | None:
    from fontTools.ttLib import TTFont

    from .cff import CffError, cff_facts

    if program[:1] == b"\x01":  # a bare CFF program: its Name INDEX holds the PostScript name
        try:
            return cff_facts(program).name or None
        except CffError:
            return None
    try:
        font = TTFont(io.BytesIO(program), lazy=True)
        name = font["name"].getDebugName(6)
    except Exception:  # noqa: BLE001 - any font fontTools cannot read is simply not shared
        return None
    return str(name) if name else None


@dataclass
class _Face:
    """One face's embedded programs across the merged pages, and the glyphs each page's fonts use."""

    streams: list[tuple[Any, str]] = field(default_factory=list)
    """Each distinct program stream, with its ``_stream_digest``."""
    descriptors: list[tuple[Any, str]] = field(default_factory=list)
    glyphs: dict[tuple[int, int], set[int]] = field(default_factory=dict)


def _widths_glyphs(widths: Any) -> set[int]:
    """The CIDs a ``/W`` array lists: ``c [w1 w2 …]`` and ``c_first c_last w`` entries."""
    import pikepdf

    glyphs: set[int] = set()
    items = list(widths)
    position = 0
    while position < len(items):
        first = int(items[position])
        if position + 1 < len(items) and isinstance(items[position + 1], pikepdf.Array):
            glyphs.update(range(first, first + len(items[position + 1])))
            position += 2
        else:
            glyphs.update(range(first, int(items[position + 1]) + 1))
            position += 3
    return glyphs


def _harfbuzz_version() -> str:
    loaded = _harfbuzz()
    if loaded is None:
        return "none"
    ffi, hb, _ = loaded
    return str(ffi.string(hb.hb_version_string()).decode())


_KEPT_IN_MEMORY = 32
_KEPT_ON_DISK = 1024


class FontMemo:
    """The proofs' verdicts and the shared programs already made, in this process and in ``folder``.

    In memory, one table per process (``_PROOFS``, ``_UNIONS``) for every memo; on disk, one small
    file per record in ``folder`` (none when it is None), each holding its own digest, so a damaged
    or truncated record is recomputed, never used.  The newest ``_KEPT_ON_DISK`` records are kept.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.written = False

    @staticmethod
    def key(kind: str, path: str, index: int, glyphs: Iterable[int], probe: bytes = b"") -> str:
        stat = os.stat(path)
        wanted = ",".join(map(str, sorted(set(glyphs))))
        parts = [kind, os.path.realpath(path), stat.st_size, stat.st_mtime_ns, index,
                 hashlib.sha256(wanted.encode()).hexdigest(), hashlib.sha256(probe).hexdigest(),
                 _harfbuzz_version(), zlib.ZLIB_RUNTIME_VERSION]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def proof(self, path: str, index: int, glyphs: Sequence[int], probe: str, program: Callable[[], bytes],
              compact: bool = False) -> bool:
        """Whether subsetting ``path`` as a build does, for ``glyphs``, gives exactly ``program()``.

        ``probe`` is the digest of the stream ``program()`` decodes (``_stream_digest``): what is
        remembered is keyed on it, so a remembered verdict needs no decoding.  ``compact``: the
        program is a bare CFF (``compact_program``), not WeasyPrint's own subset.
        """
        key = self.key("proof-cff" if compact else "proof", path, index, glyphs, probe.encode())
        if key in _PROOFS:
            self._keep(key, b"same" if _PROOFS[key] else b"different")
            return _PROOFS[key]
        record = self._read(key)
        if record in (b"same", b"different"):
            verdict = record == b"same"
        else:
            verdict = subset_font(path, index, glyphs, compact) == program()
            self._write(key, b"same" if verdict else b"different")
        _remember(_PROOFS, key, verdict)
        return verdict

    def postscript_name(self, digest: str, program: Callable[[], bytes]) -> str | None:
        """The PostScript name of the embedded program whose stream has ``digest`` (``_stream_digest``)."""
        key = hashlib.sha256(f"name:{digest}".encode()).hexdigest()
        if key in _NAMES:
            known = _NAMES[key]
            self._keep(key, b"-" if known is None else b"+" + known.encode("utf-8"))
            return known
        record = self._read(key)
        if record is not None and record[:1] in (b"+", b"-"):
            name = record[1:].decode("utf-8", "replace") if record[:1] == b"+" else None
        else:
            name = _postscript_name(program())
            self._write(key, b"-" if name is None else b"+" + name.encode("utf-8"))
        _remember(_NAMES, key, name, kept=_KEPT_ON_DISK)
        return name

    def union(self, path: str, index: int, glyphs: Iterable[int], compact: bool = False) -> tuple[bytes, int] | None:
        """The program for ``glyphs``, Flate-compressed, and its length before compression (None if none)."""
        wanted = sorted(set(glyphs))
        key = self.key("union-cff" if compact else "union", path, index, wanted)
        if (known := _UNIONS.get(key)) is not None:
            self._keep(key, b"%012d" % known[1] + known[0])
            return known
        record = self._read(key)
        if record is not None and len(record) > 12 and record[:12].isdigit():
            made = record[12:], int(record[:12])
        else:
            program = subset_font(path, index, wanted, compact)
            if program is None:
                return None
            made = zlib.compress(program), len(program)
            self._write(key, b"%012d" % made[1] + made[0])
        _remember(_UNIONS, key, made)
        return made

    def _keep(self, key: str, body: bytes) -> None:
        """Write a record this process remembered to a folder that lacks it: a folder's records do not
        depend on what else the process built before."""
        if self.folder is not None and not (self.folder / key).is_file():
            self._write(key, body)

    def _read(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            data = (self.folder / key).read_bytes()
        except OSError:
            return None
        digest, _, body = data.partition(b"\n")
        return body if digest == hashlib.sha256(body).hexdigest().encode() else None

    def _write(self, key: str, body: bytes) -> None:
        if self.folder is None:
            return
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                file.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
            os.replace(temporary, self.folder / key)
        except OSError:
            if temporary is not None:  # a full disk: no half-written record is left behind
                Path(temporary).unlink(missing_ok=True)
            return  # a record not kept is only made again next time
        self.written = True

    def prune(self) -> None:
        """Drop the oldest records beyond ``_KEPT_ON_DISK`` (after a merge that wrote any)."""
        if self.folder is None or not self.written:
            return
        try:
            records = sorted(((p.stat().st_mtime_ns, p) for p in self.folder.iterdir() if not p.name.startswith(".")),
                             reverse=True)
            for _, old in records[_KEPT_ON_DISK:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass


_PROOFS: dict[str, bool] = {}
_UNIONS: dict[str, tuple[bytes, int]] = {}
_NAMES: dict[str, str | None] = {}


def _stream_digest(stream: Any) -> str:
    """A digest of a PDF stream's encoded bytes and how they are encoded: same digest, same decoded bytes."""
    encoding = repr((str(stream.get("/Filter", "")), str(stream.get("/DecodeParms", ""))))
    return hashlib.sha256(encoding.encode() + b"\0" + stream.read_raw_bytes()).hexdigest()


def _remember(table: dict[str, Any], key: str, value: Any, kept: int = _KEPT_IN_MEMORY) -> None:
    while len(table) >= kept:
        del table[next(iter(table))]
    table[key] = value


def share_fonts(pdf: Any, memo: FontMemo | None = None) -> int:
    """Give each face one program for all pages of the pikepdf ``pdf``; the bytes of font programs saved."""
    import pikepdf

    memo = memo or FontMemo()

    faces: dict[tuple[str, str], _Face] = {}
    for font in pdf.objects:
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type0":
            continue
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or len(descendants) != 1:
            continue
        cid_font = descendants[0]
        descriptor = cid_font.get("/FontDescriptor")
        if (cid_font.get("/CIDToGIDMap") != "/Identity" or not isinstance(descriptor, pikepdf.Dictionary)
                or "/CIDSet" in descriptor or "/W" not in cid_font):
            continue
        key = next((k for k in ("/FontFile3", "/FontFile2") if k in descriptor), None)
        if key is None:
            continue
        stream = descriptor[key]
        subtype = str(stream.get("/Subtype", ""))
        digest = _stream_digest(stream)
        name = memo.postscript_name(digest, stream.read_bytes)
        if name is None:
            continue
        face = faces.setdefault((name, key + subtype), _Face())
        if all(s.objgen != stream.objgen for s, _ in face.streams):
            face.streams.append((stream, digest))
        face.descriptors.append((descriptor, key))
        face.glyphs.setdefault(stream.objgen, set()).update(_widths_glyphs(cid_font["/W"]))
    saved = 0
    for (name, _), face in sorted(faces.items()):
        if len(face.streams) < 2:
            continue
        original = _font_by_postscript_name(name)
        if original is None:
            continue
        probe, digest = face.streams[0]
        compact = probe.get("/Subtype") == "/CIDFontType0C"
        if not memo.proof(*original, sorted(face.glyphs[probe.objgen]), digest, probe.read_bytes, compact):
            continue  # not the file (or not the subsetter) the pages were made with: leave them be
        union = memo.union(*original, set().union(*face.glyphs.values()), compact)
        if union is None:
            continue
        compressed, length = union
        shared = pdf.make_indirect(pikepdf.Stream(pdf, compressed))
        shared.Filter = pikepdf.Name.FlateDecode
        if "/Subtype" in probe:
            shared.Subtype = probe.Subtype
        if "/Length1" in probe:
            shared.Length1 = length
        before = sum(len(s.read_raw_bytes()) for s, _ in face.streams)
        for descriptor, key in face.descriptors:
            descriptor[key] = shared
        saved += before - len(shared.read_raw_bytes())
    memo.prune()
    return saved
