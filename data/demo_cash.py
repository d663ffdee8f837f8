"""The cash part of the demo (SPEC §7): what finance received, invoiced and the warehouse shipped for
the scorecard's contracts (data/demo_people.py), with patterns put in on purpose so that every
collections light, reconciliation figure and data-quality finding has something to show.

- Collections: the regions pay mostly on time (about 95 % of what is due is received); the region
  LATE_REGION (华南大区) collects late — of the instalments due in the last four months only about
  a third came in, older ones are often missing or arrived weeks late — so its collections light is
  red and the others are not.
- Invoices: a contract paid more than 95 % (the setting ``invoice_min_paid_share``) is invoiced at
  its amount a few days after the payment that took it over; none below.
- Shipments: most contracts are shipped at their amount a few days after signing (a large one in
  two deliveries); the newest, and about one in twelve others, are not shipped yet.
- Reconciliation: MISMATCHED contracts (6) where the three figures disagree — three shipped short or
  over their amount, three with a payment above their amount (a transfer entered twice).
- Orders after shipment: LATE_ENTRIES contracts (3) were entered in the app after the warehouse
  had shipped them.
- Duplicate customers: DUPLICATES pairs (5) — twice the same phone in another format (with the
  short name), three times the same name with a legal form dropped, a branch added or a bracket;
  two of them carry a different tax id (one customer with two tax ids). Each duplicate has a call.
  The generated names are made unique first (core.leads.dedupe's rules, as lead entry applies
  them): random brands repeat, and a demo with a thousand accidental pairs would hide these five.
- Missing fields: MISSING customers (4) lack a phone or an industry.

Receipts stay the ledger behind the instalments: per contract Σ receipts = Σ amount_received, each
instalment marked received when its last receipt came. Called from data/demo.py's capability
seeding, in its last transaction; deterministic with the seed, aggregates and bulk writes only.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from itertools import permutations

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from core.base import models as m
from core.base import rules
from core.cash.contracts import may_invoice
from core.leads import dedupe

LATE_REGION = "华南大区"
ON_TIME_FILL = 0.9  # elsewhere: chance that an instalment the scorecard left unpaid was paid after all
LATE_FILL = 0.4  # the same in the late region, where besides instalments due …
LATE_RECENT_DAYS = 120  # … this recently …
LATE_RECENT_MISSING = 0.4  # … are this often still unpaid,
LATE_OLD_MISSING = 0.1  # older ones less often,
LATE_SHIFT = 0.35  # and of those it did receive, this many arrived 15–45 days later than recorded
NOT_SHIPPED = 0.08
MISMATCHED = 6
LATE_ENTRIES = 3
DUPLICATES = 5
MISSING = 4
CHUNK = 5_000
KEEP_NAMES = ("杭州越州酒业有限公司",)  # data/demo_leads.py's duplicate example keeps its name
# brand characters no generated name uses: renamed customers get brands of these, unlike any other
FRESH_CHARS = ("晨曦澜卓凯骏璟铭锦晟煜琪瑾璞曜翔弘毅彦朗启航拓峰岳川森蓝星辰云帆舟耀坤乾崇睿聪颖敏捷雅韵墨砚"
               "竹松柏桐楠枫槐桦杉沐泓澄澈溪泉潮浩淼渊岚霖霏雯露霆雷电光焕炜烁熠灿炎璀璨琳琅瑶珂玥琨瑜")


def _chunks(session: Session, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[i:i + CHUNK])


def _at_work(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59)))


def seed_cash(session: Session, now: datetime, seed: int = 23) -> dict[str, int]:
    """Write the cash demo; returns what it wrote or changed per kind."""
    rng = random.Random(seed)
    counts = {"customers_renamed": unique_customer_names(session, rng)}
    counts |= _collections(session, now, rng)
    counts["shipments"] = _shipments(session, now, rng)
    counts["mismatched"] = _mismatches(session, now, rng)
    counts["late_entries"] = _late_entries(session, now, rng)
    counts["invoices"] = _invoices(session, now, rng)
    pairs = _duplicates(session, now, rng)
    counts["duplicate_customers"] = len(pairs)
    counts["missing_fields"] = _missing_fields(session, now, rng, {cid for pair in pairs for cid in pair})
    _settle(session)
    return counts


# ---- customers: unique names first --------------------------------------------------------------------

def duplicate_clusters(names: dict[int, str], threshold: float) -> list[list[int]]:
    """Groups (ids ascending) of customers whose names match by core.leads.dedupe's rules (brands
    alike, then cores or brands at least ``threshold`` similar). Brands shorter than three characters
    match only themselves, so candidates are the customers of one brand, and of brands that rapidfuzz
    finds alike among the longer ones."""
    keys = {cid: dedupe.name_key(name) for cid, name in names.items()}
    by_brand: dict[str, list[int]] = defaultdict(list)
    for cid, key in keys.items():
        if key.core:
            by_brand[key.brand].append(cid)
    long = [b for b in by_brand if len(b) >= dedupe.MIN_CORE_CHARS]
    near: dict[str, set[str]] = defaultdict(set)
    if long:
        scores = process.cdist(long, long, scorer=fuzz.ratio, score_cutoff=threshold * 100 - 1e-9, workers=1)
        for i, j in zip(*scores.nonzero()):
            if i < j:
                near[long[i]].add(long[j])
    parent = {cid: cid for cid in keys}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(group_a: list[int], group_b: list[int]) -> None:
        by_core_a = _by_core(group_a, keys)
        by_core_b = by_core_a if group_b is group_a else _by_core(group_b, keys)
        for core_a, ids_a in by_core_a.items():
            for core_b, ids_b in by_core_b.items():
                if dedupe.key_similarity(keys[ids_a[0]], keys[ids_b[0]], threshold) >= threshold - 1e-9:
                    for x in (*ids_a, *ids_b):
                        parent[root(x)] = root(ids_a[0])

    for brand, ids in by_brand.items():
        join(ids, ids)
        for other in near.get(brand, ()):
            join(ids, by_brand[other])
    clusters: dict[int, list[int]] = defaultdict(list)
    for cid in sorted(keys):
        clusters[root(cid)].append(cid)
    return [ids for ids in clusters.values() if len(ids) > 1]


def _by_core(ids: list[int], keys: dict) -> dict[tuple, list[int]]:
    """Customers of one brand grouped by (core, whether it has trade words): equal keys compare once."""
    out: dict[tuple, list[int]] = defaultdict(list)
    for cid in ids:
        out[(keys[cid].core, keys[cid].has_trade)].append(cid)
    return out


def _fresh_brands(used_chars: set[str], rng: random.Random):
    """Brands of two, then three characters no generated name contains, in a shuffled order."""
    chars = [c for c in dict.fromkeys(FRESH_CHARS) if c not in used_chars]
    for size in (2, 3):
        combos = ["".join(p) for p in permutations(chars, size)]
        rng.shuffle(combos)
        yield from combos


def unique_customer_names(session: Session, rng: random.Random) -> int:
    """Rename every customer whose name matches an earlier customer's (KEEP_NAMES keep theirs): a
    fresh brand in place of its own, in its leads' company and its deals' names as well. Returns how
    many were renamed."""
    rows = session.execute(select(m.Customer.id, m.Customer.name, m.Customer.industry).order_by(m.Customer.id)).all()
    names = {r.id: r.name for r in rows}
    industry = {r.id: r.industry for r in rows}
    threshold = rules.get(session, "duplicate_name_similarity")
    brands = _fresh_brands(set("".join(names.values())), rng)
    renamed: dict[int, tuple[str, str]] = {}
    for ids in duplicate_clusters(names, threshold):
        keeper = next((cid for cid in ids if names[cid] in KEEP_NAMES), ids[0])
        for cid in ids:
            if cid != keeper:
                renamed[cid] = (names[cid], _rename(names[cid], industry[cid], brands))
    if not renamed:
        return 0
    session.execute(update(m.Customer.__table__).where(m.Customer.id == bindparam("b_id"))
                    .values(name=bindparam("b_name")),
                    [{"b_id": cid, "b_name": new} for cid, (_, new) in renamed.items()])
    for model, column in ((m.Lead, m.Lead.company), (m.Opportunity, m.Opportunity.name)):
        changes = []
        for rid, cid, text in session.execute(select(model.id, model.customer_id, column)
                                              .where(model.customer_id.in_(list(renamed)))):
            old, new = renamed[cid]
            if text.startswith(old):
                changes.append({"b_id": rid, "b_text": (new + text[len(old):])[:column.type.length]})
        if changes:
            session.execute(update(model.__table__).where(model.__table__.c.id == bindparam("b_id"))
                            .values({column.key: bindparam("b_text")}), changes)
    return len(renamed)


def _rename(name: str, industry: str, brands) -> str:
    """``name`` with a fresh brand in place of its own (dedupe's brand of the new name is that fresh
    brand); a name whose brand cannot be found is rebuilt as <fresh brand><trade>有限公司."""
    key = dedupe.name_key(name)
    for brand in brands:
        candidate = name.replace(key.brand, brand, 1) if key.brand and key.brand in name else ""
        if not candidate or not dedupe.name_key(candidate).brand.startswith(brand):
            candidate = f"{brand}{industry or '贸易'}有限公司"
        if dedupe.name_key(candidate).brand.startswith(brand):
            return candidate
    raise RuntimeError("the demo ran out of fresh customer brands")


# ---- collections ----------------------------------------------------------------------------------------

def _collections(session: Session, now: datetime, rng: random.Random) -> dict[str, int]:
    """Most past instalments the scorecard left unpaid were paid after all, in LATE_REGION fewer; there
    many of those it recorded as paid are unpaid or came weeks late. Receipts and instalments change
    together."""
    p, c = m.Payment, m.Contract
    late_teams = set(session.scalars(select(m.Team.id).join(m.Region, m.Region.id == m.Team.region_id)
                                     .where(m.Region.name == LATE_REGION)))
    rows = session.execute(select(p.id, p.contract_id, p.owner_id, p.team_id, p.due_date, p.amount_due,
                                  p.amount_received, p.received_at, c.signed_at)
                           .join(c, c.id == p.contract_id).order_by(p.id)).all()
    receipts: dict[tuple, list[int]] = defaultdict(list)
    for rid, cid, amount, at in session.execute(select(m.Receipt.id, m.Receipt.contract_id, m.Receipt.amount,
                                                       m.Receipt.received_at).order_by(m.Receipt.id)):
        receipts[(cid, at)].append(rid)
    today, recent = now.date(), now.date() - timedelta(days=LATE_RECENT_DAYS)
    changed, dropped, moved, added = [], [], [], []
    for r in rows:
        due_amount, got = float(r.amount_due), float(r.amount_received or 0)
        if r.due_date > today:
            continue
        late = r.team_id in late_teams
        if late and got > 0:
            ids = receipts.get((r.contract_id, r.received_at), [])
            if not ids:
                continue
            if rng.random() < (LATE_RECENT_MISSING if r.due_date >= recent else LATE_OLD_MISSING):
                dropped.append(ids.pop(0))
                changed.append(dict(b_id=r.id, b_received=0.0, b_at=None))
            elif rng.random() < LATE_SHIFT:
                at = r.received_at + timedelta(days=rng.randint(15, 45))
                rid = ids.pop(0)
                if at >= now:
                    dropped.append(rid)
                    changed.append(dict(b_id=r.id, b_received=0.0, b_at=None))
                else:
                    moved.append(dict(b_id=rid, b_at=at))
                    changed.append(dict(b_id=r.id, b_received=got, b_at=at))
            continue
        if got >= due_amount or rng.random() >= (LATE_FILL if late else ON_TIME_FILL):
            continue
        start = r.received_at.date() if got > 0 else r.due_date
        at = _at_work(start + timedelta(days=rng.randint(0 if got else -3, 20 if got else 8)), rng)
        at = max(at, r.signed_at + timedelta(hours=2), (r.received_at or at) + timedelta(hours=1))
        if at >= now:
            continue
        added.append(dict(contract_id=r.contract_id, owner_id=r.owner_id, team_id=r.team_id,
                          amount=round(due_amount - got, 2), received_at=at,
                          reference=f"BK{at:%Y%m%d}-D{len(added) + 1:06d}", entered_by=None, created_at=at))
        changed.append(dict(b_id=r.id, b_received=due_amount, b_at=at))
    if dropped:
        for i in range(0, len(dropped), CHUNK):
            session.execute(m.Receipt.__table__.delete().where(m.Receipt.id.in_(dropped[i:i + CHUNK])))
    if moved:
        session.execute(update(m.Receipt.__table__).where(m.Receipt.id == bindparam("b_id"))
                        .values(received_at=bindparam("b_at"), created_at=bindparam("b_at")), moved)
    if changed:
        session.execute(update(p.__table__).where(p.id == bindparam("b_id"))
                        .values(amount_received=bindparam("b_received"), received_at=bindparam("b_at")), changed)
    _chunks(session, m.Receipt.__table__, added)
    return {"receipts_added": len(added), "receipts_dropped": len(dropped), "receipts_late": len(moved)}


def _settle(session: Session) -> None:
    """A contract is completed once its receipts reach its amount, active otherwise (not cancelled)."""
    received = dict(session.execute(select(m.Receipt.contract_id, func.sum(m.Receipt.amount))
                                    .group_by(m.Receipt.contract_id)).all())
    changes = [dict(b_id=cid, b_status="completed" if float(received.get(cid) or 0) >= float(amount) - 0.005
                    else "active")
               for cid, amount, status in session.execute(select(m.Contract.id, m.Contract.amount, m.Contract.status))
               if status != "cancelled"]
    if changes:
        session.execute(update(m.Contract.__table__).where(m.Contract.id == bindparam("b_id"))
                        .values(status=bindparam("b_status")), changes)


# ---- shipments, invoices and the deliberate disagreements ---------------------------------------------------

def _contracts(session: Session) -> list:
    c = m.Contract
    return session.execute(select(c.id, c.number, c.owner_id, c.team_id, c.amount, c.signed_at, c.created_at,
                                  c.status).order_by(c.id)).all()


def _shipments(session: Session, now: datetime, rng: random.Random) -> int:
    rows = []
    for c in _contracts(session):
        if c.status == "cancelled" or rng.random() < NOT_SHIPPED:
            continue
        amount = float(c.amount)
        first = _at_work((c.signed_at + timedelta(days=rng.randint(2, 12))).date(), rng)
        second = _at_work((first + timedelta(days=rng.randint(5, 20))).date(), rng)
        if first >= now:
            continue  # not shipped yet
        parts = [(first, amount)]
        if amount >= 300_000 and rng.random() < 0.5 and second < now:  # a large order in two deliveries
            parts = [(first, round(amount * 0.6, 2)), (second, round(amount - round(amount * 0.6, 2), 2))]
        for at, value in parts:
            rows.append(dict(contract_id=c.id, owner_id=c.owner_id, team_id=c.team_id, value=value, shipped_at=at,
                             number=f"CK{at:%Y%m%d}-{len(rows) + 1:06d}", entered_by=None, created_at=at))
    _chunks(session, m.Shipment.__table__, rows)
    return len(rows)


def _shipped(session: Session) -> dict[int, tuple[float, datetime]]:
    """Per contract: Σ shipped value, first shipment."""
    return {cid: (float(value), first) for cid, value, first in session.execute(
        select(m.Shipment.contract_id, func.sum(m.Shipment.value), func.min(m.Shipment.shipped_at))
        .group_by(m.Shipment.contract_id))}


def _received(session: Session) -> dict[int, float]:
    return {cid: float(v) for cid, v in session.execute(select(m.Receipt.contract_id, func.sum(m.Receipt.amount))
                                                        .group_by(m.Receipt.contract_id))}


def _well_kept(session: Session, now: datetime) -> list:
    """Contracts of the last five months (not of LATE_REGION) paid and shipped exactly at their
    amount: where a deliberate disagreement stands out."""
    late_teams = set(session.scalars(select(m.Team.id).join(m.Region, m.Region.id == m.Team.region_id)
                                     .where(m.Region.name == LATE_REGION)))
    shipped, received = _shipped(session), _received(session)
    return [c for c in _contracts(session)
            if c.team_id not in late_teams and c.signed_at >= now - timedelta(days=150)
            and abs(shipped.get(c.id, (0.0,))[0] - float(c.amount)) < 0.005
            and abs(received.get(c.id, 0.0) - float(c.amount)) < 0.005]


def _spread(rows: list, n: int, rng: random.Random) -> list:
    """``n`` of ``rows``, from as many teams as possible."""
    by_team: dict[int, list] = defaultdict(list)
    for r in rows:
        by_team[r.team_id].append(r)
    teams = sorted(by_team)
    rng.shuffle(teams)
    picked = []
    while len(picked) < n and any(by_team.values()):
        for t in teams:
            if by_team[t] and len(picked) < n:
                picked.append(by_team[t].pop(rng.randrange(len(by_team[t]))))
    return picked


def _mismatches(session: Session, now: datetime, rng: random.Random) -> int:
    """Half the MISMATCHED contracts shipped short or over (their last shipment's value changed), half
    paid above their amount (a second transfer, taken by the last instalment)."""
    picked = _spread(_well_kept(session, now), MISMATCHED, rng)
    short = picked[: len(picked) // 2]
    for c, factor in zip(short, (0.9, 1.05, 0.8)):
        last = session.scalar(select(m.Shipment.id).where(m.Shipment.contract_id == c.id)
                              .order_by(m.Shipment.shipped_at.desc(), m.Shipment.id.desc()).limit(1))
        shipped = _shipped(session)[c.id][0]
        value = session.scalar(select(m.Shipment.value).where(m.Shipment.id == last))
        session.execute(update(m.Shipment.__table__).where(m.Shipment.id == last)
                        .values(value=round(float(value) + float(c.amount) * factor - shipped, 2)))
    for c in picked[len(picked) // 2:]:
        extra = round(float(c.amount) * rng.choice((0.03, 0.05, 0.08)), 2)
        last = session.execute(select(m.Payment.id, m.Payment.amount_received, m.Payment.received_at)
                               .where(m.Payment.contract_id == c.id)
                               .order_by(m.Payment.due_date.desc(), m.Payment.id.desc()).limit(1)).one()
        at = min(last.received_at + timedelta(days=rng.randint(1, 5)), now - timedelta(hours=2))
        session.execute(insert(m.Receipt.__table__), [dict(
            contract_id=c.id, owner_id=c.owner_id, team_id=c.team_id, amount=extra, received_at=at,
            reference=f"BK{at:%Y%m%d}-R{c.id:06d}", entered_by=None, created_at=at)])
        session.execute(update(m.Payment.__table__).where(m.Payment.id == last.id)
                        .values(amount_received=round(float(last.amount_received) + extra, 2), received_at=at))
    return len(picked)


def _late_entries(session: Session, now: datetime, rng: random.Random) -> int:
    """LATE_ENTRIES contracts entered in the app one to three days after their first shipment."""
    shipped = _shipped(session)
    candidates = [c for c in _well_kept(session, now) if shipped[c.id][1] + timedelta(days=3) < now]
    picked = _spread(candidates, LATE_ENTRIES, rng)
    if picked:
        session.execute(update(m.Contract.__table__).where(m.Contract.id == bindparam("b_id"))
                        .values(created_at=bindparam("b_at")),
                        [dict(b_id=c.id, b_at=shipped[c.id][1] + timedelta(days=rng.randint(1, 3), hours=2))
                         for c in picked])
    return len(picked)


def _invoices(session: Session, now: datetime, rng: random.Random) -> int:
    """An invoice at the amount of every contract paid more than the setting's share, a few days
    after the payment that took it over."""
    share = rules.get(session, "invoice_min_paid_share")
    by_contract: dict[int, list] = defaultdict(list)
    for cid, amount, at in session.execute(select(m.Receipt.contract_id, m.Receipt.amount, m.Receipt.received_at)
                                           .order_by(m.Receipt.contract_id, m.Receipt.received_at, m.Receipt.id)):
        by_contract[cid].append((float(amount), at))
    rows = []
    for c in _contracts(session):
        total, crossed = 0.0, None
        for amount, at in by_contract.get(c.id, ()):
            total += amount
            if crossed is None and may_invoice(round(total, 2), c.amount, share):
                crossed = at
        if crossed is None:
            continue
        issued = max(_at_work((crossed + timedelta(days=rng.randint(0, 3))).date(), rng), crossed + timedelta(hours=1))
        if issued >= now:
            continue
        rows.append(dict(contract_id=c.id, owner_id=c.owner_id, team_id=c.team_id, amount=float(c.amount),
                         issued_at=issued, number=f"FP{issued:%Y%m%d}{len(rows) + 1:06d}", entered_by=None,
                         created_at=issued))
    _chunks(session, m.Invoice.__table__, rows)
    return len(rows)


# ---- duplicate customers and missing fields ---------------------------------------------------------------

def _other_format(phone: str) -> str:
    """A stored mobile number as people write it: +86 139-4535-8165."""
    return f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}" if len(phone) == 11 else f"({phone[:4]}) {phone[4:]}"


NAME_VARIANTS = (
    lambda name: name.replace("有限公司", "") if name.endswith("有限公司") else name + "有限公司",  # legal form
    lambda name: name + "上城分公司" if "公司" in name else name + "（分店）",  # a branch
    lambda name: name.replace("有限公司", "（集团）有限公司") if "有限公司" in name else name + "（总店）",  # a bracket
)


def _duplicates(session: Session, now: datetime, rng: random.Random) -> list[tuple[int, int]]:
    """DUPLICATES pairs (original, duplicate): a second record of an existing customer, with a call
    logged on it."""
    cu = m.Customer
    pool = session.execute(select(cu.id, cu.name, cu.phone, cu.tax_id, cu.industry, cu.size, cu.customer_type,
                                  cu.heat, cu.region_id, cu.owner_id, cu.team_id)
                           .where(cu.owner_id.is_not(None), cu.tax_id.is_not(None), cu.phone != "",
                                  cu.name.like("%有限公司"), cu.name.not_in(KEEP_NAMES))
                           .order_by(cu.id)).all()
    picked = _spread(pool, DUPLICATES, rng)
    reps: dict[int, list[int]] = defaultdict(list)
    for uid, team_id in session.execute(select(m.User.id, m.User.team_id).where(m.User.role == "rep",
                                                                                 m.User.active.is_(True))):
        reps[team_id].append(uid)
    tax_chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    made = []
    for k, c in enumerate(picked):
        by_phone = k < 2
        name = dedupe.name_key(c.name).core if by_phone else NAME_VARIANTS[(k - 2) % len(NAME_VARIANTS)](c.name)
        phone = _other_format(c.phone) if by_phone else f"1{rng.choice('3578')}{rng.randrange(10 ** 9):09d}"
        tax_id = {0: c.tax_id[:-4] + "".join(rng.choice(tax_chars) for _ in range(4)), 1: None,
                  2: "91" + "".join(rng.choice(tax_chars) for _ in range(16)), 3: c.tax_id}.get(k)
        others = [u for u in reps.get(c.team_id, []) if u != c.owner_id]
        owner = rng.choice(others) if k in (0, 2) and others else c.owner_id
        created = now - timedelta(days=rng.randint(5, 60), hours=rng.randint(1, 8))
        new_id = session.execute(insert(cu.__table__).returning(cu.id), [dict(
            name=name, phone=phone, tax_id=tax_id, industry=c.industry, size=c.size, customer_type=c.customer_type,
            heat=c.heat, region_id=c.region_id, owner_id=owner, team_id=c.team_id, created_at=created,
            updated_at=created)]).scalar_one()
        call = created + timedelta(days=1, hours=rng.randint(1, 5))
        session.execute(insert(m.Activity.__table__), [dict(
            kind="call", customer_id=new_id, lead_id=None, opportunity_id=None, owner_id=owner, team_id=c.team_id,
            happened_at=call, logged_at=call + timedelta(minutes=20), effective=True,
            fields={"summary": "电话沟通采购计划"}, note="")])
        made.append((c.id, new_id))
    return made


def _missing_fields(session: Session, now: datetime, rng: random.Random, keep: set[int]) -> int:
    """MISSING customers (none of ``keep``) without a phone (half) or an industry (the others)."""
    cu = m.Customer
    pool = [c for c in session.execute(select(cu.id, cu.team_id).where(cu.phone != "", cu.industry != "",
                                                                       cu.name.not_in(KEEP_NAMES)).order_by(cu.id))
            if c.id not in keep]
    picked = _spread(pool, MISSING, rng)
    for k, c in enumerate(picked):
        session.execute(update(cu.__table__).where(cu.id == c.id)
                        .values(**({"phone": ""} if k % 2 == 0 else {"industry": ""}), updated_at=now))
    return len(picked)
