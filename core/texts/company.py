"""Texts of the company set-up, the settings and the audit log (SPEC §10): regions, teams
and users by form and by import, initial passwords and the first-login change, the settings groups
and their cross-field checks, the audit log's filters."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- refusals ----
add("company.err.email", "Not an e-mail address.", "不是有效的电子邮箱地址。")
add("company.err.move_role", "Only reps and team leads belong to a team.", "只有销售和片区经理属于团队。")
add("company.err.same_team", "They are in this team already.", "该用户已在此团队。")
add("company.err.name_long", "At most {n} characters.", "最多 {n} 个字符。")
add("company.err.region_taken", "A region named {name} exists already.", "已存在名为 {name} 的区域。")
add("company.err.region_needed", "Choose the team's region.", "请选择团队所属区域。")
add("company.err.team_taken", "A team named {name} exists already.", "已存在名为 {name} 的团队。")
add("company.err.lead_role", "The lead must be an active user of role team lead.", "团队负责人必须是在职的片区经理账号。")
add("company.err.new_team_region", "Team {team} does not exist yet: name its region to create it.",
    "团队 {team} 尚不存在：请填写其所属区域以便创建。")
add("company.err.team_two_regions", "Team {team} is in region {region} in row {other}.",
    "第 {other} 行中团队 {team} 属于区域 {region}。")
add("company.err.two_leads", "Team {team} already gets its lead in row {other}.", "第 {other} 行已为团队 {team} 指定负责人。")
add("company.note.passwords", "Each of the {n} users gets an initial password, shown once after the import; "
    "they must change it at first login.", "{n} 个用户各获得一个初始密码（导入后只显示一次），首次登录时必须修改。")
add("imp.table.users", "users {n}", "用户 {n} 个")
add("imp.table.regions", "new regions {n}", "新区域 {n} 个")
add("imp.table.teams", "new teams {n}", "新团队 {n} 个")
add("imp.err.dup_db_user", "This username exists already (no. {id}).", "该用户名已存在（编号 {id}）。")

# ---- the first login with an initial password ----
add("company.first.title", "Choose your own password", "请设置您自己的密码")
add("company.first.caption", "Welcome, {name}. You logged in with an initial password: choose your own "
    "(at least {n} characters) before you go on.", "欢迎，{name}。您使用的是初始密码：请先设置您自己的密码（至少 {n} 个字符）。")
add("company.first.new", "New password", "新密码")
add("company.first.again", "New password again", "再次输入新密码")
add("company.first.submit", "Save my password", "保存密码")
add("company.first.mismatch", "The two passwords differ.", "两次输入的密码不一致。")

# ---- settings: the checks across fields, the groups ----
add("company.err.setting_bounds", "{low} ({min}) must not be above {high} ({max}).",
    "{low}（{min}）不能高于 {high}（{max}）。")
add("company.err.setting_weights", "At least one of the weights {keys} must be above 0.",
    "权重 {keys} 中至少有一项必须大于 0。")
for _k, _en, _zh in [("lights", "Lights and the cockpit", "红绿灯与驾驶舱"), ("leads", "Leads and response times", "线索与响应时限"),
                     ("pool", "Routing and the lead pool", "分配规则与公海"), ("funnel", "Funnel stages", "漏斗阶段"),
                     ("process", "Process capture and uploads", "过程记录与附件"), ("psi", "Process certainty (PSI)", "过程确定性指数"),
                     ("people", "Scorecard, points and coaching", "成绩单、积分与辅导"),
                     ("targets", "Targets and target health", "目标与目标健康"),
                     ("incentives", "Incentives and points", "激励与积分"), ("delivery", "Alert delivery", "消息推送"),
                     ("cash", "Cash and data quality", "回款与数据质量"), ("login", "Language and login", "语言与登录"),
                     ("other", "Other", "其他")]:
    add(f"settings.group.{_k}", _en, _zh)
add("settings.changed", "{n} changed from the default", "{n} 项已修改（非默认值）")
add("settings.refused", "Nothing was saved: fix the values marked below.", "未保存：请修正下方标出的各项。")
add("company.err.audit_range", "The start of the time range is after its end.", "时间范围的开始晚于结束。")

# ---- the users page ----
add("col.email", "E-mail", "电子邮箱")
add("company.users.caption", "Set up the company: regions, teams and people. A whole company at once: the users "
    "template under Import & export.", "在此设置公司的区域、团队和人员。批量创建：在“数据导入与导出”中使用用户模板。")
add("company.users.initial", "The new user gets an initial password, shown once after saving; they must change it "
    "at their first login.", "新用户将获得一个初始密码（保存后只显示一次），首次登录时必须修改。")
add("company.users.invited", "Created {username}. Initial password (shown once): {password}",
    "已创建用户 {username}。初始密码（只显示一次）：{password}")
add("company.tab.org", "Regions & teams", "区域与团队")
add("company.tab.move", "Move between teams", "调整团队")
add("company.tab.access", "Access", "账号权限")
add("company.region.add", "New region", "新增区域")
add("company.region.create", "Create region", "创建区域")
add("company.region.created", "Created region {name}.", "已创建区域 {name}。")
add("company.team.add", "New team", "新增团队")
add("company.team.lead", "Team lead", "团队负责人")
add("company.team.create", "Create team", "创建团队")
add("company.team.created", "Created team {name}.", "已创建团队 {name}。")
add("company.move.caption", "What they earned stays with the team they earned it in; what they record from now "
    "on counts for the new team.", "已有业绩仍归属原团队；调整后新记录计入新团队。")
add("company.move.to", "To team", "调入团队")
add("company.move.submit", "Move", "调整")
add("company.move.pick", "Choose a person and a team.", "请选择人员和团队。")
add("company.move.done", "Moved {name} to {team}.", "已将 {name} 调入 {team}。")
add("company.access.done", "Changed the access of {name}.", "已修改 {name} 的账号状态。")
add("company.reset.submit", "Reset password", "重置密码")
add("company.reset.done", "New initial password of {name} (shown once): {password}",
    "{name} 的新初始密码（只显示一次）：{password}")
add("company.passwords_once", "The initial passwords, shown this once: hand them over (or download them) now. "
    "Each must be changed at first login.", "以下初始密码只显示这一次：请立即分发（或下载）。首次登录时必须修改。")

# ---- the audit log page ----
add("company.audit.caption", "Every write, newest first, with what it changed. Filter, page through, export.",
    "全部写操作，按时间倒序，含修改前后的值。可筛选、翻页和导出。")
add("company.audit.anyone", "Anyone", "所有人")
add("company.audit.any", "Any", "全部")
add("company.audit.since", "From", "开始日期")
add("company.audit.until", "To", "结束日期")
add("company.audit.per_page", "Rows a page", "每页行数")
add("company.audit.page", "Page (of {pages})", "页码（共 {pages} 页）")
add("company.audit.count", "{n} entries · page {page} of {pages}", "共 {n} 条 · 第 {page}/{pages} 页")
add("company.audit.record", "Record", "对象编号")
add("company.audit.before", "Before", "修改前")
add("company.audit.after", "After", "修改后")
