"""The demo seed (data/demo.py): its organisation, its volumes, determinism and the patterns the
cockpit lights are meant to show. The small demo is seeded once per module into a temporary SQLite
file, on a fixed day, and measured at the demo's own "now"."""
from __future__ import annotations

import hashlib
import statistics
from datetime import date, timedelta

import bcrypt
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from core.base.query import Filters
from core.process import lights as cockpit
from core.base.db import make_engine, read_session
from core.base.migrate import upgrade
from core.base.models import (
    Activity, Alert, Contract, CrossDeptRequest, Customer, CustomerIssue, Invoice, Lead, Opportunity, Payment,
    ProcessStep, Receipt, Region, Shipment, StageHistory, StepInstance, Team, Todo, User,
)
from core.base.sqlfn import hours_between
from core.base.scope import COMPANY
from core.base.users import scope_of
from data import demo, demo_cash

TODAY = date(2026, 11, 23)
NOW = demo.demo_now(TODAY)


def _fresh_engine(path):
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


def _lead_checksum(engine) -> str:
    cols = (Lead.id, Lead.owner_id, Lead.team_id, Lead.company, Lead.grade, Lead.status, Lead.created_at,
            Lead.first_contact_at)
    digest = hashlib.sha256()
    with read_session(engine) as s:
        for row in s.execute(select(*cols).order_by(Lead.id)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """(engine, counts, was_empty_before) for the small demo."""
    engine = _fresh_engine(tmp_path_factory.mktemp("demo") / "demo.db")
    was_empty = demo.is_empty(engine)
    counts = demo.seed(engine, "small", seed=7, today=TODAY)
    yield engine, counts, was_empty
    engine.dispose()


@pytest.fixture(scope="module")
def engine(seeded):
    return seeded[0]


@pytest.fixture
def session(engine):
    with read_session(engine) as s:
        yield s


def _week(**kw) -> Filters:
    return Filters.last_days(TODAY, 7, **kw)


def _pct(on_time: int, decided: int) -> float:
    assert decided > 0
    return 100.0 * on_time / decided


# ---- emptiness, volumes, organisation -----------------------------------------------------------

def test_is_empty_before_seeding_and_not_after(seeded):
    engine, _, was_empty = seeded
    assert was_empty is True
    assert demo.is_empty(engine) is False


def test_seed_refuses_a_database_with_data(engine):
    with pytest.raises(ValueError):
        demo.seed(engine, "small", seed=7, today=TODAY)


def test_counts_are_in_the_expected_ranges(seeded, session):
    _, counts, _ = seeded
    expected = {
        "regions": (3, 3), "teams": (12, 12), "users": (104, 104), "customers": (2_500, 3_500),
        "leads": (13_000, 17_000), "opportunities": (2_000, 3_000), "stage_history": (5_000, 15_000),
        "activities": (55_000, 70_000), "step_instances": (20_000, 30_000),
        "customer_issues": (1_200, 1_800), "cross_dept_requests": (600, 1_000), "todos": (3, 50), "alerts": (3, 150),  # with one per data-quality finding
    }
    for table, (low, high) in expected.items():
        assert low <= counts[table] <= high, (table, counts[table])
    assert session.scalar(select(func.count()).select_from(Lead)) == counts["leads"]
    assert session.scalar(select(func.count()).select_from(Activity)) == counts["activities"]


def test_organisation_has_3_regions_12_teams_86_reps_and_a_lead_per_team(session):
    assert session.scalars(select(Region.name).order_by(Region.id)).all() == ["华东大区", "华南大区", "华北大区"]
    teams = session.execute(select(Team.id, Team.region_id, Team.lead_user_id)).all()
    assert len(teams) == 12
    assert sorted(sum(1 for t in teams if t.region_id == r) for r in (1, 2, 3)) == [4, 4, 4]
    reps_per_team = dict(session.execute(
        select(User.team_id, func.count()).where(User.role == "rep").group_by(User.team_id)).all())
    assert sum(reps_per_team.values()) == 86
    assert set(reps_per_team.values()) <= {7, 8} and len(reps_per_team) == 12
    for team_id, _, lead_id in teams:
        lead = session.get(User, lead_id)
        assert lead.role == "lead" and lead.team_id == team_id
    names = session.scalars(select(User.display_name)).all()
    assert len(set(names)) == len(names)


def test_named_demo_logins_have_their_roles_and_teams(session):
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(
        ["director", "admin", "finance", "lead1", "rep1", "rep2"])))}
    assert {name: (u.role, u.team_id) for name, u in users.items()} == {
        "director": ("director", None), "admin": ("admin", None), "finance": ("finance", None),
        "lead1": ("lead", 1), "rep1": ("rep", 1), "rep2": ("rep", 1)}
    assert session.get(Team, 1).lead_user_id == users["lead1"].id
    assert session.scalar(select(func.count(func.distinct(User.password_hash)))) == 1
    assert bcrypt.checkpw(demo.DEMO_PASSWORD.encode(), users["rep1"].password_hash.encode())
    assert session.scalar(select(func.count()).select_from(User).where(User.username.like("rep0%"))) == 84
    assert all(u.active and u.language is None for u in users.values())


