"""The proof SPEC §1 asks for: no read of core shows a rep another rep's rows, or a lead another
team's rows — for EVERY function marked ``@scoped_read`` in core (tests.core_modules.SCOPED_READS).

Method, "scope invariance": the same hand-made records are built in two databases — one with the
records of rep a1 *and* of others (a2 in the same team, b1 in team Beta), one with a1's records
only (same ids). Every read, called with
a1's scope, must return exactly the same on both: whatever another rep owns cannot change what a1
sees. The same for lead Lena (team Alpha) against a database without team Beta. A DataFrame with
an ``owner_id`` column must, besides, hold only ids the caller may see.

So that the proof is not vacuous, each read must give *some* caller who may see the others' rows
(an admin, the director, the other rep or their lead) different results on the two databases.

A new read needs an entry in CALLS (how to call it); without one this test fails.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

import pandas as pd
import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine

from core.base.query import Filters
from core.process.lights import FIRST_RESPONSE
from core.base.db import make_engine, read_session, write_tx
from core.funnel.stages import GROUPINGS, FunnelFilters
from core.base.migrate import upgrade
from core.base.models import Region, Team, User
from core.base.vocabulary import QUALITY_RULES, STAGES
from core.cash import quality
from core.people import incentives
from core.base.scope import Scope, ScopeError, scope_for
from tests.core_modules import IMPORT_ERRORS, SCOPED_READS as READS
from tests.factories import NOW, Org, add_rep_records, make_org


STEP_CODES = ("needs_summary", "promotion_evidence", "solution_update")
CODES = (FIRST_RESPONSE, *STEP_CODES)


# ---- how to call each read ---------------------------------------------------------------------

@dataclass(frozen=True)
class Ctx:
    org: Org
    now: datetime

    @property
    def filters(self) -> list[Filters]:
        """The default week, and narrowed to each team and to Beta's region."""
        o, week = self.org, Filters.last_days(self.now.date(), 7)
        return [week, Filters(week.start, week.end, team_id=o.alpha.id),
                Filters(week.start, week.end, team_id=o.beta.id), Filters(week.start, week.end, region_id=o.south.id)]


def _per_code_and_filter(c: Ctx, **extra) -> list[dict]:
    return [dict(code=code, filters=f, now=c.now, **extra) for code in CODES for f in c.filters]


