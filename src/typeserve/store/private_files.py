"""Files only the server's user may read: the data directory (0700), the SQLite database and
its journals (0600), and secrets kept beside them (0600), made so from the moment they exist."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) as 0700; an existing directory is tightened to 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    # Not ours to change (e.g. a mounted volume owned by another user): its owner chose.
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty as 0600 unless it exists; an existing file is tightened to 0600."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_FILE_MODE)
    return path


def secret_file(path: Path, nbytes: int = 48) -> str:
    """The secret kept in `path`, created (0600, written once, atomically) on first use."""
    try:
        existing = path.read_text().strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        private_file(path)
        return existing
    value = secrets.token_urlsafe(nbytes)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    try:
        os.link(temporary, path)  # fails if another process made it first: theirs wins
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_text().strip()
