"""Company set-up without the demo (SPEC §10): init-db on an empty database, then the users
import gives a company whose people log in with their roles; regions and teams by form; initial
passwords and the first-login change; deactivating ends sessions and rotation; moving a rep keeps
history with the team it was earned in."""
from __future__ import annotations

from datetime import timedelta

import bcrypt
import pytest
from sqlalchemy import func, select

import cli
from core.base import config, org, users
from core.base.access import Forbidden
from core.base.db import make_engine, read_session, write_tx
from core.base.models import Activity, AuditLog, Lead, Region, Team, User
from core.exchange import entities, importer
from core.leads import routing
from tests.factories import NOW, add_customer, add_lead, add_user, make_org

USERS_CSV = """username,name,role,team,region,department,email
boss,Bo Boss,director,,,,boss@example.com
hlead,Hu Lead,lead,Hangzhou 1,East,,
hrep1,Han Rep,rep,Hangzhou 1,East,,hrep1@example.com
hrep2,He Rep,rep,Hangzhou 1,,,
slead,Su Lead,片区经理,Suzhou 1,East,,
srep,Si Rep,Sales rep,Suzhou 1,East,,
cash,Cai Finance,finance,,,,
help,Hui Support,service,,,技术支持部,
root,Ro Admin,admin,,,,
"""


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    monkeypatch.setattr(entities, "IMPORT_HASH_ROUNDS", 4)


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "SECRETS_FILE", tmp_path / "secrets.toml")
    for name in ("COCKPIT_ENV", "COCKPIT_COOKIE_KEY"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'company.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_init_db_then_the_users_import_gives_a_company_that_logs_in(empty_db, tmp_path, capsys):
    assert cli.main(["init-db"]) == 0
    path = tmp_path / "users.csv"
    path.write_text(USERS_CSV, encoding="utf-8")
    assert cli.main(["import", "users", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would" in out and "users 9" in out and "new regions 1" in out and "new teams 2" in out
    engine = make_engine(empty_db)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0  # the dry run wrote nothing
    assert cli.main(["import", "users", str(path)]) == 0
    out = capsys.readouterr().out
    passwords = dict(line.split("\t") for line in out.splitlines() if "\t" in line)
    assert sorted(passwords) == sorted(["boss", "hlead", "hrep1", "hrep2", "slead", "srep", "cash", "help", "root"])
    assert len(set(passwords.values())) == 9
    with read_session(engine) as s:
        creds = users.credentials(s)["usernames"]
        for username, password in passwords.items():  # each logs in with the password shown once
            assert bcrypt.checkpw(password.encode(), creds[username]["password"].encode())
            assert users.account(s, username).must_change_password
        east = s.scalar(select(Region).where(Region.name == "East"))
        h1 = s.scalar(select(Team).where(Team.name == "Hangzhou 1"))
        s1 = s.scalar(select(Team).where(Team.name == "Suzhou 1"))
        assert h1.region_id == s1.region_id == east.id
        roles = {u: users.scope_of(s, u) for u in passwords}
        assert {u: sc.role for u, sc in roles.items()} == {
            "boss": "director", "hlead": "lead", "hrep1": "rep", "hrep2": "rep", "slead": "lead", "srep": "rep",
            "cash": "finance", "help": "service", "root": "admin"}
        assert roles["hlead"].team_ids == {h1.id} and roles["slead"].team_ids == {s1.id}
        assert roles["hrep1"].team_ids == {h1.id} and roles["hrep1"].own_only
        assert roles["boss"].team_ids is None and roles["help"].department == "support"
        assert creds["hrep1"]["email"] == "hrep1@example.com" and creds["hrep1"]["roles"] == ["rep"]
        # the lead's view of the organisation: their team's two reps, not Suzhou's
        reps = org.active_reps(roles["hlead"], s)
        assert sorted(reps["display_name"]) == ["Han Rep", "He Rep"]
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "import")) == 1
    # the admin of the new company works: creates a further user, whose first login must change the password
    with write_tx(engine) as s:
        admin = users.scope_of(s, "root")
        new_id, pw = users.invite_user(s, admin, username="late", display_name="La Te", role="rep",
                                       team_id=h1.id, now=NOW)
    with write_tx(engine) as s:
        rep = users.scope_of(s, "late")
        users.set_password(s, rep, new_id, "my-own-password", NOW)
    with read_session(engine) as s:
        assert not users.account(s, "late").must_change_password
        assert bcrypt.checkpw(b"my-own-password", users.credentials(s)["usernames"]["late"]["password"].encode())


def _import(engine, text, dry_run=False):
    with read_session(engine) as s:
        admin = users.scope_of(s, "ada")
    return importer.run_import(engine, "users", text.encode(), "users.csv", scope=admin, now=NOW, dry_run=dry_run)


def _with_admin(engine):
    with write_tx(engine) as s:
        org_ = make_org(s)
        add_user(s, "ada", "Ada Admin", "admin")
    return org_


def test_a_bad_users_file_names_each_row_and_writes_nothing(engine):
    _with_admin(engine)
    bad = ("username,name,role,team,region,department,email\n"
           "ok1,Ok One,rep,Alpha,,,\n"
           "Bad Name,X,rep,Alpha,,,\n"          # 3: username format
           "lena,Dup,rep,Alpha,,,\n"            # 4: exists
           "ok2,,rep,Alpha,,,\n"                # 5: name missing
           "ok3,Three,king,Alpha,,,\n"          # 6: role
           "ok4,Four,rep,,,,\n"                 # 7: rep without team
           "ok5,Five,rep,Gamma,,,\n"            # 8: new team without region
           "ok6,Six,rep,Alpha,South,,\n"        # 9: Alpha is in North
           "ok7,Seven,service,,,,\n"            # 10: no department
           "ok8,Eight,rep,Alpha,,,not-mail\n"   # 11: e-mail
           "ok1,Again,rep,Alpha,,,\n")          # 12: repeats row 2
    report = _import(engine, bad)
    assert not report.written
    assert report.bad_rows == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    messages = {e.row: e.message("en") for e in report.errors}
    assert "exists already" in messages[4] and "name its region" in messages[8]
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(User)) == 8
        assert s.scalar(select(func.count()).select_from(Team)) == 2


