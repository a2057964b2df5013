"""A real typeserve server in a subprocess on a free loopback port, as a user starts it, with
the first admin key read from what it prints."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

KEY_PATTERN = re.compile(r"\btsk_[0-9a-f]+_[A-Za-z0-9_-]+")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    process: subprocess.Popen[str]
    base_url: str
    data_dir: Path
    env: dict[str, str]
    output: list[str] = field(default_factory=list)
    admin_key: str | None = None

    def client(self, key: str | None = None, timeout: float = 60.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key or self.admin_key}"} if (key or self.admin_key) else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    @property
    def log(self) -> str:
        return "".join(self.output)

    def alive(self) -> bool:
        return self.process.poll() is None

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the `typeserve` CLI against this server's data directory."""
        return subprocess.run(
            [sys.executable, "-m", "typeserve", *args, "--data-dir", str(self.data_dir)],
            env=self.env, capture_output=True, text=True, check=check, timeout=120,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(data_dir: Path, extra_env: dict[str, str] | None = None, args: tuple[str, ...] = (),
                 ready_timeout: float = 120.0) -> LiveServer:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "HF_HUB_OFFLINE": "1", **(extra_env or {})}
    env.pop("TYPESERVE_DATA_DIR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "typeserve", "serve", "--port", str(port), "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    server = LiveServer(process=process, base_url=f"http://127.0.0.1:{port}", data_dir=data_dir, env=env)

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            server.output.append(line)
            if server.admin_key is None and (match := KEY_PATTERN.search(line)):
                server.admin_key = match.group(0)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log}")
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server not ready after {ready_timeout} s:\n{server.log}")
