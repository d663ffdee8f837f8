"""The data-quality scan (数据质量, SPEC §7): nightly as the job "quality_scan" and on demand.

Each rule of ``vocabulary.QUALITY_RULES`` finds records that break it; a finding is one (rule,
record) with the record's owner and team and a ``detail`` to show:

- ``tax_id_conflict`` — customers that are one company (the same normalised name, the core lead entry
  compares: core.leads.dedupe.name_key) but carry different non-empty tax ids; one finding on every
  such customer that carries a tax id. Tax ids are compared without spaces, in upper case.
- ``order_after_shipment`` — a contract (the order) created after its first shipment: orders are
  created in the app only, so goods shipped before it point at a back-dated or re-keyed order.
- ``overpaid`` — a contract whose receipts (up to the scan) exceed its amount by more than the
  setting ``reconciliation_tolerance`` (¥1.00).
- ``duplicate_customer`` — two customers lead entry's duplicate check would call the same: the same
  phone in any format (core.leads.dedupe.normalize_phone), or company names at least
  ``duplicate_name_similarity`` alike with their brands agreeing (core.leads.dedupe.key_similarity),
  compared across the whole customer table. The finding sits on the younger customer (created later;
  then the higher id) and names the older one; a customer like several older ones names the
  strongest match — phone and name, then phone, then the most similar name, then the oldest — since
  a rule holds one finding per record: merged, the next scan names the next one. The comparison is
  blocked so that ~100,000 customers scan in seconds: phones by their last 8 digits, names by their
  distinct cores, brands compared only within the brands sharing their first or their last character
  (rapidfuzz.process.cdist). A known limit: two long brands that differ at both ends are not compared.
- ``missing_fields`` — a customer without one of REQUIRED_FIELDS["customer"], or a contract without
  one of REQUIRED_FIELDS["contract"] (no customer, or an amount of 0).
- ``late_logging`` — an activity logged more than ``logging_lag_flag_hours`` (72 h) after it happened,
  among the activities logged in the last ``quality_scan_days`` (30) days before the scan. An older
  one leaves the scan's window, and its finding closes like a fixed one.

The scan upserts findings on (rule, record_type, record_id): a new one opens (and its owner gets one
alert, in their language); one found again keeps its row (``last_found_at`` moves on, the owner,
team and detail follow the record); an ignored one stays ignored; a fixed one found again opens
again; an open one not found any more is fixed (``closed_at``). A second scan at the same moment
changes nothing.

The lights (``quality_lights``): per rule, the share of the checked records (CHECKED below) in the
caller's scope that hold no open finding of the rule, coloured by ``light_red_below`` /
``light_green_above``, with the cockpit's sentence naming the fewest teams (inside one team: reps)
holding most of the open findings.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from sqlalchemy import case, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from core.base import rules
from core.base.access import guarded
from core.base.errors import UserError
from core.base.i18n import t
from core.base.jobs import ensure_alert, language_of
from core.base.models import (Activity, AuditLog, Contract, Customer, Lead, QualityFinding, Receipt, Shipment,
                              Team, User)
from core.base.query import holders
from core.base.scope import Scope, scoped_read
from core.base.sqlfn import hours_between
from core.base.vocabulary import FINDING_STATUSES, QUALITY_RULES
from core.leads import dedupe

# The fields a record must have (missing_fields), in one place: the customer's phone, industry, size
# and region; the contract's customer and a non-zero amount.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "customer": ("phone", "industry", "size", "region"),
    "contract": ("customer", "amount"),
}
# What each rule checks (the lights' denominator): record type → the records of that type the rule
# looks at (see checked_records).
CHECKED: dict[str, tuple[str, ...]] = {
    "tax_id_conflict": ("customer",),  # customers that carry a tax id
    "order_after_shipment": ("contract",),  # contracts with a shipment
    "overpaid": ("contract",),  # contracts with a receipt
    "duplicate_customer": ("customer",),  # every customer
    "missing_fields": ("customer", "contract"),  # every customer and contract
    "late_logging": ("activity",),  # activities logged in the scan's window
}
ALERT_KIND = "quality_finding"
PHONE_BLOCK_DIGITS = 8  # phones are blocked by their last 8 digits before they are parsed
MAX_PHONE_CANDIDATES = 20  # a shared phone: compare a customer with at most the 20 oldest sharing it
CDIST_ROWS = 1000  # brands compared at once (memory: rows × block size bytes)
MAX_LIST = 5  # other customers named in a tax-id conflict's detail


class InvalidFindingInput(UserError):
    """A finding that cannot be ignored, a missing reason, or an unknown rule or status; ``field``
    names the input."""


@dataclass(frozen=True)
class Found:
    """One record breaking one rule, as the scan sees it."""
    owner_id: int | None
    team_id: int | None
    detail: dict[str, Any]


@dataclass
class RuleCounts:
    rule: str
    found: int = 0  # records breaking the rule at this scan
    new: int = 0  # findings opened for the first time
    reopened: int = 0  # fixed findings found again
    fixed: int = 0  # open findings no longer found
    open: int = 0  # open findings of the rule after the scan


@dataclass
class ScanResult:
    at: datetime
    rules: list[RuleCounts] = field(default_factory=list)
    alerts: int = 0

    @property
    def changes(self) -> int:
        return sum(r.new + r.reopened + r.fixed for r in self.rules)

    def as_dict(self) -> dict:
        return {"at": self.at.isoformat(), "changes": self.changes, "alerts": self.alerts,
                "rules": {r.rule: {"open": r.open, "new": r.new, "reopened": r.reopened, "fixed": r.fixed,
                                   "found": r.found} for r in self.rules}}


# ---- the rules: each gives {(record_type, record_id): Found} ----------------------------------------

def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _tax(value: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def _iso(value) -> str | None:
    return None if value is None else pd.Timestamp(value).isoformat(timespec="minutes")


@dataclass(frozen=True)
class CustomerRow:
    id: int
    name: str
    phone: str
    tax_id: str
    created_at: datetime
    owner_id: int | None
    team_id: int | None
    missing: tuple[str, ...]

    @property
    def age(self) -> tuple:
        """Sorts oldest first: created earlier, then the lower id."""
        return (self.created_at, self.id)


def _customers(session: Session) -> list[CustomerRow]:
    rows = session.execute(select(Customer.id, Customer.name, Customer.phone, Customer.tax_id, Customer.industry,
                                  Customer.size, Customer.region_id, Customer.created_at, Customer.owner_id,
                                  Customer.team_id).order_by(Customer.id)).all()
    out = []
    for r in rows:
        values = {"phone": r.phone, "industry": r.industry, "size": r.size, "region": r.region_id}
        missing = tuple(f for f in REQUIRED_FIELDS["customer"] if _blank(values[f]))
        out.append(CustomerRow(r.id, r.name or "", r.phone or "", _tax(r.tax_id), r.created_at, r.owner_id,
                               r.team_id, missing))
    return out


def tax_id_conflicts(customers: list[CustomerRow]) -> dict[tuple[str, int], Found]:
    """Customers of one normalised name carrying different non-empty tax ids."""
    by_core: dict[str, list[CustomerRow]] = defaultdict(list)
    for c in customers:
        core = dedupe.name_key(c.name).core
        if core and c.tax_id:
            by_core[core].append(c)
    out = {}
    for core, group in by_core.items():
        tax_ids = sorted({c.tax_id for c in group})
        if len(tax_ids) < 2:
            continue
        for c in group:
            others = sorted((o for o in group if o.tax_id != c.tax_id), key=lambda o: o.age)
            out[("customer", c.id)] = Found(c.owner_id, c.team_id, {
                "record": c.name, "tax_id": c.tax_id, "tax_ids": tax_ids, "others": len(others),
                "other_names": [o.name for o in others[:MAX_LIST]],
                "other_ids": [o.id for o in others[:MAX_LIST]]})
    return out


_NOT_DIGIT = re.compile(r"[^0-9]")


def _phone_block(raw: str) -> str | None:
    text = raw or ""
    digits = _NOT_DIGIT.sub("", text if text.isascii() else unicodedata.normalize("NFKC", text))
    return digits[-PHONE_BLOCK_DIGITS:] if len(digits) >= PHONE_BLOCK_DIGITS else None


def duplicate_matches(customers: list[CustomerRow], threshold: float) -> dict[int, tuple[int, tuple[str, ...], float]]:
    """{younger customer id: (older customer id, reasons ("phone", "name"), name similarity)} of
    the customers lead entry's duplicate rules call the same as an older one (see the module
    docstring for the blocking and which match is named)."""
    by_id = {c.id: c for c in customers}
    cut = threshold * 100 - 1e-9
    # ---- phones: the last digits first, then the real number
    blocks: dict[str, list[CustomerRow]] = defaultdict(list)
    for c in customers:
        key = _phone_block(c.phone)
        if key:
            blocks[key].append(c)
    phone_of: dict[int, str] = {}
    phone_groups: dict[str, list[CustomerRow]] = defaultdict(list)
    for block in blocks.values():
        if len(block) < 2:
            continue
        for c in block:
            number = dedupe.normalize_phone(c.phone)
            if number:
                phone_of[c.id] = number
                phone_groups[number].append(c)
    candidates: dict[int, set[int]] = defaultdict(set)
    for group in phone_groups.values():
        group.sort(key=lambda c: c.age)
        for i, c in enumerate(group[1:], start=1):
            candidates[c.id].update(o.id for o in group[:min(i, MAX_PHONE_CANDIDATES)])
    # ---- names: distinct cores, brands compared within their blocks
    key_of = {c.id: dedupe.name_key(c.name) for c in customers}
    by_core: dict[str, list[CustomerRow]] = defaultdict(list)
    for c in customers:
        if key_of[c.id].core:
            by_core[key_of[c.id].core].append(c)
    for group in by_core.values():
        group.sort(key=lambda c: c.age)
        for c in group[1:]:
            candidates[c.id].add(group[0].id)  # the same core: the oldest of them is as alike as any
    cores_of_brand: dict[str, list[str]] = defaultdict(list)
    for core, group in by_core.items():
        cores_of_brand[key_of[group[0].id].brand].append(core)
    brands = sorted(cores_of_brand)
    brand_pairs: set[tuple[str, str]] = {(b, b) for b in brands if len(cores_of_brand[b]) > 1}
    brand_blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for b in brands:
        if len(b) >= dedupe.MIN_CORE_CHARS:  # a shorter brand is alike only to itself
            brand_blocks[("first", b[0])].append(b)
            brand_blocks[("last", b[-1])].append(b)
    for block in brand_blocks.values():
        if len(block) < 2:
            continue
        for start in range(0, len(block), CDIST_ROWS):
            rows = block[start:start + CDIST_ROWS]
            scores = process.cdist(rows, block, scorer=fuzz.ratio, score_cutoff=cut, dtype=np.uint8, workers=-1)
            for i, j in zip(*np.nonzero(scores)):
                a, b = rows[i], block[j]
                if a < b:
                    brand_pairs.add((a, b))
    for a, b in brand_pairs:
        for ca in cores_of_brand[a]:
            for cb in cores_of_brand[b]:
                if (a == b and ca >= cb) or dedupe.key_similarity(
                        key_of[by_core[ca][0].id], key_of[by_core[cb][0].id], threshold) < threshold - 1e-9:
                    continue
                ga, gb = by_core[ca], by_core[cb]
                for c in ga:
                    if gb[0].age < c.age:
                        candidates[c.id].add(gb[0].id)
                for c in gb:
                    if ga[0].age < c.age:
                        candidates[c.id].add(ga[0].id)
    # ---- the strongest older match of each customer
    out = {}
    for cid, others in candidates.items():
        c = by_id[cid]
        best = None
        for oid in others:
            o = by_id[oid]
            if not o.age < c.age:
                continue
            phone = cid in phone_of and phone_of.get(oid) == phone_of[cid]
            sim = round(dedupe.key_similarity(key_of[cid], key_of[oid], threshold), 4)
            name = sim >= threshold - 1e-9
            if not (phone or name):
                continue
            rank = (not (phone and name), not phone, -sim, o.age)  # the smallest wins
            if best is None or rank < best[0]:
                best = (rank, oid, tuple(r for r, ok in (("phone", phone), ("name", name)) if ok), sim)
        if best is not None:
            out[cid] = best[1:]
    return out


def duplicate_customers(customers: list[CustomerRow], threshold: float) -> dict[tuple[str, int], Found]:
    by_id = {c.id: c for c in customers}
    out = {}
    for cid, (oid, reasons, sim) in duplicate_matches(customers, threshold).items():
        c, o = by_id[cid], by_id[oid]
        out[("customer", cid)] = Found(c.owner_id, c.team_id, {
            "record": c.name, "other_id": oid, "other_name": o.name, "reasons": list(reasons),
            "similarity": sim, "phone": c.phone if "phone" in reasons else ""})
    return out


def missing_fields(session: Session, customers: list[CustomerRow]) -> dict[tuple[str, int], Found]:
    out = {("customer", c.id): Found(c.owner_id, c.team_id, {"record": c.name, "fields": list(c.missing)})
           for c in customers if c.missing}
    stmt = (select(Contract.id, Contract.number, Contract.amount, Contract.owner_id, Contract.team_id,
                   Customer.id.label("customer_id"))
            .outerjoin(Customer, Customer.id == Contract.customer_id)
            .where(or_(Customer.id.is_(None), Contract.amount == 0)).order_by(Contract.id))
    for r in session.execute(stmt):
        values = {"customer": r.customer_id, "amount": None if float(r.amount or 0) == 0 else r.amount}
        missing = [f for f in REQUIRED_FIELDS["contract"] if values[f] is None]
        out[("contract", r.id)] = Found(r.owner_id, r.team_id, {"record": r.number, "fields": missing})
    return out


def orders_after_shipment(session: Session, now: datetime) -> dict[tuple[str, int], Found]:
    first = func.min(Shipment.shipped_at)
    stmt = (select(Contract.id, Contract.number, Contract.created_at, Contract.owner_id, Contract.team_id,
                   first.label("shipped_at"))
            .join(Shipment, Shipment.contract_id == Contract.id).where(Shipment.shipped_at <= now)
            .group_by(Contract.id, Contract.number, Contract.created_at, Contract.owner_id, Contract.team_id)
            .having(Contract.created_at > first).order_by(Contract.id))
    return {("contract", r.id): Found(r.owner_id, r.team_id, {
        "record": r.number, "created_at": _iso(r.created_at), "shipped_at": _iso(r.shipped_at)})
        for r in session.execute(stmt)}


def overpaid(session: Session, now: datetime, tolerance: float) -> dict[tuple[str, int], Found]:
    received = func.sum(Receipt.amount)
    stmt = (select(Contract.id, Contract.number, Contract.amount, Contract.owner_id, Contract.team_id,
                   received.label("received"))
            .join(Receipt, Receipt.contract_id == Contract.id).where(Receipt.received_at <= now)
            .group_by(Contract.id, Contract.number, Contract.amount, Contract.owner_id, Contract.team_id)
            .having(received > Contract.amount + tolerance).order_by(Contract.id))
    out = {}
    for r in session.execute(stmt):
        amount, got = round(float(r.amount), 2), round(float(r.received), 2)
        out[("contract", r.id)] = Found(r.owner_id, r.team_id, {
            "record": r.number, "amount": amount, "received": got, "over": round(got - amount, 2)})
    return out


def _window(now: datetime, settings: dict) -> tuple[datetime, datetime]:
    """The activities late_logging looks at: logged in the last quality_scan_days days up to ``now``."""
    return now - timedelta(days=settings["quality_scan_days"]), now


def late_loggings(session: Session, now: datetime, settings: dict) -> dict[tuple[str, int], Found]:
    start, end = _window(now, settings)
    lag = hours_between(Activity.logged_at, Activity.happened_at)
    stmt = (select(Activity.id, Activity.kind, Activity.happened_at, Activity.logged_at, Activity.owner_id,
                   Activity.team_id, func.coalesce(Customer.name, Lead.company, literal("")).label("subject"),
                   lag.label("hours"))
            .outerjoin(Customer, Customer.id == Activity.customer_id).outerjoin(Lead, Lead.id == Activity.lead_id)
            .where(Activity.logged_at >= start, Activity.logged_at <= end,
                   lag > settings["logging_lag_flag_hours"]).order_by(Activity.id))
    return {("activity", r.id): Found(r.owner_id, r.team_id, {
        "record": r.subject, "kind": r.kind, "happened_at": _iso(r.happened_at), "logged_at": _iso(r.logged_at),
        "hours": round(float(r.hours), 1)}) for r in session.execute(stmt)}


def find_all(session: Session, now: datetime) -> dict[str, dict[tuple[str, int], Found]]:
    """What every rule finds at ``now``: {rule: {(record_type, record_id): Found}}. Writes nothing."""
    settings = rules.all_settings(session)
    customers = _customers(session)
    found = {
        "tax_id_conflict": tax_id_conflicts(customers),
        "order_after_shipment": orders_after_shipment(session, now),
        "overpaid": overpaid(session, now, float(settings["reconciliation_tolerance"])),
        "duplicate_customer": duplicate_customers(customers, float(settings["duplicate_name_similarity"])),
        "missing_fields": missing_fields(session, customers),
        "late_logging": late_loggings(session, now, settings),
    }
    assert tuple(found) == QUALITY_RULES
    return found


# ---- the scan ---------------------------------------------------------------------------------------

def _scan(session: Session, now: datetime) -> ScanResult:
    found = find_all(session, now)
    existing = {(f.rule, f.record_type, f.record_id): f for f in session.scalars(select(QualityFinding))}
    result = ScanResult(now, [RuleCounts(rule) for rule in QUALITY_RULES])
    counts = {c.rule: c for c in result.rules}
    new: list[QualityFinding] = []
    for rule, items in found.items():
        counts[rule].found = len(items)
        for (record_type, record_id), item in items.items():
            row = existing.get((rule, record_type, record_id))
            if row is None:
                new.append(QualityFinding(rule=rule, record_type=record_type, record_id=record_id,
                                          owner_id=item.owner_id, team_id=item.team_id, detail=item.detail,
                                          status="open", reason="", first_found_at=now, last_found_at=now))
                counts[rule].new += 1
                continue
            for attr, value in (("owner_id", item.owner_id), ("team_id", item.team_id), ("detail", item.detail)):
                if getattr(row, attr) != value:
                    setattr(row, attr, value)
            if row.last_found_at is None or row.last_found_at < now:
                row.last_found_at = now
            if row.status == "fixed":
                row.status, row.closed_at, row.closed_by = "open", None, None
                counts[rule].reopened += 1
    for (rule, record_type, record_id), row in existing.items():
        if row.status == "open" and (record_type, record_id) not in found.get(rule, {}):
            row.status, row.closed_at, row.closed_by = "fixed", now, None
            counts[rule].fixed += 1
    # new findings grouped by their owner (then rule and record), so each owner's sit together
    new.sort(key=lambda f: (f.owner_id is None, f.owner_id or 0, QUALITY_RULES.index(f.rule), f.record_type,
                            f.record_id))
    session.add_all(new)
    session.flush()
    languages: dict[int, str] = {}
    for f in new:
        if f.owner_id is None:
            continue
        lang = languages.setdefault(f.owner_id, language_of(session, f.owner_id))
        if ensure_alert(session, dedupe_key=f"{ALERT_KIND}:{f.id}", recipient_id=f.owner_id, team_id=f.team_id,
                        kind=ALERT_KIND, message=alert_message(lang, f.rule, f.record_type, f.detail), now=now,
                        ref_type="quality_finding", ref_id=f.id):
            result.alerts += 1
    open_counts = dict(session.execute(select(QualityFinding.rule, func.count())
                                       .where(QualityFinding.status == "open").group_by(QualityFinding.rule)).all())
    for c in result.rules:
        c.open = int(open_counts.get(c.rule, 0))
    return result


def _audit(session: Session, user_id: int | None, result: ScanResult, now: datetime) -> None:
    session.add(AuditLog(at=now, user_id=user_id, action="scan", entity="quality_findings", entity_id=None,
                         detail={r.rule: {"new": r.new, "reopened": r.reopened, "fixed": r.fixed, "open": r.open}
                                 for r in result.rules}))


def scan(session: Session, now: datetime) -> int:
    """Scan the data for quality findings (tax ids, orders, overpayments, duplicates, fields, late logging)."""
    result = _scan(session, now)
    if result.changes:
        _audit(session, None, result, now)
    return result.changes


@guarded("quality.scan")
def run_scan(session: Session, scope: Scope, now: datetime) -> ScanResult:
    """The scan on demand (the data-quality page's "scan now", ``python -m cli scan``), with its audit row."""
    result = _scan(session, now)
    _audit(session, scope.user_id or None, result, now)
    return result


# ---- ignoring a finding ---------------------------------------------------------------------------

REASON_MAX = 300


@guarded("finding.ignore")
def ignore_finding(session: Session, scope: Scope, finding_id: int, reason: str, now: datetime) -> None:
    """Close an open finding as ignored, with the reason (required); a lead only their teams' findings."""
    text = " ".join((reason or "").split())
    try:
        row = session.get(QualityFinding, int(finding_id))
    except (TypeError, ValueError):
        row = None
    if row is None or not _visible(session, scope, row.id):
        raise InvalidFindingInput("quality.err.no_finding", "finding")
    if row.status != "open":
        raise InvalidFindingInput(f"quality.err.already_{row.status}", "finding")
    if not text:
        raise InvalidFindingInput("quality.err.reason_needed", "reason")
    if len(text) > REASON_MAX:
        raise InvalidFindingInput("quality.err.reason_long", "reason", max=REASON_MAX)
    row.status, row.reason, row.closed_at, row.closed_by = "ignored", text, now, scope.user_id or None
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="ignore", entity="quality_finding",
                         entity_id=str(row.id), detail={"rule": row.rule, "record_type": row.record_type,
                                                        "record_id": row.record_id, "reason": text}))


