"""The funnel's part of the demo (SPEC §4): one conversion drop for the director to find.

In the last complete week before the demo's "now", proposal → negotiation conversion of one product
(耗材, consumables — about four deals in ten) falls to about 30 % while the other products hold
their usual ~85 %: a competitor cut its consumables prices, and several of the consumables deals
that entered "proposal submitted" that week were lost within days. Company-wide that stage's
weekly conversion then falls well over 15 points below its 4-week level, and the diagnosis names
耗材 first. The conversion_drop job runs once at the end, so the director's inbox has the alert.

Called from data/demo.py (the "funnel demo" marker) inside the seed's last transaction.
"""
from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from core.funnel import diagnosis
from core.base.models import Activity, Opportunity, StageHistory
from core.base.scope import COMPANY

DROP_STAGE = "proposal"
DROP_PRODUCT = "耗材"
DROP_RATE = 0.30  # the product's conversion in the week after the drop
LOST_REASONS = ("选择了竞品", "竞品耗材降价约15%，客户改选", "价格超出预算")


def _product_week(session: Session, now: datetime) -> tuple[int, int]:
    """(decided, moved on) of DROP_PRODUCT's entries into DROP_STAGE in the last complete week."""
    check = next(c for c in diagnosis.conversion_check(COMPANY, session, now, explain_all=True)
                 if c.stage == DROP_STAGE)
    product = next((b for b in check.breakdowns if b.by == "product"), None)
    seg = next((s for s in product.segments if s.key == DROP_PRODUCT), None) if product else None
    return (seg.decided_now, seg.moved_now) if seg else (0, 0)


def seed_conversion_drop(session: Session, now: datetime, seed: int = 11) -> dict[str, int]:
    """Lose enough of DROP_PRODUCT's undecided proposal deals of the last complete week that the
    product's conversion that week is about DROP_RATE; returns the rows changed."""
    week_start, week_end = diagnosis.last_complete_week(now)
    start = datetime.combine(week_start, datetime.min.time())
    end = datetime.combine(week_end + timedelta(days=1), datetime.min.time())
    o = Opportunity
    candidates = session.execute(
        select(o.id, o.owner_id, o.customer_id, o.stage_entered_at)
        .where(o.status == "open", o.stage == DROP_STAGE, o.product == DROP_PRODUCT,
               o.stage_entered_at >= start, o.stage_entered_at < min(end, now - timedelta(hours=36)))
        .order_by(o.id)).all()
    decided, moved = _product_week(session, now)
    wanted = max(0, math.ceil(moved / DROP_RATE) - decided) if moved else min(3, len(candidates))
    rng = random.Random(seed)
    chosen = sorted(rng.sample(candidates, min(wanted, len(candidates))), key=lambda r: r.id)
    if not chosen:
        return {"funnel_drop_deals": 0, "conversion_drop_alerts": 0}
    ids = [r.id for r in chosen]
    a = Activity  # customer_id is indexed: it narrows the activities before the opportunity test
    last_activity = dict(session.execute(
        select(a.opportunity_id, func.max(a.happened_at))
        .where(a.customer_id.in_({r.customer_id for r in chosen}), a.opportunity_id.in_(ids))
        .group_by(a.opportunity_id)).all())
    latest = now - timedelta(hours=1)
    lost_rows, closes = [], []
    for r in chosen:
        # lost one to four days after entering proposal, after the last recorded activity, before now
        span = min(4.0, (latest - r.stage_entered_at) / timedelta(days=1))
        at = r.stage_entered_at + timedelta(days=rng.uniform(1.0, span))
        if r.id in last_activity:
            at = max(at, last_activity[r.id] + timedelta(hours=rng.uniform(1, 6)))
        at = min(at, latest).replace(microsecond=0)
        reason = rng.choice(LOST_REASONS)
        closes.append(dict(oid=r.id, at=at, reason=reason))
        lost_rows.append(dict(opportunity_id=r.id, stage="lost", entered_at=at, left_at=None, by_user_id=r.owner_id,
                              evidence="", note=reason))
    conn = session.connection()
    h, opps = StageHistory.__table__, Opportunity.__table__
    conn.execute(update(h).where(h.c.opportunity_id == bindparam("oid"), h.c.left_at.is_(None))
                 .values(left_at=bindparam("at")), closes)
    conn.execute(update(opps).where(opps.c.id == bindparam("oid"))
                 .values(status="lost", closed_at=bindparam("at"), lost_reason=bindparam("reason")), closes)
    session.execute(insert(StageHistory), lost_rows)
    alerts = diagnosis.conversion_drop_job(session, now)
    return {"funnel_drop_deals": len(chosen), "conversion_drop_alerts": alerts}
