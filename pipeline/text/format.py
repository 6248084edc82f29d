"""Format a structured page as readable text and list its repairs, for ``parse`` and ``explain``."""

from __future__ import annotations

from ..model import Article, Doubt, Page, Repair


def format_page(page: Page) -> str:
    """The page as plain text: titles marked, one block per paragraph, blank lines between.

    Page headlines are marked ``==``, kickers ``^``, headlines ``#``, subheadlines ``##``,
    lead-ins ``**…**``, a dateline and credit ``[…]``, a byline ``—`` and a caption
    ``[图]``.  The text ends with a newline, ready to print.

    >>> from pipeline.model import Paragraph
    >>> article = Article((Paragraph("要点。正文。", "要点。"),), headline="标题", byline=("张三",))
    >>> page = Page("-", (article,))
    >>> print(format_page(page), end="")
    # 标题
    <BLANKLINE>
    **要点。**正文。
    <BLANKLINE>
    — 张三
    """
    parts: list[str] = []
    sections = {headline.articles[0]: headline.text for headline in page.page_headlines if headline.articles}
    parts.extend(f"== {h.text}" for h in page.page_headlines if not h.articles)
    for index, article in enumerate(page.articles):
        if index in sections:
            parts.append(f"== {sections[index]}")
        parts.extend(_format_article(article))
    for caption in page.captions:
        image = f" [{caption.image}]" if caption.image else ""
        parts.append(f"[图] {caption.text}{image}")
    return "\n\n".join(parts) + "\n" if parts else ""


def _format_article(article: Article) -> list[str]:
    parts = []
    if article.kicker:
        parts.append(f"^ {article.kicker}")
    if article.headline:
        parts.append(f"# {article.headline}")
    if article.subheadline:
        parts.append(f"## {article.subheadline}")
    opening = " ".join(x for x in (article.dateline, article.credit) if x)
    if article.dateline:
        parts.append(f"[{opening}]")
    for paragraph in article.paragraphs:
        if paragraph.lead:
            parts.append(f"**{paragraph.lead}**{paragraph.text[len(paragraph.lead):]}")
        else:
            parts.append(paragraph.text)
    if article.byline:
        credit = f"{article.credit} " if article.credit and not article.dateline else ""
        parts.append(f"— {credit}{' '.join(article.byline)}")
    return parts


def format_repairs(page: Page) -> str:
    """Every repair on one line, in source order: ``line N: kind: detail``; then every doubt.

    A doubt reads ``line N: doubt: what — fix: the sidecar entry``.  Each line ends with a newline.

    >>> doubt = Doubt(7, "one-character title '市'", "articles: [{line: 9, headline: …}]")
    >>> print(format_repairs(Page("-", (), (), (Repair("space-removed", 3, "海拔 600 → 海拔600"),),
    ...                           doubts=(doubt,))), end="")
    line 3: space-removed: 海拔 600 → 海拔600
    line 7: doubt: one-character title '市' — fix: articles: [{line: 9, headline: …}]
    """
    ordered = sorted(page.repairs, key=lambda repair: repair.line)
    lines = [_format_repair(repair) for repair in ordered]
    lines.extend(_format_doubt(doubt) for doubt in sorted(page.doubts, key=lambda doubt: doubt.line))
    return "".join(line + "\n" for line in lines)


def _format_doubt(doubt: Doubt) -> str:
    return f"line {doubt.line}: doubt: {doubt.what} — fix: {doubt.fix}"


def _format_repair(repair: Repair) -> str:
    removed = f" (removed {repair.removed})" if repair.removed else ""
    return f"line {repair.line}: {repair.kind}: {repair.detail}{removed}"
