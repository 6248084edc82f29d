"""Decide which paths a publication may use: the project folder is the trust boundary.

One policy, used by the config reader, the sidecar reader, the template loader
and the command line:

- every path the config, a sidecar or the command line names resolves
  (symlinks followed) inside the project folder, the config's folder;
- ``layouts/`` and ``styles/`` hold no symbolic link leading out of it;
- edition names are plain names (they become folder names), never one of the
  folders the build writes for itself;
- the output folder (inside or outside the project) is missing, empty, or an
  earlier build's output, and is none of the project's own folders;
- an error about a file outside the project names it, never quotes it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath

from ..errors import ConfigError

EDITION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
"""An edition name: it becomes ``output/<edition>/``, so letters, digits, ``-`` and ``_`` only."""

BUILD_FOLDERS = (".cache", "web")
"""Folders of the output the build writes besides the editions' (``.cache`` would fail EDITION_NAME anyway)."""

RESERVED_NAMES = frozenset({"web", "manifest", "cache"})
"""Edition names refused because the build writes a file or folder of that name (case-insensitively)."""

MANIFEST_NAME = "manifest.json"
MANIFEST_GENERATOR = "broadsheet"
"""An output folder is an earlier build's when its manifest's ``generator`` starts with this."""

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
"""A manifest larger than this is not ours (ours lists a few entries per page)."""

OUTSIDE_HINT = "it is a symbolic link"


class PathRefused(ValueError):
    """A path the policy refuses (outside the project, or not a path at all); ``hint`` says why when not plain."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message if hint is None else f"{message} ({hint})")
        self.message = message
        self.hint = hint


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` is ``root`` or lies below it (both already resolved).

    >>> is_inside(Path("/p/source/a.txt"), Path("/p")), is_inside(Path("/pa"), Path("/p"))
    (True, False)
    """
    return path == root or path.is_relative_to(root)