def test_same_seed_and_day_give_identical_leads(engine, tmp_path):
    other = _fresh_engine(tmp_path / "again.db")
    demo.seed(other, "small", seed=7, today=TODAY)
    assert _lead_checksum(other) == _lead_checksum(engine)
    other.dispose()


# ---- consistency of the records -----------------------------------------------------------------

def test_nothing_is_dated_after_the_demo_now(session):
    latest = [
        session.scalar(select(func.max(Lead.created_at))), session.scalar(select(func.max(Lead.first_contact_at))),
        session.scalar(select(func.max(Activity.happened_at))), session.scalar(select(func.max(Activity.logged_at))),
        session.scalar(select(func.max(StepInstance.completed_at))),
        session.scalar(select(func.max(Opportunity.closed_at))),
        session.scalar(select(func.max(StageHistory.entered_at))),
    ]
    assert all(t <= NOW for t in latest)
    assert max(latest) > NOW - timedelta(hours=12)


def test_activities_are_logged_after_they_happen(session):
    assert session.scalar(select(func.count()).select_from(Activity)
                          .where(Activity.logged_at < Activity.happened_at)) == 0


def test_step_deadlines_follow_the_process_steps_and_completions_point_at_their_activity(session):
    window = hours_between(StepInstance.due_at, StepInstance.triggered_at)
    off = session.scalar(
        select(func.count()).select_from(StepInstance).join(ProcessStep, ProcessStep.id == StepInstance.step_id)
        .where(func.abs(window - ProcessStep.within_hours) > 0.01))
    assert off == 0
    completing = aliased(Activity)
    rows = session.execute(
        select(ProcessStep.action, completing.kind, func.count())
        .select_from(StepInstance).join(ProcessStep, ProcessStep.id == StepInstance.step_id)
        .join(completing, completing.id == StepInstance.completing_activity_id)
        .group_by(ProcessStep.action, completing.kind)).all()
    assert rows and all(action == kind for action, kind, _ in rows)
    assert session.scalar(select(func.count()).select_from(StepInstance).where(
        StepInstance.completed_at.is_not(None), StepInstance.completing_activity_id.is_(None))) == 0
    per_step = dict(session.execute(select(ProcessStep.code, func.count()).join(
        StepInstance, StepInstance.step_id == ProcessStep.id).group_by(ProcessStep.code)).all())
    assert set(per_step) == {"needs_summary", "promotion_evidence", "solution_update"}


def test_scenario_fields_are_filled(session):
    summary = session.scalars(select(Activity.fields).where(Activity.kind == "needs_summary").limit(50)).all()
    assert all(set(f) >= {"problem", "concerns", "next_action", "next_action_at"} and len(f["concerns"]) == 3
               for f in summary)
    evidence = session.scalars(select(Activity.fields).where(Activity.kind == "promotion_evidence").limit(50)).all()
    assert all(f["photos"] >= 3 and f["note"] for f in evidence)


