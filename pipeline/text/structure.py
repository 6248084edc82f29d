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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..model import Article, Block, Caption, Credit, Doubt, Page, PageHeadline, Paragraph, Repair, Sidecar, is_counted
from .chars import CLAUSE_MARKS, OPENING_QUOTES, SENTENCE_END, han_class, is_wide_letter
from .lines import (
    DATELINE,
    MAX_NAME,
    PHOTO_PLACE,
    ends_cut_credit,
    has_caption_marks,
    is_caption_line,
    is_number_entry,
    is_value_label,
    opens_closing,
    opens_credit,
    opens_lead,
    opens_turn,
    turn_speaker,
)
from .reflow import ends_sentence, fits_width, is_letterspaced, is_list_item, is_table_row, visual_width
from .titlewrap import MEASURE_SLACK, WRAP_DOUBT, WRAP_JOIN, fills, title_measure, wrap_score
from .words import crosses_word, dictionary_words, word_boundaries

ROLES = (
    "本报特约记者", "本报见习记者", "本报实习记者", "本报特约通讯员", "本报通讯员", "本报记者",
    "特约记者", "见习记者", "实习记者", "特约通讯员", "通讯员", "实习生", "记者", "摄影", "编辑",
    "责任编辑", "撰稿", "报道", "文/图", "文", "图", "摄",
)
"""Roles a byline may name before its names (longest first); they go to ``credit``."""

TRAILING_ROLES = ("报道", "摄", "摄影", "撰稿")
"""Roles printed after the names they credit."""

DECORATIONS = "□■●◎◆★☆▲△"
"""Marks papers set before a standalone byline."""

NO_TITLE_OPENERS = "的"
"""Characters no title opens with: a line starting with one is the rest of a sentence."""

INTERVIEW_LABELS = ("记者：", "记者:", "问：", "问:", "答：", "答:")
"""How an interview's turns open: no title does."""

MAX_TITLE_WIDTH = 32
"""Widest title, in ems; a longer line without sentence marks is body text."""

MAX_COMMA_TITLE = 16
"""Longest title, in characters, with a comma in it (``撸起袖子加油干，奋力谱写新篇章``)."""

MAX_LEAD = 20
"""Longest lead-in sentence, in characters."""

MIN_LEAD = 4
"""Shortest lead-in sentence, in characters (``他笑了。`` is dialogue, not a lead-in)."""

MIN_LEAD_PHRASE = 3
"""Shortest half of a lead-in joined by a comma (``强基础，促发展。``); a shorter one opens a sentence (``他说，…``)."""

SENTENCE_OPENERS = ("据了解", "据悉", "据介绍", "目前", "近日", "此外", "同时", "为此", "对此", "其中", "今年",
                    "去年", "他说", "她说", "记者")
"""Words that open a sentence before a comma (``据了解，…``): a three-character half that is one is no lead-in."""

COMMA_OPENERS = frozenset((*SENTENCE_OPENERS, "下一步", "近年来", "与此同时", "另外", "然而", "因此", "随后", "此前",
                           "目前", "截至目前", "据统计", "记者了解到"))
"""Words a sentence opens with before a comma and no title does (``下一步，…``)."""

_DATELINE = DATELINE
_PAREN_TAIL = re.compile(r"[（(]([^（）()]{1,40})[)）]\s*$")
_NOT_BRACKET = "[^（）()〈〉《》〔〕\\[\\]【】。！？"
_LOOSE_TAIL = re.compile(r"[（(〈《〔\[【](" + _NOT_BRACKET + r"]{1,40}?)[)）〉》〕\]】]?\s*$")
_OPENLESS_TAIL = re.compile(r"(?<=[。！？”])\s*(" + _NOT_BRACKET + r"\s]" + _NOT_BRACKET + r"]{1,40}?)"
                            r"[)）〉》〕\]】]\s*$")
"""A closing byline whose opening bracket OCR lost (``…新高。记者 张三）``): it must name a role."""
_PAREN_HEAD = re.compile(r"^\s*[（(〈《〔\[【]?([^（）()〈〉《》〔〕\[\]【】]{1,40})[)）〉》〕\]】]\s*")
"""A byline in brackets after a dateline; OCR may misread a bracket (``〈``, ``《``, ``【``) or lose the first."""
_BRACKET_HEAD = re.compile(r"^\s*[（(〈《〔\[【]([^（）()〈〉《》〔〕\[\]【】]{1,40})[)）〉》〕\]】]\s*")
_SCENE = re.compile(
    r"(?:书记|县长|市长|省长|区长|镇长|乡长|主任|局长|部长|主席|董事长|总经理|负责人|干部|党员|村民|群众|"
    r"学生|游客|工作人员|志愿者|医护人员|民警|消防员)"
    r".{0,12}?(?:调研|检查|视察|指导|慰问|看望|参观|察看|考察|走访|督导|宣讲|讲解|救援|巡查|义诊|演练|表演|合影)"
)
"""Someone doing something, told without a sentence mark: a photo caption rather than a title."""
_FIGURES = re.compile(
    r"[0-9０-９]|百分之|(?:[一二三四五六七八九十两百千万亿]{2,}[余多]?|[一二三四五六七八九十两百千万亿][余多])"
    r"(?:个|项|条|座|名|人|元|吨|亩|家|户|枚|所|万|亿|成|倍|公里|平方米|场|支|次)"
)
"""Figures: a subheadline often states one (``全县新增就业岗位三千余个``, ``增长4.7%``)."""
SECTION_WORDS = (
    "简讯", "快讯", "动态", "要闻", "简报", "时评", "论坛", "周刊", "之窗", "观察", "公告", "公示", "速递",
    "短波", "集锦", "扫描", "纵横", "视点", "广角", "专栏", "副刊", "专版", "连线", "直击", "一览",
)
"""How the names of a page's sections (栏目) end: ``乡镇简讯``, ``县域时评``, ``科技之窗``."""
MAX_SECTION = 8
"""Longest section title, in characters."""
MAX_DEBRIS = 2
"""A title-like block of at most this many characters is OCR debris or a wrapped title's tail, never a title."""
_NUMERAL = "[0-9０-９〇一二三四五六七八九十]"
_DATE = _NUMERAL + "{2,4}年" + _NUMERAL + "{1,2}月" + _NUMERAL + "{1,3}日"
_DATE_LINE = re.compile("^" + _DATE + "$")
_READ_DATE = _NUMERAL + "{2,4}.?年" + _NUMERAL + "{1,2}.?月" + _NUMERAL + "{1,3}.?日"
_READ_DATE_LINE = re.compile("^" + _READ_DATE + "$")
"""A date alone on its line as OCR may read it, with a stray character before a unit (``2026人年11月30日``)."""
_DATE_END = re.compile(_DATE + "$")
_ISSUER = re.compile(
    "^[" + han_class() + "（）()·]{3,30}(?:局|队|公司|医院|办公室|办|委员会|委|政府|合作社|中心|学校|协会|小组|"
    "指挥部|厂|站|所|院|社|会|部|处|科|室)$"
)
"""An issuing body signing a notice off (``云溪县自来水公司``), followed by the date."""
_SIGNOFF = re.compile(_ISSUER.pattern[:-1] + r"\s*" + _DATE + "$")
"""An issuing body and the date on one line: a sign-off, not a title."""
_SIGNOFF_PARAGRAPH = re.compile("^(?:" + _ISSUER.pattern[1:-1] + r"\s*){1,3}" + _READ_DATE_LINE.pattern[1:])
"""A paragraph that is only an issuing body (or up to three) and a date (as OCR may read it): a notice's sign-off."""
_GLUED_SIGNOFF = re.compile("[。！？”]" + _ISSUER.pattern[1:-1] + r"\s*" + _DATE + "$")
_LABEL = re.compile("^[" + han_class() + r"]{2,8}[：:]\s*[0-9０-９]")
"""A label and its value (``联系电话：0351-…``): body text, not a title."""
_SCENE_AT = re.compile("^[^，。：；！？]{2,16}在[^，。：；！？]{2,18}$")
"""Someone somewhere doing something (``冬泳爱好者在清水河中畅游``): a caption when it stands between body."""
_PHOTO_PLACE = PHOTO_PLACE
"""Where someone stands in a photo (``马桂兰（右）``, ``（前排左二）``): a caption, never a title."""
_LABEL_ONLY = re.compile("^[" + han_class() + r"]{2,8}[：:]$")
"""A label whose value a column break put on the next block (``联系电话：`` / ``0358-…``)."""
_HAN = re.compile("^[" + han_class() + "·]+$")
_NOT_WORD = re.compile(r"[\W_]")


@dataclass(frozen=True, slots=True)
class Byline:
    """A parsed byline: the roles (``本报记者``) as ``credit``, the bare names, and each role with its names."""

    credit: str | None
    names: tuple[str, ...]
    credits: tuple[Credit, ...] = field(default=(), repr=False, compare=False)


PARTICLES = frozenset("了的着过吗呢吧么")
"""Grammatical particles: no name holds one, so one inside a byline's name is OCR's insertion (``冯了晓东``)."""


def _drop_particles(byline: Byline) -> tuple[Byline, str]:
    """The byline without particles OCR inserted inside its names, and the characters dropped.

    >>> _drop_particles(Byline("记者", ("冯了晓东",), (Credit("记者", ("冯了晓东",)),)))
    (Byline(credit='记者', names=('冯晓东',)), '了')
    """
    def clean(name: str) -> str:
        kept = name[0] + "".join(char for char in name[1:] if char not in PARTICLES)
        return kept if len(kept) >= 2 else name

    if not any(char in PARTICLES for name in byline.names for char in name[1:]):
        return byline, ""
    names = tuple(clean(name) for name in byline.names)
    dropped = "".join(char for name in byline.names if len(clean(name)) < len(name)
                      for char in name[1:] if char in PARTICLES)
    credits = tuple(Credit(credit.role, tuple(clean(name) for name in credit.names)) for credit in byline.credits)
    return Byline(byline.credit, names, credits), dropped


COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                     "令狐", "夏侯", "端木", "独孤", "南宫", "西门", "申屠", "呼延")
"""Two-character surnames: a four-character name after a role starts with one, else it is two names."""

OCR_DECORATION = "口"
"""What OCR reads a ``□`` as: a decoration only before a role or a spaced name."""


_INNER_ROLES = tuple(sorted((role for role in ROLES if len(role) > 1 and "/" not in role), key=len, reverse=True))


def _split_trailing_role(token: str) -> list[str]:
    """Names and roles OCR ran together, taken apart: ``默实习生``, ``孙洁通讯员王五``.

    >>> _split_trailing_role("孙洁通讯员王五"), _split_trailing_role("本报记者孙洁")
    (['孙洁', '通讯员', '王五'], ['本报记者', '孙洁'])
    """
    if token in ROLES or not _HAN.match(token):
        return [token]
    prefix = next((role for role in ROLES if len(role) > 1 and token.startswith(role)), None)
    if prefix is not None:
        return [prefix, *_split_trailing_role(token[len(prefix):])]
    for role in _INNER_ROLES:
        at = token.find(role)
        if 0 < at <= 4:
            rest = token[at + len(role):]
            return [token[:at], role, *(_split_trailing_role(rest) if rest else [])]
    return [token]


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
)
"""The commonest single-character surnames (more than nine in ten Chinese people bear one of them)."""

_JUNK = re.compile(r"^[^\s" + han_class() + r"]{1,3}\s")
"""A few marks or Latin letters standing apart: OCR's reading of a box (``DD] 通讯员 孔 丽``)."""


_BOX_EDGES = "]|)）】〕"
"""What OCR reads a ``□``'s right edge as, after the ``口`` it reads its left part as."""


def _name_shaped(text: str) -> bool:
    """Whether ``text`` has a personal name's shape: two or three Han characters, a surname first.

    >>> _name_shaped("周平"), _name_shaped("欧阳敏"), _name_shaped("口品"), _name_shaped("周平安全")
    (True, True, False, False)
    """
    return 2 <= len(text) <= 3 and bool(_HAN.match(text)) and text[0] in SURNAMES


def _misread_decoration(text: str) -> int:
    """How many characters a byline line opens with that are a ``□``/``■`` OCR misread (0 if none).

    ``口`` before a role, a space or a bare name (``口周平``); any one character, or a few marks
    or Latin letters, standing apart before a role (``国 本报记者 …``, ``DD] 通讯员 …``).

    >>> _misread_decoration("口本报记者孙洁"), _misread_decoration("国 本报记者 李 默"), _misread_decoration("口周平")
    (1, 1, 1)
    >>> _misread_decoration("DD] 通讯员 孔丽"), _misread_decoration("本报记者 张三"), _misread_decoration("口岸经济")
    (3, 0, 0)
    >>> _misread_decoration("口] 通讯员孔 丽"), _misread_decoration("口)")
    (2, 0)
    """
    if not text or text[0] in DECORATIONS or text[0].isspace():
        return 0
    rest = text[1:]
    long_roles = tuple(r for r in ROLES if len(r) > 1)
    if text[0] == OCR_DECORATION and (rest[:1].isspace() or rest.startswith(ROLES)):
        return 1
    if text[0] == OCR_DECORATION and rest[:1] in _BOX_EDGES and rest[1:].strip().startswith(long_roles):
        return 2  # the box's edge read as a bracket too (``口] 通讯员 孔 丽``)
    if text[0] == OCR_DECORATION and _name_shaped(rest):
        return 1
    junk = _JUNK.match(text)
    if junk and text[junk.end():].strip().startswith(long_roles):
        return len(junk.group().rstrip())
    return 1 if rest[:1].isspace() and rest.strip().startswith(long_roles) else 0


STRAY_QUOTES = "\N{LEFT DOUBLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}\N{LEFT SINGLE QUOTATION MARK}" \
    "\N{RIGHT SINGLE QUOTATION MARK}\"'`"
"""Quote marks OCR reads into a byline's wide gap between role and name (``通讯员 ” 包文静``)."""

_LONG_ROLES = tuple(role for role in ROLES if len(role) > 1)


def _drop_stray_quotes(inner: str) -> str:
    """A credit's text without the quote marks OCR read in its gaps: no role or name holds one.

    Only after a role of two or more characters, so a quoted title (``“科学之夜”``) stays as it is.

    >>> _drop_stray_quotes("通讯员 ” 包文静"), _drop_stray_quotes("“科学之夜”")
    ('通讯员   包文静', '“科学之夜”')
    """
    if not any(mark in inner for mark in STRAY_QUOTES):
        return inner
    cleaned = inner.translate({ord(mark): " " for mark in STRAY_QUOTES})
    return cleaned if cleaned.strip().startswith(_LONG_ROLES) else inner


def parse_byline(text: str, standalone: bool = False) -> Byline | None:
    """Parse a byline such as ``李安安 洛宇峰 徐 静`` or ``本报记者 张三``; None if it is not one.

    Two-character names padded to three (``徐 静``) are joined.  A standalone
    line needs a role, brackets or a decoration (``□``, ``■``) to count as a byline;
    names are two to four characters, and two or more four-character words without a
    role are a kicker's phrases, not names.

    >>> parse_byline("（李安安 洛宇峰 徐 静）").names
    ('李安安', '洛宇峰', '徐静')
    >>> byline = parse_byline("□ 本报记者 张三 通讯员 李四", standalone=True)
    >>> byline.credit, byline.names, [(c.role, c.names) for c in byline.credits]
    ('本报记者 通讯员', ('张三', '李四'), [('本报记者', ('张三',)), ('通讯员', ('李四',))])
    >>> parse_byline("产业兴 村庄美 百姓富", standalone=True) is None
    True
    """
    inner = text.strip()
    decorated = inner[:1] in DECORATIONS
    inner = inner.lstrip(DECORATIONS).strip()
    misread = _misread_decoration(inner)
    if misread:
        decorated, inner = True, inner[misread:].strip()
    bracketed = inner[:1] in "（(" and inner[-1:] in "）)"
    if bracketed:
        inner = inner[1:-1]
    inner = _drop_stray_quotes(inner)
    roles: list[str] = []
    names: list[str] = []
    credits: list[tuple[str | None, list[str]]] = []
    pending = ""
    # ``文/图`` is one role; a slash elsewhere parts names.
    tokens = [part for token in re.split(r"[\s、，,]+", inner) if token
              for part in ([token] if token in ROLES else token.split("/")) if part]

    def add_name(name: str) -> None:
        if not credits:
            credits.append((None, []))
        credits[-1][1].append(name)
        names.append(name)

    tokens = [part for token in tokens for part in _split_trailing_role(token)]
    for token in tokens:
        role = token if token in ROLES else next((r for r in ROLES if len(r) > 1 and token.startswith(r)), None)
        if role is not None and len(token) == 1 and pending:
            role = None  # ``蒋 文``: the padded name's second character, not the role 文
        if role:
            if pending:
                return None
            roles.append(role)
            if credits and credits[-1][0] is not None and not credits[-1][1]:
                credits[-1] = (f"{credits[-1][0]} {role}", [])  # ``文/图 本报记者``: two roles, one list of names
            else:
                credits.append((role, []))
            token = token[len(role):]
            if not token:
                continue
        if _HAN.match(token) and len(token) in (5, 6) and roles:
            # Two names that lost the space between them at a line break: the
            # first of three characters (padded names take three cells).
            add_name(token[:3])
            token = token[3:]
        if _HAN.match(token) and len(token) == 4 and roles and not token.startswith(COMPOUND_SURNAMES) \
                and token[0] in SURNAMES and token[2] in SURNAMES:
            add_name(token[:2])  # two two-character names that lost the space between them
            token = token[2:]
        if not _HAN.match(token) or len(token) > 4:
            return None
        if len(token) == 1:
            if pending:
                add_name(pending + token)
                pending = ""
            else:
                pending = token
            continue
        if pending:
            return None
        add_name(token)
    while credits and not credits[-1][1] and credits[-1][0] in TRAILING_ROLES:
        credits.pop()  # ``（记者 张三 报道）``: the role after the names says what they did
    if pending or not names or any(not entry[1] for entry in credits):
        return None
    if standalone and not (roles or bracketed or decorated):
        return None
    if not roles and len(names) > 1 and all(len(name) == 4 for name in names):
        return None
    return Byline(" ".join(roles) or None, tuple(names),
                  tuple(Credit(role, tuple(entry)) for role, entry in credits))


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


