"""SSRF: every forbidden address or URL form is refused with a clear reason, before connecting."""

from __future__ import annotations

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler

import pytest

from claims.fetching import AddressPolicy, FetchError, InvalidURL, RefusedAddress, fetch, post_json
from claims.fetching.guard import parse_ipv4_like_browsers

from .conftest import ConnectLog, FakeResolver, LocalServer, send

# (url, reason fragment). All hosts are literals: no resolver involved.
LITERAL_CASES = [
    ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://127.1/", "127.0.0.1 is a loopback address"),
    ("http://2130706433/", "127.0.0.1 is a loopback address"),
    ("http://0177.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://0x7f.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://0x7f000001/", "127.0.0.1 is a loopback address"),
    ("http://0x7f.1/", "127.0.0.1 is a loopback address"),
    ("http://017700000001/", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.1./", "127.0.0.1 is a loopback address"),
    ("http://127.255.255.254/", "loopback address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "loopback address"),
    ("http://[::ffff:7f00:1]/", "loopback address"),
    ("http://[0:0:0:0:0:ffff:7f00:0001]/", "loopback address"),
    ("http://[::127.0.0.1]/", "IPv4-compatible"),
    ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ("http://0/", "0.0.0.0 is an unspecified address"),
    ("http://[::]/", ":: is an unspecified address"),
    ("http://10.0.0.1/", "Refused: 10.0.0.1 is a private address"),
    ("http://172.16.5.4/", "172.16.5.4 is a private address"),
    ("http://172.31.255.255/", "private address"),
    ("http://192.168.1.1/", "192.168.1.1 is a private address"),
    ("http://100.64.0.1/", "carrier-grade NAT"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://[::ffff:169.254.169.254]/", "cloud metadata"),
    ("http://100.100.100.200/", "cloud metadata"),
    ("http://[fd00:ec2::254]/", "cloud metadata"),
    ("http://169.254.1.1/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://239.255.255.250/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "broadcast"),
    ("http://198.18.0.1/", "benchmarking"),
    ("http://192.0.2.1/", "documentation"),
    ("http://203.0.113.9/", "documentation"),
    ("http://[2001:db8::1]/", "documentation"),
    ("http://[fc00::1]/", "unique-local"),
    ("http://[fd12:3456::1]/", "unique-local"),
    ("http://[fec0::1]/", "site-local"),
    ("http://[64:ff9b::a00:1]/", "IPv6-embedded private"),  # NAT64 of 10.0.0.1
    ("http://[64:ff9b::7f00:1]/", "IPv6-embedded loopback"),  # NAT64 of 127.0.0.1
    ("http://[2002:7f00:1::]/", "IPv6-embedded loopback"),  # 6to4 of 127.0.0.1
    ("http://[2002:a9fe:a9fe::1]/", "IPv6-embedded cloud metadata"),  # 6to4 of 169.254.169.254
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo"),
]

# (host, resolved addresses, reason fragment): host names our fake DNS maps to bad addresses.
RESOLVED_CASES = [
    ("internal.example", ["10.1.2.3"], "Refused: internal.example resolves to 10.1.2.3, a private"),
    ("loop.example", ["127.0.0.1"], "resolves to 127.0.0.1, a loopback"),
    ("v6loop.example", ["::1"], "resolves to ::1, a loopback"),
    ("mapped.example", ["::ffff:10.0.0.1"], "a private address"),
    ("meta.example", ["169.254.169.254"], "cloud metadata"),
    ("cgnat.example", ["100.64.1.1"], "carrier-grade NAT"),
    ("ula.example", ["fd00::5"], "unique-local"),
    # One bad address among good ones refuses the whole host (nothing is connected).
    ("mixed.example", ["93.184.216.34", "127.0.0.1"], "resolves to 127.0.0.1, a loopback"),
    ("mixed6.example", ["2606:4700::1111", "fe80::1"], "link-local"),
]

URL_FORM_CASES = [
    ("file:///etc/passwd", "Only http and https addresses can be fetched (got file:)"),
    ("ftp://news.example/feed.xml", "got ftp:"),
    ("gopher://127.0.0.1:70/_GET", "got gopher:"),
    ("data:text/html,<p>hi</p>", "got data:"),
    ("javascript:alert(1)", "got javascript:"),
    ("//news.example/no-scheme", "got no scheme"),
    ("http://user:secret@news.example/", "user name or password"),
    ("http://news.example@127.0.0.1/", "user name or password"),
    ("http://%31%32%37.0.0.1/", "percent-encoded host"),
    ("http://1.2.3.4.5/", "not a valid IPv4 address"),
    ("http://256.1.1.1/", "not a valid IPv4 address"),
    ("http://[fe80::1%25eth0]/", "zone"),
    ("http://news.example/\r\nX-Injected: 1", "control characters"),
    ("http:///nohost", "no host name"),
    ("http://localhost/", "localhost is a local or internal host name"),
    ("http://api.localhost/", "local or internal host name"),
    ("http://printer.local/", "local or internal host name"),
    ("http://metadata.google.internal/computeMetadata/v1/", "local or internal host name"),
    ("http://news.example:25/", "port 25 is not allowed"),
    ("http://news.example:6379/", "port 6379 is not allowed"),
]


def _assert_refused(exc: FetchError, fragment: str, connect_log: ConnectLog) -> None:
    assert fragment in exc.reason
    assert exc.transient is False
    assert connect_log.attempts == []  # refused BEFORE any connection attempt


@pytest.mark.parametrize(("url", "fragment"), LITERAL_CASES)
def test_literal_internal_address_is_refused(url, fragment, connect_log):
    with pytest.raises(RefusedAddress) as info:
        fetch(url)
    _assert_refused(info.value, fragment, connect_log)
    assert info.value.reason.startswith("Refused: ")


@pytest.mark.parametrize(("host", "addresses", "fragment"), RESOLVED_CASES)
def test_name_resolving_to_internal_address_is_refused(
    host, addresses, fragment, resolver: FakeResolver, connect_log
):
    resolver.add(host, *addresses)
    with pytest.raises(RefusedAddress) as info:
        fetch(f"http://{host}/article")
    _assert_refused(info.value, fragment, connect_log)
    assert resolver.calls == [host]


@pytest.mark.parametrize(("url", "fragment"), URL_FORM_CASES)
def test_forbidden_url_form_is_refused(url, fragment, resolver: FakeResolver, connect_log):
    resolver.add("news.example", "93.184.216.34")  # would be fine, if the URL itself were
    with pytest.raises((InvalidURL, RefusedAddress)) as info:
        fetch(url)
    _assert_refused(info.value, fragment, connect_log)


def test_default_policy_refuses_the_local_test_server(server: LocalServer, connect_log):
    server.static("/", b"<html>secret</html>")
    with pytest.raises(RefusedAddress, match="loopback"):
        fetch(server.url("/"), policy=AddressPolicy(allowed_ports=None))
    assert server.connections == 0
    assert connect_log.attempts == []


def test_allowlist_admits_only_the_listed_address(policy: AddressPolicy):
    assert policy.judge(ipaddress.ip_address("127.0.0.1")) is None
    assert policy.judge(ipaddress.ip_address("::ffff:127.0.0.1")) is None  # same address
    assert policy.judge(ipaddress.ip_address("127.0.0.2")) == "a loopback address"
    assert policy.judge(ipaddress.ip_address("::1")) == "a loopback address"
    assert policy.judge(ipaddress.ip_address("10.0.0.1")) == "a private address"


def test_denylist_refuses_an_otherwise_public_address():
    policy = AddressPolicy(denied_networks=("93.184.216.0/24",))
    assert policy.judge(ipaddress.ip_address("93.184.216.34")) == "a denied address"
    assert AddressPolicy().judge(ipaddress.ip_address("93.184.216.34")) is None


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "2a00:1450:4001:80b::200e"]
)
def test_public_addresses_are_allowed(address):
    assert AddressPolicy().judge(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("192.168.257", "192.168.1.1"),
        ("1.2.3.4.", "1.2.3.4"),
        ("news.example", None),
        ("123.example", None),
    ],
)
def test_numeric_hosts_parse_like_inet_aton(host, expected):
    parsed = parse_ipv4_like_browsers(host)
    assert (str(parsed) if parsed else None) == expected


@pytest.mark.parametrize(
    "forbidden",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://internal.example/admin",
        "http://[::1]:{port}/",
        "http://127.0.0.2:{port}/",
        "file:///etc/passwd",
    ],
)
def test_redirect_to_forbidden_address_is_refused(
    forbidden, server: LocalServer, policy, resolver: FakeResolver, connect_log
):
    resolver.add("internal.example", "10.0.0.5")
    location = forbidden.format(port=server.port)
    server.static("/go", b"", status=302, headers={"Location": location})
    with pytest.raises(FetchError) as info:
        fetch(server.url("/go"), policy=policy)
    assert info.value.transient is False
    assert "Refused" in info.value.reason or "Only http and https" in info.value.reason
    assert connect_log.attempts == ["127.0.0.1"]  # only the allowed first hop was connected
    assert [r.path for r in server.requests] == ["/go"]


