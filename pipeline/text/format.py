"""Format a structured page as readable text and list its repairs, for ``parse`` and ``explain``."""

from __future__ import annotations

from ..model import Article, Page, Repair


def format_page(page: Page) -> str:
    """The page as plain text: titles marked, one block per paragraph, blank lines between.

    Kickers are marked ``^``, headlines ``#``, subheadlines ``##``, lead-ins
    ``**…**``, a dateline and credit ``[…]``, a byline ``—`` and a caption
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
    for article in page.articles:
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
    """Every repair on one line, in source order: ``line N: kind: detail``; each line ends with a newline.

    >>> print(format_repairs(Page("-", (), (), (Repair("space-removed", 3, "海拔 600 → 海拔600"),))), end="")
    line 3: space-removed: 海拔 600 → 海拔600
    """
    ordered = sorted(page.repairs, key=lambda repair: repair.line)
    return "".join(_format_repair(repair) + "\n" for repair in ordered)


def _format_repair(repair: Repair) -> str:
    removed = f" (removed {repair.removed})" if repair.removed else ""
    return f"line {repair.line}: {repair.kind}: {repair.detail}{removed}"
