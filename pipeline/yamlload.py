"""Load YAML into plain data while remembering the source line of every key and item.

Config, phrase dictionaries and page sidecars all report problems as
``file:line: key.path: what is wrong``; this module gives them the lines.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import yaml

from .errors import ConfigError

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
        """Parse ``text``; a syntax error is a ConfigError naming the line."""
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ConfigError(f"invalid YAML: {problem}", path, line) from None
        lines: dict[KeyPath, int] = {}
        data = _construct(node, (), lines) if node is not None else None
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
        label = ".".join(str(k) for k in key)
        text = f"{label}: {message}" if label else message
        return ConfigError(text, self.path, self.line(key), hint)


def _construct(node: yaml.Node, key: KeyPath, lines: dict[KeyPath, int]) -> Any:
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            k = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            child = (*key, k)
            out[k] = _construct(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*key, i), lines) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint for an unknown name, or None.

    >>> suggest("colums", ["columns", "size"])
    "did you mean 'columns'?"
    """
    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None
