"""The delivery log (SPEC §10): every alert and every text pushed to a channel is a Delivery row
with its attempts. A failed attempt is logged and retried with back-off (``delivery_backoff_minutes``
doubled after each failure) until ``delivery_max_attempts``; a failing endpoint never raises out of
here, so it never breaks a page or a job run.

- ``deliver_alerts`` (a job): every alert not yet delivered to a channel subscribed to it (the
  recipient's own channels, the channels of the alert's team) gets one delivery, once; then every
  delivery that is due is attempted.
- ``deliver_text(session, recipients, title, markdown, now)``: push any text (the morning brief) to
  the recipients' channels and to the channels of the teams they lead.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

import pandas as pd
from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import Session

from core.base import rules
from core.base.access import guarded, require_page
from core.base.errors import UserError
from core.base.i18n import t
from core.base.models import Alert, AuditLog, Channel, Delivery, Team, User
from core.base.scope import Scope, company_read
from core.notify import channels as ch

PENDING, SENT, FAILED = "pending", "sent", "failed"
ALERT, TEXT, TEST = "alert", "text", "test"


class InvalidChannel(UserError):
    """A channel form's value that cannot be used; ``field`` names it."""


def target_of(channel: Channel) -> ch.Target:
    return ch.Target(channel.kind, channel.address, channel.token_secret or "", channel.sign_secret or "",
                     dict(channel.options or {}))


def backoff(attempts: int, base_minutes: float) -> timedelta:
    """How long to wait after the ``attempts``-th failure: base, 2×base, 4×base …"""
    return timedelta(minutes=base_minutes * 2 ** max(attempts - 1, 0))


def attempt(session: Session, delivery: Delivery, now: datetime, settings: dict | None = None) -> bool:
    """Try to send ``delivery`` once; record the outcome on the row. True when it got through."""
    settings = settings or rules.all_settings(session)
    channel = session.get(Channel, delivery.channel_id)
    delivery.attempts += 1
    try:
        if channel is None or not channel.active:
            raise ch.SendError("the channel is switched off")
        extra = {"kind": delivery.kind, "alert_id": delivery.alert_id}
        ch.send(target_of(channel), delivery.title, delivery.body,
                timeout=float(settings["delivery_timeout_seconds"]), extra=extra)
    except ch.SendError as exc:
        delivery.last_error = str(exc)[:500]
        if delivery.attempts >= int(settings["delivery_max_attempts"]):
            delivery.status, delivery.next_attempt_at = FAILED, None
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts, float(settings["delivery_backoff_minutes"]))
        session.flush()
        return False
    delivery.status, delivery.sent_at, delivery.next_attempt_at, delivery.last_error = SENT, now, None, ""
    session.flush()
    return True


def send_due(session: Session, now: datetime) -> int:
    """Attempt every pending delivery that is due; how many got through."""
    settings = rules.all_settings(session)
    due = session.scalars(select(Delivery).where(
        Delivery.status == PENDING, or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now))
        .order_by(Delivery.id)).all()
    return sum(attempt(session, d, now, settings) for d in due)


def _alert_title(session: Session, alert: Alert) -> str:
    lang = session.scalar(select(User.language).where(User.id == alert.recipient_id)) or \
        rules.get(session, "default_language")
    return t(lang, "delivery.alert_title")


def deliver_alerts(session: Session, now: datetime) -> int:
    """Push every alert not yet pushed to the channels subscribed to it, and retry the due ones."""
    subscribed = session.scalars(select(Channel).where(Channel.active.is_(True), Channel.send_alerts.is_(True))
                                 .order_by(Channel.id)).all()
    for channel in subscribed:
        mine = or_(Alert.recipient_id == channel.user_id if channel.user_id is not None else false(),
                   Alert.team_id == channel.team_id if channel.team_id is not None else false())
        done = exists().where(and_(Delivery.channel_id == channel.id, Delivery.alert_id == Alert.id))
        new = session.scalars(select(Alert).where(mine, ~done, Alert.created_at >= channel.created_at,
                                                  Alert.created_at <= now).order_by(Alert.id)).all()
        for alert in new:
            session.add(Delivery(channel_id=channel.id, alert_id=alert.id, kind=ALERT,
                                 title=_alert_title(session, alert)[:200], body=alert.message, status=PENDING,
                                 attempts=0, created_at=now, last_error="",
                                 dedupe_key=f"alert:{alert.id}:c{channel.id}"))
        session.flush()
    return send_due(session, now)