def _visible(session: Session, scope: Scope, finding_id: int) -> bool:
    stmt = scope.apply(select(QualityFinding.id).where(QualityFinding.id == finding_id),
                       QualityFinding.owner_id, QualityFinding.team_id)
    return session.scalar(stmt) is not None


# ---- words ----------------------------------------------------------------------------------------

def rule_name(lang: str, rule: str) -> str:
    return t(lang, f"quality.rule.{rule}")


def detail_words(lang: str, rule: str, record_type: str, detail: dict) -> str:
    """A finding's detail as a sentence in ``lang``."""
    d = detail or {}
    sep = t(lang, "list.sep")
    if rule == "tax_id_conflict":
        return t(lang, "quality.detail.tax_id_conflict", tax_id=d.get("tax_id", ""),
                 others=sep.join(d.get("other_names", [])), n=d.get("others", 0),
                 tax_ids=sep.join(d.get("tax_ids", [])))
    if rule == "order_after_shipment":
        return t(lang, "quality.detail.order_after_shipment", created=_short(d.get("created_at")),
                 shipped=_short(d.get("shipped_at")))
    if rule == "overpaid":
        return t(lang, "quality.detail.overpaid", received=f"{d.get('received', 0):,.2f}",
                 amount=f"{d.get('amount', 0):,.2f}", over=f"{d.get('over', 0):,.2f}")
    if rule == "duplicate_customer":
        reasons = sep.join(t(lang, f"quality.reason.{r}") for r in d.get("reasons", []))
        return t(lang, "quality.detail.duplicate_customer", other=d.get("other_name", ""),
                 other_id=d.get("other_id", ""), reasons=reasons, similarity=f"{100 * d.get('similarity', 0):.0f}")
    if rule == "missing_fields":
        fields = sep.join(t(lang, f"quality.field.{record_type}.{f}") for f in d.get("fields", []))
        return t(lang, "quality.detail.missing_fields", fields=fields)
    if rule == "late_logging":
        return t(lang, "quality.detail.late_logging", kind=t(lang, f"process.kind.{d.get('kind', '')}"),
                 happened=_short(d.get("happened_at")), logged=_short(d.get("logged_at")),
                 hours=f"{d.get('hours', 0):.0f}")
    return str(d)


