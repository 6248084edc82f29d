"""Load and validate phrase dictionaries: the entries that beat OpenCC's own segmentation.

A phrase file (the publication's ``source/phrases.yaml``, or the built-in
``pipeline/editions/data/opencc_fixes.yaml``) looks like this::

    phrases:
      - from: 干部            # simplified text to match
        to: 幹部              # fixed Traditional form (regional variants still apply)
        not_preceded_by: [晒, 晾]
        note: OpenCC reads 好干部 as 好乾部
      - from: 优化
        keep: characters      # convert character by character, no Taiwan phrasing
      - from: 计算机程序
        keep: phrasing        # let the edition's OpenCC config convert it, as one unit
    names: [华翔智能制造产业园]  # proper names: like ``keep: characters``
    people: [李俊平]            # personal names: follow the edition's name policy
    characters:                 # per OpenCC config, output characters to replace
      s2t: {覈: 核}
    ambiguous:                  # one-to-many characters the report lists
      干: 干乾幹
    surnames:                   # a personal name's first character: its form in names
      余: 余
    rules:                      # one character, its forms by word, and the words that leave it alone
      - char: 制
        forms: {製: [刻制, 烤制]}
        keep: [制定, 制度, 控制]     # words where OpenCC's own choice stands
        claims: [时刻, 此刻]         # words that claim a neighbour: 时刻|制定 is no 刻制
        note: made-by-…ing compounds

``to`` may also be a mapping from edition name or OpenCC config to text, with
an optional ``default``.  ``followed_by``/``not_followed_by`` look ``window``
characters ahead (default 0: immediately after), never across punctuation.

A rule decides one character where every word of its vocabulary that covers
that character agrees (``pipeline/editions/rules.py``); entries are words of
at most ``MAX_WORD`` characters.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from ..errors import ConfigErrors
from ..yamlload import KeyPath, Problems, YamlDoc, suggest

Mode = Literal["fixed", "characters", "phrasing", "person"]

ENTRY_KEYS = ("from", "to", "keep", "preceded_by", "not_preceded_by", "followed_by", "not_followed_by",
              "window", "note")
TOP_KEYS = ("phrases", "names", "people", "characters", "ambiguous", "surnames", "rules")
RULE_KEYS = ("char", "forms", "keep", "claims", "note")
MAX_WORD = 6
"""The longest rule word: rules are about words, not sentences."""
Section = Literal["phrases", "names", "people"]
KEEP_MODES: dict[str, Mode] = {"characters": "characters", "phrasing": "phrasing"}
BUILTIN_PATH = "pipeline/editions/data/opencc_fixes.yaml"


@dataclass(frozen=True, slots=True)
class Entry:
    """One dictionary entry: where it matches and what it turns into.

    ``mode`` is ``fixed`` (write ``target``), ``characters`` (convert without
    regional phrasing), ``phrasing`` (convert with the edition's config, as a
    unit) or ``person`` (follow the edition's name policy).
    """

    source: str
    mode: Mode
    target: str | None = None
    targets: tuple[tuple[str, str], ...] = ()
    preceded_by: tuple[str, ...] = ()
    not_preceded_by: tuple[str, ...] = ()
    followed_by: tuple[str, ...] = ()
    not_followed_by: tuple[str, ...] = ()
    window: int = 0
    origin: str = ""
    note: str = ""
    section: Section = "phrases"
    """Where the entry was listed: ``phrases``, or ``names``/``people`` (proper names, always protected)."""

    def target_for(self, edition: str, config: str) -> str | None:
        """The fixed target for an edition (by name, then OpenCC config), or None if not fixed.

        >>> Entry("台", "fixed", "臺", (("zh-HK", "台"),)).target_for("zh-HK", "s2hk")
        '台'
        """
        for key in (edition, config):
            for name, text in self.targets:
                if name == key:
                    return text
        return self.target

    def applies_at(self, text: str, start: int) -> bool:
        """Whether the entry matches ``text`` at ``start`` with its context conditions.

        >>> Entry("干部", "fixed", "幹部", not_preceded_by=("晒",)).applies_at("晒干部分", 1)
        False
        """
        end = start + len(self.source)
        if text[start:end] != self.source:
            return False
        before = text[:start]
        if self.preceded_by and not any(before.endswith(p) for p in self.preceded_by):
            return False
        if any(before.endswith(p) for p in self.not_preceded_by):
            return False
        ahead = _clause_ahead(text, end, self.window)
        if self.followed_by and not any(_found_ahead(ahead, f, self.window) for f in self.followed_by):
            return False
        return not any(_found_ahead(ahead, f, self.window) for f in self.not_followed_by)


def _clause_ahead(text: str, end: int, window: int) -> str:
    """The text after ``end`` up to the next punctuation mark (a clause), long enough for the window."""
    out = []
    for char in text[end:]:
        if unicodedata.category(char)[0] in "PZ" or char == "\n":
            break
        out.append(char)
        if len(out) > window + 8:
            break
    return "".join(out)


def _found_ahead(ahead: str, needle: str, window: int) -> bool:
    index = ahead.find(needle)
    return index != -1 and index <= window


@dataclass(frozen=True, slots=True)
class Rule:
    """One character with more than one Traditional form, decided by the word it sits in.

    ``forms`` maps a form to the words (simplified, containing ``char``) where
    the character takes it; ``keep`` lists words where OpenCC's own choice
    stands; ``claims`` lists words without ``char`` that claim a neighbouring
    character (时刻 claims the 刻 of 刻制 in 时刻制定).
    """

    char: str
    forms: tuple[tuple[str, tuple[str, ...]], ...]
    keep: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    origin: str = ""
    note: str = ""

    def words(self) -> dict[str, str | None]:
        """Every word of the rule's vocabulary with its form (None: OpenCC decides).

        >>> Rule("干", (("幹", ("干部",)),), keep=("若干",)).words()
        {'干部': '幹', '若干': None}
        """
        table: dict[str, str | None] = {}
        for form, words in self.forms:
            for word in words:
                table[word] = form
        for word in self.keep:
            table[word] = None
        return table


@dataclass(frozen=True, slots=True)
class Phrases:
    """A phrase dictionary: entries, per-config character fixes and the one-to-many table."""

    entries: tuple[Entry, ...] = ()
    characters: tuple[tuple[str, str, str], ...] = ()
    """(OpenCC config, character, replacement) applied to that config's output."""
    ambiguous: tuple[tuple[str, str], ...] = ()
    """(simplified character, its Traditional candidates) for the report."""
    warnings: tuple[str, ...] = ()
    surnames: tuple[tuple[str, str], ...] = ()
    """(simplified surname, its Traditional form): 余 stays 余 in 余华, not 餘."""
    rules: tuple[Rule, ...] = ()
    """Character rules; a publication's rule for a character replaces the built-in one."""

    def merged(self, other: Phrases) -> Phrases:
        """These phrases overridden by ``other``: its entries replace ours for the same ``from``.

        >>> a = Phrases((Entry("程序", "characters"), Entry("优化", "characters")))
        >>> b = Phrases((Entry("程序", "phrasing"),))
        >>> [(e.source, e.mode) for e in a.merged(b).entries]
        [('优化', 'characters'), ('程序', 'phrasing')]
        """
        replaced = {e.source for e in other.entries}
        entries = tuple(e for e in self.entries if e.source not in replaced) + other.entries
        overridden = {(c, s) for c, s, _ in other.characters}
        characters = tuple(x for x in self.characters if (x[0], x[1]) not in overridden) + other.characters
        table = dict(self.ambiguous)
        table.update(other.ambiguous)
        surnames = dict(self.surnames)
        surnames.update(other.surnames)
        ruled = {r.char for r in other.rules}
        rules = tuple(r for r in self.rules if r.char not in ruled) + other.rules
        return Phrases(entries, characters, tuple(table.items()), self.warnings + other.warnings,
                       tuple(surnames.items()), rules)


def load_phrases(text: str, path: str) -> Phrases:
    """Parse and validate a phrase file; every problem is reported at once with file:line: key.

    >>> p = load_phrases("phrases:\\n  - {from: 刻制, to: 刻製}\\n", "p.yaml")
    >>> p.entries[0].target, p.entries[0].origin
    ('刻製', 'p.yaml:2')
    """
    doc = YamlDoc.parse(text, path)
    return _read(doc)


@functools.cache
def builtin_phrases() -> Phrases:
    """The dictionary of known OpenCC errors that ships with the package (read once)."""
    text = resources.files("pipeline.editions.data").joinpath("opencc_fixes.yaml").read_text(encoding="utf-8")
    return load_phrases(text, BUILTIN_PATH)


class _Reader(Problems):
    """The phrase file's problem collector, with checks for texts."""

    def text(self, value: Any, key: KeyPath, what: str = "a text") -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"expected {what}, got {_show(value)}")
            return None
        if any(c.isspace() for c in value):
            self.error(key, f"{value!r} contains whitespace",
                       "phrases match text without spaces or line breaks")
            return None
        return value

    def texts(self, value: Any, key: KeyPath) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            self.error(key, f"expected a text or a list of texts, got {_show(value)}")
            return ()
        out = []
        for index, item in enumerate(items):
            checked = self.text(item, (*key, index) if not isinstance(value, str) else key)
            if checked is not None:
                out.append(checked)
        return tuple(out)


