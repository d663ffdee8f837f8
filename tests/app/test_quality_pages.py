"""AppTest of the reconciliation (对账) and data-quality (数据质量) pages per role: the figures core
computes, the scope, who may open them and who may scan, ignore and merge; the forms with their
messages; both languages.

The database: the AppTest organisation (team Alpha: lead lena, reps a1, a2; team Beta: lead leo,
reps b1, b2; director dora; finance fay; admin ada), every rep with tests.factories.add_rep_records;
October's contracts HT-BAD (a1: 100,000 signed and received, 80,000 shipped), HT-FINE (b1: agrees)
and HT-OPEN (a2: an instalment due in December); a duplicate of a1's customer entered by b1; the scan
run at NOW."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.base.db import read_session, write_tx
from core.base.models import Customer, QualityFinding
from core.base.scope import COMPANY
from core.cash import quality, reconciliation as recon
from tests.app.conftest import app_pointed_at, frame, new_database, texts
from tests.factories import NOW, add_contract, add_customer, add_receipt, add_shipment, make_office

pytestmark = pytest.mark.app
OCT = datetime(2026, 10, 5, 10, 0)
RECON = "pages/reconciliation.py"
QUALITY = "pages/data_quality.py"


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_office(s)
        ca = add_customer(s, org.a1, "Alpha Buyer")
        cb = add_customer(s, org.b1, "Beta Buyer")
        bad = add_contract(s, org.a1, ca, 100_000, OCT, number="HT-BAD")
        add_receipt(s, bad, 100_000, OCT + timedelta(days=20))
        add_shipment(s, bad, 80_000, OCT + timedelta(days=2))
        fine = add_contract(s, org.b1, cb, 30_000, OCT + timedelta(days=1), number="HT-FINE")
        add_receipt(s, fine, 30_000, OCT + timedelta(days=20))
        add_shipment(s, fine, 30_000, OCT + timedelta(days=2))
        add_contract(s, org.a2, ca, 40_000, OCT + timedelta(days=2), number="HT-OPEN",
                     instalments=[(NOW + timedelta(days=20), 40_000)])
        twin = add_customer(s, org.b1, "Alpha Buyer Ltd", created_at=NOW)  # b1's duplicate of a1's Alpha Buyer
        twin.phone = ""
        quality.scan(s, NOW)
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def metric(at, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


def no_exception(at):
    assert not at.exception, [e.message for e in at.exception]
    return at


# ---- reconciliation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["dora", "fay", "ada"])
def test_reconciliation_shows_the_months_figures_and_the_disagreeing_contracts(open_page, page_db, username):
    at = open_page(username, RECON, month="2026-10")
    with read_session(page_db) as s:
        want = recon.reconciliation(COMPANY, s, "2026-10", NOW)
    assert at.selectbox(key="recon_month").value == "2026-10"
    assert metric(at, "Contract amount") == "¥130,000.00" == f"¥{want.amount:,.2f}"
    assert metric(at, "Received") == "¥130,000.00"
    assert metric(at, "Shipped value") == "¥110,000.00"
    assert metric(at, "Discrepancy rate") == f"{want.rate:.2f}%" == "15.38%"
    table = frame(at, "Contract", "Off")
    assert list(table["Contract"]) == ["HT-BAD"]
    assert table.iloc[0][["Contract amount", "Received", "Shipped value", "Difference"]].tolist() == \
        [100_000, 100_000, 80_000, 20_000]
    assert table.iloc[0]["Off"] == "Shipped value" and table.iloc[0]["Owner"] == "Amy A1"
    body = texts(at)
    assert "2 contracts compared, 1 disagree; differences ¥20,000.00 in all." in body
    assert "Still open: 1 contracts (¥40,000.00)" in [e.label for e in at.expander][0]
    assert list(frame(at, "Next instalment due")["Contract"]) == ["HT-OPEN"]


def test_a_lead_reconciles_their_teams_contracts(open_page):
    at = open_page("leo", RECON, month="2026-10")
    assert metric(at, "Contract amount") == "¥30,000.00"
    assert metric(at, "Discrepancy rate") == "0.00%"
    assert "Every compared contract agrees within ¥1.00." in texts(at)
    assert not [el for el in at.dataframe if "Off" in el.value.columns]


def test_the_month_picker_offers_the_last_twelve_months(open_page, page_db):
    at = open_page("dora", RECON)
    picker = at.selectbox(key="recon_month")
    assert picker.options[0] == "2026-11" and picker.options[-1] == "2025-12" and len(picker.options) == 12
    assert picker.value == "2026-10"  # the last closed month: this month's contracts are mostly open
    assert metric(at, "Contract amount") == "¥130,000.00"
    picker.set_value("2026-11").run()
    no_exception(at)
    with read_session(page_db) as s:
        november = recon.reconciliation(COMPANY, s, "2026-11", NOW)
    assert metric(at, "Contract amount") == f"¥{november.amount:,.2f}" != "¥130,000.00"
    assert at.query_params["month"] == ["2026-11"] or at.query_params["month"] == "2026-11"


def test_a_rep_has_neither_page(login):
    at = login("a1")
    for page in (RECON, QUALITY):
        with pytest.raises(ValueError):
            at.switch_page(page)


@pytest.mark.parametrize("username", ["dora", "lena", "fay", "ada"])
def test_director_lead_finance_and_admin_open_both(login, username):
    at = login(username)
    for page in (RECON, QUALITY):
        at.switch_page(page).run()
        no_exception(at)
        assert at.title[0].value in ("Reconciliation", "Data quality")


# ---- data quality --------------------------------------------------------------------------------------

def open_findings(engine) -> list[QualityFinding]:
    with read_session(engine) as s:
        return list(s.scalars(select(QualityFinding).where(QualityFinding.status == "open")))


def test_data_quality_shows_a_light_per_rule_and_the_findings(open_page, page_db):
    at = open_page("dora", QUALITY)
    with read_session(page_db) as s:
        lights = quality.quality_lights(COMPANY, s, NOW, "en")
    for light in lights:
        assert metric(at, light.label) == ("—" if light.rate is None else f"{light.rate:.1f}%")
    missing = next(lt for lt in lights if lt.rule == "missing_fields")
    assert f"{missing.flagged} of {missing.checked} records with an open finding" in texts(at)
    table = frame(at, "Rule", "Record", "Detail")
    assert len(table) == len(open_findings(page_db))
    dup = table[table["Rule"] == "Duplicate customers"]
    assert "Customer Alpha Buyer Ltd" in set(dup["Record"])
    assert any("Looks like customer" in d and "Alpha Buyer" in d for d in dup["Detail"])
    assert at.button(key="scan_now")


def test_a_lead_sees_their_teams_findings_and_may_not_scan(open_page, page_db):
    at = open_page("lena", QUALITY)
    table = frame(at, "Rule", "Record", "Owner")
    assert set(table["Owner"]) <= {"Amy A1", "Ann A2"} and len(table)
    assert not [b for b in at.button if b.key == "scan_now"]
    assert at.text_input(key="ignore_reason_text")  # a lead may ignore their teams' findings
    assert not [b for b in at.button if b.key == "merge_button"]


def test_the_rule_filter_narrows_the_findings(open_page):
    at = open_page("fay", QUALITY, rule="late_logging")
    assert at.selectbox(key="quality_rule").value == "late_logging"
    table = frame(at, "Rule", "Record")
    assert set(table["Rule"]) == {"Activities logged late"} and len(table) == 4
    at.selectbox(key="quality_status").set_value("fixed").run()
    no_exception(at)
    assert "No findings for this selection." in texts(at)


def test_ignore_needs_a_reason_then_closes_the_finding(open_page, page_db):
    at = open_page("fay", QUALITY, rule="late_logging")
    target = int(at.selectbox(key="quality_pick").value)
    at.button(key="FormSubmitter:ignore_form-Ignore with this reason").click().run()
    no_exception(at)
    assert "Say why this finding is ignored." in texts(at)
    at.text_input(key="ignore_reason_text").input("logged from the paper visit report")
    at.button(key="FormSubmitter:ignore_form-Ignore with this reason").click().run()
    no_exception(at)
    assert f"Finding #{target} is ignored." in texts(at)
    with read_session(page_db) as s:
        row = s.get(QualityFinding, target)
    assert (row.status, row.reason) == ("ignored", "logged from the paper visit report")
    assert target not in set(frame(at, "Rule", "Record")["No."])


def test_scan_now_reports_what_it_found(open_page, page_db):
    with write_tx(page_db) as s:  # a1's customer gets its region: its finding is fixed at the next scan
        c = s.scalar(select(Customer).where(Customer.name == "a1 Customer"))
        c.region_id, c.phone = 1, "13800000001"
    at = open_page("fay", QUALITY)
    at.button(key="scan_now").click().run()
    no_exception(at)
    assert re.search(r"Scan done: 0 findings opened, 1 fixed, \d+ open in all\.", texts(at)), texts(at)


def test_finance_merges_a_duplicate_onto_the_older_customer(open_page, page_db):
    with read_session(page_db) as s:
        twin = s.scalar(select(Customer).where(Customer.name == "Alpha Buyer Ltd"))
        older = s.scalar(select(Customer).where(Customer.name == "Alpha Buyer"))
        dup = s.scalar(select(QualityFinding).where(QualityFinding.rule == "duplicate_customer",
                                                    QualityFinding.record_id == twin.id))
    at = open_page("fay", QUALITY, rule="duplicate_customer")
    at.selectbox(key="quality_pick").set_value(dup.id).run()
    no_exception(at)
    assert at.radio(key=f"merge_survivor_{dup.id}").value == older.id
    sides = frame(at, f"#{older.id} kept", f"#{twin.id} merged away")
    assert sides.loc["Company"].tolist() == ["Alpha Buyer", "Alpha Buyer Ltd", "Alpha Buyer"]
    assert at.button(key="merge_button").disabled
    at.checkbox(key=f"merge_ok_{dup.id}").check().run()
    at.button(key="merge_button").click().run()
    no_exception(at)
    assert f"Customer #{twin.id} is merged into #{older.id}" in texts(at)
    with read_session(page_db) as s:
        assert s.get(Customer, twin.id) is None
        assert s.get(QualityFinding, dup.id).status == "fixed"


@pytest.mark.parametrize("page", [RECON, QUALITY])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_both_pages_are_fully_translated(open_page, page, lang):
    at = open_page("ada", page, lang=lang, month="2026-10")
    shown = texts(at) + "\n".join(str(c) for el in at.dataframe for c in [*el.value.columns, el.value.index.name])
    shown += "\n".join(m.label for m in at.metric) + "\n".join(e.label for e in at.expander)
    assert not re.findall(r"\b(?:recon|quality|col|nav|light|setting|err|common)\.[a-z_.]+", shown)
    if lang == "zh":
        assert "对账" in shown or "数据质量" in shown
