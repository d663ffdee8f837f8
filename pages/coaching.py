"""Coaching (辅导记录): a lead records a coaching in under a minute (its next points become the rep's
to-do); the rep sees and rates their own; the director sees each team's coverage and ratings."""
from datetime import timedelta

import pandas as pd
import streamlit as st

from core.people import people
from core.base.vocabulary import DIMENSIONS, SCORES
from core.base.scope import ScopeError
from ui import context, people_data, widgets

ctx = context.require_role("director", "lead", "rep", "admin")
settings = context.settings()
today = context.now().date()
ERROR, DONE = "coaching_error", "coaching_done"  # (field, message) of a refused save; the success message


def dim(d: str) -> str:
    return ctx.t(f"dim.{d}")


def yes_no(value) -> str:
    return ctx.t("people.yes" if value else "people.no")


def field_error(field: str | None) -> None:
    """The message of the last refused save, under the input it concerns."""
    err = st.session_state.get(ERROR)
    if err and err[0] == field:
        st.error(err[1], icon=":material/error:")


def records_table(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    shown = df[columns].assign(**{c: df[c].map(dim) for c in ["dimension"] if c in columns},
                               **{c: df[c].map(yes_no) for c in ["scenario_practiced"] if c in columns})
    return shown.rename(columns=lambda c: ctx.t(f"people.col.{c}"))


# ---- the lead: record a coaching --------------------------------------------------------------

def save_coaching(c) -> None:
    """Submit callback: runs before the page, so a refused field's message shows under that field."""
    s = st.session_state
    s.pop(ERROR, None)
    try:
        with context.write() as session:
            people.record_coaching(session, c.scope, rep_id=s.get("coach_rep"), dimension=s.get("coach_dimension"),
                                   scenario_practiced=s.get("coach_practiced"), summary=s.get("coach_summary"),
                                   next_points=s.get("coach_next"), coached_on=s.get("coach_date"),
                                   due_on=s.get("coach_due"), now=context.now())
    except people.InvalidPeopleInput as exc:
        s[ERROR] = (exc.field, exc.message(c.lang))
        return
    names = dict(zip(people_data.reps(c.scope)["id"], people_data.reps(c.scope)["display_name"]))
    due = s.get("coach_due") or people.default_due(s.get("coach_date") or today, today, settings["coaching_todo_days"])
    s[DONE] = c.t("coaching.saved", rep=names.get(s["coach_rep"], ""), due=str(due))
    for key in ("coach_rep", "coach_dimension", "coach_practiced", "coach_due"):
        s[key] = None
    s["coach_summary"] = s["coach_next"] = ""
    s["coach_date"] = today


def lead_form() -> None:
    reps = people_data.reps(ctx.scope)
    if reps.empty:
        st.info(ctx.t("coaching.no_reps"))
        return
    several_teams = reps["team_id"].nunique() > 1
    names = {int(r.id): f"{r.display_name} · {r.team}" if several_teams else r.display_name for r in reps.itertuples()}
    s = st.session_state
    s.setdefault("coach_date", today)
    if s.get("coach_rep") is not None and s["coach_rep"] not in names:
        s["coach_rep"] = None
    with st.form("coaching_form", border=True):
        st.subheader(ctx.t("coaching.record"))
        field_error(None)
        c1, c2 = st.columns(2)
        with c1:
            st.selectbox(ctx.t("coaching.f.rep_id"), list(names), format_func=names.get, index=None,
                         key="coach_rep", placeholder="—")
            field_error("rep_id")
        with c2:
            st.selectbox(ctx.t("coaching.f.dimension"), DIMENSIONS, format_func=dim, index=None,
                         key="coach_dimension", placeholder="—")
            field_error("dimension")
        st.radio(ctx.t("coaching.f.scenario_practiced"), [True, False], format_func=yes_no, index=None,
                 horizontal=True, key="coach_practiced")
        field_error("scenario_practiced")
        st.text_area(ctx.t("coaching.f.summary"), key="coach_summary", max_chars=people.SUMMARY_MAX, height=80)
        field_error("summary")
        st.text_area(ctx.t("coaching.f.next_points"), key="coach_next", max_chars=people.NEXT_POINTS_MAX, height=80)
        field_error("next_points")
        with st.expander(ctx.t("coaching.f.more")):
            d1, d2 = st.columns(2)
            with d1:
                st.date_input(ctx.t("coaching.f.coached_on"), key="coach_date", format="YYYY-MM-DD",
                              min_value=today - timedelta(days=people.MAX_BACKDATE_DAYS), max_value=today)
                field_error("coached_on")
            with d2:
                st.date_input(ctx.t("coaching.f.due_on"), value=None, key="coach_due", format="YYYY-MM-DD",
                              min_value=today, help=ctx.t("setting.coaching_todo_days") + f": {settings['coaching_todo_days']}")
                field_error("due_on")
        st.form_submit_button(ctx.t("coaching.submit"), type="primary", on_click=save_coaching, args=(ctx,),
                              icon=":material/save:")
    if DONE in s:
        st.success(s.pop(DONE), icon=":material/check_circle:")


# ---- the rep: rate a coaching -----------------------------------------------------------------------

def save_rating(c) -> None:
    s = st.session_state
    s.pop(ERROR, None)
    try:
        with context.write() as session:
            people.rate_coaching(session, c.scope, s.get("rate_record"), s.get("rate_value"), context.now())
    except people.InvalidPeopleInput as exc:
        s[ERROR] = (exc.field, exc.message(c.lang))
        return
    s[DONE] = c.t("coaching.rated", rating=s["rate_value"])
    s["rate_record"] = s["rate_value"] = None


def rep_view() -> None:
    df = people_data.coaching_records(ctx.scope)
    st.subheader(ctx.t("coaching.my_records", n=len(df)))
    if df.empty:
        st.info(ctx.t("coaching.none"))
        return
    cols = ["coached_on", "lead", "dimension", "scenario_practiced", "summary", "next_points", "rep_rating"]
    st.dataframe(records_table(df, cols), hide_index=True, width="stretch", key="my_coaching_table")
    labels = {int(r.id): f"{r.coached_on} · {dim(r.dimension)} · {r.lead}" for r in df.itertuples()}
    with st.form("rate_form"):
        st.subheader(ctx.t("coaching.rate"))
        st.selectbox(ctx.t("coaching.rate_pick"), list(labels), format_func=labels.get, index=None, key="rate_record",
                     placeholder="—")
        field_error("record_id")
        st.radio(ctx.t("coaching.rate_value"), SCORES, index=None, horizontal=True, key="rate_value")
        field_error("rep_rating")
        st.form_submit_button(ctx.t("coaching.rate_submit"), type="primary", on_click=save_rating, args=(ctx,))
    if DONE in st.session_state:
        st.success(st.session_state.pop(DONE), icon=":material/check_circle:")


# ---- coverage, and the records of the teams in scope -------------------------------------------------

def coverage_table() -> None:
    days = settings["coaching_coverage_days"]
    cov = people_data.coverage(ctx.scope, today)
    st.subheader(ctx.t("coaching.coverage", days=days))
    if ctx.role == "lead":
        st.caption(ctx.t("coaching.coverage_help_lead", days=days))
        cols = ["team", "reps", "coached", "coverage"]
    else:
        st.caption(ctx.t("coaching.coverage_help", days=days, rating_days=settings["coaching_rating_days"]))
        cols = ["team", "lead", "reps", "coached", "coverage", "ratings", "mean_rating"]
    if cov.empty:
        st.write(ctx.t("common.no_rows"))
        return
    shown = cov[cols].assign(coverage=100 * cov["coverage"]).sort_values("coverage", na_position="last")
    label = {c: ctx.t(f"people.col.{c}") for c in cols}
    st.dataframe(shown.rename(columns=label), hide_index=True, width="stretch", key="coverage_table",
                 column_config={
                     label["coverage"]: st.column_config.ProgressColumn(label["coverage"], format="%.0f%%",
                                                                       min_value=0, max_value=100),
                     **({label["mean_rating"]: st.column_config.NumberColumn(label["mean_rating"], format="%.1f")}
                        if "mean_rating" in label else {})})


def team_records() -> None:
    df = people_data.coaching_records(ctx.scope)
    st.subheader(ctx.t("coaching.records", n=len(df)))
    if df.empty:
        st.info(ctx.t("coaching.none"))
        return
    cols = ["coached_on", "team", "rep", "lead", "dimension", "scenario_practiced", "summary", "next_points"]
    if ctx.role != "lead":
        cols.append("rep_rating")
    shown = records_table(df, cols)
    st.dataframe(shown, hide_index=True, width="stretch", key="coaching_table")
    widgets.export_buttons(ctx, shown, "coaching", key="coaching_export")


st.title(ctx.t("coaching.title"))
st.caption(ctx.t(f"coaching.caption.{ctx.role}"))
try:
    if ctx.role == "lead":
        lead_form()
        team_records()
        coverage_table()
    elif ctx.role == "rep":
        rep_view()
    else:
        coverage_table()
        team_records()
except ScopeError:
    st.error(ctx.t("err.forbidden"))
