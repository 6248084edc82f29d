"""Render a build's pages × editions as Dask tasks: inputs travel by content, the client writes every artifact.

``broadsheet build --scheduler tcp://HOST:PORT`` hands ``build()`` a
:class:`DaskRunner`.  For each round of jobs it sends

- once per build, the publication's shared files (``phrases.yaml`` and its own
  ``layouts/`` and ``styles/``) as one task result every worker fetches once;
- per page × edition, the :class:`PageJob` (plain data: config, edition, page
  numbers, the input hashes) and the page's own files (its text, its sidecar and
  the images the sidecar names).

A worker writes those files into a folder of its own keyed by their content,
checks that the inputs it now holds hash to the client's (same page text,
settings, templates, styles, fonts, code and library versions, else a one-line
error naming the difference), runs the ordinary ``render_job`` into a scratch
output folder, and returns the page result with the bytes of its HTML, JSON and
PDF.  The client checks each file against its sha256 and writes them as one atomic group,
so artifacts, cache and manifest are byte-identical to a local build.  The
worker plugin loads WeasyPrint (and checks the justification patch's guards),
the fonts and OpenCC once per worker; each render still enters its own scoped
``justification()`` context inside ``render_job``.

Dask reschedules the tasks of a worker that dies; a page that fails raises the
same exception it raises locally, so the exit code is the same (2, 1 or 70).
Nothing connects to the scheduler until a round has work: a build with nothing
to do contacts no cluster.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import Client, WorkerPlugin, get_worker
from distributed.client import Future

from ..editions import Edition
from ..errors import ConfigError, RenderError
from .build import PageJob, render_job
from .cache import job_inputs, sha
from .config import Config
from .manifest import PageResult

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the scheduler before ``--scheduler`` gives up with a one-line error."""

_RENDER_LOCK = threading.Lock()
"""One render at a time per worker process: WeasyPrint and the converter cache are not for threads."""


@dataclass(frozen=True, slots=True)
class Files:
    """Project files as (path relative to the project folder, bytes), with one hash over them all."""

    items: tuple[tuple[str, bytes], ...] = ()

    @property
    def digest(self) -> str:
        digest = hashlib.sha256()
        for name, data in self.items:
            digest.update(name.encode() + b"\0" + sha(data).encode() + b"\n")
        return digest.hexdigest()

    @property
    def size(self) -> int:
        return sum(len(data) for _, data in self.items)


@dataclass(frozen=True, slots=True)
class RemoteJob:
    """A page × edition as it travels: the job and the page's own files."""

    job: PageJob
    files: Files


RemoteResult = tuple[PageResult, tuple[tuple[str, bytes], ...]]
"""What a task returns: the page result and each artifact's path (relative to the output) and bytes."""


# ----------------------------------------------------------------------------- client side: what travels


def _relative_name(path: Path, root: Path) -> str:
    """``path`` relative to the project folder; a job never needs a file outside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise ConfigError("a page's input lies outside the project folder, so it cannot travel to a worker",
                          str(path)) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", str(path)) from None


def shared_files(config: Config) -> Files:
    """The files every job of the publication reads: phrases, its PDF/X output profile, its layouts and styles."""
    items: dict[str, bytes] = {}
    for path in (config.phrases, config.output_profile):
        if path is not None:
            items[_relative_name(path, config.root)] = _read(path)
    for folder in (config.layouts, config.styles):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            items[_relative_name(path, config.root)] = _read(path)
    return Files(tuple(sorted(items.items())))


def page_files(config: Config, index: int) -> Files:
    """The files of one page: its text, its sidecar and the images the sidecar names."""
    page_source = config.pages[index]
    items = {_relative_name(page_source.source, config.root): _read(page_source.source)}
    if page_source.sidecar is not None:
        items[_relative_name(page_source.sidecar, config.root)] = sidecar = _read(page_source.sidecar)
        for image in _sidecar_images(sidecar, page_source.sidecar.name):
            path = config.root / image
            if path.is_file():
                items[_relative_name(path, config.root)] = _read(path)
    return Files(tuple(sorted(items.items())))


def _sidecar_images(data: bytes, name: str) -> list[str]:
    """The image files a sidecar names (a sidecar with errors names none: the worker reports them)."""
    from .sidecar import named_images

    try:
        return named_images(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        return []


# ----------------------------------------------------------------------------- worker side


class WorkerSetup(WorkerPlugin):
    """Loads once per worker what every render needs: WeasyPrint (patch guards checked), fonts, OpenCC."""

    name = "broadsheet-setup"

    def __init__(self, editions: Sequence[Edition]) -> None:
        self.editions = tuple(editions)

    def setup(self, worker: Any) -> None:
        prepare_worker(self.editions)


def prepare_worker(editions: Sequence[Edition]) -> None:
    """Import the renderer, check the justification patch's guards, resolve fonts, build converters."""
    from ..editions.convert import make_converter
    from ..engine.fonts import font_file
    from ..engine.justify import check_weasyprint, justification  # noqa: F401 - imported once per worker

    check_weasyprint()
    for edition in editions:
        for family in (edition.serif, edition.sans, edition.kai):
            for weight in (400, 700, 900):
                font_file(family, weight)
        make_converter(edition)


