"""Scorecard (我的成绩单 / 团队成绩单, SPEC §8): a rep's month in one 0–100 figure — results, process and
quality beside the team average — with the weekly trend, the rank in the team, open to-dos and how
their points are made; a new rep's first week. A rep sees only their own (no selector, and a
``?rep=`` naming anyone else is refused); a lead picks one of their reps (also ``?rep=ID``), sees the
team, enters satisfaction surveys and follows the new reps' first week. The targets the scorecard
measures against are set on the targets page (pages/targets.py)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.base import org
from core.base.scope import ScopeError
from core.base.vocabulary import SCORES
from core.people import onboarding, targets
from core.people import scorecard as sc
from ui import context, page, scorecard_charts, widgets
from ui.read import minute, read, settings as read_settings
from ui.write import flash, form_error, submit

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
now = minute()
today = now.date()
SURVEY, CHECK = "survey", "onboarding_check"  # forms; a task's completion is the form onboarding_<task id>

PART_LABELS = {p: ctx.t(f"scorecard.part.{p}") for p in sc.PARTS}
COMP_LABELS = {c: ctx.t(f"scorecard.comp.{c}") for p in sc.PARTS for c in sc.COMPONENTS[p]}


def money(x) -> str:
    return "—" if x is None or pd.isna(x) else f"¥{x:,.0f}"


def pct(x) -> str:
    return ctx.t("scorecard.no_data") if x is None or pd.isna(x) else f"{x:.1f}"


def month_label(m: str) -> str:
    year, mon = m.split("-")
    return ctx.t("scorecard.month_label", year=year, month=int(mon))


def refuse() -> None:
    """A ?rep= the caller may not see (or that is no rep): say so, show nothing of anyone."""
    st.error(ctx.t("scorecard.refused"), icon=":material/block:")
    if st.button(ctx.t("scorecard.refused_back"), key="scorecard_back"):
        del st.query_params["rep"]
        st.rerun()
    st.stop()


# ---- a component, in words -------------------------------------------------------------------------

def component_detail(c: sc.Component) -> str:
    if c.value is None:
        return ctx.t(f"scorecard.missing.{c.missing}")
    if c.code in ("signed_attainment", "collection_attainment"):
        return ctx.t(f"scorecard.detail.{c.code}", actual=money(c.actual), target=money(c.target))
    if c.code == "visit_attainment":
        return ctx.t("scorecard.detail.visit_attainment", actual=int(c.actual), target=f"{c.target:g}")
    if c.code == "step_on_time":
        return ctx.t("scorecard.detail.step_on_time", on_time=c.count, decided=c.basis)
    if c.code == "complaint_free":
        return ctx.t("scorecard.detail.complaint_free", complaints=c.count, active=c.basis)
    return ctx.t("scorecard.detail.satisfaction", mean=f"{c.actual:.1f}", n=c.basis)


def components_table(card: sc.Scorecard) -> pd.DataFrame:
    rows = [{"part": PART_LABELS[p.code], "component": COMP_LABELS[c.code],
             "value": None if c.value is None else round(c.value, 1), "detail": component_detail(c)}
            for p in card.parts for c in p.components]
    return pd.DataFrame(rows).rename(columns=lambda col: ctx.t(f"scorecard.col.{col}"))


# ---- one rep's scorecard -------------------------------------------------------------------------------

def show_scorecard(rep_id: int, month: str, own: bool) -> None:
    card = read(sc.scorecard, ctx.scope, rep_id, month, now)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(ctx.t("scorecard.score"), ctx.t("scorecard.no_data") if card.score is None else f"{card.score:.1f}",
              help=ctx.t("scorecard.formula", r=f"{card.part('results').weight:g}",
                         p=f"{card.part('process').weight:g}", q=f"{card.part('quality').weight:g}"))
    if card.team_visible:
        m2.metric(ctx.t("scorecard.team_average"), pct(card.team_average))
        m3.metric(ctx.t("scorecard.rank_of", n=card.ranked), "—" if card.rank is None else f"{card.rank} / {card.ranked}")
    else:
        m2.metric(ctx.t("scorecard.team_average"), "—")
        m3.metric(ctx.t("scorecard.rank"), "—")
    m4.metric(ctx.t("scorecard.points"), f"{card.points_total:g}")
    if not card.team_visible:
        st.caption(ctx.t("scorecard.team_hidden", n=settings["scorecard_team_min_reps"]))
    elif card.score is not None and card.rank is None:
        st.caption(ctx.t("scorecard.not_ranked"))
    if card.score is None:
        st.info(ctx.t("scorecard.not_enough", month=month_label(month)), icon=":material/hourglass_empty:")
    elif card.reweighted:
        missing = [PART_LABELS[p.code] for p in card.parts if p.value is None]
        used = ctx.t("list.sep").join(f"{PART_LABELS[p]} {w * 100:.0f}%" for p, w in card.weights_used)
        st.info(ctx.t("scorecard.reweighted", parts=ctx.t("list.sep").join(missing), used=used),
                icon=":material/balance:")
    if month == sc.month_of(today):
        st.caption(ctx.t("scorecard.month_to_date", day=card.end.strftime("%Y-%m-%d %H:%M")))

    # the three parts, each beside the team average
    cols = st.columns(3)
    for col, part in zip(cols, card.parts):
        with col.container(border=True, key=f"part_{part.code}"):
            delta = (None if part.value is None or part.team_average is None
                     else f"{part.value - part.team_average:+.1f}")
            col_label = ctx.t("scorecard.part_weight", part=PART_LABELS[part.code], w=f"{part.weight * 100:.0f}")
            st.metric(col_label, pct(part.value), delta=delta,
                      help=ctx.t("scorecard.delta_help") if delta is not None else None)
            st.caption(ctx.t("scorecard.team_avg_part", value=pct(part.team_average)) if part.team_average is not None
                       else ctx.t("scorecard.team_avg_part", value="—"))
            for c in part.components:
                value = "—" if c.value is None else f"{c.value:.1f}"
                st.markdown(f"**{COMP_LABELS[c.code]}** · {value}  \n{component_detail(c)}")
            if part.dropped and part.value is not None:
                st.caption(ctx.t("scorecard.dropped", comps=ctx.t("list.sep").join(COMP_LABELS[c] for c in part.dropped)))
    parts = pd.DataFrame({"part": [PART_LABELS[p.code] for p in card.parts],
                          "score": [p.value for p in card.parts],
                          "team_average": [p.team_average for p in card.parts]}).astype(
        {"score": "float64", "team_average": "float64"})
    rep_label = ctx.t("scorecard.me") if own else card.rep
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(ctx.t("scorecard.parts_title"))
        if parts["score"].notna().any() or parts["team_average"].notna().any():
            st.altair_chart(scorecard_charts.parts_against_team(parts, rep_name=rep_label,
                                                                team_name=ctx.t("scorecard.team_average"),
                                                                value_title=ctx.t("scorecard.value_axis")),
                            width="stretch", key="parts_chart")
        else:
            st.caption(ctx.t("scorecard.no_data_month"))
    with right:
        trend = read(sc.weekly_trend, ctx.scope, rep_id, now)
        st.subheader(ctx.t("scorecard.trend_title", n=len(trend)))
        if trend["score"].notna().any():
            st.altair_chart(scorecard_charts.weekly_trend(trend, rep_name=rep_label,
                                                          team_name=ctx.t("scorecard.team_average"),
                                                          week_title=ctx.t("scorecard.week_axis"),
                                                          score_title=ctx.t("scorecard.score_axis")),
                            width="stretch", key="trend_chart")
        else:
            st.caption(ctx.t("scorecard.no_trend"))
    with st.expander(ctx.t("scorecard.details")):
        table = components_table(card)
        st.dataframe(table, hide_index=True, width="stretch", key="components_table")
        widgets.export_buttons(ctx, table, f"scorecard-{month}", key="components_export")
        shown_trend = trend.assign(week=trend["week"].astype(str)).rename(
            columns=lambda col: ctx.t(f"scorecard.col.{col}"))
        st.dataframe(shown_trend, hide_index=True, width="stretch", key="trend_table")
        widgets.export_buttons(ctx, shown_trend, "scorecard-trend", key="trend_export")
        records = read(sc.result_records, ctx.scope, rep_id, month, now)
        st.markdown(f"**{ctx.t('scorecard.records_title')}**")
        if records.empty:
            st.caption(ctx.t("scorecard.no_records"))
        else:
            shown = records.drop(columns=["owner_id"]).assign(
                kind=records["kind"].map(lambda k: ctx.t(f"scorecard.kind.{k}"))).rename(
                columns=lambda col: ctx.t(f"scorecard.col.{col}"))
            st.dataframe(shown, hide_index=True, width="stretch", key="records_table")
            widgets.export_buttons(ctx, shown, f"scorecard-records-{month}", key="records_export")

    todo_col, points_col = st.columns([3, 2], gap="large")
    with todo_col:
        todos = read(sc.open_todos, ctx.scope, rep_id, now)
        st.subheader(ctx.t("scorecard.todos_title", n=len(todos)))
        if todos.empty:
            st.caption(ctx.t("scorecard.no_todos"))
        else:
            shown = todos[["title", "kind", "due_at", "overdue"]].assign(
                kind=todos["kind"].map(lambda k: ctx.t(f"scorecard.todo_kind.{k}")
                                       if f"scorecard.todo_kind.{k}" in TODO_KINDS else k),
                overdue=todos["overdue"].map(lambda v: ctx.t("people.yes") if v else "")).rename(
                columns=lambda col: ctx.t(f"scorecard.col.{col}"))
            st.dataframe(shown, hide_index=True, width="stretch", key="todos_table", column_config={
                ctx.t("scorecard.col.title"): st.column_config.TextColumn(width="large"),
                ctx.t("scorecard.col.due_at"): st.column_config.DatetimeColumn(format="MM-DD HH:mm", width="small"),
                ctx.t("scorecard.col.overdue"): st.column_config.TextColumn(width="small")})
            widgets.export_buttons(ctx, shown, "scorecard-todos", key="todos_export")
            if own:
                st.page_link("pages/inbox.py", label=ctx.t("scorecard.to_inbox"), icon=":material/inbox:")
    with points_col:
        st.subheader(ctx.t("scorecard.points_title" if own else "scorecard.points_title_lead", total=f"{card.points_total:g}"))
        st.caption(ctx.t("scorecard.points_help"))
        lines = pd.DataFrame([{"rule": ctx.t(f"scorecard.rule.{line.code}"), "count": line.count,
                               "each": line.each, "points": line.points} for line in card.points])
        shown = lines.rename(columns=lambda col: ctx.t(f"scorecard.col.{col}"))
        st.dataframe(shown, hide_index=True, width="stretch", key="points_table")
        widgets.export_buttons(ctx, shown, f"scorecard-points-{month}", key="points_export")


TODO_KINDS = {f"scorecard.todo_kind.{k}" for k in ("coaching", "manual", "lead_sla", "lead_followup", "step_overdue",
                                                    "stalled_deal", "onboarding", "collection")}


# ---- the new rep's first week, and the lead's view of it ----------------------------------------------

def task_title(row) -> str:
    return row.title_zh if ctx.lang == "zh" else row.title_en


STATUS_COLORS = {"overdue": "red", "done": "orange", "checked": "green", "open": "gray"}


def task_status(row) -> str:
    """The task's status in words, coloured (markdown)."""
    text = ctx.t(f"onboarding.status.{row.status}", due=str(row.due_on), day=int(row.day_due))
    return f":{STATUS_COLORS[row.status]}[{text}]"


