"""Import WeasyPrint without the fifty processes its library lookup starts.

WeasyPrint's ``text/ffi.py`` opens each native library (GObject, Pango, HarfBuzz, fontconfig,
PangoFT2) by trying a list of names for all platforms.  For every name that is not a file name,
cffi asks ``ctypes.util.find_library``, and on Linux each such call runs ``ldconfig -p`` and,
when that finds nothing, ``gcc`` (with ``collect2`` and ``ld``) and ``ld`` again: some fifty child
processes, about 0.2 s of CPU and of wall time, in every process that imports WeasyPrint (a
build, each spawned worker, ``check``, ``serve``).

``import_weasyprint`` imports it with ``find_library`` answered from one read of the ``ldconfig``
cache, the first of the lookups the standard library makes: a name the cache does not hold is
not found, and cffi goes on to WeasyPrint's next name (each list ends with the soname, which
the dynamic loader opens by itself).  The replacement is in place only while WeasyPrint's
libraries load, and only where ``ldconfig -p`` answers; elsewhere the import is the stock one.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import cache
from types import ModuleType

__all__ = ["import_weasyprint"]

LDCONFIG = "/sbin/ldconfig"

_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}
"""The ABI tag ``ldconfig -p`` prints for this machine's libraries (as ``ctypes.util`` maps it)."""


def import_weasyprint() -> ModuleType:
    """``import weasyprint``, its native libraries found from the ``ldconfig`` cache (once per process).

    The process then exits without walking what it loaded (``quickexit``).
    """
    if "weasyprint.text.ffi" not in sys.modules:
        from .quickexit import freeze_at_exit

        with _cached_library_lookup():
            import weasyprint.text.ffi  # noqa: F401
        freeze_at_exit()
    import weasyprint

    return weasyprint


@contextlib.contextmanager
def _cached_library_lookup() -> Iterator[None]:
    cache_text = _ldconfig_cache() if sys.platform.startswith("linux") else None
    if cache_text is None:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = _lookup_in(cache_text)  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _lookup_in(cache_text: bytes) -> Callable[[str], str | None]:
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = _ABI.get(machine, "libc6")

    def find_library(name: str) -> str | None:
        """The soname ``ldconfig -p`` lists for ``lib<name>``, as ``ctypes.util`` reads it first."""
        found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), cache_text)
        return os.fsdecode(found.group(1)) if found else None

    return find_library


@cache
def _ldconfig_cache() -> bytes | None:
    """What ``ldconfig -p`` prints, or None where it cannot be run."""
    try:
        done = subprocess.run([LDCONFIG, "-p"], capture_output=True, check=True, timeout=10,
                              env={**os.environ, "LC_ALL": "C", "LANG": "C"})
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout or None
