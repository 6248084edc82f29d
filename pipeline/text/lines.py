"""Set text in lines of a column width, as a printed page has them: the inverse of reflow.

The scaffold's example page and the test generators both need it; it lives in the
text stage so that the runtime never imports a test-data generator.
"""

from __future__ import annotations

import re
import unicodedata

from .chars import CLOSING_BRACKETS, CLOSING_QUOTES, FULL_STOPS, OPENING_BRACKETS, OPENING_QUOTES, han_class

DATELINE = re.compile(
    r"^[【\[]?(?:本报讯|(?:本报|新华社|中新社|[^\s，。：、（）]{1,6}(?:社|网|台))"
    r"[^\s，。：、（）]{0,8}?[0-9０-９一二三四五六七八九十〇]{1,3}月[0-9０-９一二三四五六七八九十〇]{1,3}日[电讯])"
    r"[】\]]?"
)
"""A dateline opening a story: ``本报讯``, ``新华社北京9月1日电``, ``本报东阳12月1日讯``."""

_TURN = re.compile("^(?:记者|问|答|主持人|[" + han_class() + "]{2,4})[：:]")
"""An interview's turn: ``记者：``, ``问：``, ``高志远：`` (or a half-width colon)."""

_CLOSING = re.compile(
    r"^\s*(?:特此(?:通告|公告|通知|声明|函告|证明|说明|告知)"
    r"|本(?:通告|公告|通知|办法|规定|细则|条例|决定|意见|方案|规则|须知|章程|倡议)(?:自|由|所称|未尽))")
"""The stock closing sentences of a notice (``特此通告。``, ``本通告自发布之日起施行。``,
``本办法由县财政局负责解释。``): each is a paragraph of its own, under the notice's last item."""


_CAPTION = re.compile(r"^(?:图为|▲|△|图：|图:)|(?:摄|供图|摄影|资料图片|资料照片)\s*[)）]?$")


def is_caption_line(text: str) -> bool:
    """Whether a line reads like a picture caption: ``图为…``, ``…摄``, ``…（资料图片）``.

    >>> is_caption_line("男子100米决赛现场 记者 方 舟 摄"), is_caption_line("林小雨在决赛中回球 （资料图片）")
    (True, True)
    >>> is_caption_line("全县秋粮收获进度过半"), is_caption_line("马桂兰（右）指导学生剪纸")
    (False, True)
    """
    text = text.strip()
    return bool(_CAPTION.search(text)) or (bool(PHOTO_PLACE.search(text)) and _SENTENCE_MARK.search(text) is None)


def has_caption_marks(text: str) -> bool:
    """Whether a line opens or closes as a caption does (``图为…``, ``…摄``, ``（资料图片）``): a
    caption's complete line, where one telling a place in the photo (``（右）``) may wrap on."""
    return bool(_CAPTION.search(text.strip()))


PHOTO_PLACE = re.compile(r"[（(](?:[前后中]排)?[左右中][一二三四五六七八九]?[)）]")
"""Where someone stands in a photo (``马桂兰（右）``, ``（前排左二）``): only a caption says so."""

_SENTENCE_MARK = re.compile("[。！？]")


_ROLE = "(?:本报|特约|见习|实习)*(?:记者|通讯员|实习生)"

MAX_NAME = 4
"""Most characters a name in a byline has."""

_NAME = "[" + han_class() + "](?:\\s?[" + han_class() + "]){1," + str(MAX_NAME - 1) + "}"
_CREDIT_END = re.compile("(?:\\s(?:" + _ROLE + ")?|" + _ROLE + ")\\s*" + _NAME + "\\s*摄\\s*[)）]?$"
                         "|[（(](?:资料图片|资料照片)[)）]$")
