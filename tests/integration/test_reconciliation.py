"""Reconciliation per month (SPEC §7) on hand-made contracts with known answers: one that disagrees,
one that agrees within the tolerance, one still open, and the ones that do not count; the light's
edges, the scope, the settings and the command line."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

import cli
from core.base import rules
from core.base.db import read_session, write_tx
from core.base.errors import UserError
from core.base.scope import COMPANY
from core.cash import reconciliation as recon
from tests.factories import NOW, add_contract, add_customer, add_receipt, add_shipment, scope_of

OCT = datetime(2026, 10, 5, 10, 0)


@pytest.fixture
def month(engine, org):
    """October 2026, as of NOW (23 Nov):
    - a1's HT-BAD: 100,000 signed, 100,000 received, 80,000 shipped (a third shipment comes after NOW)
      → 20,000 apart, its shipped value off: it disagrees;
    - a1's HT-EDGE: 50,000 signed, 50,001 received, 50,000 shipped → ¥1.00 apart, within the tolerance;
    - b1's HT-FINE: 30,000 signed, 29,999.20 received and shipped (5,000 more arrive after NOW) → 0.80;
    - a2's HT-OPEN: an instalment due 20 days after NOW → still open;
    - a cancelled contract (b1) and one signed in November (a1), which do not count."""
    with write_tx(engine) as s:
        ca = add_customer(s, org.a1, "Alpha Buyer")
        cb = add_customer(s, org.b1, "Beta Buyer")
        bad = add_contract(s, org.a1, ca, 100_000, OCT, number="HT-BAD",
                           instalments=[(OCT + timedelta(days=10), 60_000), (OCT + timedelta(days=30), 40_000)])
        add_receipt(s, bad, 60_000, OCT + timedelta(days=9))
        add_receipt(s, bad, 40_000, OCT + timedelta(days=29))
        add_shipment(s, bad, 50_000, OCT + timedelta(days=2))
        add_shipment(s, bad, 30_000, OCT + timedelta(days=12))
        add_shipment(s, bad, 20_000, NOW + timedelta(days=1))  # after now: not yet shipped
        ok = add_contract(s, org.a1, ca, 50_000, OCT + timedelta(days=3), number="HT-EDGE")
        add_receipt(s, ok, 50_001, OCT + timedelta(days=20))  # exactly ¥1.00 apart: within the tolerance
        add_shipment(s, ok, 50_000, OCT + timedelta(days=4))
        fine = add_contract(s, org.b1, cb, 30_000, OCT + timedelta(days=6), number="HT-FINE")
        add_receipt(s, fine, 29_999.20, OCT + timedelta(days=25))
        add_receipt(s, fine, 5_000, NOW + timedelta(hours=1))  # after now: not yet received
        add_shipment(s, fine, 29_999.20, OCT + timedelta(days=7))
        open_ = add_contract(s, org.a2, ca, 40_000, OCT + timedelta(days=8), number="HT-OPEN",
                             instalments=[(OCT + timedelta(days=20), 20_000), (NOW + timedelta(days=20), 20_000)])
        add_receipt(s, open_, 20_000, OCT + timedelta(days=19))
        add_contract(s, org.b1, cb, 70_000, OCT + timedelta(days=9), number="HT-CANCEL", status="cancelled")
        add_contract(s, org.a1, ca, 90_000, datetime(2026, 11, 2), number="HT-NOV")
    return engine


def test_the_month_compares_amount_received_and_shipped_per_contract(month):
    with read_session(month) as s:
        r = recon.reconciliation(COMPANY, s, "2026-10", NOW)
    # compared: HT-BAD, HT-EDGE, HT-FINE (HT-OPEN apart; cancelled and November out)
    assert r.compared == 3
    assert r.amount == 180_000.00
    assert r.received == pytest.approx(100_000 + 50_001 + 29_999.20)
    assert r.shipped == pytest.approx(80_000 + 50_000 + 29_999.20)
    assert r.difference == pytest.approx(20_000 + 1.00 + 0.80)
    assert r.rate == pytest.approx(100 * 20_001.80 / 180_000)
    assert r.color == "red"  # 11.1 % > 3 %
    # only HT-BAD disagrees: 20,000 apart, its shipped value is off
    assert list(r.disagreeing["number"]) == ["HT-BAD"]
    bad = r.disagreeing.iloc[0]
    assert (bad.customer, bad.owner, bad.team) == ("Alpha Buyer", "Amy A1", "Alpha")
    assert (bad.amount, bad.received, bad.shipped, bad.difference) == (100_000, 100_000, 80_000, 20_000)
    assert bad.off == "shipped"
    # still open: HT-OPEN, with its figures and the next instalment due
    assert list(r.still_open["number"]) == ["HT-OPEN"]
    assert r.still_open.iloc[0].next_due == (NOW + timedelta(days=20)).date()
    assert r.still_open.iloc[0].received == 20_000
    assert r.open_amount == 40_000


def test_a_contract_just_outside_the_tolerance_disagrees(month):
    with write_tx(month) as s:
        rules.save_settings(s, COMPANY, {"reconciliation_tolerance": 0.5}, NOW)
    with read_session(month) as s:
        r = recon.reconciliation(COMPANY, s, "2026-10", NOW)
    assert list(r.disagreeing["number"]) == ["HT-BAD", "HT-EDGE", "HT-FINE"]
    assert dict(zip(r.disagreeing["number"], r.disagreeing["off"])) == {
        "HT-BAD": "shipped", "HT-EDGE": "received", "HT-FINE": "amount"}


def test_once_its_last_instalment_is_due_an_open_contract_is_compared(month):
    later = NOW + timedelta(days=21)
    with read_session(month) as s:
        r = recon.reconciliation(COMPANY, s, "2026-10", later)
    assert r.still_open.empty and r.compared == 4
    # HT-OPEN: 40,000 signed, 20,000 received, nothing shipped → 40,000 apart, received and shipped off
    row = r.disagreeing.set_index("number").loc["HT-OPEN"]
    assert row.difference == 40_000 and row.off == "received,shipped"
    # and now the late shipment and receipt count: HT-BAD agrees, HT-FINE is 5,000 over
    assert "HT-BAD" not in set(r.disagreeing["number"])
    assert r.disagreeing.set_index("number").loc["HT-FINE"].off == "received"


def test_a_lead_and_a_rep_reconcile_their_own_contracts_only(month, org):
    with read_session(month) as s:
        lena = recon.reconciliation(scope_of(s, org.lead_alpha), s, "2026-10", NOW)
        a2 = recon.reconciliation(scope_of(s, org.a2), s, "2026-10", NOW)
        leo = recon.reconciliation(scope_of(s, org.lead_beta), s, "2026-10", NOW)
    assert lena.compared == 2 and lena.amount == 150_000 and list(lena.still_open["number"]) == ["HT-OPEN"]
    assert a2.compared == 0 and a2.rate is None and a2.color == "grey" and list(a2.still_open["number"]) == ["HT-OPEN"]
    assert leo.compared == 1 and leo.disagreeing.empty and leo.rate == pytest.approx(100 * 0.8 / 30_000)
    assert leo.color == "green"


def test_a_month_without_contracts_has_no_rate(month):
    with read_session(month) as s:
        r = recon.reconciliation(COMPANY, s, "2026-09", NOW)
    assert (r.compared, r.amount, r.rate, r.color) == (0, 0, None, "grey")
    assert r.disagreeing.empty and r.still_open.empty


@pytest.mark.parametrize("bad", ["2026-13", "Oct", "2027-01", ""])
def test_a_bad_or_future_month_is_refused(month, bad):
    with read_session(month) as s, pytest.raises(UserError) as err:
        recon.reconciliation(COMPANY, s, bad, NOW)
    assert err.value.field == "month"


@pytest.mark.parametrize("rate, color", [(None, "grey"), (0.0, "green"), (1.0, "green"), (1.01, "yellow"),
                                         (3.0, "yellow"), (3.01, "red")])
def test_the_discrepancy_light_at_its_edges(rate, color):
    assert recon.discrepancy_light(rate, 1.0, 3.0) == color


def test_which_figures_are_off():
    assert recon.off_figures(100, 100, 80, 1) == ("shipped",)
    assert recon.off_figures(100, 80, 100, 1) == ("received",)
    assert recon.off_figures(100, 90, 90.5, 1) == ("amount",)
    assert recon.off_figures(100, 90, 80, 1) == ("received", "shipped")
    assert recon.off_figures(100, 101, 80, 1) == ("shipped",)  # received within ¥1 of the amount
    assert recon.off_figures(100, 0, 0, 1) == ("received", "shipped")  # nothing received nor shipped yet
    assert recon.off_figures(100, 100.5, 99.6, 1) == ()


def test_green_may_not_be_set_above_red(engine):
    with write_tx(engine) as s, pytest.raises(rules.InvalidSetting) as err:
        rules.save_settings(s, COMPANY, {"reconciliation_green_at_most": 5.0}, NOW)
    assert err.value.key == "reconciliation_green_at_most"
    with write_tx(engine) as s, pytest.raises(rules.InvalidSetting) as err:
        rules.save_settings(s, COMPANY, {"reconciliation_red_above": 0.5}, NOW)
    assert err.value.key == "reconciliation_red_above"
    with read_session(engine) as s:
        assert rules.get(s, "reconciliation_tolerance") == 1.0
        assert (rules.get(s, "reconciliation_green_at_most"), rules.get(s, "reconciliation_red_above")) == (1.0, 3.0)


# ---- the command line -------------------------------------------------------------------------------

@pytest.fixture
def cli_db(month, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", month.url.render_as_string(hide_password=False))
    return month


def test_cli_prints_the_months_reconciliation_as_json(cli_db, capsys):
    assert cli.main(["metrics", "reconciliation", "--month", "2026-10", "--now", NOW.isoformat(), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["month"], got["compared"], got["amount"], got["color"]) == ("2026-10", 3, 180_000.0, "red")
    assert got["rate"] == pytest.approx(100 * 20_001.80 / 180_000, abs=1e-4)
    assert [(c["number"], c["off"], c["owner"]) for c in got["disagreeing"]] == [("HT-BAD", ["shipped"], "Amy A1")]
    assert [c["number"] for c in got["still_open"]] == ["HT-OPEN"]
    assert "owner_id" not in got["disagreeing"][0]


def test_cli_reconciliation_in_a_users_scope_and_as_text(cli_db, capsys):
    assert cli.main(["metrics", "reconciliation", "--month", "2026-10", "--now", NOW.isoformat(),
                     "--as-user", "leo"]) == 0
    out = capsys.readouterr().out
    assert "reconciliation 2026-10: 1 contracts compared, amount ¥30,000.00" in out
    assert "green" in out and "HT-BAD" not in out


def test_cli_refuses_a_bad_month(cli_db, capsys):
    assert cli.main(["metrics", "reconciliation", "--month", "2026/10"]) == 2
    assert "is not a month" in capsys.readouterr().err
