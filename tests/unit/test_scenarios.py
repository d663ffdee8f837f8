"""The scenario forms (SPEC §5 3-click rule): at most five fields each, every required field refused
when missing with a message at that field, and values stored in the demo's keys."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from core.base import rules
from core.base.i18n import t
from core.process.capture import (
    InvalidActivity, instead_of, scenario_for, steps_of_subject, subject_of, validate,
)
from core.process.scenarios import SCENARIOS, fields_of_kind
from core.process.steps import ACTION_FIELDS, ACTIONS, TRIGGERS, carries
from tests.factories import NOW
from tests.process_samples import PHOTOS, VALID

SETTINGS = {k: d.default for k, d in rules.DEFINITIONS.items()}
REQUIRED = [(s.code, key) for s in SCENARIOS for key in s.required]


def check(code, values, **kw):
    kw.setdefault("photos", PHOTOS.get(code, 0))
    return validate(code, values, settings=SETTINGS, happened_at=NOW, now=NOW, **kw)


def test_every_scenario_of_the_issue_has_a_form_of_at_most_five_fields():
    codes = {s.code for s in SCENARIOS}
    assert {"first_visit", "cold_visit", "demo", "proposal", "promotion", "promotion_evidence", "objection",
            "solution_update", "renewal", "complaint"} <= codes
    for s in SCENARIOS:
        assert 1 <= len(s.fields) <= 5, s.code
        assert s.required, f"{s.code} has no required field"
    assert set(VALID) == codes


@pytest.mark.parametrize("code", sorted(VALID))
def test_a_complete_form_is_accepted(code):
    clean = check(code, VALID[code])
    assert set(clean) <= set(scenario_for(code).keys)
    assert set(scenario_for(code).required) <= set(clean)


@pytest.mark.parametrize("code, key", REQUIRED)
@pytest.mark.parametrize("missing", [None, "", "   ", []])
def test_each_missing_required_field_is_refused_at_that_field(code, key, missing):
    values = dict(VALID[code])
    values[key] = missing
    photos = 0 if key == "photos" else PHOTOS.get(code, 0)
    with pytest.raises(InvalidActivity) as err:
        check(code, values, photos=photos)
    assert set(err.value.errors) == {key}
    assert err.value.field == key
    # the message names the field, in both languages
    for lang in ("en", "zh"):
        assert t(lang, f"process.f.{key}") in err.value.errors[key].message(lang)


def test_a_key_left_out_altogether_is_missing_too():
    values = {k: v for k, v in VALID["first_visit"].items() if k != "problem"}
    with pytest.raises(InvalidActivity) as err:
        check("first_visit", values)
    assert err.value.field == "problem"
    assert err.value.message("zh") == "请填写“客户要解决的问题”。"


def test_every_refused_field_is_reported_at_once():
    with pytest.raises(InvalidActivity) as err:
        check("first_visit", {"problem": "x"})
    assert list(err.value.errors) == ["concerns", "next_action", "next_action_at"]


def test_needs_summary_is_stored_in_the_demos_keys():
    clean = check("first_visit", VALID["first_visit"])
    assert clean == {"problem": "检查排队超过一周", "concerns": ["价格", "交付周期", "售后响应"],
                     "next_action": "发送报价单", "next_action_at": (NOW + timedelta(days=2)).isoformat()}


@pytest.mark.parametrize("typed, expected", [
    ("价格，交付周期；售后", ["价格", "交付周期", "售后"]),
    ("price, delivery,  service ", ["price", "delivery", "service"]),
    ("价格\n培训\n付款方式", ["价格", "培训", "付款方式"]),
    ("价格、价格、交付、售后", ["价格", "交付", "售后"]),  # a repeated concern counts once
])
def test_the_three_concerns_are_typed_separated_by_commas(typed, expected):
    values = dict(VALID["first_visit"], concerns=typed)
    assert check("first_visit", values)["concerns"] == expected


@pytest.mark.parametrize("typed, got", [("价格、交付", 2), ("a,b,c,d", 4), ("价格、价格、价格", 1)])
def test_not_exactly_three_concerns_is_refused(typed, got):
    with pytest.raises(InvalidActivity) as err:
        check("first_visit", dict(VALID["first_visit"], concerns=typed))
    assert err.value.field == "concerns"
    assert err.value.params == {"n": 3, "got": got}


def test_next_action_time_must_follow_the_visit_and_lie_within_a_year():
    for when, key in ((NOW - timedelta(minutes=1), "process.err.before_activity"),
                      (NOW + timedelta(days=366), "process.err.too_far"), ("tomorrow", "process.err.datetime")):
        with pytest.raises(InvalidActivity) as err:
            check("first_visit", dict(VALID["first_visit"], next_action_at=when))
        assert (err.value.field, err.value.msg_key) == ("next_action_at", key)
    assert check("first_visit", dict(VALID["first_visit"], next_action_at=NOW))["next_action_at"] == NOW.isoformat()


@pytest.mark.parametrize("value, key", [(0, "process.err.range"), (201, "process.err.range"), (2.5, "process.err.whole"),
                                        ("five", "process.err.number"), (True, "process.err.number"),
                                        (float("nan"), "process.err.number")])
def test_numbers_are_checked(value, key):
    with pytest.raises(InvalidActivity) as err:
        check("demo", dict(VALID["demo"], attendees=value))
    assert (err.value.field, err.value.msg_key) == ("attendees", key)


def test_text_limits_choices_and_yes_no():
    with pytest.raises(InvalidActivity) as err:
        check("objection", dict(VALID["objection"], objection="贵" * 301, category="weather"))
    assert {k: e.msg_key for k, e in err.value.errors.items()} == {
        "objection": "process.err.too_long", "category": "process.err.choice"}
    with pytest.raises(InvalidActivity) as err:
        check("complaint", dict(VALID["complaint"], resolved="yes"))
    assert err.value.field == "resolved"
    # a number typed with thousands separators is a number
    assert check("proposal", VALID["proposal"])["amount"] == 1250000.0


def test_promotion_evidence_needs_the_settings_number_of_photos():
    with pytest.raises(InvalidActivity) as err:
        check("promotion_evidence", VALID["promotion_evidence"], photos=2)
    assert err.value.field == "photos"
    assert err.value.message("en") == "Photos: attach at least 3 photos (now 2)."
    assert check("promotion_evidence", VALID["promotion_evidence"], photos=3) == {"photos": 3, "note": "端架陈列已到位，堆头三处"}
    four = dict(SETTINGS, promotion_min_photos=4)
    with pytest.raises(InvalidActivity):
        validate("promotion_evidence", VALID["promotion_evidence"], photos=3, settings=four, happened_at=NOW, now=NOW)


def test_a_voice_note_stands_for_the_text_note():
    with pytest.raises(InvalidActivity) as err:
        check("promotion_evidence", {"note": ""})
    assert err.value.msg_key == "process.err.required_or_voice"
    assert check("promotion_evidence", {"note": ""}, voices=1) == {"photos": 3}


def test_an_unknown_scenario_is_refused():
    with pytest.raises(InvalidActivity) as err:
        validate("karaoke", {})
    assert err.value.field == "scenario"


def test_activity_kinds_map_to_their_form():
    assert scenario_for("visit").code == "cold_visit"
    assert scenario_for("needs_summary").code == "needs_summary"
    assert scenario_for("first_visit").kind == "needs_summary"


def test_a_step_counts_as_done_only_with_its_required_content():
    need = ["problem", "concerns", "next_action", "next_action_at"]
    full = check("first_visit", VALID["first_visit"])
    assert carries(need, "needs_summary", full, SETTINGS)
    assert not carries(need, "needs_summary", dict(full, concerns=[]), SETTINGS)
    assert not carries(need, "needs_summary", {k: v for k, v in full.items() if k != "problem"}, SETTINGS)
    # the demo's promotion evidence: a count of photos and a note (or a voice note)
    assert carries(["photos", "note"], "promotion_evidence", {"photos": 3, "note": "ok"}, SETTINGS)
    assert carries(["photos", "note"], "promotion_evidence", {"photos": 3, "voice": 1}, SETTINGS)
    assert not carries(["photos", "note"], "promotion_evidence", {"photos": 2, "note": "ok"}, SETTINGS)
    assert not carries(["photos", "note"], "promotion_evidence", {"photos": 3}, SETTINGS)
    assert carries(["progress"], "solution_update", {"progress": "已申请特价"}, SETTINGS)


def test_rules_may_require_only_fields_of_their_actions_form():
    assert set(ACTIONS) >= {"needs_summary", "promotion_evidence", "solution_update"}
    assert TRIGGERS[0] == "first_contact" and "promotion" in TRIGGERS and "objection" in TRIGGERS
    assert fields_of_kind("needs_summary") == ("problem", "concerns", "next_action", "next_action_at")
    assert fields_of_kind("promotion_evidence") == ("photos", "note")
    # the step rules form offers every field of every action's form, each once
    assert set(ACTION_FIELDS) == {k for a in ACTIONS for k in fields_of_kind(a)}
    assert len(ACTION_FIELDS) == len(set(ACTION_FIELDS)) and ACTION_FIELDS[:4] == fields_of_kind("needs_summary")


def test_a_subject_key_names_a_customer_or_a_lead():
    assert subject_of("c12") == {"customer_id": 12, "lead_id": None}
    assert subject_of("l5") == {"customer_id": None, "lead_id": 5}
    assert subject_of(None) == {"customer_id": None, "lead_id": None}


def test_the_open_steps_of_the_chosen_subject_and_the_scenario_to_log_instead():
    steps = pd.DataFrame({"id": [1, 2, 3], "code": ["needs_summary", "solution_update", "needs_summary"],
                          "customer_id": [12, 12, None], "lead_id": [None, None, 5]})
    assert list(steps_of_subject(steps, "c12")["id"]) == [1, 2]
    assert list(steps_of_subject(steps, "l5")["id"]) == [3]
    assert steps_of_subject(steps, "c99").empty and steps_of_subject(steps, None).empty
    # a first visit to a customer whose needs summary is open: that contact is recorded, log the summary
    assert instead_of("first_visit", steps_of_subject(steps, "c12")) == "needs_summary"
    assert instead_of("first_visit", steps_of_subject(steps, "l5")) == "needs_summary"
    assert instead_of("needs_summary", steps_of_subject(steps, "c12")) is None
    assert instead_of("first_visit", steps[steps["code"] == "solution_update"]) is None
    assert instead_of("first_visit", steps_of_subject(steps, "c99")) is None