# read name → the keyword arguments (after scope and session) of each call to try.
CALLS: dict[str, Callable[[Ctx], list[dict[str, Any]]]] = {
    "core.process.lights.rate": _per_code_and_filter,
    "core.process.lights.daily_series": _per_code_and_filter,
    "core.process.lights.misses_by_group": _per_code_and_filter,
    "core.process.lights.missed_records": _per_code_and_filter,
    "core.process.lights.lights": lambda c: [dict(filters=f, now=c.now, lang="en") for f in c.filters]
                                     + [dict(filters=c.filters[0], now=c.now, lang="zh", with_series=False)],
    "core.process.lights.rates_by_group": lambda c: [dict(filters=f, now=c.now, lang=lang)
                                                     for f in c.filters for lang in ("en", "zh")],
    "core.base.customers.customers": lambda c: [
        {}, dict(search="Customer"), dict(search="a1"), dict(team_id=c.org.alpha.id),
        dict(team_id=c.org.beta.id), dict(limit=1)],
    "core.base.org.teams": lambda c: [{}],
    "core.base.org.regions": lambda c: [{}],
    "core.base.org.all_regions": lambda c: [{}],
    "core.base.users.list_users": lambda c: [{}],
    "core.base.inbox.todos": lambda c: [dict(include_done=False), dict(include_done=True)],
    "core.base.inbox.alerts": lambda c: [dict(unread_only=False), dict(unread_only=True),
                                         dict(kinds=("quality_finding",), statuses=("open",))],
    "core.base.audit.audit_log": lambda c: [dict(limit=500)],
    # People (SPEC §8): every rep of both teams, and an id nobody has
    "core.people.capability.capability_radar": lambda c: [dict(rep_id=u.id) for u in c.org.reps] + [dict(rep_id=999)],
    "core.people.capability.capability_history": lambda c: [dict(rep_id=u.id) for u in c.org.reps]
                                                    + [dict(rep_id=999)],
    "core.people.coaching.coaching_records": lambda c: [{}, dict(limit=1)] + [dict(rep_id=u.id) for u in c.org.reps],
    "core.people.coaching.coaching_coverage": lambda c: [dict(today=c.now.date())],
    "core.funnel.stages.funnel": lambda c: [dict(filters=f, now=c.now) for f in _funnel_filters(c)],
    "core.funnel.stages.win_rates": lambda c: [dict(filters=_funnel_filters(c)[0], by=by) for by in GROUPINGS]
                                       + [dict(filters=f, by="rep") for f in _funnel_filters(c)[1:]],
    "core.funnel.stages.stage_deals": lambda c: [dict(stage=stage, filters=f, now=c.now)
                                          for stage in STAGES for f in _funnel_filters(c)],
    # five days on, each rep's open deal has sat 11 days in proposal (bound 8): stalled
    "core.funnel.stages.stalled_deals": lambda c: [dict(filters=f, now=now) for f in _funnel_filters(c)
                                            for now in (c.now, c.now + timedelta(days=5))],
    # add_rep_records makes two deals per rep, a1's first: ids 1–6 cover a1, a2 and b1 (999: none)
    "core.funnel.stages.timeline": lambda c: [dict(opportunity_id=i, now=c.now) for i in (1, 2, 3, 4, 5, 6, 999)],
    "core.funnel.stages.filter_options": lambda c: [{}],
    # ---- import / export: every lead, customer and opportunity in scope ----
    "core.exchange.exporter.lead_rows": lambda c: [{}],
    "core.exchange.exporter.customer_rows": lambda c: [{}],
    "core.exchange.exporter.opportunity_rows": lambda c: [{}],
    "core.exchange.exporter.export_file": lambda c: [dict(entity=e, fmt="csv") for e in ("leads", "customers", "opportunities")],
    # ---- lead desk ----
    # routing, pool and board: add_rep_records gives each rep four leads and one lost to the team pool three
    # days ago (tests.factories.add_pool_records); small lead ids cover a1, a2 and b1 (999: nobody's)
    "core.leads.routing.lead_history": lambda c: [dict(lead_id=i) for i in (*range(1, 25), 999)],
    "core.leads.routing.assignment_log": lambda c: [
        dict(start=c.now - timedelta(days=7), end=c.now), dict(start=c.now - timedelta(days=60), end=c.now),
        dict(start=c.now - timedelta(days=60), end=c.now, reasons=("returned",), team_id=c.org.alpha.id),
        dict(start=c.now - timedelta(days=60), end=c.now, team_id=c.org.beta.id, limit=1)],
    "core.leads.routing.recent_assignments": lambda c: [
        dict(now=c.now), dict(now=c.now, reasons=("returned", "claimed")), dict(now=c.now, team_id=c.org.alpha.id),
        dict(now=c.now + timedelta(days=3), team_id=c.org.beta.id, limit=1)],
    "core.base.org.active_reps": lambda c: [{}],
    "core.leads.pool.pool_leads": lambda c: [dict(now=c.now), dict(now=c.now, team_id=c.org.alpha.id),
                                       dict(now=c.now, team_id=c.org.beta.id), dict(now=c.now, limit=1)],
    "core.leads.pool.pool_summary": lambda c: [dict(now=c.now), dict(now=c.now, days=1)],
    "core.leads.pool.return_countdown": lambda c: [dict(now=c.now), dict(now=c.now, within_days=5),
                                             dict(now=c.now + timedelta(days=6)), dict(now=c.now, limit=1)],
    "core.leads.board.lead_counts": lambda c: [
        dict(start=c.now.date() - timedelta(days=29), end=c.now.date()),
        dict(start=c.now.date() - timedelta(days=60), end=c.now.date(), team_id=c.org.alpha.id),
        dict(start=c.now.date() - timedelta(days=60), end=c.now.date(), team_id=c.org.beta.id)],
    "core.leads.board.count_table": lambda c: [
        dict(start=c.now.date() - timedelta(days=29), end=c.now.date()),
        dict(start=c.now.date() - timedelta(days=60), end=c.now.date(), team_id=c.org.alpha.id),
        dict(start=c.now.date() - timedelta(days=60), end=c.now.date(), team_id=c.org.beta.id)],
    "core.leads.board.stuck_leads": lambda c: [dict(now=c.now), dict(now=c.now + timedelta(days=3)),
                                             dict(now=c.now + timedelta(days=3), team_id=c.org.alpha.id),
                                             dict(now=c.now + timedelta(days=3), limit=1)],
    "core.leads.board.quick_check": lambda c: [dict(now=c.now), dict(now=c.now, draw=1),
                                             dict(now=c.now, team_id=c.org.alpha.id)],
    # the inbox now and three days on; add_rep_records gives each rep a customer and five leads, a1's
    # first: small ids cover a1, a2 and b1 (999: nobody's)
    "core.leads.desk.my_leads": lambda c: [dict(now=c.now), dict(now=c.now + timedelta(days=3))],
    "core.leads.desk.customer_card": lambda c: [dict(customer_id=i) for i in (*range(1, 9), 999)],
    "core.leads.desk.related_leads": lambda c: ([dict(customer_id=i) for i in (*range(1, 9), 999)]
                                           + [dict(lead_id=i) for i in (*range(1, 17), 999)] + [{}]),
    # ---- process capture ----
    # add_rep_records gives each rep activities and one attachment, a1's first: small ids cover
    # a1, a2 and b1 whatever other areas add before them (999: none)
    "core.process.capture.subject_options": lambda c: [{}],
    "core.process.capture.open_steps": lambda c: [dict(now=c.now)],
    "core.process.capture.recent_activities": lambda c: [dict(limit=200)],
    "core.process.capture.saved_records": lambda c: [dict(activity_ids=tuple(range(1, 41))), dict(activity_ids=(999,))],
    "core.process.attachments.attachments_of": lambda c: [dict(activity_ids=tuple(range(1, 41)))],
    "core.process.attachments.attachment_file": lambda c: [dict(attachment_id=i) for i in (1, 2, 3, 4, 999)],
    # issues & requests, PSI, logging lag, bottlenecks: add_rep_records gives each rep an open and a
    # closed issue, an open and an answered request, step instances, activities (one logged 96 h late)
    "core.process.requests.requests": lambda c: [dict(now=c.now, status=st) for st in ("open", "closed", "all")]
                                       + [dict(now=c.now, limit=1)],
    "core.process.requests.issues": lambda c: [dict(now=c.now, status=st) for st in ("open", "closed", "all")]
                                     + [dict(now=c.now, limit=1)],
    "core.process.psi.psi_report": lambda c: [dict(month=f"{c.now:%Y-%m}", now=c.now, team_id=t)
                                      for t in (None, c.org.alpha.id, c.org.beta.id)]
                                     + [dict(month="2026-10", now=c.now)],
    "core.process.lag.lag_summary": lambda c: [dict(filters=f) for f in c.filters],
    "core.process.lag.lag_by_group": lambda c: [dict(filters=f, by=by) for f in c.filters for by in ("rep", "team")],
    "core.process.lag.lag_histogram": lambda c: [dict(filters=f) for f in c.filters],
    "core.process.lag.flagged_activities": lambda c: [dict(filters=f) for f in c.filters] + [dict(filters=c.filters[0],
                                                                                         limit=1)],
    # this week, and five days on (each rep's open deal then stalled in proposal)
    "core.process.heatmap.bottlenecks": lambda c: [dict(week_end=(c.now + timedelta(days=k)).date(),
                                                now=c.now + timedelta(days=k)) for k in (0, 5)],
    # ---- people: scorecard ----
    # every rep of add_rep_records, and an id that is nobody (999); this month and the last
    "core.people.scorecard.scorecard": lambda c: [dict(rep_id=i, month=m, now=c.now)
                                           for i in (c.org.a1.id, c.org.a2.id, c.org.b1.id, 999)
                                           for m in (f"{c.now:%Y-%m}", "2026-10")],
    "core.people.scorecard.weekly_trend": lambda c: [dict(rep_id=i, now=c.now, weeks=4)
                                              for i in (c.org.a1.id, c.org.a2.id, c.org.b1.id, 999)],
    "core.people.scorecard.team_scorecards": lambda c: [dict(month=f"{c.now:%Y-%m}", now=c.now, team_id=t)
                                                 for t in (None, c.org.alpha.id, c.org.beta.id)],
    "core.people.scorecard.open_todos": lambda c: [dict(rep_id=i, now=c.now)
                                            for i in (c.org.a1.id, c.org.a2.id, c.org.b1.id, 999)],
    "core.people.scorecard.result_records": lambda c: [dict(rep_id=i, month=f"{c.now:%Y-%m}", now=c.now)
                                                for i in (c.org.a1.id, c.org.a2.id, c.org.b1.id, 999)],
    "core.people.scorecard.rep_customers": lambda c: [dict(rep_id=i) for i in (c.org.a1.id, c.org.a2.id, c.org.b1.id, 999)],
    "core.people.targets.month_targets": lambda c: [dict(month=f"{c.now:%Y-%m}")],
    "core.people.targets.team_targets": lambda c: [dict(month=f"{c.now:%Y-%m}")],
    # ---- the year's plan of add_rep_records (version 1; 999: none) ----
    "core.people.targets.plan_versions": lambda c: [dict(period=f"{c.now:%Y}"), dict(period=f"{c.now:%Y}-Q4")],
    "core.people.targets.plan_rows": lambda c: [dict(version_id=v) for v in (1, 999)],
    "core.people.targets.plan_summary": lambda c: [dict(version_id=1, level=lv) for lv in ("region", "team")],
    "core.people.targets.target_sources": lambda c: [dict(period=f"{c.now:%Y}"), dict(period=f"{c.now:%Y}-Q4")],
    "core.people.targets.confirmations": lambda c: [dict(month=f"{c.now:%Y-%m}"), dict(month="2026-10")],
    # ---- people: target health: add_rep_records gives each rep a November target, a won
    # contract and an open deal; this month, last month, the year, each kind and language
    "core.people.target_health.deviation": lambda c: [dict(year=c.now.year, now=c.now, kind=k)
                                                      for k in ("signed_amount", "collections", "effective_visits")],
    "core.people.target_health.health": lambda c: [dict(month=m, now=c.now, lang=lang)
                                                   for m in (f"{c.now:%Y-%m}", "2026-10") for lang in ("en", "zh")],
    "core.process.psi.month_psi": lambda c: [dict(month=f"{c.now:%Y-%m}", now=c.now, team_id=t)
                                             for t in (None, c.org.alpha.id, c.org.beta.id)],
    "core.people.onboarding.tasks_of": lambda c: [dict(rep_id=i, now=c.now)
                                           for i in (c.org.a1.id, c.org.a2.id, c.org.b1.id, 999)],
    # the reps of add_rep_records joined a year before c.now: 360 days ago they were new
    "core.people.onboarding.new_reps": lambda c: [dict(now=c.now - timedelta(days=360)), dict(now=c.now)],
    # ---- funnel ----
    # the week 16–22 Nov against 19 Oct – 15 Nov: each rep's initial contacts (3 and 8 Nov), open
    # proposal (17 Nov; stalled three days on) and won contract (18 Nov); breakdowns of every stage
    # with figures on both sides; and narrowed by the funnel's filters
    "core.funnel.diagnosis.conversion_check": lambda c: (
        [dict(now=n, explain_all=True) for n in (c.now, c.now + timedelta(days=3))]
        + [dict(now=c.now, filters=f) for f in _funnel_filters(c)]),
    # ---- cash: records ----
    # add_rep_records gives each rep a customer, a won deal and its contract, a1's first: ids 1–3 cover
    # a1, a2 and b1 (999: none); the new-contract form's customers and won deals without a contract
    "core.cash.contracts.contracts": lambda c: [{}, dict(search="HT"), dict(search="a1"), dict(status="active"),
                                                dict(status="completed"), dict(limit=1)],
    "core.cash.contracts.contract_card": lambda c: [dict(contract_id=i, now=c.now) for i in (1, 2, 3, 4, 999)]
                                          + [dict(contract_id=1, now=c.now + timedelta(days=60))],
    "core.cash.contracts.contract_options": lambda c: [{}, dict(search="a1"), dict(limit=1)],
    # ---- cash: collections ----
    # each rep's contract of add_rep_records: 40,000 due two days ago and received, 40,000 due in 30
    # days; 40 days on the second is 10 days overdue (red lights, explanations, ageing), 100 days on 70
    "core.cash.collections.collection_lights": lambda c: [dict(filters=f, now=n, lang=lang)
                                                          for f in _collection_paths(c) for n in _collection_nows(c)
                                                          for lang in ("en", "zh")],
    "core.cash.collections.collection_by": lambda c: [dict(filters=f, now=n, level=level, window=w)
                                                      for f in _collection_paths(c) for n in _collection_nows(c)
                                                      for level in ("region", "team", "rep")
                                                      for w in ("to_date", "month", "quarter")],
    "core.cash.collections.overdue_contracts": lambda c: (
        [dict(filters=f, now=n) for f in _collection_paths(c) for n in _collection_nows(c)]
        + [dict(filters=_collection_paths(c)[0], now=c.now + timedelta(days=40), rep_id=u.id)
           for u in (c.org.a1, c.org.a2, c.org.b1)]),
    "core.cash.collections.ageing": lambda c: [dict(filters=f, now=n) for f in _collection_paths(c)
                                               for n in _collection_nows(c)],
    # the path of the page: every region, team and rep, alone and together, and ids that name nothing
    "core.cash.collections.drill_path": lambda c: (
        [dict(region_id=r) for r in (c.org.north.id, c.org.south.id, 999)]
        + [dict(team_id=t) for t in (c.org.alpha.id, c.org.beta.id, 999)]
        + [dict(rep_id=u.id) for u in (*c.org.reps, c.org.lead_alpha, c.org.director)] + [dict(rep_id=999)]
        + [dict(region_id=c.org.north.id, team_id=c.org.alpha.id, rep_id=c.org.a1.id),
           dict(region_id=c.org.north.id, team_id=c.org.alpha.id, rep_id=c.org.a2.id),
           dict(region_id=c.org.south.id, team_id=c.org.beta.id, rep_id=c.org.b1.id),
           dict(region_id=c.org.north.id, team_id=c.org.beta.id), dict(team_id=c.org.alpha.id, rep_id=c.org.b1.id),
           dict(region_id=c.org.south.id, rep_id=c.org.b1.id)]),
    # ---- cash: reconciliation, data quality, merge ----
    # each rep's contract (signed 20 Nov) has an instalment due 23 Dec: still open now; forty days on
    # it is compared (nothing received through receipts, nothing shipped: it disagrees)
    "core.cash.reconciliation.reconciliation": lambda c: [
        dict(month=m, now=n) for m in ("2026-11", "2026-10") for n in (c.now, c.now + timedelta(days=40))],
    # the fixture ran the scan: each rep's customer lacks phone and region, its late call is flagged,
    # and a2's and b1's customers look like a1's ("a1 Customer" …, names 90 % alike)
    "core.cash.quality.findings": lambda c: [{}, dict(status=None), dict(status="fixed"), dict(limit=1),
                                            dict(lang="zh")] + [dict(rule=r) for r in QUALITY_RULES],
    "core.cash.quality.quality_lights": lambda c: [dict(now=c.now, lang=lang) for lang in ("en", "zh")]
                                                 + [dict(now=c.now + timedelta(days=40))],
    # customers 1–3 are a1's, a2's and b1's (999: none); a lead or a rep is refused
    "core.cash.merge.merge_preview": lambda c: [dict(survivor_id=s, other_id=o) for s, o in
                                                ((1, 2), (2, 1), (1, 3), (3, 2), (1, 999), (1, 1))],
    # the morning meeting and the alert store
    "core.process.brief.brief": lambda c: [dict(now=c.now, lang=lang) for lang in ("en", "zh")]
                                + [dict(now=c.now + timedelta(days=1), lang="en")],
    "core.process.brief.moved_since_yesterday": lambda c: [dict(now=c.now, lang="en"),
                                                           dict(now=c.now + timedelta(days=1), lang="zh")],
    "core.base.inbox.alert_kinds": lambda c: [{}],
    "core.base.inbox.unread_count": lambda c: [{}],
    # ---- incentives (incentives part) ----
    # the fixture grants the points of each rep's records (points_ledger) after them; this month and
    # the last; a rep's statement for every rep and nobody (999); the sandbox under other weights
    "core.people.incentives.payouts": lambda c: [dict(month=m) for m in (f"{c.now:%Y-%m}", "2026-10")],
    "core.people.incentives.statement": lambda c: [dict(rep_id=i, month=f"{c.now:%Y-%m}")
                                                   for i in (c.org.a1.id, c.org.a2.id, c.org.b1.id, 999)],
    "core.people.incentives.what_if": lambda c: [dict(month=f"{c.now:%Y-%m}", changes=ch) for ch in
                                                 ({}, {"weight_strategic": 2.0, "yuan_per_point": 30})],
}


