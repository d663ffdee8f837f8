"""The step engine and the scenario forms on SQLite and PostgreSQL, with the clock fixed at NOW.

Instances are created by the engine (core.process.steps, run by core.process.capture), and their on-time
rate read by the cockpit (core.process.lights.rate): on time, late, still open (not due: counts nowhere)
and overdue (a miss)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.process import lights as cockpit
from core.process import capture as process
from core.process import steps
from core.base.query import Filters
from core.base.db import read_session, write_tx
from core.base.i18n import t
from core.base.models import (
    Activity, Attachment, AuditLog, CrossDeptRequest, Lead, ProcessStep, StepInstance, User,
)
from core.base.scope import COMPANY, ScopeError, scope_for
from tests.factories import NOW, add_customer, add_lead
from tests.process_samples import PHOTOS, VALID, happened, photos

WEEK = Filters.last_days(NOW.date(), 7)
HOUR = timedelta(hours=1)


def caller(session, user):
    """The scope ``user`` writes with."""
    return scope_for(session, session.get(User, user.id))


@pytest.fixture(autouse=True)
def uploads(tmp_path, monkeypatch):
    """Uploads of these tests go to a temporary directory."""
    monkeypatch.setenv("COCKPIT_UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


def customer(engine, owner, name="Fresh Co"):
    with write_tx(engine) as s:
        return add_customer(s, owner, name=name, created_at=NOW - timedelta(days=30)).id


def log(engine, user, scenario, now=NOW, values=None, **kw):
    """Log one form as ``user`` at ``now``; the Logged result."""
    if values is None:
        values = VALID[scenario]
    if PHOTOS.get(scenario) and "attachments" not in kw:
        kw["attachments"] = photos(PHOTOS[scenario])
    with write_tx(engine) as s:
        return process.log_scenario(s, caller(s, user), scenario, fields=values, now=now, **kw)


def rate(engine, user, code="needs_summary", at=NOW):
    with read_session(engine) as s:
        return cockpit.rate(scope_for(s, s.get(User, user.id)), s, code, WEEK, at)


def instances(engine, code="needs_summary"):
    with read_session(engine) as s:
        return s.execute(select(StepInstance).join(ProcessStep).where(ProcessStep.code == code)
                         .order_by(StepInstance.id)).scalars().all()


def counts(engine) -> dict:
    with read_session(engine) as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m))
                for m in (Activity, StepInstance, Attachment, CrossDeptRequest, AuditLog)}


# ---- on time, late, still open, overdue ----------------------------------------------------------

def test_a_first_visit_opens_its_needs_summary_and_closes_it_on_time(engine, org):
    cid = customer(engine, org.a1)
    assert rate(engine, org.a1) == (0, 0)
    got = log(engine, org.a1, "first_visit", customer_id=cid, happened_at=happened(3))
    visit, summary = got.companion, got.activity
    assert (visit.kind, summary.kind) == ("visit", "needs_summary")
    assert visit.happened_at == happened(3) and summary.happened_at == NOW and summary.logged_at == NOW
    assert summary.fields["concerns"] == ["价格", "交付周期", "售后响应"] and summary.fields["scenario"] == "first_visit"
    [inst] = instances(engine)
    assert (inst.trigger_activity_id, inst.completing_activity_id) == (visit.id, summary.id)
    assert inst.triggered_at == happened(3) and inst.due_at == happened(3) + 24 * HOUR
    assert inst.completed_at == NOW and inst.owner_id == org.a1.id and inst.team_id == org.alpha.id
    assert [i.id for i in got.opened] == [inst.id] and [i.id for i in got.closed] == [inst.id]
    assert rate(engine, org.a1) == (1, 1)


def test_on_time_late_still_open_and_overdue(engine, org):
    """Four first contacts (cold visits) of a1; needs summaries for two of them."""
    c = {name: customer(engine, org.a1, name) for name in ("on time", "late", "open", "overdue")}
    log(engine, org.a1, "cold_visit", now=happened(10), customer_id=c["on time"])
    log(engine, org.a1, "cold_visit", now=happened(30), customer_id=c["late"])
    log(engine, org.a1, "cold_visit", now=happened(3), customer_id=c["open"])
    log(engine, org.a1, "cold_visit", now=happened(30), customer_id=c["overdue"])
    assert len(instances(engine)) == 4
    # nothing done yet: the two visits 30 h ago are overdue misses, the others still inside 24 h
    assert rate(engine, org.a1) == (0, 2)
    log(engine, org.a1, "needs_summary", now=happened(2), customer_id=c["on time"])  # 8 h after the visit
    log(engine, org.a1, "needs_summary", now=NOW, customer_id=c["late"])  # 30 h after the visit
    by_customer = {i.customer_id: i for i in instances(engine)}
    assert by_customer[c["on time"]].completed_at == happened(2)
    assert by_customer[c["late"]].completed_at == NOW > by_customer[c["late"]].due_at
    assert by_customer[c["open"]].completed_at is None and by_customer[c["overdue"]].completed_at is None
    # the denominator holds only the decided: on time, late, overdue — not the one still open
    assert rate(engine, org.a1) == (1, 3)
    # a minute after the open one's deadline it counts as a miss too
    assert rate(engine, org.a1, at=happened(3) + 24 * HOUR + timedelta(minutes=1)) == (1, 4)
    # the lead sees the same instances, the other team's lead nothing
    assert rate(engine, org.lead_alpha) == (1, 3)
    assert rate(engine, org.lead_beta) == (0, 0)
    with read_session(engine) as s:
        late = cockpit.missed_records(scope_for(s, s.get(User, org.a1.id)), s, "needs_summary", WEEK, NOW)
    assert sorted(late["customer"]) == ["late", "overdue"]


def test_completing_exactly_at_the_deadline_is_on_time(engine, org):
    cid = customer(engine, org.a1)
    log(engine, org.a1, "cold_visit", now=happened(24), customer_id=cid)
    log(engine, org.a1, "needs_summary", now=NOW, customer_id=cid)
    assert rate(engine, org.a1) == (1, 1)


def test_a_summary_logged_a_week_late_is_late_whatever_time_it_gives(engine, org):
    """completed_at is when the summary was logged, not when the visit it describes happened."""
    cid = customer(engine, org.a1)
    got = log(engine, org.a1, "first_visit", customer_id=cid, happened_at=NOW - timedelta(days=7))
    [inst] = got.closed
    assert inst.due_at == NOW - timedelta(days=6) and inst.completed_at == NOW
    with read_session(engine) as s:
        scope = scope_for(s, s.get(User, org.a1.id))
        assert cockpit.rate(scope, s, "needs_summary", Filters.last_days(NOW.date(), 8), NOW) == (0, 1)


def test_only_the_first_contact_opens_a_needs_summary(engine, org):
    cid = customer(engine, org.a1)
    log(engine, org.a1, "cold_visit", now=happened(5), customer_id=cid)
    second = log(engine, org.a1, "cold_visit", now=happened(4), customer_id=cid)
    demo = log(engine, org.a1, "demo", now=happened(3), customer_id=cid)
    assert second.opened == () and demo.opened == ()
    assert len(instances(engine)) == 1
    # a needs summary is not a contact: written for a customer never contacted, it opens nothing
    other = customer(engine, org.a1, "Never contacted")
    assert log(engine, org.a1, "needs_summary", customer_id=other).opened == ()


def test_a_summary_closes_the_oldest_open_instance_and_one_only(engine, org):
    cid = customer(engine, org.a1)
    first = log(engine, org.a1, "objection", now=happened(50), customer_id=cid)
    second = log(engine, org.a1, "objection", now=happened(40), customer_id=cid)
    assert [len(first.opened), len(second.opened)] == [1, 1]
    update = log(engine, org.a1, "solution_update", now=happened(1), customer_id=cid)
    assert [i.id for i in update.closed] == [first.opened[0].id]
    again = log(engine, org.a1, "solution_update", customer_id=cid)
    assert [i.id for i in again.closed] == [second.opened[0].id]
    assert log(engine, org.a1, "solution_update", customer_id=cid).closed == ()


def test_an_action_does_not_close_a_step_triggered_after_it_happened(engine, org):
    cid = customer(engine, org.a1)
    log(engine, org.a1, "objection", customer_id=cid, happened_at=happened(1))
    update = log(engine, org.a1, "solution_update", customer_id=cid, happened_at=happened(2))
    assert update.closed == ()


def test_promotion_evidence_within_48_hours_with_three_photos(engine, org, uploads):
    cid = customer(engine, org.a1)
    promo = log(engine, org.a1, "promotion", now=happened(40), customer_id=cid)
    [inst] = promo.opened
    assert inst.due_at == happened(40) + 48 * HOUR
    with pytest.raises(process.InvalidActivity) as err:
        log(engine, org.a1, "promotion_evidence", customer_id=cid, attachments=photos(2))
    assert err.value.field == "photos"
    evidence = log(engine, org.a1, "promotion_evidence", customer_id=cid, values={"note": ""},
                   attachments=[*photos(3), process.files.Upload("说明.wav", b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 9)])
    assert evidence.activity.fields == {"photos": 3, "voice": 1, "scenario": "promotion_evidence"}
    assert [i.id for i in evidence.closed] == [inst.id]
    assert rate(engine, org.a1, "promotion_evidence") == (1, 1)
    assert len(list(uploads.iterdir())) == 4


# ---- the fixed interface: apply_triggers ----------------------------------------------------------

def test_apply_triggers_on_a_contact_logged_elsewhere_and_twice_changes_nothing(engine, org):
    """Another module (the lead desk) writes a call on a lead and calls apply_triggers."""
    with write_tx(engine) as s:
        lead = add_lead(s, org.a1, NOW - 5 * HOUR, company="Inbox Lead")
        call = Activity(kind="call", lead_id=lead.id, owner_id=org.a1.id, team_id=org.alpha.id,
                        happened_at=happened(4), logged_at=happened(4), fields={"summary": "首次电话"})
        s.add(call)
        s.flush()
        process.apply_triggers(s, call, NOW)
        process.apply_triggers(s, call, NOW)
    [inst] = instances(engine)
    assert inst.customer_id is None and inst.trigger_activity_id == call.id
    # the summary written on the lead closes it; applying the summary again closes nothing more
    got = log(engine, org.a1, "needs_summary", lead_id=lead.id)
    assert [i.id for i in got.closed] == [inst.id]
    with write_tx(engine) as s:
        process.apply_triggers(s, s.get(Activity, got.activity.id), NOW)
        process.apply_triggers(s, s.get(Activity, call.id), NOW)
    [inst] = instances(engine)
    assert inst.completing_activity_id == got.activity.id and inst.completed_at == NOW
    with read_session(engine) as s:  # the missed-records table names a lead by its company
        assert s.get(Lead, lead.id).next_action == "安排产品演示"


def test_a_contact_on_a_lead_sets_its_first_contact(engine, org):
    with write_tx(engine) as s:
        lead_id = add_lead(s, org.a1, NOW - 6 * HOUR, company="Walk-in Co").id
    got = log(engine, org.a1, "cold_visit", lead_id=lead_id, happened_at=happened(2),
              values=dict(VALID["cold_visit"], next_action="约见科室主任", next_action_at=NOW + 24 * HOUR))
    assert len(got.opened) == 1
    with read_session(engine) as s:
        lead = s.get(Lead, lead_id)
        assert (lead.first_contact_at, lead.status, lead.last_activity_at) == (happened(2), "contacted", happened(2))
        assert (lead.next_action, lead.next_action_at) == ("约见科室主任", NOW + 24 * HOUR)


# ---- step rules ----------------------------------------------------------------------------------

def admin(engine):
    with write_tx(engine) as s:
        from tests.factories import add_user

        return add_user(s, "ada", "Ada Admin", "admin")


def current(engine, code):
    with read_session(engine) as s:
        df = steps.step_rules(COMPANY, s)
    return df.set_index("code").loc[code].to_dict()


def test_an_admin_changes_a_window_for_new_triggers_only(engine, org):
    ada = admin(engine)
    first = customer(engine, org.a1, "before")
    log(engine, org.a1, "cold_visit", now=happened(10), customer_id=first)
    before = current(engine, "needs_summary")
    with write_tx(engine) as s:
        steps.save_step(s, caller(s, ada), "needs_summary", "Needs summary", "需求纪要", "first_contact",
                          "needs_summary", 8, ["problem", "next_action"], True, expected=before, now=NOW)
    second = customer(engine, org.a1, "after")
    log(engine, org.a1, "cold_visit", now=happened(10), customer_id=second)
    old, new = instances(engine)
    assert old.due_at == happened(10) + 24 * HOUR  # kept the deadline it was given
    assert new.due_at == happened(10) + 8 * HOUR
    with read_session(engine) as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "process_step")).one()
    assert (audit.action, audit.entity_id, audit.user_id) == ("update", "needs_summary", ada.id)
    assert audit.detail == {"within_hours": {"old": 24.0, "new": 8.0},
                            "required_fields": {"old": ["problem", "concerns", "next_action", "next_action_at"],
                                                "new": ["problem", "next_action"]}}
    # the new window counts: the second summary (logged now, 10 h after) is late, the first on time
    log(engine, org.a1, "needs_summary", customer_id=first)
    log(engine, org.a1, "needs_summary", customer_id=second)
    assert rate(engine, org.a1) == (1, 2)


def test_a_deactivated_step_opens_nothing_and_leaves_the_cockpit(engine, org):
    ada = admin(engine)
    rule = current(engine, "needs_summary")
    with write_tx(engine) as s:
        steps.save_step(s, caller(s, ada), "needs_summary", rule["name_en"], rule["name_zh"], rule["trigger"],
                          rule["action"], rule["within_hours"], rule["required_fields"], False, now=NOW)
    assert log(engine, org.a1, "cold_visit", customer_id=customer(engine, org.a1)).opened == ()
    with read_session(engine) as s:
        assert "needs_summary" not in [c for c, _, _ in cockpit.light_codes(s)]


def test_a_new_rule_opens_instances_and_becomes_a_light(engine, org):
    ada = admin(engine)
    with write_tx(engine) as s:
        steps.save_step(s, caller(s, ada), "complaint_handled", "Complaint handled", "投诉闭环", "complaint",
                          "solution_update", 12, ["progress"], True, now=NOW)
    cid = customer(engine, org.a1)
    got = log(engine, org.a1, "complaint", now=happened(5), customer_id=cid)
    assert [i.due_at for i in got.opened] == [happened(5) + 12 * HOUR]
    log(engine, org.a1, "solution_update", customer_id=cid)
    assert rate(engine, org.a1, "complaint_handled") == (1, 1)
    with read_session(engine) as s:
        assert ("complaint_handled", "Complaint handled", "投诉闭环") in cockpit.light_codes(s)


@pytest.mark.parametrize("change, field", [
    (dict(code="Bad Code"), "code"), (dict(name_zh=" "), "name_zh"), (dict(name_en="x" * 81), "name_en"),
    (dict(trigger="weather"), "trigger"), (dict(action="call"), "action"),
    (dict(trigger="objection", action="objection"), "action"), (dict(within_hours=0), "within_hours"),
    (dict(within_hours="soon"), "within_hours"), (dict(within_hours=721), "within_hours"),
    (dict(required_fields=[]), "required_fields"), (dict(required_fields=["progress"]), "required_fields"),
    (dict(active="yes"), "active"),
])
def test_a_bad_rule_is_refused_at_its_field_and_saves_nothing(engine, org, change, field):
    ada = admin(engine)
    before = counts(engine)
    values = dict(code="needs_summary", name_en="Needs summary", name_zh="需求纪要", trigger="first_contact",
                  action="needs_summary", within_hours=24, required_fields=["problem"], active=True) | change
    with pytest.raises(steps.InvalidStep) as err:
        with write_tx(engine) as s:
            steps.save_step(s, caller(s, ada), now=NOW, **values)
    assert err.value.field == field
    assert t("zh", f"process.f.{field}") in err.value.message("zh")
    assert counts(engine) == before
    assert current(engine, "needs_summary")["within_hours"] == 24.0


def test_a_rule_changed_meanwhile_is_a_conflict_and_only_admins_edit(engine, org):
    ada = admin(engine)
    opened = current(engine, "solution_update")
    args = ("solution_update", "Solution update", "异议方案进展", "objection", "solution_update")
    with write_tx(engine) as s:
        steps.save_step(s, caller(s, ada), *args, 48, ["progress"], True, expected=opened, now=NOW)
    with pytest.raises(steps.StepConflict):
        with write_tx(engine) as s:
            steps.save_step(s, caller(s, ada), *args, 96, ["progress"], True, expected=opened, now=NOW)
    assert current(engine, "solution_update")["within_hours"] == 48.0
    for user in (org.director, org.lead_alpha, org.a1):
        with pytest.raises(ScopeError):
            with write_tx(engine) as s:
                steps.save_step(s, caller(s, user), *args, 12, ["progress"], True, now=NOW)


# ---- forms: nothing saved on a refusal; who may log what ---------------------------------------

@pytest.mark.parametrize("scenario", sorted(VALID))
def test_each_scenario_rejects_each_missing_required_field_and_saves_nothing(engine, org, uploads, scenario):
    cid = customer(engine, org.a1)
    before = counts(engine)
    sc = process.scenario_for(scenario)
    for key in sc.required:
        values = {k: v for k, v in VALID[scenario].items() if k != key}
        files = photos(PHOTOS.get(scenario, 0) if key != "photos" else 2)
        with pytest.raises(process.InvalidActivity) as err:
            log(engine, org.a1, scenario, customer_id=cid, values=values, attachments=files)
        assert set(err.value.errors) == {key}, key
        assert counts(engine) == before
        assert not uploads.exists() or not any(uploads.iterdir())
    # and the complete form is saved
    log(engine, org.a1, scenario, customer_id=cid)
    assert counts(engine)["Activity"] == before["Activity"] + (2 if sc.companion else 1)


def test_a_rep_logs_only_for_own_customers_and_leads(engine, org):
    mine, theirs = customer(engine, org.a1), customer(engine, org.a2, "Ann's")
    with write_tx(engine) as s:
        their_lead = add_lead(s, org.b1, NOW - HOUR).id
    before = counts(engine)
    for kw in (dict(customer_id=theirs), dict(lead_id=their_lead), dict(customer_id=999), dict(customer_id="1"),
               dict()):
        with pytest.raises(process.InvalidActivity) as err:
            log(engine, org.a1, "cold_visit", **kw)
        assert err.value.field == "customer_id"
    assert counts(engine) == before
    # a lead logs for the customers of the team led, not for another team's
    got = log(engine, org.lead_alpha, "cold_visit", customer_id=theirs)
    assert (got.activity.owner_id, got.activity.team_id) == (org.lead_alpha.id, org.alpha.id)
    with pytest.raises(process.InvalidActivity):
        log(engine, org.lead_beta, "cold_visit", customer_id=mine)
    # the director does not log visits
    with pytest.raises(ScopeError):
        log(engine, org.director, "cold_visit", customer_id=mine)


def test_the_time_of_an_activity_is_now_or_up_to_the_setting_back(engine, org):
    cid = customer(engine, org.a1)
    for when, key in ((NOW + timedelta(minutes=1), "process.err.future"),
                      (NOW - timedelta(days=15), "process.err.too_old")):
        with pytest.raises(process.InvalidActivity) as err:
            log(engine, org.a1, "cold_visit", customer_id=cid, happened_at=when)
        assert (err.value.field, err.value.msg_key) == ("happened_at", key)
    got = log(engine, org.a1, "cold_visit", customer_id=cid, happened_at=NOW - timedelta(days=14))
    assert (got.activity.happened_at, got.activity.logged_at) == (NOW - timedelta(days=14), NOW)


def test_a_needs_summary_opens_a_request_to_another_department(engine, org):
    cid = customer(engine, org.a1)
    got = log(engine, org.a1, "first_visit", customer_id=cid, request=("support", "需要技术人员陪同演示"))
    with read_session(engine) as s:
        req = s.scalars(select(CrossDeptRequest)).one()
    assert (req.customer_id, req.owner_id, req.team_id, req.department, req.subject, req.requested_at) == (
        cid, org.a1.id, org.alpha.id, "support", "需要技术人员陪同演示", NOW)
    assert got.request.id == req.id
    before = counts(engine)
    for request, field in ((("legal", "x"), "request_department"), (("support", " "), "request_subject")):
        with pytest.raises(process.InvalidActivity) as err:
            log(engine, org.a1, "first_visit", customer_id=cid, request=request)
        assert err.value.field == field
    with pytest.raises(process.InvalidActivity) as err:  # only needs summaries open requests
        log(engine, org.a1, "demo", customer_id=cid, request=("support", "陪同演示"))
    assert err.value.field == "request_department"
    assert counts(engine) == before


def test_log_activity_is_the_one_call_form(engine, org):
    cid = customer(engine, org.a1)
    with write_tx(engine) as s:
        activity = process.log_activity(s, caller(s, org.a1), "visit", cid, None, None,
                                        {"outcome": "客户同意安排演示", "effective": False}, happened(2), NOW,
                                        attachments=[], note="门卫不让进，改约下周")
    assert (activity.kind, activity.effective, activity.note) == ("visit", False, "门卫不让进，改约下周")
    assert activity.fields == {"outcome": "客户同意安排演示", "scenario": "cold_visit"}
    assert len(instances(engine)) == 1


def test_the_saved_record_shows_its_fields_files_and_steps(engine, org):
    cid = customer(engine, org.a1)
    got = log(engine, org.a1, "first_visit", customer_id=cid, attachments=photos(2))
    with read_session(engine) as s:
        mine = process.saved_records(scope_for(s, s.get(User, org.a1.id)), s, got.activity_ids)
        other = process.saved_records(scope_for(s, s.get(User, org.a2.id)), s, got.activity_ids)
        lead = process.saved_records(scope_for(s, s.get(User, org.lead_alpha.id)), s, got.activity_ids)
    assert other == [] and [r.id for r in lead] == list(got.activity_ids)
    visit, summary = mine
    assert (visit.kind, visit.scenario, summary.scenario, summary.customer) == ("visit", "first_visit", "first_visit",
                                                                                "Fresh Co")
    assert [(e.code, e.effect) for e in visit.steps] == [("needs_summary", "opened")]
    assert [(e.code, e.effect, e.on_time) for e in summary.steps] == [("needs_summary", "closed", True)]
    assert [f.original_name for f in summary.attachments] == ["shelf0.jpg", "shelf1.jpg"]
    assert dict(summary.fields)["photos"] == 2


def test_the_forms_reads_follow_scope(engine, org):
    mine = customer(engine, org.a1, "Mine")
    customer(engine, org.a2, "Ann's")
    with write_tx(engine) as s:
        add_lead(s, org.a1, NOW - HOUR, company="My Lead")
        add_lead(s, org.a1, NOW - 2 * HOUR, company="Lost Lead").status = "lost"
    log(engine, org.a1, "objection", customer_id=mine, now=happened(100))
    with read_session(engine) as s:
        scope = scope_for(s, s.get(User, org.a1.id))
        options = process.subject_options(scope, s)
        steps = process.open_steps(scope, s, NOW)
        recent = process.recent_activities(scope, s)
    # most recently worked first; open leads only; nothing of Ann's
    assert list(options["name"]) == ["My Lead", "Mine"]
    assert list(options["key"]) == [options["key"][0], f"c{mine}"] and options["key"][0].startswith("l")
    assert list(steps["code"]) == ["solution_update"] and steps["hours_left"].iloc[0] == -28.0
    assert list(recent["scenario"]) == ["objection"] and list(recent["customer"]) == ["Mine"]
    assert list(recent["form"]) == ["objection"]


def test_recent_records_name_their_form_and_the_visit_beside_a_summary_its_kind(engine, org):
    cid = customer(engine, org.a1)
    log(engine, org.a1, "first_visit", customer_id=cid)
    with write_tx(engine) as s:  # a call logged elsewhere (the lead desk) has no form
        s.add(Activity(kind="call", customer_id=cid, owner_id=org.a1.id, team_id=org.alpha.id, happened_at=NOW,
                       logged_at=NOW + HOUR, fields={}))
    with read_session(engine) as s:
        recent = process.recent_activities(caller(s, org.a1), s)
    assert list(zip(recent["kind"], recent["scenario"], recent["form"])) == [
        ("call", "", ""), ("needs_summary", "first_visit", "first_visit"), ("visit", "first_visit", "")]
