"""Fetching media from a URL without becoming a proxy into the operator's network: only
http(s), every address the host resolves to must be public (unless the operator allows
private ones), the connection goes to the address that was checked (no DNS rebinding),
redirects are re-checked hop by hop, and the whole fetch (every hop, headers and body) has
one deadline. Compressed bodies are inflated here, never past the size cap."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from typeserve.errors import bad_request, too_large
from typeserve.modeltypes.media.bounded_inflate import BoundedDecoder, UnsupportedEncoding

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 3
MAX_HOST_CHARS = 253
MAX_LABEL_CHARS = 63

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public_address(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def invalid_url(detail: str) -> Exception:
    return bad_request("url_invalid", detail)


def checked_host(host: str) -> str:
    """A host name that DNS can be asked about (IDNA-encoded), or a 400 saying why not."""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise invalid_url(f"The URL's host {host[:80]!r} is not a valid host name.") from None
    labels = ascii_host.rstrip(".").split(".")
    if len(ascii_host) > MAX_HOST_CHARS or any(not label or len(label) > MAX_LABEL_CHARS for label in labels):
        raise invalid_url(f"The URL's host {host[:80]!r} is not a valid host name.")
    return ascii_host


def parse_url(url: str) -> tuple[SplitResult, str, int]:
    """The URL's parts, its checked host and its port; 400 for anything malformed."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise invalid_url(f"The URL is malformed: {exc}.") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise invalid_url("Only absolute http and https URLs can be fetched.")
    if port == 0:
        raise invalid_url("The URL's port must be 1 to 65535.")
    return parts, checked_host(hostname), port or (443 if parts.scheme == "https" else 80)


def refuse_non_public(addresses: list[IPAddress], host: str, allow_private: bool) -> IPAddress:
    """The address to connect to, once every address of the host passed the policy."""
    if not addresses:
        raise bad_request("url_unresolvable", f"The host {host[:80]!r} has no address.")
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise bad_request(
                    "url_forbidden",
                    f"The URL points at a non-public address ({address}); "
                    "loopback, private and link-local addresses are refused.",
                )
    return addresses[0]


def addresses_of(infos: list[tuple[Any, ...]]) -> list[IPAddress]:
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


async def resolve_checked(host: str, port: int, allow_private: bool) -> IPAddress:
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(host)]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            addresses = addresses_of(await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (socket.gaierror, UnicodeError, OSError):
            raise bad_request("url_unresolvable", f"The host {host[:80]!r} could not be resolved.") from None
    return refuse_non_public(addresses, host, allow_private)


def resolve_checked_sync(host: str, port: int, allow_private: bool) -> IPAddress:
    """`resolve_checked` for callers on a worker thread (remote models)."""
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = addresses_of(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (socket.gaierror, UnicodeError, OSError):
            raise bad_request("url_unresolvable", f"The host {host[:80]!r} could not be resolved.") from None
    return refuse_non_public(addresses, host, allow_private)


def pinned_url(url: str, address: IPAddress) -> tuple[str, str]:
    """The URL rewritten to the checked address (no DNS rebinding), and the Host header that
    keeps the name (TLS still checks the certificate against it through SNI)."""
    parts, host, port = parse_url(url)
    ip_host = f"[{address}]" if address.version == 6 else str(address)
    pinned = urlunsplit((parts.scheme, f"{ip_host}:{port}", parts.path or "/", parts.query, ""))
    return pinned, host if parts.port is None else f"{host}:{port}"


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, inflated layer by layer without ever holding more than `max_bytes`."""
    try:
        decoder = BoundedDecoder(response.headers.get("content-encoding", ""), max_bytes)
    except UnsupportedEncoding as exc:
        raise bad_request("url_fetch_failed", f"The URL's content encoding {exc} is not supported.") from None
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise too_large(f"The URL's content is larger than {max_bytes} bytes.")
    chunks: list[bytes] = []
    async for raw in response.aiter_raw():
        chunks.append(decoder.feed(raw))
    chunks.append(decoder.finish())
    return b"".join(chunks)


async def fetch_once(url: str, max_bytes: int, timeout_s: float, allow_private: bool) -> tuple[bytes | None, str]:
    """One hop: the body, or None and the URL it redirects to."""
    import httpx  # imported on first use: it costs a noticeable share of the server's cold start

    _, host, port = parse_url(url)
    address = await resolve_checked(host, port, allow_private)
    pinned, host_header = pinned_url(url, address)
    try:
        async with (
            httpx.AsyncClient(timeout=timeout_s, follow_redirects=False) as client,
            client.stream(
                "GET",
                pinned,
                headers={
                    "Host": host_header,
                    "User-Agent": "typeserve-media-fetch",
                    "Accept-Encoding": "gzip, deflate",
                },
                extensions={"sni_hostname": host},
            ) as response,
        ):
            if response.is_redirect and "location" in response.headers:
                return None, urljoin(url, response.headers["location"])
            if response.status_code != 200:
                raise bad_request("url_fetch_failed", f"Fetching the URL answered HTTP {response.status_code}.")
            return await read_capped(response, max_bytes), url
    except httpx.TimeoutException:
        raise bad_request("url_fetch_failed", "Fetching the URL timed out.") from None
    except httpx.HTTPError as exc:
        raise bad_request("url_fetch_failed", f"Fetching the URL failed: {exc.__class__.__name__}.") from None


async def fetch_url(url: str, *, max_bytes: int, timeout_s: float, allow_private: bool) -> bytes:
    """The URL's body; `timeout_s` bounds the whole fetch, redirects included, not each read."""
    try:
        async with asyncio.timeout(timeout_s):
            for _ in range(MAX_REDIRECTS + 1):
                body, url = await fetch_once(url, max_bytes, timeout_s, allow_private)
                if body is not None:
                    return body
    except TimeoutError:
        raise bad_request("url_fetch_failed", f"Fetching the URL took longer than {timeout_s:g} s.") from None
    raise bad_request("url_fetch_failed", f"The URL redirected more than {MAX_REDIRECTS} times.")
