"""``broadsheet serve``: 127.0.0.1 only, only files under output/, an index of every page × edition, live reload."""

from __future__ import annotations

import http.client
import io
import re
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.project.serve import EVENTS_PATH, Server, resolve_request
from pipeline.project.watch import BuildOptions, Desk
from tests.support.webpub import EDITIONS, copy_built


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Desk, Server, Path]]:
    root = copy_built(tmp_path_factory, "served")
    (root / "output" / "zh-TW" / "hongdong.review.txt").write_text("审校：无问题\n", encoding="utf-8")
    desk = Desk(BuildOptions(config=root / "broadsheet.yaml", editions=EDITIONS, jobs=1, preview=True))
    rebuild = desk.build()
    assert rebuild.error is None, rebuild.line()  # the copy is up to date: nothing renders (unless the code moved)
    server = Server(desk, port=0).start()
    yield desk, server, root
    server.close()


def _get(server: Server, path: str) -> tuple[int, bytes, str]:
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=30)
    connection.request("GET", path)  # sent as written: no client-side normalisation of ..
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, response.getheader("Content-Type") or ""


def test_listens_on_localhost_only(served: tuple[Desk, Server, Path]) -> None:
    _, server, _ = served
    assert server.httpd.server_address[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")


def test_index_shows_every_page_and_edition_and_its_links_resolve(served: tuple[Desk, Server, Path]) -> None:
    _, server, _ = served
    status, body, kind = _get(server, "/")
    assert status == 200 and kind.startswith("text/html")
    index = body.decode("utf-8")
    for edition in EDITIONS:
        for target in (f"/{edition}/hongdong.pdf", f"/{edition}/hongdong-1.png", f"/web/{edition}/hongdong.html",
                       f"/{edition}/issue.pdf"):
            assert f'"{target}"' in index, target
    assert '"/zh-TW/hongdong.review.txt"' in index and '"/zh-Hans/hongdong.review.txt"' not in index
    assert re.search(r'<p class="last-build">(up to date|rebuilt [^<]*) in \d+\.\d s', index)
    links = re.findall(r'(?:href|src)="(/[^"]*)"', index)
    assert len(links) >= 10
    for link in links:
        status, data, _ = _get(server, link)
        assert status == 200 and data, link


def test_only_files_under_output_no_dotdot_no_hidden(served: tuple[Desk, Server, Path]) -> None:
    _, server, root = served
    assert _get(server, "/manifest.json")[0] == 200
    for path in ("/../broadsheet.yaml", "/%2e%2e/broadsheet.yaml", "/zh-Hans/../../source/hongdong.txt",
                 "/zh-Hans/%2E%2E/%2E%2E/broadsheet.yaml", "/.cache/zh-Hans/hongdong.json", "/..%2fbroadsheet.yaml",
                 "/no-such-file.pdf", "//etc/passwd", "/%00"):
        status, body, _ = _get(server, path)
        assert status == 404 and b"hongdong" not in body, path


def test_no_symlinks_out_of_output(served: tuple[Desk, Server, Path]) -> None:
    _, server, root = served
    outside = root / "source" / "hongdong.txt"
    (root / "output" / "leak.txt").symlink_to(outside)
    (root / "output" / "leak-dir").symlink_to(root / "source", target_is_directory=True)
    (root / "output" / "alias.pdf").symlink_to(root / "output" / "zh-Hans" / "hongdong.pdf")
    try:
        assert _get(server, "/leak.txt")[0] == 404
        assert _get(server, "/leak-dir/hongdong.txt")[0] == 404
        assert _get(server, "/alias.pdf")[0] == 200  # a link that stays inside output/ is fine
    finally:
        for name in ("leak.txt", "leak-dir", "alias.pdf"):
            (root / "output" / name).unlink()
    assert resolve_request(root / "output", "/leak.txt") is None


def test_served_html_listens_for_reloads_but_the_file_does_not(served: tuple[Desk, Server, Path]) -> None:
    _, server, root = served
    status, body, _ = _get(server, "/web/zh-Hans/hongdong.html")
    assert status == 200 and f"new EventSource('{EVENTS_PATH}')".encode() in body
    assert b"EventSource" not in (root / "output" / "web" / "zh-Hans" / "hongdong.html").read_bytes()


def test_event_stream_announces_each_finished_build(served: tuple[Desk, Server, Path]) -> None:
    desk, server, _ = served
    with urllib.request.urlopen(server.url.rstrip("/") + EVENTS_PATH, timeout=60) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        assert stream.readline() == b"event: build\n"
        first = int(stream.readline().decode().removeprefix("data: "))
        assert stream.readline() == b"\n"
        desk.build(["source/hongdong.txt"])  # nothing changed: a quick "up to date" build
        assert stream.readline() == b"event: build\n"
        assert int(stream.readline().decode().removeprefix("data: ")) == first + 1


def test_serve_command_port_in_use_is_exit_2(served: tuple[Desk, Server, Path]) -> None:
    _, server, root = served
    port = server.httpd.server_address[1]
    out, err = io.StringIO(), io.StringIO()
    code = main(["serve", "--config", str(root / "broadsheet.yaml"), "--port", str(port)], stdout=out, stderr=err)
    assert code == 2 and f"--port {port}: cannot listen on 127.0.0.1" in err.getvalue()


def test_serve_command_serves_then_stops(served: tuple[Desk, Server, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, root = served
    urls: list[str] = []

    def no_more_saves(folders, stop=None):  # noqa: ANN001, ANN202, ARG001
        with socket.create_connection(("127.0.0.1", int(urls[0].rsplit(":", 1)[1].rstrip("/"))), timeout=10):
            pass  # the server is listening while the loop waits
        raise KeyboardInterrupt
        yield set()

    monkeypatch.setattr("pipeline.project.watch.disk_changes", no_more_saves)

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            urls.extend(re.findall(r"http://127\.0\.0\.1:\d+/", text))
            return super().write(text)

    out, err = Out(), io.StringIO()
    argv = ["serve", "--config", str(root / "broadsheet.yaml"), "--port", "0", "--jobs", "1"]
    for edition in EDITIONS:
        argv += ["--edition", edition]
    code = main(argv, stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert out.getvalue().startswith("broadsheet: serving http://127.0.0.1:")
    assert re.search(r"^broadsheet: (up to date|rebuilt .*) in \d", out.getvalue(), re.M)
