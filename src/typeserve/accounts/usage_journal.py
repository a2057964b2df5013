"""The usage journal: every metered request is appended (one write(2), no fsync) to a segment
file before its answer is sent, so that a `kill -9` of the server loses no usage; the
operating system keeps what was written. The usage writer rotates segments, inserts their
rows and then deletes them; segments left by a dead process are replayed at start, skipping
rows the database already holds (a crash between insert and delete).

Each process writes its own segments and holds an exclusive lock on its current one, so a
second process on the same data directory never replays a live process's journal."""

from __future__ import annotations

import fcntl
import itertools
import logging
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from typeserve.store.private_files import PRIVATE_FILE_MODE, private_dir

log = logging.getLogger("typeserve.usage")

SEGMENT_GLOB = "usage-*.jsonl"


def encode_row(row: tuple[Any, ...]) -> bytes:
    # orjson writes aware datetimes as RFC 3339 itself, in C: no Python call per row.
    return orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE)


def decode_rows(data: bytes) -> Iterator[list[Any]]:
    """The segment's rows; a last line cut short by the crash is skipped."""
    for line in data.splitlines():
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(row, list) and len(row) == 9:
            row[0] = datetime.fromisoformat(row[0])
            yield row


class Segment:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, PRIVATE_FILE_MODE)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.rows = 0

    def append(self, data: bytes) -> None:
        os.write(self.fd, data)
        self.rows += 1

    def close(self) -> None:
        os.close(self.fd)  # also drops the lock


class UsageJournal:
    def __init__(self, directory: Path) -> None:
        self.directory = private_dir(directory)
        self._numbers = itertools.count()
        self.current = self._open()

    def _open(self) -> Segment:
        return Segment(self.directory / f"usage-{os.getpid()}-{os.urandom(3).hex()}-{next(self._numbers):08d}.jsonl")

    def append(self, row: tuple[Any, ...]) -> None:
        self.current.append(encode_row(row))

    def rotate(self) -> Path:
        """Close the current segment (returned) and start a new one."""
        closed = self.current
        self.current = self._open()
        closed.close()
        return closed.path

    def leftovers(self) -> Iterator[tuple[Path, list[list[Any]]]]:
        """Segments of processes that are gone, with their rows."""
        for path in sorted(self.directory.glob(SEGMENT_GLOB)):
            if path == self.current.path:
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # a live process writes it
            try:
                with os.fdopen(fd, "rb") as handle:
                    yield path, list(decode_rows(handle.read()))
            except OSError:
                log.exception("reading the usage journal segment %s failed", path.name)

    @staticmethod
    def discard(paths: list[Path]) -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the current segment, deleting it when nothing was written to it."""
        self.current.close()
        if self.current.rows == 0:
            self.current.path.unlink(missing_ok=True)
