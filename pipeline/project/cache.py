"""Fingerprint each page × edition and remember what its last render produced (``output/.cache/``).

A job's key is the sha256 of all it depends on: the page text and sidecar (and the photos it names), the
edition and config, phrases, templates, styles, font files, the package's code
and library versions, and its page numbers.  ``output/.cache/<edition>/<page>.json``
remembers the key and the artifacts it made; a job whose key and files are
unchanged is not run.  Nothing here imports WeasyPrint, OpenCC or Jinja2, so a
build with nothing to do stays light.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path

from ..editions import Edition
from ..engine.paginate import Numbering
from .config import Config, packaged_dir
from .images import image_hash
from .manifest import PageResult

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CACHE_DIR = ".cache"
FONTS_FOLDER = "_fonts"
"""``.cache/_fonts``: the issue merge's font subsets (``fontshare.FontMemo``); ``_`` cannot begin an
edition's name, so it never meets an edition's ``.cache/<edition>/``."""
SIZES_FOLDER = "_images"
"""``.cache/_images``: the size of each photo decoded once, by its content's sha256 (``images.load_photos``)."""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path) -> str:
    """The file's sha256, remembered while its size and modification time stay the same."""
    stat = path.stat()
    return _file_sha_at(path, stat.st_size, stat.st_mtime_ns)


@cache
def _file_sha_at(path: Path, size: int, mtime_ns: int) -> str:
    return sha(path.read_bytes())


def _folder_sha(folders: Sequence[Path | None]) -> str:
    """One hash over the files of the given folders, in order (earlier folders override later ones)."""
    digest = hashlib.sha256()
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + file_sha(path).encode() + b"\n")
        digest.update(b"--\n")
    return digest.hexdigest()


@cache
def code_sha() -> str:
    """The package's own code and data, and the versions of the libraries that shape the output."""
    digest = hashlib.sha256(_folder_sha([PACKAGE_DIR]).encode())
    for name in ("weasyprint", "pydyf", "opencc", "jinja2", "fonttools"):
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\n".encode())
    return digest.hexdigest()


@cache
def _fonts_sha(edition: Edition) -> str:
    """The font files that set the edition: path and size (fonts are large; a new version changes size)."""
    from ..engine.fonts import font_file

    digest = hashlib.sha256()
    for family in (edition.serif, edition.sans, edition.kai):
        for weight in (400, 700, 900):
            path = Path(font_file(family, weight))
            digest.update(f"{family}:{weight}:{path}:{path.stat().st_size}\n".encode())
    return digest.hexdigest()


def template_shas(config: Config) -> dict[str, str]:
    """The hashes of the publication's ``layouts`` and ``styles``, each over the packaged folder it overrides."""
    return {"layouts": _folder_sha([config.layouts, packaged_dir("layouts")]),
            "styles": _folder_sha([config.styles, packaged_dir("styles")])}


def job_inputs(config: Config, edition: Edition, index: int,
               templates: Mapping[str, str] | None = None) -> dict[str, str]:
    """The hashes of every input of one page × edition, as the manifest lists them.

    ``templates`` is ``template_shas(config)`` when the caller has it: a build walks and hashes
    the two folders once, not once for each of its pages × editions.
    """
    templates = templates if templates is not None else template_shas(config)
    page_source = config.pages[index]
    settings = {"publication": repr(config.publication), "paper": repr(config.paper), "edition": repr(edition),
                "pdf": repr(config.pdf_variant)}
    if page_source.section is not None:  # only when set: the keys of pages without one stay as they were
        settings["section"] = page_source.section
    inputs = {
        "source": file_sha(page_source.source),
        "settings": sha(json.dumps(settings, sort_keys=True).encode()),
        "layouts": templates["layouts"],
        "styles": templates["styles"],
        "fonts": _fonts_sha(edition),
        "code": code_sha(),
    }
    if page_source.sidecar is not None:
        inputs["sidecar"] = file_sha(page_source.sidecar)
        names = _sidecar_images(page_source.sidecar, config.root)
        if names:  # the photos it names: a changed photo renders the page again
            inputs["images"] = image_hash(names, config.root)
    if (profile := _output_profile(config)) is not None:  # PDF/X embeds it: a new profile renders again
        inputs["output_profile"] = file_sha(profile)
    if config.phrases is not None and edition.opencc:
        inputs["phrases"] = file_sha(config.phrases)
    return inputs


def _output_profile(config: Config) -> Path | None:
    from ..engine.press import ProfileError, is_pdfx, output_profile

    if not is_pdfx(config.pdf_variant):
        return None
    try:
        return output_profile(config.output_profile)
    except ProfileError:
        return None  # the build stops on it before any job runs


def _sidecar_images(sidecar: Path, root: Path) -> list[str]:
    """The image files a sidecar names (none when it cannot be read: the render reports that)."""
    from .sidecar import named_images

    try:
        return named_images(sidecar.read_text(encoding="utf-8"), str(sidecar))
    except (OSError, UnicodeDecodeError):
        return []


def job_key(inputs: dict[str, str], numbering: Numbering) -> str:
    """The job's cache key: its inputs and its page numbers (previews are made from the PDF, apart)."""
    keyed = {**inputs, "numbering": f"{numbering.first}/{numbering.total}"}
    return sha(json.dumps(keyed, sort_keys=True).encode())


def any_total_key(inputs: dict[str, str], numbering: Numbering) -> str:
    """The job's key with the edition's page total left out (``PageResult.any_total_key``)."""
    return job_key(inputs, Numbering(numbering.first, 0))


def cache_path(config: Config, edition: str, page: str) -> Path:
    return config.output / CACHE_DIR / edition / f"{page}.json"


def load_cache(config: Config, edition: Edition, page: str) -> PageResult | None:
    path = cache_path(config, edition.name, page)
    try:
        return PageResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_cache(config: Config, result: PageResult) -> None:
    from .atomic import atomic_write_text

    path = cache_path(config, result.edition, result.page)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(result.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def artifacts_intact(config: Config, result: PageResult) -> bool:
    """Every file the cache entry names is there with its recorded size and hash."""
    for artifact in result.artifacts:
        path = config.output / artifact.path
        try:
            if path.stat().st_size != artifact.size or sha(path.read_bytes()) != artifact.sha256:
                return False
        except OSError:
            return False
    return True


def preview_record(config: Config, edition: str, page: str) -> Path:
    """Where the cache remembers a page's previews and the PDF they were made from."""
    return config.output / CACHE_DIR / edition / f"{page}.previews.json"
