"""`typeserve samples`: the code samples of the default catalog as a folder tree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from typeserve.cli.common import err_console

samples_app = typer.Typer(help="Code samples for the models.", no_args_is_help=True)


@samples_app.command("export")
def samples_export(
    directory: Annotated[Path, typer.Argument(help="Where to write {language}/{type}/ (e.g. samples).")],
) -> None:
    """Write the code samples of the default catalog as a folder tree."""
    from typeserve.samples.export import export_samples

    written = export_samples(directory)
    err_console.print(f"Wrote {len(written)} files under {directory}.")