def _read(doc: YamlDoc) -> Phrases:
    reader = _Reader(doc)
    data = doc.data
    if data is None:
        return Phrases()
    if not isinstance(data, dict):
        expected = f"expected a mapping with {', '.join(TOP_KEYS)}, got {_show(data)}"
        raise ConfigErrors([doc.error((), expected)])
    reader.unknown_keys(data, TOP_KEYS, ())
    entries: list[Entry] = []
    seen: dict[tuple[Any, ...], int] = {}
    raw = data.get("phrases", [])
    if not isinstance(raw, list):
        reader.error(("phrases",), f"expected a list of entries, got {_show(raw)}")
        raw = []
    for index, item in enumerate(raw):
        entry = _read_entry(reader, item, ("phrases", index))
        if entry is not None:
            _add(reader, entries, seen, entry, ("phrases", index))
    for section, mode in (("names", "characters"), ("people", "person")):
        value = data.get(section, [])
        if not isinstance(value, list):
            reader.error((section,), f"expected a list of names, got {_show(value)}")
            continue
        for index, item in enumerate(value):
            key = (section, index)
            name = reader.text(item, key, "a name")
            if name is not None:
                origin = f"{doc.path}:{doc.line(key)}"
                entry = Entry(name, mode, origin=origin, section=section)  # type: ignore[arg-type]
                _add(reader, entries, seen, entry, key)
    characters = _read_characters(reader, data.get("characters", {}))
    ambiguous = _read_ambiguous(reader, data.get("ambiguous", {}))
    surnames = _read_surnames(reader, data.get("surnames", {}))
    rules = _read_rules(reader, data.get("rules", []))
    reader.raise_any()
    return Phrases(tuple(entries), characters, ambiguous, tuple(reader.warnings), surnames, rules)


