"""Targets (目标, SPEC §8): what each rep's scorecard measures against — a month's signed amount,
collections and effective visits per rep, set in one table or one rep at a time, and the team targets
they add up to. Leads set their own teams' reps' targets, directors and admins anyone's."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.base.vocabulary import TARGET_KINDS
from core.people import scorecard as sc
from core.people import targets
from ui import context, page, widgets
from ui.read import minute, read
from ui.write import flash, form_error, submit

ctx = page.open(__file__)
today = minute().date()
TABLE, ONE = "targets_table", "targets_one"  # the table editor, the one-rep form
WIDGETS = ("targets_editor_", "target_signed_", "target_coll_", "target_visits_")  # their keys' beginnings


def month_label(m: str) -> str:
    year, mon = m.split("-")
    return ctx.t("scorecard.month_label", year=year, month=int(mon))


def error_label(field: str | None) -> str:
    return ctx.t(f"targets.col.{field}") if field in TARGET_KINDS else ""


def save(form: str, month: str, rows: list[targets.TargetRow]) -> None:
    if not rows:
        st.info(ctx.t("settings.nothing"))
        return
    if submit(ctx, form, targets.save_targets, month, rows, context.now(),
              done=lambda n: ctx.t("targets.saved", n=n)):
        for key in [k for k in st.session_state if str(k).startswith(WIDGETS)]:
            del st.session_state[key]  # the editor and the form open again with the saved figures
        st.rerun()


st.title(ctx.t("targets.title"))
flash(TABLE)
flash(ONE)
month = st.selectbox(ctx.t("scorecard.month"), sc.recent_months(today, sc.MONTHS_SHOWN), format_func=month_label,
                     key="targets_month", width=240)
current = read(targets.month_targets, ctx.scope, month)
st.caption(ctx.t("targets.caption", month=month_label(month)))
labels = {k: ctx.t(f"targets.col.{k}") for k in (*TARGET_KINDS, "rep", "team", "set_at")}

# ---- the month's table, every rep in one editor --------------------------------------------------------
if current.empty:
    st.info(ctx.t("capability.no_reps"))
    st.stop()
if not ctx.may("target.save"):
    st.dataframe(current[["rep", "team", *TARGET_KINDS]].rename(columns=labels), hide_index=True, width="stretch",
                 key="targets_table")
else:
    edited = st.data_editor(
        current[["rep", "team", *TARGET_KINDS]].rename(columns=labels), hide_index=True, width="stretch",
        key=f"targets_editor_{month}", disabled=[labels["rep"], labels["team"]], num_rows="fixed",
        column_config={labels["signed_amount"]: st.column_config.NumberColumn(min_value=0, format="localized",
                                                                             step=1000),
                       labels["collections"]: st.column_config.NumberColumn(min_value=0, format="localized", step=1000),
                       labels["effective_visits"]: st.column_config.NumberColumn(min_value=0, step=1, format="%d")})
    if st.button(ctx.t("targets.save_all"), type="primary", key="targets_save", icon=":material/save:"):
        save(TABLE, month, targets.changed_rows(current, edited.rename(columns={v: k for k, v in labels.items()})))
    form_error(TABLE, label=error_label)

    # ---- one rep, in a small form (opened with the rep's current targets) ----------------------------
    names = {int(r.owner_id): f"{r.rep} · {r.team}" for r in current.itertuples()}
    st.markdown(f"**{ctx.t('targets.one_title')}**")
    rep = st.selectbox(ctx.t("targets.col.rep"), list(names), format_func=names.get, key="target_rep")
    row = current[current["owner_id"] == rep].iloc[0]
    shown = {k: None if pd.isna(row[k]) else row[k] for k in TARGET_KINDS}
    with st.form(f"target_form_{month}_{rep}"):
        c1, c2, c3 = st.columns(3)
        signed = c1.number_input(labels["signed_amount"], min_value=0.0, step=10000.0, format="%.0f",
                                 value=None if shown["signed_amount"] is None else float(shown["signed_amount"]),
                                 key=f"target_signed_{month}_{rep}")
        coll = c2.number_input(labels["collections"], min_value=0.0, step=10000.0, format="%.0f",
                               value=None if shown["collections"] is None else float(shown["collections"]),
                               key=f"target_coll_{month}_{rep}")
        visits = c3.number_input(labels["effective_visits"], min_value=0, step=1,
                                 value=None if shown["effective_visits"] is None else int(shown["effective_visits"]),
                                 key=f"target_visits_{month}_{rep}")
        submitted = st.form_submit_button(ctx.t("targets.save_one"), icon=":material/save:")
    if submitted:
        save(ONE, month, [targets.rep_row(current, int(rep), signed, coll, visits)])
    form_error(ONE, label=error_label)

# ---- the teams' targets ----------------------------------------------------------------------------------
teams = read(targets.team_targets, ctx.scope, month)
st.markdown(f"**{ctx.t('targets.team_title')}**")
shown_teams = teams.drop(columns=["team_id"]).assign(
    source=teams["source"].map(lambda s: ctx.t(f"targets.source.{s}"))).rename(
    columns=lambda c: labels.get(c) or ctx.t(f"targets.col.{c}"))
st.dataframe(shown_teams, hide_index=True, width="stretch", key="team_targets_table", column_config={
    labels[k]: st.column_config.NumberColumn(format="localized") for k in ("signed_amount", "collections")})
widgets.export_buttons(ctx, shown_teams, f"team-targets-{month}", key="team_targets_export")
