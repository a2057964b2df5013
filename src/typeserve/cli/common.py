"""What every `typeserve` subcommand shares: the consoles, the --data-dir option, settings
from it, and one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from typeserve.config import Settings, load_settings

console = Console()
err_console = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default: TYPESERVE_DATA_DIR or ~/.typeserve)."),
]


def settings_for(data_dir: Path | None, **overrides: Any) -> Settings:
    return load_settings(data_dir=data_dir, **overrides)


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def wide_console() -> Console:
    """Tables of results piped to a file are not cut to 80 columns."""
    return console if console.is_terminal else Console(width=200)