def _short(iso: str | None) -> str:
    return "—" if not iso else iso.replace("T", " ")[:16]


def record_words(lang: str, record_type: str, detail: dict) -> str:
    """What the finding is about: "Customer 越州酒业", "Contract HT-0001", "Activity 越州酒业"."""
    return t(lang, f"quality.record.{record_type}", record=(detail or {}).get("record", ""))


def alert_message(lang: str, rule: str, record_type: str, detail: dict) -> str:
    return t(lang, "quality.alert", rule=rule_name(lang, rule), record=record_words(lang, record_type, detail),
             detail=detail_words(lang, rule, record_type, detail))


# ---- reads ----------------------------------------------------------------------------------------

def _check(value, allowed: Iterable[str], key: str, name: str) -> None:
    if value not in allowed:
        raise InvalidFindingInput(key, name, value=str(value)[:40])


@scoped_read
def findings(scope: Scope, session: Session, rule: str | None = None, status: str | None = "open",
             limit: int = 500, lang: str = "en") -> pd.DataFrame:
    """The findings in the caller's scope, newest first: id, rule (code), rule_name, record (in words),
    owner, team, detail (in words), status, reason, first_found_at, last_found_at, closed_at,
    record_type, record_id, other_id (a duplicate's older customer), owner_id. ``rule`` / ``status``
    None: every one."""
    if rule is not None:
        _check(rule, QUALITY_RULES, "quality.err.rule", "rule")
    if status is not None:
        _check(status, FINDING_STATUSES, "quality.err.status", "status")
    owner = aliased(User)
    stmt = (select(QualityFinding.id, QualityFinding.rule, QualityFinding.record_type, QualityFinding.record_id,
                   QualityFinding.detail, owner.display_name.label("owner"), Team.name.label("team"),
                   QualityFinding.status, QualityFinding.reason, QualityFinding.first_found_at,
                   QualityFinding.last_found_at, QualityFinding.closed_at, QualityFinding.owner_id)
            .outerjoin(owner, owner.id == QualityFinding.owner_id).outerjoin(Team, Team.id == QualityFinding.team_id)
            .order_by(QualityFinding.first_found_at.desc(), QualityFinding.id.desc()))
    stmt = scope.apply(stmt, QualityFinding.owner_id, QualityFinding.team_id)
    if rule is not None:
        stmt = stmt.where(QualityFinding.rule == rule)
    if status is not None:
        stmt = stmt.where(QualityFinding.status == status)
    rows = session.execute(stmt.limit(max(1, min(int(limit), 5000)))).all()
    columns = ["id", "rule", "rule_name", "record", "owner", "team", "detail", "status", "reason", "first_found_at",
               "last_found_at", "closed_at", "record_type", "record_id", "other_id", "owner_id"]
    data = [(r.id, r.rule, rule_name(lang, r.rule), record_words(lang, r.record_type, r.detail), r.owner, r.team,
             detail_words(lang, r.rule, r.record_type, r.detail), r.status, r.reason, r.first_found_at,
             r.last_found_at, r.closed_at, r.record_type, r.record_id,
             (r.detail or {}).get("other_id") if r.rule == "duplicate_customer" else None, r.owner_id) for r in rows]
    df = pd.DataFrame(data, columns=columns)
    for col in ("first_found_at", "last_found_at", "closed_at"):
        df[col] = pd.to_datetime(df[col])
    df["other_id"] = df["other_id"].astype("Int64")
    return df


