"""Render HTML to PDF with WeasyPrint, fetching nothing from the network or outside the project."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .errors import RenderError


class RefusedURL(ValueError):
    """A URL the renderer will not fetch."""


def _is_inside(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def make_url_fetcher(allowed_roots: Sequence[Path]):  # noqa: ANN201 - WeasyPrint's URLFetcher type
    """A WeasyPrint URL fetcher that reads only ``file:`` URLs inside ``allowed_roots``.

    Everything else (http, https, ftp, data of unknown origin, files elsewhere,
    symlinks pointing out) is refused and the refusal recorded in ``.refused``.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = tuple(Path(r).resolve() for r in allowed_roots)

    class RestrictedFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols={"file"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                self.refused.append(url)
                raise RefusedURL(f"refused to fetch {url!r}: only files inside the project are read")
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if not _is_inside(path, roots) or not path.is_file():
                self.refused.append(url)
                raise RefusedURL(f"refused to read {path}: outside the project and package")
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return RestrictedFetcher()


@dataclass
class RenderResult:
    """A rendered PDF, its page count and what WeasyPrint complained about."""

    pdf: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_weasyprint_warnings() -> Iterator[_Collect]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


def render_pdf(html: str, base_dir: Path, allowed_roots: Sequence[Path], source_name: str = "page.html") -> RenderResult:
    """Lay out and draw ``html``; relative URLs resolve against ``base_dir``."""
    import weasyprint

    from .justify import install as install_justification

    install_justification()
    fetcher = make_url_fetcher([base_dir, *allowed_roots])
    with _collect_weasyprint_warnings() as log:
        try:
            document = weasyprint.HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher).render()
            pdf = document.write_pdf()
        except Exception as exc:  # WeasyPrint raises many kinds; name the page
            raise RenderError(f"WeasyPrint failed: {type(exc).__name__}: {exc}", source_name) from exc
    return RenderResult(pdf=pdf, pages=len(document.pages), warnings=log.messages, refused=fetcher.refused)
