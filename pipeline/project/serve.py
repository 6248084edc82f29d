"""Serve a build's output on 127.0.0.1 with an index of every page × edition and live reload.

Only files under ``output/`` are served: a request path with a ``..`` segment, a hidden
part (the build cache ``.cache/``) or a symlink that leads outside the output folder is a
404, never a foreign file.  ``/`` is an index of every configured page × edition: the
page-1 preview, links to the PDF, the web edition and the review report when present, each
edition's ``issue.pdf``, and the last build's line, warnings and preflight problems.  Every
HTML page served gets a small script that listens on ``/__events`` (server-sent events) and
reloads the page when a rebuild finishes.  The standard library's ``ThreadingHTTPServer``
serves, in a thread beside the watch loop.
"""

from __future__ import annotations

import html
import mimetypes
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .watch import Desk

HOST = "127.0.0.1"
"""Only this machine: a desk preview, not a public web server."""

EVENTS_PATH = "/__events"
"""The server-sent event stream a served page listens on."""

KEEPALIVE_SECONDS = 15.0
"""A comment line this often keeps an idle event stream open through proxies."""

RELOAD_SCRIPT = (
    "<script>/* broadsheet serve: reload when a rebuild finishes */\n"
    "(function () {\n"
    f"  var source = new EventSource('{EVENTS_PATH}');\n"
    "  var first = null;\n"
    "  source.addEventListener('build', function (event) {\n"
    "    if (first === null) { first = event.data; document.documentElement.dataset.live = first; return; }\n"
    "    if (event.data !== first) { source.close(); location.reload(); }\n"
    "  });\n"
    "})();\n"
    "</script>\n"
)
"""Injected before ``</body>`` of every HTML page served; the first event gives the current build
(and sets ``data-live`` on ``<html>``: the page is listening)."""


class Signal:
    """A counter of finished builds that event streams wait on."""

    def __init__(self, generation: int = 0) -> None:
        self.generation = generation
        self.closed = False
        self.condition = threading.Condition()

    def close(self) -> None:
        """Wake every waiting stream for good (the server is stopping)."""
        with self.condition:
            self.closed = True
            self.condition.notify_all()

    def bump(self, generation: int) -> None:
        with self.condition:
            self.generation = generation
            self.condition.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """The generation once it differs from ``seen``, or the same after ``timeout`` seconds."""
        with self.condition:
            self.condition.wait_for(lambda: self.generation != seen or self.closed, timeout=timeout)
            return self.generation


def resolve_request(output: Path, request_path: str) -> Path | None:
    """The file under ``output`` a request path names, or None if it is not one to serve.

    >>> resolve_request(Path("/nonexistent"), "/../etc/passwd") is None
    True
    """
    path = urllib.parse.unquote(urllib.parse.urlsplit(request_path).path)
    parts = [part for part in path.split("/") if part]
    if any(part in ("..", ".") or part.startswith(".") or "\\" in part or "\0" in part for part in parts):
        return None
    root = output.resolve()
    candidate = root.joinpath(*parts) if parts else root
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if resolved != root and root not in resolved.parents:
        return None  # a symlink out of the output folder
    if resolved.is_dir():
        resolved = resolved / "index.html"
        if not resolved.is_file():
            return None
    return resolved if resolved.is_file() else None


def index_html(desk: Desk) -> str:
    """The index page: every configured page × edition, the issues, and the last build's report."""
    config = desk.config
    output = desk.output()
    rows: list[str] = []
    heads: list[str] = []
    issues: list[str] = []
    if config is not None:
        for edition in config.editions:
            heads.append(f'<th lang="{html.escape(edition.lang)}">{html.escape(edition.label)}'
                         f' <small>{html.escape(edition.name)}</small></th>')
            issue = output / edition.name / "issue.pdf"
            if issue.is_file():
                issues.append(f'<a href="{_href(edition.name, "issue.pdf")}">{html.escape(edition.name)}/issue.pdf</a>')
        for page in config.pages:
            cells = []
            for edition in config.editions:
                cells.append(_cell(output, edition.name, page.name))
            rows.append(f'<tr><th scope="row">{html.escape(page.name)}</th>{"".join(cells)}</tr>')
    last = desk.last
    report = []
    if last is not None:
        report.append(f'<p class="last-build">{html.escape(last.line())}</p>')
        listed = [("warning", w) for w in last.warnings] + [("preflight", p) for p in last.problems]
        if listed:
            report.append('<ul class="warnings">' + "".join(
                f'<li class="{kind}">{kind}: {html.escape(text)}</li>' for kind, text in listed) + "</ul>")
        else:
            report.append('<p class="warnings none">no warnings</p>')
    name = html.escape(config.publication.name) if config is not None else "broadsheet"
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{name} · broadsheet serve</title>\n<style>{INDEX_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{name}</h1>\n{''.join(report)}\n"
        f"<p class=\"issues\">{' · '.join(issues) if issues else 'no issue PDF yet'}</p>\n"
        f"<div class=\"scroll\"><table class=\"pages\">\n<thead><tr><th></th>{''.join(heads)}</tr></thead>\n"
        f"<tbody>{''.join(rows)}</tbody>\n</table></div>\n</body>\n</html>\n"
    )


