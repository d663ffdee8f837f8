"""The light rule (SPEC §5): red below 80 %, yellow from 80 % to 90 %, green above 90 %, every
threshold a validated setting."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import func, select

from core.base import rules
from core.base.db import read_session, write_tx
from core.base.models import AuditLog, Setting
from core.base.rules import InvalidSetting, light
from core.base.scope import COMPANY
from tests.factories import NOW

ORDER = {"red": 0, "yellow": 1, "green": 2}
RED, GREEN = rules.DEFINITIONS["light_red_below"].default, rules.DEFINITIONS["light_green_above"].default


def test_defaults_are_the_spec_thresholds():
    assert (RED, GREEN) == (80.0, 90.0)


@pytest.mark.parametrize("rate, color", [
    (0.0, "red"), (79.9, "red"), (79.999, "red"),
    (80.0, "yellow"), (85.0, "yellow"), (90.0, "yellow"),
    (90.01, "green"), (90.1, "green"), (100.0, "green"),
])
def test_light_at_the_edges_of_the_default_thresholds(rate, color):
    assert light(rate, RED, GREEN) == color


def test_nothing_decided_is_grey():
    assert light(None, RED, GREEN) == "grey"


@pytest.mark.parametrize("rate, color", [
    (69.9, "red"), (70.0, "yellow"), (95.0, "yellow"), (95.5, "green"),
])
def test_light_follows_custom_thresholds(rate, color):
    assert light(rate, 70.0, 95.0) == color


def test_equal_thresholds_leave_no_yellow_band_but_the_edge():
    assert [light(r, 85.0, 85.0) for r in (84.9, 85.0, 85.1)] == ["red", "yellow", "green"]


@given(
    a=st.floats(0, 100, allow_nan=False),
    b=st.floats(0, 100, allow_nan=False),
    red=st.floats(0, 100, allow_nan=False),
    gap=st.floats(0, 100, allow_nan=False),
)
def test_light_is_monotone_in_the_rate(a, b, red, gap):
    green = min(red + gap, 100.0)
    low, high = sorted((a, b))
    assert ORDER[light(low, red, green)] <= ORDER[light(high, red, green)]


# ---- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize("key, value", [
    ("light_red_below", -1),
    ("light_red_below", 100.5),
    ("light_red_below", "eighty"),
    ("light_red_below", None),
    ("light_red_below", float("nan")),
    ("light_green_above", float("inf")),
    ("cockpit_window_days", 0),
    ("cockpit_window_days", 7.5),
    ("cockpit_window_days", "7.5"),
    ("cockpit_window_days", 93),
    ("explain_share", 0.05),
    ("explain_max_groups", 11),
    ("first_response_hours", 0.5),
    ("default_language", "fr"),
])
def test_validate_rejects_bad_values_naming_the_key(key, value):
    with pytest.raises(InvalidSetting) as err:
        rules.validate(key, value)
    assert err.value.key == key
    assert key in str(err.value)


def test_validate_rejects_an_unknown_key():
    with pytest.raises(InvalidSetting) as err:
        rules.validate("light_purple_above", 50)
    assert err.value.key == "light_purple_above"


@pytest.mark.parametrize("key, value, expected", [
    ("light_red_below", "75", 75.0),
    ("light_red_below", 0, 0.0),
    ("light_green_above", 100, 100.0),
    ("cockpit_window_days", "14", 14),
    ("cockpit_window_days", 14.0, 14),
    ("default_language", "en", "en"),
])
def test_validate_converts_good_values_to_the_settings_type(key, value, expected):
    got = rules.validate(key, value)
    assert got == expected and type(got) is type(expected)


# ---- saving (needs a database) -----------------------------------------------------------------

def test_saved_thresholds_are_read_back_and_audited(engine):
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"light_red_below": "70", "light_green_above": 85}, NOW)
    with read_session(engine) as s:
        values = rules.all_settings(s)
        assert (values["light_red_below"], values["light_green_above"]) == (70.0, 85.0)
        assert rules.get(s, "light_red_below") == 70.0
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "setting").order_by(AuditLog.entity_id)).all()
        assert [(a.entity_id, a.detail) for a in audit] == [
            ("light_green_above", {"old": 90.0, "new": 85.0}),
            ("light_red_below", {"old": 80.0, "new": 70.0}),
        ]


@pytest.mark.parametrize("changes, key", [
    ({"light_red_below": 95}, "light_red_below"),  # above the default green threshold
    ({"light_red_below": 60, "light_green_above": 50}, "light_red_below"),
    ({"light_red_below": 60, "cockpit_window_days": 0}, "cockpit_window_days"),
])
def test_save_settings_rejects_bad_values_and_writes_nothing(engine, changes, key):
    with pytest.raises(InvalidSetting) as err:
        with write_tx(engine) as s:
            rules.save_settings(s, COMPANY, changes, NOW)
    assert err.value.key == key
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Setting)) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 0
        assert rules.all_settings(s)["light_red_below"] == 80.0