def _add(reader: _Reader, entries: list[Entry], seen: dict[tuple[Any, ...], int], entry: Entry,
         key: KeyPath) -> None:
    identity = (entry.source, entry.preceded_by, entry.not_preceded_by, entry.followed_by,
                entry.not_followed_by, entry.window)
    if identity in seen:
        reader.error(key, f"{entry.source!r} is already listed (line {seen[identity]})",
                     "remove one of the two entries")
        return
    seen[identity] = reader.doc.line(key) or 0
    entries.append(entry)


def _read_entry(reader: _Reader, item: Any, key: KeyPath) -> Entry | None:
    if not isinstance(item, dict):
        reader.error(key, f"expected a mapping with 'from' and 'to' or 'keep', got {_show(item)}")
        return None
    reader.unknown_keys(item, ENTRY_KEYS, key)
    if "from" not in item:
        reader.error(key, "an entry needs 'from'")
        return None
    source = reader.text(item["from"], (*key, "from"))
    ok = source is not None
    target: str | None = None
    targets: list[tuple[str, str]] = []
    mode: Mode = "fixed"
    if ("to" in item) == ("keep" in item):
        reader.error(key, "an entry needs exactly one of 'to' and 'keep'",
                     "'to' writes a fixed form; 'keep: characters' or 'keep: phrasing' leaves it to OpenCC")
        ok = False
    elif "keep" in item:
        keep = item["keep"]
        if keep not in KEEP_MODES:
            reader.error((*key, "keep"), f"expected one of {', '.join(KEEP_MODES)}, got {_show(keep)}",
                         suggest(str(keep), KEEP_MODES))
            ok = False
        else:
            mode = KEEP_MODES[keep]
    else:
        value = item["to"]
        if isinstance(value, dict):
            for name, text in value.items():
                checked = reader.text(text, (*key, "to", str(name)))
                if checked is None:
                    ok = False
                elif name == "default":
                    target = checked
                else:
                    targets.append((str(name), checked))
            if target is None and not targets:
                reader.error((*key, "to"), "expected at least one target")
                ok = False
        else:
            target = reader.text(value, (*key, "to"))
            ok = ok and target is not None
    contexts: dict[str, tuple[str, ...]] = {}
    for name in ("preceded_by", "not_preceded_by", "followed_by", "not_followed_by"):
        if name in item:
            contexts[name] = reader.texts(item[name], (*key, name))
    window = item.get("window", 0)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 20:
        reader.error((*key, "window"), f"expected a whole number 0–20, got {_show(window)}")
        ok = False
    elif window and not (contexts.get("followed_by") or contexts.get("not_followed_by")):
        reader.error((*key, "window"), "'window' needs 'followed_by' or 'not_followed_by'")
        ok = False
    note = item.get("note", "")
    if not isinstance(note, str):
        reader.error((*key, "note"), f"expected a text, got {_show(note)}")
        ok = False
    if not ok or source is None:
        return None
    origin = f"{reader.doc.path}:{reader.doc.line(key)}"
    return Entry(source, mode, target, tuple(targets), contexts.get("preceded_by", ()),
                 contexts.get("not_preceded_by", ()), contexts.get("followed_by", ()),
                 contexts.get("not_followed_by", ()), window, origin, note)


