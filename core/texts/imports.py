"""Texts of the import and export of leads, customers and opportunities (SPEC §10)."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- page ----
add("nav.import", "Import & export", "导入与导出")
add("imp.title", "Import & export", "数据导入与导出")
add("imp.caption", "Bring leads, customers and deals from Excel or another CRM. Every row is checked first; "
    "a file with any error writes nothing.",
    "从 Excel 或其他 CRM 导入线索、客户和商机。系统先逐行校验，只要有一行出错，整份文件都不会写入。")
add("imp.entity", "What to import", "导入内容")
add("imp.entity.leads", "Leads", "线索")
add("imp.entity.customers", "Customers", "客户")
add("imp.entity.opportunities", "Opportunities (deals)", "商机")
add("imp.templates", "Templates", "导入模板")
add("imp.template_help", "The header and two example rows. Every column, its allowed values and the date formats "
    "are described in docs/import.md.",
    "模板包含表头和两行示例。各列含义、可选值和日期格式详见 docs/import.md。")
add("imp.template_csv", "CSV template", "CSV 模板")
add("imp.template_xlsx", "Excel template", "Excel 模板")
add("imp.file", "File (CSV or Excel)", "数据文件（CSV 或 Excel）")
add("imp.mapping_file", "Mapping file (optional, TOML)", "字段映射文件（可选，TOML 格式）")
add("imp.mapping_help", "For an export of another system: their column names and values onto ours.",
    "导入其他系统的导出文件时使用：把对方的列名和取值对应到本系统。")
add("imp.route", "Route leads without an owner to reps", "无负责人的线索按分配规则派给销售")
add("imp.check", "Check (dry run)", "校验（试导入）")
add("imp.run", "Import", "正式导入")
add("imp.run_help", "Possible after a dry run of this very file without errors.",
    "同一文件试导入无错误后，才能正式导入。")
add("imp.pick_file", "Choose a file to import.", "请选择要导入的文件。")
add("imp.progress.read", "Reading the file …", "正在读取文件……")
add("imp.progress.check", "Checking the rows …", "正在逐行校验……")
add("imp.progress.write", "Writing …", "正在写入……")
add("imp.progress.done", "Done.", "完成。")
add("imp.metric.rows", "Rows read", "读取行数")
add("imp.metric.errors", "Errors", "错误数")
add("imp.metric.bad_rows", "Rows with errors", "出错行数")
add("imp.ok_dry", "No errors: ready to import.", "校验通过，可以正式导入。")
add("imp.failed", "Correct the rows below in the file, then check it again.", "请在文件中修改以下各行，然后重新校验。")
add("imp.done", "Imported.", "导入完成。")
add("imp.errors_title", "Errors ({n})", "错误明细（{n} 条）")
add("imp.col.row", "Row", "行号")
add("imp.col.column", "Column", "列")
add("imp.col.value", "Value", "内容")
add("imp.col.message", "Problem", "问题说明")
add("imp.export_title", "Export", "导出")
add("imp.export_entity", "What to export", "导出内容")
add("imp.export_caption", "Every record you may see, in the template's columns: an export imports again.",
    "导出您有权查看的全部记录，列与导入模板一致，可直接再次导入。")
add("imp.export_count", "{n} records.", "共 {n} 条记录。")

# ---- the report ----
add("imp.sum.read", "Data rows read from {file}: {rows}.", "从 {file} 读取 {rows} 行数据。")
add("imp.sum.mapping", "Mapping: {mapping}.", "映射文件：{mapping}。")
add("imp.sum.errors", "Errors: {n}, in {rows} rows. Nothing was written.", "{rows} 行共 {n} 处错误，未写入任何数据。")
add("imp.sum.would_write", "No errors. The import would write {counts}.", "校验通过。正式导入将写入：{counts}。")
add("imp.sum.written", "Written in one transaction: {counts}.", "已在同一事务中写入：{counts}。")
add("imp.sum.ignored", "Columns not imported: {columns}.", "未导入的列：{columns}。")
add("imp.table.leads", "leads {n}", "线索 {n} 条")
add("imp.table.lead_assignments", "lead assignments {n}", "分配记录 {n} 条")
add("imp.table.routed", "leads routed to a rep {n}", "自动分配给销售的线索 {n} 条")
add("imp.table.customers", "customers {n}", "客户 {n} 个")
add("imp.table.opportunities", "opportunities {n}", "商机 {n} 个")
add("imp.table.stage_history", "stage history rows {n}", "阶段记录 {n} 条")
add("imp.note.mapped_missing", "The mapping names columns this file does not have: {columns}.",
    "映射文件中的这些列在文件里不存在：{columns}。")
add("imp.note.pool", "Leads without an owner: {n}. They go to the lead pool.", "{n} 条线索没有负责人，将进入公海。")
add("imp.note.routed", "Leads without an owner: {n}. The routing rules give them to reps.",
    "{n} 条线索没有负责人，将按分配规则派给销售。")
add("imp.note.unowned_customers", "Customers without an owner: {n}. Until one is assigned, only directors and admins see them.",
    "{n} 个客户没有负责人，分配负责人之前只有销售总监和管理员能看到。")
add("imp.note.customers_matched", "Existing customers matched by exact name: {n}.", "按名称精确匹配到 {n} 个已有客户。")
add("imp.note.customers_created", "Customers not found by exact name, created with their deals: {n} ({names}).",
    "{n} 个客户按名称未找到，将随商机一并新建：{names}。")
add("imp.note.dated_now", "Deals without any date: {n}. They are dated at the import ({now}).",
    "{n} 个商机没有任何日期，按导入时间（{now}）记录。")

# ---- row errors ----
add("imp.err.required", "Required.", "必填项为空。")
add("imp.err.column_missing", "The required column “{column}” is missing (and the mapping gives no default).",
    "缺少必填列“{column}”（映射文件中也没有默认值）。")
add("imp.err.too_long", "Longer than {n} characters.", "超过 {n} 个字符。")
add("imp.err.phone", "“{value}” is not a valid phone number.", "“{value}”不是有效的电话号码。")
add("imp.err.grade", "The grade must be A, B or C, not “{value}”.", "线索等级只能是 A、B、C，不能是“{value}”。")
add("imp.err.choice", "“{value}” is not one of: {choices}.", "“{value}”不在可选值之内：{choices}。")
add("imp.err.stage_is_status", "“{value}” is an outcome, not a stage: map this column onto both stage and status "
    "(see docs/import.md).", "“{value}”是结果而不是阶段：请把该列同时映射到 stage 和 status（见 docs/import.md）。")
add("imp.err.date", "“{value}” is not a date (write 2026-11-23 or 2026-11-23 14:30).",
    "“{value}”不是有效日期（请写成 2026-11-23 或 2026-11-23 14:30）。")
add("imp.err.future", "{value} lies in the future.", "{value} 晚于当前时间。")
add("imp.err.before", "Earlier than {other} ({other_value}).", "早于 {other}（{other_value}）。")
add("imp.err.number", "“{value}” is not a number.", "“{value}”不是有效数字。")
add("imp.err.negative", "“{value}” is negative.", "“{value}”不能为负数。")
add("imp.err.too_big", "“{value}” is too large.", "“{value}”数值过大。")
add("imp.err.user_unknown", "No active user “{value}”.", "没有用户名为“{value}”的在职用户。")
add("imp.err.user_role", "“{value}” is not a sales rep or team lead.", "“{value}”不是销售或片区经理，不能做负责人。")
add("imp.err.team_unknown", "No team “{value}”.", "没有名为“{value}”的团队。")
add("imp.err.region_unknown", "No region “{value}”.", "没有名为“{value}”的大区。")
add("imp.err.owner_no_team", "{value} belongs to no team.", "{value} 不属于任何团队。")
add("imp.err.owner_team", "{owner} is in team {owner_team}, not {team}.", "{owner} 属于{owner_team}，不属于{team}。")
add("imp.err.team_region", "Team {team} is in region {region}.", "团队{team}属于{region}。")
add("imp.err.tax_id", "“{value}” is not a tax id (letters and digits only).", "“{value}”不是有效税号（只能包含字母和数字）。")
add("imp.err.dup_file", "Same as row {other}.", "与第 {other} 行重复。")
add("imp.err.dup_db_lead", "A lead with this phone exists already (no. {id}).", "已有相同电话的线索（编号 {id}）。")
add("imp.err.dup_db_customer", "This customer exists already (no. {id}).", "该客户已存在（编号 {id}）。")
add("imp.err.dup_db_opportunity", "This customer already has a deal of this name (no. {id}).",
    "该客户已有同名商机（编号 {id}）。")
add("imp.err.closed_needed", "A won or lost deal needs its close date.", "赢单或输单的商机必须填写关闭日期。")
add("imp.err.closed_open", "An open deal has no close date.", "进行中的商机不应填写关闭日期。")
add("imp.err.customer_ambiguous", "{n} customers are named “{value}”: rename one before importing.",
    "有 {n} 个客户都叫“{value}”，请先改名再导入。")
add("imp.err.entity", "Cannot import “{entity}”; choose one of {entities}.", "无法导入“{entity}”，请选择：{entities}。")

# ---- the file and the mapping file ----
add("imp.file.format", "{name}: only .csv and .xlsx files can be imported.", "{name}：只能导入 .csv 或 .xlsx 文件。")
add("imp.file.empty", "The file is empty.", "文件是空的。")
add("imp.file.no_header", "Row 1 must hold the column names.", "第 1 行必须是列名。")
add("imp.file.duplicate_header", "The column “{column}” appears twice in row 1.", "第 1 行中列名“{column}”出现了两次。")
add("imp.file.too_many_rows", "More than {n} rows: split the file.", "超过 {n} 行，请拆分文件后再导入。")
add("imp.file.encoding", "The file's text encoding is unknown: save it as UTF-8 CSV or as an Excel workbook.",
    "无法识别文件编码：请另存为 UTF-8 编码的 CSV 或 Excel 文件。")
add("imp.file.unreadable", "The file cannot be read as an Excel workbook ({detail}).", "无法作为 Excel 文件读取（{detail}）。")
add("imp.map.syntax", "The mapping file is not valid TOML: {detail}.", "映射文件不是有效的 TOML：{detail}。")
add("imp.map.unknown_key", "Mapping file: unknown key “{key}”; allowed: {keys}.", "映射文件：未知的键“{key}”，可用的键：{keys}。")
add("imp.map.entity", "This mapping file is for {mapped}, not {entity}.", "此映射文件用于 {mapped}，不是 {entity}。")
add("imp.map.unknown_field", "Mapping file [{section}] “{key}”: “{target}” is not a column of {entity}; columns: {fields}.",
    "映射文件 [{section}]“{key}”：“{target}”不是 {entity} 的列，可用的列：{fields}。")
add("imp.map.not_text", "Mapping file [{section}] “{key}”: the value must be text in quotes.",
    "映射文件 [{section}]“{key}”：取值必须是带引号的文本。")
add("imp.map.not_table", "Mapping file: [{section}] must be a table.", "映射文件：[{section}] 必须是一个表。")
add("imp.map.twice", "Mapping file: “{first}” and “{second}” both map onto {target}.",
    "映射文件：“{first}”和“{second}”都映射到了 {target}。")
add("imp.map.date_format", "Mapping file: “{value}” is not a date format such as %Y-%m-%d.",
    "映射文件：“{value}”不是有效的日期格式（例如 %Y-%m-%d）。")

# ---- values accepted besides the codes (and shown for them) ----
for _k, _en, _zh in [
    ("size.small", "Small", "小型"), ("size.medium", "Medium", "中型"), ("size.large", "Large", "大型"),
    ("heat.hot", "Hot", "热"), ("heat.warm", "Warm", "温"), ("heat.cold", "Cold", "冷"),
    ("status.new", "New", "新线索"), ("status.contacted", "Contacted", "已联系"),
    ("status.qualified", "Qualified", "已确认"), ("status.converted", "Converted", "已转化"),
    ("status.lost", "Lost", "已流失"),
]:
    add(f"imp.value.{_k}", _en, _zh)
