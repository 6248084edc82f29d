"""Write files atomically: readers see the old complete file or the new one, never a partial one.

Each write goes to a hidden temporary file in the target's folder (same file
system, so the rename is atomic), is flushed and fsynced, then renamed over the
target with ``os.replace``; the folder is fsynced so the rename survives a crash.
A failed write removes its temporary file.  A process killed with SIGKILL cannot
clean up, so a build calls :func:`remove_stale_temps` on its output folder first.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from ..errors import OutputError

TEMP_SUFFIX = ".broadsheet-tmp"
"""Every temporary file ends with this, so stale ones can be found and removed."""


def temp_path_for(path: str | os.PathLike[str]) -> Path:
    """A fresh hidden temporary path beside ``path``: ``.<name>.<random>.broadsheet-tmp``."""
    target = Path(path)
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a binary file that replaces ``path`` only if the ``with`` block finishes.

    The new file gets the old file's permissions, or the umask's default.
    """
    target = Path(path)
    with _staged(target) as (handle, temp):
        yield handle
    try:
        os.replace(temp, target)
    except OSError as exc:
        with suppress(FileNotFoundError):
            os.unlink(temp)
        raise _output_error(exc, target) from None
    _fsync_folder(target.parent)


@contextmanager
def _staged(target: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A fsynced temporary file beside ``target``, left in place for the caller to rename.

    Yields the open handle and the temporary's path; on any failure the temporary is removed
    and an OSError becomes a one-line OutputError naming ``target``.
    """
    mode = 0o666
    with suppress(FileNotFoundError):
        mode = target.stat().st_mode & 0o7777
    while True:
        temp = temp_path_for(target)
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise _output_error(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle, temp
            handle.flush()
            os.fsync(handle.fileno())
        if mode != 0o666:
            os.chmod(temp, mode)
    except BaseException as exc:
        with suppress(FileNotFoundError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise _output_error(exc, target) from None
        raise


def atomic_write_group(files: Sequence[tuple[str | os.PathLike[str], bytes]]) -> None:
    """Replace several files so that a failure leaves every one of them old, or every one new.

    The protocol: every new file is written to its temporary and fsynced first (a full disk
    stops the group before anything changed); then each old file is kept under a temporary
    hard link and the new one renamed over it; a failed rename renames the kept old files
    back.  Only a crash between two renames can leave a mix, and then the build's cache has
    not recorded the page, so the next build writes it again.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            target = Path(path)
            with _staged(target) as (handle, temp):
                handle.write(data)
            staged.append((target, temp))
        kept: list[tuple[Path, Path | None]] = []
        try:
            for target, temp in staged:
                old: Path | None = None
                if target.exists():
                    old = temp_path_for(target)
                    os.link(target, old)
                kept.append((target, old))
                os.replace(temp, target)
        except OSError as exc:
            for target, old in reversed(kept):
                if old is not None:
                    os.replace(old, target)
                else:
                    with suppress(FileNotFoundError):
                        os.unlink(target)
            raise _output_error(exc, target) from None
        finally:
            for _, old in kept:
                if old is not None:
                    with suppress(FileNotFoundError):
                        os.unlink(old)
    finally:
        for _, temp in staged:
            with suppress(FileNotFoundError):
                os.unlink(temp)
    for folder in dict.fromkeys(target.parent for target, _ in staged):
        _fsync_folder(folder)


def _output_error(exc: OSError, target: Path) -> OutputError:
    """A failed write as one line naming the file (a full disk, a read-only folder)."""
    return OutputError(f"cannot write: {exc.strerror or exc}", str(target),
                       hint="free space or make the output folder writable, or pass --output")


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with atomic_writer(path) as handle:
        handle.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically; newlines are written as given."""
    atomic_write_bytes(path, text.encode(encoding))


TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{12}" + re.escape(TEMP_SUFFIX))
"""The exact shape of :func:`temp_path_for`'s names; nothing else is ever swept."""

SWEEP_DEPTH = 2
"""How far below the output folder temporaries live: ``<edition>/`` and ``.cache/<edition>/``."""


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one of our temporary names.

    >>> is_temp_name(".page.pdf.0123456789ab.broadsheet-tmp"), is_temp_name(".page.pdf.broadsheet-tmp")
    (True, False)
    """
    return TEMP_NAME.fullmatch(name) is not None


def remove_stale_temps(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete temporary files left in an output folder by killed writers; return what was removed.

    Only the folders a build writes are swept: the output folder itself, its
    edition folders (plain names), ``.cache`` and ``web``, and one level below
    them; only regular files with our exact temporary names go, and no
    symbolic link is followed.  Call it only while no other build writes into
    the folder.
    """
    from .paths import BUILD_FOLDERS, EDITION_NAME

    root = Path(folder)
    if root.is_symlink() or not root.is_dir():
        return []
    removed: list[Path] = []

    def sweep(current: Path, depth: int) -> None:
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_file() and is_temp_name(entry.name):
                with suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            elif entry.is_dir() and depth < SWEEP_DEPTH and (
                    depth > 0 or entry.name in BUILD_FOLDERS or EDITION_NAME.fullmatch(entry.name)):
                sweep(Path(entry.path), depth + 1)

    sweep(root, 0)
    return sorted(removed)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (not possible on every platform)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
