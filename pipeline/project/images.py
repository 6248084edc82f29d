"""Find, check and measure the photos a page's sidecar names, for the layout and the output folder.

Each photo is a JPEG or PNG inside the project (the path policy of ``paths.py``, symbolic
links followed). The build copies it beside the HTML that shows it, as
``output/<edition>/images/<sha>.<ext>`` (named by its content, so a changed photo is a new
file and two pages showing one photo share it), and the HTML names it by that relative URL:
the written page shows its photos from ``output/``, and ``broadsheet serve`` serves them.
WeasyPrint reads the same bytes from the project (``engine.render``'s ``photos``).

A missing, unreadable or unsafe file is a one-line error naming the sidecar, its line and key.

Measuring a photo decodes all of it (so a truncated file is refused here, not padded by
WeasyPrint); every page × edition job and the web edition load the same photos, so a build
passes ``sizes``, the folder ``output/.cache/_images/``, where each decoded photo leaves a
record named by its content's sha256: a later load of the same bytes reads the record
instead of decoding them again.  The record is keyed on the bytes, so an edited photo is
decoded (and checked) afresh.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model import ImageFix, Sidecar
from ..typeset.photos import Picture
from .paths import PathRefused, resolve_inside

IMAGE_FOLDER = "images"
"""The photos' folder in each edition's output folder."""

FORMATS = {"PNG": "png", "JPEG": "jpg"}
"""The image formats a photo may have (Pillow's names) and the extension of its copy."""

MAX_PIXELS = 200_000_000
"""Refuse images with more pixels than this (a press photo has some 50 million; a bomb billions)."""

COPY_NAME = re.compile(r"[0-9a-f]{16}\.(?:png|jpg)")
"""The names of the copies in ``images/`` (the build removes the ones no page shows any more)."""

_SIDEWAYS = frozenset({5, 6, 7, 8})
"""EXIF orientations that turn the stored pixels a quarter: the upright photo swaps width and height."""


@dataclass(frozen=True, slots=True)
class Photo:
    """One photo a sidecar names: where it is, its bytes, and how the layout names and measures it."""

    name: str
    """As the sidecar writes it (``source/images/a.jpg``)."""
    path: Path
    data: bytes
    picture: Picture


def load_photos(sidecar: Sidecar | None, root: Path, sizes: Path | None = None) -> dict[str, Photo]:
    """Every photo of a sidecar, by the name the sidecar gives it; a bad one is a one-line ConfigError.

    ``sizes`` is the folder of measurement records (see the module's docstring); None decodes every photo.
    """
    photos: dict[str, Photo] = {}
    if sidecar is None:
        return photos
    for fix in sidecar.images:
        if fix.image not in photos:
            photos[fix.image] = _load(sidecar, fix, root, sizes)
    return photos


def _key(fix: ImageFix) -> str:
    return f"{fix.key}.file" if fix.key.startswith("images") else (fix.key or "captions")


def _load(sidecar: Sidecar, fix: ImageFix, root: Path, sizes: Path | None) -> Photo:
    key = _key(fix)
    try:
        path = resolve_inside(fix.image, root)
    except PathRefused as exc:
        raise sidecar.error(fix.where, f"{key}: {exc.message}", exc.hint) from None
    if not path.is_file():
        what = "is not a file" if path.exists() else "does not exist"
        raise sidecar.error(fix.where, f"{key}: {fix.image!r} {what}",
                            "name a JPEG or PNG file relative to the config's folder")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise sidecar.error(fix.where, f"{key}: cannot read {fix.image!r}: {exc.strerror}") from None
    full_digest = hashlib.sha256(data).hexdigest()
    measured = _recorded_size(sizes, full_digest)
    if measured is None:
        try:
            measured = measure_image(data)
        except ValueError as exc:
            raise sidecar.error(fix.where, f"{key}: {fix.image!r} {exc}", "give a JPEG or PNG photo") from None
        _record_size(sizes, full_digest, measured)
    width, height, kind = measured
    digest = full_digest[:16]
    return Photo(fix.image, path, data, Picture(f"{IMAGE_FOLDER}/{digest}.{FORMATS[kind]}", width, height))


def _recorded_size(sizes: Path | None, digest: str) -> tuple[int, int, str] | None:
    """The measurement an earlier load recorded for the bytes of sha256 ``digest``; None when none reads."""
    if sizes is None:
        return None
    try:
        record = json.loads((sizes / f"{digest}.json").read_text(encoding="utf-8"))
        width, height, kind = int(record["width"]), int(record["height"]), str(record["format"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (width, height, kind) if kind in FORMATS and width > 0 and height > 0 else None


def _record_size(sizes: Path | None, digest: str, measured: tuple[int, int, str]) -> None:
    """Keep a measurement for the next load of the same bytes (atomically: jobs run at once)."""
    if sizes is None:
        return
    from .atomic import atomic_write_text

    width, height, kind = measured
    try:
        sizes.mkdir(parents=True, exist_ok=True)
        atomic_write_text(sizes / f"{digest}.json",
                          json.dumps({"width": width, "height": height, "format": kind}, sort_keys=True) + "\n")
    except OSError:
        pass  # a record is an optimisation: the next load decodes again


def measure_image(data: bytes) -> tuple[int, int, str]:
    """An image's upright width and height in pixels and its format; ValueError when it is not a usable JPEG or PNG.

    The whole image is decoded, so a truncated file is found here rather than by WeasyPrint.

    >>> from PIL import Image
    >>> buffer = io.BytesIO(); Image.new("RGB", (30, 20)).save(buffer, "PNG")
    >>> measure_image(buffer.getvalue())
    (30, 20, 'PNG')
    >>> measure_image(b"GIF89a...")
    Traceback (most recent call last):
    ValueError: is not a JPEG or PNG image
    """
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint sets Pillow to pad truncated images silently when it is imported; a photo
    # missing its end is refused here, whatever was imported before.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise ValueError("is not a JPEG or PNG image")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValueError(f"has {width}×{height} pixels, more than {MAX_PIXELS:,}")
            orientation = image.getexif().get(0x0112)
            image.load()
            kind = image.format
    except UnidentifiedImageError:
        raise ValueError("is not a JPEG or PNG image") from None
    except (OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError(f"cannot be read as an image ({exc})") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    if orientation in _SIDEWAYS:
        width, height = height, width
    return width, height, kind


def image_hash(names: Iterable[str], root: Path) -> str:
    """One hash over the photos a sidecar names, for the page's cache key (a missing one hashes as missing)."""
    from .cache import file_sha

    digest = hashlib.sha256()
    for name in sorted(set(names)):
        try:
            path = resolve_inside(name, root)
            found = file_sha(path) if path.is_file() else "missing"
        except (PathRefused, OSError):
            found = "refused"
        digest.update(f"{name}\0{found}\n".encode())
    return digest.hexdigest()


def aliases(photos: Mapping[str, Photo]) -> dict[str, Path]:
    """The URLs the HTML names the photos by, and the project files WeasyPrint reads for them."""
    return {photo.picture.url: photo.path for photo in photos.values()}


def sweep_copies(folder: Path, keep: Iterable[Path]) -> None:
    """Remove the photo copies in ``folder`` (an edition's ``images/``) that no built page shows."""
    kept = {Path(path) for path in keep}
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path not in kept and COPY_NAME.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)

