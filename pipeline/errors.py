"""Name the errors Broadsheet reports, each carrying the file and place it concerns."""

from __future__ import annotations


class BroadsheetError(Exception):
    """Base of every expected error; ``str()`` is the one-line message the CLI prints.

    ``path`` is the file concerned, ``place`` a line (``12``), a byte offset
    (``byte 1042``) or a key path, and ``hint`` what to try next.
    """

    exit_code = 2

    def __init__(self, message: str, path: str | None = None, place: str | int | None = None,
                 hint: str | None = None) -> None:
        self.message = message
        self.path = path
        self.place = place
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        where = ""
        if self.path:
            where = str(self.path)
            if self.place not in (None, ""):
                where += f":{self.place}"
            where += ": "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class ConfigError(BroadsheetError):
    """A problem in ``broadsheet.yaml``, ``phrases.yaml`` or a page sidecar."""


class SourceError(BroadsheetError):
    """A page text that cannot be read or decoded."""


class RenderError(BroadsheetError):
    """Templates, styles, fonts or WeasyPrint failed to make a PDF."""


class OutputError(BroadsheetError):
    """The output folder cannot be written: read-only, full, or not a folder."""


class CheckFailed(BroadsheetError):
    """A preflight check failed (exit code 1)."""

    exit_code = 1


class ConfigErrors(ConfigError):
    """Several configuration problems, reported all at once, one per line."""

    def __init__(self, problems: list[ConfigError]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))

    def format(self) -> str:
        return "\n".join(p.format() for p in self.problems)
