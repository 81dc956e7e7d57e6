"""Who may see and do what in the review app. Pure functions: no database.

| role | sees records of kind | may change status of | other |
| --- | --- | --- | --- |
| head_teacher | all four kinds | every kind; the only one who approves or declines service proposals | audit trail |
| dsl | all four kinds | disclosures, concern reports, family-link declarations | audit trail |
| office | family-link declarations, service proposals | nothing (read only) | |
| admin | nothing | nothing | audit trail, staff accounts |

A disclosure about the head teacher is hidden from the head teacher, also
when they hold the DSL role too (it goes to the chair of governors; the DSL
sees it and triages).

Roles add up: an admin who is also the DSL sees what the DSL sees. A person
with no role (or a role not listed) sees nothing. The policy says proposals
"must be approved by the Head teacher first", and family links are declared
"to the head teacher in writing"; the DSL is the policy's "named Child
Protection person in school".

`bot.web.review_records` applies `visible_kinds` inside every query, so a
record outside a person's kinds is never read from the database for them.
"""
from __future__ import annotations

from typing import AbstractSet, FrozenSet, Iterable, List

from bot.records import models
from bot.records.models import ADMIN, DSL, HEAD_TEACHER, OFFICE, STAFF_ROLES

ROLE_LABELS = {
    HEAD_TEACHER: "Head teacher",
    DSL: "Designated safeguarding lead",
    OFFICE: "School office",
    ADMIN: "Administrator",
}

KIND_LABELS = {
    models.DISCLOSURE: "Disclosure",
    models.FAMILY_LINK_DECLARATION: "Family-link declaration",
    models.SERVICE_PROPOSAL: "Service proposal",
    models.CONCERN_REPORT: "Concern report",
}

STATUS_LABELS = {
    models.PENDING: "Pending",
    models.APPROVED: "Approved",
    models.DECLINED: "Declined",
    models.RECEIVED: "Received",
    models.IN_REVIEW: "In review",
    models.REFERRED: "Referred",
    models.CLOSED: "Closed",
}

_VISIBLE: dict = {
    HEAD_TEACHER: frozenset(models.KINDS),
    DSL: frozenset(models.KINDS),
    OFFICE: frozenset({models.FAMILY_LINK_DECLARATION, models.SERVICE_PROPOSAL}),
    ADMIN: frozenset(),
}

#: kind -> roles that may move it along (statuses from models.TRANSITIONS)
_CHANGERS: dict = {
    models.SERVICE_PROPOSAL: frozenset({HEAD_TEACHER}),
    models.DISCLOSURE: frozenset({HEAD_TEACHER, DSL}),
    models.CONCERN_REPORT: frozenset({HEAD_TEACHER, DSL}),
    models.FAMILY_LINK_DECLARATION: frozenset({HEAD_TEACHER, DSL}),
}


def known_roles(roles: Iterable[str]) -> FrozenSet[str]:
    """Only the roles this app knows; anything else counts for nothing."""
    return frozenset(role for role in roles if role in STAFF_ROLES)


def visible_kinds(roles: Iterable[str]) -> FrozenSet[str]:
    kinds: FrozenSet[str] = frozenset()
    for role in known_roles(roles):
        kinds |= _VISIBLE[role]
    return kinds


def sees_head_teacher_concerns(roles: Iterable[str]) -> bool:
    """A disclosure about the head teacher goes to the chair of governors
    (outside this app) and is visible here to the DSL only: the head teacher
    must not review a concern about themselves, even when they also hold
    the DSL role (in a small school the head may be the DSL too; the chair
    of governors then takes it)."""
    held = known_roles(roles)
    return DSL in held and HEAD_TEACHER not in held


def may_change_status(roles: Iterable[str], kind: str) -> bool:
    held = known_roles(roles)
    return kind in visible_kinds(held) and bool(held & _CHANGERS.get(kind, frozenset()))


def allowed_changes(roles: Iterable[str], kind: str, status: str) -> List[str]:
    """The statuses this person may move a `kind` record in `status` to, in a
    stable order (empty when none)."""
    if not may_change_status(roles, kind):
        return []
    allowed = models.allowed_transitions(kind, status)
    return [value for value in models.STATUSES if value in allowed]


def is_decision(kind: str, to_status: str) -> bool:
    """Approving or declining a service proposal (needs a reason)."""
    return (kind, to_status) in models.REASON_REQUIRED


def may_view_audit(roles: AbstractSet[str] | Iterable[str]) -> bool:
    return bool(known_roles(roles) & {HEAD_TEACHER, DSL, ADMIN})


def may_manage_users(roles: Iterable[str]) -> bool:
    return ADMIN in known_roles(roles)
