"""The lead inbox's part of the demo (SPEC §3): rep1's inbox holds a fresh lead in each situation the
message templates cover, and a customer of rep2 — 杭州越州酒业有限公司, 138 0013 8000, with the
converted lead it came from — that a lead entered as "越州酒业" (or with that phone in any format)
runs into in the duplicate check.

rep1's leads, relative to the demo's "now":
- 宁波华泰医疗器械有限公司, A, called 22 h ago, proposal still to send (about 24 h left): the 23 h
  reminder message;
- 嘉兴新联电子科技有限公司, B, called yesterday, demo not yet booked: the demo invitation;
- 绍兴嘉禾酒业有限公司, B, entered 3 h ago, not yet contacted: the first-contact message;
- 湖州瑞丰物流有限公司, C, entered 52 h ago and never contacted: overdue, the apology for a late
  first contact.
Each first contact goes through core.process.capture.apply_triggers, so it opens its needs summary like any
logged contact. Called from data/demo.py (the "lead desk demo" marker) in the seed's last transaction.
(The routing rules and the lead pool of the demo are data/demo_lead_desk.py.)
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.base.models import Activity, Customer, Lead, LeadAssignment, Team, User

H = timedelta(hours=1)

# company, contact, phone, channel, industry, size, grade, created (h ago), first contact (h ago), next action, due in (h)
LEADS = (
    ("宁波华泰医疗器械有限公司", "陈主任", "13957401234", "展会", "医疗", "medium", "A", 23.5, 22.0, "发送初步方案", 3.0),
    ("嘉兴新联电子科技有限公司", "周经理", "0573-8221 6688", "官网", "制造", "small", "B", 30.0, 28.0, "约产品演示", 25.5),
    ("绍兴嘉禾酒业有限公司", "孙总", "13867512345", "转介绍", "酒业", "medium", "B", 3.0, None, "首次电话联系", 1.0),
    ("湖州瑞丰物流有限公司", "", "15157298765", "线上广告", "物流", "small", "C", 52.0, None, "首次电话联系", 0.5),
)


def seed_lead_desk(session: Session, now: datetime) -> dict[str, int]:
    """rep1's four leads and rep2's customer 杭州越州酒业有限公司 with its lead; the rows written per table."""
    rep1, rep2 = (session.scalar(select(User).where(User.username == name)) for name in ("rep1", "rep2"))
    if rep1 is None or rep2 is None:
        return {}
    region_id = session.scalar(select(Team.region_id).where(Team.id == rep1.team_id))
    customer = Customer(name="杭州越州酒业有限公司", phone="13800138000", tax_id=None, industry="酒业", size="medium",
                        customer_type="经销商", heat="warm", region_id=region_id, owner_id=rep2.id,
                        team_id=rep2.team_id, created_at=now - 200 * H, updated_at=now - 30 * H)
    session.add(customer)
    session.flush()
    # the lead it came from (a trade fair, converted), so opening the customer shows its lead
    first = now - 230 * H
    old = Lead(customer_id=customer.id, company="越州酒业", contact_name="王经理", phone="13800138000",
               source_channel="展会", industry="酒业", size="medium", region_id=region_id, grade="A", status="converted",
               owner_id=rep2.id, team_id=rep2.team_id, created_at=first, assigned_at=first, first_contact_at=first + 3 * H,
               last_activity_at=now - 30 * H, next_action="", next_action_at=None, converted_at=now - 200 * H, version=1)
    session.add(old)
    session.flush()
    session.add(LeadAssignment(lead_id=old.id, from_user_id=None, to_user_id=rep2.id, team_id=rep2.team_id,
                               reason="routed", at=first, by_user_id=None))
    activities = []
    for company, contact, phone, channel, industry, size, grade, created_h, contact_h, action, due_h in LEADS:
        created = (now - created_h * H).replace(second=0, microsecond=0)
        contacted = None if contact_h is None else (now - contact_h * H).replace(second=0, microsecond=0)
        lead = Lead(company=company, contact_name=contact, phone=phone.replace("-", "").replace(" ", ""),
                    source_channel=channel, industry=industry, size=size, region_id=region_id, grade=grade,
                    status="contacted" if contacted else "new", owner_id=rep1.id, team_id=rep1.team_id,
                    created_at=created, assigned_at=created + timedelta(minutes=5), first_contact_at=contacted,
                    last_activity_at=contacted, next_action=action,
                    next_action_at=(now + due_h * H).replace(minute=0, second=0, microsecond=0), version=1)
        session.add(lead)
        session.flush()
        session.add(LeadAssignment(lead_id=lead.id, from_user_id=None, to_user_id=rep1.id, team_id=rep1.team_id,
                                   reason="routed", at=lead.assigned_at, by_user_id=None))
        if contacted is not None:
            activity = Activity(kind="call", customer_id=None, lead_id=lead.id, owner_id=rep1.id, team_id=rep1.team_id,
                                happened_at=contacted, logged_at=contacted + timedelta(minutes=10), effective=True,
                                fields={"next_action": action, "first_contact": True}, note="首次电话沟通，客户有明确需求")
            session.add(activity)
            activities.append(activity)
    session.flush()
    try:
        from core.process import capture as process
    except ModuleNotFoundError as exc:  # the process steps are another area's; without them, no steps
        if exc.name != "core.process.capture":
            raise
    else:
        for activity in activities:
            process.apply_triggers(session, activity, now)
    return {"lead_desk_leads": len(LEADS) + 1, "lead_desk_customers": 1}
