"""A real Open Inference Protocol v2 server for the tests: KServe's `kserve.ModelServer` from
PyPI in a virtualenv of its own under .test-cache/ (kserve pins fastapi, uvicorn and more,
so it never goes into the server's environment), serving tests/support/kserve_sentiment.py."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.server import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
KSERVE_REQUIREMENT = "kserve>=0.15"


def kserve_python() -> Path:
    """The virtualenv's interpreter, building the virtualenv on first use (a few minutes)."""
    root = Path(os.environ.get("TYPESERVE_TEST_CACHE", REPO_ROOT / ".test-cache"))
    venv = root / "kserve-venv"
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    root.mkdir(parents=True, exist_ok=True)
    with (root / "kserve-venv.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test runs build it once
        if not stamp.exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", KSERVE_REQUIREMENT],
                check=True,
                timeout=1200,
            )
            stamp.write_text(KSERVE_REQUIREMENT)
    return python


@contextmanager
def kserve_sentiment_server(log: Path) -> Iterator[str]:
    """The base URL of a running KServe server with the `sentiment` model ready; its output
    goes to `log`."""
    port = free_port()
    env = {"PATH": os.environ.get("PATH", ""), "KSERVE_TEST_PORT": str(port), "HOME": os.environ.get("HOME", "/")}
    # Run from a copy: beside tests/support's own modules (http.py) the standard library is shadowed.
    script = log.parent / "kserve_sentiment.py"
    shutil.copyfile(REPO_ROOT / "tests" / "support" / "kserve_sentiment.py", script)
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(kserve_python()), str(script)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"kserve exited with {process.returncode}: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/v2/models/sentiment/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("kserve did not become ready within 120 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
