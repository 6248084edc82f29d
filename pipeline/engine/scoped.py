"""A patch of WeasyPrint that is in place while a block is open anywhere in the process and acts only
for the threads inside one (``engine.justify``, ``engine.compactfonts``).

Entries nest and may come from several threads: ``install`` runs when the first block in the
process opens, ``uninstall`` when the last one closes (also on an exception), both with the
patch's lock held; ``active()`` tells the patched functions whether the calling thread is inside
a block, so every other thread gets WeasyPrint's own behaviour.  An ``install`` that raises
leaves nothing open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["ScopedPatch"]


class ScopedPatch:
    """Open blocks of one patch: counted in ``state["entries"]`` for the process, and per thread."""

    def __init__(self, install: Callable[[], None], uninstall: Callable[[], None], state: dict[str, Any]) -> None:
        self._install, self._uninstall, self._state = install, uninstall, state
        self._state.setdefault("entries", 0)
        self._lock = threading.Lock()
        self._local = threading.local()

    def active(self) -> bool:
        """Whether the calling thread is inside a block."""
        return getattr(self._local, "depth", 0) > 0

    @contextmanager
    def block(self) -> Iterator[None]:
        with self._lock:
            if self._state["entries"] == 0:
                self._install()
            self._state["entries"] += 1
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            yield
        finally:
            self._local.depth -= 1
            with self._lock:
                self._state["entries"] -= 1
                if self._state["entries"] == 0:
                    self._uninstall()
