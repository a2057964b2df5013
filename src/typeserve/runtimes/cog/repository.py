"""A git repository at a pinned commit, checked out under the data directory's cache:
`git+https://host/repo@REV`, `git+file:///path@REV`, `file:///path` or a local path to a
repository. The same commit of the same repository is checked out once."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from typeserve.catalog.model_admin import ModelAdminError


@dataclass(frozen=True)
class Checkout:
    url: str
    commit: str
    path: Path


def split_source(source: str) -> tuple[str, str | None]:
    """The repository's URL (or path) and the revision asked for, if any."""
    url = source.removeprefix("git+")
    if "@" in url.rsplit("/", 1)[-1]:
        url, _, revision = url.rpartition("@")
        return url, revision or None
    return url, None


def git(*args: str, cwd: Path | None = None) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True, timeout=600)
    except FileNotFoundError:
        raise ModelAdminError("git is not installed") from None
    except subprocess.CalledProcessError as exc:
        message = (exc.stderr or exc.stdout or "").strip().splitlines()
        raise ModelAdminError(f"git {args[0]} failed: {message[-1] if message else exc.returncode}") from None
    return done.stdout.strip()


def check_out(source: str, cache: Path) -> Checkout:
    url, revision = split_source(source)
    if not url.startswith(("https://", "http://", "file://", "ssh://")):
        local = Path(url).expanduser().resolve()
        if not (local / ".git").exists():
            raise ModelAdminError(f"{url} is not a git repository (commit it, or give git+URL@REV)")
        url = local.as_uri()
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="clone-", dir=cache))
    try:
        git("clone", "--quiet", "--no-checkout", url, str(staging))
        git("checkout", "--quiet", revision or "HEAD", cwd=staging)
        commit = git("rev-parse", "HEAD", cwd=staging)
        final = cache / f"{hashlib.sha256(url.encode()).hexdigest()[:12]}-{commit[:12]}"
        if final.exists():
            shutil.rmtree(staging)
        else:
            staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Checkout(url=url, commit=commit, path=final)


LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING")
SPDX_BY_FIRST_LINE = {"mit license": "MIT", "apache license": "Apache-2.0", "bsd 3-clause": "BSD-3-Clause"}


def licence_of(checkout: Path) -> tuple[str, str | None]:
    """The SPDX id (or "see LICENSE") and the text of the repository's licence file."""
    for name in LICENSE_NAMES:
        file = checkout / name
        if file.is_file():
            text = file.read_text("utf-8", errors="replace")
            first = text.strip().splitlines()[0].lower() if text.strip() else ""
            spdx = next((v for k, v in SPDX_BY_FIRST_LINE.items() if first.startswith(k)), f"see {name}")
            return spdx, text
    return "unknown", None
