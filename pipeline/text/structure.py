"""Recover a page's structure from repaired blocks: articles, titles, lead-ins, bylines and captions.

The rules, each a small function below:

- ``classify_block``: a block is a caption (OCR read it twice, or it reads
  like one: ``图为…``, ``…摄``), a byline standing alone (``□ 记者 李四``), a
  title (short, no sentence punctuation) or body text.
- Articles end after a byline and before a title; a dateline (``本报讯``) opens
  a new article.  Bylines closing a paragraph in parentheses are split off into
  ``credit`` and a list of bare names (``徐 静`` is one name, ``徐静``).
- Titles that OCR kept together (adjacent lines) form one group: kicker,
  headline, subheadline; a letter-spaced line is the main headline.
- ``attach_titles``: a lone title group between two articles goes to the one
  whose words it shares (``score_title``); groups piled up elsewhere (the
  sample puts five pairs at the foot of the page) are matched to the
  articles still without a title, best match first, among the articles
  within ``ARTICLE_REACH`` of the group (so a long text stays linear).
- ``find_leads``: a short first sentence opening several paragraphs of one
  article in parallel is a bold lead-in; an article's opening sentence is not.

An editor's sidecar (``pipeline.sidecar``) can split and merge paragraphs,
attach titles, mark and unmark lead-ins and give captions their images.
"""

from __future__ import annotations

import math
import operator
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from ..model import Article, Block, Caption, Page, Paragraph, Repair, Sidecar
from .chars import CLAUSE_MARKS, OPENING_QUOTES, SENTENCE_END, han_class
from .reflow import ends_sentence, fits_width, is_list_item, is_table_row

ROLES = (
    "本报特约记者", "本报见习记者", "本报实习记者", "本报特约通讯员", "本报通讯员", "本报记者",
    "特约记者", "见习记者", "实习记者", "特约通讯员", "通讯员", "实习生", "记者", "摄影", "编辑",
    "责任编辑", "撰稿", "报道", "文/图", "文", "图", "摄",
)
"""Roles a byline may name before its names (longest first); they go to ``credit``."""

DECORATIONS = "□■●◎◆★☆▲△"
"""Marks papers set before a standalone byline."""

MAX_TITLE_WIDTH = 32
"""Widest title, in ems; a longer line without sentence marks is body text."""

MAX_LEAD = 20
"""Longest lead-in sentence, in characters."""

MIN_LEAD = 4
"""Shortest lead-in sentence, in characters (``他笑了。`` is dialogue, not a lead-in)."""

_DATELINE = re.compile(
    r"^[【\[]?(?:本报讯|(?:本报|新华社|中新社|[^\s，。：、（）]{1,6}(?:社|网|台))"
    r"[^\s，。：、（）]{0,8}?[0-9０-９一二三四五六七八九十〇]{1,3}月[0-9０-９一二三四五六七八九十〇]{1,3}日[电讯])"
    r"[】\]]?"
)
_PAREN_TAIL = re.compile(r"[（(]([^（）()]{1,40})[)）]\s*$")
_PAREN_HEAD = re.compile(r"^\s*[（(]([^（）()]{1,40})[)）]\s*")
_CAPTION = re.compile(r"^(?:图为|▲|△|图：|图:)|(?:摄|供图|摄影)[)）]?$")
_SCENE = re.compile(
    r"(?:书记|县长|市长|省长|区长|镇长|乡长|主任|局长|部长|主席|董事长|总经理|负责人|干部|党员|村民|群众|"
    r"学生|游客|工作人员|志愿者|医护人员|民警|消防员)"
    r".{0,12}?(?:调研|检查|视察|指导|慰问|看望|参观|察看|考察|走访|督导|宣讲|讲解|救援|巡查|义诊|演练|表演|合影)"
)
"""Someone doing something, told without a sentence mark: a photo caption rather than a title."""
_FIGURES = re.compile(r"[0-9０-９]|百分之|[十百千万亿][余多]?[个人元吨亩家项]")
_HAN = re.compile("^[" + han_class() + "·]+$")
_NOT_WORD = re.compile(r"[\W_]")


