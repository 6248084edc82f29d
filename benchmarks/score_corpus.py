"""Score structure recovery on the hand-written corpus in tests/data/corpus/ (a benchmark, not a test).

For every page and every input method (the clean text, the column breaker at three widths,
pdftotext plain and ``-layout`` of a three-column print, tesseract OCR of a three-column and a
one-column print) the input is parsed with ``parse_text`` and compared with the page's gold,
which ``tests/support/corpus.py`` reads from the hand-written markup.

Every gold and predicted block is placed in the clean page's stream of counted characters
(Han characters, letters, digits): a gold block where the markup put it, a predicted block by
aligning its characters to the stream (difflib), so an OCR misreading inside a block does not
move it.  Then, per method:

- boundary P/R/F1: the set of block starts (titles, page headlines, paragraphs, captions);
- heading, caption, lead-in F1: a block counts when its type and its span in the stream match
  (for clean input that is "its whitespace-stripped text matches");
- byline F1: the names of every article's credits (a name matches the gold name, or what the
  input's characters aligned to it read, for OCR);
- page right: every title-stack, page-headline, byline, caption and paragraph block of the page
  matches and none is extra;
- lost: counted characters of the input missing from the page and not removed by a repair;
- arts: pages with as many articles as the gold (not part of "page right", which scores
  blocks and not which article holds them; ``--pages`` names the pages that differ).

    .venv/bin/python benchmarks/score_corpus.py [--corpus2 | --corpus3] [--held-out | --dev] [--pages] [NAME ...]

``--corpus2`` scores the later pages of tests/data/corpus2/ instead (written after the rules of
the first corpus, as a fresh check that they generalise; it has no held-aside part).
``--corpus3`` scores tests/data/corpus3/ (more kinds of page); ``--dev`` and ``--held-out`` pick
its parts as for the first corpus (its README lists the held-aside third: 03, 06, …, 24).
"""

from __future__ import annotations

import difflib
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.model import Page, counted_chars, is_counted, page_chars, removed_chars  # noqa: E402
from pipeline.text import parse_text  # noqa: E402
from tests.support.corpus import CORPUS, CORPUS2, CORPUS3, Piece, load, page_names  # noqa: E402

METHODS = ("clean", "breaker-12", "breaker-16", "breaker-22", "pdftotext", "pdftotext-layout",
           "ocr-columns", "ocr-single")
TITLE_TYPES = ("page_headline", "kicker", "headline", "subheadline")
BLOCK_TYPES = (*TITLE_TYPES, "paragraph", "caption")


