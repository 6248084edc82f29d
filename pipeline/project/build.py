"""Build every page of every edition into HTML and PDF: reproducibly, incrementally, in parallel.

Read top to bottom this is the pipeline: ``read_page`` (decode_source →
reflow_lines → repair_blocks → build_page), then per edition ``render_job``
(convert_page → check_page_glyphs → paginate: layout_page ⇄ render_document →
write_pdf → preflight), then the combined issue PDF and the manifest.

Incremental builds: every page × edition job has a key, the sha256 of all it
depends on (the page text and sidecar, the edition and config, phrases,
templates, styles, font files, the package's code and library versions, and
its page numbers).  ``output/.cache/<edition>/<page>.json`` remembers the key
and the artifacts it made; a job whose key and files are unchanged is not run,
and nothing heavy (WeasyPrint, OpenCC) is imported by a build with nothing to
do.  Page numbers depend on how many pages the earlier pages took, so a page
that grows or shrinks renumbers the pages after it and only those.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..editions import Edition
from ..engine.collector import roomy_collector, start_worker
from ..engine.paginate import Numbering
from ..engine.pdf import merge_pdfs, preview_pngs
from ..errors import BroadsheetError, ConfigError, OutputError, SourceError
from ..model import Page, Sidecar
from ..timing import Stopwatch
from .cache import (
    CACHE_DIR,
    FONTS_FOLDER,
    SIZES_FOLDER,
    any_total_key,
    artifacts_intact,
    cache_path,
    file_sha,
    job_inputs,
    job_key,
    load_cache,
    preview_record,
    sha,
    store_cache,
    template_shas,
)
from .config import Config, PageSource, packaged_dir
from .images import IMAGE_FOLDER, sweep_copies
from .manifest import Artifact, BuildResult, PageResult, withdraw_editions, write_manifest
from .shard import Shard, in_shard, write_shard_record
from .web import write_web_edition

Progress = Callable[[str], None]
Finished = Callable[[Edition, list[PageResult]], None]
"""Told of an edition whose pages are all final, while other editions' pages may still render."""
Runner = Callable[[list["PageJob"]], Iterable[PageResult]]
"""Renders a round's jobs and returns their results in order (``LocalRunner``, or ``cluster.DaskRunner``)."""

ISSUE_NAME = "issue"
"""The combined PDF of an edition is ``output/<edition>/issue.pdf``."""

CSS_MESSAGE_PREFIXES = ("Ignored `", "Invalid or unsupported selector", "Parse error at", "Unsupported @")
"""How WeasyPrint's stylesheet messages begin."""

MAX_NUMBERING_ROUNDS = 4
"""Rounds of renumbering after pages change length; each round only fixes numbers."""


@dataclass(frozen=True, slots=True)
class PageJob:
    """One page of one edition to render: everything a worker needs, as plain data."""

    index: int
    edition: Edition
    config: Config
    numbering: Numbering
    key: str
    inputs: dict[str, str] = field(default_factory=dict)
    """The hashes of the job's inputs (``_job_inputs``), computed once in the parent for the manifest."""
    content_key: str = ""
    hint: tuple[tuple[int, int, int], ...] = ()
    """Where an earlier render of the same content broke its sheets: the first pagination pass tries them."""
    hint_solo: tuple[int, ...] = ()
    """The stories that render set full width instead of side by side."""
    previous: PageResult | None = None
    """That earlier render (its files intact on disk), when only the page numbers moved: if the
    first pagination pass, from ``hint``, lays out its very HTML, the page does not show the numbers
    that moved (a total only page 1 prints, a folio on no sheet of it), and ``render_job`` returns
    it under the new key instead of rendering the same PDF again."""

    @property
    def source(self) -> PageSource:
        return self.config.pages[self.index]

    @property
    def label(self) -> str:
        return f"{self.edition.name}/{self.source.name}"


# ----------------------------------------------------------------------------- text side


_READ_PAGES: dict[str, Page] = {}
"""The pages this process has read, by ``_read_key``: a worker given several editions of one page parses
it once.  ``Page`` is frozen all the way down (tuples of frozen dataclasses), so editions share it safely."""
_READ_PAGES_KEPT = 8


def read_page(config: Config, index: int, watch: Stopwatch | None = None) -> Page:
    """decode_source → reflow_lines → repair_blocks → build_page for one configured page (memoised)."""
    from ..text import parse_text
    from ..text.decode import decode_source
    page_source = config.pages[index]
    try:
        data = page_source.source.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read page: {exc.strerror}", page_source.given) from None
    key = _read_key(config, index, data)
    if key is not None and (known := _READ_PAGES.get(key)) is not None:
        return known
    watch = watch or Stopwatch()
    with watch.stage("decode"):
        text = decode_source(data, page_source.given, encoding=page_source.encoding,
                             max_bytes=config.max_source_bytes)
    page = parse_text(text, page_source.given, read_sidecar(config, index), watch=watch)
    if key is not None:
        while len(_READ_PAGES) >= _READ_PAGES_KEPT:
            del _READ_PAGES[next(iter(_READ_PAGES))]
        _READ_PAGES[key] = page
    return page


