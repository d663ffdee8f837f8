"""The data-quality scan (SPEC §7) on hand-made records: for every rule a case it must find and one it
must not; a finding's life (open → found again → fixed → open again; ignored stays ignored); the
scan twice at one moment; the owner's alert; ignoring with a reason; the lights and the reads; the
command line."""
from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

import cli
from core.base import rules
from core.base.access import Forbidden
from core.base.db import read_session, write_tx
from core.base.models import Activity, Alert, AuditLog, Contract, Customer, Payment, QualityFinding, Receipt, Team, User
from core.base.scope import COMPANY
from core.cash import quality
from tests.factories import NOW, add_contract, add_customer, add_receipt, add_shipment, scope_of

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
# Names no rule calls alike (brands of two characters differ, so the names do), and phones all different.
NAMES = itertools.cycle(f"{a}{b}{trade}有限公司" for a in "甲乙丙丁戊己庚辛壬癸" for b in "子丑寅卯辰巳午未申酉戌亥"
                        for trade in ("物流",))
_phone = iter(range(13900000001, 13900009999))


def customer(s, owner, name=None, created_at=NOW - 30 * DAY, **fields) -> Customer:
    """A customer with every required field (a region, a phone of its own) unless ``fields`` say otherwise."""
    c = add_customer(s, owner, name or next(NAMES), created_at=created_at)
    c.region_id = fields.pop("region_id", _region(s, owner))
    c.phone = fields.pop("phone", str(next(_phone)))
    for key, value in fields.items():
        setattr(c, key, value)
    s.flush()
    return c


def _region(s, owner) -> int:
    return s.get(Team, owner.team_id).region_id


def activity(s, owner, c, happened_at, logged_at, kind="visit") -> Activity:
    a = Activity(kind=kind, customer_id=c.id, owner_id=owner.id, team_id=owner.team_id, happened_at=happened_at,
                 logged_at=logged_at, effective=True, fields={}, note="")
    s.add(a)
    s.flush()
    return a


def scan(engine, now=NOW) -> int:
    with write_tx(engine) as s:
        return quality.scan(s, now)


def open_findings(engine, rule: str | None = None) -> set[tuple[str, str, int]]:
    with read_session(engine) as s:
        stmt = select(QualityFinding.rule, QualityFinding.record_type, QualityFinding.record_id).where(
            QualityFinding.status == "open")
        if rule:
            stmt = stmt.where(QualityFinding.rule == rule)
        return set(s.execute(stmt).all())


def finding(engine, rule: str, record_type: str, record_id: int) -> QualityFinding | None:
    with read_session(engine) as s:
        return s.scalar(select(QualityFinding).where(QualityFinding.rule == rule,
                                                     QualityFinding.record_type == record_type,
                                                     QualityFinding.record_id == record_id))


# ---- each rule: found, and not found -----------------------------------------------------------------

def test_one_company_with_two_tax_ids(engine, org):
    with write_tx(engine) as s:
        a = customer(s, org.a1, "杭州越州酒业有限公司", tax_id="91330100MA27XK1234")
        b = customer(s, org.b1, "越州酒业（上城店）", tax_id="91330100MA27XK9999")
        also = customer(s, org.a2, "越州酒业有限公司", tax_id=None)  # no tax id: not in conflict
        same = customer(s, org.a1, "上海瑞康物流有限公司", tax_id="91310000 ab12")
        same2 = customer(s, org.b2, "瑞康物流", tax_id="91310000AB12")  # the same id, other spacing and case
        other = customer(s, org.a2, "北京华远医疗器械有限公司", tax_id="91110000X")  # another company
    scan(engine)
    assert open_findings(engine, "tax_id_conflict") == {("tax_id_conflict", "customer", a.id),
                                                        ("tax_id_conflict", "customer", b.id)}
    f = finding(engine, "tax_id_conflict", "customer", a.id)
    assert (f.owner_id, f.team_id) == (org.a1.id, org.alpha.id)
    assert f.detail["tax_ids"] == ["91330100MA27XK1234", "91330100MA27XK9999"]
    assert f.detail["other_names"] == ["越州酒业（上城店）"]
    assert {also.id, same.id, same2.id, other.id}.isdisjoint({r for _, _, r in open_findings(engine, "tax_id_conflict")})