def deliver_text(session: Session, recipients: Iterable[int], title: str, markdown: str, now: datetime,
                 *, dedupe_key: str | None = None) -> int:
    """Push a text (the morning brief) to the recipients' channels and to the channels of the teams
    they lead that take briefs; each is tried at once and retried by ``deliver_alerts`` when it
    fails. With ``dedupe_key``, a second call with the same key pushes nothing again. Returns how
    many deliveries got through now."""
    ids = sorted({int(r) for r in recipients})
    if not ids:
        return 0
    led = select(Team.id).where(Team.lead_user_id.in_(ids))
    targets = session.scalars(select(Channel).where(
        Channel.active.is_(True), Channel.send_brief.is_(True),
        or_(Channel.user_id.in_(ids), Channel.team_id.in_(led))).order_by(Channel.id)).all()
    settings = rules.all_settings(session)
    sent = 0
    for channel in targets:
        key = f"{dedupe_key}:c{channel.id}"[:120] if dedupe_key else None
        if key and session.scalar(select(Delivery.id).where(Delivery.dedupe_key == key)) is not None:
            continue
        delivery = Delivery(channel_id=channel.id, kind=TEXT, title=title[:200], body=markdown, status=PENDING,
                            attempts=0, created_at=now, last_error="", dedupe_key=key)
        session.add(delivery)
        session.flush()
        sent += attempt(session, delivery, now, settings)
    return sent


# ---- reads (the admin page) --------------------------------------------------------------------

@company_read
def channel_list(scope: Scope, session: Session) -> pd.DataFrame:
    """Every channel, with whom it serves (a person or a team) and its last delivery's outcome."""
    require_page(scope, "admin_channels")
    stmt = (select(Channel.id, Channel.name, Channel.kind, Channel.user_id, User.display_name.label("person"),
                   Channel.team_id, Team.name.label("team"), Channel.address, Channel.token_secret,
                   Channel.sign_secret, Channel.send_alerts, Channel.send_brief, Channel.active, Channel.options)
            .outerjoin(User, User.id == Channel.user_id).outerjoin(Team, Team.id == Channel.team_id)
            .order_by(Channel.id))
    return pd.read_sql(stmt, session.connection())


@company_read
def delivery_log(scope: Scope, session: Session, limit: int = 200) -> pd.DataFrame:
    """The newest deliveries: when, to which channel, what, status, attempts, next try, last error."""
    require_page(scope, "admin_channels")
    stmt = (select(Delivery.id, Delivery.created_at, Channel.name.label("channel"), Delivery.kind, Delivery.title,
                   Delivery.status, Delivery.attempts, Delivery.next_attempt_at, Delivery.sent_at,
                   Delivery.last_error)
            .join(Channel, Channel.id == Delivery.channel_id)
            .order_by(Delivery.id.desc()).limit(limit))
    return pd.read_sql(stmt, session.connection())


# ---- writes ------------------------------------------------------------------------------------