def _read_key(config: Config, index: int, data: bytes) -> str | None:
    """What ``read_page``'s result depends on: the source's and sidecar's bytes, the names their messages
    use, the encoding and the size limit (None when the sidecar cannot be read: then nothing is memoised)."""
    page_source = config.pages[index]
    sidecar = b""
    if page_source.sidecar is not None:
        try:
            sidecar = page_source.sidecar.read_bytes()
        except OSError:
            return None
    names = [page_source.given, page_source.encoding, config.max_source_bytes,
             None if page_source.sidecar is None else _relative(page_source.sidecar, config.root)]
    return sha(json.dumps(names).encode() + b"\0" + sha(data).encode() + b"\0" + sha(sidecar).encode())


def read_sidecar(config: Config, index: int) -> Sidecar | None:
    """The configured page's sidecar, parsed and validated (None when it has none)."""
    from .sidecar import load_sidecar

    page_source = config.pages[index]
    if page_source.sidecar is None:
        return None
    return load_sidecar(page_source.sidecar.read_text(encoding="utf-8"), _relative(page_source.sidecar, config.root))


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


# ----------------------------------------------------------------------------- the build


@roomy_collector()
def build(config: Config, editions: Sequence[str] | None = None, jobs: int | None = None,
          progress: Progress | None = None, preview: bool = False, runner: Runner | None = None,
          shard: Shard | None = None) -> BuildResult:
    """Build the configured pages × editions into ``config.output``; skip what is up to date.

    ``runner`` renders a round's jobs (default: a local process pool of ``jobs`` workers; the
    Dask runner of ``cluster.py`` for ``--scheduler``).  ``shard`` ``(i, n)`` builds only the
    jobs of shard ``i`` of ``n``, its first numbering round only, and no issue PDF
    (``shard.py``: ``broadsheet merge`` finishes the build).

    ``preview`` also writes a PNG of every printed page (``<page>-<n>.png``); without it, earlier
    previews of the built editions are removed.  ``progress`` hears of each artifact once, when
    it is written.
    """
    selected = select_editions(config, editions)
    config = _dated(config)
    if config.pdf_variant and config.pdf_variant.startswith("pdf/x"):
        if config.publication.date is None:
            raise ConfigError(f"pdf.variant: {config.pdf_variant} needs a date: its metadata must carry one, and "
                              "the clock would make every build differ", str(config.path),
                              hint="set publication.date, or SOURCE_DATE_EPOCH")
        _press_profile(config)  # a missing output profile stops the build before any page is rendered
    _prepare_output(config)
    for page_source in config.pages:
        size = page_source.source.stat().st_size
        if size > config.max_source_bytes:
            raise SourceError(f"page is {size:,} bytes, over the limit of {config.max_source_bytes:,}",
                              page_source.given, hint="raise limits.max_source_bytes in the config")
    result = BuildResult(warnings=list(config.warnings))
    result.warnings.extend(_phrase_warnings(config))
    workers = max(1, jobs or os.cpu_count() or 1)
    announce = _Announcer(progress, config, [e.name for e in selected])
    # An edition's issue.pdf is made as soon as its pages are final, while the workers still render
    # the other editions' pages (a one-page edit: the last edition's page renders alone on one core).
    issues: dict[str, Artifact] = {}
    early = Stopwatch()

    def combine_early(edition: Edition, results: list[PageResult]) -> None:
        with early.stage("issue.pdf"):
            issues[edition.name] = _combine_issue(config, edition, results, announce)

    by_edition = _render_pages(config, selected, workers, announce, result, runner, shard,
                               finished=combine_early if shard is None else None)
    watch = Stopwatch()
    watch.merge(result.timings)  # renders of earlier numbering rounds that a later round replaced
    watch.merge(early.totals())
    for edition in selected:
        results = by_edition[edition.name]
        for page_result in results:
            result.artifacts.extend(page_result.artifacts)
            result.warnings.extend(page_result.warnings)
            result.problems.extend(page_result.problems)
            if page_result.rendered:
                result.rendered.append(f"{page_result.edition}/{page_result.page}")
            watch.merge(page_result.timings)
            with watch.stage("previews"):
                result.artifacts.extend(_update_previews(config, page_result, preview, announce))
        # Photos no page of the edition shows any more (a changed or removed photo) go.
        sweep_copies(config.output / edition.name / IMAGE_FOLDER,
                     [config.output / a.path for r in results for a in r.artifacts if a.kind == "image"])
        if shard is None:
            issue = issues.get(edition.name)
            if issue is None or issue.inputs.get("pages") != _issue_key(results):
                with watch.stage("issue.pdf"):
                    issue = _combine_issue(config, edition, results, announce)
            result.artifacts.append(issue)
    if shard is not None:
        write_shard_record(config.output, shard, [e.name for e in selected])
    result.artifacts.extend(write_web_edition(config, selected, progress))  # output/web/<edition>/<page>.html
    write_manifest(config, result, built=[e.name for e in selected])
    result.timings = watch.totals()
    return result


class _Announcer:
    """Tells ``progress`` of each artifact once, however many rounds rewrite it; guards the manifest.

    Before the build first replaces or removes an artifact, ``before_changes`` takes the built
    editions' entries out of ``manifest.json``: a build that fails half-way leaves a manifest that
    lists fewer files, never one whose recorded hash is not the file's.  A build with nothing to
    do writes nothing.
    """

    def __init__(self, progress: Progress | None, config: Config | None = None,
                 editions: Sequence[str] = ()) -> None:
        self.progress = progress
        self.seen: set[str] = set()
        self.config = config
        self.editions = tuple(editions)
        self.withdrawn = False

    def __call__(self, path: str) -> None:
        if self.progress is not None and path not in self.seen:
            self.seen.add(path)
            self.progress(f"wrote {path}")

    def before_changes(self) -> None:
        if not self.withdrawn and self.config is not None:
            withdraw_editions(self.config, self.editions)
        self.withdrawn = True


