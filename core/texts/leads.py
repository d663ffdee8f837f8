"""Texts of the lead desk for reps (SPEC §3): the inbox 我的线索, the entry form and its duplicate
check, the contact log and the follow-up message templates."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and settings ----
add("nav.leads", "My leads", "我的线索")
add("setting.duplicate_name_similarity", "Duplicate check: company-name similarity (0–1)", "查重：公司名称相似度阈值（0–1）")
add("setting.grade_a_reminder_hours", "Grade A: reminder message after (hours)", "A 级：发送进度提醒的时间点（小时）")

# ---- vocabulary ----
# the assignment reason core.leads.desk writes for a lead entered by hand (shown in the routing area's logs)
add("routing.reason.entered", "Entered by hand", "手工录入")
for _k, _en, _zh in [
    ("expo", "Trade fair", "展会"), ("website", "Website", "官网"), ("referral", "Referral", "转介绍"),
    ("telemarketing", "Telemarketing", "电话营销"), ("online_ads", "Online ads", "线上广告"),
    ("existing_customer", "Existing customer", "老客户"),
]:
    add(f"leads.channel.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("new", "New", "待联系"), ("contacted", "Contacted", "已联系"), ("qualified", "Needs confirmed", "需求已确认"),
    ("converted", "Converted", "已转商机"), ("lost", "Closed as invalid", "已关闭"),
]:
    add(f"leads.status.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("first_response", "First contact", "首次联系"), ("grade_A", "A: call and proposal", "A级：电话+方案"),
    ("grade_B", "B: demo booked", "B级：约演示"), ("grade_C", "C: second touch", "C级：二次触达"),
    ("next_action", "Next action", "下一步行动"), ("none", "No deadline", "无截止时间"),
]:
    add(f"leads.window.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("call", "Call", "电话"), ("visit", "Visit", "拜访"), ("message", "Message (WeChat/SMS)", "微信/短信"),
    ("proposal", "Proposal sent", "已发方案"), ("demo", "Demo booked or held", "已约/已做演示"),
]:
    add(f"leads.kind.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("follow_up", "Keep following up", "继续跟进"), ("qualified", "Needs confirmed", "需求已确认"),
    ("lost", "Invalid lead — close it", "无效线索，关闭"),
]:
    add(f"leads.outcome.{_k}", _en, _zh)
for _k, _en, _zh in [("small", "Small", "小型"), ("medium", "Medium", "中型"), ("large", "Large", "大型")]:
    add(f"leads.size.{_k}", _en, _zh)
for _k, _en, _zh in [("hot", "Hot", "热"), ("warm", "Warm", "温"), ("cold", "Cold", "冷")]:
    add(f"leads.heat.{_k}", _en, _zh)
add("leads.grade.A", "A — call and proposal within {hours} h", "A 级：{hours} 小时内电话沟通并发出方案")
add("leads.grade.B", "B — demo booked within {hours} h", "B 级：{hours} 小时内约好产品演示")
add("leads.grade.C", "C — second touch within {hours} h", "C 级：{hours} 小时内完成第二次触达")
add("leads.grade.help", "Every lead needs its first contact within {hours} h of entry. A, B and C only — no vague labels.",
    "所有线索须在录入后 {hours} 小时内首次联系。等级只有 A、B、C 三档，不用“有意向”“再看看”之类的模糊标签。")

# ---- time left ----
add("leads.span.minutes", "{n} min", "{n} 分钟")
add("leads.span.hours", "{n} h", "{n} 小时")
add("leads.span.days", "{d} d", "{d} 天")
add("leads.span.days_hours", "{d} d {h} h", "{d} 天 {h} 小时")
add("leads.left.ok", "{span} left", "剩 {span}")
add("leads.left.late", "{span} overdue", "逾期 {span}")
add("leads.left.none", "—", "—（无截止）")
add("leads.at", "{month}/{day} {time}", "{month}月{day}日 {time}")

# ---- the page ----
add("leads.title", "My leads", "我的线索")
add("leads.caption.rep", "Your open leads, most urgent first. Click a row: its message is ready to copy, and you log the contact right below it.",
    "您名下的待跟进线索，最紧急的排在最前。点击一行：下方即可复制跟进话术并登记联系结果。")
add("leads.caption.other", "Enter a lead for a rep of yours or let the routing rules assign it. Below: the leads you own yourself.",
    "为您团队的销售录入线索，或交由分配规则自动分配。下方是您本人名下的线索。")
add("leads.metric.open", "Open leads", "待跟进线索")
add("leads.metric.overdue", "Overdue", "已逾期")
add("leads.metric.due_soon", "Due within 24 h", "24 小时内到期")
add("leads.inbox", "Inbox", "线索收件箱")
add("leads.none", "No open leads of yours. New ones appear here as soon as they are assigned to you.",
    "您名下暂无待跟进线索。新线索分配给您后会立即出现在这里。")
add("leads.pick_hint", "Click a row to work on another lead.", "点击表格中的一行即可切换线索。")
add("leads.selected", "{company} · grade {grade} · {left}", "{company} · {grade} 级 · {left}")
add("leads.deadline_for", "{window} due {when}", "{window}截止：{when}")
add("leads.message", "Message to copy", "跟进话术（可复制）")
add("leads.message_help", "Filled in for this lead's situation: {situation}. Use the copy button at its top right.",
    "已按当前情况（{situation}）填好，点右上角按钮即可复制。")
add("leads.log", "Log the contact", "登记联系结果")
add("leads.log.kind", "What did you do?", "联系方式")
add("leads.log.note", "Short note (optional)", "简要记录（选填）")
add("leads.log.next_action", "Next action", "下一步行动")
add("leads.log.next_date", "Next action date", "下一步日期")
add("leads.log.next_time", "Time", "时间")
add("leads.log.outcome", "Result", "结果")
add("leads.log.submit", "Save contact", "保存联系记录")
add("leads.log.saved", "Saved: {kind} with {company}. Next: {next_action}.", "已保存：{company}（{kind}）。下一步：{next_action}。")
add("leads.log.saved_closed", "Saved: {company} is closed.", "已保存：{company} 已关闭。")

for _k, _en, _zh in [
    ("first_contact", "first contact", "首次联系"), ("first_contact_late", "first contact, overdue", "首次联系已超时"),
    ("a_proposal", "A lead: proposal to send", "A 级：待发方案"), ("a_reminder", "A lead: progress reminder", "A 级：进度提醒"),
    ("b_demo", "B lead: book a demo", "B 级：预约演示"), ("c_second_touch", "C lead: second touch", "C 级：二次触达"),
    ("overdue_apology", "overdue: apologise and catch up", "已逾期：致歉并补救"),
    ("follow_up", "follow the next action", "按计划跟进"),
]:
    add(f"leads.situation.{_k}", _en, _zh)

# ---- the entry form ----
add("leads.new", "Enter a new lead", "录入新线索")
add("leads.f.company", "Company", "公司名称")
add("leads.f.phone", "Contact phone", "联系电话")
add("leads.f.phone_hint", "Mobile or landline with area code", "手机号或带区号的座机")
add("leads.f.source_channel", "Source channel", "线索来源")
add("leads.f.grade", "Grade", "线索等级")
add("leads.f.next_action", "Next action", "下一步行动")
add("leads.f.next_action_hint", "e.g. call to confirm the needs", "例如：电话确认需求")
add("leads.f.next_date", "Next action date", "下一步日期")
add("leads.f.next_time", "Time", "时间")
add("leads.f.more", "More (optional): contact, industry, size, region", "更多信息（选填）：联系人、行业、规模、区域")
add("leads.f.contact_name", "Contact person", "联系人")
add("leads.f.industry", "Industry", "行业")
add("leads.f.size", "Company size", "企业规模")
add("leads.f.region_id", "Region", "所属大区")
add("leads.f.owner", "Owner", "负责销售")
add("leads.f.auto", "Route automatically (routing rules)", "按分配规则自动分配")
add("leads.f.submit", "Check and save", "查重并保存")
add("leads.saved", "Lead saved: {company} ({owner}).", "线索已保存：{company}（负责人：{owner}）。")
add("leads.saved_pool", "Lead saved: {company}. No rule matched, so it waits in the lead pool.",
    "线索已保存：{company}。没有匹配的分配规则，已进入公海待认领。")

# ---- the duplicate check ----
add("leads.dup.title", "Possible duplicate — nothing saved yet", "疑似重复，尚未保存")
add("leads.dup.intro", "“{company}” looks like records that already exist:", "“{company}”与以下已有记录相似：")
add("leads.dup.customer", "Customer", "客户")
add("leads.dup.lead", "Open lead", "跟进中的线索")
add("leads.dup.phone", "same phone", "电话相同")
add("leads.dup.name", "name {pct}% similar", "名称相似度 {pct}%")
add("leads.dup.owned_by", "followed by {owner}", "已由 {owner} 跟进")
add("leads.dup.yours", "followed by you", "由您本人跟进")
add("leads.dup.pool", "in the lead pool", "在公海中")
add("leads.dup.nobody", "no owner", "暂无负责人")
add("leads.dup.open", "Open", "打开查看")
add("leads.dup.question", "Is this the same company? Open the existing record, or create the new lead anyway (this is written to the audit log).",
    "是同一家公司吗？可以先打开已有记录核对，或确认仍然新建（将记入操作日志）。")
add("leads.dup.create", "Create anyway", "仍然新建")
add("leads.dup.cancel", "Cancel", "取消")
add("leads.dup.cancelled", "Nothing was saved.", "未保存任何内容。")

# ---- details of an existing record ----
add("leads.detail.customer", "Customer: {name}", "客户：{name}")
add("leads.detail.lead", "Lead: {name}", "线索：{name}")
add("leads.detail.leads", "Leads of this customer ({n})", "该客户的线索（{n}）")
add("leads.detail.no_leads", "No leads of this customer that you may see.", "没有您可查看的该客户线索。")
add("leads.detail.missing", "This record does not exist or is not yours to see.", "该记录不存在，或您无权查看。")
add("leads.detail.back", "Back", "返回")
for _k, _en, _zh in [
    ("company", "Company", "公司名称"), ("contact_name", "Contact", "联系人"), ("phone", "Phone", "电话"),
    ("grade", "Grade", "等级"), ("status", "Status", "状态"), ("source_channel", "Source", "来源"),
    ("next_action", "Next action", "下一步行动"), ("next_action_at", "Next action at", "下一步时间"),
    ("time_left", "Time left", "剩余时间"), ("window", "Deadline for", "考核项"), ("owner", "Owner", "负责人"),
    ("created_at", "Entered", "录入时间"), ("first_contact_at", "First contact", "首次联系"),
    ("customer", "Customer", "客户"), ("industry", "Industry", "行业"), ("customer_type", "Customer type", "客户类型"),
    ("size", "Size", "规模"), ("heat", "Heat", "热度"), ("region", "Region", "大区"), ("team", "Team", "团队"),
    ("updated_at", "Updated", "更新时间"),
]:
    add(f"leads.col.{_k}", _en, _zh)

# ---- errors ----
add("leads.err.text", "Enter text.", "请输入文字。")
add("leads.err.too_long", "At most {n} characters.", "最多 {n} 个字符。")
add("leads.err.company", "Enter the company's name, not only a suffix or a place.", "请输入公司名称，不能只有“有限公司”或地名。")
add("leads.err.phone", "Not a valid Chinese mobile or landline number: 11 digits for a mobile, area code and number for a landline (e.g. 0571-8888 6666).",
    "不是有效的国内手机号或座机号：手机号为 11 位，座机需带区号（如 0571-8888 6666）。")
add("leads.err.channel", "Choose a source channel from the list.", "请从列表中选择线索来源。")
add("leads.err.grade", "Choose A, B or C.", "请选择 A、B 或 C。")
add("leads.err.datetime", "Enter a date and a time.", "请输入日期和时间。")
add("leads.err.next_past", "The next action cannot be in the past.", "下一步时间不能早于现在。")
add("leads.err.next_far", "Plan the next action within {n} days.", "下一步时间须在 {n} 天之内。")
add("leads.err.size", "Choose a size from the list.", "请从列表中选择企业规模。")
add("leads.err.region", "Choose a region from the list.", "请从列表中选择大区。")
add("leads.err.no_team", "Your account belongs to no team, so a lead cannot be assigned to you. Ask your administrator.",
    "您的账号未归属任何团队，无法分配线索，请联系系统管理员。")
add("leads.err.owner_required", "Choose the rep who follows up, or automatic routing.", "请选择负责销售，或选择按规则自动分配。")
add("leads.err.owner", "Choose one of the active reps of your teams.", "请选择您团队中的在岗销售。")
add("leads.err.not_yours", "This lead is not among your open leads.", "这条线索不在您的待跟进线索中。")
add("leads.err.closed", "This lead is already closed.", "这条线索已关闭。")
add("leads.err.conflict", "Someone changed this lead after you opened it. Nothing of yours was saved: look at it again, then log your contact.",
    "在您打开之后，这条线索已被他人修改。您的记录没有保存，请刷新查看后重新登记。")
add("leads.err.kind", "Choose how you contacted them.", "请选择联系方式。")
add("leads.err.first_kind", "The first contact is a call, a visit, a message or a demo: log that first.",
    "首次联系须为电话、拜访、微信/短信或演示，请先登记首次联系。")
add("leads.err.outcome", "Choose a result from the list.", "请从列表中选择结果。")

# ---- follow-up message templates ----
add("leads.tpl.greeting_named", "Hello {name}", "{name}您好")
add("leads.tpl.greeting", "Hello", "您好")
add("leads.tpl.our_channels", "our channels", "我们的渠道")
add("leads.tpl.no_next_action", "the next step we agreed on", "我们约定的下一步")
add("leads.tpl.soon", "shortly", "近期")
add("leads.tpl.first_contact",
    "{greeting}, this is {rep}. {company} left us an enquiry via {channel}. Could I take a few minutes to understand your needs "
    "and your purchasing plans? I can call you whenever suits you.",
    "{greeting}，我是销售顾问{rep}。看到贵司（{company}）通过{channel}给我们留了咨询，想花几分钟了解一下您目前的需求和采购安排，"
    "您看什么时间方便，我给您回个电话？")
add("leads.tpl.first_contact_late",
    "{greeting}, this is {rep}. I am sorry to come back to you this late! {company} left us an enquiry via {channel} and I would like "
    "to understand your needs as soon as possible. When could we talk today?",
    "{greeting}，我是销售顾问{rep}。非常抱歉这么晚才联系您！看到贵司（{company}）通过{channel}留下的咨询，想尽快了解您的需求，"
    "今天您什么时间方便通个电话？")
add("leads.tpl.a_proposal",
    "{greeting}, this is {rep}. Thank you for the call. Based on what you told me, I am preparing a first proposal for {company}; "
    "you will have it by {deadline}. Could we then take 15 minutes to go through it together?",
    "{greeting}，我是{rep}。感谢您刚才的时间！根据您提到的需求，我正在为{company}准备一份初步方案，{deadline}前发给您，"
    "到时约您 15 分钟一起过一遍，您看可以吗？")
add("leads.tpl.a_reminder",
    "{greeting}, this is {rep}, with a quick update: the proposal for {company} is being finalised and will reach you by {deadline}. "
    "If there is anything to add (budget range, go-live date), just let me know.",
    "{greeting}，我是{rep}，跟您同步一下进度：{company}的方案正在做最后的完善，{deadline}前一定发到您手上。"
    "如果还有需要补充的信息（比如预算范围、计划上线时间），也请随时告诉我。")
add("leads.tpl.b_demo",
    "{greeting}, this is {rep}. I would like to invite you to a 30-minute product demo based on {company}'s own situation. "
    "Which time in the next few days suits you? I will arrange it around your schedule.",
    "{greeting}，我是{rep}。想邀请您安排一次 30 分钟左右的产品演示，结合{company}的实际场景给您看看具体效果。"
    "您看这两天哪个时间方便？我这边按您的时间来安排。")
add("leads.tpl.c_second_touch",
    "{greeting}, this is {rep}; we spoke briefly before. Here is a case study of a company like {company}, for your reference. "
    "Whenever questions or plans come up, feel free to contact me.",
    "{greeting}，我是{rep}，之前和您简单沟通过。给您分享一个与{company}情况相近的客户案例，供您参考。"
    "后续有任何问题或计划，欢迎随时联系我。")
add("leads.tpl.overdue_apology",
    "{greeting}, this is {rep}. I am sorry that what I promised you has been delayed. Today {company} comes first for me: "
    "{next_action}. When can I call you today?",
    "{greeting}，我是{rep}。非常抱歉，之前答应您的事情耽误了，让您久等了。今天我会优先处理{company}的事项：{next_action}。"
    "您看今天什么时间方便，我给您回个电话？")
add("leads.tpl.follow_up",
    "{greeting}, this is {rep}. As agreed, a quick confirmation of the next step for {company}: {next_action} ({when}). "
    "Does that time still suit you?",
    "{greeting}，我是{rep}。按照之前的约定，跟您确认一下{company}这边的下一步安排：{next_action}（{when}）。您看时间是否合适？")
