"""The morning brief pushed to the channels that take it (SPEC §9): once per working day, from
``brief_push_hour`` on, each active user whose own channel — or whose team's, for a lead — takes
briefs gets their own brief (core.process.brief, in their scope and language) through
core.notify.delivery.deliver_text; the day's key makes a second run push nothing again."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.base import config, rules
from core.base.models import Channel, Team, User
from core.base.scope import scope_for
from core.base.i18n import t
from core.notify import delivery
from core.process import brief as briefs


def readers(session: Session) -> list[User]:
    """The active users with a channel of their own, or of a team they lead, that takes briefs."""
    takes = select(Channel.user_id, Channel.team_id).where(Channel.active.is_(True), Channel.send_brief.is_(True))
    rows = session.execute(takes).all()
    users = {r.user_id for r in rows if r.user_id is not None}
    teams = {r.team_id for r in rows if r.team_id is not None}
    return list(session.scalars(select(User).where(
        User.active.is_(True),
        or_(User.id.in_(users), User.id.in_(select(Team.lead_user_id).where(Team.id.in_(teams)))))
        .order_by(User.id)))


def push_brief(session: Session, now: datetime) -> int:
    """Push today's brief to each reader's channels, Monday to Friday from ``brief_push_hour``;
    returns how many deliveries got through now (failures are retried by deliver_alerts)."""
    settings = rules.all_settings(session)
    if now.weekday() >= 5 or now.hour < int(settings["brief_push_hour"]):
        return 0
    base = config.load().public_url
    sent = 0
    for user in readers(session):
        lang = user.language or settings["default_language"]
        text = briefs.brief(scope_for(session, user), session, now, lang)
        sent += delivery.deliver_text(session, [user.id], t(lang, "brief.title"), text.markdown(base), now,
                                      dedupe_key=f"brief:{user.id}:{now.date().isoformat()}")
    return sent
