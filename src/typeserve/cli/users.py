"""`typeserve users`: console users who sign in with a password."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from typeserve.cli.common import DataDir, console, fail, writing_settings
from typeserve.cli.limit_options import Burst, Quotas, Rates, describe, limits_from_options

users_app = typer.Typer(help="Console users (sign-in with a password).", no_args_is_help=True)


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("create")
def users_create(
    name: str,
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an administrator.")] = False,
    password_stdin: PasswordStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Create a console user; prompts for the password (or reads it with --password-stdin)."""
    from typeserve.accounts.passwords import UserExists, create_user
    from typeserve.store import open_database

    password = read_password(password_stdin)
    db = open_database(writing_settings(data_dir))
    try:
        user = create_user(db, name, password, is_admin=admin)
    except (UserExists, ValueError) as exc:
        raise fail(str(exc), 2) from None
    console.print(f"Created {'admin ' if user.is_admin else ''}user [bold]{user.name}[/bold].")


@users_app.command("set-password")
def users_set_password(name: str, password_stdin: PasswordStdin = False, data_dir: DataDir = None) -> None:
    """Set a console user's password."""
    from typeserve.accounts.passwords import set_password
    from typeserve.store import open_database

    password = read_password(password_stdin)
    try:
        found = set_password(open_database(writing_settings(data_dir)), name, password)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    if not found:
        raise fail(f"no user named {name!r}", 2)
    console.print(f"Set the password of {name}.")


@users_app.command("limits")
def users_limits(
    name: str,
    rate: Rates = None,
    quota: Quotas = None,
    burst: Burst = None,
    data_dir: DataDir = None,
) -> None:
    """Replace a user's rate limits and quotas, over all their keys (no options: the defaults)."""
    from typeserve.accounts.users import set_user_limits
    from typeserve.store import open_database

    limits = limits_from_options(rate, quota, burst)
    if not set_user_limits(open_database(writing_settings(data_dir)), name, limits):
        raise fail(f"no user named {name!r}")
    console.print(f"User {name} now has {describe(limits)}.")