_TEXT_AND_PICTURES = "(?:(?:文/图|图/文|文／图|图／文)\\s*)?"
"""``文/图`` before a byline's role: the one credited wrote the text and took the pictures."""
_BYLINE_LINE = re.compile("^(?:[□■●◆★口]|\\S(?=\\s))?\\s*" + _TEXT_AND_PICTURES + _ROLE + "\\s*" + _NAME
                          + "(?:\\s+(?:" + _ROLE + "\\s*)?" + _NAME + ")*$")


_DECORATED_NAME = re.compile("^[□■●◆★口]\\s*[" + han_class() + "](?:\\s?[" + han_class() + "]){1,3}$")


_OPEN_CREDIT = re.compile("[（(〈《]\\s*" + _ROLE + "[^）)〉》]*$")


def opens_credit(text: str) -> bool:
    """Whether a line ends inside a bracket it opened round a byline's role: the names or the closing
    bracket are on the next line.

    >>> opens_credit("本报讯（通讯员"), opens_credit("本报讯（记者 钟 鸣 通讯员"), opens_credit("（记者 钟 鸣）")
    (True, True, False)
    """
    return ("（" in text or "(" in text or "〈" in text or "《" in text) and bool(_OPEN_CREDIT.search(text.strip()))


def ends_with_credit(text: str) -> bool:
    """Whether a line ends with a picture's credit: a name after a role or a space and ``摄``, or
    ``（资料图片）``: the last line of a caption (a body line ending ``拍摄`` has neither).

    >>> ends_with_credit("男子100米决赛现场 记者 方 舟 摄"), ends_with_credit("市民在阅读（资料图片）")
    (True, True)
    >>> ends_with_credit("活动全程由县电视台负责拍摄"), ends_with_credit("读书（记者 叶 青 摄）")
    (False, True)
    """
    return ("摄" in text or "资料" in text) and bool(_CREDIT_END.search(text.strip()))


_CUT_CREDIT = re.compile("^[^，。；！？：]{4,}\\s(?:" + _ROLE + ")(?:\\s*[" + han_class() + "]){0,3}$")
_CREDIT_TAIL = re.compile("^(?:[" + han_class() + "]\\s?){0,3}摄\\s*[)）]?$")


def cuts_credit(text: str) -> bool:
    """Whether a caption's line stops inside its picture's credit, before ``摄``: words, a space, a
    role and the first characters of a name, or none (``…麦田作业 记者 孟``, ``…扫雪 本报记者``).

    >>> cuts_credit("植保无人机在北坪乡麦田作业 记者 孟"), cuts_credit("杨建明带着学生在操场上扫雪 本报记者")
    (True, True)
    >>> cuts_credit("近日，县里召开会议，本报记者"), cuts_credit("男子100米决赛现场 记者 方 舟 摄")
    (False, False)
    """
    return ("记者" in text or "通讯员" in text or "实习生" in text) and not text.rstrip(" )）").endswith("摄") \
        and bool(_CUT_CREDIT.match(text.strip()))


def ends_cut_credit(text: str) -> bool:
    """Whether a line is the end of a picture's credit the column wrapped: the last characters of a
    name, or none, and ``摄`` (``哲摄``, ``钱程摄``, ``摄）``).

    >>> ends_cut_credit("哲摄"), ends_cut_credit("钱 程 摄"), ends_cut_credit("摄）"), ends_cut_credit("拍摄")
    (True, True, True, True)
    >>> ends_cut_credit("负责拍摄工作"), ends_cut_credit("活动全程由县电视台负责拍摄")
    (False, False)
    """
    return "摄" in text and bool(_CREDIT_TAIL.match(text.strip()))


def is_byline_line(text: str) -> bool:
    """Whether a line is a byline set on its own: ``□ 本报记者 孙 洁``, ``本报记者 钱程 通讯员 马骏``.

    >>> is_byline_line("□ 本报记者 孙 洁"), is_byline_line("本报记者 钱 程 通讯员 马 骏")
    (True, True)
    >>> is_byline_line("记者从县统计局获悉"), is_byline_line("■ 刘小红")
    (False, True)
    """
    text = text.strip()
    return bool(_BYLINE_LINE.match(text) or _DECORATED_NAME.match(text))


