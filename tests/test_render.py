"""The renderer's URL fetcher: files inside the project only, never the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.engine.render import RefusedURL, make_url_fetcher


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "styles").mkdir(parents=True)
    (root / "styles" / "a.css").write_text("p { color: red }", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return root


def test_reads_file_inside_project(project: Path) -> None:
    fetcher = make_url_fetcher([project])
    response = fetcher.fetch((project / "styles" / "a.css").as_uri())
    assert response.read() == b"p { color: red }"
    assert fetcher.refused == []


@pytest.mark.parametrize("url", [
    "http://example.com/a.css",
    "https://127.0.0.1/x.png",
    "ftp://example.com/x",
    "file://remotehost/etc/passwd",
    "data:text/css,p{color:red}",
])
def test_refuses_network_and_other_schemes(project: Path, url: str) -> None:
    fetcher = make_url_fetcher([project])
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_refuses_file_outside_project(project: Path) -> None:
    fetcher = make_url_fetcher([project])
    outside = project.parent / "secret.txt"
    with pytest.raises(RefusedURL, match="outside the project"):
        fetcher.fetch(outside.as_uri())
    with pytest.raises(RefusedURL):
        fetcher.fetch((project / "styles" / ".." / ".." / "secret.txt").as_uri())
    with pytest.raises(RefusedURL):
        fetcher.fetch(Path("/etc/passwd").as_uri())


def test_refuses_symlink_pointing_out(project: Path) -> None:
    link = project / "styles" / "link.txt"
    link.symlink_to(project.parent / "secret.txt")
    fetcher = make_url_fetcher([project])
    with pytest.raises(RefusedURL):
        fetcher.fetch(link.as_uri())
