"""Address policy: which URLs, host names, IP addresses and ports the fetcher may connect to.

Rules (the default `AddressPolicy()`):

* Only ``http`` and ``https`` URLs. URLs carrying a user name or password are refused outright
  (never sent, never stripped silently): no news page needs them, and ``good@evil`` style
  userinfo is a classic way to confuse whoever reads the URL.
* Host names are resolved exactly once with ``socket.getaddrinfo``. EVERY resolved address must
  be public; if any one is not, the whole host is refused (a host that mixes public and internal
  addresses is either misconfigured or an attack). The fetcher then connects to one of these
  checked addresses, never to the name, so a second (rebinding) DNS answer cannot be used.
* Numeric hosts are parsed the way browsers and ``inet_aton`` do (``2130706433``,
  ``0177.0.0.1``, ``0x7f.1``, ``127.1``) and the resulting address is judged.
* Refused address ranges: see `_V4_RULES` / `_V6_RULES` (loopback, private, CGNAT, link-local,
  cloud metadata, multicast, reserved, documentation, benchmarking, ULA, site-local, ...),
  plus anything Python does not consider globally routable. IPv6 addresses that embed an IPv4
  address (IPv4-mapped, NAT64, 6to4) are judged by the embedded address; IPv4-compatible and
  Teredo addresses are refused.
* Ports: by default only 80, 443, 8080 and 8443. Other ports on public hosts are mostly mail,
  database or admin services, which a fact-checking desk never needs; set
  ``allowed_ports=None`` to allow any port.
* An explicit allowlist (``allowed_networks``) overrides the address rules; tests use it to
  reach a local server at 127.0.0.1 and nothing else.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from .errors import InvalidURL, RefusedAddress, ResolutionError

type IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
type IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_PORTS: frozenset[int] = frozenset({80, 443, 8080, 8443})
DEFAULT_PORT_BY_SCHEME = {"http": 80, "https": 443}

# Cloud metadata endpoints get their own label so editors and operators see what was attempted.
_METADATA = [
    "169.254.169.254/32",  # AWS, GCP, Azure, OpenStack, DigitalOcean ...
    "169.254.170.2/32",  # AWS ECS task metadata
    "169.254.169.253/32",  # AWS VPC DNS
    "100.100.100.200/32",  # Alibaba Cloud
    "168.63.129.16/32",  # Azure wireserver (a public address, reachable only from Azure VMs)
    "192.0.0.192/32",  # Oracle Cloud
    "fd00:ec2::254/128",  # AWS IMDS over IPv6
    "fd00:ec2::23/128",  # AWS Time Sync / DNS over IPv6
]

# Order matters: the first matching rule names the reason.
_V4_RULES: list[tuple[str, str]] = [
    *((net, "cloud metadata") for net in _METADATA if ":" not in net),
    ("0.0.0.0/32", "unspecified"),
    ("255.255.255.255/32", "broadcast"),
    ("0.0.0.0/8", "'this network'"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared (carrier-grade NAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol assignment"),
    ("192.0.2.0/24", "documentation"),
    ("192.31.196.0/24", "AS112"),
    ("192.52.193.0/24", "AMT"),
    ("192.88.99.0/24", "6to4 relay anycast"),
    ("192.168.0.0/16", "private"),
    ("192.175.48.0/24", "AS112"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
]

_V6_RULES: list[tuple[str, str]] = [
    *((net, "cloud metadata") for net in _METADATA if ":" in net),
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::/96", "IPv4-compatible (deprecated)"),
    ("64:ff9b:1::/48", "local-use NAT64"),
    ("100::/64", "discard-only"),
    ("2001::/32", "Teredo tunnel"),
    ("2001:2::/48", "benchmarking"),
    ("2001:10::/28", "ORCHID"),
    ("2001:20::/28", "ORCHIDv2"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("5f00::/16", "segment routing (SRv6)"),
    ("fc00::/7", "unique-local (private)"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local"),
    ("ff00::/8", "multicast"),
]

_V4_TABLE = [(ipaddress.IPv4Network(net), label) for net, label in _V4_RULES]
_V6_TABLE = [(ipaddress.IPv6Network(net), label) for net, label in _V6_RULES]
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")

# Names that must never be looked up: they are local by definition (RFC 6761, 6762, 8375, ICANN
# .internal) or are well-known metadata names. Their addresses would be refused anyway; refusing
# the name gives a clearer reason and does not depend on the local resolver's answer.
_BLOCKED_NAMES = frozenset({"localhost", "metadata", "metadata.google.internal", "instance-data"})
_BLOCKED_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".localdomain")

_HOST_CHARS = re.compile(r"^[a-z0-9_.-]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Characters allowed unescaped in a request target; everything else (e.g. non-ASCII slugs,
# spaces) is percent-encoded, existing %XX escapes are kept.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/?%:@!$&'()*+,;=-._~"


@dataclass(frozen=True, slots=True)
class Target:
    """A checked, normalised URL split into what the fetcher needs to connect."""

    scheme: str
    host: str  # ASCII, lowercase, no brackets, no trailing dot
    port: int
    request_target: str  # path + query, percent-encoded
    ip_literal: IPAddress | None

    @property
    def default_port(self) -> bool:
        """Whether the port is the scheme's default (then it is left out of URL and Host)."""
        return DEFAULT_PORT_BY_SCHEME[self.scheme] == self.port

    @property
    def host_header(self) -> str:
        """Value of the Host header (and the authority part of `url`)."""
        host = f"[{self.host}]" if isinstance(self.ip_literal, ipaddress.IPv6Address) else self.host
        return host if self.default_port else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """The normalised absolute URL, without fragment."""
        return f"{self.scheme}://{self.host_header}{self.request_target}"

    @property
    def origin(self) -> tuple[str, str, int]:
        """Scheme, host and port: credentials headers are only kept within one origin."""
        return (self.scheme, self.host, self.port)


