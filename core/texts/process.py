"""Texts of SPEC §5 process capture: the scenario forms (拜访登记) and the key process step rules."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and settings ----
add("nav.visit", "Log a visit", "拜访登记")
add("nav.steps", "Key process steps", "关键过程步骤")
add("setting.promotion_min_photos", "Promotion evidence: photos needed", "促销执行举证：至少照片数")
add("setting.activity_backdate_days", "An activity may be dated back at most (days)", "活动最多可补录天数")
add("setting.upload_max_file_mb", "Upload limit per file (MB)", "单个附件大小上限（MB）")
add("setting.upload_max_record_mb", "Upload limit per record (MB)", "每条记录附件总大小上限（MB）")
add("setting.upload_max_files", "Files per record, at most", "每条记录最多附件数")

# ---- scenarios ----
for _k, _en, _zh in [
    ("first_visit", "First visit / needs summary", "首次拜访/需求纪要"),
    ("needs_summary", "Needs summary (after a call)", "补写需求纪要"),
    ("cold_visit", "Cold visit", "陌生拜访"),
    ("demo", "Product demo", "产品演示"),
    ("proposal", "Proposal", "方案提交"),
    ("promotion", "Promotion started", "促销开展"),
    ("promotion_evidence", "Promotion evidence", "促销执行举证"),
    ("objection", "Objection raised", "客户异议"),
    ("solution_update", "Solution update", "异议方案进展"),
    ("renewal", "Renewal", "续约"),
    ("complaint", "Complaint handling", "投诉处理"),
]:
    add(f"process.s.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("first_visit", "The visit and its needs summary in one go: it opens the needs summary step and closes it.",
     "一次登记拜访和需求纪要：首次接触开启“需求纪要”步骤，并当即完成。"),
    ("needs_summary", "The needs summary of a call or visit already logged.", "为已登记的电话或拜访补写需求纪要。"),
    ("cold_visit", "A visit without an appointment.", "未预约的上门拜访。"),
    ("demo", "A product demo at the customer's.", "在客户处进行的产品演示。"),
    ("proposal", "A proposal sent or presented.", "提交或讲解方案。"),
    ("promotion", "A promotion starts at a store: its photo evidence is due within the step's window.",
     "门店促销开始：须在规定时限内上传执行照片。"),
    ("promotion_evidence", "Photos of the promotion as executed, with a short note or voice note.",
     "促销执行现场照片，附简短文字或语音说明。"),
    ("objection", "An objection the customer raised: its solution update is due within the step's window.",
     "客户提出的异议：须在规定时限内更新解决方案进展。"),
    ("solution_update", "Progress on the solution to the customer's objection.", "针对客户异议的解决方案进展。"),
    ("renewal", "A contract renewed.", "合同续约。"),
    ("complaint", "A complaint and how it was handled.", "客户投诉及处理措施。"),
]:
    add(f"process.s_help.{_k}", _en, _zh)

# ---- fields ----
for _k, _en, _zh in [
    ("problem", "Problem to solve", "客户要解决的问题"),
    ("concerns", "The customer's 3 concerns", "客户的3个顾虑"),
    ("next_action", "Next action", "下一步行动"),
    ("next_action_at", "Next action at", "下一步时间"),
    ("outcome", "Outcome", "拜访结果"),
    ("effective", "Met the decision maker (effective visit)", "见到关键人（有效拜访）"),
    ("attendees", "Attendees", "参与人数"),
    ("product", "Product", "产品"),
    ("feedback", "Customer feedback", "客户反馈"),
    ("version", "Proposal version", "方案版本"),
    ("amount", "Amount (CNY)", "金额（元）"),
    ("promotion", "Promotion", "促销活动"),
    ("store", "Store", "门店/网点"),
    ("period_days", "Days it runs", "活动天数"),
    ("photos", "Photos", "执行照片"),
    ("note", "Note", "文字说明"),
    ("voice", "Voice note", "语音说明"),
    ("documents", "Documents", "文件"),
    ("objection", "Objection", "客户异议"),
    ("category", "Kind of objection", "异议类型"),
    ("progress", "Progress of the solution", "方案进展"),
    ("resolved", "Resolved", "已解决"),
    ("contract_months", "Renewal term (months)", "续约期限（月）"),
    ("issue", "Complaint", "投诉内容"),
    ("action_taken", "Action taken", "处理措施"),
    ("customer_id", "Customer or lead", "客户/线索"),
    ("happened_at", "When it happened", "发生时间"),
    ("attachments", "Attachments", "附件"),
    ("request_department", "Department", "协同部门"),
    ("request_subject", "What you need from them", "协同需求"),
    ("scenario", "Scenario", "场景"),
    ("code", "Code", "编码"),
    ("name_en", "English name", "英文名称"),
    ("name_zh", "Chinese name", "中文名称"),
    ("trigger", "Trigger", "触发事件"),
    ("action", "Action that completes it", "完成动作"),
    ("within_hours", "Within (hours)", "时限（小时）"),
    ("required_fields", "Required content", "必填内容"),
    ("active", "Active", "启用"),
]:
    add(f"process.f.{_k}", _en, _zh)
add("process.ph.concerns", "e.g. price, delivery time, after-sales service", "例如：价格、交付周期、售后响应")
add("process.ph.problem", "What the customer wants solved, in their words", "用客户的话写下要解决的问题")
add("process.ph.next_action", "e.g. send the quotation", "例如：发送报价单")

for _k, _en, _zh in [
    ("price", "Price", "价格"), ("delivery", "Delivery time", "交付周期"), ("service", "After-sales service", "售后服务"),
    ("integration", "Integration", "系统对接"), ("budget", "Budget", "预算"), ("competitor", "Competitor", "竞品"),
    ("other", "Other", "其他"),
]:
    add(f"process.cat.{_k}", _en, _zh)
for _k, _en, _zh in [("marketing", "Marketing", "市场部"), ("support", "Technical support", "技术支持"),
                     ("delivery", "Delivery", "交付部")]:
    add(f"process.dept.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("first_contact", "First contact with a customer", "首次接触客户"), ("visit", "A visit", "拜访"),
    ("demo", "A product demo", "产品演示"), ("proposal", "A proposal", "方案提交"),
    ("promotion", "A promotion started", "促销开展"), ("objection", "An objection raised", "客户提出异议"),
    ("renewal", "A renewal", "续约"), ("complaint", "A complaint", "客户投诉"),
]:
    add(f"process.trigger.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("call", "Call", "电话"), ("visit", "Visit", "拜访"), ("message", "Message", "消息"), ("demo", "Demo", "产品演示"),
    ("proposal", "Proposal", "方案提交"), ("promotion", "Promotion", "促销开展"),
    ("promotion_evidence", "Promotion evidence", "促销执行举证"), ("objection", "Objection", "客户异议"),
    ("solution_update", "Solution update", "异议方案进展"), ("needs_summary", "Needs summary", "需求纪要"),
    ("renewal", "Renewal", "续约"), ("complaint", "Complaint", "投诉处理"),
]:
    add(f"process.kind.{_k}", _en, _zh)

# ---- errors at a field ({label} is the field's name) ----
for _k, _en, _zh in [
    ("required", "{label}: required.", "请填写“{label}”。"),
    ("required_or_voice", "{label}: write a short note or record a voice note.", "请填写“{label}”，或录一段语音说明。"),
    ("too_long", "{label}: at most {n} characters.", "“{label}”最多 {n} 个字。"),
    ("number", "{label}: enter a number.", "“{label}”请输入数字。"),
    ("whole", "{label}: enter a whole number.", "“{label}”请输入整数。"),
    ("range", "{label}: from {min} to {max}.", "“{label}”须在 {min} 到 {max} 之间。"),
    ("choice", "{label}: choose one from the list.", "请从列表中选择“{label}”。"),
    ("yes_no", "{label}: answer yes or no.", "请选择“{label}”：是或否。"),
    ("items", "{label}: list exactly {n}, separated by commas (you gave {got}).",
     "“{label}”请填写 {n} 项，用逗号或顿号分隔（当前 {got} 项）。"),
    ("item_too_long", "{label}: each at most {n} characters.", "“{label}”每项最多 {n} 个字。"),
    ("datetime", "{label}: enter a date and a time.", "请填写“{label}”的日期和时间。"),
    ("before_activity", "{label}: cannot be before the activity itself.", "“{label}”不能早于本次活动的发生时间。"),
    ("too_far", "{label}: at most {days} days ahead.", "“{label}”须在 {days} 天之内。"),
    ("photos", "{label}: attach at least {n} photos (now {got}).", "“{label}”至少需要 {n} 张照片（当前 {got} 张）。"),
    ("customer", "{label}: choose one of your own customers or leads.", "“{label}”：请选择您名下的客户或线索。"),
    ("customer_missing", "{label}: choose the customer or lead first.", "请先选择“{label}”。"),
    ("opportunity", "{label}: that opportunity is not this customer's.", "“{label}”：该商机不属于这个客户。"),
    ("future", "{label}: cannot be in the future.", "“{label}”不能晚于当前时间。"),
    ("too_old", "{label}: at most {days} days back.", "“{label}”只能补录 {days} 天以内的记录。"),
    ("department", "{label}: choose marketing, technical support or delivery.", "请选择“{label}”：市场部、技术支持或交付部。"),
    ("no_request", "{label}: this scenario does not open a request.", "“{label}”：该场景不能发起协同需求。"),
    ("scenario", "{label}: choose a scenario.", "请选择“{label}”。"),
    ("action_is_trigger", "{label}: must differ from the trigger.", "“{label}”不能与触发事件相同。"),
    ("required_fields", "{label}: choose at least one.", "“{label}”至少选择一项。"),
    ("field_of_action", "{label}: only fields of the action's form: {fields}.", "“{label}”只能选择该完成动作表单中的字段：{fields}。"),
    ("code", "{label}: 3–40 lower-case letters, digits or “_”, starting with a letter.",
     "“{label}”须为 3–40 位小写字母、数字或下划线，并以字母开头。"),
]:
    add(f"process.err.{_k}", _en, _zh)
# ---- errors about files and conflicts ----
add("process.err.too_many_files", "At most {max} files per record ({n} chosen).", "每条记录最多 {max} 个附件（当前 {n} 个）。")
add("process.err.file_empty", "“{name}” is empty.", "“{name}”是空文件。")
add("process.err.file_too_big", "“{name}” is {size} MB; at most {max} MB per file.",
    "“{name}”大小为 {size} MB，单个文件不能超过 {max} MB。")
add("process.err.record_too_big", "The files add up to {size} MB; at most {max} MB per record.",
    "附件合计 {size} MB，每条记录不能超过 {max} MB。")
add("process.err.file_type",
    "“{name}” is not an accepted file: photos (JPEG, PNG, WebP, HEIC), voice notes (M4A, MP3, WAV, WebM, Ogg) or PDF.",
    "“{name}”不是允许的文件类型：仅支持照片（JPEG、PNG、WebP、HEIC）、语音（M4A、MP3、WAV、WebM、Ogg）或 PDF。")
add("process.err.file_mismatch", "“{name}”: its name does not match its content (a {kind} file).",
    "“{name}”的扩展名与文件内容不符（实际为 {kind} 文件）。")
add("process.err.step_conflict", "Someone changed this rule after you opened it. Nothing was saved: reload it and try again.",
    "该规则在您打开后已被他人修改，您的修改没有保存：请重新打开后再修改。")

# ---- the visit page ----
for _k, _en, _zh in [
    ("title", "Log a visit", "拜访登记"),
    ("caption", "Pick the scenario and the customer, fill in at most five fields, submit. Who and when are filled in for you.",
     "选场景、选客户，填写不超过 5 项，提交即可。登记人和时间由系统自动记录。"),
    ("scenario", "Scenario", "场景"),
    ("subject", "Customer or lead", "客户/线索"),
    ("subject_ph", "Type to search", "输入名称搜索"),
    ("lead_label", "Lead · {name}", "线索 · {name}"),
    ("no_subjects", "You have no customers or open leads yet.", "您名下还没有客户或待跟进线索。"),
    ("pick_scenario", "Pick a scenario to start.", "请先选择场景。"),
    ("more", "More (optional): time, note, request", "更多（可选）：时间、备注、协同"),
    ("files", "Photos, voice note, files (optional)", "照片、语音、文件（可选）"),
    ("files_required", "Photos and voice note", "照片与语音"),
    ("submit", "Submit", "提交"),
    ("camera_toggle", "Take photos with the camera", "用相机拍照"),
    ("camera", "Camera", "相机"),
    ("camera_taken", "{n} photos taken", "已拍 {n} 张"),
    ("clear_photos", "Remove the photos taken", "清除已拍照片"),
    ("upload", "Upload photos or files", "上传照片或文件"),
    ("upload_help", "Photos (JPEG, PNG, WebP, HEIC), voice notes (M4A, MP3, WAV, WebM, Ogg) or PDF; at most {mb} MB each and {files} files per record.",
     "照片（JPEG、PNG、WebP、HEIC）、语音（M4A、MP3、WAV、WebM、Ogg）或 PDF；单个不超过 {mb} MB，每条最多 {files} 个。"),
    ("voice", "Record a voice note", "录一段语音"),
    ("note", "Note", "备注"),
    ("request", "Ask another department", "发起跨部门协同"),
    ("saved", "Saved: {scenario} · {customer}.", "已保存：{scenario} · {customer}。"),
    ("refused", "Not saved: complete the fields marked below.", "未保存：请补全下方标出的字段。"),
    ("opened", "Opened “{step}”: due {due}.", "已开启“{step}”：须在 {due} 前完成。"),
    ("closed_on_time", "Completed “{step}” on time (due {due}).", "已按时完成“{step}”（截止 {due}）。"),
    ("closed_late", "Completed “{step}” late (due {due}).", "已完成“{step}”，但已超时（截止 {due}）。"),
    ("no_step", "No key step opened or completed.", "未开启或完成关键步骤。"),
    ("request_sent", "Request sent to {department}: {subject}", "已向{department}发起协同：{subject}"),
    ("open_steps", "My open key steps ({n})", "我的待完成关键步骤（{n}）"),
    ("open_steps_team", "Open key steps of my teams ({n})", "团队待完成关键步骤（{n}）"),
    ("no_open_steps", "No open key steps.", "没有待完成的关键步骤。"),
    ("hint_open", "{customer}: “{step}” is open, due {due}.", "{customer}：“{step}”待完成，截止 {due}。"),
    ("hint_contacted", "This customer was contacted before: for the needs summary of that contact, use “{scenario}”.",
     "该客户此前已有接触记录：如需补写那次接触的需求纪要，请选择“{scenario}”。"),
    ("recent", "Recent records", "最近的记录"),
    ("view", "Show a record", "查看记录"),
    ("none", "Nothing logged yet.", "还没有登记记录。"),
    ("file_missing", "The file “{name}” cannot be read.", "无法读取文件“{name}”。"),
    ("download", "Download {name}", "下载 {name}"),
    ("overdue", "overdue {hours} h", "已逾期 {hours} 小时"),
    ("left", "{hours} h left", "剩余 {hours} 小时"),
    ("yes", "Yes", "是"),
    ("no", "No", "否"),
    ("logged_by", "Logged {logged} · happened {happened}", "登记于 {logged} · 发生于 {happened}"),
    ("photos_needed", "at least {n} photos ({got} so far): take them or upload them below",
     "至少 {n} 张（已有 {got} 张）：请在下方拍照或上传"),
    ("happened_help", "Leave empty for now. A visit logged later than it happened counts late for its steps.",
     "留空即为当前时间。补录的拜访按实际登记时间计算关键步骤是否超时。"),
]:
    add(f"visit.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("logged_at", "Logged", "登记时间"), ("happened_at", "Happened", "发生时间"), ("kind", "Kind", "类型"),
    ("scenario", "Scenario", "场景"), ("customer", "Customer", "客户"), ("owner", "Owner", "销售"),
    ("attachments", "Files", "附件数"), ("step", "Key step", "关键步骤"), ("due_at", "Due", "截止时间"),
    ("time_left", "Time left", "剩余时间"), ("triggered_at", "Triggered", "触发时间"),
]:
    add(f"visit.col.{_k}", _en, _zh)

# ---- the step rules page ----
for _k, _en, _zh in [
    ("title", "Key process steps", "关键过程步骤"),
    ("caption", "Each rule: after the trigger, the action with its required content within N hours. Each trigger opens a "
                "step instance with its deadline; a change applies to new triggers only.",
     "每条规则：触发事件发生后，须在 N 小时内完成指定动作并填写必填内容。每次触发生成一条带截止时间的步骤记录；修改只对之后的触发生效。"),
    ("edit", "Edit a rule", "编辑规则"),
    ("pick", "Rule", "规则"),
    ("new", "New rule", "新建规则"),
    ("save", "Save rule", "保存规则"),
    ("saved", "Saved “{name}”. It applies to new triggers.", "已保存“{name}”，对之后的触发生效。"),
    ("nothing", "Nothing changed.", "没有修改。"),
    ("fields_help", "Fields of the action's form that must be filled for the step to count as done.",
     "完成动作表单中必须填写的字段，填齐才算完成该步骤。"),
]:
    add(f"steps.{_k}", _en, _zh)
