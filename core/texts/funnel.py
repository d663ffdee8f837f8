"""Texts of the funnel (SPEC §4): page, table columns, filters, errors, CLI."""
from core.i18n import add

# ---- stages and outcomes ----
for _k, _en, _zh in [
    ("initial_contact", "Initial contact", "初步接触"),
    ("needs_confirmed", "Needs confirmed", "需求确认"),
    ("proposal", "Proposal submitted", "方案提交"),
    ("negotiation", "Negotiation", "商务谈判"),
    ("contract_signed", "Contract signed", "合同签订"),
    ("won", "Won", "赢单"),
    ("lost", "Lost", "输单"),
]:
    add(f"funnel.stage.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("moved_on", "Moved on", "已推进"),
    ("lost", "Lost", "已输单"),
    ("stalled", "Stalled", "停滞"),
    ("undecided", "Within normal time", "正常周期内"),
]:
    add(f"funnel.outcome.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("open", "Open", "进行中"), ("won", "Won", "赢单"), ("lost", "Lost", "输单"),
]:
    add(f"funnel.status.{_k}", _en, _zh)

# ---- page ----
add("nav.funnel", "Funnel", "销售漏斗")
add("funnel.title", "Sales funnel", "销售漏斗")
add("funnel.title_rep", "My funnel", "我的销售漏斗")
add("funnel.subtitle", "Where deals get stuck. Click a stage in the chart to see the deals behind it.",
    "商机卡在哪里？点击图中的阶段，查看背后的商机。")
add("funnel.period_caption", "{start} – {end}, compared with {pstart} – {pend}.",
    "{start} 至 {end}，对比上一周期 {pstart} 至 {pend}。")
add("funnel.metric.entered", "Deals entered the funnel", "新进入漏斗的商机")
add("funnel.metric.win_rate", "Win rate", "赢单率")
add("funnel.metric.win_rate_help", "Won ÷ (won + lost), of the deals closed in the period.",
    "本期关闭的商机中：赢单 ÷（赢单 + 输单）。")
add("funnel.metric.days_to_win", "Days to win (median)", "赢单周期（中位数，天）")
add("funnel.metric.days_to_win_help", "From a deal's first stage entry to its win; mean {mean} days.",
    "从首次进入阶段到赢单的天数；平均 {mean} 天。")
add("funnel.metric.stalled", "Stalled deals now", "当前停滞商机")
add("funnel.metric.stalled_help", "Open deals in their stage for longer than its upper bound.",
    "在当前阶段停留超过标准上限的进行中商机。")
add("funnel.metric.won_value", "Won value", "赢单金额")
add("funnel.chart.stage", "Stage", "阶段")
add("funnel.chart.entered", "Deals entered", "进入商机数")
add("funnel.chart.value", "Value", "金额")
add("funnel.chart.conversion", "Conversion to next (%)", "向下一阶段转化率（%）")
add("funnel.stage_table", "Stages: conversion and time in stage", "各阶段：转化率与停留时间")
add("funnel.stage_table_help",
    "Conversion = moved on ÷ (moved on + lost + stalled in the stage). Deals still inside the normal "
    "time count nowhere yet. Days: completed stays that ended in the period; open stays apart.",
    "转化率 = 已推进 ÷（已推进 + 已输单 + 超期停留）。仍在正常周期内的商机暂不计入。"
    "停留天数按本期结束的阶段停留计算；当前未结束的停留单独列出。")
add("funnel.win_by", "Win rate by", "赢单率分组")
add("funnel.win_table", "Win rate by {by}", "按{by}的赢单率")
add("funnel.stalled_title", "Stalled deals ({n})", "停滞商机（{n}）")
add("funnel.no_stalled", "No stalled deals. Good.", "没有停滞商机。")
add("funnel.deals_title", "Deals that entered “{stage}” in the period ({n})", "本期进入“{stage}”的商机（{n}）")
add("funnel.pick_stage", "Click a stage in the chart to see its deals.", "点击图中的阶段查看其商机。")
add("funnel.open_deal", "Open a deal", "查看商机")
add("funnel.open_deal_none", "— choose a deal —", "— 请选择商机 —")
add("funnel.timeline_title", "Timeline: {name}", "时间线：{name}")
add("funnel.deal_caption", "{customer} · {owner} ({team}) · {stage}, {days} days in stage · {amount}",
    "{customer} · {owner}（{team}）· {stage}，本阶段已 {days} 天 · {amount}")
add("funnel.deal_caption_closed", "{customer} · {owner} ({team}) · {status} · {amount}",
    "客户 {customer} · 负责人 {owner}（{team}）· {status} · 金额 {amount}")
add("funnel.deal_stalled", "Stalled: {days} days in “{stage}”, the standard is at most {max} days.",
    "停滞：已在“{stage}”停留 {days} 天，标准最多 {max} 天。")
