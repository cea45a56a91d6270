"""fetch()/post_json(): happy paths and hostile servers, all on a local loopback server."""

from __future__ import annotations

import gzip
import socket
import ssl
import struct
import subprocess
import time
import tracemalloc
import zlib
from functools import cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from claims.fetching import (
    ConnectError,
    ConnectionLost,
    FetchTimeout,
    HTTPStatusError,
    TLSError,
    TooLarge,
    TooManyRedirects,
    UnsupportedContentType,
    fetch,
    post_json,
)

from .conftest import LocalServer, send

PAGE = b"<html><head><title>T</title></head><body><p>Hello, newsroom.</p></body></html>"
KiB = 1024
MiB = 1024 * KiB


# -- happy paths -----------------------------------------------------------------------------


def test_fetches_html_page_from_allowed_test_host(server: LocalServer, policy):
    server.static(
        "/a", PAGE, headers={"ETag": '"v1"', "Last-Modified": "Tue, 05 Mar 2024 10:00:00 GMT"}
    )
    result = fetch(server.url("/a"), policy=policy)
    assert result.status == 200
    assert result.content == PAGE
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 05 Mar 2024 10:00:00 GMT"
    assert result.not_modified is False
    assert result.url == server.url("/a")
    assert result.remote_address == "127.0.0.1"
    sent = server.requests[0].headers
    assert sent["host"] == f"news.example:{server.port}"  # the name, though we connected by IP
    assert sent["accept-encoding"] == "gzip, deflate"
    assert sent["user-agent"].startswith("Claimdesk/")
    assert "text/html" in sent["accept"]


def test_conditional_get_with_etag_returns_not_modified(server: LocalServer, policy):
    @server.route("/c")
    def conditional(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            send(handler, 304, content_type=None, headers={"ETag": '"v1"'})
        else:
            send(handler, 200, PAGE, headers={"ETag": '"v1"'})

    first = fetch(server.url("/c"), policy=policy)
    again = fetch(server.url("/c"), policy=policy, etag=first.etag)
    assert first.not_modified is False
    assert again.not_modified is True
    assert again.status == 304
    assert again.content == b""


def test_conditional_get_with_last_modified_returns_not_modified(server: LocalServer, policy):
    stamp = "Tue, 05 Mar 2024 10:00:00 GMT"

    @server.route("/lm")
    def conditional(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-Modified-Since") == stamp:
            send(handler, 304, content_type=None)
        else:
            send(handler, 200, PAGE, headers={"Last-Modified": stamp})

    result = fetch(server.url("/lm"), policy=policy, last_modified=stamp)
    assert result.not_modified is True


def test_charset_from_content_type_is_reported(server: LocalServer, policy):
    body = "<html><body><p>Café Zürich</p></body></html>".encode("iso-8859-1")
    server.static("/latin", body, content_type="text/html; charset=ISO-8859-1")
    result = fetch(server.url("/latin"), policy=policy)
    assert result.charset == "iso-8859-1"
    assert result.content == body  # bytes untouched; decoding is article.py's job


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
    ],
)
def test_compressed_body_is_decoded(encoding, compress, server: LocalServer, policy):
    server.static("/z", compress(PAGE), headers={"Content-Encoding": encoding})
    assert fetch(server.url("/z"), policy=policy).content == PAGE


def test_redirects_are_followed_and_recorded(server: LocalServer, policy):
    server.static("/old", b"", status=301, headers={"Location": "/new#frag"})
    server.static("/new", PAGE)
    result = fetch(server.url("/old"), policy=policy)
    assert result.url == server.url("/new")
    assert result.content == PAGE
    assert [(r.status, r.from_url, r.to_url) for r in result.redirects] == [
        (301, server.url("/old"), server.url("/new"))
    ]


def test_cross_host_redirect_drops_credentials(server: LocalServer, policy):
    server.static(
        "/a", b"", status=302, headers={"Location": server.url("/b", host="other.example")}
    )
    server.static("/b", PAGE)
    fetch(
        server.url("/a"), policy=policy, headers={"Authorization": "Bearer s3cret", "X-Keep": "1"}
    )
    first, second = server.requests
    assert first.headers["authorization"] == "Bearer s3cret"
    assert "authorization" not in second.headers
    assert second.headers["x-keep"] == "1"
    assert second.headers["host"] == f"other.example:{server.port}"


def test_post_json_sends_payload_and_accepts_any_response_type(server: LocalServer, policy):
    server.static("/hook", b'{"ok": true}', content_type="application/json")
    result = post_json(server.url("/hook"), b'{"claim": 1}', {"X-Signature": "abc"}, policy=policy)
    assert result.content == b'{"ok": true}'
    seen = server.requests[0]
    assert (seen.method, seen.body) == ("POST", b'{"claim": 1}')
    assert seen.headers["content-type"] == "application/json"
    assert seen.headers["x-signature"] == "abc"


