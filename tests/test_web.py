"""The web edition: semantic HTML of the converted page, JSON-LD per article, the 简/繁 switch, in the build."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.editions import EDITIONS
from pipeline.model import Article, Caption, Page, PageHeadline, Paragraph, Publication, counted_chars, page_chars
from pipeline.text import parse_text
from pipeline.text.chars import WORD_JOINER, ZERO_WIDTH_SPACE
from pipeline.typeset.html import make_environment
from pipeline.typeset.web import EditionLink, render_web_page
from tests.support.webpub import EDITIONS as BUILT_EDITIONS
from tests.support.webpub import ROOT, built_sample

SAMPLE = ROOT / "source" / "hongdong.txt"
PUBLICATION = Publication(name="县域新闻")


class _Tree(HTMLParser):
    """A flat record of the elements: (tag, attrs, text inside it), and the body's visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.open: list[int] = []
        self.body_text: list[str] = []
        self.in_body = False
        self.raw: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        self.elements.append((tag, dict(attrs), []))
        if tag not in ("meta", "link", "br", "img"):
            self.open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        for position in range(len(self.open) - 1, -1, -1):
            if self.elements[self.open[position]][0] == tag:
                del self.open[position:]
                break

    def handle_data(self, data: str) -> None:
        for index in self.open:
            self.elements[index][2].append(data)
        if self.in_body:
            self.body_text.append(data)

    def all(self, tag: str, cls: str | None = None) -> list[tuple[dict[str, str | None], str]]:
        return [(attrs, _visible("".join(text))) for name, attrs, text in self.elements
                if name == tag and (cls is None or cls in (attrs.get("class") or "").split())]


def _visible(text: str) -> str:
    return text.replace(WORD_JOINER, "").replace(ZERO_WIDTH_SPACE, "")


