"""Time the pipeline's stages, for ``-v``: wall and CPU seconds per named stage, summed over calls.

>>> watch = Stopwatch()
>>> with watch.stage("reflow"):
...     pass
>>> list(watch.totals())
['reflow']
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Stopwatch:
    """Accumulates ``(wall, cpu)`` seconds per stage name, in the order stages first ran."""

    _totals: dict[str, tuple[float, float]] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the ``with`` block as (part of) stage ``name``."""
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - wall, time.process_time() - cpu)

    def add(self, name: str, wall: float, cpu: float) -> None:
        """Add a measurement made elsewhere (a worker process) to stage ``name``."""
        old_wall, old_cpu = self._totals.get(name, (0.0, 0.0))
        self._totals[name] = (old_wall + wall, old_cpu + cpu)

    def merge(self, totals: Mapping[str, tuple[float, float]]) -> None:
        """Add every stage of another stopwatch's ``totals()``."""
        for name, (wall, cpu) in totals.items():
            self.add(name, wall, cpu)

    def totals(self) -> dict[str, tuple[float, float]]:
        """Each stage's ``(wall, cpu)`` seconds."""
        return dict(self._totals)

    def format(self) -> str:
        """One line: each stage's wall time in ms, CPU in brackets when it differs by more than 10%.

        >>> watch = Stopwatch()
        >>> watch.add("decode", 0.0012, 0.0012); watch.add("render", 2.0, 1.5)
        >>> watch.format()
        'timings: decode 1.2 ms, render 2000.0 ms (cpu 1500.0 ms)'
        """
        parts = []
        for name, (wall, cpu) in self._totals.items():
            part = f"{name} {wall * 1000:.1f} ms"
            if abs(cpu - wall) > 0.1 * max(wall, 1e-9):
                part += f" (cpu {cpu * 1000:.1f} ms)"
            parts.append(part)
        return "timings: " + ", ".join(parts)