def test_the_first_lead_of_a_new_team_leads_it_and_a_second_is_refused(engine):
    _with_admin(engine)
    two = ("username,name,role,team,region,department,email\n"
           "g1,G One,lead,Gamma,North,,\ng2,G Two,lead,Gamma,North,,\n")
    report = _import(engine, two)
    assert report.bad_rows == [3]
    report = _import(engine, "username,name,role,team,region,department,email\ng1,G One,lead,Gamma,North,,\n"
                              "g3,G Three,lead,Alpha,,,\n")
    assert report.written, report.errors
    with read_session(engine) as s:
        gamma = s.scalar(select(Team).where(Team.name == "Gamma"))
        g1 = s.scalar(select(User).where(User.username == "g1"))
        assert gamma.lead_user_id == g1.id
        assert users.scope_of(s, "g1").team_ids == {gamma.id}
        # Alpha keeps lena as its lead; g3 joins Alpha but leads nothing
        assert users.scope_of(s, "lena").team_ids == {s.scalar(select(Team.id).where(Team.name == "Alpha"))}
        assert users.scope_of(s, "g3").team_ids == frozenset()


def test_regions_and_teams_by_form(engine):
    _with_admin(engine)
    with write_tx(engine) as s:
        admin = users.scope_of(s, "ada")
        west = org.create_region(s, admin, "  West ", NOW)
        team = org.create_team(s, admin, "Chengdu 1", west, NOW)
    with write_tx(engine) as s:
        admin = users.scope_of(s, "ada")
        with pytest.raises(org.InvalidOrgInput) as exc:
            org.create_region(s, admin, "west", NOW)
        assert exc.value.field == "name" and "exists already" in str(exc.value)
        with pytest.raises(org.InvalidOrgInput) as exc:
            org.create_team(s, admin, "Chengdu 1", west, NOW)
        assert exc.value.field == "name"
        with pytest.raises(org.InvalidOrgInput) as exc:
            org.create_team(s, admin, "Chengdu 2", None, NOW)
        assert exc.value.field == "region_id"
        with pytest.raises(org.InvalidOrgInput):
            org.create_team(s, admin, "", west, NOW)
        lena = users.scope_of(s, "lena")
        with pytest.raises(Forbidden):
            org.create_region(s, lena, "East", NOW)
    with read_session(engine) as s:
        assert s.get(Team, team).region_id == west and s.get(Region, west).name == "West"
        details = [a.entity for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]
        assert details == ["region", "team"]


