"""The morning brief and "moved since yesterday" (SPEC §9) on hand-made data: each sentence kind
appears when its condition holds and not otherwise; a lead's brief never names another team.

NOW is Monday 23 Nov 2026 12:00, so "since yesterday" is since Friday 20 Nov 12:00."""
from __future__ import annotations

from datetime import datetime, timedelta

from core.base.db import read_session, write_tx
from core.process import brief as morning
from tests.factories import NOW, add_contract, add_customer, add_lead, make_org, scope_of
from tests.funnel_samples import add_deal

H, D = timedelta(hours=1), timedelta(days=1)
FRIDAY_NOON = datetime(2026, 11, 20, 12)


def read_brief(engine, who, lang="en", now=NOW):
    with read_session(engine) as s:
        return morning.brief(scope_of(s, who), s, now, lang)


def read_moved(engine, who, now=NOW):
    with read_session(engine) as s:
        return morning.moved_since_yesterday(scope_of(s, who), s, now, "en")


def kinds(b) -> list[str]:
    return [s.kind for s in b.sentences]


def test_previous_working_day_skips_the_weekend():
    assert morning.previous_working_day(NOW.date()) == FRIDAY_NOON.date()  # Monday → Friday
    assert morning.previous_working_day(datetime(2026, 11, 24).date()) == NOW.date()  # Tuesday → Monday
    assert morning.previous_working_day(datetime(2026, 11, 22).date()) == FRIDAY_NOON.date()  # Sunday → Friday
    assert morning.since_of(NOW) == FRIDAY_NOON


def test_a_quiet_day_says_only_that_no_light_is_red(engine):
    with write_tx(engine) as s:
        make_org(s)
    b = read_brief(engine, "dora")
    assert kinds(b) == ["headline"]  # nothing decided: every light grey, not "all clear"
    with write_tx(engine) as s:
        a1 = scope_of(s, "a1")
        from core.base.models import User
        rep = s.get(User, a1.user_id)
        for i in range(3):  # three leads contacted on time: the light is green
            add_lead(s, rep, NOW - (3 + i) * D, NOW - (3 + i) * D + H)
    b = read_brief(engine, "dora")
    assert kinds(b) == ["headline", "all_clear"]
    assert b.sentences[0].text == "Morning brief for 2026-11-23: 0 of 4 lights are red."
    assert b.sentences[1].link == "cockpit"


def test_a_red_light_says_why_and_who_needs_help(engine):
    with write_tx(engine) as s:
        o = make_org(s)
        for i in range(3):  # Alpha's leads never contacted: 0 %
            add_lead(s, o.a1, NOW - (3 + i) * D)
        for i in range(3):  # Beta's on time
            add_lead(s, o.b1, NOW - (3 + i) * D, NOW - (3 + i) * D + H)
    b = read_brief(engine, "dora")
    assert kinds(b) == ["headline", "red_light", "needs_help"]
    red = b.sentences[1]
    assert red.text.startswith("48 h first response is red at 50% (red below 80%).")
    assert "Alpha holds 100% of the 3 late leads." in red.text
    assert red.link == "cockpit?light=first_response"
    help_ = b.sentences[2]
    assert help_.text == "Alpha needs help today: 48 h first response at 0%." and help_.link == "cockpit?light=first_response"
    assert "Beta" not in " ".join(s.text for s in b.sentences[2:])
    # in Chinese, the same sentences
    zh = read_brief(engine, "dora", "zh")
    assert kinds(zh) == kinds(b) and "红灯" in zh.sentences[1].text and "Alpha今天需要支持" in zh.sentences[2].text


def test_deals_that_moved_since_yesterday_are_named_the_largest_first(engine):
    with write_tx(engine) as s:
        o = make_org(s)
        add_deal(s, o.a1, "Scanner", [("proposal", NOW - 10 * D), ("negotiation", NOW - 2 * H)], amount=90000)
        add_deal(s, o.a2, "Monitor", [("negotiation", NOW - 10 * D), ("proposal", NOW - 3 * H)], amount=40000)
        add_deal(s, o.b1, "Printer", [("proposal", NOW - 10 * D), ("lost", NOW - 1 * H)], amount=20000)
        add_deal(s, o.b2, "Thursday", [("proposal", NOW - 10 * D), ("negotiation", NOW - 4 * D)], amount=99000)
        add_deal(s, o.b2, "Idle", [("proposal", NOW - 10 * D)], amount=99000)
    moved = read_moved(engine, "dora")
    assert moved.since == FRIDAY_NOON
    assert [(m.name, m.from_stage, m.to_stage) for m in moved.advanced] == [("Scanner", "proposal", "negotiation")]
    assert [(m.name, m.from_stage, m.to_stage) for m in moved.slipped] == [("Monitor", "negotiation", "proposal")]
    assert [(m.name, m.from_stage, m.to_stage) for m in moved.lost] == [("Printer", "proposal", "lost")]
    b = read_brief(engine, "dora")
    deals = [s for s in b.sentences if s.kind == "deal_moved"]
    assert [s.text for s in deals] == [
        "Scanner (Scanner Co, ¥90,000) moved up from Proposal submitted to Negotiation.",
        "Monitor (Monitor Co, ¥40,000) slipped back from Negotiation to Proposal submitted.",
        "1 more deals moved since yesterday.",
    ]
    assert deals[0].link == f"funnel?opp={moved.advanced[0].id}"
    # Beta's lead sees only the lost deal of Beta
    leo = read_brief(engine, "leo")
    assert [s.text for s in leo.sentences if s.kind == "deal_moved"] == [
        "Printer (Printer Co, ¥20,000) was lost at Proposal submitted."]
    # a week later nothing moved since the previous working day
    assert "deal_moved" not in kinds(read_brief(engine, "dora", now=NOW + 7 * D))