def split_byline_head(text: str) -> tuple[Byline | None, str]:
    """Split a byline in brackets run in at an article's first paragraph (``（记者 张三）11月30日上午，…``).

    Only a byline naming a role counts: ``（二）`` or ``（上）`` open the text.

    >>> split_byline_head("（记者 张三）11月30日上午，县城…")
    (Byline(credit='记者', names=('张三',)), '11月30日上午，县城…')
    """
    match = _BRACKET_HEAD.match(text)
    byline = parse_byline(match.group(1)) if match else None
    if match is None or byline is None or byline.credit is None:
        return None, text
    return byline, text[match.end():].lstrip(" \N{IDEOGRAPHIC SPACE}")


def split_byline_tail(text: str) -> tuple[str, Byline | None]:
    """Split a closing byline in brackets off a paragraph's end.

    >>> split_byline_tail("作出应有的贡献！（李安安 洛宇峰 徐 静）")
    ('作出应有的贡献！', Byline(credit=None, names=('李安安', '洛宇峰', '徐静')))
    >>> split_byline_tail("启动了村改社体制改革和村（社）换届。")[1] is None
    True
    """
    match = _PAREN_TAIL.search(text)
    loose = False
    if not match:
        # OCR reads a bracket as ``〈``, ``《``, ``〔`` or ``【``, or loses one of the two: a byline
        # still, if it names a role.
        match, loose = _LOOSE_TAIL.search(text) or _OPENLESS_TAIL.search(text), True
        if not match:
            return text, None
    before = text[:match.start()].rstrip()
    if before and not ends_sentence(before):
        return text, None
    byline = parse_byline(match.group(1))
    if byline is None or (loose and byline.credit is None):
        return text, None
    return before, byline


def _split_byline_line(text: str, block: Block) -> tuple[str, Byline | None]:
    """Split off a closing byline printed on a line of its own whose sentence end OCR lost.

    ``split_byline_tail`` wants a sentence end before the bracket; OCR may misread or drop
    the ``。`` (``…一百二十由`` / ``(通讯员 蒋 文)``).  A bracketed line naming a role, the
    block's last line, is the byline all the same: no sentence runs on into a bracket that
    opens a line and closes the paragraph.
    """
    if len(block.starts) != len(block.lines) or len(block.starts) < 2:
        return text, None
    line = block.text[block.starts[-1]:].strip()
    if not line or not text.rstrip().endswith(line) or line[:1] not in "（(〈《〔[【" \
            or line[-1:] not in "）)〉》〕]】":
        return text, None
    byline = parse_byline(line[1:-1])
    if byline is None or byline.credit is None:
        return text, None
    before = text.rstrip()[:-len(line)].rstrip()
    return (before, byline) if before else (text, None)


def classify_block(block: Block, doubled: frozenset[int]) -> str:
    """Say what a block is: ``caption``, ``byline``, ``title`` or ``body``.

    >>> classify_block(Block("洪洞县委副书记、县长李俊平调研指导煤矿安全生产等工作", (9,)), frozenset())
    'caption'
    >>> classify_block(Block("坚定抓好党建", (9,)), frozenset()), classify_block(Block("（张三）", (9,)), frozenset())
    ('title', 'byline')
    """
    text = block.text
    if set(block.lines) & doubled or (is_caption_line(text) and (
            text.startswith("图为") or not any(char in SENTENCE_END for char in text))):
        return "caption"
    if _is_title(text) and (_SCENE.search(text) or _PHOTO_PLACE.search(text)):
        return "caption"
    if fits_width(text, MAX_TITLE_WIDTH) and parse_byline(text, standalone=True):
        return "byline"
    if _is_title(text):
        return "title"
    return "body"


DANGLING = frozenset("的为把被向从对将和与及让使给")
"""Function words that want a word after them: no title ends in one standing alone."""


def _ends_dangling(text: str) -> bool:
    """Whether a title-like block ends in a function word standing alone (``现场三千多名观众为``): a
    column break cut a sentence there.  A word that ends in one (``成为``, ``目的``) is no sign;
    a wrapped title (``关于…名单的`` / ``公示``) is asked once its lines are joined.

    >>> _ends_dangling("现场三千多名观众为"), _ends_dangling("县第一中学新校区成为"), _ends_dangling("我们的节日")
    (True, False, False)
    """
    text = text.rstrip()
    return bool(text) and text[-1] in DANGLING and dictionary_words(text[-WORD_WINDOW:])[-1:] == (text[-1],)


WORD_WINDOW = 6
"""Characters at a line's end that are cut into words to see how it ends."""


TITLE_ROW_GAP = 4
"""Source lines a large title's next line may stand below its line in ``pdftotext -layout``, which
sets blank rows by the type's height."""