def task_form(task_id: int) -> str:
    return f"onboarding_{task_id}"


def complete(task_id: int) -> None:
    submit(ctx, task_form(task_id), onboarding.complete_task, task_id=task_id,
           note=st.session_state.get(f"onb_note_{task_id}"), now=context.now(), done="onboarding.completed")


def my_first_week() -> None:
    tasks = read(onboarding.tasks_of, ctx.scope, ctx.account.id, now)
    done, total = onboarding.progress(tasks)
    with st.container(border=True, key="first_week"):
        st.subheader(ctx.t("onboarding.my_title"))
        st.progress(done / total if total else 0.0, text=ctx.t("onboarding.progress", done=done, total=total))
        for row in tasks.itertuples():
            icon = {"checked": ":material/verified:", "done": ":material/check_circle:",
                    "overdue": ":material/schedule:", "open": ":material/radio_button_unchecked:"}[row.status]
            status = ctx.t(f"onboarding.status.{row.status}", due=str(row.due_on), day=int(row.day_due))
            with st.expander(f"{task_title(row)} · {status}", icon=icon, expanded=row.status in ("open", "overdue")
                             and row.Index == next((r.Index for r in tasks.itertuples()
                                                    if r.status in ("open", "overdue")), None)):
                st.write(row.description_zh if ctx.lang == "zh" else row.description_en)
                if row.status in onboarding.DONE:
                    st.caption(ctx.t("onboarding.done_at", at=row.completed_at.strftime("%Y-%m-%d %H:%M")))
                    st.write(row.note)
                    if row.status == "checked":
                        st.caption(ctx.t("onboarding.checked_by", who=row.checked_by or "—"))
                else:
                    with st.form(f"onb_form_{row.task_id}", border=False):
                        st.text_area(ctx.t("onboarding.note"), key=f"onb_note_{row.task_id}",
                                     max_chars=onboarding.NOTE_MAX, height=80,
                                     placeholder=ctx.t("onboarding.note_hint"))
                        form_error(task_form(int(row.task_id)))
                        st.form_submit_button(ctx.t("onboarding.complete"), type="primary", on_click=complete,
                                              args=(int(row.task_id),), icon=":material/task_alt:")