def _parse(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    return tree


def _sample_page() -> Page:
    return parse_text(SAMPLE.read_text(encoding="utf-8"), "source/hongdong.txt")


def _render(page: Page, edition: str = "zh-Hans", others: tuple[str, ...] = ("zh-Hans", "zh-TW")) -> str:
    links = [EditionLink(EDITIONS[e], f"../{e}/p.html", current=e == edition) for e in others]
    css = (ROOT / "styles" / "web.css").read_text(encoding="utf-8")
    return render_web_page(page, EDITIONS[edition], links, make_environment([ROOT / "layouts"]), PUBLICATION, [css])


def test_every_article_is_an_article_with_its_titles_paragraphs_and_byline() -> None:
    page = _sample_page()
    tree = _parse(_render(page))
    articles = tree.all("article")
    assert len(articles) == len(page.articles)
    (h1,) = tree.all("h1")
    assert h1[1] == page.articles[0].headline
    headlines = [text for tag in ("h1", "h2", "h3") for _, text in tree.all(tag, "headline")]
    assert sorted(headlines) == sorted(a.headline for a in page.articles if a.headline)
    bylines = [text for _, text in tree.all("p", "byline")]
    assert len(bylines) == sum(1 for a in page.articles if a.byline or a.credit)
    for article, (_, text) in zip(page.articles, articles, strict=True):
        assert _visible(article.paragraphs[0].text) in text
        assert all(name in text for name in article.byline)
    (figure,) = tree.all("figcaption")
    assert figure[1] == page.captions[0].text


def test_no_text_lost_and_no_print_artefacts() -> None:
    page = _sample_page()
    tree = _parse(_render(page))
    body = _visible("".join(tree.body_text))
    shown = counted_chars(body)
    assert not page_chars(page) - shown, "characters of the page missing from the web edition"
    extra = shown - page_chars(page)
    # Only the masthead (name, date, weekday) and the edition switch are extra; no jump lines or folios.
    masthead = counted_chars("县域新闻" + "简体版臺灣版")
    assert not extra - masthead - counted_chars("".join(_visible(t) for _, t in tree.all("p", "web-date")))
    assert not re.search(r"第\d+版|[上下][接转轉]", body)


def test_json_ld_news_article_per_article() -> None:
    page = _sample_page()
    html = _render(page)
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = [json.loads(script) for script in scripts]
    assert len(data) == len(page.articles)
    assert all(item["@type"] == "NewsArticle" and item["@context"] == "https://schema.org" for item in data)
    assert [item["headline"] for item in data if page.articles[0].headline][0] == page.articles[0].headline
    for item, article in zip(data, page.articles, strict=True):
        assert item["articleBody"] == "\n".join(p.text for p in article.paragraphs)
        assert [a["name"] for a in item.get("author", [])] == list(article.byline)
        assert item["inLanguage"] == "zh-Hans"


def test_untrusted_text_is_escaped_in_markup_and_json_ld() -> None:
    hostile = "</script><script>alert(1)</script>&<b>"
    page = Page("x", (Article(paragraphs=(Paragraph(hostile + "正文。"),), headline=hostile, byline=(hostile,)),),
                captions=(Caption(hostile),))
    html = _render(page)
    assert "<script>alert" not in html and "<b>" not in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(scripts[0])["headline"] == hostile
    tree = _parse(html)
    assert tree.all("h1", "headline")[0][1] == hostile


def test_page_headlines_become_sections_with_h2_over_h3() -> None:
    story = Article(paragraphs=(Paragraph("消息正文。"),), headline="短讯")
    lead = Article(paragraphs=(Paragraph("头条正文。"),), headline="头条")
    page = Page("x", (lead, story, story), page_headlines=(PageHeadline("乡镇简讯", (1, 2)),))
    tree = _parse(_render(page))
    assert [t for _, t in tree.all("h1")] == ["头条"]
    assert [t for _, t in tree.all("h2")] == ["乡镇简讯"]
    assert [t for _, t in tree.all("h3")] == ["短讯", "短讯"]
    assert len(tree.all("section", "web-section")) == 1


def test_switch_links_every_edition_and_marks_the_current_one() -> None:
    tree = _parse(_render(_sample_page(), "zh-TW", ("zh-Hans", "zh-TW", "zh-HK")))
    links = {attrs["data-edition"]: attrs["href"] for attrs, _ in tree.all("a", "edition-link")}
    assert links == {"zh-Hans": "../zh-Hans/p.html", "zh-HK": "../zh-HK/p.html"}
    assert [t for _, t in tree.all("span", "edition-current")] == ["臺灣版"]
    (html,) = tree.all("html")
    assert html[0]["lang"] == "zh-TW"


def test_faces_are_named_before_generic_families() -> None:
    html = _render(_sample_page(), "zh-TW")
    assert '--serif: "Noto Serif CJK TC", serif;' in html
    assert '--kai: "AR PL UKai TW", "Noto Serif CJK TC", serif;' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_sample(tmp_path_factory) / "output"


def test_build_writes_the_web_edition_into_the_manifest(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    web = {a["path"]: a for a in manifest["artifacts"] if a["kind"] == "web"}
    assert set(web) == {f"web/{e}/hongdong.html" for e in BUILT_EDITIONS}
    for path, entry in web.items():
        assert hashlib.sha256((built / path).read_bytes()).hexdigest() == entry["sha256"]


def test_built_web_pages_are_in_the_edition_and_link_each_other(built: Path) -> None:
    hans = (built / "web" / "zh-Hans" / "hongdong.html").read_text(encoding="utf-8")
    tw = (built / "web" / "zh-TW" / "hongdong.html").read_text(encoding="utf-8")
    tw_page = Page.from_dict(json.loads((built / "zh-TW" / "hongdong.json").read_text(encoding="utf-8")))
    tw_tree = _parse(tw)
    assert tw_tree.all("h1")[0][1] == tw_page.articles[0].headline
    assert "「" in _visible("".join(tw_tree.body_text)) and "“" not in _visible("".join(tw_tree.body_text))
    assert "縣域新聞" in tw and "县域新闻" in hans
    for html, folder in ((hans, "zh-Hans"), (tw, "zh-TW")):
        for attrs, _ in _parse(html).all("a", "edition-link"):
            assert (built / "web" / folder / str(attrs["href"])).resolve().is_file()
    assert Counter(re.findall(r"<article\b", tw)) == Counter(re.findall(r"<article\b", hans))


def test_a_notice_sign_off_is_flush_to_the_end_with_issuer_and_date_unbroken() -> None:
    notice = Article((Paragraph("现将有关事项通告如下。"), Paragraph("云溪县自来水公司 2026年12月2日", signoff=True)),
                     headline="停水通知")
    html = _render(Page("source/n.txt", (notice,)))
    (signoff,) = re.findall(r'<p class="signoff">(.*?)</p>', html, re.S)
    parts = signoff.split('<span class="signoff-part">')[1:]
    assert [_visible(re.sub(r"<[^>]+>", "", part)).strip() for part in parts] == ["云溪县自来水公司", "2026年12月2日"]
    css = (ROOT / "styles" / "web.css").read_text(encoding="utf-8")
    assert re.search(r"p\.signoff \{ text-indent: 0; text-align: end; \}", css)
    assert ".signoff-part { white-space: nowrap; }" in css


def test_the_web_template_is_compiled_once_for_every_edition_and_keeps_each_editions_marks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    page = Page("p", (Article((Paragraph("他说：“好。”县里召开工作会议。"),), headline="县里召开工作会议"),))
    first = {name: _render(page, name) for name in ("zh-Hans", "zh-TW")}
    assert first["zh-Hans"] != first["zh-TW"]
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *args: object,
                **kwargs: object) -> object:
        compiled.append(name or "")
        return original(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    for name in ("zh-TW", "zh-Hans", "zh-TW"):  # every page and edition of a build, in one process
        assert _render(page, name) == first[name]
    assert compiled == []
