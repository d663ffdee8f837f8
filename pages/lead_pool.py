"""Lead pool (线索公海): a rep claims leads from their team's pool and the company pool and sees which
of their own leads are about to return; leads and directors see the pool's size and age by team,
its leads, the leads about to return and the latest returns and claims."""
import pandas as pd
import streamlit as st

from core.base.scope import ScopeError
from core.leads import pool
from core.leads import routing
from ui import context, page, widgets
from ui.read import minute, read
from ui.read import settings as read_settings
from ui.write import clear_error, flash, form_error, submit

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
now = minute()
s = st.session_state


def label(key: str, value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else ctx.t(f"{key}.{value}")


def pool_table(df: pd.DataFrame, columns: list[str], days: int | None = None) -> pd.DataFrame:
    """The columns a person reads, with translated values and headers (``days``: the window of the
    returned and claimed counts)."""
    shown = df[columns].copy()
    if "pool_reason" in shown:
        shown["pool_reason"] = shown["pool_reason"].map(lambda v: label("pool.reason", v))
    if "pool" in shown:
        shown["pool"] = shown["pool"].map(lambda v: ctx.t(f"pool.kind.{v}"))
    if "rule" in shown:
        shown["rule"] = shown["rule"].map(lambda v: ctx.t(f"pool.rule.{v}"))
    if "status" in shown:
        shown["status"] = shown["status"].map(lambda v: label("pool.status", v))
    if "size" in shown:
        shown["size"] = shown["size"].map(lambda v: ctx.t(f"routing.size.{v}") if v else "")
    for c in ("region", "industry", "last_owner", "owner"):
        if c in shown:
            shown[c] = shown[c].fillna("")
    for c in ("cooldown_until", "pooled_at", "returns_at", "last_touch_at"):
        if c in shown:
            shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d %H:%M"))
    if "team" in shown and "pool" not in columns:
        shown["team"] = shown["team"].fillna(ctx.t("pool.kind.company"))
    for c in ("days_in_pool", "mean_days", "max_days"):
        if c in shown:
            shown[c] = shown[c].round(1)
    return shown.rename(columns=lambda c: ctx.t(f"pool.col.{c}", days=days))


def countdown_section(title_key: str, key: str) -> None:
    warn = settings["pool_warn_days"]
    df = read(pool.return_countdown, ctx.scope, now, within_days=warn)
    st.subheader(ctx.t(title_key, n=len(df), days=warn))
    st.caption(ctx.t("pool.countdown_help", no_follow_up=settings["pool_no_follow_up_days"],
                     not_converted=settings["pool_not_converted_days"]))
    if df.empty:
        st.info(ctx.t("pool.none_returning"))
        return
    cols = ["id", "company", "grade", "status", "days_left", "returns_at", "rule", "last_touch_at"]
    if not ctx.scope.own_only:
        cols[4:4] = ["owner", "team"]
    shown = pool_table(df, cols)
    st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}_table")
    widgets.export_buttons(ctx, shown, key.replace("_", "-"), key=f"{key}_export")


# ---- a rep: claim ----------------------------------------------------------------------------------

def rep_view() -> None:
    allowance = read(pool.claim_allowance, ctx.scope, now)
    df = read(pool.claimable_leads, ctx.scope, now)
    c1, c2, c3 = st.columns(3)
    c1.metric(ctx.t("pool.metric.claimable"), df.attrs.get("total", len(df)), border=True)
    c2.metric(ctx.t("pool.metric.claimed_today"), f"{allowance.claimed_today} / {allowance.cap}", border=True)
    c3.metric(ctx.t("pool.metric.left_today"), allowance.left, border=True)
    st.caption(ctx.t("pool.rep_help", cap=allowance.cap, cooldown=allowance.cooldown_days))
    outcome = st.container()  # the last claim's outcome, once
    with outcome:
        flash("claim")
        form_error("claim")
        clear_error("claim")
    st.subheader(ctx.t("pool.claimable", n=df.attrs.get("total", len(df))))
    if df.empty:
        st.info(ctx.t("pool.empty_rep"))
    else:
        cols = ["id", "company", "grade", "industry", "size", "region", "source_channel", "pool", "pool_reason",
                "days_in_pool", "cooldown_until"]
        shown = pool_table(df, cols)
        st.dataframe(shown, hide_index=True, width="stretch", key="claimable_table")
        if len(df) < df.attrs.get("total", 0):
            st.caption(ctx.t("common.showing", shown=len(df), total=df.attrs["total"]))
        widgets.export_buttons(ctx, shown, "lead-pool", key="claimable_export")
        open_ = df[df["cooldown_until"].isna()]
        options = {int(r.id): f"#{int(r.id)} {r.company} · {r.grade} · {ctx.t('pool.days', n=round(r.days_in_pool, 1))}"
                   for r in open_.itertuples()}
        if s.get("claim_pick") not in options:
            s["claim_pick"] = None
        with st.form("claim_form"):
            pick = st.selectbox(ctx.t("pool.pick"), list(options), format_func=options.get, index=None,
                                placeholder=ctx.t("pool.pick_placeholder"), key="claim_pick")
            go = st.form_submit_button(ctx.t("pool.claim"), type="primary", icon=":material/front_hand:",
                                       disabled=allowance.left == 0)
        if go and pick is None:
            outcome.error(ctx.t("pool.err.pick"), icon=":material/error:")
        elif go:
            company = str(df.loc[df["id"] == pick, "company"].iloc[0])
            submit(ctx, "claim", pool.claim, pick, context.now(), done=lambda _: ctx.t("pool.claimed", company=company))
            st.rerun()
        if allowance.left == 0:
            st.warning(ctx.t("pool.err.cap", cap=allowance.cap))
    countdown_section("pool.my_returning", "my_returning")