def _read_characters(reader: _Reader, value: Any) -> tuple[tuple[str, str, str], ...]:
    if not isinstance(value, dict):
        reader.error(("characters",),
                     f"expected a mapping from OpenCC config to replacements, got {_show(value)}")
        return ()
    out: list[tuple[str, str, str]] = []
    for config, table in value.items():
        key: KeyPath = ("characters", str(config))
        if not isinstance(table, dict):
            reader.error(key, f"expected a mapping of single characters, got {_show(table)}")
            continue
        for char, replacement in table.items():
            single = isinstance(char, str) and isinstance(replacement, str)
            if not (single and len(char) == 1 == len(replacement)):
                reader.error((*key, str(char)),
                             f"expected one character to one character, got {_show(replacement)}")
                continue
            out.append((str(config).removesuffix(".json"), char, replacement))
    return tuple(out)


def _read_ambiguous(reader: _Reader, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        reader.error(("ambiguous",), f"expected a mapping from character to candidates, got {_show(value)}")
        return ()
    out: list[tuple[str, str]] = []
    for char, candidates in value.items():
        one = isinstance(char, str) and len(char) == 1
        if not (one and isinstance(candidates, str) and len(candidates) >= 2):
            reader.error(("ambiguous", str(char)),
                         f"expected one character and at least two candidates, got {_show(candidates)}")
            continue
        out.append((char, candidates))
    return tuple(out)


def _read_surnames(reader: _Reader, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        reader.error(("surnames",), f"expected a mapping from surname to its form in names, got {_show(value)}")
        return ()
    out: list[tuple[str, str]] = []
    for char, form in value.items():
        if not (isinstance(char, str) and isinstance(form, str) and len(char) == 1 == len(form)):
            reader.error(("surnames", str(char)), f"expected one character to one character, got {_show(form)}")
            continue
        out.append((char, form))
    return tuple(out)


def _read_rules(reader: _Reader, value: Any) -> tuple[Rule, ...]:
    if not isinstance(value, list):
        reader.error(("rules",), f"expected a list of rules, got {_show(value)}")
        return ()
    out: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        key: KeyPath = ("rules", index)
        if not isinstance(item, dict):
            reader.error(key, f"expected a mapping with 'char' and 'forms', got {_show(item)}")
            continue
        reader.unknown_keys(item, RULE_KEYS, key)
        char = item.get("char")
        if not (isinstance(char, str) and len(char) == 1):
            reader.error((*key, "char"), f"expected one character, got {_show(char)}")
            continue
        if char in seen:
            reader.error((*key, "char"), f"a rule for {char!r} is already listed", "merge the two rules")
            continue
        seen.add(char)
        forms_raw = item.get("forms")
        if not isinstance(forms_raw, dict) or not forms_raw:
            reader.error((*key, "forms"), f"expected a mapping from form to words, got {_show(forms_raw)}")
            continue
        forms: list[tuple[str, tuple[str, ...]]] = []
        vocabulary: dict[str, str] = {}
        ok = True
        for form, words_raw in forms_raw.items():
            if not (isinstance(form, str) and len(form) == 1):
                reader.error((*key, "forms", str(form)), f"expected one character as the form, got {_show(form)}")
                ok = False
                continue
            words = _rule_words(reader, words_raw, (*key, "forms", form), char, True, vocabulary)
            forms.append((form, words))
        keep = _rule_words(reader, item.get("keep", []), (*key, "keep"), char, True, vocabulary)
        claims = _rule_words(reader, item.get("claims", []), (*key, "claims"), char, False, vocabulary)
        note = item.get("note", "")
        if not isinstance(note, str):
            reader.error((*key, "note"), f"expected a text, got {_show(note)}")
            ok = False
        if ok:
            out.append(Rule(char, tuple(forms), keep, claims, f"{reader.doc.path}:{reader.doc.line(key)}", note))
    return tuple(out)


def _rule_words(reader: _Reader, value: Any, key: KeyPath, char: str, contains: bool,
                vocabulary: dict[str, str]) -> tuple[str, ...]:
    """A rule's word list: words of 2 to MAX_WORD characters, with (or, for claims, without) ``char``."""
    if value == []:
        return ()
    words = reader.texts(value, key)
    out = []
    for index, word in enumerate(words):
        where = (*key, index)
        if not 2 <= len(word) <= MAX_WORD:
            reader.error(where, f"{word!r}: a rule word has 2 to {MAX_WORD} characters",
                         "rules are about words; put a sentence in a test case")
        elif (char in word) != contains:
            what = "contain" if contains else "not contain"
            reader.error(where, f"{word!r} must {what} {char!r}")
        elif word in vocabulary:
            reader.error(where, f"{word!r} is already listed under {vocabulary[word]}")
        else:
            vocabulary[word] = ".".join(str(k) for k in key[2:])
            out.append(word)
    return tuple(out)


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return type(value).__name__ if not value else ("a mapping" if isinstance(value, dict) else "a list")
    return repr(value)
