"""Worker processes that run in another Python: a predictor whose packages live in a virtual
environment of its own (a Cog repository's) is served by that environment's interpreter
running a host script, which speaks the same pipe protocol as `worker_process._serve`. Crash,
timeout and restart handling are WorkerProcess's; only the start differs."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.worker_process import WorkerProcess

# What the child inherits from this process's environment: nothing that would put the
# server's own packages (PYTHONPATH, the shared virtualenv) on the predictor's path.
INHERITED_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


class PopenProcess:
    """A subprocess.Popen with the few methods WorkerProcess calls on a multiprocessing Process."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        self.popen.kill()

    def join(self, timeout: float | None = None) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)


class VenvWorkerProcess(WorkerProcess):
    """`python host_script FD ARGS...` with the interpreter of another virtualenv; the child
    reads and writes pickled plain values (dicts, lists, strings, bytes) on FD."""

    def __init__(
        self,
        spec: ModelSpec,
        python: Path,
        host_script: Path,
        args: list[str],
        *,
        cwd: Path,
        load_timeout_s: float = 600.0,
        log_file: Path | None = None,
    ) -> None:
        super().__init__(spec, "cpu", load_timeout_s)
        self.python = python
        self.host_script = host_script
        self.args = args
        self.cwd = cwd
        self.log_file = log_file

    def launch(self) -> tuple[Any, Connection]:
        parent_socket, child_socket = socket.socketpair()
        env = {name: os.environ[name] for name in INHERITED_VARIABLES if name in os.environ}
        env["PYTHONUNBUFFERED"] = "1"
        output = self.log_file.open("ab") if self.log_file is not None else subprocess.DEVNULL
        try:
            popen = subprocess.Popen(
                [str(self.python), str(self.host_script), str(child_socket.fileno()), *self.args],
                cwd=self.cwd,
                env=env,
                pass_fds=(child_socket.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        finally:
            child_socket.close()
            if self.log_file is not None and not isinstance(output, int):
                output.close()
        return PopenProcess(popen), Connection(parent_socket.detach())