def render_remote(remote: RemoteJob, shared: Files) -> RemoteResult:
    """Render one page × edition from the files that came with it; return the result and artifact bytes."""
    with _RENDER_LOCK:
        base = _scratch()
        root = _materialise(base / f"project-{shared.digest[:32]}", shared, remote.files)
        with tempfile.TemporaryDirectory(dir=base, prefix="output-") as scratch:
            job = _rebased(remote.job, root, Path(scratch))
            _check_inputs(remote.job, job)
            result = render_job(job)
            files = tuple((a.path, (job.config.output / a.path).read_bytes()) for a in result.artifacts)
    return result, files


def _scratch() -> Path:
    """This worker's own scratch folder (Dask's local directory), else one per process."""
    try:
        base = Path(get_worker().local_directory) / "broadsheet"
    except ValueError:  # not running inside a Dask worker
        base = Path(tempfile.gettempdir()) / f"broadsheet-worker-{os.getpid()}"
    base.mkdir(parents=True, exist_ok=True)
    return base


def _materialise(root: Path, shared: Files, own: Files) -> Path:
    """Write the shared files once (their folder is named by their hash), then the page's own files."""
    if not root.is_dir():
        temp = Path(tempfile.mkdtemp(dir=root.parent, prefix=".project-"))
        _write_files(temp, shared)
        try:
            os.rename(temp, root)
        except OSError:  # another process of this worker wrote the same folder first
            shutil.rmtree(temp, ignore_errors=True)
    _write_files(root, own)
    return root


def _write_files(root: Path, files: Files) -> None:
    for name, data in files.items:
        path = root / name
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise RenderError("a job's file lies outside its project folder", name)
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(data)
        os.replace(temp, path)


def _rebased(job: PageJob, root: Path, output: Path) -> PageJob:
    """The job with every path of its config moved from the client's project folder to ``root``."""
    config = job.config

    def move(path: Path) -> Path:
        try:
            return root / path.resolve().relative_to(config.root.resolve())
        except ValueError:
            return path

    def move_optional(path: Path | None) -> Path | None:
        return None if path is None else move(path)

    pages = tuple(dataclasses.replace(p, source=move(p.source), sidecar=move_optional(p.sidecar))
                  for p in config.pages)
    moved = dataclasses.replace(config, path=move(config.path), root=root, pages=pages, output=output,
                                phrases=move_optional(config.phrases), layouts=move_optional(config.layouts),
                                styles=move_optional(config.styles),
                                output_profile=move_optional(config.output_profile))
    return dataclasses.replace(job, config=moved)


def _check_inputs(sent: PageJob, local: PageJob) -> None:
    """The worker's copy of the inputs hashes as the client's did, else name what differs."""
    found = job_inputs(local.config, local.edition, local.index)
    differ = sorted(name for name in set(found) | set(sent.inputs) if found.get(name) != sent.inputs.get(name))
    if differ:
        try:
            where = f"the Dask worker at {get_worker().address}"
        except ValueError:
            where = "this worker"
        shown = "; ".join(f"{name} {str(found.get(name))[:12]} (client: {str(sent.inputs.get(name))[:12]})"
                          for name in differ)
        raise RenderError(f"{sent.label}: {where} has other inputs than the client: {shown}",
                          hint="install the same broadsheet, libraries and fonts on every worker")