def test_post_json_response_is_size_limited(server: LocalServer, policy):
    server.static("/big", b"x" * (128 * KiB), content_type="application/json")
    with pytest.raises(TooLarge, match="larger than 64 KiB"):
        post_json(server.url("/big"), b"{}", policy=policy)


# -- hostile servers -------------------------------------------------------------------------


def _raw_headers(handler: BaseHTTPRequestHandler, lines: list[str]) -> None:
    """Write a status line and headers without Content-Length (body ends at close)."""
    handler.wfile.write(
        ("\r\n".join(["HTTP/1.1 200 OK", *lines, "Connection: close"]) + "\r\n\r\n").encode()
    )
    handler.wfile.flush()


def test_endless_body_without_length_stops_at_limit(server: LocalServer, policy):
    @server.route("/endless")
    def endless(handler: BaseHTTPRequestHandler) -> None:
        _raw_headers(handler, ["Content-Type: text/html"])
        chunk = b"<p>" + b"a" * 65536 + b"</p>"
        for _ in range(10_000):  # ~650 MiB if nobody stops it
            handler.wfile.write(chunk)

    started = time.monotonic()
    with pytest.raises(TooLarge) as info:
        fetch(server.url("/endless"), policy=policy, max_bytes=256 * KiB)
    assert info.value.reason == "Page is larger than 256 KiB"
    assert info.value.transient is False
    assert time.monotonic() - started < 5


def test_content_length_over_limit_fails_before_reading(server: LocalServer, policy):
    @server.route("/huge")
    def huge(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(10 * 2**30))
        handler.end_headers()
        handler.wfile.write(b"<html>")
        time.sleep(2)  # the body never comes; we must not wait for it

    started = time.monotonic()
    with pytest.raises(TooLarge, match="Page is larger than 5 MiB"):
        fetch(server.url("/huge"), policy=policy)
    assert time.monotonic() - started < 1.5


@cache
def _gzip_bomb() -> bytes:
    # 64 MiB of zeros compress to ~64 KiB.
    return gzip.compress(bytes(64 * MiB), compresslevel=9)