def resolve(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute, symlinks followed; a path that cannot be resolved raises PathRefused.

    ``Path.resolve`` raises for a NUL byte (ValueError) and, before Python 3.13, for a
    symbolic link loop (RuntimeError); both become one line here.
    """
    try:
        return Path(path).resolve()
    except RuntimeError:
        raise PathRefused(f"{os.fspath(path)!r} is not a usable path", "a symbolic link loop") from None
    except (ValueError, OSError) as exc:
        raise PathRefused(f"{os.fspath(path)!r} is not a usable path", str(exc)) from None


def resolve_inside(value: str | os.PathLike[str], root: Path) -> Path:
    """Resolve ``value`` against ``root``, symlinks followed; raise PathRefused unless it stays inside.

    The path need not exist (a missing file is the caller's error to report).
    """
    root = resolve(root)
    joined = root / Path(value)
    try:
        path = resolve(joined)
    except PathRefused as exc:  # named as written, not joined to the root
        raise PathRefused(f"{os.fspath(value)!r} is not a usable path", exc.hint) from None
    if is_inside(path, root):
        return path
    lexical = Path(os.path.normpath(joined))
    hint = OUTSIDE_HINT if is_inside(lexical, root) else None
    raise PathRefused(f"{os.fspath(value)!r} lies outside the project folder {root}", hint)


def check_inside(path: str | os.PathLike[str], root: str | os.PathLike[str], what: str) -> Path:
    """The resolved ``path`` (relative to the working directory), or a one-line ConfigError when outside ``root``.

    For paths given on the command line, e.g. ``check_inside(args.page, config_folder, "page")``.
    """
    try:
        base, resolved = resolve(root), resolve(path)
    except PathRefused as exc:
        raise ConfigError(f"{what} is not a usable path", os.fspath(path), hint=exc.hint) from None
    if is_inside(resolved, base):
        return resolved
    lexical = Path(os.path.abspath(path))
    hint = OUTSIDE_HINT if is_inside(lexical, base) else None
    raise ConfigError(f"{what} lies outside the project folder {base}", os.fspath(path), hint=hint)


def is_relative_inside(value: str) -> bool:
    """Whether ``value`` is a relative path that cannot climb out of the folder it is read against.

    For names in files the policy cannot resolve yet (a sidecar's image files, resolved
    later against the project folder by the renderer's restricted fetcher).

    >>> [is_relative_inside(v) for v in ("images/a.jpg", "/etc/passwd", "../a.jpg", "a/../../b", "c:x", "")]
    [True, False, False, False, False, False]
    """
    if not value or ":" in value or "\\" in value:
        return False
    path = PurePath(value)
    if path.is_absolute():
        return False
    depth = 0
    for part in path.parts:
        depth += -1 if part == ".." else 1
        if depth < 0:
            return False
    return True


def unsafe_links(folder: Path, root: Path) -> list[tuple[str, str, str | None]]:
    """The symbolic links under ``folder`` that lead outside ``root`` or never resolve (none is followed).

    Each is (the link relative to ``root``, the problem, a hint).
    """
    root = resolve(root)
    found: list[tuple[str, str, str | None]] = []
    for current, dirs, files in os.walk(folder, followlinks=False):
        for name in [*dirs, *files]:
            entry = Path(current) / name
            if not entry.is_symlink():
                continue
            shown = os.path.relpath(entry, root)
            try:
                if not is_inside(resolve(entry), root):
                    found.append((shown, f"{shown!r} lies outside the project folder {root}", OUTSIDE_HINT))
            except PathRefused:
                found.append((shown, f"{shown!r} is a symbolic link that never resolves", "a link loop"))
    return sorted(found)


def edition_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an edition, or None.

    >>> edition_name_problem("zh-TW") is None, edition_name_problem("../x") is not None
    (True, True)
    >>> edition_name_problem("web")
    "'web' is a folder or file the build writes for itself"
    """
    if not EDITION_NAME.fullmatch(name):
        return (f"expected a plain name (letters, digits, '-' and '_', starting with a letter or digit), "
                f"got {name!r}")
    if name.lower() in RESERVED_NAMES:
        return f"{name!r} is a folder or file the build writes for itself"
    return None


def is_build_output(folder: Path) -> bool:
    """Whether ``folder`` holds an earlier build's manifest (its ``generator`` starts with ``broadsheet``)."""
    manifest = folder / MANIFEST_NAME
    try:
        if manifest.is_symlink() or not manifest.is_file() or manifest.stat().st_size > MAX_MANIFEST_BYTES:
            return False
        data = json.loads(manifest.read_bytes())
    except (OSError, ValueError):
        return False
    generator = data.get("generator") if isinstance(data, dict) else None
    return isinstance(generator, str) and generator.startswith(MANIFEST_GENERATOR)


def output_problem(output: Path, root: Path, own_folders: Sequence[tuple[str, Path]],
                   editions: Iterable[str] = ()) -> tuple[str, str | None] | None:
    """Why ``output`` cannot take a build of the project at ``root``, as (message, hint), or None.

    ``own_folders`` are the project's folders by name (``source``, ``layouts``, ``styles``);
    ``editions`` the edition names of the build, whose folders a crashed first build may
    have left without a manifest.
    """
    try:
        output, root = resolve(output), resolve(root)
        folders = [(name, resolve(folder)) for name, folder in own_folders]
    except PathRefused as exc:
        return exc.message, exc.hint
    if output == root:
        return "output folder may not be the project folder", None
    for name, folder in folders:
        if output == folder:
            return f"output folder may not be {name}/", None
        if is_inside(output, folder):
            return f"output folder may not lie inside {name}/", None
    if is_inside(root, output):
        return "output folder may not hold the project folder", None
    if not output.exists():
        return None
    if not output.is_dir():
        return "output folder is a file", None
    try:
        names = [entry.name for entry in os.scandir(output)]
    except OSError as exc:
        return f"cannot read output folder: {exc.strerror}", None
    if not names or is_build_output(output):
        return None
    from .atomic import is_temp_name

    ours = {*editions, *BUILD_FOLDERS}
    if all(name in ours or is_temp_name(name) for name in names):
        return None  # a first build that stopped before it wrote its manifest
    return ("output folder holds files and no Broadsheet manifest",
            "give an empty or new folder, or an earlier build's output")


def check_output_folder(output: str | os.PathLike[str], root: Path, own_folders: Sequence[tuple[str, Path]],
                        editions: Iterable[str] = ()) -> Path:
    """The resolved output folder, or a one-line ConfigError naming it (see :func:`output_problem`)."""
    problem = output_problem(Path(output), root, own_folders, editions)
    if problem is not None:
        raise ConfigError(problem[0], os.path.abspath(output), hint=problem[1])
    return resolve(output)
