"""Errors raised by the fetching package, each with a reason an editor can read."""

from __future__ import annotations


class FetchError(Exception):
    """Base class: `reason` is shown to editors, `transient` says whether a retry may help."""

    transient: bool = False

    def __init__(self, reason: str, *, url: str | None = None, transient: bool | None = None):
        super().__init__(reason)
        self.reason = reason
        self.url = url
        if transient is not None:
            self.transient = transient

    def __str__(self) -> str:
        return self.reason


class InvalidURL(FetchError):
    """The address is malformed or uses a scheme other than http/https."""


class RefusedAddress(FetchError):
    """The address policy forbids connecting to this host, address or port."""


class ResolutionError(FetchError):
    """The host name could not be resolved."""


class ConnectError(FetchError):
    """No TCP connection could be made to any checked address."""

    transient = True


class FetchTimeout(FetchError):
    """The connect timeout or the total deadline expired."""

    transient = True


class ConnectionLost(FetchError):
    """The server reset or closed the connection before the response was complete."""

    transient = True


class TLSError(FetchError):
    """The TLS handshake or certificate check failed."""


class ProtocolError(FetchError):
    """The server sent something that is not valid HTTP, or an undecodable body."""


class TooManyRedirects(FetchError):
    """More redirects than allowed, or a redirect loop."""


class RedirectNotFollowed(FetchError):
    """A redirect was returned where none may be followed (outgoing POST)."""


class HTTPStatusError(FetchError):
    """The final response had an error status (4xx/5xx)."""

    def __init__(
        self,
        reason: str,
        *,
        status: int,
        url: str | None = None,
        transient: bool | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(reason, url=url, transient=transient)
        self.status = status
        self.retry_after = retry_after


class UnsupportedContentType(FetchError):
    """The response is not of an accepted media type."""


class TooLarge(FetchError):
    """The (decoded) body is larger than allowed."""