def test_an_order_created_after_its_shipment(engine, org):
    with write_tx(engine) as s:
        c = customer(s, org.a1)
        late = add_contract(s, org.a1, c, 10_000, NOW - 10 * DAY, number="HT-LATE")
        add_shipment(s, late, 10_000, NOW - 12 * DAY)  # shipped two days before the order existed
        ok = add_contract(s, org.a1, c, 10_000, NOW - 10 * DAY, number="HT-OK")
        add_shipment(s, ok, 10_000, NOW - 10 * DAY)  # the same moment: not after
        add_contract(s, org.a1, c, 10_000, NOW - 10 * DAY, number="HT-NONE")  # nothing shipped yet
    scan(engine)
    assert open_findings(engine, "order_after_shipment") == {("order_after_shipment", "contract", late.id)}
    f = finding(engine, "order_after_shipment", "contract", late.id)
    assert f.detail == {"record": "HT-LATE", "created_at": "2026-11-13T12:00", "shipped_at": "2026-11-11T12:00"}


def test_payments_above_the_contract_amount(engine, org):
    with write_tx(engine) as s:
        c = customer(s, org.b1)
        over = add_contract(s, org.b1, c, 100_000, NOW - 20 * DAY, number="HT-OVER")
        add_receipt(s, over, 60_000, NOW - 10 * DAY)
        add_receipt(s, over, 40_001.01, NOW - 5 * DAY)  # ¥1.01 over: beyond the ¥1.00 tolerance
        edge = add_contract(s, org.b1, c, 100_000, NOW - 20 * DAY, number="HT-EDGE")
        add_receipt(s, edge, 100_001, NOW - 5 * DAY)  # ¥1.00 over: within it
    scan(engine)
    assert open_findings(engine, "overpaid") == {("overpaid", "contract", over.id)}
    assert finding(engine, "overpaid", "contract", over.id).detail == {
        "record": "HT-OVER", "amount": 100_000.0, "received": 100_001.01, "over": 1.01}


def test_duplicate_customers_by_phone_and_by_name(engine, org):
    with write_tx(engine) as s:
        first = customer(s, org.a1, "杭州越州酒业有限公司", created_at=NOW - 90 * DAY, phone="0571-8888 6666")
        by_name = customer(s, org.b1, "越州酒业", created_at=NOW - 10 * DAY)
        by_phone = customer(s, org.a2, "诚信物流有限公司", created_at=NOW - 5 * DAY, phone="+86 571 88886666")
        mobile = customer(s, org.b2, "瑞泰化工有限公司", created_at=NOW - 40 * DAY, phone="138 0013 8000")
        mobile2 = customer(s, org.a1, "嘉宏食品有限公司", created_at=NOW - 3 * DAY, phone="+86-13800138000")
        # not duplicates: another brand of the same trade, the same brand in a city but a short name
        customer(s, org.a1, "华康医疗器械有限公司", created_at=NOW - 50 * DAY)
        customer(s, org.b1, "华远医疗器械有限公司", created_at=NOW - 20 * DAY)
        customer(s, org.a2, "杭州华康", created_at=NOW - 20 * DAY)
        customer(s, org.b2, "杭州瑞泰", created_at=NOW - 20 * DAY)
    scan(engine)
    found = {r: finding(engine, "duplicate_customer", "customer", r).detail
             for _, _, r in open_findings(engine, "duplicate_customer")}
    assert set(found) == {by_name.id, by_phone.id, mobile2.id}
    # on the younger customer, naming the older
    assert (found[by_name.id]["other_id"], found[by_name.id]["reasons"]) == (first.id, ["name"])
    assert found[by_name.id]["similarity"] == 1.0
    assert (found[by_phone.id]["other_id"], found[by_phone.id]["reasons"]) == (first.id, ["phone"])
    assert (found[mobile2.id]["other_id"], found[mobile2.id]["reasons"]) == (mobile.id, ["phone"])
    assert found[by_name.id]["other_name"] == "杭州越州酒业有限公司"


