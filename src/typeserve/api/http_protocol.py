"""The server's HTTP/1.1 connection protocol: uvicorn's httptools protocol, made to answer the
HTTP/2 offers that ordinary clients make. A cleartext upgrade offer (`Connection: Upgrade,
HTTP2-Settings` + `Upgrade: h2c`, sent by default by Java's `HttpClient` and by `curl --http2`)
is served as the plain HTTP/1.1 request it also is, body included; an HTTP/2 prior-knowledge
connection gets an HTTP/2 GOAWAY saying HTTP/1.1 is required instead of unreadable bytes.

Why a subclass: llhttp (inside httptools) stops at the end of the headers of every request that
offers an upgrade and reports the rest of the bytes as "the other protocol", after already
calling `on_message_complete`; uvicorn then starts the request with an empty body and discards
what follows (uvicorn issue #2722). RFC 9110 §7.8 lets a server ignore the offer, so this
protocol replays the request head without the offer into a fresh parser, followed by the bytes
llhttp left over, and the request runs once, with its body, on an ordinary keep-alive
connection. WebSocket upgrades keep uvicorn's own handling."""

from __future__ import annotations

import asyncio
import struct

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# RFC 9113 §3.4: the client connection preface of HTTP/2 "with prior knowledge".
HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
HTTP2_HTTP_1_1_REQUIRED = 0xD  # RFC 9113 §7 error code
UPGRADE_HEADERS = {b"upgrade", b"http2-settings"}
REFUSAL_TEXT = b"typeserve speaks HTTP/1.1 (an h2c upgrade offer is answered in HTTP/1.1)"


def http2_frame(frame_type: int, payload: bytes, stream_id: int = 0) -> bytes:
    """One HTTP/2 frame: 24-bit length, type, flags (none), 31-bit stream id, payload."""
    return struct.pack(">I", len(payload))[1:] + bytes([frame_type, 0]) + struct.pack(">I", stream_id) + payload


def http2_refusal() -> bytes:
    """An empty server SETTINGS frame (the server preface) and a GOAWAY with
    HTTP_1_1_REQUIRED: what an HTTP/2 client understands as 'use HTTP/1.1'."""
    goaway = struct.pack(">II", 0, HTTP2_HTTP_1_1_REQUIRED) + REFUSAL_TEXT
    return http2_frame(0x4, b"") + http2_frame(0x7, goaway)


def head_without_upgrade(method: bytes, url: bytes, version: str, headers: list[tuple[bytes, bytes]]) -> bytes:
    """The request head as sent, less the upgrade offer: no `Upgrade` or `HTTP2-Settings`
    header, and no `upgrade`/`http2-settings` token in `Connection`."""
    lines = [method + b" " + url + b" HTTP/" + version.encode("ascii")]
    for name, value in headers:
        if name in UPGRADE_HEADERS:
            continue
        if name == b"connection":
            tokens = [token.strip() for token in value.split(b",")]
            kept = [token for token in tokens if token and token.lower() not in UPGRADE_HEADERS]
            if not kept:
                continue
            value = b", ".join(kept)
        lines.append(name + b": " + value)
    return b"\r\n".join(lines) + b"\r\n\r\n"


class UpgradeTolerantHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol that serves non-WebSocket upgrade offers as HTTP/1.1 and
    refuses HTTP/2 prior knowledge in HTTP/2's own words."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._first_bytes: bytes | None = b""  # collected until they show whether this is HTTP/2 prior knowledge
        self._replaying = False

    def _ignores_upgrade(self) -> bool:
        return bool(self.parser.should_upgrade()) and not self._should_upgrade()

    def data_received(self, data: bytes) -> None:
        if self._first_bytes is not None:
            seen = self._first_bytes + data
            if HTTP2_PREFACE.startswith(seen[: len(HTTP2_PREFACE)]):
                if len(seen) < len(HTTP2_PREFACE):
                    self._first_bytes = seen
                    return
                self.logger.info("Refused an HTTP/2 prior-knowledge connection (HTTP/1.1 required).")
                self.transport.write(http2_refusal())
                self.transport.close()
                return
            self._first_bytes = None
            data = seen
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            msg = "Invalid HTTP request received."
            self.logger.warning(msg)
            self.send_400_response(msg)
        except httptools.HttpParserUpgrade as upgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            elif self._replaying:  # only CONNECT upgrades without an Upgrade header
                self.send_400_response("Unsupported upgrade request.")
            else:
                self._serve_without_upgrade(data[int(upgrade.args[0]) :])

    def _serve_without_upgrade(self, rest: bytes) -> None:
        """Replay the head without the offer, then the leftover bytes (the body and whatever
        follows it on the connection), into a fresh parser that serves the rest of the connection."""
        head = head_without_upgrade(
            self.scope["method"].encode("ascii"), self.url, self.parser.get_http_version(), self.headers
        )
        self.parser = httptools.HttpRequestParser(self)
        self.parser.set_dangerous_leniencies(lenient_data_after_close=True)
        self._replaying = True
        try:
            self.data_received(head + rest)
        finally:
            self._replaying = False

    # The offer's own parse is abandoned: no request starts until the replay.
    def on_headers_complete(self) -> None:
        if self._ignores_upgrade():
            self.scope["method"] = self.parser.get_method().decode("ascii")
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if self._ignores_upgrade():
            return
        super().on_body(body)

    def on_message_complete(self) -> None:
        if self._ignores_upgrade():
            return
        super().on_message_complete()
