"""The audit trail page (head teacher, DSL, administrator) and staff
accounts (administrator): create, set roles, set a password, deactivate.

An administrator cannot deactivate themself or take away their own admin
role, so the app cannot be left without one by accident.
"""
from __future__ import annotations

from typing import Any, Dict

from sanic import response

from bot.records.models import ADMIN, AUDIT_ACTIONS, STAFF_ROLES
from bot.web import review_pages
from bot.web.review_audit import clean_reference
from bot.web.review_context import audit, form_value, in_thread, services, staff_page
from bot.web.review_passwords import MIN_LENGTH, PasswordPolicyError
from bot.web.review_roles import may_manage_users, may_view_audit
from bot.web.review_users import USERNAME_PATTERN, UserError, normalise_username

USER_NOTES = {
    "created": "The account was created.",
    "password": "The password was set; the person's sessions have ended.",
    "deactivated": "The account was deactivated; its sessions have ended.",
    "reactivated": "The account was reactivated.",
    "roles": "The roles were saved.",
}


@staff_page
async def audit_page(request: Any, person: Any) -> Any:
    if not may_view_audit(person.roles):
        await audit(request, "audit_viewed", "denied", person=person)
        return review_pages.forbidden("Your role does not give access to the audit trail.", person)
    raw = {name: (request.args.get(name) or "").strip()[:64] for name in ("username", "action", "reference", "page")}
    username = normalise_username(raw["username"]) if USERNAME_PATTERN.match(normalise_username(raw["username"])) else None
    action = raw["action"] if raw["action"] in AUDIT_ACTIONS else None
    reference = clean_reference(raw["reference"])
    page = review_pages.page_number(raw["page"])
    detail = f"username={username or 'any'} action={action or 'any'} reference={reference or 'any'} page={page}"
    await audit(request, "audit_viewed", person=person, detail=detail)
    entries, has_more = await in_thread(
        services(request).audit.page, username=username, action=action, reference=reference, page=page
    )
    base = {key: value for key, value in (("username", username), ("action", action), ("reference", reference)) if value}
    return review_pages.render(
        "audit.html", person=person, entries=entries, actions=AUDIT_ACTIONS,
        page_links=review_pages.page_links(base, page, has_more),
        chosen={"username": username or "", "action": action or "", "reference": reference or raw["reference"]},
    )


async def _users_page(request: Any, person: Any, status: int = 200, error: str = "", typed: Dict[str, Any] | None = None) -> Any:
    accounts = await in_thread(services(request).directory.list)
    return review_pages.render(
        "users.html", person=person, status=status, accounts=accounts, roles=STAFF_ROLES, error=error,
        note=USER_NOTES.get(request.args.get("m", ""), ""), typed=typed or {"username": "", "display_name": "", "roles": []},
        min_length=MIN_LENGTH,
    )


async def _refuse_non_admin(request: Any, person: Any, action: str, target: str = "") -> Any:
    await audit(request, action, "denied", person=person, detail=f"user={target}" if target else None)
    return review_pages.forbidden("Only an administrator can manage staff accounts.", person)


def _target(username: str) -> str:
    """The account named in the address, or "?" (so that nothing else typed
    there reaches the audit trail)."""
    name = normalise_username(username)
    return name if USERNAME_PATTERN.match(name) else "?"


def _done(note: str) -> Any:
    return response.redirect(f"/review/users?m={note}", status=303)


@staff_page
async def users_page(request: Any, person: Any) -> Any:
    if not may_manage_users(person.roles):
        return await _refuse_non_admin(request, person, "users_listed")
    await audit(request, "users_listed", person=person)
    return await _users_page(request, person)


@staff_page
async def create_user(request: Any, person: Any) -> Any:
    if not may_manage_users(person.roles):
        return await _refuse_non_admin(request, person, "user_created")
    username = normalise_username(form_value(request, "username"))[:64]
    display_name = form_value(request, "display_name")[:200]
    roles = [role for role in request.form.getlist("role", []) if isinstance(role, str)]
    try:
        account = await in_thread(
            services(request).directory.create, username, display_name, form_value(request, "password"), roles
        )
    except (UserError, PasswordPolicyError) as exc:
        await audit(request, "user_created", "refused", person=person)
        typed = {"username": username, "display_name": display_name, "roles": roles}
        return await _users_page(request, person, status=400, error=str(exc), typed=typed)
    await audit(request, "user_created", person=person, detail=f"user={account.username} roles={','.join(sorted(account.roles))}")
    return _done("created")


@staff_page
async def set_user_password(request: Any, person: Any, username: str) -> Any:
    target = _target(username)
    if not may_manage_users(person.roles):
        return await _refuse_non_admin(request, person, "user_password_set", target)
    try:
        await in_thread(services(request).directory.set_password, target, form_value(request, "password"))
    except (UserError, PasswordPolicyError) as exc:
        await audit(request, "user_password_set", "refused", person=person, detail=f"user={target}")
        return await _users_page(request, person, status=400, error=str(exc))
    await audit(request, "user_password_set", person=person, detail=f"user={target}")
    return _done("password")


@staff_page
async def set_user_active(request: Any, person: Any, username: str) -> Any:
    target = _target(username)
    active = form_value(request, "active") == "1"
    action = "user_reactivated" if active else "user_deactivated"
    if not may_manage_users(person.roles):
        return await _refuse_non_admin(request, person, action, target)
    if target == person.username and not active:
        await audit(request, action, "refused", person=person, detail=f"user={target} (self)")
        return await _users_page(request, person, status=400, error="You cannot deactivate your own account.")
    try:
        await in_thread(services(request).directory.set_active, target, active)
    except UserError as exc:
        await audit(request, action, "refused", person=person, detail=f"user={target}")
        return await _users_page(request, person, status=400, error=str(exc))
    await audit(request, action, person=person, detail=f"user={target}")
    return _done("reactivated" if active else "deactivated")


@staff_page
async def set_user_roles(request: Any, person: Any, username: str) -> Any:
    target = _target(username)
    if not may_manage_users(person.roles):
        return await _refuse_non_admin(request, person, "user_roles_set", target)
    roles = [role for role in request.form.getlist("role", []) if isinstance(role, str)]
    if target == person.username and ADMIN not in roles:
        await audit(request, "user_roles_set", "refused", person=person, detail=f"user={target} (self)")
        return await _users_page(request, person, status=400, error="You cannot remove your own administrator role.")
    try:
        account = await in_thread(services(request).directory.set_roles, target, roles)
    except UserError as exc:
        await audit(request, "user_roles_set", "refused", person=person, detail=f"user={target}")
        return await _users_page(request, person, status=400, error=str(exc))
    await audit(request, "user_roles_set", person=person, detail=f"user={target} roles={','.join(sorted(account.roles))}")
    return _done("roles")
