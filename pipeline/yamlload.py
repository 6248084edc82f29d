"""Load YAML into plain data while remembering the source line of every key and item.

Config, phrase dictionaries and page sidecars all report problems as
``file:line: key.path: what is wrong``; this module gives them the lines.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import yaml

from .errors import ConfigError, ConfigErrors

KeyPath = tuple[str | int, ...]


class YamlDoc:
    """Parsed YAML data plus the 1-based line of each key path.

    >>> doc = YamlDoc.parse("a:\\n  b: 1\\n  c: [x, y]\\n", "f.yaml")
    >>> doc.data["a"]["c"], doc.line(("a", "c", 1)), doc.where(("a", "b"))
    (['x', 'y'], 3, 'f.yaml:2')
    """

    def __init__(self, data: Any, lines: dict[KeyPath, int], path: str) -> None:
        self.data = data
        self.lines = lines
        self.path = path

    @classmethod
    def parse(cls, text: str, path: str) -> YamlDoc:
        """Parse ``text``; a syntax error, an alias or too deep a nesting is a ConfigError naming the line.

        Aliases (``*name``) are refused outright: none of our files needs them,
        and they are how a small file expands into a huge or recursive one.
        """
        try:
            node = _compose(text)
        except _Refused as exc:
            raise ConfigError(exc.message, path, exc.line, exc.hint) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ConfigError(f"invalid YAML: {problem}", path, line) from None
        lines: dict[KeyPath, int] = {}
        try:
            data = _construct(node, (), lines) if node is not None else None
        except _Refused as exc:
            raise ConfigError(exc.message, path, exc.line, exc.hint) from None
        return cls(data, lines, path)

    def line(self, key: KeyPath) -> int | None:
        """The line of ``key``, or of its nearest parent that has one."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    def where(self, key: KeyPath) -> str:
        return f"{self.path}:{self.line(key)}"

    def error(self, key: KeyPath, message: str, hint: str | None = None) -> ConfigError:
        """A ConfigError at ``key``: ``file:line: a.b: message``."""
        label = ".".join(plain(str(k)) for k in key)
        text = f"{label}: {message}" if label else message
        return ConfigError(text, self.path, self.line(key), hint)


MAX_DEPTH = 64
"""How deeply YAML collections may nest; ours need four levels, and PyYAML recurses per level."""


class _Refused(Exception):
    """A document we refuse to load, at a 1-based line."""

    def __init__(self, message: str, line: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.hint = message, line, hint


class _Composer(yaml.SafeLoader):
    """PyYAML's safe loader, composing nodes only: no aliases, a bounded depth."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent):
            _refuse(self.peek_event(), self._depth)
        if self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            self._depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)


def _refuse(event: yaml.Event, depth: int) -> None:
    """Raise ``_Refused`` for an alias, or for a collection opening ``depth`` levels deep at ``MAX_DEPTH``."""
    line = event.start_mark.line + 1 if event.start_mark is not None else 1
    if isinstance(event, yaml.AliasEvent):
        raise _Refused("YAML aliases (*name) are not allowed", line, "write the value out in full")
    if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) and depth >= MAX_DEPTH:
        raise _Refused(f"YAML nested deeper than {MAX_DEPTH} levels", line)


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree: libyaml's where PyYAML has it, PyYAML's own parser otherwise.

    libyaml composes some eight times faster (the package's phrase file: 6 against 50 ms of
    CPU, in every build process), but composes aliases and recurses without a bound, so the
    document's events are read first and refused as ``_Composer`` refuses them.  A document
    libyaml cannot read goes to PyYAML's parser, which words the error and its line as before.
    """
    if _LIBYAML is not None:
        try:
            return _compose_with_libyaml(text)
        except yaml.YAMLError:
            pass
    loader = _Composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_LIBYAML = getattr(yaml, "CSafeLoader", None)
"""PyYAML's loader over libyaml (None when PyYAML was built without it)."""


def _compose_with_libyaml(text: str) -> yaml.Node | None:
    """libyaml's node tree, after its events showed no alias and no nesting deeper than MAX_DEPTH."""
    assert _LIBYAML is not None
    scanner = _LIBYAML(text)
    try:
        depth = 0
        while scanner.check_event():
            event = scanner.get_event()
            _refuse(event, depth)
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        scanner.dispose()
    composer = _LIBYAML(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()


def _construct(node: yaml.Node, key: KeyPath, lines: dict[KeyPath, int]) -> Any:
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused("a YAML key must be a plain value, not a list or mapping",
                               key_node.start_mark.line + 1)
            k = _scalar(key_node)
            child = (*key, k)
            out[k] = _construct(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*key, i), lines) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    """The value of a scalar; one YAML cannot construct (a date such as 2023-04-31) stays its text."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        return str(node.value)
    finally:
        loader.dispose()


class Problems:
    """Collects every problem and warning found while reading one YAML document.

    Readers report all problems at once (mkdocs): they call ``error`` and go
    on, and raise ``ConfigErrors`` at the end when there is any.
    """

    def __init__(self, doc: YamlDoc, strict: bool = False) -> None:
        self.doc = doc
        self.strict = strict
        self.errors: list[ConfigError] = []
        self.warnings: list[str] = []

    def error(self, key: KeyPath, message: str, hint: str | None = None) -> None:
        self.errors.append(self.doc.error(key, message, hint))

    def unknown_keys(self, mapping: dict[Any, Any], known: tuple[str, ...], key: KeyPath) -> None:
        """Warn of keys not in ``known`` (errors under ``strict``), suggesting the closest."""
        for name in mapping:
            if name in known:
                continue
            hint = suggest(str(name), known) or f"known keys: {', '.join(known)}"
            problem = self.doc.error((*key, str(name)), "unknown key", hint)
            if self.strict:
                self.errors.append(problem)
            else:
                self.warnings.append(problem.format())

    def raise_any(self) -> None:
        """Raise every error at once, in line order."""
        if self.errors:
            raise ConfigErrors(sorted(self.errors, key=lambda e: e.place if isinstance(e.place, int) else 0))


def plain(text: str) -> str:
    """``text`` as it reads, or its repr when it holds a control character that would break the line.

    >>> plain("source/p.txt"), plain("a\\nb")
    ('source/p.txt', "'a\\\\nb'")
    """
    return text if text.isprintable() else repr(text)


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint for an unknown name, or None.

    A choice differing only in case wins over the closest spelling.

    >>> suggest("colums", ["columns", "size"]), suggest("zh-tw", ["zh-Hant", "zh-TW"])
    ("did you mean 'columns'?", "did you mean 'zh-TW'?")
    """
    choices = list(choices)
    folded = [choice for choice in choices if choice.lower() == name.lower()]
    match = folded or difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None