def confirm(progress_id: int) -> None:
    submit(ctx, CHECK, onboarding.check_task, progress_id=progress_id, now=context.now(), done="onboarding.confirmed")


def new_reps_tab() -> None:
    reps = read(onboarding.new_reps, ctx.scope, now)
    st.caption(ctx.t("onboarding.lead_caption", days=settings["onboarding_days"]))
    if reps.empty:
        st.info(ctx.t("onboarding.no_new_reps", days=settings["onboarding_days"]))
        return
    shown = reps.drop(columns=["owner_id", "team_id"]).assign(joined=reps["joined"].astype(str)).rename(
        columns=lambda col: ctx.t(f"onboarding.col.{col}"))
    st.dataframe(shown, hide_index=True, width="stretch", key="new_reps_table")
    widgets.export_buttons(ctx, shown, "new-reps", key="new_reps_export")
    names = {int(r.owner_id): f"{r.rep} · {r.team}" for r in reps.itertuples()}
    pick = st.selectbox(ctx.t("onboarding.pick"), list(names), format_func=names.get, key="onb_rep")
    tasks = read(onboarding.tasks_of, ctx.scope, pick, now)
    for row in tasks.itertuples():
        with st.container(border=True, key=f"onb_task_{pick}_{row.task_id}"):
            a, b = st.columns([4, 1])
            a.markdown(f"**{task_title(row)}** · {task_status(row)}")
            if row.status in onboarding.DONE:
                a.caption(ctx.t("onboarding.done_at", at=row.completed_at.strftime("%Y-%m-%d %H:%M")) + " · " + row.note)
            if row.status == "done" and ctx.may("onboarding.check"):
                b.button(ctx.t("onboarding.confirm"), key=f"onb_confirm_{row.progress_id}", on_click=confirm,
                         args=(int(row.progress_id),), icon=":material/verified:")