@dataclass(frozen=True)
class QualityLight:
    rule: str
    label: str
    rate: float | None  # % of the checked records without an open finding; None: nothing checked
    checked: int
    flagged: int  # checked records with an open finding
    color: str
    sentence: str = ""  # who holds most open findings (when the light is not green)


def _record_tables(rule: str, record_type: str, now: datetime, settings: dict):
    """(table, owner column, team column, extra conditions) of the records ``rule`` checks."""
    if record_type == "customer":
        extra = [func.trim(func.coalesce(Customer.tax_id, "")) != ""] if rule == "tax_id_conflict" else []
        return Customer, Customer.owner_id, Customer.team_id, extra
    if record_type == "contract":
        extra = []
        if rule == "order_after_shipment":
            extra = [exists().where(Shipment.contract_id == Contract.id, Shipment.shipped_at <= now)]
        elif rule == "overpaid":
            extra = [exists().where(Receipt.contract_id == Contract.id, Receipt.received_at <= now)]
        return Contract, Contract.owner_id, Contract.team_id, extra
    start, end = _window(now, settings)
    return Activity, Activity.owner_id, Activity.team_id, [Activity.logged_at >= start, Activity.logged_at <= end]


def _by_group(scope: Scope) -> bool:
    """Explain by rep inside one team, by team otherwise (as the cockpit does)."""
    return scope.own_only or (scope.team_ids is not None and len(scope.team_ids) == 1)


