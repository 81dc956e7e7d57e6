"""Rendering the review pages (Jinja2, autoescaped: everything stored is
shown as text, never as HTML) and the plain error pages."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import response

from bot.records import models
from bot.web.review_roles import (
    KIND_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    may_manage_users,
    may_view_audit,
    visible_kinds,
)
from bot.web.review_security import CSRF_FIELD

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates" / "review"
STATIC_DIR = Path(__file__).resolve().parent / "static" / "review"


def _when(value: Optional[dt.datetime]) -> str:
    if value is None:
        return ""
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _school_name() -> str:
    try:
        from bot.school import load_school_profile

        return load_school_profile().name
    except Exception:  # the review pages work without a school profile
        return ""


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["kind_label"] = lambda kind: KIND_LABELS.get(kind, kind)
    env.filters["status_label"] = lambda status: STATUS_LABELS.get(status, status)
    env.filters["role_label"] = lambda role: ROLE_LABELS.get(role, role)
    env.globals.update(
        csrf_field=CSRF_FIELD,
        kinds=models.KINDS,
        statuses=models.STATUSES,
        school_name=_school_name(),
    )
    return env


MAX_PAGE = 100_000


def page_number(text: str) -> int:
    """The `page` query value: a whole number from 1, else 1."""
    return int(text) if text.isdigit() and 0 < int(text) < MAX_PAGE else 1


def page_links(base: Mapping[str, str], page: int, has_more: bool) -> Dict[str, str]:
    """Query strings for the newer / older pages of a newest-first list,
    keeping the filters in `base` ("" where there is no such page)."""
    return {
        "newer": f"?{urlencode({**base, 'page': page - 1})}" if page > 1 else "",
        "older": f"?{urlencode({**base, 'page': page + 1})}" if has_more else "",
    }


def render(template: str, person: Any = None, status: int = 200, **context: Any) -> Any:
    roles = person.roles if person is not None else frozenset()
    page = environment().get_template(template).render(
        person=person,
        csrf_token=person.csrf_token if person is not None else "",
        nav={
            "records": bool(visible_kinds(roles)),
            "audit": may_view_audit(roles),
            "users": may_manage_users(roles),
        },
        **context,
    )
    return response.html(page, status=status)


def message(status: int, title: str, text: str, person: Any = None) -> Any:
    return render("message.html", person=person, status=status, title=title, text=text)


def not_found(person: Any = None) -> Any:
    return message(404, "Not found", "There is no record with this reference that you can see.", person)


def forbidden(text: str, person: Any = None) -> Any:
    return message(403, "Not allowed", text, person)


def csrf_refused(person: Any = None) -> Any:
    return message(
        403,
        "Form refused",
        "This form was out of date or did not come from these pages, so nothing was changed. "
        "Go back, reload the page and try again.",
        person,
    )


def unavailable(person: Any = None) -> Any:
    return message(
        503,
        "Records unavailable",
        "The records database cannot be reached at the moment, so nothing was shown or changed. "
        "Please try again in a few minutes; if it goes on, tell the school's IT support.",
        person,
    )


def unreadable(person: Any = None) -> Any:
    return message(
        500,
        "Record cannot be read",
        "This record cannot be decrypted with the key this server has. Nothing was changed. "
        "Tell the school's IT support: the records key needs checking.",
        person,
    )
