"""Build the structure corpus: gold JSON, clean text and column-broken inputs from hand-written pages.

Each page of ``tests/data/corpus/pages/NN-kind.txt`` is written by hand in a small markup, one
printed block per line (the gold is read from this markup, never from Broadsheet's output):

| line | block |
|---|---|
| ``kind: briefs`` | the page's kind (first line) |
| ``== 乡镇简讯`` | a page (section) headline over the articles after it |
| ``^ …`` / ``# …`` / ``## …`` | kicker / headline / subheadline; ``#~`` a letter-spaced headline |
| ``#+ …`` (``^+``, ``##+``) | a title of the current article printed after its first paragraph |
| ``@ PRINTED \\| role:名 名;role:名`` | a byline printed on its own line, and its roles and names |
| ``p …`` | a paragraph; ``{d:本报讯}`` a dateline, ``{b:PRINTED\\|role:名}`` a run-in byline, ``{l:…}`` a lead-in |
| ``c …`` | a caption (its credit stays in it) |
| ``s 单位/日期`` | a sign-off paragraph; ``/`` breaks its printed lines |
| ``---`` | a new article without titles |

A title line after a body line starts a new article.  ``python -m tests.support.corpus`` writes
``gold/NAME.json``, ``clean/NAME.txt`` (every block one line, blank lines between), the
column-broken inputs ``inputs/NAME/breaker-W.txt`` and, with ``--render``, the HTML that
``benchmarks/score_corpus.py --render`` turns into PDFs for pdftotext and tesseract.
"""

from __future__ import annotations

import html
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.text.lines import set_column

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
CORPUS2 = CORPUS.parent / "corpus2"
"""A second, later corpus in the same markup: fresh pages for checking that rules generalise."""
CORPUS3 = CORPUS.parent / "corpus3"
"""A third corpus in the same markup: fresh pages of more kinds, every third page held aside."""
BREAKER_WIDTHS = (12, 16, 22)
"""Column widths (ems) the breaker sets each page in: a narrow, a usual and a wide column."""

_INLINE = re.compile(r"\{([dbl]):([^{}]*)\}")


@dataclass(slots=True)
class Piece:
    """One printed block of a clean page: its type, its printed lines and its gold text."""

    kind: str  # page_headline kicker headline subheadline byline paragraph caption signoff
    printed: list[str]
    gold: str
    article: int
    spaced: bool = False
    lead: str | None = None
    dateline: str | None = None
    credits: list[dict[str, object]] = field(default_factory=list)
    byline_end: bool = False


def parse_markup(text: str) -> tuple[str, list[Piece]]:
    """The page's kind and its pieces in print order."""
    lines = [line for line in text.splitlines() if line.strip()]
    kind = lines[0].removeprefix("kind:").strip()
    pieces: list[Piece] = []
    article = -1
    last_body = True
    for line in lines[1:]:
        tag, _, rest = line.partition(" ")
        rest = rest.strip()
        if tag == "---":
            article += 1
            last_body = False
            continue
        if tag == "==":
            pieces.append(Piece("page_headline", [rest], rest, article + 1))
            last_body = True  # the next title opens an article
            continue
        if tag in ("^", "#", "##", "#~", "^+", "#+", "##+"):
            if last_body and not tag.endswith("+"):
                article += 1
            last_body = tag.endswith("+")
            kind_name = {"^": "kicker", "#": "headline", "##": "subheadline", "#~": "headline"}[tag.rstrip("+")]
            pieces.append(Piece(kind_name, [rest], rest.replace(" ", ""), article, spaced=tag == "#~"))
            continue
        last_body = True
        if article < 0:
            article = 0
        if tag == "@":
            printed, _, roles = rest.partition("|")
            pieces.append(Piece("byline", [printed.strip()], "", article, credits=_credits(roles)))
        elif tag == "c":
            pieces.append(Piece("caption", [rest], rest, article))
        elif tag == "s":
            parts = [part.strip() for part in rest.split("/")]
            pieces.append(Piece("signoff", parts, "".join(parts), article))
        elif tag == "p":
            pieces.append(_paragraph(rest, article))
        else:
            raise ValueError(f"unknown markup line: {line!r}")
    return kind, pieces


