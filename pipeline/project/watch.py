"""Rebuild a publication whenever one of its files is saved: one line per rebuild, errors wait for the next save.

``broadsheet watch`` builds once, then feeds every change set of the publication's folder
(source texts, sidecars, ``phrases.yaml``, the config, its ``layouts/`` and ``styles/``, and
the packaged defaults) to the same incremental ``build()``, so only what a change touches
is rendered again.  The loop (``watch_changes``) takes any iterable of change sets, so tests
drive it without real time or a real file watcher; ``disk_changes`` is the real one
(``watchfiles``).  A broken edit prints its one-line error and the loop goes on.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import BroadsheetError
from .config import Config, load_config, packaged_dir
from .manifest import BuildResult

Say = Callable[[str], None]

DEBOUNCE_MS = 300
"""How long the watcher gathers changes after the first one before rebuilding (an editor saves in bursts)."""

IGNORED_SUFFIXES = (".swp", ".swx", "~", ".tmp", ".part")
"""Editors' and our own temporary files: never a reason to rebuild."""


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How each rebuild runs: ``broadsheet build``'s options."""

    config: Path
    editions: tuple[str, ...] = ()
    jobs: int | None = None
    output: str | None = None
    strict: bool = False
    preview: bool = False


@dataclass(frozen=True, slots=True)
class Rebuild:
    """One build of the loop: what changed, what was rendered, how long it took, or its error."""

    changed: tuple[str, ...]
    rendered: tuple[str, ...] = ()
    seconds: float = 0.0
    error: str | None = None
    warnings: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    output: Path | None = None

    def line(self) -> str:
        """The one line the loop prints for this build.

        >>> Rebuild(("source/a.txt",), ("zh-Hans/a",), 1.25).line()
        'rebuilt zh-Hans/a in 1.2 s (changed: source/a.txt)'
        >>> Rebuild((), (), 0.05).line()
        'up to date in 0.1 s'
        >>> Rebuild(("a.yaml",), error="a.yaml:3: pages: expected a list").line()
        'error: a.yaml:3: pages: expected a list (waiting for the next save)'
        """
        if self.error is not None:
            return f"error: {self.error} (waiting for the next save)"
        done = f"rebuilt {', '.join(self.rendered)}" if self.rendered else "up to date"
        cause = f" (changed: {', '.join(self.changed)})" if self.changed else ""
        extra = ""
        if self.problems:
            extra = f"; {len(self.problems)} preflight problem(s)"
        return f"{done} in {self.seconds:.1f} s{cause}{extra}"


@dataclass
class Desk:
    """Runs the builds of a watch or serve session and remembers the last one (``serve`` shows it)."""

    options: BuildOptions
    progress: Say | None = None
    clock: Callable[[], float] = time.monotonic
    last: Rebuild | None = None
    config: Config | None = None
    generation: int = 0
    """How many builds have finished; ``serve`` reloads the browser when it grows."""
    listeners: list[Callable[[Rebuild], None]] = field(default_factory=list)
    last_reasons: list[str] = field(default_factory=list)
    """Why each page × edition of the last build was rendered (``-v``)."""
    workers: Any = None
    """The session's ``build.LocalRunner``: its worker processes stay up from one build to the next."""

    def build(self, changed: Collection[str] = ()) -> Rebuild:
        """Load the config afresh (it may be what changed) and build; errors become the Rebuild's error."""
        from .build import LocalRunner, build

        start = self.clock()
        if self.workers is None:
            self.workers = LocalRunner(max(1, self.options.jobs or os.cpu_count() or 1))
        try:
            config = load_config(self.options.config, strict=self.options.strict, output=self.options.output)
            self.config = config
            result: BuildResult = build(config, editions=list(self.options.editions) or None, jobs=self.options.jobs,
                                        progress=self.progress, preview=self.options.preview, runner=self.workers)
        except BroadsheetError as exc:
            rebuild = Rebuild(tuple(sorted(changed)), seconds=self.clock() - start, error=str(exc))
        else:
            rebuild = Rebuild(tuple(sorted(changed)), tuple(result.rendered), self.clock() - start,
                              warnings=tuple(result.warnings), problems=tuple(result.problems), output=config.output)
        self.last = rebuild
        self.last_reasons = list(result.reasons) if rebuild.error is None else []
        self.generation += 1
        for listener in self.listeners:
            listener(rebuild)
        return rebuild

    def close(self) -> None:
        """Stop the session's worker processes."""
        if self.workers is not None:
            self.workers.close()
            self.workers = None

    def root(self) -> Path:
        return (self.config.root if self.config is not None else self.options.config.resolve().parent)

    def output(self) -> Path:
        if self.config is not None:
            return self.config.output
        if self.options.output is not None:
            return Path(self.options.output).resolve()
        return self.root() / "output"