def parse_ipv4_like_browsers(host: str) -> ipaddress.IPv4Address | None:
    """Parse `host` as an IPv4 address the way WHATWG URL / inet_aton do, or return None.

    Accepts 1-4 dot-separated parts, each decimal, octal (leading 0) or hex (0x); the last part
    fills the remaining bytes ("127.1", "2130706433"). Returns None if the host is not numeric
    (then it is a domain name); raises InvalidURL if it looks numeric but is out of range.
    """
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()  # one trailing dot is allowed, like in a fully qualified name
    if not parts or not _looks_numeric(parts[-1]):
        return None
    if len(parts) > 4:
        raise InvalidURL(f"Not a valid web address: {host!r} is not a valid IPv4 address")
    numbers: list[int] = []
    for part in parts:
        number = _parse_ipv4_number(part)
        if number is None:
            raise InvalidURL(f"Not a valid web address: {host!r} is not a valid IPv4 address")
        numbers.append(number)
    last = numbers.pop()
    if any(n > 255 for n in numbers) or last >= 256 ** (5 - len(parts)):
        raise InvalidURL(f"Not a valid web address: {host!r} is not a valid IPv4 address")
    value = last
    for index, number in enumerate(numbers):
        value += number * 256 ** (3 - index)
    return ipaddress.IPv4Address(value)


def _looks_numeric(part: str) -> bool:
    return bool(part) and (part.isdigit() or re.fullmatch(r"0[xX][0-9a-fA-F]*", part) is not None)


def _parse_ipv4_number(part: str) -> int | None:
    if not part:
        return None
    try:
        if part[:2].lower() == "0x":
            return int(part[2:], 16) if part[2:] else 0
        if len(part) > 1 and part[0] == "0":
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


