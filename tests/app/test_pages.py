"""AppTest per page and role: figures and scope, not only 'no exception'.

Every rep holds the same records (tests.factories.add_rep_records): per rep, of the first-response
leads 1 on time, 1 late, 1 never contacted, 1 still inside its window; of each key step 1 on time,
1 late, 1 missed, 1 not yet due. So a rep sees 1 of 3, a lead (2 reps) 2 of 6, the director 4 of 12.
"""
from __future__ import annotations

import re

import pytest

from tests.app.conftest import frame, texts

pytestmark = pytest.mark.app


def metric_values(at):
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("username, on_time, decided", [("dora", 4, 12), ("lena", 2, 6), ("a1", 1, 3), ("ada", 4, 12)])
def test_cockpit_counts_follow_the_callers_scope(login, username, on_time, decided):
    at = login(username)
    assert at.title[0].value == ("My process lights" if username == "a1" else "Cockpit — morning meeting")
    values = metric_values(at)
    assert values["48 h first response"] == "33.3%"
    assert values["Needs summary"] == "33.3%"
    captions = texts(at)
    assert f"{on_time} of {decided} on time · {decided - on_time} missed" in captions


def test_cockpit_explains_a_red_light_by_team_for_the_director(login):
    at = login("dora")
    body = texts(at)
    # Alpha and Beta hold 4 of the 8 late leads each: the fewest teams holding ≥ 50 % is one team.
    assert "Alpha holds 50% of the 8 late leads." in body
    assert [b.label for b in at.button if b.key == "open_first_response"] == ["Show the 8 missed"]


def test_lead_sees_reps_of_own_team_only(login):
    at = login("lena")
    body = texts(at)
    assert "Reps, weakest first" in body
    table = frame(at, "Owner", "48 h first response")
    assert sorted(table.index) == ["Amy A1", "Ann A2"]


def test_director_drills_from_a_light_to_its_records(login):
    at = login("dora")
    at.button(key="open_first_response").click().run()
    assert not at.exception
    records = frame(at, "Owner", "Customer")
    assert len(records) == 8
    assert set(records["Owner"]) == {"Amy A1", "Ann A2", "Bob B1", "Ben B2"}
    assert set(records["Customer"]) == {f"{r} {kind}" for r in ("a1", "a2", "b1", "b2") for kind in ("late", "missed")}


def test_rep_drill_down_shows_only_own_records(login):
    at = login("a1")
    at.button(key="open_needs_summary").click().run()
    records = frame(at, "Owner", "Customer")
    assert len(records) == 2
    assert set(records["Owner"]) == {"Amy A1"}


def test_bad_light_in_the_url_gets_a_message(login):
    at = login("dora")
    at.query_params["light"] = "no_such_light"
    at.run()
    assert not at.exception
    assert "That link names no light on this page" in texts(at)


def test_team_filter_narrows_the_director_view(login):
    at = login("dora")
    at.selectbox(key="cockpit_team").select_index(1).run()  # the first team in the list
    assert "1 of 3" not in texts(at)
    assert "2 of 6 on time · 4 missed" in texts(at)


@pytest.mark.parametrize("username, expected", [
    ("a1", {"a1 Customer"}),
    ("lena", {"a1 Customer", "a2 Customer"}),
    ("dora", {"a1 Customer", "a2 Customer", "b1 Customer", "b2 Customer"}),
    ("fay", {"a1 Customer", "a2 Customer", "b1 Customer", "b2 Customer"}),
    ("ada", {"a1 Customer", "a2 Customer", "b1 Customer", "b2 Customer"}),
])
def test_customers_page_lists_only_customers_in_scope(login, username, expected):
    at = login(username)
    at.switch_page("pages/customers.py").run()
    assert not at.exception
    assert set(frame(at, "Customer", "Phone")["Customer"]) == expected


def test_customer_search_with_wildcards_is_taken_literally(login):
    at = login("dora")
    at.switch_page("pages/customers.py").run()
    at.text_input(key="customer_search").input("%").run()
    assert not at.exception
    assert "Nothing to show" in texts(at)


@pytest.mark.parametrize("username", ["a1", "lena", "dora", "fay", "ada"])
def test_inbox_shows_only_own_todos_and_alerts(login, username):
    at = login(username)
    at.switch_page("pages/inbox.py").run()
    assert not at.exception
    body = texts(at)
    if username in ("a1",):
        assert "Open to-dos (1)" in body
        assert set(frame(at, "Alert")["Alert"]) == {"a1 overdue"}
    else:
        assert "Open to-dos (0)" in body and "No alerts." in body


@pytest.mark.parametrize("username", ["a1", "lena", "dora", "fay"])
@pytest.mark.parametrize("page", ["pages/admin_settings.py", "pages/admin_users.py", "pages/admin_audit.py"])
def test_admin_pages_are_not_registered_for_other_roles(login, username, page):
    at = login(username)
    with pytest.raises(ValueError):
        at.switch_page(page)


def test_finance_has_no_cockpit(login):
    at = login("fay")
    with pytest.raises(ValueError):
        at.switch_page("pages/cockpit.py")
    assert at.title[0].value == "Collections"  # finance's first page (SPEC §1)


def test_admin_settings_rejects_a_bad_threshold_and_saves_a_good_one(login):
    at = login("ada")
    at.switch_page("pages/admin_settings.py").run()
    at.number_input(key="set_light_red_below").set_value(95.0)  # above the green threshold (90)
    at.button(key="FormSubmitter:settings_form-Save").click().run()
    assert not at.exception
    assert "The red threshold must not be above the green one." in texts(at)
    at.number_input(key="set_light_red_below").set_value(75.0)
    at.button(key="FormSubmitter:settings_form-Save").click().run()
    assert "Saved 1 changes." in texts(at)
    # the cockpit reads the new threshold at once: 33 % stays red, and the audit log has the change
    at.switch_page("pages/admin_audit.py").run()
    audit = frame(at, "Record", "Action")
    assert "light_red_below" in set(audit["Record"])


def test_admin_user_form_names_the_bad_field(login):
    at = login("ada")
    at.switch_page("pages/admin_users.py").run()
    at.text_input(key="new_username").input("Bad Name!")
    at.text_input(key="new_display_name").input("Someone")
    at.button(key="FormSubmitter:add_user-Create user").click().run()
    assert not at.exception
    assert "Username: 2–60 lower-case letters" in texts(at)
    users = frame(at, "Username", "Role")
    assert "bad name!" not in set(users["Username"])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", ["pages/cockpit.py", "pages/customers.py", "pages/inbox.py",
                                  "pages/admin_settings.py", "pages/admin_users.py", "pages/admin_audit.py"])
def test_every_page_is_fully_translated(login, page, lang):
    at = login("ada", lang)
    at.switch_page(page).run()
    if page == "pages/cockpit.py":
        at.button(key="open_first_response").click().run()
    assert not at.exception
    shown = texts(at) + "\n".join(str(c) for el in at.dataframe for c in [*el.value.columns, el.value.index.name])
    untranslated = re.findall(r"\b(?:col|nav|cockpit|setting|err|filter|light|inbox|users|login)\.[a-z_]+", shown)
    assert not untranslated
