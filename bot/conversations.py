"""Retention for Rasa's conversation store (the tracker store in endpoints.yml).

Filing turns are redacted before they are stored (bot/tracker_store.py), but
ordinary questions are kept as typed. `prune` deletes conversation events older
than a number of days; run it daily (cron) to keep conversations for at most
that long:

    .venv/bin/python -m bot conversations prune --older-than-days 30

It also deletes expired filing drafts (bot/records/drafts.py): the answers
of filing conversations that were never filed or cancelled.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Dict, Optional

import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from bot.paths import PROJECT_ROOT

DEFAULT_RETENTION_DAYS = 30


def tracker_store_url(endpoints: Optional[Path] = None) -> URL:
    """The SQL tracker store's database, from endpoints.yml."""
    path = endpoints or PROJECT_ROOT / "endpoints.yml"
    config: Dict[str, Any] = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tracker_store") or {}
    dialect = config.get("dialect", "sqlite")
    db = str(config.get("db", "rasa.db"))
    if dialect == "sqlite":
        db_path = Path(db) if Path(db).is_absolute() else PROJECT_ROOT / db
        return make_url(f"sqlite:///{db_path}")
    return URL.create(
        dialect,
        username=config.get("username"),
        password=config.get("password"),
        host=config.get("url") or config.get("host"),
        port=config.get("port"),
        database=db,
    )


def prune(url: URL | str, older_than_days: float, now: Optional[float] = None) -> int:
    """Delete events older than `older_than_days`; returns how many."""
    if older_than_days <= 0:
        raise ValueError("older_than_days must be more than 0")
    cutoff = (now if now is not None else time.time()) - older_than_days * 86400
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return 0  # no conversations yet
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            result = connection.execute(text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff})
            return int(result.rowcount or 0)
    finally:
        engine.dispose()


def add_conversations_parser(sub: Any) -> None:
    parser = sub.add_parser("conversations", help="retention of the conversation (tracker) store")
    commands = parser.add_subparsers(dest="conversations_command", required=True)
    run = commands.add_parser("prune", help="delete conversation events older than N days")
    run.add_argument("--older-than-days", type=float, default=DEFAULT_RETENTION_DAYS)
    run.add_argument("--endpoints", type=Path, default=None, help="endpoints.yml naming the tracker store")
    run.set_defaults(run=_prune)


def _prune(args: Any) -> int:
    from bot.records.drafts import open_draft_store
    from bot.records.errors import RecordsError

    url = tracker_store_url(args.endpoints)
    removed = prune(url, args.older_than_days)
    print(f"removed {removed} conversation events older than {args.older_than_days:g} days")
    try:
        drafts = open_draft_store().purge_expired()
    except RecordsError as exc:
        print(f"could not delete expired filing drafts: {exc}", file=sys.stderr)
        return 1
    print(f"removed {drafts} expired filing drafts")
    return 0
