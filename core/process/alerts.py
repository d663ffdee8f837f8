"""The persistent low-rate alert (SPEC §5), run by ``python -m cli run-jobs``.

When a team's on-time rate of a cockpit light (the 48 h first response, or an active key step)
is below ``team_low_rate`` (70 %) on each of the last ``team_low_rate_days`` (3) days in a row, the
team's lead gets an alert naming the light, the daily rates, and the ``low_rate_top_issues`` (3)
most common open issues of the team's customers not updated in ``low_rate_stale_days`` (7) days.

- A day's rate is the cockpit's daily rate for the team (core.process.lights.daily_series: of the items
  created or triggered that day, those decided at ``now`` — done, or past their deadline).
- The days judged are the last N *complete* days of the light: days whose every deadline has passed
  at ``now`` (the day's end plus the light's window — 48 h for first response, the step's hours).
  A day still inside its window counts only what was already done, almost all of it on time, so it
  would always look good and hide a team that is falling behind. A run at 08:30 on the 23rd judges
  needs summaries (24 h) of the 19th–21st, promotion evidence (48 h) and first response of the
  18th–20th, solution updates (72 h) of the 17th–19th.
- A day with nothing decided has no rate: it breaks the run (no data is not a low rate). Exactly at
  the threshold is not below it.
- A customer is "not updated" when neither the customer record nor any activity with it (by when it
  happened or was logged) is newer than the window.
- One alert per team, light and day (dedupe key), so running the job again changes nothing; a team
  still low the next day gets that day's alert. Teams without an active lead are skipped.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.base.query import Filters
from core.process import lights as cockpit
from core.base import rules
from core.base.i18n import t
from core.base.jobs import ensure_alert, language_of
from core.base.models import Activity, Customer, CustomerIssue, ProcessStep, Team, User
from core.base.scope import COMPANY

KIND = "team_low_rate"


def last_complete_day(now: datetime, window_hours: float) -> date:
    """The last day whose items are all decided at ``now``: its end plus the window lies before ``now``."""
    return (now - timedelta(hours=window_hours)).date() - timedelta(days=1)


def windows(session: Session, settings: dict) -> dict[str, float]:
    """Each light's window in hours: the first response's, and each active step's."""
    steps = dict(session.execute(select(ProcessStep.code, ProcessStep.within_hours)
                                 .where(ProcessStep.active.is_(True))).all())
    return {cockpit.FIRST_RESPONSE: settings["first_response_hours"], **steps}


def low_days(session: Session, team_id: int, code: str, now: datetime, settings: dict,
             window_hours: float) -> list[tuple[date, float]] | None:
    """The (day, rate %) of the light's last team_low_rate_days complete days when every one of them
    is below team_low_rate; None otherwise."""
    days = settings["team_low_rate_days"]
    end = last_complete_day(now, window_hours)
    window = Filters(end - timedelta(days=days - 1), end, team_id=team_id)
    series = cockpit.daily_series(COMPANY, session, code, window, now)
    rates = series["rate"]
    if len(series) != days or rates.isna().any() or not (rates < settings["team_low_rate"]).all():
        return None
    return [(r.day, float(r.rate)) for r in series.itertuples()]


def stale_issue_titles(session: Session, team_id: int, now: datetime, settings: dict) -> list[tuple[str, int]]:
    """(title, open issues) of the most common open issue titles of the team's customers not updated
    in low_rate_stale_days days, most common first."""
    since = now - timedelta(days=settings["low_rate_stale_days"])
    touched = select(Activity.customer_id).where(
        Activity.customer_id.is_not(None), or_(Activity.happened_at >= since, Activity.logged_at >= since))
    n = func.count(CustomerIssue.id)
    stmt = (select(CustomerIssue.title, n.label("n"))
            .join(Customer, Customer.id == CustomerIssue.customer_id)
            .where(Customer.team_id == team_id, CustomerIssue.closed_at.is_(None), Customer.updated_at < since,
                   Customer.id.not_in(touched))
            .group_by(CustomerIssue.title).order_by(n.desc(), CustomerIssue.title)
            .limit(settings["low_rate_top_issues"]))
    return [(title, int(count)) for title, count in session.execute(stmt)]


def message(lang: str, team: str, light: str, low: list[tuple[date, float]], issues: list[tuple[str, int]],
            settings: dict) -> str:
    sep = t(lang, "list.sep")
    rates = sep.join(t(lang, "lowrate.day_rate", day=f"{d:%m-%d}", rate=f"{r:.0f}") for d, r in low)
    head = t(lang, "lowrate.alert", team=team, light=light, threshold=f"{settings['team_low_rate']:g}",
             days=len(low), rates=rates)
    stale = settings["low_rate_stale_days"]
    if not issues:
        return head + t(lang, "lowrate.no_issues", stale=stale)
    listed = sep.join(t(lang, "lowrate.issue", title=title, n=n) for title, n in issues)
    return head + t(lang, "lowrate.issues", stale=stale, issues=listed)


def team_low_rate(session: Session, now: datetime) -> int:
    """Alert team leads whose team stayed below the low on-time rate for days in a row."""
    settings = rules.all_settings(session)
    teams = session.execute(
        select(Team.id, Team.name, Team.lead_user_id).join(User, User.id == Team.lead_user_id)
        .where(User.active.is_(True)).order_by(Team.id)).all()
    lights = cockpit.light_codes(session)
    hours = windows(session, settings)
    created = 0
    for team in teams:
        issues = None
        lang = language_of(session, team.lead_user_id)
        for code, _en, _zh in lights:
            low = low_days(session, team.id, code, now, settings, hours[code])
            if low is None:
                continue
            if issues is None:
                issues = stale_issue_titles(session, team.id, now, settings)
            label = cockpit.light_label(code, session, lang, settings)
            if ensure_alert(session, dedupe_key=f"{KIND}:{team.id}:{code}:{now.date():%Y-%m-%d}",
                            recipient_id=team.lead_user_id, team_id=team.id, kind=KIND,
                            message=message(lang, team.name, label, low, issues, settings), now=now,
                            ref_type="team", ref_id=team.id):
                created += 1
    return created