def _prepare_output(config: Config) -> None:
    """Create the output folder and sweep the temp files a killed build left, as one-line errors."""
    from .atomic import remove_stale_temps

    try:
        config.output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}", str(config.output)) from None
    if not os.access(config.output, os.W_OK | os.X_OK):
        raise OutputError("the output folder is not writable", str(config.output),
                          hint="make it writable, or pass --output")
    remove_stale_temps(config.output)


def _phrase_warnings(config: Config) -> list[str]:
    """Validate the publication's phrases.yaml up front: errors stop the build, unknown keys warn."""
    if config.phrases is None:
        return []
    from ..editions.phrases import load_phrases

    phrases = load_phrases(config.phrases.read_text(encoding="utf-8"), _relative(config.phrases, config.root))
    return list(phrases.warnings)


def _dated(config: Config) -> Config:
    """The publication's date, else ``SOURCE_DATE_EPOCH``: the only dates a PDF carries."""
    if config.publication.date is not None:
        return config
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return config
    try:
        date = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise ConfigError(f"SOURCE_DATE_EPOCH is not a Unix time: {epoch!r}") from None
    return dataclasses.replace(config, publication=dataclasses.replace(config.publication, date=date))


def _render_pages(config: Config, editions: Sequence[Edition], workers: int,
                  announce: _Announcer, result: BuildResult, runner: Runner | None = None,
                  shard: Shard | None = None, finished: Finished | None = None) -> dict[str, list[PageResult]]:
    """Render the pages × editions that are out of date, renumbering until page numbers settle.

    All editions' jobs of a round go to one pool, so a one-page publication
    still renders its editions in parallel.  Each rendered job's reason goes to ``result.reasons``.
    ``finished`` hears of each edition once, with its pages in order, as soon as they are final
    (with the local runner: while other editions' pages still render).
    """
    n_pages = len(config.pages)
    cached = {(e.name, i): load_cache(config, e, p.name) for e in editions for i, p in enumerate(config.pages)}
    counts = {e.name: [entry.pages if (entry := cached[e.name, i]) else 1 for i in range(n_pages)]
              for e in editions}
    # Inputs do not change between rounds: fingerprint each page × edition once.
    templates = template_shas(config)
    inputs = {(e.name, i): job_inputs(config, e, i, templates) for e in editions for i in range(n_pages)}
    contents = {job: sha(json.dumps(found, sort_keys=True).encode()) for job, found in inputs.items()}
    measured: set[int] = set()
    # Number the pages after a long page from its length (``PAGE_FILL``), not as if it took one
    # printed page: a cold build then renders the pages after it once, not again when the counts are known.
    # Every shard makes the same guesses, for its own pages and the others'.
    for index in range(n_pages):
        if any(cached[e.name, index] is None for e in editions):
            try:
                estimate = max(1, math.ceil(_estimate_length(config, index)[1] / PAGE_FILL))
            except BroadsheetError:
                continue  # reported as the page's error where its job is (_check_length, read_page)
            for edition in editions:
                if cached[edition.name, index] is None:
                    counts[edition.name][index] = estimate
    local = LocalRunner(workers)
    try:
        return _render_rounds(config, editions, announce, result, runner if runner is not None else local, shard,
                              cached, counts, inputs, contents, measured, finished)
    finally:
        local.close()


