"""Texts of reconciliation, the data-quality scan and the merge of duplicate customers (SPEC §7):
pages, findings in words, the finding alert, errors and settings."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and settings ----
add("nav.reconciliation", "Reconciliation", "对账")
add("nav.data_quality", "Data quality", "数据质量")
for _k, _en, _zh in [
    ("reconciliation_tolerance", "Reconciliation: tolerance per contract (¥)", "对账：单个合同允许的差额（元）"),
    ("reconciliation_green_at_most", "Reconciliation: green at or below this discrepancy rate (%)",
     "对账：差异率不高于此值为绿灯（%）"),
    ("reconciliation_red_above", "Reconciliation: red above this discrepancy rate (%)", "对账：差异率高于此值为红灯（%）"),
    ("quality_scan_days", "Data-quality scan: activities logged in the last (days)", "数据质量扫描：检查最近多少天录入的活动"),
]:
    add(f"setting.{_k}", _en, _zh)
add("quality.err.setting_green_above_red", "The green discrepancy rate must not be above the red one.",
    "绿灯差异率不能高于红灯差异率。")

# ---- reconciliation page ----
add("recon.title", "Reconciliation", "对账")
add("recon.caption", "Per month: what sales signed, what finance received and what the warehouse shipped, contract "
                     "by contract.", "按月核对：销售签约金额、财务到账金额与仓库发货金额，逐个合同比对。")
add("recon.month", "Contracts signed in", "签约月份")
add("recon.figure.amount", "Contract amount", "合同金额")
add("recon.figure.received", "Received", "已到账")
add("recon.figure.shipped", "Shipped value", "已发货金额")
add("recon.help.amount", "Sales: the amounts of the compared contracts.", "销售口径：参与比对的合同金额合计。")
add("recon.help.received", "Finance: the money received for them so far.", "财务口径：这些合同至今的到账金额合计。")
add("recon.help.shipped", "Warehouse: the value shipped for them so far.", "仓库口径：这些合同至今的发货金额合计。")
add("recon.rate", "Discrepancy rate", "差异率")
add("recon.rate_help", "Σ differences ÷ Σ contract amounts. Green at or below {green}%, red above {red}%.",
    "差额合计 ÷ 合同金额合计。不高于{green}%为绿灯，高于{red}%为红灯。")
add("recon.counts", "{compared} contracts compared, {disagreeing} disagree; differences {difference} in all. "
                    "{open} contracts still open ({open_amount}) are shown apart.",
    "共比对{compared}个合同，其中{disagreeing}个不一致，差额合计{difference}。另有{open}个合同尚未到期（{open_amount}），单独列出。")
add("recon.disagreeing", "Contracts whose figures disagree ({n})", "三方数据不一致的合同（{n}）")
add("recon.all_agree", "Every compared contract agrees within {tolerance}.", "所有参与比对的合同差额均在{tolerance}以内。")
add("recon.nothing_compared", "No contract of this month can be compared yet.", "本月暂无可比对的合同。")
add("recon.tolerance", "A contract disagrees when its three figures lie more than {tolerance} apart; “Off” names the "
                       "figures that differ from the contract amount — or the amount, when received and shipped agree.",
    "三方金额相差超过{tolerance}即为不一致；“偏差项”列出与合同金额不符的数据（若到账与发货一致，则为合同金额）。")
add("recon.still_open", "Still open: {n} contracts ({amount})", "尚未到期：{n}个合同（{amount}）")
add("recon.still_open_help", "These contracts have an instalment not yet due: money and goods may still come, so "
                             "they count in no figure above.", "这些合同还有未到期的分期款，款项和货物可能仍在途中，因此不计入上方任何数据。")
add("recon.rules_title", "How reconciliation is computed", "对账口径说明")
add("recon.rules", "The contracts signed in the month and not cancelled are compared as of now: contract amount, "
                   "Σ receipts, Σ shipments. A contract with an instalment not yet due is still open and shown apart. "
                   "Difference = the largest minus the smallest of the three; discrepancy rate = Σ differences ÷ Σ "
                   "contract amounts. A contract disagrees when its difference exceeds {tolerance}. Green at or below "
                   "{green}%, red above {red}%.",
    "比对当月签订且未取消的合同，截至当前：合同金额、到账合计、发货合计。仍有未到期分期款的合同视为未结，单独列出。"
    "差额 = 三者中最大值减最小值；差异率 = 差额合计 ÷ 合同金额合计。差额超过{tolerance}的合同为不一致。"
    "不高于{green}%为绿灯，高于{red}%为红灯。")
for _k, _en, _zh in [
    ("number", "Contract", "合同编号"), ("customer", "Customer", "客户"), ("owner", "Owner", "负责人"),
    ("team", "Team", "团队"), ("signed_at", "Signed", "签约时间"), ("amount", "Contract amount", "合同金额"),
    ("received", "Received", "已到账"), ("shipped", "Shipped value", "已发货金额"), ("difference", "Difference", "差额"),
    ("off", "Off", "偏差项"), ("next_due", "Next instalment due", "下期应收日"),
]:
    add(f"recon.col.{_k}", _en, _zh)

# ---- the scan's rules and findings ----
for _k, _en, _zh in [
    ("tax_id_conflict", "One company, two tax ids", "同一公司多个税号"),
    ("order_after_shipment", "Order created after shipment", "先发货后建单"),
    ("overpaid", "Received above contract amount", "到账超过合同金额"),
    ("duplicate_customer", "Duplicate customers", "重复客户"),
    ("missing_fields", "Required fields missing", "必填信息缺失"),
    ("late_logging", "Activities logged late", "活动补录过晚"),
]:
    add(f"quality.rule.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("tax_id_conflict", "Customers with the same company name and a tax id: share of those agreeing on it.",
     "有税号的客户中，同名公司税号一致的比例。"),
    ("order_after_shipment", "Contracts with a shipment: share created before their first shipment.",
     "有发货记录的合同中，先建单后发货的比例。"),
    ("overpaid", "Contracts with money received: share not receiving more than their amount.",
     "有到账记录的合同中，到账未超过合同金额的比例。"),
    ("duplicate_customer", "Customers: share without a duplicate (same phone, or a name as alike as lead entry's "
                           "duplicate check finds).", "客户中没有重复记录（电话相同，或名称相似度达到线索录入查重标准）的比例。"),
    ("missing_fields", "Customers and contracts: share with every required field (customer: phone, industry, size, "
                       "region; contract: customer, amount).", "客户和合同中必填信息完整（客户：电话、行业、规模、大区；合同：客户、金额）的比例。"),
    ("late_logging", "Activities logged in the scan's window: share logged in time.", "扫描期内录入的活动中，及时录入的比例。"),
]:
    add(f"quality.help.{_k}", _en, _zh)
add("quality.detail.tax_id_conflict", "Tax id {tax_id}; {n} record(s) of the same company carry another ({others}). "
                                      "Tax ids seen: {tax_ids}.",
    "税号{tax_id}；同一公司另有{n}条记录使用其他税号（{others}）。出现过的税号：{tax_ids}。")
add("quality.detail.order_after_shipment", "Order created {created}, first shipment {shipped}.",
    "订单创建于{created}，首次发货于{shipped}。")
add("quality.detail.overpaid", "Received ¥{received} for a contract of ¥{amount} (¥{over} over).",
    "合同金额¥{amount}，已到账¥{received}（超出¥{over}）。")
add("quality.detail.duplicate_customer", "Looks like customer #{other_id} {other} ({reasons}; names {similarity}% "
                                         "alike).", "疑似与客户 #{other_id} {other}重复（{reasons}；相似度{similarity}%）。")
add("quality.detail.missing_fields", "Missing: {fields}.", "缺少：{fields}。")
add("quality.detail.late_logging", "{kind} on {happened} logged {logged}, {hours} h later.",
    "{kind}发生于{happened}，{logged}才录入，延迟{hours}小时。")
add("quality.reason.phone", "same phone", "电话相同")
add("quality.reason.name", "similar name", "名称相似")
for _k, _en, _zh in [
    ("customer.phone", "phone", "电话"), ("customer.industry", "industry", "行业"), ("customer.size", "size", "规模"),
    ("customer.region", "region", "大区"), ("contract.customer", "customer", "客户"), ("contract.amount", "amount", "金额"),
]:
    add(f"quality.field.{_k}", _en, _zh)
add("quality.record.customer", "Customer {record}", "客户 {record}")
add("quality.record.contract", "Contract {record}", "合同 {record}")
add("quality.record.activity", "Activity with {record}", "活动（{record}）")
add("quality.alert", "Data quality — {rule}: {record}. {detail}", "数据质量——{rule}：{record}。{detail}")
add("quality.no_team", "No team", "未分配团队")
add("quality.no_owner", "No owner", "无负责人")
add("quality.what", "open findings of “{rule}”", "“{rule}”未处理问题")

# ---- errors ----
add("quality.err.no_finding", "No such finding in your view.", "您的查看范围内没有这条问题记录。")
add("quality.err.already_fixed", "This finding is fixed already.", "这条问题已修复。")
add("quality.err.already_ignored", "This finding is ignored already.", "这条问题已被忽略。")
add("quality.err.reason_needed", "Say why this finding is ignored.", "请填写忽略原因。")
add("quality.err.reason_long", "The reason may have at most {max} characters.", "忽略原因最多{max}个字符。")
add("quality.err.rule", "“{value}” is not a data-quality rule.", "“{value}”不是数据质量规则。")
add("quality.err.status", "“{value}” is not a finding status.", "“{value}”不是有效的问题状态。")
add("quality.err.merge_self", "A customer cannot be merged with itself.", "不能将客户与其自身合并。")
add("quality.err.merge_no_customer", "There is no customer #{id}.", "不存在客户 #{id}。")
add("quality.err.merge_done", "Customer #{id} was merged into #{survivor} already, on {at} by {who}.",
    "客户 #{id} 已于{at}由{who}合并到 #{survivor}。")
add("quality.err.merged_elsewhere", "Customer #{id} no longer exists: it was merged into #{survivor} on {at} by {who}.",
    "客户 #{id} 已不存在：已于{at}由{who}合并到 #{survivor}。")

# ---- data-quality page ----
add("quality.title", "Data quality", "数据质量")
add("quality.caption", "The scan's findings per rule: each with its record, owner and status. A finding whose cause "
                       "is fixed closes itself at the next scan.", "按规则列出扫描发现的问题，含记录、负责人和状态；问题原因修正后，下次扫描自动关闭。")
add("quality.scan_now", "Scan now", "立即扫描")
add("quality.scanned", "Scan done: {new} findings opened, {fixed} fixed, {open} open in all.",
    "扫描完成：新增{new}条问题，修复{fixed}条，共{open}条未处理。")
add("quality.light_counts", "{flagged} of {checked} records with an open finding", "{checked}条记录中有{flagged}条存在未处理问题")
add("quality.show_rule", "Show the {n} findings", "查看{n}条问题")
add("quality.findings", "Findings", "问题清单")
add("quality.rule", "Rule", "规则")
add("quality.status", "Status", "状态")
for _k, _en, _zh in [("open", "Open", "未处理"), ("fixed", "Fixed", "已修复"), ("ignored", "Ignored", "已忽略")]:
    add(f"quality.status.{_k}", _en, _zh)
for _k, _en, _zh in [
    ("id", "No.", "编号"), ("rule_name", "Rule", "规则"), ("record", "Record", "记录"), ("owner", "Owner", "负责人"),
    ("team", "Team", "团队"), ("detail", "Detail", "详情"), ("status", "Status", "状态"), ("reason", "Reason", "忽略原因"),
    ("first_found_at", "First found", "首次发现"), ("last_found_at", "Last found", "最近发现"),
    ("closed_at", "Closed", "关闭时间"),
]:
    add(f"quality.col.{_k}", _en, _zh)
add("quality.no_findings", "No findings for this selection.", "当前筛选条件下没有问题。")
add("quality.first_500", "The newest 500 findings are shown; narrow by rule to see the others.",
    "仅显示最新的500条问题，请按规则筛选查看其余问题。")
add("quality.act_title", "Handle a finding", "处理问题")
add("quality.pick", "Finding", "问题")
add("quality.reason", "Why ignore it?", "忽略原因")
add("quality.reason_hint", "e.g. two legal entities of one group, confirmed with the customer",
    "例如：同一集团下的两个法人实体，已与客户确认")
add("quality.ignore", "Ignore with this reason", "按此原因忽略")
add("quality.ignored", "Finding #{id} is ignored.", "问题 #{id} 已忽略。")
add("quality.merge_title", "Merge the duplicate customers", "合并重复客户")
add("quality.merge_survivor", "Keep", "保留")
add("quality.merge_older", "#{id} (the older)", "#{id}（较早建档）")
add("quality.merge_younger", "#{id} (this finding's)", "#{id}（本问题记录）")
for _k, _en, _zh in [
    ("name", "Company", "公司名称"), ("phone", "Phone", "电话"), ("tax_id", "Tax id", "税号"), ("industry", "Industry", "行业"),
    ("size", "Size", "规模"), ("region", "Region", "大区"), ("owner", "Owner", "负责人"), ("team", "Team", "团队"),
    ("customer_type", "Customer type", "客户类型"), ("heat", "Heat", "热度"), ("created_at", "Created", "建档时间"),
]:
    add(f"quality.merge_field.{_k}", _en, _zh)
add("quality.merge_side.field", "Field", "字段")
add("quality.merge_side.survivor", "#{survivor} kept", "#{survivor}（保留）")
add("quality.merge_side.other", "#{other} merged away", "#{other}（并入后删除）")
add("quality.merge_side.after", "#{survivor} after the merge", "合并后的 #{survivor}")
add("quality.merge_taken", "The kept customer takes from the other: {fields} (its own are empty).",
    "保留客户的以下空白信息将取自被合并客户：{fields}。")
add("quality.merge_moves", "{n} rows referring to #{other} will refer to #{survivor}:",
    "共{n}条关联 #{other} 的记录将改为关联 #{survivor}：")
add("quality.merge_col.table", "Records", "记录类型")
add("quality.merge_col.rows", "Rows", "条数")
add("quality.merge_col.via", "Moving with", "随之转移")
add("quality.merge_confirm", "Merge #{other} into #{survivor}; #{other} is deleted.",
    "确认将 #{other} 合并到 #{survivor}，并删除 #{other}。")
add("quality.merge_button", "Merge", "合并")
add("quality.merged", "Customer #{other} is merged into #{survivor}: {n} rows moved.",
    "客户 #{other} 已合并到 #{survivor}，转移{n}条记录。")
for _k, _en, _zh in [
    ("leads", "Leads", "线索"), ("lead_assignments", "Lead assignments", "线索分配记录"),
    ("opportunities", "Deals", "商机"), ("stage_history", "Stage history", "阶段历史"),
    ("activities", "Activities", "活动记录"), ("attachments", "Attachments", "附件"),
    ("step_instances", "Key steps", "关键步骤"), ("customer_issues", "Customer issues", "客户问题"),
    ("cross_dept_requests", "Cross-department requests", "跨部门协同"), ("contracts", "Contracts", "合同"),
    ("payments", "Instalments", "回款计划"), ("receipts", "Receipts", "到账记录"), ("invoices", "Invoices", "发票"),
    ("shipments", "Shipments", "发货记录"), ("satisfaction_scores", "Satisfaction scores", "满意度评分"),
    ("todos", "To-dos", "待办"), ("alerts", "Alerts", "提醒"),
]:
    add(f"quality.table.{_k}", _en, _zh)
