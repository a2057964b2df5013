"""The isolated virtual environment of a Cog predictor: the Python that cog.yaml asks for, its
python_packages and PyPI's `cog` package (BasePredictor, Input, Path), built once under the
data directory's cache and shared by every repository whose build section is the same (keyed
by a hash of it), so that a second `models add` of the repository is fast."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from pathlib import Path

from typeserve.catalog.model_admin import ModelAdminError
from typeserve.runtimes.cog.config import CogConfig

COG_REQUIREMENT = "cog>=0.16,<1"
READY_STAMP = ".typeserve-ready"


def version_of(python: str) -> str | None:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def interpreter_for(version: str) -> str:
    wanted = ".".join(version.split(".")[:2])
    candidates = [sys.executable, shutil.which(f"python{wanted}")]
    for candidate in candidates:
        if candidate and version_of(candidate) == wanted:
            return candidate
    raise ModelAdminError(f"cog.yaml asks for Python {version}, which is not installed here (no python{wanted})")


def last_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    return (errors or lines or ["no output"])[-1]


def build_environment(config: CogConfig, cache: Path) -> Path:
    """The interpreter of the predictor's environment, built if it is not already."""
    key = config.environment_key(COG_REQUIREMENT)
    venv = cache / key
    python = venv / "bin" / "python"
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two `models add` of the same build wait for one
        if (venv / READY_STAMP).is_file() and python.exists():
            return python
        base = interpreter_for(config.python_version)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        steps = [[base, "-m", "venv", "--clear", str(venv)], [*pip, COG_REQUIREMENT, *config.python_packages]]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=1800, check=False)
            if done.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                what = "creating its virtualenv" if step is steps[0] else "installing cog.yaml's python_packages"
                raise ModelAdminError(f"{what} failed: {last_error(done.stderr + done.stdout)}")
        (venv / READY_STAMP).write_text(" ".join([COG_REQUIREMENT, *config.python_packages]))
    return python
