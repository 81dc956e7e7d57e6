"""Server-side sessions for the review app.

The browser holds a random token (256 bits) in an HttpOnly cookie; the
database holds only its SHA-256, with the session's CSRF token and times. A
session ends after `idle_minutes` without a request, after `absolute_hours`
whatever happens, at sign-out, when the person is deactivated, and when
their password is set. Ended sessions are deleted, not just marked.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Callable, FrozenSet, Optional, Tuple

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.records.models import StaffSession, StaffUser, utcnow
from bot.web import review_db

ABSOLUTE_HOURS = 12
MAX_TOKEN_LENGTH = 100

#: `resume()` outcomes
SIGNED_IN, EXPIRED, NO_SESSION = "signed_in", "expired", "no_session"


@dataclass(frozen=True)
class SignedIn:
    """The person behind a live session (read fresh on every request, so a
    role change or deactivation takes effect at once)."""

    session_id: int
    user_id: int
    username: str
    display_name: str
    roles: FrozenSet[str]
    csrf_token: str = field(repr=False)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class SessionStore:
    def __init__(
        self,
        session_factory: sessionmaker,
        idle_minutes: int,
        absolute_hours: int = ABSOLUTE_HOURS,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        if idle_minutes < 1:
            raise ValueError("sessions must last at least a minute")
        self._sessions = session_factory
        self.idle = dt.timedelta(minutes=idle_minutes)
        self.absolute = dt.timedelta(hours=absolute_hours)
        self._clock = clock

    def _run(self, operation: str, work):
        return review_db.run(self._sessions, operation, work)

    def start(self, user_id: int) -> Tuple[str, str]:
        """A new session for this person: (cookie token, CSRF token).
        Sessions that have ended meanwhile (anyone's) are deleted too."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = self._clock()

        def insert(session: Session) -> None:
            session.execute(
                delete(StaffSession).where(
                    or_(StaffSession.expires_at <= now, StaffSession.last_seen_at <= now - self.idle)
                )
            )
            session.add(
                StaffSession(
                    token_hash=token_hash(token),
                    user_id=user_id,
                    csrf_token=csrf,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + self.absolute,
                )
            )
            session.commit()

        self._run("starting a session", insert)
        return token, csrf

    def resume(self, token: Optional[str]) -> Tuple[str, Optional[SignedIn], Optional[str]]:
        """(outcome, person, username): SIGNED_IN with the person (and the
        session's last use moved to now), EXPIRED with the username whose
        session just ended (deleted), or NO_SESSION."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return NO_SESSION, None, None
        hashed = token_hash(token)

        def read(session: Session) -> Tuple[str, Optional[SignedIn], Optional[str]]:
            row = session.execute(
                select(StaffSession, StaffUser)
                .join(StaffUser, StaffUser.id == StaffSession.user_id)
                .where(StaffSession.token_hash == hashed)
            ).first()
            if row is None:
                return NO_SESSION, None, None
            live, user = row
            now = self._clock()
            if not user.active:
                session.delete(live)
                session.commit()
                return NO_SESSION, None, None
            if now >= live.expires_at or now - live.last_seen_at >= self.idle:
                session.delete(live)
                session.commit()
                return EXPIRED, None, user.username
            live.last_seen_at = max(now, live.last_seen_at)
            session.commit()
            person = SignedIn(
                session_id=live.id,
                user_id=user.id,
                username=user.username,
                display_name=user.display_name,
                roles=frozenset(role.role for role in user.roles),
                csrf_token=live.csrf_token,
            )
            return SIGNED_IN, person, user.username

        return self._run("reading a session", read)

    def end(self, token: Optional[str]) -> None:
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return
        hashed = token_hash(token)

        def remove(session: Session) -> None:
            session.execute(delete(StaffSession).where(StaffSession.token_hash == hashed))
            session.commit()

        self._run("ending a session", remove)
