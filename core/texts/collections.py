"""Texts of collections (回款, SPEC §7): the lights and their explanation, the drill-down page, the
ageing, the collection to-do and its refusals, the kinds of to-do in the inbox."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and page ----
add("nav.collections", "Collections", "回款")
add("coll.title", "Collections", "回款")
add("coll.title_rep", "My collections", "我的回款")
add("coll.subtitle", "Collection rate = received ÷ due, of the instalments due up to today. Click a bar to go one "
    "level down: region → team → rep → contracts.",
    "回款率 = 已回款 ÷ 应回款（截至今天已到期的分期）。点击柱形逐级下钻：大区 → 团队 → 销售 → 合同。")
add("coll.subtitle_rep", "Your contracts' collection rate (received ÷ due, of the instalments due up to today) and "
    "what is still outstanding.", "您的合同回款率（已回款 ÷ 截至今天已到期的应回款）以及尚未回款的金额。")
add("coll.bad_path", "That link names a region, team or rep outside your view; showing where you start instead.",
    "该链接中的大区、团队或销售不在您的查看范围内，已回到起始页。")
add("coll.crumb.all", "All", "全部")
add("coll.crumb.my_teams", "My teams", "我的团队")

# ---- the lights ----
add("coll.window", "Window", "统计范围")
add("coll.window.to_date", "Collection rate to date", "累计回款率")
add("coll.window.month", "This month", "本月回款率")
add("coll.window.quarter", "This quarter", "本季度回款率")
add("coll.since_start", "the first instalment", "首笔分期")
add("coll.rate_help", "Received ÷ due, of the instalments due from {start} to {end} (an overpaid instalment counts "
    "as paid, no more). Cancelled contracts do not count.",
    "已回款 ÷ 应回款，统计到期日在 {start} 至 {end} 之间的分期（超额回款按已付清计，不额外加分）。已取消的合同不计入。")
add("coll.light_counts", "{received} received of {due} due · {outstanding} outstanding",
    "应回款 {due}，已回款 {received} · 未回款 {outstanding}")
add("coll.nothing_due", "Nothing due in this window yet.", "该范围内尚无到期分期。")
add("coll.names_and", "{first} and {last}", "{first}和{last}")
add("coll.explain.where", "In {place}, ", "{place}的")
add("coll.explain.one", "{where}{names} holds {share}% of the {amount} not yet collected.",
    "{where}{names}占未回款 {amount} 中的 {share}%。")
add("coll.explain.many", "{where}{names} hold {share}% of the {amount} not yet collected.",
    "{where}{names}合计占未回款 {amount} 中的 {share}%。")
add("coll.no_team", "No team", "无团队")
add("coll.no_owner", "No owner", "无负责人")

# ---- the drill-down ----
add("coll.by.region", "Collection rate by region", "各大区回款率")
add("coll.by.team", "Collection rate by team", "各团队回款率")
add("coll.by.rep", "Collection rate by rep", "各销售回款率")
add("coll.click_hint.region", "Click a region for its teams.", "点击大区查看其团队。")
add("coll.click_hint.team", "Click a team for its reps.", "点击团队查看其销售。")
add("coll.click_hint.rep", "Click a rep for their contracts.", "点击销售查看其合同。")
add("coll.bar_caption", "{rate} · {outstanding} outstanding", "{rate} · 未回款 {outstanding}")
add("coll.nothing_due_level", "No instalment is due in this window here.", "此处该范围内没有到期的分期。")
add("coll.contracts_title", "Contracts of {name}", "{name}的合同")
add("coll.contracts_title_rep", "My contracts", "我的合同")
add("coll.no_contracts", "No contract has an instalment due yet.", "暂无已到期分期的合同。")
for _k, _en, _zh in [
    ("region", "Region", "大区"), ("team", "Team", "团队"), ("rep", "Rep", "销售"),
    ("due", "Due to date (¥)", "应回款（¥）"), ("received", "Received (¥)", "已回款（¥）"),
    ("outstanding", "Outstanding (¥)", "未回款（¥）"), ("rate", "Collection rate", "回款率"),
    ("customer", "Customer", "客户"), ("number", "Contract no.", "合同编号"), ("amount", "Contract amount (¥)", "合同金额（¥）"),
    ("days_overdue", "Days overdue", "逾期天数"), ("owner", "Owner", "负责人"), ("bucket", "Days overdue", "逾期天数"),
    ("total", "Total (¥)", "合计（¥）"),
]:
    add(f"coll.col.{_k}", _en, _zh)

# ---- ageing ----
add("coll.ageing_title", "Ageing of what is overdue", "逾期账龄")
add("coll.ageing_help", "Outstanding amounts by days overdue (today − due date), per team; an instalment due today "
    "and unpaid is 0 days overdue.", "按逾期天数（今天 − 到期日）分段统计各团队的未回款；今天到期未付的分期逾期 0 天。")
add("coll.ageing_none", "Nothing is overdue.", "没有逾期未回款。")
add("coll.bucket.0_30", "0–30 days", "0–30 天")
add("coll.bucket.31_60", "31–60 days", "31–60 天")
add("coll.bucket.61_90", "61–90 days", "61–90 天")
add("coll.bucket.91_plus", "> 90 days", "90 天以上")

# ---- the collection to-do ----
add("coll.todo.heading", "Ask the owner to collect", "通知负责人催收")
add("coll.todo.pick", "Contract", "合同")
add("coll.todo.pick_none", "Choose a contract with money outstanding", "请选择有未回款的合同")
add("coll.todo.option", "{number} · {customer} · {outstanding} outstanding · {days} days overdue",
    "{number} · {customer} · 未回款 {outstanding} · 逾期 {days} 天")
add("coll.todo.create", "Create collection to-do", "生成催收待办")
add("coll.todo.nothing", "Nothing is outstanding on these contracts.", "这些合同没有未回款。")
add("coll.todo.done", "To-do sent to {owner}: {title}", "已向{owner}发送待办：{title}")
add("coll.todo.title", "Collect payment: {customer}, contract {number}, {amount} outstanding",
    "催收回款：{customer}，合同 {number}，未回款 {amount}")
add("coll.err.no_contract", "No such contract in your view.", "您的查看范围内没有这份合同。")
add("coll.err.cancelled", "Contract {number} is cancelled: there is nothing to collect.", "合同 {number} 已取消，无需催收。")
add("coll.err.nothing_outstanding", "Contract {number} has nothing outstanding today: nothing to collect.",
    "合同 {number} 目前没有到期未回款，无需催收。")
add("coll.err.asked_today", "{who} already asked for contract {number} to be collected today (at {at}): one "
    "to-do a day is enough.", "{who}今天（{at}）已为合同 {number} 生成过催收待办，每天一次即可。")
add("coll.err.asked_today_company", "A collection to-do for contract {number} was already created today (at {at}): "
    "one a day is enough.", "今天（{at}）已为合同 {number} 生成过催收待办，每天一次即可。")

# ---- the kinds of to-do, as the inbox shows them ----
for _k, _en, _zh in [
    ("manual", "To-do", "待办"), ("coaching", "Coaching", "辅导"), ("lead_escalation", "Lead escalation", "线索升级"),
    ("lead_reassigned", "Lead reassigned", "线索改派"), ("collection", "Collection", "催收回款"),
    ("lead_sla", "Lead response", "线索响应"), ("lead_followup", "Lead follow-up", "线索跟进"),
    ("step_overdue", "Overdue step", "步骤超时"), ("stalled_deal", "Stalled deal", "停滞商机"),
    ("onboarding", "First week", "新人任务"),
]:
    add(f"todo.kind.{_k}", _en, _zh)
add("scorecard.todo_kind.collection", "Collection", "催收回款")
add("col.kind", "Kind", "类型")