@dataclass(frozen=True)
class AddressPolicy:
    """Decides which URLs and addresses may be fetched; see the module docstring for the rules.

    `allowed_networks` (CIDR strings or networks) are allowed even if the rules would refuse
    them; `denied_networks` are refused in addition to the rules. `allowed_ports=None` allows
    every port.
    """

    allowed_networks: Iterable[str | IPNetwork] = ()
    denied_networks: Iterable[str | IPNetwork] = ()
    allowed_ports: frozenset[int] | None = DEFAULT_PORTS
    _allow: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False)
    _deny: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Normalise to tuples of networks once, so the dataclass stays hashable and cheap to use.
        allow = tuple(ipaddress.ip_network(n) for n in self.allowed_networks)
        deny = tuple(ipaddress.ip_network(n) for n in self.denied_networks)
        object.__setattr__(self, "allowed_networks", allow)
        object.__setattr__(self, "denied_networks", deny)
        object.__setattr__(self, "_allow", allow)
        object.__setattr__(self, "_deny", deny)
        if self.allowed_ports is not None:
            object.__setattr__(self, "allowed_ports", frozenset(self.allowed_ports))

    # -- addresses ---------------------------------------------------------------------------

    def judge(self, ip: IPAddress) -> str | None:
        """Return why `ip` is refused (e.g. "a private address"), or None if it is allowed."""
        if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
            return "an address with a zone index"
        # Judge an IPv4-mapped address (::ffff:a.b.c.d) exactly like the IPv4 address it reaches.
        effective: IPAddress = ip
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            effective = ip.ipv4_mapped
        if any(effective in net for net in self._deny if net.version == effective.version):
            return "a denied address"
        if any(effective in net for net in self._allow if net.version == effective.version):
            return None
        label = _classify(effective)
        if label is None:
            return None
        return f"an {label} address" if label[0] in "aeiouAEIOU" else f"a {label} address"

    def check_ip(self, ip: IPAddress, *, host: str | None = None) -> None:
        """Raise RefusedAddress if `ip` may not be connected to."""
        why = self.judge(ip)
        if why is None:
            return
        if host is None or host == str(ip):
            raise RefusedAddress(f"Refused: {ip} is {why}")
        raise RefusedAddress(f"Refused: {host} resolves to {ip}, {why}")

    # -- URLs --------------------------------------------------------------------------------

    def parse_url(self, url: str) -> Target:
        """Check scheme, credentials, host syntax, host name and port; return the Target."""
        if not isinstance(url, str) or not url:
            raise InvalidURL("Not a valid web address: empty address")
        url = url.strip(" ")
        if _CONTROL.search(url):
            # Control characters (CR/LF above all) could smuggle headers into the request.
            raise InvalidURL("Not a valid web address: it contains control characters")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise InvalidURL(f"Not a valid web address: {exc}", url=url) from None
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORT_BY_SCHEME:
            shown = f"{scheme}:" if scheme else "no scheme"
            raise InvalidURL(f"Only http and https addresses can be fetched (got {shown})", url=url)
        if "@" in parts.netloc:
            raise InvalidURL(
                "Refused: addresses with a user name or password are not fetched", url=url
            )
        raw_host = parts.hostname  # lowercased, brackets stripped
        if not raw_host:
            raise InvalidURL("Not a valid web address: no host name", url=url)
        port = port if port is not None else DEFAULT_PORT_BY_SCHEME[scheme]
        if not 0 < port < 65536:
            raise InvalidURL(f"Not a valid web address: port {port} is out of range", url=url)

        ip_literal: IPAddress | None
        if parts.netloc.partition(":")[0].startswith("[") or ":" in raw_host:
            if "%" in raw_host:
                raise InvalidURL("Not a valid web address: IPv6 zone indexes are not allowed")
            try:
                ip_literal = ipaddress.IPv6Address(raw_host)
            except ValueError:
                raise InvalidURL(f"Not a valid web address: bad IPv6 host {raw_host!r}") from None
            host = str(ip_literal)
        else:
            host = _ascii_host(raw_host, url)
            ip_literal = parse_ipv4_like_browsers(host)
            if ip_literal is not None:
                host = str(ip_literal)
            elif host in _BLOCKED_NAMES or host.endswith(_BLOCKED_SUFFIXES):
                raise RefusedAddress(f"Refused: {host} is a local or internal host name", url=url)

        if self.allowed_ports is not None and port not in self.allowed_ports:
            allowed = ", ".join(str(p) for p in sorted(self.allowed_ports))
            raise RefusedAddress(f"Refused: port {port} is not allowed (only {allowed})", url=url)
        if ip_literal is not None:
            self.check_ip(ip_literal)

        path = quote(parts.path or "/", safe=_PATH_SAFE)
        if not path.startswith("/"):
            path = "/" + path
        query = quote(parts.query, safe=_QUERY_SAFE)
        request_target = f"{path}?{query}" if query else path
        return Target(scheme, host, port, request_target, ip_literal)

    def resolve(self, target: Target) -> list[IPAddress]:
        """Resolve the target's host ONCE and check every address; return them in order.

        All addresses must pass: one refused address refuses the host.
        """
        if target.ip_literal is not None:
            self.check_ip(target.ip_literal)
            return [target.ip_literal]
        try:
            infos = socket.getaddrinfo(
                target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except socket.gaierror as exc:
            # A temporary DNS failure may heal; "no such name" will not.
            transient = exc.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None))
            raise ResolutionError(
                f"Could not find the server {target.host}", url=target.url, transient=transient
            ) from None
        except (UnicodeError, OSError):
            raise ResolutionError(
                f"Could not find the server {target.host}", url=target.url
            ) from None
        addresses: list[IPAddress] = []
        for family, _type, _proto, _canon, sockaddr in infos:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            ip = ipaddress.ip_address(sockaddr[0])
            if isinstance(ip, ipaddress.IPv6Address) and len(sockaddr) >= 4 and sockaddr[3]:
                raise RefusedAddress(
                    f"Refused: {target.host} resolves to {ip}, an address with a zone index",
                    url=target.url,
                )
            if ip not in addresses:
                addresses.append(ip)
        if not addresses:
            raise ResolutionError(f"Could not find the server {target.host}", url=target.url)
        for ip in addresses:
            self.check_ip(ip, host=target.host)
        return addresses

    def check_url(self, url: str) -> tuple[Target, list[IPAddress]]:
        """Parse, check and resolve `url`: the addresses returned are the only ones to use."""
        target = self.parse_url(url)
        return target, self.resolve(target)


