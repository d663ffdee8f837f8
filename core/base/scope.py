"""Who may see what (SPEC §1). Every read in core takes a Scope and filters in SQL through it.

A rep sees only rows they own; a lead the rows of the teams they lead; director, finance and admin
see every team; department staff (role service) see no team's rows, only the cross-department
requests addressed to their department (core.process.requests). Filters chosen on a page (region, team) narrow a scope and can never widen it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, TypeVar

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from core.base.models import Team, User
from core.base.vocabulary import ADMIN, ALL_TEAMS_ROLES



class ScopeError(Exception):
    """A caller asked for something outside their scope."""


@dataclass(frozen=True)
class Scope:
    user_id: int
    role: str
    team_ids: frozenset[int] | None  # None: every team
    own_only: bool = False  # a rep: only rows they own
    department: str | None = None  # role service: the department whose requests they answer (no team rows)

    @property
    def key(self) -> tuple:
        """Part of every cache key: two scopes with the same key see the same rows."""
        teams = None if self.team_ids is None else tuple(sorted(self.team_ids))
        return (self.user_id if self.own_only else None, self.role, teams, self.department)

    def apply(self, stmt, owner_col, team_col):
        """Add this scope's WHERE clause to ``stmt`` over its owner and team columns."""
        if self.own_only:
            return stmt.where(owner_col == self.user_id)
        if self.team_ids is None:
            return stmt
        if not self.team_ids:
            return stmt.where(false())
        return stmt.where(team_col.in_(sorted(self.team_ids)))

    def may_see_team(self, team_id: int | None) -> bool:
        return self.team_ids is None or team_id in self.team_ids

    @property
    def sees_all(self) -> bool:
        return self.team_ids is None and not self.own_only


COMPANY = Scope(0, ADMIN, None)  # the command line and the jobs act for the company, not for a person


def scope_for(session: Session, user: User) -> Scope:
    """The scope of a user, from their role and the teams they lead."""
    if user.role in ALL_TEAMS_ROLES:
        return Scope(user.id, user.role, None)
    if user.role == "lead":
        led = session.scalars(select(Team.id).where(Team.lead_user_id == user.id)).all()
        return Scope(user.id, "lead", frozenset(led))
    if user.role == "rep":
        teams = frozenset([user.team_id]) if user.team_id else frozenset()
        return Scope(user.id, "rep", teams, own_only=True)
    if user.role == "service":
        # department staff see no team's rows; core.process.requests shows them their department's requests
        return Scope(user.id, "service", frozenset(), department=user.department)
    raise ScopeError(f"unknown role {user.role!r}")


F = TypeVar("F", bound=Callable)


def _needs_scope(fn: F, kind: str) -> F:
    @functools.wraps(fn)
    def wrapper(scope, *args, **kwargs):
        if not isinstance(scope, Scope):
            raise ScopeError(f"{fn.__name__} needs the caller's Scope as its first argument")
        return fn(scope, *args, **kwargs)

    wrapper.read_kind = kind  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def scoped_read(fn: F) -> F:
    """Mark a read ``fn(scope, session, …)`` of rows that belong to reps and teams; it refuses to run
    without the caller's Scope. tests/integration/test_scope_reads.py finds every such read of core
    and proves that none leaks (a rep's result is the same with or without other reps' rows)."""
    return _needs_scope(fn, "scoped")


def company_read(fn: F) -> F:
    """Mark a read that refuses to run without the caller's Scope but whose rows are not a rep's or
    a team's alone (the knowledge base, a team's shared lead pool, the settings): the owner-invariance
    proof does not apply to it; its own tests prove what it shows."""
    return _needs_scope(fn, "company")
