"""Merging duplicate customers (SPEC §7), on SQLite and PostgreSQL: nothing is lost (row counts per
table equal before and after, but the one customer), every reference of the other ends on the
survivor, the survivor fills its empty fields, the findings close, the audit row keeps both ids, and a
second merge of the pair (or of a customer with itself) is refused."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.base.access import Forbidden
from core.base.db import read_session, write_tx
from core.base.models import Alert, AuditLog, Base, Contract, Customer, QualityFinding, Todo
from core.base.scope import COMPANY
from core.cash import merge, quality
from tests.factories import NOW, add_contract, add_invoice, add_receipt, add_rep_records, add_shipment, scope_of

DAY = timedelta(days=1)


@pytest.fixture
def pair(engine, org):
    """b1's customer (the other, younger) and a1's (the survivor), each with every kind of record
    (tests.factories.add_rep_records); the other's contract with receipts, an invoice and a shipment;
    a to-do and an alert pointing at the other; and the scan's findings."""
    with write_tx(engine) as s:
        add_rep_records(s, org.a1, "a1")
        add_rep_records(s, org.b1, "b1")
        survivor = s.scalar(select(Customer).where(Customer.name == "a1 Customer"))
        other = s.scalar(select(Customer).where(Customer.name == "b1 Customer"))
        other.created_at = survivor.created_at + DAY
        survivor.tax_id, other.tax_id = None, "91330100MA27XK1234"  # the survivor has none: it takes the other's
        survivor.phone, other.phone = "13800138000", "+86 138 0013 8000"
        contract = add_contract(s, org.b1, other, 50_000, NOW - 20 * DAY, number="HT-OTHER")
        add_receipt(s, contract, 30_000, NOW - 10 * DAY)
        add_invoice(s, contract, 30_000, NOW - 9 * DAY)
        add_shipment(s, contract, 50_000, NOW - 15 * DAY)
        s.add_all([Todo(owner_id=org.b1.id, team_id=org.beta.id, title="call the buyer", kind="manual",
                        ref_type="customer", ref_id=other.id, created_at=NOW),
                   Alert(recipient_id=org.b1.id, team_id=org.beta.id, kind="x", message="see the buyer",
                         ref_type="customer", ref_id=other.id, created_at=NOW)])
        s.flush()
        quality.scan(s, NOW)
        ids = survivor.id, other.id
    return engine, *ids


def row_counts(engine) -> dict[str, int]:
    with read_session(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def references(engine, customer_id: int) -> dict[str, int]:
    with read_session(engine) as s:
        out = {f"{t.name}.{c.name}": s.scalar(select(func.count()).select_from(t).where(c == customer_id))
               for t, c in merge.customer_references()}
        for model in (Todo, Alert):
            out[f"{model.__tablename__}.ref_id"] = s.scalar(select(func.count()).select_from(model).where(
                model.ref_type == "customer", model.ref_id == customer_id))
        return out


def test_the_merge_moves_everything_and_loses_nothing(pair, org):
    engine, survivor_id, other_id = pair
    before, on_survivor, on_other = row_counts(engine), references(engine, survivor_id), references(engine, other_id)
    # every kind of reference is there to move (the test would prove nothing otherwise)
    assert all(on_other[k] > 0 for k in ("leads.customer_id", "opportunities.customer_id", "activities.customer_id",
                                         "contracts.customer_id", "step_instances.customer_id",
                                         "customer_issues.customer_id", "cross_dept_requests.customer_id",
                                         "satisfaction_scores.customer_id", "todos.ref_id", "alerts.ref_id"))
    with write_tx(engine) as s:
        result = merge.merge_customers(s, scope_of(s, org.director), survivor_id, other_id, NOW + DAY)
    after = row_counts(engine)
    assert after["customers"] == before["customers"] - 1
    assert after["audit_log"] == before["audit_log"] + 1
    assert {k: v for k, v in after.items() if k not in ("customers", "audit_log")} == \
        {k: v for k, v in before.items() if k not in ("customers", "audit_log")}
    assert all(n == 0 for n in references(engine, other_id).values())
    assert references(engine, survivor_id) == {k: on_survivor[k] + on_other[k] for k in on_survivor}
    assert result["moved"] == {k: v for k, v in on_other.items() if v}
    with read_session(engine) as s:
        assert s.get(Customer, other_id) is None
        kept = s.get(Customer, survivor_id)
        assert (kept.name, kept.phone, kept.tax_id, kept.owner_id) == ("a1 Customer", "13800138000",
                                                                        "91330100MA27XK1234", org.a1.id)
        # invoices, payments, receipts and shipments follow their contract onto the survivor
        contract_customer = s.scalar(select(Contract.customer_id).where(Contract.number == "HT-OTHER"))
        assert contract_customer == survivor_id
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "merge"))
    assert (audit.user_id, audit.entity, audit.entity_id) == (org.director.id, "customer", str(survivor_id))
    assert (audit.detail["survivor_id"], audit.detail["other_id"]) == (survivor_id, other_id)
    assert audit.detail["moved"] == result["moved"] and audit.detail["taken"] == ["tax_id"]
    assert audit.detail["carried"]["receipts.contract_id"] == 1
    assert audit.detail["carried"]["invoices.contract_id"] == 1
    assert audit.detail["carried"]["shipments.contract_id"] == 1
    assert audit.detail["other"]["name"] == "b1 Customer"


