"""Settings validation across fields and the audit log (issue 14): every pair of bounds, clear
messages at the right field, nothing half-saved, before/after audited; the audit log's filters and
pages; every guarded write writes its audit row in the same transaction."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.base import audit, rules, users
from core.base.db import read_session, write_tx
from core.base.models import AuditLog, Setting
from core.base.scope import COMPANY
from tests.factories import NOW, add_user, make_org


def save(engine, changes, scope=COMPANY):
    with write_tx(engine) as s:
        rules.save_settings(s, scope, changes, NOW)


@pytest.mark.parametrize("changes,field,words", [
    ({"light_red_below": 95.0}, "light_red_below", "red threshold"),
    ({"light_green_above": 70.0}, "light_green_above", "red threshold"),
    ({"reconciliation_green_at_most": 5.0}, "reconciliation_green_at_most", "green discrepancy"),
    ({"stage_min_days_proposal": 9}, "stage_min_days_proposal", "shortest standard stay"),
    ({"stage_max_days_proposal": 4}, "stage_max_days_proposal", "shortest standard stay"),
    ({"psi_tier_partial": 95.0}, "psi_tier_partial", "psi_tier_partial (95.0) must not be above psi_tier_full (90.0)"),
    ({"upload_max_record_mb": 5.0}, "upload_max_record_mb", "upload_max_file_mb (10.0) must not be above"),
    ({"psi_weight_on_time": 0, "psi_weight_closure": 0, "psi_weight_collaboration": 0}, "psi_weight_on_time",
     "must be above 0"),
])
def test_each_pair_of_bounds_is_checked_at_the_changed_field(engine, changes, field, words):
    with pytest.raises(rules.InvalidSetting) as exc:
        save(engine, changes)
    assert exc.value.field == field
    assert words in exc.value.message("en")
    assert exc.value.message("zh") != exc.value.message("en")
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Setting)) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_every_refusal_is_named_at_once_and_nothing_is_saved(engine):
    with pytest.raises(rules.InvalidSettings) as exc:
        save(engine, {"light_red_below": 95.0, "psi_tier_partial": 99.0, "explain_share": 5, "lockout_minutes": "x",
                      "cockpit_window_days": 14})
    fields = sorted(e.field for e in exc.value.errors)
    assert fields == ["explain_share", "lockout_minutes"]  # the values first …
    with pytest.raises(rules.InvalidSettings) as exc:
        save(engine, {"light_red_below": 95.0, "psi_tier_partial": 99.0, "cockpit_window_days": 14})
    assert sorted(e.field for e in exc.value.errors) == ["light_red_below", "psi_tier_partial"]  # … then the pairs
    with read_session(engine) as s:
        assert rules.get(s, "cockpit_window_days") == 7


def test_moving_both_bounds_together_is_fine_and_audited_before_and_after(engine, org):
    save(engine, {"light_red_below": 92.0, "light_green_above": 96.0})
    save(engine, {"light_red_below": 93.0})
    with read_session(engine) as s:
        assert rules.get(s, "light_red_below") == 93.0 and rules.get(s, "light_green_above") == 96.0
        rows = audit.audit_page(users_scope(s), s, entity="setting")
        assert rows.total == 3
        first = rows.rows.set_index("record").loc["light_green_above"]
        assert (first["before"], first["after"]) == ("90.0", "96.0")
        red = rows.rows[rows.rows["record"] == "light_red_below"]
        assert list(zip(red["before"], red["after"])) == [("92.0", "93.0"), ("80.0", "92.0")]


def test_every_setting_is_in_exactly_one_group_with_its_label():
    from core.base.i18n import EN, ZH
    keys = [d.key for _, defs in rules.grouped() for d in defs]
    assert sorted(keys) == sorted(rules.DEFINITIONS) and len(keys) == len(set(keys))
    assert "other" not in dict(rules.grouped())
    for group, _ in rules.grouped():
        assert f"settings.group.{group}" in EN and f"settings.group.{group}" in ZH


def users_scope(s):
    return users.scope_of(s, "ada")


@pytest.fixture
def org(engine):
    with write_tx(engine) as s:
        o = make_org(s)
        add_user(s, "ada", "Ada Admin", "admin")
    return o


def test_the_audit_log_filters_by_who_kind_record_and_time_and_pages(engine, org):
    with write_tx(engine) as s:
        ada = s.scalar(select(users.User.id).where(users.User.username == "ada"))
        for i in range(30):
            s.add(AuditLog(at=NOW - timedelta(hours=i), user_id=ada if i % 2 else org.lead_alpha.id,
                           action="update" if i % 3 else "create", entity="setting" if i < 20 else "user",
                           entity_id=str(i), detail={"old": i, "new": i + 1}))
    with read_session(engine) as s:
        scope = users_scope(s)
        everything = audit.audit_page(scope, s, page=1, per_page=10)
        assert (everything.total, everything.pages, len(everything.rows)) == (30, 3, 10)
        assert list(everything.rows["record"])[:3] == ["0", "1", "2"]  # newest first
        last = audit.audit_page(scope, s, page=3, per_page=10)
        assert list(last.rows["record"]) == [str(i) for i in range(20, 30)]
        beyond = audit.audit_page(scope, s, page=9, per_page=10)
        assert beyond.page == 3
        by_ada = audit.audit_page(scope, s, user_id=ada, per_page=100)
        assert by_ada.total == 15 and set(by_ada.rows["user"]) == {"ada"}
        created_users = audit.audit_page(scope, s, action="create", entity="user", per_page=100)
        assert sorted(created_users.rows["record"].astype(int)) == [21, 24, 27]
        one = audit.audit_page(scope, s, record="7")
        assert one.total == 1 and (one.rows.iloc[0]["before"], one.rows.iloc[0]["after"]) == ("7", "8")
        window = audit.audit_page(scope, s, since=NOW - timedelta(hours=4, minutes=30), until=NOW - timedelta(hours=1))
        assert sorted(window.rows["record"].astype(int)) == [1, 2, 3, 4]
        with pytest.raises(audit.InvalidAuditFilter):
            audit.audit_page(scope, s, since=NOW, until=NOW - timedelta(days=1))
        options = audit.audit_options(scope, s)
        assert options["entities"] == ["setting", "user"] and options["actions"] == ["create", "update"]
        with pytest.raises(users.ScopeError):
            audit.audit_page(users.scope_of(s, "lena"), s)
