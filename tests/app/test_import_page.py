"""AppTest of the Import & export page (pages/admin_import.py): only admins reach it; a dry run names
every bad row in a table and writes nothing; after a clean dry run of the same file the import
writes everything with a progress bar; mapping files; templates and exports to download.

Each test gets a database of its own (the page writes): tests.factories.make_org, finance fay,
admin ada, and the records of add_rep_records for a1 and b1."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.base.db import read_session, write_tx
from core.base.models import Contract, Lead, Opportunity, Receipt, StageHistory, User
from tests.app.conftest import HOME, app_pointed_at, frame, new_database, texts
from tests.factories import make_office

pytestmark = pytest.mark.app
PAGE = "pages/admin_import.py"


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        make_office(s, lambda org: (org.a1, org.b1))
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def leads_csv(n: int, **bad_rows) -> bytes:
    """``n`` good leads; ``bad_rows`` maps a 0-based index to its grade (e.g. r3="hot")."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["company", "phone", "source_channel", "grade", "owner", "created_at"])
    for i in range(n):
        w.writerow([f"页面导入{i}", f"1360000{i:04d}", "官网", bad_rows.get(f"r{i}", "ABC"[i % 3]),
                    ("a1", "b2", "")[i % 3], "2026-11-20 10:00"])
    return buf.getvalue().encode("utf-8")


def lead_count(engine) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(Lead))


def upload(at: AppTest, key: str, name: str, data: bytes) -> AppTest:
    at.file_uploader(key=key).set_value((name, data, "text/plain"))
    return ok(at.run())


def test_only_admins_and_finance_reach_the_page(page_db):
    for username in ("dora", "lena", "a1"):
        at = AppTest.from_file(HOME, default_timeout=60)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.run()
        with pytest.raises(ValueError):
            at.switch_page(PAGE)


def test_finance_imports_payments_but_is_offered_no_leads(page_db, open_page):
    with read_session(page_db) as s:
        number = s.scalar(select(Contract.number).join(User, User.id == Contract.owner_id).where(User.username == "a1"))
    at = open_page("fay")
    assert at.segmented_control(key="imp_entity").options == ["Payments received", "Invoices", "Shipments"]
    assert "Bring payments, invoices and the warehouse's shipments" in texts(at)
    assert at.segmented_control(key="exp_entity").options == ["Customers"]  # what finance may see elsewhere
    bank = f"contract_number,amount,received_at,reference\n{number},40000,2026-11-22,BK-9\n".encode()
    upload(at, "imp_file_payments", "bank.csv", bank)
    ok(at.button(key="imp_check").click().run())
    assert "No errors. The import would write payments 1." in texts(at)
    ok(at.button(key="imp_run").click().run())
    assert "Written in one transaction: payments 1." in texts(at)
    with read_session(page_db) as s:
        assert s.scalar(select(func.sum(Receipt.amount)).join(Contract, Contract.id == Receipt.contract_id)
                        .where(Contract.number == number)) == 40000


def test_a_dry_run_names_the_bad_rows_and_writes_nothing(page_db, open_page):
    before = lead_count(page_db)
    at = open_page("ada")
    assert at.button(key="imp_check").disabled and at.button(key="imp_run").disabled
    upload(at, "imp_file_leads", "leads.csv", leads_csv(30, r1="hot", r20="interested"))
    ok(at.button(key="imp_check").click().run())

    errors = frame(at, "Row", "Column", "Value", "Problem")
    assert errors["Row"].tolist() == [3, 22]
    assert errors["Value"].tolist() == ["hot", "interested"]
    assert set(errors["Column"]) == {"grade"}
    assert "Nothing was written" in texts(at)
    assert [m.value for m in at.metric] == ["30", "2", "2"]
    assert at.button(key="imp_run").disabled
    assert at.get("download_button")  # the errors table downloads as CSV and Excel
    assert lead_count(page_db) == before


