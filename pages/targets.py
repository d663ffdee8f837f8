"""Targets (目标, SPEC §8): what each rep's scorecard measures against — a month's signed amount,
collections and effective visits per rep, set in one table or one rep at a time, and the team targets
they add up to. Leads set their own teams' reps' targets, directors and admins anyone's.

The year and quarter plan: the director gives each region its target and accepts (or edits)
the proposed split to teams, reps and months, and after a month closes a re-allocation of the rest;
every version is kept. Each rep confirms the month's target and sees where it comes from; the lead
sees who has not confirmed. The weight matrix (customer type × product) is the director's."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.base.vocabulary import TARGET_KINDS
from core.people import scorecard as sc
from core.people import targets
from ui import context, page, widgets
from core.base import org
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


def money(df: pd.DataFrame, cols) -> dict:
    return {c: st.column_config.NumberColumn(format="localized") for c in cols if c in df.columns}


def yuan(x) -> str:
    return f"{float(x):,.0f}"


def period_label(p: str) -> str:
    return (ctx.t("plan.period_year", year=p) if "-Q" not in p
            else ctx.t("plan.period_quarter", year=p[:4], q=p[-1]))


st.title(ctx.t("targets.title"))
tab_month, tab_plan, tab_weights = st.tabs([ctx.t("plan.tab.month"), ctx.t("plan.tab.plan"),
                                            ctx.t("plan.tab.weights")])


def confirm_box(month: str) -> None:
    """A rep's own target of the month and its confirmation."""
    mine = read(targets.confirmations, ctx.scope, month)
    st.markdown(f"**{ctx.t('plan.confirm_title', month=month_label(month))}**")
    flash("target_confirm")
    if mine.empty:
        st.info(ctx.t("plan.no_month_target"))
        return
    row = mine.iloc[0]
    st.metric(ctx.t("targets.col.signed_amount"), f"¥{yuan(row['target'])}")
    if row["status"] == "confirmed":
        st.success(ctx.t("plan.confirm_done", at=f"{row['confirmed_at']:%Y-%m-%d %H:%M}"))
        return
    if row["status"] == "changed":
        st.warning(ctx.t("plan.confirm_changed", amount=yuan(row["confirmed_amount"])))
    if st.button(ctx.t("plan.confirm"), type="primary", key="target_confirm", icon=":material/check:"):
        if submit(ctx, "target_confirm", targets.confirm_target, month, context.now(),
                  done=ctx.t("plan.confirmed")):
            st.rerun()
    form_error("target_confirm")


def unconfirmed_box(month: str) -> None:
    """The lead's (and director's) list of reps who have not confirmed the month's target."""
    conf = read(targets.confirmations, ctx.scope, month)
    st.markdown(f"**{ctx.t('plan.unconfirmed_title')}**")
    if conf.empty:
        st.info(ctx.t("plan.no_month_target"))
        return
    done = int((conf["status"] == "confirmed").sum())
    st.caption(ctx.t("plan.confirmed_count", n=done, total=len(conf)))
    open_ = conf[conf["status"] != "confirmed"]
    if open_.empty:
        st.success(ctx.t("plan.all_confirmed"))
        return
    keep = ["rep", "team", "target", "status"] + (["confirmed_amount"] if open_["confirmed_amount"].notna().any() else [])
    shown = open_[keep].assign(
        status=open_["status"].map(lambda v: ctx.t(f"plan.confirm.{v}")))
    shown = shown.rename(columns={"rep": ctx.t("plan.col.rep"), "team": ctx.t("plan.col.team"),
                                  "target": ctx.t("targets.col.signed_amount"),
                                  "status": ctx.t("plan.col.confirm_status"),
                                  "confirmed_amount": ctx.t("plan.col.confirmed_amount")})
    st.dataframe(shown, hide_index=True, width="stretch", key="unconfirmed_table",
                 column_config=money(shown, [ctx.t("targets.col.signed_amount"), ctx.t("plan.col.confirmed_amount")]))


