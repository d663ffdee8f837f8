"""AppTest of the scorecard page (SPEC §8) per role: the figures, the refusal of a ``?rep=`` the caller
may not see, downloads limited to the caller's scope, targets, surveys and the first week; and the
coaching page's scope by URL and export.

Each test gets a database of its own: team Alpha (lead lena; reps a1, a2, a3 with
tests.factories.add_rep_records — a3 with one more contract of 120,000 — and Nina, who joined three
days ago and has nothing yet), team Beta (lead leo; reps b1, b2 with records), director dora,
finance fay, admin ada. The clock stands at NOW (23 November 2026, noon).

Known figures (November up to NOW): a1 and a2 score 44.4 (results 40, process 29.2, quality 87.5);
a3 62.4 (signed 200,000 of 200,000: results 70); so in Alpha a3 ranks 1, a1 and a2 share rank 2,
and the team average is 50.4. a1's points: 3 steps on time × 2 + 1 visit + 1 deal won × 10 + 1
payment × 5 = 22.
"""
from __future__ import annotations

import io
import json
from datetime import timedelta

import pandas as pd
import pyarrow as pa
import pytest
from sqlalchemy import func, select
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from core.base.db import read_session, write_tx
from core.base.models import AuditLog, Contract, Customer, OnboardingProgress, SatisfactionScore, Target
from tests.app.conftest import HOME, app_pointed_at, new_database, texts
from tests.factories import NOW, add_rep_records, add_user, make_org, user_id

pytestmark = pytest.mark.app
PAGE = "pages/scorecard.py"
TARGETS = "pages/targets.py"
REFUSAL = "That link names a scorecard you cannot open. Nothing of it is shown."


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url, engine = new_database(tmp_path)
    with write_tx(engine) as s:
        org = make_org(s)
        add_user(s, "fay", "Fay Finance", "finance")
        add_user(s, "ada", "Ada Admin", "admin")
        a3 = add_user(s, "a3", "Al A3", "rep", org.alpha)
        nina = add_user(s, "nina", "Nina New", "rep", org.alpha)
        nina.created_at = NOW - timedelta(days=2, hours=3)
        for rep in (*org.reps, a3):
            add_rep_records(s, rep, rep.username)
        customer = s.scalar(select(Customer).where(Customer.owner_id == a3.id))
        s.add(Contract(number="HT-a3-extra", customer_id=customer.id, owner_id=a3.id, team_id=org.alpha.id,
                       amount=120000, signed_at=NOW - timedelta(days=10), status="active",
                       created_at=NOW - timedelta(days=10)))
    with app_pointed_at(url, monkeypatch):
        yield engine
    engine.dispose()


@pytest.fixture
def downloads(monkeypatch):
    """file name → bytes of every download button a run draws."""
    got: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            got[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return got


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_data(at) -> list[pd.DataFrame]:
    return [pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
            for el in at.get("vega_lite_chart") for ds in el.proto.datasets]


def everything_shown(at) -> str:
    return "\n".join([texts(at), *(el.value.to_string() for el in at.dataframe),
                      *(json.dumps(json.loads(el.proto.spec), ensure_ascii=False) for el in at.get("vega_lite_chart")),
                      *(df.to_string() for df in chart_data(at)), *(str(s.options) for s in at.selectbox),
                      *(f"{m.label} {m.value}" for m in at.metric)])


def csv(downloads, name) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(downloads[name].decode("utf-8-sig")))


# ---- the rep's own scorecard ------------------------------------------------------------------------