def test_a_customer_like_several_names_the_strongest_match(engine, org):
    with write_tx(engine) as s:
        oldest = customer(s, org.a1, "越州酒业有限公司", created_at=NOW - 90 * DAY)
        phone_twin = customer(s, org.b1, "越州酒业集团", created_at=NOW - 60 * DAY, phone="13912345678")
        young = customer(s, org.a2, "杭州越州酒业", created_at=NOW - DAY, phone="139 1234 5678")
    scan(engine)
    assert finding(engine, "duplicate_customer", "customer", phone_twin.id).detail["other_id"] == oldest.id
    # phone and name beat a name alone, even an older one
    detail = finding(engine, "duplicate_customer", "customer", young.id).detail
    assert (detail["other_id"], detail["reasons"]) == (phone_twin.id, ["phone", "name"])


def test_names_alike_as_the_setting_says(engine, org):
    with write_tx(engine) as s:
        base = customer(s, org.a1, "越州酒业", created_at=NOW - 9 * DAY)
        chain = customer(s, org.b1, "越州酒业连锁", created_at=NOW - 8 * DAY)  # 0.80 alike: at the threshold
        a = customer(s, org.a1, "瑞泰安盛化工有限公司", created_at=NOW - 7 * DAY)
        b = customer(s, org.b1, "瑞泰安盛源化工有限公司", created_at=NOW - 6 * DAY)  # one more letter inside: 0.92
        c = customer(s, org.a2, "华瑞泰安盛化工", created_at=NOW - 5 * DAY)  # one more in front: 0.92 to a, 0.86 to b
    scan(engine)
    found = {r: finding(engine, "duplicate_customer", "customer", r).detail
             for _, _, r in open_findings(engine, "duplicate_customer")}
    assert {k: (v["other_id"], v["similarity"]) for k, v in found.items()} == {
        chain.id: (base.id, 0.8), b.id: (a.id, 0.9231), c.id: (a.id, 0.9231)}
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"duplicate_name_similarity": 0.95}, NOW)
    assert scan(engine, NOW + HOUR) == 3
    assert not open_findings(engine, "duplicate_customer")
    assert finding(engine, "duplicate_customer", "customer", b.id).status == "fixed"


def test_missing_required_fields(engine, org):
    with write_tx(engine) as s:
        complete = customer(s, org.a1)
        no_phone = customer(s, org.a1, phone="   ")
        no_region = customer(s, org.b1, region_id=None, industry="")
        zero = add_contract(s, org.a1, complete, 0, NOW - DAY, number="HT-ZERO")
        fine = add_contract(s, org.a1, complete, 5_000, NOW - DAY, number="HT-FINE")
    scan(engine)
    assert open_findings(engine, "missing_fields") == {
        ("missing_fields", "customer", no_phone.id), ("missing_fields", "customer", no_region.id),
        ("missing_fields", "contract", zero.id)}
    assert finding(engine, "missing_fields", "customer", no_region.id).detail["fields"] == ["industry", "region"]
    assert finding(engine, "missing_fields", "contract", zero.id).detail["fields"] == ["amount"]
    assert finding(engine, "missing_fields", "customer", complete.id) is None
    assert finding(engine, "missing_fields", "contract", fine.id) is None
    assert quality.REQUIRED_FIELDS == {"customer": ("phone", "industry", "size", "region"),
                                       "contract": ("customer", "amount")}


