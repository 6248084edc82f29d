"""Build every page of every edition into HTML and PDF, reproducibly and in parallel."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config
from .editions import Edition
from .errors import ConfigError, SourceError
from .model import Page, page_chars

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class PageJob:
    """One page of one edition to render: everything a worker needs, as plain data."""

    page_name: str
    edition: Edition
    page: dict[str, Any]
    config: Config


@dataclass
class Artifact:
    """One file the build wrote, as listed in the manifest."""

    edition: str
    page: str
    kind: str
    path: str
    sha256: str
    size: int
    pages: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"edition": self.edition, "page": self.page, "kind": self.kind,
                                "path": self.path, "sha256": self.sha256, "size": self.size}
        if self.pages is not None:
            data["pages"] = self.pages
        return data


@dataclass
class PageResult:
    """What rendering one page of one edition produced."""

    artifacts: list[Artifact]
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    """The whole build: artifacts, warnings and preflight problems."""

    artifacts: list[Artifact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_page(config: Config, index: int) -> Page:
    """decode_source → reflow_lines → repair_blocks → build_page for one configured page."""
    from .decode import decode_source
    from .parse import parse_text
    from .sidecar import load_sidecar

    page_source = config.pages[index]
    try:
        data = page_source.source.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read page: {exc.strerror}", page_source.given) from None
    text = decode_source(data, page_source.given, max_bytes=config.max_source_bytes)
    sidecar = None
    if page_source.sidecar is not None:
        sidecar_text = page_source.sidecar.read_text(encoding="utf-8")
        sidecar = load_sidecar(sidecar_text, _relative(page_source.sidecar, config.root))
    return parse_text(text, page_source.given, sidecar)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def build(config: Config, editions: Sequence[str] | None = None, jobs: int | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the configured pages × editions into ``config.output``."""
    selected = _select_editions(config, editions)
    pages = [read_page(config, index) for index in range(len(config.pages))]
    page_jobs = [
        PageJob(page_name=source.name, edition=edition, page=page.to_dict(), config=config)
        for edition in selected
        for source, page in zip(config.pages, pages, strict=True)
    ]
    config.output.mkdir(parents=True, exist_ok=True)
    result = BuildResult(warnings=list(config.warnings))
    workers = min(jobs or os.cpu_count() or 1, len(page_jobs))
    if workers <= 1:
        outcomes = map(render_page_job, page_jobs)
        _collect(result, outcomes, progress)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            _collect(result, pool.map(render_page_job, page_jobs), progress)
    write_manifest(config, result)
    return result


def _collect(result: BuildResult, outcomes: Any, progress: Progress | None) -> None:
    for outcome in outcomes:
        result.artifacts.extend(outcome.artifacts)
        result.warnings.extend(outcome.warnings)
        result.problems.extend(outcome.problems)
        if progress:
            for artifact in outcome.artifacts:
                progress(f"wrote {artifact.path}")


def _select_editions(config: Config, names: Sequence[str] | None) -> list[Edition]:
    if not names:
        return list(config.editions)
    known = {e.name: e for e in config.editions}
    missing = [n for n in names if n not in known]
    if missing:
        raise ConfigError(f"edition {missing[0]!r} is not in the config's editions ({', '.join(known)})",
                          str(config.path))
    return [known[n] for n in names]


_CONVERTERS: dict[tuple[str, str | None], Any] = {}


def _converter(job: PageJob) -> Any:
    """The edition's OpenCC converter, built once per worker process."""
    from .convert import make_converter
    from .phrases import load_phrases

    key = (job.edition.name, str(job.config.phrases))
    if key not in _CONVERTERS:
        phrases = None
        if job.config.phrases is not None:
            phrases = load_phrases(job.config.phrases.read_text(encoding="utf-8"),
                                   _relative(job.config.phrases, job.config.root))
        _CONVERTERS[key] = make_converter(job.edition, phrases)
    return _CONVERTERS[key]


