"""Lead board (线索看板), for team leads, directors and admins: leads by source channel × industry ×
status, the leads stuck without progress (a lead can hand one to another rep), the lead health quick
check, and the routing and reassignment history."""
from datetime import timedelta

import pandas as pd
import streamlit as st

from core.base import org
from core.base.vocabulary import LEAD_STATUSES
from core.leads import board as leadboard
from core.leads import routing
from ui import context, page, widgets
from ui.read import minute, read
from ui.read import settings as read_settings
from ui.write import clear_error, flash, form_error, submit

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
now = minute()
today = now.date()
s = st.session_state


def status(v: str) -> str:
    return ctx.t(f"pool.status.{v}")


st.title(ctx.t("board.title"))
st.caption(ctx.t("board.caption"))

# ---- filters ----------------------------------------------------------------------------------------
teams = read(org.teams, ctx.scope)
team_names = {int(i): n for i, n in zip(teams["id"], teams["name"])}
f1, f2 = st.columns(2)
period = f1.date_input(ctx.t("filter.period"), value=(today - timedelta(days=settings["lead_board_days"] - 1), today),
                       max_value=today, format="YYYY-MM-DD", key="board_period")
team_id = f2.selectbox(ctx.t("filter.team"), [None, *team_names], key="board_team",
                       format_func=lambda t: ctx.t("common.all") if t is None else team_names[t])
if not isinstance(period, (tuple, list)) or len(period) != 2:
    st.info(ctx.t("filter.pick_end"))
    st.stop()
start, end = period

# ---- counts: source × industry × status ---------------------------------------------------------------
table = read(leadboard.count_table, ctx.scope, start, end, team_id)
total = table.attrs["total"]
st.subheader(ctx.t("board.counts", n=total, start=str(start), end=str(end)))
if table.empty:
    st.info(ctx.t("common.no_rows"))
else:
    by_status = table.attrs["by_status"]
    for col, st_name in zip(st.columns(len(LEAD_STATUSES)), LEAD_STATUSES):
        col.metric(status(st_name), by_status[st_name], border=True)
    shown = table.rename(columns={"source_channel": ctx.t("board.col.source_channel"),
                                  "industry": ctx.t("board.col.industry"), "total": ctx.t("board.col.total"),
                                  **{k: status(k) for k in LEAD_STATUSES}})
    shown[ctx.t("board.col.industry")] = shown[ctx.t("board.col.industry")].replace("", ctx.t("board.unknown"))
    st.dataframe(shown, hide_index=True, width="stretch", key="board_counts_table",
                 column_config={ctx.t("board.col.total"): st.column_config.ProgressColumn(
                     ctx.t("board.col.total"), format="%d", min_value=0, max_value=int(table["total"].max()))})
    widgets.export_buttons(ctx, shown, "lead-counts", key="board_counts_export")

# ---- stuck leads ----------------------------------------------------------------------------------------
stuck = read(leadboard.stuck_leads, ctx.scope, now, team_id)
st.subheader(ctx.t("board.stuck", n=stuck.attrs.get("total", len(stuck)), days=settings["lead_stuck_days"]))
flash("reassign")
if stuck.empty:
    st.info(ctx.t("board.none_stuck"))
