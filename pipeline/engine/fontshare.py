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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .subsets import cid_to_gid_map, harfbuzz_version, subset_font, truetype_kept

__all__ = ["FontMemo", "share_fonts"]


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
    cid_fonts: list[Any] = field(default_factory=list)
    maps: dict[tuple[int, int], Any] = field(default_factory=dict)
    """Each program's ``/CIDToGIDMap`` (``/Identity``, or a compact TrueType program's stream)."""
    compact: str = ""
    """The kind of compact program (``subsets.subset_font``), or "" for WeasyPrint's."""
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
                 harfbuzz_version(), zlib.ZLIB_RUNTIME_VERSION]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def proof(self, path: str, index: int, glyphs: Sequence[int], probe: str, program: Callable[[], bytes],
              compact: str = "") -> bool:
        """Whether subsetting ``path`` as a build does, for ``glyphs``, gives exactly ``program()``.

        ``probe`` is the digest of the stream ``program()`` decodes (``_stream_digest``): what is
        remembered is keyed on it, so a remembered verdict needs no decoding.  ``compact``: the
        program is a compact one of that kind (``subsets.subset_font``), not WeasyPrint's own subset.
        """
        key = self.key(f"proof-{compact}" if compact else "proof", path, index, glyphs, probe.encode())
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

    def union(self, path: str, index: int, glyphs: Iterable[int], compact: str = "") -> tuple[bytes, int] | None:
        """The program for ``glyphs``, Flate-compressed, and its length before compression (None if none)."""
        wanted = sorted(set(glyphs))
        key = self.key(f"union-{compact}" if compact else "union", path, index, wanted)
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
        if not isinstance(descriptor, pikepdf.Dictionary) or "/CIDSet" in descriptor or "/W" not in cid_font:
            continue
        key = next((k for k in ("/FontFile3", "/FontFile2") if k in descriptor), None)
        if key is None:
            continue
        stream = descriptor[key]
        subtype = str(stream.get("/Subtype", ""))
        mapped = cid_font.get("/CIDToGIDMap")
        if mapped == "/Identity":
            compact = "cff" if subtype == "/CIDFontType0C" else ""
        elif isinstance(mapped, pikepdf.Stream) and key == "/FontFile2":
            compact = "truetype"  # engine.compactfonts: CIDs are the original glyph ids, mapped to the program's
        else:
            continue
        digest = _stream_digest(stream)
        name = memo.postscript_name(digest, stream.read_bytes)
        if name is None:
            continue
        face = faces.setdefault((name, key + subtype + compact), _Face(compact=compact))
        if all(s.objgen != stream.objgen for s, _ in face.streams):
            face.streams.append((stream, digest))
            face.maps[stream.objgen] = mapped
        face.descriptors.append((descriptor, key))
        face.cid_fonts.append(cid_font)
        face.glyphs.setdefault(stream.objgen, set()).update(_widths_glyphs(cid_font["/W"]))
    saved = 0
    for (name, _), face in sorted(faces.items()):
        if len(face.streams) < 2:
            continue
        original = _font_by_postscript_name(name)
        if original is None:
            continue
        probe, digest = face.streams[0]
        compact, glyphs = face.compact, set().union(*face.glyphs.values())
        if not memo.proof(*original, sorted(face.glyphs[probe.objgen]), digest, probe.read_bytes, compact):
            continue  # not the file (or not the subsetter) the pages were made with: leave them be
        shared_map = None
        if compact == "truetype":
            page_kept = truetype_kept(*original, face.glyphs[probe.objgen])
            union_kept = truetype_kept(*original, glyphs)
            if (page_kept is None or union_kept is None
                    or face.maps[probe.objgen].read_bytes() != cid_to_gid_map(page_kept)):
                continue
            shared_map = pdf.make_indirect(pikepdf.Stream(pdf, zlib.compress(cid_to_gid_map(union_kept))))
            shared_map.Filter = pikepdf.Name.FlateDecode
        union = memo.union(*original, glyphs, compact)
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
        if shared_map is not None:
            for cid_font in face.cid_fonts:
                cid_font.CIDToGIDMap = shared_map
        saved += before - len(shared.read_raw_bytes())
    memo.prune()
    return saved