def render_page_job(job: PageJob) -> PageResult:
    """convert_page → check_glyphs → layout_page → render_pdf → write, for one page of one edition."""
    from .atomic import atomic_write_bytes
    from .convert import convert_page
    from .fonts import check_page_glyphs
    from .layout import LayoutSettings, make_environment, packaged_dir
    from .render import render_document, write_pdf

    config = job.config
    edition = job.edition
    page = convert_page(Page.from_dict(job.page), _converter(job))
    check_page_glyphs(page, edition)

    layout_dirs = [d for d in (config.layouts, packaged_dir("layouts")) if d is not None]
    style_dirs = [d for d in (config.styles, packaged_dir("styles")) if d is not None]
    stylesheets = tuple(_read_style(style_dirs, name) for name in _style_names(edition))
    settings = LayoutSettings(publication=config.publication, paper=config.paper, stylesheets=stylesheets)
    out_dir = config.output / edition.name
    out_dir.mkdir(parents=True, exist_ok=True)
    html, document, render_warnings = paginate(
        page, edition, settings, make_environment(layout_dirs),
        lambda text: render_document(text, config.root, [packaged_dir("styles"), packaged_dir("layouts")],
                                     source_name=f"{edition.name}/{job.page_name}.html"),
    )
    pdf = write_pdf(document, f"{edition.name}/{job.page_name}.pdf")

    artifacts = []
    files = (
        ("html", out_dir / f"{job.page_name}.html", html.encode("utf-8"), None),
        ("json", out_dir / f"{job.page_name}.json",
         (json.dumps(page.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"), None),
        ("pdf", out_dir / f"{job.page_name}.pdf", pdf, len(document.pages)),
    )
    for kind, path, data, count in files:
        atomic_write_bytes(path, data)
        artifacts.append(Artifact(edition=edition.name, page=job.page_name, kind=kind,
                                  path=_relative(path, config.output), sha256=hashlib.sha256(data).hexdigest(),
                                  size=len(data), pages=count))
    warnings = [f"{edition.name}/{job.page_name}: {w}" for w in render_warnings]
    problems = _preflight(out_dir / f"{job.page_name}.pdf", page, edition)
    if len(document.pages) > config.paper.pages:
        problems.append(f"{edition.name}/{job.page_name}: {len(document.pages)} pages, over the budget of "
                        f"{config.paper.pages} (paper.pages)")
    return PageResult(artifacts=artifacts, warnings=warnings, problems=problems)


MAX_PAGINATION_PASSES = 6
"""Layout passes before giving up on jump lines: each pass moves the breaks only earlier."""


def paginate(page: Page, edition: Edition, settings: Any, env: Any,
             render: Callable[[str], tuple[Any, list[str], list[str]]]) -> tuple[str, Any, list[str]]:
    """Lay the page out until every printed sheet fits its page, cutting articles with jump lines.

    Each pass renders the sheets; where a sheet overflowed, the overflow's
    first character becomes a new break (下转/上接) and the sheets are planned
    again. Returns the final HTML, the laid-out document and its warnings.
    """
    from .layout import Break, align_offset, layout_page, plan_sheets
    from .render import find_page_ends, find_page_sheets

    breaks: list[Break] = []
    warnings: list[str] = []
    for _ in range(MAX_PAGINATION_PASSES):
        sheets = plan_sheets(page, settings.paper.columns, breaks)
        html = layout_page(page, edition, settings, env, sheets)
        document, warnings, refused = render(html)
        warnings = warnings + [f"refused to fetch {url}" for url in refused]
        if len(document.pages) <= len(sheets):
            return html, document, warnings
        # The first sheet that ran onto a second page gets a break where its first page ends;
        # breaks after it were measured on the old flow and are found again in later passes.
        owners = find_page_sheets(document)
        overflow = next(i for i in range(1, len(owners)) if owners[i] == owners[i - 1])
        end = find_page_ends(document)[overflow - 1]
        sheet_index = (owners[overflow] or 1) - 1
        if end is None:
            break
        article, paragraph, start, rendered = end
        text = page.articles[article].paragraphs[paragraph].text
        new = Break(article, paragraph, start + align_offset(text[start:], rendered))
        if new in breaks:
            break
        breaks = [*breaks[:sheet_index], new]
    warnings.append("jump lines could not be fitted; pages follow the natural flow")
    return html, document, warnings


def _preflight(pdf_path: Path, page: Page, edition: Edition) -> list[str]:
    """Text conservation through the PDF: every counted character of the page is in it."""
    from .check import check_text

    report = check_text(pdf_path, page_chars(page))
    if report.ok:
        return []
    return [f"{edition.name}/{pdf_path.name}: {report.summary()}"]


def _style_names(edition: Edition) -> list[str]:
    return ["page.css", "typography.css", f"{edition.name}.css"]


def _read_style(dirs: Sequence[Path], name: str) -> str:
    for folder in dirs:
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def write_manifest(config: Config, result: BuildResult) -> None:
    """``output/manifest.json``: every artifact with its hash, sorted, written atomically."""
    from .atomic import atomic_write_text

    artifacts = sorted((a.to_dict() for a in result.artifacts), key=lambda a: a["path"])
    manifest = {"publication": config.publication.name,
                "date": config.publication.date.isoformat() if config.publication.date else None,
                "artifacts": artifacts}
    atomic_write_text(config.output / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")