def _validate(session: Session, *, name: str, kind: str, user_id: int | None, team_id: int | None, address: str,
              token_secret: str, sign_secret: str, options: dict) -> None:
    if not name.strip():
        raise InvalidChannel("delivery.err.name", "name")
    if kind not in ch.KINDS:
        raise InvalidChannel("delivery.err.kind", "kind")
    if (user_id is None) == (team_id is None):
        raise InvalidChannel("delivery.err.owner", "user_id")
    if user_id is not None and session.get(User, user_id) is None:
        raise InvalidChannel("delivery.err.owner", "user_id")
    if team_id is not None and session.get(Team, team_id) is None:
        raise InvalidChannel("delivery.err.owner", "team_id")
    for fld, value in (("token_secret", token_secret), ("sign_secret", sign_secret)):
        problem = ch.secret_name_problem(value)
        if problem:
            raise InvalidChannel(problem, fld)
    if sign_secret and kind != ch.DINGTALK:
        raise InvalidChannel("delivery.err.sign_only_dingtalk", "sign_secret")
    problem = ch.address_problem(kind, address, token_secret)
    if problem:
        raise InvalidChannel(problem, "address")
    if kind == ch.EMAIL:
        if not str(options.get("smtp_host") or "").strip():
            raise InvalidChannel("delivery.err.smtp_host", "smtp_host")
        try:
            port = int(options.get("smtp_port") or 25)
        except (TypeError, ValueError):
            raise InvalidChannel("delivery.err.smtp_port", "smtp_port") from None
        if not 1 <= port <= 65535:
            raise InvalidChannel("delivery.err.smtp_port", "smtp_port")


@guarded("channel.save")
def save_channel(session: Session, scope: Scope, *, now: datetime, channel_id: int | None = None, name: str,
                 kind: str, address: str, user_id: int | None = None, team_id: int | None = None,
                 token_secret: str = "", sign_secret: str = "", options: dict | None = None,
                 send_alerts: bool = True, send_brief: bool = True, active: bool = True) -> int:
    """Create (no ``channel_id``) or change a channel; secrets are given by name only."""
    name, address = (name or "").strip(), (address or "").strip()
    token_secret, sign_secret = (token_secret or "").strip(), (sign_secret or "").strip()
    options = {k: v for k, v in (options or {}).items() if v not in (None, "")} if kind == ch.EMAIL else {}
    _validate(session, name=name, kind=kind, user_id=user_id, team_id=team_id, address=address,
              token_secret=token_secret, sign_secret=sign_secret, options=options)
    if kind == ch.EMAIL:
        options["smtp_port"] = int(options.get("smtp_port") or 25)
    values = dict(name=name[:80], kind=kind, user_id=user_id, team_id=team_id, address=address[:500],
                  token_secret=token_secret, sign_secret=sign_secret, options=options,
                  send_alerts=bool(send_alerts), send_brief=bool(send_brief), active=bool(active))
    if channel_id is None:
        channel = Channel(**values, created_at=now, created_by=scope.user_id or None)
        session.add(channel)
        session.flush()
        old = None
    else:
        channel = session.get(Channel, channel_id)
        if channel is None:
            raise InvalidChannel("delivery.err.no_channel", None)
        old = {k: getattr(channel, k) for k in values}
        for k, v in values.items():
            setattr(channel, k, v)
        session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create" if old is None else "update",
                         entity="channel", entity_id=str(channel.id), detail={"old": old, "new": values}))
    return channel.id


@guarded("channel.test")
def send_test(session: Session, scope: Scope, channel_id: int, now: datetime, lang: str = "en") -> dict:
    """Send a test message to a channel now, logged like any delivery; says whether it got through
    (a failure is an answer, not an error: the page shows it)."""
    channel = session.get(Channel, channel_id)
    if channel is None:
        raise InvalidChannel("delivery.err.no_channel", None)
    delivery = Delivery(channel_id=channel.id, kind=TEST, title=t(lang, "delivery.test_title"),
                        body=t(lang, "delivery.test_body", name=channel.name), status=PENDING, attempts=0,
                        created_at=now, last_error="")
    session.add(delivery)
    session.flush()
    settings = rules.all_settings(session) | {"delivery_max_attempts": 1}  # a test is not retried
    ok = attempt(session, delivery, now, settings)
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="test", entity="channel",
                         entity_id=str(channel.id), detail={"ok": ok, "error": delivery.last_error}))
    return {"ok": ok, "error": delivery.last_error}