# ---- the team: scores and surveys ----------------------------------------------------------------------

def team_tab(month: str) -> None:
    df = read(sc.team_scorecards, ctx.scope, month, now)
    if df.empty:
        st.info(ctx.t("capability.no_reps"))
        return
    cols = ["rep", "team", "score", *sc.PARTS, "rank", "points"]
    shown = df[cols].assign(rank=df["rank"].map(lambda r: "—" if pd.isna(r) else str(int(r)))).rename(
        columns=lambda c: PART_LABELS.get(c) or ctx.t(f"scorecard.col.{c}"))
    progress = {PART_LABELS.get(c) or ctx.t(f"scorecard.col.{c}"): st.column_config.ProgressColumn(
        format="%.1f", min_value=0, max_value=100) for c in ["score", *sc.PARTS]}
    st.dataframe(shown, hide_index=True, width="stretch", key="team_table", column_config=progress)
    st.caption(ctx.t("scorecard.team_help"))
    full = df.drop(columns=["owner_id", "team_id"]).rename(
        columns=lambda c: PART_LABELS.get(c) or COMP_LABELS.get(c) or ctx.t(f"scorecard.col.{c}"))
    widgets.export_buttons(ctx, full, f"team-scorecards-{month}", key="team_export")


SURVEY_FIELDS = {"customer_id": "customer", "surveyed_on": "date"}  # the write's field → its label's text key