@dataclass(frozen=True, slots=True)
class Byline:
    """A parsed byline: the roles (``本报记者``) as ``credit`` and the bare names."""

    credit: str | None
    names: tuple[str, ...]


def parse_byline(text: str, standalone: bool = False) -> Byline | None:
    """Parse a byline such as ``李安安 洛宇峰 徐 静`` or ``本报记者 张三``; None if it is not one.

    Two-character names padded to three (``徐 静``) are joined.  A standalone
    line needs a role, brackets or two names to count as a byline.

    >>> parse_byline("（李安安 洛宇峰 徐 静）")
    Byline(credit=None, names=('李安安', '洛宇峰', '徐静'))
    >>> parse_byline("□ 本报记者 张三 通讯员 李四", standalone=True)
    Byline(credit='本报记者 通讯员', names=('张三', '李四'))
    """
    inner = text.strip().lstrip(DECORATIONS).strip()
    bracketed = inner[:1] in "（(" and inner[-1:] in "）)"
    if bracketed:
        inner = inner[1:-1]
    roles: list[str] = []
    names: list[str] = []
    pending = ""
    tokens = [token for token in re.split(r"[\s、，,/]+", inner) if token]
    for token in tokens:
        if token in ROLES:
            roles.append(token)
            continue
        role = next((r for r in ROLES if len(r) > 1 and token.startswith(r)), None)
        if role:
            roles.append(role)
            token = token[len(role):]
        if _HAN.match(token) and len(token) in (5, 6) and (roles or names or len(tokens) > 1):
            # Two names that lost the space between them at a line break: the
            # first of three characters (padded names take three cells).
            names.append(token[:3])
            token = token[3:]
        if not _HAN.match(token) or len(token) > 4:
            return None
        if len(token) == 1:
            if pending:
                names.append(pending + token)
                pending = ""
            else:
                pending = token
            continue
        if pending:
            return None
        names.append(token)
    if pending or not names:
        return None
    if standalone and not (roles or bracketed or len(names) > 1):
        return None
    return Byline(" ".join(roles) or None, tuple(names))


def split_dateline(text: str) -> tuple[str | None, Byline | None, str]:
    """Split a dateline (and the byline in brackets after it) off a paragraph's start.

    >>> split_dateline("新华社北京9月1日电（记者 张三）近日，…")
    ('新华社北京9月1日电', Byline(credit='记者', names=('张三',)), '近日，…')
    >>> split_dateline("本报讯 今年以来，…")
    ('本报讯', None, '今年以来，…')
    """
    match = _DATELINE.match(text)
    if not match:
        return None, None, text
    dateline = match.group().strip("【】[]")
    rest = text[match.end():]
    byline = None
    paren = _PAREN_HEAD.match(rest)
    if paren:
        byline = parse_byline(paren.group(1))
        if byline is not None:
            rest = rest[paren.end():]
    return dateline, byline, rest.lstrip(" \N{IDEOGRAPHIC SPACE}")


def split_byline_tail(text: str) -> tuple[str, Byline | None]:
    """Split a closing byline in brackets off a paragraph's end.

    >>> split_byline_tail("作出应有的贡献！（李安安 洛宇峰 徐 静）")
    ('作出应有的贡献！', Byline(credit=None, names=('李安安', '洛宇峰', '徐静')))
    >>> split_byline_tail("启动了村改社体制改革和村（社）换届。")[1] is None
    True
    """
    match = _PAREN_TAIL.search(text)
    if not match:
        return text, None
    before = text[:match.start()].rstrip()
    if before and not ends_sentence(before):
        return text, None
    byline = parse_byline(match.group(1))
    if byline is None:
        return text, None
    return before, byline