def test_the_findings_about_the_other_close_as_fixed(pair, org):
    engine, survivor_id, other_id = pair
    with read_session(engine) as s:
        about = s.scalars(select(QualityFinding).where(QualityFinding.record_type == "customer",
                                                       QualityFinding.record_id == other_id)).all()
        assert {f.rule for f in about} >= {"duplicate_customer", "missing_fields"}
        assert next(f for f in about if f.rule == "duplicate_customer").detail["other_id"] == survivor_id
    with write_tx(engine) as s:
        merge.merge_customers(s, COMPANY, survivor_id, other_id, NOW + DAY)
    with read_session(engine) as s:
        about = s.scalars(select(QualityFinding).where(QualityFinding.record_type == "customer",
                                                       QualityFinding.record_id == other_id)).all()
    assert {(f.status, f.closed_at) for f in about} == {("fixed", NOW + DAY)}
    with write_tx(engine) as s:  # and the next scan does not open them again
        quality.scan(s, NOW + 2 * DAY)
    with read_session(engine) as s:
        assert not s.scalars(select(QualityFinding).where(QualityFinding.record_id == other_id,
                                                          QualityFinding.record_type == "customer",
                                                          QualityFinding.status == "open")).all()


def test_a_second_merge_of_the_pair_is_refused_with_when_and_by_whom(pair, org):
    engine, survivor_id, other_id = pair
    with write_tx(engine) as s:
        merge.merge_customers(s, scope_of(s, org.director), survivor_id, other_id, NOW + DAY)
    before = row_counts(engine)
    with write_tx(engine) as s, pytest.raises(merge.MergeRefused) as err:
        merge.merge_customers(s, scope_of(s, org.director), survivor_id, other_id, NOW + 2 * DAY)
    assert err.value.msg_key == "quality.err.merge_done"
    assert err.value.message("en") == (f"Customer #{other_id} was merged into #{survivor_id} already, "
                                       "on 2026-11-24 12:00 by Dora Director.")
    assert row_counts(engine) == before
    with read_session(engine) as s:  # the preview says so too
        preview = merge.merge_preview(COMPANY, s, survivor_id, other_id)
    assert preview.refusal == "quality.err.merge_done" and preview.sides.empty
    # the other way round: the survivor of a pair the other went into
    with write_tx(engine) as s, pytest.raises(merge.MergeRefused) as err:
        merge.merge_customers(s, COMPANY, other_id, survivor_id, NOW + 2 * DAY)
    assert err.value.msg_key == "quality.err.merged_elsewhere" and err.value.field == "survivor"


def test_a_customer_is_not_merged_with_itself_nor_with_nobody(pair):
    engine, survivor_id, _ = pair
    with write_tx(engine) as s:
        with pytest.raises(merge.MergeRefused) as err:
            merge.merge_customers(s, COMPANY, survivor_id, survivor_id, NOW)
        assert err.value.msg_key == "quality.err.merge_self"
        with pytest.raises(merge.MergeRefused) as err:
            merge.merge_customers(s, COMPANY, survivor_id, 99_999, NOW)
        assert err.value.msg_key == "quality.err.merge_no_customer"


def test_only_director_finance_and_admin_merge(pair, org):
    engine, survivor_id, other_id = pair
    with write_tx(engine) as s:
        for who in (org.lead_alpha, org.a1):
            with pytest.raises(Forbidden):
                merge.merge_customers(s, scope_of(s, who), survivor_id, other_id, NOW)
            with pytest.raises(Forbidden):
                merge.merge_preview(scope_of(s, who), s, survivor_id, other_id)
    assert row_counts(engine)["customers"] == 2


def test_the_preview_shows_both_side_by_side_and_what_would_move(pair, org):
    engine, survivor_id, other_id = pair
    on_other = references(engine, other_id)
    with read_session(engine) as s:
        preview = merge.merge_preview(scope_of(s, org.director), s, survivor_id, other_id)
    assert preview.refusal is None
    sides = preview.sides
    assert list(sides.columns) == ["survivor", "other", "after"]
    assert sides.loc["name"].tolist() == ["a1 Customer", "b1 Customer", "a1 Customer"]
    assert sides.loc["tax_id"].tolist() == ["", "91330100MA27XK1234", "91330100MA27XK1234"]
    assert sides.loc["owner"].tolist() == ["Amy A1", "Bob B1", "Amy A1"]
    assert sides.loc["team"].tolist() == ["Alpha", "Beta", "Alpha"]
    direct = {f"{m.table}.{m.column}": m.rows for m in preview.moves if not m.via}
    assert direct == on_other and preview.rows == sum(on_other.values())
    carried = {m.table: m.rows for m in preview.moves if m.via == "contracts"}
    assert carried == {"invoices": 1, "payments": 3, "receipts": 1, "shipments": 1}
    assert preview.taken == ("tax_id",)
    assert row_counts(engine)["customers"] == 2  # a preview writes nothing
