"""Coaching (辅导记录): a lead records a coaching in under a minute (its next points become the rep's
to-do); the rep sees and rates their own; the director sees each team's coverage and ratings."""
import pandas as pd
import streamlit as st

from core.base import org
from core.base.scope import ScopeError
from core.base.vocabulary import DIMENSIONS, SCORES
from core.people import coaching
from ui import context, page, widgets
from ui.read import read, settings as read_settings
from ui.write import field_error, flash, submit

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
today = context.now().date()
RECORD, RATE = "coaching", "coaching_rating"  # the two forms


def dim(d: str) -> str:
    return ctx.t(f"dim.{d}")


def yes_no(value) -> str:
    return ctx.t("people.yes" if value else "people.no")


def records_table(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    shown = df[columns].assign(**{c: df[c].map(dim) for c in ["dimension"] if c in columns},
                               **{c: df[c].map(yes_no) for c in ["scenario_practiced"] if c in columns})
    return shown.rename(columns=lambda c: ctx.t(f"people.col.{c}"))


# ---- the lead: record a coaching --------------------------------------------------------------

def save_coaching(names: dict[int, str]) -> None:
    """Submit callback: runs before the page, so a refused field's message shows under that field
    and a saved form can be emptied for the next coaching."""
    s = st.session_state
    due = s.get("coach_due") or coaching.default_due(s.get("coach_date") or today, today,
                                                     settings["coaching_todo_days"])
    saved = ctx.t("coaching.saved", rep=names.get(s.get("coach_rep"), ""), due=str(due))
    if submit(ctx, RECORD, coaching.record_coaching, rep_id=s.get("coach_rep"), dimension=s.get("coach_dimension"),
              scenario_practiced=s.get("coach_practiced"), summary=s.get("coach_summary"),
              next_points=s.get("coach_next"), coached_on=s.get("coach_date"), due_on=s.get("coach_due"),
              now=context.now(), done=saved):
        for key in ("coach_rep", "coach_dimension", "coach_practiced", "coach_due"):
            s[key] = None
        s["coach_summary"] = s["coach_next"] = ""
        s["coach_date"] = today


def lead_form() -> None:
    reps = read(org.active_reps, ctx.scope)
    if reps.empty:
        st.info(ctx.t("coaching.no_reps"))
        return
    several_teams = reps["team_id"].nunique() > 1
    names = {int(r.id): f"{r.display_name} · {r.team}" if several_teams else r.display_name for r in reps.itertuples()}
    plain_names = {int(r.id): r.display_name for r in reps.itertuples()}
    s = st.session_state
    s.setdefault("coach_date", today)
    if s.get("coach_rep") is not None and s["coach_rep"] not in names:
        s["coach_rep"] = None
    with st.form("coaching_form", border=True):
        st.subheader(ctx.t("coaching.record"))
        field_error(RECORD, None)
        c1, c2 = st.columns(2)
        with c1:
            st.selectbox(ctx.t("coaching.f.rep_id"), list(names), format_func=names.get, index=None,
                         key="coach_rep", placeholder="—")
            field_error(RECORD, "rep_id")
        with c2:
            st.selectbox(ctx.t("coaching.f.dimension"), DIMENSIONS, format_func=dim, index=None,
                         key="coach_dimension", placeholder="—")
            field_error(RECORD, "dimension")
        st.radio(ctx.t("coaching.f.scenario_practiced"), [True, False], format_func=yes_no, index=None,
                 horizontal=True, key="coach_practiced")
        field_error(RECORD, "scenario_practiced")
        st.text_area(ctx.t("coaching.f.summary"), key="coach_summary", max_chars=coaching.SUMMARY_MAX, height=80)
        field_error(RECORD, "summary")
        st.text_area(ctx.t("coaching.f.next_points"), key="coach_next", max_chars=coaching.NEXT_POINTS_MAX,
                     height=80)
        field_error(RECORD, "next_points")
        with st.expander(ctx.t("coaching.f.more")):
            d1, d2 = st.columns(2)
            with d1:
                st.date_input(ctx.t("coaching.f.coached_on"), key="coach_date", format="YYYY-MM-DD",
                              min_value=coaching.earliest_day(today), max_value=today)
                field_error(RECORD, "coached_on")
            with d2:
                st.date_input(ctx.t("coaching.f.due_on"), value=None, key="coach_due", format="YYYY-MM-DD",
                              min_value=today, help=ctx.t("setting.coaching_todo_days") + f": {settings['coaching_todo_days']}")
                field_error(RECORD, "due_on")
        st.form_submit_button(ctx.t("coaching.submit"), type="primary", on_click=save_coaching, args=(plain_names,),
                              icon=":material/save:")
    flash(RECORD)


# ---- the rep: rate a coaching -----------------------------------------------------------------------

def save_rating() -> None:
    s = st.session_state
    if submit(ctx, RATE, coaching.rate_coaching, s.get("rate_record"), s.get("rate_value"), context.now(),
              done=lambda _: ctx.t("coaching.rated", rating=s["rate_value"])):
        s["rate_record"] = s["rate_value"] = None


def rep_view() -> None:
    df = read(coaching.coaching_records, ctx.scope)
    st.subheader(ctx.t("coaching.my_records", n=len(df)))
    if df.empty:
        st.info(ctx.t("coaching.none"))
        return
    cols = ["coached_on", "lead", "dimension", "scenario_practiced", "summary", "next_points", "rep_rating"]
    st.dataframe(records_table(df, cols), hide_index=True, width="stretch", key="my_coaching_table")
    if not ctx.may("coaching.rate"):
        return
    labels = {int(r.id): f"{r.coached_on} · {dim(r.dimension)} · {r.lead}" for r in df.itertuples()}
    with st.form("rate_form"):
        st.subheader(ctx.t("coaching.rate"))
        st.selectbox(ctx.t("coaching.rate_pick"), list(labels), format_func=labels.get, index=None, key="rate_record",
                     placeholder="—")
        field_error(RATE, "record_id")
        st.radio(ctx.t("coaching.rate_value"), SCORES, index=None, horizontal=True, key="rate_value")
        field_error(RATE, "rep_rating")
        field_error(RATE, None)
        st.form_submit_button(ctx.t("coaching.rate_submit"), type="primary", on_click=save_rating)
    flash(RATE)


# ---- coverage, and the records of the teams in scope -------------------------------------------------

def coverage_table() -> None:
    days = settings["coaching_coverage_days"]
    cov = read(coaching.coaching_coverage, ctx.scope, today)
    st.subheader(ctx.t("coaching.coverage", days=days))
    if ctx.may("coaching.see_ratings"):
        st.caption(ctx.t("coaching.coverage_help", days=days, rating_days=settings["coaching_rating_days"]))
        cols = ["team", "lead", "reps", "coached", "coverage", "ratings", "mean_rating"]
    else:  # the lead who coached: no ratings
        st.caption(ctx.t("coaching.coverage_help_lead", days=days))
        cols = ["team", "reps", "coached", "coverage"]
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
    df = read(coaching.coaching_records, ctx.scope)
    st.subheader(ctx.t("coaching.records", n=len(df)))
    if df.empty:
        st.info(ctx.t("coaching.none"))
        return
    cols = ["coached_on", "team", "rep", "lead", "dimension", "scenario_practiced", "summary", "next_points"]
    if ctx.may("coaching.see_ratings"):
        cols.append("rep_rating")
    shown = records_table(df, cols)
    st.dataframe(shown, hide_index=True, width="stretch", key="coaching_table")
    widgets.export_buttons(ctx, shown, "coaching", key="coaching_export")


st.title(ctx.t("coaching.title"))
st.caption(ctx.t(f"coaching.caption.{ctx.role}"))
try:
    if ctx.scope.own_only:
        rep_view()
    elif ctx.may("coaching.record"):
        lead_form()
        team_records()
        coverage_table()
    else:
        coverage_table()
        team_records()
except ScopeError:
    st.error(ctx.t("err.forbidden"))
