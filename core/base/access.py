"""Who may do what, in one table: which role opens which page, and which role may make which write.

The navigation registers a role's pages from ``PAGES``; every page checks ``PAGES`` again when it
runs; every core write is marked ``@guarded(ACTION)`` and refuses, whoever calls it (a page, the
command line, a job or a test), a caller whose role ``ACTIONS`` does not list. Pages ask ``may``
before they offer a form, so a person is never shown a button that would be refused.

The table says what a *role* may do. Which rows a person may touch (their own leads, their team's
reps) is the scope's business (core.base.scope) and stays in the write itself.
"""
from __future__ import annotations

import functools
from typing import Callable, TypeVar

from core.base.i18n import t
from core.base.scope import Scope, ScopeError
from core.base.vocabulary import ADMIN, DIRECTOR, FINANCE, LEAD, REP, STAFF

SALES = (DIRECTOR, LEAD, REP, ADMIN)  # the roles that work the funnel
MANAGERS = (DIRECTOR, LEAD, ADMIN)  # see several reps' figures
OFFICE = (DIRECTOR, LEAD, REP, FINANCE, ADMIN)  # everyone of the company but department staff
EVERYONE = (*OFFICE, STAFF)

# page (its file in pages/, without .py) → the roles that may open it
PAGES: dict[str, tuple[str, ...]] = {
    "cockpit": SALES,
    "leads": SALES,
    "visit": (REP, LEAD),
    "funnel": SALES,
    "collections": OFFICE,  # finance, director, lead in scope, rep for own (SPEC §7)
    "customers": OFFICE,
    "contracts": OFFICE,  # cash (SPEC §7): contracts, payments, invoices, shipments
    "requests": (*SALES, STAFF),
    "inbox": EVERYONE,
    "coaching": SALES,
    "capability": SALES,
    "knowledge": EVERYONE,
    "lead_pool": SALES,
    "lead_board": MANAGERS,
    "psi": MANAGERS,
    "lag_bottlenecks": MANAGERS,
    "scorecard": SALES,
    "targets": SALES,  # reps see and confirm their own
    "target_health": SALES,  # a rep sees their own row only
    # cash and data quality (SPEC §7)
    "reconciliation": (DIRECTOR, LEAD, FINANCE, ADMIN),
    "data_quality": (DIRECTOR, LEAD, FINANCE, ADMIN),
    # incentives (SPEC §8): a rep their own, a lead their teams
    "incentives": OFFICE,
    "admin_routing": (ADMIN,),
    "admin_steps": (ADMIN,),
    "admin_settings": (ADMIN,),
    "admin_users": (ADMIN,),
    "admin_audit": (ADMIN,),
    "admin_import": (FINANCE, ADMIN),  # finance imports their cash records only (import.cash)
    # where alerts and briefs are pushed; the scheduled jobs
    "admin_channels": (ADMIN,),
    "admin_jobs": (ADMIN,),
}

