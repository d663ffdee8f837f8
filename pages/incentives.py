"""Incentives & points (激励与积分, SPEC §8): the month's payout per rep and team under the current
model, the circuit breakers that tripped and why, how a rep's points and payout are made line by
line, the payroll export, and for the director the what-if sandbox (nothing saved) and applying a
new model version. ?month=YYYY-MM."""
import pandas as pd
import streamlit as st

from core.people import incentives as inc
from core.process import psi
from ui import context, page
from ui.read import read
from ui.write import flash, form_error, submit

ctx = page.open(__file__)
now = context.now()
MONEY = st.column_config.NumberColumn(format="¥%,.2f")
C = "incentive.col."


def money(value) -> str:
    return "—" if value is None or pd.isna(value) else f"¥{float(value):,.2f}"


def num(value, digits: int = 1) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):,.{digits}f}"


def shown(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = df[cols].copy()
    if "tier" in out:
        out["tier"] = out["tier"].map(lambda t: ctx.t(f"incentive.tier.{t}") if isinstance(t, str) else "—")
    for col in ("breaker", "breaker_before", "breaker_after"):
        if col in out:
            out[col] = out[col].map(lambda b: "⚠" if bool(b) else "")
    return out.rename(columns={c: ctx.t(C + c) for c in cols})


def money_cols(cols: list[str]) -> dict:
    return {ctx.t(C + c): MONEY for c in cols}


def model_line(p: inc.Params) -> str:
    return ctx.t("incentive.model_line", nc=f"{p.weight_new_customer:g}", st=f"{p.weight_strategic:g}",
                 co=f"{p.weight_collaboration:g}", ypp=f"{p.yuan_per_point:g}", full=f"{p.tier_full:g}",
                 partial=f"{p.tier_partial:g}", pp=f"{p.tier_partial_payout:g}", thr=f"{p.breaker_threshold_pct:g}",
                 frz=f"{p.breaker_freeze_pct:g}")


# ---- month, model ---------------------------------------------------------------------------------
months = psi.recent_months(now)
asked = st.query_params.get("month")
if asked in months and "inc_month" not in st.session_state:
    st.session_state["inc_month"] = asked
st.title(ctx.t("incentive.title"))
st.caption(ctx.t("incentive.caption"))
flash("incentive_apply")
month = st.columns([1, 3])[0].selectbox(ctx.t("incentive.month"), months, key="inc_month")
st.query_params["month"] = month

model = read(inc.current_model, ctx.scope)
got = read(inc.payouts, ctx.scope, month)
st.markdown(("**" + ctx.t("incentive.model", version=model.version) + "**") if model.version
            else ctx.t("incentive.model_default"))
st.caption(model_line(model.params))

with st.container(border=True, key="inc_headline"):
    h1, h2, h3 = st.columns(3)
    h1.metric(ctx.t("incentive.total"), money(got.total))
    h2.metric(ctx.t("incentive.frozen_total"), money(got.frozen))
    h3.metric(ctx.t("incentive.reps_paid"), len(got.reps))

# ---- circuit breakers and teams without a PSI --------------------------------------------------------
for row in got.teams.itertuples():
    if row.breaker:
        st.error(ctx.t("incentive.breaker_reason", team=row.team, rate=num(row.complaint_rate),
                       thr=f"{got.params.breaker_threshold_pct:g}", c=int(row.complaint_customers),
                       a=int(row.active_customers), frz=f"{got.params.breaker_freeze_pct:g}", frozen=f"{row.frozen:,.2f}"),
                 icon=":material/electric_bolt:")
    elif row.psi is None or pd.isna(row.psi):
        st.info(ctx.t("incentive.no_standing", team=row.team), icon=":material/hourglass_empty:")

# ---- payouts ---------------------------------------------------------------------------------------
REP_SHOWN = ["team", "rep", "result_points", "process_points", "collaboration_points", "psi", "tier",
             "process_share", "complaint_rate", "breaker", "result_pay", "process_pay", "collaboration_pay", "frozen",
             "total"]
PAY = ["result_pay", "process_pay", "collaboration_pay", "frozen", "total", "process_pool", "before", "after", "change",
       "frozen_before", "frozen_after"]
if got.reps.empty:
    st.info(ctx.t("incentive.no_points"))
else:
    if not ctx.scope.own_only:
        st.subheader(ctx.t("incentive.teams_title"))
        team_cols = ["team", "reps", "psi", "tier", "process_share", "complaint_rate", "breaker", "process_pool",
                     "frozen", "total"]
        st.dataframe(shown(got.teams, team_cols), hide_index=True, key="inc_teams",
                     column_config=money_cols([c for c in team_cols if c in PAY]))
    st.subheader(ctx.t("incentive.reps_title"))
    st.dataframe(shown(got.reps, REP_SHOWN), hide_index=True, key="inc_reps",
                 column_config=money_cols([c for c in REP_SHOWN if c in PAY]))

# ---- payroll export (audited) ------------------------------------------------------------------------
if ctx.may("payout.export") and not got.reps.empty:
    with st.container(border=True, key="inc_export"):
        st.markdown("**" + ctx.t("incentive.export") + "**")
        if st.button(ctx.t("incentive.export_prepare"), key="inc_export_btn", icon=":material/table_view:"):
            out = submit(ctx, "incentive_export", inc.export_payouts, month, context.now(),
                         done=lambda _: ctx.t("incentive.export_done", month=month, n=len(got.reps)))
            if out:
                st.session_state["inc_export_file"] = (month, out.result)
        form_error("incentive_export")
        flash("incentive_export")
        ready = st.session_state.get("inc_export_file")
        if ready and ready[0] == month:
            st.download_button(ctx.t("incentive.export_download"), ready[1], file_name=f"payouts-{month}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key="inc_export_dl", icon=":material/download:")

# ---- how the points and payout are made --------------------------------------------------------------
st.subheader(ctx.t("incentive.mine_title" if ctx.scope.own_only else "incentive.statement_title"))
rep_id = ctx.scope.user_id if ctx.scope.own_only else None
if rep_id is None and not got.reps.empty:
    names = dict(zip(got.reps["owner_id"].astype(int), got.reps["rep"]))
    rep_id = st.selectbox(ctx.t("incentive.pick_rep"), list(names), format_func=lambda i: names[i], key="inc_rep")
if rep_id is not None:
    sta = read(inc.statement, ctx.scope, int(rep_id), month)
    row, p = sta.row, sta.params
    with st.container(border=True, key="inc_statement"):
        if row is None:
            st.info(ctx.t("incentive.no_points"))
        else:
            tier = ctx.t(f"incentive.tier.{row['tier']}") if row["tier"] else ctx.t("incentive.no_psi")
            ypp = f"{p.yuan_per_point:g}"
            st.markdown(ctx.t("incentive.f_result", points=num(row["result_points"], 2), ypp=ypp,
                              pay=f"{row['result_pay']:,.2f}"))
            st.markdown(ctx.t("incentive.f_process", points=num(row["process_points"], 2), ypp=ypp,
                              share=f"{row['process_share']:g}", psi=num(row["psi"]), tier=tier,
                              frz=f"{row['frozen_share']:g}", pay=f"{row['process_pay']:,.2f}"))
            st.markdown(ctx.t("incentive.f_collab", points=num(row["collaboration_raw"], 2), w=f"{p.weight_collaboration:g}",
                              wp=num(row["collaboration_points"], 2), ypp=ypp, pay=f"{row['collaboration_pay']:,.2f}"))
            st.markdown("**" + ctx.t("incentive.f_total", total=f"{row['total']:,.2f}") + "**")
        if not sta.lines.empty:
            lines = sta.lines.copy()
            lines["rule"] = lines["rule"].map(lambda r: ctx.t(f"incentive.rule.{r}"))
            lines["part"] = lines["part"].map(lambda r: ctx.t(f"incentive.part.{r}"))
            lines["weight_key"] = lines["weight_key"].map(lambda r: ctx.t(f"incentive.key.{r}"))
            cols = ["happened_at", "rule", "part", "weight_key", "points", "weight", "weighted", "reason"]
            st.caption(ctx.t("incentive.lines"))
            st.dataframe(lines[cols].rename(columns={c: ctx.t(C + c) for c in cols}), hide_index=True,
                         key="inc_lines")

# ---- the what-if sandbox (directors) -------------------------------------------------------------------
if ctx.may("incentive.what_if"):
    st.subheader(ctx.t("incentive.whatif_title"))
    st.caption(ctx.t("incentive.whatif_help"))
    base = model.params
    with st.form("inc_whatif"):
        cols = st.columns(3)
        values = {}
        for i, key in enumerate(inc.NUMBERS):
            values[key] = cols[i % 3].number_input(ctx.t(f"incentive.param.{key}"), value=float(getattr(base, key)),
                                                   step=0.1 if key.startswith("weight") else 1.0, format="%.2f",
                                                   key=f"inc_p_{key}")
        industries = st.text_input(ctx.t("incentive.param.strategic_industries"),
                                   value=", ".join(base.strategic_industries), key="inc_p_industries_text")
        run = st.form_submit_button(ctx.t("incentive.whatif_run"), icon=":material/calculate:")
    if run:
        changes = {k: v for k, v in values.items() if float(v) != float(getattr(base, k))}
        listed = tuple(x.strip() for x in industries.replace("，", ",").split(",") if x.strip())
        if listed != base.strategic_industries:
            changes["strategic_industries"] = industries
        st.session_state["inc_changes"] = (month, changes)
    pending = st.session_state.get("inc_changes")
    if pending and pending[0] == month:
        changes = pending[1]
        try:
            cmp_ = read(inc.what_if, ctx.scope, month, changes)
        except inc.InvalidIncentiveInput as exc:
            label = ctx.t(f"incentive.param.{exc.field}") + ": " if exc.field in (*inc.NUMBERS, "strategic_industries") else ""
            st.error(label + exc.message(ctx.lang), icon=":material/error:")
        else:
            with st.container(border=True, key="inc_whatif_result"):
                st.warning(ctx.t("incentive.whatif_not_saved"), icon=":material/visibility:")
                st.metric(ctx.t("incentive.total"), money(cmp_.total_after), delta=f"{cmp_.total_change:+,.2f}",
                          delta_color="inverse")
                st.markdown(ctx.t("incentive.whatif_total", before=f"{cmp_.total_before:,.2f}",
                                  after=f"{cmp_.total_after:,.2f}", change=f"{cmp_.total_change:+,.2f}"))
                rep_cols = ["team", "rep", "before", "after", "change", "frozen_before", "frozen_after"]
                st.dataframe(shown(cmp_.reps, rep_cols), hide_index=True, key="inc_cmp_reps",
                             column_config=money_cols([c for c in rep_cols if c in PAY]))
                team_cols = ["team", "before", "after", "change", "breaker_before", "breaker_after"]
                st.dataframe(shown(cmp_.teams, team_cols), hide_index=True, key="inc_cmp_teams",
                             column_config=money_cols([c for c in team_cols if c in PAY]))
                if ctx.may("incentive.apply"):
                    note = st.text_input(ctx.t("incentive.apply_note"), key="inc_note_text", max_chars=200)
                    if st.button(ctx.t("incentive.apply"), key="inc_apply", type="primary",
                                 icon=":material/published_with_changes:"):
                        if submit(ctx, "incentive_apply", inc.apply_model, changes, note, context.now(),
                                  done=lambda v: ctx.t("incentive.applied", version=v)):
                            st.session_state.pop("inc_changes", None)
                            st.rerun()
                    form_error("incentive_apply", label=lambda f: ctx.t(f"incentive.param.{f}"))

# ---- versions ------------------------------------------------------------------------------------------
if not ctx.scope.own_only:
    with st.expander(ctx.t("incentive.versions")):
        versions = read(inc.model_versions, ctx.scope)
        if versions.empty:
            st.caption(ctx.t("incentive.no_versions"))
        else:
            cols = ["version", "created_at", "by", "note", *inc.NUMBERS]
            st.dataframe(versions[cols].rename(columns={c: ctx.t(C + c) if c not in inc.NUMBERS
                                                        else ctx.t(f"incentive.param.{c}") for c in cols}),
                         hide_index=True, key="inc_versions")