def _collection_paths(c: Ctx) -> list:
    """The collections page's paths: everything, each region, each team, a rep."""
    from core.cash.collections import CollectionFilters

    o = c.org
    return [CollectionFilters(), CollectionFilters(region_id=o.north.id), CollectionFilters(region_id=o.south.id),
            CollectionFilters(team_id=o.alpha.id), CollectionFilters(team_id=o.beta.id),
            CollectionFilters(o.north.id, o.alpha.id, o.a1.id), CollectionFilters(team_id=o.alpha.id, rep_id=o.a2.id),
            Filters.last_days(c.now.date(), 7, region_id=o.south.id)]


def _collection_nows(c: Ctx) -> list:
    return [c.now, c.now + timedelta(days=40), c.now + timedelta(days=100)]


def _funnel_filters(c: Ctx) -> list[FunnelFilters]:
    """The last 30 days, and narrowed to each team, Beta's region, a2 and a product."""
    o, day = c.org, c.now.date()
    return [FunnelFilters.last_days(day, 30), FunnelFilters.last_days(day, 30, team_id=o.alpha.id),
            FunnelFilters.last_days(day, 30, team_id=o.beta.id),
            FunnelFilters.last_days(day, 30, region_id=o.south.id),
            FunnelFilters.last_days(day, 30, owner_id=o.a2.id),
            FunnelFilters.last_days(day, 30, product="gadgets", source="expo", customer_type="end user")]


