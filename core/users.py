"""Users, login support and scopes: the service side of authentication."""
from __future__ import annotations

from datetime import datetime, timedelta

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import User
from core.scope import Scope, scope_for


class UnknownUser(LookupError):
    """No active user with that name."""


def hash_password(password: str, rounds: int = 12) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def full_scope() -> Scope:
    """Everything: for the CLI and jobs, which act for the company, not for a person."""
    return Scope(0, "admin", None)


def active_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise UnknownUser(f"no active user named {username!r}")
    return user


def scope_of(session: Session, username: str) -> Scope:
    return scope_for(session, active_user(session, username))
