"""List what a build wrote: every artifact with its sha256, size, page count and input hashes.

``output/manifest.json`` is written last, atomically, so it only ever names
complete files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import Config

MANIFEST_NAME = "manifest.json"


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
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Wall and CPU seconds per stage of the render (``-v``); not remembered by the cache."""
    any_total_key: str = ""
    """The key with the edition's page total left out, when the layout never read the total
    (``paginate``'s ``read_total``): then this render holds under any total.  Empty otherwise."""

    def to_dict(self) -> dict[str, Any]:
        data = {"edition": self.edition, "page": self.page, "key": self.key, "pages": self.pages,
                "artifacts": [a.to_dict() for a in self.artifacts],
                "warnings": self.warnings, "problems": self.problems,
                "content_key": self.content_key, "breaks": [list(b) for b in self.breaks], "solo": self.solo}
        if self.any_total_key:
            data["any_total_key"] = self.any_total_key
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageResult:
        return cls(edition=data["edition"], page=data["page"], key=data["key"], pages=data["pages"],
                   artifacts=[Artifact.from_dict(a) for a in data["artifacts"]],
                   warnings=list(data.get("warnings", [])), problems=list(data.get("problems", [])),
                   rendered=False, content_key=data.get("content_key", ""),
                   breaks=[(int(a), int(p), int(o)) for a, p, o in data.get("breaks", [])],
                   solo=[int(i) for i in data.get("solo", [])], any_total_key=str(data.get("any_total_key", "")))


@dataclass
class BuildResult:
    """The whole build: artifacts, what was rendered and why, warnings and preflight problems."""

    artifacts: list[Artifact] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    """Why each rendered page × edition was rendered, e.g. ``zh-TW/p1: changed: source`` (``-v``)."""
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Wall and CPU seconds per stage, summed over every render of the build (``-v``)."""


def write_manifest(config: Config, result: BuildResult, built: Sequence[str] | None = None) -> None:
    """``output/manifest.json``: every artifact with its hashes and inputs, sorted, written atomically.

    ``built`` names the editions this build made; the previous manifest's entries for the other
    editions are kept while their files are still there, unchanged (``build --edition zh-TW``
    does not forget zh-Hans).
    """
    from .atomic import atomic_write_text

    path = config.output / MANIFEST_NAME
    artifacts = [a.to_dict() for a in result.artifacts]
    if built is not None:
        artifacts.extend(_kept_artifacts(config, set(built)))
    artifacts.sort(key=lambda a: a["path"])
    manifest = {"publication": config.publication.name,
                "date": config.publication.date.isoformat() if config.publication.date else None,
                "generator": f"broadsheet {_version()}",
                "artifacts": artifacts}
    atomic_write_text(path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def withdraw_editions(config: Config, editions: Sequence[str]) -> None:
    """Take ``editions``' entries out of the manifest before a build replaces their files.

    The full manifest written at the end puts them back; a build that fails in between leaves
    a manifest that names fewer files, never a file with a hash it no longer has.
    """
    from .atomic import atomic_write_text

    path = config.output / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        artifacts = manifest["artifacts"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    gone = set(editions)
    kept = [a for a in artifacts if a.get("edition") not in gone]
    if len(kept) != len(artifacts):
        manifest["artifacts"] = kept
        atomic_write_text(path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def _kept_artifacts(config: Config, built: set[str]) -> list[dict[str, Any]]:
    """The previous manifest's artifacts of editions not built now, whose files are intact."""
    try:
        previous = json.loads((config.output / MANIFEST_NAME).read_text(encoding="utf-8"))
        entries = [Artifact.from_dict(a) for a in previous["artifacts"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    names = {e.name for e in config.editions}
    kept = []
    for entry in entries:
        if entry.edition in built or entry.edition not in names:
            continue
        try:
            data = (config.output / entry.path).read_bytes()
        except OSError:
            continue
        if len(data) == entry.size and hashlib.sha256(data).hexdigest() == entry.sha256:
            kept.append(entry.to_dict())
    return kept


def _version() -> str:
    from .. import __version__

    return __version__
