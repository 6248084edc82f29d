"""A process that imported WeasyPrint freezes what the collector tracks when it exits (``engine.quickexit``),
so the interpreter's last collections do not walk the render libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import atexit, gc
# Registered first, so it runs last (atexit runs its handlers in reverse): what the interpreter then meets.
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 10000))
from pipeline.engine.libraries import import_weasyprint
import_weasyprint()
import_weasyprint()
print("frozen before exit:", gc.get_freeze_count())
"""


def test_a_process_that_imported_weasyprint_freezes_at_exit() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.splitlines() == ["frozen before exit: 0", "frozen at exit: True"]


def test_the_handler_is_registered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import atexit

    from pipeline.engine import quickexit

    registered: list[object] = []
    monkeypatch.setattr(atexit, "register", registered.append)
    monkeypatch.setattr(quickexit, "_REGISTERED", [])
    quickexit.freeze_at_exit()
    quickexit.freeze_at_exit()
    assert registered == [quickexit.gc.freeze]