def test_lead_status_matches_contact_and_conversion(session):
    def count(*where):
        return session.scalar(select(func.count()).select_from(Lead).where(*where))

    assert count(Lead.status == "new", Lead.first_contact_at.is_not(None)) == 0
    assert count(Lead.status != "new", Lead.first_contact_at.is_(None)) == 0
    assert count(Lead.first_contact_at < Lead.created_at) == 0
    assert count(Lead.status == "converted", Lead.converted_at.is_(None)) == 0
    # the pool (公海): the lead desk's recycle rules applied to the six months (data/demo_lead_desk.py)
    pool = count(Lead.owner_id.is_(None))
    assert pool == count(Lead.owner_id.is_(None), Lead.pooled_at.is_not(None), Lead.pool_reason.is_not(None))
    assert 0.4 <= pool / count() <= 0.8
    recent_uncontacted = count(Lead.created_at > NOW - timedelta(hours=48), Lead.first_contact_at.is_(None))
    assert recent_uncontacted > 0


def test_opportunities_end_won_lost_or_open_with_their_history(session):
    status = dict(session.execute(select(Opportunity.status, func.count()).group_by(Opportunity.status)).all())
    total = sum(status.values())
    assert 0.25 <= status["won"] / total <= 0.45
    assert 0.25 <= status["lost"] / total <= 0.45
    assert 0.15 <= status["open"] / total <= 0.40
    closing_rows = session.scalar(select(func.count()).select_from(StageHistory)
                                  .where(StageHistory.stage.in_(["won", "lost"])))
    assert closing_rows == status["won"] + status["lost"]
    assert session.scalar(select(func.count()).select_from(Opportunity).where(
        Opportunity.status != "open", Opportunity.closed_at.is_(None))) == 0


def test_records_belong_to_their_owners_team(session):
    owner = aliased(User)
    for model in (Customer, Lead, Activity, StepInstance, Opportunity):
        wrong = session.scalar(select(func.count()).select_from(model).join(owner, owner.id == model.owner_id)
                               .where(model.team_id != owner.team_id))
        assert wrong == 0, model.__name__


def test_issues_close_in_about_3_days_and_requests_are_answered_within_a_day(session):
    closed = session.scalars(select(hours_between(CustomerIssue.closed_at, CustomerIssue.raised_at))
                             .where(CustomerIssue.closed_at.is_not(None))).all()
    assert 2.0 <= statistics.median(closed) / 24 <= 4.0
    answered = session.scalars(select(hours_between(CrossDeptRequest.answered_at, CrossDeptRequest.requested_at))
                               .where(CrossDeptRequest.answered_at.is_not(None))).all()
    assert 12 <= statistics.mean(answered) <= 28


# ---- the deliberate patterns --------------------------------------------------------------------

def test_backlog_team_misses_the_48h_response_in_the_last_week(session):
    backlog = session.scalar(select(Team.id).where(Team.name == demo.BACKLOG_TEAM))
    assert session.scalar(select(Region.name).join(Team, Team.region_id == Region.id)
                          .where(Team.id == backlog)) == "华南大区"
    assert backlog != 1
    rate = _pct(*cockpit.rate(COMPANY, session, cockpit.FIRST_RESPONSE, _week(team_id=backlog), NOW))
    assert rate < 80
    company = _pct(*cockpit.rate(COMPANY, session, cockpit.FIRST_RESPONSE, _week(), NOW))
    assert company <= 90  # red or yellow
    misses = cockpit.misses_by_group(COMPANY, session, cockpit.FIRST_RESPONSE, _week(), NOW)
    assert misses.iloc[0]["name"] == demo.BACKLOG_TEAM
    assert misses.iloc[0]["misses"] >= 0.5 * misses["misses"].sum()


