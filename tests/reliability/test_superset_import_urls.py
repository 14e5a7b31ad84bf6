"""`support-kpis superset import --url ...`: an unusable or unencrypted URL, a server that is not a working
Superset, or a --bundle that is no ZIP, is one clear line and a non-zero exit, never a traceback; passwords
never go out over plain http to another machine unless --allow-insecure says so.

The CLI runs for real in a subprocess. The servers it talks to are real sockets in this test process: a port
nobody listens on, plain HTTP servers answering what a Superset never would, one that never answers.
"""

from __future__ import annotations

import http.server
import socket
import subprocess
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support_kpis.errors import UserError
from support_kpis.superset.rest_client import SupersetClient, checked_url
from tests.reliability.reliability_cli import error_line, run_cli

PASSWORD = "not-a-real-password"


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return run_cli("superset", "import", *args, timeout=timeout)


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert PASSWORD not in result.stderr + result.stdout
    return error_line(result)


@pytest.fixture
def bundle_zip(tmp_path: Path) -> Path:
    """`--bundle` skips generating one (a dbt parse); nothing here gets as far as reading it."""
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("support_kpis_superset_bundle/metadata.yaml", "version: 1.0.0\n")
    return path


def _import(url: str, bundle_zip: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return _cli("--url", url, "--username", "admin", "--password", PASSWORD, "--bundle", str(bundle_zip), *extra)


# ---------------------------------------------------------------- URLs that are no Superset's


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("notaurl", "no http(s)://"),
        ("superset.example.com", "no http(s)://"),
        ("superset.example.com:8088", "no http(s)://"),
        ("ftp://superset.example.com", "ftp:// is not http(s)"),
        ("file:///etc/passwd", "file:// is not http(s)"),
        ("https://", "no host"),
        ("https://:8088", "no host"),
        ("https://superset.example.com:port", "Port could not be cast"),
        ("https://superset.example.com/?next=/login", "it has a ?query or #fragment"),
    ],
)
def test_an_unusable_url_is_one_line_naming_it(url: str, reason: str, bundle_zip: Path) -> None:
    line = _one_error_line(_import(url, bundle_zip))
    assert f"{url!r} is not a usable Superset URL ({reason}" in line
    assert "e.g. https://superset.example.com" in line


def test_the_url_is_checked_before_the_password_is_asked_for(bundle_zip: Path) -> None:
    result = _cli("--url", "notaurl", "--username", "admin", "--bundle", str(bundle_zip))
    assert "'notaurl' is not a usable Superset URL" in _one_error_line(result)


@pytest.mark.parametrize("kind", ["text", "folder"])
def test_a_bundle_that_is_not_a_zip_is_one_line_before_connecting(kind: str, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    if kind == "folder":
        bundle.mkdir()
    else:
        bundle.write_text("not a zip\n", encoding="utf-8")
    line = _one_error_line(_import(f"http://127.0.0.1:{_free_port()}", bundle))
    assert f"{bundle}: not a ZIP bundle" in line


# ---------------------------------------------------------------- plain http


def test_plain_http_to_another_machine_is_refused_before_anything_is_sent(bundle_zip: Path) -> None:
    # .invalid never resolves (RFC 6761): had anything been sent, the error would be "cannot reach".
    line = _one_error_line(_import("http://superset.invalid:8088", bundle_zip))
    assert "refusing plain http to superset.invalid:8088" in line
    assert "passwords would cross the network unencrypted" in line
    assert "use https://" in line and "--allow-insecure" in line


def test_allow_insecure_lets_plain_http_through(bundle_zip: Path) -> None:
    line = _one_error_line(_import("http://superset.invalid:8088", bundle_zip, "--allow-insecure"))
    assert "cannot reach Superset at http://superset.invalid:8088" in line


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "127.0.0.53", "[::1]"])
def test_plain_http_to_this_machine_needs_no_flag(host: str) -> None:
    assert checked_url(f"http://{host}:8088/", allow_insecure=False) == f"http://{host}:8088"


@pytest.mark.parametrize("host", ["superset.example.com", "10.0.0.5", "0.0.0.0", "[fe80::1]", "localhost.example.com"])
def test_plain_http_to_any_other_host_needs_the_flag(host: str) -> None:
    with pytest.raises(UserError, match="refusing plain http"):
        checked_url(f"http://{host}:8088", allow_insecure=False)
    assert checked_url(f"http://{host}:8088", allow_insecure=True) == f"http://{host}:8088"
    assert checked_url(f"https://{host}:8088", allow_insecure=False) == f"https://{host}:8088"


# ---------------------------------------------------------------- servers that are not a working Superset


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_nothing_listening_is_one_line(bundle_zip: Path) -> None:
    port = _free_port()
    line = _one_error_line(_import(f"http://127.0.0.1:{port}", bundle_zip))
    assert f"cannot reach Superset at http://127.0.0.1:{port} (Connection refused" in line


Answer = Callable[[http.server.BaseHTTPRequestHandler], None]


@pytest.fixture
def serve() -> Iterator[Callable[[Answer], int]]:
    """Start a real HTTP server on localhost answering every request with `answer`; returns its port."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(answer: Answer) -> int:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                answer(self)

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer(self)

            def log_message(self, format: str, *args: object) -> None:  # quiet test output
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return int(server.server_address[1])

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _reply(status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> Answer:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    return answer


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", b"<html><body>Welcome to nginx!</body></html>"),
        ("application/json", b"[1, 2, 3]"),
        ("application/json", b'{"status": "ok"}'),
    ],
    ids=["html", "json-list", "json-without-token"],
)
def test_a_web_server_that_is_not_superset_is_one_line(
    serve: Callable[[Answer], int], bundle_zip: Path, content_type: str, body: bytes
) -> None:
    port = serve(_reply(200, content_type, body))
    line = _one_error_line(_import(f"http://127.0.0.1:{port}", bundle_zip))
    assert f"http://127.0.0.1:{port}" in line and "Superset's" in line and "API" in line


def test_a_redirect_loop_is_one_line(serve: Callable[[Answer], int], bundle_zip: Path) -> None:
    port = serve(_reply(302, "text/plain", b"", {"Location": "/login/"}))
    line = _one_error_line(_import(f"http://127.0.0.1:{port}", bundle_zip))
    assert f"talking to Superset at http://127.0.0.1:{port} failed" in line and "redirects" in line


def test_https_to_a_server_that_speaks_no_tls_is_one_line(serve: Callable[[Answer], int], bundle_zip: Path) -> None:
    port = serve(_reply(200, "text/html", b"<html></html>"))
    line = _one_error_line(_import(f"https://127.0.0.1:{port}", bundle_zip))
    assert f"TLS with https://127.0.0.1:{port} failed" in line and "SSL" in line


def test_a_server_that_never_answers_is_one_clear_error() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts connections (the kernel does), never answers
        port = silent.getsockname()[1]
        client = SupersetClient(f"http://127.0.0.1:{port}", timeout=1)
        with pytest.raises(UserError, match=rf"Superset at http://127\.0\.0\.1:{port} did not answer within 1s"):
            client.login("admin", PASSWORD)
