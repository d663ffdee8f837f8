"""What the People capability's modules (SPEC §8) share: which rep a caller may see or act on, and the
checks of the fields their forms have in common. (The list of reps a page picks from is
core.base.org.active_reps.)

- ``visible_rep``: one rep a read may show, refused with one and the same ScopeError for "not
  there" and "not yours", so the answer tells nothing about other teams.
- ``own_rep``: an active rep of one of the lead's own teams, the one a lead's write may concern.
- ``InvalidPeopleInput`` and the field checks (text, score, day, dimension): a refused value names
  its form field.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.base.errors import UserError
from core.base.models import User
from core.base.scope import Scope, ScopeError
from core.base.vocabulary import DIMENSIONS, REP, SCORES


class InvalidPeopleInput(UserError):
    """A coaching, assessment or article value is not acceptable; ``field`` names the form field."""


# ---- which reps ------------------------------------------------------------------------------------



def visible_rep(scope: Scope, session: Session, rep_id: Any, *, in_a_team: bool = False) -> User:
    """The rep ``rep_id`` if the caller may see them (and, with ``in_a_team``, if they belong to a
    team); one and the same ScopeError for 'not there' and 'not yours'."""
    refused = ScopeError(f"rep {rep_id!r} is not in your scope")
    if isinstance(rep_id, bool) or not isinstance(rep_id, int):
        raise refused
    stmt = scope.apply(select(User).where(User.id == rep_id, User.role == REP), User.id, User.team_id)
    rep = session.scalar(stmt)
    if rep is None or (in_a_team and rep.team_id is None):
        raise refused
    return rep


def own_rep(scope: Scope, session: Session, rep_id: Any) -> User:
    """An active rep of one of the caller's (a lead's) teams, or InvalidPeopleInput at the rep field."""
    if isinstance(rep_id, bool) or not isinstance(rep_id, int):
        raise InvalidPeopleInput("people.err.rep_not_yours", "rep_id")
    rep = session.get(User, rep_id)
    if rep is None or rep.role != REP or not rep.active or not scope.team_ids or rep.team_id not in scope.team_ids:
        raise InvalidPeopleInput("people.err.rep_not_yours", "rep_id")
    return rep


# ---- the fields ------------------------------------------------------------------------------------

def dimension(value: Any, field: str = "dimension") -> str:
    if value not in DIMENSIONS:
        raise InvalidPeopleInput("people.err.dimension", field)
    return value


def text(value: Any, field: str, maximum: int, required: bool = True) -> str:
    """The stripped text; refused when not a text, empty (if required) or longer than ``maximum``."""
    stripped = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        raise InvalidPeopleInput("people.err.text", field)
    if required and not stripped:
        raise InvalidPeopleInput("err.required", field)
    if len(stripped) > maximum:
        raise InvalidPeopleInput("people.err.too_long", field, n=maximum)
    return stripped


def score(value: Any, field: str) -> int:
    """A whole 1–5 score."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) not in SCORES:
        raise InvalidPeopleInput("people.err.score", field)
    return int(value)


def day(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise InvalidPeopleInput("people.err.date", field)
    return value