def held_out(root: Path = CORPUS) -> list[str]:
    """The held-aside third, as the corpus's README.md (tests/data/corpus/ or corpus3/) lists it."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Held aside", 1)[1]
    return [line.strip("- `").split("`")[0] for line in section.splitlines() if line.startswith("- `")]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if is_counted(c))


Item = tuple[str, int, int]  # type, start, end in the clean stream


@dataclass(slots=True)
class Gold:
    stream: str
    items: list[Item]
    names: list[tuple[str, int]]  # name, start in the stream


def gold_items(pieces: list[Piece]) -> Gold:
    """The gold blocks of a page, placed in the clean stream."""
    stream = ""
    items: list[Item] = []
    names: list[tuple[str, int]] = []
    for piece in pieces:
        base = len(stream)
        text = _fold("".join(piece.printed))
        stream += text
        kind = "paragraph" if piece.kind == "signoff" else piece.kind
        for credit in piece.credits:
            for name in credit["names"]:  # type: ignore[union-attr]
                at = text.find(_fold(str(name)))
                names.append((_fold(str(name)), base + at))
        if kind == "byline":
            continue
        gold = _fold(piece.gold)
        at = text.find(gold)
        assert at >= 0, (piece.gold, piece.printed)
        items.append((kind, base + at, base + at + len(gold)))
        if piece.lead:
            items.append(("lead", base + at, base + at + len(_fold(piece.lead))))
    return Gold(stream, items, names)


@dataclass(slots=True)
class Locator:
    """Places predicted texts in the clean stream."""

    stream: str
    matcher: difflib.SequenceMatcher[str] = field(init=False)
    gold_starts: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.matcher = difflib.SequenceMatcher(None, "", self.stream, autojunk=False)

    def place(self, text: str) -> tuple[int, int] | None:
        folded = _fold(text)
        if not folded:
            return None
        found = [i for i in _occurrences(self.stream, folded)]
        if found:
            start = next((i for i in found if i in self.gold_starts), found[0])
            return start, start + len(folded)
        self.matcher.set_seq1(folded)
        blocks = [b for b in self.matcher.get_matching_blocks() if b.size >= min(2, len(folded))]
        if not blocks:
            return None
        # Anchor on the longest match; a short match far off its diagonal is the same few words
        # elsewhere on the page (``王家庄`` of an earlier sentence), not where the block lies.
        anchor = max(blocks, key=lambda b: b.size)
        drift = max(3, len(folded) // 10)
        blocks = [b for b in blocks
                  if b.size >= 6 or abs((b.b - b.a) - (anchor.b - anchor.a)) <= drift] or [anchor]
        first, last = blocks[0], blocks[-1]
        end, tail = last.b + last.size, len(folded) - last.a - last.size
        # Unmatched characters after the last match are misreadings that take the stream's next
        # places, or characters OCR inserted (``76.4%4``): one or two of them ending where a
        # gold block starts are insertions.
        if not (tail <= 2 and end in self.gold_starts):
            end += tail
        return max(0, first.b - first.a), end


def _occurrences(stream: str, text: str) -> list[int]:
    out = []
    at = stream.find(text)
    while at >= 0 and len(out) < 8:
        out.append(at)
        at = stream.find(text, at + 1)
    return out


def predicted_items(page: Page, locator: Locator) -> tuple[list[Item], list[str]]:
    items: list[Item] = []
    names: list[str] = []

    def add(kind: str, text: str | None) -> None:
        if text:
            span = locator.place(text)
            items.append((kind, *span) if span else (kind, -1, -1))

    data = page.to_dict()
    for headline in data.get("page_headlines", []):
        add("page_headline", headline["text"])
    for article in page.articles:
        add("kicker", article.kicker)
        add("headline", article.headline)
        add("subheadline", article.subheadline)
        for paragraph in article.paragraphs:
            add("paragraph", paragraph.text)
            if paragraph.lead:
                add("lead", paragraph.lead)
        names.extend(_fold(name) for name in article.byline)
    for caption in page.captions:
        add("caption", caption.text)
    return items, names


def _project(name: str, start: int, mapping: dict[int, str]) -> str:
    """What the input's characters aligned to a gold name read (OCR may misread a name)."""
    chars = [mapping.get(start + i) for i in range(len(name))]
    return "".join(c for c in chars if c) if all(chars) else name


