"""Staff accounts for the review app: create, sign-in check, passwords,
roles, deactivation. Used by the web pages and by `python -m bot users`.

Accounts are never deleted (the audit trail names them): they are
deactivated, which also ends their sessions. Setting a password ends the
person's sessions too.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import FrozenSet, Iterable, List, Optional

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.records.models import ADMIN, STAFF_ROLES, StaffRole, StaffSession, StaffUser, utcnow
from bot.web import review_db
from bot.web.review_passwords import (
    check_password_policy,
    dummy_verify,
    hash_password,
    needs_rehash,
    verify_password,
)

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MAX_DISPLAY_NAME = 200


class UserError(ValueError):
    """A staff-account request that cannot be done; the message says why."""


@dataclass(frozen=True)
class StaffAccount:
    id: int
    username: str
    display_name: str
    roles: FrozenSet[str]
    active: bool
    created_at: dt.datetime
    password_changed_at: dt.datetime


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise UserError(
            "A username is 2 to 64 characters: lower-case letters, digits, dots, hyphens or underscores, "
            "starting with a letter or digit."
        )
    return name


def check_roles(roles: Iterable[str]) -> FrozenSet[str]:
    chosen = frozenset(role.strip() for role in roles if role and role.strip())
    unknown = sorted(chosen - set(STAFF_ROLES))
    if unknown:
        raise UserError(f"Unknown role {', '.join(unknown)}: the roles are {', '.join(STAFF_ROLES)}.")
    if not chosen:
        raise UserError("Give the account at least one role.")
    return chosen


def _display_name(display_name: str) -> str:
    name = " ".join((display_name or "").split())
    if not name:
        raise UserError("Give the person's name as colleagues know it.")
    if len(name) > MAX_DISPLAY_NAME:
        raise UserError(f"The name must be at most {MAX_DISPLAY_NAME} characters.")
    return name


def _account(user: StaffUser) -> StaffAccount:
    return StaffAccount(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(role.role for role in user.roles),
        active=bool(user.active),
        created_at=user.created_at,
        password_changed_at=user.password_changed_at,
    )


class StaffDirectory:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._sessions = session_factory

    def _run(self, operation: str, work):
        return review_db.run(self._sessions, operation, work)

    @staticmethod
    def _find(session: Session, username: str) -> Optional[StaffUser]:
        return session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()

    def _require(self, session: Session, username: str) -> StaffUser:
        user = self._find(session, normalise_username(username))
        if user is None:
            raise UserError(f"There is no account called {normalise_username(username)!r}.")
        return user

    # --- reading ---------------------------------------------------------------------

    def get(self, user_id: int) -> Optional[StaffAccount]:
        def read(session: Session) -> Optional[StaffAccount]:
            user = session.get(StaffUser, user_id)
            return None if user is None else _account(user)

        return self._run("reading a staff account", read)

    def by_username(self, username: str) -> Optional[StaffAccount]:
        def read(session: Session) -> Optional[StaffAccount]:
            user = self._find(session, normalise_username(username))
            return None if user is None else _account(user)

        return self._run("reading a staff account", read)

    def list(self) -> List[StaffAccount]:
        def read(session: Session) -> List[StaffAccount]:
            users = session.execute(select(StaffUser).order_by(StaffUser.username)).scalars()
            return [_account(user) for user in users]

        return self._run("listing staff accounts", read)

    def count_active_admins(self) -> int:
        def read(session: Session) -> int:
            query = (
                select(func.count())
                .select_from(StaffUser)
                .join(StaffRole, StaffRole.user_id == StaffUser.id)
                .where(StaffRole.role == ADMIN, StaffUser.active.is_(True))
            )
            return int(session.execute(query).scalar_one())

        return self._run("counting administrators", read)

    # --- signing in ------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> Optional[StaffAccount]:
        """The active account whose password this is, else None. An unknown
        or inactive name takes as long to refuse as a wrong password."""
        name = normalise_username(username)

        def read(session: Session) -> Optional[StaffUser]:
            user = self._find(session, name) if USERNAME_PATTERN.match(name) else None
            return user if user is not None and user.active else None

        user = self._run("checking a sign-in", read)
        if user is None:
            dummy_verify(password)
            return None
        if not verify_password(password, user.password_hash):
            return None
        if needs_rehash(user.password_hash):
            self._store_hash(user.id, hash_password(password), touch_changed=False)
        return _account(user)

    # --- changing ----------------------------------------------------------------------

    def create(self, username: str, display_name: str, password: str, roles: Iterable[str]) -> StaffAccount:
        name = check_username(username)
        shown = _display_name(display_name)
        chosen = check_roles(roles)
        check_password_policy(password, name)
        password_hash = hash_password(password)

        def insert(session: Session) -> StaffAccount:
            if self._find(session, name) is not None:
                raise UserError(f"There is already an account called {name!r}.")
            now = utcnow()
            user = StaffUser(
                username=name,
                display_name=shown,
                password_hash=password_hash,
                active=True,
                created_at=now,
                updated_at=now,
                password_changed_at=now,
            )
            user.roles = [StaffRole(role=role) for role in sorted(chosen)]
            session.add(user)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                raise UserError(f"There is already an account called {name!r}.") from None
            return _account(user)

        return self._run("creating a staff account", insert)

    def set_password(self, username: str, password: str) -> StaffAccount:
        """Set someone's password (an administrator's reset): their sessions end."""
        name = normalise_username(username)
        check_password_policy(password, name)
        password_hash = hash_password(password)

        def change(session: Session) -> StaffAccount:
            user = self._require(session, name)
            return self._apply_hash(session, user, password_hash)

        return self._run("setting a password", change)

    def change_own_password(self, user_id: int, current: str, new: str) -> StaffAccount:
        """A signed-in person changing their own password (needs the current one)."""
        account = self.get(user_id)
        if account is None or not account.active:
            raise UserError("This account is not active.")

        def read_hash(session: Session) -> str:
            return session.get(StaffUser, user_id).password_hash

        if not verify_password(current, self._run("checking a password", read_hash)):
            raise UserError("The current password is not right.")
        check_password_policy(new, account.username)
        password_hash = hash_password(new)

        def change(session: Session) -> StaffAccount:
            return self._apply_hash(session, session.get(StaffUser, user_id), password_hash)

        return self._run("changing a password", change)

    def _apply_hash(self, session: Session, user: StaffUser, password_hash: str) -> StaffAccount:
        now = utcnow()
        user.password_hash = password_hash
        user.password_changed_at = now
        user.updated_at = now
        session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
        session.commit()
        return _account(user)

    def _store_hash(self, user_id: int, password_hash: str, touch_changed: bool) -> None:
        def change(session: Session) -> None:
            user = session.get(StaffUser, user_id)
            if user is not None:
                user.password_hash = password_hash
                if touch_changed:
                    user.password_changed_at = utcnow()
                session.commit()

        self._run("updating a password hash", change)

    def set_active(self, username: str, active: bool) -> StaffAccount:
        """Deactivate (ending every session) or reactivate an account."""

        def change(session: Session) -> StaffAccount:
            user = self._require(session, username)
            user.active = bool(active)
            user.updated_at = utcnow()
            if not active:
                session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
            session.commit()
            return _account(user)

        return self._run("changing an account", change)

    def set_roles(self, username: str, roles: Iterable[str]) -> StaffAccount:
        chosen = check_roles(roles)

        def change(session: Session) -> StaffAccount:
            user = self._require(session, username)
            current = {role.role for role in user.roles}
            user.roles = [role for role in user.roles if role.role in chosen] + [
                StaffRole(role=role) for role in sorted(chosen - current)
            ]
            user.updated_at = utcnow()
            session.commit()
            return _account(user)

        return self._run("setting roles", change)