def test_activities_logged_more_than_72_hours_late_in_the_last_30_days(engine, org):
    with write_tx(engine) as s:
        c = customer(s, org.a1)
        late = activity(s, org.a1, c, NOW - 5 * DAY, NOW - 5 * DAY + 72 * HOUR + timedelta(minutes=1))
        on_edge = activity(s, org.a1, c, NOW - 5 * DAY, NOW - 5 * DAY + 72 * HOUR)  # exactly 72 h: not more
        old = activity(s, org.a1, c, NOW - 40 * DAY, NOW - 31 * DAY)  # 9 days late, logged 31 days ago
    scan(engine)
    assert open_findings(engine, "late_logging") == {("late_logging", "activity", late.id)}
    detail = finding(engine, "late_logging", "activity", late.id).detail
    assert detail["hours"] == 72.0 and detail["kind"] == "visit"
    assert finding(engine, "late_logging", "activity", on_edge.id) is None
    assert finding(engine, "late_logging", "activity", old.id) is None
    # a longer window takes the old one in
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"quality_scan_days": 60}, NOW)
    scan(engine, NOW + HOUR)
    assert ("late_logging", "activity", old.id) in open_findings(engine)


# ---- a finding's life ----------------------------------------------------------------------------------

@pytest.fixture
def flawed(engine, org):
    """a1's customer without a region, b1's overpaid contract."""
    with write_tx(engine) as s:
        c = customer(s, org.a1, region_id=None)
        k = add_contract(s, org.b1, customer(s, org.b1), 1_000, NOW - 9 * DAY, number="HT-OVER")
        add_receipt(s, k, 1_500, NOW - 8 * DAY)
    return engine, c.id, k.id


def counts(engine) -> dict[str, int]:
    with read_session(engine) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                for m in (QualityFinding, Alert, AuditLog)}


def test_a_second_scan_at_the_same_moment_changes_nothing(flawed):
    engine, cid, kid = flawed
    assert scan(engine) == 2
    before = counts(engine)
    with read_session(engine) as s:
        rows_before = [(f.id, f.status, f.last_found_at, f.detail) for f in s.scalars(select(QualityFinding))]
    assert scan(engine) == 0
    assert counts(engine) == before
    with read_session(engine) as s:
        assert [(f.id, f.status, f.last_found_at, f.detail) for f in s.scalars(select(QualityFinding))] == rows_before


def test_found_again_fixed_and_opened_again(flawed, org):
    engine, cid, kid = flawed
    scan(engine)
    scan(engine, NOW + DAY)  # found again: one row, last found moves on
    f = finding(engine, "missing_fields", "customer", cid)
    assert (f.status, f.first_found_at, f.last_found_at) == ("open", NOW, NOW + DAY)
    with write_tx(engine) as s:  # the cause is fixed
        s.get(Customer, cid).region_id = org.north.id
    assert scan(engine, NOW + 2 * DAY) == 1
    f = finding(engine, "missing_fields", "customer", cid)
    assert (f.status, f.closed_at, f.last_found_at) == ("fixed", NOW + 2 * DAY, NOW + DAY)
    with write_tx(engine) as s:  # and broken again
        s.get(Customer, cid).region_id = None
    assert scan(engine, NOW + 3 * DAY) == 1
    f = finding(engine, "missing_fields", "customer", cid)
    assert (f.status, f.closed_at, f.first_found_at, f.last_found_at) == ("open", None, NOW, NOW + 3 * DAY)
    with read_session(engine) as s:  # one finding row, and still one alert for it
        assert s.scalar(select(func.count()).select_from(QualityFinding).where(QualityFinding.rule == "missing_fields")) == 1
        assert s.scalar(select(func.count()).select_from(Alert).where(Alert.ref_id == f.id)) == 1


def test_an_ignored_finding_stays_ignored(flawed, org):
    engine, cid, kid = flawed
    scan(engine)
    f = finding(engine, "overpaid", "contract", kid)
    with write_tx(engine) as s:
        quality.ignore_finding(s, scope_of(s, org.director), f.id, "  a deposit for the next order  ", NOW + HOUR)
    assert scan(engine, NOW + DAY) == 0
    f = finding(engine, "overpaid", "contract", kid)
    assert (f.status, f.reason, f.closed_by, f.closed_at) == ("ignored", "a deposit for the next order",
                                                               org.director.id, NOW + HOUR)
    assert f.last_found_at == NOW + DAY
    with read_session(engine) as s:
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "ignore"))
        assert (audit.user_id, audit.entity, audit.entity_id) == (org.director.id, "quality_finding", str(f.id))
        assert audit.detail["reason"] == "a deposit for the next order"