def test_deactivating_a_rep_ends_their_sessions_and_takes_them_out_of_rotation(engine):
    o = _with_admin(engine)
    login_at = NOW - timedelta(hours=1)
    with write_tx(engine) as s:
        admin = users.scope_of(s, "ada")
        acct = users.account(s, "a1")
        assert users.cookie_accepted(acct, login_at)
        before = {c.rep_id for c in routing.candidates(s, o.alpha.id, NOW)}
        assert before == {o.a1.id, o.a2.id}
        users.set_active(s, admin, o.a1.id, False, NOW)
    with read_session(engine) as s:
        with pytest.raises(users.UnknownUser):  # their next run finds no account: logged out
            users.account(s, "a1")
        assert "a1" not in users.credentials(s)["usernames"]
        assert {c.rep_id for c in routing.candidates(s, o.alpha.id, NOW)} == {o.a2.id}
    with write_tx(engine) as s:  # new leads of Alpha all go to a2
        routing.add_rule(s, users.scope_of(s, "ada"), team_id=o.alpha.id, now=NOW)
        for i in range(3):
            lead = add_lead(s, None, NOW, None)
            routing.assign_new_lead(s, lead, NOW + timedelta(minutes=i))
        owners = list(s.scalars(select(Lead.owner_id)))
        assert owners == [o.a2.id] * 3
    with write_tx(engine) as s:  # reactivated, their old cookie still refused: log in again
        users.set_active(s, users.scope_of(s, "ada"), o.a1.id, True, NOW + timedelta(minutes=5))
    with read_session(engine) as s:
        assert not users.cookie_accepted(users.account(s, "a1"), login_at)


def test_moving_a_rep_keeps_past_rows_with_the_old_team_and_new_rows_get_the_new(engine):
    o = _with_admin(engine)
    from core.process import capture
    with write_tx(engine) as s:
        old = Activity(kind="visit", owner_id=o.a1.id, team_id=o.alpha.id, happened_at=NOW - timedelta(days=3),
                       logged_at=NOW - timedelta(days=3), effective=True, fields={}, note="")
        s.add(old)
        s.flush()
        old_id = old.id
        users.move_user(s, users.scope_of(s, "ada"), o.a1.id, o.beta.id, NOW)
    with read_session(engine) as s:
        assert s.get(Activity, old_id).team_id == o.alpha.id  # earned in Alpha, stays with Alpha
        moved = s.scalar(select(AuditLog).where(AuditLog.action == "move"))
        assert moved.detail == {"before": {"team_id": o.alpha.id}, "after": {"team_id": o.beta.id}}
        rep = users.scope_of(s, "a1")
        assert rep.team_ids == {o.beta.id}
        lena = users.scope_of(s, "lena")
        assert o.a1.id not in set(org.active_reps(lena, s)["id"])
    with write_tx(engine) as s:  # what they log now carries Beta
        rep = users.scope_of(s, "a1")
        cid = add_customer(s, s.get(User, o.a1.id)).id  # a customer they own (the factory: their team now)
        new_id = capture.log_activity(s, rep, "visit", cid, None, None, {"outcome": "met the buyer", "effective": True},
                                      NOW - timedelta(hours=2), NOW, attachments=[]).id
    with read_session(engine) as s:
        assert s.get(Activity, new_id).team_id == o.beta.id
        assert s.get(Activity, old_id).team_id == o.alpha.id
    with write_tx(engine) as s:
        admin = users.scope_of(s, "ada")
        with pytest.raises(users.InvalidUserInput) as exc:
            users.move_user(s, admin, o.a1.id, o.beta.id, NOW)
        assert exc.value.field == "team_id"
        with pytest.raises(users.InvalidUserInput):
            users.move_user(s, admin, s.scalar(select(User.id).where(User.username == "dora")), o.beta.id, NOW)


def test_an_admin_reset_gives_an_initial_password_again(engine):
    o = _with_admin(engine)
    with write_tx(engine) as s:
        pw = users.reset_password(s, users.scope_of(s, "ada"), o.a1.id, NOW)
    with read_session(engine) as s:
        acct = users.account(s, "a1")
        assert acct.must_change_password and not users.cookie_accepted(acct, NOW - timedelta(seconds=1))
        assert bcrypt.checkpw(pw.encode(), s.get(User, o.a1.id).password_hash.encode())
    with write_tx(engine) as s:
        with pytest.raises(Forbidden):
            users.reset_password(s, users.scope_of(s, "lena"), o.a1.id, NOW)