# ---- the databases ---------------------------------------------------------------------------

@dataclass
class Dbs:
    org: Org
    full: Engine        # records of a1, a2 (both Alpha) and b1 (Beta)
    only_a1: Engine     # records of a1 only; a2 and all of team Beta removed
    only_alpha: Engine  # records of a1 and a2; team Beta, its region, lead and reps removed


def _remove_users(session, users: list[User]) -> None:
    session.execute(delete(User).where(User.id.in_([u.id for u in users])))


def _remove_team_beta(session, org: Org) -> None:
    """Team Beta, its region South, its lead and its reps (who own nothing in this database)."""
    session.get(Team, org.beta.id).lead_user_id = None
    session.flush()
    _remove_users(session, [org.b1, org.b2, org.lead_beta])
    session.execute(delete(Team).where(Team.id == org.beta.id))
    session.execute(delete(Region).where(Region.id == org.south.id))


@pytest.fixture(scope="module")
def dbs(new_db_url) -> Dbs:
    engines, urls = {}, []
    try:
        for name in ("full", "only_a1", "only_alpha"):
            url = new_db_url.migrated()
            urls.append(url)
            engines[name] = make_engine(url)
            upgrade(engines[name])
        # Same order everywhere, so a1's (and a2's) rows get the same ids in every database. The
        # data-quality scan runs after each rep's records, as if it ran nightly between them: its
        # findings and alerts are rows of their own whose ids must not depend on other reps' either.
        with write_tx(engines["full"]) as s:
            org = make_org(s)
            for rep in (org.a1, org.a2, org.b1):
                add_rep_records(s, rep, rep.username)
                quality.scan(s, NOW)
                incentives.points_ledger(s, NOW)
        with write_tx(engines["only_a1"]) as s:
            o = make_org(s)
            add_rep_records(s, o.a1, "a1")
            quality.scan(s, NOW)
            incentives.points_ledger(s, NOW)
            _remove_team_beta(s, o)
            _remove_users(s, [o.a2])
        with write_tx(engines["only_alpha"]) as s:
            o = make_org(s)
            for rep in (o.a1, o.a2):
                add_rep_records(s, rep, rep.username)
                quality.scan(s, NOW)
                incentives.points_ledger(s, NOW)
            _remove_team_beta(s, o)
        yield Dbs(org, engines["full"], engines["only_a1"], engines["only_alpha"])
    finally:
        for engine in engines.values():
            engine.dispose()
        for url in urls:
            new_db_url.drop(url)