def _join_dangling_lines(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """A title-like block that ends in a lone function word (``_ends_dangling``) is body text: it
    goes on in the body block after it, unless that opens a dateline, a list item or a turn."""
    out: list[_Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        if item.kind != "title" or not _ends_dangling(item.block.text):
            out.append(item)
            index += 1
            continue
        following = items[index + 1] if index + 1 < len(items) else None
        if following is not None and following.kind == "body" and not _DATELINE.match(following.block.text) \
                and not _opens_block(following.block.text):
            out.append(_Item("body", _join_blocks(item.block, following.block)))
            repairs.append(Repair("joined-stranded-line", following.block.first_line,
                                  f"{item.block.text[-6:]} | {following.block.text[:8]}"))
            index += 2
            continue
        wraps = following is not None and following.kind == "title" and (
            not following.block.after_blank
            or _in_reading_order(item.block, following.block, TITLE_ROW_GAP)
            and len(following.block.text) <= MAX_TITLE_TAIL
            and _is_title(item.block.text + following.block.text))
        # Right over a title line, with no blank line between, it is that title's first line
        # (``一起建设我们的`` / ``美丽乡村``); so it is over a short tail a blank row apart
        # (``关于公布…名录的`` / ``公示``: pdftotext -layout sets a large title's rows apart).
        out.append(item if wraps else _Item("body", item.block))
        index += 1
    return out


def _is_title(text: str) -> bool:
    if not text or ends_sentence(text) or text[-1] in CLAUSE_MARKS:
        return False
    if text[0] in NO_TITLE_OPENERS and not text.startswith(("的确", "的士")):
        return False  # a line opening with a particle goes on from the line before (``的高性能…``)
    if text.startswith(INTERVIEW_LABELS):
        return False  # the interviewer's turn (``记者：…``) cut by a column break; a source (``县气象局：``) may head
    if "\N{FULLWIDTH COMMA}" in text and len(text) > MAX_COMMA_TITLE:
        return False  # a long line with a comma is a sentence stranded by a column break
    if text.split("\N{FULLWIDTH COMMA}", 1)[0] in COMMA_OPENERS and "\N{FULLWIDTH COMMA}" in text:
        return False  # ``下一步，县里将…``: a sentence's opening, stranded by a column break
    if _DATELINE.match(text) or _LABEL.match(text) or _READ_DATE_LINE.match(text) or _SIGNOFF.match(text):
        return False  # a dateline opens body text; a label's value and a date are not titles
    if _opens_with_value_label(text):
        return False  # a notice's contact line cut by a column break (``联系人：邹老师，联系电``)
    if not fits_width(text, MAX_TITLE_WIDTH) or is_table_row(text) or is_list_item(text):
        return False
    if _closes_unopened(text):
        return False  # a title closes only what it opened (《》); a stray closing bracket is OCR's misread mark
    return not any(char in SENTENCE_END or char == "\N{FULLWIDTH SEMICOLON}" for char in text)


_LABEL_HEAD = re.compile("^([" + han_class() + r"]{2,8})[：:]")


def _opens_with_value_label(text: str) -> bool:
    """Whether a line opens with a notice's label and its colon (``联系人：``, ``报名地点：``).

    >>> _opens_with_value_label("联系人：邹老师，联系电"), _opens_with_value_label("县气象局：今冬偏暖")
    (True, False)
    """
    match = _LABEL_HEAD.match(text)
    return match is not None and is_value_label(match.group(1))


def _closes_unopened(text: str) -> bool:
    """Whether ``text`` closes a bracket it did not open (an opened one may close on the next line).

    >>> _closes_unopened("《打金枝》重登古戏台"), _closes_unopened("居民朋友们]"), _closes_unopened("（通讯员 崔 浩")
    (False, True, False)
    """
    depth = 0
    for char in text:
        category = unicodedata.category(char)
        depth += (category == "Ps") - (category == "Pe")
        if depth < 0:
            return True
    return False


@dataclass(slots=True)
class _Draft:
    """An article being assembled while build_page walks the blocks (local to one call)."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    dateline: str | None = None
    byline: Byline | None = None
    titles: tuple[str | None, str | None, str | None] | None = None
    titled_by_editor: bool = False
    byline_at: str | None = None
    first_line: int = 0
    title_gap: int | None = None  # where the titles attach_titles gave it were printed (a _Gap's position)

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
    """Assemble blocks into a Page: articles with titles, lead-ins and bylines; captions; page headlines.

    >>> page = build_page([Block("秋粮丰收", (1,)), Block("本报讯 正文。", (3,))], "-", ())
    >>> page.articles[0].headline, page.articles[0].dateline, page.articles[0].paragraphs[0].text
    ('秋粮丰收', '本报讯', '正文。')
    """
    blocks = list(blocks)
    if sidecar is not None:
        blocks = _apply_splits(blocks, sidecar)
        blocks = _apply_merges(blocks, sidecar)
    doubled = frozenset(r.line for r in repairs if r.kind == "undoubled-caption")
    spaced = spaced_lines(repairs)
    items, context_repairs = read_blocks(blocks, doubled, spaced)
    all_repairs = list(repairs) + context_repairs

    drafts: list[_Draft] = []
    gaps: list[_Gap] = []
    captions: list[Caption] = []
    titles: list[Block] = []
    sections: list[tuple[Block, int]] = []
    doubts: list[Doubt] = []
    current: _Draft | None = None
    measure = title_measure([line for item in items if item.kind == "title" for line in _block_lines(item.block)])
    body_pairs = {pair for item in items if item.kind == "body" for pair in _pairs(item.block.text)}
    # Stacks whose lines have a wrap's shape, apart or already joined by reflow or ``_join_wrapped_titles``.
    stack_lines = [_block_lines(item.block) if item.kind == "title" else [] for item in items]
    title_lines = [line for lines in stack_lines for line in lines or [""]]  # "" parts the stacks
    wrapped_shapes = sum(fills(first, second, measure) for first, second
                         in zip(title_lines, title_lines[1:], strict=False) if first and second)
    blank_parts = _blank_parts_titles([item.block for item in items if item.kind == "title"], measure)

    def close() -> None:
        nonlocal current
        if current is not None and (current.paragraphs or current.byline or current.dateline):
            drafts.append(current)
        current = None

    def flush_titles() -> None:
        if titles:
            position = len(drafts)
            titles[:] = _join_measured_wraps(titles, measure, body_pairs, spaced, doubts, wrapped_shapes >= 2,
                                             blank_parts)
            series = _title_series(titles, spaced)
            stack = _join_long_stack(titles, spaced)
            groups = series or (_split_after_dashes(stack) if len(stack) <= 3 else _title_groups(titles, spaced))
            gaps.append(_Gap(position, tuple(groups), bool(series)))
            titles.clear()

    def set_byline(byline: Byline, at: str) -> None:
        assert current is not None
        byline, dropped = _drop_particles(byline)
        if dropped:
            all_repairs.append(Repair("ocr-insertion-dropped", block.first_line,
                                      f"{dropped} out of {' '.join(byline.names)}", dropped))
        if current.byline is not None:
            byline = _merge_bylines(current.byline, byline)
        current.byline = byline
        current.byline_at = current.byline_at or at

    for item in items:
        kind, block = item.kind, item.block
        if kind == "noise":
            # OCR's reading of a picture or a rule: dropped, and said; it still parts its neighbours.
            all_repairs.append(_noise_dropped(block))
            continue
        if kind == "caption":
            captions.append(Caption(block.text, None, block.lines))
            continue
        if kind == "page_headline":
            flush_titles()
            close()
            sections.append((block, len(drafts)))
            continue
        if kind == "title":
            if current is not None and current.paragraphs:
                close()
            titles.append(block)
            if item.doubt is not None:
                doubts.append(Doubt(block.first_line, item.doubt,
                                    "articles: [{line: N, kicker: …, headline: …}] (N a line of its text) "
                                    "sets the two titles"))
            continue
        had_titles = bool(titles)
        flush_titles()
        if kind == "debris":
            doubts.append(Doubt(block.first_line, f"stray characters {block.text!r}: OCR debris?",
                                f"merge: [{block.first_line}] joins them to the paragraph before"))
        if kind == "byline":
            byline = parse_byline(block.text, standalone=True) or parse_byline(block.text)  # or a bare name
            assert byline is not None
            misread = _misread_decoration(block.text.strip())
            if misread:
                dropped = "".join(char for char in block.text.strip()[:misread] if is_counted(char))
                all_repairs.append(Repair("ocr-decoration-dropped", block.first_line,
                                          f"{block.text.strip()[:8]} → □", dropped))
            if current is not None and current.paragraphs and not had_titles:
                set_byline(byline, "end")
                close()
            else:
                close()
                current = _Draft(first_line=block.first_line)
                set_byline(byline, "start")
            continue
        text = block.text
        dateline, early_byline, text = split_dateline(text)
        if dateline is None and (current is None or not current.paragraphs):
            early_byline, text = split_byline_head(text)
        if dateline is not None and current is not None and current.paragraphs:
            close()
        if current is None:
            current = _Draft(first_line=block.first_line)
        if dateline is not None:
            current.dateline = dateline
        if early_byline is not None:
            set_byline(early_byline, "start")
        text, late_byline = split_byline_tail(text)
        if late_byline is None:
            text, late_byline = _split_byline_line(text, block)
        if text:
            signoff = _SIGNOFF_PARAGRAPH.match(text) is not None
            current.paragraphs.append(Paragraph(_date_apart(text) if signoff else text, None, block.lines, signoff))
        if late_byline is not None:
            set_byline(late_byline, "end")
            close()
    close()
    flush_titles()

    gaps = _return_issuers(drafts, gaps)
    gaps, sections = _merge_column_tops(drafts, gaps, sections,
                                        any(repair.kind.startswith("rethreaded") for repair in repairs))
    if sidecar is not None:
        gaps = _apply_title_fixes(drafts, gaps, sidecar)
    leftovers = attach_titles(drafts, gaps, spaced)
    doubts.extend(_place_leftovers(drafts, gaps, leftovers))
    sections = _join_titles_printed_late(drafts, sections)
    sections = _fold_empty_drafts(drafts, sections, doubts)
    sections = _fold_untitled_drafts(drafts, sections, doubts,
                                     any(repair.kind.startswith("rethreaded") for repair in all_repairs))
    articles = [_finish(draft, spaced) for draft in drafts]
    headlines = []
    for number, (block, start) in enumerate(sections):
        end = sections[number + 1][1] if number + 1 < len(sections) else len(drafts)
        headlines.append(PageHeadline(block.text, tuple(range(start, end)), block.lines))
        if start == end:
            doubts.append(Doubt(block.first_line, f"page headline {block.text!r} heads no article",
                                f"split: [{block.first_line}] or an article's headline in articles:"))
    doubts.extend(_doubt_titles(articles, drafts))
    settled = {fix.line for fix in sidecar.splits} if sidecar is not None else set()
    for repair in repairs:
        if repair.kind == "rethreaded-by-place" and repair.line not in settled:
            doubts.append(Doubt(repair.line, f"columns read in bands: joined by the lines' widths and places alone: "
                                f"{repair.detail}", f"split: [{repair.line}] parts them again"))
    for repair in all_repairs:
        if repair.kind == "ocr-noise-dropped":
            doubts.append(Doubt(repair.line, f"{repair.detail!r} dropped: OCR's reading of a picture or a rule?",
                                f"merge: [{repair.line}] keeps it, joined to the paragraph before"))
    for caption in captions:
        if not is_caption_line(caption.text) and not set(caption.lines) & doubled and not _SCENE.search(caption.text):
            line = caption.lines[0] if caption.lines else 0
            doubts.append(Doubt(line, f"{caption.text!r} is taken for a caption by its place in the text",
                                f"articles: [{{line: N, headline: {caption.text}}}] if it heads the article at N"))
    page = Page(source, tuple(articles), tuple(captions), tuple(all_repairs), tuple(headlines),
                tuple(sorted(doubts, key=lambda d: d.line)))
    if sidecar is not None:
        page = _apply_lead_fixes(page, sidecar)
        page = _apply_images(page, sidecar)
    return page


@dataclass(frozen=True, slots=True)
class _Item:
    """A block and what it is: ``title``, ``page_headline``, ``byline``, ``caption`` or ``body``."""

    kind: str
    block: Block
    doubt: str | None = None  # what the structure stage is unsure of about this block


def read_blocks(blocks: list[Block], doubled: frozenset[int], spaced: frozenset[int]
                ) -> tuple[list[_Item], list[Repair]]:
    """Say what every block is, looking at its neighbours; join what reflow left apart.

    ``classify_block`` looks at one block; then, in order: the lines of one wrapped
    title are joined (``_join_wrapped_titles``), OCR debris of one or two characters is
    given to the text beside it (``_settle_debris``), a notice's issuer and date become a
    sign-off paragraph (``_find_signoffs``), a title-like line standing inside body text is
    a caption (``_find_captions``), and a section's name over its briefs is a page headline
    (``_find_sections``).  Each pass looks at a bounded neighbourhood: linear time.

    >>> items, _ = read_blocks([Block("乡镇简讯", (1,)), Block("石门村通上天然气", (3,)),
    ...                         Block("本报讯 近日，石门村通上了天然气。", (5,))], frozenset(), frozenset())
    >>> [item.kind for item in items]
    ['page_headline', 'title', 'body']
    """
    repairs: list[Repair] = []
    items = [_Item("noise" if _is_ocr_noise(block.text) else classify_block(block, doubled), block)
             for block in _split_bare_names(blocks)]
    items = _find_picture_readings(items)
    items = _drop_noise_in_titles(items, repairs)
    items = _find_exclaimed_titles(items)
    items = _find_cut_turns(items)
    items = _move_turns_out_of_stacks(items)
    items = _move_commentator_lines(items)
    items = _find_bare_bylines(items)
    items = _join_cut_roles(items, repairs)
    items = _find_clause_fragments(items)
    items = _restore_dashes(items, repairs)
    body_pairs = {pair for item in items if item.kind == "body" for pair in _pairs(item.block.text)}
    items = [_Item(item.kind, item.block, _doubt_equal_halves(item.block, spaced, body_pairs))
             if item.kind == "title" else item for item in items]
    items = _rejoin_open_titles(items, repairs)
    items = _rethread_titles(items, repairs)
    items = _join_titles_cut_at_marks(items)
    items = _join_titles_cut_after_function_words(items)
    items = _join_wrapped_titles(items, spaced, body_pairs)
    items = _join_dangling_lines(items, repairs)
    items = _settle_debris(items, repairs)
    items = _join_label_values(items, repairs)
    items = _find_signoffs(items)
    items = _rejoin_stranded(items, repairs)
    items = _split_glued_captions(items)
    items = _rejoin_around_title_like_captions(items, repairs)
    items = _find_captions(items, repairs)
    items = _reopen_caption_credits(items, repairs)
    items = _rethread(items, repairs)
    items = _reunite_split_bylines(items, repairs)
    items = _find_sections(items)
    return items, repairs


MAX_NOISE = 6
"""Most counted characters a block OCR read from a picture or a rule may hold (``ET了Uo``, ``66   >所``)."""

MAX_NOISE_LENGTH = 40
"""Longest such block, spaces and marks included."""

NOISE_MARKS = "<>*|\\"
"""ASCII marks no Chinese news text prints, that OCR reads in the strokes of a picture."""

_NOISE_SYMBOL = re.compile("[" + re.escape(NOISE_MARKS) + r"]|\?(?=\w)|(?<![0-9])/|/(?![0-9])|\[(?![^\]]*\])")
"""An ASCII mark that text never holds: ``<>*|\\``, a ``?`` that does not end the line, a ``/``
not between figures (``3/4``), a ``[`` never closed (OCR's ``【…】`` keeps both)."""


_ACRONYM = re.compile("[" + han_class() + "][A-Z]{2,}|[A-Z]{2,}[" + han_class() + "]")
"""Capitals set with Han characters (``村BA燃``, ``CBA联赛``): a word of the text, not OCR's noise (unless
small letters are mixed in: ``ET了Uo``)."""


def _is_ocr_noise(text: str) -> bool:
    """Whether a block is OCR's reading of a picture or a rule: a few characters, with ASCII marks
    no text prints or Latin letters that spell nothing among at most three Han characters.

    >>> [_is_ocr_noise(t) for t in ("ET了Uo", "66   >所", "[上清 O", "房*放，放，阅。", "Ex   WA")]
    [True, True, True, True, True]
    >>> [_is_ocr_noise(t) for t in ("村BA燃", "（ip者 孟哲）", "[要闻]", "为什么?", "3/4", "4.7%")]
    [False, False, False, False, False, False]
    >>> [_is_ocr_noise(t) for t in ("文/图 孔 丽", "互联网+", "CBA联赛")]
    [False, False, False]
    """
    if len(text) > MAX_NOISE_LENGTH:
        return False  # the cheap test first: this runs for every block
    counted = [char for char in text if is_counted(char)]
    if not counted or len(counted) > MAX_NOISE or any(mark in text for mark in "（()）〈〉"):
        return False  # a credit OCR misread (``（ip者”孟哲）``) keeps its brackets
    if _NOISE_SYMBOL.search(text.strip()):
        return parse_byline(text, standalone=True) is None
    return _is_ocr_garbage(text) and not (_ACRONYM.search(text) and not any(map(str.islower, text)))


def _find_picture_readings(items: list[_Item]) -> list[_Item]:
    """Lines OCR read from one picture: a run of short lines, one after another in the input
    (``听`` / ``口品``; ``去扩2`` / ``示人    O``), at least two, each of at most ``MAX_DEBRIS + 1``
    counted characters without a mark (or noise), holding no word of the dictionary.  They are noise.

    A wrapped title's short lines read as words (``乡镇`` / ``简讯``), a list of names one a line
    starts each with a surname, and one short line alone is left to ``_settle_debris`` (a wrapped
    title's or a byline's tail).

    >>> kinds = lambda *texts: [item.kind for item in _find_picture_readings(
    ...     [_Item("noise" if _is_ocr_noise(t) else "title", Block(t, (n,))) for n, t in enumerate(texts)])]
    >>> kinds("听", "口品"), kinds("乡镇", "简讯"), kinds("去扩2", "ET了Uo"), kinds("户樟湾")
    (['noise', 'noise'], ['title', 'title'], ['noise', 'noise'], ['title'])
    >>> kinds("刘洋", "陈 静")  # names, one a line: never noise
    ['title', 'title']
    """
    out = list(items)
    index = 0
    while index < len(out):
        end = index
        while end < len(out) and _picture_line(out[end]) and (
                end == index or out[end].block.lines[0] == out[end - 1].block.lines[-1] + 1):
            end += 1  # the next line of the input, no blank line between
        run = out[index:end]
        short = [item for item in run if item.kind != "noise"]
        joined = "".join(char for item in short for char in item.block.text if is_counted(char))
        names = all(_name_shaped("".join(item.block.text.split())) for item in short)  # ``王芳`` / ``刘洋``
        if len(run) >= 2 and short and not names and not any(len(word) >= 2 and all(map(is_wide_letter, word))
                                                             for word in dictionary_words(joined)):
            out[index:end] = [_Item("noise", item.block) for item in run]
        index = max(end, index + 1)
    return out


def _picture_line(item: _Item) -> bool:
    """A block of one line that may be part of OCR's reading of a picture (see ``_find_picture_readings``)."""
    if len(item.block.lines) != 1:
        return False
    if item.kind == "noise":
        return True
    text = item.block.text.strip()
    counted = sum(map(is_counted, text))
    return item.kind in ("title", "body") and 0 < counted <= MAX_DEBRIS + 1 \
        and all(is_counted(char) or char.isspace() for char in text)


def _noise_dropped(block: Block) -> Repair:
    # Counted as the invariant counts the input, NFKC-folded (``¼`` is ``1`` and ``4``).
    removed = "".join(char for char in unicodedata.normalize("NFKC", block.text) if is_counted(char))
    return Repair("ocr-noise-dropped", block.first_line, block.text.strip(), removed)


def _drop_noise_in_titles(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """Drop OCR's noise read under a title, so the title's wrapped tail after it still joins it.

    Elsewhere noise stays an item until ``build_page`` drops it: it parts body text from a
    title as the picture it was read from did, so a headline after a cut sentence is no caption.
    """
    out: list[_Item] = []
    for item in items:
        if item.kind == "noise" and out and out[-1].kind == "title":
            repairs.append(_noise_dropped(item.block))
            continue
        out.append(item)
    return out


_OCR_DASH = re.compile("^(\\s*)(\N{CJK UNIFIED IDEOGRAPH-4E00}{2})"
                       "(?=[" + han_class() + "])(?!\N{CJK UNIFIED IDEOGRAPH-4E00})")
"""A subheadline's opening ``——`` as OCR reads it: two Han ``一`` (``一一金塘村乡亲们…``), a third not following."""


def _restore_dashes(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """Give back the dash OCR read as ``一一`` where a title under a title opens with it (a subheadline's
    ``——记…``): the two characters are not the text's, and the repair says they were dropped.  A
    subheadline opening with the word ``一一`` (``一一对应…``) is far rarer than one opening with the dash,
    and jieba's dictionary cannot tell them apart (it holds ``一一记``), so it is read as the dash too;
    the repair names the line.

    >>> repairs = []
    >>> items = _restore_dashes([_Item("title", Block("欢乐村晚", (1,))),
    ...                          _Item("title", Block("一一金塘村乡亲们自编自演闹新春", (3,)))], repairs)
    >>> items[1].block.text, [(r.kind, r.line, r.removed) for r in repairs]
    ('——金塘村乡亲们自编自演闹新春', [('ocr-dash-restored', 3, '一一')])
    """
    out: list[_Item] = []
    for item in items:
        match = _OCR_DASH.match(item.block.text) if item.kind == "title" and out and out[-1].kind == "title" else None
        if match is not None:
            text = match.group(1) + "\N{EM DASH}" * 2 + item.block.text[match.end():]
            repairs.append(Repair("ocr-dash-restored", item.block.first_line,
                                  f"{item.block.text.strip()[:8]} → ——", match.group(2)))
            item = _Item(item.kind, replace(item.block, text=text), item.doubt)
        out.append(item)
    return out


_BARE_NAME = re.compile("^[" + SURNAMES + "][ \N{IDEOGRAPHIC SPACE}]+[" + han_class() + "]$")
"""A two-character name padded to three cells (``江 岸``): a commentary's byline, printed bare."""


def _split_bare_names(blocks: list[Block]) -> list[Block]:
    """Take a bare padded name off the foot of a title block that reflow ran it on to."""
    out: list[Block] = []
    for block in blocks:
        last = block.starts[-1] if len(block.starts) > 1 and len(block.starts) == len(block.lines) else 0
        if last and _BARE_NAME.match(block.text[last:].strip()) and _is_title(block.text[:last]):
            out.extend((_part(block, 0, last), _part(block, last, len(block.text))))
        else:
            out.append(block)
    return out


def _find_bare_bylines(items: list[_Item]) -> list[_Item]:
    """A bare name between a title and the text is the article's byline, not a subheadline.

    Padded (``江 岸``), or, as OCR and pdftotext read it, two characters opening with a common
    surname (``江岸``) that do not go on with the title's last word (a wrapped title's tail does:
    ``…百`` / ``分点``).
    """
    out = list(items)
    for index, item in enumerate(items):
        if item.kind != "title" or not 0 < index < len(items) - 1 or items[index - 1].kind != "title" \
                or items[index + 1].kind != "body":
            continue
        text, title = item.block.text.strip(), items[index - 1].block.text.strip()
        if len(title) <= MAX_DEBRIS + 1 and index >= 2 and items[index - 2].kind == "title" \
                and _adjacent(items[index - 2].block, items[index - 1].block):
            title = items[index - 2].block.text.strip() + title  # a wrapped title's short tail: the whole title
        if _BARE_NAME.match(text) or (len(text) == 2 and _HAN.match(text) and text[0] in SURNAMES
                                      and len(title) >= MIN_WRAPPED_LINE and _is_title(title)
                                      and text not in items[index + 1].block.text
                                      and len(title) in word_boundaries(title + text)):
            out[index] = _Item("byline", item.block)
    return out


def _join_cut_roles(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """Join a byline that its column cut inside a role (``… 通讯员 雷 鸣 实习`` / ``生孙悦``) to the
    line that ends the role and holds the last name: OCR and pdftotext give the two lines apart."""
    out: list[_Item] = []
    skip = False
    for index, item in enumerate(items):
        if skip:
            skip = False
            continue
        following = items[index + 1] if index + 1 < len(items) else None
        if item.kind == "byline" and following is not None and following.kind in ("title", "body", "debris") \
                and _line_after(item.block, following.block):
            text, rest = item.block.text.rstrip(), following.block.text.replace(" ", "")
            # The role's first characters end the byline, its others open the line under it.
            cut = next((at for role in ROLES for at in range(1, len(role))
                        if text.endswith(role[:at]) and rest.startswith(role[at:])
                        and 1 <= len(rest) - len(role[at:]) <= MAX_NAME and _HAN.match(rest[len(role[at:]):])),
                       None)
            if cut is not None:
                out.append(_Item("byline", _join_blocks(item.block, following.block)))
                repairs.append(Repair("joined-debris", following.block.first_line,
                                      f"{item.block.text[-6:]} | {following.block.text.strip()}"))
                skip = True
                continue
        out.append(item)
    return out


REPORTING_VERBS = ("说", "表示", "介绍", "指出", "认为", "坦言", "强调", "告诉记者", "感慨", "回忆")
"""Verbs that put someone's words after a colon (``李长顺说：“…”``); no paragraph opens with one."""

CLAUSE_FRAGMENT_EVIDENCE = 2
"""How many signs (``_fragment_signs``) make a title-like line with a clause mark a stranded piece of body text."""

FRAGMENT_REACH = 2
"""How many blocks on ``_find_clause_fragments`` looks for the one a cut line goes on in."""

MIN_CLAUSE_PHRASE = 3
"""Shortest phrase a title parts with a comma (``撸起袖子加油干，奋力谱写新篇章``); a shorter one is a clause's end."""


def _fragment_signs(text: str, after: str | None, column: float | None) -> int:
    """Count what says a title-like line with ``，``/``、`` in it is a column's line of body text.

    The line is as wide as the body's column; the break after it cuts a word that the next
    block finishes (``…既要抓`` / ``大项目``); or a comma parts off a phrase too short to be
    half a title (``清代，前年经过修缮后重``).

    >>> _fragment_signs("办好民生实事，既要抓", "大项目，也要解决", None)
    1
    >>> _fragment_signs("昨夜，河边的柳", "树发芽了", None)
    2
    >>> _fragment_signs("撸起袖子加油干，奋力谱写新篇章", None, None)
    0
    """
    signs = 0
    if column is not None and abs(visual_width(text) - column) <= MEASURE_SLACK:
        signs += 1
    if after and len(text) not in word_boundaries(text + after[:6]):
        signs += 1
    phrases = re.split("[，、]", text)
    if min(len(phrases[0]), len(phrases[-1])) < MIN_CLAUSE_PHRASE:
        signs += 1
    return signs


def _find_clause_fragments(items: list[_Item]) -> list[_Item]:
    """A title-like line with a clause mark inside is body text when ``_fragment_signs`` adds up.

    No title in print is cut by a column's edge; a line pdftotext or OCR read out of a
    column's middle is, and it takes its commas with it (``锣鼓一响，台下的观众``).
    """
    column = body_measure(items)
    out: list[_Item] = []
    for index, item in enumerate(items):
        text = item.block.text
        if item.kind == "title" and any(mark in text for mark in "，、"):
            # pdftotext may set a line of the next column between the line and the one it goes on in,
            # and a picture's captions may stand inside the paragraph: the sentence goes on under them.
            afters: list[str | None] = [other.block.text for other in _next_texts(items, index)] or [None]
            if max(_fragment_signs(text, after, column) for after in afters) >= CLAUSE_FRAGMENT_EVIDENCE:
                out.append(_Item("body", item.block))
                continue
        out.append(item)
    return out


def _next_texts(items: list[_Item], index: int) -> list[_Item]:
    """The body or title blocks among the ``FRAGMENT_REACH`` after ``index``, and the first one past
    the captions right after it (blocks that read as captions, ``_reads_as_caption``), within
    ``RETHREAD_REACH`` blocks."""
    near = [other for other in items[index + 1:index + 1 + FRAGMENT_REACH] if other.kind in ("body", "title")]
    later = index + 1
    while later < min(len(items), index + 1 + RETHREAD_REACH) and items[later].kind in ("body", "title", "caption") \
            and _reads_as_caption(items[later].block.text):
        later += 1
    if index + 1 < later < len(items) and later > index + FRAGMENT_REACH and items[later].kind in ("body", "title"):
        near.append(items[later])
    return near


def _turn_counts(items: list[_Item]) -> Counter[str]:
    """How many body blocks each speaker's turns open (``郝建军：…``)."""
    return Counter(speaker for item in items if item.kind == "body"
                   for speaker in [turn_speaker(item.block.text.strip())] if speaker)


def _find_cut_turns(items: list[_Item]) -> list[_Item]:
    """A title-like line opening with the label of a speaker whose turns the page prints twice or
    more (``郝建军：冬季是…``) is that speaker's turn, cut by a column break: body text.

    A source naming itself before a headline (``县气象局：本周将有寒潮``) opens no paragraphs.
    """
    speakers = _turn_counts(items)
    out = list(items)
    for index, item in enumerate(items):
        speaker = turn_speaker(item.block.text.strip()) if item.kind == "title" else None
        if speaker is not None and speakers[speaker] >= MIN_TURNS:
            out[index] = _Item("body", item.block)
    return out


MIN_TURNS = 2


def _move_commentator_lines(items: list[_Item]) -> list[_Item]:
    """A commentary's signature (``本报评论员``) read over body text, with the titles after that text,
    goes to those titles: it heads their stack, and the text before them is the commentary's
    opening that pdftotext read ahead of its headline (a signature is never a headline).
    """
    for index, item in enumerate(items[:-2]):
        if item.kind == "title" and _COMMENTATOR.match(item.block.text.strip()) and items[index + 1].kind == "body":
            later = next((at for at in range(index + 2, min(len(items), index + 2 + FRAGMENT_REACH))
                          if items[at].kind == "title"), None)
            if later is not None and all(items[at].kind == "body" for at in range(index + 1, later)):
                return [*items[:index], *items[index + 1:later], item, *items[later:]]  # one signature a page
    return items


def _move_turns_out_of_stacks(items: list[_Item]) -> list[_Item]:
    """An interview's turn read between two titles (``新春走基层`` / ``记者：学校现在有多少学生？`` /
    ``山村教师的坚守``) belongs to the story under them: no turn stands between a kicker and its
    headline, but pdftotext reading the columns in bands sets one there.  It goes after the stack
    and the byline under it.

    The turn's speaker takes two or more turns on the page (or it is the interviewer's, ``记者：``),
    the title over it stands alone (no text before it on the page or a sentence's end) and a
    title follows it.
    """
    speakers = _turn_counts(items)
    out = list(items)
    index = 0
    while index + 2 < len(out):
        title, turn, after = out[index], out[index + 1], out[index + 2]
        speaker = turn_speaker(turn.block.text.strip()) if turn.kind == "body" else None
        before = out[index - 1] if index else None
        if title.kind == "title" and after.kind == "title" and speaker is not None \
                and (speakers[speaker] >= MIN_TURNS or turn.block.text.lstrip().startswith(INTERVIEW_LABELS)) \
                and (before is None or before.kind != "body" or ends_sentence(before.block.text)):
            end = index + 2
            while end < len(out) and out[end].kind in ("title", "byline"):
                end += 1
            out.insert(end, out.pop(index + 1))
        index += 1
    return out
"""Turns a speaker must open on the page for a title-like line with the speaker's label to be a turn."""

MAX_EXCLAIMED_TITLE = 16
"""Longest title, in characters, that ends in ``！`` or ``？`` (``冬季用电用气安全，这几点要记牢！``)."""

_EXCLAIMED = re.compile(r"^[^。！？；：:]{4,}[！？!?][”’」』]?$")


def _find_exclaimed_titles(items: list[_Item]) -> list[_Item]:
    """A short line ending in ``！`` or ``？`` is a title where a title stands: under a title (or the
    page's top) and over text, or over a title or byline after an article's end.

    Only one sentence, no colon (``问：…？`` is an interview's turn), at most
    ``MAX_EXCLAIMED_TITLE`` characters: an article's closing call (``…共同建设美丽县城！``)
    follows its body and is longer.
    """
    out = list(items)
    for index, item in enumerate(items):
        text = item.block.text.strip()
        if item.kind != "body" or len(text) > MAX_EXCLAIMED_TITLE or not _EXCLAIMED.match(text) \
                or len(item.block.lines) > 2 or _DATELINE.match(text) or _opens_block(text):
            continue
        previous = out[index - 1] if index else None
        following = items[index + 1] if index + 1 < len(items) else None
        if following is None or following.kind not in ("title", "byline", "body"):
            continue
        under_title = previous is None or previous.kind in ("title", "page_headline")
        after_article = previous is not None and (previous.kind == "byline" or (
            previous.kind == "body" and split_byline_tail(previous.block.text)[1] is not None))
        if under_title or (after_article and following.kind in ("title", "byline")):
            out[index] = _Item("title", item.block)
    return out


MAX_TITLE_TAIL = 8
"""Longest rest of a title, in characters, that closes a quote its first line opened."""

_QUOTE_PAIRS = (("\N{LEFT DOUBLE QUOTATION MARK}", "\N{RIGHT DOUBLE QUOTATION MARK}"),
                ("\N{LEFT SINGLE QUOTATION MARK}", "\N{RIGHT SINGLE QUOTATION MARK}"),
                ("\N{LEFT DOUBLE ANGLE BRACKET}", "\N{RIGHT DOUBLE ANGLE BRACKET}"))


def _open_quote(text: str) -> str | None:
    """The closing mark of the quote (or book title) ``text`` opens and does not close, if any."""
    for opening, closing in _QUOTE_PAIRS:
        if text.count(opening) > text.count(closing):
            return closing
    return None


def _rejoin_open_titles(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """A title line that opens a quote (``守住生命的“第一道``) goes on in the short block, a few
    ahead, that closes it and opens none (``关口”``): columns read in bands put lines between.
    Title lines between them are the title's middle and join it in their order."""
    out = list(items)
    index = 0
    while index < len(out):
        item = out[index]
        closing = _open_quote(item.block.text) if item.kind == "title" else None
        if closing is None:
            index += 1
            continue
        for later in range(index + 1, min(len(out), index + 1 + RETHREAD_REACH)):
            candidate = out[later]
            text = candidate.block.text.strip()
            if candidate.kind in ("page_headline", "byline"):
                break
            opening = next(o for o, c in _QUOTE_PAIRS if c == closing)
            if len(text) <= MAX_TITLE_TAIL and text.count(closing) > text.count(opening) \
                    and not any(mark in text for mark in "。！？，、；") and not is_caption_line(text):
                between = out[index + 1:later]
                if all(b.kind == "title" and _open_quote(b.block.text) is None for b in between):
                    # Title lines between the two are the quote's middle (``“把每一位老人`` /
                    # ``当成自己的父`` / ``母”``): one title, in reading order.
                    joined = item.block
                    for middle in between:
                        joined = _join_blocks(joined, middle.block)
                    del out[index + 1:later + 1]
                    out[index] = _Item("title", _join_blocks(joined, candidate.block))
                    break
                del out[later]
                out[index] = _Item("title", _join_blocks(item.block, candidate.block))
                if later > index + 1:
                    repairs.append(Repair("rethreaded", candidate.block.first_line,
                                          f"{item.block.text[-6:]} | {text[:8]}"))
                break
        index += 1
    return out


_FIGURE_ONLY = re.compile(r"^[0-9０-９][0-9０-９.．]*[%％‰]?$")
"""A figure alone (``4.7%``): no title by itself, the end of a title wrapped before it (``…增长`` / ``4.7%``)."""

FIGURE_VERBS = ("增长", "下降", "增加", "减少", "提高", "提升", "降低", "达", "达到", "突破", "超", "超过", "逾", "占",
                "增", "降", "涨", "跌")
"""Verbs of amount a title ends in before its figure (``…产量增长`` / ``4.7%``)."""

_VERB_AND_FIGURE = re.compile("^(?:" + "|".join(sorted(FIGURE_VERBS, key=len, reverse=True))
                              + r")[0-9０-９][0-9０-９.．]*[%％‰]?$")
"""A verb of amount and its figure alone (``达100%``): the end of a title whose subject was wrapped
before it (``全县小学课后服务覆盖率`` / ``达100%``)."""

MIN_TITLE_TAIL = 2
"""Fewest characters of a title's second line read apart from it; one alone is debris (or a byline's start)."""


def _rethread_titles(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """A title line that stops inside a word goes on in the short title-like block, a few ahead,
    that finishes the word (``石桥乡：冬修水利全`` … ``面铺开``), or that is a figure alone (``…增长``
    … ``4.7%``): pdftotext and OCR read the columns in bands, and a headline's second line comes
    after lines of the columns beside it.

    The block is a lone line (no title stands right before or after it) of at most
    ``MAX_TITLE_TAIL`` characters without a sentence or clause mark, and the two together are a
    title.  The join is a recorded repair, as ``_rethread`` records the body's.
    """
    out = list(items)
    index = 0
    while index < len(out):
        item = out[index]
        text = item.block.text.strip()
        if item.kind != "title" or len(item.block.lines) != 1 or not text or not is_wide_letter(text[-1]):
            index += 1
            continue
        for later in range(index + 2, min(len(out), index + 2 + RETHREAD_REACH)):
            candidate = out[later]
            tail = candidate.block.text.strip()
            if candidate.kind in ("page_headline", "byline"):
                break
            before = out[later - 1]
            if before.kind == "body" and _adjacent(before.block, candidate.block) \
                    and _is_title_clause(before.block.text.strip(), tail):
                continue  # the tail of the clause right over it (``——共获金牌三十一枚，`` / ``列全市第二``)
            lone = before.kind != "title" and (later + 1 >= len(out) or out[later + 1].kind != "title")
            cut_word = is_wide_letter(tail[0]) and len(text[-4:]) not in word_boundaries(text[-4:] + tail[:4])
            # A figure alone finishes a title that ends in a verb of amount (``…增长`` / ``4.7%``),
            # wherever pdftotext set it among the titles of the columns beside it.
            figure = bool(_FIGURE_ONLY.match(tail)) and text.endswith(FIGURE_VERBS) \
                or lone and bool(_VERB_AND_FIGURE.match(tail)) and not text.endswith(FIGURE_VERBS) \
                and not any(between.kind == "title" for between in out[index + 1:later])  # the nearest title
            if candidate.kind == "title" and (lone or figure) and MIN_TITLE_TAIL <= len(tail) <= MAX_TITLE_TAIL \
                    and (cut_word or figure) and _is_title(text + tail):
                del out[later]
                out[index] = _Item("title", _join_blocks(item.block, candidate.block))
                repairs.append(Repair("rethreaded", candidate.block.first_line, f"{text[-6:]} | {tail[:8]}"))
                break
        index += 1
    return out


def _doubt_equal_halves(block: Block, spaced: frozenset[int], body_pairs: set[str]) -> str | None:
    """The doubt about a title block reflow made of two lines of one length that no word joins."""
    if len(block.lines) != 2 or len(block.starts) != 2 or set(block.lines) & spaced:
        return None
    return _equal_halves_doubt(block.text[:block.starts[1]], block.text[block.starts[1]:], body_pairs)


def _equal_halves_doubt(a: str, b: str, body_pairs: set[str]) -> str | None:
    """The doubt about two title lines of one length that no word joins: one title or two?"""
    if not len(a) - 1 <= len(b) <= len(a) or len(a) < MIN_LEAD or a[-1] + b[0] in body_pairs \
            or len(a) not in word_boundaries(a + b) or _opens_more(a):
        return None
    return f"{a!r} / {b!r}: one headline wrapped, or a kicker over its headline?"


MAX_SOURCE = 8
"""Longest source, in characters, that names itself before a headline (``县气象局：``)."""

_SOURCE_LINE = re.compile("^[" + han_class() + "]{2," + str(MAX_SOURCE) + "}[：:]$")



def _join_titles_cut_at_marks(items: list[_Item]) -> list[_Item]:
    """A title's first line that a mark ends, right over a title line, is that title wrapped at
    its mark: a source's name and colon (``县气象局：`` / ``本周将有一次寒潮过程``), or a short clause
    and its comma (``——共获金牌三十一枚，`` / ``列全市第二``).

    A salutation (``广大居民朋友们：``) has body text under it, a label (``联系电话：``) its figures,
    an interview's speaker the turn's sentence; none of them has a title.  The line opens a block:
    what stands before it is not a sentence going on.
    """
    out: list[_Item] = []
    for index, item in enumerate(items):
        previous = out[-1] if out else None
        following = items[index + 1] if index + 1 < len(items) else None
        if previous is not None and previous.kind == "body" and item.kind == "title" \
                and (_is_source_line(previous.block.text.strip())
                     or _is_title_clause(previous.block.text.strip(), item.block.text.strip())) \
                and len(previous.block.lines) == 1 \
                and not previous.block.text.startswith(INTERVIEW_LABELS) and _adjacent(previous.block, item.block) \
                and (len(out) < 2 or out[-2].kind != "body" or ends_sentence(out[-2].block.text)) \
                and (following is None or following.kind != "title" or not _adjacent(item.block, following.block)):
            out[-1] = _Item("title", _join_blocks(previous.block, item.block))
            continue
        out.append(item)
    return out


OPEN_WORDS = ("关于", "对于", "有关")
"""Words a title line may end in only when the title goes on in the next line (``…人民政府关于``)."""


def _join_titles_cut_after_function_words(items: list[_Item]) -> list[_Item]:
    """A title line ending in a word that wants its object (``枫林县人民政府关于`` / ``元旦期间燃放…``,
    or a lone ``的``/``为``, ``_ends_dangling``) right over a title line is one title wrapped there,
    not a kicker over its headline; so is an issuing body over ``关于…``."""
    out: list[_Item] = []
    for index, item in enumerate(items):
        previous = out[-1] if out else None
        following = items[index + 1] if index + 1 < len(items) else None
        if previous is not None and previous.kind == "title" and item.kind == "title" \
                and _adjacent(previous.block, item.block) and len(previous.block.lines) <= 2 \
                and (previous.block.text.rstrip().endswith(OPEN_WORDS) or _ends_dangling(previous.block.text)) \
                and _is_title(previous.block.text.rstrip() + item.block.text.strip()):
            out[-1] = _Item("title", _join_blocks(previous.block, item.block))
            continue
        if previous is not None and previous.kind == "title" and item.kind == "title" \
                and len(previous.block.lines) == 1 and _ISSUER.match(previous.block.text.strip()) \
                and item.block.text.lstrip().startswith(OPEN_WORDS) \
                and _is_title(previous.block.text.strip() + item.block.text.strip()) \
                and (_adjacent(previous.block, item.block) or not (
                    _set_together(item.block) or following is not None and following.kind == "title"
                    and _line_after(item.block, following.block))):
            # A notice's title wrapped after its issuer (``枫林县人民政府`` / ``关于元旦期间…的通告``), even
            # with a blank line between: an issuing body is no kicker over ``关于…``.  Unless the
            # converter set the ``关于…`` lines together and the issuer apart: a sign-off it misplaced.
            out[-1] = _Item("title", _join_blocks(previous.block, item.block))
            continue
        out.append(item)
    return out


def _set_together(block: Block) -> bool:
    """Whether a block holds two or more source lines with no blank line between them."""
    return len(block.lines) > 1 and all(b == a + 1 for a, b in zip(block.lines, block.lines[1:], strict=False))


def _is_source_line(text: str) -> bool:
    return bool(_SOURCE_LINE.match(text)) and not is_value_label(text[:-1])


def _is_title_clause(text: str, after: str) -> bool:
    """Whether ``text`` is a title's first clause and comma, and ``after`` the rest of that title."""
    if text[-1:] not in ("\N{FULLWIDTH COMMA}", "\N{IDEOGRAPHIC COMMA}") or not _is_title(text[:-1]) \
            or text.split("\N{FULLWIDTH COMMA}", 1)[0] in COMMA_OPENERS or _DATELINE.match(text):
        return False
    return len(text) + len(after) <= MAX_COMMA_TITLE + 2 and len(text.lstrip("—")) >= MIN_CLAUSE_PHRASE + 1


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _join_blocks(first: Block, second: Block, joiner: str = "") -> Block:
    """One block of two, ``second``'s text after ``first``'s (with ``joiner`` between)."""
    text = first.text + joiner + second.text
    if len(first.starts) == len(first.lines) and len(second.starts) == len(second.lines):
        shift = len(first.text) + len(joiner)
        starts = first.starts + tuple(s + shift for s in second.starts)
        return Block(text, first.lines + second.lines, starts, first.after_blank)
    return Block(text, first.lines + second.lines, (), first.after_blank)


def _adjacent(first: Block, second: Block) -> bool:
    """Whether no blank line stands between two blocks (reflow says so, or the line numbers do)."""
    if second.after_blank is not None:
        return not second.after_blank
    return _line_after(first, second)


def _line_after(first: Block, second: Block) -> bool:
    """Whether ``second`` starts on the source line right after ``first``'s last.  In a
    ``pdftotext -layout`` column (``after_blank`` False across a row the column left empty)
    a skipped line is the gap a blank line is in running text."""
    return bool(first.lines and second.lines) and second.lines[0] == first.lines[-1] + 1


def _join_wrapped_titles(items: list[_Item], spaced: frozenset[int], body_pairs: set[str]) -> list[_Item]:
    """Join the lines of a title wrapped over two lines: they stand on adjacent lines and
    the second is a short tail, or the pair of characters across the break is a word the
    body uses (``…冬季消防`` / ``安全检查`` where the body says ``消防安全``)."""
    out: list[_Item] = []
    joined_next: set[int] = set()
    column = body_measure(items)
    for index, item in enumerate(items):
        previous = out[-1] if out else None
        before = out[-2] if len(out) > 1 else None
        following = items[index + 1] if index + 1 < len(items) else None
        if index in joined_next:
            continue  # the second line of a title joined below
        if following is not None and item.kind == "title" and following.kind in ("title", "body") \
                and _exclaimed_wrap(item.block, following.block, spaced):
            # A headline ending in ``！`` wrapped inside a word: its lines join first.
            out.append(_Item("title", _join_blocks(item.block, following.block)))
            joined_next.add(index + 1)
            continue
        if previous is not None and following is not None and following.kind == item.kind == "title" \
                and _adjacent(item.block, following.block) \
                and _wraps(previous.block, item.block, spaced, body_pairs) == WEAK \
                and _wraps_closer(previous.block, item.block, following.block, spaced, body_pairs):
            out.append(item)  # this line wraps into the next one, not the one above
            continue
        # A caption in the text, then a title; unless the caption fills the body's column and
        # this shorter line right under it is its wrapped tail (``主播在县电商直播基地推介`` / ``农特产品``),
        # the body going on under it with no dateline or story opening.
        captioned = before is not None and before.kind == "body" and previous is not None \
            and bool(_SCENE_AT.match(previous.block.text)) \
            and not (_fills_column(previous.block.text, item.block.text, column) and following is not None
                     and following.kind == "body" and _adjacent(item.block, following.block)
                     and not _DATELINE.match(following.block.text) and not opens_lead(following.block.text))
        wraps = _wraps(previous.block, item.block, spaced, body_pairs) if previous is not None \
            and item.kind == previous.kind == "title" and not captioned \
            and (_adjacent(previous.block, item.block) or _both_spaced(previous.block, item.block, spaced)
                 or _cuts_word_across_blank(previous.block.text, item.block.text)) \
            else NONE
        if previous is not None and wraps:
            a, b = previous.block.text, item.block.text
            # Two halves of one length that the break does not tell apart: a kicker over its
            # headline reads the same.  Taken for one headline; the desk is asked.
            doubt = f"{a!r} / {b!r}: one headline wrapped, or a kicker over its headline?" \
                if wraps == WEAK and len(a) - 1 <= len(b) <= len(a) + 1 and previous.doubt is None else None
            out[-1] = _Item("title", _join_blocks(previous.block, item.block), doubt)
            continue
        if previous is not None and item.kind == "caption" and previous.kind in ("title", "caption") \
                and item.block.text.strip(" （(〈《[【)）〉》]】") in CREDIT_ALONE \
                and not ends_sentence(previous.block.text):
            # A picture's credit alone (``摄）``, ``（资料图片）``), even across a blank line, ends the
            # caption above it.
            out[-1] = _Item("caption", _join_blocks(previous.block, item.block, " "))
            continue
        if previous is not None and item.kind == "caption" and previous.kind in ("title", "caption") \
                and _adjacent(previous.block, item.block) and not has_caption_marks(previous.block.text) \
                and is_caption_line(item.block.text) and len(item.block.text) <= MAX_CAPTION_TAIL \
                and not set(previous.block.lines + item.block.lines) & spaced:
            # A caption wrapped over two lines: its credit (``…摄``) ends the second.
            out[-1] = _Item("caption", _join_blocks(previous.block, item.block))
            continue
        if previous is not None and item.kind == previous.kind == "title" and previous.doubt is None \
                and _adjacent(previous.block, item.block) and not set(previous.block.lines + item.block.lines) & spaced:
            # Two lines of one length kept as two titles: the kicker and its headline, or one headline?
            doubt = _equal_halves_doubt(previous.block.text, item.block.text, body_pairs)
            if doubt is not None:
                out[-1] = _Item(previous.kind, previous.block, doubt)
        out.append(item)
    return out


def _wraps_closer(first: Block, second: Block, third: Block, spaced: frozenset[int], body_pairs: set[str]) -> bool:
    """Whether ``second`` is rather the first line of a title wrapped into ``third`` than the tail of
    ``first``, when ``_wraps`` finds ``first`` / ``second`` only weakly one title.

    The break between ``second`` and ``third`` cuts a word; or those two lines are halves of one
    length while ``second`` is only shorter than ``first`` (``东坡村老屋变成金屋子`` / ``去年接待游客`` /
    ``两万三千人次``: a headline over its subheadline wrapped in halves, the figures in its tail); or
    ``second`` is longer than ``first`` and ``third`` its equal tail (``守护一江碧水`` / ``枫林县全面推行`` /
    ``河湖长制见成效``: a short kicker over a headline wrapped in halves).
    """
    if _wraps(second, third, spaced, body_pairs) == STRONG:
        return True
    if _exclaimed_wrap(second, third, spaced):
        return True
    if _wraps(second, third, spaced, body_pairs) == WEAK and len(first.text) < len(second.text) \
            and len(third.text) <= len(second.text) and _balanced(second.text, third.text):
        return True
    return _is_title(second.text + third.text) and not set(second.lines + third.lines) & spaced \
        and _balanced(second.text, third.text, figures=True) and not _balanced(first.text, second.text)


def _exclaimed_wrap(first: Block, second: Block, spaced: frozenset[int]) -> bool:
    """Whether two adjacent lines are a headline ending in ``！`` or ``？`` wrapped inside a word
    (``枫林代表团金牌`` / ``数创历史新高！``)."""
    # A tail of a character or two may stand a blank row apart (``…这几点要记`` / (blank) / ``牢！``):
    # pdftotext -layout sets blank rows by a large title's height.
    near = _adjacent(first, second) or len(second.text) <= MAX_DEBRIS + 1 and _in_reading_order(first, second)
    return second.text.endswith(("！", "？")) and bool(_EXCLAIMED.match(first.text + second.text)) \
        and len(first.text) + len(second.text) <= MAX_EXCLAIMED_TITLE and near \
        and _cuts_word(first.text, second.text) and not set(first.lines + second.lines) & spaced


def _balanced(a: str, b: str, figures: bool = False) -> bool:
    """Whether two title lines are halves of one length (``信贷“活水”`` / ``浇灌小微企业``), the second
    at most one character longer (a centred title of odd length wraps 7 over 8); unless ``figures``,
    the second states none (a subheadline under a headline of its length does)."""
    return len(a) - 1 <= len(b) <= len(a) + 1 and len(a) + len(b) <= MAX_BALANCED_TITLE \
        and (figures or not _FIGURES.search(b))


def body_measure(items: list[_Item]) -> float | None:
    """The width, in ems, most of the body's lines share (a paragraph's last line aside): its column.

    None when no width is shared by ``MIN_MEASURE_LINES`` lines (reflow kept no line starts, or
    the text came in long lines).

    >>> body_measure([_Item("body", Block("县里今年大力推进乡村振兴，新建高标准农田三万亩。", (1, 2, 3),
    ...                                   (0, 10, 20)))])
    >>> text = "县里今年大力推进乡村振兴新建高标准农田三万亩粮食产量再创新高。"
    >>> body_measure([_Item("body", Block(text, (1, 2, 3, 4), (0, 10, 20, 30)))])
    10.0
    """
    widths: Counter[float] = Counter()
    for item in items:
        if item.kind == "body":
            for line in _block_lines(item.block)[:-1]:
                widths[round(visual_width(line) * 2) / 2] += 1
    if not widths:
        return None
    width, count = widths.most_common(1)[0]
    return width if count >= MIN_MEASURE_LINES else None


MIN_MEASURE_LINES = 3
"""Fewest body lines of one width that show the column's measure."""


def _fills_column(first: str, second: str, column: float | None) -> bool:
    """Whether ``first`` is as wide as the body's column and ``second`` shorter: a line the column wrapped."""
    if column is None:
        return False
    return visual_width(first) >= column - 1 - MEASURE_SLACK and len(second) < len(first) \
        and visual_width(first) <= column + MEASURE_SLACK


def _cuts_word_across_blank(a: str, b: str) -> bool:
    """Whether a blank line parts two title lines that are one title wrapped by the column: the
    break cuts a word (``…文明单位拟命`` / ``名名单的公示``) and the second is the shorter.

    pdftotext ``-layout`` sets blank lines by the rows' heights, so only the words tell.
    """
    return bool(a) and bool(b) and len(b) < len(a) and not any(c in SENTENCE_END | CLAUSE_MARKS for c in a) \
        and not _opens_more(a) and not _opens_more(b) and len(a) + len(b) <= MAX_WRAPPED_TITLE \
        and len(a) not in word_boundaries(a + b[:6])


def _both_spaced(first: Block, second: Block, spaced: frozenset[int]) -> bool:
    """Whether both blocks are letter-spaced: a short main headline wrapped, whatever stands between
    its lines (a blank line, or, on a page read in bands, lines of the next column: ``村 B A 燃`` /
    ``动 乡 村``); ``_wraps`` still weighs their lengths."""
    return all(_is_spaced(block, spaced) or is_letterspaced(block.text) for block in (first, second))


class SpacedLines(frozenset[int]):
    """The source lines whose letter-spacing a repair removed, with the text each line's spaced run became:
    in a ``pdftotext -layout`` row, another column's piece of the same line was not spaced."""

    texts: dict[int, tuple[str, ...]]


def spaced_lines(repairs: Sequence[Repair]) -> SpacedLines:
    """The ``letterspacing-removed`` repairs' lines, with what each spaced run became (``old → new``)."""
    texts: dict[int, tuple[str, ...]] = {}
    for repair in repairs:
        if repair.kind == "letterspacing-removed":
            new = repair.detail.rpartition(" → ")[2]
            texts[repair.line] = (*texts.get(repair.line, ()), new)
    lines = SpacedLines(texts)
    lines.texts = texts
    return lines


def _is_spaced(block: Block, spaced: frozenset[int]) -> bool:
    """Whether a block's own text was letter-spaced (not only another column's piece of its line)."""
    lines = set(block.lines) & spaced
    texts = getattr(spaced, "texts", None)
    if not lines or texts is None:
        return bool(lines)
    return any(new and (new in block.text or block.text in new) for line in lines for new in texts.get(line, ("",)))


_COMMENTATOR = re.compile("^(?:本报|本刊)?(?:特约)?评论员$")
"""A commentary's signature set as its kicker."""

STRONG, WEAK, NONE = 2, 1, 0
"""How sure ``_wraps`` is that two lines are one title: the break cuts a word, or only their lengths say so."""


def _wraps(first: Block, second: Block, spaced: frozenset[int], body_pairs: set[str]) -> int:
    a, b = first.text, second.text
    first_spaced = _is_spaced(first, spaced) or is_letterspaced(a)
    second_spaced = _is_spaced(second, spaced) or is_letterspaced(b)
    if first_spaced and second_spaced and len(b) <= len(a) and len(a) + len(b) <= MAX_BALANCED_TITLE:
        return WEAK  # a letter-spaced headline wrapped over two lines (``2 4 小 时 自 助`` / ``阅 览 室``)
    if first_spaced or second_spaced:
        return NONE
    if b.startswith("\N{EM DASH}") or " " in a or " " in b or _COMMENTATOR.match(a) or _COMMENTATOR.match(b):
        return NONE  # a commentary's signature over its headline (``本报评论员``) is a line of its own
    if len(a) <= MAX_SECTION and a.endswith(SECTION_WORDS) and len(b) > MAX_DEBRIS + 1:
        return NONE  # a section's name (``科技之窗``) is a whole line over the headline under it
    if len(b) <= MAX_DEBRIS + 1 or _opens_more(a):
        return STRONG
    if not _is_title(a + b) or len(a) + len(b) > MAX_CUT_TITLE:
        return NONE
    # The break cuts a word (``…冬季消防`` / ``安全检查`` is ``消防安全``): one title wrapped, long
    # as a notice's may be (``关于做好2027年度城乡居`` / ``民医疗保险集中缴费工作的通知``).
    if len(a) not in word_boundaries(a + b) or (a[-1] + b[0] in body_pairs and len(a) + len(b) <= MAX_WRAPPED_TITLE):
        return STRONG
    if len(a) + len(b) > MAX_WRAPPED_TITLE:
        return NONE
    # A centred title wraps with its second line no longer than its first; a kicker
    # above a headline is usually shorter than it, a subheadline states a figure.  A title
    # already wrapped is measured by its last line (``县首家院士工`` / ``作站落户樟湾`` is not
    # long enough for ``聚焦新材料联合攻关`` to be its tail).
    last = _block_lines(first)[-1] if len(first.lines) > 1 else a
    shorter = len(b) <= WRAP_SHARE * len(last) and len(last) >= MIN_WRAPPED_LINE and not _FIGURES.search(b)
    # A short headline wrapped over two centred lines breaks it in halves (``信贷“活水”`` /
    # ``浇灌小微企业``); a kicker is shorter than its headline, a subheadline longer or with figures.
    return WEAK if shorter or _balanced(last, b) else NONE


MAX_BALANCED_TITLE = 16
"""Longest title, in characters, that two lines of (nearly) equal length make by their lengths alone."""


CREDIT_WORDS = ("摄", "摄影", "供图", "图")
"""What a picture's credit ends in; alone on a line it is the rest of the caption above."""

CREDIT_ALONE = (*CREDIT_WORDS, "资料图片", "资料照片")
"""A picture's credit that may stand alone on a line, in its brackets or not, under its caption."""

MAX_CAPTION_TAIL = 12
"""Longest second line of a wrapped caption that its credit (``…摄``) joins to the line above."""

MIN_WRAPPED_LINE = 8
"""Shortest first line of a wrapped title, in characters, that its length alone shows wrapped."""

WRAP_SHARE = 0.8
"""A second line at most this share of the first, after a full first line, is the title's wrapped tail."""

MAX_WRAPPED_TITLE = 24
"""Longest title, in characters, that two wrapped lines make."""

MAX_CUT_TITLE = 32
"""Longest title, in characters, that two lines make when the break between them cuts a word (a
notice's: ``关于做好2027年度城乡居`` / ``民医疗保险集中缴费工作的通知``)."""


def _opens_more(text: str) -> bool:
    """Whether a line opens more quotes or brackets than it closes: the title goes on below."""
    opened = sum(text.count(mark) for mark in "“‘《（(「『")
    closed = sum(text.count(mark) for mark in "”’》）)」』")
    return opened > closed


def _is_ocr_garbage(text: str) -> bool:
    """Latin letters with a few Han characters and no figures (``N    N人全``): OCR read a rule or a picture.

    >>> _is_ocr_garbage("N    N人全"), _is_ocr_garbage("村BA燃动乡村"), _is_ocr_garbage("4.7%")
    (True, False, False)
    """
    han = sum(map(is_wide_letter, text))
    latin = sum(char.isascii() and char.isalpha() for char in text)
    return han <= MAX_DEBRIS + 1 and latin >= 2 and not any(char.isdigit() for char in text)


def _settle_debris(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """Give a title-like block of one or two characters to the text beside it; never a title."""
    out: list[_Item] = []
    skip: set[int] = set()
    for index, item in enumerate(items):
        if index in skip:
            continue  # joined to the body above with the debris over it
        text = item.block.text.strip()
        if item.kind == "title" and _is_ocr_garbage(text):
            out.append(_Item("debris", item.block))  # OCR's reading of a rule or a picture: never a title
            continue
        if item.kind != "title" or len(text) > MAX_DEBRIS:
            out.append(item)
            continue
        previous = out[-1] if out else None
        before = out[-2] if len(out) > 1 else None
        if _is_lone_noise(previous, item, items[index + 1] if index + 1 < len(items) else None):
            out.append(_Item("noise", item.block))  # OCR's reading of a picture
        elif previous is not None and previous.kind == "title":
            out[-1] = _Item("title", _join_blocks(previous.block, item.block))  # a wrapped title's tail
        elif previous is not None and previous.kind == "byline" and _wraps_byline(previous.block, item.block, before):
            # A byline wrapped by its column: the last name's end stands alone (``… 实习生 王晓`` / ``萌``).
            out[-1] = _Item("byline", _join_blocks(previous.block, item.block))
            repairs.append(Repair("joined-debris", item.block.first_line, f"{previous.block.text[-6:]} | {text}"))
        elif previous is not None and previous.kind == "byline" and before is not None and before.kind == "title" \
                and not _DATELINE.match(before.block.text):
            # OCR read a byline set beside a wrapped title between the title's two lines.
            out[-2] = _Item("title", _join_blocks(before.block, item.block))
            repairs.append(Repair("joined-debris", item.block.first_line, f"{before.block.text[-6:]} | {text}"))
        elif previous is not None and previous.kind == "body" and _cut_mid_sentence(previous.block.text) \
                and not is_table_row(previous.block.text):
            joined = _join_blocks(previous.block, item.block)
            following = items[index + 1] if index + 1 < len(items) else None
            if following is not None and following.kind == "body" and _line_after(item.block, following.block) \
                    and not _opens_block(following.block.text) and not _DATELINE.match(following.block.text):
                # The sentence goes on under the debris (``…对饭菜的`` / (blank) / ``下`` / ``意见。``):
                # OCR read a picture's edge in the middle of it.
                joined = _join_blocks(joined, following.block)
                skip.add(index + 1)
            out[-1] = _Item("body", joined)
            repairs.append(Repair("joined-debris", item.block.first_line, f"{previous.block.text[-6:]} | {text}"))
        else:
            out.append(_Item("debris", item.block))
    return out


def _cuts_word(text: str, after: str) -> bool:
    """Whether a word of the dictionary runs across the end of ``text`` into ``after``."""
    return crosses_word(text.rstrip()[-3:], after.strip()[:3])


def _is_lone_noise(previous: _Item | None, item: _Item, following: _Item | None) -> bool:
    """Whether one character is OCR's reading of a picture: no text goes on into it or out of it.

    It stands over a block that opens afresh (a turn, a dateline, a title), and under a sentence's
    end, or under a title, apart from it by a blank line, that no dictionary word carries on
    into (not a wrapped title's tail: ``…有序推`` / ``进``).
    """
    text = item.block.text.strip()
    if len(text) != 1 or previous is None or following is None or not _closed_to(following):
        return False
    if previous.kind == "title":
        return not _adjacent(previous.block, item.block) and not _cuts_word(previous.block.text, text)
    return previous.kind == "body" and ends_sentence(previous.block.text)


def _closed_to(item: _Item) -> bool:
    """Whether a block opens afresh, so that nothing before it goes on into it."""
    text = item.block.text.strip()
    return item.kind in ("title", "byline", "page_headline") or _opens_block(text) or bool(_DATELINE.match(text))


def _wraps_byline(byline: Block, debris: Block, before: _Item | None) -> bool:
    """Whether one or two characters right under a byline end its last name, not the title above it.

    The byline ends in a name that the debris leaves a name (2-4 characters), and the title
    above, if any, ends where no word of the dictionary goes on into the debris (``…院长赵慧芳`` / ``萌``; not
    ``…大棚里面摘草`` / ``莓``, OCR's title read around a byline set beside it).
    """
    text = byline.text.rstrip()
    if not text or not is_wide_letter(text[-1]) or not _adjacent(byline, debris):
        return False
    joined = parse_byline(text + debris.text.strip(), standalone=True)
    if joined is None or not joined.names or not 2 <= len(joined.names[-1]) <= MAX_NAME:
        return False
    if before is None or before.kind != "title":
        return True
    tail = before.block.text[-1:] + debris.text.strip()
    return len(dictionary_words(tail)) == len(tail)  # no word of the dictionary crosses the break


def _join_label_values(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """A label alone (``联系电话：``) and the figures after it (``0358-6612345``) are one paragraph."""
    out: list[_Item] = []
    for item in items:
        previous = out[-1] if out else None
        if previous is not None and previous.kind == "body" and item.kind in ("body", "title") \
                and _ends_with_label(previous.block.text.strip()) and item.block.text[:1].isdigit() \
                and len(item.block.lines) == 1 and not any(map(is_wide_letter, item.block.text)):
            out[-1] = _Item("body", _join_blocks(previous.block, item.block))
            repairs.append(Repair("joined-label-value", item.block.first_line,
                                  f"{previous.block.text.strip()} | {item.block.text[:8]}"))
            continue
        out.append(item)
    return out


def _ends_with_label(text: str) -> bool:
    """Whether a line ends in a label whose value is to come: alone (``联系电话：``), or after the
    notice's other contacts (``联系人：邹老师，联系电话：``)."""
    if _LABEL_ONLY.match(text):
        return True
    last = re.split("[，、；\\s]", text)[-1]
    return last != text and bool(_LABEL_ONLY.match(last)) and is_value_label(last[:-1])


_SIGNOFF_DATE = re.compile(_READ_DATE + "$")


def _date_apart(text: str) -> str:
    """A sign-off with a space between its issuer and its date, as the layout sets them apart
    (reflow joins a date line to the issuer's line without one).

    >>> _date_apart("云溪县公安局交通警察大队2026年12月1日"), _date_apart("青川县林业局 2026年11月28日")
    ('云溪县公安局交通警察大队 2026年12月1日', '青川县林业局 2026年11月28日')
    """
    found = _SIGNOFF_DATE.search(text)
    if found is None or found.start() == 0 or text[found.start() - 1].isspace():
        return text
    return f"{text[:found.start()]} {text[found.start():]}"


def _find_signoffs(items: list[_Item]) -> list[_Item]:
    """A notice's issuing body and date (``云溪县自来水公司`` / ``2026年12月2日``) are one sign-off paragraph.

    The issuer is the block before the date, or what follows that block's last sentence when
    reflow ran the issuer on from it (at a line start), or a title whose last character a
    column break left as debris after the date (``…委员会办公`` / date / ``室``).
    """
    out: list[_Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        previous = out[-1] if out else None
        following = items[index + 1] if index + 1 < len(items) else None
        if previous is not None and previous.kind in ("title", "body") and _READ_DATE_LINE.match(item.block.text):
            issuer, cut = previous.block, _issuer_start(previous.block)
            if cut is None and following is not None and following.kind == "debris":
                cut = _issuer_start(previous.block, following.block.text)
                if cut is not None:
                    issuer = _join_blocks(issuer, following.block)
                    index += 1
            if cut is not None:
                if cut:
                    out.append(_Item("body", _part(issuer, cut, len(issuer.text))))
                    out[-2] = _Item("body", _part(issuer, 0, cut))
                # Joint issuers sign one above the other (``…文化和旅游局`` / ``…保护中心`` / date).
                joined = 1
                while not cut and joined < MAX_ISSUERS and len(out) > 1 and out[-2].kind in ("title", "body") \
                        and len(out[-2].block.lines) == 1 and _ISSUER.match(out[-2].block.text):
                    issuer = _join_blocks(out.pop(-2).block, issuer, " ")
                    joined += 1
                upper = _issuer_start(out[-2].block) if not cut and len(out) > 1 and out[-2].kind == "body" else None
                if upper and joined < MAX_ISSUERS:  # the first issuer run on from the last sentence
                    head = out[-2].block
                    out[-2] = _Item("body", _part(head, 0, upper))
                    issuer = _join_blocks(_part(head, upper, len(head.text)), issuer, " ")
                out[-1] = _Item("body", _join_blocks(out[-1].block if cut else issuer, item.block, " "))
                index += 1
                continue
        if previous is not None and previous.kind in ("title", "body") and item.kind == "body" \
                and _SIGNOFF_PARAGRAPH.match(item.block.text):
            # An issuer and the date read as one block, under the joint issuer above it.
            upper = 0 if len(previous.block.lines) == 1 and _ISSUER.match(previous.block.text) \
                else _issuer_start(previous.block)
            if upper is not None:
                head = previous.block
                if upper:
                    out[-1] = _Item("body", _part(head, 0, upper))
                    head = _part(head, upper, len(head.text))
                else:
                    out.pop()
                out.append(_Item("body", _join_blocks(head, item.block, " ")))
                index += 1
                continue
        glued = _GLUED_SIGNOFF.search(item.block.text) if item.kind == "body" else None
        if glued is not None and glued.start() + 1 in item.block.starts[1:]:
            # Reflow ran the sign-off on from the last sentence: split it off where its line starts.
            cut = glued.start() + 1
            out.append(_Item("body", _part(item.block, 0, cut)))
            out.append(_Item("body", _part(item.block, cut, len(item.block.text))))
            index += 1
            continue
        out.append(item)
        index += 1
    return out


MAX_ISSUERS = 3
"""Most issuing bodies one sign-off names, each on its own line above the date."""


def _issuer_start(block: Block, rest: str = "") -> int | None:
    """Where an issuing body (ending in ``rest``) starts in a block: at 0 (the whole block), or at a
    line start after a sentence."""
    if _ISSUER.match(block.text + rest):
        return 0
    for start in block.starts[1:]:
        if block.text[start - 1] in "。！？”" and _ISSUER.match(block.text[start:] + rest):
            return start
    return None


def _part(block: Block, begin: int, end: int) -> Block:
    """The part of a block between two of its line starts (``begin`` is one, or 0)."""
    at = block.starts.index(begin) if begin else 0
    upto = block.starts.index(end) if end in block.starts else len(block.starts)
    return Block(block.text[begin:end], block.lines[at:upto],
                 tuple(start - begin for start in block.starts[at:upto]), block.after_blank if not begin else False)


def _rejoin_stranded(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """A paragraph's line stranded by a column break is body text: it goes on in the block after it.

    It stands alone (not in a stack of titles), holds a clause mark or ends inside a word
    that the next block finishes, and the next block is body text that opens no dateline.
    Inside a stack, such a line goes to the paragraph after the titles (``_stranded_in_stack``).
    """
    out: list[_Item] = []
    moved: dict[int, Block] = {}  # body block → a stranded first line it takes back from the titles above
    index = 0
    while index < len(items):
        item = items[index]
        if index in moved:
            line = moved.pop(index)
            repairs.append(Repair("rethreaded", item.block.first_line, f"{line.text[-6:]} | {item.block.text[:8]}"))
            item = _Item("body", _join_blocks(line, item.block))
        previous = out[-1] if out else None
        following = items[index + 1] if index + 1 < len(items) else None
        caption = None
        if following is not None and following.kind == "caption" and index + 2 < len(items):
            caption, following = following, items[index + 2]  # a caption set between the two halves
        if item.kind == "title" and following is not None and following.kind == "body" and not moved \
                and (previous is None or previous.kind != "title" or _first_line_under_titles(item.block.text)) \
                and not _DATELINE.match(following.block.text) \
                and not _SCENE_AT.match(item.block.text) and _continues(item.block.text, following.block.text):
            out.append(_Item("body", _join_blocks(item.block, following.block)))
            repairs.append(Repair("joined-stranded-line", following.block.first_line,
                                  f"{item.block.text[-6:]} | {following.block.text[:8]}"))
            if caption is not None:
                out.append(caption)
            index += 3 if caption is not None else 2
            continue
        later = _stranded_in_stack(items, index)
        if later is not None and later not in moved:
            # A paragraph's first line read into the titles above its paragraph (``一台助听器、一套
            # 课外书、一次免`` / ``让“微心愿”照亮大民生`` / ``费体检……``): it goes back in front of it.
            moved[later] = item.block
            index += 1
            continue
        out.append(item)
        index += 1
    return out


def _first_line_under_titles(text: str) -> bool:
    """Whether a title-like line under a title, over body text, is the body's first line cut off.

    It holds a comma, does not open with ``——`` or end in ``！``/``？`` (a subheadline's forms),
    and its last phrase is longer than its first: an opening phrase and the start of the
    sentence (``新年将至，县文化馆的灯彩艺人`` / ``加紧赶制各式花灯…``), not a headline's two halves.
    """
    if "\N{FULLWIDTH COMMA}" not in text or text.startswith("\N{EM DASH}\N{EM DASH}") or text[-1] in "！？!?":
        return False
    phrases = text.split("\N{FULLWIDTH COMMA}")
    return len(phrases[-1]) > len(phrases[0])


MAX_STACK_REACH = 2
"""Most titles that may stand between a paragraph's stranded first line and the paragraph."""


def _stranded_in_stack(items: list[_Item], index: int) -> int | None:
    """Where the paragraph is that a title-like line of a stack is the first line of, if it is one.

    The line holds a clause mark, stands after another title, and ends inside a word that the
    first body block after the titles under it finishes; that block opens no dateline.
    """
    item = items[index]
    if item.kind != "title" or index == 0 or items[index - 1].kind not in ("title", "page_headline") \
            or not any(mark in item.block.text for mark in "\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}"):
        return None
    for later in range(index + 1, min(len(items), index + 2 + MAX_STACK_REACH)):
        candidate = items[later]
        if candidate.kind == "title":
            continue
        text, after = item.block.text, candidate.block.text
        if later > index + 1 and candidate.kind == "body" and not _DATELINE.match(after) \
                and len(text) not in word_boundaries(text + after[:6]) and not _opens_block(after):
            return later
        return None
    return None


def _continues(line: str, after: str) -> bool:
    if any(mark in line for mark in "\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}") or _REPORTED_SPEECH.match(after):
        return True
    return len(line) not in word_boundaries(line + after[:6]) and not _opens_block(after)


_REPORTED_SPEECH = re.compile("^(?:(?![他她我你您它咱])[" + han_class() + "]{1,3}[地着])?"
                              "(?:" + "|".join(REPORTING_VERBS) + ")[：:]")
"""A block that opens with what someone said and no one to say it (``说：“服务站…``, ``笑着说：``): the
speaker is the end of the line before it, which a column's edge cut off (``村党支部书记李长顺``)."""


MAX_GLUED_CAPTION = 40
"""Longest caption, in characters, that a block may end in after its last sentence."""


def _split_glued_captions(items: list[_Item]) -> list[_Item]:
    """A caption run on to the end of a paragraph (``…即可借阅。`` / ``市民在…阅`` / ``读（资料图片）``)
    is split off where its line starts, after the paragraph's last sentence."""
    out: list[_Item] = []
    for item in items:
        block = item.block
        cut = None
        if item.kind == "body" and len(block.starts) == len(block.lines) and is_caption_line(block.text):
            cut = next((start for start in block.starts[1:] if block.text[start - 1] in "。！？”"
                        and len(block.text) - start <= MAX_GLUED_CAPTION
                        and not any(mark in block.text[start:] for mark in "。！？")), None)
        if cut is None:
            out.append(item)
            continue
        out.append(_Item("body", _part(block, 0, cut)))
        out.append(_Item("caption", _part(block, cut, len(block.text))))
    return out


def _rejoin_around_title_like_captions(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """A title-like line, a title-like line, then body text that finishes a word of the first
    (``现场三千多名观众为双方的精`` / ``鹤鸣乡队球员在比赛中突破上篮`` / ``彩表现鼓掌喝彩。``): the first
    is a paragraph's opening that a caption set inside the column cut off; the second is that
    caption, and the paragraph is joined again around it (a recorded repair)."""
    out: list[_Item] = []
    column = body_measure(items)
    index = 0
    while index < len(items):
        item = items[index]
        if index + 2 < len(items) and item.kind == "title" and items[index + 1].kind in ("title", "caption") \
                and items[index + 2].kind == "body" and len(item.block.lines) == 1:
            caption, rest = items[index + 1], items[index + 2]
            text = rest.block.text
            if (_cuts_word(item.block.text, text) or _indented_first_line(item, rest, out, column)) \
                    and not _DATELINE.match(text) and not _opens_block(text) \
                    and is_wide_letter(text[0]) and not _opens_more(item.block.text):
                out.append(_Item("body", _join_blocks(item.block, rest.block)))
                out.append(_Item("caption", caption.block))
                repairs.append(Repair("joined-around-caption", rest.block.first_line,
                                      f"{item.block.text[-6:]} | {text[:8]}"))
                index += 3
                continue
        out.append(item)
        index += 1
    return out


def _indented_first_line(item: _Item, rest: _Item, before: list[_Item], column: float | None) -> bool:
    """Whether a lone title-like line is a paragraph's first line that a caption cut off: it is as
    wide as the body's column less a paragraph's indent, stands after body text, not under a
    title, and the text after the caption is that sentence's short end (``现场三千多名观众为双方的精彩``
    / caption / ``表现鼓掌喝彩。``).  A headline happens to be that wide; it is not followed by a one-line
    article."""
    if column is None or not before or before[-1].kind not in ("body", "caption"):
        return False
    width, tail = visual_width(item.block.text), rest.block.text
    return abs(width - (column - INDENT)) <= INDENT_SLACK and len(rest.block.lines) == 1 \
        and visual_width(tail) < column - INDENT and ends_sentence(tail) and is_wide_letter(item.block.text[-1])


INDENT = 2.0
"""Ems a paragraph's first line is indented by."""

INDENT_SLACK = 0.5
"""Ems a line may miss the indented column by (a half-width figure or mark)."""


def _find_captions(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """A title-like line standing inside body text is a caption.

    Either it interrupts a sentence (the body before it stops mid-sentence, the body
    after it goes on: a framed caption box; the two halves are joined again), or it
    tells someone doing something somewhere (``…在…``) and no article starts after it.
    """
    out: list[_Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        previous = out[-1] if out else None
        following = items[index + 1] if index + 1 < len(items) else None
        if item.kind == "title" and previous is not None and previous.kind == "byline" \
                and _SCENE_AT.match(item.block.text) and (following is None or following.kind == "caption"):
            out.append(_Item("caption", item.block))  # someone doing something, after the last article
            index += 1
            continue
        if item.kind == "title" and previous is not None and previous.kind == "caption" and len(out) > 1 \
                and out[-2].kind == "body" and _SCENE_AT.match(item.block.text) \
                and (following is None or following.kind != "body"):
            out.append(_Item("caption", item.block))  # the second of two captions after a paragraph
            index += 1
            continue
        if item.kind not in ("title", "caption") or previous is None or previous.kind != "body":
            out.append(item)
            index += 1
            continue
        before = previous.block.text
        if item.kind == "caption":
            # A caption set inside a column: the sentence it interrupts goes on after it.
            if following is not None and following.kind == "body" and _cut_mid_sentence(before) \
                    and not _DATELINE.match(following.block.text) and not _opens_block(following.block.text):
                out[-1] = _Item("body", _join_blocks(previous.block, following.block))
                out.append(item)
                repairs.append(Repair("joined-around-caption", following.block.first_line,
                                      f"{before[-6:]} | {following.block.text[:8]}"))
                index += 2
            else:
                out.append(item)
                index += 1
            continue
        after_body = following is not None and following.kind == "body" and not _DATELINE.match(
            following.block.text)
        if after_body and following is not None and _cut_mid_sentence(before) \
                and not _opens_block(following.block.text):
            out.append(_Item("caption", item.block))
            out[-2] = _Item("body", _join_blocks(previous.block, following.block))
            repairs.append(Repair("joined-around-caption", following.block.first_line,
                                  f"{before[-6:]} | {following.block.text[:8]}"))
            index += 2
            continue
        if _SCENE_AT.match(item.block.text) and (following is None or following.kind != "body" or after_body):
            out.append(_Item("caption", item.block))
        else:
            out.append(item)
        index += 1
    return out


def _reopen_caption_credits(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """Put a caption's credit opening (``（通讯员 崔 浩``) back before the credit's end under the caption.

    A caption set justified across its picture's width pushes its credit to the right and wraps its
    end (``摄）``) under the words; OCR reads the words with that end, then the credit's opening
    apart, next to them (``上河村队球员突破上篮`` / ``摄)`` / ``(通讯员 崔 浩``).
    """
    out: list[_Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        following = items[index + 1] if index + 1 < len(items) else None
        block = item.block
        last = block.starts[-1] if len(block.starts) == len(block.lines) and len(block.starts) > 1 else None
        if item.kind == "caption" and last is not None and following is not None \
                and following.kind != "caption" and len(following.block.lines) == 1 \
                and ends_cut_credit(block.text[last:]) and block.text.rstrip()[-1:] in "）)" \
                and not any(mark in block.text[:last] for mark in "（(〈《") \
                and following.block.text.lstrip()[:1] in "（(〈《" and opens_credit(following.block.text):
            credit = following.block
            words = block.text[:last].rstrip()
            text = f"{words} {credit.text.strip()}{block.text[last:].strip()}"
            joined = Block(text, (*block.lines[:-1], *credit.lines, block.lines[-1]),
                           (*block.starts[:-1], len(words) + 1, len(words) + 1 + len(credit.text.strip())),
                           block.after_blank)
            out.append(_Item("caption", joined))
            repairs.append(Repair("rethreaded", credit.first_line,
                                  f"{words[-6:]} | {credit.text.strip()} | {block.text[last:].strip()}"))
            index += 2
            continue
        out.append(item)
        index += 1
    return out


RETHREAD_REACH = 4
"""How many blocks ahead a sentence cut off at a block's end may go on (columns read side by side in bands)."""


def _rethread(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """Join a body block that stops mid-sentence to the block, a few ahead, that goes on with it.

    OCR and ``pdftotext`` read side-by-side columns in bands, so a sentence's next
    line may come after a line of the next column.  The block that continues it is
    body text within ``RETHREAD_REACH`` blocks whose first characters finish the word
    the block stops in (``…县电`` / ``商直播…``: ``电商``), or that opens with a mark
    no sentence starts with.
    """
    out = list(items)
    index = 0
    while index < len(out):
        item = out[index]
        quoting = item.kind == "body" and _quote_left_open(item.block.text)
        if item.kind != "body" or not (_cut_mid_sentence(item.block.text) or quoting) \
                or is_table_row(item.block.text) or split_byline_tail(item.block.text)[1] is not None:
            index += 1  # a byline whose closing bracket OCR lost ends the article, not mid-sentence
            continue
        target = None
        for later in range(index + 1, min(len(out), index + 1 + RETHREAD_REACH)):
            candidate = out[later]
            if candidate.kind in ("page_headline", "byline"):
                break
            if candidate.kind == "body" and _SIGNOFF_PARAGRAPH.match(candidate.block.text):
                continue  # a notice's issuer and date: no sentence runs on into them
            lone = candidate.kind == "title" and out[later - 1].kind != "title" and (
                later + 1 >= len(out) or out[later + 1].kind != "title")
            # Only captions between: a picture set inside the paragraph, the sentence goes on under it.
            across_caption = candidate.kind == "body" and later > index + 1 \
                and all(between.kind == "caption" and _reads_as_caption(between.block.text)
                        for between in out[index + 1:later]) \
                and not _DATELINE.match(candidate.block.text) and not _opens_block(candidate.block.text)
            if (candidate.kind == "body" or lone) and (
                    _closes_quote(candidate.block.text) if quoting and not _cut_mid_sentence(item.block.text)
                    else across_caption or _goes_on(item.block.text, candidate.block.text)):
                target = later
                break
        if target is None:
            index += 1
            continue
        following = out.pop(target)
        out[index] = _Item("body", _join_blocks(item.block, following.block))
        if target > index + 1:
            repairs.append(Repair("rethreaded", following.block.first_line,
                                  f"{item.block.text[-6:]} | {following.block.text[:8]}"))
    return out


_CLOSE_ONLY = re.compile("(?<=[。！？”])\\s*([" + han_class() + "]{1,2})\\s*[)）〉》〕\\]】]\\s*$")
"""A byline's last characters and its closing bracket after a paragraph's last sentence, their opening
read elsewhere (``…获得三等奖。军）``)."""

_OPEN_ONLY = re.compile("^\\s*[（(〈《〔\\[【]\\s*(" + "|".join(_LONG_ROLES) + ")\\s*([" + han_class() + "]{0,2})\\s*$")
"""A byline's opening alone: bracket, role and the first characters of a name (``《通讯员 伍``)."""

BYLINE_REACH = 12
"""How many blocks apart OCR may read a byline's opening and its end."""


def _reunite_split_bylines(items: list[_Item], repairs: list[Repair]) -> list[_Item]:
    """Put a byline's opening (``《通讯员 伍``) back before its end that closes a paragraph (``…三等奖。军）``).

    OCR reads a byline wrapped at a column's foot apart: its end on the next column's top, run on to
    the paragraph it closes, and its opening, a line alone, elsewhere on the page (often last).  The
    two make one byline when together they name two to four characters after a role.
    """
    out = list(items)
    for index, item in enumerate(out):
        tail = _CLOSE_ONLY.search(item.block.text) if item.kind == "body" else None
        if tail is None or split_byline_tail(item.block.text)[1] is not None:
            continue
        for other in sorted(range(max(0, index - BYLINE_REACH), min(len(out), index + BYLINE_REACH + 1)),
                            key=lambda at: abs(at - index)):
            opening = _OPEN_ONLY.match(out[other].block.text) if out[other].kind in ("title", "body", "debris") \
                else None
            if opening is None or not 2 <= len(opening.group(2)) + len(tail.group(1)) <= MAX_NAME:
                continue
            credit = out[other].block
            text = item.block.text
            joined = Block(f"{text[:tail.start()]}{credit.text.strip()}{text[tail.start():].strip()}",
                           (*item.block.lines, *credit.lines), (), item.block.after_blank)
            if split_byline_tail(joined.text)[1] is None:
                continue
            out[index] = _Item("body", joined)
            out[other] = _Item("merged", credit)
            repairs.append(Repair("rethreaded", credit.first_line,
                                  f"{text[max(0, tail.start() - 6):tail.start()]} | {credit.text.strip()} | "
                                  f"{text[tail.start():].strip()}"))
            break
    return [item for item in out if item.kind != "merged"]


def _goes_on(text: str, after: str) -> bool:
    """Whether ``after`` finishes the sentence (and the word) ``text`` stops in."""
    if not after or _DATELINE.match(after) or _opens_block(after):
        return False
    if after[0] in CLAUSE_MARKS or after[0] in SENTENCE_END:
        return True
    if text[-1:] in NUMERALS and after.startswith(MEASURE_WORDS):
        return True  # a count and its measure word (``一百五六十`` / ``件``): the dictionary has no such word
    tail, head = text[-4:], after[:4]
    return len(tail) not in word_boundaries(tail + head)


NUMERALS = frozenset("0123456789０１２３４５６７８９〇零一二三四五六七八九十百千万亿两几")
"""Characters a count ends in."""

MEASURE_WORDS = ("件", "个", "名", "人", "元", "户", "家", "辆", "台", "吨", "亩", "公里", "公斤", "米", "天",
                 "次", "座", "所", "项", "条", "份", "只", "头", "斤", "岁", "位", "批", "棵", "株", "间", "套",
                 "场", "支", "部", "本", "册", "种", "类", "余", "多")
"""Words that follow a count (``四百多件``, ``三十二个``); a line ending in a count goes on in one."""


def _reads_as_caption(text: str) -> bool:
    """Whether a caption says so by itself: its credit (``…摄``), or someone doing something
    somewhere; not a few characters OCR read from a picture (``去扩2``)."""
    return is_caption_line(text) or bool(_SCENE_AT.match(text)) or bool(_SCENE.search(text))


def _quote_left_open(text: str) -> bool:
    """Whether a block ends inside a quotation it opened (``…说：“以前…只能托人接送。``): the speaker goes on."""
    return text.rfind("\N{LEFT DOUBLE QUOTATION MARK}") > text.rfind("\N{RIGHT DOUBLE QUOTATION MARK}")


def _closes_quote(text: str) -> bool:
    """Whether a block closes a quotation before it opens one (``现在孩子…正好去接。”``): a quotation's rest.

    >>> _closes_quote("现在孩子在学校写完作业，我们下班正好去接。”"), _closes_quote("他说：“好。”")
    (True, False)
    """
    close = text.find("\N{RIGHT DOUBLE QUOTATION MARK}")
    opening = text.find("\N{LEFT DOUBLE QUOTATION MARK}")
    return close >= 0 and (opening < 0 or close < opening) and not _DATELINE.match(text) and not _opens_block(text)


def _cut_mid_sentence(text: str) -> bool:
    last = text.rstrip()[-1:]
    return bool(last) and (last in "\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}" or last.isalnum()) \
        and not _DATE_END.search(text) and not is_number_entry(re.split("[。！？]", text)[-1])


def _opens_block(text: str) -> bool:
    return is_list_item(text) or opens_turn(text) or opens_closing(text)


def _find_sections(items: list[_Item]) -> list[_Item]:
    """A section's name (``乡镇简讯``, ``县域时评``) over the stories after it is a page headline.

    A short title ending in a section word counts, and so does a lone title over two or
    more briefs that open with datelines and have no titles of their own.
    """
    out = list(items)
    for index, item in enumerate(items):
        if item.kind != "title" or index + 1 >= len(items):
            continue
        text = item.block.text
        named = len(text) <= MAX_SECTION and text.endswith(SECTION_WORDS)
        if not named and len(text) <= MAX_SECTION and items[index + 1].kind == "body" and \
                (index == 0 or items[index - 1].kind != "title"):
            briefs = 0
            for later in items[index + 1:index + 40]:
                if later.kind in ("title", "page_headline"):
                    break
                if later.kind == "body" and _DATELINE.match(later.block.text):
                    briefs += 1
            named = briefs >= 2
        if named:
            out[index] = _Item("page_headline", item.block)
    return out


def _merge_column_tops(drafts: list[_Draft], gaps: list[_Gap], sections: list[tuple[Block, int]],
                       banded: bool) -> tuple[list[_Gap], list[tuple[Block, int]]]:
    """Give paragraphs read before their article's titles to that article.

    A converter reading columns in bands may give the top of the next column (an article's
    later paragraphs) before the titles of the article it belongs to: an article with no
    dateline and no byline of its own, between a lone title group and the titles of an article
    a dateline opens, is that article's: its paragraphs go after the dateline's, and the two
    title groups become one stack.  pdftotext does so too where a title stack takes only the
    first column's top and the next column's first lines stand level with its lines (they come
    between the headline and the subheadline): on a page not read in bands, only paragraphs that
    do not open as a story does (a date, ``近日``, ``今年以来``) are such a column's top.
    """
    # One pass, keyed by the drafts' places before any merge: a merged draft's gaps and sections
    # move to the draft it joins (the next), and places are renumbered at the end (linear time).
    at: dict[int, list[int]] = {}  # draft → the gaps (indices into ``gaps``) printed before it
    for number, gap in enumerate(gaps):
        at.setdefault(gap.position, []).append(number)
    current = list(gaps)
    dropped: set[int] = set()
    starting: Counter[int] = Counter(start for _, start in sections)
    merged: set[int] = set()
    for index in range(len(drafts) - 1):
        draft, following = drafts[index], drafts[index + 1]
        before = [number for number in at.get(index, []) if number not in dropped]
        after = [number for number in at.get(index + 1, []) if number not in dropped]
        if draft.dateline or draft.byline or not following.dateline or not before or not after \
                or not draft.paragraphs or (not banded and _not_a_column_top(draft, current[before[0]])) \
                or len(current[before[0]].groups) != 1 or len(current[after[0]].groups) != 1 \
                or len(current[before[0]].groups[0]) + len(current[after[0]].groups[0]) > 3 \
                or starting[index + 1]:
            continue
        following.paragraphs.extend(draft.paragraphs)
        following.first_line = min(following.first_line, draft.first_line)
        merged.add(index)
        current[before[0]] = _Gap(index, (current[before[0]].groups[0] + current[after[0]].groups[0],))
        dropped.add(after[0])
        at[index + 1] = before + [number for number in after if number != after[0]]
        at[index] = []
        if starting[index]:
            starting[index + 1] += starting.pop(index)  # the section now opens with the draft this one joined
    places, kept = {}, 0
    for index in range(len(drafts) + 1):
        places[index] = kept
        kept += index < len(drafts) and index not in merged
    for index in sorted(merged, reverse=True):
        places[index] = places[index + 1]  # a merged draft's section starts where the draft it joined stands
    key = {number: index for index, numbers in at.items() for number in numbers}
    drafts[:] = [draft for index, draft in enumerate(drafts) if index not in merged]
    gaps = [replace(current[number], position=places[key.get(number, gaps[number].position)])
            for number in range(len(gaps)) if number not in dropped]
    sections = [(block, places[start]) for block, start in sections]
    return gaps, sections


ISSUER_REACH = 2
"""How many articles before a notice's lone date its issuer may have been read, among titles."""


def _return_issuers(drafts: list[_Draft], gaps: list[_Gap]) -> list[_Gap]:
    """Give a notice's lone date (``2026年12月3日``) its issuer, read among titles further up.

    pdftotext reads a notice's sign-off where its column stands: an issuer at the next column's
    top comes before the notice's titles, stacked with them (``中共云溪县委精神文明建设委员会办公室`` /
    ``关于…的公示``), while the date stays under the text.  A title naming an issuing body in a stack
    of two or more, up to ``ISSUER_REACH`` articles before a notice that ends in a date alone, is
    that notice's sign-off.
    """
    out = list(gaps)
    at: dict[int, list[int]] = {}
    for number, gap in enumerate(gaps):
        at.setdefault(gap.position, []).append(number)
    for index, draft in enumerate(drafts):
        last = draft.paragraphs[-1] if draft.paragraphs else None
        if last is None or not _READ_DATE_LINE.match(last.text.strip()):
            continue
        for number in (number for position in range(index, index - ISSUER_REACH, -1)
                       for number in at.get(position, [])):
            gap = out[number]
            if len(gap.groups) != 1 or len(gap.groups[0]) < 2:
                continue
            group = gap.groups[0]
            issuer = next((block for block in group if _ISSUER.match(block.text.strip())), None)
            if issuer is None:
                continue
            draft.paragraphs[-1] = Paragraph(f"{issuer.text.strip()} {last.text.strip()}", None,
                                             (*issuer.lines, *last.lines), True)
            out[number] = replace(gap, groups=(tuple(block for block in group if block is not issuer),))
            break
    return out


def _not_a_column_top(draft: _Draft, gap: _Gap) -> bool:
    """Whether an article without dateline or byline, under one title group, is surely its own and
    no later column's top on a page not read in bands: it opens as a story does (``今年以来，…``), or
    its titles hold a byline OCR could not read (``口 通讯员和白 露``)."""
    return opens_lead(draft.paragraphs[0].text) or any(
        role in block.text for group in gap.groups for block in group for role in ("记者", "通讯员"))


MAX_LATE_LEAD = 2
"""Most paragraphs an article may print before its titles (a lead paragraph set beside the headline)."""


def _join_titles_printed_late(drafts: list[_Draft], sections: list[tuple[Block, int]]
                              ) -> list[tuple[Block, int]]:
    """An article whose headline was printed after its first paragraph is one article, not two.

    When the titles printed between two articles went to the first (their words are its
    words), and that first one is only a paragraph or two the titles follow, not closed
    by a byline, the second, with no titles, dateline or opening byline of its own, is
    the rest of it: ``本报讯 …`` / ``市场主体总量突破三万户`` / ``其中，…``.  The first must
    open as an article does (a dateline, or a byline over it): a title after a plain
    paragraph may close that article, as the sample prints its titles after the text.
    """
    index = 1
    while index < len(drafts):
        draft, before = drafts[index], drafts[index - 1]
        if draft.titles is None and not draft.dateline and draft.byline_at != "start" \
                and before.title_gap == index and not before.titled_by_editor \
                and (before.dateline is not None or before.byline_at == "start") \
                and len(before.paragraphs) <= MAX_LATE_LEAD and before.byline_at != "end" \
                and not (before.byline and draft.byline) and all(start != index for _, start in sections):
            before.paragraphs.extend(draft.paragraphs)
            if draft.byline is not None:
                before.byline, before.byline_at = draft.byline, draft.byline_at
            del drafts[index]
            sections = [(block, start - (start > index)) for block, start in sections]
            for later in drafts[index:]:
                if later.title_gap is not None and later.title_gap > index:
                    later.title_gap -= 1
            continue
        index += 1
    return sections


def _place_leftovers(drafts: list[_Draft], gaps: list[_Gap], leftovers: list[tuple[Block, ...]]) -> list[Doubt]:
    """Titles no article took become paragraphs of the article nearest to them (never an empty article)."""
    doubts: list[Doubt] = []
    if not leftovers:
        return doubts
    where = {id(group): gap.position for gap in gaps for group in gap.groups}
    for group in leftovers:
        position = where.get(id(group), len(drafts))
        line = group[0].first_line
        text = "".join(block.text for block in group)
        if not drafts:
            drafts.append(_Draft(titles=_split_group(group, frozenset()), first_line=line))
            doubts.append(Doubt(line, f"title {text!r} has no article", "add the article's text, or delete the title"))
            continue
        draft = drafts[min(position, len(drafts) - 1)]
        paragraphs = [Paragraph(block.text, None, block.lines) for block in group]
        if position < len(drafts):
            draft.paragraphs[:0] = paragraphs
        else:
            draft.paragraphs.extend(paragraphs)
        doubts.append(Doubt(line, f"title {text!r} belongs to no article: set as a paragraph",
                            f"articles: [{{line: {line}, headline: {text}}}] names the article it heads"))
    return doubts


def _doubt_titles(articles: list[Article], drafts: list[_Draft]) -> list[Doubt]:
    """Doubts about titles: a headline of one character, a title ending in a clause mark."""
    doubts = []
    for article, draft in zip(articles, drafts, strict=True):
        line = min(draft.lines(), default=draft.first_line)
        for title in (article.kicker, article.headline, article.subheadline):
            if title is None:
                continue
            if len(title.strip()) <= 1:
                doubts.append(Doubt(line, f"one-character title {title!r}",
                                    f"articles: [{{line: {line}, headline: …}}] sets the real headline"))
            elif title[-1] in CLAUSE_MARKS:
                doubts.append(Doubt(line, f"title {title!r} ends in {title[-1]!r}: a line of body text?",
                                    f"merge: [{line}] joins it to the text, or articles: sets the titles"))
    return doubts


def _block_lines(block: Block) -> list[str]:
    """The printed lines of a block, when reflow says where they start; else its text as one line."""
    if len(block.starts) != len(block.lines) or len(block.starts) < 2:
        return [block.text]
    ends = block.starts[1:] + (len(block.text),)
    return [block.text[start:end] for start, end in zip(block.starts, ends, strict=True)]


def _join_measured_wraps(titles: list[Block], measure: float | None, body_pairs: set[str],
                         spaced: frozenset[int], doubts: list[Doubt], recurring: bool,
                         blank_parts: bool = False) -> list[Block]:
    """Join the lines of a headline a narrow column wrapped, even across blank lines (``titlewrap``).

    Only with a title measure: the first line must fill it.  A pair that stays close is
    kept as two titles and raises a doubt.  Where the page sets a wrapped headline's lines
    together and never a blank apart (``blank_parts``), a line a blank keeps apart from a
    headline set over several lines is a title of its own.
    """
    if measure is None or len(titles) < 2:
        return titles
    out: list[Block] = [titles[0]]
    for block in titles[1:]:
        previous = out[-1]
        lines = _block_lines(block)
        if set(previous.lines + block.lines) & spaced or is_letterspaced(previous.text) \
                or is_letterspaced(block.text) or len(lines) > 2:
            out.append(block)
            continue
        a, b = _block_lines(previous)[-1], lines[0]
        if not _is_title(a) or not _is_title(block.text) or not _is_title(previous.text + block.text) \
                or not all(fits_width(line, measure + MEASURE_SLACK) for line in lines) or _DATELINE.match(b):
            out.append(block)  # the tail fits the column, and the whole is a title
            continue
        if blank_parts and _set_together(block) and not _adjacent(previous, block):
            # A headline wrapped over lines set together, under a line a blank keeps apart: this input
            # spaces one title's lines closer than two titles (``“双减”落地见实效`` / (blank) /
            # ``课后服务“托”起快`` / ``乐童年``), so the line above is a title of its own.
            out.append(block)
            continue
        score = wrap_score(a, b, measure, body_pairs, recurring, more=len(lines) > 1)
        if score >= WRAP_JOIN:
            out[-1] = _join_blocks(previous, block)
            continue
        if score >= WRAP_DOUBT:
            doubts.append(Doubt(block.first_line, f"{a!r} / {b!r}: two titles, or one headline the column wrapped?",
                                "articles: [{line: N, headline: …}] (N a line of its text) sets the one headline"))
        out.append(block)
    return out


def _blank_parts_titles(titles: list[Block], measure: float | None) -> bool:
    """Whether the page's input sets a wrapped title's lines together and never a blank line apart.

    Together: a title block of lines with no blank between that have a wrap's shape (``fills``).
    Apart: a title line with a wrap's shape over a one-line title exactly one blank line below it
    (``青岭乡开展`` / (blank) / ``道路整治``); the line over a block set together is not counted,
    being what this decides.
    """
    together = apart = 0
    for index, block in enumerate(titles):
        after = titles[index + 1] if index + 1 < len(titles) else None
        lines = _block_lines(block)
        if _set_together(block) and any(fills(a, b, measure) for a, b in zip(lines, lines[1:], strict=False)):
            together += 1
        if after is not None and block.lines and len(after.lines) == 1 and after.lines[0] == block.lines[-1] + 2 \
                and fills(lines[-1], after.text, measure):
            apart += 1
    return together > 0 and apart == 0


def _split_after_dashes(stack: list[Block]) -> list[tuple[Block, ...]]:
    """A stack as one group, or as two where a subheadline opening with a dash stands before its
    end: the dash closes its stack, and the titles under it head the next article
    (``营养午餐`` / ``——鹤鸣乡中心小学食堂见闻`` / ``全县开展寒假安全教育``)."""
    for index, block in enumerate(stack[:-1]):
        if index and block.text.startswith(DASH_OPENERS):
            return [tuple(stack[:index + 1]), tuple(stack[index + 1:])]
    return [tuple(stack)]


def _merge_bylines(first: Byline, second: Byline) -> Byline:
    credit = " ".join(c for c in (first.credit, second.credit) if c) or None
    return Byline(credit, first.names + second.names, first.credits + second.credits)


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


MAX_STACK = 6
"""Most lines one title stack (kicker, headline, subheadline, each maybe wrapped) is printed in."""


def _join_long_stack(titles: list[Block], spaced: frozenset[int]) -> list[Block]:
    """A stack has at most three titles: join wrapped lines (adjacent, of like length) until three remain.

    A line ending in a clause mark joins the next first, then a short line ending in ``！`` or ``？``
    the line above, then a last line at most ``TAIL_SHARE`` of the long line over it, then the
    shortest adjacent pair of similar lengths; a run of more than
    ``MAX_STACK`` titles, or one that will not come down to three, is left as it is.
    """
    stack = list(titles)
    if len(stack) <= 3 or len(stack) > MAX_STACK:
        return stack
    # A converter that sets a blank line after every line (pdftotext) says nothing by adjacency.
    apart = not any(_adjacent(a, b) for a, b in zip(stack, stack[1:], strict=False))
    while len(stack) > 3:
        joinable = [(index, a, b) for index, (a, b) in enumerate(zip(stack, stack[1:], strict=False))
                    if (apart or _adjacent(a, b) or not _in_reading_order(a, b)) and not set(a.lines + b.lines) & spaced
                    and not b.text.startswith("\N{EM DASH}")]
        # Surest first: a line ending in a clause mark goes on below (no title ends so); then a short
        # line ending in ``！`` or ``？`` ends the headline above (``枫林代表团金牌数创`` / ``历史新高！``).
        pairs = [(0, 0, index) for index, a, b in joinable if a.text.rstrip()[-1:] in "，、"] \
            or [(1, 0, index) for index, a, b in joinable if b.text.endswith(("！", "？")) and len(b.text) < len(a.text)
                and a.text.rstrip()[-1:] not in SENTENCE_END and len(a.text) + len(b.text) <= MAX_EXCLAIMED_TITLE] \
            or [(2, len(b.text), index) for index, a, b in joinable
                if index and index + 2 == len(stack) and len(a.text) >= MIN_WRAPPED_LINE
                and len(b.text) <= TAIL_SHARE * len(a.text)] \
            or [(3, len(a.text) + len(b.text), index) for index, a, b in joinable
                if min(len(a.text), len(b.text)) >= 0.6 * max(len(a.text), len(b.text))]
        if not pairs:
            return list(titles)
        *_, index = min(pairs)
        stack[index:index + 2] = [_join_blocks(stack[index], stack[index + 1])]
    return stack


def _in_reading_order(first: Block, second: Block, reach: int = 2) -> bool:
    """Whether ``second`` comes from the source at most ``reach`` lines after ``first`` (by default a
    line or a blank line after it): only then do the lines between them say whether a blank stood
    there (reflow may bring a title's line from far off, where pdftotext read a band of the page:
    ``全县地表水考核断面水质`` … ``优良率连续三年保持100%``)."""
    return bool(first.lines and second.lines) and 0 < second.lines[0] - first.lines[-1] <= reach


TAIL_SHARE = 0.5
"""A title line at most this share of the long line above it is that line's wrapped tail (``保持100%``)."""


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
    if len(texts) == 2 and texts[1].startswith(DASH_OPENERS):
        return None, texts[0], texts[1]  # ——记全国劳动模范…: a subheadline
    if len(texts) == 2 and texts[0].startswith(DASH_OPENERS):
        return None, texts[1], texts[0]
    if len(texts) == 3:
        if _adjacent(group[1], group[2]) and _line_after(group[1], group[2]) \
                and (not _adjacent(group[0], group[1]) or not _line_after(group[0], group[1])) \
                and len(group[1].lines) == 1 \
                and _is_short_tail(texts[1], texts[2]) and not set(group[1].lines + group[2].lines) & spaced:
            # The last two lines stand together, apart from the first, and the second is one line:
            # the last is its tail (``致全县广大居民的一封信`` / (blank) / ``共同守护我们的`` / ``清洁家园``).
            return _split_group((group[0], _join_blocks(group[1], group[2])), spaced, series)
        if len(texts[1]) + MIN_SUBHEADLINE_SHORTFALL < len(texts[0]) and len(texts[1]) <= WRAP_SHARE * len(texts[0]) \
                and not set(group[0].lines + group[1].lines) & spaced and " " not in texts[0] + texts[1] \
                and not texts[1].startswith("\N{EM DASH}"):
            # A kicker is not longer than its headline: the short second line is the first one's tail.
            return None, texts[0] + texts[1], texts[2]
        return texts[0], texts[1], texts[2]
    # A letter-spaced line is the main headline; a line with figures is a
    # subheadline; otherwise the line above is a kicker (引题 above 主题 is the common stack).
    first_spaced = bool(set(group[0].lines) & spaced)
    second_spaced = bool(set(group[1].lines) & spaced)
    if second_spaced != first_spaced:
        return (texts[0], texts[1], None) if second_spaced else (None, texts[0], texts[1])
    if series:
        return texts[0], texts[1], None
    figures = [bool(_FIGURES.search(text)) for text in texts]
    if figures[1] and not figures[0]:
        return None, texts[0], texts[1]
    if len(texts[0]) >= len(texts[1]) + MIN_SUBHEADLINE_SHORTFALL and " " not in texts[0]:
        return None, texts[0], texts[1]  # a kicker is no longer than its headline: this is a subheadline
    return texts[0], texts[1], None


MIN_SUBHEADLINE_SHORTFALL = 2


def _is_tail(first: str, second: str) -> bool:
    """Whether ``second`` has the shape of ``first``'s wrapped tail: clearly shorter, no dash, no spaces."""
    return len(second) + MIN_SUBHEADLINE_SHORTFALL < len(first) and len(second) <= WRAP_SHARE * len(first) \
        and " " not in first + second and not second.startswith(DASH_OPENERS)


def _is_short_tail(first: str, second: str) -> bool:
    """``_is_tail``, and the two together no longer than a headline two lines make by their shape alone
    (a long headline over a shorter subheadline has that shape too)."""
    return _is_tail(first, second) and len(first) + len(second) <= MAX_BALANCED_TITLE

DASH_OPENERS = ("\N{EM DASH}", "\N{CJK UNIFIED IDEOGRAPH-4E00}" * 2, "--")
"""How a subheadline's leading double dash reads: ``——``, or as OCR reads it, ``一一`` or ``--``."""
"""Characters a second title falls short of the first by when it is that headline's subheadline, not its headline."""

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
    gaps = [_split_strangers(gap, drafts, grams, weights, spaced) for gap in gaps]
    titled = {gap.position for gap in gaps}
    gaps = [_split_late_heads(gap, drafts, grams, weights, spaced, gap.position - 1 in titled,
                              gap.position + 1 in titled) for gap in gaps]
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
        drafts[index].title_gap = entries[number][0]
        used.add(number)
    return [entry[1] for number, entry in enumerate(entries) if number not in used]


MIN_STRANGER_SCORE = 4.0
"""How much a title must share with another article (``score_title``) to be that article's, not a kicker."""


def _split_strangers(gap: _Gap, drafts: list[_Draft], grams: list[Counter[str]], weights: dict[str, float],
                     spaced: frozenset[int]) -> _Gap:
    """Take apart a stack whose first title is another article's headline.

    Converters that read columns in bands may set the next column's headline just above
    this one's (``石门村通上了天然气`` / ``柳河乡新建三处健身广场``).  A kicker shares its
    headline's topic; a first title whose words belong to an article near by and not to the
    article the rest of its stack belongs to is that article's headline: it stands alone.  Only
    the article after the one the stack heads may have it (the next column, read early).
    """
    if gap.series or len(gap.groups) != 1 or len(gap.groups[0]) not in (2, 3):
        return gap
    group = gap.groups[0]
    first, rest = group[0], group[1:]
    if any(set(block.lines) & spaced or is_letterspaced(block.text) for block in group):
        return gap  # a letter-spaced headline under a line: that line is its kicker
    reach = range(max(0, gap.position - 2), min(len(drafts), gap.position + 3))

    def best(text: str) -> tuple[float, int]:
        title = sorted(_title_grams(text))
        return max(((_score_grams(title, grams[index], weights), index) for index in reach), default=(0.0, -1))

    first_score, first_at = best(first.text)
    rest_score, rest_at = best("".join(block.text for block in rest))
    if rest_at != gap.position or first_at != gap.position + 1 or first_score < MIN_STRANGER_SCORE \
            or rest_score < MIN_STRANGER_SCORE:
        return gap  # only the next article's headline, read just before this one's
    own = _score_grams(sorted(_title_grams(first.text)), grams[rest_at], weights)
    if own * 2 > first_score:
        return gap
    return replace(gap, groups=((first,), tuple(rest)))


def _split_late_heads(gap: _Gap, drafts: list[_Draft], grams: list[Counter[str]], weights: dict[str, float],
                      spaced: frozenset[int], previous_titled: bool, next_titled: bool) -> _Gap:
    """Take apart a stack whose last title is the headline of one article and the rest the headline of
    the article before that one, when the article the stack does not sit over has no titles of its own.

    A band-read page may give an article's text before its headline (the chain of its lines is set
    where its first line stood), so the headline comes just above the next article's, with no text
    between (``县城新增公共停车位八百个`` / ``冬季供暖正式启动`` / ``本报讯十一月十五日…供暖…``); and
    pdftotext reads two columns' headlines that stand level one after the other, over the first
    column's article (``县科技馆开展“科学之夜”活动`` / ``院士工作站落户开发区``).  A title whose words
    are one article's alone, under titles whose words are the article before's, stands alone.
    """
    if gap.series or len(gap.groups) != 1 or len(gap.groups[0]) not in (2, 3) \
            or not 0 <= gap.position < len(drafts):
        return gap
    group = gap.groups[0]
    rest, last = group[:-1], group[-1]
    if any(set(block.lines) & spaced or is_letterspaced(block.text) for block in group):
        return gap

    def score(text: str, index: int) -> float:
        return _score_grams(sorted(_title_grams(text)), grams[index], weights)

    rest_text = "".join(block.text for block in rest)
    pairs = [(gap.position - 1, gap.position)] if gap.position and not previous_titled else []
    if gap.position + 1 < len(drafts) and not next_titled:
        pairs.append((gap.position, gap.position + 1))
    for before, after in pairs:
        if score(last.text, after) < MIN_STRANGER_SCORE or score(rest_text, before) < MIN_STRANGER_SCORE:
            continue
        if score(last.text, before) * 2 > score(last.text, after) \
                or score(rest_text, after) * 2 > score(rest_text, before):
            continue  # the titles share their topic: one stack
        return replace(gap, groups=(tuple(rest), (last,)))
    return gap


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
    if len(halves) > 2 or any(len(half) < MIN_LEAD_PHRASE for half in halves) or (
            len(halves) == 2 and len(halves[0]) == MIN_LEAD_PHRASE and halves[0].startswith(SENTENCE_OPENERS)):
        return None
    return sentence


def first_sentence(text: str) -> str | None:
    """The first sentence of ``text`` including its mark, or None if it has no sentence mark."""
    match = re.match(r"[^。！？]*[。！？][”’」』]?", text)
    return match.group() if match else None


def _fold_empty_drafts(drafts: list[_Draft], sections: list[tuple[Block, int]],
                       doubts: list[Doubt]) -> list[tuple[Block, int]]:
    """An article with no paragraphs is never emitted: its byline (and dateline, titles) go to the
    next article, or the one before, that lacks them (a byline read above a title stack, ``□周平``).

    A draft whose titles or dateline both neighbours already have is set as text: its titles and
    dateline become paragraphs at the start of the next article (or the end of the one before),
    with a doubt naming its line; a page of nothing else keeps them as its one article's text.
    Nothing is dropped.  One pass; returns the sections, renumbered.
    """
    kept: list[_Draft] = []
    place: list[int] = []  # each draft's section start → the index of the next draft kept
    for index, draft in enumerate(drafts):
        place.append(len(kept))
        if not draft.paragraphs:
            after = drafts[index + 1] if index + 1 < len(drafts) else None
            if after is not None and _takes(after, draft):
                _fold(draft, after, "start")
                continue
            if kept and _takes(kept[-1], draft):
                _fold(draft, kept[-1], "end")
                continue
            texts = [t for t in (*(draft.titles or ()), draft.dateline) if t]
            if not texts and draft.byline is not None:
                texts = [" ".join(filter(None, (draft.byline.credit, *draft.byline.names)))]
                draft.byline = None
            as_text = [Paragraph(text, None, (draft.first_line,)) for text in texts if text]
            shown = "".join(texts)[:24]
            target = after if after is not None else kept[-1] if kept else None
            if target is None:  # the page's one article: its titles are its text
                draft.paragraphs, draft.titles, draft.dateline = as_text, None, None
            else:
                at = "start" if target is after else "end"
                draft.titles, draft.dateline, draft.paragraphs = None, None, []
                _fold(draft, target, at)
                if at == "start":
                    target.paragraphs[:0] = as_text
                else:
                    target.paragraphs.extend(as_text)
                doubts.append(Doubt(draft.first_line, f"{shown!r} has no text under it: it is set as the "
                                    f"text of the article {'after' if at == 'start' else 'before'} it",
                                    f"split: [{draft.first_line}] or articles: [{{line: N, headline: ...}}]"))
                continue
            if not draft.paragraphs:
                continue  # nothing at all to set (no titles, dateline or byline)
        kept.append(draft)
    return _keep_drafts(drafts, kept, place, sections)


def _keep_drafts(drafts: list[_Draft], kept: list[_Draft], place: list[int],
                 sections: list[tuple[Block, int]]) -> list[tuple[Block, int]]:
    """Leave only the ``kept`` drafts; each section's start renumbered by ``place`` (a draft's
    index → the index of the first kept draft from it on)."""
    drafts[:] = kept
    return [(block, place[start] if start < len(place) else len(kept)) for block, start in sections]


def _fold_untitled_drafts(drafts: list[_Draft], sections: list[tuple[Block, int]],
                          doubts: list[Doubt], banded: bool) -> list[tuple[Block, int]]:
    """Text with no titles, dateline or byline after a titled article is that article's rest: its
    byline was read before it (pdftotext and OCR read the columns in bands, the byline closing the
    article's first column).  Printed as an article of its own it would be a module without a
    headline.  It goes on in the article before, within its section, with a doubt naming its line.
    A brief with its dateline (``本报讯``) or its own byline stays a brief of its own, and so do
    untitled texts after an untitled one (a column of briefs).  After an article its byline closed,
    only on a page read in bands (``banded``: a sentence was re-threaded) is the text its rest.  The
    page's first text, before any title, is the opening of the titled article after it (its titles
    were read later), unless that article's byline stands under its titles on a page not read in bands.
    """
    starts = {start for _, start in sections}
    kept: list[_Draft] = []
    place: list[int] = []
    for index, draft in enumerate(drafts):
        place.append(len(kept))
        untitled = not any(draft.titles or ()) and draft.dateline is None and not draft.titled_by_editor \
            and draft.byline_at != "start"
        after = drafts[index + 1] if index + 1 < len(drafts) else None
        if untitled and not kept and index == 0 and after is not None and any(after.titles or ()) \
                and after.dateline is None and (after.byline_at != "start" or banded) and draft.byline is None \
                and 0 not in starts and draft.paragraphs:
            # The page's first text, before the first titles: their article's opening, read before them.
            after.paragraphs[:0] = draft.paragraphs
            after.first_line = min(after.first_line, draft.first_line)
            doubts.append(Doubt(draft.first_line, f"{draft.paragraphs[0].text[:16]!r} stands before any title: it is "
                                "set as the opening of the article after it",
                                "articles: [{line: N, headline: …}] (N its first line) sets it as an article"))
            continue
        if untitled and kept and index not in starts and draft.paragraphs and draft.byline is None \
                and any(kept[-1].titles or ()) and (kept[-1].title_gap is None or kept[-1].title_gap < index) \
                and (banded or kept[-1].byline is None):
            # (Titles printed between the two, that went to the article before, part them: that article's
            # headline was printed after it, as the sample prints it.)
            kept[-1].paragraphs.extend(draft.paragraphs)
            doubts.append(Doubt(draft.first_line, f"{draft.paragraphs[0].text[:16]!r} has no title: it is set as "
                                "the rest of the article before it",
                                "articles: [{line: N, headline: …}] (N its first line) sets it as an article"))
            continue
        kept.append(draft)
    return _keep_drafts(drafts, kept, place, sections)


def _takes(other: _Draft, empty: _Draft) -> bool:
    return not (empty.titles and other.titles) and not (empty.dateline and other.dateline)


def _fold(empty: _Draft, other: _Draft, at: str) -> None:
    """Give an empty draft's byline, titles and dateline to ``other`` (the draft after it, or before)."""
    if empty.byline is not None:
        if other.byline is None:
            other.byline = empty.byline
        elif at == "start":
            other.byline = _merge_bylines(empty.byline, other.byline)
        else:
            other.byline = _merge_bylines(other.byline, empty.byline)
        other.byline_at = other.byline_at or at
    other.titles = other.titles or empty.titles
    other.dateline = other.dateline or empty.dateline
    if at == "start":
        other.first_line = min(other.first_line, empty.first_line)


def _finish(draft: _Draft, spaced: frozenset[int]) -> Article:
    kicker, headline, subheadline = draft.titles or (None, None, None)
    byline = draft.byline or Byline(None, ())
    return Article(
        paragraphs=tuple(find_leads(draft.paragraphs)),
        kicker=kicker, headline=headline, subheadline=subheadline,
        dateline=draft.dateline, credit=byline.credit, byline=byline.names,
        credits=byline.credits, byline_at=draft.byline_at if byline.names else None,
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
            label = f"{fix.key}.caption_line" if fix.key.startswith("images") else "captions"
            raise sidecar.error(fix.where, f"{label}: no caption starts at line {fix.line}",
                                "use the first line of a caption, as `broadsheet parse --json` shows")
        captions[index] = replace(captions[index], image=fix.image, credit=fix.credit, columns=fix.columns)
    return replace(page, captions=tuple(captions))