def _ascii_host(host: str, url: str) -> str:
    """Lowercase ASCII (IDNA) form of a host name, without one trailing dot."""
    if "%" in host:
        # Browsers percent-decode hosts ("%31%32%37.0.0.1"); we refuse rather than guess.
        raise InvalidURL("Not a valid web address: percent-encoded host name", url=url)
    host = host.removesuffix(".")
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidURL(f"Not a valid web address: bad host name {host!r}", url=url) from None
    if not ascii_host or len(ascii_host) > 253 or not _HOST_CHARS.match(ascii_host):
        raise InvalidURL(f"Not a valid web address: bad host name {host!r}", url=url)
    return ascii_host


def _classify(ip: IPAddress) -> str | None:
    """Label of the non-public range `ip` is in, or None for a public address."""
    if isinstance(ip, ipaddress.IPv4Address):
        for net, label in _V4_TABLE:
            if ip in net:
                return label
        return None if ip.is_global else "non-public"
    for net, label in _V6_TABLE:
        if ip in net:
            return label
    # Addresses that carry an IPv4 address are judged by it (NAT64 well-known prefix, 6to4).
    embedded: ipaddress.IPv4Address | None = None
    if ip in _NAT64:
        embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    elif ip.sixtofour is not None:
        embedded = ip.sixtofour
    if embedded is not None:
        inner = _classify(embedded)
        return None if inner is None else f"IPv6-embedded {inner}"
    if ip not in _GLOBAL_UNICAST_V6:
        return "reserved"
    return None if ip.is_global else "non-public"


DEFAULT_POLICY = AddressPolicy()