def month_tab() -> None:
    flash(TABLE)
    flash(ONE)
    month = st.selectbox(ctx.t("scorecard.month"), sc.recent_months(today, sc.MONTHS_SHOWN), format_func=month_label,
                         key="targets_month", width=240)
    current = read(targets.month_targets, ctx.scope, month)
    st.caption(ctx.t("targets.caption", month=month_label(month)))
    labels = {k: ctx.t(f"targets.col.{k}") for k in (*TARGET_KINDS, "rep", "team", "set_at")}
    if ctx.may("target.confirm"):
        confirm_box(month)

    # ---- the month's table, every rep in one editor --------------------------------------------------------
    if current.empty:
        st.info(ctx.t("capability.no_reps"))
        return
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

    if ctx.scope.own_only:
        return  # a team's sum would tell a rep their teammates' targets
    unconfirmed_box(month)
    # ---- the teams' targets ----------------------------------------------------------------------------------
    teams = read(targets.team_targets, ctx.scope, month)
    st.markdown(f"**{ctx.t('targets.team_title')}**")
    shown_teams = teams.drop(columns=["team_id"]).assign(
        source=teams["source"].map(lambda s: ctx.t(f"targets.source.{s}"))).rename(
        columns=lambda c: labels.get(c) or ctx.t(f"targets.col.{c}"))
    st.dataframe(shown_teams, hide_index=True, width="stretch", key="team_targets_table", column_config={
        labels[k]: st.column_config.NumberColumn(format="localized") for k in ("signed_amount", "collections")})
    widgets.export_buttons(ctx, shown_teams, f"team-targets-{month}", key="team_targets_export")


def plan_tab() -> None:
    periods = targets.periods_of(today)
    period = st.selectbox(ctx.t("plan.period"), periods, format_func=period_label, key="plan_period", width=240,
                          index=periods.index(targets.default_period(periods, today)))
    flash("plan_propose")
    flash("plan_accept")
    versions = read(targets.plan_versions, ctx.scope, period)
    if ctx.may("target.allocate"):
        propose_form(period)
    if versions.empty:
        st.info(ctx.t("plan.no_plan"))
        return
    if ctx.may("target.reallocate") and (versions["status"] == "accepted").any():
        reallocate_form(period)
    st.markdown(f"**{ctx.t('plan.versions')}**")
    shown = versions.drop(columns=["version_id", "based_on"]).assign(
        kind=versions["kind"].map(lambda k: ctx.t(f"plan.kind.{k}")),
        status=versions["status"].map(lambda k: ctx.t(f"plan.status.{k}")),
        **{c: versions[c].map(lambda v: "—" if pd.isna(v) else f"{v:%Y-%m-%d %H:%M}") for c in ("created_at", "decided_at")},
        **{c: versions[c].map(lambda v: "—" if v is None or pd.isna(v) else v)
           for c in ("basis_month", "created_by", "decided_by")})
    shown = shown.rename(columns=lambda c: ctx.t(f"plan.col.{c}"))
    st.dataframe(shown, hide_index=True, width="stretch", key="plan_versions_table",
                 column_config=money(shown, [ctx.t("plan.col.total")]))
    labels = {int(r.version_id): ctx.t("plan.version_label", number=r.number, kind=ctx.t(f"plan.kind.{r.kind}"),
                                       status=ctx.t(f"plan.status.{r.status}")) for r in versions.itertuples()}
    wanted = ("proposed", "accepted") if ctx.may("target.allocate") else ("accepted",)  # the director decides
    first = next((int(r.version_id) for w in wanted for r in versions.itertuples() if r.status == w),
                 int(versions.iloc[0]["version_id"]))
    ids = list(labels)
    vid = st.selectbox(ctx.t("plan.version"), ids, format_func=labels.get, index=ids.index(first),
                       key=f"plan_version_{period}")
    status = versions.loc[versions["version_id"] == vid, "status"].iloc[0]
    rows = read(targets.plan_rows, ctx.scope, vid)
    cols = {"rep": ctx.t("plan.col.rep"), "team": ctx.t("plan.col.team"), "region": ctx.t("plan.col.region"),
            "total": ctx.t("plan.col.total"), "name": ctx.t("plan.col.name")}
    if not ctx.scope.own_only:
        for level in ("region", "team"):
            summary = read(targets.plan_summary, ctx.scope, vid, level)
            st.markdown(f"**{ctx.t('plan.by_region' if level == 'region' else 'plan.by_team')}**")
            shown = summary.drop(columns=["id"]).rename(columns={**cols, "name": cols[level]})
            st.dataframe(shown, hide_index=True, width="stretch", key=f"plan_{level}_table",
                         column_config=money(shown, [c for c in shown.columns if c != cols[level]]))
    st.markdown(f"**{ctx.t('plan.by_rep')}**")
    view = rows.drop(columns=["owner_id", "team_id"]).rename(columns=cols)
    month_cols = [c for c in view.columns if c not in cols.values()]
    if status == "proposed" and ctx.may("target.allocate"):
        st.caption(ctx.t("plan.accept_caption"))
        edited = st.data_editor(view, hide_index=True, width="stretch", key=f"plan_editor_{vid}", num_rows="fixed",
                                disabled=[cols["rep"], cols["team"], cols["region"], cols["total"]],
                                column_config={c: st.column_config.NumberColumn(min_value=0, step=1000,
                                                                                format="localized")
                                               for c in month_cols})
        if st.button(ctx.t("plan.accept"), type="primary", key="plan_accept", icon=":material/task_alt:"):
            edits = targets.plan_edits(rows, edited.rename(columns={v: k for k, v in cols.items()}))
            if submit(ctx, "plan_accept", targets.accept_version, vid, edits, context.now(),
                      done=ctx.t("plan.accepted")):
                st.rerun()
        form_error("plan_accept")
    else:
        st.dataframe(view, hide_index=True, width="stretch", key="plan_rows_table",
                     column_config=money(view, [*month_cols, cols["total"]]))
        widgets.export_buttons(ctx, view, f"target-plan-{period}-v{vid}", key="plan_rows_export")
    sources_box(period)


