"""Stage moves of a deal, with their evidence (SPEC §4), and the stalled-deal alerts of ``run-jobs``.

``move_stage`` is the one write: forward asks for the target stage's evidence (a short reference —
a document number or a file name), back or to lost asks for a reason; it closes the open stay in
``stage_history``, opens the new one (who and when), updates the opportunity and writes the audit
row, all in the caller's transaction. The roles that may move a deal are the access table's
("deal.move_stage"); of those, a rep moves only own deals and a lead only their teams' deals. The
move is made on the version the person saw (optimistic lock), so a deal moved by someone else in
between is a conflict, not a silent overwrite.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from core.base import access, jobs, rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.i18n import t
from core.base.models import Alert, AuditLog, Customer, Opportunity, StageHistory, Team, User
from core.base.vocabulary import STAGES
from core.base.scope import Scope
from core.funnel import stages

WON, LOST = stages.WON, stages.LOST
TARGETS = (*STAGES, WON, LOST)
EVIDENCE_MAX = 300   # stage_history.evidence
REASON_MAX = 200     # opportunities.lost_reason
EVIDENCE_MIN = 2     # a reference of at least two characters ("Q7", "报价")
# What moving forward INTO a stage asks for (texts: deals.evidence.<stage>); initial contact is
# never a forward target.
EVIDENCE = {
    "needs_confirmed": "needs_document",
    "proposal": "proposal",
    "negotiation": "quote",
    "contract_signed": "signed_contract",
    WON: "contract_or_payment",
}


class InvalidMove(UserError):
    """A stage move that cannot be made as asked; ``field`` names the form field."""


class MoveConflict(UserError):
    """Someone else moved or changed the deal after it was opened: nothing was saved."""


@dataclass(frozen=True)
class Move:
    opportunity_id: int
    from_stage: str
    to_stage: str      # a STAGES value, won or lost
    kind: str          # forward / back / lost
    status: str        # the deal's status after the move
    version: int       # the deal's new version


def move_kind(current: str, to_stage: str) -> str:
    """'forward', 'back' or 'lost' for a move of an open deal from ``current`` to ``to_stage``."""
    if to_stage == LOST:
        return "lost"
    return "forward" if stages.RANK[to_stage] > stages.RANK[current] else "back"


def targets(current: str) -> list[tuple[str, str, str | None]]:
    """Where an open deal in ``current`` can be moved: (to_stage, kind, evidence needed or None)."""
    out = []
    for to in TARGETS:
        if to == current:
            continue
        kind = move_kind(current, to)
        out.append((to, kind, EVIDENCE[to] if kind == "forward" else None))
    return out


def may_move(scope: Scope, owner_id: int, team_id: int | None) -> bool:
    """Whether the caller may move a deal of ``owner_id`` in ``team_id``: their role may move deals
    (the access table), and the deal is theirs to move — a rep's own, a lead's teams'."""
    if not access.may(scope.role, "deal.move_stage"):
        return False
    if scope.own_only:
        return owner_id == scope.user_id
    return scope.may_see_team(team_id)


def _text(value: Any, field: str, maximum: int, error_key: str, **params) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > maximum:
        raise InvalidMove("deals.err.too_long", field, n=maximum)
    if not text and error_key:
        raise InvalidMove(error_key, field, **params)
    return text


def _load(session: Session, scope: Scope, opportunity_id: Any) -> Opportunity:
    """The deal if the caller may see it; the same error for 'not there' and 'not yours'."""
    if isinstance(opportunity_id, bool) or not isinstance(opportunity_id, int):
        raise InvalidMove("deals.err.no_deal", "opportunity_id")
    o = Opportunity
    opp = session.scalar(scope.apply(select(o).where(o.id == opportunity_id), o.owner_id, o.team_id))
    if opp is None:
        raise InvalidMove("deals.err.no_deal", "opportunity_id")
    return opp