add("funnel.no_events", "No stage moves or activities recorded.", "没有阶段变更或活动记录。")
add("funnel.bad_stage", "That link names no funnel stage; choose one in the chart.", "链接中的阶段不存在，请在图中选择。")
add("funnel.bad_deal", "No such deal in your view (it may belong to someone else, or the link is wrong).",
    "您的可见范围内没有这个商机（可能属于他人，或链接有误）。")
add("funnel.close_deal", "Close the timeline", "收起时间线")
add("funnel.vs_previous", "vs previous period", "较上一周期")
add("funnel.range", "{lo}–{hi} days", "{lo}–{hi} 天")
add("funnel.slow", "slower than standard", "慢于标准")
add("funnel.kind.stage", "Stage move", "阶段变更")

# ---- filters ----
add("funnel.filter.rep", "Rep", "销售")
add("funnel.filter.product", "Product", "产品")
add("funnel.filter.customer_type", "Customer type", "客户类型")
add("funnel.filter.source", "Lead source", "线索来源")

# ---- groupings ----
for _k, _en, _zh in [
    ("region", "region", "大区"), ("team", "team", "团队"), ("rep", "rep", "销售"),
    ("product", "product", "产品"), ("source", "lead source", "线索来源"), ("customer_type", "customer type", "客户类型"),
]:
    add(f"funnel.by.{_k}", _en, _zh)

# ---- columns ----
for _k, _en, _zh in [
    ("stage", "Stage", "阶段"), ("entered", "Entered", "进入数"), ("value", "Value", "金额"),
    ("moved_on", "Moved on", "已推进"), ("lost", "Lost", "输单"), ("stalled", "Stalled", "停滞"),
    ("undecided", "Not decided yet", "尚未判定"), ("conversion", "Conversion (%)", "转化率（%）"),
    ("conversion_prev", "Previous period (%)", "上一周期（%）"),
    ("stays", "Completed stays", "已完成停留"), ("median_days", "Median days", "中位天数"),
    ("p90_days", "P90 days", "P90 天数"), ("standard", "Standard (days)", "标准（天）"),
    ("open_now", "Open now", "当前在此阶段"), ("open_stalled", "… stalled", "……其中停滞"),
    ("open_median_days", "Open: median days so far", "未结束：已停留中位天数"),
    ("id", "No.", "编号"), ("name", "Deal", "商机"), ("customer", "Customer", "客户"), ("owner", "Owner", "负责人"),
    ("team", "Team", "团队"), ("amount", "Amount", "金额"), ("status", "Status", "状态"),
    ("days_in_stage", "Days in stage", "本阶段天数"), ("outcome", "Outcome here", "本阶段结果"),
    ("max_days", "Standard max (days)", "标准上限（天）"), ("days_over", "Days over", "超出天数"),
    ("group", "Group", "分组"), ("won", "Won", "赢单"), ("win_rate", "Win rate (%)", "赢单率（%）"),
    ("won_value", "Won value", "赢单金额"), ("at", "When", "时间"), ("kind", "What", "事件"),
    ("days", "Days", "天数"), ("by", "By", "操作人"), ("detail", "Evidence / note", "依据/备注"),
]:
    add(f"funnel.col.{_k}", _en, _zh)

# ---- errors a person can fix ----
add("funnel.err.period", "Choose a start and an end day.", "请选择开始和结束日期。")
add("funnel.err.period_order", "The period ends before it starts.", "结束日期早于开始日期。")
add("funnel.err.period_long", "Choose at most {days} days.", "时间范围最多 {days} 天。")
add("funnel.err.stage", "“{stage}” is not a funnel stage.", "“{stage}”不是漏斗阶段。")
add("funnel.err.grouping", "Cannot group by “{by}”.", "不能按“{by}”分组。")

# ---- settings added for the funnel ----
for _k, _en, _zh in [
    ("initial_contact", "Initial contact", "初步接触"), ("needs_confirmed", "Needs confirmed", "需求确认"),
    ("proposal", "Proposal submitted", "方案提交"), ("negotiation", "Negotiation", "商务谈判"),
    ("contract_signed", "Contract signed", "合同签订"),
]:
    add(f"setting.stage_min_days_{_k}", f"{_en}: standard stay at least (days)", f"{_zh}：标准最短停留（天）")
add("setting.funnel_window_days", "Funnel default window (days)", "漏斗默认时间窗（天）")

# ---- timeline event kinds (a stage move, or an activity's kind) ----
for _k, _en, _zh in [
    ("call", "Call", "电话"), ("visit", "Visit", "拜访"), ("demo", "Demo", "演示"), ("proposal", "Proposal", "方案"),
    ("promotion", "Promotion", "推广活动"), ("objection", "Objection", "异议"),
    ("solution_update", "Solution update", "方案进展"), ("needs_summary", "Needs summary", "需求纪要"),
    ("renewal", "Renewal", "续约"), ("complaint", "Complaint", "投诉"), ("message", "Message", "消息"),
]:
    add(f"funnel.kind.{_k}", _en, _zh)