def _render_rounds(config: Config, editions: Sequence[Edition], announce: _Announcer, result: BuildResult,
                   run: Runner, shard: Shard | None, cached: dict[tuple[str, int], PageResult | None],
                   counts: dict[str, list[int]], inputs: dict[tuple[str, int], dict[str, str]],
                   contents: dict[tuple[str, int], str], measured: set[int],
                   finished: Finished | None = None) -> dict[str, list[PageResult]]:
    n_pages = len(config.pages)
    results: dict[tuple[str, int], PageResult] = {}
    spent = Stopwatch()  # the renders a later round replaced (build() adds the final ones)
    told: set[str] = set()  # the editions ``finished`` has heard of
    for _ in range(MAX_NUMBERING_ROUNDS):
        numbering = {e.name: _number_pages(counts[e.name]) for e in editions}
        todo = []
        for edition in editions:
            for i in range(n_pages):
                if not in_shard(edition.name, config.pages[i].name, shard):
                    continue
                number = numbering[edition.name][i]
                job = PageJob(index=i, edition=edition, config=config, numbering=number,
                              key=job_key(inputs[edition.name, i], number),
                              inputs=inputs[edition.name, i], content_key=contents[edition.name, i])
                previous = results.get((edition.name, i)) or cached[edition.name, i]
                if previous is not None and previous.key == job.key and artifacts_intact(config, previous):
                    results[edition.name, i] = previous
                    continue
                if (previous is not None and previous.any_total_key == any_total_key(job.inputs, number)
                        and artifacts_intact(config, previous)):
                    # Only the total moved, and the page does not print it (only page 1 does, by default).
                    results[edition.name, i] = dataclasses.replace(previous, key=job.key)
                    store_cache(config, results[edition.name, i])
                    continue
                result.reasons.append(f"{job.label}: {_reason(previous, job)}")
                if previous is not None and previous.content_key == job.content_key:
                    # Only the page numbers moved: start from the sheets the content broke into last time,
                    # and keep last time's files if the page prints none of the numbers that moved.
                    intact = previous.artifacts and artifacts_intact(config, previous)
                    todo.append(dataclasses.replace(job, hint=tuple(previous.breaks), hint_solo=tuple(previous.solo),
                                                    previous=previous if intact else None))
                else:
                    todo.append(job)
        for index in sorted({job.index for job in todo} - measured):
            _check_length(config, index)
            measured.add(index)
        if todo:
            announce.before_changes()

        def settled(done: Mapping[int, PageResult], todo: list[PageJob] = todo,
                    numbering: dict[str, list[Numbering]] = numbering) -> None:
            """Tell ``finished`` of each edition whose jobs of the round are all ``done`` and numbered right:
            the next round, if any, would keep every one of its pages (their keys do not change)."""
            assert finished is not None
            for edition in editions:
                if edition.name in told:
                    continue
                mine = [k for k, job in enumerate(todo) if job.edition.name == edition.name]
                if not all(k in done for k in mine):
                    continue
                pages = {i: page for (name, i), page in results.items() if name == edition.name}
                pages.update((todo[k].index, done[k]) for k in mine)
                if len(pages) != n_pages or _number_pages([pages[i].pages for i in range(n_pages)]) \
                        != numbering[edition.name]:
                    continue
                told.add(edition.name)
                finished(edition, [pages[i] for i in range(n_pages)])

        tell = settled if finished is not None and shard is None else None
        rendered = run.in_page_order(todo, counts, spent, tell) if isinstance(run, LocalRunner) else run(todo)
        for job, page_result in zip(todo, rendered, strict=True):
            if (job.edition.name, job.index) in results:  # an earlier round's render, superseded: its time counts
                spent.merge(results[job.edition.name, job.index].timings)
            results[job.edition.name, job.index] = page_result
            store_cache(config, page_result)
            if job.previous is not None and page_result.artifacts == job.previous.artifacts:
                continue  # its files were kept, not written again
            for artifact in page_result.artifacts:
                announce(artifact.path)
        if shard is not None:
            break  # a shard cannot renumber: it does not know the other shards' page counts
        counts = {e.name: [results[e.name, i].pages for i in range(n_pages)] for e in editions}
        if all(_number_pages(counts[e.name]) == numbering[e.name] for e in editions):
            break
    result.timings = spent.totals()
    return {e.name: [results[e.name, i] for i in range(n_pages) if (e.name, i) in results] for e in editions}


def _reason(previous: PageResult | None, job: PageJob) -> str:
    """Why a page × edition is rendered again, in a few words."""
    if previous is None:
        return "no earlier build"
    if previous.key == job.key:
        return "its files changed on disk"
    if previous.content_key == job.content_key:
        return f"page numbers moved (now {job.numbering.first} of {job.numbering.total})"
    before = previous.artifacts[0].inputs if previous.artifacts else {}
    changed = sorted(name for name in set(before) | set(job.inputs) if before.get(name) != job.inputs.get(name))
    return "changed: " + ", ".join(changed) if changed else "its settings changed"


LENGTH_FACTOR = 2
"""A page estimated at more than this many times its page budget is refused before rendering."""

PAGE_FILL = 0.7
"""The share of a page packed with body text (``Paper.body_capacity``) that a page's text fills
when set: titles, rules, bylines, paragraph ends and the masthead take the rest.  Measured on
the generated issue (``benchmarks/make_issue.py``, seed 0): its pages holding over 70% of the
packed capacity took two printed pages, those under it one.  Only the first numbering guess of
a cold build uses it; a wrong guess costs a second render of the pages after, never a wrong page."""


def _estimate_length(config: Config, index: int) -> tuple[int, float]:
    """A page's Han characters, letters and digits, and the printed pages they need at least.

    The characters are counted against a page packed with body text (``Paper.body_capacity``),
    so the estimate only ever underestimates the pages needed.
    """
    from ..model import counted_chars
    from ..text.decode import decode_source

    page_source = config.pages[index]
    try:
        data = page_source.source.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read page: {exc.strerror}", page_source.given) from None
    text = decode_source(data, page_source.given, encoding=page_source.encoding, max_bytes=config.max_source_bytes)
    characters = sum(counted_chars(text).values())
    return characters, characters / config.paper.body_capacity()


def _check_length(config: Config, index: int) -> None:
    """Refuse a page far too long for its budget before spending minutes laying it out (``_estimate_length``)."""
    characters, needed = _estimate_length(config, index)
    if needed > LENGTH_FACTOR * config.paper.pages:
        raise SourceError(
            f"page needs at least {needed:.1f} printed pages ({characters:,} characters, at most "
            f"{config.paper.body_capacity():,} a page), over {LENGTH_FACTOR}× its budget of {config.paper.pages} "
            "(paper.pages)", config.pages[index].given, hint="split the page, or raise paper.pages")