def classify_block(block: Block, doubled: frozenset[int]) -> str:
    """Say what a block is: ``caption``, ``byline``, ``title`` or ``body``.

    >>> classify_block(Block("洪洞县委副书记、县长李俊平调研指导煤矿安全生产等工作", (9,)), frozenset())
    'caption'
    >>> classify_block(Block("坚定抓好党建", (9,)), frozenset()), classify_block(Block("（张三）", (9,)), frozenset())
    ('title', 'byline')
    """
    text = block.text
    if set(block.lines) & doubled or (_CAPTION.search(text) and not ends_sentence(text)):
        return "caption"
    if _is_title(text) and _SCENE.search(text):
        return "caption"
    if fits_width(text, MAX_TITLE_WIDTH) and parse_byline(text, standalone=True):
        return "byline"
    if _is_title(text):
        return "title"
    return "body"


def _is_title(text: str) -> bool:
    if not text or ends_sentence(text) or text[-1] in CLAUSE_MARKS:
        return False
    if not fits_width(text, MAX_TITLE_WIDTH) or is_table_row(text) or is_list_item(text):
        return False
    return not any(char in SENTENCE_END or char == "\N{FULLWIDTH SEMICOLON}" for char in text)


@dataclass(slots=True)
class _Draft:
    """An article being assembled while build_page walks the blocks (local to one call)."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    dateline: str | None = None
    byline: Byline | None = None
    titles: tuple[str | None, str | None, str | None] | None = None
    titled_by_editor: bool = False

    def text(self) -> str:
        return "".join(p.text for p in self.paragraphs)

    def lines(self) -> set[int]:
        return {line for p in self.paragraphs for line in p.lines}


@dataclass(frozen=True, slots=True)
class _Gap:
    """Title groups found between article ``position - 1`` and article ``position``."""

    position: int
    groups: tuple[tuple[Block, ...], ...]
    series: bool = False  # a series of kicker + headline pairs of the same shape


def build_page(blocks: tuple[Block, ...] | list[Block], source: str, repairs: tuple[Repair, ...],
               sidecar: Sidecar | None = None) -> Page:
    """Assemble blocks into a Page: articles with titles, lead-ins and bylines; captions.

    >>> page = build_page([Block("标题", (1,)), Block("本报讯 正文。", (3,))], "-", ())
    >>> page.articles[0].headline, page.articles[0].dateline, page.articles[0].paragraphs[0].text
    ('标题', '本报讯', '正文。')
    """
    blocks = list(blocks)
    if sidecar is not None:
        blocks = _apply_splits(blocks, sidecar)
        blocks = _apply_merges(blocks, sidecar)
    doubled = frozenset(r.line for r in repairs if r.kind == "undoubled-caption")
    spaced = frozenset(r.line for r in repairs if r.kind == "letterspacing-removed")

    drafts: list[_Draft] = []
    gaps: list[_Gap] = []
    captions: list[Caption] = []
    titles: list[Block] = []
    current: _Draft | None = None

    def close() -> None:
        nonlocal current
        if current is not None and (current.paragraphs or current.byline or current.dateline):
            drafts.append(current)
        current = None

    def flush_titles() -> None:
        if titles:
            position = len(drafts)
            series = _title_series(titles, spaced)
            gaps.append(_Gap(position, tuple(series or _title_groups(titles, spaced)), bool(series)))
            titles.clear()

    for block in blocks:
        kind = classify_block(block, doubled)
        if kind == "caption":
            captions.append(Caption(block.text, None, block.lines))
            continue
        if kind == "title":
            if current is not None and current.paragraphs:
                close()
            titles.append(block)
            continue
        flush_titles()
        if kind == "byline":
            byline = parse_byline(block.text, standalone=True)
            if current is not None and current.paragraphs and current.byline is None:
                current.byline = byline
                close()
            else:
                close()
                current = _Draft(byline=byline)
            continue
        text = block.text
        dateline, early_byline, text = split_dateline(text)
        if dateline is not None and current is not None and current.paragraphs:
            close()
        if current is None:
            current = _Draft()
        if dateline is not None:
            current.dateline = dateline
            current.byline = early_byline or current.byline
        text, late_byline = split_byline_tail(text)
        if text:
            current.paragraphs.append(Paragraph(text, None, block.lines))
        if late_byline is not None:
            if current.byline is not None:
                late_byline = _merge_bylines(current.byline, late_byline)
            current.byline = late_byline
            close()
    close()
    flush_titles()

    if sidecar is not None:
        gaps = _apply_title_fixes(drafts, gaps, sidecar)
    leftovers = attach_titles(drafts, gaps, spaced)
    articles = [_finish(draft, spaced) for draft in drafts]
    articles.extend(_finish(_Draft(titles=_split_group(group, spaced)), spaced) for group in leftovers)
    page = Page(source, tuple(articles), tuple(captions), tuple(repairs))
    if sidecar is not None:
        page = _apply_lead_fixes(page, sidecar)
        page = _apply_images(page, sidecar)
    return page


def _merge_bylines(first: Byline, second: Byline) -> Byline:
    credit = " ".join(c for c in (first.credit, second.credit) if c) or None
    return Byline(credit, first.names + second.names)


def _title_groups(titles: list[Block], spaced: frozenset[int]) -> list[tuple[Block, ...]]:
    """Split a run of title blocks into groups of lines OCR kept together (at most three each).

    A letter-spaced main headline closes its group: the next title starts another.
    """
    groups: list[list[Block]] = []
    for block in titles:
        last = groups[-1][-1] if groups else None
        if last is not None and last.lines and block.lines and block.lines[0] == last.lines[-1] + 1 \
                and len(groups[-1]) < 3 and not set(last.lines) & spaced:
            groups[-1].append(block)
        else:
            groups.append([block])
    return [tuple(group) for group in groups]


def _title_series(titles: list[Block], spaced: frozenset[int]) -> list[tuple[Block, ...]]:
    """Pairs, when a run of titles alternates two shapes (``优化“第一要素”`` / ``坚持树好形象`` …).

    OCR may lose both the blank lines between the pairs and the letter-spacing
    of the main headlines; the alternating punctuation still shows the pairs.
    """
    if len(titles) < 4 or len(titles) % 2 or any(set(block.lines) & spaced for block in titles):
        return []
    shapes = [frozenset(c for c in block.text if unicodedata.category(c)[0] == "P") for block in titles]
    if shapes[0] == shapes[1] or any(shape != shapes[i % 2] for i, shape in enumerate(shapes)):
        return []
    return [(titles[i], titles[i + 1]) for i in range(0, len(titles), 2)]


Titles = tuple[str | None, str | None, str | None]


def _split_group(group: tuple[Block, ...], spaced: frozenset[int], series: bool = False) -> Titles:
    """Name a group's titles: (kicker, headline, subheadline)."""
    texts = [block.text for block in group]
    if len(texts) == 1:
        return None, texts[0], None
    if len(texts) == 2 and texts[1].startswith("\N{EM DASH}"):
        return None, texts[0], texts[1]  # ——记全国劳动模范…: a subheadline
    if len(texts) == 2 and texts[0].startswith("\N{EM DASH}"):
        return None, texts[1], texts[0]
    if len(texts) == 3:
        return texts[0], texts[1], texts[2]
    # A letter-spaced line is the main headline; a line with figures is a
    # subheadline; otherwise a shorter line above a longer one is a kicker.
    first_spaced = bool(set(group[0].lines) & spaced)
    second_spaced = bool(set(group[1].lines) & spaced)
    if second_spaced != first_spaced:
        return (texts[0], texts[1], None) if second_spaced else (None, texts[0], texts[1])
    if series:
        return texts[0], texts[1], None
    if _FIGURES.search(texts[1]) or len(texts[0]) >= len(texts[1]):
        return None, texts[0], texts[1]
    return texts[0], texts[1], None


