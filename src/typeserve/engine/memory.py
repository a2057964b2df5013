"""How much memory a process holds, read from Linux's /proc (0 where unavailable)."""

from __future__ import annotations

import os


def resident_bytes(pid: int | str = "self") -> int:
    """The resident set size of process `pid` (this process by default)."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