def is_dateline_only(text: str) -> bool:
    """Whether a line holds nothing but a dateline (``本报讯``): the paragraph goes on below it.

    >>> is_dateline_only("本报讯"), is_dateline_only("本报讯 今年以来")
    (True, False)
    """
    match = DATELINE.match(text)
    return match is not None and not text[match.end():].strip()


_LEAD = re.compile(
    r"^(?:(?:[0-9０-９]{4}|[一二〇零]{4})年)?[0-9０-９一二三四五六七八九十〇]{1,3}月[0-9０-９一二三四五六七八九十〇]{1,3}日"
    r"|^(?:近日|日前|近期|连日来|今年以来|记者从|记者近日|记者日前)"
)
"""How a story's first sentence opens after its dateline: a date (``十一月二十七日，``) or ``近日``."""


def after_dateline(text: str) -> str | None:
    """What a line opening with a dateline holds after it and its credit in brackets, or None when it
    opens with none: the start of the story's first sentence (often empty: the line was full).

    >>> after_dateline("本报讯（通讯员 白 露）"), after_dateline("本报讯（通讯员 崔 浩）十"), after_dateline("近日，")
    ('', '十', None)
    """
    match = DATELINE.match(text)
    if match is None:
        return None
    rest = text[match.end():].strip()
    if rest[:1] in ("（", "("):
        closed = min((at for at in (rest.find("）"), rest.find(")")) if at > 0), default=-1)
        if closed < 0:
            return None  # the credit goes on on the next line
        rest = rest[closed + 1:].strip()
    return rest


def opens_lead(text: str) -> bool:
    """Whether a line opens like a story's first sentence after its dateline: with a date or ``近日``.

    >>> opens_lead("十一月二十七日，县农技中"), opens_lead("12月1日晚，柳河乡"), opens_lead("心的专家来到")
    (True, True, False)
    """
    return bool(_LEAD.match(text))


def opens_dateline(text: str) -> bool:
    """Whether a line opens with a dateline.

    >>> opens_dateline("本报讯（记者 张三）近日，…"), opens_dateline("新华社北京9月1日电 …"), opens_dateline("本报记者")
    (True, True, False)
    """
    return bool(DATELINE.match(text))


def turn_speaker(text: str) -> str | None:
    """The speaker whose turn a line opens (``高志远：…`` → ``高志远``), or None.

    >>> turn_speaker("高志远：最大的亮点"), turn_speaker("全县上下")
    ('高志远', None)
    """
    match = _TURN.match(text)
    return match.group()[:-1] if match else None


VALUE_LABELS = ("电话", "地址", "时间", "日期", "地点", "邮箱", "网址", "传真", "邮编", "联系人", "方式", "对象",
                "条件", "范围", "要求", "内容", "材料")
"""What a notice's labels end in (``联系电话：``, ``报名条件：``): a value or a list goes on under them."""


def is_value_label(speaker: str) -> bool:
    """Whether what stands before a colon is a notice's label (``联系电话``), not a speaker or a source."""
    return speaker.endswith(VALUE_LABELS)


_NUMBER_VALUE = re.compile(r"^\s*([" + han_class() + r"]{2,8})[：:]\s*[0-9０-９][0-9０-９\-－—()（） ]*[0-9０-９]\s*$")
"""A label and a number only (``联系电话：0358-6612345``, ``邮编：041000``)."""


def is_number_entry(text: str) -> bool:
    """Whether a line is a notice's label with a number after it and nothing else: an entry complete
    without a full stop, which no sentence goes on from.

    >>> is_number_entry("联系电话：0358-6612345"), is_number_entry("邮编: 041000"), is_number_entry("报名时间：2027")
    (True, True, False)
    >>> is_number_entry("今年1至10"), is_number_entry("增长率：8")
    (False, False)
    """
    found = _NUMBER_VALUE.match(text)
    return found is not None and found.group(1).endswith(("电话", "传真", "邮编", "手机", "热线", "号码"))


