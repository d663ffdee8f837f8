"""Demo incentives (SPEC §8): the first version of the incentive model,
the points ledger of the demo's key actions, each team's month standing (PSI and complaints), and
the team with the best PSI this month, whose complaints trip its circuit breaker (so 30 % of a real
process pool is frozen)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from core.base import rules
from core.base.models import Activity, IncentiveModel, Team, TeamStanding, User
from core.people import incentives, scorecard

COMPLAINT_NOTES = ("交付延迟，客户投诉到总部", "安装后设备反复报警，客户不满", "发票开错两次，客户投诉")


def seed_incentives(session: Session, now: datetime) -> dict[str, int]:
    settings = rules.all_settings(session)
    director = session.scalar(select(User.id).where(User.username == "director"))
    params = incentives.default_params(settings)
    session.add(IncentiveModel(version=1, params={k: getattr(params, k) for k in incentives.NUMBERS}
                               | {"strategic_industries": list(params.strategic_industries)},
                               note="首个版本：按系统默认权重", created_by=director, created_at=now))
    session.flush()
    lines = incentives.points_ledger(session, now)
    incentives.incentive_standings(session, now)
    month = scorecard.month_of(now)
    best = session.scalar(select(TeamStanding.team_id).where(TeamStanding.month == month, TeamStanding.psi.is_not(None))
                          .order_by(TeamStanding.psi.desc(), TeamStanding.team_id).limit(1))
    tripped = 0 if best is None else _trip(session, now, best, params.breaker_threshold_pct)
    standings = incentives.incentive_standings(session, now)
    return {"points_lines": lines, "standings": standings, "complaints_added": tripped}


def _trip(session: Session, now: datetime, team_id: int, threshold: float) -> int:
    """Complaints of this month on enough of the team's active customers that its rate is well above
    the threshold; the number of complaint activities added."""
    team = session.get(Team, team_id)
    start, _ = scorecard.parse_month(scorecard.month_of(now))
    a = Activity
    in_month = (a.team_id == team.id, a.happened_at >= start, a.happened_at <= now, a.customer_id.is_not(None))
    active = session.scalar(select(func.count(distinct(a.customer_id))).where(*in_month)) or 0
    complained = set(session.scalars(select(a.customer_id).distinct().where(*in_month, a.kind == scorecard.COMPLAINT_KIND)))
    wanted = int(active * (threshold + 5) / 100) + 1
    rows = session.execute(select(a.customer_id, func.min(a.owner_id), func.max(a.happened_at)).where(*in_month)
                           .group_by(a.customer_id).order_by(a.customer_id)).all()
    added = 0
    for cid, owner, last in rows:
        if len(complained) >= wanted:
            break
        if cid in complained:
            continue
        session.add(Activity(kind=scorecard.COMPLAINT_KIND, customer_id=cid, owner_id=owner, team_id=team.id,
                             happened_at=last, logged_at=last, effective=True,
                             fields={"issue": COMPLAINT_NOTES[added % len(COMPLAINT_NOTES)]}, note=""))
        complained.add(cid)
        added += 1
    session.flush()
    return added