HEADLINE_FILLERS = (
    "持续", "坚持", "坚定", "坚决", "全力", "全面", "大力", "着力", "加快", "加强", "推进", "推动",
    "深化", "不断", "积极", "切实", "努力", "进一步",
)
"""Adverbs and verbs headlines use for every topic; they say nothing about which article is meant."""


def _bigrams(text: str) -> Counter[str]:
    """Pairs of adjacent Han characters, letters or digits: the words a title shares with its article."""
    # ``\W`` and ``_`` are exactly what str.isalnum() rejects; Han characters (Lo) are alphanumeric.
    clean = _NOT_WORD.sub(" ", text)
    pairs = Counter(map(operator.add, clean, clean[1:]))  # every pair, counted in C
    for pair in [pair for pair in pairs if " " in pair]:
        del pairs[pair]
    return pairs


def _title_grams(title: str) -> set[str]:
    for filler in HEADLINE_FILLERS:
        title = title.replace(filler, " ")
    return set(_bigrams(title))


def score_title(title: str, article_grams: Counter[str], weights: dict[str, float]) -> float:
    """How much a title's words belong to an article: shared word pairs, weighted by rarity and frequency.

    Pairs rare on the page weigh more (``党建`` over ``发展``); an article that
    uses a pair often is more about it.  Filler words (``持续``, ``坚定``) do not count.

    >>> score_title("坚定抓好党建", _bigrams("把抓好党建作为最大政绩"), {})
    3.0
    """
    return _score_grams(sorted(_title_grams(title)), article_grams, weights)