def test_the_owner_gets_one_alert_per_new_finding_in_their_language(flawed, org):
    engine, cid, kid = flawed
    with write_tx(engine) as s:
        s.get(User, org.a1.id).language = "en"  # b1 has chosen none: the company's default, Chinese
    scan(engine)
    with read_session(engine) as s:
        alerts = {a.recipient_id: a for a in s.scalars(select(Alert).where(Alert.kind == "quality_finding"))}
    assert set(alerts) == {org.a1.id, org.b1.id}
    assert alerts[org.a1.id].message.startswith("Data quality — Required fields missing: Customer ")
    assert alerts[org.a1.id].message.endswith("Missing: region.")
    assert alerts[org.b1.id].message == ("数据质量——到账超过合同金额：合同 HT-OVER。合同金额¥1,000.00，"
                                         "已到账¥1,500.00（超出¥500.00）。")
    assert alerts[org.b1.id].ref_type == "quality_finding"
    assert alerts[org.b1.id].dedupe_key == f"quality_finding:{alerts[org.b1.id].ref_id}"


def test_a_deleted_record_closes_its_finding(flawed):
    engine, cid, kid = flawed
    scan(engine)
    with write_tx(engine) as s:
        for model in (Receipt, Payment):
            for row in s.scalars(select(model).where(model.contract_id == kid)):
                s.delete(row)
        s.flush()
        s.delete(s.get(Contract, kid))
    scan(engine, NOW + DAY)
    assert finding(engine, "overpaid", "contract", kid).status == "fixed"


# ---- the writes: who may, and their checks -------------------------------------------------------------

def test_scan_on_demand_is_for_director_finance_and_admin(flawed, org):
    engine, _, _ = flawed
    with write_tx(engine) as s:
        for who in (org.lead_alpha, org.a1):
            with pytest.raises(Forbidden):
                quality.run_scan(s, scope_of(s, who), NOW)
        result = quality.run_scan(s, scope_of(s, org.director), NOW)
    counts_ = {r.rule: (r.new, r.open) for r in result.rules}
    assert counts_["missing_fields"] == (1, 1) and counts_["overpaid"] == (1, 1)
    with read_session(engine) as s:
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "scan"))
    assert audit.user_id == org.director.id and audit.detail["overpaid"]["new"] == 1


def test_ignoring_needs_a_reason_and_a_finding_in_view(flawed, org):
    engine, cid, kid = flawed
    scan(engine)
    over = finding(engine, "overpaid", "contract", kid)  # b1's, team Beta
    with write_tx(engine) as s:
        with pytest.raises(quality.InvalidFindingInput) as err:
            quality.ignore_finding(s, scope_of(s, org.director), over.id, "   ", NOW)
        assert err.value.field == "reason"
        with pytest.raises(quality.InvalidFindingInput) as err:
            quality.ignore_finding(s, scope_of(s, org.director), over.id, "x" * 301, NOW)
        assert err.value.field == "reason"
        with pytest.raises(quality.InvalidFindingInput) as err:  # lena leads Alpha only
            quality.ignore_finding(s, scope_of(s, org.lead_alpha), over.id, "fine", NOW)
        assert (err.value.field, err.value.msg_key) == ("finding", "quality.err.no_finding")
        with pytest.raises(quality.InvalidFindingInput):
            quality.ignore_finding(s, scope_of(s, org.director), 9999, "fine", NOW)
        with pytest.raises(Forbidden):
            quality.ignore_finding(s, scope_of(s, org.b1), over.id, "mine", NOW)
        quality.ignore_finding(s, scope_of(s, org.lead_beta), over.id, "refund agreed", NOW)
    with write_tx(engine) as s, pytest.raises(quality.InvalidFindingInput) as err:
        quality.ignore_finding(s, scope_of(s, org.lead_beta), over.id, "again", NOW)
    assert err.value.msg_key == "quality.err.already_ignored"
    assert finding(engine, "overpaid", "contract", kid).reason == "refund agreed"


