"""Texts of SPEC §7 cash records: contracts, payments (receipts), invoices and shipments — the
contracts page, its forms and refusals, and the imports of payments, invoices and shipments."""
from core.texts.catalog import Catalog

TEXTS = Catalog()
add = TEXTS.add

# ---- navigation and settings ----
add("nav.contracts", "Contracts & payments", "合同与回款")
add("setting.invoice_min_paid_share", "Invoice allowed once more than this share is paid (0–1)",
    "回款超过合同金额的该比例后才能开票（0–1）")

# ---- the page ----
add("cash.title", "Contracts & payments", "合同与回款")
add("cash.caption", "Every contract you may see, with what was received, invoiced and shipped. Pick one to see "
    "its instalments and records.", "您有权查看的全部合同，及其回款、开票和发货情况。选择一份合同查看分期和明细。")
add("cash.search", "Search", "搜索")
add("cash.search_hint", "Contract number or customer", "合同编号或客户名称")
add("cash.status", "Status", "状态")
add("cash.status.active", "Active", "执行中")
add("cash.status.completed", "Completed", "已回款")
add("cash.status.cancelled", "Cancelled", "已取消")
add("cash.count", "{n} contracts · amount {amount} · received {received}.", "共 {n} 份合同 · 合同金额 {amount} · 已回款 {received}。")
for _k, _en, _zh in [
    ("number", "Number", "编号"), ("customer", "Customer", "客户"), ("owner", "Owner", "负责人"),
    ("team", "Team", "团队"), ("amount", "Amount", "金额"), ("signed_at", "Signed", "签订日期"),
    ("status", "Status", "状态"), ("received", "Received", "已回款"), ("invoiced", "Invoiced", "已开票"),
    ("shipped", "Shipped", "已发货"), ("paid_share", "Paid", "回款比例"), ("due_date", "Due", "应收日期"),
    ("amount_due", "Amount due", "应收金额"), ("amount_received", "Received", "已收金额"),
    ("received_at", "Received on", "到账时间"), ("days_overdue", "Days overdue", "逾期天数"),
    ("reference", "Reference", "流水号"), ("entered_by", "Entered by", "录入人"), ("created_at", "Entered", "录入时间"),
    ("issued_at", "Issued", "开票日期"), ("overdue", "Overdue", "逾期未收"), ("value", "Value", "发货金额"),
    ("shipped_at", "Shipped on", "发货日期"),
]:
    add(f"cash.col.{_k}", _en, _zh)
add("cash.open", "Open a contract", "查看合同")
add("cash.open_none", "— choose a contract —", "— 请选择合同 —")
add("cash.no_such_contract", "There is no such contract among those you may see.", "在您有权查看的合同中没有这份合同。")
add("cash.none_yet", "None yet.", "暂无记录。")

# ---- the card ----
add("cash.card.title", "Contract {number} · {customer}", "合同 {number} · {customer}")
add("cash.card.caption", "Owner {owner} · {team} · signed {signed} · {status} · deal: {deal}",
    "负责人 {owner} · {team} · 签订于 {signed} · {status} · 商机：{deal}")
add("cash.card.may_invoice", "{paid} paid, more than {min} %: it may be invoiced (up to {room} more).",
    "已回款 {paid}，超过 {min}%：可以开票（最多还可开 {room}）。")
add("cash.card.not_yet", "{paid} paid: it can be invoiced once more than {min} % is.",
    "已回款 {paid}：回款超过 {min}% 后才能开票。")
add("cash.card.fully_invoiced", "Invoiced in full.", "已全额开票。")
add("cash.card.close", "Close", "关闭")
add("cash.tab.instalments", "Instalments ({n})", "分期应收（{n}）")
add("cash.tab.receipts", "Payments received ({n})", "回款记录（{n}）")
add("cash.tab.invoices", "Invoices ({n})", "发票（{n}）")
add("cash.tab.shipments", "Shipments ({n})", "发货（{n}）")

