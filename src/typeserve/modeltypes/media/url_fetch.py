"""Fetching media from a URL without becoming a proxy into the operator's network: only
http(s), every address the host resolves to must be public (unless the operator allows
private ones), the connection goes to the address that was checked (no DNS rebinding),
redirects are re-checked hop by hop, and the body is capped in size and time."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit, urlunsplit

from typeserve.errors import bad_request, too_large

MAX_REDIRECTS = 3

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


def refuse_non_public(addresses: list[IPAddress], allow_private: bool) -> IPAddress:
    """The address to connect to, once every address of the host passed the policy."""
    if not addresses:
        raise bad_request("url_unresolvable", "The host has no address.")
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise bad_request(
                    "url_forbidden",
                    f"The URL points at a non-public address ({address}); "
                    "loopback, private and link-local addresses are refused.",
                )
    return addresses[0]


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def resolve_checked(host: str, port: int, allow_private: bool) -> IPAddress:
    literal = literal_address(host)
    if literal is not None:
        return refuse_non_public([literal], allow_private)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise bad_request("url_unresolvable", f"The host {host!r} could not be resolved.") from None
    return refuse_non_public([ipaddress.ip_address(info[4][0]) for info in infos], allow_private)


def resolve_checked_sync(host: str, port: int, allow_private: bool) -> IPAddress:
    """`resolve_checked` for callers on a worker thread (remote models)."""
    literal = literal_address(host)
    if literal is not None:
        return refuse_non_public([literal], allow_private)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise bad_request("url_unresolvable", f"The host {host!r} could not be resolved.") from None
    return refuse_non_public([ipaddress.ip_address(info[4][0]) for info in infos], allow_private)


def pinned_url(url: str, address: IPAddress) -> tuple[str, str]:
    """The URL rewritten to the checked address (no DNS rebinding), and the Host header that
    keeps the name (TLS still checks the certificate against it through SNI)."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    ip_host = f"[{address}]" if address.version == 6 else str(address)
    pinned = urlunsplit((parts.scheme, f"{ip_host}:{port}", parts.path or "/", parts.query, ""))
    host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    return pinned, host_header


async def fetch_url(url: str, *, max_bytes: int, timeout_s: float, allow_private: bool) -> bytes:
    import httpx  # imported on first use: it costs a noticeable share of the server's cold start

    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad_request("url_invalid", "Only absolute http and https URLs can be fetched.")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = await resolve_checked(parts.hostname, port, allow_private)
        pinned, host_header = pinned_url(url, address)
        try:
            async with (
                httpx.AsyncClient(timeout=timeout_s, follow_redirects=False) as client,
                client.stream(
                    "GET",
                    pinned,
                    headers={"Host": host_header, "User-Agent": "typeserve-media-fetch"},
                    extensions={"sni_hostname": parts.hostname},
                ) as response,
            ):
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code != 200:
                    raise bad_request(
                        "url_fetch_failed",
                        f"Fetching the URL answered HTTP {response.status_code}.",
                    )
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise too_large(f"The URL's content is larger than {max_bytes} bytes.")
                chunks: list[bytes] = []
                size = 0
                async with asyncio.timeout(timeout_s):
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise too_large(f"The URL's content is larger than {max_bytes} bytes.")
                        chunks.append(chunk)
                return b"".join(chunks)
        except (httpx.TimeoutException, TimeoutError):
            raise bad_request("url_fetch_failed", "Fetching the URL timed out.") from None
        except httpx.HTTPError as exc:
            raise bad_request("url_fetch_failed", f"Fetching the URL failed: {exc.__class__.__name__}.") from None
    raise bad_request("url_fetch_failed", f"The URL redirected more than {MAX_REDIRECTS} times.")
