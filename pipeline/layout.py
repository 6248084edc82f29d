"""Lay a structured page out as newspaper HTML with the Jinja2 templates and the styles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from .config import Paper, Publication
from .editions import Edition
from .errors import RenderError
from .model import Article, Page, Paragraph
from .typography import mark_text

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
"""Monday first, as ``date.weekday()`` counts; the same characters in every edition."""

SPACED_HEADLINE_MAX = 8
"""Headlines of at most this many characters are letter-spaced, as papers set short titles."""


def packaged_dir(name: str) -> Path:
    """The default ``layouts`` or ``styles`` folder: the installed copy, else the checkout's."""
    installed = PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return REPO_DIR / name


@dataclass(frozen=True, slots=True)
class Module:
    """One article's share of one printed page."""

    article: Article
    index: int
    paragraphs: tuple[Paragraph, ...]
    columns: int
    lead_story: bool = False
    show_titles: bool = True
    show_byline: bool = True
    continued: bool = False
    jump_from: str | None = None
    jump_to: str | None = None

    @property
    def spaced(self) -> bool:
        headline = self.article.headline or ""
        return not self.lead_story and len(headline) <= SPACED_HEADLINE_MAX


@dataclass(frozen=True, slots=True)
class Folio:
    """Where a printed page stands in the edition."""

    number: int = 1
    total: int = 1


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    """What the templates need besides the page: masthead, paper, and the CSS texts."""

    publication: Publication
    paper: Paper
    stylesheets: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


def make_environment(layout_dirs: Sequence[Path]) -> jinja2.Environment:
    """The Jinja2 environment: the publication's layouts first, then the packaged defaults.

    Autoescaping is on for every template, so OCR text can never become markup.
    """
    loader = jinja2.FileSystemLoader([str(d) for d in layout_dirs])
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def plan_modules(page: Page, columns: int) -> tuple[Module, ...]:
    """One full-width module per article, the lead story first."""
    return tuple(
        Module(article=article, index=index, paragraphs=article.paragraphs, columns=columns,
               lead_story=index == 0)
        for index, article in enumerate(page.articles)
    )


def grid_css(paper: Paper, edition: Edition) -> str:
    """The CSS that carries the config: page size and margins, type size, leading, faces."""
    gutter = max(paper.body_size * 1.2, 9.0)
    return (
        f"@page {{ size: {paper.width_mm:g}mm {paper.height_mm:g}mm; margin: {paper.margin_mm:g}mm; }}\n"
        ":root {\n"
        f"  --body-size: {paper.body_size:g}pt;\n"
        f"  --leading: {paper.leading:g};\n"
        f"  --gutter: {gutter:g}pt;\n"
        f"  --serif: {_css_string(edition.serif)};\n"
        f"  --sans: {_css_string(edition.sans)};\n"
        f"  --kai: {_css_string(edition.kai)}, {_css_string(edition.serif)};\n"
        "}\n"
    )


def _css_string(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_date(date: dt.date | None) -> tuple[str, str, str]:
    """The masthead's date, weekday and ISO timestamp (empty when the config gives no date).

    >>> format_date(dt.date(2021, 9, 28))
    ('2021年9月28日', '星期二', '2021-09-28T00:00:00+00:00')
    """
    if date is None:
        return "", "", ""
    weekday = WEEKDAYS[date.weekday()]
    return f"{date.year}年{date.month}月{date.day}日", weekday, f"{date.isoformat()}T00:00:00+00:00"


def layout_page(page: Page, edition: Edition, settings: LayoutSettings, env: jinja2.Environment,
                modules: Sequence[Module] | None = None, folio: Folio | None = None) -> str:
    """Render one printed page of an edition to HTML."""
    if modules is None:
        modules = plan_modules(page, settings.paper.columns)
    date_text, weekday, date_iso = format_date(settings.publication.date)
    typography = edition.typography

    def mark(text: str) -> Markup:
        return mark_text(text, typography)

    env = env.overlay()
    env.filters["mark"] = mark
    try:
        template = env.get_template("page.html")
        return template.render(
            page=page, edition=edition, publication=settings.publication, paper=settings.paper,
            modules=modules, captions=page.captions, folio=folio or Folio(),
            date_text=date_text, weekday=weekday, date_iso=date_iso,
            grid_css=Markup(grid_css(settings.paper, edition)),
            stylesheets=[Markup(css) for css in settings.stylesheets],
            **settings.extra,
        )
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}", "layouts") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"template error: {exc.message}", "layouts/page.html") from None
