"""What every `typeserve` subcommand shares: the consoles, the --data-dir option, settings
from it (resolved one way: --data-dir, else TYPESERVE_DATA_DIR, else ~/.typeserve, and named
on stderr by every command that writes), one-line errors, id columns that never truncate,
and progress bars."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from typeserve.config import Settings, load_settings

console = Console()
err_console = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default: TYPESERVE_DATA_DIR or ~/.typeserve)."),
]


def settings_for(data_dir: Path | None, **overrides: Any) -> Settings:
    return load_settings(data_dir=data_dir, **overrides)


def writing_settings(data_dir: Path | None, **overrides: Any) -> Settings:
    """Settings for a command that writes: it says which data directory it writes to, so that a
    server and a CLI command on different directories are noticed at once."""
    settings = settings_for(data_dir, **overrides)
    err_console.print(f"[dim]data dir: {settings.data_dir}[/dim]", highlight=False, soft_wrap=True)
    return settings


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def wide_console() -> Console:
    """Tables of results piped to a file are not cut to 80 columns."""
    return console if console.is_terminal else Console(width=200)


def table_with_ids(id_header: str, ids: list[str], *headers: str) -> Table:
    """A table whose first column holds full ids: never cut or wrapped, the other columns
    give way on a narrow terminal."""
    table = Table()
    width = max([len(id_header), *(len(i) for i in ids)])
    table.add_column(id_header, no_wrap=True, min_width=width)
    for index, header in enumerate(headers):
        last = index == len(headers) - 1
        table.add_column(header, no_wrap=not last, overflow="fold" if last else "ellipsis")
    return table


def new_progress(counted: bool, transient: bool = False) -> Progress:
    """A rich progress display on stderr; `counted` shows done/total beside the bar; a
    `transient` one is gone when it ends (what follows is the answer)."""
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
    if counted:
        columns.append(MofNCompleteColumn())
    return Progress(*columns, TimeElapsedColumn(), console=err_console, transient=transient)


@contextmanager
def progress_bar(description: str, total: int | None = None, transient: bool = False) -> Iterator[tuple[Progress, Any]]:
    """A progress bar (a pulsing one when the total is unknown) and its task, while the block runs."""
    progress = new_progress(total is not None, transient)
    with progress:
        yield progress, progress.add_task(description, total=total)
