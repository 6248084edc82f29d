"""Let a process that loaded the render libraries exit without the collector walking them one last time.

WeasyPrint, its fonts and caches, OpenCC and jieba's dictionary leave some 100,000 objects the
cyclic collector tracks; at exit the interpreter collects and tears its modules down, and its
collections walk all of them: some 0.2 s of wall time after a build's last file is written (a
build's whole tail is a few tenths).  ``freeze_at_exit`` registers, once per process, an
``atexit`` handler that freezes them (``gc.freeze``): the interpreter still clears every module
and closes every file, but its collections skip what was alive when the handler ran.  Nothing a
build writes waits for exit: every file is written and renamed before ``build`` returns.
"""

from __future__ import annotations

import atexit
import gc

__all__ = ["freeze_at_exit"]

_REGISTERED: list[bool] = []


def freeze_at_exit() -> None:
    """At this process's exit, freeze what the collector tracks before the interpreter tears down (once)."""
    if not _REGISTERED:
        _REGISTERED.append(True)
        atexit.register(gc.freeze)
