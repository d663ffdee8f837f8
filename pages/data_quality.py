"""Data quality (数据质量, SPEC §7): a light per scan rule, the findings with their record, owner and
status, "ignore with a reason", "scan now", and for a duplicate customer the merge onto the survivor.
?rule=RULE narrows the findings to one rule."""
import pandas as pd
import streamlit as st

from core.base.vocabulary import FINDING_STATUSES, QUALITY_RULES
from core.cash import merge, quality
from ui import context, page, widgets
from ui.read import minute, read
from ui.write import field_error, flash, form_error, submit

ctx = page.open(__file__)
now = minute()
ALL = "all"

st.title(ctx.t("quality.title"))
st.caption(ctx.t("quality.caption"))
flash()


def scan_done(result) -> str:
    return ctx.t("quality.scanned", new=sum(r.new + r.reopened for r in result.rules),
                 fixed=sum(r.fixed for r in result.rules), open=sum(r.open for r in result.rules))


if ctx.may("quality.scan"):
    st.button(ctx.t("quality.scan_now"), key="scan_now", icon=":material/refresh:",
              on_click=lambda: submit(ctx, "quality_scan", quality.run_scan, context.now(), done=scan_done))
    form_error("quality_scan")

# ---- one light per rule ----------------------------------------------------------------------------
lights = read(quality.quality_lights, ctx.scope, now, ctx.lang)
for start in range(0, len(lights), 3):
    for col, light in zip(st.columns(3), lights[start:start + 3]):
        with col.container(border=True, key=f"quality_light_{light.rule}"):
            widgets.light_badge(ctx, light.color)
            st.metric(light.label, "—" if light.rate is None else f"{light.rate:.1f}%",
                      help=ctx.t(f"quality.help.{light.rule}"))
            st.caption(ctx.t("quality.light_counts", flagged=light.flagged, checked=light.checked))
            if light.sentence:
                st.write(light.sentence)
            if light.flagged and st.button(ctx.t("quality.show_rule", n=light.flagged), key=f"show_{light.rule}",
                                           width="stretch"):
                st.session_state["quality_rule"] = light.rule
                st.session_state["quality_status"] = "open"

# ---- the findings ----------------------------------------------------------------------------------
asked = st.query_params.get("rule")
if asked in QUALITY_RULES and "quality_rule" not in st.session_state:
    st.session_state["quality_rule"] = asked
st.subheader(ctx.t("quality.findings"))
c1, c2, _ = st.columns([2, 1, 1])
rule = c1.selectbox(ctx.t("quality.rule"), [ALL, *QUALITY_RULES], key="quality_rule",
                    format_func=lambda r: ctx.t("common.all") if r == ALL else quality.rule_name(ctx.lang, r))
status = c2.selectbox(ctx.t("quality.status"), [*FINDING_STATUSES, ALL], key="quality_status",
                      format_func=lambda s: ctx.t("common.all") if s == ALL else ctx.t(f"quality.status.{s}"))
if rule == ALL:
    st.query_params.pop("rule", None)
else:
    st.query_params["rule"] = rule
found = read(quality.findings, ctx.scope, None if rule == ALL else rule, None if status == ALL else status, 500,
             ctx.lang)
COLUMNS = ("id", "rule_name", "record", "owner", "team", "detail", "status", "reason", "first_found_at",
           "last_found_at", "closed_at")
if found.empty:
    st.info(ctx.t("quality.no_findings"))
    st.stop()
shown = found[list(COLUMNS)].assign(status=found["status"].map(lambda s: ctx.t(f"quality.status.{s}")))
shown = shown.rename(columns=lambda c: ctx.t(f"quality.col.{c}"))
st.dataframe(shown, hide_index=True, width="stretch", key="findings_table")
if len(found) == 500:
    st.caption(ctx.t("quality.first_500"))
widgets.export_buttons(ctx, shown, "data-quality-findings", key="findings_export")