def _score_grams(grams: list[str], article_grams: Counter[str], weights: dict[str, float]) -> float:
    """``score_title`` for a title's word pairs computed once (sorted, so the sum is reproducible)."""
    # ``in`` first: looking up a missing pair in a Counter costs a Python call.
    return sum(weights.get(gram, 1.0) * (1.0 + math.log(article_grams[gram]))
               for gram in grams if gram in article_grams and article_grams[gram])


SECONDARY_TITLE_WEIGHT = 0.5
"""How much a kicker's or subheadline's words count towards attaching a title group, against the headline's."""

NEXT_PRIOR = 2.0
"""How much more a lone title between two articles belongs to the one after it (titles usually lead)."""

PREVIOUS_PRIOR = 1.6
"""How much more a lone title belongs to the article just before it (the sample sets titles after)."""


ARTICLE_REACH = 24
"""How many articles on each side of a title group's place may take it (a printed page holds fewer).

A pile of groups reaches as many articles further back as it holds groups (up
to ``ARTICLE_REACH`` more): the sample piles five pairs after the articles
they head.  Bounding the reach keeps a very long text linear: each group is
scored against a bounded number of articles.
"""


def attach_titles(drafts: list[_Draft], gaps: list[_Gap], spaced: frozenset[int]) -> list[tuple[Block, ...]]:
    """Give each title group to an article by content and position; return the groups left over.

    Every group is scored against every article still without a title within
    ``ARTICLE_REACH`` of its place (``score_title``), and the best pairs are
    taken first.  A lone group between two articles leans towards its
    neighbours (``NEXT_PRIOR``, ``PREVIOUS_PRIOR``); groups piled up together
    (the sample sets five pairs at the foot of the page) are placed by their
    words alone.  When no words are shared, the nearest article, the one
    after first, takes the title.
    """
    grams = [_bigrams(draft.text()) for draft in drafts]
    weights = _rarity(grams)
    entries = [(gap.position, group, len(gap.groups) == 1, gap.series, len(gap.groups))
               for gap in gaps for group in gap.groups]
    scored = []
    for number, (position, group, lone, series, piled) in enumerate(entries):
        kicker, headline, subheadline = _split_group(group, spaced, series)
        # Each title's word pairs once per group, not once per article.
        main = sorted(_title_grams(headline or ""))
        secondary = [sorted(_title_grams(title)) for title in (kicker, subheadline) if title]
        reach = ARTICLE_REACH + min(piled, ARTICLE_REACH)
        for index in range(max(0, position - reach), min(len(drafts), position + reach)):
            if drafts[index].titles is not None:
                continue
            prior = 1.0
            if lone and index == position:
                prior = NEXT_PRIOR
            elif lone and index == position - 1:
                prior = PREVIOUS_PRIOR
            distance = index - position if index >= position else position - index - 0.5
            # The main headline states the topic; a kicker or subheadline only half as much.
            words = _score_grams(main, grams[index], weights) + sum(
                SECONDARY_TITLE_WEIGHT * _score_grams(title, grams[index], weights) for title in secondary)
            score = words * prior
            scored.append((score, prior, -distance, -number, number, index))
    used: set[int] = set()
    for *_order, number, index in sorted(scored, reverse=True):
        if number in used or drafts[index].titles is not None:
            continue
        drafts[index].titles = _split_group(entries[number][1], spaced, entries[number][3])
        used.add(number)
    return [entry[1] for number, entry in enumerate(entries) if number not in used]


