"""List what a build wrote: every artifact with its sha256, size, page count and input hashes.

``output/manifest.json`` is written last, atomically, so it only ever names
complete files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .config import Config


@dataclass
class Artifact:
    """One file the build wrote, as listed in the manifest."""

    edition: str
    page: str
    kind: str
    path: str
    sha256: str
    size: int
    pages: int | None = None
    inputs: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"edition": self.edition, "page": self.page, "kind": self.kind,
                                "path": self.path, "sha256": self.sha256, "size": self.size}
        if self.pages is not None:
            data["pages"] = self.pages
        data["inputs"] = dict(sorted(self.inputs.items()))
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Artifact:
        return cls(edition=data["edition"], page=data["page"], kind=data["kind"], path=data["path"],
                   sha256=data["sha256"], size=data["size"], pages=data.get("pages"),
                   inputs=dict(data.get("inputs", {})))


@dataclass
class PageResult:
    """What rendering one page of one edition produced (also what the cache remembers)."""

    edition: str
    page: str
    key: str
    pages: int
    artifacts: list[Artifact]
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rendered: bool = True
    content_key: str = ""
    """The key without the page numbers: the same content lays out the same way."""
    breaks: list[tuple[int, int, int]] = field(default_factory=list)
    solo: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"edition": self.edition, "page": self.page, "key": self.key, "pages": self.pages,
                "artifacts": [a.to_dict() for a in self.artifacts],
                "warnings": self.warnings, "problems": self.problems,
                "content_key": self.content_key, "breaks": [list(b) for b in self.breaks], "solo": self.solo}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageResult:
        return cls(edition=data["edition"], page=data["page"], key=data["key"], pages=data["pages"],
                   artifacts=[Artifact.from_dict(a) for a in data["artifacts"]],
                   warnings=list(data.get("warnings", [])), problems=list(data.get("problems", [])),
                   rendered=False, content_key=data.get("content_key", ""),
                   breaks=[(int(a), int(p), int(o)) for a, p, o in data.get("breaks", [])],
                   solo=[int(i) for i in data.get("solo", [])])


@dataclass
class BuildResult:
    """The whole build: artifacts, what was rendered, warnings and preflight problems."""

    artifacts: list[Artifact] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def write_manifest(config: Config, result: BuildResult) -> None:
    """``output/manifest.json``: every artifact with its hashes and inputs, sorted, written atomically."""
    from .atomic import atomic_write_text

    artifacts = sorted((a.to_dict() for a in result.artifacts), key=lambda a: a["path"])
    manifest = {"publication": config.publication.name,
                "date": config.publication.date.isoformat() if config.publication.date else None,
                "generator": f"broadsheet {_version()}",
                "artifacts": artifacts}
    atomic_write_text(config.output / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def _version() -> str:
    from .. import __version__

    return __version__
