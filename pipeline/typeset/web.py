"""Lay a converted page out as the web edition: semantic, responsive HTML with JSON-LD per article.

The print layout (``html.py``) sets fixed sheets with folios and jump lines; the web edition
sets the same articles, titles, bylines and captions as ``article``, ``h1``–``h3`` and
``figure`` in one flowing page (one column on a phone, columns on a desktop), with the
edition's faces, quotes (already in the converted text) and clreq marks (``mark_text``), a
简/繁 switch to the same page's other editions, and a schema.org ``NewsArticle`` per article.
Nothing print-only (folios, jump lines, page numbers) reaches it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from ..editions import Edition
from ..errors import RenderError
from ..model import Article, Page, Publication
from .html import MARK_TYPOGRAPHY, css_string, format_date
from .photos import Picture

WEB_TEMPLATE = "web.html"
"""The web edition's page template in ``layouts/`` (its partials are ``web-*.html``)."""


@dataclass(frozen=True, slots=True)
class EditionLink:
    """A link of the 简/繁 switch: another edition's copy of the same page."""

    edition: Edition
    href: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class WebSection:
    """What the web page sets in reading order: a lone article, or a page headline over its articles."""

    title: str | None
    articles: tuple[tuple[int, Article], ...]


def web_sections(page: Page) -> tuple[WebSection, ...]:
    """Group the articles under their page headlines, in reading order; each article once.

    >>> from pipeline.model import Paragraph, PageHeadline
    >>> a = Article(paragraphs=(Paragraph("正文。"),), headline="题")
    >>> page = Page("p", (a, a, a), page_headlines=(PageHeadline("简讯", (1, 2)),))
    >>> [(s.title, [i for i, _ in s.articles]) for s in web_sections(page)]
    [(None, [0]), ('简讯', [1, 2])]
    """
    owner: dict[int, int] = {}
    for h_index, headline in enumerate(page.page_headlines):
        for index in headline.articles:
            owner.setdefault(index, h_index)
    sections: list[WebSection] = []
    done: set[int] = set()
    for index, article in enumerate(page.articles):
        if index in done:
            continue
        if index not in owner:
            sections.append(WebSection(None, ((index, article),)))
            done.add(index)
            continue
        headline = page.page_headlines[owner[index]]
        members = [i for i in headline.articles if i not in done and 0 <= i < len(page.articles)
                   and owner.get(i) == owner[index]]
        sections.append(WebSection(headline.text, tuple((i, page.articles[i]) for i in members)))
        done.update(members)
    return tuple(sections)


def news_article(article: Article, index: int, edition: Edition, publication: Publication) -> dict[str, Any]:
    """The schema.org ``NewsArticle`` of one article, as a JSON-LD mapping.

    >>> from pipeline.model import Paragraph
    >>> from pipeline.editions import EDITIONS
    >>> a = Article(paragraphs=(Paragraph("正文。"),), headline="题", byline=("张三",))
    >>> data = news_article(a, 0, EDITIONS["zh-Hans"], Publication(name="报"))
    >>> data["@type"], data["headline"], data["author"][0]["name"], data["inLanguage"]
    ('NewsArticle', '题', '张三', 'zh-Hans')
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": f"#article-{index + 1}",
        "headline": article.headline or (article.paragraphs[0].text[:40] if article.paragraphs else ""),
        "inLanguage": edition.lang,
        "articleBody": "\n".join(p.text for p in article.paragraphs),
        "publisher": {"@type": "Organization", "name": publication.name},
    }
    titles = [t for t in (article.kicker, article.subheadline) if t]
    if titles:
        data["alternativeHeadline"] = " ".join(titles)
    if article.byline:
        data["author"] = [{"@type": "Person", "name": name} for name in article.byline]
    if article.dateline:
        data["dateline"] = article.dateline
    _, _, iso = format_date(publication.date)
    if iso:
        data["datePublished"] = iso
    return data


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped, so no text closes it.

    >>> str(json_ld({"headline": "</script><b>"}))
    '{"headline": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def render_web_page(page: Page, edition: Edition, others: Sequence[EditionLink], env: jinja2.Environment,
                    publication: Publication, stylesheets: Sequence[str] = (),
                    pictures: Mapping[str, Picture] | None = None) -> str:
    """The web edition's HTML of one converted page (``page`` is already in ``edition``'s script and quotes).

    ``others`` is the 简/繁 switch, this edition included (``current``); ``stylesheets`` are CSS
    texts inlined in order, so the page is one self-contained file. ``pictures`` gives the photo
    of each caption's ``image`` (by the sidecar's name) with the URL its copy has beside the page.
    """
    env = _web_environment(env)
    date_text, weekday, date_iso = format_date(publication.date)
    lead = page.articles[0].headline if page.articles and page.articles[0].headline else None
    try:
        template = env.get_template(WEB_TEMPLATE)
        return template.render(
            page=page, edition=edition, publication=publication, links=list(others),
            sections=web_sections(page), lead_title=lead,
            news=[news_article(a, i, edition, publication) for i, a in enumerate(page.articles)],
            date_text=date_text, weekday=weekday, date_iso=date_iso,
            face_css=Markup(_face_css(edition)), stylesheets=[Markup(css) for css in stylesheets],
            pictures=dict(pictures or {}),
            **{MARK_TYPOGRAPHY: edition.typography},  # the `mark` filter's typography, as for print
        )
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}", "layouts") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"template error: {exc.message}", f"layouts/{WEB_TEMPLATE}") from None


@functools.lru_cache(maxsize=16)
def _web_environment(env: jinja2.Environment) -> jinja2.Environment:
    """``env`` with the web page's own filter (``json_ld``), made once per environment.

    Kept, so the web template is compiled once per process and not again for every page and
    edition (an overlay starts with an empty template cache).  The overlay has its own filter
    table: adding to the print environment's would change what its templates may call.  The
    ``mark`` filter is the print one, which reads the edition's typography from the render.
    """
    overlay = env.overlay()
    overlay.filters = {**env.filters, "json_ld": json_ld}
    return overlay


def _face_css(edition: Edition) -> str:
    """The edition's faces as CSS variables, as ``html.grid_css`` names them for print."""
    # Named faces first: a generic family alone with lang="zh-Hant" picks the Japanese face.
    return (
        ":root {\n"
        f"  --serif: {css_string(edition.serif)}, serif;\n"
        f"  --sans: {css_string(edition.sans)}, sans-serif;\n"
        f"  --kai: {css_string(edition.kai)}, {css_string(edition.serif)}, serif;\n"
        "}\n"
    )