def test_after_a_clean_dry_run_the_import_writes_everything(page_db, open_page):
    before = lead_count(page_db)
    at = open_page("ada")
    upload(at, "imp_file_leads", "leads.csv", leads_csv(30))
    ok(at.button(key="imp_check").click().run())
    assert "No errors: ready to import." in texts(at)
    assert "The import would write leads 30, lead assignments 20." in texts(at)
    assert lead_count(page_db) == before
    assert not at.button(key="imp_run").disabled

    ok(at.button(key="imp_run").click().run())
    assert "Imported." in texts(at)
    assert "Written in one transaction: leads 30, lead assignments 20." in texts(at)
    assert "Leads without an owner: 10. They go to the lead pool." in texts(at)
    assert lead_count(page_db) == before + 30
    assert at.button(key="imp_run").disabled  # not twice: a new dry run would find them all duplicates


def test_a_different_file_needs_its_own_dry_run(page_db, open_page):
    at = open_page("ada")
    upload(at, "imp_file_leads", "leads.csv", leads_csv(5))
    ok(at.button(key="imp_check").click().run())
    assert not at.button(key="imp_run").disabled
    upload(at, "imp_file_leads", "leads.csv", leads_csv(6))
    assert at.button(key="imp_run").disabled


PIPELINE = b"""opportunity_id,sales_agent,account,deal_stage,engage_date,close_date,close_value
W1,Amy,Cancity,Won,2026-11-02,2026-11-10,4514
E1,Bob,Isdom,Engaging,2026-11-20,,
"""
MAPPING = """entity = "opportunities"
[columns]
opportunity_id = "name"
sales_agent = "owner"
account = "customer"
deal_stage = ["stage", "status"]
engage_date = "stage_entered_at"
close_date = "closed_at"
close_value = "amount"
[values.stage]
Won = "needs_confirmed"
Engaging = "needs_confirmed"
[values.status]
Won = "won"
Engaging = "open"
[values.owner]
Amy = "a1"
Bob = "b1"
""".encode()


def test_opportunities_from_another_crm_with_a_mapping_file(page_db, open_page):
    at = open_page("ada", lang="zh")
    at.segmented_control(key="imp_entity").set_value("opportunities")
    ok(at.run())
    upload(at, "imp_file_opportunities", "sales_pipeline.csv", PIPELINE)
    upload(at, "imp_mapping_opportunities", "maven.toml", MAPPING)
    ok(at.button(key="imp_check").click().run())
    assert "映射文件：maven.toml。" in texts(at)
    assert "2 个客户按名称未找到，将随商机一并新建：Cancity、Isdom。" in texts(at)
    ok(at.button(key="imp_run").click().run())
    assert "导入完成。" in texts(at)
    with read_session(page_db) as s:
        w1 = s.scalar(select(Opportunity).where(Opportunity.name == "W1"))
        stays = s.scalars(select(StageHistory.stage).where(StageHistory.opportunity_id == w1.id)
                          .order_by(StageHistory.id)).all()
    assert (w1.status, stays) == ("won", ["needs_confirmed", "won"])


def test_a_broken_mapping_file_is_explained(page_db, open_page):
    at = open_page("ada")
    upload(at, "imp_file_leads", "leads.csv", leads_csv(2))
    upload(at, "imp_mapping_leads", "bad.toml", b'[columns]\nFirma = \n')
    ok(at.button(key="imp_check").click().run())
    assert "The mapping file is not valid TOML: Invalid value (at line 2, column 9)." in texts(at)
    assert not at.get("metric")


def test_templates_and_exports_are_offered_in_chinese(page_db, open_page):
    at = open_page("ada", lang="zh")
    assert at.title[0].value == "数据导入与导出"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["CSV 模板", "Excel 模板"]
    assert labels[-2:] == ["下载 CSV", "下载 Excel"]
    with read_session(page_db) as s:
        deals = s.scalar(select(func.count()).select_from(Opportunity))
    assert deals == 4 and lead_count(page_db) >= 8  # add_rep_records of a1 and b1
    assert f"共 {lead_count(page_db)} 条记录。" in texts(at)  # an admin exports every lead
    at.segmented_control(key="exp_entity").set_value("opportunities")
    ok(at.run())
    assert "共 4 条记录。" in texts(at)