# ---- sales: a new contract ----
add("cash.new.title", "New contract", "新建合同")
add("cash.new.search", "Find a customer", "查找客户")
add("cash.new.no_customers", "No customer of yours to make a contract with.", "没有可以签订合同的客户。")
add("cash.new.target", "Customer or won deal", "客户或已赢单商机")
add("cash.new.target_help", "Pick a won deal to sign it (its amount is the default), or a customer.",
    "选择已赢单的商机（默认取其金额），或直接选择客户。")
add("cash.new.deal_option", "Won deal: {deal} · {customer} · {amount}", "已赢单：{deal} · {customer} · {amount}")
add("cash.new.amount", "Amount (¥)", "合同金额（元）")
add("cash.new.amount_help", "Empty for a won deal: the deal's amount.", "选择商机时可留空：取商机金额。")
add("cash.new.signed_at", "Signed on", "签订日期")
add("cash.new.instalments", "Instalments", "分期数")
add("cash.new.every_days", "Every (days)", "间隔（天）")
add("cash.new.submit", "Create contract", "创建合同")
add("cash.created", "Contract {number} created ({amount}).", "合同 {number} 已创建（{amount}）。")

# ---- finance: a payment, an invoice ----
add("cash.pay.title", "Record a payment", "登记回款")
add("cash.pay.amount", "Amount received (¥)", "到账金额（元）")
add("cash.pay.received_at", "Received on", "到账日期")
add("cash.pay.reference", "Bank reference", "银行流水号")
add("cash.pay.reference_help", "The transfer's or cheque's number: the same one is never recorded twice.",
    "转账或支票号码：同一号码不能重复登记。")
add("cash.pay.submit", "Record payment", "登记回款")
add("cash.paid", "{amount} recorded for {number}.", "已为 {number} 登记回款 {amount}。")
add("cash.inv.title", "Issue an invoice", "开具发票")
add("cash.inv.rule", "Allowed once more than {min} % of the amount is paid.", "回款超过合同金额的 {min}% 后才能开票。")
add("cash.inv.number", "Invoice number", "发票号码")
add("cash.inv.amount", "Invoice amount (¥)", "开票金额（元）")
add("cash.inv.amount_help", "At most {room}.", "最多 {room}。")
add("cash.inv.issued_at", "Issued on", "开票日期")
add("cash.inv.submit", "Record invoice", "登记发票")
add("cash.invoiced", "Invoice {invoice} of {amount} recorded for {number}.", "已为 {number} 登记发票 {invoice}，金额 {amount}。")

# ---- refusals ----
add("cash.err.amount_number", "Enter an amount in yuan, e.g. 12000 or 12,000.50.", "请输入金额（元），例如 12000 或 12,000.50。")
add("cash.err.amount_positive", "The amount must be above 0.", "金额必须大于 0。")
add("cash.err.amount_too_big", "At most ¥999,999,999,999.99.", "金额不能超过 ¥999,999,999,999.99。")
add("cash.err.date", "Enter a date.", "请输入日期。")
add("cash.err.whole_range", "A whole number from {min} to {max}.", "请输入 {min} 到 {max} 之间的整数。")
add("cash.err.text", "Enter text.", "请输入文字。")
add("cash.err.too_long", "At most {n} characters.", "最多 {n} 个字符。")
add("cash.err.number_chars", "Letters, digits and - _ / . only, starting with a letter or digit.",
    "只能包含字母、数字和 - _ / .，并以字母或数字开头。")
add("cash.err.customer", "Choose one of your customers.", "请选择您的客户。")
add("cash.err.customer_no_owner", "{customer} has no owner yet: a contract needs one.",
    "{customer} 还没有负责人，无法签订合同。")
