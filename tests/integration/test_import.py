"""Import and export (SPEC §10) on a real database, SQLite and PostgreSQL: row errors with the file's
row numbers, all or nothing, the dry run, mapping files, opportunities' stage history as the funnel
reads it, exports limited to the caller's scope, export → import round trips, and the command line.

The organisation is tests.factories.make_org: team Alpha (lead lena; reps a1, a2) in region North,
team Beta (lead leo; reps b1, b2) in region South, director dora. Files are made here."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

import cli
from core.base import config
from core.exchange import exporter
from core.exchange import importer
from core.exchange import entities as import_entities
from core.base.db import data_version, make_engine, read_session, write_tx
from core.funnel.stages import FunnelFilters, funnel
from core.exchange.importer import ENTITIES, load_mapping, run_import
from core.base.migrate import upgrade
from core.base.models import AuditLog, Customer, Lead, LeadAssignment, Opportunity, RoutingRule, StageHistory, User
from core.base.scope import scope_for
from core.base.scope import COMPANY
from tests.factories import NOW, add_customer, add_lead, add_rep_records, make_org

LEAD_COLUMNS = [f.name for f in ENTITIES["leads"].fields]
OPP_COLUMNS = [f.name for f in ENTITIES["opportunities"].fields]
CUSTOMER_COLUMNS = [f.name for f in ENTITIES["customers"].fields]
OWNERS = ("a1", "a2", "b1", "")  # every fourth lead without an owner: the pool


# ---- files -----------------------------------------------------------------------------------

def lead_rows(n: int, start: int = 0) -> list[dict]:
    """``n`` good leads: phones 139 0000 0000 + i, grades A/B/C in turn, owners a1, a2, b1, none."""
    return [dict(company=f"导入测试公司{i:05d}", contact_name="张经理", phone=f"139{i:08d}",
                 source_channel="展会",
                 grade="ABC"[i % 3], industry="医疗", size="medium", region="", team="", owner=OWNERS[i % 4],
                 status="", created_at=f"2026-11-{1 + i % 20:02d} 09:{i % 60:02d}", next_action="电话回访",
                 next_action_at="2026-11-30 10:00", first_contact_at="")
            for i in range(start, start + n)]


def to_csv(rows: list[dict], columns: list[str] | None = None) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns or list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def to_xlsx(rows: list[dict]) -> bytes:
    wb = Workbook()
    wb.active.append(list(rows[0]))
    for row in rows:
        wb.active.append([row[k] if row[k] != "" else None for k in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FILES = {"csv": to_csv, "xlsx": to_xlsx}


def run(engine, entity: str, data: bytes, name: str = "", **kw) -> importer.ImportReport:
    return run_import(engine, entity, data, name or f"{entity}.csv", scope=COMPANY, now=NOW, **kw)


def counts(engine) -> dict[str, int]:
    with read_session(engine) as s:
        got = {m.__tablename__: s.scalar(select(func.count()).select_from(m))
               for m in (Lead, LeadAssignment, Customer, Opportunity, StageHistory, AuditLog)}
    return got | {"data_version": data_version(engine)}


def errors_by_row(report) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for e in report.errors:
        out.setdefault(e.row, []).append((e.column, e.key))
    return out


# ---- the case: 3 bad rows among 1,000 --------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_three_bad_rows_among_a_thousand_write_nothing_then_the_corrected_file_imports_all(engine, org, fmt):
    rows = lead_rows(1000)
    rows[10]["grade"] = "hot"          # file row 12
    rows[500]["phone"] = "12345"       # file row 502
    rows[998]["owner"] = "nobody"      # file row 1000
    before = counts(engine)

    report = run(engine, "leads", FILES[fmt](rows), f"leads.{fmt}")

    assert not report.ok and not report.written
    assert report.rows == 1000
    assert errors_by_row(report) == {12: [("grade", "imp.err.grade")], 502: [("phone", "imp.err.phone")],
                                     1000: [("owner", "imp.err.user_unknown")]}
    assert report.errors_frame("en")["message"].tolist() == [
        "The grade must be A, B or C, not “hot”.", "“12345” is not a valid phone number.",
        "No active user “nobody”."]
    assert counts(engine) == before  # nothing written, not even the data version moved

    rows[10]["grade"], rows[500]["phone"], rows[998]["owner"] = "A", "13900000500", "b1"
    rows[500]["phone"] = "139 0000 0500"  # written differently, the same number
    report = run(engine, "leads", FILES[fmt](rows), f"leads.{fmt}")

    assert report.ok and report.written
    assert report.planned == {"leads": 1000, "lead_assignments": 750}
    after = counts(engine)
    assert after["leads"] == 1000 and after["lead_assignments"] == 750 and after["audit_log"] == 1
    assert after["data_version"] == before["data_version"] + 1  # one transaction
    with read_session(engine) as s:
        lead = s.scalar(select(Lead).where(Lead.phone == "13900000500"))
        assert (lead.company, lead.grade, lead.owner_id, lead.team_id) == ("导入测试公司00500", "C", org.a1.id,
                                                                          org.alpha.id)
        assert lead.region_id == org.north.id and lead.status == "new"
        pool = s.scalars(select(Lead).where(Lead.owner_id.is_(None))).all()
        assert len(pool) == 250 and {(p.team_id, p.pool_reason, p.pooled_at) for p in pool} == {(None, "unrouted", NOW)}
        reasons = s.scalars(select(LeadAssignment.reason).distinct()).all()
        assert reasons == ["imported"]


# ---- every kind of error, with its row -----------------------------------------------------------

def test_every_kind_of_lead_error_is_named_with_its_row_and_column(engine, org):
    with write_tx(engine) as s:
        existing = add_lead(s, org.a1, NOW - timedelta(days=3), company="Old lead", phone="+86 138-0000-0001")
    good = lead_rows(20)
    cases = [  # (changes to a good row, column, key)
        ({"company": ""}, "company", "imp.err.required"),
        ({"grade": "hot"}, "grade", "imp.err.grade"),
        ({"grade": "interested"}, "grade", "imp.err.grade"),
        ({"phone": "12345"}, "phone", "imp.err.phone"),
        ({"owner": "nobody"}, "owner", "imp.err.user_unknown"),
        ({"owner": "dora"}, "owner", "imp.err.user_role"),
        ({"owner": "", "team": "Gamma"}, "team", "imp.err.team_unknown"),
        ({"region": "West"}, "region", "imp.err.region_unknown"),
        ({"created_at": "last Tuesday"}, "created_at", "imp.err.date"),
        ({"created_at": "2027-01-01"}, "created_at", "imp.err.future"),
        ({"owner": "a1", "team": "Beta"}, "team", "imp.err.owner_team"),
        ({"owner": "", "team": "Alpha", "region": "South"}, "region", "imp.err.team_region"),
        ({"created_at": "2026-11-10 10:00", "first_contact_at": "2026-11-09"}, "first_contact_at", "imp.err.before"),
        ({"status": "maybe later"}, "status", "imp.err.choice"),
        ({"phone": good[0]["phone"]}, "phone", "imp.err.dup_file"),
        ({"phone": "13800000001"}, "phone", "imp.err.dup_db_lead"),
        ({"company": "长" * 161}, "company", "imp.err.too_long"),
    ]
    rows = [good[0]]
    for i, (changes, _, _) in enumerate(cases, start=1):
        rows.append(good[i % 20] | {"phone": f"1370000{i:04d}"} | changes)
    report = run(engine, "leads", to_csv(rows))

    expected = {row: [(column, key)] for row, (_, column, key) in enumerate(cases, start=3)}
    assert errors_by_row(report) == expected
    by_row = {e.row: e for e in report.errors}
    assert dict(by_row[17].params) == {"other": 2}  # the same phone as row 2
    assert dict(by_row[18].params) == {"id": existing.id}
    assert by_row[13].message("en") == "a1 is in team Alpha, not Beta."
    assert by_row[13].message("zh") == "a1 属于Alpha，不属于Beta。"
    assert counts(engine)["leads"] == 1


def test_every_kind_of_opportunity_and_customer_error(engine, org):
    with write_tx(engine) as s:
        add_customer(s, org.a1, name="Twin Ltd")
        add_customer(s, org.b1, name="Twin Ltd")
        acme = add_customer(s, org.a1, name="Acme", tax_id="91330106MA2B3C4D5E")
        s.add(Opportunity(name="Acme pumps", customer_id=acme.id, owner_id=org.a1.id, team_id=org.alpha.id,
                          stage="proposal", status="open", stage_entered_at=NOW, created_at=NOW, amount=1))
    base = dict(name="Deal", customer="New Co", owner="a1", team="", product="pumps", source_channel="expo",
                amount="1000", stage="proposal", status="open", created_at="2026-11-01", stage_entered_at="2026-11-05",
                closed_at="", lost_reason="")
    cases = [
        ({"amount": "lots"}, "amount", "imp.err.number"),
        ({"amount": "-3"}, "amount", "imp.err.negative"),
        ({"stage": "Negotiating"}, "stage", "imp.err.choice"),
        ({"stage": "Won"}, "stage", "imp.err.stage_is_status"),
        ({"status": "won"}, "closed_at", "imp.err.closed_needed"),
        ({"closed_at": "2026-11-10"}, "closed_at", "imp.err.closed_open"),
        ({"status": "lost", "closed_at": "2026-11-04"}, "closed_at", "imp.err.before"),
        ({"stage_entered_at": "2026-10-30"}, "stage_entered_at", "imp.err.before"),
        ({"owner": ""}, "owner", "imp.err.required"),
        ({"customer": "Twin Ltd"}, "customer", "imp.err.customer_ambiguous"),
        ({"customer": "Acme", "name": "Acme pumps"}, "name", "imp.err.dup_db_opportunity"),
        ({"name": "Deal 1"}, "name", "imp.err.dup_file"),
    ]
    rows = [base | {"name": "Deal 1"}] + [base | {"name": f"Deal {i}"} | ch for i, (ch, _, _) in enumerate(cases, 2)]
    report = run(engine, "opportunities", to_csv(rows))
    assert errors_by_row(report) == {row: [(col, key)] for row, (_, col, key) in enumerate(cases, start=3)}

    customers = [dict(name="Acme", phone="", tax_id="", industry="", size="", customer_type="", region="", team="",
                      owner="", heat=""),
                 dict(name="Fresh Co", phone="", tax_id="91/33", industry="", size="huge", customer_type="", region="",
                      team="", owner="", heat="lukewarm"),
                 dict(name="Other Co", phone="", tax_id="91330106ma2b3c4d5e", industry="", size="", customer_type="",
                      region="", team="", owner="", heat="")]
    report = run(engine, "customers", to_csv(customers))
    assert errors_by_row(report) == {
        2: [("name", "imp.err.dup_db_customer")],
        3: [("size", "imp.err.choice"), ("heat", "imp.err.choice")],
        4: [("tax_id", "imp.err.dup_db_customer")]}  # the same tax id, written in lower case
    assert counts(engine)["customers"] == 3


def test_a_missing_required_column_is_an_error_of_row_1(engine, org):
    rows = [{k: v for k, v in r.items() if k != "grade"} for r in lead_rows(3)]
    report = run(engine, "leads", to_csv(rows))
    assert errors_by_row(report) == {1: [("grade", "imp.err.column_missing")]}
    assert report.rows == 3


# ---- all or nothing, dry run --------------------------------------------------------------------

def opportunity_rows(n: int) -> list[dict]:
    return [dict(name=f"Deal {i}", customer=f"Customer {i % 7}", owner=("a1", "b1")[i % 2], team="", product="pumps",
                 source_channel="expo", amount=str(1000 * (i + 1)), stage=("proposal", "negotiation")[i % 2],
                 status=("open", "won", "lost")[i % 3], created_at="2026-10-01",
                 stage_entered_at="2026-10-20", closed_at="" if i % 3 == 0 else "2026-11-02", lost_reason="")
            for i in range(n)]


def test_a_failure_while_writing_leaves_nothing_behind(engine, org, monkeypatch):
    """Customers and deals are inserted before the stage history; a failure there rolls all back."""
    real = import_entities._insert

    def failing(session, model, rows, *args, **kw):
        ids = real(session, model, rows, *args, **kw)
        if model is StageHistory:
            raise RuntimeError("disk full")
        return ids

    monkeypatch.setattr(import_entities, "_insert", failing)
    before = counts(engine)
    with pytest.raises(RuntimeError):
        run(engine, "opportunities", to_csv(opportunity_rows(30)))
    assert counts(engine) == before


def test_a_dry_run_checks_everything_and_writes_nothing(engine, org):
    data = to_csv(opportunity_rows(30))
    before = counts(engine)
    dry = run(engine, "opportunities", data, dry_run=True)
    assert dry.ok and not dry.written
    assert counts(engine) == before
    # 30 deals: 7 new customers; history: initial contact, the stage, and won/lost for the 20 closed
    assert dry.planned == {"customers": 7, "opportunities": 30, "stage_history": 30 * 2 + 20}
    real = run(engine, "opportunities", data)
    assert real.written and real.planned == dry.planned
    after = counts(engine)
    assert (after["customers"], after["opportunities"], after["stage_history"]) == (7, 30, 80)
    assert run(engine, "opportunities", data, dry_run=True).bad_rows == list(range(2, 32))  # now all duplicates


def test_progress_is_reported_phase_by_phase_up_to_done(engine, org):
    seen: list[tuple[float, str]] = []
    assert run(engine, "leads", to_csv(lead_rows(300)), progress=lambda f, phase: seen.append((f, phase))).written
    phases = [phase for _, phase in seen]
    assert phases[0] == "read" and phases[-1] == "done"
    assert {"check", "write"} <= set(phases)
    assert phases.index("write") > max(i for i, p in enumerate(phases) if p == "check")
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_the_checks_read_the_database_a_fixed_number_of_times_whatever_the_rows(engine, org):
    """Lookups are loaded once: 10 rows and 600 rows cost the same number of queries."""
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        queries = []
        for n in (10, 600):
            statements.clear()
            assert run(engine, "leads", to_csv(lead_rows(n)), dry_run=True).ok
            queries.append(len(statements))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert queries[0] == queries[1]


# ---- mapping files ------------------------------------------------------------------------------

OTHER_CRM = """
entity = "leads"
date_format = ["%d.%m.%Y %H:%M", "%d.%m.%Y"]
[columns]
Firma = "company"
Telefon = "phone"
Rating = "grade"
Vertreter = "owner"
Angelegt = "created_at"
[values.grade]
Hot = "A"
Warm = "B"
Cold = "C"
[values.owner]
"Amy Alpha" = "a1"
"Bob Beta" = "b1"
[defaults]
source_channel = "Messe"
size = "large"
"""


def test_a_mapping_file_renames_columns_maps_values_and_fills_defaults(engine, org):
    data = to_csv([
        {"Firma": "Alpha GmbH", "Telefon": "13911112222", "Rating": "hot", "Vertreter": "Amy Alpha",
         "Angelegt": "02.11.2026 14:30", "Notiz": "x", "size": ""},
        {"Firma": "Beta AG", "Telefon": "13911113333", "Rating": "Cold", "Vertreter": "Bob Beta",
         "Angelegt": "03.11.2026", "Notiz": "", "size": "small"}])
    mapping = load_mapping(OTHER_CRM, "other.toml", "leads")
    report = run(engine, "leads", data, mapping=mapping)
    assert report.ok and report.written, report.errors
    assert report.ignored_columns == ["Notiz"]
    assert report.mapping == "other.toml"
    with read_session(engine) as s:
        got = s.execute(select(Lead.company, Lead.grade, Lead.owner_id, Lead.source_channel, Lead.size, Lead.created_at)
                        .order_by(Lead.id)).all()
    assert got == [("Alpha GmbH", "A", org.a1.id, "Messe", "large", datetime(2026, 11, 2, 14, 30)),
                   ("Beta AG", "C", org.b1.id, "Messe", "small", datetime(2026, 11, 3))]


def test_a_value_the_mapping_does_not_know_is_reported_under_their_column(engine, org):
    data = to_csv([{"Firma": "Gamma", "Telefon": "13911114444", "Rating": "Lauwarm", "Vertreter": "Carl Gamma",
                    "Angelegt": "2026-11-02"}])
    report = run(engine, "leads", data, mapping=load_mapping(OTHER_CRM, "other.toml", "leads"))
    assert errors_by_row(report) == {2: [("Rating", "imp.err.grade"), ("Vertreter", "imp.err.user_unknown"),
                                         ("Angelegt", "imp.err.date")]}


# ---- opportunities from another CRM: stage mapping, stage history, the funnel ------------------

PIPELINE_MAPPING = """
entity = "opportunities"
date_format = "%Y-%m-%d"
[columns]
opportunity_id = "name"
sales_agent = "owner"
account = "customer"
deal_stage = ["stage", "status"]
engage_date = "stage_entered_at"
close_date = "closed_at"
close_value = "amount"
[values.stage]
Prospecting = "initial_contact"
Engaging = "needs_confirmed"
Won = "needs_confirmed"
Lost = "needs_confirmed"
[values.status]
Prospecting = "open"
Engaging = "open"
Won = "won"
Lost = "lost"
[values.owner]
"Moses Frase" = "a1"
"Darcel Schlecht" = "b1"
[defaults]
customer = "No account"
"""
PIPELINE = [  # opportunity_id, sales_agent, account, deal_stage, engage_date, close_date, close_value
    ("P1", "Moses Frase", "Cancity", "Prospecting", "", "", ""),
    ("E1", "Moses Frase", "Cancity", "Engaging", "2026-11-01", "", ""),     # 22 days in stage: stalled
    ("E2", "Darcel Schlecht", "", "Engaging", "2026-11-20", "", ""),       # 3 days: inside the normal time
    ("W1", "Moses Frase", "Isdom", "Won", "2026-11-02", "2026-11-10", "4514"),
    ("W2", "Darcel Schlecht", "Isdom", "Won", "2026-11-05", "2026-11-12", "1054"),
    ("L1", "Darcel Schlecht", "", "Lost", "2026-11-03", "2026-11-09", "0"),
]


def pipeline_csv() -> bytes:
    keys = ("opportunity_id", "sales_agent", "account", "deal_stage", "engage_date", "close_date", "close_value")
    return to_csv([dict(zip(keys, row)) for row in PIPELINE])


def test_their_stages_become_our_stage_history_and_funnel(engine, org):
    mapping = load_mapping(PIPELINE_MAPPING, "pipeline.toml", "opportunities")
    report = run(engine, "opportunities", pipeline_csv(), "sales_pipeline.csv", mapping=mapping)
    assert report.ok and report.written, report.errors
    assert report.planned == {"customers": 3, "opportunities": 6, "stage_history": 1 + 1 + 1 + 3 * 2}
    notes = dict(report.notes)
    assert notes["imp.note.customers_created"]["names"] == ["Cancity", "No account", "Isdom"]
    assert notes["imp.note.dated_now"]["n"] == "1"

    with read_session(engine) as s:
        deals = {o.name: o for o in s.scalars(select(Opportunity))}
        history = {name: [(h.stage, h.entered_at, h.left_at) for h in s.scalars(
            select(StageHistory).where(StageHistory.opportunity_id == o.id).order_by(StageHistory.id))]
            for name, o in deals.items()}
        result = funnel(COMPANY, s, FunnelFilters(date(2026, 11, 1), date(2026, 11, 23)), NOW)
        alpha_only = funnel(scope_for(s, s.get(User, org.lead_alpha.id)), s,
                            FunnelFilters(date(2026, 11, 1), date(2026, 11, 23)), NOW)
    d = lambda day: datetime(2026, 11, day)  # noqa: E731
    assert history["P1"] == [("initial_contact", NOW, None)]
    assert history["E1"] == [("needs_confirmed", d(1), None)]
    assert history["W1"] == [("needs_confirmed", d(2), d(10)), ("won", d(10), None)]
    assert history["L1"] == [("needs_confirmed", d(3), d(9)), ("lost", d(9), None)]
    w1 = deals["W1"]
    assert (w1.stage, w1.status, w1.stage_entered_at, w1.closed_at, float(w1.amount), w1.owner_id, w1.team_id) == (
        "needs_confirmed", "won", d(2), d(10), 4514.0, org.a1.id, org.alpha.id)
    assert (deals["P1"].created_at, deals["E1"].created_at) == (NOW, d(1))

    needs = result.stage("needs_confirmed")
    assert (needs.entered, needs.moved_on, needs.lost, needs.stalled, needs.undecided) == (5, 2, 1, 1, 1)
    assert needs.conversion == pytest.approx(50.0)  # 2 won ÷ (2 won + 1 lost + 1 stalled)
    assert result.stage("initial_contact").entered == 1
    assert (result.won, result.lost) == (2, 1)
    assert result.win_rate == pytest.approx(200 / 3)
    assert result.won_value == pytest.approx(4514 + 1054)
    assert result.days_to_win_median == pytest.approx(7.5)  # W1 8 days, W2 7 days
    assert (alpha_only.won, alpha_only.lost, alpha_only.stage("needs_confirmed").entered) == (1, 0, 2)


# ---- routing leads without an owner -------------------------------------------------------------

def test_routing_gives_unowned_leads_to_reps_round_robin(engine, org):
    with write_tx(engine) as s:
        s.add(RoutingRule(position=1, region_id=None, industry="医疗", size="", team_id=org.beta.id, active=True,
                          created_at=NOW, updated_at=NOW))
    rows = [r | {"owner": ""} for r in lead_rows(4)]
    report = run(engine, "leads", to_csv(rows), route=True)
    assert report.written and report.planned["routed"] == 4
    with read_session(engine) as s:
        owners = s.scalars(select(Lead.owner_id).order_by(Lead.id)).all()
        reasons = s.scalars(select(LeadAssignment.reason)).all()
    assert sorted(owners) == sorted([org.b1.id, org.b2.id] * 2)
    assert reasons == ["routed"] * 4


# ---- export ------------------------------------------------------------------------------------

def test_a_reps_export_holds_only_their_own_rows_and_a_leads_only_their_team(engine, org, tmp_path):
    with write_tx(engine) as s:
        for rep in (org.a1, org.a2, org.b1):
            add_rep_records(s, rep, rep.username)
    assert run(engine, "leads", to_csv(lead_rows(40))).written
    with read_session(engine) as s:
        a1, lena = (scope_for(s, s.get(User, u.id)) for u in (org.a1, org.lead_alpha))
        for entity in ("leads", "customers", "opportunities"):
            everything = exporter.export_rows(COMPANY, s, entity)
            mine = exporter.export_rows(a1, s, entity)
            team = exporter.export_rows(lena, s, entity)
            assert list(mine.columns) == [f.name for f in ENTITIES[entity].fields]
            assert set(mine["owner"]) == {"a1"}, entity
            assert set(team["owner"].dropna()) == {"a1", "a2"}, entity  # and the team pool's leads
            assert set(team["team"].dropna()) == {"Alpha"}, entity
            assert len(mine) < len(team) < len(everything)
        assert len(exporter.export_rows(a1, s, "leads")) == 4 + 10  # add_rep_records' four, and every fourth import


def import_all(engine, files: dict[str, bytes], fmt: str) -> None:
    for entity in ("customers", "opportunities", "leads"):
        report = run(engine, entity, files[entity], f"{entity}.{fmt}")
        assert report.written, report.errors_frame("en").head().to_dict("records")


def export_all(engine, fmt: str) -> dict[str, bytes]:
    with read_session(engine) as s:
        return {e: exporter.file_bytes(exporter.export_rows(COMPANY, s, e), fmt) for e in exporter.READS}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_again_into_another_database(engine, org, new_db_url, fmt):
    customers = [dict(name=f"客户{i}", phone=f"0571-8800{i:04d}", tax_id=f"91330106MA2B3C{i:04d}", industry="医疗",
                      size="large", customer_type="三甲医院", region="", team="", owner=("a1", "b2", "")[i % 3],
                      heat="hot") for i in range(12)]
    deals = opportunity_rows(25)
    first = {"customers": FILES[fmt](customers), "opportunities": FILES[fmt](deals),
             "leads": FILES[fmt]([r | {"first_contact_at": "2026-11-21 10:00" if i % 2 else ""}
                                  for i, r in enumerate(lead_rows(60))])}
    import_all(engine, first, fmt)
    exported = export_all(engine, fmt)

    url = new_db_url.migrated()
    other = make_engine(url)
    try:
        upgrade(other)
        with write_tx(other) as s:
            make_org(s)
        import_all(other, exported, fmt)
        again = export_all(other, fmt)
        same = {"data_version": 0, "audit_log": 0}
        assert counts(other) | same == counts(engine) | same
    finally:
        other.dispose()
        new_db_url.drop(url)
    for entity in exporter.READS:
        a = importer.read_table(exported[entity], f"x.{fmt}")
        b = importer.read_table(again[entity], f"x.{fmt}")
        assert a.headers == [f.name for f in ENTITIES[entity].fields]
        assert a.rows == b.rows, entity
    raw = io.BytesIO(exported["leads"])
    leads = pd.read_csv(raw) if fmt == "csv" else pd.read_excel(raw, engine="calamine")
    assert len(leads) == 60 and set(leads["status"]) == {"new", "contacted"}


# ---- the command line -----------------------------------------------------------------------------

@pytest.fixture
def cli_db(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "SECRETS_FILE", tmp_path / "secrets.toml")
    for name in ("COCKPIT_ENV", "COCKPIT_COOKIE_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COCKPIT_NOW", NOW.isoformat())
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["init-db"]) == 0
    capsys.readouterr()
    engine = make_engine(url)
    with write_tx(engine) as s:
        make_org(s)
    yield engine
    engine.dispose()


def cli_run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_import_bad_file_exits_2_naming_the_rows_and_writes_nothing(cli_db, tmp_path, capsys):
    rows = lead_rows(50)
    rows[5]["grade"] = "interested"
    rows[40]["created_at"] = "2026-13-01"
    path = tmp_path / "leads.csv"
    path.write_bytes(to_csv(rows))
    code, out, err = cli_run(capsys, "import", "leads", path)
    assert code == 2
    assert err.splitlines() == ["row 7, grade: The grade must be A, B or C, not “interested”.",
                                "row 42, created_at: “2026-13-01” is not a date "
                                "(write 2026-11-23 or 2026-11-23 14:30)."]
    assert "Errors: 2, in 2 rows. Nothing was written." in out
    assert counts(cli_db)["leads"] == 0


def test_cli_dry_run_then_import_then_export_as_a_rep(cli_db, tmp_path, capsys):
    path = tmp_path / "leads.xlsx"
    path.write_bytes(to_xlsx(lead_rows(20)))
    code, out, _ = cli_run(capsys, "import", "leads", path, "--dry-run", "--lang", "zh")
    assert code == 0 and "校验通过。正式导入将写入：线索 20 条、分配记录 15 条。" in out
    assert counts(cli_db)["leads"] == 0
    code, out, _ = cli_run(capsys, "import", "leads", path, "--as-user", "admin-nobody")
    assert code == 2
    code, out, err = cli_run(capsys, "import", "leads", path, "--as-user", "a1")
    assert code == 2 and "only an admin imports" in err
    code, out, _ = cli_run(capsys, "import", "leads", path)
    assert code == 0 and "Written in one transaction: leads 20, lead assignments 15." in out
    assert counts(cli_db)["leads"] == 20

    target = tmp_path / "mine.csv"
    code, out, _ = cli_run(capsys, "export", "leads", target, "--as-user", "a1")
    assert code == 0 and out.strip() == f"exported 5 leads visible to a1 to {target}"
    mine = pd.read_csv(target, encoding="utf-8-sig", dtype=str)
    assert list(mine.columns) == LEAD_COLUMNS and set(mine["owner"]) == {"a1"} and len(mine) == 5
    code, out, _ = cli_run(capsys, "export", "leads", tmp_path / "all.xlsx")
    assert code == 0 and len(pd.read_excel(tmp_path / "all.xlsx", engine="calamine")) == 20


def test_cli_reports_unusable_inputs_in_one_line(cli_db, tmp_path, capsys):
    good = tmp_path / "leads.csv"
    good.write_bytes(to_csv(lead_rows(2)))
    bad_mapping = tmp_path / "m.toml"
    bad_mapping.write_text('[columns]\nFirma = "firm"\n', encoding="utf-8")
    code, _, err = cli_run(capsys, "import", "leads", good, "--mapping", bad_mapping)
    assert code == 2
    assert err.startswith("error: Mapping file [columns] “Firma”: “firm” is not a column of leads")
    code, _, err = cli_run(capsys, "import", "leads", tmp_path / "missing.csv")
    assert code == 2 and err.startswith("error: cannot read")
    (tmp_path / "leads.txt").write_bytes(to_csv(lead_rows(2)))
    code, _, err = cli_run(capsys, "import", "leads", tmp_path / "leads.txt")
    assert code == 2 and "only .csv and .xlsx" in err
    code, _, err = cli_run(capsys, "export", "leads", tmp_path / "out.pdf")
    assert code == 2 and "only .csv and .xlsx" in err
    with pytest.raises(SystemExit):
        cli.main(["import", "contracts", str(good)])