def test_north_region_writes_needs_summaries_late_in_the_last_week(session):
    regions = dict(session.execute(select(Region.name, Region.id)).all())
    rates = {name: _pct(*cockpit.rate(COMPANY, session, "needs_summary", _week(region_id=rid), NOW))
             for name, rid in regions.items()}
    assert rates[demo.LATE_SUMMARY_REGION] < 80
    assert max(r for name, r in rates.items() if name != demo.LATE_SUMMARY_REGION) > 85
    company = _pct(*cockpit.rate(COMPANY, session, "needs_summary", _week(), NOW))
    assert company <= 90  # red or yellow
    north = set(session.scalars(select(Team.name).where(Team.region_id == regions[demo.LATE_SUMMARY_REGION])))
    misses = cockpit.misses_by_group(COMPANY, session, "needs_summary", _week(), NOW)
    assert set(misses["name"].head(3)) <= north


def test_promotion_evidence_and_solution_update_are_not_red(session):
    for code in ("promotion_evidence", "solution_update"):
        assert _pct(*cockpit.rate(COMPANY, session, code, _week(), NOW)) >= 80, code


def test_late_loggers_record_visits_days_after_they_happen(session):
    lag = hours_between(Activity.logged_at, Activity.happened_at)
    rows = session.execute(select(User.username, lag).join(User, User.id == Activity.owner_id)
                           .where(Activity.kind == "visit")).all()
    by_rep: dict[str, list[float]] = {}
    for username, hours in rows:
        by_rep.setdefault(username, []).append(hours)
    for username in demo.LATE_LOGGERS:
        assert 48 <= statistics.median(by_rep[username]) <= 144, username
    others = [statistics.median(v) for k, v in by_rep.items() if k not in demo.LATE_LOGGERS]
    assert max(others) < 12


def test_team1_is_ordinary_with_some_misses(session):
    half_year = Filters.last_days(TODAY, 180, team_id=1)
    for code in (cockpit.FIRST_RESPONSE, "needs_summary"):
        on_time, decided = cockpit.rate(COMPANY, session, code, half_year, NOW)
        assert 80 <= _pct(on_time, decided) <= 97 and decided > on_time, code


def test_rep1_and_lead1_have_data_and_an_inbox_and_rep1_sees_only_own_rows(session):
    rep1 = scope_of(session, "rep1")
    rep2_id = session.scalar(select(User.id).where(User.username == "rep2"))
    for code in (cockpit.FIRST_RESPONSE, "needs_summary"):
        assert cockpit.rate(rep1, session, code, _week(), NOW)[1] > 0, code
    assert cockpit.rate(scope_of(session, "rep2"), session, cockpit.FIRST_RESPONSE, _week(), NOW)[1] > 0
    visible = session.scalars(rep1.apply(select(Lead.owner_id), Lead.owner_id, Lead.team_id)).all()
    assert visible and set(visible) == {rep1.user_id} and rep2_id not in visible
    lead1 = scope_of(session, "lead1")
    assert lead1.team_ids == frozenset({1})
    for user_id in (rep1.user_id, lead1.user_id):
        assert session.scalar(select(func.count()).select_from(Todo).where(Todo.owner_id == user_id)) >= 1
        assert session.scalar(select(func.count()).select_from(Alert).where(Alert.recipient_id == user_id)) >= 1


# ---- cash (data/demo_cash.py) ----------------------------------------------------------------------

def _per_contract(session, model, column) -> dict[int, float]:
    return {cid: float(v) for cid, v in session.execute(select(model.contract_id, func.sum(column))
                                                        .group_by(model.contract_id))}


def test_one_region_collects_late_and_the_others_mostly_on_time(session):
    since = TODAY - timedelta(days=90)
    rates = {region: 100.0 * float(received) / float(due) for region, received, due in session.execute(
        select(Region.name, func.sum(Payment.amount_received), func.sum(Payment.amount_due))
        .join(Team, Team.id == Payment.team_id).join(Region, Region.id == Team.region_id)
        .where(Payment.due_date > since, Payment.due_date <= TODAY).group_by(Region.name))}
    assert set(rates) == {"华东大区", "华南大区", "华北大区"}
    assert rates[demo_cash.LATE_REGION] < 70  # red
    others = [r for name, r in rates.items() if name != demo_cash.LATE_REGION]
    assert min(others) >= 80 and max(others) > 88, rates