def user_scope(engine: Engine, user: User) -> Scope:
    with read_session(engine) as s:
        return scope_for(s, s.get(User, user.id))


@dataclass(frozen=True)
class Refused:
    error: str
    message: str


def call(engine: Engine, name: str, scope: Scope, kwargs: dict) -> Any:
    """The read's result, or Refused when it refuses the caller (ScopeError)."""
    with read_session(engine) as s:
        try:
            return READS[name](scope, s, **kwargs)
        except ScopeError as exc:
            return Refused(type(exc).__name__, str(exc))


def comparable(value: Any) -> Any:
    """A plain, ==-comparable form of a read's result (DataFrames with their dtypes and attrs)."""
    if isinstance(value, pd.DataFrame):
        cells = value.astype(object).where(value.notna(), None).values.tolist()
        return ("DataFrame", list(value.columns), [str(t) for t in value.dtypes],
                comparable(cells), comparable(dict(value.attrs)))
    if isinstance(value, pd.Series):
        return comparable(value.to_frame())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                {f.name: comparable(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value).__name__, [comparable(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def owner_ids(value: Any) -> set:
    """Every owner_id in a DataFrame result (empty for other results)."""
    if isinstance(value, pd.DataFrame) and "owner_id" in value.columns:
        return set(value["owner_id"].dropna().astype(int))
    return set()


def invariance(dbs: Dbs, name: str, caller: User, reduced: Engine, allowed_owners: set[int],
               others: list[User]) -> None:
    assert name in CALLS, (
        f"{name} is marked @scoped_read but tests/integration/test_scope_reads.py does not "
        "know how to call it: add an entry to CALLS so its scope is proved")
    variants = CALLS[name](Ctx(dbs.org, NOW))
    assert variants, f"CALLS[{name!r}] gives no call to try"
    scope = user_scope(dbs.full, caller)
    for kwargs in variants:
        got_full = call(dbs.full, name, scope, kwargs)
        got_reduced = call(reduced, name, scope, kwargs)
        assert comparable(got_full) == comparable(got_reduced), (
            f"{name}({kwargs}) for {caller.username} changes with rows {caller.username} may not see")
        leaked = owner_ids(got_full) - allowed_owners
        assert not leaked, f"{name}({kwargs}) shows {caller.username} rows owned by user ids {sorted(leaked)}"

    # Not vacuous: someone entitled to the others' rows sees a difference.
    probes = [Scope(0, "admin", None), user_scope(dbs.full, dbs.org.director)]
    probes += [user_scope(dbs.full, u) for u in others]
    for kwargs in variants:
        for probe in probes:
            if comparable(call(dbs.full, name, probe, kwargs)) != comparable(call(reduced, name, probe, kwargs)):
                return
    pytest.fail(f"{name} returns the same on both databases for every caller, so this test proves nothing "
                "about it: make tests.factories.add_rep_records create the rows it reads, or add calls "
                "to CALLS that show them")


# ---- the tests -------------------------------------------------------------------------------

def test_every_core_module_imports():
    assert not IMPORT_ERRORS


def test_every_read_has_a_way_to_be_called():
    missing = sorted(set(READS) - set(CALLS))
    assert not missing, f"reads without an entry in CALLS (add one): {missing}"
    stale = sorted(set(CALLS) - set(READS))
    assert not stale, f"CALLS names reads that are no longer registered (remove or rename): {stale}"


@pytest.mark.parametrize("name", sorted(READS))
def test_a_rep_sees_nothing_of_another_rep(dbs, name):
    org = dbs.org
    invariance(dbs, name, org.a1, dbs.only_a1, {org.a1.id}, others=[org.a2, org.lead_alpha])


@pytest.mark.parametrize("name", sorted(READS))
def test_a_lead_sees_nothing_of_another_team(dbs, name):
    org = dbs.org
    alpha = {org.lead_alpha.id, org.a1.id, org.a2.id}
    invariance(dbs, name, org.lead_alpha, dbs.only_alpha, alpha, others=[org.b1, org.lead_beta])


@pytest.mark.parametrize("name", sorted(READS))
def test_a_read_refuses_to_run_without_a_scope(dbs, name):
    kwargs = CALLS.get(name, lambda c: [{}])(Ctx(dbs.org, NOW))[0]
    with read_session(dbs.full) as s:
        for not_a_scope in (None, dbs.org.a1.id, s.get(User, dbs.org.a1.id), s):
            with pytest.raises(ScopeError):
                READS[name](not_a_scope, s, **kwargs)


def test_the_rep_dataset_does_show_the_reps_own_rows(dbs):
    """The invariance above compares real figures: a1's own rows are there to be seen."""
    from core.process import lights as cockpit

    a1 = user_scope(dbs.full, dbs.org.a1)
    week = Filters.last_days(NOW.date(), 7)
    with read_session(dbs.full) as s:
        # a1: leads on time, late (60 h), silent (3 days) and fresh → 1 of 3 decided on time.
        assert cockpit.rate(a1, s, FIRST_RESPONSE, week, NOW) == (1, 3)
        # per step: on time, late, overdue and not yet due → 1 of 3.
        assert cockpit.rate(a1, s, "needs_summary", week, NOW) == (1, 3)
        director = user_scope(dbs.full, dbs.org.director)
        assert cockpit.rate(director, s, FIRST_RESPONSE, week, NOW) == (3, 9)


def test_scopes_of_each_role(dbs):
    org = dbs.org
    assert user_scope(dbs.full, org.a1) == Scope(org.a1.id, "rep", frozenset({org.alpha.id}), own_only=True)
    assert user_scope(dbs.full, org.lead_alpha) == Scope(org.lead_alpha.id, "lead", frozenset({org.alpha.id}))
    assert user_scope(dbs.full, org.director) == Scope(org.director.id, "director", None)
    assert user_scope(dbs.full, org.director).sees_all
    assert not user_scope(dbs.full, org.lead_alpha).may_see_team(org.beta.id)


def test_a_lead_of_no_team_sees_no_team(dbs):
    from core.process import lights as cockpit

    nobody = Scope(999, "lead", frozenset())
    week = Filters.last_days(NOW.date(), 7)
    with read_session(dbs.full) as s:
        assert cockpit.rate(nobody, s, FIRST_RESPONSE, week, NOW) == (0, 0)
        assert cockpit.missed_records(nobody, s, FIRST_RESPONSE, week, NOW).empty


def test_a_scope_with_an_unknown_role_is_refused(dbs):
    with read_session(dbs.full) as s:
        ghost = User(id=12345, username="ghost", display_name="Ghost", role="intern", password_hash="x",
                     created_at=NOW)
        with pytest.raises(ScopeError):
            scope_for(s, ghost)

