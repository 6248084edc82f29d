"""Score structure recovery on column-broken inputs of the corpus's dev pages that are not committed.

The committed breaker inputs (``tests/data/corpus/inputs/NAME/breaker-W.txt``) use one seed per page
and the widths 12, 16 and 22 ems, and heuristics were developed on the dev pages' copies of them.
This benchmark sets the same dev pages again with other seeds and widths (11 to 26 ems), so that a
rule fitted to the committed inputs shows here.  The held-aside pages are never read.  The inputs
are written to a temporary folder and scored as ``score_corpus.py`` scores the corpus.

With ``--corpus2`` the pages of tests/data/corpus2/ are set instead (all of them: it has no
held-aside part); with ``--corpus3`` the dev pages of tests/data/corpus3/ (never its held-aside
third).

    .venv/bin/python benchmarks/score_fresh_breaker.py [--corpus2 | --corpus3] [--pages]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchmarks.score_corpus as corpus  # noqa: E402
from tests.support.corpus import break_columns, load  # noqa: E402

SETS = ((500, (11, 14, 18, 20, 26)), (900, (11, 14, 18, 20, 26)), (1300, (12, 16, 22)),
        (1700, (12, 16, 22)), (2100, (12, 16, 22)))
"""Seed bases and column widths (ems): none of them the committed inputs' seeds."""


def main(argv: list[str]) -> None:
    show_pages = "--pages" in argv
    committed = corpus.CORPUS3 if "--corpus3" in argv else corpus.CORPUS2 if "--corpus2" in argv else corpus.CORPUS
    names = corpus.page_names(committed)
    if committed != corpus.CORPUS2:
        names = [name for name in names if name not in corpus.held_out(committed)]
    total = corpus.Tally()
    with tempfile.TemporaryDirectory() as temp:
        for base, widths in SETS:
            for width in widths:
                method = f"b{base}-{width}"
                tally = corpus.Tally()
                for offset, name in enumerate(names):
                    _kind, pieces = load(name, committed)
                    folder = Path(temp) / "inputs" / name
                    folder.mkdir(parents=True, exist_ok=True)
                    (folder / f"{method}.txt").write_text(break_columns(pieces, width, base + offset),
                                                          encoding="utf-8")
                    pages = Path(temp) / "pages"
                    pages.mkdir(exist_ok=True)
                    (pages / f"{name}.txt").write_text((committed / "pages" / f"{name}.txt").read_text(
                        encoding="utf-8"), encoding="utf-8")
                    scored = corpus.score_page(name, method, Path(temp))
                    assert scored is not None
                    page_tally, problems = scored
                    tally.add(page_tally)
                    if show_pages and problems:
                        print(f"  {method} {name}: " + "; ".join(problems))
                total.add(tally)
                print(f"{method:<10} boundary {tally.f1('boundary')[2]:.3f} heading {tally.f1('heading')[2]:.3f} "
                      f"byline {tally.f1('byline')[2]:.3f} right {tally.right:>2}/{tally.pages} lost {tally.lost}")
    print(f"{'all':<10} boundary {total.f1('boundary')[2]:.3f} heading {total.f1('heading')[2]:.3f} "
          f"byline {total.f1('byline')[2]:.3f} right {total.right}/{total.pages} lost {total.lost}")


if __name__ == "__main__":
    main(sys.argv[1:])