def opens_closing(text: str) -> bool:
    """Whether a line opens a notice's stock closing sentence, which no sentence before it runs into.

    >>> opens_closing("本通告自发布之日起施行。"), opens_closing("特此公告。"), opens_closing("本通告所称车辆")
    (True, True, True)
    >>> opens_closing("本报讯 近日"), opens_closing("本办法的制定"), opens_closing("特此感谢")
    (False, False, False)
    """
    return bool(_CLOSING.match(text))


def opens_turn(text: str) -> bool:
    """Whether a line opens an interview's turn: a speaker of two to four characters and a colon.

    >>> opens_turn("记者：今年有哪些亮点？"), opens_turn("杨建明: 这条路"), opens_turn("今年以来，全县")
    (True, True, False)
    """
    return bool(_TURN.match(text))


def print_width(text: str) -> float:
    """The width of ``text`` in ems as the generated papers set it: Han one em; marks, Latin and digits half.

    The generator imitates a paper that compresses its punctuation; it keeps its own measure so
    that tuning the reader's ``reflow.visual_width`` does not change the pages it makes.

    >>> print_width("完成海拔 600米，")
    7.0
    """
    total = 0.0
    for char in text:
        if char.isspace():
            continue
        wide = ord(char) >= 128 and unicodedata.east_asian_width(char) in "WF"
        total += 1.0 if wide and unicodedata.category(char)[0] not in "PZ" else 0.5
    return total


def set_column(paragraph: str, width: int, indent: str = "lost") -> list[str]:
    """Break a paragraph into lines of a column ``width`` ems wide, as the printed page had them.

    The first line is two ems short (its indent lost, or kept as two
    ideographic spaces); closing marks never start a line and opening marks
    never end one; figures and Latin words are not split.

    >>> set_column("全县新建高标准农田3万亩，种粮大户的积极性明显提高。", 10)
    ['全县新建高标准农', '田3万亩，种粮大户的积', '极性明显提高。']
    """
    lines: list[str] = []
    line = ""
    room = width - 2.0
    for token in _tokens(paragraph):
        if line and print_width(line + token) > room and not _may_not_start(token):
            carried = ""
            while line and line[-1] in _NO_END:  # an opening mark goes down with its word
                line, carried = line[:-1], line[-1] + carried
            lines.append(line)
            line, room = carried, float(width)
        line += token
    if line:
        lines.append(line)
    if indent == "kept" and lines:
        lines[0] = "\N{IDEOGRAPHIC SPACE}" * 2 + lines[0]
    return lines


def _tokens(text: str) -> list[str]:
    """Split text into the units a line may break between.

    A unit is a character, a run of ASCII letters and digits, or a byline in
    brackets (its spaces tell the names apart, and a line break inside it
    would lose one).

    >>> _tokens("5G基站。（王 芳 赵明远）")
    ['5G', '基', '站', '。', '（王 芳 赵明远）']
    """
    tokens: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\N{FULLWIDTH LEFT PARENTHESIS}":
            end = text.find("\N{FULLWIDTH RIGHT PARENTHESIS}", position)
            if end != -1 and " " in text[position:end]:
                tokens.append(text[position:end + 1])
                position = end + 1
                continue
        if tokens and char.isascii() and not char.isspace() and tokens[-1][-1].isascii() \
                and not tokens[-1][-1].isspace():
            tokens[-1] += char
        else:
            tokens.append(char)
        position += 1
    return tokens


_NO_START = CLOSING_QUOTES | CLOSING_BRACKETS | FULL_STOPS | frozenset(",%")
_NO_END = OPENING_QUOTES | OPENING_BRACKETS


def _may_not_start(token: str) -> bool:
    return token[0] in _NO_START or token.isspace()