def test_a_rep_sees_their_own_scorecard_without_a_selector(page_db, downloads, open_page):
    at = open_page("a1")
    assert [t.value for t in at.title] == ["My scorecard"]
    assert not [s for s in at.selectbox if s.key == "scorecard_rep"]
    m = metrics(at)
    assert m["Score"] == "44.4" and m["Team average"] == "50.4" and m["Rank in team (of 3)"] == "2 / 3"
    assert m["Points this month"] == "22"
    assert (m["Results (60%)"], m["Process (25%)"], m["Quality (15%)"]) == ("40.0", "29.2", "87.5")
    shown = texts(at)
    assert "Signed ¥80,000 of a ¥200,000 target" in shown and "3 of 9 due steps done on time" in shown
    series = {name for df in chart_data(at) if "series" in df.columns for name in df["series"]}
    assert series == {"Me", "Team average"}
    todos = csv(downloads, "scorecard-todos.csv")
    assert todos["To-do"].tolist() == ["a1 call back"]
    points = csv(downloads, "scorecard-points-2026-11.csv")
    assert points["Points"].tolist() == [6, 1, 10, 5]
    records = csv(downloads, "scorecard-records-2026-11.csv")
    assert records["Contract no."].str.startswith("HT-a1-").all() and len(records) == 2
    exported = "".join(data.decode("utf-8-sig") for name, data in downloads.items() if name.endswith(".csv"))
    assert "a2" not in exported and "b1" not in exported and "Ann" not in exported


@pytest.mark.parametrize("asked", ["a2", "b1", "lena", "999", "abc", "-1"])
def test_a_rep_cannot_open_another_scorecard_by_url(page_db, downloads, asked, open_page):
    value = str(user_id(page_db, asked)) if asked in ("a2", "b1", "lena") else asked
    at = open_page("a1", rep=value)
    assert [e.value for e in at.error] == [REFUSAL]
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart") and not downloads
    shown = everything_shown(at)
    assert "Amy" not in shown and "Ann" not in shown and "Bob" not in shown and "44.4" not in shown
    at.button(key="scorecard_back").click().run()  # the way back: the rep's own scorecard
    assert not at.error and metrics(at)["Score"] == "44.4" and "rep" not in at.query_params


def test_a_rep_may_name_themself_in_the_url(page_db, open_page):
    at = open_page("a1", rep=str(user_id(page_db, "a1")))
    assert not at.error and metrics(at)["Score"] == "44.4"


# ---- the lead ---------------------------------------------------------------------------------------------

def test_a_lead_picks_among_own_reps_and_opens_one_by_url(page_db, open_page):
    a2 = user_id(page_db, "a2")
    at = open_page("lena", rep=str(a2))
    assert [t.value for t in at.title] == ["Team scorecards"]
    pick = at.selectbox(key="scorecard_rep")
    assert pick.value == a2 and set(pick.options) == {"Amy A1", "Ann A2", "Al A3", "Nina New"}
    assert metrics(at)["Score"] == "44.4"
    pick.set_value(user_id(page_db, "a3")).run()
    assert metrics(at)["Score"] == "62.4" and metrics(at)["Rank in team (of 3)"] == "1 / 3"
    assert at.query_params["rep"] == str(user_id(page_db, "a3"))


@pytest.mark.parametrize("asked", ["b1", "leo", "dora", "999"])
def test_a_lead_cannot_open_another_teams_rep_by_url(page_db, downloads, asked, open_page):
    value = str(user_id(page_db, asked)) if asked != "999" else asked
    at = open_page("lena", rep=value)
    assert [e.value for e in at.error] == [REFUSAL]
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart") and not downloads
    assert "Bob" not in everything_shown(at)


def test_exports_hold_only_the_callers_rows(page_db, downloads, open_page):
    open_page("lena")
    team = csv(downloads, "team-scorecards-2026-11.csv")
    assert set(team["Rep"]) == {"Amy A1", "Ann A2", "Al A3", "Nina New"} and set(team["Team"]) == {"Alpha"}
    assert team.set_index("Rep").loc["Al A3", "Rank"] == 1
    new = csv(downloads, "new-reps.csv")
    assert new["Rep"].tolist() == ["Nina New"]
    open_page("lena", page=TARGETS)
    targets = csv(downloads, "team-targets-2026-11.csv")
    assert targets["Team"].tolist() == ["Alpha"]
    assert targets["Signed amount (¥)"].tolist() == [600000]  # a1, a2, a3 × 200,000 (Nina has none)
    downloads.clear()
    open_page("dora")
    assert set(csv(downloads, "team-scorecards-2026-11.csv")["Team"]) == {"Alpha", "Beta"}