@scoped_read
def quality_lights(scope: Scope, session: Session, now: datetime, lang: str = "en") -> list[QualityLight]:
    """One light per rule (see the module docstring): checked records in scope, those with an open
    finding of the rule, the share without, its colour and the sentence naming who holds most."""
    settings = rules.all_settings(session)
    by_rep = _by_group(scope)
    out = []
    for rule in QUALITY_RULES:
        checked = flagged = 0
        misses: dict[Any, int] = defaultdict(int)
        for record_type in CHECKED[rule]:
            table, owner_col, team_col, extra = _record_tables(rule, record_type, now, settings)
            has_open = exists().where(QualityFinding.rule == rule, QualityFinding.record_type == record_type,
                                      QualityFinding.record_id == table.id, QualityFinding.status == "open")
            key = owner_col if by_rep else team_col
            stmt = (select(key.label("grp"), func.count().label("checked"),
                           func.coalesce(func.sum(case((has_open, 1), else_=0)), 0).label("flagged"))
                    .select_from(table).where(*extra).group_by(key))
            for r in session.execute(scope.apply(stmt, owner_col, team_col)):
                checked += int(r.checked)
                flagged += int(r.flagged)
                misses[r.grp] += int(r.flagged)
        rate = 100.0 * (checked - flagged) / checked if checked else None
        color = rules.light(rate, settings["light_red_below"], settings["light_green_above"])
        sentence = ""
        if flagged and color != "green" and not scope.own_only:
            sentence = _sentence(session, lang, rule, misses, by_rep, settings)
        out.append(QualityLight(rule, rule_name(lang, rule), rate, checked, flagged, color, sentence))
    return out


def _sentence(session: Session, lang: str, rule: str, misses: dict, by_rep: bool, settings: dict) -> str:
    ids = [g for g in misses if g is not None]
    model = User if by_rep else Team
    label = User.display_name if by_rep else Team.name
    names = dict(session.execute(select(model.id, label).where(model.id.in_(ids))).all()) if ids else {}
    nobody = t(lang, "quality.no_owner" if by_rep else "quality.no_team")
    groups = [(names.get(g, nobody) if g is not None else nobody, n) for g, n in misses.items() if n]
    picked, share = holders(groups, settings["explain_share"], settings["explain_max_groups"])
    total = sum(n for _, n in groups)
    key = "explain.one" if len(picked) == 1 else "explain.many"
    return t(lang, key, names=t(lang, "list.sep").join(picked), share=f"{share * 100:.0f}", misses=total,
             what=t(lang, "quality.what", rule=rule_name(lang, rule)))
