"""Users, login support and scopes: the service side of authentication and user admin."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.base import rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import AuditLog, Team, User
from core.base.vocabulary import DEPARTMENTS, LANGUAGES, LEAD, REP, ROLES, STAFF
from core.base.scope import Scope, ScopeError, scope_for, scoped_read

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,59}$")
MIN_PASSWORD = 8


class UnknownUser(LookupError):
    """No active user with that name."""


class InvalidUserInput(UserError):
    """A user-admin form value is not acceptable; ``field`` names the form field."""


@dataclass(frozen=True)
class Account:
    """What the app needs to know about the logged-in person."""
    id: int
    username: str
    display_name: str
    role: str
    team_id: int | None
    language: str | None
    revoked_before: datetime | None
    must_change_password: bool = False


def hash_password(password: str, rounds: int = 12) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def active_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise UnknownUser(f"no active user named {username!r}")
    return user


def scope_of(session: Session, username: str) -> Scope:
    return scope_for(session, active_user(session, username))


def account(session: Session, username: str) -> Account:
    u = active_user(session, username)
    return Account(u.id, u.username, u.display_name, u.role, u.team_id, u.language, u.revoked_before,
                   bool(u.must_change_password))


def credentials(session: Session) -> dict:
    """The login credentials of every active user, in streamlit-authenticator's shape."""
    rows = session.execute(
        select(User.username, User.display_name, User.email, User.password_hash, User.role)
        .where(User.active.is_(True))
    ).all()
    return {"usernames": {
        r.username: {"name": r.display_name, "email": r.email or f"{r.username}@example.invalid",
                     "password": r.password_hash, "roles": [r.role]}
        for r in rows
    }}


# ---- login attempts, lockout and cookie revocation ------------------------------------------

def locked_until(session: Session, username: str, now: datetime) -> datetime | None:
    """When a locked account opens again, or None when it is not locked."""
    until = session.scalar(select(User.locked_until).where(User.username == username))
    return until if until is not None and until > now else None


def record_login(session: Session, username: str, ok: bool, now: datetime) -> None:
    """Count a failed login (locking the account after too many) or reset the count."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        return
    if ok:
        user.failed_logins, user.locked_until = 0, None
        return
    user.failed_logins += 1
    settings = rules.all_settings(session)
    if user.failed_logins >= settings["max_failed_logins"]:
        user.failed_logins = 0
        user.locked_until = now + timedelta(minutes=settings["lockout_minutes"])
        session.add(AuditLog(at=now, user_id=user.id, action="lock", entity="user", entity_id=str(user.id),
                             detail={"reason": "too many failed logins"}))


def cookie_accepted(acct: Account, issued_at: datetime) -> bool:
    """A login cookie is refused when issued before the user's last logout or password change."""
    return acct.revoked_before is None or issued_at >= acct.revoked_before


def revoke_sessions(session: Session, user_id: int, now: datetime) -> None:
    """Log the user out everywhere: every cookie issued before ``now`` stops working."""
    user = session.get(User, user_id)
    if user is not None:
        user.revoked_before = now


@guarded("language.set")
def set_language(session: Session, scope: Scope, language: str) -> None:
    """The language the caller reads the app in."""
    if language not in LANGUAGES:
        raise InvalidUserInput("err.language", "language")
    user = session.get(User, scope.user_id)
    if user is not None:
        user.language = language


# ---- user admin ------------------------------------------------------------------------------

@scoped_read
def list_users(scope: Scope, session: Session) -> pd.DataFrame:
    """Users the caller may see: admins and directors see everyone, a lead their teams, a rep themself."""
    stmt = (select(User.id.label("id"), User.username, User.display_name, User.role,
                   Team.name.label("team"), User.department, User.active, User.id.label("owner_id"),
                   User.team_id.label("team_id"))
            .outerjoin(Team, Team.id == User.team_id).order_by(User.role, User.username))
    stmt = scope.apply(stmt, User.id, User.team_id)
    return pd.read_sql(stmt, session.connection())