# action → the roles that may take it. Writes are named <record>.<verb>; a few "see" actions say
# who may see a part of a page or a figure that the scope alone does not decide.
ACTIONS: dict[str, tuple[str, ...]] = {
    # everyone's own
    "todo.complete": EVERYONE,
    "alert.mark_read": EVERYONE,
    # the alert store: the recipient handles their own alerts
    "alert.acknowledge": EVERYONE,
    "alert.resolve": EVERYONE,
    "language.set": EVERYONE,
    "password.set": EVERYONE,  # their own; an admin anyone's
    # admin
    "settings.save": (ADMIN,),
    "user.create": (ADMIN,),
    "user.set_active": (ADMIN,),
    "routing_rule.add": (ADMIN,),
    "routing_rule.update": (ADMIN,),
    "routing_rule.delete": (ADMIN,),
    "routing_rule.move": (ADMIN,),
    "routing.set_fallback_team": (ADMIN,),
    "team_pool.save": (ADMIN,),
    "step.save": (ADMIN,),
    "import.run": (ADMIN,),  # leads, customers, opportunities
    "import.file": (FINANCE, ADMIN),  # run an import at all; each entity also needs its own action
    # lead desk (SPEC §3)
    "lead.enter": SALES,
    "lead.log_contact": SALES,  # on a lead they own
    "lead.reassign": MANAGERS,
    "lead.claim": (REP,),
    "pool.see_summary": MANAGERS,
    # funnel (SPEC §4)
    "deal.move_stage": SALES,
    # process capture (SPEC §5, §6)
    "activity.log": (REP, LEAD),
    "issue.raise": (REP, LEAD),
    "issue.close": (REP, LEAD),
    "request.open": (REP, LEAD),
    "request.answer": (STAFF,),
    # people (SPEC §8)
    "coaching.record": (LEAD,),
    "coaching.rate": (REP,),
    "coaching.see_ratings": (DIRECTOR, REP, ADMIN),  # a rep their own; never the lead who coached
    "capability.assess": (LEAD,),
    "article.create": (ADMIN, LEAD),
    "article.update": (ADMIN, LEAD),
    "target.save": MANAGERS,
    "satisfaction.record": (LEAD, ADMIN),
    "onboarding.complete": (REP,),
    "onboarding.check": (LEAD,),
    # cash: records (SPEC §7)
    "contract.create": SALES,  # for a customer of their scope (a rep: their own)
    "payment.record": (FINANCE, ADMIN),
    "invoice.record": (FINANCE, ADMIN),
    "import.cash": (FINANCE, ADMIN),  # payments, invoices, shipments
    "collection_todo.create": (DIRECTOR, LEAD, FINANCE, ADMIN),  # for a contract in scope, to its owner
    # data quality (SPEC §7)
    "quality.scan": (DIRECTOR, FINANCE, ADMIN),
    "finding.ignore": (DIRECTOR, LEAD, FINANCE, ADMIN),  # a lead only their teams' findings
    "customer.merge": (DIRECTOR, FINANCE, ADMIN),
    # company set-up (SPEC §10): regions, teams, initial passwords, moving people
    "region.create": (ADMIN,),
    "team.create": (ADMIN,),
    "team.set_lead": (ADMIN,),
    "user.reset_password": (ADMIN,),
    "user.move_team": (ADMIN,),
    "import.users": (ADMIN,),
    # targets: year/quarter plans, weights, rolling re-allocation, confirmation (SPEC §8)
    "target.allocate": (DIRECTOR, ADMIN),  # propose a plan and accept (or edit and accept) a proposal
    "target.weights": (DIRECTOR, ADMIN),
    "target.reallocate": (DIRECTOR, ADMIN),
    "target.confirm": (REP,),
    # incentives (SPEC §8)
    "incentive.what_if": (DIRECTOR, ADMIN),  # see: the sandbox (nothing saved)
    "incentive.apply": (DIRECTOR, ADMIN),  # a new version of the incentive model
    "payout.export": (DIRECTOR, LEAD, FINANCE, ADMIN),  # the month's payout table for payroll, in scope
    # channels and jobs
    "channel.save": (ADMIN,),
    "channel.test": (ADMIN,),
    "job.run": (ADMIN,),
}


class Forbidden(ScopeError):
    """The caller's role may not take this action or open this page."""

    def __init__(self, role: str, what: str):
        self.role, self.what = role, what
        super().__init__(f"a {role} may not {what}")

    def message(self, lang: str) -> str:
        return t(lang, "err.forbidden")


def may_open(role: str, page: str) -> bool:
    return role in PAGES.get(page, ())


def may(role: str, action: str) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"{action!r} is not in the access table (core.base.access.ACTIONS)")
    return role in ACTIONS[action]


def pages_for(role: str) -> list[str]:
    return [page for page, roles in PAGES.items() if role in roles]


def require(scope: Scope, action: str) -> None:
    """Raise Forbidden unless ``scope``'s role may take ``action``."""
    if not isinstance(scope, Scope):
        raise ScopeError(f"{action} needs the caller's Scope")
    if not may(scope.role, action):
        raise Forbidden(scope.role, action)


def require_page(scope: Scope, page: str) -> None:
    """Raise Forbidden unless ``scope``'s role may open ``page`` (reads that serve one page)."""
    if not isinstance(scope, Scope):
        raise ScopeError(f"the {page} page's reads need the caller's Scope")
    if not may_open(scope.role, page):
        raise Forbidden(scope.role, f"open {page}")


F = TypeVar("F", bound=Callable)


def guarded(action: str) -> Callable[[F], F]:
    """Mark a core write ``fn(session, scope, …)`` as ``action``: it refuses a caller whose role the
    table does not list, before it reads or writes anything."""
    if action not in ACTIONS:
        raise KeyError(f"{action!r} is not in the access table (core.base.access.ACTIONS)")

    def mark(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(session, scope, *args, **kwargs):
            require(scope, action)
            return fn(session, scope, *args, **kwargs)

        wrapper.action = action  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return mark
