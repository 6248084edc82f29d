"""Create a new publication folder: a commented config, an example page, and override folders.

``broadsheet init DIR`` calls :func:`init_publication`; the folder it makes
builds at once (``broadsheet build --config DIR/broadsheet.yaml``) and shows
an editor where each part of a publication lives.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..errors import ConfigError
from ..text.lines import set_column
from .config import default_of

DEFAULT_NAME: str = default_of("publication.name")
"""The masthead when no name is given (the config's own default)."""

EXAMPLE_PAGE = "example"
"""Stem of the example page text in ``source/``."""

EXAMPLE_WIDTH = 18
"""The example page's column width, in ems, as a county paper's OCR gives it."""

EXAMPLE_DEPTH = 12
"""Lines per column in the example page: a blank line marks each column break."""

# Two short county stories, written for this scaffold: titles, then paragraphs;
# the last paragraph of each closes with its byline, as the sample's do.
EXAMPLE_ARTICLES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("抢抓晴好天气", "清水县秋粮收获进度过半"),
        (
            "连日来，清水县抢抓晴好天气，组织农机手和种粮大户开展秋收作业。截至10月8日，全县已收获"
            "玉米和大豆12万亩，占播种面积的百分之五十六。",
            "在城关镇东坡村，几台联合收割机在田间来回穿梭，收割、脱粒、装车一气呵成。种粮大户王建国"
            "说：“今年雨水匀，玉米棒子个头大，亩产比去年多出一百多斤。”",
            "县农业农村局组建了8支技术服务队，深入各乡镇指导机收减损和秸秆还田，帮助群众把粮食"
            "颗粒归仓。（张三 李四）",
        ),
    ),
    (
        ("老街改造让居民住得更舒心",),
        (
            "走进清水县城北老街，新铺的青石路面平整干净，沿街店铺的门头统一换上了木质牌匾。今年以来，"
            "县里投入资金2300万元，对老街的供水、排水和燃气管网进行了全面改造。",
            "改造中，施工单位采取分段施工的办法，尽量减少对居民出行和商户经营的影响。社区干部挨家"
            "挨户征求意见，把群众提出的增设停车位、安装路灯等建议纳入了设计方案。",
            "“过去一下雨门口就积水，现在路面干爽了，晚上出来散步也亮堂。”在老街住了三十多年的居民"
            "刘桂芳笑着说。（王 芳 赵明远）",
        ),
    ),
)

LAYOUT_NAMES = ("page.html", "head.html", "masthead.html", "article.html", "caption.html", "vertical.html")
STYLE_NAMES = ("page.css", "typography.css", "zh-Hans.css", "zh-Hant.css", "zh-TW.css", "zh-HK.css", "vertical.css")


def init_publication(target: Path, name: str | None = None) -> list[Path]:
    """Create a publication in ``target`` (missing or an empty folder); return the files written.

    Raises ConfigError if ``target`` exists and is not an empty folder, or if
    ``name`` is blank or spans several lines.
    """
    target = Path(target)
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise ConfigError("already exists and is not an empty folder", str(target),
                          hint="choose a new folder, or empty this one")
    masthead = DEFAULT_NAME if name is None else name.strip()
    if not masthead or "\n" in masthead or "\r" in masthead:
        raise ConfigError(f"expected a one-line publication name, got {name!r}", hint="e.g. --name 清水报")
    files = {
        "broadsheet.yaml": config_text(masthead, dt.date.today()),
        ".gitignore": "/output/\n",
        f"source/{EXAMPLE_PAGE}.txt": example_page_text(),
        "source/phrases.yaml": PHRASES_TEXT,
        "layouts/README.txt": _override_readme("layouts", "Jinja2 templates", LAYOUT_NAMES),
        "styles/README.txt": _override_readme("styles", "stylesheets", STYLE_NAMES),
    }
    written = []
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def config_text(name: str, date: dt.date) -> str:
    """The commented ``broadsheet.yaml`` of a new publication."""
    # json.dumps writes a double-quoted string YAML reads back unchanged, whatever the name holds.
    return f"""\
# The publication: what to build and how it looks. Paths are relative to this file.
publication:
  name: {json.dumps(name, ensure_ascii=False)}   # set in the masthead
  date: {date.isoformat()}          # the issue's date; also the PDFs' dates, so builds are reproducible
  # issue: 第1期              # optional issue number under the masthead
paper:
  size: tabloid             # broadsheet (对开 390×545 mm), tabloid (四开 272×390 mm), A3, A4 or "W×H mm"
  columns: 5                # body columns, 1–8
  body_size: 9.5pt          # body type, 6–16 pt (小五 is 9 pt, 五号 10.5 pt)
  leading: 1.5              # line height as a multiple of the body size; below 1.4 CJK lines crowd
  margin: 18                # outer margin in mm
  pages: 2                  # printed pages one source page may fill, with jump lines
  # bleed: 3                # mm of bleed for the print shop; marks: crop adds crop marks outside it
editions: [zh-Hans, zh-TW, zh-HK]   # also zh-Hant (OpenCC's standard forms)
pages:                      # in printing order; a page's name is its file's stem
  - source: source/{EXAMPLE_PAGE}.txt
    # sidecar: source/{EXAMPLE_PAGE}.yaml   # editorial fixes; found beside the page by default
    # section: 要闻           # the section (版名) in the folio and the masthead's ear
output: output              # generated files; delete the folder to force a full build
# phrases: source/phrases.yaml   # the publication's own conversion fixes (this is the default)
# layouts: layouts               # templates that override the packaged ones (default)
# styles: styles                 # stylesheets that override the packaged ones (default)
# pdf:
#   variant: pdf/x-4             # for the plant: CMYK with an output intent (or pdf/a-3b for archives)
# limits:
#   max_source_bytes: {default_of("limits.max_source_bytes")}   # refuse page texts larger than this
"""


def example_page_text() -> str:
    """The example page: two county stories set in OCR-like columns, a blank line at each column break.

    >>> example_page_text().splitlines()[:2]
    ['抢抓晴好天气', '清水县秋粮收获进度过半']
    """
    blocks: list[str] = []
    for titles, paragraphs in EXAMPLE_ARTICLES:
        blocks.append("\n".join(titles))
        lines = [line for paragraph in paragraphs for line in set_column(paragraph, EXAMPLE_WIDTH)]
        columns = [lines[start:start + EXAMPLE_DEPTH] for start in range(0, len(lines), EXAMPLE_DEPTH)]
        blocks.extend("\n".join(column) for column in columns)
    return "\n\n".join(blocks) + "\n"


PHRASES_TEXT = """\
# The publication's own conversion fixes, applied before OpenCC so it cannot undo them.
# See pipeline/phrases.py for every key.
names:                      # proper names: converted character by character, never re-phrased
  - 清水县城北老街
people:                     # personal names: follow each edition's name policy
  - 王建国
  - 刘桂芳
phrases:
  - from: 秸秆               # simplified text to match
    keep: characters        # no regional phrasing for this word
    note: an example entry; delete it or add your own
"""


def _override_readme(folder: str, kind: str, names: tuple[str, ...]) -> str:
    listed = "\n".join(f"  {name}" for name in names)
    return f"""\
Files placed in this folder override Broadsheet's packaged {kind}, file by file:
a file here with one of the names below is used instead of the packaged file of that
name, and every file not found here comes from the package. Start from a copy of the
packaged file you want to change (the {folder}/ folder of the Broadsheet source), then
rebuild; the build notices the change.

{listed}

An empty folder changes nothing. This README is not read by the build.
"""