else:
    cols = ["id", "company", "grade", "status", "owner", "team", "days_without_progress", "last_progress_at",
            "next_action", "next_action_at"]
    shown = stuck[cols].assign(
        status=stuck["status"].map(status),
        next_action_at=stuck["next_action_at"].map(lambda v: "" if pd.isna(v) else v.strftime("%Y-%m-%d %H:%M")),
        last_progress_at=stuck["last_progress_at"].map(lambda v: v.strftime("%Y-%m-%d %H:%M")),
    ).rename(columns=lambda c: ctx.t(f"board.col.{c}"))
    st.dataframe(shown, hide_index=True, width="stretch", key="board_stuck_table")
    if len(stuck) < stuck.attrs.get("total", 0):
        st.caption(ctx.t("common.showing", shown=len(stuck), total=stuck.attrs["total"]))
    widgets.export_buttons(ctx, shown, "stuck-leads", key="board_stuck_export")
    reps = read(org.active_reps, ctx.scope)
    if not reps.empty:
        with st.expander(ctx.t("board.reassign"), icon=":material/swap_horiz:"):
            lead_opts = {int(r.id): f"#{int(r.id)} {r.company} · {r.owner}" for r in stuck.itertuples()}
            rep_opts = {int(r.id): f"{r.display_name} · {r.team}" for r in reps.itertuples()}
            with st.form("reassign_form", border=False):
                c1, c2 = st.columns(2)
                pick_lead = c1.selectbox(ctx.t("board.col.company"), list(lead_opts), format_func=lead_opts.get,
                                         index=None, placeholder="—", key="reassign_lead")
                pick_rep = c2.selectbox(ctx.t("board.to_rep"), list(rep_opts), format_func=rep_opts.get, index=None,
                                        placeholder="—", key="reassign_rep")
                go = st.form_submit_button(ctx.t("board.reassign_submit"), type="primary")
            form_error("reassign")  # the last refusal, once
            clear_error("reassign")
            if go:
                submit(ctx, "reassign", routing.reassign_lead, pick_lead, pick_rep, context.now(),
                       done=lambda _: ctx.t("board.reassigned", company=lead_opts[pick_lead].split(" · ")[0],
                                            rep=rep_opts[pick_rep].split(" · ")[0]))
                st.rerun()

# ---- the lead health quick check ---------------------------------------------------------------------------
draw = int(s.get("board_draw", 0))
check = read(leadboard.quick_check, ctx.scope, now, draw, team_id)
st.subheader(ctx.t("board.check"))
st.caption(ctx.t("board.check_help", n=settings["lead_check_sample"], start=str(check.start), end=str(check.end),
                 total=check.in_window))
c1, c2 = st.columns([2, 1])
if check.share is None:
    c1.info(ctx.t("board.check_none"))
else:
    c1.metric(ctx.t("board.check_share"), f"{100 * check.share:.0f}%",
              help=ctx.t("board.check_counts", complete=check.complete, checked=check.checked), border=True)
if c2.button(ctx.t("board.draw_again"), key="board_draw_again", icon=":material/casino:"):
    s["board_draw"] = draw + 1
    st.rerun()
if check.checked:
    sample = check.sample
    mark = {True: "✓", False: "✗"}
    shown = pd.DataFrame({
        ctx.t("board.col.id"): sample["id"],
        ctx.t("board.col.company"): sample["company"],
        ctx.t("board.col.owner"): sample["owner"].fillna(ctx.t("pool.kind.pool")),
        ctx.t("board.col.team"): sample["team"].fillna(ctx.t("pool.kind.company")),
        **{ctx.t(f"board.check.{f}"): sample["missing"].map(lambda m, f=f: mark[f not in m.split(",")])
           for f in leadboard.CHECK_FIELDS},
        ctx.t("board.col.missing"): sample["missing"].map(
            lambda m: ctx.t("list.sep").join(ctx.t(f"board.check.{f}") for f in m.split(",") if f)),
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="board_check_table")
    widgets.export_buttons(ctx, shown, "lead-quick-check", key="board_check_export")
    faulty = sample[~sample["complete"]]
    for r in faulty.itertuples():
        missing = ctx.t("list.sep").join(ctx.t(f"board.check.{f}") for f in r.missing.split(","))
        st.markdown(ctx.t("board.faulty", company=r.company, owner=r.owner if isinstance(r.owner, str)
                          else ctx.t("pool.kind.pool"), missing=missing))

# ---- routing and reassignment history -------------------------------------------------------------------------
log = read(routing.recent_assignments, ctx.scope, now,
           reasons=(routing.ROUTED, routing.POOLED, routing.REASSIGNED, routing.MANUAL), team_id=team_id)
widgets.assignment_log(ctx, log, "board.history", "lead-assignments", key="board_history")
