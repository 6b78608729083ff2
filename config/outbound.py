"""Outbound HTTPS requests to URLs that came from input: DID documents, status lists, partner webhooks.

Every such URL is hostile. A request here resolves the host once, refuses any address that is not public
(loopback, private, link-local, multicast, reserved, unspecified, shared and documentation ranges, IPv4 and
IPv6, IPv4 inside IPv6 included), connects to exactly the address it checked (no second DNS lookup for a
rebinding attacker to answer), checks the certificate against the host name, never follows a redirect, and
stops at a deadline and a size limit. Nothing here imports Django: callers pass a ``Policy``.
"""

import http.client
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class FetchRefused(Exception):
    """The request was refused or failed. The message is for logs, never for the person who sent the URL."""


@dataclass(frozen=True)
class Policy:
    timeout: float = 5.0  # per network operation, and never past the deadline
    max_bytes: int = 512 * 1024
    # Networks exempted from the public-address rule (an on-premises issuer, or a test's local TLS server).
    allowed_networks: tuple = ()
    cafile: str | None = None  # trust anchors other than the system's, e.g. an institution's own CA


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to. Tests replace this function; nothing else resolves names."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchRefused(f"cannot resolve {host}: {error}") from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def _embedded_ipv4(address):
    """The IPv4 address carried inside an IPv6 one (mapped, 6to4, Teredo, NAT64), if any."""
    if address.version != 6:
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    embedded = _embedded_ipv4(ip)
    if embedded is not None and not is_public(str(embedded)):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


def check_address(address: str, policy: Policy) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if any(ip in ipaddress.ip_network(network) for network in policy.allowed_networks):
        return
    if not is_public(address):
        raise FetchRefused(f"{address} is not a public address")


def check_url(url: str) -> tuple[str, int, str]:
    """``(host, port, path_and_query)`` of an acceptable https URL; raises FetchRefused otherwise."""
    if not isinstance(url, str) or len(url) > 2048 or any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise FetchRefused("not a usable URL")
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError as error:
        raise FetchRefused(f"malformed URL: {error}") from error
    if parts.scheme != "https":
        raise FetchRefused("only https URLs are fetched")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("URLs with credentials are refused")
    host = (parts.hostname or "").rstrip(".")
    if not _valid_host(host):
        raise FetchRefused(f"malformed host {host!r}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return host, port, path


def _valid_host(host):
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.lower().split(".")
    return 1 < len(labels) and len(ascii_host) <= 253 and all(_HOST_LABEL.match(label) for label in labels)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the address that was checked, while TLS still verifies the certificate for the host name."""

    def __init__(self, host, port, *, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused("time budget exhausted")
    return left


def request(method, url, *, policy: Policy, deadline: float | None = None, body=None, headers=None) -> Response:
    """One HTTPS request under ``policy``; 3xx answers are returned as they are, never followed."""
    deadline = deadline if deadline is not None else time.monotonic() + policy.timeout
    host, port, path = check_url(url)
    addresses = resolve(host, port)
    if not addresses:
        raise FetchRefused(f"{host} has no address")
    for address in addresses:  # every address must be acceptable, or a round-robin answer could slip one in
        check_address(address, policy)
    context = ssl.create_default_context(cafile=policy.cafile)
    connection = _PinnedHTTPSConnection(
        host, port, address=addresses[0], timeout=min(policy.timeout, _remaining(deadline)), context=context
    )
    try:
        connection.request(
            method, path, body=body, headers={"User-Agent": "microcredential-registry", **(headers or {})}
        )
        sock = connection.sock  # the connection forgets it once the answer is announced as its last
        response = connection.getresponse()
        content = _read_limited(sock, response, policy, deadline)
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, content)
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise FetchRefused(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()


def _read_limited(sock, response, policy, deadline):
    chunks, size = [], 0
    while True:
        sock.settimeout(min(policy.timeout, _remaining(deadline)))
        chunk = response.read1(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchRefused(f"response larger than {policy.max_bytes} bytes")
        chunks.append(chunk)


def get(url, *, policy: Policy, deadline: float | None = None, accept="application/json") -> bytes:
    """The body of a 200 answer to a GET; anything else (redirects included) is refused."""
    response = request("GET", url, policy=policy, deadline=deadline, headers={"Accept": accept})
    if response.status != 200:
        raise FetchRefused(f"HTTP {response.status}")
    return response.body
