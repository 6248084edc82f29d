"""The hand-written structure corpus (tests/data/corpus/): nothing lost on any input, clean pages read right.

``benchmarks/score_corpus.py`` measures every input method; these tests hold the floor: no
input loses or invents a counted character, and every clean page (one block per line) comes
out with the gold's titles, page headlines, credits, captions and paragraphs.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from support.corpus import CORPUS, CORPUS2, CORPUS3, page_names

from pipeline.model import counted_chars, page_chars, removed_chars
from pipeline.text import parse_text

INPUTS = sorted((name, path.name) for name in page_names() for path in (CORPUS / "inputs" / name).glob("*.txt"))
INPUTS2 = sorted((name, path.name) for name in page_names(CORPUS2)
                 for path in (CORPUS2 / "inputs" / name).glob("*.txt"))
"""The later corpus (tests/data/corpus2/): fresh pages written after the rules, held to the same floor."""
INPUTS3 = sorted((name, path.name) for name in page_names(CORPUS3)
                 for path in (CORPUS3 / "inputs" / name).glob("*.txt"))
"""The third corpus (tests/data/corpus3/, fifteen kinds), held to the same floor."""


def test_the_corpus_has_every_kind_and_input() -> None:
    kinds = [json.loads((CORPUS / "gold" / f"{name}.json").read_text(encoding="utf-8"))["kind"]
             for name in page_names()]
    assert len(kinds) >= 30 and all(kinds.count(kind) >= 3 for kind in set(kinds)) and len(set(kinds)) == 9
    methods = {method for _, method in INPUTS}
    assert {"breaker-12.txt", "pdftotext.txt", "pdftotext-layout.txt", "ocr-columns.txt", "ocr-single.txt"} <= methods


@pytest.mark.parametrize(("root", "name", "method"), [(CORPUS, *i) for i in INPUTS] + [(CORPUS2, *i) for i in INPUTS2]
                         + [(CORPUS3, *i) for i in INPUTS3])
def test_no_input_loses_text(root: Path, name: str, method: str) -> None:
    text = (root / "inputs" / name / method).read_text(encoding="utf-8")
    page = parse_text(text, method)
    assert page_chars(page) + removed_chars(page.repairs) == counted_chars(text)
    assert all(article.paragraphs for article in page.articles)


def _strip(text: str | None) -> str | None:
    """The text without white space, full-width marks folded (repairs widen ``:`` to ``：``)."""
    return None if text is None else "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize(("root", "name"),
                         [(CORPUS, n) for n in page_names()] + [(CORPUS2, n) for n in page_names(CORPUS2)]
                         + [(CORPUS3, n) for n in page_names(CORPUS3)])
def test_clean_page_reads_as_its_gold(root: Path, name: str) -> None:
    gold = json.loads((root / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    page = parse_text(Path(root / "clean" / f"{name}.txt").read_text(encoding="utf-8"), "clean.txt")
    assert [(_strip(h.text), list(h.articles)) for h in page.page_headlines] == [
        (_strip(h["text"]), h["articles"]) for h in gold["page_headlines"]]
    assert [_strip(c.text) for c in page.captions] == [_strip(c) for c in gold["captions"]]
    assert len(page.articles) == len(gold["articles"])
    for article, expected in zip(page.articles, gold["articles"], strict=True):
        assert tuple(map(_strip, (article.kicker, article.headline, article.subheadline))) == tuple(
            map(_strip, (expected["kicker"], expected["headline"], expected["subheadline"])))
        assert [name for credit in article.credits for name in credit.names] == [
            name for credit in expected["credits"] for name in credit["names"]]
        assert article.byline_at == expected["byline_at"]
        assert [_strip(p.text) for p in article.paragraphs] == [_strip(p["text"]) for p in expected["paragraphs"]]