# ---- the reads -----------------------------------------------------------------------------------------

def test_findings_read_in_words_filtered_and_in_scope(flawed, org):
    engine, cid, kid = flawed
    scan(engine)
    with read_session(engine) as s:
        every = quality.findings(COMPANY, s)
        lena = quality.findings(scope_of(s, org.lead_alpha), s)
        overpaid = quality.findings(COMPANY, s, rule="overpaid", lang="zh")
        fixed = quality.findings(COMPANY, s, status="fixed")
        with pytest.raises(quality.InvalidFindingInput):
            quality.findings(COMPANY, s, rule="no_such_rule")
        with pytest.raises(quality.InvalidFindingInput):
            quality.findings(COMPANY, s, status="closed")
    assert set(every["rule"]) == {"missing_fields", "overpaid"}
    assert list(lena["rule"]) == ["missing_fields"] and set(lena["owner_id"]) == {org.a1.id}
    row = overpaid.iloc[0]
    assert (row.record, row.owner, row.team, row.rule_name) == ("合同 HT-OVER", "Bob B1", "Beta", "到账超过合同金额")
    assert row.detail == "合同金额¥1,000.00，已到账¥1,500.00（超出¥500.00）。"
    assert row.first_found_at == NOW and row.status == "open"
    assert fixed.empty


def test_a_light_per_rule_with_who_holds_the_open_findings(engine, org):
    with write_tx(engine) as s:
        for owner, n_missing, n_fine in ((org.a1, 3, 1), (org.a2, 1, 0), (org.b1, 0, 5)):
            for _ in range(n_missing):
                customer(s, owner, region_id=None)
            for _ in range(n_fine):
                customer(s, owner)
    scan(engine)
    with read_session(engine) as s:
        lights = {lt.rule: lt for lt in quality.quality_lights(COMPANY, s, NOW, "en")}
        lena = {lt.rule: lt for lt in quality.quality_lights(scope_of(s, org.lead_alpha), s, NOW, "en")}
    missing = lights["missing_fields"]
    assert (missing.checked, missing.flagged) == (10, 4)
    assert missing.rate == pytest.approx(60.0) and missing.color == "red"
    assert missing.sentence == "Alpha holds 100% of the 4 open findings of “Required fields missing”."
    assert lights["duplicate_customer"].color == "green" and lights["duplicate_customer"].sentence == ""
    assert lights["tax_id_conflict"].rate is None and lights["tax_id_conflict"].color == "grey"
    # inside one team, by rep: a1 holds 3 of the 4
    assert (lena["missing_fields"].checked, lena["missing_fields"].flagged) == (5, 4)
    assert lena["missing_fields"].sentence == "Amy A1 holds 75% of the 4 open findings of “Required fields missing”."


# ---- the command line ----------------------------------------------------------------------------------

def test_cli_scan_prints_each_rules_counts(flawed, monkeypatch, capsys):
    engine, _, _ = flawed
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert cli.main(["scan", "--now", NOW.isoformat(), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["rules"]["overpaid"] == {"open": 1, "new": 1, "reopened": 0, "fixed": 0, "found": 1}
    assert got["rules"]["missing_fields"]["open"] == 1 and got["alerts"] == 2
    assert set(got["rules"]) == set(quality.QUALITY_RULES)
    assert cli.main(["scan", "--now", (NOW + DAY).isoformat()]) == 0
    out = capsys.readouterr().out
    assert "overpaid: open 1, new 0, fixed 0" in out and "alerts sent: 0" in out
    assert cli.main(["scan", "--now", "tomorrow"]) == 2


def test_the_nightly_job_is_in_the_schedule(flawed):
    from core import schedule

    engine, _, _ = flawed
    results = {r.name: r for r in schedule.run(engine, datetime(2026, 11, 24, 2, 0), only=["quality_scan"])}
    assert results["quality_scan"].count == 2 and not results["quality_scan"].error
    assert schedule.run(engine, datetime(2026, 11, 24, 2, 0), only=["quality_scan"])[0].count == 0