def sources_box(period: str) -> None:
    src = read(targets.target_sources, ctx.scope, period)
    if src.empty:
        return
    if ctx.scope.own_only:
        r = src.iloc[0]
        st.info(ctx.t("plan.my_sources", period=period_label(period), target=yuan(r["target"]),
                      existing=yuan(r["existing"]), pipeline=yuan(r["pipeline"]), new=yuan(r["new"])))
        return
    st.markdown(f"**{ctx.t('plan.sources')}**")
    st.caption(ctx.t("plan.sources_caption"))
    shown = src.drop(columns=["owner_id"]).rename(columns=lambda c: ctx.t(f"plan.col.{c}"))
    st.dataframe(shown, hide_index=True, width="stretch", key="plan_sources_table",
                 column_config=money(shown, [ctx.t(f"plan.col.{c}") for c in ("target", "existing", "pipeline", "new")]))


def propose_form(period: str) -> None:
    regions = read(org.regions, ctx.scope)
    with st.expander(ctx.t("plan.propose_title")), st.form(f"plan_propose_form_{period}"):
        st.caption(ctx.t("plan.propose_caption"))
        amounts = {int(r.id): st.number_input(ctx.t("plan.region_amount", region=r.name), min_value=0.0,
                                              step=100000.0, format="%.0f", value=None,
                                              key=f"plan_region_{period}_{r.id}")
                   for r in regions.itertuples()}
        submitted = st.form_submit_button(ctx.t("plan.propose"), icon=":material/call_split:")
    if submitted:
        given = {k: v for k, v in amounts.items() if v is not None}
        if submit(ctx, "plan_propose", targets.propose_allocation, period, given, context.now(),
                  done=ctx.t("plan.proposed")):
            st.rerun()
    form_error("plan_propose")


def reallocate_form(period: str) -> None:
    closed = targets.closed_months(period, context.now())
    if not closed:
        return
    with st.expander(ctx.t("plan.realloc_title")), st.form(f"plan_realloc_form_{period}"):
        st.caption(ctx.t("plan.realloc_caption"))
        month = st.selectbox(ctx.t("plan.closed_month"), closed, format_func=month_label, key=f"plan_closed_{period}")
        submitted = st.form_submit_button(ctx.t("plan.reallocate"), icon=":material/autorenew:")
    if submitted and submit(ctx, "plan_propose", targets.propose_reallocation, period, month, context.now(),
                            done=ctx.t("plan.proposed")):
        st.rerun()


def weights_tab() -> None:
    matrix = read(targets.weight_matrix, ctx.scope)
    st.caption(ctx.t("plan.weights_caption"))
    flash("plan_weights")
    shown = matrix.rename(columns={"customer_type": ctx.t("plan.col.customer_type")})
    if not ctx.may("target.weights"):
        st.dataframe(shown, hide_index=True, width="stretch", key="weights_table")
        return
    products = [c for c in matrix.columns if c != "customer_type"]
    edited = st.data_editor(shown, hide_index=True, width="stretch", key="weights_editor", num_rows="fixed",
                            disabled=[ctx.t("plan.col.customer_type")],
                            column_config={p: st.column_config.NumberColumn(min_value=0.0, max_value=targets.WEIGHT_MAX,
                                                                            step=0.1, format="%.2f")
                                           for p in products})
    if st.button(ctx.t("plan.weights_save"), type="primary", key="weights_save", icon=":material/save:"):
        changes = {(matrix.at[i, "customer_type"], p): edited.at[i, p]
                   for i in matrix.index for p in products if edited.at[i, p] != matrix.at[i, p]}
        if not changes:
            st.info(ctx.t("settings.nothing"))
        elif submit(ctx, "plan_weights", targets.save_weights, changes, context.now(),
                    done=lambda n: ctx.t("plan.weights_saved", n=n)):
            del st.session_state["weights_editor"]
            st.rerun()
    form_error("plan_weights")


with tab_month:
    month_tab()
with tab_plan:
    plan_tab()
with tab_weights:
    weights_tab()
