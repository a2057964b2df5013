"""A reverse proxy on loopback in front of a real typeserve, misbehaving on cue the way
rate-limited or broken APIs do: answering 429 with Retry-After, 503, or a garbage page, and
going down (its port closed) and coming back on the same port. Each request takes the next
cue from the script; with no cue left it forwards the request to the real upstream."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

GARBAGE = b"<html><body>Internal dashboard of upstream-secret-host</body></html>"


class FlakyProxy:
    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.script: list[str] = []
        self.seen: list[str] = []
        self.port = 0
        self.server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def next_cue(self, path: str) -> str:
        with self._lock:
            cue = self.script.pop(0) if self.script else "pass"
            self.seen.append(f"{cue} {path}")
            return cue

    def start(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def answer(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                cue = proxy.next_cue(self.path)
                if cue.startswith("429:"):
                    self.answer(
                        429, b'{"detail": "slow down, tenant 42"}', "application/json", {"Retry-After": cue[4:]}
                    )
                elif cue == "503":
                    self.answer(503, b'{"detail": "upstream-secret-host overloaded"}', "application/json", {})
                elif cue == "garbage":
                    self.answer(200, GARBAGE, "text/html", {})
                else:
                    forwarded = {
                        k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")
                    }
                    upstream = httpx.post(proxy.target + self.path, content=body, headers=forwarded, timeout=60)
                    self.answer(upstream.status_code, upstream.content, upstream.headers["content-type"], {})

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