INDEX_CSS = (
    "body{font-family:'Noto Sans CJK SC',sans-serif;margin:1rem;color:#1a1a1a}"
    ".scroll{overflow-x:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.5rem;"
    "vertical-align:top}td img{display:block;max-width:12rem;height:auto;border:1px solid #999}"
    ".links a{margin-right:.5rem}.warnings li.preflight{color:#8b0000}.last-build{font-family:monospace}"
)


def _href(*parts: str) -> str:
    return "/" + "/".join(urllib.parse.quote(part) for part in parts)


def _cell(output: Path, edition: str, page: str) -> str:
    folder = output / edition
    pieces = []
    preview = folder / f"{page}-1.png"
    if preview.is_file():
        pieces.append(f'<a href="{_href(edition, page + ".pdf")}"><img src="{_href(edition, preview.name)}" '
                      f'alt="{html.escape(edition)}/{html.escape(page)} page 1"></a>')
    links = []
    for label, path in (("PDF", (edition, f"{page}.pdf")), ("web", ("web", edition, f"{page}.html")),
                        ("print HTML", (edition, f"{page}.html")), ("review", (edition, f"{page}.review.txt"))):
        if output.joinpath(*path).is_file():
            links.append(f'<a href="{_href(*path)}">{label}</a>')
    if not pieces and not links:
        return '<td class="missing">not built</td>'
    return f'<td>{"".join(pieces)}<p class="links">{"".join(links)}</p></td>'


def make_handler(desk: Desk, signal: Signal, stop: threading.Event) -> type[BaseHTTPRequestHandler]:
    """The request handler class, bound to the session's desk and build signal."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "broadsheet"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
            return

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            path = urllib.parse.urlsplit(self.path).path
            if path == EVENTS_PATH:
                self._events()
            elif path in ("/", "/index.html"):
                self._send(HTTPStatus.OK, "text/html; charset=utf-8", _inject(index_html(desk)).encode("utf-8"))
            else:
                found = resolve_request(desk.output(), self.path)
                if found is None:
                    self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")
                    return
                data = found.read_bytes()
                kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                if kind == "text/html":
                    data = _inject(data.decode("utf-8")).encode("utf-8")
                if kind.startswith("text/"):
                    kind += "; charset=utf-8"
                self._send(HTTPStatus.OK, kind, data)

        def _send(self, status: HTTPStatus, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            seen = signal.generation
            try:
                self.wfile.write(f"event: build\ndata: {seen}\n\n".encode())
                self.wfile.flush()
                while not stop.is_set():
                    now = signal.wait(seen, KEEPALIVE_SECONDS)
                    if now != seen:
                        seen = now
                        self.wfile.write(f"event: build\ndata: {seen}\n\n".encode())
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _inject(page: str) -> str:
    """The page with the live-reload script before its ``</body>`` (or at its end)."""
    at = page.rfind("</body>")
    if at < 0:
        return page + RELOAD_SCRIPT
    return page[:at] + RELOAD_SCRIPT + page[at:]


class Server:
    """The HTTP server thread of a serve session; ``url`` once started, ``close()`` to stop it."""

    def __init__(self, desk: Desk, port: int = 8000) -> None:
        self.stop = threading.Event()
        self.signal = Signal(desk.generation)
        desk.listeners.append(lambda _rebuild: self.signal.bump(desk.generation))
        self.httpd = ThreadingHTTPServer((HOST, port), make_handler(desk, self.signal, self.stop))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="broadsheet-serve", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> Server:
        self.thread.start()
        return self

    def close(self) -> None:
        self.stop.set()
        self.signal.close()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