def test_collections_due_today(engine):
    with write_tx(engine) as s:
        o = make_org(s)
        add_contract(s, o.a1, add_customer(s, o.a1, "Huaxin"), 50000, NOW - 30 * D, number="HT-TODAY",
                     instalments=[(NOW, 30000), (NOW + 30 * D, 20000)])
        add_contract(s, o.a2, add_customer(s, o.a2, "Minor"), 5000, NOW - 30 * D, number="HT-SMALL",
                     instalments=[(NOW, 5000)])
        big = add_contract(s, o.b1, add_customer(s, o.b1, "Tomorrow"), 9000, NOW - 30 * D,
                           instalments=[(NOW + D, 9000)])
    b = read_brief(engine, "dora")
    due = [s for s in b.sentences if s.kind == "collections_due"]
    assert [s.text for s in due] == [
        "2 instalments worth ¥35,000 are due today; the largest: contract HT-TODAY (Huaxin, ¥30,000)."]
    with read_session(engine) as s:
        from core.base.models import Contract
        today_id = s.query(Contract.id).filter(Contract.number == "HT-TODAY").scalar()
    assert due[0].link == f"contracts?contract={today_id}"
    assert "collections_due" not in kinds(read_brief(engine, "leo"))  # Beta's is due tomorrow
    assert [s.text for s in read_brief(engine, "a2").sentences if s.kind == "collections_due"] == [
        "1 instalment of ¥5,000 is due today: contract HT-SMALL (Minor)."]
    assert big.id


def test_new_leads_and_new_red_lights_since_yesterday(engine):
    with write_tx(engine) as s:
        o = make_org(s)
        for i in range(2):  # late since last week: red on Friday already
            add_lead(s, o.a1, NOW - 5 * D - i * H)
    moved = read_moved(engine, "dora")
    assert moved.new_red == () and moved.new_leads == 0
    with write_tx(engine) as s:
        o2 = scope_of(s, "b1")
        from core.base.models import User
        b1 = s.get(User, o2.user_id)
        for i in range(3):  # created on Saturday, uncontacted: late now, not there on Friday
            add_lead(s, b1, NOW - 60 * H - i * H)
    leo = read_moved(engine, "leo")  # Beta: red now, nothing on Friday
    assert [r.code for r in leo.new_red] == ["first_response"] and leo.new_leads == 3
    lena = read_moved(engine, "lena")  # Alpha: red both days
    assert lena.new_red == () and lena.new_leads == 0


def test_a_leads_brief_never_names_another_team(engine):
    with write_tx(engine) as s:
        o = make_org(s)
        for rep in (o.a1, o.b1, o.b2):
            for i in range(3):
                add_lead(s, rep, NOW - (3 + i) * D, company=f"{rep.username} lead co {i}")
        add_deal(s, o.a1, "AlphaDeal", [("proposal", NOW - 10 * D), ("negotiation", NOW - 2 * H)], amount=1000)
        add_deal(s, o.b1, "BetaDeal", [("proposal", NOW - 10 * D), ("negotiation", NOW - 2 * H)], amount=9000)
        add_contract(s, o.b1, add_customer(s, o.b1, "BetaCustomer"), 9000, NOW - 30 * D, instalments=[(NOW, 9000)])
        add_contract(s, o.a2, add_customer(s, o.a2, "AlphaCustomer"), 100, NOW - 30 * D, instalments=[(NOW, 100)])
    everyone = read_brief(engine, "dora")
    assert "Beta" in everyone.text and "Alpha" in everyone.text
    for lang in ("en", "zh"):
        lena = read_brief(engine, "lena", lang)
        assert set(kinds(lena)) == {"headline", "red_light", "deal_moved", "collections_due", "needs_help"}
        for other in ("Beta", "Bob B1", "Ben B2", "Leo", "BetaDeal", "BetaCustomer", "b1 lead", "b2 lead"):
            assert other not in lena.text, (lang, other)
        assert "AlphaDeal" in lena.text and "AlphaCustomer" in lena.text
        md = lena.markdown("http://cockpit.example")
        assert "(http://cockpit.example/cockpit?light=first_response)" in md
    # inside one team the brief names reps; a rep's brief names no one but themself
    lena = read_brief(engine, "lena")
    assert [s.text for s in lena.sentences if s.kind == "needs_help"] == [
        "Amy A1 needs help today: 48 h first response at 0%."]
    amy = read_brief(engine, "a1")
    assert "needs_help" not in kinds(amy) and "Ann A2" not in amy.text and "AlphaCustomer" not in amy.text


def test_the_brief_is_about_a_hundred_words(engine):
    with write_tx(engine) as s:
        o = make_org(s)
        for rep in o.reps:
            for i in range(3):
                add_lead(s, rep, NOW - (3 + i) * D)
            add_deal(s, rep, f"Deal {rep.username}", [("proposal", NOW - 10 * D), ("negotiation", NOW - 2 * H)])
            add_contract(s, rep, add_customer(s, rep), 100, NOW - 30 * D, instalments=[(NOW, 100)])
    b = read_brief(engine, "dora")
    assert 40 <= b.words <= 140, b.text
    assert b.as_dict()["words"] == b.words and len(b.as_dict()["sentences"]) == len(b.sentences)
