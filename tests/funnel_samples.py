"""Hand-made deals for the funnel's tests (stage moves, diagnosis, jobs).

``add_deal(s, owner, "D1", [("proposal", T1), ("negotiation", T2)])`` makes a customer, an
opportunity and its stage history: each stay ends when the next begins; a final won / lost closes
the deal. ``drop_dataset`` builds the conversion drop the diagnosis tests and the job tests share.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.base.models import Customer, Opportunity, StageHistory, User
from core.base.vocabulary import STAGES
from tests.factories import NOW, Org

D = timedelta(days=1)


def add_deal(s: Session, owner: User, name: str, moves: list[tuple[str, datetime]], amount: float = 1000, *,
             product: str = "ct", source: str = "website", customer_type: str = "clinic") -> Opportunity:
    cust = Customer(name=f"{name} Co", phone="", industry="health", size="medium", customer_type=customer_type,
                    heat="warm", owner_id=owner.id, team_id=owner.team_id, created_at=moves[0][1] - 10 * D,
                    updated_at=moves[0][1] - 10 * D)
    s.add(cust)
    s.flush()
    status = moves[-1][0] if moves[-1][0] in ("won", "lost") else "open"
    last = [m for m in moves if m[0] in STAGES][-1]
    opp = Opportunity(name=name, customer_id=cust.id, owner_id=owner.id, team_id=owner.team_id, product=product,
                      source_channel=source, amount=amount, stage=last[0], status=status, stage_entered_at=last[1],
                      created_at=moves[0][1], closed_at=moves[-1][1] if status != "open" else None,
                      lost_reason="lost" if status == "lost" else "")
    s.add(opp)
    s.flush()
    for i, (stage, at) in enumerate(moves):
        left = moves[i + 1][1] if i + 1 < len(moves) and stage in STAGES else None
        s.add(StageHistory(opportunity_id=opp.id, stage=stage, entered_at=at, left_at=left, by_user_id=owner.id,
                           evidence="", note=""))
    s.flush()
    return opp


# NOW is Monday 23 Nov 2026 12:00: the last complete week is 16–22 Nov, its trailing level 19 Oct – 15 Nov.
WEEK_TUESDAYS = [datetime(2026, 10, 20, 10), datetime(2026, 10, 27, 10), datetime(2026, 11, 3, 10),
                 datetime(2026, 11, 10, 10), datetime(2026, 11, 17, 10)]
assert WEEK_TUESDAYS[-1] < NOW


def drop_dataset(s: Session, org: Org, dropping: str = "ct", steady: str = "us") -> dict:
    """Deals entering "proposal" every Tuesday of the five weeks, four per rep and week: two of
    product ``dropping`` and two of ``steady``. Every deal is decided three days after it entered
    (moved on to negotiation, or lost). a1 and b1 deal with clinics, a2 and b2 with hospitals; a1 and
    a2 come from expos, b1 and b2 from the website, so no other dimension lines up with the product.

        trailing 4 weeks   a1, a2, b1 move every deal on; b2 loses both products   → 75 % (48 of 64)
        last week          a1, a2, b1 move on their ``steady`` deals, lose their ``dropping`` ones;
                           b2 loses everything                                    → 37.5 % (6 of 16)

    So the whole drop (37.5 points) comes from ``dropping``: its rate goes 75 % → 0 %, ``steady``
    holds 75 %. Returns counts for the tests."""
    customer = {org.a1.id: "clinic", org.b1.id: "clinic", org.a2.id: "hospital", org.b2.id: "hospital"}
    source = {org.a1.id: "expo", org.a2.id: "expo", org.b1.id: "website", org.b2.id: "website"}
    n = 0
    for week, tuesday in enumerate(WEEK_TUESDAYS):
        last_week = week == len(WEEK_TUESDAYS) - 1
        for rep in org.reps:
            for product in (dropping, steady) * 2:
                lost = rep.id == org.b2.id or (last_week and product == dropping)
                after = ("lost" if lost else "negotiation", tuesday + 3 * D)
                n += 1
                add_deal(s, rep, f"{product}-{rep.username}-w{week}-{n}", [("proposal", tuesday), after],
                         product=product, source=source[rep.id], customer_type=customer[rep.id])
    return {"deals": n}
