"""Split a build's pages × editions into n deterministic shards, and record which shard a folder holds.

A job belongs to shard ``i`` of ``n`` (1-based) when the sha256 of ``edition/page``
is ``i - 1`` modulo ``n``: the same job lands in the same shard whatever the
order of the pages in the config, and adding a page moves no other job.

Page numbers depend on how many printed pages the earlier pages took, which a
shard cannot know for the pages it does not build.  A shard therefore renders
only the first numbering round of an unsharded build (the numbers the cache
knows, else one printed page each) and stops; ``broadsheet merge`` gathers the
shards' artifacts and cache entries into one folder and finishes the build
there, so the later rounds re-render exactly the pages an unsharded build
would re-render, from the same starting point, and the result is the same
bytes.  When every page keeps its numbers (the usual case) merge renders
nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigError

SHARD_RECORD = "shard.json"
"""The file in a shard's output folder naming the shard and the editions it built."""

Shard = tuple[int, int]


def parse_shard(text: str) -> Shard:
    """``"2/4"`` as ``(2, 4)``; a one-line error for anything else.

    >>> parse_shard("2/4")
    (2, 4)
    """
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match is None:
        raise ConfigError(f"--shard: expected i/n such as 1/4, got {text!r}")
    index, count = int(match[1]), int(match[2])
    if not 1 <= index <= count:
        raise ConfigError(f"--shard: {text!r} is not one of 1/{count} … {count}/{count}" if count
                          else f"--shard: {text!r} has no shards")
    return index, count


def in_shard(edition: str, page: str, shard: Shard | None) -> bool:
    """Whether the page × edition is built by ``shard`` (every job is, without one).

    >>> [in_shard("zh-TW", "hongdong", (i, 3)) for i in (1, 2, 3)].count(True)
    1
    """
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha256(f"{edition}/{page}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def write_shard_record(output: Path, shard: Shard, editions: Sequence[str]) -> None:
    """``<output>/shard.json``: which shard of how many this folder holds, for ``broadsheet merge``."""
    from .atomic import atomic_write_text

    record = {"shard": list(shard), "editions": list(editions)}
    atomic_write_text(output / SHARD_RECORD, json.dumps(record, indent=1) + "\n")


def read_shard_record(folder: Path) -> tuple[Shard, list[str]]:
    """The shard and editions a shard's output folder holds; a one-line error if it is not one."""
    path = folder / SHARD_RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        index, count = (int(n) for n in record["shard"])
        editions = [str(e) for e in record["editions"]]
    except FileNotFoundError:
        raise ConfigError("not the output of a sharded build (no shard.json)", str(folder),
                          hint="build it with 'broadsheet build --shard i/n --output DIR'") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise ConfigError("unreadable shard record", str(path)) from None
    return (index, count), editions
