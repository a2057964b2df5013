"""The `typeserve` command. Every subcommand works on a data directory (--data-dir, else
TYPESERVE_DATA_DIR, else ~/.typeserve) and needs no running server; one module per group."""

from __future__ import annotations

import sys

import typer

from typeserve.cli.common import fail
from typeserve.cli.experiments import experiment_app
from typeserve.cli.keys import keys_app
from typeserve.cli.models import models_app
from typeserve.cli.samples import samples_app
from typeserve.cli.serving import evaluate, infer, openapi, serve
from typeserve.cli.usage import usage
from typeserve.cli.users import users_app

app = typer.Typer(help="typeserve: self-hosted, typed model inference.", no_args_is_help=True)
app.command()(serve)
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
app.add_typer(models_app, name="models")
app.command()(infer)
app.command("eval")(evaluate)
app.add_typer(experiment_app, name="experiment")
app.command()(openapi)
app.add_typer(samples_app, name="samples")
app.command()(usage)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:  # a file or directory the user named cannot be read or written
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc), 2)
        sys.exit(2)


__all__ = ["app", "main"]
