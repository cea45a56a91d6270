"""Fixtures for the fetching tests: a fake resolver, a connection guard and local test servers.

Nothing here ever talks to the outside: host names resolve only through `FakeResolver`, and
every socket.connect() is checked to target loopback (anything else fails the test before a
packet is sent).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims.fetching.guard import AddressPolicy

_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_ip_literal(host: object) -> bool:
    try:
        ipaddress.ip_address(str(host).strip("[]"))
    except ValueError:
        return False
    return True


@dataclass
class FakeResolver:
    """Stands in for DNS: names map to lists of addresses (or a callable); nothing else resolves."""

    names: dict[str, list[str] | Callable[[], list[str]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def add(self, name: str, *addresses: str) -> None:
        self.names[name] = list(addresses)

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        if _is_ip_literal(host):
            # urllib3 hands the already-checked IP literal to getaddrinfo: numeric, no DNS.
            return _real_getaddrinfo(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.calls.append(name)
        entry = self.names.get(name.lower())
        if entry is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = entry() if callable(entry) else entry
        result = []
        for address in addresses:
            ip = ipaddress.ip_address(address)
            if ip.version == 4:
                result.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
            else:
                result.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
        return result


@dataclass
class ConnectLog:
    """Every address a socket tried to connect to during the test."""

    attempts: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def resolver(monkeypatch: pytest.MonkeyPatch) -> FakeResolver:
    """Replace DNS for every test in this package (autouse: no test can reach a real resolver)."""
    fake = FakeResolver()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


@pytest.fixture(autouse=True)
def connect_log(monkeypatch: pytest.MonkeyPatch) -> ConnectLog:
    """Record connects and forbid any that is not to loopback (autouse safety net)."""
    log = ConnectLog()

    def checked(real):
        def connect(sock: socket.socket, address):
            host = address[0] if isinstance(address, tuple) else address
            log.attempts.append(str(host))
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                ip = ipaddress.ip_address(str(host).split("%")[0])
                mapped = getattr(ip, "ipv4_mapped", None)
                if not (ip.is_loopback or (mapped is not None and mapped.is_loopback)):
                    raise AssertionError(f"test tried to connect to non-loopback {host}")
            return real(sock, address)

        return connect

    monkeypatch.setattr(socket.socket, "connect", checked(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", checked(_real_connect_ex))
    return log


Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    """One request the test server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class LocalServer:
    """An in-process HTTP server on a loopback address with per-path handler functions."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None
    ):
        self.routes: dict[str, Handler] = {}
        self.requests: list[Seen] = []
        self.connections = 0
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):
                pass

            def _dispatch(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append(
                    Seen(
                        self.command,
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    send(self, 404, b"not found", content_type="text/plain")
                    return
                # The client giving up is what the hostile-server tests expect.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)
                self.close_connection = True

            do_GET = do_POST = do_HEAD = _dispatch

        class _Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = False

            def get_request(self):
                conn, addr = super().get_request()
                server.connections += 1
                return conn, addr

        self.httpd = _Server((host, port), _Handler)
        if ssl_context is not None:
            self.httpd.socket = ssl_context.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if ssl_context is not None else "http"
        self.host = host
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def route(self, path: str) -> Callable[[Handler], Handler]:
        """Decorator registering a handler for `path`."""

        def register(fn: Handler) -> Handler:
            self.routes[path] = fn
            return fn

        return register

    def static(
        self,
        path: str,
        body: bytes,
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve a fixed response at `path`."""
        self.routes[path] = lambda h: send(
            h, status, body, content_type=content_type, headers=headers
        )

    def url(self, path: str = "/", host: str = "news.example") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    *,
    content_type: str | None = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    """Write a complete response with Content-Length."""
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("Connection", "close")
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


@pytest.fixture
def server(resolver: FakeResolver) -> Iterator[LocalServer]:
    """A local server at 127.0.0.1; `news.example` and `other.example` resolve to it."""
    srv = LocalServer().start()
    resolver.add("news.example", "127.0.0.1")
    resolver.add("other.example", "127.0.0.1")
    yield srv
    srv.stop()


@pytest.fixture
def policy() -> AddressPolicy:
    """The test policy: only 127.0.0.1 is allowed (explicitly), on any port."""
    return AddressPolicy(allowed_networks=("127.0.0.1/32",), allowed_ports=None)