def _credits(roles: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for entry in roles.split(";"):
        role, _, names = entry.strip().partition(":")
        out.append({"role": role.strip() or None, "names": names.split()})
    return out


def _paragraph(text: str, article: int) -> Piece:
    dateline = None
    lead = None
    credits: list[dict[str, object]] = []
    printed = []
    gold = []
    position = 0
    for match in _INLINE.finditer(text):
        printed.append(text[position:match.start()])
        gold.append(text[position:match.start()])
        tag, body = match.groups()
        if tag == "d":
            dateline = body
            printed.append(body)
        elif tag == "b":
            shown, _, roles = body.partition("|")
            credits = _credits(roles)
            printed.append(shown)
        else:
            lead = body
            printed.append(body)
            gold.append(body)
        position = match.end()
    printed.append(text[position:])
    gold.append(text[position:])
    piece = Piece("paragraph", ["".join(printed)], "".join(gold), article, lead=lead, dateline=dateline,
                  credits=credits)
    piece.byline_end = bool(credits) and text.rstrip().endswith("}") and "{b:" in text[-60:]
    return piece


def gold_page(name: str, kind: str, pieces: list[Piece]) -> dict[str, object]:
    """The gold structure: articles with titles, credits and paragraphs; page headlines; captions."""
    articles: list[dict[str, object]] = []
    headlines: list[dict[str, object]] = []
    captions: list[str] = []
    for piece in pieces:
        if piece.kind == "page_headline":
            headlines.append({"text": piece.gold, "articles": [], "first": piece.article})
            continue
        while len(articles) <= piece.article:
            articles.append({"kicker": None, "headline": None, "subheadline": None, "dateline": None,
                             "credits": [], "byline_at": None, "paragraphs": []})
        article = articles[piece.article]
        if piece.kind in ("kicker", "headline", "subheadline"):
            article[piece.kind] = piece.gold
        elif piece.kind == "byline":
            article["credits"] = piece.credits
            article["byline_at"] = "start" if not article["paragraphs"] else "end"
        elif piece.kind == "caption":
            captions.append(piece.gold)
        else:
            if piece.dateline:
                article["dateline"] = piece.dateline
            if piece.credits:
                article["credits"] = piece.credits
                paragraphs = article["paragraphs"]
                assert isinstance(paragraphs, list)
                article["byline_at"] = "end" if piece.byline_end else "start"
            paragraphs = article["paragraphs"]
            assert isinstance(paragraphs, list)
            paragraphs.append({"text": piece.gold, "lead": piece.lead, "signoff": piece.kind == "signoff"})
    for headline in headlines:
        first = headline.pop("first")
        assert isinstance(first, int)
        following = [h["first"] for h in headlines if isinstance(h.get("first"), int)]
        end = min([f for f in following if f > first], default=len(articles))
        headline["articles"] = list(range(first, end))
    return {"name": name, "kind": kind, "page_headlines": headlines, "articles": articles, "captions": captions}


def clean_text(pieces: list[Piece]) -> str:
    """The page as clean text: every block one line (a sign-off keeps its lines), blank lines between."""
    return "\n\n".join("\n".join(piece.printed) for piece in pieces) + "\n"


def _wrap_title(text: str, rng: random.Random) -> list[str]:
    """A long title wrapped over two centred lines at a natural pause, if it has one."""
    if " " in text or len(text) < 12 or rng.random() < 0.5:
        return [text]
    middle = len(text) // 2
    cut = min(range(4, len(text) - 3), key=lambda i: abs(i - middle))
    for mark in "：，、 ":
        at = text.find(mark)
        if 4 <= at < len(text) - 3:
            cut = at + 1
            break
    return [text[:cut].strip(), text[cut:].strip()]


def break_columns(pieces: list[Piece], width: int, seed: int) -> str:
    """Set the clean page in columns ``width`` ems wide as OCR of a print would give it.

    Titles stand on their own lines (a long one sometimes wrapped over two), with or
    without blank lines around them; body paragraphs lose (or keep) their indent and
    break at ``width``; every ``depth`` lines a column break leaves a blank line, even
    inside a sentence; a caption sometimes interrupts a paragraph, and OCR sometimes reads
    one twice.
    """
    rng = random.Random(seed * 101 + width)
    indent = rng.choice(("lost", "lost", "kept"))
    depth = rng.randint(8, 18)
    out: list[str] = []
    since_break = 0
    previous_kind = ""

    def blank() -> None:
        if out and out[-1] != "":
            out.append("")

    pending_captions: list[str] = []
    for piece in pieces:
        if piece.kind in ("page_headline", "kicker", "headline", "subheadline"):
            if previous_kind not in ("kicker", "headline", "subheadline") or rng.random() < 0.5:
                blank()
            out.extend(_wrap_title(piece.printed[0], rng) if not piece.spaced else piece.printed)
            since_break = 0
        elif piece.kind == "byline":
            if rng.random() < 0.6:
                blank()
            out.extend(piece.printed)
        elif piece.kind == "caption":
            text = piece.printed[0]
            if rng.random() < 0.25:
                text = text + text  # read twice, once from each side of the frame
            if rng.random() < 0.4:
                pending_captions.append(text)  # set inside the next paragraph's column
            else:
                blank()
                out.append(text)
                blank()
        else:
            if previous_kind in ("kicker", "headline", "subheadline", "page_headline", "byline", "caption") \
                    or rng.random() < 0.3:
                blank()
            lines = piece.printed if piece.kind == "signoff" else set_column(piece.printed[0], width, indent)
            for number, line in enumerate(lines):
                if pending_captions and number == len(lines) // 2 and number:
                    blank()
                    out.extend(pending_captions)
                    pending_captions.clear()
                    blank()
                out.append(line)
                since_break += 1
                if since_break >= depth and number + 1 < len(lines):
                    blank()
                    since_break = 0
                    depth = rng.randint(8, 18)
        previous_kind = piece.kind
    if pending_captions:
        blank()
        out.extend(pending_captions)
    return "\n".join(out).strip("\n") + "\n"


def render_html(pieces: list[Piece], columns: int) -> str:
    """The clean page as HTML for WeasyPrint, set in ``columns`` columns, titles inside them (as briefs are)."""
    parts: list[str] = []
    body: list[str] = []

    def flush() -> None:
        if body:
            parts.append(f'<div class="cols">{"".join(body)}</div>')
            body.clear()

    for piece in pieces:
        text = html.escape(piece.printed[0])
        if piece.kind in ("page_headline", "kicker", "headline", "subheadline"):
            style = ' style="letter-spacing:0.6em"' if piece.spaced else ""
            body.append(f'<p class="{piece.kind}"{style}>{html.escape(piece.printed[0].replace(" ", ""))}</p>')
        elif piece.kind == "byline":
            body.append(f'<p class="byline">{text}</p>')
        elif piece.kind == "caption":
            body.append(f'<div class="pic"></div><p class="caption">{text}</p>')
        elif piece.kind == "signoff":
            body.append("".join(f'<p class="signoff">{html.escape(line)}</p>' for line in piece.printed))
        else:
            body.append(f"<p>{text}</p>")
    flush()
    column_css = f"column-count:{columns};column-gap:2em;" if columns > 1 else ""
    css = (
        "@page{size:A4;margin:15mm}"
        "body{font-family:'Noto Serif CJK SC';font-size:10.5pt;line-height:1.6}"
        f".cols{{{column_css}}}"
        "p{margin:0;text-indent:2em;text-align:justify}"
        ".page_headline{font-family:'Noto Sans CJK SC';font-size:15pt;font-weight:bold;text-indent:0;"
        "border-bottom:2px solid black;margin:0.8em 0 0.4em}"
        ".kicker,.subheadline{font-size:13pt;text-align:center;text-indent:0}"
        ".headline{font-family:'Noto Sans CJK SC';font-size:16pt;font-weight:bold;text-align:center;"
        "text-indent:0;margin:0.3em 0}"
        ".byline{font-family:'Noto Sans CJK SC';text-indent:0;margin:0.3em 0}"
        ".pic{height:30mm;background:#ddd;margin:0.5em 0 0.2em}"
        ".caption{font-family:'Noto Sans CJK SC';font-size:9pt;text-indent:0;margin-bottom:0.5em}"
        ".signoff{text-align:right;text-indent:0}"
    )
    return f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head>' \
           f'<body>{"".join(parts)}</body></html>'


def page_names(root: Path = CORPUS) -> list[str]:
    return sorted(path.stem for path in (root / "pages").glob("*.txt"))


def load(name: str, root: Path = CORPUS) -> tuple[str, list[Piece]]:
    return parse_markup((root / "pages" / f"{name}.txt").read_text(encoding="utf-8"))


def write_corpus(render: bool = False, root: Path = CORPUS, seed_base: int = 0) -> None:
    """Write gold, clean text and breaker inputs (and with ``render``, the HTML to print) for every page."""
    for directory in ("gold", "clean", "inputs", "html"):
        (root / directory).mkdir(exist_ok=True)
    for seed, name in enumerate(page_names(root), start=seed_base):
        kind, pieces = load(name, root)
        gold = gold_page(name, kind, pieces)
        (root / "gold" / f"{name}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (root / "clean" / f"{name}.txt").write_text(clean_text(pieces), encoding="utf-8")
        folder = root / "inputs" / name
        folder.mkdir(exist_ok=True)
        for width in BREAKER_WIDTHS:
            (folder / f"breaker-{width}.txt").write_text(break_columns(pieces, width, seed), encoding="utf-8")
        if render:
            for columns in (1, 3):
                (root / "html" / f"{name}-{columns}.html").write_text(render_html(pieces, columns),
                                                                        encoding="utf-8")




def render_inputs(names: list[str] | None = None, ocr: bool = False, root: Path = CORPUS) -> None:
    """Print each page's HTML to PDF (WeasyPrint) and write what pdftotext and tesseract read from it.

    ``pdftotext`` (plain and ``-layout``) reads the three-column print; tesseract ``chi_sim``
    reads a 300 dpi raster of the three-column and of the one-column print.  The outputs are
    committed: tests never run OCR.
    """
    import subprocess
    import tempfile

    import weasyprint

    for name in names or page_names(root):
        folder = root / "inputs" / name
        with tempfile.TemporaryDirectory() as temp:
            for columns in (3, 1):
                source = (root / "html" / f"{name}-{columns}.html").read_text(encoding="utf-8")
                pdf = Path(temp) / f"{columns}.pdf"
                weasyprint.HTML(string=source).write_pdf(pdf)
                if columns == 3:
                    for flag, method in (([], "pdftotext"), (["-layout"], "pdftotext-layout")):
                        out = folder / f"{method}.txt"
                        subprocess.run(["pdftotext", *flag, "-enc", "UTF-8", str(pdf), str(out)], check=True)
                        out.write_text(out.read_text(encoding="utf-8").replace("\f", "\n"), encoding="utf-8")
                if not ocr:
                    continue
                subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), str(Path(temp) / f"r{columns}")],
                               check=True)
                texts = []
                for image in sorted(Path(temp).glob(f"r{columns}-*.png")):
                    result = subprocess.run(["tesseract", str(image), "-", "-l", "chi_sim"], check=True,
                                            capture_output=True, text=True)
                    texts.append(result.stdout)
                method = "ocr-columns" if columns == 3 else "ocr-single"
                (folder / f"{method}.txt").write_text("\n".join(texts), encoding="utf-8")
        print(name, file=sys.stderr)


if __name__ == "__main__":
    # --corpus2 and --corpus3 write tests/data/corpus2/ and corpus3/ (seeds after the first
    # corpus's, so no layout repeats)
    if "--corpus3" in sys.argv:
        _root, _seeds = CORPUS3, 200
    elif "--corpus2" in sys.argv:
        _root, _seeds = CORPUS2, 100
    else:
        _root, _seeds = CORPUS, 0
    write_corpus(render="--render" in sys.argv, root=_root, seed_base=_seeds)
    if "--render" in sys.argv:
        render_inputs([a for a in sys.argv[1:] if not a.startswith("-")] or None, ocr="--ocr" in sys.argv,
                      root=_root)
