"""Texts of the PSI, logging lag, bottleneck heatmap, customer issues and cross-department requests
(SPEC §5, §6): pages, table columns, the low-rate alert, errors and settings."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation, departments ----
add("nav.requests", "Issues & requests", "协同与问题")
add("nav.psi", "Process certainty (PSI)", "过程确定性指数")
add("nav.lag_bottlenecks", "Logging lag & bottlenecks", "录入延迟与瓶颈")
for _k, _en, _zh in [("marketing", "Marketing", "市场部"), ("support", "Support", "技术支持部"),
                     ("delivery", "Delivery", "交付部")]:
    add(f"requests.dept.{_k}", _en, _zh)
add("col.department", "Department", "部门")
add("err.department_needed", "Department staff need a department.", "协同部门人员必须选择所属部门。")
add("err.department_only_service", "Only department staff have a department.", "只有协同部门人员需要选择部门。")
add("err.service_no_team", "Department staff belong to no sales team.", "协同部门人员不属于销售团队。")

# ---- settings ----
for _k, _en, _zh in [
    ("psi_closure_target_days", "PSI: issue closure target (median days)", "PSI：问题闭环目标（中位天数）"),
    ("psi_collaboration_target_hours", "PSI: request answer target (mean hours)", "PSI：协同响应目标（平均小时）"),
    ("psi_tier_full", "PSI: full process bonus from", "PSI：全额发放过程奖金的分数线"),
    ("psi_tier_partial", "PSI: partial process bonus from", "PSI：部分发放过程奖金的分数线"),
    ("psi_tier_partial_payout", "PSI: partial bonus paid (%)", "PSI：部分发放比例（%）"),
    ("psi_trend_months", "PSI: months in the trend", "PSI：趋势显示月数"),
    ("low_rate_stale_days", "Low-rate alert: customers not updated for (days)", "低按时率预警：客户未更新天数"),
    ("low_rate_top_issues", "Low-rate alert: open issues to name", "低按时率预警：列出的未解决问题数"),
]:
    add(f"setting.{_k}", _en, _zh)

# ---- the low-rate alert (written in the lead's language) ----
add("lowrate.alert", "{team}: “{light}” on time below {threshold}% for {days} days in a row ({rates}).",
    "{team}：“{light}”按时率已连续{days}天低于{threshold}%（{rates}）。")
add("lowrate.day_rate", "{day}: {rate}%", "{day}为{rate}%")
add("lowrate.issues", " Most common open issues of customers not updated in {stale} days: {issues}.",
    "{stale}天未更新的客户中，最常见的未解决问题：{issues}。")
add("lowrate.no_issues", " No open issues among customers not updated in {stale} days.",
    "{stale}天未更新的客户中暂无未解决问题。")
add("lowrate.issue", "{title} ({n})", "{title}（{n}条）")

# ---- PSI page ----
add("psi.title", "Process certainty index (PSI)", "过程确定性指数（PSI）")
add("psi.caption", "Monthly, 0–100: on-time key steps, issues closed fast, requests answered fast. It sets the process bonus.",
    "按月计算，0–100 分：关键步骤按时完成、客户问题及时闭环、跨部门请求及时响应。它决定当月过程奖金的发放比例。")
add("psi.month", "Month", "月份")
add("psi.team", "Team", "团队")
add("psi.all_teams", "All my teams", "全部团队")
add("psi.headline", "PSI {month}", "{month} 过程确定性指数")
add("psi.no_value", "Not enough data", "数据不足")
add("psi.payout", "Process bonus paid", "过程奖金发放比例")
add("psi.tier.full", "Full bonus (≥ {full})", "全额发放（≥ {full}）")
add("psi.tier.partial", "Partial bonus ({partial}–{full})", "部分发放（{partial}–{full}）")
add("psi.tier.none", "No bonus (< {partial})", "不发放（< {partial}）")
add("psi.tier_help", "PSI ≥ {full} pays 100% of the process incentive, {partial} ≤ PSI < {full} pays {pay}%, below {partial} pays nothing that month.",
    "PSI ≥ {full} 发放 100% 过程激励；{partial} ≤ PSI < {full} 发放 {pay}%；低于 {partial} 当月不发放。")
add("psi.part.on_time", "On-time key steps", "关键步骤按时率")
add("psi.part.closure", "Issue closure", "问题闭环")
add("psi.part.collaboration", "Collaboration", "跨部门协同")
add("psi.weight", "weight {weight}%", "权重 {weight}%")
add("psi.weight_reweighted", "weight {weight}% → {share}%", "权重 {weight}% → {share}%")
add("psi.measure.on_time", "{on_time} of {count} step instances on time", "{count} 个步骤中 {on_time} 个按时完成")
add("psi.measure.closure", "median {measure} days to close (target ≤ {target}) · {count} issues, {open} still open past target",
    "闭环用时中位数 {measure} 天（目标 ≤ {target} 天）· 共 {count} 个问题，其中 {open} 个超期未关闭")
add("psi.measure.collaboration", "mean {measure} h to answer (target ≤ {target} h) · {count} requests, {open} still waiting past target",
    "平均响应 {measure} 小时（目标 ≤ {target} 小时）· 共 {count} 个请求，其中 {open} 个超时未答复")
add("psi.part_no_data", "Not enough data this month", "本月数据不足")
add("psi.reweighted", "Not enough data for {parts}: the PSI is re-weighted over the other parts.",
    "{parts}数据不足：PSI 按其余部分重新分配权重计算。")
add("psi.formula", "PSI = {w_on_time} · on time + {w_closure} · closure + {w_collaboration} · collaboration",
    "PSI = {w_on_time} × 按时率 + {w_closure} × 问题闭环 + {w_collaboration} × 跨部门协同")
add("psi.rules_title", "How the PSI is counted", "计分规则")
add("psi.rules_help", "Which records count: step instances triggered in the month whose deadline has passed or that are done; issues closed (requests answered) in the month, plus those still open at the month's end beyond the target, with their age so far.",
    "计入规则：当月触发且已到期或已完成的步骤；当月关闭的问题和当月答复的请求，以及截至月底仍未处理且已超过目标时长的问题和请求（按已等待时长计）。")
add("psi.trend", "Trend, last {n} months", "近 {n} 个月趋势")
add("psi.by_team", "Teams this month", "本月各团队")
add("psi.drag_title", "What pulled it down", "主要失分项")
add("psi.drag.none", "Nothing: every part is at 100.", "没有失分：各部分均为满分。")
add("psi.drag.part", "{part} cost {points} points.", "{part}拉低了 {points} 分。")
add("psi.drag.step", "Most late or missing: “{step}” in {team} — {misses} instances, {share}% of all misses.",
    "超时或缺失最多的是{team}的“{step}”：{misses} 个，占全部超时的 {share}%。")
add("psi.drag.step_one_team", "Most late or missing: “{step}” — {misses} instances, {share}% of all misses.",
    "超时或缺失最多的是“{step}”：{misses} 个，占全部超时的 {share}%。")
add("psi.drag.team", "Weakest team on it: {team}.", "该项最弱的团队：{team}。")
add("psi.no_data", "No step instances, issues or requests in this month yet.", "本月尚无步骤、问题或请求记录。")
add("psi.axis.month", "Month", "月份")
add("psi.axis.psi", "PSI", "PSI 得分")
add("psi.series.psi", "PSI", "PSI 总分")
add("psi.err.month", "“{value}” is not a month: use YYYY-MM.", "“{value}”不是有效月份，请使用 YYYY-MM 格式。")
add("psi.err.month_future", "{value} has not started yet.", "{value} 尚未开始。")
add("psi.err.team", "No such team.", "没有这个团队。")
for _k, _en, _zh in [
    ("team", "Team", "团队"), ("psi", "PSI", "PSI 得分"), ("tier", "Bonus tier", "奖金档位"),
    ("payout", "Bonus paid (%)", "奖金发放（%）"), ("on_time", "On time", "按时率"), ("closure", "Closure", "问题闭环"),
    ("collaboration", "Collaboration", "跨部门协同"), ("month", "Month", "月份"),
    ("steps", "Steps decided", "已到期步骤"), ("issues", "Issues", "问题数"), ("requests", "Requests", "请求数"),
]:
    add(f"psi.col.{_k}", _en, _zh)
for _k, _en, _zh in [("full", "Full", "全额"), ("partial", "Partial", "部分"), ("none", "None", "不发放")]:
    add(f"psi.tier_short.{_k}", _en, _zh)

# ---- process analysis page: logging lag and the bottleneck heatmap ----
add("analysis.title", "Logging lag & bottlenecks", "录入延迟与瓶颈")
add("analysis.caption", "How late activities are logged, and where deals and key steps stall.",
    "活动补录滞后情况，以及商机和关键步骤卡在哪里。")
add("analysis.tab.lag", "Logging lag", "录入滞后")
add("analysis.tab.heatmap", "Bottleneck heatmap", "瓶颈热力图")
add("lag.title", "Logging lag", "录入滞后")
add("lag.help", "Hours between when an activity happened and when it was recorded, for the activities recorded in the period. Over {flag} h late is flagged.",
    "活动发生到录入系统之间的小时数（统计所选期间内录入的活动）。滞后超过 {flag} 小时的会被标记。")
add("lag.median", "Median lag", "滞后中位数")
add("lag.p90", "90th percentile", "90 分位")
add("lag.mean", "Mean lag", "平均滞后")
add("lag.flagged", "Logged > {flag} h late", "滞后超过 {flag} 小时")
add("lag.hours", "{h} h", "{h} 小时")
add("lag.days", "{d} days", "{d} 天")
add("lag.flagged_help", "How many activities, and which share of all, were logged that late.",
    "录入滞后超过该时长的活动条数，及其占全部活动的比例。")
add("lag.count", "{n} activities", "{n} 条活动")
add("lag.none", "No activities were logged in this period.", "所选期间内没有录入的活动。")
add("lag.distribution", "Distribution", "分布")
add("lag.by", "Per", "统计维度")
add("lag.by.rep", "Rep", "按销售")
add("lag.by.team", "Team", "按团队")
add("lag.table", "Who logs late, the latest first", "谁在补录：滞后最多的在前")
add("lag.flagged_title", "Flagged activities ({n})", "被标记的活动（{n}）")
add("lag.no_flagged", "No activity was logged more than {flag} h late.", "没有滞后超过 {flag} 小时录入的活动。")
add("lag.axis.bucket", "Hours from happening to logging", "发生到录入的小时数")
add("lag.axis.count", "Activities", "活动数")
add("lag.bucket.first", "≤ {hi} h", "≤ {hi} 小时")
add("lag.bucket.mid", "{lo}–{hi} h", "{lo}–{hi} 小时")
add("lag.bucket.last", "> {lo} h", "> {lo} 小时")
add("lag.err.by", "Group by rep or team.", "请选择按销售或按团队统计。")
add("lag.legend.flagged", "Flagged", "被标记")
add("lag.legend.ok", "Within {flag} h", "{flag} 小时内")
for _k, _en, _zh in [
    ("name", "Name", "名称"), ("team", "Team", "团队"), ("activities", "Activities", "活动数"),
    ("median_hours", "Median (h)", "中位数（小时）"), ("p90_hours", "90th pct (h)", "90分位（小时）"),
    ("mean_hours", "Mean (h)", "平均（小时）"), ("flagged", "Flagged", "被标记数"),
    ("flagged_share", "Flagged share", "被标记占比"), ("id", "No.", "编号"), ("kind", "Activity", "活动类型"),
    ("customer", "Customer", "客户"), ("owner", "Owner", "负责人"), ("happened_at", "Happened", "发生时间"),
    ("logged_at", "Logged", "录入时间"), ("lag_hours", "Lag (h)", "滞后（小时）"),
]:
    add(f"lag.col.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("call", "Call", "电话"), ("visit", "Visit", "拜访"), ("demo", "Demo", "演示"), ("proposal", "Proposal", "方案"),
    ("promotion", "Promotion", "促销执行"), ("objection", "Objection", "异议"),
    ("solution_update", "Solution update", "异议方案进展"), ("needs_summary", "Needs summary", "需求纪要"),
    ("promotion_evidence", "Promotion evidence", "促销举证"), ("renewal", "Renewal", "续约"),
    ("complaint", "Complaint", "投诉处理"), ("message", "Message", "消息"),
]:
    add(f"lag.kind.{_k}", _en, _zh)
add("heat.title", "Where deals and steps stall — week ending {end}", "商机与步骤卡点 · 截至 {end} 的一周")
add("heat.help", "Stage columns: deals in the stage at the week's end, the share stalled beyond the stage's standard time. Step columns: instances triggered in the week, the share late or missing. Darker is worse; the number is the count.",
    "阶段列：周末时处于该阶段的商机中，超过标准停留时长的占比；步骤列：本周触发的步骤中超时或缺失的占比。颜色越深越差，格中数字为数量。")
add("heat.week_end", "Week ending", "周截止日")
add("heat.axis.team", "Team", "团队")
add("heat.axis.column", "Stage / step", "阶段 / 步骤")
add("heat.axis.rate", "Stalled or late (%)", "停滞或超时占比（%）")
add("heat.tip.count", "Stalled or late", "停滞或超时数")
add("heat.tip.base", "Counted", "统计数")
add("heat.step_prefix", "Step: {name}", "步骤：{name}")
add("heat.top", "Worst cells this week", "本周最严重的卡点")
add("heat.top_line", "{team} · {column}: {stalled} of {base} ({rate}%)", "{team} · {column}：{base} 个中 {stalled} 个（{rate}%）")
add("heat.table_title", "Every cell as a table", "全部数据（表格）")
add("heat.none", "Nothing stalled or late this week.", "本周没有停滞或超时。")
for _k, _en, _zh in [("team", "Team", "团队"), ("column", "Stage / step", "阶段 / 步骤"),
                     ("stalled", "Stalled or late", "停滞或超时"), ("base", "Counted", "统计数"),
                     ("rate", "Rate (%)", "占比（%）")]:
    add(f"heat.col.{_k}", _en, _zh)

# ---- issues & requests page ----
add("requests.title", "Issues & requests", "协同与问题")
add("requests.caption.rep", "Your customers' open issues and your requests to marketing, support and delivery.",
    "您的客户问题，以及您发给市场、技术支持和交付部门的协同请求。")
add("requests.caption.lead", "Your teams' customer issues and cross-department requests.", "您所负责团队的客户问题与跨部门协同请求。")
add("requests.caption.director", "Every team's customer issues and cross-department requests.", "全部团队的客户问题与跨部门协同请求。")
add("requests.caption.admin", "Every team's customer issues and cross-department requests.", "全部团队的客户问题与跨部门协同请求。")
add("requests.caption.service", "Requests from sales to {dept}: answer them here. Target: within {target} h.",
    "销售发给{dept}的协同请求，请在此答复。响应目标：{target} 小时内。")
add("requests.no_department", "Your account has no department yet: ask your administrator.", "您的账号尚未设置所属部门，请联系系统管理员。")
add("requests.tab.requests", "Requests ({n} open)", "协同请求（{n} 个待答复）")
add("requests.tab.issues", "Customer issues ({n} open)", "客户问题（{n} 个未关闭）")
add("requests.show", "Show", "显示")
add("requests.status.open", "Open", "未处理")
add("requests.status.closed", "Done", "已处理")
add("requests.status.all", "All", "全部")
add("requests.overdue_count", "{n} past the target", "{n} 个已超过目标时长")
add("requests.none_open_requests", "No open requests.", "没有待答复的请求。")
add("requests.none_requests", "No requests.", "没有请求。")
add("requests.none_open_issues", "No open issues.", "没有未关闭的问题。")
add("requests.none_issues", "No issues.", "没有问题记录。")
add("requests.answer_title", "Answer a request", "答复请求")
add("requests.answer_pick", "Request", "请求")
add("requests.answer_text", "Answer", "答复内容")
add("requests.answer_submit", "Send answer", "提交答复")
add("requests.answered", "Request #{id} answered.", "请求 #{id} 已答复。")
add("requests.close_title", "Close an issue", "关闭问题")
add("requests.close_pick", "Issue", "问题")
add("requests.close_text", "Resolution", "解决方案")
add("requests.close_submit", "Close issue", "关闭问题")
add("requests.closed", "Issue #{id} closed.", "问题 #{id} 已关闭。")
add("requests.new_issue", "Record a customer issue", "登记客户问题")
add("requests.new_request", "Ask another department", "发起协同请求")
add("requests.f.customer", "Customer", "客户")
add("requests.f.title", "Issue", "问题")
add("requests.f.department", "Department", "部门")
add("requests.f.subject", "What you need", "需求说明")
add("requests.submit_issue", "Save issue", "保存问题")
add("requests.submit_request", "Send request", "发送请求")
add("requests.issue_saved", "Issue #{id} recorded.", "问题 #{id} 已登记。")
add("requests.request_saved", "Request #{id} sent to {dept}.", "请求 #{id} 已发送至{dept}。")
add("requests.no_customers", "You have no customers yet.", "您名下暂无客户。")
add("requests.pick_hint", "Choose…", "请选择…")
for _k, _en, _zh in [
    ("id", "No.", "编号"), ("requested_at", "Requested", "发起时间"), ("department", "Department", "部门"),
    ("subject", "Request", "请求内容"), ("customer", "Customer", "客户"), ("owner", "Asked by", "发起人"),
    ("team", "Team", "团队"), ("answered_at", "Answered", "答复时间"), ("answer", "Answer", "答复"),
    ("hours", "Hours (to answer / waiting)", "用时/已等待（小时）"), ("overdue", "Over target", "超过目标"),
    ("raised_at", "Raised", "提出时间"), ("title", "Issue", "问题"), ("closed_at", "Closed", "关闭时间"),
    ("resolution", "Resolution", "解决方案"), ("days", "Days (to close / open)", "用时/已开放（天）"),
    ("issue_owner", "Owner", "负责人"),
]:
    add(f"requests.col.{_k}", _en, _zh)
add("requests.err.status", "Choose open, done or all.", "请选择未处理、已处理或全部。")
add("requests.err.text", "Enter text.", "请输入文字。")
add("requests.err.too_long", "At most {n} characters.", "最多 {n} 个字符。")
add("requests.err.no_request", "No such request for your department.", "没有这个发给您部门的请求。")
add("requests.err.no_issue", "No such issue of yours.", "没有这个由您负责的问题。")
add("requests.err.no_customer", "Choose one of your customers.", "请选择您负责的客户。")
add("requests.err.department", "Choose marketing, support or delivery.", "请选择市场部、技术支持部或交付部。")
add("requests.err.answered", "Someone already answered this request at {at}; your answer was not saved.",
    "该请求已于 {at} 被他人答复，您的答复未保存。")
add("requests.err.closed", "This issue was already closed at {at}; your resolution was not saved.",
    "该问题已于 {at} 关闭，您填写的解决方案未保存。")