# ----------------------------------------------------------------------------- the runner


class DaskRunner:
    """Runs each round of a build's renders as Dask tasks (``build(runner=DaskRunner(address))``).

    Use it as a context manager: the client connects on the first round that has work and
    closes on exit.  ``plugins`` are extra worker plugins (the tests' worker killer).
    ``tasks``, ``sent`` (pickled jobs and files) and ``received`` (artifact bytes) are counted, and
    ``client_seconds`` is the client's own time (connecting aside): packing jobs, checking and writing
    artifacts; the benchmark's cost model rests on them.
    """

    def __init__(self, address: str, timeout: float = CONNECT_TIMEOUT, plugins: Sequence[WorkerPlugin] = ()) -> None:
        self.address = address
        self.timeout = timeout
        self.plugins = tuple(plugins)
        self.client: Client | None = None
        self.tasks = 0
        self.sent = 0
        self.received = 0
        self.client_seconds = 0.0
        self._shared: dict[str, Future] = {}

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        self._shared.clear()

    def _connect(self, editions: Sequence[Edition]) -> Client:
        if self.client is None:
            try:
                client = Client(self.address, timeout=self.timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise ConfigError(f"--scheduler {self.address}: no Dask scheduler answered within "
                                  f"{self.timeout:g} s ({reason})",
                                  hint="start one with 'dask scheduler', or check the address") from None
            client.register_plugin(WorkerSetup(editions))
            for plugin in self.plugins:
                client.register_plugin(plugin)
            self.client = client
        return self.client

    def __call__(self, todo: list[PageJob]) -> Iterable[PageResult]:
        if not todo:
            return []
        config = todo[0].config
        client = self._connect(config.editions)
        started = time.perf_counter()
        shared = shared_files(config)
        if shared.digest not in self._shared:
            self._shared[shared.digest] = client.submit(_identity, shared, key=f"broadsheet-files-{shared.digest}")
            self.sent += len(pickle.dumps(shared))
        held = self._shared[shared.digest]
        futures = []
        for job in todo:
            remote = RemoteJob(_alone(job), page_files(config, job.index))
            self.sent += len(pickle.dumps(remote))
            self.tasks += 1
            futures.append(client.submit(render_remote, remote, held, pure=False,
                                         key=f"broadsheet-render-{job.label}-{job.key[:12]}-{self.tasks}"))
        self.client_seconds += time.perf_counter() - started
        results = []
        try:
            for job, future in zip(todo, futures, strict=True):
                results.append(self._receive(job, future))
        finally:
            for future in futures:
                future.release()
        return results

    def _receive(self, job: PageJob, future: Future) -> PageResult:
        """Wait for one task; write its artifacts atomically after checking their hashes."""
        from distributed import KilledWorker

        from .atomic import atomic_write_group

        try:
            result, files = future.result()
        except KilledWorker as exc:
            raise RuntimeError(f"{job.label}: Dask workers kept dying while rendering it ({exc})") from None
        started = time.perf_counter()
        by_path = {a.path: a for a in result.artifacts}
        output = job.config.output.resolve()
        group = []
        for name, data in files:
            artifact = by_path.get(name)
            target = (output / name).resolve()
            if artifact is None or not target.is_relative_to(output) or sha(data) != artifact.sha256:
                raise RenderError(f"{job.label}: a worker returned {name!r}, which its result does not list as sent")
            self.received += len(data)
            target.parent.mkdir(parents=True, exist_ok=True)
            group.append((target, data))
        # As locally: a failed write leaves all of the page's files old, or all new.
        atomic_write_group(group)
        self.client_seconds += time.perf_counter() - started
        return result


def _alone(job: PageJob) -> PageJob:
    """The job with a config that lists only its own page: what travels stays small in a long issue."""
    return dataclasses.replace(job, index=0, config=dataclasses.replace(job.config, pages=(job.source,)))


def _identity(value: Files) -> Files:
    """A task that holds the shared files, so Dask can recompute them if the worker holding them dies."""
    return value
