"""Imports of finance's records (SPEC §7, §10) on SQLite and PostgreSQL: payments, invoices and
shipments against contracts, with the other imports' row errors and row numbers, dry run and all or
nothing; a payment allocated over the instalments; a reference or number entered twice (in the file
or already recorded), an unknown contract and an invoice the 95 % rule refuses are row errors; who
may import what; the command line.

The organisation is tests.factories.make_org with finance fay; two contracts of a1 (HT-A, ¥100,000
in two instalments) and b1 (HT-B, ¥20,000), signed 1 November. The clock stands at NOW."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from sqlalchemy import func, select

import cli
from core.base import config
from core.base.access import Forbidden
from core.base.db import make_engine, read_session, write_tx
from core.base.models import AuditLog, Contract, Invoice, Payment, Receipt, Shipment
from core.base.scope import COMPANY
from core.exchange import exporter, importer
from tests.factories import NOW, add_contract, add_customer, add_receipt, add_user, make_org, scope_of

PAYMENTS = ["contract_number", "amount", "received_at", "reference"]
INVOICES = ["contract_number", "number", "amount", "issued_at"]
SHIPMENTS = ["contract_number", "number", "value", "shipped_at"]


def to_csv(columns: list[str], *rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def organisation(s):
    org = make_org(s)
    add_user(s, "fay", "Fay Finance", "finance")
    add_user(s, "ada", "Ada Admin", "admin")
    signed = datetime(2026, 11, 1, 10)
    a = add_contract(s, org.a1, add_customer(s, org.a1, name="Kunde A"), 100000, signed, number="HT-A",
                     instalments=[(datetime(2026, 11, 10), 40000), (datetime(2026, 12, 10), 60000)])
    b = add_contract(s, org.b1, add_customer(s, org.b1, name="Kunde B"), 20000, signed, number="HT-B")
    return org, a, b


@pytest.fixture
def contracts(engine):
    with write_tx(engine) as s:
        _, a, b = organisation(s)
        return a.id, b.id


def run(engine, entity, data, who="fay", **kw) -> importer.ImportReport:
    with read_session(engine) as s:
        scope = scope_of(s, who)
    return importer.run_import(engine, entity, data, f"{entity}.csv", scope=scope, now=NOW, **kw)


def errors(report) -> list[tuple[int, str, str]]:
    return sorted((e.row, e.column, e.key) for e in report.errors)


def table(engine, model) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def instalments(engine, contract_id) -> list[tuple]:
    with read_session(engine) as s:
        return [(float(p.amount_received), p.received_at) for p in s.scalars(
            select(Payment).where(Payment.contract_id == contract_id).order_by(Payment.due_date))]


# ---- payments ----------------------------------------------------------------------------------------

def test_payments_are_allocated_over_the_instalments_and_complete_a_contract(engine, contracts):
    a, b = contracts
    data = to_csv(PAYMENTS, ["HT-A", "50,000", "2026-11-12", "BK-1"], [" ht-a ", "60000", "2026-11-20 15:00", "BK-2"],
                  ["HT-B", "5000", "2026/11/21", "BK-1"])
    dry = run(engine, "payments", data, dry_run=True)
    assert dry.ok and not dry.written and dry.planned == {"payments": 3}
    assert dry.summary("en")[1:] == ["No errors. The import would write payments 3.",
                                     "Contracts paid in full by this file: 1.",
                                     "Contracts whose payments would exceed their amount: 1 (the data-quality scan "
                                     "lists them)."]
    assert table(engine, Receipt) == 0
    report = run(engine, "payments", data)
    assert report.written and report.planned == {"payments": 3}
    assert instalments(engine, a) == [(40000.0, datetime(2026, 11, 12)), (70000.0, datetime(2026, 11, 20, 15))]
    assert instalments(engine, b) == [(5000.0, datetime(2026, 11, 21))]
    with read_session(engine) as s:
        assert [s.get(Contract, i).status for i in (a, b)] == ["completed", "active"]
        fay = scope_of(s, "fay").user_id
        assert set(s.scalars(select(Receipt.entered_by))) == {fay}
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "import"))
        assert (audit.entity, audit.user_id, audit.detail["written"]) == ("payments", fay, {"payments": 3})


def test_a_payment_file_imported_twice_is_refused_row_by_row(engine, contracts):
    data = to_csv(PAYMENTS, ["HT-A", "1000", "2026-11-12", "BK-1"], ["HT-B", "1000", "2026-11-12", "BK-1"])
    assert run(engine, "payments", data).written
    again = run(engine, "payments", data)
    assert not again.written and errors(again) == [(2, "reference", "cash.err.reference_taken"),
                                                    (3, "reference", "cash.err.reference_taken")]
    assert again.errors_frame("en")["message"].iloc[0] == (
        "The reference BK-1 was already recorded for HT-A on 2026-11-23 12:00 (¥1,000): the same payment is not "
        "recorded twice.")
    assert table(engine, Receipt) == 2


def test_every_bad_payment_row_is_named_and_nothing_is_written(engine, contracts):
    a, _ = contracts
    data = to_csv(PAYMENTS,
                  ["HT-A", "1000", "2026-11-12", "BK-1"],        # 2: fine
                  ["HT-X", "1000", "2026-11-12", "BK-2"],        # 3: no such contract
                  ["HT-A", "0", "2026-11-12", "BK-3"],           # 4: nothing received
                  ["HT-A", "1000", "2026-10-31", "BK-4"],        # 5: before signing
                  ["HT-A", "1000", "2026-11-24", "BK-5"],        # 6: tomorrow
                  ["HT-A", "1000", "2026-11-13", "BK-1"],        # 7: same as row 2
                  ["HT-A", "", "2026-11-13", "BK-7"],            # 8: no amount
                  ["HT-A", "1000", "2026-11-13", "x" * 61])      # 9: reference too long
    report = run(engine, "payments", data)
    assert errors(report) == [(3, "contract_number", "imp.err.contract_unknown"),
                              (4, "amount", "cash.err.amount_positive"),
                              (5, "received_at", "imp.err.before_signing"),
                              (6, "received_at", "imp.err.future"),
                              (7, "reference", "imp.err.dup_file"),
                              (8, "amount", "imp.err.required"),
                              (9, "reference", "imp.err.too_long")]
    frame = report.errors_frame("zh")
    assert frame["message"].iloc[0] == "没有编号为“HT-X”的合同。"
    assert frame["message"].iloc[2] == "早于合同 HT-A 的签订日期（2026-11-01）。"
    assert not report.written and table(engine, Receipt) == 0 and instalments(engine, a)[0] == (0.0, None)


def test_a_cancelled_contract_takes_no_payment(engine, contracts):
    _, b = contracts
    with write_tx(engine) as s:
        s.get(Contract, b).status = "cancelled"
    report = run(engine, "payments", to_csv(PAYMENTS, ["HT-B", "1000", "2026-11-12", "BK-1"]))
    assert errors(report) == [(2, "contract_number", "cash.err.cancelled")]


# ---- invoices ------------------------------------------------------------------------------------------

def test_invoices_follow_the_95_percent_rule_on_the_receipts_already_recorded(engine, contracts):
    a, b = contracts
    with write_tx(engine) as s:
        add_receipt(s, s.get(Contract, a), 95000, datetime(2026, 11, 12))  # exactly 95 %
        add_receipt(s, s.get(Contract, b), 19000.02, datetime(2026, 11, 12))  # 95.0001 %
    data = to_csv(INVOICES, ["HT-A", "FP-1", "100000", "2026-11-20"], ["HT-B", "FP-2", "20000", "2026-11-20"])
    report = run(engine, "invoices", data)
    assert errors(report) == [(2, "amount", "cash.err.not_paid_enough")]
    assert report.errors_frame("en")["message"].iloc[0] == (
        "Only 95.0 % of HT-A is paid; it can be invoiced once more than 95 % is.")
    # a payment in the same import run does not count: recorded first, it does
    assert run(engine, "payments", to_csv(PAYMENTS, ["HT-A", "0.01", "2026-11-13", "BK-9"])).written
    report = run(engine, "invoices", data)
    assert report.written and report.planned == {"invoices": 2}
    with read_session(engine) as s:
        assert s.scalars(select(Invoice.number).order_by(Invoice.number)).all() == ["FP-1", "FP-2"]


def test_invoices_of_a_file_never_add_up_beyond_the_amount_and_numbers_are_unique(engine, contracts):
    a, _ = contracts
    with write_tx(engine) as s:
        add_receipt(s, s.get(Contract, a), 100000, datetime(2026, 11, 12))
    assert run(engine, "invoices", to_csv(INVOICES, ["HT-A", "FP-1", "30000", "2026-11-20"])).written
    report = run(engine, "invoices", to_csv(INVOICES, ["HT-A", "FP-2", "50000", "2026-11-20"],
                                            ["HT-A", "FP-3", "20000.01", "2026-11-21"],
                                            ["HT-A", "FP-1", "100", "2026-11-21"],
                                            ["HT-A", "FP-2", "100", "2026-11-21"]))
    assert errors(report) == [(3, "amount", "cash.err.over_invoiced"), (4, "number", "cash.err.invoice_number_taken"),
                              (5, "number", "imp.err.dup_file")]
    assert table(engine, Invoice) == 1


# ---- shipments -------------------------------------------------------------------------------------------

def test_shipments_are_imported_even_before_the_order_was_entered(engine, contracts):
    data = to_csv(SHIPMENTS, ["HT-A", "CK-1", "100000", "2026-10-30"], ["HT-B", "CK-2", "¥18,000", "2026-11-05"])
    dry = run(engine, "shipments", data, dry_run=True)
    assert dry.ok and "Contracts shipped before they were entered: 1 (the data-quality scan lists them)." in \
        dry.summary("en")
    assert run(engine, "shipments", data).written
    with read_session(engine) as s:
        assert s.execute(select(Shipment.number, Shipment.value, Shipment.owner_id).order_by(Shipment.number)).all() \
            == [("CK-1", 100000, s.get(Contract, contracts[0]).owner_id),
                ("CK-2", 18000, s.get(Contract, contracts[1]).owner_id)]
    again = run(engine, "shipments", to_csv(SHIPMENTS, ["HT-A", "CK-1", "1", "2026-11-05"],
                                            ["HT-A", "CK-3", "1", "2026-11-05"], ["HT-A", "CK-3", "1", "2026-11-05"]))
    assert errors(again) == [(2, "number", "imp.err.shipment_number_taken"), (4, "number", "imp.err.dup_file")]


# ---- who may import what -------------------------------------------------------------------------------------

def test_finance_imports_cash_records_but_not_leads_and_reps_nothing(engine, contracts):
    leads = to_csv(["company", "phone", "source_channel", "grade"], ["某公司", "13900000001", "展会", "A"])
    with pytest.raises(Forbidden):
        run(engine, "leads", leads, who="fay")
    for who in ("a1", "lena", "dora"):
        with pytest.raises(Forbidden):
            run(engine, "payments", to_csv(PAYMENTS, ["HT-A", "1", "2026-11-12", "R"]), who=who)
    assert run(engine, "leads", leads, who="ada").written
    assert run(engine, "shipments", to_csv(SHIPMENTS, ["HT-A", "CK-1", "1", "2026-11-05"]), who="ada").written
    assert importer.entities_for("finance") == ["payments", "invoices", "shipments"]
    assert importer.entities_for("admin") == ["leads", "customers", "opportunities", "payments", "invoices",
                                              "shipments", "users"]
    assert importer.entities_for("rep") == [] and importer.entities_for("director") == []
    assert exporter.entities_for("finance") == ["customers"]
    assert exporter.entities_for("admin") == ["leads", "customers", "opportunities"]


def test_the_templates_import_once_their_contracts_exist(engine):
    with write_tx(engine) as s:
        org, _, _ = organisation(s)
        big = add_contract(s, org.a1, add_customer(s, org.a1), 400000, datetime(2026, 11, 1),
                           number="HT20261101-0001")
        small = add_contract(s, org.a2, add_customer(s, org.a2), 35000, datetime(2026, 11, 1),
                             number="HT20261101-0002")
        add_receipt(s, big, 390000, datetime(2026, 11, 15))
        add_receipt(s, small, 35000, datetime(2026, 11, 15))
    for entity in ("payments", "shipments", "invoices"):
        for fmt in ("csv", "xlsx"):
            report = importer.run_import(engine, entity, importer.template_bytes(entity, fmt), f"t.{fmt}",
                                         scope=COMPANY, now=NOW, dry_run=True)
            assert report.ok and report.rows == 2, (entity, fmt, report.errors_frame("en").to_dict("records"))


# ---- the command line -------------------------------------------------------------------------------------

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
        organisation(s)
    yield engine
    engine.dispose()


def test_cli_imports_payments_as_finance_and_refuses_finance_leads(cli_db, tmp_path, capsys):
    path = tmp_path / "bank.csv"
    path.write_bytes(to_csv(PAYMENTS, ["HT-A", "40000", "2026-11-12", "BK-1"]))
    assert cli.main(["import", "payments", str(path), "--as-user", "fay", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "已在同一事务中写入：回款 1 笔。" in out
    assert instalments(cli_db, 1)[0] == (40000.0, datetime(2026, 11, 12))
    assert cli.main(["import", "payments", str(path), "--as-user", "fay"]) == 2
    assert "row 2, reference: The reference BK-1 was already recorded" in capsys.readouterr().err
    assert cli.main(["import", "payments", str(path), "--as-user", "a1"]) == 2
    assert "a1 may not import payments: only finance and admin import it" in capsys.readouterr().err
    leads = tmp_path / "leads.csv"
    leads.write_bytes(to_csv(["company", "phone", "source_channel", "grade"], ["某公司", "13900000001", "展会", "A"]))
    assert cli.main(["import", "leads", str(leads), "--as-user", "fay"]) == 2
    assert "only an admin imports" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["export", "payments", str(tmp_path / "x.csv")])