def test_a_lead_sets_one_reps_targets_in_the_form(page_db, open_page):
    at = open_page("lena", page=TARGETS)
    a2 = user_id(page_db, "a2")
    at.selectbox(key="target_rep").set_value(a2).run()
    form = "target_form_2026-11_" + str(a2)
    assert at.number_input(key=f"target_signed_2026-11_{a2}").value == 200000
    at.number_input(key=f"target_signed_2026-11_{a2}").set_value(300000)
    at.number_input(key=f"target_visits_2026-11_{a2}").set_value(8)
    at.button(key=f"FormSubmitter:{form}-Save targets").click().run()
    assert not at.exception and "Saved: 1 changed." in texts(at)
    with read_session(page_db) as s:
        row = s.scalar(select(Target).where(Target.owner_id == a2, Target.month == "2026-11"))
        assert (float(row.signed_amount), float(row.collections), row.effective_visits, row.version) == (
            300000, 100000, 8, 2)
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "target")) == 1
    at = open_page("lena", rep=str(a2))  # the scorecard measures against the new targets
    # signed 80,000 of 300,000 → 26.7; collections 40 → results 33.3
    assert metrics(at)["Results (60%)"] == "33.3"


def test_a_lead_records_a_satisfaction_survey(page_db, open_page):
    at = open_page("lena")
    a1 = user_id(page_db, "a1")
    at.selectbox(key="scorecard_rep").set_value(a1).run()
    with read_session(page_db) as s:
        customer = s.scalar(select(Customer.id).where(Customer.owner_id == a1))
    assert at.selectbox(key="survey_customer").options == ["a1 Customer · last survey: 4"]
    at.selectbox(key="survey_customer").set_value(customer)
    at.radio(key="survey_score").set_value(2)
    at.button(key="FormSubmitter:survey_form-Save survey").click().run()
    assert "Saved the survey of a1 Customer." in texts(at)
    with read_session(page_db) as s:
        assert s.scalar(select(func.count()).select_from(SatisfactionScore).where(SatisfactionScore.owner_id == a1)) == 2
    # satisfaction (4 + 2) / 2 = 3 → 50; quality (100 + 50) / 2 = 75
    assert metrics(at)["Quality (15%)"] == "75.0"
    at.button(key="FormSubmitter:survey_form-Save survey").click().run()  # nothing chosen
    assert [e.value for e in at.error] == ["Customer: Choose a customer of your own teams."]


# ---- the new rep's first week -----------------------------------------------------------------------------

def test_a_new_rep_completes_a_task_and_the_lead_confirms_it(page_db, open_page):
    at = open_page("nina")
    shown = texts(at)
    assert "My first week" in shown and "0 of 5 tasks done" in [p.proto.text for p in at.get("progress")][0]
    # a new rep without history: not enough data anywhere, no division by zero
    assert metrics(at)["Score"] == "Not enough data" and "Not enough data for a score in 2026-11 yet" in shown
    pitch = min(int(t.key.rsplit("_", 1)[1]) for t in at.text_area if t.key.startswith("onb_note_"))
    at.button(key=f"FormSubmitter:onb_form_{pitch}-Mark as done").click().run()  # no note
    assert "Write at least 2 characters about what you did." in [e.value for e in at.error]
    at.text_area(key=f"onb_note_{pitch}").input("Pitch note shared in the team chat")
    at.button(key=f"FormSubmitter:onb_form_{pitch}-Mark as done").click().run()
    assert "Well done: the task is marked done and your lead can see it." in texts(at)
    assert "1 of 5 tasks done" in [p.proto.text for p in at.get("progress")][0]
    with read_session(page_db) as s:
        progress = s.scalar(select(OnboardingProgress).where(OnboardingProgress.owner_id == user_id(page_db, "nina")))
        assert (progress.note, progress.checked_by) == ("Pitch note shared in the team chat", None)

    lead = open_page("lena")
    new = [df for df in (el.value for el in lead.dataframe) if "Confirmed" in df.columns][0]
    assert new[["Rep", "Day", "Done", "Confirmed", "Overdue"]].values.tolist() == [["Nina New", 3, 1, 0, 0]]
    lead.button(key=f"onb_confirm_{progress.id}").click().run()
    assert "Confirmed." in texts(lead)
    with read_session(page_db) as s:
        assert s.get(OnboardingProgress, progress.id).checked_by == user_id(page_db, "lena")