def test_gzip_bomb_stops_while_decompressing(server: LocalServer, policy):
    bomb = _gzip_bomb()
    assert len(bomb) < 256 * KiB
    server.static("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="Page is larger than 1 MiB"):
            fetch(server.url("/bomb"), policy=policy, max_bytes=1 * MiB)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB  # never inflated the 64 MiB


def test_slow_drip_body_fails_at_total_deadline(server: LocalServer, policy):
    @server.route("/drip")
    def drip(handler: BaseHTTPRequestHandler) -> None:
        _raw_headers(handler, ["Content-Type: text/html"])
        for _ in range(100):
            handler.wfile.write(b"a")
            handler.wfile.flush()
            time.sleep(0.1)  # each read succeeds quickly: only a total deadline stops this

    started = time.monotonic()
    with pytest.raises(FetchTimeout) as info:
        fetch(server.url("/drip"), policy=policy, total_timeout=1.0, connect_timeout=0.5)
    elapsed = time.monotonic() - started
    assert info.value.reason == "Timed out after 1 s"
    assert info.value.transient is True
    assert 0.9 < elapsed < 2.5


def test_slow_drip_headers_fail_at_total_deadline(server: LocalServer, policy):
    @server.route("/drip-headers")
    def drip_headers(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(100):
            handler.wfile.write(b"a")
            handler.wfile.flush()
            time.sleep(0.1)

    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="Timed out after 1 s"):
        fetch(server.url("/drip-headers"), policy=policy, total_timeout=1.0)
    assert time.monotonic() - started < 2.5


def test_redirect_loop_is_detected(server: LocalServer, policy):
    server.static("/a", b"", status=302, headers={"Location": "/b"})
    server.static("/b", b"", status=302, headers={"Location": "/a"})
    with pytest.raises(TooManyRedirects) as info:
        fetch(server.url("/a"), policy=policy)
    assert info.value.reason.startswith("Redirect loop:")
    assert len(server.requests) == 2


def test_too_many_redirects(server: LocalServer, policy):
    for n in range(10):
        server.static(f"/r{n}", b"", status=302, headers={"Location": f"/r{n + 1}"})
    with pytest.raises(TooManyRedirects) as info:
        fetch(server.url("/r0"), policy=policy, max_redirects=3)
    assert info.value.reason == "Too many redirects (more than 3)"
    assert info.value.transient is False
    assert len(server.requests) == 4  # the first request and three redirects


def test_five_redirects_are_allowed_by_default(server: LocalServer, policy):
    for n in range(5):
        server.static(f"/r{n}", b"", status=307, headers={"Location": f"/r{n + 1}"})
    server.static("/r5", PAGE)
    assert len(fetch(server.url("/r0"), policy=policy).redirects) == 5


def test_wrong_content_type_is_refused(server: LocalServer, policy):
    server.static("/doc.pdf", b"%PDF-1.7", content_type="application/pdf")
    with pytest.raises(UnsupportedContentType) as info:
        fetch(server.url("/doc.pdf"), policy=policy)
    assert info.value.reason == "Not an HTML or XML page (application/pdf)"
    assert info.value.transient is False


def test_feed_content_types_are_accepted(server: LocalServer, policy):
    server.static("/feed", b"<rss/>", content_type="application/rss+xml")
    assert fetch(server.url("/feed"), policy=policy).content_type == "application/rss+xml"


def test_not_found_is_permanent(server: LocalServer, policy):
    with pytest.raises(HTTPStatusError) as info:
        fetch(server.url("/missing"), policy=policy)
    assert info.value.reason == "HTTP 404 Not Found"
    assert (info.value.status, info.value.transient) == (404, False)


def test_service_unavailable_is_transient_with_retry_after(server: LocalServer, policy):
    server.static("/busy", b"later", status=503, headers={"Retry-After": "120"})
    with pytest.raises(HTTPStatusError) as info:
        fetch(server.url("/busy"), policy=policy)
    assert info.value.reason == "HTTP 503 Service Unavailable"
    assert info.value.transient is True
    assert info.value.retry_after == 120.0


def test_too_many_requests_is_transient(server: LocalServer, policy):
    server.static("/limited", b"", status=429)
    with pytest.raises(HTTPStatusError, match="HTTP 429 Too Many Requests") as info:
        fetch(server.url("/limited"), policy=policy)
    assert info.value.transient is True


def _reset(handler: BaseHTTPRequestHandler) -> None:
    # SO_LINGER with zero timeout makes close() send a TCP RST instead of a FIN.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()


def test_connection_reset_before_response_is_transient(server: LocalServer, policy):
    server.routes["/reset"] = _reset
    with pytest.raises(ConnectionLost) as info:
        fetch(server.url("/reset"), policy=policy)
    assert info.value.transient is True
    assert "reset or closed unexpectedly" in info.value.reason


def test_connection_reset_mid_body_is_transient(server: LocalServer, policy):
    @server.route("/half")
    def half(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>"
        )
        handler.wfile.flush()
        time.sleep(0.05)
        _reset(handler)

    with pytest.raises(ConnectionLost) as info:
        fetch(server.url("/half"), policy=policy)
    assert info.value.transient is True


def test_connection_refused_is_transient(resolver, policy):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe closes
    resolver.add("news.example", "127.0.0.1")
    with pytest.raises(ConnectError) as info:
        fetch(f"http://news.example:{port}/", policy=policy)
    assert info.value.transient is True
    assert info.value.reason.startswith("Could not connect to news.example")


# -- TLS: connect to the checked IP, but verify the certificate for the host name -------------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Self-signed certificates for news.example and wrong.example (needs the openssl CLI)."""
    folder = tmp_path_factory.mktemp("tls")
    for name in ("news.example", "wrong.example"):
        try:
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                 "-nodes", "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
                 "-keyout", str(folder / f"{name}.key"), "-out", str(folder / f"{name}.pem")],
                check=True, capture_output=True, timeout=30,
            )  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            pytest.skip("openssl CLI not available")
    return folder


def _tls_server(certificates: Path, name: str, seen_sni: list[str | None]) -> LocalServer:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / f"{name}.pem", certificates / f"{name}.key")
    context.sni_callback = lambda sock, server_name, ctx: seen_sni.append(server_name)
    return LocalServer(ssl_context=context).start()


def test_https_uses_host_name_for_sni_and_certificate(certificates: Path, resolver, policy):
    seen_sni: list[str | None] = []
    srv = _tls_server(certificates, "news.example", seen_sni)
    try:
        resolver.add("news.example", "127.0.0.1")
        srv.static("/", PAGE)
        result = fetch(srv.url("/"), policy=policy, ca_certs=str(certificates / "news.example.pem"))
        assert result.content == PAGE
        assert result.remote_address == "127.0.0.1"
        assert seen_sni == ["news.example"]
    finally:
        srv.stop()


def test_https_certificate_for_another_host_is_refused(certificates: Path, resolver, policy):
    srv = _tls_server(certificates, "wrong.example", [])
    try:
        resolver.add("news.example", "127.0.0.1")
        srv.static("/", PAGE)
        with pytest.raises(TLSError) as info:
            fetch(srv.url("/"), policy=policy, ca_certs=str(certificates / "wrong.example.pem"))
        assert info.value.reason.startswith("Secure connection to news.example failed")
        assert info.value.transient is False
        assert srv.requests == []
    finally:
        srv.stop()
