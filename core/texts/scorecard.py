"""Texts of SPEC §8 People: the rep scorecard, targets, satisfaction surveys and the new-rep path."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and settings ----
add("nav.scorecard", "Scorecard", "成绩单")
add("nav.targets", "Targets", "目标")
add("setting.scorecard_weight_results", "Scorecard weight: results", "成绩单权重：业绩结果")
add("setting.scorecard_weight_process", "Scorecard weight: process", "成绩单权重：过程执行")
add("setting.scorecard_weight_quality", "Scorecard weight: quality", "成绩单权重：服务质量")
add("setting.scorecard_team_min_reps", "Reps with a score before a rep sees the team average and rank",
    "销售可见团队均值与排名所需的最少有得分人数")
add("setting.scorecard_trend_weeks", "Weeks in the scorecard trend", "成绩单趋势显示周数")
add("setting.points_step_on_time", "Points per key step done on time", "每按时完成一个关键步骤的积分")
add("setting.points_effective_visit", "Points per effective visit", "每次有效拜访的积分")
add("setting.points_won_deal", "Points per deal won", "每赢单一个商机的积分")
add("setting.points_payment_collected", "Points per payment collected", "每收回一笔回款的积分")
add("setting.onboarding_days", "A rep counts as new for (days)", "新人期（天）")

# ---- the formula's parts and components ----
add("scorecard.part.results", "Results", "业绩结果")
add("scorecard.part.process", "Process", "过程执行")
add("scorecard.part.quality", "Quality", "服务质量")
add("scorecard.comp.signed_attainment", "Signed amount vs target", "签约额达成率")
add("scorecard.comp.collection_attainment", "Collections vs target", "回款达成率")
add("scorecard.comp.step_on_time", "Key steps on time", "关键步骤按时率")
add("scorecard.comp.visit_attainment", "Effective visits vs target", "有效拜访达成率")
add("scorecard.comp.complaint_free", "Customers without a complaint", "无投诉客户占比")
add("scorecard.comp.satisfaction", "Customer satisfaction", "客户满意度")
add("scorecard.detail.signed_attainment", "Signed {actual} of a {target} target", "已签约 {actual}，目标 {target}")
add("scorecard.detail.collection_attainment", "Collected {actual} of a {target} target", "已回款 {actual}，目标 {target}")
add("scorecard.detail.visit_attainment", "{actual} effective visits of a target of {target}",
    "有效拜访 {actual} 次，目标 {target} 次")
add("scorecard.detail.step_on_time", "{on_time} of {decided} due steps done on time",
    "已到期的 {decided} 个关键步骤中按时完成 {on_time} 个")
add("scorecard.detail.complaint_free", "{complaints} of {active} active customers complained",
    "{active} 个活跃客户中有 {complaints} 个投诉")
add("scorecard.detail.satisfaction", "Mean score {mean} of 5 from {n} surveys", "{n} 份回访问卷平均 {mean} 分（满分 5 分）")
add("scorecard.missing.no_target", "Not enough data: no target set for this month.", "数据不足：本月未设定目标。")
add("scorecard.missing.no_steps", "Not enough data: no key step due yet.", "数据不足：暂无已到期的关键步骤。")
add("scorecard.missing.no_customers", "Not enough data: no customer activity this month.", "数据不足：本月暂无客户活动。")
add("scorecard.missing.no_surveys", "Not enough data: no satisfaction survey this month.", "数据不足：本月暂无满意度回访。")

# ---- the scorecard page ----
add("scorecard.title", "Team scorecards", "团队成绩单")
add("scorecard.title_rep", "My scorecard", "我的成绩单")
add("scorecard.caption", "Each rep's month in one figure: results, process and quality beside the team average.",
    "用一个分数看清每位销售的当月表现：业绩结果、过程执行与服务质量，并与团队均值对比。")
add("scorecard.caption_rep", "Your month in one figure: results, process and quality, your trend, to-dos and points.",
    "用一个分数看清您的当月表现：业绩结果、过程执行与服务质量，以及趋势、待办和积分。")
add("scorecard.month", "Month", "月份")
add("scorecard.month_label", "{year}-{month:02d}", "{year}年{month}月")
add("scorecard.refused", "That link names a scorecard you cannot open. Nothing of it is shown.",
    "您无权查看该链接中的成绩单，相关内容不予显示。")
add("scorecard.refused_back", "Back to the scorecards I may see", "返回我有权查看的成绩单")
add("scorecard.tab.rep", "Scorecard", "个人成绩单")
add("scorecard.tab.team", "Team overview", "团队总览")
add("scorecard.tab.new", "New reps", "新人成长")
add("scorecard.tab.survey", "Satisfaction survey", "满意度回访")
add("scorecard.score", "Score", "综合得分")
add("scorecard.formula",
    "Score = {r} × results + {p} × process + {q} × quality (0–100); a part without data is left out and the "
    "others are re-weighted.",
    "综合得分 = {r} × 业绩结果 + {p} × 过程执行 + {q} × 服务质量（0–100）；数据不足的部分不计入，其余部分按比例重新加权。")
add("scorecard.team_average", "Team average", "团队均值")
add("scorecard.rank", "Rank in team", "团队排名")
add("scorecard.rank_of", "Rank in team (of {n})", "团队排名（共 {n} 人参与）")
add("scorecard.points", "Points this month", "本月积分")
add("scorecard.no_data", "Not enough data", "数据不足")
add("scorecard.team_hidden", "The team average and your rank show once {n} reps of the team have a score in all "
    "three parts.", "团队中至少 {n} 人三个部分均有得分后，才显示团队均值和您的排名。")
add("scorecard.not_ranked", "Not ranked: the rank and the team average take only scores with data in all three "
    "parts.", "暂不参与排名：团队排名和团队均值只统计三个部分均有数据的得分。")
add("scorecard.not_enough", "Not enough data for a score in {month} yet: no part has data.",
    "{month}暂无足够数据计算综合得分：三个部分均无数据。")
add("scorecard.reweighted", "Not enough data for {parts}: the score is re-weighted over the other parts ({used}).",
    "{parts}数据不足，综合得分按其余部分重新加权（{used}）。")
add("scorecard.month_to_date", "Month to date, up to {day}, against the whole month's targets.",
    "本月截至 {day} 的累计数据，与整月目标对比。")
add("scorecard.part_weight", "{part} ({w}%)", "{part}（权重 {w}%）")
add("scorecard.delta_help", "Difference to the team average, in points.", "与团队均值的差距（分）。")
add("scorecard.team_avg_part", "Team average: {value}", "团队均值：{value}")
add("scorecard.dropped", "Left out of this part's mean: {comps}.", "未计入本部分平均：{comps}。")
add("scorecard.me", "Me", "我")
add("scorecard.parts_title", "Parts against the team average", "各部分与团队均值对比")
add("scorecard.value_axis", "Score (0–100)", "得分（0–100）")
add("scorecard.score_axis", "Score (0–100)", "综合得分（0–100）")
add("scorecard.week_axis", "Week", "周")
add("scorecard.no_data_month", "No data this month yet.", "本月暂无数据。")
add("scorecard.trend_title", "Weekly trend (last {n} weeks)", "每周趋势（近 {n} 周）")
add("scorecard.no_trend", "No weekly score yet: the trend shows once there is data.", "暂无周得分，有数据后显示趋势。")
add("scorecard.details", "Figures behind the score, and downloads", "得分明细与下载")
add("scorecard.records_title", "Contracts signed and payments received this month", "本月签约合同与回款记录")
add("scorecard.no_records", "No contract signed and no payment received this month.", "本月暂无签约合同和回款。")
add("scorecard.kind.contract", "Contract signed", "签约")
add("scorecard.kind.payment", "Payment received", "回款")
add("scorecard.todos_title", "Open to-dos ({n})", "未完成待办（{n}）")
add("scorecard.no_todos", "No open to-dos.", "暂无未完成待办。")
add("scorecard.to_inbox", "Work on them in To-dos & alerts", "前往“待办与提醒”处理")
add("scorecard.points_title", "How my points are made: {total}", "我的积分怎么来：{total} 分")
add("scorecard.points_title_lead", "How the points are made: {total}", "积分构成：{total} 分")
add("scorecard.points_help", "Points are granted for what is recorded this month; the points per action are set by "
    "the administrator.", "积分按本月已登记的动作自动计算，每项动作的分值由系统管理员设定。")
add("scorecard.rule.step_on_time", "Key step done on time", "按时完成关键步骤")
add("scorecard.rule.effective_visit", "Effective visit", "有效拜访")
add("scorecard.rule.won_deal", "Deal won", "赢单")
add("scorecard.rule.payment_collected", "Payment collected", "收回回款")
add("scorecard.team_help", "Rank within each team, of the scores with data in all three parts; a re-weighted "
    "score is shown but not ranked.", "排名为团队内排名，只比较三个部分均有数据的得分；重新加权的得分照常显示，但不参与排名。")
for _k, _en, _zh in [
    ("coaching", "Coaching", "辅导要点"), ("manual", "To-do", "待办"), ("lead_sla", "Lead response", "线索响应"),
    ("lead_followup", "Lead follow-up", "线索跟进"), ("step_overdue", "Overdue step", "步骤超时"),
    ("stalled_deal", "Stalled deal", "停滞商机"), ("onboarding", "First week", "新人任务"),
]:
    add(f"scorecard.todo_kind.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("part", "Part", "部分"), ("component", "Measure", "指标"), ("value", "Score (0–100)", "得分（0–100）"),
    ("detail", "Based on", "依据"), ("week", "Week from", "周起始日"), ("score", "Score", "综合得分"),
    ("results", "Results", "业绩结果"), ("process", "Process", "过程执行"), ("quality", "Quality", "服务质量"),
    ("team_average", "Team average", "团队均值"), ("kind", "Record", "类型"), ("number", "Contract no.", "合同编号"),
    ("customer", "Customer", "客户"), ("amount", "Amount (¥)", "金额（元）"), ("at", "Date", "日期"),
    ("title", "To-do", "待办事项"), ("due_at", "Due", "截止时间"), ("overdue", "Overdue", "已逾期"),
    ("rule", "Action", "动作"), ("count", "Times", "次数"), ("each", "Points each", "单项积分"),
    ("points", "Points", "积分"), ("rep", "Rep", "销售"), ("team", "Team", "团队"), ("rank", "Rank", "团队排名"),
    ("joined", "Joined", "入职日期"),
]:
    add(f"scorecard.col.{_k}", _en, _zh)
add("scorecard.err.month", "Choose a month as YYYY-MM.", "请按 YYYY-MM 格式选择月份。")

# ---- targets ----
add("targets.title", "Monthly targets", "月度目标设定")
add("targets.caption", "Targets of {month}. A kind left empty has no target: that measure then counts as not "
    "enough data. Changes are written to the audit log.",
    "{month}目标。留空表示不设该项目标，对应指标按“数据不足”处理。所有修改记入操作日志。")
for _k, _en, _zh in [
    ("signed_amount", "Signed amount (¥)", "签约额目标（元）"), ("collections", "Collections (¥)", "回款目标（元）"),
    ("effective_visits", "Effective visits", "有效拜访目标（次）"), ("rep", "Rep", "销售"), ("team", "Team", "团队"),
    ("set_at", "Set", "设定时间"), ("source", "From", "目标来源"),
]:
    add(f"targets.col.{_k}", _en, _zh)
add("targets.save_all", "Save the table", "保存表格")
add("targets.one_title", "Set one rep's targets", "单独设定某位销售的目标")
add("targets.save_one", "Save targets", "保存目标")
add("targets.team_title", "Team targets", "团队目标")
add("targets.source.team", "Team's own target", "团队单独设定")
add("targets.source.reps", "Sum of the reps' targets", "成员目标合计")
add("targets.source.none", "Not set", "未设定")
add("targets.saved", "Saved: {n} changed.", "已保存：{n} 项变更。")
add("targets.err.number", "{who}: enter a number.", "{who}：请输入数字。")
add("targets.err.negative", "{who}: a target cannot be negative.", "{who}：目标不能为负数。")
add("targets.err.too_big", "{who}: that target is too large.", "{who}：目标数值过大。")
add("targets.err.whole", "{who}: effective visits are a whole number.", "{who}：有效拜访次数须为整数。")
add("targets.err.rep", "{who}: choose an active rep of your own teams.", "{who}：请选择您所辖团队的在岗销售。")
add("targets.err.team", "{who}: choose one of your own teams.", "{who}：请选择您所辖的团队。")
add("targets.err.twice", "{who} appears twice.", "{who} 出现了两次。")
add("targets.err.conflict",
    "{who}: someone saved this target after you opened the page. Nothing was saved: reload, then try again.",
    "{who}：在您打开页面后已有人保存了该目标。本次未保存任何内容，请刷新后重试。")

# ---- satisfaction surveys ----
add("survey.caption", "A return-visit survey of one of {name}'s customers: the 1–5 score counts in {name}'s "
    "quality part.", "录入{name}的客户回访满意度（1–5 分），计入{name}的服务质量得分。")
add("survey.no_customers", "{name} has no customers yet.", "{name}暂无客户。")
add("survey.last", "last survey: {score}", "上次回访：{score} 分")
add("survey.customer", "Customer", "客户")
add("survey.score", "Satisfaction (1 = very unhappy, 5 = very satisfied)", "满意度（1 = 很不满意，5 = 非常满意）")
add("survey.date", "Survey date", "回访日期")
add("survey.note", "Note (optional)", "备注（选填）")
add("survey.submit", "Save survey", "保存回访结果")
add("survey.saved", "Saved the survey of {customer}.", "已保存{customer}的回访结果。")
add("targets.err.customer", "Choose a customer of your own teams.", "请选择您所辖团队的客户。")
add("targets.err.survey_future", "A survey cannot be in the future.", "回访日期不能晚于今天。")
add("targets.err.survey_old", "Enter surveys of the last {n} days.", "只能录入 {n} 天内的回访。")

# ---- the new-rep path ----
add("onboarding.my_title", "My first week", "我的第一周")
add("onboarding.progress", "{done} of {total} tasks done", "已完成 {done} / {total} 项任务")
add("onboarding.status.open", "due day {day} ({due})", "第 {day} 天完成（{due}）")
add("onboarding.status.overdue", "overdue since day {day} ({due})", "已逾期，应于第 {day} 天完成（{due}）")
add("onboarding.status.done", "done, waiting for your lead's check (day {day}, {due})",
    "已完成，待经理确认（第 {day} 天，{due}）")
add("onboarding.status.checked", "done and confirmed (day {day}, {due})", "已完成并经确认（第 {day} 天，{due}）")
add("onboarding.done_at", "Done {at}", "完成于 {at}")
add("onboarding.checked_by", "Confirmed by {who}", "确认人：{who}")
add("onboarding.note", "What you did (a short note, or where the evidence is)", "完成情况（简要说明或材料位置）")
add("onboarding.note_hint", "e.g. Pitch note written and shared in the team chat", "例如：讲解笔记已写好并发到团队群")
add("onboarding.complete", "Mark as done", "标记为已完成")
add("onboarding.completed", "Well done: the task is marked done and your lead can see it.", "任务已完成，经理可以看到您的进度。")
add("onboarding.confirmed", "Confirmed.", "已确认。")
add("onboarding.lead_caption", "Reps who joined in the last {days} days and their first-week tasks.",
    "近 {days} 天入职的新人及其第一周任务完成情况。")
add("onboarding.no_new_reps", "No rep joined in the last {days} days.", "近 {days} 天没有新入职的销售。")
add("onboarding.pick", "New rep", "新人")
add("onboarding.confirm", "Confirm", "确认完成")
for _k, _en, _zh in [
    ("rep", "Rep", "销售"), ("team", "Team", "团队"), ("joined", "Joined", "入职日期"), ("day", "Day", "入职第几天"),
    ("done", "Done", "已完成"), ("checked", "Confirmed", "已确认"), ("overdue", "Overdue", "已逾期"),
    ("total", "Tasks", "任务总数"),
]:
    add(f"onboarding.col.{_k}", _en, _zh)
add("onboarding.err.task", "No such first-week task.", "没有这项新人任务。")
add("onboarding.err.note", "Write at least {n} characters about what you did.", "请至少用 {n} 个字说明完成情况。")
add("onboarding.err.already", "This task is already done.", "这项任务已经完成。")
add("onboarding.err.progress", "No such completed task of your reps.", "没有找到您团队成员的这项已完成任务。")