def test_a_rep_of_a_year_sees_no_first_week(page_db, open_page):
    assert "My first week" not in texts(open_page("a1"))


# ---- the coaching page by URL and export ---------------------------------------------------------------

def test_the_coaching_page_ignores_a_rep_in_the_url_and_exports_only_the_callers_teams(page_db, downloads, open_page):
    at = open_page("lena", page="pages/coaching.py", rep=str(user_id(page_db, "b1")))
    table = csv(downloads, "coaching.csv")
    assert set(table["Team"]) == {"Alpha"} and set(table["Rep"]) == {"Amy A1", "Ann A2", "Al A3"}
    assert "b1 coaching summary" not in everything_shown(at)
    downloads.clear()
    at = open_page("a1", page="pages/coaching.py", rep=str(user_id(page_db, "a2")))
    shown = everything_shown(at)
    assert "a1 coaching summary" in shown and "a2 coaching summary" not in shown
    assert not downloads or all(b"a2" not in data for data in downloads.values())


# ---- roles and languages -----------------------------------------------------------------------------------

def test_finance_has_no_scorecard_page(page_db):
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "fay"
    at.run()
    with pytest.raises(ValueError):
        at.switch_page(PAGE)


@pytest.mark.parametrize("username", ["a1", "nina", "lena", "dora", "ada"])
def test_the_page_is_fully_translated(page_db, username, open_page):
    at = open_page(username, lang="zh")
    shown = everything_shown(at) + "\n".join(t.label for t in at.tabs) + "\n".join(
        b.label for b in at.button)
    for prefix in ("scorecard.", "targets.", "onboarding.", "survey.", "people.", "capability."):
        assert prefix not in shown, prefix
    assert ("我的成绩单" if username in ("a1", "nina") else "团队成绩单") in shown


@pytest.mark.parametrize("username", ["lena", "dora", "ada"])
def test_the_targets_page_is_fully_translated(page_db, username, open_page):
    at = open_page(username, page=TARGETS, lang="zh")
    shown = everything_shown(at) + "\n".join(b.label for b in at.button) + "\n".join(
        str(c) for el in at.dataframe for c in el.value.columns)
    for prefix in ("scorecard.", "targets.", "people.", "capability."):
        assert prefix not in shown, prefix
    assert "月度目标设定" in shown and "团队目标" in shown


def test_targets_are_not_for_finance(page_db):
    # reps open the page now (to confirm their own target: see
    # tests/app/test_target_plan_page.py); finance never
    for username in ("fay",):
        at = AppTest.from_file(HOME, default_timeout=60)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.run()
        with pytest.raises(ValueError):
            at.switch_page(TARGETS)


def test_a_lead_saves_the_target_table(page_db, open_page):
    """The bulk editor: Nina (no target yet) gets one, a3's collections change; a bad value is named."""
    at = open_page("lena", page=TARGETS)
    key = "targets_editor_2026-11"  # rows by team and name: Al A3, Amy A1, Ann A2, Nina New
    at.session_state[key] = {"edited_rows": {3: {"Effective visits": 6}, 0: {"Collections (¥)": 150000}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="targets_save").click().run()
    assert not at.exception and "Saved: 2 changed." in texts(at)
    with read_session(page_db) as s:
        rows = {r.owner_id: r for r in s.scalars(select(Target).where(Target.month == "2026-11"))}
        nina, a3 = rows[user_id(page_db, "nina")], rows[user_id(page_db, "a3")]
        assert (nina.signed_amount, nina.collections, nina.effective_visits, nina.version) == (None, None, 6, 1)
        assert (float(a3.collections), float(a3.signed_amount), a3.version) == (150000, 200000, 2)
    at.session_state[key] = {"edited_rows": {1: {"Signed amount (¥)": -5}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="targets_save").click().run()
    assert [e.value for e in at.error] == ["Signed amount (¥): Amy A1: a target cannot be negative."], texts(at)
    with read_session(page_db) as s:
        assert float(s.scalar(select(Target.signed_amount).where(Target.owner_id == user_id(page_db, "a1")))) == 200000