@guarded("user.create")
def create_user(session: Session, scope: Scope, *, username: str, display_name: str, role: str,
                team_id: int | None, password: str, now: datetime, department: str | None = None) -> int:
    """Validate every field, then create the user and its audit row; returns the new id.

    Department staff (role ``service``) name their department and belong to no team; nobody else
    has a department."""
    username = (username or "").strip().lower()
    display_name = (display_name or "").strip()
    if not USERNAME_RE.match(username):
        raise InvalidUserInput("err.username_format", "username")
    if session.scalar(select(func.count()).where(User.username == username)):
        raise InvalidUserInput("err.username_taken", "username", username=username)
    if not display_name:
        raise InvalidUserInput("err.required", "display_name")
    if role not in ROLES:
        raise InvalidUserInput("err.role", "role")
    if role in (REP, LEAD) and team_id is None:
        raise InvalidUserInput("err.team_needed", "team_id")
    if role == STAFF and department not in DEPARTMENTS:
        raise InvalidUserInput("err.department_needed", "department")
    if role != STAFF and department is not None:
        raise InvalidUserInput("err.department_only_service", "department")
    if role == STAFF and team_id is not None:
        raise InvalidUserInput("err.service_no_team", "team_id")
    if team_id is not None and session.get(Team, team_id) is None:
        raise InvalidUserInput("err.no_team", "team_id")
    if len(password or "") < MIN_PASSWORD:
        raise InvalidUserInput("err.password_short", "password", n=MIN_PASSWORD)
    user = User(username=username, display_name=display_name, role=role, team_id=team_id, department=department,
                password_hash=hash_password(password), active=True, created_at=now, failed_logins=0)
    session.add(user)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="user",
                         entity_id=str(user.id), detail={"username": username, "role": role, "team_id": team_id,
                                 "department": department}))
    return user.id


@guarded("user.set_active")
def set_active(session: Session, scope: Scope, user_id: int, active: bool, now: datetime) -> None:
    user = session.get(User, user_id)
    if user is None:
        raise InvalidUserInput("err.no_user", "user")
    if user.id == scope.user_id and not active:
        raise InvalidUserInput("err.deactivate_self", "user")
    user.active = active
    if not active:
        user.revoked_before = now
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="activate" if active else "deactivate",
                         entity="user", entity_id=str(user.id), detail={}))


@guarded("password.set")
def set_password(session: Session, scope: Scope, user_id: int, password: str, now: datetime) -> None:
    """An admin's reset, or a user changing their own; older login cookies stop working."""
    if scope.role != "admin" and scope.user_id != user_id:
        raise ScopeError("you may change only your own password")
    if len(password or "") < MIN_PASSWORD:
        raise InvalidUserInput("err.password_short", "password", n=MIN_PASSWORD)
    user = session.get(User, user_id)
    if user is None:
        raise InvalidUserInput("err.no_user", "user")
    user.password_hash = hash_password(password)
    user.revoked_before = now
    own = scope.user_id == user_id
    user.must_change_password = not own  # an admin's reset is an initial password again
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="password", entity="user",
                         entity_id=str(user.id), detail={"own": own}))


# ---- company set-up (SPEC §10): initial passwords, moving between teams ----------------------

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I


def initial_password(length: int = 12) -> str:
    """A random password to hand over once; its owner must change it at first login."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


@guarded("user.create")
def invite_user(session: Session, scope: Scope, *, username: str, display_name: str, role: str,
                team_id: int | None, now: datetime, department: str | None = None, email: str = "",
                password: str | None = None) -> tuple[int, str]:
    """Create a user with an initial password (``password``, or a random one) that they must change
    at first login; returns (id, the password) — shown once, never stored in clear."""
    password = password or initial_password()
    email = (email or "").strip()
    if email and not EMAIL_RE.match(email):
        raise InvalidUserInput("company.err.email", "email")
    user_id = create_user(session, scope, username=username, display_name=display_name, role=role,
                          team_id=team_id, password=password, now=now, department=department)
    user = session.get(User, user_id)
    user.must_change_password = True
    user.email = email
    return user_id, password


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@guarded("user.reset_password")
def reset_password(session: Session, scope: Scope, user_id: int, now: datetime) -> str:
    """An admin gives a user a new initial password (returned, to show once); older cookies stop
    working and the user must choose their own at the next login."""
    password = initial_password()
    set_password(session, scope, user_id, password, now)
    return password


@guarded("user.move_team")
def move_user(session: Session, scope: Scope, user_id: int, team_id: int, now: datetime) -> None:
    """Move a rep or lead to another team. Their past records keep the team they were earned in
    (each row carries its own team_id); what they record from now on carries the new team."""
    user = session.get(User, user_id)
    if user is None:
        raise InvalidUserInput("err.no_user", "user")
    if user.role not in (REP, LEAD):
        raise InvalidUserInput("company.err.move_role", "user")
    if session.get(Team, team_id) is None:
        raise InvalidUserInput("err.no_team", "team_id")
    if user.team_id == team_id:
        raise InvalidUserInput("company.err.same_team", "team_id")
    before = user.team_id
    user.team_id = team_id
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="move", entity="user",
                         entity_id=str(user.id), detail={"before": {"team_id": before}, "after": {"team_id": team_id}}))