def test_receipts_are_the_ledger_behind_the_instalments(session):
    received = _per_contract(session, Receipt, Receipt.amount)
    allocated = _per_contract(session, Payment, Payment.amount_received)
    assert {k: round(v, 2) for k, v in received.items() if v} == {k: round(v, 2) for k, v in allocated.items() if v}
    contracts = session.execute(select(Contract.id, Contract.amount, Contract.status)).all()
    assert all((c.status == "completed") == (received.get(c.id, 0) >= float(c.amount) - 0.005) for c in contracts)
    assert session.scalar(select(func.count()).select_from(Receipt).where(Receipt.received_at > NOW)) == 0


def test_contracts_paid_more_than_95_percent_are_invoiced_and_no_others(session):
    received = _per_contract(session, Receipt, Receipt.amount)
    invoiced = _per_contract(session, Invoice, Invoice.amount)
    amounts = dict(session.execute(select(Contract.id, Contract.amount)).all())
    paid = {cid for cid, amount in amounts.items() if received.get(cid, 0) > 0.95 * float(amount)}
    assert set(invoiced) <= paid and len(invoiced) >= 0.8 * len(paid) > 50
    assert all(invoiced[cid] <= float(amounts[cid]) for cid in invoiced)
    assert session.scalar(select(func.max(Invoice.issued_at))) <= NOW


def test_most_contracts_are_shipped_at_their_amount_and_a_few_disagree(session):
    received = _per_contract(session, Receipt, Receipt.amount)
    shipped = _per_contract(session, Shipment, Shipment.value)
    contracts = session.execute(select(Contract.id, Contract.amount, Contract.signed_at)).all()
    older = [c for c in contracts if c.signed_at < NOW - timedelta(days=30)]
    assert sum(1 for c in older if c.id in shipped) >= 0.85 * len(older)
    short_or_over = {c.id for c in contracts if c.id in shipped and abs(shipped[c.id] - float(c.amount)) > 0.005}
    overpaid = {c.id for c in contracts if received.get(c.id, 0) > float(c.amount) + 0.005}
    assert len(short_or_over) >= 2 and len(overpaid) >= 2 and 5 <= len(short_or_over | overpaid) <= 8
    assert session.scalar(select(func.max(Shipment.shipped_at))) <= NOW


def test_a_few_contracts_were_entered_after_their_first_shipment(session):
    first = select(Shipment.contract_id, func.min(Shipment.shipped_at).label("first")).group_by(
        Shipment.contract_id).subquery()
    late = session.scalar(select(func.count()).select_from(Contract).join(first, first.c.contract_id == Contract.id)
                          .where(Contract.created_at > first.c.first))
    assert 3 <= late <= 4
    assert session.scalar(select(func.max(Contract.created_at))) <= NOW


def test_the_demo_scan_has_a_finding_for_every_rule_in_its_owners_inbox(session):
    from core.base.models import QualityFinding
    from core.base.vocabulary import QUALITY_RULES

    per_rule = dict(session.execute(select(QualityFinding.rule, func.count()).where(QualityFinding.status == "open")
                                    .group_by(QualityFinding.rule)).all())
    assert set(per_rule) == set(QUALITY_RULES) and all(n >= 1 for n in per_rule.values()), per_rule
    assert session.scalar(select(func.count()).select_from(Alert).where(Alert.kind.like("quality%"))) >= len(QUALITY_RULES)


def _duplicate_pairs(session) -> set[tuple[int, int]]:
    """Pairs of customers that lead entry's rules (core.leads.dedupe) call one company: the same
    phone, or names alike (candidates by core or brand, as similar_names picks them, then the rule)."""
    from rapidfuzz import fuzz, process

    from core.leads import dedupe

    rows = session.execute(select(Customer.id, Customer.name, Customer.phone).order_by(Customer.id)).all()
    ids, keys = [r.id for r in rows], [dedupe.name_key(r.name) for r in rows]
    pairs = set()
    for part in ("core", "brand"):
        texts = [getattr(k, part) for k in keys]
        near = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=80 - 1e-6, workers=1)
        for i, j in zip(*near.nonzero()):
            if i < j and dedupe.key_similarity(keys[i], keys[j], 0.8) >= 0.8 - 1e-9:
                pairs.add((ids[i], ids[j]))
    by_phone: dict[str, list[int]] = {}
    for r in rows:
        if dedupe.normalize_phone(r.phone):
            by_phone.setdefault(dedupe.normalize_phone(r.phone), []).append(r.id)
    pairs |= {(a, b) for same in by_phone.values() for a in same for b in same if a < b}
    return pairs


