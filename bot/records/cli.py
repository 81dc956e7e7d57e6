"""`python -m bot records ...`: migrate, export, rotate-key, new-key.

Only the standard library is imported here; the database and crypto
modules load when a records command actually runs.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

KINDS = ("disclosure", "family_link_declaration", "service_proposal", "concern_report")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _fail(command: str, exc: BaseException) -> int:
    print(f"records {command}: {exc}", file=sys.stderr)
    return 2


def _migrate(args: argparse.Namespace) -> int:
    from bot.records import db
    from bot.records.errors import RecordsError
    from bot.records.migration import migrate

    url = db.database_url()
    try:
        revision = migrate(url)
    except RecordsError as exc:
        return _fail("migrate", exc)
    print(f"records database {db.safe_url(url)} is at revision {revision}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from bot.records import open_repository
    from bot.records.errors import RecordsError

    if not args.json:
        print("records export: choose an output format: --json", file=sys.stderr)
        return 2
    try:
        records = open_repository().export(kind=args.kind, since=args.since)
    except RecordsError as exc:
        return _fail("export", exc)
    if sys.stdout.isatty():
        print(
            "records export: these are confidential safeguarding records; do not leave copies lying about.",
            file=sys.stderr,
        )
    # ASCII-only JSON: valid and lossless whatever the terminal's encoding
    sys.stdout.write(json.dumps(records, ensure_ascii=True, indent=2) + "\n")
    sys.stdout.flush()
    return 0


def _rotate_key(args: argparse.Namespace) -> int:
    from bot.records import db
    from bot.records.crypto import rotate_key
    from bot.records.errors import RecordsError
    from bot.records.migration import migrate

    try:
        engine = db.make_engine(db.database_url())
        migrate(engine=engine)
        report = rotate_key(db.make_session_factory(engine))
    except RecordsError as exc:
        return _fail("rotate-key", exc)
    except OSError as exc:
        return _fail("rotate-key", f"the key file could not be written ({exc.strerror or exc})")
    print(report.message)
    return 0


def _new_key(args: argparse.Namespace) -> int:
    from bot.records.crypto import generate_key

    print(generate_key())
    return 0


def add_records_parser(sub: "argparse._SubParsersAction") -> None:
    records = sub.add_parser(
        "records",
        help="safeguarding records: migrate, export, rotate-key, new-key",
        description="Safeguarding records storage (database from DATABASE_URL, key from RECORDS_KEY or the key file).",
    )
    commands = records.add_subparsers(dest="records_command", required=True)
    commands.add_parser("migrate", help="create or upgrade the records database").set_defaults(run=_migrate)
    export = commands.add_parser("export", help="print every record, decrypted, as JSON on stdout")
    export.add_argument("--json", action="store_true", help="JSON array (the only format)")
    export.add_argument("--kind", choices=KINDS, help="only records of this kind")
    export.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only records created on or after this day (UTC)")
    export.set_defaults(run=_export)
    commands.add_parser(
        "rotate-key", help="re-encrypt every record with a new key (stop the assistant first)"
    ).set_defaults(run=_rotate_key)
    commands.add_parser("new-key", help="print a new random key for RECORDS_KEY").set_defaults(run=_new_key)
