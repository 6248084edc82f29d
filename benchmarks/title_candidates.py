"""List every line the structure stage takes for a title on the dev pages, labelled against the gold.

Many of issue 13's heading errors on printed input are body fragments taken for titles.  This
is the table a scored title decision is tuned on: for each title candidate that ``read_blocks``
makes (the committed printed inputs of the dev pages, and with ``--fresh`` the fresh prints of
``score_fresh_print.py``, read from its cache), whether the gold holds its text in a title
(``T``), in the body or a caption (``B``), or in both or neither (``?``), with the signs a
scorer would weigh: its width (``reflow.visual_width`` of the whole block) against the body's
column measure (``structure.body_measure``), a final or inner clause mark, its length, and how
the next block starts.  The held-aside pages are never read.

    .venv/bin/python benchmarks/title_candidates.py [--fresh] [--list B|T|?] [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchmarks.score_corpus as corpus  # noqa: E402
from pipeline.text import reflow_lines, repair_blocks, structure  # noqa: E402
from pipeline.text.reflow import visual_width  # noqa: E402
from tests.support.corpus import Piece, load  # noqa: E402

TITLE_KINDS = {"page_headline", "kicker", "headline", "subheadline"}
PRINTED = ("pdftotext", "pdftotext-layout", "ocr-columns", "ocr-single")
CLAUSE_MARKS = "，、；"


@dataclass(frozen=True)
class Candidate:
    """One line read as a title, its label and the signs a scorer would weigh."""

    label: str
    page: str
    method: str
    text: str
    width: float
    measure: float | None
    next_text: str

    @property
    def clause_mark(self) -> bool:
        return any(mark in self.text for mark in CLAUSE_MARKS)

    @property
    def full_measure(self) -> bool:
        return self.measure is not None and abs(self.width - self.measure) <= 1


def inputs(fresh: bool, cache: Path) -> Iterator[tuple[str, str, list[Piece], str]]:
    """(page, method, gold pieces, text read) for every dev page and printed input."""
    names = [name for name in corpus.page_names() if name not in corpus.held_out()]
    for name in names:
        _kind, pieces = load(name)
        for method in PRINTED:
            path = corpus.CORPUS / "inputs" / name / f"{method}.txt"
            if path.is_file():
                yield name, method, pieces, path.read_text(encoding="utf-8")
        if fresh:
            import benchmarks.score_fresh_print as prints

            for layout in prints.LAYOUTS:
                for method, text in prints.read_print(prints.layout_html(pieces, layout), cache, False).items():
                    yield name, f"{layout.name}-{method}", pieces, text


def candidates(page: str, method: str, pieces: list[Piece], text: str) -> list[Candidate]:
    """The title candidates ``read_blocks`` makes of ``text``, each labelled against ``pieces``."""
    titles = [corpus._fold(piece.gold) for piece in pieces if piece.kind in TITLE_KINDS]
    bodies = [corpus._fold(piece.gold) for piece in pieces if piece.kind not in TITLE_KINDS]
    blocks, _ = reflow_lines(text)
    blocks, repairs = repair_blocks(blocks)
    doubled = frozenset(r.line for r in repairs if r.kind == "undoubled-caption")
    spaced = frozenset(r.line for r in repairs if r.kind == "letterspacing-removed")
    items, _ = structure.read_blocks(list(blocks), doubled, spaced)
    measure = structure.body_measure(items)
    found = []
    for index, item in enumerate(items):
        folded = corpus._fold(item.block.text)
        if item.kind != "title" or not folded:
            continue
        in_title = any(folded in title for title in titles)
        in_body = any(folded in body for body in bodies)
        label = "T" if in_title and not in_body else "B" if in_body and not in_title else "?"
        following = items[index + 1].block.text if index + 1 < len(items) else ""
        found.append(Candidate(label, page, method, item.block.text, visual_width(item.block.text),
                               measure, following[:12]))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="the fresh prints too (printed on first use)")
    parser.add_argument("--list", choices=("B", "T", "?"), help="list the candidates of one label")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "broadsheet-fresh-print",
                        help="score_fresh_print.py's cache of prints")
    args = parser.parse_args(argv)
    rows = [c for page, method, pieces, text in inputs(args.fresh, args.cache)
            for c in candidates(page, method, pieces, text)]
    labels = Counter(row.label for row in rows)
    print(f"{len(rows)} title candidates: {labels['T']} titles (T), {labels['B']} body or caption text (B), "
          f"{labels['?']} unclear (?)")
    print(f"{'sign':34s} {'T':>6s} {'B':>6s} {'?':>6s}")
    signs = {
        "holds ，、；": lambda c: c.clause_mark,
        "as wide as the body's column": lambda c: c.full_measure,
        "ends in 。！？": lambda c: c.text.endswith(("。", "！", "？")),
        "1-2 characters": lambda c: len(c.text) <= 2,
        "next block opens with a clause mark": lambda c: c.next_text[:1] in CLAUSE_MARKS + "。",
    }
    for name, test in signs.items():
        counts = Counter(row.label for row in rows if test(row))
        print(f"{name:34s} {counts['T']:6d} {counts['B']:6d} {counts['?']:6d}")
    if args.list:
        for row in rows:
            if row.label == args.list:
                measure = f"{row.measure:.1f}" if row.measure is not None else "-"
                print(f"{row.label} {row.page} {row.method} {row.text!r} width {row.width:.1f} of {measure} "
                      f"next {row.next_text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