def relevant(desk: Desk, path: str) -> bool:
    """Whether a changed path is an input of the build (not the output, a hidden folder or a temp file)."""
    candidate = Path(path)
    if candidate.name.endswith(IGNORED_SUFFIXES) or candidate.name.startswith((".#", "#")):
        return False
    resolved = candidate.resolve()
    output = desk.output().resolve()
    if resolved == output or output in resolved.parents:
        return False
    root = desk.root().resolve()
    inside = resolved.relative_to(root).parts if resolved.is_relative_to(root) else resolved.parts[-1:]
    return not any(part.startswith(".") or part == "__pycache__" for part in inside)


def _shown(desk: Desk, path: str) -> str:
    resolved = Path(path).resolve()
    root = desk.root().resolve()
    return str(resolved.relative_to(root)) if resolved.is_relative_to(root) else resolved.name


def watch_changes(desk: Desk, changes: Iterable[Collection[str]], say: Say) -> int:
    """Build once, then rebuild on every change set that touches an input; one line each. Returns 0.

    ``changes`` yields sets of changed paths (``disk_changes`` does, from the file system);
    sets with nothing relevant in them are skipped silently.
    """
    try:
        say(desk.build().line())
        for batch in changes:
            touched = sorted({_shown(desk, p) for p in batch if relevant(desk, p)})
            if not touched:
                continue
            say(desk.build(touched).line())
    finally:
        desk.close()
    return 0


def watched_folders(desk: Desk) -> list[Path]:
    """The folders to watch: the publication's folder, and the packaged layouts and styles it falls back on."""
    folders = [desk.root()]
    for name in ("layouts", "styles"):
        packaged = packaged_dir(name)
        if packaged.is_dir() and not packaged.resolve().is_relative_to(desk.root().resolve()):
            folders.append(packaged)
    return folders


def disk_changes(folders: Sequence[Path], stop: threading.Event | None = None) -> Iterator[set[str]]:
    """The changed paths under ``folders``, one set per burst of saves (``watchfiles``); Ctrl-C stops it."""
    import watchfiles

    for batch in watchfiles.watch(*folders, debounce=DEBOUNCE_MS, stop_event=stop, raise_interrupt=True,
                                  watch_filter=None, yield_on_timeout=False):
        yield {path for _, path in batch}


def make_desk(config: str, editions: Sequence[str] | None, jobs: int | None, output: str | None,
              strict: bool, preview: bool, progress: TextIO | None = None) -> Desk:
    """The session of ``broadsheet watch``/``serve`` from its options; ``progress`` hears each artifact."""
    options = BuildOptions(config=Path(config), editions=tuple(editions or ()), jobs=jobs, output=output,
                           strict=strict, preview=preview)
    if progress is None:
        return Desk(options)
    stream = progress

    def announce(line: str) -> None:
        print(f"broadsheet: {line}", file=stream, flush=True)

    return Desk(options, progress=announce)


def say_lines(out: TextIO, err: TextIO, quiet: bool) -> Say:
    """Print the loop's lines: errors on ``err`` always, the rest on ``out`` unless ``quiet``."""

    def say(line: str) -> None:
        if line.startswith("error:"):
            print(f"broadsheet: {line}", file=err, flush=True)
        elif not quiet:
            print(f"broadsheet: {line}", file=out, flush=True)

    return say