def test_a_handful_of_customers_exist_twice_some_with_two_tax_ids(session):
    pairs = _duplicate_pairs(session)
    assert 4 <= len(pairs) <= 6, pairs
    tax = dict(session.execute(select(Customer.id, Customer.tax_id)).all())
    conflicts = [p for p in pairs if tax[p[0]] and tax[p[1]] and tax[p[0]] != tax[p[1]]]
    assert 2 <= len(conflicts) <= 3
    phones = dict(session.execute(select(Customer.id, Customer.phone)).all())
    assert any(phones[a] != phones[b] and phones[a].replace(" ", "")[-8:] == phones[b].replace("-", "")[-8:]
               for a, b in pairs)  # the same phone written another way
    assert session.scalar(select(func.count()).select_from(Customer).where(
        Customer.name == "杭州越州酒业有限公司")) == 1  # the lead desk's example keeps its name


def test_a_few_customers_lack_a_required_field(session):
    assert 3 <= session.scalar(select(func.count()).select_from(Customer).where(
        (Customer.phone == "") | (Customer.industry == ""))) <= 6


# ---- failure and PostgreSQL ---------------------------------------------------------------------

@pytest.fixture
def tiny_scale(monkeypatch):
    """The small organisation with a tenth of its records: enough to prove a database, quickly."""
    cfg = dict(demo.SCALES["small"])
    for key in ("leads", "customers", "opportunities", "promotions", "objections", "activities", "issues",
                "requests"):
        cfg[key] //= 10
    monkeypatch.setitem(demo.SCALES, "tiny", cfg)
    return "tiny"


def test_a_seed_that_fails_part_way_leaves_the_database_empty(tiny_scale, tmp_path, monkeypatch):
    engine = _fresh_engine(tmp_path / "broken.db")

    def broken(self):
        raise RuntimeError("disk full")

    working = demo._Demo.issues_and_requests
    monkeypatch.setattr(demo._Demo, "issues_and_requests", broken)
    with pytest.raises(RuntimeError):
        demo.seed(engine, tiny_scale, seed=7, today=TODAY)
    assert demo.is_empty(engine)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Activity)) == 0
        assert s.scalar(select(func.count()).select_from(ProcessStep)) == 3
    monkeypatch.setattr(demo._Demo, "issues_and_requests", working)
    assert demo.seed(engine, tiny_scale, seed=7, today=TODAY)["leads"] > 0
    engine.dispose()


@pytest.mark.pg
def test_postgresql_gets_the_same_rows_and_usable_sequences(tiny_scale, tmp_path):
    try:
        from tests.pg import PostgresUnavailable, postgres_server
    except ImportError:
        pytest.skip("tests/pg.py (the throwaway PostgreSQL server) is not available")
    from core.base.db import write_tx

    lite = _fresh_engine(tmp_path / "tiny.db")
    lite_counts = demo.seed(lite, tiny_scale, seed=7, today=TODAY)
    try:
        with postgres_server() as server:
            pg = make_engine(server.create_database())
            try:
                upgrade(pg)
                assert demo.is_empty(pg)
                assert demo.seed(pg, tiny_scale, seed=7, today=TODAY) == lite_counts
                assert _lead_checksum(pg) == _lead_checksum(lite)
                with write_tx(pg) as s:  # the sequences were moved past the demo's ids
                    s.add(Team(name="新团队", region_id=1, auto_reassign=False))
                    s.flush()
                    assert s.scalar(select(func.max(Team.id))) == lite_counts["teams"] + 1
            finally:
                pg.dispose()
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    finally:
        lite.dispose()
