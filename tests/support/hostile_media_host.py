"""A media host on loopback that misbehaves the ways a hostile URL can: a gzip bomb stacked
twice, headers trickled one line at a time, redirects to malformed URLs, a redirect loop, and
one honest file, for the URL-fetch cases of the hostile-input tests."""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def gzip_bomb(inflated_mb: int) -> bytes:
    """Zeros compressed twice with gzip: a couple of KB that inflate to `inflated_mb` MiB."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    once = b"".join(compressor.compress(block) for _ in range(inflated_mb)) + compressor.flush()
    return gzip.compress(once, 9)


class _Handler(BaseHTTPRequestHandler):
    server: _HostileServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        routes = {
            "/bomb": self._bomb,
            "/trickle": self._trickle,
            "/loop": lambda: self._redirect("/loop"),
            "/to-bad-port": lambda: self._redirect("http://a:99999/"),
            "/to-bad-host": lambda: self._redirect("http://a..b/x"),
            "/file": self._file,
        }
        routes.get(self.path, self._missing)()

    def _bomb(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Encoding", "gzip, gzip")
        self.send_header("Content-Length", str(len(self.server.bomb)))
        self.end_headers()
        self.wfile.write(self.server.bomb)

    def _trickle(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        self.wfile.flush()
        try:
            for number in range(200):
                if self.server.closing.wait(0.3):
                    return
                self.wfile.write(f"X-Filler-{number}: {'y' * 10}\r\n".encode())
                self.wfile.flush()
        except OSError:
            return

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _file(self) -> None:
        body = self.server.file
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _missing(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _HostileServer(ThreadingHTTPServer):
    daemon_threads = True
    bomb: bytes
    file: bytes
    closing: threading.Event


@contextmanager
def hostile_media_host(file: bytes = b"", inflated_mb: int = 256) -> Iterator[str]:
    """The host's base URL (http://127.0.0.1:<port>) while the block runs."""
    server = _HostileServer(("127.0.0.1", 0), _Handler)
    server.bomb = gzip_bomb(inflated_mb)
    server.file = file
    server.closing = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.closing.set()
        server.shutdown()
        server.server_close()
        time.sleep(0)