class LocalRunner:
    """Renders each round's jobs here (one worker) or in a pool of processes that stays up for the build.

    ``watch`` and ``serve`` keep one for their whole session (``build(runner=...)``), so an edit is
    rendered by workers that loaded everything at the first build.

    The workers keep what they load (WeasyPrint, fonts, OpenCC, jieba) from one job and one
    numbering round to the next.  The build renders a round with ``in_page_order``; called as a
    plain ``Runner``, the longest pages go first, so no worker is left with a long page at the
    end while the others wait.  Either way the results come back in the jobs' order.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    def __call__(self, todo: list[PageJob]) -> list[PageResult]:
        if not todo:
            return []
        if self.workers <= 1 or (len(todo) == 1 and self.pool is None):
            return [render_job(job) for job in todo]
        if self.pool is None:
            self.pool = _fork_pool(todo, self.workers)
        order = sorted(range(len(todo)), key=lambda i: (-_job_weight(todo[i]), i))
        try:
            done = dict(zip(order, self.pool.map(render_job, [todo[i] for i in order]), strict=True))
        except BrokenProcessPool:
            self.close()  # a worker died: the next build starts a fresh pool
            raise
        return [done[i] for i in range(len(todo))]

    def in_page_order(self, todo: list[PageJob], counts: Mapping[str, Sequence[int]], spent: Stopwatch,
                      settled_now: Callable[[Mapping[int, PageResult]], None] | None = None) -> list[PageResult]:
        """Render ``todo`` page by page, each job numbered from the pages before it that are known by then.

        ``counts`` are the round's guesses of each edition's page counts.  A job starts with the
        first page number the finished renders before it give (guesses for the rest) and the
        round's total; a job whose earlier pages turn out longer or shorter than that is
        rendered again, whole, with the right number (its first render's time goes to ``spent``).
        So every render kept is the one ``--jobs 1`` makes, whatever the timing, and a wrong first
        guess costs the pages after it nothing unless they had started; the total is settled by
        the next round, as before.  ``settled_now`` is shown the renders kept so far (by their
        place in ``todo``) whenever more are kept, after the free workers have been given jobs.
        """
        if not todo:
            return []
        known: dict[tuple[str, int], int] = {}  # this round's settled page counts
        finished: dict[int, tuple[PageJob, PageResult]] = {}  # rendered, not yet known to be right
        settled: dict[int, PageResult] = {}
        earlier = {k: [j for j, other in enumerate(todo) if other.edition.name == job.edition.name
                       and other.index < job.index] for k, job in enumerate(todo)}

        def numbered(job: PageJob) -> PageJob:
            guess = counts[job.edition.name]
            first = 1 + sum(known.get((job.edition.name, i), guess[i]) for i in range(job.index))
            if first == job.numbering.first:
                return job
            numbering = Numbering(first, job.numbering.total)
            return dataclasses.replace(job, numbering=numbering, key=job_key(job.inputs, numbering))

        def settle() -> list[int]:
            """Keep the finished renders whose earlier pages are all settled; those numbered wrong go again."""
            again = []
            for k in sorted(finished, key=lambda k: todo[k].index):
                if all(j in settled for j in earlier[k]):
                    job, page_result = finished.pop(k)
                    if numbered(job) is job:
                        settled[k] = page_result
                        known[job.edition.name, job.index] = page_result.pages
                    else:
                        spent.merge(page_result.timings)
                        again.append(k)
            return again

        def tell() -> None:
            if settled_now is not None:
                settled_now(settled)

        waiting = deque(sorted(range(len(todo)), key=lambda k: (todo[k].index, k)))
        if self.workers <= 1 or (len(todo) == 1 and self.pool is None):
            tell()
            while waiting:
                k = waiting.popleft()
                job = numbered(todo[k])
                finished[k] = (job, render_job(job))
                waiting.extendleft(reversed(settle()))
                tell()
            return [settled[k] for k in range(len(todo))]
        if self.pool is None:
            self.pool = _fork_pool(todo, self.workers)
        running: dict[Future[PageResult], tuple[int, PageJob]] = {}
        try:
            while waiting or running:
                while waiting and len(running) < self.workers:
                    k = waiting.popleft()
                    job = numbered(todo[k])
                    running[self.pool.submit(render_job, job)] = (k, job)
                tell()  # while the workers render
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    k, job = running.pop(future)
                    finished[k] = (job, future.result())
                waiting.extendleft(reversed(settle()))
            tell()
        except BrokenProcessPool:
            self.close()  # a worker died: the next build starts a fresh pool
            raise
        except BaseException:
            for future in running:
                future.cancel()
            raise
        return [settled[k] for k in range(len(todo))]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None


def _fork_pool(todo: Sequence[PageJob], workers: int) -> ProcessPoolExecutor:
    """A pool for ``todo``; when its workers are forked, this process first loads what renders load.

    A forked worker starts with its parent's modules: WeasyPrint, the PDF readers, OpenCC,
    jieba's dictionary (``engine.preload``), the preflight's modules (``checks``) and the
    editions' converters are then loaded once, here, instead of once per worker.  Under another
    start method nothing is loaded here.

    Each worker first freezes what it started with (``gc.freeze``): those objects live as long
    as the worker, and the collector's full passes, which a render's many boxes set off, no longer
    walk them (on the generated issue: 0.5 s of a page's three editions in 6 full passes, 0.2 s
    frozen).  Nothing the renders make is frozen, and this process's collector is left as it was.
    Its thresholds stay raised for the worker's life (``engine.collector.start_worker``).
    """
    import multiprocessing

    if multiprocessing.get_start_method() == "fork":
        from .. import checks  # noqa: F401  (every job ends in a preflight)
        from ..engine.preload import load_render_libraries

        load_render_libraries()
        for job in {job.edition.name: job for job in todo}.values():
            converter_for(job.config, job.edition)
    return ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=start_worker)


def _job_weight(job: PageJob) -> int:
    """How long a job will take, roughly: the size of its page text."""
    try:
        return job.source.source.stat().st_size
    except OSError:
        return 0


def _number_pages(counts: Sequence[int]) -> list[Numbering]:
    """Each page's first page number and the total, from how many pages each takes.

    >>> _number_pages([2, 1, 1])
    [Numbering(first=1, total=4), Numbering(first=3, total=4), Numbering(first=4, total=4)]
    """
    total = sum(counts)
    firsts = [1 + sum(counts[:i]) for i in range(len(counts))]
    return [Numbering(first, total) for first in firsts]


def select_editions(config: Config, names: Sequence[str] | None) -> list[Edition]:
    """The config's editions named by ``--edition`` (all of them when none is), in the order given."""
    from ..editions import unknown_edition

    if not names:
        return list(config.editions)
    known = {e.name: e for e in config.editions}
    missing = [n for n in names if n not in known]
    if missing:
        error = unknown_edition(missing[0], list(known), str(config.path))
        raise ConfigError(f"--edition: {error.message}, not among the config's editions", error.path,
                          hint=error.hint)
    return [known[n] for n in dict.fromkeys(names)]


# ----------------------------------------------------------------------------- one page × edition


_CONVERTERS: dict[tuple[str, str, str], Any] = {}


def converter_for(config: Config, edition: Edition) -> Any:
    """The edition's converter, built once per worker process (OpenCC and dictionaries load once)."""
    from ..editions.convert import make_converter
    from ..editions.phrases import load_phrases

    # Keyed by the phrase file's content too: watch and serve build again in the same process.
    key = (repr(edition), str(config.phrases), file_sha(config.phrases) if config.phrases is not None else "")
    if key not in _CONVERTERS:
        phrases = None
        if config.phrases is not None:
            phrases = load_phrases(config.phrases.read_text(encoding="utf-8"), _relative(config.phrases, config.root))
        _CONVERTERS[key] = make_converter(edition, phrases)
    return _CONVERTERS[key]


@roomy_collector()  # a worker of another kind (Dask's) runs the job with them raised too
def render_job(job: PageJob) -> PageResult:
    """read_page → convert_page → check_page_glyphs → paginate → write_pdf → preflight, for one job."""
    from ..editions.convert import convert_page, convert_plain, review_text
    from ..engine.fonts import check_page_glyphs
    from ..engine.metrics import load_metrics
    from ..engine.paginate import paginate
    from ..engine.press import finish_pdf, press_css
    from ..engine.render import render_document, write_pdf
    from ..typeset.html import Break, LayoutSettings, make_environment
    from ..typeset.metrics import page_chars
    from .atomic import atomic_write_group
    from .images import aliases, load_photos

    config, edition, name = job.config, job.edition, job.source.name
    watch = Stopwatch()
    source_page = read_page(config, job.index, watch)
    photos = load_photos(read_sidecar(config, job.index), config.root,  # a bad file fails before any layout
                         config.output / CACHE_DIR / SIZES_FOLDER)
    with watch.stage("convert"):
        converter = converter_for(config, edition)
        page = convert_page(source_page, converter)
    with watch.stage("glyph check"):
        glyph_warnings = check_page_glyphs(page, edition)  # a Kai that lacks a character: the serif sets it

    layout_dirs = [d for d in (config.layouts, packaged_dir("layouts")) if d is not None]
    style_dirs = [d for d in (config.styles, packaged_dir("styles")) if d is not None]
    styles = {path: path.read_text(encoding="utf-8")
              for path in (find_style(style_dirs, style) for style in _style_names(edition)) if path is not None}
    stylesheets = tuple(styles.values())
    profile = _press_profile(config)
    if css := press_css(config.paper, config.pdf_variant, profile):  # bleed, marks, PDF/X's inks and intent
        stylesheets += (css,)
    style_warnings = [warning for path, css in styles.items()
                      for warning in _stylesheet_warnings(_relative(path, config.root), css,
                                                          (config.root, packaged_dir("styles")))]
    publication = dataclasses.replace(config.publication, name=convert_plain(config.publication.name, converter))
    with watch.stage("metrics"):  # the edition's font advances, for typeset.linebreak
        metrics = load_metrics(edition, page_chars(page))
    section = convert_plain(job.source.section, converter) if job.source.section else None
    settings = LayoutSettings(publication=publication, paper=config.paper, stylesheets=stylesheets,
                              metrics=metrics, section=section,
                              pictures={name: photo.picture for name, photo in photos.items()})

    kept = _kept_html(job)

    def render(text: str) -> tuple[Any, list[str], list[str]]:
        nonlocal kept
        if kept is not None:
            if sha(text.encode("utf-8")) == kept:
                raise _Unchanged
            kept = None  # only the first pass, from the earlier render's sheets, can give its HTML
        return render_document(text, config.root, [packaged_dir("styles"), packaged_dir("layouts"),
                                                   *([profile] if profile else [])],
                               source_name=f"{job.label}.html", photos=aliases(photos))

    read_total = [True]  # whether the layout read the edition's page total (直排: taken as read)
    with watch.stage("layout+render"):
        if edition.writing_mode == "vertical-rl":  # 直排: typeset.vertical places every line itself
            from ..engine.vertical import render_vertical

            html, document, warnings = render_vertical(page, edition, settings, make_environment(layout_dirs),
                                                       job.numbering, render)
            breaks: list[Break] = []
            solo: set[int] = set()
        else:
            try:
                html, document, warnings, breaks, solo = paginate(
                    page, edition, settings, make_environment(layout_dirs), job.numbering, render,
                    hint=[Break(*b) for b in job.hint], hint_solo=job.hint_solo, read_total=read_total,
                )
            except _Unchanged:
                assert job.previous is not None
                return dataclasses.replace(job.previous, key=job.key, timings=watch.totals())
    with watch.stage("write pdf"):
        pdf = finish_pdf(write_pdf(document, f"{job.label}.pdf", config.pdf_variant), config.paper, config.pdf_variant)
    # CSS messages from the render point at lines of the inlined HTML; the per-file check above
    # already reported each of them at its line in its own stylesheet.
    warnings = style_warnings + glyph_warnings \
        + [w for w in warnings if not w.startswith(CSS_MESSAGE_PREFIXES)]
    # What the structure stage doubts is a warning of the build (a failure under --strict).
    warnings += [f"{job.source.given}:{doubt.line}: structure doubt: {doubt.what} (sidecar fix: {doubt.fix})"
                 for doubt in sorted(source_page.doubts, key=lambda doubt: doubt.line)]

    out_dir = config.output / edition.name
    out_dir.mkdir(parents=True, exist_ok=True)
    inputs = job.inputs
    files: list[tuple[str, Path, bytes, int | None]] = [
        ("html", out_dir / f"{name}.html", html.encode("utf-8"), None),
        ("json", out_dir / f"{name}.json",
         (json.dumps(page.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"), None),
        ("pdf", out_dir / f"{name}.pdf", pdf, len(document.pages)),
    ]
    # The photos beside the HTML, which names them by these relative paths (project.images).
    copies = {photo.picture.url: photo.data for photo in photos.values()}
    files += [("image", out_dir / url, data, None) for url, data in sorted(copies.items())]
    if copies:
        (out_dir / IMAGE_FOLDER).mkdir(exist_ok=True)
    review = review_text(source_page, converter)
    if review is not None:  # the desk's list of one-to-many choices (editions with a conversion)
        files.append(("review", out_dir / f"{name}.review.txt", review.encode("utf-8"), None))
    # Preflight reads the PDF's bytes before anything is written: a check that cannot even read
    # the PDF is a problem, and nothing is renamed into place half-checked.
    with watch.stage("preflight"):
        problems, found = _preflight(pdf, page, edition, job.label, budget=config.paper.pages)
    warnings += found  # low-resolution photos, issue 15's evenness goals: failures under --strict
    with watch.stage("write files"):
        # One group: a failed write leaves all of the page's files old, or all new.
        atomic_write_group([(path, data) for _, path, data, _ in files])
    artifacts = [Artifact(edition=edition.name, page=name, kind=kind, path=_relative(path, config.output),
                          sha256=sha(data), size=len(data), pages=count, inputs=inputs)
                 for kind, path, data, count in files]
    return PageResult(edition=edition.name, page=name, key=job.key, pages=len(document.pages),
                      artifacts=artifacts, warnings=[f"{job.label}: {w}" for w in warnings], problems=problems,
                      content_key=job.content_key,
                      breaks=[(b.article, b.paragraph, b.offset) for b in breaks], solo=sorted(solo),
                      timings=watch.totals(),
                      any_total_key="" if read_total[0] else any_total_key(job.inputs, job.numbering))


class _Unchanged(Exception):
    """The first pagination pass laid out the HTML of the job's earlier render (``PageJob.previous``)."""


def _kept_html(job: PageJob) -> str | None:
    """The hash of the HTML the job's earlier render wrote, when the job may keep that render's files."""
    if job.previous is None or job.edition.writing_mode == "vertical-rl":  # 直排 takes no hint
        return None
    return next((a.sha256 for a in job.previous.artifacts if a.kind == "html"), None)


def _stylesheet_warnings(name: str, css: str, roots: tuple[Path, ...]) -> tuple[str, ...]:
    """``render.check_stylesheet``, once per worker for each stylesheet's text (every edition shares two).

    A sheet that imports others is checked every time: what it imports may have changed.
    """
    if "@import" in css:
        return _check_stylesheet(name, css, roots)
    return _checked_stylesheet(name, css, roots)


def _check_stylesheet(name: str, css: str, roots: tuple[Path, ...]) -> tuple[str, ...]:
    from ..engine.render import check_stylesheet

    return tuple(check_stylesheet(name, css, list(roots)))


_checked_stylesheet = functools.lru_cache(maxsize=64)(_check_stylesheet)


def _press_profile(config: Config) -> Path | None:
    """PDF/X's CMYK output profile (None for other variants); a ConfigError when there is none."""
    from ..engine.press import ProfileError, is_pdfx, output_profile

    if not is_pdfx(config.pdf_variant):
        return None
    try:
        return output_profile(config.output_profile)
    except ProfileError as error:
        raise ConfigError(f"pdf.output_profile: {error.message}", str(config.path), hint=error.hint) from None


def _preflight(pdf: Path | bytes, page: Page, edition: Edition, label: str,
               budget: int | None = None) -> tuple[list[str], list[str]]:
    """Every check of ``checks.run_checks`` on one page's PDF (a path, or its bytes): its problems
    and its warnings, one line each.

    ``budget`` is ``paper.pages`` (None: not checked here).  A PDF the checks cannot open is a
    problem too, never an exception.  The warnings are photos printed under 200 ppi and the
    evenness goals the page misses (``checks.grid``); they do not name the PDF: the build
    prefixes its warnings with the job's label.
    """
    from ..checks import run_checks
    from ..checks.grid import grid_findings
    from ..errors import BroadsheetError

    try:
        report = run_checks(pdf, page, edition, budget, name=label, budget_source="paper.pages")
    except BroadsheetError as error:
        return [str(error)], []
    warnings = [f"preflight: {warning.removeprefix(f'{label}: ')}" for warning in report.image_warnings()]
    warnings += [f"evenness: {finding}" for finding in grid_findings(report.grid)] if report.grid else []
    return report.problems(), warnings


def _style_names(edition: Edition) -> list[str]:
    vertical = ["vertical.css"] if edition.writing_mode == "vertical-rl" else []
    return ["page.css", "typography.css", f"{edition.name}.css", *vertical]


def find_style(dirs: Sequence[Path], name: str) -> Path | None:
    """The first folder's copy of a stylesheet: the publication's own before the packaged one."""
    for folder in dirs:
        path = folder / name
        if path.is_file():
            return path
    return None


def _update_previews(config: Config, result: PageResult, wanted: bool, announce: _Announcer) -> list[Artifact]:
    """The page's PNG previews, made from its PDF when asked for; stale or unwanted ones removed.

    Previews are not part of the page's render: turning ``--preview`` on renders PNGs from the
    existing PDF, and turning it off removes them, without laying the page out again.
    """
    from .atomic import atomic_write_group, atomic_write_text

    pdf = next((a for a in result.artifacts if a.kind == "pdf"), None)
    if pdf is None:
        return []
    folder = config.output / result.edition
    record = preview_record(config, result.edition, result.page)
    made: list[Artifact] = []
    if wanted:
        try:
            remembered = json.loads(record.read_text(encoding="utf-8"))
            if remembered["pdf"] == pdf.sha256:
                made = [Artifact.from_dict(a) for a in remembered["previews"]]
        except (OSError, ValueError, KeyError, TypeError):
            made = []
        if not made or not _files_intact(config, made):
            announce.before_changes()
            pngs = [(folder / f"{result.page}-{number}.png", png)
                    for number, png in enumerate(preview_pngs((config.output / pdf.path).read_bytes()), 1)]
            atomic_write_group(pngs)
            made = [Artifact(edition=result.edition, page=result.page, kind="png",
                             path=_relative(path, config.output), sha256=sha(png), size=len(png),
                             pages=1, inputs={"pdf": pdf.sha256}) for path, png in pngs]
            record.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(record, json.dumps({"pdf": pdf.sha256, "previews": [a.to_dict() for a in made]},
                                                 indent=1, sort_keys=True) + "\n")
            for artifact in made:
                announce(artifact.path)
    keep = {config.output / a.path for a in made}
    shape = re.compile(rf"{re.escape(result.page)}-\d+\.png")
    for stale in sorted(folder.iterdir()) if folder.is_dir() else ():
        if stale not in keep and shape.fullmatch(stale.name) and stale.is_file():
            announce.before_changes()
            stale.unlink(missing_ok=True)
    if not wanted:
        record.unlink(missing_ok=True)
    return made


def _files_intact(config: Config, artifacts: Sequence[Artifact]) -> bool:
    return artifacts_intact(config, PageResult(edition="", page="", key="", pages=0, artifacts=list(artifacts)))


# ----------------------------------------------------------------------------- issue and manifest


def _issue_key(results: Sequence[PageResult]) -> str:
    """What an edition's issue.pdf is made of: its page PDFs' hashes, in order."""
    return sha("".join(a.sha256 for r in results for a in r.artifacts if a.kind == "pdf").encode())


def _combine_issue(config: Config, edition: Edition, results: Sequence[PageResult],
                   announce: _Announcer) -> Artifact:
    """``output/<edition>/issue.pdf``: the edition's page PDFs in order (rebuilt only when one changed).

    A one-page edition's issue is that page's file, byte for byte.
    """
    from .atomic import atomic_write_bytes, atomic_write_text

    pdfs = [a for r in results for a in r.artifacts if a.kind == "pdf"]
    key = _issue_key(results)
    path = config.output / edition.name / f"{ISSUE_NAME}.pdf"
    record = cache_path(config, edition.name, f"{ISSUE_NAME}.pdf")
    try:
        cached = Artifact.from_dict(json.loads(record.read_text(encoding="utf-8")))
        if cached.inputs.get("pages") == key and path.is_file() and sha(path.read_bytes()) == cached.sha256:
            return cached
    except (OSError, ValueError, KeyError, TypeError):
        pass
    if len(pdfs) == 1:
        # One page is the issue: its own file, with every catalog entry a merge would drop (a PDF/X
        # page's output intent and XMP among them), no second copy of its fonts, no merging pass.
        data = (config.output / pdfs[0].path).read_bytes()
    else:
        data = merge_pdfs([config.output / a.path for a in pdfs], cache=config.output / CACHE_DIR / FONTS_FOLDER)
        if pdfs and config.pdf_variant:
            from ..engine.press import finish_issue

            data = finish_issue(data, config.output / pdfs[0].path, config.pdf_variant)  # PDF/X pages, PDF/X issue
    atomic_write_bytes(path, data)
    artifact = Artifact(edition=edition.name, page=ISSUE_NAME, kind="issue", path=_relative(path, config.output),
                        sha256=sha(data), size=len(data), pages=sum(a.pages or 0 for a in pdfs),
                        inputs={"pages": key})
    record.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(record, json.dumps(artifact.to_dict(), indent=1, sort_keys=True) + "\n")
    announce(artifact.path)
    return artifact

