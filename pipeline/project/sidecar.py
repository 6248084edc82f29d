"""Read a page's editorial sidecar (``source/<page>.yaml``): an editor's fixes to the recovered structure.

Heuristics are sometimes wrong; the sidecar lets an editor correct a page
without touching code.  Every reference is a 1-based line of the page's source
text, as ``broadsheet explain`` and ``broadsheet parse --json`` show them.
The schema (all keys optional)::

    articles:                 # titles for the article holding a source line
      - line: 130             # any source line of the article's body
        kicker: 优化“第一要素”
        headline: 坚持树好形象
        subheadline: 全县新增就业岗位三千余个
    split: [136, 142]         # a new paragraph starts at each of these lines
    merge: [120]              # the paragraph starting at each line joins the one before it
    leads:                    # lead-ins, keyed by the paragraph's first line
      120: 乘势而上再出发，勇立潮头蹚新路。   # this prefix is the lead-in
      136: true               # the first sentence is the lead-in
      149: false              # no lead-in
    images:                   # photos, each placed in the article its caption belongs to
      - file: source/images/li-junping.jpg   # JPEG or PNG, relative to the config's folder
        caption_line: 395     # the first line of its caption
        credit: 本报记者 张三 摄   # optional, set under the caption
        columns: 2            # optional: grid columns the photo spans
    captions:                 # short form: image files keyed by the caption's first line
      395: source/images/li-junping.jpg

A title the sidecar names that is also a title on the page moves to the named
article instead of being attached by the heuristics.  Unknown keys, wrong
types, and lines that do not hold what the entry needs (stale references) are
errors naming the sidecar's line.  ``docs/sidecar.md`` has the long version.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError
from ..model import ImageFix, LeadFix, LineFix, Sidecar, TitleFix
from ..yamlload import KeyPath, Problems, YamlDoc
from .paths import is_relative_inside

TOP_KEYS = ("articles", "split", "merge", "leads", "images", "captions")
IMAGE_KEYS = ("file", "caption_line", "credit", "columns")
MAX_IMAGE_COLUMNS = 8
"""The most columns a photo may span (``paper.columns`` is at most 8)."""
TITLE_KEYS = ("kicker", "headline", "subheadline")


def load_sidecar(text: str, path: str) -> Sidecar:
    """Parse and validate a sidecar; all problems are reported at once, each with its line.

    >>> car = load_sidecar("split: [136]\\nleads:\\n  149: false\\n", "p.yaml")
    >>> car.splits[0].line, car.leads[0].lead, car.leads[0].where
    (136, False, 3)
    """
    doc = YamlDoc.parse(text, path)
    data = doc.data
    if data is None:
        return Sidecar(path)
    if not isinstance(data, dict):
        raise doc.error((), "a sidecar is a mapping of articles, split, merge, leads, images, captions")
    problems = Problems(doc, strict=True)  # an unknown key is an error: the editor meant a fix
    problems.unknown_keys(data, TOP_KEYS, ())
    titles = _titles(problems, data.get("articles"))
    splits = _line_list(problems, "split", data.get("split"))
    merges = _line_list(problems, "merge", data.get("merge"))
    leads = _leads(problems, data.get("leads"))
    images = _image_list(problems, data.get("images")) + _images(problems, data.get("captions"))
    _no_twice(problems, images)
    problems.raise_any()
    return Sidecar(path, titles, splits, merges, leads, images)


def _where(problems: Problems, key: KeyPath) -> int:
    return problems.doc.line(key) or 1


def _is_line(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _titles(problems: Problems, value: Any) -> tuple[TitleFix, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.error(("articles",), "expected a list of {line, kicker, headline, subheadline}")
        return ()
    out = []
    for index, item in enumerate(value):
        key: KeyPath = ("articles", index)
        if not isinstance(item, dict):
            problems.error(key, "expected a mapping with line and a title")
            continue
        before = len(problems.errors)
        problems.unknown_keys(item, ("line", *TITLE_KEYS), key)
        if not _is_line(item.get("line")):
            problems.error((*key, "line"), "expected the source line (a positive integer) of the article's body")
        titles = {name: item.get(name) for name in TITLE_KEYS}
        for name, title in titles.items():
            if title is not None and (not isinstance(title, str) or not title.strip()):
                problems.error((*key, name), "expected a non-empty text")
        if not any(titles.values()):
            problems.error(key, "give at least one of kicker, headline, subheadline")
        if len(problems.errors) == before:
            out.append(TitleFix(item["line"], _where(problems, key), *(_strip(titles[n]) for n in TITLE_KEYS)))
    return tuple(out)


def _strip(value: str | None) -> str | None:
    return value.strip() if value is not None else None


def _line_list(problems: Problems, name: str, value: Any) -> tuple[LineFix, ...]:
    if value is None:
        return ()
    if _is_line(value):
        value = [value]
    if not isinstance(value, list):
        problems.error((name,), "expected a list of source lines")
        return ()
    out = []
    for index, item in enumerate(value):
        if _is_line(item):
            out.append(LineFix(item, _where(problems, (name, index))))
        else:
            problems.error((name, index), f"expected a source line (a positive integer), got {item!r}")
    return tuple(out)


def _leads(problems: Problems, value: Any) -> tuple[LeadFix, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.error(("leads",), "expected a mapping of source line to lead-in text, true or false")
        return ()
    out = []
    for line, lead in value.items():
        key: KeyPath = ("leads", line)
        if not _is_line(line):
            problems.error(key, f"expected a source line (a positive integer), got {line!r}")
        elif isinstance(lead, bool) or (isinstance(lead, str) and lead.strip()):
            out.append(LeadFix(line, _where(problems, key), lead.strip() if isinstance(lead, str) else lead))
        else:
            problems.error(key, f"expected the lead-in text, true or false, got {lead!r}")
    return tuple(out)


def _images(problems: Problems, value: Any) -> tuple[ImageFix, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.error(("captions",), "expected a mapping of source line to image file")
        return ()
    out = []
    for line, image in value.items():
        key: KeyPath = ("captions", line)
        if not _is_line(line):
            problems.error(key, f"expected a source line (a positive integer), got {line!r}")
        elif not isinstance(image, str) or not image.strip():
            problems.error(key, f"expected an image file name, got {image!r}")
        elif _inside(problems, key, image.strip()):
            out.append(ImageFix(line, _where(problems, key), image.strip(), key=f"captions.{line}"))
    return tuple(out)


def _inside(problems: Problems, key: KeyPath, image: str) -> bool:
    if is_relative_inside(image):
        return True
    problems.error(key, f"{image!r} is not a path inside the project folder",
                   "name an image file relative to the config's folder")
    return False


def _image_list(problems: Problems, value: Any) -> tuple[ImageFix, ...]:
    """The ``images:`` list: ``{file, caption_line, credit, columns}`` for each photo."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.error(("images",), "expected a list of {file, caption_line, credit, columns}")
        return ()
    out = []
    for index, item in enumerate(value):
        key: KeyPath = ("images", index)
        if not isinstance(item, dict):
            problems.error(key, "expected a mapping with file and caption_line")
            continue
        before = len(problems.errors)
        problems.unknown_keys(item, IMAGE_KEYS, key)
        file, line, credit, columns = (item.get(name) for name in IMAGE_KEYS)
        file = file.strip() if isinstance(file, str) else file
        if not isinstance(file, str) or not file:
            problems.error((*key, "file"), f"expected an image file name, got {file!r}")
        else:
            _inside(problems, (*key, "file"), file)
        if not _is_line(line):
            problems.error((*key, "caption_line"), "expected the first source line (a positive integer) of "
                           "the photo's caption")
        if credit is not None and (not isinstance(credit, str) or not credit.strip()):
            problems.error((*key, "credit"), f"expected the photographer's credit as text, got {credit!r}")
        if columns is not None and not (_is_line(columns) and columns <= MAX_IMAGE_COLUMNS):
            problems.error((*key, "columns"), f"expected a number of columns 1–{MAX_IMAGE_COLUMNS}, got {columns!r}")
        if len(problems.errors) == before and isinstance(file, str) and isinstance(line, int):
            out.append(ImageFix(line, _where(problems, key), file, _strip(credit), columns, key=f"images.{index}"))
    return tuple(out)


def _no_twice(problems: Problems, images: tuple[ImageFix, ...]) -> None:
    """One photo per caption: a caption line named twice (in ``images`` or ``captions``) is an error."""
    seen: dict[int, str] = {}
    for fix in images:
        if fix.line in seen:
            problems.errors.append(ConfigError(f"{fix.key}: the caption at line {fix.line} already has a photo "
                                               f"({seen[fix.line]})", problems.doc.path, fix.where,
                                               "give each caption one photo"))
        else:
            seen[fix.line] = fix.key


def named_images(text: str, name: str) -> list[str]:
    """The image files a sidecar's text names, in order (none when the sidecar has errors).

    >>> named_images("images:\\n  - {file: source/a.png, caption_line: 3}\\n", "p.yaml")
    ['source/a.png']
    """
    from ..errors import BroadsheetError

    try:
        return [fix.image for fix in load_sidecar(text, name).images]
    except BroadsheetError:
        return []
