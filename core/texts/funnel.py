"""Texts of the funnel (SPEC §4): page, table columns, filters, errors, CLI."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

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

# ---- stage moves with evidence (core.funnel.deals) ----
for _k, _en, _zh in [
    ("needs_document", "the needs document", "需求确认书"),
    ("proposal", "the proposal", "方案书"),
    ("quote", "the quote", "报价单"),
    ("signed_contract", "the signed contract", "已签合同"),
    ("contract_or_payment", "the signed contract or a payment proof", "已签合同或回款凭证"),
]:
    add(f"deals.evidence.{_k}", _en, _zh)
add("deals.move_title", "Move this deal", "变更商机阶段")
add("deals.move_to", "Move to", "变更到")
add("deals.choose_stage", "— choose a stage —", "— 请选择阶段 —")
add("deals.option.forward", "Forward to “{stage}”", "推进到“{stage}”")
add("deals.option.back", "Back to “{stage}”", "退回到“{stage}”")
add("deals.option.won", "Mark as won", "标记为赢单")
add("deals.option.lost", "Mark as lost", "标记为输单")
add("deals.evidence_label", "Evidence: {evidence} — document no. or file name", "依据：{evidence}（单据编号或文件名）")
add("deals.evidence_help", "Moving forward records what proves the new stage, with who and when.",
    "推进阶段时须登记新阶段的依据，系统同时记录操作人和时间。")
add("deals.note_label", "Note (optional)", "备注（选填）")
add("deals.reason_label", "Reason (required)", "原因（必填）")
add("deals.reason_help", "Moving a deal back or to lost needs a reason; for lost it becomes the lost reason.",
    "退回阶段或输单须填写原因；输单时作为输单原因保存。")
add("deals.evidence_optional", "Evidence or reference (optional)", "依据或单据（选填）")
add("deals.move_button", "Move the deal", "确认变更")
add("deals.moved", "Moved “{name}” to “{stage}”.", "已将“{name}”变更为“{stage}”。")
add("deals.closed_note", "This deal is closed ({status}); its stage can no longer be changed.",
    "该商机已关闭（{status}），不能再变更阶段。")
add("deals.cannot_move", "Only the owner, the team lead, a director or an admin can move this deal.",
    "只有负责人、所在团队的片区经理、销售总监或系统管理员可以变更该商机阶段。")

add("deals.err.no_deal", "No such deal in your view.", "您的可见范围内没有这个商机。")
add("deals.err.not_allowed", "Only the owner, the team lead, a director or an admin can move this deal.",
    "只有负责人、所在团队的片区经理、销售总监或系统管理员可以变更该商机阶段。")
add("deals.err.closed", "This deal is already closed; its stage can no longer be changed.",
    "该商机已关闭，不能再变更阶段。")
add("deals.err.stage", "Choose a stage, won or lost.", "请选择一个阶段、赢单或输单。")
add("deals.err.same_stage", "The deal is already in this stage.", "商机已处于该阶段。")
add("deals.err.time", "The deal's current stage began after this moment; check the clock.",
    "商机当前阶段的开始时间晚于此刻，请检查系统时间。")
add("deals.err.evidence", "Moving forward needs the new stage's evidence: enter its document no. or file name.",
    "推进阶段须提供新阶段的依据：请填写单据编号或文件名。")
add("deals.err.evidence_short", "Enter at least {n} characters of the evidence.", "依据至少填写 {n} 个字。")
add("deals.err.reason", "Moving back or to lost needs a reason.", "退回阶段或输单须填写原因。")
add("deals.err.too_long", "At most {n} characters.", "最多 {n} 个字。")
add("deals.err.conflict", "{who} changed this deal at {at}. Nothing was saved: look at its current stage and try again.",
    "{who} 已于 {at} 变更了该商机。本次未保存：请查看商机当前阶段后重试。")
add("deals.err.conflict_unknown", "Someone changed this deal a moment ago. Nothing was saved: look at its current "
    "stage and try again.", "该商机刚被他人变更。本次未保存：请查看商机当前阶段后重试。")
add("deals.alert.stalled", "Stalled deal: “{name}” ({owner}, {customer}) has been in “{stage}” for {days} days; "
    "the standard is at most {max} days.",
    "停滞商机：“{name}”（{owner}，{customer}）已在“{stage}”停留 {days} 天，标准最多 {max} 天。")

# ---- conversion drop diagnosis (core.funnel.diagnosis) ----
add("diag.pair", "“{stage} → {next}” conversion", "“{stage}→{next}”转化率")
add("diag.headline", "{pair} fell to {now} in the week {start} – {end}, from {base} over the 4 weeks before "
    "({points} points down; {decided} deals decided that week).",
    "{pair}在 {start} 至 {end} 这一周降至 {now}，前4周水平为 {base}，下降 {points} 个百分点（该周已判定 {decided} 个商机）。")
add("diag.segment", "{name} ({share}%)", "“{name}”（解释 {share}%）")
add("diag.your_team", "Your team {team} explains {share}% of it.", "您的团队“{team}”解释了其中 {share}%。")
add("diag.by_segments", "By {by}, most of it comes from {segments}.", "按{by}看，主要来自{segments}。")
for _k, _en, _zh in [
    ("product", "product", "产品"), ("customer_type", "customer type", "客户类型"), ("team", "team", "团队"),
    ("rep", "rep", "销售"), ("source", "lead source", "线索来源"),
]:
    add(f"diag.by.{_k}", _en, _zh)
add("diag.title_stage", "Conversion drop: {stage} → {next}", "转化率下降：{stage}→{next}")
add("diag.by_tab", "By {by}", "按{by}")
add("diag.caption", "Last complete week against the 4 weeks before, deals decided as of now. Each segment's share "
    "of the drop: its own rate change plus its change in volume (shift-share); the shares of one breakdown add up "
    "to 100 %, a negative share offsets part of the drop.",
    "上一个完整周对比此前4周，按当前已判定的商机计算。各细分对下降的解释比例 = 自身转化率变化 + 占比变化（结构分解）；"
    "同一维度的比例合计为 100%，负值表示抵消了部分下降。")
add("diag.none", "No stage's weekly conversion fell more than {points} points below its 4-week level.",
    "各阶段的周转化率均未低于前4周水平 {points} 个百分点以上。")
add("diag.details", "Breakdown by customer type, product, team, rep and lead source (download)",
    "按客户类型、产品、团队、销售、线索来源分解明细（可下载）")
add("diag.trend", "Weekly conversion", "周转化率")
add("diag.explains_most", "What explains most of it", "主要原因")
add("diag.week", "Week from", "周（起始日）")
add("diag.rate", "Conversion (%)", "转化率（%）")
add("diag.level", "4-week level", "前4周水平")
for _k, _en, _zh in [
    ("segment", "Segment", "细分"), ("decided_base", "Decided, 4 weeks", "前4周已判定"),
    ("rate_base", "Conversion, 4 weeks (%)", "前4周转化率（%）"), ("decided_now", "Decided, week", "本周已判定"),
    ("rate_now", "Conversion, week (%)", "本周转化率（%）"), ("rate_effect", "Rate effect (points)", "转化率影响（百分点）"),
    ("mix_effect", "Mix effect (points)", "结构影响（百分点）"), ("contribution", "Contribution (points)", "贡献（百分点）"),
    ("explains", "Explains (% of the drop)", "解释比例（%）"),
]:
    add(f"diag.col.{_k}", _en, _zh)
add("funnel.err.setting_min_above_max", "The shortest standard stay ({min} days) must not be longer than the stage's "
    "upper bound ({max} days).", "标准最短停留（{min} 天）不能超过该阶段的停滞上限（{max} 天）。")
add("setting.conversion_drop_min_decided", "Conversion drop: decided deals needed per week",
    "转化率下降预警：每周至少已判定商机数")

# ---- the cockpit's stalled-deal list, downloads ----
add("funnel.cockpit_stalled", "Stalled deals: {n}", "停滞商机：{n} 个")
add("funnel.cockpit_stalled_help", "Open deals in their stage for longer than its upper bound; the longest over first.",
    "在当前阶段停留超过标准上限的进行中商机，超期最久的在前。")
add("funnel.cockpit_open_funnel", "Open the funnel", "打开销售漏斗")
add("funnel.cockpit_more", "… and {n} more on the funnel page.", "……另有 {n} 个，请到销售漏斗页面查看。")