def test_dns_rebinding_cannot_redirect_the_connection(resolver: FakeResolver, connect_log):
    """First answer 127.0.0.2 (allowed here), later answers 127.0.0.1 (forbidden).

    Two servers listen on the same port, one per address. Only the checked address may be
    connected to: the response must come from the 127.0.0.2 server and the 127.0.0.1 server
    must see no connection at all.
    """
    good = LocalServer("127.0.0.2").start()
    try:
        evil = LocalServer("127.0.0.1", good.port).start()
    except OSError:
        good.stop()
        pytest.skip("could not bind both loopback addresses to one port")
    try:
        good.static("/", b"<html><body>from the checked address</body></html>")
        evil.static("/", b"<html><body>from the rebound address</body></html>")
        answers = iter([["127.0.0.2"]])
        resolver.names["rebind.example"] = lambda: next(answers, ["127.0.0.1"])
        policy = AddressPolicy(allowed_networks=("127.0.0.2/32",), allowed_ports=None)

        result = fetch(f"http://rebind.example:{good.port}/", policy=policy)

        assert result.content == b"<html><body>from the checked address</body></html>"
        assert result.remote_address == "127.0.0.2"
        assert resolver.calls == ["rebind.example"]  # resolved exactly once
        assert connect_log.attempts == ["127.0.0.2"]
        assert evil.connections == 0
        # A second fetch now gets the rebound answer and is refused before connecting.
        with pytest.raises(RefusedAddress, match=r"resolves to 127\.0\.0\.1"):
            fetch(f"http://rebind.example:{good.port}/", policy=policy)
        assert evil.connections == 0
    finally:
        good.stop()
        evil.stop()


def test_post_json_obeys_the_same_address_rules(resolver: FakeResolver, connect_log):
    resolver.add("hooks.example", "192.168.0.10")
    with pytest.raises(RefusedAddress, match=r"192\.168\.0\.10, a private address"):
        post_json("https://hooks.example/claimdesk", b"{}", {})
    assert connect_log.attempts == []


def test_post_json_does_not_follow_redirects(server: LocalServer, policy):
    seen = threading.Event()

    @server.route("/hook")
    def hook(handler: BaseHTTPRequestHandler) -> None:
        seen.set()
        send(handler, 307, b"", headers={"Location": "http://169.254.169.254/"})

    from claims.fetching import RedirectNotFollowed

    with pytest.raises(RedirectNotFollowed, match="not followed"):
        post_json(server.url("/hook"), b'{"a": 1}', {}, policy=policy)
    assert seen.is_set()
    assert len(server.requests) == 1