add("cash.err.deal", "Choose a won deal of {customer}.", "请选择 {customer} 已赢单的商机。")
add("cash.err.deal_has_contract", "The deal {deal} already has the contract {number}.", "商机 {deal} 已有合同 {number}。")
add("cash.err.signed_future", "A contract cannot be signed in the future.", "签订日期不能晚于今天。")
add("cash.err.signed_old", "Enter a contract within {n} days of its signing.", "只能录入 {n} 天内签订的合同。")
add("cash.err.number_taken", "The contract number {number} is taken.", "合同编号 {number} 已被使用。")
add("cash.err.no_contract", "There is no such contract among those you may see.", "在您有权查看的合同中没有这份合同。")
add("cash.err.cancelled", "{number} is cancelled: nothing more is recorded on it.", "{number} 已取消，不能再登记。")
add("cash.err.no_schedule", "{number} has no payment schedule to record a payment against.",
    "{number} 没有分期应收计划，无法登记回款。")
add("cash.err.received_future", "A payment cannot be received in the future.", "到账日期不能晚于今天。")
add("cash.err.received_before_signing", "Received before the contract was signed ({signed}).",
    "到账日期早于合同签订日期（{signed}）。")
add("cash.err.reference_taken",
    "The reference {reference} was already recorded for {number} on {at} ({amount}): the same payment is not "
    "recorded twice.",
    "流水号 {reference} 已于 {at} 为 {number} 登记过（{amount}），同一笔回款不能重复登记。")
add("cash.err.invoice_number_taken", "The invoice number {number} is taken.", "发票号码 {number} 已被使用。")
add("cash.err.issued_future", "An invoice cannot be issued in the future.", "开票日期不能晚于今天。")
add("cash.err.issued_before_signing", "Issued before the contract was signed ({signed}).",
    "开票日期早于合同签订日期（{signed}）。")
add("cash.err.not_paid_enough", "Only {paid} % of {number} is paid; it can be invoiced once more than {min} % is.",
    "{number} 仅回款 {paid}%，回款超过 {min}% 后才能开票。")
add("cash.err.over_invoiced",
    "Invoices of {number} would come to {total}, above its amount {amount} ({invoiced} invoiced so far; "
    "at most {room} more).",
    "{number} 的发票合计将达到 {total}，超过合同金额 {amount}（已开 {invoiced}，最多还可开 {room}）。")

# ---- imports of payments, invoices and shipments (core.exchange.entities) ----
add("imp.entity.payments", "Payments received", "回款")
add("imp.entity.invoices", "Invoices", "发票")
add("imp.entity.shipments", "Shipments", "发货")
add("imp.caption_cash", "Bring payments, invoices and the warehouse's shipments from the bank's or the warehouse's "
    "export. Every row is checked first; a file with any error writes nothing.",
    "从银行流水、开票记录或仓库出库单导入回款、发票和发货。系统先逐行校验，只要有一行出错，整份文件都不会写入。")
add("imp.table.payments", "payments {n}", "回款 {n} 笔")
add("imp.table.invoices", "invoices {n}", "发票 {n} 张")
add("imp.table.shipments", "shipments {n}", "发货 {n} 笔")
add("imp.err.contract_unknown", "No contract has the number “{value}”.", "没有编号为“{value}”的合同。")
add("imp.err.before_signing", "Before the contract {number} was signed ({signed}).", "早于合同 {number} 的签订日期（{signed}）。")
add("imp.err.shipment_number_taken", "The delivery note {number} is already recorded.", "出库单 {number} 已经登记过。")
add("imp.note.contracts_completed", "Contracts paid in full by this file: {n}.", "本文件将使 {n} 份合同全额回款。")
add("imp.note.overpaid", "Contracts whose payments would exceed their amount: {n} (the data-quality scan lists them).",
    "{n} 份合同的回款将超过合同金额（数据质量检查会列出）。")
add("imp.note.shipped_before_order", "Contracts shipped before they were entered: {n} (the data-quality scan lists "
    "them).", "{n} 份合同的发货早于合同录入（数据质量检查会列出）。")