# ---- leads and directors: size and age -------------------------------------------------------------

def board_view() -> None:
    summary = read(pool.pool_summary, ctx.scope, now)
    figures = summary.attrs  # every pool in scope together
    total, mean_age, days = figures["leads"], figures["mean_days"], figures["days"]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(ctx.t("pool.metric.size"), total, border=True)
    c2.metric(ctx.t("pool.metric.mean_age"), "—" if mean_age is None else f"{mean_age:.1f}", border=True)
    c3.metric(ctx.t("pool.metric.over_30"), figures["days_over_30"], border=True)
    c4.metric(ctx.t("pool.metric.moves", days=days), f"{figures['returned']} / {figures['claimed']}",
              border=True, help=ctx.t("pool.metric.moves_help"))

    st.subheader(ctx.t("pool.by_team"))
    named = summary.assign(team=summary["team"].fillna(ctx.t("pool.kind.company")))
    if total:
        buckets = named.set_index("team")[["days_0_7", "days_8_30", "days_over_30"]]
        buckets = buckets[buckets.sum(axis=1) > 0].rename(columns=lambda c: ctx.t(f"pool.col.{c}"))
        st.bar_chart(buckets, horizontal=True, stack=True, x_label="", y_label=ctx.t("pool.col.leads"),
                     color=["#7fb77e", "#f2b84b", "#d9534f"], height=max(220, 32 * len(buckets) + 80))
    shown = pool_table(named, ["team", "leads", "mean_days", "max_days", "days_0_7", "days_8_30", "days_over_30",
                               "returned", "claimed"], days=days)
    st.dataframe(shown, hide_index=True, width="stretch", key="pool_summary_table")
    widgets.export_buttons(ctx, shown, "lead-pool-by-team", key="pool_summary_export")

    teams = {int(t): n for t, n in zip(summary["team_id"].dropna(), summary.loc[summary["team_id"].notna(), "team"])}
    team_id = st.selectbox(ctx.t("pool.filter_team"), [None, *teams], key="pool_team",
                           format_func=lambda t: ctx.t("common.all") if t is None else teams[t])
    leads = read(pool.pool_leads, ctx.scope, now, team_id=team_id)
    st.subheader(ctx.t("pool.leads", n=leads.attrs.get("total", len(leads))))
    if leads.empty:
        st.info(ctx.t("pool.empty"))
    else:
        shown = pool_table(leads, ["id", "company", "grade", "industry", "size", "source_channel", "team", "pool_reason",
                                   "pooled_at", "days_in_pool", "last_owner"])
        st.dataframe(shown, hide_index=True, width="stretch", key="pool_leads_table")
        if len(leads) < leads.attrs.get("total", 0):
            st.caption(ctx.t("common.showing", shown=len(leads), total=leads.attrs["total"]))
        widgets.export_buttons(ctx, shown, "lead-pool-leads", key="pool_leads_export")

    countdown_section("pool.team_returning", "team_returning")

    log = read(routing.recent_assignments, ctx.scope, now, reasons=(pool.RETURNED, pool.CLAIMED), team_id=team_id)
    widgets.assignment_log(ctx, log, "pool.moves", "lead-pool-moves", key="pool_moves")


st.title(ctx.t("pool.title"))
st.caption(ctx.t("pool.caption.rep" if ctx.may("lead.claim") else "pool.caption.board"))
try:
    if ctx.may("lead.claim"):  # a rep claims; leads, directors and admins see the pools' size and age
        rep_view()
    else:
        board_view()
except ScopeError:
    st.error(ctx.t("err.forbidden"))
