"""Texts of the morning meeting (SPEC §9): the brief, "moved since yesterday" on the
cockpit, and the alert store in the inbox (kinds, severities, statuses, acknowledge / resolve)."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- the brief's sentences ----
add("brief.headline", "Morning brief for {day}: {red} of {lights} lights are red.",
    "{day}晨会简报：{lights}个指标灯中有{red}个红灯。")
add("brief.red", "{label} is red at {rate} (red below {bound}).", "{label}为红灯，仅{rate}（低于{bound}即为红灯）。")
add("brief.all_clear", "No light is red.", "没有红灯。")
add("brief.deal.advanced", "{name} ({customer}, {amount}) moved up from {src} to {dst}.",
    "{name}（{customer}，{amount}）由{src}推进到{dst}。")
add("brief.deal.won", "{name} ({customer}, {amount}) was won.", "{name}（{customer}，{amount}）已赢单。")
add("brief.deal.slipped", "{name} ({customer}, {amount}) slipped back from {src} to {dst}.",
    "{name}（{customer}，{amount}）由{src}退回到{dst}。")
add("brief.deal.lost", "{name} ({customer}, {amount}) was lost at {src}.", "{name}（{customer}，{amount}）在{src}阶段输单。")
add("brief.deal.more", "{n} more deals moved since yesterday.", "自昨天以来另有{n}个商机有变动。")
add("brief.due.one", "1 instalment of {amount} is due today: contract {number} ({customer}).",
    "今天有1笔{amount}的回款到期：合同{number}（{customer}）。")
add("brief.due.many", "{n} instalments worth {amount} are due today; the largest: contract {number} ({customer}, {top}).",
    "今天有{n}笔共{amount}的回款到期；最大一笔：合同{number}（{customer}，{top}）。")
add("brief.help.team", "{name} needs help today: {light} at {rate}.", "{name}今天需要支持：{light}仅{rate}。")
add("brief.help.rep", "{name} needs help today: {light} at {rate}.", "{name}今天需要支持：{light}仅{rate}。")

# ---- the cockpit ----
add("brief.title", "Morning brief", "晨会简报")
add("brief.copy", "The brief as Markdown, for the group chat", "简报（Markdown），可发到群聊")
add("brief.open", "open", "查看")
add("moved.title", "Moved since yesterday", "自昨天以来的变化")
add("moved.since", "Since {since}", "自{since}起")
add("moved.advanced", "Deals advanced", "推进的商机")
add("moved.slipped", "Deals slipped", "退回的商机")
add("moved.lost", "Deals lost", "输单的商机")
add("moved.new_leads", "New leads", "新线索")
add("moved.new_red", "New red lights", "新增红灯")
add("moved.none", "No deal moved.", "没有商机变动。")
add("moved.no_new_red", "No light turned red.", "没有新变红的指标灯。")
for _k, _en, _zh in [("name", "Deal", "商机"), ("customer", "Customer", "客户"), ("team", "Team", "团队"),
                     ("owner", "Rep", "销售"), ("amount", "Amount", "金额"), ("from_stage", "From", "原阶段"),
                     ("to_stage", "To", "现阶段"), ("at", "When", "时间")]:
    add(f"moved.col.{_k}", _en, _zh)

# ---- the alert store in the inbox ----
for _k, _en, _zh in [("info", "Info", "提示"), ("warning", "Warning", "警告"), ("critical", "Critical", "严重")]:
    add(f"alert.severity.{_k}", _en, _zh)
for _k, _en, _zh in [("open", "Open", "待处理"), ("acknowledged", "Acknowledged", "已确认"),
                     ("resolved", "Resolved", "已解决")]:
    add(f"alert.status.{_k}", _en, _zh)
for _k, _en, _zh in [("lead_escalation", "Lead not contacted in time", "线索超时未联系"),
                     ("lead_unrouted", "Lead not routed", "线索未分配"), ("lead_pooled", "Lead to the pool", "线索进入公海"),
                     ("lead_reassigned", "Lead reassigned", "线索改派"), ("stalled_deal", "Stalled deal", "商机停滞"),
                     ("conversion_drop", "Conversion drop", "转化率下降"), ("team_low_rate", "Low step rate", "关键动作完成率低"),
                     ("quality_finding", "Data-quality finding", "数据质量问题"),
                     ("target_intervention", "Target intervention", "目标干预")]:
    add(f"alert.kind.{_k}", _en, _zh)
add("inbox.filter_kind", "Kinds", "类型")
add("inbox.filter_status", "Status", "状态")
add("inbox.pick", "Alerts to acknowledge or resolve", "要确认或解决的提醒")
add("inbox.acknowledge", "Acknowledge ({n})", "确认（{n}）")
add("inbox.resolve", "Resolve ({n})", "解决（{n}）")
add("inbox.acknowledged", "{n} alert(s) acknowledged.", "已确认{n}条提醒。")
add("inbox.resolved", "{n} alert(s) resolved.", "已解决{n}条提醒。")
add("inbox.no_match", "No alert matches the filter.", "没有符合筛选条件的提醒。")
add("inbox.err.none_chosen", "Pick at least one alert.", "请至少选择一条提醒。")
add("inbox.err.not_yours", "Only your own alerts can be changed; reload the page.", "只能处理自己的提醒，请刷新页面。")
add("nav.unread", "{n} unread alert(s)", "{n}条未读提醒")
for _k, _en, _zh in [("severity", "Severity", "严重程度"), ("status", "Status", "状态"),
                     ("acknowledged_at", "Acknowledged", "确认时间"), ("resolved_at", "Resolved", "解决时间")]:
    add(f"col.alert_{_k}", _en, _zh)
