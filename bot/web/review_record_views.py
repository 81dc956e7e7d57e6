"""The home page, record lists, record pages and status changes.

Every list and record view is audited before anything is shown; a record
the person may not see (or that does not exist) gives the same 404 page,
and the attempt is audited (`denied` or `not_found`).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Optional, Tuple
from urllib.parse import quote, urlencode

from sanic import response

from bot.records import models
from bot.records.errors import ConcurrentChange, InvalidTransition, ReasonRequired
from bot.web import review_pages
from bot.web.review_context import audit, form_value, in_thread, services, staff_page
from bot.web.review_records import NotPermitted, NotVisible, RecordFilter, canonical_reference
from bot.web.review_roles import allowed_changes, is_decision, visible_kinds

MAX_REASON = 2000

RECORD_NOTES = {"changed": "The status was changed."}
RECORD_ERRORS = {
    "reason": "A reason is required to approve or decline a proposal.",
    "reason_too_long": f"The reason must be at most {MAX_REASON} characters.",
    "invalid": "That change is not possible from the record's current status.",
    "concurrent": "Someone else changed this record at the same moment. Check its status and try again.",
}


@staff_page
async def home(request: Any, person: Any) -> Any:
    return review_pages.render("home.html", person=person)


def _date(text: str, label: str) -> Optional[dt.date]:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"The {label} date must be a date such as 2025-09-01.") from None


def _filter(args: Any) -> Tuple[RecordFilter, Dict[str, str]]:
    """The filter from the query string, and the raw values to show back."""
    raw = {name: (args.get(name) or "").strip()[:40] for name in ("kind", "status", "from", "to", "page")}
    if raw["kind"] and raw["kind"] not in models.KINDS:
        raise ValueError("Choose a kind from the list.")
    if raw["status"] and raw["status"] not in models.STATUSES:
        raise ValueError("Choose a status from the list.")
    created_from, created_to = _date(raw["from"], "from"), _date(raw["to"], "to")
    if created_from and created_to and created_from > created_to:
        raise ValueError("The from date is after the to date.")
    page = review_pages.page_number(raw["page"])
    wanted = RecordFilter(raw["kind"] or None, raw["status"] or None, created_from, created_to, page)
    return wanted, raw


def _describe(wanted: RecordFilter) -> str:
    return (
        f"kind={wanted.kind or 'any'} status={wanted.status or 'any'} "
        f"from={wanted.created_from or '-'} to={wanted.created_to or '-'} page={wanted.page}"
    )


@staff_page
async def record_list(request: Any, person: Any) -> Any:
    kinds = visible_kinds(person.roles)
    kinds_shown = [kind for kind in models.KINDS if kind in kinds]  # the filter's choices, in a stable order
    if not kinds:
        await audit(request, "records_listed", "denied", person=person)
        return review_pages.forbidden("Your role does not give access to any records.", person)
    try:
        wanted, raw = _filter(request.args)
    except ValueError as exc:
        await audit(request, "records_listed", "refused", person=person, detail="invalid filter")
        return review_pages.render(
            "records.html", person=person, status=400, rows=[], error=str(exc), raw=request.args,
            kinds_shown=kinds_shown, wanted=RecordFilter(), has_more=False,
            page_links={"newer": "", "older": ""},
        )
    rows, has_more = await in_thread(services(request).records.list, person.roles, wanted)
    await audit(request, "records_listed", person=person, detail=f"{_describe(wanted)} shown={len(rows)}")
    base = {key: value for key, value in raw.items() if value and key != "page"}
    return review_pages.render(
        "records.html", person=person, rows=rows, error="", raw=raw, kinds_shown=kinds_shown,
        wanted=wanted, has_more=has_more, page_links=review_pages.page_links(base, wanted.page, has_more),
    )


async def _not_visible(request: Any, person: Any, action: str, reference: str, detail: Optional[str] = None) -> Any:
    exists = await in_thread(services(request).records.exists, reference)
    await audit(
        request, action, "denied" if exists else "not_found", person=person, reference=reference, detail=detail
    )
    return review_pages.not_found(person)


@staff_page
async def record_page(request: Any, person: Any, reference: str) -> Any:
    try:
        record = await in_thread(services(request).records.get, person.roles, reference)
    except NotVisible:
        return await _not_visible(request, person, "record_viewed", reference)
    await audit(request, "record_viewed", person=person, reference=record.reference, detail=record.kind)
    changes = allowed_changes(person.roles, record.kind, record.status)
    return review_pages.render(
        "record.html",
        person=person,
        record=record,
        changes=changes,
        decision=bool(changes) and all(is_decision(record.kind, status) for status in changes),
        note=RECORD_NOTES.get(request.args.get("m", ""), ""),
        error=RECORD_ERRORS.get(request.args.get("error", ""), ""),
        max_reason=MAX_REASON,
    )


def _back(reference: str, **query: str) -> Any:
    return response.redirect(f"/review/records/{quote(reference)}?{urlencode(query)}", status=303)


@staff_page
async def change_status(request: Any, person: Any, reference: str) -> Any:
    to_status = form_value(request, "to_status")
    if to_status not in models.STATUSES:
        to_status = "?"  # whatever was posted, it is not written to the audit trail
    reason = form_value(request, "reason").strip()
    canonical = canonical_reference(reference) or reference
    if len(reason) > MAX_REASON:
        await audit(request, "status_changed", "refused", person=person, reference=canonical, detail=f"to={to_status} reason too long")
        return _back(canonical, error="reason_too_long")
    try:
        record = await in_thread(
            services(request).records.change_status,
            person.roles,
            reference,
            to_status,
            f"staff:{person.username}",
            reason or None,
        )
    except NotVisible:
        return await _not_visible(request, person, "status_changed", reference, detail=f"to={to_status}")
    except NotPermitted:
        await audit(request, "status_changed", "denied", person=person, reference=canonical, detail=f"to={to_status}")
        return review_pages.forbidden("Your role cannot make this change to this record.", person)
    except ReasonRequired:
        await audit(request, "status_changed", "refused", person=person, reference=canonical, detail=f"to={to_status} no reason")
        return _back(canonical, error="reason")
    except ConcurrentChange:
        await audit(request, "status_changed", "refused", person=person, reference=canonical, detail=f"to={to_status} concurrent")
        return _back(canonical, error="concurrent")
    except InvalidTransition:
        await audit(request, "status_changed", "refused", person=person, reference=canonical, detail=f"to={to_status} not allowed now")
        return _back(canonical, error="invalid")
    last = record.history[-1]
    await audit(
        request, "status_changed", person=person, reference=record.reference,
        detail=f"{last.from_status} -> {last.to_status}" + (" with reason" if reason else ""),
    )
    return _back(record.reference, m="changed")