@guarded("deal.move_stage")
def move_stage(session: Session, scope: Scope, opportunity_id: int, to_stage: str, evidence: str | None,
               reason: str | None, expected_version: int, now: datetime) -> Move:
    """Move an open deal to ``to_stage`` (a stage, won or lost) as the caller, at ``now``.

    Forward needs ``evidence`` of the target stage (EVIDENCE); back or lost needs a ``reason`` (for
    lost it becomes the deal's lost reason). Raises InvalidMove naming the field, or MoveConflict
    when the deal is no longer at ``expected_version``; nothing is written then.
    """
    opp = _load(session, scope, opportunity_id)
    if not may_move(scope, opp.owner_id, opp.team_id):
        raise InvalidMove("deals.err.not_allowed", "opportunity_id")
    if isinstance(expected_version, bool) or not isinstance(expected_version, int) or opp.version != expected_version:
        raise _conflict(session, opp)
    if opp.status != "open":
        raise InvalidMove("deals.err.closed", "to_stage")
    if to_stage not in TARGETS:
        raise InvalidMove("deals.err.stage", "to_stage")
    if to_stage == opp.stage:
        raise InvalidMove("deals.err.same_stage", "to_stage")
    if now < opp.stage_entered_at:
        raise InvalidMove("deals.err.time", "to_stage")
    kind = move_kind(opp.stage, to_stage)
    if kind == "forward":
        evidence_text = _text(evidence, "evidence", EVIDENCE_MAX, "deals.err.evidence")
        if len(evidence_text) < EVIDENCE_MIN:
            raise InvalidMove("deals.err.evidence_short", "evidence", n=EVIDENCE_MIN)
        reason_text = _text(reason, "reason", REASON_MAX, "")
    else:
        reason_text = _text(reason, "reason", REASON_MAX, "deals.err.reason")
        evidence_text = _text(evidence, "evidence", EVIDENCE_MAX, "")

    from_stage = opp.stage
    h = StageHistory
    session.execute(update(h).where(h.opportunity_id == opp.id, h.left_at.is_(None), h.stage.in_(STAGES))
                    .values(left_at=now))
    session.add(StageHistory(opportunity_id=opp.id, stage=to_stage, entered_at=now, left_at=None,
                             by_user_id=scope.user_id or None, evidence=evidence_text, note=reason_text))
    if to_stage in STAGES:
        opp.stage, opp.stage_entered_at = to_stage, now
    else:
        opp.status, opp.closed_at = to_stage, now
        if to_stage == LOST:
            opp.lost_reason = reason_text
    try:
        session.flush()  # UPDATE … WHERE version = expected: a move saved in between matches nothing
    except StaleDataError:
        raise MoveConflict("deals.err.conflict_unknown", None) from None
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="move_stage", entity="opportunity",
                         entity_id=str(opp.id),
                         detail={"from": from_stage, "to": to_stage, "evidence": evidence_text,
                                 "reason": reason_text, "version": opp.version}))
    return Move(opp.id, from_stage, to_stage, kind, opp.status, opp.version)


def _conflict(session: Session, opp: Opportunity) -> MoveConflict:
    last = session.execute(
        select(User.display_name, StageHistory.entered_at).select_from(StageHistory)
        .outerjoin(User, User.id == StageHistory.by_user_id)
        .where(StageHistory.opportunity_id == opp.id)
        .order_by(StageHistory.entered_at.desc(), StageHistory.id.desc()).limit(1)).first()
    if last is None:
        return MoveConflict("deals.err.conflict_unknown", None)
    return MoveConflict("deals.err.conflict", None, who=last.display_name or "?",
                        at=last.entered_at.strftime("%Y-%m-%d %H:%M"))


# ---- run-jobs: an alert to the team lead for each stalled deal -----------------------------------

def _existing_keys(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        found.update(session.scalars(select(Alert.dedupe_key).where(Alert.dedupe_key.in_(keys[i:i + 500]))))
    return found


def stalled_key(opportunity_id: int, stage_entered_at: datetime, recipient_id: int) -> str:
    """One alert per deal, per stay (its stage entry) and recipient: a new stall after a move alerts again."""
    return f"stalled:{opportunity_id}:{stage_entered_at:%Y%m%d%H%M%S}:{recipient_id}"


def stalled_deals_job(session: Session, now: datetime) -> int:
    """Alert the team lead of every open deal in its stage for longer than the stage's upper bound
    (teams without a lead: the directors); once per deal and stay."""
    upper = {s: hi for s, (_, hi) in stages.bounds(rules.all_settings(session)).items()}
    o, owner = Opportunity, aliased(User)
    rows = session.execute(
        select(o.id, o.name, o.stage, o.stage_entered_at, o.team_id, Team.lead_user_id, owner.display_name,
               Customer.name.label("customer"))
        .join(Team, Team.id == o.team_id).join(owner, owner.id == o.owner_id)
        .join(Customer, Customer.id == o.customer_id)
        .where(o.status == "open", stages.past_bound(o.stage, o.stage_entered_at, now, upper))
        .order_by(o.id)).all()
    if not rows:
        return 0
    directors = session.scalars(select(User.id).where(User.role == "director", User.active.is_(True))
                                .order_by(User.id)).all()
    planned = []
    for r in rows:
        for recipient in ([r.lead_user_id] if r.lead_user_id else directors):
            planned.append((stalled_key(r.id, r.stage_entered_at, recipient), recipient, r))
    done = _existing_keys(session, [k for k, _, _ in planned])
    languages: dict[int, str] = {}
    created = 0
    for key, recipient, r in planned:
        if key in done:
            continue
        lang = languages.setdefault(recipient, jobs.language_of(session, recipient))
        days = int(stages.hours_to_days(now - r.stage_entered_at))
        message = t(lang, "deals.alert.stalled", name=r.name, owner=r.display_name, customer=r.customer,
                    stage=t(lang, f"funnel.stage.{r.stage}"), days=days, max=upper[r.stage])
        created += jobs.ensure_alert(session, dedupe_key=key, recipient_id=recipient, team_id=r.team_id,
                                     kind="stalled_deal", message=message, now=now, ref_type="opportunity",
                                     ref_id=r.id)
    return created
