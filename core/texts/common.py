"""Texts shared by every page: roles, common words, the cockpit lights, errors a person can fix,
the navigation and the settings."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- shared words ----
add("list.sep", ", ", "、")
add("app.title", "Sales Cockpit", "销售驾驶舱")
add("role.director", "Director", "销售总监")
add("role.lead", "Team lead", "片区经理")
add("role.rep", "Sales rep", "销售")
add("role.finance", "Finance", "财务")
add("role.admin", "Admin", "系统管理员")
add("role.service", "Department staff", "协同部门")
add("common.all", "All", "全部")
add("common.none", "None", "无")
add("common.save", "Save", "保存")
add("common.download_csv", "Download CSV", "下载 CSV")
add("common.download_xlsx", "Download Excel", "下载 Excel")
add("common.no_rows", "Nothing to show for this selection.", "当前筛选条件下没有记录。")
add("common.showing", "Showing {shown} of {total}.", "显示 {total} 条中的 {shown} 条。")

# ---- cockpit lights ----
add("light.first_response", "{hours} h first response", "{hours}小时首次响应")
add("what.late_leads", "late leads", "超时未响应线索")
add("what.late_steps", "late or missing “{step}”", "超时或缺失的“{step}”")
add("explain.one", "{names} holds {share}% of the {misses} {what}.", "{names}占了{misses}条{what}中的{share}%。")
add("explain.many", "{names} hold {share}% of the {misses} {what}.", "{names}合计占了{misses}条{what}中的{share}%。")

# ---- errors a person can fix ----
add("err.required", "Required.", "必填。")
add("err.language", "Choose 中文 or English.", "请选择中文或 English。")
add("err.username_format", "2–60 lower-case letters, digits, '.', '_' or '-'.", "用户名为 2–60 位小写字母、数字、“.”、“_”或“-”。")
add("err.username_taken", "The username “{username}” is taken.", "用户名“{username}”已被占用。")
add("err.role", "Choose a role.", "请选择角色。")
add("err.team_needed", "A rep or team lead needs a team.", "销售和片区经理必须属于一个团队。")
add("err.no_team", "No such team.", "没有这个团队。")
add("err.password_short", "At least {n} characters.", "至少 {n} 个字符。")
add("err.no_user", "No such user.", "没有这个用户。")
add("err.deactivate_self", "You cannot deactivate yourself.", "不能停用自己的账号。")
add("err.setting_unknown", "Unknown setting {key}.", "未知的设置项 {key}。")
add("err.setting_number", "{key} must be a number.", "{key} 必须是数字。")
add("err.setting_whole", "{key} must be a whole number.", "{key} 必须是整数。")
add("err.setting_choice", "{key} must be one of {choices}.", "{key} 只能是 {choices} 之一。")
add("err.setting_min", "{key} must be at least {min}.", "{key} 不能小于 {min}。")
add("err.setting_max", "{key} must be at most {max}.", "{key} 不能大于 {max}。")
add("err.setting_red_above_green", "The red threshold must not be above the green one.", "红灯阈值不能高于绿灯阈值。")
add("err.db_unavailable", "The database cannot be reached right now. Nothing was lost; try again in a minute or tell your administrator.",
     "暂时无法连接数据库。数据没有丢失，请稍后再试或联系系统管理员。")
add("err.forbidden", "Your role cannot open this page.", "您的角色无权打开此页面。")
add("err.config", "The app is not configured correctly: {detail}", "系统配置有误：{detail}")

# ---- login ----
add("login.title", "Log in", "登录")
add("login.username", "Username", "用户名")
add("login.password", "Password", "密码")
add("login.submit", "Log in", "登录")
add("login.hint", "Use the account your administrator gave you.", "请使用管理员为您开通的账号登录。")
add("login.empty", "Enter both your username and your password.", "请输入用户名和密码。")
add("login.wrong", "Wrong username or password.", "用户名或密码错误。")
add("login.locked", "Too many failed attempts: this account is locked until {time}.", "登录失败次数过多，账号已锁定至 {time}。")
add("login.logout", "Log out", "退出登录")

# ---- navigation ----
add("nav.section.work", "Work", "工作台")
add("nav.section.admin", "Administration", "系统管理")
add("nav.cockpit", "Cockpit", "驾驶舱")
add("nav.customers", "Customers", "客户")
add("nav.inbox", "To-dos & alerts", "待办与提醒")
add("nav.settings", "Rules & thresholds", "规则与阈值")
add("nav.users", "Users & teams", "用户与团队")
add("nav.audit", "Audit log", "操作日志")
add("nav.language", "Language", "语言")
add("light.color.red", "Red", "红灯")
add("light.color.yellow", "Yellow", "黄灯")
add("light.color.green", "Green", "绿灯")
add("light.color.grey", "Not enough data", "数据不足")

# ---- cockpit page ----
add("cockpit.title", "Cockpit — morning meeting", "驾驶舱 · 晨会")
add("cockpit.title_rep", "My process lights", "我的过程指标")
add("cockpit.subtitle.director", "Every team. Red lights first: click one to see the records behind it.",
     "全部团队。先看红灯：点击即可查看背后的记录。")
add("cockpit.subtitle.admin", "Every team. Red lights first: click one to see the records behind it.",
     "全部团队。先看红灯：点击即可查看背后的记录。")
add("cockpit.subtitle.lead", "Your teams. Red lights first: click one to see which reps need help.",
     "您负责的团队。先看红灯：点击查看哪些销售需要帮助。")
add("cockpit.subtitle.rep", "Your own leads and process steps.", "您本人的线索与关键过程步骤。")
add("cockpit.rate_help", "Share done on time, of the items whose deadline has passed or that are done. Items still inside their window count nowhere yet.",
     "已到期或已完成的事项中按时完成的比例；仍在时限内的事项暂不计入。")
add("cockpit.counts", "{on_time} of {decided} on time · {misses} missed", "按时 {on_time} / {decided} · 超时 {misses}")
add("cockpit.open_records", "Show the {n} missed", "查看 {n} 条超时记录")
add("cockpit.bad_light", "That link names no light on this page; showing all lights.", "链接中的指标不存在，已显示全部指标。")
add("cockpit.records_title", "Behind the light: {label}", "指标明细：{label}")
add("cockpit.close_records", "Close the records", "收起明细")
add("cockpit.day", "Day", "日期")
add("cockpit.rate_pct", "On time (%)", "按时率（%）")
add("cockpit.by_team", "Teams, weakest first", "各团队（由弱到强）")
add("cockpit.by_rep", "Reps, weakest first", "各销售（由弱到强）")
add("cockpit.no_team", "No team yet (company pool)", "未分配团队（公海）")
add("cockpit.no_owner", "No owner (team pool)", "无负责人（团队公海）")
add("filter.period", "Period", "时间范围")
add("filter.region", "Region", "大区")
add("filter.team", "Team", "团队")
add("filter.pick_end", "Pick the last day of the period.", "请选择结束日期。")
add("filter.too_long", "Choose at most {days} days.", "时间范围最多 {days} 天。")
add("col.id", "No.", "编号")
add("col.customer", "Customer", "客户")
add("col.grade", "Grade", "等级")
add("col.source", "Source", "来源渠道")
add("col.owner", "Owner", "负责人")
add("col.team", "Team", "团队")
add("col.region", "Region", "大区")
add("col.created_at", "Created", "创建时间")
add("col.contacted_at", "First contact", "首次联系时间")
add("col.hours_to_contact", "Hours to contact (or waiting)", "响应用时/已等待（小时）")
add("col.triggered_at", "Triggered", "触发时间")
add("col.due_at", "Due", "截止时间")
add("col.completed_at", "Done", "完成时间")
add("col.hours_late", "Hours late", "超时（小时）")

# ---- customers, inbox, admin pages ----
add("customers.title", "Customers", "客户")
add("customers.search", "Search", "搜索")
add("customers.search_hint", "Company name, phone or tax id", "公司名称、电话或税号")
add("customers.count", "{n} customers (newest first, at most 500).", "共 {n} 个客户（按更新时间，最多 500 个）。")
add("inbox.title", "To-dos & alerts", "待办与提醒")
add("inbox.todos", "Open to-dos ({n})", "未完成待办（{n}）")
add("inbox.no_todos", "Nothing to do. Well done.", "暂无待办。")
add("inbox.complete", "Mark {n} done", "标记 {n} 项为已完成")
add("inbox.alerts", "Alerts ({n} unread)", "提醒（{n} 条未读）")
add("inbox.no_alerts", "No alerts.", "暂无提醒。")
add("inbox.mark_read", "Mark all read", "全部标为已读")
add("settings.title", "Rules & thresholds", "规则与阈值")
add("settings.caption", "Every figure the cockpit and the jobs use. Changes apply at once, on every app server, and are written to the audit log.",
     "驾驶舱和定时任务使用的所有参数。修改立即在所有服务器生效，并记入操作日志。")
add("settings.default", "Default: {value}", "默认值：{value}")
add("settings.nothing", "Nothing changed.", "没有修改。")
add("settings.saved", "Saved {n} changes.", "已保存 {n} 项修改。")
add("users.title", "Users & teams", "用户与团队")
add("users.add", "Add a user", "新增用户")
add("users.create", "Create user", "创建用户")
add("users.created", "Created {username}.", "已创建用户 {username}。")
add("users.deactivate", "Deactivate or reactivate", "停用或启用账号")
add("users.pick", "User", "用户")
add("users.disable", "Deactivate (logs them out everywhere)", "停用（并在所有设备上退出登录）")
add("users.enable", "Reactivate", "重新启用")
add("audit.title", "Audit log", "操作日志")
for _k, _en, _zh in [
    ("phone", "Phone", "电话"), ("industry", "Industry", "行业"), ("customer_type", "Customer type", "客户类型"),
    ("size", "Size", "规模"), ("heat", "Heat", "热度"), ("updated_at", "Updated", "更新时间"),
    ("title", "To-do", "待办事项"), ("done", "Done", "完成"), ("message", "Alert", "提醒内容"),
    ("read_at", "Read", "已读时间"), ("at", "When", "时间"), ("user", "User", "用户"),
    ("action", "Action", "操作"), ("entity", "Record type", "对象类型"), ("entity_id", "Record", "对象编号"),
    ("detail", "Detail", "详情"), ("username", "Username", "用户名"), ("display_name", "Name", "姓名"),
    ("role", "Role", "角色"), ("active", "Active", "启用"), ("password", "Password", "密码"),
    ("team_id", "Team", "团队"), ("language", "Language", "语言"),
]:
    add(f"col.{_k}", _en, _zh)

# ---- setting names ----
for _k, _en, _zh in [
    ("light_red_below", "Red light below (%)", "低于此值亮红灯（%）"),
    ("light_green_above", "Green light above (%)", "高于此值亮绿灯（%）"),
    ("cockpit_window_days", "Cockpit default window (days)", "驾驶舱默认时间窗（天）"),
    ("explain_share", "Explanation: share of misses to name (0–1)", "原因说明：需覆盖的超时占比（0–1）"),
    ("explain_max_groups", "Explanation: at most this many teams or reps", "原因说明：最多列出的团队/销售数"),
    ("first_response_hours", "First response window (hours)", "首次响应时限（小时）"),
    ("grade_a_hours", "Grade A: call and proposal within (hours)", "A 级：电话与方案时限（小时）"),
    ("grade_b_hours", "Grade B: demo booked within (hours)", "B 级：预约演示时限（小时）"),
    ("grade_c_hours", "Grade C: second touch within (hours)", "C 级：二次触达时限（小时）"),
    ("escalation_hours", "Escalate an uncontacted lead after (hours)", "线索未联系升级时限（小时）"),
    ("rep_daily_lead_cap", "New leads per rep per day, at most", "每位销售每日最多新线索数"),
    ("lead_stuck_days", "Lead stuck after (days without progress)", "线索停滞判定（天无进展）"),
    ("stage_max_days_initial_contact", "Initial contact: stalled after (days)", "初步接触：停滞天数"),
    ("stage_max_days_needs_confirmed", "Needs confirmed: stalled after (days)", "需求确认：停滞天数"),
    ("stage_max_days_proposal", "Proposal submitted: stalled after (days)", "方案提交：停滞天数"),
    ("stage_max_days_negotiation", "Negotiation: stalled after (days)", "商务谈判：停滞天数"),
    ("stage_max_days_contract_signed", "Contract signed: stalled after (days)", "合同签订：停滞天数"),
    ("conversion_drop_points", "Conversion drop alert (points below the 4-week level)", "转化率下降预警（低于4周均值的百分点）"),
    ("team_low_rate", "Team low on-time rate (%)", "团队按时率预警线（%）"),
    ("team_low_rate_days", "… for this many days in a row", "……连续天数"),
    ("logging_lag_flag_hours", "Flag activities logged later than (hours)", "补录超过此时长标记（小时）"),
    ("psi_weight_on_time", "PSI weight: on time", "PSI 权重：按时率"),
    ("psi_weight_closure", "PSI weight: issue closure", "PSI 权重：问题闭环"),
    ("psi_weight_collaboration", "PSI weight: collaboration", "PSI 权重：跨部门协作"),
    ("default_language", "Default language", "默认语言"),
    ("max_failed_logins", "Lock an account after failed logins", "登录失败锁定次数"),
    ("lockout_minutes", "Lock for (minutes)", "锁定时长（分钟）"),
]:
    add(f"setting.{_k}", _en, _zh)
