"""Measure paragraph-boundary precision and recall of parse_text on the golden cases (not a test).

Each case with a ``truth.txt`` (the paragraphs an editor would set, one per
line: body paragraphs and table rows, without titles or bylines) is parsed;
the counted characters of the predicted and true paragraphs are aligned with
difflib (OCR cases differ in a few characters), and a predicted paragraph
start is right when it lands on a true one.

    .venv/bin/python tests/measure_paragraphs.py [CASE ...]
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.model import is_counted  # noqa: E402
from pipeline.project.sidecar import load_sidecar  # noqa: E402
from pipeline.text import parse_text  # noqa: E402

DATA = Path(__file__).parent / "data"


def _stream(paragraphs: list[str]) -> tuple[str, list[int]]:
    """The paragraphs' counted characters run together, and where each paragraph starts."""
    text, starts = "", []
    for paragraph in paragraphs:
        kept = "".join(c for c in paragraph if is_counted(c))
        if kept:
            starts.append(len(text))
            text += kept
    return text, starts


def predicted_paragraphs(case: Path) -> list[str]:
    sidecar_path = case / "sidecar.yaml"
    sidecar = None
    if sidecar_path.exists():
        sidecar = load_sidecar(sidecar_path.read_text(encoding="utf-8"), str(sidecar_path))
    page = parse_text((case / "source.txt").read_text(encoding="utf-8"), str(case), sidecar)
    out = []
    for article in page.articles:
        opening = [article.dateline or ""]
        if article.dateline:  # a dateline's bracketed byline came from the same paragraph
            opening += [article.credit or "", *article.byline]
        for index, paragraph in enumerate(article.paragraphs):
            out.append("".join(opening) + paragraph.text if index == 0 else paragraph.text)
    return out


def measure(case: Path) -> tuple[int, int, int]:
    """(true positives, predicted starts, true starts) for one case."""
    truth = [line for line in (case / "truth.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    true_text, true_starts = _stream(truth)
    pred_text, pred_starts = _stream(predicted_paragraphs(case))
    matcher = difflib.SequenceMatcher(None, pred_text, true_text, autojunk=False)
    mapped: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            mapped[block.a + k] = block.b + k
    true_set = set(true_starts)
    hits = 0
    for start in pred_starts:
        # the first aligned character at or just after the predicted start
        target = next((mapped[i] for i in range(start, min(start + 3, len(pred_text))) if i in mapped), None)
        if target is not None and any(abs(target - t) <= 1 for t in true_set):
            hits += 1
    return hits, len(pred_starts), len(true_starts)


def main(argv: list[str]) -> int:
    cases = [DATA / name for name in argv] or sorted(p for p in DATA.iterdir() if (p / "truth.txt").exists())
    total = [0, 0, 0]
    print(f"{'case':28} {'P':>6} {'R':>6}  hits/pred/true")
    for case in cases:
        hits, pred, true = measure(case)
        total = [total[0] + hits, total[1] + pred, total[2] + true]
        print(f"{case.name:28} {hits / max(pred, 1):6.3f} {min(hits, true) / max(true, 1):6.3f}  {hits}/{pred}/{true}")
    hits, pred, true = total
    print(f"{'all':28} {hits / max(pred, 1):6.3f} {min(hits, true) / max(true, 1):6.3f}  {hits}/{pred}/{true}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
