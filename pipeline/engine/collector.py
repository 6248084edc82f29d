"""Let the cyclic garbage collector run less often while a build lays pages out.

A page's render makes millions of short-lived containers (WeasyPrint's boxes, style dicts,
Pango line tuples).  Under CPython's default thresholds (700, 10, 10) the collector's young
generation runs some 600 times for the sample's three editions and its older ones some 60
times, about a tenth of the build's CPU (0.45–0.55 s of 4.6 s, measured with ``gc.callbacks``),
while almost none of it is cyclic garbage: boxes die by reference counting when a page is done.

``roomy_collector`` raises the thresholds to ``YOUNG`` allocations and ``OLDER`` passes for as
long as any thread of the process is inside it (the first to enter saves them, the last to
leave restores them; nesting is free), so a build run from a library call, a test or a worker
leaves the interpreter as it found it.  It is a decorator too.  The collector still runs, and
every cycle is still collected: the cost is memory, cyclic garbage living a few thousand
allocations longer.  On the sample (a build process, three editions): 228 passes instead of 663,
0.15–0.25 s of collection instead of 0.45–0.55 s; peak RSS 266 MiB under the default thresholds,
276–357 MiB raised (where the build's one full pass falls decides it; young thresholds of 2000,
5000 and 10 000 all measured in that range).
``start_worker`` is a pool worker's initializer: it freezes what the worker started with (those
objects live as long as it; see ``project.build._fork_pool``) and keeps the roomy thresholds for
the worker's life.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["OLDER", "YOUNG", "roomy_collector", "start_worker"]

YOUNG = 5_000
"""Allocations (less deallocations) of tracked objects between two young-generation passes."""

OLDER = 20
"""Passes of one generation between two passes of the next (both older generations)."""


class _State:
    """How many bodies are inside ``roomy_collector``, and the thresholds the first one found."""

    depth = 0
    saved: tuple[int, ...] = ()


_LOCK = threading.Lock()
_STATE = _State()


def _roomy(saved: tuple[int, ...]) -> tuple[int, int, int]:
    """The thresholds to run with: never lower than ``saved`` (a caller's own tuning stands).

    A threshold of 0 (the collector's automatic passes switched off) stays 0.
    """
    young, middle, old = saved
    if young == 0:
        return (0, middle, old)
    return (max(young, YOUNG), max(middle, OLDER), max(old, OLDER))


@contextmanager
def roomy_collector() -> Iterator[None]:
    """Run the body with the collector's thresholds raised (``YOUNG``, ``OLDER``); restore them after."""
    with _LOCK:
        if _STATE.depth == 0:
            _STATE.saved = gc.get_threshold()
            gc.set_threshold(*_roomy(_STATE.saved))
        _STATE.depth += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE.depth -= 1
            if _STATE.depth == 0:
                gc.set_threshold(*_STATE.saved)


def start_worker() -> None:
    """A pool worker's initializer: freeze what it started with, and keep roomy thresholds for its life."""
    gc.freeze()
    gc.set_threshold(*_roomy(gc.get_threshold()))
