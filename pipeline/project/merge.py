"""Merge the output folders of ``build --shard i/n`` into one build, identical to an unsharded one.

Each shard folder holds its page × edition artifacts and their cache entries
(``.cache/<edition>/<page>.json``, previews included) and a ``shard.json``.
``merge_shards`` checks that the folders are shards 1 … n of one split, copies
every artifact a cache entry names (checked against its sha256, written
atomically) and the cache entries into the output folder, then runs the
ordinary build there: what the shards rendered is up to date and is kept, the
pages whose numbers moved once every page's length is known are rendered again
(as an unsharded build's later rounds would), and the issue PDFs, web edition
and manifest are written as by any build.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigError, OutputError
from .build import ISSUE_NAME, Progress, Runner, build
from .cache import CACHE_DIR, sha
from .config import Config
from .manifest import Artifact, BuildResult, PageResult
from .shard import read_shard_record


def merge_shards(config: Config, folders: Sequence[str | Path], jobs: int | None = None,
                 runner: Runner | None = None, progress: Progress | None = None) -> BuildResult:
    """Gather the shards in ``folders`` into ``config.output`` and finish the build there."""
    shards = [Path(folder) for folder in folders]
    editions = _check_shards(config, shards)
    copied: dict[str, str] = {}
    preview = False
    for folder in shards:
        for edition in editions:
            for page_source in config.pages:
                preview |= _copy_page(config, folder, edition, page_source.name, copied)
    return build(config, editions=editions, jobs=jobs, progress=progress, preview=preview, runner=runner)


def _check_shards(config: Config, folders: Sequence[Path]) -> list[str]:
    """The editions the shards built, once every shard 1 … n of one split is there exactly once."""
    if not folders:
        raise ConfigError("merge: name the shard folders to merge", hint="e.g. broadsheet merge out-1 out-2")
    records = [(folder, read_shard_record(folder)) for folder in folders]
    counts = {count for _, ((_, count), _) in records}
    if len(counts) != 1:
        raise ConfigError(f"merge: the folders come from different splits (of {', '.join(map(str, sorted(counts)))})")
    count = counts.pop()
    seen: dict[int, Path] = {}
    for folder, ((index, _), _) in records:
        if index in seen:
            raise ConfigError(f"merge: shard {index}/{count} is given twice ({seen[index]} and {folder})")
        seen[index] = folder
    missing = [f"{i}/{count}" for i in range(1, count + 1) if i not in seen]
    if missing:
        raise ConfigError(f"merge: shard {', '.join(missing)} is missing", hint="pass every shard's output folder")
    built = {tuple(names) for _, (_, names) in records}
    if len(built) != 1:
        raise ConfigError("merge: the shards built different editions",
                          hint="build every shard with the same --edition")
    names = list(built.pop())
    known = {e.name for e in config.editions}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ConfigError(f"merge: the shards built edition {unknown[0]!r}, which the config does not list",
                          str(config.path))
    return names


def _copy_page(config: Config, folder: Path, edition: str, page: str, copied: dict[str, str]) -> bool:
    """Copy one page × edition of a shard (artifacts, cache entry, previews); whether it had previews."""
    entry = folder / CACHE_DIR / edition / f"{page}.json"
    if page == ISSUE_NAME or not entry.is_file():
        return False
    try:
        result = PageResult.from_dict(json.loads(entry.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        raise OutputError("unreadable cache entry in a shard", str(entry)) from None
    artifacts = list(result.artifacts)
    previews = entry.with_name(f"{page}.previews.json")
    if previews.is_file():
        try:
            artifacts += [Artifact.from_dict(a) for a in json.loads(previews.read_text(encoding="utf-8"))["previews"]]
        except (OSError, ValueError, KeyError, TypeError):
            raise OutputError("unreadable preview record in a shard", str(previews)) from None
    for artifact in artifacts:
        _copy_file(folder, config.output, artifact.path, artifact.sha256, copied)
    for record in (entry, previews):
        if record.is_file():
            name = record.relative_to(folder).as_posix()
            _copy_file(folder, config.output, name, sha(record.read_bytes()), copied)
    return previews.is_file()


def _copy_file(folder: Path, output: Path, name: str, digest: str, copied: dict[str, str]) -> None:
    """Copy ``folder/name`` to ``output/name`` if it has the sha256 ``digest``; two shards may not disagree."""
    from .atomic import atomic_write_bytes

    source, target = folder / name, output / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise OutputError("a shard's cache names a file outside its folder", str(folder / CACHE_DIR), hint=name)
    if copied.get(name, digest) != digest:
        raise OutputError("two shards hold different copies of this file", name,
                          hint="merge the shards of one build, each built once")
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise OutputError(f"a shard's artifact is missing: {exc.strerror}", str(source)) from None
    if sha(data) != digest:
        raise OutputError("a shard's artifact does not match its recorded sha256", str(source),
                          hint="build that shard again")
    copied[name] = digest
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, data)
