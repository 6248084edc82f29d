"""Decide one-to-many characters by the word they sit in: the rules of a phrase dictionary.

A rule (``phrases.Rule``) names a character, the form it takes in each of its
words, the words where OpenCC's own choice stands (``keep``) and the words
that claim a neighbouring character (``claims``).  At each occurrence of the
character, the candidates are the rule's words that cover it; a word that a
claim overlaps without containing is out (时刻 rules out 刻制 in 时刻制定).
The rule decides only when every candidate agrees on one form; if any
candidate disagrees (晒干 and 干部 in 晒干部分) or says ``keep``, OpenCC
decides, as stock OpenCC would.  So a rule can only change a character that
one of its words covers, and a reader can check each decision against the
word it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .phrases import Rule


@dataclass(frozen=True, slots=True)
class Decision:
    """A rule's decision: the character at ``position`` takes ``form``, for the word ``start:end``."""

    position: int
    form: str
    start: int
    end: int
    rule: Rule


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    rule: Rule
    words: dict[str, str | None]
    claims: tuple[str, ...]
    longest: int


def _vocabulary(rule: Rule) -> _Vocabulary:
    words = rule.words()
    longest = max((len(w) for w in (*words, *rule.claims)), default=1)
    return _Vocabulary(rule, words, rule.claims, longest)


def _occurrences(text: str, word: str, lo: int, hi: int) -> Iterable[int]:
    """Starts of ``word`` in ``text`` that begin at or after ``lo`` and end at or before ``hi``."""
    start = text.find(word, max(lo, 0))
    while start != -1 and start + len(word) <= hi:
        yield start
        start = text.find(word, start + 1)


def decide(text: str, rules: Sequence[Rule], blocked: Sequence[bool] | None = None) -> list[Decision]:
    """Every character of ``text`` a rule decides, in order.

    ``blocked[i]`` marks characters that a dictionary entry or a name already
    covers: no rule word may touch them.

    >>> from pipeline.editions.phrases import Rule
    >>> rule = Rule("制", (("製", ("刻制",)),), keep=("制定",), claims=("时刻",))
    >>> [(d.position, d.form) for d in decide("免费刻制公章", [rule])]
    [(3, '製')]
    >>> decide("时刻制定计划", [rule])
    []
    """
    by_char = {r.char: _vocabulary(r) for r in rules}
    out: list[Decision] = []
    for position, char in enumerate(text):
        vocabulary = by_char.get(char)
        if vocabulary is None or (blocked is not None and blocked[position]):
            continue
        decision = _decide_at(text, position, vocabulary, blocked)
        if decision is not None:
            out.append(decision)
    return out


def _decide_at(text: str, position: int, vocabulary: _Vocabulary,
               blocked: Sequence[bool] | None) -> Decision | None:
    lo, hi = position - vocabulary.longest + 1, position + vocabulary.longest
    candidates: list[tuple[int, int, str | None]] = []
    for word, form in vocabulary.words.items():
        for start in _occurrences(text, word, lo, min(hi, len(text))):
            end = start + len(word)
            if not start <= position < end or text[position] != vocabulary.rule.char:
                continue
            if blocked is not None and any(blocked[start:end]):
                continue
            if _claimed(text, start, end, vocabulary.claims):
                continue
            candidates.append((start, end, form))
    forms = {form for _, _, form in candidates}
    if len(forms) != 1 or None in forms:
        return None
    form = next(iter(forms))
    assert form is not None
    start = min(s for s, _, _ in candidates)
    end = max(e for _, e, _ in candidates)
    return Decision(position, form, start, end, vocabulary.rule)


def _claimed(text: str, start: int, end: int, claims: Sequence[str]) -> bool:
    """Whether a claim word overlaps ``start:end`` without lying inside it."""
    for claim in claims:
        for at in _occurrences(text, claim, start - len(claim) + 1, end + len(claim) - 1):
            claim_end = at + len(claim)
            if at < end and claim_end > start and not (start <= at and claim_end <= end):
                return True
    return False
