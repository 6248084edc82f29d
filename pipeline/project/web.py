"""Write the web edition into a build: ``output/web/<edition>/<page>.html`` from the converted page JSON.

The build has already written ``output/<edition>/<page>.json`` (the page in the edition's
script and quotes), so the web edition needs no conversion of the page, only the
masthead's name.  Each web page has a key (its page JSON, the switch's editions, the
templates, styles, settings and code); ``output/.cache/web/<edition>/<page>.json``
remembers it, so a build with nothing to do imports no Jinja2 or OpenCC here either.
The photos a page's sidecar names are copied beside it (``output/web/<edition>/images/``,
named by content as for print), so ``output/web/`` can be published on its own.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..editions import Edition
from ..errors import SourceError
from ..typeset.photos import Picture
from .cache import CACHE_DIR, SIZES_FOLDER, code_sha, file_sha, sha, template_shas
from .config import Config, packaged_dir
from .images import IMAGE_FOLDER, Photo, load_photos, sweep_copies
from .manifest import Artifact

WEB_DIR = "web"
"""The web edition lives in ``output/web/<edition>/``."""

WEB_KIND = "web"
"""The manifest's kind for a web page."""


def web_path(config: Config, edition: str, page: str) -> Path:
    """Where the web page of ``page`` in ``edition`` is written."""
    return config.output / WEB_DIR / edition / f"{page}.html"


def _style_names(edition: Edition) -> list[str]:
    return ["web.css", "typography.css", f"{edition.name}.css"]


def _web_key(config: Config, edition: Edition, page_json: Path, links: Sequence[str],
             photos: dict[str, Photo], templates: Mapping[str, str]) -> str:
    parts = {
        "page": file_sha(page_json),
        "photos": ",".join(f"{name}={photo.picture.url}" for name, photo in sorted(photos.items())),
        "edition": repr(edition),
        "publication": repr(config.publication),
        "links": ",".join(links),
        "layouts": templates["layouts"],
        "styles": templates["styles"],
        "code": code_sha(),
    }
    return sha(json.dumps(parts, sort_keys=True).encode())


def write_web_edition(config: Config, editions: Sequence[Edition],
                      progress: Callable[[str], None] | None = None) -> list[Artifact]:
    """The web pages of every configured page in ``editions``, written where out of date; their artifacts.

    ``progress`` hears ``wrote <path>`` of each page written (as of the build's other artifacts).

    The 简/繁 switch links each page to its copies in the other configured editions that are
    built now or were built before (their page JSON is there).
    """
    from .build import read_sidecar  # imported late: build imports this module

    built = {e.name for e in editions}
    templates = template_shas(config)  # once for all pages
    artifacts: list[Artifact] = []
    for index, page_source in enumerate(config.pages):
        name = page_source.name
        present = [e for e in config.editions
                   if e.name in built or (config.output / e.name / f"{name}.json").is_file()]
        photos: dict[str, Photo] | None = None
        for edition in editions:
            page_json = config.output / edition.name / f"{name}.json"
            if not page_json.is_file():
                continue
            if photos is None:  # read once per page, as the print build read them
                photos = load_photos(read_sidecar(config, index), config.root, config.output / CACHE_DIR / SIZES_FOLDER)
            page_artifacts, written = _write_web_page(config, edition, name, page_json, present, photos, templates)
            artifacts.extend(page_artifacts)
            if progress is not None:
                for artifact in written:
                    progress(f"wrote {artifact.path}")
    for edition in editions:  # photos no web page of the edition shows any more go
        sweep_copies(config.output / WEB_DIR / edition.name / IMAGE_FOLDER,
                     [config.output / a.path for a in artifacts if a.kind == "image" and a.edition == edition.name])
    return artifacts


def _write_web_page(config: Config, edition: Edition, name: str, page_json: Path, present: Sequence[Edition],
                    photos: dict[str, Photo], templates: Mapping[str, str]) -> tuple[list[Artifact], list[Artifact]]:
    """The web page's artifacts (the page, then its photo copies), and those written now."""
    from .atomic import atomic_write_bytes, atomic_write_text

    folder = config.output / WEB_DIR / edition.name
    copies: list[Artifact] = []
    written: list[Artifact] = []
    for url, data in sorted({photo.picture.url: photo.data for photo in photos.values()}.items()):
        copy = folder / url
        artifact = Artifact(edition=edition.name, page=name, kind="image", path=str(copy.relative_to(config.output)),
                            sha256=sha(data), size=len(data), inputs={})
        copies.append(artifact)
        if not (copy.is_file() and not copy.is_symlink() and sha(copy.read_bytes()) == artifact.sha256):
            copy.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(copy, data)
            written.append(artifact)
    links = [e.name for e in present]
    key = _web_key(config, edition, page_json, links, photos, templates)
    path = web_path(config, edition.name, name)
    record = config.output / CACHE_DIR / WEB_DIR / edition.name / f"{name}.json"
    try:
        cached = Artifact.from_dict(json.loads(record.read_text(encoding="utf-8")))
        if cached.inputs.get("key") == key and path.is_file() and sha(path.read_bytes()) == cached.sha256:
            return [cached, *copies], written
    except (OSError, ValueError, KeyError, TypeError):
        pass
    pictures = {photo_name: photo.picture for photo_name, photo in photos.items()}
    html = render_web_html(config, edition, name, page_json, present, pictures)
    data = html.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, data)
    artifact = Artifact(edition=edition.name, page=name, kind=WEB_KIND, path=str(path.relative_to(config.output)),
                        sha256=sha(data), size=len(data), inputs={"key": key, "page": file_sha(page_json)})
    record.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(record, json.dumps(artifact.to_dict(), indent=1, sort_keys=True) + "\n")
    return [artifact, *copies], [artifact, *written]


def render_web_html(config: Config, edition: Edition, name: str, page_json: Path,
                    present: Sequence[Edition], pictures: dict[str, Picture] | None = None) -> str:
    """The web page's HTML from the build's page JSON, with the publication's layouts and styles."""
    from ..editions.convert import convert_plain
    from ..model import Page
    from ..typeset.html import make_environment
    from ..typeset.web import EditionLink, render_web_page
    from .build import converter_for, find_style  # imported late: build imports this module

    try:
        page = Page.from_dict(json.loads(page_json.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"cannot read the built page: {exc}", str(page_json.relative_to(config.output))) from None
    layout_dirs = [d for d in (config.layouts, packaged_dir("layouts")) if d is not None]
    style_dirs = [d for d in (config.styles, packaged_dir("styles")) if d is not None]
    styles = [found.read_text(encoding="utf-8")
              for found in (find_style(style_dirs, style) for style in _style_names(edition)) if found is not None]
    publication = config.publication
    if edition.opencc:
        converted = convert_plain(publication.name, converter_for(config, edition))
        publication = dataclasses.replace(publication, name=converted)
    links = [EditionLink(e, f"../{e.name}/{name}.html", current=e.name == edition.name) for e in present]
    return render_web_page(page, edition, links, make_environment(layout_dirs), publication, styles, pictures)