def _rarity(grams: list[Counter[str]]) -> dict[str, float]:
    """Inverse document frequency of each word pair over the page's articles."""
    counts: dict[str, int] = {}
    for article in grams:
        for gram in article:
            counts[gram] = counts.get(gram, 0) + 1
    total = len(grams)
    return {gram: 1.0 + math.log((total + 1) / (count + 1)) for gram, count in counts.items()}


def find_leads(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Mark lead-ins: short first sentences opening at least two later paragraphs in parallel.

    >>> ps = [Paragraph("开篇。正文。"), Paragraph("强化思想政治建设。坚持。"),
    ...       Paragraph("严肃党内政治生活。严格。")]
    >>> [p.lead for p in find_leads(ps)]
    [None, '强化思想政治建设。', '严肃党内政治生活。']
    """
    candidates = {index: lead for index, p in enumerate(paragraphs) if index
                  for lead in [_lead_candidate(p.text)] if lead}
    later = len(paragraphs) - 1
    if len(candidates) < 2 or len(candidates) * 2 < later:
        return paragraphs
    return [replace(p, lead=candidates[i]) if i in candidates else p for i, p in enumerate(paragraphs)]


def _lead_candidate(text: str) -> str | None:
    match = re.match(r"[^。！？]*[。！？]", text)
    if not match:
        return None
    sentence = match.group()
    if not MIN_LEAD <= len(sentence) - 1 <= MAX_LEAD or len(sentence) == len(text):
        return None
    if sentence[0] in OPENING_QUOTES or any(mark in sentence for mark in "；：,;:"):
        return None
    # A comma may join two parallel phrases (``乘势而上再出发，勇立潮头蹚新路。``),
    # not follow a short opener (``他说，…``, ``据了解，…``).
    halves = sentence[:-1].split("\N{FULLWIDTH COMMA}")
    if len(halves) > 2 or any(len(half) < 4 for half in halves):
        return None
    return sentence


def first_sentence(text: str) -> str | None:
    """The first sentence of ``text`` including its mark, or None if it has no sentence mark."""
    match = re.match(r"[^。！？]*[。！？][”’」』]?", text)
    return match.group() if match else None


def _finish(draft: _Draft, spaced: frozenset[int]) -> Article:
    kicker, headline, subheadline = draft.titles or (None, None, None)
    byline = draft.byline or Byline(None, ())
    return Article(
        paragraphs=tuple(find_leads(draft.paragraphs)),
        kicker=kicker, headline=headline, subheadline=subheadline,
        dateline=draft.dateline, credit=byline.credit, byline=byline.names,
    )


# --- the editor's sidecar -------------------------------------------------------------------


def _apply_splits(blocks: list[Block], sidecar: Sidecar) -> list[Block]:
    out = list(blocks)
    for fix in sidecar.splits:
        for index, block in enumerate(out):
            if fix.line in block.lines[1:] and len(block.starts) == len(block.lines):
                cut = block.starts[block.lines.index(fix.line)]
                at = block.lines.index(fix.line)
                head = Block(block.text[:cut], block.lines[:at], block.starts[:at])
                tail_starts = tuple(s - cut for s in block.starts[at:])
                tail = Block(block.text[cut:], block.lines[at:], tail_starts)
                out[index:index + 1] = [head, tail]
                break
        else:
            raise sidecar.error(fix.where, f"split: line {fix.line} is not inside a paragraph",
                                "name a line inside a paragraph, as `broadsheet parse --json` shows")
    return out


def _apply_merges(blocks: list[Block], sidecar: Sidecar) -> list[Block]:
    out = list(blocks)
    for fix in sidecar.merges:
        index = next((i for i, b in enumerate(out) if b.lines[:1] == (fix.line,)), None)
        if not index:
            raise sidecar.error(fix.where, f"merge: no paragraph after the first starts at line {fix.line}",
                                "name the first line of the paragraph to join to the one before")
        before, block = out[index - 1], out[index]
        starts = before.starts + tuple(s + len(before.text) for s in block.starts)
        out[index - 1:index + 1] = [Block(before.text + block.text, before.lines + block.lines, starts)]
    return out


def _apply_title_fixes(drafts: list[_Draft], gaps: list[_Gap], sidecar: Sidecar) -> list[_Gap]:
    """Attach the editor's titles; title blocks on the page they name are taken out of the pool."""
    claimed: set[str] = set()
    for fix in sidecar.titles:
        draft = next((d for d in drafts if fix.line in d.lines()), None)
        if draft is None:
            raise sidecar.error(fix.where, f"articles: line {fix.line} is not in the body of an article",
                                "name any source line of the article's paragraphs")
        draft.titles = (fix.kicker, fix.headline, fix.subheadline)
        draft.titled_by_editor = True
        claimed.update(t for t in (fix.kicker, fix.headline, fix.subheadline) if t)
    kept = []
    for gap in gaps:
        groups = tuple(rest for group in gap.groups
                       for rest in [tuple(block for block in group if block.text not in claimed)] if rest)
        if groups:
            kept.append(replace(gap, groups=groups))
    return kept


def _apply_lead_fixes(page: Page, sidecar: Sidecar) -> Page:
    articles = list(page.articles)
    for fix in sidecar.leads:
        found = False
        for a_index, article in enumerate(articles):
            for p_index, paragraph in enumerate(article.paragraphs):
                if paragraph.lines[:1] != (fix.line,):
                    continue
                found = True
                if fix.lead is False:
                    lead = None
                elif fix.lead is True:
                    lead = first_sentence(paragraph.text)
                    if lead is None or lead == paragraph.text:
                        raise sidecar.error(fix.where, f"leads: the paragraph at line {fix.line} "
                                            "has no first sentence to make a lead-in")
                else:
                    lead = str(fix.lead)
                    if not paragraph.text.startswith(lead) or lead == paragraph.text:
                        raise sidecar.error(fix.where, f"leads: {lead!r} does not begin the paragraph at "
                                            f"line {fix.line}", "copy the lead-in from the paragraph's start")
                paragraphs = list(article.paragraphs)
                paragraphs[p_index] = replace(paragraph, lead=lead)
                articles[a_index] = replace(article, paragraphs=tuple(paragraphs))
        if not found:
            raise sidecar.error(fix.where, f"leads: no paragraph starts at line {fix.line}",
                                "use the first line of a paragraph, as `broadsheet parse --json` shows")
    return replace(page, articles=tuple(articles))


def _apply_images(page: Page, sidecar: Sidecar) -> Page:
    captions = list(page.captions)
    for fix in sidecar.images:
        index = next((i for i, c in enumerate(captions) if c.lines[:1] == (fix.line,)), None)
        if index is None:
            raise sidecar.error(fix.where, f"captions: no caption starts at line {fix.line}",
                                "use the first line of a caption, as `broadsheet parse --json` shows")
        captions[index] = replace(captions[index], image=fix.image)
    return replace(page, captions=tuple(captions))