# ---- one finding: ignore it, or merge a duplicate ----------------------------------------------------
actionable = found[found["status"] == "open"]
if actionable.empty or not (ctx.may("finding.ignore") or ctx.may("customer.merge")):
    st.stop()
st.subheader(ctx.t("quality.act_title"))
labels = {int(r.id): f"#{r.id} · {r.rule_name} · {r.record}" for r in actionable.itertuples()}
chosen = st.selectbox(ctx.t("quality.pick"), list(labels), key="quality_pick", format_func=labels.get)
row = actionable[actionable["id"] == chosen].iloc[0]
st.write(row["detail"])

if ctx.may("finding.ignore"):
    with st.form("ignore_form", clear_on_submit=True):
        reason = st.text_input(ctx.t("quality.reason"), key="ignore_reason_text", max_chars=quality.REASON_MAX,
                               placeholder=ctx.t("quality.reason_hint"))
        field_error("ignore", "reason")
        ignored = st.form_submit_button(ctx.t("quality.ignore"), icon=":material/visibility_off:")
    if ignored:  # done or refused, the next run shows it (a refusal at its field in the form)
        submit(ctx, "ignore", quality.ignore_finding, int(chosen), reason, context.now(),
               done=lambda _: ctx.t("quality.ignored", id=int(chosen)))
        st.rerun()
    field_error("ignore", "finding")
    field_error("ignore", None)

if row["rule"] == "duplicate_customer" and ctx.may("customer.merge") and not pd.isna(row["other_id"]):
    st.subheader(ctx.t("quality.merge_title"))
    pair = {int(row["other_id"]): "older", int(row["record_id"]): "younger"}
    survivor = st.radio(ctx.t("quality.merge_survivor"), list(pair), key=f"merge_survivor_{chosen}",
                        format_func=lambda cid: ctx.t(f"quality.merge_{pair[cid]}", id=cid), horizontal=True)
    other = next(cid for cid in pair if cid != survivor)
    preview = read(merge.merge_preview, ctx.scope, survivor, other)
    if preview.refusal:
        st.warning(preview.refusal_message(ctx.lang))
        st.stop()
    sides = preview.sides.copy()
    sides.loc["size"] = [ctx.t(f"leads.size.{v}") if v else "" for v in sides.loc["size"]]
    sides = sides.rename(index=lambda f: ctx.t(f"quality.merge_field.{f}"),
                                 columns=lambda c: ctx.t(f"quality.merge_side.{c}", survivor=survivor, other=other))
    sides.index.name = ctx.t("quality.merge_side.field")
    st.dataframe(sides, width="stretch", key="merge_sides")
    if preview.taken:
        st.caption(ctx.t("quality.merge_taken", fields=ctx.t("list.sep").join(
            ctx.t(f"quality.merge_field.{f.removesuffix('_id')}") for f in preview.taken)))
    moves = [(merge.table_words(ctx.lang, m.table), m.rows,
              merge.table_words(ctx.lang, m.via) if m.via else "") for m in preview.moves if m.rows]
    st.caption(ctx.t("quality.merge_moves", n=preview.rows, other=other, survivor=survivor))
    if moves:
        st.dataframe(pd.DataFrame(moves, columns=[ctx.t("quality.merge_col.table"), ctx.t("quality.merge_col.rows"),
                                                  ctx.t("quality.merge_col.via")]),
                     hide_index=True, width="stretch", key="merge_moves")
    confirm = st.checkbox(ctx.t("quality.merge_confirm", other=other, survivor=survivor), key=f"merge_ok_{chosen}")
    if st.button(ctx.t("quality.merge_button"), key="merge_button", type="primary", disabled=not confirm,
                 icon=":material/merge:"):
        if submit(ctx, "merge", merge.merge_customers, survivor, other, context.now(),
                  done=lambda r: ctx.t("quality.merged", other=r["other_id"], survivor=r["survivor_id"],
                                       n=sum(r["moved"].values()))):
            st.rerun()
    form_error("merge")
