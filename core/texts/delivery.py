"""Texts of the channels (alerts and briefs pushed to DingTalk, WeCom, Slack, webhooks, e-mail), the
delivery log and the jobs page (SPEC §10)."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and settings ----
add("nav.channels", "Channels", "推送渠道")
add("nav.jobs", "Jobs", "定时任务")
for _k, _en, _zh in [
    ("delivery_max_attempts", "Delivery: attempts before a message is given up", "推送：放弃前最多尝试次数"),
    ("delivery_backoff_minutes", "Delivery: first wait before a retry (minutes, doubled each time)",
     "推送：首次重试前等待（分钟，每次翻倍）"),
    ("delivery_timeout_seconds", "Delivery: how long one attempt waits for the endpoint (seconds)",
     "推送：单次尝试等待对方应答的时间（秒）"),
    ("brief_push_hour", "Morning brief: pushed to its channels from this hour (0–23, Monday to Friday)",
     "晨会简报：每个工作日从几点起推送到渠道（0–23）"),
]:
    add(f"setting.{_k}", _en, _zh)

# ---- what is sent ----
add("delivery.alert_title", "Sales Cockpit alert", "销售驾驶舱提醒")
add("delivery.test_title", "Sales Cockpit: test message", "销售驾驶舱：测试消息")
add("delivery.test_body", "This is a test message for the channel “{name}”. If you read it, the channel works.",
    "这是渠道“{name}”的测试消息。收到即表示渠道可用。")

# ---- errors of the channel form ----
add("delivery.err.name", "Give the channel a name.", "请填写渠道名称。")
add("delivery.err.kind", "Choose a kind of channel.", "请选择渠道类型。")
add("delivery.err.owner", "Choose exactly one person or one team the channel serves.", "请选择且只选择一个人员或一个团队。")
add("delivery.err.url", "The address must be a web address starting with http:// or https://.",
    "地址须是以 http:// 或 https:// 开头的网址。")
add("delivery.err.email", "Give one or more e-mail addresses, separated by commas.", "请填写一个或多个邮箱地址，用逗号分隔。")
add("delivery.err.token_in_address", "The address carries the robot's token in clear: write {token} in its place "
    "and name the secret that holds it.", "地址中包含明文令牌：请用 {token} 代替，并填写保存令牌的密钥名称。")
add("delivery.err.token_needed", "The address uses {token}: name the secret that holds the token.",
    "地址使用了 {token}：请填写保存令牌的密钥名称。")
add("delivery.err.secret_name", "A secret's name is letters, digits and _ (an environment variable or a "
    "secrets.toml entry), e.g. DINGTALK_SALES_SECRET.",
    "密钥名称只能包含字母、数字和下划线（环境变量或 secrets.toml 中的名称），例如 DINGTALK_SALES_SECRET。")
add("delivery.err.secret_value", "This looks like the secret itself: never store it here; put it in an environment "
    "variable or .streamlit/secrets.toml and give that name.",
    "这看起来是密钥本身：请勿保存在此处；请放入环境变量或 .streamlit/secrets.toml，并在此填写其名称。")
add("delivery.err.sign_only_dingtalk", "Only a DingTalk robot is signed.", "只有钉钉机器人需要签名密钥。")
add("delivery.err.smtp_host", "An e-mail channel needs its SMTP server.", "邮件渠道需要填写 SMTP 服务器。")
add("delivery.err.smtp_port", "The SMTP port is a whole number from 1 to 65535.", "SMTP 端口须是 1 到 65535 之间的整数。")
add("delivery.err.no_channel", "That channel does not exist (any more).", "该渠道不存在（或已被删除）。")
add("jobs.err.busy", "Another run of the jobs ({holder}) is going on since {since}; try again when it has finished.",
    "另一次任务运行（{holder}）自 {since} 起正在进行，请待其结束后再试。")

# ---- channels page ----
add("channels.title", "Channels", "推送渠道")
add("channels.caption", "Alerts and the morning brief pushed to a group chat or a mailbox, per person or per team. "
    "Tokens, signing secrets and passwords are never stored here: give the NAME of an environment variable or of "
    "an entry of .streamlit/secrets.toml that holds them.",
    "将提醒和晨会简报推送到群聊或邮箱，可按人员或团队设置。令牌、签名密钥和密码不保存在此处：请填写保存它们的环境变量"
    "或 .streamlit/secrets.toml 条目的名称。")
add("channels.none", "No channel yet: alerts stay in the app's inbox.", "暂无渠道：提醒只在应用的收件箱中显示。")
add("channels.list", "Channels", "渠道列表")
add("channels.edit", "Add or change a channel", "新增或修改渠道")
add("channels.pick", "Channel", "渠道")
add("channels.new", "— a new channel —", "— 新渠道 —")
for _k, _en, _zh in [("name", "Name", "名称"), ("kind", "Kind", "类型"), ("person", "Person", "人员"),
                     ("team", "Team", "团队"), ("address", "Address", "地址"),
                     ("token_secret", "Token / password secret", "令牌/密码密钥名"),
                     ("sign_secret", "Signing secret", "签名密钥名"), ("send_alerts", "Alerts", "提醒"),
                     ("send_brief", "Brief", "简报"), ("active", "Active", "启用"),
                     ("created_at", "Created", "创建时间"), ("channel", "Channel", "渠道"), ("title", "Title", "标题"),
                     ("status", "Status", "状态"), ("attempts", "Attempts", "尝试次数"),
                     ("next_attempt_at", "Next try", "下次尝试"), ("sent_at", "Sent", "发送时间"),
                     ("last_error", "Last error", "最近错误"), ("user_id", "Person", "人员"),
                     ("team_id", "Team", "团队"), ("smtp_host", "SMTP server", "SMTP 服务器"),
                     ("smtp_port", "SMTP port", "SMTP 端口")]:
    add(f"channels.col.{_k}", _en, _zh)
for _k, _en, _zh in [("dingtalk", "DingTalk robot", "钉钉机器人"), ("wecom", "WeCom robot", "企业微信机器人"),
                     ("slack", "Slack-compatible webhook", "Slack 兼容 Webhook"),
                     ("webhook", "Generic JSON webhook", "通用 JSON Webhook"), ("email", "E-mail (SMTP)", "邮件（SMTP）")]:
    add(f"channels.kind.{_k}", _en, _zh)
for _k, _en, _zh in [("pending", "waiting to retry", "待重试"), ("sent", "sent", "已发送"), ("failed", "given up", "已放弃")]:
    add(f"channels.status.{_k}", _en, _zh)
for _k, _en, _zh in [("alert", "alert", "提醒"), ("text", "brief", "简报"), ("test", "test", "测试")]:
    add(f"channels.dkind.{_k}", _en, _zh)
add("channels.for", "Serves", "服务对象")
add("channels.for.user", "A person", "人员")
add("channels.for.team", "A team", "团队")
add("channels.address_help", "The robot's web address with {token} in place of its token (e.g. "
    "https://oapi.dingtalk.com/robot/send?access_token={token}), or {token} alone when the whole address is secret; "
    "for e-mail, the recipients.", "机器人地址，令牌处写 {token}（例如 https://oapi.dingtalk.com/robot/send?access_token={token}）；"
    "整个地址保密时只写 {token}；邮件渠道填写收件人。")
add("channels.sign_help", "DingTalk only: the secret that signs each message (加签).", "仅钉钉：为每条消息加签的密钥名称。")
add("channels.smtp_user", "SMTP user (e-mail only)", "SMTP 用户（仅邮件）")
add("channels.sender", "Sender address (e-mail only)", "发件人地址（仅邮件）")
add("channels.starttls", "Use STARTTLS (e-mail only)", "使用 STARTTLS（仅邮件）")
add("channels.smtp_host_label", "SMTP server (e-mail only)", "SMTP 服务器（仅邮件）")
add("channels.smtp_port_label", "SMTP port (e-mail only)", "SMTP 端口（仅邮件）")
add("channels.save", "Save the channel", "保存渠道")
add("channels.saved", "The channel “{name}” is saved.", "渠道“{name}”已保存。")
add("channels.test", "Send a test message", "发送测试消息")
add("channels.test_button", "Send a test message now", "立即发送测试消息")
add("channels.test_ok", "The test message to “{name}” got through.", "发往“{name}”的测试消息已送达。")
add("channels.test_failed", "The test message to “{name}” did not get through: {error}", "发往“{name}”的测试消息未送达：{error}")
add("channels.log", "Delivery log (newest first)", "推送记录（最新在前）")
add("channels.log_empty", "Nothing has been pushed yet.", "尚未推送任何消息。")
add("channels.yes", "yes", "是")
add("channels.no", "no", "否")

# ---- jobs page ----
add("jobs.title", "Jobs", "定时任务")
add("jobs.caption", "Escalations, recycling, stalled deals, drops, alerts and their delivery run every 5 minutes "
    "from cron; a run started while another holds the lock does nothing. The crontab line:",
    "升级、回收、停滞商机、转化下降、提醒及其推送每 5 分钟由 cron 运行；另一次运行持有锁时，新运行不做任何事。crontab 配置：")
add("jobs.running", "A run is going on: {holder}, since {since}.", "正在运行：{holder}，自 {since} 起。")
add("jobs.pick", "Jobs to run now", "立即运行的任务")
add("jobs.run", "Run now", "立即运行")
add("jobs.progress", "Running {job} ({i} of {n}) …", "正在运行 {job}（第 {i} 个，共 {n} 个）…")
add("jobs.done_one", "{job}: {count} done.", "{job}：完成 {count} 项。")
add("jobs.failed_one", "{job} failed: {error}", "{job} 失败：{error}")
add("jobs.finished", "Finished: {n} jobs run.", "完成：共运行 {n} 个任务。")
add("jobs.runs", "Last runs (newest first)", "最近的运行（最新在前）")
add("jobs.none", "No job has run yet.", "尚无任务运行记录。")
add("jobs.pick_one", "Choose at least one job.", "请至少选择一个任务。")
for _k, _en, _zh in [("job", "Job", "任务"), ("started_at", "Started", "开始"), ("finished_at", "Finished", "结束"),
                     ("run_at", "Measured at", "计算时点"), ("count", "Count", "数量"), ("error", "Error", "错误"),
                     ("trigger", "Started from", "触发方式"), ("started_by", "By", "操作人")]:
    add(f"jobs.col.{_k}", _en, _zh)
for _k, _en, _zh in [("cron", "cron / command line", "cron/命令行"), ("page", "this page", "本页面")]:
    add(f"jobs.trigger.{_k}", _en, _zh)
