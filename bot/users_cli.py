"""`python -m bot users ...`: staff accounts for the review web app.

    users create-admin --username NAME [--display-name TEXT] [--password-stdin]
    users add --username NAME --role ROLE [--role ROLE] [--display-name TEXT] [--password-stdin]
    users list
    users set-password --username NAME [--password-stdin]
    users set-roles --username NAME --role ROLE [--role ROLE]
    users deactivate --username NAME
    users reactivate --username NAME

Passwords are asked for twice at a prompt that does not echo, or read from
the first line of standard input with --password-stdin (for scripts); they
are never taken as arguments (other users could read them in `ps`). The
database is DATABASE_URL, migrated first; the records key is not needed.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, Optional

ROLES = ("head_teacher", "dsl", "office", "admin")


def _fail(command: str, message: Any) -> int:
    print(f"users {command}: {message}", file=sys.stderr)
    return 2


def _directory() -> Any:
    from bot.records import db
    from bot.records.migration import migrate
    from bot.web.review_users import StaffDirectory

    engine = db.make_engine(db.database_url())
    migrate(engine=engine)
    return StaffDirectory(db.make_session_factory(engine))


def _read_password(args: argparse.Namespace) -> Optional[str]:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass("New password: ")
    second = getpass.getpass("Same password again: ")
    if first != second:
        print("The two passwords differ; nothing was changed.", file=sys.stderr)
        return None
    return first


def _errors():
    from bot.records.errors import RecordsError
    from bot.web.review_passwords import PasswordPolicyError
    from bot.web.review_users import UserError

    return (RecordsError, UserError, PasswordPolicyError)


def _create(args: argparse.Namespace, command: str, roles: list) -> int:
    errors = _errors()
    try:
        directory = _directory()
        if command == "create-admin" and directory.count_active_admins() > 0:
            return _fail(
                command,
                "an administrator already exists: use `users add --role admin` (or `users set-password` "
                "if the administrator's password is lost).",
            )
        password = _read_password(args)
        if password is None:
            return 2
        account = directory.create(args.username, args.display_name or args.username, password, roles)
    except errors as exc:
        return _fail(command, exc)
    print(f"created {account.username} ({', '.join(sorted(account.roles))})")
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    return _create(args, "create-admin", ["admin"])


def _add(args: argparse.Namespace) -> int:
    return _create(args, "add", args.role)


def _list(args: argparse.Namespace) -> int:
    try:
        accounts = _directory().list()
    except _errors() as exc:
        return _fail("list", exc)
    if not accounts:
        print("no staff accounts yet: `python -m bot users create-admin --username NAME`")
    for account in accounts:
        state = "active" if account.active else "deactivated"
        print(f"{account.username}\t{account.display_name}\t{','.join(sorted(account.roles))}\t{state}")
    return 0


def _set_password(args: argparse.Namespace) -> int:
    try:
        directory = _directory()
        if directory.by_username(args.username) is None:
            return _fail("set-password", f"there is no account called {args.username!r}.")
        password = _read_password(args)
        if password is None:
            return 2
        account = directory.set_password(args.username, password)
    except _errors() as exc:
        return _fail("set-password", exc)
    print(f"password set for {account.username}; their sessions have ended")
    return 0


def _set_roles(args: argparse.Namespace) -> int:
    try:
        account = _directory().set_roles(args.username, args.role)
    except _errors() as exc:
        return _fail("set-roles", exc)
    print(f"{account.username} now has: {', '.join(sorted(account.roles))}")
    return 0


def _set_active(active: bool):
    command = "reactivate" if active else "deactivate"

    def run(args: argparse.Namespace) -> int:
        try:
            account = _directory().set_active(args.username, active)
        except _errors() as exc:
            return _fail(command, exc)
        print(f"{account.username} is {'active' if active else 'deactivated; their sessions have ended'}")
        return 0

    return run


def add_users_parser(sub: "argparse._SubParsersAction") -> None:
    users = sub.add_parser(
        "users",
        help="staff accounts for the review web app: create-admin, add, list, set-password, set-roles, deactivate",
        description="Staff accounts for the review pages (database from DATABASE_URL).",
    )
    commands = users.add_subparsers(dest="users_command", required=True)

    def with_password(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from the first line of standard input"
        )

    admin = commands.add_parser("create-admin", help="create the first administrator")
    admin.add_argument("--username", required=True)
    admin.add_argument("--display-name", help="the name shown in the app (default: the username)")
    with_password(admin)
    admin.set_defaults(run=_create_admin)

    add = commands.add_parser("add", help="create a staff account")
    add.add_argument("--username", required=True)
    add.add_argument("--role", action="append", required=True, choices=ROLES, help="repeat for several roles")
    add.add_argument("--display-name", help="the name shown in the app (default: the username)")
    with_password(add)
    add.set_defaults(run=_add)

    commands.add_parser("list", help="list staff accounts").set_defaults(run=_list)

    password = commands.add_parser("set-password", help="set someone's password (ends their sessions)")
    password.add_argument("--username", required=True)
    with_password(password)
    password.set_defaults(run=_set_password)

    roles = commands.add_parser("set-roles", help="replace someone's roles")
    roles.add_argument("--username", required=True)
    roles.add_argument("--role", action="append", required=True, choices=ROLES)
    roles.set_defaults(run=_set_roles)

    for name, active in (("deactivate", False), ("reactivate", True)):
        parser = commands.add_parser(name, help=f"{name} an account" + ("" if active else " (ends its sessions)"))
        parser.add_argument("--username", required=True)
        parser.set_defaults(run=_set_active(active))