def survey_tab(rep_id: int, rep_name: str) -> None:
    st.caption(ctx.t("survey.caption", name=rep_name))
    customers = read(sc.rep_customers, ctx.scope, rep_id)
    if customers.empty:
        st.info(ctx.t("survey.no_customers", name=rep_name))
        return
    plain = dict(zip(customers["id"].astype(int), customers["customer"]))
    names = {int(r.id): r.customer + ("" if pd.isna(r.last_score) else f" · {ctx.t('survey.last', score=int(r.last_score))}")
             for r in customers.itertuples()}
    with st.form("survey_form", clear_on_submit=True):
        customer = st.selectbox(ctx.t("survey.customer"), list(names), format_func=names.get, index=None,
                                key="survey_customer", placeholder="—")
        score = st.radio(ctx.t("survey.score"), SCORES, index=None, horizontal=True, key="survey_score")
        day = st.date_input(ctx.t("survey.date"), value=today, max_value=today, key="survey_date", format="YYYY-MM-DD")
        note = st.text_input(ctx.t("survey.note"), max_chars=targets.NOTE_MAX, key="survey_note")
        submitted = st.form_submit_button(ctx.t("survey.submit"), type="primary", icon=":material/save:")
    if submitted and submit(ctx, SURVEY, targets.record_satisfaction, customer_id=customer, score=score,
                            surveyed_on=day, note=note, now=context.now(),
                            done=lambda _: ctx.t("survey.saved", customer=plain[customer])):
        st.rerun()
    form_error(SURVEY, label=lambda field: ctx.t("survey." + SURVEY_FIELDS.get(field, field)))


# ---- the page ----------------------------------------------------------------------------------------------

own_view = ctx.scope.own_only
st.title(ctx.t("scorecard.title_rep" if own_view else "scorecard.title"))
st.caption(ctx.t("scorecard.caption_rep" if own_view else "scorecard.caption"))
flash()  # a first-week task done or confirmed, a survey saved
form_error(CHECK)

asked = st.query_params.get("rep")
months = sc.recent_months(today, sc.MONTHS_SHOWN)
try:
    if own_view:
        if asked is not None and asked != str(ctx.account.id):
            refuse()
        month = st.selectbox(ctx.t("scorecard.month"), months, format_func=month_label, key="scorecard_month",
                             width=240)
        if not read(onboarding.new_reps, ctx.scope, now).empty:  # a rep sees only their own row
            my_first_week()
        show_scorecard(ctx.account.id, month, own=True)
    else:
        reps = read(org.active_reps, ctx.scope)
        several = reps["team_id"].nunique() > 1
        names = {int(r.id): f"{r.display_name} · {r.team}" if several else r.display_name for r in reps.itertuples()}
        if asked is not None and not (asked.isdigit() and int(asked) in names):
            refuse()
        c1, c2 = st.columns([1, 2])
        month = c1.selectbox(ctx.t("scorecard.month"), months, format_func=month_label, key="scorecard_month")
        chosen = None
        if names:
            if st.session_state.get("scorecard_rep") not in names:
                st.session_state["scorecard_rep"] = int(asked) if asked is not None else next(iter(names))
            chosen = c2.selectbox(ctx.t("people.rep"), list(names), format_func=names.get, key="scorecard_rep")
            st.query_params["rep"] = str(chosen)
        tab_names = ["scorecard.tab.rep", "scorecard.tab.team", "scorecard.tab.new"]
        if ctx.may("satisfaction.record"):
            tab_names.append("scorecard.tab.survey")
        tabs = dict(zip(tab_names, st.tabs([ctx.t(k) for k in tab_names])))
        with tabs["scorecard.tab.rep"]:
            if chosen is None:
                st.info(ctx.t("capability.no_reps"))
            else:
                show_scorecard(chosen, month, own=False)
        with tabs["scorecard.tab.team"]:
            team_tab(month)
        with tabs["scorecard.tab.new"]:
            new_reps_tab()
        if "scorecard.tab.survey" in tabs:
            with tabs["scorecard.tab.survey"]:
                if chosen is None:
                    st.info(ctx.t("capability.no_reps"))
                else:
                    survey_tab(chosen, reps.loc[reps["id"] == chosen, "display_name"].iloc[0])
except ScopeError:
    refuse()
