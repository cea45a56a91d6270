"""The only code in Claimdesk that opens outbound connections.

Every hop (first request and each redirect) is parsed and checked by an `AddressPolicy`, its
host is resolved once, every resolved address is checked, and the TCP connection is opened to
one of those checked IP addresses (the Host header, TLS SNI and certificate check use the real
host name). The library never resolves the name again, so DNS rebinding cannot redirect us.

Limits: a connect timeout per attempt, one total deadline for the whole fetch (enforced both
between reads and by a watchdog that shuts the socket down, so a server dripping one byte per
second cannot keep us busy), a redirect limit with loop detection, and a byte limit on the
DECODED body (gzip/deflate is inflated incrementally and stops at the limit).
"""

from __future__ import annotations

import contextlib
import email.utils
import http
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.exceptions import ProtocolError as Urllib3ProtocolError
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.util.ssl_match_hostname import CertificateError

from .errors import (
    ConnectError,
    ConnectionLost,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    ProtocolError,
    RedirectNotFollowed,
    RefusedAddress,
    TLSError,
    TooLarge,
    TooManyRedirects,
    UnsupportedContentType,
)
from .guard import DEFAULT_POLICY, AddressPolicy, IPAddress, Target

MiB = 2**20
USER_AGENT = "Claimdesk/0.1 (fact-checking desk; +https://github.com/claimdesk)"

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
#: Default media types for article and feed fetches.
HTML_AND_FEED_TYPES: tuple[str, ...] = HTML_TYPES + FEED_TYPES

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers the caller may not set: they are ours to control (Host must match the checked URL,
# encodings must be ones we can bound, one request per connection).
_RESERVED_HEADERS = frozenset(
    {"host", "accept-encoding", "connection", "content-length", "transfer-encoding", "te"}
)
# Dropped when a redirect leaves the origin, so credentials never leak to another site.
_ORIGIN_BOUND_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
_CHUNK = 64 * 1024

try:  # certifi ships with trafilatura; use it so fetching works on hosts without a CA bundle.
    import certifi

    _CA_BUNDLE: str | None = certifi.where()
except ImportError:  # pragma: no cover
    _CA_BUNDLE = None


@dataclass(frozen=True, slots=True)
class Redirect:
    """One followed redirect."""

    status: int
    from_url: str
    to_url: str


@dataclass(frozen=True)
class FetchResult:
    """A successful (2xx or 304) response, body fully read and decoded."""

    url: str  # final URL after redirects, normalised, without fragment
    status: int
    headers: dict[str, str]  # lowercase names; repeated headers joined with ", "
    content: bytes  # decoded (gzip/deflate removed) body
    content_type: str | None  # media type only, lowercase, e.g. "text/html"
    charset: str | None  # from the Content-Type header only; None if the server gave none
    etag: str | None
    last_modified: str | None
    not_modified: bool
    redirects: list[Redirect] = field(default_factory=list)
    remote_address: str = ""  # the checked IP address the final response came from
    elapsed: float = 0.0


def fetch(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: Iterable[str] | None = HTML_AND_FEED_TYPES,
    max_bytes: int = 5 * MiB,
    connect_timeout: float = 5.0,
    total_timeout: float = 20.0,
    max_redirects: int = 5,
    policy: AddressPolicy = DEFAULT_POLICY,
    ca_certs: str | None = None,
) -> FetchResult:
    """Fetch `url` under `policy` and the limits; raise a FetchError subclass on any failure.

    `accept` lists the media types allowed for the final response (None: any); `etag` and
    `last_modified` make the request conditional (a 304 gives `not_modified=True`).
    `ca_certs` overrides the CA bundle (tests).
    """
    return _Fetch(
        method=method.upper(),
        body=body,
        headers=headers,
        etag=etag,
        last_modified=last_modified,
        accept=None if accept is None else tuple(a.lower() for a in accept),
        max_bytes=max_bytes,
        connect_timeout=connect_timeout,
        total_timeout=total_timeout,
        max_redirects=max_redirects,
        follow_redirects=True,
        policy=policy,
        ca_certs=ca_certs,
    ).run(url)


def post_json(
    url: str,
    payload: bytes,
    headers: Mapping[str, str] | None = None,
    *,
    max_bytes: int = 64 * 1024,
    connect_timeout: float = 5.0,
    total_timeout: float = 10.0,
    policy: AddressPolicy = DEFAULT_POLICY,
    ca_certs: str | None = None,
) -> FetchResult:
    """POST a JSON payload (outgoing webhooks): same address rules, redirects are NOT followed.

    A 3xx raises RedirectNotFollowed; any response type is accepted, at most `max_bytes`.
    """
    merged = {"Content-Type": "application/json", "Accept": "application/json, */*;q=0.5"}
    merged.update(headers or {})
    return _Fetch(
        method="POST",
        body=payload,
        headers=merged,
        etag=None,
        last_modified=None,
        accept=None,
        max_bytes=max_bytes,
        connect_timeout=connect_timeout,
        total_timeout=total_timeout,
        max_redirects=0,
        follow_redirects=False,
        policy=policy,
        ca_certs=ca_certs,
    ).run(url)


def format_size(n: int) -> str:
    """Human size for reasons: "5 MiB", "64 KiB", "300 bytes"."""
    if n >= MiB and n % MiB == 0:
        return f"{n // MiB} MiB"
    if n >= MiB:
        return f"{n / MiB:.1f} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"


def _format_seconds(s: float) -> str:
    return f"{s:g}"


class _Watchdog:
    """Shuts the connection's socket down when the total deadline passes.

    Socket timeouts only bound each single read; a server sending one byte per second (in the
    headers or the body) would never trip them. shutdown() from another thread makes any
    blocking recv return at once, and `fired` tells us why it returned.
    """

    def __init__(self, conn: HTTPConnection, seconds: float):
        self.fired = False
        self._conn = conn
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        sock = getattr(self._conn, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _Decoder:
    """Incremental gzip/deflate decoder that never produces more than it is asked for."""

    def __init__(self, encoding: str, url: str):
        self.encoding = encoding
        self._url = url
        self._obj: zlib._Decompress | None
        # "deflate" should be zlib-wrapped, but some servers send raw deflate: retry once as raw.
        self._raw_fallback_allowed = encoding == "deflate"
        if encoding in ("", "identity"):
            self._obj = None
        elif encoding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._obj = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise ProtocolError(f"The server used an unsupported compression ({encoding})", url=url)

    def decode(self, data: bytes, budget: int) -> bytes:
        """Decode `data`, returning at most budget+1 bytes (one more than allowed = too large)."""
        if self._obj is None:
            return data
        out = bytearray()
        buf = data
        while buf:
            try:
                piece = self._obj.decompress(buf, budget + 1 - len(out))
            except zlib.error:
                if self._raw_fallback_allowed:
                    self._raw_fallback_allowed = False
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise ProtocolError(
                    f"Could not decompress the page ({self.encoding})", url=self._url
                ) from None
            self._raw_fallback_allowed = False
            out += piece
            if len(out) > budget:
                break
            buf = self._obj.unconsumed_tail
            if self._obj.eof:
                rest = self._obj.unused_data
                if self.encoding != "deflate" and rest[:2] == b"\x1f\x8b":
                    # Concatenated gzip members are one valid body.
                    self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    buf = rest
                else:
                    break  # trailing garbage after the stream is ignored, like browsers do
        return bytes(out)

    def finish(self) -> None:
        """Fail if the compressed stream was cut short."""
        if self._obj is not None and not self._obj.eof:
            raise ProtocolError(
                f"The page's compressed data ({self.encoding}) is truncated", url=self._url
            )


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Media type and charset of a Content-Type header."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _status_reason(status: int, server_phrase: str | None) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = (server_phrase or "").strip()[:60]
    return f"HTTP {status} {phrase}".rstrip()


@dataclass
class _Fetch:
    """State of one fetch across its redirect hops."""

    method: str
    body: bytes | None
    headers: Mapping[str, str] | None
    etag: str | None
    last_modified: str | None
    accept: tuple[str, ...] | None
    max_bytes: int
    connect_timeout: float
    total_timeout: float
    max_redirects: int
    follow_redirects: bool
    policy: AddressPolicy
    ca_certs: str | None
    redirects: list[Redirect] = field(default_factory=list)
    _expires: float = 0.0
    _started: float = 0.0

    # -- time ---------------------------------------------------------------------------------

    def _timeout_error(self, url: str) -> FetchTimeout:
        return FetchTimeout(f"Timed out after {_format_seconds(self.total_timeout)} s", url=url)

    def _remaining(self, url: str) -> float:
        left = self._expires - time.monotonic()
        if left <= 0:
            raise self._timeout_error(url)
        return left

    # -- main loop ----------------------------------------------------------------------------

    def run(self, url: str) -> FetchResult:
        self._started = time.monotonic()
        self._expires = self._started + self.total_timeout
        user_headers = {
            k.strip(): v
            for k, v in (self.headers or {}).items()
            if k.lower() not in _RESERVED_HEADERS
        }
        method, body = self.method, self.body
        current = url  # parse_url checks the raw string (urlsplit would drop CR/LF silently)
        seen: set[str] = set()
        origin: tuple[str, str, int] | None = None
        while True:
            target = self.policy.parse_url(current)
            if origin is not None and target.origin != origin:
                user_headers = {
                    k: v for k, v in user_headers.items() if k.lower() not in _ORIGIN_BOUND_HEADERS
                }
            origin = target.origin
            seen.add(target.url)
            addresses = self.policy.resolve(target)
            outcome = self._exchange(target, addresses, method, body, user_headers)
            if isinstance(outcome, FetchResult):
                return outcome
            status, location = outcome
            next_url = urljoin(target.url, location)
            if not self.follow_redirects:
                raise RedirectNotFollowed(
                    f"HTTP {status} redirect to {next_url} was not followed", url=target.url
                )
            next_target = self.policy.parse_url(next_url)  # fail early on a forbidden target
            if next_target.url in seen:
                raise TooManyRedirects(
                    f"Redirect loop: {target.url} redirects back to {next_target.url}",
                    url=target.url,
                )
            if len(self.redirects) >= self.max_redirects:
                raise TooManyRedirects(
                    f"Too many redirects (more than {self.max_redirects})", url=target.url
                )
            self.redirects.append(Redirect(status, target.url, next_target.url))
            # 303 always, and 301/302 after POST, turn into GET (what every browser does).
            if status == 303 or (status in (301, 302) and method == "POST"):
                method = "GET" if method != "HEAD" else "HEAD"
                body = None
            current = next_target.url

    def _build_headers(self, target: Target, user_headers: Mapping[str, str]) -> dict[str, str]:
        headers = {
            "Host": target.host_header,
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "gzip, deflate",
            "Connection": "close",
        }
        if self.accept is not None:
            headers["Accept"] = ", ".join(self.accept) + ", */*;q=0.1"
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        headers.update(user_headers)
        return headers

    def _connect(self, target: Target, addresses: list[IPAddress]) -> tuple[HTTPConnection, str]:
        """Open a connection to the first checked address that answers."""
        last_error: FetchError | None = None
        for ip in addresses:
            timeout = min(self.connect_timeout, self._remaining(target.url))
            conn: HTTPConnection
            if target.scheme == "https":
                conn = HTTPSConnection(
                    str(ip),
                    target.port,
                    timeout=timeout,
                    server_hostname=target.host,  # SNI
                    assert_hostname=target.host,  # certificate must match the real host name
                    cert_reqs="CERT_REQUIRED",
                    ca_certs=self.ca_certs or _CA_BUNDLE,
                )
            else:
                conn = HTTPConnection(str(ip), target.port, timeout=timeout)
            try:
                conn.connect()
            except (Urllib3SSLError, ssl.SSLError, ssl.CertificateError, CertificateError) as exc:
                conn.close()
                raise TLSError(
                    f"Secure connection to {target.host} failed: {exc}", url=target.url
                ) from None
            except NewConnectionError as exc:  # must come first: it subclasses ConnectTimeoutError
                conn.close()
                cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else None
                detail = (cause.strerror if cause else None) or "connection failed"
                last_error = ConnectError(
                    f"Could not connect to {target.host} ({detail})", url=target.url
                )
                continue
            except (ConnectTimeoutError, TimeoutError):
                conn.close()
                if time.monotonic() >= self._expires:
                    raise self._timeout_error(target.url) from None
                last_error = FetchTimeout(
                    f"Could not connect to {target.host} within "
                    f"{_format_seconds(self.connect_timeout)} s",
                    url=target.url,
                )
                continue
            except OSError as exc:
                conn.close()
                last_error = ConnectError(
                    f"Could not connect to {target.host} ({exc.strerror or 'connection failed'})",
                    url=target.url,
                )
                continue
            # Defence in depth: the socket must really be connected to the checked address.
            peer = ipaddress.ip_address(conn.sock.getpeername()[0])
            if peer != ip and not (
                isinstance(peer, ipaddress.IPv6Address) and peer.ipv4_mapped == ip
            ):
                conn.close()
                raise RefusedAddress(f"Refused: connected to {peer}, not to checked {ip}")
            return conn, str(ip)
        assert last_error is not None
        raise last_error

    def _exchange(
        self,
        target: Target,
        addresses: list[IPAddress],
        method: str,
        body: bytes | None,
        user_headers: Mapping[str, str],
    ) -> FetchResult | tuple[int, str]:
        """One request/response on a fresh connection: a result, or (status, Location)."""
        conn, remote = self._connect(target, addresses)
        watchdog = _Watchdog(conn, self._expires - time.monotonic())
        try:
            try:
                # Each read may block at most until the deadline; the watchdog covers drip-feeds.
                conn.timeout = self._remaining(target.url)
                conn.sock.settimeout(conn.timeout)
                conn.request(
                    method,
                    target.request_target,
                    body=body,
                    headers=self._build_headers(target, user_headers),
                    preload_content=False,
                    decode_content=False,
                )
                resp = conn.getresponse()
                return self._handle(target, resp, remote, method, watchdog)
            except FetchError:
                if watchdog.fired:
                    raise self._timeout_error(target.url) from None
                raise
            except (
                TimeoutError,
                ReadTimeoutError,
                ConnectionError,
                http.client.HTTPException,
                Urllib3ProtocolError,
                urllib3.exceptions.HTTPError,
                OSError,
            ) as exc:
                if watchdog.fired or time.monotonic() >= self._expires:
                    raise self._timeout_error(target.url) from None
                if isinstance(exc, TimeoutError | ReadTimeoutError):
                    raise self._timeout_error(target.url) from None
                if isinstance(exc, http.client.LineTooLong | http.client.BadStatusLine) and not (
                    isinstance(exc, http.client.RemoteDisconnected)
                ):
                    raise ProtocolError(
                        f"{target.host} sent an invalid HTTP response", url=target.url
                    ) from None
                raise ConnectionLost(
                    f"The connection to {target.host} was reset or closed unexpectedly",
                    url=target.url,
                ) from None
        finally:
            watchdog.cancel()
            conn.close()

    def _handle(
        self,
        target: Target,
        resp: urllib3.HTTPResponse,
        remote: str,
        method: str,
        watchdog: _Watchdog,
    ) -> FetchResult | tuple[int, str]:
        status = resp.status
        headers = {k.lower(): v for k, v in resp.headers.items()}
        if status in REDIRECT_STATUSES:
            location = headers.get("location", "").strip()
            if not location:
                raise ProtocolError(
                    f"HTTP {status} redirect without a Location header", url=target.url
                )
            return status, location

        common = {
            "url": target.url,
            "status": status,
            "headers": headers,
            "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"),
            "redirects": list(self.redirects),
            "remote_address": remote,
        }
        media_type, charset = _parse_content_type(headers.get("content-type"))
        if status == 304:
            return FetchResult(
                content=b"",
                content_type=media_type,
                charset=charset,
                not_modified=True,
                elapsed=time.monotonic() - self._started,
                **common,
            )
        if status >= 400 or status < 200 or 300 <= status < 400:
            transient = status >= 500 or status in (408, 425, 429)
            raise HTTPStatusError(
                _status_reason(status, resp.reason),
                status=status,
                url=target.url,
                transient=transient,
                retry_after=_retry_after(headers.get("retry-after")),
            )
        if self.accept is not None and not _accepted(media_type, self.accept):
            raise UnsupportedContentType(
                f"Not an HTML or XML page ({media_type or 'no content type given'})",
                url=target.url,
            )
        content = b"" if method == "HEAD" else self._read_body(target, resp, headers, watchdog)
        return FetchResult(
            content=content,
            content_type=media_type,
            charset=charset,
            not_modified=False,
            elapsed=time.monotonic() - self._started,
            **common,
        )

    def _too_large(self, target: Target) -> TooLarge:
        return TooLarge(f"Page is larger than {format_size(self.max_bytes)}", url=target.url)

    def _read_body(
        self,
        target: Target,
        resp: urllib3.HTTPResponse,
        headers: Mapping[str, str],
        watchdog: _Watchdog,
    ) -> bytes:
        """Read and decode the body, stopping as soon as a limit is crossed."""
        decoder = _Decoder(headers.get("content-encoding", "").strip().lower(), target.url)
        length = headers.get("content-length", "").strip()
        # Fail fast without reading. For compressed bodies this is the compressed size; a
        # compressed body larger than the decoded limit is refused too (decoding rarely shrinks).
        if length.isdigit() and int(length) > self.max_bytes:
            raise self._too_large(target)
        out = bytearray()
        raw_total = 0
        while True:
            self._remaining(target.url)
            chunk = resp.read1(_CHUNK, decode_content=False)
            if watchdog.fired:
                raise self._timeout_error(target.url)
            if not chunk:
                break
            raw_total += len(chunk)
            if raw_total > self.max_bytes:  # bounds compressed input that decodes to little
                raise self._too_large(target)
            out += decoder.decode(chunk, self.max_bytes - len(out))
            if len(out) > self.max_bytes:
                raise self._too_large(target)
        if watchdog.fired:
            raise self._timeout_error(target.url)
        decoder.finish()
        return bytes(out)


def _accepted(media_type: str | None, accept: tuple[str, ...]) -> bool:
    if media_type is None:
        return False
    if media_type in accept or "*/*" in accept:
        return True
    # Any "+xml" type (e.g. application/vnd.foo+xml) is XML when plain XML is accepted.
    return media_type.endswith("+xml") and ("application/xml" in accept or "text/xml" in accept)