@dataclass(slots=True)
class Tally:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    right: int = 0
    lost: int = 0
    articles: int = 0

    def f1(self, key: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[key], self.fp[key], self.fn[key]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def add(self, other: Tally) -> None:
        self.tp.update(other.tp)
        self.fp.update(other.fp)
        self.fn.update(other.fn)
        self.pages += other.pages
        self.right += other.right
        self.lost += other.lost
        self.articles += other.articles


def _count(tally: Tally, key: str, gold: Counter[object], predicted: Counter[object]) -> None:
    common = sum((gold & predicted).values())
    tally.tp[key] += common
    tally.fp[key] += sum(predicted.values()) - common
    tally.fn[key] += sum(gold.values()) - common


def gold_page_articles(pieces: list[Piece]) -> set[int]:
    """The gold's articles (indices), as the markup numbers them."""
    return {piece.article for piece in pieces if piece.kind != "page_headline"}


show_articles = False


def score_page(name: str, method: str, root: Path = CORPUS) -> tuple[Tally, list[str]] | None:
    """Score one page read by one method; None when that input is missing."""
    path = root / "inputs" / name / f"{method}.txt"
    if method == "clean":
        path = root / "clean" / f"{name}.txt"
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    _kind, pieces = load(name, root)
    gold = gold_items(pieces)
    page = parse_text(text, path.name)
    locator = Locator(gold.stream, gold_starts={start for _, start, _ in gold.items})
    items, names = predicted_items(page, locator)
    tally = Tally(pages=1)
    problems: list[str] = []
    boundaries_gold = Counter({start for kind, start, _ in gold.items if kind in BLOCK_TYPES})
    boundaries_predicted = Counter({start for kind, start, _ in items if kind in BLOCK_TYPES and start >= 0})
    _count(tally, "boundary", Counter(boundaries_gold), Counter(boundaries_predicted))
    groups = {"heading": TITLE_TYPES, "caption": ("caption",), "lead": ("lead",), "paragraph": ("paragraph",)}
    for key, types in groups.items():
        g = Counter(item for item in gold.items if item[0] in types)
        p = Counter(item for item in items if item[0] in types)
        _count(tally, key, g, p)
        if key != "lead" and g != p:
            for item in sorted((g - p).elements()):
                problems.append(f"missed {item[0]} {gold.stream[item[1]:item[2]][:24]}")
            for item in sorted((p - g).elements()):
                problems.append(f"extra {item[0]} {gold.stream[max(0, item[1]):item[2]][:24] if item[1] >= 0 else '?'}")
    mapping = _name_mapping(text, gold.stream)
    name_gold = Counter(_project(n, start, mapping) for n, start in gold.names)
    name_gold_plain = Counter(n for n, _ in gold.names)
    name_predicted = Counter(names)
    best = name_gold if sum((name_gold & name_predicted).values()) >= \
        sum((name_gold_plain & name_predicted).values()) else name_gold_plain
    _count(tally, "byline", best, name_predicted)
    if best != name_predicted:
        problems.append(f"bylines {sorted((best - name_predicted).elements())} → "
                        f"{sorted((name_predicted - best).elements())}")
    if not [p for p in problems if not p.startswith("missed lead") and not p.startswith("extra lead")]:
        tally.right = 1
    gold_articles = sum(1 for article in gold_page_articles(pieces))
    tally.articles = int(len(page.articles) == gold_articles)
    if show_articles and len(page.articles) != gold_articles:
        problems.append(f"{len(page.articles)} articles, gold {gold_articles}")
    expected = counted_chars(text) - removed_chars(page.repairs)
    tally.lost = sum((expected - page_chars(page)).values())
    return tally, problems


def _name_mapping(text: str, stream: str) -> dict[int, str]:
    """Map each position of the clean stream to the input character aligned to it (equal or replaced)."""
    folded = _fold(text)
    matcher = difflib.SequenceMatcher(None, folded, stream, autojunk=False)
    mapping: dict[int, str] = {}
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag in ("equal", "replace") and a1 - a0 == b1 - b0:
            for offset in range(b1 - b0):
                mapping[b0 + offset] = folded[a0 + offset]
    return mapping


def main(argv: list[str]) -> None:
    root = CORPUS3 if "--corpus3" in argv else CORPUS2 if "--corpus2" in argv else CORPUS
    names = [a for a in argv if not a.startswith("-")] or page_names(root)
    if root == CORPUS2:
        pass  # no held-aside part
    elif "--held-out" in argv:
        names = [n for n in names if n in held_out(root)]
    elif "--dev" in argv:
        names = [n for n in names if n not in held_out(root)]
    show_pages = "--pages" in argv
    global show_articles
    show_articles = show_pages
    total = Tally()
    header = (f"{'method':<17} {'bound P':>7} {'R':>5} {'F1':>5} {'head F1':>7} {'byline':>6} "
              f"{'caption':>7} {'lead':>5} {'right':>7} {'lost':>4} {'arts':>5}")
    print(header)
    for method in METHODS:
        tally = Tally()
        for name in names:
            result = score_page(name, method, root)
            if result is None:
                continue
            page_tally, problems = result
            tally.add(page_tally)
            if show_pages and problems:
                print(f"  {method} {name}: " + "; ".join(problems[:6]))
        if tally.pages:
            print(_row(method, tally))
            total.add(tally)
    print(_row("all", total))


def _row(label: str, tally: Tally) -> str:
    p, r, f = tally.f1("boundary")
    return (f"{label:<17} {p:7.3f} {r:5.3f} {f:5.3f} {tally.f1('heading')[2]:7.3f} {tally.f1('byline')[2]:6.3f} "
            f"{tally.f1('caption')[2]:7.3f} {tally.f1('lead')[2]:5.3f} {tally.right:>3}/{tally.pages:<3} "
            f"{tally.lost:4d} {tally.articles:>5}")


if __name__ == "__main__":
    main(sys.argv[1:])
